//! T-SQL built-in functions and operators (Targeted phase, T-SQL and ASE sources only), for
//! both targets: built-ins through `rules/functions/tsql-<target>.toml` (renames, templates,
//! handlers here); `CONVERT` with its style numbers; `CAST` to an integer truncates (the
//! targets round); `+` with a string operand to `||`/`CONCAT` (SQL Server: NULL propagates)
//! or `concat()`/`CONCAT_WS('', ..)` (ASE treats NULL as the empty string); integer `/`
//! truncates on MySQL; LIKE `[...]` classes become anchored regular expressions; `0x..`
//! literals are bytea on PostgreSQL; MySQL cast types (`SIGNED`, `CHAR(n)` ...).

use std::sync::OnceLock;

use super::Ctx;
use super::functions::{FnTable, template};
use super::symbols::Symbols;
use crate::diag::Finding;
use crate::frontend::tsql::Flavor;
use crate::ir::visit::{VisitMut, walk_expr};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;
use crate::{SourceDialect, Target};

pub fn tsql_postgres() -> &'static FnTable {
    static T: OnceLock<FnTable> = OnceLock::new();
    T.get_or_init(|| {
        toml::from_str(include_str!("../../rules/functions/tsql-postgres.toml"))
            .expect("rules/functions/tsql-postgres.toml is valid (checked by tests)")
    })
}

pub fn tsql_mysql() -> &'static FnTable {
    static T: OnceLock<FnTable> = OnceLock::new();
    T.get_or_init(|| {
        toml::from_str(include_str!("../../rules/functions/tsql-mysql.toml"))
            .expect("rules/functions/tsql-mysql.toml is valid (checked by tests)")
    })
}

/// The T-SQL function table of a target: `rules/functions/tsql-<target>.toml`.
pub fn table_for(target: Target) -> &'static FnTable {
    match target {
        Target::Postgres => tsql_postgres(),
        Target::Mysql => tsql_mysql(),
    }
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    if !matches!(ctx.opts.from, SourceDialect::Tsql | SourceDialect::Ase) {
        return;
    }
    let flavor = Flavor::of(ctx.opts.from);
    let target = ctx.target();
    // Tables as the earlier passes left them (ALTER TABLE folded in, last definition kept).
    let mut tables = Tables::default();
    for o in &module.objects {
        let cols: Vec<String> = match &o.stmt {
            Stmt::CreateTable(t) if !o.commented_out => {
                t.columns.iter().map(|c| c.name.value.clone()).collect()
            }
            Stmt::AlterTable(a) if !o.commented_out => {
                let k = a.table.display().to_ascii_lowercase();
                let extra: Vec<String> = a
                    .actions
                    .iter()
                    .filter_map(|x| match x {
                        AlterAction::AddColumns(cs) => {
                            Some(cs.iter().map(|c| c.name.value.clone()))
                        }
                        _ => None,
                    })
                    .flatten()
                    .collect();
                if let Some(e) = tables.0.get_mut(&k) {
                    e.extend(extra);
                }
                continue;
            }
            _ => continue,
        };
        let Stmt::CreateTable(t) = &o.stmt else {
            continue;
        };
        tables
            .0
            .insert(t.name.display().to_ascii_lowercase(), cols.clone());
        if t.name.parts.len() > 1 {
            tables
                .0
                .entry(t.name.name().value.to_ascii_lowercase())
                .or_insert(cols);
        }
    }
    let routines: std::collections::HashSet<String> = ctx
        .symbols
        .routines
        .iter()
        .map(|r| r.to_ascii_lowercase())
        .collect();
    for o in &mut module.objects {
        let mut cols: Vec<(String, SourceType)> = Vec::new();
        match &o.stmt {
            Stmt::CreateTable(t) => {
                cols = t
                    .columns
                    .iter()
                    .map(|c| (c.name.value.to_ascii_lowercase(), c.ty.source.clone()))
                    .collect();
            }
            Stmt::CreateView(v) => {
                if let SetExpr::Select(s) = &v.query.body {
                    for f in &s.from {
                        tables_of(f, &ctx.symbols, &mut cols);
                    }
                }
            }
            _ => {}
        }
        // The type argument of CONVERT(char(10), x) is not a call of CHAR.
        super::walk_object(&mut ConvertTypes, o);
        let mut v = V {
            bad_calls: 0,
            flavor,
            target,
            cols,
            found: Vec::new(),
            routines: routines.clone(),
            generated: false,
        };
        // Computed columns whose expression keeps an unconverted call become plain columns
        // (the table still applies; the expression needs a person). They are converted here,
        // once: they are set aside while the rest of the object is walked.
        let mut done: Vec<(usize, Generated)> = Vec::new();
        if let Stmt::CreateTable(t) = &mut o.stmt {
            for c in &mut t.columns {
                // A computed column that reads the clock, a random value or the session is
                // not deterministic: PostgreSQL (immutable expressions) and MySQL refuse it.
                let why = c.generated.as_ref().and_then(|g| {
                    volatile_call(&g.expr)
                        .map(|f| format!("{f}() is not deterministic"))
                        .or_else(|| {
                            user_call(&g.expr, table_for(target)).map(|f| {
                                format!(
                                    "{f}() is a user-defined function (PostgreSQL needs it IMMUTABLE, MySQL allows none)"
                                )
                            })
                        })
                });
                if let Some(why) = why {
                    v.found.push(Finding::new(
                        &codes::GENERATED_NOT_ALLOWED,
                        c.span,
                        &[&c.name.value, &why],
                    ));
                    c.generated = None;
                }
                if let Some(g) = &mut c.generated {
                    let before = v.bad_calls;
                    v.generated = true;
                    walk_expr(&mut v, &mut g.expr);
                    v.generated = false;
                    if v.bad_calls > before {
                        v.found.push(Finding::new(
                            &codes::FUNCTION_UNSUPPORTED,
                            c.span,
                            &[
                                &c.name.value,
                                "the computed column is created as a plain column; write its expression by hand",
                            ],
                        ));
                        c.generated = None;
                    }
                }
            }
            for (i, c) in t.columns.iter_mut().enumerate() {
                if let Some(g) = c.generated.take() {
                    done.push((i, g));
                }
            }
        }
        date_literals(o, &ctx.symbols, &mut v.found, target == Target::Mysql);
        check_columns(o, &tables, &mut v.found);
        super::walk_object(&mut v, o);
        if let Stmt::CreateTable(t) = &mut o.stmt {
            for (i, g) in done {
                t.columns[i].generated = Some(g);
            }
        }
        super::add_unique(o, v.found);
    }
}

/// Column names of the input's tables, by `schema.table` and `table` (lower case).
#[derive(Default)]
struct Tables(std::collections::HashMap<String, Vec<String>>);

impl Tables {
    fn table(&self, q: &QName) -> Option<&[String]> {
        self.0
            .get(&q.display().to_ascii_lowercase())
            .map(|v| v.as_slice())
    }
}

