//! The expression parser shared by all dialects (Pratt parser over the token cursor).
//!
//! Precedence, loosest first (Oracle SQL Language Reference, "Operator precedence" and
//! "Condition precedence"):
//!
//! | level | operators |
//! |-------|-----------|
//! | 1 | `OR` |
//! | 2 | `AND` |
//! | 3 | prefix `NOT` |
//! | 4 | comparisons `= <> != ^= ~= < > <= >=`, `IS [NOT] NULL`, `[NOT] LIKE`, `[NOT] IN`, `[NOT] BETWEEN` |
//! | 5 | `\|\|` (T-SQL and others) |
//! | 6 | binary `+ -` (and `\|\|` in Oracle, which puts it on the same level, left to right) |
//! | 7 | `* /`, T-SQL `%` |
//! | 8 | prefix `- +`, `PRIOR`, `CONNECT_BY_ROOT` |
//! | 9 | PL/SQL `**` |
//!
//! Encoding conventions (the IR has no dedicated node for these; passes rely on them):
//! - `EXTRACT(unit FROM x)` is `Call EXTRACT [Column(unit), x]`, `unit` upper-cased
//!   (`YEAR`, `TIMEZONE_HOUR` ...).
//! - `TRIM(x)` is `Call TRIM [x]`; the `FROM` form `TRIM([LEADING|TRAILING|BOTH] [c] FROM x)`
//!   is `Call TRIM [Column(spec), x]` without a trim character and `Call TRIM [Column(spec), c,
//!   x]` with one; `spec` is `BOTH` when not written (then its span is empty). So a TRIM call
//!   with two or more arguments is always the `FROM` form.
//! - `:new.col` / `:old.col` (any bind variable followed by `.name`, e.g. a correlation name
//!   renamed by `REFERENCING`) is `Column` whose first part is the bind name without the colon,
//!   folded like an identifier (`NEW`, `OLD`), `quoted: false`; its span covers the colon.
//!   Other bind variables are `Param(":name")` / `Param("@var")`, prefix kept, as written.
//! - PL/SQL cursor attributes `c%FOUND`, `SQL%ROWCOUNT` ... are `Column` whose last part is
//!   the attribute with its percent sign (`%FOUND`, `%NOTFOUND`, `%ISOPEN`, `%ROWCOUNT`,
//!   `%BULK_ROWCOUNT`, `%BULK_EXCEPTIONS`), so `name().value.starts_with('%')` finds them.
//! - `a ** b` (PL/SQL) is `Call POWER [a, b]`.
//! - `CONNECT_BY_ROOT x` is `Call CONNECT_BY_ROOT [x]`.
//! - Quantified comparisons `x = ANY (subquery | list)` (also `SOME`, `ALL`) are
//!   `Binary(x, Call ANY [Subquery])` or `Call ANY [e1, e2 ...]`.
//! - A query in a call argument (`CURSOR(SELECT ...)`, `MULTISET(SELECT ...)`) is an
//!   `Expr::Subquery` argument.
//! - `INTERVAL '1' DAY(3) TO SECOND(6)` keeps the qualifier words upper-cased, one space
//!   apart, without precisions: `unit = "DAY TO SECOND"` (a leading precision only bounds the
//!   literal, which Oracle has already accepted; PostgreSQL rejects `DAY(3)`).
//! - Parentheses leave no node: `(a + b)` is the `Binary` itself (printers re-parenthesise by
//!   precedence); `(a, b)` is a `Tuple`.
//! - Not supported (a `ParseError` the caller turns into a finding): `KEEP (DENSE_RANK ...)`,
//!   `IGNORE/RESPECT NULLS` inside calls, `IS [NOT] NAN/INFINITE/EMPTY/OF/A SET/JSON`.

use super::lexer::{Tok, string_value};
use super::parser::{Dialect, PResult, ParseError, Parser};
use crate::ir::{
    Arg, BinOp, Call, Case, Expr, Ident, OrderItem, QName, Query, TypeRef, UnaryOp, Window,
};
use crate::source::Span;

const BP_OR: u8 = 1;
const BP_AND: u8 = 2;
const BP_NOT: u8 = 3;
const BP_CMP: u8 = 4;
const BP_CONCAT: u8 = 5;
const BP_ADD: u8 = 6;
const BP_MUL: u8 = 7;
const BP_UNARY: u8 = 8;
const BP_POW: u8 = 9;

/// Reserved-word tables per dialect, used to decide where an expression or a name ends.
pub mod keywords {
    use crate::frontend::parser::Dialect;

    /// Oracle SQL reserved words (`V$RESERVED_WORDS` with `RESERVED = 'Y'`): never an alias.
    const ORA_RESERVED: &[&str] = &[
        "ACCESS",
        "ADD",
        "ALL",
        "ALTER",
        "AND",
        "ANY",
        "AS",
        "ASC",
        "AUDIT",
        "BETWEEN",
        "BY",
        "CHAR",
        "CHECK",
        "CLUSTER",
        "COLUMN",
        "COMMENT",
        "COMPRESS",
        "CONNECT",
        "CREATE",
        "CURRENT",
        "DATE",
        "DECIMAL",
        "DEFAULT",
        "DELETE",
        "DESC",
        "DISTINCT",
        "DROP",
        "ELSE",
        "EXCLUSIVE",
        "EXISTS",
        "FILE",
        "FLOAT",
        "FOR",
        "FROM",
        "GRANT",
        "GROUP",
        "HAVING",
        "IDENTIFIED",
        "IMMEDIATE",
        "IN",
        "INCREMENT",
        "INDEX",
        "INITIAL",
        "INSERT",
        "INTEGER",
        "INTERSECT",
        "INTO",
        "IS",
        "LEVEL",
        "LIKE",
        "LOCK",
        "LONG",
        "MAXEXTENTS",
        "MINUS",
        "MLSLABEL",
        "MODE",
        "MODIFY",
        "NOAUDIT",
        "NOCOMPRESS",
        "NOT",
        "NOWAIT",
        "NULL",
        "NUMBER",
        "OF",
        "OFFLINE",
        "ON",
        "ONLINE",
        "OPTION",
        "OR",
        "ORDER",
        "PCTFREE",
        "PRIOR",
        "PRIVILEGES",
        "PUBLIC",
        "RAW",
        "RENAME",
        "RESOURCE",
        "REVOKE",
        "ROW",
        "ROWID",
        "ROWNUM",
        "ROWS",
        "SELECT",
        "SESSION",
        "SET",
        "SHARE",
        "SIZE",
        "SMALLINT",
        "START",
        "SUCCESSFUL",
        "SYNONYM",
        "SYSDATE",
        "TABLE",
        "THEN",
        "TO",
        "TRIGGER",
        "UID",
        "UNION",
        "UNIQUE",
        "UPDATE",
        "USER",
        "VALIDATE",
        "VALUES",
        "VARCHAR",
        "VARCHAR2",
        "VIEW",
        "WHENEVER",
        "WHERE",
        "WITH",
    ];

    /// Oracle keywords that are not reserved but start a clause after a table or select item,
    /// so they are not taken as an alias without `AS`.
    const ORA_CLAUSE: &[&str] = &[
        "APPLY",
        "BULK",
        "CROSS",
        "EXCEPT",
        "FETCH",
        "FULL",
        "INNER",
        "JOIN",
        "KEEP",
        "LEFT",
        "LIMIT",
        "LOG",
        "MATCH_RECOGNIZE",
        "MODEL",
        "NATURAL",
        "OFFSET",
        "OUTER",
        "PARTITION",
        "PIVOT",
        "RETURN",
        "RETURNING",
        "RIGHT",
        "SAMPLE",
        "SUBPARTITION",
        "UNPIVOT",
        "USING",
        "WINDOW",
    ];

    /// Words that can never start an operand in Oracle SQL nor PL/SQL (reserved in both).
    /// Reserved words that are pseudo-columns (`LEVEL`, `ROWNUM`, `SYSDATE`, `USER` ...) or
    /// valid PL/SQL names (`FILE`, `COMMENT` ...) are not here.
    const ORA_NOT_OPERAND: &[&str] = &[
        "ALL",
        "AND",
        "ANY",
        "AS",
        "ASC",
        "BETWEEN",
        "BY",
        "CHECK",
        "CLUSTER",
        "COMPRESS",
        "CONNECT",
        "CREATE",
        "DESC",
        "DISTINCT",
        "DROP",
        "ELSE",
        "EXCLUSIVE",
        "FOR",
        "FROM",
        "GRANT",
        "GROUP",
        "HAVING",
        "IDENTIFIED",
        "IN",
        "INDEX",
        "INSERT",
        "INTERSECT",
        "INTO",
        "IS",
        "LIKE",
        "LOCK",
        "MINUS",
        "MODE",
        "NOCOMPRESS",
        "NOWAIT",
        "OF",
        "ON",
        "OPTION",
        "OR",
        "ORDER",
        "PUBLIC",
        "RESOURCE",
        "REVOKE",
        "SELECT",
        "SHARE",
        "SIZE",
        "START",
        "TABLE",
        "THEN",
        "TO",
        "UNION",
        "UNIQUE",
        "UPDATE",
        "VALUES",
        "VIEW",
        "WHERE",
        "WITH",
    ];

