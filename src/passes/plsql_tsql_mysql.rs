//! T-SQL and ASE procedures, functions and triggers to MySQL stored programs: the MySQL side of
//! `plsql_tsql` (a child module, sharing its T-SQL helpers). The forms Oracle code converted
//! to MySQL needs too (loop labels for `LEAVE` / `ITERATE`, EXIT handlers, `GET DIAGNOSTICS`,
//! `SIGNAL` messages of 128 characters, calls made positional with their defaults, function
//! characteristics) come from `plsql::MysqlLowering`, run after this module. Decisions:
//!
//! - variables `@x` are `v_x`, parameters `p_x` (another name when a column has it: in MySQL a
//!   variable hides the column of the same name); `OUTPUT` parameters are `INOUT`;
//!   `RETURN n` sets the INOUT parameter `return_status` (PLS035) and leaves the body, which
//!   `EXEC @rc = p` reads; calls get a variable for every OUTPUT argument;
//! - `SELECT @v = ...`: T-SQL assigns the last row read and leaves the variables alone when
//!   there is none; MySQL's `SELECT ... INTO` also leaves them alone, and reads one row:
//!   `LIMIT 1`, the ORDER BY reversed (the last row comes first); an accumulation over the
//!   rows (`@s = @s + x`) is not converted;
//! - `PRINT` and RAISERROR of severity 10 or less are dropped (PLS052); RAISERROR and THROW
//!   are `SIGNAL` with the SQLSTATE of the PostgreSQL conversion (PLS031) and `MYSQL_ERRNO` =
//!   the error number; a ROLLBACK right after them moves before them (a SIGNAL ends the
//!   routine); TRY / CATCH is a block with an EXIT handler for SQLEXCEPTION, `ERROR_*()` come
//!   from `GET DIAGNOSTICS`, `THROW;` is `RESIGNAL`; a RETURN in a CATCH block sets a flag
//!   and leaves the handler (MySQL handlers cannot leave the blocks around them);
//! - `@@ROWCOUNT` is kept right after the statement it counts (`ROW_COUNT()`, `FOUND_ROWS()`
//!   after a SELECT; PLS053 where MySQL counts otherwise); a statement whose `@@ERROR` the next
//!   one reads runs under a CONTINUE handler that keeps the error number (PLS051);
//!   `@@FETCH_STATUS` / ASE `@@sqlstatus` come from a NOT FOUND handler; `@@IDENTITY` and
//!   `SCOPE_IDENTITY()` are `LAST_INSERT_ID()` (FUN011); `@@TRANCOUNT` and `XACT_STATE()` are
//!   `@@in_transaction` (PLS007);
//! - transactions: `START TRANSACTION`, COMMIT, ROLLBACK and savepoints in procedures (PLS007:
//!   MySQL transactions do not nest); in a trigger, ROLLBACK fails the triggering statement;
//!   `SET XACT_ABORT ON` is an EXIT handler that rolls back and resignals;
//! - `#temp` and `##global` tables and table variables are TEMPORARY tables, those of a
//!   procedure dropped at its end (PLS033); a statement that reads one twice fails on MySQL
//!   (error 1137) and is not converted;
//! - result sets stay SELECTs (MySQL procedures return their rows); `SET ROWCOUNT n` is a
//!   LIMIT; `EXEC (@sql)` and `sp_executesql` are PREPARE / EXECUTE (PLS010); `WAITFOR DELAY`
//!   is `DO SLEEP(n)` (FUN010);
//! - triggers: a MySQL row trigger per event, `inserted` / `deleted` the row's NEW / OLD
//!   values (the values themselves in a query that reads only that table, else a one-row
//!   derived table), where running the body for each row gives what T-SQL gives for the set
//!   (PLS036; PLS048 names what may differ; aggregates over the rows are not converted); an
//!   UPDATE of the changed rows of the trigger's own table becomes assignments to NEW in a
//!   BEFORE trigger (PLS049); `UPDATE(col)` is a change test (PLS050);
//! - table-valued functions are not converted (TGT008).
//!
//! What is not converted keeps the whole routine commented out under PLS030.

use std::collections::{HashMap, HashSet};

use super::super::plsql::MysqlLowering;
use super::super::symbols::{Symbols, TableInfo};
use super::{
    RaiseArgs, Requalify, SessionOption, StmtConv, Where, aggregates_one_row, apply_row_limit, col,
    convert_if, error_fns_outside, int_type, is_char_type, key, num, output_args, reads_expr,
    reads_global, receiver_names, rename_global, returns_value, session_option_text, sqlstate_of,
    target_out_of_from, var_name, writable_var,
};
use crate::diag::{Code, Finding, Severity};
use crate::frontend::tsql::Flavor;
use crate::ir::plsql::*;
use crate::ir::visit::{VisitMut, walk_block, walk_expr, walk_pl_stmts, walk_query, walk_stmt};
use crate::ir::*;
use crate::passes::Ctx;
use crate::rules::codes;
use crate::source::Span;

/// The label of a routine's body (`RETURN` leaves it).
const BODY: &str = "SCHEMAC_BODY";
const ROWCOUNT: &str = "SCHEMAC_ROWCOUNT";
const FETCH_STATUS: &str = "SCHEMAC_FETCH_STATUS";
/// Set by the NOT FOUND handler (the name the lowering uses too).
const NF: &str = "SCHEMAC_NF";
const ERROR: &str = "SCHEMAC_ERROR";
/// A RETURN ran in a CATCH block.
const RETURNED: &str = "SCHEMAC_RETURN";
/// Filled by `GET DIAGNOSTICS` in handlers (the lowering's names).
const ERRM: &str = "SCHEMAC_SQLERRM";
const ERRNO: &str = "SCHEMAC_ERRNO";

/// What is known about a routine of the input.
#[derive(Clone, Debug)]
struct Sig {
    /// The definition's name: calls are written with it.
    name: QName,
    kind: RoutineKind,
    /// (T-SQL name in lower case, target name, mode, type, default).
    params: Vec<(String, String, ParamMode, TypeRef, Option<Expr>)>,
    /// RETURN n: an INOUT `return_status` parameter.
    status: bool,
}

/// What the conversion of every routine needs to know about the input.
struct Input<'a> {
    flavor: Flavor,
    syms: &'a Symbols,
    sigs: HashMap<String, Sig>,
    /// Column names of the input's tables (lower case): variable names avoid them.
    columns: HashSet<String>,
    /// Table names of the input (lower case): temporary tables avoid them.
    tables: HashSet<String>,
    /// Identity and computed columns by table (lower case name).
    identity: HashMap<String, Vec<String>>,
    /// Error functions are read outside CATCH blocks: CATCH blocks save their error.
    save_errors: bool,
}

pub(super) fn run(module: &mut Module, ctx: &mut Ctx, flavor: Flavor) {
    let syms = &ctx.symbols;
    let mut columns = HashSet::new();
    for t in &syms.infos {
        columns.extend(t.columns.iter().map(|(n, _)| n.to_ascii_lowercase()));
    }
    let tables: HashSet<String> = syms
        .tables
        .keys()
        .map(|k| k.rsplit('.').next().unwrap_or(k).to_ascii_lowercase())
        .collect();
    let mut identity = HashMap::new();
    for o in &module.objects {
        if let Stmt::CreateTable(t) = &o.stmt {
            let ids: Vec<String> = t
                .columns
                .iter()
                .filter(|c| c.identity.is_some() || c.generated.is_some())
                .map(|c| c.name.value.clone())
                .collect();
            identity.insert(t.name.name().value.to_ascii_lowercase(), ids);
        }
    }
    let mut sigs = HashMap::new();
    for o in &module.objects {
        if let Stmt::CreateRoutine(r) = &o.stmt {
            let status = r.kind == RoutineKind::Procedure && returns_value(&r.body.body);
            let mut used = HashSet::new();
            let params = r
                .params
                .iter()
                .map(|p| {
                    let n = unique_name(&var_name(&p.name.value, "p_"), &columns, &mut used);
                    (
                        p.name.value.to_ascii_lowercase(),
                        n,
                        p.mode,
                        p.ty.clone(),
                        p.default.clone(),
                    )
                })
                .collect();
            sigs.insert(
                key(&r.name),
                Sig {
                    name: r.name.clone(),
                    kind: r.kind,
                    params,
                    status,
                },
            );
        }
    }
    let save_errors = module.objects.iter().any(|o| match &o.stmt {
        Stmt::CreateRoutine(r) => error_fns_outside(&r.body.body),
        Stmt::CreateTrigger(t) => error_fns_outside(&t.body.body),
        _ => false,
    });
    // The lowering knows the routines by the names calls use, with their target parameters.
    let mut known: Vec<&Sig> = sigs.values().collect();
    known.sort_by_key(|s| s.name.display());
    let lowering = MysqlLowering::new(
        known
            .iter()
            .map(|s| {
                let span = s.name.span();
                let mut ps: Vec<Param> = s
                    .params
                    .iter()
                    .map(|(_, n, mode, ty, default)| Param {
                        name: Ident::new(n.clone(), span),
                        mode: *mode,
                        ty: ty.clone(),
                        default: default.clone(),
                        span,
                    })
                    .collect();
                if s.status {
                    ps.push(status_param(span));
                }
                (s.name.display(), s.kind, ps)
            })
            .collect(),
    );
    let input = Input {
        flavor,
        syms,
        sigs,
        columns,
        tables,
        identity,
        save_errors,
    };
    // Inline table-valued functions without parameters: views (TGT009).
    inline_views(module);
    for o in &mut module.objects {
        // The front end's QRY018 speaks of PostgreSQL.
        for f in &mut o.findings {
            if std::ptr::eq(f.code, &codes::QUERY_HINT_DROPPED) {
                let hint = f
                    .message
                    .split(" is dropped")
                    .next()
                    .unwrap_or("")
                    .to_string();
                *f = Finding::new(&codes::MYSQL_QUERY_HINT_DROPPED, f.span, &[&hint]);
            }
        }
        let pre = o
            .findings
            .iter()
            .find(|f| std::ptr::eq(f.code, &codes::TSQL_OUTER_JOIN_COMPLEX))
            .map(|f| (f.span, f.message.clone()));
        let (found, failed) = match &mut o.stmt {
            Stmt::CreateRoutine(r) => convert_routine(r, &input, &lowering, pre),
            Stmt::CreateTrigger(t) => match convert_trigger(t, &input, &lowering, pre) {
                (found, Some(mut made)) => {
                    let first = made.remove(0);
                    **t = first;
                    o.attached
                        .extend(made.into_iter().map(|t| Stmt::CreateTrigger(Box::new(t))));
                    (found, false)
                }
                (found, None) => (found, true),
            },
            _ => continue,
        };
        if failed {
            o.commented_out = true;
            o.attached.clear();
            // Later passes must not look into a body that is not converted.
            let what = o.kind.as_str().replace('_', " ").to_uppercase();
            o.stmt = Stmt::Routine(Box::new(RoutineSrc {
                what,
                text: String::new(),
            }));
        }
        super::super::add_unique(o, found);
    }
}

/// Inline table-valued functions without parameters become views (their names, lower
/// case); `FROM f()` reads them.
fn inline_views(module: &mut Module) {
    let mut names = HashSet::new();
    for o in &mut module.objects {
        let Stmt::CreateRoutine(r) = &mut o.stmt else {
            continue;
        };
        if !(r.params.is_empty() && r.options.iter().any(|x| x == "RETURNS TABLE")) {
            continue;
        }
        let [PlStmt::ReturnQuery { query, .. }] = r.body.body.as_mut_slice() else {
            continue;
        };
        let query = std::mem::replace(
            query,
            Box::new(Query::select(Vec::new(), Vec::new(), None, r.body.span)),
        );
        let name = r.name.clone();
        let shown = name.display();
        names.insert(key(&name));
        o.stmt = Stmt::CreateView(Box::new(View {
            name,
            or_replace: false,
            force: false,
            columns: Vec::new(),
            query,
            read_only: false,
            check_option: false,
            materialized: false,
        }));
        o.kind = ObjectKind::View;
        let span = o.span;
        o.findings
            .push(Finding::new(&codes::MYSQL_FUNCTION_VIEW, span, &[&shown]));
    }
    if !names.is_empty() {
        for o in &mut module.objects {
            super::super::walk_object(&mut ViewCalls { views: &names }, o);
        }
    }
}

/// `FROM f()` of a function made a view: `FROM f`.
struct ViewCalls<'v> {
    views: &'v HashSet<String>,
}

impl VisitMut for ViewCalls<'_> {
    fn enter_select(&mut self, s: &mut Select) {
        fn fix(t: &mut TableRef, views: &HashSet<String>) {
            match t {
                TableRef::Function { call, alias, span } => {
                    if let Expr::Call(c) = call
                        && c.args.is_empty()
                        && views.contains(&key(&c.name))
                    {
                        *t = TableRef::Table {
                            name: c.name.clone(),
                            alias: alias.clone(),
                            span: *span,
                        };
                    }
                }
                TableRef::Join { left, right, .. } => {
                    fix(left, views);
                    fix(right, views);
                }
                _ => {}
            }
        }
        for f in &mut s.from {
            fix(f, self.views);
        }
    }
}

/// The INOUT `return_status` parameter of a procedure that returns a status.
fn status_param(span: Span) -> Param {
    Param {
        name: Ident::new("return_status", span),
        mode: ParamMode::InOut,
        ty: int_type(span),
        default: None,
        span,
    }
}

/// `base`, or `base_`... when a column (or another variable) has the name.
fn unique_name(base: &str, columns: &HashSet<String>, used: &mut HashSet<String>) -> String {
    let mut n = base.to_string();
    while columns.contains(&n.to_ascii_lowercase()) || used.contains(&n.to_ascii_lowercase()) {
        n.push('_');
    }
    used.insert(n.to_ascii_lowercase());
    n
}

/// A table of the input by name, whatever the case (T-SQL names are case-insensitive).
fn table_info<'s>(syms: &'s Symbols, q: &QName) -> Option<&'s TableInfo> {
    if let Some(t) = syms.table(q) {
        return Some(t);
    }
    let full = q.display().to_ascii_lowercase();
    let name = q.name().value.to_ascii_lowercase();
    let mut hits: Vec<(&String, usize)> = syms
        .tables
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == full || k == name
        })
        .map(|(k, &i)| (k, i))
        .collect();
    hits.sort();
    hits.first().map(|&(_, i)| &syms.infos[i])
}

fn tsql_type(name: &str, args: Vec<Option<i64>>, span: Span) -> TypeRef {
    TypeRef::new(SourceType {
        name: name.into(),
        args,
        modifier: None,
        span,
    })
}

fn number(n: i64, span: Span) -> Expr {
    Expr::Number(n.to_string(), span)
}

fn raw(s: &str, span: Span) -> Expr {
    Expr::Raw(s.to_string(), span)
}

fn leave(label: &str, span: Span) -> PlStmt {
    PlStmt::Exit {
        continue_: false,
        label: Some(Ident::new(label, span)),
        when: None,
        span,
    }
}

/// A column of `NEW` / `OLD`.
fn row_col(row: &str, column: &str, span: Span) -> Expr {
    Expr::Column(QName {
        parts: vec![Ident::new(row, span), Ident::new(column, span)],
        dblink: None,
    })
}

/// The severity of a RAISERROR call statement (16 when not a literal).
fn raiserror_severity(s: &PlStmt) -> Option<i64> {
    let PlStmt::Call {
        call: Expr::Call(c),
        ..
    } = s
    else {
        return None;
    };
    if !c.name.name().value.eq_ignore_ascii_case("RAISERROR") {
        return None;
    }
    Some(
        c.args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.value == "severity"))
            .and_then(|a| num(&a.value))
            .unwrap_or(16),
    )
}

