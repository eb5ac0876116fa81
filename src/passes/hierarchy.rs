//! Oracle query idioms with no direct target syntax (Normalized phase):
//! - `ROWNUM <= n` in a WHERE becomes a row limit (QRY003); ROWNUM in a select list becomes
//!   `row_number() OVER ()`; any other use is QRY008;
//! - `START WITH ... CONNECT BY PRIOR ...` on one table becomes a recursive CTE (QRY002);
//!   other shapes are QRY007.

use super::Ctx;
use crate::diag::{Finding, Severity};
use crate::ir::visit::{VisitMut, walk_stmt};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

pub fn run(module: &mut Module, _ctx: &mut Ctx) {
    for o in &mut module.objects {
        let mut v = Idioms { found: Vec::new() };
        walk_stmt(&mut v, &mut o.stmt);
        let manual = v.found.iter().any(|f| f.severity >= Severity::Manual);
        o.findings.append(&mut v.found);
        if manual && matches!(o.stmt, Stmt::CreateView(_)) {
            o.commented_out = true;
        }
    }
}

struct Idioms {
    found: Vec<Finding>,
}

fn is_col(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Column(q) if q.parts.len() == 1 && !q.parts[0].quoted && q.parts[0].value == name)
}

fn int_lit(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n, _) => n.parse().ok(),
        _ => None,
    }
}

/// `ROWNUM <= n` and friends: the number of rows kept.
fn rownum_limit(e: &Expr) -> Option<i64> {
    let Expr::Binary {
        op, left, right, ..
    } = e
    else {
        return None;
    };
    let (op, n) = if is_col(left, "ROWNUM") {
        (*op, int_lit(right)?)
    } else if is_col(right, "ROWNUM") {
        let flipped = match op {
            BinOp::Lt => BinOp::Gt,
            BinOp::LtEq => BinOp::GtEq,
            BinOp::Gt => BinOp::Lt,
            BinOp::GtEq => BinOp::LtEq,
            o => *o,
        };
        (flipped, int_lit(left)?)
    } else {
        return None;
    };
    match op {
        BinOp::LtEq => Some(n.max(0)),
        BinOp::Lt => Some((n - 1).max(0)),
        BinOp::Eq if n == 1 => Some(1),
        _ => None,
    }
}

fn mentions(e: &Expr, name: &str) -> bool {
    struct F<'a>(&'a str, bool);
    impl VisitMut for F<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if is_col(e, self.0) {
                self.1 = true;
            }
        }
    }
    let mut f = F(name, false);
    let mut c = e.clone();
    crate::ir::visit::walk_expr(&mut f, &mut c);
    f.1
}

impl VisitMut for Idioms {
    fn query(&mut self, q: &mut Query) {
        // ROWNUM limits on the query's own SELECT.
        let SetExpr::Select(s) = &mut q.body else {
            return;
        };
        let Some(w) = s.where_.take() else { return };
        let mut parts = Vec::new();
        w.split_and(&mut parts);
        let mut limit = None;
        let mut keep = Vec::new();
        for p in parts {
            match rownum_limit(&p) {
                Some(n)
                    if limit.is_none()
                        && q.order_by.is_empty()
                        && s.group_by.is_empty()
                        && !s.distinct =>
                {
                    self.found.push(Finding::new(
                        &codes::ROWNUM,
                        p.span(),
                        &[&format!("<= {n} became LIMIT {n}")],
                    ));
                    limit = Some(Expr::Number(n.to_string(), p.span()));
                }
                _ => keep.push(p),
            }
        }
        s.where_ = Expr::and_all(keep);
        if limit.is_none() {
            return;
        }
        // The top-N idiom `SELECT .. FROM (SELECT .. ORDER BY ..) WHERE ROWNUM <= n`: the limit
        // goes next to the ORDER BY it depends on (an outer LIMIT does not promise the
        // subquery's order).
        if s.where_.is_none()
            && s.from.len() == 1
            && let TableRef::Subquery { query: inner, .. } = &mut s.from[0]
            && !inner.order_by.is_empty()
            && inner.limit.is_none()
        {
            inner.limit = limit;
            return;
        }
        if q.limit.is_none() {
            q.limit = limit;
        }
    }

