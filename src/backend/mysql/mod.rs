//! MySQL 8 printer.
//!
//! Prints IR statements that passes have already rewritten into MySQL terms (see
//! `passes::mysql`). It makes no decisions: names are printed as [`Ident::value`] (back-quoted
//! iff `quoted`), types as [`TypeRef::target`], functions under the name the pass gave them.
//! The only choices made here are about syntax: layout, parentheses, and the statement shapes
//! MySQL requires. Statements are printed without terminators; stored programs (see
//! `routine.rs`) have `;` inside, so `emit` puts them between `DELIMITER` lines
//! ([`is_compound`]).
//!
//! What passes must know about how the IR is printed:
//! - a schema is a database: `CREATE DATABASE IF NOT EXISTS`;
//! - a concatenation (`BinOp::Concat`) prints as `CONCAT(a, b)` (NULL if either is NULL);
//!   `IS [NOT] DISTINCT FROM` prints with `<=>`;
//! - a call named `GROUP_CONCAT` prints `GROUP_CONCAT(x ORDER BY <within_group> SEPARATOR y)`;
//! - `OrderItem::nulls_first` is not printed (MySQL has no `NULLS FIRST/LAST`);
//! - a column default that is not a literal or `CURRENT_TIMESTAMP` is parenthesised (8.0.13
//!   expression defaults);
//! - `Column::identity` prints `AUTO_INCREMENT` (its `start` as the table option
//!   `AUTO_INCREMENT = n`); `Column::comment` prints `COMMENT '...'`;
//! - partitions print inline: RANGE and LIST as `RANGE COLUMNS` / `LIST COLUMNS` (any column
//!   type, literal bounds), HASH as `KEY` (any column type) with its partition count; a
//!   subpartition spec is not printed (the pass has removed it or flagged it);
//! - a foreign key's `NO ACTION` is not printed, nor `deferrable` nor `validate`;
//! - a comment on a table attached to it prints `ALTER TABLE t COMMENT = '...'`; comments on
//!   other objects print nothing (the pass moves column comments into the column);
//! - `CreateSequence` prints the emulation table of a sequence (`passes::mysql` decides when);
//! - users print `CREATE USER IF NOT EXISTS`, roles `CREATE ROLE IF NOT EXISTS`;
//! - `IndexColumn::prefix` prints `col(n)`.

mod ddl;
mod expr;
mod query;
mod routine;

pub(crate) use routine::is_compound;

use crate::ir::{Ident, QName, Stmt, TypeRef};

/// The MySQL statements for one IR statement, without the trailing `;`.
pub fn print_stmt(stmt: &Stmt) -> Vec<String> {
    match stmt {
        Stmt::CreateTable(t) => ddl::create_table(t),
        Stmt::AlterTable(a) => ddl::alter_table(a),
        Stmt::CreateIndex(i) => vec![ddl::create_index(i)],
        Stmt::CreateSequence(s) => ddl::create_sequence(s),
        Stmt::CreateView(v) => vec![ddl::create_view(v)],
        Stmt::CreateSynonym(s) => vec![ddl::create_synonym(s)],
        Stmt::CreateSchema(name) => vec![format!(
            "CREATE DATABASE IF NOT EXISTS {} CHARACTER SET utf8mb4",
            ident(name)
        )],
        Stmt::CreateUser(u) => vec![format!("CREATE USER IF NOT EXISTS {}", ident(&u.name))],
        Stmt::CreateRole(name) => vec![format!("CREATE ROLE IF NOT EXISTS {}", ident(name))],
        Stmt::Comment(c) => ddl::comment(c).into_iter().collect(),
        Stmt::Grant(g) => vec![ddl::grant(g)],
        Stmt::Insert(i) => vec![query::insert(i)],
        Stmt::Update(u) => vec![query::update(u)],
        Stmt::Delete(d) => vec![query::delete(d)],
        Stmt::Merge(m) if !m.replaced_by.is_empty() => {
            m.replaced_by.iter().flat_map(print_stmt).collect()
        }
        Stmt::Merge(m) => vec![query::merge(m)],
        Stmt::Query(q) => vec![query::query(q, query::Layout::Block(0))],
        Stmt::Routine(r) => vec![comment_block(&format!("{}\n{}", r.what, r.text))],
        Stmt::CreateRoutine(r) => routine::create_routine(r),
        Stmt::CreateTrigger(t) => routine::create_trigger(t),
        Stmt::CreatePackage(pk) => routine::create_package(pk),
        Stmt::AnonymousBlock(b) => routine::block_procedure(b),
        Stmt::CreateType(t) if t.collection_of.is_some() => {
            let elem = t.collection_of.as_ref().map(type_ref).unwrap_or_default();
            vec![format!("CREATE DOMAIN {} AS {elem}[]", qname(&t.name))]
        }
        Stmt::CreateType(t) => {
            let attrs: Vec<String> = t
                .attributes
                .iter()
                .map(|(a, ty)| format!("{} {}", ident(a), type_ref(ty)))
                .collect();
            vec![format!(
                "CREATE TYPE {} AS ({})",
                qname(&t.name),
                attrs.join(", ")
            )]
        }
        Stmt::Ignored { what } => vec![comment_block(&format!("ignored: {what}"))],
        Stmt::Opaque { text } => vec![comment_block(text)],
    }
}

