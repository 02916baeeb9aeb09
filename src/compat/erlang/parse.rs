//! Erlang term text: one term terminated by `.`, parsed into a [`Term`]; and the
//! `push_roster` / `push_roster_all` template files built on it (commands.md §11).
//!
//! A template file holds a list of 4-tuples `{User, Server, Group, Nick}` whose elements are
//! strings, e.g.
//!
//! ```text
//! [{"alice", "localhost", "Group", "Alice"},
//!  {"bob",   "localhost", "Group", "Bob"}].
//! ```
//!
//! Terms: integers (`16#1F`, `$a`, `1_000`), floats, atoms (quoted or not), double-quoted
//! strings with Erlang escapes (adjacent literals concatenate), binaries `<<"...">>` (segments
//! may be string literals, optionally `/utf8`, or byte values), lists (`[H | T]` included) and
//! tuples. Whitespace and `%` comments may appear anywhere. The text must be UTF-8; strings are
//! kept as code points and binary string segments as UTF-8 (MongooseIM's Latin-1 quirk is
//! deliberately not reproduced).
//!
//! Accepted template string forms: strings, binaries, and lists of code points such as
//! `[97,108,105,99,101]` or `[$a,$b]` (a list may also nest strings, binaries and lists —
//! Erlang "chardata"); `[]` is the empty string.
//!
//! The parser is a small lexer plus an iterative parser with a nesting limit, and never
//! panics: every problem is reported as a [`TermError`] with a 1-based line and column (columns
//! count characters).

use std::fmt;

use super::Term;

/// Maximum nesting depth of lists, tuples and binaries.
const MAX_DEPTH: usize = 1000;

/// One `{User, Server, Group, Nick}` entry of a roster template.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterTemplateEntry {
    /// Contact user name (first tuple element).
    pub user: String,
    /// Contact server (second tuple element).
    pub server: String,
    /// Roster group (third tuple element).
    pub group: String,
    /// Nick (fourth tuple element).
    pub nick: String,
}

/// A template file that could not be parsed: 1-based position and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct TermError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for TermError {}

/// The message for a template without any token.
const EMPTY_TEMPLATE: &str =
    "empty file: expected a list of {User, Server, Group, Nick} tuples followed by '.'";

/// Parse a roster template file (see the module documentation for the grammar): every entry,
/// or the error [`roster_template`] ends with.
pub fn parse_roster_template(bytes: &[u8]) -> Result<Vec<RosterTemplateEntry>, TermError> {
    roster_template(bytes).collect()
}

/// The entries of a roster template file, parsed one at a time: the outer list is never built
/// as a term, so memory stays bounded by one entry (plus the file's bytes, borrowed) whatever
/// the size of the file.
///
/// The result is exactly that of parsing the whole term first and checking its shape after:
/// an entry is yielded as soon as it is read, but an error (after which the iterator ends) is
/// the one the whole-file parse reports — a syntax error anywhere in the file comes before a
/// list that is improper, which comes before the first entry that is not a
/// `{User, Server, Group, Nick}` tuple of strings. A consumer must therefore treat every
/// entry it received as void when the iteration ends with an error (the services write them
/// in one transaction, rolled back on error).
pub fn roster_template(bytes: &[u8]) -> RosterTemplate<'_> {
    RosterTemplate {
        bytes,
        state: TemplateState::Start,
        pending: Vec::new(),
    }
}

/// The iterator of [`roster_template`].
pub struct RosterTemplate<'a> {
    bytes: &'a [u8],
    state: TemplateState<'a>,
    /// Entries of a file that was parsed whole (one that does not start with `[`, always
    /// an error in practice), in reverse order.
    pending: Vec<RosterTemplateEntry>,
}

enum TemplateState<'a> {
    /// Nothing read yet.
    Start,
    /// Inside the outer list (opened at `start`), at the start of an element.
    Elements {
        parser: Box<Parser<'a>>,
        start: Pos,
        /// The first element that is not a valid entry: reported at the end if the file has
        /// no syntax error and the list is proper.
        bad: Option<TermError>,
    },
    /// The iteration is over.
    Done,
}

impl Iterator for RosterTemplate<'_> {
    type Item = Result<RosterTemplateEntry, TermError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.pending.pop() {
            return Some(Ok(e));
        }
        match self.step() {
            Ok(next) => next.map(Ok),
            Err(e) => {
                self.state = TemplateState::Done;
                Some(Err(e))
            }
        }
    }
}

