//! Shared helpers of the integration tests: reading converted scripts back as object chunks,
//! a small PostgreSQL client layer (fresh databases, chunk application with per-chunk errors,
//! plpgsql_check), and the skip/fail rule for live tests.
//!
//! Live tests read the server from `SCHEMAC_PG` (a libpq-style connection string; `host` may
//! be a unix-socket directory), which `scripts/test` exports. Without it they print a loud
//! SKIPPED line and pass, except under `CI=true`, where a missing server is a failure.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub mod my;

use postgres::{Client, NoTls};
use schemac::source::SourceMap;

// ---------------------------------------------------------------------------------------------
// Skip rule
// ---------------------------------------------------------------------------------------------

/// The connection string of the test server, or `None` (after a loud message) when there is
/// none. Panics under `CI=true`: CI must never skip the live tests silently.
pub fn pg_conninfo(test: &str) -> Option<String> {
    match std::env::var("SCHEMAC_PG") {
        Ok(s) if !s.trim().is_empty() => Some(s),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: SCHEMAC_PG is not set but CI=true (run scripts/test)");
            }
            eprintln!();
            eprintln!("==================================================================");
            eprintln!("SKIPPED: no PostgreSQL (run scripts/test)   [{test}]");
            eprintln!("==================================================================");
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Chunks: converted scripts cut at the `-- schemac:` object headers
// ---------------------------------------------------------------------------------------------

pub const HEADER: &str = "-- schemac: ";

/// One finding line under an object header: `-- CODE severity: message`.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingLine {
    pub code: String,
    pub severity: String,
    pub message: String,
}

/// One object of a converted script: its header, its findings and its SQL (header included).
#[derive(Clone, Debug)]
pub struct Chunk {
    /// Script the chunk came from (`postgres/30_tables.sql`, or a fixture path).
    pub script: String,
    /// 1-based line of the header in the script (1 for a preamble without header).
    pub line: u32,
    /// 1-based line of the first line after the header and its findings.
    pub body_line: u32,
    /// The header line; empty for the text before the first header.
    pub header: String,
    pub findings: Vec<FindingLine>,
    pub sql: String,
}

impl Chunk {
    /// The "no silent failure" rule: a chunk may fail on the server only if it says so.
    pub fn may_fail(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == "manual" || f.severity == "blocker")
    }
    /// True when there is something to send besides `--` comment lines.
    pub fn has_sql(&self) -> bool {
        self.sql.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("--")
        })
    }
    /// `KIND name` from the header (`TABLE hr.regions`).
    pub fn kind_and_name(&self) -> (String, String) {
        let rest = self.header.strip_prefix(HEADER).unwrap_or("");
        let rest = match rest.rfind(" (") {
            Some(i) => &rest[..i],
            None => rest,
        };
        // Kinds may have two words (`PACKAGE BODY`): the kind is upper case, names are not
        // necessarily, so take the leading upper-case words.
        let words: Vec<&str> = rest.split(' ').collect();
        let mut n = 0;
        while n < words.len()
            && words[n].chars().all(|c| c.is_ascii_uppercase())
            && !words[n].is_empty()
            && n < 2
        {
            n += 1;
        }
        let n = n.max(1).min(words.len());
        (words[..n].join(" "), words[n..].join(" "))
    }
    pub fn describe(&self) -> String {
        if self.header.is_empty() {
            format!("{}:{} (preamble)", self.script, self.line)
        } else {
            format!("{}:{} {}", self.script, self.line, self.header)
        }
    }
}

