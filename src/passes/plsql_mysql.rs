//! The MySQL side of the plsql pass (a child module of `passes::plsql`): the decisions that
//! turn resolved PL/SQL into MySQL stored programs. `plsql.rs` resolves names as for every
//! target and calls in here where MySQL differs; after resolution, [`lower_routine`],
//! [`trigger`], [`package`] and [`anonymous_block`] rewrite the procedural IR into the forms
//! `backend::mysql::routine` prints.
//!
//! Decisions (documented in the catalog, PLS020-PLS029, TGT006):
//! - routines keep their names; package subprograms become `package__name` routines of the
//!   same database (a database per package would resolve unqualified tables in that
//!   database); package variables are user variables `@package__var`;
//! - MySQL has no parameter defaults nor named arguments: calls to routines of the input are
//!   made positional and completed with the defaults;
//! - a variable or parameter named like a column is renamed (`V_NAME`): in SQL statements
//!   MySQL resolves such a name to the variable, PL/SQL to the column;
//! - exceptions: `RAISE_APPLICATION_ERROR(-20nnn, m)` is `SIGNAL SQLSTATE 'P2nnn' SET
//!   MESSAGE_TEXT = m, MYSQL_ERRNO = 20nnn` (the PostgreSQL SQLSTATE, so both targets agree);
//!   user exceptions get a stable `P1nnn`; `NO_DATA_FOUND` is `SQLSTATE 'P0002'`, raised
//!   explicitly by `SELECT INTO` (MySQL only warns when no row is found, and raises error
//!   1172 on several rows, which is `TOO_MANY_ROWS`); handlers are `EXIT` handlers;
//!   `SQLERRM`/`SQLCODE` come from `GET DIAGNOSTICS` at the start of the handler;
//! - `DBMS_OUTPUT.PUT_LINE` is dropped (a SELECT would add result sets);
//! - loops get labels (`LEAVE`/`ITERATE` need them), numeric `FOR` loops become `WHILE`
//!   loops, cursor `FOR` loops an `OPEN`/`FETCH` loop with a `CONTINUE HANDLER FOR NOT FOUND`,
//!   records (`%ROWTYPE`, loop records) one variable per field (`R_FIELD`);
//! - triggers: one per event, statement triggers as row triggers when that is harmless,
//!   `UPDATE OF` and `WHEN` as tests in the body, disabled triggers not created;
//! - anonymous blocks: a temporary procedure created, called and dropped.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Conv, Entry, PkgVar, raw};
use crate::diag::Code;
use crate::ir::plsql::*;
use crate::ir::visit::{VisitMut, walk_block, walk_expr, walk_pl_stmts, walk_query};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// Per-routine MySQL state of the converter.
#[derive(Default)]
pub(super) struct State {
    /// Every column name of the input's tables.
    pub columns: HashSet<String>,
    /// Declared types of parameters and variables (for `%TYPE`).
    pub var_types: HashMap<String, TypeRef>,
    /// Variables and parameters renamed because a column has their name.
    pub renames: HashMap<String, String>,
    /// Cursors whose `%FOUND` / `%NOTFOUND` is read.
    pub cursor_flags: BTreeSet<String>,
    /// `SQLERRM` / `SQLCODE` are read.
    pub diag: bool,
    /// Anonymous blocks seen (their procedure names).
    pub blocks: u32,
    /// The code was converted from another source (T-SQL, see `MysqlLowering`): its `SELECT
    /// INTO`s keep MySQL's semantics unless strict, its cursor rows are not records.
    pub foreign: bool,
}

impl State {
    pub fn reset(&mut self) {
        self.var_types.clear();
        self.renames.clear();
        self.cursor_flags.clear();
        self.diag = false;
    }
}

const NF: &str = "SCHEMAC_NF";
const MSG: &str = "SCHEMAC_MSG";
const ERRM: &str = "SCHEMAC_SQLERRM";
const ERRNO: &str = "SCHEMAC_ERRNO";
const BODY: &str = "SCHEMAC_BODY";

fn col(name: &str, span: Span) -> Expr {
    Expr::Column(QName::single(Ident::new(name, span)))
}

fn num(n: i64, span: Span) -> Expr {
    Expr::Number(n.to_string(), span)
}

fn source_type(name: &str, args: Vec<Option<i64>>, span: Span) -> TypeRef {
    TypeRef::new(SourceType {
        name: name.into(),
        args,
        modifier: None,
        span,
    })
}

fn var(name: &str, ty: TypeRef, default: Option<Expr>, span: Span) -> Decl {
    Decl::Var {
        name: Ident::new(name, span),
        ty,
        constant: false,
        not_null: false,
        default,
        span,
    }
}

fn assign(target: Expr, value: Expr, span: Span) -> PlStmt {
    PlStmt::Assign {
        target,
        value,
        span,
    }
}

fn call(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    Call::expr(name, args, span)
}

/// Codes whose text speaks of PostgreSQL, as the MySQL codes that say the same.
pub(super) fn remap(code: &'static Code, args: &[&str]) -> (&'static Code, Vec<String>) {
    let fix = |s: &str| {
        s.replace("PL/pgSQL", "MySQL")
            .replace("PostgreSQL", "MySQL")
    };
    let a = |i: usize| args.get(i).map(|s| s.to_string()).unwrap_or_default();
    if std::ptr::eq(code, &codes::UNSUPPORTED_PLSQL) {
        return (&codes::MYSQL_UNSUPPORTED_PLSQL, vec![a(0), fix(&a(1))]);
    }
    if std::ptr::eq(code, &codes::PACKAGE_VARIABLE_SETTING) {
        return (
            &codes::MYSQL_PACKAGE,
            vec![
                a(0),
                format!(
                    "variable {} is kept in the user variable @{} (session state, loosely typed)",
                    a(1),
                    a(2)
                ),
            ],
        );
    }
    if std::ptr::eq(code, &codes::PACKAGE_STATE) {
        return (
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            vec![
                format!("{} of package {}", a(1), a(0)),
                "package state other than scalar variables is not converted".into(),
            ],
        );
    }
    if std::ptr::eq(code, &codes::AUTONOMOUS_TRANSACTION) {
        return (
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            vec![
                "PRAGMA AUTONOMOUS_TRANSACTION".into(),
                "MySQL routines run in their caller's transaction".into(),
            ],
        );
    }
    if std::ptr::eq(code, &codes::BUILTIN_PACKAGE) {
        return (
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            vec![
                a(0),
                format!("Oracle-supplied package; replacement: {}", a(1)),
            ],
        );
    }
    if std::ptr::eq(code, &codes::PREDEFINED_EXCEPTION) {
        return (
            &codes::MYSQL_HANDLER_CONDITION,
            vec![a(0), a(1), "it covers different errors".into()],
        );
    }
    (code, args.iter().map(|s| s.to_string()).collect())
}

/// Oracle-supplied packages and what to use on MySQL.
pub(super) fn builtin_package(name: &str) -> Option<&'static str> {
    let pkg = name.split('.').find(|p| *p != "SYS")?;
    Some(match pkg {
        "DBMS_OUTPUT" => "a log table",
        "DBMS_LOCK" => "SLEEP() / GET_LOCK()",
        "DBMS_SQL" => "PREPARE / EXECUTE",
        "DBMS_LOB" => "string functions",
        "DBMS_UTILITY" => "GET DIAGNOSTICS / NOW(6)",
        "DBMS_RANDOM" => "RAND()",
        "DBMS_JOB" | "DBMS_SCHEDULER" => "CREATE EVENT",
        "DBMS_STATS" => "ANALYZE TABLE",
        "UTL_FILE" => "SELECT ... INTO OUTFILE or an external program",
        "DBMS_CRYPTO" => "AES_ENCRYPT() / SHA2()",
        p if p.starts_with("DBMS_") || p.starts_with("UTL_") || p.starts_with("APEX_") => {
            "a rewrite"
        }
        _ => return None,
    })
}

/// The MySQL handler condition of an Oracle predefined exception, and why it is not exact.
pub(super) fn condition(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match name {
        "NO_DATA_FOUND" => ("SQLSTATE 'P0002'", None),
        "TOO_MANY_ROWS" => ("1172", None),
        "DUP_VAL_ON_INDEX" => ("1062", None),
        "CASE_NOT_FOUND" => ("1339", None),
        "CURSOR_ALREADY_OPEN" => ("1325", None),
        "OTHERS" => ("SQLEXCEPTION", None),
        "ZERO_DIVIDE" => (
            "1365",
            Some(
                "MySQL returns NULL for a division by zero unless ERROR_FOR_DIVISION_BY_ZERO and strict mode are on, and raises it only in INSERT and UPDATE",
            ),
        ),
        "VALUE_ERROR" => (
            "1264, 1265, 1366, 1406",
            Some(
                "MySQL raises these conversion errors in strict mode only, when values are stored",
            ),
        ),
        "INVALID_NUMBER" => (
            "1366",
            Some("MySQL raises it in strict mode only, when a value is stored"),
        ),
        "INVALID_CURSOR" => (
            "1326",
            Some("MySQL raises it for a cursor that is not open"),
        ),
        "TIMEOUT_ON_RESOURCE" => ("1205", Some("lock wait timeout")),
        "STORAGE_ERROR" | "PROGRAM_ERROR" => ("SQLEXCEPTION", Some("every SQL error")),
        _ => return None,
    })
}

