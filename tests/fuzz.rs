//! Random-input test (stable Rust, no extra dependencies): token soups from an SQL-ish
//! alphabet, random bytes (invalid UTF-8, BOMs, UTF-16) and mutations of the fixture inputs are
//! converted from every source dialect; `convert` must never panic.
//!
//! A crashing input is written to `fixtures/crashes/<source>-<hash>.sql` (commit it: it is a
//! regression test from then on, `crash_regressions` converts every file there).
//!
//! `SCHEMAC_FUZZ_CASES` (default 2000) and `SCHEMAC_FUZZ_SEED` change the run; the default
//! run is deterministic.

mod common;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

const DIALECTS: &[SourceDialect] = &[
    SourceDialect::Oracle,
    SourceDialect::Tsql,
    SourceDialect::Ase,
];
const TARGETS: &[Target] = &[Target::Postgres, Target::Mysql];

/// xorshift64*.
struct Rng(u64);
impl Rng {
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
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "CREATE", "OR", "REPLACE", "TABLE", "VIEW", "INDEX", "UNIQUE", "BITMAP", "SEQUENCE", "PACKAGE",
    "BODY", "PROCEDURE", "FUNCTION", "TRIGGER", "TYPE", "SYNONYM", "PUBLIC", "MATERIALIZED",
    "DATABASE", "LINK", "USER", "ROLE", "GRANT", "REVOKE", "TO", "ALTER", "ADD", "DROP",
    "CONSTRAINT", "PRIMARY", "KEY", "FOREIGN", "REFERENCES", "CHECK", "DEFAULT", "NOT", "NULL",
    "IDENTITY", "GENERATED", "ALWAYS", "AS", "IS", "BEGIN", "END", "DECLARE", "IF", "THEN",
    "ELSIF", "ELSE", "LOOP", "WHILE", "FOR", "IN", "OUT", "NOCOPY", "RETURN", "RETURNS",
    "EXCEPTION", "WHEN", "OTHERS", "RAISE", "PRAGMA", "AUTONOMOUS_TRANSACTION", "CURSOR", "OPEN",
    "FETCH", "CLOSE", "EXECUTE", "IMMEDIATE", "SELECT", "DISTINCT", "FROM", "WHERE", "GROUP", "BY",
    "HAVING", "ORDER", "UNION", "ALL", "JOIN", "LEFT", "OUTER", "ON", "USING", "INSERT", "INTO",
    "VALUES", "UPDATE", "SET", "DELETE", "MERGE", "MATCHED", "CONNECT", "PRIOR", "START", "WITH",
    "ROWNUM", "DECODE", "NVL", "SYSDATE", "CASE", "PARTITION", "RANGE", "LIST", "HASH", "INTERVAL",
    "LESS", "THAN", "MAXVALUE", "PARTITIONS", "TABLESPACE", "NUMBER", "VARCHAR2", "NVARCHAR2",
    "CHAR", "BYTE", "CLOB", "BLOB", "DATE", "TIMESTAMP", "ZONE", "LOCAL", "RAW", "LONG", "%TYPE",
    "%ROWTYPE", "COMMENT", "COLUMN", "COMMIT", "ROLLBACK", "SAVEPOINT", "PROMPT", "REM", "REMARK",
    "DEFINE", "UNDEFINE", "SPOOL", "WHENEVER", "SQLERROR", "EXIT", "EXEC", "CONN", "ACCEPT", "GO",
    "TOP", "TRY", "CATCH", "THROW", "RAISERROR", "NVARCHAR", "MAX", "IDENTITY_INSERT", "NOLOCK",
    "OUTPUT", "PRINT", "PROC", "TRAN", "TRANSACTION", "sp_addtype", "COLLATE", "CLUSTERED",
    "NONCLUSTERED",
];
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "t", "emp", "hr.employees", "a.b.c", "x1", "\"Mixed Case\"", "\"\"", "[dbo].[T]", "`bq`",
    "dbo.t", "#tmp", "##g", "@v", "@@ERROR", "@@ROWCOUNT", "sys.dual", "dual", "pkg.proc",
    "seq.NEXTVAL", "s.CURRVAL", "v_name", "p_id", "é", "名前", "SELECT_", "_x", "$x", "x$y",
];
#[rustfmt::skip]
const LITERALS: &[&str] = &[
    "'abc'", "'it''s'", "'", "''", "'unterminated", "q'[x]'", "q'{ y }'", "q'<", "N'nat'", "0",
    "1", "-1", "123456789012345678901234567890", "1.5e3", "1e", ".5", "0x1F", "1.",
    "DATE '2024-01-01'", "TIMESTAMP '2024-01-01 00:00:00'", "INTERVAL '1' DAY", "TRUE", "$$",
    "$tag$", "E'\\n'", "'\u{1F600}'",
];
#[rustfmt::skip]
const PUNCT: &[&str] = &[
    "(", ")", "(", ")", ",", ".", ";", ";", "/", "\n/\n", "*", "+", "-", "||", ":=", "=>", "=",
    "<>", "!=", "<=", ">", "(+)", "%", ":", "::", "?", "[", "]", "{", "}", "/*", "*/", "--",
    "-- comment\n", "/* c */", "\"", "`", "&x", "&&x", "&1", "&x.", "@@f.sql", "@f", "@",
    ":setvar x 1\n", ":r inc.sql\n", "$(x)", "\\", "\t", "\r\n", "\n", "\n", "\nGO\n", "\n.\n",
    "#", "!", "^", "~",
];

