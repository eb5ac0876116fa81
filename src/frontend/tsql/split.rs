//! sqlcmd / isql script splitting: files -> batches (`GO [n]` lines) -> statements.
//!
//! # Batches
//! A line holding only `GO` (any case, indented or not, optionally followed by a repeat count
//! and a `--` comment) ends a batch, outside strings and block comments (which nest, as in
//! T-SQL). `GO n` runs the batch n times; for a schema script that is the same as once.
//!
//! # sqlcmd commands (at the start of a line)
//! `:setvar name value` defines a scripting variable; `$(name)` is replaced in the batches
//! that follow (undefined: left as is with `SQLCMD_VARIABLE`). `:r file` includes a file
//! (relative to the including file, then to the current directory). `:on error`, `:connect`,
//! `:out` ... are skipped with `SQLCMD_COMMAND`. Lines starting with `////` (Obevo change
//! markers) are skipped the same way; `${name}` (Obevo tokens) is replaced by nothing with
//! `SQLCMD_VARIABLE`.
//!
//! # Statements
//! `;` is optional in T-SQL, so a batch is cut into statements at depth 0 on `;` and before a
//! statement keyword that starts a line (`CREATE`, `ALTER`, `INSERT`, `EXEC`, `SET`, ...),
//! except where the keyword continues the statement (`UPDATE ... SET`, `INSERT ... SELECT`,
//! `ON DELETE SET NULL`). `CREATE PROCEDURE | FUNCTION | TRIGGER | VIEW | RULE | DEFAULT` must be
//! alone in their batch and run to its end; so do control-flow blocks (`IF`, `WHILE`, `BEGIN`,
//! `DECLARE`), which become one [`UnitKind::Block`].
//!
//! `SET QUOTED_IDENTIFIER ON | OFF` is tracked (the default is ON for SQL Server tools and OFF
//! for ASE isql); each unit records the setting in force.
//!
//! Never panics: every cut is at an ASCII byte, so offsets are char boundaries.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Flavor;
use crate::diag::Finding;
use crate::frontend::lexer::{Tok, tokenize};
use crate::rules::codes;
use crate::source::{FileId, SourceMap, Span};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Sql,
    /// Runs to the end of its batch: a routine, view, rule, default or control-flow block.
    Block,
    /// A script command handled by the splitter (`GO`, `:setvar` ...).
    Command(String),
}

#[derive(Clone, Debug)]
pub struct Unit {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub kind: UnitKind,
    pub findings: Vec<Finding>,
    /// `SET QUOTED_IDENTIFIER` in force: when false, `"x"` is a string literal.
    pub quoted_identifier: bool,
}

const MAX_INCLUDE_DEPTH: usize = 20;

struct Splitter {
    vars: HashMap<String, String>,
    quoted_identifier: bool,
    stack: Vec<PathBuf>,
}

pub fn split_all(map: &mut SourceMap, flavor: Flavor, defines: &[(String, String)]) -> Vec<Unit> {
    let mut s = Splitter {
        vars: defines
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        quoted_identifier: flavor == Flavor::SqlServer,
        stack: Vec::new(),
    };
    let n = map.files.len();
    let mut out = Vec::new();
    for i in 0..n {
        let id = map.files[i].id;
        s.quoted_identifier = flavor == Flavor::SqlServer;
        s.split_file(map, id, 0, &mut out);
    }
    out
}

fn is_hspace(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\r' || c == 0x0c
}

/// `GO`, `GO 5`, `go -- comment` on a line of its own: the end of the line.
fn go_line(b: &[u8], ls: usize) -> Option<usize> {
    let mut i = ls;
    while i < b.len() && is_hspace(b[i]) {
        i += 1;
    }
    if i + 2 > b.len() || !b[i..i + 2].eq_ignore_ascii_case(b"go") {
        return None;
    }
    i += 2;
    if i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        return None;
    }
    while i < b.len() && is_hspace(b[i]) {
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    while i < b.len() && (is_hspace(b[i]) || b[i] == b';') {
        i += 1;
    }
    if i + 1 < b.len() && b[i] == b'-' && b[i + 1] == b'-' {
        while i < b.len() && b[i] != b'\n' {
            i += 1;
        }
    }
    if i >= b.len() || b[i] == b'\n' {
        Some(i)
    } else {
        None
    }
}

fn line_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    i
}

