//! Queries and DML.
//!
//! Layout: a query at statement level (view bodies, `CREATE TABLE AS`, `INSERT ... SELECT`)
//! puts each clause on its own line, joins on continuation lines and derived tables / CTEs /
//! parenthesised set operands on indented lines. Queries inside expressions (scalar
//! subqueries, `IN (...)`, `EXISTS (...)`) and in `UPDATE`/`DELETE` are printed on one line.

use super::expr::{expr, expr_list, order_items};
use super::{PushSql, ident, ident_list, indent, qname};
use crate::ir::{
    Delete, Expr, ForUpdate, Insert, InsertSource, JoinKind, LockWait, Query, Select, SelectItem,
    SetExpr, SetOp, TableRef, Update,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Everything on one line.
    Inline,
    /// One clause per line, at this indentation (the first line is not indented: the caller
    /// has placed it).
    Block(usize),
}

impl Layout {
    /// Separator between clauses.
    fn sep(self) -> String {
        match self {
            Layout::Inline => " ".to_string(),
            Layout::Block(n) => format!("\n{}", indent(n)),
        }
    }
    fn deeper(self) -> Layout {
        match self {
            Layout::Inline => Layout::Inline,
            Layout::Block(n) => Layout::Block(n + 4),
        }
    }
    /// `(` inner `)`, where `inner` is printed with [`Layout::deeper`].
    fn paren(self, inner: &str) -> String {
        match self {
            Layout::Inline => format!("({inner})"),
            Layout::Block(n) => format!("(\n{}{inner}\n{})", indent(n + 4), indent(n)),
        }
    }
}

pub(crate) fn query(q: &Query, layout: Layout) -> String {
    let mut clauses = Vec::new();
    if !q.with.is_empty() {
        let ctes: Vec<String> = q
            .with
            .iter()
            .map(|c| {
                let mut s = ident(&c.name);
                if !c.columns.is_empty() {
                    s.push_str(&format!(" ({})", ident_list(&c.columns)));
                }
                s.push_str(" AS ");
                s.push_str(&layout.paren(&query(&c.query, layout.deeper())));
                s
            })
            .collect();
        let kw = if q.recursive {
            "WITH RECURSIVE "
        } else {
            "WITH "
        };
        clauses.push(format!("{kw}{}", ctes.join(", ")));
    }
    clauses.push(body(&q.body, layout));
    if !q.order_by.is_empty() {
        clauses.push(format!("ORDER BY {}", order_items(&q.order_by)));
    }
    if let Some(l) = &q.limit {
        clauses.push(format!("LIMIT {}", expr(l)));
    }
    if let Some(o) = &q.offset {
        // MySQL has no OFFSET without LIMIT: the largest row count stands for "all".
        if q.limit.is_none() {
            clauses.push("LIMIT 18446744073709551615".to_string());
        }
        clauses.push(format!("OFFSET {}", expr(o)));
    }
    if let Some(f) = &q.for_update {
        clauses.push(for_update(f));
    }
    clauses.join(&layout.sep())
}

/// A query that needs parentheses when used as a set operand or a body.
fn has_tail(q: &Query) -> bool {
    !q.with.is_empty()
        || !q.order_by.is_empty()
        || q.limit.is_some()
        || q.offset.is_some()
        || q.for_update.is_some()
}

fn for_update(f: &ForUpdate) -> String {
    let mut s = "FOR UPDATE".to_string();
    if !f.of.is_empty() {
        let of: Vec<String> = f.of.iter().map(qname).collect();
        s.push_str(" OF ");
        s.push_str(&of.join(", "));
    }
    match f.wait {
        LockWait::Wait => {}
        LockWait::NoWait => s.push_str(" NOWAIT"),
        LockWait::SkipLocked => s.push_str(" SKIP LOCKED"),
        LockWait::Seconds(n) => s.push_str(&format!(" WAIT {n}")),
    }
    s
}

/// Looks through parenthesised queries that add nothing around their body.
fn unwrap(e: &SetExpr) -> &SetExpr {
    match e {
        SetExpr::Query(q) if !has_tail(q) => unwrap(&q.body),
        _ => e,
    }
}

fn set_level(op: SetOp) -> u8 {
    match op {
        SetOp::Union | SetOp::Except => 1,
        SetOp::Intersect => 2,
    }
}

fn body(e: &SetExpr, layout: Layout) -> String {
    match unwrap(e) {
        SetExpr::Select(s) => select(s, layout),
        SetExpr::Values(rows) => values(rows),
        SetExpr::Query(q) => layout.paren(&query(q, layout.deeper())),
        SetExpr::SetOp {
            op,
            all,
            left,
            right,
        } => {
            let lv = set_level(*op);
            let mut kw = match op {
                SetOp::Union => "UNION",
                SetOp::Intersect => "INTERSECT",
                SetOp::Except => "EXCEPT",
            }
            .to_string();
            if *all {
                kw.push_str(" ALL");
            }
            [
                set_operand(left, lv, layout),
                kw,
                set_operand(right, lv + 1, layout),
            ]
            .join(&layout.sep())
        }
    }
}

