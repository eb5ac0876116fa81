//! The query parser shared by all dialects: SELECT with set operations, joins, CTEs, and the
//! DML statements INSERT / UPDATE / DELETE.
//!
//! Conventions:
//! - Set operators are left-associative with equal precedence, as Oracle evaluates them
//!   (`a UNION b INTERSECT c` is `(a UNION b) INTERSECT c`); printers for targets where
//!   INTERSECT binds tighter must parenthesise. `MINUS` is recorded as [`SetOp::Except`].
//! - Redundant parentheses around a whole query leave no node: `(SELECT ..)` parsed by
//!   [`Parser::query`] is the inner query; a parenthesised set operand is `SetExpr::Query`.
//! - `FOR UPDATE [OF ..] [NOWAIT | WAIT n | SKIP LOCKED]` is [`ForUpdate`]; Oracle's `OF`
//!   names columns, `passes::locking` turns them into the tables the targets expect.
//! - `TABLE(expr) alias` in FROM is `TableRef::Function` whose `call` is `Call TABLE [expr]`;
//!   `f(args) alias` (a table function written without TABLE, T-SQL style) is the call itself.
//! - A parenthesised join `(a JOIN b ON ..)` in FROM is the inner `TableRef::Join`.
//! - `FETCH FIRST ROW ONLY` without a count sets `limit` to the number `1` (span of `ROW`).
//! - `INSERT` / `UPDATE` column names may be qualified (`t.a`): the last part is kept.
//! - Not supported (a `ParseError` the caller turns into a finding): `INSERT ALL/FIRST`,
//!   `RETURNING .. INTO`, `LOG ERRORS`, `ORDER SIBLINGS BY`, `FETCH .. PERCENT`, `WITH TIES`,
//!   `NATURAL LEFT|RIGHT|FULL JOIN`, `UPDATE .. SET ROW =`. `WHERE CURRENT OF c` is
//!   [`Expr::CurrentOf`].

use super::expr::keywords;
use super::lexer::Tok;
use super::parser::{Dialect, PResult, Parser};
use crate::ir::{
    ConnectBy, Cte, Delete, Expr, ForUpdate, Ident, Insert, InsertSource, JoinKind, LockWait,
    Query, Select, SelectItem, SetExpr, SetOp, TableRef, Update,
};

/// The `INTO` clause of a PL/SQL or T-SQL `SELECT ... INTO targets FROM ...`, returned by
/// [`Parser::select_into_query`].
#[derive(Clone, Debug)]
pub struct SelectInto {
    /// `BULK COLLECT INTO`.
    pub bulk: bool,
    /// Variables, record fields, collection elements (or the new table, T-SQL).
    pub targets: Vec<Expr>,
}

/// Does a CTE's query read the CTE (a table reference with its name)?
fn cte_reads_itself(c: &Cte) -> bool {
    struct F<'a>(&'a str, bool);
    impl crate::ir::visit::VisitMut for F<'_> {
        fn enter_select(&mut self, s: &mut Select) {
            fn reads(t: &TableRef, n: &str) -> bool {
                match t {
                    TableRef::Table { name, .. } => {
                        name.parts.len() == 1 && name.name().value.eq_ignore_ascii_case(n)
                    }
                    TableRef::Join { left, right, .. } => reads(left, n) || reads(right, n),
                    _ => false,
                }
            }
            if s.from.iter().any(|t| reads(t, self.0)) {
                self.1 = true;
            }
        }
    }
    let mut f = F(&c.name.value, false);
    let mut q = (*c.query).clone();
    crate::ir::visit::walk_query(&mut f, &mut q);
    f.1
}

/// The first operand of a set operation with its own row limit (T-SQL `TOP`).
fn wrap_first(e: &mut SetExpr, n: Expr, span: crate::source::Span) {
    match e {
        SetExpr::SetOp { left, .. } => wrap_first(left, n, span),
        other => {
            let body = std::mem::replace(other, SetExpr::Values(Vec::new()));
            *other = SetExpr::Query(Box::new(Query {
                for_update: None,
                with: Vec::new(),
                recursive: false,
                body,
                order_by: Vec::new(),
                limit: Some(n),
                offset: None,
                span,
            }));
        }
    }
}

impl<'a> Parser<'a> {
    /// A query expression starting at `SELECT`, `WITH`, `VALUES` or `(`. Stops at the first
    /// token it cannot use.
    pub fn query(&mut self) -> PResult<Query> {
        self.query_impl(None)
    }

    /// A query whose first SELECT may have an `INTO` (or `BULK COLLECT INTO`) clause after
    /// its select list, as in PL/SQL `SELECT a INTO v FROM t`.
    pub fn select_into_query(&mut self) -> PResult<(Query, Option<SelectInto>)> {
        let mut into = None;
        let q = self.query_impl(Some(&mut into))?;
        Ok((q, into))
    }

    fn query_impl(&mut self, into: Option<&mut Option<SelectInto>>) -> PResult<Query> {
        // A query level costs two units of the nesting budget (large frames).
        self.nested(|p| p.nested(|p| p.query_inner(into)))
    }

    fn query_inner(&mut self, into: Option<&mut Option<SelectInto>>) -> PResult<Query> {
        {
            let p = self;
            let start = p.offset();
            let mut with = Vec::new();
            let mut recursive = false;
            if p.eat_kw("WITH") {
                recursive = p.eat_kw("RECURSIVE");
                loop {
                    with.push(p.cte()?);
                    if !p.eat(Tok::Comma) {
                        break;
                    }
                }
            }
            // T-SQL has no RECURSIVE: a CTE that reads itself is recursive.
            if p.dialect != Dialect::Oracle && !recursive {
                recursive = with.iter().any(cte_reads_itself);
            }
            let (left, top) = p.set_operand_top(into)?;
            let mut q = p.query_finish(start, with, recursive, left)?;
            // T-SQL `SELECT TOP n ... [ORDER BY]` alone: the query's row limit.
            if let Some(n) = top {
                if q.limit.is_some() || q.offset.is_some() {
                    return Err(p.error("TOP with OFFSET / FETCH"));
                }
                match q.body {
                    SetExpr::Select(_) => q.limit = Some(n),
                    // The first operand of a set operation: TOP applies to it alone.
                    _ => wrap_first(&mut q.body, n, q.span),
                }
            }
            // `(SELECT ...)` as a whole query: drop the parentheses.
            while q.with.is_empty()
                && q.order_by.is_empty()
                && q.limit.is_none()
                && q.offset.is_none()
                && matches!(q.body, SetExpr::Query(_))
            {
                match q.body {
                    SetExpr::Query(inner) => q = *inner,
                    _ => unreachable!("checked above"),
                }
            }
            Ok(q)
        }
    }

    /// Continues a query whose first set operand, a parenthesised query, is already parsed
    /// (used by the expression parser for `((SELECT ..) UNION (SELECT ..))`).
    pub(crate) fn query_continue(&mut self, start: u32, first: Query) -> PResult<Query> {
        self.nested(|p| p.query_finish(start, Vec::new(), false, SetExpr::Query(Box::new(first))))
    }