/// Does this statement raise an error (RAISERROR of severity 11 or more, THROW)?
fn raises(s: &PlStmt) -> bool {
    if raiserror_severity(s).is_some_and(|sev| sev > 10) {
        return true;
    }
    matches!(s, PlStmt::Call { call: Expr::Call(c), .. }
        if c.name.name().value.eq_ignore_ascii_case("THROW") && !c.args.is_empty())
}

fn call_named(s: &PlStmt, name: &str) -> bool {
    matches!(s, PlStmt::Call { call: Expr::Call(c), .. } if c.name.name().value.eq_ignore_ascii_case(name))
}

/// What a statement counts for `@@ROWCOUNT`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counted {
    Insert,
    Update,
    Delete,
    /// `SELECT ... INTO #t`.
    CreateAs,
    SelectInto,
    ResultSet,
    Other,
}

fn counted(s: &PlStmt) -> Counted {
    match s {
        PlStmt::Dml { stmt, .. } => match stmt.as_ref() {
            Stmt::Insert(_) => Counted::Insert,
            Stmt::Update(_) => Counted::Update,
            Stmt::Delete(_) => Counted::Delete,
            Stmt::CreateTable(t) if t.as_query.is_some() => Counted::CreateAs,
            _ => Counted::Other,
        },
        PlStmt::SelectInto { .. } => Counted::SelectInto,
        PlStmt::ReturnQuery { .. } => Counted::ResultSet,
        _ => Counted::Other,
    }
}

/// A statement that runs SQL (whose error `@@ERROR` reads).
fn runs_sql(s: &PlStmt) -> bool {
    matches!(
        s,
        PlStmt::Dml { .. }
            | PlStmt::SelectInto { .. }
            | PlStmt::ReturnQuery { .. }
            | PlStmt::Execute { .. }
            | PlStmt::Fetch { .. }
            | PlStmt::Truncate { .. }
    ) || matches!(s, PlStmt::Call { call: Expr::Call(c), .. }
        if !matches!(c.name.name().value.to_ascii_uppercase().as_str(), "PRINT" | "RAISERROR" | "THROW" | "SET" | "WAITFOR"))
}

/// A trigger being converted for one event.
struct TrigCtx {
    event: TriggerEventKind,
    table: QName,
    /// The table's columns (catalog spelling), primary key, and the identity and computed
    /// columns (whose values a BEFORE trigger does not know).
    columns: Vec<String>,
    primary_key: Vec<String>,
    late: Vec<String>,
}

impl TrigCtx {
    /// `NEW` / `OLD` for `inserted` / `deleted`: `Some(None)` when the event has no such rows.
    fn source(&self, name: &str) -> Option<Option<&'static str>> {
        let (row, has) = if name.eq_ignore_ascii_case("inserted") {
            ("NEW", self.event != TriggerEventKind::Delete)
        } else if name.eq_ignore_ascii_case("deleted") {
            ("OLD", self.event != TriggerEventKind::Insert)
        } else {
            return None;
        };
        Some(has.then_some(row))
    }

    fn column(&self, c: &str) -> Option<&String> {
        self.columns.iter().find(|n| n.eq_ignore_ascii_case(c))
    }

    fn is_table(&self, q: &QName) -> bool {
        q.name()
            .value
            .eq_ignore_ascii_case(&self.table.name().value)
            && (q.parts.len() == 1
                || self.table.parts.len() == 1
                || q.display().eq_ignore_ascii_case(&self.table.display()))
    }
}

struct Conv<'a> {
    inp: &'a Input<'a>,
    found: Vec<Finding>,
    /// `@x` (lower case) -> (target name, source type name).
    vars: HashMap<String, (String, String)>,
    used: HashSet<String>,
    kind: Where,
    name: String,
    /// Depth of CATCH bodies around the statement, and their labels.
    catch_labels: Vec<String>,
    /// Loop depth where each enclosing CATCH body starts.
    catch_loops: Vec<u32>,
    loop_depth: u32,
    next_catch: u32,
    rowcount: bool,
    fetch_status: bool,
    error_var: bool,
    returned: bool,
    body_label: bool,
    status: bool,
    /// Temporary tables created here: T-SQL name (lower case) -> target name; and the local
    /// ones to drop at the end.
    temp_tables: HashMap<String, String>,
    temp_local: Vec<String>,
    savepoints: HashSet<String>,
    extra_decls: Vec<Decl>,
    row_limit: Option<Expr>,
    /// Handlers read the error variables (`GET DIAGNOSTICS`).
    diag: bool,
    xact_abort: bool,
    /// The next statement's `@@ERROR` is the one kept in `SCHEMAC_ERROR`.
    error_next: bool,
    /// The last SELECT @v = ... read one row of several.
    last_limited: bool,
    /// The statement before the current one raises an error (RAISERROR, THROW).
    after_raise: bool,
    /// Trigger variables holding the triggering statement's `@@ROWCOUNT` (lower case).
    rowcount_vars: HashSet<String>,
    sql_seen: bool,
    trig: Option<TrigCtx>,
    failed: bool,
}

