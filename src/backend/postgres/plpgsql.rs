//! PL/pgSQL: procedures, functions, trigger functions and triggers.
//!
//! Printing conventions (no decisions: the plsql pass has made them):
//! - every body starts with `#variable_conflict use_column`: in SQL statements a name that is
//!   both a column and a variable means the column, as in PL/SQL;
//! - parameters print `[OUT | INOUT] name type [DEFAULT e]`;
//! - `FOR i IN REVERSE low .. high` (Oracle order) prints `REVERSE high .. low` (PostgreSQL
//!   order);
//! - `SELECT ... INTO` prints the INTO clause at the end of the query (`INTO STRICT` when
//!   decided), which PL/pgSQL accepts;
//! - declarations of exceptions and pragmas print nothing; `TYPE` declarations, `GOTO` and
//!   labels not attached to a loop or block print as comments (the pass has flagged them);
//! - a package prints `CREATE SCHEMA IF NOT EXISTS` and its routines (declarations, package
//!   variables and the initialization section print nothing: the pass has flagged them);
//! - a trigger prints its function, `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+), and, when
//!   disabled, `ALTER TABLE ... DISABLE TRIGGER`; transition tables (`REFERENCING NEW TABLE
//!   AS inserted`) are also named for plpgsql_check in the function's first line
//!   (`-- @plpgsql_check_options: oldtable = ..., newtable = ...`);
//! - a temporary table created in a body (`CREATE TEMPORARY TABLE t (...)`) is followed by
//!   `PERFORM 'PRAGMA:TABLE: t (...)'`, a no-op that tells plpgsql_check its shape.

use super::expr::{expr, expr_list};
use super::query::{self, Layout};
use super::{PushSql, ident, qname, string_lit, type_ref};
use crate::ir::plsql::*;
use crate::ir::{Arg, Expr, QName, Stmt};

pub(crate) fn create_routine(r: &Routine) -> Vec<String> {
    let kw = match r.kind {
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Function => "FUNCTION",
    };
    let mut s = format!(
        "CREATE OR REPLACE {kw} {}({})",
        qname(&r.name),
        params(&r.params)
    );
    if let Some(t) = &r.returns {
        s.push_str(&format!("\nRETURNS {}", type_ref(t)));
    }
    s.push_str("\nLANGUAGE plpgsql\nAS ");
    s.push_str(&dollar_quote(&body(&r.body)));
    vec![s]
}

/// A package: its schema, then its routines (the spec: the schema only).
pub(crate) fn create_package(pk: &Package) -> Vec<String> {
    let mut out = vec![format!(
        "CREATE SCHEMA IF NOT EXISTS {}",
        ident(pk.name.name())
    )];
    for r in &pk.routines {
        out.extend(create_routine(r));
    }
    out
}

/// An anonymous block: `DO $$ ... $$`.
pub(crate) fn do_block(b: &Block) -> String {
    format!("DO {}", dollar_quote(&body(b)))
}

