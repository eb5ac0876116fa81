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
    // Objects by section, in module order (one pass over the objects).
    let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); Section::ALL.len()];
    for (i, o) in module.objects.iter().enumerate() {
        if let Some(k) = o
            .section
            .and_then(|s| Section::ALL.iter().position(|&x| x == s))
        {
            by_section[k].push(i);
        }
    }
    // Per file, the last line found (objects of a section come mostly in source order).
    let mut line_hints = vec![0u32; sources.files.len()];
    for (section, members) in Section::ALL.into_iter().zip(by_section) {
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
            let line = write_object(&mut out, obj, sources, opts, &mut line_hints);
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
        self.lines += count_newlines(s.as_bytes()) + 1;
        self.text.push_str(s);
        self.text.push_str(end);
        self.text.push('\n');
    }
}

/// Number of `\n` bytes in `b` (eight bytes at a time).
fn count_newlines(b: &[u8]) -> u32 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut n = 0u32;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w =
            u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) ^ (ONES * 0x0a);
        // A zero byte of `w` is a newline of `c`: set its high bit, count the high bits.
        let z = !(((w & !(ONES << 7)) + !(ONES << 7)) | w | !(ONES << 7));
        n += z.count_ones();
    }
    n + chunks.remainder().iter().filter(|&&x| x == b'\n').count() as u32
}

/// The header line of an object: `-- schemac: TABLE hr.regions (hr_cre.sql:73)`.
pub fn header(obj: &Object, sources: &SourceMap) -> String {
    let mut s = String::new();
    write_header(&mut s, obj, sources, None);
    s
}

fn write_header(out: &mut String, obj: &Object, sources: &SourceMap, hints: Option<&mut [u32]>) {
    use std::fmt::Write;
    let file = sources.get(obj.span.file);
    let line = match hints.and_then(|h| h.get_mut(obj.span.file.0 as usize)) {
        Some(hint) => file.line_hinted(obj.span.start, hint),
        None => file.line(obj.span.start),
    };
    out.push_str("-- schemac: ");
    for c in obj.kind.as_str().chars() {
        out.push(if c == '_' {
            ' '
        } else {
            c.to_ascii_uppercase()
        });
    }
    if let Some(n) = &obj.name {
        // `QName::display`, written in place.
        if n.parts.iter().any(|p| !p.value.is_empty()) || n.parts.len() > 1 {
            out.push(' ');
            for (i, p) in n.parts.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(&p.value);
            }
        }
    }
    out.push_str(" (");
    out.push_str(&file.name);
    let _ = write!(out, ":{line})");
}

/// Writes one object; returns the 1-based line of its first statement (or of its first
/// commented-out line, or of the `DELIMITER` line before a MySQL stored program).
fn write_object(
    out: &mut Writer,
    obj: &Object,
    sources: &SourceMap,
    opts: &Options,
    line_hints: &mut [u32],
) -> u32 {
    write_header(&mut out.text, obj, sources, Some(line_hints));
    out.line("");
    for f in &obj.findings {
        let t = &mut out.text;
        t.push_str("-- ");
        t.push_str(f.code.code);
        t.push(' ');
        t.push_str(f.severity.as_str());
        t.push_str(": ");
        // One line: line breaks in a message become spaces.
        let mut rest = f.message.as_str();
        while let Some(i) = rest.find(['\n', '\r']) {
            t.push_str(&rest[..i]);
            t.push(' ');
            rest = &rest[i + 1..];
        }
        t.push_str(rest);
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
    let stmts = || std::iter::once(&obj.stmt).chain(obj.attached.iter());
    let mut printed = backend::print_stmt(opts.to, &obj.stmt);
    for s in &obj.attached {
        printed.append(&mut backend::print_stmt(opts.to, s));
    }
    // MySQL stored programs have `;` inside their bodies: the mysql client reads them
    // between `DELIMITER` lines (so does the live test harness).
    let compound = opts.to == crate::Target::Mysql && stmts().any(backend::mysql::is_compound);
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
