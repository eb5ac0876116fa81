//! Front ends: split -> lex -> parse -> lower to IR. One folder per source family; the lexer,
//! the token cursor and the expression/query parser are shared.

pub mod ddl_common;
pub mod expr;
pub mod lexer;
pub mod oracle;
pub mod parser;
pub mod query;
pub mod tsql;
pub mod types;

use crate::source::SourceMap;
use crate::{Options, SourceDialect, ir};

/// Parses every file currently in `sources` (includes found on the way are appended to it).
pub fn parse(sources: &mut SourceMap, opts: &Options) -> ir::Module {
    match opts.from {
        SourceDialect::Oracle => oracle::parse_files(sources, opts),
        SourceDialect::Tsql | SourceDialect::Ase => tsql::parse_files(sources, opts),
    }
}