/// Cuts a MySQL script into statements the way the `mysql` client does: `DELIMITER x` lines
/// change the terminator; terminators inside quotes and comments do not count; a statement
/// made of comments only is not sent.
pub fn mysql_client_statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut delim = ";".to_string();
    let mut cur = String::new();
    let meaningful = |s: &str| {
        s.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("--") && !t.starts_with('#')
        })
    };
    let push = |cur: &mut String, out: &mut Vec<String>| {
        let s = std::mem::take(cur);
        if meaningful(&s) {
            out.push(s.trim().to_string());
        }
    };
    // Quote / comment state survives line ends.
    let mut quote: Option<char> = None;
    let mut block_comment = false;
    for line in text.split_inclusive('\n') {
        if quote.is_none() && !block_comment && !meaningful(&cur) {
            let t = line.trim();
            if t.len() > 10 && t[..10].eq_ignore_ascii_case("DELIMITER ") {
                delim = t[10..].trim().to_string();
                cur.clear();
                continue;
            }
        }
        let chars: Vec<char> = line.chars().collect();
        let d: Vec<char> = delim.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if block_comment {
                cur.push(c);
                if c == '*' && chars.get(i + 1) == Some(&'/') {
                    cur.push('/');
                    i += 1;
                    block_comment = false;
                }
            } else if let Some(q) = quote {
                cur.push(c);
                if c == '\\' && q != '`' {
                    if let Some(n) = chars.get(i + 1) {
                        cur.push(*n);
                        i += 1;
                    }
                } else if c == q {
                    quote = None;
                }
            } else if c == '\'' || c == '"' || c == '`' {
                quote = Some(c);
                cur.push(c);
            } else if c == '/' && chars.get(i + 1) == Some(&'*') {
                block_comment = true;
                cur.push_str("/*");
                i += 1;
            } else if c == '#'
                || (c == '-'
                    && chars.get(i + 1) == Some(&'-')
                    && chars.get(i + 2).is_none_or(|n| n.is_whitespace()))
            {
                // A comment to the end of the line.
                cur.extend(&chars[i..]);
                break;
            } else if chars[i..].starts_with(&d) {
                push(&mut cur, &mut out);
                i += d.len();
                continue;
            } else {
                cur.push(c);
            }
            i += 1;
        }
    }
    push(&mut cur, &mut out);
    out
}

/// The first non-empty line of a statement (for messages).
pub fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// Parses `-- CODE severity: message`.
pub fn parse_finding_line(line: &str) -> Option<FindingLine> {
    let rest = line.strip_prefix("-- ")?;
    let (code, rest) = rest.split_once(' ')?;
    let letters = code.chars().take_while(|c| c.is_ascii_uppercase()).count();
    if letters == 0 || letters == code.len() || !code[letters..].chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (severity, message) = rest.split_once(": ").or_else(|| {
        rest.strip_suffix(':')
            .map(|s| (s, ""))
            .filter(|(s, _)| !s.contains(' '))
    })?;
    if !matches!(severity, "info" | "review" | "manual" | "blocker") {
        return None;
    }
    Some(FindingLine {
        code: code.to_string(),
        severity: severity.to_string(),
        message: message.to_string(),
    })
}

/// Cuts a converted script into chunks at the header lines. Text before the first header
/// (the script's own comment line) is a chunk with an empty header.
pub fn split_chunks(script: &str, text: &str) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut cur = Chunk {
        script: script.to_string(),
        line: 1,
        body_line: 1,
        header: String::new(),
        findings: Vec::new(),
        sql: String::new(),
    };
    let mut in_findings = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i as u32 + 1;
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.starts_with(HEADER) {
            if cur.has_sql() || !cur.header.is_empty() {
                chunks.push(cur);
            }
            cur = Chunk {
                script: script.to_string(),
                line: n,
                body_line: n + 1,
                header: bare.to_string(),
                findings: Vec::new(),
                sql: String::new(),
            };
            cur.sql.push_str(line);
            in_findings = true;
            continue;
        }
        if in_findings {
            if let Some(f) = parse_finding_line(bare) {
                cur.findings.push(f);
                cur.body_line = n + 1;
                cur.sql.push_str(line);
                continue;
            }
            in_findings = false;
        }
        cur.sql.push_str(line);
    }
    if cur.has_sql() || !cur.header.is_empty() {
        chunks.push(cur);
    }
    chunks
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL client layer
// ---------------------------------------------------------------------------------------------

