//! Semantics, not just syntax: every Oracle expression in fixtures/semantics/oracle.toml is
//! converted as `SELECT <expr> FROM DUAL`, run on the real PostgreSQL server, and its value is
//! compared with the one Oracle documents. A case whose conversion carries a manual or blocker
//! finding must say so in the file (`unsupported = true`) instead.

mod common;

use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expr: String,
    expect: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

/// The converted `SELECT` of one expression, without comments.
fn convert(expr: &str) -> (String, Vec<String>) {
    // A standalone query is a script statement; the expression is converted as a view body.
    let mut map = SourceMap::default();
    map.add_text(
        "case.sql",
        format!("CREATE VIEW v AS SELECT {expr} AS v FROM DUAL;\n"),
    );
    let out = schemac::convert(map, &Options::new(SourceDialect::Oracle, Target::Postgres));
    let sql: String = out
        .scripts
        .iter()
        .flat_map(|s| s.text.lines())
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let findings: Vec<String> = out
        .module
        .objects
        .iter()
        .flat_map(|o| o.findings.iter())
        .filter(|f| f.severity >= schemac::diag::Severity::Manual)
        .map(|f| format!("{} {}", f.code.code, f.message))
        .collect();
    (sql, findings)
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

#[test]
fn oracle_functions_on_postgres() {
    let text = std::fs::read_to_string(common::root().join("fixtures/semantics/oracle.toml"))
        .expect("fixtures/semantics/oracle.toml");
    let cases: Cases = toml::from_str(&text).expect("valid cases file");
    assert!(cases.case.len() >= 50, "the cases file lost its cases");
    let Some(conninfo) = common::pg_conninfo("semantics") else {
        return;
    };
    let mut client = common::fresh_db(&conninfo, "semantics");
    let mut failures = Vec::new();
    for c in &cases.case {
        let (sql, findings) = convert(&c.expr);
        if !findings.is_empty() {
            failures.push(format!("{}: converted with findings {findings:?}", c.expr));
            continue;
        }
        let Some(body) = sql
            .split_once(" AS\n")
            .map(|(_, b)| b.trim().trim_end_matches(';'))
        else {
            failures.push(format!("{}: no view body in {sql}", c.expr));
            continue;
        };
        // Timestamps print as 'YYYY-MM-DD HH24:MI:SS[.fff]' in PostgreSQL's text form.
        let q = format!("SELECT coalesce(v::text, 'NULL') FROM ({body}) AS t");
        match client.query_one(q.as_str(), &[]) {
            Ok(row) => {
                let got: String = row.get(0);
                if !same(&c.expect, &got) {
                    failures.push(format!(
                        "{}\n    expected {:?}, PostgreSQL gave {:?}\n    converted: {}",
                        c.expr, c.expect, got, body
                    ));
                }
            }
            Err(e) => failures.push(format!(
                "{}\n    server: {}\n    converted: {}",
                c.expr,
                common::err_text(&e),
                body
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} expressions differ from Oracle:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}
