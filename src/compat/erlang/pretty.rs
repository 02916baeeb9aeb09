//! `~p` printing: a re-implementation of OTP's `io_lib_pretty` for the term shapes of
//! [`Term`] (integers, floats, atoms, binaries, strings, proper and improper lists, tuples,
//! including tagged tuples).
//!
//! A term stays on one line when it fits in the 80-column line (i.e. when the whole output line
//! is at most 78 characters long, counting the text before the term); otherwise list and tuple
//! elements are laid out one per line, aligned under the first element, a tagged tuple's
//! elements are aligned after its tag, and a long non-printable binary is wrapped.

use super::Term;

/// Line length used by `io_lib:format/2` for `~p`.
const LINE_LENGTH: i64 = 80;

/// Largest starting column honoured by [`pretty`].
const MAX_COLUMN: usize = 1 << 16;

/// `~p` of `term` when the text before it on the same line is `start_col` characters wide.
pub(super) fn pretty(term: &Term, start_col: usize) -> Vec<u8> {
    let tree = build(term);
    let root = tree.root();
    let node = tree.node(root);
    // io_lib_format passes the 1-based column of the first character of the term.
    // (Clamped: only small columns make sense, and indentation is materialised as spaces.)
    let col = i64::try_from(start_col.min(MAX_COLUMN)).unwrap_or(0) + 1;
    if node.atomic() || to_i64(node.len) < LINE_LENGTH - col {
        let mut out = Vec::with_capacity(node.len);
        tree.write(root, &mut out);
        return out;
    }
    let ind = usize::try_from(col - 1).unwrap_or(0);
    let tind = [-1i64, 4]
        .into_iter()
        .find(|&i| Layout::new(&tree, i, true).run(root, col, ind).is_ok())
        .unwrap_or(1);
    let mut layout = Layout::new(&tree, tind, false);
    // (Printing never raises NoGood.)
    let _ = layout.run(root, col, ind);
    layout.out
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX / 4)
}

// ------------------------------------------------------------------------------------------
// Leaf renderings