/// Writers of names, literals and types into an output buffer (the hot paths of printing
/// append to one `String` instead of building and copying a `String` per name).
pub(crate) trait PushSql {
    fn push_ident(&mut self, id: &Ident);
    fn push_qname(&mut self, q: &QName);
    fn push_ident_list(&mut self, ids: &[Ident]);
    fn push_string_lit(&mut self, s: &str);
    fn push_type_ref(&mut self, t: &TypeRef);
}

impl PushSql for String {
    /// An identifier: verbatim, in back quotes (with `` ` `` doubled) iff `quoted`.
    fn push_ident(&mut self, id: &Ident) {
        if id.quoted {
            self.push('`');
            if id.value.contains('`') {
                self.push_str(&id.value.replace('`', "``"));
            } else {
                self.push_str(&id.value);
            }
            self.push('`');
        } else {
            self.push_str(&id.value);
        }
    }

    /// A qualified name: parts joined by `.` (`database.table`).
    fn push_qname(&mut self, q: &QName) {
        for (i, p) in q.parts.iter().enumerate() {
            if i > 0 {
                self.push('.');
            }
            self.push_ident(p);
        }
    }

    fn push_ident_list(&mut self, ids: &[Ident]) {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push_str(", ");
            }
            self.push_ident(id);
        }
    }

    /// A string literal. MySQL treats the backslash as an escape character in strings
    /// (unless `NO_BACKSLASH_ESCAPES`), so it is doubled, as is `'`; control characters are
    /// escaped.
    fn push_string_lit(&mut self, s: &str) {
        self.reserve(s.len() + 2);
        self.push('\'');
        let mut rest = s;
        while let Some(i) = rest.find(['\'', '\\', '\0', '\r', '\u{1a}']) {
            self.push_str(&rest[..i]);
            self.push_str(match rest.as_bytes()[i] {
                b'\'' => "''",
                b'\\' => "\\\\",
                b'\0' => "\\0",
                b'\r' => "\\r",
                _ => "\\Z",
            });
            rest = &rest[i + 1..];
        }
        self.push_str(rest);
        self.push('\'');
    }

    /// A type: the spelling decided by the type pass; when missing, the source spelling.
    fn push_type_ref(&mut self, t: &TypeRef) {
        if let Some(target) = &t.target {
            self.push_str(target);
            return;
        }
        self.push_str(&t.source.name.to_lowercase());
        if !t.source.args.is_empty() {
            use std::fmt::Write;
            self.push('(');
            for (i, a) in t.source.args.iter().enumerate() {
                if i > 0 {
                    self.push(',');
                }
                match a {
                    Some(n) => {
                        let _ = write!(self, "{n}");
                    }
                    None => self.push('*'),
                }
            }
            self.push(')');
        }
    }
}

/// An identifier: verbatim, in back quotes (with `` ` `` doubled) iff `quoted`.
pub(crate) fn ident(id: &Ident) -> String {
    if id.quoted {
        let mut s = String::with_capacity(id.value.len() + 2);
        s.push_ident(id);
        s
    } else {
        id.value.clone()
    }
}

/// A qualified name: parts joined by `.` (`database.table`).
pub(crate) fn qname(q: &QName) -> String {
    let len: usize = q.parts.iter().map(|p| p.value.len() + 3).sum();
    let mut s = String::with_capacity(len);
    s.push_qname(q);
    s
}

pub(crate) fn ident_list(ids: &[Ident]) -> String {
    let mut s = String::new();
    s.push_ident_list(ids);
    s
}

/// A string literal (see [`PushSql::push_string_lit`]).
pub(crate) fn string_lit(s: &str) -> String {
    let mut out = String::new();
    out.push_string_lit(s);
    out
}

/// A type (see [`PushSql::push_type_ref`]).
pub(crate) fn type_ref(t: &TypeRef) -> String {
    if let Some(target) = &t.target {
        return target.clone();
    }
    let mut s = String::new();
    s.push_type_ref(t);
    s
}

/// Text as an SQL block comment. MySQL block comments do not nest and `/*!` runs the text:
/// both `/*` and `*/` inside the text are broken up.
pub(crate) fn comment_block(text: &str) -> String {
    let safe = text.replace("/*", "/ *").replace("*/", "* /");
    format!("/*\n{}\n*/", safe.trim_end())
}

fn indent(n: usize) -> String {
    " ".repeat(n)
}
