//! Erlang `~p` rendering helpers (cli-output.md §9).
//!
//! MongooseIM formats a few messages with `io_lib:format("...~p...")`. Under the C locale the
//! node treats every byte of a command argument as one Latin-1 character, so the helpers here
//! work on bytes: a byte `0xA0..=0xFF` is a printable Latin-1 character and is copied through
//! unchanged (UTF-8 text therefore stays UTF-8 unless one of its bytes is `0x80..=0x9F`, in which
//! case the whole binary is printed as a list of numbers, exactly as the reference does).
//!
//! The layout engine reproduces OTP's pretty printer (`io_lib_pretty`) for the term shapes a
//! clone needs (integers, atoms, binaries, strings, lists and tuples, including tagged tuples):
//! a term stays on one line when it fits in the 80-column line (i.e. when the whole output line
//! is at most 78 characters long, counting the text before the term), otherwise list and tuple
//! elements are laid out one per line, aligned under the first element.
//!
//! Widths are counted in bytes (one byte = one Latin-1 character, as on the reference node).

/// Line length used by `io_lib:format/2` for `~p`.
const LINE_LENGTH: i64 = 80;

/// Largest starting column honoured by [`pretty`].
const MAX_COLUMN: usize = 1 << 16;

/// An Erlang term that can be rendered the way `~p` renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// An integer, printed in decimal.
    Int(i64),
    /// An atom, given by its name (printed bare or single-quoted, see [`atom`]).
    Atom(String),
    /// A binary (`<<"...">>` when printable, otherwise `<<1,2,3>>`).
    Bin(Vec<u8>),
    /// A string, i.e. a list of Latin-1 characters given as bytes (`"..."` when printable,
    /// otherwise a list of integers; the empty string prints as `[]`).
    Str(Vec<u8>),
    /// A proper list.
    List(Vec<Term>),
    /// A tuple.
    Tuple(Vec<Term>),
}

/// `~p` of an atom: bare if it is a valid unquoted atom (`[a-z][A-Za-z0-9_@]*`, Latin-1 letters
/// included, reserved words excluded), otherwise single-quoted with `'` and `\` escaped.
pub fn atom(s: &str) -> String {
    lossy(atom_bytes(s.as_bytes()))
}

/// `~p` of a string (an Erlang list of characters, one per byte of `s`): `"..."` with `"` and
/// `\` escaped and control characters written as `~p` writes them (`\n`, `\t`, ...). A string
/// with a non-printable character prints as a list of integers (`[104,1]`), and the empty
/// string prints as `[]`, exactly like `~p`. Rendered as if it started at column 0.
pub fn string(s: &str) -> String {
    string_at(s, 0)
}

/// [`string`] for a string that starts after `start_col` characters of text on its line (this
/// only matters for long non-printable strings, which print as wrapped lists of integers).
pub fn string_at(s: &str, start_col: usize) -> String {
    pretty_string(&Term::Str(s.as_bytes().to_vec()), start_col)
}

/// `~p` of a binary: `<<"...">>` when every byte is printable Latin-1 (`0x20..=0x7E`,
/// `0xA0..=0xFF`, or one of `\n \r \t \v \b \f \e`, which are escaped, as are `"` and `\`),
/// otherwise `<<b1,b2,...>>` with decimal bytes. Rendered as if it started at column 0 (a long
/// non-printable binary is wrapped over several lines, as `~p` does); see [`binary_at`].
///
/// The result is the exact output for valid UTF-8 input; for other input see [`binary_bytes`].
pub fn binary(bytes: &[u8]) -> String {
    lossy(binary_bytes(bytes))
}

/// Exact bytes of [`binary`] (may be invalid UTF-8 when `bytes` is).
pub fn binary_bytes(bytes: &[u8]) -> Vec<u8> {
    pretty(&Term::Bin(bytes.to_vec()), 0)
}

/// `~p` of a binary that starts after `start_col` characters of text on its line (this only
/// matters for long non-printable binaries, which are wrapped).
pub fn binary_at(bytes: &[u8], start_col: usize) -> String {
    pretty_string(&Term::Bin(bytes.to_vec()), start_col)
}

