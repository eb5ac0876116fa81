//! Oracle front end: SQL*Plus splitting (`split`), statement parsing (`ddl`), lowering of each
//! unit to an IR object.

pub mod ddl;
pub mod plsql;
pub mod split;

use rayon::prelude::*;

use crate::Options;
use crate::diag::Finding;
use crate::frontend::parser::{Dialect, Parser};
use crate::ir::{Module, Object, ObjectKind, Stmt};
use crate::rules::codes;
use crate::source::{SourceMap, Span};
use split::{SplitOptions, Unit, UnitKind};

pub fn parse_files(sources: &mut SourceMap, opts: &Options) -> Module {
    let units = split::split_all(
        sources,
        &SplitOptions {
            defines: opts.defines.clone(),
        },
    );
    // Units parse independently (one broken statement never affects another), in parallel;
    // collecting keeps the input order, so the result is deterministic.
    let objects = units.par_iter().map(lower_unit).collect();
    Module { objects }
}

fn lower_unit(u: &Unit) -> Object {
    let span = Span::new(u.file, u.start, u.end);
    let mut obj = match &u.kind {
        UnitKind::Command(name) => Object::new(
            ObjectKind::Statement,
            None,
            span,
            Stmt::Ignored { what: name.clone() },
        ),
        UnitKind::Sql | UnitKind::Plsql => {
            let mut p = Parser::new(&u.text, u.file, u.start, Dialect::Oracle);
            ddl::statement(&mut p, span)
        }
    };
    let mut fs: Vec<Finding> = u.findings.clone();
    fs.append(&mut obj.findings);
    obj.findings = fs;
    obj
}

/// Used for sources whose front end is not there yet: every file is one opaque object.
pub fn unsupported_source(sources: &mut SourceMap, opts: &Options) -> Module {
    let objects = sources
        .files
        .iter()
        .map(|f| {
            let span = Span::new(f.id, 0, f.text.len() as u32);
            let mut o = Object::new(
                ObjectKind::Statement,
                None,
                span,
                Stmt::Opaque {
                    text: f.text.clone(),
                },
            );
            o.commented_out = true;
            o.findings.push(Finding::new(
                &codes::UNKNOWN_STATEMENT,
                span,
                &[&format!("source dialect {}", opts.from.as_str())],
            ));
            o
        })
        .collect();
    Module { objects }
}
