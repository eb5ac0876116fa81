//! Storage objects on the target (Targeted phase): tables and partitions, indexes, sequences,
//! views and synonyms, users, roles and grants, data statements.

use std::collections::{HashMap, HashSet};

use super::symbols::Symbols;
use super::{Ctx, flag};
use crate::ir::plsql::RoutineKind;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    let syms = &ctx.symbols;
    let callables = callables(module);
    for o in &mut module.objects {
        let stmt = std::mem::replace(
            &mut o.stmt,
            Stmt::Ignored {
                what: String::new(),
            },
        );
        o.stmt = match stmt {
            Stmt::CreateTable(mut t) => {
                table(o, &mut t, ctx.opts.to);
                Stmt::CreateTable(t)
            }
            Stmt::CreateIndex(mut i) => {
                let cols = syms.table(&i.table).map_or(&[][..], |t| &t.columns);
                if index(o, &mut i, ctx.opts.to, cols) {
                    Stmt::CreateIndex(i)
                } else {
                    o.section = None;
                    Stmt::Ignored {
                        what: "CREATE INDEX".into(),
                    }
                }
            }
            Stmt::CreateSequence(mut s) => {
                sequence(o, &mut s);
                Stmt::CreateSequence(s)
            }
            Stmt::CreateView(v) => {
                let span = o.span;
                if v.force {
                    flag(o, &codes::FORCE_VIEW, span, &[]);
                }
                if v.read_only {
                    flag(o, &codes::READ_ONLY_VIEW, span, &[]);
                }
                if v.materialized {
                    let how = match ctx.opts.to {
                        crate::Target::Postgres => {
                            "refresh options (ON COMMIT, FAST) are not kept; refresh with REFRESH MATERIALIZED VIEW"
                        }
                        crate::Target::Mysql => {
                            "MySQL has no materialized views: it becomes an ordinary view, computed at each read; keep the rows in a table refreshed by an event where that is too slow"
                        }
                    };
                    flag(
                        o,
                        &codes::MATERIALIZED_VIEW,
                        span,
                        &[&v.name.display(), how],
                    );
                }
                Stmt::CreateView(v)
            }
            Stmt::CreateSynonym(mut s) => {
                if synonym(o, &mut s, syms) {
                    Stmt::CreateSynonym(s)
                } else {
                    o.section = None;
                    Stmt::Ignored {
                        what: "CREATE SYNONYM".into(),
                    }
                }
            }
            Stmt::CreateUser(u) => {
                let span = o.span;
                let becomes = match ctx.opts.to {
                    crate::Target::Postgres => "a login role",
                    crate::Target::Mysql => "a MySQL account (CREATE USER)",
                };
                flag(o, &codes::USER_CONVERTED, span, &[&u.name.value, becomes]);
                Stmt::CreateUser(u)
            }
            Stmt::AlterTable(mut a) => {
                let actions = std::mem::take(&mut a.actions);
                a.actions = actions
                    .into_iter()
                    .filter(|x| match x {
                        AlterAction::AddConstraint(c) => constraint_state(o, c),
                        _ => true,
                    })
                    .collect();
                if a.actions.is_empty() {
                    o.section = None;
                    Stmt::Ignored {
                        what: "ALTER TABLE".into(),
                    }
                } else {
                    Stmt::AlterTable(a)
                }
            }
            Stmt::Grant(mut g) => {
                grant(o, &mut g, syms, &callables, ctx.opts.to);
                schema_usage(o, &g, ctx.opts.to);
                Stmt::Grant(g)
            }
            s @ (Stmt::Insert(_) | Stmt::Update(_) | Stmt::Delete(_)) => {
                let table = match &s {
                    Stmt::Insert(i) => &i.table,
                    Stmt::Update(u) => &u.table,
                    Stmt::Delete(d) => &d.table,
                    _ => unreachable!(),
                };
                if syms.table(table).is_none() && !syms.is_view(table) {
                    let span = o.span;
                    let name = table.display();
                    let what = match &s {
                        Stmt::Insert(_) => "INSERT",
                        Stmt::Update(_) => "UPDATE",
                        _ => "DELETE",
                    };
                    flag(o, &codes::TABLE_NOT_FOUND, span, &[what, &name]);
                    o.commented_out = true;
                }
                s
            }
            other => other,
        };
    }
}