pub(crate) fn create_trigger(t: &Trigger) -> Vec<String> {
    let fname = t.function.clone().unwrap_or_else(|| t.name.clone());
    let mut text = body(&t.body);
    // Transition tables: named for plpgsql_check, which checks the function alone.
    let option = |which: &str| {
        t.referencing
            .iter()
            .find(|(w, _)| w == which)
            .map(|(_, a)| ident(a))
    };
    let mut opts = Vec::new();
    if let Some(a) = option("OLD TABLE") {
        opts.push(format!("oldtable = {a}"));
    }
    if let Some(a) = option("NEW TABLE") {
        opts.push(format!("newtable = {a}"));
    }
    if !opts.is_empty() {
        text = format!("-- @plpgsql_check_options: {}\n{text}", opts.join(", "));
    }
    let f = format!(
        "CREATE OR REPLACE FUNCTION {}()\nRETURNS trigger\nLANGUAGE plpgsql\nAS {}",
        qname(&fname),
        dollar_quote(&text)
    );
    let timing = match t.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| {
            let k = match e.kind {
                TriggerEventKind::Insert => "INSERT",
                TriggerEventKind::Update => "UPDATE",
                TriggerEventKind::Delete => "DELETE",
            };
            if e.columns.is_empty() {
                k.to_string()
            } else {
                let cols: Vec<String> = e.columns.iter().map(ident).collect();
                format!("{k} OF {}", cols.join(", "))
            }
        })
        .collect();
    let mut tr = format!(
        "CREATE OR REPLACE TRIGGER {}\n    {timing} {} ON {}",
        ident(t.name.name()),
        events.join(" OR "),
        qname(&t.table),
    );
    // Transition tables (`NEW TABLE` / `OLD TABLE`); row aliases are resolved by the pass.
    let tables: Vec<String> = t
        .referencing
        .iter()
        .filter(|(w, _)| w.ends_with(" TABLE"))
        .map(|(w, a)| format!("{w} AS {}", ident(a)))
        .collect();
    if !tables.is_empty() {
        tr.push_str(&format!("\n    REFERENCING {}", tables.join(" ")));
    }
    tr.push_str(&format!(
        "\n    FOR EACH {}",
        if t.for_each_row { "ROW" } else { "STATEMENT" }
    ));
    if let Some(w) = &t.when {
        tr.push_str(&format!("\n    WHEN ({})", expr(w)));
    }
    tr.push_str(&format!("\n    EXECUTE FUNCTION {}()", qname(&fname)));
    let mut out = vec![f, tr];
    if !t.enabled {
        out.push(format!(
            "ALTER TABLE {} DISABLE TRIGGER {}",
            qname(&t.table),
            ident(t.name.name())
        ));
    }
    out
}

