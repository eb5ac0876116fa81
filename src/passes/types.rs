//! Data types: source type -> IR type (with guards) -> target spelling (rules/types/*.toml).
//!
//! Invariant: after this pass every column and CAST has `TypeRef::ir` and `TypeRef::target`.

use serde::Deserialize;
use std::sync::OnceLock;

use super::{Ctx, flag};
use crate::diag::{Code, Finding};
use crate::ir::visit::VisitMut;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;
use crate::{SourceDialect, Target};

/// Target spellings, from `rules/types/<target>.toml`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Spellings {
    pub bool: String,
    pub int8: String,
    pub int16: String,
    pub int32: String,
    pub int64: String,
    pub decimal: String,
    pub decimal_p: String,
    pub decimal_ps: String,
    pub float32: String,
    pub float64: String,
    pub varchar: String,
    pub varchar_unbounded: String,
    pub char: String,
    pub text: String,
    pub binary: String,
    pub varbinary: String,
    pub blob: String,
    pub date: String,
    pub timestamp: String,
    pub timestamp_p: String,
    pub timestamptz: String,
    pub timestamptz_p: String,
    pub time: String,
    pub time_p: String,
    pub interval_ym: String,
    pub interval_ds: String,
    pub interval_ds_p: String,
    pub xml: String,
    pub json: String,
    pub uuid: String,
    pub money: String,
    pub unsupported: String,
    /// What to do with a spatial column (TYP004).
    pub spatial: String,
    /// What TIMESTAMP WITH TIME ZONE (TYP016) and WITH LOCAL TIME ZONE (TYP007) become.
    pub timestamptz_note: String,
    pub timestampltz_note: String,
    pub max_timestamp_precision: u32,
    pub max_decimal_precision: u32,
    /// Largest DECIMAL scale (MySQL: 30); none when only the precision is limited.
    #[serde(default)]
    pub max_decimal_scale: Option<u32>,
    /// Longest VARCHAR in characters (MySQL: 16,383 utf8mb4 characters); none = no limit.
    #[serde(default)]
    pub max_varchar: Option<u32>,
}

pub fn spellings(target: Target) -> &'static Spellings {
    static PG: OnceLock<Spellings> = OnceLock::new();
    static MY: OnceLock<Spellings> = OnceLock::new();
    match target {
        Target::Postgres => PG.get_or_init(|| {
            toml::from_str(include_str!("../../rules/types/postgres.toml"))
                .expect("rules/types/postgres.toml is valid (checked by tests)")
        }),
        Target::Mysql => MY.get_or_init(|| {
            toml::from_str(include_str!("../../rules/types/mysql.toml"))
                .expect("rules/types/mysql.toml is valid (checked by tests)")
        }),
    }
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    let sp = spellings(ctx.target());
    let dialect = ctx.opts.from;
    let syms = &ctx.symbols;
    for o in &mut module.objects {
        let mut v = TypeVisitor {
            sp,
            tinyint: ctx.opts.to == Target::Mysql,
            dialect,
            found: Vec::new(),
            syms,
        };
        super::walk_object(&mut v, o);
        super::add_unique(o, v.found);
    }
}

struct TypeVisitor<'a> {
    sp: &'static Spellings,
    /// The target has a signed 8-bit integer (MySQL TINYINT) for NUMBER(1) and NUMBER(2);
    /// also: the target is MySQL.
    tinyint: bool,
    dialect: SourceDialect,
    found: Vec<Finding>,
    syms: &'a super::symbols::Symbols,
}

