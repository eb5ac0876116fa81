//! Constant dynamic SQL: `EXECUTE IMMEDIATE` whose text is known when the code is converted
//! (a string literal or a `||` of literals) is converted like a statement of the script.
//!
//! The text goes through the Oracle front end and the whole [`PIPELINE`](super::super::PIPELINE)
//! on a source map of its own, and the converted statement is printed for the target; the
//! caller (the plsql pass) replaces the string with that text. Bind placeholders (`:1`,
//! `:name`) are bound by position, as Oracle binds them in SQL statements: PostgreSQL `$n` in
//! order of appearance in the Oracle text, MySQL `?` with the index of the `USING` value each
//! one reads, in the order the converted text has them.

use crate::diag::{Finding, Severity};
use crate::ir::visit::{VisitMut, walk_stmt};
use crate::ir::*;
use crate::passes::symbols::Symbols;
use crate::source::{SourceMap, Span};
use crate::{Options, SourceDialect, Target};

/// The value of a constant string expression: a literal or a `||` of literals (Oracle's `''`
/// is NULL, and NULL `||` x is x, so an empty literal adds nothing).
pub(super) fn constant_text(e: &Expr) -> Option<String> {
    match e {
        Expr::String(s, _) | Expr::NString(s, _) => Some(s.clone()),
        Expr::Binary {
            op: BinOp::Concat,
            left,
            right,
            ..
        } => {
            let mut l = constant_text(left)?;
            l.push_str(&constant_text(right)?);
            Some(l)
        }
        _ => None,
    }
}

/// The user variable that receives the `i`-th (0-based) `INTO` value on MySQL.
pub(super) fn into_var(i: usize) -> String {
    format!("@schemac_into{}", i + 1)
}

