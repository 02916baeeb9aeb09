//! An exml-compatible XML element tree: parsing and serialisation.
//!
//! MongooseIM 5.1 handles XML through exml 3.2.1, which parses with a patched
//! rapidxml and prints with rapidxml's printer. This module reproduces that
//! behaviour (spec `commands.md` §2.8) with a scanner of its own, which
//! follows rapidxml's grammar rather than XML 1.0's:
//!
//! * The data alternates between text runs, which end at the next `<`, and
//!   markup constructs (tags, comments, CDATA, processing instructions,
//!   DOCTYPE, unknown `<!…>`), each scanned to the byte where rapidxml ends
//!   it and checked with rapidxml's rules. Text runs and attribute values
//!   are decoded the way rapidxml decodes them. A general-purpose XML
//!   tokenizer does not fit: rapidxml ends a tag at the first `>` even
//!   inside a quote in a name, skips unknown `<!…>` constructs, reads `</…`
//!   at top level as a start tag, and accepts much that XML 1.0 forbids.
//! * Parsing takes the first top-level element; later top-level elements are
//!   still checked for errors but otherwise ignored. Whitespace (space, tab,
//!   CR, LF) may surround them; any other text outside them is an error.
//! * Closing-tag names are not checked: `<a></b>` is `<a/>`.
//! * The five predefined entities and numeric character references
//!   (`&#N;`, `&#xH;`) are decoded; any other `&` is kept literally. CDATA
//!   sections become text. Adjacent text (also text separated only by
//!   comments or processing instructions) is merged into one [`Node::Text`];
//!   text nodes are never empty.
//! * A text run that consists only of whitespace and is directly followed by
//!   markup (a child, a closing tag, a comment, …) is dropped.
//! * Comments, processing instructions, the XML declaration and DOCTYPE are
//!   skipped. A leading UTF-8 byte-order mark is skipped. Input is cut at its
//!   first NUL character (rapidxml treats NUL as the end of the data).
//! * C0 control characters other than tab, LF and CR are rejected where
//!   exml 3.2.1 rejects them (names, comments, CDATA, the XML declaration,
//!   and text or attribute values before their first `&`).
//!
//! Deliberate deviations, for inputs exml accepts but a Rust `String` cannot
//! hold or that make no sense to reproduce: a character reference to a
//! surrogate code point is reported as `invalid numeric character entity`;
//! non-UTF-8 input to [`parse_bytes`] is reported as `invalid UTF-8 in input`;
//! nesting deeper than [`MAX_DEPTH`] elements is reported as
//! `element nesting too deep`. When the first top-level construct is a CDATA
//! section, exml returns an element with an empty name, and so does
//! [`parse`].
//!
//! # Error messages
//!
//! [`ParseError::message`] holds the text exml's parser reports, which
//! MongooseIM prints verbatim (e.g. in `private_set`'s error). The mapping of
//! failure classes to rapidxml messages is:
//!
//! | failure | message |
//! |---|---|
//! | no element at top level (empty or whitespace-only input, only comments) | `no root element` |
//! | non-whitespace text or an entity outside the root element | `expected <` |
//! | input ends inside an element, comment, CDATA, PI, DOCTYPE or `<!…>` | `unexpected end of data` |
//! | `<` not followed by a name (`<`, `< a>`, `<>`, `</a>` at top level, `<:a>`) | `expected element name or prefix` |
//! | prefixed name without a local part (`<a:>`) | `expected element local name` |
//! | tag not closed by `>` or `/>` (`<a`, `<a/b>`, `</a b>`, `<a b='1'`) | `expected >` |
//! | attribute name not followed by `=` (`<a b>`) | `expected =` |
//! | attribute value not quoted or not terminated (`<a b=>`, `<a b='x>`) | `expected ' or "` |
//! | numeric character reference without `;` (`&#65`, `&#x;x`) | `expected ;` |
//! | numeric character reference beyond U+10FFFF (or a surrogate) | `invalid numeric character entity` |
//! | forbidden C0 control character | `unexpected control character` |
//! | more than [`MAX_DEPTH`] nested elements (clone only) | `element nesting too deep` |
//! | [`parse_bytes`] input is not UTF-8 (clone only) | `invalid UTF-8 in input` |
//!
//! # Serialisation
//!
//! [`Element::to_xml`] prints like exml: `<name attr='v'…>children</name>`,
//! `<name/>` for an element without children, no declaration and no added
//! whitespace, attributes in their stored order. Attribute values are
//! delimited by `'`, or by `"` when the value contains a `'`; `&`, `<`, `>`
//! become `&amp;`, `&lt;`, `&gt;`; with `'` delimiters `"` stays literal, with
//! `"` delimiters `'` stays literal and `"` becomes `&quot;`. In text, `&`,
//! `<`, `>`, `'`, `"` become `&amp;`, `&lt;`, `&gt;`, `&apos;`, `&quot;`. An
//! empty text node prints nothing, so an element whose only child is an empty
//! text prints as `<name></name>`. Names are printed as stored.

use std::fmt;
use std::ops::Range;

/// Maximum element nesting depth accepted by [`parse`].
///
/// exml has no such limit (real stanzas nest a handful of levels). The clone
/// has one so that no tree it builds can exhaust a 2 MiB thread stack in the
/// recursive `Drop` and derived `Debug` of [`Element`], even in unoptimised
/// builds (measured: they overflow at roughly 7 000 and 2 500 levels).
/// [`Element::to_xml`], `Clone` and `PartialEq` are iterative.
pub const MAX_DEPTH: usize = 1_000;

/// A child of an [`Element`]: a nested element or a piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data (decoded: entities and CDATA already resolved).
    Text(String),
}

/// An XML element as exml represents it (`#xmlel{name, attrs, children}`).
///
/// Namespace prefixes are part of `name`; `xmlns` declarations are ordinary
/// attributes. `Clone` and `PartialEq` work iteratively, so they cannot
/// overflow the stack on deep trees.
#[derive(Debug)]
pub struct Element {
    /// Element name, including any `prefix:`.
    pub name: String,
    /// Attributes in document order (duplicates are kept, as exml does).
    pub attrs: Vec<(String, String)>,
    /// Child nodes in document order.
    pub children: Vec<Node>,
}

/// A parse failure, carrying exml's (rapidxml's) message text.
///
/// See the [module documentation](self) for the messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The parser message, e.g. `expected >`.
    pub message: String,
}