/// A set operand, parenthesised when it is a set operation binding less tightly than `min`.
fn set_operand(e: &SetExpr, min: u8, layout: Layout) -> String {
    match unwrap(e) {
        SetExpr::SetOp { op, .. } if set_level(*op) < min => {
            layout.paren(&body(e, layout.deeper()))
        }
        inner => body(inner, layout),
    }
}

fn values(rows: &[Vec<crate::ir::Expr>]) -> String {
    let rows: Vec<String> = rows.iter().map(|r| format!("({})", expr_list(r))).collect();
    format!("VALUES {}", rows.join(", "))
}

fn select(s: &Select, layout: Layout) -> String {
    let mut clauses = Vec::new();
    let items: Vec<String> = s
        .items
        .iter()
        .map(|item| match item {
            SelectItem::Wildcard(None) => "*".to_string(),
            SelectItem::Wildcard(Some(q)) => format!("{}.*", qname(q)),
            SelectItem::Expr { expr: e, alias } => match alias {
                Some(a) => format!("{} AS {}", expr(e), ident(a)),
                None => expr(e),
            },
        })
        .collect();
    let mut head = String::from("SELECT");
    if s.distinct {
        head.push_str(" DISTINCT");
    }
    if !items.is_empty() {
        head.push(' ');
        head.push_str(&items.join(", "));
    }
    clauses.push(head);
    if !s.from.is_empty() {
        let refs: Vec<String> = s.from.iter().map(|r| table_ref(r, layout)).collect();
        clauses.push(format!("FROM {}", refs.join(", ")));
    }
    if let Some(w) = &s.where_ {
        clauses.push(format!("WHERE {}", expr(w)));
    }
    if let [Expr::Call(c)] = s.group_by.as_slice()
        && c.name.name().is("ROLLUP")
        && c.over.is_none()
    {
        // `GROUP BY ROLLUP(a, b)` is spelled `GROUP BY a, b WITH ROLLUP` (passes/mysql.rs
        // flags a ROLLUP that is not the whole list).
        let args: Vec<Expr> = c.args.iter().map(|a| a.value.clone()).collect();
        clauses.push(format!("GROUP BY {} WITH ROLLUP", expr_list(&args)));
    } else if !s.group_by.is_empty() {
        clauses.push(format!("GROUP BY {}", expr_list(&s.group_by)));
    }
    if let Some(h) = &s.having {
        clauses.push(format!("HAVING {}", expr(h)));
    }
    // `connect_by` is rewritten by a pass; one still here has been flagged.
    clauses.join(&layout.sep())
}

fn with_alias(mut s: String, alias: &Option<crate::ir::Ident>) -> String {
    if let Some(a) = alias {
        s.push(' ');
        s.push_ident(a);
    }
    s
}

fn table_ref(r: &TableRef, layout: Layout) -> String {
    match r {
        TableRef::Table { name, alias, .. } => with_alias(qname(name), alias),
        TableRef::Subquery {
            query: q,
            alias,
            lateral,
            ..
        } => {
            let mut s = String::new();
            if *lateral {
                s.push_str("LATERAL ");
            }
            s.push_str(&layout.paren(&query(q, layout.deeper())));
            with_alias(s, alias)
        }
        TableRef::Function { call, alias, .. } => with_alias(expr(call), alias),
        TableRef::Join {
            left,
            right,
            kind,
            on,
            using,
        } => {
            let mut s = table_ref(left, layout);
            s.push_str(&layout.deeper().sep());
            let kind = if *kind == JoinKind::Cross && on.is_some() {
                JoinKind::Inner
            } else {
                *kind
            };
            s.push_str(match kind {
                JoinKind::Inner => "JOIN ",
                JoinKind::Left => "LEFT JOIN ",
                JoinKind::Right => "RIGHT JOIN ",
                JoinKind::Full => "FULL JOIN ",
                JoinKind::Cross => "CROSS JOIN ",
                JoinKind::Natural => "NATURAL JOIN ",
            });
            match &**right {
                TableRef::Join { .. } => {
                    s.push('(');
                    s.push_str(&table_ref(right, layout.deeper()));
                    s.push(')');
                }
                other => s.push_str(&table_ref(other, layout.deeper())),
            }
            if matches!(kind, JoinKind::Cross | JoinKind::Natural) {
                return s;
            }
            if !using.is_empty() {
                s.push_str(&format!(" USING ({})", ident_list(using)));
            } else if let Some(cond) = on {
                s.push_str(" ON ");
                s.push_str(&expr(cond));
            } else {
                s.push_str(" ON TRUE");
            }
            s
        }
    }
}