fn table(o: &mut Object, t: &mut Table, target: crate::Target) {
    let span = o.span;
    if matches!(
        t.temporary,
        Some(TempKind::GlobalDeleteRows | TempKind::GlobalPreserveRows)
    ) {
        flag(o, &codes::GLOBAL_TEMPORARY, span, &[]);
    }
    let int64 = &super::types::spellings(target).int64;
    // The columns' source types, for generated columns only.
    let cols: Vec<(String, SourceType)> = if t.columns.iter().any(|c| c.generated.is_some()) {
        t.columns
            .iter()
            .map(|c| (c.name.value.clone(), c.ty.source.clone()))
            .collect()
    } else {
        Vec::new()
    };
    for c in &mut t.columns {
        // Identity columns must be integers on the target; Oracle's are NUMBER.
        if c.identity.is_some() && matches!(c.ty.ir, Some(Type::Decimal { .. })) {
            c.ty.ir = Some(Type::Int { bits: 64 });
            c.ty.target = Some(int64.clone());
        }
        if let Some(g) = &mut c.generated {
            g.stored = true;
            immutable_concat(&mut g.expr, target, &cols);
            let name = c.name.value.clone();
            flag(o, &codes::VIRTUAL_COLUMN, c.span, &[&name]);
        }
    }
    let constraints = std::mem::take(&mut t.constraints);
    t.constraints = constraints
        .into_iter()
        .filter(|c| constraint_state(o, c))
        .collect();
    if let Some(p) = t.partition.take() {
        t.partition = partition(o, t, p);
    }
}

/// Raises the findings of a constraint's state; returns false for a disabled constraint,
/// which is not created (the source does not enforce it either).
fn constraint_state(o: &mut Object, c: &Constraint) -> bool {
    if c.enabled && c.validate {
        return true;
    }
    let name = c
        .name
        .as_ref()
        .map(|n| n.value.clone())
        .unwrap_or_else(|| "(unnamed)".into());
    if !c.enabled {
        flag(o, &codes::CONSTRAINT_DISABLED, c.span, &[&name]);
        return false;
    }
    if !c.validate {
        flag(o, &codes::CONSTRAINT_STATE, c.span, &[&name, "NOVALIDATE"]);
    }
    true
}

/// Generated columns and index expressions must be immutable: `concat()` is not, `||` is.
/// PostgreSQL's `||` needs text operands (`coalesce(n, '')` of a number is an error), so
/// each part that is not a string literal is cast to text (immutable for numbers and
/// strings).
fn immutable_concat(e: &mut Expr, target: crate::Target, cols: &[(String, SourceType)]) {
    struct V<'c>(crate::Target, &'c [(String, SourceType)]);
    impl crate::ir::visit::VisitMut for V<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Call(c) = e
                && c.name.name().value == "CONCAT"
                && c.args.len() >= 2
            {
                let span = c.span;
                let (target, cols) = (self.0, self.1);
                let mut it = c.args.drain(..).map(|a| {
                    let text = super::types::expr_kind(&a.value, cols)
                        == Some(super::types::ExprKind::Text);
                    coalesce_empty(a.value, span, target, text)
                });
                let first = it.next().expect("two args");
                *e = it.fold(first, |l, r| Expr::Binary {
                    op: BinOp::Concat,
                    left: Box::new(l),
                    right: Box::new(r),
                    span,
                });
            }
        }
    }
    crate::ir::visit::walk_expr(&mut V(target, cols), e);
}

fn coalesce_empty(e: Expr, span: Span, target: crate::Target, text: bool) -> Expr {
    let e = match e {
        Expr::String(..) => return e,
        Expr::Number(n, s) => return Expr::String(n, s),
        e if target == crate::Target::Postgres && !text => super::functions::cast(e, "text", span),
        e => e,
    };
    Expr::Call(Box::new(Call {
        name: QName::single(Ident::new("COALESCE", span)),
        args: vec![
            Arg {
                name: None,
                value: e,
            },
            Arg {
                name: None,
                value: Expr::String(String::new(), span),
            },
        ],
        distinct: false,
        over: None,
        within_group: Vec::new(),
        span,
    }))
}

