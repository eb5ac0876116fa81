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
    fn block(&mut self, s: &str) {
        for l in s.lines() {
            self.line(l);
        }
    }
}

/// The header line of an object: `-- schemac: TABLE hr.regions (hr_cre.sql:73)`.
pub fn header(obj: &Object, sources: &SourceMap) -> String {
    let file = sources.get(obj.span.file);
    let line = file.line(obj.span.start);
    let kind = obj.kind.as_str().to_uppercase().replace('_', " ");
    let name = obj.display_name();
    if name.is_empty() {
        format!("-- schemac: {kind} ({}:{line})", file.name)
    } else {
        format!("-- schemac: {kind} {name} ({}:{line})", file.name)
    }
}

/// Writes one object; returns the 1-based line of its first statement (or of its first
/// commented-out line, or of the `DELIMITER` line before a MySQL stored program).
fn write_object(out: &mut Writer, obj: &Object, sources: &SourceMap, opts: &Options) -> u32 {
    out.line(&header(obj, sources));
    for f in &obj.findings {
        out.line(&format!(
            "-- {} {}: {}",
            f.code.code,
            f.severity.as_str(),
            one_line(&f.message)
        ));
    }
    let first = out.lines + 1;
    if obj.commented_out {
        let src = sources.get(obj.span.file).slice(obj.span);
        for l in src.lines() {
            out.line(&format!("-- {l}"));
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
        out.line(&format!("DELIMITER {delim}"));
        for s in &printed {
            out.block(&format!("{}{delim}", s.trim_end()));
        }
        out.line("DELIMITER ;");
    } else {
        for s in &printed {
            out.block(&format!("{};", s.trim_end()));
        }
    }
    first
}

/// `$$`, or a longer run of `$` that no statement contains.
fn delimiter(stmts: &[String]) -> String {
    let mut d = "$$".to_string();
    while stmts.iter().any(|s| s.contains(&d)) {
        d.push('$');
    }
    d
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
