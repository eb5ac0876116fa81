//! T-SQL built-in functions and `+` (Targeted phase, T-SQL and ASE sources only): built-ins
//! through `rules/functions/tsql-postgres.toml` (renames, templates, handlers here), `CONVERT`
//! to a cast, and `+` with a string operand to `||` (SQL Server: NULL propagates, as with
//! `||`) or `concat()` (ASE treats NULL as the empty string, as `concat()` does).

use std::sync::OnceLock;

use super::Ctx;
use super::functions::{FnTable, template};
use super::symbols::Symbols;
use crate::SourceDialect;
use crate::diag::Finding;
use crate::frontend::tsql::Flavor;
use crate::ir::visit::{VisitMut, walk_expr};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

pub fn tsql_postgres() -> &'static FnTable {
    static T: OnceLock<FnTable> = OnceLock::new();
    T.get_or_init(|| {
        toml::from_str(include_str!("../../rules/functions/tsql-postgres.toml"))
            .expect("rules/functions/tsql-postgres.toml is valid (checked by tests)")
    })
}

pub fn run(module: &mut Module, ctx: &mut Ctx) {
    if !matches!(ctx.opts.from, SourceDialect::Tsql | SourceDialect::Ase) {
        return;
    }
    let flavor = Flavor::of(ctx.opts.from);
    let routines: std::collections::HashSet<String> = ctx
        .symbols
        .routines
        .iter()
        .map(|r| r.to_ascii_lowercase())
        .collect();
    for o in &mut module.objects {
        let mut cols: Vec<(String, SourceType)> = Vec::new();
        match &o.stmt {
            Stmt::CreateTable(t) => {
                cols = t
                    .columns
                    .iter()
                    .map(|c| (c.name.value.to_ascii_lowercase(), c.ty.source.clone()))
                    .collect();
            }
            Stmt::CreateView(v) => {
                if let SetExpr::Select(s) = &v.query.body {
                    for f in &s.from {
                        tables_of(f, &ctx.symbols, &mut cols);
                    }
                }
            }
            _ => {}
        }
        let mut v = V {
            bad_calls: 0,
            flavor,
            cols,
            found: Vec::new(),
            routines: routines.clone(),
            generated: false,
        };
        // Computed columns whose expression keeps an unconverted call become plain columns
        // (the table still applies; the expression needs a person).
        if let Stmt::CreateTable(t) = &mut o.stmt {
            for c in &mut t.columns {
                if let Some(g) = &mut c.generated {
                    let before = v.bad_calls;
                    v.generated = true;
                    walk_expr(&mut v, &mut g.expr);
                    v.generated = false;
                    if v.bad_calls > before {
                        v.found.push(Finding::new(
                            &codes::FUNCTION_UNSUPPORTED,
                            c.span,
                            &[
                                &c.name.value,
                                "the computed column is created as a plain column; write its expression by hand",
                            ],
                        ));
                        c.generated = None;
                    }
                }
            }
        }
        super::walk_object(&mut v, o);
        super::add_unique(o, v.found);
    }
}

fn tables_of(t: &TableRef, syms: &Symbols, out: &mut Vec<(String, SourceType)>) {
    match t {
        TableRef::Table { name, .. } => {
            if let Some(ti) = syms.table(name) {
                out.extend(
                    ti.columns
                        .iter()
                        .map(|(n, ty)| (n.to_ascii_lowercase(), ty.clone())),
                );
            }
        }
        TableRef::Join { left, right, .. } => {
            tables_of(left, syms, out);
            tables_of(right, syms, out);
        }
        _ => {}
    }
}

#[derive(PartialEq, Clone, Copy)]
enum K {
    Text,
    Number,
    Unknown,
}

fn type_kind(n: &str) -> K {
    let n = n.to_ascii_uppercase();
    if n.contains("CHAR") || n.contains("TEXT") || n == "SYSNAME" || n == "XML" {
        K::Text
    } else if n.contains("INT")
        || n.contains("DEC")
        || n.contains("NUMERIC")
        || n.contains("MONEY")
        || n == "FLOAT"
        || n == "REAL"
        || n == "BIT"
    {
        K::Number
    } else {
        K::Unknown
    }
}