/// Latin-1 printability as used by `io_lib:printable_latin1_list/1`.
fn printable(c: u32) -> bool {
    matches!(c, 0x20..=0x7E | 0xA0..=0xFF | 0x0A | 0x0D | 0x09 | 0x0B | 0x08 | 0x0C | 0x1B)
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

fn quoted(bytes: impl IntoIterator<Item = u8>, quote: u8) -> Vec<u8> {
    let mut out = vec![quote];
    for c in bytes {
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

/// An atom: bare if it is a valid unquoted atom (`[a-z][A-Za-z0-9_@]*`, Latin-1 letters
/// included, reserved words excluded), otherwise single-quoted with `'` and `\` escaped.
fn atom_text(name: &[u8]) -> Vec<u8> {
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
        quoted(name.iter().copied(), b'\'')
    }
}

/// A float as `io_lib_format:fwrite_g/1` writes it: the shortest digits that read back to the
/// same value, in plain notation when that is not longer than the exponent notation
/// (`1.5`, `100.0`, `0.001`, `1.0e3`, `1.0e-5`). Erlang has no infinities or NaN; they print
/// as Rust does (`inf`, `NaN`).
fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    // `{:e}` gives the shortest round-trip digits: "1.2345e-7", "1e3", "0e0".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // The value is 0.DIGITS * 10^place.
    let place = exp.parse::<i64>().unwrap_or(0) + 1;
    let len = to_i64(digits.len());
    let body = if (1..len).contains(&place) {
        let (a, b) = digits.split_at(usize::try_from(place).unwrap_or(0));
        format!("{a}.{b}")
    } else if place == 0 {
        format!("0.{digits}")
    } else {
        let exp_text = (place - 1).to_string();
        let exp_cost = to_i64(exp_text.len()) + 1 + if len == 1 { 2 } else { 1 };
        let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
        if place < 0 && 2 - place <= exp_cost {
            format!("0.{}{digits}", zeros(-place))
        } else if place > 0 && place - len + 2 <= exp_cost {
            format!("{digits}{}.0", zeros(place - len))
        } else {
            let (first, rest) = digits.split_at(1.min(digits.len()));
            let rest = if rest.is_empty() { "0" } else { rest };
            format!("{first}.{rest}e{exp_text}")
        }
    };
    if f.is_sign_negative() {
        format!("-{body}")
    } else {
        body
    }
}

// ------------------------------------------------------------------------------------------
// Intermediate form (what io_lib_pretty calls the "intermediate format")
//
// The term is flattened into a tree of nodes stored in one vector (children before their
// parent), and every pass over it (building, writing, laying out) uses an explicit stack, so
// that a deeply nested term cannot overflow the call stack.

#[derive(Debug)]
enum Kind {
    /// Already-flat text that is never split (strings, printable binaries, atoms, numbers).
    Leaf(Vec<u8>),
    /// A non-printable binary; the parts are the decimal byte values.
    Bin(Vec<Vec<u8>>),
    /// A non-empty list (indices of its elements), with the tail of an improper list.
    List(Vec<usize>, Option<usize>),
    /// A non-empty tuple; `tagged` when its first element is an atom and it has 2+ elements.
    Tuple { tagged: bool, elems: Vec<usize> },
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    /// Length of the one-line rendering.
    len: usize,
}

impl Node {
    /// io_lib_pretty's `?ATM`: plain text, written as is wherever it goes.
    fn atomic(&self) -> bool {
        matches!(self.kind, Kind::Leaf(_))
    }
}

fn leaf(text: Vec<u8>) -> Node {
    Node {
        len: text.len(),
        kind: Kind::Leaf(text),
    }
}

/// The nodes of a term; the root is the last one.
struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }

    fn root(&self) -> usize {
        self.nodes.len().saturating_sub(1)
    }

    /// Length of `[E1,...,En]` or `{E1,...,En}` (plus `|Tail`).
    fn seq_len(&self, elems: &[usize], tail: Option<usize>) -> usize {
        let sum: usize = elems.iter().map(|&e| self.node(e).len).sum();
        1 + sum + elems.len() + tail.map_or(0, |t| 1 + self.node(t).len)
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Write node `i` on one line.
    fn write(&self, i: usize, out: &mut Vec<u8>) {
        enum Task {
            Node(usize),
            Byte(u8),
        }
        let mut tasks = vec![Task::Node(i)];
        while let Some(task) = tasks.pop() {
            let i = match task {
                Task::Byte(b) => {
                    out.push(b);
                    continue;
                }
                Task::Node(i) => i,
            };
            let (open, close, elems, tail) = match &self.node(i).kind {
                Kind::Leaf(text) => {
                    out.extend_from_slice(text);
                    continue;
                }
                Kind::Bin(parts) => {
                    out.extend_from_slice(b"<<");
                    out.extend_from_slice(&parts.join(&b','));
                    out.extend_from_slice(b">>");
                    continue;
                }
                Kind::List(elems, tail) => (b'[', b']', elems, *tail),
                Kind::Tuple { elems, .. } => (b'{', b'}', elems, None),
            };
            out.push(open);
            tasks.push(Task::Byte(close));
            if let Some(t) = tail {
                tasks.push(Task::Node(t));
                tasks.push(Task::Byte(b'|'));
            }
            for (k, &e) in elems.iter().enumerate().rev() {
                tasks.push(Task::Node(e));
                if k > 0 {
                    tasks.push(Task::Byte(b','));
                }
            }
        }
    }
}

/// One element of a list being built: a term, or a character of a [`Term::Str`].
#[derive(Clone, Copy)]
enum Item<'a> {
    Term(&'a Term),
    Char(u32),
}

impl Item<'_> {
    fn char_code(self) -> Option<u32> {
        match self {
            Item::Char(c) => Some(c),
            Item::Term(Term::Int(i)) => u32::try_from(*i).ok(),
            Item::Term(_) => None,
        }
    }
}

