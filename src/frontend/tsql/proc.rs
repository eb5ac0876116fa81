//! T-SQL procedural parser (SQL Server and SAP ASE): `CREATE PROCEDURE | FUNCTION | TRIGGER`
//! into [`crate::ir::plsql`], the procedural IR PL/SQL uses too.
//!
//! The parser stays close to the source; `passes::plsql_tsql` decides the target forms.
//! Encodings worth knowing:
//! - variables and parameters keep their T-SQL names: `Param("@x")` in expressions, `@x` in
//!   declarations and parameters; `@@ROWCOUNT` and the other globals are `Param("@@...")`;
//! - `DECLARE` anywhere in the body is a declaration of the routine's outer block (T-SQL
//!   variables live for the whole batch); its initial value is an assignment where it stood;
//! - `DECLARE c CURSOR FOR ...` is a [`Decl::Cursor`] of the outer block; `DEALLOCATE` is
//!   dropped;
//! - `BEGIN ... END` groups are flattened into their statement list; `BEGIN TRY ... END TRY
//!   BEGIN CATCH ... END CATCH` is a [`PlStmt::Block`] with one `OTHERS` handler;
//! - `PRINT e`, `RAISERROR`, `THROW`, `EXEC proc` are [`PlStmt::Call`]s of `PRINT`,
//!   `RAISERROR` (named arguments `msg`, `number`, `severity`, then the format arguments),
//!   `THROW`, and the procedure (arguments `@p = v` named `@p`, `OUTPUT` dropped);
//!   `EXEC @rc = proc` is an assignment of the call to `@rc`; `EXEC (@sql)` and
//!   `sp_executesql` are [`PlStmt::Execute`];
//! - `BEGIN TRAN` is a [`PlStmt::Savepoint`] named `BEGIN TRANSACTION`; `SAVE TRAN s` a
//!   savepoint `s`; `COMMIT` / `ROLLBACK [TRAN [s]]` as in PL/SQL;
//! - `SELECT @a = e, ...` is a [`PlStmt::SelectInto`]; `SELECT ... INTO #t FROM ...` and
//!   `CREATE TABLE #t` are [`PlStmt::Dml`] holding a `CreateTable`; `DECLARE @t TABLE (...)`
//!   is a `CreateTable` named `@t`; a SELECT returning rows is [`PlStmt::ReturnQuery`].
//!
//! Anything else is a `ParseError`: the caller keeps the routine commented out.

use super::Flavor;
use crate::diag::Finding;
use crate::frontend::lexer::Tok;
use crate::frontend::parser::{PResult, Parser};
use crate::ir::plsql::*;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

pub struct Parsed {
    pub kind: ObjectKind,
    pub name: QName,
    pub stmt: Stmt,
    /// What the parser dropped (query hints).
    pub findings: Vec<Finding>,
}

/// Cursor after `CREATE [OR ALTER]` (or `ALTER`), at `PROC | PROCEDURE | FUNCTION | TRIGGER`.
pub fn create(p: &mut Parser, flavor: Flavor) -> PResult<Parsed> {
    table_variables_as_names(p);
    let word = p.peek_text().to_ascii_uppercase();
    p.bump();
    let mut st = State {
        flavor,
        decls: Vec::new(),
        found: Vec::new(),
    };
    match word.as_str() {
        "PROC" | "PROCEDURE" => {
            let r = st.procedure(p)?;
            Ok(Parsed {
                kind: ObjectKind::Procedure,
                name: r.name.clone(),
                stmt: Stmt::CreateRoutine(Box::new(r)),
                findings: st.found,
            })
        }
        "FUNCTION" => {
            let r = st.function(p)?;
            Ok(Parsed {
                kind: ObjectKind::Function,
                name: r.name.clone(),
                stmt: Stmt::CreateRoutine(Box::new(r)),
                findings: st.found,
            })
        }
        _ => {
            let t = st.trigger(p)?;
            Ok(Parsed {
                kind: ObjectKind::Trigger,
                name: t.name.clone(),
                stmt: Stmt::CreateTrigger(Box::new(t)),
                findings: st.found,
            })
        }
    }
}

/// Table variables (`DECLARE @t TABLE`) are tables: their `@t` tokens become names, so that
/// `FROM @t` and `INSERT INTO @t` parse as table references.
fn table_variables_as_names(p: &mut Parser) {
    let text = p.text;
    let raw = |t: &crate::frontend::lexer::Token| &text[t.start as usize..t.end as usize];
    let mut names = Vec::new();
    for w in p.toks.windows(4) {
        let kw = |t: &crate::frontend::lexer::Token, k: &str| {
            t.kind == Tok::Word && raw(t).eq_ignore_ascii_case(k)
        };
        if (kw(&w[0], "DECLARE") || kw(&w[0], "RETURNS"))
            && w[1].kind == Tok::Variable
            && (kw(&w[2], "TABLE") || kw(&w[2], "AS") && kw(&w[3], "TABLE"))
        {
            names.push(raw(&w[1]).to_ascii_lowercase());
        }
    }
    if names.is_empty() {
        return;
    }
    for i in 0..p.toks.len() {
        let t = p.toks[i];
        if t.kind == Tok::Variable && names.contains(&raw(&t).to_ascii_lowercase()) {
            p.toks[i].kind = Tok::Word;
        }
    }
}

struct State {
    #[allow(dead_code)]
    flavor: Flavor,
    /// Declarations of the outer block, wherever they stand in the body.
    decls: Vec<Decl>,
    found: Vec<Finding>,
}

