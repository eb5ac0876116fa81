//! Back ends: printers only. They turn IR statements into target SQL text and make no
//! decisions and raise no findings (passes do that).

pub mod mysql;
pub mod postgres;

use crate::Target;
use crate::ir::Stmt;

/// The target statements for one IR statement, without terminators (the emitter adds `;`).
pub fn print_stmt(target: Target, stmt: &Stmt) -> Vec<String> {
    match target {
        Target::Postgres => postgres::print_stmt(stmt),
        Target::Mysql => mysql::print_stmt(stmt),
    }
}