/// Columns the input's tables do not have (QRY021): scripts gathered from several versions of
/// a schema, or that never ran as they are, would fail on the target.
fn check_columns(o: &Object, syms: &Tables, found: &mut Vec<Finding>) {
    let has = |cols: &[String], c: &str| cols.iter().any(|n| n.eq_ignore_ascii_case(c));
    let what = o.display_name();
    let missing = |c: &Ident, table: &QName| {
        Finding::new(
            &codes::COLUMN_NOT_IN_TABLE,
            c.span,
            &[
                &what,
                &c.value,
                &format!("is not a column of table {} in the input", table.display()),
            ],
        )
    };
    match &o.stmt {
        Stmt::CreateIndex(i) => {
            let Some(t) = syms.table(&i.table) else {
                return;
            };
            for c in &i.columns {
                if let Expr::Column(q) = &c.expr
                    && q.parts.len() == 1
                    && !has(t, &q.parts[0].value)
                {
                    found.push(missing(&q.parts[0], &i.table));
                }
            }
        }
        Stmt::Insert(ins) => {
            let Some(t) = syms.table(&ins.table) else {
                return;
            };
            for c in &ins.columns {
                if !has(t, &c.value) {
                    found.push(missing(c, &ins.table));
                }
            }
        }
        Stmt::Update(u) => {
            let Some(t) = syms.table(&u.table) else {
                return;
            };
            for (cs, _) in &u.set {
                for c in cs {
                    if !has(t, &c.value) {
                        found.push(missing(c, &u.table));
                    }
                }
            }
        }
        Stmt::CreateView(v) => {
            #[derive(Default)]
            struct Scan {
                /// Alias or table name -> the table (None: not a table of the input).
                scopes: Vec<(String, Option<QName>)>,
                refs: Vec<(Ident, Ident)>,
            }
            impl VisitMut for Scan {
                fn enter_select(&mut self, s: &mut Select) {
                    fn reg(t: &TableRef, out: &mut Vec<(String, Option<QName>)>) {
                        match t {
                            TableRef::Table { name, alias, .. } => {
                                let a = alias.as_ref().unwrap_or(name.name());
                                out.push((a.value.to_ascii_lowercase(), Some(name.clone())));
                                out.push((name.display().to_ascii_lowercase(), Some(name.clone())));
                            }
                            TableRef::Subquery { alias, .. } | TableRef::Function { alias, .. } => {
                                if let Some(a) = alias {
                                    out.push((a.value.to_ascii_lowercase(), None));
                                }
                            }
                            TableRef::Join { left, right, .. } => {
                                reg(left, out);
                                reg(right, out);
                            }
                        }
                    }
                    for t in &s.from {
                        reg(t, &mut self.scopes);
                    }
                }
                fn expr(&mut self, e: &mut Expr) {
                    if let Expr::Column(q) = e
                        && q.parts.len() == 2
                    {
                        self.refs.push((q.parts[0].clone(), q.parts[1].clone()));
                    }
                }
            }
            let mut scan = Scan::default();
            let mut q = v.query.clone();
            crate::ir::visit::walk_query(&mut scan, &mut q);
            for (qual, col) in &scan.refs {
                let k = qual.value.to_ascii_lowercase();
                let tables: Vec<&Option<QName>> = scan
                    .scopes
                    .iter()
                    .filter(|(a, _)| *a == k)
                    .map(|(_, t)| t)
                    .collect();
                if tables.is_empty() {
                    found.push(Finding::new(
                        &codes::COLUMN_NOT_IN_TABLE,
                        qual.span,
                        &[
                            &what,
                            &format!("{}.{}", qual.value, col.value),
                            "names no table of the query",
                        ],
                    ));
                    continue;
                }
                // Every table the qualifier may name must lack the column.
                let lacking = tables.iter().all(|t| {
                    t.as_ref()
                        .and_then(|n| syms.table(n))
                        .is_some_and(|ti| !has(ti, &col.value))
                });
                if lacking && let Some(Some(t)) = tables.first() {
                    found.push(missing(col, t));
                }
            }
        }
        _ => {}
    }
}

/// Date literals in the forms T-SQL reads (us_english, mdy) as ISO text: string literals
/// inserted into or defaulting date columns (comparisons are handled by the visitor).
fn date_literals(o: &mut Object, syms: &Symbols, found: &mut Vec<Finding>, strict: bool) {
    match &mut o.stmt {
        Stmt::Insert(ins) => {
            let Some(t) = syms.table(&ins.table) else {
                return;
            };
            let types: Vec<Option<&SourceType>> = if ins.columns.is_empty() {
                t.columns.iter().map(|(_, ty)| Some(ty)).collect()
            } else {
                ins.columns
                    .iter()
                    .map(|c| {
                        t.columns
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case(&c.value))
                            .map(|(_, ty)| ty)
                    })
                    .collect()
            };
            if let InsertSource::Values(rows) = &mut ins.source {
                for row in rows {
                    for (e, ty) in row.iter_mut().zip(&types) {
                        if let Some(ty) = ty
                            && is_date_type(&ty.name)
                        {
                            fold_literal(e, &ty.name, found, strict);
                        }
                    }
                }
            }
        }
        Stmt::CreateTable(t) => {
            for c in &mut t.columns {
                if is_date_type(&c.ty.source.name)
                    && let Some(d) = &mut c.default
                {
                    fold_literal(d, &c.ty.source.name, found, strict);
                }
            }
        }
        _ => {}
    }
}

/// Rewrites a string literal for a date/time type as ISO text, which every server reads the
/// same way whatever its date style settings. `strict` (MySQL): an unreadable literal is
/// TYP023 (PostgreSQL reads more forms and gets it as written).
fn fold_literal(e: &mut Expr, ty: &str, found: &mut Vec<Finding>, strict: bool) {
    let (Expr::String(s, span) | Expr::NString(s, span)) = e else {
        return;
    };
    let time_only = matches!(ty.to_ascii_uppercase().as_str(), "TIME" | "BIGTIME");
    // The empty string is 1900-01-01 00:00 in T-SQL.
    let folded = if s.trim().is_empty() {
        Some("1900-01-01 00:00:00".to_string())
    } else {
        fold_datetime(s)
    };
    match folded {
        Some(mut v) => {
            if time_only && let Some(t) = v.strip_prefix("1900-01-01 ") {
                v = t.to_string();
            }
            *s = v;
        }
        None if strict => found.push(Finding::new(&codes::DATETIME_LITERAL, *span, &[s])),
        None => {}
    }
}

/// The first call of a function that is not a built-in of the function table (a routine of
/// the input or of the database).
fn user_call(e: &Expr, table: &FnTable) -> Option<String> {
    struct Find<'a>(&'a FnTable, Option<String>);
    impl VisitMut for Find<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Call(c) = e {
                let n = c.name.name().value.to_ascii_uppercase();
                let builtin = c.name.parts.len() == 1
                    && (self.0.functions.contains_key(&n) || is_type_name(&n));
                if !builtin && self.1.is_none() {
                    self.1 = Some(c.name.display());
                }
            }
        }
    }
    let mut f = Find(table, None);
    walk_expr(&mut f, &mut e.clone());
    f.1
}

/// The first non-deterministic T-SQL built-in an expression calls.
fn volatile_call(e: &Expr) -> Option<String> {
    struct Find(Option<String>);
    impl VisitMut for Find {
        fn expr(&mut self, e: &mut Expr) {
            let n = match e {
                Expr::Call(c) if c.name.parts.len() == 1 => {
                    c.name.name().value.to_ascii_uppercase()
                }
                Expr::Column(q) if q.parts.len() == 1 => q.name().value.to_ascii_uppercase(),
                _ => return,
            };
            const VOLATILE: &[&str] = &[
                "GETDATE",
                "GETUTCDATE",
                "SYSDATETIME",
                "SYSUTCDATETIME",
                "SYSDATETIMEOFFSET",
                "CURRENT_TIMESTAMP",
                "NEWID",
                "NEWSEQUENTIALID",
                "RAND",
                "SUSER_SNAME",
                "SUSER_NAME",
                "USER_NAME",
                "HOST_NAME",
                "APP_NAME",
                "DB_NAME",
            ];
            if self.0.is_none() && VOLATILE.contains(&n.as_str()) {
                self.0 = Some(n);
            }
        }
    }
    let mut f = Find(None);
    walk_expr(&mut f, &mut e.clone());
    f.0
}