impl VisitMut for TypeVisitor<'_> {
    fn type_ref(&mut self, t: &mut TypeRef) {
        if t.target.is_some() || t.source.name.is_empty() {
            return;
        }
        // An array of the type (a PL/SQL collection, from the plsql pass): modifier `[]`.
        let array = t
            .source
            .modifier
            .as_deref()
            .is_some_and(|m| m.ends_with("[]"));
        if array {
            let mut elem = t.source.clone();
            elem.modifier = elem
                .modifier
                .as_deref()
                .map(|m| m.trim_end_matches("[]").trim().to_string())
                .filter(|m| !m.is_empty());
            let mut e = TypeRef::new(elem);
            self.type_ref(&mut e);
            t.target = e.target.map(|s| format!("{s}[]"));
            t.ir = e.ir;
            return;
        }
        // A type of the input (object or collection type): its own name.
        // (MySQL: such types are not created; the column is flagged as a user type.)
        if t.source.args.is_empty()
            && !t.source.name.contains('%')
            && self.dialect == SourceDialect::Oracle
            && !self.tinyint
            && !self.syms.types.is_empty()
        {
            let q = QName {
                parts: t
                    .source
                    .name
                    .split('.')
                    .map(|p| Ident::new(p, t.source.span))
                    .collect(),
                dblink: None,
            };
            if self.syms.user_type(&q).is_some() {
                t.target = Some(t.source.name.to_lowercase());
                return;
            }
        }
        let src = resolve_anchor(&t.source, self.syms, &mut self.found);
        let ir = match self.dialect {
            SourceDialect::Oracle => oracle_type(&src, self.sp, &mut self.found),
            SourceDialect::Tsql | SourceDialect::Ase => {
                match super::types_tsql::tsql_type(
                    &src,
                    crate::frontend::tsql::Flavor::of(self.dialect),
                    if self.tinyint {
                        Target::Mysql
                    } else {
                        Target::Postgres
                    },
                    &mut self.found,
                ) {
                    // T-SQL TINYINT is unsigned (0-255); the IR's 8-bit integer is spelled as
                    // MySQL's signed TINYINT, so it takes the next size up there.
                    Type::Int { bits: 8 } if self.tinyint => Type::Int { bits: 16 },
                    other => other,
                }
            }
        };
        let ir = match ir {
            Type::Int { bits: 16 }
                if self.tinyint
                    && self.dialect == SourceDialect::Oracle
                    && src.args.first().copied().flatten().is_some_and(|p| p <= 2)
                    && src.args.get(1).copied().flatten().unwrap_or(0) == 0 =>
            {
                Type::Int { bits: 8 }
            }
            other => other,
        };
        t.target = Some(spell(&ir, self.sp, &src, &mut self.found));
        t.ir = Some(ir);
    }
}

fn f(found: &mut Vec<Finding>, code: &'static Code, span: Span, args: &[&str]) {
    found.push(Finding::new(code, span, args));
}

/// `t.col%TYPE` -> the column's declared type when the table is in the input.
fn resolve_anchor<'s>(
    src: &'s SourceType,
    syms: &super::symbols::Symbols,
    found: &mut Vec<Finding>,
) -> std::borrow::Cow<'s, SourceType> {
    use std::borrow::Cow;
    let Some(base) = src.name.strip_suffix("%TYPE") else {
        return Cow::Borrowed(src);
    };
    let parts: Vec<&str> = base.split('.').collect();
    if parts.len() >= 2 {
        let col = parts[parts.len() - 1];
        let tparts: Vec<Ident> = parts[..parts.len() - 1]
            .iter()
            .map(|p| Ident::new(*p, src.span))
            .collect();
        let q = QName {
            parts: tparts,
            dblink: None,
        };
        if let Some(t) = syms.table(&q)
            && let Some((_, ty)) = t.columns.iter().find(|(n, _)| n == col)
        {
            let mut ty = ty.clone();
            ty.span = src.span;
            f(
                found,
                &codes::TYPE_REFERENCE,
                src.span,
                &[&src.name, &ty.name],
            );
            return Cow::Owned(ty);
        }
    }
    Cow::Borrowed(src)
}

