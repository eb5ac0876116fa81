//! Oracle statement parser: DDL, DCL, DML and PL/SQL unit recognition -> IR objects.
//!
//! Each function parses one statement from a [`Parser`] positioned at its first token and
//! records what it had to drop as findings; anything it cannot read becomes a `ParseError`,
//! which [`statement`] turns into an opaque, commented-out object with a PRS001 finding.

use crate::diag::{Code, Finding};
use crate::frontend::lexer::{Tok, string_value};
use crate::frontend::parser::{PResult, Parser};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// Parses one unit into an object.
pub fn statement(p: &mut Parser, span: Span) -> Object {
    let mut fs = Vec::new();
    let res = dispatch(p, span, &mut fs);
    let mut obj = match res {
        Ok(mut o) => {
            if !p.at_end() {
                let e = p.error("unexpected text after the end of the statement");
                o = opaque(p, span, &codes::SYNTAX_ERROR, e.span, &[&e.message]);
            }
            o
        }
        Err(e) => {
            // Keep the object's kind and name if the header was readable, so the report
            // still knows what failed.
            let mut o = opaque(p, span, &codes::SYNTAX_ERROR, e.span, &[&e.message]);
            if let Some((kind, name)) = header_kind(p) {
                o.kind = kind;
                o.name = name;
            }
            fs.clear();
            o
        }
    };
    fs.append(&mut obj.findings);
    obj.findings = fs;
    obj
}

fn opaque(p: &Parser, span: Span, code: &'static Code, at: Span, args: &[&str]) -> Object {
    let mut o = Object::new(
        ObjectKind::Statement,
        None,
        span,
        Stmt::Opaque {
            text: p.text.to_string(),
        },
    );
    o.commented_out = true;
    o.findings.push(Finding::new(code, at, args));
    o
}

fn flag(fs: &mut Vec<Finding>, code: &'static Code, span: Span, args: &[&str]) {
    fs.push(Finding::new(code, span, args));
}

/// Re-reads the statement header to name what failed (`CREATE TABLE x` ...).
fn header_kind(p: &Parser) -> Option<(ObjectKind, Option<QName>)> {
    let mut q = Parser::new(p.text, p.file, p.base, p.dialect);
    if !q.eat_kw("CREATE") {
        return None;
    }
    q.eat_kws(&["OR", "REPLACE"]);
    for w in [
        "EDITIONABLE",
        "NONEDITIONABLE",
        "GLOBAL",
        "TEMPORARY",
        "PRIVATE",
        "UNIQUE",
        "BITMAP",
        "PUBLIC",
        "FORCE",
    ] {
        q.eat_kw(w);
    }
    q.eat_kws(&["NO", "FORCE"]);
    let kind = match q.peek_text().to_ascii_uppercase().as_str() {
        "TABLE" => ObjectKind::Table,
        "INDEX" => ObjectKind::Index,
        "VIEW" => ObjectKind::View,
        "SEQUENCE" => ObjectKind::Sequence,
        "MATERIALIZED" => ObjectKind::MaterializedView,
        "SYNONYM" => ObjectKind::Synonym,
        _ => return None,
    };
    q.bump();
    q.eat_kw("VIEW");
    let name = q.qname().ok();
    Some((kind, name))
}

fn dispatch(p: &mut Parser, span: Span, fs: &mut Vec<Finding>) -> PResult<Object> {
    let first = p.peek_text().to_ascii_uppercase();
    let obj = |kind, name, stmt| Object::new(kind, name, span, stmt);
    match first.as_str() {
        "CREATE" => create(p, span, fs),
        "ALTER" if p.nth_kw(1, "TABLE") => {
            p.bump();
            p.bump();
            let a = alter_table(p, fs)?;
            Ok(obj(
                ObjectKind::Table,
                Some(a.table.clone()),
                Stmt::AlterTable(Box::new(a)),
            ))
        }
        "ALTER"
            if p.nth_kw(1, "TRIGGER")
                && (p.nth_kw(3, "ENABLE") || p.nth_kw(3, "DISABLE"))
                && p.nth_kind(4).is_none_or(|k| k == Tok::Semi) =>
        {
            // Folded into the CREATE TRIGGER by the plsql pass.
            p.bump();
            p.bump();
            let name = p.qname()?;
            let what = format!("ALTER TRIGGER {}", p.peek_text().to_ascii_uppercase());
            p.pos = p.toks.len();
            Ok(obj(
                ObjectKind::Statement,
                Some(name),
                Stmt::Ignored { what },
            ))
        }
        "COMMENT" => {
            let c = comment(p)?;
            Ok(obj(
                ObjectKind::Comment,
                Some(c.name.clone()),
                Stmt::Comment(Box::new(c)),
            ))
        }
        "GRANT" | "REVOKE" => {
            let g = grant(p)?;
            Ok(obj(
                ObjectKind::Grant,
                g.on.clone(),
                Stmt::Grant(Box::new(g)),
            ))
        }
        "INSERT" => p.dml_object(span),
        "UPDATE" => p.dml_object(span),
        "DELETE" | "MERGE" => p.dml_object(span),
        "DECLARE" | "BEGIN" => {
            let start = p.pos;
            match super::plsql::anonymous_block(p) {
                Ok(b) => {
                    return Ok(obj(
                        ObjectKind::Routine,
                        None,
                        Stmt::AnonymousBlock(Box::new(b)),
                    ));
                }
                Err(e) => {
                    flag(
                        fs,
                        &codes::PLSQL_PARSE_ERROR,
                        e.span,
                        &["anonymous block", "", &e.message],
                    );
                    p.pos = start;
                }
            }
            let mut o = obj(
                ObjectKind::Routine,
                None,
                Stmt::Routine(Box::new(RoutineSrc {
                    what: "ANONYMOUS BLOCK".into(),
                    text: p.text.to_string(),
                })),
            );
            o.commented_out = true;
            p.pos = p.toks.len();
            Ok(o)
        }
        "DROP" | "TRUNCATE" | "COMMIT" | "ROLLBACK" | "SAVEPOINT" | "ANALYZE" | "PURGE"
        | "LOCK" | "SELECT" | "WITH" | "AUDIT" | "NOAUDIT" | "CALL" | "EXPLAIN" | "FLASHBACK"
        | "ALTER" | "SET" | "RENAME" | "ASSOCIATE" | "DISASSOCIATE" => {
            let what = skipped_words(p);
            flag(fs, &codes::STATEMENT_SKIPPED, span, &[&what]);
            p.pos = p.toks.len();
            Ok(obj(ObjectKind::Statement, None, Stmt::Ignored { what }))
        }
        _ => {
            let what = skipped_words(p);
            let mut o = obj(
                ObjectKind::Statement,
                None,
                Stmt::Opaque {
                    text: p.text.to_string(),
                },
            );
            o.commented_out = true;
            flag(fs, &codes::UNKNOWN_STATEMENT, p.span(), &[&what]);
            p.pos = p.toks.len();
            Ok(o)
        }
    }
}

/// The first two or three words of a statement, upper-cased: `DROP TABLE`, `ALTER SESSION`.
fn skipped_words(p: &Parser) -> String {
    let mut words = Vec::new();
    for i in 0..3 {
        if p.nth_kind(i) == Some(Tok::Word) {
            words.push(p.nth_text(i).to_ascii_uppercase());
        } else {
            break;
        }
        if i == 1 && words[0] != "ALTER" && words[0] != "CREATE" {
            break;
        }
    }
    if words.is_empty() {
        words.push(crate::frontend::parser::truncate(p.peek_text(), 20));
    }
    words.join(" ")
}