pub(crate) fn insert(i: &Insert) -> String {
    // MySQL's INSERT has no table alias (`AS` there names the new row): not printed.
    let mut s = format!("INSERT INTO {}", qname(&i.table));
    if !i.columns.is_empty() {
        s.push_str(&format!(" ({})", ident_list(&i.columns)));
    }
    match &i.source {
        InsertSource::DefaultValues => s.push_str(" () VALUES ()"),
        InsertSource::Values(rows) if rows.len() == 1 => {
            s.push_str(&format!(" VALUES ({})", expr_list(&rows[0])));
        }
        InsertSource::Values(rows) => {
            let rows: Vec<String> = rows
                .iter()
                .map(|r| format!("    ({})", expr_list(r)))
                .collect();
            s.push_str(" VALUES\n");
            s.push_str(&rows.join(",\n"));
        }
        InsertSource::Record(e) => {
            s.push_str(&format!(" SELECT ({}).*", expr(e)));
        }
        InsertSource::Query(q) => {
            s.push('\n');
            s.push_str(&query(q, Layout::Block(0)));
        }
    }
    s
}

pub(crate) fn update(u: &Update) -> String {
    let mut s = with_alias(format!("UPDATE {}", qname(&u.table)), &u.alias);
    // The multiple-table form (T-SQL `UPDATE ... FROM`, rewritten by the pass): the other
    // tables follow the target, and the columns set are qualified by the target.
    let target = if u.from.is_empty() {
        None
    } else {
        for f in &u.from {
            s.push_str(", ");
            s.push_str(&table_ref(f, Layout::Inline));
        }
        Some(match &u.alias {
            Some(a) => ident(a),
            None => qname(&u.table),
        })
    };
    let col = |c: &crate::ir::Ident| match &target {
        Some(t) => format!("{t}.{}", ident(c)),
        None => ident(c),
    };
    s.push_str(" SET ");
    s.push_str(&set_list(&u.set, col));
    if let Some(w) = &u.where_ {
        s.push_str(" WHERE ");
        s.push_str(&expr(w));
    }
    s
}

/// `a = e, (b, c) = e` of an UPDATE or MERGE, each column written by `col`.
fn set_list(
    set: &[(Vec<crate::ir::Ident>, crate::ir::Expr)],
    col: impl Fn(&crate::ir::Ident) -> String,
) -> String {
    let sets: Vec<String> = set
        .iter()
        .map(|(cols, e)| {
            if cols.len() == 1 {
                format!("{} = {}", col(&cols[0]), expr(e))
            } else {
                let cs: Vec<String> = cols.iter().map(&col).collect();
                format!("({}) = {}", cs.join(", "), expr(e))
            }
        })
        .collect();
    sets.join(", ")
}

pub(crate) fn delete(d: &Delete) -> String {
    let mut s = if d.using.is_empty() && d.alias.is_none() {
        format!("DELETE FROM {}", qname(&d.table))
    } else {
        // The multiple-table form (T-SQL `DELETE ... FROM`): `DELETE t FROM t, others`; also
        // for an aliased target alone (MariaDB and MySQL before 8.0.16 have no alias in the
        // single-table form).
        let target = match &d.alias {
            Some(a) => ident(a),
            None => qname(&d.table),
        };
        let mut s = with_alias(
            format!("DELETE {target} FROM {}", qname(&d.table)),
            &d.alias,
        );
        for f in &d.using {
            s.push_str(", ");
            s.push_str(&table_ref(f, Layout::Inline));
        }
        s
    };
    if let Some(w) = &d.where_ {
        s.push_str(" WHERE ");
        s.push_str(&expr(w));
    }
    s
}

/// `MERGE INTO t [a] USING source ON cond WHEN ... THEN ...` (one line per clause).
pub(crate) fn merge(m: &crate::ir::Merge) -> String {
    use crate::ir::{MergeAction, MergeMatch};
    let mut s = with_alias(format!("MERGE INTO {}", qname(&m.table)), &m.alias);
    s.push_str(&format!(
        " USING {} ON {}",
        table_ref(&m.source, Layout::Inline),
        expr(&m.on)
    ));
    for c in &m.clauses {
        s.push_str(match c.when {
            MergeMatch::Matched => "\nWHEN MATCHED",
            MergeMatch::NotMatched => "\nWHEN NOT MATCHED",
            MergeMatch::NotMatchedBySource => "\nWHEN NOT MATCHED BY SOURCE",
        });
        if let Some(e) = &c.cond {
            s.push_str(&format!(" AND {}", expr(e)));
        }
        match &c.action {
            MergeAction::Update(set) => {
                s.push_str(&format!(" THEN UPDATE SET {}", set_list(set, ident)));
            }
            MergeAction::Delete => s.push_str(" THEN DELETE"),
            MergeAction::Insert { columns, values } => {
                s.push_str(" THEN INSERT");
                if !columns.is_empty() {
                    s.push_str(&format!(" ({})", ident_list(columns)));
                }
                match values {
                    Some(v) => s.push_str(&format!(" VALUES ({})", expr_list(v))),
                    None => s.push_str(" DEFAULT VALUES"),
                }
            }
        }
    }
    s
}
