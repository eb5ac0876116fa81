//! MySQL-only decisions (Targeted phase, after `storage` and `keys`; a no-op for other
//! targets): the limits of MySQL 8 that the generic passes do not know.
//!
//! - sequences: a sequence whose only use is the default of one key column becomes that
//!   column's AUTO_INCREMENT (DDL029); any other sequence is a one-row table (DDL030) and each
//!   NEXTVAL/CURRVAL use is manual;
//! - columns: VARCHARs beyond 16,383 characters or the 65,535-byte row become TEXT types
//!   (TYP017); INTERVAL types are text (TYP019); DECIMAL limits (TYP018); `CURRENT_TIMESTAMP`
//!   defaults take the column's fractional precision; literal defaults of TEXT/BLOB/JSON
//!   columns are parenthesised; column comments move into the column definition;
//!   global temporary tables become ordinary tables (DDL003 said so);
//! - partitioning: dropped (DDL031) when the table has or receives a foreign key, has a
//!   DEFAULT list partition, or subpartitions; bounds become plain literals;
//! - indexes: key prefixes for long text (DDL032), functional indexes are MySQL 8 only
//!   (TGT004); T-SQL INCLUDE columns dropped (DDL053), filtered indexes unfiltered (DDL054)
//!   or, when unique, not converted (DDL038);
//! - queries: NULLS FIRST/LAST as an IS NULL sort key (QRY012), FULL OUTER JOIN (QRY011).

use std::collections::{BTreeMap, HashSet};

