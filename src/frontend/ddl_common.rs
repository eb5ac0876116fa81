//! DDL syntax shared by the front ends (Oracle and T-SQL spell these alike).

use super::lexer::Tok;
use super::parser::{PResult, Parser};
use crate::ir::{IndexColumn, Object, ObjectKind, Stmt};
use crate::source::Span;

impl<'a> Parser<'a> {
    /// `( expr [ASC|DESC], ... )`: the column list of CREATE INDEX.
    pub fn index_column_list(&mut self) -> PResult<Vec<IndexColumn>> {
        self.expect(Tok::LParen, "`(`")?;
        let mut columns = Vec::new();
        loop {
            let expr = self.expr()?;
            let desc = if self.eat_kw("DESC") {
                true
            } else {
                self.eat_kw("ASC");
                false
            };
            columns.push(IndexColumn {
                expr,
                desc,
                prefix: None,
            });
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.expect(Tok::RParen, "`)`")?;
        Ok(columns)
    }

    /// INSERT, UPDATE, DELETE or MERGE (cursor on the keyword) as a data object spanning `span`.
    pub fn dml_object(&mut self, span: Span) -> PResult<Object> {
        let (table, stmt) = if self.at_kw("INSERT") {
            let i = self.insert_stmt()?;
            (i.table.clone(), Stmt::Insert(Box::new(i)))
        } else if self.at_kw("MERGE") {
            let m = self.merge_stmt()?;
            (m.table.clone(), Stmt::Merge(Box::new(m)))
        } else if self.at_kw("UPDATE") {
            let u = self.update_stmt()?;
            (u.table.clone(), Stmt::Update(Box::new(u)))
        } else {
            let d = self.delete_stmt()?;
            (d.table.clone(), Stmt::Delete(Box::new(d)))
        };
        Ok(Object::new(ObjectKind::Data, Some(table), span, stmt))
    }
}