impl<'a> RosterTemplate<'a> {
    /// The next entry, `None` at the (valid) end.
    fn step(&mut self) -> Result<Option<RosterTemplateEntry>, TermError> {
        loop {
            match std::mem::replace(&mut self.state, TemplateState::Done) {
                TemplateState::Done => return Ok(None),
                TemplateState::Start => {
                    let text = utf8(self.bytes)?;
                    let mut parser = Parser::new(text)?;
                    if parser.tok != Tok::Punct('[') {
                        // Not a list (or empty): the whole-term path reports what is wrong.
                        let (term, span) = parser.parse_file(EMPTY_TEMPLATE)?;
                        let mut entries = to_entries(&term, &span)?;
                        entries.reverse();
                        self.pending = entries;
                        return Ok(self.pending.pop());
                    }
                    let start = parser.pos;
                    parser.advance()?;
                    if parser.tok == Tok::Punct(']') {
                        parser.advance()?;
                        parser.expect_end()?;
                        return Ok(None);
                    }
                    self.state = TemplateState::Elements {
                        parser: Box::new(parser),
                        start,
                        bad: None,
                    };
                }
                TemplateState::Elements {
                    mut parser,
                    start,
                    mut bad,
                } => {
                    if parser.tok == Tok::Eof {
                        return Err(start.err(unterminated(true)));
                    }
                    let (elem, espan) = parser.term_in(1)?;
                    // Yielded only while every entry so far is valid.
                    let entry = match to_entry(&elem, &espan) {
                        Ok(entry) => Some(entry).filter(|_| bad.is_none()),
                        Err(e) => {
                            bad.get_or_insert(e);
                            None
                        }
                    };
                    match parser.tok {
                        Tok::Punct(',') => {
                            parser.advance()?;
                            self.state = TemplateState::Elements { parser, start, bad };
                        }
                        Tok::Punct(']') => {
                            parser.advance()?;
                            parser.expect_end()?;
                            if let Some(e) = bad {
                                return Err(e);
                            }
                        }
                        Tok::Punct('|') => {
                            parser.advance()?;
                            if parser.tok == Tok::Eof {
                                return Err(start.err(unterminated(true)));
                            }
                            let (_, tail_span) = parser.term_in(1)?;
                            if parser.tok != Tok::Punct(']') {
                                return Err(parser.pos.err(format!(
                                    "expected ']' to close the list, found {}",
                                    parser.tok.describe()
                                )));
                            }
                            parser.advance()?;
                            parser.expect_end()?;
                            return Err(tail_span.at.err(IMPROPER_TEMPLATE));
                        }
                        Tok::Eof => return Err(start.err(unterminated(true))),
                        _ => {
                            return Err(parser.pos.err(format!(
                                "expected ',' or ']' in the list, found {}",
                                parser.tok.describe()
                            )))
                        }
                    }
                    if entry.is_some() {
                        return Ok(entry);
                    }
                }
            }
        }
    }
}

/// Parse UTF-8 text holding exactly one term terminated by `.` (whitespace and `%` comments
/// around it are allowed).
pub fn parse(bytes: &[u8]) -> Result<Term, TermError> {
    let text = utf8(bytes)?;
    let mut parser = Parser::new(text)?;
    let (term, _) = parser.parse_file("empty input: expected a term followed by '.'")?;
    Ok(term)
}

fn utf8(bytes: &[u8]) -> Result<&str, TermError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let prefix = String::from_utf8_lossy(valid);
        end_position(&prefix).err("invalid UTF-8 byte in the file")
    })
}

// ------------------------------------------------------------------------------------------
// Positions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: usize,
    column: usize,
}

impl Pos {
    fn err(self, message: impl Into<String>) -> TermError {
        TermError {
            line: self.line,
            column: self.column,
            message: message.into(),
        }
    }
}

/// Position just after `text` (where the next character would be).
fn end_position(text: &str) -> Pos {
    let mut pos = Pos { line: 1, column: 1 };
    for c in text.chars() {
        if c == '\n' {
            pos.line += 1;
            pos.column = 1;
        } else {
            pos.column += 1;
        }
    }
    pos
}

// ------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `[ ] { } , | / :` and other single punctuation characters.
    Punct(char),
    /// `<<`
    BinOpen,
    /// `>>`
    BinClose,
    /// The terminating dot (`.` followed by whitespace, `%` or end of file).
    Dot,
    /// A string literal (code points).
    Str(Vec<u32>),
    /// An integer or character literal.
    Int(i128),
    /// A float literal.
    Float(f64),
    /// An atom (possibly quoted).
    Atom(String),
    /// A variable name.
    Var(String),
    /// End of input.
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Punct(c) => format!("'{}'", visible(&c.to_string())),
            Tok::BinOpen => "'<<'".to_string(),
            Tok::BinClose => "'>>'".to_string(),
            Tok::Dot => "'.'".to_string(),
            Tok::Str(_) => "a string".to_string(),
            Tok::Int(_) => "an integer".to_string(),
            Tok::Float(_) => "a float".to_string(),
            Tok::Atom(a) => format!("the atom '{}'", visible(a)),
            Tok::Var(v) => format!("the variable {v}"),
            Tok::Eof => "end of file".to_string(),
        }
    }
}

/// `s` with its control characters escaped (`\n`, `\u{1b}`), so that an error message that
/// quotes it stays one line and cannot drive a terminal.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    pos: Pos,
}

fn is_whitespace(c: char) -> bool {
    // erl_scan: every character up to and including space, and U+0080..=U+00A0.
    c <= ' ' || ('\u{80}'..='\u{a0}').contains(&c)
}

