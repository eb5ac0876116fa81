//! Oracle `(+)` outer joins -> ANSI joins (Normalized phase).
//!
//! In a SELECT whose WHERE has `(+)` markers, every AND-conjunct is classified: a conjunct
//! whose marked columns all belong to one table B makes B the outer side of a LEFT JOIN whose
//! ON holds those conjuncts; B joins after every table the conjuncts reference. Other tables
//! join in FROM order with INNER JOIN on the conjuncts that connect them (or CROSS JOIN).
//! What cannot be expressed (markers on two tables in one conjunct, a cycle) is QRY006.

use super::symbols::Symbols;
use super::{Ctx, flag};
use crate::diag::Finding;
use crate::ir::visit::{VisitMut, walk_stmt};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    for o in &mut module.objects {
        let mut v = Rewriter {
            tsql: matches!(
                ctx.opts.from,
                crate::SourceDialect::Tsql | crate::SourceDialect::Ase
            ),
            syms: &ctx.symbols,
            found: Vec::new(),
        };
        walk_stmt(&mut v, &mut o.stmt);
        let manual = v
            .found
            .iter()
            .any(|f| f.severity >= crate::diag::Severity::Manual);
        o.findings.append(&mut v.found);
        if manual && matches!(o.stmt, Stmt::CreateView(_)) {
            o.commented_out = true;
        }
    }
    let _ = flag;
}

struct Rewriter<'a> {
    /// T-SQL `*=` / `=*` (same encoding, own finding codes).
    tsql: bool,
    syms: &'a Symbols,
    found: Vec<Finding>,
}

fn has_marker(e: &Expr) -> bool {
    let mut found = false;
    visit_ro(e, &mut |x| {
        if matches!(x, Expr::OuterJoin(_)) {
            found = true;
        }
    });
    found
}

/// Read-only pre-order walk over an expression (subqueries are not entered).
fn visit_ro(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match e {
        Expr::Unary { expr, .. }
        | Expr::IsNull { expr, .. }
        | Expr::Cast { expr, .. }
        | Expr::OuterJoin(expr) => visit_ro(expr, f),
        Expr::Binary { left, right, .. } | Expr::IsDistinct { left, right, .. } => {
            visit_ro(left, f);
            visit_ro(right, f);
        }
        Expr::Call(c) => c.args.iter().for_each(|a| visit_ro(&a.value, f)),
        Expr::Case(c) => {
            if let Some(o) = &c.operand {
                visit_ro(o, f);
            }
            for (w, t) in &c.whens {
                visit_ro(w, f);
                visit_ro(t, f);
            }
            if let Some(x) = &c.else_ {
                visit_ro(x, f);
            }
        }
        Expr::InList { expr, list, .. } => {
            visit_ro(expr, f);
            list.iter().for_each(|x| visit_ro(x, f));
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            visit_ro(expr, f);
            visit_ro(low, f);
            visit_ro(high, f);
        }
        Expr::Like { expr, pattern, .. } => {
            visit_ro(expr, f);
            visit_ro(pattern, f);
        }
        Expr::Tuple(xs, _) => xs.iter().for_each(|x| visit_ro(x, f)),
        Expr::InQuery { expr, .. } => visit_ro(expr, f),
        _ => {}
    }
}

fn strip_markers(e: &mut Expr) {
    struct S;
    impl VisitMut for S {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::OuterJoin(inner) = e {
                let inner = std::mem::replace(inner.as_mut(), Expr::Null(Span::default()));
                *e = inner;
            }
        }
    }
    crate::ir::visit::walk_expr(&mut S, e);
}

struct Item {
    key: String,
    columns: Option<Vec<String>>,
    tref: Option<TableRef>,
}

