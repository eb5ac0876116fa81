//! Built-in functions, pseudo-columns and operators whose meaning differs (Targeted phase):
//! Oracle -> PostgreSQL through `rules/functions/oracle-postgres.toml` (renames, templates)
//! and handlers here for the conditional cases; date arithmetic and `||` by inferred types;
//! `seq.NEXTVAL`; `''` is NULL; `FROM DUAL`.
//!
//! Runs on catalog-spelled IR (before naming). Expression kinds are inferred from the symbol
//! table (column types of the tables in scope).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Ctx;
use super::symbols::Symbols;
use crate::diag::{Code, Finding};
use crate::frontend::parser::{Dialect, Parser};
use crate::ir::visit::{VisitMut, walk_expr};
use crate::ir::*;
use crate::rules::codes;
use crate::source::{FileId, Span};

#[path = "functions_mysql.rs"]
mod my;

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct FnRule {
    pub rename: Option<String>,
    #[serde(default)]
    pub same: bool,
    pub template: Option<String>,
    pub handler: Option<String>,
    pub unsupported: Option<String>,
    pub review: Option<String>,
    pub args: Option<[usize; 2]>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct FnTable {
    pub functions: HashMap<String, FnRule>,
}

/// The function table of a target: `rules/functions/oracle-<target>.toml`.
pub fn table_for(target: crate::Target) -> &'static FnTable {
    match target {
        crate::Target::Postgres => oracle_postgres(),
        crate::Target::Mysql => oracle_mysql(),
    }
}

pub fn oracle_mysql() -> &'static FnTable {
    static T: OnceLock<FnTable> = OnceLock::new();
    T.get_or_init(|| {
        toml::from_str(include_str!("../../rules/functions/oracle-mysql.toml"))
            .expect("rules/functions/oracle-mysql.toml is valid (checked by tests)")
    })
}

pub fn oracle_postgres() -> &'static FnTable {
    static T: OnceLock<FnTable> = OnceLock::new();
    T.get_or_init(|| {
        toml::from_str(include_str!("../../rules/functions/oracle-postgres.toml"))
            .expect("rules/functions/oracle-postgres.toml is valid (checked by tests)")
    })
}

/// Parses a template expression (target SQL with `{n}` placeholders) into IR, once.
/// Placeholders become `Expr::Param("{n}")`; casts get their target spelling directly.
pub fn template(src: &str) -> Option<Expr> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, Option<Expr>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(e) = cache.lock().ok()?.get(src) {
        return e.clone();
    }
    let text = (0..10).fold(src.to_string(), |s, i| {
        s.replace(&format!("{{{i}}}"), &format!(":p{i}"))
    });
    let mut p = Parser::new(&text, FileId(u32::MAX), 0, Dialect::Oracle);
    let parsed = p.expr().ok().filter(|_| p.at_end()).map(|mut e| {
        struct Fix;
        impl VisitMut for Fix {
            fn type_ref(&mut self, t: &mut TypeRef) {
                let args: Vec<String> = t
                    .source
                    .args
                    .iter()
                    .flatten()
                    .map(|a| a.to_string())
                    .collect();
                let mut s = t.source.name.to_lowercase();
                if !args.is_empty() {
                    s = format!("{s}({})", args.join(","));
                }
                t.target = Some(s);
            }
        }
        walk_expr(&mut Fix, &mut e);
        e
    });
    cache.lock().ok()?.insert(src.to_string(), parsed.clone());
    parsed
}

/// Substitutes the arguments into a parsed template, giving every node the call's span.
fn instantiate(t: &Expr, args: &[Expr], span: Span) -> Expr {
    struct Sub<'a> {
        args: &'a [Expr],
        span: Span,
    }
    impl VisitMut for Sub<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Param(name, _) = e
                && let Some(i) = name
                    .strip_prefix(":P")
                    .or_else(|| name.strip_prefix(":p"))
                    .and_then(|n| n.parse::<usize>().ok())
                && let Some(a) = self.args.get(i)
            {
                *e = a.clone();
                return;
            }
            respan(e, self.span);
        }
        fn ident(&mut self, i: &mut Ident) {
            i.span = self.span;
        }
    }
    let mut e = t.clone();
    walk_expr(&mut Sub { args, span }, &mut e);
    e
}

fn respan(e: &mut Expr, span: Span) {
    match e {
        Expr::Number(_, s)
        | Expr::String(_, s)
        | Expr::NString(_, s)
        | Expr::Null(s)
        | Expr::Bool(_, s)
        | Expr::Star(s)
        | Expr::Tuple(_, s)
        | Expr::Raw(_, s) => *s = span,
        Expr::Unary { span: s, .. }
        | Expr::Binary { span: s, .. }
        | Expr::Cast { span: s, .. }
        | Expr::IsNull { span: s, .. }
        | Expr::Between { span: s, .. }
        | Expr::InList { span: s, .. }
        | Expr::Interval { span: s, .. }
        | Expr::TypedString { span: s, .. } => *s = span,
        Expr::Call(c) => c.span = span,
        Expr::Case(c) => c.span = span,
        _ => {}
    }
}

/// What an expression evaluates to, as far as conversions care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Date,
    Number,
    Text,
    Unknown,
}

pub fn kind_of_type(t: &SourceType) -> Kind {
    let n = t.name.as_str();
    if n == "DATE" || n.starts_with("TIMESTAMP") {
        Kind::Date
    } else if matches!(
        n,
        "NUMBER"
            | "NUMERIC"
            | "DECIMAL"
            | "INTEGER"
            | "INT"
            | "SMALLINT"
            | "FLOAT"
            | "REAL"
            | "BINARY_FLOAT"
            | "BINARY_DOUBLE"
            | "DOUBLE PRECISION"
    ) {
        Kind::Number
    } else if n.contains("CHAR") || n.contains("CLOB") || n == "LONG" {
        Kind::Text
    } else {
        Kind::Unknown
    }
}

/// The tables visible in a SELECT (alias or name -> columns).
type Scope<'a> = Vec<(String, std::borrow::Cow<'a, [(String, SourceType)]>)>;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    if ctx.opts.from != crate::SourceDialect::Oracle {
        return;
    }
    let syms = &ctx.symbols;
    for (idx, o) in module.objects.iter_mut().enumerate() {
        let mut v = FnVisitor {
            syms,
            scopes: Vec::new(),
            found: Vec::new(),
            target: ctx.opts.to,
        };
        // Column defaults, checks and generated columns see the table's own columns.
        if let Stmt::CreateTable(t) = &o.stmt {
            // The symbol table's copy when it is this table's, as it is now (names and source
            // types equal); otherwise a copy.
            let same = syms.table(&t.name).filter(|info| {
                info.object == idx
                    && info.columns.len() == t.columns.len()
                    && info
                        .columns
                        .iter()
                        .zip(&t.columns)
                        .all(|((n, ty), c)| *n == c.name.value && *ty == c.ty.source)
            });
            let cols = match same {
                Some(info) => std::borrow::Cow::Borrowed(&info.columns[..]),
                None => std::borrow::Cow::Owned(
                    t.columns
                        .iter()
                        .map(|c| (c.name.value.clone(), c.ty.source.clone()))
                        .collect(),
                ),
            };
            v.scopes.push(vec![(t.name.name().value.clone(), cols)]);
        }
        if let Stmt::CreateIndex(i) = &o.stmt
            && let Some(t) = syms.table(&i.table)
        {
            v.scopes.push(vec![(
                i.table.name().value.clone(),
                std::borrow::Cow::Borrowed(&t.columns[..]),
            )]);
        }
        super::walk_object(&mut v, o);
        super::add_unique(o, v.found);
    }
}