/// `RAISE <predefined exception>`: SQLSTATE, MYSQL_ERRNO and message of the MySQL error.
pub(super) fn raise_predefined(name: &str, span: Span) -> Option<PlStmt> {
    let (state, errno, msg) = match name {
        "NO_DATA_FOUND" => ("P0002", None, "no data found"),
        "TOO_MANY_ROWS" => (
            "42000",
            Some(1172),
            "exact fetch returns more than requested number of rows",
        ),
        "DUP_VAL_ON_INDEX" => ("23000", Some(1062), "unique constraint violated"),
        "ZERO_DIVIDE" => ("22012", Some(1365), "divisor is equal to zero"),
        "CASE_NOT_FOUND" => ("20000", Some(1339), "case not found"),
        "VALUE_ERROR" => ("22003", Some(1264), "numeric or value error"),
        "INVALID_NUMBER" => ("HY000", Some(1366), "invalid number"),
        "INVALID_CURSOR" => ("24000", Some(1326), "invalid cursor"),
        "CURSOR_ALREADY_OPEN" => ("24000", Some(1325), "cursor already open"),
        "TIMEOUT_ON_RESOURCE" => (
            "HY000",
            Some(1205),
            "timeout occurred while waiting for a resource",
        ),
        _ => return None,
    };
    Some(PlStmt::RaiseError {
        sqlstate: state.into(),
        message: Expr::String(msg.into(), span),
        errno,
        span,
    })
}

/// `PRAGMA EXCEPTION_INIT(e, code)`: the MySQL condition (`SQLSTATE` of five characters or
/// an error number).
pub(super) fn exception_init(code: i64) -> Option<String> {
    let n = -code;
    if (20000..=20999).contains(&n) {
        return Some(format!("P2{:03}", n - 20000));
    }
    Some(
        match n {
            1 => "1062",
            1400 | 1407 => "1048",
            2290 => "3819",
            2291 => "1452",
            2292 => "1451",
            1403 | -100 => "P0002",
            1422 => "1172",
            1476 => "1365",
            54 | 30006 => "1205",
            60 => "1213",
            1722 => "1366",
            _ => return None,
        }
        .to_string(),
    )
}

/// The handler condition text of an exception's SQLSTATE or error number.
pub(super) fn condition_of(s: &str) -> String {
    if s.len() == 5 {
        format!("SQLSTATE '{s}'")
    } else {
        s.to_string()
    }
}

/// `RAISE e` of a user exception.
pub(super) fn raise_user(state: &str, span: Span) -> PlStmt {
    if state.len() == 5 {
        PlStmt::RaiseError {
            sqlstate: state.to_string(),
            message: Expr::String("User-Defined Exception".into(), span),
            errno: None,
            span,
        }
    } else {
        PlStmt::RaiseError {
            sqlstate: "HY000".into(),
            message: Expr::String("User-Defined Exception".into(), span),
            errno: state.parse().ok(),
            span,
        }
    }
}

/// `RAISE_APPLICATION_ERROR(code, message)`.
pub(super) fn application_error(code: Option<i64>, message: Expr, span: Span) -> PlStmt {
    let sqlstate = code
        .and_then(|c| {
            let n = -c;
            (20000..=20999)
                .contains(&n)
                .then(|| format!("P2{:03}", n - 20000))
        })
        .unwrap_or_else(|| "P2000".into());
    PlStmt::RaiseError {
        sqlstate,
        message,
        errno: code
            .and_then(|c| u32::try_from(-c).ok())
            .filter(|n| *n < 65536),
        span,
    }
}

/// The read of a package variable: `COALESCE(@key, initial value)`.
pub(super) fn read_state(v: &PkgVar, span: Span) -> Expr {
    let cur = raw(&format!("@{}", v.key), span);
    match &v.default {
        Some(d) => call("COALESCE", vec![cur, d.clone()], span),
        None => cur,
    }
}

/// The user variable key of a package variable.
pub(super) fn state_key(pkg: &str, var: &str) -> String {
    format!("{pkg}__{var}").to_lowercase()
}

/// A cursor attribute on MySQL.
pub(super) fn cursor_attr(
    c: &mut Conv,
    base: &str,
    attr: &str,
    is_sql: bool,
    span: Span,
) -> Option<Expr> {
    let rowcount = |c: &mut Conv| {
        c.rowcount_used = true;
        col("SCHEMAC_ROWCOUNT", span)
    };
    let cmp = |op: BinOp, l: Expr| Expr::Binary {
        op,
        left: Box::new(l),
        right: Box::new(num(0, span)),
        span,
    };
    Some(match (is_sql, attr) {
        (true, "%ROWCOUNT") => rowcount(c),
        (true, "%FOUND") => cmp(BinOp::Gt, rowcount(c)),
        (true, "%NOTFOUND") => cmp(BinOp::Eq, rowcount(c)),
        (false, "%FOUND") | (false, "%NOTFOUND") => {
            c.my.cursor_flags.insert(base.to_string());
            let flag = Expr::Binary {
                op: BinOp::Eq,
                left: Box::new(col(&format!("SCHEMAC_{base}_NF"), span)),
                right: Box::new(num(1, span)),
                span,
            };
            if attr == "%FOUND" {
                Expr::Unary {
                    op: UnaryOp::Not,
                    expr: Box::new(flag),
                    span,
                }
            } else {
                flag
            }
        }
        _ => return None,
    })
}

/// `UPDATING('COL')`: `UPDATING AND NOT (NEW.COL <=> OLD.COL)` (`UPDATING` becomes a
/// constant in each trigger of the split).
pub(super) fn updating_column(column: &str, span: Span) -> Expr {
    let id = |p: &str| {
        Expr::Column(QName {
            parts: vec![Ident::new(p, span), Ident::new(column, span)],
            dblink: None,
        })
    };
    Expr::Binary {
        op: BinOp::And,
        left: Box::new(col("UPDATING", span)),
        right: Box::new(Expr::IsDistinct {
            left: Box::new(id("NEW")),
            right: Box::new(id("OLD")),
            not: false,
            span,
        }),
        span,
    }
}

/// `SQLERRM` / `SQLCODE` in a handler: variables filled by `GET DIAGNOSTICS`.
pub(super) fn diagnostics(c: &mut Conv, name: &str, span: Span) -> Expr {
    c.my.diag = true;
    if name == "SQLCODE" {
        c.flag(
            &codes::MYSQL_BEHAVIOUR,
            span,
            &[
                "SQLCODE",
                "it is minus the MySQL error number (-20nnn for RAISE_APPLICATION_ERROR, -1062 for a duplicate key, -1644 for user exceptions)",
            ],
        );
        Expr::Unary {
            op: UnaryOp::Neg,
            expr: Box::new(col(ERRNO, span)),
            span,
        }
    } else {
        c.flag(
            &codes::MYSQL_BEHAVIOUR,
            span,
            &[
                "SQLERRM",
                "it is the MySQL message text, without Oracle's ORA-nnnnn prefix",
            ],
        );
        col(ERRM, span)
    }
}

/// `var%TYPE` resolved to the variable's declared type (MySQL has no anchored types);
/// `%ROWTYPE` is expanded by the lowering.
pub(super) fn anchor_type(c: &mut Conv, t: &mut TypeRef) {
    let name = t.source.name.clone();
    if let Some(base) = name.strip_suffix("%TYPE")
        && !base.contains('.')
        && let Some(ty) = c.my.var_types.get(base)
    {
        *t = ty.clone();
    }
}

