//! Assembles printed statements into the output scripts: one file per section, objects in
//! order, each under a header comment with its findings; records where each object landed.
//!
//! Invariant: the output depends only on the module (no clock, no thread order), so the same
//! input gives byte-identical scripts.

use crate::ir::{Module, Object, Section};
use crate::source::SourceMap;
use crate::{Options, Placement, Script, backend};

pub fn emit(
    module: &Module,
    sources: &SourceMap,
    opts: &Options,
) -> (Vec<Script>, Vec<Option<Placement>>) {
    let target = opts.to.as_str();
    let mut placements = vec![None; module.objects.len()];
    let mut scripts = Vec::new();
    for section in Section::ALL {
        let members: Vec<usize> = (0..module.objects.len())
            .filter(|&i| module.objects[i].section == Some(section))
            .collect();
        if members.is_empty() {
            continue;
        }
        let name = format!("{target}/{}", section.file_name());
        let mut out = Writer::default();
        out.line(&format!(
            "-- {}: converted by schemac from {} to {}",
            section.file_name(),
            opts.from.as_str(),
            target,
        ));
        for i in members {
            let obj = &module.objects[i];
            out.line("");
            let line = write_object(&mut out, obj, sources, opts);
            placements[i] = Some(Placement {
                file: name.clone(),
                line,
            });
        }
        scripts.push(Script {
            name,
            text: out.text,
        });
    }
    (scripts, placements)
}

#[derive(Default)]
struct Writer {
    text: String,
    /// Number of complete lines written so far.
    lines: u32,
}

impl Writer {
    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
        self.lines += 1;
    }
    /// Text that may span lines, then `end` and a line break.
    fn block(&mut self, s: &str, end: &str) {
        self.lines += s.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
        self.text.push_str(s);
        self.text.push_str(end);
        self.text.push('\n');
    }
}

/// The header line of an object: `-- schemac: TABLE hr.regions (hr_cre.sql:73)`.
pub fn header(obj: &Object, sources: &SourceMap) -> String {
    let mut s = String::new();
    write_header(&mut s, obj, sources);
    s
}

fn write_header(out: &mut String, obj: &Object, sources: &SourceMap) {
    use std::fmt::Write;
    let file = sources.get(obj.span.file);
    let line = file.line(obj.span.start);
    out.push_str("-- schemac: ");
    for c in obj.kind.as_str().chars() {
        out.push(if c == '_' {
            ' '
        } else {
            c.to_ascii_uppercase()
        });
    }
    if let Some(n) = &obj.name {
        let name = n.display();
        if !name.is_empty() {
            out.push(' ');
            out.push_str(&name);
        }
    }
    let _ = write!(out, " ({}:{line})", file.name);
}

/// Writes one object; returns the 1-based line of its first statement (or of its first
/// commented-out line, or of the `DELIMITER` line before a MySQL stored program).
fn write_object(out: &mut Writer, obj: &Object, sources: &SourceMap, opts: &Options) -> u32 {
    write_header(&mut out.text, obj, sources);
    out.line("");
    for f in &obj.findings {
        let t = &mut out.text;
        t.push_str("-- ");
        t.push_str(f.code.code);
        t.push(' ');
        t.push_str(f.severity.as_str());
        t.push_str(": ");
        // One line: line breaks in a message become spaces.
        t.extend(f.message.chars().map(|c| match c {
            '\n' | '\r' => ' ',
            c => c,
        }));
        out.line("");
    }
    let first = out.lines + 1;
    if obj.commented_out {
        let src = sources.get(obj.span.file).slice(obj.span);
        for l in src.lines() {
            out.text.push_str("-- ");
            out.line(l);
        }
        if src.trim().is_empty() {
            out.line("--");
        }
        return first;
    }
    let stmts: Vec<&crate::ir::Stmt> = std::iter::once(&obj.stmt)
        .chain(obj.attached.iter())
        .collect();
    let printed: Vec<String> = stmts
        .iter()
        .flat_map(|s| backend::print_stmt(opts.to, s))
        .collect();
    // MySQL stored programs have `;` inside their bodies: the mysql client reads them
    // between `DELIMITER` lines (so does the live test harness).
    let compound =
        opts.to == crate::Target::Mysql && stmts.iter().any(|s| backend::mysql::is_compound(s));
    if compound {
        let delim = delimiter(&printed);
        out.text.push_str("DELIMITER ");
        out.line(&delim);
        for s in &printed {
            out.block(trim_lines(s), &delim);
        }
        out.line("DELIMITER ;");
    } else {
        for s in &printed {
            out.block(trim_lines(s), ";");
        }
    }
    first
}

/// A printed statement without the trailing white space (and so without empty last lines).
fn trim_lines(s: &str) -> &str {
    s.trim_end()
}

/// `$$`, or a longer run of `$` that no statement contains.
fn delimiter(stmts: &[String]) -> String {
    let mut d = "$$".to_string();
    while stmts.iter().any(|s| s.contains(&d)) {
        d.push('$');
    }
    d
}
