//! Expressions, with the parentheses PostgreSQL's grammar needs and no more.
//!
//! Binding levels follow the PostgreSQL operator precedence table (lowest first): `OR`, `AND`,
//! `NOT`, `IS`, comparisons (non-associative), `BETWEEN`/`IN`/`LIKE` (non-associative), other
//! operators (`||`), `+ -`, `* / %`, unary `- +`. An operand is parenthesised when it binds
//! more loosely than its context requires. Operators are printed left-associative; a right
//! operand at the same level is parenthesised except under `AND`/`OR` with the same operator,
//! so `a - (b - c)` and `a * (b / c)` keep their meaning.

use super::query::{self, Layout};
use super::{PushSql, qname, string_lit};
use crate::ir::{BinOp, Call, Case, Expr, OrderItem, UnaryOp, Window};

const OR: u8 = 10;
const AND: u8 = 20;
const NOT: u8 = 30;
const IS: u8 = 35;
const CMP: u8 = 40;
const PRED: u8 = 45;
const OTHER: u8 = 50;
const ADD: u8 = 60;
const MUL: u8 = 70;
const UNARY: u8 = 80;
const ATOM: u8 = 100;

fn binop_level(op: BinOp) -> u8 {
    match op {
        BinOp::Or => OR,
        BinOp::And => AND,
        BinOp::Eq | BinOp::NotEq | BinOp::Lt | BinOp::LtEq | BinOp::Gt | BinOp::GtEq => CMP,
        BinOp::Concat => OTHER,
        BinOp::Add | BinOp::Sub => ADD,
        BinOp::Mul | BinOp::Div | BinOp::Mod => MUL,
    }
}

fn binop_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Concat => "||",
        BinOp::Eq => "=",
        BinOp::NotEq => "<>",
        BinOp::Lt => "<",
        BinOp::LtEq => "<=",
        BinOp::Gt => ">",
        BinOp::GtEq => ">=",
        BinOp::And => "AND",
        BinOp::Or => "OR",
    }
}

/// How tightly a printed expression binds.
fn level(e: &Expr) -> u8 {
    match e {
        Expr::Number(n, _) if n.starts_with('-') || n.starts_with('+') => UNARY,
        Expr::Unary { op, expr, .. } => match op {
            UnaryOp::Not => NOT,
            UnaryOp::Neg | UnaryOp::Plus => UNARY,
            UnaryOp::Prior => level(expr),
        },
        Expr::Binary { op, .. } => binop_level(*op),
        Expr::IsNull { .. } | Expr::IsDistinct { .. } => IS,
        Expr::InList { .. } | Expr::InQuery { .. } | Expr::Between { .. } | Expr::Like { .. } => {
            PRED
        }
        Expr::Exists { not: true, .. } => NOT,
        Expr::OuterJoin(inner) => level(inner),
        _ => ATOM,
    }
}

/// An expression in a context that accepts any expression.
pub(crate) fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write(e, &mut out);
    out
}

/// `e`, parenthesised unless it binds at least as tightly as `min`.
fn operand(e: &Expr, min: u8, out: &mut String) {
    if level(e) < min {
        out.push('(');
        write(e, out);
        out.push(')');
    } else {
        write(e, out);
    }
}

fn list(items: &[Expr], out: &mut String) {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(e, out);
    }
}

fn not_kw(not: bool) -> &'static str {
    if not { "NOT " } else { "" }
}

