//! Live tests: every expected `fixtures/convert/**/*.postgres.sql` is applied to a real
//! PostgreSQL (from `SCHEMAC_PG`, see `scripts/test`), one object chunk at a time, then
//! plpgsql_check runs on every PL/pgSQL function.
//!
//! The "no silent failure" rule: a chunk that fails on the server, or a function with a
//! plpgsql_check error, must carry a finding of severity `manual` or `blocker` under its
//! `-- schemac:` header. Every violation of all files is reported at once.
//!
//! `.cases.postgres.sql` files are applied case by case (each case from `-- case: <name>` to
//! the next) inside a transaction that is rolled back, so cases may reuse names.

mod common;

use std::path::PathBuf;

use common::{Applied, Chunk};
use rayon::prelude::*;

fn expected_postgres_files() -> Vec<PathBuf> {
    common::files_under(&common::root().join("fixtures/convert"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".postgres.sql"))
        })
        .collect()
}

/// Applies one expected file; returns its rule violations (already prefixed with the file).
fn apply_file(conninfo: &str, path: &PathBuf) -> (Vec<String>, usize) {
    let root = common::root();
    let rel = path
        .strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return (vec![format!("{rel}: cannot read: {e}")], 0),
    };
    let mut client = common::fresh_db(conninfo, &format!("live_{rel}"));
    let mut problems = Vec::new();
    let mut chunks_applied = 0;
    if rel.ends_with(".cases.postgres.sql") {
        for (name, body) in cases(&text) {
            let chunks = common::split_chunks(&format!("{rel} [case {name}]"), &body);
            client.batch_execute("BEGIN").expect("begin");
            let (p, results) = common::apply_and_check(&mut client, &chunks, true);
            client.batch_execute("ROLLBACK").expect("rollback");
            chunks_applied += count_sent(&results);
            problems.extend(p);
        }
    } else {
        let chunks: Vec<Chunk> = common::split_chunks(&rel, &text);
        let (p, results) = common::apply_and_check(&mut client, &chunks, false);
        chunks_applied += count_sent(&results);
        problems.extend(p);
    }
    drop(client);
    (problems, chunks_applied)
}

fn count_sent(results: &[common::ChunkResult]) -> usize {
    results
        .iter()
        .filter(|r| !matches!(r.applied, Applied::Empty))
        .count()
}

/// Splits a `.cases.<target>.sql` text at its `-- case: <name>` lines. Line numbers of each
/// case body are kept (earlier lines blanked) so chunk locations point into the file.
fn cases(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut lines_before = 0usize;
    for line in text.split_inclusive('\n') {
        lines_before += 1;
        if let Some(name) = line.trim_end().strip_prefix("-- case: ") {
            out.push((name.trim().to_string(), "\n".repeat(lines_before)));
        } else if let Some(last) = out.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

#[test]
fn live_fixtures_postgres() {
    let Some(conninfo) = common::pg_conninfo("live_fixtures_postgres") else {
        return;
    };
    let files = expected_postgres_files();
    let results: Vec<(Vec<String>, usize)> =
        files.par_iter().map(|p| apply_file(&conninfo, p)).collect();
    let sent: usize = results.iter().map(|r| r.1).sum();
    let problems: Vec<String> = results.into_iter().flat_map(|r| r.0).collect();
    eprintln!(
        "live_pg: {} files, {sent} chunks sent to the server, {} silent failure(s)",
        files.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} failure(s) without a manual/blocker finding:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// The rules themselves, on a hand-written script: a failing chunk passes only under a
/// manual/blocker finding, plpgsql_check errors are caught the same way.
#[test]
fn live_rules_self_test() {
    let Some(conninfo) = common::pg_conninfo("live_rules_self_test") else {
        return;
    };
    let script = "\
-- schemac 0.0.0: oracle -> postgres, 30_tables.sql

-- schemac: TABLE ok_t (x.sql:1)
CREATE TABLE ok_t (a int);

-- schemac: TABLE bad_t (x.sql:2)
-- TYP001 review: not enough
CREATE TABLE bad_t (a no_such_type);

-- schemac: TABLE flagged_t (x.sql:3)
-- PRS001 manual: could not convert
CREATE TABLE flagged_t (a no_such_type);

-- schemac: FUNCTION f_bad (x.sql:4)
CREATE FUNCTION f_bad() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM no_such_table);
END $$;

-- schemac: FUNCTION f_flagged (x.sql:5)
-- PLS001 blocker: needs a person
CREATE FUNCTION f_flagged() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM no_such_table);
END $$;

-- schemac: FUNCTION f_good (x.sql:6)
CREATE FUNCTION f_good() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM ok_t);
END $$;

-- schemac: STATEMENT (x.sql:7)
-- SELECT 'commented out'
";
    let chunks = common::split_chunks("self_test.sql", script);
    assert_eq!(chunks.len(), 7, "{chunks:#?}");
    for in_tx in [false, true] {
        let mut client = common::fresh_db(&conninfo, &format!("live_self_test_{in_tx}"));
        if in_tx {
            client.batch_execute("BEGIN").unwrap();
        }
        let (problems, results) = common::apply_and_check(&mut client, &chunks, in_tx);
        let states: Vec<&str> = results
            .iter()
            .map(|r| match r.applied {
                Applied::Empty => "empty",
                Applied::Ok => "ok",
                Applied::Failed(_) => "failed",
            })
            .collect();
        assert_eq!(
            states,
            ["ok", "failed", "failed", "ok", "ok", "ok", "empty"]
        );
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("TABLE bad_t"), "{}", problems[0]);
        assert!(problems[1].contains("FUNCTION f_bad"), "{}", problems[1]);
        assert!(problems[1].contains("plpgsql_check"), "{}", problems[1]);
    }
}

#[test]
fn chunk_headers_and_findings() {
    let text = "-- schemac 0.1.0: oracle -> postgres, 30_tables.sql\n\n\
                -- schemac: TABLE hr.regions (hr_cre.sql:73)\n\
                -- TYP012 review: NUMBER without precision\n\
                -- PRS001 manual: something: with a colon\n\
                CREATE TABLE hr.regions (id numeric);\n\n\
                -- schemac: PACKAGE BODY pkg (p.pkb:1)\n\
                -- PRS001 info is not a finding\n\
                -- CREATE PACKAGE BODY pkg\n";
    let c = common::split_chunks("s.sql", text);
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].line, 3);
    assert_eq!(c[0].body_line, 6);
    assert_eq!(c[0].findings.len(), 2);
    assert_eq!(c[0].findings[1].severity, "manual");
    assert_eq!(c[0].findings[1].message, "something: with a colon");
    assert!(c[0].may_fail());
    assert!(c[0].has_sql());
    assert_eq!(
        c[0].kind_and_name(),
        ("TABLE".to_string(), "hr.regions".to_string())
    );
    assert_eq!(
        c[1].kind_and_name(),
        ("PACKAGE BODY".to_string(), "pkg".to_string())
    );
    assert!(c[1].findings.is_empty());
    assert!(!c[1].has_sql());
    assert!(!c[1].may_fail());
}