struct FnVisitor<'a> {
    syms: &'a Symbols,
    scopes: Vec<Scope<'a>>,
    found: Vec<Finding>,
    target: crate::Target,
}

impl FnVisitor<'_> {
    fn flag(&mut self, code: &'static Code, span: Span, args: &[&str]) {
        self.found.push(Finding::new(code, span, args));
    }

    fn column_kind(&self, q: &QName) -> Kind {
        let col = &q.name().value;
        let qual = if q.parts.len() >= 2 {
            Some(&q.parts[q.parts.len() - 2].value)
        } else {
            None
        };
        for scope in self.scopes.iter().rev() {
            for (name, cols) in scope {
                if qual.is_some_and(|qq| qq != name) {
                    continue;
                }
                if let Some((_, t)) = cols.iter().find(|(c, _)| c == col) {
                    return kind_of_type(t);
                }
            }
        }
        Kind::Unknown
    }

    /// Kind of an (already converted) expression.
    fn kind(&self, e: &Expr) -> Kind {
        match e {
            Expr::Number(..) => Kind::Number,
            Expr::String(..) | Expr::NString(..) => Kind::Text,
            Expr::TypedString { .. } => Kind::Date,
            Expr::Column(q) => self.column_kind(q),
            Expr::Cast { ty, .. } => match &ty.target {
                Some(t) if t.starts_with("timestamp") || t.starts_with("date") => Kind::Date,
                Some(t)
                    if t.starts_with("numeric")
                        || t.starts_with("decimal")
                        || t.contains("int")
                        || t.starts_with("double")
                        || t.starts_with("real") =>
                {
                    Kind::Number
                }
                Some(t)
                    if t.starts_with("text")
                        || t.starts_with("varchar")
                        || t.starts_with("char") =>
                {
                    Kind::Text
                }
                _ => kind_of_type(&ty.source),
            },
            Expr::Binary {
                op, left, right, ..
            } => match op {
                BinOp::Concat => Kind::Text,
                BinOp::Add | BinOp::Sub => {
                    let (l, r) = (self.kind(left), self.kind(right));
                    match (l, r, op) {
                        (Kind::Date, Kind::Date, BinOp::Sub) => Kind::Number,
                        (Kind::Date, _, _) | (_, Kind::Date, BinOp::Add) => Kind::Date,
                        (Kind::Number, Kind::Number, _) => Kind::Number,
                        _ => Kind::Unknown,
                    }
                }
                BinOp::Mul | BinOp::Div | BinOp::Mod => Kind::Number,
                _ => Kind::Unknown,
            },
            Expr::Call(c) => {
                let n = c.name.name().value.to_ascii_uppercase();
                match n.as_str() {
                    "DATE_TRUNC"
                    | "TO_TIMESTAMP"
                    | "STATEMENT_TIMESTAMP"
                    | "MAKE_TIMESTAMP"
                    | "TIMESTAMP"
                    | "TIMESTAMPADD"
                    | "STR_TO_DATE"
                    | "LAST_DAY"
                    | "ADD_MONTHS" => Kind::Date,
                    "COALESCE" | "NULLIF" | "GREATEST" | "LEAST" | "MAX" | "MIN" => c
                        .args
                        .first()
                        .map(|a| self.kind(&a.value))
                        .unwrap_or(Kind::Unknown),
                    "LENGTH" | "STRPOS" | "COUNT" | "SUM" | "AVG" | "ROUND" | "TRUNC" | "ABS"
                    | "MOD" | "POWER" | "EXTRACT" | "TO_NUMBER" | "TRUNCATE" | "CHAR_LENGTH"
                    | "LOCATE" | "TIMESTAMPDIFF" => Kind::Number,
                    "TO_CHAR" | "SUBSTR" | "UPPER" | "LOWER" | "CONCAT" | "REPLACE" | "TRIM"
                    | "LTRIM" | "RTRIM" | "LPAD" | "RPAD" | "DATE_FORMAT" | "CONCAT_WS" => {
                        Kind::Text
                    }
                    _ => Kind::Unknown,
                }
            }
            Expr::Case(c) => c
                .whens
                .first()
                .map(|(_, t)| self.kind(t))
                .unwrap_or(Kind::Unknown),
            Expr::Unary {
                op: UnaryOp::Neg,
                expr,
                ..
            } => match self.kind(expr) {
                Kind::Number => Kind::Number,
                _ => Kind::Unknown,
            },
            _ => Kind::Unknown,
        }
    }
}

fn call(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    Call::expr(name, args, span)
}

pub(crate) fn cast(e: Expr, target: &str, span: Span) -> Expr {
    Expr::Cast {
        expr: Box::new(e),
        ty: Box::new(TypeRef {
            source: SourceType {
                name: target.to_ascii_uppercase(),
                args: Vec::new(),
                modifier: None,
                span,
            },
            ir: None,
            target: Some(target.to_string()),
        }),
        span,
    }
}

fn bin(op: BinOp, left: Expr, right: Expr, span: Span) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
        span,
    }
}

fn string(s: &str, span: Span) -> Expr {
    Expr::String(s.to_string(), span)
}

fn is_pseudo(q: &QName, name: &str) -> bool {
    q.parts.len() == 1 && !q.parts[0].quoted && q.parts[0].value == name
}

/// Oracle SYSDATE: statement time, truncated to the second, without time zone.
fn sysdate(span: Span) -> Expr {
    call(
        "date_trunc",
        vec![
            string("second", span),
            cast(call("statement_timestamp", vec![], span), "timestamp", span),
        ],
        span,
    )
}

