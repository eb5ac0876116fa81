//! T-SQL and ASE procedures, functions and triggers to PL/pgSQL (Normalized phase, before
//! `functions-tsql` and `types`; T-SQL and ASE sources only). The front end
//! (`frontend::tsql::proc`) gives the PL/SQL procedural IR with T-SQL names; this pass decides
//! the PostgreSQL forms:
//!
//! - variables and parameters: `@x` is `v_x` (locals) or `p_x` (parameters): a prefix keeps
//!   them apart from column names (bodies run with `#variable_conflict use_column`);
//! - `PRINT` -> `RAISE NOTICE`; `RAISERROR` / `THROW` -> `RAISE EXCEPTION` with a stable
//!   SQLSTATE (`U` + the last four digits of the error number, PLS031), or `RAISE NOTICE` for
//!   severities up to 10; `THROW;` -> `RAISE;`;
//! - `@@ROWCOUNT` -> `GET DIAGNOSTICS v_rowcount = ROW_COUNT` just before the statement that
//!   reads it; `@@FETCH_STATUS` / ASE `@@sqlstatus` -> a variable set after each FETCH from
//!   `FOUND`; `@@ERROR` -> 0 (PLS032); `@@IDENTITY`, `SCOPE_IDENTITY()` -> `lastval()`;
//!   `@@TRANCOUNT` -> 1; `ERROR_MESSAGE()` ... inside CATCH -> `SQLERRM` ...;
//! - `EXEC p @a = 1` -> `CALL p(p_a => 1)` (`PERFORM` for functions); `EXEC @rc = p` reads
//!   the procedure's `return_status` INOUT parameter (PLS035); `EXEC (@sql)` and
//!   `sp_executesql` -> `EXECUTE ... USING` (PLS010: the string is T-SQL);
//! - transactions: allowed in procedures (PLS007), dropped inside TRY blocks (the EXCEPTION
//!   block rolls back), `ROLLBACK` in a trigger raises an exception;
//! - `#temp` tables, `##global` ones and table variables -> temporary tables (PLS033);
//! - a SELECT returning rows from a procedure -> `OPEN result_set FOR ...` on an INOUT
//!   refcursor parameter (PLS034);
//! - triggers: statement-level AFTER triggers with transition tables `inserted` and `deleted`,
//!   one trigger per event (PLS036).
//!
//! What is not converted keeps the whole routine commented out under PLS030.
//!
//! For MySQL the child module `plsql_tsql_mysql.rs` decides the stored-program forms, with
//! the T-SQL helpers of this one.

use std::collections::{HashMap, HashSet};

#[path = "plsql_tsql_mysql.rs"]
mod my;

use super::Ctx;
use crate::SourceDialect;
use crate::diag::{Code, Finding};
use crate::frontend::tsql::Flavor;
use crate::ir::plsql::*;
use crate::ir::visit::{VisitMut, walk_expr, walk_pl_stmt};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// What is known about a routine of the input.
#[derive(Clone, Debug)]
struct Sig {
    kind: RoutineKind,
    /// Parameters: target name, mode, type.
    params: Vec<(String, ParamMode, TypeRef)>,
    /// The procedure returns a status (`RETURN n`): an INOUT `return_status` parameter.
    status: bool,
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    if !matches!(ctx.opts.from, SourceDialect::Tsql | SourceDialect::Ase) {
        return;
    }
    let flavor = Flavor::of(ctx.opts.from);
    if ctx.target() == crate::Target::Mysql {
        my::run(module, ctx, flavor);
        return;
    }
    let mut sigs: HashMap<String, Sig> = HashMap::new();
    for o in &module.objects {
        if let Stmt::CreateRoutine(r) = &o.stmt {
            let status = r.kind == RoutineKind::Procedure && returns_value(&r.body.body);
            let params = r
                .params
                .iter()
                .map(|p| (var_name(&p.name.value, "p_"), p.mode, p.ty.clone()))
                .collect();
            sigs.insert(
                key(&r.name),
                Sig {
                    kind: r.kind,
                    params,
                    status,
                },
            );
        }
    }
    // Error functions outside CATCH blocks: CATCH blocks save their error in the session.
    let save_errors = module.objects.iter().any(|o| match &o.stmt {
        Stmt::CreateRoutine(r) => error_fns_outside(&r.body.body),
        Stmt::CreateTrigger(t) => error_fns_outside(&t.body.body),
        _ => false,
    });
    let mut extra = Vec::new();
    let syms = &ctx.symbols;
    for (i, o) in module.objects.iter_mut().enumerate() {
        let mut c = Conv::new(flavor, &sigs);
        c.syms = Some(syms);
        c.save_errors = save_errors;
        if let Some(f) = o
            .findings
            .iter()
            .find(|f| std::ptr::eq(f.code, &codes::TSQL_OUTER_JOIN_COMPLEX))
        {
            let (span, why) = (f.span, f.message.clone());
            c.unsupported(span, &why);
        }
        match &mut o.stmt {
            Stmt::CreateRoutine(r) => c.routine(r),
            Stmt::CreateTrigger(t) => {
                c.trigger(t);
                if !c.failed() {
                    for t2 in split_events(t, &mut c) {
                        let mut o2 = Object::new(
                            o.kind,
                            Some(t2.name.clone()),
                            o.span,
                            Stmt::CreateTrigger(Box::new(t2)),
                        );
                        o2.section = o.section;
                        extra.push((i, o2));
                    }
                }
            }
            _ => continue,
        }
        if c.failed() {
            o.commented_out = true;
            // Later passes must not look into a body that is not converted.
            let what = o.kind.as_str().replace('_', " ").to_uppercase();
            o.stmt = Stmt::Routine(Box::new(RoutineSrc {
                what,
                text: String::new(),
            }));
        }
        super::add_unique(o, c.found);
    }
    // Extra triggers (one per event) right after their first one.
    for (n, (i, o)) in extra.into_iter().enumerate() {
        module.objects.insert(i + 1 + n, o);
    }
}

fn key(q: &QName) -> String {
    q.name().value.to_ascii_lowercase()
}

/// Does a statement list return a value (`RETURN n`) anywhere?
fn returns_value(ss: &[PlStmt]) -> bool {
    ss.iter().any(|s| match s {
        PlStmt::Return { value: Some(_), .. } => true,
        PlStmt::If {
            branches, else_, ..
        } => {
            branches.iter().any(|(_, b)| returns_value(b))
                || else_.as_deref().is_some_and(returns_value)
        }
        PlStmt::Loop { body, .. } => returns_value(body),
        PlStmt::Block(b) => {
            returns_value(&b.body) || b.handlers.iter().any(|h| returns_value(&h.body))
        }
        _ => false,
    })
}

/// A T-SQL variable name as a PL/pgSQL one: `@OrderID` -> `v_OrderID`.
fn var_name(raw: &str, prefix: &str) -> String {
    let base: String = raw
        .trim_start_matches('@')
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}{base}")
}

fn num(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n, _) => n.parse().ok(),
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
            ..
        } => num(expr).map(|v| -v),
        _ => None,
    }
}

/// Class letters of user error numbers 10000-99999 by their first digit (no `X`: PostgreSQL's
/// internal errors).
const ERROR_CLASSES: &str = "QRSTUVWYZ";

/// The SQLSTATE of T-SQL error number `n`: for 10000-99999, a letter for its first digit and
/// its last four digits (50001 is `U0001`, ASE's 20001 is `R0001`); otherwise `U` and the
/// last four digits.
fn sqlstate_of(n: i64) -> String {
    let class = if (10000..100000).contains(&n) {
        ERROR_CLASSES.as_bytes()[(n / 10000 - 1) as usize] as char
    } else {
        'U'
    };
    format!("{class}{:04}", n.rem_euclid(10000))
}

/// A call of a PostgreSQL function (`pg_catalog.name`: later passes leave it alone).
fn call(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    Expr::Call(Box::new(Call {
        name: QName {
            parts: vec![Ident::new("pg_catalog", span), Ident::new(name, span)],
            dblink: None,
        },
        args: args
            .into_iter()
            .map(|value| Arg { name: None, value })
            .collect(),
        distinct: false,
        over: None,
        within_group: Vec::new(),
        span,
    }))
}

fn col(name: &str, span: Span) -> Expr {
    Expr::Column(QName::single(Ident::new(name, span)))
}

fn int_type(span: Span) -> TypeRef {
    TypeRef::new(SourceType {
        name: "INT".into(),
        args: Vec::new(),
        modifier: None,
        span,
    })
}

fn stmt_span(s: &PlStmt) -> Span {
    s.span()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    Procedure,
    Function,
    Trigger,
}

struct Conv<'a> {
    flavor: Flavor,
    syms: Option<&'a super::symbols::Symbols>,
    sigs: &'a HashMap<String, Sig>,
    found: Vec<Finding>,
    /// `@x` (lower case) -> (target name, source type name).
    vars: HashMap<String, (String, String)>,
    kind: Where,
    name: String,
    /// Inside a TRY block / a CATCH block (depth).
    in_try: u32,
    in_catch: u32,
    rowcount: bool,
    fetch_status: bool,
    /// `OPEN result_set FOR ...` parameters added (result sets of a procedure).
    result_sets: usize,
    status: bool,
    temp_tables: HashSet<String>,
    /// CATCH blocks save their error in session settings (see FUN008).
    save_errors: bool,
    /// Variables the pass declares (receivers of OUTPUT parameters the call omits).
    extra_decls: Vec<Decl>,
    /// `SET ROWCOUNT n` in force: the limit of the queries that follow.
    row_limit: Option<Expr>,
    /// The table a multi-statement table-valued function returns (its T-SQL name).
    returned_table: Option<String>,
    /// Variables (T-SQL names, lower case) that may hold a value: parameters and variables
    /// assigned earlier in the body.
    assigned: HashSet<String>,
    loop_depth: u32,
    /// The statement after the current one reads `@@ROWCOUNT`.
    next_reads_rowcount: bool,
    record_declared: bool,
    /// A SQL statement ran before (a trigger's `@@ROWCOUNT` before any is the triggering
    /// statement's).
    sql_seen: bool,
}

