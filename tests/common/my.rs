//! The MySQL client layer of the live tests (MariaDB from Debian in `scripts/test`): a server
//! reset (every user database, user and role dropped), chunk application with per-chunk
//! errors, and the "no silent failure" rule for MySQL.
//!
//! The server comes from `SCHEMAC_MY` (`socket=/path/mysqld.sock;user=root`, or
//! `host=..;port=..;user=..;password=..`), which `scripts/test` exports. Schemas are databases
//! and users are server-wide in MySQL, so a test owns the whole server while it applies a
//! script: [`lock`] serializes them.
//!
//! MariaDB divergence: the output targets MySQL 8; a chunk that MySQL 8 accepts and MariaDB
//! does not carries a `TGT004` finding, and may fail here.

use std::sync::{Mutex, MutexGuard};

use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder};

use super::{Applied, Chunk, ChunkResult};

/// The default database scripts are applied in.
pub const DB: &str = "schemac_test";

pub fn my_info(test: &str) -> Option<String> {
    match std::env::var("SCHEMAC_MY") {
        Ok(s) if !s.trim().is_empty() => Some(s),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: SCHEMAC_MY is not set but CI=true (run scripts/test)");
            }
            eprintln!();
            eprintln!("==================================================================");
            eprintln!("SKIPPED: no MySQL/MariaDB (run scripts/test)   [{test}]");
            eprintln!("==================================================================");
            None
        }
    }
}

/// One test at a time on the server.
pub fn lock() -> MutexGuard<'static, ()> {
    static M: Mutex<()> = Mutex::new(());
    M.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn connect(info: &str) -> Conn {
    let mut b = OptsBuilder::new();
    for part in info.split(';') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let v = v.trim().to_string();
        b = match k.trim() {
            "socket" => b.socket(Some(v)),
            "host" => b.ip_or_hostname(Some(v)),
            "port" => b.tcp_port(v.parse().unwrap_or(3306)),
            "user" => b.user(Some(v)),
            "password" => b.pass(Some(v)),
            _ => b,
        };
    }
    Conn::new(b).unwrap_or_else(|e| panic!("cannot connect to MySQL ({info}): {e}"))
}

/// Drops every user database, user and role, creates [`DB`] and makes it the default.
pub fn reset(conn: &mut Conn) {
    let dbs: Vec<String> = conn
        .query(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN \
             ('mysql', 'information_schema', 'performance_schema', 'sys')",
        )
        .expect("list databases");
    // Foreign keys may cross databases (T-SQL schemas are databases): drop in any order.
    conn.query_drop("SET FOREIGN_KEY_CHECKS = 0")
        .expect("foreign key checks off");
    for d in dbs {
        conn.query_drop(format!("DROP DATABASE `{}`", d.replace('`', "``")))
            .unwrap_or_else(|e| panic!("drop database {d}: {e}"));
    }
    conn.query_drop("SET FOREIGN_KEY_CHECKS = 1")
        .expect("foreign key checks on");
    let users: Vec<(String, String)> = conn
        .query(
            "SELECT user, host FROM mysql.user WHERE user NOT IN \
             ('root', 'mysql', 'mariadb.sys', 'mysql.sys', 'mysql.session', \
              'mysql.infoschema', 'debian-sys-maint', 'PUBLIC', '')",
        )
        .expect("list users");
    for (u, h) in users {
        let q = |s: &str| s.replace('\'', "''");
        // MariaDB keeps roles in mysql.user too (host empty).
        let _ = conn.query_drop(format!("DROP ROLE '{}'", q(&u)));
        let _ = conn.query_drop(format!("DROP USER '{}'@'{}'", q(&u), q(&h)));
    }
    conn.query_drop(format!(
        "CREATE DATABASE {DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    ))
    .expect("create test database");
    conn.query_drop(format!("USE {DB}")).expect("use");
    conn.query_drop("SET SESSION sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'")
        .expect("sql_mode");
}

/// A chunk may fail on MariaDB when it says so: manual/blocker, or MySQL 8 only (TGT004).
pub fn may_fail(c: &Chunk) -> bool {
    c.may_fail() || c.findings.iter().any(|f| f.code == "TGT004")
}

/// Sends a script statement by statement, as the `mysql` client does (`DELIMITER` lines
/// included); stops at the first error.
pub fn run_script(conn: &mut Conn, sql: &str) -> Result<(), String> {
    for s in super::mysql_client_statements(sql) {
        conn.query_drop(&s)
            .map_err(|e| format!("{e}\n    in: {}", super::first_line(&s)))?;
    }
    Ok(())
}

/// Sends each chunk as one multi-statement query, or statement by statement when it holds
/// stored programs (between `DELIMITER` lines).
pub fn apply_chunks(conn: &mut Conn, chunks: &[Chunk]) -> Vec<ChunkResult> {
    chunks
        .iter()
        .map(|c| {
            let applied = if !c.has_sql() {
                Applied::Empty
            } else if c.sql.lines().any(|l| l.starts_with("DELIMITER ")) {
                match run_script(conn, &c.sql) {
                    Ok(()) => Applied::Ok,
                    Err(e) => Applied::Failed(e),
                }
            } else {
                match conn.query_drop(&c.sql) {
                    Ok(()) => Applied::Ok,
                    Err(e) => Applied::Failed(e.to_string()),
                }
            };
            ChunkResult {
                chunk: c.clone(),
                applied,
                functions: Vec::new(),
            }
        })
        .collect()
}

/// Applies the chunks; returns the rule violations and every result.
pub fn apply_and_check(conn: &mut Conn, chunks: &[Chunk]) -> (Vec<String>, Vec<ChunkResult>) {
    let results = apply_chunks(conn, chunks);
    let problems = results
        .iter()
        .filter_map(|r| match &r.applied {
            Applied::Failed(e) if !may_fail(&r.chunk) => {
                Some(format!("{}\n      server: {e}", r.chunk.describe()))
            }
            _ => None,
        })
        .collect();
    (problems, results)
}