pub(crate) fn write(e: &Expr, out: &mut String) {
    match e {
        Expr::Number(n, _) => out.push_str(n),
        Expr::String(s, _) | Expr::NString(s, _) => out.push_string_lit(s),
        Expr::Null(_) => out.push_str("NULL"),
        Expr::Bool(b, _) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Expr::Column(q) => out.push_qname(q),
        Expr::Star(_) => out.push('*'),
        Expr::Param(p, _) => out.push_str(p),
        Expr::Unary { op, expr, .. } => unary(*op, expr, out),
        Expr::Binary {
            op, left, right, ..
        } => {
            let lv = binop_level(*op);
            let non_assoc = lv == CMP;
            operand(left, if non_assoc { lv + 1 } else { lv }, out);
            out.push(' ');
            out.push_str(binop_text(*op));
            out.push(' ');
            let same_assoc = matches!(op, BinOp::And | BinOp::Or)
                && matches!(&**right, Expr::Binary { op: r, .. } if r == op);
            operand(right, if same_assoc { lv } else { lv + 1 }, out);
        }
        Expr::Call(c) => call(c, out),
        Expr::Case(c) => case(c, out),
        Expr::Cast { expr, ty, .. } => {
            out.push_str("CAST(");
            write(expr, out);
            out.push_str(" AS ");
            out.push_type_ref(ty);
            out.push(')');
        }
        Expr::IsNull { expr, not, .. } => {
            operand(expr, PRED + 1, out);
            out.push_str(if *not { " IS NOT NULL" } else { " IS NULL" });
        }
        Expr::IsDistinct {
            left, right, not, ..
        } => {
            operand(left, PRED + 1, out);
            out.push_str(if *not {
                " IS NOT DISTINCT FROM "
            } else {
                " IS DISTINCT FROM "
            });
            operand(right, PRED + 1, out);
        }
        Expr::InList {
            expr, list: l, not, ..
        } => {
            operand(expr, PRED + 1, out);
            out.push(' ');
            out.push_str(not_kw(*not));
            out.push_str("IN (");
            list(l, out);
            out.push(')');
        }
        Expr::InQuery {
            expr,
            query: q,
            not,
            ..
        } => {
            operand(expr, PRED + 1, out);
            out.push(' ');
            out.push_str(not_kw(*not));
            out.push_str("IN (");
            out.push_str(&query::query(q, Layout::Inline));
            out.push(')');
        }
        Expr::Between {
            expr,
            low,
            high,
            not,
            ..
        } => {
            operand(expr, PRED + 1, out);
            out.push(' ');
            out.push_str(not_kw(*not));
            out.push_str("BETWEEN ");
            operand(low, PRED + 1, out);
            out.push_str(" AND ");
            operand(high, PRED + 1, out);
        }
        Expr::Like {
            expr,
            pattern,
            escape,
            not,
            ..
        } => {
            operand(expr, PRED + 1, out);
            out.push(' ');
            out.push_str(not_kw(*not));
            out.push_str("LIKE ");
            operand(pattern, PRED + 1, out);
            if let Some(esc) = escape {
                out.push_str(" ESCAPE ");
                operand(esc, PRED + 1, out);
            }
        }
        Expr::Exists { query: q, not, .. } => {
            out.push_str(not_kw(*not));
            out.push_str("EXISTS (");
            out.push_str(&query::query(q, Layout::Inline));
            out.push(')');
        }
        Expr::Subquery(q) => {
            out.push('(');
            out.push_str(&query::query(q, Layout::Inline));
            out.push(')');
        }
        Expr::Tuple(items, _) => {
            out.push('(');
            list(items, out);
            out.push(')');
        }
        Expr::OuterJoin(inner) => write(inner, out),
        Expr::MaxValue(_) => out.push_str("MAXVALUE"),
        Expr::Default(_) => out.push_str("DEFAULT"),
        Expr::NextVal(q, _) => {
            out.push_str("nextval(");
            out.push_str(&string_lit(&qname(q)));
            out.push(')');
        }
        Expr::CurrVal(q, _) => {
            out.push_str("currval(");
            out.push_str(&string_lit(&qname(q)));
            out.push(')');
        }
        Expr::Interval { value, unit, .. } => {
            out.push_str("INTERVAL ");
            out.push_string_lit(value);
            if !unit.trim().is_empty() {
                out.push(' ');
                out.push_str(unit.trim());
            }
        }
        Expr::TypedString { ty, value, .. } => {
            out.push_str(ty);
            out.push(' ');
            out.push_string_lit(value);
        }
        Expr::Raw(text, _) => out.push_str(text),
        Expr::CurrentOf(c) => {
            out.push_str("CURRENT OF ");
            out.push_ident(c);
        }
        Expr::Field { base, field, .. } => {
            out.push('(');
            write(base, out);
            out.push_str(").");
            out.push_ident(field);
        }
        Expr::Subscript { base, index, .. } => {
            if matches!(base.as_ref(), Expr::Column(_)) {
                write(base, out);
            } else {
                out.push('(');
                write(base, out);
                out.push(')');
            }
            out.push('[');
            write(index, out);
            out.push(']');
        }
        Expr::Array { items, ty, .. } => {
            out.push_str("ARRAY[");
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(x, out);
            }
            out.push(']');
            if let Some(t) = ty {
                out.push_str("::");
                out.push_str(t);
                out.push_str("[]");
            }
        }
    }
}

