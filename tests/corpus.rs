//! Corpus tests over the shared third-party corpus (`../shared/corpus` next to the crate; a
//! worktree under `/work/wt/<name>` finds `../../shared/corpus`; `SCHEMAC_CORPUS` overrides).
//! Skipped with a message when the corpus is absent.
//!
//! - `corpus_no_panic`: each source directory converted as one run, to every target.
//! - `corpus_cut_no_panic`: prefixes of every file cut at deterministic pseudo-random byte
//!   offsets (a truncated script must never crash the converter), alternating the targets.
//! - `corpus_apply_*`: sample schemas converted to PostgreSQL (and `corpus_apply_mysql_*` to
//!   MySQL, applied to MariaDB) through the library, written to
//!   a temp dir, applied in order chunk by chunk to a fresh database: every failing chunk (and
//!   every plpgsql_check error) must carry a manual/blocker finding; rows per table are
//!   compared with the converted INSERTs.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::Applied;
use rayon::prelude::*;
use schemac::ir::{InsertSource, ObjectKind, Stmt};
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

fn corpus() -> Option<PathBuf> {
    let root = common::root();
    let candidates = [
        std::env::var_os("SCHEMAC_CORPUS").map(PathBuf::from),
        Some(root.join("../shared/corpus")),
        Some(root.join("../../shared/corpus")),
    ];
    for c in candidates.into_iter().flatten() {
        if c.join("oracle").is_dir() {
            return Some(c);
        }
    }
    eprintln!(
        "SKIPPED: corpus not found (../shared/corpus relative to {}; set SCHEMAC_CORPUS)",
        root.display()
    );
    None
}

const DIALECTS: &[(&str, SourceDialect)] = &[
    ("oracle", SourceDialect::Oracle),
    ("tsql", SourceDialect::Tsql),
    ("ase", SourceDialect::Ase),
];
const TARGETS: &[Target] = &[Target::Postgres, Target::Mysql];

/// Directories holding several versions of one schema: each child directory is its own run.
const VERSIONED: &[&str] = &["oracle/hr"];

/// The source directories of the corpus, each converted as one run: (relative dir, dialect).
fn runs(corpus: &Path) -> Vec<(String, SourceDialect)> {
    let mut v = Vec::new();
    for &(d, dialect) in DIALECTS {
        for sub in subdirs(&corpus.join(d)) {
            let rel = format!("{d}/{}", name_of(&sub));
            if VERSIONED.contains(&rel.as_str()) {
                for ver in subdirs(&sub) {
                    v.push((format!("{rel}/{}", name_of(&ver)), dialect));
                }
            } else {
                v.push((rel, dialect));
            }
        }
    }
    v
}