/// Variables and parameters whose names are column names: renamed, because MySQL resolves
/// such a name in SQL statements to the variable and PL/SQL to the column.
pub(super) fn collect_renames(c: &mut Conv, params: &[Param], body: &mut Block) {
    let mut names: Vec<String> = params.iter().map(|p| p.name.value.clone()).collect();
    fn decls(b: &Block, out: &mut Vec<String>) {
        for d in &b.decls {
            if let Decl::Var { name, .. } = d {
                out.push(name.value.clone());
            }
        }
        stmts(&b.body, out);
        for h in &b.handlers {
            stmts(&h.body, out);
        }
    }
    fn stmts(v: &[PlStmt], out: &mut Vec<String>) {
        for s in v {
            match s {
                PlStmt::Block(b) => decls(b, out),
                PlStmt::If {
                    branches, else_, ..
                } => {
                    for (_, b) in branches {
                        stmts(b, out);
                    }
                    if let Some(b) = else_ {
                        stmts(b, out);
                    }
                }
                PlStmt::Case { whens, else_, .. } => {
                    for (_, b) in whens {
                        stmts(b, out);
                    }
                    if let Some(b) = else_ {
                        stmts(b, out);
                    }
                }
                PlStmt::Loop { kind, body, .. } => {
                    if let LoopKind::Range { var, .. } = kind {
                        out.push(var.value.clone());
                    }
                    stmts(body, out);
                }
                _ => {}
            }
        }
    }
    decls(body, &mut names);
    for n in names {
        if c.my.columns.contains(&n) && !c.my.renames.contains_key(&n) {
            let mut new = format!("V_{n}");
            while c.my.columns.contains(&new) {
                new.insert_str(0, "V_");
            }
            c.my.renames.insert(n, new);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lowering
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Procedure,
    Function,
    Trigger,
    Block,
}

/// A cursor of the routine: its parameters (as variables) and row fields.
#[derive(Clone)]
struct CursorInfo {
    /// (parameter, variable, default).
    params: Vec<(String, String, Option<Expr>)>,
    /// Fields of a row (name, type).
    fields: Option<Vec<(String, TypeRef)>>,
}

struct Low<'c, 'a> {
    c: &'c mut Conv<'a>,
    kind: Kind,
    /// Enclosing loop labels, innermost last.
    loops: Vec<Ident>,
    next_label: u32,
    /// `RETURN` in a procedure, trigger or block: `LEAVE` of the labelled body.
    body_label: bool,
    need_msg: bool,
    /// Record variables: fields (name, variable).
    records: HashMap<String, Vec<(String, String)>>,
    cursors: HashMap<String, CursorInfo>,
}

/// Lowers a routine's body (after resolution) and decides its characteristics.
pub(super) fn lower_routine(c: &mut Conv, r: &mut Routine) {
    let kind = match r.kind {
        RoutineKind::Procedure => Kind::Procedure,
        RoutineKind::Function => Kind::Function,
    };
    for p in &mut r.params {
        if let Some(n) = c.my.renames.get(&p.name.value) {
            p.name.value = n.clone();
        }
        if let Some(d) = &p.default {
            let _ = d;
            let (pn, rn) = (p.name.value.clone(), r.name.display());
            let span = p.span;
            c.flag(&codes::MYSQL_PARAMETER_DEFAULT, span, &[&pn, &rn]);
        }
        expand_rowtype_param(c, p);
    }
    if kind == Kind::Function
        && let Some(p) = r.params.iter().find(|p| p.mode != ParamMode::In)
    {
        let span = p.span;
        c.flag(
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            span,
            &[
                "a function with OUT parameters",
                "MySQL functions have IN parameters only; make it a procedure",
            ],
        );
    }
    for o in &r.options {
        if o == "PIPELINED" {
            let span = r.name.span();
            c.flag(
                &codes::MYSQL_UNSUPPORTED_PLSQL,
                span,
                &["PIPELINED", "MySQL functions return one value"],
            );
        }
    }
    lower_body(c, &mut r.body, kind);
    if kind == Kind::Function {
        let deterministic = r.options.iter().any(|o| o == "DETERMINISTIC");
        let access = data_access(c, &mut r.body);
        let mut opts = Vec::new();
        opts.push(if deterministic {
            "DETERMINISTIC".to_string()
        } else {
            "NOT DETERMINISTIC".to_string()
        });
        opts.push(access.to_string());
        if access == "MODIFIES SQL DATA" && !deterministic {
            let (n, span) = (r.name.display(), r.name.span());
            c.flag(&codes::MYSQL_FUNCTION_MODIFIES_DATA, span, &[&n]);
        }
        r.options = opts;
    } else {
        r.options.clear();
    }
}

fn expand_rowtype_param(c: &mut Conv, p: &mut Param) {
    if p.ty.source.name.ends_with("%ROWTYPE") {
        let (n, span) = (p.name.value.clone(), p.span);
        c.flag(
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            span,
            &[
                &format!("record parameter {n}"),
                "MySQL parameters are scalars; pass the fields one by one",
            ],
        );
    }
}

/// Lowers the outer block of a routine, trigger or anonymous block.
fn lower_body(c: &mut Conv, b: &mut Block, kind: Kind) {
    let mut low = Low {
        c,
        kind,
        loops: Vec::new(),
        next_label: 0,
        body_label: false,
        need_msg: false,
        records: HashMap::new(),
        cursors: HashMap::new(),
    };
    low.block(b);
    let span = b.span;
    let mut extra = Vec::new();
    if low.need_msg {
        extra.push(var(
            MSG,
            source_type("VARCHAR2", vec![Some(128)], span),
            None,
            span,
        ));
    }
    if low.c.my.diag {
        extra.push(var(
            ERRM,
            source_type("VARCHAR2", vec![Some(512)], span),
            None,
            span,
        ));
        extra.push(var(
            ERRNO,
            source_type("NUMBER", vec![Some(9), Some(0)], span),
            None,
            span,
        ));
    }
    let body_label = low.body_label;
    number_concat(low.c, b);
    // Calls: package members, named arguments, defaults.
    let mut fix = CallFix {
        c: low.c,
        found: Vec::new(),
    };
    walk_block(&mut fix, b);
    let found = std::mem::take(&mut fix.found);
    for (code, span, args) in found {
        let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        c.flag(code, span, &a);
    }
    b.decls.splice(0..0, extra);
    if body_label && b.label.is_none() {
        b.label = Some(Ident::new(BODY, span));
    }
}

/// Lowers the body of a trigger converted by another pass (see `MysqlLowering`).
pub(super) fn lower_trigger_body(c: &mut Conv, b: &mut Block) {
    lower_body(c, b, Kind::Trigger);
}

/// An unconstrained NUMBER variable in a concatenation: `decimal(65,30)` prints thirty
/// decimals where Oracle prints `100`: flagged.
fn number_concat(c: &mut Conv, b: &mut Block) {
    let mut names: HashSet<String> = HashSet::new();
    for (n, t) in &c.my.var_types {
        if t.source.name == "NUMBER" && t.source.args.is_empty() {
            names.insert(n.clone());
            if let Some(r) = c.my.renames.get(n) {
                names.insert(r.clone());
            }
        }
    }
    struct Find<'n> {
        names: &'n HashSet<String>,
        found: Vec<(String, Span)>,
    }
    impl VisitMut for Find<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Binary {
                op: BinOp::Concat,
                left,
                right,
                ..
            } = e
            {
                for x in [left, right] {
                    if let Expr::Column(q) = x.as_ref()
                        && q.parts.len() == 1
                        && self.names.contains(&q.parts[0].value)
                    {
                        self.found.push((q.parts[0].value.clone(), q.span()));
                    }
                }
            }
        }
    }
    let mut f = Find {
        names: &names,
        found: Vec::new(),
    };
    walk_block(&mut f, b);
    for (n, span) in f.found {
        c.flag(
            &codes::MYSQL_BEHAVIOUR,
            span,
            &[
                &format!("NUMBER variable {n} in a concatenation"),
                "an unconstrained NUMBER is decimal(65,30), whose text has thirty decimals (Oracle writes 100, not 100.000...); give it a precision or format it",
            ],
        );
    }
}

/// `NO SQL`, `READS SQL DATA` or `MODIFIES SQL DATA`, from the statements of a body.
fn data_access(c: &Conv, b: &mut Block) -> &'static str {
    struct Scan<'r, 'a> {
        c: &'r Conv<'a>,
        reads: bool,
        modifies: bool,
    }
    impl VisitMut for Scan<'_, '_> {
        fn query(&mut self, _q: &mut Query) {
            self.reads = true;
        }
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Call(call) = e
                && self.c.routine_kind(&call.name).is_some()
            {
                self.reads = true;
            }
            if let Expr::NextVal(..) = e {
                self.modifies = true;
            }
        }
    }
    fn stmts(v: &[PlStmt], s: &mut bool, c: &Conv) {
        for st in v {
            match st {
                PlStmt::Dml { .. }
                | PlStmt::Execute { .. }
                | PlStmt::Commit(_)
                | PlStmt::Rollback { .. } => *s = true,
                PlStmt::Call {
                    call: Expr::Call(call),
                    ..
                } if !matches!(
                    c.routine_kind(&call.name),
                    Some(Some(RoutineKind::Function))
                ) =>
                {
                    *s = true;
                }
                PlStmt::Block(b) => {
                    stmts(&b.body, s, c);
                    for h in &b.handlers {
                        stmts(&h.body, s, c);
                    }
                }
                PlStmt::If {
                    branches, else_, ..
                } => {
                    for (_, b) in branches {
                        stmts(b, s, c);
                    }
                    if let Some(b) = else_ {
                        stmts(b, s, c);
                    }
                }
                PlStmt::Case { whens, else_, .. } => {
                    for (_, b) in whens {
                        stmts(b, s, c);
                    }
                    if let Some(b) = else_ {
                        stmts(b, s, c);
                    }
                }
                PlStmt::Loop { body, .. } => stmts(body, s, c),
                _ => {}
            }
        }
    }
    let mut modifies = false;
    stmts(&b.body, &mut modifies, c);
    for h in &b.handlers {
        stmts(&h.body, &mut modifies, c);
    }
    let mut scan = Scan {
        c,
        reads: false,
        modifies: false,
    };
    walk_block(&mut scan, b);
    if modifies || scan.modifies {
        "MODIFIES SQL DATA"
    } else if scan.reads || !b.decls.iter().all(|d| !matches!(d, Decl::Cursor { .. })) {
        "READS SQL DATA"
    } else {
        "CONTAINS SQL"
    }
}

/// Fields of a query's rows: (name, type); `None` when some cannot be named.
fn query_fields(c: &mut Conv, q: &Query) -> Option<Vec<(String, TypeRef)>> {
    let SetExpr::Select(sel) = &q.body else {
        return None;
    };
    let tables: Vec<(&QName, Option<&Ident>)> = sel
        .from
        .iter()
        .flat_map(|t| {
            fn refs<'q>(t: &'q TableRef, out: &mut Vec<(&'q QName, Option<&'q Ident>)>) {
                match t {
                    TableRef::Table { name, alias, .. } => out.push((name, alias.as_ref())),
                    TableRef::Join { left, right, .. } => {
                        refs(left, out);
                        refs(right, out);
                    }
                    _ => {}
                }
            }
            let mut out = Vec::new();
            refs(t, &mut out);
            out
        })
        .collect();
    let column_type = |c: &Conv, qual: Option<&str>, name: &str| -> Option<SourceType> {
        for (t, alias) in &tables {
            if let Some(q) = qual
                && t.name().value != q
                && alias.is_none_or(|a| a.value != q)
            {
                continue;
            }
            if let Some(info) = c.syms.table(t)
                && let Some((_, ty)) = info.columns.iter().find(|(n, _)| n == name)
            {
                return Some(ty.clone());
            }
        }
        None
    };
    let mut out = Vec::new();
    for (i, it) in sel.items.iter().enumerate() {
        match it {
            SelectItem::Wildcard(qual) => {
                let q = qual.as_ref().map(|q| q.name().value.clone());
                let mut any = false;
                for (t, alias) in &tables {
                    if let Some(q) = &q
                        && &t.name().value != q
                        && alias.is_none_or(|a| &a.value != q)
                    {
                        continue;
                    }
                    let info = c.syms.table(t)?;
                    for (n, ty) in &info.columns {
                        out.push((n.clone(), TypeRef::new(ty.clone())));
                        any = true;
                    }
                }
                if !any {
                    return None;
                }
            }
            SelectItem::Expr { expr, alias } => {
                let name = match (alias, expr) {
                    (Some(a), _) => a.value.clone(),
                    (None, Expr::Column(q)) => q.name().value.clone(),
                    _ => format!("COL{}", i + 1),
                };
                let ty = match expr {
                    Expr::Column(q) => {
                        let qual =
                            (q.parts.len() >= 2).then(|| q.parts[q.parts.len() - 2].value.as_str());
                        column_type(c, qual, &q.name().value)
                    }
                    Expr::Call(call)
                        if call.name.parts.len() == 1
                            && matches!(call.name.name().value.as_str(), "COUNT") =>
                    {
                        Some(source_type("NUMBER", vec![Some(18), Some(0)], call.span).source)
                    }
                    Expr::Number(..) => None,
                    _ => None,
                };
                let ty = match ty {
                    Some(t) => TypeRef::new(t),
                    None => {
                        let span = expr.span();
                        c.flag(
                            &codes::MYSQL_BEHAVIOUR,
                            span,
                            &[
                                &format!("record field {name}"),
                                "its type is not known from the input; the variable is NUMBER (decimal)",
                            ],
                        );
                        source_type("NUMBER", Vec::new(), span)
                    }
                };
                out.push((name, ty));
            }
        }
    }
    Some(out)
}