    /// Is the cursor at something that continues a query after a set operand?
    pub(crate) fn at_query_continuation(&self) -> bool {
        self.at_kw("UNION")
            || self.at_kw("INTERSECT")
            || self.at_kw("MINUS")
            || self.at_kw("EXCEPT")
            || self.at_kws(&["ORDER", "BY"])
            || self.at_kw("OFFSET")
            || self.at_kw("FETCH")
    }

    fn cte(&mut self) -> PResult<Cte> {
        let name = self.ident()?;
        let columns = if self.at(Tok::LParen) {
            self.paren_ident_list()?
        } else {
            Vec::new()
        };
        self.expect_kw("AS")?;
        self.expect(Tok::LParen, "`(`")?;
        let query = self.query()?;
        self.expect(Tok::RParen, "`)`")?;
        if self.at_kw("SEARCH") || self.at_kw("CYCLE") {
            return Err(self.error("SEARCH / CYCLE clauses of recursive WITH are not supported"));
        }
        Ok(Cte {
            name,
            columns,
            query: Box::new(query),
        })
    }

    /// Set operations after the first operand, then ORDER BY, OFFSET, FETCH, FOR UPDATE.
    fn query_finish(
        &mut self,
        start: u32,
        with: Vec<Cte>,
        recursive: bool,
        first: SetExpr,
    ) -> PResult<Query> {
        let mut body = first;
        loop {
            let op = if self.at_kw("UNION") {
                SetOp::Union
            } else if self.at_kw("INTERSECT") {
                SetOp::Intersect
            } else if self.at_kw("MINUS") || self.at_kw("EXCEPT") {
                SetOp::Except
            } else {
                break;
            };
            self.bump();
            let all = if self.eat_kw("ALL") {
                true
            } else {
                self.eat_kw("DISTINCT");
                false
            };
            let (mut right, top) = self.set_operand_top(None)?;
            if let Some(n) = top {
                let span = self.span_from(start);
                right = SetExpr::Query(Box::new(Query {
                    for_update: None,
                    with: Vec::new(),
                    recursive: false,
                    body: right,
                    order_by: Vec::new(),
                    limit: Some(n),
                    offset: None,
                    span,
                }));
            }
            body = SetExpr::SetOp {
                op,
                all,
                left: Box::new(body),
                right: Box::new(right),
            };
        }
        let mut order_by = Vec::new();
        if self.at_kws(&["ORDER", "SIBLINGS"]) {
            return Err(self.error("ORDER SIBLINGS BY is not supported"));
        }
        if self.eat_kws(&["ORDER", "BY"]) {
            order_by = self.order_items()?;
        }
        let mut offset = None;
        let mut limit = None;
        if self.eat_kw("OFFSET") {
            offset = Some(self.expr()?);
            if !self.eat_kw("ROWS") {
                self.eat_kw("ROW");
            }
        }
        // T-SQL: FETCH only after OFFSET (a FETCH statement may follow a query without `;`).
        if (self.dialect == Dialect::Oracle || offset.is_some()) && self.eat_kw("FETCH") {
            if !self.eat_kw("FIRST") && !self.eat_kw("NEXT") {
                return Err(self.error("expected FIRST or NEXT"));
            }
            let n = if self.at_kw("ROW") || self.at_kw("ROWS") {
                Expr::Number("1".into(), self.span())
            } else {
                self.expr()?
            };
            if self.at_kw("PERCENT") {
                return Err(self.error("FETCH ... PERCENT is not supported"));
            }
            if !self.eat_kw("ROWS") && !self.eat_kw("ROW") {
                return Err(self.error("expected ROWS"));
            }
            if self.at_kws(&["WITH", "TIES"]) {
                return Err(self.error("FETCH ... WITH TIES is not supported"));
            }
            self.expect_kw("ONLY")?;
            limit = Some(n);
        }
        let lock_start = self.offset();
        let for_update = if self.eat_kws(&["FOR", "UPDATE"]) {
            let mut of = Vec::new();
            if self.eat_kw("OF") {
                of.push(self.qname()?);
                while self.eat(Tok::Comma) {
                    of.push(self.qname()?);
                }
            }
            let wait = if self.eat_kw("WAIT") {
                LockWait::Seconds(self.integer()?.max(0) as u64)
            } else if self.eat_kw("NOWAIT") {
                LockWait::NoWait
            } else if self.eat_kws(&["SKIP", "LOCKED"]) {
                LockWait::SkipLocked
            } else {
                LockWait::Wait
            };
            Some(ForUpdate {
                of,
                wait,
                span: self.span_from(lock_start),
            })
        } else {
            None
        };
        Ok(Query {
            with,
            recursive,
            body,
            order_by,
            limit,
            offset,
            for_update,
            span: self.span_from(start),
        })
    }

    /// A set operand and, for a T-SQL `SELECT TOP n`, its row limit.
    fn set_operand_top(
        &mut self,
        into: Option<&mut Option<SelectInto>>,
    ) -> PResult<(SetExpr, Option<Expr>)> {
        if self.at_kw("SELECT")
            && self.dialect != Dialect::Oracle
            && (self.nth_kw(1, "TOP")
                || (self.nth_kw(1, "DISTINCT") || self.nth_kw(1, "ALL")) && self.nth_kw(2, "TOP"))
        {
            self.top_pending = true;
            let s = self.select(into);
            let top = self.top.take();
            self.top_pending = false;
            return Ok((SetExpr::Select(Box::new(s?)), top));
        }
        Ok((self.set_operand(into)?, None))
    }

    fn set_operand(&mut self, into: Option<&mut Option<SelectInto>>) -> PResult<SetExpr> {
        if self.at_kw("SELECT") {
            Ok(SetExpr::Select(Box::new(self.select(into)?)))
        } else if self.at(Tok::LParen) {
            self.bump();
            let q = self.query()?;
            self.expect(Tok::RParen, "`)`")?;
            Ok(SetExpr::Query(Box::new(q)))
        } else if self.eat_kw("VALUES") {
            Ok(SetExpr::Values(self.values_rows()?))
        } else {
            Err(self.error("expected SELECT"))
        }
    }