fn tables_of(t: &TableRef, syms: &Symbols, out: &mut Vec<(String, SourceType)>) {
    match t {
        TableRef::Table { name, .. } => {
            if let Some(ti) = syms.table(name) {
                out.extend(
                    ti.columns
                        .iter()
                        .map(|(n, ty)| (n.to_ascii_lowercase(), ty.clone())),
                );
            }
        }
        TableRef::Join { left, right, .. } => {
            tables_of(left, syms, out);
            tables_of(right, syms, out);
        }
        _ => {}
    }
}

#[derive(PartialEq, Clone, Copy)]
enum K {
    Text,
    /// An exact integer: T-SQL integer division truncates.
    Int,
    /// An exact number with a fraction.
    Number,
    /// An approximate number (float, real).
    Float,
    Unknown,
}

fn type_kind(n: &str) -> K {
    let n = n.to_ascii_uppercase();
    let n = n.rsplit('.').next().unwrap_or(&n);
    if n.contains("CHAR") || n.contains("TEXT") || n == "SYSNAME" || n == "XML" {
        K::Text
    } else if n.contains("INT") || n == "BIT" {
        K::Int
    } else if n == "FLOAT" || n == "REAL" || n == "DOUBLE PRECISION" {
        K::Float
    } else if n.contains("DEC") || n.contains("NUMERIC") || n.contains("MONEY") || n == "NUMBER" {
        K::Number
    } else {
        K::Unknown
    }
}

struct V {
    /// Calls that stay unconverted (counted to drop computed column expressions).
    bad_calls: usize,
    flavor: Flavor,
    target: Target,
    cols: Vec<(String, SourceType)>,
    found: Vec<Finding>,
    /// Routines of the input (lower case): calls of them are not built-ins.
    routines: std::collections::HashSet<String>,
    /// In a computed column (created before the routines, and needing immutable ones).
    generated: bool,
}

fn subst(t: &Expr, args: &[Expr], span: Span) -> Expr {
    struct S<'a>(&'a [Expr]);
    impl VisitMut for S<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Param(n, _) = e
                && let Some(i) = n.strip_prefix(":p").and_then(|d| d.parse::<usize>().ok())
                && let Some(a) = self.0.get(i)
            {
                *e = a.clone();
            }
        }
    }
    let mut e = t.clone();
    let _ = span;
    walk_expr(&mut S(args), &mut e);
    e
}

/// `CONVERT(type, x)`: the type argument becomes `CAST(NULL AS type)`, so that the visitor
/// does not read `char(10)` as a call of CHAR; the CONVERT handler reads the type back.
struct ConvertTypes;

impl VisitMut for ConvertTypes {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Call(c) = e
            && c.name.parts.len() == 1
            && c.name.name().is("CONVERT")
            && let Some(a) = c.args.first_mut()
            && !matches!(a.value, Expr::Cast { .. })
            && let Some(ty) = type_from_expr(&a.value)
        {
            let span = a.value.span();
            a.value = Expr::Cast {
                expr: Box::new(Expr::Null(span)),
                ty: Box::new(TypeRef::new(ty)),
                span,
            };
        }
    }
}

fn type_from_expr(e: &Expr) -> Option<SourceType> {
    match e {
        Expr::Cast { expr, ty, .. } if matches!(**expr, Expr::Null(_)) => Some(ty.source.clone()),
        Expr::Column(q) if q.parts.len() == 1 => Some(SourceType {
            name: q.name().value.to_ascii_uppercase(),
            args: Vec::new(),
            modifier: None,
            span: q.span(),
        }),
        Expr::Call(c) if c.name.parts.len() == 1 => {
            let mut args = Vec::new();
            let mut modifier = None;
            for a in &c.args {
                match &a.value {
                    Expr::Number(n, _) => args.push(n.parse::<i64>().ok()),
                    Expr::Column(q) if q.name().is("MAX") => modifier = Some("MAX".to_string()),
                    _ => return None,
                }
            }
            Some(SourceType {
                name: c.name.name().value.to_ascii_uppercase(),
                args,
                modifier,
                span: c.span,
            })
        }
        _ => None,
    }
}

fn call_expr(name: &str, args: Vec<Expr>, span: Span) -> Expr {
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

/// A cast whose target spelling is already decided.
fn spelled_cast(e: Expr, source: &str, ir: Type, target: &str, span: Span) -> Expr {
    Expr::Cast {
        expr: Box::new(e),
        ty: Box::new(TypeRef {
            source: SourceType {
                name: source.to_string(),
                args: Vec::new(),
                modifier: None,
                span,
            },
            ir: Some(ir),
            target: Some(target.to_string()),
        }),
        span,
    }
}

/// The MySQL `CAST(x AS ...)` spelling of an IR type (CAST takes fewer types than columns).
fn mysql_cast_type(t: &Type) -> String {
    match t {
        Type::Bool | Type::Int { .. } => "signed".into(),
        Type::Decimal {
            precision: Some(p),
            scale,
        } => format!(
            "decimal({},{})",
            (*p).min(65),
            scale.unwrap_or(0).clamp(0, 30)
        ),
        Type::Decimal { .. } => "decimal(65,30)".into(),
        Type::Float { .. } => "double".into(),
        Type::Char { len, .. } => format!("char({len})"),
        Type::Varchar { len: Some(n), .. } => format!("char({n})"),
        Type::Binary { len: Some(n), .. } => format!("binary({n})"),
        Type::Binary { len: None, .. } | Type::Blob => "binary".into(),
        Type::Date => "date".into(),
        Type::Timestamp {
            precision: Some(p), ..
        } => format!("datetime({})", (*p).min(6)),
        Type::Timestamp { .. } => "datetime(6)".into(),
        Type::Time { precision: Some(p) } => format!("time({})", (*p).min(6)),
        Type::Time { .. } => "time".into(),
        Type::Uuid => "char(36)".into(),
        _ => "char".into(),
    }
}

/// A date/time style of CONVERT: (PostgreSQL to_char format, MySQL date_format format,
/// whether the value has milliseconds, whether the year has two digits).
fn date_style(style: i64) -> Option<(&'static str, &'static str, bool, bool)> {
    Some(match style {
        1 => ("MM/DD/YY", "%m/%d/%y", false, true),
        101 => ("MM/DD/YYYY", "%m/%d/%Y", false, false),
        2 => ("YY.MM.DD", "%y.%m.%d", false, true),
        102 => ("YYYY.MM.DD", "%Y.%m.%d", false, false),
        3 => ("DD/MM/YY", "%d/%m/%y", false, true),
        103 => ("DD/MM/YYYY", "%d/%m/%Y", false, false),
        4 => ("DD.MM.YY", "%d.%m.%y", false, true),
        104 => ("DD.MM.YYYY", "%d.%m.%Y", false, false),
        5 => ("DD-MM-YY", "%d-%m-%y", false, true),
        105 => ("DD-MM-YYYY", "%d-%m-%Y", false, false),
        106 => ("DD Mon YYYY", "%d %b %Y", false, false),
        107 => ("Mon DD, YYYY", "%b %d, %Y", false, false),
        8 | 108 => ("HH24:MI:SS", "%H:%i:%s", false, false),
        10 => ("MM-DD-YY", "%m-%d-%y", false, true),
        110 => ("MM-DD-YYYY", "%m-%d-%Y", false, false),
        11 => ("YY/MM/DD", "%y/%m/%d", false, true),
        111 => ("YYYY/MM/DD", "%Y/%m/%d", false, false),
        12 => ("YYMMDD", "%y%m%d", false, true),
        112 => ("YYYYMMDD", "%Y%m%d", false, false),
        20 | 120 => ("YYYY-MM-DD HH24:MI:SS", "%Y-%m-%d %H:%i:%s", false, false),
        21 | 121 => (
            "YYYY-MM-DD HH24:MI:SS.MS",
            "%Y-%m-%d %H:%i:%s.%f",
            true,
            false,
        ),
        23 => ("YYYY-MM-DD", "%Y-%m-%d", false, false),
        _ => return None,
    })
}

fn int_literal(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n, _) => n.parse().ok(),
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
            ..
        } => int_literal(expr).map(|v| -v),
        _ => None,
    }
}