fn call_expr(name: &str, args: Vec<Arg>, span: Span) -> Expr {
    Expr::Call(Box::new(Call {
        name: QName::single(Ident::new(name, span)),
        args,
        distinct: false,
        over: None,
        within_group: Vec::new(),
        span,
    }))
}

fn arg(value: Expr) -> Arg {
    Arg { name: None, value }
}

fn named(name: &str, value: Expr) -> Arg {
    let span = value.span();
    Arg {
        name: Some(Ident::new(name, span)),
        value,
    }
}

/// Words that start a statement (a statement without `;` ends before them).
fn at_stmt_start(p: &Parser) -> bool {
    const W: &[&str] = &[
        "BEGIN",
        "BREAK",
        "CLOSE",
        "COMMIT",
        "CONTINUE",
        "CREATE",
        "DEALLOCATE",
        "DECLARE",
        "DELETE",
        "DROP",
        "ELSE",
        "END",
        "EXEC",
        "EXECUTE",
        "FETCH",
        "GOTO",
        "IF",
        "INSERT",
        "OPEN",
        "PRINT",
        "RAISERROR",
        "RETURN",
        "ROLLBACK",
        "SAVE",
        "SELECT",
        "SET",
        "THROW",
        "TRUNCATE",
        "UPDATE",
        "WAITFOR",
        "WHILE",
        "WITH",
    ];
    p.at_end() || p.at(Tok::Semi) || W.iter().any(|w| p.at_kw(w))
}

