//! PL/SQL routines and triggers (Normalized phase, before `functions` and `types`).
//!
//! Resolves every name of a routine body against its scopes (parameters, locals, cursors,
//! loop variables, labels, trigger correlation names), the columns of the tables of the SQL
//! statement it appears in, and the symbol table (sequences, tables, routines); a name that
//! resolves to nothing gets PLS004 and is kept as written. Then decides the target forms:
//! procedure calls (`CALL`) and functions whose result is discarded (`PERFORM`), predefined
//! and user exceptions (conditions / SQLSTATEs, stable: `-20nnn` is `P2nnn`),
//! `RAISE_APPLICATION_ERROR`, `DBMS_OUTPUT.PUT_LINE`, `SQL%ROWCOUNT` (`GET DIAGNOSTICS`),
//! cursor attributes, `SELECT INTO` (STRICT, as Oracle raises on zero or several rows),
//! trigger predicates (`INSERTING` ...), `:NEW`/`:OLD` and `REFERENCING` aliases, trigger
//! functions and their `RETURN`. Constructs without a counterpart are flagged.
//!
//! It also folds `ALTER TRIGGER t ENABLE | DISABLE` into the trigger.

use std::collections::{HashMap, HashSet};

#[path = "plsql_collections.rs"]
mod coll;
#[path = "plsql_dynamic.rs"]
mod dynamic;
#[path = "plsql_mysql.rs"]
mod my;

use super::Ctx;
use super::symbols::Symbols;
use crate::diag::{Code, Finding};
use crate::ir::plsql::*;
use crate::ir::visit::{VisitMut, walk_expr, walk_query, walk_stmt};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// What is known about a routine of the input.
#[derive(Clone, Debug)]
struct RoutineInfo {
    /// `None` for packages and routines that could not be parsed.
    kind: Option<RoutineKind>,
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    // T-SQL and ASE routines: passes::plsql_tsql.
    if matches!(
        ctx.opts.from,
        crate::SourceDialect::Tsql | crate::SourceDialect::Ase
    ) {
        return;
    }
    let mysql = ctx.target() == crate::Target::Mysql;
    let mut routines: HashMap<String, RoutineInfo> = HashMap::new();
    for o in &module.objects {
        let kind = match (&o.stmt, o.kind) {
            (Stmt::CreateRoutine(r), _) => Some(r.kind),
            (_, ObjectKind::Procedure) => Some(RoutineKind::Procedure),
            (_, ObjectKind::Function) => Some(RoutineKind::Function),
            (_, ObjectKind::Package) => None,
            _ => continue,
        };
        if let Some(n) = &o.name {
            let (a, b) = super::symbols::keys(n);
            routines.insert(a, RoutineInfo { kind });
            if let Some(b) = b {
                routines.insert(b, RoutineInfo { kind });
            }
        }
    }
    // Package members (`PKG.NAME`) and package-level names.
    let mut packages: HashMap<String, Vec<(String, Entry)>> = HashMap::new();
    for o in &module.objects {
        if let Stmt::CreatePackage(pk) = &o.stmt {
            let pkg = pk.name.name().value.clone();
            routines.insert(pkg.clone(), RoutineInfo { kind: None });
            for r in pk.routines.iter().chain(&pk.declared) {
                routines.insert(
                    format!("{pkg}.{}", r.name.name().value),
                    RoutineInfo { kind: Some(r.kind) },
                );
            }
            let names = packages.entry(pkg.clone()).or_default();
            for d in &pk.decls {
                match d {
                    Decl::Var {
                        name, ty, default, ..
                    } => names.push((
                        name.value.clone(),
                        Entry::PackageVar(Some(Box::new(PkgVar {
                            key: if mysql {
                                my::state_key(&pkg, &name.value)
                            } else {
                                format!("{}.{}", pkg, name.value).to_lowercase()
                            },
                            ty: ty.clone(),
                            default: default.clone(),
                        }))),
                    )),
                    Decl::Cursor { name, .. } => {
                        names.push((name.value.clone(), Entry::PackageVar(None)))
                    }
                    Decl::Exception { name, .. } => names.push((
                        name.value.clone(),
                        Entry::Exception(user_sqlstate(&name.value)),
                    )),
                    Decl::TypeDecl { name, .. } => names.push((name.value.clone(), Entry::Var)),
                    Decl::Pragma { .. } => {}
                }
            }
        }
    }
    let mut synonyms: HashSet<String> = HashSet::new();
    for o in &module.objects {
        if let Stmt::CreateSynonym(syn) = &o.stmt {
            let (a, b) = super::symbols::keys(&syn.name);
            synonyms.insert(a);
            synonyms.extend(b);
        }
    }
    fold_alter_trigger(module);
    if !mysql {
        sequence_triggers_to_identity(module, &ctx.symbols);
    }
    // Signatures of the input's routines (MySQL: named arguments and defaults at calls).
    let mut sigs: HashMap<String, Vec<Param>> = HashMap::new();
    let mut my_state = my::State::default();
    if mysql {
        for o in &module.objects {
            match &o.stmt {
                Stmt::CreateRoutine(r) => {
                    sigs.insert(r.name.display(), r.params.clone());
                    sigs.insert(r.name.name().value.clone(), r.params.clone());
                }
                Stmt::CreatePackage(pk) => {
                    let pkg = pk.name.name().value.clone();
                    for r in pk.declared.iter().chain(&pk.routines) {
                        sigs.insert(format!("{pkg}.{}", r.name.name().value), r.params.clone());
                    }
                }
                _ => {}
            }
        }
        for t in &ctx.symbols.infos {
            my_state
                .columns
                .extend(t.columns.iter().map(|(n, _)| n.clone()));
        }
    }
    if mysql {
        // Package subprograms are routines `PKG__NAME` on MySQL: known to later passes.
        for o in &module.objects {
            if let Stmt::CreatePackage(pk) = &o.stmt {
                let pkg = pk.name.name().value.clone();
                for r in pk.routines.iter().chain(&pk.declared) {
                    ctx.symbols
                        .routines
                        .insert(format!("{pkg}__{}", r.name.name().value));
                }
            }
        }
    }
    let mut made_types: Vec<(usize, Vec<CompositeType>)> = Vec::new();
    // The last INSERT of each table in each file: a block placed with the data must not read
    // a table whose rows another script inserts later (the files of a directory are read in
    // name order, which need not be the order they are run in). Within one script the order
    // is the script's own, and the block runs where it stands.
    let mut last_insert: HashMap<(String, crate::source::FileId), usize> = HashMap::new();
    for (i, o) in module.objects.iter().enumerate() {
        if let Stmt::Insert(ins) = &o.stmt {
            last_insert.insert((ins.table.name().value.clone(), o.span.file), i);
        }
    }
    for (index, o) in module.objects.iter_mut().enumerate() {
        if mysql {
            my_state.reset();
        }
        let mut c = Conv {
            sigs: &sigs,
            my: std::mem::take(&mut my_state),
            syms: &ctx.symbols,
            routines: &routines,
            target: ctx.target(),
            packages: &packages,
            package: None,
            synonyms: &synonyms,
            found: Vec::new(),
            scopes: Vec::new(),
            trigger: None,
            rowcount_used: false,
            record_vars: Vec::new(),
            where_: String::new(),
            routine_name: None,
            collections: HashMap::new(),
            new_types: Vec::new(),
            subtransaction: 0,
        };
        let mut extra_triggers = Vec::new();
        match &mut o.stmt {
            Stmt::CreateRoutine(r) => c.routine(r),
            Stmt::CreatePackage(pk) => {
                c.package(pk);
                if mysql {
                    my::package(&mut c, pk);
                }
            }
            Stmt::CreateTrigger(t) if mysql => {
                c.trigger_mysql(t);
                match my::trigger(&mut c, t) {
                    my::TriggerOutcome::Created(more) => extra_triggers = more,
                    my::TriggerOutcome::NotCreated => o.commented_out = true,
                }
            }
            Stmt::CreateTrigger(t) => c.trigger(t),
            Stmt::AnonymousBlock(b) => {
                c.where_ = "anonymous block".into();
                c.scopes.push(HashMap::new());
                if mysql {
                    my::collect_renames(&mut c, &[], b);
                }
                c.block(b, true);
                c.finish_top(b);
                c.scopes.pop();
                if mysql {
                    my::anonymous_block(&mut c, b);
                }
                // Blocks run where they stand, with the data.
                o.section = Some(Section::Data);
                let span = o.span;
                let needs_person = c
                    .found
                    .iter()
                    .any(|f| f.severity >= crate::diag::Severity::Manual);
                let mut calls = Calls::default();
                crate::ir::visit::walk_block(&mut calls, b);
                let input_routine = calls
                    .names
                    .iter()
                    .find(|q| matches!(c.routine_kind(q), Some(Some(_))));
                if needs_person {
                    o.commented_out = true;
                    c.flag(
                        &codes::BLOCK_NOT_RUN,
                        span,
                        &["it needs manual work (see the other findings)"],
                    );
                } else if let Some(q) = input_routine {
                    o.commented_out = true;
                    let why = format!(
                        "it calls {}, which is created after the data scripts; run it once the scripts are applied",
                        q.display()
                    );
                    c.flag(&codes::BLOCK_NOT_RUN, span, &[&why]);
                } else {
                    let mut tables = Tables::default();
                    crate::ir::visit::walk_block(&mut tables, b);
                    if let Some(t) = tables.names.iter().find(|t| {
                        last_insert.iter().any(|((table, file), &j)| {
                            j > index && *file != span.file && *table == t.name().value
                        })
                    }) {
                        o.commented_out = true;
                        let why = format!(
                            "it reads {}, whose rows are inserted later in the scripts; run it once the data is loaded",
                            t.display()
                        );
                        c.flag(&codes::BLOCK_NOT_RUN, span, &[&why]);
                    }
                }
            }
            _ => {
                my_state = std::mem::take(&mut c.my);
                continue;
            }
        }
        my_state = std::mem::take(&mut c.my);
        if !c.new_types.is_empty() {
            made_types.push((index, std::mem::take(&mut c.new_types)));
        }
        let mut found = std::mem::take(&mut c.found);
        if mysql && o.commented_out {
            // Not run: no temporary procedure either.
            found.retain(|f| !std::ptr::eq(f.code, &codes::MYSQL_BLOCK_PROCEDURE));
        }
        if mysql {
            finish_mysql_object(o, extra_triggers);
        }
        super::add_unique(o, found);
    }
    // Composite types go right before the routine or package that declares them (object
    // indices move: the symbol table is rebuilt).
    let rebuild = !made_types.is_empty();
    for (index, types) in made_types.into_iter().rev() {
        let span = module.objects[index].span;
        let commented = module.objects[index].commented_out;
        // A package's types live in its schema, which its own statement creates after them.
        let schema = match &module.objects[index].stmt {
            Stmt::CreatePackage(_) if !mysql => types.iter().find_map(|t| t.name.schema().cloned()),
            _ => None,
        }
        .filter(|s| {
            !module.objects[..index].iter().any(|o| {
                !o.commented_out
                    && match &o.stmt {
                        Stmt::CreatePackage(pk) => {
                            pk.name.name().value.eq_ignore_ascii_case(&s.value)
                        }
                        Stmt::CreateSchema(n) => n.value.eq_ignore_ascii_case(&s.value),
                        _ => false,
                    }
            })
        });
        for t in types.into_iter().rev() {
            let mut o = Object::new(
                ObjectKind::Type,
                Some(t.name.clone()),
                span,
                Stmt::CreateType(Box::new(t)),
            );
            o.section = Some(Section::Routines);
            o.commented_out = commented;
            module.objects.insert(index, o);
        }
        if let Some(name) = schema {
            let mut o = Object::new(
                ObjectKind::Schema,
                Some(QName::single(name.clone())),
                span,
                Stmt::CreateSchema(name),
            );
            o.section = Some(Section::Routines);
            o.commented_out = commented;
            module.objects.insert(index, o);
        }
    }
    if rebuild {
        ctx.symbols = Symbols::build(module);
    }
}