fn is_string(e: &Expr) -> bool {
    matches!(e, Expr::String(..) | Expr::NString(..))
}

impl V {
    fn kind(&self, e: &Expr) -> K {
        match e {
            Expr::String(..) | Expr::NString(..) => K::Text,
            Expr::Number(n, _) => {
                if n.contains(['.', 'e', 'E']) {
                    K::Number
                } else {
                    K::Int
                }
            }
            Expr::Column(q) => {
                let n = q.name().value.to_ascii_lowercase();
                self.cols
                    .iter()
                    .find(|(c, _)| *c == n)
                    .map(|(_, t)| type_kind(&t.name))
                    .unwrap_or(K::Unknown)
            }
            Expr::Cast { ty, .. } => type_kind(&ty.source.name),
            Expr::Binary {
                op: BinOp::Concat, ..
            } => K::Text,
            Expr::Unary {
                op: UnaryOp::Neg,
                expr,
                ..
            } => self.kind(expr),
            Expr::Binary {
                op: BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod,
                left,
                right,
                ..
            } => match (self.kind(left), self.kind(right)) {
                (K::Int, K::Int) => K::Int,
                (K::Float, K::Int | K::Number | K::Float) | (K::Int | K::Number, K::Float) => {
                    K::Float
                }
                (K::Int | K::Number, K::Int | K::Number) => K::Number,
                _ => K::Unknown,
            },
            Expr::Call(c) => {
                let n = c.name.name().value.to_ascii_uppercase();
                match n.as_str() {
                    "CONCAT" | "CONCAT_WS" | "UPPER" | "LOWER" | "SUBSTR" | "SUBSTRING"
                    | "LEFT" | "RIGHT" | "LTRIM" | "RTRIM" | "REPLACE" | "CHR" | "REPEAT"
                    | "DATE_FORMAT" | "TO_CHAR" => K::Text,
                    "CHAR_LENGTH" | "LENGTH" | "STRPOS" | "LOCATE" | "YEAR" | "MONTH"
                    | "DAYOFMONTH" | "TRUNCATE" => K::Int,
                    "COALESCE" | "IFNULL" => c
                        .args
                        .first()
                        .map(|a| self.kind(&a.value))
                        .unwrap_or(K::Unknown),
                    _ => K::Unknown,
                }
            }
            _ => K::Unknown,
        }
    }

    /// The declared character type (with a length) of a column or a cast.
    fn char_type(&self, e: &Expr) -> Option<SourceType> {
        let ty = match e {
            Expr::Cast { ty, .. } => ty.source.clone(),
            Expr::Column(q) => {
                let n = q.name().value.to_ascii_lowercase();
                self.cols.iter().find(|(c, _)| *c == n)?.1.clone()
            }
            _ => return None,
        };
        let n = ty.name.to_ascii_uppercase();
        (matches!(n.as_str(), "CHAR" | "VARCHAR" | "NCHAR" | "NVARCHAR")
            && ty.modifier.is_none()
            && ty.args.first().copied().flatten().is_some())
        .then_some(ty)
    }

    /// The source type name of a date/time column.
    fn date_col(&self, e: &Expr) -> Option<String> {
        let Expr::Column(q) = e else { return None };
        let n = q.name().value.to_ascii_lowercase();
        self.cols
            .iter()
            .find(|(c, t)| *c == n && is_date_type(&t.name))
            .map(|(_, t)| t.name.clone())
    }

    fn unsupported(&mut self, span: Span, what: &str, why: &str) {
        self.found.push(Finding::new(
            &codes::FUNCTION_UNSUPPORTED,
            span,
            &[what, why],
        ));
        self.bad_calls += 1;
    }

    fn tpl(&self, text: &str, args: &[Expr], span: Span) -> Option<Expr> {
        template(text).map(|t| subst(&t, args, span))
    }

    /// `CAST(e AS ty)`: an integer target truncates a non-integer number (T-SQL truncates,
    /// both targets round); MySQL casts take their own type names.
    fn cast_to(&mut self, e: Expr, ty: SourceType, span: Span) -> Expr {
        let mut found = Vec::new();
        let ir = super::types_tsql::tsql_type(&ty, self.flavor, self.target, &mut found);
        let e = if matches!(ir, Type::Int { .. }) && matches!(self.kind(&e), K::Number | K::Float) {
            match self.target {
                Target::Postgres => call_expr("TRUNC", vec![e], span),
                Target::Mysql => {
                    call_expr("TRUNCATE", vec![e, Expr::Number("0".into(), span)], span)
                }
            }
        } else {
            e
        };
        let mut t = TypeRef::new(ty);
        if self.target == Target::Mysql {
            self.found.extend(found);
            t.target = Some(mysql_cast_type(&ir));
            t.ir = Some(ir);
        }
        Expr::Cast {
            expr: Box::new(e),
            ty: Box::new(t),
            span,
        }
    }

