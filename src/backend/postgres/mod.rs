//! PostgreSQL printer.

use crate::ir::Stmt;

pub fn print_stmt(stmt: &Stmt) -> Vec<String> {
    vec![format!(
        "/* not printed yet: {:?} */",
        std::mem::discriminant(stmt)
    )]
}
