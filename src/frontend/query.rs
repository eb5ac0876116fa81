//! The query parser shared by all dialects: SELECT with set operations, joins, CTEs, and the
//! DML statements INSERT / UPDATE / DELETE.

use super::parser::{PResult, Parser};
use crate::ir::{Delete, Insert, Query, Update};

impl<'a> Parser<'a> {
    /// A query expression starting at `SELECT`, `WITH` or `(`.
    pub fn query(&mut self) -> PResult<Query> {
        Err(self.error("queries are not parsed yet"))
    }
    /// Cursor at `INSERT`.
    pub fn insert_stmt(&mut self) -> PResult<Insert> {
        Err(self.error("INSERT is not parsed yet"))
    }
    /// Cursor at `UPDATE`.
    pub fn update_stmt(&mut self) -> PResult<Update> {
        Err(self.error("UPDATE is not parsed yet"))
    }
    /// Cursor at `DELETE`.
    pub fn delete_stmt(&mut self) -> PResult<Delete> {
        Err(self.error("DELETE is not parsed yet"))
    }
}