/// Oracle type -> IR type, with the guards of DESIGN.md (NUMBER by precision, DATE keeps its
/// time, LOBs, national types).
pub fn oracle_type(src: &SourceType, sp: &Spellings, found: &mut Vec<Finding>) -> Type {
    let a0 = src.args.first().copied().flatten();
    let a1 = src.args.get(1).copied().flatten();
    let span = src.span;
    let len = |d: u32| a0.map(|v| v.clamp(1, u32::MAX as i64) as u32).unwrap_or(d);
    let name = src.name.as_str();
    // Unqualified view of SYS.XMLTYPE, MDSYS.SDO_GEOMETRY, PUBLIC.XMLTYPE.
    let base = name.rsplit('.').next().unwrap_or(name);
    match base {
        "NUMBER" | "NUMERIC" | "DECIMAL" | "DEC" => {
            let star = src.args.first().is_some_and(|a| a.is_none());
            match (a0, a1, star) {
                (None, None, false) => {
                    if name == "NUMBER" {
                        f(found, &codes::NUMBER_UNBOUNDED, span, &[&sp.decimal]);
                        Type::Decimal {
                            precision: None,
                            scale: None,
                        }
                    } else {
                        // ANSI NUMERIC/DECIMAL without precision is NUMBER(38,0) in Oracle.
                        Type::Decimal {
                            precision: Some(38),
                            scale: Some(0),
                        }
                    }
                }
                (None, Some(s), true) => Type::Decimal {
                    precision: Some(38),
                    scale: Some(s as i32),
                },
                (None, _, _) => Type::Decimal {
                    precision: None,
                    scale: None,
                },
                (Some(p), s, _) => {
                    let s = s.unwrap_or(0);
                    if s == 0 {
                        match p {
                            ..=4 => Type::Int { bits: 16 },
                            5..=9 => Type::Int { bits: 32 },
                            10..=18 => Type::Int { bits: 64 },
                            _ => Type::Decimal {
                                precision: Some(p as u32),
                                scale: Some(0),
                            },
                        }
                    } else {
                        Type::Decimal {
                            precision: Some(p as u32),
                            scale: Some(s as i32),
                        }
                    }
                }
            }
        }
        "INTEGER" | "INT" | "SMALLINT" => Type::Decimal {
            precision: Some(38),
            scale: Some(0),
        },
        "FLOAT" | "REAL" | "DOUBLE PRECISION" => {
            let bits = if base == "REAL" {
                63
            } else {
                a0.unwrap_or(126)
            };
            // Oracle FLOAT(b) is a decimal NUMBER with binary precision b, not IEEE floating point.
            f(
                found,
                &codes::FLOAT_PRECISION,
                span,
                &[&bits.to_string(), &sp.decimal],
            );
            Type::Decimal {
                precision: None,
                scale: None,
            }
        }
        "BINARY_FLOAT" => Type::Float { double: false },
        "BINARY_DOUBLE" => Type::Float { double: true },
        "VARCHAR2" | "VARCHAR" | "CHARACTER VARYING" | "CHAR VARYING" => Type::Varchar {
            len: Some(len(4000)),
            national: false,
        },
        "NVARCHAR2" | "NCHAR VARYING" | "NATIONAL CHARACTER VARYING" => Type::Varchar {
            len: Some(len(2000)),
            national: true,
        },
        "CHAR" | "CHARACTER" => Type::Char {
            len: len(1),
            national: false,
        },
        "NCHAR" => Type::Char {
            len: len(1),
            national: true,
        },
        "CLOB" => Type::Text { national: false },
        "NCLOB" => Type::Text { national: true },
        "LONG" => {
            f(found, &codes::LONG_TYPE, span, &["LONG", &sp.text]);
            Type::Text { national: false }
        }
        "BLOB" => Type::Blob,
        "RAW" => Type::Binary {
            len: a0.map(|v| v as u32),
            fixed: false,
        },
        "LONG RAW" => {
            f(found, &codes::LONG_TYPE, span, &["LONG RAW", &sp.blob]);
            Type::Blob
        }
        "DATE" => {
            f(
                found,
                &codes::DATE_HAS_TIME,
                span,
                &[&sp.timestamp_p.replace("{p}", "0")],
            );
            Type::Timestamp {
                precision: Some(0),
                tz: Tz::None,
            }
        }
        "TIMESTAMP" => Type::Timestamp {
            precision: Some(a0.unwrap_or(6) as u32),
            tz: Tz::None,
        },
        "TIMESTAMP WITH TIME ZONE" => {
            f(
                found,
                &codes::TIME_ZONE_OFFSET,
                span,
                &[&sp.timestamptz, &sp.timestamptz_note],
            );
            Type::Timestamp {
                precision: Some(a0.unwrap_or(6) as u32),
                tz: Tz::With,
            }
        }
        "TIMESTAMP WITH LOCAL TIME ZONE" => {
            f(
                found,
                &codes::LOCAL_TIME_ZONE,
                span,
                &[&sp.timestamptz, &sp.timestampltz_note],
            );
            Type::Timestamp {
                precision: Some(a0.unwrap_or(6) as u32),
                tz: Tz::Local,
            }
        }
        "INTERVAL YEAR TO MONTH" => Type::IntervalYearMonth,
        "INTERVAL DAY TO SECOND" => Type::IntervalDaySecond {
            precision: Some(src.args.get(1).copied().flatten().unwrap_or(6) as u32),
        },
        "XMLTYPE" => {
            f(found, &codes::XMLTYPE, span, &[&sp.xml]);
            Type::Xml
        }
        "JSON" => Type::Json,
        "BOOLEAN" | "BOOL" => Type::Bool,
        "ROWID" | "UROWID" => {
            f(found, &codes::ROWID_TYPE, span, &[base, &sp.unsupported]);
            Type::Unsupported {
                source: base.to_string(),
            }
        }
        "BFILE" => {
            f(found, &codes::BFILE_TYPE, span, &[&sp.unsupported]);
            Type::Unsupported {
                source: base.to_string(),
            }
        }
        "SDO_GEOMETRY" | "SDO_TOPO_GEOMETRY" | "SDO_GEORASTER" => {
            f(found, &codes::SPATIAL_TYPE, span, &[name, &sp.spatial]);
            Type::Unsupported {
                source: name.to_string(),
            }
        }
        "ANYDATA" | "ANYTYPE" | "ANYDATASET" => {
            f(found, &codes::UNKNOWN_TYPE, span, &[name, &sp.unsupported]);
            Type::Unsupported {
                source: name.to_string(),
            }
        }
        _ => {
            if name.ends_with("%TYPE") || name.ends_with("%ROWTYPE") {
                f(found, &codes::UNKNOWN_TYPE, span, &[name, &sp.unsupported]);
            } else {
                f(found, &codes::USER_DEFINED_TYPE, span, &[name]);
            }
            Type::Unsupported {
                source: name.to_string(),
            }
        }
    }
}