fn digit_value(c: char, base: u32) -> Option<u32> {
    c.to_digit(base)
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            chars: text.chars().peekable(),
            pos: Pos { line: 1, column: 1 },
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.chars.clone();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
        Some(c)
    }

    fn skip_layout(&mut self) {
        while let Some(c) = self.peek() {
            if is_whitespace(c) {
                self.bump();
            } else if c == '%' {
                while let Some(c) = self.peek() {
                    if c == '\n' {
                        break;
                    }
                    self.bump();
                }
            } else {
                break;
            }
        }
    }

    /// Next token and its start position.
    fn next_token(&mut self) -> Result<(Tok, Pos), TermError> {
        self.skip_layout();
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok((Tok::Eof, start));
        };
        let tok = match c {
            '"' => {
                self.bump();
                Tok::Str(self.quoted('"', start)?)
            }
            '\'' => {
                self.bump();
                let cps = self.quoted('\'', start)?;
                Tok::Atom(cps.iter().filter_map(|&c| char::from_u32(c)).collect())
            }
            '$' => {
                self.bump();
                let Some(c) = self.bump() else {
                    return Err(start.err("unterminated character literal '$'"));
                };
                let v = if c == '\\' {
                    self.escape(start)?
                } else {
                    u32::from(c)
                };
                Tok::Int(i128::from(v))
            }
            '0'..='9' => self.number(start)?,
            '<' if self.peek2() == Some('<') => {
                self.bump();
                self.bump();
                Tok::BinOpen
            }
            '>' if self.peek2() == Some('>') => {
                self.bump();
                self.bump();
                Tok::BinClose
            }
            '.' => {
                self.bump();
                match self.peek() {
                    None => Tok::Dot,
                    Some(n) if is_whitespace(n) || n == '%' => Tok::Dot,
                    Some(_) => Tok::Punct('.'),
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_alphanumeric() || c == '_' || c == '@' {
                        name.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                if c.is_lowercase() {
                    Tok::Atom(name)
                } else {
                    Tok::Var(name)
                }
            }
            c => {
                self.bump();
                Tok::Punct(c)
            }
        };
        Ok((tok, start))
    }

    /// Body of a quoted string/atom after the opening quote.
    fn quoted(&mut self, quote: char, start: Pos) -> Result<Vec<u32>, TermError> {
        let mut out = Vec::new();
        loop {
            let Some(c) = self.bump() else {
                let what = if quote == '"' {
                    "string"
                } else {
                    "quoted atom"
                };
                return Err(start.err(format!("unterminated {what}")));
            };
            if c == quote {
                return Ok(out);
            }
            if c == '\\' {
                out.push(self.escape(start)?);
            } else {
                out.push(u32::from(c));
            }
        }
    }

    /// An escape sequence after the backslash; returns the code point.
    fn escape(&mut self, lit_start: Pos) -> Result<u32, TermError> {
        let esc_pos = Pos {
            line: self.pos.line,
            column: self.pos.column.saturating_sub(1).max(1),
        };
        let Some(c) = self.bump() else {
            return Err(lit_start.err("unterminated string: file ends after '\\'"));
        };
        Ok(match c {
            'b' => 8,
            'd' => 127,
            'e' => 27,
            'f' => 12,
            'n' => 10,
            'r' => 13,
            's' => 32,
            't' => 9,
            'v' => 11,
            '0'..='7' => {
                let mut v = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.bump();
                        }
                        None => break,
                    }
                }
                v
            }
            'x' => {
                if self.peek() == Some('{') {
                    self.bump();
                    let mut v: u32 = 0;
                    let mut digits = 0usize;
                    loop {
                        match self.bump() {
                            Some('}') if digits > 0 => break,
                            Some(h) => match digit_value(h, 16) {
                                Some(d) => {
                                    digits += 1;
                                    v = v.saturating_mul(16).saturating_add(d);
                                }
                                None => {
                                    return Err(esc_pos.err(
                                        "invalid \\x{...} escape: expected hex digits and '}'",
                                    ))
                                }
                            },
                            None => return Err(esc_pos.err("unterminated \\x{...} escape")),
                        }
                    }
                    v
                } else {
                    let h1 = self.peek().and_then(|h| digit_value(h, 16));
                    let h2 = self.peek2().and_then(|h| digit_value(h, 16));
                    match (h1, h2) {
                        (Some(a), Some(b)) => {
                            self.bump();
                            self.bump();
                            a * 16 + b
                        }
                        _ => {
                            return Err(esc_pos
                                .err("invalid \\x escape: expected two hex digits or \\x{...}"))
                        }
                    }
                }
            }
            '^' => {
                let Some(k) = self.bump() else {
                    return Err(lit_start.err("unterminated string: file ends after '\\^'"));
                };
                match k {
                    '?' => 127,
                    '@'..='_' | 'a'..='z' => u32::from(k) & 31,
                    _ => {
                        return Err(esc_pos.err(format!(
                            "invalid control escape \\^{}",
                            visible(&k.to_string())
                        )))
                    }
                }
            }
            other => u32::from(other),
        })
    }

    fn digits(&mut self, base: u32) -> (Vec<u32>, bool) {
        // Digits with optional single `_` separators between digits (OTP 23+).
        let mut ds = Vec::new();
        let mut bad_sep = false;
        loop {
            match self.peek() {
                Some(c) if digit_value(c, base).is_some() => {
                    ds.push(digit_value(c, base).unwrap_or(0));
                    self.bump();
                }
                Some('_')
                    if !ds.is_empty()
                        && self.peek2().and_then(|c| digit_value(c, base)).is_some() =>
                {
                    self.bump();
                }
                Some('_') if !ds.is_empty() => {
                    bad_sep = true;
                    break;
                }
                _ => break,
            }
        }
        (ds, bad_sep)
    }

    fn number(&mut self, start: Pos) -> Result<Tok, TermError> {
        let (ds, bad) = self.digits(10);
        if bad {
            return Err(self.pos.err("invalid '_' in a number"));
        }
        let value = accumulate(&ds, 10).ok_or_else(|| start.err("integer too large"))?;
        if self.peek() == Some('#') {
            let base = u32::try_from(value).ok().filter(|b| (2..=36).contains(b));
            let Some(base) = base else {
                return Err(start.err("invalid integer base (must be 2..36)"));
            };
            self.bump();
            let (ds, bad) = self.digits(base);
            if ds.is_empty() || bad {
                return Err(self.pos.err(format!("invalid digit for base {base}")));
            }
            let v = accumulate(&ds, base).ok_or_else(|| start.err("integer too large"))?;
            return Ok(Tok::Int(v));
        }
        if self.peek() == Some('.') && self.peek2().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
            let mut text = decimal_text(&ds);
            text.push('.');
            text.push_str(&decimal_text(&self.digits(10).0));
            if matches!(self.peek(), Some('e' | 'E')) {
                self.bump();
                let mut sign = "";
                if let Some(c @ ('+' | '-')) = self.peek() {
                    self.bump();
                    sign = if c == '-' { "-" } else { "" };
                }
                let exp = self.digits(10).0;
                if !exp.is_empty() {
                    text.push('e');
                    text.push_str(sign);
                    text.push_str(&decimal_text(&exp));
                }
            }
            // Out-of-range values become infinities or zero (they are never used as values).
            return Ok(Tok::Float(text.parse().unwrap_or(f64::NAN)));
        }
        Ok(Tok::Int(value))
    }
}

