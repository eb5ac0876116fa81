//! Fixture tests: `fixtures/convert/<source>/<case>.sql` converted to each target must equal
//! `<case>.<target>.sql` (the output scripts concatenated in apply order), and its findings
//! must equal `<case>.findings.txt` (`<case>.<target>.findings.txt` for targets other than
//! PostgreSQL), one line per finding: `<line>:<col> <CODE> <severity> <message>`, in object
//! order.
//!
//! `<topic>.cases.sql` holds many small cases, each after a line `-- case: <name>`; each case
//! is converted on its own (the lines before it are blanked, so line numbers still point into
//! the cases file) and the expected files hold, per case, the line `-- case: <name>` followed
//! by that case's output (or findings).
//!
//! `UPDATE_EXPECT=1 cargo test --test fixtures` (re)writes the expected files instead of
//! failing; review the diff before committing. A missing expected file is a failure.
//! Targets in REQUIRED_TARGETS must have an expected file; other targets are checked when
//! theirs exists.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

const SOURCES: &[(&str, SourceDialect)] = &[
    ("oracle", SourceDialect::Oracle),
    ("tsql", SourceDialect::Tsql),
    ("ase", SourceDialect::Ase),
];
const TARGETS: &[(&str, Target)] = &[("postgres", Target::Postgres), ("mysql", Target::Mysql)];
const REQUIRED_TARGETS: &[&str] = &["postgres", "mysql"];

const CASE_MARK: &str = "-- case: ";

/// One input file of the fixture tree.
struct Fixture {
    path: PathBuf,
    /// `smoke` for `smoke.sql`, `types.cases` for `types.cases.sql`.
    stem: String,
    is_cases: bool,
}

fn fixtures(dir: &Path) -> Vec<Fixture> {
    let mut v = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return v;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".sql") else {
            continue;
        };
        let is_cases = stem.ends_with(".cases") && !stem[..stem.len() - 6].contains('.');
        if stem.contains('.') && !is_cases {
            continue; // an expected output: `x.postgres.sql`, `x.cases.postgres.sql`
        }
        v.push(Fixture {
            path: e.path(),
            stem: stem.to_string(),
            is_cases,
        });
    }
    v.sort_by(|a, b| a.stem.cmp(&b.stem));
    v
}

/// Converts one text; returns (scripts concatenated, findings lines).
fn convert_text(name: &str, path: &Path, bytes: &[u8], opts: &Options) -> (String, String) {
    let mut map = SourceMap::default();
    map.add(name, Some(path.to_path_buf()), bytes);
    let out = schemac::convert(map, opts);
    let mut text = String::new();
    for s in &out.scripts {
        text.push_str(&s.text);
    }
    let mut findings = String::new();
    for o in &out.module.objects {
        for f in &o.findings {
            let file = out.sources.get(f.span.file);
            let (line, col) = file.line_col(f.span.start);
            let prefix = if file.name == name {
                String::new()
            } else {
                format!("{}:", file.name)
            };
            let _ = writeln!(
                findings,
                "{prefix}{line}:{col} {} {} {}",
                f.code.code,
                f.severity.as_str(),
                f.message.replace(['\n', '\r'], " ")
            );
        }
    }
    (text, findings)
}