/// IR type -> target spelling, raising findings where the target cannot keep a property.
pub fn spell(t: &Type, sp: &Spellings, src: &SourceType, found: &mut Vec<Finding>) -> String {
    // `{n}`, `{p}` and `{s}` replaced in one scan (the values are numbers: no replacement
    // makes a new placeholder).
    let fill = |tpl: &str, n: Option<u32>, p: Option<u32>, s: Option<i32>| {
        use std::fmt::Write;
        let mut out = String::with_capacity(tpl.len() + 8);
        let mut rest = tpl;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let r = &rest[i..];
            let (value, after) = if let Some(after) = r.strip_prefix("{n}") {
                (n.map(i64::from), after)
            } else if let Some(after) = r.strip_prefix("{p}") {
                (p.map(i64::from), after)
            } else if let Some(after) = r.strip_prefix("{s}") {
                (s.map(i64::from), after)
            } else {
                out.push('{');
                rest = &r[1..];
                continue;
            };
            if let Some(v) = value {
                let _ = write!(out, "{v}");
            }
            rest = after;
        }
        out.push_str(rest);
        out
    };
    match t {
        Type::Bool => sp.bool.clone(),
        Type::Int { bits } => match bits {
            8 => sp.int8.clone(),
            16 => sp.int16.clone(),
            32 => sp.int32.clone(),
            _ => sp.int64.clone(),
        },
        Type::Decimal { precision, scale } => match (precision, scale) {
            (None, _) => sp.decimal.clone(),
            (Some(p), s) => {
                let p = if *p > sp.max_decimal_precision {
                    f(
                        found,
                        &codes::INTERVAL_PRECISION,
                        src.span,
                        &[&src.name, &sp.decimal],
                    );
                    sp.max_decimal_precision
                } else {
                    *p
                };
                match s {
                    None | Some(0) => fill(&sp.decimal_p, None, Some(p), None),
                    Some(s) => fill(&sp.decimal_ps, None, Some(p), Some(*s)),
                }
            }
        },
        Type::Float { double } => {
            if *double {
                sp.float64.clone()
            } else {
                sp.float32.clone()
            }
        }
        Type::Varchar { len, .. } => match len {
            Some(n) => fill(&sp.varchar, Some(*n), None, None),
            None => sp.varchar_unbounded.clone(),
        },
        Type::Char { len, .. } => fill(&sp.char, Some(*len), None, None),
        Type::Text { .. } => sp.text.clone(),
        Type::Binary { fixed, len } => {
            let tpl = if *fixed { &sp.binary } else { &sp.varbinary };
            fill(tpl, Some(len.unwrap_or(2000)), None, None)
        }
        Type::Blob => sp.blob.clone(),
        Type::Date => sp.date.clone(),
        Type::Timestamp { precision, tz } => {
            let max = sp.max_timestamp_precision;
            let (plain, with_p) = match tz {
                Tz::None => (&sp.timestamp, &sp.timestamp_p),
                Tz::With | Tz::Local => (&sp.timestamptz, &sp.timestamptz_p),
            };
            let p = precision.map(|p| {
                if p > max {
                    f(
                        found,
                        &codes::INTERVAL_PRECISION,
                        src.span,
                        &[&format!("{}({p})", src.name), plain.as_str()],
                    );
                    max
                } else {
                    p
                }
            });
            match p {
                Some(p) if p != max => fill(with_p, None, Some(p), None),
                _ => plain.clone(),
            }
        }
        Type::Time { precision } => match precision {
            Some(p) => fill(
                &sp.time_p,
                None,
                Some(*p.min(&sp.max_timestamp_precision)),
                None,
            ),
            None => sp.time.clone(),
        },
        Type::IntervalYearMonth => sp.interval_ym.clone(),
        Type::IntervalDaySecond { precision } => match precision {
            Some(p) if *p != 6 => fill(
                &sp.interval_ds_p,
                None,
                Some(*p.min(&sp.max_timestamp_precision)),
                None,
            ),
            _ => sp.interval_ds.clone(),
        },
        Type::Xml => sp.xml.clone(),
        Type::Json => sp.json.clone(),
        Type::Uuid => sp.uuid.clone(),
        Type::Money => sp.money.clone(),
        Type::Unsupported { .. } => sp.unsupported.clone(),
    }
}

