//! Results, not just statements that apply: every `fixtures/rows/oracle/<case>.sql` (tables,
//! rows and views) is converted to each target and applied to the real server, and the rows
//! of each view listed in `<case>.rows.toml` are compared with the rows Oracle returns.
//! Values compare as text, numbers numerically ("1" equals "1.000"); "NULL" is NULL. The
//! MySQL database is case-insensitive by default, as MySQL 8's is.

mod common;

use schemac::{Options, SourceDialect, Target};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct View {
    name: String,
    #[serde(default = "yes")]
    ordered: bool,
    rows: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    view: Vec<View>,
}

struct Case {
    name: String,
    chunks: Vec<common::Chunk>,
    expected: Expected,
}

fn cases(to: Target) -> Vec<Case> {
    let dir = common::root().join("fixtures/rows/oracle");
    let mut out = Vec::new();
    for p in common::files_under(&dir) {
        let n = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let Some(stem) = n.strip_suffix(".sql") else {
            continue;
        };
        let text = std::fs::read_to_string(dir.join(format!("{stem}.rows.toml")))
            .unwrap_or_else(|_| panic!("{stem}.rows.toml is missing"));
        let expected: Expected = toml::from_str(&text).expect("valid rows file");
        let map = common::source_map(&dir, std::slice::from_ref(&p));
        let conv = schemac::convert(map, &Options::new(SourceDialect::Oracle, to));
        let chunks = conv
            .scripts
            .iter()
            .flat_map(|s| common::split_chunks(&s.name, &s.text))
            .collect();
        out.push(Case {
            name: stem.to_string(),
            chunks,
            expected,
        });
    }
    assert!(!out.is_empty(), "no fixtures under fixtures/rows/oracle");
    out
}

fn same_cell(expect: &str, got: &str) -> bool {
    expect == got || matches!((expect.parse::<f64>(), got.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
}

fn same_row(expect: &str, got: &[String]) -> bool {
    let e: Vec<&str> = expect.split(" | ").collect();
    e.len() == got.len() && e.iter().zip(got).all(|(a, b)| same_cell(a, b))
}

/// Compares the rows of one view; `None` when they are Oracle's.
fn compare(v: &View, got: &[Vec<String>]) -> Option<String> {
    let ok = if v.ordered {
        got.len() == v.rows.len() && v.rows.iter().zip(got).all(|(e, g)| same_row(e, g))
    } else {
        let mut left: Vec<&Vec<String>> = got.iter().collect();
        v.rows.len() == got.len()
            && v.rows
                .iter()
                .all(|e| match left.iter().position(|g| same_row(e, g)) {
                    Some(i) => {
                        left.remove(i);
                        true
                    }
                    None => false,
                })
    };
    (!ok).then(|| {
        let shown: Vec<String> = got.iter().map(|r| r.join(" | ")).collect();
        format!(
            "{}: expected {:?}{}, got {:?}",
            v.name,
            v.rows,
            if v.ordered { " in this order" } else { "" },
            shown
        )
    })
}

#[test]
fn view_rows_on_mysql() {
    use mysql::prelude::Queryable;
    let Some(info) = common::my::my_info("live_rows (mysql)") else {
        return;
    };
    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases(Target::Mysql) {
        common::my::reset(&mut conn);
        // MySQL 8's default collation compares strings without case (MariaDB has no
        // utf8mb4_0900_ai_ci; utf8mb4_general_ci does the same here).
        conn.query_drop(format!(
            "ALTER DATABASE {} COLLATE utf8mb4_general_ci",
            common::my::DB
        ))
        .expect("database collation");
        let (problems, _) = common::my::apply_and_check(&mut conn, &case.chunks);
        failures.extend(problems.into_iter().map(|p| format!("{}: {p}", case.name)));
        for v in &case.expected.view {
            let rows: Result<Vec<mysql::Row>, _> = conn.query(format!("SELECT * FROM {}", v.name));
            match rows {
                Ok(rows) => {
                    let got: Vec<Vec<String>> = rows
                        .into_iter()
                        .map(|r| {
                            r.unwrap()
                                .into_iter()
                                .map(|v| match v {
                                    mysql::Value::NULL => "NULL".to_string(),
                                    mysql::Value::Bytes(b) => {
                                        String::from_utf8_lossy(&b).into_owned()
                                    }
                                    other => other.as_sql(true).trim_matches('\'').to_string(),
                                })
                                .collect()
                        })
                        .collect();
                    checked += 1;
                    failures.extend(compare(v, &got).map(|f| format!("{}: {f}", case.name)));
                }
                Err(e) => failures.push(format!("{}: {}: {e}", case.name, v.name)),
            }
        }
    }
    common::my::reset(&mut conn);
    eprintln!("live_rows mysql: {checked} views checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn view_rows_on_postgres() {
    let Some(conninfo) = common::pg_conninfo("live_rows (postgres)") else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases(Target::Postgres) {
        let mut client = common::fresh_db(&conninfo, &format!("rows_{}", case.name));
        let (problems, _) = common::apply_and_check(&mut client, &case.chunks, false);
        failures.extend(problems.into_iter().map(|p| format!("{}: {p}", case.name)));
        for v in &case.expected.view {
            match client.simple_query(&format!("SELECT * FROM {}", v.name)) {
                Ok(msgs) => {
                    let got: Vec<Vec<String>> = msgs
                        .iter()
                        .filter_map(|m| match m {
                            postgres::SimpleQueryMessage::Row(r) => Some(
                                (0..r.len())
                                    .map(|i| r.get(i).unwrap_or("NULL").to_string())
                                    .collect(),
                            ),
                            _ => None,
                        })
                        .collect();
                    checked += 1;
                    failures.extend(compare(v, &got).map(|f| format!("{}: {f}", case.name)));
                }
                Err(e) => failures.push(format!(
                    "{}: {}: {}",
                    case.name,
                    v.name,
                    common::err_text(&e)
                )),
            }
        }
    }
    eprintln!("live_rows postgres: {checked} views checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
