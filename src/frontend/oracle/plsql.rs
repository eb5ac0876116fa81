//! PL/SQL parser: `CREATE PROCEDURE | FUNCTION | TRIGGER` units into [`crate::ir::plsql`].
//!
//! Expressions, queries and types use the shared parsers. Anything not supported is a
//! `ParseError` (the caller keeps the unit commented out with its finding): compound triggers,
//! `CASE` expressions with statement bodies in unusual places, `WHERE CURRENT OF`,
//! `INSERT ALL`, `MERGE` inside bodies, system / DDL triggers.
//!
//! Conventions: a statement that is a bare name or a call (`p;`, `p(1)`, `pkg.p(a => 1)`) is
//! [`PlStmt::Call`] with an [`Expr::Call`]; the lexer reads `1..10` as two numbers, which
//! [`split_ranges`] repairs before a numeric FOR loop is parsed.

use crate::frontend::lexer::{Tok, Token};
use crate::frontend::parser::{PResult, Parser};
use crate::ir::plsql::*;
use crate::ir::*;

/// Words that end a statement list.
fn at_list_end(p: &Parser) -> bool {
    p.at_end()
        || p.at_kw("END")
        || p.at_kw("ELSIF")
        || p.at_kw("ELSE")
        || p.at_kw("EXCEPTION")
        || p.at_kw("WHEN")
}

/// Routine header after `PROCEDURE` / `FUNCTION`: `name [(params)] [RETURN type] [options]
/// IS|AS` then the body, up to the end of the unit.
pub fn routine(p: &mut Parser, kind: RoutineKind) -> PResult<Routine> {
    match subprogram(p, kind, true)? {
        (r, true) => Ok(r),
        _ => Err(p.error("expected IS or AS")),
    }
}

/// A subprogram: header then `IS|AS` body (returns `true`), or, inside a package (`top` false),
/// a declaration ending with `;` (returns `false`, empty body).
fn subprogram(p: &mut Parser, kind: RoutineKind, top: bool) -> PResult<(Routine, bool)> {
    let start = p.offset();
    let name = p.qname()?;
    let params = if p.at(Tok::LParen) {
        params(p)?
    } else {
        Vec::new()
    };
    let mut returns = None;
    if kind == RoutineKind::Function {
        p.expect_kw("RETURN")?;
        returns = Some(TypeRef::new(p.data_type()?));
    }
    let mut options = Vec::new();
    loop {
        if p.at_kw("IS") || p.at_kw("AS") {
            break;
        }
        if !top && p.eat(Tok::Semi) {
            let r = Routine {
                kind,
                name,
                params,
                returns,
                body: Block {
                    label: None,
                    decls: Vec::new(),
                    body: Vec::new(),
                    handlers: Vec::new(),
                    span: p.span_from(start),
                },
                options,
            };
            return Ok((r, false));
        }
        if p.at_kws(&["AUTHID", "CURRENT_USER"]) || p.at_kws(&["AUTHID", "DEFINER"]) {
            p.bump();
            p.bump();
            continue;
        }
        if p.at_kw("DETERMINISTIC") || p.at_kw("PIPELINED") || p.at_kw("PARALLEL_ENABLE") {
            options.push(p.peek_text().to_ascii_uppercase());
            p.bump();
            p.skip_parens();
            continue;
        }
        if p.at_kw("RESULT_CACHE") {
            p.bump();
            if p.eat_kw("RELIES_ON") {
                p.skip_parens();
            }
            continue;
        }
        return Err(p.error("expected IS or AS"));
    }
    p.bump();
    if p.at_kw("LANGUAGE") || p.at_kw("EXTERNAL") {
        return Err(p.error("external routines are not supported"));
    }
    let body = block_after_is(p)?;
    if top {
        end_of_unit(p, &name)?;
    } else {
        semi(p)?;
    }
    Ok((
        Routine {
            kind,
            name,
            params,
            returns,
            body,
            options,
        },
        true,
    ))
}

/// After `PACKAGE [BODY]`: `name IS|AS items [BEGIN init] END [name];`.
pub fn package(p: &mut Parser, body: bool) -> PResult<Package> {
    let name = p.qname()?;
    while !p.at_kw("IS") && !p.at_kw("AS") {
        if p.at_end() {
            return Err(p.error("expected IS or AS"));
        }
        // AUTHID, ACCESSIBLE BY (...), SHARING = ...
        p.skip_token_or_group();
    }
    p.bump();
    let mut decls = Vec::new();
    let mut routines = Vec::new();
    let mut declared = Vec::new();
    let mut init = None;
    loop {
        if p.at_kw("PROCEDURE") || p.at_kw("FUNCTION") {
            let kind = if p.eat_kw("PROCEDURE") {
                RoutineKind::Procedure
            } else {
                p.bump();
                RoutineKind::Function
            };
            let (r, has_body) = subprogram(p, kind, false)?;
            if has_body {
                routines.push(r);
            } else {
                declared.push(r);
            }
        } else if p.at_kw("BEGIN") {
            let start = p.offset();
            p.bump();
            let body = stmts(p)?;
            let handlers = Vec::new();
            if p.at_kw("EXCEPTION") {
                return Err(p.error("package initialization handlers are not supported"));
            }
            init = Some(Block {
                label: None,
                decls: Vec::new(),
                body,
                handlers,
                span: p.span_from(start),
            });
        } else if p.eat_kw("END") {
            break;
        } else if p.at_end() {
            return Err(p.error("expected END"));
        } else {
            decls.push(decl(p)?);
        }
    }
    if p.at_ident() {
        p.qname()?;
    }
    end_of_unit(p, &name)?;
    Ok(Package {
        name,
        body,
        decls,
        routines,
        declared,
        init,
    })
}