impl<'a> Conv<'a> {
    fn new(flavor: Flavor, sigs: &'a HashMap<String, Sig>) -> Conv<'a> {
        Conv {
            flavor,
            syms: None,
            sigs,
            found: Vec::new(),
            vars: HashMap::new(),
            kind: Where::Procedure,
            name: String::new(),
            in_try: 0,
            in_catch: 0,
            rowcount: false,
            fetch_status: false,
            result_sets: 0,
            status: false,
            temp_tables: HashSet::new(),
            save_errors: false,
            extra_decls: Vec::new(),
            row_limit: None,
            returned_table: None,
            assigned: HashSet::new(),
            loop_depth: 0,
            next_reads_rowcount: false,
            record_declared: false,
            sql_seen: false,
        }
    }

    fn flag(&mut self, code: &'static Code, span: Span, args: &[&str]) {
        self.found.push(Finding::new(code, span, args));
    }

    /// A construct that is not converted: the routine stays commented out.
    fn unsupported(&mut self, span: Span, what: &str) {
        self.flag(&codes::TSQL_NOT_CONVERTED, span, &[what]);
    }

    fn failed(&self) -> bool {
        self.found
            .iter()
            .any(|f| std::ptr::eq(f.code, &codes::TSQL_NOT_CONVERTED))
    }

    fn where_(&self) -> String {
        let k = match self.kind {
            Where::Procedure => "procedure",
            Where::Function => "function",
            Where::Trigger => "trigger",
        };
        format!("{k} {}", self.name)
    }

    fn routine(&mut self, r: &mut Routine) {
        self.kind = match r.kind {
            RoutineKind::Procedure => Where::Procedure,
            RoutineKind::Function => Where::Function,
        };
        self.name = r.name.display();
        // A multi-statement table-valued function: the rows of its table are the result.
        let returned = r
            .options
            .iter()
            .find_map(|o| o.strip_prefix("RETURNS TABLE ").map(str::to_string));
        if returned.is_some() {
            let span = r.name.span();
            let mut ty = TypeRef::new(SourceType {
                name: "RECORD".into(),
                args: Vec::new(),
                modifier: None,
                span,
            });
            ty.target = Some("SETOF record".into());
            r.returns = Some(ty);
        }
        self.returned_table = returned.clone();
        // An inline table-valued function: the result columns are those of its query, typed
        // from the tables it reads.
        if r.options.iter().any(|o| o == "RETURNS TABLE") {
            self.inline_table_function(r);
        }
        for p in &mut r.params {
            if p.mode == ParamMode::Out && self.returned_table.is_some() {
                // A column of the result.
                continue;
            }
            let n = var_name(&p.name.value, "p_");
            self.assigned.insert(p.name.value.to_ascii_lowercase());
            self.vars.insert(
                p.name.value.to_ascii_lowercase(),
                (n.clone(), p.ty.source.name.to_ascii_uppercase()),
            );
            p.name = Ident::new(n, p.name.span);
            if r.kind == RoutineKind::Function && p.mode != ParamMode::In {
                let span = p.span;
                self.unsupported(span, "a function with OUTPUT parameters");
            }
        }
        if r.options.iter().any(|o| o == "EXECUTE AS") {
            let span = r.name.span();
            self.unsupported(
                span,
                "EXECUTE AS (use SECURITY DEFINER and check the owner)",
            );
        }
        self.status = self.sigs.get(&key(&r.name)).is_some_and(|s| s.status);
        let span = r.body.span;
        self.block_decls(&mut r.body);
        let body = std::mem::take(&mut r.body.body);
        r.body.body = self.stmts(body);
        if let Some(t) = &returned
            && !matches!(r.body.body.last(), Some(PlStmt::Return { .. }))
        {
            let span = r.body.span;
            r.body.body.push(return_rows(t, span));
            r.body.body.push(PlStmt::Return { value: None, span });
        }
        self.finish(&mut r.body);
        if self.status {
            let name = r.name.display();
            self.flag(&codes::TSQL_RETURN_STATUS, r.name.span(), &[&name]);
            let mut default = Some(Expr::Number("0".into(), span));
            if r.params.iter().any(|p| p.default.is_none()) {
                // Keeps the parameter optional: every earlier one must have a default.
                default = Some(Expr::Number("0".into(), span));
            }
            r.params.push(Param {
                name: Ident::new("return_status", span),
                mode: ParamMode::InOut,
                ty: int_type(span),
                default,
                span,
            });
        }
        for i in 0..self.result_sets {
            let n = if i == 0 {
                "result_set".to_string()
            } else {
                format!("result_set{}", i + 1)
            };
            let mut ty = TypeRef::new(SourceType {
                name: "REFCURSOR".into(),
                args: Vec::new(),
                modifier: None,
                span,
            });
            ty.target = Some("refcursor".into());
            r.params.push(Param {
                name: Ident::new(n, span),
                mode: ParamMode::InOut,
                ty,
                default: Some(Expr::Null(span)),
                span,
            });
        }
        if self.result_sets > 0 {
            let what = format!("procedure {}", r.name.display());
            let how = if self.result_sets == 1 {
                "its rows are returned in the INOUT refcursor parameter result_set (FETCH ALL FROM it in the caller's transaction)".to_string()
            } else {
                format!(
                    "its {} result sets are returned in the INOUT refcursor parameters result_set, result_set2 ... (FETCH ALL FROM them in the caller's transaction)",
                    self.result_sets
                )
            };
            self.flag(&codes::TSQL_RESULT_SET, r.name.span(), &[&what, &how]);
        }
        self.rename(&mut r.body);
        if let Some(t) = &mut r.returns {
            let _ = t;
        }
        if r.kind == RoutineKind::Function {
            // Parameter defaults are renamed too.
        }
        let mut rn = Rename { c: self };
        for p in &mut r.params {
            if let Some(d) = &mut p.default {
                walk_expr(&mut rn, d);
            }
        }
    }

    fn trigger(&mut self, t: &mut Trigger) {
        self.kind = Where::Trigger;
        self.name = t.name.display();
        if t.timing == TriggerTiming::InsteadOf {
            let span = t.name.span();
            self.unsupported(
                span,
                "INSTEAD OF triggers (PostgreSQL has them on views only, FOR EACH ROW)",
            );
            return;
        }
        self.block_decls(&mut t.body);
        let body = std::mem::take(&mut t.body.body);
        t.body.body = self.stmts(body);
        let span = t.body.span;
        t.body.body.push(PlStmt::Return {
            value: Some(Expr::Null(span)),
            span,
        });
        self.finish(&mut t.body);
        self.rename(&mut t.body);
        t.for_each_row = false;
    }

    /// `RETURNS TABLE AS RETURN (query)`: OUT parameters for the query's columns, whose types
    /// come from the columns of the tables it reads; `RETURNS SETOF record`.
    fn inline_table_function(&mut self, r: &mut Routine) {
        let span = r.name.span();
        self.returned_table = Some(String::new());
        let Some(PlStmt::ReturnQuery { query, .. }) = r.body.body.first() else {
            return;
        };
        let SetExpr::Select(s) = &query.body else {
            self.unsupported(span, "an inline table-valued function over a set operation");
            return;
        };
        // (qualifier, table columns) of the FROM list.
        let mut tables: Vec<(String, Vec<(String, SourceType)>)> = Vec::new();
        fn collect(
            t: &TableRef,
            syms: &super::symbols::Symbols,
            out: &mut Vec<(String, Vec<(String, SourceType)>)>,
        ) {
            match t {
                TableRef::Table { name, alias, .. } => {
                    let info = syms.table(name).or_else(|| {
                        let n = name.name().value.to_ascii_lowercase();
                        syms.tables
                            .iter()
                            .find(|(k, _)| k.to_ascii_lowercase() == n)
                            .map(|(_, &i)| &syms.infos[i])
                    });
                    if let Some(info) = info {
                        let q = alias
                            .as_ref()
                            .unwrap_or(name.name())
                            .value
                            .to_ascii_lowercase();
                        out.push((q, info.columns.clone()));
                    }
                }
                TableRef::Join { left, right, .. } => {
                    collect(left, syms, out);
                    collect(right, syms, out);
                }
                _ => {}
            }
        }
        if let Some(syms) = self.syms {
            for f in &s.from {
                collect(f, syms, &mut tables);
            }
        }
        let mut cols: Vec<(Ident, SourceType)> = Vec::new();
        for item in &s.items {
            let found = match item {
                SelectItem::Wildcard(None) if tables.len() == 1 => {
                    for (n, t) in &tables[0].1 {
                        cols.push((Ident::new(n.clone(), span), t.clone()));
                    }
                    continue;
                }
                SelectItem::Expr {
                    expr: Expr::Column(q),
                    alias,
                } if q.parts.len() <= 2 => {
                    let c = q.name().value.to_ascii_lowercase();
                    let qual = (q.parts.len() == 2).then(|| q.parts[0].value.to_ascii_lowercase());
                    let hits: Vec<&SourceType> = tables
                        .iter()
                        .filter(|(t, _)| qual.as_ref().is_none_or(|x| x == t))
                        .flat_map(|(_, cs)| cs.iter())
                        .filter(|(n, _)| n.to_ascii_lowercase() == c)
                        .map(|(_, t)| t)
                        .collect();
                    match hits.as_slice() {
                        [t] => Some((
                            alias.clone().unwrap_or_else(|| q.name().clone()),
                            (*t).clone(),
                        )),
                        _ => None,
                    }
                }
                SelectItem::Expr {
                    expr: Expr::Cast { ty, .. },
                    alias: Some(a),
                } => Some((a.clone(), ty.source.clone())),
                _ => None,
            };
            match found {
                Some(c) => cols.push(c),
                None => {
                    self.unsupported(
                        span,
                        "an inline table-valued function whose result columns are not all columns of the tables it reads (their types are not declared)",
                    );
                    return;
                }
            }
        }
        for (name, ty) in cols {
            r.params.push(Param {
                name,
                mode: ParamMode::Out,
                ty: TypeRef::new(ty),
                default: None,
                span,
            });
        }
        let mut ty = TypeRef::new(SourceType {
            name: "RECORD".into(),
            args: Vec::new(),
            modifier: None,
            span,
        });
        ty.target = Some("SETOF record".into());
        r.returns = Some(ty);
        self.returned_table = Some(String::new());
    }

    /// Declarations of the outer block: variables renamed, table variables recorded.
    fn block_decls(&mut self, b: &mut Block) {
        for d in &mut b.decls {
            if let Decl::Var { name, ty, .. } = d {
                let n = var_name(&name.value, "v_");
                self.vars.insert(
                    name.value.to_ascii_lowercase(),
                    (n.clone(), ty.source.name.to_ascii_uppercase()),
                );
                *name = Ident::new(n, name.span);
            }
        }
    }

    /// Variables the pass needs, declared in the outer block.
    fn finish(&mut self, b: &mut Block) {
        let span = b.span;
        b.decls.append(&mut self.extra_decls);
        if self.rowcount {
            b.decls.push(Decl::Var {
                name: Ident::new("v_rowcount", span),
                ty: int_type(span),
                constant: false,
                not_null: false,
                default: None,
                span,
            });
        }
        if self.fetch_status {
            b.decls.push(Decl::Var {
                name: Ident::new("v_fetch_status", span),
                ty: int_type(span),
                constant: false,
                not_null: false,
                default: Some(Expr::Number("-1".into(), span)),
                span,
            });
        }
    }

    /// Renames variables, globals and temporary tables in the whole body.
    fn rename(&mut self, b: &mut Block) {
        let mut rn = Rename { c: self };
        crate::ir::visit::walk_block(&mut rn, b);
    }

    fn stmts(&mut self, ss: Vec<PlStmt>) -> Vec<PlStmt> {
        let mut out = Vec::with_capacity(ss.len());
        let next_reads: Vec<bool> = (0..ss.len())
            .map(|i| ss.get(i + 1).is_some_and(|n| reads_global(n, "@@ROWCOUNT")))
            .collect();
        for (i, mut s) in ss.into_iter().enumerate() {
            self.next_reads_rowcount = next_reads[i];
            if self.kind == Where::Trigger && !self.sql_seen && reads_global(&s, "@@ROWCOUNT") {
                // The triggering statement's row count: the rows of the transition table.
                rename_global(&mut s, "@@ROWCOUNT", "@@TRIGGER_ROWS");
            }
            if matches!(
                s,
                PlStmt::Dml { .. }
                    | PlStmt::SelectInto { .. }
                    | PlStmt::Execute { .. }
                    | PlStmt::Call { .. }
                    | PlStmt::ReturnQuery { .. }
                    | PlStmt::Fetch { .. }
            ) {
                self.sql_seen = true;
            }
            if reads_global(&s, "@@ROWCOUNT") {
                self.rowcount = true;
                let span = stmt_span(&s);
                out.push(PlStmt::RowCount {
                    target: Ident::new("v_rowcount", span),
                    span,
                });
            }
            let targets: Vec<String> = match &s {
                PlStmt::Assign { target, .. } => vec![target.clone()],
                PlStmt::SelectInto { into, .. } | PlStmt::Fetch { into, .. } => into.clone(),
                _ => Vec::new(),
            }
            .into_iter()
            .filter_map(|e| match e {
                Expr::Param(n, _) => Some(n.to_ascii_lowercase()),
                _ => None,
            })
            .collect();
            self.stmt(s, &mut out);
            self.assigned.extend(targets);
        }
        out
    }

    /// `SELECT @a = x, @b = y FROM ...`: T-SQL assigns the values of the last row, and leaves
    /// the variables alone when there is none; PL/pgSQL's `SELECT INTO` takes the first row
    /// and sets NULL when there is none. SELECT INTO is kept where both agree (one row by
    /// aggregation, or variables still NULL outside loops and no ORDER BY, or a following
    /// `@@ROWCOUNT` test that handles the empty case); elsewhere a FOR loop over the rows
    /// assigns each row in turn, as T-SQL does.
    fn select_assign(
        &mut self,
        query: Box<Query>,
        into: Vec<Expr>,
        span: Span,
        out: &mut Vec<PlStmt>,
    ) {
        let one_row = aggregates_one_row(&query);
        let fresh = into.iter().all(|e| match e {
            Expr::Param(n, _) => !self.assigned.contains(&n.to_ascii_lowercase()),
            _ => false,
        });
        let exact = one_row
            || self.next_reads_rowcount
            || fresh && self.loop_depth == 0 && query.order_by.is_empty();
        if exact {
            out.push(PlStmt::SelectInto {
                query,
                into,
                bulk: false,
                strict: false,
                span,
            });
            return;
        }
        let mut q = *query;
        let SetExpr::Select(s) = &mut q.body else {
            out.push(PlStmt::SelectInto {
                query: Box::new(q),
                into,
                bulk: false,
                strict: false,
                span,
            });
            return;
        };
        let var = Ident::new("r_select", span);
        let mut body = Vec::new();
        for (n, (item, target)) in s.items.iter_mut().zip(into).enumerate() {
            let c = format!("c{}", n + 1);
            if let SelectItem::Expr { alias, .. } = item {
                *alias = Some(Ident::new(c.clone(), span));
            }
            body.push(PlStmt::Assign {
                target,
                value: Expr::Column(QName {
                    parts: vec![var.clone(), Ident::new(c, span)],
                    dblink: None,
                }),
                span,
            });
        }
        if !self.record_declared {
            self.record_declared = true;
            let mut ty = TypeRef::new(SourceType {
                name: "RECORD".into(),
                args: Vec::new(),
                modifier: None,
                span,
            });
            ty.target = Some("record".into());
            self.extra_decls.push(Decl::Var {
                name: var.clone(),
                ty,
                constant: false,
                not_null: false,
                default: None,
                span,
            });
        }
        out.push(PlStmt::Loop {
            label: None,
            kind: LoopKind::Cursor {
                var,
                source: CursorSource::Query(Box::new(q)),
            },
            body,
            span,
        });
    }

    fn stmt(&mut self, mut s: PlStmt, out: &mut Vec<PlStmt>) {
        apply_row_limit(&self.row_limit, &mut s);
        match s {
            PlStmt::If {
                branches,
                else_,
                span,
            } => {
                convert_if(self, branches, else_, span, out);
            }
            PlStmt::SelectInto {
                query, into, span, ..
            } => self.select_assign(query, into, span, out),
            PlStmt::Loop {
                label,
                kind,
                body,
                span,
            } => {
                self.loop_depth += 1;
                let mut body = self.stmts(body);
                self.loop_depth -= 1;
                if let LoopKind::While(c) = &kind
                    && reads_expr(c, "@@ROWCOUNT")
                {
                    body.push(PlStmt::RowCount {
                        target: Ident::new("v_rowcount", span),
                        span,
                    });
                }
                out.push(PlStmt::Loop {
                    label,
                    kind,
                    body,
                    span,
                });
            }
            PlStmt::Block(mut b) => {
                // TRY / CATCH.
                self.in_try += 1;
                let body = std::mem::take(&mut b.body);
                b.body = self.stmts(body);
                self.in_try -= 1;
                self.in_catch += 1;
                for h in &mut b.handlers {
                    h.conditions = vec!["OTHERS".into()];
                    let body = std::mem::take(&mut h.body);
                    h.body = self.stmts(body);
                    crate::ir::visit::walk_pl_stmts(&mut CatchFns, &mut h.body);
                    let writes = h.body.iter().any(|s| {
                        matches!(
                            s,
                            PlStmt::Dml { .. } | PlStmt::Call { .. } | PlStmt::Execute { .. }
                        )
                    });
                    if writes
                        && matches!(
                            h.body.last(),
                            Some(PlStmt::Raise { .. } | PlStmt::RaiseError { .. })
                        )
                    {
                        let w = self.where_();
                        self.flag(
                            &codes::TRANSACTION_CONTROL,
                            h.span,
                            &[
                                "THROW after writes in a CATCH block",
                                &w,
                                "the re-raised error rolls back what the CATCH block wrote (T-SQL keeps it when no transaction is open); log errors from the caller, or after the block",
                            ],
                        );
                    }
                    if self.save_errors {
                        let span = h.span;
                        let mut save = Vec::new();
                        for (k, v) in [
                            ("message", col("SQLERRM", span)),
                            ("number", error_number(span)),
                            ("severity", Expr::Number("16".into(), span)),
                            ("state", Expr::Number("1".into(), span)),
                            ("procedure", Expr::String(self.name.clone(), span)),
                        ] {
                            save.push(PlStmt::SetState {
                                key: format!("schemac.error_{k}"),
                                value: v,
                                span,
                            });
                        }
                        save.append(&mut h.body);
                        h.body = save;
                    }
                }
                self.in_catch -= 1;
                out.push(PlStmt::Block(b));
            }
            PlStmt::Call { call, form, span } => self.call_stmt(call, form, span, out),
            PlStmt::Assign {
                target,
                value,
                span,
            } => {
                // `EXEC @rc = p ...`
                if let Expr::Call(c) = &value
                    && let Some(sig) = self.sigs.get(&key(&c.name))
                    && sig.kind == RoutineKind::Procedure
                {
                    let mut c = (**c).clone();
                    if sig.status {
                        c.args.push(Arg {
                            name: Some(Ident::new("return_status", span)),
                            value: target,
                        });
                    } else {
                        let n = c.name.display();
                        self.unsupported(
                            span,
                            &format!("EXEC @status = {n}: {n} returns no status"),
                        );
                    }
                    self.proc_call(Expr::Call(Box::new(c)), span, out);
                    return;
                }
                out.push(PlStmt::Assign {
                    target,
                    value,
                    span,
                });
            }
            PlStmt::Return { value, span } => match self.kind {
                Where::Procedure => {
                    if let Some(v) = value {
                        out.push(PlStmt::Assign {
                            target: col("return_status", span),
                            value: v,
                            span,
                        });
                    }
                    out.push(PlStmt::Return { value: None, span });
                }
                Where::Trigger => out.push(PlStmt::Return {
                    value: Some(Expr::Null(span)),
                    span,
                }),
                Where::Function => {
                    if let Some(t) = &self.returned_table {
                        out.push(return_rows(t, span));
                    }
                    out.push(PlStmt::Return { value, span })
                }
            },
            PlStmt::ReturnQuery { query, span }
                if self.kind == Where::Function && self.returned_table.is_some() =>
            {
                // The query of an inline table-valued function.
                out.push(PlStmt::ReturnQuery { query, span });
            }
            PlStmt::ReturnQuery { query, span } => {
                if self.kind != Where::Procedure {
                    self.unsupported(
                        span,
                        "a SELECT that returns rows from a function or trigger",
                    );
                    return;
                }
                self.result_sets += 1;
                let n = if self.result_sets == 1 {
                    "result_set".to_string()
                } else {
                    format!("result_set{}", self.result_sets)
                };
                out.push(PlStmt::Open {
                    cursor: QName::single(Ident::new(n, span)),
                    args: Vec::new(),
                    for_query: Some(query),
                    for_dynamic: None,
                    using: Vec::new(),
                    span,
                });
            }
            PlStmt::Execute {
                sql,
                into,
                using,
                strict,
                span,
            } => {
                let what = format!("EXECUTE in {}: the string is T-SQL", self.where_());
                self.flag(&codes::DYNAMIC_SQL, span, &[&what]);
                out.push(PlStmt::Execute {
                    sql,
                    into,
                    using,
                    strict,
                    span,
                });
            }
            PlStmt::Fetch {
                cursor,
                into,
                bulk,
                limit,
                span,
            } => {
                out.push(PlStmt::Fetch {
                    cursor,
                    into,
                    bulk,
                    limit,
                    span,
                });
                self.fetch_status = true;
                let done = match self.flavor {
                    Flavor::Ase => "2",
                    Flavor::SqlServer => "-1",
                };
                out.push(PlStmt::Assign {
                    target: col("v_fetch_status", span),
                    value: Expr::Raw(format!("CASE WHEN FOUND THEN 0 ELSE {done} END"), span),
                    span,
                });
            }
            PlStmt::Dml {
                mut stmt,
                returning,
                into,
                span,
            } => {
                let res = match stmt.as_mut() {
                    Stmt::Update(u) if !u.from.is_empty() => {
                        target_out_of_from(&u.table, &mut u.alias, &mut u.from, &mut u.where_)
                            .map(|t| u.table = t)
                            .map(|_| u.alias.clone().map(|a| (u.table.name().value.clone(), a)))
                    }
                    Stmt::Delete(d) if !d.using.is_empty() => {
                        target_out_of_from(&d.table, &mut d.alias, &mut d.using, &mut d.where_)
                            .map(|t| d.table = t)
                            .map(|_| d.alias.clone().map(|a| (d.table.name().value.clone(), a)))
                    }
                    _ => Ok(None),
                };
                let res = res.map(|requalify| {
                    if let Some((table, alias)) = requalify
                        && !alias.value.eq_ignore_ascii_case(&table)
                    {
                        crate::ir::visit::walk_stmt(&mut Requalify { table, alias }, &mut stmt);
                    }
                });
                if let Err(why) = res {
                    self.unsupported(span, &why);
                    return;
                }
                if let Stmt::CreateTable(t) = stmt.as_ref() {
                    let raw = t.name.name().value.clone();
                    let name = raw.trim_start_matches(['#', '@']).to_string();
                    let why = if raw.starts_with("##") {
                        "a ##global temporary table becomes a session-local temporary table: other sessions do not see it"
                    } else if raw.starts_with('@') {
                        "a table variable becomes a temporary table until the end of the session (its rows are rolled back with the transaction, unlike T-SQL's)"
                    } else {
                        "a #temporary table becomes a temporary table until the end of the session (T-SQL drops it when the procedure ends)"
                    };
                    self.flag(&codes::TSQL_TEMP_TABLE, span, &[&raw, why]);
                    if t.as_query.is_some() {
                        self.flag(
                            &codes::TSQL_TEMP_TABLE_UNCHECKED,
                            span,
                            &[&raw, "its columns come from SELECT ... INTO"],
                        );
                    }
                    if self.temp_tables.insert(name.to_ascii_lowercase()) || raw.starts_with('@') {
                        out.push(PlStmt::DropTable {
                            name: QName::single(Ident::new(raw.clone(), t.name.span())),
                            span,
                        });
                    }
                    if self.kind == Where::Function
                        && self.returned_table.as_deref() != Some(raw.as_str())
                    {
                        self.unsupported(span, "a temporary table in a function");
                    }
                }
                out.push(PlStmt::Dml {
                    stmt,
                    returning,
                    into,
                    span,
                });
            }
            PlStmt::Commit(span) => self.transaction("COMMIT", None, span, out),
            PlStmt::Rollback { to, span } => {
                if let Some(t) = to {
                    self.unsupported(
                        span,
                        &format!(
                            "ROLLBACK TRANSACTION {} (no savepoints in PL/pgSQL)",
                            t.value
                        ),
                    );
                    return;
                }
                self.transaction("ROLLBACK", None, span, out)
            }
            PlStmt::Savepoint { name, span } => {
                if name.value == "BEGIN TRANSACTION" {
                    self.transaction("BEGIN TRANSACTION", None, span, out);
                } else {
                    self.unsupported(span, "SAVE TRANSACTION (no savepoints in PL/pgSQL)");
                }
            }
            PlStmt::Goto { span, .. } | PlStmt::Label { span, .. } => {
                self.unsupported(span, "GOTO and labels");
            }
            s => out.push(s),
        }
    }

    fn transaction(&mut self, what: &str, _to: Option<Ident>, span: Span, out: &mut Vec<PlStmt>) {
        let w = self.where_();
        match self.kind {
            Where::Trigger | Where::Function => {
                if what == "ROLLBACK"
                    && self.kind == Where::Trigger
                    && matches!(out.last(), Some(PlStmt::RaiseError { .. }))
                {
                    // RAISERROR; ROLLBACK: the error already rolls back.
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            what,
                            &w,
                            "the exception raised just before rolls back the triggering statement (and the transaction, unless the caller handles it)",
                        ],
                    );
                } else if what == "ROLLBACK" && self.kind == Where::Trigger {
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            what,
                            &w,
                            "it raises an exception, which rolls back the triggering statement (and the transaction, unless the caller handles it)",
                        ],
                    );
                    out.push(PlStmt::RaiseError {
                        errno: None,
                        sqlstate: "U0000".into(),
                        message: Expr::String(
                            format!("transaction rolled back by trigger {}", self.name),
                            span,
                        ),
                        span,
                    });
                } else {
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            what,
                            &w,
                            "dropped: the work commits with the calling statement",
                        ],
                    );
                }
            }
            Where::Procedure => {
                if self.in_try > 0 || self.in_catch > 0 {
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            what,
                            &w,
                            "dropped inside TRY/CATCH: the EXCEPTION block rolls back the work of its BEGIN part when an error is caught",
                        ],
                    );
                    return;
                }
                if what == "BEGIN TRANSACTION" {
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            what,
                            &w,
                            "dropped: a transaction is always open; COMMIT and ROLLBACK end it and start the next one",
                        ],
                    );
                    return;
                }
                self.flag(
                    &codes::TRANSACTION_CONTROL,
                    span,
                    &[
                        what,
                        &w,
                        "allowed only when the procedure is CALLed outside a transaction block",
                    ],
                );
                out.push(if what == "COMMIT" {
                    PlStmt::Commit(span)
                } else {
                    PlStmt::Rollback { to: None, span }
                });
            }
        }
    }

    fn call_stmt(&mut self, call: Expr, form: CallForm, span: Span, out: &mut Vec<PlStmt>) {
        let Expr::Call(c) = call else {
            out.push(PlStmt::Call { call, form, span });
            return;
        };
        let name = c.name.display().to_ascii_uppercase();
        match name.as_str() {
            "PRINT" => {
                let mut args: Vec<Expr> = c.args.into_iter().map(|a| a.value).collect();
                if args.len() > 1 {
                    // ASE `print "fmt %1!", args`
                    if let Expr::String(s, sp) = &args[0] {
                        args[0] = Expr::String(printf_to_format(s), *sp);
                        out.push(PlStmt::Notice {
                            value: self::call("format", args, span),
                            span,
                        });
                    } else {
                        self.unsupported(span, "PRINT with a computed format and arguments");
                    }
                } else if let Some(value) = args.pop() {
                    out.push(PlStmt::Notice { value, span });
                }
            }
            "RAISERROR" => self.raiserror(*c, span, out),
            "WAITFOR" => {
                let Some(delay) = c.args.into_iter().next().map(|a| a.value) else {
                    return;
                };
                let mut ty = TypeRef::new(SourceType {
                    name: "INTERVAL".into(),
                    args: Vec::new(),
                    modifier: None,
                    span,
                });
                ty.target = Some("interval".into());
                let d = Expr::Cast {
                    expr: Box::new(delay),
                    ty: Box::new(ty),
                    span,
                };
                self.flag(&codes::TSQL_WAITFOR, span, &[]);
                out.push(PlStmt::Call {
                    call: self::call("pg_sleep_for", vec![d], span),
                    form: CallForm::Perform,
                    span,
                });
            }
            "THROW" => {
                if c.args.is_empty() {
                    if self.in_catch == 0 {
                        self.unsupported(span, "THROW without arguments outside a CATCH block");
                    }
                    out.push(PlStmt::Raise {
                        name: None,
                        sqlstate: None,
                        condition: None,
                        span,
                    });
                    return;
                }
                let mut it = c.args.into_iter().map(|a| a.value);
                let n = it.next().expect("three arguments");
                let msg = it.next().expect("three arguments");
                let Some(n) = num(&n) else {
                    self.unsupported(span, "THROW with a computed error number");
                    return;
                };
                let state = sqlstate_of(n);
                self.flag(
                    &codes::TSQL_ERROR_RAISED,
                    span,
                    &[&format!("THROW {n}"), &state],
                );
                out.push(PlStmt::RaiseError {
                    errno: None,
                    sqlstate: state,
                    message: msg,
                    span,
                });
            }
            "SET" => {
                let text = session_option_text(&c);
                match SessionOption::of(&text, span) {
                    SessionOption::Silent | SessionOption::XactAbort => {}
                    SessionOption::RowcountOff => self.row_limit = None,
                    SessionOption::Rowcount(limit) => {
                        let why = SessionOption::rowcount_why(limit.is_some());
                        self.row_limit = limit;
                        self.flag(&codes::TSQL_SESSION_OPTION, span, &[&text, why]);
                    }
                    SessionOption::Other(opt) => {
                        let why = SessionOption::other_why(&opt, "PostgreSQL");
                        self.flag(&codes::TSQL_SESSION_OPTION, span, &[&text, &why]);
                    }
                }
            }
            _ => self.proc_call(Expr::Call(c), span, out),
        }
    }

    fn proc_call(&mut self, call: Expr, span: Span, out: &mut Vec<PlStmt>) {
        let Expr::Call(mut c) = call else {
            return;
        };
        let k = key(&c.name);
        if k.starts_with("xp_") || k.starts_with("sp_") {
            let n = c.name.display();
            self.unsupported(span, &format!("EXEC {n} (a system or extended procedure)"));
            return;
        }
        for a in &mut c.args {
            if let Some(n) = &mut a.name
                && n.value.starts_with('@')
            {
                *n = Ident::new(var_name(&n.value, "p_"), n.span);
            }
        }
        let form = match self.sigs.get(&k) {
            Some(s) if s.kind == RoutineKind::Function => CallForm::Perform,
            _ => CallForm::Call,
        };
        // PL/pgSQL needs a variable for every INOUT parameter of a CALL (T-SQL callers may
        // omit OUTPUT parameters or pass constants).
        if let Some(sig) = self.sigs.get(&k)
            && sig.kind == RoutineKind::Procedure
        {
            let sig = sig.clone();
            let mut params = sig.params.clone();
            if sig.status {
                params.push(("return_status".into(), ParamMode::InOut, int_type(span)));
            }
            for (pname, ty, arg) in output_args(&params, &c.args) {
                let writable = |e: &Expr| {
                    writable_var(e)
                        || matches!(e, Expr::Column(q) if q.parts.len() == 1 && q.name().value == "return_status")
                };
                match arg {
                    Some(j) if writable(&c.args[j].value) => {}
                    Some(j) => {
                        // A constant for an OUTPUT parameter: through a variable.
                        let v = self.receiver(&pname, &ty, span);
                        let value = std::mem::replace(&mut c.args[j].value, v.clone());
                        out.push(PlStmt::Assign {
                            target: v,
                            value,
                            span,
                        });
                    }
                    None => {
                        let v = self.receiver(&pname, &ty, span);
                        c.args.push(Arg {
                            name: Some(Ident::new(pname.clone(), span)),
                            value: v,
                        });
                    }
                }
            }
        }
        if form == CallForm::Call && self.kind != Where::Procedure {
            // Procedures that COMMIT cannot be called from functions; most do not.
        }
        out.push(PlStmt::Call {
            call: Expr::Call(c),
            form,
            span,
        });
    }

    /// A variable receiving an OUTPUT parameter the T-SQL call does not read (a `@...`
    /// name, renamed with the others).
    fn receiver(&mut self, param: &str, ty: &TypeRef, span: Span) -> Expr {
        let (key, name) = receiver_names(param);
        if !self.vars.contains_key(&key) {
            self.vars.insert(
                key.clone(),
                (name.clone(), ty.source.name.to_ascii_uppercase()),
            );
            self.extra_decls
                .push(Decl::var(&name, ty.clone(), None, span));
        }
        Expr::Param(key, span)
    }

    fn raiserror(&mut self, c: Call, span: Span, out: &mut Vec<PlStmt>) {
        let args = match RaiseArgs::of(c) {
            Ok(a) => a,
            Err(why) => {
                self.unsupported(span, why);
                return;
            }
        };
        let (n, sev) = (args.number, args.severity);
        let message = match args.message(|s, fmt_args, sp| {
            let mut args = vec![Expr::String(printf_to_format(s), sp)];
            args.extend(fmt_args);
            call("format", args, sp)
        }) {
            Ok(m) => m,
            Err(why) => {
                self.unsupported(span, &why);
                return;
            }
        };
        if sev <= 10 {
            out.push(PlStmt::Notice {
                value: message,
                span,
            });
            return;
        }
        let state = sqlstate_of(n);
        self.flag(
            &codes::TSQL_ERROR_RAISED,
            span,
            &[&format!("RAISERROR {n}"), &state],
        );
        out.push(PlStmt::RaiseError {
            errno: None,
            sqlstate: state,
            message,
            span,
        });
    }
}

