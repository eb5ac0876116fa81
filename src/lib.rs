//! schemac: converts Oracle, SQL Server and SAP ASE schemas and code into PostgreSQL or MySQL
//! scripts plus an assessment report.
//!
//! The API boundary is [`convert`]: sources in, scripts + IR with findings out. The binary
//! (`src/main.rs`) only parses arguments, reads files and writes what `convert` returns.
//! See ARCHITECTURE.md for the map.

pub mod backend;
pub mod diag;
pub mod emit;
pub mod frontend;
pub mod ir;
pub mod passes;
pub mod report;
pub mod rules;
pub mod source;

use source::SourceMap;

/// Source dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceDialect {
    Oracle,
    Tsql,
    Ase,
}

impl SourceDialect {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceDialect::Oracle => "oracle",
            SourceDialect::Tsql => "tsql",
            SourceDialect::Ase => "ase",
        }
    }
}

/// Target database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Postgres,
    Mysql,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Postgres => "postgres",
            Target::Mysql => "mysql",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub from: SourceDialect,
    pub to: Target,
    /// `--define name=value`: SQL*Plus substitution variables (names case-insensitive).
    pub defines: Vec<(String, String)>,
}

impl Options {
    pub fn new(from: SourceDialect, to: Target) -> Options {
        Options {
            from,
            to,
            defines: Vec::new(),
        }
    }
}

/// One output script: `name` is relative to the output directory (`postgres/30_tables.sql`).
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub name: String,
    pub text: String,
}

/// Where an object's first statement landed in the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub file: String,
    pub line: u32,
}

pub struct Output {
    /// Every file read, includes too (FileId = index).
    pub sources: SourceMap,
    /// The converted IR; each object carries its findings.
    pub module: ir::Module,
    pub scripts: Vec<Script>,
    /// Same length and order as `module.objects`.
    pub placements: Vec<Option<Placement>>,
}

/// Converts every file of `sources` (in order) from `opts.from` to `opts.to`.
///
/// Never panics on any input: what cannot be parsed becomes an object with a `PRS` finding.
pub fn convert(mut sources: SourceMap, opts: &Options) -> Output {
    let mut module = frontend::parse(&mut sources, opts);
    passes::run(&mut module, &sources, opts);
    let (scripts, placements) = emit::emit(&module, &sources, opts);
    Output {
        sources,
        module,
        scripts,
        placements,
    }
}

// The converter allocates many small strings and vectors (one IR node per token of input);
// mimalloc is markedly faster than the system allocator for that pattern (see `cargo bench`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