impl State {
    fn params(&mut self, p: &mut Parser) -> PResult<Vec<Param>> {
        let paren = p.eat(Tok::LParen);
        let mut v = Vec::new();
        if paren && p.eat(Tok::RParen) {
            return Ok(v);
        }
        while p.at(Tok::Variable) {
            let start = p.offset();
            let t = p.bump().expect("checked");
            let name = Ident::new(&p.text[(t.start) as usize..t.end as usize], p.tok_span(t));
            p.eat_kw("AS");
            let ty = TypeRef::new(p.data_type()?);
            p.eat_kw("VARYING");
            if !p.eat_kws(&["NOT", "NULL"]) {
                p.eat_kw("NULL");
            }
            let default = if p.eat(Tok::Eq) {
                Some(p.expr()?)
            } else {
                None
            };
            let mut mode = ParamMode::In;
            if p.eat_kw("OUTPUT") || p.eat_kw("OUT") {
                mode = ParamMode::InOut;
            }
            if p.eat_kw("READONLY") {
                return Err(p.error("table-valued parameters are not supported"));
            }
            v.push(Param {
                name,
                mode,
                ty,
                default,
                span: p.span_from(start),
            });
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        if paren {
            p.expect(Tok::RParen, "`)`")?;
        }
        Ok(v)
    }

    /// `WITH option, ...` before `AS` / `RETURNS`.
    fn options(&mut self, p: &mut Parser) -> PResult<Vec<String>> {
        let mut v = Vec::new();
        if p.eat_kw("WITH") {
            loop {
                if p.eat_kws(&["EXECUTE", "AS"]) || p.eat_kws(&["EXEC", "AS"]) {
                    // CALLER is the default (and PostgreSQL's SECURITY INVOKER).
                    if !p.eat_kw("CALLER") {
                        p.bump();
                        v.push("EXECUTE AS".into());
                    }
                } else if p.eat_kws(&["RETURNS", "NULL", "ON", "NULL", "INPUT"]) {
                    v.push("RETURNS NULL ON NULL INPUT".into());
                } else if p.eat_kws(&["CALLED", "ON", "NULL", "INPUT"]) {
                } else {
                    let w = p.ident()?;
                    v.push(w.value.to_ascii_uppercase());
                }
                if !p.eat(Tok::Comma) {
                    break;
                }
            }
        }
        if p.eat_kws(&["FOR", "REPLICATION"]) {
            v.push("FOR REPLICATION".into());
        }
        Ok(v)
    }

    fn procedure(&mut self, p: &mut Parser) -> PResult<Routine> {
        let start = p.offset();
        let name = p.qname()?;
        if p.eat(Tok::Semi) {
            return Err(p.error("numbered procedures are not supported"));
        }
        let params = self.params(p)?;
        let options = self.options(p)?;
        p.expect_kw("AS")?;
        let body = self.body(p, start)?;
        Ok(Routine {
            kind: RoutineKind::Procedure,
            name,
            params,
            returns: None,
            body,
            options,
        })
    }

    fn function(&mut self, p: &mut Parser) -> PResult<Routine> {
        let start = p.offset();
        let name = p.qname()?;
        let params = if p.at(Tok::LParen) {
            self.params(p)?
        } else {
            Vec::new()
        };
        p.expect_kw("RETURNS")?;
        if p.eat_kw("TABLE") {
            // Inline table-valued function: `RETURNS TABLE [WITH ...] [AS] RETURN [(] query [)]`.
            let mut options = self.options(p)?;
            p.eat_kw("AS");
            let qstart = p.offset();
            p.expect_kw("RETURN")?;
            let paren = p.at(Tok::LParen) && !p.nth_kw(1, "SELECT") && !p.nth_kw(1, "WITH");
            let _ = paren;
            let query = p.query()?;
            self.hint(p);
            while p.eat(Tok::Semi) {}
            let span = p.span_from(qstart);
            options.push("RETURNS TABLE".into());
            return Ok(Routine {
                kind: RoutineKind::Function,
                name,
                params,
                returns: None,
                body: Block {
                    label: None,
                    decls: Vec::new(),
                    body: vec![PlStmt::ReturnQuery {
                        query: Box::new(query),
                        span,
                    }],
                    handlers: Vec::new(),
                    span: p.span_from(start),
                },
                options,
            });
        }
        // Multi-statement table-valued function: `RETURNS @t TABLE (columns)`.
        let mut table = None;
        if p.peek_text().starts_with('@') {
            let tstart = p.offset();
            let tname = p.ident()?;
            p.expect_kw("TABLE")?;
            let mut fs = Vec::new();
            let flavor = self.flavor;
            let mut t = limited(p, |q| {
                super::ddl::table_body(q, QName::single(tname), flavor, &mut fs)
            })?;
            if !fs.is_empty() {
                return Err(p.error("storage clauses on a returned table are not supported"));
            }
            t.temporary = Some(TempKind::Local);
            table = Some((t, p.span_from(tstart)));
        }
        let returns = if table.is_some() {
            None
        } else {
            Some(TypeRef::new(p.data_type()?))
        };
        let mut options = self.options(p)?;
        p.eat_kw("AS");
        let mut body = self.body(p, start)?;
        let mut params = params;
        if let Some((t, span)) = table {
            // Its columns are the function's result (OUT parameters); the table itself is a
            // temporary table the body fills, created first.
            for c in &t.columns {
                params.push(Param {
                    name: c.name.clone(),
                    mode: ParamMode::Out,
                    ty: c.ty.clone(),
                    default: None,
                    span: c.span,
                });
            }
            options.push(format!("RETURNS TABLE {}", t.name.name().value));
            body.body.insert(
                0,
                PlStmt::Dml {
                    stmt: Box::new(Stmt::CreateTable(Box::new(t))),
                    returning: Vec::new(),
                    into: Vec::new(),
                    span,
                },
            );
        }
        Ok(Routine {
            kind: RoutineKind::Function,
            name,
            params,
            returns,
            body,
            options,
        })
    }

    fn trigger(&mut self, p: &mut Parser) -> PResult<Trigger> {
        let start = p.offset();
        let name = p.qname()?;
        p.expect_kw("ON")?;
        if p.at_kw("DATABASE") || p.at_kw("ALL") {
            return Err(p.error("DDL triggers are not supported"));
        }
        let table = p.qname()?;
        let _ = self.options(p)?;
        let timing = if p.eat_kw("FOR") || p.eat_kw("AFTER") {
            TriggerTiming::After
        } else if p.eat_kws(&["INSTEAD", "OF"]) {
            TriggerTiming::InsteadOf
        } else {
            return Err(p.error("expected FOR, AFTER or INSTEAD OF"));
        };
        let mut events = Vec::new();
        loop {
            let kind = if p.eat_kw("INSERT") {
                TriggerEventKind::Insert
            } else if p.eat_kw("UPDATE") {
                TriggerEventKind::Update
            } else if p.eat_kw("DELETE") {
                TriggerEventKind::Delete
            } else {
                return Err(p.error("expected INSERT, UPDATE or DELETE"));
            };
            events.push(TriggerEvent {
                kind,
                columns: Vec::new(),
            });
            if !p.eat(Tok::Comma) && !p.eat_kw("OR") {
                break;
            }
        }
        p.eat_kws(&["WITH", "APPEND"]);
        p.eat_kws(&["NOT", "FOR", "REPLICATION"]);
        p.expect_kw("AS")?;
        let body = self.body(p, start)?;
        Ok(Trigger {
            name,
            table,
            timing,
            events,
            for_each_row: false,
            referencing: Vec::new(),
            when: None,
            body,
            enabled: true,
            function: None,
        })
    }

    /// The statements up to the end of the unit, as the routine's outer block.
    fn body(&mut self, p: &mut Parser, start: u32) -> PResult<Block> {
        let mut body = Vec::new();
        while !p.at_end() {
            if p.eat(Tok::Semi) {
                continue;
            }
            self.stmt(p, &mut body)?;
        }
        Ok(Block {
            label: None,
            decls: std::mem::take(&mut self.decls),
            body,
            handlers: Vec::new(),
            span: p.span_from(start),
        })
    }

    /// Statements up to `END` (not consumed).
    fn stmts_to_end(&mut self, p: &mut Parser, out: &mut Vec<PlStmt>) -> PResult<()> {
        loop {
            if p.eat(Tok::Semi) {
                continue;
            }
            if p.at_kw("END") {
                return Ok(());
            }
            if p.at_end() {
                return Err(p.error("expected END"));
            }
            self.stmt(p, out)?;
        }
    }

    /// One statement (a `BEGIN ... END` group is flattened).
    fn stmt_list(&mut self, p: &mut Parser) -> PResult<Vec<PlStmt>> {
        while p.eat(Tok::Semi) {}
        let mut v = Vec::new();
        self.stmt(p, &mut v)?;
        while p.eat(Tok::Semi) {}
        Ok(v)
    }

    fn stmt(&mut self, p: &mut Parser, out: &mut Vec<PlStmt>) -> PResult<()> {
        p.nested(|p| p.nested(|p| p.nested(|p| p.nested(|p| self.stmt_inner(p, out)))))
    }

    fn stmt_inner(&mut self, p: &mut Parser, out: &mut Vec<PlStmt>) -> PResult<()> {
        let start = p.offset();
        let w = p.peek_text().to_ascii_uppercase();
        // `label:`
        if p.peek_kind() == Some(Tok::Word) && p.nth_kind(1) == Some(Tok::Colon) {
            let label = p.ident()?;
            p.bump();
            out.push(PlStmt::Label {
                label,
                span: p.span_from(start),
            });
            return Ok(());
        }
        match w.as_str() {
            "BEGIN" if p.nth_kw(1, "TRY") => {
                p.bump();
                p.bump();
                let mut body = Vec::new();
                self.stmts_to_end(p, &mut body)?;
                p.expect_kw("END")?;
                p.expect_kw("TRY")?;
                while p.eat(Tok::Semi) {}
                p.expect_kw("BEGIN")?;
                let hstart = p.offset();
                p.expect_kw("CATCH")?;
                let mut hbody = Vec::new();
                self.stmts_to_end(p, &mut hbody)?;
                p.expect_kw("END")?;
                p.expect_kw("CATCH")?;
                let span = p.span_from(start);
                out.push(PlStmt::Block(Box::new(Block {
                    label: None,
                    decls: Vec::new(),
                    body,
                    handlers: vec![Handler {
                        continue_: false,
                        exceptions: vec![QName::single(Ident::new("OTHERS", span))],
                        conditions: Vec::new(),
                        body: hbody,
                        span: p.span_from(hstart),
                    }],
                    span,
                })));
            }
            "BEGIN"
                if p.nth_kw(1, "TRAN")
                    || p.nth_kw(1, "TRANSACTION")
                    || p.nth_kw(1, "DISTRIBUTED") =>
            {
                p.bump();
                p.eat_kw("DISTRIBUTED");
                p.bump();
                self.tran_name(p);
                out.push(PlStmt::Savepoint {
                    name: Ident::new("BEGIN TRANSACTION", p.span_from(start)),
                    span: p.span_from(start),
                });
            }
            "BEGIN" => {
                p.bump();
                self.stmts_to_end(p, out)?;
                p.expect_kw("END")?;
            }
            "DECLARE" => {
                p.bump();
                self.declare(p, out)?;
            }
            "SET" => {
                p.bump();
                self.set(p, start, out)?;
            }
            "SELECT" | "WITH" | "(" => self.select(p, start, out)?,
            "IF" => {
                p.bump();
                let cond = p.expr()?;
                let then = self.stmt_list(p)?;
                let else_ = if p.eat_kw("ELSE") {
                    Some(self.stmt_list(p)?)
                } else {
                    None
                };
                out.push(PlStmt::If {
                    branches: vec![(cond, then)],
                    else_,
                    span: p.span_from(start),
                });
            }
            "WHILE" => {
                p.bump();
                let cond = p.expr()?;
                let body = self.stmt_list(p)?;
                out.push(PlStmt::Loop {
                    label: None,
                    kind: LoopKind::While(cond),
                    body,
                    span: p.span_from(start),
                });
            }
            "BREAK" | "CONTINUE" => {
                p.bump();
                out.push(PlStmt::Exit {
                    continue_: w == "CONTINUE",
                    label: None,
                    when: None,
                    span: p.span_from(start),
                });
            }
            "GOTO" => {
                p.bump();
                let label = p.ident()?;
                out.push(PlStmt::Goto {
                    label,
                    span: p.span_from(start),
                });
            }
            "RETURN" => {
                p.bump();
                let value = if at_stmt_start(p) {
                    None
                } else {
                    Some(p.expr()?)
                };
                out.push(PlStmt::Return {
                    value,
                    span: p.span_from(start),
                });
            }
            "PRINT" => {
                p.bump();
                // ASE: print "format %1!", args
                let mut args = vec![arg(p.expr()?)];
                while p.eat(Tok::Comma) {
                    args.push(arg(p.expr()?));
                }
                let span = p.span_from(start);
                out.push(PlStmt::Call {
                    call: call_expr("PRINT", args, span),
                    form: CallForm::Unknown,
                    span,
                });
            }
            "RAISERROR" => {
                p.bump();
                let c = self.raiserror(p, start)?;
                out.push(c);
            }
            "THROW" => {
                p.bump();
                let mut args = Vec::new();
                if !at_stmt_start(p) {
                    args.push(arg(p.expr()?));
                    p.expect(Tok::Comma, "`,`")?;
                    args.push(arg(p.expr()?));
                    p.expect(Tok::Comma, "`,`")?;
                    args.push(arg(p.expr()?));
                }
                let span = p.span_from(start);
                out.push(PlStmt::Call {
                    call: call_expr("THROW", args, span),
                    form: CallForm::Unknown,
                    span,
                });
            }
            "EXEC" | "EXECUTE" => {
                p.bump();
                self.exec(p, start, out)?;
            }
            "INSERT" | "UPDATE" | "DELETE" | "MERGE" => {
                let stmt = if w == "MERGE" {
                    Stmt::Merge(Box::new(p.merge_stmt()?))
                } else if w == "INSERT" {
                    Stmt::Insert(Box::new(p.insert_stmt()?))
                } else if w == "UPDATE" {
                    let mut u = p.update_stmt()?;
                    // T-SQL: `UPDATE t SET ... FROM tables WHERE ...`
                    if u.where_.is_none() && p.eat_kw("FROM") {
                        u.from = p.table_list()?;
                        u.where_ = p.dml_where()?;
                    }
                    Stmt::Update(Box::new(u))
                } else {
                    let mut d = p.delete_stmt()?;
                    // T-SQL: `DELETE [FROM] t FROM tables WHERE ...`
                    if d.where_.is_none() && p.eat_kw("FROM") {
                        d.using = p.table_list()?;
                        d.where_ = p.dml_where()?;
                    }
                    Stmt::Delete(Box::new(d))
                };
                if p.at_kw("OUTPUT") {
                    return Err(p.error("OUTPUT clauses are not supported"));
                }
                self.hint(p);
                out.push(PlStmt::Dml {
                    stmt: Box::new(stmt),
                    returning: Vec::new(),
                    into: Vec::new(),
                    span: p.span_from(start),
                });
            }
            "CREATE" if p.nth_kw(1, "TABLE") => {
                p.bump();
                p.bump();
                let mut fs = Vec::new();
                let flavor = self.flavor;
                let mut t = limited(p, |q| super::ddl::create_table(q, flavor, &mut fs))?;
                if !fs.is_empty() {
                    return Err(p.error("storage clauses on a temporary table are not supported"));
                }
                if !t.name.name().value.starts_with('#') {
                    return Err(p.error("CREATE TABLE of a permanent table in a routine"));
                }
                t.temporary = Some(TempKind::Local);
                out.push(PlStmt::Dml {
                    stmt: Box::new(Stmt::CreateTable(Box::new(t))),
                    returning: Vec::new(),
                    into: Vec::new(),
                    span: p.span_from(start),
                });
            }
            "DROP" if p.nth_kw(1, "TABLE") => {
                p.bump();
                p.bump();
                let if_exists = p.eat_kws(&["IF", "EXISTS"]);
                let _ = if_exists;
                loop {
                    let name = p.qname()?;
                    out.push(PlStmt::DropTable {
                        name,
                        span: p.span_from(start),
                    });
                    if !p.eat(Tok::Comma) {
                        break;
                    }
                }
            }
            "TRUNCATE" if p.nth_kw(1, "TABLE") => {
                p.bump();
                p.bump();
                let table = p.qname()?;
                out.push(PlStmt::Truncate {
                    table,
                    span: p.span_from(start),
                });
            }
            "COMMIT" => {
                p.bump();
                if p.eat_kw("TRAN") || p.eat_kw("TRANSACTION") || p.eat_kw("WORK") {
                    self.tran_name(p);
                }
                out.push(PlStmt::Commit(p.span_from(start)));
            }
            "ROLLBACK" => {
                p.bump();
                let mut to = None;
                if p.eat_kw("TRAN") || p.eat_kw("TRANSACTION") || p.eat_kw("WORK") {
                    to = self.tran_name(p);
                }
                out.push(PlStmt::Rollback {
                    to,
                    span: p.span_from(start),
                });
            }
            "SAVE" => {
                p.bump();
                if !p.eat_kw("TRAN") {
                    p.expect_kw("TRANSACTION")?;
                }
                let name = self
                    .tran_name(p)
                    .ok_or_else(|| p.error("expected a savepoint name"))?;
                out.push(PlStmt::Savepoint {
                    name,
                    span: p.span_from(start),
                });
            }
            "OPEN" => {
                p.bump();
                let cursor = QName::single(p.ident()?);
                out.push(PlStmt::Open {
                    cursor,
                    args: Vec::new(),
                    for_query: None,
                    for_dynamic: None,
                    using: Vec::new(),
                    span: p.span_from(start),
                });
            }
            "FETCH" => {
                p.bump();
                if !p.eat_kw("NEXT") && (p.at_kw("PRIOR") || p.at_kw("FIRST") || p.at_kw("LAST"))
                    || p.at_kw("ABSOLUTE")
                    || p.at_kw("RELATIVE")
                {
                    return Err(p.error("scrolling FETCH is not supported"));
                }
                p.eat_kw("FROM");
                let cursor = QName::single(p.ident()?);
                let mut into = Vec::new();
                if p.eat_kw("INTO") {
                    into = p.expr_list()?;
                }
                out.push(PlStmt::Fetch {
                    cursor,
                    into,
                    bulk: false,
                    limit: None,
                    span: p.span_from(start),
                });
            }
            "CLOSE" => {
                p.bump();
                let cursor = QName::single(p.ident()?);
                out.push(PlStmt::Close {
                    cursor,
                    span: p.span_from(start),
                });
            }
            "WAITFOR" if p.nth_kw(1, "DELAY") => {
                p.bump();
                p.bump();
                let e = p.expr()?;
                let span = p.span_from(start);
                out.push(PlStmt::Call {
                    call: call_expr("WAITFOR", vec![arg(e)], span),
                    form: CallForm::Unknown,
                    span,
                });
            }
            "DEALLOCATE" => {
                p.bump();
                p.eat_kw("CURSOR");
                p.ident()?;
            }
            _ => return Err(p.error("unsupported statement")),
        }
        Ok(())
    }

    /// `OPTION (hints)` after a statement: dropped (QRY018).
    fn hint(&mut self, p: &mut Parser) {
        if p.at_kw("OPTION") && p.nth_kind(1) == Some(Tok::LParen) {
            let start = p.offset();
            p.bump();
            p.skip_parens();
            let span = p.span_from(start);
            let text = p.text_between(start, span.end).to_string();
            self.found
                .push(Finding::new(&codes::QUERY_HINT_DROPPED, span, &[&text]));
        }
    }

    /// An optional transaction or savepoint name after `TRAN`.
    fn tran_name(&mut self, p: &mut Parser) -> Option<Ident> {
        if p.at(Tok::Variable) {
            p.bump();
            return None;
        }
        if p.at_ident() && !at_stmt_start(p) {
            return p.ident().ok();
        }
        None
    }

    fn declare(&mut self, p: &mut Parser, out: &mut Vec<PlStmt>) -> PResult<()> {
        // `DECLARE c CURSOR [options] FOR query`
        if p.at_ident() && !p.peek_text().starts_with('@') {
            let name = p.ident()?;
            let start = name.span.start;
            p.eat_kw("INSENSITIVE");
            p.eat_kw("SCROLL");
            p.expect_kw("CURSOR")?;
            while !p.at_kw("FOR") && !p.at_end() {
                let w = p.peek_text().to_ascii_uppercase();
                match w.as_str() {
                    "LOCAL" | "GLOBAL" | "FORWARD_ONLY" | "STATIC" | "KEYSET" | "DYNAMIC"
                    | "FAST_FORWARD" | "READ_ONLY" | "SCROLL_LOCKS" | "OPTIMISTIC"
                    | "TYPE_WARNING" => {
                        p.bump();
                    }
                    "SCROLL" => return Err(p.error("scrollable cursors are not supported")),
                    _ => return Err(p.error("unexpected cursor option")),
                }
            }
            p.expect_kw("FOR")?;
            let query = p.query()?;
            if p.eat_kw("FOR") {
                if p.eat_kw("READ") {
                    p.expect_kw("ONLY")?;
                } else {
                    return Err(p.error("FOR UPDATE cursors are not supported"));
                }
            }
            let span = Span::new(p.file, start, p.span_from(start).end);
            self.decls.push(Decl::Cursor {
                name,
                params: Vec::new(),
                query: Box::new(query),
                span,
            });
            return Ok(());
        }
        loop {
            let start = p.offset();
            if !p.at(Tok::Variable) && !p.peek_text().starts_with('@') {
                return Err(p.error("expected a variable"));
            }
            let t = p.bump().expect("checked");
            let name = Ident::new(&p.text[t.start as usize..t.end as usize], p.tok_span(t));
            p.eat_kw("AS");
            if p.eat_kw("TABLE") {
                // A table variable: a temporary table.
                let mut fs = Vec::new();
                let flavor = self.flavor;
                let mut t = limited(p, |q| {
                    super::ddl::table_body(q, QName::single(name), flavor, &mut fs)
                })?;
                if !fs.is_empty() {
                    return Err(p.error("storage clauses on a table variable are not supported"));
                }
                t.temporary = Some(TempKind::Local);
                out.push(PlStmt::Dml {
                    stmt: Box::new(Stmt::CreateTable(Box::new(t))),
                    returning: Vec::new(),
                    into: Vec::new(),
                    span: p.span_from(start),
                });
            } else if p.at_kw("CURSOR") {
                return Err(p.error("cursor variables are not supported"));
            } else {
                let ty = TypeRef::new(p.data_type()?);
                let default = if p.eat(Tok::Eq) {
                    Some(p.expr()?)
                } else {
                    None
                };
                let span = p.span_from(start);
                if let Some(v) = default {
                    out.push(PlStmt::Assign {
                        target: Expr::Param(name.value.clone(), name.span),
                        value: v,
                        span,
                    });
                }
                self.decls.push(Decl::Var {
                    name,
                    ty,
                    constant: false,
                    not_null: false,
                    default: None,
                    span,
                });
            }
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        Ok(())
    }

    fn set(&mut self, p: &mut Parser, start: u32, out: &mut Vec<PlStmt>) -> PResult<()> {
        if p.at(Tok::Variable) {
            let target = p.expr_primary_var()?;
            let op = match p.peek_kind() {
                Some(Tok::Eq) => None,
                Some(Tok::Plus) => Some(BinOp::Add),
                Some(Tok::Minus) => Some(BinOp::Sub),
                Some(Tok::Star) => Some(BinOp::Mul),
                Some(Tok::StarEq) => {
                    // `SET @v *= e` (one token)
                    p.bump();
                    let mut value = p.expr()?;
                    let span = p.span_from(start);
                    value = Expr::Binary {
                        op: BinOp::Mul,
                        left: Box::new(target.clone()),
                        right: Box::new(value),
                        span,
                    };
                    out.push(PlStmt::Assign {
                        target,
                        value,
                        span,
                    });
                    return Ok(());
                }
                Some(Tok::Slash) => Some(BinOp::Div),
                _ => return Err(p.error("expected `=`")),
            };
            p.bump();
            if op.is_some() {
                p.expect(Tok::Eq, "`=`")?;
            }
            if p.at_kw("CURSOR") {
                return Err(p.error("cursor variables are not supported"));
            }
            let mut value = p.expr()?;
            let span = p.span_from(start);
            if let Some(op) = op {
                value = Expr::Binary {
                    op,
                    left: Box::new(target.clone()),
                    right: Box::new(value),
                    span,
                };
            }
            out.push(PlStmt::Assign {
                target,
                value,
                span,
            });
            return Ok(());
        }
        // Session options.
        let opt = p.peek_text().to_ascii_uppercase();
        match opt.as_str() {
            "NOCOUNT"
            | "XACT_ABORT"
            | "ANSI_NULLS"
            | "ANSI_WARNINGS"
            | "ANSI_PADDING"
            | "ARITHABORT"
            | "CONCAT_NULL_YIELDS_NULL"
            | "QUOTED_IDENTIFIER"
            | "DEADLOCK_PRIORITY"
            | "LOCK_TIMEOUT"
            | "DATEFORMAT"
            | "DATEFIRST"
            | "LANGUAGE"
            | "ARITHIGNORE"
            | "CLOSE"
            | "CHAINED"
            | "STATISTICS"
            | "FMTONLY"
            | "ANSI_DEFAULTS"
            | "IMPLICIT_TRANSACTIONS"
            | "TRANSACTION"
            | "ROWCOUNT"
            | "NUMERIC_ROUNDABORT"
            | "TEXTSIZE"
            | "FORCEPLAN" => {
                p.bump();
                let mut text = opt.clone();
                while !at_stmt_start(p) && !p.at_end() {
                    text.push(' ');
                    text.push_str(&p.peek_text().to_ascii_uppercase());
                    p.bump();
                }
                // Kept as a call of `SET` with the option as text; the pass decides.
                let span = p.span_from(start);
                out.push(PlStmt::Call {
                    call: call_expr("SET", vec![arg(Expr::String(text, span))], span),
                    form: CallForm::Unknown,
                    span,
                });
                Ok(())
            }
            _ => Err(p.error("unsupported SET option")),
        }
    }

    fn raiserror(&mut self, p: &mut Parser, start: u32) -> PResult<PlStmt> {
        let mut args = Vec::new();
        if p.eat(Tok::LParen) {
            // SQL Server: (msg | msg_id, severity, state [, args])
            let msg = p.expr()?;
            p.expect(Tok::Comma, "`,`")?;
            let sev = p.expr()?;
            p.expect(Tok::Comma, "`,`")?;
            let _state = p.expr()?;
            if matches!(msg, Expr::Number(..)) {
                args.push(named("number", msg));
            } else {
                args.push(named("msg", msg));
            }
            args.push(named("severity", sev));
            while p.eat(Tok::Comma) {
                args.push(arg(p.expr()?));
            }
            p.expect(Tok::RParen, "`)`")?;
        } else {
            // ASE: raiserror number [msg] [, args]; SQL Server 2000: RAISERROR msg_id 'msg'
            let num = p.expr()?;
            args.push(named("number", num));
            if !at_stmt_start(p) && !p.at(Tok::Comma) && !p.at_kw("WITH") {
                args.push(named("msg", p.expr()?));
            }
            while p.eat(Tok::Comma) {
                args.push(arg(p.expr()?));
            }
        }
        if p.eat_kw("WITH") {
            loop {
                p.ident()?;
                if !p.eat(Tok::Comma) {
                    break;
                }
            }
        }
        let span = p.span_from(start);
        Ok(PlStmt::Call {
            call: call_expr("RAISERROR", args, span),
            form: CallForm::Unknown,
            span,
        })
    }

    fn exec(&mut self, p: &mut Parser, start: u32, out: &mut Vec<PlStmt>) -> PResult<()> {
        // EXEC (@sql) / EXEC ('...' + @x)
        if p.at(Tok::LParen) {
            p.bump();
            let sql = p.expr()?;
            p.expect(Tok::RParen, "`)`")?;
            if p.at_kw("AT") || p.at_kw("AS") {
                return Err(p.error("EXEC ... AT / AS is not supported"));
            }
            out.push(PlStmt::Execute {
                sql,
                into: Vec::new(),
                using: Vec::new(),
                strict: false,
                span: p.span_from(start),
            });
            return Ok(());
        }
        let mut status = None;
        if p.at(Tok::Variable) && p.nth_kind(1) == Some(Tok::Eq) {
            status = Some(p.expr_primary_var()?);
            p.bump();
        }
        if p.at(Tok::Variable) {
            return Err(p.error("EXEC of a procedure named by a variable is not supported"));
        }
        let name = p.qname()?;
        let mut args = Vec::new();
        if !at_stmt_start(p) && !p.at_kw("WITH") {
            loop {
                let mut aname = None;
                if p.at(Tok::Variable) && p.nth_kind(1) == Some(Tok::Eq) {
                    let t = p.bump().expect("checked");
                    aname = Some(Ident::new(
                        &p.text[t.start as usize..t.end as usize],
                        p.tok_span(t),
                    ));
                    p.bump();
                }
                let value = if p.at_kw("DEFAULT") {
                    return Err(p.error("DEFAULT arguments are not supported"));
                } else if p.at_ident()
                    && !p.at(Tok::Variable)
                    && matches!(p.nth_kind(1), Some(Tok::Comma) | None)
                    && !p.at_kw("NULL")
                {
                    // An unquoted string argument (`EXEC p abc`).
                    let id = p.ident()?;
                    Expr::String(id.value, id.span)
                } else {
                    p.expr()?
                };
                if !p.eat_kw("OUTPUT") {
                    p.eat_kw("OUT");
                }
                args.push(Arg { name: aname, value });
                if !p.eat(Tok::Comma) {
                    break;
                }
            }
        }
        if p.eat_kw("WITH") {
            p.expect_kw("RECOMPILE")?;
        }
        let span = p.span_from(start);
        let pname = name.name().value.to_ascii_lowercase();
        if pname == "sp_executesql" {
            let mut it = args.into_iter();
            let Some(sql) = it.next() else {
                return Err(p.error("sp_executesql without a statement"));
            };
            let _decl = it.next();
            let using: Vec<Expr> = it.map(|a| a.value).collect();
            out.push(PlStmt::Execute {
                sql: sql.value,
                into: Vec::new(),
                using,
                strict: false,
                span,
            });
            return Ok(());
        }
        let call = Expr::Call(Box::new(Call {
            name,
            args,
            distinct: false,
            over: None,
            within_group: Vec::new(),
            span,
        }));
        match status {
            Some(target) => out.push(PlStmt::Assign {
                target,
                value: call,
                span,
            }),
            None => out.push(PlStmt::Call {
                call,
                form: CallForm::Unknown,
                span,
            }),
        }
        Ok(())
    }

    /// `SELECT @a = e, ...`, `SELECT ... INTO #t FROM ...`, or a result set.
    fn select(&mut self, p: &mut Parser, start: u32, out: &mut Vec<PlStmt>) -> PResult<()> {
        let (mut q, into) = p.select_into_query()?;
        let span = p.span_from(start);
        if p.at_kws(&["WITH", "ROLLUP"]) || p.at_kws(&["WITH", "CUBE"]) {
            return Err(p.error("GROUP BY ... WITH ROLLUP / CUBE is not supported"));
        }
        if p.at_kws(&["FOR", "XML"]) || p.at_kws(&["FOR", "JSON"]) || p.at_kw("COMPUTE") {
            return Err(p.error("FOR XML / FOR JSON / COMPUTE are not supported"));
        }
        self.hint(p);
        if let Some(into) = into {
            let [Expr::Column(name)] = into.targets.as_slice() else {
                return Err(p.error("SELECT ... INTO must name one table"));
            };
            let t = Table {
                name: name.clone(),
                columns: Vec::new(),
                constraints: Vec::new(),
                temporary: if name.name().value.starts_with('#') {
                    Some(TempKind::Local)
                } else {
                    None
                },
                partition: None,
                as_query: Some(Box::new(q)),
                if_not_exists: false,
            };
            out.push(PlStmt::Dml {
                stmt: Box::new(Stmt::CreateTable(Box::new(t))),
                returning: Vec::new(),
                into: Vec::new(),
                span,
            });
            return Ok(());
        }
        // Variable assignments: every item is `@v = e`.
        let mut targets = Vec::new();
        if let SetExpr::Select(s) = &mut q.body {
            let assigns = s.items.iter().all(|i| {
                matches!(i, SelectItem::Expr { expr: Expr::Binary { op: BinOp::Eq, left, .. }, alias: None }
                    if matches!(**left, Expr::Param(ref n, _) if n.starts_with('@') && !n.starts_with("@@")))
            });
            if assigns && !s.items.is_empty() {
                for i in &mut s.items {
                    if let SelectItem::Expr {
                        expr: Expr::Binary { left, right, .. },
                        ..
                    } = i
                    {
                        targets.push((**left).clone());
                        let v = std::mem::replace(&mut **right, Expr::Null(span));
                        *i = SelectItem::Expr {
                            expr: v,
                            alias: None,
                        };
                    }
                }
            }
        }
        if !targets.is_empty() {
            // Without FROM: plain assignments.
            if let SetExpr::Select(s) = &q.body
                && s.from.is_empty()
                && s.where_.is_none()
                && q.with.is_empty()
            {
                for (t, i) in targets.into_iter().zip(&s.items) {
                    if let SelectItem::Expr { expr, .. } = i {
                        out.push(PlStmt::Assign {
                            target: t,
                            value: expr.clone(),
                            span,
                        });
                    }
                }
                return Ok(());
            }
            out.push(PlStmt::SelectInto {
                query: Box::new(q),
                into: targets,
                bulk: false,
                strict: false,
                span,
            });
            return Ok(());
        }
        out.push(PlStmt::ReturnQuery {
            query: Box::new(q),
            span,
        });
        Ok(())
    }
}

/// Runs a table parser on the tokens up to the end of the first parenthesised group (a
/// table's column list), so that it stops where the next statement starts.
fn limited<'a, T>(p: &mut Parser<'a>, f: impl FnOnce(&mut Parser<'a>) -> PResult<T>) -> PResult<T> {
    let mut i = p.pos;
    while i < p.toks.len() && p.toks[i].kind != Tok::LParen {
        i += 1;
    }
    let mut depth = 0i32;
    while i < p.toks.len() {
        match p.toks[i].kind {
            Tok::LParen => depth += 1,
            Tok::RParen => {
                depth -= 1;
                if depth == 0 {
                    i += 1;
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut q = Parser::new("", p.file, p.base, p.dialect);
    q.text = p.text;
    q.toks = p.toks[..i].to_vec();
    q.pos = p.pos;
    q.depth = p.depth;
    let r = f(&mut q)?;
    if !q.at_end() {
        return Err(q.error("unexpected text after the table definition"));
    }
    p.pos = q.pos;
    Ok(r)
}

impl Parser<'_> {
    /// A `@var` as an expression.
    fn expr_primary_var(&mut self) -> PResult<Expr> {
        let Some(t) = self.bump() else {
            return Err(self.error("expected a variable"));
        };
        Ok(Expr::Param(
            self.text[t.start as usize..t.end as usize].to_string(),
            self.tok_span(t),
        ))
    }
}
