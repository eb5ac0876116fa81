//! The one IR shared by every source and target.
//!
//! Invariants:
//! - every node that a finding can point at carries a [`Span`] into the original source;
//! - names are stored as the *source catalog* spells them ([`Ident::value`]): an unquoted
//!   Oracle name is upper-cased, a quoted one is kept as written. The naming pass
//!   (`passes::naming`) rewrites them to the target spelling and sets [`Ident::quoted`]; after
//!   it, printers print `value` verbatim, in double quotes (PostgreSQL) or back quotes (MySQL)
//!   when `quoted` is set;
//! - back ends never decide: whatever needs a choice (a type spelling, a function rewrite) is
//!   made by a pass and recorded here.

pub mod dump;
pub mod plsql;
pub mod visit;

use crate::diag::Finding;
use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub value: String,
    pub quoted: bool,
    pub span: Span,
}

impl Ident {
    pub fn new(value: impl Into<String>, span: Span) -> Ident {
        Ident {
            value: value.into(),
            quoted: false,
            span,
        }
    }
    /// Case-insensitive comparison on the catalog spelling.
    pub fn is(&self, s: &str) -> bool {
        self.value.eq_ignore_ascii_case(s)
    }
}

/// A possibly qualified name: `[schema.]name` or `a.b.c` in expressions.
#[derive(Clone, Debug, PartialEq)]
pub struct QName {
    pub parts: Vec<Ident>,
    /// Oracle `@dblink` suffix, if any.
    pub dblink: Option<Ident>,
}

impl QName {
    pub fn single(id: Ident) -> QName {
        QName {
            parts: vec![id],
            dblink: None,
        }
    }
    pub fn name(&self) -> &Ident {
        self.parts.last().expect("QName has at least one part")
    }
    pub fn schema(&self) -> Option<&Ident> {
        if self.parts.len() >= 2 {
            self.parts.get(self.parts.len() - 2)
        } else {
            None
        }
    }
    pub fn span(&self) -> Span {
        let first = self.parts.first().map(|p| p.span).unwrap_or_default();
        let last = self.parts.last().map(|p| p.span).unwrap_or_default();
        first.to(last)
    }
    /// `a.b.c` in catalog spelling, for display and lookups.
    pub fn display(&self) -> String {
        self.parts
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }
}

// ---------------------------------------------------------------------------------------------
// Module and objects
// ---------------------------------------------------------------------------------------------

/// Everything read from all input files, in source order.
#[derive(Clone, Debug, Default)]
pub struct Module {
    pub objects: Vec<Object>,
}

/// What kind of schema object a statement creates or changes; decides the output section and
/// how the report counts it (storage vs code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    User,
    Role,
    Type,
    Sequence,
    Table,
    Column,
    Data,
    Routine,
    Procedure,
    Function,
    Package,
    PackageBody,
    View,
    MaterializedView,
    Synonym,
    Trigger,
    Constraint,
    Index,
    Comment,
    Grant,
    DatabaseLink,
    /// A script command or statement with no object (SET, COMMIT, DROP ...).
    Statement,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        use ObjectKind::*;
        match self {
            Schema => "schema",
            User => "user",
            Role => "role",
            Type => "type",
            Sequence => "sequence",
            Table => "table",
            Column => "column",
            Data => "data",
            Routine => "routine",
            Procedure => "procedure",
            Function => "function",
            Package => "package",
            PackageBody => "package_body",
            View => "view",
            MaterializedView => "materialized_view",
            Synonym => "synonym",
            Trigger => "trigger",
            Constraint => "constraint",
            Index => "index",
            Comment => "comment",
            Grant => "grant",
            DatabaseLink => "database_link",
            Statement => "statement",
        }
    }
    /// Storage objects vs code objects, as the assessment counts them. Data statements are
    /// neither: they are rows, not objects.
    pub fn is_storage(self) -> bool {
        use ObjectKind::*;
        matches!(
            self,
            Table | Column | Constraint | Index | Sequence | Schema
        )
    }
    pub fn is_code(self) -> bool {
        use ObjectKind::*;
        matches!(
            self,
            View | MaterializedView
                | Routine
                | Procedure
                | Function
                | Package
                | PackageBody
                | Trigger
                | Type
                | Synonym
        )
    }
}

