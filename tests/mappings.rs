//! Every IR type and built-in function reachable from a source has a mapping, or an explicit
//! unsupported entry that raises a finding, for every target.
//!
//! - Types: every Oracle type the type pass knows is converted in a `CREATE TABLE` to each
//!   target; the column must get a target spelling, and a type without a faithful mapping
//!   (`Type::Unsupported`) must raise a finding. Every IR `Type` is spelled by each target.
//! - Functions: the function tables of all targets list the same Oracle functions; each entry
//!   is exactly one of rename/same/template/handler/unsupported; templates parse; and a call
//!   of each function converted to each target raises no "unknown function" finding, while
//!   an unsupported entry raises FUN005; no entry names a handler or a template that the code
//!   does not have.
//! - Live (when the servers are there): the view calling each mapped function is created on
//!   each target server; a failure must carry a manual finding (or TGT004 on MariaDB), so a
//!   mapping to a function the target lacks, or with the wrong arguments, fails here.

mod common;

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

/// A typical call of every function of the tables (columns `c1`-`c3` are numbers, `d1` a
/// date, `s1` a string); a function added to the tables needs one here.
const CALLS: &[(&str, &str)] = &[
    ("ABS", "ABS(c1)"),
    ("ACOS", "ACOS(c1)"),
    ("ADD_MONTHS", "ADD_MONTHS(d1, c1)"),
    ("ASCII", "ASCII(s1)"),
    ("ASIN", "ASIN(c1)"),
    ("ATAN", "ATAN(c1)"),
    ("ATAN2", "ATAN2(c1, c2)"),
    ("AVG", "AVG(c1)"),
    ("BITAND", "BITAND(c1, c2)"),
    ("CEIL", "CEIL(c1)"),
    ("CHR", "CHR(c1)"),
    ("COALESCE", "COALESCE(c1, c2, c3)"),
    ("CONCAT", "CONCAT(s1, s1)"),
    ("COS", "COS(c1)"),
    ("COUNT", "COUNT(c1)"),
    ("CUBE", ""),
    ("CUME_DIST", "CUME_DIST() OVER (ORDER BY c1)"),
    ("DBMS_LOCK.SLEEP", ""),
    ("DBMS_RANDOM.VALUE", "DBMS_RANDOM.VALUE(c1, c2)"),
    ("DBMS_SESSION.SLEEP", ""),
    ("DECODE", "DECODE(c1, 1, 'one', 2, 'two', 'many')"),
    ("DENSE_RANK", "DENSE_RANK() OVER (ORDER BY c1)"),
    ("EMPTY_BLOB", "EMPTY_BLOB()"),
    ("EMPTY_CLOB", "EMPTY_CLOB()"),
    ("EXP", "EXP(c1)"),
    ("EXTRACT", "EXTRACT(YEAR FROM d1)"),
    ("FIRST_VALUE", "FIRST_VALUE(c1) OVER (ORDER BY c2)"),
    ("FLOOR", "FLOOR(c1)"),
    ("GREATEST", "GREATEST(c1, c2, c3)"),
    // Grouping sets need a GROUP BY: fixtures/convert/oracle/views.sql has them, applied live.
    ("GROUPING", ""),
    ("INITCAP", "INITCAP(s1)"),
    ("INSTR", "INSTR(s1, 'a', 2)"),
    ("LAG", "LAG(c1, 1, 0) OVER (ORDER BY c2)"),
    ("LAST_DAY", "LAST_DAY(d1)"),
    ("LAST_VALUE", "LAST_VALUE(c1) OVER (ORDER BY c2)"),
    ("LEAD", "LEAD(c1) OVER (ORDER BY c2)"),
    ("LEAST", "LEAST(c1, c2)"),
    ("LENGTH", "LENGTH(s1)"),
    ("LENGTHB", "LENGTHB(s1)"),
    ("LISTAGG", "LISTAGG(s1, ',') WITHIN GROUP (ORDER BY s1)"),
    ("LN", "LN(c1)"),
    ("LOG", "LOG(10, c1)"),
    ("LOWER", "LOWER(s1)"),
    ("LPAD", "LPAD(s1, 10, '*')"),
    ("LTRIM", "LTRIM(s1, 'xy')"),
    ("MAX", "MAX(c1)"),
    ("MEDIAN", "MEDIAN(c1)"),
    ("MIN", "MIN(c1)"),
    ("MOD", "MOD(c1, c2)"),
    ("MONTHS_BETWEEN", "MONTHS_BETWEEN(d1, d1)"),
    ("NEXT_DAY", "NEXT_DAY(d1, 'MONDAY')"),
    ("NTILE", "NTILE(4) OVER (ORDER BY c1)"),
    ("NULLIF", "NULLIF(c1, c2)"),
    ("NVL", "NVL(c1, c2)"),
    ("NVL2", "NVL2(c1, c2, c3)"),
    ("PERCENT_RANK", "PERCENT_RANK() OVER (ORDER BY c1)"),
    ("POWER", "POWER(c1, 2)"),
    ("RANK", "RANK() OVER (ORDER BY c1)"),
    ("REGEXP_INSTR", "REGEXP_INSTR(s1, '[0-9]+')"),
    (
        "REGEXP_LIKE",
        "CASE WHEN REGEXP_LIKE(s1, '^a', 'i') THEN 1 END",
    ),
    ("REGEXP_REPLACE", "REGEXP_REPLACE(s1, '[0-9]+', '#')"),
    ("REGEXP_SUBSTR", "REGEXP_SUBSTR(s1, '[0-9]+')"),
    ("REPLACE", "REPLACE(s1, 'a')"),
    ("ROLLUP", ""),
    ("ROUND", "ROUND(c1, 1) + ROUND(d1 - d1)"),
    ("ROW_NUMBER", "ROW_NUMBER() OVER (ORDER BY c1)"),
    ("RPAD", "RPAD(s1, 10)"),
    ("RTRIM", "RTRIM(s1)"),
    ("SIGN", "SIGN(c1)"),
    ("SIN", "SIN(c1)"),
    ("SQRT", "SQRT(c1)"),
    ("STDDEV", "STDDEV(c1)"),
    ("SUBSTR", "SUBSTR(s1, c1, 2)"),
    ("SUM", "SUM(c1)"),
    ("SYS_CONTEXT", "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')"),
    ("SYS_GUID", "SYS_GUID()"),
    ("TAN", "TAN(c1)"),
    ("TO_CHAR", "TO_CHAR(d1, 'YYYY-MM-DD')"),
    ("TO_DATE", "TO_DATE(s1, 'YYYY-MM-DD')"),
    ("TO_NUMBER", "TO_NUMBER(s1)"),
    ("TO_TIMESTAMP", "TO_TIMESTAMP(s1, 'YYYY-MM-DD HH24:MI:SS')"),
    ("TRANSLATE", "TRANSLATE(s1, 'abc', 'xy')"),
    ("TRIM", "TRIM(s1)"),
    ("TRUNC", "TRUNC(c1, 1) + TRUNC(c2)"),
    ("UPPER", "UPPER(s1)"),
    ("USERENV", "USERENV('SESSIONID')"),
    ("VARIANCE", "VARIANCE(c1)"),
];