/// MySQL: a trigger split per event carries its other triggers; a disabled trigger is not
/// created (flagged by the MySQL side), so PLS015 ("created disabled") does not apply.
fn finish_mysql_object(o: &mut Object, extra_triggers: Vec<Trigger>) {
    if matches!(o.stmt, Stmt::CreateTrigger(_)) {
        o.findings
            .retain(|f| !std::ptr::eq(f.code, &codes::TRIGGER_DISABLED));
    }
    o.attached.extend(
        extra_triggers
            .into_iter()
            .map(|t| Stmt::CreateTrigger(Box::new(t))),
    );
}

/// The MySQL lowering of `plsql_mysql` for procedural code another pass has already converted
/// from its source (T-SQL and ASE, `plsql_tsql`): loop labels for `LEAVE` / `ITERATE`, EXIT
/// handlers, `GET DIAGNOSTICS` for the error variables, `SIGNAL` messages, calls made
/// positional and completed with their defaults, function characteristics. Its `SELECT INTO`s
/// are not strict (they keep MySQL's semantics) and its cursor rows are not records.
pub(super) struct MysqlLowering {
    sigs: HashMap<String, Vec<Param>>,
    routines: HashMap<String, RoutineInfo>,
    packages: HashMap<String, Vec<(String, Entry)>>,
    synonyms: HashSet<String>,
}

impl MysqlLowering {
    /// The input's routines: name (as calls spell it), kind, parameters (target names).
    pub(super) fn new(routines: Vec<(String, RoutineKind, Vec<Param>)>) -> MysqlLowering {
        let mut l = MysqlLowering {
            sigs: HashMap::new(),
            routines: HashMap::new(),
            packages: HashMap::new(),
            synonyms: HashSet::new(),
        };
        for (name, kind, params) in routines {
            l.routines
                .insert(name.clone(), RoutineInfo { kind: Some(kind) });
            l.sigs.insert(name, params);
        }
        l
    }

    fn conv<'a>(&'a self, syms: &'a Symbols, what: String, diag: bool) -> Conv<'a> {
        let my = my::State {
            foreign: true,
            diag,
            ..Default::default()
        };
        Conv {
            sigs: &self.sigs,
            my,
            syms,
            routines: &self.routines,
            target: crate::Target::Mysql,
            packages: &self.packages,
            package: None,
            synonyms: &self.synonyms,
            found: Vec::new(),
            scopes: Vec::new(),
            trigger: None,
            rowcount_used: false,
            record_vars: Vec::new(),
            where_: what,
            routine_name: None,
            collections: HashMap::new(),
            new_types: Vec::new(),
            subtransaction: 0,
        }
    }

    /// Lowers a routine; `diag`: its handlers read the error variables `SCHEMAC_SQLERRM` /
    /// `SCHEMAC_ERRNO` (declared and filled here).
    pub(super) fn routine(&self, syms: &Symbols, r: &mut Routine, diag: bool) -> Vec<Finding> {
        let mut c = self.conv(syms, r.name.display(), diag);
        my::lower_routine(&mut c, r);
        c.found
    }

    /// Lowers the body of a (row) trigger.
    pub(super) fn trigger_body(
        &self,
        syms: &Symbols,
        name: String,
        b: &mut Block,
        diag: bool,
    ) -> Vec<Finding> {
        let mut c = self.conv(syms, format!("trigger {name}"), diag);
        my::lower_trigger_body(&mut c, b);
        c.found
    }
}