impl ParseError {
    fn new(message: &str) -> ParseError {
        ParseError {
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// rapidxml's (and the clone's own) parse error texts.
mod msg {
    pub const NO_ROOT: &str = "no root element";
    pub const EXPECTED_LT: &str = "expected <";
    pub const EXPECTED_GT: &str = "expected >";
    pub const EXPECTED_EQ: &str = "expected =";
    pub const EXPECTED_QUOTE: &str = "expected ' or \"";
    pub const EXPECTED_SEMICOLON: &str = "expected ;";
    pub const EXPECTED_NAME: &str = "expected element name or prefix";
    pub const EXPECTED_LOCAL_NAME: &str = "expected element local name";
    pub const END_OF_DATA: &str = "unexpected end of data";
    pub const BAD_CHAR_REF: &str = "invalid numeric character entity";
    pub const CONTROL_CHAR: &str = "unexpected control character";
    pub const TOO_DEEP: &str = "element nesting too deep";
    pub const NOT_UTF8: &str = "invalid UTF-8 in input";
}

type ScanResult<T> = Result<T, &'static str>;

/// Parses an XML document and returns its first top-level element.
///
/// See the [module documentation](self) for the exact semantics and the
/// error messages. Never panics, whatever the input.
pub fn parse(input: &str) -> Result<Element, ParseError> {
    let input = match input.find('\0') {
        Some(nul) => &input[..nul],
        None => input,
    };
    parse_document(input).map_err(ParseError::new)
}

/// Like [`parse`], for raw bytes; input that is not UTF-8 is rejected with
/// the message `invalid UTF-8 in input`.
///
/// As in rapidxml, everything from the first NUL byte on is ignored, so the
/// UTF-8 check only covers the bytes before it.
pub fn parse_bytes(input: &[u8]) -> Result<Element, ParseError> {
    let input = match input.iter().position(|&b| b == 0) {
        Some(nul) => &input[..nul],
        None => input,
    };
    match std::str::from_utf8(input) {
        Ok(text) => parse(text),
        Err(_) => Err(ParseError::new(msg::NOT_UTF8)),
    }
}

impl Element {
    /// Creates an element with the given name, no attributes and no children.
    pub fn new(name: &str) -> Element {
        Element {
            name: name.to_owned(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Builder: appends an attribute.
    pub fn with_attr(mut self, name: &str, value: &str) -> Element {
        self.attrs.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Builder: appends a child element.
    pub fn with_child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    /// Builder: appends a text child (even an empty one, which makes a
    /// childless element print as `<name></name>`).
    pub fn with_text(mut self, text: &str) -> Element {
        self.children.push(Node::Text(text.to_owned()));
        self
    }

    /// Value of the first attribute called `name`, if any.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Concatenation of the direct text children (nested elements ignored),
    /// like `exml_query:cdata/1`.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|child| match child {
                Node::Text(text) => Some(text.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// The direct child elements, in document order.
    pub fn child_elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|child| match child {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The first direct child element called `name`, if any.
    pub fn first_child(&self, name: &str) -> Option<&Element> {
        self.child_elements().find(|child| child.name == name)
    }

    /// Serialises the element exactly as exml does (see the
    /// [module documentation](self)). Works iteratively, so deep trees
    /// cannot overflow the stack.
    pub fn to_xml(&self) -> String {
        enum Step<'a> {
            Open(&'a Element),
            Text(&'a str),
            Close(&'a Element),
        }
        let mut out = String::new();
        let mut todo = vec![Step::Open(self)];
        while let Some(step) = todo.pop() {
            match step {
                Step::Open(element) => {
                    out.push('<');
                    out.push_str(&element.name);
                    for (name, value) in &element.attrs {
                        out.push(' ');
                        out.push_str(name);
                        out.push('=');
                        escape_attr_value(value, &mut out);
                    }
                    if element.children.is_empty() {
                        out.push_str("/>");
                    } else {
                        out.push('>');
                        todo.push(Step::Close(element));
                        for child in element.children.iter().rev() {
                            todo.push(match child {
                                Node::Element(child) => Step::Open(child),
                                Node::Text(text) => Step::Text(text),
                            });
                        }
                    }
                }
                Step::Text(text) => escape_text(text, &mut out),
                Step::Close(element) => {
                    out.push_str("</");
                    out.push_str(&element.name);
                    out.push('>');
                }
            }
        }
        out
    }
}

impl Clone for Element {
    fn clone(&self) -> Element {
        fn shell(element: &Element) -> Element {
            Element {
                name: element.name.clone(),
                attrs: element.attrs.clone(),
                children: Vec::with_capacity(element.children.len()),
            }
        }
        // Each frame: the source element, its next child to copy, the copy.
        let mut stack = vec![(self, 0usize, shell(self))];
        loop {
            let Some((source, next, copy)) = stack.last_mut() else {
                // Unreachable: the loop returns when the root frame completes.
                return shell(self);
            };
            if let Some(child) = source.children.get(*next) {
                *next += 1;
                match child {
                    Node::Text(text) => copy.children.push(Node::Text(text.clone())),
                    Node::Element(child) => stack.push((child, 0, shell(child))),
                }
            } else if let Some((_, _, done)) = stack.pop() {
                match stack.last_mut() {
                    Some((_, _, parent)) => parent.children.push(Node::Element(done)),
                    None => return done,
                }
            }
        }
    }
}

impl PartialEq for Element {
    fn eq(&self, other: &Element) -> bool {
        let mut todo = vec![(self, other)];
        while let Some((a, b)) = todo.pop() {
            if a.name != b.name || a.attrs != b.attrs || a.children.len() != b.children.len() {
                return false;
            }
            for pair in a.children.iter().zip(&b.children) {
                match pair {
                    (Node::Text(x), Node::Text(y)) if x == y => {}
                    (Node::Element(x), Node::Element(y)) => todo.push((x, y)),
                    _ => return false,
                }
            }
        }
        true
    }
}

impl Eq for Element {}

impl fmt::Display for Element {
    /// Same text as [`Element::to_xml`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_xml())
    }
}

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn escape_attr_value(value: &str, out: &mut String) {
    let quote = if value.contains('\'') { '"' } else { '\'' };
    out.push(quote);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote == '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out.push(quote);
}

// ---------------------------------------------------------------------------
// Character classes (rapidxml's lookup tables)

/// rapidxml whitespace: space, tab, LF, CR.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// C0 control characters that exml 3.2.1 rejects.
fn is_forbidden_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Characters of a node name (element local name, closing-tag name).
fn is_node_name(b: u8) -> bool {
    !is_ws(b) && !matches!(b, b'/' | b'>' | b'?' | 0)
}

/// Characters of an element name or prefix (a node name without `:`).
fn is_element_name(b: u8) -> bool {
    is_node_name(b) && b != b':'
}

/// Characters of an attribute name.
fn is_attr_name(b: u8) -> bool {
    !is_ws(b) && !matches!(b, b'!' | b'/' | b'<' | b'=' | b'>' | b'?' | 0)
}

/// Value of a digit in a numeric character reference (rapidxml accepts hex
/// digits in decimal references too, with their hex value).
fn digit_value(b: u8) -> Option<u64> {
    match b {
        b'0'..=b'9' => Some(u64::from(b - b'0')),
        b'a'..=b'f' => Some(u64::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u64::from(b - b'A' + 10)),
        _ => None,
    }
}

fn check_control(b: u8) -> ScanResult<()> {
    if is_forbidden_control(b) {
        Err(msg::CONTROL_CHAR)
    } else {
        Ok(())
    }
}

/// Decodes a text run or attribute value the way rapidxml does: control
/// characters are checked up to the first `&`; the predefined entities and
/// numeric references are replaced; any other `&` is kept.
fn decode(raw: &str) -> ScanResult<String> {
    let bytes = raw.as_bytes();
    let first_amp = bytes.iter().position(|&b| b == b'&').unwrap_or(bytes.len());
    for &b in &bytes[..first_amp] {
        check_control(b)?;
    }
    if first_amp == bytes.len() {
        return Ok(raw.to_owned());
    }
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first_amp]);
    let mut i = first_amp;
    while i < bytes.len() {
        if bytes[i] != b'&' {
            let next = bytes[i..]
                .iter()
                .position(|&b| b == b'&')
                .map_or(bytes.len(), |offset| i + offset);
            out.push_str(&raw[i..next]);
            i = next;
            continue;
        }
        let rest = &bytes[i + 1..];
        let named = [
            (&b"amp;"[..], '&'),
            (&b"apos;"[..], '\''),
            (&b"quot;"[..], '"'),
            (&b"gt;"[..], '>'),
            (&b"lt;"[..], '<'),
        ];
        if let Some((entity, c)) = named.iter().find(|(entity, _)| rest.starts_with(entity)) {
            out.push(*c);
            i += 1 + entity.len();
            continue;
        }
        if rest.first() == Some(&b'#') {
            let (radix, mut j) = if rest.get(1) == Some(&b'x') {
                (16, i + 3)
            } else {
                (10, i + 2)
            };
            let mut code: u64 = 0;
            while let Some(digit) = bytes.get(j).copied().and_then(digit_value) {
                code = code.wrapping_mul(radix).wrapping_add(digit);
                j += 1;
            }
            let c = u32::try_from(code)
                .ok()
                .and_then(char::from_u32)
                .ok_or(msg::BAD_CHAR_REF)?;
            out.push(c);
            if bytes.get(j) != Some(&b';') {
                return Err(msg::EXPECTED_SEMICOLON);
            }
            i = j + 1;
            continue;
        }
        out.push('&');
        i += 1;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Markup scanners. Each takes the input from a `<` to the end of the data and
// returns how many bytes rapidxml consumes for the construct.

/// What a markup construct contributes to the tree.
enum Markup {
    /// Comment, PI, declaration, DOCTYPE, unknown `<!…>`: nothing.
    Skip,
    /// A start tag (`self_closing` for `<a/>`).
    Start {
        element: Element,
        self_closing: bool,
    },
    /// A closing tag.
    End,
    /// A CDATA section's content.
    CData(String),
}

fn slice(s: &str, range: Range<usize>) -> ScanResult<&str> {
    // Every boundary used by the scanners sits next to an ASCII delimiter, so
    // this only fails on a bug; report it as a parse error, never panic.
    s.get(range).ok_or(msg::END_OF_DATA)
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

fn scan_markup(s: &str, at_top_level: bool) -> ScanResult<(Markup, usize)> {
    let bytes = s.as_bytes();
    match bytes.get(1) {
        Some(b'/') if !at_top_level => scan_end_tag(bytes).map(|end| (Markup::End, end)),
        Some(b'?') => scan_pi(bytes).map(|end| (Markup::Skip, end)),
        Some(b'!') => scan_bang(s),
        // At top level rapidxml parses `</…` as an element without a name.
        _ => scan_start_tag(s),
    }
}

fn scan_start_tag(s: &str) -> ScanResult<(Markup, usize)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while let Some(&b) = bytes.get(i).filter(|&&b| is_element_name(b)) {
        check_control(b)?;
        i += 1;
    }
    if i == 1 {
        return Err(msg::EXPECTED_NAME);
    }
    if bytes.get(i) == Some(&b':') {
        i += 1;
        let local_start = i;
        while let Some(&b) = bytes.get(i).filter(|&&b| is_node_name(b)) {
            check_control(b)?;
            i += 1;
        }
        if i == local_start {
            return Err(msg::EXPECTED_LOCAL_NAME);
        }
    }
    let mut element = Element::new(slice(s, 1..i)?);
    i = skip_ws(bytes, i);
    while bytes.get(i).copied().is_some_and(is_attr_name) {
        let name_start = i;
        // rapidxml does not control-check the first character of the name.
        i += 1;
        while let Some(&b) = bytes.get(i).filter(|&&b| is_attr_name(b)) {
            check_control(b)?;
            i += 1;
        }
        let name = slice(s, name_start..i)?;
        i = skip_ws(bytes, i);
        if bytes.get(i) != Some(&b'=') {
            return Err(msg::EXPECTED_EQ);
        }
        i = skip_ws(bytes, i + 1);
        let quote = match bytes.get(i) {
            Some(&q) if q == b'\'' || q == b'"' => q,
            _ => return Err(msg::EXPECTED_QUOTE),
        };
        i += 1;
        let value_start = i;
        while bytes.get(i).is_some_and(|&b| b != quote) {
            i += 1;
        }
        let value = decode(slice(s, value_start..i)?)?;
        if i >= bytes.len() {
            return Err(msg::EXPECTED_QUOTE);
        }
        element.attrs.push((name.to_owned(), value));
        i = skip_ws(bytes, i + 1);
    }
    match bytes.get(i) {
        Some(b'>') => Ok((
            Markup::Start {
                element,
                self_closing: false,
            },
            i + 1,
        )),
        Some(b'/') if bytes.get(i + 1) == Some(&b'>') => Ok((
            Markup::Start {
                element,
                self_closing: true,
            },
            i + 2,
        )),
        _ => Err(msg::EXPECTED_GT),
    }
}

fn scan_end_tag(bytes: &[u8]) -> ScanResult<usize> {
    let mut i = 2;
    while let Some(&b) = bytes.get(i).filter(|&&b| is_node_name(b)) {
        check_control(b)?;
        i += 1;
    }
    i = skip_ws(bytes, i);
    if bytes.get(i) == Some(&b'>') {
        Ok(i + 1)
    } else {
        Err(msg::EXPECTED_GT)
    }
}

/// Finds `terminator` from `i` on, optionally control-checking the bytes
/// before it; returns the index just after the terminator.
fn scan_until(bytes: &[u8], mut i: usize, terminator: &[u8], check: bool) -> ScanResult<usize> {
    loop {
        if bytes[i.min(bytes.len())..].starts_with(terminator) {
            return Ok(i + terminator.len());
        }
        let Some(&b) = bytes.get(i) else {
            return Err(msg::END_OF_DATA);
        };
        if check {
            check_control(b)?;
        }
        i += 1;
    }
}

fn scan_pi(bytes: &[u8]) -> ScanResult<usize> {
    let is_declaration =
        bytes.len() > 5 && bytes[2..5].eq_ignore_ascii_case(b"xml") && is_ws(bytes[5]);
    if is_declaration {
        scan_until(bytes, 6, b"?>", true)
    } else {
        scan_until(bytes, 2, b"?>", false)
    }
}

fn scan_bang(s: &str) -> ScanResult<(Markup, usize)> {
    let bytes = s.as_bytes();
    let after_bang = &bytes[2.min(bytes.len())..];
    if after_bang.starts_with(b"--") {
        return scan_until(bytes, 4, b"-->", true).map(|end| (Markup::Skip, end));
    }
    if after_bang.starts_with(b"[CDATA[") {
        let end = scan_until(bytes, 9, b"]]>", true)?;
        let content = slice(s, 9..end - 3)?;
        return Ok((Markup::CData(content.to_owned()), end));
    }
    let mut i = if after_bang.starts_with(b"DOCTYPE") && bytes.get(9).copied().is_some_and(is_ws) {
        10
    } else {
        // Unknown `<!…>`: skipped up to the next `>`, brackets ignored.
        return scan_until(bytes, 2, b">", false).map(|end| (Markup::Skip, end));
    };
    loop {
        match bytes.get(i) {
            None => return Err(msg::END_OF_DATA),
            Some(b'>') => return Ok((Markup::Skip, i + 1)),
            Some(b'[') => {
                i += 1;
                let mut depth = 1usize;
                while depth > 0 {
                    match bytes.get(i) {
                        None => return Err(msg::END_OF_DATA),
                        Some(b'[') => depth += 1,
                        Some(b']') => depth -= 1,
                        Some(_) => {}
                    }
                    i += 1;
                }
            }
            Some(_) => i += 1,
        }
    }
}

// ---------------------------------------------------------------------------
// Tree building

/// The element tree under construction.
#[derive(Default)]
struct Tree {
    /// Open elements, innermost last.
    stack: Vec<Element>,
    /// The first top-level element (or exml's nameless element for a
    /// top-level CDATA section).
    root: Option<Element>,
}

/// Parses `input` (already cut at its first NUL) the way rapidxml does: the
/// data alternates between text runs, which end at the next `<`, and markup
/// constructs, each scanned to its end by [`scan_markup`].
fn parse_document(input: &str) -> ScanResult<Element> {
    // rapidxml skips one leading byte-order mark.
    let mut rest = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut tree = Tree::default();
    loop {
        let (text, markup) = rest.split_at(rest.find('<').unwrap_or(rest.len()));
        tree.text(text)?;
        if markup.is_empty() {
            return tree.finish();
        }
        let length = tree.markup(markup)?;
        rest = markup.get(length..).ok_or(msg::END_OF_DATA)?;
    }
}

impl Tree {
    /// Handles a text run (everything between two markup constructs). Inside
    /// an element it is decoded and appended, unless it is only whitespace:
    /// a run always ends at markup or at the end of the data, so such a run
    /// is "whitespace directly followed by a tag", which exml drops. Outside
    /// the root element only whitespace is allowed.
    fn text(&mut self, raw: &str) -> ScanResult<()> {
        if raw.bytes().all(is_ws) {
            return Ok(());
        }
        if self.stack.is_empty() {
            return Err(msg::EXPECTED_LT);
        }
        let text = decode(raw)?;
        self.append_text(text);
        Ok(())
    }

    /// Appends text to the current element, merging it with a preceding text
    /// child; empty text is not added.
    fn append_text(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if let Some(parent) = self.stack.last_mut() {
            if let Some(Node::Text(previous)) = parent.children.last_mut() {
                previous.push_str(&text);
            } else {
                parent.children.push(Node::Text(text));
            }
        }
    }

    fn attach(&mut self, element: Element) {
        if let Some(parent) = self.stack.last_mut() {
            parent.children.push(Node::Element(element));
        } else if self.root.is_none() {
            self.root = Some(element);
        }
    }

    /// Handles the markup construct at the start of `s` (a `<`); returns its
    /// length in bytes.
    fn markup(&mut self, s: &str) -> ScanResult<usize> {
        let (markup, length) = scan_markup(s, self.stack.is_empty())?;
        match markup {
            Markup::Skip => {}
            Markup::Start {
                element,
                self_closing: true,
            } => self.attach(element),
            Markup::Start {
                element,
                self_closing: false,
            } => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(msg::TOO_DEEP);
                }
                self.stack.push(element);
            }
            Markup::End => {
                if let Some(element) = self.stack.pop() {
                    self.attach(element);
                }
            }
            Markup::CData(text) => {
                if self.stack.is_empty() {
                    // exml turns a leading top-level CDATA node into an
                    // element with an empty name.
                    if self.root.is_none() {
                        self.root = Some(Element::new(""));
                    }
                } else {
                    self.append_text(text);
                }
            }
        }
        Ok(length)
    }

    fn finish(mut self) -> ScanResult<Element> {
        if !self.stack.is_empty() {
            return Err(msg::END_OF_DATA);
        }
        self.root.take().ok_or(msg::NO_ROOT)
    }
}

// ---------------------------------------------------------------------------
// Validation: what can be stored (XML 1.0, fifth edition, and Namespaces in XML 1.0)
//
// The parser above is as lenient as rapidxml; what the tool *stores* must be stricter, so that
// MongooseIM (and this parser) can always read it back: XML 1.0 characters only, real XML
// names, and a serialisation that parses again.

/// Whether `c` is an XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD,
/// U+10000–U+10FFFF (no other C0 control, no U+FFFE/U+FFFF; surrogates cannot occur in a
/// Rust string).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The first character of `text` that XML 1.0 does not allow, with its 1-based position in
/// characters.
pub fn first_non_xml_char(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|&(_, c)| !is_xml_char(c))
        .map(|(i, c)| (i + 1, c))
}

/// XML 1.0 `NameStartChar`.
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}'
        | '\u{f8}'..='\u{2ff}' | '\u{370}'..='\u{37d}' | '\u{37f}'..='\u{1fff}'
        | '\u{200c}'..='\u{200d}' | '\u{2070}'..='\u{218f}' | '\u{2c00}'..='\u{2fef}'
        | '\u{3001}'..='\u{d7ff}' | '\u{f900}'..='\u{fdcf}' | '\u{fdf0}'..='\u{fffd}'
        | '\u{10000}'..='\u{effff}')
}

/// XML 1.0 `NameChar`.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{b7}' | '\u{300}'..='\u{36f}' | '\u{203f}'..='\u{2040}')
}

/// Why a string is not an XML name. Positions are 1-based, in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadName {
    /// The empty string.
    Empty,
    /// A character that cannot start a name (or the local part of a qualified name).
    BadStart { position: usize, c: char },
    /// A character that cannot occur in a name.
    BadChar { position: usize, c: char },
    /// (Qualified names) a colon that does not separate a non-empty prefix from a non-empty
    /// local part, or a second colon.
    Colon { position: usize },
}

/// Checks `name` against XML 1.0's `Name` production, positions counted from `offset`.
fn check_name_from(name: &str, offset: usize, colons: bool) -> Result<(), BadName> {
    for (i, c) in name.chars().enumerate() {
        let position = offset + i + 1;
        if c == ':' && !colons {
            return Err(BadName::Colon { position });
        }
        if i == 0 && !is_name_start_char(c) {
            return Err(if is_name_char(c) {
                BadName::BadStart { position, c }
            } else {
                BadName::BadChar { position, c }
            });
        }
        if !is_name_char(c) {
            return Err(BadName::BadChar { position, c });
        }
    }
    Ok(())
}

/// Checks that `name` is an XML 1.0 `Name` (colons allowed anywhere, as XML 1.0 allows).
pub fn check_name(name: &str) -> Result<(), BadName> {
    if name.is_empty() {
        return Err(BadName::Empty);
    }
    check_name_from(name, 0, true)
}

/// Checks that `name` is a qualified name of Namespaces in XML 1.0 (`NCName` or
/// `NCName:NCName`): the names the tool itself creates (vCard fields).
pub fn check_qname(name: &str) -> Result<(), BadName> {
    if name.is_empty() {
        return Err(BadName::Empty);
    }
    let (prefix, local) = match name.split_once(':') {
        Some((prefix, local)) => (prefix, Some(local)),
        None => (name, None),
    };
    let prefix_len = prefix.chars().count();
    if prefix.is_empty() {
        return Err(BadName::Colon { position: 1 });
    }
    check_name_from(prefix, 0, false)?;
    match local {
        None => Ok(()),
        Some("") => Err(BadName::Colon {
            position: prefix_len + 1,
        }),
        Some(local) => check_name_from(local, prefix_len + 1, false),
    }
}

/// Where an element fails [`check_storable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unstorable {
    /// The name of `element` (`attribute` None) or of one of its attributes is not an XML
    /// name.
    Name {
        element: String,
        attribute: Option<String>,
        problem: BadName,
    },
    /// The text of `element` (`attribute` None) or the value of one of its attributes holds
    /// `c`, which XML 1.0 does not allow, at `position` (1-based, in characters, within that
    /// text or value).
    Char {
        element: String,
        attribute: Option<String>,
        position: usize,
        c: char,
    },
    /// The serialisation does not parse back (the parser's message). Cannot happen once the
    /// names and characters are valid; kept as a last line of defence.
    Reparse(String),
}

/// Checks that `element` can be stored and read back: every element and attribute name is an
/// XML 1.0 `Name`, every text and attribute value holds XML 1.0 characters only, and
/// [`Element::to_xml`] parses again. Iterative, like the rest of this module.
pub fn check_storable(element: &Element) -> Result<(), Unstorable> {
    let mut todo = vec![element];
    while let Some(e) = todo.pop() {
        check_name(&e.name).map_err(|problem| Unstorable::Name {
            element: e.name.clone(),
            attribute: None,
            problem,
        })?;
        for (name, value) in &e.attrs {
            check_name(name).map_err(|problem| Unstorable::Name {
                element: e.name.clone(),
                attribute: Some(name.clone()),
                problem,
            })?;
            if let Some((position, c)) = first_non_xml_char(value) {
                return Err(Unstorable::Char {
                    element: e.name.clone(),
                    attribute: Some(name.clone()),
                    position,
                    c,
                });
            }
        }
        for child in &e.children {
            match child {
                Node::Element(child) => todo.push(child),
                Node::Text(text) => {
                    if let Some((position, c)) = first_non_xml_char(text) {
                        return Err(Unstorable::Char {
                            element: e.name.clone(),
                            attribute: None,
                            position,
                            c,
                        });
                    }
                }
            }
        }
    }
    parse(&element.to_xml())
        .map(|_| ())
        .map_err(|e| Unstorable::Reparse(e.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        match parse(input) {
            Ok(element) => element.to_xml(),
            Err(e) => panic!("{input:?} failed: {}", e.message),
        }
    }

    fn err(input: &str) -> String {
        match parse(input) {
            Ok(element) => panic!("{input:?} parsed as {}", element.to_xml()),
            Err(e) => e.message,
        }
    }

    #[test]
    fn round_trips() {
        for xml in [
            "<a/>",
            "<aa xmlns='bb'>Cluth</aa>",
            "<vCard xmlns='vcard-temp'><FN>Al</FN><ORG><ORGNAME>ESL</ORGNAME></ORG></vCard>",
            "<message to='bob@localhost' type='chat'><body>hi &amp; bye</body></message>",
            "<a b='1' c='2' b='3'/>",
            "<p:a xmlns:p='urn:x'><p:b/></p:a>",
            "<a>x<b/>y<c>z</c></a>",
            "<a>&lt;&gt;&amp;&apos;&quot;</a>",
            "<a v=\"it's\"/>",
            "<a>\u{e9}\u{1f600}</a>",
        ] {
            assert_eq!(ok(xml), xml);
        }
    }

    #[test]
    fn first_top_level_element_is_taken() {
        assert_eq!(ok("<a/><b/>"), "<a/>");
        assert_eq!(ok("  \n<a>1</a>\t<b>2</b>\r\n"), "<a>1</a>");
        assert_eq!(
            ok("<?xml version='1.0'?><!-- hi --><!DOCTYPE a><a/>"),
            "<a/>"
        );
        // Later top-level elements are still checked.
        assert_eq!(err("<a/><b"), "expected >");
        assert_eq!(err("<a/><b>"), "unexpected end of data");
    }

    #[test]
    fn closing_tag_names_are_not_checked() {
        assert_eq!(ok("<a></b>"), "<a/>");
        assert_eq!(ok("<a><b>x</a></zz>"), "<a><b>x</b></a>");
        assert_eq!(ok("<a></>"), "<a/>");
        assert_eq!(ok("<a></b  >"), "<a/>");
    }

    #[test]
    fn entities_and_cdata_become_text() {
        let element = parse("<a>x &amp; y &#65;&#x42;&#x1F600; <![CDATA[<b>&amp;]]></a>")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            element.children,
            vec![Node::Text("x & y AB\u{1f600} <b>&amp;".into())]
        );
        assert_eq!(ok("<a b='&lt;&#39;&quot;'/>"), "<a b=\"&lt;'&quot;\"/>");
        // Unknown entities and bare ampersands stay literal.
        assert_eq!(
            parse("<a>&foo; & &am</a>").map(|e| e.text()),
            Ok("&foo; & &am".into())
        );
        // rapidxml reads hex digits in decimal references too.
        assert_eq!(parse("<a>&#1a;</a>").map(|e| e.text()), Ok("\u{14}".into()));
        assert_eq!(parse("<a>&#x;</a>").map(|e| e.text()), Ok("\0".into()));
    }

    #[test]
    fn adjacent_text_is_merged() {
        let element = parse("<a>x<!-- c -->y<?pi z?><![CDATA[w]]><![CDATA[]]>v</a>")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(element.children, vec![Node::Text("xywv".into())]);
        assert_eq!(ok("<a><![CDATA[]]></a>"), "<a/>");
    }

    #[test]
    fn whitespace_only_text_before_markup_is_dropped() {
        assert_eq!(ok("<a>\n  <b/>\n  <c> </c>\n</a>"), "<a><b/><c/></a>");
        assert_eq!(ok("<a> x <b/> y </a>"), "<a> x <b/> y </a>");
        assert_eq!(ok("<a>x<!--c-->  </a>"), "<a>x</a>");
        assert_eq!(ok("<a>x<!--c-->  y</a>"), "<a>x  y</a>");
        assert_eq!(ok("<a>  <![CDATA[ ]]>  </a>"), "<a> </a>");
        // A character reference is not whitespace in the raw input.
        assert_eq!(ok("<a> &#32; </a>"), "<a>   </a>");
    }

    #[test]
    fn comments_pis_doctype_and_unknown_bang_markup_are_skipped() {
        assert_eq!(ok("<a><!----><?x?><??></a>"), "<a/>");
        assert_eq!(ok("<!DOCTYPE a [ <!ENTITY x 'y'> ]><a/>"), "<a/>");
        assert_eq!(ok("<!foo bar><a><!x>t</a>"), "<a>t</a>");
        assert_eq!(ok("<!DOCTYPE><a/>"), "<a/>");
        assert_eq!(ok("<?>x?><a/>"), "<a/>");
        assert_eq!(ok("<?XML  version='1.0'?><a/>"), "<a/>");
    }

    #[test]
    fn byte_order_mark() {
        assert_eq!(ok("\u{feff}<a/>"), "<a/>");
        assert_eq!(err("\u{feff}\u{feff}<a/>"), "expected <");
        assert_eq!(
            parse("<a><!x>\u{feff}y</a>").map(|e| e.text()),
            Ok("\u{feff}y".into())
        );
    }

    #[test]
    fn nul_ends_the_data() {
        assert_eq!(ok("<a/>\0garbage"), "<a/>");
        assert_eq!(err("<a>\0</a>"), "unexpected end of data");
        assert_eq!(parse_bytes(b"<a/>\0\xff"), Ok(Element::new("a")));
    }

    #[test]
    fn quotes_in_names_follow_rapidxml() {
        // rapidxml ends the tag at the first `>`, even after a quote.
        assert_eq!(ok("<a'b>x</a'b>"), "<a'b>x</a'b>");
        assert_eq!(err("<a 'x>' >"), "expected =");
        assert_eq!(ok("<a b='>'/>"), "<a b='&gt;'/>");
    }

    #[test]
    fn malformed_inputs() {
        let cases = [
            ("", "no root element"),
            ("   \n\t", "no root element"),
            ("<!-- only a comment -->", "no root element"),
            ("text", "expected <"),
            ("<a/>text", "expected <"),
            ("&amp;<a/>", "expected <"),
            ("<", "expected element name or prefix"),
            ("< a/>", "expected element name or prefix"),
            ("<>", "expected element name or prefix"),
            ("</a>", "expected element name or prefix"),
            ("<:a/>", "expected element name or prefix"),
            ("<a:/>", "expected element local name"),
            ("<a", "expected >"),
            ("<aa", "expected >"),
            ("<a/b>", "expected >"),
            ("<a / >", "expected >"),
            ("<a b='1'", "expected >"),
            ("<a></a b>", "expected >"),
            ("<a></a", "expected >"),
            ("<a b>", "expected ="),
            ("<a b", "expected ="),
            ("<a b=>", "expected ' or \""),
            ("<a b=c>", "expected ' or \""),
            ("<a b='x>", "expected ' or \""),
            ("<a b=\"x'/>", "expected ' or \""),
            ("<a>", "unexpected end of data"),
            ("<aa xmlns='bb'>", "unexpected end of data"),
            ("<a><b></a>", "unexpected end of data"),
            ("<a>text", "unexpected end of data"),
            ("<a>  ", "unexpected end of data"),
            ("<a><!-- x", "unexpected end of data"),
            ("<a><![CDATA[x", "unexpected end of data"),
            ("<a><![CDATA[x]]</a>", "unexpected end of data"),
            ("<?pi", "unexpected end of data"),
            ("<!DOCTYPE a [ <a/>", "unexpected end of data"),
            ("<!foo", "unexpected end of data"),
            ("<a>&#65</a>", "expected ;"),
            ("<a>&#X41;</a>", "expected ;"),
            ("<a>&#65", "expected ;"),
            ("<a b='&#65'/>", "expected ;"),
            ("<a>&#x110000;</a>", "invalid numeric character entity"),
            ("<a>&#xD800;</a>", "invalid numeric character entity"),
            (
                "<a>&#99999999999999999999999;</a>",
                "invalid numeric character entity",
            ),
            ("<a>\u{1}</a>", "unexpected control character"),
            ("<a b='\u{1b}'/>", "unexpected control character"),
            ("<a\u{2}/>", "unexpected control character"),
            ("<a><!--\u{8}--></a>", "unexpected control character"),
            ("<a><![CDATA[\u{c}]]></a>", "unexpected control character"),
        ];
        for (input, message) in cases {
            assert_eq!(err(input), message, "input {input:?}");
        }
    }

    #[test]
    fn control_characters_after_an_ampersand_are_not_checked() {
        assert_eq!(
            parse("<a>&amp;\u{1}</a>").map(|e| e.text()),
            Ok("&\u{1}".into())
        );
        assert_eq!(ok("<a>\t\r\n\u{7f}x</a>"), "<a>\t\r\n\u{7f}x</a>");
    }

    #[test]
    fn non_utf8_bytes_are_rejected() {
        assert_eq!(
            parse_bytes(b"<a>\xff</a>"),
            Err(ParseError::new("invalid UTF-8 in input"))
        );
        assert_eq!(
            parse_bytes(b"<a>\xc3\xa9</a>").map(|e| e.text()),
            Ok("\u{e9}".into())
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let depth = 100_000;
        let input = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert_eq!(err(&input), "element nesting too deep");
        let unclosed = "<a>".repeat(depth);
        assert_eq!(err(&unclosed), "element nesting too deep");
    }

    #[test]
    fn maximum_depth_parses_serialises_and_drops() {
        let input = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        let element = parse(&input).unwrap_or_else(|e| panic!("{e}"));
        let expected = format!(
            "{}<a/>{}",
            "<a>".repeat(MAX_DEPTH - 1),
            "</a>".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(element.to_xml(), expected);
        let copy = element.clone();
        assert!(copy == element);
        let mut other = copy.clone();
        if let Some(Node::Element(child)) = other.children.first_mut() {
            child.name.push('x');
        }
        assert!(other != element);
        assert!(format!("{element:?}").len() > MAX_DEPTH);
        drop(copy);
        drop(element);
    }

    #[test]
    fn truncations_never_panic() {
        let doc = "\u{feff}<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'v'>]>\
                   <vCard xmlns='vcard-temp' a=\"q'\"><!-- c --><FN>A &amp; &#x42;&#67; \u{e9}</FN>\
                   <N><FAMILY>F</FAMILY><GIVEN/></N><![CDATA[<raw>]]><?pi x?><x:y z:w='1'/>\
                   </vCard>  <tail/>";
        for (end, _) in doc.char_indices() {
            let _ = parse(&doc[..end]);
            let _ = parse(&doc[end..]);
            let _ = parse_bytes(&doc.as_bytes()[..end]);
        }
        for end in 0..doc.len() {
            let _ = parse_bytes(&doc.as_bytes()[..end]);
            let _ = parse_bytes(&doc.as_bytes()[end..]);
        }
        assert!(parse(doc).is_ok());
    }

    #[test]
    fn garbage_never_panics() {
        let pieces = [
            "<",
            ">",
            "/",
            "!",
            "?",
            "-",
            "[",
            "]",
            "'",
            "\"",
            "=",
            "&",
            ";",
            "#",
            "x",
            "a",
            " ",
            ":",
            "\u{feff}",
            "\u{1}",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<?",
            "?>",
            "&#",
            "\u{e9}",
        ];
        // A small deterministic pseudo-random generator (xorshift).
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5_000 {
            let mut input = String::new();
            for _ in 0..(state % 24) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                input.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            if let Ok(element) = parse(&input).map_err(|e| e.message) {
                if element.name.is_empty() {
                    continue; // exml's `</>` for a top-level CDATA section
                }
                // Whatever parses must survive a round trip.
                let printed = element.to_xml();
                assert_eq!(parse(&printed).map(|e| e.to_xml()), Ok(printed.clone()));
            }
            state = state.wrapping_add(0x2545_f491_4f6c_dd1d);
        }
    }

    #[test]
    fn serialisation_childless_and_empty_text() {
        assert_eq!(Element::new("a").to_xml(), "<a/>");
        assert_eq!(Element::new("a").with_text("").to_xml(), "<a></a>");
        assert_eq!(
            Element::new("a").with_text("").with_text("").to_xml(),
            "<a></a>"
        );
        assert_eq!(
            Element::new("a")
                .with_attr("x", "1")
                .with_child(Element::new("b"))
                .with_text("t")
                .to_xml(),
            "<a x='1'><b/>t</a>"
        );
    }

    #[test]
    fn serialisation_text_escaping() {
        assert_eq!(
            Element::new("a").with_text("&<>'\"x").to_xml(),
            "<a>&amp;&lt;&gt;&apos;&quot;x</a>"
        );
    }

    #[test]
    fn serialisation_attribute_quoting() {
        let single = Element::new("a").with_attr("v", "&<>\"x").to_xml();
        assert_eq!(single, "<a v='&amp;&lt;&gt;\"x'/>");
        let double = Element::new("a").with_attr("v", "&<>'\"x").to_xml();
        assert_eq!(double, "<a v=\"&amp;&lt;&gt;'&quot;x\"/>");
        assert_eq!(
            parse(&single).map(|e| e.attrs),
            Ok(vec![("v".into(), "&<>\"x".into())])
        );
        assert_eq!(
            parse(&double).map(|e| e.attrs),
            Ok(vec![("v".into(), "&<>'\"x".into())])
        );
    }

    #[test]
    fn serialisation_keeps_attribute_order_and_adds_no_whitespace() {
        let element = Element::new("m")
            .with_attr("z", "1")
            .with_attr("a", "2")
            .with_attr("xmlns", "jabber:client")
            .with_child(Element::new("body").with_text("hi"))
            .with_child(Element::new("thread"));
        assert_eq!(
            element.to_xml(),
            "<m z='1' a='2' xmlns='jabber:client'><body>hi</body><thread/></m>"
        );
        assert_eq!(element.to_string(), element.to_xml());
    }

    #[test]
    fn accessors() {
        let element =
            parse("<r a='1' a='2'>t1<x>in</x>t2<y/><x>2</x></r>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(element.attr("a"), Some("1"));
        assert_eq!(element.attr("b"), None);
        assert_eq!(element.text(), "t1t2");
        let names: Vec<&str> = element.child_elements().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["x", "y", "x"]);
        assert_eq!(
            element.first_child("x").map(Element::text),
            Some("in".into())
        );
        assert_eq!(element.first_child("z"), None);
    }

    #[test]
    fn names_follow_rapidxml_not_xml_1_0() {
        // Anything but whitespace, `/`, `>`, `?` (and `:` in a prefix) is a
        // name character; XML 1.0's NameStartChar rules do not apply.
        assert_eq!(ok("<1a/>"), "<1a/>");
        assert_eq!(ok("<a.b-c_d\u{e9}/>"), "<a.b-c_d\u{e9}/>");
        assert_eq!(ok("<a:b:c/>"), "<a:b:c/>");
        assert_eq!(
            ok("<a x.y-z='1' 1='2' p:q='3'/>"),
            "<a x.y-z='1' 1='2' p:q='3'/>"
        );
        assert_eq!(ok("<a b = '1'\n\tc=\"2\" />"), "<a b='1' c='2'/>");
    }

    #[test]
    fn characters_beyond_xml_1_0_are_accepted() {
        // Only C0 controls are checked; DEL, C1 controls and the
        // non-characters U+FFFE/U+FFFF pass, and a reference may produce
        // any scalar value, even NUL.
        assert_eq!(
            parse("<a b='\u{80}\u{ffff}'>\u{9f}\u{fffe}</a>").map(|e| e.to_xml()),
            Ok("<a b='\u{80}\u{ffff}'>\u{9f}\u{fffe}</a>".into())
        );
        assert_eq!(
            parse("<a>&#0;&#x1;</a>").map(|e| e.text()),
            Ok("\0\u{1}".into())
        );
    }

    #[test]
    fn text_and_attribute_values_are_not_normalised() {
        // No line-end normalisation, no attribute-value normalisation, and
        // `<` and `>` are accepted inside attribute values.
        assert_eq!(
            parse("<a>x\r\ny\rz</a>").map(|e| e.text()),
            Ok("x\r\ny\rz".into())
        );
        assert_eq!(
            parse("<a b='x\r\n\ty' c=\"<>\"/>").map(|e| e.attrs),
            Ok(vec![
                ("b".into(), "x\r\n\ty".into()),
                ("c".into(), "<>".into())
            ])
        );
        assert_eq!(ok("<a>]]></a>"), "<a>]]&gt;</a>");
    }

    #[test]
    fn doctype_declares_nothing() {
        // The internal subset is skipped, not interpreted: its entities are
        // unknown, so their references stay literal.
        assert_eq!(
            parse("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>").map(|e| e.text()),
            Ok("&x;".into())
        );
        assert_eq!(ok("<!DOCTYPE\na [ <!ELEMENT a ANY> [ ] ]><a/>"), "<a/>");
        // Without whitespace after `DOCTYPE` it is an unknown `<!…>`, which
        // ends at the first `>`, brackets or not.
        assert_eq!(err("<!DOCTYPEa [ > ]><a/>"), "expected <");
        assert_eq!(err("<!DOCTYPE a [ > <a/>"), "unexpected end of data");
    }

    #[test]
    fn comments_and_processing_instructions() {
        assert_eq!(ok("<a><!-- -- x - --->y</a>"), "<a>y</a>");
        assert_eq!(ok("<a><!--<b/>--></a>"), "<a/>");
        assert_eq!(ok("<a><?pi <b/> ?>x</a>"), "<a>x</a>");
        // A declaration is accepted anywhere, and checked for control
        // characters; other processing instructions are not.
        assert_eq!(ok("<a><?xml version='1.0'?>x</a>"), "<a>x</a>");
        assert_eq!(err("<?xml \u{1}?><a/>"), "unexpected control character");
        assert_eq!(ok("<?pi \u{1}?><a/>"), "<a/>");
        assert_eq!(ok("<?xml-stylesheet \u{1}?><a/>"), "<a/>");
    }

    #[test]
    fn trailing_data_after_the_root() {
        assert_eq!(ok("<a/><!-- c --><?pi?> \n<!x>"), "<a/>");
        assert_eq!(ok("<a/><b x='1'>y</b>"), "<a/>");
        assert_eq!(err("x<a/>"), "expected <");
        assert_eq!(err("<a/></a>"), "expected element name or prefix");
        assert_eq!(err("<a/><!--"), "unexpected end of data");
        assert_eq!(err("<a/><b>&#65</b>"), "expected ;");
        assert_eq!(err("<a/><b x=y/>"), "expected ' or \"");
    }

    #[test]
    fn byte_order_marks_after_skipped_markup_are_text() {
        // The old two-tokenizer parser mis-counted positions here.
        assert_eq!(
            parse("<a><!x>\u{feff}\u{feff}y</a>").map(|e| e.text()),
            Ok("\u{feff}\u{feff}y".into())
        );
        assert_eq!(
            ok("<a><!x>\u{feff}\u{feff}<b/></a>"),
            "<a>\u{feff}\u{feff}<b/></a>"
        );
        assert_eq!(err("<!x>\u{feff}<a/>"), "expected <");
    }

    #[test]
    fn big_documents_parse_in_linear_time() {
        // About 5 MB of children, plus megabyte-long text, attribute value,
        // comment and CDATA section: a quadratic step would not finish.
        let item = "<item n='1' v=\"a &amp; b\">text &lt;&#x42; more</item>\n";
        let count = 5_000_000 / item.len();
        let big = "x".repeat(1 << 20);
        let input = format!(
            "<root a='{big}'>{}<t>{big}&amp;</t><!--{big}--><![CDATA[{big}]]></root>",
            item.repeat(count)
        );
        let element = parse(&input).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(element.attr("a").map(str::len), Some(big.len()));
        assert_eq!(element.child_elements().count(), count + 1);
        assert_eq!(element.children.last(), Some(&Node::Text(big.clone())));
        assert_eq!(
            element.first_child("item").map(Element::to_xml),
            Some("<item n='1' v='a &amp; b'>text &lt;B more</item>".into())
        );
        assert!(element.to_xml().len() > 5_000_000);
        // Unterminated constructs of the same size fail after one scan.
        for (open, message) in [
            ("<a b='", "expected ' or \""),
            ("<a><!--", "unexpected end of data"),
            ("<a><![CDATA[", "unexpected end of data"),
            ("<!DOCTYPE a [", "unexpected end of data"),
            ("<!x", "unexpected end of data"),
            ("<?pi ", "unexpected end of data"),
            ("<a>", "unexpected end of data"),
        ] {
            assert_eq!(err(&format!("{open}{big}")), message, "{open}");
        }
    }

    #[test]
    fn top_level_cdata_is_a_nameless_element_like_exml() {
        assert_eq!(parse("<![CDATA[x]]><a/>"), Ok(Element::new("")));
        assert_eq!(ok("<a/><![CDATA[x]]>"), "<a/>");
    }

    #[test]
    fn xml_characters() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'a',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fffd}',
            '\u{10000}',
            '\u{10ffff}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in [
            '\0', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{fffe}', '\u{ffff}',
        ] {
            assert!(!is_xml_char(c), "{c:?}");
        }
        assert_eq!(first_non_xml_char("x\u{1b}y"), Some((2, '\u{1b}')));
        assert_eq!(first_non_xml_char("é\u{ffff}"), Some((2, '\u{ffff}')));
        assert_eq!(first_non_xml_char("ok\ttab\r\n"), None);
    }