struct V {
    /// Calls that stay unconverted (counted to drop computed column expressions).
    bad_calls: usize,
    flavor: Flavor,
    cols: Vec<(String, SourceType)>,
    found: Vec<Finding>,
    /// Routines of the input (lower case): calls of them are not built-ins.
    routines: std::collections::HashSet<String>,
    /// In a computed column (created before the routines, and needing immutable ones).
    generated: bool,
}

fn subst(t: &Expr, args: &[Expr], span: Span) -> Expr {
    struct S<'a>(&'a [Expr]);
    impl VisitMut for S<'_> {
        fn expr(&mut self, e: &mut Expr) {
            if let Expr::Param(n, _) = e
                && let Some(i) = n.strip_prefix(":p").and_then(|d| d.parse::<usize>().ok())
                && let Some(a) = self.0.get(i)
            {
                *e = a.clone();
            }
        }
    }
    let mut e = t.clone();
    let _ = span;
    walk_expr(&mut S(args), &mut e);
    e
}

fn type_from_expr(e: &Expr) -> Option<SourceType> {
    match e {
        Expr::Column(q) if q.parts.len() == 1 => Some(SourceType {
            name: q.name().value.to_ascii_uppercase(),
            args: Vec::new(),
            modifier: None,
            span: q.span(),
        }),
        Expr::Call(c) if c.name.parts.len() == 1 => {
            let mut args = Vec::new();
            let mut modifier = None;
            for a in &c.args {
                match &a.value {
                    Expr::Number(n, _) => args.push(n.parse::<i64>().ok()),
                    Expr::Column(q) if q.name().is("MAX") => modifier = Some("MAX".to_string()),
                    _ => return None,
                }
            }
            Some(SourceType {
                name: c.name.name().value.to_ascii_uppercase(),
                args,
                modifier,
                span: c.span,
            })
        }
        _ => None,
    }
}

impl V {
    fn kind(&self, e: &Expr) -> K {
        match e {
            Expr::String(..) | Expr::NString(..) => K::Text,
            Expr::Number(..) => K::Number,
            Expr::Column(q) => {
                let n = q.name().value.to_ascii_lowercase();
                self.cols
                    .iter()
                    .find(|(c, _)| *c == n)
                    .map(|(_, t)| type_kind(&t.name))
                    .unwrap_or(K::Unknown)
            }
            Expr::Cast { ty, .. } => type_kind(&ty.source.name),
            Expr::Binary {
                op: BinOp::Concat, ..
            } => K::Text,
            Expr::Binary {
                op: BinOp::Add,
                left,
                right,
                ..
            } => {
                let (l, r) = (self.kind(left), self.kind(right));
                if l == K::Number && r == K::Number {
                    K::Number
                } else {
                    K::Unknown
                }
            }
            Expr::Call(c) => {
                let n = c.name.name().value.to_ascii_uppercase();
                match n.as_str() {
                    "CONCAT" | "UPPER" | "LOWER" | "SUBSTR" | "LEFT" | "RIGHT" | "LTRIM"
                    | "RTRIM" | "REPLACE" | "CHR" | "REPEAT" => K::Text,
                    "COALESCE" => c
                        .args
                        .first()
                        .map(|a| self.kind(&a.value))
                        .unwrap_or(K::Unknown),
                    _ => K::Unknown,
                }
            }
            _ => K::Unknown,
        }
    }