fn create(p: &mut Parser, span: Span, fs: &mut Vec<Finding>) -> PResult<Object> {
    p.expect_kw("CREATE")?;
    let or_replace = p.eat_kws(&["OR", "REPLACE"]);
    p.eat_kw("EDITIONABLE");
    p.eat_kw("NONEDITIONABLE");
    p.eat_kw("EDITIONING");
    let mut force = false;
    if p.eat_kws(&["NO", "FORCE"]) {
    } else if p.eat_kw("FORCE") {
        force = true;
    }
    let global_temp = p.eat_kws(&["GLOBAL", "TEMPORARY"]) || p.eat_kws(&["PRIVATE", "TEMPORARY"]);
    let unique = p.eat_kw("UNIQUE");
    let bitmap = p.eat_kw("BITMAP");
    let public = p.eat_kw("PUBLIC");
    let obj = |kind, name, stmt| Object::new(kind, name, span, stmt);
    let word = p.peek_text().to_ascii_uppercase();
    match word.as_str() {
        "TABLE" => {
            p.bump();
            let t = create_table(p, global_temp, fs)?;
            Ok(obj(
                ObjectKind::Table,
                Some(t.name.clone()),
                Stmt::CreateTable(Box::new(t)),
            ))
        }
        "INDEX" => {
            p.bump();
            let i = create_index(p, unique, bitmap, fs)?;
            Ok(obj(
                ObjectKind::Index,
                Some(i.name.clone()),
                Stmt::CreateIndex(Box::new(i)),
            ))
        }
        "SEQUENCE" => {
            p.bump();
            let s = create_sequence(p, fs)?;
            Ok(obj(
                ObjectKind::Sequence,
                s.name.clone(),
                Stmt::CreateSequence(Box::new(s)),
            ))
        }
        "VIEW" => {
            p.bump();
            let v = create_view(p, or_replace, force, false, fs)?;
            Ok(obj(
                ObjectKind::View,
                Some(v.name.clone()),
                Stmt::CreateView(Box::new(v)),
            ))
        }
        "MATERIALIZED" if p.nth_kw(1, "VIEW") => {
            p.bump();
            p.bump();
            let v = create_view(p, false, false, true, fs)?;
            Ok(obj(
                ObjectKind::MaterializedView,
                Some(v.name.clone()),
                Stmt::CreateView(Box::new(v)),
            ))
        }
        "SYNONYM" => {
            p.bump();
            let name = p.qname()?;
            p.expect_kw("FOR")?;
            let target = p.qname()?;
            let s = Synonym {
                name: name.clone(),
                public,
                target,
                target_kind: None,
            };
            Ok(obj(
                ObjectKind::Synonym,
                Some(name),
                Stmt::CreateSynonym(Box::new(s)),
            ))
        }
        "USER" => {
            p.bump();
            let name = p.ident()?;
            let mut u = User {
                name: name.clone(),
                password_given: false,
                dropped_options: Vec::new(),
            };
            while !p.at_end() {
                if p.eat_kws(&["IDENTIFIED", "BY"]) {
                    u.password_given = true;
                    p.bump();
                } else {
                    u.dropped_options.push(p.peek_text().to_ascii_uppercase());
                    p.bump();
                }
            }
            Ok(obj(
                ObjectKind::User,
                Some(QName::single(name)),
                Stmt::CreateUser(Box::new(u)),
            ))
        }
        "ROLE" => {
            p.bump();
            let name = p.ident()?;
            p.pos = p.toks.len();
            Ok(obj(
                ObjectKind::Role,
                Some(QName::single(name.clone())),
                Stmt::CreateRole(name),
            ))
        }
        "SCHEMA" if p.nth_kw(1, "AUTHORIZATION") => {
            // Oracle's CREATE SCHEMA AUTHORIZATION groups statements; not split further.
            Err(p.error("CREATE SCHEMA AUTHORIZATION is not supported"))
        }
        "PROCEDURE" | "FUNCTION" | "PACKAGE" | "TRIGGER" | "TYPE" | "LIBRARY" | "JAVA" => {
            let mut what = word.clone();
            p.bump();
            if p.eat_kw("BODY") {
                what.push_str(" BODY");
            }
            if word == "JAVA" {
                // CREATE JAVA SOURCE NAMED x
                while !p.at_end() && !p.at_kw("NAMED") {
                    p.bump();
                }
                p.eat_kw("NAMED");
            }
            let body_start = p.pos;
            let name = p.qname().ok();
            if what == "TYPE"
                && let Some(n) = &name
            {
                let at = p.pos;
                match object_type(p, n) {
                    Ok(t) => return Ok(obj(ObjectKind::Type, name, Stmt::CreateType(Box::new(t)))),
                    Err(_) => p.pos = at,
                }
            }
            if matches!(
                what.as_str(),
                "PROCEDURE" | "FUNCTION" | "TRIGGER" | "PACKAGE" | "PACKAGE BODY"
            ) {
                p.pos = body_start;
                let parsed = match what.as_str() {
                    "PROCEDURE" => super::plsql::routine(p, plsql::RoutineKind::Procedure)
                        .map(|r| (ObjectKind::Procedure, Stmt::CreateRoutine(Box::new(r)))),
                    "FUNCTION" => super::plsql::routine(p, plsql::RoutineKind::Function)
                        .map(|r| (ObjectKind::Function, Stmt::CreateRoutine(Box::new(r)))),
                    "PACKAGE" => super::plsql::package(p, false)
                        .map(|k| (ObjectKind::Package, Stmt::CreatePackage(Box::new(k)))),
                    "PACKAGE BODY" => super::plsql::package(p, true)
                        .map(|k| (ObjectKind::PackageBody, Stmt::CreatePackage(Box::new(k)))),
                    _ => super::plsql::trigger(p)
                        .map(|t| (ObjectKind::Trigger, Stmt::CreateTrigger(Box::new(t)))),
                };
                match parsed {
                    Ok((kind, stmt)) => return Ok(obj(kind, name, stmt)),
                    Err(e) => {
                        let shown = name.as_ref().map(|n| n.display()).unwrap_or_default();
                        flag(
                            fs,
                            &codes::PLSQL_PARSE_ERROR,
                            e.span,
                            &[&what.to_lowercase(), &shown, &e.message],
                        );
                        let kind = match what.as_str() {
                            "PROCEDURE" => ObjectKind::Procedure,
                            "FUNCTION" => ObjectKind::Function,
                            "PACKAGE" => ObjectKind::Package,
                            "PACKAGE BODY" => ObjectKind::PackageBody,
                            _ => ObjectKind::Trigger,
                        };
                        p.pos = p.toks.len();
                        let mut o = obj(
                            kind,
                            name,
                            Stmt::Routine(Box::new(RoutineSrc {
                                what,
                                text: p.text.to_string(),
                            })),
                        );
                        o.commented_out = true;
                        return Ok(o);
                    }
                }
            }
            let kind = match what.as_str() {
                "PROCEDURE" => ObjectKind::Procedure,
                "FUNCTION" => ObjectKind::Function,
                "PACKAGE" => ObjectKind::Package,
                "PACKAGE BODY" => ObjectKind::PackageBody,
                "TRIGGER" => ObjectKind::Trigger,
                "TYPE" | "TYPE BODY" => ObjectKind::Type,
                _ => ObjectKind::Routine,
            };
            let shown = name.as_ref().map(|n| n.display()).unwrap_or_default();
            flag(
                fs,
                &codes::PLSQL_NOT_CONVERTED,
                span_first_line(p, span),
                &[&what.to_lowercase(), &shown],
            );
            p.pos = p.toks.len();
            let mut o = obj(
                kind,
                name,
                Stmt::Routine(Box::new(RoutineSrc {
                    what,
                    text: p.text.to_string(),
                })),
            );
            o.commented_out = true;
            Ok(o)
        }
        "DATABASE" | "DIRECTORY" | "CONTEXT" | "PROFILE" | "TABLESPACE" | "CLUSTER"
        | "DIMENSION" | "OPERATOR" | "INDEXTYPE" | "OUTLINE" | "EDITION" | "AUDIT" => {
            let what = format!("CREATE {}", skipped_words(p));
            let kind = if word == "DATABASE" {
                ObjectKind::DatabaseLink
            } else {
                ObjectKind::Statement
            };
            let mut o = obj(
                kind,
                None,
                Stmt::Opaque {
                    text: p.text.to_string(),
                },
            );
            o.commented_out = true;
            flag(
                fs,
                &codes::UNKNOWN_STATEMENT,
                span_first_line(p, span),
                &[&what],
            );
            p.pos = p.toks.len();
            Ok(o)
        }
        _ => Err(p.error("expected an object type after CREATE")),
    }
}

