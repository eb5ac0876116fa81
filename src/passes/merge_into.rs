//! MERGE for the targets (Targeted phase; runs after the procedural passes have resolved
//! names, before functions and types, which then convert what this pass writes).
//!
//! - Oracle `UPDATE SET ... DELETE WHERE c` deletes the rows the clause updated for which `c`
//!   holds on their new values. It becomes a `WHEN MATCHED AND cond AND c' THEN DELETE`
//!   clause before the UPDATE, where `c'` is `c` with every target column the UPDATE sets
//!   replaced by its SET expression (the value it would have had): the same rows (QRY026).
//! - PostgreSQL 15 has MERGE but no `WHEN NOT MATCHED BY SOURCE` (T-SQL): those clauses run
//!   first, as an UPDATE / DELETE of the target rows no source row matches, then the MERGE
//!   (QRY027). The MERGE's other clauses never touch those rows, so the result is the same.
//! - MySQL has no MERGE. It becomes, in this order: the BY SOURCE clauses, the matched DELETEs,
//!   the matched UPDATE (multiple-table forms joined to the source on the ON condition, each
//!   guarded by `NOT COALESCE(c, FALSE)` of the clauses before it, so a row takes the first
//!   clause that holds, as in MERGE), then the INSERT of the source rows without a match
//!   (`INSERT ... SELECT ... WHERE NOT EXISTS`) (QRY028). That order is exact when the
//!   statements before the INSERT cannot change which source rows have a match: with a matched
//!   DELETE, an UPDATE of a column the ON condition reads, two matched UPDATEs or two INSERTs,
//!   it is not, and the MERGE is left as it is with QRY029 (manual; also on PostgreSQL when a
//!   BY SOURCE UPDATE sets a column the ON condition reads).

use super::Ctx;
use crate::Target;
use crate::diag::Finding;
use crate::ir::plsql::{Block, PlStmt};
use crate::ir::visit::{VisitMut, walk_expr};
use crate::ir::{
    BinOp, Call, Delete, Expr, Ident, Insert, InsertSource, Merge, MergeAction, MergeClause,
    MergeMatch, Module, QName, Query, SelectItem, Stmt, TableRef, UnaryOp, Update,
};
use crate::rules::codes;
use crate::source::Span;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    let target = ctx.target();
    for o in &mut module.objects {
        if o.commented_out {
            continue;
        }
        let mut v = Merges {
            target,
            found: Vec::new(),
        };
        super::walk_object(&mut v, o);
        o.findings.append(&mut v.found);
        if target == Target::Mysql {
            for b in blocks(&mut o.stmt) {
                sum_counts(&mut b.body);
                for h in &mut b.handlers {
                    sum_counts(&mut h.body);
                }
            }
        }
    }
}

/// The PL/SQL blocks a statement holds: routine, trigger and package bodies.
fn blocks(s: &mut Stmt) -> Vec<&mut Block> {
    match s {
        Stmt::CreateRoutine(r) => vec![&mut r.body],
        Stmt::CreateTrigger(t) => vec![&mut t.body],
        Stmt::CreatePackage(p) => p
            .routines
            .iter_mut()
            .map(|r| &mut r.body)
            .chain(p.init.as_mut())
            .collect(),
        Stmt::AnonymousBlock(b) => vec![b.as_mut()],
        _ => Vec::new(),
    }
}