/// The elements of a list in any of its forms, joined through `Cons` tails that are lists,
/// and the improper tail if any.
fn list_items(term: &Term) -> (Vec<Item<'_>>, Option<&Term>) {
    let mut items = Vec::new();
    let mut current = term;
    loop {
        match current {
            Term::List(l) => {
                items.extend(l.iter().map(Item::Term));
                return (items, None);
            }
            Term::Str(s) => {
                items.extend(s.iter().map(|&c| Item::Char(c)));
                return (items, None);
            }
            Term::Cons(head, t) => {
                items.extend(head.iter().map(Item::Term));
                current = t;
            }
            other => return (items, Some(other)),
        }
    }
}

/// The text of a proper list of printable Latin-1 character codes, printed as a string.
fn printable_string(items: &[Item<'_>]) -> Option<Vec<u8>> {
    let codes = items.iter().map(|i| {
        i.char_code()
            .filter(|&c| printable(c))
            .and_then(|c| u8::try_from(c).ok())
    });
    let codes: Option<Vec<u8>> = codes.collect();
    codes.map(|c| quoted(c, b'"'))
}

/// A binary: a leaf when printable, otherwise a list of byte values that may be wrapped.
fn binary_node(b: &[u8]) -> Node {
    if b.iter().all(|&c| printable(u32::from(c))) {
        let mut t = b"<<".to_vec();
        if !b.is_empty() {
            t.extend_from_slice(&quoted(b.iter().copied(), b'"'));
        }
        t.extend_from_slice(b">>");
        return leaf(t);
    }
    let parts: Vec<Vec<u8>> = b.iter().map(|c| c.to_string().into_bytes()).collect();
    let len = 3 + parts.iter().map(|p| p.len()).sum::<usize>() + parts.len();
    Node {
        kind: Kind::Bin(parts),
        len,
    }
}

fn build(term: &Term) -> Tree {
    enum Task<'a> {
        Visit(Item<'a>),
        /// Make a list of the last `n` built nodes (the last one being the tail if `tail`).
        List {
            n: usize,
            tail: bool,
        },
        /// Make a tuple of the last `n` built nodes.
        Tuple {
            n: usize,
            tagged: bool,
        },
    }
    let mut tree = Tree { nodes: Vec::new() };
    // Indices of built nodes not yet attached to their parent.
    let mut done: Vec<usize> = Vec::new();
    let mut tasks = vec![Task::Visit(Item::Term(term))];
    while let Some(task) = tasks.pop() {
        let node = match task {
            Task::Visit(Item::Char(c)) => leaf(c.to_string().into_bytes()),
            Task::Visit(Item::Term(t)) => match t {
                Term::Int(i) => leaf(i.to_string().into_bytes()),
                Term::Float(f) => leaf(float_text(*f).into_bytes()),
                Term::Atom(a) => leaf(atom_text(a.as_bytes())),
                Term::Bin(b) => binary_node(b),
                Term::Tuple(elems) if elems.is_empty() => leaf(b"{}".to_vec()),
                Term::Tuple(elems) => {
                    let tagged = elems.len() > 1 && matches!(elems.first(), Some(Term::Atom(_)));
                    tasks.push(Task::Tuple {
                        n: elems.len(),
                        tagged,
                    });
                    tasks.extend(elems.iter().rev().map(|e| Task::Visit(Item::Term(e))));
                    continue;
                }
                Term::Str(_) | Term::List(_) | Term::Cons(..) => {
                    let (items, tail) = list_items(t);
                    let string = match tail {
                        None => printable_string(&items),
                        Some(_) => None,
                    };
                    match (items.is_empty(), tail, string) {
                        (true, None, _) => leaf(b"[]".to_vec()),
                        // `[ | T]` is just `T`.
                        (true, Some(t), _) => {
                            tasks.push(Task::Visit(Item::Term(t)));
                            continue;
                        }
                        (false, _, Some(text)) => leaf(text),
                        (false, tail, None) => {
                            tasks.push(Task::List {
                                n: items.len() + usize::from(tail.is_some()),
                                tail: tail.is_some(),
                            });
                            if let Some(t) = tail {
                                tasks.push(Task::Visit(Item::Term(t)));
                            }
                            tasks.extend(items.into_iter().rev().map(Task::Visit));
                            continue;
                        }
                    }
                }
            },
            Task::List { n, tail } => {
                let mut elems = done.split_off(done.len().saturating_sub(n));
                let tail = if tail { elems.pop() } else { None };
                Node {
                    len: tree.seq_len(&elems, tail),
                    kind: Kind::List(elems, tail),
                }
            }
            Task::Tuple { n, tagged } => {
                let elems = done.split_off(done.len().saturating_sub(n));
                Node {
                    len: tree.seq_len(&elems, None),
                    kind: Kind::Tuple { tagged, elems },
                }
            }
        };
        done.push(tree.push(node));
    }
    tree
}

// ------------------------------------------------------------------------------------------
// Layout (a re-implementation of io_lib_pretty's algorithm for lists, tuples and binaries)

/// `NoGood` is raised by the indentation probe when a tagged-tuple indentation does not fit.
struct NoGood;

/// A list or tuple being laid out: the state of io_lib_pretty's `pp_list` / `pp_tail` (and
/// `cind_list` / `cind_tail`) over its elements.
struct Seq<'t> {
    elems: &'t [usize],
    /// Index of the next element to lay out.
    next: usize,
    /// Whether `elems[next]` is the first element of a `pp_list` (no comma before it).
    first: bool,
    /// The tail of an improper list, still to lay out.
    tail: Option<usize>,
    close: u8,
    /// Column of the first element, where continuation lines continue.
    col0: i64,
    /// Current column.
    col: i64,
    /// Width already used on the current line.
    w: i64,
    /// Indentation (in spaces) of continuation lines.
    ind: usize,
    /// Number of closing brackets that follow the sequence.
    ld: i64,
}

