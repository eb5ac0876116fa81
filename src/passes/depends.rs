//! Objects that depend on something that was not converted (Targeted phase, last before
//! naming): a view on a table whose CREATE could not be parsed, an index or foreign key on it,
//! data loaded into it, a view calling a PL/SQL function that is still commented out, a
//! routine reading a view that carries a manual finding (emitted, but it fails). Applied
//! as is they would fail on the target, so they are kept commented out with DDL028, and
//! whatever depends on them in turn, to a fixpoint.

use std::collections::{HashMap, HashSet};

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

#[derive(Default)]
struct Refs {
    relations: Vec<QName>,
    calls: Vec<QName>,
}

impl VisitMut for Refs {
    fn enter_select(&mut self, s: &mut Select) {
        fn tables(t: &TableRef, out: &mut Vec<QName>) {
            match t {
                TableRef::Table { name, .. } => out.push(name.clone()),
                TableRef::Join { left, right, .. } => {
                    tables(left, out);
                    tables(right, out);
                }
                _ => {}
            }
        }
        for t in &s.from {
            tables(t, &mut self.relations);
        }
    }
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Call(c) = e {
            self.calls.push(c.name.clone());
        }
    }
}

/// What an object needs to exist on the target.
fn needs(o: &mut Object) -> Refs {
    let mut r = Refs::default();
    match &o.stmt {
        Stmt::CreateIndex(i) => r.relations.push(i.table.clone()),
        Stmt::AlterTable(a) => {
            r.relations.push(a.table.clone());
            for act in &a.actions {
                if let AlterAction::AddConstraint(Constraint {
                    kind: ConstraintKind::ForeignKey { ref_table, .. },
                    ..
                }) = act
                {
                    r.relations.push(ref_table.clone());
                }
            }
        }
        Stmt::Insert(i) => r.relations.push(i.table.clone()),
        Stmt::Update(u) => r.relations.push(u.table.clone()),
        Stmt::Delete(d) => r.relations.push(d.table.clone()),
        Stmt::CreateSynonym(s) => r.relations.push(s.target.clone()),
        Stmt::Grant(g) => r.relations.extend(g.on.clone()),
        _ => {}
    }
    walk_stmt(&mut r, &mut o.stmt);
    r
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    // Relations and routines that will not exist on the target.
    let mut missing: HashMap<String, String> = HashMap::new();
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
    let mut available: HashSet<String> = HashSet::new();
    for (o, d) in module.objects.iter().zip(&defines) {
        let failing_view = matches!(o.kind, ObjectKind::View | ObjectKind::MaterializedView)
            && o.findings
                .iter()
                .any(|f| f.severity >= crate::diag::Severity::Manual);
        if let Some(ks) = d
            && !o.commented_out
            && !failing_view
        {
            available.extend(ks.iter().cloned());
        }
    }
    missing.retain(|k, _| !available.contains(k));
    let _ = &ctx.symbols;
    loop {
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
            let r = needs(o);
            let own: HashSet<String> = defines[i].clone().unwrap_or_default().into_iter().collect();
            // `pkg.func(...)`: the package counts too.
            let packages: Vec<QName> = r
                .calls
                .iter()
                .filter(|q| q.parts.len() >= 2)
                .map(|q| QName {
                    parts: vec![q.parts[q.parts.len() - 2].clone()],
                    dblink: None,
                })
                .collect();
            let hit = r
                .relations
                .iter()
                .chain(r.calls.iter())
                .chain(packages.iter())
                .find_map(|q| {
                    keys(q)
                        .into_iter()
                        .find(|k| !own.contains(k) && missing.contains_key(k))
                        .map(|k| missing[&k].clone())
                });
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