/// `SQL%ROWCOUNT` after a MERGE run as separate statements (MySQL) is the sum of their
/// counts, as Oracle counts every row the MERGE inserted, updated or deleted: the count is
/// kept after the first statement and added to after each of the others.
fn sum_counts(v: &mut Vec<PlStmt>) {
    let old = std::mem::take(v);
    let mut it = old.into_iter().peekable();
    while let Some(mut s) = it.next() {
        for l in s.lists_mut() {
            sum_counts(l);
        }
        let parts = match &mut s {
            PlStmt::Dml { stmt, .. } => match stmt.as_mut() {
                Stmt::Merge(m)
                    if m.replaced_by.len() > 1
                        && matches!(it.peek(), Some(PlStmt::RowCount { .. })) =>
                {
                    std::mem::take(&mut m.replaced_by)
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let Some(PlStmt::RowCount { target, span: rc }) =
            (!parts.is_empty()).then(|| it.next()).flatten()
        else {
            v.push(s);
            continue;
        };
        let span = s.span();
        let counter = || Expr::Column(QName::single(target.clone()));
        for (i, part) in parts.into_iter().enumerate() {
            v.push(PlStmt::Dml {
                stmt: Box::new(part),
                returning: Vec::new(),
                into: Vec::new(),
                span,
            });
            v.push(if i == 0 {
                PlStmt::RowCount {
                    target: target.clone(),
                    span: rc,
                }
            } else {
                let sum = Expr::Binary {
                    op: BinOp::Add,
                    left: Box::new(counter()),
                    right: Box::new(Expr::Raw("ROW_COUNT()".into(), rc)),
                    span: rc,
                };
                PlStmt::assign(counter(), sum, rc)
            });
        }
    }
}

struct Merges {
    target: Target,
    found: Vec<Finding>,
}

impl VisitMut for Merges {
    fn stmt(&mut self, s: &mut Stmt) {
        if let Stmt::Merge(m) = s
            && m.replaced_by.is_empty()
        {
            delete_where(m, &mut self.found);
            match self.target {
                Target::Postgres => by_source_first(m, &mut self.found),
                Target::Mysql => mysql(m, &mut self.found),
            }
        }
    }
}

/// The name that qualifies the target's columns: its alias or its table name.
fn target_qualifier(m: &Merge) -> String {
    match &m.alias {
        Some(a) => a.value.clone(),
        None => m.table.name().value.clone(),
    }
}

/// Oracle `DELETE WHERE c` -> a DELETE clause before the UPDATE (see the module doc).
fn delete_where(m: &mut Merge, found: &mut Vec<Finding>) {
    let qual = target_qualifier(m);
    let mut i = 0;
    while i < m.clauses.len() {
        let Some(c) = m.clauses[i].delete_where.take() else {
            i += 1;
            continue;
        };
        let clause = &m.clauses[i];
        let MergeAction::Update(set) = &clause.action else {
            i += 1;
            continue;
        };
        let mut subst = Substitute {
            qual: &qual,
            set,
            table: &m.table.name().value,
        };
        let mut c2 = c;
        walk_expr(&mut subst, &mut c2);
        let span = clause.span;
        let cond = match &clause.cond {
            Some(c1) => and(vec![c1.clone(), c2], span),
            None => c2,
        };
        found.push(Finding::new(&codes::MERGE_DELETE_WHERE, span, &[]));
        m.clauses.insert(
            i,
            MergeClause {
                when: MergeMatch::Matched,
                cond: Some(cond),
                action: MergeAction::Delete,
                delete_where: None,
                span,
            },
        );
        i += 2;
    }
}

/// The conjunction of `v` (TRUE when empty).
fn and(v: Vec<Expr>, span: Span) -> Expr {
    Expr::and_all(v).unwrap_or(Expr::Bool(true, span))
}

/// Replaces target columns that an UPDATE sets by their SET expressions.
struct Substitute<'a> {
    qual: &'a str,
    table: &'a str,
    set: &'a [(Vec<Ident>, Expr)],
}

impl VisitMut for Substitute<'_> {
    fn expr(&mut self, e: &mut Expr) {
        let Expr::Column(q) = e else { return };
        let (owner, col) = match q.parts.as_slice() {
            [c] => (None, c),
            [o, c] => (Some(o), c),
            _ => return,
        };
        if let Some(o) = owner
            && !o.value.eq_ignore_ascii_case(self.qual)
            && !o.value.eq_ignore_ascii_case(self.table)
        {
            return;
        }
        let value = self.set.iter().find_map(|(cols, v)| {
            (cols.len() == 1 && cols[0].value.eq_ignore_ascii_case(&col.value)).then_some(v)
        });
        if let Some(v) = value {
            *e = v.clone();
        }
    }
}

/// `EXISTS (SELECT 1 FROM from WHERE cond)`, negated.
fn not_exists(from: TableRef, cond: Expr, span: Span) -> Expr {
    Expr::Exists {
        query: Box::new(Query::select(
            vec![SelectItem::Expr {
                expr: Expr::Number("1".into(), span),
                alias: None,
            }],
            vec![from],
            Some(cond),
            span,
        )),
        not: true,
        span,
    }
}

fn target_ref(m: &Merge) -> TableRef {
    TableRef::Table {
        name: m.table.clone(),
        alias: m.alias.clone(),
        span: m.span,
    }
}

/// `NOT COALESCE(c, FALSE)`: true when `c` is false or unknown (the clause did not apply).
fn did_not_hold(c: &Expr, span: Span) -> Expr {
    Expr::Unary {
        op: UnaryOp::Not,
        expr: Box::new(Call::expr(
            "COALESCE",
            vec![c.clone(), Expr::Bool(false, span)],
            span,
        )),
        span,
    }
}

/// The UPDATE / DELETE of one clause, for the rows `rows` selects.
fn clause_stmt(m: &Merge, action: &MergeAction, from: Vec<TableRef>, rows: Expr) -> Option<Stmt> {
    match action {
        MergeAction::Update(set) => Some(Stmt::Update(Box::new(Update {
            table: m.table.clone(),
            alias: m.alias.clone(),
            set: set.clone(),
            from,
            where_: Some(rows),
        }))),
        MergeAction::Delete => Some(Stmt::Delete(Box::new(Delete {
            table: m.table.clone(),
            alias: m.alias.clone(),
            using: from,
            where_: Some(rows),
        }))),
        MergeAction::Insert { .. } => None,
    }
}

/// The statements of the BY SOURCE clauses: target rows without a source row, first clause
/// that holds (deletes first: they cannot change the conditions of the other rows).
fn by_source_stmts(m: &Merge) -> Vec<Stmt> {
    let clauses: Vec<&MergeClause> = m
        .clauses
        .iter()
        .filter(|c| c.when == MergeMatch::NotMatchedBySource)
        .collect();
    let unmatched = not_exists(m.source.clone(), m.on.clone(), m.span);
    ordered(m, &clauses, Vec::new(), unmatched)
}

/// One statement per clause, each for the rows `base` selects and its own condition, guarded
/// by the conditions of the clauses before it; DELETEs first.
fn ordered(m: &Merge, clauses: &[&MergeClause], from: Vec<TableRef>, base: Expr) -> Vec<Stmt> {
    let mut deletes = Vec::new();
    let mut updates = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        // A clause after one without a condition is never reached.
        if clauses[..i].iter().any(|p| p.cond.is_none()) {
            break;
        }
        let mut conds = vec![base.clone()];
        conds.extend(
            clauses[..i]
                .iter()
                .filter_map(|p| p.cond.as_ref())
                .map(|p| did_not_hold(p, c.span)),
        );
        conds.extend(c.cond.clone());
        let rows = and(conds, c.span);
        if let Some(s) = clause_stmt(m, &c.action, from.clone(), rows) {
            if matches!(c.action, MergeAction::Delete) {
                deletes.push(s);
            } else {
                updates.push(s);
            }
        }
    }
    deletes.extend(updates);
    deletes
}

