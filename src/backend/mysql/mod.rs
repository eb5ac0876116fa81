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

/// An identifier: verbatim, in back quotes (with `` ` `` doubled) iff `quoted`.
pub(crate) fn ident(id: &Ident) -> String {
    if id.quoted {
        format!("`{}`", id.value.replace('`', "``"))
    } else {
        id.value.clone()
    }
}

/// A qualified name: parts joined by `.` (`database.table`).
pub(crate) fn qname(q: &QName) -> String {
    q.parts.iter().map(ident).collect::<Vec<_>>().join(".")
}

pub(crate) fn ident_list(ids: &[Ident]) -> String {
    ids.iter().map(ident).collect::<Vec<_>>().join(", ")
}

/// A string literal. MySQL treats the backslash as an escape character in strings (unless
/// `NO_BACKSLASH_ESCAPES`), so it is doubled, as is `'`; control characters are escaped.
pub(crate) fn string_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\r' => out.push_str("\\r"),
            '\u{1a}' => out.push_str("\\Z"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A type: the spelling decided by the type pass; when missing, the source spelling.
pub(crate) fn type_ref(t: &TypeRef) -> String {
    if let Some(target) = &t.target {
        return target.clone();
    }
    let mut s = t.source.name.to_lowercase();
    if !t.source.args.is_empty() {
        let args: Vec<String> = t
            .source
            .args
            .iter()
            .map(|a| a.map_or_else(|| "*".to_string(), |n| n.to_string()))
            .collect();
        s.push('(');
        s.push_str(&args.join(","));
        s.push(')');
    }
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
