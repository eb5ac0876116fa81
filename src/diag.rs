//! Findings (action items raised on objects) and their severities.
//!
//! A finding is always raised through a [`Code`] constant from `rules::codes` (generated from
//! the catalog in `rules/actions/`), so every code the tool can print has a catalog page.

use crate::ir::Status;
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Review,
    Manual,
    Blocker,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Review => "review",
            Severity::Manual => "manual",
            Severity::Blocker => "blocker",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "review" => Some(Severity::Review),
            "manual" => Some(Severity::Manual),
            "blocker" => Some(Severity::Blocker),
            _ => None,
        }
    }
    /// The object status a finding of this severity implies.
    pub fn status(self) -> Status {
        match self {
            Severity::Info => Status::Converted,
            Severity::Review => Status::Review,
            Severity::Manual => Status::Manual,
            Severity::Blocker => Status::Blocker,
        }
    }
}

/// One entry of the action-item catalog (`rules/actions/<PREFIX>/<CODE>-<name>.md`).
#[derive(Debug, PartialEq)]
pub struct Code {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Estimated hours of work for one occurrence.
    pub effort: f32,
    /// Message template: `{0}`, `{1}` ... are replaced by the finding's arguments.
    pub message: &'static str,
}

impl Code {
    /// The category is the code's letter prefix (`PRS`, `TYP`, ...).
    pub fn category(&self) -> &'static str {
        let n = self
            .code
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(self.code.len());
        &self.code[..n]
    }
    pub fn format(&self, args: &[&str]) -> String {
        let mut s = self.message.to_string();
        for (i, a) in args.iter().enumerate() {
            s = s.replace(&format!("{{{i}}}"), a);
        }
        s
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: &'static Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
}

impl Finding {
    pub fn new(code: &'static Code, span: Span, args: &[&str]) -> Finding {
        Finding {
            code,
            severity: code.severity,
            message: code.format(args),
            span,
        }
    }
}