/// T-SQL `UPDATE t ... FROM t JOIN x ON c` (the target repeated in FROM, possibly by its
/// alias) as PostgreSQL's `UPDATE t ... FROM x WHERE c`: the target's occurrence leaves the
/// FROM list, its join condition goes to WHERE. Returns the target's table name.
fn target_out_of_from(
    target: &QName,
    alias: &mut Option<Ident>,
    from: &mut Vec<TableRef>,
    where_: &mut Option<Expr>,
) -> Result<QName, String> {
    let t = target.name().value.to_ascii_lowercase();
    let single = target.parts.len() == 1;
    // The target is an alias of FROM, or else the (only) occurrence of its table.
    let by_alias = |_: &QName, a: &Option<Ident>| {
        a.as_ref()
            .is_some_and(|a| single && a.value.eq_ignore_ascii_case(&t))
    };
    let by_name = |name: &QName, _: &Option<Ident>| name.name().value.eq_ignore_ascii_case(&t);
    // (replacement of the item, join condition, name, alias) when the item holds the target.
    type Found = (Option<TableRef>, Option<Expr>, QName, Option<Ident>);
    fn extract(
        r: &TableRef,
        m: &dyn Fn(&QName, &Option<Ident>) -> bool,
    ) -> Result<Option<Found>, String> {
        match r {
            TableRef::Table { name, alias, .. } if m(name, alias) => {
                Ok(Some((None, None, name.clone(), alias.clone())))
            }
            TableRef::Join {
                left,
                right,
                kind,
                on,
                using,
            } => {
                if !using.is_empty() {
                    return Ok(None);
                }
                for (side, other, is_left) in [(left, right, true), (right, left, false)] {
                    if let Some((rep, cond, name, alias)) = extract(side, m)? {
                        let inner = matches!(kind, JoinKind::Inner | JoinKind::Cross)
                            || (*kind == JoinKind::Left && !is_left)
                            || (*kind == JoinKind::Right && is_left);
                        if !inner {
                            return Err(
                                "UPDATE / DELETE whose target is the preserved side of an outer join in FROM"
                                    .into(),
                            );
                        }
                        let cond = and(cond, on.clone());
                        let rep = match rep {
                            None => (**other).clone(),
                            Some(new_side) => {
                                let (l, r) = if is_left {
                                    (new_side, (**other).clone())
                                } else {
                                    ((**other).clone(), new_side)
                                };
                                TableRef::Join {
                                    left: Box::new(l),
                                    right: Box::new(r),
                                    kind: if matches!(kind, JoinKind::Cross) {
                                        JoinKind::Cross
                                    } else {
                                        JoinKind::Inner
                                    },
                                    on: None,
                                    using: Vec::new(),
                                }
                            }
                        };
                        return Ok(Some((Some(rep), cond, name, alias)));
                    }
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }
    let mut found = None;
    'outer: for m in [
        &by_alias as &dyn Fn(&QName, &Option<Ident>) -> bool,
        &by_name,
    ] {
        for (i, item) in from.iter().enumerate() {
            if let Some(f) = extract(item, m)? {
                found = Some((i, f));
                break 'outer;
            }
        }
    }
    if let Some((i, (rep, cond, name, a))) = found {
        {
            match rep {
                Some(r) => from[i] = r,
                None => {
                    from.remove(i);
                }
            }
            // A join that lost its ON (its condition moved to WHERE) is a cross join.
            for f in from.iter_mut() {
                fix_joins(f);
            }
            *where_ = and(cond, where_.take());
            if a.is_some() {
                *alias = a;
            }
            return Ok(name);
        }
    }
    Ok(target.clone())
}

/// `table.col` -> `alias.col` (the target got the alias of its FROM occurrence).
struct Requalify {
    table: String,
    alias: Ident,
}

impl VisitMut for Requalify {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e
            && q.parts.len() == 2
            && q.parts[0].value.eq_ignore_ascii_case(&self.table)
        {
            q.parts[0] = self.alias.clone();
        }
    }
}

/// Inner joins left without a condition become cross joins.
fn fix_joins(r: &mut TableRef) {
    if let TableRef::Join {
        left,
        right,
        kind,
        on,
        using,
    } = r
    {
        fix_joins(left);
        fix_joins(right);
        if *kind == JoinKind::Inner && on.is_none() && using.is_empty() {
            *kind = JoinKind::Cross;
        }
    }
}

fn and(a: Option<Expr>, b: Option<Expr>) -> Option<Expr> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let span = a.span();
            Some(Expr::Binary {
                op: BinOp::And,
                left: Box::new(a),
                right: Box::new(b),
                span,
            })
        }
        (a, None) => a,
        (None, b) => b,
    }
}