    fn select(&mut self, s: &mut Select) {
        for it in &mut s.items {
            if let SelectItem::Expr { expr, alias } = it
                && is_col(expr, "ROWNUM")
            {
                let span = expr.span();
                self.found.push(Finding::new(
                    &codes::ROWNUM,
                    span,
                    &["in the select list became row_number() OVER ()"],
                ));
                *expr = Expr::Call(Box::new(Call {
                    name: QName::single(Ident::new("ROW_NUMBER", span)),
                    args: Vec::new(),
                    distinct: false,
                    over: Some(Window::default()),
                    within_group: Vec::new(),
                    span,
                }));
                if alias.is_none() {
                    *alias = Some(Ident::new("ROWNUM", span));
                }
            }
        }
        if s.where_.as_ref().is_some_and(|w| mentions(w, "ROWNUM")) {
            let span = s.where_.as_ref().map(|w| w.span()).unwrap_or(s.span);
            self.found.push(Finding::new(
                &codes::ROWNUM_UNSUPPORTED,
                span,
                &["a filter other than ROWNUM <= n on an unordered query"],
            ));
        }
        if s.connect_by.is_some() {
            if let Err(why) = connect_by(s) {
                let span = s.connect_by.as_ref().map(|c| c.span).unwrap_or(s.span);
                self.found
                    .push(Finding::new(&codes::CONNECT_BY_UNSUPPORTED, span, &[&why]));
            } else {
                self.found
                    .push(Finding::new(&codes::CONNECT_BY, s.span, &[]));
            }
        }
    }
}

const CTE: &str = "CONNECT_BY";

fn col(parts: &[&str], span: Span) -> Expr {
    Expr::Column(QName {
        parts: parts.iter().map(|p| Ident::new(*p, span)).collect(),
        dblink: None,
    })
}

