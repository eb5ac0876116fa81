//! T-SQL front end, shared by SQL Server and SAP ASE (`Flavor`): batch and statement
//! splitting (`split`), statement parsing (`ddl`), then a lowering step over the whole input
//! that needs more than one statement: alias types (`CREATE TYPE ... FROM`, `sp_addtype`) are
//! replaced by their base type, rules and defaults (`CREATE RULE` / `CREATE DEFAULT` +
//! `sp_bindrule` / `sp_bindefault`) become CHECK constraints and column defaults, and
//! `SET IDENTITY_INSERT t OFF` moves the identity sequence past the inserted values (PostgreSQL;
//! MySQL's AUTO_INCREMENT does it by itself).
//!
//! Names: T-SQL names are case-insensitive (default collations), so bracketed and
//! double-quoted names fold like unquoted ones (`[OrderID]` = `OrderID` = `orderid`); the
//! parser keeps them as written with `quoted = false` and the naming pass folds them.

pub mod ddl;
pub mod proc;
pub mod split;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::Finding;
use crate::frontend::lexer::Tok;
use crate::frontend::parser::{Dialect, Parser};
use crate::ir::*;
use crate::rules::codes;
use crate::source::{SourceMap, Span};
use crate::{Options, SourceDialect};
use split::{Unit, UnitKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    SqlServer,
    Ase,
}

impl Flavor {
    pub fn of(d: SourceDialect) -> Flavor {
        match d {
            SourceDialect::Ase => Flavor::Ase,
            _ => Flavor::SqlServer,
        }
    }
}

/// What a statement contributes to the whole-input lowering.
#[derive(Clone, Debug)]
pub enum Pending {
    None,
    AliasType {
        name: String,
        ty: SourceType,
        not_null: Option<bool>,
    },
    RuleOrDefault {
        rule: bool,
        name: String,
        expr: Expr,
    },
    Bind {
        rule: bool,
        what: String,
        to: String,
    },
    IdentityInsert {
        table: QName,
        on: bool,
    },
    PartitionFunction {
        name: String,
        ty: SourceType,
        /// RANGE RIGHT: a boundary value belongs to the partition on its right.
        right: bool,
        values: Vec<Expr>,
    },
    PartitionScheme {
        name: String,
        function: String,
    },
}

pub fn parse_files(sources: &mut SourceMap, opts: &Options) -> Module {
    let flavor = Flavor::of(opts.from);
    let units = split::split_all(sources, flavor, &opts.defines);
    let parsed: Vec<(Object, Pending)> = units.par_iter().map(|u| lower_unit(u, flavor)).collect();
    let (mut objects, pending): (Vec<Object>, Vec<Pending>) = parsed.into_iter().unzip();
    resolve(&mut objects, &pending, opts.to);
    for o in &mut objects {
        let mut v = AliasEquals;
        crate::ir::visit::walk_stmt(&mut v, &mut o.stmt);
    }
    index_names(&mut objects);
    user_groups(&mut objects);
    if opts.to == crate::Target::Mysql {
        // MySQL has no PUBLIC role: such grants wait for one.
        for o in &mut objects {
            if let Stmt::Grant(g) = &o.stmt
                && g.grantees.iter().any(|r| r.is("PUBLIC"))
            {
                let span = o.span;
                o.findings
                    .push(Finding::new(&codes::GRANTEE_UNKNOWN, span, &["PUBLIC"]));
                o.commented_out = true;
            }
        }
    }
    Module { objects }
}