impl<'a> Conv<'a> {
    fn new(inp: &'a Input<'a>, kind: Where, name: String) -> Conv<'a> {
        Conv {
            inp,
            found: Vec::new(),
            vars: HashMap::new(),
            used: HashSet::new(),
            kind,
            name,
            catch_labels: Vec::new(),
            catch_loops: Vec::new(),
            loop_depth: 0,
            next_catch: 0,
            rowcount: false,
            fetch_status: false,
            error_var: false,
            returned: false,
            body_label: false,
            status: false,
            temp_tables: HashMap::new(),
            temp_local: Vec::new(),
            savepoints: HashSet::new(),
            extra_decls: Vec::new(),
            row_limit: None,
            diag: false,
            xact_abort: false,
            error_next: false,
            last_limited: false,
            after_raise: false,
            rowcount_vars: HashSet::new(),
            sql_seen: false,
            trig: None,
            failed: false,
        }
    }

    fn flag(&mut self, code: &'static Code, span: Span, args: &[&str]) {
        self.found.push(Finding::new(code, span, args));
    }

    /// A construct that is not converted: the routine stays commented out.
    fn unsupported(&mut self, span: Span, what: &str) {
        self.flag(&codes::TSQL_NOT_CONVERTED, span, &[what]);
        self.failed = true;
    }

    fn where_(&self) -> String {
        let k = match self.kind {
            Where::Procedure => "procedure",
            Where::Function => "function",
            Where::Trigger => "trigger",
        };
        format!("{k} {}", self.name)
    }

    fn behaviour(&mut self, span: Span, what: &str, why: &str) {
        self.flag(&codes::MYSQL_BEHAVIOUR, span, &[what, why]);
    }

    // -----------------------------------------------------------------------------------------
    // Routines
    // -----------------------------------------------------------------------------------------

    fn routine(&mut self, r: &mut Routine) {
        let span = r.name.span();
        if r.options
            .iter()
            .any(|o| o == "RETURNS TABLE" || o.starts_with("RETURNS TABLE "))
        {
            let how = if r.params.iter().all(|p| p.mode == ParamMode::Out) {
                "without parameters it can be a view"
            } else {
                "write its query into the callers, or make it a procedure that returns the rows as a result set"
            };
            let n = r.name.display();
            self.flag(&codes::MYSQL_TABLE_FUNCTION, span, &[&n, how]);
            self.failed = true;
            return;
        }
        let mut null_input = false;
        for o in &r.options {
            match o.as_str() {
                "EXECUTE AS" => self.behaviour(
                    span,
                    "EXECUTE AS",
                    "the routine runs with the privileges of its definer (SQL SECURITY DEFINER, the default): create it as the user the clause names",
                ),
                "RETURNS NULL ON NULL INPUT" => null_input = true,
                _ => {}
            }
        }
        let sig = self.inp.sigs.get(&key(&r.name)).cloned();
        for (i, p) in r.params.iter_mut().enumerate() {
            let n = sig
                .as_ref()
                .and_then(|s| s.params.get(i))
                .map(|(_, n, ..)| n.clone())
                .unwrap_or_else(|| var_name(&p.name.value, "p_"));
            self.used.insert(n.to_ascii_lowercase());
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
        self.status = sig.as_ref().is_some_and(|s| s.status);
        self.block_decls(&mut r.body);
        let body = std::mem::take(&mut r.body.body);
        r.body.body = self.stmts(body);
        let bspan = r.body.span;
        if self.status {
            let name = r.name.display();
            self.flag(&codes::TSQL_RETURN_STATUS, span, &[&name]);
            // A procedure that ends without RETURN n returns 0.
            r.body.body.insert(
                0,
                PlStmt::assign(col("return_status", bspan), number(0, bspan), bspan),
            );
            r.params.push(status_param(bspan));
        }
        if null_input && r.kind == RoutineKind::Function && !r.params.is_empty() {
            let test = r
                .params
                .iter()
                .map(|p| Expr::IsNull {
                    expr: Box::new(Expr::Column(QName::single(p.name.clone()))),
                    not: false,
                    span: bspan,
                })
                .reduce(|a, b| Expr::binary(BinOp::Or, a, b, bspan))
                .expect("parameters");
            r.body.body.insert(
                0,
                PlStmt::If {
                    branches: vec![(
                        test,
                        vec![PlStmt::Return {
                            value: Some(Expr::Null(bspan)),
                            span: bspan,
                        }],
                    )],
                    else_: None,
                    span: bspan,
                },
            );
        }
        self.finish(&mut r.body);
        self.rename(&mut r.body);
        r.options = if r.kind == RoutineKind::Function && deterministic(&r.body, self.inp) {
            vec!["DETERMINISTIC".into()]
        } else {
            Vec::new()
        };
    }

    /// A trigger statement that reads the triggering statement's row count (`@@ROWCOUNT`
    /// before any SQL, or a variable set from it) only in a test for none: `SET @n =
    /// @@ROWCOUNT`, `IF @n = 0` (`<> 0`, `> 0`, `>= 1`), which mean the same per row. Other
    /// reads of the variables are refused.
    fn trigger_rows_tested(&mut self, s: &PlStmt) -> bool {
        let mut names: Vec<String> = self.rowcount_vars.iter().cloned().collect();
        names.push("@@rowcount".into());
        match s {
            PlStmt::Assign {
                target: Expr::Param(t, _),
                value: Expr::Param(v, _),
                ..
            } if v.eq_ignore_ascii_case("@@ROWCOUNT") => {
                self.rowcount_vars.insert(t.to_ascii_lowercase());
                true
            }
            PlStmt::If { branches, .. } => branches.iter().all(|(c, _)| zero_tests_only(c, &names)),
            PlStmt::Loop { kind, .. } => match kind {
                LoopKind::While(c) => zero_tests_only(c, &names),
                _ => true,
            },
            PlStmt::Block(_) => true,
            s => {
                let mut r = ParamRefs::default();
                crate::ir::visit::walk_pl_stmt(&mut r, &mut s.clone());
                !r.names.iter().any(|n| names.contains(n))
            }
        }
    }

    fn reopen_fails(&mut self, span: Span, table: &str) {
        self.unsupported(
            span,
            &format!(
                "a statement that reads the temporary table {table} twice (MySQL cannot reopen a temporary table in one statement, error 1137)"
            ),
        );
    }

    /// Declarations of the outer block: variables renamed.
    fn block_decls(&mut self, b: &mut Block) {
        for d in &b.decls {
            if let Decl::Cursor { query, span, .. } = d {
                let mut c = TempRefs::default();
                walk_query(&mut c, &mut query.clone());
                if let Some(t) = c.twice() {
                    self.reopen_fails(*span, &t);
                }
            }
        }
        let columns = &self.inp.columns;
        for d in &mut b.decls {
            if let Decl::Var { name, ty, .. } = d {
                let n = unique_name(&var_name(&name.value, "v_"), columns, &mut self.used);
                self.vars.insert(
                    name.value.to_ascii_lowercase(),
                    (n.clone(), ty.source.name.to_ascii_uppercase()),
                );
                *name = Ident::new(n, name.span);
            }
        }
    }

    /// Variables and handlers the conversion needs, the body label and the temporary tables
    /// dropped at the end.
    fn finish(&mut self, b: &mut Block) {
        let span = b.span;
        let mut decls = std::mem::take(&mut self.extra_decls);
        if self.rowcount {
            decls.push(Decl::var(
                ROWCOUNT,
                tsql_type("INT", Vec::new(), span),
                None,
                span,
            ));
        }
        if self.fetch_status {
            decls.push(Decl::var(
                FETCH_STATUS,
                tsql_type("INT", Vec::new(), span),
                Some(number(-1, span)),
                span,
            ));
            decls.push(Decl::var(
                NF,
                tsql_type("TINYINT", Vec::new(), span),
                Some(number(0, span)),
                span,
            ));
            b.handlers.push(Handler {
                exceptions: Vec::new(),
                conditions: vec!["NOT FOUND".into()],
                body: vec![PlStmt::assign(col(NF, span), number(1, span), span)],
                continue_: true,
                span,
            });
        }
        if self.error_var {
            decls.push(Decl::var(
                ERROR,
                tsql_type("INT", Vec::new(), span),
                Some(number(0, span)),
                span,
            ));
        }
        if self.returned {
            decls.push(Decl::var(
                RETURNED,
                tsql_type("TINYINT", Vec::new(), span),
                Some(number(0, span)),
                span,
            ));
        }
        b.decls.extend(decls);
        if self.xact_abort {
            b.handlers.push(Handler {
                exceptions: vec![QName::single(Ident::new("OTHERS", span))],
                conditions: vec!["SQLEXCEPTION".into()],
                body: vec![
                    PlStmt::Rollback { to: None, span },
                    PlStmt::Raise {
                        name: None,
                        sqlstate: None,
                        condition: None,
                        span,
                    },
                ],
                continue_: false,
                span,
            });
        }
        if !self.temp_local.is_empty() && self.body_label {
            // Leaving the body (RETURN) still drops them.
            let inner = Block {
                label: Some(Ident::new(BODY, span)),
                decls: Vec::new(),
                body: std::mem::take(&mut b.body),
                handlers: Vec::new(),
                span,
            };
            b.body.push(PlStmt::Block(Box::new(inner)));
        } else if self.body_label {
            b.label = Some(Ident::new(BODY, span));
        }
        for t in &self.temp_local {
            b.body.push(PlStmt::DropTable {
                name: QName::single(Ident::new(t.clone(), span)),
                span,
            });
        }
    }

    /// Renames variables, globals, error functions and temporary tables in the whole body.
    fn rename(&mut self, b: &mut Block) {
        let mut rn = Rename { c: self };
        walk_block(&mut rn, b);
    }

    // -----------------------------------------------------------------------------------------
    // Statements
    // -----------------------------------------------------------------------------------------

    fn stmts(&mut self, ss: Vec<PlStmt>) -> Vec<PlStmt> {
        let ss = self.errors_first(ss);
        self.raise_followed(&ss);
        // `SELECT @e = @@ERROR, @r = @@ROWCOUNT` is one statement made into assignments of the
        // same span: what one of them reads, the group reads.
        let mut reads: Vec<(bool, bool)> = ss
            .iter()
            .map(|s| (reads_global(s, "@@ROWCOUNT"), reads_global(s, "@@ERROR")))
            .collect();
        for i in (0..ss.len().saturating_sub(1)).rev() {
            if ss[i].span() == ss[i + 1].span() && matches!(ss[i], PlStmt::Assign { .. }) {
                reads[i].0 |= reads[i + 1].0;
                reads[i].1 |= reads[i + 1].1;
            }
        }
        let spans: Vec<Span> = ss.iter().map(|s| s.span()).collect();
        let mut out = Vec::with_capacity(ss.len());
        let trigger_start = self.kind == Where::Trigger && !self.sql_seen;
        if reads.first().is_some_and(|r| r.0) && !trigger_start {
            // Read before any statement of this list: the count of the statement before.
            let span = ss[0].span();
            self.rowcount = true;
            let what = self.where_();
            self.flag(
                &codes::MYSQL_ROWCOUNT,
                span,
                &[
                    &what,
                    "it is not read right after an INSERT, UPDATE, DELETE or SELECT: ROW_COUNT() counts the statement before",
                ],
            );
            out.push(PlStmt::assign(
                col(ROWCOUNT, span),
                raw("ROW_COUNT()", span),
                span,
            ));
        }
        let n = ss.len();
        let mut error_group: Option<Span> = None;
        for (i, mut s) in ss.into_iter().enumerate() {
            if std::mem::take(&mut self.error_next) {
                error_group = Some(s.span());
            }
            if error_group == Some(s.span()) {
                rename_global(&mut s, "@@ERROR", "@@SCHEMAC_ERROR");
            } else {
                error_group = None;
            }
            let statement_rows =
                self.kind == Where::Trigger && !self.sql_seen && reads_global(&s, "@@ROWCOUNT");
            if !statement_rows && !self.rowcount_vars.is_empty() && !self.trigger_rows_tested(&s) {
                let (n, span) = (self.name.clone(), s.span());
                self.unsupported(
                    span,
                    &format!(
                        "trigger {n} reads the rows of the triggering statement (@@ROWCOUNT) other than to test for none: a MySQL row trigger runs for one row"
                    ),
                );
            }
            if statement_rows {
                // The triggering statement's row count: per row, 1; only a test for no row
                // (which a row trigger never sees) keeps its meaning.
                if !self.trigger_rows_tested(&s) {
                    let (n, span) = (self.name.clone(), s.span());
                    self.unsupported(
                        span,
                        &format!(
                            "trigger {n} reads @@ROWCOUNT, the rows of the triggering statement, other than to test for none: a MySQL row trigger runs for one row"
                        ),
                    );
                }
                rename_global(&mut s, "@@ROWCOUNT", "@@TRIGGER_ROWS");
            }
            // The next statement reads what this one leaves (not the rest of its own group).
            let (next_rc, next_err) = if i + 1 < n && spans[i + 1] != spans[i] {
                reads[i + 1]
            } else {
                (false, false)
            };
            let what = counted(&s);
            let sql = runs_sql(&s);
            let span = s.span();
            let raising = raises(&s);
            let mut produced = Vec::new();
            self.last_limited = false;
            self.stmt(s, &mut produced);
            self.after_raise = raising;
            if sql {
                self.sql_seen = true;
            }
            if next_rc {
                let f = self.count_fn(what, span);
                self.rowcount = true;
                produced.push(PlStmt::assign(col(ROWCOUNT, span), f, span));
            }
            if next_err && sql && !produced.is_empty() {
                self.error_var = true;
                self.error_next = true;
                let what = self.where_();
                self.flag(
                    &codes::MYSQL_ERROR_STATUS,
                    span,
                    &[
                        &what,
                        "the statement before it runs under a CONTINUE handler that keeps the MySQL error number: the routine goes on after an error, as in T-SQL, and the error is not sent to the caller",
                    ],
                );
                let mut body = vec![PlStmt::assign(col(ERROR, span), number(0, span), span)];
                body.append(&mut produced);
                produced.push(PlStmt::Block(Box::new(Block {
                    label: None,
                    decls: Vec::new(),
                    body,
                    handlers: vec![Handler {
                        exceptions: Vec::new(),
                        conditions: vec!["SQLEXCEPTION".into()],
                        body: vec![PlStmt::GetDiagnostics {
                            items: vec![(Ident::new(ERROR, span), "MYSQL_ERRNO".into())],
                            span,
                        }],
                        continue_: true,
                        span,
                    }],
                    span,
                })));
            }
            out.extend(produced);
        }
        out
    }

    /// In procedures, a ROLLBACK right after RAISERROR / THROW runs before it (the SIGNAL
    /// ends the routine).
    fn errors_first(&mut self, mut ss: Vec<PlStmt>) -> Vec<PlStmt> {
        if self.kind != Where::Procedure {
            return ss;
        }
        let mut i = 0;
        while i + 1 < ss.len() {
            if raises(&ss[i]) && matches!(ss[i + 1], PlStmt::Rollback { to: None, .. }) {
                ss.swap(i, i + 1);
                i += 1;
            }
            i += 1;
        }
        ss
    }

    /// RAISERROR goes on with the statements after it (and in a trigger, keeps the change
    /// unless a ROLLBACK follows); a SIGNAL ends the routine and fails the statement.
    fn raise_followed(&mut self, ss: &[PlStmt]) {
        for (i, s) in ss.iter().enumerate() {
            if raiserror_severity(s).is_none_or(|sev| sev <= 10) {
                continue;
            }
            let rest = &ss[i + 1..];
            let w = format!("RAISERROR in {}", self.where_());
            if rest.iter().any(|x| {
                !matches!(
                    x,
                    PlStmt::Rollback { .. } | PlStmt::Return { .. } | PlStmt::Exit { .. }
                ) && !call_named(x, "PRINT")
            }) {
                self.behaviour(
                    s.span(),
                    &w,
                    "the SIGNAL ends the routine: the statements after it do not run (T-SQL runs them)",
                );
            }
            if self.kind == Where::Trigger
                && !rest.iter().any(|x| matches!(x, PlStmt::Rollback { .. }))
            {
                self.behaviour(
                    s.span(),
                    &w,
                    "the SIGNAL fails the triggering statement; T-SQL keeps the change when no ROLLBACK follows",
                );
            }
        }
    }

    /// The value of `@@ROWCOUNT` after a statement of this kind.
    fn count_fn(&mut self, what: Counted, span: Span) -> Expr {
        let w = self.where_();
        match what {
            Counted::Insert | Counted::Delete | Counted::CreateAs => raw("ROW_COUNT()", span),
            Counted::Update => {
                self.flag(
                    &codes::MYSQL_ROWCOUNT,
                    span,
                    &[
                        &w,
                        "after an UPDATE it is MySQL's ROW_COUNT(), the rows whose values changed (T-SQL counts the rows matched, changed or not)",
                    ],
                );
                raw("ROW_COUNT()", span)
            }
            Counted::SelectInto | Counted::ResultSet => {
                if self.last_limited {
                    self.flag(
                        &codes::MYSQL_ROWCOUNT,
                        span,
                        &[
                            &w,
                            "after SELECT @v = ... it is 0 or 1 (MySQL reads one row; T-SQL counts every row the query returns)",
                        ],
                    );
                }
                raw("FOUND_ROWS()", span)
            }
            Counted::Other => {
                self.flag(
                    &codes::MYSQL_ROWCOUNT,
                    span,
                    &[
                        &w,
                        "it is not read right after an INSERT, UPDATE, DELETE or SELECT: ROW_COUNT() counts the statement before",
                    ],
                );
                raw("ROW_COUNT()", span)
            }
        }
    }

    fn stmt(&mut self, mut s: PlStmt, out: &mut Vec<PlStmt>) {
        if let Some(t) = reopened(&s) {
            let span = s.span();
            self.reopen_fails(span, &t);
            return;
        }
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
                    // The condition is tested again after the last statement of the body.
                    let what = match body.last() {
                        Some(last) => counted(last),
                        None => Counted::Other,
                    };
                    let f = self.count_fn(what, span);
                    self.rowcount = true;
                    body.push(PlStmt::assign(col(ROWCOUNT, span), f, span));
                }
                out.push(PlStmt::Loop {
                    label,
                    kind,
                    body,
                    span,
                });
            }
            PlStmt::Block(b) => self.try_catch(*b, out),
            PlStmt::Call { call, span, .. } => self.call_stmt(call, span, out),
            PlStmt::Assign {
                target,
                value,
                span,
            } => {
                // `EXEC @rc = p ...`
                if let Expr::Call(c) = &value
                    && self.inp.sigs.contains_key(&key(&c.name))
                    && self.inp.sigs[&key(&c.name)].kind == RoutineKind::Procedure
                {
                    let c = (**c).clone();
                    self.proc_call(c, Some(target), span, out);
                    return;
                }
                out.push(PlStmt::assign(target, value, span));
            }
            PlStmt::Return { value, span } => self.return_(value, span, out),
            PlStmt::ReturnQuery { query, span } => {
                if self.kind != Where::Procedure {
                    self.unsupported(
                        span,
                        "a SELECT that returns rows from a function or trigger (MySQL allows result sets in procedures only)",
                    );
                    return;
                }
                out.push(PlStmt::ReturnQuery { query, span });
            }
            PlStmt::Execute {
                sql,
                into,
                using,
                strict,
                span,
            } => {
                if self.kind != Where::Procedure {
                    self.unsupported(
                        span,
                        "dynamic SQL in a function or trigger (MySQL runs PREPARE in procedures only)",
                    );
                    return;
                }
                let what = format!(
                    "PREPARE / EXECUTE in {}: the string is T-SQL",
                    self.where_()
                );
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
                if into.is_empty() {
                    self.unsupported(span, "FETCH without INTO (a row returned to the caller)");
                    return;
                }
                self.fetch_status = true;
                out.push(PlStmt::assign(col(NF, span), number(0, span), span));
                out.push(PlStmt::Fetch {
                    cursor,
                    into,
                    bulk,
                    limit,
                    span,
                });
                let done = match self.inp.flavor {
                    Flavor::Ase => 2,
                    Flavor::SqlServer => -1,
                };
                let status = Expr::Case(Box::new(Case {
                    operand: None,
                    whens: vec![(
                        Expr::binary(BinOp::Eq, col(NF, span), number(1, span), span),
                        number(done, span),
                    )],
                    else_: Some(number(0, span)),
                    span,
                }));
                out.push(PlStmt::assign(col(FETCH_STATUS, span), status, span));
            }
            PlStmt::Dml {
                stmt,
                returning,
                into,
                span,
            } => self.dml(stmt, returning, into, span, out),
            PlStmt::Commit(span) => self.transaction("COMMIT", span, out),
            PlStmt::Rollback { to, span } => match to {
                Some(t) if self.savepoints.contains(&t.value.to_ascii_lowercase()) => {
                    if self.kind != Where::Procedure {
                        self.unsupported(span, "ROLLBACK TRANSACTION to a savepoint in a trigger");
                        return;
                    }
                    out.push(PlStmt::Rollback { to: Some(t), span });
                }
                _ => self.transaction("ROLLBACK", span, out),
            },
            PlStmt::Savepoint { name, span } => {
                if name.value == "BEGIN TRANSACTION" {
                    self.transaction("BEGIN TRANSACTION", span, out);
                } else if self.kind != Where::Procedure {
                    self.unsupported(span, "SAVE TRANSACTION in a trigger");
                } else {
                    self.savepoints.insert(name.value.to_ascii_lowercase());
                    out.push(PlStmt::Savepoint { name, span });
                }
            }
            PlStmt::Goto { span, .. } | PlStmt::Label { span, .. } => {
                self.unsupported(span, "GOTO and labels");
            }
            PlStmt::Exit {
                continue_,
                label,
                when,
                span,
            } => {
                if self.catch_loops.last() == Some(&self.loop_depth) {
                    self.unsupported(
                        span,
                        "BREAK / CONTINUE in a CATCH block (a MySQL handler cannot leave the loop around it)",
                    );
                    return;
                }
                out.push(PlStmt::Exit {
                    continue_,
                    label,
                    when,
                    span,
                });
            }
            PlStmt::DropTable { name, span } => {
                let raw = name.name().value.clone();
                if !raw.starts_with('#') && !raw.starts_with('@') {
                    self.unsupported(span, &format!("DROP TABLE {raw} (a permanent table)"));
                    return;
                }
                if self.kind != Where::Procedure {
                    self.unsupported(span, "a temporary table in a function or trigger");
                    return;
                }
                out.push(PlStmt::DropTable { name, span });
            }
            PlStmt::Truncate { table, span } => {
                if self.kind != Where::Procedure {
                    self.unsupported(
                        span,
                        "TRUNCATE TABLE in a function or trigger (it commits on MySQL)",
                    );
                    return;
                }
                if !table.name().value.starts_with('#') {
                    let w = self.where_();
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            "TRUNCATE TABLE",
                            &w,
                            "it commits the open transaction on MySQL (T-SQL's TRUNCATE is part of the transaction)",
                        ],
                    );
                }
                out.push(PlStmt::Truncate { table, span });
            }
            s => out.push(s),
        }
    }

    /// `SELECT @a = x, @b = y FROM ...`: T-SQL assigns the values of each row in turn (the
    /// last row wins) and leaves the variables alone when there is none. MySQL's `SELECT
    /// INTO` leaves them alone too, but refuses several rows: the query reads one row, the
    /// last one in its order (the order reversed).
    fn select_assign(
        &mut self,
        mut query: Box<Query>,
        into: Vec<Expr>,
        span: Span,
        out: &mut Vec<PlStmt>,
    ) {
        let targets: HashSet<String> = into
            .iter()
            .filter_map(|e| match e {
                Expr::Param(n, _) => Some(n.to_ascii_lowercase()),
                _ => None,
            })
            .collect();
        if let SetExpr::Select(s) = &query.body {
            let mut f = ParamRefs::default();
            for it in &s.items {
                if let SelectItem::Expr { expr, .. } = it {
                    walk_expr(&mut f, &mut expr.clone());
                }
            }
            if f.names.iter().any(|n| targets.contains(n)) {
                self.unsupported(
                    span,
                    "SELECT @v = ... that reads @v again (an accumulation over the rows): use an aggregate (SUM, GROUP_CONCAT) or a cursor loop",
                );
                return;
            }
        }
        // Without a table (a trigger's `SELECT @v = col FROM inserted`): assignments.
        if let SetExpr::Select(s) = &query.body
            && s.from.is_empty()
            && s.where_.is_none()
            && s.group_by.is_empty()
            && s.having.is_none()
            && query.with.is_empty()
            && s.items.len() == into.len()
            && s.items.iter().all(|i| matches!(i, SelectItem::Expr { .. }))
        {
            for (t, i) in into.into_iter().zip(&s.items) {
                if let SelectItem::Expr { expr, .. } = i {
                    out.push(PlStmt::assign(t, expr.clone(), span));
                }
            }
            return;
        }
        let one_row = aggregates_one_row(&query)
            || matches!(&query.body, SetExpr::Select(s) if s.from.is_empty());
        if !one_row {
            match &query.limit {
                None => {
                    for o in &mut query.order_by {
                        o.desc = !o.desc;
                    }
                    query.limit = Some(number(1, span));
                    self.last_limited = true;
                }
                Some(l) if num(l) == Some(1) => {}
                Some(_) if query.order_by.is_empty() => {
                    query.limit = Some(number(1, span));
                    self.last_limited = true;
                }
                Some(_) => {
                    self.unsupported(
                        span,
                        "SELECT TOP (n) @v = ... ORDER BY (the last of the first n rows)",
                    );
                    return;
                }
            }
        }
        out.push(PlStmt::SelectInto {
            query,
            into,
            bulk: false,
            strict: false,
            span,
        });
    }

    fn return_(&mut self, value: Option<Expr>, span: Span, out: &mut Vec<PlStmt>) {
        match self.kind {
            Where::Function => out.push(PlStmt::Return { value, span }),
            Where::Procedure | Where::Trigger => {
                if let Some(v) = value
                    && self.kind == Where::Procedure
                {
                    out.push(PlStmt::assign(col("return_status", span), v, span));
                }
                out.extend(self.leave_body(span));
            }
        }
    }

    /// Leaves the routine's body: `LEAVE` its label, or from a CATCH block (MySQL handlers
    /// cannot leave the blocks around them), a flag and `LEAVE` the handler's block.
    fn leave_body(&mut self, span: Span) -> Vec<PlStmt> {
        match self.catch_labels.last() {
            Some(l) => {
                let l = l.clone();
                self.returned = true;
                vec![
                    PlStmt::assign(col(RETURNED, span), number(1, span), span),
                    leave(&l, span),
                ]
            }
            None => {
                self.body_label = true;
                vec![leave(BODY, span)]
            }
        }
    }

    /// `BEGIN TRY ... END TRY BEGIN CATCH ... END CATCH`: a block with an EXIT handler.
    fn try_catch(&mut self, mut b: Block, out: &mut Vec<PlStmt>) {
        let body = std::mem::take(&mut b.body);
        b.body = self.stmts(body);
        if b.body.is_empty() {
            // Nothing to fail: the CATCH block never runs.
            return;
        }
        let returned_before = self.returned;
        self.returned = false;
        let mut any_return = false;
        for h in &mut b.handlers {
            h.conditions = vec!["SQLEXCEPTION".into()];
            self.next_catch += 1;
            let label = format!("SCHEMAC_CATCH{}", self.next_catch);
            self.catch_labels.push(label.clone());
            self.catch_loops.push(self.loop_depth);
            let body = std::mem::take(&mut h.body);
            let mut body = self.stmts(body);
            self.catch_labels.pop();
            self.catch_loops.pop();
            let mut fns = CatchFns { c: self };
            walk_pl_stmts(&mut fns, &mut body);
            let span = h.span;
            if self.inp.save_errors {
                self.diag = true;
                let mut save = Vec::new();
                for (k, v) in [
                    ("message", col(ERRM, span)),
                    ("number", col(ERRNO, span)),
                    ("severity", number(16, span)),
                    ("state", number(1, span)),
                    ("procedure", Expr::String(self.name.clone(), span)),
                ] {
                    save.push(PlStmt::SetState {
                        key: format!("schemac_error_{k}"),
                        value: v,
                        span,
                    });
                }
                save.append(&mut body);
                body = save;
            }
            if self.returned {
                any_return = true;
                body = vec![PlStmt::Block(Box::new(Block {
                    label: Some(Ident::new(label, span)),
                    decls: Vec::new(),
                    body,
                    handlers: Vec::new(),
                    span,
                }))];
            }
            h.body = body;
        }
        let span = b.span;
        out.push(PlStmt::Block(Box::new(b)));
        if any_return {
            // RETURN in the CATCH block: leave what is around it too.
            let exit = self.leave_body(span);
            out.push(PlStmt::If {
                branches: vec![(
                    Expr::binary(BinOp::Eq, col(RETURNED, span), number(1, span), span),
                    exit,
                )],
                else_: None,
                span,
            });
        }
        self.returned |= returned_before || any_return;
    }

    fn transaction(&mut self, what: &str, span: Span, out: &mut Vec<PlStmt>) {
        let w = self.where_();
        match self.kind {
            Where::Procedure => match what {
                "BEGIN TRANSACTION" => {
                    self.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                what,
                                &w,
                                "START TRANSACTION commits a transaction the caller has open (MySQL transactions do not nest)",
                            ],
                        );
                    out.push(PlStmt::StartTransaction(span));
                }
                "COMMIT" => {
                    self.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                what,
                                &w,
                                "it commits the whole transaction, one the caller opened too (MySQL transactions do not nest)",
                            ],
                        );
                    out.push(PlStmt::Commit(span));
                }
                _ => out.push(PlStmt::Rollback { to: None, span }),
            },
            Where::Function => {
                self.unsupported(span, &format!("{what} in a function"));
            }
            Where::Trigger => {
                if what != "ROLLBACK" {
                    self.unsupported(
                        span,
                        &format!(
                            "{what} in a trigger (MySQL triggers cannot start or end transactions)"
                        ),
                    );
                    return;
                }
                if self.after_raise {
                    self.flag(
                        &codes::TRANSACTION_CONTROL,
                        span,
                        &[
                            what,
                            &w,
                            "the error raised just before fails the triggering statement, which MySQL rolls back; the transaction stays open (T-SQL rolls it back)",
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
                        "it raises error 3609, which fails the triggering statement; MySQL rolls back the statement and the transaction stays open (T-SQL rolls it back)",
                    ],
                );
                out.push(PlStmt::RaiseError {
                    sqlstate: sqlstate_of(3609),
                    message: Expr::String(
                        "The transaction ended in the trigger. The batch has been aborted.".into(),
                        span,
                    ),
                    errno: Some(3609),
                    span,
                });
            }
        }
    }

    fn call_stmt(&mut self, call: Expr, span: Span, out: &mut Vec<PlStmt>) {
        let Expr::Call(c) = call else {
            out.push(PlStmt::Call {
                call,
                form: CallForm::Call,
                span,
            });
            return;
        };
        let name = c.name.display().to_ascii_uppercase();
        match name.as_str() {
            "PRINT" => self.flag(&codes::MYSQL_MESSAGE_DROPPED, span, &["PRINT"]),
            "RAISERROR" => self.raiserror(*c, span, out),
            "WAITFOR" => {
                let secs = match c.args.first().map(|a| &a.value) {
                    Some(Expr::String(s, _)) => delay_seconds(s),
                    _ => None,
                };
                let Some(secs) = secs else {
                    self.unsupported(span, "WAITFOR DELAY with a computed delay");
                    return;
                };
                self.flag(&codes::MYSQL_WAITFOR, span, &[&secs]);
                out.push(PlStmt::Call {
                    call: raw(&format!("SLEEP({secs})"), span),
                    form: CallForm::Perform,
                    span,
                });
            }
            "THROW" => {
                if c.args.is_empty() {
                    if self.catch_labels.is_empty() {
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
                let (Some(n), Some(msg)) = (it.next(), it.next()) else {
                    self.unsupported(span, "THROW with missing arguments");
                    return;
                };
                let Some(n) = num(&n) else {
                    self.unsupported(span, "THROW with a computed error number");
                    return;
                };
                self.raise(n, &format!("THROW {n}"), msg, span, out);
            }
            "SET" => self.set_option(&c, span),
            _ => self.proc_call(*c, None, span, out),
        }
    }

    /// `SIGNAL` of error `n` (the SQLSTATE of PLS031, `MYSQL_ERRNO` = `n` when it fits).
    fn raise(&mut self, n: i64, what: &str, message: Expr, span: Span, out: &mut Vec<PlStmt>) {
        let state = sqlstate_of(n);
        self.flag(&codes::TSQL_ERROR_RAISED, span, &[what, &state]);
        out.push(PlStmt::RaiseError {
            sqlstate: state,
            message,
            errno: u32::try_from(n).ok().filter(|n| (1..=65535).contains(n)),
            span,
        });
    }

    fn raiserror(&mut self, c: Call, span: Span, out: &mut Vec<PlStmt>) {
        let args = match RaiseArgs::of(c) {
            Ok(a) => a,
            Err(why) => {
                self.unsupported(span, why);
                return;
            }
        };
        if args.severity <= 10 {
            self.flag(
                &codes::MYSQL_MESSAGE_DROPPED,
                span,
                &["RAISERROR of severity 10 or less"],
            );
            return;
        }
        let n = args.number;
        match args.message(format_message) {
            Ok(message) => self.raise(n, &format!("RAISERROR {n}"), message, span, out),
            Err(why) => self.unsupported(span, &why),
        }
    }

    fn set_option(&mut self, c: &Call, span: Span) {
        let text = session_option_text(c);
        match SessionOption::of(&text, span) {
            SessionOption::Silent => {}
            SessionOption::XactAbort => {
                if text.ends_with(" ON") && self.kind == Where::Procedure {
                    self.xact_abort = true;
                    self.flag(
                        &codes::TSQL_SESSION_OPTION,
                        span,
                        &[
                            &text,
                            "an error rolls back the transaction and ends the procedure: an EXIT handler of the procedure does it (ROLLBACK, RESIGNAL); it is not in force in the procedures it calls",
                        ],
                    );
                }
            }
            SessionOption::RowcountOff => self.row_limit = None,
            SessionOption::Rowcount(limit) => {
                let why = SessionOption::rowcount_why(limit.is_some());
                self.row_limit = limit;
                self.flag(&codes::TSQL_SESSION_OPTION, span, &[&text, why]);
            }
            SessionOption::Other(opt) => {
                let why = SessionOption::other_why(&opt, "MySQL");
                self.flag(&codes::TSQL_SESSION_OPTION, span, &[&text, &why]);
            }
        }
    }

    /// `EXEC p args` (and `EXEC @rc = p args`, `status` the variable).
    fn proc_call(&mut self, mut c: Call, status: Option<Expr>, span: Span, out: &mut Vec<PlStmt>) {
        let k = key(&c.name);
        let Some(sig) = self.inp.sigs.get(&k).cloned() else {
            if k.starts_with("xp_") || k.starts_with("sp_") {
                let n = c.name.display();
                self.unsupported(span, &format!("EXEC {n} (a system or extended procedure)"));
                return;
            }
            if status.is_some() {
                let n = c.name.display();
                self.unsupported(
                    span,
                    &format!(
                        "EXEC @status = {n}: {n} is not in the input (its status is not known)"
                    ),
                );
                return;
            }
            // A procedure of the database: arguments as written (the lowering flags names).
            for a in &mut c.args {
                if let Some(n) = &mut a.name {
                    *n = Ident::new(var_name(&n.value, "p_"), n.span);
                }
            }
            out.push(PlStmt::Call {
                call: Expr::Call(Box::new(c)),
                form: CallForm::Call,
                span,
            });
            return;
        };
        c.name = sig.name.clone();
        if sig.kind == RoutineKind::Function {
            let call = Expr::Call(Box::new(c));
            match status {
                Some(t) => out.push(PlStmt::assign(t, call, span)),
                None => out.push(PlStmt::Call {
                    call,
                    form: CallForm::Perform,
                    span,
                }),
            }
            return;
        }
        for a in &mut c.args {
            if let Some(n) = &mut a.name {
                let lower = n.value.to_ascii_lowercase();
                match sig.params.iter().find(|p| p.0 == lower) {
                    Some(p) => *n = Ident::new(p.1.clone(), n.span),
                    None => {
                        let what = format!(
                            "EXEC {}: it has no parameter {}",
                            sig.name.display(),
                            n.value
                        );
                        self.unsupported(span, &what);
                        return;
                    }
                }
            }
        }
        // MySQL needs a variable for every OUT / INOUT argument.
        let mut params: Vec<(String, ParamMode, TypeRef)> = sig
            .params
            .iter()
            .map(|p| (p.1.clone(), p.2, p.3.clone()))
            .collect();
        if sig.status {
            params.push(("return_status".into(), ParamMode::InOut, int_type(span)));
        }
        for (pname, ty, arg) in output_args(&params, &c.args) {
            if pname == "return_status"
                && let Some(t) = &status
            {
                let value = if writable_var(t) {
                    t.clone()
                } else {
                    let v = self.receiver(&pname, &ty, span);
                    out.push(PlStmt::assign(v.clone(), t.clone(), span));
                    v
                };
                c.args.push(Arg {
                    name: Some(Ident::new(pname.clone(), span)),
                    value,
                });
                continue;
            }
            match arg {
                Some(j) if writable_var(&c.args[j].value) => {}
                Some(j) => {
                    // A constant for an OUTPUT parameter: through a variable.
                    let v = self.receiver(&pname, &ty, span);
                    let value = std::mem::replace(&mut c.args[j].value, v.clone());
                    out.push(PlStmt::assign(v, value, span));
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
        out.push(PlStmt::Call {
            call: Expr::Call(Box::new(c)),
            form: CallForm::Call,
            span,
        });
        if !sig.status
            && let Some(t) = status
        {
            // A procedure without RETURN n returns 0.
            out.push(PlStmt::assign(t, number(0, span), span));
        }
    }

    /// A variable receiving an OUTPUT parameter the T-SQL call does not read (a `@...`
    /// name, renamed with the others).
    fn receiver(&mut self, param: &str, ty: &TypeRef, span: Span) -> Expr {
        let (key, name) = receiver_names(param);
        if !self.vars.contains_key(&key) {
            let name = unique_name(&name, &self.inp.columns, &mut self.used);
            self.vars.insert(
                key.clone(),
                (name.clone(), ty.source.name.to_ascii_uppercase()),
            );
            self.extra_decls
                .push(Decl::var(&name, ty.clone(), None, span));
        }
        Expr::Param(key, span)
    }

    fn dml(
        &mut self,
        mut stmt: Box<Stmt>,
        returning: Vec<Expr>,
        into: Vec<Expr>,
        span: Span,
        out: &mut Vec<PlStmt>,
    ) {
        if let Err(why) = multi_table(&mut stmt) {
            self.unsupported(span, &why);
            return;
        }
        if let Stmt::CreateTable(t) = stmt.as_mut() {
            let raw = t.name.name().value.clone();
            if t.temporary.is_none() {
                let w = self.where_();
                self.flag(
                    &codes::TRANSACTION_CONTROL,
                    span,
                    &[
                        &format!("SELECT ... INTO {raw}"),
                        &w,
                        "CREATE TABLE ... AS SELECT commits the open transaction on MySQL",
                    ],
                );
                if self.kind != Where::Procedure {
                    self.unsupported(span, "SELECT ... INTO a table in a function or trigger");
                    return;
                }
            } else {
                if self.kind != Where::Procedure {
                    self.unsupported(
                        span,
                        "a temporary table or table variable in a function or trigger",
                    );
                    return;
                }
                let lower = raw.to_ascii_lowercase();
                let target = match self.temp_tables.get(&lower) {
                    Some(t) => t.clone(),
                    None => {
                        let base = raw.trim_start_matches(['#', '@']).to_string();
                        let taken = |n: &str, c: &Conv| {
                            c.inp.tables.contains(&n.to_ascii_lowercase())
                                || c.temp_tables.values().any(|v| v.eq_ignore_ascii_case(n))
                        };
                        let mut n = base.clone();
                        if taken(&n, self) {
                            n = format!("tmp_{base}");
                        }
                        while taken(&n, self) {
                            n.push('_');
                        }
                        self.temp_tables.insert(lower, n.clone());
                        if !raw.starts_with("##") {
                            self.temp_local.push(n.clone());
                        }
                        n
                    }
                };
                let why = if raw.starts_with("##") {
                    "a ##global temporary table becomes a TEMPORARY table of the session: other sessions do not see it"
                } else if raw.starts_with('@') {
                    "a table variable becomes a TEMPORARY table, dropped at the end of the procedure (its rows are rolled back with the transaction, unlike T-SQL's)"
                } else {
                    "a #temporary table becomes a TEMPORARY table, dropped at the end of the procedure (when an error ends it, at the end of the session)"
                };
                self.flag(&codes::TSQL_TEMP_TABLE, span, &[&raw, why]);
                out.push(PlStmt::DropTable {
                    name: QName::single(Ident::new(target, t.name.span())),
                    span,
                });
            }
        }
        out.push(PlStmt::Dml {
            stmt,
            returning,
            into,
            span,
        });
    }
}

/// T-SQL `UPDATE t ... FROM t JOIN x ON c` / `DELETE t FROM t JOIN x`: the target out of the
/// FROM list (its join condition in WHERE), the other tables printed as MySQL's
/// multiple-table form.
fn multi_table(stmt: &mut Stmt) -> Result<(), String> {
    let requalify = match stmt {
        Stmt::Update(u) if !u.from.is_empty() => {
            let t = target_out_of_from(&u.table, &mut u.alias, &mut u.from, &mut u.where_)?;
            u.table = t;
            u.alias.clone().map(|a| (u.table.name().value.clone(), a))
        }
        Stmt::Delete(d) if !d.using.is_empty() => {
            let t = target_out_of_from(&d.table, &mut d.alias, &mut d.using, &mut d.where_)?;
            d.table = t;
            d.alias.clone().map(|a| (d.table.name().value.clone(), a))
        }
        _ => None,
    };
    if let Some((table, alias)) = requalify
        && !alias.value.eq_ignore_ascii_case(&table)
    {
        walk_stmt(&mut Requalify { table, alias }, stmt);
    }
    Ok(())
}

/// Counts the temporary tables (`#t`, `@t`) a piece of SQL names.
#[derive(Default)]
struct TempRefs(Vec<String>);

impl VisitMut for TempRefs {
    fn qname(&mut self, q: &mut QName) {
        let n = &q.name().value;
        if n.starts_with('#') || n.starts_with('@') && !n.starts_with("@@") {
            self.0.push(n.to_ascii_lowercase());
        }
    }
}

impl TempRefs {
    fn twice(self) -> Option<String> {
        let mut seen = HashSet::new();
        self.0.into_iter().find(|n| !seen.insert(n.clone()))
    }
}

/// The first temporary table a statement (not the statements it holds) reads twice.
fn reopened(s: &PlStmt) -> Option<String> {
    let mut c = TempRefs::default();
    match s {
        PlStmt::If { branches, .. } => {
            for (cond, _) in branches {
                walk_expr(&mut c, &mut cond.clone());
            }
        }
        PlStmt::Loop {
            kind: LoopKind::While(cond),
            ..
        } => walk_expr(&mut c, &mut cond.clone()),
        PlStmt::Loop { .. } | PlStmt::Block(_) => {}
        s => crate::ir::visit::walk_pl_stmt(&mut c, &mut s.clone()),
    }
    c.twice()
}

/// Every read of the variables `names` (lower case) in `e` is a test for zero rows:
/// `x = 0`, `x <> 0`, `x > 0`, `x >= 1` (either side).
fn zero_tests_only(e: &Expr, names: &[String]) -> bool {
    fn is_var(e: &Expr, names: &[String]) -> bool {
        matches!(e, Expr::Param(n, _) if names.contains(&n.to_ascii_lowercase()))
    }
    fn reads(e: &Expr, names: &[String]) -> bool {
        let mut r = ParamRefs::default();
        walk_expr(&mut r, &mut e.clone());
        r.names.iter().any(|n| names.contains(n))
    }
    match e {
        Expr::Binary {
            op: BinOp::And | BinOp::Or,
            left,
            right,
            ..
        } => zero_tests_only(left, names) && zero_tests_only(right, names),
        Expr::Unary {
            op: UnaryOp::Not,
            expr,
            ..
        } => zero_tests_only(expr, names),
        Expr::Binary {
            op, left, right, ..
        } if is_var(left, names) || is_var(right, names) => {
            let (var_left, other) = if is_var(left, names) {
                (true, right.as_ref())
            } else {
                (false, left.as_ref())
            };
            let k = num(other);
            matches!(
                (op, k, var_left),
                (BinOp::Eq | BinOp::NotEq, Some(0), _)
                    | (BinOp::Gt, Some(0), true)
                    | (BinOp::Lt, Some(0), false)
                    | (BinOp::GtEq, Some(1), true)
                    | (BinOp::LtEq, Some(1), false)
            )
        }
        e => !reads(e, names),
    }
}

/// `'hh:mm:ss[.fff]'` in seconds.
fn delay_seconds(s: &str) -> Option<String> {
    // hh:mm[:ss[.fff]]
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut total = 0f64;
    for (p, unit) in parts.iter().zip([3600.0, 60.0, 1.0]) {
        let v: f64 = p.trim().parse().ok()?;
        if v < 0.0 {
            return None;
        }
        total += v * unit;
    }
    Some(format!("{total}"))
}

/// A RAISERROR format with its arguments as a concatenation (`%d`, `%s`, ASE `%1!`); a NULL
/// argument prints `(null)`, as in T-SQL.
fn format_message(fmt: &str, args: Vec<Expr>, span: Span) -> Expr {
    let b: Vec<char> = fmt.chars().collect();
    let mut pieces: Vec<Expr> = Vec::new();
    let mut lit = String::new();
    let mut next = 0usize;
    let mut i = 0;
    let mut any = false;
    let piece = |arg: Option<&Expr>| -> Expr {
        match arg {
            Some(a) => {
                let mut ty = tsql_type("CHAR", Vec::new(), span);
                ty.target = Some("char".into());
                let cast = Expr::Cast {
                    expr: Box::new(a.clone()),
                    ty: Box::new(ty),
                    span,
                };
                Call::expr(
                    "COALESCE",
                    vec![cast, Expr::String("(null)".into(), span)],
                    span,
                )
            }
            None => Expr::String("(null)".into(), span),
        }
    };
    while i < b.len() {
        if b[i] == '%' {
            if b.get(i + 1) == Some(&'%') {
                lit.push('%');
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
                    let n: usize = b[j..k].iter().collect::<String>().parse().unwrap_or(1);
                    if !lit.is_empty() {
                        pieces.push(Expr::String(std::mem::take(&mut lit), span));
                    }
                    pieces.push(piece(args.get(n.saturating_sub(1))));
                    any = true;
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
                if !lit.is_empty() {
                    pieces.push(Expr::String(std::mem::take(&mut lit), span));
                }
                pieces.push(piece(args.get(next)));
                next += 1;
                any = true;
                i = j + 1;
                continue;
            }
            lit.push('%');
            i += 1;
            continue;
        }
        lit.push(b[i]);
        i += 1;
    }
    if !any {
        return Expr::String(lit, span);
    }
    if !lit.is_empty() {
        pieces.push(Expr::String(lit, span));
    }
    pieces
        .into_iter()
        .reduce(|a, b| Expr::binary(BinOp::Concat, a, b, span))
        .expect("pieces")
}

/// A function is DETERMINISTIC when it reads no table, calls no routine and no built-in
/// whose value changes (the clock, random numbers, the session).
fn deterministic(b: &Block, inp: &Input) -> bool {
    struct Scan<'i> {
        inp: &'i Input<'i>,
        ok: bool,
    }
    impl VisitMut for Scan<'_> {
        fn query(&mut self, _q: &mut Query) {
            self.ok = false;
        }
        fn expr(&mut self, e: &mut Expr) {
            match e {
                Expr::Call(c) => {
                    let n = c.name.name().value.to_ascii_uppercase();
                    if self.inp.sigs.contains_key(&key(&c.name))
                        || c.name.parts.len() > 1
                        || matches!(
                            n.as_str(),
                            "GETDATE"
                                | "GETUTCDATE"
                                | "SYSDATETIME"
                                | "SYSUTCDATETIME"
                                | "SYSDATETIMEOFFSET"
                                | "NEWID"
                                | "NEWSEQUENTIALID"
                                | "RAND"
                                | "CRYPT_GEN_RANDOM"
                                | "CURRENT_TIMESTAMP"
                                | "SUSER_SNAME"
                                | "SUSER_NAME"
                                | "USER_NAME"
                                | "HOST_NAME"
                                | "APP_NAME"
                                | "DB_NAME"
                                | "OBJECT_ID"
                                | "LAST_INSERT_ID"
                        )
                    {
                        self.ok = false;
                    }
                }
                Expr::Column(q)
                    if q.parts.len() == 1
                        && matches!(
                            q.parts[0].value.to_ascii_uppercase().as_str(),
                            "CURRENT_TIMESTAMP"
                                | "CURRENT_USER"
                                | "SESSION_USER"
                                | "SYSTEM_USER"
                                | "USER"
                        ) =>
                {
                    self.ok = false
                }
                Expr::Raw(..) | Expr::NextVal(..) | Expr::CurrVal(..) => self.ok = false,
                _ => {}
            }
        }
    }
    fn stmts(v: &[PlStmt]) -> bool {
        v.iter().all(|s| match s {
            PlStmt::Dml { .. }
            | PlStmt::Execute { .. }
            | PlStmt::SelectInto { .. }
            | PlStmt::Open { .. }
            | PlStmt::Fetch { .. }
            | PlStmt::Call { .. } => false,
            PlStmt::If {
                branches, else_, ..
            } => branches.iter().all(|(_, b)| stmts(b)) && else_.as_deref().is_none_or(stmts),
            PlStmt::Loop { body, .. } => stmts(body),
            PlStmt::Block(b) => stmts(&b.body) && b.handlers.iter().all(|h| stmts(&h.body)),
            _ => true,
        })
    }
    if !stmts(&b.body) || b.decls.iter().any(|d| matches!(d, Decl::Cursor { .. })) {
        return false;
    }
    let mut s = Scan { inp, ok: true };
    walk_block(&mut s, &mut b.clone());
    s.ok
}

/// `@x` names read by an expression (lower case).
#[derive(Default)]
struct ParamRefs {
    names: Vec<String>,
}

impl VisitMut for ParamRefs {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Param(n, _) = e {
            self.names.push(n.to_ascii_lowercase());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// Variables, globals, error functions, temporary table names, `+` of strings and calls of
/// the input's functions.
struct Rename<'c, 'a> {
    c: &'c mut Conv<'a>,
}

impl VisitMut for Rename<'_, '_> {
    fn ident(&mut self, i: &mut Ident) {
        if !(i.value.starts_with('#') || i.value.starts_with('@') && !i.value.starts_with("@@")) {
            return;
        }
        let lower = i.value.to_ascii_lowercase();
        match self.c.temp_tables.get(&lower) {
            Some(t) => i.value = t.clone(),
            None => {
                if i.value.starts_with('#') {
                    let raw = i.value.clone();
                    self.c.flag(
                        &codes::TSQL_TEMP_TABLE,
                        i.span,
                        &[
                            &raw,
                            "the routine uses this temporary table but does not create it: its caller must, in the same session (as in T-SQL)",
                        ],
                    );
                }
                i.value = i.value.trim_start_matches(['#', '@']).to_string();
            }
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        let span = e.span();
        match e {
            Expr::Param(n, _) if n.starts_with("@@") => {
                let g = n[2..].to_ascii_uppercase();
                let w = self.c.where_();
                let new = match g.as_str() {
                    "ROWCOUNT" => {
                        self.c.rowcount = true;
                        Some(col(ROWCOUNT, span))
                    }
                    "TRIGGER_ROWS" => Some(number(1, span)),
                    "FETCH_STATUS" | "SQLSTATUS" => {
                        self.c.fetch_status = true;
                        Some(col(FETCH_STATUS, span))
                    }
                    "SCHEMAC_ERROR" => Some(col(ERROR, span)),
                    "ERROR" => {
                        self.c.flag(
                            &codes::MYSQL_ERROR_STATUS,
                            span,
                            &[
                                &w,
                                "read as 0 (no error): on MySQL a failing statement ends the routine with its error, or enters the handler of its TRY block",
                            ],
                        );
                        Some(number(0, span))
                    }
                    "IDENTITY" => {
                        self.c.flag(
                            &codes::MYSQL_IDENTITY,
                            span,
                            &[
                                "@@IDENTITY",
                                "after a multi-row INSERT it is the first generated value (T-SQL: the last), and an insert made by a trigger does not change it",
                            ],
                        );
                        Some(raw("LAST_INSERT_ID()", span))
                    }
                    "TRANCOUNT" if self.c.kind == Where::Trigger => {
                        self.c.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                "@@TRANCOUNT",
                                &w,
                                "read as 1: a trigger runs in the transaction of its statement",
                            ],
                        );
                        Some(number(1, span))
                    }
                    "TRANCOUNT" => {
                        self.c.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                "@@TRANCOUNT",
                                &w,
                                "read as @@in_transaction: 1 inside a transaction, else 0 (MySQL transactions do not nest)",
                            ],
                        );
                        Some(raw("@@in_transaction", span))
                    }
                    "SPID" => Some(raw("CONNECTION_ID()", span)),
                    "VERSION" => Some(raw("VERSION()", span)),
                    "SERVERNAME" => Some(raw("@@hostname", span)),
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
                    match self.c.inp.flavor {
                        Flavor::SqlServer => *op = BinOp::Concat,
                        Flavor::Ase => {
                            // ASE: NULL is the empty string, as in T-SQL's CONCAT().
                            let args = vec![(**left).clone(), (**right).clone()];
                            *e = Call::expr("CONCAT", args, *span);
                        }
                    }
                }
            }
            Expr::Call(c)
                if c.name.parts.len() == 1 || self.c.inp.sigs.contains_key(&key(&c.name)) =>
            {
                if let Some(sig) = self.c.inp.sigs.get(&key(&c.name)) {
                    // A function of the input: its name as defined, DEFAULT arguments filled.
                    if sig.kind == RoutineKind::Function {
                        c.name = sig.name.clone();
                        for (i, a) in c.args.iter_mut().enumerate() {
                            if matches!(a.value, Expr::Default(_))
                                && let Some(d) = sig.params.get(i).and_then(|p| p.4.clone())
                            {
                                a.value = d;
                            }
                        }
                    }
                    return;
                }
                let n = c.name.name().value.to_ascii_uppercase();
                let w = self.c.where_();
                match n.as_str() {
                    "SCOPE_IDENTITY" => {
                        self.c.flag(
                            &codes::MYSQL_IDENTITY,
                            span,
                            &[
                                "SCOPE_IDENTITY()",
                                "after a multi-row INSERT it is the first generated value (T-SQL: the last)",
                            ],
                        );
                        *e = raw("LAST_INSERT_ID()", span);
                    }
                    "IDENT_CURRENT" => {
                        self.c.unsupported(
                            span,
                            "IDENT_CURRENT() (the last identity value of a table, of any session)",
                        );
                    }
                    "XACT_STATE" if c.args.is_empty() && self.c.kind == Where::Trigger => {
                        self.c.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                "XACT_STATE()",
                                &w,
                                "read as 1: a trigger runs in the transaction of its statement",
                            ],
                        );
                        *e = number(1, span);
                    }
                    "XACT_STATE" if c.args.is_empty() => {
                        self.c.flag(
                            &codes::TRANSACTION_CONTROL,
                            span,
                            &[
                                "XACT_STATE()",
                                &w,
                                "read as @@in_transaction: 1 inside a transaction (MySQL has no uncommittable transactions), else 0",
                            ],
                        );
                        *e = raw("@@in_transaction", span);
                    }
                    "ERROR_MESSAGE" | "ERROR_NUMBER" | "ERROR_SEVERITY" | "ERROR_STATE"
                    | "ERROR_LINE" | "ERROR_PROCEDURE" => {
                        // Those of CATCH blocks are replaced already: the error saved by the
                        // last CATCH block.
                        let k = n["ERROR_".len()..].to_ascii_lowercase();
                        *e = raw(&format!("@schemac_error_{k}"), span);
                        self.c
                            .flag(&codes::ERROR_FUNCTION_OUTSIDE_CATCH, span, &[&n]);
                    }
                    "COLUMNS_UPDATED" => {
                        self.c.unsupported(span, "COLUMNS_UPDATED()");
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// `ERROR_MESSAGE()` and the other error functions of a CATCH block: from `GET DIAGNOSTICS`.
struct CatchFns<'c, 'a> {
    c: &'c mut Conv<'a>,
}

impl VisitMut for CatchFns<'_, '_> {
    fn expr(&mut self, e: &mut Expr) {
        let span = e.span();
        let Expr::Call(c) = e else { return };
        if c.name.parts.len() != 1 {
            return;
        }
        let n = c.name.name().value.to_ascii_uppercase();
        let new = match n.as_str() {
            "ERROR_MESSAGE" => Some(col(ERRM, span)),
            "ERROR_NUMBER" => {
                let w = self.c.where_();
                self.c.behaviour(
                    span,
                    &format!("ERROR_NUMBER() in {w}"),
                    "it is the MySQL error number for errors the server raises (1062 for a duplicate key, where SQL Server gives 2627); errors raised by RAISERROR and THROW keep their number",
                );
                Some(col(ERRNO, span))
            }
            "ERROR_SEVERITY" => Some(number(16, span)),
            "ERROR_STATE" => Some(number(1, span)),
            "ERROR_LINE" | "ERROR_PROCEDURE" => Some(Expr::Null(span)),
            _ => None,
        };
        if let Some(x) = new {
            if matches!(n.as_str(), "ERROR_MESSAGE" | "ERROR_NUMBER") {
                self.c.diag = true;
            }
            *e = x;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Conversion of an object
// ---------------------------------------------------------------------------------------------

/// Whether the lowering found something the routine cannot be created with.
fn lowering_failed(found: &[Finding]) -> bool {
    found.iter().any(|f| {
        f.severity >= Severity::Manual && std::ptr::eq(f.code, &codes::MYSQL_UNSUPPORTED_PLSQL)
    })
}

/// Converts a procedure or function; returns its findings and whether it failed.
fn convert_routine(
    r: &mut Routine,
    inp: &Input,
    low: &MysqlLowering,
    pre: Option<(Span, String)>,
) -> (Vec<Finding>, bool) {
    let kind = match r.kind {
        RoutineKind::Procedure => Where::Procedure,
        RoutineKind::Function => Where::Function,
    };
    let mut c = Conv::new(inp, kind, r.name.display());
    if let Some((span, why)) = pre {
        c.unsupported(span, &why);
    }
    c.routine(r);
    if c.failed {
        return (c.found, true);
    }
    let found = low.routine(inp.syms, r, c.diag);
    let failed = lowering_failed(&found);
    c.found.extend(found);
    fix_types(&mut r.body);
    (c.found, failed)
}

/// Internal variables the lowering declares with Oracle type names, in T-SQL spelling (the
/// types pass reads T-SQL types for these sources).
fn fix_types(b: &mut Block) {
    struct Fix;
    impl VisitMut for Fix {
        fn type_ref(&mut self, t: &mut TypeRef) {
            if t.target.is_some() {
                return;
            }
            let s = &mut t.source;
            match s.name.as_str() {
                "VARCHAR2" => s.name = "VARCHAR".into(),
                "NUMBER" => {
                    let p = s.args.first().copied().flatten();
                    let scale = s.args.get(1).copied().flatten().unwrap_or(0);
                    if scale == 0 {
                        s.name = match p {
                            Some(p) if p <= 2 => "TINYINT",
                            Some(p) if p <= 9 => "INT",
                            _ => "BIGINT",
                        }
                        .into();
                        s.args.clear();
                    } else {
                        s.name = "DECIMAL".into();
                    }
                }
                _ => {}
            }
        }
    }
    walk_block(&mut Fix, b);
}

/// Converts a trigger: the MySQL triggers (the first replaces it), or `None` when it is not
/// converted.
fn convert_trigger(
    t: &mut Trigger,
    inp: &Input,
    low: &MysqlLowering,
    pre: Option<(Span, String)>,
) -> (Vec<Finding>, Option<Vec<Trigger>>) {
    let name = t.name.display();
    let span = t.name.span();
    let mut found = Vec::new();
    let fail = |found: &mut Vec<Finding>, why: &str| {
        found.push(Finding::new(&codes::TSQL_NOT_CONVERTED, span, &[why]));
    };
    if let Some((s, why)) = pre {
        found.push(Finding::new(&codes::TSQL_NOT_CONVERTED, s, &[&why]));
        return (found, None);
    }
    if t.timing == TriggerTiming::InsteadOf {
        fail(&mut found, "INSTEAD OF triggers (MySQL has none)");
        return (found, None);
    }
    let Some(info) = table_info(inp.syms, &t.table) else {
        let why = format!(
            "the columns of table {} are not known from the input (inserted / deleted become the row's NEW / OLD values)",
            t.table.display()
        );
        fail(&mut found, &why);
        return (found, None);
    };
    let columns: Vec<String> = info.columns.iter().map(|(n, _)| n.clone()).collect();
    let late = inp
        .identity
        .get(&t.table.name().value.to_ascii_lowercase())
        .cloned()
        .unwrap_or_default();
    let many = t.events.len() > 1;
    let base = t.name.name().value.clone();
    let mut made: Vec<Trigger> = Vec::new();
    let mut desc = Vec::new();
    let mut before_names = Vec::new();
    for e in &t.events {
        let suffix = match e.kind {
            TriggerEventKind::Insert => "ins",
            TriggerEventKind::Update => "upd",
            TriggerEventKind::Delete => "del",
        };
        let event = match e.kind {
            TriggerEventKind::Insert => "INSERT",
            TriggerEventKind::Update => "UPDATE",
            TriggerEventKind::Delete => "DELETE",
        };
        let tname = if many {
            format!("{base}_{suffix}")
        } else {
            base.clone()
        };
        let ctx = || TrigCtx {
            event: e.kind,
            table: t.table.clone(),
            columns: columns.clone(),
            primary_key: info.primary_key.clone(),
            late: late.clone(),
        };
        let mut c = Conv::new(inp, Where::Trigger, name.clone());
        c.trig = Some(ctx());
        let mut body = t.body.clone();
        c.block_decls(&mut body);
        // The UPDATE of the trigger's own rows: a BEFORE trigger.
        let before = c.split_self_updates(&mut body);
        if c.failed {
            found.extend(c.found);
            return (found, None);
        }
        let mut before_body = None;
        let mut set_cols = Vec::new();
        if let Some((mut bbody, cols)) = before {
            set_cols = cols;
            let mut bc = Conv::new(inp, Where::Trigger, name.clone());
            bc.vars = c.vars.clone();
            bc.used = c.used.clone();
            bc.trig = Some(ctx());
            bc.rows(&mut bbody);
            if e.kind == TriggerEventKind::Insert
                && let Some(col) = reads_new(&bbody, &late)
            {
                bc.unsupported(
                    span,
                    &format!(
                        "trigger {name} updates its own table and reads {col}, which a BEFORE INSERT trigger does not know yet; MySQL triggers cannot change their table"
                    ),
                );
            }
            let stmts = std::mem::take(&mut bbody.body);
            bbody.body = bc.stmts(stmts);
            bc.finish(&mut bbody);
            bc.rename(&mut bbody);
            found.append(&mut bc.found);
            if bc.failed {
                return (found, None);
            }
            before_body = Some((bbody, bc.diag));
        }
        c.rows(&mut body);
        if c.failed {
            found.extend(c.found);
            return (found, None);
        }
        let stmts = std::mem::take(&mut body.body);
        body.body = c.stmts(stmts);
        c.finish(&mut body);
        c.rename(&mut body);
        if let Some(col) = reads_new(&body, &set_cols) {
            c.unsupported(
                span,
                &format!(
                    "trigger {name} updates its own table and reads {col} after it (the BEFORE trigger that makes the update changes NEW; T-SQL's inserted keeps the value the statement wrote)"
                ),
            );
        }
        if c.failed {
            found.extend(c.found);
            return (found, None);
        }
        let diag = c.diag;
        found.append(&mut c.found);
        let named = |n: &str| {
            let mut q = t.name.clone();
            if let Some(l) = q.parts.last_mut() {
                l.value = n.to_string();
            }
            q
        };
        let mk = |timing: TriggerTiming, n: &str, b: Block| Trigger {
            name: named(n),
            table: t.table.clone(),
            timing,
            events: vec![TriggerEvent {
                kind: e.kind,
                columns: Vec::new(),
            }],
            for_each_row: true,
            referencing: Vec::new(),
            when: None,
            body: b,
            enabled: true,
            function: None,
        };
        let has_after = !only_exits(&body.body) || before_body.is_none();
        if let Some((bbody, bdiag)) = before_body {
            let bname = if has_after {
                format!("{tname}_before")
            } else {
                tname.clone()
            };
            let mut lowered = mk(TriggerTiming::Before, &bname, bbody);
            let f = low.trigger_body(inp.syms, bname.clone(), &mut lowered.body, bdiag);
            if lowering_failed(&f) {
                found.extend(f);
                return (found, None);
            }
            found.extend(f);
            fix_types(&mut lowered.body);
            desc.push(format!("{} (BEFORE {event})", bname.to_lowercase()));
            before_names.push(bname.to_lowercase());
            made.push(lowered);
        }
        if has_after {
            let mut trig = mk(TriggerTiming::After, &tname, body);
            let f = low.trigger_body(inp.syms, tname.clone(), &mut trig.body, diag);
            if lowering_failed(&f) {
                found.extend(f);
                return (found, None);
            }
            found.extend(f);
            fix_types(&mut trig.body);
            desc.push(format!("{} (AFTER {event})", tname.to_lowercase()));
            made.push(trig);
        }
    }
    if !before_names.is_empty() {
        found.push(Finding::new(
            &codes::MYSQL_BEFORE_TRIGGER,
            span,
            &[&name, &before_names.join(", ")],
        ));
    }
    let what = format!(
        "the MySQL row trigger{} {}: inserted and deleted are the row's NEW and OLD values",
        if desc.len() > 1 { "s" } else { "" },
        desc.join(", ")
    );
    found.push(Finding::new(
        &codes::TSQL_TRIGGER_TABLES,
        span,
        &[&name, &what],
    ));
    (found, Some(made))
}

/// The first `NEW.<column>` of `columns` a body reads.
fn reads_new(b: &Block, columns: &[String]) -> Option<String> {
    struct F<'c>(&'c [String], Option<String>);
    impl VisitMut for F<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Column(q) = e
                && q.parts.len() == 2
                && q.parts[0].value == "NEW"
                && self
                    .0
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(&q.parts[1].value))
                && self.1.is_none()
            {
                self.1 = Some(format!("NEW.{}", q.parts[1].value));
            }
        }
    }
    let mut f = F(columns, None);
    walk_block(&mut f, &mut b.clone());
    f.1
}

/// A body that changes nothing (assignments, tests, exits): its trigger is not needed when
/// the BEFORE trigger does the work.
fn only_exits(ss: &[PlStmt]) -> bool {
    ss.iter().all(|s| match s {
        PlStmt::Exit { .. }
        | PlStmt::Return { .. }
        | PlStmt::Null(_)
        | PlStmt::Assign { .. }
        | PlStmt::SelectInto { .. }
        | PlStmt::Open { .. }
        | PlStmt::Fetch { .. }
        | PlStmt::Close { .. }
        | PlStmt::GetDiagnostics { .. } => true,
        // Its handlers run for errors of its body only.
        PlStmt::Block(b) => only_exits(&b.body),
        s @ (PlStmt::If { .. } | PlStmt::Case { .. } | PlStmt::Loop { .. }) => {
            s.lists().into_iter().all(|b| only_exits(b))
        }
        _ => false,
    })
}

// ---------------------------------------------------------------------------------------------
// Triggers: inserted / deleted per row
// ---------------------------------------------------------------------------------------------

impl StmtConv for Conv<'_> {
    fn convert(&mut self, s: PlStmt, out: &mut Vec<PlStmt>) {
        self.stmt(s, out)
    }
    fn convert_all(&mut self, ss: Vec<PlStmt>) -> Vec<PlStmt> {
        self.stmts(ss)
    }
}

impl Conv<'_> {
    /// Is this statement an UPDATE of the trigger's own table?
    fn is_self_update(&self, s: &PlStmt) -> bool {
        let Some(trig) = &self.trig else { return false };
        match s {
            PlStmt::Dml { stmt, .. } if matches!(stmt.as_ref(), Stmt::Update(_)) => {
                let mut copy = stmt.clone();
                multi_table(&mut copy).is_ok()
                    && matches!(copy.as_ref(), Stmt::Update(u) if trig.is_table(&u.table))
            }
            _ => false,
        }
    }

    fn has_self_update(&self, ss: &[PlStmt]) -> bool {
        ss.iter().any(|s| {
            self.is_self_update(s) || s.lists().into_iter().any(|b| self.has_self_update(b))
        })
    }

    /// UPDATEs of the trigger's own changed rows (`UPDATE t SET c = e FROM t JOIN inserted i
    /// ON t.pk = i.pk`, `... WHERE t.pk IN (SELECT pk FROM inserted)`): MySQL triggers cannot
    /// change their table, but a BEFORE trigger can set the row's values. The BEFORE trigger
    /// is the body with its control flow, the updates as `SET NEW.c = e` and every other
    /// change left out; the AFTER trigger is the body without the updates. Returns the
    /// BEFORE body and the columns it sets, or `None` when the body has no such update.
    fn split_self_updates(&mut self, body: &mut Block) -> Option<(Block, Vec<String>)> {
        let event = self.trig.as_ref()?.event;
        if !self.has_self_update(&body.body) {
            return None;
        }
        let mut before = body.clone();
        let mut removed: HashSet<String> = HashSet::new();
        let mut set_cols = Vec::new();
        if event != TriggerEventKind::Delete {
            let stmts = std::mem::take(&mut before.body);
            before.body = self.before_version(stmts, &mut removed, &mut set_cols);
            if self.failed {
                return None;
            }
            // Its cursors are the AFTER trigger's.
            before.decls.retain(|d| !matches!(d, Decl::Cursor { .. }));
        }
        remove_self_updates(self, &mut body.body);
        if event == TriggerEventKind::Delete {
            // No inserted rows: the updates change nothing.
            return None;
        }
        // The BEFORE trigger must not read what only the AFTER trigger computes.
        let mut refs = ParamRefs::default();
        walk_block(&mut refs, &mut before.clone());
        if let Some(v) = refs.names.iter().find(|n| removed.contains(*n)) {
            let (n, span) = (self.name.clone(), before.span);
            self.unsupported(
                span,
                &format!(
                    "trigger {n} updates its own table under a condition on {v}, which a statement that changes data sets; MySQL triggers cannot change their table"
                ),
            );
            return None;
        }
        Some((before, set_cols))
    }

    /// The BEFORE version of a statement list (see [`Conv::split_self_updates`]).
    fn before_version(
        &mut self,
        ss: Vec<PlStmt>,
        removed: &mut HashSet<String>,
        set_cols: &mut Vec<String>,
    ) -> Vec<PlStmt> {
        let mut out = Vec::new();
        for s in ss {
            if self.is_self_update(&s) {
                let PlStmt::Dml { mut stmt, span, .. } = s else {
                    continue;
                };
                if let Err(why) = multi_table(&mut stmt) {
                    self.unsupported(span, &why);
                    continue;
                }
                let Stmt::Update(u) = *stmt else { continue };
                match self.self_update(*u, span, set_cols) {
                    Ok(st) => out.push(st),
                    Err(why) => {
                        let n = self.name.clone();
                        self.unsupported(
                            span,
                            &format!("trigger {n} updates its own table ({why}); MySQL triggers cannot change their table"),
                        );
                    }
                }
                continue;
            }
            match s {
                PlStmt::If {
                    branches,
                    else_,
                    span,
                } => {
                    if branches.iter().any(|(c, _)| self.reads_own_table(c)) {
                        self.unsupported(
                            span,
                            "a trigger that updates its own table under a condition that reads the table",
                        );
                        continue;
                    }
                    let branches = branches
                        .into_iter()
                        .map(|(c, b)| (c, self.before_version(b, removed, set_cols)))
                        .collect();
                    let else_ = else_.map(|b| self.before_version(b, removed, set_cols));
                    out.push(PlStmt::If {
                        branches,
                        else_,
                        span,
                    });
                }
                PlStmt::Block(mut b) => {
                    let body = std::mem::take(&mut b.body);
                    b.body = self.before_version(body, removed, set_cols);
                    out.push(PlStmt::Block(b));
                }
                PlStmt::Loop { ref body, .. } if self.has_self_update(body) => {
                    let span = s.span();
                    self.unsupported(span, "a trigger that updates its own table in a loop");
                }
                PlStmt::Assign {
                    ref target,
                    ref value,
                    ..
                } if has_query(value) => {
                    if let Expr::Param(n, _) = target {
                        removed.insert(n.to_ascii_lowercase());
                    }
                }
                PlStmt::Assign { .. }
                | PlStmt::Return { .. }
                | PlStmt::Exit { .. }
                | PlStmt::Null(_) => out.push(s),
                PlStmt::Call {
                    call: Expr::Call(ref c),
                    ..
                } if c.name.name().value.eq_ignore_ascii_case("SET") => out.push(s),
                other => {
                    // A change of other data, or a query into variables: the AFTER trigger's.
                    let mut v = Vec::new();
                    assigned_vars(&other, &mut v);
                    removed.extend(v);
                }
            }
        }
        out
    }

    /// Does an expression read the trigger's own table?
    fn reads_own_table(&self, e: &Expr) -> bool {
        let Some(trig) = &self.trig else { return false };
        struct F<'t>(&'t TrigCtx, bool);
        impl VisitMut for F<'_> {
            fn enter_select(&mut self, s: &mut Select) {
                fn reads(t: &TableRef, trig: &TrigCtx) -> bool {
                    match t {
                        TableRef::Table { name, .. } => trig.is_table(name),
                        TableRef::Join { left, right, .. } => {
                            reads(left, trig) || reads(right, trig)
                        }
                        _ => false,
                    }
                }
                if s.from.iter().any(|f| reads(f, self.0)) {
                    self.1 = true;
                }
            }
        }
        let mut f = F(trig, false);
        walk_expr(&mut f, &mut e.clone());
        f.1
    }

    /// One self-update as `[IF w THEN] SET NEW.c = e, ...`.
    fn self_update(
        &mut self,
        u: Update,
        span: Span,
        set_cols: &mut Vec<String>,
    ) -> Result<PlStmt, String> {
        let trig = self.trig.as_ref().expect("a trigger");
        let t_alias = u
            .alias
            .clone()
            .unwrap_or_else(|| u.table.name().clone())
            .value;
        let table = u.table.clone();
        // `FROM inserted i` (the join), or no FROM and `WHERE t.pk IN (SELECT pk FROM
        // inserted)`.
        let i_alias = match u.from.as_slice() {
            [TableRef::Table { name, alias, .. }]
                if name.parts.len() == 1
                    && trig.source(&name.name().value) == Some(Some("NEW")) =>
            {
                alias.clone().unwrap_or_else(|| name.name().clone()).value
            }
            [] => String::new(),
            _ => return Err("its FROM is not the target joined to inserted".into()),
        };
        let mut conj = Vec::new();
        if let Some(w) = u.where_ {
            w.split_and(&mut conj);
        }
        let of_target = |q: &QName| refers(q, &t_alias, &table);
        let of_inserted = |q: &QName| {
            !i_alias.is_empty()
                && q.parts.len() == 2
                && q.parts[0].value.eq_ignore_ascii_case(&i_alias)
        };
        // The conditions that make it the row's update: every primary key column matched.
        let mut keyed: HashSet<String> = HashSet::new();
        let mut rest = Vec::new();
        for c in conj {
            if let Expr::Binary {
                op: BinOp::Eq,
                left,
                right,
                ..
            } = &c
                && let (Expr::Column(l), Expr::Column(r)) = (left.as_ref(), right.as_ref())
            {
                let pair = (of_target(l) && of_inserted(r)) || (of_inserted(l) && of_target(r));
                if pair && l.name().value.eq_ignore_ascii_case(&r.name().value) {
                    keyed.insert(l.name().value.to_ascii_lowercase());
                    continue;
                }
            }
            if let Some(k) = in_inserted(&c, trig, &of_target) {
                keyed.insert(k);
                continue;
            }
            rest.push(c);
        }
        if trig.primary_key.is_empty()
            || !trig
                .primary_key
                .iter()
                .all(|k| keyed.contains(&k.to_ascii_lowercase()))
        {
            return Err("it is not matched to inserted on the primary key".into());
        }
        // Both the target's columns and inserted's are the row's NEW values.
        let mut sub = NewValues {
            aliases: vec![t_alias.clone(), i_alias.clone()],
            columns: trig.columns.clone(),
            bad: None,
            table: trig.table.clone(),
        };
        let mut sets = Vec::new();
        for (cols, mut e) in u.set {
            walk_expr(&mut sub, &mut e);
            if cols.len() != 1 {
                return Err("it sets several columns from one value".into());
            }
            let c = trig
                .column(&cols[0].value)
                .cloned()
                .unwrap_or_else(|| cols[0].value.clone());
            if trig.late.iter().any(|i| i.eq_ignore_ascii_case(&c)) {
                return Err(format!("it sets the identity or computed column {c}"));
            }
            set_cols.push(c.clone());
            sets.push(PlStmt::assign(row_col("NEW", &c, span), e, span));
        }
        let mut cond = rest
            .into_iter()
            .reduce(|a, b| Expr::binary(BinOp::And, a, b, span));
        if let Some(c) = &mut cond {
            walk_expr(&mut sub, c);
        }
        if let Some(why) = sub.bad {
            return Err(why);
        }
        if trig.event == TriggerEventKind::Insert {
            let mut ids = IdentityRead {
                identity: trig.late.clone(),
                found: false,
            };
            for s in &mut sets {
                crate::ir::visit::walk_pl_stmt(&mut ids, s);
            }
            if let Some(c) = &mut cond {
                walk_expr(&mut ids, c);
            }
            if ids.found {
                return Err(
                    "it reads an identity or computed column, which a BEFORE INSERT trigger does not know yet"
                        .into(),
                );
            }
        }
        Ok(match cond {
            Some(c) => PlStmt::If {
                branches: vec![(c, sets)],
                else_: None,
                span,
            },
            None => PlStmt::Block(Box::new(Block {
                label: None,
                decls: Vec::new(),
                body: sets,
                handlers: Vec::new(),
                span,
            })),
        })
    }

    /// `inserted` / `deleted` in the whole body as the row's NEW / OLD values; UPDATE(col);
    /// what does not mean the same per row is flagged or not converted.
    fn rows(&mut self, body: &mut Block) {
        let Some(trig) = self.trig.take() else { return };
        let mut r = Rows {
            trig: &trig,
            syms: self.inp.syms,
            fail: None,
            reads_own: None,
            pairs: None,
            update_fn: Vec::new(),
            allowed: HashSet::new(),
        };
        r.dml(&mut body.body);
        walk_block(&mut r, body);
        let (fail, reads_own, pairs, update_fn) = (r.fail, r.reads_own, r.pairs, r.update_fn);
        let name = self.name.clone();
        if let Some((span, why)) = fail {
            self.unsupported(span, &format!("trigger {name} {why}"));
        }
        if let Some(span) = reads_own {
            let why = format!(
                "it reads its own table {}, where a row trigger sees the rows changed so far (T-SQL: all of them)",
                trig.table.display()
            );
            self.flag(&codes::MYSQL_ROW_TRIGGER, span, &[&name, &why]);
        }
        if let Some(span) = pairs {
            self.flag(
                &codes::MYSQL_ROW_TRIGGER,
                span,
                &[
                    &name,
                    "a query reads inserted with deleted: per row they are the new and old values of one row (T-SQL pairs the rows by their key, which differs when the key changes)",
                ],
            );
        }
        for (c, span) in update_fn {
            self.flag(&codes::MYSQL_UPDATE_FUNCTION, span, &[&c, &name]);
        }
        self.trig = Some(trig);
    }
}