/// io_lib_pretty's `pp` (printing) and `cind` (probing whether an indentation of tagged-tuple
/// elements keeps the layout within bounds); both walk the term the same way.
struct Layout<'t> {
    tree: &'t Tree,
    /// Probing (`cind`): nothing is written, and `NoGood` may be raised.
    probe: bool,
    out: Vec<u8>,
    /// Line length.
    ll: i64,
    /// Maximum characters per line (the whole term's length, as `~p` passes no limit).
    m: i64,
    /// Indentation of tagged-tuple elements (`TInd`).
    tind: i64,
}

fn last_depth(has_more: bool, ld: i64) -> i64 {
    if has_more {
        0
    } else {
        ld + 1
    }
}

impl<'t> Layout<'t> {
    fn new(tree: &'t Tree, tind: i64, probe: bool) -> Self {
        let len = tree.nodes.last().map_or(0, |n| n.len);
        Layout {
            tree,
            probe,
            out: Vec::with_capacity(if probe { 0 } else { len }),
            ll: LINE_LENGTH,
            m: to_i64(len),
            tind,
        }
    }

    fn emit(&mut self, bytes: &[u8]) {
        if !self.probe {
            self.out.extend_from_slice(bytes);
        }
    }

    fn newline(&mut self, ind: usize) {
        if !self.probe {
            self.out.push(b'\n');
            self.out.extend(std::iter::repeat_n(b' ', ind));
        }
    }

    fn write(&mut self, i: usize) {
        if !self.probe {
            self.tree.write(i, &mut self.out);
        }
    }

    fn fits(&self, node: &Node, col: i64, ld: i64, w: i64) -> bool {
        let len = to_i64(node.len);
        len < self.ll - col - ld && len + w + ld <= self.m
    }

    /// Whether element `e` of a sequence can follow on the current line (after a comma).
    fn fits_after(&self, e: &Node, col: i64, ld1: i64, w: i64) -> bool {
        let elen = 1 + to_i64(e.len);
        e.atomic()
            && if ld1 == 0 {
                elen + 1 < self.ll - col && w + elen < self.m
            } else {
                elen < self.ll - col - ld1 && w + elen + ld1 <= self.m
            }
    }

    /// Whether the tail of an improper list can follow on the current line (after `|`).
    fn tail_fits(&self, t: &Node, col: i64, ld: i64, w: i64) -> bool {
        let len = to_i64(t.len);
        t.atomic() && len + 1 < self.ll - col - (ld + 1) && len + 1 + w + ld < self.m
    }

