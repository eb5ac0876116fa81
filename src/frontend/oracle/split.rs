//! SQL*Plus script splitting: cuts Oracle scripts into units the way SQL*Plus runs them.
//!
//! # Units
//! * SQL statements end at `;` (outside strings, quoted names and comments) or at a line holding
//!   only `/`. Blank lines never end a statement (as with `SET SQLBLANKLINES ON`), except that a
//!   statement without a terminator, followed by a blank line and a line starting with `REM`,
//!   `PROMPT`, `SPOOL`, `WHENEVER` or `@`, ends before that blank line.
//! * PL/SQL units (`CREATE [OR REPLACE] [[NON]EDITIONABLE] PROCEDURE | FUNCTION | PACKAGE [BODY] |
//!   TRIGGER | TYPE [BODY] | LIBRARY | JAVA`, `DECLARE`, `BEGIN`, `<<label>>`, `WITH FUNCTION`)
//!   ignore `;` and end at a line holding only `/`, or at end of file. Leniently (SQL*Plus would
//!   not), a PL/SQL unit also ends after an `END;` / `END name;` line (or, for a `CREATE TYPE`
//!   spec, after any line ending with `;`) when the next line with code starts with `CREATE`,
//!   `ALTER`, `DROP`, `GRANT`, `REVOKE`, `SHOW`, `PROMPT`, `REM`, `SPOOL` or `@`: scripts that
//!   forgot the `/` are common, and nothing valid in PL/SQL starts a line that way there.
//! * A line holding only `/` inside a string literal or quoted name ends the unit too (SQL*Plus
//!   reads line by line); the unit then gets `UNTERMINATED`, as does a unit cut by the end of the
//!   file inside a string, quoted name or block comment.
//! * Comments between units are skipped; comments inside a unit are part of its text.
//! * SQL*Plus commands are recognised at the start of a statement (case-insensitive, with the
//!   usual abbreviations, see [`COMMANDS`]) and run to the end of the line; a line ending in a
//!   single `-` continues on the next line (a run of several hyphens, as in `PROMPT -----`, is a
//!   separator, not a continuation; `REMARK` lines never continue). Each becomes a
//!   [`UnitKind::Command`] unit with its raw text and an info `SQLPLUS_COMMAND` finding (none for
//!   `REMARK`). `!` and `$` are spelled `HOST`. `SET TRANSACTION`, `SET ROLE` and
//!   `SET CONSTRAINT[S]` are SQL statements, not commands.
//!
//! # Substitution variables
//! `&name`, `&&name` and `&1` are replaced in SQL and PL/SQL units (also inside string literals
//! and quoted names, as SQL*Plus does: scripts write `IDENTIFIED BY "&pass"`; never inside
//! comments), in `DEFINE` / `ACCEPT ... DEFAULT` values and in include paths. A `.` right after the name ends it and is dropped (`&log_path.hr.log`). Names are
//! case-insensitive. An undefined variable is left as is, with one `UNDEFINED_SUBSTITUTION`
//! finding per variable and unit.
//! * `opts.defines` (`--define`) are the initial values; a script's `DEFINE` overrides them. A
//!   `DEFINE` whose value uses an undefined variable leaves the variable unchanged (so
//!   `DEFINE pass = &1` keeps a `--define pass=...` value) and gets the finding.
//! * `ACCEPT name ... DEFAULT value` defines `name` when it has no value yet (a `--define` or an
//!   earlier `DEFINE` stands for the answer to the prompt).
//! * Variables live for the whole run (as if one SQL*Plus session ran the inputs in order, so a
//!   master script's `DEFINE`s reach the files it includes and the inputs after it). `SET DEFINE`
//!   state (`OFF`, `ON`, a prefix character; `SET SCAN` too) is reset to `ON` / `&` at the start
//!   of each input file.
//! * `@file arg1 arg2` defines `1`, `2` ... (globally, like SQL*Plus) before running the file.
//!
//! # Includes
//! `@file`, `@@file` and `START file` (`.sql` is added when the file name has no extension; a
//! trailing `;` is dropped) are resolved relative to the including file's directory, then (`@`,
//! `START`, or any include from a file that is not on disk) to the current directory. The
//! included file is added to the [`SourceMap`] (named after the including file's name, `/`-joined)
//! and its units are spliced in right after the include's command unit. A file that is one of the
//! input files (the files in the map when [`split_all`] starts) is not included again, since it is
//! converted on its own; when the path is not found, an input with the same file name (or the same
//! stem, when the include has no extension) is taken to be it. Otherwise: `INCLUDE_NOT_FOUND`.
//! Cycles and nesting deeper than [`MAX_INCLUDE_DEPTH`] get `INCLUDE_CYCLE`.
//!
//! # Encoding
//! A file read as Latin-1 gets one `LATIN1_FALLBACK` finding on its first unit; a file without
//! units gets a `Command("FILE")` unit covering the whole file to carry it.
//!
//! Never panics: the scanner works on bytes and only cuts at ASCII bytes, so every offset is a
//! char boundary; the only allocation per unit is its text.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::Finding;
use crate::rules::codes;
use crate::source::{Encoding, FileId, SourceMap, Span};

/// What a unit is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// A SQL statement that ended with `;` (or `/` on its own line).
    Sql,
    /// A PL/SQL unit (CREATE PROCEDURE/FUNCTION/PACKAGE/TRIGGER/TYPE, DECLARE/BEGIN block)
    /// that ended with `/` on its own line (or at end of file).
    Plsql,
    /// A SQL*Plus command (upper-cased name: `PROMPT`, `SET`, `@`, `@@` ...), already handled
    /// by the splitter; the unit's findings say what happened.
    Command(String),
}

/// One statement, block or script command cut out of a file.
#[derive(Clone, Debug)]
pub struct Unit {
    pub file: FileId,
    /// Byte offset in the file of the unit's first character (first token).
    pub start: u32,
    /// Byte offset in the file just past the unit's last character (terminator excluded).
    pub end: u32,
    /// The unit's text, terminator excluded, with `&var` substitutions applied (command units
    /// keep their raw text).
    pub text: String,
    pub kind: UnitKind,
    /// Findings raised while splitting (SQL*Plus commands skipped, undefined variables ...).
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Default)]
pub struct SplitOptions {
    /// `--define name=value`, names case-insensitive.
    pub defines: Vec<(String, String)>,
}

/// Includes nested deeper than this are not followed (`INCLUDE_CYCLE`).
pub const MAX_INCLUDE_DEPTH: usize = 20;

/// SQL*Plus commands: canonical name and the shortest abbreviation SQL*Plus accepts.
pub const COMMANDS: &[(&str, usize)] = &[
    ("ACCEPT", 3),
    ("BREAK", 3),
    ("BTITLE", 3),
    ("CLEAR", 2),
    ("COLUMN", 3),
    ("COMPUTE", 4),
    ("CONNECT", 4),
    ("DEFINE", 3),
    ("DESCRIBE", 4),
    ("DISCONNECT", 4),
    ("EXECUTE", 4),
    ("EXIT", 4),
    ("HOST", 2),
    ("PASSWORD", 5),
    ("PAUSE", 3),
    ("PRINT", 3),
    ("PROMPT", 3),
    ("QUIT", 4),
    ("REMARK", 3),
    ("REPFOOTER", 4),
    ("REPHEADER", 4),
    ("SET", 3),
    ("SHOW", 3),
    ("SHUTDOWN", 8),
    ("SPOOL", 3),
    ("START", 3),
    ("STARTUP", 7),
    ("TIMING", 4),
    ("TTITLE", 3),
    ("UNDEFINE", 5),
    ("VARIABLE", 3),
    ("WHENEVER", 8),
];

/// Splits every file currently in `map` (inputs in order), following `@`/`@@` includes
/// (appending included files to `map`). Never panics.
pub fn split_all(map: &mut SourceMap, opts: &SplitOptions) -> Vec<Unit> {
    let n = map.files.len();
    let mut sp = Splitter::new(map, opts);
    let mut out = Vec::new();
    for i in 0..n {
        sp.define_on = true;
        sp.prefix = b'&';
        sp.stack.clear();
        if let Some(c) = sp.input_canon.get(i).cloned().flatten() {
            sp.stack.push(c);
        }
        sp.split_file(map, FileId(i as u32), 0, &mut out);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Byte-level helpers

#[inline]
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'#' || c >= 0x80
}

#[inline]
fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'#'
}

#[inline]
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

#[inline]
fn is_hspace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

fn eq_ci(w: &[u8], s: &str) -> bool {
    w.eq_ignore_ascii_case(s.as_bytes())
}

/// End of the word (`is_word` bytes) starting at `pos`.
fn word_end(b: &[u8], pos: usize) -> usize {
    let mut e = pos;
    while e < b.len() && is_word(b[e]) {
        e += 1;
    }
    e
}

