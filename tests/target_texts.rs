//! Finding messages name the actual target: converting every Oracle fixture (and the corpus,
//! when present) to MySQL raises no message that speaks of PostgreSQL or its features.

mod common;

use schemac::{Options, SourceDialect, Target};

/// Words that only make sense for PostgreSQL.
const POSTGRES_WORDS: &[&str] = &[
    "PostgreSQL",
    "PostGIS",
    "REFRESH MATERIALIZED VIEW",
    "NOT VALID",
    "login role",
    "PL/pgSQL",
    "CLUSTER after",
    "date_trunc",
    "string_agg",
    "bytea",
];

fn check(base: &std::path::Path, files: &[std::path::PathBuf], failures: &mut Vec<String>) {
    let map = common::source_map(base, files);
    let out = schemac::convert(map, &Options::new(SourceDialect::Oracle, Target::Mysql));
    for o in &out.module.objects {
        for f in &o.findings {
            if let Some(w) = POSTGRES_WORDS.iter().find(|w| f.message.contains(*w)) {
                failures.push(format!(
                    "{} {}: {} {} (says {w:?})",
                    base.display(),
                    o.display_name(),
                    f.code.code,
                    f.message
                ));
            }
        }
    }
}

#[test]
fn mysql_findings_do_not_speak_of_postgres() {
    let mut failures = Vec::new();
    let dir = common::root().join("fixtures/convert/oracle");
    let sources: Vec<_> = common::files_under(&dir)
        .into_iter()
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".sql") && n.matches('.').count() == 1 || n.ends_with(".cases.sql")
        })
        .collect();
    assert!(sources.len() > 10, "no Oracle fixtures found");
    for f in &sources {
        check(&dir, std::slice::from_ref(f), &mut failures);
    }
    let root = common::root();
    let corpus = [
        std::env::var_os("SCHEMAC_CORPUS").map(std::path::PathBuf::from),
        Some(root.join("../shared/corpus")),
        Some(root.join("../../shared/corpus")),
    ]
    .into_iter()
    .flatten()
    .map(|c| c.join("oracle"))
    .find(|c| c.is_dir());
    if let Some(corpus) = corpus {
        for set in ["hr", "dms_sample"] {
            let d = corpus.join(set);
            let files: Vec<_> = common::files_under(&d)
                .into_iter()
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| !matches!(e, "md" | "txt" | "csv"))
                        && !p.to_string_lossy().contains("LICENSE")
                })
                .collect();
            eprintln!("{set}: {} files", files.len());
            check(&d, &files, &mut failures);
        }
    } else {
        eprintln!("corpus not found: only the fixtures were checked");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