impl Low<'_, '_> {
    fn label(&mut self, span: Span) -> Ident {
        self.next_label += 1;
        Ident::new(format!("LOOP{}", self.next_label), span)
    }

    fn unsupported(&mut self, what: &str, why: &str, span: Span) {
        self.c
            .flag(&codes::MYSQL_UNSUPPORTED_PLSQL, span, &[what, why]);
    }

    /// Record variable fields as variables: (field, variable name).
    fn record(&mut self, name: &str, fields: &[(String, TypeRef)], span: Span) -> Vec<Decl> {
        let mut decls = Vec::new();
        let mut map = Vec::new();
        for (f, ty) in fields {
            let v = format!("{name}_{f}");
            map.push((f.clone(), v.clone()));
            decls.push(var(&v, ty.clone(), None, span));
        }
        self.records.insert(name.to_string(), map);
        decls
    }

    fn block(&mut self, b: &mut Block) {
        let span = b.span;
        let old = std::mem::take(&mut b.decls);
        let mut decls = Vec::new();
        let mut has_cursor = false;
        for d in old {
            match d {
                Decl::Var {
                    mut name,
                    ty,
                    constant,
                    not_null,
                    default,
                    span,
                } => {
                    if let Some(n) = self.c.my.renames.get(&name.value) {
                        name.value = n.clone();
                    }
                    if let Some(base) = ty.source.name.strip_suffix("%ROWTYPE") {
                        let fields = match self.cursors.get(base) {
                            Some(ci) => ci.fields.clone(),
                            None => {
                                let q = QName {
                                    parts: base.split('.').map(|p| Ident::new(p, span)).collect(),
                                    dblink: None,
                                };
                                self.c.syms.table(&q).map(|t| {
                                    t.columns
                                        .iter()
                                        .map(|(n, ty)| (n.clone(), TypeRef::new(ty.clone())))
                                        .collect()
                                })
                            }
                        };
                        match fields {
                            Some(f) => {
                                let ds = self.record(&name.value, &f, span);
                                decls.extend(ds);
                            }
                            None => self.unsupported(
                                &format!("{}%ROWTYPE", base),
                                "the fields of the record are not known from the input",
                                span,
                            ),
                        }
                        continue;
                    }
                    decls.push(Decl::Var {
                        name,
                        ty,
                        constant,
                        not_null,
                        default,
                        span,
                    });
                }
                Decl::Cursor {
                    name,
                    params,
                    mut query,
                    span,
                } => {
                    has_cursor = true;
                    let mut ps = Vec::new();
                    let mut renames = HashMap::new();
                    for p in params {
                        let v = format!("{}_{}", name.value, p.name.value);
                        decls.push(var(&v, p.ty.clone(), None, span));
                        renames.insert(p.name.value.clone(), v.clone());
                        ps.push((p.name.value.clone(), v, p.default.clone()));
                    }
                    if !renames.is_empty() {
                        let mut r = Rename { map: &renames };
                        walk_query(&mut r, &mut query);
                    }
                    let fields = if self.c.my.foreign {
                        None
                    } else {
                        query_fields(self.c, &query)
                    };
                    self.cursors
                        .insert(name.value.clone(), CursorInfo { params: ps, fields });
                    decls.push(Decl::Cursor {
                        name,
                        params: Vec::new(),
                        query,
                        span,
                    });
                }
                Decl::Pragma { .. } => {}
                other => decls.push(other),
            }
        }
        if has_cursor && !self.c.my.cursor_flags.is_empty() {
            for cname in self.c.my.cursor_flags.clone() {
                if decls
                    .iter()
                    .any(|d| matches!(d, Decl::Cursor { name, .. } if name.value == cname))
                {
                    decls.push(var(
                        &format!("SCHEMAC_{cname}_NF"),
                        source_type("NUMBER", vec![Some(1), Some(0)], span),
                        None,
                        span,
                    ));
                }
            }
            decls.push(var(
                NF,
                source_type("NUMBER", vec![Some(1), Some(0)], span),
                Some(num(0, span)),
                span,
            ));
            b.handlers.push(Handler {
                exceptions: Vec::new(),
                conditions: vec!["NOT FOUND".into()],
                body: vec![assign(col(NF, span), num(1, span), span)],
                continue_: true,
                span,
            });
        }
        b.decls = decls;
        let body = std::mem::take(&mut b.body);
        b.body = self.stmts(body);
        // Handlers: EXIT handlers; one per condition and block.
        let mut seen: HashSet<String> = HashSet::new();
        let mut handlers = Vec::new();
        for mut h in std::mem::take(&mut b.handlers) {
            if !h.continue_ {
                let mut conds = Vec::new();
                for cnd in &h.conditions {
                    let parts: Vec<String> = cnd
                        .split(", ")
                        .filter(|p| seen.insert(p.to_string()))
                        .map(str::to_string)
                        .collect();
                    if !parts.is_empty() {
                        conds.push(parts.join(", "));
                    }
                }
                if conds.is_empty() {
                    continue;
                }
                h.conditions = conds;
                let body = std::mem::take(&mut h.body);
                h.body = self.stmts(body);
                if uses_diag(&mut h.body) {
                    h.body.insert(
                        0,
                        PlStmt::GetDiagnostics {
                            items: vec![
                                (Ident::new(ERRM, h.span), "MESSAGE_TEXT".into()),
                                (Ident::new(ERRNO, h.span), "MYSQL_ERRNO".into()),
                            ],
                            span: h.span,
                        },
                    );
                }
            }
            handlers.push(h);
        }
        b.handlers = handlers;
    }

    fn stmts(&mut self, v: Vec<PlStmt>) -> Vec<PlStmt> {
        let v = self.counted_dml(v);
        let mut out: Vec<PlStmt> = Vec::with_capacity(v.len());
        let mut after_select = false;
        for s in v {
            // `SQL%ROWCOUNT` after SELECT INTO: one row (otherwise it raised).
            if let PlStmt::RowCount { target, span } = &s
                && after_select
            {
                let (t, span) = (target.clone(), *span);
                out.push(assign(Expr::Column(QName::single(t)), num(1, span), span));
                after_select = false;
                continue;
            }
            after_select = matches!(
                s,
                PlStmt::SelectInto {
                    bulk: false,
                    strict: true,
                    ..
                }
            );
            self.stmt(s, &mut out);
        }
        // The marker label of SELECT INTO blocks is not printed.
        for s in &mut out {
            if let PlStmt::Block(b) = s
                && b.label
                    .as_ref()
                    .is_some_and(|l| l.value == "SCHEMAC_SELECT")
            {
                b.label = None;
            }
        }
        out
    }

    /// `SQL%ROWCOUNT` after an UPDATE (or a MERGE that updates): MySQL's `ROW_COUNT()`
    /// counts the rows whose values changed (PLS029). (The count of a MERGE run as separate
    /// statements is summed by `merge_into`.)
    fn counted_dml(&mut self, v: Vec<PlStmt>) -> Vec<PlStmt> {
        for (s, next) in v.iter().zip(v.iter().skip(1)) {
            let (PlStmt::Dml { stmt, span, .. }, PlStmt::RowCount { .. }) = (s, next) else {
                continue;
            };
            let updates = match stmt.as_ref() {
                Stmt::Update(_) => true,
                Stmt::Merge(m) => m
                    .clauses
                    .iter()
                    .any(|c| matches!(c.action, MergeAction::Update(_))),
                _ => false,
            };
            if updates {
                self.c.flag(
                    &codes::MYSQL_BEHAVIOUR,
                    *span,
                    &[
                        "SQL%ROWCOUNT",
                        "after an UPDATE it is ROW_COUNT(), the rows whose values changed (Oracle counts the rows the UPDATE matched, changed or not)",
                    ],
                );
            }
        }
        v
    }