fn partition(o: &mut Object, t: &mut Table, mut p: PartitionSpec) -> Option<PartitionSpec> {
    let span = p.span;
    match p.method {
        PartitionMethod::Reference | PartitionMethod::System => {
            let m = if p.method == PartitionMethod::Reference {
                "REFERENCE"
            } else {
                "SYSTEM"
            };
            flag(o, &codes::PARTITION_UNSUPPORTED, span, &[m]);
            return None;
        }
        _ => {}
    }
    if p.method == PartitionMethod::Hash && p.partitions.is_empty() {
        let n = p.count.unwrap_or(1).max(1);
        p.partitions = (0..n)
            .map(|_| Partition {
                name: None,
                bound: PartitionBound::Hash,
                subpartitions: Vec::new(),
                span,
            })
            .collect();
    }
    if p.subpartition.is_some() {
        flag(o, &codes::SUBPARTITION_TEMPLATE, span, &[&t.name.display()]);
    }
    // Child tables are tables of their own on the target: `<table>_<partition>`.
    let base = t.name.name().value.clone();
    for (i, part) in p.partitions.iter_mut().enumerate() {
        let pname = part
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| format!("P{i}"));
        let pspan = part.name.as_ref().map(|n| n.span).unwrap_or(span);
        part.name = Some(Ident::new(format!("{base}_{pname}"), pspan));
        for (j, sub) in part.subpartitions.iter_mut().enumerate() {
            let sname = sub
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_else(|| format!("{pname}_S{j}"));
            let sspan = sub.name.as_ref().map(|n| n.span).unwrap_or(pspan);
            // Subpartition names repeat across partitions when they come from a template.
            sub.name = Some(Ident::new(format!("{base}_{pname}_{sname}"), sspan));
        }
    }
    // Unique keys must contain the partition key on the target.
    let mut keys: Vec<&Ident> = p.columns.iter().collect();
    if let Some(s) = &p.subpartition {
        keys.extend(s.columns.iter());
    }
    let mut widened = Vec::new();
    for c in &mut t.constraints {
        if let ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } =
            &mut c.kind
        {
            for k in &keys {
                if !columns.iter().any(|x| x.value == k.value) {
                    columns.push((*k).clone());
                    widened.push((
                        c.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                        c.span,
                        k.value.clone(),
                    ));
                }
            }
        }
    }
    for (name, sp, col) in widened {
        flag(o, &codes::PARTITION_KEY_IN_UNIQUE, sp, &[&name, &col]);
    }
    Some(p)
}

/// Returns false when nothing is left to index.
fn index(
    o: &mut Object,
    i: &mut Index,
    target: crate::Target,
    cols: &[(String, SourceType)],
) -> bool {
    let span = o.span;
    if i.bitmap {
        flag(o, &codes::BITMAP_INDEX, span, &[]);
    }
    if i.reverse {
        flag(o, &codes::REVERSE_INDEX, span, &[]);
    }
    if i.local {
        flag(o, &codes::PARTITIONED_INDEX, span, &["LOCAL"]);
    }
    let mut dropped = Vec::new();
    i.columns.retain(|c| {
        let constant = matches!(c.expr, Expr::String(..) | Expr::Number(..) | Expr::Null(_));
        if constant {
            let shown = match &c.expr {
                Expr::String(v, _) => format!("'{v}'"),
                Expr::Number(n, _) => n.clone(),
                _ => "NULL, or '' in Oracle".to_string(),
            };
            dropped.push((c.expr.span(), shown));
        }
        !constant
    });
    if !dropped.is_empty() {
        let name = i.name.display();
        for (sp, shown) in dropped {
            flag(o, &codes::EXPRESSION_INDEX_CONSTANT, sp, &[&name, &shown]);
        }
    }
    for c in &mut i.columns {
        immutable_concat(&mut c.expr, target, cols);
    }
    !i.columns.is_empty()
}

const BIGINT_MAX: i128 = i64::MAX as i128;
const BIGINT_MIN: i128 = i64::MIN as i128;

