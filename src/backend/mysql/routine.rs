//! MySQL stored programs: procedures, functions, triggers, package routines and anonymous
//! blocks (as temporary procedures).
//!
//! Printing conventions (no decisions: the plsql pass has made them, see
//! `passes::plsql_mysql`):
//! - routines and triggers are preceded by `DROP ... IF EXISTS` (MySQL has no `OR REPLACE`
//!   for them); a function prints the characteristics the pass left in `Routine::options`;
//!   parameters print `[IN | OUT | INOUT] name type` (functions: `name type`), without
//!   defaults (MySQL has none);
//! - a block prints `[label:] BEGIN`, then its declarations in the order MySQL requires:
//!   variables, conditions (exceptions), cursors, handlers; pragmas print nothing, `TYPE`
//!   declarations, `GOTO` and lone labels print as comments (the pass has flagged them);
//! - a handler prints `DECLARE EXIT|CONTINUE HANDLER FOR <conditions> BEGIN ... END`;
//! - `Exit` prints `LEAVE label` / `ITERATE label` (the pass gives every loop a label and
//!   turns `EXIT WHEN` into `IF`); loops print `LOOP` or `WHILE ... DO` (the pass lowers
//!   numeric and cursor `FOR` loops);
//! - `Null` prints the empty compound statement `BEGIN END`; `Raise` without a name prints
//!   `RESIGNAL`; `RaiseError` prints `SIGNAL SQLSTATE ... SET MESSAGE_TEXT = ...[, MYSQL_ERRNO
//!   = n]`; `SetState` prints `SET @key = value`; `RowCount` prints `SET v = ROW_COUNT()`;
//!   `CallForm::Perform` prints `DO f(...)`;
//! - `SELECT ... INTO` prints the INTO clause after the query;
//! - dynamic SQL prints `PREPARE` / `EXECUTE` through user variables;
//! - T-SQL forms: `ReturnQuery` prints the SELECT (a result set of the procedure),
//!   `StartTransaction` `START TRANSACTION`, `DropTable` `DROP TEMPORARY TABLE IF EXISTS`;
//! - a package prints its routines (named by the pass), an anonymous block prints
//!   `CREATE PROCEDURE <label>()`, `CALL`, `DROP PROCEDURE`.

use super::expr::expr;
use super::query::{self, Layout};
use super::{ident, qname, string_lit, type_ref};
use crate::ir::plsql::*;
use crate::ir::{Expr, Stmt};

pub(crate) fn create_routine(r: &Routine) -> Vec<String> {
    let kw = match r.kind {
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Function => "FUNCTION",
    };
    let mut s = format!(
        "CREATE {kw} {}({})",
        qname(&r.name),
        params(&r.params, r.kind == RoutineKind::Function)
    );
    if let Some(t) = &r.returns {
        s.push_str(&format!("\nRETURNS {}", type_ref(t)));
    }
    for o in &r.options {
        s.push('\n');
        s.push_str(o);
    }
    s.push('\n');
    s.push_str(&body(&r.body));
    vec![format!("DROP {kw} IF EXISTS {}", qname(&r.name)), s]
}

/// A package: its routines (a specification alone creates nothing).
pub(crate) fn create_package(pk: &Package) -> Vec<String> {
    let mut out = Vec::new();
    for r in &pk.routines {
        out.extend(create_routine(r));
    }
    out
}

/// An anonymous block: a procedure named by the block's label, called once, then dropped.
pub(crate) fn block_procedure(b: &Block) -> Vec<String> {
    let name = b
        .label
        .as_ref()
        .map(ident)
        .unwrap_or_else(|| "schemac_block".into());
    vec![
        format!("DROP PROCEDURE IF EXISTS {name}"),
        format!("CREATE PROCEDURE {name}()\n{}", body(b)),
        format!("CALL {name}()"),
        format!("DROP PROCEDURE {name}"),
    ]
}