/// `sp_adduser login, name, group`: the group membership is a grant of its own, after the
/// user; a group that the input does not create cannot be granted (SEC003).
fn user_groups(objects: &mut Vec<Object>) {
    let roles: std::collections::HashSet<String> = objects
        .iter()
        .filter_map(|o| match &o.stmt {
            Stmt::CreateRole(r) => Some(key(&r.value)),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < objects.len() {
        if matches!(objects[i].stmt, Stmt::CreateUser(_)) && !objects[i].attached.is_empty() {
            let span = objects[i].span;
            for g in std::mem::take(&mut objects[i].attached) {
                let mut o = Object::new(ObjectKind::Grant, None, span, g);
                if let Stmt::Grant(g) = &o.stmt
                    && let Some(role) = g.privileges.first()
                    && !roles.contains(&key(role))
                {
                    let role = role.clone();
                    o.findings
                        .push(Finding::new(&codes::GRANTEE_UNKNOWN, span, &[&role]));
                    o.commented_out = true;
                }
                i += 1;
                objects.insert(i, o);
            }
        }
        i += 1;
    }
}

/// Index and key names belong to their table in T-SQL, to the schema in PostgreSQL (with
/// tables and views): a clashing name is prefixed with its table's name (DDL057).
fn index_names(objects: &mut [Object]) {
    let schema_of = |q: &QName| {
        if q.parts.len() > 1 {
            key(&q.parts[0].value)
        } else {
            String::new()
        }
    };
    // (schema, name) -> the table that owns the name ("" for tables and views themselves).
    let mut used: HashMap<(String, String), String> = HashMap::new();
    // A table defined more than once keeps its last definition (merge pass).
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, o) in objects.iter().enumerate() {
        let n = match &o.stmt {
            Stmt::CreateTable(t) => {
                last.insert(table_key(&t.name), i);
                &t.name
            }
            Stmt::CreateView(v) => &v.name,
            _ => continue,
        };
        used.insert((schema_of(n), key(&n.name().value)), String::new());
    }
    for (i, o) in objects.iter_mut().enumerate() {
        let mut found = Vec::new();
        let mut rename = |what: &str, table: &QName, name: &mut Ident| {
            let owner = table_key(table);
            let k = (schema_of(table), key(&name.value));
            match used.get(&k) {
                None => {
                    used.insert(k, owner);
                    return;
                }
                // The same index defined again for the same table: not a clash.
                Some(o) if *o == owner => return,
                Some(_) => {}
            }
            let mut new = format!("{}_{}", table.name().value, name.value);
            while used.contains_key(&(schema_of(table), key(&new))) {
                new.push('_');
            }
            used.insert((schema_of(table), key(&new)), owner);
            found.push(Finding::new(
                &codes::INDEX_NAME_CLASH,
                name.span,
                &[what, &name.value, &new],
            ));
            name.value = new;
        };
        match &mut o.stmt {
            Stmt::CreateIndex(ix) => {
                let t = ix.table.clone();
                if let Some(n) = ix.name.parts.last_mut() {
                    rename("index", &t, n);
                }
                o.name = Some(ix.name.clone());
            }
            Stmt::CreateTable(t) => {
                if last.get(&table_key(&t.name)) != Some(&i) {
                    continue;
                }
                let tn = t.name.clone();
                for c in &mut t.constraints {
                    if matches!(
                        c.kind,
                        ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                    ) && let Some(n) = &mut c.name
                    {
                        rename("key", &tn, n);
                    }
                }
            }
            Stmt::AlterTable(a) => {
                let tn = a.table.clone();
                for act in &mut a.actions {
                    if let AlterAction::AddConstraint(c) = act
                        && matches!(
                            c.kind,
                            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                        )
                        && let Some(n) = &mut c.name
                    {
                        rename("key", &tn, n);
                    }
                }
            }
            _ => {}
        }
        o.findings.extend(found);
    }
}

/// Tables created `ON scheme(column)`: the scheme's partition function gives RANGE
/// partitions. RANGE RIGHT boundaries are the lower bounds of partitions (`FROM v`), exactly
/// the target's `LESS THAN` upper bounds; RANGE LEFT boundaries belong to the partition on
/// their left (`x <= v`), so the upper bound is the next value of the type (integers, dates,
/// date/times at the column's precision). Anything else stays unpartitioned (DDL042).
fn partitions(objects: &mut [Object], pending: &[Pending]) {
    let mut functions: HashMap<String, (&SourceType, bool, &Vec<Expr>)> = HashMap::new();
    let mut schemes: HashMap<String, String> = HashMap::new();
    for pd in pending {
        match pd {
            Pending::PartitionFunction {
                name,
                ty,
                right,
                values,
            } => {
                functions.insert(key(name), (ty, *right, values));
            }
            Pending::PartitionScheme { name, function } => {
                schemes.insert(key(name), key(function));
            }
            _ => {}
        }
    }
    for o in objects.iter_mut() {
        let Stmt::CreateTable(t) = &mut o.stmt else {
            continue;
        };
        let Some(spec) = &mut t.partition else {
            continue;
        };
        // The placeholder of `ON scheme(col)` (ddl.rs): one partition without bounds.
        let placeholder = spec.partitions.len() == 1
            && matches!(&spec.partitions[0].bound, PartitionBound::In(v) if v.is_empty());
        let Some(scheme) = spec
            .partitions
            .first()
            .filter(|_| placeholder)
            .and_then(|p| p.name.clone())
        else {
            continue;
        };
        let span = spec.span;
        let col = spec
            .columns
            .first()
            .map(|c| c.value.clone())
            .unwrap_or_default();
        let col_ty = t
            .columns
            .iter()
            .find(|c| c.name.value.eq_ignore_ascii_case(&col))
            .map(|c| c.ty.source.clone());
        let resolved = schemes
            .get(&key(&scheme.value))
            .and_then(|f| functions.get(f))
            .ok_or_else(|| {
                format!(
                    "ON {}({col}): the partition scheme or its function is not in the input",
                    scheme.value
                )
            })
            .and_then(|(fty, right, values)| {
                let ty = col_ty.as_ref().unwrap_or(fty);
                let mut parts = Vec::new();
                for v in values.iter() {
                    let Some(b) = boundary(v, ty, !*right) else {
                        return Err(format!(
                            "ON {}({col}): RANGE {} boundary {} of type {} has no exact equivalent",
                            scheme.value,
                            if *right { "RIGHT" } else { "LEFT" },
                            match v {
                                Expr::String(x, _) | Expr::NString(x, _) => format!("'{x}'"),
                                Expr::Number(x, _) => x.clone(),
                                _ => "(expression)".into(),
                            },
                            ty.name
                        ));
                    };
                    parts.push(b);
                }
                parts.push(Expr::MaxValue(span));
                Ok(parts)
            });
        match resolved {
            Ok(bounds) => {
                spec.partitions = bounds
                    .into_iter()
                    .map(|b| Partition {
                        name: None,
                        bound: PartitionBound::LessThan(vec![b]),
                        subpartitions: Vec::new(),
                        span,
                    })
                    .collect();
            }
            Err(why) => {
                t.partition = None;
                o.findings
                    .push(Finding::new(&codes::PARTITION_SCHEME, span, &[&why]));
            }
        }
    }
}

/// A boundary of a partition function as the target's exclusive upper bound; `next`: the
/// value just after it (RANGE LEFT). `None`: no exact form.
pub(super) fn boundary(v: &Expr, ty: &SourceType, next: bool) -> Option<Expr> {
    let n = ty.name.to_ascii_uppercase();
    let base = n.rsplit('.').next().unwrap_or(&n);
    let int = matches!(base, "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT");
    let date = matches!(base, "DATE");
    let stamp = matches!(
        base,
        "DATETIME" | "DATETIME2" | "SMALLDATETIME" | "BIGDATETIME"
    );
    let span = v.span();
    match v {
        Expr::Number(x, _) if int => {
            let x: i128 = x.parse().ok()?;
            Some(Expr::Number((x + i128::from(next)).to_string(), span))
        }
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
            ..
        } if int => {
            let Expr::Number(x, _) = &**expr else {
                return None;
            };
            let x: i128 = x.parse().ok()?;
            Some(Expr::Number((-x + i128::from(next)).to_string(), span))
        }
        Expr::String(x, _) | Expr::NString(x, _) if date || stamp => {
            let iso = crate::passes::functions_tsql::fold_datetime(x)?;
            let digits = match base {
                "DATETIME" => 3,
                "SMALLDATETIME" => 0,
                _ => ty.args.first().copied().flatten().unwrap_or(6).clamp(0, 6) as usize,
            };
            let iso = if date {
                iso.get(..10)?.to_string()
            } else if iso.len() == 10 {
                format!("{iso} 00:00:00")
            } else {
                iso
            };
            if !next {
                return Some(Expr::String(iso, span));
            }
            Some(Expr::String(
                next_value(&iso, if date { None } else { Some(digits) })?,
                span,
            ))
        }
        Expr::String(..) | Expr::NString(..) | Expr::Number(..) if !next => Some(v.clone()),
        _ => None,
    }
}

