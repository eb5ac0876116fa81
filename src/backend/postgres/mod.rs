//! PostgreSQL printer.
//!
//! Prints IR statements that passes have already rewritten into PostgreSQL terms. It makes no
//! decisions: names are printed as [`Ident::value`] (double-quoted iff `quoted`), types as
//! [`TypeRef::target`], functions under the name the pass gave them. The only choices made here
//! are about syntax: layout, the parentheses an expression needs under PostgreSQL's operator
//! precedence, and the statement shapes PostgreSQL requires (partitions as separate
//! `CREATE TABLE ... PARTITION OF`, renames as separate `ALTER TABLE`).
//!
//! Files: `ddl.rs` (schema statements), `query.rs` (DML and queries), `expr.rs` (expressions),
//! `plpgsql.rs` (routines and triggers).
//!
//! What passes must know about how the IR is printed:
//! - `EXTRACT(YEAR FROM x)` is a [`crate::ir::Call`] named `EXTRACT` (one unquoted part) with
//!   two unnamed arguments, the first a one-part [`crate::ir::Expr::Column`] holding the field;
//!   any other call prints as `name(args)`, so keyword functions without parentheses
//!   (`CURRENT_DATE`, `LOCALTIMESTAMP`, `CURRENT_USER`) must be a `Column` or a `Raw`.
//! - [`crate::ir::Expr::Raw`] is printed as a primary (never parenthesised): a compound text
//!   must carry its own parentheses.
//! - A derived table without an alias prints without one (PostgreSQL 15 requires it).
//! - A grant whose privileges are all `EXECUTE` prints `ON ROUTINE obj`; other object grants
//!   use the default object class (tables, views, sequences). A role grant (`on == None`)
//!   with `with_grant_option` prints `WITH ADMIN OPTION`.
//! - Generated columns always print `STORED` (the only kind PostgreSQL 15 has).
//! - `CREATE TABLE ... AS` cannot carry constraints or column attributes: they follow in an
//!   `ALTER TABLE` statement (NOT NULL, DEFAULT, identity, constraints).
//! - Partitions print in the parent's schema; an unnamed one is `<parent>_p<index>` (0-based,
//!   subpartitions named after their partition); RANGE bounds start at the previous
//!   partition's bound (`MINVALUE` for the first); a HASH modulus is the number of partitions
//!   listed. `spec.count`, `spec.interval` and template subpartitions are not expanded here.
//! - A foreign key's `NO ACTION` is not printed (it is the default); `NOT VALID` is printed only
//!   in `ALTER TABLE ... ADD CONSTRAINT`, for foreign keys and checks.
//! - `AlterAction::Other`, `Select::connect_by`, `QName::dblink`, and the `read_only`/`force`
//!   view flags print nothing.

mod ddl;
mod expr;
mod plpgsql;
mod query;
#[cfg(test)]
mod tests;

use crate::ir::{Ident, QName, Stmt, TypeRef};