/// `ALTER TRIGGER t DISABLE` statements (`Stmt::Ignored` with the trigger's name) set the
/// trigger's state.
fn fold_alter_trigger(module: &mut Module) {
    let mut states: Vec<(usize, String, bool)> = Vec::new();
    for (i, o) in module.objects.iter().enumerate() {
        if let Stmt::Ignored { what } = &o.stmt
            && what.starts_with("ALTER TRIGGER ")
            && let Some(n) = &o.name
        {
            states.push((i, n.name().value.clone(), what.ends_with("ENABLE")));
        }
    }
    for (i, name, enabled) in states {
        let span = module.objects[i].span;
        let target = module.objects[..i]
            .iter_mut()
            .rev()
            .find_map(|o| match &mut o.stmt {
                Stmt::CreateTrigger(t) if t.name.name().value == name => Some((t, &mut o.findings)),
                _ => None,
            });
        match target {
            Some((t, fs)) => {
                t.enabled = enabled;
                if !enabled {
                    fs.push(Finding::new(&codes::TRIGGER_DISABLED, span, &[&name]));
                }
            }
            None => {
                let what = match &module.objects[i].stmt {
                    Stmt::Ignored { what } => what.clone(),
                    _ => String::new(),
                };
                module.objects[i].findings.push(Finding::new(
                    &codes::STATEMENT_SKIPPED,
                    span,
                    &[&what],
                ));
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Entry {
    Var,
    /// A package-level variable (kept in a session setting) or cursor (`None`: not converted).
    PackageVar(Option<Box<PkgVar>>),
    Cursor,
    Exception(String),
    Label,
    /// A declared type (record, collection, subtype) converted for the target.
    Type(Box<coll::PlType>),
}

/// A package variable: its setting key, type and initial value.
#[derive(Clone, Debug)]
struct PkgVar {
    key: String,
    ty: TypeRef,
    default: Option<Expr>,
}

/// The read of a package variable from its setting.
fn read_state(v: &PkgVar, span: Span) -> Expr {
    let cur = raw(
        &format!(
            "NULLIF(current_setting('{}', true), '')",
            v.key.replace('\'', "''")
        ),
        span,
    );
    let inner = match &v.default {
        Some(d) => {
            let mut text = TypeRef::new(SourceType {
                name: "VARCHAR2".into(),
                args: Vec::new(),
                modifier: None,
                span,
            });
            text.target = Some("text".into());
            Expr::Call(Box::new(Call {
                name: QName::single(Ident::new("COALESCE", span)),
                args: vec![
                    Arg {
                        name: None,
                        value: cur,
                    },
                    Arg {
                        name: None,
                        value: Expr::Cast {
                            expr: Box::new(d.clone()),
                            ty: Box::new(text),
                            span,
                        },
                    },
                ],
                distinct: false,
                over: None,
                within_group: Vec::new(),
                span,
            }))
        }
        None => cur,
    };
    Expr::Cast {
        expr: Box::new(inner),
        ty: Box::new(v.ty.clone()),
        span,
    }
}

struct TriggerCtx {
    /// Correlation names: `NEW`, `OLD` and REFERENCING aliases -> `NEW` / `OLD`.
    correlation: HashMap<String, String>,
}

struct Conv<'a> {
    target: crate::Target,
    /// Parameters of the input's routines by name (`NAME`, `PKG.NAME`; MySQL only).
    sigs: &'a HashMap<String, Vec<Param>>,
    /// MySQL-only state (see `plsql_mysql.rs`).
    my: my::State,
    /// Package-level names by package.
    packages: &'a HashMap<String, Vec<(String, Entry)>>,
    /// The package being converted.
    package: Option<String>,
    /// Synonym names of the input (`NAME` and `SCHEMA.NAME`).
    synonyms: &'a HashSet<String>,
    syms: &'a Symbols,
    routines: &'a HashMap<String, RoutineInfo>,
    found: Vec<Finding>,
    scopes: Vec<HashMap<String, Entry>>,
    trigger: Option<TriggerCtx>,
    rowcount_used: bool,
    /// Loop variables of query FOR loops (declared `record` in the outer block).
    record_vars: Vec<Ident>,
    /// `procedure X` / `trigger X`, for messages.
    where_: String,
    /// The routine being converted (catalog name; without its package).
    routine_name: Option<String>,
    /// Variables of the routine: for a collection, the spelling of its element when known.
    collections: HashMap<String, Option<Option<String>>>,
    /// Composite types made for record types, created before the object.
    new_types: Vec<CompositeType>,
    /// Depth of blocks with exception handlers around the statement (PostgreSQL runs their
    /// bodies as subtransactions).
    subtransaction: usize,
}

/// Names the PL/SQL engine or SQL knows without a declaration.
const BUILTIN_NAMES: &[&str] = &[
    "COLUMN_VALUE",
    "CURRENT_DATE",
    "CURRENT_TIMESTAMP",
    "DBTIMEZONE",
    "DELETING",
    "FALSE",
    "INSERTING",
    "LEVEL",
    "LOCALTIMESTAMP",
    "NULL",
    "OBJECT_VALUE",
    "ROWID",
    "ROWNUM",
    "SESSIONTIMEZONE",
    "SQLCODE",
    "SQLERRM",
    "SYSDATE",
    "SYSTIMESTAMP",
    "TRUE",
    "UID",
    "UPDATING",
    "USER",
];

/// Oracle predefined exception -> PostgreSQL condition, and whether the match is exact.
fn predefined(name: &str) -> Option<(&'static str, bool)> {
    Some(match name {
        "NO_DATA_FOUND" => ("no_data_found", true),
        "TOO_MANY_ROWS" => ("too_many_rows", true),
        "DUP_VAL_ON_INDEX" => ("unique_violation", true),
        "ZERO_DIVIDE" => ("division_by_zero", true),
        "CASE_NOT_FOUND" => ("case_not_found", true),
        "OTHERS" => ("OTHERS", true),
        "VALUE_ERROR" => ("data_exception", false),
        "INVALID_NUMBER" => ("invalid_text_representation", false),
        "INVALID_CURSOR" => ("invalid_cursor_state", false),
        "CURSOR_ALREADY_OPEN" => ("duplicate_cursor", false),
        "TIMEOUT_ON_RESOURCE" => ("lock_not_available", false),
        "STORAGE_ERROR" => ("out_of_memory", false),
        "PROGRAM_ERROR" => ("internal_error", false),
        _ => return None,
    })
}

/// SQLSTATE of an Oracle error number (`PRAGMA EXCEPTION_INIT`, `RAISE_APPLICATION_ERROR`):
/// `-20nnn` is `P2nnn`; common ORA errors map to their PostgreSQL counterparts.
fn sqlstate_of(code: i64) -> Option<String> {
    let n = -code;
    if (20000..=20999).contains(&n) {
        return Some(format!("P2{:03}", n - 20000));
    }
    Some(
        match n {
            1 => "23505",
            1400 | 1407 => "23502",
            2290 => "23514",
            2291 | 2292 => "23503",
            1403 | -100 => "P0002",
            1422 => "P0003",
            1476 => "22012",
            54 => "55P03",
            60 => "40P01",
            1722 => "22P02",
            _ => return None,
        }
        .to_string(),
    )
}

/// A stable SQLSTATE for a user exception without `EXCEPTION_INIT`: `P1` and three digits
/// from a hash of its name.
fn user_sqlstate(name: &str) -> String {
    let mut h: u32 = 2_166_136_261;
    for b in name.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    format!("P1{:03}", h % 1000)
}

fn number_value(e: &Expr) -> Option<i64> {
    match e {
        Expr::Number(n, _) => n.parse().ok(),
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
            ..
        } => number_value(expr).map(|v| -v),
        _ => None,
    }
}

fn raw(s: &str, span: Span) -> Expr {
    Expr::Raw(s.to_string(), span)
}

fn tg_op(op: &str, span: Span) -> Expr {
    Expr::Binary {
        op: BinOp::Eq,
        left: Box::new(raw("TG_OP", span)),
        right: Box::new(Expr::String(op.to_string(), span)),
        span,
    }
}

/// PL/SQL-only scalar types as the SQL types they stand for.
fn normalize_plsql_type(t: &mut TypeRef) {
    let s = &mut t.source;
    match s.name.as_str() {
        "PLS_INTEGER" | "BINARY_INTEGER" | "SIMPLE_INTEGER" | "NATURAL" | "NATURALN"
        | "POSITIVE" | "POSITIVEN" | "SIGNTYPE" => {
            s.name = "NUMBER".into();
            s.args = vec![Some(9), Some(0)];
        }
        "STRING" => s.name = "VARCHAR2".into(),
        _ => {}
    }
}

impl Conv<'_> {
    fn flag(&mut self, code: &'static Code, span: Span, args: &[&str]) {
        if self.target == crate::Target::Mysql {
            let (code, args) = my::remap(code, args);
            let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
            self.found.push(Finding::new(code, span, &args));
            return;
        }
        self.found.push(Finding::new(code, span, args));
    }

    fn mysql(&self) -> bool {
        self.target == crate::Target::Mysql
    }

    fn lookup(&self, name: &str) -> Option<&Entry> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn declare(&mut self, name: &Ident, e: Entry) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.value.clone(), e);
        }
    }

    fn routine_kind(&self, q: &QName) -> Option<Option<RoutineKind>> {
        let key = q.display();
        self.routines
            .get(&key)
            .or_else(|| self.routines.get(&q.name().value))
            .map(|r| r.kind)
            .or_else(|| {
                // `pkg.proc`: a member of a package of the input.
                (q.parts.len() >= 2)
                    .then(|| {
                        self.routines
                            .get(&q.parts[q.parts.len() - 2].value)
                            .map(|_| None)
                    })
                    .flatten()
            })
    }

    fn package(&mut self, pk: &mut Package) {
        let pkg = pk.name.name().value.clone();
        self.package = Some(pkg.clone());
        let mut scope: HashMap<String, Entry> = HashMap::new();
        if let Some(names) = self.packages.get(&pkg) {
            for (n, e) in names {
                scope.insert(n.clone(), e.clone());
            }
        }
        self.scopes.push(scope);
        for d in &mut pk.decls {
            match d {
                Decl::Var {
                    name, ty, default, ..
                } => {
                    normalize_plsql_type(ty);
                    if let Some(e) = default {
                        self.expr(e);
                    }
                    let n = name.value.clone();
                    let key = if self.mysql() {
                        my::state_key(&pkg, &n)
                    } else {
                        format!("{pkg}.{n}").to_lowercase()
                    };
                    self.flag(
                        &codes::PACKAGE_VARIABLE_SETTING,
                        name.span,
                        &[&pkg, &n, &key],
                    );
                }
                Decl::Cursor { name, .. } => {
                    let n = format!("cursor {}", name.value);
                    self.flag(&codes::PACKAGE_STATE, name.span, &[&pkg, &n]);
                }
                Decl::TypeDecl {
                    name, def, span, ..
                } if !self.mysql() => {
                    let (name, span) = (name.clone(), *span);
                    self.type_decl(&name, def, span);
                    // Printed as a comment: its types are not mapped (no findings on them).
                    *def = None;
                }
                Decl::TypeDecl { name, span, .. } => {
                    // Its uses are flagged where they are (TYP014, PLS020).
                    let (n, span) = (name.value.clone(), *span);
                    self.flag(&codes::MYSQL_PACKAGE_TYPE_DROPPED, span, &[&n, &pkg]);
                }
                Decl::Exception {
                    name,
                    sqlstate,
                    span,
                } => {
                    let s = user_sqlstate(&name.value);
                    *sqlstate = Some(s.clone());
                    let (n, span) = (name.value.clone(), *span);
                    self.flag(&codes::USER_EXCEPTION, span, &[&n, &s]);
                }
                Decl::Pragma { .. } => {}
            }
        }
        let schema = Ident::new(pkg.clone(), pk.name.name().span);
        if !self.mysql() {
            // Forward declarations are not printed; their types must not be mapped as columns.
            for r in &mut pk.declared {
                for p in &mut r.params {
                    self.apply_pl_type(&mut p.ty);
                }
                if let Some(t) = &mut r.returns {
                    self.apply_pl_type(t);
                }
            }
        }
        // PostgreSQL: the initialization section runs once per session, before the first
        // routine of the package does (as Oracle runs it on the first use of the package).
        let init = match pk.init.take() {
            Some(b) if !self.mysql() && !pk.routines.is_empty() => {
                let span = b.span;
                let key = format!("{}.schemac_initialized", pkg.to_lowercase());
                let name = Ident::new("SCHEMAC_INIT", span);
                let current = raw(&format!("current_setting('{key}', true)"), span);
                let body = Block {
                    label: None,
                    decls: Vec::new(),
                    body: vec![PlStmt::If {
                        branches: vec![(
                            Expr::IsDistinct {
                                left: Box::new(current),
                                right: Box::new(Expr::String("y".into(), span)),
                                not: false,
                                span,
                            },
                            vec![
                                PlStmt::SetState {
                                    key: key.clone(),
                                    value: Expr::String("y".into(), span),
                                    span,
                                },
                                PlStmt::Block(Box::new(b)),
                            ],
                        )],
                        else_: None,
                        span,
                    }],
                    handlers: Vec::new(),
                    span,
                };
                pk.routines.insert(
                    0,
                    Routine {
                        kind: RoutineKind::Procedure,
                        name: QName::single(name.clone()),
                        params: Vec::new(),
                        returns: None,
                        body,
                        options: Vec::new(),
                    },
                );
                let proc = format!("{}.schemac_init", pkg.to_lowercase());
                self.flag(&codes::PACKAGE_INIT, span, &[&pkg, &proc]);
                Some(QName {
                    parts: vec![schema.clone(), name],
                    dblink: None,
                })
            }
            other => {
                pk.init = other;
                None
            }
        };
        for r in &mut pk.routines {
            r.name = QName {
                parts: vec![schema.clone(), r.name.name().clone()],
                dblink: None,
            };
            self.routine(r);
            if let Some(init) = &init
                && r.name.name().value != init.name().value
            {
                let span = r.body.span;
                r.body.body.insert(
                    0,
                    PlStmt::Call {
                        call: Expr::Call(Box::new(Call {
                            name: init.clone(),
                            args: Vec::new(),
                            distinct: false,
                            over: None,
                            within_group: Vec::new(),
                            span,
                        })),
                        form: CallForm::Call,
                        span,
                    },
                );
            }
        }
        if let Some(b) = &pk.init {
            let span = b.span;
            self.flag(
                &codes::UNSUPPORTED_PLSQL,
                span,
                &[
                    "the package initialization section",
                    "nothing runs it on the target",
                ],
            );
        }
        self.scopes.pop();
        self.package = None;
    }

    /// A package variable named by `q` (`var` inside its package, `pkg.var` anywhere):
    /// (package, variable, its setting; `None` for what cannot be kept in a setting).
    fn package_var(&self, q: &QName) -> Option<(String, String, Option<PkgVar>)> {
        let first = &q.parts[0].value;
        if let Some(Entry::PackageVar(v)) = self.lookup(first) {
            let pkg = self.package.clone().unwrap_or_default();
            // `rec.field` of a package record: not convertible.
            let v = if q.parts.len() == 1 {
                v.as_deref().cloned()
            } else {
                None
            };
            return Some((pkg, first.clone(), v));
        }
        if q.parts.len() >= 2 && self.lookup(first).is_none() {
            let var = &q.parts[1].value;
            let names = self.packages.get(first)?;
            let (_, e) = names.iter().find(|(n, _)| n == var)?;
            if let Entry::PackageVar(v) = e {
                let v = if q.parts.len() == 2 {
                    v.as_deref().cloned()
                } else {
                    None
                };
                return Some((first.clone(), var.clone(), v));
            }
        }
        None
    }

    /// A subprogram of the current package called without its package name: qualified.
    fn qualify_member(&self, q: &mut QName) {
        if q.parts.len() == 1
            && let Some(pkg) = &self.package
            && self
                .routines
                .contains_key(&format!("{pkg}.{}", q.parts[0].value))
        {
            let span = q.parts[0].span;
            q.parts.insert(0, Ident::new(pkg.clone(), span));
        }
    }

    fn routine(&mut self, r: &mut Routine) {
        self.where_ = format!(
            "{} {}",
            match r.kind {
                RoutineKind::Procedure => "procedure",
                RoutineKind::Function => "function",
            },
            r.name.display()
        );
        self.scopes.push(HashMap::new());
        self.collections.clear();
        self.routine_name = Some(if self.package.is_some() {
            r.name.name().value.clone()
        } else {
            r.name.display()
        });
        if self.mysql() {
            my::collect_renames(self, &r.params, &mut r.body);
        }
        // Defaults are evaluated where the routine is called: package variables and
        // functions they name resolve before the parameters are in scope.
        for p in &mut r.params {
            if let Some(d) = &mut p.default {
                self.expr(d);
            }
        }
        for p in &mut r.params {
            if !self.mysql()
                && let Some(t) = self.pl_type(&p.ty)
            {
                self.apply_pl_type(&mut p.ty);
                let n = p.name.clone();
                self.note_var(&n, Some(&t));
                self.declare(&n, Entry::Var);
                continue;
            }
            normalize_plsql_type(&mut p.ty);
            self.widen_numeric_param(&mut p.ty);
            self.anchor_type(&mut p.ty);
            if self.mysql() {
                self.my.var_types.insert(p.name.value.clone(), p.ty.clone());
            }
            self.declare(&p.name.clone(), Entry::Var);
        }
        if r.kind == RoutineKind::Function
            && !self.mysql()
            && let Some(p) = r.params.iter().find(|p| p.mode != ParamMode::In)
        {
            let span = p.span;
            self.flag(
                &codes::UNSUPPORTED_PLSQL,
                span,
                &[
                    "a function with OUT parameters",
                    "PostgreSQL functions return OUT parameters as their result",
                ],
            );
        }
        if let Some(t) = &mut r.returns
            && (self.mysql() || !self.apply_pl_type(t))
        {
            normalize_plsql_type(t);
        }
        for o in &r.options {
            if o == "PIPELINED" && !self.mysql() {
                let span = r.name.span();
                self.flag(
                    &codes::UNSUPPORTED_PLSQL,
                    span,
                    &["PIPELINED", "a set-returning function (RETURNS SETOF)"],
                );
            }
        }
        self.block(&mut r.body, true);
        self.finish_top(&mut r.body);
        self.scopes.pop();
        self.routine_name = None;
        if self.mysql() {
            my::lower_routine(self, r);
        }
    }

    /// Declarations the pass adds to the outer block.
    fn finish_top(&mut self, b: &mut Block) {
        let span = b.span;
        let mut extra = Vec::new();
        // MySQL: loop records become variables per field (plsql_mysql).
        let records = std::mem::take(&mut self.record_vars);
        let records = if self.mysql() { Vec::new() } else { records };
        for v in records {
            if !b
                .decls
                .iter()
                .any(|d| matches!(d, Decl::Var { name, .. } if name.value == v.value))
            {
                let mut ty = TypeRef::new(SourceType {
                    name: "RECORD".into(),
                    args: Vec::new(),
                    modifier: None,
                    span,
                });
                ty.target = Some("record".into());
                extra.push(Decl::Var {
                    name: v,
                    ty,
                    constant: false,
                    not_null: false,
                    default: None,
                    span,
                });
            }
        }
        if self.rowcount_used {
            extra.push(Decl::Var {
                name: Ident::new("SCHEMAC_ROWCOUNT", span),
                ty: TypeRef::new(SourceType {
                    name: "NUMBER".into(),
                    args: vec![Some(18), Some(0)],
                    modifier: None,
                    span,
                }),
                constant: false,
                not_null: false,
                default: None,
                span,
            });
        }
        // Dedup record variables declared twice by two loops.
        let mut seen = HashSet::new();
        extra.retain(|d| match d {
            Decl::Var { name, .. } => seen.insert(name.value.clone()),
            _ => true,
        });
        b.decls.extend(extra);
    }

    fn trigger(&mut self, t: &mut Trigger) {
        self.where_ = format!("trigger {}", t.name.display());
        if let Some((col, seq)) = key_fill(t) {
            let (name, table, span) = (t.name.display(), t.table.display(), t.name.span());
            self.flag(&codes::SEQUENCE_TRIGGER, span, &[&name, &table, &col, &seq]);
        }
        let mut correlation = HashMap::new();
        correlation.insert("NEW".to_string(), "NEW".to_string());
        correlation.insert("OLD".to_string(), "OLD".to_string());
        for (which, alias) in &t.referencing {
            correlation.insert(alias.value.clone(), which.clone());
        }
        if t.timing == TriggerTiming::InsteadOf {
            t.for_each_row = true;
        }
        self.trigger = Some(TriggerCtx { correlation });
        // The trigger function: `<trigger>_fn` in the trigger's schema.
        let mut f = t.name.clone();
        if let Some(last) = f.parts.last_mut() {
            last.value = format!("{}_FN", last.value);
        }
        t.function = Some(f);
        if let Some(w) = &mut t.when {
            let mut rw = Rewriter { c: self, sql: None };
            walk_expr(&mut rw, w);
        }
        self.scopes.push(HashMap::new());
        self.block(&mut t.body, true);
        self.finish_top(&mut t.body);
        self.scopes.pop();
        // Trigger functions return the row (BEFORE / INSTEAD OF row triggers) or NULL.
        let span = t.body.span;
        let returns_row =
            t.for_each_row && matches!(t.timing, TriggerTiming::Before | TriggerTiming::InsteadOf);
        let has = |k: TriggerEventKind| t.events.iter().any(|e| e.kind == k);
        let deletes = has(TriggerEventKind::Delete);
        let only_deletes =
            deletes && !has(TriggerEventKind::Insert) && !has(TriggerEventKind::Update);
        let ret = |span: Span| -> Vec<PlStmt> {
            let ret_row = |row: &str| PlStmt::Return {
                value: Some(raw(row, span)),
                span,
            };
            if !returns_row {
                vec![PlStmt::Return {
                    value: Some(Expr::Null(span)),
                    span,
                }]
            } else if only_deletes {
                vec![ret_row("OLD")]
            } else if deletes {
                vec![
                    PlStmt::If {
                        branches: vec![(tg_op("DELETE", span), vec![ret_row("OLD")])],
                        else_: None,
                        span,
                    },
                    ret_row("NEW"),
                ]
            } else {
                vec![ret_row("NEW")]
            }
        };
        replace_returns(&mut t.body.body, &ret);
        for h in &mut t.body.handlers {
            replace_returns(&mut h.body, &ret);
        }
        if !t.body.handlers.is_empty() {
            // The handlers fall through to the RETURN: wrap body and handlers in a block.
            let inner = Block {
                label: None,
                decls: Vec::new(),
                body: std::mem::take(&mut t.body.body),
                handlers: std::mem::take(&mut t.body.handlers),
                span,
            };
            t.body.body.push(PlStmt::Block(Box::new(inner)));
        }
        t.body.body.extend(ret(span));
        self.trigger = None;
    }

    /// Oracle parameters are unconstrained and Oracle converts numbers implicitly; PostgreSQL
    /// has no implicit cast from numeric to integer types, so numeric parameters are
    /// `numeric` (callers may pass any number).
    fn widen_numeric_param(&mut self, t: &mut TypeRef) {
        if self.target != crate::Target::Postgres {
            return;
        }
        let name = match t.source.name.strip_suffix("%TYPE") {
            Some(base) => {
                let parts: Vec<&str> = base.split('.').collect();
                if parts.len() < 2 {
                    return;
                }
                let q = QName {
                    parts: parts[..parts.len() - 1]
                        .iter()
                        .map(|p| Ident::new(*p, t.source.span))
                        .collect(),
                    dblink: None,
                };
                let col = parts[parts.len() - 1];
                match self
                    .syms
                    .table(&q)
                    .and_then(|i| i.columns.iter().find(|(c, _)| c == col))
                {
                    Some((_, ty)) => ty.name.clone(),
                    None => return,
                }
            }
            None => t.source.name.clone(),
        };
        if matches!(
            name.as_str(),
            "NUMBER" | "INTEGER" | "INT" | "SMALLINT" | "DECIMAL" | "NUMERIC" | "DEC"
        ) {
            t.ir = Some(Type::Decimal {
                precision: None,
                scale: None,
            });
            t.target = Some("numeric".into());
        }
    }

    /// `%ROWTYPE` of a table or cursor, `%TYPE` of a variable: PL/pgSQL has both.
    fn anchor_type(&mut self, t: &mut TypeRef) {
        if self.mysql() {
            return my::anchor_type(self, t);
        }
        let name = t.source.name.clone();
        if let Some(base) = name.strip_suffix("%ROWTYPE") {
            let q = QName {
                parts: base
                    .split('.')
                    .map(|p| Ident::new(p, t.source.span))
                    .collect(),
                dblink: None,
            };
            if self.syms.table(&q).is_some() {
                t.target = Some(format!("{}%ROWTYPE", base.to_lowercase()));
            } else if matches!(self.lookup(base), Some(Entry::Cursor)) {
                t.target = Some("record".into());
            }
        } else if let Some(base) = name.strip_suffix("%TYPE") {
            let first = base.split('.').next().unwrap_or_default();
            if matches!(self.lookup(first), Some(Entry::Var)) {
                t.target = Some(format!("{}%TYPE", base.to_lowercase()));
            }
        }
    }

    fn block(&mut self, b: &mut Block, top: bool) {
        if !top {
            self.scopes.push(HashMap::new());
        }
        if let Some(l) = &b.label {
            self.declare(&l.clone(), Entry::Label);
        }
        // Exceptions first, then EXCEPTION_INIT pragmas give them their SQLSTATE.
        let mut inits: HashMap<String, String> = HashMap::new();
        for d in &b.decls {
            if let Decl::Pragma { name, args, span } = d {
                if name.is("EXCEPTION_INIT") {
                    if let (Some(Expr::Column(e)), Some(code)) =
                        (args.first(), args.get(1).and_then(number_value))
                    {
                        let mapped = if self.mysql() {
                            my::exception_init(code)
                        } else {
                            sqlstate_of(code)
                        };
                        match mapped {
                            Some(s) => {
                                inits.insert(e.name().value.clone(), s);
                            }
                            None => {
                                let span = *span;
                                self.flag(
                                    &codes::UNSUPPORTED_PLSQL,
                                    span,
                                    &[
                                        &format!("PRAGMA EXCEPTION_INIT with ORA{code}"),
                                        "no known PostgreSQL SQLSTATE; the exception gets its own",
                                    ],
                                );
                            }
                        }
                    }
                } else if name.is("AUTONOMOUS_TRANSACTION") {
                    let span = *span;
                    self.flag(&codes::AUTONOMOUS_TRANSACTION, span, &[]);
                }
            }
        }
        for d in &mut b.decls {
            match d {
                Decl::Var {
                    name, ty, default, ..
                } => {
                    let declared = if self.mysql() { None } else { self.pl_type(ty) };
                    if declared.is_some() {
                        self.apply_pl_type(ty);
                    } else {
                        normalize_plsql_type(ty);
                        self.anchor_type(ty);
                    }
                    if let Some(e) = default {
                        self.expr(e);
                    }
                    let n = name.clone();
                    self.note_var(&n, declared.as_ref());
                    if self.mysql() {
                        self.my.var_types.insert(n.value.clone(), ty.clone());
                    }
                    self.declare(&n, Entry::Var);
                }
                Decl::Exception {
                    name,
                    sqlstate,
                    span,
                } => {
                    let s = inits
                        .get(&name.value)
                        .cloned()
                        .unwrap_or_else(|| user_sqlstate(&name.value));
                    *sqlstate = Some(s.clone());
                    let (n, span) = (name.clone(), *span);
                    self.flag(&codes::USER_EXCEPTION, span, &[&n.value, &s]);
                    self.declare(&n, Entry::Exception(s));
                }
                Decl::Cursor {
                    name,
                    params,
                    query,
                    ..
                } => {
                    self.scopes.push(HashMap::new());
                    for p in params.iter_mut() {
                        normalize_plsql_type(&mut p.ty);
                        let n = p.name.clone();
                        self.declare(&n, Entry::Var);
                    }
                    self.query(query);
                    self.scopes.pop();
                    let n = name.clone();
                    self.declare(&n, Entry::Cursor);
                }
                Decl::TypeDecl {
                    name, def, span, ..
                } if !self.mysql() => {
                    let (name, span) = (name.clone(), *span);
                    self.type_decl(&name, def, span);
                    // Printed as a comment: its types are not mapped (no findings on them).
                    *def = None;
                }
                Decl::TypeDecl { name, span, .. } => {
                    let (n, span) = (name.value.clone(), *span);
                    self.flag(
                        &codes::UNSUPPORTED_PLSQL,
                        span,
                        &[
                            &format!("type {n}"),
                            "records, collections and subtypes are not converted yet",
                        ],
                    );
                    let n = name.clone();
                    self.declare(&n, Entry::Var);
                }
                Decl::Pragma { .. } => {}
            }
        }
        // The body of a block with handlers is a subtransaction on PostgreSQL.
        let guarded = !b.handlers.is_empty();
        self.subtransaction += usize::from(guarded);
        self.stmts(&mut b.body);
        self.subtransaction -= usize::from(guarded);
        for h in &mut b.handlers {
            h.conditions.clear();
            for e in &h.exceptions {
                let n = e.name().value.clone();
                if self.mysql() {
                    let cond = self.mysql_condition(e);
                    h.conditions.push(cond);
                    continue;
                }
                let cond = if let Some((c, exact)) = predefined(&n) {
                    if !exact {
                        self.flag(&codes::PREDEFINED_EXCEPTION, e.span(), &[&n, c]);
                    }
                    c.to_string()
                } else if let Some(Entry::Exception(s)) = self.lookup(&n) {
                    format!("SQLSTATE '{s}'")
                } else {
                    self.flag(&codes::UNRESOLVED_NAME, e.span(), &[&e.display()]);
                    e.display().to_lowercase()
                };
                h.conditions.push(cond);
            }
            if h.exceptions.iter().any(|e| e.name().is("OTHERS"))
                && h.body.iter().all(|s| matches!(s, PlStmt::Null(_)))
            {
                let span = h.span;
                self.flag(&codes::WHEN_OTHERS_NULL, span, &[]);
            }
            self.stmts(&mut h.body);
        }
        if !top {
            self.scopes.pop();
        }
    }

    fn stmts(&mut self, v: &mut Vec<PlStmt>) {
        let old = std::mem::take(v);
        for mut s in old {
            let after_sql = matches!(
                s,
                PlStmt::Dml { .. } | PlStmt::SelectInto { .. } | PlStmt::Execute { .. }
            );
            let span = stmt_span(&s);
            if let Some(rep) = self.stmt(&mut s) {
                v.push(rep);
            } else {
                v.push(s);
            }
            if after_sql && self.rowcount_used {
                v.push(PlStmt::RowCount {
                    target: Ident::new("SCHEMAC_ROWCOUNT", span),
                    span,
                });
            }
        }
        // A later SQL%ROWCOUNT may have turned the flag on: add the missing GET DIAGNOSTICS.
        if self.rowcount_used {
            let mut out = Vec::with_capacity(v.len());
            let mut it = std::mem::take(v).into_iter().peekable();
            while let Some(s) = it.next() {
                let needs = matches!(
                    s,
                    PlStmt::Dml { .. } | PlStmt::SelectInto { .. } | PlStmt::Execute { .. }
                ) && !matches!(it.peek(), Some(PlStmt::RowCount { .. }));
                let span = stmt_span(&s);
                out.push(s);
                if needs {
                    out.push(PlStmt::RowCount {
                        target: Ident::new("SCHEMAC_ROWCOUNT", span),
                        span,
                    });
                }
            }
            *v = out;
        }
    }

    /// Converts one statement in place; returns a replacement when its form changes.
    fn stmt(&mut self, s: &mut PlStmt) -> Option<PlStmt> {
        match s {
            PlStmt::Assign {
                target,
                value,
                span,
            } => {
                if let Expr::Column(q) = target
                    && let Some((pkg, var, v)) = self.package_var(q)
                {
                    self.expr(value);
                    match v {
                        Some(v) => {
                            return Some(PlStmt::SetState {
                                key: v.key,
                                value: value.clone(),
                                span: *span,
                            });
                        }
                        None => {
                            let span = *span;
                            self.flag(&codes::PACKAGE_STATE, span, &[&pkg, &var]);
                            return None;
                        }
                    }
                }
                self.expr(target);
                self.expr(value);
            }
            PlStmt::If {
                branches, else_, ..
            } => {
                for (c, b) in branches {
                    self.expr(c);
                    self.stmts(b);
                }
                if let Some(b) = else_ {
                    self.stmts(b);
                }
            }
            PlStmt::Case {
                operand,
                whens,
                else_,
                ..
            } => {
                if let Some(o) = operand {
                    self.expr(o);
                }
                for (c, b) in whens {
                    self.expr(c);
                    self.stmts(b);
                }
                if let Some(b) = else_ {
                    self.stmts(b);
                }
            }
            PlStmt::Loop {
                label, kind, body, ..
            } => {
                self.scopes.push(HashMap::new());
                if let Some(l) = label {
                    let l = l.clone();
                    self.declare(&l, Entry::Label);
                }
                match kind {
                    LoopKind::Plain => {}
                    LoopKind::While(c) => self.expr(c),
                    LoopKind::Range { var, low, high, .. } => {
                        self.expr(low);
                        self.expr(high);
                        let v = var.clone();
                        self.declare(&v, Entry::Var);
                    }
                    LoopKind::Cursor { var, source } => {
                        match source {
                            CursorSource::Query(q) => {
                                self.query(q);
                                self.record_vars.push(var.clone());
                            }
                            CursorSource::Named { name, args } => {
                                for a in args.iter_mut() {
                                    self.expr(&mut a.value);
                                }
                                if !matches!(self.lookup(&name.name().value), Some(Entry::Cursor)) {
                                    let n = name.display();
                                    self.flag(&codes::UNRESOLVED_NAME, name.span(), &[&n]);
                                }
                            }
                        }
                        let v = var.clone();
                        self.declare(&v, Entry::Var);
                    }
                }
                self.stmts(body);
                self.scopes.pop();
            }
            PlStmt::Exit { when, .. } => {
                if let Some(w) = when {
                    self.expr(w);
                }
            }
            PlStmt::Goto { label, span } => {
                let (l, span) = (label.value.clone(), *span);
                let why = if self.mysql() {
                    "MySQL has no GOTO; use LEAVE / ITERATE with labels"
                } else {
                    "PL/pgSQL has no GOTO"
                };
                self.flag(
                    &codes::UNSUPPORTED_PLSQL,
                    span,
                    &[&format!("GOTO {l}"), why],
                );
            }
            PlStmt::Label { .. } | PlStmt::Null(_) => {}
            PlStmt::Return { value, .. } => {
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            PlStmt::Raise { name, span, .. } if self.mysql() => {
                if let Some(n) = name {
                    let key = n.name().value.clone();
                    if let Some(r) = my::raise_predefined(&key, *span) {
                        return Some(r);
                    } else if let Some(Entry::Exception(s)) = self.lookup(&key) {
                        return Some(my::raise_user(&s.clone(), *span));
                    } else {
                        let (d, span) = (n.display(), *span);
                        self.flag(&codes::UNRESOLVED_NAME, span, &[&d]);
                    }
                }
            }
            PlStmt::Raise {
                name,
                sqlstate,
                condition,
                span,
            } => {
                if let Some(n) = name {
                    let key = n.name().value.clone();
                    if let Some((c, _)) = predefined(&key) {
                        *condition = Some(c.to_string());
                    } else if let Some(Entry::Exception(s)) = self.lookup(&key) {
                        *sqlstate = Some(s.clone());
                    } else {
                        let (d, span) = (n.display(), *span);
                        self.flag(&codes::UNRESOLVED_NAME, span, &[&d]);
                    }
                }
            }
            PlStmt::RaiseError { message, .. } | PlStmt::Notice { value: message, .. } => {
                self.expr(message);
            }
            PlStmt::ForAll {
                var,
                bounds,
                save_exceptions,
                body,
                span,
            } => {
                let span = *span;
                if *save_exceptions {
                    self.flag(
                        &codes::FORALL_SAVE_EXCEPTIONS,
                        span,
                        &["the first failing row stops the loop and raises its error"],
                    );
                }
                let col = |q: &QName| Expr::Column(q.clone());
                let call = |name: &str, args: Vec<Expr>| Call::expr(name, args, span);
                let one = || Expr::Number("1".into(), span);
                let (low, high, guard) = match bounds {
                    ForAllBounds::Range(a, b) => (a.clone(), b.clone(), None),
                    ForAllBounds::Indices(q) => (
                        call("ARRAY_LOWER", vec![col(q), one()]),
                        call("ARRAY_UPPER", vec![col(q), one()]),
                        // Deleted elements are NULL elements on the target: skipped.
                        // (IS DISTINCT FROM: a row with NULL fields IS NOT NULL is false.)
                        Some(Expr::IsDistinct {
                            left: Box::new(Expr::Call(Box::new(Call {
                                name: q.clone(),
                                args: vec![Arg {
                                    name: None,
                                    value: Expr::Column(QName::single(var.clone())),
                                }],
                                distinct: false,
                                over: None,
                                within_group: Vec::new(),
                                span,
                            }))),
                            right: Box::new(Expr::Null(span)),
                            not: false,
                            span,
                        }),
                    ),
                    ForAllBounds::Values(q) => {
                        let what = format!("FORALL ... VALUES OF {}", q.display());
                        self.flag(
                            &codes::UNSUPPORTED_PLSQL,
                            span,
                            &[&what, "write a loop over the collection of indexes"],
                        );
                        return Some(PlStmt::Null(span));
                    }
                };
                let inner = std::mem::replace(body.as_mut(), PlStmt::Null(span));
                let body = match guard {
                    Some(g) => vec![PlStmt::If {
                        branches: vec![(g, vec![inner])],
                        else_: None,
                        span,
                    }],
                    None => vec![inner],
                };
                let mut lowered = PlStmt::Loop {
                    label: None,
                    kind: LoopKind::Range {
                        var: var.clone(),
                        reverse: false,
                        low,
                        high,
                    },
                    body,
                    span,
                };
                return Some(self.stmt(&mut lowered).unwrap_or(lowered));
            }
            PlStmt::PipeRow { value, span } => {
                let span = *span;
                let why = if self.mysql() {
                    "MySQL functions return one value"
                } else {
                    "printed as RETURN NEXT"
                };
                self.flag(&codes::UNSUPPORTED_PLSQL, span, &["PIPE ROW", why]);
                self.expr(value);
            }
            PlStmt::RowCount { .. }
            | PlStmt::Close { .. }
            | PlStmt::SetState { .. }
            | PlStmt::GetDiagnostics { .. } => {}
            PlStmt::Call { .. } => return self.call_stmt(s),
            PlStmt::SelectInto {
                query,
                into,
                bulk,
                strict,
                span,
            } => {
                self.query(query);
                if *bulk {
                    let span = *span;
                    if !self.mysql() && self.bulk_collect(query, into, span) {
                        // One row always (array_agg): no STRICT.
                        *bulk = false;
                    } else {
                        self.flag(
                            &codes::UNSUPPORTED_PLSQL,
                            span,
                            &[
                                "BULK COLLECT",
                                if self.mysql() {
                                    "collections are not converted"
                                } else {
                                    "only SELECT ... BULK COLLECT INTO one collection variable is converted"
                                },
                            ],
                        );
                    }
                } else {
                    *strict = true;
                }
                // PostgreSQL: package variables are settings; the row goes into locals that
                // are then stored (`SELECT .. INTO local; set_config(..)`).
                let mut locals = Vec::new();
                let mut sets = Vec::new();
                let span = *span;
                for e in into.iter_mut() {
                    if !self.mysql()
                        && let Expr::Column(q) = e
                        && let Some((pkg, var, v)) = self.package_var(q)
                    {
                        match v {
                            Some(v) => {
                                let local = Ident::new(format!("SCHEMAC_{var}"), span);
                                locals.push(Decl::Var {
                                    name: local.clone(),
                                    ty: v.ty.clone(),
                                    constant: false,
                                    not_null: false,
                                    default: None,
                                    span,
                                });
                                sets.push(PlStmt::SetState {
                                    key: v.key,
                                    value: Expr::Column(QName::single(local.clone())),
                                    span,
                                });
                                *e = Expr::Column(QName::single(local));
                            }
                            None => self.flag(&codes::PACKAGE_STATE, span, &[&pkg, &var]),
                        }
                        continue;
                    }
                    self.expr(e);
                }
                if !locals.is_empty() {
                    let mut body = vec![s.clone()];
                    body.extend(sets);
                    return Some(PlStmt::Block(Box::new(Block {
                        label: None,
                        decls: locals,
                        body,
                        handlers: Vec::new(),
                        span,
                    })));
                }
            }
            PlStmt::Dml {
                stmt,
                returning,
                into,
                ..
            } => {
                let cols = self.sql_columns_stmt(stmt);
                {
                    let mut rw = Rewriter {
                        c: self,
                        sql: cols.clone(),
                    };
                    walk_stmt(&mut rw, stmt);
                    for e in returning.iter_mut() {
                        walk_expr(&mut rw, e);
                    }
                }
                for e in into {
                    self.expr(e);
                }
            }
            PlStmt::Execute {
                sql,
                into,
                using,
                strict,
                span,
            } => {
                let span = *span;
                for e in into.iter_mut().chain(using.iter_mut()) {
                    self.expr(e);
                }
                let text = match dynamic::constant_text(sql) {
                    Some(t) => match self.constant_dynamic(&t, into, using, *strict, span) {
                        Ok(rep) => return Some(rep),
                        Err(why) => {
                            format!("{} ({why})", crate::frontend::parser::truncate(&t, 60))
                        }
                    },
                    None => "a string built at run time".to_string(),
                };
                self.flag(&codes::DYNAMIC_SQL, span, &[&text]);
                self.expr(sql);
            }
            PlStmt::Open {
                cursor,
                args,
                for_query,
                for_dynamic,
                using,
                span,
            } => {
                for a in args.iter_mut() {
                    self.expr(&mut a.value);
                }
                if let Some(q) = for_query {
                    self.query(q);
                }
                if let Some(d) = for_dynamic {
                    let span = *span;
                    self.flag(&codes::DYNAMIC_SQL, span, &["OPEN ... FOR a string"]);
                    self.expr(d);
                }
                for u in using.iter_mut() {
                    self.expr(u);
                }
                if self.lookup(&cursor.name().value).is_none() {
                    let n = cursor.display();
                    self.flag(&codes::UNRESOLVED_NAME, cursor.span(), &[&n]);
                }
            }
            PlStmt::Fetch {
                into, bulk, span, ..
            } => {
                if *bulk {
                    let span = *span;
                    self.flag(
                        &codes::UNSUPPORTED_PLSQL,
                        span,
                        &["FETCH BULK COLLECT", "collections are not converted yet"],
                    );
                }
                for e in into {
                    self.expr(e);
                }
            }
            PlStmt::Commit(span) if self.subtransaction > 0 && !self.mysql() => {
                // PostgreSQL refuses COMMIT inside a subtransaction (2D000); the work
                // commits when the outermost CALL ends.
                let span = *span;
                self.flag(
                    &codes::COMMIT_IN_SUBTRANSACTION,
                    span,
                    &[
                        "COMMIT",
                        "removed; the work commits when the outermost CALL ends",
                    ],
                );
                return Some(PlStmt::Null(span));
            }
            PlStmt::Commit(span) => {
                let span = *span;
                self.transaction("COMMIT", span);
            }
            PlStmt::Rollback { to: None, span } if self.subtransaction > 0 && !self.mysql() => {
                let span = *span;
                self.flag(
                    &codes::UNSUPPORTED_PLSQL,
                    span,
                    &[
                        "ROLLBACK inside a block with an exception handler",
                        "PostgreSQL refuses it there (the block is a subtransaction); raise an exception the handler rolls back instead",
                    ],
                );
            }
            PlStmt::Rollback { to, span } => {
                let span = *span;
                let what = if to.is_some() {
                    "ROLLBACK TO SAVEPOINT"
                } else {
                    "ROLLBACK"
                };
                self.transaction(what, span);
            }
            PlStmt::Savepoint { span, .. } => {
                let span = *span;
                self.transaction("SAVEPOINT", span);
            }
            PlStmt::Block(b) => self.block(b, false),
            // T-SQL only (passes::plsql_tsql).
            PlStmt::DropTable { .. }
            | PlStmt::Truncate { .. }
            | PlStmt::ReturnQuery { .. }
            | PlStmt::StartTransaction(_) => {}
        }
        None
    }

    /// `EXECUTE IMMEDIATE` of a constant statement: the statement converted for the target
    /// (PLS055), or why it is kept as it is.
    fn constant_dynamic(
        &mut self,
        text: &str,
        into: &[Expr],
        using: &[Expr],
        strict: bool,
        span: Span,
    ) -> Result<PlStmt, String> {
        if self.mysql()
            && !(self.where_.starts_with("procedure") || self.where_ == "anonymous block")
        {
            return Err(format!(
                "MySQL runs PREPARE in procedures only, not in a {}",
                self.where_.split(' ').next().unwrap_or("routine")
            ));
        }
        if self.mysql()
            && into
                .iter()
                .any(|e| !matches!(e, Expr::Column(q) if q.parts.len() == 1))
        {
            return Err("an INTO target that is not a local variable".into());
        }
        let conv = dynamic::convert(text, using.len(), into.len(), self.target, self.syms)?;
        let one_line = conv.stmts[0]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut first = crate::frontend::parser::truncate(&one_line, 80);
        if conv.stmts.len() > 1 {
            first.push_str(&format!(
                ", then {} more statement(s), executed one by one",
                conv.stmts.len() - 1
            ));
        }
        self.flag(&codes::CONSTANT_DYNAMIC_SQL, span, &[&first]);
        for (what, table) in &conv.unknown {
            self.flag(&codes::DYNAMIC_SQL_UNKNOWN_TABLE, span, &[what, table]);
        }
        for f in conv.found {
            self.found.push(Finding {
                code: f.code,
                severity: f.severity,
                message: format!("in the dynamic SQL string: {}", f.message),
                span,
            });
        }
        let exec = |sql: String, into: Vec<Expr>, using: Vec<Expr>| PlStmt::Execute {
            sql: Expr::String(sql, span),
            into,
            using,
            strict,
            span,
        };
        if conv.stmts.len() > 1 {
            // One statement at a time (PREPARE takes one; so does EXECUTE ... USING).
            let body = conv
                .stmts
                .into_iter()
                .map(|s| exec(s, Vec::new(), Vec::new()))
                .collect();
            return Ok(PlStmt::Block(Box::new(Block {
                label: None,
                decls: Vec::new(),
                body,
                handlers: Vec::new(),
                span,
            })));
        }
        let Some(sql) = conv.stmts.into_iter().next() else {
            return Err("its conversion writes no statement".into());
        };
        if !self.mysql() {
            return Ok(exec(sql, into.to_vec(), using.to_vec()));
        }
        // MySQL: `?` read the USING values in the converted text's order.
        let using: Vec<Expr> = conv
            .binds
            .iter()
            .filter_map(|&k| using.get(k).cloned())
            .collect();
        if into.is_empty() {
            return Ok(exec(sql, Vec::new(), using));
        }
        // The row goes to user variables (a prepared statement sees no local variable), then
        // to the targets; no row raises NO_DATA_FOUND as in Oracle (MySQL only warns).
        let mut body = vec![exec(sql, Vec::new(), using)];
        for (i, t) in into.iter().enumerate() {
            body.push(PlStmt::assign(
                t.clone(),
                Expr::Param(dynamic::into_var(i), span),
                span,
            ));
        }
        let handlers = if strict {
            vec![Handler {
                exceptions: Vec::new(),
                conditions: vec!["NOT FOUND".into()],
                body: vec![PlStmt::RaiseError {
                    sqlstate: "P0002".into(),
                    message: Expr::String("no data found".into(), span),
                    errno: None,
                    span,
                }],
                continue_: false,
                span,
            }]
        } else {
            Vec::new()
        };
        Ok(PlStmt::Block(Box::new(Block {
            label: Some(Ident::new("SCHEMAC_SELECT", span)),
            decls: Vec::new(),
            body,
            handlers,
            span,
        })))
    }

    fn transaction(&mut self, what: &str, span: Span) {
        if self.mysql() {
            // Functions and triggers: flagged when lowered (they cannot be created).
            if self.where_.starts_with("procedure") || self.where_ == "anonymous block" {
                let w = self.where_.clone();
                self.flag(
                    &codes::TRANSACTION_CONTROL,
                    span,
                    &[
                        what,
                        &w,
                        "it ends the caller's transaction too (MySQL has no transaction scope per routine)",
                    ],
                );
            }
            return;
        }
        let why = if what.starts_with("ROLLBACK TO") || what == "SAVEPOINT" {
            "PL/pgSQL has no savepoints; use a nested block with an exception handler"
        } else if self.where_.starts_with("procedure") {
            "allowed only when the procedure is called by CALL outside a transaction block"
        } else if self.where_ == "anonymous block" {
            "allowed only when the script runs outside a transaction block"
        } else {
            "functions and triggers cannot end the transaction"
        };
        let code = if (self.where_.starts_with("procedure") || self.where_ == "anonymous block")
            && !what.contains("SAVEPOINT")
        {
            &codes::TRANSACTION_CONTROL
        } else {
            &codes::UNSUPPORTED_PLSQL
        };
        let w = self.where_.clone();
        if std::ptr::eq(code, &codes::TRANSACTION_CONTROL) {
            self.flag(code, span, &[what, &w, why]);
        } else {
            self.flag(code, span, &[what, why]);
        }
    }

    fn call_stmt(&mut self, s: &mut PlStmt) -> Option<PlStmt> {
        let PlStmt::Call { call, form, span } = s else {
            return None;
        };
        let span = *span;
        let Expr::Call(c) = call else {
            return None;
        };
        self.qualify_member(&mut c.name);
        if !self.mysql() && c.name.parts.len() == 2 && self.collection_var(&c.name.parts[0].value) {
            for a in &mut c.args {
                self.expr(&mut a.value);
            }
            return self.collection_method_stmt(c, span);
        }
        let name = c.name.display();
        let upper = name.to_ascii_uppercase();
        match upper.as_str() {
            "RAISE_APPLICATION_ERROR" if c.args.len() >= 2 && self.mysql() => {
                let code = number_value(&c.args[0].value);
                let mut msg = c.args[1].value.clone();
                self.expr(&mut msg);
                let r = my::application_error(code, msg, span);
                if let PlStmt::RaiseError { sqlstate, .. } = &r {
                    let shown = code.map(|c| c.to_string()).unwrap_or_else(|| "?".into());
                    let st = sqlstate.clone();
                    self.flag(&codes::APPLICATION_ERROR, span, &[&shown, &st]);
                }
                return Some(r);
            }
            "DBMS_OUTPUT.PUT_LINE" | "SYS.DBMS_OUTPUT.PUT_LINE" | "DBMS_OUTPUT.PUT"
                if self.mysql() =>
            {
                self.flag(&codes::MYSQL_OUTPUT_DROPPED, span, &[]);
                return Some(PlStmt::Null(span));
            }
            "DBMS_OUTPUT.NEW_LINE" if self.mysql() => return Some(PlStmt::Null(span)),
            "RAISE_APPLICATION_ERROR" if c.args.len() >= 2 => {
                let code = number_value(&c.args[0].value);
                let mut msg = c.args[1].value.clone();
                self.expr(&mut msg);
                let sqlstate = code.and_then(sqlstate_of).unwrap_or_else(|| "P2000".into());
                let shown = code.map(|c| c.to_string()).unwrap_or_else(|| "?".into());
                self.flag(&codes::APPLICATION_ERROR, span, &[&shown, &sqlstate]);
                return Some(PlStmt::RaiseError {
                    sqlstate,
                    message: msg,
                    errno: None,
                    span,
                });
            }
            "DBMS_OUTPUT.PUT_LINE" | "SYS.DBMS_OUTPUT.PUT_LINE" if c.args.len() == 1 => {
                let mut value = c.args[0].value.clone();
                self.expr(&mut value);
                return Some(PlStmt::Notice { value, span });
            }
            "DBMS_OUTPUT.ENABLE" | "DBMS_OUTPUT.DISABLE" => return Some(PlStmt::Null(span)),
            _ => {}
        }
        for a in &mut c.args {
            self.expr(&mut a.value);
        }
        // A procedure of an Oracle-supplied package with a mapping (`DBMS_LOCK.SLEEP` ->
        // `pg_sleep`): the functions pass renames it; its result is discarded.
        if c.name.parts.len() == 2
            && super::functions::table_for(self.target)
                .functions
                .contains_key(&upper)
        {
            *form = CallForm::Perform;
            return None;
        }
        let hint = if self.mysql() {
            my::builtin_package(&upper)
        } else {
            builtin_package(&upper)
        };
        if let Some(pkg) = hint {
            self.flag(&codes::BUILTIN_PACKAGE, span, &[&name, pkg]);
            *form = CallForm::Call;
            return None;
        }
        match self.routine_kind(&c.name) {
            Some(Some(RoutineKind::Function)) => *form = CallForm::Perform,
            Some(_) => *form = CallForm::Call,
            None => {
                *form = CallForm::Call;
                self.flag(&codes::UNRESOLVED_NAME, c.name.span(), &[&name]);
            }
        }
        None
    }

    /// Rewrites and resolves the names of a PL/SQL expression (outside SQL statements, or
    /// inside one when it holds a query).
    fn expr(&mut self, e: &mut Expr) {
        let cols = self.sql_columns_expr(e);
        let mut rw = Rewriter { c: self, sql: cols };
        walk_expr(&mut rw, e);
    }

    fn query(&mut self, q: &mut Query) {
        let cols = self.sql_columns_query(q);
        let mut rw = Rewriter { c: self, sql: cols };
        walk_query(&mut rw, q);
    }

    fn table_columns(&mut self, tables: &Tables) -> Option<HashSet<String>> {
        // Relations that exist nowhere in the input: flagged, never guessed.
        for t in &tables.names {
            let n = &t.name().value;
            if self.syms.table(t).is_none()
                && !self.syms.is_view(t)
                && !self.synonyms.contains(n)
                && !tables.ctes.contains(n)
                && n != "DUAL"
            {
                let d = t.display();
                self.flag(&codes::UNRESOLVED_NAME, t.span(), &[&d]);
            }
        }
        if tables.opaque {
            return None;
        }
        let mut cols: HashSet<String> = HashSet::new();
        for t in &tables.names {
            // Views and unknown tables: their columns are unknown, every name is accepted.
            let info = self.syms.table(t).map(|i| i.columns.clone())?;
            cols.extend(info.into_iter().map(|(n, _)| n));
            let (a, b) = super::symbols::keys(t);
            cols.insert(a);
            cols.extend(b);
        }
        cols.extend(tables.aliases.iter().cloned());
        Some(cols)
    }

    fn sql_columns_expr(&mut self, e: &mut Expr) -> Option<HashSet<String>> {
        let mut t = Tables::default();
        walk_expr(&mut t, e);
        self.table_columns(&t)
    }

    fn sql_columns_query(&mut self, q: &mut Query) -> Option<HashSet<String>> {
        let mut t = Tables::default();
        walk_query(&mut t, q);
        self.table_columns(&t)
    }

    fn sql_columns_stmt(&mut self, s: &mut Stmt) -> Option<HashSet<String>> {
        let mut t = Tables::default();
        match s {
            Stmt::Insert(i) => {
                t.names.push(i.table.clone());
                t.aliases.extend(i.alias.iter().map(|a| a.value.clone()));
            }
            Stmt::Update(u) => {
                t.names.push(u.table.clone());
                t.aliases.extend(u.alias.iter().map(|a| a.value.clone()));
            }
            Stmt::Delete(d) => {
                t.names.push(d.table.clone());
                t.aliases.extend(d.alias.iter().map(|a| a.value.clone()));
            }
            Stmt::Merge(m) => {
                t.names.push(m.table.clone());
                t.aliases.extend(m.alias.iter().map(|a| a.value.clone()));
                match &m.source {
                    TableRef::Table { name, alias, .. } => {
                        t.names.push(name.clone());
                        t.aliases.extend(alias.iter().map(|a| a.value.clone()));
                    }
                    _ => t.opaque = true,
                }
            }
            _ => t.opaque = true,
        }
        walk_stmt(&mut t, s);
        self.table_columns(&t)
    }
}

