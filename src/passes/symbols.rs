//! The symbol table of all objects across all input files (Resolved phase).
//!
//! Keys are catalog spellings (`EMPLOYEES`, `HR.EMPLOYEES`): a name is found with or without
//! its schema. Built once before any rewrite and rebuilt when a pass changes the set of objects.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Ctx;
use crate::ir::{Module, ObjectKind, QName, SourceType, Stmt};

#[derive(Clone, Debug, Default)]
pub struct TableInfo {
    /// Index of the CREATE TABLE object in `Module::objects`.
    pub object: usize,
    /// Column names (catalog spelling) and source types, in order.
    pub columns: Vec<(String, SourceType)>,
    /// Primary key columns.
    pub primary_key: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Symbols {
    /// Table name (`NAME` and `SCHEMA.NAME`) -> index into `infos`.
    pub tables: HashMap<String, usize>,
    pub infos: Vec<TableInfo>,
    /// Declared name of each CREATE TABLE object, by object index.
    pub table_names: HashMap<usize, QName>,
    pub views: HashMap<String, usize>,
    pub sequences: HashSet<String>,
    /// Users and roles created in the input.
    pub roles: HashSet<String>,
    /// Procedures, functions and packages (not converted yet, but known names).
    pub routines: HashSet<String>,
    /// User-defined types converted as types (`NAME` and `SCHEMA.NAME`) -> a collection type.
    pub types: HashMap<String, bool>,
}

/// `NAME` and, when qualified, `SCHEMA.NAME`.
pub fn keys(q: &QName) -> (String, Option<String>) {
    let name = q.name().value.clone();
    let full = q.schema().map(|s| format!("{}.{}", s.value, name));
    (name, full)
}

/// Calls `f` with `SCHEMA.NAME` when `q` is qualified (as [`keys`] spells it), built in a stack
/// buffer: lookups need not allocate.
pub fn with_full<R>(q: &QName, f: impl FnOnce(Option<&str>) -> R) -> R {
    let Some(s) = q.schema() else {
        return f(None);
    };
    let (s, n) = (s.value.as_bytes(), q.name().value.as_bytes());
    let len = s.len() + 1 + n.len();
    let mut buf = [0u8; 256];
    if len <= buf.len() {
        buf[..s.len()].copy_from_slice(s);
        buf[s.len()] = b'.';
        buf[s.len() + 1..len].copy_from_slice(n);
        // Two strings joined by an ASCII dot are UTF-8.
        f(std::str::from_utf8(&buf[..len]).ok())
    } else {
        f(Some(&format!(
            "{}.{}",
            q.schema().unwrap().value,
            q.name().value
        )))
    }
}

impl Symbols {
    fn insert<T: Clone>(map: &mut HashMap<String, T>, q: &QName, v: T) {
        let (n, full) = keys(q);
        if let Some(f) = full {
            map.insert(f, v.clone());
        }
        map.insert(n, v);
    }

    /// Looks a table up by a (possibly qualified) name; allocates only for qualified names.
    pub fn table(&self, q: &QName) -> Option<&TableInfo> {
        let i = with_full(q, |full| {
            full.and_then(|f| self.tables.get(f))
                .or_else(|| self.tables.get(q.name().value.as_str()))
                .copied()
        });
        i.map(|i| &self.infos[i])
    }

    pub fn is_sequence(&self, q: &QName) -> bool {
        self.sequences.contains(q.name().value.as_str())
            || with_full(q, |full| full.is_some_and(|f| self.sequences.contains(f)))
    }

    /// A user-defined type of the input converted as a type: whether it is a collection.
    pub fn user_type(&self, q: &QName) -> Option<bool> {
        if self.types.is_empty() {
            return None;
        }
        with_full(q, |full| {
            full.and_then(|f| self.types.get(f))
                .or_else(|| self.types.get(q.name().value.as_str()))
                .copied()
        })
    }

    pub fn is_view(&self, q: &QName) -> bool {
        self.views.contains_key(q.name().value.as_str())
            || with_full(q, |full| full.is_some_and(|f| self.views.contains_key(f)))
    }

    /// A view by (possibly qualified) name: `SCHEMA.NAME` first, then `NAME`.
    pub fn view(&self, q: &QName) -> Option<usize> {
        with_full(q, |full| {
            full.and_then(|f| self.views.get(f))
                .or_else(|| self.views.get(q.name().value.as_str()))
                .copied()
        })
    }

    pub fn build(module: &Module) -> Symbols {
        let mut s = Symbols::default();
        let (mut tables, mut views) = (0, 0);
        for o in &module.objects {
            match &o.stmt {
                Stmt::CreateTable(_) => tables += 1,
                Stmt::CreateView(_) => views += 1,
                _ => {}
            }
        }
        s.infos.reserve(tables);
        s.tables.reserve(2 * tables);
        s.table_names.reserve(tables);
        s.views.reserve(2 * views);
        for (i, o) in module.objects.iter().enumerate() {
            match &o.stmt {
                Stmt::CreateTable(t) => {
                    let mut info = TableInfo {
                        object: i,
                        columns: t
                            .columns
                            .iter()
                            .map(|c| (c.name.value.clone(), c.ty.source.clone()))
                            .collect(),
                        primary_key: Vec::new(),
                    };
                    for c in &t.constraints {
                        if let crate::ir::ConstraintKind::PrimaryKey { columns } = &c.kind {
                            info.primary_key = columns.iter().map(|c| c.value.clone()).collect();
                        }
                    }
                    s.infos.push(info);
                    let at = s.infos.len() - 1;
                    Self::insert(&mut s.tables, &t.name, at);
                    s.table_names.insert(i, t.name.clone());
                }
                Stmt::CreateView(v) => Self::insert(&mut s.views, &v.name, i),
                Stmt::CreateType(t) if !o.commented_out => {
                    Self::insert(&mut s.types, &t.name, t.collection_of.is_some())
                }
                Stmt::CreateSequence(q) => {
                    if let Some(n) = &q.name {
                        let (a, b) = keys(n);
                        s.sequences.insert(a);
                        if let Some(b) = b {
                            s.sequences.insert(b);
                        }
                    }
                }
                Stmt::CreateUser(u) => {
                    s.roles.insert(u.name.value.clone());
                }
                Stmt::CreateRole(r) => {
                    s.roles.insert(r.value.clone());
                }
                Stmt::CreatePackage(pk) => {
                    // The package and its members (`PKG.NAME`).
                    let pkg = pk.name.name().value.clone();
                    for r in pk.routines.iter().chain(&pk.declared) {
                        s.routines.insert(format!("{pkg}.{}", r.name.name().value));
                    }
                    s.routines.insert(pkg);
                }
                Stmt::Routine(_) | Stmt::CreateRoutine(_) => {
                    if let Some(n) = &o.name
                        && matches!(
                            o.kind,
                            ObjectKind::Procedure | ObjectKind::Function | ObjectKind::Package
                        )
                    {
                        let (a, b) = keys(n);
                        s.routines.insert(a);
                        if let Some(b) = b {
                            s.routines.insert(b);
                        }
                    }
                }
                _ => {}
            }
        }
        s
    }
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    ctx.symbols = Symbols::build(module);
}