/// Pretty-print a list of `{Binary, Binary}` pairs as `~p` would, given the column at which the
/// list starts (the width of the text before it on the same line), wrapping at 78 columns per
/// cli-output §9. E.g. with `start_col = 17`:
///
/// ```text
/// [{<<"alice">>,<<"localhost">>},
///                   {<<"bob">>,<<"localhost">>}]
/// ```
///
/// (the continuation lines are aligned under the first element).
pub fn pair_list(pairs: &[(String, String)], start_col: usize) -> String {
    let term = Term::List(
        pairs
            .iter()
            .map(|(a, b)| {
                Term::Tuple(vec![
                    Term::Bin(a.as_bytes().to_vec()),
                    Term::Bin(b.as_bytes().to_vec()),
                ])
            })
            .collect(),
    );
    pretty_string(&term, start_col)
}

/// `~p` of `term` as a `String` (see [`pretty`]; invalid UTF-8 is replaced lossily, which can
/// only happen when the term holds non-UTF-8 bytes).
pub fn pretty_string(term: &Term, start_col: usize) -> String {
    lossy(pretty(term, start_col))
}

/// `~p` of `term` when the text before it on the same line is `start_col` characters wide,
/// as produced by `io_lib:format/2` (line length 80). Returns the exact bytes.
pub fn pretty(term: &Term, start_col: usize) -> Vec<u8> {
    let node = build(term);
    // io_lib_format passes the 1-based column of the first character of the term.
    // (Clamped: only small columns make sense, and indentation is materialised as spaces.)
    let col = i64::try_from(start_col.min(MAX_COLUMN)).unwrap_or(0) + 1;
    let mut p = Printer {
        out: Vec::with_capacity(node.len),
        ll: LINE_LENGTH,
        m: to_i64(node.len),
    };
    match node.kind {
        Kind::Leaf => node.write(&mut p.out),
        _ => {
            if to_i64(node.len) < p.ll - col {
                node.write(&mut p.out);
            } else {
                let tind = [-1i64, 4]
                    .iter()
                    .find_map(|&i| p.cind(&node, col, i, 0, 0).ok())
                    .unwrap_or(1);
                let ind = usize::try_from(col - 1).unwrap_or(0);
                p.pp(&node, col, tind, ind, 0, 0);
            }
        }
    }
    p.out
}

/// Column (number of characters on the last line) after `text` when it started at `start_col`.
/// Useful to render several `~p` terms on one line.
pub fn column_after(text: &[u8], start_col: usize) -> usize {
    match text.iter().rposition(|&b| b == b'\n') {
        Some(i) => text.len() - i - 1,
        None => start_col + text.len(),
    }
}

fn lossy(v: Vec<u8>) -> String {
    match String::from_utf8(v) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX / 4)
}

// ------------------------------------------------------------------------------------------
// Leaf renderings

/// Latin-1 printability as used by `io_lib:printable_latin1_list/1`.
fn printable(b: u8) -> bool {
    matches!(b, 0x20..=0x7E | 0xA0..=0xFF | b'\n' | b'\r' | b'\t' | 0x0B | 0x08 | 0x0C | 0x1B)
}

/// Append `c` escaped as inside an Erlang quoted string/atom delimited by `quote`.
fn push_escaped(out: &mut Vec<u8>, c: u8, quote: u8) {
    match c {
        _ if c == quote => {
            out.push(b'\\');
            out.push(c);
        }
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x20..=0x7E | 0xA0..=0xFF => out.push(c),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x0B => out.extend_from_slice(b"\\v"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        0x1B => out.extend_from_slice(b"\\e"),
        0x7F => out.extend_from_slice(b"\\d"),
        _ => {
            out.push(b'\\');
            out.push(b'0' + (c >> 6));
            out.push(b'0' + ((c >> 3) & 7));
            out.push(b'0' + (c & 7));
        }
    }
}

fn quoted(bytes: &[u8], quote: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.push(quote);
    for &c in bytes {
        push_escaped(&mut out, c, quote);
    }
    out.push(quote);
    out
}

const RESERVED: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
];