/// After `CREATE TYPE name`: an object type with attributes only, or a collection type
/// (`TABLE OF t`, `VARRAY(n) OF t`). Methods, `UNDER`, `EXTERNAL` ... are errors (the unit is
/// then kept as PL/SQL source).
fn object_type(p: &mut Parser, name: &QName) -> PResult<CompositeType> {
    p.eat_kw("FORCE");
    if p.eat_kw("AUTHID") {
        p.ident()?;
    }
    if !p.eat_kw("AS") {
        p.expect_kw("IS")?;
    }
    let t = if p.eat_kw("OBJECT") {
        p.expect(Tok::LParen, "`(`")?;
        let mut attributes = Vec::new();
        loop {
            if [
                "MEMBER",
                "STATIC",
                "CONSTRUCTOR",
                "MAP",
                "ORDER",
                "FINAL",
                "NOT",
                "OVERRIDING",
            ]
            .iter()
            .any(|k| p.at_kw(k))
            {
                return Err(p.error("object type methods are not supported"));
            }
            let a = p.ident()?;
            let ty = TypeRef::new(p.data_type()?);
            attributes.push((a, ty));
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        p.expect(Tok::RParen, "`)`")?;
        CompositeType {
            name: name.clone(),
            attributes,
            collection_of: None,
        }
    } else {
        if p.eat_kw("VARRAY") || p.eat_kws(&["VARYING", "ARRAY"]) {
            p.expect(Tok::LParen, "`(`")?;
            p.integer()?;
            p.expect(Tok::RParen, "`)`")?;
        } else {
            p.expect_kw("TABLE")?;
        }
        p.expect_kw("OF")?;
        let elem = TypeRef::new(p.data_type()?);
        p.eat_kws(&["NOT", "NULL"]);
        CompositeType {
            name: name.clone(),
            attributes: Vec::new(),
            collection_of: Some(elem),
        }
    };
    // `NOT FINAL` / `FINAL` / `NOT INSTANTIABLE` change nothing without methods or subtypes.
    while p.eat_kw("NOT") || p.eat_kw("FINAL") || p.eat_kw("INSTANTIABLE") {}
    p.eat(Tok::Semi);
    if !p.at_end() {
        return Err(p.error("unexpected text after the type"));
    }
    Ok(t)
}

/// The span of the unit's first line (findings on long PL/SQL units point at the header).
fn span_first_line(p: &Parser, span: Span) -> Span {
    let len = p.text.find('\n').unwrap_or(p.text.len()) as u32;
    Span::new(span.file, span.start, span.start + len.min(span.len()))
}

// ---------------------------------------------------------------------------------------------
// CREATE TABLE
// ---------------------------------------------------------------------------------------------

fn create_table(p: &mut Parser, global_temp: bool, fs: &mut Vec<Finding>) -> PResult<Table> {
    let if_not_exists = p.eat_kws(&["IF", "NOT", "EXISTS"]);
    let name = p.qname()?;
    let mut t = Table {
        name,
        columns: Vec::new(),
        constraints: Vec::new(),
        temporary: if global_temp {
            Some(TempKind::GlobalDeleteRows)
        } else {
            None
        },
        partition: None,
        as_query: None,
        if_not_exists,
    };
    // Object tables (`CREATE TABLE t OF type`) are not relational tables.
    if p.at_kw("OF") {
        return Err(p.error("object tables (CREATE TABLE ... OF type) are not supported"));
    }
    if p.at(Tok::LParen) {
        p.bump();
        loop {
            if at_constraint_start(p) {
                let c = table_constraint(p)?;
                t.constraints.push(c);
            } else {
                let mut inline = Vec::new();
                let c = column_def(p, &mut inline, fs)?;
                for k in inline {
                    t.constraints.push(k);
                }
                t.columns.push(c);
            }
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        p.expect(Tok::RParen, "`,` or `)`")?;
    }
    table_tail(p, &mut t, fs)?;
    Ok(t)
}

fn at_constraint_start(p: &Parser) -> bool {
    p.at_kw("CONSTRAINT")
        || p.at_kws(&["PRIMARY", "KEY"])
        || (p.at_kw("UNIQUE") && p.nth_kind(1) == Some(Tok::LParen))
        || (p.at_kw("CHECK") && p.nth_kind(1) == Some(Tok::LParen))
        || p.at_kws(&["FOREIGN", "KEY"])
        || p.at_kw("SUPPLEMENTAL")
}

/// Everything after the column list: physical attributes (dropped with DDL001), temporary
/// table options, organization, partitioning, `AS query`.
fn table_tail(p: &mut Parser, t: &mut Table, fs: &mut Vec<Finding>) -> PResult<()> {
    let mut dropped: Vec<String> = Vec::new();
    let mut dropped_span: Option<Span> = None;
    while !p.at_end() {
        let sp = p.span();
        if p.eat_kws(&["ON", "COMMIT"]) {
            if p.eat_kw("PRESERVE") {
                t.temporary = Some(TempKind::GlobalPreserveRows);
            } else {
                p.expect_kw("DELETE")?;
                t.temporary = Some(TempKind::GlobalDeleteRows);
            }
            p.expect_kw("ROWS")?;
            continue;
        }
        if p.eat_kw("ORGANIZATION") {
            if p.eat_kw("INDEX") {
                flag(fs, &codes::INDEX_ORGANIZED, p.span_from(sp.start), &[]);
            } else if p.eat_kw("HEAP") {
            } else if p.at_kw("EXTERNAL") {
                return Err(p.error("external tables (ORGANIZATION EXTERNAL) are not supported"));
            }
            continue;
        }
        if p.at_kws(&["PARTITION", "BY"]) {
            t.partition = Some(partition_spec(p)?);
            continue;
        }
        if p.at_kw("AS") || p.at_kw("SELECT") {
            p.eat_kw("AS");
            t.as_query = Some(Box::new(p.query()?));
            continue;
        }
        if p.at(Tok::Word) {
            let w = p.peek_text().to_ascii_uppercase();
            p.bump();
            // Multi-word clauses whose operands are words: consume them too.
            match w.as_str() {
                "SEGMENT" | "ROW" | "ENABLE" | "DISABLE" => {
                    // SEGMENT CREATION IMMEDIATE, ROW MOVEMENT / ROW STORE COMPRESS,
                    // ENABLE ROW MOVEMENT
                    while p.at(Tok::Word) && is_clause_operand(p.peek_text()) {
                        p.bump();
                    }
                }
                "TABLESPACE" | "PCTTHRESHOLD" | "INCLUDING" | "BUFFER_POOL" => {
                    p.bump();
                }
                "LOB" | "XMLTYPE" | "VARRAY" | "NESTED" => {
                    // LOB (col) STORE AS [name] (storage)
                    p.skip_parens();
                    while !p.at_end() && !p.at(Tok::LParen) && !p.at_kws(&["PARTITION", "BY"]) {
                        let before = p.pos;
                        if p.eat_kw("STORE") {
                            p.eat_kw("AS");
                            p.eat_kw("SECUREFILE");
                            p.eat_kw("BASICFILE");
                            if p.at(Tok::Word) && !p.at_kw("TABLESPACE") {
                                p.bump();
                            }
                            break;
                        }
                        if p.pos == before {
                            p.bump();
                        }
                    }
                    p.skip_parens();
                }
                "COMPRESS" | "PARALLEL" | "PCTFREE" | "PCTUSED" | "INITRANS" | "MAXTRANS"
                | "CACHE" | "NOCACHE" | "LOGGING" | "NOLOGGING" | "NOCOMPRESS" | "NOPARALLEL"
                | "MONITORING" | "NOMONITORING" | "ROWDEPENDENCIES" | "NOROWDEPENDENCIES"
                | "STORAGE" | "RESULT_CACHE" | "OVERFLOW" | "FLASHBACK" | "INMEMORY" | "NO"
                | "MAPPING" | "NOMAPPING" | "ILM" | "CLUSTER" => {
                    // COMPRESS [FOR OLTP | BASIC | n], PCTFREE n, PARALLEL [n], NO INMEMORY ...
                    let has_operand = if w == "COMPRESS" {
                        p.eat_kw("FOR") || p.at(Tok::Number) || p.at_kw("BASIC")
                    } else {
                        matches!(
                            w.as_str(),
                            "PCTFREE" | "PCTUSED" | "INITRANS" | "MAXTRANS" | "NO"
                        ) || (w == "PARALLEL" && p.at(Tok::Number))
                    };
                    if has_operand {
                        p.bump();
                    }
                    p.skip_parens();
                }
                _ => return Err(p.error_at_prev(&format!("unexpected table clause {w}"))),
            }
            dropped.push(w);
            dropped_span = Some(match dropped_span {
                Some(s) => s.to(p.span_from(sp.start)),
                None => p.span_from(sp.start),
            });
            continue;
        }
        return Err(p.error("unexpected text after the column list"));
    }
    if let Some(s) = dropped_span {
        dropped.dedup();
        flag(fs, &codes::STORAGE_CLAUSE, s, &[&dropped.join(", ")]);
    }
    Ok(())
}

fn is_clause_operand(w: &str) -> bool {
    [
        "CREATION",
        "IMMEDIATE",
        "DEFERRED",
        "MOVEMENT",
        "STORE",
        "COMPRESS",
        "ADVANCED",
        "BASIC",
        "FOR",
        "QUERY",
        "ARCHIVE",
        "LOW",
        "HIGH",
        "ROW",
        "LEVEL",
        "LOCKING",
    ]
    .iter()
    .any(|k| w.eq_ignore_ascii_case(k))
}

impl Parser<'_> {
    /// An error pointing at the previous token.
    fn error_at_prev(&self, msg: &str) -> crate::frontend::parser::ParseError {
        let span = if self.pos > 0 {
            self.tok_span(self.toks[self.pos - 1])
        } else {
            self.span()
        };
        crate::frontend::parser::ParseError {
            message: msg.to_string(),
            span,
        }
    }
}

/// `name type [DEFAULT e] [GENERATED ... AS IDENTITY] [AS (e) VIRTUAL] [inline constraints]`.
fn column_def(
    p: &mut Parser,
    inline: &mut Vec<Constraint>,
    fs: &mut Vec<Finding>,
) -> PResult<Column> {
    let start = p.offset();
    let name = p.ident()?;
    let mut ty = None;
    if !(p.at_kw("AS") || p.at_kw("GENERATED") || p.at_kw("DEFAULT")) {
        ty = Some(p.data_type()?);
    }
    let mut col = Column {
        name: name.clone(),
        ty: TypeRef::new(ty.unwrap_or(SourceType {
            name: String::new(),
            args: Vec::new(),
            modifier: None,
            span: name.span,
        })),
        default: None,
        not_null: None,
        not_null_name: None,
        identity: None,
        generated: None,
        span: name.span,
        comment: None,
    };
    loop {
        if p.eat_kw("SORT") || p.eat_kw("VISIBLE") || p.eat_kw("INVISIBLE") {
            continue;
        }
        if p.eat_kw("COLLATE") {
            p.bump();
            continue;
        }
        if p.eat_kw("DEFAULT") {
            p.eat_kws(&["ON", "NULL"]);
            col.default = Some(p.expr()?);
            continue;
        }
        if p.at_kw("GENERATED") || p.at_kw("AS") {
            let gstart = p.offset();
            if p.eat_kw("GENERATED") {
                if p.eat_kw("ALWAYS") {
                } else if p.eat_kws(&["BY", "DEFAULT"]) {
                    p.eat_kws(&["ON", "NULL"]);
                    p.expect_kw("AS")?;
                    p.expect_kw("IDENTITY")?;
                    col.identity = Some(identity_options(p, false, gstart)?);
                    continue;
                }
            }
            p.expect_kw("AS")?;
            if p.eat_kw("IDENTITY") {
                col.identity = Some(identity_options(p, true, gstart)?);
                continue;
            }
            p.expect(Tok::LParen, "`(`")?;
            let e = p.expr()?;
            p.expect(Tok::RParen, "`)`")?;
            p.eat_kw("VIRTUAL");
            col.generated = Some(Generated {
                expr: e,
                stored: false,
            });
            continue;
        }
        if p.eat_kw("ENCRYPT") {
            while p.at(Tok::Word) && !p.at_kw("NOT") && !p.at_kw("CONSTRAINT") {
                p.bump();
            }
            continue;
        }
        // Inline constraints.
        let cstart = p.offset();
        let mut cname = None;
        if p.eat_kw("CONSTRAINT") {
            cname = Some(p.ident()?);
        }
        if p.eat_kws(&["NOT", "NULL"]) {
            col.not_null = Some(true);
            col.not_null_name = cname;
            let st = constraint_state(p);
            if !st.enabled || !st.validate {
                flag(
                    fs,
                    &codes::CONSTRAINT_STATE,
                    p.span_from(cstart),
                    &[
                        &format!("NOT NULL on {}", name.value),
                        "disabled or not validated",
                    ],
                );
            }
            continue;
        }
        if p.eat_kw("NULL") {
            col.not_null = Some(false);
            constraint_state(p);
            continue;
        }
        let kind = if p.eat_kws(&["PRIMARY", "KEY"]) {
            Some(ConstraintKind::PrimaryKey {
                columns: vec![name.clone()],
            })
        } else if p.eat_kw("UNIQUE") {
            Some(ConstraintKind::Unique {
                columns: vec![name.clone()],
            })
        } else if p.eat_kw("CHECK") {
            p.expect(Tok::LParen, "`(`")?;
            let e = p.expr()?;
            p.expect(Tok::RParen, "`)`")?;
            Some(ConstraintKind::Check { expr: e })
        } else if p.eat_kw("REFERENCES") {
            let (ref_table, ref_columns, on_delete) = references(p)?;
            Some(ConstraintKind::ForeignKey {
                columns: vec![name.clone()],
                ref_table,
                ref_columns,
                on_delete,
                on_update: None,
            })
        } else {
            None
        };
        match kind {
            Some(kind) => {
                let st = constraint_state(p);
                inline.push(Constraint {
                    name: cname,
                    kind,
                    deferrable: st.deferrable,
                    enabled: st.enabled,
                    validate: st.validate,
                    span: p.span_from(cstart),
                });
            }
            None => {
                if cname.is_some() {
                    return Err(p.error("expected a constraint after CONSTRAINT name"));
                }
                break;
            }
        }
    }
    col.span = p.span_from(start);
    Ok(col)
}

fn identity_options(p: &mut Parser, always: bool, start: u32) -> PResult<Identity> {
    let mut id = Identity {
        always,
        ..Default::default()
    };
    if p.eat(Tok::LParen) {
        while !p.at_end() && !p.at(Tok::RParen) {
            if p.eat_kws(&["START", "WITH"]) {
                if p.eat_kws(&["LIMIT", "VALUE"]) {
                } else {
                    id.start = Some(p.integer()?);
                }
            } else if p.eat_kws(&["INCREMENT", "BY"]) {
                id.increment = Some(p.integer()?);
            } else {
                p.bump();
            }
        }
        p.expect(Tok::RParen, "`)`")?;
    } else {
        // Options may also follow without parentheses.
        loop {
            if p.eat_kws(&["START", "WITH"]) {
                id.start = Some(p.integer()?);
            } else if p.eat_kws(&["INCREMENT", "BY"]) {
                id.increment = Some(p.integer()?);
            } else if p.at_kw("CACHE") || p.at_kw("MAXVALUE") || p.at_kw("MINVALUE") {
                p.bump();
                if p.at(Tok::Number) || p.at(Tok::Minus) {
                    p.integer()?;
                }
            } else if p.eat_kw("NOCACHE")
                || p.eat_kw("NOCYCLE")
                || p.eat_kw("CYCLE")
                || p.eat_kw("ORDER")
                || p.eat_kw("NOORDER")
                || p.eat_kw("NOMAXVALUE")
                || p.eat_kw("NOMINVALUE")
            {
            } else {
                break;
            }
        }
    }
    id.span = p.span_from(start);
    Ok(id)
}

/// `REFERENCES t [(cols)] [ON DELETE CASCADE | SET NULL]`, cursor after REFERENCES.
fn references(p: &mut Parser) -> PResult<(QName, Vec<Ident>, Option<RefAction>)> {
    let t = p.qname()?;
    let cols = if p.at(Tok::LParen) {
        p.paren_ident_list()?
    } else {
        Vec::new()
    };
    let mut on_delete = None;
    if p.eat_kws(&["ON", "DELETE"]) {
        on_delete = Some(if p.eat_kw("CASCADE") {
            RefAction::Cascade
        } else if p.eat_kws(&["SET", "NULL"]) {
            RefAction::SetNull
        } else if p.eat_kws(&["SET", "DEFAULT"]) {
            RefAction::SetDefault
        } else if p.eat_kws(&["NO", "ACTION"]) {
            RefAction::NoAction
        } else {
            return Err(p.error("expected CASCADE or SET NULL"));
        });
    }
    Ok((t, cols, on_delete))
}

struct ConstraintStateInfo {
    deferrable: Option<Deferrable>,
    enabled: bool,
    validate: bool,
}

/// `[NOT] DEFERRABLE [INITIALLY {DEFERRED|IMMEDIATE}] [ENABLE|DISABLE] [VALIDATE|NOVALIDATE]
/// [RELY|NORELY] [USING INDEX ...] [EXCEPTIONS INTO t]`, any order.
fn constraint_state(p: &mut Parser) -> ConstraintStateInfo {
    let mut st = ConstraintStateInfo {
        deferrable: None,
        enabled: true,
        validate: true,
    };
    loop {
        if p.eat_kws(&["NOT", "DEFERRABLE"]) {
            st.deferrable = Some(Deferrable {
                deferrable: false,
                initially_deferred: false,
            });
        } else if p.eat_kw("DEFERRABLE") {
            let d = st.deferrable.get_or_insert(Deferrable {
                deferrable: true,
                initially_deferred: false,
            });
            d.deferrable = true;
        } else if p.eat_kw("INITIALLY") {
            let deferred = p.eat_kw("DEFERRED");
            if !deferred {
                p.eat_kw("IMMEDIATE");
            }
            let d = st.deferrable.get_or_insert(Deferrable {
                deferrable: true,
                initially_deferred: false,
            });
            d.initially_deferred = deferred;
        } else if p.eat_kw("ENABLE") {
            st.enabled = true;
        } else if p.eat_kw("DISABLE") {
            st.enabled = false;
            st.validate = false;
        } else if p.eat_kw("VALIDATE") {
            st.validate = true;
        } else if p.eat_kw("NOVALIDATE") {
            st.validate = false;
        } else if p.eat_kw("RELY") || p.eat_kw("NORELY") {
        } else if p.eat_kws(&["USING", "INDEX"]) {
            // USING INDEX name | (CREATE INDEX ...) | physical attributes
            if !p.skip_parens() {
                while p.at(Tok::Word)
                    && !p.at_kw("ENABLE")
                    && !p.at_kw("DISABLE")
                    && !p.at_kw("CONSTRAINT")
                    && !p.at_kw("NOT")
                    && !p.at_kw("DEFERRABLE")
                    && !p.at_kw("INITIALLY")
                    && !p.at_kw("VALIDATE")
                    && !p.at_kw("NOVALIDATE")
                {
                    let tablespace = p.at_kw("TABLESPACE");
                    p.bump();
                    if p.at(Tok::Number) || p.at(Tok::Dot) || (tablespace && p.at_ident()) {
                        p.bump();
                    }
                    p.skip_parens();
                }
            }
        } else if p.eat_kws(&["EXCEPTIONS", "INTO"]) {
            let _ = p.qname();
        } else {
            break;
        }
    }
    st
}

/// Out-of-line constraint, cursor at CONSTRAINT / PRIMARY / UNIQUE / CHECK / FOREIGN.
fn table_constraint(p: &mut Parser) -> PResult<Constraint> {
    let start = p.offset();
    let mut name = None;
    if p.eat_kw("CONSTRAINT") {
        name = Some(p.ident()?);
    }
    let kind = if p.eat_kws(&["PRIMARY", "KEY"]) {
        ConstraintKind::PrimaryKey {
            columns: p.paren_ident_list()?,
        }
    } else if p.eat_kw("UNIQUE") {
        ConstraintKind::Unique {
            columns: p.paren_ident_list()?,
        }
    } else if p.eat_kw("CHECK") {
        p.expect(Tok::LParen, "`(`")?;
        let e = p.expr()?;
        p.expect(Tok::RParen, "`)`")?;
        ConstraintKind::Check { expr: e }
    } else if p.eat_kws(&["FOREIGN", "KEY"]) {
        let columns = p.paren_ident_list()?;
        p.expect_kw("REFERENCES")?;
        let (ref_table, ref_columns, on_delete) = references(p)?;
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update: None,
        }
    } else {
        return Err(p.error("expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY"));
    };
    let st = constraint_state(p);
    Ok(Constraint {
        name,
        kind,
        deferrable: st.deferrable,
        enabled: st.enabled,
        validate: st.validate,
        span: p.span_from(start),
    })
}