    fn stmt(&mut self, s: PlStmt, out: &mut Vec<PlStmt>) {
        match s {
            PlStmt::If {
                branches,
                else_,
                span,
            } => {
                let branches = branches
                    .into_iter()
                    .map(|(mut c, b)| {
                        self.fix_expr(&mut c);
                        (c, self.stmts(b))
                    })
                    .collect();
                let else_ = else_.map(|b| self.stmts(b));
                out.push(PlStmt::If {
                    branches,
                    else_,
                    span,
                });
            }
            PlStmt::Case {
                mut operand,
                whens,
                else_,
                span,
            } => {
                if let Some(o) = &mut operand {
                    self.fix_expr(o);
                }
                let whens = whens
                    .into_iter()
                    .map(|(mut c, b)| {
                        self.fix_expr(&mut c);
                        (c, self.stmts(b))
                    })
                    .collect();
                let else_ = else_.map(|b| self.stmts(b));
                out.push(PlStmt::Case {
                    operand,
                    whens,
                    else_,
                    span,
                });
            }
            PlStmt::Loop {
                label,
                kind,
                body,
                span,
            } => self.loop_(label, kind, body, span, out),
            PlStmt::Exit {
                continue_,
                label,
                mut when,
                span,
            } => {
                let label = match label {
                    Some(l) => Some(l),
                    None => self.loops.last().cloned(),
                };
                if label.is_none() {
                    self.unsupported(
                        if continue_ { "CONTINUE" } else { "EXIT" },
                        "not inside a loop",
                        span,
                    );
                }
                if let Some(w) = &mut when {
                    self.fix_expr(w);
                }
                out.push(PlStmt::Exit {
                    continue_,
                    label,
                    when,
                    span,
                });
            }
            PlStmt::Return { value: None, span } if self.kind != Kind::Function => {
                self.body_label = true;
                out.push(PlStmt::Exit {
                    continue_: false,
                    label: Some(Ident::new(BODY, span)),
                    when: None,
                    span,
                });
            }
            PlStmt::RaiseError {
                sqlstate,
                mut message,
                errno,
                span,
            } => {
                self.fix_expr(&mut message);
                match message {
                    Expr::String(mut m, s) => {
                        if m.chars().count() > 128 {
                            m = m.chars().take(128).collect();
                            self.c.flag(
                                &codes::MYSQL_BEHAVIOUR,
                                span,
                                &[
                                    "an error message longer than 128 characters",
                                    "MESSAGE_TEXT holds 128 characters; the message is cut",
                                ],
                            );
                        }
                        out.push(PlStmt::RaiseError {
                            sqlstate,
                            message: Expr::String(m, s),
                            errno,
                            span,
                        });
                    }
                    m => {
                        // SIGNAL takes a literal or a variable.
                        self.need_msg = true;
                        // CAST truncates without an error in strict mode.
                        let mut ty = source_type("CHAR", vec![Some(128)], span);
                        ty.target = Some("char(128)".into());
                        let cut = Expr::Cast {
                            expr: Box::new(m),
                            ty: Box::new(ty),
                            span,
                        };
                        out.push(assign(col(MSG, span), cut, span));
                        out.push(PlStmt::RaiseError {
                            sqlstate,
                            message: col(MSG, span),
                            errno,
                            span,
                        });
                    }
                }
            }
            PlStmt::SelectInto {
                mut query,
                mut into,
                bulk,
                strict,
                span,
            } => {
                self.fix_query(&mut query);
                into = self.expand_into(into);
                for e in &mut into {
                    self.fix_expr(e);
                }
                if bulk {
                    out.push(PlStmt::SelectInto {
                        query,
                        into,
                        bulk,
                        strict,
                        span,
                    });
                    return;
                }
                // From DUAL: assignments.
                if let Some(values) = dual_values(&query)
                    && values.len() == into.len()
                {
                    for (t, v) in into.into_iter().zip(values) {
                        out.push(assign(t, v, span));
                    }
                    return;
                }
                // Not strict (code from another source): MySQL's semantics are wanted.
                let one_row = !strict || always_one_row(&query);
                let st = PlStmt::SelectInto {
                    query,
                    into,
                    bulk,
                    strict,
                    span,
                };
                if one_row {
                    out.push(st);
                    return;
                }
                // Oracle raises NO_DATA_FOUND; MySQL only warns (1329): raise it.
                let raise = PlStmt::RaiseError {
                    sqlstate: "P0002".into(),
                    message: Expr::String("no data found".into(), span),
                    errno: None,
                    span,
                };
                out.push(PlStmt::Block(Box::new(Block {
                    label: Some(Ident::new("SCHEMAC_SELECT", span)),
                    decls: Vec::new(),
                    body: vec![st],
                    handlers: vec![Handler {
                        exceptions: Vec::new(),
                        conditions: vec!["NOT FOUND".into()],
                        body: vec![raise],
                        continue_: false,
                        span,
                    }],
                    span,
                })));
            }
            PlStmt::Dml {
                mut stmt,
                mut returning,
                into,
                span,
            } => {
                {
                    let mut f = FieldRefs {
                        records: &self.records,
                    };
                    crate::ir::visit::walk_stmt(&mut f, &mut stmt);
                    for e in &mut returning {
                        walk_expr(&mut f, e);
                    }
                }
                let current_of = match stmt.as_ref() {
                    Stmt::Update(u) => matches!(u.where_, Some(Expr::CurrentOf(_))),
                    Stmt::Delete(d) => matches!(d.where_, Some(Expr::CurrentOf(_))),
                    _ => false,
                };
                if current_of {
                    self.unsupported(
                        "WHERE CURRENT OF",
                        "MySQL cursors are read-only; update the fetched row by its primary key",
                        span,
                    );
                }
                if !returning.is_empty() {
                    let mut into = self.expand_into(into);
                    for e in &mut into {
                        self.fix_expr(e);
                    }
                    match returning_values(&mut stmt, &returning, &into, self.c) {
                        Some(pre) => {
                            if !pre.is_empty() {
                                self.c.flag(
                                    &codes::MYSQL_BEHAVIOUR,
                                    span,
                                    &[
                                        "RETURNING INTO",
                                        "the returned values are computed before the INSERT (a BEFORE trigger that changes them is not seen)",
                                    ],
                                );
                            }
                            out.extend(pre);
                        }
                        None => self.unsupported(
                            "RETURNING INTO",
                            "MySQL has no RETURNING; only INSERT ... VALUES of the returned columns is converted",
                            span,
                        ),
                    }
                }
                out.push(PlStmt::Dml {
                    stmt,
                    returning: Vec::new(),
                    into: Vec::new(),
                    span,
                });
            }
            PlStmt::Open {
                cursor,
                args,
                for_query,
                for_dynamic,
                using,
                span,
            } => {
                if for_query.is_some() || for_dynamic.is_some() {
                    self.unsupported(
                        &format!("OPEN {} FOR", cursor.display()),
                        "cursor variables (REF CURSOR) have no MySQL counterpart",
                        span,
                    );
                }
                let _ = using;
                out.extend(self.cursor_args(&cursor.name().value, args, span));
                out.push(PlStmt::Open {
                    cursor,
                    args: Vec::new(),
                    for_query: None,
                    for_dynamic: None,
                    using: Vec::new(),
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
                let mut into = self.expand_into(into);
                for e in &mut into {
                    self.fix_expr(e);
                }
                let cname = cursor.name().value.clone();
                let flagged = self.c.my.cursor_flags.contains(&cname);
                if flagged {
                    out.push(assign(col(NF, span), num(0, span), span));
                }
                out.push(PlStmt::Fetch {
                    cursor,
                    into,
                    bulk,
                    limit,
                    span,
                });
                if flagged {
                    out.push(assign(
                        col(&format!("SCHEMAC_{cname}_NF"), span),
                        col(NF, span),
                        span,
                    ));
                }
            }
            PlStmt::Commit(span) | PlStmt::Rollback { span, .. }
                if matches!(self.kind, Kind::Function | Kind::Trigger) =>
            {
                self.unsupported(
                    "COMMIT / ROLLBACK",
                    "MySQL functions and triggers cannot end the transaction",
                    span,
                );
                out.push(s_clone_commit(span));
            }
            PlStmt::Block(mut b) => {
                self.block(&mut b);
                out.push(PlStmt::Block(b));
            }
            mut other => {
                let mut f = FieldRefs {
                    records: &self.records,
                };
                crate::ir::visit::walk_pl_stmt(&mut f, &mut other);
                out.push(other);
            }
        }
    }

    /// Record field references `R.F` -> `R_F`.
    fn fix_expr(&mut self, e: &mut Expr) {
        let mut f = FieldRefs {
            records: &self.records,
        };
        walk_expr(&mut f, e);
    }

    fn fix_query(&mut self, q: &mut Query) {
        let mut f = FieldRefs {
            records: &self.records,
        };
        walk_query(&mut f, q);
    }

    /// `INTO rec` of a record variable: its fields.
    fn expand_into(&mut self, into: Vec<Expr>) -> Vec<Expr> {
        let mut out = Vec::new();
        for e in into {
            if let Expr::Column(q) = &e
                && q.parts.len() == 1
                && let Some(fields) = self.records.get(&q.parts[0].value)
            {
                let span = q.span();
                out.extend(fields.iter().map(|(_, v)| col(v, span)));
                continue;
            }
            out.push(e);
        }
        out
    }

    /// `SET c_p = arg` for the parameters of a cursor (defaults for missing ones).
    fn cursor_args(&mut self, cursor: &str, args: Vec<Arg>, span: Span) -> Vec<PlStmt> {
        let Some(ci) = self.cursors.get(cursor).cloned() else {
            if !args.is_empty() {
                self.unsupported(
                    &format!("cursor {cursor} with arguments"),
                    "its declaration is not in this routine",
                    span,
                );
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, (p, v, default)) in ci.params.iter().enumerate() {
            let arg = args
                .iter()
                .find(|a| a.name.as_ref().is_some_and(|n| &n.value == p))
                .or_else(|| args.get(i).filter(|a| a.name.is_none()))
                .map(|a| a.value.clone())
                .or_else(|| default.clone());
            match arg {
                Some(mut a) => {
                    self.fix_expr(&mut a);
                    out.push(assign(col(v, span), a, span));
                }
                None => self.unsupported(
                    &format!("cursor {cursor} opened without its parameter {p}"),
                    "no value and no default",
                    span,
                ),
            }
        }
        out
    }

    fn loop_(
        &mut self,
        label: Option<Ident>,
        kind: LoopKind,
        body: Vec<PlStmt>,
        span: Span,
        out: &mut Vec<PlStmt>,
    ) {
        let label = match label {
            Some(l) if l.value.len() <= 16 => l,
            _ => self.label(span),
        };
        self.loops.push(label.clone());
        match kind {
            LoopKind::Plain => {
                let body = self.stmts(body);
                out.push(PlStmt::Loop {
                    label: Some(label),
                    kind: LoopKind::Plain,
                    body,
                    span,
                });
            }
            LoopKind::While(mut c) => {
                self.fix_expr(&mut c);
                let body = self.stmts(body);
                out.push(PlStmt::Loop {
                    label: Some(label),
                    kind: LoopKind::While(c),
                    body,
                    span,
                });
            }
            LoopKind::Range {
                var: v,
                reverse,
                mut low,
                mut high,
            } => {
                self.fix_expr(&mut low);
                self.fix_expr(&mut high);
                let mut name = v.value.clone();
                if let Some(n) = self.c.my.renames.get(&name) {
                    name = n.clone();
                }
                let int = source_type("NUMBER", vec![Some(18), Some(0)], span);
                let mut decls = vec![var(&name, int.clone(), None, span)];
                // The bounds are evaluated once, as in PL/SQL.
                let (start, stop) = if reverse { (high, low) } else { (low, high) };
                let stop = if matches!(stop, Expr::Number(..)) {
                    stop
                } else {
                    let hv = format!("{name}_END");
                    decls.push(var(&hv, int, Some(stop), span));
                    col(&hv, span)
                };
                let (init_op, cmp, step) = if reverse {
                    (BinOp::Add, BinOp::Gt, BinOp::Sub)
                } else {
                    (BinOp::Sub, BinOp::Lt, BinOp::Add)
                };
                let bin = |op, l: Expr, r: Expr| Expr::Binary {
                    op,
                    left: Box::new(l),
                    right: Box::new(r),
                    span,
                };
                let mut inner = vec![assign(
                    col(&name, span),
                    bin(step, col(&name, span), num(1, span)),
                    span,
                )];
                inner.extend(self.stmts(body));
                out.push(PlStmt::Block(Box::new(Block {
                    label: None,
                    decls,
                    body: vec![
                        assign(col(&name, span), bin(init_op, start, num(1, span)), span),
                        PlStmt::Loop {
                            label: Some(label),
                            kind: LoopKind::While(bin(cmp, col(&name, span), stop)),
                            body: inner,
                            span,
                        },
                    ],
                    handlers: Vec::new(),
                    span,
                })));
            }
            LoopKind::Cursor { var: v, source } => {
                let rec = v.value.clone();
                let mut decls = Vec::new();
                let mut pre = Vec::new();
                let cursor = match source {
                    CursorSource::Query(mut q) => {
                        self.fix_query(&mut q);
                        let fields = query_fields(self.c, &q);
                        let name = format!("SCHEMAC_CUR{}", self.next_label + 1);
                        match fields {
                            Some(f) => decls.extend(self.record(&rec, &f, span)),
                            None => self.unsupported(
                                &format!("FOR {rec} IN (query)"),
                                "the columns of the query are not known from the input",
                                span,
                            ),
                        }
                        decls.push(Decl::Cursor {
                            name: Ident::new(name.clone(), span),
                            params: Vec::new(),
                            query: q,
                            span,
                        });
                        name
                    }
                    CursorSource::Named { name, args } => {
                        let cname = name.name().value.clone();
                        let fields = self.cursors.get(&cname).and_then(|c| c.fields.clone());
                        match fields {
                            Some(f) => decls.extend(self.record(&rec, &f, span)),
                            None => self.unsupported(
                                &format!("FOR {rec} IN {cname}"),
                                "the columns of the cursor are not known from the input",
                                span,
                            ),
                        }
                        pre = self.cursor_args(&cname, args, span);
                        cname
                    }
                };
                // Fields: variables; the loop: OPEN, FETCH until NOT FOUND, CLOSE.
                let fields: Vec<Expr> = self
                    .records
                    .get(&rec)
                    .map(|f| f.iter().map(|(_, v)| col(v, span)).collect())
                    .unwrap_or_default();
                decls.insert(
                    0,
                    var(
                        NF,
                        source_type("NUMBER", vec![Some(1), Some(0)], span),
                        Some(num(0, span)),
                        span,
                    ),
                );
                let cq = QName::single(Ident::new(cursor.clone(), span));
                let mut inner = vec![
                    PlStmt::Fetch {
                        cursor: cq.clone(),
                        into: fields,
                        bulk: false,
                        limit: None,
                        span,
                    },
                    PlStmt::Exit {
                        continue_: false,
                        label: Some(label.clone()),
                        when: Some(Expr::Binary {
                            op: BinOp::Eq,
                            left: Box::new(col(NF, span)),
                            right: Box::new(num(1, span)),
                            span,
                        }),
                        span,
                    },
                ];
                inner.extend(self.stmts(body));
                let mut body = pre;
                body.push(PlStmt::Open {
                    cursor: cq.clone(),
                    args: Vec::new(),
                    for_query: None,
                    for_dynamic: None,
                    using: Vec::new(),
                    span,
                });
                body.push(PlStmt::Loop {
                    label: Some(label),
                    kind: LoopKind::Plain,
                    body: inner,
                    span,
                });
                body.push(PlStmt::Close { cursor: cq, span });
                out.push(PlStmt::Block(Box::new(Block {
                    label: None,
                    decls,
                    body,
                    handlers: vec![Handler {
                        exceptions: Vec::new(),
                        conditions: vec!["NOT FOUND".into()],
                        body: vec![assign(col(NF, span), num(1, span), span)],
                        continue_: true,
                        span,
                    }],
                    span,
                })));
            }
        }
        self.loops.pop();
    }
}

fn s_clone_commit(span: Span) -> PlStmt {
    PlStmt::Commit(span)
}

/// Whether a handler body reads `SQLERRM` / `SQLCODE`.
fn uses_diag(body: &mut [PlStmt]) -> bool {
    struct Find(bool);
    impl VisitMut for Find {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Column(q) = e
                && q.parts.len() == 1
                && (q.parts[0].value == ERRM || q.parts[0].value == ERRNO)
            {
                self.0 = true;
            }
        }
    }
    let mut f = Find(false);
    walk_pl_stmts(&mut f, body);
    f.0
}

/// `SELECT a, b INTO ... FROM DUAL` (no WHERE, GROUP BY): the values.
fn dual_values(q: &Query) -> Option<Vec<Expr>> {
    let SetExpr::Select(s) = &q.body else {
        return None;
    };
    let [TableRef::Table { name, .. }] = s.from.as_slice() else {
        return None;
    };
    if !name.name().is("DUAL")
        || s.where_.is_some()
        || !s.group_by.is_empty()
        || s.having.is_some()
        || !q.with.is_empty()
    {
        return None;
    }
    s.items
        .iter()
        .map(|i| match i {
            SelectItem::Expr { expr, .. } => Some(expr.clone()),
            SelectItem::Wildcard(_) => None,
        })
        .collect()
}

/// An aggregate query without GROUP BY returns exactly one row.
fn always_one_row(q: &Query) -> bool {
    let SetExpr::Select(s) = &q.body else {
        return false;
    };
    if !s.group_by.is_empty() || s.having.is_some() || q.limit.is_some() {
        return false;
    }
    let agg = |e: &Expr| {
        matches!(e, Expr::Call(c) if c.over.is_none() && c.name.parts.len() == 1
            && matches!(c.name.name().value.as_str(), "COUNT" | "SUM" | "MIN" | "MAX" | "AVG"))
    };
    let wrapped = |e: &Expr| match e {
        Expr::Call(c)
            if matches!(c.name.name().value.as_str(), "NVL" | "COALESCE")
                && c.args.first().is_some_and(|a| agg(&a.value)) =>
        {
            true
        }
        e => agg(e),
    };
    !s.items.is_empty()
        && s.items.iter().all(|i| match i {
            SelectItem::Expr { expr, .. } => wrapped(expr),
            SelectItem::Wildcard(_) => false,
        })
}

/// `INSERT ... VALUES (...) RETURNING cols INTO targets`: the targets are set from the
/// inserted values first (`SET t = v`) and the INSERT uses them. `None` when not possible.
fn returning_values(
    stmt: &mut Stmt,
    returning: &[Expr],
    into: &[Expr],
    c: &Conv,
) -> Option<Vec<PlStmt>> {
    let Stmt::Insert(ins) = stmt else {
        return None;
    };
    if returning.len() != into.len() {
        return None;
    }
    let columns: Vec<String> = if ins.columns.is_empty() {
        c.syms
            .table(&ins.table)?
            .columns
            .iter()
            .map(|(n, _)| n.clone())
            .collect()
    } else {
        ins.columns.iter().map(|i| i.value.clone()).collect()
    };
    let InsertSource::Values(rows) = &mut ins.source else {
        return None;
    };
    if rows.len() != 1 {
        return None;
    }
    let row = &mut rows[0];
    let mut pre = Vec::new();
    for (r, t) in returning.iter().zip(into) {
        let Expr::Column(q) = r else { return None };
        let i = columns.iter().position(|c| *c == q.name().value)?;
        let v = row.get_mut(i)?;
        let span = r.span();
        let value = std::mem::replace(v, t.clone());
        pre.push(assign(t.clone(), value, span));
    }
    Some(pre)
}

/// Renames single-part names.
struct Rename<'m> {
    map: &'m HashMap<String, String>,
}

impl VisitMut for Rename<'_> {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e
            && q.parts.len() == 1
            && let Some(n) = self.map.get(&q.parts[0].value)
        {
            q.parts[0].value = n.clone();
        }
    }
}