/// A converted constant statement.
#[derive(Debug)]
pub(super) struct Converted {
    /// The target's statements, in order, without `;`.
    pub stmts: Vec<String>,
    /// MySQL: for each `?` of `stmts` in order, the index of the `USING` value it reads.
    pub binds: Vec<usize>,
    /// What the conversion reported (info and review only; spans are the inner text's).
    pub found: Vec<Finding>,
    /// The table a DML statement changes when the input does not create it: what is done
    /// ("inserts into" ...) and the table's name.
    pub unknown: Vec<(&'static str, String)>,
}

/// Marks a bind placeholder in the printed text (a byte no SQL text of ours contains).
const MARK: char = '\u{1}';

/// Converts `text`, one Oracle SQL statement, for `target`. `using`: the number of `USING`
/// values; `into`: the number of `INTO` targets (MySQL: the query stores its row into
/// [`into_var`]s). `Err` says why the text is kept as it is.
pub(super) fn convert(
    text: &str,
    using: usize,
    into: usize,
    target: Target,
    syms: &Symbols,
) -> Result<Converted, String> {
    if text.contains(MARK) {
        return Err("the text contains a control character".into());
    }
    let trimmed = text.trim_end();
    if trimmed.ends_with(';') || trimmed.ends_with('/') {
        return Err(
            "the text ends with `;` or `/` (a PL/SQL block, or ORA-00911 on Oracle)".into(),
        );
    }
    if trimmed.trim().is_empty() {
        return Err("the text is empty".into());
    }
    let opts = Options::new(SourceDialect::Oracle, target);
    let mut sources = SourceMap::default();
    // A query alone is a script statement to the front end: it is read as a view's query.
    let query = starts_query(text);
    let wrapped = if query {
        format!("CREATE VIEW schemac_dynamic AS {text}")
    } else {
        text.to_string()
    };
    sources.add_text("dynamic SQL", wrapped);
    let mut module = crate::frontend::parse(&mut sources, &opts);
    if query
        && module.objects.len() == 1
        && let Stmt::CreateView(v) = &module.objects[0].stmt
        && module.objects[0]
            .findings
            .iter()
            .all(|f| !f.code.code.starts_with("PRS"))
    {
        let q = v.query.clone();
        module.objects[0].stmt = Stmt::Query(q);
        module.objects[0].kind = ObjectKind::Data;
    }
    if module.objects.len() != 1 {
        return Err(format!(
            "the text holds {} statements, not one",
            module.objects.len()
        ));
    }
    {
        let o = &module.objects[0];
        if let Some(f) = o.findings.iter().find(|f| f.code.code.starts_with("PRS")) {
            let what = if f.code.code == "PRS008" {
                "the converter does not write this statement"
            } else {
                "the text does not parse"
            };
            return Err(format!("{what}: {} {}", f.code.code, f.message));
        }
        let kind = match &o.stmt {
            Stmt::CreateRoutine(_)
            | Stmt::CreateTrigger(_)
            | Stmt::CreatePackage(_)
            | Stmt::AnonymousBlock(_)
            | Stmt::Routine(_) => Some("PL/SQL code"),
            Stmt::Ignored { .. } => Some("a statement the converter does not represent"),
            Stmt::Opaque { .. } => Some("a statement the converter does not read"),
            _ => None,
        };
        if let Some(k) = kind {
            return Err(format!("the text is {k}"));
        }
        if o.commented_out {
            return Err("the statement is not converted".into());
        }
        if into > 0 && !matches!(o.stmt, Stmt::Query(_)) {
            return Err("INTO needs a query".into());
        }
    }
    // Placeholders, numbered by their position in the Oracle text.
    let mut binds = Binds::default();
    walk_stmt(&mut binds, &mut module.objects[0].stmt);
    if binds.arithmetic {
        return Err(
            "a bind placeholder is an operand of + or -: the conversion cannot tell a number from days added to a date"
                .into(),
        );
    }
    binds.starts.sort_unstable();
    binds.starts.dedup();
    if binds.starts.len() != using {
        return Err(format!(
            "{} bind placeholders for {} USING values",
            binds.starts.len(),
            using
        ));
    }
    if using > 0
        && !matches!(
            module.objects[0].stmt,
            Stmt::Query(_) | Stmt::Insert(_) | Stmt::Update(_) | Stmt::Delete(_)
        )
    {
        return Err("bind placeholders in a DDL statement (ORA-01027 on Oracle)".into());
    }
    // The tables the statement names, as the input defines them, so that the passes know their
    // columns (written before the statement; not printed).
    let mut unknown = Vec::new();
    let context = context_tables(&mut module.objects[0], syms, &mut unknown);
    let skip = context.len();
    module.objects.splice(0..0, context);
    super::super::run(&mut module, &sources, &opts);
    if module.objects.len() <= skip {
        return Err("its conversion writes no statement".into());
    }
    // A query: the statement is the view's query.
    if query {
        let o = &mut module.objects[skip];
        match std::mem::replace(
            &mut o.stmt,
            Stmt::Ignored {
                what: String::new(),
            },
        ) {
            Stmt::CreateView(v) => o.stmt = Stmt::Query(v.query),
            other => o.stmt = other,
        }
    }
    let module_objects = module.objects.split_off(skip);
    module.objects = module_objects;
    let mut found = Vec::new();
    for o in &module.objects {
        for f in &o.findings {
            if matches!(f.severity, Severity::Manual | Severity::Blocker) {
                return Err(format!(
                    "its conversion needs manual work: {} {}",
                    f.code.code, f.message
                ));
            }
            found.push(f.clone());
        }
        if o.commented_out {
            return Err("its conversion is commented out".into());
        }
    }
    // The statements in the order the script would have them (by section, then input order).
    let mut order: Vec<usize> = (0..module.objects.len()).collect();
    order.sort_by_key(|&i| {
        let s = module.objects[i].section;
        let rank = s.and_then(|s| Section::ALL.iter().position(|x| *x == s));
        (rank.unwrap_or(usize::MAX), i)
    });
    let mut stmts = Vec::new();
    for i in order {
        let o = &mut module.objects[i];
        if o.section.is_none() {
            continue;
        }
        let mut marks = Marks {
            starts: &binds.starts,
            missing: false,
        };
        walk_stmt(&mut marks, &mut o.stmt);
        for s in &mut o.attached {
            walk_stmt(&mut marks, s);
        }
        if marks.missing {
            return Err("a bind placeholder the conversion made is not in the text".into());
        }
        for s in std::iter::once(&o.stmt).chain(o.attached.iter()) {
            if target == Target::Mysql && crate::backend::mysql::is_compound(s) {
                return Err("its conversion is a stored program (MySQL cannot PREPARE it)".into());
            }
            for p in crate::backend::print_stmt(target, s) {
                stmts.push(p.trim_end().to_string());
            }
        }
    }
    if stmts.is_empty() {
        return Err("its conversion writes no statement".into());
    }
    if (using > 0 || into > 0) && stmts.len() != 1 {
        return Err(format!(
            "its conversion is {} statements, and binds or INTO need one",
            stmts.len()
        ));
    }
    // Placeholders: `$n` (PostgreSQL) or `?` (MySQL, recording which value each one reads).
    let mut order = Vec::new();
    for s in &mut stmts {
        let mut out = String::with_capacity(s.len());
        let parts: Vec<&str> = s.split(MARK).collect();
        // Text, then (number, text) pairs: an even count of parts means a lone mark.
        if parts.len().is_multiple_of(2) {
            return Err("a bind placeholder is not printed where expected".into());
        }
        out.push_str(parts[0]);
        for pair in parts[1..].chunks(2) {
            let (Some(n), Some(rest)) = (pair.first(), pair.get(1)) else {
                return Err("a bind placeholder is not printed where expected".into());
            };
            let Ok(k) = n.parse::<usize>() else {
                return Err("a bind placeholder is not printed where expected".into());
            };
            match target {
                Target::Postgres => out.push_str(&format!("${}", k + 1)),
                Target::Mysql => {
                    out.push('?');
                    order.push(k);
                }
            }
            out.push_str(rest);
        }
        *s = out;
    }
    if target == Target::Mysql && into > 0 {
        let Stmt::Query(q) = &module.objects[0].stmt else {
            return Err("INTO needs a query".into());
        };
        let SetExpr::Select(sel) = &q.body else {
            return Err(
                "MySQL stores the row of a set operation only through a derived table".into(),
            );
        };
        if q.for_update.is_some() {
            return Err("INTO of a locking query".into());
        }
        if sel.items.len() != into
            || sel
                .items
                .iter()
                .any(|i| matches!(i, SelectItem::Wildcard(_)))
        {
            return Err(format!(
                "the query's columns are not the {into} INTO targets one by one"
            ));
        }
        let vars: Vec<String> = (0..into).map(into_var).collect();
        stmts[0].push_str(&format!(" INTO {}", vars.join(", ")));
    }
    Ok(Converted {
        stmts,
        binds: order,
        found,
        unknown,
    })
}

/// Whether the text is a query (`SELECT`, `WITH`, or one in parentheses).
fn starts_query(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('(').trim_start();
    let word: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    word == "SELECT" || word == "WITH"
}

/// CREATE TABLE objects for the tables of the input `o` names (columns, types, primary key).
fn context_tables(
    o: &mut Object,
    syms: &Symbols,
    unknown: &mut Vec<(&'static str, String)>,
) -> Vec<Object> {
    struct Names(Vec<QName>);
    impl VisitMut for Names {
        fn qname(&mut self, q: &mut QName) {
            self.0.push(q.clone());
        }
    }
    let mut names = Names(Vec::new());
    walk_stmt(&mut names, &mut o.stmt);
    // A CREATE TABLE of a name the input has: the input's definition is not wanted.
    let own = match &o.stmt {
        Stmt::CreateTable(t) => Some(t.name.display()),
        _ => None,
    };
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    // The table a DML statement changes, when the input does not create it (created by
    // other dynamic SQL, or outside the input): a table without columns, so that the
    // statement is converted (the passes know none of its columns' types: `unknown`).
    let target = match &o.stmt {
        Stmt::Insert(i) => Some(("inserts into", &i.table)),
        Stmt::Update(u) => Some(("updates", &u.table)),
        Stmt::Delete(d) => Some(("deletes from", &d.table)),
        _ => None,
    };
    if let Some((what, t)) = target
        && syms.table(t).is_none()
        && !syms.is_view(t)
    {
        let span = Span::default();
        let table = Object::new(
            ObjectKind::Table,
            Some(t.clone()),
            span,
            Stmt::CreateTable(Box::new(Table {
                name: t.clone(),
                columns: Vec::new(),
                constraints: Vec::new(),
                temporary: None,
                partition: None,
                as_query: None,
                if_not_exists: false,
            })),
        );
        unknown.push((what, t.display()));
        out.push(table);
    }
    for q in names.0 {
        let Some(info) = syms.table(&q) else {
            continue;
        };
        let Some(name) = syms.table_names.get(&info.object) else {
            continue;
        };
        if !seen.insert(info.object) || own.as_deref() == Some(name.display().as_str()) {
            continue;
        }
        let span = Span::default();
        let columns = info
            .columns
            .iter()
            .map(|(n, ty)| Column {
                name: Ident::new(n.clone(), span),
                ty: TypeRef::new(ty.clone()),
                default: None,
                not_null: None,
                not_null_name: None,
                identity: None,
                generated: None,
                span,
                comment: None,
            })
            .collect();
        let mut constraints = Vec::new();
        if !info.primary_key.is_empty() {
            constraints.push(Constraint {
                name: None,
                kind: ConstraintKind::PrimaryKey {
                    columns: info
                        .primary_key
                        .iter()
                        .map(|c| Ident::new(c.clone(), span))
                        .collect(),
                },
                deferrable: None,
                enabled: true,
                validate: true,
                span,
            });
        }
        let table = Table {
            name: name.clone(),
            columns,
            constraints,
            temporary: None,
            partition: None,
            as_query: None,
            if_not_exists: false,
        };
        out.push(Object::new(
            ObjectKind::Table,
            Some(name.clone()),
            span,
            Stmt::CreateTable(Box::new(table)),
        ));
    }
    out
}

/// Collects the positions of the bind placeholders of the Oracle text.
#[derive(Default)]
struct Binds {
    starts: Vec<u32>,
    /// A placeholder is an operand of `+` / `-`: a number or days added to a date, which the
    /// conversion cannot tell without its type.
    arithmetic: bool,
}

impl VisitMut for Binds {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Param(p, span) = e
            && p.starts_with(':')
        {
            self.starts.push(span.start);
        }
        if let Expr::Binary {
            op: BinOp::Add | BinOp::Sub,
            left,
            right,
            ..
        } = e
            && [left, right]
                .iter()
                .any(|x| matches!(x.as_ref(), Expr::Param(p, _) if p.starts_with(':')))
        {
            self.arithmetic = true;
        }
    }
}

/// Replaces each placeholder with its number between [`MARK`]s.
struct Marks<'a> {
    starts: &'a [u32],
    missing: bool,
}

