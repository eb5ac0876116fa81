//! T-SQL statement parser (SQL Server and SAP ASE): DDL, DML, system procedures with a schema
//! meaning (`sp_addextendedproperty`, `sp_addtype`, `sp_bindrule`, `sp_bindefault`), and
//! recognition of procedural units, which are kept as `Stmt::Routine`.
//!
//! Physical clauses (`CLUSTERED`, `ON [filegroup]`, `WITH (options)`, `TEXTIMAGE_ON`, ASE
//! `LOCK DATAROWS`, `WITH IDENTITY_GAP`, `ON segment`) are dropped with `STORAGE_CLAUSE`.

use super::{Flavor, Pending};
use crate::diag::{Code, Finding};
use crate::frontend::lexer::{Tok, string_value};
use crate::frontend::parser::{PResult, Parser};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// Parses one statement unit.
pub fn statement(p: &mut Parser, span: Span, flavor: Flavor, block: bool) -> (Object, Pending) {
    let mut fs = Vec::new();
    let mut pending = Pending::None;
    let res = dispatch(p, span, flavor, block, &mut fs, &mut pending);
    let mut obj = match res {
        Ok(o) => {
            if !p.at_end() {
                let e = p.error("unexpected text after the end of the statement");
                pending = Pending::None;
                fs.clear();
                let mut o2 = opaque(p, span, &codes::SYNTAX_ERROR, e.span, &[&e.message]);
                o2.kind = o.kind;
                o2.name = o.name;
                o2
            } else {
                o
            }
        }
        Err(e) => {
            fs.clear();
            pending = Pending::None;
            let mut o = opaque(p, span, &codes::SYNTAX_ERROR, e.span, &[&e.message]);
            // Keep the kind and name when the header is readable, so that the report and the
            // dependency check know what failed.
            if let Some((kind, name)) = header_kind(p) {
                o.kind = kind;
                o.name = Some(name);
            }
            o
        }
    };
    fs.append(&mut obj.findings);
    obj.findings = fs;
    (obj, pending)
}

fn header_kind(p: &Parser) -> Option<(ObjectKind, QName)> {
    let mut q = Parser::new(p.text, p.file, p.base, p.dialect);
    q.toks = p.toks.clone();
    if !q.eat_kw("CREATE") {
        return None;
    }
    q.eat_kw("UNIQUE");
    q.eat_kw("CLUSTERED");
    q.eat_kw("NONCLUSTERED");
    let kind = match q.peek_text().to_ascii_uppercase().as_str() {
        "TABLE" => ObjectKind::Table,
        "INDEX" => ObjectKind::Index,
        "VIEW" => ObjectKind::View,
        "SEQUENCE" => ObjectKind::Sequence,
        "SYNONYM" => ObjectKind::Synonym,
        _ => return None,
    };
    q.bump();
    let name = q.qname().ok()?;
    Some((kind, name))
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

fn first_line(p: &Parser, span: Span) -> Span {
    let len = p.text.find('\n').unwrap_or(p.text.len()) as u32;
    Span::new(span.file, span.start, span.start + len.min(span.len()))
}

fn words(p: &Parser, n: usize) -> String {
    let mut v = Vec::new();
    for i in 0..n {
        if p.nth_kind(i) == Some(Tok::Word) {
            v.push(p.nth_text(i).to_ascii_uppercase());
        } else {
            break;
        }
    }
    if v.is_empty() {
        v.push(crate::frontend::parser::truncate(p.peek_text(), 20));
    }
    v.join(" ")
}

fn skipped(p: &mut Parser, span: Span, fs: &mut Vec<Finding>, n: usize) -> Object {
    let what = words(p, n);
    flag(fs, &codes::STATEMENT_SKIPPED, first_line(p, span), &[&what]);
    p.pos = p.toks.len();
    Object::new(ObjectKind::Statement, None, span, Stmt::Ignored { what })
}

fn unknown(
    p: &mut Parser,
    span: Span,
    fs: &mut Vec<Finding>,
    code: &'static Code,
    args: &[&str],
) -> Object {
    flag(fs, code, first_line(p, span), args);
    let mut o = Object::new(
        ObjectKind::Statement,
        None,
        span,
        Stmt::Opaque {
            text: p.text.to_string(),
        },
    );
    o.commented_out = true;
    p.pos = p.toks.len();
    o
}

fn routine(
    p: &mut Parser,
    span: Span,
    fs: &mut Vec<Finding>,
    kind: ObjectKind,
    what: &str,
    name: Option<QName>,
) -> Object {
    let shown = name.as_ref().map(|n| n.display()).unwrap_or_default();
    // A routine the procedural parser could not read already says why (PLS030).
    if !fs
        .iter()
        .any(|f| std::ptr::eq(f.code, &codes::TSQL_NOT_CONVERTED))
    {
        flag(
            fs,
            &codes::PLSQL_NOT_CONVERTED,
            first_line(p, span),
            &[&what.to_lowercase(), &shown],
        );
    }
    p.pos = p.toks.len();
    let mut o = Object::new(
        kind,
        name,
        span,
        Stmt::Routine(Box::new(RoutineSrc {
            what: what.to_string(),
            text: p.text.to_string(),
        })),
    );
    o.commented_out = true;
    o
}

/// A procedure, function or trigger (cursor at `PROC`, `FUNCTION`, `TRIGGER`) parsed by
/// `proc.rs`; `None` (cursor unchanged) when it cannot be read: the caller keeps the source,
/// with a finding saying why.
fn procedural(p: &mut Parser, span: Span, flavor: Flavor, fs: &mut Vec<Finding>) -> Option<Object> {
    let save = p.pos;
    let depth = p.depth;
    match super::proc::create(p, flavor) {
        Ok(r) if p.at_end() => {
            let mut o = Object::new(r.kind, Some(r.name), span, r.stmt);
            o.findings = r.findings;
            Some(o)
        }
        res => {
            let e = match res {
                Err(e) => e,
                Ok(_) => p.error("unexpected text after the end of the routine"),
            };
            p.pos = save;
            p.depth = depth;
            fs.push(Finding::new(
                &codes::TSQL_NOT_CONVERTED,
                e.span,
                &[&e.message],
            ));
            None
        }
    }
}

fn dispatch(
    p: &mut Parser,
    span: Span,
    flavor: Flavor,
    block: bool,
    fs: &mut Vec<Finding>,
    pending: &mut Pending,
) -> PResult<Object> {
    let first = p.peek_text().to_ascii_uppercase();
    let obj = |kind, name, stmt| Object::new(kind, name, span, stmt);
    match first.as_str() {
        "CREATE" => create(p, span, flavor, fs, pending),
        "ALTER" if p.nth_kw(1, "TABLE") => {
            p.bump();
            p.bump();
            alter_table(p, span, fs)
        }
        "ALTER"
            if p.nth_kw(1, "PROC")
                || p.nth_kw(1, "PROCEDURE")
                || p.nth_kw(1, "FUNCTION")
                || p.nth_kw(1, "TRIGGER")
                || p.nth_kw(1, "VIEW") =>
        {
            let what = p.nth_text(1).to_ascii_uppercase();
            p.bump();
            if what != "VIEW"
                && let Some(o) = procedural(p, span, flavor, fs)
            {
                return Ok(o);
            }
            p.bump();
            let name = p.qname().ok();
            Ok(routine(
                p,
                span,
                fs,
                ObjectKind::Routine,
                &format!("ALTER {what}"),
                name,
            ))
        }
        "INSERT" => p.dml_object(span),
        "UPDATE" if p.nth_kw(1, "STATISTICS") => Ok(skipped(p, span, fs, 2)),
        "UPDATE" => p.dml_object(span),
        "DELETE" | "MERGE" => p.dml_object(span),
        "EXEC" | "EXECUTE" => {
            p.bump();
            exec(p, span, fs, pending)
        }
        w if w.starts_with("SP_") => exec(p, span, fs, pending),
        "SET" if p.nth_kw(1, "IDENTITY_INSERT") => {
            p.bump();
            p.bump();
            let t = p.qname()?;
            let on = p.eat_kw("ON");
            if !on {
                p.expect_kw("OFF")?;
            }
            *pending = Pending::IdentityInsert { table: t, on };
            Ok(obj(
                ObjectKind::Statement,
                None,
                Stmt::Ignored {
                    what: "SET IDENTITY_INSERT".into(),
                },
            ))
        }
        "BULK" => {
            let what = p
                .text
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            Ok(unknown(p, span, fs, &codes::BULK_INSERT, &[&what]))
        }
        "IF" | "WHILE" | "BEGIN" | "DECLARE" if block => {
            // Guarded DROPs and messages only: nothing to convert.
            let up = p.text.to_ascii_uppercase();
            let harmless = !up.contains("CREATE ")
                && !up.contains("INSERT ")
                && !up.contains("ALTER TABLE")
                && !up.contains("UPDATE ");
            if harmless {
                return Ok(skipped(p, span, fs, 1));
            }
            Ok(routine(
                p,
                span,
                fs,
                ObjectKind::Routine,
                "T-SQL batch",
                None,
            ))
        }
        "GRANT" | "REVOKE" | "DENY" => grant(p, span, fs),
        "SET"
            if (p.nth_kw(1, "CHAINED") || p.nth_kw(1, "IMPLICIT_TRANSACTIONS"))
                && p.nth_kw(2, "ON") =>
        {
            let what = words(p, 3);
            let who = format!("the statements after {what}");
            flag(
                fs,
                &codes::CHAINED_TRANSACTIONS,
                first_line(p, span),
                &[&who],
            );
            p.pos = p.toks.len();
            Ok(Object::new(
                ObjectKind::Statement,
                None,
                span,
                Stmt::Ignored { what },
            ))
        }
        "SET" | "USE" | "PRINT" | "RAISERROR" | "DROP" | "TRUNCATE" | "CHECKPOINT" | "DBCC"
        | "COMMIT" | "ROLLBACK" | "SETUSER" | "DUMP" | "LOAD" | "RECONFIGURE" | "SELECT" | "IF"
        | "WHILE" | "BEGIN" | "DECLARE" => Ok(skipped(p, span, fs, 2)),
        "ALTER"
            if p.nth_kw(1, "ROLE")
                && (p.nth_kw(3, "ADD") || p.nth_kw(3, "DROP"))
                && p.nth_kw(4, "MEMBER") =>
        {
            // ALTER ROLE r {ADD | DROP} MEMBER m
            p.bump();
            p.bump();
            let role = p.ident()?;
            let revoke = p.at_kw("DROP");
            p.bump();
            p.bump();
            let m = p.ident()?;
            Ok(Object::new(
                ObjectKind::Grant,
                None,
                span,
                Stmt::Grant(Box::new(Grant {
                    privileges: vec![role.value],
                    on: None,
                    grantees: vec![m],
                    with_grant_option: false,
                    revoke,
                    on_kind: GrantOn::Relation,
                })),
            ))
        }
        "ALTER" => {
            let what = words(p, 2);
            if p.nth_kw(1, "DATABASE") || p.nth_kw(1, "AUTHORIZATION") {
                return Ok(skipped(p, span, fs, 2));
            }
            Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&what]))
        }
        _ => {
            let what = words(p, 2);
            Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&what]))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// EXEC of system procedures