/// `rec.field` of a record variable -> its field variable.
struct FieldRefs<'r> {
    records: &'r HashMap<String, Vec<(String, String)>>,
}

impl VisitMut for FieldRefs<'_> {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e
            && q.parts.len() == 2
            && let Some(fields) = self.records.get(&q.parts[0].value)
            && let Some((_, v)) = fields.iter().find(|(f, _)| *f == q.parts[1].value)
        {
            let span = q.span();
            *e = col(v, span);
        }
    }
}

/// Calls: package members named `PKG__NAME`, named arguments made positional, defaults
/// written in.
struct CallFix<'c, 'a> {
    c: &'c Conv<'a>,
    found: Vec<(&'static Code, Span, Vec<String>)>,
}

impl VisitMut for CallFix<'_, '_> {
    fn expr(&mut self, e: &mut Expr) {
        let Expr::Call(call) = e else { return };
        let key = call.name.display();
        let sig = self.c.sigs.get(&key).or_else(|| {
            (call.name.parts.len() == 1)
                .then(|| self.c.sigs.get(&call.name.name().value))
                .flatten()
        });
        let named = call.args.iter().any(|a| a.name.is_some());
        match sig {
            Some(ps) => {
                let mut args: Vec<Option<Expr>> = vec![None; ps.len()];
                let mut ok = true;
                for (i, a) in call.args.iter().enumerate() {
                    let at = match &a.name {
                        Some(n) => ps.iter().position(|p| p.name.value == n.value),
                        None => (i < ps.len()).then_some(i),
                    };
                    match at {
                        Some(j) => args[j] = Some(a.value.clone()),
                        None => ok = false,
                    }
                }
                let mut filled = Vec::new();
                for (p, a) in ps.iter().zip(args) {
                    match a.or_else(|| p.default.clone()) {
                        Some(v) => filled.push(Arg {
                            name: None,
                            value: v,
                        }),
                        None => ok = false,
                    }
                }
                if ok {
                    call.args = filled;
                } else {
                    self.found.push((
                        &codes::MYSQL_UNSUPPORTED_PLSQL,
                        call.span,
                        vec![
                            format!("the call of {key}"),
                            "its arguments do not match the parameters".into(),
                        ],
                    ));
                }
            }
            None if named => self.found.push((
                &codes::MYSQL_UNSUPPORTED_PLSQL,
                call.span,
                vec![
                    format!("named arguments in the call of {key}"),
                    "MySQL has positional arguments only, and the routine is not in the input"
                        .into(),
                ],
            )),
            None => {}
        }
        // `pkg.name` of a package of the input -> `PKG__NAME`.
        if call.name.parts.len() == 2 && self.c.packages.contains_key(&call.name.parts[0].value) {
            let span = call.name.span();
            let n = format!("{}__{}", call.name.parts[0].value, call.name.parts[1].value);
            call.name = QName::single(Ident::new(n, span));
        }
    }
}

/// A package body: routines named `PKG__NAME`; the initialization section is flagged.
pub(super) fn package(c: &mut Conv, pk: &mut Package) {
    let pkg = pk.name.name().value.clone();
    // Overloads: MySQL routine names are unique.
    let mut seen: HashMap<String, u32> = HashMap::new();
    for r in &mut pk.routines {
        let base = r.name.name().value.clone();
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let span = r.name.span();
        let mut name = format!("{pkg}__{base}");
        if *n > 1 {
            name = format!("{name}_{n}");
            let shown = format!("{pkg}.{base}");
            c.flag(
                &codes::MYSQL_UNSUPPORTED_PLSQL,
                span,
                &[
                    &format!("overloaded subprogram {shown}"),
                    &format!("MySQL routine names are unique: this one is created as {name} and calls are not resolved to it"),
                ],
            );
        }
        r.name = QName::single(Ident::new(name, span));
    }
    if let Some(b) = &pk.init {
        let span = b.span;
        c.flag(
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            span,
            &[
                "the package initialization section",
                "MySQL has no package state to initialize; call its code from the routines that need it",
            ],
        );
    }
    if pk.body {
        let what = format!(
            "subprograms become routines named {}__name in the same database",
            pkg.to_lowercase()
        );
        let span = pk.name.span();
        c.flag(&codes::MYSQL_PACKAGE, span, &[&pkg, &what]);
    }
}

/// An anonymous block: lowered, and named as the temporary procedure that runs it.
pub(super) fn anonymous_block(c: &mut Conv, b: &mut Block) {
    lower_body(c, b, Kind::Block);
    c.my.blocks += 1;
    let name = format!("SCHEMAC_BLOCK_{}", c.my.blocks);
    let span = b.span;
    // The body label of RETURN is the procedure's name.
    if b.label.as_ref().is_some_and(|l| l.value == BODY) {
        struct Relabel(String);
        impl VisitMut for Relabel {
            fn ident(&mut self, i: &mut Ident) {
                if i.value == BODY {
                    i.value = self.0.clone();
                }
            }
        }
        walk_block(&mut Relabel(name.clone()), b);
    }
    b.label = Some(Ident::new(name.clone(), span));
    c.flag(&codes::MYSQL_BLOCK_PROCEDURE, span, &[&name.to_lowercase()]);
}

// ---------------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------------

/// What becomes of a trigger on MySQL.
pub(super) enum TriggerOutcome {
    /// Created (the first event's trigger); the other events' triggers.
    Created(Vec<Trigger>),
    /// Kept commented out (flagged).
    NotCreated,
}

/// Converts a resolved trigger: checks, then one trigger per event.
pub(super) fn trigger(c: &mut Conv, t: &mut Trigger) -> TriggerOutcome {
    let name = t.name.display();
    let span = t.name.span();
    if t.timing == TriggerTiming::InsteadOf {
        c.flag(
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            span,
            &[
                &format!("INSTEAD OF trigger {name}"),
                "MySQL has no triggers on views; make the view's DML a procedure",
            ],
        );
        return TriggerOutcome::NotCreated;
    }
    if !t.for_each_row {
        let (dml, rows) = statement_trigger_uses(&mut t.body);
        if dml || rows {
            c.flag(
                &codes::MYSQL_STATEMENT_TRIGGER,
                span,
                &[
                    &name,
                    "its body changes data or reads rows, so running it per row would change what it does; it is kept commented out",
                ],
            );
            // The review item alone does not say that a person must write it.
            c.flag(
                &codes::MYSQL_UNSUPPORTED_PLSQL,
                span,
                &[
                    &format!("statement trigger {name}"),
                    "MySQL has row triggers only",
                ],
            );
            return TriggerOutcome::NotCreated;
        }
        c.flag(
            &codes::MYSQL_STATEMENT_TRIGGER,
            span,
            &[
                &name,
                "it becomes a row trigger (its body only checks and raises), run once per row",
            ],
        );
        t.for_each_row = true;
    }
    if !t.enabled {
        c.flag(
            &codes::MYSQL_BEHAVIOUR,
            span,
            &[
                &format!("disabled trigger {name}"),
                "MySQL triggers cannot be disabled: it is not created (create it from the source when it is enabled)",
            ],
        );
        return TriggerOutcome::NotCreated;
    }
    // Assignments to NEW in AFTER triggers.
    if t.timing == TriggerTiming::After && assigns_new(&t.body) {
        c.flag(
            &codes::MYSQL_UNSUPPORTED_PLSQL,
            span,
            &[
                &format!("assignment to :NEW in AFTER trigger {name}"),
                "MySQL allows it in BEFORE triggers only",
            ],
        );
    }
    // The body: RETURN, loops, records ...
    lower_body(c, &mut t.body, Kind::Trigger);
    // WHEN and UPDATE OF: tests around the body.
    let mut cond: Option<Expr> = t.when.take();
    let upd_cols: Vec<Ident> = t
        .events
        .iter()
        .filter(|e| e.kind == TriggerEventKind::Update)
        .flat_map(|e| e.columns.clone())
        .collect();
    let events: Vec<TriggerEventKind> = t.events.iter().map(|e| e.kind).collect();
    if !upd_cols.is_empty() {
        let cols: Vec<String> = upd_cols.iter().map(|c| c.value.clone()).collect();
        c.flag(&codes::MYSQL_UPDATE_OF, span, &[&name, &cols.join(", ")]);
    }
    let mut out = Vec::new();
    let suffix = |k: TriggerEventKind| match k {
        TriggerEventKind::Insert => "INS",
        TriggerEventKind::Update => "UPD",
        TriggerEventKind::Delete => "DEL",
    };
    if events.len() > 1 {
        let kinds: Vec<&str> = events
            .iter()
            .map(|k| match k {
                TriggerEventKind::Insert => "INSERT",
                TriggerEventKind::Update => "UPDATE",
                TriggerEventKind::Delete => "DELETE",
            })
            .collect();
        let names: Vec<String> = events
            .iter()
            .map(|k| format!("{}_{}", t.name.name().value, suffix(*k)).to_lowercase())
            .collect();
        c.flag(
            &codes::MYSQL_TRIGGER_SPLIT,
            span,
            &[&name, &kinds.join(" OR "), &names.join(", ")],
        );
    }
    let body = t.body.clone();
    let when = cond.take();
    let base = t.name.name().value.clone();
    for (i, k) in events.iter().enumerate() {
        let mut copy = t.clone();
        copy.events = vec![TriggerEvent {
            kind: *k,
            columns: Vec::new(),
        }];
        if events.len() > 1 {
            let last = copy.name.parts.len() - 1;
            copy.name.parts[last].value = format!("{base}_{}", suffix(*k));
        }
        let mut b = body.clone();
        let mut test = when.clone();
        if *k == TriggerEventKind::Update && !upd_cols.is_empty() {
            let changed = upd_cols
                .iter()
                .map(|cname| {
                    let id = |p: &str| {
                        Expr::Column(QName {
                            parts: vec![Ident::new(p, span), cname.clone()],
                            dblink: None,
                        })
                    };
                    Expr::IsDistinct {
                        left: Box::new(id("NEW")),
                        right: Box::new(id("OLD")),
                        not: false,
                        span,
                    }
                })
                .reduce(|a, b| Expr::Binary {
                    op: BinOp::Or,
                    left: Box::new(a),
                    right: Box::new(b),
                    span,
                });
            test = match (test, changed) {
                (Some(w), Some(ch)) => Some(Expr::Binary {
                    op: BinOp::And,
                    left: Box::new(ch),
                    right: Box::new(w),
                    span,
                }),
                (a, b) => a.or(b),
            };
        }
        // Predicates as constants, the missing row as NULLs.
        let mut fix = EventFix { kind: *k };
        walk_block(&mut fix, &mut b);
        if let Some(w) = &mut test {
            walk_expr(&mut fix, w);
        }
        prune(&mut b.body);
        if let Some(w) = test {
            let label = b.label.take();
            let inner = b;
            b = Block {
                label,
                decls: Vec::new(),
                body: vec![PlStmt::If {
                    branches: vec![(
                        w,
                        vec![PlStmt::Block(Box::new(Block {
                            label: None,
                            ..inner
                        }))],
                    )],
                    else_: None,
                    span,
                }],
                handlers: Vec::new(),
                span,
            };
        }
        copy.body = b;
        copy.when = None;
        if i == 0 {
            *t = copy;
        } else {
            out.push(copy);
        }
    }
    TriggerOutcome::Created(out)
}

/// (changes data, reads :NEW/:OLD) of a statement trigger's body.
fn statement_trigger_uses(b: &mut Block) -> (bool, bool) {
    struct Scan {
        dml: bool,
        rows: bool,
    }
    impl VisitMut for Scan {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Column(q) = e
                && q.parts.len() == 2
                && (q.parts[0].is("NEW") || q.parts[0].is("OLD"))
            {
                self.rows = true;
            }
        }
    }
    fn stmts(v: &[PlStmt], s: &mut Scan) {
        for st in v {
            match st {
                PlStmt::Dml { .. } | PlStmt::Execute { .. } => s.dml = true,
                PlStmt::Block(b) => {
                    stmts(&b.body, s);
                    for h in &b.handlers {
                        stmts(&h.body, s);
                    }
                }
                PlStmt::If {
                    branches, else_, ..
                } => {
                    for (_, b) in branches {
                        stmts(b, s);
                    }
                    if let Some(b) = else_ {
                        stmts(b, s);
                    }
                }
                PlStmt::Case { whens, else_, .. } => {
                    for (_, b) in whens {
                        stmts(b, s);
                    }
                    if let Some(b) = else_ {
                        stmts(b, s);
                    }
                }
                PlStmt::Loop { body, .. } => stmts(body, s),
                _ => {}
            }
        }
    }
    let mut s = Scan {
        dml: false,
        rows: false,
    };
    stmts(&b.body, &mut s);
    for h in &b.handlers {
        stmts(&h.body, &mut s);
    }
    walk_block(&mut s, b);
    (s.dml, s.rows)
}

