//! Normalization of the object list (Normalized phase):
//! - ALTER TABLE on a table of the input is folded into its CREATE TABLE;
//! - COMMENT ON is attached to the table or view it documents;
//! - a unique index that duplicates a primary key / unique constraint is merged into it;
//! - foreign keys become objects of their own (post-data section), so data loads first;
//! - objects defined twice keep the last definition.

use rustc_hash::FxHashMap as HashMap;

use super::{Ctx, flag, symbols::Symbols};
use crate::ir::*;
use crate::rules::codes;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    // INTERVAL partitioning: only the listed partitions exist on the target; the interval
    // expression goes before any rewrite looks at it.
    for o in &mut module.objects {
        if let Stmt::CreateTable(t) = &mut o.stmt
            && let Some(p) = &mut t.partition
            && p.interval.take().is_some()
        {
            let span = p.span;
            flag(o, &codes::INTERVAL_PARTITION, span, &[]);
        }
    }
    // The symbol table built by the `symbols` pass already maps each name to its last
    // definition, the one `dedupe` keeps.
    dedupe(module);
    fold_alters(module, &ctx.symbols);
    attach_comments(module, &ctx.symbols);
    merge_unique_indexes(module, &ctx.symbols);
    lift_foreign_keys(module);
    ctx.symbols = Symbols::build(module);
}

fn merged(o: &mut Object, what: &str) {
    o.kind = ObjectKind::Statement;
    o.stmt = Stmt::Ignored {
        what: what.to_string(),
    };
    o.section = None;
}

/// An object's name compared as [`QName::display`] spells it (parts joined by dots), without
/// building the string.
#[derive(Clone, Copy)]
struct DisplayKey<'a>(&'a [Ident]);

impl DisplayKey<'_> {
    fn bytes(self) -> impl Iterator<Item = u8> + Clone {
        self.0.iter().enumerate().flat_map(|(i, p)| {
            let dot: &[u8] = if i == 0 { b"" } else { b"." };
            dot.iter().chain(p.value.as_bytes()).copied()
        })
    }
}

impl PartialEq for DisplayKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for DisplayKey<'_> {}

impl std::hash::Hash for DisplayKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // FNV-1a over the joined bytes, a byte at a time: names that display alike hash alike
        // however their parts split.
        let mut x: u64 = 0xcbf2_9ce4_8422_2325;
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                x = (x ^ u64::from(b'.')).wrapping_mul(0x0100_0000_01b3);
            }
            for &b in p.value.as_bytes() {
                x = (x ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        h.write_u64(x);
    }
}

fn is_definition(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::CreateTable(_)
            | Stmt::CreateView(_)
            | Stmt::CreateSequence(_)
            | Stmt::CreateIndex(_)
            | Stmt::CreateSynonym(_)
    )
}

/// Later definitions of the same table / view / sequence / index win (CREATE OR REPLACE and
/// scripts that are run twice).
fn dedupe(module: &mut Module) {
    fn key(o: &Object) -> DisplayKey<'_> {
        DisplayKey(o.name.as_ref().map_or(&[][..], |n| &n.parts[..]))
    }
    let mut last: HashMap<(ObjectKind, DisplayKey), usize> =
        HashMap::with_capacity_and_hasher(module.objects.len(), Default::default());
    for (i, o) in module.objects.iter().enumerate() {
        if is_definition(&o.stmt) {
            last.insert((o.kind, key(o)), i);
        }
    }
    let mut replaced = Vec::new();
    for (i, o) in module.objects.iter().enumerate() {
        if !is_definition(&o.stmt) {
            continue;
        }
        if let Some(&j) = last.get(&(o.kind, key(o)))
            && j != i
        {
            replaced.push((i, j));
        }
    }
    drop(last);
    for (i, j) in replaced {
        let o = &module.objects[i];
        let kind = o.kind.as_str().to_string();
        let name = o.display_name();
        let span = module.objects[j].span;
        flag(
            &mut module.objects[j],
            &codes::DUPLICATE_OBJECT,
            span,
            &[&kind, &name],
        );
        merged(&mut module.objects[i], "replaced by a later definition");
    }
}