/// `RETURN QUERY SELECT * FROM t` (the rows of a table-valued function's table).
fn return_rows(table: &str, span: Span) -> PlStmt {
    PlStmt::ReturnQuery {
        query: Box::new(Query {
            for_update: None,
            with: Vec::new(),
            recursive: false,
            body: SetExpr::Select(Box::new(Select {
                distinct: false,
                items: vec![SelectItem::Wildcard(None)],
                from: vec![TableRef::Table {
                    name: QName::single(Ident::new(table, span)),
                    alias: None,
                    span,
                }],
                where_: None,
                group_by: Vec::new(),
                having: None,
                connect_by: None,
                span,
            })),
            order_by: Vec::new(),
            limit: None,
            offset: None,
            span,
        }),
        span,
    }
}

/// A RAISERROR format (`%d`, `%s`, `%5.2f`, ASE `%1!`) for `format()` (`%s` only).
fn printf_to_format(s: &str) -> String {
    let b: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '%' {
            if b.get(i + 1) == Some(&'%') {
                out.push_str("%%");
                i += 2;
                continue;
            }
            let mut j = i + 1;
            // ASE: %1!
            if b.get(j).is_some_and(|c| c.is_ascii_digit()) {
                let mut k = j;
                while b.get(k).is_some_and(|c| c.is_ascii_digit()) {
                    k += 1;
                }
                if b.get(k) == Some(&'!') {
                    out.push_str("%s");
                    i = k + 1;
                    continue;
                }
            }
            while b
                .get(j)
                .is_some_and(|c| "-+ #0123456789.lhI".contains(*c) || *c == '*')
            {
                j += 1;
            }
            if b.get(j).is_some_and(|c| "dioxXusScf".contains(*c)) {
                out.push_str("%s");
                i = j + 1;
                continue;
            }
            out.push_str("%%");
            i += 1;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Renames a global in the expressions of a statement itself.
fn rename_global(s: &mut PlStmt, from: &str, to: &str) {
    struct R<'a>(&'a str, &'a str);
    impl VisitMut for R<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Param(n, _) = e
                && n.eq_ignore_ascii_case(self.0)
            {
                *n = self.1.to_string();
            }
        }
    }
    let mut r = R(from, to);
    match s {
        PlStmt::If { branches, .. } => {
            for (c, _) in branches {
                walk_expr(&mut r, c);
            }
        }
        PlStmt::Loop {
            kind: LoopKind::While(c),
            ..
        } => walk_expr(&mut r, c),
        PlStmt::Loop { .. } | PlStmt::Block(_) => {}
        s => walk_pl_stmt(&mut r, s),
    }
}