/// Decimal digit values as text.
fn decimal_text(ds: &[u32]) -> String {
    ds.iter().filter_map(|&d| char::from_digit(d, 10)).collect()
}

fn accumulate(ds: &[u32], base: u32) -> Option<i128> {
    let mut v: i128 = 0;
    for &d in ds {
        v = v
            .checked_mul(i128::from(base))?
            .checked_add(i128::from(d))?;
    }
    Some(v)
}

// ------------------------------------------------------------------------------------------
// Parser

/// Where a parsed term starts, and where its parts start: one span per list or tuple
/// element, the tail of a [`Term::Cons`] last. (Mirrors the shape of the term, so that the
/// template check can point at any part of it.)
#[derive(Debug)]
struct Span {
    at: Pos,
    items: Vec<Span>,
}

fn leaf_span(at: Pos) -> Span {
    Span {
        at,
        items: Vec::new(),
    }
}

/// An open list or tuple while parsing.
struct Frame {
    is_list: bool,
    start: Pos,
    elems: Vec<Term>,
    spans: Vec<Span>,
    /// After `|` in a list: the next value is the tail.
    in_tail: bool,
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    tok: Tok,
    pos: Pos,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Self, TermError> {
        let mut lexer = Lexer::new(text);
        let (tok, pos) = lexer.next_token()?;
        Ok(Parser { lexer, tok, pos })
    }

    fn advance(&mut self) -> Result<(), TermError> {
        let (tok, pos) = self.lexer.next_token()?;
        self.tok = tok;
        self.pos = pos;
        Ok(())
    }

    /// The whole input: one term, the terminating dot, nothing else. `empty` is the message
    /// for an input without any token.
    fn parse_file(&mut self, empty: &str) -> Result<(Term, Span), TermError> {
        if self.tok == Tok::Eof {
            return Err(self.pos.err(empty));
        }
        let parsed = self.term_in(0)?;
        self.expect_end()?;
        Ok(parsed)
    }

    /// After the term: the terminating dot, then nothing else.
    fn expect_end(&mut self) -> Result<(), TermError> {
        match &self.tok {
            Tok::Dot => {}
            Tok::Eof => return Err(self.pos.err("expected '.' after the term")),
            Tok::Punct('.') => {
                return Err(self
                    .pos
                    .err("expected '.' followed by whitespace or end of file after the term"))
            }
            other => {
                return Err(self.pos.err(format!(
                    "expected '.' after the term, found {}",
                    other.describe()
                )))
            }
        }
        self.advance()?;
        if self.tok != Tok::Eof {
            return Err(self.pos.err(format!(
                "unexpected {} after the terminating '.': the file must hold exactly one term",
                self.tok.describe()
            )));
        }
        Ok(())
    }