/// The Oracle call the mapping tests make for a function (`None`: not callable alone).
fn call_of(name: &str) -> Option<String> {
    let (_, call) = CALLS.iter().find(|(n, _)| *n == name)?;
    (!call.is_empty()).then(|| call.to_string())
}

#[test]
fn every_function_has_a_typical_call() {
    for (_, t) in tables() {
        for name in t.functions.keys() {
            assert!(
                CALLS.iter().any(|(n, _)| n == name),
                "{name}: add a typical call to CALLS in tests/mappings.rs"
            );
        }
    }
}

const MAPPING_TABLE: &str =
    "CREATE TABLE t (c1 NUMBER(5), c2 NUMBER(5), c3 NUMBER(5), d1 DATE, s1 VARCHAR2(20));\n";

/// The view calling one function, named after it.
fn view_sql(name: &str, call: &str) -> String {
    let view = name.replace('.', "_");
    format!("{MAPPING_TABLE}CREATE VIEW v_{view} AS SELECT {call} AS x FROM t;\n")
}

#[test]
fn every_function_converts_or_is_flagged_on_every_target() {
    let mut failures = Vec::new();
    for (to, t) in tables() {
        let mut names: Vec<&String> = t.functions.keys().collect();
        names.sort();
        for name in names {
            let r = &t.functions[name];
            let Some(call) = call_of(name) else {
                continue;
            };
            let out = convert(&view_sql(name, &call), to);
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
            for f in &v.findings {
                if f.message.contains("no MySQL handler")
                    || f.message.contains("internal template error")
                {
                    failures.push(format!("{to:?} {name}: {}", f.message));
                }
            }
            let sql: String = out.scripts.iter().map(|s| s.text.as_str()).collect();
            if sql.contains("template error") {
                failures.push(format!("{to:?} {name}: a template did not parse"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The view chunks of the mapping views for one target, after the table's chunks.
fn mapping_chunks(to: Target) -> (Vec<common::Chunk>, Vec<common::Chunk>) {
    let t = match to {
        Target::Postgres => oracle_postgres(),
        Target::Mysql => oracle_mysql(),
    };
    let out = convert(MAPPING_TABLE, to);
    let table: Vec<common::Chunk> = out
        .scripts
        .iter()
        .flat_map(|s| common::split_chunks(&s.name, &s.text))
        .collect();
    let mut names: Vec<&String> = t.functions.keys().collect();
    names.sort();
    let mut views = Vec::new();
    for name in names {
        let Some(call) = call_of(name) else {
            continue;
        };
        let out = convert(&view_sql(name, &call), to);
        for s in out.scripts.iter().filter(|s| s.name.contains("views")) {
            views.extend(common::split_chunks(&s.name, &s.text));
        }
    }
    (table, views)
}

#[test]
fn every_mapped_function_exists_on_postgres() {
    let Some(conninfo) = common::pg_conninfo("mappings (postgres)") else {
        return;
    };
    let mut client = common::fresh_db(&conninfo, "mappings");
    let (table, views) = mapping_chunks(Target::Postgres);
    let (p, _) = common::apply_and_check(&mut client, &table, false);
    assert!(p.is_empty(), "table: {p:?}");
    let (problems, results) = common::apply_and_check(&mut client, &views, false);
    assert!(results.len() > 50, "the views were not found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_mapped_function_exists_on_mysql() {
    let Some(info) = common::my::my_info("mappings (mysql)") else {
        return;
    };
    let _guard = common::my::lock();
    let mut conn = common::my::connect(&info);
    common::my::reset(&mut conn);
    let (table, views) = mapping_chunks(Target::Mysql);
    let (p, _) = common::my::apply_and_check(&mut conn, &table);
    assert!(p.is_empty(), "table: {p:?}");
    let (problems, results) = common::my::apply_and_check(&mut conn, &views);
    assert!(results.len() > 50, "the views were not found");
    common::my::reset(&mut conn);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