fn sequence(o: &mut Object, s: &mut Sequence) {
    let name = s.name.as_ref().map(|n| n.display()).unwrap_or_default();
    let span = o.span;
    let clamp = |v: &mut Option<i128>, what: &str, o: &mut Object| {
        if let Some(x) = *v
            && (!(BIGINT_MIN..=BIGINT_MAX).contains(&x))
        {
            let c = x.clamp(BIGINT_MIN, BIGINT_MAX);
            // Oracle's default bounds (28 nines) just mean "no bound".
            let is_default = x.unsigned_abs() >= 10u128.pow(27) - 1;
            if !is_default || what == "START WITH" {
                flag(
                    o,
                    &codes::SEQUENCE_CLAMPED,
                    span,
                    &[&name, &format!("{what} {x}"), &c.to_string()],
                );
                *v = Some(c);
            } else {
                *v = None;
            }
        }
    };
    clamp(&mut s.max, "MAXVALUE", o);
    clamp(&mut s.min, "MINVALUE", o);
    clamp(&mut s.start, "START WITH", o);
    // PostgreSQL needs CACHE >= 1 (Oracle NOCACHE / CACHE 0 both mean 1).
    if s.cache.is_some_and(|c| c < 1) {
        s.cache = None;
    }
}

/// Returns false when the synonym is not needed on the target.
fn synonym(o: &mut Object, s: &mut Synonym, syms: &Symbols) -> bool {
    let span = o.span;
    let name = s.name.display();
    let target = s.target.display();
    if s.target.dblink.is_some() {
        flag(
            o,
            &codes::SYNONYM_UNRESOLVED,
            span,
            &[
                &name,
                &format!(
                    "{target}@{}",
                    s.target
                        .dblink
                        .as_ref()
                        .map(|d| d.value.clone())
                        .unwrap_or_default()
                ),
            ],
        );
        o.commented_out = true;
        return true;
    }
    let is_table = syms.table(&s.target).is_some();
    let is_view = syms.is_view(&s.target);
    if !is_table && !is_view {
        flag(o, &codes::SYNONYM_UNRESOLVED, span, &[&name, &target]);
        o.commented_out = true;
        return true;
    }
    // A synonym named like its target in the same (default) schema is redundant on the target:
    // unqualified names find the table itself.
    // A synonym named like its target, for a table created in the default schema, is
    // redundant: the bare name already finds the table (and a view would collide with it).
    let target_in_default_schema = syms
        .table(&s.target)
        .map(|t| t.object)
        .is_some_and(|i| matches!(&module_names(syms, i), Some(q) if q.schema().is_none()));
    if s.name.name().value == s.target.name().value
        && (s.name.schema().is_none() || s.public)
        && target_in_default_schema
    {
        flag(o, &codes::SYNONYM_REDUNDANT, span, &[&name, &target]);
        return false;
    }
    s.target_kind = Some(if is_table {
        ObjectKind::Table
    } else {
        ObjectKind::View
    });
    flag(o, &codes::SYNONYM_AS_VIEW, span, &[&name, &target]);
    true
}

/// The declared name of the table object `i` (from the symbol table's record).
fn module_names(syms: &Symbols, i: usize) -> Option<QName> {
    syms.table_names.get(&i).cloned()
}

/// Object privileges PostgreSQL grants the same way.
const OBJECT_PRIVS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "REFERENCES",
    "ALL",
    "ALL PRIVILEGES",
    "TRIGGER",
];

/// A routine or package of the input, as a grant names it.
enum Callable {
    Routine(RoutineKind),
    /// A package: a schema on PostgreSQL; on MySQL its public subprograms (`PKG__NAME`
    /// routines, from the converted body; none when the body is not converted).
    Package(Vec<(RoutineKind, QName)>),
}