/// The PostgreSQL statements for one IR statement, without the trailing `;`.
pub fn print_stmt(stmt: &Stmt) -> Vec<String> {
    match stmt {
        Stmt::CreateTable(t) => ddl::create_table(t),
        Stmt::AlterTable(a) => ddl::alter_table(a),
        Stmt::CreateIndex(i) => vec![ddl::create_index(i)],
        Stmt::CreateSequence(s) => vec![ddl::create_sequence(s)],
        Stmt::CreateView(v) => vec![ddl::create_view(v)],
        Stmt::CreateSynonym(s) => vec![ddl::create_synonym(s)],
        Stmt::CreateSchema(name) => vec![format!("CREATE SCHEMA IF NOT EXISTS {}", ident(name))],
        Stmt::CreateUser(u) => vec![ddl::create_role(&u.name, true)],
        Stmt::CreateRole(name) => vec![ddl::create_role(name, false)],
        Stmt::Comment(c) => vec![ddl::comment(c)],
        Stmt::Grant(g) => vec![ddl::grant(g)],
        Stmt::Insert(i) => vec![query::insert(i)],
        Stmt::Update(u) => vec![query::update(u)],
        Stmt::Delete(d) => vec![query::delete(d)],
        Stmt::Merge(m) if !m.replaced_by.is_empty() => {
            m.replaced_by.iter().flat_map(print_stmt).collect()
        }
        Stmt::Merge(m) => vec![query::merge(m)],
        Stmt::Query(q) => vec![query::query(q, query::Layout::Block(0))],
        Stmt::CreateRoutine(r) => plpgsql::create_routine(r),
        Stmt::CreateTrigger(t) => plpgsql::create_trigger(t),
        Stmt::AnonymousBlock(b) => vec![plpgsql::do_block(b)],
        Stmt::CreatePackage(pk) => plpgsql::create_package(pk),
        Stmt::Routine(r) => vec![comment_block(&format!("{}\n{}", r.what, r.text))],
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
    /// An identifier: verbatim, in double quotes (with `"` doubled) iff `quoted`.
    fn push_ident(&mut self, id: &Ident) {
        if id.quoted {
            self.push('"');
            if id.value.contains('"') {
                self.push_str(&id.value.replace('"', "\"\""));
            } else {
                self.push_str(&id.value);
            }
            self.push('"');
        } else {
            self.push_str(&id.value);
        }
    }

    /// A qualified name: parts joined by `.`. A database link cannot be printed and is left
    /// out (the pass that leaves one has flagged it).
    fn push_qname(&mut self, q: &QName) {
        for (i, p) in q.parts.iter().enumerate() {
            if i > 0 {
                self.push('.');
            }
            self.push_ident(p);
        }
    }

    /// `a, b, c`.
    fn push_ident_list(&mut self, ids: &[Ident]) {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push_str(", ");
            }
            self.push_ident(id);
        }
    }

    /// A string literal. Standard strings (`standard_conforming_strings` is on, so
    /// backslashes are literal) with `'` doubled; an escape string `E'...'` only when the text
    /// holds a control character other than newline and tab, which a script cannot carry
    /// verbatim.
    fn push_string_lit(&mut self, s: &str) {
        let needs_escape = s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
        if !needs_escape {
            self.reserve(s.len() + 2);
            self.push('\'');
            let mut rest = s;
            while let Some(i) = rest.find('\'') {
                self.push_str(&rest[..=i]);
                self.push('\'');
                rest = &rest[i + 1..];
            }
            self.push_str(rest);
            self.push('\'');
            return;
        }
        self.push_str("E'");
        for c in s.chars() {
            match c {
                '\'' => self.push_str("''"),
                '\\' => self.push_str("\\\\"),
                '\n' | '\t' => self.push(c),
                '\r' => self.push_str("\\r"),
                c if c.is_control() => {
                    use std::fmt::Write;
                    let n = c as u32;
                    if n < 0x80 {
                        let _ = write!(self, "\\x{n:02X}");
                    } else {
                        let _ = write!(self, "\\u{n:04X}");
                    }
                }
                c => self.push(c),
            }
        }
        self.push('\'');
    }

    /// A type: the spelling decided by the type pass; when missing (which passes should
    /// prevent), the source spelling lower-cased.
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

/// An identifier: verbatim, in double quotes (with `"` doubled) iff `quoted`.
pub(crate) fn ident(id: &Ident) -> String {
    if id.quoted {
        let mut s = String::with_capacity(id.value.len() + 2);
        s.push_ident(id);
        s
    } else {
        id.value.clone()
    }
}

/// A qualified name: parts joined by `.` (see [`PushSql::push_qname`]).
pub(crate) fn qname(q: &QName) -> String {
    let len: usize = q.parts.iter().map(|p| p.value.len() + 3).sum();
    let mut s = String::with_capacity(len);
    s.push_qname(q);
    s
}

/// `a, b, c`.
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

/// Text as an SQL block comment. PostgreSQL block comments nest, so both `/*` and `*/` inside
/// the text are broken up.
pub(crate) fn comment_block(text: &str) -> String {
    let safe = text.replace("/*", "/ *").replace("*/", "* /");
    format!("/*\n{}\n*/", safe.trim_end())
}

fn indent(n: usize) -> String {
    " ".repeat(n)
}