impl VisitMut for Marks<'_> {
    fn expr(&mut self, e: &mut Expr) {
        if let Expr::Param(p, span) = e
            && p.starts_with(':')
        {
            match self.starts.binary_search(&span.start) {
                Ok(k) => *p = format!("{MARK}{k}{MARK}"),
                Err(_) => self.missing = true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(text: &str, using: usize, into: usize, target: Target) -> Result<Converted, String> {
        convert(text, using, into, target, &Symbols::default())
    }

    #[test]
    fn constant_text_of_literals_and_concatenations() {
        let s = |t: &str| Expr::String(t.into(), Span::default());
        let cat = Expr::binary(
            BinOp::Concat,
            s("SELECT 1 "),
            s("FROM dual"),
            Span::default(),
        );
        assert_eq!(constant_text(&cat).as_deref(), Some("SELECT 1 FROM dual"));
        let var = Expr::binary(
            BinOp::Concat,
            s("DELETE FROM "),
            Expr::Column(QName::single(Ident::new("P_T", Span::default()))),
            Span::default(),
        );
        assert_eq!(constant_text(&var), None);
    }

    #[test]
    fn placeholders_are_positional() {
        let c = conv(
            "UPDATE t SET a = :x WHERE b = :y AND c = :x",
            3,
            0,
            Target::Postgres,
        )
        .unwrap();
        assert_eq!(c.stmts, vec!["UPDATE t SET a = $1 WHERE b = $2 AND c = $3"]);
        // The table is not in the input: converted, and said.
        assert_eq!(c.unknown, vec![("updates", "T".to_string())]);
        let c = conv("DELETE FROM t WHERE a = :1 AND b = :2", 2, 0, Target::Mysql).unwrap();
        assert_eq!(c.stmts, vec!["DELETE FROM t WHERE a = ? AND b = ?"]);
        assert_eq!(c.binds, vec![0, 1]);
    }

    #[test]
    fn mysql_query_into_user_variables() {
        let c = conv("SELECT a, b FROM t WHERE c = :1", 1, 2, Target::Mysql).unwrap();
        assert_eq!(c.stmts.len(), 1);
        assert!(
            c.stmts[0].ends_with("WHERE c = ? INTO @schemac_into1, @schemac_into2"),
            "{}",
            c.stmts[0]
        );
        assert!(conv("SELECT * FROM t", 0, 2, Target::Mysql).is_err());
        assert!(conv("SELECT a FROM t", 0, 2, Target::Mysql).is_err());
    }

    #[test]
    fn refusals_say_why() {
        let why = |t: &str, using: usize| conv(t, using, 0, Target::Postgres).unwrap_err();
        assert!(why("DELETE FROM t WHERE a = :1", 2).contains("1 bind placeholders for 2"));
        assert!(why("BEGIN NULL; END;", 0).contains("PL/SQL block"));
        assert!(why("DROP TABLE t", 0).contains("does not write"));
        assert!(why("UPDATE t SET WHERE a = 1", 0).contains("does not parse"));
        assert!(why("DELETE FROM t WHERE d < SYSDATE - :1", 1).contains("+ or -"));
        assert!(why("CREATE TABLE t (a NUMBER DEFAULT :1)", 1).contains("DDL"));
        assert!(why("", 0).contains("empty"));
        assert!(why("SELECT 1 FROM dual\u{1}", 0).contains("control character"));
    }
}