/// Gives typeless virtual columns a type (numeric unless the expression builds a string).
/// Virtual (computed) columns without a declared type get one from their expression (TYP031):
/// the kinds of the columns, literals and functions it uses. What cannot be told keeps the
/// old guess (text for concatenations, else a number) under TYP011.
pub fn infer_virtual_types(module: &mut Module, ctx: &mut Ctx) {
    let oracle = ctx.opts.from == crate::SourceDialect::Oracle;
    for o in &mut module.objects {
        let Stmt::CreateTable(t) = &mut o.stmt else {
            continue;
        };
        // Only typeless generated columns are typed here.
        if !t
            .columns
            .iter()
            .any(|c| c.ty.source.name.is_empty() && c.generated.is_some())
        {
            continue;
        }
        let declared: Vec<(String, SourceType)> = t
            .columns
            .iter()
            .filter(|c| !c.ty.source.name.is_empty())
            .map(|c| (c.name.value.clone(), c.ty.source.clone()))
            .collect();
        let mut fs = Vec::new();
        for c in &mut t.columns {
            if !c.ty.source.name.is_empty() {
                continue;
            }
            let Some(g) = &c.generated else { continue };
            let kind = expr_kind(&g.expr, &declared);
            let (name, args, shown): (&str, Vec<Option<i64>>, &str) = match (kind, oracle) {
                (Some(ExprKind::Int(bits)), false) if bits > 32 => {
                    ("BIGINT", vec![], "an integer (bigint)")
                }
                (Some(ExprKind::Int(_)), false) => ("INT", vec![], "an integer (integer)"),
                (Some(ExprKind::Int(_) | ExprKind::Num), _) => {
                    ("NUMBER", vec![], "a number (numeric)")
                }
                (Some(ExprKind::Float), true) => ("BINARY_DOUBLE", vec![], "a float (double)"),
                (Some(ExprKind::Float), false) => ("FLOAT", vec![], "a float (double)"),
                (Some(ExprKind::Text), true) => {
                    ("VARCHAR2", vec![Some(4000)], "a string (varchar(4000))")
                }
                (Some(ExprKind::Text), false) => {
                    ("NVARCHAR", vec![Some(4000)], "a string (varchar(4000))")
                }
                (Some(ExprKind::Date), true) => ("DATE", vec![], "a date and time"),
                (Some(ExprKind::Date), false) => ("DATETIME2", vec![], "a date and time"),
                (None, _) => {
                    // The old guess, for the finding that says a person must check it.
                    let texty = matches!(
                        &g.expr,
                        Expr::Binary {
                            op: BinOp::Concat,
                            ..
                        }
                    );
                    if texty {
                        let n = if oracle { "VARCHAR2" } else { "NVARCHAR" };
                        (n, vec![Some(4000)], "")
                    } else {
                        ("NUMBER", vec![], "")
                    }
                }
            };
            c.ty.source.name = name.into();
            c.ty.source.args = args;
            fs.push((c.name.span, c.name.value.clone(), shown, name == "NUMBER"));
        }
        for (span, name, shown, number) in fs {
            if shown.is_empty() {
                flag(
                    o,
                    &codes::UNKNOWN_TYPE,
                    span,
                    &[
                        &format!("of virtual column {name} (not declared)"),
                        if number { "numeric" } else { "varchar(4000)" },
                    ],
                );
            } else {
                flag(o, &codes::VIRTUAL_TYPE_INFERRED, span, &[&name, shown]);
            }
        }
    }
}