fn unary(op: UnaryOp, e: &Expr, out: &mut String) {
    match op {
        UnaryOp::Prior => write(e, out),
        UnaryOp::Not => {
            // `NOT a = b` would parse as intended, but reads ambiguously: anything that is not
            // a primary gets parentheses.
            out.push_str("NOT ");
            operand(e, ATOM, out);
        }
        UnaryOp::Neg | UnaryOp::Plus => {
            out.push(if op == UnaryOp::Neg { '-' } else { '+' });
            // `--1` would start a comment: a signed operand is always parenthesised.
            let signed = match strip(e) {
                Expr::Number(n, _) => n.starts_with('-') || n.starts_with('+'),
                Expr::Unary {
                    op: UnaryOp::Neg | UnaryOp::Plus,
                    ..
                } => true,
                _ => false,
            };
            if signed {
                out.push('(');
                write(e, out);
                out.push(')');
            } else {
                operand(e, UNARY, out);
            }
        }
    }
}

/// The expression actually printed: `PRIOR x` and `x (+)` print as `x`.
fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Unary {
            op: UnaryOp::Prior,
            expr,
            ..
        } => strip(expr),
        Expr::OuterJoin(inner) => strip(inner),
        _ => e,
    }
}

fn call(c: &Call, out: &mut String) {
    // `EXTRACT(field FROM x)` is recorded as a call whose first argument is the field, as a
    // one-part column.
    if c.name.parts.len() == 1
        && c.name.parts[0].is("EXTRACT")
        && !c.name.parts[0].quoted
        && c.args.len() == 2
        && c.args.iter().all(|a| a.name.is_none())
        && c.over.is_none()
        && !c.distinct
        && let Expr::Column(field) = &c.args[0].value
        && field.parts.len() == 1
    {
        out.push_str("EXTRACT(");
        out.push_str(&field.parts[0].value.to_uppercase());
        out.push_str(" FROM ");
        write(&c.args[1].value, out);
        out.push(')');
        return;
    }
    out.push_qname(&c.name);
    out.push('(');
    if c.distinct {
        out.push_str("DISTINCT ");
    }
    for (i, a) in c.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if let Some(name) = &a.name {
            out.push_ident(name);
            out.push_str(" => ");
        }
        write(&a.value, out);
    }
    out.push(')');
    if !c.within_group.is_empty() {
        out.push_str(" WITHIN GROUP (ORDER BY ");
        out.push_str(&order_items(&c.within_group));
        out.push(')');
    }
    if let Some(w) = &c.over {
        out.push_str(" OVER (");
        out.push_str(&window(w));
        out.push(')');
    }
}

fn window(w: &Window) -> String {
    let mut parts = Vec::new();
    if !w.partition_by.is_empty() {
        let mut s = String::from("PARTITION BY ");
        list(&w.partition_by, &mut s);
        parts.push(s);
    }
    if !w.order_by.is_empty() {
        parts.push(format!("ORDER BY {}", order_items(&w.order_by)));
    }
    if let Some(frame) = &w.frame
        && !frame.trim().is_empty()
    {
        parts.push(frame.trim().to_string());
    }
    parts.join(" ")
}

fn case(c: &Case, out: &mut String) {
    out.push_str("CASE");
    if let Some(op) = &c.operand {
        out.push(' ');
        write(op, out);
    }
    for (when, then) in &c.whens {
        out.push_str(" WHEN ");
        write(when, out);
        out.push_str(" THEN ");
        write(then, out);
    }
    if let Some(e) = &c.else_ {
        out.push_str(" ELSE ");
        write(e, out);
    }
    out.push_str(" END");
}

/// `a, b DESC NULLS LAST`.
pub(crate) fn order_items(items: &[OrderItem]) -> String {
    items
        .iter()
        .map(|o| {
            let mut s = expr(&o.expr);
            if o.desc {
                s.push_str(" DESC");
            }
            match o.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a, b + 1`.
pub(crate) fn expr_list(items: &[Expr]) -> String {
    let mut s = String::new();
    list(items, &mut s);
    s
}