/// `t.pk IN (SELECT pk FROM inserted)`: the key column it matches.
fn in_inserted(c: &Expr, trig: &TrigCtx, of_target: &dyn Fn(&QName) -> bool) -> Option<String> {
    let Expr::InQuery {
        expr,
        query,
        not: false,
        ..
    } = c
    else {
        return None;
    };
    let Expr::Column(k) = expr.as_ref() else {
        return None;
    };
    if !(k.parts.len() == 1 || of_target(k)) {
        return None;
    }
    let SetExpr::Select(sel) = &query.body else {
        return None;
    };
    let [TableRef::Table { name, alias, .. }] = sel.from.as_slice() else {
        return None;
    };
    if name.parts.len() != 1
        || trig.source(&name.name().value) != Some(Some("NEW"))
        || sel.where_.is_some()
        || !sel.group_by.is_empty()
    {
        return None;
    }
    let [
        SelectItem::Expr {
            expr: Expr::Column(ic),
            ..
        },
    ] = sel.items.as_slice()
    else {
        return None;
    };
    let qualifier = alias.as_ref().unwrap_or(name.name());
    let ok = ic.name().value.eq_ignore_ascii_case(&k.name().value)
        && (ic.parts.len() == 1
            || ic.parts.len() == 2 && ic.parts[0].value.eq_ignore_ascii_case(&qualifier.value));
    ok.then(|| k.name().value.to_ascii_lowercase())
}