    fn call(&mut self, c: &Call) -> Option<Expr> {
        if self
            .routines
            .contains(&c.name.display().to_ascii_lowercase())
            || c.name.parts.first().is_some_and(|p| p.is("pg_catalog"))
        {
            // A routine of the input, or a target function chosen by an earlier pass.
            if self.generated {
                self.bad_calls += 1;
            }
            return None;
        }
        if c.name.parts.len() > 1 {
            // Methods of xml / hierarchyid / spatial values (`col.value(...)`,
            // `node.GetLevel()`) and routines not in the input.
            self.found.push(Finding::new(
                &codes::UNKNOWN_FUNCTION,
                c.span,
                &[&c.name.display()],
            ));
            self.bad_calls += 1;
            return None;
        }
        let n = c.name.name().value.to_ascii_uppercase();
        if is_type_name(&n) {
            // The type argument of CONVERT(varchar(10), x), handled with CONVERT.
            return None;
        }
        let Some(rule) = tsql_postgres().functions.get(&n) else {
            self.found.push(Finding::new(
                &codes::UNKNOWN_FUNCTION,
                c.span,
                &[&c.name.display()],
            ));
            return None;
        };
        if let Some([lo, hi]) = rule.args
            && (c.args.len() < lo || c.args.len() > hi)
        {
            self.found.push(Finding::new(
                &codes::UNKNOWN_FUNCTION,
                c.span,
                &[&c.name.display()],
            ));
            return None;
        }
        if let Some(why) = &rule.review {
            self.found
                .push(Finding::new(&codes::FUNCTION_SEMANTICS, c.span, &[&n, why]));
        }
        let args: Vec<Expr> = c.args.iter().map(|a| a.value.clone()).collect();
        if let Some(why) = &rule.unsupported {
            self.found.push(Finding::new(
                &codes::FUNCTION_UNSUPPORTED,
                c.span,
                &[&n, why],
            ));
            return None;
        }
        if let Some(r) = &rule.rename {
            let mut c2 = c.clone();
            c2.name = QName::single(Ident::new(r.to_ascii_uppercase(), c.name.span()));
            return Some(Expr::Call(Box::new(c2)));
        }
        if let Some(t) = &rule.template {
            let r = template(t).map(|t| subst(&t, &args, c.span));
            if r.is_none() {
                self.found.push(Finding::new(
                    &codes::UNKNOWN_FUNCTION,
                    c.span,
                    &[&c.name.display()],
                ));
            }
            return r;
        }
        match rule.handler.as_deref() {
            Some("convert") => {
                let ty = args.first().and_then(type_from_expr)?;
                let e = args.get(1)?.clone();
                if args.len() > 2 {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_SEMANTICS,
                        c.span,
                        &[
                            "CONVERT",
                            "the style argument (date or number format) is ignored",
                        ],
                    ));
                }
                Some(Expr::Cast {
                    expr: Box::new(e),
                    ty: Box::new(TypeRef::new(ty)),
                    span: c.span,
                })
            }
            Some("dateadd") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                let arg = match unit {
                    "minute" => "mins".to_string(),
                    "second" => "secs".to_string(),
                    u => format!("{u}s"),
                };
                let t = template(&format!("{{2}} + make_interval({arg} => {{1}})"))?;
                Some(subst(&t, &args, c.span))
            }
            Some("datediff") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                let text = match unit {
                    "year" => "cast(extract(year from {2}) - extract(year from {1}) as integer)",
                    "day" => "(cast({2} as date) - cast({1} as date))",
                    _ => {
                        self.found.push(Finding::new(
                            &codes::FUNCTION_UNSUPPORTED,
                            c.span,
                            &["DATEDIFF", "only year and day units are converted"],
                        ));
                        return None;
                    }
                };
                template(text).map(|t| subst(&t, &args, c.span))
            }
            Some("datepart") => {
                let Some(unit) = date_unit(&args[0]) else {
                    self.found.push(Finding::new(
                        &codes::FUNCTION_UNSUPPORTED,
                        c.span,
                        &[&c.name.display(), "this date part is not converted"],
                    ));
                    return None;
                };
                let t = template(&format!("cast(extract({unit} from {{1}}) as integer)"))?;
                Some(subst(&t, &args, c.span))
            }
            _ => None,
        }
    }
}

fn date_unit(e: &Expr) -> Option<&'static str> {
    let Expr::Column(q) = e else { return None };
    Some(match q.name().value.to_ascii_lowercase().as_str() {
        "year" | "yy" | "yyyy" => "year",
        "month" | "mm" | "m" => "month",
        "day" | "dd" | "d" => "day",
        "hour" | "hh" => "hour",
        "minute" | "mi" | "n" => "minute",
        "second" | "ss" | "s" => "second",
        _ => return None,
    })
}