fn atom_bytes(name: &[u8]) -> Vec<u8> {
    let lower_start = |c: u8| c.is_ascii_lowercase() || (0xDF..=0xFF).contains(&c) && c != 0xF7;
    let name_char = |c: u8| {
        c.is_ascii_alphanumeric()
            || c == b'_'
            || c == b'@'
            || (0xDF..=0xFF).contains(&c) && c != 0xF7
            || (0xC0..=0xDE).contains(&c) && c != 0xD7
    };
    let bare = match name.split_first() {
        Some((&first, rest)) => lower_start(first) && rest.iter().all(|&c| name_char(c)),
        None => false,
    };
    let reserved = RESERVED.iter().any(|r| r.as_bytes() == name);
    if bare && !reserved {
        name.to_vec()
    } else {
        quoted(name, b'\'')
    }
}

// ------------------------------------------------------------------------------------------
// Intermediate form (what io_lib_pretty calls the "intermediate format")

#[derive(Debug)]
enum Kind {
    /// Already-flat text that is never split (strings, printable binaries, atoms, integers).
    Leaf,
    /// A non-printable binary; `parts` are the decimal byte values.
    Bin(Vec<Vec<u8>>),
    /// A non-empty list.
    List(Vec<Node>),
    /// A non-empty tuple; `tagged` when its first element is an atom and it has 2+ elements.
    Tuple { tagged: bool, elems: Vec<Node> },
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    /// One-line rendering for leaves (empty for compound nodes).
    text: Vec<u8>,
    /// Length of the one-line rendering.
    len: usize,
}

impl Node {
    fn atomic(&self) -> bool {
        matches!(self.kind, Kind::Leaf)
    }

    /// Write the whole node on one line.
    fn write(&self, out: &mut Vec<u8>) {
        match &self.kind {
            Kind::Leaf => out.extend_from_slice(&self.text),
            Kind::Bin(parts) => {
                out.extend_from_slice(b"<<");
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(p);
                }
                out.extend_from_slice(b">>");
            }
            Kind::List(elems) | Kind::Tuple { elems, .. } => {
                let (open, close) = if matches!(self.kind, Kind::List(_)) {
                    (b'[', b']')
                } else {
                    (b'{', b'}')
                };
                out.push(open);
                for (i, e) in elems.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    e.write(out);
                }
                out.push(close);
            }
        }
    }
}

fn leaf(text: Vec<u8>) -> Node {
    Node {
        len: text.len(),
        text,
        kind: Kind::Leaf,
    }
}

fn build(term: &Term) -> Node {
    match term {
        Term::Int(i) => leaf(i.to_string().into_bytes()),
        Term::Atom(a) => leaf(atom_bytes(a.as_bytes())),
        Term::Bin(b) if b.is_empty() => leaf(b"<<>>".to_vec()),
        Term::Bin(b) if b.iter().all(|&c| printable(c)) => {
            let mut t = b"<<".to_vec();
            t.extend_from_slice(&quoted(b, b'"'));
            t.extend_from_slice(b">>");
            leaf(t)
        }
        Term::Bin(b) => {
            let parts: Vec<Vec<u8>> = b.iter().map(|c| c.to_string().into_bytes()).collect();
            let len = 3 + parts.iter().map(|p| p.len()).sum::<usize>() + parts.len();
            Node {
                kind: Kind::Bin(parts),
                text: Vec::new(),
                len,
            }
        }
        Term::Str(s) if s.is_empty() => leaf(b"[]".to_vec()),
        Term::Str(s) if s.iter().all(|&c| printable(c)) => leaf(quoted(s, b'"')),
        Term::Str(s) => compound_list(
            s.iter()
                .map(|&c| leaf(c.to_string().into_bytes()))
                .collect(),
        ),
        Term::List(l) if l.is_empty() => leaf(b"[]".to_vec()),
        Term::List(l) => compound_list(l.iter().map(build).collect()),
        Term::Tuple(t) if t.is_empty() => leaf(b"{}".to_vec()),
        Term::Tuple(t) => {
            let tagged = t.len() > 1 && matches!(t.first(), Some(Term::Atom(_)));
            let elems: Vec<Node> = t.iter().map(build).collect();
            let len = 1 + elems.iter().map(|e| e.len).sum::<usize>() + elems.len();
            Node {
                kind: Kind::Tuple { tagged, elems },
                text: Vec::new(),
                len,
            }
        }
    }
}