/// After the last `END`: optional name, `;` and `/`.
fn end_of_unit(p: &mut Parser, _name: &QName) -> PResult<()> {
    p.eat(Tok::Semi);
    p.eat(Tok::Slash);
    if !p.at_end() {
        return Err(p.error("unexpected text after the end of the unit"));
    }
    Ok(())
}

fn params(p: &mut Parser) -> PResult<Vec<Param>> {
    p.expect(Tok::LParen, "`(`")?;
    let mut v = Vec::new();
    loop {
        let start = p.offset();
        let name = p.ident()?;
        let mut mode = ParamMode::In;
        if p.eat_kw("IN") {
            if p.eat_kw("OUT") {
                mode = ParamMode::InOut;
            }
        } else if p.eat_kw("OUT") {
            mode = ParamMode::Out;
        }
        p.eat_kw("NOCOPY");
        let ty = TypeRef::new(p.data_type()?);
        let default = if p.eat_kw("DEFAULT") || p.eat(Tok::Assign) {
            Some(p.expr()?)
        } else {
            None
        };
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
    p.expect(Tok::RParen, "`)`")?;
    Ok(v)
}

/// Declarations then `BEGIN ... END [name]` (after `IS` / `AS` / `DECLARE`).
fn block_after_is(p: &mut Parser) -> PResult<Block> {
    let start = p.offset();
    let decls = decls(p)?;
    block_rest(p, None, decls, start)
}

fn block_rest(
    p: &mut Parser,
    label: Option<Ident>,
    decls: Vec<Decl>,
    start: u32,
) -> PResult<Block> {
    p.expect_kw("BEGIN")?;
    let body = stmts(p)?;
    let mut handlers = Vec::new();
    if p.eat_kw("EXCEPTION") {
        while p.at_kw("WHEN") {
            let hstart = p.offset();
            p.bump();
            let mut exceptions = vec![p.qname()?];
            while p.eat_kw("OR") {
                exceptions.push(p.qname()?);
            }
            p.expect_kw("THEN")?;
            let body = stmts(p)?;
            handlers.push(Handler {
                conditions: Vec::new(),
                exceptions,
                body,
                continue_: false,
                span: p.span_from(hstart),
            });
        }
        if handlers.is_empty() {
            return Err(p.error("expected WHEN"));
        }
    }
    p.expect_kw("END")?;
    // `END name` (not `END;`); the name is not checked.
    if p.at_ident() && !p.at(Tok::Semi) {
        p.qname()?;
    }
    Ok(Block {
        label,
        decls,
        body,
        handlers,
        span: p.span_from(start),
    })
}

fn decls(p: &mut Parser) -> PResult<Vec<Decl>> {
    let mut v = Vec::new();
    while !p.at_end() && !p.at_kw("BEGIN") {
        v.push(decl(p)?);
    }
    Ok(v)
}

/// After `TYPE name` / `SUBTYPE name`: `IS RECORD (...)`, `IS TABLE OF t [NOT NULL] [INDEX BY
/// t]`, `IS VARRAY(n) OF t`, `IS REF CURSOR [RETURN t]`, `IS base [NOT NULL]` (subtypes);
/// the cursor stops before `;`.
fn type_def(p: &mut Parser, subtype: bool) -> PResult<TypeDef> {
    if !p.eat_kw("IS") {
        p.expect_kw("AS")?;
    }
    if subtype {
        let base = TypeRef::new(p.data_type()?);
        if p.at_kw("RANGE") {
            return Err(p.error("SUBTYPE ... RANGE is not supported"));
        }
        p.eat_kws(&["NOT", "NULL"]);
        return Ok(TypeDef::Subtype(base));
    }
    if p.eat_kw("RECORD") {
        p.expect(Tok::LParen, "`(`")?;
        let mut fields = Vec::new();
        loop {
            let f = p.ident()?;
            let ty = TypeRef::new(p.data_type()?);
            p.eat_kws(&["NOT", "NULL"]);
            if p.at(Tok::Assign) || p.at_kw("DEFAULT") {
                return Err(p.error("record field defaults are not supported"));
            }
            fields.push((f, ty));
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        p.expect(Tok::RParen, "`)`")?;
        return Ok(TypeDef::Record(fields));
    }
    if p.eat_kws(&["REF", "CURSOR"]) {
        if p.eat_kw("RETURN") {
            p.data_type()?;
        }
        return Ok(TypeDef::RefCursor);
    }
    let limit = if p.eat_kw("VARRAY") || p.eat_kws(&["VARYING", "ARRAY"]) {
        p.expect(Tok::LParen, "`(`")?;
        let n = p.integer()?;
        p.expect(Tok::RParen, "`)`")?;
        p.expect_kw("OF")?;
        Some(n.clamp(0, i64::MAX as i128) as i64)
    } else {
        p.expect_kw("TABLE")?;
        p.expect_kw("OF")?;
        None
    };
    let elem = TypeRef::new(p.data_type()?);
    p.eat_kws(&["NOT", "NULL"]);
    let index_by = if limit.is_none() && p.eat_kws(&["INDEX", "BY"]) {
        Some(TypeRef::new(p.data_type()?))
    } else {
        None
    };
    Ok(TypeDef::Collection {
        elem,
        index_by,
        limit,
    })
}

/// Skips to the `;` that ends a declaration (balanced parentheses); returns its text.
fn skip_to_semi(p: &mut Parser, start: u32) -> PResult<String> {
    let mut depth = 0i32;
    loop {
        match p.peek_kind() {
            None => return Err(p.error("expected `;`")),
            Some(Tok::LParen) => depth += 1,
            Some(Tok::RParen) => depth -= 1,
            Some(Tok::Semi) if depth <= 0 => break,
            _ => {}
        }
        p.bump();
    }
    let text = p.text_between(start, p.offset()).to_string();
    p.bump();
    Ok(text)
}

fn decl(p: &mut Parser) -> PResult<Decl> {
    let start = p.offset();
    if p.at_kw("PROCEDURE") || p.at_kw("FUNCTION") {
        return Err(p.error("nested procedures and functions are not supported"));
    }
    if p.eat_kw("PRAGMA") {
        let name = p.ident()?;
        let mut args = Vec::new();
        if p.eat(Tok::LParen) {
            args = p.expr_list()?;
            p.expect(Tok::RParen, "`)`")?;
        }
        p.expect(Tok::Semi, "`;`")?;
        return Ok(Decl::Pragma {
            name,
            args,
            span: p.span_from(start),
        });
    }
    if p.eat_kw("CURSOR") {
        let name = p.ident()?;
        let params = if p.at(Tok::LParen) {
            params(p)?
        } else {
            Vec::new()
        };
        if p.eat_kw("RETURN") {
            p.data_type()?;
        }
        p.expect_kw("IS")?;
        let query = p.query()?;
        p.expect(Tok::Semi, "`;`")?;
        return Ok(Decl::Cursor {
            name,
            params,
            query: Box::new(query),
            span: p.span_from(start),
        });
    }
    if p.at_kw("TYPE") || p.at_kw("SUBTYPE") {
        let subtype = p.at_kw("SUBTYPE");
        p.bump();
        let name = p.ident()?;
        let at = p.pos;
        // A declaration the parser cannot read is kept as text (the plsql pass flags it).
        let def = match type_def(p, subtype) {
            Ok(d) if p.at(Tok::Semi) => Some(d),
            _ => {
                p.pos = at;
                None
            }
        };
        let text = skip_to_semi(p, start)?;
        return Ok(Decl::TypeDecl {
            name,
            text,
            def,
            span: p.span_from(start),
        });
    }
    let name = p.ident()?;
    if p.eat_kw("EXCEPTION") {
        p.expect(Tok::Semi, "`;`")?;
        return Ok(Decl::Exception {
            name,
            sqlstate: None,
            span: p.span_from(start),
        });
    }
    let constant = p.eat_kw("CONSTANT");
    let ty = TypeRef::new(p.data_type()?);
    let not_null = p.eat_kws(&["NOT", "NULL"]);
    let default = if p.eat(Tok::Assign) || p.eat_kw("DEFAULT") {
        Some(p.expr()?)
    } else {
        None
    };
    p.expect(Tok::Semi, "`;`")?;
    Ok(Decl::Var {
        name,
        ty,
        constant,
        not_null,
        default,
        span: p.span_from(start),
    })
}

fn stmts(p: &mut Parser) -> PResult<Vec<PlStmt>> {
    let mut v = Vec::new();
    while !at_list_end(p) {
        stmt(p, &mut v)?;
    }
    if v.is_empty() {
        return Err(p.error("expected a statement"));
    }
    Ok(v)
}

/// One statement (a label adds a [`PlStmt::Label`] or labels the loop / block after it).
fn stmt(p: &mut Parser, out: &mut Vec<PlStmt>) -> PResult<()> {
    // A statement level costs four units of the nesting budget (its frames are large).
    p.nested(|p| p.nested(|p| p.nested(|p| p.nested(|p| stmt_inner(p, out)))))
}

fn label(p: &mut Parser) -> PResult<Option<Ident>> {
    if p.at(Tok::Lt) && p.nth_kind(1) == Some(Tok::Lt) {
        p.bump();
        p.bump();
        let l = p.ident()?;
        p.expect(Tok::Gt, "`>>`")?;
        p.expect(Tok::Gt, "`>>`")?;
        return Ok(Some(l));
    }
    Ok(None)
}

fn semi(p: &mut Parser) -> PResult<()> {
    p.expect(Tok::Semi, "`;`").map(|_| ())
}

fn stmt_inner(p: &mut Parser, out: &mut Vec<PlStmt>) -> PResult<()> {
    let start = p.offset();
    let lbl = label(p)?;
    if let Some(l) = lbl {
        if p.at_kw("LOOP") || p.at_kw("WHILE") || p.at_kw("FOR") {
            let s = loop_stmt(p, Some(l), start)?;
            out.push(s);
            return Ok(());
        }
        if p.at_kw("DECLARE") || p.at_kw("BEGIN") {
            let mut b = nested_block(p)?;
            b.label = Some(l);
            out.push(PlStmt::Block(Box::new(b)));
            return Ok(());
        }
        out.push(PlStmt::Label {
            span: l.span,
            label: l,
        });
        if at_list_end(p) {
            return Ok(());
        }
        return stmt(p, out);
    }
    let w = p.peek_text().to_ascii_uppercase();
    let kw = p.peek_kind() == Some(Tok::Word);
    let s = match w.as_str() {
        "NULL" if kw && p.nth_kind(1) == Some(Tok::Semi) => {
            p.bump();
            semi(p)?;
            PlStmt::Null(p.span_from(start))
        }
        "IF" if kw => if_stmt(p, start)?,
        "CASE" if kw => case_stmt(p, start)?,
        "LOOP" | "WHILE" | "FOR" if kw => loop_stmt(p, None, start)?,
        "EXIT" | "CONTINUE" if kw => {
            p.bump();
            let label = if p.at_ident() && !p.at_kw("WHEN") {
                Some(p.ident()?)
            } else {
                None
            };
            let when = if p.eat_kw("WHEN") {
                Some(p.expr()?)
            } else {
                None
            };
            semi(p)?;
            PlStmt::Exit {
                continue_: w == "CONTINUE",
                label,
                when,
                span: p.span_from(start),
            }
        }
        "GOTO" if kw => {
            p.bump();
            let label = p.ident()?;
            semi(p)?;
            PlStmt::Goto {
                label,
                span: p.span_from(start),
            }
        }
        "RETURN" if kw => {
            p.bump();
            let value = if p.at(Tok::Semi) {
                None
            } else {
                Some(p.expr()?)
            };
            semi(p)?;
            PlStmt::Return {
                value,
                span: p.span_from(start),
            }
        }
        "RAISE" if kw => {
            p.bump();
            let name = if p.at(Tok::Semi) {
                None
            } else {
                Some(p.qname()?)
            };
            semi(p)?;
            PlStmt::Raise {
                name,
                sqlstate: None,
                condition: None,
                span: p.span_from(start),
            }
        }
        "DECLARE" | "BEGIN" if kw => {
            let b = nested_block(p)?;
            PlStmt::Block(Box::new(b))
        }
        "SELECT" | "WITH" if kw => {
            let (query, into) = p.select_into_query()?;
            let Some(into) = into else {
                return Err(p.error("a SELECT in PL/SQL needs INTO"));
            };
            semi(p)?;
            PlStmt::SelectInto {
                query: Box::new(query),
                into: into.targets,
                bulk: into.bulk,
                strict: false,
                span: p.span_from(start),
            }
        }
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" if kw => dml(p, start)?,
        "EXECUTE" if kw && p.nth_kw(1, "IMMEDIATE") => {
            p.bump();
            p.bump();
            let sql = p.expr()?;
            let mut into = Vec::new();
            let mut using = Vec::new();
            loop {
                if p.eat_kw("INTO") {
                    into = targets(p)?;
                } else if p.eat_kw("USING") {
                    loop {
                        if p.eat_kw("IN") {
                            if p.at_kw("OUT") {
                                return Err(p.error("OUT bind arguments are not supported"));
                            }
                        } else if p.at_kw("OUT") {
                            return Err(p.error("OUT bind arguments are not supported"));
                        }
                        using.push(p.expr()?);
                        if !p.eat(Tok::Comma) {
                            break;
                        }
                    }
                } else {
                    break;
                }
            }
            semi(p)?;
            PlStmt::Execute {
                sql,
                into,
                using,
                strict: true,
                span: p.span_from(start),
            }
        }
        "OPEN" if kw => {
            p.bump();
            let cursor = p.qname()?;
            let args = if p.at(Tok::LParen) {
                named_args(p)?
            } else {
                Vec::new()
            };
            let mut for_query = None;
            let mut for_dynamic = None;
            let mut using = Vec::new();
            if p.eat_kw("FOR") {
                if p.at_kw("SELECT") || p.at_kw("WITH") || p.at(Tok::LParen) {
                    for_query = Some(Box::new(p.query()?));
                } else {
                    for_dynamic = Some(p.expr()?);
                    if p.eat_kw("USING") {
                        using = p.expr_list()?;
                    }
                }
            }
            semi(p)?;
            PlStmt::Open {
                cursor,
                args,
                for_query,
                for_dynamic,
                using,
                span: p.span_from(start),
            }
        }
        "FETCH" if kw => {
            p.bump();
            let cursor = p.qname()?;
            let bulk = p.eat_kws(&["BULK", "COLLECT"]);
            p.expect_kw("INTO")?;
            let into = targets(p)?;
            let limit = if p.eat_kw("LIMIT") {
                Some(p.expr()?)
            } else {
                None
            };
            semi(p)?;
            PlStmt::Fetch {
                cursor,
                into,
                bulk,
                limit,
                span: p.span_from(start),
            }
        }
        "CLOSE" if kw => {
            p.bump();
            let cursor = p.qname()?;
            semi(p)?;
            PlStmt::Close {
                cursor,
                span: p.span_from(start),
            }
        }
        "COMMIT" if kw => {
            p.bump();
            p.eat_kw("WORK");
            semi(p)?;
            PlStmt::Commit(p.span_from(start))
        }
        "ROLLBACK" if kw => {
            p.bump();
            p.eat_kw("WORK");
            let to = if p.eat_kw("TO") {
                p.eat_kw("SAVEPOINT");
                Some(p.ident()?)
            } else {
                None
            };
            semi(p)?;
            PlStmt::Rollback {
                to,
                span: p.span_from(start),
            }
        }
        "SAVEPOINT" if kw => {
            p.bump();
            let name = p.ident()?;
            semi(p)?;
            PlStmt::Savepoint {
                name,
                span: p.span_from(start),
            }
        }
        "PIPE" if kw && p.nth_kw(1, "ROW") => {
            p.bump();
            p.bump();
            p.expect(Tok::LParen, "`(`")?;
            let value = p.expr()?;
            p.expect(Tok::RParen, "`)`")?;
            semi(p)?;
            PlStmt::PipeRow {
                value,
                span: p.span_from(start),
            }
        }
        "FORALL" if kw => {
            p.bump();
            let var = p.ident()?;
            p.expect_kw("IN")?;
            let bounds = if p.eat_kws(&["INDICES", "OF"]) {
                ForAllBounds::Indices(p.qname()?)
            } else if p.eat_kws(&["VALUES", "OF"]) {
                ForAllBounds::Values(p.qname()?)
            } else {
                split_ranges(p);
                let low = p.expr()?;
                p.expect(Tok::DotDot, "`..`")?;
                ForAllBounds::Range(low, p.expr()?)
            };
            if p.at_kw("BETWEEN") {
                return Err(p.error("FORALL ... INDICES OF ... BETWEEN is not supported"));
            }
            let save_exceptions = p.eat_kws(&["SAVE", "EXCEPTIONS"]);
            let dml_start = p.offset();
            if !(p.at_kw("INSERT") || p.at_kw("UPDATE") || p.at_kw("DELETE")) {
                return Err(p.error("FORALL takes INSERT, UPDATE or DELETE"));
            }
            let body = dml(p, dml_start)?;
            PlStmt::ForAll {
                var,
                bounds,
                save_exceptions,
                body: Box::new(body),
                span: p.span_from(start),
            }
        }
        "LOCK" | "SET" if kw => {
            return Err(p.error(format!("{w} in PL/SQL is not supported yet")));
        }
        _ => assign_or_call(p, start)?,
    };
    out.push(s);
    Ok(())
}

/// `(a, name => b)`.
fn named_args(p: &mut Parser) -> PResult<Vec<Arg>> {
    p.expect(Tok::LParen, "`(`")?;
    let mut v = Vec::new();
    loop {
        let name = if p.at_ident() && p.nth_kind(1) == Some(Tok::Arrow) {
            let n = p.ident()?;
            p.bump();
            Some(n)
        } else {
            None
        };
        v.push(Arg {
            name,
            value: p.expr()?,
        });
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    p.expect(Tok::RParen, "`)`")?;
    Ok(v)
}

fn targets(p: &mut Parser) -> PResult<Vec<Expr>> {
    let mut v = vec![p.expr()?];
    while p.eat(Tok::Comma) {
        v.push(p.expr()?);
    }
    Ok(v)
}

fn nested_block(p: &mut Parser) -> PResult<Block> {
    let start = p.offset();
    let decls = if p.eat_kw("DECLARE") {
        decls(p)?
    } else {
        Vec::new()
    };
    let b = block_rest(p, None, decls, start)?;
    semi(p)?;
    Ok(b)
}

fn dml(p: &mut Parser, start: u32) -> PResult<PlStmt> {
    // RETURNING ... INTO is cut out before the shared DML parser sees it.
    let end = returning_at(p);
    let saved_len = p.toks.len();
    let tail: Vec<Token> = match end {
        Some(i) => p.toks.split_off(i),
        None => Vec::new(),
    };
    let stmt = match p.peek_text().to_ascii_uppercase().as_str() {
        "INSERT" => p.insert_stmt().map(|i| Stmt::Insert(Box::new(i))),
        "UPDATE" => p.update_stmt().map(|u| Stmt::Update(Box::new(u))),
        "MERGE" => p.merge_stmt().map(|m| Stmt::Merge(Box::new(m))),
        _ => p.delete_stmt().map(|d| Stmt::Delete(Box::new(d))),
    };
    let at_cut = p.pos == p.toks.len();
    p.toks.extend(tail);
    debug_assert_eq!(p.toks.len(), saved_len);
    let stmt = stmt?;
    let mut returning = Vec::new();
    let mut into = Vec::new();
    if end.is_some() {
        if !at_cut {
            return Err(p.error("unexpected text in a DML statement"));
        }
        p.bump();
        returning = targets(p)?;
        if p.eat_kws(&["BULK", "COLLECT"]) {
            return Err(p.error("RETURNING BULK COLLECT is not supported"));
        }
        p.expect_kw("INTO")?;
        into = targets(p)?;
    }
    semi(p)?;
    Ok(PlStmt::Dml {
        stmt: Box::new(stmt),
        returning,
        into,
        span: p.span_from(start),
    })
}

/// Index of a depth-0 `RETURNING` / `RETURN` token before the statement's `;`.
fn returning_at(p: &Parser) -> Option<usize> {
    let mut depth = 0i32;
    let mut i = p.pos;
    while let Some(t) = p.toks.get(i) {
        match t.kind {
            Tok::LParen => depth += 1,
            Tok::RParen => depth -= 1,
            Tok::Semi if depth <= 0 => return None,
            Tok::Word if depth == 0 && i > p.pos => {
                let w = &p.text[t.start as usize..t.end as usize];
                if w.eq_ignore_ascii_case("RETURNING") || w.eq_ignore_ascii_case("RETURN") {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn assign_or_call(p: &mut Parser, start: u32) -> PResult<PlStmt> {
    if !p.at_ident() && !p.at(Tok::Bind) {
        return Err(p.error("expected a statement"));
    }
    let target = p.expr()?;
    if p.eat(Tok::Assign) {
        let value = p.expr()?;
        semi(p)?;
        return Ok(PlStmt::Assign {
            target,
            value,
            span: p.span_from(start),
        });
    }
    let call = match target {
        Expr::Call(_) => target,
        Expr::Column(q) if !q.parts.iter().any(|i| i.value.starts_with('%')) => {
            let span = q.span();
            Expr::Call(Box::new(Call {
                name: q,
                args: Vec::new(),
                distinct: false,
                over: None,
                within_group: Vec::new(),
                span,
            }))
        }
        _ => return Err(p.error("expected `:=` or a procedure call")),
    };
    semi(p)?;
    Ok(PlStmt::Call {
        call,
        form: CallForm::Unknown,
        span: p.span_from(start),
    })
}

fn if_stmt(p: &mut Parser, start: u32) -> PResult<PlStmt> {
    p.expect_kw("IF")?;
    let mut branches = Vec::new();
    let c = p.expr()?;
    p.expect_kw("THEN")?;
    branches.push((c, stmts(p)?));
    let mut else_ = None;
    loop {
        if p.eat_kw("ELSIF") {
            let c = p.expr()?;
            p.expect_kw("THEN")?;
            branches.push((c, stmts(p)?));
        } else if p.eat_kw("ELSE") {
            else_ = Some(stmts(p)?);
            break;
        } else {
            break;
        }
    }
    p.expect_kw("END")?;
    p.expect_kw("IF")?;
    semi(p)?;
    Ok(PlStmt::If {
        branches,
        else_,
        span: p.span_from(start),
    })
}

fn case_stmt(p: &mut Parser, start: u32) -> PResult<PlStmt> {
    p.expect_kw("CASE")?;
    let operand = if p.at_kw("WHEN") {
        None
    } else {
        Some(p.expr()?)
    };
    let mut whens = Vec::new();
    while p.eat_kw("WHEN") {
        let c = p.expr()?;
        p.expect_kw("THEN")?;
        whens.push((c, stmts(p)?));
    }
    if whens.is_empty() {
        return Err(p.error("expected WHEN"));
    }
    let else_ = if p.eat_kw("ELSE") {
        Some(stmts(p)?)
    } else {
        None
    };
    p.expect_kw("END")?;
    p.expect_kw("CASE")?;
    if p.at_ident() {
        p.ident()?;
    }
    semi(p)?;
    Ok(PlStmt::Case {
        operand,
        whens,
        else_,
        span: p.span_from(start),
    })
}

fn loop_stmt(p: &mut Parser, label: Option<Ident>, start: u32) -> PResult<PlStmt> {
    let kind = if p.eat_kw("WHILE") {
        LoopKind::While(p.expr()?)
    } else if p.eat_kw("FOR") {
        let var = p.ident()?;
        p.expect_kw("IN")?;
        let reverse = p.eat_kw("REVERSE");
        split_ranges(p);
        if p.at(Tok::LParen) && (p.nth_kw(1, "SELECT") || p.nth_kw(1, "WITH")) {
            p.bump();
            let q = p.query()?;
            p.expect(Tok::RParen, "`)`")?;
            LoopKind::Cursor {
                var,
                source: CursorSource::Query(Box::new(q)),
            }
        } else {
            let low = p.expr()?;
            if p.eat(Tok::DotDot) {
                let high = p.expr()?;
                LoopKind::Range {
                    var,
                    reverse,
                    low,
                    high,
                }
            } else {
                let (name, args) = match low {
                    Expr::Column(q) => (q, Vec::new()),
                    Expr::Call(c) => {
                        let c = *c;
                        (c.name, c.args)
                    }
                    _ => return Err(p.error("expected `..` or a cursor")),
                };
                LoopKind::Cursor {
                    var,
                    source: CursorSource::Named { name, args },
                }
            }
        }
    } else {
        LoopKind::Plain
    };
    p.expect_kw("LOOP")?;
    let body = stmts(p)?;
    p.expect_kw("END")?;
    p.expect_kw("LOOP")?;
    if p.at_ident() {
        p.ident()?;
    }
    semi(p)?;
    Ok(PlStmt::Loop {
        label,
        kind,
        body,
        span: p.span_from(start),
    })
}

/// `1..10` lexes as `1.` `.10` and `1..n` as `1.` `.` `n`: split them into number, `..`,
/// operand, up to the next `LOOP`.
fn split_ranges(p: &mut Parser) {
    let mut i = p.pos;
    while i + 1 < p.toks.len() {
        let t = p.toks[i];
        let txt = &p.text[t.start as usize..t.end as usize];
        if t.kind == Tok::Word && txt.eq_ignore_ascii_case("LOOP") {
            break;
        }
        let n = p.toks[i + 1];
        if t.kind == Tok::Number && txt.ends_with('.') && txt.len() > 1 && n.start == t.end {
            let ntxt = &p.text[n.start as usize..n.end as usize];
            if n.kind == Tok::Number && ntxt.starts_with('.') {
                p.toks[i].end -= 1;
                p.toks[i + 1].start += 1;
                p.toks.insert(
                    i + 1,
                    Token {
                        kind: Tok::DotDot,
                        start: t.end - 1,
                        end: t.end + 1,
                    },
                );
            } else if n.kind == Tok::Dot {
                p.toks[i].end -= 1;
                p.toks[i + 1] = Token {
                    kind: Tok::DotDot,
                    start: t.end - 1,
                    end: n.end,
                };
            }
        }
        i += 1;
    }
}

/// An anonymous block: `[DECLARE decls] BEGIN ... END;` (the whole unit).
pub fn anonymous_block(p: &mut Parser) -> PResult<Block> {
    let b = nested_block(p)?;
    p.eat(Tok::Slash);
    if !p.at_end() {
        return Err(p.error("unexpected text after the end of the block"));
    }
    Ok(b)
}

// ----- triggers -----

/// After `TRIGGER`: `name BEFORE|AFTER|INSTEAD OF events ON table [REFERENCING ..] [FOR EACH
/// ROW] [ENABLE|DISABLE] [WHEN (cond)] body`.
pub fn trigger(p: &mut Parser) -> PResult<Trigger> {
    let name = p.qname()?;
    let timing = if p.eat_kw("BEFORE") {
        TriggerTiming::Before
    } else if p.eat_kw("AFTER") {
        TriggerTiming::After
    } else if p.eat_kws(&["INSTEAD", "OF"]) {
        TriggerTiming::InsteadOf
    } else if p.eat_kw("FOR") {
        return Err(p.error("compound triggers are not supported"));
    } else {
        return Err(p.error("expected BEFORE, AFTER or INSTEAD OF"));
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
            return Err(p.error("only DML triggers are supported"));
        };
        let mut columns = Vec::new();
        if kind == TriggerEventKind::Update && p.eat_kw("OF") {
            columns.push(p.ident()?);
            while p.eat(Tok::Comma) {
                columns.push(p.ident()?);
            }
        }
        events.push(TriggerEvent { kind, columns });
        if !p.eat_kw("OR") {
            break;
        }
    }
    p.expect_kw("ON")?;
    if p.at_kw("NESTED") || p.at_kw("DATABASE") || p.at_kw("SCHEMA") {
        return Err(p.error("only table and view triggers are supported"));
    }
    let table = p.qname()?;
    let mut referencing = Vec::new();
    if p.eat_kw("REFERENCING") {
        while p.at_kw("NEW") || p.at_kw("OLD") {
            let which = p.peek_text().to_ascii_uppercase();
            p.bump();
            p.eat_kw("AS");
            referencing.push((which, p.ident()?));
        }
    }
    let for_each_row = p.eat_kws(&["FOR", "EACH", "ROW"]);
    let mut enabled = true;
    if p.eat_kw("DISABLE") {
        enabled = false;
    } else {
        p.eat_kw("ENABLE");
    }
    let when = if p.eat_kw("WHEN") {
        p.expect(Tok::LParen, "`(`")?;
        let e = p.expr()?;
        p.expect(Tok::RParen, "`)`")?;
        Some(e)
    } else {
        None
    };
    if p.at_kw("CALL") || p.at_kw("COMPOUND") {
        return Err(p.error("CALL and compound trigger bodies are not supported"));
    }
    let start = p.offset();
    let body = if p.eat_kw("DECLARE") {
        let decls = decls(p)?;
        block_rest(p, None, decls, start)?
    } else {
        block_rest(p, None, Vec::new(), start)?
    };
    end_of_unit(p, &name)?;
    Ok(Trigger {
        name,
        table,
        timing,
        events,
        for_each_row,
        referencing,
        when,
        body,
        enabled,
        function: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::parser::Dialect;
    use crate::source::FileId;

    fn parse_routine(src: &str) -> PResult<Routine> {
        let mut p = Parser::new(src, FileId(0), 0, Dialect::Oracle);
        p.expect_kw("CREATE")?;
        p.eat_kws(&["OR", "REPLACE"]);
        let kind = if p.eat_kw("PROCEDURE") {
            RoutineKind::Procedure
        } else {
            p.expect_kw("FUNCTION")?;
            RoutineKind::Function
        };
        routine(&mut p, kind)
    }

    #[test]
    fn hr_procedures() {
        let r = parse_routine(
            "CREATE OR REPLACE PROCEDURE secure_dml IS BEGIN
              IF TO_CHAR (SYSDATE, 'HH24:MI') NOT BETWEEN '08:00' AND '18:00'
                 OR TO_CHAR (SYSDATE, 'DY') IN ('SAT', 'SUN') THEN
                RAISE_APPLICATION_ERROR (-20205, 'You may only make changes during normal office hours');
              END IF;
            END secure_dml;",
        )
        .unwrap();
        assert_eq!(r.name.display(), "SECURE_DML");
        assert!(matches!(r.body.body[0], PlStmt::If { .. }));
        let r = parse_routine(
            "CREATE OR REPLACE PROCEDURE add_job_history
              (  p_emp_id job_history.employee_id%type, p_start_date job_history.start_date%type)
            IS BEGIN
              INSERT INTO job_history (employee_id, start_date) VALUES(p_emp_id, p_start_date);
            END add_job_history;",
        )
        .unwrap();
        assert_eq!(r.params.len(), 2);
        assert_eq!(r.params[0].ty.source.name, "JOB_HISTORY.EMPLOYEE_ID%TYPE");
        assert!(matches!(r.body.body[0], PlStmt::Dml { .. }));
    }

    #[test]
    fn statements() {
        let r = parse_routine(
            "CREATE FUNCTION f (a IN NUMBER, b OUT VARCHAR2, c IN OUT NUMBER DEFAULT 3)
             RETURN NUMBER DETERMINISTIC AS
               v NUMBER := 0;
               k CONSTANT VARCHAR2(10) := 'x';
               e_bad EXCEPTION;
               PRAGMA EXCEPTION_INIT(e_bad, -20001);
               CURSOR cur (p NUMBER) IS SELECT id FROM t WHERE id > p;
               TYPE tab IS TABLE OF NUMBER INDEX BY PLS_INTEGER;
               r t%ROWTYPE;
             BEGIN
               <<outer>>
               FOR i IN 1..10 LOOP
                 v := v + i;
                 EXIT outer WHEN v > 20;
                 CONTINUE WHEN v < 2;
               END LOOP outer;
               FOR i IN REVERSE 1..a LOOP NULL; END LOOP;
               FOR rec IN (SELECT id FROM t) LOOP v := rec.id; END LOOP;
               FOR rec IN cur(1) LOOP v := rec.id; END LOOP;
               WHILE v > 0 LOOP v := v - 1; END LOOP;
               LOOP EXIT; END LOOP;
               CASE v WHEN 1 THEN NULL; ELSE v := 2; END CASE;
               SELECT COUNT(*) INTO v FROM t;
               SELECT id BULK COLLECT INTO tabv FROM t;
               UPDATE t SET id = id + 1 WHERE id = a RETURNING id INTO v;
               DELETE FROM t WHERE id = v;
               IF SQL%ROWCOUNT = 0 THEN RAISE e_bad; ELSIF v IS NULL THEN RAISE; END IF;
               OPEN cur(1); FETCH cur INTO r; CLOSE cur;
               EXECUTE IMMEDIATE 'DELETE FROM t WHERE id = :1' USING v;
               EXECUTE IMMEDIATE 'SELECT 1 FROM dual' INTO v;
               dbms_output.put_line('x' || v);
               p2(a => 1, b => v);
               p3;
               COMMIT; SAVEPOINT s1; ROLLBACK TO SAVEPOINT s1; ROLLBACK;
               GOTO done;
               <<done>>
               DECLARE x NUMBER; BEGIN x := 1; EXCEPTION WHEN OTHERS THEN NULL; END;
               RETURN v;
             EXCEPTION
               WHEN NO_DATA_FOUND OR TOO_MANY_ROWS THEN RETURN NULL;
               WHEN e_bad THEN RAISE_APPLICATION_ERROR(-20001, SQLERRM);
             END f;
             /",
        )
        .unwrap();
        assert_eq!(r.params[2].mode, ParamMode::InOut);
        assert_eq!(r.body.decls.len(), 7);
        assert_eq!(r.body.handlers.len(), 2);
        let PlStmt::Loop {
            label: Some(l),
            kind: LoopKind::Range { low, high, .. },
            ..
        } = &r.body.body[0]
        else {
            panic!("{:?}", r.body.body[0]);
        };
        assert_eq!(l.value, "OUTER");
        assert!(matches!(low, Expr::Number(n, _) if n == "1"));
        assert!(matches!(high, Expr::Number(n, _) if n == "10"));
        assert!(
            r.body
                .body
                .iter()
                .any(|s| matches!(s, PlStmt::Dml { into, .. } if into.len() == 1))
        );
        assert!(r.body.body.iter().any(
            |s| matches!(s, PlStmt::Block(b) if b.label.as_ref().is_some_and(|l| l.value == "DONE"))
        ));
    }

    #[test]
    fn triggers() {
        let src = "CREATE OR REPLACE TRIGGER update_job_history
          AFTER UPDATE OF job_id, department_id ON employees
          FOR EACH ROW
          WHEN (new.job_id <> old.job_id)
        BEGIN
          add_job_history(:old.employee_id, :old.hire_date, sysdate, :old.job_id, :old.department_id);
        END;";
        let mut p = Parser::new(src, FileId(0), 0, Dialect::Oracle);
        p.expect_kw("CREATE").unwrap();
        p.eat_kws(&["OR", "REPLACE"]);
        p.expect_kw("TRIGGER").unwrap();
        let t = trigger(&mut p).unwrap();
        assert!(t.for_each_row);
        assert_eq!(t.events[0].columns.len(), 2);
        assert!(t.when.is_some());
        assert!(matches!(t.body.body[0], PlStmt::Call { .. }));
    }

    #[test]
    fn errors_never_panic() {
        let src = "CREATE PROCEDURE p IS v NUMBER; BEGIN IF v THEN LOOP FOR i IN 1..2 LOOP \
                   x := (1 + ; END LOOP; END IF; END;";
        for cut in 0..src.len() {
            if src.is_char_boundary(cut) {
                let _ = parse_routine(&src[..cut]);
            }
        }
        let units = [
            "CREATE TRIGGER t BEFORE INSERT OR UPDATE OF a ON x REFERENCING NEW AS n \
             FOR EACH ROW WHEN (n.a > 0) DECLARE v NUMBER; BEGIN IF INSERTING THEN \
             :n.a := 1; END IF; END;",
            "CREATE PACKAGE BODY k AS g NUMBER := 0; FUNCTION f (a NUMBER) RETURN NUMBER; \
             PROCEDURE p (a IN OUT NUMBER) IS BEGIN a := f(a); END p; \
             FUNCTION f (a NUMBER) RETURN NUMBER IS BEGIN RETURN a; END; BEGIN g := 1; END k;",
            "DECLARE CURSOR c IS SELECT 1 FROM dual; BEGIN OPEN c; FETCH c INTO v; CLOSE c; END;",
        ];
        for src in units {
            for cut in 0..src.len() {
                if !src.is_char_boundary(cut) {
                    continue;
                }
                let mut p = Parser::new(&src[..cut], FileId(0), 0, Dialect::Oracle);
                p.eat_kw("CREATE");
                if p.eat_kw("TRIGGER") {
                    let _ = trigger(&mut p);
                } else if p.eat_kws(&["PACKAGE", "BODY"]) {
                    let _ = package(&mut p, true);
                } else {
                    let _ = anonymous_block(&mut p);
                }
            }
        }
        let mut p = Parser::new(units[1], FileId(0), 0, Dialect::Oracle);
        p.eat_kws(&["CREATE", "PACKAGE", "BODY"]);
        let k = package(&mut p, true).unwrap();
        assert_eq!(
            (k.routines.len(), k.declared.len(), k.decls.len()),
            (2, 1, 1)
        );
        assert!(k.init.is_some());
        let deep = format!(
            "CREATE PROCEDURE p IS BEGIN {} NULL; {} END;",
            "BEGIN ".repeat(500),
            "END; ".repeat(500)
        );
        assert!(parse_routine(&deep).is_err());
        assert!(
            parse_routine("CREATE PROCEDURE p IS BEGIN FORALL i IN 1..2 MERGE INTO t; END;")
                .is_err()
        );
    }
}