/// The routines and packages of the input by `NAME` and `SCHEMA.NAME` (after the procedural
/// passes named their subprograms).
fn callables(module: &Module) -> HashMap<String, Callable> {
    let mut public: HashMap<String, HashSet<String>> = HashMap::new();
    for o in &module.objects {
        if let Stmt::CreatePackage(pk) = &o.stmt
            && !pk.body
        {
            let names = pk
                .declared
                .iter()
                .map(|r| r.name.name().value.to_uppercase());
            public
                .entry(pk.name.name().value.to_uppercase())
                .or_default()
                .extend(names);
        }
    }
    let mut out = HashMap::new();
    let mut put = |q: &QName, c: &dyn Fn() -> Callable, replace: bool| {
        let (n, full) = super::symbols::keys(q);
        for k in std::iter::once(n).chain(full) {
            if replace || !out.contains_key(&k) {
                out.insert(k, c());
            }
        }
    };
    for o in &module.objects {
        match &o.stmt {
            Stmt::CreatePackage(pk) if pk.body && !o.commented_out => {
                let pkg = pk.name.name().value.to_uppercase();
                let prefix = format!("{pkg}__");
                let spec = public.get(&pkg);
                let members: Vec<(RoutineKind, QName)> = pk
                    .routines
                    .iter()
                    .filter(|r| {
                        let n = r.name.name().value.to_uppercase();
                        let own = n.strip_prefix(&prefix).unwrap_or(&n);
                        spec.is_none_or(|s| s.contains(own))
                    })
                    .map(|r| (r.kind, r.name.clone()))
                    .collect();
                put(&pk.name, &|| Callable::Package(members.clone()), true);
            }
            Stmt::CreatePackage(pk) => put(&pk.name, &|| Callable::Package(Vec::new()), false),
            Stmt::CreateRoutine(r) => put(&r.name, &|| Callable::Routine(r.kind), true),
            Stmt::Routine(_) => {
                let kind = match o.kind {
                    ObjectKind::Procedure => RoutineKind::Procedure,
                    ObjectKind::Function => RoutineKind::Function,
                    _ => continue,
                };
                if let Some(n) = &o.name {
                    put(n, &|| Callable::Routine(kind), false);
                }
            }
            _ => {}
        }
    }
    out
}

/// `GRANT EXECUTE ON routine | package`: the object class the target needs; a package is its
/// schema (PostgreSQL) or its public subprograms, one grant each (MySQL).
fn routine_grant(o: &mut Object, g: &mut Grant, c: &Callable, target: crate::Target) {
    let span = o.span;
    let on = g.on.clone().expect("an object grant");
    let shown = on.display();
    let mut keep = Vec::new();
    for p in &g.privileges {
        if p == "EXECUTE" || p == "ALL" || p == "ALL PRIVILEGES" {
            keep.push("EXECUTE".to_string());
        } else {
            flag(o, &codes::PRIVILEGE_UNKNOWN, span, &[p, &shown]);
        }
    }
    keep.dedup();
    if keep.is_empty() {
        o.commented_out = true;
        return;
    }
    g.privileges = keep;
    let kind_of = |k: RoutineKind| match k {
        RoutineKind::Function => GrantOn::Function,
        RoutineKind::Procedure => GrantOn::Procedure,
    };
    match (c, target) {
        (Callable::Routine(k), _) => g.on_kind = kind_of(*k),
        (Callable::Package(_), crate::Target::Postgres) => {
            // The package's schema (named after the package alone, as the plsql pass names
            // it): USAGE on it, EXECUTE on its routines.
            g.on = Some(QName::single(on.name().clone()));
            let mut all = g.clone();
            all.on_kind = GrantOn::AllRoutinesInSchema;
            g.privileges = vec!["USAGE".into()];
            g.on_kind = GrantOn::Schema;
            o.attached.push(Stmt::Grant(Box::new(all)));
        }
        (Callable::Package(members), crate::Target::Mysql) => {
            let Some(((k0, n0), rest)) = members.split_first() else {
                flag(
                    o,
                    &codes::PRIVILEGE_UNKNOWN,
                    span,
                    &[
                        "EXECUTE",
                        &format!("{shown} (its package body is not converted)"),
                    ],
                );
                o.commented_out = true;
                return;
            };
            for (k, n) in rest {
                let mut m = g.clone();
                m.on = Some(n.clone());
                m.on_kind = kind_of(*k);
                o.attached.push(Stmt::Grant(Box::new(m)));
            }
            g.on = Some(n0.clone());
            g.on_kind = kind_of(*k0);
        }
    }
    if target == crate::Target::Postgres && !g.revoke {
        flag(o, &codes::EXECUTE_PUBLIC_DEFAULT, span, &[&shown]);
        flag(o, &codes::DEFINER_RIGHTS, span, &[&shown]);
    }
}