fn subdirs(d: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(d)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// Documentation shipped with the corpus, not input scripts.
fn is_doc(p: &Path) -> bool {
    let n = name_of(p).to_ascii_lowercase();
    n.starts_with("readme") || n.starts_with("license") || n.ends_with(".md")
}

fn panic_text(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(non-string panic)".into())
}

#[test]
fn corpus_no_panic() {
    let Some(corpus) = corpus() else { return };
    let t = Instant::now();
    let runs = runs(&corpus);
    let mut failures = Vec::new();
    for (rel, dialect) in &runs {
        let dir = corpus.join(rel);
        let files = common::files_under(&dir);
        for &to in TARGETS {
            let map = common::source_map(&dir, &files);
            let opts = Options::new(*dialect, to);
            match std::panic::catch_unwind(AssertUnwindSafe(|| schemac::convert(map, &opts))) {
                Ok(out) => eprintln!(
                    "  {rel} -> {}: {} files, {} objects, {} scripts",
                    to.as_str(),
                    files.len(),
                    out.module.objects.len(),
                    out.scripts.len()
                ),
                Err(e) => failures.push(format!(
                    "{rel} ({} -> {}): panic: {}",
                    dialect.as_str(),
                    to.as_str(),
                    panic_text(&*e)
                )),
            }
        }
    }
    eprintln!(
        "corpus_no_panic: {} runs in {:.1}s",
        runs.len(),
        t.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// xorshift64*: deterministic, no dependencies.
struct Rng(u64);
impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn fnv(s: &[u8]) -> u64 {
    s.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Byte budget per file: small files get more cuts, large ones fewer, so the whole run
/// stays well under a minute in a debug build.
fn cuts_for(len: usize) -> usize {
    (2_000_000 / len.max(1)).clamp(1, 6)
}

#[test]
fn corpus_cut_no_panic() {
    let Some(corpus) = corpus() else { return };
    let t = Instant::now();
    let mut jobs: Vec<(String, SourceDialect, PathBuf)> = Vec::new();
    for &(d, dialect) in DIALECTS {
        for f in common::files_under(&corpus.join(d)) {
            let rel = f
                .strip_prefix(&corpus)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            jobs.push((rel, dialect, f));
        }
    }
    let results: Vec<(usize, usize, Vec<String>)> = jobs
        .par_iter()
        .map(|(rel, dialect, path)| {
            let bytes = std::fs::read(path).unwrap();
            let mut rng = Rng::new(fnv(rel.as_bytes()));
            let mut failures = Vec::new();
            let n = cuts_for(bytes.len());
            let mut converted = 0;
            for i in 0..n {
                let mut cut = rng.below(bytes.len() + 1);
                // Snap back to a UTF-8 character boundary (files in other encodings are cut
                // anywhere, which the decoder must survive too).
                while cut > 0 && cut < bytes.len() && bytes[cut] & 0xC0 == 0x80 {
                    cut -= 1;
                }
                let mut map = SourceMap::default();
                map.add(name_of(path), None, &bytes[..cut]);
                // Cuts alternate between the targets: every target's passes see cut input.
                let opts = Options::new(*dialect, TARGETS[i % TARGETS.len()]);
                converted += cut;
                if let Err(e) =
                    std::panic::catch_unwind(AssertUnwindSafe(|| schemac::convert(map, &opts)))
                {
                    failures.push(format!(
                        "{rel} cut at byte {cut} ({}): panic: {}",
                        dialect.as_str(),
                        panic_text(&*e)
                    ));
                }
            }
            (n, converted, failures)
        })
        .collect();
    let cuts: usize = results.iter().map(|r| r.0).sum();
    let bytes: usize = results.iter().map(|r| r.1).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.2).collect();
    eprintln!(
        "corpus_cut_no_panic: {} files, {cuts} cuts, {:.1} MB converted in {:.1}s",
        jobs.len(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} panic(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Apply to PostgreSQL
// ---------------------------------------------------------------------------------------------

/// What the converted INSERTs of one table promise.
#[derive(Default)]
struct Expect {
    /// Rows of applied single-statement INSERT ... VALUES objects.
    rows: i64,
    /// INSERT objects that applied.
    applied: usize,
    /// False when some INSERT for the table did not apply, was not converted, or inserts an
    /// unknown number of rows (INSERT ... SELECT): the count is then only printed.
    exact: bool,
}

/// Converts `oracle/<set>` (every file, or only `entry`, which includes the others the way
/// its SQL*Plus install script does) and applies the result.
fn apply_corpus_set(set: &str, entry: Option<&str>) {
    apply_set("oracle", SourceDialect::Oracle, set, entry);
}

/// Converts `<family>/<set>` from `dialect` and applies the result (see `apply_corpus_set`).
fn apply_set(family: &str, dialect: SourceDialect, set: &str, entry: Option<&str>) {
    apply_set_known(family, dialect, set, entry, 0)
}

/// The options a set installs with: utPLSQL's install script asks for its owner schema
/// (`&&ut3_owner`, SQL*Plus `&1`), given here the way `--define` gives it.
fn set_options(dialect: SourceDialect, to: Target, set: &str) -> Options {
    let mut o = Options::new(dialect, to);
    if set.starts_with("utplsql") {
        o.defines.push(("ut3_owner".into(), "ut3".into()));
    }
    o
}

/// `known`: silent failures known today (a ratchet: more fails the test; fixing one means
/// lowering the number). With `known == 0` every check is strict.
fn apply_set_known(
    family: &str,
    dialect: SourceDialect,
    set: &str,
    entry: Option<&str>,
    known: usize,
) {
    let Some(corpus) = corpus() else { return };
    let Some(conninfo) = common::pg_conninfo(&format!("corpus_apply {set}")) else {
        return;
    };
    let t = Instant::now();
    let dir = corpus.join(family).join(set);
    let files: Vec<PathBuf> = match entry {
        Some(e) => vec![dir.join(e)],
        None => common::files_under(&dir)
            .into_iter()
            .filter(|p| !is_doc(p))
            .collect(),
    };
    let map = common::source_map(&dir, &files);
    let out = schemac::convert(map, &set_options(dialect, Target::Postgres, set));

    // Write the scripts the way the CLI would, then apply what was written.
    let tmp = std::env::temp_dir().join(format!(
        "schemac-corpus-{}-{}",
        common::db_name(&format!("{family}_{set}")),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut chunks = Vec::new();
    for s in &out.scripts {
        let p = tmp.join(&s.name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &s.text).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        chunks.extend(common::split_chunks(&s.name, &text));
    }
    let _ = std::fs::remove_dir_all(&tmp);

    let mut client = common::fresh_db(&conninfo, &format!("corpus_{family}_{set}"));
    let (problems, results) = common::apply_and_check(&mut client, &chunks, false);

    // Chunk -> object through the placements (script, first line after the header).
    let mut at: HashMap<(&str, u32), usize> = HashMap::new();
    for (i, p) in out.placements.iter().enumerate() {
        if let Some(p) = p {
            at.insert((p.file.as_str(), p.line), i);
        }
    }
    let mut expect: BTreeMap<String, Expect> = BTreeMap::new();
    let (mut ok, mut failed, mut empty, mut flagged_failed) = (0, 0, 0, 0);
    for r in &results {
        match &r.applied {
            Applied::Ok => ok += 1,
            Applied::Empty => empty += 1,
            Applied::Failed(_) => {
                failed += 1;
                if r.chunk.may_fail() {
                    flagged_failed += 1;
                }
            }
        }
        let Some(&i) = at.get(&(r.chunk.script.as_str(), r.chunk.body_line)) else {
            continue;
        };
        let obj = &out.module.objects[i];
        if obj.kind != ObjectKind::Data {
            continue;
        }
        let (table, rows) = match &obj.stmt {
            Stmt::Insert(ins) => (
                ins.table.display().to_lowercase(),
                match &ins.source {
                    InsertSource::Values(v) => Some(v.len() as i64),
                    InsertSource::DefaultValues | InsertSource::Record(_) => Some(1),
                    InsertSource::Query(_) => None,
                },
            ),
            _ => (obj.display_name().to_lowercase(), None),
        };
        let e = expect.entry(table).or_insert(Expect {
            exact: true,
            ..Default::default()
        });
        match (&r.applied, rows) {
            (Applied::Ok, Some(n)) if obj.attached.is_empty() && !obj.commented_out => {
                e.rows += n;
                e.applied += 1;
            }
            (Applied::Ok, _) => {
                e.applied += 1;
                e.exact = false;
            }
            _ => e.exact = false,
        }
    }

    // Row counts of every user table.
    let tables = client
        .query(
            "SELECT n.nspname, c.relname FROM pg_class c \
               JOIN pg_namespace n ON n.oid = c.relnamespace \
              WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition \
                AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                AND n.nspname NOT LIKE 'pg\\_%' \
              ORDER BY 1, 2",
            &[],
        )
        .expect("list tables");
    let mut mismatches = Vec::new();
    let mut total_rows = 0i64;
    let mut lines = Vec::new();
    let mut matched = std::collections::BTreeSet::new();
    for row in &tables {
        let (ns, rel): (String, String) = (row.get(0), row.get(1));
        let q = format!(
            "SELECT count(*) FROM \"{}\".\"{}\"",
            ns.replace('"', "\"\""),
            rel.replace('"', "\"\"")
        );
        let n: i64 = client.query_one(&q, &[]).map(|r| r.get(0)).unwrap_or(-1);
        total_rows += n.max(0);
        let qualified = format!("{ns}.{rel}").to_lowercase();
        let key = [qualified, rel.to_lowercase()]
            .into_iter()
            .find(|k| expect.contains_key(k));
        let line = match key.as_ref().and_then(|k| expect.get(k)) {
            Some(e) => {
                matched.insert(key.clone().unwrap());
                if e.exact && e.rows != n {
                    mismatches.push(format!(
                        "{ns}.{rel}: {n} rows, but {} rows in {} converted INSERTs",
                        e.rows, e.applied
                    ));
                }
                format!(
                    "{ns}.{rel}: {n} rows; {} INSERT objects applied ({} rows){}",
                    e.applied,
                    e.rows,
                    if e.exact {
                        ", all converted: checked"
                    } else {
                        ", not all converted: not checked"
                    }
                )
            }
            None => format!("{ns}.{rel}: {n} rows; no INSERT objects"),
        };
        lines.push(line);
    }
    for (k, e) in &expect {
        if !matched.contains(k) {
            lines.push(format!(
                "{k}: no such table on the server; {} INSERT objects applied",
                e.applied
            ));
        }
    }

    eprintln!(
        "\ncorpus_apply {family}/{set}: {} files, {} objects, {} chunks: {ok} ok, {failed} failed \
         ({flagged_failed} flagged manual/blocker), {empty} commented out; {} tables, \
         {total_rows} rows; {:.1}s",
        files.len(),
        out.module.objects.len(),
        results.len(),
        tables.len(),
        t.elapsed().as_secs_f64()
    );
    for l in &lines {
        eprintln!("  {l}");
    }
    let mut msg = String::new();
    if !problems.is_empty() {
        msg.push_str(&format!(
            "{} silent failure(s) (no manual/blocker finding):\n\n{}\n\n",
            problems.len(),
            problems.join("\n\n")
        ));
    }
    if !mismatches.is_empty() {
        msg.push_str(&format!(
            "row counts differ from the converted INSERTs:\n{}\n",
            mismatches.join("\n")
        ));
    }
    if known > 0 {
        // FIXME: the T-SQL/ASE front end does not apply every corpus script cleanly yet; the
        // known silent failures are printed, and a new one fails the test.
        assert!(
            problems.len() <= known,
            "{family}/{set}: {} silent failures, {known} known: {msg}",
            problems.len()
        );
        if !msg.is_empty() {
            eprintln!("FIXME {family}/{set}: {msg}");
        }
        return;
    }
    assert!(msg.is_empty(), "{family}/{set}: {msg}");
}

#[test]
fn corpus_apply_hr_v21() {
    // HR installs through hr_main.sql, which runs the other scripts in order (the directory
    // also holds the uninstall and DN add-on scripts, which a real install does not run).
    apply_corpus_set("hr/v21.1/human_resources", Some("hr_main.sql"));
}

#[test]
fn corpus_apply_hr_main() {
    apply_corpus_set("hr/main/human_resources", Some("hr_install.sql"));
}

#[test]
fn corpus_apply_utplsql() {
    apply_corpus_set("utplsql/source", Some("install.sql"));
}

#[test]
fn corpus_apply_dms_sample() {
    apply_corpus_set("dms_sample/schema", None);
}

// ---------------------------------------------------------------------------------------------
// Apply to MySQL (MariaDB in scripts/test)
// ---------------------------------------------------------------------------------------------

/// Converts `oracle/<set>` to MySQL and applies it to a reset server (databases are schemas
/// there, so each set has the server to itself); same rules as [`apply_corpus_set`]: no
/// silent failure, rows per table equal to the converted INSERTs.
fn apply_corpus_set_mysql(set: &str, entry: Option<&str>) {
    apply_set_mysql_known("oracle", SourceDialect::Oracle, set, entry, 0);
}

/// Converts `<family>/<set>` from `dialect` to MySQL and applies it (see
/// `apply_corpus_set_mysql`); `known` as in [`apply_set_known`].
fn apply_set_mysql_known(
    family: &str,
    dialect: SourceDialect,
    set: &str,
    entry: Option<&str>,
    known: usize,
) {
    use mysql::prelude::Queryable;
    let Some(corpus) = corpus() else { return };
    let Some(info) = common::my::my_info(&format!("corpus_apply_mysql {set}")) else {
        return;
    };
    let t = Instant::now();
    let dir = corpus.join(family).join(set);
    let files: Vec<PathBuf> = match entry {
        Some(e) => vec![dir.join(e)],
        None => common::files_under(&dir)
            .into_iter()
            .filter(|p| !is_doc(p))
            .collect(),
    };
    let map = common::source_map(&dir, &files);
    let out = schemac::convert(map, &set_options(dialect, Target::Mysql, set));
    let mut chunks = Vec::new();
    for s in &out.scripts {
        chunks.extend(common::split_chunks(&s.name, &s.text));
    }

    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    common::my::reset(&mut conn);
    let (problems, results) = common::my::apply_and_check(&mut conn, &chunks);

    let mut at: HashMap<(&str, u32), usize> = HashMap::new();
    for (i, p) in out.placements.iter().enumerate() {
        if let Some(p) = p {
            at.insert((p.file.as_str(), p.line), i);
        }
    }
    let mut expect: BTreeMap<String, Expect> = BTreeMap::new();
    let (mut ok, mut failed, mut empty, mut flagged_failed) = (0, 0, 0, 0);
    for r in &results {
        match &r.applied {
            Applied::Ok => ok += 1,
            Applied::Empty => empty += 1,
            Applied::Failed(_) => {
                failed += 1;
                if common::my::may_fail(&r.chunk) {
                    flagged_failed += 1;
                }
            }
        }
        let Some(&i) = at.get(&(r.chunk.script.as_str(), r.chunk.body_line)) else {
            continue;
        };
        let obj = &out.module.objects[i];
        if obj.kind != ObjectKind::Data {
            continue;
        }
        let (table, rows) = match &obj.stmt {
            Stmt::Insert(ins) => (
                ins.table.display().to_lowercase(),
                match &ins.source {
                    InsertSource::Values(v) => Some(v.len() as i64),
                    InsertSource::DefaultValues | InsertSource::Record(_) => Some(1),
                    InsertSource::Query(_) => None,
                },
            ),
            _ => (obj.display_name().to_lowercase(), None),
        };
        let e = expect.entry(table).or_insert(Expect {
            exact: true,
            ..Default::default()
        });
        match (&r.applied, rows) {
            (Applied::Ok, Some(n)) if obj.attached.is_empty() && !obj.commented_out => {
                e.rows += n;
                e.applied += 1;
            }
            (Applied::Ok, _) => {
                e.applied += 1;
                e.exact = false;
            }
            _ => e.exact = false,
        }
    }

    let tables: Vec<(String, String)> = conn
        .query(
            "SELECT table_schema, table_name FROM information_schema.tables \
              WHERE table_type = 'BASE TABLE' AND table_schema NOT IN \
              ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY 1, 2",
        )
        .expect("list tables");
    let mut mismatches = Vec::new();
    let mut total_rows = 0i64;
    let mut lines = Vec::new();
    for (db, rel) in &tables {
        let q = format!(
            "SELECT count(*) FROM `{}`.`{}`",
            db.replace('`', "``"),
            rel.replace('`', "``")
        );
        let n: i64 = conn.query_first(q).ok().flatten().unwrap_or(-1);
        total_rows += n.max(0);
        // Unqualified objects live in the test database, as in the default schema.
        let qualified = format!("{db}.{rel}").to_lowercase();
        let key = [qualified, rel.to_lowercase()]
            .into_iter()
            .find(|k| expect.contains_key(k));
        match key.as_ref().and_then(|k| expect.get(k)) {
            Some(e) => {
                if e.exact && e.rows != n {
                    mismatches.push(format!(
                        "{db}.{rel}: {n} rows, but {} rows in {} converted INSERTs",
                        e.rows, e.applied
                    ));
                }
                lines.push(format!(
                    "{db}.{rel}: {n} rows; {} INSERT objects applied ({} rows){}",
                    e.applied,
                    e.rows,
                    if e.exact {
                        ", checked"
                    } else {
                        ", not checked"
                    }
                ));
            }
            None => lines.push(format!("{db}.{rel}: {n} rows; no INSERT objects")),
        }
    }
    common::my::reset(&mut conn);
    eprintln!(
        "\ncorpus_apply_mysql {family}/{set}: {} files, {} objects, {} chunks: {ok} ok, {failed} \
         failed ({flagged_failed} flagged), {empty} commented out; {} tables, {total_rows} rows; \
         {:.1}s",
        files.len(),
        out.module.objects.len(),
        results.len(),
        tables.len(),
        t.elapsed().as_secs_f64()
    );
    for l in &lines {
        eprintln!("  {l}");
    }
    let mut msg = String::new();
    if !problems.is_empty() {
        msg.push_str(&format!(
            "{} silent failure(s) (no manual/blocker finding):\n\n{}\n\n",
            problems.len(),
            problems.join("\n\n")
        ));
    }
    if !mismatches.is_empty() {
        msg.push_str(&format!(
            "row counts differ from the converted INSERTs:\n{}\n",
            mismatches.join("\n")
        ));
    }
    if known > 0 {
        // FIXME: known silent failures (see the callers): a new one fails the test.
        assert!(
            problems.len() <= known,
            "{family}/{set} (mysql): {} silent failures, {known} known: {msg}",
            problems.len()
        );
        if !msg.is_empty() {
            eprintln!("FIXME {family}/{set} (mysql): {msg}");
        }
        return;
    }
    assert!(msg.is_empty(), "{family}/{set} (mysql): {msg}");
}

#[test]
fn corpus_apply_mysql_hr_v21() {
    apply_corpus_set_mysql("hr/v21.1/human_resources", Some("hr_main.sql"));
}

#[test]
fn corpus_apply_mysql_hr_main() {
    apply_corpus_set_mysql("hr/main/human_resources", Some("hr_install.sql"));
}

#[test]
fn corpus_apply_mysql_utplsql() {
    apply_corpus_set_mysql("utplsql/source", Some("install.sql"));
}

#[test]
fn corpus_apply_mysql_dms_sample() {
    apply_corpus_set_mysql("dms_sample/schema", None);
}

#[test]
fn corpus_apply_tsql_pubs() {
    apply_set_known("tsql", SourceDialect::Tsql, "pubs", Some("instpubs.sql"), 0);
}

#[test]
fn corpus_apply_tsql_northwind() {
    apply_set_known(
        "tsql",
        SourceDialect::Tsql,
        "northwind",
        Some("instnwnd.sql"),
        0,
    );
}

#[test]
fn corpus_apply_tsql_adventureworks() {
    apply_set_known(
        "tsql",
        SourceDialect::Tsql,
        "adventureworks",
        Some("oltp-install-script/instawdb.sql"),
        0,
    );
}

#[test]
fn corpus_apply_ase_jbpm() {
    apply_set_known("ase", SourceDialect::Ase, "jbpm-sybase", None, 0);
}

#[test]
fn corpus_apply_ase_obevo() {
    apply_set_known("ase", SourceDialect::Ase, "obevo-ase", None, 0);
}

#[test]
fn corpus_apply_mysql_tsql_pubs() {
    apply_set_mysql_known("tsql", SourceDialect::Tsql, "pubs", Some("instpubs.sql"), 0);
}

#[test]
fn corpus_apply_mysql_tsql_northwind() {
    apply_set_mysql_known(
        "tsql",
        SourceDialect::Tsql,
        "northwind",
        Some("instnwnd.sql"),
        0,
    );
}

#[test]
fn corpus_apply_mysql_tsql_adventureworks() {
    apply_set_mysql_known(
        "tsql",
        SourceDialect::Tsql,
        "adventureworks",
        Some("oltp-install-script/instawdb.sql"),
        0,
    );
}

#[test]
fn corpus_apply_mysql_ase_jbpm() {
    apply_set_mysql_known("ase", SourceDialect::Ase, "jbpm-sybase", None, 0);
}

#[test]
fn corpus_apply_mysql_ase_obevo() {
    apply_set_mysql_known("ase", SourceDialect::Ase, "obevo-ase", None, 0);
}