impl<'a> VisitMut for FnVisitor<'a> {
    fn enter_select(&mut self, s: &mut Select) {
        let mut scope: Scope<'a> = Vec::new();
        fn add<'a>(scope: &mut Scope<'a>, syms: &'a Symbols, t: &TableRef) {
            match t {
                TableRef::Table { name, alias, .. } => {
                    if let Some(info) = syms.table(name) {
                        let key = alias
                            .as_ref()
                            .map(|a| a.value.clone())
                            .unwrap_or_else(|| name.name().value.clone());
                        scope.push((key, std::borrow::Cow::Borrowed(&info.columns[..])));
                    }
                }
                TableRef::Join { left, right, .. } => {
                    add(scope, syms, left);
                    add(scope, syms, right);
                }
                _ => {}
            }
        }
        for t in &s.from {
            add(&mut scope, self.syms, t);
        }
        self.scopes.push(scope);
    }

    fn select(&mut self, s: &mut Select) {
        self.scopes.pop();
        // The target requires an alias on every subquery in FROM.
        fn alias_subqueries(t: &mut TableRef, n: &mut usize) {
            match t {
                TableRef::Subquery { alias, span, .. } if alias.is_none() => {
                    *n += 1;
                    *alias = Some(Ident::new(format!("SUBQUERY{n}"), *span));
                }
                TableRef::Join { left, right, .. } => {
                    alias_subqueries(left, n);
                    alias_subqueries(right, n);
                }
                _ => {}
            }
        }
        let mut n = 0;
        for t in &mut s.from {
            alias_subqueries(t, &mut n);
        }
        // FROM DUAL: the target needs no FROM clause.
        if s.from.len() == 1
            && let TableRef::Table { name, .. } = &s.from[0]
            && name.parts.len() <= 2
            && name.name().value == "DUAL"
            && !name.name().quoted
        {
            s.from.clear();
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        match e {
            // '' is NULL in Oracle.
            Expr::String(s, sp) if s.is_empty() => {
                *e = Expr::Null(*sp);
            }
            Expr::Column(q) => {
                let span = q.span();
                if q.parts.len() == 2
                    && !q.parts[1].quoted
                    && (q.parts[1].value == "NEXTVAL" || q.parts[1].value == "CURRVAL")
                {
                    let seq = QName {
                        parts: vec![q.parts[0].clone()],
                        dblink: None,
                    };
                    let next = q.parts[1].value == "NEXTVAL";
                    *e = if next {
                        Expr::NextVal(seq, span)
                    } else {
                        Expr::CurrVal(seq, span)
                    };
                } else if q.parts.len() == 3
                    && !q.parts[2].quoted
                    && (q.parts[2].value == "NEXTVAL" || q.parts[2].value == "CURRVAL")
                {
                    let seq = QName {
                        parts: q.parts[..2].to_vec(),
                        dblink: None,
                    };
                    let next = q.parts[2].value == "NEXTVAL";
                    *e = if next {
                        Expr::NextVal(seq, span)
                    } else {
                        Expr::CurrVal(seq, span)
                    };
                } else if self.target == crate::Target::Mysql
                    && ((is_pseudo(q, "SYSDATE") && self.column_kind(q) == Kind::Unknown)
                        || is_pseudo(q, "CURRENT_DATE"))
                {
                    // MySQL's CURRENT_TIMESTAMP: statement time, to the second, like SYSDATE
                    // (and legal as a column default).
                    *e = Expr::Raw("current_timestamp".into(), span);
                } else if self.target == crate::Target::Mysql
                    && is_pseudo(q, "SYSTIMESTAMP")
                    && self.column_kind(q) == Kind::Unknown
                {
                    *e = Expr::Raw("current_timestamp(6)".into(), span);
                } else if is_pseudo(q, "SYSDATE") && self.column_kind(q) == Kind::Unknown {
                    *e = sysdate(span);
                } else if is_pseudo(q, "SYSTIMESTAMP") && self.column_kind(q) == Kind::Unknown {
                    *e = call("statement_timestamp", vec![], span);
                } else if is_pseudo(q, "CURRENT_DATE") {
                    *e = sysdate(span);
                } else if is_pseudo(q, "CURRENT_TIMESTAMP") || is_pseudo(q, "LOCALTIMESTAMP") {
                    // Same meaning on the target; a keyword, not a column.
                    *e = Expr::Raw(q.parts[0].value.to_lowercase(), span);
                } else if is_pseudo(q, "USER") && self.column_kind(q) == Kind::Unknown {
                    self.flag(
                        &codes::FUNCTION_SEMANTICS,
                        span,
                        &[
                            "USER",
                            if self.target == crate::Target::Mysql {
                                "MySQL returns the account name as created (Oracle upper-cases unquoted user names)"
                            } else {
                                "the target returns the role name in its own case (usually lower case)"
                            },
                        ],
                    );
                    *e = Expr::Raw(
                        if self.target == crate::Target::Mysql {
                            "substring_index(current_user(), '@', 1)"
                        } else {
                            "current_user"
                        }
                        .into(),
                        span,
                    );
                } else if is_pseudo(q, "ROWID") && self.column_kind(q) == Kind::Unknown {
                    self.flag(&codes::FUNCTION_UNSUPPORTED, span, &["ROWID", "physical row addresses do not exist on the target; use the primary key"]);
                }
            }
            Expr::Binary {
                op,
                left,
                right,
                span,
            } => {
                let span = *span;
                match op {
                    BinOp::Add | BinOp::Sub if self.target == crate::Target::Mysql => {
                        let (lk, rk) = (self.kind(left), self.kind(right));
                        let second = || Expr::Column(QName::single(Ident::new("SECOND", span)));
                        let secs = |n: Expr, neg: bool| {
                            let n = if neg {
                                Expr::Unary {
                                    op: UnaryOp::Neg,
                                    expr: Box::new(n),
                                    span,
                                }
                            } else {
                                n
                            };
                            call(
                                "round",
                                vec![Expr::Binary {
                                    op: BinOp::Mul,
                                    left: Box::new(n),
                                    right: Box::new(Expr::Number("86400".into(), span)),
                                    span,
                                }],
                                span,
                            )
                        };
                        if lk == Kind::Date && rk == Kind::Date && *op == BinOp::Sub {
                            // date - date = days (a number) in Oracle.
                            let diff = call(
                                "timestampdiff",
                                vec![second(), (**right).clone(), (**left).clone()],
                                span,
                            );
                            *e = Expr::Binary {
                                op: BinOp::Div,
                                left: Box::new(diff),
                                right: Box::new(Expr::Number("86400".into(), span)),
                                span,
                            };
                        } else if lk == Kind::Date && matches!(rk, Kind::Number) {
                            let n = secs((**right).clone(), *op == BinOp::Sub);
                            *e = call("timestampadd", vec![second(), n, (**left).clone()], span);
                        } else if rk == Kind::Date && lk == Kind::Number && *op == BinOp::Add {
                            let n = secs((**left).clone(), false);
                            *e = call("timestampadd", vec![second(), n, (**right).clone()], span);
                        } else if (lk == Kind::Date || rk == Kind::Date)
                            && (lk == Kind::Unknown || rk == Kind::Unknown)
                        {
                            self.flag(&codes::FUNCTION_SEMANTICS, span, &["date arithmetic", "an operand's type is not known; check that days are added as intervals"]);
                        }
                    }
                    BinOp::Add | BinOp::Sub => {
                        let (lk, rk) = (self.kind(left), self.kind(right));
                        if lk == Kind::Date && rk == Kind::Date && *op == BinOp::Sub {
                            // date - date = days (a number) in Oracle.
                            let diff = Expr::Binary {
                                op: BinOp::Sub,
                                left: left.clone(),
                                right: right.clone(),
                                span,
                            };
                            let epoch = call(
                                "extract",
                                vec![Expr::Column(QName::single(Ident::new("EPOCH", span))), diff],
                                span,
                            );
                            *e = Expr::Binary {
                                op: BinOp::Div,
                                left: Box::new(epoch),
                                right: Box::new(Expr::Number("86400".into(), span)),
                                span,
                            };
                        } else if lk == Kind::Date && matches!(rk, Kind::Number) {
                            let days = Expr::Binary {
                                op: BinOp::Mul,
                                left: right.clone(),
                                right: Box::new(call("make_interval", vec![], span)),
                                span,
                            };
                            let days = with_named(days, "days", span);
                            *e = Expr::Binary {
                                op: *op,
                                left: left.clone(),
                                right: Box::new(days),
                                span,
                            };
                        } else if rk == Kind::Date && lk == Kind::Number && *op == BinOp::Add {
                            let days = with_named(
                                Expr::Binary {
                                    op: BinOp::Mul,
                                    left: left.clone(),
                                    right: Box::new(call("make_interval", vec![], span)),
                                    span,
                                },
                                "days",
                                span,
                            );
                            *e = Expr::Binary {
                                op: BinOp::Add,
                                left: right.clone(),
                                right: Box::new(days),
                                span,
                            };
                        } else if (lk == Kind::Date || rk == Kind::Date)
                            && (lk == Kind::Unknown || rk == Kind::Unknown)
                        {
                            self.flag(&codes::FUNCTION_SEMANTICS, span, &["date arithmetic", "an operand's type is not known; check that days are added as intervals"]);
                        }
                    }
                    BinOp::Concat => {
                        // NULL || 'x' is 'x' in Oracle: concat() ignores NULLs the same way.
                        let mut parts = Vec::new();
                        flatten_concat(e, &mut parts);
                        // Only literals: fold them into one string (NULLs drop out).
                        let literal = |p: &Expr| match p {
                            Expr::String(v, _) | Expr::Number(v, _) => Some(v.clone()),
                            _ => None,
                        };
                        if let Some(vals) = parts.iter().map(literal).collect::<Option<Vec<_>>>() {
                            let joined = vals.concat();
                            *e = if joined.is_empty() {
                                Expr::Null(span)
                            } else {
                                string(&joined, span)
                            };
                            return;
                        }
                        // concat() of only NULLs is '' where Oracle gives NULL; a non-empty
                        // literal part makes that impossible.
                        let has_literal = parts
                            .iter()
                            .any(|p| matches!(p, Expr::String(v, _) if !v.is_empty()));
                        // MySQL's concat() is NULL when any part is; concat_ws skips NULLs.
                        let c = if self.target == crate::Target::Mysql {
                            parts.insert(0, string("", span));
                            call("concat_ws", parts, span)
                        } else {
                            call("concat", parts, span)
                        };
                        *e = if has_literal {
                            c
                        } else {
                            call("nullif", vec![c, string("", span)], span)
                        };
                    }
                    // MySQL keeps div_precision_increment (4) more digits than the dividend
                    // (1 / 3 = 0.3333); Oracle divides NUMBERs to 38 digits. A DECIMAL(65,30)
                    // dividend keeps 30.
                    BinOp::Div if self.target == crate::Target::Mysql => {
                        let float = matches!(left.as_ref(), Expr::Number(n, _) if n.contains(['e', 'E']))
                            || matches!(left.as_ref(), Expr::Cast { .. });
                        if !float && matches!(self.kind(left), Kind::Number | Kind::Unknown) {
                            let l = std::mem::replace(left.as_mut(), Expr::Null(span));
                            **left = cast(l, "decimal(65,30)", span);
                        }
                    }
                    BinOp::Div => {
                        // Oracle divides NUMBERs exactly; the target truncates integer division.
                        let exact = matches!(left.as_ref(), Expr::Number(n, _) if n.contains(['.', 'e', 'E']))
                            || matches!(left.as_ref(), Expr::Cast { .. });
                        if !exact && matches!(self.kind(left), Kind::Number | Kind::Unknown) {
                            let l = std::mem::replace(left.as_mut(), Expr::Null(span));
                            **left = cast(l, "numeric", span);
                        }
                    }
                    _ => {}
                }
            }
            Expr::TypedString { ty, value, .. } if ty.eq_ignore_ascii_case("DATE") => {
                // An Oracle DATE literal is a timestamp at midnight (MySQL's TIMESTAMP
                // literal needs the time written).
                *ty = "TIMESTAMP".into();
                if self.target == crate::Target::Mysql && !value.contains(':') {
                    value.push_str(" 00:00:00");
                }
            }
            Expr::Call(c) => {
                let new = self.rewrite_call(c);
                if let Some(n) = new {
                    *e = n;
                }
            }
            Expr::OuterJoin(_) => {}
            _ => {}
        }
    }
}