pub(crate) fn create_trigger(t: &Trigger) -> Vec<String> {
    let timing = match t.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let event = t
        .events
        .first()
        .map(|e| match e.kind {
            TriggerEventKind::Insert => "INSERT",
            TriggerEventKind::Update => "UPDATE",
            TriggerEventKind::Delete => "DELETE",
        })
        .unwrap_or("INSERT");
    vec![
        format!("DROP TRIGGER IF EXISTS {}", qname(&t.name)),
        format!(
            "CREATE TRIGGER {}\n    {timing} {event} ON {}\n    FOR EACH ROW\n{}",
            qname(&t.name),
            qname(&t.table),
            body(&t.body)
        ),
    ]
}

/// Whether a statement prints as a compound statement (a body with `;` inside): scripts
/// carry those between `DELIMITER` lines.
pub(crate) fn is_compound(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::CreateRoutine(_) | Stmt::CreateTrigger(_) | Stmt::AnonymousBlock(_) => true,
        Stmt::CreatePackage(pk) => !pk.routines.is_empty(),
        _ => false,
    }
}

fn params(ps: &[Param], function: bool) -> String {
    ps.iter()
        .map(|p| {
            let mode = match (function, p.mode) {
                (true, _) => "",
                (false, ParamMode::In) => "IN ",
                (false, ParamMode::Out) => "OUT ",
                (false, ParamMode::InOut) => "INOUT ",
            };
            format!("{mode}{} {}", ident(&p.name), type_ref(&p.ty))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn body(b: &Block) -> String {
    let mut out = String::new();
    block(b, 0, &mut out);
    // The routine body ends without `;` (the script adds the delimiter).
    while out.ends_with('\n') || out.ends_with(';') {
        out.pop();
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
    match &b.label {
        Some(l) => line(out, n, &format!("{}: BEGIN", ident(l))),
        None => line(out, n, "BEGIN"),
    }
    let order = |d: &Decl| match d {
        Decl::Var { .. } => 0,
        Decl::Exception { .. } => 1,
        Decl::Cursor { .. } => 2,
        Decl::Pragma { .. } | Decl::TypeDecl { .. } => 3,
    };
    let mut decls: Vec<&Decl> = b.decls.iter().collect();
    decls.sort_by_key(|d| order(d));
    for d in decls {
        if let Some(s) = decl(d) {
            line(out, n + 4, &s);
        }
    }
    for h in &b.handlers {
        let kind = if h.continue_ { "CONTINUE" } else { "EXIT" };
        line(
            out,
            n + 4,
            &format!("DECLARE {kind} HANDLER FOR {}", h.conditions.join(", ")),
        );
        line(out, n + 4, "BEGIN");
        stmts(&h.body, n + 8, out);
        line(out, n + 4, "END;");
    }
    stmts(&b.body, n + 4, out);
    match &b.label {
        Some(l) => line(out, n, &format!("END {};", ident(l))),
        None => line(out, n, "END;"),
    }
}

fn decl(d: &Decl) -> Option<String> {
    match d {
        Decl::Var {
            name, ty, default, ..
        } => {
            let mut s = format!("DECLARE {} {}", ident(name), type_ref(ty));
            if let Some(e) = default {
                s.push_str(" DEFAULT ");
                s.push_str(&expr(e));
            }
            s.push(';');
            Some(s)
        }
        Decl::Exception { name, sqlstate, .. } => {
            let s = sqlstate.as_deref()?;
            let cond = if s.len() == 5 {
                format!("SQLSTATE {}", string_lit(s))
            } else {
                s.to_string()
            };
            Some(format!("DECLARE {} CONDITION FOR {cond};", ident(name)))
        }
        Decl::Pragma { .. } => None,
        Decl::Cursor { name, query: q, .. } => Some(format!(
            "DECLARE {} CURSOR FOR {};",
            ident(name),
            query::query(q, Layout::Inline)
        )),
        Decl::TypeDecl { text, .. } => Some(format!("-- {}", text.replace('\n', " "))),
    }
}

fn stmts(ss: &[PlStmt], n: usize, out: &mut String) {
    for s in ss {
        stmt(s, n, out);
    }
}

fn targets(es: &[Expr]) -> String {
    es.iter().map(expr).collect::<Vec<_>>().join(", ")
}

fn stmt(s: &PlStmt, n: usize, out: &mut String) {
    match s {
        PlStmt::Assign { target, value, .. } => {
            line(out, n, &format!("SET {} = {};", expr(target), expr(value)))
        }
        PlStmt::If {
            branches, else_, ..
        } => {
            for (i, (c, b)) in branches.iter().enumerate() {
                let kw = if i == 0 { "IF" } else { "ELSEIF" };
                line(out, n, &format!("{kw} {} THEN", expr(c)));
                body_stmts(b, n + 4, out);
            }
            if let Some(b) = else_ {
                line(out, n, "ELSE");
                body_stmts(b, n + 4, out);
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
                body_stmts(b, n + 8, out);
            }
            if let Some(b) = else_ {
                line(out, n + 4, "ELSE");
                body_stmts(b, n + 8, out);
            }
            line(out, n, "END CASE;");
        }
        PlStmt::Loop {
            label, kind, body, ..
        } => {
            let lbl = label.as_ref().map(|l| format!("{}: ", ident(l)));
            let lbl = lbl.unwrap_or_default();
            let end_lbl = label
                .as_ref()
                .map(|l| format!(" {}", ident(l)))
                .unwrap_or_default();
            match kind {
                LoopKind::While(c) => {
                    line(out, n, &format!("{lbl}WHILE {} DO", expr(c)));
                    body_stmts(body, n + 4, out);
                    line(out, n, &format!("END WHILE{end_lbl};"));
                }
                // Numeric and cursor FOR loops are lowered by the pass; printed as plain
                // loops if one is left (the pass has flagged it).
                _ => {
                    line(out, n, &format!("{lbl}LOOP"));
                    body_stmts(body, n + 4, out);
                    line(out, n, &format!("END LOOP{end_lbl};"));
                }
            }
        }
        PlStmt::Exit {
            continue_,
            label,
            when,
            ..
        } => {
            let kw = if *continue_ { "ITERATE" } else { "LEAVE" };
            let target = label.as_ref().map(ident).unwrap_or_default();
            let s = format!("{kw} {target};");
            match when {
                Some(w) => {
                    line(out, n, &format!("IF {} THEN", expr(w)));
                    line(out, n + 4, &s);
                    line(out, n, "END IF;");
                }
                None => line(out, n, &s),
            }
        }
        PlStmt::Goto { label, .. } => line(out, n, &format!("-- GOTO {};", ident(label))),
        PlStmt::Label { label, .. } => line(out, n, &format!("-- <<{}>>", ident(label))),
        PlStmt::Null(_) => line(out, n, "BEGIN END;"),
        PlStmt::Return { value, .. } => match value {
            Some(v) => line(out, n, &format!("RETURN {};", expr(v))),
            None => line(out, n, "RETURN;"),
        },
        PlStmt::Raise {
            sqlstate,
            condition,
            ..
        } => {
            let s = if let Some(c) = sqlstate {
                format!("SIGNAL SQLSTATE {};", string_lit(c))
            } else if let Some(c) = condition {
                format!("SIGNAL {c};")
            } else {
                "RESIGNAL;".to_string()
            };
            line(out, n, &s);
        }
        PlStmt::RaiseError {
            sqlstate,
            message,
            errno,
            ..
        } => {
            let mut s = format!(
                "SIGNAL SQLSTATE {} SET MESSAGE_TEXT = {}",
                string_lit(sqlstate),
                expr(message)
            );
            if let Some(e) = errno {
                s.push_str(&format!(", MYSQL_ERRNO = {e}"));
            }
            s.push(';');
            line(out, n, &s);
        }
        PlStmt::GetDiagnostics { items, .. } => {
            let items: Vec<String> = items
                .iter()
                .map(|(t, item)| format!("{} = {item}", ident(t)))
                .collect();
            line(
                out,
                n,
                &format!("GET DIAGNOSTICS CONDITION 1 {};", items.join(", ")),
            );
        }
        PlStmt::Notice { value, .. } => line(out, n, &format!("-- DBMS_OUTPUT: {}", expr(value))),
        PlStmt::SetState { key, value, .. } => {
            line(out, n, &format!("SET @{key} = {};", expr(value)))
        }
        PlStmt::RowCount { target, .. } => {
            line(out, n, &format!("SET {} = ROW_COUNT();", ident(target)))
        }
        PlStmt::Call { call, form, .. } => {
            let kw = match form {
                CallForm::Perform => "DO",
                CallForm::Call | CallForm::Unknown => "CALL",
            };
            let c = match call {
                Expr::Call(c) if c.args.is_empty() => format!("{}()", qname(&c.name)),
                e => expr(e),
            };
            line(out, n, &format!("{kw} {c};"));
        }
        PlStmt::SelectInto { query: q, into, .. } => line(
            out,
            n,
            &format!(
                "{} INTO {};",
                query::query(q, Layout::Inline),
                targets(into)
            ),
        ),
        PlStmt::Dml { stmt: st, .. } => {
            let s = match st.as_ref() {
                Stmt::Insert(i) => query::insert(i),
                Stmt::Update(u) => query::update(u),
                Stmt::Delete(d) => query::delete(d),
                other => super::print_stmt(other).join(";\n"),
            };
            line(out, n, &format!("{s};"));
        }
        PlStmt::Execute { sql, using, .. } => {
            line(out, n, &format!("SET @schemac_sql = {};", expr(sql)));
            line(out, n, "PREPARE schemac_stmt FROM @schemac_sql;");
            let mut names = Vec::new();
            for (i, u) in using.iter().enumerate() {
                line(out, n, &format!("SET @schemac_p{} = {};", i + 1, expr(u)));
                names.push(format!("@schemac_p{}", i + 1));
            }
            if names.is_empty() {
                line(out, n, "EXECUTE schemac_stmt;");
            } else {
                line(
                    out,
                    n,
                    &format!("EXECUTE schemac_stmt USING {};", names.join(", ")),
                );
            }
            line(out, n, "DEALLOCATE PREPARE schemac_stmt;");
        }
        PlStmt::Open { cursor, .. } => line(out, n, &format!("OPEN {};", qname(cursor))),
        PlStmt::Fetch { cursor, into, .. } => line(
            out,
            n,
            &format!("FETCH {} INTO {};", qname(cursor), targets(into)),
        ),
        PlStmt::Close { cursor, .. } => line(out, n, &format!("CLOSE {};", qname(cursor))),
        PlStmt::Commit(_) => line(out, n, "COMMIT;"),
        PlStmt::StartTransaction(_) => line(out, n, "START TRANSACTION;"),
        PlStmt::Rollback { to, .. } => match to {
            Some(t) => line(out, n, &format!("ROLLBACK TO SAVEPOINT {};", ident(t))),
            None => line(out, n, "ROLLBACK;"),
        },
        PlStmt::Savepoint { name, .. } => line(out, n, &format!("SAVEPOINT {};", ident(name))),
        PlStmt::PipeRow { value, .. } => line(out, n, &format!("-- PIPE ROW ({});", expr(value))),
        // Lowered to a loop by the plsql pass; never printed as such.
        PlStmt::ForAll { .. } => line(out, n, "-- FORALL (not converted)"),
        // T-SQL forms (temporary tables).
        PlStmt::DropTable { name, .. } => line(
            out,
            n,
            &format!("DROP TEMPORARY TABLE IF EXISTS {};", qname(name)),
        ),
        PlStmt::Truncate { table, .. } => {
            line(out, n, &format!("TRUNCATE TABLE {};", qname(table)))
        }
        // A result set of a procedure (T-SQL): the rows go to the caller.
        PlStmt::ReturnQuery { query: q, .. } => {
            line(out, n, &format!("{};", query::query(q, Layout::Inline)))
        }
        PlStmt::Block(b) => block(b, n, out),
    }
}

/// A statement list of IF/CASE/LOOP: MySQL needs at least one statement there.
fn body_stmts(ss: &[PlStmt], n: usize, out: &mut String) {
    if ss.is_empty() {
        line(out, n, "BEGIN END;");
    } else {
        stmts(ss, n, out);
    }
}
