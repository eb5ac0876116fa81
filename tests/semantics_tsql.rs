//! Semantics of converted T-SQL, on the real servers: every expression in
//! fixtures/semantics/tsql.toml is converted from SQL Server and/or SAP ASE as
//! `CREATE VIEW v AS SELECT <expr> AS v`, evaluated on PostgreSQL and on MySQL (MariaDB in
//! scripts/test), and its value is compared with the one SQL Server / ASE document.
//!
//! A case that does not give the documented value on a target must say so in the file
//! (`differs = { target = "CODE: reason" }`), and the converter must raise CODE for it; a case
//! whose conversion carries a manual or blocker finding must be marked `unsupported = "CODE"`.
//! A marked case that starts giving the documented value fails the test, so markers are
//! removed when the converter improves.

mod common;

use std::collections::BTreeMap;

use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expr: String,
    expect: String,
    /// `tsql` or `ase`; both when absent.
    flavor: Option<String>,
    #[serde(default)]
    differs: BTreeMap<String, String>,
    unsupported: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(common::root().join("fixtures/semantics/tsql.toml"))
        .expect("fixtures/semantics/tsql.toml");
    let cases: Cases = toml::from_str(&text).expect("valid cases file");
    assert!(cases.case.len() >= 80, "the cases file lost its cases");
    cases.case
}

struct Converted {
    /// The view's query, without the trailing `;`.
    body: Option<String>,
    /// Every finding code.
    codes: Vec<String>,
    /// Manual and blocker findings.
    serious: Vec<String>,
}

fn convert(expr: &str, from: SourceDialect, to: Target) -> Converted {
    let mut map = SourceMap::default();
    map.add_text(
        "case.sql",
        format!("CREATE VIEW v AS SELECT {expr} AS v\nGO\n"),
    );
    let out = schemac::convert(map, &Options::new(from, to));
    let sql: String = out
        .scripts
        .iter()
        .flat_map(|s| s.text.lines())
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let findings = out.module.objects.iter().flat_map(|o| o.findings.iter());
    let codes = findings.clone().map(|f| f.code.code.to_string()).collect();
    let serious = findings
        .filter(|f| f.severity >= schemac::diag::Severity::Manual)
        .map(|f| format!("{} {}", f.code.code, f.message))
        .collect();
    let body = sql
        .split_once(" AS\n")
        .map(|(_, b)| b.trim().trim_end_matches(';').to_string());
    Converted {
        body,
        codes,
        serious,
    }
}

/// Datetimes without a zero fraction or a zero time: `2021-02-28 00:00:00.000` and
/// `2021-02-28` are the same value.
fn norm(s: &str) -> String {
    let b = s.as_bytes();
    let datetime = s.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':';
    if !datetime {
        return s.to_string();
    }
    let mut t = s.to_string();
    if t.contains('.') {
        t = t.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    t.strip_suffix(" 00:00:00").map(str::to_string).unwrap_or(t)
}

fn same(expect: &str, got: &str) -> bool {
    if expect == got || norm(expect) == norm(got) {
        return true;
    }
    match (expect.parse::<f64>(), got.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        _ => false,
    }
}

fn flavors(c: &Case) -> Vec<(&'static str, SourceDialect)> {
    match c.flavor.as_deref() {
        Some("tsql") => vec![("tsql", SourceDialect::Tsql)],
        Some("ase") => vec![("ase", SourceDialect::Ase)],
        Some(other) => panic!("unknown flavor {other}"),
        None => vec![("tsql", SourceDialect::Tsql), ("ase", SourceDialect::Ase)],
    }
}

/// Runs every case on one target with `eval(body) -> Ok(value as text) | Err(server error)`.
fn run(target: Target, mut eval: impl FnMut(&str) -> Result<String, String>) {
    let tname = match target {
        Target::Postgres => "postgres",
        Target::Mysql => "mysql",
    };
    let mut failures = Vec::new();
    let (mut passed, mut marked, mut total) = (0, 0, 0);
    for c in &cases() {
        for (fname, from) in flavors(c) {
            total += 1;
            let what = format!("[{fname} -> {tname}] {}", c.expr);
            let conv = convert(&c.expr, from, target);
            if let Some(code) = &c.unsupported {
                if !conv.codes.iter().any(|x| x == code) {
                    failures.push(format!(
                        "{what}: marked unsupported ({code}) but not raised"
                    ));
                }
                marked += 1;
                continue;
            }
            if !conv.serious.is_empty() {
                failures.push(format!(
                    "{what}: converted with findings {:?}",
                    conv.serious
                ));
                continue;
            }
            let Some(body) = &conv.body else {
                failures.push(format!("{what}: no view body"));
                continue;
            };
            let got = eval(body);
            let ok = matches!(&got, Ok(v) if same(&c.expect, v));
            match (c.differs.get(tname), ok) {
                (None, true) => passed += 1,
                (None, false) => failures.push(format!(
                    "{what}\n    expected {:?}, the server gave {:?}\n    converted: {body}",
                    c.expect, got
                )),
                (Some(why), false) => {
                    let code = why.split(':').next().unwrap_or("").trim();
                    if !conv.codes.iter().any(|x| x == code) {
                        failures.push(format!(
                            "{what}: marked as differing ({why}) but {code} is not raised"
                        ));
                    }
                    marked += 1;
                }
                (Some(why), true) => failures.push(format!(
                    "{what}: marked as differing ({why}) but gives the documented value now: \
                     remove the marker"
                )),
            }
        }
    }
    eprintln!("semantics_tsql {tname}: {passed} of {total} cases pass, {marked} marked");
    assert!(
        failures.is_empty(),
        "{} of {total} T-SQL cases differ on {tname}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn tsql_expressions_on_postgres() {
    let Some(conninfo) = common::pg_conninfo("semantics_tsql") else {
        return;
    };
    let mut client = common::fresh_db(&conninfo, "semantics_tsql");
    run(Target::Postgres, |body| {
        let q = format!("SELECT coalesce(v::text, 'NULL') FROM ({body}) AS t");
        client
            .query_one(q.as_str(), &[])
            .map(|r| r.get::<_, String>(0))
            .map_err(|e| common::err_text(&e))
    });
}

#[test]
fn tsql_expressions_on_mysql() {
    use mysql::prelude::Queryable;
    let Some(info) = common::my::my_info("semantics_tsql") else {
        return;
    };
    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    common::my::reset(&mut conn);
    run(Target::Mysql, |body| {
        let q = format!("SELECT COALESCE(CAST(v AS CHAR), 'NULL') FROM ({body}) AS t");
        conn.query_first::<String, _>(q)
            .map_err(|e| e.to_string())
            .and_then(|v| v.ok_or_else(|| "no row".to_string()))
    });
}

// ---------------------------------------------------------------------------------------------
// Partition functions: rows land in the partition SQL Server puts them in
// ---------------------------------------------------------------------------------------------

/// (source, fixture, table, partitions with their rows) as SQL Server and ASE place rows:
/// RANGE RIGHT boundaries start a partition, RANGE LEFT boundaries and ASE `values <=` bounds
/// end one.
/// Partition names with their expected row counts.
type Placement = &'static [(&'static str, i64)];