/// The value after an ISO date (`None`: the next day) or date/time with `digits` fractional
/// digits (one unit of the last digit later).
fn next_value(iso: &str, digits: Option<usize>) -> Option<String> {
    let num = |a: usize, b: usize| iso.get(a..b)?.parse::<i64>().ok();
    let (mut y, mut mo, mut d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let dim = |y: i64, m: i64| match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    };
    let next_day = |y: &mut i64, mo: &mut i64, d: &mut i64| {
        *d += 1;
        if *d > dim(*y, *mo) {
            *d = 1;
            *mo += 1;
            if *mo > 12 {
                *mo = 1;
                *y += 1;
            }
        }
    };
    let Some(digits) = digits else {
        next_day(&mut y, &mut mo, &mut d);
        return Some(format!("{y:04}-{mo:02}-{d:02}"));
    };
    let (h, mi, s) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let frac: String = iso.get(20..).unwrap_or("").chars().take(digits).collect();
    let scale = 10i64.pow(digits as u32);
    let f = format!("{frac:0<digits$}").parse::<i64>().unwrap_or(0);
    // Everything in units of the last digit since midnight, plus one.
    let mut units = ((h * 60 + mi) * 60 + s) * scale + f + 1;
    if units >= 86_400 * scale {
        units -= 86_400 * scale;
        next_day(&mut y, &mut mo, &mut d);
    }
    let (secs, f) = (units / scale, units % scale);
    let mut out = format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    if digits > 0 {
        out.push_str(&format!(".{f:0digits$}"));
    }
    Some(out)
}