/// PostgreSQL: using an object of a schema needs USAGE on the schema too (Oracle, SQL Server
/// and MySQL have no such privilege), granted next to the object's.
fn schema_usage(o: &mut Object, g: &Grant, target: crate::Target) {
    if target != crate::Target::Postgres || g.revoke || o.commented_out {
        return;
    }
    let Some(schema) = g.on.as_ref().and_then(|q| q.schema()) else {
        return;
    };
    if g.on_kind == GrantOn::Schema || schema.is("PUBLIC") {
        return;
    }
    o.attached.push(Stmt::Grant(Box::new(Grant {
        privileges: vec!["USAGE".into()],
        on: Some(QName::single(schema.clone())),
        grantees: g.grantees.clone(),
        with_grant_option: false,
        revoke: false,
        on_kind: GrantOn::Schema,
    })));
}

fn grant(
    o: &mut Object,
    g: &mut Grant,
    syms: &Symbols,
    callables: &HashMap<String, Callable>,
    target: crate::Target,
) {
    let span = o.span;
    let unknown: Vec<String> = g
        .grantees
        .iter()
        .filter(|r| !r.is("PUBLIC") && !syms.roles.contains(&r.value))
        .map(|r| r.value.clone())
        .collect();
    if let Some(on) = &g.on {
        let shown = on.display();
        let (n, full) = super::symbols::keys(on);
        if let Some(c) = full
            .and_then(|f| callables.get(&f))
            .or_else(|| callables.get(&n))
        {
            routine_grant(o, g, c, target);
            return check_grantees(o, &unknown);
        }
        let target = shown;
        let sequence = syms.is_sequence(on);
        let known = syms.table(on).is_some() || syms.is_view(on) || sequence;
        if !known {
            flag(
                o,
                &codes::PRIVILEGE_UNKNOWN,
                span,
                &[
                    &g.privileges.join(", "),
                    &format!("{target} (not in the input)"),
                ],
            );
            o.commented_out = true;
            return;
        }
        let mut keep = Vec::new();
        if sequence && syms.table(on).is_none() && !syms.is_view(on) {
            // Oracle's SELECT on a sequence is NEXTVAL and CURRVAL: USAGE on PostgreSQL (the
            // mysql pass grants its emulation's functions instead).
            g.on_kind = GrantOn::Sequence;
            for p in &g.privileges {
                match p.as_str() {
                    "SELECT" => keep.extend(["USAGE".to_string(), "SELECT".to_string()]),
                    "USAGE" | "ALL" | "ALL PRIVILEGES" => keep.push(p.clone()),
                    _ => flag(o, &codes::PRIVILEGE_UNKNOWN, span, &[p, &target]),
                }
            }
            keep.dedup();
            if keep.is_empty() {
                o.commented_out = true;
                return;
            }
            g.privileges = keep;
            return check_grantees(o, &unknown);
        }
        for p in &g.privileges {
            let base = p.split([' ', '(']).next().unwrap_or("");
            if OBJECT_PRIVS.contains(&p.as_str()) || OBJECT_PRIVS.contains(&base) {
                keep.push(p.clone());
            } else if p == "READ" {
                keep.push("SELECT".into());
            } else {
                flag(o, &codes::PRIVILEGE_UNKNOWN, span, &[p, &target]);
            }
        }
        if keep.is_empty() {
            o.commented_out = true;
            return;
        }
        g.privileges = keep;
    } else {
        let mut keep = Vec::new();
        for p in &g.privileges {
            if syms.roles.contains(p) {
                // A role name: spelled like every other name on the target.
                let r = super::naming::rules(target);
                let (n, quoted, _) = super::naming::convert_name(p, false, r);
                let q = if target == crate::Target::Mysql {
                    '`'
                } else {
                    '"'
                };
                keep.push(if quoted { format!("{q}{n}{q}") } else { n });
            } else {
                flag(o, &codes::SYSTEM_PRIVILEGE, span, &[p]);
            }
        }
        if keep.is_empty() {
            o.commented_out = true;
            return;
        }
        g.privileges = keep;
    }
    check_grantees(o, &unknown);
}

/// A grant to roles the input does not create stays commented out.
fn check_grantees(o: &mut Object, unknown: &[String]) {
    if !unknown.is_empty() && !o.commented_out {
        let span = o.span;
        flag(o, &codes::GRANTEE_UNKNOWN, span, &[&unknown.join(", ")]);
        o.commented_out = true;
    }
}