/// Skips whitespace and comments; returns the position of the next significant byte (or an
/// unclosed `/*`, or the end).
fn skip_trivia(b: &[u8], mut i: usize) -> usize {
    let n = b.len();
    while i < n {
        let c = b[i];
        if is_space(c) {
            i += 1;
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            i = find_byte(b, i, b'\n').unwrap_or(n);
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            match find_seq(b, i + 2, b"*/") {
                Some(e) => i = e + 2,
                None => return i,
            }
        } else if c == 0xEF && b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF) {
            i += 3; // a stray BOM (concatenated files)
        } else if c == 0xC2 && b.get(i + 1) == Some(&0xA0) {
            i += 2; // no-break space
        } else {
            return i;
        }
    }
    n
}

fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == c)
        .map(|p| p + from)
}

fn find_seq(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    if pat.is_empty() || hay.len() < pat.len() {
        return None;
    }
    let first = pat[0];
    let mut i = 0;
    while let Some(p) = hay[i..].iter().position(|&x| x == first) {
        let at = i + p;
        if hay[at..].starts_with(pat) {
            return Some(at + from);
        }
        i = at + 1;
        if i >= hay.len() {
            break;
        }
    }
    None
}

/// The next word after `pos`, skipping whitespace and comments.
fn next_word(b: &[u8], pos: usize) -> Option<(usize, usize)> {
    let s = skip_trivia(b, pos);
    if s < b.len() && (b[s].is_ascii_alphabetic() || b[s] == b'_') {
        Some((s, word_end(b, s)))
    } else {
        None
    }
}

/// If the line starting at `ls` holds only `/` (and blanks), the position after that line.
#[inline]
fn slash_line(b: &[u8], ls: usize) -> Option<usize> {
    let n = b.len();
    let mut i = ls;
    while i < n && is_hspace(b[i]) {
        i += 1;
    }
    if i >= n || b[i] != b'/' {
        return None;
    }
    i += 1;
    while i < n && is_hspace(b[i]) {
        i += 1;
    }
    if i >= n {
        Some(n)
    } else if b[i] == b'\n' {
        Some(i + 1)
    } else {
        None
    }
}

/// End of `b[start..end]` with trailing ASCII whitespace removed.
fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && is_space(b[end - 1]) {
        end -= 1;
    }
    end
}

// ---------------------------------------------------------------------------------------------
// Statement scanning

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StmtKind {
    Sql,
    /// `type_spec`: a `CREATE TYPE` that is not a `TYPE BODY`.
    Plsql {
        type_spec: bool,
    },
}

/// Whether the statement starting at `pos` is PL/SQL (SQL*Plus's rule).
fn classify(b: &[u8], pos: usize) -> StmtKind {
    if b[pos..].starts_with(b"<<") {
        return StmtKind::Plsql { type_spec: false };
    }
    let Some((s, e)) = next_word(b, pos) else {
        return StmtKind::Sql;
    };
    let w = &b[s..e];
    if eq_ci(w, "DECLARE") || eq_ci(w, "BEGIN") {
        return StmtKind::Plsql { type_spec: false };
    }
    if eq_ci(w, "WITH") {
        if let Some((s2, e2)) = next_word(b, e) {
            let w2 = &b[s2..e2];
            if eq_ci(w2, "FUNCTION") || eq_ci(w2, "PROCEDURE") {
                return StmtKind::Plsql { type_spec: false };
            }
        }
        return StmtKind::Sql;
    }
    if !eq_ci(w, "CREATE") {
        return StmtKind::Sql;
    }
    let mut at = e;
    for _ in 0..8 {
        let Some((s, e)) = next_word(b, at) else {
            return StmtKind::Sql;
        };
        let w = &b[s..e];
        at = e;
        const SKIP: &[&str] = &[
            "OR",
            "REPLACE",
            "EDITIONABLE",
            "NONEDITIONABLE",
            "EDITIONING",
            "AND",
            "RESOLVE",
            "COMPILE",
            "NOFORCE",
        ];
        if SKIP.iter().any(|k| eq_ci(w, k)) {
            continue;
        }
        if eq_ci(w, "TYPE") {
            let body = next_word(b, e).is_some_and(|(s2, e2)| eq_ci(&b[s2..e2], "BODY"));
            return StmtKind::Plsql { type_spec: !body };
        }
        const PLSQL: &[&str] = &[
            "PROCEDURE",
            "FUNCTION",
            "PACKAGE",
            "TRIGGER",
            "LIBRARY",
            "JAVA",
        ];
        if PLSQL.iter().any(|k| eq_ci(w, k)) {
            return StmtKind::Plsql { type_spec: false };
        }
        return StmtKind::Sql;
    }
    StmtKind::Sql
}

/// Is `b[f..=last]` an `END;` / `END name;` line (not `END LOOP;` / `END IF;` / `END CASE;`)?
fn is_end_line(b: &[u8], f: usize, last: usize) -> bool {
    if last >= b.len() || b[last] != b';' || f >= last {
        return false;
    }
    let e = word_end(b, f);
    if !eq_ci(&b[f..e], "END") {
        return false;
    }
    let mut p = e;
    while p < last && is_hspace(b[p]) {
        p += 1;
    }
    if p == last {
        return true;
    }
    if b[p] == b'"' {
        match find_byte(b, p + 1, b'"') {
            Some(q) if q < last => p = q + 1,
            _ => return false,
        }
    } else {
        let e2 = word_end(b, p);
        let w = &b[p..e2];
        if e2 == p || eq_ci(w, "LOOP") || eq_ci(w, "IF") || eq_ci(w, "CASE") {
            return false;
        }
        p = e2;
    }
    while p < last && is_hspace(b[p]) {
        p += 1;
    }
    p == last
}

/// The first word of the line at `ls` (after blanks), upper-case compared against `words`;
/// `@` counts as a word.
fn line_starts_with(b: &[u8], ls: usize, words: &[&str]) -> bool {
    let mut i = ls;
    while i < b.len() && is_hspace(b[i]) {
        i += 1;
    }
    if i >= b.len() {
        return false;
    }
    if b[i] == b'@' {
        return true;
    }
    if !b[i].is_ascii_alphabetic() {
        return false;
    }
    let e = word_end(b, i);
    words.iter().any(|w| eq_ci(&b[i..e], w))
}

/// Words that start a new unit after an `END;` line of a PL/SQL unit lacking its `/`.
const AFTER_END: &[&str] = &[
    "CREATE", "ALTER", "DROP", "GRANT", "REVOKE", "SHOW", "SHO", "PROMPT", "REM", "REMARK", "SPOOL",
];
/// Commands that end an unterminated SQL statement when they follow a blank line.
const AFTER_BLANK: &[&str] = &["REM", "REMARK", "PROMPT", "SPOOL", "WHENEVER"];
/// Statements that, after a blank line, show that the statement before them lacks its `;`
/// (SQL*Plus keeps such a statement in its buffer without running it).
const STATEMENT_AFTER_BLANK: &[&str] = &[
    "COMMENT", "CREATE", "ALTER", "INSERT", "UPDATE", "DELETE", "GRANT", "REVOKE", "DROP",
];
/// `Stmt::unterminated` marker for a statement ended by a blank line.
const BLANK_END: &str = "ended by a blank line";

#[derive(Clone, Copy, Debug)]
struct Stmt {
    start: usize,
    /// End of the unit's text (exclusive, trimmed).
    end: usize,
    /// Where scanning resumes.
    next: usize,
    kind: StmtKind,
    unterminated: Option<&'static str>,
}

/// How a quoted run ended.
enum Quoted {
    /// Position after the closing delimiter.
    Closed(usize),
    /// A `/` line cut it: the newline before it and the position after the `/` line.
    Cut(usize, usize),
    /// The file ended inside it.
    Eof,
}

/// Skips a quoted run whose body starts at `from` and ends with `close`.
fn skip_quoted(b: &[u8], from: usize, close: &[u8]) -> Quoted {
    let n = b.len();
    let c0 = close[0];
    let mut i = from;
    while i < n {
        let Some(p) = b[i..].iter().position(|&x| x == c0 || x == b'\n') else {
            return Quoted::Eof;
        };
        let at = i + p;
        if b[at] == b'\n' {
            if let Some(after) = slash_line(b, at + 1) {
                return Quoted::Cut(at, after);
            }
            i = at + 1;
        } else if b[at..].starts_with(close) {
            return Quoted::Closed(at + close.len());
        } else {
            i = at + 1;
        }
    }
    Quoted::Eof
}