// ---------------------------------------------------------------------------------------------
// Partitioning
// ---------------------------------------------------------------------------------------------

/// `PARTITION BY RANGE|LIST|HASH|REFERENCE|SYSTEM (cols) [INTERVAL (e)] [SUBPARTITION BY ...]
/// [SUBPARTITION TEMPLATE (...)] [PARTITIONS n] (partition, ...)`.
fn partition_spec(p: &mut Parser) -> PResult<PartitionSpec> {
    let start = p.offset();
    p.expect_kw("PARTITION")?;
    p.expect_kw("BY")?;
    let mut spec = method_and_columns(p)?;
    if p.eat_kw("INTERVAL") {
        p.expect(Tok::LParen, "`(`")?;
        spec.interval = Some(p.expr()?);
        p.expect(Tok::RParen, "`)`")?;
        if p.eat_kw("STORE") {
            p.eat_kw("IN");
            p.skip_parens();
        }
    }
    let mut template: Vec<Partition> = Vec::new();
    if p.eat_kws(&["SUBPARTITION", "BY"]) {
        let mut sub = method_and_columns(p)?;
        if p.eat_kws(&["SUBPARTITIONS"]) {
            sub.count = Some(p.integer()?.clamp(0, 1 << 20) as u32);
        }
        if p.eat_kws(&["SUBPARTITION", "TEMPLATE"]) {
            p.expect(Tok::LParen, "`(`")?;
            template = partition_list_items(p, sub.method, true)?;
            p.expect(Tok::RParen, "`)`")?;
        }
        spec.subpartition = Some(Box::new(sub));
    }
    if p.eat_kw("PARTITIONS") {
        spec.count = Some(p.integer()?.clamp(0, 1 << 20) as u32);
        skip_store_in(p);
    }
    if p.at(Tok::LParen) {
        p.bump();
        spec.partitions = partition_list_items(p, spec.method, false)?;
        p.expect(Tok::RParen, "`)`")?;
    }
    if let Some(sub) = &spec.subpartition {
        let sub_method = sub.method;
        let count = sub.count;
        for part in &mut spec.partitions {
            if part.subpartitions.is_empty() {
                if !template.is_empty() {
                    part.subpartitions = template.clone();
                } else if let (PartitionMethod::Hash, Some(n)) = (sub_method, count) {
                    part.subpartitions = (0..n)
                        .map(|_| Partition {
                            name: None,
                            bound: PartitionBound::Hash,
                            subpartitions: Vec::new(),
                            span: part.span,
                        })
                        .collect();
                }
            }
        }
    }
    // Physical clauses after the partition list (ENABLE ROW MOVEMENT etc.) are handled by the
    // table tail loop.
    spec.span = p.span_from(start);
    Ok(spec)
}