fn assigns_new(b: &Block) -> bool {
    fn stmts(v: &[PlStmt]) -> bool {
        v.iter().any(|s| match s {
            PlStmt::Assign {
                target: Expr::Column(q),
                ..
            } => q.parts.len() == 2 && q.parts[0].is("NEW"),
            PlStmt::SelectInto { into, .. } => into.iter().any(
                |e| matches!(e, Expr::Column(q) if q.parts.len() == 2 && q.parts[0].is("NEW")),
            ),
            PlStmt::Block(b) => assigns_new(b),
            PlStmt::If {
                branches, else_, ..
            } => branches.iter().any(|(_, b)| stmts(b)) || else_.as_deref().is_some_and(stmts),
            PlStmt::Case { whens, else_, .. } => {
                whens.iter().any(|(_, b)| stmts(b)) || else_.as_deref().is_some_and(stmts)
            }
            PlStmt::Loop { body, .. } => stmts(body),
            _ => false,
        })
    }
    stmts(&b.body) || b.handlers.iter().any(|h| stmts(&h.body))
}

/// In the trigger of one event: `INSERTING` ... as TRUE/FALSE, `OLD.x` of an insert and
/// `NEW.x` of a delete as NULL.
struct EventFix {
    kind: TriggerEventKind,
}

