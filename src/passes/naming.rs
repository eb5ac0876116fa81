//! Naming (Targeted phase): catalog spellings become target spellings.
//!
//! - unquoted Oracle names (stored upper-case) fold to lower case;
//! - a quoted name that is not a plain upper-case name keeps its case and stays quoted
//!   (TGT003);
//! - target reserved words (grammar/<target>-reserved.txt) are quoted (TGT002);
//! - names longer than the target limit are shortened deterministically: a prefix plus a hash
//!   of the full name, so two long names never collide (TGT001);
//! - owners become schemas: every schema used by an object gets a CREATE SCHEMA.
//!
//! Invariant: the same source name maps to the same target name everywhere.

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

use super::Ctx;
use crate::diag::Finding;
use crate::ir::visit::{VisitMut, walk_stmt};
use crate::ir::*;
use crate::rules::codes;
use crate::{Target, source::Span};

pub struct Rules {
    pub reserved: FxHashSet<String>,
    pub max_len: usize,
}

pub fn rules(target: Target) -> &'static Rules {
    static PG: OnceLock<Rules> = OnceLock::new();
    static MY: OnceLock<Rules> = OnceLock::new();
    match target {
        Target::Postgres => PG.get_or_init(|| Rules {
            reserved: words(include_str!("../../grammar/postgres-reserved.txt")),
            max_len: 63,
        }),
        // MySQL: 64 characters; names are lower case (the DMS guidance for MySQL targets).
        Target::Mysql => MY.get_or_init(|| Rules {
            reserved: words(include_str!("../../grammar/mysql-reserved.txt")),
            max_len: 64,
        }),
    }
}

fn words(text: &str) -> FxHashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// FNV-1a, 32 bits: stable across platforms and releases (unlike std's hasher).
fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// What a catalog name becomes: (target spelling, needs quotes, reason codes).
pub fn convert_name(
    value: &str,
    quoted: bool,
    r: &Rules,
) -> (String, bool, Vec<(&'static crate::diag::Code, String)>) {
    let mut notes = Vec::new();
    let plain_upper = !value.is_empty()
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && value.chars().all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '$' || c == '#'
        });
    let (mut name, mut needs_quotes) = if plain_upper {
        let lower = value.to_ascii_lowercase();
        let special = lower.contains('#') || lower.contains('$');
        (lower, special)
    } else if !quoted {
        // Names from other sources are already in their catalog case.
        let lower = value.to_lowercase();
        let simple = lower
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && lower
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        (lower, !simple)
    } else {
        notes.push((&codes::NAME_CASE, value.to_string()));
        (value.to_string(), true)
    };
    if name.len() > r.max_len {
        let mut cut = r.max_len - 9;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        let short = format!("{}_{:08x}", &name[..cut], fnv1a(&name));
        notes.push((&codes::NAME_TRUNCATED, format!("{name}\u{0}{short}")));
        name = short;
    }
    if !needs_quotes && r.reserved.contains(name.as_str()) {
        needs_quotes = true;
        notes.push((&codes::RESERVED_WORD, name.clone()));
    }
    (name, needs_quotes, notes)
}

struct Namer {
    rules: &'static Rules,
    found: Vec<Finding>,
    seen: HashSet<String>,
}

impl Namer {
    fn rename(&mut self, i: &mut Ident) {
        // Fast path, the common case: a plain upper-case name that folds to a plain name.
        let b = i.value.as_bytes();
        if !b.is_empty()
            && b.len() <= self.rules.max_len
            && (b[0].is_ascii_uppercase() || b[0] == b'_')
            && b.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
        {
            i.value.make_ascii_lowercase();
            // `"ORDER"` and ORDER are the same name; only reserved words go on.
            i.quoted = false;
            if !self.rules.reserved.contains(i.value.as_str()) {
                return;
            }
        }
        let (name, quoted, notes) = convert_name(&i.value, i.quoted, self.rules);
        for (code, arg) in notes {
            if !self.seen.insert(format!("{}{}", code.code, arg)) {
                continue;
            }
            let f = if code.code == codes::NAME_TRUNCATED.code {
                let (full, short) = arg.split_once('\u{0}').unwrap_or((&arg, ""));
                Finding::new(
                    code,
                    i.span,
                    &[full, &self.rules.max_len.to_string(), short],
                )
            } else {
                Finding::new(code, i.span, &[&arg])
            };
            self.found.push(f);
        }
        i.value = name;
        i.quoted = quoted;
    }
}