/// Rewrites one-table hierarchical queries into a recursive CTE wrapped as a subquery:
/// `SELECT items FROM (WITH RECURSIVE connect_by AS (anchor UNION ALL step) SELECT * FROM
/// connect_by) alias WHERE w`.
fn connect_by(s: &mut Select) -> Result<(), String> {
    let cb = s.connect_by.take().ok_or("no CONNECT BY")?;
    let restore = |s: &mut Select, cb: ConnectBy, why: &str| -> Result<(), String> {
        s.connect_by = Some(cb);
        Err(why.to_string())
    };
    if s.from.len() != 1 {
        return restore(s, cb, "CONNECT BY over a join");
    }
    let TableRef::Table {
        name,
        alias,
        span: tspan,
    } = &s.from[0]
    else {
        return restore(s, cb, "CONNECT BY over a subquery");
    };
    let (name, alias, tspan) = (name.clone(), alias.clone(), *tspan);
    let key = alias
        .as_ref()
        .map(|a| a.value.clone())
        .unwrap_or_else(|| name.name().value.clone());
    for bad in [
        "CONNECT_BY_ROOT",
        "SYS_CONNECT_BY_PATH",
        "CONNECT_BY_ISLEAF",
        "CONNECT_BY_ISCYCLE",
    ] {
        let mut probe = Select {
            distinct: false,
            items: s.items.clone(),
            from: vec![],
            where_: s.where_.clone(),
            group_by: vec![],
            having: None,
            connect_by: None,
            span: s.span,
        };
        let mut found = false;
        struct F<'a>(&'a str, &'a mut bool);
        impl VisitMut for F<'_> {
            fn expr(&mut self, e: &mut Expr) {
                match e {
                    Expr::Call(c) if c.name.name().value == self.0 => *self.1 = true,
                    Expr::Column(q) if q.name().value == self.0 => *self.1 = true,
                    _ => {}
                }
            }
        }
        let mut sel = SetExpr::Select(Box::new(std::mem::replace(
            &mut probe,
            Select {
                distinct: false,
                items: vec![],
                from: vec![],
                where_: None,
                group_by: vec![],
                having: None,
                connect_by: None,
                span: s.span,
            },
        )));
        let mut q = Query {
            with: vec![],
            recursive: false,
            body: sel.clone(),
            order_by: vec![],
            limit: None,
            offset: None,
            for_update: None,
            span: s.span,
        };
        crate::ir::visit::walk_query(&mut F(bad, &mut found), &mut q);
        sel = q.body;
        let _ = sel;
        if found {
            return restore(
                s,
                cb,
                &format!("{bad} has no direct equivalent in a recursive CTE"),
            );
        }
    }
    if cb.nocycle {
        return restore(s, cb, "NOCYCLE needs a CYCLE clause");
    }
    let span = cb.span;
    // PRIOR x -> connect_by.x; other columns stay on the table alias.
    let mut cond = cb.condition.clone();
    struct Prior<'a> {
        key: &'a str,
        ok: bool,
    }
    impl VisitMut for Prior<'_> {
        fn expr(&mut self, e: &mut Expr) {
            // Unqualified columns are the table's (the CTE has the same column names).
            if let Expr::Column(q) = e
                && q.parts.len() == 1
                && !matches!(
                    q.parts[0].value.as_str(),
                    "LEVEL" | "SYSDATE" | "USER" | "NULL"
                )
            {
                let sp = q.parts[0].span;
                q.parts.insert(0, Ident::new(self.key, sp));
                return;
            }
            if let Expr::Unary {
                op: UnaryOp::Prior,
                expr,
                ..
            } = e
            {
                match expr.as_mut() {
                    Expr::Column(q) => {
                        let c = q.name().clone();
                        if q.parts.len() >= 2 && q.parts[q.parts.len() - 2].value != self.key {
                            self.ok = false;
                        }
                        *e = Expr::Column(QName {
                            parts: vec![Ident::new(CTE, c.span), c],
                            dblink: None,
                        });
                    }
                    _ => self.ok = false,
                }
            }
        }
    }
    let mut pv = Prior {
        key: &key,
        ok: true,
    };
    crate::ir::visit::walk_expr(&mut pv, &mut cond);
    if !pv.ok {
        return restore(
            s,
            cb,
            "PRIOR applies to something other than a column of the table",
        );
    }
    let table_ref = TableRef::Table {
        name: name.clone(),
        alias: Some(Ident::new(key.clone(), tspan)),
        span: tspan,
    };
    let star = SelectItem::Wildcard(Some(QName::single(Ident::new(key.clone(), tspan))));
    let anchor = Select {
        distinct: false,
        items: vec![
            star.clone(),
            SelectItem::Expr {
                expr: Expr::Number("1".into(), span),
                alias: Some(Ident::new("LEVEL", span)),
            },
        ],
        from: vec![table_ref.clone()],
        where_: cb.start_with.clone(),
        group_by: vec![],
        having: None,
        connect_by: None,
        span,
    };
    let step = Select {
        distinct: false,
        items: vec![
            star,
            SelectItem::Expr {
                expr: Expr::Binary {
                    op: BinOp::Add,
                    left: Box::new(col(&[CTE, "LEVEL"], span)),
                    right: Box::new(Expr::Number("1".into(), span)),
                    span,
                },
                alias: None,
            },
        ],
        from: vec![TableRef::Join {
            left: Box::new(table_ref),
            right: Box::new(TableRef::Table {
                name: QName::single(Ident::new(CTE, span)),
                alias: None,
                span,
            }),
            kind: JoinKind::Inner,
            on: Some(cond),
            using: vec![],
        }],
        where_: None,
        group_by: vec![],
        having: None,
        connect_by: None,
        span,
    };
    let body = SetExpr::SetOp {
        op: SetOp::Union,
        all: true,
        left: Box::new(SetExpr::Select(Box::new(anchor))),
        right: Box::new(SetExpr::Select(Box::new(step))),
    };
    let cte_query = Query {
        with: vec![],
        recursive: false,
        body,
        order_by: vec![],
        limit: None,
        offset: None,
        for_update: None,
        span,
    };
    let inner = Query {
        with: vec![Cte {
            name: Ident::new(CTE, span),
            columns: vec![],
            query: Box::new(cte_query),
        }],
        recursive: true,
        body: SetExpr::Select(Box::new(Select {
            distinct: false,
            items: vec![SelectItem::Wildcard(None)],
            from: vec![TableRef::Table {
                name: QName::single(Ident::new(CTE, span)),
                alias: None,
                span,
            }],
            where_: None,
            group_by: vec![],
            having: None,
            connect_by: None,
            span,
        })),
        order_by: vec![],
        limit: None,
        offset: None,
        for_update: None,
        span,
    };
    s.from = vec![TableRef::Subquery {
        query: Box::new(inner),
        alias: Some(Ident::new(key.clone(), tspan)),
        lateral: false,
        span: tspan,
    }];
    // LEVEL in the outer query is the CTE's column.
    struct Level<'a>(&'a str);
    impl VisitMut for Level<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if is_col(e, "LEVEL") {
                let sp = e.span();
                *e = col(&[self.0, "LEVEL"], sp);
            }
        }
    }
    let mut lv = Level(&key);
    for it in &mut s.items {
        if let SelectItem::Expr { expr, .. } = it {
            crate::ir::visit::walk_expr(&mut lv, expr);
        }
    }
    if let Some(w) = &mut s.where_ {
        crate::ir::visit::walk_expr(&mut lv, w);
    }
    Ok(())
}
