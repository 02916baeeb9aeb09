//! Erlang terms: one [`Term`] type, parsed from Erlang term text ([`parse`], roster templates)
//! and printed the way `io_lib:format("~p", [Term])` prints it ([`Term::pretty`], [`fmt_p`]).
//!
//! Printing follows cli-output.md §9. Under the C locale the reference node treats every byte
//! of a command argument as one Latin-1 character, so text is handled byte-wise: [`Term::bin`]
//! and [`Term::string`] keep the UTF-8 bytes of their argument, a byte `0xA0..=0xFF` is a
//! printable Latin-1 character copied through unchanged (UTF-8 text therefore stays UTF-8
//! unless one of its bytes is `0x80..=0x9F`, in which case the whole binary or string prints as
//! numbers, exactly as the reference does), and widths are counted in bytes.
//!
//! Parsing follows commands.md (`push_roster`): see [`parse`] and [`parse_roster_template`].

mod parse;
mod pretty;

pub use parse::{
    parse, parse_roster_template, roster_template, RosterTemplate, RosterTemplateEntry, TermError,
};

/// An Erlang term.
///
/// Lists have three forms that print alike where Erlang considers them equal: [`Term::List`]
/// of elements, [`Term::Str`] (a compact list of character codes) and [`Term::Cons`] (a list
/// written with an explicit tail). The parser keeps the form that was written, so that errors
/// can point at it.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// An integer (printed in decimal).
    Int(i128),
    /// A float (printed with the shortest digits that read back to the same value, as `~p`).
    Float(f64),
    /// An atom, given by its name (printed bare or single-quoted; the name's bytes are its
    /// Latin-1 characters).
    Atom(String),
    /// A binary: `<<"...">>` when every byte is printable Latin-1, otherwise `<<1,2,3>>`.
    Bin(Vec<u8>),
    /// A list of character codes (an Erlang string): `"..."` when every code is printable
    /// Latin-1, otherwise a list of integers; the empty string prints as `[]`.
    Str(Vec<u32>),
    /// A proper list. A non-empty list of printable Latin-1 character codes prints as a string,
    /// as in Erlang.
    List(Vec<Term>),
    /// `[E1, ..., En | Tail]`: a list written with an explicit tail (improper unless `Tail` is
    /// itself a list, in which case it prints as the joined list).
    Cons(Vec<Term>, Box<Term>),
    /// A tuple.
    Tuple(Vec<Term>),
}

impl Term {
    /// An integer from any integer type (a `u128` above `i128::MAX` saturates).
    pub fn int<I: TryInto<i128>>(i: I) -> Term {
        Term::Int(i.try_into().unwrap_or(i128::MAX))
    }

    /// An atom named `name`.
    pub fn atom(name: &str) -> Term {
        Term::Atom(name.to_string())
    }

    /// A binary holding `bytes`; `Term::bin("é")` is `<<"é"/utf8>>` and prints as `<<"é">>`
    /// (bytes C3 A9, both printable Latin-1), `Term::bin("ą")` prints as `<<196,133>>`.
    pub fn bin(bytes: impl AsRef<[u8]>) -> Term {
        Term::Bin(bytes.as_ref().to_vec())
    }

    /// A string with one character per byte of `s` (how the node sees a command argument:
    /// `binary_to_list/1` of its UTF-8 bytes). `Term::string("é")` prints as `"é"`,
    /// `Term::string("ą")` as `[196,133]`.
    pub fn string(s: &str) -> Term {
        Term::Str(s.bytes().map(u32::from).collect())
    }

    /// A string with one character per Unicode code point of `s` (`unicode:characters_to_list/1`).
    /// Under `~p` a character above U+00FF makes it print as a list of integers.
    pub fn chars(s: &str) -> Term {
        Term::Str(s.chars().map(u32::from).collect())
    }

    /// A proper list.
    pub fn list(elems: impl IntoIterator<Item = Term>) -> Term {
        Term::List(elems.into_iter().collect())
    }