/// `SELECT Name = expr`: in a T-SQL select list, `column = expr` names the column (a select
/// list has no boolean values); the expression parser reads it as a comparison.
struct AliasEquals;

impl crate::ir::visit::VisitMut for AliasEquals {
    fn enter_select(&mut self, s: &mut Select) {
        for it in &mut s.items {
            let SelectItem::Expr { expr, alias } = it else {
                continue;
            };
            if alias.is_some() {
                continue;
            }
            if let Expr::Binary {
                op: BinOp::Eq,
                left,
                right,
                ..
            } = expr
                && let Expr::Column(q) = &**left
                && q.parts.len() == 1
            {
                *alias = Some(q.parts[0].clone());
                *expr = (**right).clone();
            } else if let Expr::Binary {
                op: BinOp::Eq,
                left,
                right,
                ..
            } = expr
                && let Expr::String(a, span) = &**left
                && a.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                // `'Label' = expr` (a string names the column too).
                *alias = Some(Ident::new(a.clone(), *span));
                *expr = (**right).clone();
            }
        }
    }
}

fn lower_unit(u: &Unit, flavor: Flavor) -> (Object, Pending) {
    let span = Span::new(u.file, u.start, u.end);
    let (mut obj, pending) = match &u.kind {
        UnitKind::Command(name) => (
            Object::new(
                ObjectKind::Statement,
                None,
                span,
                Stmt::Ignored { what: name.clone() },
            ),
            Pending::None,
        ),
        UnitKind::Sql | UnitKind::Block => {
            let dialect = match flavor {
                Flavor::SqlServer => Dialect::TSql,
                Flavor::Ase => Dialect::Ase,
            };
            let mut p = Parser::new(&u.text, u.file, u.start, dialect);
            // Money literals `$12.50` are numbers.
            let toks = std::mem::take(&mut p.toks);
            let mut kept = Vec::with_capacity(toks.len());
            for (i, t) in toks.iter().enumerate() {
                let money = t.kind == Tok::Dollar
                    && toks
                        .get(i + 1)
                        .is_some_and(|n| n.kind == Tok::Number && n.start == t.end);
                if !money {
                    kept.push(*t);
                }
            }
            // `dbo.` (the default schema, the usual owner on ASE) is dropped: such objects go
            // to the target's default schema, where the unqualified references find them.
            let text = u.text.as_str();
            let is_dbo = |t: &crate::frontend::lexer::Token| {
                let raw = &text[t.start as usize..t.end as usize];
                match t.kind {
                    Tok::Word => raw.eq_ignore_ascii_case("dbo"),
                    Tok::BracketIdent | Tok::QuotedIdent => {
                        raw.len() == 5 && raw[1..4].eq_ignore_ascii_case("dbo")
                    }
                    _ => false,
                }
            };
            let mut out = Vec::with_capacity(kept.len());
            let mut i = 0;
            while i < kept.len() {
                let is_name = |t: Option<&crate::frontend::lexer::Token>| {
                    t.is_some_and(|t| {
                        matches!(t.kind, Tok::Word | Tok::BracketIdent | Tok::QuotedIdent)
                    })
                };
                // `db.dbo.t` and `db..t`: the database part goes too (one database per run).
                if (i == 0 || !matches!(kept[i - 1].kind, Tok::Dot))
                    && is_name(kept.get(i))
                    && kept.get(i + 1).is_some_and(|t| t.kind == Tok::Dot)
                    && kept.get(i + 2).is_some_and(&is_dbo)
                    && kept.get(i + 3).is_some_and(|t| t.kind == Tok::Dot)
                    && is_name(kept.get(i + 4))
                {
                    i += 4;
                    continue;
                }
                if (i == 0 || !matches!(kept[i - 1].kind, Tok::Dot))
                    && is_name(kept.get(i))
                    && kept.get(i + 1).is_some_and(|t| t.kind == Tok::DotDot)
                    && is_name(kept.get(i + 2))
                {
                    i += 2;
                    continue;
                }
                let prev_dot = i > 0 && matches!(kept[i - 1].kind, Tok::Dot);
                if !prev_dot
                    && is_dbo(&kept[i])
                    && kept.get(i + 1).is_some_and(|t| t.kind == Tok::Dot)
                    && kept.get(i + 2).is_some_and(|t| {
                        matches!(t.kind, Tok::Word | Tok::BracketIdent | Tok::QuotedIdent)
                    })
                {
                    i += 2;
                    continue;
                }
                out.push(kept[i]);
                i += 1;
            }
            p.toks = out;
            for t in &mut p.toks {
                match t.kind {
                    // Case-insensitive names: brackets only delimit.
                    Tok::QuotedIdent if !u.quoted_identifier => t.kind = Tok::String,
                    _ => {}
                }
            }
            ddl::statement(&mut p, span, flavor, u.kind == UnitKind::Block)
        }
    };
    let mut fs: Vec<Finding> = u.findings.clone();
    fs.append(&mut obj.findings);
    obj.findings = fs;
    (obj, pending)
}