/// PostgreSQL 15: `NOT MATCHED BY SOURCE` clauses run before the MERGE.
fn by_source_first(m: &mut Merge, found: &mut Vec<Finding>) {
    if !m
        .clauses
        .iter()
        .any(|c| c.when == MergeMatch::NotMatchedBySource)
    {
        return;
    }
    if sets_on_column(m, |w| w == MergeMatch::NotMatchedBySource) {
        let why = "its NOT MATCHED BY SOURCE clause (PostgreSQL 15 has none) updates a column \
                   the ON condition reads: run before the MERGE, it would change the matches";
        found.push(Finding::new(&codes::MERGE_NOT_CONVERTED, m.span, &[why]));
        return;
    }
    let mut stmts = by_source_stmts(m);
    let mut rest = m.clone();
    rest.clauses
        .retain(|c| c.when != MergeMatch::NotMatchedBySource);
    if !rest.clauses.is_empty() {
        stmts.push(Stmt::Merge(Box::new(rest)));
    }
    found.push(Finding::new(&codes::MERGE_BY_SOURCE, m.span, &[]));
    m.replaced_by = stmts;
}

/// Columns of the target the ON condition reads (qualified by the target, or unqualified).
struct OnColumns<'a> {
    qual: &'a str,
    table: &'a str,
    cols: Vec<String>,
}

impl VisitMut for OnColumns<'_> {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e {
            match q.parts.as_slice() {
                [c] => self.cols.push(c.value.to_ascii_uppercase()),
                [o, c]
                    if o.value.eq_ignore_ascii_case(self.qual)
                        || o.value.eq_ignore_ascii_case(self.table) =>
                {
                    self.cols.push(c.value.to_ascii_uppercase())
                }
                _ => {}
            }
        }
    }
}

