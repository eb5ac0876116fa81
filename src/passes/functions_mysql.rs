//! Oracle built-ins -> MySQL 8: the handlers named `my_*` in `rules/functions/oracle-mysql.toml`.
//!
//! Rewrites are written as MySQL templates (parsed once by [`template`]) so that what is
//! produced reads like the SQL it prints. Every rewrite here keeps Oracle's value exactly for
//! the inputs it accepts, or raises FUN004 (review) / FUN005 (manual); a form MariaDB lacks
//! but MySQL 8 has raises TGT004.
//!
//! Oracle rules kept throughout: a string function whose MySQL result is `''` returns NULL
//! in Oracle (`nullif(.., '')`), DATE values keep their time of day (results are DATETIME),
//! and regular expressions are case-sensitive unless asked otherwise (MySQL follows the
//! collation, so the pattern carries `(?-i)`).

use super::{FnVisitor, Kind, call, instantiate, lit_int, lit_str, string, template};
use crate::ir::*;
use crate::rules::codes;
use crate::source::Span;

/// `template` instantiated with `args`; the templates here are fixed and parse (unit tests).
fn tpl(src: &str, args: &[Expr], span: Span) -> Expr {
    match template(src) {
        Some(t) => instantiate(&t, args, span),
        None => Expr::Raw(format!("/* template error: {src} */ NULL"), span),
    }
}

fn nullif_empty(e: Expr, span: Span) -> Expr {
    call("nullif", vec![e, string("", span)], span)
}

/// Oracle's `TRUNC(date, fmt)` unit, as a MySQL DATETIME expression of `{0}`.
fn trunc_date_template(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "day" => "timestamp(date({0}))",
        "month" => "timestamp(date_format({0}, '%Y-%m-01'))",
        "year" => "timestamp(date_format({0}, '%Y-01-01'))",
        "quarter" => {
            "timestampadd(month, (quarter({0}) - 1) * 3, timestamp(makedate(year({0}), 1)))"
        }
        "hour" => "timestamp(date_format({0}, '%Y-%m-%d %H:00:00'))",
        "minute" => "timestamp(date_format({0}, '%Y-%m-%d %H:%i:00'))",
        "week" => "timestamp(subdate(date({0}), weekday({0})))",
        "century" => "timestamp(makedate(floor((year({0}) - 1) / 100) * 100 + 1, 1))",
        _ => return None,
    })
}

/// Oracle's `ROUND(date, fmt)`: the unit rounds up from its middle (noon, the 16th of the
/// month, July 1st, the 16th of the quarter's second month, half an hour, half a minute).
fn round_date_template(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "day" => "timestamp(date(timestampadd(hour, 12, {0})))",
        "hour" => "timestamp(date_format(timestampadd(minute, 30, {0}), '%Y-%m-%d %H:00:00'))",
        "minute" => "timestamp(date_format(timestampadd(second, 30, {0}), '%Y-%m-%d %H:%i:00'))",
        "month" => {
            "timestampadd(month, case when dayofmonth({0}) >= 16 then 1 else 0 end, timestamp(date_format({0}, '%Y-%m-01')))"
        }
        "quarter" => {
            "timestampadd(month, (quarter({0}) - 1) * 3 + case when mod(month({0}) - 1, 3) * 100 + dayofmonth({0}) >= 116 then 3 else 0 end, timestamp(makedate(year({0}), 1)))"
        }
        "year" => {
            "timestampadd(year, case when month({0}) >= 7 then 1 else 0 end, timestamp(date_format({0}, '%Y-01-01')))"
        }
        _ => return None,
    })
}

/// Inline modifiers for a regular expression from Oracle's match parameter: case-sensitive
/// unless `i` (the last of `i`/`c` wins), `n` -> `s` (dot matches newline), `m`, `x`.
fn regexp_modifiers(flags: &str) -> Option<String> {
    let mut ci = false;
    let (mut s, mut m, mut x) = (false, false, false);
    for ch in flags.chars() {
        match ch {
            'i' => ci = true,
            'c' => ci = false,
            'n' => s = true,
            'm' => m = true,
            'x' => x = true,
            _ => return None,
        }
    }
    let mut on = String::new();
    for (f, c) in [(ci, 'i'), (s, 's'), (m, 'm'), (x, 'x')] {
        if f {
            on.push(c);
        }
    }
    Some(if ci {
        format!("(?{on})")
    } else {
        format!("(?{on}-i)")
    })
}