/// Conversion status of an object, from its worst finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Converted,
    Review,
    Manual,
    Blocker,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Converted => "converted",
            Status::Review => "review",
            Status::Manual => "manual",
            Status::Blocker => "blocker",
        }
    }
}

/// Output section (file) an object is written to. The numeric prefix is the apply order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Schemas,
    Types,
    Sequences,
    Tables,
    Data,
    Routines,
    Views,
    Triggers,
    Constraints,
    Indexes,
    Grants,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Schemas,
        Section::Types,
        Section::Sequences,
        Section::Tables,
        Section::Data,
        Section::Routines,
        Section::Views,
        Section::Triggers,
        Section::Constraints,
        Section::Indexes,
        Section::Grants,
    ];
    pub fn file_name(self) -> &'static str {
        match self {
            Section::Schemas => "00_schemas.sql",
            Section::Types => "10_types.sql",
            Section::Sequences => "20_sequences.sql",
            Section::Tables => "30_tables.sql",
            Section::Data => "35_data.sql",
            Section::Routines => "40_routines.sql",
            Section::Views => "50_views.sql",
            Section::Triggers => "60_triggers.sql",
            Section::Constraints => "70_constraints.sql",
            Section::Indexes => "80_indexes.sql",
            Section::Grants => "90_grants.sql",
        }
    }
}

/// One unit of the input (usually one statement) and what became of it.
#[derive(Clone, Debug)]
pub struct Object {
    pub kind: ObjectKind,
    /// Qualified name in catalog spelling (after naming: target spelling); empty for
    /// statements without a name.
    pub name: Option<QName>,
    /// The whole source unit.
    pub span: Span,
    pub stmt: Stmt,
    /// Statements attached to this object by passes (COMMENT ON for a table, ...): printed
    /// after the main statement, under the same header.
    pub attached: Vec<Stmt>,
    pub findings: Vec<Finding>,
    /// Decided by passes; `None` = not emitted (dropped with an info finding).
    pub section: Option<Section>,
    /// Emit the source text commented out instead of converted SQL.
    pub commented_out: bool,
}