/// Rewrites `x * make_interval()` into `x * make_interval(days => 1)`.
fn with_named(mut e: Expr, name: &str, span: Span) -> Expr {
    if let Expr::Binary { right, .. } = &mut e
        && let Expr::Call(c) = right.as_mut()
    {
        c.args.push(Arg {
            name: Some(Ident::new(name.to_ascii_uppercase(), span)),
            value: Expr::Number("1".into(), span),
        });
    }
    e
}

fn flatten_concat(e: &Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary {
            op: BinOp::Concat,
            left,
            right,
            ..
        } => {
            flatten_concat(left, out);
            flatten_concat(right, out);
        }
        Expr::Call(c) if c.name.name().value == "CONCAT" && c.over.is_none() => {
            for a in &c.args {
                out.push(a.value.clone());
            }
        }
        Expr::Null(_) => {}
        other => out.push(other.clone()),
    }
}

fn lit_int(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n, _) => n.parse().ok(),
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
            ..
        } => lit_int(expr).map(|v| -v),
        _ => None,
    }
}

fn lit_str(e: &Expr) -> Option<&str> {
    match e {
        Expr::String(s, _) => Some(s),
        _ => None,
    }
}

impl FnVisitor<'_> {
    fn rewrite_call(&mut self, c: &mut Call) -> Option<Expr> {
        // Functions of Oracle-supplied packages (`DBMS_RANDOM.VALUE`) are looked up as
        // `PKG.NAME`, unless the input defines a package of that name.
        let name = match c.name.parts.as_slice() {
            [f] if !f.quoted => f.value.clone(),
            [pkg, f]
                if !pkg.quoted
                    && !f.quoted
                    && !self.syms.routines.contains(&pkg.value)
                    && (pkg.value.starts_with("DBMS_") || pkg.value.starts_with("UTL_")) =>
            {
                format!("{}.{}", pkg.value, f.value)
            }
            _ => return self.user_call(c),
        };
        let Some(rule) = table_for(self.target).functions.get(&name) else {
            return self.user_call(c);
        };
        let span = c.span;
        let nargs = c.args.len();
        if let Some([lo, hi]) = rule.args
            && (nargs < lo || nargs > hi)
        {
            self.flag(
                &codes::FUNCTION_UNSUPPORTED,
                span,
                &[&name, &format!("called with {nargs} arguments")],
            );
            return None;
        }
        if let Some(why) = &rule.review {
            self.flag(&codes::FUNCTION_SEMANTICS, span, &[&name, why]);
        }
        if let Some(why) = &rule.unsupported {
            self.flag(&codes::FUNCTION_UNSUPPORTED, span, &[&name, why]);
            return None;
        }
        if rule.same {
            return None;
        }
        if let Some(r) = &rule.rename {
            let first = c.name.parts[0].span;
            c.name.parts = vec![Ident::new(r.to_ascii_uppercase(), first)];
            return None;
        }
        // Templates and handlers read the arguments while they may change the call.
        let args: Vec<Expr> = c.args.iter().map(|a| a.value.clone()).collect();
        if let Some(t) = &rule.template {
            let Some(tpl) = template(t) else {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[&name, "internal template error"],
                );
                return None;
            };
            return Some(instantiate(&tpl, &args, span));
        }
        match rule.handler.as_deref() {
            Some("decode") => self.decode(&args, span),
            Some("substr") => self.substr(c, &args, span),
            Some("instr") => self.instr(&args, span),
            Some("round") | Some("trunc") => self.round_trunc(&name, c, &args, span),
            Some("to_char") => self.rewrite_to_char(c, &args, span),
            Some("to_date") => self.rewrite_to_date(&args, span, "timestamp"),
            Some("to_timestamp") => self.rewrite_to_date(&args, span, "timestamp"),
            Some("to_number") => self.rewrite_to_number(c, &args, span),
            Some("regexp_like") => self.regexp_like(&args, span),
            Some("random_value") => {
                // DBMS_RANDOM.VALUE: [0, 1); VALUE(low, high): [low, high).
                let rnd = call(
                    if self.target == crate::Target::Mysql {
                        "rand"
                    } else {
                        "random"
                    },
                    vec![],
                    span,
                );
                match args.as_slice() {
                    [] => Some(rnd),
                    [lo, hi] => Some(bin(
                        BinOp::Add,
                        lo.clone(),
                        bin(
                            BinOp::Mul,
                            rnd,
                            bin(BinOp::Sub, hi.clone(), lo.clone(), span),
                            span,
                        ),
                        span,
                    )),
                    _ => {
                        self.flag(
                            &codes::FUNCTION_UNSUPPORTED,
                            span,
                            &[&name, "called with one argument"],
                        );
                        None
                    }
                }
            }
            Some(h) if h.starts_with("my_") => self.mysql_handler(h, &name, c, &args, span),
            Some("trim") => {
                // TRIM([LEADING|TRAILING|BOTH] [c] FROM x) -> ltrim / rtrim / btrim(x, c).
                if args.len() < 2 {
                    return None;
                }
                let spec = match &args[0] {
                    Expr::Column(q) => q.name().value.to_ascii_uppercase(),
                    _ => return None,
                };
                let f = match spec.as_str() {
                    "LEADING" => "ltrim",
                    "TRAILING" => "rtrim",
                    _ => "btrim",
                };
                let (ch, x) = if args.len() == 3 {
                    (args[1].clone(), args[2].clone())
                } else {
                    (string(" ", span), args[1].clone())
                };
                Some(call(f, vec![x, ch], span))
            }
            Some("replace") => {
                // REPLACE(s, x) removes x in Oracle.
                if args.len() == 2 {
                    c.args.push(Arg {
                        name: None,
                        value: string("", span),
                    });
                }
                None
            }
            _ => None,
        }
    }

    /// Calls of functions that are not built-ins: in the input (not converted yet) or unknown.
    fn user_call(&mut self, c: &Call) -> Option<Expr> {
        // Target functions the plsql pass writes for collections (no Oracle built-in has
        // these names, or the same meaning: CARDINALITY of a nested table).
        const PASS_MADE: &[&str] = &[
            "ARRAY_AGG",
            "ARRAY_APPEND",
            "ARRAY_LOWER",
            "ARRAY_UPPER",
            "CARDINALITY",
            "ROW",
        ];
        if c.name.parts.len() == 1 && PASS_MADE.contains(&c.name.parts[0].value.as_str()) {
            return None;
        }
        let known = self.syms.routines.contains(&c.name.name().value)
            || self.syms.routines.contains(&c.name.display());
        if !known {
            self.flag(&codes::UNKNOWN_FUNCTION, c.span, &[&c.name.display()]);
        }
        None
    }

    fn decode(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        if args.len() < 3 {
            self.flag(
                &codes::FUNCTION_UNSUPPORTED,
                span,
                &["DECODE", "needs at least three arguments"],
            );
            return None;
        }
        let subject = &args[0];
        let mut whens = Vec::new();
        let mut i = 1;
        while i + 1 < args.len() {
            let search = &args[i];
            // DECODE matches NULL to NULL.
            let cond = match search {
                Expr::Null(_) => Expr::IsNull {
                    expr: Box::new(subject.clone()),
                    not: false,
                    span,
                },
                Expr::String(..) | Expr::Number(..) => Expr::Binary {
                    op: BinOp::Eq,
                    left: Box::new(subject.clone()),
                    right: Box::new(search.clone()),
                    span,
                },
                _ => Expr::IsDistinct {
                    left: Box::new(subject.clone()),
                    right: Box::new(search.clone()),
                    not: true,
                    span,
                },
            };
            whens.push((cond, args[i + 1].clone()));
            i += 2;
        }
        let else_ = if args.len().is_multiple_of(2) {
            args.last().cloned()
        } else {
            None
        };
        Some(Expr::Case(Box::new(Case {
            operand: None,
            whens,
            else_,
            span,
        })))
    }

    fn substr(&mut self, c: &mut Call, args: &[Expr], span: Span) -> Option<Expr> {
        self.flag(&codes::EMPTY_STRING_NULL, span, &["string functions return '' on the target where Oracle returns NULL (check comparisons with NULL)"]);
        if args.len() < 2 {
            return None;
        }
        match lit_int(&args[1]) {
            Some(p) if p >= 1 => None,
            Some(0) => {
                c.args[1].value = Expr::Number("1".into(), args[1].span());
                None
            }
            Some(_) => {
                // Negative start counts from the end: substr(s, length(s) + p + 1, l), NULL when
                // the string is shorter than -p.
                let s = &args[0];
                let len = call("length", vec![s.clone()], span);
                let start = Expr::Binary {
                    op: BinOp::Add,
                    left: Box::new(Expr::Binary {
                        op: BinOp::Add,
                        left: Box::new(len.clone()),
                        right: Box::new(args[1].clone()),
                        span,
                    }),
                    right: Box::new(Expr::Number("1".into(), span)),
                    span,
                };
                let mut sargs = vec![s.clone(), start];
                if let Some(l) = args.get(2) {
                    sargs.push(l.clone());
                }
                let cond = Expr::Binary {
                    op: BinOp::GtEq,
                    left: Box::new(len),
                    right: Box::new(Expr::Unary {
                        op: UnaryOp::Neg,
                        expr: Box::new(args[1].clone()),
                        span,
                    }),
                    span,
                };
                Some(Expr::Case(Box::new(Case {
                    operand: None,
                    whens: vec![(cond, call("substr", sargs, span))],
                    else_: None,
                    span,
                })))
            }
            None => {
                self.flag(&codes::FUNCTION_SEMANTICS, span, &["SUBSTR", "a start position of 0 or below counts differently on the target (Oracle: 0 is 1, negative counts from the end)"]);
                None
            }
        }
    }

    fn instr(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        match args.len() {
            2 => Some(call("strpos", args.to_vec(), span)),
            3 | 4
                if lit_int(&args[2]).is_some_and(|p| p >= 1)
                    && args.get(3).is_none_or(|o| lit_int(o) == Some(1)) =>
            {
                let pos = args[2].clone();
                let sub = call("substr", vec![args[0].clone(), pos.clone()], span);
                let found = call("strpos", vec![sub, args[1].clone()], span);
                let cond = Expr::Binary {
                    op: BinOp::Eq,
                    left: Box::new(found.clone()),
                    right: Box::new(Expr::Number("0".into(), span)),
                    span,
                };
                let hit = Expr::Binary {
                    op: BinOp::Sub,
                    left: Box::new(Expr::Binary {
                        op: BinOp::Add,
                        left: Box::new(found),
                        right: Box::new(pos),
                        span,
                    }),
                    right: Box::new(Expr::Number("1".into(), span)),
                    span,
                };
                Some(Expr::Case(Box::new(Case {
                    operand: None,
                    whens: vec![(cond, Expr::Number("0".into(), span))],
                    else_: Some(hit),
                    span,
                })))
            }
            _ => {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[
                        "INSTR",
                        "negative positions and occurrences other than 1 have no direct equivalent",
                    ],
                );
                None
            }
        }
    }

    fn round_trunc(&mut self, name: &str, c: &mut Call, args: &[Expr], span: Span) -> Option<Expr> {
        let first = args.first()?;
        let kind = self.kind(first);
        if kind == Kind::Date {
            let unit = match args.get(1) {
                None => Some("day"),
                Some(a) => lit_str(a).and_then(date_unit),
            };
            let Some(unit) = unit else {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[name, "this date format unit has no date_trunc equivalent"],
                );
                return None;
            };
            if name == "TRUNC" {
                return Some(call(
                    "date_trunc",
                    vec![string(unit, span), first.clone()],
                    span,
                ));
            }
            // ROUND(date): half a unit later, truncated. Exact for day and below.
            let half = match unit {
                "day" => Some("make_interval(hours => 12)"),
                "hour" => Some("make_interval(mins => 30)"),
                "minute" => Some("make_interval(secs => 30)"),
                _ => None,
            };
            let Some(h) = half.and_then(template) else {
                self.flag(
                    &codes::FUNCTION_SEMANTICS,
                    span,
                    &[
                        "ROUND(date)",
                        "rounded with date_trunc; Oracle rounds up from the middle of the unit",
                    ],
                );
                return Some(call(
                    "date_trunc",
                    vec![string(unit, span), first.clone()],
                    span,
                ));
            };
            let shifted = Expr::Binary {
                op: BinOp::Add,
                left: Box::new(first.clone()),
                right: Box::new(instantiate(&h, &[], span)),
                span,
            };
            return Some(call("date_trunc", vec![string(unit, span), shifted], span));
        }
        if kind == Kind::Unknown {
            self.flag(&codes::FUNCTION_SEMANTICS, span, &[name, "the argument's type is not known; converted for a number (a date needs date_trunc)"]);
        }
        // round(double precision, int) does not exist on the target: go through numeric.
        if args.len() == 2 {
            c.args[0].value = cast(first.clone(), "numeric", span);
        }
        None
    }

    fn rewrite_to_char(&mut self, c: &mut Call, args: &[Expr], span: Span) -> Option<Expr> {
        let first = args.first()?;
        let kind = self.kind(first);
        if self.target == crate::Target::Mysql {
            return self.mysql_to_char(args, kind, span);
        }
        match args.len() {
            1 => {
                if kind == Kind::Date {
                    self.flag(
                        &codes::FORMAT_MODEL,
                        span,
                        &[
                            "(session default)",
                            "TO_CHAR",
                            "Oracle uses NLS_DATE_FORMAT; converted with 'DD-MON-YY'",
                        ],
                    );
                    c.args.push(Arg {
                        name: None,
                        value: string("DD-MON-YY", span),
                    });
                    return None;
                }
                if kind != Kind::Text {
                    self.flag(&codes::FUNCTION_SEMANTICS, span, &["TO_CHAR(number)", "Oracle drops the leading zero of fractions (.5), the target keeps it (0.5)"]);
                }
                Some(cast(first.clone(), "text", span))
            }
            _ => {
                if let Some(fmt) = lit_str(&args[1]) {
                    if let Some(problem) = format_problems(fmt) {
                        self.flag(
                            &codes::FORMAT_MODEL,
                            span,
                            &[&format!("'{fmt}'"), "TO_CHAR", &problem],
                        );
                    }
                } else {
                    self.flag(
                        &codes::FORMAT_MODEL,
                        span,
                        &[
                            "(not a literal)",
                            "TO_CHAR",
                            "the format is computed at run time and was not checked",
                        ],
                    );
                }
                if args.len() > 2 {
                    self.flag(
                        &codes::FUNCTION_SEMANTICS,
                        span,
                        &["TO_CHAR", "the NLS parameter argument was dropped"],
                    );
                    c.args.truncate(2);
                }
                if kind == Kind::Unknown {
                    self.flag(&codes::FUNCTION_SEMANTICS, span, &["TO_CHAR", "the argument's type is not known; the target needs a timestamp or a number"]);
                }
                None
            }
        }
    }

    /// TO_CHAR for MySQL: dates through `date_format` with a translated format, other values
    /// as a cast to CHAR; number formats are not translated (FUN005).
    fn mysql_to_char(&mut self, args: &[Expr], kind: Kind, span: Span) -> Option<Expr> {
        let first = args[0].clone();
        let unsupported = |me: &mut Self, why: &str| {
            me.flag(&codes::FUNCTION_UNSUPPORTED, span, &["TO_CHAR", why]);
            None
        };
        match (args.len(), kind) {
            (1, Kind::Date) => {
                self.flag(
                    &codes::FORMAT_MODEL,
                    span,
                    &[
                        "(session default)",
                        "TO_CHAR",
                        "Oracle uses NLS_DATE_FORMAT; converted with 'DD-MON-YY'",
                    ],
                );
                Some(call(
                    "upper",
                    vec![call(
                        "date_format",
                        vec![first, string("%d-%b-%y", span)],
                        span,
                    )],
                    span,
                ))
            }
            (1, k) => {
                if k != Kind::Text {
                    self.flag(&codes::FUNCTION_SEMANTICS, span, &["TO_CHAR(number)", "Oracle drops the leading zero of fractions (.5) and the trailing zeros of NUMBER values; MySQL keeps both (0.50 for a DECIMAL(p,2))"]);
                }
                Some(Expr::Cast {
                    expr: Box::new(first),
                    ty: Box::new(TypeRef {
                        source: SourceType {
                            name: "CHAR".into(),
                            args: Vec::new(),
                            modifier: None,
                            span,
                        },
                        ir: None,
                        target: Some("char".into()),
                    }),
                    span,
                })
            }
            (2, Kind::Date | Kind::Unknown) => {
                let Some(fmt) = lit_str(&args[1]) else {
                    return unsupported(
                        self,
                        "the format is computed at run time; use date_format with a MySQL format",
                    );
                };
                let Some(my) = mysql_date_format(fmt).filter(|f| !f.fraction_digits) else {
                    if kind == Kind::Unknown
                        && let Some(e) = self.my_to_char_number(&first, fmt, span)
                    {
                        self.flag(&codes::FUNCTION_SEMANTICS, span, &["TO_CHAR", "the argument's type is not known; converted for a number, as the format is a number format"]);
                        return Some(e);
                    }
                    return unsupported(
                        self,
                        "the format model has elements without a MySQL date_format equivalent",
                    );
                };
                if my.mixed_case {
                    self.flag(&codes::FUNCTION_SEMANTICS, span, &["TO_CHAR", "month and day names are written in several cases; MySQL capitalizes them (Jan)"]);
                }
                if my.padded_names {
                    self.flag(&codes::FUNCTION_SEMANTICS, span, &["TO_CHAR", "Oracle pads MONTH and DAY names to 9 characters (unless FM); MySQL does not"]);
                }
                if kind == Kind::Unknown {
                    self.flag(
                        &codes::FUNCTION_SEMANTICS,
                        span,
                        &[
                            "TO_CHAR",
                            "the argument's type is not known; date_format needs a date",
                        ],
                    );
                }
                let f = call(
                    "date_format",
                    vec![first, string(&my.format, args[1].span())],
                    span,
                );
                Some(match my.case {
                    Some(case) if !my.mixed_case => call(case, vec![f], span),
                    _ => f,
                })
            }
            (2, _) => {
                if let Some(fmt) = lit_str(&args[1])
                    && let Some(e) = self.my_to_char_number(&first, fmt, span)
                {
                    return Some(e);
                }
                unsupported(
                    self,
                    "number format models other than 9, 0, ',', '.' and FM have no MySQL equivalent; use format(n, d) or lpad",
                )
            }
            _ => unsupported(self, "the NLS parameter argument has no MySQL equivalent"),
        }
    }

    fn rewrite_to_date(&mut self, args: &[Expr], span: Span, to: &str) -> Option<Expr> {
        let first = args.first()?;
        if args.len() == 1 {
            self.flag(
                &codes::FORMAT_MODEL,
                span,
                &[
                    "(session default)",
                    "TO_DATE",
                    "Oracle uses NLS_DATE_FORMAT; converted with a cast, which reads ISO dates",
                ],
            );
            let to = if self.target == crate::Target::Mysql {
                "datetime"
            } else {
                to
            };
            return Some(cast(first.clone(), to, span));
        }
        if let (Some(v), Some(fmt)) = (lit_str(first), lit_str(&args[1]))
            && let Some(ts) = fold_to_date(v, fmt)
        {
            return Some(Expr::TypedString {
                ty: "TIMESTAMP".into(),
                value: ts,
                span,
            });
        }
        if self.target == crate::Target::Mysql {
            if let Some(fmt) = lit_str(&args[1])
                && let Some(my) = mysql_date_format(fmt)
            {
                let parsed = call(
                    "str_to_date",
                    vec![first.clone(), string(&my.format, args[1].span())],
                    span,
                );
                // STR_TO_DATE returns a DATE when the format has no time element; an Oracle
                // DATE has a time of day.
                let has_time = ["%H", "%h", "%i", "%s", "%f"]
                    .iter()
                    .any(|t| my.format.contains(t));
                return Some(if has_time {
                    parsed
                } else {
                    call("timestamp", vec![parsed], span)
                });
            }
            self.flag(
                &codes::FUNCTION_UNSUPPORTED,
                span,
                &[
                    "TO_DATE",
                    "the format is not a literal MySQL can read; use str_to_date(s, fmt) with a MySQL format",
                ],
            );
            return None;
        }
        let mut fmt_arg = args[1].clone();
        if let Some(fmt) = lit_str(&args[1]) {
            if let Some(problem) = format_problems(fmt) {
                self.flag(
                    &codes::FORMAT_MODEL,
                    span,
                    &[&format!("'{fmt}'"), "TO_DATE", &problem],
                );
            }
            // RR/RRRR (round year) read best as YY/YYYY on the target.
            let fixed = fmt
                .replace("RRRR", "YYYY")
                .replace("rrrr", "yyyy")
                .replace("RR", "YY")
                .replace("rr", "yy");
            fmt_arg = string(&fixed, args[1].span());
        }
        Some(cast(
            call("to_timestamp", vec![first.clone(), fmt_arg], span),
            to,
            span,
        ))
    }

    fn rewrite_to_number(&mut self, _c: &mut Call, args: &[Expr], span: Span) -> Option<Expr> {
        let first = args.first()?;
        if args.len() == 1 {
            return Some(cast(first.clone(), "numeric", span));
        }
        None
    }

    fn regexp_like(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        self.flag(
            &codes::FUNCTION_SEMANTICS,
            span,
            &[
                "REGEXP_LIKE",
                "Oracle and PostgreSQL regular expressions differ in some classes and flags",
            ],
        );
        // PostgreSQL 15 has regexp_like(string, pattern [, flags]) with the same argument order.
        let _ = args;
        None
    }
}

