//! T-SQL (SQL Server and SAP ASE) type -> IR type. Alias types are already replaced by their
//! base type in the front end.

use crate::Target;
use crate::diag::{Code, Finding};
use crate::frontend::tsql::Flavor;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

fn f(found: &mut Vec<Finding>, code: &'static Code, span: Span, args: &[&str]) {
    found.push(Finding::new(code, span, args));
}

pub fn tsql_type(
    src: &SourceType,
    flavor: Flavor,
    target: Target,
    found: &mut Vec<Finding>,
) -> Type {
    let my = target == Target::Mysql;
    let a0 = src.args.first().copied().flatten();
    let a1 = src.args.get(1).copied().flatten();
    let max = src.modifier.as_deref() == Some("MAX");
    let span = src.span;
    let name = src.name.as_str();
    let base = name.rsplit('.').next().unwrap_or(name);
    let len = |d: u32| a0.map(|v| v.clamp(1, u32::MAX as i64) as u32).unwrap_or(d);
    let approx = |found: &mut Vec<Finding>, to: &str, why: &str| {
        f(found, &codes::TSQL_TYPE_APPROX, span, &[base, to, why]);
    };
    match base {
        // 0/1 values (inserts write integers): smallint keeps them as written on PostgreSQL;
        // MySQL's BOOLEAN is TINYINT(1), which takes them.
        "BIT" if my => Type::Bool,
        "BIT" => Type::Int { bits: 16 },
        "TINYINT" => {
            // 0..255: smallint holds it.
            Type::Int { bits: 16 }
        }
        "SMALLINT" => Type::Int { bits: 16 },
        "INT" | "INTEGER" => Type::Int { bits: 32 },
        "BIGINT" => Type::Int { bits: 64 },
        "UNSIGNED SMALLINT" => Type::Int { bits: 32 },
        "UNSIGNED INT" | "UNSIGNED INTEGER" => Type::Int { bits: 64 },
        "UNSIGNED BIGINT" => Type::Decimal {
            precision: Some(20),
            scale: Some(0),
        },
        // Inferred for computed columns by passes::types (an unbounded numeric).
        "NUMBER" if src.args.is_empty() => Type::Decimal {
            precision: None,
            scale: None,
        },
        "DECIMAL" | "NUMERIC" | "DEC" => Type::Decimal {
            precision: Some(a0.unwrap_or(18).clamp(1, 1000) as u32),
            scale: Some(a1.unwrap_or(0) as i32),
        },
        "MONEY" => Type::Decimal {
            precision: Some(19),
            scale: Some(4),
        },
        "SMALLMONEY" => Type::Decimal {
            precision: Some(10),
            scale: Some(4),
        },
        "FLOAT" => Type::Float {
            double: a0.is_none_or(|n| n > 24),
        },
        "REAL" => Type::Float { double: false },
        "DOUBLE PRECISION" => Type::Float { double: true },
        "CHAR" | "CHARACTER" => Type::Char {
            len: len(1),
            national: false,
        },
        "NCHAR" | "UNICHAR" => Type::Char {
            len: len(1),
            national: true,
        },
        "VARCHAR" | "CHAR VARYING" | "CHARACTER VARYING" | "SYSNAME" | "LONGSYSNAME" => {
            if max {
                Type::Text { national: false }
            } else if base == "SYSNAME" {
                Type::Varchar {
                    len: Some(if flavor == Flavor::Ase { 30 } else { 128 }),
                    national: true,
                }
            } else {
                Type::Varchar {
                    len: Some(len(1)),
                    national: false,
                }
            }
        }
        "NVARCHAR" | "NCHAR VARYING" | "UNIVARCHAR" | "NATIONAL CHAR VARYING" => {
            if max {
                Type::Text { national: true }
            } else {
                Type::Varchar {
                    len: Some(len(1)),
                    national: true,
                }
            }
        }
        "TEXT" => Type::Text { national: false },
        "NTEXT" | "UNITEXT" => Type::Text { national: true },
        "IMAGE" => Type::Blob,
        "BINARY" => Type::Binary {
            len: Some(len(1)),
            fixed: true,
        },
        "VARBINARY" => {
            if max {
                Type::Blob
            } else {
                Type::Binary {
                    len: Some(len(1)),
                    fixed: false,
                }
            }
        }
        "DATETIME" => Type::Timestamp {
            precision: Some(3),
            tz: Tz::None,
        },
        "SMALLDATETIME" => Type::Timestamp {
            precision: Some(0),
            tz: Tz::None,
        },
        "DATETIME2" | "BIGDATETIME" => Type::Timestamp {
            precision: Some(a0.unwrap_or(6).clamp(0, 6) as u32),
            tz: Tz::None,
        },
        "DATETIMEOFFSET" if my => {
            approx(
                found,
                "datetime",
                "MySQL has no type with a time zone offset: the local time is kept, the offset is lost; store it in a separate column if it matters",
            );
            Type::Timestamp {
                precision: Some(a0.unwrap_or(6).clamp(0, 6) as u32),
                tz: Tz::None,
            }
        }
        "DATETIMEOFFSET" => {
            f(
                found,
                &codes::TIME_ZONE_OFFSET,
                span,
                &[
                    "timestamptz",
                    "the target stores an instant, not the original time zone or offset",
                ],
            );
            Type::Timestamp {
                precision: Some(a0.unwrap_or(6).clamp(0, 6) as u32),
                tz: Tz::With,
            }
        }
        "DATE" => Type::Date,
        "TIME" | "BIGTIME" => Type::Time {
            precision: Some(a0.unwrap_or(6).clamp(0, 6) as u32),
        },
        "UNIQUEIDENTIFIER" => Type::Uuid,
        "XML" => Type::Xml,
        "ROWVERSION" | "TIMESTAMP" => {
            approx(
                found,
                if my { "binary(8)" } else { "bytea" },
                "the value is not maintained automatically; add a trigger if code relies on it",
            );
            Type::Binary {
                len: Some(8),
                fixed: true,
            }
        }
        "SQL_VARIANT" => {
            approx(found, "text", "the base type of each value is lost");
            Type::Text { national: false }
        }
        // The string form ('/1/3/'), short enough for a MySQL key (892 bytes is the
        // type's own limit).
        "HIERARCHYID" if my => {
            approx(
                found,
                "varbinary(892)",
                "hierarchy methods (GetAncestor, IsDescendantOf ...) need manual code, and the string form does not sort like hierarchyid",
            );
            Type::Binary {
                len: Some(892),
                fixed: false,
            }
        }
        "HIERARCHYID" => {
            approx(
                found,
                "text",
                "hierarchy methods (GetAncestor, IsDescendantOf ...) need ltree or manual code",
            );
            Type::Unsupported {
                source: base.to_string(),
            }
        }
        "GEOGRAPHY" | "GEOMETRY" => {
            f(
                found,
                &codes::SPATIAL_TYPE,
                span,
                &[
                    base,
                    "install PostGIS and map it to geometry, or store it otherwise",
                ],
            );
            Type::Unsupported {
                source: base.to_string(),
            }
        }
        _ => {
            f(found, &codes::UNKNOWN_TYPE, span, &[name, "text"]);
            Type::Unsupported {
                source: name.to_string(),
            }
        }
    }
}
