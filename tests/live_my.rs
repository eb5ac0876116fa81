//! Live tests: every expected `fixtures/convert/**/*.mysql.sql` is applied to a real
//! MySQL-compatible server (MariaDB from `SCHEMAC_MY`, see `scripts/test`), one object chunk at
//! a time, on a reset server (databases, users and roles are server-wide).
//!
//! The "no silent failure" rule: a chunk that fails must carry a `manual`/`blocker` finding,
//! or `TGT004` (MySQL 8 syntax MariaDB lacks). `.cases.mysql.sql` files are applied case by
//! case, each on a reset server.

mod common;

use std::path::PathBuf;

use common::{Applied, my};

fn expected_mysql_files() -> Vec<PathBuf> {
    common::files_under(&common::root().join("fixtures/convert"))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".mysql.sql"))
        })
        .collect()
}

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
fn live_fixtures_mysql() {
    let Some(info) = my::my_info("live_fixtures_mysql") else {
        return;
    };
    let _guard = my::lock();
    let mut conn = my::connect(&info);
    let root = common::root();
    let mut problems = Vec::new();
    let (mut sent, mut failed) = (0, 0);
    let files = expected_mysql_files();
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let units = if rel.ends_with(".cases.mysql.sql") {
            cases(&text)
                .into_iter()
                .map(|(n, b)| (format!("{rel} [case {n}]"), b))
                .collect()
        } else {
            vec![(rel.clone(), text)]
        };
        for (name, body) in units {
            my::reset(&mut conn);
            let chunks = common::split_chunks(&name, &body);
            let (p, results) = my::apply_and_check(&mut conn, &chunks);
            for r in &results {
                match &r.applied {
                    Applied::Empty => {}
                    Applied::Ok => sent += 1,
                    Applied::Failed(e) => {
                        sent += 1;
                        failed += 1;
                        // Flagged failures, for review (SCHEMAC_VERBOSE=1).
                        if std::env::var_os("SCHEMAC_VERBOSE").is_some() {
                            eprintln!("flagged failure: {}\n    {e}", r.chunk.describe());
                        }
                    }
                }
            }
            problems.extend(p);
        }
    }
    my::reset(&mut conn);
    eprintln!(
        "live_my: {} files, {sent} chunks sent, {failed} failed, {} silent failure(s)",
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

/// The rule itself on a hand-written script.
#[test]
fn live_my_rules_self_test() {
    let Some(info) = my::my_info("live_my_rules_self_test") else {
        return;
    };
    let _guard = my::lock();
    let mut conn = my::connect(&info);
    my::reset(&mut conn);
    let script = "\
-- schemac: TABLE ok_t (x.sql:1)
CREATE TABLE ok_t (a int);

-- schemac: TABLE bad_t (x.sql:2)
-- TYP001 review: not enough
CREATE TABLE bad_t (a no_such_type);

-- schemac: TABLE flagged_t (x.sql:3)
-- PRS001 manual: could not convert
CREATE TABLE flagged_t (a no_such_type);

-- schemac: INDEX f_ix (x.sql:4)
-- TGT004 info: functional index needs MySQL 8 (8.0.13 functional key parts); MariaDB does not accept it
CREATE INDEX f_ix ON ok_t ((a + 1));

-- schemac: STATEMENT (x.sql:5)
-- SELECT 'commented out'
";
    let chunks = common::split_chunks("self_test.sql", script);
    let (problems, results) = my::apply_and_check(&mut conn, &chunks);
    let states: Vec<&str> = results
        .iter()
        .map(|r| match r.applied {
            Applied::Empty => "empty",
            Applied::Ok => "ok",
            Applied::Failed(_) => "failed",
        })
        .collect();
    assert_eq!(&states[..3], ["ok", "failed", "failed"]);
    assert_eq!(states[4], "empty");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("TABLE bad_t"), "{}", problems[0]);
    my::reset(&mut conn);
}
