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
fn resolve_anchor(
    src: &SourceType,
    syms: &super::symbols::Symbols,
    found: &mut Vec<Finding>,
) -> SourceType {
    let Some(base) = src.name.strip_suffix("%TYPE") else {
        return src.clone();
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
            return ty;
        }
    }
    src.clone()
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
    let fill = |tpl: &str, n: Option<u32>, p: Option<u32>, s: Option<i32>| {
        tpl.replace("{n}", &n.map(|v| v.to_string()).unwrap_or_default())
            .replace("{p}", &p.map(|v| v.to_string()).unwrap_or_default())
            .replace("{s}", &s.map(|v| v.to_string()).unwrap_or_default())
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
pub fn infer_virtual_types(module: &mut Module, _ctx: &mut Ctx) {
    for o in &mut module.objects {
        let Stmt::CreateTable(t) = &mut o.stmt else {
            continue;
        };
        let mut fs = Vec::new();
        for c in &mut t.columns {
            if c.ty.source.name.is_empty()
                && let Some(g) = &c.generated
            {
                let texty = matches!(
                    &g.expr,
                    Expr::Binary {
                        op: BinOp::Concat,
                        ..
                    }
                ) || matches!(&g.expr, Expr::Call(call) if ["SUBSTR", "UPPER", "LOWER", "TRIM", "CONCAT", "TO_CHAR", "LTRIM", "RTRIM", "REPLACE"].contains(&call.name.name().value.as_str()));
                c.ty.source.name = if texty {
                    "VARCHAR2".into()
                } else {
                    "NUMBER".into()
                };
                c.ty.source.args = if texty { vec![Some(4000)] } else { vec![] };
                fs.push((c.name.span, c.name.value.clone(), texty));
            }
        }
        for (span, name, texty) in fs {
            flag(
                o,
                &codes::UNKNOWN_TYPE,
                span,
                &[
                    &format!("of virtual column {name} (not declared)"),
                    if texty { "varchar(4000)" } else { "numeric" },
                ],
            );
        }
    }
}