pub fn connect(conninfo: &str, db: &str) -> Client {
    let mut cfg: postgres::Config = conninfo
        .parse()
        .unwrap_or_else(|e| panic!("bad SCHEMAC_PG {conninfo:?}: {e}"));
    cfg.dbname(db);
    cfg.application_name("schemac-tests");
    let mut c = cfg
        .connect(NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL ({conninfo}, db {db}): {e}"));
    c.batch_execute(
        "SET statement_timeout = '60s'; SET client_min_messages = warning; \
         SET lock_timeout = '30s'",
    )
    .expect("session settings");
    c
}

/// Database names are folded to a safe identifier (`hr/v21.1` -> `t_hr_v21_1`).
pub fn db_name(name: &str) -> String {
    let mut s = String::from("t_");
    for c in name.chars() {
        s.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    s.truncate(63);
    s
}

/// Drops and re-creates database `name` (folded by [`db_name`]) and connects to it.
pub fn fresh_db(conninfo: &str, name: &str) -> Client {
    let db = db_name(name);
    let mut admin = connect(conninfo, "postgres");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"))
        .unwrap_or_else(|e| panic!("drop database {db}: {}", err_text(&e)));
    admin
        .batch_execute(&format!(
            "CREATE DATABASE \"{db}\" TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .unwrap_or_else(|e| panic!("create database {db}: {}", err_text(&e)));
    connect(conninfo, &db)
}

/// The server's message with SQLSTATE, detail, hint and position, on one line.
pub fn err_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut s = format!("{} {}", d.code().code(), d.message());
            if let Some(x) = d.detail() {
                s.push_str(&format!(" | DETAIL: {x}"));
            }
            if let Some(x) = d.hint() {
                s.push_str(&format!(" | HINT: {x}"));
            }
            if let Some(postgres::error::ErrorPosition::Original(p)) = d.position() {
                s.push_str(&format!(" | at char {p}"));
            }
            if let Some(x) = d.where_() {
                s.push_str(&format!(" | WHERE: {}", x.replace('\n', " / ")));
            }
            s
        }
        None => e.to_string(),
    }
}

#[derive(Clone, Debug)]
pub enum Applied {
    /// Nothing but comments (an object emitted commented out).
    Empty,
    Ok,
    Failed(String),
}

/// The result of applying one chunk.
#[derive(Clone, Debug)]
pub struct ChunkResult {
    pub chunk: Chunk,
    pub applied: Applied,
    /// Signatures of the PL/pgSQL functions and procedures this chunk created.
    pub functions: Vec<String>,
}

/// `FROM ... WHERE ...` selecting the user's PL/pgSQL functions and procedures as `p`
/// (non-system schemas, not owned by an extension).
const USER_PLPGSQL: &str = "\
      FROM pg_proc p \
      JOIN pg_language l ON l.oid = p.prolang \
      JOIN pg_namespace n ON n.oid = p.pronamespace \
     WHERE l.lanname = 'plpgsql' \
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
       AND n.nspname NOT LIKE 'pg\\_%' \
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass \
                        AND d.objid = p.oid AND d.deptype = 'e')";