fn compound_list(elems: Vec<Node>) -> Node {
    let len = 1 + elems.iter().map(|e| e.len).sum::<usize>() + elems.len();
    Node {
        kind: Kind::List(elems),
        text: Vec::new(),
        len,
    }
}

// ------------------------------------------------------------------------------------------
// Layout (a re-implementation of io_lib_pretty's algorithm for lists, tuples and binaries)

/// `NoGood` is raised by the indentation probe when a tagged-tuple indentation does not fit.
struct NoGood;

struct Printer {
    out: Vec<u8>,
    /// Line length.
    ll: i64,
    /// Maximum characters per line (the whole term's length, as `~p` passes no limit).
    m: i64,
}

fn last_depth(has_more: bool, ld: i64) -> i64 {
    if has_more {
        0
    } else {
        ld + 1
    }
}

impl Printer {
    fn fits(&self, node: &Node, col: i64, ld: i64, w: i64) -> bool {
        let len = to_i64(node.len);
        len < self.ll - col - ld && len + w + ld <= self.m
    }

    fn indent(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(b' ', n));
    }

    /// Pretty-print `node` starting at 1-based column `col`; `ind` is the indentation (in
    /// spaces) of continuation lines, `ld` the number of closing brackets that follow, `w` the
    /// width already used on the current line by this term.
    fn pp(&mut self, node: &Node, col: i64, tind: i64, ind: usize, ld: i64, w: i64) {
        if self.fits(node, col, ld, w) {
            node.write(&mut self.out);
            return;
        }
        match &node.kind {
            Kind::Leaf => node.write(&mut self.out),
            Kind::List(elems) => {
                self.out.push(b'[');
                self.pp_list(elems, col + 1, tind, ind + 1, ld, w + 1);
                self.out.push(b']');
            }
            Kind::Tuple {
                tagged: false,
                elems,
            } => {
                self.out.push(b'{');
                self.pp_list(elems, col + 1, tind, ind + 1, ld, w + 1);
                self.out.push(b'}');
            }
            Kind::Tuple {
                tagged: true,
                elems,
            } => {
                self.out.push(b'{');
                self.pp_tag_tuple(elems, col, tind, ind, ld, w + 1);
                self.out.push(b'}');
            }
            Kind::Bin(parts) => self.pp_binary(parts, col + 2, ind + 2, ld, w),
        }
    }

    fn pp_tag_tuple(&mut self, elems: &[Node], col: i64, tind: i64, ind: usize, ld: i64, w: i64) {
        let Some((tag, rest)) = elems.split_first() else {
            return;
        };
        let tlen = to_i64(tag.len);
        let tag_ind = tlen + 2;
        let tcol = col + tag_ind;
        tag.write(&mut self.out);
        if tind > 0 && tag_ind > tind {
            let col1 = col + tind;
            let indent = ind + usize::try_from(tind).unwrap_or(0);
            self.pp_tail(rest, col1, tcol, tind, indent, ld, w + tlen);
        } else {
            self.out.push(b',');
            let indent = ind + usize::try_from(tag_ind).unwrap_or(0);
            self.pp_list(rest, tcol, tind, indent, ld, w + tlen + 1);
        }
    }

    fn pp_list(&mut self, elems: &[Node], col0: i64, tind: i64, ind: usize, ld: i64, w: i64) {
        let Some((first, rest)) = elems.split_first() else {
            return;
        };
        let we = self.pp_element(first, col0, tind, ind, last_depth(!rest.is_empty(), ld), w);
        self.pp_tail(rest, col0, col0 + we, tind, ind, ld, w + we);
    }

    #[allow(clippy::too_many_arguments)]
    fn pp_tail(
        &mut self,
        elems: &[Node],
        col0: i64,
        mut col: i64,
        tind: i64,
        ind: usize,
        ld: i64,
        mut w: i64,
    ) {
        for (i, e) in elems.iter().enumerate() {
            let ld1 = last_depth(i + 1 < elems.len(), ld);
            let elen = 1 + to_i64(e.len);
            let same_line = e.atomic()
                && if ld1 == 0 {
                    elen + 1 < self.ll - col && w + elen < self.m
                } else {
                    elen < self.ll - col - ld1 && w + elen + ld1 <= self.m
                };
            if same_line {
                self.out.push(b',');
                e.write(&mut self.out);
                col += elen;
                w += elen;
            } else {
                self.out.extend_from_slice(b",\n");
                self.indent(ind);
                let we = self.pp_element(e, col0, tind, ind, ld1, 0);
                col = col0 + we;
                w = we;
            }
        }
    }

    /// Returns the width taken on the line (the line length when a newline must follow).
    fn pp_element(&mut self, e: &Node, col: i64, tind: i64, ind: usize, ld: i64, w: i64) -> i64 {
        if e.atomic() && self.fits(e, col, ld, w) {
            e.write(&mut self.out);
            to_i64(e.len)
        } else {
            self.pp(e, col, tind, ind, ld, w);
            self.ll
        }
    }

    fn pp_binary(&mut self, parts: &[Vec<u8>], col: i64, ind: usize, ld: i64, w: i64) {
        let n0 = (std::cmp::min(self.ll - col, self.m - 4 - w) - ld).max(8);
        let mut n = n0;
        self.out.extend_from_slice(b"<<");
        for (i, p) in parts.iter().enumerate() {
            let plen = to_i64(p.len());
            if i + 1 < parts.len() {
                let len = plen + 1;
                if n - len < 0 {
                    self.out.push(b'\n');
                    self.indent(ind);
                    n = n0 - len;
                } else {
                    n -= len;
                }
                self.out.extend_from_slice(p);
                self.out.push(b',');
            } else {
                if plen > n {
                    self.out.push(b'\n');
                    self.indent(ind);
                }
                self.out.extend_from_slice(p);
            }
        }
        self.out.extend_from_slice(b">>");
    }

    // --- indentation probe for tagged tuples (io_lib_pretty's `cind`) ---

    fn cind(&self, node: &Node, col: i64, ind: i64, ld: i64, w: i64) -> Result<i64, NoGood> {
        if self.fits(node, col, ld, w) {
            return Ok(ind);
        }
        match &node.kind {
            Kind::List(elems)
            | Kind::Tuple {
                tagged: false,
                elems,
            } => self.cind_list(elems, col + 1, ind, ld, w + 1),
            Kind::Tuple {
                tagged: true,
                elems,
            } => self.cind_tag_tuple(elems, col, ind, ld, w + 1),
            Kind::Leaf | Kind::Bin(_) => Ok(ind),
        }
    }

    fn cind_tag_tuple(
        &self,
        elems: &[Node],
        col: i64,
        ind: i64,
        ld: i64,
        w: i64,
    ) -> Result<i64, NoGood> {
        let Some((tag, rest)) = elems.split_first() else {
            return Ok(ind);
        };
        let tlen = to_i64(tag.len);
        let tag_ind = tlen + 2;
        let tcol = col + tag_ind;
        if ind > 0 && tag_ind > ind {
            let col1 = col + ind;
            if self.m + col1 <= self.ll || col1 <= self.ll / 2 {
                self.cind_tail(rest, col1, tcol, ind, ld, w + tlen)
            } else {
                Err(NoGood)
            }
        } else if self.m + tcol < self.ll || tcol < self.ll / 2 {
            self.cind_list(rest, tcol, ind, ld, w + tlen + 1)
        } else {
            Err(NoGood)
        }
    }

    fn cind_list(
        &self,
        elems: &[Node],
        col0: i64,
        ind: i64,
        ld: i64,
        w: i64,
    ) -> Result<i64, NoGood> {
        let Some((first, rest)) = elems.split_first() else {
            return Ok(ind);
        };
        let we = self.cind_element(first, col0, ind, last_depth(!rest.is_empty(), ld), w)?;
        self.cind_tail(rest, col0, col0 + we, ind, ld, w + we)
    }

    fn cind_tail(
        &self,
        elems: &[Node],
        col0: i64,
        mut col: i64,
        ind: i64,
        ld: i64,
        mut w: i64,
    ) -> Result<i64, NoGood> {
        for (i, e) in elems.iter().enumerate() {
            let ld1 = last_depth(i + 1 < elems.len(), ld);
            let elen = 1 + to_i64(e.len);
            let same_line = e.atomic()
                && if ld1 == 0 {
                    elen + 1 < self.ll - col && w + elen < self.m
                } else {
                    elen < self.ll - col - ld1 && w + elen + ld1 <= self.m
                };
            if same_line {
                col += elen;
                w += elen;
            } else {
                let we = self.cind_element(e, col0, ind, ld1, 0)?;
                col = col0 + we;
                w = we;
            }
        }
        Ok(ind)
    }

    fn cind_element(&self, e: &Node, col: i64, ind: i64, ld: i64, w: i64) -> Result<i64, NoGood> {
        if e.atomic() && self.fits(e, col, ld, w) {
            Ok(to_i64(e.len))
        } else {
            self.cind(e, col, ind, ld, w)?;
            Ok(self.ll)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(names: &[&str]) -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| (n.to_string(), "localhost".to_string()))
            .collect()
    }

    #[test]
    fn atoms() {
        assert_eq!(atom("mongooseim@localhost"), "mongooseim@localhost");
        assert_eq!(atom("mongooseim@my-host"), "'mongooseim@my-host'");
        assert_eq!(atom("mim@host.example.com"), "'mim@host.example.com'");
        assert_eq!(atom("ok"), "ok");
        assert_eq!(atom("Ok"), "'Ok'");
        assert_eq!(atom(""), "''");
        assert_eq!(atom("a'b\\c"), "'a\\'b\\\\c'");
        assert_eq!(atom("end"), "'end'");
        assert_eq!(atom("not_allowed"), "not_allowed");
        assert_eq!(atom("a\nb"), "'a\\nb'");
    }

    #[test]
    fn strings() {
        assert_eq!(string("foo"), "\"foo\"");
        assert_eq!(string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(string("a\nb\tc"), "\"a\\nb\\tc\"");
        assert_eq!(string(""), "[]");
        assert_eq!(string("h\u{1}"), "[104,1]");
        assert_eq!(string("é"), "\"é\"");
        // U+0105 is C4 85: 0x85 is not printable Latin-1.
        assert_eq!(string("ą"), "[196,133]");
    }

    #[test]
    fn binaries() {
        assert_eq!(binary(b"kate"), "<<\"kate\">>");
        assert_eq!(binary(b""), "<<>>");
        assert_eq!(binary(b"a\"b\\"), "<<\"a\\\"b\\\\\">>");
        assert_eq!(binary(b"<a>\n"), "<<\"<a>\\n\">>");
        assert_eq!(binary("é".as_bytes()), "<<\"é\">>");
        assert_eq!(binary("ą".as_bytes()), "<<196,133>>");
        assert_eq!(binary(&[0]), "<<0>>");
        assert_eq!(binary(&[0x7f]), "<<127>>");
        assert_eq!(
            binary_bytes(&[0xE9]),
            vec![b'<', b'<', b'"', 0xE9, b'"', b'>', b'>']
        );
        assert_eq!(binary(b"\x1b\x0b\x08\x0c\r"), "<<\"\\e\\v\\b\\f\\r\">>");
    }

    #[test]
    fn long_non_printable_binary_wraps() {
        let bytes: Vec<u8> = std::iter::repeat_n(200u8, 30).chain([1u8]).collect();
        let s = binary_at(&bytes, 2);
        for line in s.lines() {
            assert!(line.len() <= 80, "{s}");
        }
        assert!(s.contains('\n'));
        // continuation lines are aligned after `<<`.
        assert!(
            s.lines().nth(1).is_some_and(|l| l.starts_with("    2")),
            "{s}"
        );
        let joined: String = s.split('\n').map(str::trim_start).collect();
        assert_eq!(
            joined,
            format!(
                "<<{}>>",
                bytes
                    .iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        );
    }

    #[test]
    fn delete_old_users_examples() {
        let prefix = "Deleted 0 users: ";
        assert_eq!(pair_list(&[], prefix.len()), "[]");
        let prefix = "Deleted 1 users: ";
        assert_eq!(
            pair_list(&pairs(&["kate"]), prefix.len()),
            "[{<<\"kate\">>,<<\"localhost\">>}]"
        );
        let prefix = "Deleted 4 users: ";
        let got = format!(
            "{prefix}{}",
            pair_list(&pairs(&["alice", "bob", "kate", "mike"]), prefix.len())
        );
        let want = "Deleted 4 users: [{<<\"alice\">>,<<\"localhost\">>},
                  {<<\"bob\">>,<<\"localhost\">>},
                  {<<\"kate\">>,<<\"localhost\">>},
                  {<<\"mike\">>,<<\"localhost\">>}]";
        assert_eq!(got, want);
    }

    #[test]
    fn width_threshold_is_78() {
        // One pair: "[{<<\"U\">>,<<\"localhost\">>}]" = 26 + len(U) chars.
        let prefix = "Deleted 1 users: "; // 17
                                          // 17 + 26 + 35 = 78 -> one line.
        let u = "a".repeat(35);
        let s = pair_list(&[(u.clone(), "localhost".into())], prefix.len());
        assert!(!s.contains('\n'));
        assert_eq!(prefix.len() + s.len(), 78);
        // 79 -> wrapped (the tuple is split after its comma).
        let u = "a".repeat(36);
        let s = pair_list(&[(u.clone(), "localhost".into())], prefix.len());
        assert_eq!(
            s,
            format!("[{{<<\"{u}\">>,\n                   <<\"localhost\">>}}]")
        );
    }

    #[test]
    fn two_short_pairs_fit_on_one_line() {
        let prefix = "Deleted 2 users: ";
        let s = pair_list(&pairs(&["a", "b"]), prefix.len());
        assert_eq!(
            s,
            "[{<<\"a\">>,<<\"localhost\">>},{<<\"b\">>,<<\"localhost\">>}]"
        );
    }

    #[test]
    fn element_split_after_comma() {
        let prefix = "Deleted 2 users: ";
        let long = "x".repeat(50);
        let list = vec![
            ("alice".to_string(), "localhost".to_string()),
            (long.clone(), "localhost".to_string()),
        ];
        let got = pair_list(&list, prefix.len());
        let want = format!(
            "[{{<<\"alice\">>,<<\"localhost\">>}},\n                  {{<<\"{long}\">>,\n                   <<\"localhost\">>}}]"
        );
        assert_eq!(got, want);
    }

    #[test]
    fn integer_lists_pack_several_per_line() {
        let s: Vec<u8> = std::iter::repeat_n(1u8, 40).collect();
        let out = pretty_string(&Term::Str(s), 0);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() == 2, "{out}");
        assert!(lines[0].starts_with("[1,1,"));
        assert!(lines[1].starts_with(" 1,"));
        assert!(lines.iter().all(|l| l.len() < 80));
    }

    #[test]
    fn tagged_tuples() {
        let t = Term::Tuple(vec![
            Term::Atom("error".into()),
            Term::Str(b"nothing".to_vec()),
        ]);
        assert_eq!(pretty_string(&t, 0), "{error,\"nothing\"}");
        let t = Term::Tuple(vec![Term::Str(b"nothing to repeat".to_vec()), Term::Int(0)]);
        assert_eq!(pretty_string(&t, 0), "{\"nothing to repeat\",0}");
        let long = Term::Tuple(vec![
            Term::Atom("badarg".into()),
            Term::Bin(vec![b'x'; 70]),
            Term::Int(3),
        ]);
        let out = pretty_string(&long, 0);
        assert!(out.starts_with("{badarg,<<\""), "{out}");
        assert!(out.ends_with(",\n        3}"), "{out}");
    }

    #[test]
    fn column_after_works() {
        assert_eq!(column_after(b"abc", 2), 5);
        assert_eq!(column_after(b"abc\n  de", 2), 4);
    }
}
