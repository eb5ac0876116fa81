//! Every IR type and built-in function reachable from a source has a mapping, or an explicit
//! unsupported entry that raises a finding, for every target.
//!
//! - Types: every Oracle type the type pass knows is converted in a `CREATE TABLE` to each
//!   target; the column must get a target spelling, and a type without a faithful mapping
//!   (`Type::Unsupported`) must raise a finding. Every IR `Type` is spelled by each target.
//! - Functions: the function tables of all targets list the same Oracle functions; each entry
//!   is exactly one of rename/same/template/handler/unsupported; templates parse; and a call
//!   of each function converted to each target raises no "unknown function" finding, while
//!   an unsupported entry raises FUN005.

use schemac::ir::{Object, Stmt, Type, Tz};
use schemac::passes::functions::{FnTable, oracle_mysql, oracle_postgres, template};
use schemac::passes::types::{spell, spellings};
use schemac::source::SourceMap;
use schemac::{Options, SourceDialect, Target};

const TARGETS: &[Target] = &[Target::Postgres, Target::Mysql];

/// The Oracle type spellings `passes::types::oracle_type` distinguishes.
const ORACLE_TYPES: &[&str] = &[
    "NUMBER",
    "NUMBER(4)",
    "NUMBER(9)",
    "NUMBER(18)",
    "NUMBER(30)",
    "NUMBER(10,2)",
    "NUMBER(*,0)",
    "NUMBER(5,-2)",
    "NUMBER(38,35)",
    "NUMERIC",
    "DECIMAL(8,3)",
    "INTEGER",
    "INT",
    "SMALLINT",
    "FLOAT",
    "FLOAT(24)",
    "REAL",
    "DOUBLE PRECISION",
    "BINARY_FLOAT",
    "BINARY_DOUBLE",
    "VARCHAR2(20)",
    "VARCHAR2(4000 CHAR)",
    "VARCHAR2(32767)",
    "VARCHAR(10)",
    "NVARCHAR2(15)",
    "CHAR(3)",
    "NCHAR(2)",
    "CLOB",
    "NCLOB",
    "LONG",
    "BLOB",
    "RAW(16)",
    "LONG RAW",
    "DATE",
    "TIMESTAMP",
    "TIMESTAMP(3)",
    "TIMESTAMP(9)",
    "TIMESTAMP WITH TIME ZONE",
    "TIMESTAMP WITH LOCAL TIME ZONE",
    "INTERVAL YEAR TO MONTH",
    "INTERVAL DAY TO SECOND",
    "INTERVAL DAY(3) TO SECOND(2)",
    "XMLTYPE",
    "SYS.XMLTYPE",
    "JSON",
    "BOOLEAN",
    "ROWID",
    "UROWID",
    "BFILE",
    "MDSYS.SDO_GEOMETRY",
    "ANYDATA",
    "MY_OBJECT_T",
];

fn convert(sql: &str, to: Target) -> schemac::Output {
    let mut map = SourceMap::default();
    map.add_text("t.sql", sql);
    schemac::convert(map, &Options::new(SourceDialect::Oracle, to))
}

fn table_of(out: &schemac::Output) -> &Object {
    out.module
        .objects
        .iter()
        .find(|o| matches!(o.stmt, Stmt::CreateTable(_)))
        .expect("a table")
}