fn plpgsql_functions(client: &mut Client) -> BTreeSet<String> {
    let sql = format!("SELECT p.oid::regprocedure::text {USER_PLPGSQL}");
    match client.query(&sql, &[]) {
        Ok(rows) => rows.iter().map(|r| r.get::<_, String>(0)).collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// Executes each chunk with one `batch_execute` (its statements run as one implicit
/// transaction, so a chunk applies entirely or not at all). With `in_tx`, the caller has
/// opened a transaction and each chunk runs under a savepoint (used to roll a whole case back).
pub fn apply_chunks(client: &mut Client, chunks: &[Chunk], in_tx: bool) -> Vec<ChunkResult> {
    let mut known = plpgsql_functions(client);
    let mut out = Vec::with_capacity(chunks.len());
    for c in chunks {
        if !c.has_sql() {
            out.push(ChunkResult {
                chunk: c.clone(),
                applied: Applied::Empty,
                functions: Vec::new(),
            });
            continue;
        }
        if in_tx {
            client
                .batch_execute("SAVEPOINT schemac_chunk")
                .expect("savepoint");
        }
        let applied = match client.batch_execute(&c.sql) {
            Ok(()) => {
                if in_tx {
                    client
                        .batch_execute("RELEASE SAVEPOINT schemac_chunk")
                        .expect("release savepoint");
                }
                Applied::Ok
            }
            Err(e) => {
                if in_tx {
                    client
                        .batch_execute("ROLLBACK TO SAVEPOINT schemac_chunk")
                        .expect("rollback to savepoint");
                }
                Applied::Failed(err_text(&e))
            }
        };
        let mut functions = Vec::new();
        let lower = c.sql.to_ascii_lowercase();
        if matches!(applied, Applied::Ok)
            && (lower.contains("function") || lower.contains("procedure"))
        {
            let now = plpgsql_functions(client);
            functions = now.difference(&known).cloned().collect();
            known = now;
        }
        out.push(ChunkResult {
            chunk: c.clone(),
            applied,
            functions,
        });
    }
    out
}

/// One message of plpgsql_check (or a check that could not run: level `check_failed`).
#[derive(Clone, Debug)]
pub struct CheckIssue {
    pub function: String,
    pub lineno: Option<i32>,
    pub level: String,
    pub sqlstate: String,
    pub message: String,
}

impl CheckIssue {
    pub fn is_error(&self) -> bool {
        self.level == "error"
    }
}

/// Runs `plpgsql_check_function_tb` on every PL/pgSQL function and procedure in non-system
/// schemas (trigger functions against the first table whose trigger uses them; unattached
/// trigger functions cannot be checked and are skipped). Returns every message; `Err` when
/// the extension is not available.
pub fn plpgsql_check_all(client: &mut Client, in_tx: bool) -> Result<Vec<CheckIssue>, String> {
    if in_tx {
        client
            .batch_execute("SAVEPOINT schemac_ext")
            .expect("savepoint");
    }
    if let Err(e) = client.batch_execute("CREATE EXTENSION IF NOT EXISTS plpgsql_check") {
        if in_tx {
            client
                .batch_execute("ROLLBACK TO SAVEPOINT schemac_ext")
                .expect("rollback");
        }
        return Err(format!(
            "plpgsql_check is not available ({}); install postgresql-15-plpgsql-check",
            err_text(&e)
        ));
    }
    if in_tx {
        client
            .batch_execute("RELEASE SAVEPOINT schemac_ext")
            .expect("release");
    }
    let fns = client
        .query(
            &format!(
                "SELECT p.oid::regprocedure::text, p.oid, \
                        p.prorettype = 'trigger'::regtype, \
                        (SELECT t.tgrelid FROM pg_trigger t WHERE t.tgfoid = p.oid \
                          ORDER BY t.oid LIMIT 1) \
                 {USER_PLPGSQL} ORDER BY 1"
            ),
            &[],
        )
        .map_err(|e| err_text(&e))?;
    let mut issues = Vec::new();
    for r in fns {
        let sig: String = r.get(0);
        let oid: u32 = r.get(1);
        let is_trigger: bool = r.get(2);
        let relid: Option<u32> = r.get(3);
        if is_trigger && relid.is_none() {
            continue;
        }
        let sql = format!(
            "SELECT lineno, level, coalesce(sqlstate, ''), coalesce(message, '') \
               FROM plpgsql_check_function_tb({oid}::oid::regprocedure, {}::oid::regclass, \
                                              fatal_errors => false)",
            relid.unwrap_or(0)
        );
        if in_tx {
            client
                .batch_execute("SAVEPOINT schemac_chk")
                .expect("savepoint");
        }
        match client.query(&sql, &[]) {
            Ok(rows) => {
                for row in rows {
                    issues.push(CheckIssue {
                        function: sig.clone(),
                        lineno: row.get(0),
                        level: row.get(1),
                        sqlstate: row.get(2),
                        message: row.get(3),
                    });
                }
                if in_tx {
                    client
                        .batch_execute("RELEASE SAVEPOINT schemac_chk")
                        .expect("release");
                }
            }
            Err(e) => {
                if in_tx {
                    client
                        .batch_execute("ROLLBACK TO SAVEPOINT schemac_chk")
                        .expect("rollback");
                }
                issues.push(CheckIssue {
                    function: sig.clone(),
                    lineno: None,
                    level: "check_failed".into(),
                    sqlstate: e.code().map(|c| c.code().to_string()).unwrap_or_default(),
                    message: err_text(&e),
                });
            }
        }
    }
    Ok(issues)
}

/// Applies chunks, then checks the functions; returns one line per violation of the "no silent
/// failure" rule (a chunk failing, or a function with a plpgsql_check error, without a
/// manual/blocker finding on its object), and the per-chunk results.
pub fn apply_and_check(
    client: &mut Client,
    chunks: &[Chunk],
    in_tx: bool,
) -> (Vec<String>, Vec<ChunkResult>) {
    let results = apply_chunks(client, chunks, in_tx);
    let mut problems = Vec::new();
    let mut owner: BTreeMap<String, &ChunkResult> = BTreeMap::new();
    for r in &results {
        if let Applied::Failed(e) = &r.applied
            && !r.chunk.may_fail()
        {
            let mut p = format!("{}\n      server: {e}", r.chunk.describe());
            if let Some(c) = probable_cause(e, &results) {
                p.push_str(&format!(
                    "\n      (probably because this flagged object did not apply: {c})"
                ));
            }
            problems.push(p);
        }
        for f in &r.functions {
            owner.insert(f.clone(), r);
        }
    }
    match plpgsql_check_all(client, in_tx) {
        Ok(issues) => {
            for i in issues.iter().filter(|i| i.is_error()) {
                let o = owner.get(&i.function);
                if o.is_some_and(|r| r.chunk.may_fail()) {
                    continue;
                }
                let at = o
                    .map(|r| r.chunk.describe())
                    .unwrap_or_else(|| "(function not created by a chunk)".into());
                problems.push(format!(
                    "{at}\n      plpgsql_check: {} line {}: {} {}",
                    i.function,
                    i.lineno.map(|l| l.to_string()).unwrap_or("?".into()),
                    i.sqlstate,
                    i.message
                ));
            }
        }
        Err(e) => problems.push(e),
    }
    (problems, results)
}

const CREATES: &[&str] = &[
    "table",
    "view",
    "sequence",
    "schema",
    "user",
    "type",
    "function",
    "procedure",
];

fn last_part(w: &str) -> String {
    w.rsplit('.')
        .next()
        .unwrap_or(w)
        .trim_matches('"')
        .to_string()
}

/// For an "X does not exist" error: the first flagged chunk that did not apply and whose text
/// creates something named X (a hint for reading cascades; it does not excuse the failure).
fn probable_cause(err: &str, results: &[ChunkResult]) -> Option<String> {
    if !err.contains("does not exist") {
        return None;
    }
    let name = err.split('"').nth(1)?.to_ascii_lowercase();
    let name = name.rsplit('.').next()?.to_string();
    if name.is_empty() {
        return None;
    }
    results
        .iter()
        .filter(|r| r.chunk.may_fail() && !matches!(r.applied, Applied::Ok))
        .find(|r| {
            let t = r.chunk.sql.to_ascii_lowercase();
            let words: Vec<&str> = t
                .split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '.' | '"')))
                .filter(|w| !w.is_empty())
                .collect();
            words.windows(3).any(|w| {
                matches!(w[0], "create" | "replace" | "temporary")
                    && CREATES.contains(&w[1])
                    && last_part(w[2]) == name
            })
        })
        .map(|r| r.chunk.describe())
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// Root of the crate (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every regular file under `dir`, sorted by path (deterministic).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