    /// T-SQL reserved keywords (SQL Server documentation).
    const TSQL_RESERVED: &[&str] = &[
        "ADD",
        "ALL",
        "ALTER",
        "AND",
        "ANY",
        "AS",
        "ASC",
        "AUTHORIZATION",
        "BACKUP",
        "BEGIN",
        "BETWEEN",
        "BREAK",
        "BROWSE",
        "BULK",
        "BY",
        "CASCADE",
        "CASE",
        "CHECK",
        "CHECKPOINT",
        "CLOSE",
        "CLUSTERED",
        "COALESCE",
        "COLLATE",
        "COLUMN",
        "COMMIT",
        "COMPUTE",
        "CONSTRAINT",
        "CONTAINS",
        "CONTAINSTABLE",
        "CONTINUE",
        "CONVERT",
        "CREATE",
        "CROSS",
        "CURRENT",
        "CURRENT_DATE",
        "CURRENT_TIME",
        "CURRENT_TIMESTAMP",
        "CURRENT_USER",
        "CURSOR",
        "DATABASE",
        "DBCC",
        "DEALLOCATE",
        "DECLARE",
        "DEFAULT",
        "DELETE",
        "DENY",
        "DESC",
        "DISK",
        "DISTINCT",
        "DISTRIBUTED",
        "DOUBLE",
        "DROP",
        "DUMP",
        "ELSE",
        "END",
        "ERRLVL",
        "ESCAPE",
        "EXCEPT",
        "EXEC",
        "EXECUTE",
        "EXISTS",
        "EXIT",
        "EXTERNAL",
        "FETCH",
        "FILE",
        "FILLFACTOR",
        "FOR",
        "FOREIGN",
        "FREETEXT",
        "FREETEXTTABLE",
        "FROM",
        "FULL",
        "FUNCTION",
        "GOTO",
        "GRANT",
        "GROUP",
        "HAVING",
        "HOLDLOCK",
        "IDENTITY",
        "IDENTITYCOL",
        "IDENTITY_INSERT",
        "IF",
        "IN",
        "INDEX",
        "INNER",
        "INSERT",
        "INTERSECT",
        "INTO",
        "IS",
        "JOIN",
        "KEY",
        "KILL",
        "LEFT",
        "LIKE",
        "LINENO",
        "LOAD",
        "MERGE",
        "NATIONAL",
        "NOCHECK",
        "NONCLUSTERED",
        "NOT",
        "NULL",
        "NULLIF",
        "OF",
        "OFF",
        "OFFSETS",
        "ON",
        "OPEN",
        "OPENDATASOURCE",
        "OPENQUERY",
        "OPENROWSET",
        "OPENXML",
        "OPTION",
        "OR",
        "ORDER",
        "OUTER",
        "OVER",
        "PERCENT",
        "PIVOT",
        "PLAN",
        "PRECISION",
        "PRIMARY",
        "PRINT",
        "PROC",
        "PROCEDURE",
        "PUBLIC",
        "RAISERROR",
        "READ",
        "READTEXT",
        "RECONFIGURE",
        "REFERENCES",
        "REPLICATION",
        "RESTORE",
        "RESTRICT",
        "RETURN",
        "REVERT",
        "REVOKE",
        "RIGHT",
        "ROLLBACK",
        "ROWCOUNT",
        "ROWGUIDCOL",
        "RULE",
        "SAVE",
        "SCHEMA",
        "SECURITYAUDIT",
        "SELECT",
        "SESSION_USER",
        "SET",
        "SETUSER",
        "SHUTDOWN",
        "SOME",
        "STATISTICS",
        "SYSTEM_USER",
        "TABLE",
        "TABLESAMPLE",
        "TEXTSIZE",
        "THEN",
        "TO",
        "TOP",
        "TRAN",
        "TRANSACTION",
        "TRIGGER",
        "TRUNCATE",
        "TRY_CONVERT",
        "TSEQUAL",
        "UNION",
        "UNIQUE",
        "UNPIVOT",
        "UPDATE",
        "UPDATETEXT",
        "USE",
        "USER",
        "VALUES",
        "VARYING",
        "VIEW",
        "WAITFOR",
        "WHEN",
        "WHERE",
        "WHILE",
        "WITH",
        "WRITETEXT",
    ];

    const TSQL_CLAUSE: &[&str] = &["APPLY", "OFFSET", "OUTPUT", "WINDOW"];

    const TSQL_NOT_OPERAND: &[&str] = &[
        "ALL",
        "AND",
        "ANY",
        "AS",
        "ASC",
        "BETWEEN",
        "BY",
        "CROSS",
        "DESC",
        "DISTINCT",
        "ELSE",
        "END",
        "ESCAPE",
        "EXCEPT",
        "FROM",
        "FULL",
        "GROUP",
        "HAVING",
        "IN",
        "INNER",
        "INTERSECT",
        "INTO",
        "IS",
        "JOIN",
        "LIKE",
        "ON",
        "OR",
        "ORDER",
        "OUTER",
        "SELECT",
        "SET",
        "SOME",
        "THEN",
        "UNION",
        "WHEN",
        "WHERE",
        "WITH",
    ];

    /// Case-insensitive membership in an upper-case, byte-sorted list (no allocation).
    fn contains(list: &[&str], word: &str) -> bool {
        if word.len() > 20 {
            return false;
        }
        list.binary_search_by(|probe| {
            let a = probe.bytes();
            let b = word.bytes().map(|c| c.to_ascii_uppercase());
            a.cmp(b)
        })
        .is_ok()
    }

    /// A reserved word of the dialect (cannot be an unquoted name).
    pub fn is_reserved(d: Dialect, word: &str) -> bool {
        match d {
            Dialect::Oracle => contains(ORA_RESERVED, word),
            Dialect::TSql | Dialect::Ase => contains(TSQL_RESERVED, word),
        }
    }

    /// Can this unquoted word not be an alias written without `AS` (after a select item or a
    /// table reference)?
    pub fn ends_alias(d: Dialect, word: &str) -> bool {
        match d {
            Dialect::Oracle => contains(ORA_RESERVED, word) || contains(ORA_CLAUSE, word),
            Dialect::TSql | Dialect::Ase => {
                contains(TSQL_RESERVED, word) || contains(TSQL_CLAUSE, word)
            }
        }
    }

    /// Can this unquoted word not start an operand (column, call)?
    pub fn not_operand(d: Dialect, word: &str) -> bool {
        match d {
            Dialect::Oracle => contains(ORA_NOT_OPERAND, word),
            Dialect::TSql | Dialect::Ase => contains(TSQL_NOT_OPERAND, word),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn tables_are_sorted_upper_case() {
            for list in [
                ORA_RESERVED,
                ORA_CLAUSE,
                ORA_NOT_OPERAND,
                TSQL_RESERVED,
                TSQL_CLAUSE,
                TSQL_NOT_OPERAND,
            ] {
                for w in list.windows(2) {
                    assert!(w[0] < w[1], "{} >= {}", w[0], w[1]);
                }
                for w in list.iter() {
                    assert_eq!(w.to_ascii_uppercase(), *w);
                    assert!(w.len() <= 20);
                    assert!(contains(list, &w.to_ascii_lowercase()));
                }
            }
            for w in ORA_NOT_OPERAND {
                assert!(contains(ORA_RESERVED, w), "{w}");
            }
            assert!(is_reserved(Dialect::Oracle, "From"));
            assert!(!is_reserved(Dialect::Oracle, "emp"));
            assert!(ends_alias(Dialect::Oracle, "join"));
            assert!(!not_operand(Dialect::Oracle, "rownum"));
        }
    }
}

/// What a parenthesised group turned out to hold.
pub(crate) enum Paren {
    Query(Box<Query>),
    /// Expressions and the span of the whole group, parentheses included.
    List(Vec<Expr>, Span),
}

/// An infix operator seen at the cursor (not consumed yet).
#[derive(Clone, Copy)]
enum Infix {
    Bin(BinOp),
    Pow,
    Is,
    /// `[NOT] LIKE | IN | BETWEEN`; `not` = the NOT token is there.
    Like(bool),
    In(bool),
    Between(bool),
    /// T-SQL `*=` (`true`: the right side is optional) and `=*`.
    OuterEq(bool),
}

const CURSOR_ATTRS: [&str; 6] = [
    "FOUND",
    "NOTFOUND",
    "ISOPEN",
    "ROWCOUNT",
    "BULK_ROWCOUNT",
    "BULK_EXCEPTIONS",
];

impl<'a> Parser<'a> {
    /// Parses one expression (full precedence: OR, AND, NOT, comparisons, IS NULL, LIKE, IN,
    /// BETWEEN, `||`, `+ -`, `* /`, unary, postfix `(+)`, primaries). Stops at the first
    /// token it cannot use, which is left for the caller.
    pub fn expr(&mut self) -> PResult<Expr> {
        self.expr_bp(0)
    }

    /// Runs `f` one nesting level deeper; fails instead of recursing past
    /// [`super::parser::MAX_DEPTH`].
    pub(crate) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if let Err(e) = self.enter() {
            self.leave();
            return Err(e);
        }
        let r = f(self);
        self.leave();
        r
    }

    /// An expression whose operators all bind at least as tightly as `min_bp`.
    fn expr_bp(&mut self, min_bp: u8) -> PResult<Expr> {
        self.nested(|p| p.expr_bp_inner(min_bp))
    }

    fn expr_bp_inner(&mut self, min_bp: u8) -> PResult<Expr> {
        let start = self.offset();
        let mut lhs = self.prefix()?;
        while let Some((op, lbp)) = self.peek_infix() {
            if lbp < min_bp {
                break;
            }
            lhs = self.infix(start, lhs, op, lbp)?;
        }
        Ok(lhs)
    }

