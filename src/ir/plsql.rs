//! Procedural IR: routines, triggers, blocks, declarations and statements.
//!
//! Expressions are [`Expr`], queries [`Query`], types [`TypeRef`]: passes that rewrite those
//! (functions, types, naming) see the ones inside procedural bodies through `visit.rs`.
//!
//! Encodings worth knowing:
//! - a procedure call statement `p(1, x => 2);` or `p;` is [`PlStmt::Call`] holding an
//!   [`Expr::Call`] (a bare name is a call with no arguments); [`PlStmt::Call::form`] is decided
//!   by `passes::plsql`;
//! - cursor attributes keep the expression parser's encoding: `c%FOUND` is `Column [C, %FOUND]`,
//!   `SQL%ROWCOUNT` is `Column [SQL, %ROWCOUNT]`; the plsql pass rewrites them;
//! - forms that only exist on a target (`RAISE NOTICE`, `GET DIAGNOSTICS`, `RAISE ... USING
//!   ERRCODE`) are statements of their own, introduced by the plsql pass.

use super::{Arg, Expr, Ident, QName, Query, Stmt, TypeRef};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutineKind {
    Procedure,
    Function,
}

/// `CREATE [OR REPLACE] PROCEDURE | FUNCTION`.
#[derive(Clone, Debug)]
pub struct Routine {
    pub kind: RoutineKind,
    pub name: QName,
    pub params: Vec<Param>,
    /// Functions only.
    pub returns: Option<TypeRef>,
    pub body: Block,
    /// `PRAGMA AUTONOMOUS_TRANSACTION`, `DETERMINISTIC`, `PIPELINED` ... as written
    /// (upper-cased); decided on by the plsql pass. For MySQL the pass replaces them with the
    /// routine characteristics to print (`DETERMINISTIC`, `READS SQL DATA` ...).
    pub options: Vec<String>,
}