/// An Oracle datetime format model as a MySQL `DATE_FORMAT`/`STR_TO_DATE` format.
#[derive(Debug, PartialEq, Eq)]
pub struct MyDateFormat {
    pub format: String,
    /// The case function the `DATE_FORMAT` result needs so that names (MON, DAY, AM) come
    /// out in the case the Oracle element was written in (MySQL writes `Jan`, `Saturday`):
    /// `Some("upper")`, `Some("lower")`, or `None`.
    pub case: Option<&'static str>,
    /// Names in several cases, or a case function that would change quoted text.
    pub mixed_case: bool,
    /// MONTH or DAY without FM: Oracle pads the names to 9 characters, MySQL does not.
    pub padded_names: bool,
    /// FF1-FF5, FF7-FF9: read by `STR_TO_DATE`, but `DATE_FORMAT` writes six digits.
    pub fraction_digits: bool,
}

/// `None` when an element has no equivalent.
pub fn mysql_date_format(fmt: &str) -> Option<MyDateFormat> {
    // (Oracle element, MySQL, is a name whose case follows the element's)
    const TOKENS: &[(&str, &str, bool)] = &[
        ("YYYY", "%Y", false),
        ("RRRR", "%Y", false),
        ("IYYY", "%x", false),
        ("HH24", "%H", false),
        ("HH12", "%h", false),
        ("MONTH", "%M", true),
        ("MON", "%b", true),
        ("DAY", "%W", true),
        ("DDD", "%j", false),
        ("FF6", "%f", false),
        ("FF", "%f", false),
        ("YY", "%y", false),
        ("RR", "%y", false),
        ("MM", "%m", false),
        ("DD", "%d", false),
        ("DY", "%a", true),
        ("IW", "%v", false),
        ("HH", "%h", false),
        ("MI", "%i", false),
        ("SS", "%s", false),
        ("AM", "%p", true),
        ("PM", "%p", true),
        ("FM", "", false),
    ];
    let mut out = String::new();
    let (mut upper, mut lower, mut as_is) = (false, false, false);
    let mut quoted = String::new();
    let (mut fill, mut long_names, mut fraction_digits) = (false, false, false);
    let mut rest = fmt;
    'outer: while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"')?;
            out.push_str(&r[..end].replace('%', "%%"));
            quoted.push_str(&r[..end]);
            rest = &r[end + 1..];
            continue;
        }
        for (o, m, name) in TOKENS {
            if rest.len() >= o.len()
                && rest.is_char_boundary(o.len())
                && rest[..o.len()].eq_ignore_ascii_case(o)
            {
                let written = &rest[..o.len()];
                rest = &rest[o.len()..];
                if *o == "FF" && rest.starts_with(|c: char| c.is_ascii_digit()) {
                    // FF1..FF9 (FF6 is matched above)
                    rest = &rest[1..];
                    fraction_digits = true;
                }
                match *o {
                    "FM" => fill = !fill,
                    "MONTH" | "DAY" if !fill => long_names = true,
                    _ => {}
                }
                if *name {
                    let is_am = *o == "AM" || *o == "PM";
                    if written.chars().all(|c| c.is_ascii_lowercase()) {
                        lower = true;
                    } else if written.chars().all(|c| c.is_ascii_uppercase()) {
                        // MySQL's %p is upper case already.
                        if is_am {
                            if lower {
                                upper = true;
                            }
                        } else {
                            upper = true;
                        }
                    } else if written[1..].chars().all(|c| c.is_ascii_lowercase()) && !is_am {
                        as_is = true;
                    } else {
                        upper = true;
                        lower = true;
                    }
                }
                out.push_str(m);
                continue 'outer;
            }
        }
        let c = rest.chars().next()?;
        if c.is_ascii_alphanumeric() {
            return None;
        }
        if c == '%' {
            out.push('%');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let case = match (upper, lower) {
        (true, false) => Some("upper"),
        (false, true) => Some("lower"),
        _ => None,
    };
    let mixed_case = (upper && lower)
        || (case.is_some() && as_is)
        || (case == Some("upper") && quoted.chars().any(|c| c.is_lowercase()))
        || (case == Some("lower") && quoted.chars().any(|c| c.is_uppercase()));
    Some(MyDateFormat {
        format: out,
        case,
        mixed_case,
        padded_names: long_names,
        fraction_digits,
    })
}