// ---------------------------------------------------------------------------------------------

/// One argument of a system procedure call: `N'x'`, `'x'`, a name, `NULL`, `@name = value`.
fn proc_args(p: &mut Parser) -> Vec<Option<String>> {
    let mut v = Vec::new();
    while !p.at_end() {
        if p.at(Tok::Variable) && p.nth_kind(1) == Some(Tok::Eq) {
            p.bump();
            p.bump();
        }
        let val = match p.peek_kind() {
            Some(k @ (Tok::String | Tok::NString | Tok::QuotedIdent)) => Some(string_value(
                if k == Tok::QuotedIdent {
                    Tok::QuotedIdent
                } else {
                    k
                },
                p.peek_text(),
            )),
            Some(Tok::BracketIdent) => Some(string_value(Tok::BracketIdent, p.peek_text())),
            Some(Tok::Word) if p.at_kw("NULL") => None,
            Some(_) => Some(p.peek_text().to_string()),
            None => None,
        };
        p.bump();
        // names like a.b as one argument
        let mut val = val;
        while p.at(Tok::Dot) {
            p.bump();
            if let Some(v2) = &mut val {
                v2.push('.');
                v2.push_str(&string_value(
                    p.peek_kind().unwrap_or(Tok::Word),
                    p.peek_text(),
                ));
            }
            p.bump();
        }
        v.push(val);
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    p.pos = p.toks.len();
    v
}

fn exec(
    p: &mut Parser,
    span: Span,
    fs: &mut Vec<Finding>,
    pending: &mut Pending,
) -> PResult<Object> {
    if p.at(Tok::Variable) && p.nth_kind(1) == Some(Tok::Eq) {
        // EXEC @rc = proc
        p.bump();
        p.bump();
    }
    let name = p.qname()?;
    let proc = name.name().value.to_ascii_lowercase();
    let obj = |kind, name, stmt| Object::new(kind, name, span, stmt);
    match proc.as_str() {
        "sp_addextendedproperty" => {
            let a = proc_args(p);
            let get = |i: usize| a.get(i).cloned().flatten();
            let prop = get(0).unwrap_or_default();
            let value = get(1);
            // level0: SCHEMA s, level1: TABLE|VIEW t, level2: COLUMN c
            let l0 = get(3);
            let l1type = get(4).map(|s| s.to_ascii_uppercase());
            let l1 = get(5);
            let l2type = get(6).map(|s| s.to_ascii_uppercase());
            let l2 = get(7);
            let mk = |s: &str| Ident::new(s, span);
            let target = match (l1type.as_deref(), l1, l2type.as_deref(), l2) {
                (Some("TABLE"), Some(t), Some("COLUMN"), Some(c)) => {
                    Some((CommentTarget::Column, vec![t, c]))
                }
                (Some("VIEW"), Some(t), Some("COLUMN"), Some(c)) => {
                    Some((CommentTarget::Column, vec![t, c]))
                }
                (Some("TABLE"), Some(t), None, _) => Some((CommentTarget::Table, vec![t])),
                (Some("VIEW"), Some(t), None, _) => Some((CommentTarget::View, vec![t])),
                _ => None,
            };
            match target {
                Some((on, mut parts)) if prop.eq_ignore_ascii_case("MS_Description") => {
                    if let Some(s) = l0.filter(|s| !s.eq_ignore_ascii_case("dbo")) {
                        parts.insert(0, s);
                    }
                    let q = QName {
                        parts: parts.iter().map(|s| mk(s)).collect(),
                        dblink: None,
                    };
                    Ok(obj(
                        ObjectKind::Comment,
                        Some(q.clone()),
                        Stmt::Comment(Box::new(Comment {
                            on,
                            name: q,
                            text: value,
                        })),
                    ))
                }
                _ => {
                    flag(fs, &codes::EXTENDED_PROPERTY, first_line(p, span), &[&prop]);
                    Ok(obj(
                        ObjectKind::Statement,
                        None,
                        Stmt::Ignored {
                            what: "sp_addextendedproperty".into(),
                        },
                    ))
                }
            }
        }
        "sp_addtype" => {
            let a = proc_args(p);
            let tname = a.first().cloned().flatten().unwrap_or_default();
            let base = a.get(1).cloned().flatten().unwrap_or_default();
            let null = a.get(2).cloned().flatten().unwrap_or_default();
            let mut q = Parser::new(&base, p.file, span.start, p.dialect);
            let ty = q.data_type()?;
            let not_null = if null.eq_ignore_ascii_case("NOT NULL") {
                Some(true)
            } else if null.eq_ignore_ascii_case("NULL") {
                Some(false)
            } else {
                None
            };
            *pending = Pending::AliasType {
                name: tname.clone(),
                ty,
                not_null,
            };
            Ok(obj(
                ObjectKind::Type,
                Some(QName::single(Ident::new(tname, span))),
                Stmt::Ignored {
                    what: "sp_addtype".into(),
                },
            ))
        }
        "sp_bindrule" | "sp_bindefault" => {
            let a = proc_args(p);
            let what = a.first().cloned().flatten().unwrap_or_default();
            let to = a.get(1).cloned().flatten().unwrap_or_default();
            *pending = Pending::Bind {
                rule: proc == "sp_bindrule",
                what,
                to,
            };
            Ok(obj(
                ObjectKind::Statement,
                None,
                Stmt::Ignored { what: proc.clone() },
            ))
        }
        "sp_procxmode" => {
            // sp_procxmode proc, 'chained' | 'unchained' | 'anymode'
            let a = proc_args(p);
            let mode = a.get(1).cloned().flatten().unwrap_or_default();
            let what = format!(
                "sp_procxmode {}",
                a.first().cloned().flatten().unwrap_or_default()
            );
            if mode.eq_ignore_ascii_case("chained") {
                let who = format!(
                    "procedure {} ({what})",
                    a.first().cloned().flatten().unwrap_or_default()
                );
                flag(
                    fs,
                    &codes::CHAINED_TRANSACTIONS,
                    first_line(p, span),
                    &[&who],
                );
            } else {
                flag(fs, &codes::STATEMENT_SKIPPED, first_line(p, span), &[&what]);
            }
            Ok(obj(ObjectKind::Statement, None, Stmt::Ignored { what }))
        }
        // Roles and users of the database (logins are server-wide: skipped below).
        "sp_addrole" | "sp_addgroup" => {
            let a = proc_args(p);
            let Some(r) = a.first().cloned().flatten() else {
                return Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&proc]));
            };
            let r = Ident::new(r, span);
            Ok(obj(
                ObjectKind::Role,
                Some(QName::single(r.clone())),
                Stmt::CreateRole(r),
            ))
        }
        "sp_adduser" => {
            // sp_adduser login [, name_in_db [, role_or_group]]
            let a = proc_args(p);
            let get = |i: usize| a.get(i).cloned().flatten();
            let Some(login) = get(0) else {
                return Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&proc]));
            };
            let u = Ident::new(get(1).unwrap_or(login), span);
            let mut o = obj(
                ObjectKind::User,
                Some(QName::single(u.clone())),
                Stmt::CreateUser(Box::new(User {
                    name: u.clone(),
                    password_given: false,
                    dropped_options: Vec::new(),
                })),
            );
            if let Some(g) = get(2).filter(|g| !g.eq_ignore_ascii_case("public")) {
                o.attached.push(role_grant(&g, &u.value, span));
            }
            Ok(o)
        }
        "sp_addrolemember" | "sp_changegroup" => {
            // sp_addrolemember role, member; sp_changegroup group, user
            let a = proc_args(p);
            let get = |i: usize| a.get(i).cloned().flatten();
            let (Some(role), Some(member)) = (get(0), get(1)) else {
                return Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&proc]));
            };
            let Stmt::Grant(g) = role_grant(&role, &member, span) else {
                unreachable!("role_grant returns a grant")
            };
            Ok(obj(ObjectKind::Grant, None, Stmt::Grant(g)))
        }
        p_ if p_.starts_with("sp_") || p_.starts_with("xp_") => {
            let what = format!("EXEC {p_}");
            flag(fs, &codes::STATEMENT_SKIPPED, first_line(p, span), &[&what]);
            p.pos = p.toks.len();
            Ok(obj(ObjectKind::Statement, None, Stmt::Ignored { what }))
        }
        _ => {
            let what = format!("EXEC {}", name.display());
            Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&what]))
        }
    }
}