    /// A tuple.
    pub fn tuple(elems: impl IntoIterator<Item = Term>) -> Term {
        Term::Tuple(elems.into_iter().collect())
    }

    /// `~p` of the term when the text before it on the same line is `start_col` characters
    /// wide, as `io_lib:format/2` lays it out (line length 80; continuation lines are indented
    /// with spaces relative to `start_col`). Bytes that are not valid UTF-8 (only possible
    /// when the term holds such bytes, e.g. a `Bin` of Latin-1 text) are replaced lossily; see
    /// [`Term::pretty_bytes`].
    pub fn pretty(&self, start_col: usize) -> String {
        match String::from_utf8(self.pretty_bytes(start_col)) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }

    /// The exact bytes of [`Term::pretty`] (one byte per Latin-1 character, as the reference
    /// node writes them).
    pub fn pretty_bytes(&self, start_col: usize) -> Vec<u8> {
        pretty::pretty(self, start_col)
    }
}

/// `~p` of `term` at the start of a line (`term.pretty(0)`).
pub fn fmt_p(term: &Term) -> String {
    term.pretty(0)
}

/// `~p` of a command argument as the node sees it (an Erlang string, one character per
/// byte): how 5.1 echoes names and values in its messages.
pub fn p_string(s: &str) -> String {
    fmt_p(&Term::string(s))
}

/// Column (number of characters on the last line) after `text` when it started at `start_col`;
/// used to print several `~p` terms on one line. Characters are counted as bytes, like the
/// printer does.
pub fn column_after(text: &str, start_col: usize) -> usize {
    match text.bytes().rposition(|b| b == b'\n') {
        Some(i) => text.len() - i - 1,
        None => start_col + text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors() {
        assert_eq!(Term::int(3u8), Term::Int(3));
        assert_eq!(Term::int(usize::MAX), Term::Int(i128::from(u64::MAX)));
        assert_eq!(Term::int(u128::MAX), Term::Int(i128::MAX));
        assert_eq!(Term::int(-4i64), Term::Int(-4));
        assert_eq!(Term::atom("ok"), Term::Atom("ok".into()));
        assert_eq!(Term::bin("é"), Term::Bin(vec![0xC3, 0xA9]));
        assert_eq!(Term::bin(b"\x00"), Term::Bin(vec![0]));
        assert_eq!(Term::string("é"), Term::Str(vec![0xC3, 0xA9]));
        assert_eq!(Term::chars("é"), Term::Str(vec![0xE9]));
        assert_eq!(
            Term::tuple(vec![Term::int(1), Term::list([])]),
            Term::Tuple(vec![Term::Int(1), Term::List(vec![])])
        );
    }

    #[test]
    fn column_after_works() {
        assert_eq!(column_after("abc", 2), 5);
        assert_eq!(column_after("abc\n  de", 2), 4);
    }

    #[test]
    fn parse_then_print_round_trips() {
        for text in [
            "[{<<\"alice\">>,<<\"localhost\">>},{<<\"b\">>,<<1,2>>}]",
            "{error,\"nothing to repeat\",0}",
            "{'Quoted atom',[],{},<<>>,-12,1.5,1.0e3}",
            "[a,b|c]",
            "\"ab\\n\"",
            "[1,2,3]",
        ] {
            let term = match parse(format!("{text}.").as_bytes()) {
                Ok(t) => t,
                Err(e) => panic!("{text}: {e}"),
            };
            assert_eq!(fmt_p(&term), text);
        }
        // The deepest term the parser accepts prints too.
        let depth = 1000;
        let text = format!("{}{}.", "[".repeat(depth), "]".repeat(depth));
        let term = parse(text.as_bytes()).unwrap();
        assert_eq!(fmt_p(&term).matches('[').count(), depth);
        // Erlang-equal list forms print alike.
        let t = parse(b"[$a, 98 | \"c\"].").unwrap();
        assert_eq!(fmt_p(&t), "\"abc\"");
    }
}