fn date_unit(fmt: &str) -> Option<&'static str> {
    Some(match fmt.to_ascii_uppercase().as_str() {
        "DD" | "DDD" | "J" => "day",
        "MM" | "MON" | "MONTH" | "RM" => "month",
        "YYYY" | "YEAR" | "YYY" | "YY" | "Y" | "SYYYY" | "SYEAR" => "year",
        "Q" => "quarter",
        "HH" | "HH24" | "HH12" => "hour",
        "MI" => "minute",
        "IW" => "week",
        "CC" | "SCC" => "century",
        _ => return None,
    })
}

/// Format model elements that PostgreSQL reads or writes differently; `None` when all is well.
pub fn format_problems(fmt: &str) -> Option<String> {
    let up = fmt.to_ascii_uppercase();
    let mut probs = Vec::new();
    // Strip quoted literal text.
    let mut plain = String::new();
    let mut inq = false;
    for ch in up.chars() {
        if ch == '"' {
            inq = !inq;
        } else if !inq {
            plain.push(ch);
        }
    }
    for (el, why) in [
        ("RRRR", "RRRR (round year)"),
        ("RR", "RR (two-digit round year)"),
        ("SSSSS", "SSSSS (seconds past midnight: SSSS on the target)"),
        ("TZR", "TZR (time zone region)"),
        ("TZD", "TZD (daylight-saving abbreviation)"),
        ("FF7", "FF7-FF9 (the target keeps 6 fractional digits)"),
        ("FF8", "FF7-FF9 (the target keeps 6 fractional digits)"),
        ("FF9", "FF7-FF9 (the target keeps 6 fractional digits)"),
        ("X", "X (local radix character)"),
        ("DL", "DL/DS (locale date formats)"),
        ("DS", "DL/DS (locale date formats)"),
        ("TS", "TS (locale time format)"),
        ("EE", "EE/E (era names)"),
        ("SYYYY", "SYYYY (signed year)"),
    ] {
        if plain.contains(el) && !probs.contains(&why) {
            probs.push(why);
        }
    }
    if probs.is_empty() {
        None
    } else {
        Some(probs.join(", "))
    }
}