/// Takes the self-updates out of a statement list (the AFTER trigger's body).
fn remove_self_updates(c: &Conv, ss: &mut Vec<PlStmt>) {
    ss.retain(|s| !c.is_self_update(s));
    for s in ss {
        for b in s.lists_mut() {
            remove_self_updates(c, b);
        }
    }
}

/// Does an expression hold a query?
fn has_query(e: &Expr) -> bool {
    struct F(bool);
    impl VisitMut for F {
        fn query(&mut self, _q: &mut Query) {
            self.0 = true;
        }
    }
    let mut f = F(false);
    walk_expr(&mut f, &mut e.clone());
    f.0
}

/// The variables a statement assigns (`SELECT @v = ...`, `FETCH ... INTO`, `SET @v = ...`,
/// the arguments of a procedure call, which may be OUTPUT ones).
fn assigned_vars(s: &PlStmt, out: &mut Vec<String>) {
    let mut push = |e: &Expr| {
        if let Expr::Param(n, _) = e
            && !n.starts_with("@@")
        {
            out.push(n.to_ascii_lowercase());
        }
    };
    match s {
        PlStmt::SelectInto { into, .. } | PlStmt::Fetch { into, .. } => into.iter().for_each(push),
        PlStmt::Assign { target, .. } => push(target),
        PlStmt::Call {
            call: Expr::Call(c),
            ..
        } => c.args.iter().for_each(|a| push(&a.value)),
        s => {
            for b in s.lists() {
                b.iter().for_each(|s| assigned_vars(s, out));
            }
        }
    }
}