/// What an expression computes, as far as the declared columns and the functions tell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ExprKind {
    /// An integer of this many bits at most.
    Int(u8),
    Num,
    Float,
    Text,
    Date,
}

pub(crate) fn source_kind(name: &str, args: &[Option<i64>]) -> Option<ExprKind> {
    use ExprKind::*;
    let base = name.rsplit('.').next().unwrap_or(name);
    Some(match base {
        "BIT" | "TINYINT" | "SMALLINT" | "INT" | "INTEGER" => Int(32),
        "BIGINT" => Int(64),
        "NUMBER" | "NUMERIC" | "DECIMAL" | "DEC" | "MONEY" | "SMALLMONEY" => Num,
        "FLOAT" | "REAL" | "DOUBLE PRECISION" | "BINARY_FLOAT" | "BINARY_DOUBLE" => Float,
        "CHAR" | "NCHAR" | "VARCHAR" | "VARCHAR2" | "NVARCHAR" | "NVARCHAR2" | "TEXT" | "NTEXT"
        | "CLOB" | "NCLOB" | "SYSNAME" | "UNICHAR" | "UNIVARCHAR" | "UNITEXT" | "CHAR VARYING"
        | "CHARACTER VARYING" => Text,
        "DATE" | "DATETIME" | "DATETIME2" | "SMALLDATETIME" | "TIMESTAMP" => Date,
        _ => return None,
    })
    .map(|k| match (k, args) {
        // NUMBER(p) / DECIMAL(p, 0) of a few digits is an integer.
        (Num, [Some(p)] | [Some(p), Some(0)]) if *p <= 18 && base != "MONEY" => {
            Int(if *p <= 9 { 32 } else { 64 })
        }
        (k, _) => k,
    })
}