impl VisitMut for Namer {
    fn ident(&mut self, i: &mut Ident) {
        self.rename(i);
    }
    fn expr(&mut self, e: &mut Expr) {
        // Function names are lower-cased but never quoted as reserved words (`left(...)`).
        if let Expr::Call(c) = e {
            for p in &mut c.name.parts {
                if !p.quoted {
                    lowercase(&mut p.value);
                }
            }
            for a in &mut c.args {
                if let Some(n) = &mut a.name {
                    lowercase(&mut n.value);
                }
            }
        }
    }
}

/// `str::to_lowercase` in place (without a new string when the name is ASCII).
fn lowercase(s: &mut String) {
    if s.is_ascii() {
        s.make_ascii_lowercase();
    } else {
        *s = s.to_lowercase();
    }
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    let rules = rules(ctx.target());
    let mut schemas: BTreeMap<String, (Ident, Span)> = BTreeMap::new();
    for o in &mut module.objects {
        let mut n = Namer {
            rules,
            found: Vec::new(),
            seen: HashSet::new(),
        };
        walk_stmt(&mut n, &mut o.stmt);
        for s in &mut o.attached {
            walk_stmt(&mut n, s);
        }
        if let Some(q) = &mut o.name {
            // The object's own name: no findings (the statement's name raised them).
            let mut quiet = Namer {
                rules,
                found: Vec::new(),
                seen: HashSet::new(),
            };
            quiet.qname(q);
        }
        o.findings.append(&mut n.found);
        if !o.commented_out {
            let schema = match &o.stmt {
                Stmt::CreateTable(t) => t.name.schema(),
                Stmt::CreateView(v) => v.name.schema(),
                Stmt::CreateSequence(s) => s.name.as_ref().and_then(|n| n.schema()),
                Stmt::CreateSynonym(s) => s.name.schema(),
                _ => None,
            };
            if let Some(s) = schema {
                schemas
                    .entry(s.value.clone())
                    .or_insert((s.clone(), o.span));
            }
        }
    }
    let mut new: Vec<Object> = schemas
        .into_values()
        .map(|(id, span)| {
            let mut o = Object::new(
                ObjectKind::Schema,
                Some(QName::single(id.clone())),
                span,
                Stmt::CreateSchema(id),
            );
            o.section = Some(Section::Schemas);
            o
        })
        .collect();
    module.objects.append(&mut new);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let r = rules(Target::Postgres);
        assert_eq!(convert_name("EMPLOYEES", false, r).0, "employees");
        assert_eq!(convert_name("EMPLOYEES", true, r).0, "employees");
        let (n, q, _) = convert_name("MyTable", true, r);
        assert_eq!((n.as_str(), q), ("MyTable", true));
        let (n, q, notes) = convert_name("ORDER", false, r);
        assert_eq!((n.as_str(), q), ("order", true));
        assert_eq!(notes[0].0.code, "TGT002");
        let long = "A".repeat(70);
        let (n, _, notes) = convert_name(&long, false, r);
        assert_eq!(n.len(), 63);
        assert_eq!(notes[0].0.code, "TGT001");
        assert_eq!(convert_name(&long, false, r).0, n, "deterministic");
        let (n, q, _) = convert_name("SYS$X#", false, r);
        assert_eq!((n.as_str(), q), ("sys$x#", true));
    }
}
