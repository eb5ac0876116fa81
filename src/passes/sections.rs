//! Decides the output section of each object from its kind and statement.

use super::Ctx;
use crate::ir::{Module, ObjectKind, Section, Stmt};

/// Source and target pairs whose mappings are not written yet: T-SQL/ASE procedural units the
/// procedural pass does not convert for MySQL (procedures, functions and triggers it converts
/// are `CreateRoutine` / `CreateTrigger`, and those it cannot are commented out already) are
/// kept commented out under a blocker (TGT005), so nothing wrong is applied silently.
pub fn unsupported_pairs(module: &mut Module, ctx: &mut Ctx) {
    use crate::{SourceDialect, Target};
    let pair = (ctx.opts.from, ctx.opts.to);
    if !matches!(
        pair,
        (SourceDialect::Tsql | SourceDialect::Ase, Target::Mysql)
    ) {
        return;
    }
    for o in &mut module.objects {
        if matches!(
            o.stmt,
            Stmt::Ignored { .. } | Stmt::CreateRoutine(_) | Stmt::CreateTrigger(_)
        ) || o.commented_out
        {
            continue;
        }
        let procedural = matches!(
            o.kind,
            ObjectKind::Routine
                | ObjectKind::Procedure
                | ObjectKind::Function
                | ObjectKind::Package
                | ObjectKind::PackageBody
                | ObjectKind::Trigger
        ) || matches!(
            o.stmt,
            Stmt::Routine(_)
                | Stmt::CreateRoutine(_)
                | Stmt::CreateTrigger(_)
                | Stmt::CreatePackage(_)
                | Stmt::AnonymousBlock(_)
        );
        if !procedural {
            continue;
        }
        let span = o.span;
        super::flag(
            o,
            &crate::rules::codes::PAIR_NOT_SUPPORTED,
            span,
            &[pair.0.as_str(), pair.1.as_str()],
        );
        o.commented_out = true;
    }
}

pub fn run(module: &mut Module, _ctx: &mut Ctx) {
    for o in &mut module.objects {
        if o.section.is_some() {
            continue;
        }
        o.section = match (&o.stmt, o.kind) {
            (Stmt::Ignored { .. }, _) => None,
            (_, ObjectKind::Schema | ObjectKind::User | ObjectKind::Role) => Some(Section::Schemas),
            (_, ObjectKind::Type) => Some(Section::Types),
            (_, ObjectKind::Sequence) => Some(Section::Sequences),
            (_, ObjectKind::Table | ObjectKind::Column | ObjectKind::Comment) => {
                Some(Section::Tables)
            }
            (_, ObjectKind::Data) => Some(Section::Data),
            (
                _,
                ObjectKind::Routine
                | ObjectKind::Procedure
                | ObjectKind::Function
                | ObjectKind::Package
                | ObjectKind::PackageBody,
            ) => Some(Section::Routines),
            (_, ObjectKind::View | ObjectKind::MaterializedView | ObjectKind::Synonym) => {
                Some(Section::Views)
            }
            (_, ObjectKind::Trigger) => Some(Section::Triggers),
            (_, ObjectKind::Constraint) => Some(Section::Constraints),
            (_, ObjectKind::Index) => Some(Section::Indexes),
            (_, ObjectKind::Grant) => Some(Section::Grants),
            (_, ObjectKind::DatabaseLink) => Some(Section::Schemas),
            (Stmt::Opaque { .. }, ObjectKind::Statement) => Some(Section::Data),
            (_, ObjectKind::Statement) => None,
        };
    }
}