/// Does an expression read the global `name` (`@@ROWCOUNT`)?
fn reads_expr(e: &Expr, name: &str) -> bool {
    struct F<'a>(&'a str, bool);
    impl VisitMut for F<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Param(n, _) = e
                && n.eq_ignore_ascii_case(self.0)
            {
                self.1 = true;
            }
        }
    }
    let mut f = F(name, false);
    let mut e = e.clone();
    walk_expr(&mut f, &mut e);
    f.1
}

/// Does a statement read the global `name` itself (not in the statements it contains)?
fn reads_global(s: &PlStmt, name: &str) -> bool {
    match s {
        PlStmt::If { branches, .. } => branches.iter().any(|(c, _)| reads_expr(c, name)),
        PlStmt::Loop {
            kind: LoopKind::While(c),
            ..
        } => reads_expr(c, name),
        PlStmt::Loop { .. } | PlStmt::Block(_) => false,
        s => {
            struct F<'a>(&'a str, bool);
            impl VisitMut for F<'_> {
                fn expr(&mut self, e: &mut Expr) {
                    if let Expr::Param(n, _) = e
                        && n.eq_ignore_ascii_case(self.0)
                    {
                        self.1 = true;
                    }
                }
            }
            let mut f = F(name, false);
            let mut s = s.clone();
            walk_pl_stmt(&mut f, &mut s);
            f.1
        }
    }
}