/// `CREATE PACKAGE` (spec, `body` false) or `CREATE PACKAGE BODY`: a schema per package on
/// PostgreSQL, its subprograms as routines of that schema.
#[derive(Clone, Debug)]
pub struct Package {
    pub name: QName,
    pub body: bool,
    /// Package-level declarations (variables are session state).
    pub decls: Vec<Decl>,
    /// Subprograms with a body (their names are set to `package.name` by the plsql pass).
    pub routines: Vec<Routine>,
    /// Subprograms only declared (spec, forward declarations): known signatures.
    pub declared: Vec<Routine>,
    /// The initialization section.
    pub init: Option<Block>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamMode {
    In,
    Out,
    InOut,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Ident,
    pub mode: ParamMode,
    pub ty: TypeRef,
    pub default: Option<Expr>,
    pub span: Span,
}

/// `[DECLARE decls] BEGIN stmts [EXCEPTION handlers] END`.
#[derive(Clone, Debug)]
pub struct Block {
    pub label: Option<Ident>,
    pub decls: Vec<Decl>,
    pub body: Vec<PlStmt>,
    pub handlers: Vec<Handler>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Decl {
    Var {
        name: Ident,
        ty: TypeRef,
        constant: bool,
        not_null: bool,
        default: Option<Expr>,
        span: Span,
    },
    /// `e EXCEPTION;`; `sqlstate` is decided by the plsql pass.
    Exception {
        name: Ident,
        sqlstate: Option<String>,
        span: Span,
    },
    /// `PRAGMA name(args)` (EXCEPTION_INIT, AUTONOMOUS_TRANSACTION, SERIALLY_REUSABLE ...).
    Pragma {
        name: Ident,
        args: Vec<Expr>,
        span: Span,
    },
    /// `CURSOR c [(params)] IS query`.
    Cursor {
        name: Ident,
        params: Vec<Param>,
        query: Box<Query>,
        span: Span,
    },
    /// `TYPE ... IS RECORD | TABLE OF | VARRAY | REF CURSOR`, `SUBTYPE ...`: kept as text (the
    /// plsql pass flags them).
    TypeDecl {
        name: Ident,
        text: String,
        /// What the declaration says, when the parser could read it.
        def: Option<TypeDef>,
        span: Span,
    },
}

/// A PL/SQL type declaration.
#[derive(Clone, Debug)]
pub enum TypeDef {
    /// `TYPE r IS RECORD (field type, ...)`.
    Record(Vec<(Ident, TypeRef)>),
    /// `TYPE t IS TABLE OF elem [INDEX BY key]` (`index_by` set: an associative array),
    /// `TYPE t IS VARRAY(n) OF elem` (`limit` set).
    Collection {
        elem: TypeRef,
        index_by: Option<TypeRef>,
        limit: Option<i64>,
    },
    /// `TYPE c IS REF CURSOR [RETURN ...]`.
    RefCursor,
    /// `SUBTYPE s IS base [NOT NULL]`.
    Subtype(TypeRef),
}

#[derive(Clone, Debug)]
pub struct Handler {
    /// `WHEN a OR b THEN`; `OTHERS` is the one-part name `OTHERS`.
    pub exceptions: Vec<QName>,
    /// Target condition names / `SQLSTATE 'xxxxx'`, decided by the plsql pass (same length as
    /// `exceptions`).
    pub conditions: Vec<String>,
    pub body: Vec<PlStmt>,
    /// A MySQL `CONTINUE` handler (introduced by the plsql pass for cursor loops); Oracle
    /// handlers exit their block.
    pub continue_: bool,
    pub span: Span,
}

/// How a call statement is written on the target, decided by the plsql pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CallForm {
    /// Not decided (printed as a procedure call).
    #[default]
    Unknown,
    /// `CALL p(...)`.
    Call,
    /// `PERFORM f(...)`.
    Perform,
}

#[derive(Clone, Debug)]
pub enum LoopKind {
    Plain,
    While(Expr),
    /// `FOR i IN [REVERSE] low .. high`.
    Range {
        var: Ident,
        reverse: bool,
        low: Expr,
        high: Expr,
    },
    /// `FOR r IN (query)` / `FOR r IN cur[(args)]`.
    Cursor {
        var: Ident,
        source: CursorSource,
    },
}

/// The index set of a `FORALL`.
#[derive(Clone, Debug)]
pub enum ForAllBounds {
    Range(Expr, Expr),
    /// `INDICES OF collection`.
    Indices(QName),
    /// `VALUES OF collection`.
    Values(QName),
}

#[derive(Clone, Debug)]
pub enum CursorSource {
    Query(Box<Query>),
    Named { name: QName, args: Vec<Arg> },
}

#[derive(Clone, Debug)]
pub enum PlStmt {
    Assign {
        target: Expr,
        value: Expr,
        span: Span,
    },
    If {
        branches: Vec<(Expr, Vec<PlStmt>)>,
        else_: Option<Vec<PlStmt>>,
        span: Span,
    },
    Case {
        operand: Option<Expr>,
        whens: Vec<(Expr, Vec<PlStmt>)>,
        else_: Option<Vec<PlStmt>>,
        span: Span,
    },
    Loop {
        label: Option<Ident>,
        kind: LoopKind,
        body: Vec<PlStmt>,
        span: Span,
    },
    /// `EXIT [label] [WHEN c]`; `CONTINUE` when `continue_`.
    Exit {
        continue_: bool,
        label: Option<Ident>,
        when: Option<Expr>,
        span: Span,
    },
    Goto {
        label: Ident,
        span: Span,
    },
    /// `<<label>>` before a statement that is not a loop or block.
    Label {
        label: Ident,
        span: Span,
    },
    Null(Span),
    Return {
        value: Option<Expr>,
        span: Span,
    },
    /// `RAISE [name]`; the plsql pass fills `sqlstate` for user exceptions and `condition`
    /// for predefined ones.
    Raise {
        name: Option<QName>,
        sqlstate: Option<String>,
        condition: Option<String>,
        span: Span,
    },
    /// `RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message` (from
    /// `RAISE_APPLICATION_ERROR`).
    RaiseError {
        sqlstate: String,
        message: Expr,
        /// MySQL `MYSQL_ERRNO` (the Oracle error number of `RAISE_APPLICATION_ERROR`).
        errno: Option<u32>,
        span: Span,
    },
    /// MySQL `GET DIAGNOSTICS CONDITION 1 target = ITEM, ...` (`SQLERRM`, `SQLCODE` in a
    /// handler).
    GetDiagnostics {
        items: Vec<(Ident, String)>,
        span: Span,
    },
    /// `RAISE NOTICE '%', value` (from `DBMS_OUTPUT.PUT_LINE`).
    Notice {
        value: Expr,
        span: Span,
    },
    /// A package variable kept in a session setting: `PERFORM set_config(key, value::text,
    /// false)`.
    SetState {
        key: String,
        value: Expr,
        span: Span,
    },
    /// `GET DIAGNOSTICS target = ROW_COUNT`.
    RowCount {
        target: Ident,
        span: Span,
    },
    Call {
        call: Expr,
        form: CallForm,
        span: Span,
    },
    /// `SELECT ... [BULK COLLECT] INTO targets ...`; `strict` (decided by the pass) prints
    /// `INTO STRICT` (Oracle raises NO_DATA_FOUND / TOO_MANY_ROWS).
    SelectInto {
        query: Box<Query>,
        into: Vec<Expr>,
        bulk: bool,
        strict: bool,
        span: Span,
    },
    /// INSERT / UPDATE / DELETE, with `RETURNING exprs INTO targets`.
    Dml {
        stmt: Box<Stmt>,
        returning: Vec<Expr>,
        into: Vec<Expr>,
        span: Span,
    },
    /// `EXECUTE IMMEDIATE sql [INTO targets] [USING args]`.
    Execute {
        sql: Expr,
        into: Vec<Expr>,
        using: Vec<Expr>,
        /// `INTO` raises when the query returns no row or several (Oracle); PostgreSQL
        /// `INTO STRICT`.
        strict: bool,
        span: Span,
    },
    /// `OPEN c [(args)]` or `OPEN c FOR query | FOR string [USING args]`.
    Open {
        cursor: QName,
        args: Vec<Arg>,
        for_query: Option<Box<Query>>,
        for_dynamic: Option<Expr>,
        using: Vec<Expr>,
        span: Span,
    },
    Fetch {
        cursor: QName,
        into: Vec<Expr>,
        bulk: bool,
        limit: Option<Expr>,
        span: Span,
    },
    Close {
        cursor: QName,
        span: Span,
    },
    Commit(Span),
    /// `START TRANSACTION` (MySQL; T-SQL `BEGIN TRANSACTION`, decided by the plsql-tsql pass).
    StartTransaction(Span),
    Rollback {
        to: Option<Ident>,
        span: Span,
    },
    Savepoint {
        name: Ident,
        span: Span,
    },
    PipeRow {
        value: Expr,
        span: Span,
    },
    /// `FORALL i IN bounds [SAVE EXCEPTIONS] dml` (lowered to a loop by the plsql pass).
    ForAll {
        var: Ident,
        bounds: ForAllBounds,
        save_exceptions: bool,
        body: Box<PlStmt>,
        span: Span,
    },
    Block(Box<Block>),
    /// `DROP TABLE IF EXISTS name` (T-SQL `DROP TABLE #t` in a routine).
    DropTable {
        name: QName,
        span: Span,
    },
    /// `TRUNCATE TABLE name`.
    Truncate {
        table: QName,
        span: Span,
    },
    /// `RETURN QUERY query` (a T-SQL SELECT that returns rows to the caller).
    ReturnQuery {
        query: Box<Query>,
        span: Span,
    },
}

impl Decl {
    /// A variable declaration without constraints.
    pub fn var(name: &str, ty: TypeRef, default: Option<Expr>, span: Span) -> Decl {
        Decl::Var {
            name: Ident::new(name, span),
            ty,
            constant: false,
            not_null: false,
            default,
            span,
        }
    }
}

impl PlStmt {
    /// `target := value`.
    pub fn assign(target: Expr, value: Expr, span: Span) -> PlStmt {
        PlStmt::Assign {
            target,
            value,
            span,
        }
    }