    fn call(&mut self, c: &Call) -> Option<Expr> {
        if self
            .routines
            .contains(&c.name.display().to_ascii_lowercase())
            || c.name.parts.first().is_some_and(|p| p.is("pg_catalog"))
        {
            // A routine of the input, or a target function chosen by an earlier pass.
            if self.generated {
                self.bad_calls += 1;
            }
            return None;
        }
        if c.name.parts.len() > 1 {
            // Methods of xml / hierarchyid / spatial values (`col.value(...)`,
            // `node.GetLevel()`) and routines not in the input.
            self.found.push(Finding::new(
                &codes::UNKNOWN_FUNCTION,
                c.span,
                &[&c.name.display()],
            ));
            self.bad_calls += 1;
            return None;
        }
        let n = c.name.name().value.to_ascii_uppercase();
        if is_type_name(&n) {
            // The type argument of CONVERT(varchar(10), x), handled with CONVERT.
            return None;
        }
        let Some(rule) = table_for(self.target).functions.get(&n) else {
            self.found.push(Finding::new(
                &codes::UNKNOWN_FUNCTION,
                c.span,
                &[&c.name.display()],
            ));
            return None;
        };
        if let Some([lo, hi]) = rule.args
            && (c.args.len() < lo || c.args.len() > hi)
        {
            self.found.push(Finding::new(
                &codes::UNKNOWN_FUNCTION,
                c.span,
                &[&c.name.display()],
            ));
            return None;
        }
        if let Some(why) = &rule.review {
            self.found
                .push(Finding::new(&codes::FUNCTION_SEMANTICS, c.span, &[&n, why]));
        }
        let mut args: Vec<Expr> = c.args.iter().map(|a| a.value.clone()).collect();
        if let Some(why) = &rule.unsupported {
            self.found.push(Finding::new(
                &codes::FUNCTION_UNSUPPORTED,
                c.span,
                &[&n, why],
            ));
            return None;
        }
        // PostgreSQL cannot pick a date function for an untyped literal: T-SQL reads it as a
        // datetime.
        if self.target == Target::Postgres {
            let from = match n.as_str() {
                "YEAR" | "MONTH" | "DAY" => 0,
                "DATEADD" | "DATEDIFF" | "DATEPART" | "DATENAME" => 1,
                _ => usize::MAX,
            };
            for a in args.iter_mut().skip(from) {
                if is_string(a) {
                    let span = a.span();
                    *a = spelled_cast(
                        a.clone(),
                        "DATETIME2",
                        Type::Timestamp {
                            precision: None,
                            tz: Tz::None,
                        },
                        "timestamp",
                        span,
                    );
                }
            }
        }
        // ISNULL returns the type of its first argument: a longer replacement is cut, a
        // decimal replacement of an integer truncated.
        let first_type = || -> Option<SourceType> {
            if let Some(ty) = self.char_type(&args[0]) {
                let len = ty.args.first().copied().flatten()?;
                let fits = matches!(&args[1], Expr::String(v, _) | Expr::NString(v, _) if v.chars().count() as i64 <= len);
                return (!fits).then_some(ty);
            }
            match &args[0] {
                Expr::Cast { ty, .. }
                    if type_kind(&ty.source.name) == K::Int
                        && matches!(self.kind(&args[1]), K::Number | K::Float) =>
                {
                    Some(ty.source.clone())
                }
                _ => None,
            }
        };
        if n == "ISNULL"
            && args.len() == 2
            && !matches!(args[1], Expr::Null(_))
            && let Some(ty) = first_type()
        {
            let f = if self.target == Target::Mysql {
                "IFNULL"
            } else {
                "COALESCE"
            };
            let span = c.span;
            let mut args = args;
            let b = args.pop().expect("two arguments");
            let b = self.cast_to(b, ty, span);
            args.push(b);
            return Some(call_expr(f, args, span));
        }
        if let Some(r) = &rule.rename {
            let mut c2 = c.clone();
            c2.name = QName::single(Ident::new(r.to_ascii_uppercase(), c.name.span()));
            for (a, v) in c2.args.iter_mut().zip(args) {
                a.value = v;
            }
            return Some(Expr::Call(Box::new(c2)));
        }
        if rule.same {
            let mut c2 = c.clone();
            for (a, v) in c2.args.iter_mut().zip(args) {
                a.value = v;
            }
            return Some(Expr::Call(Box::new(c2)));
        }
        if let Some(t) = &rule.template {
            let r = self.tpl(t, &args, c.span);
            if r.is_none() {
                self.found.push(Finding::new(
                    &codes::UNKNOWN_FUNCTION,
                    c.span,
                    &[&c.name.display()],
                ));
            }
            return r;
        }
        let my = self.target == Target::Mysql;
        let span = c.span;
        match rule.handler.as_deref() {
            Some("convert") => self.convert(&args, span),
            // A keyword, not a column: printed as is.
            Some("current_user") => Some(Expr::Raw("current_user".into(), span)),
            // CHARINDEX(find, s, start): a start before 1 searches from 1.
            Some("charindex") => {
                let text = match (args.len(), my) {
                    (2, true) => "locate({0}, {1})",
                    (2, false) => "strpos({1}, {0})",
                    (_, true) => "locate({0}, {1}, greatest({2}, 1))",
                    (_, false) => {
                        "case when strpos(substr({1}, greatest({2}, 1)), {0}) = 0 then 0 else strpos(substr({1}, greatest({2}, 1)), {0}) + greatest({2}, 1) - 1 end"
                    }
                };
                self.tpl(text, &args, span)
            }
            Some("dateadd") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                if my {
                    let (unit, n) = match unit {
                        "dayofyear" | "weekday" => ("day", "{1}"),
                        "millisecond" => ("microsecond", "{1} * 1000"),
                        u => (u, "{1}"),
                    };
                    return self.tpl(&format!("timestampadd({unit}, {n}, {{2}})"), &args, span);
                }
                let arg = match unit {
                    "minute" => "mins => {1}",
                    "second" => "secs => {1}",
                    "millisecond" => "secs => {1} / 1000.0",
                    "quarter" => "months => {1} * 3",
                    "dayofyear" | "weekday" | "day" => "days => {1}",
                    "week" => "weeks => {1}",
                    "year" => "years => {1}",
                    "month" => "months => {1}",
                    _ => "hours => {1}",
                };
                self.tpl(&format!("{{2}} + make_interval({arg})"), &args, span)
            }
            Some("datediff") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                let text = match (unit, my) {
                    ("year", false) => {
                        "cast(extract(year from {2}) - extract(year from {1}) as integer)"
                    }
                    ("year", true) => "year({2}) - year({1})",
                    ("quarter", false) => {
                        "cast((extract(year from {2}) * 4 + extract(quarter from {2})) - (extract(year from {1}) * 4 + extract(quarter from {1})) as integer)"
                    }
                    ("quarter", true) => {
                        "(year({2}) * 4 + quarter({2})) - (year({1}) * 4 + quarter({1}))"
                    }
                    ("month", false) => {
                        "cast((extract(year from {2}) * 12 + extract(month from {2})) - (extract(year from {1}) * 12 + extract(month from {1})) as integer)"
                    }
                    ("month", true) => {
                        "(year({2}) * 12 + month({2})) - (year({1}) * 12 + month({1}))"
                    }
                    // Weeks start on Sunday (whatever DATEFIRST is); 2023-01-01 was one.
                    ("week", false) => {
                        "cast(floor((cast({2} as date) - date '2023-01-01') / 7.0) - floor((cast({1} as date) - date '2023-01-01') / 7.0) as integer)"
                    }
                    ("week", true) => {
                        "floor((to_days({2}) - 1) / 7) - floor((to_days({1}) - 1) / 7)"
                    }
                    ("day" | "dayofyear", false) => "(cast({2} as date) - cast({1} as date))",
                    ("day" | "dayofyear", true) => "datediff({2}, {1})",
                    ("hour", false) => {
                        "cast(extract(epoch from date_trunc('hour', cast({2} as timestamp)) - date_trunc('hour', cast({1} as timestamp))) / 3600 as integer)"
                    }
                    ("hour", true) => {
                        "(to_days({2}) * 24 + hour({2})) - (to_days({1}) * 24 + hour({1}))"
                    }
                    ("minute", false) => {
                        "cast(extract(epoch from date_trunc('minute', cast({2} as timestamp)) - date_trunc('minute', cast({1} as timestamp))) / 60 as integer)"
                    }
                    ("minute", true) => {
                        "((to_days({2}) * 24 + hour({2})) * 60 + minute({2})) - ((to_days({1}) * 24 + hour({1})) * 60 + minute({1}))"
                    }
                    ("second", false) => {
                        "cast(extract(epoch from date_trunc('second', cast({2} as timestamp)) - date_trunc('second', cast({1} as timestamp))) as bigint)"
                    }
                    ("second", true) => "to_seconds({2}) - to_seconds({1})",
                    _ => {
                        self.unsupported(
                            span,
                            "DATEDIFF",
                            "only year, quarter, month, week, day, hour, minute and second units are converted",
                        );
                        return None;
                    }
                };
                self.tpl(text, &args, span)
            }
            Some("datepart") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                let text = match (unit, my) {
                    ("week", _) => {
                        self.unsupported(
                            span,
                            "DATEPART(week)",
                            "T-SQL week numbers start on January 1st and depend on DATEFIRST; write the expression by hand",
                        );
                        return None;
                    }
                    ("day", true) => "dayofmonth({1})".to_string(),
                    ("weekday", true) => "dayofweek({1})".to_string(),
                    ("millisecond", true) => "floor(microsecond({1}) / 1000)".to_string(),
                    (u, true) => format!("{u}({{1}})"),
                    ("weekday", false) => "cast(extract(dow from {1}) as integer) + 1".to_string(),
                    ("dayofyear", false) => "cast(extract(doy from {1}) as integer)".to_string(),
                    ("second", false) => {
                        "cast(floor(extract(second from {1})) as integer)".to_string()
                    }
                    ("millisecond", false) => {
                        "mod(cast(floor(extract(milliseconds from {1})) as integer), 1000)"
                            .to_string()
                    }
                    (u, false) => format!("cast(extract({u} from {{1}}) as integer)"),
                };
                self.tpl(&text, &args, span)
            }
            Some("datename") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                match (unit, my) {
                    ("month", false) => self.tpl("to_char({1}, 'FMMonth')", &args, span),
                    ("month", true) => self.tpl("monthname({1})", &args, span),
                    ("weekday", false) => self.tpl("to_char({1}, 'FMDay')", &args, span),
                    ("weekday", true) => self.tpl("dayname({1})", &args, span),
                    _ => {
                        let mut dp = c.clone();
                        dp.name = QName::single(Ident::new("DATEPART", c.name.span()));
                        let part = self.call(&dp)?;
                        let (ir, t) = if my {
                            (Type::Text { national: false }, "char")
                        } else {
                            (Type::Text { national: false }, "text")
                        };
                        Some(spelled_cast(part, "VARCHAR", ir, t, span))
                    }
                }
            }
            Some("choose") => {
                if args.len() < 2 {
                    return None;
                }
                let whens = args[1..]
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (Expr::Number((i + 1).to_string(), span), a.clone()))
                    .collect();
                Some(Expr::Case(Box::new(Case {
                    operand: Some(args[0].clone()),
                    whens,
                    else_: None,
                    span,
                })))
            }
            // CONCAT treats NULL as the empty string in T-SQL.
            Some("concat_null_empty") => {
                if my {
                    let mut a = vec![Expr::String(String::new(), span)];
                    a.extend(args);
                    Some(call_expr("CONCAT_WS", a, span))
                } else {
                    Some(call_expr("CONCAT", args, span))
                }
            }
            // SUBSTRING counts positions before the first character (start 0 or less).
            Some("substring") => match int_literal(&args[1]) {
                Some(p) if p >= 1 => Some(call_expr("SUBSTRING", args, span)),
                _ => self.tpl(
                    "substring({0}, greatest({1}, 1), {1} + {2} - greatest({1}, 1))",
                    &args,
                    span,
                ),
            },
            // ROUND(x, d, f): a non-zero f truncates.
            Some("round") => {
                let trunc = if my { "truncate" } else { "trunc" };
                // A float rounds half away from zero in T-SQL too; PostgreSQL has no
                // round(double precision, int) and MySQL rounds floats half to even.
                let mut args = args;
                if self.kind(&args[0]) == K::Float {
                    let (ir, t) = if my {
                        (
                            Type::Decimal {
                                precision: Some(65),
                                scale: Some(30),
                            },
                            "decimal(65,30)",
                        )
                    } else {
                        (
                            Type::Decimal {
                                precision: None,
                                scale: None,
                            },
                            "numeric",
                        )
                    };
                    let a0 = args[0].clone();
                    args[0] = spelled_cast(a0, "DECIMAL", ir, t, span);
                }
                match args.get(2).map(int_literal) {
                    None | Some(Some(0)) => self.tpl("round({0}, {1})", &args, span),
                    Some(Some(_)) => self.tpl(&format!("{trunc}({{0}}, {{1}})"), &args, span),
                    Some(None) => self.tpl(
                        &format!(
                            "case when {{2}} = 0 then round({{0}}, {{1}}) else {trunc}({{0}}, {{1}}) end"
                        ),
                        &args,
                        span,
                    ),
                }
            }
            _ => None,
        }
    }

    /// CONVERT(type, value [, style]): date and time styles become a format of the target;
    /// other styles are ignored with a finding.
    fn convert(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        let ty = args.first().and_then(type_from_expr)?;
        let e = args.get(1)?.clone();
        let Some(style_arg) = args.get(2) else {
            return Some(self.cast_to(e, ty, span));
        };
        let ir = super::types_tsql::tsql_type(&ty, self.flavor, self.target, &mut Vec::new());
        let my = self.target == Target::Mysql;
        let style = int_literal(style_arg).and_then(date_style);
        let text_target = matches!(
            ir,
            Type::Char { .. } | Type::Varchar { .. } | Type::Text { .. }
        );
        let date_target = matches!(ir, Type::Date | Type::Timestamp { .. });
        match style {
            // A string stays a string whatever the style.
            _ if text_target && self.kind(&e) == K::Text => Some(self.cast_to(e, ty, span)),
            Some((pg, myf, ms, _)) if text_target => {
                let f = Expr::String(if my { myf } else { pg }.to_string(), span);
                let mut out = if my {
                    call_expr("DATE_FORMAT", vec![e, f], span)
                } else {
                    call_expr("TO_CHAR", vec![e, f], span)
                };
                if my && ms {
                    // %f has six digits; the style has three.
                    out = call_expr("LEFT", vec![out, Expr::Number("23".into(), span)], span);
                }
                let len = match ir {
                    Type::Char { len, .. } | Type::Varchar { len: Some(len), .. } => Some(len),
                    _ => None,
                };
                Some(match len {
                    // CONVERT(varchar(10), d, 120) keeps the first 10 characters.
                    Some(n) if my => {
                        call_expr("LEFT", vec![out, Expr::Number(n.to_string(), span)], span)
                    }
                    Some(_) => self.cast_to(out, ty, span),
                    None => out,
                })
            }
            Some((pg, myf, _, false)) if date_target && self.kind(&e) == K::Text => {
                let parsed = if my {
                    call_expr(
                        "STR_TO_DATE",
                        vec![e, Expr::String(myf.to_string(), span)],
                        span,
                    )
                } else {
                    spelled_cast(
                        call_expr(
                            "TO_TIMESTAMP",
                            vec![e, Expr::String(pg.to_string(), span)],
                            span,
                        ),
                        "DATETIME2",
                        Type::Timestamp {
                            precision: None,
                            tz: Tz::None,
                        },
                        "timestamp",
                        span,
                    )
                };
                Some(self.cast_to(parsed, ty, span))
            }
            _ => {
                self.found.push(Finding::new(
                    &codes::FUNCTION_SEMANTICS,
                    span,
                    &[
                        "CONVERT",
                        "the style argument (date or number format) is ignored",
                    ],
                ));
                Some(self.cast_to(e, ty, span))
            }
        }
    }
}