impl Splitter {
    fn split_file(&mut self, map: &mut SourceMap, id: FileId, depth: usize, out: &mut Vec<Unit>) {
        let text = map.get(id).text.clone();
        let b = text.as_bytes();
        let mut i = 0usize;
        let mut batch_start = 0usize;
        let mut at_line_start = true;
        let mut comment_depth = 0u32;
        while i < b.len() {
            if at_line_start && comment_depth == 0 {
                at_line_start = false;
                let mut j = i;
                while j < b.len() && is_hspace(b[j]) {
                    j += 1;
                }
                if let Some(end) = go_line(b, i) {
                    self.batch(&text, id, batch_start, i, out);
                    i = end;
                    batch_start = end;
                    continue;
                }
                let is_cmd = j < b.len()
                    && b[j] == b':'
                    && b.get(j + 1).is_some_and(|c| c.is_ascii_alphabetic());
                let is_obevo = b[j..].starts_with(b"////");
                if is_cmd || is_obevo {
                    self.batch(&text, id, batch_start, i, out);
                    let end = line_end(b, j);
                    let line = text[j..end].trim_end().to_string();
                    self.command(map, id, j, end, &line, depth, out);
                    i = end;
                    batch_start = end;
                    continue;
                }
            }
            let c = b[i];
            if c == b'\n' {
                at_line_start = true;
                i += 1;
            } else if comment_depth > 0 {
                if c == b'*' && b.get(i + 1) == Some(&b'/') {
                    comment_depth -= 1;
                    i += 2;
                } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                    comment_depth += 1;
                    i += 2;
                } else {
                    i += 1;
                }
            } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                comment_depth = 1;
                i += 2;
            } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
                i = line_end(b, i);
            } else if c == b'\'' || c == b'"' || c == b'[' {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() {
                    if b[i] == close {
                        if b.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        self.batch(&text, id, batch_start, b.len(), out);
    }

    #[allow(clippy::too_many_arguments)]
    fn command(
        &mut self,
        map: &mut SourceMap,
        id: FileId,
        start: usize,
        end: usize,
        line: &str,
        depth: usize,
        out: &mut Vec<Unit>,
    ) {
        let span = Span::new(id, start as u32, end as u32);
        let mut unit = Unit {
            file: id,
            start: start as u32,
            end: end as u32,
            text: line.to_string(),
            kind: UnitKind::Command(String::new()),
            findings: Vec::new(),
            quoted_identifier: self.quoted_identifier,
        };
        if line.starts_with("////") {
            unit.kind = UnitKind::Command("////".into());
            unit.findings
                .push(Finding::new(&codes::SQLCMD_COMMAND, span, &["////"]));
            out.push(unit);
            return;
        }
        let rest = &line[1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let args = rest[name.len()..].trim();
        let uname = name.to_ascii_uppercase();
        unit.kind = UnitKind::Command(format!(":{uname}"));
        match uname.as_str() {
            "SETVAR" => {
                let mut parts = args.splitn(2, char::is_whitespace);
                let var = parts.next().unwrap_or("").to_ascii_lowercase();
                let mut val = parts.next().unwrap_or("").trim().to_string();
                if val.len() >= 2 && val.starts_with('"') && val.ends_with('"') {
                    val = val[1..val.len() - 1].to_string();
                }
                if !var.is_empty() {
                    let (v, _) = self.substitute(&val);
                    self.vars.insert(var, v);
                }
                unit.findings
                    .push(Finding::new(&codes::SQLCMD_COMMAND, span, &[":setvar"]));
                out.push(unit);
            }
            "R" => {
                let (arg, _) = self.substitute(args);
                let arg = arg.trim().trim_matches('"').to_string();
                let base = map
                    .get(id)
                    .path
                    .as_ref()
                    .and_then(|p| p.parent().map(|d| d.to_path_buf()));
                let cands: Vec<PathBuf> = base
                    .iter()
                    .map(|d| d.join(&arg))
                    .chain(std::iter::once(PathBuf::from(&arg)))
                    .collect();
                let found = cands.into_iter().find(|p| p.is_file());
                match found {
                    None => {
                        unit.findings
                            .push(Finding::new(&codes::INCLUDE_NOT_FOUND, span, &[&arg]));
                        out.push(unit);
                    }
                    Some(p) => {
                        let canon = p.canonicalize().unwrap_or(p.clone());
                        if self.stack.contains(&canon) || depth >= MAX_INCLUDE_DEPTH {
                            unit.findings
                                .push(Finding::new(&codes::INCLUDE_CYCLE, span, &[&arg]));
                            out.push(unit);
                            return;
                        }
                        let Ok(bytes) = std::fs::read(&p) else {
                            unit.findings.push(Finding::new(
                                &codes::INCLUDE_NOT_FOUND,
                                span,
                                &[&arg],
                            ));
                            out.push(unit);
                            return;
                        };
                        out.push(unit);
                        let name = format!("{}/{}", map.get(id).name, arg);
                        let nid = map.add(name, Some(p.clone()), &bytes);
                        self.stack.push(canon);
                        self.split_file(map, nid, depth + 1, out);
                        self.stack.pop();
                    }
                }
            }
            _ => {
                unit.findings.push(Finding::new(
                    &codes::SQLCMD_COMMAND,
                    span,
                    &[&format!(":{}", name.to_ascii_lowercase())],
                ));
                out.push(unit);
            }
        }
    }

    /// `$(var)` and `${var}` replaced; returns the text and the undefined names.
    fn substitute(&self, s: &str) -> (String, Vec<String>) {
        if !s.contains("$(") && !s.contains("${") {
            return (s.to_string(), Vec::new());
        }
        let mut out = String::with_capacity(s.len());
        let mut undefined = Vec::new();
        let mut rest = s;
        while let Some(k) = rest.find('$') {
            out.push_str(&rest[..k]);
            let after = &rest[k + 1..];
            let close = match after.as_bytes().first() {
                Some(b'(') => Some(')'),
                Some(b'{') => Some('}'),
                _ => None,
            };
            let Some(close) = close else {
                out.push('$');
                rest = after;
                continue;
            };
            let body = &after[1..];
            match body.find(close) {
                Some(e)
                    if e > 0
                        && body[..e]
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '.') =>
                {
                    let name = &body[..e];
                    match self.vars.get(&name.to_ascii_lowercase()) {
                        Some(v) => out.push_str(v),
                        None => {
                            if close == ')' {
                                out.push_str(&rest[k..k + 3 + e]);
                            }
                            if !undefined.iter().any(|u: &String| u == name) {
                                undefined.push(name.to_string());
                            }
                        }
                    }
                    rest = &body[e + 1..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        (out, undefined)
    }

    /// Cuts one batch `[start, end)` of the file into statement units.
    fn batch(&mut self, text: &str, id: FileId, start: usize, end: usize, out: &mut Vec<Unit>) {
        let raw = &text[start..end];
        if raw.trim().is_empty() {
            return;
        }
        let (sub, undefined) = self.substitute(raw);
        let toks = tokenize(&sub, false);
        if toks.is_empty() {
            return;
        }
        let mut fs = Vec::new();
        for u in &undefined {
            fs.push(Finding::new(
                &codes::SQLCMD_VARIABLE,
                Span::new(id, start as u32, end as u32),
                &[u],
            ));
        }
        let word = |k: usize| -> String {
            let t = toks[k];
            if t.kind == Tok::Word {
                sub[t.start as usize..t.end as usize].to_ascii_uppercase()
            } else {
                String::new()
            }
        };
        let line_first = |k: usize| -> bool {
            let s = toks[k].start as usize;
            let before = &sub.as_bytes()[..s];
            let ls = before
                .iter()
                .rposition(|&c| c == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0);
            if k == 0 {
                return true;
            }
            // first token on its line (comments before it on the line count as blank)
            toks[k - 1].end as usize <= ls
        };
        let mut units: Vec<(usize, usize, bool)> = Vec::new(); // token ranges, block?
        let mut k = 0;
        while k < toks.len() {
            if toks[k].kind == Tok::Semi {
                k += 1;
                continue;
            }
            let first = k;
            let w0 = word(k);
            let w1 = if k + 1 < toks.len() {
                word(k + 1)
            } else {
                String::new()
            };
            let w2 = if k + 2 < toks.len() {
                word(k + 2)
            } else {
                String::new()
            };
            let creates_block = |w: &str| {
                matches!(
                    w,
                    "PROC" | "PROCEDURE" | "FUNCTION" | "TRIGGER" | "VIEW" | "RULE" | "DEFAULT"
                )
            };
            let block = matches!(w0.as_str(), "IF" | "WHILE" | "BEGIN" | "DECLARE")
                || (w0 == "CREATE" && (creates_block(&w1) || (w1 == "OR" && creates_block(&w2))))
                || (w0 == "CREATE" && w1 == "OR" && w2 == "ALTER")
                || (w0 == "ALTER"
                    && matches!(
                        w1.as_str(),
                        "PROC" | "PROCEDURE" | "FUNCTION" | "TRIGGER" | "VIEW"
                    ));
            if block {
                units.push((first, toks.len(), true));
                break;
            }
            // Scan to the end of the statement.
            let mut depth = 0i32;
            let mut case_depth = 0i32;
            let mut seen_set = false;
            let mut seen_select = false;
            k += 1;
            while k < toks.len() {
                let t = toks[k];
                match t.kind {
                    Tok::LParen => depth += 1,
                    Tok::RParen => depth -= 1,
                    Tok::Semi if depth <= 0 && case_depth == 0 => break,
                    Tok::Word => {
                        let w = word(k);
                        if w == "CASE" {
                            case_depth += 1;
                        } else if w == "END" && case_depth > 0 {
                            case_depth -= 1;
                        } else if depth <= 0
                            && case_depth == 0
                            && line_first(k)
                            && starts_statement(&w)
                        {
                            let prev = word(k - 1);
                            let cont = match w.as_str() {
                                "SET" => {
                                    (w0 == "UPDATE" && !seen_set)
                                        || matches!(prev.as_str(), "DELETE" | "UPDATE")
                                }
                                "SELECT" => {
                                    (matches!(w0.as_str(), "INSERT" | "WITH") && !seen_select)
                                        || matches!(
                                            prev.as_str(),
                                            "UNION" | "ALL" | "EXCEPT" | "INTERSECT" | "AS"
                                        )
                                }
                                "DELETE" | "UPDATE" => {
                                    prev == "ON" || w0 == "MERGE" && prev == "THEN"
                                }
                                "INSERT" => w0 == "MERGE" && prev == "THEN",
                                _ => false,
                            };
                            if !cont {
                                break;
                            }
                        }
                        if depth <= 0 {
                            if w == "SET" {
                                seen_set = true;
                            }
                            if w == "SELECT" {
                                seen_select = true;
                            }
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            units.push((first, k, false));
        }
        for (a, b_, block) in units {
            if a >= b_ {
                continue;
            }
            let s = toks[a].start as usize;
            let e = toks[b_ - 1].end as usize;
            let utext = sub[s..e].to_string();
            let fstart = (start + s).min(end) as u32;
            let fend = (start + e).min(end).max(fstart as usize) as u32;
            // SET QUOTED_IDENTIFIER tracking.
            let up = utext.to_ascii_uppercase();
            let words: Vec<&str> = up.split_whitespace().collect();
            if words.len() >= 3 && words[0] == "SET" && words[1] == "QUOTED_IDENTIFIER" {
                self.quoted_identifier = words[2].trim_end_matches(';') == "ON";
            }
            out.push(Unit {
                file: id,
                start: fstart,
                end: fend,
                text: utext,
                kind: if block {
                    UnitKind::Block
                } else {
                    UnitKind::Sql
                },
                findings: std::mem::take(&mut fs),
                quoted_identifier: self.quoted_identifier,
            });
        }
    }
}

fn starts_statement(w: &str) -> bool {
    matches!(
        w,
        "CREATE"
            | "ALTER"
            | "INSERT"
            | "MERGE"
            | "UPDATE"
            | "DELETE"
            | "EXEC"
            | "EXECUTE"
            | "SET"
            | "USE"
            | "PRINT"
            | "RAISERROR"
            | "DROP"
            | "GRANT"
            | "REVOKE"
            | "DENY"
            | "TRUNCATE"
            | "BULK"
            | "CHECKPOINT"
            | "DBCC"
            | "IF"
            | "WHILE"
            | "BEGIN"
            | "DECLARE"
            | "SELECT"
            | "COMMIT"
            | "ROLLBACK"
            | "SETUSER"
            | "DUMP"
            | "LOAD"
            | "RECONFIGURE"
    ) || (w.starts_with("SP_") && w.len() > 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, flavor: Flavor) -> Vec<Unit> {
        let mut map = SourceMap::default();
        map.add("t.sql", None, text.as_bytes());
        split_all(&mut map, flavor, &[])
    }

    #[test]
    fn batches_and_statements() {
        let u = split(
            "set nocount on\nUSE db\nGO\ncreate table t (a int)\n  go 5\nCREATE VIEW v AS\nSELECT 1 AS x\nGO\nupdate t\nset a = 1\ninsert t\nselect 1\n",
            Flavor::SqlServer,
        );
        let texts: Vec<&str> = u.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "set nocount on",
                "USE db",
                "create table t (a int)",
                "CREATE VIEW v AS\nSELECT 1 AS x",
                "update t\nset a = 1",
                "insert t\nselect 1"
            ]
        );
        assert_eq!(u[3].kind, UnitKind::Block);
    }

    #[test]
    fn sqlcmd_variables() {
        let u = split(
            ":setvar db \"Adv\"\nUSE $(db)\nGO\n:on error exit\nselect $(nope)\n",
            Flavor::SqlServer,
        );
        assert_eq!(u[1].text, "USE Adv");
        assert!(matches!(&u[2].kind, UnitKind::Command(c) if c == ":ON"));
        assert_eq!(u[3].text, "select $(nope)");
        assert_eq!(u[3].findings.len(), 1);
    }

    #[test]
    fn go_inside_comment_or_string() {
        let u = split("select 'a\nGO\nb'\n/*\nGO\n*/\nselect 2\n", Flavor::Ase);
        assert_eq!(u.len(), 2);
        assert!(!u[0].quoted_identifier);
    }
}