    /// Lay out node `root` starting at 1-based column `col`, continuation lines indented by
    /// `ind` spaces.
    fn run(&mut self, root: usize, col: i64, ind: usize) -> Result<(), NoGood> {
        let tree = self.tree;
        let mut stack: Vec<Seq<'t>> = Vec::new();
        self.open(root, col, ind, 0, 0, &mut stack)?;
        while let Some(seq) = stack.last_mut() {
            if let Some(&e) = seq.elems.get(seq.next) {
                // pp_list's first element, or one step of pp_tail.
                seq.next += 1;
                let ld1 = last_depth(seq.next < seq.elems.len(), seq.ld);
                let node = tree.node(e);
                let w = if seq.first {
                    seq.first = false;
                    seq.w
                } else if self.fits_after(node, seq.col, ld1, seq.w) {
                    self.emit(b",");
                    self.write(e);
                    seq.col += 1 + to_i64(node.len);
                    seq.w += 1 + to_i64(node.len);
                    continue;
                } else {
                    self.emit(b",");
                    self.newline(seq.ind);
                    seq.w = 0;
                    0
                };
                // pp_element: the width taken is the line length when a newline must follow.
                let (col0, ind) = (seq.col0, seq.ind);
                if node.atomic() && self.fits(node, col0, ld1, w) {
                    self.write(e);
                    seq.col = col0 + to_i64(node.len);
                    seq.w += to_i64(node.len);
                } else {
                    seq.col = col0 + self.ll;
                    seq.w += self.ll;
                    self.open(e, col0, ind, ld1, w, &mut stack)?;
                }
            } else if let Some(t) = seq.tail.take() {
                // The tail of an improper list, after `|`.
                let (col, col0, ind, ld) = (seq.col, seq.col0, seq.ind, seq.ld);
                self.emit(b"|");
                if self.tail_fits(tree.node(t), col, ld, seq.w) {
                    self.write(t);
                } else if self.probe {
                    // (io_lib_pretty probes the tail at the current column, not at `col0`.)
                    self.open(t, col, ind, ld + 1, 0, &mut stack)?;
                } else {
                    self.newline(ind);
                    self.open(t, col0, ind, ld + 1, 0, &mut stack)?;
                }
            } else {
                let close = seq.close;
                stack.pop();
                self.emit(&[close]);
            }
        }
        Ok(())
    }