fn fold_alters(module: &mut Module, syms: &Symbols) {
    for i in 0..module.objects.len() {
        let Stmt::AlterTable(a) = &module.objects[i].stmt else {
            continue;
        };
        let Some(ti) = syms.table(&a.table).map(|t| t.object) else {
            // Table not in the input: keep the ALTER as is; FK-only alters become constraints.
            let only_fks = a.actions.iter().all(|x| {
                matches!(
                    x,
                    AlterAction::AddConstraint(Constraint {
                        kind: ConstraintKind::ForeignKey { .. },
                        ..
                    })
                )
            });
            let name = a.table.display();
            let o = &mut module.objects[i];
            if only_fks {
                o.kind = ObjectKind::Constraint;
            }
            check_other_actions(o);
            // The table is not in the input: the statement cannot run on its own.
            if matches!(o.stmt, Stmt::AlterTable(_)) {
                let span = o.span;
                flag(o, &codes::TABLE_NOT_FOUND, span, &["ALTER TABLE", &name]);
                o.commented_out = true;
            }
            continue;
        };
        let Stmt::AlterTable(a) = std::mem::replace(
            &mut module.objects[i].stmt,
            Stmt::Ignored {
                what: "ALTER TABLE".into(),
            },
        ) else {
            unreachable!()
        };
        let mut rest = Vec::new();
        {
            let Stmt::CreateTable(t) = &mut module.objects[ti].stmt else {
                continue;
            };
            for act in a.actions {
                match act {
                    AlterAction::AddColumns(cs) => t.columns.extend(cs),
                    AlterAction::AddConstraint(c) => t.constraints.push(c),
                    AlterAction::ModifyColumns(cs) => {
                        for m in cs {
                            if let Some(c) =
                                t.columns.iter_mut().find(|c| c.name.value == m.name.value)
                            {
                                if !m.ty.source.name.is_empty() {
                                    c.ty = m.ty;
                                }
                                if m.default.is_some() {
                                    c.default = m.default;
                                }
                                if m.not_null.is_some() {
                                    c.not_null = m.not_null;
                                }
                            } else {
                                rest.push(AlterAction::ModifyColumns(vec![m]));
                            }
                        }
                    }
                    AlterAction::DropColumns(ids) => {
                        t.columns
                            .retain(|c| !ids.iter().any(|d| d.value == c.name.value));
                    }
                    AlterAction::DropConstraint(n) => {
                        let before = t.constraints.len();
                        t.constraints
                            .retain(|c| c.name.as_ref().map(|x| &x.value) != Some(&n.value));
                        if before == t.constraints.len() {
                            rest.push(AlterAction::DropConstraint(n));
                        }
                    }
                    AlterAction::RenameColumn { from, to } => {
                        if let Some(c) = t.columns.iter_mut().find(|c| c.name.value == from.value) {
                            c.name.value = to.value;
                            c.name.quoted = to.quoted;
                        }
                    }
                    other => rest.push(other),
                }
            }
        }
        // Findings of the ALTER move to the table; so does anything not folded.
        let mut fs = std::mem::take(&mut module.objects[i].findings);
        module.objects[ti].findings.append(&mut fs);
        if rest.is_empty() {
            merged(
                &mut module.objects[i],
                "ALTER TABLE folded into CREATE TABLE",
            );
        } else {
            let o = &mut module.objects[i];
            o.stmt = Stmt::AlterTable(Box::new(AlterTable {
                table: a.table,
                actions: rest,
            }));
            check_other_actions(o);
        }
    }
}

/// `AlterAction::Other` is not printed: harmless physical options get an info finding, the rest
/// a manual one.
fn check_other_actions(o: &mut Object) {
    let Stmt::AlterTable(a) = &mut o.stmt else {
        return;
    };
    let mut found = Vec::new();
    a.actions.retain(|x| match x {
        AlterAction::Other { text, span } => {
            found.push((text.clone(), *span));
            false
        }
        _ => true,
    });
    let empty = a.actions.is_empty();
    for (text, span) in found {
        let first = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let harmless = matches!(
            first.as_str(),
            "ENABLE"
                | "DISABLE"
                | "LOGGING"
                | "NOLOGGING"
                | "PARALLEL"
                | "NOPARALLEL"
                | "CACHE"
                | "NOCACHE"
                | "PCTFREE"
                | "STORAGE"
                | "MOVE"
                | "COMPRESS"
                | "NOCOMPRESS"
                | "ALLOCATE"
                | "DEALLOCATE"
                | "SHRINK"
        );
        if harmless {
            flag(
                o,
                &codes::STORAGE_CLAUSE,
                span,
                &[&crate::frontend::parser::truncate(&text, 60)],
            );
        } else {
            flag(
                o,
                &codes::ALTER_UNSUPPORTED,
                span,
                &[&crate::frontend::parser::truncate(&text, 60)],
            );
        }
    }
    if empty {
        if o.findings
            .iter()
            .any(|f| f.severity >= crate::diag::Severity::Manual)
        {
            o.commented_out = true;
        } else {
            o.stmt = Stmt::Ignored {
                what: "ALTER TABLE".into(),
            };
            o.section = None;
        }
    }
}

