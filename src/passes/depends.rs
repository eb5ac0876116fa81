//! Objects that depend on something that was not converted (Targeted phase, last before
//! naming): a view on a table whose CREATE could not be parsed, an index or foreign key on it,
//! data loaded into it, a view calling a PL/SQL function that is still commented out, a
//! routine reading a view that carries a manual finding (emitted, but it fails). Applied
//! as is they would fail on the target, so they are kept commented out with DDL028, and
//! whatever depends on them in turn, to a fixpoint.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{Ctx, flag};
use crate::ir::visit::{VisitMut, walk_stmt};
use crate::ir::*;
use crate::rules::codes;

/// `NAME` and `SCHEMA.NAME` keys, as the symbol table uses them.
fn keys(q: &QName) -> Vec<String> {
    let (n, f) = super::symbols::keys(q);
    let mut v = vec![n];
    v.extend(f);
    v
}

/// Finds, in one walk of an object, the first of its references that names something
/// missing: relations first (in walk order), then called routines, then the packages of
/// qualified calls (`pkg.func(...)`: the package counts too).
struct Refs<'a> {
    missing: &'a HashMap<String, String>,
    /// Names the object defines itself.
    own: &'a [String],
    relation_hit: Option<&'a str>,
    call_hit: Option<&'a str>,
    package_hit: Option<&'a str>,
}

impl<'a> Refs<'a> {
    /// `NAME` then `SCHEMA.NAME`: the first key that is missing and not the object's own.
    fn check(&self, q: &QName) -> Option<&'a str> {
        let missing = self.missing;
        let own = self.own;
        let hit = |k: &str| -> Option<&'a str> {
            if own.iter().any(|o| o == k) {
                return None;
            }
            missing.get(k).map(String::as_str)
        };
        hit(q.name().value.as_str()).or_else(|| super::symbols::with_full(q, |f| f.and_then(hit)))
    }

    fn relation(&mut self, q: &QName) {
        if self.relation_hit.is_none() {
            self.relation_hit = self.check(q);
        }
    }
}

impl VisitMut for Refs<'_> {
    fn enter_select(&mut self, s: &mut Select) {
        fn tables(r: &mut Refs, t: &TableRef) {
            match t {
                TableRef::Table { name, .. } => r.relation(name),
                TableRef::Join { left, right, .. } => {
                    tables(r, left);
                    tables(r, right);
                }
                _ => {}
            }
        }
        if self.relation_hit.is_some() {
            return;
        }
        for t in &s.from {
            tables(self, t);
        }
    }
    fn expr(&mut self, e: &mut Expr) {
        if self.relation_hit.is_some() || self.call_hit.is_some() {
            return;
        }
        if let Expr::Call(c) = e {
            self.call_hit = self.check(&c.name);
            if self.package_hit.is_none() && c.name.parts.len() >= 2 {
                let p = &c.name.parts[c.name.parts.len() - 2];
                if !self.own.contains(&p.value) {
                    self.package_hit = self.missing.get(&p.value).map(String::as_str);
                }
            }
        }
    }
}

/// The first missing thing an object needs to exist on the target.
fn first_missing<'a>(
    o: &mut Object,
    missing: &'a HashMap<String, String>,
    own: &'a [String],
) -> Option<&'a str> {
    let mut r = Refs {
        missing,
        own,
        relation_hit: None,
        call_hit: None,
        package_hit: None,
    };
    match &o.stmt {
        Stmt::CreateIndex(i) => r.relation(&i.table),
        Stmt::AlterTable(a) => {
            r.relation(&a.table);
            for act in &a.actions {
                if let AlterAction::AddConstraint(Constraint {
                    kind: ConstraintKind::ForeignKey { ref_table, .. },
                    ..
                }) = act
                {
                    r.relation(ref_table);
                }
            }
        }
        Stmt::Insert(i) => r.relation(&i.table),
        Stmt::Update(u) => r.relation(&u.table),
        Stmt::Delete(d) => r.relation(&d.table),
        Stmt::CreateSynonym(s) => r.relation(&s.target),
        Stmt::Grant(g) => {
            if let Some(on) = &g.on {
                r.relation(on);
            }
        }
        _ => {}
    }
    if r.relation_hit.is_none() {
        walk_stmt(&mut r, &mut o.stmt);
    }
    r.relation_hit.or(r.call_hit).or(r.package_hit)
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    // Relations and routines that will not exist on the target.
    let mut missing: HashMap<String, String> = HashMap::default();
    let mut defines: Vec<Option<Vec<String>>> = Vec::with_capacity(module.objects.len());
    for o in &module.objects {
        let defined = match (&o.stmt, o.kind) {
            (
                _,
                ObjectKind::Table
                | ObjectKind::View
                | ObjectKind::MaterializedView
                | ObjectKind::Synonym,
            ) => o.name.as_ref().map(keys),
            (_, ObjectKind::Procedure | ObjectKind::Function | ObjectKind::Package) => {
                o.name.as_ref().map(keys)
            }
            _ => None,
        };
        // ALTER TABLE objects are kind Table too but define nothing.
        let defined = if matches!(o.stmt, Stmt::AlterTable(_)) {
            None
        } else {
            defined
        };
        // A view with a manual finding is emitted as is but most likely fails on the target
        // (it needs a person): what reads it needs one too.
        let failing_view = matches!(o.kind, ObjectKind::View | ObjectKind::MaterializedView)
            && o.findings
                .iter()
                .any(|f| f.severity >= crate::diag::Severity::Manual);
        if let Some(ks) = &defined
            && (o.commented_out || failing_view)
        {
            for k in ks {
                missing.insert(k.clone(), o.display_name());
            }
        }
        defines.push(defined);
    }
    // Names that some emitted object defines are available even if another definition is not.
    let mut available: HashSet<&str> = HashSet::default();
    for (o, d) in module.objects.iter().zip(&defines) {
        let failing_view = matches!(o.kind, ObjectKind::View | ObjectKind::MaterializedView)
            && o.findings
                .iter()
                .any(|f| f.severity >= crate::diag::Severity::Manual);
        if let Some(ks) = d
            && !o.commented_out
            && !failing_view
        {
            available.extend(ks.iter().map(String::as_str));
        }
    }
    missing.retain(|k, _| !available.contains(k.as_str()));
    drop(available);
    let _ = &ctx.symbols;
    // Nothing missing: no object can depend on anything missing (the loop below only adds to
    // `missing` when it finds a dependency).
    while !missing.is_empty() {
        let mut changed = false;
        for (i, o) in module.objects.iter_mut().enumerate() {
            if o.commented_out || o.section.is_none() && matches!(o.stmt, Stmt::Ignored { .. }) {
                continue;
            }
            if matches!(
                o.stmt,
                Stmt::Routine(_) | Stmt::Opaque { .. } | Stmt::Ignored { .. }
            ) {
                continue;
            }
            let own = defines[i].as_deref().unwrap_or_default();
            let hit = first_missing(o, &missing, own).map(str::to_string);
            if let Some(what) = hit {
                let span = o.span;
                flag(o, &codes::DEPENDS_ON_UNCONVERTED, span, &[&what]);
                o.commented_out = true;
                if let Some(ks) = &defines[i] {
                    for k in ks {
                        missing.insert(k.clone(), o.display_name());
                    }
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