use super::{Ctx, flag};
use crate::diag::Finding;
use crate::ir::visit::VisitMut;
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    if ctx.target() != crate::Target::Mysql {
        return;
    }
    sequences(module);
    // MySQL has no user-defined types.
    for o in &mut module.objects {
        if let Stmt::CreateType(t) = &o.stmt
            && !o.commented_out
        {
            let n = t.name.display();
            let span = o.span;
            super::flag(o, &codes::TYPE_NOT_ON_MYSQL, span, &[&n]);
            o.commented_out = true;
        }
    }
    // MySQL needs the referenced columns of a foreign key spelled out.
    for o in &mut module.objects {
        let cons: Vec<&mut Constraint> = match &mut o.stmt {
            Stmt::CreateTable(t) => t.constraints.iter_mut().collect(),
            Stmt::AlterTable(a) => a
                .actions
                .iter_mut()
                .filter_map(|x| match x {
                    AlterAction::AddConstraint(c) => Some(c),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for c in cons {
            if let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &mut c.kind
                && ref_columns.is_empty()
                && let Some(t) = ctx.symbols.table(ref_table)
            {
                *ref_columns = t
                    .primary_key
                    .iter()
                    .map(|k| Ident::new(k.clone(), ref_table.span()))
                    .collect();
            }
        }
    }
    // Foreign key and check names are unique per database in MySQL (per table in PostgreSQL):
    // a repeated name is prefixed with its table's name.
    let mut seen: HashSet<String> = HashSet::new();
    for o in &mut module.objects {
        let (table, cons): (String, Vec<&mut Constraint>) = match &mut o.stmt {
            Stmt::CreateTable(t) => (t.name.display(), t.constraints.iter_mut().collect()),
            Stmt::AlterTable(a) => (
                a.table.display(),
                a.actions
                    .iter_mut()
                    .filter_map(|x| match x {
                        AlterAction::AddConstraint(c) => Some(c),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => continue,
        };
        for c in cons {
            if !matches!(
                c.kind,
                ConstraintKind::ForeignKey { .. } | ConstraintKind::Check { .. }
            ) {
                continue;
            }
            if let Some(n) = &mut c.name
                && !seen.insert(n.value.to_ascii_uppercase())
            {
                let t = table.rsplit('.').next().unwrap_or("");
                let mut v = format!("{t}_{}", n.value);
                v.truncate(64);
                n.value = v;
                seen.insert(n.value.to_ascii_uppercase());
            }
        }
    }
    let fk_tables = foreign_key_tables(module);
    let not_null = not_null_columns(module, &ctx.symbols);
    for o in &mut module.objects {
        if let Stmt::CreateTable(t) = &mut o.stmt {
            let mut t = std::mem::replace(
                t,
                Box::new(Table {
                    name: QName::single(Ident::new("", Span::default())),
                    columns: Vec::new(),
                    constraints: Vec::new(),
                    temporary: None,
                    partition: None,
                    as_query: None,
                    if_not_exists: false,
                }),
            );
            table(o, &mut t, &fk_tables);
            o.stmt = Stmt::CreateTable(t);
        }
        if let Stmt::CreateView(v) = &o.stmt {
            let name = v.name.display();
            let what = if v.materialized {
                "materialized views"
            } else {
                "views"
            };
            let before = o.attached.len();
            o.attached.retain(|s| !matches!(s, Stmt::Comment(_)));
            if o.attached.len() != before {
                let span = o.span;
                flag(o, &codes::COMMENT_DROPPED, span, &[&name, what]);
            }
        }
        if let Stmt::CreateIndex(i) = &mut o.stmt {
            let mut found = Vec::new();
            let keep = include_and_filter(i, ctx, &mut found);
            index(i, ctx, &mut found);
            o.findings.extend(found);
            if !keep {
                o.commented_out = true;
            }
        }
        let mut q = QueryFix {
            found: Vec::new(),
            syms: &ctx.symbols,
            not_null: &not_null,
            scopes: Vec::new(),
            oracle_nulls: ctx.opts.from == crate::SourceDialect::Oracle,
        };
        super::walk_object(&mut q, o);
        super::add_unique(o, q.found);
    }
    // Oracle compares strings by their bytes (case- and accent-sensitive); MySQL 8's default
    // collation (utf8mb4_0900_ai_ci) does not, which changes WHERE, GROUP BY, ORDER BY and
    // what a unique key accepts. Text columns get the binary collation (code point order;
    // it ignores trailing spaces in comparisons, as Oracle does for CHAR only). ASE's default
    // sort order is binary too; SQL Server's default collations ignore case, as MySQL's do,
    // so SQL Server columns keep the database's collation.
    let binary = ctx.opts.from != crate::SourceDialect::Tsql;
    for o in module.objects.iter_mut().filter(|_| binary) {
        let cols: Vec<&mut Column> = match &mut o.stmt {
            Stmt::CreateTable(t) => t.columns.iter_mut().collect(),
            Stmt::AlterTable(a) => a
                .actions
                .iter_mut()
                .flat_map(|x| match x {
                    AlterAction::AddColumns(cs) => cs.iter_mut().collect::<Vec<_>>(),
                    _ => Vec::new(),
                })
                .collect(),
            _ => Vec::new(),
        };
        for c in cols {
            let text = matches!(
                c.ty.ir,
                Some(Type::Varchar { .. } | Type::Char { .. } | Type::Text { .. })
            );
            if let Some(t) = &mut c.ty.target
                && text
                && !t.contains("COLLATE")
            {
                t.push_str(" COLLATE utf8mb4_bin");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sequences
// ---------------------------------------------------------------------------------------------

struct SeqUses {
    /// (object index, column index) of defaults that are exactly `seq.NEXTVAL`.
    defaults: Vec<(usize, usize)>,
    other: i64,
}

fn seq_key(q: &QName) -> String {
    q.name().value.clone()
}

fn sequences(module: &mut Module) {
    let mut uses: BTreeMap<String, SeqUses> = BTreeMap::new();
    struct Count<'a> {
        uses: &'a mut BTreeMap<String, SeqUses>,
    }
    impl VisitMut for Count<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::NextVal(q, _) | Expr::CurrVal(q, _) = e {
                self.uses
                    .entry(seq_key(q))
                    .or_insert(SeqUses {
                        defaults: Vec::new(),
                        other: 0,
                    })
                    .other += 1;
            }
        }
    }
    for (oi, o) in module.objects.iter_mut().enumerate() {
        if let Stmt::CreateTable(t) = &mut o.stmt {
            for (ci, c) in t.columns.iter_mut().enumerate() {
                if let Some(Expr::NextVal(q, _)) = &c.default {
                    let u = uses.entry(seq_key(q)).or_insert(SeqUses {
                        defaults: Vec::new(),
                        other: 0,
                    });
                    u.defaults.push((oi, ci));
                    // Counted below as "other" too: compensate.
                    u.other -= 1;
                }
            }
        }
        let mut c = Count { uses: &mut uses };
        super::walk_object(&mut c, o);
    }
    let starts: BTreeMap<String, i128> = module
        .objects
        .iter()
        .filter_map(|o| match &o.stmt {
            Stmt::CreateSequence(s) => Some((seq_key(s.name.as_ref()?), s.start?)),
            _ => None,
        })
        .collect();
    let mut fed: BTreeMap<String, String> = BTreeMap::new();
    for (name, u) in &uses {
        if u.other != 0 || u.defaults.len() != 1 {
            continue;
        }
        let (oi, ci) = u.defaults[0];
        let Stmt::CreateTable(t) = &mut module.objects[oi].stmt else {
            continue;
        };
        let col = t.columns[ci].name.value.clone();
        // AUTO_INCREMENT needs an integer column that leads a key.
        let keyed = t.constraints.iter().any(|k| match &k.kind {
            ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
                columns.first().is_some_and(|c| c.value == col)
            }
            _ => false,
        });
        let int = matches!(t.columns[ci].ty.ir, Some(Type::Int { .. }));
        if !keyed || !int || t.columns.iter().any(|c| c.identity.is_some()) {
            continue;
        }
        let c = &mut t.columns[ci];
        c.default = None;
        c.identity = Some(Identity {
            always: false,
            start: starts.get(name).copied(),
            increment: None,
            span: c.span,
        });
        let fed_col = format!("{}.{}", t.name.display(), col);
        let span = c.span;
        module.objects[oi].findings.push(Finding::new(
            &codes::SEQUENCE_AUTO_INCREMENT,
            span,
            &[name, &fed_col],
        ));
        fed.insert(name.clone(), fed_col);
    }
    for o in &mut module.objects {
        let span = o.span;
        let Stmt::CreateSequence(s) = &mut o.stmt else {
            continue;
        };
        let Some(n) = s.name.clone() else { continue };
        let key = seq_key(&n);
        if let Some(col) = fed.get(&key) {
            flag(
                o,
                &codes::SEQUENCE_AUTO_INCREMENT,
                span,
                &[&n.display(), col],
            );
            o.section = None;
            o.stmt = Stmt::Ignored {
                what: "CREATE SEQUENCE".into(),
            };
        } else {
            flag(o, &codes::SEQUENCE_EMULATED, span, &[&n.display()]);
        }
    }
    // A grant on a sequence that became AUTO_INCREMENT names nothing on MySQL.
    for o in &mut module.objects {
        if let Stmt::Grant(g) = &o.stmt
            && g.on_kind == GrantOn::Sequence
            && let Some(on) = &g.on
            && let Some(col) = fed.get(&seq_key(on))
            && !o.commented_out
        {
            let (shown, span) = (on.display(), o.span);
            flag(o, &codes::SEQUENCE_GRANT_DROPPED, span, &[&shown, col]);
            o.commented_out = true;
        }
    }
    super::mysql_sequences::run(module);
    // Every remaining NEXTVAL/CURRVAL needs a person.
    struct Flag {
        found: Vec<Finding>,
    }
    impl VisitMut for Flag {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::NextVal(q, s) | Expr::CurrVal(q, s) = e {
                let what = format!("{}.NEXTVAL/CURRVAL", q.display());
                self.found.push(Finding::new(
                    &codes::FUNCTION_UNSUPPORTED,
                    *s,
                    &[
                        &what,
                        "MySQL has no sequences: read and update the sequence table (DDL030)",
                    ],
                ));
            }
        }
    }
    // A column default that takes a sequence value has no MySQL form: dropped, so that the
    // table is still created; inserts that leave the column out need a value (manual).
    let mut dropped: Vec<(String, String, String)> = Vec::new();
    for o in &module.objects {
        if let Stmt::CreateTable(t) = &o.stmt {
            for c in &t.columns {
                if let Some(Expr::NextVal(q, _)) = &c.default {
                    dropped.push((
                        t.name.display().to_ascii_uppercase(),
                        c.name.value.to_ascii_uppercase(),
                        q.display(),
                    ));
                }
            }
        }
    }
    for o in &mut module.objects {
        if o.commented_out {
            continue;
        }
        if let Stmt::Insert(ins) = &o.stmt {
            let tn = ins.table.display().to_ascii_uppercase();
            for (t, c, seq) in &dropped {
                if *t == tn && !ins.columns.iter().any(|x| x.value.eq_ignore_ascii_case(c)) {
                    let what = format!("{seq}.NEXTVAL/CURRVAL");
                    let why = format!(
                        "MySQL has no sequences: column {} gets no value from its default; give it one",
                        c.to_ascii_lowercase()
                    );
                    let span = o.span;
                    o.findings.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        span,
                        &[&what, &why],
                    ));
                }
            }
        }
        if let Stmt::CreateTable(t) = &mut o.stmt {
            for c in &mut t.columns {
                if let Some(Expr::NextVal(q, span)) = &c.default {
                    let what = format!("{}.NEXTVAL/CURRVAL", q.display());
                    o.findings.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        *span,
                        &[
                            &what,
                            "MySQL has no sequences: the column default is dropped; read and update the sequence table (DDL030) in the inserts",
                        ],
                    ));
                    c.default = None;
                }
            }
        }
        let mut f = Flag { found: Vec::new() };
        super::walk_object(&mut f, o);
        super::add_unique(o, f.found);
    }
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/// Tables that have or receive a foreign key (by last name part, catalog spelling).
fn foreign_key_tables(module: &Module) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut add = |owner: &QName, c: &Constraint| {
        if let ConstraintKind::ForeignKey { ref_table, .. } = &c.kind {
            out.insert(owner.name().value.clone());
            out.insert(ref_table.name().value.clone());
        }
    };
    for o in &module.objects {
        if o.commented_out {
            continue;
        }
        match &o.stmt {
            Stmt::CreateTable(t) => t.constraints.iter().for_each(|c| add(&t.name, c)),
            Stmt::AlterTable(a) => {
                for act in &a.actions {
                    if let AlterAction::AddConstraint(c) = act {
                        add(&a.table, c);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Bytes a column takes in the 65,535-byte row (utf8mb4: 4 bytes a character).
fn row_bytes(t: &Type) -> u64 {
    match t {
        Type::Varchar { len: Some(n), .. } => *n as u64 * 4 + 2,
        Type::Char { len, .. } => *len as u64 * 4,
        Type::Binary { len: Some(n), .. } => *n as u64 + 2,
        Type::Text { .. } | Type::Blob | Type::Varchar { len: None, .. } => 12,
        Type::Decimal { .. } => 30,
        Type::Timestamp { .. } => 8,
        _ => 8,
    }
}

/// The single-part column names an expression refers to.
struct ColumnRefs<'a>(&'a mut Vec<String>);

impl VisitMut for ColumnRefs<'_> {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Column(q) = e
            && q.parts.len() == 1
        {
            self.0.push(q.parts[0].value.clone());
        }
    }
}

/// MySQL refuses generated columns that refer to the AUTO_INCREMENT column or call a
/// non-deterministic function: such a column becomes a plain one (DDL055).
fn generated_columns(o: &mut Object, t: &mut Table) {
    struct Scan<'a> {
        auto_inc: Option<&'a str>,
        why: Option<String>,
    }
    impl VisitMut for Scan<'_> {
        fn expr(&mut self, e: &mut Expr) {
            let why = match e {
                Expr::Column(q) if q.parts.len() == 1 => {
                    let n = &q.parts[0].value;
                    if self.auto_inc.is_some_and(|a| a.eq_ignore_ascii_case(n)) {
                        Some(format!(
                            "it refers to the AUTO_INCREMENT column {}",
                            n.to_ascii_lowercase()
                        ))
                    } else if [
                        "CURRENT_TIMESTAMP",
                        "CURRENT_DATE",
                        "CURRENT_USER",
                        "SYSDATE",
                    ]
                    .iter()
                    .any(|f| q.parts[0].is(f))
                    {
                        Some(format!("{n} is not deterministic"))
                    } else {
                        None
                    }
                }
                Expr::Call(c) => {
                    let n = c.name.name().value.to_ascii_uppercase();
                    let volatile = [
                        "NOW",
                        "CURRENT_TIMESTAMP",
                        "UTC_TIMESTAMP",
                        "SYSDATE",
                        "CURDATE",
                        "CURRENT_DATE",
                        "CURTIME",
                        "UUID",
                        "UUID_SHORT",
                        "RAND",
                        "CURRENT_USER",
                        "USER",
                        "DATABASE",
                        "CONNECTION_ID",
                        "LAST_INSERT_ID",
                        "UNIX_TIMESTAMP",
                    ];
                    volatile
                        .contains(&n.as_str())
                        .then(|| format!("{n}() is not deterministic"))
                }
                _ => None,
            };
            if self.why.is_none() {
                self.why = why;
            }
        }
    }
    let auto_inc = t
        .columns
        .iter()
        .find(|c| c.identity.is_some())
        .map(|c| c.name.value.clone());
    // CHECK constraints: non-deterministic functions are refused too (T-SQL allows
    // `CHECK (BirthDate < GETDATE())`).
    let mut kept = Vec::new();
    for mut k in std::mem::take(&mut t.constraints) {
        if let ConstraintKind::Check { expr, .. } = &mut k.kind {
            let mut scan = Scan {
                auto_inc: None,
                why: None,
            };
            crate::ir::visit::walk_expr(&mut scan, expr);
            if let Some(why) = scan.why {
                let name = k
                    .name
                    .as_ref()
                    .map(|n| n.value.to_ascii_lowercase())
                    .unwrap_or_else(|| "(unnamed)".into());
                o.findings.push(Finding::new(
                    &codes::CHECK_NOT_DETERMINISTIC,
                    k.span,
                    &[&name, &why],
                ));
                continue;
            }
        }
        kept.push(k);
    }
    t.constraints = kept;
    let char_cols: Vec<String> = t
        .columns
        .iter()
        .filter(|c| matches!(c.ty.ir, Some(Type::Char { .. })))
        .map(|c| c.name.value.to_ascii_uppercase())
        .collect();
    for c in &mut t.columns {
        let Some(g) = &mut c.generated else { continue };
        // MariaDB refuses CHAR columns in generated columns (their value depends on the
        // PAD_CHAR_TO_FULL_LENGTH mode); MySQL 8 accepts them.
        let mut refs = Vec::new();
        crate::ir::visit::walk_expr(&mut ColumnRefs(&mut refs), &mut g.expr);
        if refs
            .iter()
            .any(|r| char_cols.contains(&r.to_ascii_uppercase()))
        {
            o.findings.push(Finding::new(
                &codes::MYSQL8_ONLY,
                c.span,
                &["a generated column on a CHAR column", "8.0"],
            ));
        }
        let mut scan = Scan {
            auto_inc: auto_inc.as_deref(),
            why: None,
        };
        crate::ir::visit::walk_expr(&mut scan, &mut g.expr);
        if let Some(why) = scan.why {
            let name = c.name.value.to_ascii_lowercase();
            o.findings.push(Finding::new(
                &codes::GENERATED_NOT_ALLOWED,
                c.span,
                &[&name, &why],
            ));
            c.generated = None;
        } else if c.not_null == Some(true) {
            // NOT NULL on a generated column is MySQL 8 syntax; an expression that cannot be
            // NULL (`IFNULL(x, 0)`) does not need it.
            let never_null = matches!(&g.expr, Expr::Call(k)
                if matches!(k.name.name().value.to_ascii_uppercase().as_str(), "IFNULL" | "COALESCE")
                    && k.args.last().is_some_and(|a| matches!(a.value, Expr::Number(..) | Expr::String(..))));
            if never_null {
                c.not_null = None;
            } else {
                o.findings.push(Finding::new(
                    &codes::MYSQL8_ONLY,
                    c.span,
                    &["NOT NULL on a generated column", "8.0"],
                ));
            }
        }
    }
}

fn table(o: &mut Object, t: &mut Table, fk_tables: &HashSet<String>) {
    t.temporary = None;
    // CHAR values come back without their padding.
    for c in &t.columns {
        if let Some(Type::Char { len, .. }) = &c.ty.ir
            && *len > 1
        {
            o.findings.push(Finding::new(
                &codes::CHAR_PADDING_STRIPPED,
                c.name.span,
                &[&c.name.value.to_ascii_lowercase(), &len.to_string()],
            ));
        }
    }
    // One AUTO_INCREMENT column per table; its step is a server setting.
    let mut first = true;
    for c in &mut t.columns {
        let Some(id) = &c.identity else { continue };
        let name = c.name.value.to_ascii_lowercase();
        if !first {
            o.findings
                .push(Finding::new(&codes::IDENTITY_SECOND, id.span, &[&name]));
            c.identity = None;
            continue;
        }
        first = false;
        if let Some(n) = id.increment.filter(|n| *n != 1) {
            o.findings.push(Finding::new(
                &codes::IDENTITY_INCREMENT,
                id.span,
                &[&name, &n.to_string()],
            ));
        }
    }
    // An AUTO_INCREMENT column must lead a key: identity values are unique, so a UNIQUE key
    // on the column states what the source guarantees.
    for c in &t.columns {
        if c.identity.is_none() || t.as_query.is_some() {
            continue;
        }
        let keyed = t.constraints.iter().any(|k| match &k.kind {
            ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns } => {
                columns.first().is_some_and(|x| x.value == c.name.value)
            }
            _ => false,
        });
        if !keyed {
            t.constraints.push(Constraint {
                name: None,
                kind: ConstraintKind::Unique {
                    columns: vec![c.name.clone()],
                },
                deferrable: None,
                enabled: true,
                validate: true,
                span: c.span,
            });
        }
    }
    generated_columns(o, t);
    let sp = super::types::spellings(crate::Target::Mysql);
    let max = sp.max_varchar.unwrap_or(16383);
    let mut found = Vec::new();
    for c in &mut t.columns {
        let src = c.ty.source.clone();
        let shown = || {
            let args: Vec<String> = src
                .args
                .iter()
                .map(|a| a.map_or("*".into(), |v| v.to_string()))
                .collect();
            if args.is_empty() {
                src.name.clone()
            } else {
                format!("{}({})", src.name, args.join(","))
            }
        };
        match c.ty.ir.clone() {
            Some(Type::Varchar { len: Some(n), .. }) if n > max => {
                let to = if n as u64 * 4 <= 16_777_215 {
                    "mediumtext"
                } else {
                    "longtext"
                };
                found.push(Finding::new(
                    &codes::VARCHAR_TO_TEXT,
                    src.span,
                    &[&shown(), "more than 16,383 characters", to],
                ));
                c.ty.target = Some(to.into());
                c.ty.ir = Some(Type::Text { national: false });
            }
            Some(Type::IntervalYearMonth | Type::IntervalDaySecond { .. }) => {
                found.push(Finding::new(
                    &codes::INTERVAL_AS_TEXT,
                    src.span,
                    &[&src.name, c.ty.target.as_deref().unwrap_or("varchar(32)")],
                ));
            }
            Some(Type::Decimal {
                precision: Some(p),
                scale: Some(s),
            }) if !(0..=30).contains(&s) || s as i64 > p as i64 || p > 65 => {
                let (p2, s2) = if s < 0 {
                    ((p as i64 - s as i64).min(65) as u32, 0)
                } else {
                    let s2 = s.min(30);
                    ((p.max(s2 as u32)).min(65), s2)
                };
                let to = format!("decimal({p2},{s2})");
                found.push(Finding::new(
                    &codes::DECIMAL_LIMIT,
                    src.span,
                    &[&shown(), &to],
                ));
                c.ty.target = Some(to);
            }
            _ => {}
        }
    }
    // The row limit: the longest VARCHARs become TEXT until the row fits.
    loop {
        let total: u64 = t
            .columns
            .iter()
            .map(|c| c.ty.ir.as_ref().map_or(8, row_bytes))
            .sum();
        if total <= 65_000 {
            break;
        }
        let Some(c) = t
            .columns
            .iter_mut()
            .filter(|c| matches!(c.ty.ir, Some(Type::Varchar { len: Some(_), .. })))
            .max_by_key(|c| match c.ty.ir {
                Some(Type::Varchar { len: Some(n), .. }) => n,
                _ => 0,
            })
        else {
            break;
        };
        let src = &c.ty.source;
        let shown = format!(
            "{}({})",
            src.name,
            src.args
                .first()
                .copied()
                .flatten()
                .map(|v| v.to_string())
                .unwrap_or_default()
        );
        found.push(Finding::new(
            &codes::VARCHAR_TO_TEXT,
            src.span,
            &[&shown, "row size above 65,535 bytes", "mediumtext"],
        ));
        c.ty.target = Some("mediumtext".into());
        c.ty.ir = Some(Type::Text { national: false });
    }
    for c in &mut t.columns {
        let ty = c.ty.target.clone().unwrap_or_default();
        let fsp = ty
            .strip_prefix("datetime(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0);
        if let Some(Expr::Raw(text, span)) = &c.default
            && text.eq_ignore_ascii_case("current_timestamp")
            && fsp > 0
        {
            c.default = Some(Expr::Raw(format!("current_timestamp({fsp})"), *span));
        } else if let Some(Expr::Raw(text, span)) = &c.default
            && text.eq_ignore_ascii_case("current_timestamp(6)")
            && fsp != 6
        {
            let t = if fsp == 0 {
                "current_timestamp".to_string()
            } else {
                format!("current_timestamp({fsp})")
            };
            c.default = Some(Expr::Raw(t, *span));
        }
        let lob = ty.ends_with("text") || ty.ends_with("blob") || ty == "json";
        if lob
            && let Some(d) = &c.default
            && matches!(d, Expr::String(..) | Expr::Number(..) | Expr::NString(..))
        {
            let span = d.span();
            c.default = Some(Expr::Tuple(vec![d.clone()], span));
        }
    }
    // InnoDB keys: at most 3,072 bytes (utf8mb4: 4 bytes a character), no whole TEXT column.
    for k in &t.constraints {
        let (ConstraintKind::PrimaryKey { columns } | ConstraintKind::Unique { columns }) = &k.kind
        else {
            continue;
        };
        let bytes: u64 = columns
            .iter()
            .map(|c| {
                match t
                    .columns
                    .iter()
                    .find(|x| x.name.value == c.value)
                    .and_then(|x| x.ty.ir.as_ref())
                {
                    Some(Type::Varchar { len: Some(n), .. }) => *n as u64 * 4,
                    Some(Type::Char { len, .. }) => *len as u64 * 4,
                    Some(Type::Text { .. } | Type::Blob | Type::Varchar { len: None, .. }) => {
                        u64::MAX / 64
                    }
                    _ => 8,
                }
            })
            .sum();
        if bytes > 3072 {
            let name = k
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_else(|| "(unnamed)".into());
            let cols = columns
                .iter()
                .map(|c| c.value.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join(", ");
            found.push(Finding::new(&codes::KEY_TOO_LONG, k.span, &[&name, &cols]));
        }
    }
    // Column comments live in the column definition; table comments stay attached
    // (`ALTER TABLE .. COMMENT`); other comments have no MySQL statement.
    let attached = std::mem::take(&mut o.attached);
    for s in attached {
        match s {
            Stmt::Comment(cm) if cm.on == CommentTarget::Column => {
                let col = cm.name.name().value.clone();
                if let Some(c) = t.columns.iter_mut().find(|c| c.name.value == col) {
                    c.comment = cm.text.clone();
                }
            }
            other => o.attached.push(other),
        }
    }
    if let Some(p) = &mut t.partition {
        let name = t.name.display();
        let reason = if fk_tables.contains(&t.name.name().value) {
            Some("it has or receives a foreign key (MySQL forbids both on partitioned tables)")
        } else if p.partitions.iter().any(|x| {
            matches!(&x.bound, PartitionBound::In(v) if v.iter().any(|e| matches!(e, Expr::Default(_))))
        }) {
            Some("MySQL has no DEFAULT list partition")
        } else if p.subpartition.is_some() {
            Some("MySQL subpartitions only by HASH/KEY of RANGE/LIST partitions")
        } else {
            None
        };
        if let Some(r) = reason {
            found.push(Finding::new(
                &codes::PARTITIONING_DROPPED,
                p.span,
                &[&name, r],
            ));
            t.partition = None;
        } else {
            for part in &mut p.partitions {
                let vals = match &mut part.bound {
                    PartitionBound::LessThan(v) | PartitionBound::In(v) => v,
                    PartitionBound::Hash => continue,
                };
                for v in vals {
                    if let Expr::TypedString { value, span, .. } = v {
                        *v = Expr::String(value.clone(), *span);
                    }
                }
            }
        }
    }
    o.findings.extend(found);
}

// ---------------------------------------------------------------------------------------------
// Indexes
// ---------------------------------------------------------------------------------------------

/// SQL Server INCLUDE columns and filters: MySQL has neither. INCLUDE is dropped (DDL053);
/// a non-unique filtered index covers every row (DDL054); a unique one enforces uniqueness
/// on a subset of rows, which MySQL cannot express: not converted (DDL038). Returns whether
/// the index is kept.
fn include_and_filter(i: &mut Index, ctx: &Ctx, found: &mut Vec<Finding>) -> bool {
    let name = i.name.display();
    if !i.include.is_empty() {
        let cols: Vec<String> = i.include.iter().map(|c| c.value.clone()).collect();
        let span = i.include[0].span;
        found.push(Finding::new(
            &codes::INDEX_INCLUDE_DROPPED,
            span,
            &[&name, &cols.join(", ")],
        ));
        i.include.clear();
    }
    let Some(w) = i.where_.take() else {
        return true;
    };
    let span = w.span();
    let text = ctx.sources.get(span.file).slice(span).to_string();
    if i.unique {
        let what = format!("unique filtered index {name} (WHERE {text})");
        found.push(Finding::new(&codes::INDEX_NOT_CONVERTED, span, &[&what]));
        return false;
    }
    found.push(Finding::new(
        &codes::FILTERED_INDEX,
        span,
        &[&name, &format!("WHERE {text}")],
    ));
    true
}

fn index(i: &mut Index, ctx: &Ctx, found: &mut Vec<Finding>) {
    let name = i.name.display();
    let cols = ctx.symbols.table(&i.table).map(|t| t.columns.clone());
    let n = i.columns.len().max(1) as u32;
    for c in &mut i.columns {
        match &c.expr {
            Expr::Column(q) if q.parts.len() == 1 => {
                let Some(cols) = &cols else { continue };
                let Some((_, src)) = cols.iter().find(|(cn, _)| *cn == q.parts[0].value) else {
                    continue;
                };
                let len = src.args.first().copied().flatten().unwrap_or(0);
                let long = matches!(src.name.as_str(), "CLOB" | "NCLOB" | "LONG")
                    || (src.name.contains("VARCHAR") && len > (768 / n) as i64);
                if long {
                    let p = 768 / n;
                    c.prefix = Some(p);
                    found.push(Finding::new(
                        &codes::INDEX_PREFIX,
                        c.expr.span(),
                        &[
                            &name,
                            &q.parts[0].value.to_ascii_lowercase(),
                            &p.to_string(),
                        ],
                    ));
                }
            }
            e => {
                found.push(Finding::new(
                    &codes::MYSQL8_ONLY,
                    e.span(),
                    &["functional index", "8.0.13 functional key parts"],
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

struct QueryFix<'a> {
    found: Vec<Finding>,
    syms: &'a super::symbols::Symbols,
    /// NOT NULL columns of each table of the symbol table (by `Symbols::infos` index).
    not_null: &'a [HashSet<String>],
    /// The tables visible in each enclosing SELECT (innermost last).
    scopes: Vec<Scope>,
    /// Oracle source: keys get Oracle's order of NULLs (SQL Server and ASE sort them as
    /// MySQL does, first ascending).
    oracle_nulls: bool,
}

/// Tables in a FROM clause: (alias or name, `Symbols::infos` index, on the outer side of an
/// outer join, where its columns can be NULL whatever their declaration).
type Scope = Vec<(String, Option<usize>, bool)>;

fn scope_of(s: &Select, syms: &super::symbols::Symbols) -> Scope {
    fn add(t: &TableRef, outer: bool, syms: &super::symbols::Symbols, out: &mut Scope) {
        match t {
            TableRef::Table { name, alias, .. } => {
                let key = alias.as_ref().unwrap_or(name.name()).value.clone();
                let info = syms
                    .tables
                    .get(&name.display())
                    .copied()
                    .or_else(|| syms.tables.get(&name.name().value).copied());
                out.push((key, info, outer));
            }
            TableRef::Subquery { alias, .. } | TableRef::Function { alias, .. } => {
                if let Some(a) = alias {
                    out.push((a.value.clone(), None, outer));
                }
            }
            TableRef::Join {
                left, right, kind, ..
            } => {
                let (lo, ro) = match kind {
                    JoinKind::Left => (false, true),
                    JoinKind::Right => (true, false),
                    JoinKind::Full => (true, true),
                    _ => (false, false),
                };
                add(left, outer || lo, syms, out);
                add(right, outer || ro, syms, out);
            }
        }
    }
    let mut out = Vec::new();
    for t in &s.from {
        add(t, false, syms, &mut out);
    }
    out
}

/// NOT NULL columns (declared, or in the primary key) of every table in the symbol table.
fn not_null_columns(module: &Module, syms: &super::symbols::Symbols) -> Vec<HashSet<String>> {
    syms.infos
        .iter()
        .map(|info| {
            let mut set: HashSet<String> = info.primary_key.iter().cloned().collect();
            if let Some(Object {
                stmt: Stmt::CreateTable(t),
                ..
            }) = module.objects.get(info.object)
            {
                for c in &t.columns {
                    if c.not_null == Some(true) {
                        set.insert(c.name.value.clone());
                    }
                }
            }
            set
        })
        .collect()
}

/// A short text of a sort key for messages.
fn key_text(e: &Expr) -> String {
    match e {
        Expr::Column(q) => q.display().to_lowercase(),
        Expr::Number(n, _) => n.clone(),
        _ => "an expression".into(),
    }
}

/// `SELECT .. FROM a FULL JOIN b ON c WHERE w` -> `SELECT .. FROM a LEFT JOIN b ON c WHERE w
/// UNION ALL SELECT .. FROM a RIGHT JOIN b ON c WHERE w AND <a unmatched>`, where `a`
/// unmatched is `a.k IS NULL` for a NOT NULL (or primary key) column `k` of `a`, or else
/// `NOT EXISTS (SELECT 1 FROM a schemac_f WHERE c)` with `c` on the copy. The FULL JOIN may
/// sit anywhere its rows are neither dropped nor NULL-extended again (under inner and cross
/// joins, on the preserved side of outer joins), and several are rewritten one after the
/// other. Not with ORDER BY/LIMIT (which would need the union's column names), DISTINCT,
/// GROUP BY or HAVING. Returns whether it rewrote.
fn rewrite_full_join(q: &mut Query, fx: &QueryFix<'_>) -> bool {
    if !q.order_by.is_empty() || q.limit.is_some() || q.offset.is_some() {
        return false;
    }
    let SetExpr::Select(sel) = &q.body else {
        return false;
    };
    match full_join_branches(sel, fx, 0) {
        Some(body) => {
            q.body = body;
            true
        }
        None => false,
    }
}

fn full_join_branches(sel: &Select, fx: &QueryFix<'_>, depth: usize) -> Option<SetExpr> {
    if depth > 8 || sel.distinct || !sel.group_by.is_empty() || sel.having.is_some() {
        return None;
    }
    let (i, (l_from, r_from, unmatched)) = sel
        .from
        .iter()
        .enumerate()
        .find_map(|(i, t)| split_full(t, fx, sel.span).map(|x| (i, x)))?;
    let mut l = sel.clone();
    let mut r = sel.clone();
    l.from[i] = l_from;
    r.from[i] = r_from;
    let mut conds = Vec::new();
    if let Some(w) = r.where_.take() {
        w.split_and(&mut conds);
    }
    conds.push(unmatched);
    r.where_ = Expr::and_all(conds);
    let branch = |s: Select| {
        if s.from.iter().any(has_full_join) {
            full_join_branches(&s, fx, depth + 1)
        } else {
            Some(SetExpr::Select(Box::new(s)))
        }
    };
    Some(SetExpr::SetOp {
        op: SetOp::Union,
        all: true,
        left: Box::new(branch(l)?),
        right: Box::new(branch(r)?),
    })
}

/// The first FULL JOIN of a FROM item that can be split: (the item with it as a LEFT JOIN,
/// the item with it as a RIGHT JOIN, the condition that its left side found no match).
fn split_full(t: &TableRef, fx: &QueryFix<'_>, span: Span) -> Option<(TableRef, TableRef, Expr)> {
    let TableRef::Join {
        left,
        right,
        kind,
        on,
        using,
    } = t
    else {
        return None;
    };
    let rebuild = |l: TableRef, r: TableRef, k: JoinKind| TableRef::Join {
        left: Box::new(l),
        right: Box::new(r),
        kind: k,
        on: on.clone(),
        using: using.clone(),
    };
    match kind {
        JoinKind::Full => {
            let on = on.as_ref()?;
            if !using.is_empty() {
                return None;
            }
            let unmatched = unmatched_left(left, on, fx, span)?;
            Some((
                rebuild((**left).clone(), (**right).clone(), JoinKind::Left),
                rebuild((**left).clone(), (**right).clone(), JoinKind::Right),
                unmatched,
            ))
        }
        JoinKind::Inner | JoinKind::Cross | JoinKind::Left | JoinKind::Right => {
            let left_ok = matches!(kind, JoinKind::Inner | JoinKind::Cross | JoinKind::Left);
            let right_ok = matches!(kind, JoinKind::Inner | JoinKind::Cross | JoinKind::Right);
            if left_ok && let Some((a, b, c)) = split_full(left, fx, span) {
                return Some((
                    rebuild(a, (**right).clone(), *kind),
                    rebuild(b, (**right).clone(), *kind),
                    c,
                ));
            }
            if right_ok && let Some((a, b, c)) = split_full(right, fx, span) {
                return Some((
                    rebuild((**left).clone(), a, *kind),
                    rebuild((**left).clone(), b, *kind),
                    c,
                ));
            }
            None
        }
        JoinKind::Natural => None,
    }
}

/// The condition, on a row of `left RIGHT JOIN ..`, that `left` had no match.
fn unmatched_left(left: &TableRef, on: &Expr, fx: &QueryFix<'_>, span: Span) -> Option<Expr> {
    // The leftmost table of inner joins (and preserved sides): NULL only when unmatched.
    fn anchor(t: &TableRef) -> Option<(&QName, Option<&Ident>)> {
        match t {
            TableRef::Table { name, alias, .. } => Some((name, alias.as_ref())),
            TableRef::Join {
                left,
                kind: JoinKind::Inner | JoinKind::Cross | JoinKind::Left,
                ..
            } => anchor(left),
            _ => None,
        }
    }
    let (name, alias) = anchor(left)?;
    let qual = alias.unwrap_or(name.name()).clone();
    if let Some(i) = fx
        .syms
        .tables
        .get(&name.display())
        .or_else(|| fx.syms.tables.get(&name.name().value))
    {
        let info = &fx.syms.infos[*i];
        let key = info.primary_key.first().cloned().or_else(|| {
            info.columns
                .iter()
                .map(|(c, _)| c)
                .find(|c| fx.not_null[*i].contains(*c))
                .cloned()
        });
        if let Some(k) = key {
            return Some(Expr::IsNull {
                expr: Box::new(Expr::Column(QName {
                    parts: vec![qual, Ident::new(k, span)],
                    dblink: None,
                })),
                not: false,
                span,
            });
        }
    }
    // No such column: an anti-join on a copy of a single left table.
    let TableRef::Table { name, .. } = left else {
        return None;
    };
    struct Requalify<'a> {
        from: &'a str,
        ok: bool,
    }
    impl VisitMut for Requalify<'_> {
        fn expr(&mut self, e: &mut Expr) {
            match e {
                Expr::Column(q) if q.parts.len() >= 2 => {
                    let n = q.parts.len();
                    if q.parts[n - 2].value == self.from {
                        q.parts = vec![
                            Ident::new("SCHEMAC_F", q.parts[n - 2].span),
                            q.parts[n - 1].clone(),
                        ];
                    }
                }
                Expr::Column(_) => self.ok = false,
                Expr::Exists { .. } | Expr::InQuery { .. } | Expr::Subquery(..) => self.ok = false,
                _ => {}
            }
        }
    }
    let mut cond = on.clone();
    let mut rq = Requalify {
        from: &qual.value,
        ok: true,
    };
    crate::ir::visit::walk_expr(&mut rq, &mut cond);
    if !rq.ok {
        return None;
    }
    let inner = Select {
        distinct: false,
        items: vec![SelectItem::Expr {
            expr: Expr::Number("1".into(), span),
            alias: None,
        }],
        from: vec![TableRef::Table {
            name: name.clone(),
            alias: Some(Ident::new("SCHEMAC_F", span)),
            span,
        }],
        where_: Some(cond),
        group_by: Vec::new(),
        having: None,
        connect_by: None,
        span,
    };
    Some(Expr::Exists {
        query: Box::new(Query {
            with: Vec::new(),
            recursive: false,
            body: SetExpr::Select(Box::new(inner)),
            order_by: Vec::new(),
            limit: None,
            offset: None,
            for_update: None,
            span,
        }),
        not: true,
        span,
    })
}

impl QueryFix<'_> {
    /// Whether `e` can be NULL, with the tables of `scope` (and, for aliases, the items of
    /// `items`); unknown means it can.
    fn nullable(&self, e: &Expr, scope: &Scope, items: &[SelectItem]) -> bool {
        match e {
            Expr::Number(..) | Expr::String(..) | Expr::NString(..) | Expr::Bool(..) => false,
            Expr::TypedString { .. } | Expr::Star(_) => false,
            Expr::IsNull { .. } | Expr::IsDistinct { .. } | Expr::Exists { .. } => false,
            Expr::Column(q) => {
                let col = &q.name().value;
                let qual = (q.parts.len() >= 2).then(|| &q.parts[q.parts.len() - 2].value);
                let mut found = false;
                for (name, info, outer) in scope {
                    if qual.is_some_and(|qq| qq != name) {
                        continue;
                    }
                    let Some(i) = info else {
                        if qual.is_some() {
                            return true;
                        }
                        continue;
                    };
                    let info_cols = &self.syms.infos[*i].columns;
                    if info_cols.iter().any(|(c, _)| c == col) {
                        if *outer || !self.not_null[*i].contains(col) {
                            return true;
                        }
                        found = true;
                    }
                }
                if found {
                    return false;
                }
                // An alias of a select item.
                if qual.is_none()
                    && let Some(SelectItem::Expr { expr, .. }) = items.iter().find(|it| {
                        matches!(it, SelectItem::Expr { alias: Some(a), .. } if a.value == *col)
                    })
                    && !matches!(expr, Expr::Column(c) if c.name().value == *col && c.parts.len() == 1)
                {
                    return self.nullable(expr, scope, &[]);
                }
                true
            }
            Expr::Binary { left, right, .. } => {
                self.nullable(left, scope, items) || self.nullable(right, scope, items)
            }
            Expr::Unary { expr, .. } => self.nullable(expr, scope, items),
            Expr::Call(c) => {
                let n = c.name.name().value.to_ascii_uppercase();
                !matches!(
                    n.as_str(),
                    "COUNT"
                        | "ROW_NUMBER"
                        | "RANK"
                        | "DENSE_RANK"
                        | "NTILE"
                        | "CUME_DIST"
                        | "PERCENT_RANK"
                )
            }
            _ => true,
        }
    }

    /// Oracle sorts NULLs last ascending and first descending, MySQL the other way: every
    /// nullable key without NULLS FIRST/LAST gets Oracle's explicit order, then every
    /// NULLS FIRST/LAST becomes an `IS NULL` key. `body` is the query's body for positions
    /// and aliases (None for window and LISTAGG orders).
    fn order(&mut self, items: &mut Vec<OrderItem>, body: Option<&SetExpr>) {
        let scope = self.scopes.last().cloned().unwrap_or_default();
        for it in items.iter_mut() {
            if it.nulls_first.is_some() || !self.oracle_nulls {
                continue;
            }
            let span = it.expr.span();
            let text = key_text(&it.expr);
            let (key, nullable) = match (body, &it.expr) {
                (Some(SetExpr::Select(s)), _) => {
                    let sc = scope_of(s, self.syms);
                    match &it.expr {
                        Expr::Number(n, _) => match n
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| s.items.get(i.wrapping_sub(1)))
                        {
                            Some(SelectItem::Expr {
                                alias: Some(a),
                                expr,
                            }) => (
                                Some(Expr::Column(QName::single(a.clone()))),
                                self.nullable(expr, &sc, &[]),
                            ),
                            Some(SelectItem::Expr { expr, alias: None }) => {
                                (Some(expr.clone()), self.nullable(expr, &sc, &[]))
                            }
                            _ => (None, true),
                        },
                        e => (Some(e.clone()), self.nullable(e, &sc, &s.items)),
                    }
                }
                (Some(set @ SetExpr::SetOp { .. }), e) => {
                    // Result columns of a compound query: named by its first SELECT.
                    let mut first = set;
                    while let SetExpr::SetOp { left, .. } = first {
                        first = unwrap_set(left);
                    }
                    match e {
                        Expr::Number(n, _) => {
                            let name = match first {
                                SetExpr::Select(s) => n
                                    .parse::<usize>()
                                    .ok()
                                    .and_then(|i| s.items.get(i.wrapping_sub(1)))
                                    .and_then(item_name),
                                _ => None,
                            };
                            (name.map(|n| Expr::Column(QName::single(n))), true)
                        }
                        e => (Some(e.clone()), self.nullable(e, &Vec::new(), &[])),
                    }
                }
                (_, e) => (Some(e.clone()), self.nullable(e, &scope, &[])),
            };
            if !nullable {
                continue;
            }
            let Some(key) = key else {
                self.found.push(Finding::new(
                    &codes::NULL_ORDER_NOT_KEPT,
                    span,
                    &[&text, "the position names no column"],
                ));
                continue;
            };
            self.found
                .push(Finding::new(&codes::ORACLE_NULL_ORDER, span, &[&text]));
            // Oracle: NULLs last ascending, first descending.
            it.nulls_first = Some(it.desc);
            if matches!(it.expr, Expr::Number(..)) {
                // The key replaces the position: the IS NULL key needs the expression.
                it.expr = key;
                continue;
            }
        }
        let mut out = Vec::with_capacity(items.len());
        for mut it in std::mem::take(items) {
            if let Some(first) = it.nulls_first.take() {
                let span = it.expr.span();
                // `x IS NULL` sorts 0 before 1: DESC puts NULLs first.
                out.push(OrderItem {
                    expr: Expr::IsNull {
                        expr: Box::new(it.expr.clone()),
                        not: false,
                        span,
                    },
                    desc: first,
                    nulls_first: None,
                });
            }
            out.push(it);
        }
        *items = out;
    }

    /// NULLS FIRST/LAST written in the source: QRY012.
    fn explicit_nulls(&mut self, items: &[OrderItem]) {
        for it in items {
            if let Some(first) = it.nulls_first {
                self.found.push(Finding::new(
                    &codes::NULLS_ORDERING,
                    it.expr.span(),
                    &[if first { "FIRST" } else { "LAST" }],
                ));
            }
        }
    }
}

/// A GROUP BY list that is one `ROLLUP(..)`: MySQL's `GROUP BY .. WITH ROLLUP`.
fn rollup_list(group_by: &[Expr]) -> bool {
    matches!(group_by, [Expr::Call(c)] if c.name.name().is("ROLLUP") && c.over.is_none())
}

fn has_full_join(t: &TableRef) -> bool {
    match t {
        TableRef::Join {
            left, right, kind, ..
        } => *kind == JoinKind::Full || has_full_join(left) || has_full_join(right),
        _ => false,
    }
}

/// The output name of a select item: its alias or its column's last part.
fn item_name(it: &SelectItem) -> Option<Ident> {
    match it {
        SelectItem::Expr { alias: Some(a), .. } => Some(a.clone()),
        SelectItem::Expr {
            expr: Expr::Column(q),
            ..
        } => Some(q.name().clone()),
        _ => None,
    }
}

/// The output column names of a query expression: the items of its first SELECT (aliases,
/// column names, `*` and `t.*` expanded from the symbol table, or from a derived table).
fn output_names(e: &SetExpr, syms: &super::symbols::Symbols) -> Result<Vec<Ident>, String> {
    match e {
        SetExpr::SetOp { left, .. } => output_names(left, syms),
        SetExpr::Query(q) => output_names(&q.body, syms),
        SetExpr::Values(_) => Err("a VALUES list has no column names".into()),
        SetExpr::Select(s) => {
            let mut out = Vec::new();
            for (i, it) in s.items.iter().enumerate() {
                match it {
                    SelectItem::Wildcard(q) => out.extend(wildcard_names(s, q.as_ref(), syms)?),
                    it => out.push(item_name(it).ok_or_else(|| {
                        format!("column {} of the first SELECT has no name", i + 1)
                    })?),
                }
            }
            Ok(out)
        }
    }
}

/// The columns of `*` or `t.*` in a SELECT.
fn wildcard_names(
    s: &Select,
    q: Option<&QName>,
    syms: &super::symbols::Symbols,
) -> Result<Vec<Ident>, String> {
    fn tables<'t>(t: &'t TableRef, out: &mut Vec<&'t TableRef>) {
        match t {
            TableRef::Join { left, right, .. } => {
                tables(left, out);
                tables(right, out);
            }
            t => out.push(t),
        }
    }
    let mut all = Vec::new();
    for t in &s.from {
        tables(t, &mut all);
    }
    let wanted = q.map(|q| q.name().value.clone());
    let mut out = Vec::new();
    for t in all {
        let (key, cols) = match t {
            TableRef::Table { name, alias, .. } => {
                let key = alias.as_ref().unwrap_or(name.name()).value.clone();
                if wanted.as_ref().is_some_and(|w| *w != key) {
                    continue;
                }
                let info = syms
                    .table(name)
                    .ok_or_else(|| format!("the columns of {} are not known", name.display()))?;
                let span = name.name().span;
                let cols: Vec<Ident> = info
                    .columns
                    .iter()
                    .map(|(c, _)| Ident::new(c.clone(), span))
                    .collect();
                (key, cols)
            }
            TableRef::Subquery {
                query,
                alias: Some(a),
                ..
            } => {
                if wanted.as_ref().is_some_and(|w| *w != a.value) {
                    continue;
                }
                (a.value.clone(), output_names(&query.body, syms)?)
            }
            _ => return Err("a * over a table function".into()),
        };
        let _ = key;
        out.extend(cols);
    }
    if out.is_empty() {
        return Err("the columns of * are not known".into());
    }
    Ok(out)
}

/// The first SELECT of a query expression (whose item names name its columns).
fn first_select_mut(e: &mut SetExpr) -> Option<&mut Select> {
    match e {
        SetExpr::Select(s) => Some(s),
        SetExpr::SetOp { left, .. } => first_select_mut(left),
        SetExpr::Query(q) => first_select_mut(&mut q.body),
        SetExpr::Values(_) => None,
    }
}

/// `L MINUS R` -> `SELECT DISTINCT l.* FROM (L) l WHERE NOT EXISTS (SELECT 1 FROM (R with
/// its columns renamed) r WHERE r.c1 <=> l.a AND ...)`; INTERSECT with EXISTS. `<=>`
/// compares NULLs as equal, as Oracle's set operators do; DISTINCT gives their set result.
/// Operands may be any query expression (chains are rewritten inside out: Oracle evaluates
/// set operators left to right, which the IR tree already says). When the columns of L have
/// no names, or for MINUS ALL / INTERSECT ALL, the operator stays (MySQL 8.0.31+), QRY017.
fn rewrite_set_op(
    e: &mut SetExpr,
    span: Span,
    syms: &super::symbols::Symbols,
    found: &mut Vec<Finding>,
) {
    if let SetExpr::Query(q) = e {
        // A parenthesised operand: its own ORDER BY/LIMIT stay with it.
        let sp = q.span;
        rewrite_set_op(&mut q.body, sp, syms, found);
        return;
    }
    let SetExpr::SetOp {
        op,
        all,
        left,
        right,
    } = e
    else {
        return;
    };
    rewrite_set_op(left, span, syms, found);
    rewrite_set_op(right, span, syms, found);
    if *op == SetOp::Union {
        return;
    }
    let what = if *op == SetOp::Except {
        "MINUS"
    } else {
        "INTERSECT"
    };
    let kept = |found: &mut Vec<Finding>, why: &str| {
        found.push(Finding::new(&codes::SET_OPERATION_KEPT, span, &[what, why]));
    };
    if *all {
        return kept(found, "there is no rewrite of the ALL form");
    }
    let names = match output_names(left, syms) {
        Ok(n) => n,
        Err(why) => return kept(found, &why),
    };
    let mut seen = HashSet::new();
    if !names
        .iter()
        .all(|n| seen.insert(n.value.to_ascii_uppercase()))
    {
        return kept(found, "two columns of the first SELECT have the same name");
    }
    // The right operand's columns are renamed SCHEMAC_C1...; `*` is expanded first.
    {
        let Some(r) = first_select_mut(right) else {
            return kept(found, "the second operand is a VALUES list");
        };
        if r.items.iter().any(|i| matches!(i, SelectItem::Wildcard(_))) {
            let mut items = Vec::new();
            for it in &r.items {
                match it {
                    SelectItem::Wildcard(q) => match wildcard_names(r, q.as_ref(), syms) {
                        Ok(cols) => items.extend(cols.into_iter().map(|c| {
                            let parts = match q {
                                Some(q) => vec![q.name().clone(), c],
                                None => vec![c],
                            };
                            SelectItem::Expr {
                                expr: Expr::Column(QName {
                                    parts,
                                    dblink: None,
                                }),
                                alias: None,
                            }
                        })),
                        Err(why) => return kept(found, &why),
                    },
                    it => items.push(it.clone()),
                }
            }
            r.items = items;
        }
        if r.items.len() != names.len() {
            return kept(found, "the operands have different numbers of columns");
        }
        for (i, it) in r.items.iter_mut().enumerate() {
            if let SelectItem::Expr { alias, .. } = it {
                *alias = Some(Ident::new(format!("SCHEMAC_C{}", i + 1), span));
            }
        }
    }
    let with = if *op == SetOp::Except {
        "NOT EXISTS"
    } else {
        "EXISTS"
    };
    found.push(Finding::new(
        &codes::SET_OPERATION_REWRITTEN,
        span,
        &[what, with],
    ));
    let col = |t: &str, n: Ident| {
        Expr::Column(QName {
            parts: vec![Ident::new(t, span), n],
            dblink: None,
        })
    };
    let conds: Vec<Expr> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Expr::IsDistinct {
            left: Box::new(col(
                "SCHEMAC_R",
                Ident::new(format!("SCHEMAC_C{}", i + 1), span),
            )),
            right: Box::new(col("SCHEMAC_L", n.clone())),
            not: true,
            span,
        })
        .collect();
    let as_query = |b: SetExpr| {
        Box::new(Query {
            with: Vec::new(),
            recursive: false,
            body: b,
            order_by: Vec::new(),
            limit: None,
            offset: None,
            for_update: None,
            span,
        })
    };
    let dummy = || SetExpr::Values(Vec::new());
    let l = std::mem::replace(left.as_mut(), dummy());
    let r = std::mem::replace(right.as_mut(), dummy());
    let inner = Select {
        distinct: false,
        items: vec![SelectItem::Expr {
            expr: Expr::Number("1".into(), span),
            alias: None,
        }],
        from: vec![TableRef::Subquery {
            query: as_query(r),
            alias: Some(Ident::new("SCHEMAC_R", span)),
            lateral: false,
            span,
        }],
        where_: Expr::and_all(conds),
        group_by: Vec::new(),
        having: None,
        connect_by: None,
        span,
    };
    let outer = Select {
        distinct: true,
        items: vec![SelectItem::Wildcard(Some(QName::single(Ident::new(
            "SCHEMAC_L",
            span,
        ))))],
        from: vec![TableRef::Subquery {
            query: as_query(l),
            alias: Some(Ident::new("SCHEMAC_L", span)),
            lateral: false,
            span,
        }],
        where_: Some(Expr::Exists {
            query: as_query(SetExpr::Select(Box::new(inner))),
            not: *op == SetOp::Except,
            span,
        }),
        group_by: Vec::new(),
        having: None,
        connect_by: None,
        span,
    };
    *e = SetExpr::Select(Box::new(outer));
}

fn unwrap_set(e: &SetExpr) -> &SetExpr {
    match e {
        SetExpr::Query(q)
            if q.with.is_empty()
                && q.order_by.is_empty()
                && q.limit.is_none()
                && q.offset.is_none() =>
        {
            unwrap_set(&q.body)
        }
        _ => e,
    }
}

impl VisitMut for QueryFix<'_> {
    fn enter_select(&mut self, s: &mut Select) {
        let sc = scope_of(s, self.syms);
        self.scopes.push(sc);
    }
    fn query(&mut self, q: &mut Query) {
        self.explicit_nulls(&q.order_by);
        let mut order = std::mem::take(&mut q.order_by);
        self.order(&mut order, Some(&q.body));
        q.order_by = order;
        if rewrite_full_join(q, self) {
            self.found
                .push(Finding::new(&codes::FULL_JOIN_REWRITTEN, q.span, &[]));
        }
        let span = q.span;
        rewrite_set_op(&mut q.body, span, self.syms, &mut self.found);
        // MariaDB refuses ORDER BY on a WITH ROLLUP query (MySQL accepts it since 8.0.12).
        if !q.order_by.is_empty()
            && let SetExpr::Select(s) = &q.body
            && rollup_list(&s.group_by)
        {
            self.found.push(Finding::new(
                &codes::MYSQL8_ONLY,
                q.span,
                &["ORDER BY on a GROUP BY ... WITH ROLLUP query", "8.0.12"],
            ));
        }
    }
    fn select(&mut self, s: &mut Select) {
        self.scopes.pop();
        fn lateral(t: &TableRef) -> bool {
            match t {
                TableRef::Subquery { lateral, .. } => *lateral,
                TableRef::Join { left, right, .. } => lateral(left) || lateral(right),
                _ => false,
            }
        }
        if s.from.iter().any(lateral) {
            self.found.push(Finding::new(
                &codes::MYSQL8_ONLY,
                s.span,
                &["a LATERAL derived table", "8.0.14"],
            ));
        }
        // ROLLUP(..) is MySQL's `WITH ROLLUP` only when it is the whole GROUP BY list.
        if !rollup_list(&s.group_by)
            && let Some(c) = s.group_by.iter().find_map(|e| match e {
                Expr::Call(c) if c.name.name().is("ROLLUP") => Some(c),
                _ => None,
            })
        {
            self.found.push(Finding::new(
                &codes::FUNCTION_UNSUPPORTED,
                c.span,
                &[
                    "ROLLUP",
                    "MySQL's WITH ROLLUP rolls up the whole GROUP BY list; write the other grouping sets as a UNION ALL",
                ],
            ));
        }
        if s.from.iter().any(has_full_join) {
            self.found.push(Finding::new(
                &codes::FULL_OUTER_JOIN,
                s.span,
                &["write it as a LEFT JOIN UNION ALL the unmatched rows of a RIGHT JOIN"],
            ));
        }
    }
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Call(c) = e
            && c.name.parts.len() == 1
            && c.name.name().is("GROUPING")
        {
            self.found.push(Finding::new(
                &codes::MYSQL8_ONLY,
                c.span,
                &["GROUPING()", "8.0.1"],
            ));
        }
        if let Expr::Call(c) = e {
            if let Some(w) = &mut c.over {
                self.explicit_nulls(&w.order_by);
                self.order(&mut w.order_by, None);
            }
            self.explicit_nulls(&c.within_group);
            self.order(&mut c.within_group, None);
        }
    }
}