impl Object {
    pub fn new(kind: ObjectKind, name: Option<QName>, span: Span, stmt: Stmt) -> Object {
        Object {
            kind,
            name,
            span,
            stmt,
            attached: Vec::new(),
            findings: Vec::new(),
            section: None,
            commented_out: false,
        }
    }
    pub fn status(&self) -> Status {
        self.findings
            .iter()
            .map(|f| f.severity.status())
            .max()
            .unwrap_or(Status::Converted)
    }
    pub fn display_name(&self) -> String {
        self.name.as_ref().map(|n| n.display()).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub enum Stmt {
    CreateTable(Box<Table>),
    AlterTable(Box<AlterTable>),
    CreateIndex(Box<Index>),
    CreateSequence(Box<Sequence>),
    CreateView(Box<View>),
    CreateSynonym(Box<Synonym>),
    CreateSchema(Ident),
    CreateUser(Box<User>),
    CreateRole(Ident),
    Comment(Box<Comment>),
    Grant(Box<Grant>),
    Insert(Box<Insert>),
    Update(Box<Update>),
    Delete(Box<Delete>),
    /// `MERGE INTO target USING source ON cond WHEN ...` (Oracle, T-SQL).
    Merge(Box<Merge>),
    /// A standalone query (rare in scripts; kept for completeness).
    Query(Box<Query>),
    /// PL/SQL or T-SQL procedural source not (yet) converted: kept as text.
    Routine(Box<RoutineSrc>),
    /// A parsed procedure or function.
    CreateRoutine(Box<plsql::Routine>),
    /// A parsed DML trigger.
    CreateTrigger(Box<plsql::Trigger>),
    /// A parsed package specification or body.
    CreatePackage(Box<plsql::Package>),
    /// A parsed anonymous PL/SQL block (run where it stands in the script).
    AnonymousBlock(Box<plsql::Block>),
    /// `CREATE TYPE name AS (attributes)` (an Oracle object type without methods, or a PL/SQL
    /// record type made into one by the plsql pass) or a collection type.
    CreateType(Box<CompositeType>),
    /// Recognised but not meaningful on the target (SET, COMMIT, DROP, ALTER SESSION ...).
    Ignored {
        what: String,
    },
    /// Not understood: the text of the unit.
    Opaque {
        text: String,
    },
}

/// A user-defined type: a composite type (`attributes`), or, with `collection_of`, a
/// collection type (an array domain on PostgreSQL).
#[derive(Clone, Debug)]
pub struct CompositeType {
    pub name: QName,
    pub attributes: Vec<(Ident, TypeRef)>,
    pub collection_of: Option<TypeRef>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: QName,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    pub temporary: Option<TempKind>,
    pub partition: Option<PartitionSpec>,
    /// `CREATE TABLE ... AS SELECT`.
    pub as_query: Option<Box<Query>>,
    pub if_not_exists: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TempKind {
    /// Oracle GTT: `ON COMMIT DELETE ROWS` when true.
    GlobalDeleteRows,
    GlobalPreserveRows,
    /// T-SQL #temp.
    Local,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: Ident,
    pub ty: TypeRef,
    pub default: Option<Expr>,
    /// `NOT NULL` (or `NULL` = false explicitly, `None` when unsaid).
    pub not_null: Option<bool>,
    /// Name of an inline NOT NULL constraint, if named (dropped: targets do not name them).
    pub not_null_name: Option<Ident>,
    pub identity: Option<Identity>,
    /// Virtual/computed column expression; `stored` for T-SQL PERSISTED.
    pub generated: Option<Generated>,
    /// Inline constraints are moved to `Table::constraints` by the parser, so this is rarely
    /// used except for info.
    pub span: Span,
    pub comment: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Generated {
    pub expr: Expr,
    pub stored: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub always: bool,
    pub start: Option<i128>,
    pub increment: Option<i128>,
    pub span: Span,
}

/// A column type as written in the source, then as mapped by the type pass.
#[derive(Clone, Debug)]
pub struct TypeRef {
    pub source: SourceType,
    /// Set by `passes::types`.
    pub ir: Option<Type>,
    /// Set by the target type pass: the exact spelling the back end prints.
    pub target: Option<String>,
}

impl TypeRef {
    pub fn new(source: SourceType) -> TypeRef {
        TypeRef {
            source,
            ir: None,
            target: None,
        }
    }
}

/// A source type as parsed: `NUMBER(10,2)`, `VARCHAR2(20 CHAR)`, `TIMESTAMP(6) WITH TIME ZONE`,
/// `INTERVAL DAY(2) TO SECOND(6)`, `emp.sal%TYPE`.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceType {
    /// Upper-cased, words joined by one space: `"TIMESTAMP WITH LOCAL TIME ZONE"`,
    /// `"INTERVAL DAY TO SECOND"`, `"LONG RAW"`, `"DOUBLE PRECISION"`; schema-qualified user
    /// types keep their dots: `"MDSYS.SDO_GEOMETRY"`.
    pub name: String,
    /// Numeric arguments in order (`*` for `NUMBER(*,0)` is `None`); for INTERVAL the leading
    /// precision then the fractional precision.
    pub args: Vec<Option<i64>>,
    /// `BYTE` / `CHAR` length semantics, `MAX` (T-SQL), ...
    pub modifier: Option<String>,
    pub span: Span,
}

/// The target-neutral type decided by `passes::types`.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Bool,
    /// Signed integer with this many bits (16, 32, 64); 8 only from T-SQL TINYINT (unsigned).
    Int {
        bits: u8,
    },
    /// Exact numeric; `None` precision = unbounded.
    Decimal {
        precision: Option<u32>,
        scale: Option<i32>,
    },
    Float {
        double: bool,
    },
    /// Character data; `None` length = unbounded.
    Varchar {
        len: Option<u32>,
        national: bool,
    },
    Char {
        len: u32,
        national: bool,
    },
    Text {
        national: bool,
    },
    Binary {
        len: Option<u32>,
        fixed: bool,
    },
    Blob,
    Date,
    /// Date and time; `precision` fractional digits.
    Timestamp {
        precision: Option<u32>,
        tz: Tz,
    },
    Time {
        precision: Option<u32>,
    },
    IntervalYearMonth,
    IntervalDaySecond {
        precision: Option<u32>,
    },
    Xml,
    Json,
    Uuid,
    Money,
    /// No faithful mapping: kept as the target's text-like fallback with a finding.
    Unsupported {
        source: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tz {
    None,
    With,
    Local,
}

#[derive(Clone, Debug)]
pub struct Constraint {
    pub name: Option<Ident>,
    pub kind: ConstraintKind,
    pub deferrable: Option<Deferrable>,
    /// ENABLE (true) / DISABLE (false).
    pub enabled: bool,
    /// NOVALIDATE.
    pub validate: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<Ident>,
    },
    Unique {
        columns: Vec<Ident>,
    },
    Check {
        expr: Expr,
    },
    ForeignKey {
        columns: Vec<Ident>,
        ref_table: QName,
        /// Empty = the referenced table's primary key.
        ref_columns: Vec<Ident>,
        on_delete: Option<RefAction>,
        on_update: Option<RefAction>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefAction {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deferrable {
    pub deferrable: bool,
    pub initially_deferred: bool,
}

#[derive(Clone, Debug)]
pub struct PartitionSpec {
    pub method: PartitionMethod,
    pub columns: Vec<Ident>,
    /// INTERVAL (expr) for Oracle interval partitioning.
    pub interval: Option<Expr>,
    pub subpartition: Option<Box<PartitionSpec>>,
    /// Oracle `SUBPARTITIONS n` / `PARTITIONS n` for hash.
    pub count: Option<u32>,
    pub partitions: Vec<Partition>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartitionMethod {
    Range,
    List,
    Hash,
    Reference,
    System,
}

#[derive(Clone, Debug)]
pub struct Partition {
    pub name: Option<Ident>,
    pub bound: PartitionBound,
    pub subpartitions: Vec<Partition>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum PartitionBound {
    /// `VALUES LESS THAN (e, ...)`; `MAXVALUE` is `Expr::MaxValue`.
    LessThan(Vec<Expr>),
    /// `VALUES (a, b)`; `DEFAULT` is `Expr::Default`.
    In(Vec<Expr>),
    /// Hash partitions: by position.
    Hash,
}

#[derive(Clone, Debug)]
pub struct AlterTable {
    pub table: QName,
    pub actions: Vec<AlterAction>,
}

#[derive(Clone, Debug)]
pub enum AlterAction {
    AddColumns(Vec<Column>),
    ModifyColumns(Vec<Column>),
    DropColumns(Vec<Ident>),
    AddConstraint(Constraint),
    DropConstraint(Ident),
    RenameColumn {
        from: Ident,
        to: Ident,
    },
    RenameTo(Ident),
    /// Anything else (ENABLE ROW MOVEMENT, storage ...): source text with its span.
    Other {
        text: String,
        span: Span,
    },
}

#[derive(Clone, Debug)]
pub struct Index {
    pub name: QName,
    pub table: QName,
    pub unique: bool,
    pub bitmap: bool,
    pub reverse: bool,
    pub columns: Vec<IndexColumn>,
    /// LOCAL / GLOBAL partitioned index clause (dropped: PostgreSQL indexes on a partitioned
    /// table are always local).
    pub local: bool,
    /// T-SQL filtered index.
    pub where_: Option<Expr>,
    pub include: Vec<Ident>,
}

#[derive(Clone, Debug)]
pub struct IndexColumn {
    pub expr: Expr,
    pub desc: bool,
    /// Index only the first n characters of the column (MySQL key prefix for long text);
    /// decided by passes, ignored by targets that index whole values.
    pub prefix: Option<u32>,
}

#[derive(Clone, Debug, Default)]
pub struct Sequence {
    pub name: Option<QName>,
    pub start: Option<i128>,
    pub increment: Option<i128>,
    pub min: Option<i128>,
    pub max: Option<i128>,
    pub cycle: bool,
    pub cache: Option<i128>,
    /// ORDER / NOORDER, KEEP, SCALE ...: dropped with an info finding.
    pub dropped_options: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct View {
    pub name: QName,
    pub or_replace: bool,
    pub force: bool,
    pub columns: Vec<Ident>,
    pub query: Box<Query>,
    pub read_only: bool,
    pub check_option: bool,
    pub materialized: bool,
}

#[derive(Clone, Debug)]
pub struct Synonym {
    pub name: QName,
    pub public: bool,
    pub target: QName,
    /// Decided by the synonym pass: the target's kind when known.
    pub target_kind: Option<ObjectKind>,
}

#[derive(Clone, Debug)]
pub struct User {
    pub name: Ident,
    pub password_given: bool,
    /// Default tablespace, quota ...: dropped.
    pub dropped_options: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub on: CommentTarget,
    pub name: QName,
    pub text: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentTarget {
    Table,
    Column,
    View,
    MaterializedView,
}

#[derive(Clone, Debug)]
pub struct Grant {
    /// Privileges as written, upper-cased (`SELECT`, `CREATE SESSION`, `ALL`).
    pub privileges: Vec<String>,
    /// Object privileges have an object; system privileges and role grants have none.
    pub on: Option<QName>,
    pub grantees: Vec<Ident>,
    pub with_grant_option: bool,
    pub revoke: bool,
    /// The class of the object, as the target names it (`ON SEQUENCE s`, `ON FUNCTION f`);
    /// front ends write `Relation`, the storage pass decides.
    pub on_kind: GrantOn,
}

/// The object class of a grant (`GRANT EXECUTE ON PROCEDURE p`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GrantOn {
    /// A table or view (the target's default object class).
    #[default]
    Relation,
    Sequence,
    Function,
    Procedure,
    Schema,
    /// `ALL ROUTINES IN SCHEMA s` (PostgreSQL: the routines of a package's schema).
    AllRoutinesInSchema,
}

// ---------------------------------------------------------------------------------------------
// DML and queries
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Insert {
    pub table: QName,
    pub alias: Option<Ident>,
    pub columns: Vec<Ident>,
    pub source: InsertSource,
}

#[derive(Clone, Debug)]
pub enum InsertSource {
    Values(Vec<Vec<Expr>>),
    Query(Box<Query>),
    DefaultValues,
    /// PL/SQL `INSERT INTO t VALUES record`: one row from a record value.
    Record(Expr),
}

#[derive(Clone, Debug)]
pub struct Update {
    pub table: QName,
    pub alias: Option<Ident>,
    pub set: Vec<(Vec<Ident>, Expr)>,
    /// `UPDATE ... SET ... FROM tables` (PostgreSQL; the T-SQL form, whose FROM repeats the
    /// target, is rewritten by `passes::plsql_tsql`).
    pub from: Vec<TableRef>,
    pub where_: Option<Expr>,
}

#[derive(Clone, Debug)]
pub struct Delete {
    pub table: QName,
    pub alias: Option<Ident>,
    /// `DELETE FROM t USING tables` (PostgreSQL; T-SQL's second FROM, rewritten as for
    /// [`Update::from`]).
    pub using: Vec<TableRef>,
    pub where_: Option<Expr>,
}

/// `MERGE INTO table [alias] USING source ON on WHEN ... THEN ...`. Oracle's
/// `UPDATE ... WHERE c` and `INSERT ... WHERE c` are read as the clause's `cond`.
#[derive(Clone, Debug)]
pub struct Merge {
    pub table: QName,
    pub alias: Option<Ident>,
    pub source: TableRef,
    pub on: Expr,
    pub clauses: Vec<MergeClause>,
    /// Target-only form, filled by `passes::merge_into`: when not empty, the statements that
    /// replace this MERGE, in order (MySQL has no MERGE; PostgreSQL 15 has no `NOT MATCHED BY
    /// SOURCE`).
    pub replaced_by: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeMatch {
    Matched,
    /// `WHEN NOT MATCHED [BY TARGET]`.
    NotMatched,
    /// T-SQL `WHEN NOT MATCHED BY SOURCE`: target rows no source row matches.
    NotMatchedBySource,
}

#[derive(Clone, Debug)]
pub struct MergeClause {
    pub when: MergeMatch,
    /// `WHEN MATCHED AND cond` (T-SQL) or Oracle's trailing `WHERE cond`.
    pub cond: Option<Expr>,
    pub action: MergeAction,
    /// Oracle `UPDATE SET ... DELETE WHERE c`: the updated rows for which `c` holds (on their
    /// new values) are deleted. Rewritten by `passes::merge_into` into a DELETE clause.
    pub delete_where: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum MergeAction {
    Update(Vec<(Vec<Ident>, Expr)>),
    Delete,
    /// `INSERT [(columns)] VALUES (values)`; `values` is `None` for `DEFAULT VALUES`.
    Insert {
        columns: Vec<Ident>,
        values: Option<Vec<Expr>>,
    },
}

/// A query expression: a body with optional CTEs, ORDER BY and row limiting.
#[derive(Clone, Debug)]
pub struct Query {
    pub with: Vec<Cte>,
    pub recursive: bool,
    pub body: SetExpr,
    pub order_by: Vec<OrderItem>,
    /// Row limiting (`FETCH FIRST n ROWS ONLY`, `ROWNUM <= n` after rewrite, T-SQL TOP).
    pub limit: Option<Expr>,
    pub offset: Option<Expr>,
    /// `FOR UPDATE [OF ..] [NOWAIT | WAIT n | SKIP LOCKED]`.
    pub for_update: Option<ForUpdate>,
    pub span: Span,
}

/// Row locking of a query. Oracle's `OF` names columns; after `passes::locking` it names
/// the tables (or aliases) whose rows are locked, as PostgreSQL and MySQL read it.
#[derive(Clone, Debug)]
pub struct ForUpdate {
    pub of: Vec<QName>,
    pub wait: LockWait,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockWait {
    /// Wait for the lock (the default).
    Wait,
    NoWait,
    SkipLocked,
    /// Oracle `WAIT n` (seconds); `passes::locking` removes it on targets without it.
    Seconds(u64),
}

#[derive(Clone, Debug)]
pub struct Cte {
    pub name: Ident,
    pub columns: Vec<Ident>,
    pub query: Box<Query>,
}

#[derive(Clone, Debug)]
pub enum SetExpr {
    Select(Box<Select>),
    /// `UNION [ALL]`, `INTERSECT`, `MINUS`/`EXCEPT`.
    SetOp {
        op: SetOp,
        all: bool,
        left: Box<SetExpr>,
        right: Box<SetExpr>,
    },
    /// A parenthesised query used as a set operand.
    Query(Box<Query>),
    Values(Vec<Vec<Expr>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    Union,
    Intersect,
    /// Oracle MINUS is recorded as `Except`.
    Except,
}

#[derive(Clone, Debug)]
pub struct Select {
    pub distinct: bool,
    pub items: Vec<SelectItem>,
    pub from: Vec<TableRef>,
    pub where_: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub connect_by: Option<ConnectBy>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ConnectBy {
    pub start_with: Option<Expr>,
    pub condition: Expr,
    pub nocycle: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum SelectItem {
    /// `*` or `t.*` (qualifier in `QName` parts).
    Wildcard(Option<QName>),
    Expr {
        expr: Expr,
        alias: Option<Ident>,
    },
}

#[derive(Clone, Debug)]
pub enum TableRef {
    Table {
        name: QName,
        alias: Option<Ident>,
        span: Span,
    },
    Subquery {
        query: Box<Query>,
        alias: Option<Ident>,
        lateral: bool,
        span: Span,
    },
    Join {
        left: Box<TableRef>,
        right: Box<TableRef>,
        kind: JoinKind,
        on: Option<Expr>,
        using: Vec<Ident>,
    },
    /// `TABLE(collection_expr)` and other table functions.
    Function {
        call: Expr,
        alias: Option<Ident>,
        span: Span,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
    Cross,
    Natural,
}

#[derive(Clone, Debug)]
pub struct OrderItem {
    pub expr: Expr,
    pub desc: bool,
    /// `NULLS FIRST` = Some(true), `NULLS LAST` = Some(false).
    pub nulls_first: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub enum Expr {
    /// Number literal as written (`1`, `1.5`, `1e3`).
    Number(String, Span),
    /// String literal, unescaped value.
    String(String, Span),
    /// National string literal `N'...'`.
    NString(String, Span),
    Null(Span),
    Bool(bool, Span),
    /// A column, variable or pseudo-column reference: `a`, `t.a`, `s.t.a`, `seq.NEXTVAL`.
    Column(QName),
    /// `*` inside `COUNT(*)`.
    Star(Span),
    /// Bind variable `:name` / T-SQL `@var`.
    Param(String, Span),
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    /// Function call or collection element `name(args)`. `distinct` for aggregates.
    Call(Box<Call>),
    Case(Box<Case>),
    Cast {
        expr: Box<Expr>,
        ty: Box<TypeRef>,
        span: Span,
    },
    /// `expr IS [NOT] NULL`.
    IsNull {
        expr: Box<Expr>,
        not: bool,
        span: Span,
    },
    /// `a IS [NOT] DISTINCT FROM b` (introduced by rewrites of DECODE).
    IsDistinct {
        left: Box<Expr>,
        right: Box<Expr>,
        not: bool,
        span: Span,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        not: bool,
        span: Span,
    },
    InQuery {
        expr: Box<Expr>,
        query: Box<Query>,
        not: bool,
        span: Span,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        not: bool,
        span: Span,
    },
    Like {
        expr: Box<Expr>,
        pattern: Box<Expr>,
        escape: Option<Box<Expr>>,
        not: bool,
        span: Span,
    },
    Exists {
        query: Box<Query>,
        not: bool,
        span: Span,
    },
    Subquery(Box<Query>),
    /// `(a, b)` row constructor / parenthesised list.
    Tuple(Vec<Expr>, Span),
    /// `expr (+)`: Oracle outer-join marker (removed by `passes::outer_join`).
    OuterJoin(Box<Expr>),
    /// `MAXVALUE` in partition bounds.
    MaxValue(Span),
    /// `DEFAULT` in partition bounds / VALUES lists.
    Default(Span),
    /// `seq.NEXTVAL` / `seq.CURRVAL` after resolution.
    NextVal(QName, Span),
    CurrVal(QName, Span),
    /// `INTERVAL '1' DAY` style literal: value and the qualifier text as written.
    Interval {
        value: String,
        unit: String,
        span: Span,
    },
    /// Typed literal `DATE '2020-01-01'`, `TIMESTAMP '...'`.
    TypedString {
        ty: String,
        value: String,
        span: Span,
    },
    /// `base.field`: a field of a composite value that is not a plain name (`f(x).name`,
    /// `tab(i).name`); printed `(base).field`.
    Field {
        base: Box<Expr>,
        field: Ident,
        span: Span,
    },
    /// `base[index]`: an array element (PL/SQL collection elements after the plsql pass).
    Subscript {
        base: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
    /// `ARRAY[a, b]` (PL/SQL collection constructors after the plsql pass); `ty` is the element
    /// type, spelled for the target, which an empty array needs.
    Array {
        items: Vec<Expr>,
        ty: Option<String>,
        span: Span,
    },
    /// `CURRENT OF cursor` as the WHERE clause of an UPDATE / DELETE in a procedural body.
    CurrentOf(Ident),
    /// Text the printers emit verbatim, produced by passes when a target construct has no IR
    /// node (use sparingly; prefer a node).
    Raw(String, Span),
}

#[derive(Clone, Debug)]
pub struct Call {
    pub name: QName,
    pub args: Vec<Arg>,
    pub distinct: bool,
    /// `OVER (...)` for analytic functions.
    pub over: Option<Window>,
    /// `WITHIN GROUP (ORDER BY ...)` (LISTAGG).
    pub within_group: Vec<OrderItem>,
    pub span: Span,
}

impl Query {
    /// `SELECT items FROM from WHERE where_` as a query without CTEs, ORDER BY or limits.
    pub fn select(
        items: Vec<SelectItem>,
        from: Vec<TableRef>,
        where_: Option<Expr>,
        span: Span,
    ) -> Query {
        Query {
            with: Vec::new(),
            recursive: false,
            body: SetExpr::Select(Box::new(Select {
                distinct: false,
                items,
                from,
                where_,
                group_by: Vec::new(),
                having: None,
                connect_by: None,
                span,
            })),
            order_by: Vec::new(),
            limit: None,
            offset: None,
            for_update: None,
            span,
        }
    }
}

impl Call {
    /// A call of a target or built-in function by name (catalog spelling, upper-cased),
    /// positional arguments.
    pub fn expr(name: &str, args: Vec<Expr>, span: Span) -> Expr {
        Expr::Call(Box::new(Call {
            name: QName::single(Ident::new(name.to_ascii_uppercase(), span)),
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
}

#[derive(Clone, Debug)]
pub struct Arg {
    /// `name => value`.
    pub name: Option<Ident>,
    pub value: Expr,
}

#[derive(Clone, Debug, Default)]
pub struct Window {
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<OrderItem>,
    /// Frame clause as written (`ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`), same
    /// syntax in every supported target.
    pub frame: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Case {
    pub operand: Option<Expr>,
    pub whens: Vec<(Expr, Expr)>,
    pub else_: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
    /// Oracle `PRIOR` in CONNECT BY.
    Prior,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
}

impl BinOp {
    /// Binding power for printing with minimal parentheses (higher binds tighter).
    pub fn precedence(self) -> u8 {
        use BinOp::*;
        match self {
            Or => 1,
            And => 2,
            Eq | NotEq | Lt | LtEq | Gt | GtEq => 4,
            Concat => 5,
            Add | Sub => 6,
            Mul | Div | Mod => 7,
        }
    }
}

impl Expr {
    /// The AND-conjuncts of a condition, in order.
    pub fn split_and(self, out: &mut Vec<Expr>) {
        match self {
            Expr::Binary {
                op: BinOp::And,
                left,
                right,
                ..
            } => {
                left.split_and(out);
                right.split_and(out);
            }
            other => out.push(other),
        }
    }

    /// `left op right`.
    pub fn binary(op: BinOp, left: Expr, right: Expr, span: Span) -> Expr {
        Expr::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
            span,
        }
    }

    /// The AND of conditions (`None` for none).
    pub fn and_all(v: Vec<Expr>) -> Option<Expr> {
        let mut it = v.into_iter();
        let first = it.next()?;
        Some(it.fold(first, |l, r| {
            let span = l.span().to(r.span());
            Expr::Binary {
                op: BinOp::And,
                left: Box::new(l),
                right: Box::new(r),
                span,
            }
        }))
    }

    pub fn span(&self) -> Span {
        match self {
            Expr::Number(_, s)
            | Expr::String(_, s)
            | Expr::NString(_, s)
            | Expr::Null(s)
            | Expr::Bool(_, s)
            | Expr::Star(s)
            | Expr::Param(_, s)
            | Expr::Tuple(_, s)
            | Expr::MaxValue(s)
            | Expr::Default(s)
            | Expr::NextVal(_, s)
            | Expr::CurrVal(_, s)
            | Expr::Raw(_, s) => *s,
            Expr::Column(q) => q.span(),
            Expr::Unary { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Cast { span, .. }
            | Expr::IsNull { span, .. }
            | Expr::IsDistinct { span, .. }
            | Expr::InList { span, .. }
            | Expr::InQuery { span, .. }
            | Expr::Between { span, .. }
            | Expr::Like { span, .. }
            | Expr::Exists { span, .. }
            | Expr::Interval { span, .. }
            | Expr::TypedString { span, .. } => *span,
            Expr::Call(c) => c.span,
            Expr::Case(c) => c.span,
            Expr::Subquery(q) => q.span,
            Expr::OuterJoin(e) => e.span(),
            Expr::CurrentOf(c) => c.span,
            Expr::Field { span, .. } | Expr::Subscript { span, .. } | Expr::Array { span, .. } => {
                *span
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct RoutineSrc {
    /// PROCEDURE, FUNCTION, PACKAGE, PACKAGE BODY, TRIGGER, TYPE, TYPE BODY ...
    pub what: String,
    pub text: String,
}
