//! The ordered pipeline of rewrites and checks. Reading [`PIPELINE`] is reading the compiler.
//!
//! A pass is `fn(&mut Module, &mut Ctx)`. Passes decide and raise findings (through
//! `rules::codes` constants); back ends only print.

pub mod sections;

use crate::diag::{Code, Finding};
use crate::ir::{Module, Object};
use crate::source::{SourceMap, Span};
use crate::{Options, Target};

pub struct Ctx<'a> {
    pub opts: &'a Options,
    pub sources: &'a SourceMap,
}

impl Ctx<'_> {
    pub fn target(&self) -> Target {
        self.opts.to
    }
}

pub type Pass = fn(&mut Module, &mut Ctx);

/// Phases: Lowered -> Resolved -> Normalized -> Targeted -> Ready.
pub static PIPELINE: &[(&str, Pass)] = &[
    // Ready: every object gets its output section.
    ("sections", sections::run),
];

pub fn run(module: &mut Module, sources: &SourceMap, opts: &Options) {
    let mut ctx = Ctx { opts, sources };
    for (_, pass) in PIPELINE {
        pass(module, &mut ctx);
    }
}

/// Raises a finding on an object.
pub fn flag(obj: &mut Object, code: &'static Code, span: Span, args: &[&str]) {
    obj.findings.push(Finding::new(code, span, args));
}