/// Escapes a character for use inside a regular-expression bracket class (ICU and PCRE).
fn class_char(c: char, out: &mut String) {
    if c.is_ascii_punctuation() {
        out.push('\\');
    }
    out.push(c);
}

/// English day names (NLS_DATE_LANGUAGE AMERICAN) -> MySQL `dayofweek` (Sunday = 1).
fn day_number(name: &str) -> Option<i64> {
    const DAYS: [&str; 7] = [
        "SUNDAY",
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
    ];
    let n = name.trim().to_ascii_uppercase();
    DAYS.iter()
        .position(|d| *d == n || (n.len() == 3 && d.starts_with(&n)))
        .map(|i| i as i64 + 1)
}

/// An Oracle number format model made of `9`, `0`, `,` and `.` (optionally `FM`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct NumberFormat {
    /// `FM`: no padding.
    fill: bool,
    /// `,` group separators (every three digits).
    grouping: bool,
    decimals: usize,
    /// A `0` in the units position: `0.5` keeps its leading zero.
    zero: bool,
    /// Digit positions before the point.
    int_digits: usize,
    /// Characters of the result without FM: the format plus the sign column.
    width: usize,
}

/// `None` for formats with other elements, leading zeros beyond the units digit, or (with FM)
/// `9`s after the point (FM drops their trailing zeros).
pub(super) fn number_format(fmt: &str) -> Option<NumberFormat> {
    let up = fmt.to_ascii_uppercase();
    let (fill, body) = match up.strip_prefix("FM") {
        Some(b) => (true, b.to_string()),
        None => (false, up.clone()),
    };
    if body.is_empty() || !body.chars().all(|c| matches!(c, '9' | '0' | ',' | '.')) {
        return None;
    }
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body.as_str(), None),
    };
    if frac.is_some_and(|f| f.contains(['.', ',']) || (fill && f.contains('9'))) {
        return None;
    }
    let digits: String = int.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() && frac.is_none_or(|f| f.is_empty()) {
        return None;
    }
    let zeros = digits.chars().filter(|c| *c == '0').count();
    if zeros > 1 || (zeros == 1 && !digits.ends_with('0')) {
        return None;
    }
    let grouping = int.contains(',');
    if grouping {
        let groups: Vec<&str> = int.split(',').collect();
        if groups[0].is_empty() || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    Some(NumberFormat {
        fill,
        grouping,
        decimals: frac.map(|f| f.len()).unwrap_or(0),
        zero: zeros == 1,
        int_digits: digits.len(),
        width: body.len() + 1,
    })
}