    /// Parse one term nested in `depth` open lists/tuples. Iterative (explicit stack of open
    /// lists/tuples) so that deeply nested input cannot overflow the call stack.
    fn term_in(&mut self, depth: usize) -> Result<(Term, Span), TermError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Parse the start of a value.
            let start = self.pos;
            if self.tok == Tok::Eof {
                if let Some(frame) = stack.last() {
                    return Err(frame.start.err(unterminated(frame.is_list)));
                }
            }
            let value = match self.tok.clone() {
                Tok::Punct(open @ ('[' | '{')) => {
                    if depth + stack.len() >= MAX_DEPTH {
                        return Err(start.err("nesting too deep"));
                    }
                    self.advance()?;
                    let close = if open == '[' { ']' } else { '}' };
                    if self.tok == Tok::Punct(close) {
                        self.advance()?;
                        if open == '[' {
                            Term::List(Vec::new())
                        } else {
                            Term::Tuple(Vec::new())
                        }
                    } else {
                        stack.push(Frame {
                            is_list: open == '[',
                            start,
                            elems: Vec::new(),
                            spans: Vec::new(),
                            in_tail: false,
                        });
                        continue;
                    }
                }
                _ => self.scalar(start)?,
            };
            // Attach the completed value to the enclosing frames, closing them as needed.
            let mut done = (value, leaf_span(start));
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok(done);
                };
                if frame.in_tail {
                    if self.tok != Tok::Punct(']') {
                        return Err(self.pos.err(format!(
                            "expected ']' to close the list, found {}",
                            self.tok.describe()
                        )));
                    }
                    self.advance()?;
                    let (tail, tail_span) = done;
                    let head = std::mem::take(&mut frame.elems);
                    let mut items = std::mem::take(&mut frame.spans);
                    items.push(tail_span);
                    let at = frame.start;
                    stack.pop();
                    done = (Term::Cons(head, Box::new(tail)), Span { at, items });
                    continue;
                }
                frame.elems.push(done.0);
                frame.spans.push(done.1);
                let close = if frame.is_list { ']' } else { '}' };
                match self.tok {
                    Tok::Punct(',') => {
                        self.advance()?;
                        break;
                    }
                    Tok::Punct('|') if frame.is_list => {
                        self.advance()?;
                        frame.in_tail = true;
                        break;
                    }
                    Tok::Punct(c) if c == close => {
                        self.advance()?;
                        let elems = std::mem::take(&mut frame.elems);
                        let items = std::mem::take(&mut frame.spans);
                        let (is_list, at) = (frame.is_list, frame.start);
                        stack.pop();
                        let t = if is_list {
                            Term::List(elems)
                        } else {
                            Term::Tuple(elems)
                        };
                        done = (t, Span { at, items });
                    }
                    Tok::Eof => return Err(frame.start.err(unterminated(frame.is_list))),
                    _ => {
                        let what = if frame.is_list { "list" } else { "tuple" };
                        return Err(self.pos.err(format!(
                            "expected ',' or '{close}' in the {what}, found {}",
                            self.tok.describe()
                        )));
                    }
                }
            }
        }
    }

    /// A term that is not a list or tuple.
    fn scalar(&mut self, start: Pos) -> Result<Term, TermError> {
        match self.tok.clone() {
            Tok::BinOpen => self.binary(start),
            Tok::Str(s) => {
                let mut s = s;
                self.advance()?;
                while let Tok::Str(more) = &self.tok {
                    s.extend_from_slice(more);
                    self.advance()?;
                }
                Ok(Term::Str(s))
            }
            Tok::Int(i) => {
                self.advance()?;
                Ok(Term::Int(i))
            }
            Tok::Punct('-') | Tok::Punct('+') => {
                let neg = self.tok == Tok::Punct('-');
                self.advance()?;
                match self.tok {
                    Tok::Int(i) => {
                        self.advance()?;
                        Ok(Term::Int(if neg { -i } else { i }))
                    }
                    Tok::Float(f) => {
                        self.advance()?;
                        Ok(Term::Float(if neg { -f } else { f }))
                    }
                    _ => Err(self
                        .pos
                        .err(format!("expected a number, found {}", self.tok.describe()))),
                }
            }
            Tok::Float(f) => {
                self.advance()?;
                Ok(Term::Float(f))
            }
            Tok::Atom(a) => {
                self.advance()?;
                Ok(Term::Atom(a))
            }
            Tok::Var(v) => Err(start.err(format!("unexpected variable {v}: expected a term"))),
            Tok::Eof => Err(start.err("unexpected end of file: expected a term")),
            Tok::Dot => Err(start.err("unexpected '.': expected a term")),
            other => Err(start.err(format!("unexpected {}: expected a term", other.describe()))),
        }
    }

    /// `<< Segment, ... >>` after `<<`; segments are string literals (optionally `/utf8`) or
    /// byte values.
    fn binary(&mut self, start: Pos) -> Result<Term, TermError> {
        self.advance()?;
        let mut bytes = Vec::new();
        if self.tok == Tok::BinClose {
            self.advance()?;
            return Ok(Term::Bin(bytes));
        }
        loop {
            let seg_pos = self.pos;
            match self.tok.clone() {
                Tok::Str(s) => {
                    let mut s = s;
                    self.advance()?;
                    while let Tok::Str(more) = &self.tok {
                        s.extend_from_slice(more);
                        self.advance()?;
                    }
                    if self.tok == Tok::Punct('/') {
                        self.advance()?;
                        match &self.tok {
                            Tok::Atom(a) if a == "utf8" => self.advance()?,
                            other => {
                                return Err(self.pos.err(format!(
                                    "unsupported binary segment type {}: only /utf8 is accepted",
                                    other.describe()
                                )))
                            }
                        }
                    }
                    let text = code_points_to_string(&s).map_err(|m| seg_pos.err(m))?;
                    bytes.extend_from_slice(text.as_bytes());
                }
                Tok::Int(i) => {
                    self.advance()?;
                    let b = u8::try_from(i)
                        .map_err(|_| seg_pos.err("binary segment value out of range 0..255"))?;
                    bytes.push(b);
                }
                Tok::Eof => return Err(start.err("unterminated binary: missing '>>'")),
                other => {
                    return Err(seg_pos.err(format!(
                        "expected a string or a byte value in the binary, found {}",
                        other.describe()
                    )))
                }
            }
            match self.tok {
                Tok::Punct(',') => self.advance()?,
                Tok::BinClose => {
                    self.advance()?;
                    return Ok(Term::Bin(bytes));
                }
                Tok::Eof => return Err(start.err("unterminated binary: missing '>>'")),
                _ => {
                    return Err(self.pos.err(format!(
                        "expected ',' or '>>' in the binary, found {}",
                        self.tok.describe()
                    )))
                }
            }
        }
    }
}

fn code_points_to_string(cps: &[u32]) -> Result<String, String> {
    let mut s = String::with_capacity(cps.len());
    for &c in cps {
        match char::from_u32(c) {
            Some(ch) => s.push(ch),
            None => {
                return Err(format!(
                    "invalid code point {c} (surrogate or above 0x10FFFF)"
                ))
            }
        }
    }
    Ok(s)
}

fn unterminated(is_list: bool) -> &'static str {
    if is_list {
        "unterminated list: missing ']'"
    } else {
        "unterminated tuple: missing '}'"
    }
}

// ------------------------------------------------------------------------------------------
// Shape checking

/// Where the tail of a [`Term::Cons`] starts.
fn tail_pos(span: &Span) -> Pos {
    span.items.last().map_or(span.at, |t| t.at)
}

/// How a term that is not a string or character code is named in errors.
fn describe_value(term: &Term) -> String {
    match term {
        Term::Atom(a) => format!("the atom '{}'", visible(a)),
        Term::Float(_) => "a float".to_string(),
        Term::Int(_) => "an integer".to_string(),
        Term::Tuple(_) => "a tuple".to_string(),
        Term::Bin(_) => "a binary".to_string(),
        Term::Str(_) | Term::List(_) | Term::Cons(..) => "a list".to_string(),
    }
}

fn to_entries(term: &Term, span: &Span) -> Result<Vec<RosterTemplateEntry>, TermError> {
    let elems = match term {
        Term::List(elems) => elems,
        Term::Cons(..) => return Err(tail_pos(span).err(IMPROPER_TEMPLATE)),
        _ => {
            return Err(span
                .at
                .err("expected a list of {User, Server, Group, Nick} tuples"))
        }
    };
    elems
        .iter()
        .zip(&span.items)
        .map(|(elem, espan)| to_entry(elem, espan))
        .collect()
}

/// The message for a template list with a tail.
const IMPROPER_TEMPLATE: &str = "improper list: expected a proper list of tuples";