fn stmt_span(s: &PlStmt) -> Span {
    s.span()
}

/// A BEFORE INSERT row trigger that only sets `:new.col` from `seq.NEXTVAL` (optionally when
/// the column is NULL): (column, sequence).
fn key_fill(t: &Trigger) -> Option<(String, String)> {
    if t.timing != TriggerTiming::Before
        || !t.for_each_row
        || t.events.len() != 1
        || t.events[0].kind != TriggerEventKind::Insert
        || !t.body.decls.is_empty()
        || !t.body.handlers.is_empty()
    {
        return None;
    }
    fn new_col(e: &Expr) -> Option<String> {
        match e {
            Expr::Column(q) if q.parts.len() == 2 && q.parts[0].is("NEW") => {
                Some(q.parts[1].value.clone())
            }
            _ => None,
        }
    }
    fn nextval(e: &Expr) -> Option<String> {
        match e {
            Expr::Column(q) if q.parts.len() >= 2 && q.name().is("NEXTVAL") => Some(
                q.parts[..q.parts.len() - 1]
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
            ),
            _ => None,
        }
    }
    fn fill(s: &PlStmt) -> Option<(String, String)> {
        match s {
            PlStmt::Assign { target, value, .. } => Some((new_col(target)?, nextval(value)?)),
            PlStmt::SelectInto { query, into, .. } if into.len() == 1 => {
                let SetExpr::Select(sel) = &query.body else {
                    return None;
                };
                let [SelectItem::Expr { expr, .. }] = sel.items.as_slice() else {
                    return None;
                };
                if sel.where_.is_some() {
                    return None;
                }
                Some((new_col(&into[0])?, nextval(expr)?))
            }
            PlStmt::If {
                branches, else_, ..
            } if branches.len() == 1 && else_.is_none() && branches[0].1.len() == 1 => {
                let (c, body) = &branches[0];
                let r = fill(&body[0])?;
                match c {
                    Expr::IsNull {
                        expr, not: false, ..
                    } if new_col(expr).as_deref() == Some(r.0.as_str()) => Some(r),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    match t.body.body.as_slice() {
        [s] => fill(s),
        _ => None,
    }
}

/// `RETURN;` in a trigger body becomes the trigger function's return.
fn replace_returns(v: &mut [PlStmt], ret: &dyn Fn(Span) -> Vec<PlStmt>) {
    for s in v.iter_mut() {
        match s {
            PlStmt::Return { value: None, span } => {
                let span = *span;
                *s = PlStmt::Block(Box::new(Block {
                    label: None,
                    decls: Vec::new(),
                    body: ret(span),
                    handlers: Vec::new(),
                    span,
                }));
            }
            PlStmt::If {
                branches, else_, ..
            } => {
                for (_, b) in branches {
                    replace_returns(b, ret);
                }
                if let Some(b) = else_ {
                    replace_returns(b, ret);
                }
            }
            PlStmt::Case { whens, else_, .. } => {
                for (_, b) in whens {
                    replace_returns(b, ret);
                }
                if let Some(b) = else_ {
                    replace_returns(b, ret);
                }
            }
            PlStmt::Loop { body, .. } => replace_returns(body, ret),
            PlStmt::Block(b) => {
                replace_returns(&mut b.body, ret);
                for h in &mut b.handlers {
                    replace_returns(&mut h.body, ret);
                }
            }
            _ => {}
        }
    }
}

/// Oracle-supplied packages and their replacements.
fn builtin_package(name: &str) -> Option<&'static str> {
    let pkg = name.split('.').find(|p| *p != "SYS")?;
    Some(match pkg {
        "DBMS_OUTPUT" => "RAISE NOTICE",
        "DBMS_LOCK" => "pg_sleep() / advisory locks (pg_advisory_lock)",
        "DBMS_SQL" => "EXECUTE with format()",
        "DBMS_LOB" => "string and bytea functions",
        "DBMS_UTILITY" => "GET STACKED DIAGNOSTICS / clock_timestamp()",
        "DBMS_RANDOM" => "random()",
        "DBMS_SESSION" => "set_config() / current_setting()",
        "DBMS_JOB" | "DBMS_SCHEDULER" => "pg_cron or an external scheduler",
        "DBMS_STATS" => "ANALYZE",
        "DBMS_APPLICATION_INFO" => "SET application_name",
        "UTL_FILE" => "COPY or an external program",
        "UTL_HTTP" | "UTL_SMTP" | "UTL_TCP" | "UTL_MAIL" => "an external service",
        "DBMS_CRYPTO" => "pgcrypto",
        "DBMS_METADATA" => "pg_get_*def() functions",
        "DBMS_XMLGEN" | "DBMS_XMLDOM" => "PostgreSQL XML functions",
        p if p.starts_with("DBMS_") || p.starts_with("UTL_") || p.starts_with("APEX_") => {
            "the orafce extension or a rewrite"
        }
        _ => return None,
    })
}

/// Names of the calls in a block.
#[derive(Default)]
struct Calls {
    names: Vec<QName>,
}

impl VisitMut for Calls {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Call(c) = e {
            self.names.push(c.name.clone());
        }
    }
}

/// Tables, aliases and CTE names of a SQL statement; `opaque` when some relation's columns
/// cannot be known (derived tables, table functions, CTEs, views).
#[derive(Default)]
struct Tables {
    names: Vec<QName>,
    ctes: Vec<String>,
    aliases: Vec<String>,
    opaque: bool,
}

impl VisitMut for Tables {
    fn query(&mut self, q: &mut Query) {
        if !q.with.is_empty() {
            self.opaque = true;
        }
        self.ctes
            .extend(q.with.iter().map(|c| c.name.value.clone()));
    }
    fn enter_select(&mut self, s: &mut Select) {
        fn refs(t: &TableRef, out: &mut Tables) {
            match t {
                TableRef::Table { name, alias, .. } => {
                    out.names.push(name.clone());
                    out.aliases.extend(alias.iter().map(|a| a.value.clone()));
                }
                TableRef::Join { left, right, .. } => {
                    refs(left, out);
                    refs(right, out);
                }
                TableRef::Subquery { .. } | TableRef::Function { .. } => out.opaque = true,
            }
        }
        for t in &s.from {
            refs(t, self);
        }
        for it in &s.items {
            if let SelectItem::Expr { alias: Some(a), .. } = it {
                self.aliases.push(a.value.clone());
            }
        }
    }
}

/// Rewrites expressions bottom-up and resolves their names.
struct Rewriter<'c, 'a> {
    c: &'c mut Conv<'a>,
    /// Columns (and table names / aliases) of the SQL statement the expression is in (empty
    /// outside SQL); `None` when some relation's columns are unknown (then names that are not
    /// variables are not flagged).
    sql: Option<HashSet<String>>,
}

impl Rewriter<'_, '_> {
    fn is_column(&self, n: &str) -> bool {
        self.sql.as_ref().is_some_and(|s| s.contains(n))
    }
}

impl VisitMut for Rewriter<'_, '_> {
    fn expr(&mut self, e: &mut Expr) {
        let span = e.span();
        if matches!(e, Expr::Call(_) | Expr::Column(_))
            && !self.c.mysql()
            && let Some(x) = self.c.collection_expr(e)
        {
            *e = x;
            return;
        }
        match e {
            Expr::Column(q) => {
                // Cursor attributes.
                if let Some(attr) = q
                    .parts
                    .last()
                    .filter(|p| p.value.starts_with('%'))
                    .map(|p| p.value.clone())
                {
                    let base = q.parts[..q.parts.len() - 1]
                        .iter()
                        .map(|p| p.value.clone())
                        .collect::<Vec<_>>()
                        .join(".");
                    let is_sql = base == "SQL";
                    let known = is_sql || matches!(self.c.lookup(&base), Some(Entry::Cursor));
                    if !known {
                        self.c.flag(&codes::UNRESOLVED_NAME, span, &[&base]);
                        return;
                    }
                    if self.c.mysql() {
                        match my::cursor_attr(self.c, &base, &attr, is_sql, span) {
                            Some(x) => *e = x,
                            None => {
                                let what = format!("{base}{attr}");
                                self.c.flag(
                                    &codes::UNSUPPORTED_PLSQL,
                                    span,
                                    &[&what, "no MySQL cursor attribute"],
                                );
                            }
                        }
                        return;
                    }
                    match attr.as_str() {
                        "%FOUND" => *e = raw("FOUND", span),
                        "%NOTFOUND" => {
                            *e = Expr::Unary {
                                op: UnaryOp::Not,
                                expr: Box::new(raw("FOUND", span)),
                                span,
                            }
                        }
                        "%ROWCOUNT" if is_sql => {
                            self.c.rowcount_used = true;
                            *e = Expr::Column(QName::single(Ident::new("SCHEMAC_ROWCOUNT", span)));
                        }
                        _ => {
                            let what = format!("{base}{attr}");
                            self.c.flag(
                                &codes::UNSUPPORTED_PLSQL,
                                span,
                                &[&what, "no PL/pgSQL cursor attribute"],
                            );
                        }
                    }
                    return;
                }
                let first = q.parts[0].value.clone();
                // Trigger correlation names and predicates.
                if let Some(t) = &self.c.trigger {
                    if q.parts.len() >= 2
                        && let Some(to) = t.correlation.get(&first)
                        && self.c.lookup(&first).is_none()
                    {
                        q.parts[0].value = to.clone();
                        return;
                    }
                    if q.parts.len() == 1 && self.c.lookup(&first).is_none() {
                        let op = match first.as_str() {
                            "INSERTING" => Some("INSERT"),
                            "UPDATING" => Some("UPDATE"),
                            "DELETING" => Some("DELETE"),
                            _ => None,
                        };
                        if let Some(op) = op {
                            // MySQL: constants in each trigger of the split.
                            if !self.c.mysql() {
                                *e = tg_op(op, span);
                            }
                            return;
                        }
                    }
                }
                if let Some((pkg, var, v)) = self.c.package_var(q) {
                    match v {
                        Some(v) if self.c.mysql() => *e = my::read_state(&v, span),
                        Some(v) => *e = read_state(&v, span),
                        None => self.c.flag(&codes::PACKAGE_STATE, span, &[&pkg, &var]),
                    }
                    return;
                }
                if self.c.lookup(&first).is_some() {
                    // MySQL: a variable named like a column is renamed, except where
                    // the column is meant (in SQL, PL/SQL prefers the column).
                    if q.parts.len() == 1
                        && let Some(n) = self.c.my.renames.get(&first)
                        && self.sql.is_some()
                        && !self.is_column(&first)
                    {
                        q.parts[0].value = n.clone();
                    }
                    return;
                }
                if self.c.mysql()
                    && q.parts.len() == 1
                    && (first == "SQLCODE" || first == "SQLERRM")
                {
                    *e = my::diagnostics(self.c, &first, span);
                    return;
                }
                if q.parts.len() == 1 && first == "SQLCODE" {
                    self.c.flag(
                        &codes::UNSUPPORTED_PLSQL,
                        span,
                        &[
                            "SQLCODE",
                            "PostgreSQL handlers have SQLSTATE (a five-character code), not a number",
                        ],
                    );
                    return;
                }
                if q.parts.len() == 1 {
                    // A function of the package called without parentheses.
                    let mut qq = q.clone();
                    self.c.qualify_member(&mut qq);
                    if qq.parts.len() == 2
                        && let Some(Some(RoutineKind::Function)) = self.c.routine_kind(&qq)
                    {
                        *e = Expr::Call(Box::new(Call {
                            name: qq,
                            args: Vec::new(),
                            distinct: false,
                            over: None,
                            within_group: Vec::new(),
                            span,
                        }));
                        return;
                    }
                    if self.is_column(&first) || BUILTIN_NAMES.contains(&first.as_str()) {
                        return;
                    }
                    // A function called without parentheses.
                    if let Some(kind) = self.c.routine_kind(q)
                        && (kind == Some(RoutineKind::Function) || kind.is_none())
                    {
                        let name = q.clone();
                        *e = Expr::Call(Box::new(Call {
                            name,
                            args: Vec::new(),
                            distinct: false,
                            over: None,
                            within_group: Vec::new(),
                            span,
                        }));
                        return;
                    }
                    if self.sql.is_some() {
                        let d = q.display();
                        self.c.flag(&codes::UNRESOLVED_NAME, span, &[&d]);
                    }
                    return;
                }
                // A function of an Oracle-supplied package called without parentheses
                // (`DBMS_RANDOM.VALUE`): a call, which the functions pass maps or flags.
                if q.parts.len() == 2
                    && !self.is_column(&first)
                    && self.c.routine_kind(q).is_none()
                    && builtin_package(&first).is_some()
                {
                    *e = Expr::Call(Box::new(Call {
                        name: q.clone(),
                        args: Vec::new(),
                        distinct: false,
                        over: None,
                        within_group: Vec::new(),
                        span,
                    }));
                    return;
                }
                // Qualified: table alias / table / sequence / package / schema.
                let qual = QName {
                    parts: q.parts[..q.parts.len() - 1].to_vec(),
                    dblink: None,
                };
                let last = q.name().value.clone();
                if self.is_column(&first)
                    || self.c.syms.table(&qual).is_some()
                    || self.c.syms.is_view(&qual)
                    || self.c.syms.is_sequence(&qual)
                    || self.c.routine_kind(&qual).is_some()
                    || self.c.routine_kind(q).is_some()
                    || matches!(last.as_str(), "NEXTVAL" | "CURRVAL")
                    || self.c.syms.roles.contains(&first)
                {
                    if let Some(Some(RoutineKind::Function)) = self.c.routine_kind(q) {
                        let name = q.clone();
                        *e = Expr::Call(Box::new(Call {
                            name,
                            args: Vec::new(),
                            distinct: false,
                            over: None,
                            within_group: Vec::new(),
                            span,
                        }));
                    }
                    return;
                }
                if self.sql.is_some() {
                    let d = q.display();
                    self.c.flag(&codes::UNRESOLVED_NAME, span, &[&d]);
                }
            }
            Expr::Call(c) => {
                self.c.qualify_member(&mut c.name);
                let first = c.name.parts[0].value.clone();
                if c.name.parts.len() == 1 {
                    if let Some(Entry::Var) = self.c.lookup(&first) {
                        self.c.flag(
                            &codes::UNSUPPORTED_PLSQL,
                            span,
                            &[
                                &format!("collection element {first}(...)"),
                                "collections are not converted yet",
                            ],
                        );
                        return;
                    }
                    if self.c.trigger.is_some()
                        && first == "UPDATING"
                        && self.c.lookup(&first).is_none()
                        && c.args.len() == 1
                        && let Expr::String(col, _) = &c.args[0].value
                    {
                        let col = col.to_uppercase();
                        if self.c.mysql() {
                            self.c.flag(&codes::UPDATING_COLUMN, span, &[&col]);
                            *e = my::updating_column(&col, span);
                            return;
                        }
                        let id = |p: &str| {
                            Expr::Column(QName {
                                parts: vec![Ident::new(p, span), Ident::new(col.clone(), span)],
                                dblink: None,
                            })
                        };
                        let changed = Expr::IsDistinct {
                            left: Box::new(id("NEW")),
                            right: Box::new(id("OLD")),
                            not: false,
                            span,
                        };
                        self.c.flag(&codes::UPDATING_COLUMN, span, &[&col]);
                        *e = Expr::Binary {
                            op: BinOp::And,
                            left: Box::new(tg_op("UPDATE", span)),
                            right: Box::new(changed),
                            span,
                        };
                    }
                }
            }
            _ => {}
        }
    }
}

/// PostgreSQL: a `BEFORE INSERT` row trigger that only fills a key from a sequence when it is
/// NULL, with a sequence nothing else reads, becomes an identity column `GENERATED BY DEFAULT
/// AS IDENTITY` starting where the sequence did (PLS047); the trigger and the sequence are not
/// created. A trigger that fills the key unconditionally overrides the values callers give,
/// which an identity column does not: it stays a trigger (PLS018).
fn sequence_triggers_to_identity(module: &mut Module, syms: &Symbols) {
    // NEXTVAL / CURRVAL readers of each sequence (by last name part), by object.
    #[derive(Default)]
    struct Reads(Vec<String>);
    impl VisitMut for Reads {
        fn expr(&mut self, e: &mut Expr) {
            match e {
                Expr::Column(q)
                    if q.parts.len() >= 2 && (q.name().is("NEXTVAL") || q.name().is("CURRVAL")) =>
                {
                    self.0.push(q.parts[q.parts.len() - 2].value.clone())
                }
                Expr::NextVal(q, _) | Expr::CurrVal(q, _) => self.0.push(q.name().value.clone()),
                _ => {}
            }
        }
    }
    let mut readers: HashMap<String, usize> = HashMap::new();
    for o in module.objects.iter_mut() {
        let mut r = Reads::default();
        walk_stmt(&mut r, &mut o.stmt);
        for s in r.0 {
            *readers.entry(s).or_default() += 1;
        }
    }
    let mut plans = Vec::new();
    for (i, o) in module.objects.iter().enumerate() {
        let Stmt::CreateTrigger(t) = &o.stmt else {
            continue;
        };
        if o.commented_out || !matches!(t.body.body.as_slice(), [PlStmt::If { .. }]) {
            continue;
        }
        let Some((col, seq)) = key_fill(t) else {
            continue;
        };
        let seq_last = seq.rsplit('.').next().unwrap_or(&seq).to_string();
        if readers.get(&seq_last).copied().unwrap_or(0) != 1 {
            continue;
        }
        let Some(table) = syms.table(&t.table).map(|x| x.object) else {
            continue;
        };
        let Some(seq_obj) = module.objects.iter().position(|s| {
            matches!(&s.stmt, Stmt::CreateSequence(q)
                if !s.commented_out
                    && q.name.as_ref().is_some_and(|n| n.name().value == seq_last))
        }) else {
            continue;
        };
        plans.push((i, table, seq_obj, col, t.name.display(), seq));
    }
    for (trig, table, seq_obj, col, trig_name, seq) in plans {
        let Stmt::CreateSequence(sq) = &module.objects[seq_obj].stmt else {
            continue;
        };
        let (start, increment) = (sq.start, sq.increment);
        let Stmt::CreateTable(tb) = &mut module.objects[table].stmt else {
            continue;
        };
        let Some(c) = tb.columns.iter_mut().find(|c| {
            let t = &c.ty.source;
            // Identity columns are integers on PostgreSQL.
            let integer = matches!(t.name.as_str(), "INTEGER" | "INT" | "SMALLINT")
                || (t.name == "NUMBER"
                    && t.args.first().copied().flatten().is_some_and(|p| p <= 18)
                    && t.args.get(1).copied().flatten().unwrap_or(0) == 0);
            c.name.value == col && integer && c.identity.is_none() && c.default.is_none()
        }) else {
            continue;
        };
        let span = c.name.span;
        c.identity = Some(Identity {
            always: false,
            start,
            increment,
            span,
        });
        let table_name = tb.name.display();
        let args = [
            trig_name.as_str(),
            seq.as_str(),
            table_name.as_str(),
            col.as_str(),
        ];
        let tspan = module.objects[trig].span;
        super::flag(
            &mut module.objects[table],
            &codes::IDENTITY_FROM_TRIGGER,
            span,
            &args,
        );
        for (k, what) in [(trig, "trigger"), (seq_obj, "sequence")] {
            let o = &mut module.objects[k];
            let span = if k == trig { tspan } else { o.span };
            super::flag(o, &codes::IDENTITY_FROM_TRIGGER, span, &args);
            o.stmt = Stmt::Ignored {
                what: format!("{what} replaced by an identity column"),
            };
            o.section = None;
        }
    }
}