    /// The statement lists a statement holds (IF / CASE branches, loop bodies, a block's
    /// body and handlers).
    pub fn lists(&self) -> Vec<&Vec<PlStmt>> {
        match self {
            PlStmt::If {
                branches, else_, ..
            } => branches.iter().map(|(_, b)| b).chain(else_).collect(),
            PlStmt::Case { whens, else_, .. } => {
                whens.iter().map(|(_, b)| b).chain(else_).collect()
            }
            PlStmt::Loop { body, .. } => vec![body],
            PlStmt::Block(b) => std::iter::once(&b.body)
                .chain(b.handlers.iter().map(|h| &h.body))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// [`PlStmt::lists`], mutable.
    pub fn lists_mut(&mut self) -> Vec<&mut Vec<PlStmt>> {
        match self {
            PlStmt::If {
                branches, else_, ..
            } => branches
                .iter_mut()
                .map(|(_, b)| b)
                .chain(else_.iter_mut())
                .collect(),
            PlStmt::Case { whens, else_, .. } => whens
                .iter_mut()
                .map(|(_, b)| b)
                .chain(else_.iter_mut())
                .collect(),
            PlStmt::Loop { body, .. } => vec![body],
            PlStmt::Block(b) => std::iter::once(&mut b.body)
                .chain(b.handlers.iter_mut().map(|h| &mut h.body))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            PlStmt::Assign { span, .. }
            | PlStmt::If { span, .. }
            | PlStmt::Case { span, .. }
            | PlStmt::Loop { span, .. }
            | PlStmt::Exit { span, .. }
            | PlStmt::Goto { span, .. }
            | PlStmt::Label { span, .. }
            | PlStmt::Return { span, .. }
            | PlStmt::Raise { span, .. }
            | PlStmt::RaiseError { span, .. }
            | PlStmt::Notice { span, .. }
            | PlStmt::RowCount { span, .. }
            | PlStmt::GetDiagnostics { span, .. }
            | PlStmt::SetState { span, .. }
            | PlStmt::Call { span, .. }
            | PlStmt::SelectInto { span, .. }
            | PlStmt::Dml { span, .. }
            | PlStmt::Execute { span, .. }
            | PlStmt::Open { span, .. }
            | PlStmt::Fetch { span, .. }
            | PlStmt::Close { span, .. }
            | PlStmt::Rollback { span, .. }
            | PlStmt::Savepoint { span, .. }
            | PlStmt::PipeRow { span, .. }
            | PlStmt::ForAll { span, .. }
            | PlStmt::DropTable { span, .. }
            | PlStmt::Truncate { span, .. }
            | PlStmt::ReturnQuery { span, .. } => *span,
            PlStmt::Null(span) | PlStmt::Commit(span) | PlStmt::StartTransaction(span) => *span,
            PlStmt::Block(b) => b.span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerEventKind {
    Insert,
    Update,
    Delete,
}

#[derive(Clone, Debug)]
pub struct TriggerEvent {
    pub kind: TriggerEventKind,
    /// `UPDATE OF a, b`.
    pub columns: Vec<Ident>,
}

/// `CREATE [OR REPLACE] TRIGGER` (simple DML triggers).
#[derive(Clone, Debug)]
pub struct Trigger {
    pub name: QName,
    pub table: QName,
    pub timing: TriggerTiming,
    pub events: Vec<TriggerEvent>,
    pub for_each_row: bool,
    /// `REFERENCING NEW AS n OLD AS o`: (`NEW`/`OLD`, alias).
    pub referencing: Vec<(String, Ident)>,
    pub when: Option<Expr>,
    pub body: Block,
    /// `ENABLE` / `DISABLE` (in the header or by a later `ALTER TRIGGER`).
    pub enabled: bool,
    /// The trigger function's name, decided by the plsql pass.
    pub function: Option<QName>,
}
