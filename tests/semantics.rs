//! Semantics, not just syntax: every Oracle expression in fixtures/semantics/oracle.toml is
//! converted as `SELECT <expr> FROM DUAL` to each target, run on the real server (PostgreSQL;
//! MariaDB for MySQL) and its value is compared with the one Oracle documents.
//!
//! One case table serves every target. A case that a target cannot evaluate says so for that
//! target, with the finding the converter raises for it and why:
//! `mysql = { finding = "TGT004", why = "..." }` (or `postgres = {...}`). The test checks
//! that the conversion does raise that finding, so a mark cannot outlive its reason; an
//! unmarked case must convert without manual or blocker findings and give Oracle's value.
//! Wrong output known today and not flagged yet is marked `{ fixme = "..." }`: the case is
//! still run, reported, and must still differ (a fix makes the test ask for the mark's
//! removal), as `-- FIXME:` lines do in expected files.

mod common;

use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mark {
    /// The action-item code the conversion raises for this case.
    finding: Option<String>,
    why: Option<String>,
    /// Known wrong output without a finding yet.
    fixme: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expr: String,
    expect: String,
    postgres: Option<Mark>,
    mysql: Option<Mark>,
}

impl Case {
    fn mark(&self, to: Target) -> Option<&Mark> {
        match to {
            Target::Postgres => self.postgres.as_ref(),
            Target::Mysql => self.mysql.as_ref(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(common::root().join("fixtures/semantics/oracle.toml"))
        .expect("fixtures/semantics/oracle.toml");
    let cases: Cases = toml::from_str(&text).expect("valid cases file");
    assert!(cases.case.len() >= 50, "the cases file lost its cases");
    cases.case
}

struct Converted {
    /// The `SELECT` of the view, without comments.
    body: Option<String>,
    /// Codes of every finding.
    codes: Vec<String>,
    /// Manual and blocker findings, as `CODE message`.
    blocking: Vec<String>,
}

fn convert(expr: &str, to: Target) -> Converted {
    // A standalone query is a script statement; the expression is converted as a view body.
    let mut map = SourceMap::default();
    map.add_text(
        "case.sql",
        format!("CREATE VIEW v AS SELECT {expr} AS v FROM DUAL;\n"),
    );
    let out = schemac::convert(map, &Options::new(SourceDialect::Oracle, to));
    let sql: String = out
        .scripts
        .iter()
        .flat_map(|s| s.text.lines())
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let findings = || out.module.objects.iter().flat_map(|o| o.findings.iter());
    Converted {
        body: sql
            .split_once(" AS\n")
            .map(|(_, b)| b.trim().trim_end_matches(';').to_string()),
        codes: findings().map(|f| f.code.code.to_string()).collect(),
        blocking: findings()
            .filter(|f| f.severity >= schemac::diag::Severity::Manual)
            .map(|f| format!("{} {}", f.code.code, f.message))
            .collect(),
    }
}

fn same(expect: &str, got: &str) -> bool {
    if expect == got {
        return true;
    }
    match (expect.parse::<f64>(), got.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        _ => false,
    }
}

/// Runs every case on one target: `eval` gives the value as text ("NULL" for NULL) or the
/// server's error. Returns (passed, marked).
fn run(to: Target, mut eval: impl FnMut(&str) -> Result<String, String>) -> (usize, usize) {
    let cases = cases();
    let mut failures = Vec::new();
    let (mut passed, mut marked, mut fixmes) = (0, 0, 0);
    for c in &cases {
        let conv = convert(&c.expr, to);
        let mark = c.mark(to);
        if let Some(m) = mark {
            match (&m.finding, &m.why, &m.fixme) {
                (Some(code), Some(why), None) if !why.trim().is_empty() => {
                    if !conv.codes.contains(code) {
                        failures.push(format!(
                            "{}: marked {code} for {to:?} ({why}), but the conversion raises {:?}",
                            c.expr, conv.codes
                        ));
                    } else {
                        marked += 1;
                    }
                    continue;
                }
                (None, None, Some(f)) if !f.trim().is_empty() => {}
                _ => {
                    failures.push(format!(
                        "{}: a {to:?} mark needs either finding and why, or fixme",
                        c.expr
                    ));
                    continue;
                }
            }
        }
        let fixme = mark.and_then(|m| m.fixme.as_deref());
        if !conv.blocking.is_empty() {
            failures.push(format!(
                "{}: converted with findings {:?}",
                c.expr, conv.blocking
            ));
            continue;
        }
        let Some(body) = conv.body else {
            failures.push(format!("{}: no view body", c.expr));
            continue;
        };
        let got = eval(&body);
        if let Some(f) = fixme {
            match got {
                Ok(v) if same(&c.expect, &v) => failures.push(format!(
                    "{}: marked FIXME for {to:?} ({f}) but gives Oracle's value: remove the mark",
                    c.expr
                )),
                other => {
                    fixmes += 1;
                    eprintln!("FIXME {to:?}: {} ({f}): {other:?}", c.expr);
                }
            }
            continue;
        }
        match got {
            Ok(got) if same(&c.expect, &got) => passed += 1,
            Ok(got) => failures.push(format!(
                "{}\n    expected {:?}, {to:?} gave {:?}\n    converted: {}",
                c.expr, c.expect, got, body
            )),
            Err(e) => failures.push(format!(
                "{}\n    server: {}\n    converted: {}",
                c.expr, e, body
            )),
        }
    }
    eprintln!(
        "semantics {to:?}: {} cases, {passed} give Oracle's value, {marked} marked with a \
         finding, {fixmes} known wrong (FIXME)",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} expressions differ from Oracle on {to:?}:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    (passed, marked)
}

#[test]
fn oracle_functions_on_postgres() {
    let Some(conninfo) = common::pg_conninfo("semantics") else {
        return;
    };
    let mut client = common::fresh_db(&conninfo, "semantics");
    run(Target::Postgres, |body| {
        // Timestamps print as 'YYYY-MM-DD HH24:MI:SS[.fff]' in PostgreSQL's text form.
        let q = format!("SELECT coalesce(v::text, 'NULL') FROM ({body}) AS t");
        client
            .query_one(q.as_str(), &[])
            .map(|row| row.get::<_, String>(0))
            .map_err(|e| common::err_text(&e))
    });
}

/// A DATETIME(6) prints its six fractional digits ('10:11:12.123000'); Oracle's documented
/// values, like PostgreSQL's text form, show the significant ones.
fn trim_fraction(v: String) -> String {
    let b = v.as_bytes();
    let is_ts = b.len() > 20
        && b[4] == b'-'
        && b[10] == b' '
        && b[19] == b'.'
        && b[20..].iter().all(|c| c.is_ascii_digit());
    if is_ts {
        v.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        v
    }
}

#[test]
fn oracle_functions_on_mysql() {
    use mysql::prelude::Queryable;
    let Some(info) = common::my::my_info("semantics (mysql)") else {
        return;
    };
    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    common::my::reset(&mut conn);
    run(Target::Mysql, |body| {
        let q = format!("SELECT coalesce(cast(v AS char), 'NULL') FROM ({body}) AS t");
        conn.query_first::<String, _>(q)
            .map_err(|e| e.to_string())
            .and_then(|v| v.ok_or_else(|| "no row".to_string()))
            .map(trim_fraction)
    });
}
