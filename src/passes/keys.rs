//! Cross-object consistency after types are decided (Targeted phase):
//! - a foreign key column whose numeric type differs from the referenced column's takes the
//!   referenced type (the target refuses foreign keys between numeric and integer columns; the
//!   values must exist in the referenced column, so they fit its type);
//! - data statements that run after an unconverted PL/SQL block of the same script may depend
//!   on what the block did (PLS002).

use std::collections::HashMap;

use super::{Ctx, flag};
use crate::ir::*;
use crate::rules::codes;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    // A column aligned in one round can be referenced by another key: repeat to a fixpoint.
    for _ in 0..8 {
        if !align_fk_types(module, ctx) {
            break;
        }
    }
    check_referenced_keys(module, ctx);
    after_unconverted_blocks(module);
}

fn check_referenced_keys(module: &mut Module, ctx: &mut Ctx) {
    let syms = &ctx.symbols;
    let mut bad = Vec::new();
    for (i, o) in module.objects.iter().enumerate() {
        if o.commented_out {
            continue;
        }
        let Stmt::AlterTable(a) = &o.stmt else {
            continue;
        };
        for act in &a.actions {
            let AlterAction::AddConstraint(c) = act else {
                continue;
            };
            let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &c.kind
            else {
                continue;
            };
            let Some(to) = syms.table(ref_table) else {
                continue;
            };
            let Stmt::CreateTable(rt) = &module.objects[to.object].stmt else {
                continue;
            };
            // The referenced columns (the primary key when not named), as the keys compare.
            let mut pk: Vec<&str> = Vec::new();
            for k in &rt.constraints {
                if let ConstraintKind::PrimaryKey { columns } = &k.kind {
                    pk = columns.iter().map(|c| c.value.as_str()).collect();
                }
            }
            let mut want: Vec<&str> = if ref_columns.is_empty() {
                pk
            } else {
                ref_columns.iter().map(|c| c.value.as_str()).collect()
            };
            want.sort();
            let found = !want.is_empty()
                && rt.constraints.iter().any(|k| match &k.kind {
                    ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
                        let mut k: Vec<&str> = columns.iter().map(|c| c.value.as_str()).collect();
                        k.sort();
                        k == want
                    }
                    _ => false,
                });
            if !found {
                let name = c
                    .name
                    .as_ref()
                    .map(|n| n.value.clone())
                    .unwrap_or_else(|| "(unnamed)".into());
                bad.push((i, name, ref_table.display(), want.join(", "), c.span));
            }
        }
    }
    for (i, name, table, cols, span) in bad {
        let o = &mut module.objects[i];
        flag(o, &codes::FK_NO_UNIQUE_KEY, span, &[&name, &table, &cols]);
        o.commented_out = true;
    }
}

fn numeric(t: &Option<Type>) -> bool {
    matches!(t, Some(Type::Int { .. } | Type::Decimal { .. }))
}

/// Returns whether a column changed.
fn align_fk_types(module: &mut Module, ctx: &mut Ctx) -> bool {
    let syms = &ctx.symbols;
    // (table object, column index, new type, referenced column display)
    let mut changes: Vec<(usize, String, TypeRef, String)> = Vec::new();
    for o in &module.objects {
        let fks: Vec<&Constraint> = match &o.stmt {
            Stmt::AlterTable(a) => a
                .actions
                .iter()
                .filter_map(|x| match x {
                    AlterAction::AddConstraint(c) => Some(c),
                    _ => None,
                })
                .collect(),
            Stmt::CreateTable(t) => t.constraints.iter().collect(),
            _ => continue,
        };
        let table = match &o.stmt {
            Stmt::AlterTable(a) => &a.table,
            Stmt::CreateTable(t) => &t.name,
            _ => continue,
        };
        for c in fks {
            let ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                ..
            } = &c.kind
            else {
                continue;
            };
            let (Some(from), Some(to)) = (syms.table(table), syms.table(ref_table)) else {
                continue;
            };
            let refs: Vec<String> = if ref_columns.is_empty() {
                to.primary_key.clone()
            } else {
                ref_columns.iter().map(|c| c.value.clone()).collect()
            };
            if refs.len() != columns.len() {
                continue;
            }
            let Stmt::CreateTable(rt) = &module.objects[to.object].stmt else {
                continue;
            };
            for (col, rc) in columns.iter().zip(&refs) {
                let Some(target_col) = rt.columns.iter().find(|c| &c.name.value == rc) else {
                    continue;
                };
                let Stmt::CreateTable(ft) = &module.objects[from.object].stmt else {
                    continue;
                };
                let Some(source_col) = ft.columns.iter().find(|c| c.name.value == col.value) else {
                    continue;
                };
                if numeric(&source_col.ty.ir)
                    && numeric(&target_col.ty.ir)
                    && source_col.ty.target != target_col.ty.target
                {
                    changes.push((
                        from.object,
                        col.value.clone(),
                        target_col.ty.clone(),
                        format!("{}.{}", ref_table.display(), rc),
                    ));
                }
            }
        }
    }
    let changed = !changes.is_empty();
    let mut done: HashMap<(usize, String), ()> = HashMap::new();
    for (obj, col, ty, referenced) in changes {
        if done.insert((obj, col.clone()), ()).is_some() {
            continue;
        }
        let o = &mut module.objects[obj];
        let Stmt::CreateTable(t) = &mut o.stmt else {
            continue;
        };
        let Some(c) = t.columns.iter_mut().find(|c| c.name.value == col) else {
            continue;
        };
        let from = c.ty.target.clone().unwrap_or_default();
        let to = ty.target.clone().unwrap_or_default();
        c.ty.ir = ty.ir;
        c.ty.target = ty.target;
        let span = c.span;
        flag(
            o,
            &codes::FK_TYPE_ALIGNED,
            span,
            &[&col, &from, &to, &referenced],
        );
    }
    changed
}

fn after_unconverted_blocks(module: &mut Module) {
    let mut blocked: HashMap<crate::source::FileId, (String, u32)> = HashMap::new();
    for o in &mut module.objects {
        match (&o.stmt, o.kind) {
            (Stmt::Routine(r), ObjectKind::Routine)
                if r.what == "ANONYMOUS BLOCK" && o.commented_out =>
            {
                blocked
                    .entry(o.span.file)
                    .or_insert((r.what.to_lowercase(), o.span.start));
            }
            (Stmt::AnonymousBlock(_), _) if o.commented_out => {
                blocked
                    .entry(o.span.file)
                    .or_insert(("anonymous block".to_string(), o.span.start));
            }
            (Stmt::Insert(_) | Stmt::Update(_) | Stmt::Delete(_), _) if !o.commented_out => {
                if let Some((what, at)) = blocked.get(&o.span.file)
                    && *at < o.span.start
                {
                    let span = o.span;
                    let what = what.clone();
                    flag(o, &codes::AFTER_UNCONVERTED_BLOCK, span, &[&what]);
                }
            }
            _ => {}
        }
    }
}