impl VisitMut for EventFix {
    fn expr(&mut self, e: &mut Expr) {
        let Expr::Column(q) = e else { return };
        let span = q.span();
        if q.parts.len() == 1 {
            let k = match q.parts[0].value.as_str() {
                "INSERTING" => TriggerEventKind::Insert,
                "UPDATING" => TriggerEventKind::Update,
                "DELETING" => TriggerEventKind::Delete,
                _ => return,
            };
            *e = Expr::Bool(k == self.kind, span);
        } else if q.parts.len() == 2
            && ((self.kind == TriggerEventKind::Insert && q.parts[0].is("OLD"))
                || (self.kind == TriggerEventKind::Delete && q.parts[0].is("NEW")))
        {
            *e = Expr::Null(span);
        }
    }
}

/// A constant boolean value of a condition (after [`EventFix`]).
fn constant(e: &Expr) -> Option<bool> {
    match e {
        Expr::Bool(b, _) => Some(*b),
        Expr::Unary {
            op: UnaryOp::Not,
            expr,
            ..
        } => constant(expr).map(|b| !b),
        Expr::Binary {
            op: BinOp::And,
            left,
            right,
            ..
        } => match (constant(left), constant(right)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Binary {
            op: BinOp::Or,
            left,
            right,
            ..
        } => match (constant(left), constant(right)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Drops the IF branches that cannot run (constant conditions).
fn prune(v: &mut Vec<PlStmt>) {
    let old = std::mem::take(v);
    for s in old {
        match s {
            PlStmt::If {
                branches,
                else_,
                span,
            } => {
                let mut kept = Vec::new();
                let mut else_ = else_;
                let mut done = false;
                for (c, mut b) in branches {
                    prune(&mut b);
                    match constant(&c) {
                        Some(false) => {}
                        Some(true) => {
                            if kept.is_empty() {
                                v.extend(b);
                                done = true;
                            } else {
                                else_ = Some(b);
                            }
                            break;
                        }
                        None => kept.push((c, b)),
                    }
                }
                if done {
                    continue;
                }
                if let Some(e) = &mut else_ {
                    prune(e);
                }
                if kept.is_empty() {
                    if let Some(e) = else_ {
                        v.extend(e);
                    }
                } else {
                    v.push(PlStmt::If {
                        branches: kept,
                        else_,
                        span,
                    });
                }
            }
            PlStmt::Block(mut b) => {
                prune(&mut b.body);
                for h in &mut b.handlers {
                    prune(&mut h.body);
                }
                v.push(PlStmt::Block(b));
            }
            PlStmt::Loop {
                label,
                kind,
                mut body,
                span,
            } => {
                prune(&mut body);
                v.push(PlStmt::Loop {
                    label,
                    kind,
                    body,
                    span,
                });
            }
            other => v.push(other),
        }
    }
}

impl Conv<'_> {
    /// Resolution of a trigger's names (the MySQL form is decided by [`trigger`]).
    pub(super) fn trigger_mysql(&mut self, t: &mut Trigger) {
        self.where_ = format!("trigger {}", t.name.display());
        if let Some((col, seq)) = super::key_fill(t) {
            let (name, table, span) = (t.name.display(), t.table.display(), t.name.span());
            self.flag(&codes::SEQUENCE_TRIGGER, span, &[&name, &table, &col, &seq]);
        }
        let mut correlation = HashMap::new();
        correlation.insert("NEW".to_string(), "NEW".to_string());
        correlation.insert("OLD".to_string(), "OLD".to_string());
        for (which, alias) in &t.referencing {
            correlation.insert(alias.value.clone(), which.clone());
        }
        self.trigger = Some(super::TriggerCtx { correlation });
        collect_renames(self, &[], &mut t.body);
        if let Some(w) = &mut t.when {
            let mut rw = super::Rewriter { c: self, sql: None };
            walk_expr(&mut rw, w);
        }
        self.scopes.push(HashMap::new());
        self.block(&mut t.body, true);
        self.finish_top(&mut t.body);
        self.scopes.pop();
        self.trigger = None;
    }

    /// The MySQL handler condition of an exception named in `WHEN`.
    pub(super) fn mysql_condition(&mut self, e: &QName) -> String {
        let n = e.name().value.clone();
        if let Some((c, why)) = condition(&n) {
            if let Some(why) = why {
                self.flag(&codes::MYSQL_HANDLER_CONDITION, e.span(), &[&n, c, why]);
            }
            return c.to_string();
        }
        if let Some(Entry::Exception(s)) = self.lookup(&n) {
            return condition_of(&s.clone());
        }
        self.flag(&codes::UNRESOLVED_NAME, e.span(), &[&e.display()]);
        "SQLEXCEPTION".to_string()
    }
}
