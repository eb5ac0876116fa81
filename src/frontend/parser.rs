//! The token cursor every hand-written parser is built on, plus parse errors.
//!
//! A `Parser` works on one *unit* (a statement / object / batch cut out by a splitter). Token
//! offsets are relative to the unit text; [`Parser::span`] turns them into file spans by adding
//! the unit's base offset.
//!
//! Invariant: no method panics on any input; at end of input `peek()` returns an `Eof` token
//! (kind [`Tok::Error`] with `eof == true`).

use super::lexer::{Tok, Token, string_value, tokenize};
use crate::ir::{Expr, Ident, QName};
use crate::source::{FileId, Span};

/// Which dialect is being parsed (expression parsing has small dialect overrides).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Oracle,
    TSql,
    Ase,
}

#[derive(Clone, Debug)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

pub type PResult<T> = Result<T, ParseError>;

/// Maximum expression / query nesting before the parser gives up with an error (protects the
/// stack on hostile input).
pub const MAX_DEPTH: u32 = 200;

pub struct Parser<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    pub pos: usize,
    pub file: FileId,
    /// Offset of `text` in the file.
    pub base: u32,
    pub dialect: Dialect,
    pub depth: u32,
    /// T-SQL `SELECT TOP n`: the limit read by `select`, taken by the query around it.
    pub(crate) top: Option<Expr>,
    pub(crate) top_pending: bool,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str, file: FileId, base: u32, dialect: Dialect) -> Parser<'a> {
        Parser {
            text,
            toks: tokenize(text, false),
            pos: 0,
            file,
            base,
            dialect,
            depth: 0,
            top: None,
            top_pending: false,
        }
    }

    // ----- looking -----

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub fn peek_kind(&self) -> Option<Tok> {
        self.toks.get(self.pos).map(|t| t.kind)
    }

    pub fn nth_kind(&self, n: usize) -> Option<Tok> {
        self.toks.get(self.pos + n).map(|t| t.kind)
    }

    pub fn peek_text(&self) -> &'a str {
        self.nth_text(0)
    }

    pub fn nth_text(&self, n: usize) -> &'a str {
        match self.toks.get(self.pos + n) {
            Some(t) => &self.text[t.start as usize..t.end as usize],
            None => "",
        }
    }

    /// Is the current token this (case-insensitive) word?
    pub fn at_kw(&self, kw: &str) -> bool {
        self.nth_kw(0, kw)
    }

    pub fn nth_kw(&self, n: usize, kw: &str) -> bool {
        self.nth_kind(n) == Some(Tok::Word) && self.nth_text(n).eq_ignore_ascii_case(kw)
    }

    /// Are the next tokens these words, in order?
    pub fn at_kws(&self, kws: &[&str]) -> bool {
        kws.iter().enumerate().all(|(i, k)| self.nth_kw(i, k))
    }

    pub fn at(&self, kind: Tok) -> bool {
        self.peek_kind() == Some(kind)
    }

    // ----- consuming -----

    pub fn bump(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).copied();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    pub fn eat_kw(&mut self, kw: &str) -> bool {
        if self.at_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn eat_kws(&mut self, kws: &[&str]) -> bool {
        if self.at_kws(kws) {
            self.pos += kws.len();
            true
        } else {
            false
        }
    }

    pub fn eat(&mut self, kind: Tok) -> bool {
        if self.at(kind) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.error(format!("expected {}", kw.to_ascii_uppercase())))
        }
    }

    pub fn expect(&mut self, kind: Tok, what: &str) -> PResult<Token> {
        if self.at(kind) {
            Ok(self.bump().expect("checked"))
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    // ----- spans and text -----

    /// File span of a token.
    pub fn tok_span(&self, t: Token) -> Span {
        Span::new(self.file, self.base + t.start, self.base + t.end)
    }

    /// File span of the current token (an empty span at the end of the unit at EOF).
    pub fn span(&self) -> Span {
        match self.toks.get(self.pos) {
            Some(t) => self.tok_span(*t),
            None => {
                let end = self.base + self.text.len() as u32;
                Span::new(self.file, end, end)
            }
        }
    }

    /// File offset where the current token starts.
    pub fn offset(&self) -> u32 {
        self.span().start
    }

    /// Span from a file offset to the end of the previous token.
    pub fn span_from(&self, start: u32) -> Span {
        let end = if self.pos == 0 {
            start
        } else {
            self.base + self.toks[self.pos - 1].end
        };
        Span::new(self.file, start, end.max(start))
    }

    /// Source text between two file offsets (clamped).
    pub fn text_between(&self, start: u32, end: u32) -> &'a str {
        let s = (start.saturating_sub(self.base) as usize).min(self.text.len());
        let e = (end.saturating_sub(self.base) as usize)
            .min(self.text.len())
            .max(s);
        self.text.get(s..e).unwrap_or("")
    }

    pub fn error(&self, message: impl Into<String>) -> ParseError {
        let found = if self.at_end() {
            "end of statement".to_string()
        } else {
            format!("`{}`", truncate(self.peek_text(), 40))
        };
        ParseError {
            message: format!("{}, found {}", message.into(), found),
            span: self.span(),
        }
    }

    pub fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(ParseError {
                message: "nesting too deep".into(),
                span: self.span(),
            })
        } else {
            Ok(())
        }
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ----- names -----

    /// Is the current token usable as a name (a word, a quoted or bracketed identifier)?
    pub fn at_ident(&self) -> bool {
        matches!(
            self.peek_kind(),
            Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent)
        )
    }

    /// An identifier in catalog spelling: unquoted names fold to upper case for Oracle and are
    /// kept as written for T-SQL (case-insensitive collation assumed); quoted names are kept.
    pub fn ident(&mut self) -> PResult<Ident> {
        let Some(t) = self.toks.get(self.pos).copied() else {
            return Err(self.error("expected a name"));
        };
        let raw = &self.text[t.start as usize..t.end as usize];
        let (value, quoted) = match t.kind {
            Tok::Word => match self.dialect {
                Dialect::Oracle => (raw.to_uppercase(), false),
                _ => (raw.to_string(), false),
            },
            // T-SQL names are case-insensitive: brackets and quotes only delimit, so such a
            // name folds like an unquoted one (see frontend::tsql).
            Tok::QuotedIdent | Tok::BracketIdent => {
                (string_value(t.kind, raw), self.dialect == Dialect::Oracle)
            }
            _ => return Err(self.error("expected a name")),
        };
        self.pos += 1;
        Ok(Ident {
            value,
            quoted,
            span: self.tok_span(t),
        })
    }

    /// `a[.b[.c]][@link]`.
    pub fn qname(&mut self) -> PResult<QName> {
        let mut parts = vec![self.ident()?];
        while self.at(Tok::Dot)
            && matches!(
                self.nth_kind(1),
                Some(Tok::Word | Tok::QuotedIdent | Tok::BracketIdent)
            )
        {
            self.pos += 1;
            parts.push(self.ident()?);
        }
        let mut dblink = None;
        if self.dialect == Dialect::Oracle && self.at(Tok::Variable) {
            // `emp@remote` lexes as Word + Variable("@remote").
            let t = self.bump().expect("checked");
            let raw = &self.text[t.start as usize + 1..t.end as usize];
            dblink = Some(Ident::new(raw.to_uppercase(), self.tok_span(t)));
        } else if self.dialect == Dialect::Oracle && self.at(Tok::At) {
            self.pos += 1;
            let l = self.qname()?;
            dblink = Some(Ident::new(l.display(), l.span()));
        }
        Ok(QName { parts, dblink })
    }

    /// `( name, name ... )`.
    pub fn paren_ident_list(&mut self) -> PResult<Vec<Ident>> {
        self.expect(Tok::LParen, "`(`")?;
        let mut v = vec![self.ident()?];
        while self.eat(Tok::Comma) {
            v.push(self.ident()?);
        }
        self.expect(Tok::RParen, "`)`")?;
        Ok(v)
    }

    /// Skips a balanced `( ... )` group if the cursor is on `(`; returns whether it did.
    pub fn skip_parens(&mut self) -> bool {
        if !self.at(Tok::LParen) {
            return false;
        }
        let mut depth = 0i32;
        while let Some(t) = self.bump() {
            match t.kind {
                Tok::LParen => depth += 1,
                Tok::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        true
    }

    /// Skips one "clause item": a word with an optional parenthesised group or value after it.
    pub fn skip_token_or_group(&mut self) {
        if !self.skip_parens() {
            self.bump();
        }
    }

    /// Integer literal (optionally signed).
    pub fn integer(&mut self) -> PResult<i128> {
        let neg = if self.eat(Tok::Minus) {
            true
        } else {
            self.eat(Tok::Plus);
            false
        };
        if !self.at(Tok::Number) {
            return Err(self.error("expected a number"));
        }
        let txt = self.peek_text();
        let v: i128 = parse_int_lenient(txt).ok_or_else(|| self.error("expected an integer"))?;
        self.pos += 1;
        Ok(if neg { -v } else { v })
    }
}

/// Parses an integer literal, saturating beyond i128 (Oracle allows 28-digit sequence bounds).
pub fn parse_int_lenient(txt: &str) -> Option<i128> {
    let t = txt.trim_end_matches(['d', 'D', 'f', 'F']);
    if let Ok(v) = t.parse::<i128>() {
        return Some(v);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) && !t.is_empty() {
        return Some(i128::MAX);
    }
    // 1e27 style
    t.parse::<f64>().ok().map(|f| {
        if f >= i128::MAX as f64 {
            i128::MAX
        } else if f <= i128::MIN as f64 {
            i128::MIN
        } else {
            f as i128
        }
    })
}

pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}