/// One trigger per event: PostgreSQL transition tables need single-event triggers. The first
/// event stays in `t`; the others are returned. In each, the transition table the event does
/// not have is an empty table of the same shape.
fn split_events(t: &mut Trigger, c: &mut Conv) -> Vec<Trigger> {
    let events = std::mem::take(&mut t.events);
    let many = events.len() > 1;
    let base = t.name.clone();
    let orig = t.clone();
    let mut out = Vec::new();
    let mut desc = Vec::new();
    for (i, e) in events.into_iter().enumerate() {
        let mut t2 = orig.clone();
        let suffix = match e.kind {
            TriggerEventKind::Insert => "ins",
            TriggerEventKind::Update => "upd",
            TriggerEventKind::Delete => "del",
        };
        if many && let Some(last) = t2.name.parts.last_mut() {
            last.value = format!("{}_{suffix}", last.value);
        }
        let mut f = t2.name.clone();
        if let Some(last) = f.parts.last_mut() {
            last.value = format!("{}_fn", last.value);
        }
        t2.function = Some(f);
        let span = t2.name.span();
        let (new, old) = match e.kind {
            TriggerEventKind::Insert => (true, false),
            TriggerEventKind::Update => (true, true),
            TriggerEventKind::Delete => (false, true),
        };
        t2.referencing.clear();
        if new {
            t2.referencing
                .push(("NEW TABLE".into(), Ident::new("inserted", span)));
        }
        if old {
            t2.referencing
                .push(("OLD TABLE".into(), Ident::new("deleted", span)));
        }
        // `UPDATE(col)`: true for INSERT; for UPDATE, a change test is not possible per
        // statement: true (flagged).
        let mut ev = EventRewrite {
            table: t2.table.clone(),
            missing: if !new {
                Some("inserted")
            } else if !old {
                Some("deleted")
            } else {
                None
            },
            update_fn: false,
        };
        crate::ir::visit::walk_block(&mut ev, &mut t2.body);
        if let Some(m) = ev.missing {
            empty_in_dml(&mut t2.body.body, m, &t2.table);
        }
        if ev.update_fn && e.kind == TriggerEventKind::Update {
            let n = t2.name.display();
            c.flag(&codes::TSQL_UPDATE_FUNCTION, span, &[&n]);
        }
        t2.events = vec![e];
        desc.push(t2.name.display());
        if i == 0 {
            *t = t2;
        } else {
            out.push(t2);
        }
    }
    let what = if many {
        format!(
            "statement-level AFTER triggers {} with transition tables inserted / deleted (one per event)",
            desc.join(", ")
        )
    } else {
        "a statement-level AFTER trigger with transition tables inserted / deleted".to_string()
    };
    c.flag(
        &codes::TSQL_TRIGGER_TABLES,
        base.span(),
        &[&base.display(), &what],
    );
    out
}

/// In a trigger function for one event: `UPDATE(col)` and the transition table the event
/// does not have.
struct EventRewrite {
    table: QName,
    missing: Option<&'static str>,
    update_fn: bool,
}

impl VisitMut for EventRewrite {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Param(n, span) = e
            && n == "@@TRIGGER_ROWS"
        {
            let t = if self.missing == Some("inserted") {
                "deleted"
            } else {
                "inserted"
            };
            *e = Expr::Raw(format!("(SELECT count(*) FROM {t})"), *span);
            return;
        }
        if let Expr::Call(c) = e
            && c.name.parts.len() == 1
            && c.name.name().value.eq_ignore_ascii_case("UPDATE")
            && c.args.len() == 1
        {
            self.update_fn = true;
            *e = Expr::Bool(self.missing != Some("inserted"), c.span);
        }
    }
    fn enter_select(&mut self, s: &mut Select) {
        let Some(missing) = self.missing else {
            return;
        };
        for f in &mut s.from {
            empty_table(f, missing, &self.table);
        }
    }
}

/// `empty_table` for the FROM lists of UPDATE and DELETE statements.
fn empty_in_dml(ss: &mut [PlStmt], missing: &str, table: &QName) {
    for s in ss {
        match s {
            PlStmt::Dml { stmt, .. } => match stmt.as_mut() {
                Stmt::Update(u) => {
                    for f in &mut u.from {
                        empty_table(f, missing, table);
                    }
                }
                Stmt::Delete(d) => {
                    for f in &mut d.using {
                        empty_table(f, missing, table);
                    }
                }
                _ => {}
            },
            PlStmt::If {
                branches, else_, ..
            } => {
                for (_, b) in branches {
                    empty_in_dml(b, missing, table);
                }
                if let Some(b) = else_ {
                    empty_in_dml(b, missing, table);
                }
            }
            PlStmt::Loop { body, .. } => empty_in_dml(body, missing, table),
            PlStmt::Block(b) => {
                empty_in_dml(&mut b.body, missing, table);
                for h in &mut b.handlers {
                    empty_in_dml(&mut h.body, missing, table);
                }
            }
            _ => {}
        }
    }
}

