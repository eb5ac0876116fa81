//! Schema statements for MySQL: tables with inline partitions, ALTER TABLE, indexes,
//! sequence emulation tables, views, comments and grants.

use super::expr::expr;
use super::query::{self, Layout};
use super::{PushSql, ident, ident_list, qname, string_lit, type_ref};
use crate::ir::{
    AlterAction, AlterTable, Column, Comment, CommentTarget, Constraint, ConstraintKind, Expr,
    Grant, GrantOn, Index, PartitionBound, PartitionMethod, PartitionSpec, RefAction, Sequence,
    Synonym, Table, View,
};

pub(crate) fn create_table(t: &Table) -> Vec<String> {
    let mut s = String::from("CREATE ");
    if t.temporary.is_some() {
        s.push_str("TEMPORARY ");
    }
    s.push_str("TABLE ");
    if t.if_not_exists {
        s.push_str("IF NOT EXISTS ");
    }
    s.push_qname(&t.name);
    if let Some(q) = &t.as_query {
        s.push_str(" AS\n");
        s.push_str(&query::query(q, Layout::Block(0)));
        let mut out = vec![s];
        let mut actions = Vec::new();
        for c in t.columns.iter().filter(|c| c.ty.target.is_some()) {
            actions.push(format!("MODIFY COLUMN {}", column_def(c)));
        }
        for c in &t.constraints {
            actions.push(format!("ADD {}", constraint(c)));
        }
        if !actions.is_empty() {
            out.push(alter(&t.name, &actions));
        }
        return out;
    }
    let mut elems: Vec<String> = t.columns.iter().map(column_def).collect();
    elems.extend(t.constraints.iter().map(constraint));
    s.push_str(" (\n    ");
    s.push_str(&elems.join(",\n    "));
    s.push_str("\n)");
    if let Some(start) = t
        .columns
        .iter()
        .filter_map(|c| c.identity.as_ref())
        .find_map(|i| i.start)
        .filter(|n| *n > 1)
    {
        s.push_str(&format!(" AUTO_INCREMENT = {start}"));
    }
    if let Some(p) = &t.partition
        && let Some(by) = partition_by(p)
    {
        s.push('\n');
        s.push_str(&by);
    }
    vec![s]
}

/// A default that MySQL accepts without parentheses: a literal or `CURRENT_TIMESTAMP[(p)]`.
fn plain_default(e: &Expr) -> bool {
    match e {
        Expr::Number(..)
        | Expr::String(..)
        | Expr::NString(..)
        | Expr::Null(_)
        | Expr::Bool(..) => true,
        Expr::Unary { expr, .. } => matches!(**expr, Expr::Number(..)),
        Expr::Column(q) => q.parts.len() == 1 && q.parts[0].is("CURRENT_TIMESTAMP"),
        Expr::Raw(t, _) => t.to_ascii_uppercase().starts_with("CURRENT_TIMESTAMP"),
        Expr::Call(c) => c.name.parts.len() == 1 && c.name.parts[0].is("CURRENT_TIMESTAMP"),
        _ => false,
    }
}

/// `name type [GENERATED ALWAYS AS (e) STORED] [NOT NULL] [DEFAULT e] [AUTO_INCREMENT]
/// [COMMENT '...']`.
fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), type_ref(&c.ty));
    if let Some(g) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            expr(&g.expr),
            if g.stored { "STORED" } else { "VIRTUAL" }
        ));
    }
    if c.not_null == Some(true) {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        if plain_default(d) {
            s.push_str(&format!(" DEFAULT {}", expr(d)));
        } else {
            s.push_str(&format!(" DEFAULT ({})", expr(d)));
        }
    }
    if c.identity.is_some() {
        s.push_str(" AUTO_INCREMENT");
    }
    if let Some(text) = &c.comment {
        s.push_str(" COMMENT ");
        s.push_string_lit(text);
    }
    s
}