/// `q` (two or more parts) qualified by `alias` or by the table's name.
fn refers(q: &QName, alias: &str, table: &QName) -> bool {
    if q.parts.len() < 2 {
        return false;
    }
    let qual = &q.parts[..q.parts.len() - 1];
    let text = qual
        .iter()
        .map(|p| p.value.as_str())
        .collect::<Vec<_>>()
        .join(".");
    text.eq_ignore_ascii_case(alias)
        || text.eq_ignore_ascii_case(&table.display())
        || qual
            .last()
            .is_some_and(|l| l.value.eq_ignore_ascii_case(&table.name().value))
}

/// In a self-update: the target's and inserted's columns as `NEW.col`.
struct NewValues {
    aliases: Vec<String>,
    columns: Vec<String>,
    table: QName,
    bad: Option<String>,
}

impl VisitMut for NewValues {
    fn enter_select(&mut self, s: &mut Select) {
        // A query of the expression must not read the trigger's table (not stored yet).
        fn reads(t: &TableRef, table: &QName) -> bool {
            match t {
                TableRef::Table { name, .. } => {
                    name.name().value.eq_ignore_ascii_case(&table.name().value)
                }
                TableRef::Join { left, right, .. } => reads(left, table) || reads(right, table),
                _ => false,
            }
        }
        if s.from.iter().any(|f| reads(f, &self.table)) {
            self.bad = Some("a query in it reads the table".into());
        }
    }
    fn expr(&mut self, e: &mut Expr) {
        match e {
            Expr::Column(q) => {
                let span = q.span();
                let c = q.name().value.clone();
                let known = self
                    .columns
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(&c))
                    .cloned();
                let ours = self
                    .aliases
                    .iter()
                    .any(|a| !a.is_empty() && refers(q, a, &self.table));
                match (q.parts.len(), known) {
                    (1, Some(k)) => *e = row_col("NEW", &k, span),
                    (_, Some(k)) if ours => *e = row_col("NEW", &k, span),
                    (_, None) if ours => {
                        self.bad = Some(format!("{} is not a column of the table", q.display()));
                    }
                    _ => {}
                }
            }
            Expr::Param(n, _) if !n.starts_with("@@") => {
                self.bad = Some(format!("it reads the variable {n}"));
            }
            _ => {}
        }
    }
}