/// `GRANT role TO member`.
fn role_grant(role: &str, member: &str, span: Span) -> Stmt {
    Stmt::Grant(Box::new(Grant {
        privileges: vec![role.to_string()],
        on: None,
        grantees: vec![Ident::new(member, span)],
        with_grant_option: false,
        revoke: false,
        on_kind: GrantOn::Relation,
    }))
}

/// `GRANT privs [ON [class::]object [(cols)]] TO principals [WITH GRANT OPTION] [AS p]`,
/// `REVOKE [GRANT OPTION FOR] privs [ON ...] {FROM | TO} principals [CASCADE]`, `DENY ...`
/// (no target equivalent: TGT007). ASE's `grant role r to u` is a role grant.
fn grant(p: &mut Parser, span: Span, fs: &mut Vec<Finding>) -> PResult<Object> {
    let verb = p.peek_text().to_ascii_uppercase();
    p.bump();
    if verb == "DENY" {
        let t = p.text.trim();
        let rest = t.get(4..).unwrap_or("").trim();
        let what = crate::frontend::parser::truncate(rest, 80);
        flag(
            fs,
            &codes::DENY_NOT_SUPPORTED,
            first_line(p, span),
            &[&what],
        );
        p.pos = p.toks.len();
        let mut o = Object::new(
            ObjectKind::Grant,
            None,
            span,
            Stmt::Opaque {
                text: p.text.to_string(),
            },
        );
        o.commented_out = true;
        return Ok(o);
    }
    let revoke = verb == "REVOKE";
    if revoke {
        p.eat_kws(&["GRANT", "OPTION", "FOR"]);
    }
    p.eat_kw("ROLE");
    // Privileges up to ON / TO / FROM.
    let mut privileges = Vec::new();
    let mut cur = String::new();
    while !(p.at_end() || p.at_kw("ON") || p.at_kw("TO") || (revoke && p.at_kw("FROM"))) {
        if p.eat(Tok::Comma) {
            privileges.push(std::mem::take(&mut cur));
            continue;
        }
        if p.at(Tok::LParen) {
            // column list of a privilege: SELECT (a, b)
            let s = p.offset();
            p.skip_parens();
            cur.push_str(&p.text_between(s, p.span_from(s).end).to_ascii_uppercase());
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&p.peek_text().to_ascii_uppercase());
        p.bump();
    }
    if !cur.is_empty() {
        privileges.push(cur);
    }
    // ALL [PRIVILEGES]
    for pr in &mut privileges {
        if pr == "ALL PRIVILEGES" {
            *pr = "ALL".into();
        }
    }
    let mut on = None;
    if p.eat_kw("ON") {
        // OBJECT::name, SCHEMA::name ...
        if p.nth_kind(1) == Some(Tok::Colon) {
            let class = p.peek_text().to_ascii_uppercase();
            if class != "OBJECT" {
                let s = p.offset();
                while !p.at_end() && !p.at_kw("TO") && !p.at_kw("FROM") {
                    p.bump();
                }
                let target = p.text_between(s, p.span_from(s).end).trim().to_string();
                flag(
                    fs,
                    &codes::PRIVILEGE_UNKNOWN,
                    first_line(p, span),
                    &[&privileges.join(", "), &target],
                );
                p.pos = p.toks.len();
                let mut o = Object::new(
                    ObjectKind::Grant,
                    None,
                    span,
                    Stmt::Opaque {
                        text: p.text.to_string(),
                    },
                );
                o.commented_out = true;
                return Ok(o);
            }
            p.bump();
            while p.at(Tok::Colon) {
                p.bump();
            }
            // `::dbo.t` lexes as `:` and the parameter `:dbo`.
            if p.peek_text().len() > 1 && p.peek_text().starts_with(':') {
                let first = Ident::new(p.peek_text()[1..].to_string(), p.span());
                p.bump();
                let mut parts = vec![first];
                while p.eat(Tok::Dot) {
                    parts.push(p.ident()?);
                }
                // `dbo.` is dropped, as everywhere (see mod.rs).
                if parts.len() > 1 && parts[0].value.eq_ignore_ascii_case("dbo") {
                    parts.remove(0);
                }
                on = Some(QName {
                    parts,
                    dblink: None,
                });
            }
        }
        let name = match on.take() {
            Some(n) => n,
            None => p.qname()?,
        };
        if p.at(Tok::LParen) {
            // GRANT SELECT ON t (a, b): column privileges
            let s = p.offset();
            p.skip_parens();
            let cols = p.text_between(s, p.span_from(s).end).to_ascii_uppercase();
            for pr in &mut privileges {
                pr.push_str(&cols);
            }
        }
        on = Some(name);
    }
    if !(p.eat_kw("TO") || p.eat_kw("FROM")) {
        return Err(p.error("expected TO or FROM"));
    }
    let mut grantees = Vec::new();
    loop {
        grantees.push(p.ident()?);
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    let with_grant_option = p.eat_kws(&["WITH", "GRANT", "OPTION"]);
    p.eat_kw("CASCADE");
    if p.eat_kw("AS") {
        let _ = p.ident()?;
    }
    Ok(Object::new(
        ObjectKind::Grant,
        on.clone(),
        span,
        Stmt::Grant(Box::new(Grant {
            privileges,
            on,
            grantees,
            with_grant_option,
            revoke,
            on_kind: GrantOn::Relation,
        })),
    ))
}

// ---------------------------------------------------------------------------------------------
// CREATE
// ---------------------------------------------------------------------------------------------

fn create(
    p: &mut Parser,
    span: Span,
    flavor: Flavor,
    fs: &mut Vec<Finding>,
    pending: &mut Pending,
) -> PResult<Object> {
    p.expect_kw("CREATE")?;
    let or_alter = p.eat_kws(&["OR", "ALTER"]) || p.eat_kws(&["OR", "REPLACE"]);
    let obj = |kind, name, stmt| Object::new(kind, name, span, stmt);
    let unique = p.eat_kw("UNIQUE");
    let mut phys = Vec::new();
    if p.eat_kw("CLUSTERED") {
        phys.push("CLUSTERED");
    }
    p.eat_kw("NONCLUSTERED");
    let word = p.peek_text().to_ascii_uppercase();
    match word.as_str() {
        "TABLE" => {
            p.bump();
            let t = create_table(p, flavor, fs)?;
            Ok(obj(
                ObjectKind::Table,
                Some(t.name.clone()),
                Stmt::CreateTable(Box::new(t)),
            ))
        }
        "INDEX" => {
            p.bump();
            let i = create_index(p, unique, &phys, fs)?;
            Ok(obj(
                ObjectKind::Index,
                Some(i.name.clone()),
                Stmt::CreateIndex(Box::new(i)),
            ))
        }
        "COLUMNSTORE" | "XML" | "SPATIAL" | "PRIMARY" | "FULLTEXT" | "SELECTIVE" => {
            let what = format!("CREATE {}", words(p, 3));
            let mut o = unknown(p, span, fs, &codes::INDEX_NOT_CONVERTED, &[&what]);
            o.kind = ObjectKind::Index;
            Ok(o)
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
            let v = create_view(p, or_alter, fs)?;
            Ok(obj(
                ObjectKind::View,
                Some(v.name.clone()),
                Stmt::CreateView(Box::new(v)),
            ))
        }
        "SYNONYM" => {
            p.bump();
            let name = p.qname()?;
            p.expect_kw("FOR")?;
            let target = p.qname()?;
            Ok(obj(
                ObjectKind::Synonym,
                Some(name.clone()),
                Stmt::CreateSynonym(Box::new(Synonym {
                    name,
                    public: false,
                    target,
                    target_kind: None,
                })),
            ))
        }
        "SCHEMA" => {
            p.bump();
            let name = p.ident()?;
            if p.eat_kw("AUTHORIZATION") {
                p.ident()?;
            }
            if !p.at_end() {
                return Err(p.error("schema elements inside CREATE SCHEMA are not supported"));
            }
            Ok(obj(
                ObjectKind::Schema,
                Some(QName::single(name.clone())),
                Stmt::CreateSchema(name),
            ))
        }
        "TYPE" => {
            p.bump();
            let name = p.qname()?;
            if p.eat_kw("FROM") {
                let ty = p.data_type()?;
                let not_null = if p.eat_kws(&["NOT", "NULL"]) {
                    Some(true)
                } else if p.eat_kw("NULL") {
                    Some(false)
                } else {
                    None
                };
                *pending = Pending::AliasType {
                    name: name.name().value.clone(),
                    ty,
                    not_null,
                };
                Ok(obj(
                    ObjectKind::Type,
                    Some(name),
                    Stmt::Ignored {
                        what: "CREATE TYPE".into(),
                    },
                ))
            } else {
                Ok(routine(p, span, fs, ObjectKind::Type, "TYPE", Some(name)))
            }
        }
        "RULE" | "DEFAULT" => {
            p.bump();
            let name = p.qname()?;
            p.expect_kw("AS")?;
            let e = p.expr()?;
            *pending = Pending::RuleOrDefault {
                rule: word == "RULE",
                name: name.name().value.clone(),
                expr: e,
            };
            Ok(obj(
                ObjectKind::Statement,
                Some(name),
                Stmt::Ignored {
                    what: format!("CREATE {word}"),
                },
            ))
        }
        "PROC" | "PROCEDURE" | "FUNCTION" | "TRIGGER" => {
            if let Some(o) = procedural(p, span, flavor, fs) {
                return Ok(o);
            }
            p.bump();
            let name = p.qname().ok();
            let (kind, what) = match word.as_str() {
                "FUNCTION" => (ObjectKind::Function, "FUNCTION"),
                "TRIGGER" => (ObjectKind::Trigger, "TRIGGER"),
                _ => (ObjectKind::Procedure, "PROCEDURE"),
            };
            Ok(routine(p, span, fs, kind, what, name))
        }
        "PARTITION" => {
            let what = format!("CREATE {}", words(p, 2));
            match partition_object(p) {
                Ok(pd) => {
                    // Used by the tables created on it (mod.rs); nothing to create itself.
                    *pending = pd;
                }
                Err(_) => {
                    flag(fs, &codes::PARTITION_SCHEME, first_line(p, span), &[&what]);
                }
            }
            p.pos = p.toks.len();
            Ok(obj(ObjectKind::Statement, None, Stmt::Ignored { what }))
        }
        "ROLE" => {
            p.bump();
            let r = p.ident()?;
            if p.eat_kw("AUTHORIZATION") {
                let _ = p.ident()?;
            }
            Ok(obj(
                ObjectKind::Role,
                Some(QName::single(r.clone())),
                Stmt::CreateRole(r),
            ))
        }
        "USER" => {
            // CREATE USER u [{FOR | FROM} LOGIN l | WITHOUT LOGIN] [WITH DEFAULT_SCHEMA = s]
            p.bump();
            let u = p.ident()?;
            let mut dropped_options = Vec::new();
            while !p.at_end() {
                dropped_options.push(p.peek_text().to_ascii_uppercase());
                p.bump();
            }
            Ok(obj(
                ObjectKind::User,
                Some(QName::single(u.clone())),
                Stmt::CreateUser(Box::new(User {
                    name: u,
                    password_given: false,
                    dropped_options,
                })),
            ))
        }
        "DATABASE" | "LOGIN" | "ASSEMBLY" | "CERTIFICATE" | "MESSAGE" | "CONTRACT" | "QUEUE"
        | "SERVICE" | "ROUTE" | "ENDPOINT" | "FULLTEXT CATALOG" | "AGGREGATE" => {
            Ok(skipped(p, span, fs, 2))
        }
        _ => {
            let what = format!("CREATE {}", words(p, 2));
            Ok(unknown(p, span, fs, &codes::UNKNOWN_STATEMENT, &[&what]))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CREATE TABLE
// ---------------------------------------------------------------------------------------------

fn empty_type(span: Span) -> SourceType {
    SourceType {
        name: String::new(),
        args: Vec::new(),
        modifier: None,
        span,
    }
}

pub(super) fn create_table(
    p: &mut Parser,
    flavor: Flavor,
    fs: &mut Vec<Finding>,
) -> PResult<Table> {
    let name = p.qname()?;
    table_body(p, name, flavor, fs)
}

/// The column and constraint list of a table (after its name), and what follows it.
pub(super) fn table_body(
    p: &mut Parser,
    name: QName,
    flavor: Flavor,
    fs: &mut Vec<Finding>,
) -> PResult<Table> {
    let temporary = if name.name().value.starts_with('#') {
        Some(TempKind::Local)
    } else {
        None
    };
    let mut t = Table {
        name,
        columns: Vec::new(),
        constraints: Vec::new(),
        temporary,
        partition: None,
        as_query: None,
        if_not_exists: false,
    };
    let mut dropped: Vec<String> = Vec::new();
    p.expect(Tok::LParen, "`(`")?;
    loop {
        if p.at(Tok::RParen) {
            break;
        }
        if at_constraint_start(p) {
            if let Some(c) = table_constraint(p, &mut dropped, fs)? {
                t.constraints.push(c);
            }
        } else if p.at_kw("PERIOD") {
            let sp = p.span();
            while !p.at_end() && !p.at(Tok::Comma) && !p.at(Tok::RParen) {
                p.skip_token_or_group();
            }
            flag(fs, &codes::TEMPORAL_TABLE, sp, &[&t.name.display()]);
        } else if p.at_kw("INDEX") {
            let sp = p.span();
            while !p.at_end() && !p.at(Tok::Comma) && !p.at(Tok::RParen) {
                p.skip_token_or_group();
            }
            flag(fs, &codes::INDEX_NOT_CONVERTED, sp, &["inline INDEX"]);
        } else {
            let mut inline = Vec::new();
            let c = column_def(p, &mut inline, &mut dropped, fs)?;
            t.constraints.extend(inline);
            t.columns.push(c);
        }
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    p.expect(Tok::RParen, "`,` or `)`")?;
    // Table tail.
    let tail = p.offset();
    while !p.at_end() {
        if p.eat_kw("ON") || p.eat_kw("TEXTIMAGE_ON") || p.eat_kw("FILESTREAM_ON") {
            // filegroup, partition scheme (x(col)) or ASE segment ('default' is a string)
            let mut on = None;
            if !p.eat(Tok::String) {
                on = Some(p.ident()?);
            }
            if p.at(Tok::LParen)
                && let Some(scheme) = on
            {
                // ON scheme(column): a placeholder partition named after the scheme, resolved
                // against the partition scheme and function by the whole-input lowering.
                let sp = scheme.span;
                p.bump();
                let col = p.ident()?;
                p.expect(Tok::RParen, "`)`")?;
                t.partition = Some(PartitionSpec {
                    method: PartitionMethod::Range,
                    columns: vec![col],
                    interval: None,
                    subpartition: None,
                    count: None,
                    partitions: vec![Partition {
                        name: Some(scheme),
                        bound: PartitionBound::In(Vec::new()),
                        subpartitions: Vec::new(),
                        span: sp,
                    }],
                    span: sp,
                });
            } else {
                if p.at(Tok::LParen) {
                    p.skip_parens();
                }
                dropped.push("ON filegroup".into());
            }
        } else if p.eat_kw("WITH") {
            if p.at(Tok::LParen) {
                let s = p.offset();
                p.skip_parens();
                let txt = p.text_between(s, p.span_from(s).end).to_ascii_uppercase();
                if txt.contains("SYSTEM_VERSIONING") {
                    flag(
                        fs,
                        &codes::TEMPORAL_TABLE,
                        p.span_from(s),
                        &[&t.name.display()],
                    );
                }
                if txt.contains("MEMORY_OPTIMIZED") {
                    flag(
                        fs,
                        &codes::MEMORY_OPTIMIZED,
                        p.span_from(s),
                        &[&t.name.display()],
                    );
                }
                dropped.push("WITH (options)".into());
            } else {
                // ASE: WITH IDENTITY_GAP = n, WITH MAX_ROWS_PER_PAGE = n, EXP_ROW_SIZE ...
                while p.at(Tok::Word) {
                    dropped.push(p.peek_text().to_ascii_uppercase());
                    p.bump();
                    if p.eat(Tok::Eq) {
                        p.bump();
                    }
                    if !p.eat(Tok::Comma) {
                        break;
                    }
                }
            }
        } else if p.eat_kw("LOCK") {
            let w = p.peek_text().to_ascii_uppercase();
            p.bump();
            dropped.push(format!("LOCK {w}"));
        } else if flavor == Flavor::Ase && p.at_kw("PARTITION") {
            ase_partition(p, &mut t, &mut dropped, fs)?;
        } else if p.eat(Tok::Semi) {
        } else {
            return Err(p.error("unexpected text after the column list"));
        }
    }
    if !dropped.is_empty() {
        dropped.dedup();
        let mut seen = std::collections::BTreeSet::new();
        dropped.retain(|d| seen.insert(d.clone()));
        flag(
            fs,
            &codes::STORAGE_CLAUSE,
            p.span_from(tail),
            &[&dropped.join(", ")],
        );
    }
    Ok(t)
}

/// `CREATE PARTITION FUNCTION pf (type) AS RANGE [LEFT | RIGHT] FOR VALUES (v, ...)` and
/// `CREATE PARTITION SCHEME ps AS PARTITION pf [ALL] TO (filegroup, ...)`.
fn partition_object(p: &mut Parser) -> PResult<Pending> {
    p.expect_kw("PARTITION")?;
    if p.eat_kw("FUNCTION") {
        let name = p.ident()?;
        p.expect(Tok::LParen, "`(`")?;
        let ty = p.data_type()?;
        p.expect(Tok::RParen, "`)`")?;
        p.expect_kw("AS")?;
        p.expect_kw("RANGE")?;
        let right = if p.eat_kw("RIGHT") {
            true
        } else {
            p.eat_kw("LEFT");
            false
        };
        p.expect_kw("FOR")?;
        p.expect_kw("VALUES")?;
        p.expect(Tok::LParen, "`(`")?;
        let mut values = Vec::new();
        if !p.at(Tok::RParen) {
            loop {
                values.push(p.expr()?);
                if !p.eat(Tok::Comma) {
                    break;
                }
            }
        }
        p.expect(Tok::RParen, "`)`")?;
        Ok(Pending::PartitionFunction {
            name: name.value,
            ty,
            right,
            values,
        })
    } else {
        p.expect_kw("SCHEME")?;
        let name = p.ident()?;
        p.expect_kw("AS")?;
        p.expect_kw("PARTITION")?;
        let function = p.ident()?;
        Ok(Pending::PartitionScheme {
            name: name.value,
            function: function.value,
        })
    }
}

/// ASE `PARTITION BY RANGE | LIST | HASH | ROUNDROBIN`. RANGE bounds are inclusive
/// (`values <= (v)`): the target's exclusive bound is the next value of the type (DDL042 when
/// there is none); ROUNDROBIN only spreads rows (dropped, DDL001).
fn ase_partition(
    p: &mut Parser,
    t: &mut Table,
    dropped: &mut Vec<String>,
    fs: &mut Vec<Finding>,
) -> PResult<()> {
    let start = p.span();
    p.expect_kw("PARTITION")?;
    p.expect_kw("BY")?;
    let kind = p.peek_text().to_ascii_uppercase();
    p.bump();
    let mut columns = Vec::new();
    if kind != "ROUNDROBIN" {
        p.expect(Tok::LParen, "`(`")?;
        loop {
            columns.push(p.ident()?);
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        p.expect(Tok::RParen, "`)`")?;
    }
    // `n [on (segments)]` or `(p1 [values ...] [on seg], ...)`
    let mut count = None;
    let mut parts: Vec<(Option<Ident>, Vec<Expr>)> = Vec::new();
    if p.at(Tok::Number) {
        count = p.peek_text().parse::<u32>().ok();
        p.bump();
    } else {
        p.expect(Tok::LParen, "`(`")?;
        loop {
            let name = if p.at_kw("VALUES") {
                None
            } else {
                Some(p.ident()?)
            };
            let mut values = Vec::new();
            if p.eat_kw("VALUES") {
                p.eat(Tok::Lt);
                p.eat(Tok::LtEq);
                p.eat(Tok::Eq);
                p.expect(Tok::LParen, "`(`")?;
                loop {
                    if p.at_kw("MAX") {
                        let sp = p.span();
                        p.bump();
                        values.push(Expr::MaxValue(sp));
                    } else {
                        values.push(p.expr()?);
                    }
                    if !p.eat(Tok::Comma) {
                        break;
                    }
                }
                p.expect(Tok::RParen, "`)`")?;
            }
            if p.eat_kw("ON") && !p.eat(Tok::String) {
                let _ = p.ident()?;
            }
            parts.push((name, values));
            if !p.eat(Tok::Comma) {
                break;
            }
        }
        p.expect(Tok::RParen, "`)`")?;
    }
    if p.eat_kw("ON") {
        p.skip_parens();
    }
    let span = start.to(p.span_from(start.start));
    let method = match kind.as_str() {
        "RANGE" => PartitionMethod::Range,
        "LIST" => PartitionMethod::List,
        "HASH" => PartitionMethod::Hash,
        _ => {
            dropped.push(format!("PARTITION BY {kind}"));
            return Ok(());
        }
    };
    let col_ty = |c: &Ident| {
        t.columns
            .iter()
            .find(|x| x.name.value.eq_ignore_ascii_case(&c.value))
            .map(|x| x.ty.source.clone())
    };
    let mut out = Vec::new();
    for (name, values) in parts {
        let bound = match method {
            PartitionMethod::Hash => PartitionBound::Hash,
            PartitionMethod::List => PartitionBound::In(values),
            _ => {
                let [v] = values.as_slice() else {
                    flag(
                        fs,
                        &codes::PARTITION_SCHEME,
                        span,
                        &["PARTITION BY RANGE on several columns has no exact equivalent"],
                    );
                    return Ok(());
                };
                let b = match v {
                    Expr::MaxValue(_) => Some(v.clone()),
                    _ => columns
                        .first()
                        .and_then(col_ty)
                        .and_then(|ty| super::boundary(v, &ty, true)),
                };
                let Some(b) = b else {
                    flag(
                        fs,
                        &codes::PARTITION_SCHEME,
                        span,
                        &[
                            "PARTITION BY RANGE: an inclusive bound (values <=) of this type has no exact equivalent",
                        ],
                    );
                    return Ok(());
                };
                PartitionBound::LessThan(vec![b])
            }
        };
        out.push(Partition {
            name,
            bound,
            subpartitions: Vec::new(),
            span,
        });
    }
    t.partition = Some(PartitionSpec {
        method,
        columns,
        interval: None,
        subpartition: None,
        count,
        partitions: out,
        span,
    });
    Ok(())
}

fn at_constraint_start(p: &Parser) -> bool {
    p.at_kw("CONSTRAINT")
        || p.at_kws(&["PRIMARY", "KEY"])
        || (p.at_kw("UNIQUE")
            && (p.nth_kind(1) == Some(Tok::LParen)
                || p.nth_kw(1, "CLUSTERED")
                || p.nth_kw(1, "NONCLUSTERED")))
        || (p.at_kw("CHECK") && (p.nth_kind(1) == Some(Tok::LParen) || p.nth_kw(1, "NOT")))
        || p.at_kws(&["FOREIGN", "KEY"])
}

/// `CLUSTERED | NONCLUSTERED`, `WITH FILLFACTOR = n`, `WITH (...)`, `ON fg` after a key.
fn key_physical(p: &mut Parser, dropped: &mut Vec<String>) {
    loop {
        if p.eat_kw("CLUSTERED") {
            dropped.push("CLUSTERED".into());
        } else if p.eat_kw("NONCLUSTERED") {
        } else if p.at_kw("WITH")
            && (p.nth_kind(1) == Some(Tok::LParen)
                || p.nth_kw(2, "=")
                || p.nth_kind(2) == Some(Tok::Eq))
        {
            p.bump();
            if !p.skip_parens() {
                p.bump();
                p.eat(Tok::Eq);
                p.bump();
            }
            dropped.push("WITH (options)".into());
        } else if p.at_kw("ON") && !p.nth_kw(1, "DELETE") && !p.nth_kw(1, "UPDATE") {
            p.bump();
            p.bump();
            p.skip_parens();
            dropped.push("ON filegroup".into());
        } else {
            break;
        }
    }
}

fn key_columns(p: &mut Parser) -> PResult<Vec<Ident>> {
    p.expect(Tok::LParen, "`(`")?;
    let mut v = Vec::new();
    loop {
        v.push(p.ident()?);
        if !p.eat_kw("ASC") {
            p.eat_kw("DESC");
        }
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    p.expect(Tok::RParen, "`)`")?;
    Ok(v)
}

type RefClause = (QName, Vec<Ident>, Option<RefAction>, Option<RefAction>);

fn references(p: &mut Parser, fs: &mut Vec<Finding>) -> PResult<RefClause> {
    let t = p.qname()?;
    let cols = if p.at(Tok::LParen) {
        p.paren_ident_list()?
    } else {
        Vec::new()
    };
    let mut on_delete = None;
    let mut on_update = None;
    loop {
        if p.at_kws(&["ON", "DELETE"]) || p.at_kws(&["ON", "UPDATE"]) {
            let del = p.nth_kw(1, "DELETE");
            p.bump();
            p.bump();
            let a = if p.eat_kw("CASCADE") {
                RefAction::Cascade
            } else if p.eat_kws(&["SET", "NULL"]) {
                RefAction::SetNull
            } else if p.eat_kws(&["SET", "DEFAULT"]) {
                RefAction::SetDefault
            } else if p.eat_kws(&["NO", "ACTION"]) {
                RefAction::NoAction
            } else {
                return Err(p.error("expected CASCADE, SET NULL, SET DEFAULT or NO ACTION"));
            };
            if del {
                on_delete = Some(a);
            } else {
                on_update = Some(a);
            }
        } else if p.at_kws(&["NOT", "FOR", "REPLICATION"]) {
            let sp = p.span();
            p.pos += 3;
            flag(fs, &codes::STORAGE_CLAUSE, sp, &["NOT FOR REPLICATION"]);
        } else {
            break;
        }
    }
    Ok((t, cols, on_delete, on_update))
}

fn table_constraint(
    p: &mut Parser,
    dropped: &mut Vec<String>,
    fs: &mut Vec<Finding>,
) -> PResult<Option<Constraint>> {
    let start = p.offset();
    let mut name = None;
    if p.eat_kw("CONSTRAINT") {
        name = Some(p.ident()?);
    }
    let kind = if p.eat_kws(&["PRIMARY", "KEY"]) {
        key_physical(p, dropped);
        let columns = key_columns(p)?;
        key_physical(p, dropped);
        ConstraintKind::PrimaryKey { columns }
    } else if p.eat_kw("UNIQUE") {
        key_physical(p, dropped);
        let columns = key_columns(p)?;
        key_physical(p, dropped);
        ConstraintKind::Unique { columns }
    } else if p.eat_kw("CHECK") {
        not_for_replication(p, fs);
        p.expect(Tok::LParen, "`(`")?;
        let e = p.expr()?;
        p.expect(Tok::RParen, "`)`")?;
        ConstraintKind::Check { expr: e }
    } else if p.eat_kws(&["FOREIGN", "KEY"]) {
        let columns = p.paren_ident_list()?;
        p.expect_kw("REFERENCES")?;
        let (ref_table, ref_columns, on_delete, on_update) = references(p, fs)?;
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        }
    } else if p.at_kw("DEFAULT") {
        // CONSTRAINT n DEFAULT x FOR col (ALTER TABLE ADD) is handled by the caller.
        return Err(p.error("DEFAULT constraint outside ALTER TABLE"));
    } else {
        return Err(p.error("expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY"));
    };
    Ok(Some(Constraint {
        name,
        kind,
        deferrable: None,
        enabled: true,
        validate: true,
        span: p.span_from(start),
    }))
}

fn not_for_replication(p: &mut Parser, fs: &mut Vec<Finding>) {
    if p.at_kws(&["NOT", "FOR", "REPLICATION"]) {
        let sp = p.span();
        p.pos += 3;
        flag(fs, &codes::STORAGE_CLAUSE, sp, &["NOT FOR REPLICATION"]);
    }
}

fn column_def(
    p: &mut Parser,
    inline: &mut Vec<Constraint>,
    dropped: &mut Vec<String>,
    fs: &mut Vec<Finding>,
) -> PResult<Column> {
    let start = p.offset();
    let name = p.ident()?;
    let mut col = Column {
        name: name.clone(),
        ty: TypeRef::new(empty_type(name.span)),
        default: None,
        not_null: None,
        not_null_name: None,
        identity: None,
        generated: None,
        span: name.span,
        comment: None,
    };
    if p.eat_kw("AS") {
        // computed column
        let e = p.expr()?;
        let stored = p.eat_kw("PERSISTED");
        col.generated = Some(Generated { expr: e, stored });
    } else if p
        .peek_text()
        .trim_matches(['[', ']', '"'])
        .eq_ignore_ascii_case("xml")
        && p.nth_kind(1) == Some(Tok::LParen)
    {
        // Typed XML: xml(CONTENT schema_collection): the schema collection is not kept.
        let sp = p.span();
        p.bump();
        p.skip_parens();
        col.ty = TypeRef::new(SourceType {
            name: "XML".into(),
            args: Vec::new(),
            modifier: None,
            span: p.span_from(sp.start),
        });
    } else {
        col.ty = TypeRef::new(p.data_type()?);
    }
    loop {
        if p.eat_kw("COLLATE") {
            p.bump();
            continue;
        }
        if p.eat_kw("IDENTITY") {
            let istart = p.offset();
            let mut id = Identity {
                always: false,
                start: None,
                increment: None,
                span: Span::default(),
            };
            if p.eat(Tok::LParen) {
                id.start = Some(p.integer()?);
                if p.eat(Tok::Comma) {
                    id.increment = Some(p.integer()?);
                }
                p.expect(Tok::RParen, "`)`")?;
            }
            not_for_replication(p, fs);
            id.span = p.span_from(istart);
            col.identity = Some(id);
            continue;
        }
        if p.eat_kw("ROWGUIDCOL")
            || p.eat_kw("SPARSE")
            || p.eat_kw("FILESTREAM")
            || p.eat_kw("PERSISTED")
        {
            continue;
        }
        if p.at_kws(&["NOT", "FOR", "REPLICATION"]) {
            not_for_replication(p, fs);
            continue;
        }
        if p.at_kw("GENERATED") {
            let sp = p.span();
            while p.at(Tok::Word)
                && (p.at_kw("GENERATED")
                    || p.at_kw("ALWAYS")
                    || p.at_kw("AS")
                    || p.at_kw("ROW")
                    || p.at_kw("START")
                    || p.at_kw("END")
                    || p.at_kw("HIDDEN")
                    || p.at_kw("TRANSACTION_ID")
                    || p.at_kw("SEQUENCE_NUMBER"))
            {
                p.bump();
            }
            flag(fs, &codes::TEMPORAL_TABLE, sp, &[&name.value]);
            continue;
        }
        if p.eat_kw("MASKED") {
            p.eat_kw("WITH");
            p.skip_parens();
            dropped.push("MASKED".into());
            continue;
        }
        let cstart = p.offset();
        let mut cname = None;
        if p.eat_kw("CONSTRAINT") {
            cname = Some(p.ident()?);
        }
        if p.eat_kw("DEFAULT") {
            col.default = Some(p.expr()?);
            p.eat_kws(&["WITH", "VALUES"]);
            continue;
        }
        if p.eat_kws(&["NOT", "NULL"]) {
            col.not_null = Some(true);
            continue;
        }
        if p.eat_kw("NULL") {
            col.not_null = Some(false);
            continue;
        }
        let kind = if p.eat_kws(&["PRIMARY", "KEY"]) {
            key_physical(p, dropped);
            Some(ConstraintKind::PrimaryKey {
                columns: vec![name.clone()],
            })
        } else if p.eat_kw("UNIQUE") {
            key_physical(p, dropped);
            Some(ConstraintKind::Unique {
                columns: vec![name.clone()],
            })
        } else if p.eat_kw("CHECK") {
            not_for_replication(p, fs);
            p.expect(Tok::LParen, "`(`")?;
            let e = p.expr()?;
            p.expect(Tok::RParen, "`)`")?;
            Some(ConstraintKind::Check { expr: e })
        } else if p.eat_kws(&["FOREIGN", "KEY"]) || p.at_kw("REFERENCES") {
            p.expect_kw("REFERENCES")?;
            let (ref_table, ref_columns, on_delete, on_update) = references(p, fs)?;
            Some(ConstraintKind::ForeignKey {
                columns: vec![name.clone()],
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            })
        } else {
            None
        };
        match kind {
            Some(kind) => inline.push(Constraint {
                name: cname,
                kind,
                deferrable: None,
                enabled: true,
                validate: true,
                span: p.span_from(cstart),
            }),
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

// ---------------------------------------------------------------------------------------------
// ALTER TABLE
// ---------------------------------------------------------------------------------------------

fn alter_table(p: &mut Parser, span: Span, fs: &mut Vec<Finding>) -> PResult<Object> {
    let table = p.qname()?;
    let mut validate = true;
    if p.eat_kws(&["WITH", "NOCHECK"]) {
        validate = false;
    } else {
        p.eat_kws(&["WITH", "CHECK"]);
    }
    let mut actions = Vec::new();
    let mut dropped = Vec::new();
    if p.at_kw("CHECK")
        || p.at_kw("NOCHECK")
        || p.at_kw("ENABLE")
        || p.at_kw("DISABLE")
        || p.at_kw("SET")
        || p.at_kw("SWITCH")
        || p.at_kw("REBUILD")
    {
        // CHECK CONSTRAINT x (re-validate: the converted constraint is validated anyway),
        // NOCHECK CONSTRAINT, ENABLE/DISABLE TRIGGER, SET (LOCK_ESCALATION ...)
        let what = format!("ALTER TABLE {}", words(p, 2));
        if p.at_kw("CHECK") || p.at_kw("SET") || p.at_kw("REBUILD") {
            flag(fs, &codes::STATEMENT_SKIPPED, first_line(p, span), &[&what]);
            p.pos = p.toks.len();
            return Ok(Object::new(
                ObjectKind::Statement,
                None,
                span,
                Stmt::Ignored { what },
            ));
        }
        return Ok(unknown(p, span, fs, &codes::ALTER_UNSUPPORTED, &[&what]));
    }
    while !p.at_end() {
        if p.eat_kw("ADD") {
            loop {
                if p.at_kw("CONSTRAINT") && p.nth_kw(2, "DEFAULT") {
                    p.bump();
                    p.bump();
                    p.bump();
                    let e = p.expr()?;
                    p.expect_kw("FOR")?;
                    let c = p.ident()?;
                    p.eat_kws(&["WITH", "VALUES"]);
                    actions.push(AlterAction::ModifyColumns(vec![Column {
                        name: c.clone(),
                        ty: TypeRef::new(empty_type(c.span)),
                        default: Some(e),
                        not_null: None,
                        not_null_name: None,
                        identity: None,
                        generated: None,
                        span: c.span,
                        comment: None,
                    }]));
                } else if at_constraint_start(p) {
                    if let Some(mut c) = table_constraint(p, &mut dropped, fs)? {
                        c.validate = validate;
                        actions.push(AlterAction::AddConstraint(c));
                    }
                } else {
                    // `ADD COLUMN c type` (not T-SQL syntax, but scripts have it): the
                    // keyword is skipped unless it is the column's own name (`ADD column int`).
                    let after = p.nth_text(2).to_ascii_uppercase();
                    if p.at_kw("COLUMN")
                        && p.nth_kind(1).is_some_and(|k| {
                            matches!(k, Tok::Word | Tok::BracketIdent | Tok::QuotedIdent)
                        })
                        && p.nth_kind(2) == Some(Tok::Word)
                        && !matches!(
                            after.as_str(),
                            "NULL"
                                | "NOT"
                                | "DEFAULT"
                                | "IDENTITY"
                                | "CONSTRAINT"
                                | "PRIMARY"
                                | "UNIQUE"
                                | "CHECK"
                                | "REFERENCES"
                                | "COLLATE"
                        )
                    {
                        p.bump();
                    }
                    let mut inline = Vec::new();
                    let c = column_def(p, &mut inline, &mut dropped, fs)?;
                    actions.push(AlterAction::AddColumns(vec![c]));
                    actions.extend(inline.into_iter().map(AlterAction::AddConstraint));
                }
                if !p.eat(Tok::Comma) {
                    break;
                }
            }
        } else if p.at_kw("DROP") && p.nth_kw(1, "CONSTRAINT") {
            p.bump();
            p.bump();
            actions.push(AlterAction::DropConstraint(p.ident()?));
        } else if p.at_kw("DROP") && p.nth_kw(1, "COLUMN") {
            p.bump();
            p.bump();
            actions.push(AlterAction::DropColumns(vec![p.ident()?]));
        } else {
            let sp = p.offset();
            p.pos = p.toks.len();
            let s = p.span_from(sp);
            actions.push(AlterAction::Other {
                text: p.text_between(s.start, s.end).to_string(),
                span: s,
            });
        }
        p.eat(Tok::Comma);
    }
    if !actions.is_empty()
        && actions.iter().all(|a| {
            matches!(
                a,
                AlterAction::DropConstraint(_) | AlterAction::DropColumns(_)
            )
        })
    {
        // Dropping, like DROP TABLE, belongs to re-install scripts: skipped.
        let what = "ALTER TABLE DROP".to_string();
        flag(fs, &codes::STATEMENT_SKIPPED, first_line(p, span), &[&what]);
        return Ok(Object::new(
            ObjectKind::Statement,
            None,
            span,
            Stmt::Ignored { what },
        ));
    }
    if !dropped.is_empty() {
        dropped.dedup();
        flag(
            fs,
            &codes::STORAGE_CLAUSE,
            first_line(p, span),
            &[&dropped.join(", ")],
        );
    }
    Ok(Object::new(
        ObjectKind::Table,
        Some(table.clone()),
        span,
        Stmt::AlterTable(Box::new(AlterTable { table, actions })),
    ))
}

// ---------------------------------------------------------------------------------------------
// Indexes, sequences, views
// ---------------------------------------------------------------------------------------------

fn create_index(
    p: &mut Parser,
    unique: bool,
    phys: &[&str],
    fs: &mut Vec<Finding>,
) -> PResult<Index> {
    let name = p.qname()?;
    p.expect_kw("ON")?;
    let table = p.qname()?;
    let columns = p.index_column_list()?;
    let mut idx = Index {
        name,
        table,
        unique,
        bitmap: false,
        reverse: false,
        columns,
        local: false,
        where_: None,
        include: Vec::new(),
    };
    let mut dropped: Vec<String> = phys.iter().map(|s| s.to_string()).collect();
    let tail = p.offset();
    while !p.at_end() {
        if p.eat_kw("INCLUDE") {
            idx.include = p.paren_ident_list()?;
        } else if p.eat_kw("WHERE") {
            idx.where_ = Some(p.expr()?);
        } else if p.eat_kw("WITH") {
            if !p.skip_parens() {
                while p.at(Tok::Word) {
                    p.bump();
                    if p.eat(Tok::Eq) {
                        p.bump();
                    }
                    if !p.eat(Tok::Comma) {
                        break;
                    }
                }
            }
            dropped.push("WITH (options)".into());
        } else if p.eat_kw("ON") {
            if !p.eat(Tok::String) {
                p.ident()?;
            }
            p.skip_parens();
            dropped.push("ON filegroup".into());
        } else if p.eat_kw("FILESTREAM_ON") {
            p.ident()?;
            dropped.push("FILESTREAM_ON".into());
        } else if p.eat(Tok::Semi) {
        } else if p.at(Tok::Word) {
            // ASE: ignore_dup_key, fillfactor = n, on segment ...
            dropped.push(p.peek_text().to_ascii_uppercase());
            p.bump();
            if p.eat(Tok::Eq) {
                p.bump();
            }
            p.eat(Tok::Comma);
        } else {
            return Err(p.error("unexpected text after the index column list"));
        }
    }
    if !dropped.is_empty() {
        flag(
            fs,
            &codes::STORAGE_CLAUSE,
            p.span_from(tail),
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
        if p.eat_kw("AS") {
            let _ = p.data_type()?;
        } else if p.eat_kws(&["START", "WITH"]) {
            s.start = Some(p.integer()?);
        } else if p.eat_kws(&["INCREMENT", "BY"]) {
            s.increment = Some(p.integer()?);
        } else if p.eat_kw("MINVALUE") {
            s.min = Some(p.integer()?);
        } else if p.eat_kw("MAXVALUE") {
            s.max = Some(p.integer()?);
        } else if p.eat_kw("CACHE") {
            if p.at(Tok::Number) {
                s.cache = Some(p.integer()?);
            }
        } else if p.eat_kw("CYCLE") {
            s.cycle = true;
        } else if p.eat_kws(&["NO", "CYCLE"])
            || p.eat_kws(&["NO", "CACHE"])
            || p.eat_kws(&["NO", "MINVALUE"])
            || p.eat_kws(&["NO", "MAXVALUE"])
            || p.eat(Tok::Semi)
        {
        } else if p.at(Tok::Word) {
            let w = p.peek_text().to_ascii_uppercase();
            p.bump();
            flag(fs, &codes::SEQUENCE_OPTION, sp, &[&w]);
            s.dropped_options.push(w);
        } else {
            return Err(p.error("unexpected sequence option"));
        }
    }
    Ok(s)
}

fn create_view(p: &mut Parser, or_replace: bool, fs: &mut Vec<Finding>) -> PResult<View> {
    let name = p.qname()?;
    let mut columns = Vec::new();
    if p.at(Tok::LParen) {
        columns = p.paren_ident_list()?;
    }
    if p.eat_kw("WITH") {
        loop {
            let sp = p.span();
            let w = p.ident()?;
            flag(
                fs,
                &codes::STORAGE_CLAUSE,
                sp,
                &[&w.value.to_ascii_uppercase()],
            );
            if !p.eat(Tok::Comma) {
                break;
            }
        }
    }
    p.expect_kw("AS")?;
    let query = p.query()?;
    let mut check_option = false;
    if p.eat_kws(&["WITH", "CHECK", "OPTION"]) {
        check_option = true;
    }
    p.eat(Tok::Semi);
    Ok(View {
        name,
        or_replace,
        force: false,
        columns,
        query: Box::new(query),
        read_only: false,
        check_option,
        materialized: false,
    })
}
