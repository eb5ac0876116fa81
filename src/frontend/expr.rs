//! The expression parser shared by all dialects (Pratt parser over the token cursor).

use super::parser::{PResult, Parser};
use crate::ir::Expr;

impl<'a> Parser<'a> {
    /// Parses one expression (full precedence: OR, AND, NOT, comparisons, IS NULL, LIKE, IN,
    /// BETWEEN, `||`, `+ -`, `* /`, unary, postfix `(+)`, primaries).
    pub fn expr(&mut self) -> PResult<Expr> {
        Err(self.error("expressions are not parsed yet"))
    }
}