fn constraint(c: &Constraint) -> String {
    let mut s = String::new();
    if let Some(n) = &c.name
        && !matches!(c.kind, ConstraintKind::PrimaryKey { .. })
    {
        s.push_str("CONSTRAINT ");
        s.push_ident(n);
        s.push(' ');
    }
    match &c.kind {
        ConstraintKind::PrimaryKey { columns } => {
            s.push_str(&format!("PRIMARY KEY ({})", ident_list(columns)));
        }
        ConstraintKind::Unique { columns } => {
            s.push_str(&format!("UNIQUE ({})", ident_list(columns)));
        }
        ConstraintKind::Check { expr: e } => {
            s.push_str(&format!("CHECK ({})", expr(e)));
        }
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        } => {
            s.push_str(&format!(
                "FOREIGN KEY ({}) REFERENCES {}",
                ident_list(columns),
                qname(ref_table)
            ));
            if !ref_columns.is_empty() {
                s.push_str(&format!(" ({})", ident_list(ref_columns)));
            }
            if let Some(a) = on_delete.and_then(ref_action) {
                s.push_str(" ON DELETE ");
                s.push_str(a);
            }
            if let Some(a) = on_update.and_then(ref_action) {
                s.push_str(" ON UPDATE ");
                s.push_str(a);
            }
        }
    }
    s
}

fn ref_action(a: RefAction) -> Option<&'static str> {
    match a {
        RefAction::Cascade => Some("CASCADE"),
        RefAction::SetNull => Some("SET NULL"),
        RefAction::SetDefault => Some("SET DEFAULT"),
        RefAction::Restrict => Some("RESTRICT"),
        RefAction::NoAction => None,
    }
}

/// `PARTITION BY RANGE COLUMNS (a) (PARTITION p VALUES LESS THAN (..), ...)`.
fn partition_by(p: &PartitionSpec) -> Option<String> {
    let cols = ident_list(&p.columns);
    let mut s = match p.method {
        PartitionMethod::Range => format!("PARTITION BY RANGE COLUMNS ({cols})"),
        PartitionMethod::List => format!("PARTITION BY LIST COLUMNS ({cols})"),
        PartitionMethod::Hash => {
            return Some(format!(
                "PARTITION BY KEY ({cols}) PARTITIONS {}",
                p.partitions.len().max(1)
            ));
        }
        PartitionMethod::Reference | PartitionMethod::System => return None,
    };
    let parts: Vec<String> = p
        .partitions
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let name = part
                .name
                .as_ref()
                .map(ident)
                .unwrap_or_else(|| format!("p{i}"));
            match &part.bound {
                PartitionBound::LessThan(v) => {
                    format!("PARTITION {name} VALUES LESS THAN ({})", bound_list(v))
                }
                PartitionBound::In(v) => format!("PARTITION {name} VALUES IN ({})", bound_list(v)),
                PartitionBound::Hash => format!("PARTITION {name}"),
            }
        })
        .collect();
    if !parts.is_empty() {
        s.push_str(" (\n    ");
        s.push_str(&parts.join(",\n    "));
        s.push_str("\n)");
    }
    Some(s)
}

fn bound_list(values: &[Expr]) -> String {
    values.iter().map(expr).collect::<Vec<_>>().join(", ")
}

fn alter(table: &crate::ir::QName, actions: &[String]) -> String {
    if actions.len() == 1 {
        format!("ALTER TABLE {} {}", qname(table), actions[0])
    } else {
        format!(
            "ALTER TABLE {}\n    {}",
            qname(table),
            actions.join(",\n    ")
        )
    }
}

/// MODIFY needs the whole column definition: with a decided type, `MODIFY COLUMN`; without,
/// only the default can change (`ALTER COLUMN .. SET DEFAULT`).
fn modify_column(c: &Column) -> Vec<String> {
    if c.ty.target.is_some() {
        return vec![format!("MODIFY COLUMN {}", column_def(c))];
    }
    let mut out = Vec::new();
    if let Some(d) = &c.default {
        out.push(format!(
            "ALTER COLUMN {} SET DEFAULT ({})",
            ident(&c.name),
            expr(d)
        ));
    }
    out
}