    fn peek_infix(&self) -> Option<(Infix, u8)> {
        let kind = self.peek_kind()?;
        let concat_bp = if self.dialect == Dialect::Oracle {
            BP_ADD
        } else {
            BP_CONCAT
        };
        let r = match kind {
            Tok::Eq => (Infix::Bin(BinOp::Eq), BP_CMP),
            Tok::StarEq if self.dialect != Dialect::Oracle => (Infix::OuterEq(true), BP_CMP),
            Tok::EqStar if self.dialect != Dialect::Oracle => (Infix::OuterEq(false), BP_CMP),
            Tok::NotEq => (Infix::Bin(BinOp::NotEq), BP_CMP),
            Tok::Lt => (Infix::Bin(BinOp::Lt), BP_CMP),
            Tok::LtEq => (Infix::Bin(BinOp::LtEq), BP_CMP),
            Tok::Gt => (Infix::Bin(BinOp::Gt), BP_CMP),
            Tok::GtEq => (Infix::Bin(BinOp::GtEq), BP_CMP),
            Tok::Concat => (Infix::Bin(BinOp::Concat), concat_bp),
            Tok::Plus => (Infix::Bin(BinOp::Add), BP_ADD),
            Tok::Minus => (Infix::Bin(BinOp::Sub), BP_ADD),
            Tok::Star => {
                if self.dialect == Dialect::Oracle && self.adjacent_stars() {
                    (Infix::Pow, BP_POW)
                } else {
                    (Infix::Bin(BinOp::Mul), BP_MUL)
                }
            }
            Tok::Slash => (Infix::Bin(BinOp::Div), BP_MUL),
            Tok::Percent if self.dialect != Dialect::Oracle => (Infix::Bin(BinOp::Mod), BP_MUL),
            Tok::Word => {
                let w = self.peek_text();
                if w.eq_ignore_ascii_case("AND") {
                    (Infix::Bin(BinOp::And), BP_AND)
                } else if w.eq_ignore_ascii_case("OR") {
                    (Infix::Bin(BinOp::Or), BP_OR)
                } else if w.eq_ignore_ascii_case("IS") {
                    (Infix::Is, BP_CMP)
                } else if w.eq_ignore_ascii_case("LIKE") {
                    (Infix::Like(false), BP_CMP)
                } else if w.eq_ignore_ascii_case("IN") {
                    (Infix::In(false), BP_CMP)
                } else if w.eq_ignore_ascii_case("BETWEEN") {
                    (Infix::Between(false), BP_CMP)
                } else if w.eq_ignore_ascii_case("NOT") {
                    if self.nth_kw(1, "LIKE") {
                        (Infix::Like(true), BP_CMP)
                    } else if self.nth_kw(1, "IN") {
                        (Infix::In(true), BP_CMP)
                    } else if self.nth_kw(1, "BETWEEN") {
                        (Infix::Between(true), BP_CMP)
                    } else {
                        return None;
                    }
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        Some(r)
    }

    /// `**` written without a space between the stars.
    fn adjacent_stars(&self) -> bool {
        match (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
            (Some(a), Some(b)) => b.kind == Tok::Star && a.end == b.start,
            _ => false,
        }
    }

    fn infix(&mut self, start: u32, lhs: Expr, op: Infix, lbp: u8) -> PResult<Expr> {
        match op {
            // `a *= b` is `a = b (+)`: `passes::outer_join` builds the ANSI join.
            Infix::OuterEq(right) => {
                self.bump();
                let rhs = self.expr_bp(lbp + 1)?;
                let (left, right) = if right {
                    (lhs, Expr::OuterJoin(Box::new(rhs)))
                } else {
                    (Expr::OuterJoin(Box::new(lhs)), rhs)
                };
                Ok(Expr::Binary {
                    op: BinOp::Eq,
                    left: Box::new(left),
                    right: Box::new(right),
                    span: self.span_from(start),
                })
            }
            Infix::Bin(op) => {
                self.bump();
                let rhs = self.expr_bp(lbp + 1)?;
                Ok(Expr::Binary {
                    op,
                    left: Box::new(lhs),
                    right: Box::new(rhs),
                    span: self.span_from(start),
                })
            }
            Infix::Pow => {
                let name_span = self.span();
                self.bump();
                self.bump();
                let rhs = self.expr_bp(lbp + 1)?;
                Ok(Expr::Call(Box::new(Call {
                    name: QName::single(Ident::new("POWER", name_span)),
                    args: vec![positional(lhs), positional(rhs)],
                    distinct: false,
                    over: None,
                    within_group: Vec::new(),
                    span: self.span_from(start),
                })))
            }
            Infix::Is => {
                self.bump();
                let not = self.eat_kw("NOT");
                if self.eat_kw("NULL") {
                    Ok(Expr::IsNull {
                        expr: Box::new(lhs),
                        not,
                        span: self.span_from(start),
                    })
                } else if self.eat_kws(&["DISTINCT", "FROM"]) {
                    let rhs = self.expr_bp(BP_CMP + 1)?;
                    Ok(Expr::IsDistinct {
                        left: Box::new(lhs),
                        right: Box::new(rhs),
                        not,
                        span: self.span_from(start),
                    })
                } else {
                    Err(self.error("unsupported IS condition (expected NULL or DISTINCT FROM)"))
                }
            }
            Infix::Like(not) => {
                if not {
                    self.bump();
                }
                self.bump();
                let pattern = self.expr_bp(BP_CMP + 1)?;
                let escape = if self.eat_kw("ESCAPE") {
                    Some(Box::new(self.expr_bp(BP_CMP + 1)?))
                } else {
                    None
                };
                Ok(Expr::Like {
                    expr: Box::new(lhs),
                    pattern: Box::new(pattern),
                    escape,
                    not,
                    span: self.span_from(start),
                })
            }
            Infix::Between(not) => {
                if not {
                    self.bump();
                }
                self.bump();
                let low = self.expr_bp(BP_CMP + 1)?;
                self.expect_kw("AND")?;
                let high = self.expr_bp(BP_CMP + 1)?;
                Ok(Expr::Between {
                    expr: Box::new(lhs),
                    low: Box::new(low),
                    high: Box::new(high),
                    not,
                    span: self.span_from(start),
                })
            }
            Infix::In(not) => {
                if not {
                    self.bump();
                }
                self.bump();
                if !self.at(Tok::LParen) {
                    return Err(self.error("expected `(` after IN"));
                }
                match self.paren_contents()? {
                    Paren::Query(q) => Ok(Expr::InQuery {
                        expr: Box::new(lhs),
                        query: q,
                        not,
                        span: self.span_from(start),
                    }),
                    Paren::List(list, _) => Ok(Expr::InList {
                        expr: Box::new(lhs),
                        list,
                        not,
                        span: self.span_from(start),
                    }),
                }
            }
        }
    }

    // The functions on the recursive path (prefix -> primary -> paren / word -> name -> call
    // -> expr) are kept small and dispatch to out-of-line helpers: in debug builds every
    // temporary of a function has its own stack slot, and the nesting limit must be reached
    // long before a 2 MiB thread stack is.

    /// Prefix operators, then a primary.
    fn prefix(&mut self) -> PResult<Expr> {
        match self.peek_kind() {
            Some(Tok::Minus | Tok::Plus) => self.prefix_op(),
            Some(Tok::Word)
                if self.at_kw("NOT")
                    || self.at_kw("PRIOR")
                    || (self.dialect == Dialect::Oracle && self.at_kw("CONNECT_BY_ROOT")) =>
            {
                self.prefix_op()
            }
            _ => self.primary(),
        }
    }

    fn prefix_op(&mut self) -> PResult<Expr> {
        let start = self.offset();
        let (op, bp) = if self.at(Tok::Minus) {
            (UnaryOp::Neg, BP_UNARY)
        } else if self.at(Tok::Plus) {
            (UnaryOp::Plus, BP_UNARY)
        } else if self.at_kw("PRIOR") {
            (UnaryOp::Prior, BP_UNARY)
        } else if self.at_kw("NOT") {
            if self.nth_kw(1, "EXISTS") && self.nth_kind(2) == Some(Tok::LParen) {
                self.bump();
                return self.exists(start, true);
            }
            (UnaryOp::Not, BP_NOT)
        } else {
            // CONNECT_BY_ROOT
            let name = self.ident()?;
            let e = self.expr_bp(BP_UNARY)?;
            return Ok(call(QName::single(name), vec![e], self.span_from(start)));
        };
        self.bump();
        let e = self.expr_bp(bp)?;
        Ok(unary(op, e, self.span_from(start)))
    }

    fn primary(&mut self) -> PResult<Expr> {
        match self.peek_kind() {
            Some(Tok::LParen) => self.paren_primary(),
            Some(Tok::Word) => self.word_primary(),
            Some(Tok::QuotedIdent | Tok::BracketIdent) => self.name_primary(),
            Some(Tok::Bind) => self.bind_primary(),
            _ => self.literal(),
        }
    }

    /// Numbers, strings, `@var` and `?` parameters.
    fn literal(&mut self) -> PResult<Expr> {
        let Some(t) = self.toks.get(self.pos).copied() else {
            return Err(self.error("expected an expression"));
        };
        let text = self.peek_text();
        let span = self.tok_span(t);
        let e = match t.kind {
            Tok::Number | Tok::HexNumber => Expr::Number(text.to_string(), span),
            Tok::String => Expr::String(string_value(t.kind, text), span),
            Tok::NString => Expr::NString(string_value(t.kind, text), span),
            Tok::QString if text.starts_with(['n', 'N']) => {
                Expr::NString(string_value(t.kind, text), span)
            }
            Tok::QString => Expr::String(string_value(t.kind, text), span),
            Tok::Variable => Expr::Param(text.to_string(), span),
            _ => return Err(self.error("expected an expression")),
        };
        self.bump();
        Ok(e)
    }

    /// `:x` / `:1` bind variables; `:new.col` correlation names.
    fn bind_primary(&mut self) -> PResult<Expr> {
        let Some(t) = self.bump() else {
            return Err(self.error("expected an expression"));
        };
        let text = &self.text[t.start as usize..t.end as usize];
        let correlation = self.at(Tok::Dot)
            && matches!(
                self.nth_kind(1),
                Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent)
            )
            && text.len() > 1
            && !text.as_bytes()[1].is_ascii_digit();
        if !correlation {
            return Ok(Expr::Param(text.to_string(), self.tok_span(t)));
        }
        let raw = &text[1..];
        let value = match self.dialect {
            Dialect::Oracle => raw.to_uppercase(),
            _ => raw.to_string(),
        };
        let mut parts = vec![Ident::new(value, self.tok_span(t))];
        while self.at(Tok::Dot)
            && matches!(
                self.nth_kind(1),
                Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent)
            )
        {
            self.bump();
            parts.push(self.ident()?);
        }
        Ok(Expr::Column(QName {
            parts,
            dblink: None,
        }))
    }

    /// `(e)`, `(a, b)`, `(SELECT ..)`, and `(col) (+)`.
    fn paren_primary(&mut self) -> PResult<Expr> {
        match self.paren_contents()? {
            Paren::Query(q) => Ok(Expr::Subquery(q)),
            Paren::List(list, span) => self.paren_list_expr(list, span),
        }
    }

    fn paren_list_expr(&mut self, mut list: Vec<Expr>, span: Span) -> PResult<Expr> {
        if list.len() != 1 {
            return Ok(Expr::Tuple(list, span));
        }
        let e = list.pop().expect("one element");
        if matches!(e, Expr::Column(_)) && self.at_outer_join_marker() {
            self.pos += 3;
            return Ok(Expr::OuterJoin(Box::new(e)));
        }
        Ok(e)
    }

    fn at_outer_join_marker(&self) -> bool {
        self.dialect == Dialect::Oracle
            && self.at(Tok::LParen)
            && self.nth_kind(1) == Some(Tok::Plus)
            && self.nth_kind(2) == Some(Tok::RParen)
    }

    fn word_primary(&mut self) -> PResult<Expr> {
        if self.at_special_word() {
            return self.keyword_primary();
        }
        if keywords::not_operand(self.dialect, self.peek_text()) {
            return Err(self.error("expected an expression"));
        }
        self.name_primary()
    }

    /// Is the cursor at a word with its own expression syntax (`CASE`, `CAST(`, `DATE '..'`)?
    fn at_special_word(&self) -> bool {
        let w = self.peek_text();
        let is = |k: &str| w.eq_ignore_ascii_case(k);
        match self.nth_kind(1) {
            Some(Tok::LParen) => {
                is("CAST")
                    || is("EXTRACT")
                    || is("TRIM")
                    || is("EXISTS")
                    || is("ANY")
                    || is("SOME")
                    || is("ALL")
                    || is("CASE")
            }
            Some(Tok::String) => is("DATE") || is("TIMESTAMP") || is("INTERVAL") || is("CASE"),
            Some(Tok::Dot) => false,
            _ => {
                is("NULL")
                    || is("TRUE")
                    || is("FALSE")
                    || is("CASE")
                    || is("DEFAULT")
                    // T-SQL `NEXT VALUE FOR seq`
                    || (is("NEXT") && self.nth_kw(1, "VALUE") && self.nth_kw(2, "FOR"))
            }
        }
    }

    /// The forms recognised by [`Self::at_special_word`] (one more unit of the nesting
    /// budget: CASE, TRIM, EXISTS ... have large frames).
    fn keyword_primary(&mut self) -> PResult<Expr> {
        self.nested(|p| p.keyword_primary_inner())
    }

    fn keyword_primary_inner(&mut self) -> PResult<Expr> {
        let w = self.peek_text();
        let is = |k: &str| w.eq_ignore_ascii_case(k);
        let start = self.offset();
        let span = self.span();
        if is("CASE") {
            self.case_expr()
        } else if is("NULL") {
            self.bump();
            Ok(Expr::Null(span))
        } else if is("TRUE") || is("FALSE") {
            self.bump();
            Ok(Expr::Bool(is("TRUE"), span))
        } else if is("DEFAULT") {
            self.bump();
            Ok(Expr::Default(span))
        } else if is("NEXT") {
            self.bump();
            self.bump();
            self.bump();
            let q = self.qname()?;
            Ok(Expr::NextVal(q, span))
        } else if is("CAST") {
            self.cast_expr()
        } else if is("EXTRACT") {
            self.extract_expr()
        } else if is("TRIM") {
            self.trim_expr()
        } else if is("EXISTS") {
            self.exists(start, false)
        } else if is("INTERVAL") {
            self.interval_literal()
        } else if is("DATE") || is("TIMESTAMP") {
            self.bump();
            let t = self.bump().expect("checked by at_special_word");
            let value = string_value(Tok::String, &self.text[t.start as usize..t.end as usize]);
            Ok(Expr::TypedString {
                ty: w.to_ascii_uppercase(),
                value,
                span: self.span_from(start),
            })
        } else {
            // ANY / SOME / ALL ( subquery | list )
            let name = Ident::new(w.to_ascii_uppercase(), span);
            self.bump();
            let args = match self.paren_contents()? {
                Paren::Query(q) => vec![Expr::Subquery(q)],
                Paren::List(list, _) => list,
            };
            Ok(call(QName::single(name), args, self.span_from(start)))
        }
    }

    /// Column reference, function call, `(+)` marker, cursor attribute.
    fn name_primary(&mut self) -> PResult<Expr> {
        let start = self.offset();
        let mut name = self.qname()?;
        if self.dialect == Dialect::Oracle && self.at(Tok::Percent) {
            self.cursor_attribute(&mut name);
        }
        if !self.at(Tok::LParen) {
            return Ok(Expr::Column(name));
        }
        if self.at_outer_join_marker() {
            self.pos += 3;
            return Ok(Expr::OuterJoin(Box::new(Expr::Column(name))));
        }
        let mut e = self.call_rest(start, name)?;
        // PL/SQL: a field of a function result or collection element, `f(x).name`.
        while self.dialect == Dialect::Oracle
            && self.at(Tok::Dot)
            && matches!(self.nth_kind(1), Some(Tok::Word | Tok::QuotedIdent))
        {
            self.bump();
            let field = self.ident()?;
            e = Expr::Field {
                base: Box::new(e),
                field,
                span: self.span_from(start),
            };
        }
        Ok(e)
    }

    /// `c%FOUND` ...: appends `%FOUND` to the name (cursor at `%`).
    fn cursor_attribute(&mut self, name: &mut QName) {
        if self.nth_kind(1) == Some(Tok::Word)
            && CURSOR_ATTRS
                .iter()
                .any(|a| self.nth_text(1).eq_ignore_ascii_case(a))
        {
            let pct = self.bump().expect("checked");
            let t = self.bump().expect("checked");
            let attr = &self.text[t.start as usize..t.end as usize];
            let span = Span::new(self.file, self.base + pct.start, self.base + t.end);
            name.parts
                .push(Ident::new(format!("%{}", attr.to_ascii_uppercase()), span));
        }
    }

    /// The argument list and trailing clauses of a call; the cursor is at `(`.
    pub(crate) fn call_rest(&mut self, start: u32, name: QName) -> PResult<Expr> {
        // A call level costs two units of the nesting budget (its frames are the largest).
        self.nested(|p| p.nested(|p| p.call_rest_inner(start, name)))
    }

    fn call_rest_inner(&mut self, start: u32, name: QName) -> PResult<Expr> {
        self.expect(Tok::LParen, "`(`")?;
        let mut distinct = false;
        if self.eat_kw("DISTINCT") || self.eat_kw("UNIQUE") {
            distinct = true;
        } else if self.at_kw("ALL") && self.nth_kind(1) != Some(Tok::LParen) {
            self.bump();
        }
        let args = self.call_args()?;
        let mut c = Box::new(Call {
            name,
            args,
            distinct,
            over: None,
            within_group: Vec::new(),
            span: self.span_from(start),
        });
        self.call_suffix(&mut c)?;
        c.span = self.span_from(start);
        Ok(Expr::Call(c))
    }

    /// Arguments up to and including `)`.
    fn call_args(&mut self) -> PResult<Vec<Arg>> {
        let mut args = Vec::new();
        if self.at(Tok::Star) && self.nth_kind(1) == Some(Tok::RParen) {
            let sp = self.span();
            self.bump();
            args.push(positional(Expr::Star(sp)));
        } else if !self.at(Tok::RParen) {
            loop {
                args.push(self.call_arg()?);
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
        }
        if self.at_kws(&["IGNORE", "NULLS"]) || self.at_kws(&["RESPECT", "NULLS"]) {
            return Err(self.error("IGNORE/RESPECT NULLS is not supported"));
        }
        self.expect(Tok::RParen, "`)`")?;
        Ok(args)
    }

    fn call_arg(&mut self) -> PResult<Arg> {
        let name = if self.at_ident() && self.nth_kind(1) == Some(Tok::Arrow) {
            let n = self.ident()?;
            self.bump();
            Some(n)
        } else {
            None
        };
        let value = if self.at_query_start() {
            Expr::Subquery(Box::new(self.query()?))
        } else {
            self.expr()?
        };
        Ok(Arg { name, value })
    }

    /// `WITHIN GROUP (ORDER BY ..)`, `KEEP (..)` (unsupported), `OVER (..)`.
    fn call_suffix(&mut self, c: &mut Call) -> PResult<()> {
        if self.at_kws(&["WITHIN", "GROUP"]) {
            self.pos += 2;
            self.expect(Tok::LParen, "`(`")?;
            self.expect_kw("ORDER")?;
            self.expect_kw("BY")?;
            c.within_group = self.order_items()?;
            self.expect(Tok::RParen, "`)`")?;
        }
        if self.at_kw("KEEP") && self.nth_kind(1) == Some(Tok::LParen) {
            return Err(ParseError {
                message: "KEEP (DENSE_RANK FIRST|LAST ...) is not supported".into(),
                span: self.span(),
            });
        }
        if self.at_kw("OVER") && self.nth_kind(1) == Some(Tok::LParen) {
            self.bump();
            c.over = Some(self.window()?);
        }
        Ok(())
    }

    /// `( [PARTITION BY ...] [ORDER BY ...] [frame] )`.
    fn window(&mut self) -> PResult<Window> {
        self.expect(Tok::LParen, "`(`")?;
        let mut w = Window::default();
        if self.eat_kws(&["PARTITION", "BY"]) {
            w.partition_by = self.expr_list()?;
        }
        if self.eat_kws(&["ORDER", "BY"]) {
            w.order_by = self.order_items()?;
        }
        if self.at_kw("ROWS") || self.at_kw("RANGE") || self.at_kw("GROUPS") {
            let from = self.pos;
            let mut depth = 0u32;
            while let Some(k) = self.peek_kind() {
                match k {
                    Tok::LParen => depth += 1,
                    Tok::RParen if depth == 0 => break,
                    Tok::RParen => depth -= 1,
                    _ => {}
                }
                self.bump();
            }
            w.frame = Some(self.tokens_text(from, self.pos));
        }
        self.expect(Tok::RParen, "`)`")?;
        Ok(w)
    }

    /// The text of tokens `from..to`, one space between tokens except around `.` and inside
    /// parentheses and before `,`.
    pub(crate) fn tokens_text(&self, from: usize, to: usize) -> String {
        let mut s = String::new();
        let mut prev: Option<Tok> = None;
        for t in self.toks.get(from..to).unwrap_or(&[]) {
            let glue = matches!(prev, None | Some(Tok::LParen | Tok::Dot))
                || matches!(t.kind, Tok::RParen | Tok::Comma | Tok::Dot);
            if !glue {
                s.push(' ');
            }
            s.push_str(&self.text[t.start as usize..t.end as usize]);
            prev = Some(t.kind);
        }
        s
    }

    /// `e, e, ...`
    pub(crate) fn expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.eat(Tok::Comma) {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    /// `e [ASC|DESC] [NULLS FIRST|LAST], ...` (after `ORDER BY`).
    pub(crate) fn order_items(&mut self) -> PResult<Vec<OrderItem>> {
        let mut v = Vec::new();
        loop {
            let expr = self.expr()?;
            let desc = if self.eat_kw("DESC") {
                true
            } else {
                self.eat_kw("ASC");
                false
            };
            let nulls_first = if self.eat_kws(&["NULLS", "FIRST"]) {
                Some(true)
            } else if self.eat_kws(&["NULLS", "LAST"]) {
                Some(false)
            } else {
                None
            };
            v.push(OrderItem {
                expr,
                desc,
                nulls_first,
            });
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        Ok(v)
    }

    /// Is the cursor at the first keyword of a query (`SELECT`, `WITH`)?
    pub(crate) fn at_query_start(&self) -> bool {
        self.at_kw("SELECT") || self.at_kw("WITH")
    }

    /// A parenthesised group at the cursor: a query, or a list of expressions. A group whose
    /// first element is a parenthesised query followed by a set operator or ORDER BY is a
    /// query too (`((SELECT ..) UNION (SELECT ..))`).
    pub(crate) fn paren_contents(&mut self) -> PResult<Paren> {
        // Two units of the nesting budget per parenthesis level, as for calls.
        self.nested(|p| p.nested(|p| p.paren_contents_inner()))
    }

    fn paren_contents_inner(&mut self) -> PResult<Paren> {
        let start = self.offset();
        self.expect(Tok::LParen, "`(`")?;
        if self.at_query_start() {
            return self.paren_query_rest(None);
        }
        let inner_start = self.offset();
        let first = self.expr()?;
        if matches!(first, Expr::Subquery(_)) && self.at_query_continuation() {
            return self.paren_query_rest(Some((inner_start, first)));
        }
        let mut list = vec![first];
        while self.eat(Tok::Comma) {
            list.push(self.expr()?);
        }
        self.expect(Tok::RParen, "`)`")?;
        Ok(Paren::List(list, self.span_from(start)))
    }

    /// The query inside a parenthesis, up to and including `)`; `first` is an already parsed
    /// parenthesised first operand.
    fn paren_query_rest(&mut self, first: Option<(u32, Expr)>) -> PResult<Paren> {
        let q = match first {
            Some((start, Expr::Subquery(q))) => self.query_continue(start, *q)?,
            _ => self.query()?,
        };
        self.expect(Tok::RParen, "`)`")?;
        Ok(Paren::Query(Box::new(q)))
    }

    fn exists(&mut self, start: u32, not: bool) -> PResult<Expr> {
        self.expect_kw("EXISTS")?;
        self.expect(Tok::LParen, "`(`")?;
        let q = self.query()?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(Expr::Exists {
            query: Box::new(q),
            not,
            span: self.span_from(start),
        })
    }

    fn case_expr(&mut self) -> PResult<Expr> {
        let start = self.offset();
        self.expect_kw("CASE")?;
        let operand = if self.at_kw("WHEN") {
            None
        } else {
            Some(self.expr()?)
        };
        let mut whens = Vec::new();
        while self.eat_kw("WHEN") {
            let c = self.expr()?;
            self.expect_kw("THEN")?;
            let r = self.expr()?;
            whens.push((c, r));
        }
        if whens.is_empty() {
            return Err(self.error("expected WHEN"));
        }
        let else_ = if self.eat_kw("ELSE") {
            Some(self.expr()?)
        } else {
            None
        };
        self.expect_kw("END")?;
        Ok(Expr::Case(Box::new(Case {
            operand,
            whens,
            else_,
            span: self.span_from(start),
        })))
    }

    fn cast_expr(&mut self) -> PResult<Expr> {
        let start = self.offset();
        self.bump();
        self.expect(Tok::LParen, "`(`")?;
        let e = self.expr()?;
        self.expect_kw("AS")?;
        let ty = self.data_type()?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(Expr::Cast {
            expr: Box::new(e),
            ty: Box::new(TypeRef::new(ty)),
            span: self.span_from(start),
        })
    }

    /// `EXTRACT(unit FROM x)` -> `Call EXTRACT [Column(unit), x]`.
    fn extract_expr(&mut self) -> PResult<Expr> {
        let start = self.offset();
        let name = self.ident()?;
        self.expect(Tok::LParen, "`(`")?;
        if self.peek_kind() != Some(Tok::Word) {
            return Err(self.error("expected a date-time field"));
        }
        let mut unit = self.ident()?;
        unit.value.make_ascii_uppercase();
        self.expect_kw("FROM")?;
        let e = self.expr()?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(call(
            QName::single(name),
            vec![Expr::Column(QName::single(unit)), e],
            self.span_from(start),
        ))
    }

    /// `TRIM(x)` / `TRIM([spec] [c] FROM x)`; see the module documentation for the encoding.
    fn trim_expr(&mut self) -> PResult<Expr> {
        let start = self.offset();
        let name = self.ident()?;
        self.expect(Tok::LParen, "`(`")?;
        let mut spec = None;
        if self.at_kw("LEADING") || self.at_kw("TRAILING") || self.at_kw("BOTH") {
            let mut id = self.ident()?;
            id.value.make_ascii_uppercase();
            spec = Some(id);
        }
        let args = if let Some(spec) = spec {
            let spec = Expr::Column(QName::single(spec));
            if self.eat_kw("FROM") {
                vec![spec, self.expr()?]
            } else {
                let c = self.expr()?;
                self.expect_kw("FROM")?;
                vec![spec, c, self.expr()?]
            }
        } else {
            let first_span = self.span();
            let first = self.expr()?;
            if self.eat_kw("FROM") {
                let implicit = Span::new(self.file, first_span.start, first_span.start);
                let spec = Expr::Column(QName::single(Ident::new("BOTH", implicit)));
                vec![spec, first, self.expr()?]
            } else {
                vec![first]
            }
        };
        self.expect(Tok::RParen, "`)`")?;
        Ok(call(QName::single(name), args, self.span_from(start)))
    }

    /// `INTERVAL '1' DAY[(p)] [TO SECOND[(s)]]`.
    fn interval_literal(&mut self) -> PResult<Expr> {
        let start = self.offset();
        self.bump();
        let t = self.bump().expect("checked by the caller");
        let value = string_value(Tok::String, &self.text[t.start as usize..t.end as usize]);
        let mut unit = String::new();
        self.interval_field(&mut unit)?;
        if self.eat_kw("TO") {
            unit.push_str(" TO ");
            self.interval_field(&mut unit)?;
        }
        Ok(Expr::Interval {
            value,
            unit,
            span: self.span_from(start),
        })
    }

    fn interval_field(&mut self, out: &mut String) -> PResult<()> {
        if self.peek_kind() != Some(Tok::Word) {
            return Err(self.error("expected an interval unit"));
        }
        out.extend(self.peek_text().chars().map(|c| c.to_ascii_uppercase()));
        self.bump();
        if self.eat(Tok::LParen) {
            loop {
                if !self.at(Tok::Number) {
                    return Err(self.error("expected a precision"));
                }
                self.bump();
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
            self.expect(Tok::RParen, "`)`")?;
        }
        Ok(())
    }
}

fn positional(value: Expr) -> Arg {
    Arg { name: None, value }
}

fn unary(op: UnaryOp, e: Expr, span: Span) -> Expr {
    Expr::Unary {
        op,
        expr: Box::new(e),
        span,
    }
}

fn call(name: QName, args: Vec<Expr>, span: Span) -> Expr {
    Expr::Call(Box::new(Call {
        name,
        args: args.into_iter().map(positional).collect(),
        distinct: false,
        over: None,
        within_group: Vec::new(),
        span,
    }))
}

/// A compact S-expression printer for tests: `(+ a (* b c))`.
#[cfg(test)]
pub(crate) mod sx {
    use crate::ir::*;

    fn name(q: &QName) -> String {
        let mut s = q
            .parts
            .iter()
            .map(|p| {
                if p.quoted {
                    format!("\"{}\"", p.value)
                } else {
                    p.value.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(".");
        if let Some(l) = &q.dblink {
            s.push('@');
            s.push_str(&l.value);
        }
        s
    }

    fn op(b: BinOp) -> &'static str {
        use BinOp::*;
        match b {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            Concat => "||",
            Eq => "=",
            NotEq => "<>",
            Lt => "<",
            LtEq => "<=",
            Gt => ">",
            GtEq => ">=",
            And => "and",
            Or => "or",
        }
    }

    fn list(v: &[Expr]) -> String {
        v.iter().map(expr).collect::<Vec<_>>().join(" ")
    }

    fn order(v: &[OrderItem]) -> String {
        v.iter()
            .map(|o| {
                let mut s = expr(&o.expr);
                if o.desc {
                    s.push_str(" desc");
                }
                match o.nulls_first {
                    Some(true) => s.push_str(" nulls-first"),
                    Some(false) => s.push_str(" nulls-last"),
                    None => {}
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn expr(e: &Expr) -> String {
        match e {
            Expr::Number(n, _) => n.clone(),
            Expr::String(s, _) => format!("'{s}'"),
            Expr::NString(s, _) => format!("N'{s}'"),
            Expr::Null(_) => "NULL".into(),
            Expr::Bool(b, _) => if *b { "TRUE" } else { "FALSE" }.into(),
            Expr::Column(q) => name(q),
            Expr::Star(_) => "*".into(),
            Expr::Param(p, _) => p.clone(),
            Expr::Unary { op, expr: e, .. } => {
                let o = match op {
                    UnaryOp::Neg => "neg",
                    UnaryOp::Plus => "pos",
                    UnaryOp::Not => "not",
                    UnaryOp::Prior => "prior",
                };
                format!("({o} {})", expr(e))
            }
            Expr::Binary {
                op: o, left, right, ..
            } => format!("({} {} {})", op(*o), expr(left), expr(right)),
            Expr::Call(c) => {
                let mut s = format!("(call {}", name(&c.name));
                if c.distinct {
                    s.push_str(" distinct");
                }
                for a in &c.args {
                    s.push(' ');
                    match &a.name {
                        Some(n) => s.push_str(&format!("(=> {} {})", n.value, expr(&a.value))),
                        None => s.push_str(&expr(&a.value)),
                    }
                }
                if !c.within_group.is_empty() {
                    s.push_str(&format!(" (within-group {})", order(&c.within_group)));
                }
                if let Some(w) = &c.over {
                    s.push_str(" (over");
                    if !w.partition_by.is_empty() {
                        s.push_str(&format!(" (partition {})", list(&w.partition_by)));
                    }
                    if !w.order_by.is_empty() {
                        s.push_str(&format!(" (order {})", order(&w.order_by)));
                    }
                    if let Some(f) = &w.frame {
                        s.push_str(&format!(" \"{f}\""));
                    }
                    s.push(')');
                }
                s.push(')');
                s
            }
            Expr::Case(c) => {
                let mut s = "(case".to_string();
                if let Some(o) = &c.operand {
                    s.push(' ');
                    s.push_str(&expr(o));
                }
                for (w, t) in &c.whens {
                    s.push_str(&format!(" (when {} {})", expr(w), expr(t)));
                }
                if let Some(e) = &c.else_ {
                    s.push_str(&format!(" (else {})", expr(e)));
                }
                s.push(')');
                s
            }
            Expr::Cast { expr: e, ty, .. } => {
                let args = ty
                    .source
                    .args
                    .iter()
                    .map(|a| a.map(|v| v.to_string()).unwrap_or("*".into()))
                    .collect::<Vec<_>>()
                    .join(",");
                if args.is_empty() {
                    format!("(cast {} {})", expr(e), ty.source.name)
                } else {
                    format!("(cast {} {}({args}))", expr(e), ty.source.name)
                }
            }
            Expr::IsNull { expr: e, not, .. } => {
                format!(
                    "({} {})",
                    if *not { "is-not-null" } else { "is-null" },
                    expr(e)
                )
            }
            Expr::IsDistinct {
                left, right, not, ..
            } => format!(
                "({} {} {})",
                if *not {
                    "is-not-distinct"
                } else {
                    "is-distinct"
                },
                expr(left),
                expr(right)
            ),
            Expr::InList {
                expr: e,
                list: l,
                not,
                ..
            } => format!(
                "({} {} ({}))",
                if *not { "not-in" } else { "in" },
                expr(e),
                list(l)
            ),
            Expr::InQuery {
                expr: e,
                query,
                not,
                ..
            } => format!(
                "({} {} {})",
                if *not { "not-in" } else { "in" },
                expr(e),
                self::query(query)
            ),
            Expr::Between {
                expr: e,
                low,
                high,
                not,
                ..
            } => format!(
                "({} {} {} {})",
                if *not { "not-between" } else { "between" },
                expr(e),
                expr(low),
                expr(high)
            ),
            Expr::Like {
                expr: e,
                pattern,
                escape,
                not,
                ..
            } => {
                let mut s = format!(
                    "({} {} {}",
                    if *not { "not-like" } else { "like" },
                    expr(e),
                    expr(pattern)
                );
                if let Some(x) = escape {
                    s.push_str(&format!(" (escape {})", expr(x)));
                }
                s.push(')');
                s
            }
            Expr::Exists { query: q, not, .. } => format!(
                "({} {})",
                if *not { "not-exists" } else { "exists" },
                query(q)
            ),
            Expr::Subquery(q) => format!("(subquery {})", query(q)),
            Expr::Tuple(v, _) => format!("(tuple {})", list(v)),
            Expr::OuterJoin(e) => format!("(outer {})", expr(e)),
            Expr::MaxValue(_) => "MAXVALUE".into(),
            Expr::Default(_) => "DEFAULT".into(),
            Expr::NextVal(q, _) => format!("(nextval {})", name(q)),
            Expr::CurrVal(q, _) => format!("(currval {})", name(q)),
            Expr::Interval { value, unit, .. } => format!("(interval '{value}' {unit})"),
            Expr::TypedString { ty, value, .. } => format!("({ty} '{value}')"),
            Expr::Raw(s, _) => format!("(raw {s})"),
            Expr::CurrentOf(c) => format!("(current-of {})", c.value),
            Expr::Field { base, field, .. } => format!("(field {} {})", expr(base), field.value),
            Expr::Subscript { base, index, .. } => {
                format!("(subscript {} {})", expr(base), expr(index))
            }
            Expr::Array { items, .. } => {
                let xs: Vec<String> = items.iter().map(expr).collect();
                format!("(array {})", xs.join(" "))
            }
        }
    }

    fn alias(a: &Option<Ident>) -> String {
        match a {
            Some(a) => format!(" {}", a.value),
            None => String::new(),
        }
    }

    pub fn table(t: &TableRef) -> String {
        match t {
            TableRef::Table {
                name: n, alias: a, ..
            } => format!("{}{}", name(n), alias(a)),
            TableRef::Subquery {
                query: q,
                alias: a,
                lateral,
                ..
            } => format!(
                "({}{}{})",
                if *lateral { "lateral " } else { "" },
                query(q),
                alias(a)
            ),
            TableRef::Function { call, alias: a, .. } => {
                format!("(fn {}{})", expr(call), alias(a))
            }
            TableRef::Join {
                left,
                right,
                kind,
                on,
                using,
            } => {
                let mut s = format!(
                    "({} {} {}",
                    format!("{kind:?}").to_lowercase(),
                    table(left),
                    table(right)
                );
                if let Some(on) = on {
                    s.push_str(&format!(" (on {})", expr(on)));
                }
                if !using.is_empty() {
                    let u: Vec<_> = using.iter().map(|i| i.value.clone()).collect();
                    s.push_str(&format!(" (using {})", u.join(" ")));
                }
                s.push(')');
                s
            }
        }
    }

    fn select(s: &Select) -> String {
        let mut o = "(select".to_string();
        if s.distinct {
            o.push_str(" distinct");
        }
        let items: Vec<String> = s
            .items
            .iter()
            .map(|i| match i {
                SelectItem::Wildcard(None) => "*".into(),
                SelectItem::Wildcard(Some(q)) => format!("{}.*", name(q)),
                SelectItem::Expr { expr: e, alias: a } => match a {
                    Some(a) => format!("(as {} {})", expr(e), a.value),
                    None => expr(e),
                },
            })
            .collect();
        o.push_str(&format!(" ({})", items.join(" ")));
        if !s.from.is_empty() {
            let f: Vec<_> = s.from.iter().map(table).collect();
            o.push_str(&format!(" (from {})", f.join(" ")));
        }
        if let Some(w) = &s.where_ {
            o.push_str(&format!(" (where {})", expr(w)));
        }
        if let Some(c) = &s.connect_by {
            o.push_str(" (connect-by");
            if c.nocycle {
                o.push_str(" nocycle");
            }
            if let Some(sw) = &c.start_with {
                o.push_str(&format!(" (start {})", expr(sw)));
            }
            o.push_str(&format!(" {})", expr(&c.condition)));
        }
        if !s.group_by.is_empty() {
            o.push_str(&format!(" (group {})", list(&s.group_by)));
        }
        if let Some(h) = &s.having {
            o.push_str(&format!(" (having {})", expr(h)));
        }
        o.push(')');
        o
    }

    fn set_expr(b: &SetExpr) -> String {
        match b {
            SetExpr::Select(s) => select(s),
            SetExpr::SetOp {
                op,
                all,
                left,
                right,
            } => format!(
                "({}{} {} {})",
                format!("{op:?}").to_lowercase(),
                if *all { "-all" } else { "" },
                set_expr(left),
                set_expr(right)
            ),
            SetExpr::Query(q) => format!("(paren {})", query(q)),
            SetExpr::Values(rows) => {
                let r: Vec<_> = rows.iter().map(|r| format!("({})", list(r))).collect();
                format!("(values {})", r.join(" "))
            }
        }
    }

    pub fn query(q: &Query) -> String {
        let body = set_expr(&q.body);
        if q.with.is_empty() && q.order_by.is_empty() && q.limit.is_none() && q.offset.is_none() {
            return body;
        }
        let mut s = "(query".to_string();
        if !q.with.is_empty() {
            s.push_str(if q.recursive {
                " (with-recursive"
            } else {
                " (with"
            });
            for c in &q.with {
                s.push_str(&format!(" ({}", c.name.value));
                for col in &c.columns {
                    s.push(' ');
                    s.push_str(&col.value);
                }
                s.push_str(&format!(" {})", query(&c.query)));
            }
            s.push(')');
        }
        s.push(' ');
        s.push_str(&body);
        if !q.order_by.is_empty() {
            s.push_str(&format!(" (order {})", order(&q.order_by)));
        }
        if let Some(o) = &q.offset {
            s.push_str(&format!(" (offset {})", expr(o)));
        }
        if let Some(l) = &q.limit {
            s.push_str(&format!(" (limit {})", expr(l)));
        }
        s.push(')');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::sx;
    use crate::frontend::lexer::tokenize;
    use crate::frontend::parser::{Dialect, PResult, Parser};
    use crate::ir::Expr;
    use crate::source::FileId;

    fn parse_with(d: Dialect, s: &str) -> PResult<(Expr, usize, usize)> {
        let mut p = Parser::new(s, FileId(0), 0, d);
        let e = p.expr()?;
        Ok((e, p.pos, p.toks.len()))
    }

    /// Parses a whole expression (nothing left over) and prints it.
    fn e(s: &str) -> String {
        e_d(Dialect::Oracle, s)
    }

    fn e_d(d: Dialect, s: &str) -> String {
        let (x, pos, len) = parse_with(d, s).unwrap_or_else(|err| panic!("{s}: {err:?}"));
        assert_eq!(pos, len, "left over in {s}");
        sx::expr(&x)
    }

    fn err(s: &str) -> String {
        let mut p = Parser::new(s, FileId(0), 0, Dialect::Oracle);
        match p.expr() {
            Ok(x) if p.at_end() => panic!("{s} parsed as {}", sx::expr(&x)),
            Ok(_) => "left over".to_string(),
            Err(e) => e.message,
        }
    }

    #[test]
    fn precedence() {
        assert_eq!(e("a + b * c"), "(+ A (* B C))");
        assert_eq!(e("a * b + c"), "(+ (* A B) C)");
        assert_eq!(e("a - b - c"), "(- (- A B) C)");
        assert_eq!(e("a / b / c"), "(/ (/ A B) C)");
        assert_eq!(e("(a + b) * c"), "(* (+ A B) C)");
        assert_eq!(e("a or b and c"), "(or A (and B C))");
        assert_eq!(e("a and b or c"), "(or (and A B) C)");
        assert_eq!(e("not a = b and c"), "(and (not (= A B)) C)");
        assert_eq!(e("not not a"), "(not (not A))");
        assert_eq!(e("a = b or not c < d"), "(or (= A B) (not (< C D)))");
        assert_eq!(e("-a * b"), "(* (neg A) B)");
        assert_eq!(e("- - 1"), "(neg (neg 1))");
        assert_eq!(e("+a"), "(pos A)");
        assert_eq!(e("a || b || c"), "(|| (|| A B) C)");
        // Oracle: `||` and binary `+ -` share a level, left to right.
        assert_eq!(e("'a' || 1 + 2"), "(+ (|| 'a' 1) 2)");
        assert_eq!(e("1 + 2 || 'a'"), "(|| (+ 1 2) 'a')");
        assert_eq!(e("a || b * c"), "(|| A (* B C))");
        assert_eq!(e("a || b = c || d"), "(= (|| A B) (|| C D))");
        // Elsewhere `||` binds looser than `+`.
        assert_eq!(e_d(Dialect::TSql, "'a' || 1 + 2"), "(|| 'a' (+ 1 2))");
        assert_eq!(e_d(Dialect::TSql, "a % b + c"), "(+ (% a b) c)");
        assert_eq!(e("a != b"), "(<> A B)");
        assert_eq!(e("a ^= b"), "(<> A B)");
        assert_eq!(e("a ~= b"), "(<> A B)");
        assert_eq!(e("a <> b"), "(<> A B)");
        assert_eq!(
            e("a <= b and a >= c and a < d and a > e"),
            "(and (and (and (<= A B) (>= A C)) (< A D)) (> A E))"
        );
        assert_eq!(e("2 ** 3 * 4"), "(* (call POWER 2 3) 4)");
        assert_eq!(e("-2 ** 2"), "(neg (call POWER 2 2))");
    }

    #[test]
    fn predicates() {
        assert_eq!(e("a is null"), "(is-null A)");
        assert_eq!(
            e("a is not null and b is null"),
            "(and (is-not-null A) (is-null B))"
        );
        assert_eq!(e("a + 1 is null"), "(is-null (+ A 1))");
        assert_eq!(e("a is not distinct from b"), "(is-not-distinct A B)");
        assert_eq!(e("name like 'A%'"), "(like NAME 'A%')");
        assert_eq!(
            e("name not like 'A\\_%' escape '\\'"),
            "(not-like NAME 'A\\_%' (escape '\\'))"
        );
        assert_eq!(e("a || b like c || '%'"), "(like (|| A B) (|| C '%'))");
        assert_eq!(e("a in (1, 2, 3)"), "(in A (1 2 3))");
        assert_eq!(e("a not in ('x')"), "(not-in A ('x'))");
        assert_eq!(e("a in (select b from t)"), "(in A (select (B) (from T)))");
        assert_eq!(
            e("(a, b) in ((1, 2), (3, 4))"),
            "(in (tuple A B) ((tuple 1 2) (tuple 3 4)))"
        );
        assert_eq!(e("a between 1 and 10"), "(between A 1 10)");
        assert_eq!(
            e("a between 1 and 10 and b = 2"),
            "(and (between A 1 10) (= B 2))"
        );
        assert_eq!(
            e("a not between b - 1 and b + 1"),
            "(not-between A (- B 1) (+ B 1))"
        );
        assert_eq!(
            e("TO_CHAR(SYSDATE, 'HH24:MI') NOT BETWEEN '08:00' AND '18:00'"),
            "(not-between (call TO_CHAR SYSDATE 'HH24:MI') '08:00' '18:00')"
        );
        assert_eq!(
            e("exists (select 1 from dual)"),
            "(exists (select (1) (from DUAL)))"
        );
        assert_eq!(
            e("not exists (select 1 from dual) or x = 1"),
            "(or (not-exists (select (1) (from DUAL))) (= X 1))"
        );
        assert_eq!(
            e("x = any (select y from t)"),
            "(= X (call ANY (subquery (select (Y) (from T)))))"
        );
        assert_eq!(e("x > all (1, 2)"), "(> X (call ALL 1 2))");
        assert!(err("a is nan").contains("unsupported IS"));
    }

    #[test]
    fn literals() {
        assert_eq!(e("1"), "1");
        assert_eq!(e("1.5e3"), "1.5e3");
        assert_eq!(e(".5"), ".5");
        assert_eq!(e("'it''s'"), "'it's'");
        assert_eq!(e("N'abc'"), "N'abc'");
        assert_eq!(e("q'[it's]'"), "'it's'");
        assert_eq!(e("nq'{x}'"), "N'x'");
        assert_eq!(e("null"), "NULL");
        assert_eq!(e("true or false"), "(or TRUE FALSE)");
        assert_eq!(e("date '2020-01-31'"), "(DATE '2020-01-31')");
        assert_eq!(
            e("timestamp '2020-01-31 10:00:00'"),
            "(TIMESTAMP '2020-01-31 10:00:00')"
        );
        assert_eq!(e("interval '1' day"), "(interval '1' DAY)");
        assert_eq!(
            e("interval '1-2' year to month"),
            "(interval '1-2' YEAR TO MONTH)"
        );
        assert_eq!(
            e("INTERVAL '4 5:12:10.222' DAY(3) TO SECOND(3)"),
            "(interval '4 5:12:10.222' DAY TO SECOND)"
        );
        assert_eq!(
            e("sysdate - interval '30' minute"),
            "(- SYSDATE (interval '30' MINUTE))"
        );
        assert_eq!(e("default"), "DEFAULT");
        assert_eq!(e_d(Dialect::TSql, "0x0A"), "0x0A");
    }

    #[test]
    fn names_and_binds() {
        assert_eq!(e("a"), "A");
        assert_eq!(e("t.a"), "T.A");
        assert_eq!(e("s.t.a"), "S.T.A");
        assert_eq!(e("\"Mixed\".x"), "\"Mixed\".X");
        assert_eq!(e("seq.nextval"), "SEQ.NEXTVAL");
        assert_eq!(e("emp_seq.nextval@remote"), "EMP_SEQ.NEXTVAL@REMOTE");
        assert_eq!(e(":new.id"), "NEW.ID");
        assert_eq!(e(":OLD.salary + 1"), "(+ OLD.SALARY 1)");
        assert_eq!(e(":x + :1"), "(+ :x :1)");
        assert_eq!(e_d(Dialect::TSql, "@v + @@rowcount"), "(+ @v @@rowcount)");
        assert_eq!(e_d(Dialect::TSql, "[dbo].[t].col"), "dbo.t.col");
        for pc in [
            "rownum",
            "level",
            "sysdate",
            "systimestamp",
            "user",
            "rowid",
            "uid",
        ] {
            assert_eq!(e(pc), pc.to_uppercase());
        }
        assert_eq!(e("sql%rowcount = 0"), "(= SQL.%ROWCOUNT 0)");
        assert_eq!(e("not c1%notfound"), "(not C1.%NOTFOUND)");
    }

    #[test]
    fn outer_join_marker() {
        assert_eq!(
            e("t.ticketholder_id = p.id (+)"),
            "(= T.TICKETHOLDER_ID (outer P.ID))"
        );
        assert_eq!(e("a(+) = b"), "(= (outer A) B)");
        assert_eq!(e("(a) (+) = b"), "(= (outer A) B)");
    }

    #[test]
    fn calls() {
        assert_eq!(e("f()"), "(call F)");
        assert_eq!(e("count(*)"), "(call COUNT *)");
        assert_eq!(e("count(distinct a)"), "(call COUNT distinct A)");
        assert_eq!(e("count(all a)"), "(call COUNT A)");
        assert_eq!(e("pkg.f(1, 2)"), "(call PKG.F 1 2)");
        assert_eq!(
            e("s.pkg.f(x => 1, y => 'a')"),
            "(call S.PKG.F (=> X 1) (=> Y 'a'))"
        );
        assert_eq!(e("DECODE(a,1,'x','y')"), "(call DECODE A 1 'x' 'y')");
        assert_eq!(e("nvl2(a, b, c)"), "(call NVL2 A B C)");
        assert_eq!(
            e("row_number() over (partition by d order by s desc nulls last)"),
            "(call ROW_NUMBER (over (partition D) (order S desc nulls-last)))"
        );
        assert_eq!(
            e("sum(x) over (order by d rows between unbounded preceding and current row)"),
            "(call SUM X (over (order D) \"rows between unbounded preceding and current row\"))"
        );
        assert_eq!(
            e("avg(x) over (order by d RANGE  BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW)"),
            "(call AVG X (over (order D) \"RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW\"))"
        );
        assert_eq!(e("count(*) over ()"), "(call COUNT * (over))");
        assert_eq!(
            e("LISTAGG(name, ',') WITHIN GROUP (ORDER BY name)"),
            "(call LISTAGG NAME ',' (within-group NAME))"
        );
        assert_eq!(
            e("listagg(x, ',') within group (order by x) over (partition by y)"),
            "(call LISTAGG X ',' (within-group X) (over (partition Y)))"
        );
        assert!(err("max(x) keep (dense_rank first order by y)").contains("KEEP"));
        assert!(err("first_value(x ignore nulls) over (order by y)").contains("IGNORE"));
        assert_eq!(e("cast(a as number(10,2))"), "(cast A NUMBER(10,2))");
        assert_eq!(e("cast(a as varchar2(20))"), "(cast A VARCHAR2(20))");
        assert_eq!(
            e("extract(year from hire_date)"),
            "(call EXTRACT YEAR HIRE_DATE)"
        );
        assert_eq!(e("trim(x)"), "(call TRIM X)");
        assert_eq!(e("trim(leading '0' from x)"), "(call TRIM LEADING '0' X)");
        assert_eq!(e("trim(trailing from x)"), "(call TRIM TRAILING X)");
        assert_eq!(e("trim('x' from y)"), "(call TRIM BOTH 'x' Y)");
        assert_eq!(
            e("connect_by_root last_name"),
            "(call CONNECT_BY_ROOT LAST_NAME)"
        );
        assert_eq!(
            e("cursor(select 1 from dual)"),
            "(call CURSOR (subquery (select (1) (from DUAL))))"
        );
        assert_eq!(e("rollup(a, b)"), "(call ROLLUP A B)");
    }

    #[test]
    fn case_and_subqueries() {
        assert_eq!(
            e("case when a = 1 then 'x' when a = 2 then 'y' else 'z' end"),
            "(case (when (= A 1) 'x') (when (= A 2) 'y') (else 'z'))"
        );
        assert_eq!(
            e("case a when 1 then 'x' end || 'q'"),
            "(|| (case A (when 1 'x')) 'q')"
        );
        assert_eq!(
            e("(select max(x) from t) + 1"),
            "(+ (subquery (select ((call MAX X)) (from T))) 1)"
        );
        assert_eq!(
            e("((select 1 from dual) + 1)"),
            "(+ (subquery (select (1) (from DUAL))) 1)"
        );
        assert_eq!(
            e("((select a from t) union (select b from u))"),
            "(subquery (union (paren (select (A) (from T))) (paren (select (B) (from U)))))"
        );
        assert_eq!(e("(a, b)"), "(tuple A B)");
        assert_eq!(e("((a))"), "A");
        assert!(err("case end").contains("WHEN"));
    }

    #[test]
    fn stops_before_unusable_tokens() {
        let mut p = Parser::new("a + b from t", FileId(0), 0, Dialect::Oracle);
        assert_eq!(sx::expr(&p.expr().unwrap()), "(+ A B)");
        assert!(p.at_kw("FROM"));
        let mut p = Parser::new("0 not null", FileId(0), 0, Dialect::Oracle);
        assert_eq!(sx::expr(&p.expr().unwrap()), "0");
        assert!(p.at_kw("NOT"));
        let mut p = Parser::new("x then y", FileId(0), 0, Dialect::Oracle);
        p.expr().unwrap();
        assert!(p.at_kw("THEN"));
        let mut p = Parser::new("a b", FileId(0), 0, Dialect::Oracle);
        p.expr().unwrap();
        assert_eq!(p.pos, 1);
    }

    #[test]
    fn errors() {
        assert!(err("(a + b").contains("expected `)`"));
        assert_eq!(err("a + b)"), "left over");
        assert!(err("a +").contains("expected an expression"));
        assert!(err("from").contains("expected an expression"));
        assert!(err("").contains("expected an expression"));
        assert!(err("a between 1").contains("expected AND"));
        assert!(err("a in 1").contains("expected `(`"));
        assert!(err("f(a,)").contains("expected an expression"));
        assert!(err("cast(a number)").contains("expected AS"));
        assert!(err("interval '1' 2").contains("interval unit"));
    }

    #[test]
    fn spans() {
        let s = "x = t.a + f(1, 'b')";
        let mut p = Parser::new(s, FileId(3), 100, Dialect::Oracle);
        let x = p.expr().unwrap();
        let sp = x.span();
        assert_eq!(
            (sp.file, sp.start, sp.end),
            (FileId(3), 100, 100 + s.len() as u32)
        );
        let Expr::Binary { left, right, .. } = &x else {
            panic!()
        };
        assert_eq!((left.span().start, left.span().end), (100, 101));
        let Expr::Binary { left, right, .. } = &**right else {
            panic!()
        };
        assert_eq!((left.span().start, left.span().end), (104, 107));
        assert_eq!((right.span().start, right.span().end), (110, 119));
        // Parenthesised operands start at the parenthesis.
        let mut p = Parser::new("(a) * b", FileId(0), 0, Dialect::Oracle);
        let x = p.expr().unwrap();
        assert_eq!((x.span().start, x.span().end), (0, 7));
        let mut p = Parser::new("  case when a then b end", FileId(0), 0, Dialect::Oracle);
        let x = p.expr().unwrap();
        assert_eq!((x.span().start, x.span().end), (2, 24));
        let mut p = Parser::new("interval '1' day to second", FileId(0), 0, Dialect::Oracle);
        let x = p.expr().unwrap();
        assert_eq!((x.span().start, x.span().end), (0, 26));
        let mut p = Parser::new(":new.id", FileId(0), 0, Dialect::Oracle);
        let x = p.expr().unwrap();
        assert_eq!((x.span().start, x.span().end), (0, 7));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // Run on a small stack: the nesting limit must trip long before the stack runs out,
        // even in debug builds.
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(deep_nesting)
            .unwrap()
            .join()
            .unwrap();
    }

    /// The default stack of spawned threads (std, rayon workers).
    const STACK: usize = 2 << 20;

    fn deep_nesting() {
        for (open, close) in [
            ("(", ")"),
            ("f(", ")"),
            ("- ", ""),
            ("not ", ""),
            ("prior ", ""),
            ("1 + (", ")"),
            ("case when ", " then 1 end"),
            ("case ", " when 1 then 2 end"),
            ("(select ", " from dual)"),
            ("exists (select 1 from t where ", ")"),
            ("x in (select y from t where ", ")"),
            ("(select 1 from (", ") x)"),
            ("cast(", " as number)"),
            ("trim(", ")"),
            ("a between 0 and (", ")"),
            ("f(1) over (partition by ", ")"),
        ] {
            let s = format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
            let mut p = Parser::new(&s, FileId(0), 0, Dialect::Oracle);
            let r = p.expr();
            let m = r.unwrap_err().message;
            assert!(m.contains("nesting too deep"), "{open}: {m}");
            assert_eq!(p.depth, 0);
        }
        let s = format!(
            "{}select 1 from dual{}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        let mut p = Parser::new(&s, FileId(0), 0, Dialect::Oracle);
        assert!(p.expr().is_err());
        // Reasonable nesting works.
        let s = format!("{}1{}", "(".repeat(50), ")".repeat(50));
        assert_eq!(e(&s), "1");
    }

    #[test]
    fn never_panics_on_prefixes() {
        let samples = [
            "CASE WHEN TO_CHAR(SYSDATE, 'HH24:MI') NOT BETWEEN '08:00' AND '18:00' THEN \
             DECODE(a, 1, 'x', 'y') ELSE NVL2(b, c, d) || q'[it's]' END",
            "x IN (SELECT y FROM t WHERE t.a = p.id (+)) AND NOT EXISTS (SELECT 1 FROM u) \
             OR s.seq.nextval > ALL (1, 2) AND f(p => 1) IS NOT NULL",
            "SUM(x) OVER (PARTITION BY a ORDER BY b DESC NULLS FIRST ROWS BETWEEN 1 \
             PRECEDING AND CURRENT ROW) + CAST(y AS NUMBER(10,2)) * EXTRACT(YEAR FROM d) - \
             TRIM(LEADING '0' FROM z) / INTERVAL '1' DAY(2) TO SECOND(3) ** 2",
            "((a, b), ((SELECT 1 FROM dual) UNION (SELECT 2 FROM dual))) LIKE :x ESCAPE '\\'",
        ];
        for s in samples {
            let toks = tokenize(s, false);
            for t in &toks {
                for d in [Dialect::Oracle, Dialect::TSql] {
                    let cut = &s[..t.start as usize];
                    let _ = parse_with(d, cut);
                    let cut = &s[..t.end as usize];
                    let _ = parse_with(d, cut);
                }
            }
            // And dropping each token once.
            for t in &toks {
                let s2 = format!("{}{}", &s[..t.start as usize], &s[t.end as usize..]);
                let _ = parse_with(Dialect::Oracle, &s2);
            }
            e(s);
        }
    }
}