/// A source map of the given files, named relative to `base` (`/`-separated), with their
/// disk paths (so `@@file` includes resolve).
pub fn source_map(base: &Path, files: &[PathBuf]) -> SourceMap {
    let mut map = SourceMap::default();
    for f in files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("read {}: {e}", f.display()));
        let name = f
            .strip_prefix(base)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        map.add(name, Some(f.clone()), &bytes);
    }
    map
}

/// A short report of where two texts differ: the common prefix and suffix are skipped and
/// the differing middle is shown (`-` expected, `+` actual), with a little context.
pub fn diff(expected: &str, actual: &str, max: usize) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let p = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let s = e[p..]
        .iter()
        .rev()
        .zip(a[p..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    let ctx = p.saturating_sub(2);
    for (i, l) in e.iter().enumerate().take(p).skip(ctx) {
        out.push_str(&format!("  {:>5}   {l}\n", i + 1));
    }
    let em = &e[p..e.len() - s];
    let am = &a[p..a.len() - s];
    for (i, l) in em.iter().enumerate().take(max) {
        out.push_str(&format!("  {:>5} - {l}\n", p + i + 1));
    }
    if em.len() > max {
        out.push_str(&format!("        - ... {} more\n", em.len() - max));
    }
    for (i, l) in am.iter().enumerate().take(max) {
        out.push_str(&format!("  {:>5} + {l}\n", p + i + 1));
    }
    if am.len() > max {
        out.push_str(&format!("        + ... {} more\n", am.len() - max));
    }
    if em.is_empty() && am.is_empty() {
        out.push_str("  (texts differ only in line endings or a final newline)\n");
    }
    out.push_str(&format!(
        "  (expected {} lines, actual {} lines)\n",
        e.len(),
        a.len()
    ));
    out
}

/// Oracle MERGE procedures run by the behaviour tests of both targets: UPDATE ... WHERE,
/// INSERT ... WHERE, DELETE WHERE, and SQL%ROWCOUNT after a MERGE.
pub const ORACLE_MERGE: &str = "
CREATE TABLE stock (item NUMBER(9) PRIMARY KEY, qty NUMBER(9) NOT NULL, note VARCHAR2(20));
CREATE TABLE moves (item NUMBER(9), qty NUMBER(9));

-- UPDATE ... WHERE and INSERT ... WHERE.
CREATE OR REPLACE PROCEDURE restock IS
BEGIN
  MERGE INTO stock t USING moves s ON (t.item = s.item)
  WHEN MATCHED THEN UPDATE SET t.qty = t.qty + s.qty WHERE s.qty <> 0
  WHEN NOT MATCHED THEN INSERT (t.item, t.qty) VALUES (s.item, s.qty) WHERE s.qty > 0;
END restock;
/
-- DELETE WHERE sees the values the UPDATE wrote, and only on the rows it updated.
CREATE OR REPLACE PROCEDURE consume IS
BEGIN
  MERGE INTO stock t USING moves s ON (t.item = s.item)
  WHEN MATCHED THEN UPDATE SET t.qty = t.qty - s.qty WHERE s.qty > 0 DELETE WHERE t.qty = 0;
END consume;
/
CREATE OR REPLACE PROCEDURE put_stock(p_item NUMBER, p_qty NUMBER, p_note VARCHAR2,
                                      p_rows OUT NUMBER) IS
BEGIN
  MERGE INTO stock t
  USING (SELECT p_item AS item, p_qty AS qty FROM dual) s
  ON (t.item = s.item)
  WHEN MATCHED THEN UPDATE SET t.qty = s.qty, t.note = p_note
  WHEN NOT MATCHED THEN INSERT (item, qty, note) VALUES (s.item, s.qty, p_note);
  p_rows := SQL%ROWCOUNT;
END put_stock;
/
";

/// T-SQL MERGE procedures run by the behaviour tests of both targets: a matched DELETE and
/// UPDATE with conditions, NOT MATCHED BY TARGET, NOT MATCHED BY SOURCE (DELETE and UPDATE).
pub const TSQL_MERGE: &str = "
CREATE TABLE dbo.Stock (Item int NOT NULL PRIMARY KEY, Qty int NOT NULL, Note nvarchar(20) NULL)
CREATE TABLE dbo.Moves (Item int NOT NULL, Qty int NOT NULL)
GO
CREATE PROCEDURE dbo.MergeMoves
AS
BEGIN
    SET NOCOUNT ON;
    MERGE INTO dbo.Stock WITH (HOLDLOCK) AS t
    USING dbo.Moves AS s
    ON t.Item = s.Item
    WHEN MATCHED AND s.Qty = 0 THEN
        DELETE
    WHEN MATCHED THEN
        UPDATE SET Qty = t.Qty + s.Qty
    WHEN NOT MATCHED BY SOURCE AND t.Qty < 0 THEN
        DELETE;
END
GO
CREATE PROCEDURE dbo.SyncStock
AS
BEGIN
    SET NOCOUNT ON;
    MERGE dbo.Stock AS t
    USING (SELECT Item, SUM(Qty) AS Qty FROM dbo.Moves GROUP BY Item) AS s
    ON t.Item = s.Item
    WHEN MATCHED THEN
        UPDATE SET t.Qty = s.Qty, t.Note = N'synced'
    WHEN NOT MATCHED BY TARGET THEN
        INSERT (Item, Qty, Note) VALUES (s.Item, s.Qty, N'new')
    WHEN NOT MATCHED BY SOURCE THEN
        UPDATE SET t.Qty = 0, t.Note = N'gone';
END
GO
";