/// Evaluates `TO_DATE('literal', 'format')` at conversion time, the way Oracle reads it, for
/// the common format elements. `None` when the format has other elements or the value does not
/// match (the call is then converted to `to_timestamp`).
///
/// Two-digit years: `YY` is in the current century and `RR` rounds (00-49 -> 2000s, 50-99 ->
/// 1900s), taking the current century as 2000-2049 so that output never depends on the clock.
pub fn fold_to_date(value: &str, fmt: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
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
    // Format models are ASCII; anything else is left to the target's to_timestamp.
    if !fmt.is_ascii() {
        return None;
    }
    let f = fmt.to_ascii_uppercase();
    let v = value.trim().as_bytes();
    let v_up = value.trim().to_ascii_uppercase();
    let vu = v_up.as_bytes();
    let fb = f.as_bytes();
    let (mut i, mut j) = (0usize, 0usize);
    let (mut year, mut month, mut day) = (None::<i64>, None::<i64>, Some(1i64));
    let (mut hour, mut min, mut sec) = (0i64, 0i64, 0i64);
    let mut pm: Option<bool> = None;
    let mut hour12 = false;
    let digits = |j: &mut usize, max: usize| -> Option<(i64, usize)> {
        let start = *j;
        while *j < v.len() && *j - start < max && v[*j].is_ascii_digit() {
            *j += 1;
        }
        if *j == start {
            return None;
        }
        std::str::from_utf8(&v[start..*j])
            .ok()?
            .parse()
            .ok()
            .map(|n| (n, *j - start))
    };
    while i < fb.len() {
        let rest = &f[i..];
        let tok = [
            "YYYY", "RRRR", "HH24", "HH12", "MONTH", "MON", "YY", "RR", "MM", "DD", "HH", "MI",
            "SS", "AM", "PM",
        ]
        .into_iter()
        .find(|t| rest.starts_with(t));
        match tok {
            Some(t) => {
                i += t.len();
                match t {
                    "YYYY" => year = Some(digits(&mut j, 4)?.0),
                    "RRRR" | "RR" => {
                        let (n, len) = digits(&mut j, 4)?;
                        year = Some(if len > 2 {
                            n
                        } else if n < 50 {
                            2000 + n
                        } else {
                            1900 + n
                        });
                    }
                    "YY" => year = Some(2000 + digits(&mut j, 2)?.0),
                    "MM" => month = Some(digits(&mut j, 2)?.0),
                    "DD" => day = Some(digits(&mut j, 2)?.0),
                    "HH24" => hour = digits(&mut j, 2)?.0,
                    "HH12" | "HH" => {
                        hour = digits(&mut j, 2)?.0;
                        hour12 = true;
                    }
                    "MI" => min = digits(&mut j, 2)?.0,
                    "SS" => sec = digits(&mut j, 2)?.0,
                    "MON" | "MONTH" => {
                        let k = MONTHS.iter().position(|m| {
                            let full = vu[j..].starts_with(m.as_bytes());
                            full || (vu.len() >= j + 3 && vu[j..j + 3] == m.as_bytes()[..3])
                        })?;
                        let m = MONTHS[k].as_bytes();
                        j += if vu[j..].starts_with(m) { m.len() } else { 3 };
                        month = Some(k as i64 + 1);
                        while t == "MONTH" && j < v.len() && v[j] == b' ' {
                            j += 1;
                        }
                    }
                    _ => {
                        // AM / PM
                        if vu[j..].starts_with(b"AM") {
                            pm = Some(false);
                        } else if vu[j..].starts_with(b"PM") {
                            pm = Some(true);
                        } else {
                            return None;
                        }
                        j += 2;
                    }
                }
            }
            None => {
                let c = fb[i];
                if c.is_ascii_alphanumeric() || c == b'"' {
                    return None;
                }
                i += 1;
                // Oracle matches any punctuation for a separator, or none.
                if j < v.len() && !v[j].is_ascii_alphanumeric() {
                    j += 1;
                }
            }
        }
    }
    if j != v.len() {
        return None;
    }
    let (year, month, day) = (year?, month?, day?);
    if hour12 {
        if !(1..=12).contains(&hour) {
            return None;
        }
        if pm == Some(true) && hour < 12 {
            hour += 12;
        } else if pm == Some(false) && hour == 12 {
            hour = 0;
        }
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let mdays = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > mdays[month as usize - 1]
        || hour > 23
        || min > 59
        || sec > 59
    {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02} {hour:02}:{min:02}:{sec:02}"
    ))
}