const PARTITION_ROWS: &[(&str, &str, Placement)] = &[
    // RIGHT ('2020-01-01', '2021-01-01', '2022-01-01'): 2019-06-30 | 2020-01-01 | - | 2022-03-01
    (
        "tsql",
        "orderhistory",
        &[
            ("orderhistory_p0", 1),
            ("orderhistory_p1", 1),
            ("orderhistory_p2", 0),
            ("orderhistory_p3", 1),
        ],
    ),
    // LEFT (10, 20): 10 | 11, 20 | 21
    (
        "tsql",
        "regionsales",
        &[
            ("regionsales_p0", 1),
            ("regionsales_p1", 2),
            ("regionsales_p2", 1),
        ],
    ),
    // LEFT ('2021-12-31 23:59:59') on datetime2(0): the boundary itself | the next second
    (
        "tsql",
        "dailylog",
        &[("dailylog_p0", 1), ("dailylog_p1", 1)],
    ),
    // ASE values <= ('12/31/1996'), <= ('Dec 31 1997'), <= (MAX): one row each
    (
        "ase",
        "sales_hist",
        &[
            ("sales_hist_p1996", 1),
            ("sales_hist_p1997", 1),
            ("sales_hist_pmax", 1),
        ],
    ),
];

fn partition_chunks(source: &str, to: Target) -> Vec<common::Chunk> {
    let path = common::root().join(format!("fixtures/convert/{source}/partitions.sql"));
    let from = if source == "ase" {
        SourceDialect::Ase
    } else {
        SourceDialect::Tsql
    };
    let mut map = SourceMap::default();
    map.add_text(
        "partitions.sql",
        std::fs::read_to_string(path).expect("partitions fixture"),
    );
    let out = schemac::convert(map, &Options::new(from, to));
    out.scripts
        .iter()
        .flat_map(|s| common::split_chunks(&s.name, &s.text))
        .collect()
}

#[test]
fn partition_boundaries_on_postgres() {
    let Some(conninfo) = common::pg_conninfo("semantics_tsql partitions") else {
        return;
    };
    for source in ["tsql", "ase"] {
        let mut client = common::fresh_db(&conninfo, &format!("semantics_{source}_partitions"));
        let (problems, _) = common::apply_and_check(
            &mut client,
            &partition_chunks(source, Target::Postgres),
            false,
        );
        assert!(problems.is_empty(), "{problems:?}");
        for (src, table, parts) in PARTITION_ROWS {
            if *src != source {
                continue;
            }
            for (part, want) in *parts {
                let q = format!("SELECT count(*) FROM {part}");
                let got: i64 = client.query_one(q.as_str(), &[]).expect(&q).get(0);
                assert_eq!(got, *want, "{table} partition {part}: rows on PostgreSQL");
            }
        }
    }
}

#[test]
fn partition_boundaries_on_mysql() {
    use mysql::prelude::Queryable;
    let Some(info) = common::my::my_info("semantics_tsql partitions") else {
        return;
    };
    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    for source in ["tsql", "ase"] {
        common::my::reset(&mut conn);
        let (problems, _) =
            common::my::apply_and_check(&mut conn, &partition_chunks(source, Target::Mysql));
        assert!(problems.is_empty(), "{problems:?}");
        for (src, table, parts) in PARTITION_ROWS {
            if *src != source {
                continue;
            }
            for (part, want) in *parts {
                let q = format!("SELECT count(*) FROM {table} PARTITION ({part})");
                let got = conn
                    .query_first::<i64, _>(q.as_str())
                    .expect(&q)
                    .unwrap_or(-1);
                assert_eq!(got, *want, "{table} partition {part}: rows on MySQL");
            }
        }
    }
    common::my::reset(&mut conn);
}