/// Does an UPDATE clause of a kind `which` accepts set a target column the ON condition reads?
fn sets_on_column(m: &Merge, which: impl Fn(MergeMatch) -> bool) -> bool {
    let qual = target_qualifier(m);
    let mut on = OnColumns {
        qual: &qual,
        table: &m.table.name().value,
        cols: Vec::new(),
    };
    let mut on_expr = m.on.clone();
    walk_expr(&mut on, &mut on_expr);
    m.clauses
        .iter()
        .filter(|c| which(c.when))
        .any(|c| match &c.action {
            MergeAction::Update(set) => set
                .iter()
                .flat_map(|(cols, _)| cols)
                .any(|c| on.cols.contains(&c.value.to_ascii_uppercase())),
            _ => false,
        })
}

/// MySQL: the MERGE as separate statements, or QRY029 (see the module doc).
fn mysql(m: &mut Merge, found: &mut Vec<Finding>) {
    let matched: Vec<&MergeClause> = m
        .clauses
        .iter()
        .filter(|c| c.when == MergeMatch::Matched)
        .collect();
    let inserts: Vec<&MergeClause> = m
        .clauses
        .iter()
        .filter(|c| c.when == MergeMatch::NotMatched)
        .collect();
    let updates = matched
        .iter()
        .filter(|c| matches!(c.action, MergeAction::Update(_)))
        .count();
    let deletes = matched.len() - updates;
    let by_source = m
        .clauses
        .iter()
        .filter(|c| c.when == MergeMatch::NotMatchedBySource)
        .count();
    let sets_on_column = sets_on_column(m, |w| w != MergeMatch::NotMatched);
    let why = if updates > 1 {
        Some("it has two WHEN MATCHED ... UPDATE clauses: the second would see the first's changes")
    } else if inserts.len() > 1 {
        Some("it has two WHEN NOT MATCHED clauses")
    } else if !inserts.is_empty() && deletes > 0 {
        Some(
            "it deletes matched rows and inserts unmatched ones: run apart, the source rows of the deleted rows would be inserted again",
        )
    } else if sets_on_column && (!inserts.is_empty() || by_source > 0) {
        Some(
            "an UPDATE sets a column the ON condition reads: run apart, the statements after it would see other matches",
        )
    } else {
        None
    };
    if let Some(why) = why {
        found.push(Finding::new(&codes::MERGE_NOT_CONVERTED, m.span, &[why]));
        return;
    }
    let mut stmts = if m
        .clauses
        .iter()
        .any(|c| c.when == MergeMatch::NotMatchedBySource)
    {
        by_source_stmts(m)
    } else {
        Vec::new()
    };
    stmts.extend(ordered(m, &matched, vec![m.source.clone()], m.on.clone()));
    if let Some(c) = inserts.first()
        && let MergeAction::Insert { columns, values } = &c.action
    {
        let Some(values) = values else {
            found.push(Finding::new(
                &codes::MERGE_NOT_CONVERTED,
                m.span,
                &["its INSERT DEFAULT VALUES has no source columns to select"],
            ));
            return;
        };
        let items = values
            .iter()
            .map(|e| SelectItem::Expr {
                expr: e.clone(),
                alias: None,
            })
            .collect();
        let mut conds = vec![not_exists(target_ref(m), m.on.clone(), c.span)];
        conds.extend(c.cond.clone());
        let rows = Query::select(
            items,
            vec![m.source.clone()],
            Some(and(conds, c.span)),
            c.span,
        );
        stmts.push(Stmt::Insert(Box::new(Insert {
            table: m.table.clone(),
            alias: None,
            columns: columns.clone(),
            source: InsertSource::Query(Box::new(rows)),
        })));
    }
    let kinds: Vec<&str> = stmts
        .iter()
        .map(|s| match s {
            Stmt::Update(_) => "UPDATE",
            Stmt::Delete(_) => "DELETE",
            _ => "INSERT",
        })
        .collect();
    let n = stmts.len().to_string();
    found.push(Finding::new(
        &codes::MYSQL_MERGE_EMULATED,
        m.span,
        &[&n, &kinds.join(", ")],
    ));
    if stmts.is_empty() {
        // Every clause unreachable: nothing to do, but a statement must stand here.
        stmts.push(Stmt::Ignored {
            what: "MERGE without a reachable clause".into(),
        });
    }
    m.replaced_by = stmts;
}