pub(crate) fn expr_kind(e: &Expr, cols: &[(String, SourceType)]) -> Option<ExprKind> {
    use ExprKind::*;
    let num = |a: ExprKind, b: ExprKind| -> Option<ExprKind> {
        Some(match (a, b) {
            (Int(x), Int(y)) => Int(x.max(y)),
            (Float, Int(_) | Num | Float) | (Int(_) | Num, Float) => Float,
            (Int(_) | Num, Int(_) | Num) => Num,
            _ => return None,
        })
    };
    match e {
        Expr::Number(n, _) => Some(if n.contains(['.', 'e', 'E']) {
            Num
        } else {
            Int(if n.len() < 10 { 32 } else { 64 })
        }),
        Expr::String(..) | Expr::NString(..) => Some(Text),
        Expr::TypedString { .. } => Some(Date),
        Expr::Column(q) if q.parts.len() <= 2 => {
            let n = &q.name().value;
            let (_, ty) = cols.iter().find(|(c, _)| c.eq_ignore_ascii_case(n))?;
            source_kind(&ty.name, &ty.args)
        }
        Expr::Unary { expr, .. } => expr_kind(expr, cols),
        Expr::Binary {
            op, left, right, ..
        } => {
            let (l, r) = (expr_kind(left, cols)?, expr_kind(right, cols)?);
            match op {
                BinOp::Concat => Some(Text),
                // T-SQL `+` on strings concatenates.
                BinOp::Add if l == Text || r == Text => (l == r).then_some(Text),
                BinOp::Add | BinOp::Sub if l == Date || r == Date => None,
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => num(l, r),
                _ => None,
            }
        }
        Expr::Case(c) => c
            .whens
            .first()
            .map(|(_, then)| then)
            .or(c.else_.as_ref())
            .and_then(|x| expr_kind(x, cols)),
        Expr::Cast { ty, .. } => source_kind(&ty.source.name, &ty.source.args),
        Expr::Call(c) if c.name.parts.len() == 1 => {
            let arg = |i: usize| c.args.get(i).and_then(|a| expr_kind(&a.value, cols));
            match c.name.name().value.to_ascii_uppercase().as_str() {
                "ISNULL" | "NVL" | "COALESCE" | "IFNULL" | "ABS" | "ROUND" | "FLOOR" | "CEIL"
                | "CEILING" | "TRUNC" => arg(0).or_else(|| arg(1)),
                // CONVERT(type, x): the type is written as a name or a call `nvarchar(23)`.
                "CONVERT" => match c.args.first().map(|a| &a.value) {
                    Some(Expr::Column(q)) => source_kind(&q.name().value.to_uppercase(), &[]),
                    Some(Expr::Call(t)) => source_kind(&t.name.name().value.to_uppercase(), &[]),
                    _ => None,
                },
                "UPPER" | "LOWER" | "SUBSTR" | "SUBSTRING" | "LEFT" | "RIGHT" | "REPLACE"
                | "LTRIM" | "RTRIM" | "TRIM" | "CONCAT" | "TO_CHAR" | "STR" | "REPLICATE"
                | "STUFF" | "LPAD" | "RPAD" | "INITCAP" => Some(Text),
                "LEN" | "LENGTH" | "DATALENGTH" | "DATEDIFF" | "DATEPART" | "YEAR" | "MONTH"
                | "DAY" | "CHARINDEX" | "INSTR" | "SIGN" => Some(Int(32)),
                "GETDATE" | "SYSDATE" | "DATEADD" | "ADD_MONTHS" | "LAST_DAY" => Some(Date),
                _ => None,
            }
        }
        _ => None,
    }
}