impl Rewriter<'_> {
    /// Which FROM items (by index) a column reference belongs to; `None` if unknown.
    fn owner(&self, items: &[Item], q: &QName) -> Option<usize> {
        if q.parts.len() >= 2 {
            let qual = &q.parts[q.parts.len() - 2].value;
            return items.iter().position(|i| &i.key == qual);
        }
        let col = &q.parts[0].value;
        let hits: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.columns.as_ref().is_some_and(|c| c.contains(col)))
            .map(|(n, _)| n)
            .collect();
        if hits.len() == 1 { Some(hits[0]) } else { None }
    }

    /// (marked owners, unmarked owners, all resolvable)
    fn refs(&self, items: &[Item], e: &Expr) -> (Vec<usize>, Vec<usize>, bool) {
        let mut marked = Vec::new();
        let mut plain = Vec::new();
        let mut ok = true;
        let mut marked_cols: Vec<*const Expr> = Vec::new();
        visit_ro(e, &mut |x| {
            if let Expr::OuterJoin(inner) = x {
                marked_cols.push(inner.as_ref() as *const Expr);
            }
        });
        visit_ro(e, &mut |x| {
            if let Expr::Column(q) = x {
                // Pseudo-columns and literals-as-names are not table columns.
                if q.parts.len() == 1
                    && matches!(
                        q.parts[0].value.as_str(),
                        "SYSDATE" | "SYSTIMESTAMP" | "USER" | "ROWNUM" | "LEVEL" | "NULL"
                    )
                {
                    return;
                }
                let is_marked = marked_cols.contains(&(x as *const Expr));
                match self.owner(items, q) {
                    Some(i) => {
                        if is_marked {
                            if !marked.contains(&i) {
                                marked.push(i);
                            }
                        } else if !plain.contains(&i) {
                            plain.push(i);
                        }
                    }
                    None => ok = false,
                }
            }
        });
        (marked, plain, ok)
    }

    fn rewrite(&mut self, s: &mut Select) -> Result<(), String> {
        let Some(w) = s.where_.take() else {
            return Ok(());
        };
        let mut items: Vec<Item> = Vec::new();
        for t in &s.from {
            match t {
                TableRef::Table { name, alias, .. } => {
                    let key = alias
                        .as_ref()
                        .map(|a| a.value.clone())
                        .unwrap_or_else(|| name.name().value.clone());
                    let columns = self
                        .syms
                        .table(name)
                        .map(|ti| ti.columns.iter().map(|c| c.0.clone()).collect());
                    items.push(Item {
                        key,
                        columns,
                        tref: Some(t.clone()),
                    });
                }
                TableRef::Subquery { alias: Some(a), .. }
                | TableRef::Function { alias: Some(a), .. } => {
                    items.push(Item {
                        key: a.value.clone(),
                        columns: None,
                        tref: Some(t.clone()),
                    });
                }
                _ => {
                    s.where_ = Some(w);
                    return Err(
                        "the FROM clause mixes ANSI joins or unnamed subqueries with (+)".into(),
                    );
                }
            }
        }
        let mut conds = Vec::new();
        w.clone().split_and(&mut conds);
        let n = items.len();
        let mut outer_of: Vec<Option<Vec<Expr>>> = vec![None; n];
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut regular: Vec<(Expr, Vec<usize>, bool)> = Vec::new();
        for mut c in conds {
            let (marked, plain, ok) = self.refs(&items, &c);
            if !has_marker(&c) {
                regular.push((c, plain, ok));
                continue;
            }
            if !ok {
                s.where_ = Some(w);
                return Err(
                    "a column in an outer-join condition cannot be attributed to one table".into(),
                );
            }
            if marked.len() != 1 {
                s.where_ = Some(w);
                return Err("one condition marks columns of two tables with (+)".into());
            }
            let b = marked[0];
            strip_markers(&mut c);
            outer_of[b].get_or_insert_with(Vec::new).push(c);
            for p in plain {
                if p != b && !deps[b].contains(&p) {
                    deps[b].push(p);
                }
            }
        }
        // Join order: FROM order, an outer table as soon as its dependencies are in.
        let mut joined: Vec<usize> = Vec::new();
        let mut tree: Option<TableRef> = None;
        let mut kinds = Vec::new();
        while joined.len() < n {
            let next = (0..n).find(|&i| {
                !joined.contains(&i)
                    && (outer_of[i].is_none()
                        || (!joined.is_empty() && deps[i].iter().all(|d| joined.contains(d))))
            });
            let Some(i) = next else {
                s.where_ = Some(w);
                return Err("the outer joins form a cycle".into());
            };
            let tref = items[i].tref.take().expect("each item joins once");
            joined.push(i);
            tree = Some(match tree {
                None => tref,
                Some(left) => {
                    if let Some(on) = outer_of[i].take() {
                        kinds.push("LEFT");
                        TableRef::Join {
                            left: Box::new(left),
                            right: Box::new(tref),
                            kind: JoinKind::Left,
                            on: Expr::and_all(on),
                            using: Vec::new(),
                        }
                    } else {
                        let mut on = Vec::new();
                        let mut k = 0;
                        while k < regular.len() {
                            let (_, refs, ok) = &regular[k];
                            if *ok && refs.contains(&i) && refs.iter().all(|r| joined.contains(r)) {
                                on.push(regular.remove(k).0);
                            } else {
                                k += 1;
                            }
                        }
                        if on.is_empty() {
                            TableRef::Join {
                                left: Box::new(left),
                                right: Box::new(tref),
                                kind: JoinKind::Cross,
                                on: None,
                                using: Vec::new(),
                            }
                        } else {
                            TableRef::Join {
                                left: Box::new(left),
                                right: Box::new(tref),
                                kind: JoinKind::Inner,
                                on: Expr::and_all(on),
                                using: Vec::new(),
                            }
                        }
                    }
                }
            });
        }
        s.from = tree.into_iter().collect();
        s.where_ = Expr::and_all(regular.into_iter().map(|r| r.0).collect());
        kinds.dedup();
        self.found.push(Finding::new(
            if self.tsql {
                &codes::TSQL_OUTER_JOIN
            } else {
                &codes::OUTER_JOIN_PLUS
            },
            w.span(),
            &[&kinds.join("/")],
        ));
        Ok(())
    }
}

impl VisitMut for Rewriter<'_> {
    fn select(&mut self, s: &mut Select) {
        if !s.where_.as_ref().is_some_and(has_marker) {
            return;
        }
        let span = s.where_.as_ref().map(|w| w.span()).unwrap_or(s.span);
        if let Err(why) = self.rewrite(s) {
            self.found.push(Finding::new(
                if self.tsql {
                    &codes::TSQL_OUTER_JOIN_COMPLEX
                } else {
                    &codes::OUTER_JOIN_COMPLEX
                },
                span,
                &[&why],
            ));
        }
    }
}
