//! The query parser shared by all dialects: SELECT with set operations, joins, CTEs, and the
//! DML statements INSERT / UPDATE / DELETE.
//!
//! Conventions:
//! - Set operators are left-associative with equal precedence, as Oracle evaluates them
//!   (`a UNION b INTERSECT c` is `(a UNION b) INTERSECT c`); printers for targets where
//!   INTERSECT binds tighter must parenthesise. `MINUS` is recorded as [`SetOp::Except`].
//! - Redundant parentheses around a whole query leave no node: `(SELECT ..)` parsed by
//!   [`Parser::query`] is the inner query; a parenthesised set operand is `SetExpr::Query`.
//! - `FOR UPDATE [OF ..] [NOWAIT | WAIT n | SKIP LOCKED]` is accepted and dropped (row locking
//!   is the same on every target's default isolation and has no IR node).
//! - `TABLE(expr) alias` in FROM is `TableRef::Function` whose `call` is `Call TABLE [expr]`;
//!   `f(args) alias` (a table function written without TABLE, T-SQL style) is the call itself.
//! - A parenthesised join `(a JOIN b ON ..)` in FROM is the inner `TableRef::Join`.
//! - `FETCH FIRST ROW ONLY` without a count sets `limit` to the number `1` (span of `ROW`).
//! - `INSERT` / `UPDATE` column names may be qualified (`t.a`): the last part is kept.
//! - Not supported (a `ParseError` the caller turns into a finding): `INSERT ALL/FIRST`,
//!   `RETURNING .. INTO`, `LOG ERRORS`, `ORDER SIBLINGS BY`, `FETCH .. PERCENT`, `WITH TIES`,
//!   `NATURAL LEFT|RIGHT|FULL JOIN`, `UPDATE .. SET ROW =`, `WHERE CURRENT OF`.

use super::expr::keywords;
use super::lexer::Tok;
use super::parser::{PResult, Parser};
use crate::ir::{
    ConnectBy, Cte, Delete, Expr, Ident, Insert, InsertSource, JoinKind, Query, Select, SelectItem,
    SetExpr, SetOp, TableRef, Update,
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
            let left = p.set_operand(into)?;
            let mut q = p.query_finish(start, with, recursive, left)?;
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
            let right = self.set_operand(None)?;
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
        if self.eat_kw("FETCH") {
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
        if self.eat_kws(&["FOR", "UPDATE"]) {
            if self.eat_kw("OF") {
                self.qname()?;
                while self.eat(Tok::Comma) {
                    self.qname()?;
                }
            }
            if self.eat_kw("WAIT") {
                self.integer()?;
            } else if !self.eat_kw("NOWAIT") {
                self.eat_kws(&["SKIP", "LOCKED"]);
            }
        }
        Ok(Query {
            with,
            recursive,
            body,
            order_by,
            limit,
            offset,
            span: self.span_from(start),
        })
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
        let expr = self.expr()?;
        let alias = self.opt_alias()?;
        Ok(SelectItem::Expr { expr, alias })
    }

    /// `[AS] alias`: a quoted name, or an unquoted one that does not start a clause.
    fn opt_alias(&mut self) -> PResult<Option<Ident>> {
        if self.eat_kw("AS") {
            return Ok(Some(self.ident()?));
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
        self.expect_kw("INTO")?;
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
        let source = if self.eat_kw("VALUES") {
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
        let where_ = self.dml_where()?;
        self.dml_tail()?;
        Ok(Update {
            table,
            alias,
            set,
            where_,
        })
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
            where_,
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

    fn dml_where(&mut self) -> PResult<Option<Expr>> {
        if !self.eat_kw("WHERE") {
            return Ok(None);
        }
        if self.at_kws(&["CURRENT", "OF"]) {
            return Err(self.error("WHERE CURRENT OF is not supported"));
        }
        Ok(Some(self.expr()?))
    }

    fn dml_tail(&mut self) -> PResult<()> {
        if self.at_kw("RETURNING") || self.at_kw("RETURN") {
            return Err(self.error("RETURNING ... INTO is not supported"));
        }
        if self.at_kws(&["LOG", "ERRORS"]) {
            return Err(self.error("LOG ERRORS is not supported"));
        }
        Ok(())
    }
}