    #[test]
    fn names_and_qualified_names() {
        for name in ["FN", "ORG", "x-foo.bar_1", "_a", "é", "p:a", "a\u{b7}"] {
            assert_eq!(check_qname(name), Ok(()), "{name:?}");
            assert_eq!(check_name(name), Ok(()), "{name:?}");
        }
        assert_eq!(check_qname(""), Err(BadName::Empty));
        assert_eq!(check_name(""), Err(BadName::Empty));
        assert_eq!(
            check_qname(" "),
            Err(BadName::BadChar {
                position: 1,
                c: ' '
            })
        );
        assert_eq!(
            check_qname("/"),
            Err(BadName::BadChar {
                position: 1,
                c: '/'
            })
        );
        assert_eq!(
            check_qname("A B"),
            Err(BadName::BadChar {
                position: 2,
                c: ' '
            })
        );
        assert_eq!(
            check_qname("1a"),
            Err(BadName::BadStart {
                position: 1,
                c: '1'
            })
        );
        assert_eq!(
            check_qname("p:1a"),
            Err(BadName::BadStart {
                position: 3,
                c: '1'
            })
        );
        assert_eq!(check_qname(":a"), Err(BadName::Colon { position: 1 }));
        assert_eq!(check_qname("a:"), Err(BadName::Colon { position: 2 }));
        assert_eq!(check_qname("a:b:c"), Err(BadName::Colon { position: 4 }));
        // XML 1.0 names may hold colons anywhere.
        assert_eq!(check_name("a:b:c"), Ok(()));
        assert_eq!(check_name(":a"), Ok(()));
        assert_eq!(
            check_name("a\u{1b}"),
            Err(BadName::BadChar {
                position: 2,
                c: '\u{1b}'
            })
        );
    }