#[cfg(test)]
mod fold_tests {
    use super::{fold_to_date, mysql_date_format};

    #[test]
    fn mysql_formats() {
        let f = |s: &str| mysql_date_format(s).map(|f| (f.format, f.case, f.mixed_case));
        assert_eq!(
            f("YYYY-MM-DD HH24:MI:SS"),
            Some(("%Y-%m-%d %H:%i:%s".to_string(), None, false))
        );
        assert_eq!(
            f("DD-MON-RR"),
            Some(("%d-%b-%y".to_string(), Some("upper"), false))
        );
        assert_eq!(f("Dy Mon"), Some(("%a %b".to_string(), None, false)));
        assert_eq!(f("mon"), Some(("%b".to_string(), Some("lower"), false)));
        assert!(f("MON Dy").is_some_and(|f| f.2));
        assert!(f("\"on\" MON").is_some_and(|f| f.2));
        assert_eq!(f("\"Q\"Q YYYY"), None, "quarter has no date_format element");
        assert_eq!(
            f("\"at\" HH:MI AM %"),
            Some(("at %h:%i %p %%".to_string(), None, false))
        );
        assert!(mysql_date_format("HH24:MI:SS.FF3").is_some_and(|f| f.fraction_digits));
        assert!(mysql_date_format("FMMonth").is_some_and(|f| !f.padded_names));
        assert!(mysql_date_format("Month").is_some_and(|f| f.padded_names));
    }

    #[test]
    fn folds_common_formats() {
        assert_eq!(
            fold_to_date("05-APR-17", "DD-MON-RR").as_deref(),
            Some("2017-04-05 00:00:00")
        );
        assert_eq!(
            fold_to_date("05-APR-87", "DD-MON-RR").as_deref(),
            Some("1987-04-05 00:00:00")
        );
        assert_eq!(
            fold_to_date("17-JUN-1987", "DD-MON-YYYY").as_deref(),
            Some("1987-06-17 00:00:00")
        );
        assert_eq!(
            fold_to_date("2020-03-05 10:11:12", "YYYY-MM-DD HH24:MI:SS").as_deref(),
            Some("2020-03-05 10:11:12")
        );
        assert_eq!(
            fold_to_date("03/05/2020 01:02:03 PM", "MM/DD/YYYY HH:MI:SS AM").as_deref(),
            Some("2020-03-05 13:02:03")
        );
        assert_eq!(fold_to_date("2020-02-30", "YYYY-MM-DD"), None);
        assert_eq!(
            fold_to_date("2020-02", "YYYY-MM"),
            Some("2020-02-01 00:00:00".into())
        );
        assert_eq!(fold_to_date("x", "YYYY"), None);
        assert_eq!(fold_to_date("2020", "YYYY Q"), None);
        assert_eq!(fold_to_date("2020-01-01", "YYYY-MM-\u{af}D"), None);
    }
}