fn date_unit(e: &Expr) -> Option<&'static str> {
    let Expr::Column(q) = e else { return None };
    Some(match q.name().value.to_ascii_lowercase().as_str() {
        "year" | "yy" | "yyyy" => "year",
        "quarter" | "qq" | "q" => "quarter",
        "month" | "mm" | "m" => "month",
        "dayofyear" | "dy" | "y" => "dayofyear",
        "day" | "dd" | "d" => "day",
        "week" | "wk" | "ww" => "week",
        "weekday" | "dw" | "w" => "weekday",
        "hour" | "hh" => "hour",
        "minute" | "mi" | "n" => "minute",
        "second" | "ss" | "s" => "second",
        "millisecond" | "ms" => "millisecond",
        _ => return None,
    })
}

impl VisitMut for V {
    fn expr(&mut self, e: &mut Expr) {
        let my = self.target == Target::Mysql;
        match e {
            Expr::Call(c) => {
                if let Some(n) = self.call(c) {
                    *e = n;
                }
            }
            Expr::Cast { expr, ty, span } if ty.target.is_none() => {
                let (x, t, span) = ((**expr).clone(), ty.source.clone(), *span);
                *e = self.cast_to(x, t, span);
            }
            Expr::Column(q) if !my && q.parts.len() == 1 && q.name().is("CURRENT_TIMESTAMP") => {
                if let Some(t) = template("cast(now() as timestamp)") {
                    *e = subst(&t, &[], q.span());
                }
            }
            Expr::Number(n, span) if !my && n.len() > 2 && n[..2].eq_ignore_ascii_case("0x") => {
                // Binary literal -> bytea (MySQL reads 0x.. as a binary string).
                *e = Expr::Raw(format!("'\\x{}'::bytea", &n[2..]), *span);
            }
            Expr::Like {
                expr,
                pattern,
                escape: None,
                not,
                span,
            } if matches!(&**pattern, Expr::String(p, _) | Expr::NString(p, _) if p.contains('[')) =>
            {
                // T-SQL LIKE character classes ([0-9], [^a]) -> an anchored regular expression
                // (PostgreSQL regexp_like; MySQL and MariaDB both have regexp_instr).
                let (Expr::String(p, ps) | Expr::NString(p, ps)) = &**pattern else {
                    return;
                };
                let re = like_to_regex(p);
                let span = *span;
                let call = if my {
                    // (?s): `.` matches a newline, as `%` and `_` do.
                    let c = call_expr(
                        "REGEXP_INSTR",
                        vec![(**expr).clone(), Expr::String(format!("(?s){re}"), *ps)],
                        span,
                    );
                    Expr::Binary {
                        op: BinOp::Gt,
                        left: Box::new(c),
                        right: Box::new(Expr::Number("0".into(), span)),
                        span,
                    }
                } else {
                    call_expr(
                        "REGEXP_LIKE",
                        vec![(**expr).clone(), Expr::String(re, *ps)],
                        span,
                    )
                };
                *e = if *not {
                    Expr::Unary {
                        op: UnaryOp::Not,
                        expr: Box::new(call),
                        span,
                    }
                } else {
                    call
                };
            }
            Expr::Binary {
                op: BinOp::Eq | BinOp::NotEq | BinOp::Lt | BinOp::LtEq | BinOp::Gt | BinOp::GtEq,
                left,
                right,
                ..
            } if self.date_col(left).is_some() || self.date_col(right).is_some() => {
                if let Some(t) = self.date_col(left) {
                    fold_literal(right, &t, &mut self.found, my);
                } else if let Some(t) = self.date_col(right) {
                    fold_literal(left, &t, &mut self.found, my);
                }
            }
            Expr::Binary {
                op: BinOp::Eq | BinOp::NotEq | BinOp::Lt | BinOp::LtEq | BinOp::Gt | BinOp::GtEq,
                left,
                right,
                ..
            } => {
                for side in [left, right] {
                    if let Expr::String(v, span) | Expr::NString(v, span) = &mut **side
                        && v.ends_with(' ')
                        && !v.trim().is_empty()
                    {
                        self.found
                            .push(Finding::new(&codes::TRAILING_SPACES, *span, &[v]));
                        v.truncate(v.trim_end_matches(' ').len());
                    }
                }
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                if let Some(t) = self.date_col(expr) {
                    fold_literal(low, &t, &mut self.found, my);
                    fold_literal(high, &t, &mut self.found, my);
                }
            }
            Expr::InList { expr, list, .. } => {
                if let Some(t) = self.date_col(expr) {
                    for x in list {
                        fold_literal(x, &t, &mut self.found, my);
                    }
                }
            }
            Expr::Binary {
                op: BinOp::Div,
                left,
                right,
                span,
            } if my && self.kind(left) == K::Int && self.kind(right) == K::Int => {
                // Integer division truncates in T-SQL; MySQL's `/` returns a decimal.
                let span = *span;
                let args = [(**left).clone(), (**right).clone()];
                if let Some(n) = self.tpl("truncate({0} / {1}, 0)", &args, span) {
                    *e = n;
                }
            }
            Expr::Binary {
                op: op @ BinOp::Add,
                left,
                right,
                span,
            } => {
                let (l, r) = (self.kind(left), self.kind(right));
                // A number operand makes `+` an addition (the string converts to a number:
                // data type precedence); two strings, or a string and an unknown, concatenate.
                let numeric = matches!(l, K::Int | K::Number | K::Float)
                    || matches!(r, K::Int | K::Number | K::Float);
                if (l == K::Text || r == K::Text) && !numeric {
                    match self.flavor {
                        Flavor::SqlServer => *op = BinOp::Concat,
                        Flavor::Ase => {
                            // NULL is the empty string: concat() on PostgreSQL; MySQL's
                            // CONCAT is NULL when an argument is, CONCAT_WS skips NULLs.
                            let span = *span;
                            // a + b + c is one call.
                            let f = if my { "CONCAT_WS" } else { "CONCAT" };
                            let mut args = match &**left {
                                Expr::Call(c)
                                    if c.name.name().is(f) && c.span.start == span.start =>
                                {
                                    c.args.iter().map(|a| a.value.clone()).collect()
                                }
                                l if my => vec![Expr::String(String::new(), span), l.clone()],
                                l => vec![l.clone()],
                            };
                            args.push((**right).clone());
                            *e = call_expr(f, args, span);
                        }
                    }
                } else if l == K::Unknown && r == K::Unknown {
                    self.found.push(Finding::new(
                        &codes::PLUS_CONCAT,
                        *span,
                        &[if my { "CONCAT" } else { "||" }],
                    ));
                }
            }
            _ => {}
        }
    }
}