    /// `(e, ...) [, (e, ...)]*` after `VALUES`.
    fn values_rows(&mut self) -> PResult<Vec<Vec<Expr>>> {
        let mut rows = Vec::new();
        loop {
            self.expect(Tok::LParen, "`(`")?;
            rows.push(self.expr_list()?);
            self.expect(Tok::RParen, "`)`")?;
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        Ok(rows)
    }

    fn select(&mut self, into: Option<&mut Option<SelectInto>>) -> PResult<Select> {
        let start = self.offset();
        self.expect_kw("SELECT")?;
        let distinct = if self.eat_kw("DISTINCT") || self.eat_kw("UNIQUE") {
            true
        } else {
            self.eat_kw("ALL");
            false
        };
        // T-SQL `TOP (n)` / `TOP n` (handed to the query by `set_operand_top`).
        if self.dialect != Dialect::Oracle && self.at_kw("TOP") {
            if !self.top_pending {
                return Err(self.error("TOP here is not supported"));
            }
            self.bump();
            let n = if self.eat(Tok::LParen) {
                let e = self.expr()?;
                self.expect(Tok::RParen, "`)`")?;
                e
            } else {
                let t = self.expect(Tok::Number, "a number")?;
                Expr::Number(
                    self.text[t.start as usize..t.end as usize].to_string(),
                    self.tok_span(t),
                )
            };
            if self.at_kw("PERCENT") {
                return Err(self.error("TOP ... PERCENT is not supported"));
            }
            if self.at_kws(&["WITH", "TIES"]) {
                return Err(self.error("TOP ... WITH TIES is not supported"));
            }
            self.top = Some(n);
            self.top_pending = false;
        }
        let mut items = Vec::new();
        loop {
            items.push(self.select_item()?);
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        if let Some(slot) = into {
            let bulk = self.eat_kws(&["BULK", "COLLECT"]);
            if bulk || self.at_kw("INTO") {
                self.expect_kw("INTO")?;
                let targets = self.expr_list()?;
                *slot = Some(SelectInto { bulk, targets });
            }
        }
        let mut from = Vec::new();
        if self.eat_kw("FROM") {
            loop {
                from.push(self.table_ref()?);
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
        }
        let where_ = if self.eat_kw("WHERE") {
            Some(self.expr()?)
        } else {
            None
        };
        let connect_by = self.hierarchical()?;
        let mut group_by = Vec::new();
        let mut having = None;
        // Oracle accepts HAVING before GROUP BY.
        for _ in 0..2 {
            if group_by.is_empty() && self.eat_kws(&["GROUP", "BY"]) {
                group_by = self.expr_list()?;
                // T-SQL `GROUP BY a, b WITH ROLLUP | CUBE` is `GROUP BY ROLLUP (a, b)`.
                if self.dialect != Dialect::Oracle
                    && (self.at_kws(&["WITH", "ROLLUP"]) || self.at_kws(&["WITH", "CUBE"]))
                {
                    self.bump();
                    let kw = self.peek_text().to_ascii_uppercase();
                    let span = self.span();
                    self.bump();
                    group_by = vec![Expr::Call(Box::new(crate::ir::Call {
                        name: crate::ir::QName::single(Ident::new(kw, span)),
                        args: group_by
                            .into_iter()
                            .map(|value| crate::ir::Arg { name: None, value })
                            .collect(),
                        distinct: false,
                        over: None,
                        within_group: Vec::new(),
                        span,
                    }))];
                }
            } else if having.is_none() && self.eat_kw("HAVING") {
                having = Some(self.expr()?);
            }
        }
        Ok(Select {
            distinct,
            items,
            from,
            where_,
            group_by,
            having,
            connect_by,
            span: self.span_from(start),
        })
    }

    /// `START WITH .. CONNECT BY [NOCYCLE] ..`, in either order.
    fn hierarchical(&mut self) -> PResult<Option<ConnectBy>> {
        let start = self.offset();
        let mut start_with = None;
        let mut condition = None;
        let mut nocycle = false;
        for _ in 0..2 {
            if start_with.is_none() && self.eat_kws(&["START", "WITH"]) {
                start_with = Some(self.expr()?);
            } else if condition.is_none() && self.eat_kws(&["CONNECT", "BY"]) {
                nocycle = self.eat_kw("NOCYCLE");
                condition = Some(self.expr()?);
            }
        }
        match condition {
            Some(condition) => Ok(Some(ConnectBy {
                start_with,
                condition,
                nocycle,
                span: self.span_from(start),
            })),
            None if start_with.is_some() => Err(self.error("expected CONNECT BY after START WITH")),
            None => Ok(None),
        }
    }

    fn select_item(&mut self) -> PResult<SelectItem> {
        if self.eat(Tok::Star) {
            return Ok(SelectItem::Wildcard(None));
        }
        // `a.b.*`
        let mut i = 0;
        while matches!(
            self.nth_kind(i),
            Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent)
        ) && self.nth_kind(i + 1) == Some(Tok::Dot)
        {
            i += 2;
        }
        if i > 0 && self.nth_kind(i) == Some(Tok::Star) {
            let mut parts = Vec::with_capacity(i / 2);
            while !self.at(Tok::Star) {
                parts.push(self.ident()?);
                self.expect(Tok::Dot, "`.`")?;
            }
            self.bump();
            return Ok(SelectItem::Wildcard(Some(crate::ir::QName {
                parts,
                dblink: None,
            })));
        }
        // T-SQL `alias = expr` (`'alias' = expr`): a select item is never a comparison there.
        if self.dialect != Dialect::Oracle
            && matches!(
                self.peek_kind(),
                Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent | Tok::String)
            )
            && self.nth_kind(1) == Some(Tok::Eq)
            && !(self.peek_kind() == Some(Tok::Word)
                && keywords::ends_alias(self.dialect, self.peek_text()))
        {
            let alias = self.alias_name()?;
            self.bump();
            let expr = self.expr()?;
            return Ok(SelectItem::Expr {
                expr,
                alias: Some(alias),
            });
        }
        let expr = self.expr()?;
        let alias = self.opt_alias()?;
        Ok(SelectItem::Expr { expr, alias })
    }

    /// A name, or (T-SQL) a string used as a column alias (`AS 'Total'`).
    fn alias_name(&mut self) -> PResult<Ident> {
        if self.dialect != Dialect::Oracle && self.at(Tok::String) {
            let t = self.bump().expect("checked");
            let raw = &self.text[t.start as usize..t.end as usize];
            return Ok(Ident::new(
                super::lexer::string_value(Tok::String, raw),
                self.tok_span(t),
            ));
        }
        self.ident()
    }

    /// `[AS] alias`: a quoted name, or an unquoted one that does not start a clause.
    fn opt_alias(&mut self) -> PResult<Option<Ident>> {
        if self.eat_kw("AS") {
            return Ok(Some(self.alias_name()?));
        }
        match self.peek_kind() {
            Some(Tok::QuotedIdent | Tok::BracketIdent) => Ok(Some(self.ident()?)),
            Some(Tok::Word) if !keywords::ends_alias(self.dialect, self.peek_text()) => {
                Ok(Some(self.ident()?))
            }
            _ => Ok(None),
        }
    }

    /// A table reference with its joins.
    fn table_ref(&mut self) -> PResult<TableRef> {
        let mut left = self.table_factor()?;
        loop {
            let kind = if self.eat_kw("JOIN") || self.eat_kws(&["INNER", "JOIN"]) {
                JoinKind::Inner
            } else if self.eat_kws(&["LEFT", "JOIN"]) || self.eat_kws(&["LEFT", "OUTER", "JOIN"]) {
                JoinKind::Left
            } else if self.eat_kws(&["RIGHT", "JOIN"]) || self.eat_kws(&["RIGHT", "OUTER", "JOIN"])
            {
                JoinKind::Right
            } else if self.eat_kws(&["FULL", "JOIN"]) || self.eat_kws(&["FULL", "OUTER", "JOIN"]) {
                JoinKind::Full
            } else if self.eat_kws(&["CROSS", "JOIN"]) {
                JoinKind::Cross
            } else if self.eat_kws(&["NATURAL", "JOIN"])
                || self.eat_kws(&["NATURAL", "INNER", "JOIN"])
            {
                JoinKind::Natural
            } else if self.at_kw("NATURAL") {
                return Err(self.error("NATURAL outer joins are not supported"));
            } else if self.at_kws(&["CROSS", "APPLY"]) || self.at_kws(&["OUTER", "APPLY"]) {
                // `CROSS APPLY x` = `CROSS JOIN LATERAL x`, `OUTER APPLY x` = `LEFT JOIN
                // LATERAL x ON TRUE` (T-SQL, Oracle 12c). Table functions see the items before
                // them without LATERAL.
                let outer = self.at_kw("OUTER");
                let span = self.span();
                self.bump();
                self.bump();
                let mut right = self.table_factor()?;
                if let TableRef::Subquery { lateral, .. } = &mut right {
                    *lateral = true;
                }
                left = TableRef::Join {
                    left: Box::new(left),
                    right: Box::new(right),
                    kind: if outer {
                        JoinKind::Left
                    } else {
                        JoinKind::Cross
                    },
                    on: outer.then_some(Expr::Bool(true, span)),
                    using: Vec::new(),
                };
                continue;
            } else {
                break;
            };
            let right = self.table_factor()?;
            let mut on = None;
            let mut using = Vec::new();
            if !matches!(kind, JoinKind::Cross | JoinKind::Natural) {
                if self.eat_kw("ON") {
                    on = Some(self.expr()?);
                } else if self.eat_kw("USING") {
                    using = self.paren_ident_list()?;
                } else if self.at_kw("PARTITION") {
                    return Err(self.error("partitioned outer joins are not supported"));
                } else {
                    return Err(self.error("expected ON or USING"));
                }
            }
            left = TableRef::Join {
                left: Box::new(left),
                right: Box::new(right),
                kind,
                on,
                using,
            };
        }
        Ok(left)
    }

    fn table_factor(&mut self) -> PResult<TableRef> {
        self.nested(|p| p.nested(|p| p.table_factor_inner()))
    }

    fn table_factor_inner(&mut self) -> PResult<TableRef> {
        let start = self.offset();
        if self.at(Tok::LParen) {
            let mut i = 1;
            while self.nth_kind(i) == Some(Tok::LParen) {
                i += 1;
            }
            if self.nth_kw(i, "SELECT") || self.nth_kw(i, "WITH") {
                let query = self.query()?;
                let alias = self.opt_alias()?;
                return Ok(TableRef::Subquery {
                    query: Box::new(query),
                    alias,
                    lateral: false,
                    span: self.span_from(start),
                });
            }
            self.bump();
            let t = self.table_ref()?;
            self.expect(Tok::RParen, "`)`")?;
            return Ok(t);
        }
        if self.at_kw("LATERAL") && self.nth_kind(1) == Some(Tok::LParen) {
            self.bump();
            self.expect(Tok::LParen, "`(`")?;
            let query = self.query()?;
            self.expect(Tok::RParen, "`)`")?;
            let alias = self.opt_alias()?;
            return Ok(TableRef::Subquery {
                query: Box::new(query),
                alias,
                lateral: true,
                span: self.span_from(start),
            });
        }
        if self.at_kw("TABLE") && self.nth_kind(1) == Some(Tok::LParen) {
            let name = self.ident()?;
            self.expect(Tok::LParen, "`(`")?;
            let arg = if self.at_query_start() {
                Expr::Subquery(Box::new(self.query()?))
            } else {
                self.expr()?
            };
            self.expect(Tok::RParen, "`)`")?;
            let call = Expr::Call(Box::new(crate::ir::Call {
                name: crate::ir::QName::single(name),
                args: vec![crate::ir::Arg {
                    name: None,
                    value: arg,
                }],
                distinct: false,
                over: None,
                within_group: Vec::new(),
                span: self.span_from(start),
            }));
            let alias = self.opt_alias()?;
            return Ok(TableRef::Function {
                call,
                alias,
                span: self.span_from(start),
            });
        }
        if !self.at_ident() {
            return Err(self.error("expected a table name"));
        }
        if self.peek_kind() == Some(Tok::Word)
            && keywords::is_reserved(self.dialect, self.peek_text())
        {
            return Err(self.error("expected a table name"));
        }
        let name = self.qname()?;
        if self.at(Tok::LParen) {
            // A table function written without TABLE(...).
            let call = self.call_rest(start, name)?;
            let alias = self.opt_alias()?;
            return Ok(TableRef::Function {
                call,
                alias,
                span: self.span_from(start),
            });
        }
        if self.at_kw("PARTITION") || self.at_kw("SUBPARTITION") || self.at_kw("SAMPLE") {
            return Err(self.error("PARTITION / SAMPLE clauses in FROM are not supported"));
        }
        let alias = self.opt_alias()?;
        Ok(TableRef::Table {
            name,
            alias,
            span: self.span_from(start),
        })
    }

    // ----- DML -----

    /// Cursor at `INSERT`.
    pub fn insert_stmt(&mut self) -> PResult<Insert> {
        self.expect_kw("INSERT")?;
        if self.at_kw("ALL") || self.at_kw("FIRST") {
            return Err(self.error("INSERT ALL is not supported"));
        }
        // T-SQL makes INTO optional.
        if !self.eat_kw("INTO") && self.dialect == Dialect::Oracle {
            return Err(self.error("expected INTO"));
        }
        let table = self.dml_table()?;
        let alias = self.opt_alias()?;
        let mut columns = Vec::new();
        if self.at(Tok::LParen)
            && !(self.nth_kw(1, "SELECT") || self.nth_kw(1, "WITH"))
            && self.nth_kind(1) != Some(Tok::LParen)
        {
            self.bump();
            loop {
                columns.push(self.column_name()?);
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
            self.expect(Tok::RParen, "`)`")?;
        }
        let source = if self.dialect == Dialect::Oracle
            && self.at_kw("VALUES")
            && self.nth_kind(1) != Some(Tok::LParen)
        {
            // PL/SQL: `VALUES record`.
            self.bump();
            InsertSource::Record(self.expr()?)
        } else if self.eat_kw("VALUES") {
            InsertSource::Values(self.values_rows()?)
        } else if self.eat_kws(&["DEFAULT", "VALUES"]) {
            InsertSource::DefaultValues
        } else {
            InsertSource::Query(Box::new(self.query()?))
        };
        self.dml_tail()?;
        Ok(Insert {
            table,
            alias,
            columns,
            source,
        })
    }

    /// Cursor at `UPDATE`.
    pub fn update_stmt(&mut self) -> PResult<Update> {
        self.expect_kw("UPDATE")?;
        let table = self.dml_table()?;
        let alias = self.opt_alias()?;
        self.expect_kw("SET")?;
        if self.at_kw("ROW") && self.nth_kind(1) == Some(Tok::Eq) {
            return Err(self.error("UPDATE ... SET ROW is not supported"));
        }
        let set = self.set_list()?;
        let where_ = self.dml_where()?;
        self.dml_tail()?;
        Ok(Update {
            table,
            alias,
            set,
            from: Vec::new(),
            where_,
        })
    }

    /// `a = e, (b, c) = (subquery), ...` of an UPDATE or MERGE.
    fn set_list(&mut self) -> PResult<Vec<(Vec<Ident>, Expr)>> {
        let mut set = Vec::new();
        loop {
            let cols = if self.eat(Tok::LParen) {
                let mut v = Vec::new();
                loop {
                    v.push(self.column_name()?);
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                self.expect(Tok::RParen, "`)`")?;
                v
            } else {
                vec![self.column_name()?]
            };
            self.expect(Tok::Eq, "`=`")?;
            let value = self.expr()?;
            set.push((cols, value));
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        Ok(set)
    }

    /// Cursor at `DELETE`.
    pub fn delete_stmt(&mut self) -> PResult<Delete> {
        self.expect_kw("DELETE")?;
        self.eat_kw("FROM");
        let table = self.dml_table()?;
        let alias = self.opt_alias()?;
        let where_ = self.dml_where()?;
        self.dml_tail()?;
        Ok(Delete {
            table,
            alias,
            using: Vec::new(),
            where_,
        })
    }

    /// Cursor at `MERGE`. Oracle: `MERGE INTO t a USING src s ON (c) WHEN MATCHED THEN UPDATE
    /// SET ... [WHERE c] [DELETE WHERE c] WHEN NOT MATCHED THEN INSERT (..) VALUES (..) [WHERE
    /// c]`; T-SQL: `MERGE [INTO] t [WITH (hints)] [AS] a USING ... WHEN [NOT] MATCHED [BY
    /// TARGET | BY SOURCE] [AND c] THEN ...`.
    pub fn merge_stmt(&mut self) -> PResult<crate::ir::Merge> {
        use crate::ir::{Merge, MergeAction, MergeClause, MergeMatch};
        let start = self.offset();
        self.expect_kw("MERGE")?;
        if self.at_kw("TOP") {
            return Err(self.error("MERGE TOP (n) is not supported"));
        }
        if !self.eat_kw("INTO") && self.dialect == Dialect::Oracle {
            return Err(self.error("expected INTO"));
        }
        let table = self.dml_table()?;
        if self.dialect != Dialect::Oracle
            && self.at_kw("WITH")
            && self.nth_kind(1) == Some(Tok::LParen)
        {
            // Table hints (HOLDLOCK, ...): locking, not meaning.
            self.bump();
            if !self.skip_parens() {
                return Err(self.error("expected `)`"));
            }
        }
        let alias = if self.at_kw("USING") {
            None
        } else {
            self.eat_kw("AS");
            Some(self.ident()?)
        };
        self.expect_kw("USING")?;
        let source = self.table_factor()?;
        self.expect_kw("ON")?;
        let on = self.expr()?;
        let mut clauses = Vec::new();
        while self.at_kw("WHEN") {
            let cstart = self.offset();
            self.bump();
            let when = if self.eat_kw("MATCHED") {
                MergeMatch::Matched
            } else {
                self.expect_kw("NOT")?;
                self.expect_kw("MATCHED")?;
                if self.eat_kws(&["BY", "SOURCE"]) {
                    MergeMatch::NotMatchedBySource
                } else {
                    self.eat_kws(&["BY", "TARGET"]);
                    MergeMatch::NotMatched
                }
            };
            let mut cond = if self.eat_kw("AND") {
                Some(self.expr()?)
            } else {
                None
            };
            self.expect_kw("THEN")?;
            let mut delete_where = None;
            let action = if self.eat_kw("UPDATE") {
                self.expect_kw("SET")?;
                let set = self.set_list()?;
                if self.dialect == Dialect::Oracle {
                    if self.eat_kw("WHERE") {
                        cond = Some(self.expr()?);
                    }
                    if self.eat_kws(&["DELETE", "WHERE"]) {
                        delete_where = Some(self.expr()?);
                    }
                }
                MergeAction::Update(set)
            } else if self.eat_kw("DELETE") {
                MergeAction::Delete
            } else {
                self.expect_kw("INSERT")?;
                let mut columns = Vec::new();
                if self.eat(Tok::LParen) {
                    loop {
                        columns.push(self.column_name()?);
                        if !self.eat(Tok::Comma) {
                            break;
                        }
                    }
                    self.expect(Tok::RParen, "`)`")?;
                }
                let values = if self.eat_kws(&["DEFAULT", "VALUES"]) {
                    None
                } else {
                    self.expect_kw("VALUES")?;
                    self.expect(Tok::LParen, "`(`")?;
                    let mut v = vec![self.expr()?];
                    while self.eat(Tok::Comma) {
                        v.push(self.expr()?);
                    }
                    self.expect(Tok::RParen, "`)`")?;
                    Some(v)
                };
                if self.dialect == Dialect::Oracle && self.eat_kw("WHERE") {
                    cond = Some(self.expr()?);
                }
                MergeAction::Insert { columns, values }
            };
            clauses.push(MergeClause {
                when,
                cond,
                action,
                delete_where,
                span: self.span_from(cstart),
            });
        }
        if clauses.is_empty() {
            return Err(self.error("expected WHEN MATCHED or WHEN NOT MATCHED"));
        }
        if self.at_kw("OUTPUT") {
            return Err(self.error("OUTPUT clauses are not supported"));
        }
        self.dml_tail()?;
        Ok(Merge {
            table,
            alias,
            source,
            on,
            clauses,
            replaced_by: Vec::new(),
            span: self.span_from(start),
        })
    }

    fn dml_table(&mut self) -> PResult<crate::ir::QName> {
        if self.at(Tok::LParen) || self.at_kw("TABLE") && self.nth_kind(1) == Some(Tok::LParen) {
            return Err(self.error("DML on a subquery or collection is not supported"));
        }
        if self.at_kw("ONLY") && self.nth_kind(1) == Some(Tok::LParen) {
            return Err(self.error("ONLY (...) is not supported"));
        }
        self.qname()
    }

    /// A column name in an INSERT list or SET clause; `t.a` keeps `a`.
    fn column_name(&mut self) -> PResult<Ident> {
        let mut id = self.ident()?;
        while self.at(Tok::Dot)
            && matches!(
                self.nth_kind(1),
                Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent)
            )
        {
            self.bump();
            id = self.ident()?;
        }
        Ok(id)
    }

    /// A FROM list: table references separated by commas.
    pub(crate) fn table_list(&mut self) -> PResult<Vec<TableRef>> {
        let mut from = Vec::new();
        loop {
            from.push(self.table_ref()?);
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        Ok(from)
    }

    pub(crate) fn dml_where(&mut self) -> PResult<Option<Expr>> {
        if !self.eat_kw("WHERE") {
            return Ok(None);
        }
        if self.at_kws(&["CURRENT", "OF"]) {
            self.bump();
            self.bump();
            return Ok(Some(Expr::CurrentOf(self.ident()?)));
        }
        Ok(Some(self.expr()?))
    }

    fn dml_tail(&mut self) -> PResult<()> {
        // (T-SQL: a RETURN statement may follow without `;`.)
        if self.at_kw("RETURNING") || self.dialect == Dialect::Oracle && self.at_kw("RETURN") {
            return Err(self.error("RETURNING ... INTO is not supported"));
        }
        if self.at_kws(&["LOG", "ERRORS"]) {
            return Err(self.error("LOG ERRORS is not supported"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::frontend::expr::sx;
    use crate::frontend::lexer::tokenize;
    use crate::frontend::parser::{Dialect, Parser};
    use crate::ir::{InsertSource, Query, SetExpr, TableRef};
    use crate::source::FileId;

    fn parse(s: &str) -> Query {
        let mut p = Parser::new(s, FileId(0), 0, Dialect::Oracle);
        let q = p.query().unwrap_or_else(|e| panic!("{s}: {e:?}"));
        assert!(p.at_end(), "left over in {s}: {}", p.peek_text());
        q
    }

    fn q(s: &str) -> String {
        sx::query(&parse(s))
    }

    fn err(s: &str) -> String {
        let mut p = Parser::new(s, FileId(0), 0, Dialect::Oracle);
        match p.query() {
            Ok(x) if p.at_end() => panic!("{s} parsed as {}", sx::query(&x)),
            Ok(_) => "left over".into(),
            Err(e) => e.message,
        }
    }

    #[test]
    fn hr_view() {
        assert_eq!(
            q(
                "SELECT e.employee_id, e.job_id, d.location_id FROM employees e, departments d, \
               jobs j WHERE e.department_id = d.department_id AND j.job_id = e.job_id"
            ),
            "(select (E.EMPLOYEE_ID E.JOB_ID D.LOCATION_ID) (from EMPLOYEES E DEPARTMENTS D \
             JOBS J) (where (and (= E.DEPARTMENT_ID D.DEPARTMENT_ID) (= J.JOB_ID E.JOB_ID))))"
        );
    }

    #[test]
    fn select_items_and_aliases() {
        assert_eq!(q("select * from t"), "(select (*) (from T))");
        assert_eq!(
            q("select t.*, s.t.* from t"),
            "(select (T.* S.T.*) (from T))"
        );
        assert_eq!(
            q("select a b, c as d, e \"Quoted Alias\", f as \"x\" from t"),
            "(select ((as A B) (as C D) (as E Quoted Alias) (as F x)) (from T))"
        );
        assert_eq!(
            q("select distinct a from t"),
            "(select distinct (A) (from T))"
        );
        assert_eq!(
            q("select unique a from t"),
            "(select distinct (A) (from T))"
        );
        assert_eq!(q("select all a from t"), "(select (A) (from T))");
        assert_eq!(
            q("select sysdate from dual"),
            "(select (SYSDATE) (from DUAL))"
        );
        assert_eq!(
            q("select seq.nextval into_x from dual"),
            "(select ((as SEQ.NEXTVAL INTO_X)) (from DUAL))"
        );
        assert_eq!(q("select 1 from dual"), "(select (1) (from DUAL))");
    }

    #[test]
    fn joins() {
        assert_eq!(
            q("select * from a join b on a.id = b.id left join c using (id)"),
            "(select (*) (from (left (inner A B (on (= A.ID B.ID))) C (using ID))))"
        );
        assert_eq!(
            q(
                "select * from a inner join b on 1 = 1 right outer join c on 2 = 2 \
               full outer join d on 3 = 3 cross join e natural join f"
            ),
            "(select (*) (from (natural (cross (full (right (inner A B (on (= 1 1))) C \
             (on (= 2 2))) D (on (= 3 3))) E) F)))"
        );
        assert_eq!(
            q("select * from a x left outer join b y on x.i = y.i, c"),
            "(select (*) (from (left A X B Y (on (= X.I Y.I))) C))"
        );
        assert_eq!(
            q("select * from (a join b on a.i = b.i) left join c on c.i = a.i"),
            "(select (*) (from (left (inner A B (on (= A.I B.I))) C (on (= C.I A.I)))))"
        );
        assert_eq!(
            q("select * from emp@remote e, hr.dept d"),
            "(select (*) (from EMP@REMOTE E HR.DEPT D))"
        );
        assert_eq!(
            q("select * from (select a from t) x, lateral (select b from u) y"),
            "(select (*) (from ((select (A) (from T)) X) (lateral (select (B) (from U)) Y)))"
        );
        assert_eq!(
            q("select * from ((select a from t)) x"),
            "(select (*) (from ((select (A) (from T)) X)))"
        );
        assert_eq!(
            q("select column_value from table(split('a,b')) s"),
            "(select (COLUMN_VALUE) (from (fn (call TABLE (call SPLIT 'a,b')) S)))"
        );
        assert_eq!(q("select * from t as x"), "(select (*) (from T X))");
        assert!(err("select * from a join b").contains("expected ON or USING"));
        assert!(err("select * from a natural left join b").contains("NATURAL"));
    }

    #[test]
    fn dms_sample_outer_join() {
        assert_eq!(
            q("select t.id, p.name from ticket t, person p where t.ticketholder_id = p.id (+)"),
            "(select (T.ID P.NAME) (from TICKET T PERSON P) \
             (where (= T.TICKETHOLDER_ID (outer P.ID))))"
        );
    }

    #[test]
    fn clauses() {
        assert_eq!(
            q(
                "select d, count(*) from t where x > 1 group by d having count(*) > 2 \
               order by 2 desc, d nulls first"
            ),
            "(query (select (D (call COUNT *)) (from T) (where (> X 1)) (group D) \
             (having (> (call COUNT *) 2))) (order 2 desc D nulls-first))"
        );
        assert_eq!(
            q("select d from t having count(*) > 2 group by d"),
            "(select (D) (from T) (group D) (having (> (call COUNT *) 2)))"
        );
        assert_eq!(
            q("select a from t order by a offset 10 rows fetch next 5 rows only"),
            "(query (select (A) (from T)) (order A) (offset 10) (limit 5))"
        );
        assert_eq!(
            q("select a from t fetch first row only"),
            "(query (select (A) (from T)) (limit 1))"
        );
        assert_eq!(
            q("select a from t for update of t.a nowait"),
            "(select (A) (from T))"
        );
        assert_eq!(
            q("select a from t for update skip locked"),
            "(select (A) (from T))"
        );
        assert_eq!(
            q("select a from t for update wait 5"),
            "(select (A) (from T))"
        );
        assert!(err("select a from t fetch first 10 percent rows only").contains("PERCENT"));
        assert!(err("select a from t fetch first 1 rows with ties").contains("TIES"));
    }

    #[test]
    fn connect_by() {
        assert_eq!(
            q("SELECT employee_id, last_name, LEVEL FROM employees \
               START WITH manager_id IS NULL \
               CONNECT BY PRIOR employee_id = manager_id"),
            "(select (EMPLOYEE_ID LAST_NAME LEVEL) (from EMPLOYEES) (connect-by \
             (start (is-null MANAGER_ID)) (= (prior EMPLOYEE_ID) MANAGER_ID)))"
        );
        assert_eq!(
            q("select level from dual connect by nocycle level <= 10 start with 1 = 1"),
            "(select (LEVEL) (from DUAL) (connect-by nocycle (start (= 1 1)) (<= LEVEL 10)))"
        );
        assert_eq!(
            q(
                "select sys_connect_by_path(name, '/') p, connect_by_root name r from t \
               where x = 1 connect by parent = prior id and level < 5"
            ),
            "(select ((as (call SYS_CONNECT_BY_PATH NAME '/') P) \
             (as (call CONNECT_BY_ROOT NAME) R)) (from T) (where (= X 1)) (connect-by \
             (and (= PARENT (prior ID)) (< LEVEL 5))))"
        );
        assert!(err("select a from t start with a = 1").contains("CONNECT BY"));
        assert!(
            err("select a from t connect by a = prior b order siblings by a").contains("SIBLINGS")
        );
    }

    #[test]
    fn analytics() {
        assert_eq!(
            q(
                "select deptno, ename, sal, rank() over (partition by deptno order by sal desc) \
               rnk, sum(sal) over (order by hiredate rows between unbounded preceding and \
               current row) running from emp"
            ),
            "(select (DEPTNO ENAME SAL (as (call RANK (over (partition DEPTNO) \
             (order SAL desc))) RNK) (as (call SUM SAL (over (order HIREDATE) \
             \"rows between unbounded preceding and current row\")) RUNNING)) (from EMP))"
        );
    }

    #[test]
    fn set_operations_and_ctes() {
        assert_eq!(
            q("select a from t union all select b from u minus select c from v"),
            "(except (union-all (select (A) (from T)) (select (B) (from U))) \
             (select (C) (from V)))"
        );
        assert_eq!(
            q("select a from t intersect (select b from u union select c from v) order by 1"),
            "(query (intersect (select (A) (from T)) (paren (union (select (B) (from U)) \
             (select (C) (from V))))) (order 1))"
        );
        assert_eq!(q("(select a from t)"), "(select (A) (from T))");
        assert_eq!(
            q("(select a from t) union (select b from u)"),
            "(union (paren (select (A) (from T))) (paren (select (B) (from U))))"
        );
        assert_eq!(
            q(
                "with x (a, b) as (select 1, 2 from dual), y as (select * from x) \
               select * from y"
            ),
            "(query (with (X A B (select (1 2) (from DUAL))) (Y (select (*) (from X)))) \
             (select (*) (from Y)))"
        );
        assert_eq!(
            q("with recursive r as (select 1 n from dual) select n from r"),
            "(query (with-recursive (R (select ((as 1 N)) (from DUAL)))) (select (N) (from R)))"
        );
        assert_eq!(q("values (1, 2), (3, 4)"), "(values (1 2) (3 4))");
        assert!(err("select a from t union").contains("expected SELECT"));
    }

    #[test]
    fn subqueries_in_expressions() {
        assert_eq!(
            q(
                "select (select max(b) from u where u.a = t.a) m from t where exists \
               (select 1 from v where v.a = t.a) and t.c in (select c from w)"
            ),
            "(select ((as (subquery (select ((call MAX B)) (from U) (where (= U.A T.A)))) M)) \
             (from T) (where (and (exists (select (1) (from V) (where (= V.A T.A)))) \
             (in T.C (select (C) (from W))))))"
        );
    }

    #[test]
    fn stops_at_unknown_tokens() {
        let mut p = Parser::new(
            "select a from t with read only",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        p.query().unwrap();
        assert!(p.at_kws(&["WITH", "READ"]));
        let mut p = Parser::new("select a from t; select", FileId(0), 0, Dialect::Oracle);
        p.query().unwrap();
        assert!(p.at(crate::frontend::lexer::Tok::Semi));
    }

    #[test]
    fn select_into() {
        let mut p = Parser::new(
            "select a, b into v_a, r.b from t where id = p_id",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let (q, into) = p.select_into_query().unwrap();
        assert!(p.at_end());
        let into = into.unwrap();
        assert!(!into.bulk);
        assert_eq!(into.targets.len(), 2);
        assert_eq!(sx::query(&q), "(select (A B) (from T) (where (= ID P_ID)))");
        let mut p = Parser::new(
            "select a bulk collect into l_a from t",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let (_, into) = p.select_into_query().unwrap();
        assert!(into.unwrap().bulk);
        // Plain query() does not accept INTO.
        let mut p = Parser::new("select a into b from t", FileId(0), 0, Dialect::Oracle);
        p.query().unwrap();
        assert!(p.at_kw("INTO"));
    }

    #[test]
    fn spans() {
        let s = "  select a from t where b = 1 order by a";
        let mut p = Parser::new(s, FileId(1), 10, Dialect::Oracle);
        let query = p.query().unwrap();
        assert_eq!(
            (query.span.start, query.span.end),
            (12, 10 + s.len() as u32)
        );
        let SetExpr::Select(sel) = &query.body else {
            panic!()
        };
        assert_eq!((sel.span.start, sel.span.end), (12, 10 + 29));
        let TableRef::Table { span, .. } = &sel.from[0] else {
            panic!()
        };
        assert_eq!((span.start, span.end), (26, 27));
        let w = sel.where_.as_ref().unwrap().span();
        assert_eq!((w.start, w.end), (34, 39));
        let s = "select 1 from t connect by a = prior b";
        let query = parse(s);
        let SetExpr::Select(sel) = &query.body else {
            panic!()
        };
        let c = sel.connect_by.as_ref().unwrap();
        assert_eq!((c.span.start, c.span.end), (16, s.len() as u32));
    }

    #[test]
    fn dml() {
        let mut p = Parser::new(
            "insert into hr.emp e (id, e.name) values (emp_seq.nextval, 'x')",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let i = p.insert_stmt().unwrap();
        assert!(p.at_end());
        assert_eq!(i.table.display(), "HR.EMP");
        assert_eq!(i.alias.unwrap().value, "E");
        assert_eq!(
            i.columns
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>(),
            ["ID", "NAME"]
        );
        let InsertSource::Values(rows) = &i.source else {
            panic!()
        };
        assert_eq!(sx::expr(&rows[0][0]), "EMP_SEQ.NEXTVAL");

        let mut p = Parser::new(
            "insert into t select * from u where x = 1",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let i = p.insert_stmt().unwrap();
        assert!(p.at_end() && i.columns.is_empty() && i.alias.is_none());
        let InsertSource::Query(q) = &i.source else {
            panic!()
        };
        assert_eq!(sx::query(q), "(select (*) (from U) (where (= X 1)))");

        let mut p = Parser::new(
            "insert into t (a) (select b from u)",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let i = p.insert_stmt().unwrap();
        assert!(p.at_end());
        assert!(matches!(i.source, InsertSource::Query(_)));

        let mut p = Parser::new(
            "insert t values (1, default), (2, null)",
            FileId(0),
            0,
            Dialect::TSql,
        );
        let i = p.insert_stmt().unwrap();
        let InsertSource::Values(rows) = &i.source else {
            panic!()
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(sx::expr(&rows[0][1]), "DEFAULT");

        let mut p = Parser::new(
            "insert all into a values (1) select 1 from dual",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        assert!(
            p.insert_stmt()
                .unwrap_err()
                .message
                .contains("INSERT ALL is not supported")
        );
        let mut p = Parser::new(
            "insert into t values (1) returning id into v",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        assert!(p.insert_stmt().unwrap_err().message.contains("RETURNING"));

        let mut p = Parser::new(
            "update emp e set e.sal = sal * 1.1, (a, b) = (select x, y from z where z.id = e.id) \
             where dept = 10",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let u = p.update_stmt().unwrap();
        assert!(p.at_end());
        assert_eq!(u.alias.unwrap().value, "E");
        assert_eq!(u.set.len(), 2);
        assert_eq!(u.set[0].0[0].value, "SAL");
        assert_eq!(sx::expr(&u.set[0].1), "(* SAL 1.1)");
        assert_eq!(u.set[1].0.len(), 2);
        assert!(sx::expr(&u.set[1].1).starts_with("(subquery (select (X Y)"));
        assert_eq!(sx::expr(u.where_.as_ref().unwrap()), "(= DEPT 10)");
        let mut p = Parser::new("update t set a = default", FileId(0), 0, Dialect::Oracle);
        assert_eq!(sx::expr(&p.update_stmt().unwrap().set[0].1), "DEFAULT");
        let mut p = Parser::new(
            "update t set a = 1 where current of c",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let u = p.update_stmt().unwrap();
        assert_eq!(sx::expr(u.where_.as_ref().unwrap()), "(current-of C)");

        let mut p = Parser::new(
            "delete from emp e where e.id = :id",
            FileId(0),
            0,
            Dialect::Oracle,
        );
        let d = p.delete_stmt().unwrap();
        assert!(p.at_end());
        assert_eq!(d.alias.unwrap().value, "E");
        assert_eq!(sx::expr(d.where_.as_ref().unwrap()), "(= E.ID :id)");
        let mut p = Parser::new("delete emp", FileId(0), 0, Dialect::Oracle);
        let d = p.delete_stmt().unwrap();
        assert!(p.at_end() && d.where_.is_none() && d.alias.is_none());
    }

    #[test]
    fn errors() {
        assert!(err("select from t").contains("expected an expression"));
        assert!(err("select a from").contains("expected a table name"));
        assert!(err("select a from where").contains("expected a table name"));
        assert!(err("select (a from t").contains("expected `)`"));
        assert!(err("from t").contains("expected SELECT"));
        assert!(err("").contains("expected SELECT"));
        assert!(err("select max(a) keep (dense_rank first order by b) from t").contains("KEEP"));
    }

    #[test]
    fn deep_nesting() {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                for (open, close) in [
                    ("(", ")"),
                    ("select * from (", ") x"),
                    ("select * from ((t", " join u on 1 = 1)"),
                    ("select 1 from t union (", ")"),
                    ("with x as (", ") select 1 from x"),
                ] {
                    let s = format!(
                        "{}select 1 from dual{}",
                        open.repeat(10_000),
                        close.repeat(10_000)
                    );
                    let mut p = Parser::new(&s, FileId(0), 0, Dialect::Oracle);
                    let r = p.query();
                    assert!(r.is_err(), "{open}");
                    assert_eq!(p.depth, 0);
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn never_panics_on_prefixes() {
        let samples = [
            "WITH x (a) AS (SELECT 1 FROM dual) SELECT DISTINCT e.employee_id, e.job_id \
             \"J\", d.* FROM employees e, departments d JOIN jobs j USING (job_id) \
             LEFT JOIN (SELECT * FROM t) s ON s.a = e.a WHERE e.department_id = d.id (+) \
             AND ROWNUM <= 10 START WITH e.manager_id IS NULL CONNECT BY NOCYCLE PRIOR \
             e.employee_id = e.manager_id GROUP BY e.a HAVING COUNT(*) > 1 UNION ALL \
             (SELECT 1, 2, 3 FROM dual) MINUS SELECT * FROM TABLE(f(1)) ORDER BY 1 DESC \
             NULLS LAST OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY FOR UPDATE NOWAIT",
            "SELECT deptno, LISTAGG(ename, ',') WITHIN GROUP (ORDER BY ename) names, \
             RANK() OVER (PARTITION BY deptno ORDER BY sal DESC ROWS BETWEEN 1 PRECEDING AND \
             CURRENT ROW) r FROM emp WHERE hiredate > DATE '2020-01-01' AND CASE WHEN a = 1 \
             THEN 'x' ELSE 'y' END IN ('x', 'y') AND b NOT BETWEEN 1 AND 2 GROUP BY deptno",
        ];
        for s in samples {
            let toks = tokenize(s, false);
            for t in &toks {
                for d in [Dialect::Oracle, Dialect::TSql] {
                    for cut in [&s[..t.start as usize], &s[..t.end as usize]] {
                        let mut p = Parser::new(cut, FileId(0), 0, d);
                        let _ = p.query();
                        let mut p = Parser::new(cut, FileId(0), 0, d);
                        let _ = p.select_into_query();
                    }
                }
            }
            for t in &toks {
                let s2 = format!("{}{}", &s[..t.start as usize], &s[t.end as usize..]);
                let mut p = Parser::new(&s2, FileId(0), 0, Dialect::Oracle);
                let _ = p.query();
            }
            parse(s);
        }
        let dml = [
            "INSERT INTO t (a, b) VALUES (1, 'x'), (2, q'[y]')",
            "UPDATE t x SET (a, b) = (SELECT 1, 2 FROM dual), c = c + 1 WHERE x.id = :1",
            "DELETE FROM t WHERE id IN (SELECT id FROM u WHERE u.flag = 'Y')",
        ];
        for s in dml {
            for t in tokenize(s, false) {
                let cut = &s[..t.end as usize];
                let mut p = Parser::new(cut, FileId(0), 0, Dialect::Oracle);
                let _ = match cut.as_bytes()[0] {
                    b'I' => p.insert_stmt().map(|_| ()),
                    b'U' => p.update_stmt().map(|_| ()),
                    _ => p.delete_stmt().map(|_| ()),
                };
            }
        }
    }
}