    /// Start laying out node `i` (io_lib_pretty's `pp` / `cind` on one node): write it when it
    /// fits, otherwise open its sequence of elements on `stack`.
    fn open(
        &mut self,
        i: usize,
        col: i64,
        ind: usize,
        ld: i64,
        w: i64,
        stack: &mut Vec<Seq<'t>>,
    ) -> Result<(), NoGood> {
        let tree = self.tree;
        let node = tree.node(i);
        if self.fits(node, col, ld, w) {
            self.write(i);
            return Ok(());
        }
        let seq = |elems: &'t [usize], tail, close, col0, w, ind| Seq {
            elems,
            next: 0,
            first: true,
            tail,
            close,
            col0,
            col: col0,
            w,
            ind,
            ld,
        };
        match &node.kind {
            Kind::Leaf(_) => self.write(i),
            Kind::Bin(parts) => {
                if !self.probe {
                    self.pp_binary(parts, col + 2, ind + 2, ld, w);
                }
            }
            Kind::List(elems, tail) => {
                self.emit(b"[");
                stack.push(seq(elems, *tail, b']', col + 1, w + 1, ind + 1));
            }
            Kind::Tuple {
                tagged: false,
                elems,
            } => {
                self.emit(b"{");
                stack.push(seq(elems, None, b'}', col + 1, w + 1, ind + 1));
            }
            Kind::Tuple {
                tagged: true,
                elems,
            } => {
                // pp_tag_tuple / cind_tag_tuple.
                self.emit(b"{");
                let w = w + 1;
                let Some((&tag, rest)) = elems.split_first() else {
                    self.emit(b"}");
                    return Ok(());
                };
                let tlen = to_i64(tree.node(tag).len);
                let tag_ind = tlen + 2;
                let tcol = col + tag_ind;
                self.write(tag);
                let tind = self.tind;
                if tind > 0 && tag_ind > tind {
                    let col1 = col + tind;
                    if self.probe && !(self.m + col1 <= self.ll || col1 <= self.ll / 2) {
                        return Err(NoGood);
                    }
                    let indent = ind + usize::try_from(tind).unwrap_or(0);
                    let mut s = seq(rest, None, b'}', col1, w + tlen, indent);
                    s.first = false;
                    s.col = tcol;
                    stack.push(s);
                } else {
                    if self.probe && !(self.m + tcol < self.ll || tcol < self.ll / 2) {
                        return Err(NoGood);
                    }
                    self.emit(b",");
                    let indent = ind + usize::try_from(tag_ind).unwrap_or(0);
                    stack.push(seq(rest, None, b'}', tcol, w + tlen + 1, indent));
                }
            }
        }
        Ok(())
    }

    fn pp_binary(&mut self, parts: &[Vec<u8>], col: i64, ind: usize, ld: i64, w: i64) {
        let n0 = (std::cmp::min(self.ll - col, self.m - 4 - w) - ld).max(8);
        let mut n = n0;
        self.emit(b"<<");
        for (i, p) in parts.iter().enumerate() {
            let plen = to_i64(p.len());
            if i + 1 < parts.len() {
                let len = plen + 1;
                if n - len < 0 {
                    self.newline(ind);
                    n = n0 - len;
                } else {
                    n -= len;
                }
                self.emit(p);
                self.emit(b",");
            } else {
                if plen > n {
                    self.newline(ind);
                }
                self.emit(p);
            }
        }
        self.emit(b">>");
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fmt_p, Term};

    fn atom(s: &str) -> String {
        fmt_p(&Term::atom(s))
    }

    fn string(s: &str) -> String {
        fmt_p(&Term::string(s))
    }

    fn binary(b: &[u8]) -> String {
        fmt_p(&Term::bin(b))
    }

    fn pair_list(pairs: &[(String, String)], start_col: usize) -> String {
        Term::list(
            pairs
                .iter()
                .map(|(a, b)| Term::tuple(vec![Term::bin(a), Term::bin(b)])),
        )
        .pretty(start_col)
    }

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
        // Code points: é is U+00E9 (printable Latin-1, written as the byte E9), ą is U+0105.
        assert_eq!(Term::chars("é").pretty_bytes(0), b"\"\xE9\"".to_vec());
        assert_eq!(fmt_p(&Term::chars("ą")), "[261]");
    }

    #[test]
    fn lists_of_character_codes_print_as_strings() {
        let codes = |cs: &[i128]| Term::list(cs.iter().map(|&c| Term::Int(c)));
        assert_eq!(fmt_p(&codes(&[104, 105])), "\"hi\"");
        assert_eq!(fmt_p(&codes(&[104, 1])), "[104,1]");
        assert_eq!(fmt_p(&codes(&[256])), "[256]");
        assert_eq!(fmt_p(&codes(&[-1])), "[-1]");
        let mixed = Term::list([Term::Int(104), Term::atom("a")]);
        assert_eq!(fmt_p(&mixed), "[104,a]");
        assert_eq!(fmt_p(&Term::list([Term::string("a")])), "[\"a\"]");
    }

    #[test]
    fn improper_and_joined_lists() {
        let cons = |h: Vec<Term>, t: Term| Term::Cons(h, Box::new(t));
        assert_eq!(
            fmt_p(&cons(vec![Term::atom("a")], Term::atom("b"))),
            "[a|b]"
        );
        assert_eq!(
            fmt_p(&cons(vec![Term::Int(1), Term::Int(2)], Term::Int(3))),
            "[1,2|3]"
        );
        assert_eq!(
            fmt_p(&cons(vec![Term::Int(104)], Term::string("i"))),
            "\"hi\""
        );
        assert_eq!(
            fmt_p(&cons(
                vec![Term::atom("a")],
                cons(vec![Term::atom("b")], Term::list([]))
            )),
            "[a,b]"
        );
        assert_eq!(
            fmt_p(&cons(vec![Term::Int(1)], Term::bin("x"))),
            "[1|<<\"x\">>]"
        );
        assert_eq!(fmt_p(&cons(vec![], Term::atom("t"))), "t");
        // A long improper list: the tail follows `|` on the next line when it does not fit.
        let long = Term::bin("y".repeat(40));
        let t = cons(vec![Term::bin("x".repeat(40))], long);
        let want = format!("[<<\"{}\">>|\n <<\"{}\">>]", "x".repeat(40), "y".repeat(40));
        assert_eq!(fmt_p(&t), want);
        // 78 characters fit on the line, 80 do not.
        let t = cons(vec![Term::bin("x".repeat(68))], Term::atom("z"));
        assert_eq!(fmt_p(&t), format!("[<<\"{}\">>|z]", "x".repeat(68)));
        let t = cons(vec![Term::bin("x".repeat(70))], Term::atom("z"));
        assert_eq!(fmt_p(&t), format!("[<<\"{}\">>|\n z]", "x".repeat(70)));
    }

    #[test]
    fn numbers() {
        assert_eq!(fmt_p(&Term::int(-42)), "-42");
        assert_eq!(fmt_p(&Term::Int(i128::MIN)), i128::MIN.to_string());
        for (f, want) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (-1.5, "-1.5"),
            (100.0, "100.0"),
            (1000.0, "1.0e3"),
            (123456.0, "123456.0"),
            (0.5, "0.5"),
            (0.05, "0.05"),
            (0.001, "0.001"),
            (0.0001, "0.0001"),
            (0.00001, "1.0e-5"),
            (1.0e10, "1.0e10"),
            (1.25e20, "1.25e20"),
            (0.1 + 0.2, "0.30000000000000004"),
            (5e-324, "5.0e-324"),
            (f64::MAX, "1.7976931348623157e308"),
        ] {
            assert_eq!(fmt_p(&Term::Float(f)), want, "{f:e}");
        }
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
            Term::bin([0xE9]).pretty_bytes(0),
            vec![b'<', b'<', b'"', 0xE9, b'"', b'>', b'>']
        );
        assert_eq!(Term::bin([0xE9]).pretty(0), "<<\"\u{FFFD}\">>");
        assert_eq!(binary(b"\x1b\x0b\x08\x0c\r"), "<<\"\\e\\v\\b\\f\\r\">>");
    }

    #[test]
    fn long_non_printable_binary_wraps() {
        let bytes: Vec<u8> = std::iter::repeat_n(200u8, 30).chain([1u8]).collect();
        let s = Term::bin(&bytes).pretty(2);
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
        let out = fmt_p(&Term::Str(vec![1; 40]));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() == 2, "{out}");
        assert!(lines[0].starts_with("[1,1,"));
        assert!(lines[1].starts_with(" 1,"));
        assert!(lines.iter().all(|l| l.len() < 80));
        // The same list written as integers prints the same.
        let ints = Term::list(std::iter::repeat_n(Term::Int(1), 40));
        assert_eq!(fmt_p(&ints), out);
    }

    #[test]
    fn tagged_tuples() {
        let t = Term::tuple(vec![Term::atom("error"), Term::string("nothing")]);
        assert_eq!(fmt_p(&t), "{error,\"nothing\"}");
        let t = Term::tuple(vec![Term::string("nothing to repeat"), Term::int(0)]);
        assert_eq!(fmt_p(&t), "{\"nothing to repeat\",0}");
        let long = Term::tuple(vec![
            Term::atom("badarg"),
            Term::bin("x".repeat(70)),
            Term::int(3),
        ]);
        let out = fmt_p(&long);
        assert!(out.starts_with("{badarg,<<\""), "{out}");
        assert!(out.ends_with(",\n        3}"), "{out}");
    }

    #[test]
    fn deep_terms_print() {
        let mut t = Term::atom("x");
        for _ in 0..1000 {
            t = Term::list([t]);
        }
        let out = fmt_p(&t);
        assert!(out.starts_with("[[[[") && out.contains('x'), "{out}");
    }
}