fn key(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn table_key(q: &QName) -> String {
    key(&q.name().value)
}

/// Replaces `@var` parameters of a rule by the column.
fn bind_param(e: &Expr, col: &Ident) -> Expr {
    struct V<'a>(&'a Ident);
    impl crate::ir::visit::VisitMut for V<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Param(n, _) = e
                && n.starts_with('@')
            {
                *e = Expr::Column(QName::single(self.0.clone()));
            }
        }
    }
    let mut e2 = e.clone();
    crate::ir::visit::walk_expr(&mut V(col), &mut e2);
    e2
}

fn resolve(objects: &mut [Object], pending: &[Pending], target: crate::Target) {
    partitions(objects, pending);
    // Alias types.
    let mut aliases: HashMap<String, (SourceType, Option<bool>)> = HashMap::new();
    for pd in pending {
        if let Pending::AliasType { name, ty, not_null } = pd {
            aliases.insert(key(name), (ty.clone(), *not_null));
        }
    }
    // Routines: parameters, variables and temporary tables.
    for o in objects.iter_mut() {
        let inline = |t: &mut SourceType| {
            let mut n = 0;
            while n < 5
                && t.args.is_empty()
                && let Some((ty, _)) = aliases.get(&key(&t.name))
            {
                let span = t.span;
                *t = ty.clone();
                t.span = span;
                n += 1;
            }
        };
        struct Inline<F: FnMut(&mut SourceType)>(F);
        impl<F: FnMut(&mut SourceType)> crate::ir::visit::VisitMut for Inline<F> {
            fn type_ref(&mut self, t: &mut TypeRef) {
                (self.0)(&mut t.source);
            }
        }
        if matches!(o.stmt, Stmt::CreateRoutine(_) | Stmt::CreateTrigger(_)) {
            crate::ir::visit::walk_stmt(&mut Inline(inline), &mut o.stmt);
        }
    }
    // (table, column) -> alias used
    let mut uses: Vec<(usize, String, String)> = Vec::new();
    for (i, o) in objects.iter_mut().enumerate() {
        let cols: Vec<&mut Column> = match &mut o.stmt {
            Stmt::CreateTable(t) => t.columns.iter_mut().collect(),
            Stmt::AlterTable(a) => a
                .actions
                .iter_mut()
                .flat_map(|x| match x {
                    AlterAction::AddColumns(c) => c.iter_mut().collect::<Vec<_>>(),
                    _ => Vec::new(),
                })
                .collect(),
            _ => continue,
        };
        for c in cols {
            let mut n = 0;
            while n < 5
                && c.ty.source.args.is_empty()
                && let Some((ty, nn)) = aliases.get(&key(&c.ty.source.name))
            {
                if n == 0 {
                    uses.push((i, key(&c.ty.source.name), c.name.value.clone()));
                }
                let span = c.ty.source.span;
                c.ty.source = ty.clone();
                c.ty.source.span = span;
                if c.not_null.is_none() {
                    c.not_null = *nn;
                }
                n += 1;
            }
        }
    }
    for (o, pd) in objects.iter_mut().zip(pending) {
        if let Pending::AliasType { name, ty, .. } = pd {
            let base = if ty.args.is_empty() {
                ty.name.clone()
            } else {
                format!(
                    "{}({})",
                    ty.name,
                    ty.args
                        .iter()
                        .map(|a| a.map(|v| v.to_string()).unwrap_or("*".into()))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            };
            o.findings
                .push(Finding::new(&codes::ALIAS_TYPE, o.span, &[name, &base]));
        }
    }

    // Computed columns whose value is text get a text type (the generic inference in
    // passes::types knows Oracle functions only).
    for o in objects.iter_mut() {
        if let Stmt::CreateTable(t) = &mut o.stmt {
            for c in &mut t.columns {
                if let Some(g) = &c.generated
                    && c.ty.source.name.is_empty()
                    && is_texty(&g.expr)
                {
                    c.ty.source = SourceType {
                        name: "NVARCHAR".into(),
                        args: Vec::new(),
                        modifier: Some("MAX".into()),
                        span: c.name.span,
                    };
                }
            }
        }
    }

    // Rules and defaults.
    let mut rules: HashMap<String, (bool, Expr)> = HashMap::new();
    for pd in pending {
        if let Pending::RuleOrDefault { rule, name, expr } = pd {
            rules.insert(key(name), (*rule, expr.clone()));
        }
    }
    let mut tables: HashMap<String, usize> = HashMap::new();
    for (i, o) in objects.iter().enumerate() {
        if let Stmt::CreateTable(t) = &o.stmt {
            tables.entry(table_key(&t.name)).or_insert(i);
        }
    }
    let mut bound: Vec<(usize, Finding)> = Vec::new();
    for (bi, pd) in pending.iter().enumerate() {
        let Pending::Bind { rule, what, to } = pd else {
            continue;
        };
        let kind = if *rule { "rule" } else { "default" };
        let span = objects[bi].span;
        let Some((is_rule, expr)) = rules.get(&key(what)).cloned() else {
            bound.push((
                bi,
                Finding::new(
                    &codes::RULE_NOT_BOUND,
                    span,
                    &[kind, what, to, "it is not in the input"],
                ),
            ));
            continue;
        };
        // targets: table.column or an alias type
        let mut targets: Vec<(usize, String)> = Vec::new();
        let parts: Vec<&str> = to.split('.').collect();
        if parts.len() >= 2 {
            let t = key(parts[parts.len() - 2]);
            if let Some(&ti) = tables.get(&t) {
                targets.push((ti, parts[parts.len() - 1].to_string()));
            }
        } else {
            for (ti, a, c) in &uses {
                if *a == key(to) && matches!(objects[*ti].stmt, Stmt::CreateTable(_)) {
                    targets.push((*ti, c.clone()));
                }
            }
        }
        if targets.is_empty() {
            bound.push((
                bi,
                Finding::new(
                    &codes::RULE_NOT_BOUND,
                    span,
                    &[kind, what, to, "no such column or type in the input"],
                ),
            ));
            continue;
        }
        for (ti, cname) in targets {
            let Stmt::CreateTable(t) = &mut objects[ti].stmt else {
                continue;
            };
            let Some(col) = t
                .columns
                .iter_mut()
                .find(|c| c.name.value.eq_ignore_ascii_case(&cname))
            else {
                continue;
            };
            if is_rule {
                let e = bind_param(&expr, &col.name);
                t.constraints.push(Constraint {
                    name: None,
                    kind: ConstraintKind::Check { expr: e },
                    deferrable: None,
                    enabled: true,
                    validate: true,
                    span,
                });
            } else if col.default.is_none() {
                col.default = Some(expr.clone());
            }
        }
        let became = if is_rule {
            "CHECK constraint"
        } else {
            "column default"
        };
        bound.push((
            bi,
            Finding::new(&codes::RULE_BOUND, span, &[kind, what, to, became]),
        ));
    }
    for (i, f) in bound {
        objects[i].findings.push(f);
    }

    // Re-install and upgrade scripts add columns and keys the CREATE TABLE already has: the
    // repeated ALTER TABLE actions are dropped (the first definition wins).
    {
        let mut cols: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
        // A table defined more than once keeps its last definition (merge pass): a primary
        // key that definition has makes any ALTER TABLE ADD PRIMARY KEY a repetition too.
        let mut pk: std::collections::HashSet<String> = Default::default();
        for o in objects.iter() {
            if let Stmt::CreateTable(t) = &o.stmt {
                let k = table_key(&t.name);
                if t.constraints
                    .iter()
                    .any(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
                {
                    pk.insert(k);
                } else {
                    pk.remove(&k);
                }
            }
        }
        let mut names: std::collections::HashSet<String> = Default::default();
        for o in objects.iter_mut() {
            match &mut o.stmt {
                Stmt::CreateTable(t) => {
                    let k = table_key(&t.name);
                    let e = cols.entry(k.clone()).or_default();
                    e.extend(t.columns.iter().map(|c| key(&c.name.value)));
                    for c in &t.constraints {
                        if matches!(c.kind, ConstraintKind::PrimaryKey { .. }) {
                            pk.insert(k.clone());
                        }
                        if let Some(n) = &c.name {
                            names.insert(key(&n.value));
                        }
                    }
                }
                Stmt::AlterTable(a) => {
                    let k = table_key(&a.table);
                    if !cols.contains_key(&k) {
                        continue;
                    }
                    let mut dups = Vec::new();
                    a.actions.retain_mut(|act| match act {
                        AlterAction::AddColumns(cs) => {
                            let e = cols.entry(k.clone()).or_default();
                            cs.retain(|c| {
                                let fresh = e.insert(key(&c.name.value));
                                if !fresh {
                                    dups.push(("column", c.name.value.clone(), c.span));
                                }
                                fresh
                            });
                            !cs.is_empty()
                        }
                        AlterAction::AddConstraint(c) => {
                            let is_pk = matches!(c.kind, ConstraintKind::PrimaryKey { .. });
                            let dup_name = c
                                .name
                                .as_ref()
                                .is_some_and(|n| names.contains(&key(&n.value)));
                            if (is_pk && pk.contains(&k)) || dup_name {
                                let n = c
                                    .name
                                    .as_ref()
                                    .map(|n| n.value.clone())
                                    .unwrap_or_else(|| "primary key".into());
                                dups.push(("constraint", n, c.span));
                                return false;
                            }
                            if is_pk {
                                pk.insert(k.clone());
                            }
                            if let Some(n) = &c.name {
                                names.insert(key(&n.value));
                            }
                            true
                        }
                        _ => true,
                    });
                    for (what, n, sp) in dups {
                        o.findings
                            .push(Finding::new(&codes::DUPLICATE_OBJECT, sp, &[what, &n]));
                    }
                    if a.actions.is_empty() {
                        o.stmt = Stmt::Ignored {
                            what: "ALTER TABLE".into(),
                        };
                        o.kind = ObjectKind::Statement;
                    }
                }
                _ => {}
            }
        }
    }

    // INSERT without a column list skips identity and computed columns in T-SQL (unless
    // IDENTITY_INSERT is on); the target needs the list.
    let mut identity_on: std::collections::HashSet<String> = Default::default();
    for i in 0..objects.len() {
        if let Pending::IdentityInsert { table, on } = &pending[i] {
            if *on {
                identity_on.insert(table_key(table));
            } else {
                identity_on.remove(&table_key(table));
            }
            continue;
        }
        let Stmt::Insert(ins) = &objects[i].stmt else {
            continue;
        };
        if !ins.columns.is_empty() || identity_on.contains(&table_key(&ins.table)) {
            continue;
        }
        let Some(&ti) = tables.get(&table_key(&ins.table)) else {
            continue;
        };
        let Stmt::CreateTable(t) = &objects[ti].stmt else {
            continue;
        };
        if !t
            .columns
            .iter()
            .any(|c| c.identity.is_some() || c.generated.is_some())
        {
            continue;
        }
        let cols: Vec<Ident> = t
            .columns
            .iter()
            .filter(|c| c.identity.is_none() && c.generated.is_none())
            .map(|c| c.name.clone())
            .collect();
        if let Stmt::Insert(ins) = &mut objects[i].stmt {
            ins.columns = cols;
        }
    }

    // Indexes on views (indexed views) have no target equivalent.
    let views: std::collections::HashSet<String> = objects
        .iter()
        .filter_map(|o| match &o.stmt {
            Stmt::CreateView(v) => Some(table_key(&v.name)),
            _ => None,
        })
        .collect();
    for o in objects.iter_mut() {
        if let Stmt::CreateIndex(ix) = &o.stmt
            && views.contains(&table_key(&ix.table))
        {
            let what = format!("index on view {}", ix.table.display());
            o.findings
                .push(Finding::new(&codes::INDEX_NOT_CONVERTED, o.span, &[&what]));
            o.commented_out = true;
        }
    }

    // SET IDENTITY_INSERT t OFF: move the identity sequence past the inserted values.
    for (i, pd) in pending.iter().enumerate() {
        let Pending::IdentityInsert { table, on } = pd else {
            continue;
        };
        let span = objects[i].span;
        let ident_col = tables
            .get(&table_key(table))
            .and_then(|&ti| match &objects[ti].stmt {
                Stmt::CreateTable(t) => t
                    .columns
                    .iter()
                    .find(|c| c.identity.is_some())
                    .map(|c| c.name.clone()),
                _ => None,
            });
        objects[i].findings.push(Finding::new(
            &codes::IDENTITY_INSERT,
            span,
            &[&table.display()],
        ));
        // MySQL moves an AUTO_INCREMENT counter past explicit values by itself.
        if *on || target == crate::Target::Mysql {
            continue;
        }
        if let Some(col) = ident_col {
            let q = setval_query(table, &col, span);
            objects[i].kind = ObjectKind::Data;
            objects[i].name = Some(table.clone());
            objects[i].stmt = Stmt::Query(Box::new(q));
        }
    }
}

fn pg_name(s: &str) -> String {
    let l = s.to_lowercase();
    let simple = l
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && l.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if simple {
        l
    } else {
        format!("\"{}\"", l.replace('"', "\"\""))
    }
}

/// `SELECT setval(pg_get_serial_sequence('t', 'c'), coalesce(max(c), 1), max(c) IS NOT NULL)
/// FROM t`. Names fold to lower case (see the module comment), so the text in the call is the
/// target spelling.
fn setval_query(table: &QName, col: &Ident, span: Span) -> Query {
    let t = table
        .parts
        .iter()
        .map(|p| pg_name(&p.value))
        .collect::<Vec<_>>()
        .join(".");
    let c = pg_name(&col.value);
    let text = format!(
        "setval(pg_get_serial_sequence('{}', '{}'), coalesce(max({c}), 1), max({c}) IS NOT NULL)",
        t.replace('\'', "''"),
        c.replace('\'', "''")
    );
    let sel = Select {
        distinct: false,
        items: vec![SelectItem::Expr {
            expr: Expr::Raw(text, span),
            alias: None,
        }],
        from: vec![TableRef::Table {
            name: table.clone(),
            alias: None,
            span,
        }],
        where_: None,
        group_by: Vec::new(),
        having: None,
        connect_by: None,
        span,
    };
    Query {
        with: Vec::new(),
        recursive: false,
        body: SetExpr::Select(Box::new(sel)),
        order_by: Vec::new(),
        limit: None,
        offset: None,
        for_update: None,
        span,
    }
}

/// Is this computed-column expression a string (a string literal concatenated, a conversion
/// to a character type)?
fn is_texty(e: &Expr) -> bool {
    match e {
        Expr::String(..) | Expr::NString(..) => true,
        Expr::Binary {
            op: BinOp::Add | BinOp::Concat,
            left,
            right,
            ..
        } => is_texty(left) || is_texty(right),
        Expr::Call(c) => {
            let n = c.name.name().value.to_ascii_uppercase();
            matches!(n.as_str(), "ISNULL" | "COALESCE") && c.args.iter().any(|a| is_texty(&a.value))
                || (matches!(n.as_str(), "CONVERT" | "CAST")
                    && c.args.first().is_some_and(|a| match &a.value {
                        Expr::Call(t) => t.name.name().value.to_ascii_uppercase().contains("CHAR"),
                        Expr::Column(q) => q.name().value.to_ascii_uppercase().contains("CHAR"),
                        _ => false,
                    }))
                || matches!(
                    n.as_str(),
                    "UPPER" | "LOWER" | "SUBSTRING" | "LEFT" | "RIGHT" | "LTRIM" | "RTRIM"
                )
        }
        Expr::Cast { ty, .. } => ty.source.name.contains("CHAR"),
        _ => false,
    }
}
