//! `report.csv` (one row per finding) and `report_summary.csv` (one row per object kind).
//!
//! RFC 4180: comma-separated, CRLF line ends, a header row, fields quoted when they contain a
//! comma, a quote, CR or LF (quotes doubled). Text fields that a spreadsheet would read as a
//! formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading `'`, so a crafted object
//! name cannot run a formula when the file is opened in a spreadsheet.

use super::Report;
use super::effort::fmt_num;

/// Columns of `report.csv`.
pub const FINDING_COLUMNS: &[&str] = &[
    "code",
    "severity",
    "category",
    "message",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "object",
    "object_kind",
    "schema",
    "hours",
];

/// Columns of `report_summary.csv`.
pub const SUMMARY_COLUMNS: &[&str] = &[
    "kind",
    "class",
    "total",
    "converted",
    "review",
    "manual",
    "blocker",
    "hours",
];

/// A text field: formula-safe and quoted as needed.
fn text(out: &mut String, s: &str) {
    let guarded = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes = guarded || s.contains([',', '"', '\r', '\n']);
    if needs_quotes {
        out.push('"');
        if guarded {
            out.push('\'');
        }
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn row(out: &mut String, fields: &[Field]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match f {
            Field::Text(s) => text(out, s),
            Field::Num(n) => out.push_str(n),
        }
    }
    out.push_str("\r\n");
}

enum Field<'a> {
    Text(&'a str),
    Num(String),
}

fn header(out: &mut String, cols: &[&str]) {
    let fields: Vec<Field> = cols.iter().map(|c| Field::Text(c)).collect();
    row(out, &fields);
}

/// `report.csv`: one row per finding, in `findings[]` order.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::with_capacity(report.findings.len() * 160 + 200);
    header(&mut out, FINDING_COLUMNS);
    for f in &report.findings {
        row(
            &mut out,
            &[
                Field::Text(f.code),
                Field::Text(f.severity.as_str()),
                Field::Text(f.category),
                Field::Text(&f.message),
                Field::Text(&f.file),
                Field::Num(f.line.to_string()),
                Field::Num(f.column.to_string()),
                Field::Num(f.end_line.to_string()),
                Field::Num(f.end_column.to_string()),
                Field::Text(&f.object),
                Field::Text(f.object_kind.as_str()),
                Field::Text(&f.schema),
                Field::Num(fmt_num(f.hours)),
            ],
        );
    }
    out
}

/// `report_summary.csv`: one row per object kind (reported objects), then a `total` row.
/// `class` is `storage`, `code` or `other`, as the assessment sentence counts them.
pub fn to_summary_csv(report: &Report) -> String {
    let mut out = String::new();
    header(&mut out, SUMMARY_COLUMNS);
    let s = &report.summary;
    for k in &s.objects_by_kind {
        let class = if k.kind.is_storage() {
            "storage"
        } else if k.kind.is_code() {
            "code"
        } else {
            "other"
        };
        let c = &k.counts;
        row(
            &mut out,
            &[
                Field::Text(k.kind.as_str()),
                Field::Text(class),
                Field::Num(c.total.to_string()),
                Field::Num(c.converted.to_string()),
                Field::Num(c.review.to_string()),
                Field::Num(c.manual.to_string()),
                Field::Num(c.blocker.to_string()),
                Field::Num(fmt_num(k.hours)),
            ],
        );
    }
    let c = &s.objects;
    let kinds_hours: f64 = s.objects_by_kind.iter().map(|k| k.hours).sum();
    row(
        &mut out,
        &[
            Field::Text("total"),
            Field::Text(""),
            Field::Num(c.total.to_string()),
            Field::Num(c.converted.to_string()),
            Field::Num(c.review.to_string()),
            Field::Num(c.manual.to_string()),
            Field::Num(c.blocker.to_string()),
            Field::Num(fmt_num((kinds_hours * 100.0).round() / 100.0)),
        ],
    );
    out
}

/// Reads a CSV produced by [`to_csv`] / [`to_summary_csv`] back into rows (for tests and
/// tools; undoes the quoting, keeps the formula guard).
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            c => field.push(c),
        }
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formula_guard() {
        let mut s = String::new();
        for v in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "=HYPERLINK(\"x\")",
            "-1",
            "@SUM",
            "",
        ] {
            text(&mut s, v);
            s.push('|');
        }
        assert_eq!(
            s,
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"'=HYPERLINK(\"\"x\"\")\"|\"'-1\"|\"'@SUM\"||"
        );
    }

    #[test]
    fn parse_round_trips() {
        let mut s = String::new();
        row(
            &mut s,
            &[
                Field::Text("a,b"),
                Field::Text("q\"q"),
                Field::Text("l1\r\nl2"),
                Field::Num("3".into()),
                Field::Text(""),
            ],
        );
        row(&mut s, &[Field::Text("x")]);
        assert_eq!(
            parse(&s),
            [vec!["a,b", "q\"q", "l1\r\nl2", "3", ""], vec!["x"]]
        );
    }
}