impl VisitMut for V {
    fn expr(&mut self, e: &mut Expr) {
        match e {
            Expr::Call(c) => {
                if let Some(n) = self.call(c) {
                    *e = n;
                }
            }
            Expr::Column(q) if q.parts.len() == 1 && q.name().is("CURRENT_TIMESTAMP") => {
                if let Some(t) = template("cast(now() as timestamp)") {
                    *e = subst(&t, &[], q.span());
                }
            }
            Expr::Number(n, span) if n.len() > 2 && n[..2].eq_ignore_ascii_case("0x") => {
                // Binary literal -> bytea.
                *e = Expr::Raw(format!("'\\x{}'::bytea", &n[2..]), *span);
            }
            Expr::Like {
                expr,
                pattern,
                escape: None,
                not,
                span,
            } if matches!(&**pattern, Expr::String(p, _) | Expr::NString(p, _) if p.contains('[')) =>
            {
                // T-SQL LIKE character classes ([0-9], [^a]) -> an anchored regular expression.
                let (Expr::String(p, ps) | Expr::NString(p, ps)) = &**pattern else {
                    return;
                };
                let re = like_to_regex(p);
                let span = *span;
                let call = Expr::Call(Box::new(Call {
                    name: QName::single(Ident::new("REGEXP_LIKE", span)),
                    args: vec![
                        Arg {
                            name: None,
                            value: (**expr).clone(),
                        },
                        Arg {
                            name: None,
                            value: Expr::String(re, *ps),
                        },
                    ],
                    distinct: false,
                    over: None,
                    within_group: Vec::new(),
                    span,
                }));
                *e = if *not {
                    Expr::Unary {
                        op: UnaryOp::Not,
                        expr: Box::new(call),
                        span,
                    }
                } else {
                    call
                };
            }
            Expr::Binary {
                op: op @ BinOp::Add,
                left,
                right,
                span,
            } => {
                let (l, r) = (self.kind(left), self.kind(right));
                if l == K::Text || r == K::Text {
                    match self.flavor {
                        Flavor::SqlServer => *op = BinOp::Concat,
                        Flavor::Ase => {
                            let span = *span;
                            let args = vec![(**left).clone(), (**right).clone()];
                            *e = Expr::Call(Box::new(Call {
                                name: QName::single(Ident::new("CONCAT", span)),
                                args: args
                                    .into_iter()
                                    .map(|value| Arg { name: None, value })
                                    .collect(),
                                distinct: false,
                                over: None,
                                within_group: Vec::new(),
                                span,
                            }));
                        }
                    }
                } else if l == K::Unknown && r == K::Unknown {
                    self.found
                        .push(Finding::new(&codes::PLUS_CONCAT, *span, &["||"]));
                }
            }
            _ => {}
        }
    }
}

/// A T-SQL LIKE pattern (`%`, `_`, `[a-z]`, `[^0-9]`) as an anchored POSIX regular expression.
fn like_to_regex(p: &str) -> String {
    let mut out = String::from("^");
    let mut in_class = false;
    for c in p.chars() {
        if in_class {
            if c == ']' {
                in_class = false;
            }
            if c == '\\' {
                out.push('\\');
            }
            out.push(c);
            continue;
        }
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '[' => {
                in_class = true;
                out.push('[');
            }
            '.' | '*' | '+' | '?' | '(' | ')' | '{' | '}' | '|' | '^' | '$' | '\\' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('$');
    out
}

fn is_type_name(n: &str) -> bool {
    matches!(
        n,
        "VARCHAR"
            | "NVARCHAR"
            | "CHAR"
            | "NCHAR"
            | "DECIMAL"
            | "NUMERIC"
            | "VARBINARY"
            | "BINARY"
            | "DATETIME2"
            | "DATETIMEOFFSET"
            | "TIME"
            | "FLOAT"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns() {
        assert_eq!(super::like_to_regex("[0-9][0-9]-%"), "^[0-9][0-9]-.*$");
        assert_eq!(super::like_to_regex("a_b.c[^x]"), "^a.b\\.c[^x]$");
    }
}