/// One token (with a separator most of the time).
fn token(rng: &mut Rng, out: &mut Vec<u8>) {
    match rng.below(20) {
        0..=6 => out.extend_from_slice(rng.pick(KEYWORDS).as_bytes()),
        7..=9 => out.extend_from_slice(rng.pick(NAMES).as_bytes()),
        10..=12 => out.extend_from_slice(rng.pick(LITERALS).as_bytes()),
        13..=17 => out.extend_from_slice(rng.pick(PUNCT).as_bytes()),
        18 => {
            // random bytes, often invalid UTF-8
            for _ in 0..1 + rng.below(4) {
                out.push(rng.next() as u8);
            }
        }
        _ => {
            // a random Unicode scalar
            let c = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{FFFD}');
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
    }
    match rng.below(8) {
        0 => {}
        1 => out.push(b'\n'),
        _ => out.push(b' '),
    }
}

fn soup(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    match rng.below(12) {
        0 => out.extend_from_slice(&[0xEF, 0xBB, 0xBF]),
        1 => out.extend_from_slice(&[0xFF, 0xFE]),
        2 => out.extend_from_slice(&[0xFE, 0xFF]),
        _ => {}
    }
    let max = if rng.chance(10) { 2000 } else { 120 };
    let n = 1 + rng.below(max);
    for _ in 0..n {
        token(rng, &mut out);
    }
    out
}

/// A seed input with a few random edits (tokens inserted, bytes deleted or replaced).
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(v.len() + 1);
        match rng.below(3) {
            0 => {
                let mut t = Vec::new();
                token(rng, &mut t);
                v.splice(at..at, t);
            }
            1 => {
                let end = (at + rng.below(16)).min(v.len());
                v.drain(at..end);
            }
            _ => {
                if at < v.len() {
                    v[at] = rng.next() as u8;
                }
            }
        }
    }
    v
}

fn seeds() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = common::files_under(&common::root().join("fixtures/convert"))
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            (n.ends_with(".sql") && n.matches('.').count() == 1) || n.ends_with(".cases.sql")
        })
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    v.push(
        b"CREATE OR REPLACE PACKAGE BODY p AS\n  PROCEDURE x IS BEGIN NULL; END;\nEND p;\n/\n"
            .to_vec(),
    );
    v.push(b"CREATE TABLE dbo.t (id INT IDENTITY(1,1) PRIMARY KEY)\nGO\nCREATE PROC p AS BEGIN TRY SELECT 1 END TRY BEGIN CATCH THROW; END CATCH\nGO\n".to_vec());
    v.push(
        b"SET DEFINE ON\nDEFINE x = 1\nPROMPT &x\n@@other.sql\nSELECT * FROM t WHERE a = &&y;\n"
            .to_vec(),
    );
    v
}

fn dialect_name(d: SourceDialect) -> &'static str {
    d.as_str()
}

fn crash_dir() -> PathBuf {
    common::root().join("fixtures/crashes")
}

fn fnv(s: &[u8]) -> u64 {
    s.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn converts(bytes: &[u8], from: SourceDialect, to: Target) -> bool {
    let mut map = SourceMap::default();
    map.add("fuzz.sql", None, bytes);
    let opts = Options::new(from, to);
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let out = schemac::convert(map, &opts);
        // Touch the results the way the CLI and report do.
        for o in &out.module.objects {
            let _ = schemac::emit::header(o, &out.sources);
        }
    }))
    .is_ok()
}

#[test]
fn fuzz_no_panic() {
    let cases: usize = std::env::var("SCHEMAC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = std::env::var("SCHEMAC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5c4e_3ac0_ffee_0001);
    let seeds = seeds();
    let mut rng = Rng(seed.max(1));
    let mut crashes = Vec::new();
    let mut bytes_total = 0usize;
    for i in 0..cases {
        let input = if i % 2 == 0 {
            soup(&mut rng)
        } else {
            let s = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, s)
        };
        bytes_total += input.len();
        let from = DIALECTS[i % DIALECTS.len()];
        let to = TARGETS[(i / DIALECTS.len()) % TARGETS.len()];
        if !converts(&input, from, to) {
            let name = format!("{}-{:016x}.sql", dialect_name(from), fnv(&input));
            let path = crash_dir().join(&name);
            let _ = std::fs::create_dir_all(crash_dir());
            let _ = std::fs::write(&path, &input);
            crashes.push(format!(
                "case {i} ({} -> {}): kept as fixtures/crashes/{name}",
                from.as_str(),
                to.as_str()
            ));
        }
    }
    eprintln!(
        "fuzz: {cases} cases, {:.1} KB of input, {} crash(es)",
        bytes_total as f64 / 1e3,
        crashes.len()
    );
    assert!(
        crashes.is_empty(),
        "convert panicked on {} input(s) (seed {seed}):\n{}",
        crashes.len(),
        crashes.join("\n")
    );
}

#[test]
fn crash_regressions() {
    let mut failures = Vec::new();
    let mut n = 0;
    for p in common::files_under(&crash_dir()) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        let dialects: Vec<SourceDialect> = DIALECTS
            .iter()
            .copied()
            .filter(|d| name.starts_with(&format!("{}-", d.as_str())))
            .collect();
        let dialects = if dialects.is_empty() {
            DIALECTS.to_vec()
        } else {
            dialects
        };
        for from in dialects {
            for &to in TARGETS {
                n += 1;
                if !converts(&bytes, from, to) {
                    failures.push(format!(
                        "fixtures/crashes/{name} ({} -> {})",
                        from.as_str(),
                        to.as_str()
                    ));
                }
            }
        }
    }
    eprintln!("crash regressions: {n} conversions");
    assert!(failures.is_empty(), "panics on:\n{}", failures.join("\n"));
}