/// If the `'` at `i` opens a q-quote (`q'`, `nq'`), the closing sequence (delimiter + `'`) and
/// where the body starts.
fn q_quote(text: &str, start: usize, i: usize) -> Option<([u8; 5], usize, usize)> {
    let b = text.as_bytes();
    if i == start || !matches!(b[i - 1], b'q' | b'Q') {
        return None;
    }
    let q = i - 1;
    let standalone = |p: usize| p == start || !is_word(b[p - 1]);
    if !(standalone(q) || (matches!(b[q - 1], b'n' | b'N') && standalone(q - 1))) {
        return None;
    }
    let open = text.get(i + 1..)?.chars().next()?;
    let close = match open {
        '[' => ']',
        '{' => '}',
        '(' => ')',
        '<' => '>',
        c if c.is_whitespace() => return None,
        c => c,
    };
    let mut buf = [0u8; 5];
    let len = close.encode_utf8(&mut buf).len();
    buf[len] = b'\'';
    Some((buf, len + 1, i + 1 + open.len_utf8()))
}

/// Scans the statement starting at the significant byte `start`.
fn scan_statement(text: &str, start: usize) -> Stmt {
    let b = text.as_bytes();
    let n = b.len();
    let kind = classify(b, start);
    let plsql = matches!(kind, StmtKind::Plsql { .. });
    let type_spec = matches!(kind, StmtKind::Plsql { type_spec: true });
    let done = |end: usize, next: usize, unterminated: Option<&'static str>| Stmt {
        start,
        end: trim_end(b, start, end),
        next,
        kind,
        unterminated,
    };
    let mut i = start;
    let mut last_sig = start;
    let mut line_first: Option<usize> = Some(start);
    let mut line_start = start;
    // PL/SQL: the last line with code was `END [name];` (or a type spec line ending in `;`).
    let mut after_end = false;
    while i < n {
        let c = b[i];
        match c {
            b'\n' => {
                let ls = i + 1;
                if let Some(after) = slash_line(b, ls) {
                    return done(i, after, None);
                }
                if plsql {
                    if let Some(f) = line_first {
                        after_end =
                            is_end_line(b, f, last_sig) || (type_spec && b[last_sig] == b';');
                    }
                    if after_end && line_starts_with(b, ls, AFTER_END) {
                        return done(last_sig + 1, ls, None);
                    }
                } else if line_starts_with(b, ls, AFTER_BLANK)
                    && b[line_start..i].iter().all(|&x| is_hspace(x))
                    && line_start > start
                {
                    return done(line_start, ls, None);
                } else if line_starts_with(b, ls, STATEMENT_AFTER_BLANK)
                    && b[line_start..i].iter().all(|&x| is_hspace(x))
                    && line_start > start
                {
                    return done(line_start, ls, Some(BLANK_END));
                }
                line_first = None;
                line_start = ls;
                i = ls;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b'\'' | b'"' => {
                let q = if c == b'\'' {
                    q_quote(text, start, i)
                } else {
                    None
                };
                let r = match q {
                    Some((close, len, body)) => skip_quoted(b, body, &close[..len]),
                    None => skip_quoted(b, i + 1, &[c]),
                };
                let what = if c == b'"' {
                    "unclosed quoted name"
                } else {
                    "unclosed string literal"
                };
                match r {
                    Quoted::Closed(j) => {
                        line_first.get_or_insert(i);
                        last_sig = j - 1;
                        // A quoted run may span lines: the line now starts inside it.
                        i = j;
                    }
                    Quoted::Cut(nl, after) => return done(nl, after, Some(what)),
                    Quoted::Eof => return done(n, n, Some(what)),
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = find_byte(b, i, b'\n').unwrap_or(n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match find_seq(b, i + 2, b"*/") {
                Some(e) => i = e + 2,
                None => return done(n, n, Some("unclosed comment")),
            },
            b';' if !plsql => return done(i, i + 1, None),
            _ => {
                line_first.get_or_insert(i);
                last_sig = i;
                i += 1;
            }
        }
    }
    done(n, n, None)
}

// ---------------------------------------------------------------------------------------------
// Commands

/// The SQL*Plus command at `pos`, if any: canonical name and the end of the command word.
fn match_command(b: &[u8], pos: usize) -> Option<(&'static str, usize)> {
    let c = *b.get(pos)?;
    match c {
        b'@' => {
            return Some(if b.get(pos + 1) == Some(&b'@') {
                ("@@", pos + 2)
            } else {
                ("@", pos + 1)
            });
        }
        b'!' => return Some(("HOST", pos + 1)),
        b'$' => {
            return match b.get(pos + 1) {
                None => Some(("HOST", pos + 1)),
                Some(&x) if is_space(x) => Some(("HOST", pos + 1)),
                _ => None,
            };
        }
        // Initials of the commands: most statements are rejected here.
        _ if !b"ABCDEHPQRSTUVW".contains(&c.to_ascii_uppercase()) => return None,
        _ => {}
    }
    let e = word_end(b, pos);
    let w = &b[pos..e];
    let (name, _) = COMMANDS.iter().find(|(name, min)| {
        name.as_bytes()[0] == c.to_ascii_uppercase()
            && w.len() >= *min
            && w.len() <= name.len()
            && w.eq_ignore_ascii_case(&name.as_bytes()[..w.len()])
    })?;
    if *name == "SET"
        && let Some((s, e2)) = next_word(b, e)
    {
        let w2 = &b[s..e2];
        if ["TRANSACTION", "ROLE", "CONSTRAINT", "CONSTRAINTS"]
            .iter()
            .any(|k| eq_ci(w2, k))
        {
            return None;
        }
    }
    Some((name, e))
}

/// End (trimmed) and next position of the command starting at `pos`, following `-` line
/// continuations when `cont`.
fn command_extent(b: &[u8], pos: usize, cont: bool) -> (usize, usize) {
    let n = b.len();
    let mut from = pos;
    loop {
        let nl = find_byte(b, from, b'\n').unwrap_or(n);
        let end = trim_end(b, from, nl);
        let next = (nl + 1).min(n);
        let continued = cont
            && end > from
            && b[end - 1] == b'-'
            && (end - 1 == from || b[end - 2] != b'-')
            && nl < n;
        if !continued {
            return (trim_end(b, pos, end).max(pos), next);
        }
        from = next;
    }
}

/// Joins continued command lines (dropping the trailing `-`) into one line.
fn join_continued(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (k, line) in s.split('\n').enumerate() {
        let l = line.trim_end();
        let l = match l.strip_suffix('-') {
            Some(x) if !x.ends_with('-') => x,
            _ => l,
        };
        if k > 0 {
            out.push(' ');
        }
        out.push_str(l);
    }
    out.trim().to_string()
}

/// Splits command arguments on blanks; `"..."` and `'...'` group (quotes removed).
fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
            continue;
        }
        if c == '"' || c == '\'' {
            it.next();
            let rest = &s[i + 1..];
            let end = rest.find(c).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            let stop = i + 1 + end + 1;
            while it.peek().is_some_and(|&(j, _)| j < stop) {
                it.next();
            }
        } else {
            let rest = &s[i..];
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            let stop = i + end;
            while it.peek().is_some_and(|&(j, _)| j < stop) {
                it.next();
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The splitter

struct Splitter {
    /// Substitution variables, names lower-case.
    defines: HashMap<String, String>,
    define_on: bool,
    prefix: u8,
    /// Canonical path of each input file (index = file id), if on disk.
    input_canon: Vec<Option<PathBuf>>,
    input_set: HashSet<PathBuf>,
    /// Lower-case file name of each input.
    input_names: Vec<String>,
    /// Canonical paths of the files being split (include stack).
    stack: Vec<PathBuf>,
    /// Included (non-input) files already in the map.
    included: HashMap<PathBuf, FileId>,
}

impl Splitter {
    fn new(map: &SourceMap, opts: &SplitOptions) -> Splitter {
        let mut input_canon = Vec::with_capacity(map.files.len());
        let mut input_names = Vec::with_capacity(map.files.len());
        for f in &map.files {
            let canon = f
                .path
                .as_ref()
                .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()));
            input_canon.push(canon);
            let name = f
                .path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| {
                    f.name
                        .rsplit(['/', '\\'])
                        .next()
                        .unwrap_or_default()
                        .to_string()
                });
            input_names.push(name.to_lowercase());
        }
        Splitter {
            defines: opts
                .defines
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect(),
            define_on: true,
            prefix: b'&',
            input_set: input_canon.iter().flatten().cloned().collect(),
            input_canon,
            input_names,
            stack: Vec::new(),
            included: HashMap::new(),
        }
    }

    fn split_file(&mut self, map: &mut SourceMap, id: FileId, depth: usize, out: &mut Vec<Unit>) {
        let idx = id.0 as usize;
        if idx >= map.files.len() {
            return;
        }
        // The text is taken out while splitting so that includes can add files to the map.
        let text = std::mem::take(&mut map.files[idx].text);
        let first = out.len();
        let b = text.as_bytes();
        let n = b.len();
        let mut pos = 0;
        loop {
            pos = skip_trivia(b, pos);
            if pos >= n {
                break;
            }
            // A `/` with nothing to run (after a `;`-terminated statement).
            if b[pos] == b'/'
                && let Some(after) = slash_line(b, pos)
            {
                pos = after;
                continue;
            }
            if let Some((name, wend)) = match_command(b, pos) {
                pos = self.command(map, id, &text, pos, name, wend, depth, out);
                continue;
            }
            let st = scan_statement(&text, pos);
            self.emit_statement(id, &text, &st, out);
            pos = st.next.max(pos + 1);
        }
        if map.files[idx].encoding == Encoding::Latin1Fallback {
            let f = Finding::new(&codes::LATIN1_FALLBACK, Span::new(id, 0, 0), &[]);
            match out[first..].iter_mut().find(|u| u.file == id) {
                Some(u) => {
                    let mut f = f;
                    f.span = Span::new(id, u.start, u.end);
                    u.findings.push(f);
                }
                None => {
                    let mut f = f;
                    f.span = Span::new(id, 0, n as u32);
                    out.push(Unit {
                        file: id,
                        start: 0,
                        end: n as u32,
                        text: String::new(),
                        kind: UnitKind::Command("FILE".to_string()),
                        findings: vec![f],
                    });
                }
            }
        }
        map.files[idx].text = text;
    }

    fn emit_statement(&self, id: FileId, text: &str, st: &Stmt, out: &mut Vec<Unit>) {
        if st.end <= st.start {
            return;
        }
        let Some(slice) = text.get(st.start..st.end) else {
            return;
        };
        let mut findings = Vec::new();
        let body = if self.define_on && slice.as_bytes().contains(&self.prefix) {
            self.substitute(slice, st.start, id, true, &mut findings).0
        } else {
            slice.to_string()
        };
        if st.unterminated == Some(BLANK_END) {
            findings.push(Finding::new(
                &codes::MISSING_TERMINATOR,
                Span::new(id, st.start as u32, st.end as u32),
                &[],
            ));
        } else if let Some(what) = st.unterminated {
            findings.push(Finding::new(
                &codes::UNTERMINATED,
                Span::new(id, st.start as u32, st.end as u32),
                &[what],
            ));
        }
        out.push(Unit {
            file: id,
            start: st.start as u32,
            end: st.end as u32,
            text: body,
            kind: match st.kind {
                StmtKind::Sql => UnitKind::Sql,
                StmtKind::Plsql { .. } => UnitKind::Plsql,
            },
            findings,
        });
    }

    /// Replaces substitution variables in `src` (found at byte `base` of file `id`). With
    /// `lexical`, comments are left alone (string literals and quoted names are substituted, as
    /// SQL*Plus does: `IDENTIFIED BY "&pass"`). Returns the text and whether every
    /// variable was defined; undefined ones get one finding each.
    fn substitute(
        &self,
        src: &str,
        base: usize,
        id: FileId,
        lexical: bool,
        findings: &mut Vec<Finding>,
    ) -> (String, bool) {
        let b = src.as_bytes();
        let n = b.len();
        let p = self.prefix;
        let mut out = String::with_capacity(src.len() + 16);
        let mut copied = 0;
        let mut all_defined = true;
        let mut raised: Vec<String> = Vec::new();
        let mut i = 0;
        // Inside a string literal: the closing sequence.
        let mut in_str: Option<([u8; 5], usize)> = None;
        while i < n {
            let c = b[i];
            if let Some((close, len)) = in_str {
                if b[i..].starts_with(&close[..len]) {
                    in_str = None;
                    i += len;
                    continue;
                }
            } else if lexical {
                if c == b'-' && b.get(i + 1) == Some(&b'-') {
                    i = find_byte(b, i, b'\n').unwrap_or(n);
                    continue;
                }
                if c == b'/' && b.get(i + 1) == Some(&b'*') {
                    i = find_seq(b, i + 2, b"*/").map_or(n, |e| e + 2);
                    continue;
                }
                if c == b'"' {
                    in_str = Some(([b'"', 0, 0, 0, 0], 1));
                    i += 1;
                    continue;
                }
                if c == b'\'' {
                    match q_quote(src, 0, i) {
                        Some((close, len, body)) => {
                            in_str = Some((close, len));
                            i = body;
                        }
                        None => {
                            in_str = Some(([b'\'', 0, 0, 0, 0], 1));
                            i += 1;
                        }
                    }
                    continue;
                }
            }
            if c != p {
                i += 1;
                continue;
            }
            let name_start = if b.get(i + 1) == Some(&p) {
                i + 2
            } else {
                i + 1
            };
            let mut e = name_start;
            while e < n && is_name(b[e]) {
                e += 1;
            }
            if e == name_start {
                i = name_start.max(i + 1);
                continue;
            }
            let name = &src[name_start..e];
            let key = name.to_ascii_lowercase();
            match self.defines.get(&key) {
                Some(v) => {
                    out.push_str(&src[copied..i]);
                    out.push_str(v);
                    let after = if b.get(e) == Some(&b'.') { e + 1 } else { e };
                    copied = after;
                    i = after;
                }
                None => {
                    all_defined = false;
                    if !raised.contains(&key) {
                        findings.push(Finding::new(
                            &codes::UNDEFINED_SUBSTITUTION,
                            Span::new(id, (base + i) as u32, (base + e) as u32),
                            &[name],
                        ));
                        raised.push(key);
                    }
                    i = e;
                }
            }
        }
        out.push_str(&src[copied..]);
        (out, all_defined)
    }

    #[allow(clippy::too_many_arguments)]
    fn command(
        &mut self,
        map: &mut SourceMap,
        id: FileId,
        text: &str,
        pos: usize,
        name: &'static str,
        wend: usize,
        depth: usize,
        out: &mut Vec<Unit>,
    ) -> usize {
        let b = text.as_bytes();
        let (end, next) = command_extent(b, pos, name != "REMARK");
        let span = Span::new(id, pos as u32, end as u32);
        let mut unit = Unit {
            file: id,
            start: pos as u32,
            end: end as u32,
            text: text.get(pos..end).unwrap_or_default().to_string(),
            kind: UnitKind::Command(name.to_string()),
            findings: Vec::new(),
        };
        if name != "REMARK" {
            unit.findings
                .push(Finding::new(&codes::SQLPLUS_COMMAND, span, &[name]));
        }
        let args_at = wend.min(end);
        match name {
            "DEFINE" => self.define(id, text, args_at, end, &mut unit),
            "UNDEFINE" => {
                let args = join_continued(text.get(args_at..end).unwrap_or_default());
                for t in tokenize(&args) {
                    self.defines.remove(&t.to_ascii_lowercase());
                }
            }
            "ACCEPT" => self.accept(id, text.get(args_at..end).unwrap_or_default()),
            "SET" => self.set(&join_continued(text.get(args_at..end).unwrap_or_default())),
            "@" | "@@" | "START" => {
                let spliced = self.include(map, id, text, args_at, end, name, depth, &mut unit);
                out.push(unit);
                if let Some((fid, canon)) = spliced {
                    self.stack.push(canon);
                    // SET DEFINE state is the session's: it carries into and out of includes.
                    self.split_file(map, fid, depth + 1, out);
                    self.stack.pop();
                }
                return next;
            }
            _ => {}
        }
        out.push(unit);
        next
    }

    /// `DEFINE name = value`: value quoted (`"..."`, `'...'`) or the rest of the line (a
    /// trailing `;` dropped). `DEFINE` / `DEFINE name` only list variables.
    fn define(&mut self, id: FileId, text: &str, from: usize, end: usize, unit: &mut Unit) {
        let b = text.as_bytes();
        let mut i = from;
        while i < end && is_space(b[i]) {
            i += 1;
        }
        let ns = i;
        while i < end && !is_space(b[i]) && b[i] != b'=' {
            i += 1;
        }
        if i == ns {
            return;
        }
        let name = text[ns..i].to_ascii_lowercase();
        while i < end && is_space(b[i]) {
            i += 1;
        }
        if i >= end || b[i] != b'=' {
            return;
        }
        let vs = i + 1;
        let raw = text.get(vs..end).unwrap_or_default();
        let (value, ok) = if self.define_on && raw.as_bytes().contains(&self.prefix) {
            self.substitute(raw, vs, id, false, &mut unit.findings)
        } else {
            (raw.to_string(), true)
        };
        if !ok {
            return;
        }
        let v = join_continued(&value);
        let v = v.trim();
        let value = match v.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let rest = &v[1..];
                rest[..rest.find(q).unwrap_or(rest.len())].to_string()
            }
            _ => v.strip_suffix(';').unwrap_or(v).trim_end().to_string(),
        };
        self.defines.insert(name, value);
    }

    /// `ACCEPT name ... DEFAULT value`: defines `name` as the default when it has no value yet
    /// (`--define` or an earlier `DEFINE` stand for the answer to the prompt).
    fn accept(&mut self, id: FileId, args: &str) {
        let toks = tokenize(&join_continued(args));
        let Some(name) = toks.first().map(|t| t.to_ascii_lowercase()) else {
            return;
        };
        if self.defines.contains_key(&name) {
            return;
        }
        let abbrev = |t: &str, full: &str, min: usize| {
            t.len() >= min && t.len() <= full.len() && full[..t.len()].eq_ignore_ascii_case(t)
        };
        let mut k = 1;
        while k + 1 < toks.len() {
            let t = toks[k].as_str();
            if abbrev(t, "PROMPT", 3) || abbrev(t, "FORMAT", 3) {
                k += 2;
            } else if abbrev(t, "DEFAULT", 3) {
                let v = &toks[k + 1];
                let (v, ok) = if self.define_on && v.as_bytes().contains(&self.prefix) {
                    self.substitute(v, 0, id, false, &mut Vec::new())
                } else {
                    (v.clone(), true)
                };
                if ok {
                    self.defines.insert(name, v);
                }
                return;
            } else {
                k += 1;
            }
        }
    }

    /// Tracks `SET DEFINE {ON|OFF|c}` and `SET SCAN {ON|OFF}` among the options of a SET.
    fn set(&mut self, args: &str) {
        let toks = tokenize(args.trim_end_matches(';'));
        let mut k = 0;
        while k + 1 < toks.len() {
            let opt = toks[k].to_ascii_uppercase();
            let is_define = opt.len() >= 3 && "DEFINE".starts_with(opt.as_str());
            if is_define || opt == "SCAN" {
                let v = toks[k + 1].trim_end_matches(';');
                if v.eq_ignore_ascii_case("OFF") {
                    self.define_on = false;
                } else if v.eq_ignore_ascii_case("ON") {
                    self.define_on = true;
                    self.prefix = b'&';
                } else if is_define
                    && v.len() == 1
                    && v.as_bytes()[0].is_ascii_punctuation()
                    && !b"'\"-/*;".contains(&v.as_bytes()[0])
                {
                    self.define_on = true;
                    self.prefix = v.as_bytes()[0];
                }
                k += 2;
            } else {
                k += 1;
            }
        }
    }

    /// Resolves an include; returns the file to splice in (and its canonical path), or records
    /// why not on `unit`.
    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        map: &mut SourceMap,
        id: FileId,
        text: &str,
        from: usize,
        end: usize,
        name: &str,
        depth: usize,
        unit: &mut Unit,
    ) -> Option<(FileId, PathBuf)> {
        let raw = text.get(from..end).unwrap_or_default();
        let subst_on = self.define_on && raw.as_bytes().contains(&self.prefix);
        let subst = if subst_on {
            self.substitute(raw, from, id, false, &mut unit.findings).0
        } else {
            raw.to_string()
        };
        // SQL*Plus substitutes first, then reads the file name and the arguments.
        let args = tokenize(join_continued(&subst).trim_end_matches([';', ' ', '\t']));
        let mut args = args.into_iter();
        let path_arg = args.next()?;
        // Whether each word was fully substituted (the findings are already on the unit).
        let defined = |s: &str| !subst_on || self.substitute(s, 0, id, false, &mut Vec::new()).1;
        let raw_words = tokenize(join_continued(raw).trim_end_matches([';', ' ', '\t']));
        let span = Span::new(id, unit.start, unit.end);
        if !raw_words.first().is_some_and(|w| defined(w)) {
            unit.findings
                .push(Finding::new(&codes::INCLUDE_NOT_FOUND, span, &[&path_arg]));
            return None;
        }
        let params: Vec<(String, String)> = args
            .enumerate()
            .filter(|(k, _)| raw_words.get(k + 1).is_none_or(|w| defined(w)))
            .map(|(k, a)| ((k + 1).to_string(), a))
            .collect();
        self.defines.extend(params);
        let mut rel = path_arg.replace('\\', "/");
        while let Some(r) = rel.strip_prefix("./") {
            rel = r.to_string();
        }
        let file_name = rel.rsplit('/').next().unwrap_or_default().to_string();
        let has_ext = file_name.contains('.');
        if !has_ext {
            rel.push_str(".sql");
        }
        let mut found = self.resolve(map, id, &rel, name == "@@");
        if found.is_none() {
            // Scripts often include through a path prefix they were installed under
            // (`@__SUB__CWD__/human_resources/hr_cre`): try the shorter tails of the path next
            // to the including script.
            let parts: Vec<&str> = rel.split('/').collect();
            for k in 1..parts.len() {
                let tail = parts[k..].join("/");
                if let Some(hit) = self.resolve(map, id, &tail, true) {
                    unit.findings.push(Finding::new(
                        &codes::INCLUDE_BY_NAME,
                        span,
                        &[&path_arg, &hit.1],
                    ));
                    found = Some(hit);
                    break;
                }
            }
        }
        let Some((path, display)) = found else {
            let lower = rel.rsplit('/').next().unwrap_or_default().to_lowercase();
            let stem = file_name.to_lowercase();
            let known = self.input_names.iter().any(|n| {
                *n == lower || (!has_ext && n.rsplit_once('.').is_some_and(|(s, _)| s == stem))
            });
            if !known {
                unit.findings
                    .push(Finding::new(&codes::INCLUDE_NOT_FOUND, span, &[&path_arg]));
            }
            return None;
        };
        let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
        if self.stack.contains(&canon) || depth >= MAX_INCLUDE_DEPTH {
            unit.findings
                .push(Finding::new(&codes::INCLUDE_CYCLE, span, &[&path_arg]));
            return None;
        }
        if self.input_set.contains(&canon) {
            return None; // converted as an input of its own
        }
        if let Some(&fid) = self.included.get(&canon) {
            return Some((fid, canon));
        }
        match std::fs::read(&path) {
            Ok(bytes) => {
                let fid = map.add(display, Some(path), &bytes);
                self.included.insert(canon.clone(), fid);
                Some((fid, canon))
            }
            Err(_) => {
                unit.findings
                    .push(Finding::new(&codes::INCLUDE_NOT_FOUND, span, &[&path_arg]));
                None
            }
        }
    }

    /// The path of an include (`rel` has its extension) and its display name.
    fn resolve(
        &self,
        map: &SourceMap,
        id: FileId,
        rel: &str,
        relative_only: bool,
    ) -> Option<(PathBuf, String)> {
        let p = Path::new(rel);
        if p.is_absolute() {
            return p.is_file().then(|| (p.to_path_buf(), rel.to_string()));
        }
        let cur = map.files.get(id.0 as usize)?;
        if let Some(dir) = cur.path.as_deref().and_then(Path::parent) {
            let c = dir.join(p);
            if c.is_file() {
                let display = match cur.name.rsplit_once('/') {
                    Some((d, _)) if !d.is_empty() => format!("{d}/{rel}"),
                    _ => rel.to_string(),
                };
                return Some((c, display));
            }
            if relative_only {
                return None;
            }
        }
        p.is_file().then(|| (p.to_path_buf(), rel.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn split_map(map: &mut SourceMap, defines: &[(&str, &str)]) -> Vec<Unit> {
        let opts = SplitOptions {
            defines: defines
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        let units = split_all(map, &opts);
        for u in &units {
            let f = map.get(u.file);
            assert!(u.start <= u.end && u.end as usize <= f.text.len());
            assert!(f.text.is_char_boundary(u.start as usize));
            assert!(f.text.is_char_boundary(u.end as usize));
        }
        units
    }

    fn split(text: &str) -> Vec<Unit> {
        let mut map = SourceMap::default();
        map.add_text("t.sql", text);
        split_map(&mut map, &[])
    }

    fn texts(units: &[Unit]) -> Vec<&str> {
        units.iter().map(|u| u.text.as_str()).collect()
    }

    fn kinds(units: &[Unit]) -> Vec<String> {
        units
            .iter()
            .map(|u| match &u.kind {
                UnitKind::Sql => "SQL".to_string(),
                UnitKind::Plsql => "PLSQL".to_string(),
                UnitKind::Command(c) => c.clone(),
            })
            .collect()
    }

    fn codes_of(u: &Unit) -> Vec<&'static str> {
        u.findings.iter().map(|f| f.code.code).collect()
    }

    fn temp_dir(tag: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "schemac-split-{}-{}-{}",
            std::process::id(),
            tag,
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn add_input(map: &mut SourceMap, dir: &Path, rel: &str) -> FileId {
        let p = dir.join(rel);
        let bytes = std::fs::read(&p).unwrap();
        map.add(rel, Some(p), &bytes)
    }

    #[test]
    fn semicolon_and_slash_terminators() {
        let src = "create table a (x int);\ninsert into a values (1);  select 1 from dual\n/\n\nselect 2\n  from dual\n   /   \ndrop table a";
        let u = split(src);
        assert_eq!(
            texts(&u),
            [
                "create table a (x int)",
                "insert into a values (1)",
                "select 1 from dual",
                "select 2\n  from dual",
                "drop table a"
            ]
        );
        assert!(
            u.iter()
                .all(|u| u.kind == UnitKind::Sql && u.findings.is_empty())
        );
        for x in &u {
            assert_eq!(&src[x.start as usize..x.end as usize], x.text);
        }
        // A `/` after a `;`-terminated statement runs nothing new; a lone `;` is nothing.
        let u = split("select 1 from dual;\n/\n;\n;select 2 from dual;");
        assert_eq!(texts(&u), ["select 1 from dual", "select 2 from dual"]);
        // Blank lines do not end a statement.
        let u = split("create table t (\n\n  a int,\n\n  b int\n);\n");
        assert_eq!(u.len(), 1);
        // `/` not alone on its line is division.
        let u = split("select 4\n/ 2 from dual;");
        assert_eq!(texts(&u), ["select 4\n/ 2 from dual"]);
    }

    #[test]
    fn plsql_units() {
        let src = "create or replace procedure p is\nbegin\n  null; x := 1;\nend p;\n/\nselect 1 from dual;\n\
                   DECLARE\n  v number;\nBEGIN\n  v := 2;\nEND;\n/\nbegin null; end;\n/\n\
                   create or replace editionable package body k as\n procedure a is begin null; end;\nend k;\n/\n\
                   CREATE TYPE t AS OBJECT (a NUMBER);\n/\ncreate type body t as member function f return number is begin return 1; end; end;\n/\n\
                   create or replace and compile java source named \"X\" as public class X {};\n/\n\
                   create table z (a int);\ncreate or replace trigger tr before insert on z begin null; end;";
        let u = split(src);
        assert_eq!(
            kinds(&u),
            [
                "PLSQL", "SQL", "PLSQL", "PLSQL", "PLSQL", "PLSQL", "PLSQL", "PLSQL", "SQL",
                "PLSQL"
            ]
        );
        assert_eq!(
            u[0].text,
            "create or replace procedure p is\nbegin\n  null; x := 1;\nend p;"
        );
        assert_eq!(u[3].text, "begin null; end;");
        assert!(u[9].text.ends_with("end;"));
        assert!(u.iter().all(|u| u.findings.is_empty()));
        // CREATE VIEW / SYNONYM are SQL even with OR REPLACE.
        let u = split(
            "create or replace force view v as select 1 x from dual;\ncreate or replace public synonym s for t;",
        );
        assert_eq!(kinds(&u), ["SQL", "SQL"]);
    }

    #[test]
    fn plsql_without_slash() {
        // At end of file: the unit ends there, no finding.
        let u = split("create procedure p as\nbegin\n  null;\nend;\n");
        assert_eq!(kinds(&u), ["PLSQL"]);
        assert!(u[0].text.ends_with("end;") && u[0].findings.is_empty());
        // Lenient: a new CREATE after an END line.
        let src = "create package p as\n  procedure a;\nend p;\n\n-- next\ncreate package body p as\n  procedure a is\n  begin\n    for i in 1..2 loop null;\n    end loop;\n  end a;\nend;\ncreate table t (a int);\n";
        let u = split(src);
        assert_eq!(kinds(&u), ["PLSQL", "PLSQL", "SQL"]);
        assert_eq!(u[0].text, "create package p as\n  procedure a;\nend p;");
        assert!(u[1].text.ends_with("end a;\nend;"));
        // END LOOP / END IF lines do not end a unit; nor does an END line not followed by DDL.
        let u = split("begin\n  loop\n    null;\n  end loop;\n  create_x;\nend;\n/\n");
        assert_eq!(u.len(), 1);
        // Type specs without `/`.
        let u = split(
            "create type a as object (x number);\ncreate type b as table of a;\ncreate type c;\n",
        );
        assert_eq!(
            texts(&u),
            [
                "create type a as object (x number);",
                "create type b as table of a;",
                "create type c;"
            ]
        );
        // END line followed by SQL*Plus commands.
        let u = split("create procedure p as begin null;\nend;\nshow errors\nprompt done\n");
        assert_eq!(kinds(&u), ["PLSQL", "SHOW", "PROMPT"]);
    }

    #[test]
    fn strings_quotes_and_comments() {
        let src = "insert into t values ('a;b', 'it''s; /', q'[x;'] y]', Q'{;}', nq'!;!', q'Ω;Ω', \"c;d\");\n\
                   -- between; units\n/* block ; \n / \n */\n select 'x\n/* not a comment; */' from dual -- trailing; comment\n;\n";
        let u = split(src);
        assert_eq!(u.len(), 2, "{:?}", texts(&u));
        assert!(u[0].text.ends_with("\"c;d\")"));
        assert!(u[1].text.starts_with("select 'x"));
        assert!(u[1].text.ends_with("-- trailing; comment"));
        // Comments inside a unit are kept.
        let u = split("select /* ; */ 1 -- ;\n from dual;");
        assert_eq!(texts(&u), ["select /* ; */ 1 -- ;\n from dual"]);
        // `q` inside a word is not a q-quote.
        let u = split("select abq'x' from dual; select 2 from dual;");
        assert_eq!(u.len(), 2);
    }

    #[test]
    fn unterminated_units() {
        let u = split("select 'abc from dual;\nselect 1 from dual;");
        assert_eq!(u.len(), 1);
        assert_eq!(codes_of(&u[0]), ["PRS009"]);
        assert!(u[0].findings[0].message.contains("string"));
        let u = split("select 1 /* never closed;\n");
        assert_eq!(codes_of(&u[0]), ["PRS009"]);
        let u = split("select 1 from dual;\n/* never closed;\n");
        assert_eq!(u.len(), 2);
        assert_eq!(codes_of(&u[1]), ["PRS009"]);
        // A lone `/` line cuts an unclosed string (SQL*Plus reads lines), the rest goes on.
        let u = split("begin x := 'abc;\nend;\n/\nselect 1 from dual;");
        assert_eq!(kinds(&u), ["PLSQL", "SQL"]);
        assert_eq!(codes_of(&u[0]), ["PRS009"]);
        let u = split("select \"abc from dual;");
        assert!(u[0].findings[0].message.contains("quoted name"));
    }

    #[test]
    fn sqlplus_commands() {
        let src = "REM a comment; still\nrem\nRemark x\nPRO hello\nprompt\nSET ECHO OFF\nset serveroutput on size 1000000;\n\
                   SHO ERR\nshow errors\nSPO x.log\nspool off\nWHENEVER SQLERROR EXIT SQL.SQLCODE\nDEF a = 1\nundef a\n\
                   COL x FORMAT a10\ncolumn y new_value z noprint\nACC p PROMPT 'P: ' HIDE\nCONN u/p@db\nconnect u/p\nDISC\n\
                   EXIT\nquit\nPAU\nTTITLE 'x'\nBTITLE off\nBREAK ON a\nCOMPUTE SUM OF b ON a\nCL BREAKS\nclear screen\nHOST ls\n\
                   ! ls -l\n$ del x\nTIMING START t\nVAR v NUMBER\nvariable w varchar2(10);\nPRINT v\nEXEC p(1);\nexecute p(2)\n\
                   STA nothing_here_xyz\ndesc t\nselect 1 from dual;";
        let u = split(src);
        let k = kinds(&u);
        let expect = [
            "REMARK",
            "REMARK",
            "REMARK",
            "PROMPT",
            "PROMPT",
            "SET",
            "SET",
            "SHOW",
            "SHOW",
            "SPOOL",
            "SPOOL",
            "WHENEVER",
            "DEFINE",
            "UNDEFINE",
            "COLUMN",
            "COLUMN",
            "ACCEPT",
            "CONNECT",
            "CONNECT",
            "DISCONNECT",
            "EXIT",
            "QUIT",
            "PAUSE",
            "TTITLE",
            "BTITLE",
            "BREAK",
            "COMPUTE",
            "CLEAR",
            "CLEAR",
            "HOST",
            "HOST",
            "HOST",
            "TIMING",
            "VARIABLE",
            "VARIABLE",
            "PRINT",
            "EXECUTE",
            "EXECUTE",
            "START",
            "DESCRIBE",
            "SQL",
        ];
        assert_eq!(k, expect);
        assert_eq!(u[0].text, "REM a comment; still");
        assert_eq!(u[6].text, "set serveroutput on size 1000000;");
        for x in &u {
            match &x.kind {
                UnitKind::Command(c) if c == "REMARK" => assert!(x.findings.is_empty()),
                UnitKind::Command(c) if c == "START" => {
                    assert_eq!(codes_of(x), ["PRS002", "PRS005"])
                }
                UnitKind::Command(c) => {
                    assert_eq!(codes_of(x), ["PRS002"]);
                    assert_eq!(x.findings[0].span, Span::new(x.file, x.start, x.end));
                    assert!(x.findings[0].message.contains(c.as_str()));
                }
                _ => assert!(x.findings.is_empty()),
            }
        }
        // Not commands: SQL that starts with SET, words that merely start like a command.
        let u = split(
            "set transaction read only;\nSET ROLE all;\nset constraints all deferred;\ncomment on table t is 'x';\nremove_it;\nse x;",
        );
        assert!(u.iter().all(|u| u.kind == UnitKind::Sql), "{:?}", kinds(&u));
        // A command after a `;` on the same line.
        let u = split("select 1 from dual; prompt hi\n");
        assert_eq!(kinds(&u), ["SQL", "PROMPT"]);
    }

    #[test]
    fn command_continuation() {
        let u = split(
            "EXECUTE dbms_stats.gather_schema_stats( -\n        'HR'                           -\n       , granularity => 'ALL' -\n        );\nselect 1 from dual;\n",
        );
        assert_eq!(kinds(&u), ["EXECUTE", "SQL"]);
        assert!(u[0].text.ends_with(");"));
        // Separators are not continuations; REM lines never continue.
        let u = split("prompt -------\nselect 1 from dual;\nrem x -\nselect 2 from dual;\n");
        assert_eq!(kinds(&u), ["PROMPT", "SQL", "REMARK", "SQL"]);
        let u = split("prompt a -\nb\nselect 1 from dual;");
        assert_eq!(kinds(&u), ["PROMPT", "SQL"]);
        assert_eq!(u[0].text, "prompt a -\nb");
        // A continued DEFINE.
        let u = split("define x = abc -\n\nselect '&x' from dual;");
        assert_eq!(u[1].text, "select 'abc' from dual");
    }

    #[test]
    fn blank_line_before_command_ends_unterminated_sql() {
        let u = split("create table t (a int)\n\nprompt next\nselect 1 from dual;");
        assert_eq!(kinds(&u), ["SQL", "PROMPT", "SQL"]);
        assert_eq!(u[0].text, "create table t (a int)");
    }

    #[test]
    fn substitution() {
        let src = "DEFINE owner = hr\nDEFINE tbs=users\nDEFINE msg = \"a b c\"\ndef log_path = '/tmp/'\n\
                   create table &owner..t (a varchar2(10) default '&msg') tablespace &&TBS;\n\
                   -- &not_in_comment\nselect \"&owner\" from &owner;\nDEFINE spool_file = &log_path.hr_main.log\nselect '&spool_file' from dual;";
        let u = split(src);
        let sql: Vec<&Unit> = u.iter().filter(|u| u.kind == UnitKind::Sql).collect();
        assert_eq!(
            sql[0].text,
            "create table hr.t (a varchar2(10) default 'a b c') tablespace users"
        );
        assert!(sql[0].findings.is_empty());
        // Quoted names are substituted too (`IDENTIFIED BY "&pass"`); comments are not.
        assert_eq!(sql[1].text, "select \"hr\" from hr");
        assert!(sql[1].findings.is_empty());
        assert_eq!(sql[2].text, "select '/tmp/hr_main.log' from dual");
        // Undefined: left as is, one finding per variable and unit, on the occurrence.
        let src = "select &a, &&a, &b., &1 from dual where x = '&a';";
        let u = split(src);
        assert_eq!(u[0].text, src.trim_end_matches(';'));
        assert_eq!(codes_of(&u[0]), ["PRS004", "PRS004", "PRS004"]);
        let f = &u[0].findings[0];
        assert_eq!(&src[f.span.start as usize..f.span.end as usize], "&a");
        assert!(u[0].findings[1].message.contains("&b"));
        // `--define` values are defaults; the script's DEFINE overrides them.
        let mut map = SourceMap::default();
        map.add_text("a.sql", "select &x, &y from dual;\ndefine x = 2\nselect &x, &Y from dual;\ndefine y = &undefined_one\nselect &y from dual;");
        let u = split_map(&mut map, &[("X", "1"), ("y", "9")]);
        assert_eq!(u[0].text, "select 1, 9 from dual");
        assert_eq!(u[2].text, "select 2, 9 from dual");
        assert_eq!(codes_of(&u[3]), ["PRS002", "PRS004"]);
        assert_eq!(u[4].text, "select 9 from dual");
        // UNDEFINE.
        let u = split("define z = 1\nundefine z\nselect &z from dual;");
        assert_eq!(codes_of(&u[2]), ["PRS004"]);
        // ACCEPT ... DEFAULT defines the variable unless it has a value already.
        let mut map = SourceMap::default();
        map.add_text("a.sql", "accept a prompt 'A: ' default 'x y'\nACC b CHAR DEF y PROMPT 'B [&a]: ' HIDE\naccept c prompt 'C?' default '&nope'\nselect '&a', '&b', '&c' from dual;");
        let u = split_map(&mut map, &[("b", "given")]);
        assert_eq!(u[3].text, "select 'x y', 'given', '&c' from dual");
        assert_eq!(codes_of(&u[3]), ["PRS004"]);
        // `&` without a name is left alone.
        let u = split("select 'a & b', 'x&&' from dual;");
        assert!(u[0].findings.is_empty());
    }

    #[test]
    fn set_define() {
        let src = "define v = 1\nSET DEFINE OFF\nselect 'AT&T', &v from dual;\nset define on\nselect &v from dual;\n\
                   set def ^\nselect ^v, '&v' from dual;\nset scan off\nselect ^v from dual;\nset scan on\nselect &v from dual;\n\
                   SET ECHO OFF DEFINE OFF;\nselect &v from dual;";
        let u = split(src);
        let sql: Vec<&str> = u
            .iter()
            .filter(|u| u.kind == UnitKind::Sql)
            .map(|u| u.text.as_str())
            .collect();
        assert_eq!(
            sql,
            [
                "select 'AT&T', &v from dual",
                "select 1 from dual",
                "select 1, '&v' from dual",
                "select ^v from dual",
                "select 1 from dual",
                "select &v from dual"
            ]
        );
        assert!(
            u.iter()
                .filter(|u| u.kind == UnitKind::Sql)
                .all(|u| u.findings.is_empty())
        );
        // SET DEFINE state is reset per input file; variables persist.
        let mut map = SourceMap::default();
        map.add_text("a.sql", "define v = 7\nset define off\n");
        map.add_text("b.sql", "select &v from dual;");
        let u = split_map(&mut map, &[]);
        assert_eq!(u.last().unwrap().text, "select 7 from dual");
    }

    #[test]
    fn includes() {
        let d = temp_dir("inc");
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(
            d.join("main.sql"),
            "define who = hr\n@@sub/child\nselect 'after' from dual;\n@ sub/child.sql;\nstart sub/child\n@@sub/args.sql 'x y' z\n",
        )
        .unwrap();
        std::fs::write(
            d.join("sub/child.sql"),
            "select '&who' from dual;\n@@grand.sql\n",
        )
        .unwrap();
        std::fs::write(d.join("sub/grand.sql"), "create table g (a int);\n").unwrap();
        std::fs::write(d.join("sub/args.sql"), "select '&1', '&2' from dual;\n").unwrap();
        let mut map = SourceMap::default();
        add_input(&mut map, &d, "main.sql");
        let u = split_map(&mut map, &[]);
        assert_eq!(
            kinds(&u),
            [
                "DEFINE", "@@", "SQL", "@@", "SQL", "SQL", "@", "SQL", "@@", "SQL", "START", "SQL",
                "@@", "SQL", "@@", "SQL"
            ]
        );
        assert_eq!(u[2].text, "select 'hr' from dual");
        assert_eq!(u[4].text, "create table g (a int)");
        assert_eq!(u[15].text, "select 'x y', 'z' from dual");
        assert!(u.iter().all(|u| !codes_of(u).contains(&"PRS005")));
        assert_eq!(map.get(u[2].file).name, "sub/child.sql");
        assert_eq!(map.get(u[4].file).name, "sub/grand.sql");
        // Included files are added once, whatever the number of includes.
        assert_eq!(map.files.len(), 4);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn include_cycle_and_not_found() {
        let d = temp_dir("cycle");
        std::fs::write(d.join("a.sql"), "@@b\nselect 1 from dual;\n").unwrap();
        std::fs::write(d.join("b.sql"), "@@c.sql\n").unwrap();
        std::fs::write(d.join("c.sql"), "@@b.sql\n@@missing_file\n@@&undefined_v\n").unwrap();
        let mut map = SourceMap::default();
        add_input(&mut map, &d, "a.sql");
        let u = split_map(&mut map, &[]);
        assert_eq!(kinds(&u), ["@@", "@@", "@@", "@@", "@@", "SQL"]);
        assert_eq!(codes_of(&u[2]), ["PRS002", "PRS006"]);
        assert_eq!(codes_of(&u[3]), ["PRS002", "PRS005"]);
        assert!(u[3].findings[1].message.contains("missing_file"));
        assert_eq!(codes_of(&u[4]), ["PRS002", "PRS004", "PRS005"]);
        // A file including itself.
        std::fs::write(d.join("self.sql"), "@@self\n").unwrap();
        let mut map = SourceMap::default();
        add_input(&mut map, &d, "self.sql");
        let u = split_map(&mut map, &[]);
        assert_eq!(codes_of(&u[0]), ["PRS002", "PRS006"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn include_of_an_input() {
        let d = temp_dir("input");
        std::fs::create_dir_all(d.join("hr")).unwrap();
        std::fs::write(
            d.join("main.sql"),
            "@@hr/cre\n@__SUB__CWD__/human_resources/cre\n@/nowhere/code.sql\n@other\n",
        )
        .unwrap();
        std::fs::write(d.join("hr/cre.sql"), "create table t (a int);\n").unwrap();
        std::fs::write(d.join("hr/code.sql"), "create table u (a int);\n").unwrap();
        let mut map = SourceMap::default();
        add_input(&mut map, &d, "main.sql");
        add_input(&mut map, &d, "hr/cre.sql");
        add_input(&mut map, &d, "hr/code.sql");
        let u = split_map(&mut map, &[]);
        // Inputs are not spliced in; each is converted once, as an input.
        assert_eq!(kinds(&u), ["@@", "@", "@", "@", "SQL", "SQL"]);
        assert_eq!(codes_of(&u[0]), ["PRS002"]);
        assert_eq!(codes_of(&u[1]), ["PRS002"]);
        assert_eq!(codes_of(&u[2]), ["PRS002"]);
        assert_eq!(codes_of(&u[3]), ["PRS002", "PRS005"]);
        assert_eq!(map.files.len(), 3);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn crlf_bom_and_latin1() {
        let mut map = SourceMap::default();
        map.add(
            "a.sql",
            None,
            b"\xEF\xBB\xBFselect 1\r\nfrom dual;\r\nbegin\r\n null;\r\nend;\r\n/\r\nprompt x\r\nselect 'caf\xC3\xA9' from dual\r\n/\r\n",
        );
        let u = split_map(&mut map, &[]);
        assert_eq!(
            texts(&u),
            [
                "select 1\r\nfrom dual",
                "begin\r\n null;\r\nend;",
                "prompt x",
                "select 'café' from dual"
            ]
        );
        assert!(u.iter().all(|u| !codes_of(u).contains(&"PRS007")));
        let mut map = SourceMap::default();
        map.add(
            "l.sql",
            None,
            b"prompt caf\xE9\nselect 'caf\xE9' from dual;\n",
        );
        map.add("e.sql", None, b"-- caf\xE9 only a comment\n");
        let u = split_map(&mut map, &[]);
        assert_eq!(kinds(&u), ["PROMPT", "SQL", "FILE"]);
        assert_eq!(codes_of(&u[0]), ["PRS002", "PRS007"]);
        assert_eq!(u[1].text, "select 'café' from dual");
        assert_eq!(codes_of(&u[2]), ["PRS007"]);
        assert_eq!(u[2].file, FileId(1));
    }

    #[test]
    fn garbage_never_panics() {
        // A small deterministic generator over bytes that matter to the scanner.
        let alphabet: &[u8] = b"';\"/*-\n\r qQnN[]{}()<>!@&.$:=abcEND\xC3\xA9\x00\xFF\xEF\xBB\xBF";
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..400 {
            let len = (round * 7) % 300;
            let mut bytes = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                bytes.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let mut map = SourceMap::default();
            map.add("g.sql", None, &bytes);
            let _ = split_map(&mut map, &[("a", "&a")]);
        }
        for s in [
            "/",
            "/\n/",
            "q'",
            "q'[",
            "nq'",
            "'",
            "\"",
            "/*",
            "--",
            "@",
            "@@",
            "&",
            "&&",
            "begin",
            "create or replace",
            "end;\ncreate",
            "define",
            "define x =",
            "set define",
            "prompt -",
            "exec -\n",
            "\u{feff}",
            "\0\0;\0",
        ] {
            let _ = split(s);
        }
        let huge = "x".repeat(1 << 20);
        let u = split(&huge);
        assert_eq!(u[0].text.len(), 1 << 20);
    }

    /// Splits the shared corpus when it is there (`../shared/corpus`).
    #[test]
    fn corpus() {
        // `../shared/corpus` from the crate; from a worktree (`wt/<name>`), one level further up.
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let Some(root) = here
            .ancestors()
            .skip(1)
            .take(2)
            .map(|a| a.join("shared/corpus/oracle"))
            .find(|p| p.is_dir())
        else {
            eprintln!("skipped: corpus not found (../shared/corpus/oracle)");
            return;
        };
        let mut files = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(d) = dirs.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_none_or(|x| x != "md" && x != "txt")
                    && p.file_name().is_some_and(|n| n != "LICENSE")
                {
                    files.push(p);
                }
            }
        }
        files.sort();
        // Every file alone, then all together (includes resolve against inputs).
        let mut all = SourceMap::default();
        for p in &files {
            let bytes = std::fs::read(p).unwrap();
            let mut map = SourceMap::default();
            map.add(p.to_string_lossy(), Some(p.clone()), &bytes);
            let _ = split_map(&mut map, &[]);
            all.add(p.to_string_lossy(), Some(p.clone()), &bytes);
        }
        let units = split_map(&mut all, &[]);
        assert_eq!(
            all.files.len(),
            files.len(),
            "no input may be included again"
        );

        let of = |rel: &str| -> Vec<Unit> {
            let p = root.join(rel);
            let id = all.find_path(&p).unwrap();
            units.iter().filter(|u| u.file == id).cloned().collect()
        };
        let count = |us: &[Unit], k: &UnitKind| us.iter().filter(|u| &u.kind == k).count();
        let cmd = |s: &str| UnitKind::Command(s.to_string());

        let v21 = "hr/v21.1/human_resources/";
        let u = of(&format!("{v21}hr_cre.sql"));
        assert_eq!(count(&u, &UnitKind::Sql), 26);
        assert_eq!(count(&u, &UnitKind::Plsql), 0);
        assert_eq!(count(&u, &cmd("PROMPT")), 8);
        assert_eq!(count(&u, &cmd("SET")), 7);
        let u = of(&format!("{v21}hr_code.sql"));
        assert_eq!(count(&u, &UnitKind::Plsql), 4);
        assert_eq!(count(&u, &UnitKind::Sql), 2);
        assert!(
            u.iter()
                .all(|u| u.findings.iter().all(|f| f.code.code == "PRS002"))
        );
        let u = of(&format!("{v21}hr_analz.sql"));
        assert_eq!(count(&u, &cmd("EXECUTE")), 1);
        let u = of(&format!("{v21}hr_main.sql"));
        assert_eq!(count(&u, &cmd("@")), 6);
        assert!(
            u.iter()
                .filter(|u| u.kind == cmd("@"))
                .all(|u| codes_of(u) == ["PRS002", "PRS011"]),
            "hr_main includes resolve (by their path's tail) to the other inputs"
        );
        let u = of(&format!("{v21}hr_popul.sql"));
        assert!(count(&u, &UnitKind::Sql) > 200);

        let main = "hr/main/human_resources/";
        let u = of(&format!("{main}hr_code.sql"));
        assert_eq!(count(&u, &UnitKind::Plsql), 4);
        let u = of(&format!("{main}hr_install.sql"));
        assert!(count(&u, &UnitKind::Plsql) >= 2);

        let dms = "dms_sample/schema/";
        let u = of(&format!("{dms}ticket_management.pkg"));
        assert_eq!(count(&u, &UnitKind::Plsql), 2);
        assert_eq!(count(&u, &cmd("SHOW")), 1);
        let u = of(&format!("{dms}dim_player"));
        assert_eq!(count(&u, &UnitKind::Plsql), 0);
        assert!(
            u.iter()
                .all(|u| u.findings.iter().all(|f| f.code.code != "PRS004"))
        );
        let u = of(&format!("{dms}install_dms_sample_data.sql"));
        assert!(
            u.iter().all(|u| !codes_of(u).contains(&"PRS005")),
            "dms includes resolve to inputs"
        );

        let total: usize = units.len();
        let unterminated = units
            .iter()
            .filter(|u| codes_of(u).contains(&"PRS009"))
            .count();
        eprintln!(
            "corpus: {} files, {total} units, {unterminated} unterminated",
            files.len()
        );
    }
}