fn empty_table(f: &mut TableRef, missing: &str, table: &QName) {
    match f {
        TableRef::Table { name, alias, span }
            if name.parts.len() == 1 && name.name().value.eq_ignore_ascii_case(missing) =>
        {
            let span = *span;
            let alias = alias.clone().unwrap_or_else(|| Ident::new(missing, span));
            let q = Query {
                for_update: None,
                with: Vec::new(),
                recursive: false,
                body: SetExpr::Select(Box::new(Select {
                    distinct: false,
                    items: vec![SelectItem::Wildcard(None)],
                    from: vec![TableRef::Table {
                        name: table.clone(),
                        alias: None,
                        span,
                    }],
                    where_: Some(Expr::Bool(false, span)),
                    group_by: Vec::new(),
                    having: None,
                    connect_by: None,
                    span,
                })),
                order_by: Vec::new(),
                limit: None,
                offset: None,
                span,
            };
            *f = TableRef::Subquery {
                query: Box::new(q),
                alias: Some(alias),
                lateral: false,
                span,
            };
        }
        TableRef::Join { left, right, .. } => {
            empty_table(left, missing, table);
            empty_table(right, missing, table);
        }
        _ => {}
    }
}

/// Variables, globals, error functions and temporary table names.
struct Rename<'c, 'a> {
    c: &'c mut Conv<'a>,
}

impl VisitMut for Rename<'_, '_> {
    fn ident(&mut self, i: &mut Ident) {
        if i.value.starts_with('#')
            && !self
                .c
                .temp_tables
                .contains(&i.value.trim_start_matches('#').to_ascii_lowercase())
        {
            let raw = i.value.clone();
            self.c.flag(
                &codes::TSQL_TEMP_TABLE_UNCHECKED,
                i.span,
                &[&raw, "the routine uses this temporary table but does not create it (its caller must)"],
            );
        }
        if i.value.starts_with('#') || i.value.starts_with('@') && !i.value.starts_with("@@") {
            // Temporary tables and table variables.
            i.value = i.value.trim_start_matches(['#', '@']).to_string();
        }
    }
    fn expr(&mut self, e: &mut Expr) {
        let span = e.span();
        match e {
            Expr::Param(n, _) if n.starts_with("@@") => {
                let g = n[2..].to_ascii_uppercase();
                let new = match g.as_str() {
                    // Replaced per trigger event (`split_events`).
                    "TRIGGER_ROWS" => return,
                    "ROWCOUNT" => Some(col("v_rowcount", span)),
                    "FETCH_STATUS" | "SQLSTATUS" => {
                        self.c.fetch_status = true;
                        Some(col("v_fetch_status", span))
                    }
                    "ERROR" => {
                        self.c
                            .flag(&codes::ERROR_STATUS_VARIABLE, span, &["@@ERROR"]);
                        Some(Expr::Number("0".into(), span))
                    }
                    "IDENTITY" => Some(call("lastval", Vec::new(), span)),
                    "TRANCOUNT" => {
                        let w = self.c.where_();
                        self.c.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                "@@TRANCOUNT",
                                &w,
                                "read as 1: PL/pgSQL code always runs in a transaction",
                            ],
                        );
                        Some(Expr::Number("1".into(), span))
                    }
                    "SPID" => Some(call("pg_backend_pid", Vec::new(), span)),
                    "VERSION" => Some(call("version", Vec::new(), span)),
                    "SERVERNAME" => Some(Expr::Raw("current_setting('cluster_name')".into(), span)),
                    _ => None,
                };
                match new {
                    Some(x) => *e = x,
                    None => {
                        let what = format!("the global variable {n}");
                        self.c.unsupported(span, &what);
                    }
                }
            }
            Expr::Column(q)
                if q.parts.len() == 1
                    && !q.parts[0].quoted
                    && matches!(
                        q.parts[0].value.to_ascii_uppercase().as_str(),
                        "CURRENT_USER" | "SESSION_USER" | "SYSTEM_USER"
                    ) =>
            {
                *e = Expr::Raw("current_user".into(), span);
            }
            Expr::Param(n, _) if n.starts_with('@') => {
                match self.c.vars.get(&n.to_ascii_lowercase()) {
                    Some((v, _)) => *e = col(v, span),
                    None => {
                        let what = format!("the undeclared variable {n}");
                        self.c.unsupported(span, &what);
                    }
                }
            }
            Expr::Binary {
                op: op @ BinOp::Add,
                left,
                right,
                span,
            } => {
                // `+` of a character variable: concatenation.
                let text = |x: &Expr| match x {
                    Expr::Column(q) if q.parts.len() == 1 => self
                        .c
                        .vars
                        .values()
                        .any(|(v, t)| v == &q.name().value && is_char_type(t)),
                    _ => false,
                };
                if text(left) || text(right) {
                    match self.c.flavor {
                        Flavor::SqlServer => *op = BinOp::Concat,
                        Flavor::Ase => {
                            let args = vec![(**left).clone(), (**right).clone()];
                            *e = call("concat", args, *span);
                        }
                    }
                }
            }
            Expr::Call(c) if c.name.parts.len() == 1 => {
                let n = c.name.name().value.to_ascii_uppercase();
                match n.as_str() {
                    "SCOPE_IDENTITY" | "IDENT_CURRENT" => *e = call("lastval", Vec::new(), span),
                    "XACT_STATE" if c.args.is_empty() => {
                        let w = self.c.where_();
                        self.c.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                "XACT_STATE()",
                                &w,
                                "read as 1 (a committable transaction): after an EXCEPTION block catches an error, the transaction goes on",
                            ],
                        );
                        *e = Expr::Number("1".into(), span);
                    }
                    "ERROR_MESSAGE" | "ERROR_NUMBER" | "ERROR_SEVERITY" | "ERROR_STATE"
                    | "ERROR_LINE" | "ERROR_PROCEDURE" => {
                        // Those of CATCH blocks are replaced already: the error saved by the
                        // last CATCH block.
                        let k = n["ERROR_".len()..].to_ascii_lowercase();
                        let read = format!("current_setting('schemac.error_{k}', true)");
                        *e = Expr::Raw(
                            match k.as_str() {
                                "message" | "procedure" => read,
                                _ => format!("CAST(nullif({read}, '') AS integer)"),
                            },
                            span,
                        );
                        self.c
                            .flag(&codes::ERROR_FUNCTION_OUTSIDE_CATCH, span, &[&n]);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// `ERROR_NUMBER()` in a handler: the T-SQL number of the SQLSTATEs RAISERROR and THROW
/// raise (`U1000` is 51000, see [`sqlstate_of`]), 50000 otherwise.
fn error_number(span: Span) -> Expr {
    Expr::Raw(
        format!(
            "CASE WHEN SQLSTATE ~ '^[{ERROR_CLASSES}][0-9]{{4}}$' THEN strpos('{ERROR_CLASSES}', left(SQLSTATE, 1)) * 10000 + CAST(substr(SQLSTATE, 2) AS integer) ELSE 50000 END"
        ),
        span,
    )
}

/// Does a body read an error function outside its CATCH blocks?
fn error_fns_outside(ss: &[PlStmt]) -> bool {
    struct F(bool);
    impl VisitMut for F {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Call(c) = e
                && c.name.parts.len() == 1
                && matches!(
                    c.name.name().value.to_ascii_uppercase().as_str(),
                    "ERROR_MESSAGE"
                        | "ERROR_NUMBER"
                        | "ERROR_SEVERITY"
                        | "ERROR_STATE"
                        | "ERROR_LINE"
                        | "ERROR_PROCEDURE"
                )
            {
                self.0 = true;
            }
        }
    }
    ss.iter().any(|s| match s {
        PlStmt::If {
            branches, else_, ..
        } => {
            branches.iter().any(|(c, b)| {
                let mut f = F(false);
                walk_expr(&mut f, &mut c.clone());
                f.0 || error_fns_outside(b)
            }) || else_.as_deref().is_some_and(error_fns_outside)
        }
        PlStmt::Loop { kind, body, .. } => {
            let mut f = F(false);
            if let LoopKind::While(c) = kind {
                walk_expr(&mut f, &mut c.clone());
            }
            f.0 || error_fns_outside(body)
        }
        PlStmt::Block(b) => error_fns_outside(&b.body),
        s => {
            let mut f = F(false);
            walk_pl_stmt(&mut f, &mut s.clone());
            f.0
        }
    })
}

/// `ERROR_MESSAGE()` and the other error functions of a CATCH block.
struct CatchFns;

impl VisitMut for CatchFns {
    fn expr(&mut self, e: &mut Expr) {
        let span = e.span();
        match e {
            Expr::Call(c) if c.name.parts.len() == 1 => {
                let n = c.name.name().value.to_ascii_uppercase();
                let new = match n.as_str() {
                    "ERROR_MESSAGE" => Some(col("SQLERRM", span)),
                    "ERROR_NUMBER" => Some(error_number(span)),
                    "ERROR_SEVERITY" => Some(Expr::Number("16".into(), span)),
                    "ERROR_STATE" => Some(Expr::Number("1".into(), span)),
                    "ERROR_LINE" => Some(Expr::Raw("CAST(NULL AS integer)".into(), span)),
                    "ERROR_PROCEDURE" => Some(Expr::Raw("CAST(NULL AS text)".into(), span)),
                    _ => None,
                };
                if let Some(x) = new {
                    *e = x;
                }
            }
            _ => {}
        }
    }
}

/// An aggregate call, or a constant: a SELECT of only those (without GROUP BY) returns one row.
fn is_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            c.over.is_none()
                && matches!(
                    c.name.name().value.to_ascii_uppercase().as_str(),
                    "COUNT"
                        | "COUNT_BIG"
                        | "SUM"
                        | "MIN"
                        | "MAX"
                        | "AVG"
                        | "STDEV"
                        | "STDEVP"
                        | "VAR"
                        | "VARP"
                        | "STRING_AGG"
                )
        }
        Expr::Number(..) | Expr::String(..) | Expr::NString(..) | Expr::Null(_) => true,
        Expr::Param(n, _) => !n.starts_with("@@"),
        Expr::Binary { left, right, .. } => is_aggregate(left) && is_aggregate(right),
        _ => false,
    }
}