fn method_and_columns(p: &mut Parser) -> PResult<PartitionSpec> {
    let method = if p.eat_kw("RANGE") {
        PartitionMethod::Range
    } else if p.eat_kw("LIST") {
        PartitionMethod::List
    } else if p.eat_kw("HASH") {
        PartitionMethod::Hash
    } else if p.eat_kw("REFERENCE") {
        PartitionMethod::Reference
    } else if p.eat_kw("SYSTEM") {
        PartitionMethod::System
    } else {
        return Err(p.error("expected RANGE, LIST, HASH, REFERENCE or SYSTEM"));
    };
    let columns = if p.at(Tok::LParen) {
        p.paren_ident_list()?
    } else {
        Vec::new()
    };
    Ok(PartitionSpec {
        method,
        columns,
        interval: None,
        subpartition: None,
        count: None,
        partitions: Vec::new(),
        span: Span::default(),
    })
}

fn skip_store_in(p: &mut Parser) {
    if p.eat_kws(&["STORE", "IN"]) {
        p.skip_parens();
    }
}

/// `PARTITION [name] VALUES LESS THAN (..) | VALUES (..) [physical] [(SUBPARTITION ...)]`, ...
fn partition_list_items(
    p: &mut Parser,
    method: PartitionMethod,
    sub: bool,
) -> PResult<Vec<Partition>> {
    let kw = if sub { "SUBPARTITION" } else { "PARTITION" };
    let mut out = Vec::new();
    loop {
        let start = p.offset();
        p.expect_kw(kw)?;
        let name = if p.at_ident() && !p.at_kw("VALUES") {
            Some(p.ident()?)
        } else {
            None
        };
        let bound = if p.eat_kw("VALUES") {
            if p.eat_kws(&["LESS", "THAN"]) {
                PartitionBound::LessThan(paren_exprs(p)?)
            } else {
                PartitionBound::In(paren_exprs(p)?)
            }
        } else {
            if method != PartitionMethod::Hash
                && method != PartitionMethod::Reference
                && method != PartitionMethod::System
            {
                return Err(p.error("expected VALUES"));
            }
            PartitionBound::Hash
        };
        // physical attributes of the partition
        while p.at(Tok::Word)
            && !p.at_kw(kw)
            && !p.at_kw("SUBPARTITION")
            && !p.at_kw("SUBPARTITIONS")
        {
            p.bump();
            if p.at(Tok::Number) {
                p.bump();
            }
            p.skip_parens();
        }
        let mut subs = Vec::new();
        if !sub {
            if p.eat_kw("SUBPARTITIONS") {
                let n = p.integer()?.clamp(0, 1 << 20) as u32;
                skip_store_in(p);
                subs = (0..n)
                    .map(|_| Partition {
                        name: None,
                        bound: PartitionBound::Hash,
                        subpartitions: Vec::new(),
                        span: Span::default(),
                    })
                    .collect();
            } else if p.at(Tok::LParen) && p.nth_kw(1, "SUBPARTITION") {
                p.bump();
                // The method of subpartitions is not known here; LIST/RANGE have VALUES.
                subs = partition_list_items(p, PartitionMethod::Hash, true)?;
                p.expect(Tok::RParen, "`)`")?;
            }
        }
        out.push(Partition {
            name,
            bound,
            subpartitions: subs,
            span: p.span_from(start),
        });
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    Ok(out)
}

fn paren_exprs(p: &mut Parser) -> PResult<Vec<Expr>> {
    p.expect(Tok::LParen, "`(`")?;
    let mut v = Vec::new();
    loop {
        let sp = p.span();
        if p.eat_kw("MAXVALUE") {
            v.push(Expr::MaxValue(sp));
        } else if p.eat_kw("DEFAULT") {
            v.push(Expr::Default(sp));
        } else {
            v.push(p.expr()?);
        }
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    p.expect(Tok::RParen, "`)`")?;
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// ALTER TABLE
// ---------------------------------------------------------------------------------------------

fn alter_table(p: &mut Parser, fs: &mut Vec<Finding>) -> PResult<AlterTable> {
    let table = p.qname()?;
    let mut actions = Vec::new();
    while !p.at_end() {
        let start = p.offset();
        if p.eat_kw("ADD") {
            if p.at(Tok::LParen) {
                p.bump();
                let mut cols = Vec::new();
                loop {
                    if at_constraint_start(p) {
                        actions.push(AlterAction::AddConstraint(table_constraint(p)?));
                    } else {
                        let mut inline = Vec::new();
                        cols.push(column_def(p, &mut inline, fs)?);
                        actions.extend(inline.into_iter().map(AlterAction::AddConstraint));
                    }
                    if !p.eat(Tok::Comma) {
                        break;
                    }
                }
                p.expect(Tok::RParen, "`)`")?;
                if !cols.is_empty() {
                    actions.insert(0, AlterAction::AddColumns(cols));
                }
            } else if at_constraint_start(p) {
                actions.push(AlterAction::AddConstraint(table_constraint(p)?));
            } else {
                p.eat_kw("COLUMN");
                let mut inline = Vec::new();
                let c = column_def(p, &mut inline, fs)?;
                actions.push(AlterAction::AddColumns(vec![c]));
                actions.extend(inline.into_iter().map(AlterAction::AddConstraint));
            }
        } else if p.at_kw("MODIFY")
            && !p.nth_kw(1, "CONSTRAINT")
            && !p.nth_kw(1, "PRIMARY")
            && !p.nth_kw(1, "UNIQUE")
            && !p.nth_kw(1, "PARTITION")
            && !p.nth_kw(1, "LOB")
        {
            p.bump();
            let mut cols = Vec::new();
            let paren = p.eat(Tok::LParen);
            loop {
                cols.push(modify_column(p)?);
                if !(paren && p.eat(Tok::Comma)) {
                    break;
                }
            }
            if paren {
                p.expect(Tok::RParen, "`)`")?;
            }
            actions.push(AlterAction::ModifyColumns(cols));
        } else if p.at_kw("DROP") && (p.nth_kw(1, "COLUMN") || p.nth_kind(1) == Some(Tok::LParen)) {
            p.bump();
            let cols = if p.eat_kw("COLUMN") {
                vec![p.ident()?]
            } else {
                p.paren_ident_list()?
            };
            while p.eat_kw("CASCADE") || p.eat_kw("CONSTRAINTS") || p.eat_kw("INVALIDATE") {}
            actions.push(AlterAction::DropColumns(cols));
        } else if p.at_kw("DROP") && p.nth_kw(1, "CONSTRAINT") {
            p.bump();
            p.bump();
            let n = p.ident()?;
            while p.eat_kw("CASCADE") || p.eat_kw("KEEP") || p.eat_kw("DROP") || p.eat_kw("INDEX") {
            }
            actions.push(AlterAction::DropConstraint(n));
        } else if p.at_kw("RENAME") && p.nth_kw(1, "COLUMN") {
            p.bump();
            p.bump();
            let from = p.ident()?;
            p.expect_kw("TO")?;
            let to = p.ident()?;
            actions.push(AlterAction::RenameColumn { from, to });
        } else if p.at_kw("RENAME") && p.nth_kw(1, "TO") {
            p.bump();
            p.bump();
            actions.push(AlterAction::RenameTo(p.ident()?));
        } else {
            // Anything else runs to the end of the statement.
            let sp = p.span();
            p.pos = p.toks.len();
            let span = p.span_from(sp.start.min(start));
            actions.push(AlterAction::Other {
                text: p.text_between(span.start, span.end).to_string(),
                span,
            });
        }
        p.eat(Tok::Comma);
    }
    Ok(AlterTable { table, actions })
}

/// `col [type] [DEFAULT e] [NULL | NOT NULL]` inside MODIFY.
fn modify_column(p: &mut Parser) -> PResult<Column> {
    let start = p.offset();
    let name = p.ident()?;
    let mut col = Column {
        name: name.clone(),
        ty: TypeRef::new(SourceType {
            name: String::new(),
            args: Vec::new(),
            modifier: None,
            span: name.span,
        }),
        default: None,
        not_null: None,
        not_null_name: None,
        identity: None,
        generated: None,
        span: name.span,
        comment: None,
    };
    if p.at_ident()
        && !p.at_kw("DEFAULT")
        && !p.at_kw("NOT")
        && !p.at_kw("NULL")
        && !p.at_kw("CONSTRAINT")
    {
        col.ty = TypeRef::new(p.data_type()?);
    }
    loop {
        if p.eat_kw("DEFAULT") {
            col.default = Some(p.expr()?);
        } else if p.eat_kw("CONSTRAINT") {
            col.not_null_name = Some(p.ident()?);
        } else if p.eat_kws(&["NOT", "NULL"]) {
            col.not_null = Some(true);
            constraint_state(p);
        } else if p.eat_kw("NULL") {
            col.not_null = Some(false);
        } else {
            break;
        }
    }
    col.span = p.span_from(start);
    Ok(col)
}

// ---------------------------------------------------------------------------------------------
// Indexes, sequences, views
// ---------------------------------------------------------------------------------------------

fn create_index(
    p: &mut Parser,
    unique: bool,
    bitmap: bool,
    fs: &mut Vec<Finding>,
) -> PResult<Index> {
    let name = p.qname()?;
    p.expect_kw("ON")?;
    if p.at_kw("CLUSTER") {
        return Err(p.error("cluster indexes are not supported"));
    }
    let table = p.qname()?;
    if p.at_ident() && !p.at(Tok::LParen) {
        // table alias (bitmap join indexes)
        p.bump();
    }
    let columns = p.index_column_list()?;
    let mut idx = Index {
        name,
        table,
        unique,
        bitmap,
        reverse: false,
        columns,
        local: false,
        where_: None,
        include: Vec::new(),
    };
    let mut dropped = Vec::new();
    let tail_start = p.offset();
    while !p.at_end() {
        if p.at_kw("INDEXTYPE") {
            return Err(p.error("domain indexes (INDEXTYPE IS) are not supported"));
        }
        if p.eat_kw("REVERSE") {
            idx.reverse = true;
            continue;
        }
        if p.eat_kw("LOCAL") {
            idx.local = true;
            p.skip_parens();
            continue;
        }
        if p.eat_kw("GLOBAL") {
            // GLOBAL PARTITION BY ... (...): skipped with the other clauses
            while !p.at_end() && !p.at(Tok::LParen) {
                p.bump();
            }
            p.skip_parens();
            dropped.push("GLOBAL PARTITION BY".to_string());
            continue;
        }
        if p.at(Tok::Word) {
            let w = p.peek_text().to_ascii_uppercase();
            p.bump();
            if matches!(
                w.as_str(),
                "TABLESPACE" | "PCTFREE" | "INITRANS" | "MAXTRANS" | "PARALLEL" | "COMPRESS"
            ) && (p.at(Tok::Number) || p.at_ident() && w == "TABLESPACE")
            {
                p.bump();
            }
            if w == "COMPUTE" {
                p.eat_kw("STATISTICS");
            }
            p.skip_parens();
            dropped.push(w);
            continue;
        }
        return Err(p.error("unexpected text after the index column list"));
    }
    if !dropped.is_empty() {
        dropped.dedup();
        flag(
            fs,
            &codes::STORAGE_CLAUSE,
            p.span_from(tail_start),
            &[&dropped.join(", ")],
        );
    }
    Ok(idx)
}

fn create_sequence(p: &mut Parser, fs: &mut Vec<Finding>) -> PResult<Sequence> {
    let name = p.qname()?;
    let mut s = Sequence {
        name: Some(name),
        ..Default::default()
    };
    while !p.at_end() {
        let sp = p.span();
        if p.eat_kws(&["START", "WITH"]) {
            s.start = Some(p.integer()?);
        } else if p.eat_kws(&["INCREMENT", "BY"]) {
            s.increment = Some(p.integer()?);
        } else if p.eat_kw("MINVALUE") {
            s.min = Some(p.integer()?);
        } else if p.eat_kw("MAXVALUE") {
            s.max = Some(p.integer()?);
        } else if p.eat_kw("CACHE") {
            s.cache = Some(p.integer()?);
        } else if p.eat_kw("CYCLE") {
            s.cycle = true;
        } else if p.eat_kw("NOCYCLE")
            || p.eat_kw("NOCACHE")
            || p.eat_kw("NOMINVALUE")
            || p.eat_kw("NOMAXVALUE")
        {
        } else if p.at(Tok::Word) {
            let w = p.peek_text().to_ascii_uppercase();
            p.bump();
            if !matches!(
                w.as_str(),
                "NOORDER" | "NOKEEP" | "NOSCALE" | "GLOBAL" | "NOSHARD"
            ) {
                flag(fs, &codes::SEQUENCE_OPTION, sp, &[&w]);
                s.dropped_options.push(w);
            }
            if p.at(Tok::Word) && (p.at_kw("EXTEND") || p.at_kw("NOEXTEND")) {
                p.bump();
            }
        } else {
            return Err(p.error("unexpected sequence option"));
        }
    }
    Ok(s)
}

fn create_view(
    p: &mut Parser,
    or_replace: bool,
    force: bool,
    materialized: bool,
    fs: &mut Vec<Finding>,
) -> PResult<View> {
    let start = p.offset();
    let name = p.qname()?;
    let mut columns = Vec::new();
    if p.at(Tok::LParen) {
        p.bump();
        loop {
            if p.at_kw("CONSTRAINT") || p.at_kw("PRIMARY") || p.at_kw("UNIQUE") {
                // view constraints are declarative only (RELY DISABLE NOVALIDATE)
                while !p.at_end() && !p.at(Tok::Comma) && !p.at(Tok::RParen) {
                    p.skip_token_or_group();
                }
            } else {
                columns.push(p.ident()?);
            }
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        p.expect(Tok::RParen, "`)`")?;
    }
    if materialized {
        // Physical and refresh clauses up to AS.
        let sp = p.offset();
        while !p.at_end() && !p.at_kw("AS") {
            p.skip_token_or_group();
        }
        if p.offset() > sp {
            let _ = start;
        }
    } else {
        // OF type WITH OBJECT IDENTIFIER ...: object views are not supported
        if p.at_kw("OF") {
            return Err(p.error("object views are not supported"));
        }
        if p.eat_kw("BEQUEATH") {
            p.bump();
        }
        if p.eat_kw("SHARING") {
            p.eat(Tok::Eq);
            p.bump();
        }
    }
    p.expect_kw("AS")?;
    let query = p.query()?;
    let mut read_only = false;
    let mut check_option = false;
    if p.eat_kw("WITH") {
        if p.eat_kws(&["READ", "ONLY"]) {
            read_only = true;
        } else if p.eat_kws(&["CHECK", "OPTION"]) {
            check_option = true;
        } else {
            return Err(p.error("expected READ ONLY or CHECK OPTION"));
        }
        if p.eat_kw("CONSTRAINT") {
            p.ident()?;
        }
    }
    let _ = fs;
    Ok(View {
        name,
        or_replace,
        force,
        columns,
        query: Box::new(query),
        read_only,
        check_option,
        materialized,
    })
}

// ---------------------------------------------------------------------------------------------
// COMMENT, GRANT
// ---------------------------------------------------------------------------------------------

fn comment(p: &mut Parser) -> PResult<Comment> {
    p.expect_kw("COMMENT")?;
    p.expect_kw("ON")?;
    let on = if p.eat_kw("TABLE") {
        CommentTarget::Table
    } else if p.eat_kw("COLUMN") {
        CommentTarget::Column
    } else if p.eat_kws(&["MATERIALIZED", "VIEW"]) {
        CommentTarget::MaterializedView
    } else {
        return Err(p.error("expected TABLE, COLUMN or MATERIALIZED VIEW"));
    };
    let name = p.qname()?;
    p.expect_kw("IS")?;
    let text = match p.peek_kind() {
        Some(k @ (Tok::String | Tok::NString | Tok::QString)) => {
            let v = string_value(k, p.peek_text());
            p.bump();
            Some(v)
        }
        Some(Tok::Word) if p.at_kw("NULL") => {
            p.bump();
            None
        }
        _ => return Err(p.error("expected a string")),
    };
    // SQL*Plus concatenation of literals is not valid here; anything else is an error.
    Ok(Comment { on, name, text })
}

fn grant(p: &mut Parser) -> PResult<Grant> {
    let revoke = p.eat_kw("REVOKE");
    if !revoke {
        p.expect_kw("GRANT")?;
    }
    let mut privileges = Vec::new();
    loop {
        let mut words = Vec::new();
        while p.at(Tok::Word) && !p.at_kw("ON") && !p.at_kw("TO") && !p.at_kw("FROM") {
            words.push(p.peek_text().to_ascii_uppercase());
            p.bump();
        }
        if p.at(Tok::LParen) {
            // column list: UPDATE (a, b)
            let s = p.offset();
            p.skip_parens();
            let e = p.span_from(s);
            words.push(p.text_between(e.start, e.end).to_string());
        }
        if words.is_empty() {
            return Err(p.error("expected a privilege"));
        }
        privileges.push(words.join(" "));
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    let mut on = None;
    if p.eat_kw("ON") {
        p.eat_kw("DIRECTORY");
        p.eat_kws(&["JAVA", "SOURCE"]);
        on = Some(p.qname()?);
    }
    if revoke {
        p.expect_kw("FROM")?;
    } else {
        p.expect_kw("TO")?;
    }
    let mut grantees = vec![p.ident()?];
    while p.eat(Tok::Comma) {
        grantees.push(p.ident()?);
    }
    let mut with_grant_option = false;
    if p.eat_kw("WITH") && (p.eat_kw("GRANT") || p.eat_kw("ADMIN") || p.eat_kw("HIERARCHY")) {
        p.expect_kw("OPTION")?;
        with_grant_option = true;
    }
    while p.eat_kw("CASCADE") || p.eat_kw("CONSTRAINTS") || p.eat_kw("FORCE") {}
    Ok(Grant {
        privileges,
        on,
        grantees,
        with_grant_option,
        revoke,
        on_kind: GrantOn::Relation,
    })
}
