//! The ordered pipeline of rewrites and checks. Reading [`PIPELINE`] is reading the compiler.
//!
//! A pass is `fn(&mut Module, &mut Ctx)`. Passes decide and raise findings (through
//! `rules::codes` constants); back ends only print.

pub mod depends;
pub mod functions;
pub mod functions_tsql;
pub mod hierarchy;
pub mod keys;
pub mod locking;
pub mod merge;
pub mod merge_into;
pub mod mysql;
pub mod mysql_sequences;
pub mod naming;
pub mod outer_join;
pub mod plsql;
pub mod plsql_tsql;
pub mod sections;
pub mod storage;
pub mod symbols;
pub mod types;
pub mod types_tsql;

use crate::diag::{Code, Finding};
use crate::ir::{Module, Object};
use crate::source::{SourceMap, Span};
use crate::{Options, Target};

pub struct Ctx<'a> {
    pub opts: &'a Options,
    pub sources: &'a SourceMap,
    pub symbols: symbols::Symbols,
}

impl Ctx<'_> {
    pub fn target(&self) -> Target {
        self.opts.to
    }
}

pub type Pass = fn(&mut Module, &mut Ctx);

/// Phases: Lowered -> Resolved -> Normalized -> Targeted -> Ready.
pub static PIPELINE: &[(&str, Pass)] = &[
    // Resolved: the symbol table of every object in every file.
    ("symbols", symbols::run),
    // Normalized: ALTER TABLE folded, comments attached, duplicate indexes merged, FKs lifted.
    ("merge", merge::run),
    ("virtual-column-types", types::infer_virtual_types),
    ("outer-joins", outer_join::run),
    ("rownum-connect-by", hierarchy::run),
    // PL/SQL: names resolved, calls, exceptions, triggers (before functions and types).
    ("plsql", plsql::run),
    // T-SQL / ASE procedures, functions and triggers (before functions-tsql and types).
    ("plsql-tsql", plsql_tsql::run),
    // MERGE: Oracle DELETE WHERE, BY SOURCE clauses, MySQL's separate statements.
    ("merge-into", merge_into::run),
    // Targeted: built-in functions, pseudo-columns, operators (needs source types: before types).
    ("functions", functions::run),
    ("functions-tsql", functions_tsql::run),
    ("types", types::run),
    ("row-locking", locking::run),
    ("storage", storage::run),
    ("keys", keys::run),
    // MySQL's own limits and rewrites (sequences, row size, partitions, keys): no-op elsewhere.
    ("mysql", mysql::run),
    ("depends", depends::run),
    // Names last: every rewrite above works on catalog spellings.
    ("naming", naming::run),
    // Ready: every object gets its output section.
    ("unsupported-pairs", sections::unsupported_pairs),
    ("sections", sections::run),
];

pub fn run(module: &mut Module, sources: &SourceMap, opts: &Options) {
    let mut ctx = Ctx {
        opts,
        sources,
        symbols: Default::default(),
    };
    // SCHEMAC_TIMINGS=1 prints the time of each pass on stderr (for profiling).
    let timings = std::env::var_os("SCHEMAC_TIMINGS").is_some();
    for (name, pass) in PIPELINE {
        let t = std::time::Instant::now();
        pass(module, &mut ctx);
        if timings {
            eprintln!(
                "pass {name:<22} {:>8.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Runs a visitor over an object's statement and its attached statements.
pub fn walk_object<V: crate::ir::visit::VisitMut>(v: &mut V, o: &mut Object) {
    crate::ir::visit::walk_stmt(v, &mut o.stmt);
    for s in &mut o.attached {
        crate::ir::visit::walk_stmt(v, s);
    }
}

/// Adds findings to an object, once per code and message (a rewrite applied to ten columns
/// needs saying once).
pub fn add_unique(o: &mut Object, found: Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    for f in found {
        if seen.insert((f.code.code, f.message.clone())) {
            o.findings.push(f);
        }
    }
}

/// Raises a finding on an object.
pub fn flag(obj: &mut Object, code: &'static Code, span: Span, args: &[&str]) {
    obj.findings.push(Finding::new(code, span, args));
}