fn params(ps: &[Param]) -> String {
    ps.iter()
        .map(|p| {
            let mode = match p.mode {
                ParamMode::In => "",
                ParamMode::Out => "OUT ",
                ParamMode::InOut => "INOUT ",
            };
            let mut s = format!("{mode}{} {}", ident(&p.name), type_ref(&p.ty));
            if let Some(d) = &p.default {
                s.push_str(&format!(" DEFAULT {}", expr(d)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn dollar_quote(body: &str) -> String {
    let mut tag = "$$".to_string();
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$body{n}$");
    }
    format!("{tag}\n{body}\n{tag}")
}

fn body(b: &Block) -> String {
    let mut out = String::from("#variable_conflict use_column\n");
    block(b, 0, &mut out);
    // The outer block ends without `;`.
    if out.ends_with(";\n") {
        out.truncate(out.len() - 2);
    }
    out
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn line(out: &mut String, n: usize, text: &str) {
    for l in text.lines() {
        out.push_str(&pad(n));
        out.push_str(l);
        out.push('\n');
    }
}

fn block(b: &Block, n: usize, out: &mut String) {
    if let Some(l) = &b.label {
        line(out, n, &format!("<<{}>>", ident(l)));
    }
    let decls: Vec<String> = b.decls.iter().filter_map(decl).collect();
    if !decls.is_empty() {
        line(out, n, "DECLARE");
        for d in decls {
            line(out, n + 4, &d);
        }
    }
    line(out, n, "BEGIN");
    stmts(&b.body, n + 4, out);
    if !b.handlers.is_empty() {
        line(out, n, "EXCEPTION");
        for h in &b.handlers {
            line(
                out,
                n + 4,
                &format!("WHEN {} THEN", h.conditions.join(" OR ")),
            );
            stmts(&h.body, n + 8, out);
        }
    }
    match &b.label {
        Some(l) => line(out, n, &format!("END {};", ident(l))),
        None => line(out, n, "END;"),
    }
}

fn decl(d: &Decl) -> Option<String> {
    match d {
        Decl::Var {
            name,
            ty,
            constant,
            not_null,
            default,
            ..
        } => {
            let mut s = ident(name);
            if *constant {
                s.push_str(" CONSTANT");
            }
            s.push(' ');
            s.push_type_ref(ty);
            if *not_null {
                s.push_str(" NOT NULL");
            }
            if let Some(e) = default {
                s.push_str(" := ");
                s.push_str(&expr(e));
            }
            s.push(';');
            Some(s)
        }
        Decl::Exception { .. } | Decl::Pragma { .. } => None,
        Decl::Cursor {
            name,
            params: ps,
            query: q,
            ..
        } => {
            let mut s = format!("{} CURSOR", ident(name));
            if !ps.is_empty() {
                let args: Vec<String> = ps
                    .iter()
                    .map(|p| format!("{} {}", ident(&p.name), type_ref(&p.ty)))
                    .collect();
                s.push_str(&format!(" ({})", args.join(", ")));
            }
            s.push_str(" FOR ");
            s.push_str(&query::query(q, Layout::Inline));
            s.push(';');
            Some(s)
        }
        Decl::TypeDecl { text, .. } => Some(format!("-- {}", text.replace('\n', " "))),
    }
}

fn stmts(ss: &[PlStmt], n: usize, out: &mut String) {
    for s in ss {
        stmt(s, n, out);
    }
}

fn targets(es: &[Expr]) -> String {
    expr_list(es)
}

/// A bound cursor with its arguments (named ones as `name := value`).
fn call_args(name: &QName, args: &[Arg]) -> String {
    if args.is_empty() {
        return qname(name);
    }
    let args: Vec<String> = args
        .iter()
        .map(|a| match &a.name {
            Some(n) => format!("{} := {}", ident(n), expr(&a.value)),
            None => expr(&a.value),
        })
        .collect();
    format!("{}({})", qname(name), args.join(", "))
}

fn stmt(s: &PlStmt, n: usize, out: &mut String) {
    match s {
        PlStmt::Assign { target, value, .. } => line(
            out,
            n,
            &format!("{} := {};", assign_target(target), expr(value)),
        ),
        PlStmt::If {
            branches, else_, ..
        } => {
            for (i, (c, b)) in branches.iter().enumerate() {
                let kw = if i == 0 { "IF" } else { "ELSIF" };
                line(out, n, &format!("{kw} {} THEN", expr(c)));
                stmts(b, n + 4, out);
            }
            if let Some(b) = else_ {
                line(out, n, "ELSE");
                stmts(b, n + 4, out);
            }
            line(out, n, "END IF;");
        }
        PlStmt::Case {
            operand,
            whens,
            else_,
            ..
        } => {
            match operand {
                Some(o) => line(out, n, &format!("CASE {}", expr(o))),
                None => line(out, n, "CASE"),
            }
            for (c, b) in whens {
                line(out, n + 4, &format!("WHEN {} THEN", expr(c)));
                stmts(b, n + 8, out);
            }
            if let Some(b) = else_ {
                line(out, n + 4, "ELSE");
                stmts(b, n + 8, out);
            }
            line(out, n, "END CASE;");
        }
        PlStmt::Loop {
            label, kind, body, ..
        } => {
            if let Some(l) = label {
                line(out, n, &format!("<<{}>>", ident(l)));
            }
            let head = match kind {
                LoopKind::Plain => "LOOP".to_string(),
                LoopKind::While(c) => format!("WHILE {} LOOP", expr(c)),
                LoopKind::Range {
                    var,
                    reverse,
                    low,
                    high,
                } => {
                    if *reverse {
                        format!(
                            "FOR {} IN REVERSE {} .. {} LOOP",
                            ident(var),
                            expr(high),
                            expr(low)
                        )
                    } else {
                        format!("FOR {} IN {} .. {} LOOP", ident(var), expr(low), expr(high))
                    }
                }
                LoopKind::Cursor { var, source } => match source {
                    CursorSource::Query(q) => format!(
                        "FOR {} IN {} LOOP",
                        ident(var),
                        query::query(q, Layout::Inline)
                    ),
                    CursorSource::Named { name, args } => {
                        format!("FOR {} IN {} LOOP", ident(var), call_args(name, args))
                    }
                },
            };
            line(out, n, &head);
            stmts(body, n + 4, out);
            match label {
                Some(l) => line(out, n, &format!("END LOOP {};", ident(l))),
                None => line(out, n, "END LOOP;"),
            }
        }
        PlStmt::Exit {
            continue_,
            label,
            when,
            ..
        } => {
            let mut s = if *continue_ { "CONTINUE" } else { "EXIT" }.to_string();
            if let Some(l) = label {
                s.push(' ');
                s.push_ident(l);
            }
            if let Some(w) = when {
                s.push_str(" WHEN ");
                s.push_str(&expr(w));
            }
            s.push(';');
            line(out, n, &s);
        }
        PlStmt::Goto { label, .. } => line(out, n, &format!("-- GOTO {};", ident(label))),
        PlStmt::Label { label, .. } => line(out, n, &format!("-- <<{}>>", ident(label))),
        PlStmt::Null(_) => line(out, n, "NULL;"),
        PlStmt::Return { value, .. } => match value {
            Some(v) => line(out, n, &format!("RETURN {};", expr(v))),
            None => line(out, n, "RETURN;"),
        },
        PlStmt::Raise {
            name,
            sqlstate,
            condition,
            ..
        } => {
            let s = if let Some(c) = sqlstate {
                format!("RAISE SQLSTATE {};", string_lit(c))
            } else if let Some(c) = condition {
                format!("RAISE {c};")
            } else if let Some(q) = name {
                format!("RAISE {};", qname(q))
            } else {
                "RAISE;".to_string()
            };
            line(out, n, &s);
        }
        PlStmt::RaiseError {
            sqlstate, message, ..
        } => line(
            out,
            n,
            &format!(
                "RAISE EXCEPTION USING ERRCODE = {}, MESSAGE = {};",
                string_lit(sqlstate),
                expr(message)
            ),
        ),
        PlStmt::Notice { value, .. } => {
            line(out, n, &format!("RAISE NOTICE '%', {};", expr(value)))
        }
        PlStmt::SetState { key, value, .. } => line(
            out,
            n,
            &format!(
                "PERFORM set_config({}, CAST({} AS text), false);",
                string_lit(key),
                expr(value)
            ),
        ),
        PlStmt::GetDiagnostics { items, .. } => {
            let items: Vec<String> = items
                .iter()
                .map(|(t, item)| format!("{} = {item}", ident(t)))
                .collect();
            line(
                out,
                n,
                &format!("GET STACKED DIAGNOSTICS {};", items.join(", ")),
            );
        }
        PlStmt::RowCount { target, .. } => line(
            out,
            n,
            &format!("GET DIAGNOSTICS {} = ROW_COUNT;", ident(target)),
        ),
        PlStmt::Call { call, form, .. } => {
            let kw = match form {
                CallForm::Perform => "PERFORM",
                CallForm::Call | CallForm::Unknown => "CALL",
            };
            let c = match call {
                Expr::Call(c) if c.args.is_empty() => format!("{}()", qname(&c.name)),
                e => expr(e),
            };
            line(out, n, &format!("{kw} {c};"));
        }
        PlStmt::SelectInto {
            query: q,
            into,
            strict,
            ..
        } => {
            let strict = if *strict { "STRICT " } else { "" };
            line(
                out,
                n,
                &format!(
                    "{} INTO {strict}{};",
                    query::query(q, Layout::Inline),
                    targets(into)
                ),
            );
        }
        PlStmt::Dml {
            stmt: st,
            returning,
            into,
            ..
        } => {
            let mut s = match st.as_ref() {
                Stmt::Insert(i) => query::insert(i),
                Stmt::Update(u) => query::update(u),
                Stmt::Delete(d) => query::delete(d),
                other => super::print_stmt(other).join(";\n"),
            };
            if !returning.is_empty() {
                s.push_str(&format!(
                    " RETURNING {} INTO {}",
                    expr_list(returning),
                    targets(into)
                ));
            }
            s.push(';');
            line(out, n, &s);
            // A temporary table created in the body: its shape for plpgsql_check, which
            // cannot see tables created at run time (a string statement: no effect).
            if let Stmt::CreateTable(t) = st.as_ref()
                && t.temporary.is_some()
                && t.as_query.is_none()
            {
                let cols: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| format!("{} {}", ident(&c.name), type_ref(&c.ty)))
                    .collect();
                let pragma = format!("PRAGMA:TABLE: {} ({})", qname(&t.name), cols.join(", "));
                line(out, n, &format!("PERFORM {};", string_lit(&pragma)));
            }
        }
        PlStmt::Execute {
            sql,
            into,
            using,
            strict,
            ..
        } => {
            let mut s = format!("EXECUTE {}", expr(sql));
            if !into.is_empty() {
                let strict = if *strict { "STRICT " } else { "" };
                s.push_str(&format!(" INTO {strict}{}", targets(into)));
            }
            if !using.is_empty() {
                s.push_str(&format!(" USING {}", expr_list(using)));
            }
            s.push(';');
            line(out, n, &s);
        }
        PlStmt::Open {
            cursor,
            args,
            for_query,
            for_dynamic,
            using,
            ..
        } => {
            let mut s = format!("OPEN {}", call_args(cursor, args));
            if let Some(q) = for_query {
                s.push_str(" FOR ");
                s.push_str(&query::query(q, Layout::Inline));
            } else if let Some(d) = for_dynamic {
                s.push_str(" FOR EXECUTE ");
                s.push_str(&expr(d));
                if !using.is_empty() {
                    s.push_str(&format!(" USING {}", expr_list(using)));
                }
            }
            s.push(';');
            line(out, n, &s);
        }
        PlStmt::Fetch { cursor, into, .. } => line(
            out,
            n,
            &format!("FETCH {} INTO {};", qname(cursor), targets(into)),
        ),
        PlStmt::Close { cursor, .. } => line(out, n, &format!("CLOSE {};", qname(cursor))),
        PlStmt::Commit(_) => line(out, n, "COMMIT;"),
        // MySQL only (T-SQL BEGIN TRANSACTION); never decided for PostgreSQL.
        PlStmt::StartTransaction(_) => line(out, n, "-- START TRANSACTION (not converted)"),
        PlStmt::Rollback { to, .. } => match to {
            Some(t) => line(out, n, &format!("ROLLBACK TO SAVEPOINT {};", ident(t))),
            None => line(out, n, "ROLLBACK;"),
        },
        PlStmt::Savepoint { name, .. } => line(out, n, &format!("SAVEPOINT {};", ident(name))),
        PlStmt::PipeRow { value, .. } => line(out, n, &format!("RETURN NEXT {};", expr(value))),
        // Lowered to a loop by the plsql pass; never printed as such.
        PlStmt::ForAll { .. } => line(out, n, "-- FORALL (not converted)"),
        PlStmt::Block(b) => block(b, n, out),
        PlStmt::DropTable { name, .. } => {
            line(out, n, &format!("DROP TABLE IF EXISTS {};", qname(name)))
        }
        PlStmt::Truncate { table, .. } => {
            line(out, n, &format!("TRUNCATE TABLE {};", qname(table)))
        }
        PlStmt::ReturnQuery { query: q, .. } => line(
            out,
            n,
            &format!("RETURN QUERY {};", query::query(q, Layout::Inline)),
        ),
    }
}

/// An assignment target: PL/pgSQL writes a field of an array element `a[i].f` (an expression
/// needs `(a[i]).f`).
fn assign_target(e: &Expr) -> String {
    match e {
        Expr::Field { base, field, .. } if matches!(base.as_ref(), Expr::Subscript { .. }) => {
            format!("{}.{}", expr(base), super::ident(field))
        }
        _ => expr(e),
    }
}