impl FnVisitor<'_> {
    /// The handlers of `rules/functions/oracle-mysql.toml` (`handler = "my_..."`).
    pub(super) fn mysql_handler(
        &mut self,
        handler: &str,
        name: &str,
        c: &mut Call,
        args: &[Expr],
        span: Span,
    ) -> Option<Expr> {
        match handler {
            "my_round" | "my_trunc" => self.my_round_trunc(name, args, span),
            "my_translate" => self.my_translate(args, span),
            "my_trim" => self.my_trim(name, args, span),
            "my_pad" => self.my_pad(name, args, span),
            "my_concat" => {
                let mut e = Expr::Binary {
                    op: BinOp::Concat,
                    left: Box::new(args.first()?.clone()),
                    right: Box::new(args.get(1)?.clone()),
                    span,
                };
                crate::ir::visit::VisitMut::expr(self, &mut e);
                Some(e)
            }
            "my_substr" => self.my_substr(args, span),
            "my_instr" => self.my_instr(args, span),
            "my_mod" => {
                let [a, b] = args else { return None };
                if lit_int(b).is_some_and(|v| v != 0)
                    || matches!(b, Expr::Number(n, _) if n.parse::<f64>().is_ok_and(|v| v != 0.0))
                {
                    return None;
                }
                // MOD(a, 0) is a in Oracle, NULL in MySQL.
                Some(tpl(
                    "case when {1} = 0 then {0} else mod({0}, {1}) end",
                    &[a.clone(), b.clone()],
                    span,
                ))
            }
            "my_to_number" => self.my_to_number(args, span),
            "my_stddev" => {
                // STDDEV/VARIANCE return 0 for a single row in Oracle, NULL as *_SAMP.
                let f = if name == "STDDEV" {
                    "STDDEV_SAMP"
                } else {
                    "VAR_SAMP"
                };
                let mut agg = c.clone();
                agg.name.parts[0].value = f.into();
                let mut count = c.clone();
                count.name.parts[0].value = "COUNT".into();
                Some(Expr::Case(Box::new(Case {
                    operand: None,
                    whens: vec![(
                        Expr::Binary {
                            op: BinOp::Eq,
                            left: Box::new(Expr::Call(Box::new(count))),
                            right: Box::new(Expr::Number("1".into(), span)),
                            span,
                        },
                        // a DOUBLE, as the aggregate is (an integer 0 would make the
                        // CASE a DECIMAL with 4 digits)
                        Expr::Number("0e0".into(), span),
                    )],
                    else_: Some(Expr::Call(Box::new(agg))),
                    span,
                })))
            }
            "my_listagg" => self.my_listagg(c, args, span),
            "my_add_months" => {
                let [d, n] = args else { return None };
                // Oracle truncates a fractional month count.
                let n = if lit_int(n).is_some() {
                    n.clone()
                } else {
                    call(
                        "truncate",
                        vec![n.clone(), Expr::Number("0".into(), span)],
                        span,
                    )
                };
                // The last day of a month gives the last day of the result month.
                Some(tpl(
                    "case when last_day({0}) = date({0}) then timestamp(last_day(timestampadd(month, {1}, {0})), time({0})) else timestampadd(month, {1}, {0}) end",
                    &[d.clone(), n],
                    span,
                ))
            }
            "my_lag_lead" => {
                if args.len() == 3 {
                    self.flag(
                        &codes::MYSQL8_ONLY,
                        span,
                        &[name, "a default value argument"],
                    );
                }
                None
            }
            "my_next_day" => {
                let [d, day] = args else { return None };
                let Some(n) = lit_str(day).and_then(day_number) else {
                    self.flag(
                        &codes::FUNCTION_UNSUPPORTED,
                        span,
                        &[
                            "NEXT_DAY",
                            "the day is not a literal English day name; write it with dayofweek() arithmetic",
                        ],
                    );
                    return None;
                };
                self.flag(
                    &codes::FUNCTION_SEMANTICS,
                    span,
                    &[
                        "NEXT_DAY",
                        "the day name is read in English (Oracle reads it in NLS_DATE_LANGUAGE)",
                    ],
                );
                Some(tpl(
                    "timestampadd(day, mod({1} - dayofweek({0}) + 6, 7) + 1, {0})",
                    &[d.clone(), Expr::Number(n.to_string(), span)],
                    span,
                ))
            }
            "my_regexp" => self.my_regexp(name, args, span),
            "my_sys_context" => self.my_sys_context(name, args, span),
            _ => {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[name, "no MySQL handler"],
                );
                None
            }
        }
    }

    fn my_round_trunc(&mut self, name: &str, args: &[Expr], span: Span) -> Option<Expr> {
        let first = args.first()?;
        let kind = self.kind(first);
        if kind == Kind::Date {
            let unit = match args.get(1) {
                None => Some("day"),
                Some(a) => lit_str(a).and_then(super::date_unit),
            };
            let t = unit.and_then(if name == "TRUNC" {
                trunc_date_template
            } else {
                round_date_template
            });
            let Some(t) = t else {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[
                        name,
                        "this date format unit is not a literal MySQL can compute (DD, MM, YYYY, Q, HH, MI, IW, CC for TRUNC)",
                    ],
                );
                return None;
            };
            return Some(tpl(t, std::slice::from_ref(first), span));
        }
        if kind == Kind::Unknown {
            self.flag(
                &codes::FUNCTION_SEMANTICS,
                span,
                &[
                    name,
                    "the argument's type is not known; converted for a number (a date needs another rewrite)",
                ],
            );
        }
        if name == "ROUND" {
            return None;
        }
        let digits = args
            .get(1)
            .cloned()
            .unwrap_or_else(|| Expr::Number("0".into(), span));
        Some(call("truncate", vec![first.clone(), digits], span))
    }

    /// TRANSLATE with literal character lists: one REPLACE per character, ordered so that a
    /// character produced by one step is never rewritten by a later one.
    fn my_translate(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        let unsupported = |me: &mut Self, why: &str| {
            me.flag(&codes::FUNCTION_UNSUPPORTED, span, &["TRANSLATE", why]);
            None
        };
        let [s, from, to] = args else {
            return unsupported(self, "called with other than three arguments");
        };
        // '' is NULL in Oracle, and TRANSLATE with a NULL list is NULL.
        if matches!(from, Expr::Null(_)) || matches!(to, Expr::Null(_)) {
            return Some(Expr::Null(span));
        }
        let (Some(from), Some(to)) = (lit_str(from), lit_str(to)) else {
            return unsupported(
                self,
                "the character lists are not literals; write nested REPLACE calls",
            );
        };
        let to: Vec<char> = to.chars().collect();
        let mut pairs: Vec<(char, Option<char>)> = Vec::new();
        for (i, f) in from.chars().enumerate() {
            if pairs.iter().any(|(g, _)| *g == f) {
                continue; // the first mapping of a character wins
            }
            pairs.push((f, to.get(i).copied()));
        }
        // A step that produces character c must run after the step that rewrites c.
        let mut order = Vec::new();
        let mut left: Vec<(char, Option<char>)> = pairs.clone();
        while !left.is_empty() {
            let Some(i) = left.iter().position(|(_, t)| {
                t.is_none_or(|t| !left.iter().any(|(f, t2)| *f == t && *t2 != Some(t)))
            }) else {
                return unsupported(
                    self,
                    "the lists swap characters, which nested REPLACE calls cannot do",
                );
            };
            order.push(left.remove(i));
        }
        let mut e = s.clone();
        for (f, t) in order {
            if Some(f) == t {
                continue;
            }
            e = call(
                "replace",
                vec![
                    e,
                    string(&f.to_string(), span),
                    string(&t.map(|t| t.to_string()).unwrap_or_default(), span),
                ],
                span,
            );
        }
        Some(nullif_empty(e, span))
    }

    /// LTRIM/RTRIM/TRIM: spaces with MySQL's own functions, other character sets with an
    /// anchored regular expression; an emptied string is NULL as in Oracle.
    fn my_trim(&mut self, name: &str, args: &[Expr], span: Span) -> Option<Expr> {
        let (side, set, x) = match (name, args) {
            ("LTRIM", [x]) => ("leading", None, x),
            ("RTRIM", [x]) => ("trailing", None, x),
            ("LTRIM", [x, s]) => ("leading", Some(s), x),
            ("RTRIM", [x, s]) => ("trailing", Some(s), x),
            ("TRIM", [x]) => ("both", None, x),
            ("TRIM", [Expr::Column(spec), rest @ ..]) if !rest.is_empty() && rest.len() <= 2 => {
                let side = match spec.name().value.to_ascii_uppercase().as_str() {
                    "LEADING" => "leading",
                    "TRAILING" => "trailing",
                    _ => "both",
                };
                if rest.len() == 2 {
                    (side, Some(&rest[0]), &rest[1])
                } else {
                    (side, None, &rest[0])
                }
            }
            _ => return None,
        };
        let trimmed = match set {
            None => {
                let f = match side {
                    "leading" => "ltrim",
                    "trailing" => "rtrim",
                    _ => "trim",
                };
                call(f, vec![x.clone()], span)
            }
            Some(Expr::Null(_)) => return Some(Expr::Null(span)),
            Some(s) => {
                let Some(chars) = lit_str(s) else {
                    self.flag(
                        &codes::FUNCTION_UNSUPPORTED,
                        span,
                        &[
                            name,
                            "the trimmed characters are not a literal; use regexp_replace with a character class",
                        ],
                    );
                    return None;
                };
                let mut class = String::from("[");
                for c in chars.chars() {
                    class_char(c, &mut class);
                }
                class.push_str("]+");
                let pat = match side {
                    "leading" => format!("(?-i)^{class}"),
                    "trailing" => format!("(?-i){class}$"),
                    _ => format!("(?-i)^{class}|{class}$"),
                };
                call(
                    "regexp_replace",
                    vec![x.clone(), string(&pat, span), string("", span)],
                    span,
                )
            }
        };
        Some(nullif_empty(trimmed, span))
    }

    /// LPAD/RPAD: the pad defaults to a space; a length of 0 or less gives NULL in Oracle
    /// ('' in MySQL).
    fn my_pad(&mut self, name: &str, args: &[Expr], span: Span) -> Option<Expr> {
        let f = name.to_ascii_lowercase();
        let (s, n, pad) = match args {
            [s, n] => (s, n, string(" ", span)),
            [s, n, p] => (s, n, p.clone()),
            _ => return None,
        };
        let padded = call(&f, vec![s.clone(), n.clone(), pad], span);
        if lit_int(n).is_some_and(|v| v >= 1) {
            return Some(padded);
        }
        Some(nullif_empty(padded, span))
    }

    /// SUBSTR: position 0 is 1 in Oracle (MySQL returns ''); an empty result is NULL.
    fn my_substr(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        if args.len() < 2 || args.len() > 3 {
            return None;
        }
        let mut a = args.to_vec();
        match lit_int(&args[1]) {
            Some(0) => a[1] = Expr::Number("1".into(), args[1].span()),
            Some(_) => {}
            None => {
                // A computed position: 0 must read as 1.
                a[1] = tpl(
                    "case when {0} = 0 then 1 else {0} end",
                    &[args[1].clone()],
                    span,
                );
            }
        }
        // A literal length of 1 or more on a literal start within ... still may be empty.
        Some(nullif_empty(call("substr", a, span), span))
    }

    /// INSTR(s, sub [, pos [, occurrence]]): LOCATE from a positive position; a negative
    /// position searches backwards (LOCATE in the reversed strings); occurrences after the
    /// first are not translated.
    fn my_instr(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        let unsupported = |me: &mut Self, why: &str| {
            me.flag(&codes::FUNCTION_UNSUPPORTED, span, &["INSTR", why]);
            None
        };
        match args {
            [_, _] => None,
            [s, sub, pos] | [s, sub, pos, _] => {
                if let Some(o) = args.get(3)
                    && lit_int(o) != Some(1)
                {
                    return unsupported(
                        self,
                        "an occurrence other than a literal 1 has no MySQL equivalent (regexp_instr on MySQL 8 with an escaped pattern)",
                    );
                }
                match lit_int(pos) {
                    Some(p) if p >= 1 => Some(call(
                        "locate",
                        vec![sub.clone(), s.clone(), pos.clone()],
                        span,
                    )),
                    Some(p) if p < 0 => {
                        // The match must start at or before length(s) + p + 1: in reverse(s)
                        // it ends at or after -p, i.e. starts at or after -p - length(sub) + 1.
                        let r = tpl(
                            "locate(reverse({1}), reverse({0}), greatest(1, {2} - char_length({1}) + 1))",
                            &[s.clone(), sub.clone(), Expr::Number((-p).to_string(), span)],
                            span,
                        );
                        Some(tpl(
                            "case when {2} = 0 then 0 else char_length({0}) - char_length({1}) - {2} + 2 end",
                            &[s.clone(), sub.clone(), r],
                            span,
                        ))
                    }
                    Some(_) => Some(Expr::Number("0".into(), span)),
                    None => unsupported(
                        self,
                        "a computed start position can be negative (search backwards); use locate(sub, s, pos) when it is positive",
                    ),
                }
            }
            _ => None,
        }
    }

    fn my_to_number(&mut self, args: &[Expr], span: Span) -> Option<Expr> {
        let first = args.first()?;
        let dec = |e: Expr| super::cast(e, "decimal(65,30)", span);
        self.flag(
            &codes::FUNCTION_SEMANTICS,
            span,
            &[
                "TO_NUMBER",
                "TO_NUMBER becomes a cast to decimal(65,30): a string that is not a number gives 0 with a warning outside strict mode, where Oracle raises ORA-01722",
            ],
        );
        match args {
            [_] => Some(dec(first.clone())),
            [_, fmt] => {
                let Some(f) = lit_str(fmt) else {
                    self.flag(
                        &codes::FUNCTION_UNSUPPORTED,
                        span,
                        &["TO_NUMBER", "the format is not a literal"],
                    );
                    return None;
                };
                if number_format(f).is_none() {
                    self.flag(
                        &codes::FUNCTION_UNSUPPORTED,
                        span,
                        &[
                            "TO_NUMBER",
                            "format elements other than 9, 0, ',', '.' and FM have no MySQL equivalent",
                        ],
                    );
                    return None;
                }
                let s = if f.contains(',') {
                    call(
                        "replace",
                        vec![first.clone(), string(",", span), string("", span)],
                        span,
                    )
                } else {
                    first.clone()
                };
                Some(dec(s))
            }
            _ => {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[
                        "TO_NUMBER",
                        "the NLS parameter argument has no MySQL equivalent",
                    ],
                );
                None
            }
        }
    }

    /// TO_CHAR(number, format) for formats of 9, 0, ',', '.' (FM): Oracle's text, including
    /// the sign column, the dropped leading zero of `9.99`, and `#`s when the value is too wide.
    pub(super) fn my_to_char_number(&mut self, n: &Expr, fmt: &str, span: Span) -> Option<Expr> {
        let f = number_format(fmt)?;
        let d = Expr::Number(f.decimals.to_string(), span);
        let digits = if f.grouping {
            tpl("format({0}, {1}, 'en_US')", &[n.clone(), d.clone()], span)
        } else {
            let t = format!("cast(round({{0}}, {0}) as decimal(65,{0}))", f.decimals);
            tpl(&t, std::slice::from_ref(n), span)
        };
        // Without a 0 before the point, Oracle drops the leading zero of a fraction (.50).
        let digits = if !f.zero && f.decimals > 0 {
            tpl(
                "case when abs({0}) < 1 then replace({1}, '0.', '.') else {1} end",
                &[n.clone(), digits],
                span,
            )
        } else {
            digits
        };
        let shown = if f.fill {
            digits
        } else {
            call(
                "lpad",
                vec![
                    digits,
                    Expr::Number(f.width.to_string(), span),
                    string(" ", span),
                ],
                span,
            )
        };
        let limit = format!("1{}", "0".repeat(f.int_digits));
        Some(tpl(
            "case when abs(round({0}, {1})) >= {2} then repeat('#', {3}) else {4} end",
            &[
                n.clone(),
                d,
                Expr::Number(limit, span),
                Expr::Number(f.width.to_string(), span),
                shown,
            ],
            span,
        ))
    }

    fn my_listagg(&mut self, c: &Call, args: &[Expr], span: Span) -> Option<Expr> {
        if c.over.is_some() {
            self.flag(
                &codes::FUNCTION_UNSUPPORTED,
                span,
                &[
                    "LISTAGG",
                    "the analytic form (OVER) has no MySQL equivalent: GROUP_CONCAT is not a window function",
                ],
            );
            return None;
        }
        let x = args.first()?.clone();
        let sep = match args.get(1) {
            None | Some(Expr::Null(_)) => string("", span),
            Some(s @ Expr::String(..)) => s.clone(),
            Some(_) => {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[
                        "LISTAGG",
                        "the separator is not a literal; GROUP_CONCAT's SEPARATOR must be one",
                    ],
                );
                return None;
            }
        };
        self.flag(
            &codes::FUNCTION_SEMANTICS,
            span,
            &[
                "LISTAGG",
                "GROUP_CONCAT cuts its result at group_concat_max_len (1024 bytes by default) with only a warning, where Oracle raises ORA-01489 past 4000 bytes; raise group_concat_max_len for long lists",
            ],
        );
        let mut g = c.clone();
        g.name = QName::single(Ident::new("GROUP_CONCAT", span));
        g.args = vec![
            Arg {
                name: None,
                value: x,
            },
            Arg {
                name: None,
                value: sep,
            },
        ];
        Some(Expr::Call(Box::new(g)))
    }

    /// REGEXP_LIKE / REGEXP_REPLACE / REGEXP_SUBSTR / REGEXP_INSTR. The match parameter
    /// becomes inline modifiers in the pattern; positions and occurrences past the first
    /// arguments exist in MySQL 8 only (TGT004); subexpressions have no equivalent.
    fn my_regexp(&mut self, name: &str, args: &[Expr], span: Span) -> Option<Expr> {
        let unsupported = |me: &mut Self, why: &str| {
            me.flag(&codes::FUNCTION_UNSUPPORTED, span, &[name, why]);
            None
        };
        // Position of the match parameter and of the subexpression argument.
        let (flags_at, sub_at) = match name {
            "REGEXP_LIKE" => (2, None),
            "REGEXP_REPLACE" => (5, None),
            "REGEXP_SUBSTR" => (4, Some(5)),
            _ => (5, Some(6)), // REGEXP_INSTR
        };
        if args.len() < 2 || args.len() > sub_at.unwrap_or(flags_at) + 1 {
            return unsupported(self, &format!("called with {} arguments", args.len()));
        }
        if let Some(i) = sub_at
            && let Some(sub) = args.get(i)
            && lit_int(sub) != Some(0)
        {
            return unsupported(
                self,
                "a subexpression argument has no MySQL equivalent; rewrite the pattern with lookarounds",
            );
        }
        let flags = match args.get(flags_at) {
            None | Some(Expr::Null(_)) => "",
            Some(f) => match lit_str(f) {
                Some(f) => f,
                None => return unsupported(self, "the match parameter is not a literal"),
            },
        };
        let Some(mods) = regexp_modifiers(flags) else {
            return unsupported(
                self,
                &format!("match parameter '{flags}' has letters other than i, c, n, m, x"),
            );
        };
        self.flag(
            &codes::FUNCTION_SEMANTICS,
            span,
            &[
                name,
                "Oracle (POSIX) and MySQL (ICU) regular expressions differ in some classes; the pattern is made case-sensitive as in Oracle",
            ],
        );
        let pattern = match &args[1] {
            Expr::Null(_) => return Some(Expr::Null(span)),
            Expr::String(p, s) => Expr::String(format!("{mods}{p}"), *s),
            p => call("concat", vec![string(&mods, span), p.clone()], span),
        };
        let s = args[0].clone();
        // Arguments between the pattern and the match parameter (replacement, position,
        // occurrence, return option), with their Oracle defaults.
        let mut middle: Vec<Expr> = args[2..flags_at.min(args.len())].to_vec();
        if name == "REGEXP_REPLACE" {
            // A NULL (or omitted) replacement removes the matches in Oracle.
            let r = match middle.first() {
                None | Some(Expr::Null(_)) => string("", span),
                Some(Expr::String(r, rs)) => {
                    if r.contains(['\\', '$']) {
                        self.flag(
                            &codes::MYSQL8_ONLY,
                            span,
                            &[
                                "REGEXP_REPLACE with back-references",
                                "ICU writes them $1, MariaDB \\1",
                            ],
                        );
                        let mut out = String::new();
                        let mut it = r.chars().peekable();
                        while let Some(ch) = it.next() {
                            match ch {
                                '\\' if it.peek().is_some_and(|d| d.is_ascii_digit()) => {
                                    out.push('$')
                                }
                                '$' => out.push_str("\\$"),
                                c => out.push(c),
                            }
                        }
                        Expr::String(out, *rs)
                    } else {
                        Expr::String(r.clone(), *rs)
                    }
                }
                Some(r) => call("coalesce", vec![r.clone(), string("", span)], span),
            };
            if middle.is_empty() {
                middle.push(r);
            } else {
                middle[0] = r;
            }
        }
        // Trailing defaults (position 1, occurrence 0 for REPLACE / 1 otherwise, return
        // option 0) are dropped; others need MySQL 8.
        let first_opt = usize::from(name == "REGEXP_REPLACE");
        let defaults: &[i64] = match name {
            "REGEXP_REPLACE" => &[1, 0],
            "REGEXP_INSTR" => &[1, 1, 0],
            "REGEXP_SUBSTR" => &[1, 1],
            _ => &[],
        };
        while middle.len() > first_opt {
            let i = middle.len() - 1 - first_opt;
            if lit_int(&middle[middle.len() - 1]) == defaults.get(i).copied() {
                middle.pop();
            } else {
                break;
            }
        }
        if middle.len() > first_opt {
            self.flag(
                &codes::MYSQL8_ONLY,
                span,
                &[name, "position and occurrence arguments"],
            );
        }
        let mut a = vec![s, pattern];
        a.extend(middle);
        Some(match name {
            "REGEXP_LIKE" => Expr::Binary {
                op: BinOp::Gt,
                left: Box::new(call("regexp_instr", a, span)),
                right: Box::new(Expr::Number("0".into(), span)),
                span,
            },
            "REGEXP_INSTR" => call("regexp_instr", a, span),
            // MariaDB returns '' where MySQL and Oracle return NULL (no match).
            "REGEXP_SUBSTR" => nullif_empty(call("regexp_substr", a, span), span),
            _ => nullif_empty(call("regexp_replace", a, span), span),
        })
    }

    /// SYS_CONTEXT('USERENV', p) and USERENV(p) for the parameters MySQL has.
    fn my_sys_context(&mut self, name: &str, args: &[Expr], span: Span) -> Option<Expr> {
        let param = match (name, args) {
            ("SYS_CONTEXT", [ns, p])
                if lit_str(ns).is_some_and(|n| n.eq_ignore_ascii_case("USERENV")) =>
            {
                lit_str(p)
            }
            ("USERENV", [p]) => lit_str(p),
            _ => None,
        }
        .map(|p| p.to_ascii_uppercase());
        let e = match param.as_deref() {
            Some("CURRENT_SCHEMA") => Some(("database()", "the database name is not upper-cased")),
            Some("SESSION_USER" | "CURRENT_USER") => Some((
                "substring_index(current_user(), '@', 1)",
                "the account name is not upper-cased",
            )),
            Some("SESSIONID" | "SID") => Some((
                "connection_id()",
                "MySQL connection ids differ from Oracle session ids",
            )),
            _ => None,
        };
        match e {
            Some((sql, why)) => {
                self.flag(&codes::FUNCTION_SEMANTICS, span, &[name, why]);
                Some(tpl(sql, &[], span))
            }
            None => {
                self.flag(
                    &codes::FUNCTION_UNSUPPORTED,
                    span,
                    &[
                        name,
                        "only USERENV CURRENT_SCHEMA, SESSION_USER, CURRENT_USER and SESSIONID have MySQL equivalents; use user variables or connection attributes",
                    ],
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        for u in [
            "day", "month", "year", "quarter", "hour", "minute", "week", "century",
        ] {
            if let Some(t) = trunc_date_template(u) {
                assert!(template(t).is_some(), "{t}");
            }
            if let Some(t) = round_date_template(u) {
                assert!(template(t).is_some(), "{t}");
            }
        }
    }

    #[test]
    fn regexp_flags() {
        assert_eq!(regexp_modifiers("").as_deref(), Some("(?-i)"));
        assert_eq!(regexp_modifiers("i").as_deref(), Some("(?i)"));
        assert_eq!(regexp_modifiers("ic").as_deref(), Some("(?-i)"));
        assert_eq!(regexp_modifiers("nm").as_deref(), Some("(?sm-i)"));
        assert_eq!(regexp_modifiers("q"), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(
            number_format("9999.99"),
            Some(NumberFormat {
                fill: false,
                grouping: false,
                decimals: 2,
                zero: false,
                int_digits: 4,
                width: 8
            })
        );
        assert!(number_format("FM9,990.00").is_some_and(|f| f.fill && f.grouping && f.zero));
        assert_eq!(number_format("FM9.99"), None);
        assert_eq!(number_format("0099"), None);
        assert_eq!(number_format("99,99"), None);
        assert_eq!(number_format("$999"), None);
        assert_eq!(day_number("mon"), Some(2));
        assert_eq!(day_number("Saturday"), Some(7));
    }
}