/// A T-SQL LIKE pattern (`%`, `_`, `[a-z]`, `[^0-9]`) as an anchored POSIX regular expression.
fn like_to_regex(p: &str) -> String {
    let mut out = String::from("^");
    let mut in_class = false;
    for c in p.chars() {
        if in_class {
            if c == ']' {
                in_class = false;
            }
            if c == '\\' {
                out.push('\\');
            }
            out.push(c);
            continue;
        }
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '[' => {
                in_class = true;
                out.push('[');
            }
            '.' | '*' | '+' | '?' | '(' | ')' | '{' | '}' | '|' | '^' | '$' | '\\' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('$');
    out
}

fn is_type_name(n: &str) -> bool {
    matches!(
        n,
        "VARCHAR"
            | "NVARCHAR"
            | "DECIMAL"
            | "NUMERIC"
            | "VARBINARY"
            | "BINARY"
            | "DATETIME2"
            | "DATETIMEOFFSET"
            | "TIME"
            | "FLOAT"
    )
}

/// Is this T-SQL type a date or time type (whose string literals MySQL must read)?
fn is_date_type(n: &str) -> bool {
    let n = n.to_ascii_uppercase();
    matches!(
        n.rsplit('.').next().unwrap_or(&n),
        "DATE"
            | "DATETIME"
            | "DATETIME2"
            | "SMALLDATETIME"
            | "BIGDATETIME"
            | "DATETIMEOFFSET"
            | "TIME"
            | "BIGTIME"
    )
}

/// A T-SQL date/time string literal in the forms SQL Server and ASE read with the default
/// us_english settings (DATEFORMAT mdy, two-digit years up to 49 are 20xx), as the ISO text
/// MySQL reads: `'7/4/1996'`, `'Jun 12 1991 10:00AM'`, `'19910612'`, `'1991-06-12T10:00:00'`.
/// `None` when the text is not a date this function knows.
pub fn fold_datetime(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // Split the time part: from the first token containing ':' or ending in AM/PM.
    let norm = s.replacen(
        'T',
        " ",
        usize::from(s.len() > 10 && s.as_bytes().get(10) == Some(&b'T')),
    );
    let toks: Vec<&str> = norm
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let is_time = |t: &str| {
        let u = t.to_ascii_uppercase();
        t.contains(':')
            || ((u.ends_with("AM") || u.ends_with("PM"))
                && u.len() > 2
                && u.as_bytes()[0].is_ascii_digit())
    };
    let split = toks.iter().position(|t| is_time(t)).unwrap_or(toks.len());
    let (date_toks, time_toks) = toks.split_at(split);
    let time = if time_toks.is_empty() {
        None
    } else {
        Some(parse_time(&time_toks.join(""))?)
    };
    let (y, m, d) = match date_toks {
        [] => (1900, 1, 1),
        [one] => parse_numeric_date(one)?,
        many => parse_named_date(many)?,
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
        return None;
    }
    let date = format!("{y:04}-{m:02}-{d:02}");
    Some(match time {
        None => date,
        Some((h, mi, sec, frac)) => {
            let mut t = format!("{date} {h:02}:{mi:02}:{sec:02}");
            if !frac.is_empty() {
                t.push('.');
                t.push_str(&frac);
            }
            t
        }
    })
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn two_digit_year(y: i64, digits: usize) -> i64 {
    match digits {
        1 | 2 if y < 50 => 2000 + y,
        1 | 2 => 1900 + y,
        _ => y,
    }
}

/// `yyyy-mm-dd`, `yyyymmdd`, `yymmdd`, `m/d/yy[yy]` (also with `-` or `.`), `yyyy/m/d`.
fn parse_numeric_date(t: &str) -> Option<(i64, i64, i64)> {
    if t.bytes().all(|b| b.is_ascii_digit()) {
        let n = |a: usize, b: usize| t[a..b].parse::<i64>().ok();
        return match t.len() {
            8 => Some((n(0, 4)?, n(4, 6)?, n(6, 8)?)),
            6 => Some((two_digit_year(n(0, 2)?, 2), n(2, 4)?, n(4, 6)?)),
            _ => None,
        };
    }
    let sep = t.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = t.split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let v: Vec<i64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if parts[0].len() == 4 {
        Some((v[0], v[1], v[2]))
    } else if parts[2].len() == 4 || parts[2].len() <= 2 {
        Some((two_digit_year(v[2], parts[2].len()), v[0], v[1]))
    } else {
        None
    }
}

/// `Jun 12 1991`, `June 12, 1991`, `12 Jun 1991`, `1991 Jun 12`.
fn parse_named_date(toks: &[&str]) -> Option<(i64, i64, i64)> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    if toks.len() != 3 {
        return None;
    }
    let mut month = None;
    let mut nums: Vec<(&str, i64)> = Vec::new();
    for t in toks {
        if t.bytes().all(|b| b.is_ascii_digit()) {
            nums.push((t, t.parse().ok()?));
        } else {
            let u = t.to_ascii_uppercase();
            let i = MONTHS.iter().position(|m| u.starts_with(m))?;
            const FULL: [&str; 12] = [
                "JANUARY",
                "FEBRUARY",
                "MARCH",
                "APRIL",
                "MAY",
                "JUNE",
                "JULY",
                "AUGUST",
                "SEPTEMBER",
                "OCTOBER",
                "NOVEMBER",
                "DECEMBER",
            ];
            if u.len() > 3 && !FULL[i].starts_with(&u) {
                return None;
            }
            month = Some(i as i64 + 1);
        }
    }
    let m = month?;
    match nums.as_slice() {
        [(yt, y), (_, d)] if yt.len() == 4 => Some((*y, m, *d)),
        [(_, d), (yt, y)] => Some((two_digit_year(*y, yt.len()), m, *d)),
        _ => None,
    }
}

/// `hh:mm[:ss[.fff]][AM|PM]`, `hhAM`: (hour, minute, second, fraction digits).
fn parse_time(t: &str) -> Option<(i64, i64, i64, String)> {
    let u = t.to_ascii_uppercase();
    let (body, ampm) = if let Some(b) = u.strip_suffix("AM") {
        (b, Some(false))
    } else if let Some(b) = u.strip_suffix("PM") {
        (b, Some(true))
    } else {
        (u.as_str(), None)
    };
    let (hms, frac) = match body.split_once('.') {
        Some((a, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            (a, f.to_string())
        }
        Some(_) => return None,
        None => (body, String::new()),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let v: Vec<i64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let mut h = v[0];
    let mi = v.get(1).copied().unwrap_or(0);
    let s = v.get(2).copied().unwrap_or(0);
    match ampm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(false) if h == 12 => h = 0,
        Some(true) if h != 12 => h += 12,
        _ => {}
    }
    if h > 23 || mi > 59 || s > 59 || frac.len() > 7 {
        return None;
    }
    Some((h, mi, s, frac))
}

#[cfg(test)]
mod tests {
    #[test]
    fn datetime_literals() {
        use super::fold_datetime as f;
        assert_eq!(f("7/4/1996").as_deref(), Some("1996-07-04"));
        assert_eq!(f("06/12/91").as_deref(), Some("1991-06-12"));
        assert_eq!(f("01/01/30").as_deref(), Some("2030-01-01"));
        assert_eq!(f("19910612").as_deref(), Some("1991-06-12"));
        assert_eq!(
            f("1991-06-12T10:05:00").as_deref(),
            Some("1991-06-12 10:05:00")
        );
        assert_eq!(f("Jun 12 1991").as_deref(), Some("1991-06-12"));
        assert_eq!(
            f("June 12, 1991 10:00PM").as_deref(),
            Some("1991-06-12 22:00:00")
        );
        assert_eq!(
            f("12 Jun 1991 12:30AM").as_deref(),
            Some("1991-06-12 00:30:00")
        );
        assert_eq!(
            f("2005-01-20 10:11:12.123").as_deref(),
            Some("2005-01-20 10:11:12.123")
        );
        assert_eq!(f("10:30").as_deref(), Some("1900-01-01 10:30:00"));
        assert_eq!(f("2/30/2000"), None);
        assert_eq!(f("abc"), None);
        assert_eq!(f("13/01/2000"), None);
    }

    #[test]
    fn like_patterns() {
        assert_eq!(super::like_to_regex("[0-9][0-9]-%"), "^[0-9][0-9]-.*$");
        assert_eq!(super::like_to_regex("a_b.c[^x]"), "^a.b\\.c[^x]$");
    }
}