fn attach_comments(module: &mut Module, syms: &Symbols) {
    for i in 0..module.objects.len() {
        let Stmt::Comment(c) = &module.objects[i].stmt else {
            continue;
        };
        // COMMENT ON COLUMN t.c / s.t.c: the table is the name without its last part.
        let owner = match c.on {
            CommentTarget::Column if c.name.parts.len() >= 2 => QName {
                parts: c.name.parts[..c.name.parts.len() - 1].to_vec(),
                dblink: None,
            },
            CommentTarget::Column => {
                continue;
            }
            _ => c.name.clone(),
        };
        let target = syms
            .table(&owner)
            .map(|t| t.object)
            .or_else(|| syms.view(&owner));
        match target {
            Some(t) => {
                let mut stmt = std::mem::replace(
                    &mut module.objects[i].stmt,
                    Stmt::Ignored {
                        what: "COMMENT".into(),
                    },
                );
                // A comment on a view is COMMENT ON VIEW on the target.
                if let (Stmt::Comment(c), Stmt::CreateView(v)) =
                    (&mut stmt, &module.objects[t].stmt)
                    && c.on == CommentTarget::Table
                {
                    c.on = if v.materialized {
                        CommentTarget::MaterializedView
                    } else {
                        CommentTarget::View
                    };
                }
                module.objects[t].attached.push(stmt);
                let mut fs = std::mem::take(&mut module.objects[i].findings);
                module.objects[t].findings.append(&mut fs);
                merged(&mut module.objects[i], "COMMENT attached to its object");
            }
            None => {
                let o = &mut module.objects[i];
                let span = o.span;
                let name = owner.display();
                flag(o, &codes::TABLE_NOT_FOUND, span, &["COMMENT", &name]);
                o.commented_out = true;
            }
        }
    }
}

fn index_columns(i: &Index) -> Option<Vec<&str>> {
    i.columns
        .iter()
        .map(|c| match (&c.expr, c.desc) {
            (Expr::Column(q), false) if q.parts.len() == 1 => Some(q.parts[0].value.as_str()),
            _ => None,
        })
        .collect()
}

fn merge_unique_indexes(module: &mut Module, syms: &Symbols) {
    for i in 0..module.objects.len() {
        let Stmt::CreateIndex(ix) = &module.objects[i].stmt else {
            continue;
        };
        let Some(t) = syms.table(&ix.table) else {
            continue;
        };
        let Some(cols) = index_columns(ix) else {
            continue;
        };
        let Stmt::CreateTable(tab) = &module.objects[t.object].stmt else {
            continue;
        };
        let same = tab.constraints.iter().find(|c| match &c.kind {
            ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
                columns.len() == cols.len() && columns.iter().zip(&cols).all(|(a, b)| a.value == *b)
            }
            _ => false,
        });
        if let Some(c) = same {
            // A non-unique index on the key columns is redundant too; a unique one is the
            // constraint's own index in Oracle.
            let cname = c.name.as_ref().map(|n| n.value.clone()).unwrap_or_default();
            let iname = ix.name.display();
            let o = &mut module.objects[i];
            let span = o.span;
            flag(o, &codes::INDEX_MERGED, span, &[&iname, &cname]);
            o.stmt = Stmt::Ignored {
                what: "CREATE INDEX".into(),
            };
            o.section = None;
        }
    }
}

fn lift_foreign_keys(module: &mut Module) {
    let mut new = Vec::new();
    for o in &mut module.objects {
        let Stmt::CreateTable(t) = &mut o.stmt else {
            continue;
        };
        if !t
            .constraints
            .iter()
            .any(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
        {
            continue;
        }
        let (fks, keep): (Vec<Constraint>, Vec<Constraint>) = std::mem::take(&mut t.constraints)
            .into_iter()
            .partition(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }));
        t.constraints = keep;
        for fk in fks {
            let mut name = t.name.clone();
            if let Some(n) = &fk.name {
                name.parts.push(n.clone());
            }
            let span = fk.span;
            let mut obj = Object::new(
                ObjectKind::Constraint,
                Some(name),
                span,
                Stmt::AlterTable(Box::new(AlterTable {
                    table: t.name.clone(),
                    actions: vec![AlterAction::AddConstraint(fk)],
                })),
            );
            obj.section = Some(Section::Constraints);
            new.push(obj);
        }
    }
    module.objects.extend(new);
}