#[test]
fn every_oracle_type_maps_on_every_target() {
    let mut failures = Vec::new();
    for &to in TARGETS {
        for ty in ORACLE_TYPES {
            let out = convert(&format!("CREATE TABLE t (c {ty});\n"), to);
            let o = table_of(&out);
            let Stmt::CreateTable(t) = &o.stmt else {
                unreachable!()
            };
            let Some(c) = t.columns.first() else {
                failures.push(format!("{to:?} {ty}: no column"));
                continue;
            };
            match (&c.ty.target, &c.ty.ir) {
                (Some(s), Some(ir)) if !s.is_empty() => {
                    if matches!(ir, Type::Unsupported { .. }) && o.findings.is_empty() {
                        failures.push(format!("{to:?} {ty}: unsupported without a finding"));
                    }
                }
                _ => failures.push(format!("{to:?} {ty}: no target spelling")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_ir_type_is_spelled_by_every_target() {
    let all = [
        Type::Bool,
        Type::Int { bits: 8 },
        Type::Int { bits: 16 },
        Type::Int { bits: 32 },
        Type::Int { bits: 64 },
        Type::Decimal {
            precision: None,
            scale: None,
        },
        Type::Decimal {
            precision: Some(10),
            scale: Some(2),
        },
        Type::Float { double: false },
        Type::Float { double: true },
        Type::Varchar {
            len: Some(10),
            national: false,
        },
        Type::Varchar {
            len: None,
            national: true,
        },
        Type::Char {
            len: 2,
            national: false,
        },
        Type::Text { national: false },
        Type::Binary {
            len: Some(16),
            fixed: true,
        },
        Type::Binary {
            len: None,
            fixed: false,
        },
        Type::Blob,
        Type::Date,
        Type::Timestamp {
            precision: Some(3),
            tz: Tz::None,
        },
        Type::Timestamp {
            precision: None,
            tz: Tz::With,
        },
        Type::Timestamp {
            precision: Some(6),
            tz: Tz::Local,
        },
        Type::Time { precision: None },
        Type::Time { precision: Some(2) },
        Type::IntervalYearMonth,
        Type::IntervalDaySecond { precision: None },
        Type::IntervalDaySecond { precision: Some(2) },
        Type::Xml,
        Type::Json,
        Type::Uuid,
        Type::Money,
        Type::Unsupported { source: "X".into() },
    ];
    let src = schemac::ir::SourceType {
        name: "X".into(),
        args: Vec::new(),
        modifier: None,
        span: Default::default(),
    };
    for &to in TARGETS {
        for t in &all {
            let s = spell(t, spellings(to), &src, &mut Vec::new());
            assert!(
                !s.is_empty() && !s.contains('{'),
                "{to:?} {t:?} spelled {s:?}"
            );
        }
    }
}

fn tables() -> [(Target, &'static FnTable); 2] {
    [
        (Target::Postgres, oracle_postgres()),
        (Target::Mysql, oracle_mysql()),
    ]
}

#[test]
fn function_tables_cover_the_same_functions() {
    let pg: std::collections::BTreeSet<&String> = oracle_postgres().functions.keys().collect();
    let my: std::collections::BTreeSet<&String> = oracle_mysql().functions.keys().collect();
    assert_eq!(
        pg, my,
        "oracle-postgres.toml and oracle-mysql.toml list different functions"
    );
    for (to, t) in tables() {
        for (name, r) in &t.functions {
            let kinds = [
                r.rename.is_some(),
                r.same,
                r.template.is_some(),
                r.handler.is_some(),
                r.unsupported.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            assert_eq!(kinds, 1, "{to:?} {name}: exactly one mapping kind expected");
            if let Some(tpl) = &r.template {
                assert!(
                    template(tpl).is_some(),
                    "{to:?} {name}: template does not parse"
                );
            }
        }
    }
}

#[test]
fn every_function_converts_or_is_flagged_on_every_target() {
    let mut failures = Vec::new();
    for (to, t) in tables() {
        let mut names: Vec<&String> = t.functions.keys().collect();
        names.sort();
        for name in names {
            let r = &t.functions[name];
            let n = r.args.map(|a| a[0].max(1).min(a[1])).unwrap_or(2);
            let n = if r.args.is_some_and(|a| a[1] == 0) {
                0
            } else {
                n
            };
            let args: Vec<String> = (0..n).map(|i| format!("c{}", i + 1)).collect();
            let call = if name == "EXTRACT" {
                "EXTRACT(YEAR FROM c1)".to_string()
            } else if name == "TRIM" {
                "TRIM(c1)".to_string()
            } else if name == "DBMS_RANDOM_VALUE" {
                continue;
            } else {
                format!("{name}({})", args.join(", "))
            };
            let sql = format!(
                "CREATE TABLE t (c1 NUMBER(5), c2 NUMBER(5), c3 NUMBER(5));\n\
                 CREATE VIEW v AS SELECT {call} AS x FROM t;\n"
            );
            let out = convert(&sql, to);
            let Some(v) = out
                .module
                .objects
                .iter()
                .find(|o| matches!(o.stmt, Stmt::CreateView(_)))
            else {
                failures.push(format!("{to:?} {name}: view not parsed"));
                continue;
            };
            let codes: Vec<&str> = v.findings.iter().map(|f| f.code.code).collect();
            if codes.contains(&"FUN001") {
                failures.push(format!("{to:?} {name}: unknown function ({codes:?})"));
            }
            if r.unsupported.is_some() && !codes.contains(&"FUN005") {
                failures.push(format!("{to:?} {name}: unsupported without FUN005"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// T-SQL (SQL Server, ASE) built-in functions
// ---------------------------------------------------------------------------------------------

fn tsql_tables() -> [(Target, &'static FnTable); 2] {
    [
        (
            Target::Postgres,
            schemac::passes::functions_tsql::tsql_postgres(),
        ),
        (Target::Mysql, schemac::passes::functions_tsql::tsql_mysql()),
    ]
}

#[test]
fn tsql_function_tables_cover_the_same_functions() {
    let [(_, pg), (_, my)] = tsql_tables();
    let pg: std::collections::BTreeSet<&String> = pg.functions.keys().collect();
    let my: std::collections::BTreeSet<&String> = my.functions.keys().collect();
    assert_eq!(
        pg, my,
        "tsql-postgres.toml and tsql-mysql.toml list different functions"
    );
    for (to, t) in tsql_tables() {
        for (name, r) in &t.functions {
            let kinds = [
                r.rename.is_some(),
                r.same,
                r.template.is_some(),
                r.handler.is_some(),
                r.unsupported.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            assert_eq!(kinds, 1, "{to:?} {name}: exactly one mapping kind expected");
            if let Some(tpl) = &r.template {
                assert!(
                    template(tpl).is_some(),
                    "{to:?} {name}: template does not parse"
                );
            }
        }
    }
}

#[test]
fn every_tsql_function_converts_or_is_flagged_on_every_target() {
    let mut failures = Vec::new();
    for (to, t) in tsql_tables() {
        let mut names: Vec<&String> = t.functions.keys().collect();
        names.sort();
        for name in names {
            let r = &t.functions[name];
            let n = r.args.map(|a| a[0].max(1).min(a[1])).unwrap_or(2);
            let n = if r.args.is_some_and(|a| a[1] == 0) {
                0
            } else {
                n
            };
            let args: Vec<String> = (0..n).map(|i| format!("c{}", i + 1)).collect();
            let call = match name.as_str() {
                "DATEADD" => "DATEADD(day, c1, c2)".to_string(),
                "DATEDIFF" => "DATEDIFF(day, c1, c2)".to_string(),
                "DATEPART" | "DATENAME" => format!("{name}(month, c1)"),
                "CONVERT" => "CONVERT(varchar(10), c1)".to_string(),
                "IIF" => "IIF(c1 > 0, c2, c3)".to_string(),
                "CHOOSE" => "CHOOSE(c1, c2, c3)".to_string(),
                _ => format!("{name}({})", args.join(", ")),
            };
            let sql = format!(
                "CREATE TABLE t (c1 int, c2 int, c3 int, c4 int)\nGO\n\
                 CREATE VIEW v AS SELECT {call} AS x FROM t\nGO\n"
            );
            let mut map = SourceMap::default();
            map.add_text("case.sql", sql);
            let out = schemac::convert(map, &Options::new(SourceDialect::Tsql, to));
            let Some(v) = out
                .module
                .objects
                .iter()
                .find(|o| matches!(o.stmt, Stmt::CreateView(_)))
            else {
                failures.push(format!("{to:?} {name}: view not parsed"));
                continue;
            };
            let codes: Vec<&str> = v.findings.iter().map(|f| f.code.code).collect();
            if codes.contains(&"FUN001") {
                failures.push(format!("{to:?} {name}: unknown function ({codes:?})"));
            }
            if r.unsupported.is_some() && !codes.contains(&"FUN005") {
                failures.push(format!("{to:?} {name}: unsupported without FUN005"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