/// Cuts a cases file into (name, text) where text keeps the original line numbers (every
/// line outside the case is empty). Text before the first marker must be comments or blank.
fn split_cases(text: &str) -> Result<Vec<(String, String)>, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut starts = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(name) = l.trim_end().strip_prefix(CASE_MARK) {
            starts.push((i, name.trim().to_string()));
        }
    }
    if starts.is_empty() {
        return Err(format!("no `{}<name>` line", CASE_MARK.trim_end()));
    }
    for l in &lines[..starts[0].0] {
        let t = l.trim();
        if !t.is_empty() && !t.starts_with("--") {
            return Err(format!("text before the first case: {t:?}"));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (k, (i, name)) in starts.iter().enumerate() {
        if !seen.insert(name.clone()) {
            return Err(format!("case name `{name}` used twice"));
        }
        let end = starts.get(k + 1).map(|s| s.0).unwrap_or(lines.len());
        let mut t = "\n".repeat(i + 1);
        for l in &lines[i + 1..end] {
            t.push_str(l);
        }
        out.push((name.clone(), t));
    }
    Ok(out)
}

/// (expected scripts, expected findings) for one fixture and target.
fn produce(fx: &Fixture, file_name: &str, opts: &Options) -> Result<(String, String), String> {
    let bytes = std::fs::read(&fx.path).map_err(|e| format!("read: {e}"))?;
    if !fx.is_cases {
        return Ok(convert_text(file_name, &fx.path, &bytes, opts));
    }
    let text = String::from_utf8(bytes).map_err(|_| "cases file is not UTF-8".to_string())?;
    let mut sql = String::new();
    let mut findings = String::new();
    for (name, case) in split_cases(&text)? {
        let (s, f) = convert_text(file_name, &fx.path, case.as_bytes(), opts);
        let _ = writeln!(sql, "{CASE_MARK}{name}");
        sql.push_str(&s);
        let _ = writeln!(findings, "{CASE_MARK}{name}");
        findings.push_str(&f);
    }
    Ok((sql, findings))
}

/// Compares `actual` with the file at `path` (or writes it under UPDATE_EXPECT).
fn check_file(path: &Path, actual: &str, update: bool, failures: &mut Vec<String>) {
    let root = common::root();
    let shown = path.strip_prefix(&root).unwrap_or(path).display();
    let expected = std::fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return;
    }
    if update {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        eprintln!("updated {shown}");
        return;
    }
    match expected {
        None => failures.push(format!(
            "{shown}: expected file missing (run UPDATE_EXPECT=1 cargo test --test fixtures)"
        )),
        Some(e) => failures.push(format!(
            "{shown}: output differs (- expected, + actual):\n{}",
            common::diff(&e, actual, 12)
        )),
    }
}

#[test]
fn convert_fixtures() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| !v.is_empty() && v != "0");
    let base = common::root().join("fixtures/convert");
    let mut failures = Vec::new();
    let mut count = 0;
    for &(src_name, from) in SOURCES {
        for fx in fixtures(&base.join(src_name)) {
            let file_name = format!("{}.sql", fx.stem);
            for &(tgt_name, to) in TARGETS {
                let expect_sql = fx
                    .path
                    .with_file_name(format!("{}.{tgt_name}.sql", fx.stem));
                let expect_findings = fx.path.with_file_name(if tgt_name == "postgres" {
                    format!("{}.findings.txt", fx.stem)
                } else {
                    format!("{}.{tgt_name}.findings.txt", fx.stem)
                });
                if !REQUIRED_TARGETS.contains(&tgt_name) && !expect_sql.exists() {
                    continue;
                }
                count += 1;
                let opts = Options::new(from, to);
                let r = std::panic::catch_unwind(|| produce(&fx, &file_name, &opts));
                match r {
                    Ok(Ok((sql, findings))) => {
                        check_file(&expect_sql, &sql, update, &mut failures);
                        check_file(&expect_findings, &findings, update, &mut failures);
                    }
                    Ok(Err(e)) => failures.push(format!("{}: {e}", fx.path.display())),
                    Err(_) => failures.push(format!(
                        "{}: convert panicked ({src_name} -> {tgt_name})",
                        fx.path.display()
                    )),
                }
            }
        }
    }
    eprintln!("fixtures: {count} conversions checked");
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn split_cases_keeps_line_numbers() {
    let t = "-- intro\n-- case: a\nselect 1;\n-- case: b\nselect 2;\n";
    let c = split_cases(t).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].0, "a");
    assert_eq!(c[0].1, "\n\nselect 1;\n");
    assert_eq!(c[1].1, "\n\n\n\nselect 2;\n");
    assert!(split_cases("select 1;\n-- case: a\n").is_err());
    assert!(split_cases("-- case: a\n-- case: a\n").is_err());
}
