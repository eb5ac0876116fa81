//! Row locking (Targeted phase): `SELECT ... FOR UPDATE`.
//!
//! Oracle's `FOR UPDATE OF col` names columns; PostgreSQL and MySQL 8 name the tables (or
//! aliases) whose rows are locked. Each column becomes the table it belongs to: its qualifier
//! (`e.sal` -> `e`), the only table of the query, or the one table of the FROM list that has
//! the column in the symbol table. When a column's table cannot be told, `OF` is dropped (the
//! rows of every table are locked) with QRY024. On MySQL `OF` is dropped too when the query
//! reads one table (the same rows are locked; MariaDB does not take `OF`). `WAIT n` has no
//! counterpart on either target: it becomes a plain wait, with QRY024.

use super::Ctx;
use super::symbols::Symbols;
use crate::diag::Finding;
use crate::ir::visit::{VisitMut, walk_stmt};
use crate::ir::*;
use crate::rules::codes;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    for o in &mut module.objects {
        if o.commented_out {
            continue;
        }
        let mut v = Locking {
            syms: &ctx.symbols,
            target: ctx.target(),
            found: Vec::new(),
        };
        walk_stmt(&mut v, &mut o.stmt);
        o.findings.append(&mut v.found);
    }
}

struct Locking<'a> {
    syms: &'a Symbols,
    target: crate::Target,
    found: Vec<Finding>,
}

/// A table of the FROM list: its name and the name it is referred to by.
struct FromTable<'q> {
    name: &'q QName,
    alias: Option<&'q Ident>,
}

impl FromTable<'_> {
    fn reference(&self) -> QName {
        match self.alias {
            Some(a) => QName::single(a.clone()),
            None => self.name.clone(),
        }
    }
    fn is_called(&self, q: &QName) -> bool {
        match self.alias {
            Some(a) => q.parts.len() == 1 && q.parts[0].value == a.value,
            None => q.name().value == self.name.name().value,
        }
    }
}

fn from_tables<'q>(t: &'q TableRef, out: &mut Vec<FromTable<'q>>) {
    match t {
        TableRef::Table { name, alias, .. } => out.push(FromTable {
            name,
            alias: alias.as_ref(),
        }),
        TableRef::Join { left, right, .. } => {
            from_tables(left, out);
            from_tables(right, out);
        }
        _ => {}
    }
}

impl Locking<'_> {
    fn decide(&mut self, f: &mut ForUpdate, body: &SetExpr) {
        if let LockWait::Seconds(n) = f.wait {
            f.wait = LockWait::Wait;
            let why = format!(
                "WAIT {n} has no counterpart on the target; the statement waits for the \
                 session's lock timeout"
            );
            self.found
                .push(Finding::new(&codes::ROW_LOCKING, f.span, &[&why]));
        }
        if f.of.is_empty() {
            return;
        }
        let mut tables = Vec::new();
        if let SetExpr::Select(s) = body {
            for t in &s.from {
                from_tables(t, &mut tables);
            }
        }
        let mut of: Vec<QName> = Vec::new();
        let mut unresolved = None;
        for col in &f.of {
            let owner = if col.parts.len() >= 2 {
                let qual = QName {
                    parts: col.parts[..col.parts.len() - 1].to_vec(),
                    dblink: None,
                };
                tables.iter().find(|t| t.is_called(&qual))
            } else if tables.len() == 1 {
                tables.first()
            } else {
                let has: Vec<&FromTable> = tables
                    .iter()
                    .filter(|t| {
                        self.syms
                            .table(t.name)
                            .is_some_and(|i| i.columns.iter().any(|(c, _)| *c == col.name().value))
                    })
                    .collect();
                if has.len() == 1 { Some(has[0]) } else { None }
            };
            match owner {
                Some(t) => {
                    let r = t.reference();
                    if !of.iter().any(|x| x.display() == r.display()) {
                        of.push(r);
                    }
                }
                None => {
                    unresolved = Some(col.display());
                    break;
                }
            }
        }
        if let Some(c) = unresolved {
            let why = format!(
                "the table of column {c} in OF is not known; the rows of every table of the \
                 query are locked"
            );
            self.found
                .push(Finding::new(&codes::ROW_LOCKING, f.span, &[&why]));
            f.of.clear();
        } else if self.target == crate::Target::Mysql && tables.len() <= 1 {
            f.of.clear();
        } else {
            if self.target == crate::Target::Mysql {
                self.found.push(Finding::new(
                    &codes::MYSQL8_ONLY,
                    f.span,
                    &["FOR UPDATE OF table", "8.0.1"],
                ));
            }
            f.of = of;
        }
    }
}

impl VisitMut for Locking<'_> {
    fn query(&mut self, q: &mut Query) {
        if let Some(mut f) = q.for_update.take() {
            self.decide(&mut f, &q.body);
            q.for_update = Some(f);
        }
    }
}