/// One element of the template list as an entry.
fn to_entry(elem: &Term, espan: &Span) -> Result<RosterTemplateEntry, TermError> {
    let epos = espan.at;
    let Term::Tuple(fields) = elem else {
        return Err(epos.err("expected a 4-tuple {User, Server, Group, Nick}"));
    };
    if fields.len() != 4 {
        return Err(epos.err(format!(
            "expected a 4-tuple {{User, Server, Group, Nick}}, found a tuple with {} element{}",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        )));
    }
    let mut strs = Vec::with_capacity(4);
    for (field, fspan) in fields.iter().zip(&espan.items) {
        let mut s = String::new();
        chardata(field, fspan, &mut s)?;
        strs.push(s);
    }
    let mut it = strs.into_iter();
    let (Some(user), Some(server), Some(group), Some(nick)) =
        (it.next(), it.next(), it.next(), it.next())
    else {
        return Err(epos.err("expected a 4-tuple {User, Server, Group, Nick}"));
    };
    Ok(RosterTemplateEntry {
        user,
        server,
        group,
        nick,
    })
}

/// Append the text of a string-like term (string, binary, or list of code points / chardata).
/// Iterative, so deeply nested lists cannot overflow the stack.
fn chardata(term: &Term, span: &Span, out: &mut String) -> Result<(), TermError> {
    type Elems<'t> = std::iter::Zip<std::slice::Iter<'t, Term>, std::slice::Iter<'t, Span>>;
    let mut work: Vec<Elems<'_>> = Vec::new();
    let mut current: Option<(&Term, &Span)> = Some((term, span));
    let mut top = true;
    loop {
        if let Some((t, s)) = current.take() {
            let p = s.at;
            match t {
                Term::Str(cps) => out.push_str(&code_points_to_string(cps).map_err(|m| p.err(m))?),
                Term::Bin(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) => out.push_str(text),
                    Err(_) => return Err(p.err("binary is not valid UTF-8")),
                },
                Term::List(elems) => work.push(elems.iter().zip(&s.items)),
                Term::Cons(..) => {
                    return Err(tail_pos(s).err("improper list where a string is expected"))
                }
                Term::Int(i) if !top => {
                    let c = u32::try_from(*i)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| p.err(format!("invalid character code {i} in a string")))?;
                    out.push(c);
                }
                other if top => {
                    return Err(p.err(format!(
                        "expected a string, found {}",
                        describe_value(other)
                    )))
                }
                other => {
                    return Err(p.err(format!(
                        "expected a character code, found {}",
                        describe_value(other)
                    )))
                }
            }
            top = false;
        }
        let Some(it) = work.last_mut() else {
            return Ok(());
        };
        match it.next() {
            Some(next) => current = Some(next),
            None => {
                work.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(u: &str, s: &str, g: &str, n: &str) -> RosterTemplateEntry {
        RosterTemplateEntry {
            user: u.into(),
            server: s.into(),
            group: g.into(),
            nick: n.into(),
        }
    }

    fn err(input: &str) -> TermError {
        match parse_roster_template(input.as_bytes()) {
            Ok(v) => panic!("expected an error for {input:?}, got {v:?}"),
            Err(e) => e,
        }
    }

    fn at(input: &str, line: usize, column: usize, needle: &str) {
        let e = err(input);
        assert_eq!((e.line, e.column), (line, column), "{input:?}: {e}");
        assert!(e.message.contains(needle), "{input:?}: {e}");
    }

    #[test]
    fn spec_example() {
        let src = "[{\"alice\", \"localhost\", \"Group\", \"Alice\"},\n {\"bob\",   \"localhost\", \"Group\", \"Bob\"}].\n";
        assert_eq!(
            parse_roster_template(src.as_bytes()).unwrap(),
            vec![
                entry("alice", "localhost", "Group", "Alice"),
                entry("bob", "localhost", "Group", "Bob")
            ]
        );
    }

    #[test]
    fn empty_list_and_eof_dot() {
        assert_eq!(parse_roster_template(b"[].").unwrap(), vec![]);
        assert_eq!(
            parse_roster_template(b"  []  .  \n% done\n").unwrap(),
            vec![]
        );
        assert_eq!(parse_roster_template(b"[].%c").unwrap(), vec![]);
    }

    #[test]
    fn escapes() {
        let src = r#"[{"a\"b\\c", "\n\t\r\s\e\b\f\v\d", "\101\7\0101", "\x41\x{1F600}\x{0}\^a\^Z\^?\z"}]."#;
        let v = parse_roster_template(src.as_bytes()).unwrap();
        assert_eq!(v[0].user, "a\"b\\c");
        assert_eq!(v[0].server, "\n\t\r \u{1b}\u{8}\u{c}\u{b}\u{7f}");
        assert_eq!(v[0].group, "A\u{7}\u{8}1");
        assert_eq!(v[0].nick, "A\u{1F600}\u{0}\u{1}\u{1a}\u{7f}z");
    }

    #[test]
    fn code_point_lists_binaries_concatenation() {
        let src = "[{[97,108,105,99,101], <<\"localhost\">>, \"Gr\" \"oup\" \"\", [$N,$i, $c, $k]},\n {[], <<>>, <<\"é\"/utf8>>, <<104,105>>},\n {[\"ab\", [99], <<\"d\">>], \"ü\", [233], [16#41]}].";
        let v = parse_roster_template(src.as_bytes()).unwrap();
        assert_eq!(v[0], entry("alice", "localhost", "Group", "Nick"));
        assert_eq!(v[1], entry("", "", "é", "hi"));
        assert_eq!(v[2], entry("abcd", "ü", "é", "A"));
    }

    #[test]
    fn comments_everywhere() {
        let src = "% header\n[ % open\n {\"a\", % user\n  \"b\", \"c\", \"d\"} % tuple\n ] % close\n . % dot\n% trailing\n";
        assert_eq!(
            parse_roster_template(src.as_bytes()).unwrap(),
            vec![entry("a", "b", "c", "d")]
        );
    }

    #[test]
    fn error_classes_with_positions() {
        at("", 1, 1, "empty file");
        at("   \n  % only a comment\n", 3, 1, "empty file");
        at("{\"a\",\"b\",\"c\",\"d\"}.", 1, 1, "expected a list");
        at("[{\"a\",\"b\",\"c\"}].", 1, 2, "4-tuple");
        at("[\n  {\"a\",\"b\",\"c\",\"d\",\"e\"}].", 2, 3, "4-tuple");
        at("[foo].", 1, 2, "4-tuple");
        at(
            "[{foo,\"b\",\"c\",\"d\"}].",
            1,
            3,
            "expected a string, found the atom 'foo'",
        );
        at(
            "[{\"a\",42,\"c\",\"d\"}].",
            1,
            7,
            "expected a string, found an integer",
        );
        at("[{\"a\",\"b\",1.5,\"d\"}].", 1, 11, "float");
        at("[{\"a\",\"b\",\"c\",{}}].", 1, 15, "found a tuple");
        at("[{\"a\",\"b\",\"c\",\"d\"}]", 1, 20, "expected '.'");
        at("[{\"a\",\"b\",\"c\",\"d\"}]. x", 1, 22, "exactly one term");
        at("[]. [].", 1, 5, "exactly one term");
        at("[].x", 1, 3, "followed by whitespace");
        at("[{\"a\",\"b\",\"c\",\"d", 1, 15, "unterminated string");
        at("[{\"a\" \"b\",\"c\",\"d\"}", 1, 1, "unterminated list");
        at("[{\"a\" \"b\",\"c\",\"d\"", 1, 2, "unterminated tuple");
        at("[", 1, 1, "unterminated list");
        at("[{\"a\",\"b\",\"c\",\"d\"} {", 1, 20, "expected ',' or ']'");
        at("[{\"a\" \"b\" \"c\" \"d\"}].", 1, 2, "4-tuple");
        at(
            "[{\"a\\x{110000}\",\"b\",\"c\",\"d\"}].",
            1,
            3,
            "invalid code point",
        );
        at(
            "[{\"\\x{D800}\",\"b\",\"c\",\"d\"}].",
            1,
            3,
            "invalid code point",
        );
        at(
            "[{[55296],\"b\",\"c\",\"d\"}].",
            1,
            4,
            "invalid character code 55296",
        );
        at(
            "[{[-1],\"b\",\"c\",\"d\"}].",
            1,
            4,
            "invalid character code -1",
        );
        at("[{\"a\",\"b\",\"c\",\"d\"}|[]].", 1, 20, "improper");
        at("[{X,\"b\",\"c\",\"d\"}].", 1, 3, "variable X");
        at("[{<<\"a\",300>>,\"b\",\"c\",\"d\"}].", 1, 9, "out of range");
        at("[{<<195>>,\"b\",\"c\",\"d\"}].", 1, 3, "not valid UTF-8");
        at("[{\"\\xZ\",\"b\",\"c\",\"d\"}].", 1, 4, "\\x");
        at(
            "[{'abc,\"b\",\"c\",\"d\"}].",
            1,
            3,
            "unterminated quoted atom",
        );
        at("[{\"a\",\"b\",\"c\",$", 1, 15, "character literal");
    }

    #[test]
    fn non_utf8_reports_the_byte_position() {
        let mut bytes = b"[{\"a\",\n  \"b".to_vec();
        bytes.push(0xff);
        bytes.extend_from_slice(b"\",\"c\",\"d\"}].");
        let e = parse_roster_template(&bytes).unwrap_err();
        assert_eq!((e.line, e.column), (2, 5));
        assert!(e.message.contains("UTF-8"));
        // multi-byte characters count as one column
        let mut bytes = "é".as_bytes().to_vec();
        bytes.push(0x80);
        let e = parse_roster_template(&bytes).unwrap_err();
        assert_eq!((e.line, e.column), (1, 2));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "[".repeat(100_000);
        let e = parse_roster_template(src.as_bytes()).unwrap_err();
        assert!(e.message.contains("nesting too deep"), "{e}");
        let src = format!("{}{}.", "{".repeat(5000), "}".repeat(5000));
        assert!(parse_roster_template(src.as_bytes())
            .unwrap_err()
            .message
            .contains("nesting too deep"));
        let src = format!("{}.", "<<".repeat(5000));
        assert!(parse_roster_template(src.as_bytes()).is_err());
    }

    #[test]
    fn moderate_nesting_is_fine() {
        let src = format!(
            "[{{{}\"a\"{}, \"b\", \"c\", \"d\"}}].",
            "[".repeat(500),
            "]".repeat(500)
        );
        assert_eq!(
            parse_roster_template(src.as_bytes()).unwrap(),
            vec![entry("a", "b", "c", "d")]
        );
    }

    #[test]
    fn truncated_inputs_never_panic() {
        let src = "% c\n[{\"al\\x{41}ice\", <<\"local\"/utf8, 104>>, [$G, 114|[]], \"N\\^a\\101\"},\n {[97], \"b\" \"c\", 16#41, 'q'}, 1.5e3, -7].\n";
        for i in 0..=src.len() {
            if let Some(prefix) = src.get(..i) {
                let _ = parse_roster_template(prefix.as_bytes());
            }
        }
        for i in 0..=src.len() {
            let bytes = &src.as_bytes()[i..];
            let _ = parse_roster_template(bytes);
        }
        let _ = parse_roster_template(&[0xff, 0xfe]);
        let _ = parse_roster_template(b"99999999999999999999999999999999999999999999999999");
        let _ = parse_roster_template(b"[{\"\\x{FFFFFFFFFFFFFFFFFFFF}\",\"\",\"\",\"\"}].");
    }

    #[test]
    fn general_terms() {
        let t = parse(b"{ok, 'Q a', -7, 16#ff, $a, 2.5e-1, -1.5, [], {}, <<>>, [x | y]}.").unwrap();
        assert_eq!(
            t,
            Term::tuple(vec![
                Term::atom("ok"),
                Term::atom("Q a"),
                Term::Int(-7),
                Term::Int(255),
                Term::Int(97),
                Term::Float(0.25),
                Term::Float(-1.5),
                Term::list([]),
                Term::tuple([]),
                Term::bin(""),
                Term::Cons(vec![Term::atom("x")], Box::new(Term::atom("y"))),
            ])
        );
        assert_eq!(parse("\"a\" \"é\".".as_bytes()).unwrap(), Term::chars("aé"));
        assert_eq!(parse(b"<<\"\\xe9\">>.").unwrap(), Term::bin("é"));
        let e = parse(b" % nothing\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.message, "empty input: expected a term followed by '.'");
        let e = parse(b"[a, B].").unwrap_err();
        assert_eq!((e.line, e.column), (1, 5));
        assert_eq!(e.message, "unexpected variable B: expected a term");
    }

    /// The whole-term parse the streaming one must agree with.
    fn reference(bytes: &[u8]) -> Result<Vec<RosterTemplateEntry>, TermError> {
        let text = utf8(bytes)?;
        let mut parser = Parser::new(text)?;
        let (term, span) = parser.parse_file(EMPTY_TEMPLATE)?;
        to_entries(&term, &span)
    }

    fn same_as_reference(bytes: &[u8]) {
        assert_eq!(
            parse_roster_template(bytes),
            reference(bytes),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    #[test]
    fn streaming_agrees_with_the_whole_term_parse() {
        let src = "% c\n[{\"al\\x{41}ice\", <<\"local\"/utf8, 104>>, [$G, 114|[]], \"N\\^a\\101\"},\n {[97], \"b\" \"c\", 16#41, 'q'}, 1.5e3, -7, {\"a\",\"b\",\"c\",\"d\"} | x].\n";
        for i in 0..=src.len() {
            if let Some(prefix) = src.get(..i) {
                same_as_reference(prefix.as_bytes());
            }
            same_as_reference(&src.as_bytes()[i..]);
        }
        // Precedence: a syntax error after a bad entry, an improper tail after a bad entry,
        // a bad entry after good ones, nesting limits inside entries.
        for text in [
            "[{\"a\",\"b\",\"c\"}, {\"a\",\"b\",\"c\",\"d\"} x].",
            "[{\"a\",\"b\",\"c\"}, {\"a\",\"b\",\"c\",\"d\"}].\n[].",
            "[{\"a\",\"b\",\"c\"} | {\"a\",\"b\",\"c\",\"d\"}].",
            "[{\"a\",\"b\",\"c\"} | {\"a\",\"b\",\"c\",\"d\"}",
            "[{\"a\",\"b\",\"c\",\"d\"}, {\"a\",\"b\",\"c\",\"d\"}, 7].",
            "[{\"a\",\"b\",\"c\",\"d\"}, {\"a\",\"b\",\"c\",\"d\"}, 7]",
            "[{\"a\",\"b\",\"c\",\"d\"},].",
            "[{\"a\",\"b\",\"c\",\"d\"}|].",
            "[{\"a\",\"b\",\"c\",\"d\"}|[]].",
            "[{\"a\",\"b\",\"c\",\"d\"}|[] x].",
            "[[]].",
            "[\"abc\"].",
            "\"abc\".",
            "{}.",
            "[]",
            "[] x",
            "[ ] . ",
            "[,].",
        ] {
            same_as_reference(text.as_bytes());
        }
        for depth in [998, 999, 1000, 1001] {
            let text = format!(
                "[{{{}\"a\"{}, \"b\", \"c\", \"d\"}}].",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            same_as_reference(text.as_bytes());
            let text = format!("[{}].", "[".repeat(depth));
            same_as_reference(text.as_bytes());
        }
    }

    #[test]
    fn entries_come_one_at_a_time() {
        let mut it =
            roster_template(b"[{\"a\",\"b\",\"c\",\"d\"}, {\"e\",\"f\",\"g\",\"h\"}, {\"x\"}].");
        assert_eq!(it.next(), Some(Ok(entry("a", "b", "c", "d"))));
        assert_eq!(it.next(), Some(Ok(entry("e", "f", "g", "h"))));
        // The bad third entry ends the iteration with its error.
        let e = it.next().unwrap().unwrap_err();
        assert_eq!((e.line, e.column), (1, 40), "{e}");
        assert_eq!(it.next(), None);
        // An entry before a syntax error is yielded; the error follows and ends it.
        let mut it = roster_template(b"[{\"a\",\"b\",\"c\",\"d\"}, {");
        assert_eq!(it.next(), Some(Ok(entry("a", "b", "c", "d"))));
        assert!(it.next().unwrap().is_err());
        assert_eq!(it.next(), None);
    }

    proptest::proptest! {
        /// Random token soups in the template's vocabulary: the streaming parse gives the
        /// whole-term parse's result (entries, or the same error at the same position).
        #[test]
        fn streaming_agrees_on_random_inputs(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "[", "]", "{", "}", ",", "|", ".", " ", "\n", "\"a\"", "\"b\\x{41}\"", "<<\"c\">>",
                "<<", ">>", "97", "$a", "x", "X", "% c\n", "\"", "{\"a\",\"b\",\"c\",\"d\"}",
                "[{\"a\",\"b\",\"c\",\"d\"}", "]. ", "1.5", "-", "'q'",
            ]),
            0..40,
        )) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(
                parse_roster_template(text.as_bytes()),
                reference(text.as_bytes())
            );
        }
    }

    #[test]
    fn display() {
        let e = err("[");
        assert_eq!(
            e.to_string(),
            "line 1, column 1: unterminated list: missing ']'"
        );
    }
}