fn is_char_type(t: &str) -> bool {
    matches!(
        t,
        "CHAR"
            | "VARCHAR"
            | "NCHAR"
            | "NVARCHAR"
            | "TEXT"
            | "NTEXT"
            | "SYSNAME"
            | "UNICHAR"
            | "UNIVARCHAR"
    )
}

// ---------------------------------------------------------------------------------------------
// T-SQL forms both targets read the same way (shared with `plsql_tsql_mysql`)
// ---------------------------------------------------------------------------------------------

/// `SET ROWCOUNT n` in force: the limit of the SELECTs (and `SELECT ... INTO #t`) that follow.
fn apply_row_limit(limit: &Option<Expr>, s: &mut PlStmt) {
    let Some(n) = limit else { return };
    let q = match s {
        PlStmt::ReturnQuery { query, .. } | PlStmt::SelectInto { query, .. } => {
            Some(query.as_mut())
        }
        PlStmt::Dml { stmt, .. } => match stmt.as_mut() {
            Stmt::CreateTable(t) => t.as_query.as_deref_mut(),
            _ => None,
        },
        _ => None,
    };
    if let Some(q) = q
        && q.limit.is_none()
    {
        q.limit = Some(n.clone());
    }
}

/// The statement conversion of a T-SQL converter (one per target), for the forms they
/// share.
trait StmtConv {
    fn convert(&mut self, s: PlStmt, out: &mut Vec<PlStmt>);
    fn convert_all(&mut self, ss: Vec<PlStmt>) -> Vec<PlStmt>;
}

impl StmtConv for Conv<'_> {
    fn convert(&mut self, s: PlStmt, out: &mut Vec<PlStmt>) {
        self.stmt(s, out)
    }
    fn convert_all(&mut self, ss: Vec<PlStmt>) -> Vec<PlStmt> {
        self.stmts(ss)
    }
}

/// IF: `IF OBJECT_ID(...) IS NOT NULL DROP TABLE #t` is its DROP TABLEs (run as DROP ... IF
/// EXISTS); an IF whose branches all converted to nothing (`IF @@TRANCOUNT > 0 ROLLBACK` in
/// CATCH, a PRINT) is dropped.
fn convert_if<C: StmtConv>(
    c: &mut C,
    branches: Vec<(Expr, Vec<PlStmt>)>,
    else_: Option<Vec<PlStmt>>,
    span: Span,
    out: &mut Vec<PlStmt>,
) {
    let only_drops = else_.is_none()
        && branches.len() == 1
        && !branches[0].1.is_empty()
        && branches[0]
            .1
            .iter()
            .all(|s| matches!(s, PlStmt::DropTable { .. }));
    if only_drops {
        let (_, b) = branches.into_iter().next().expect("one branch");
        for s in b {
            c.convert(s, out);
        }
        return;
    }
    let branches: Vec<(Expr, Vec<PlStmt>)> = branches
        .into_iter()
        .map(|(cond, b)| (cond, c.convert_all(b)))
        .collect();
    let else_ = else_.map(|b| c.convert_all(b));
    if branches.iter().all(|(_, b)| b.is_empty()) && else_.as_ref().is_none_or(|b| b.is_empty()) {
        return;
    }
    out.push(PlStmt::If {
        branches,
        else_,
        span,
    });
}

/// A SELECT of aggregates only, without GROUP BY: exactly one row.
fn aggregates_one_row(q: &Query) -> bool {
    match &q.body {
        SetExpr::Select(s) => {
            s.group_by.is_empty()
                && s.having.is_none()
                && s.items.iter().all(|i| match i {
                    SelectItem::Expr { expr, .. } => is_aggregate(expr),
                    SelectItem::Wildcard(_) => false,
                })
        }
        _ => false,
    }
}

/// The arguments of a `RAISERROR` call (see `frontend::tsql::proc`).
struct RaiseArgs {
    number: i64,
    severity: i64,
    msg: Option<Expr>,
    fmt_args: Vec<Expr>,
}

impl RaiseArgs {
    fn of(c: Call) -> Result<RaiseArgs, &'static str> {
        let mut msg = None;
        let mut number = None;
        let mut severity = None;
        let mut fmt_args = Vec::new();
        for a in c.args {
            match a.name.as_ref().map(|n| n.value.as_str()) {
                Some("msg") => msg = Some(a.value),
                Some("number") => number = Some(a.value),
                Some("severity") => severity = Some(a.value),
                _ => fmt_args.push(a.value),
            }
        }
        let number = match &number {
            Some(e) => num(e).ok_or("RAISERROR with a computed error number")?,
            None => 50000,
        };
        let severity = match &severity {
            Some(e) => num(e).ok_or("RAISERROR with a computed severity")?,
            None => 16,
        };
        Ok(RaiseArgs {
            number,
            severity,
            msg,
            fmt_args,
        })
    }

    /// The message: a literal (`%%` is `%`), the format applied to its arguments by
    /// `format`, or a computed message without arguments.
    fn message(self, format: impl FnOnce(&str, Vec<Expr>, Span) -> Expr) -> Result<Expr, String> {
        match self.msg {
            Some(Expr::String(s, sp)) | Some(Expr::NString(s, sp)) => {
                if self.fmt_args.is_empty() {
                    Ok(Expr::String(s.replace("%%", "%"), sp))
                } else {
                    Ok(format(&s, self.fmt_args, sp))
                }
            }
            Some(e) if self.fmt_args.is_empty() => Ok(e),
            Some(_) => Err("RAISERROR with a computed format string and arguments".into()),
            None => Err(format!(
                "RAISERROR {} without a message (the text is in sysmessages)",
                self.number
            )),
        }
    }
}

/// The text of a `SET option ...` call (see `frontend::tsql::proc`).
fn session_option_text(c: &Call) -> String {
    match c.args.first().map(|a| &a.value) {
        Some(Expr::String(s, _)) => s.clone(),
        _ => String::new(),
    }
}

/// A session option set in a routine.
enum SessionOption {
    /// Without an effect on the targets' results: dropped silently.
    Silent,
    XactAbort,
    /// `SET ROWCOUNT 0`.
    RowcountOff,
    /// `SET ROWCOUNT n` / `@n`: the limit, when it can be written.
    Rowcount(Option<Expr>),
    /// Any other option (its name).
    Other(String),
}

impl SessionOption {
    fn of(text: &str, span: Span) -> SessionOption {
        let opt = text.split_whitespace().next().unwrap_or("").to_string();
        match opt.as_str() {
            "NOCOUNT"
            | "ANSI_NULLS"
            | "ANSI_WARNINGS"
            | "ANSI_PADDING"
            | "ARITHABORT"
            | "CONCAT_NULL_YIELDS_NULL"
            | "QUOTED_IDENTIFIER"
            | "NUMERIC_ROUNDABORT"
            | "ANSI_DEFAULTS"
            | "FORCEPLAN"
            | "STATISTICS"
            | "FMTONLY"
            | "ARITHIGNORE"
            | "CLOSE"
            | "TEXTSIZE" => SessionOption::Silent,
            "XACT_ABORT" => SessionOption::XactAbort,
            "ROWCOUNT" if text == "ROWCOUNT 0" => SessionOption::RowcountOff,
            "ROWCOUNT" => {
                let n = text["ROWCOUNT".len()..].trim().to_string();
                SessionOption::Rowcount(if let Ok(v) = n.parse::<i64>() {
                    Some(Expr::Number(v.to_string(), span))
                } else if n.starts_with('@') && !n.starts_with("@@") {
                    Some(Expr::Param(n.clone(), span))
                } else {
                    None
                })
            }
            _ => SessionOption::Other(opt),
        }
    }

    fn rowcount_why(limited: bool) -> &'static str {
        if limited {
            "applied as LIMIT to the SELECTs that follow (until SET ROWCOUNT 0); INSERT, UPDATE and DELETE are not limited"
        } else {
            "dropped: the following statements are not limited (add LIMIT where needed)"
        }
    }

    fn other_why(opt: &str, target: &str) -> String {
        match opt {
            "TRANSACTION" => "dropped: set the isolation level with SET TRANSACTION at the start of the caller's transaction".into(),
            _ => format!("dropped: {target}'s defaults apply"),
        }
    }
}

/// The OUTPUT parameters of a procedure and the arguments a call gives them (positional,
/// then named): (parameter, type, argument index).
fn output_args(
    params: &[(String, ParamMode, TypeRef)],
    args: &[Arg],
) -> Vec<(String, TypeRef, Option<usize>)> {
    let positional = args.iter().take_while(|a| a.name.is_none()).count();
    params
        .iter()
        .enumerate()
        .filter(|(_, (_, mode, _))| *mode != ParamMode::In)
        .map(|(i, (pname, _, ty))| {
            let arg = if i < positional {
                Some(i)
            } else {
                args.iter().position(|a| {
                    a.name
                        .as_ref()
                        .is_some_and(|n| n.value.eq_ignore_ascii_case(pname))
                })
            };
            (pname.clone(), ty.clone(), arg)
        })
        .collect()
}

/// A T-SQL variable (`@x`): it can receive an OUTPUT argument.
fn writable_var(e: &Expr) -> bool {
    matches!(e, Expr::Param(n, _) if n.starts_with('@') && !n.starts_with("@@"))
}

/// The key (`@out_x`) and variable (`v_out_x`) of the receiver of OUTPUT parameter `p_x`.
fn receiver_names(param: &str) -> (String, String) {
    let base = param.trim_start_matches("p_");
    (
        format!("@out_{base}").to_ascii_lowercase(),
        format!("v_out_{base}"),
    )
}