/// Does an expression read `NEW.<identity column>`?
struct IdentityRead {
    identity: Vec<String>,
    found: bool,
}

impl VisitMut for IdentityRead {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e
            && q.parts.len() == 2
            && q.parts[0].value == "NEW"
            && self
                .identity
                .iter()
                .any(|i| i.eq_ignore_ascii_case(&q.parts[1].value))
        {
            self.found = true;
        }
    }
}

/// The rewrite of `inserted` / `deleted` for one event (a visitor: every SELECT of the body,
/// at any depth; UPDATE / DELETE FROM lists by [`Rows::dml`]).
struct Rows<'t> {
    trig: &'t TrigCtx,
    syms: &'t Symbols,
    fail: Option<(Span, String)>,
    reads_own: Option<Span>,
    pairs: Option<Span>,
    update_fn: Vec<(String, Span)>,
    /// Spans of the aggregate queries whose per-row value adds up (`x = x + (SELECT SUM ...)`).
    allowed: HashSet<(u32, u32)>,
}

/// A transition table in a FROM tree: its alias and row, and whether it is only
/// inner-joined (so that it can be taken out of the FROM list).
struct Found {
    alias: String,
    row: Option<&'static str>,
    top: bool,
    span: Span,
}

impl Rows<'_> {
    fn failed(&mut self, span: Span, why: &str) {
        if self.fail.is_none() {
            self.fail = Some((span, why.to_string()));
        }
    }

    /// Transition tables of a FROM list.
    fn find(&self, from: &[TableRef]) -> Vec<Found> {
        fn walk(t: &TableRef, top: bool, trig: &TrigCtx, out: &mut Vec<Found>) {
            match t {
                TableRef::Table { name, alias, span } if name.parts.len() == 1 => {
                    if let Some(row) = trig.source(&name.name().value) {
                        out.push(Found {
                            alias: alias.as_ref().unwrap_or(name.name()).value.clone(),
                            row,
                            top,
                            span: *span,
                        });
                    }
                }
                TableRef::Join { left, right, .. } => {
                    walk(left, false, trig, out);
                    walk(right, false, trig, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for f in from {
            walk(f, true, self.trig, &mut out);
        }
        out
    }

    /// A one-row derived table of `NEW` / `OLD` (no row when the event has none), with the
    /// columns `names`.
    fn derived(&self, row: Option<&str>, names: &[String], alias: &str, span: Span) -> TableRef {
        let items = names
            .iter()
            .map(|c| SelectItem::Expr {
                expr: match row {
                    Some(r) => row_col(r, c, span),
                    None => Expr::Null(span),
                },
                alias: Some(Ident::new(c.clone(), span)),
            })
            .collect();
        let q = match row {
            Some(_) => Query::select(items, Vec::new(), None, span),
            None => Query::select(items, Vec::new(), Some(Expr::Bool(false, span)), span),
        };
        TableRef::Subquery {
            query: Box::new(q),
            alias: Some(Ident::new(alias, span)),
            lateral: false,
            span,
        }
    }

    /// Columns of the trigger table a piece of SQL names (all when it has a wildcard).
    fn named_columns(&self, names: &ColNames) -> Vec<String> {
        if names.wildcard {
            return self.trig.columns.clone();
        }
        let v: Vec<String> = self
            .trig
            .columns
            .iter()
            .filter(|c| names.all.contains(&c.to_ascii_lowercase()))
            .cloned()
            .collect();
        if v.is_empty() {
            self.trig.columns.iter().take(1).cloned().collect()
        } else {
            v
        }
    }

    /// Replaces every transition table of a FROM tree by a derived table.
    fn derive_all(&self, t: &mut TableRef, names: &[String]) {
        match t {
            TableRef::Table { name, alias, span } if name.parts.len() == 1 => {
                if let Some(row) = self.trig.source(&name.name().value) {
                    let a = alias.as_ref().unwrap_or(name.name()).value.clone();
                    *t = self.derived(row, names, &a, *span);
                }
            }
            TableRef::Join { left, right, .. } => {
                self.derive_all(left, names);
                self.derive_all(right, names);
            }
            _ => {}
        }
    }

    /// UPDATE / DELETE / INSERT statements of the body: their target, and the transition
    /// tables of UPDATE and DELETE FROM lists.
    fn dml(&mut self, ss: &mut [PlStmt]) {
        for s in ss {
            match s {
                PlStmt::Dml { stmt, span, .. } => {
                    let span = *span;
                    if let Err(why) = multi_table(stmt) {
                        self.failed(span, &why);
                        continue;
                    }
                    let target = match stmt.as_ref() {
                        Stmt::Update(u) => Some(u.table.clone()),
                        Stmt::Delete(d) => Some(d.table.clone()),
                        Stmt::Insert(i) => Some(i.table.clone()),
                        _ => None,
                    };
                    if let Some(t) = target
                        && self.trig.is_table(&t)
                    {
                        self.failed(
                            span,
                            &format!(
                                "changes its own table {} (MySQL triggers cannot, error 1442)",
                                t.display()
                            ),
                        );
                        continue;
                    }
                    self.dml_from(stmt, span);
                }
                s => {
                    for b in s.lists_mut() {
                        self.dml(b);
                    }
                }
            }
        }
    }

    /// The transition tables of an UPDATE's / DELETE's FROM list: taken out (their columns
    /// become NEW / OLD values) when they are items of the list, else derived tables.
    fn dml_from(&mut self, stmt: &mut Stmt, span: Span) {
        let mut names = ColNames::default();
        walk_stmt(&mut names, &mut stmt.clone());
        if let Stmt::Update(u) = &*stmt {
            // `x = x + (SELECT SUM(...) FROM inserted ...)`: the rows' values add up.
            for (cols, e) in &u.set {
                if let Expr::Binary {
                    op: BinOp::Add | BinOp::Sub,
                    right,
                    ..
                } = e
                    && let Expr::Subquery(q) = right.as_ref()
                    && additive(q)
                    && cols.len() == 1
                {
                    self.allowed.insert((q.span.start, q.span.end));
                }
            }
        }
        let found = match &*stmt {
            Stmt::Update(u) => self.find(&u.from),
            Stmt::Delete(d) => self.find(&d.using),
            _ => return,
        };
        if found.is_empty() {
            return;
        }
        let target_cols: Vec<String> = stmt_target(stmt)
            .and_then(|t| table_info(self.syms, &t))
            .map(|i| {
                i.columns
                    .iter()
                    .map(|(n, _)| n.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        // Unqualified names of the transition table's columns (not the target's) cannot be
        // told apart from the other tables': derived tables keep their meaning.
        let unqualified_row_cols = names.unqualified.iter().any(|n| {
            self.trig.column(n).is_some() && !target_cols.contains(&n.to_ascii_lowercase())
        });
        let cols = self.named_columns(&names);
        let from = match stmt {
            Stmt::Update(u) => &mut u.from,
            Stmt::Delete(d) => &mut d.using,
            _ => return,
        };
        if unqualified_row_cols || found.iter().any(|f| !f.top) {
            for f in from.iter_mut() {
                self.derive_all(f, &cols);
            }
            return;
        }
        // Items of the list: out of it, their columns the row's values.
        let subst: Vec<(String, Option<&'static str>)> =
            found.iter().map(|f| (f.alias.clone(), f.row)).collect();
        let trig = self.trig;
        from.retain(|f| {
            !matches!(f, TableRef::Table { name, .. }
                if name.parts.len() == 1 && trig.source(&name.name().value).is_some())
        });
        let none = subst.iter().any(|(_, r)| r.is_none());
        let mut sub = RowValues {
            subst,
            columns: self.trig.columns.clone(),
        };
        walk_stmt(&mut sub, stmt);
        if none {
            // No such rows for this event: nothing is changed.
            match stmt {
                Stmt::Update(u) => u.where_ = Some(Expr::Bool(false, span)),
                Stmt::Delete(d) => d.where_ = Some(Expr::Bool(false, span)),
                _ => {}
            }
        }
    }
}

/// The target table of an UPDATE or DELETE.
fn stmt_target(s: &Stmt) -> Option<QName> {
    match s {
        Stmt::Update(u) => Some(u.table.clone()),
        Stmt::Delete(d) => Some(d.table.clone()),
        _ => None,
    }
}

/// A query of SUM / COUNT only (its per-row values add up to the value for the set).
fn additive(q: &Query) -> bool {
    let SetExpr::Select(s) = &q.body else {
        return false;
    };
    s.group_by.is_empty()
        && s.items.iter().all(|i| match i {
            SelectItem::Expr { expr, .. } => {
                let e = match expr {
                    Expr::Call(c)
                        if matches!(c.name.name().value.to_ascii_uppercase().as_str(), "ISNULL" | "COALESCE")
                            && !c.args.is_empty() =>
                    {
                        &c.args[0].value
                    }
                    e => e,
                };
                matches!(e, Expr::Call(c) if c.over.is_none() && matches!(c.name.name().value.to_ascii_uppercase().as_str(), "SUM" | "COUNT" | "COUNT_BIG"))
            }
            SelectItem::Wildcard(_) => false,
        })
}

/// Column names a piece of SQL reads.
#[derive(Default)]
struct ColNames {
    /// Last parts of every column reference (lower case).
    all: HashSet<String>,
    /// Unqualified column references.
    unqualified: Vec<String>,
    wildcard: bool,
}

impl VisitMut for ColNames {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e {
            self.all.insert(q.name().value.to_ascii_lowercase());
            if q.parts.len() == 1 {
                self.unqualified.push(q.parts[0].value.clone());
            }
        }
    }
    fn enter_select(&mut self, s: &mut Select) {
        if s.items.iter().any(|i| matches!(i, SelectItem::Wildcard(_))) {
            self.wildcard = true;
        }
    }
}

/// `alias.col` of transition tables taken out of a FROM list as `NEW.col` / `OLD.col` (NULL
/// when the event has no such row).
struct RowValues {
    subst: Vec<(String, Option<&'static str>)>,
    columns: Vec<String>,
}

impl VisitMut for RowValues {
    fn expr(&mut self, e: &mut Expr) {
        let Expr::Column(q) = e else { return };
        if q.parts.len() != 2 {
            return;
        }
        let Some((_, row)) = self
            .subst
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(&q.parts[0].value))
        else {
            return;
        };
        let span = q.span();
        let c = self
            .columns
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&q.parts[1].value))
            .cloned()
            .unwrap_or_else(|| q.parts[1].value.clone());
        *e = match row {
            Some(r) => row_col(r, &c, span),
            None => Expr::Null(span),
        };
    }
}

impl VisitMut for Rows<'_> {
    fn enter_select(&mut self, s: &mut Select) {
        fn reads(t: &TableRef, trig: &TrigCtx) -> bool {
            match t {
                TableRef::Table { name, .. } => trig.is_table(name),
                TableRef::Join { left, right, .. } => reads(left, trig) || reads(right, trig),
                _ => false,
            }
        }
        if self.reads_own.is_none() && s.from.iter().any(|f| reads(f, self.trig)) {
            self.reads_own = Some(s.span);
        }
        let found = self.find(&s.from);
        if found.is_empty() {
            return;
        }
        let span = found[0].span;
        if found.iter().any(|f| f.row == Some("NEW")) && found.iter().any(|f| f.row == Some("OLD"))
        {
            self.pairs.get_or_insert(span);
        }
        // Aggregates over the rows: per row they see one.
        let aggregated = s.items.iter().any(|i| match i {
            SelectItem::Expr { expr, .. } => has_aggregate(expr),
            SelectItem::Wildcard(_) => false,
        }) || s.having.is_some();
        if aggregated && !self.allowed.contains(&(s.span.start, s.span.end)) {
            let allowed = self
                .allowed
                .iter()
                .any(|&(a, b)| a <= s.span.start && s.span.end <= b);
            if !allowed {
                self.failed(
                    span,
                    "aggregates the rows of inserted / deleted: a MySQL row trigger sees one row at a time",
                );
            }
        }
        let mut names = ColNames::default();
        walk_select_clone(&mut names, s);
        // Unqualified names in the subqueries of this SELECT may be the transition table's
        // columns or their own tables': a derived table keeps the meaning.
        let mut nested = NestedUnqualified::default();
        walk_select_clone(&mut nested, s);
        let nested_row_cols = nested.names.iter().any(|n| self.trig.column(n).is_some());
        let cols = self.named_columns(&names);
        let single = s.from.len() == 1 && found.len() == 1 && found[0].top;
        if nested_row_cols || found.iter().any(|f| !f.top) {
            for f in &mut s.from {
                self.derive_all(f, &cols);
            }
            return;
        }
        if !single {
            // Items of a FROM list with other tables: out of it when no unqualified name can
            // be one of their columns.
            if names.wildcard
                || names
                    .unqualified
                    .iter()
                    .any(|n| self.trig.column(n).is_some())
            {
                for f in &mut s.from {
                    self.derive_all(f, &cols);
                }
                return;
            }
            let subst: Vec<(String, Option<&'static str>)> =
                found.iter().map(|f| (f.alias.clone(), f.row)).collect();
            let trig = self.trig;
            s.from.retain(|f| {
                !matches!(f, TableRef::Table { name, .. }
                    if name.parts.len() == 1 && trig.source(&name.name().value).is_some())
            });
            let none = subst.iter().any(|(_, r)| r.is_none());
            let mut sub = RowValues {
                subst,
                columns: self.trig.columns.clone(),
            };
            for it in &mut s.items {
                if let SelectItem::Expr { expr, .. } = it {
                    walk_expr(&mut sub, expr);
                }
            }
            for e in s
                .where_
                .iter_mut()
                .chain(s.group_by.iter_mut())
                .chain(s.having.iter_mut())
            {
                walk_expr(&mut sub, e);
            }
            for f in &mut s.from {
                walk_on(&mut sub, f);
            }
            if none {
                s.where_ = Some(Expr::Bool(false, span));
            }
            return;
        }
        // `... FROM inserted [i]`: the row's values themselves.
        let f = &found[0];
        let mut sub = RowValues {
            subst: vec![(f.alias.clone(), f.row)],
            columns: self.trig.columns.clone(),
        };
        let mut unq = Unqualified {
            row: f.row,
            columns: self.trig.columns.clone(),
        };
        let row = f.row;
        s.from.clear();
        let mut items = Vec::new();
        for it in std::mem::take(&mut s.items) {
            match it {
                SelectItem::Wildcard(_) => {
                    for c in &self.trig.columns {
                        items.push(SelectItem::Expr {
                            expr: match row {
                                Some(r) => row_col(r, c, span),
                                None => Expr::Null(span),
                            },
                            alias: Some(Ident::new(c.clone(), span)),
                        });
                    }
                }
                SelectItem::Expr { mut expr, alias } => {
                    // A bare column keeps its name.
                    let alias = alias.or_else(|| match &expr {
                        Expr::Column(q) if self.trig.column(&q.name().value).is_some() => {
                            Some(q.name().clone())
                        }
                        _ => None,
                    });
                    walk_expr(&mut sub, &mut expr);
                    unq.top(&mut expr);
                    items.push(SelectItem::Expr { expr, alias });
                }
            }
        }
        s.items = items;
        for e in s
            .where_
            .iter_mut()
            .chain(s.group_by.iter_mut())
            .chain(s.having.iter_mut())
        {
            walk_expr(&mut sub, e);
            unq.top(e);
        }
        if row.is_none() {
            s.where_ = Some(Expr::Bool(false, span));
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        // UPDATE(col): TRUE for INSERT, FALSE for DELETE, a change test for UPDATE.
        let Expr::Call(c) = e else { return };
        if !(c.name.parts.len() == 1
            && c.name.name().value.eq_ignore_ascii_case("UPDATE")
            && c.args.len() == 1)
        {
            return;
        }
        let span = c.span;
        let column = match &c.args[0].value {
            Expr::Column(q) => q.name().value.clone(),
            _ => {
                self.failed(span, "uses UPDATE() of something else than a column");
                return;
            }
        };
        let column = self.trig.column(&column).cloned().unwrap_or(column);
        *e = match self.trig.event {
            TriggerEventKind::Insert => Expr::Bool(true, span),
            TriggerEventKind::Delete => Expr::Bool(false, span),
            TriggerEventKind::Update => {
                self.update_fn.push((column.clone(), span));
                Expr::Unary {
                    op: UnaryOp::Not,
                    expr: Box::new(Expr::IsDistinct {
                        left: Box::new(row_col("NEW", &column, span)),
                        right: Box::new(row_col("OLD", &column, span)),
                        not: true,
                        span,
                    }),
                    span,
                }
            }
        };
    }
}

/// Visits the join conditions (and derived tables) of a FROM item.
fn walk_on<V: VisitMut>(v: &mut V, t: &mut TableRef) {
    crate::ir::visit::walk_table_ref(v, t);
}

/// Visits a copy of a SELECT (the visitor only reads).
fn walk_select_clone<V: VisitMut>(v: &mut V, s: &Select) {
    let mut q = Query::select(Vec::new(), Vec::new(), None, s.span);
    q.body = SetExpr::Select(Box::new(s.clone()));
    walk_query(v, &mut q);
}

/// Unqualified column names inside the subqueries of a SELECT (not its own).
#[derive(Default)]
struct NestedUnqualified {
    depth: u32,
    names: Vec<String>,
}

impl VisitMut for NestedUnqualified {
    fn query(&mut self, q: &mut Query) {
        self.depth += 1;
        if self.depth > 1 {
            let mut c = ColNames::default();
            walk_set_clone(&mut c, q);
            self.names.extend(c.unqualified);
        }
    }
}

fn walk_set_clone(v: &mut ColNames, q: &Query) {
    let mut q = q.clone();
    q.order_by.clear();
    walk_query(v, &mut q);
}

/// Unqualified column names of the transition table at the top level of a SELECT (its
/// subqueries have none, see [`NestedUnqualified`]).
struct Unqualified {
    row: Option<&'static str>,
    columns: Vec<String>,
}

impl Unqualified {
    fn top(&mut self, e: &mut Expr) {
        walk_expr(self, e);
    }
}

impl VisitMut for Unqualified {
    fn expr(&mut self, e: &mut Expr) {
        let Expr::Column(q) = e else { return };
        if q.parts.len() != 1 {
            return;
        }
        let Some(c) = self
            .columns
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&q.parts[0].value))
            .cloned()
        else {
            return;
        };
        let span = q.span();
        *e = match self.row {
            Some(r) => row_col(r, &c, span),
            None => Expr::Null(span),
        };
    }
}

/// An aggregate call in an expression (not in its subqueries).
fn has_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            (c.over.is_none()
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
                        | "CHECKSUM_AGG"
                        | "GROUPING"
                ))
                || c.args.iter().any(|a| has_aggregate(&a.value))
        }
        Expr::Binary { left, right, .. } => has_aggregate(left) || has_aggregate(right),
        Expr::Unary { expr, .. } | Expr::Cast { expr, .. } => has_aggregate(expr),
        Expr::Case(c) => {
            c.operand.as_ref().is_some_and(has_aggregate)
                || c.whens
                    .iter()
                    .any(|(a, b)| has_aggregate(a) || has_aggregate(b))
                || c.else_.as_ref().is_some_and(has_aggregate)
        }
        _ => false,
    }
}
