//! The SQL lexer shared by every front end (logos). Keywords are not tokens of their own:
//! words are [`Tok::Word`] and parsers compare them case-insensitively, because both Oracle
//! and T-SQL have hundreds of non-reserved keywords that are also valid names.
//!
//! Invariant: lexing never fails and never panics; a byte the lexer does not know becomes
//! [`Tok::Error`] and the parser reports it with its span.

use logos::Logos;

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f\u{a0}\u{feff}]+")]
pub enum Tok {
    #[regex(r"--[^\n]*", allow_greedy = true)]
    LineComment,
    #[token("/*", block_comment)]
    BlockComment,

    /// Identifier or keyword. `$` and `#` are allowed inside names (Oracle `V$SESSION`,
    /// `SYS#`), `#` and `##` start T-SQL temp table names.
    #[regex(r"[A-Za-z_\p{L}][A-Za-z0-9_$#\p{L}\p{N}]*")]
    #[regex(r"##?[A-Za-z0-9_$#\p{L}][A-Za-z0-9_$#\p{L}\p{N}]*")]
    Word,
    /// `"quoted name"` (`""` escapes a quote).
    #[regex(r#""([^"]|"")*""#)]
    QuotedIdent,
    /// T-SQL `[bracketed name]` (`]]` escapes).
    #[regex(r"\[([^\]]|\]\])*\]")]
    BracketIdent,
    /// T-SQL `@var`, `@@ROWCOUNT`; Oracle uses `@` for db links and SQL*Plus includes, which
    /// the parser handles from this token too.
    #[regex(r"@@?[A-Za-z_$#\p{L}][A-Za-z0-9_$#\p{L}\p{N}]*")]
    Variable,
    /// `:name` or `:1` bind variable, `:new` / `:old` in triggers.
    #[regex(r":[A-Za-z_][A-Za-z0-9_$#]*")]
    #[regex(r":[0-9]+")]
    Bind,

    #[regex(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?[fFdD]?")]
    #[regex(r"\.[0-9]+([eE][+-]?[0-9]+)?[fFdD]?")]
    Number,
    /// `0x0A1B` (T-SQL binary literal).
    #[regex(r"0[xX][0-9A-Fa-f]*")]
    HexNumber,
    /// `'text'` with `''` escapes.
    #[regex(r"'([^']|'')*'")]
    String,
    /// `N'text'`.
    #[regex(r"[nN]'([^']|'')*'")]
    NString,
    /// Oracle alternative quoting `q'[...]'`, `Q'{...}'`, `nq'!..!'`.
    #[regex(r"[nN]?[qQ]'", q_quote)]
    QString,

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("||")]
    Concat,
    #[token("=")]
    Eq,
    #[token("<>")]
    #[token("!=")]
    #[token("^=")]
    #[token("~=")]
    NotEq,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    LtEq,
    #[token(">=")]
    GtEq,
    #[token(":=")]
    Assign,
    #[token("=>")]
    Arrow,
    #[token(":")]
    Colon,
    #[token("@")]
    At,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
    #[token("~")]
    Tilde,
    #[token("!")]
    Bang,
    #[token("?")]
    Question,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("$")]
    Dollar,
    /// T-SQL `*=` / `=*` old-style outer joins.
    #[token("*=")]
    StarEq,
    #[token("=*")]
    EqStar,
    /// A byte the lexer does not know (or an unterminated literal/comment).
    Error,
}

fn block_comment(lex: &mut logos::Lexer<Tok>) -> bool {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(i) => {
            lex.bump(i + 2);
            true
        }
        None => {
            // Unterminated comment: swallow the rest; the parser sees the token kind and can
            // report it (we mark it as a comment so lexing goes on; see `tokenize`).
            lex.bump(rest.len());
            false
        }
    }
}

fn q_quote(lex: &mut logos::Lexer<Tok>) -> bool {
    let rest = lex.remainder();
    let mut chars = rest.chars();
    let Some(open) = chars.next() else {
        return false;
    };
    let close = match open {
        '[' => ']',
        '{' => '}',
        '(' => ')',
        '<' => '>',
        c if c.is_whitespace() => return false,
        c => c,
    };
    let body_start = open.len_utf8();
    let pat = format!("{close}'");
    match rest[body_start..].find(&pat) {
        Some(i) => {
            lex.bump(body_start + i + pat.len());
            true
        }
        None => false,
    }
}

/// One token: kind and byte range relative to the lexed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub start: u32,
    pub end: u32,
}

/// Lexes `text`; comments are dropped unless `keep_comments`. Never fails: unknown bytes and
/// unterminated literals become [`Tok::Error`] tokens.
pub fn tokenize(text: &str, keep_comments: bool) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut lex = Tok::lexer(text);
    while let Some(r) = lex.next() {
        let sp = lex.span();
        let kind = r.unwrap_or(Tok::Error);
        if !keep_comments && matches!(kind, Tok::LineComment | Tok::BlockComment) {
            continue;
        }
        out.push(Token {
            kind,
            start: sp.start as u32,
            end: sp.end as u32,
        });
    }
    out
}

/// The value of a string-like token: quotes removed, doubled quotes undone.
pub fn string_value(kind: Tok, text: &str) -> String {
    match kind {
        Tok::String => text[1..text.len() - 1].replace("''", "'"),
        Tok::NString => text[2..text.len() - 1].replace("''", "'"),
        Tok::QString => {
            let start = text.find('\'').map(|i| i + 2).unwrap_or(0);
            let start = start.min(text.len());
            let end = text.len().saturating_sub(2).max(start);
            text.get(start..end).unwrap_or("").to_string()
        }
        Tok::QuotedIdent => text[1..text.len() - 1].replace("\"\"", "\""),
        Tok::BracketIdent => text[1..text.len() - 1].replace("]]", "]"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        tokenize(s, false).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn basic_tokens() {
        use Tok::*;
        assert_eq!(
            kinds("select a.b, 'x''y' from \"T\" where c >= 1.5 -- hi\n"),
            vec![
                Word,
                Word,
                Dot,
                Word,
                Comma,
                String,
                Word,
                QuotedIdent,
                Word,
                Word,
                GtEq,
                Number
            ]
        );
        assert_eq!(
            kinds("x := :new.id || q'[it's]'"),
            vec![Word, Assign, Bind, Dot, Word, Concat, QString]
        );
        assert_eq!(
            kinds("[dbo].[T] @v @@rowcount #tmp"),
            vec![BracketIdent, Dot, BracketIdent, Variable, Variable, Word]
        );
    }

    #[test]
    fn never_fails() {
        for s in [
            "'unterminated",
            "/* open",
            "\"open",
            "\u{0}\u{1}",
            "q'[x",
            "é∑",
        ] {
            let _ = tokenize(s, true);
        }
        assert_eq!(string_value(Tok::QString, "q'[it's]'"), "it's");
        assert_eq!(string_value(Tok::String, "'a''b'"), "a'b");
    }
}
