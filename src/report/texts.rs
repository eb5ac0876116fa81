//! The source and converted text of each reported object, for the side-by-side view of the
//! HTML report.
//!
//! The source is the object's span in its file, widened back to the start of its first line.
//! The converted text is the object's part of its output script: from its header line
//! (`-- schemac: ...`) at or before `Placement::line` up to the next header line of the same
//! script (trailing blank lines dropped).

use std::collections::HashMap;

use crate::Script;
use crate::ir::Object;
use crate::source::SourceMap;

use super::ObjectText;

const HEADER: &str = "-- schemac: ";

struct Indexed<'a> {
    text: &'a str,
    /// Byte offset of the start of each line (line n is `starts[n - 1]`).
    starts: Vec<usize>,
    /// 1-based numbers of the header lines, ascending.
    headers: Vec<u32>,
}

pub(super) struct ScriptIndex<'a> {
    scripts: HashMap<&'a str, Indexed<'a>>,
}

impl<'a> ScriptIndex<'a> {
    pub(super) fn new(scripts: &'a [Script]) -> ScriptIndex<'a> {
        let mut map = HashMap::new();
        for s in scripts {
            let text = s.text.as_str();
            let mut starts = vec![0usize];
            starts.extend(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            if starts.last() == Some(&text.len()) && starts.len() > 1 {
                starts.pop();
            }
            let headers = starts
                .iter()
                .enumerate()
                .filter(|&(_, &st)| text[st..].starts_with(HEADER))
                .map(|(i, _)| i as u32 + 1)
                .collect();
            map.entry(s.name.as_str()).or_insert(Indexed {
                text,
                starts,
                headers,
            });
        }
        ScriptIndex { scripts: map }
    }

    /// The object's text in script `file` whose first statement is at `line`, and the line
    /// number its text starts at; `("", line)` when the script or the line does not exist.
    pub(super) fn object_text(&self, file: &str, line: u32) -> (String, u32) {
        let Some(s) = self.scripts.get(file) else {
            return (String::new(), line);
        };
        let n = s.starts.len() as u32;
        if line == 0 || line > n {
            return (String::new(), line);
        }
        // The last header at or before `line`, the first one after it.
        let after = s.headers.partition_point(|&h| h <= line);
        let first = if after > 0 {
            s.headers[after - 1]
        } else {
            line
        };
        let end_line = s.headers.get(after).copied().unwrap_or(n + 1);
        let start = s.starts[first as usize - 1];
        let end = if end_line > n {
            s.text.len()
        } else {
            s.starts[end_line as usize - 1]
        };
        let text = s.text.get(start..end).unwrap_or("").trim_end();
        (text.to_string(), first)
    }
}

/// The object's source text with the marks of its findings (`first_finding` is the index in
/// `findings[]` of its first finding).
pub(super) fn source_text(sources: &SourceMap, obj: &Object, first_finding: usize) -> ObjectText {
    let Some(file) = sources.files.get(obj.span.file.0 as usize) else {
        return ObjectText::default();
    };
    let text = file.text.as_str();
    let len = text.len();
    let mut end = (obj.span.end as usize).min(len);
    let mut start = (obj.span.start as usize).min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // Back to the start of the line.
    start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let source = &text[start..end];
    let mut marks = Vec::new();
    for (k, f) in obj.findings.iter().enumerate() {
        if f.span.file != obj.span.file {
            continue;
        }
        let (fs, fe) = (f.span.start as usize, f.span.end as usize);
        if fs < start || fs > end {
            continue;
        }
        let fe = fe.clamp(fs, end);
        let u_start = utf16_len(text, start, fs);
        let mut u_end = u_start + utf16_len(text, fs, fe);
        if u_end == u_start {
            // An empty span: mark the character it points at, if any.
            u_end = u_start + utf16_len(text, fs, next_boundary(text, fs, end));
        }
        marks.push((u_start, u_end, first_finding + k));
    }
    ObjectText {
        source: source.to_string(),
        source_line: file.line(start as u32),
        marks,
        output: String::new(),
        output_line: 0,
    }
}

fn next_boundary(text: &str, at: usize, limit: usize) -> usize {
    let mut e = (at + 1).min(limit);
    while e < limit && !text.is_char_boundary(e) {
        e += 1;
    }
    e.max(at)
}

/// UTF-16 length of `text[a..b]`, with `a` and `b` moved to char boundaries.
fn utf16_len(text: &str, a: usize, b: usize) -> u32 {
    let mut a = a.min(text.len());
    let mut b = b.min(text.len()).max(a);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    text[a..b].encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_text_runs_to_the_next_header() {
        let scripts = vec![Script {
            name: "postgres/30_tables.sql".into(),
            text: "-- schemac 0.1.0: oracle -> postgres, 30_tables.sql\n\n\
                   -- schemac: TABLE a (x.sql:1)\n-- TYP001 info: m\nCREATE TABLE a ();\n\n\
                   -- schemac: TABLE b (x.sql:2)\nCREATE TABLE b (\n  x int\n);\n"
                .into(),
        }];
        let idx = ScriptIndex::new(&scripts);
        let (a, line) = idx.object_text("postgres/30_tables.sql", 5);
        assert_eq!(line, 3);
        assert_eq!(
            a,
            "-- schemac: TABLE a (x.sql:1)\n-- TYP001 info: m\nCREATE TABLE a ();"
        );
        let (b, line) = idx.object_text("postgres/30_tables.sql", 8);
        assert_eq!(line, 7);
        assert!(b.ends_with("x int\n);"), "{b}");
        assert_eq!(idx.object_text("postgres/30_tables.sql", 99).0, "");
        assert_eq!(idx.object_text("postgres/30_tables.sql", 0).0, "");
        assert_eq!(idx.object_text("nope.sql", 1).0, "");
    }

    #[test]
    fn utf16_offsets() {
        let t = "é𝄞x";
        assert_eq!(utf16_len(t, 0, t.len()), 4);
        // Offsets inside a character move outwards: 0..6 is 'é' and '𝄞'.
        assert_eq!(utf16_len(t, 1, 3), 3);
        assert_eq!(utf16_len(t, 0, 2), 1);
        assert_eq!(utf16_len(t, 99, 100), 0);
    }
}