pub(crate) fn alter_table(a: &AlterTable) -> Vec<String> {
    let mut pending: Vec<String> = Vec::new();
    for action in &a.actions {
        match action {
            AlterAction::AddColumns(cols) => {
                pending.extend(cols.iter().map(|c| format!("ADD COLUMN {}", column_def(c))));
            }
            AlterAction::ModifyColumns(cols) => pending.extend(cols.iter().flat_map(modify_column)),
            AlterAction::DropColumns(cols) => {
                pending.extend(cols.iter().map(|c| format!("DROP COLUMN {}", ident(c))));
            }
            AlterAction::AddConstraint(c) => pending.push(format!("ADD {}", constraint(c))),
            AlterAction::DropConstraint(n) => {
                pending.push(format!("DROP CONSTRAINT {}", ident(n)));
            }
            AlterAction::RenameColumn { from, to } => {
                pending.push(format!("RENAME COLUMN {} TO {}", ident(from), ident(to)));
            }
            AlterAction::RenameTo(n) => pending.push(format!("RENAME TO {}", ident(n))),
            AlterAction::Other { .. } => {}
        }
    }
    if pending.is_empty() {
        Vec::new()
    } else {
        vec![alter(&a.table, &pending)]
    }
}

/// `CREATE [UNIQUE] INDEX name ON t (a, b(100) DESC, (expr))`.
pub(crate) fn create_index(i: &Index) -> String {
    let cols: Vec<String> = i
        .columns
        .iter()
        .map(|c| {
            let mut s = match &c.expr {
                Expr::Column(q) if q.parts.len() == 1 => qname(q),
                e => format!("({})", expr(e)),
            };
            if let Some(n) = c.prefix {
                s.push_str(&format!("({n})"));
            }
            if c.desc {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let mut s = String::from("CREATE ");
    if i.unique {
        s.push_str("UNIQUE ");
    }
    s.push_str("INDEX ");
    if let Some(n) = i.name.parts.last() {
        s.push_ident(n);
        s.push(' ');
    }
    s.push_str(&format!("ON {} ({})", qname(&i.table), cols.join(", ")));
    s
}

/// A sequence emulated by a one-row table holding the next value and the increment.
pub(crate) fn create_sequence(seq: &Sequence) -> Vec<String> {
    let Some(name) = &seq.name else {
        return Vec::new();
    };
    let start = seq.start.or(seq.min).unwrap_or(1);
    let inc = seq.increment.unwrap_or(1);
    vec![
        format!(
            "CREATE TABLE {} (\n    next_value bigint NOT NULL,\n    increment_by bigint NOT NULL\n)",
            qname(name)
        ),
        format!(
            "INSERT INTO {} (next_value, increment_by) VALUES ({start}, {inc})",
            qname(name)
        ),
    ]
}

pub(crate) fn create_view(v: &View) -> String {
    let mut s = String::from("CREATE ");
    if v.or_replace {
        s.push_str("OR REPLACE ");
    }
    s.push_str("VIEW ");
    s.push_qname(&v.name);
    if !v.columns.is_empty() {
        s.push_str(&format!(" ({})", ident_list(&v.columns)));
    }
    s.push_str(" AS\n");
    s.push_str(&query::query(&v.query, Layout::Block(0)));
    if v.check_option {
        s.push_str("\nWITH CHECK OPTION");
    }
    s
}

pub(crate) fn create_synonym(syn: &Synonym) -> String {
    format!(
        "CREATE OR REPLACE VIEW {} AS\nSELECT * FROM {}",
        qname(&syn.name),
        qname(&syn.target)
    )
}

/// A table comment: `ALTER TABLE t COMMENT = '...'`; other comments have no MySQL statement
/// (column comments are part of the column definition).
pub(crate) fn comment(c: &Comment) -> Option<String> {
    match c.on {
        CommentTarget::Table => Some(format!(
            "ALTER TABLE {} COMMENT = {}",
            qname(&c.name),
            string_lit(c.text.as_deref().unwrap_or(""))
        )),
        _ => None,
    }
}

/// `GRANT privs ON obj TO a, b`; a role grant without an object.
pub(crate) fn grant(g: &Grant) -> String {
    let privs = g.privileges.join(", ");
    let grantees = ident_list(&g.grantees);
    let target = match &g.on {
        Some(obj) => {
            let class = match g.on_kind {
                GrantOn::Function => "FUNCTION ",
                GrantOn::Procedure => "PROCEDURE ",
                _ => "",
            };
            format!(" ON {class}{}", qname(obj))
        }
        None => String::new(),
    };
    if g.revoke {
        format!("REVOKE {privs}{target} FROM {grantees}")
    } else {
        let mut s = format!("GRANT {privs}{target} TO {grantees}");
        if g.with_grant_option {
            s.push_str(if g.on.is_some() {
                " WITH GRANT OPTION"
            } else {
                " WITH ADMIN OPTION"
            });
        }
        s
    }
}