    #[test]
    fn storable_elements() {
        let good =
            parse("<a xmlns='n' b='1'>t<c:d>&amp;</c:d></a>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_storable(&good), Ok(()));
        // Accepted by the parser (a character reference, rapidxml's lenient names), but not
        // storable.
        let esc = parse("<a xmlns='n'><b>x&#27;</b></a>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            check_storable(&esc),
            Err(Unstorable::Char {
                element: "b".into(),
                attribute: None,
                position: 2,
                c: '\u{1b}'
            })
        );
        let nul = parse("<a v='&#0;'/>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            check_storable(&nul),
            Err(Unstorable::Char {
                element: "a".into(),
                attribute: Some("v".into()),
                position: 1,
                c: '\0'
            })
        );
        let ffff = parse("<a>\u{ffff}</a>").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            check_storable(&ffff),
            Err(Unstorable::Char { c: '\u{ffff}', .. })
        ));
        let name = parse("<a\"b/>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            check_storable(&name),
            Err(Unstorable::Name {
                element: "a\"b".into(),
                attribute: None,
                problem: BadName::BadChar {
                    position: 2,
                    c: '"'
                }
            })
        );
        let attr = parse("<a \u{1}x='1'/>").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            check_storable(&attr),
            Err(Unstorable::Name {
                attribute: Some(_),
                ..
            })
        ));
        // Whatever passes the name and character checks parses back.
        let built = Element::new("a")
            .with_attr("b", "'\"<&>")
            .with_text("]]> & <x/>");
        assert_eq!(check_storable(&built), Ok(()));
    }

    mod properties {
        use super::super::*;
        use crate::compat::vcard;
        use proptest::prelude::*;

        fn qname() -> impl Strategy<Value = String> {
            "[A-Za-z_\u{c0}-\u{d6}\u{d8}-\u{f6}\u{f8}-\u{2ff}][A-Za-z0-9._\u{b7}-]{0,6}(:[A-Za-z_][A-Za-z0-9._-]{0,4})?"
        }

        /// Any text of XML 1.0 characters.
        fn xml_text() -> impl Strategy<Value = String> {
            any::<String>().prop_map(|s| s.chars().filter(|&c| is_xml_char(c)).collect())
        }

        proptest! {
            /// What the vCard commands accept is stored as text that parses back, and the
            /// value reads back (exml drops a whitespace-only text before a tag).
            #[test]
            fn accepted_vcard_fields_read_back(name in qname(), sub in qname(), value in xml_text()) {
                prop_assert_eq!(check_qname(&name), Ok(()));
                let v = vcard::set_field(None, &name, &value);
                let v = vcard::set_subfield(Some(&v), &name, &sub, std::slice::from_ref(&value));
                let back = parse(&v.to_xml());
                prop_assert!(back.is_ok(), "{:?}", v.to_xml());
                let expected = if value.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                    String::new()
                } else {
                    value.clone()
                };
                let back = back.unwrap_or_else(|_| Element::new(""));
                let got = vcard::get_subfield(&back, &name, &sub);
                prop_assert_eq!(got, vcard::VcardLookup::Found(vec![expected]));
            }

            /// Valid names and characters always serialise to something that parses: the
            /// `Reparse` refusal is never reached, on built trees or on parsed ones.
            #[test]
            fn storable_elements_reparse(
                name in qname(), attr in qname(), value in xml_text(), text in xml_text()
            ) {
                let e = Element::new(&name)
                    .with_attr(&attr, &value)
                    .with_child(Element::new(&attr).with_text(&text))
                    .with_text(&text);
                prop_assert_eq!(check_storable(&e), Ok(()));
            }

            #[test]
            fn parsed_elements_are_refused_only_for_names_or_characters(
                input in "[<>/ab:='\"&#;x0-9\u{1}\u{1b}\u{ffff} ]{0,40}"
            ) {
                if let Ok(e) = parse(&input) {
                    prop_assert!(!matches!(check_storable(&e), Err(Unstorable::Reparse(_))));
                }
            }

            #[test]
            fn name_checks_never_panic_and_agree(name in "\\PC{0,12}") {
                if check_qname(&name).is_ok() {
                    prop_assert_eq!(check_name(&name), Ok(()));
                }
            }
        }
    }
}
