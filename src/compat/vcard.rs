//! Pure vCard (XEP-0054) document logic for the `vcard` command group.
//!
//! No I/O and no SQL: the functions here select fields of a stored vCard
//! ([`get_field`], [`get_subfield`]), rewrite it the way MongooseIM 5.1's
//! `set_vcard*` commands do ([`set_field`], [`set_subfield`]; spec
//! `commands.md` §10), and extract the `vcard_search` row ([`search_row`],
//! [`lower`], [`lower_nickname`]; spec `store.md` §2.7).
//!
//! Element names are matched case-sensitively. The "text" of an element is
//! the concatenation of its direct text children ([`Element::text`]).

use std::cmp::Ordering;

use crate::compat::xml::{Element, Node};

/// Result of selecting vCard fields for `get_vcard*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VcardLookup {
    /// Texts of the selected elements, in document order (never empty).
    Found(Vec<String>),
    /// Nothing matched: MongooseIM's `Value not found in vcard`.
    ValueNotFound,
}

impl VcardLookup {
    fn from_texts(texts: Vec<String>) -> VcardLookup {
        if texts.is_empty() {
            VcardLookup::ValueNotFound
        } else {
            VcardLookup::Found(texts)
        }
    }
}

/// `get_vcard`: the texts of all direct children of the root named `name`.
pub fn get_field(vcard: &Element, name: &str) -> VcardLookup {
    VcardLookup::from_texts(
        vcard
            .child_elements()
            .filter(|field| field.name == name)
            .map(Element::text)
            .collect(),
    )
}

/// `get_vcard2` / `get_vcard2_multi`: the texts of all `subname` children of
/// all direct `name` children of the root, in document order.
pub fn get_subfield(vcard: &Element, name: &str, subname: &str) -> VcardLookup {
    VcardLookup::from_texts(
        vcard
            .child_elements()
            .filter(|field| field.name == name)
            .flat_map(|field| field.child_elements())
            .filter(|sub| sub.name == subname)
            .map(Element::text)
            .collect(),
    )
}

/// `set_vcard`: the rewritten vCard with `<name>content</name>` in place of
/// the first `name` field.
///
/// `vcard` is the stored vCard (`None` when there is none). The result's
/// children are the old ones stably sorted by name (steps 1–4 of §10); an
/// empty `content` gives `<name></name>`.
pub fn set_field(vcard: Option<&Element>, name: &str, content: &str) -> Element {
    let new = Element::new(name).with_text(content);
    rewrite(sorted_children(vcard), name, new)
}

/// `set_vcard2` / `set_vcard2_multi`: the rewritten vCard whose first `name`
/// field gets `contents` as its `subname` children.
///
/// The first `name` field P (or an empty one) is replaced by a new `name`
/// element without attributes whose children are P's element children other
/// than `subname`, sorted by name, merged with one `<subname>c</subname>` per
/// content (in the given order, placed before the first kept child whose name
/// sorts at or after `subname`). P's text children are dropped. `set_vcard2`
/// passes one content (possibly empty, giving `<subname></subname>`);
/// `set_vcard2_multi` passes its argument split on `;` with empty pieces
/// dropped, and an empty slice just removes the `subname` children.
pub fn set_subfield(
    vcard: Option<&Element>,
    name: &str,
    subname: &str,
    contents: &[String],
) -> Element {
    let children = sorted_children(vcard);
    let mut kids: Vec<Node> = children
        .iter()
        .find_map(|node| match node {
            Node::Element(field) if field.name == name => Some(field),
            _ => None,
        })
        .map(|field| {
            field
                .children
                .iter()
                .filter(|kid| matches!(kid, Node::Element(kid) if kid.name != subname))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    kids.sort_by(compare_keys);
    let at = insertion_point(&kids, subname);
    kids.splice(
        at..at,
        contents
            .iter()
            .map(|content| Node::Element(Element::new(subname).with_text(content))),
    );
    let new = Element {
        name: name.to_owned(),
        attrs: Vec::new(),
        children: kids,
    };
    rewrite(children, name, new)
}

/// Sort key of a child, as Erlang's `lists:keysort(2, …)` sees it: the name
/// of an element, the content of a text node (compared as bytes).
fn sort_key(node: &Node) -> &str {
    match node {
        Node::Element(element) => &element.name,
        Node::Text(text) => text,
    }
}

fn compare_keys(a: &Node, b: &Node) -> Ordering {
    sort_key(a).cmp(sort_key(b))
}

/// Step 1: the stored children, stably sorted by key.
fn sorted_children(vcard: Option<&Element>) -> Vec<Node> {
    let mut children = vcard.map(|v| v.children.clone()).unwrap_or_default();
    children.sort_by(compare_keys);
    children
}

/// Where `lists:keymerge` puts an element with key `key` that comes from the
/// first list: before the first node whose key is not smaller.
fn insertion_point(sorted: &[Node], key: &str) -> usize {
    sorted
        .iter()
        .position(|node| sort_key(node) >= key)
        .unwrap_or(sorted.len())
}

/// Steps 3–4: drop the first `name` element, merge `new` in by name, wrap
/// in `<vCard xmlns='vcard-temp'>`.
fn rewrite(mut children: Vec<Node>, name: &str, new: Element) -> Element {
    if let Some(first) = children
        .iter()
        .position(|node| matches!(node, Node::Element(field) if field.name == name))
    {
        children.remove(first);
    }
    let at = insertion_point(&children, name);
    children.insert(at, Node::Element(new));
    Element {
        name: "vCard".to_owned(),
        attrs: vec![("xmlns".to_owned(), "vcard-temp".to_owned())],
        children,
    }
}

/// The raw (not lower-cased) values of a `vcard_search` row.
///
/// Each is the text of the first match of its path (first element of each
/// name along the path), `""` when absent; `email` is `EMAIL/USERID`, or the
/// text of `EMAIL` when that is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRow {
    /// `FN`.
    pub fn_: String,
    /// `N/FAMILY`.
    pub family: String,
    /// `N/GIVEN`.
    pub given: String,
    /// `N/MIDDLE`.
    pub middle: String,
    /// `NICKNAME`.
    pub nickname: String,
    /// `BDAY`.
    pub bday: String,
    /// `ADR/CTRY`.
    pub ctry: String,
    /// `ADR/LOCALITY`.
    pub locality: String,
    /// `EMAIL/USERID`, falling back to the text of `EMAIL`.
    pub email: String,
    /// `ORG/ORGNAME`.
    pub orgname: String,
    /// `ORG/ORGUNIT`.
    pub orgunit: String,
}

impl SearchRow {
    /// The `l*` column values: every field through [`try_lower`], the
    /// nickname through [`try_lower_nickname`].
    ///
    /// `None` when a value fails stringprep; MongooseIM then rejects the
    /// whole vCard (`invalid_input`) and stores neither table.
    pub fn try_lowered(&self) -> Option<SearchRow> {
        Some(SearchRow {
            fn_: try_lower(&self.fn_)?,
            family: try_lower(&self.family)?,
            given: try_lower(&self.given)?,
            middle: try_lower(&self.middle)?,
            nickname: try_lower_nickname(&self.nickname)?,
            bday: try_lower(&self.bday)?,
            ctry: try_lower(&self.ctry)?,
            locality: try_lower(&self.locality)?,
            email: try_lower(&self.email)?,
            orgname: try_lower(&self.orgname)?,
            orgunit: try_lower(&self.orgunit)?,
        })
    }

    /// The `l*` column values, never failing: every field through [`lower`],
    /// the nickname through [`lower_nickname`].
    pub fn lowered(&self) -> SearchRow {
        SearchRow {
            fn_: lower(&self.fn_),
            family: lower(&self.family),
            given: lower(&self.given),
            middle: lower(&self.middle),
            nickname: lower_nickname(&self.nickname),
            bday: lower(&self.bday),
            ctry: lower(&self.ctry),
            locality: lower(&self.locality),
            email: lower(&self.email),
            orgname: lower(&self.orgname),
            orgunit: lower(&self.orgunit),
        }
    }
}

/// Text at `path` below `vcard`, following the first element of each name;
/// `""` when a step is missing.
fn path_text(vcard: &Element, path: &[&str]) -> String {
    let mut element = vcard;
    for name in path {
        match element.first_child(name) {
            Some(child) => element = child,
            None => return String::new(),
        }
    }
    element.text()
}

/// The raw `vcard_search` values of a vCard (spec `store.md` §2.7).
pub fn search_row(vcard: &Element) -> SearchRow {
    let userid = path_text(vcard, &["EMAIL", "USERID"]);
    let email = if userid.is_empty() {
        path_text(vcard, &["EMAIL"])
    } else {
        userid
    };
    SearchRow {
        fn_: path_text(vcard, &["FN"]),
        family: path_text(vcard, &["N", "FAMILY"]),
        given: path_text(vcard, &["N", "GIVEN"]),
        middle: path_text(vcard, &["N", "MIDDLE"]),
        nickname: path_text(vcard, &["NICKNAME"]),
        bday: path_text(vcard, &["BDAY"]),
        ctry: path_text(vcard, &["ADR", "CTRY"]),
        locality: path_text(vcard, &["ADR", "LOCALITY"]),
        email,
        orgname: path_text(vcard, &["ORG", "ORGNAME"]),
        orgunit: path_text(vcard, &["ORG", "ORGUNIT"]),
    }
}

/// MongooseIM's `jid:str_tolower/1` (p1 stringprep `tolower`), which is the
/// Nameprep profile: characters mapped to nothing removed, case folded
/// (RFC 3454 table B.2), NFKC, prohibited and unassigned characters and bad
/// bidirectional text rejected. `None` where MongooseIM gets `error`.
pub fn try_lower(s: &str) -> Option<String> {
    stringprep::nameprep(s)
        .ok()
        .map(|prepped| prepped.into_owned())
}

/// Lower-casing for the `l*` search columns: [`try_lower`], falling back to
/// Unicode lower-casing when stringprep rejects the value.
pub fn lower(s: &str) -> String {
    try_lower(s).unwrap_or_else(|| s.to_lowercase())
}

/// [`try_lower`] after removing every character that is not alphanumeric,
/// whitespace or punctuation (emoji and other symbols, marks, controls),
/// as MongooseIM does for `lnickname` with the PCRE class
/// `[^[:alnum:][:space:][:punct:]]` in Unicode mode.
pub fn try_lower_nickname(s: &str) -> Option<String> {
    try_lower(&strip_nickname(s))
}

/// [`lower`] after the same stripping as [`try_lower_nickname`].
pub fn lower_nickname(s: &str) -> String {
    lower(&strip_nickname(s))
}

fn strip_nickname(s: &str) -> String {
    s.chars().filter(|&c| is_nickname_char(c)).collect()
}

/// PCRE's `[[:alnum:][:space:][:punct:]]` with Unicode properties: letters
/// and numbers (`\p{L}`, `\p{N}`), separators (`\p{Z}`) plus tab, LF, VT, FF
/// and CR, punctuation (`\p{P}`) plus the ASCII symbols.
fn is_nickname_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric()
            || c.is_ascii_punctuation()
            || matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r');
    }
    let c = u32::from(c);
    NON_ASCII_NICKNAME_CHARS
        .binary_search_by(|&(first, last)| {
            if last < c {
                Ordering::Less
            } else if first > c {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Code point ranges (inclusive, sorted) above U+007F whose Unicode general
/// category is a letter, number, punctuation or separator (L, N, P, Z).
/// Generated from the Unicode 14.0 character database.
#[rustfmt::skip]
const NON_ASCII_NICKNAME_CHARS: &[(u32, u32)] = &[
    (0x00A0, 0x00A1), (0x00A7, 0x00A7), (0x00AA, 0x00AB), (0x00B2, 0x00B3), (0x00B5, 0x00B7), (0x00B9, 0x00D6),
    (0x00D8, 0x00F6), (0x00F8, 0x02C1), (0x02C6, 0x02D1), (0x02E0, 0x02E4), (0x02EC, 0x02EC), (0x02EE, 0x02EE),
    (0x0370, 0x0374), (0x0376, 0x0377), (0x037A, 0x037F), (0x0386, 0x038A), (0x038C, 0x038C), (0x038E, 0x03A1),
    (0x03A3, 0x03F5), (0x03F7, 0x0481), (0x048A, 0x052F), (0x0531, 0x0556), (0x0559, 0x058A), (0x05BE, 0x05BE),
    (0x05C0, 0x05C0), (0x05C3, 0x05C3), (0x05C6, 0x05C6), (0x05D0, 0x05EA), (0x05EF, 0x05F4), (0x0609, 0x060A),
    (0x060C, 0x060D), (0x061B, 0x061B), (0x061D, 0x064A), (0x0660, 0x066F), (0x0671, 0x06D5), (0x06E5, 0x06E6),
    (0x06EE, 0x06FC), (0x06FF, 0x070D), (0x0710, 0x0710), (0x0712, 0x072F), (0x074D, 0x07A5), (0x07B1, 0x07B1),
    (0x07C0, 0x07EA), (0x07F4, 0x07F5), (0x07F7, 0x07FA), (0x0800, 0x0815), (0x081A, 0x081A), (0x0824, 0x0824),
    (0x0828, 0x0828), (0x0830, 0x083E), (0x0840, 0x0858), (0x085E, 0x085E), (0x0860, 0x086A), (0x0870, 0x0887),
    (0x0889, 0x088E), (0x08A0, 0x08C9), (0x0904, 0x0939), (0x093D, 0x093D), (0x0950, 0x0950), (0x0958, 0x0961),
    (0x0964, 0x0980), (0x0985, 0x098C), (0x098F, 0x0990), (0x0993, 0x09A8), (0x09AA, 0x09B0), (0x09B2, 0x09B2),
    (0x09B6, 0x09B9), (0x09BD, 0x09BD), (0x09CE, 0x09CE), (0x09DC, 0x09DD), (0x09DF, 0x09E1), (0x09E6, 0x09F1),
    (0x09F4, 0x09F9), (0x09FC, 0x09FD), (0x0A05, 0x0A0A), (0x0A0F, 0x0A10), (0x0A13, 0x0A28), (0x0A2A, 0x0A30),
    (0x0A32, 0x0A33), (0x0A35, 0x0A36), (0x0A38, 0x0A39), (0x0A59, 0x0A5C), (0x0A5E, 0x0A5E), (0x0A66, 0x0A6F),
    (0x0A72, 0x0A74), (0x0A76, 0x0A76), (0x0A85, 0x0A8D), (0x0A8F, 0x0A91), (0x0A93, 0x0AA8), (0x0AAA, 0x0AB0),
    (0x0AB2, 0x0AB3), (0x0AB5, 0x0AB9), (0x0ABD, 0x0ABD), (0x0AD0, 0x0AD0), (0x0AE0, 0x0AE1), (0x0AE6, 0x0AF0),
    (0x0AF9, 0x0AF9), (0x0B05, 0x0B0C), (0x0B0F, 0x0B10), (0x0B13, 0x0B28), (0x0B2A, 0x0B30), (0x0B32, 0x0B33),
    (0x0B35, 0x0B39), (0x0B3D, 0x0B3D), (0x0B5C, 0x0B5D), (0x0B5F, 0x0B61), (0x0B66, 0x0B6F), (0x0B71, 0x0B77),
    (0x0B83, 0x0B83), (0x0B85, 0x0B8A), (0x0B8E, 0x0B90), (0x0B92, 0x0B95), (0x0B99, 0x0B9A), (0x0B9C, 0x0B9C),
    (0x0B9E, 0x0B9F), (0x0BA3, 0x0BA4), (0x0BA8, 0x0BAA), (0x0BAE, 0x0BB9), (0x0BD0, 0x0BD0), (0x0BE6, 0x0BF2),
    (0x0C05, 0x0C0C), (0x0C0E, 0x0C10), (0x0C12, 0x0C28), (0x0C2A, 0x0C39), (0x0C3D, 0x0C3D), (0x0C58, 0x0C5A),
    (0x0C5D, 0x0C5D), (0x0C60, 0x0C61), (0x0C66, 0x0C6F), (0x0C77, 0x0C7E), (0x0C80, 0x0C80), (0x0C84, 0x0C8C),
    (0x0C8E, 0x0C90), (0x0C92, 0x0CA8), (0x0CAA, 0x0CB3), (0x0CB5, 0x0CB9), (0x0CBD, 0x0CBD), (0x0CDD, 0x0CDE),
    (0x0CE0, 0x0CE1), (0x0CE6, 0x0CEF), (0x0CF1, 0x0CF2), (0x0D04, 0x0D0C), (0x0D0E, 0x0D10), (0x0D12, 0x0D3A),
    (0x0D3D, 0x0D3D), (0x0D4E, 0x0D4E), (0x0D54, 0x0D56), (0x0D58, 0x0D61), (0x0D66, 0x0D78), (0x0D7A, 0x0D7F),
    (0x0D85, 0x0D96), (0x0D9A, 0x0DB1), (0x0DB3, 0x0DBB), (0x0DBD, 0x0DBD), (0x0DC0, 0x0DC6), (0x0DE6, 0x0DEF),
    (0x0DF4, 0x0DF4), (0x0E01, 0x0E30), (0x0E32, 0x0E33), (0x0E40, 0x0E46), (0x0E4F, 0x0E5B), (0x0E81, 0x0E82),
    (0x0E84, 0x0E84), (0x0E86, 0x0E8A), (0x0E8C, 0x0EA3), (0x0EA5, 0x0EA5), (0x0EA7, 0x0EB0), (0x0EB2, 0x0EB3),
    (0x0EBD, 0x0EBD), (0x0EC0, 0x0EC4), (0x0EC6, 0x0EC6), (0x0ED0, 0x0ED9), (0x0EDC, 0x0EDF), (0x0F00, 0x0F00),
    (0x0F04, 0x0F12), (0x0F14, 0x0F14), (0x0F20, 0x0F33), (0x0F3A, 0x0F3D), (0x0F40, 0x0F47), (0x0F49, 0x0F6C),
    (0x0F85, 0x0F85), (0x0F88, 0x0F8C), (0x0FD0, 0x0FD4), (0x0FD9, 0x0FDA), (0x1000, 0x102A), (0x103F, 0x1055),
    (0x105A, 0x105D), (0x1061, 0x1061), (0x1065, 0x1066), (0x106E, 0x1070), (0x1075, 0x1081), (0x108E, 0x108E),
    (0x1090, 0x1099), (0x10A0, 0x10C5), (0x10C7, 0x10C7), (0x10CD, 0x10CD), (0x10D0, 0x1248), (0x124A, 0x124D),
    (0x1250, 0x1256), (0x1258, 0x1258), (0x125A, 0x125D), (0x1260, 0x1288), (0x128A, 0x128D), (0x1290, 0x12B0),
    (0x12B2, 0x12B5), (0x12B8, 0x12BE), (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12D6), (0x12D8, 0x1310),
    (0x1312, 0x1315), (0x1318, 0x135A), (0x1360, 0x137C), (0x1380, 0x138F), (0x13A0, 0x13F5), (0x13F8, 0x13FD),
    (0x1400, 0x166C), (0x166E, 0x169C), (0x16A0, 0x16F8), (0x1700, 0x1711), (0x171F, 0x1731), (0x1735, 0x1736),
    (0x1740, 0x1751), (0x1760, 0x176C), (0x176E, 0x1770), (0x1780, 0x17B3), (0x17D4, 0x17DA), (0x17DC, 0x17DC),
    (0x17E0, 0x17E9), (0x17F0, 0x17F9), (0x1800, 0x180A), (0x1810, 0x1819), (0x1820, 0x1878), (0x1880, 0x1884),
    (0x1887, 0x18A8), (0x18AA, 0x18AA), (0x18B0, 0x18F5), (0x1900, 0x191E), (0x1944, 0x196D), (0x1970, 0x1974),
    (0x1980, 0x19AB), (0x19B0, 0x19C9), (0x19D0, 0x19DA), (0x1A00, 0x1A16), (0x1A1E, 0x1A54), (0x1A80, 0x1A89),
    (0x1A90, 0x1A99), (0x1AA0, 0x1AAD), (0x1B05, 0x1B33), (0x1B45, 0x1B4C), (0x1B50, 0x1B60), (0x1B7D, 0x1B7E),
    (0x1B83, 0x1BA0), (0x1BAE, 0x1BE5), (0x1BFC, 0x1C23), (0x1C3B, 0x1C49), (0x1C4D, 0x1C88), (0x1C90, 0x1CBA),
    (0x1CBD, 0x1CC7), (0x1CD3, 0x1CD3), (0x1CE9, 0x1CEC), (0x1CEE, 0x1CF3), (0x1CF5, 0x1CF6), (0x1CFA, 0x1CFA),
    (0x1D00, 0x1DBF), (0x1E00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57),
    (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC),
    (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC),
    (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC), (0x2000, 0x200A), (0x2010, 0x2029), (0x202F, 0x2043), (0x2045, 0x2051),
    (0x2053, 0x205F), (0x2070, 0x2071), (0x2074, 0x2079), (0x207D, 0x2089), (0x208D, 0x208E), (0x2090, 0x209C),
    (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D), (0x2124, 0x2124),
    (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D), (0x212F, 0x2139), (0x213C, 0x213F), (0x2145, 0x2149),
    (0x214E, 0x214E), (0x2150, 0x2189), (0x2308, 0x230B), (0x2329, 0x232A), (0x2460, 0x249B), (0x24EA, 0x24FF),
    (0x2768, 0x2793), (0x27C5, 0x27C6), (0x27E6, 0x27EF), (0x2983, 0x2998), (0x29D8, 0x29DB), (0x29FC, 0x29FD),
    (0x2C00, 0x2CE4), (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3), (0x2CF9, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D),
    (0x2D30, 0x2D67), (0x2D6F, 0x2D70), (0x2D80, 0x2D96), (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE), (0x2DB0, 0x2DB6),
    (0x2DB8, 0x2DBE), (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE), (0x2DD0, 0x2DD6), (0x2DD8, 0x2DDE), (0x2E00, 0x2E4F),
    (0x2E52, 0x2E5D), (0x3000, 0x3003), (0x3005, 0x3011), (0x3014, 0x301F), (0x3021, 0x3029), (0x3030, 0x3035),
    (0x3038, 0x303D), (0x3041, 0x3096), (0x309D, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E), (0x3192, 0x3195),
    (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0x3220, 0x3229), (0x3248, 0x324F), (0x3251, 0x325F), (0x3280, 0x3289),
    (0x32B1, 0x32BF), (0x3400, 0x4DBF), (0x4E00, 0xA48C), (0xA4D0, 0xA62B), (0xA640, 0xA66E), (0xA673, 0xA673),
    (0xA67E, 0xA69D), (0xA6A0, 0xA6EF), (0xA6F2, 0xA6F7), (0xA717, 0xA71F), (0xA722, 0xA788), (0xA78B, 0xA7CA),
    (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D9), (0xA7F2, 0xA801), (0xA803, 0xA805), (0xA807, 0xA80A),
    (0xA80C, 0xA822), (0xA830, 0xA835), (0xA840, 0xA877), (0xA882, 0xA8B3), (0xA8CE, 0xA8D9), (0xA8F2, 0xA8FE),
    (0xA900, 0xA925), (0xA92E, 0xA946), (0xA95F, 0xA97C), (0xA984, 0xA9B2), (0xA9C1, 0xA9CD), (0xA9CF, 0xA9D9),
    (0xA9DE, 0xA9E4), (0xA9E6, 0xA9FE), (0xAA00, 0xAA28), (0xAA40, 0xAA42), (0xAA44, 0xAA4B), (0xAA50, 0xAA59),
    (0xAA5C, 0xAA76), (0xAA7A, 0xAA7A), (0xAA7E, 0xAAAF), (0xAAB1, 0xAAB1), (0xAAB5, 0xAAB6), (0xAAB9, 0xAABD),
    (0xAAC0, 0xAAC0), (0xAAC2, 0xAAC2), (0xAADB, 0xAAEA), (0xAAF0, 0xAAF4), (0xAB01, 0xAB06), (0xAB09, 0xAB0E),
    (0xAB11, 0xAB16), (0xAB20, 0xAB26), (0xAB28, 0xAB2E), (0xAB30, 0xAB5A), (0xAB5C, 0xAB69), (0xAB70, 0xABE2),
    (0xABEB, 0xABEB), (0xABF0, 0xABF9), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xF900, 0xFA6D),
    (0xFA70, 0xFAD9), (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFB1D, 0xFB1D), (0xFB1F, 0xFB28), (0xFB2A, 0xFB36),
    (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E), (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBB1), (0xFBD3, 0xFD3F),
    (0xFD50, 0xFD8F), (0xFD92, 0xFDC7), (0xFDF0, 0xFDFB), (0xFE10, 0xFE19), (0xFE30, 0xFE52), (0xFE54, 0xFE61),
    (0xFE63, 0xFE63), (0xFE68, 0xFE68), (0xFE6A, 0xFE6B), (0xFE70, 0xFE74), (0xFE76, 0xFEFC), (0xFF01, 0xFF03),
    (0xFF05, 0xFF0A), (0xFF0C, 0xFF1B), (0xFF1F, 0xFF3D), (0xFF3F, 0xFF3F), (0xFF41, 0xFF5B), (0xFF5D, 0xFF5D),
    (0xFF5F, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC), (0x10000, 0x1000B),
    (0x1000D, 0x10026), (0x10028, 0x1003A), (0x1003C, 0x1003D), (0x1003F, 0x1004D), (0x10050, 0x1005D), (0x10080, 0x100FA),
    (0x10100, 0x10102), (0x10107, 0x10133), (0x10140, 0x10178), (0x1018A, 0x1018B), (0x10280, 0x1029C), (0x102A0, 0x102D0),
    (0x102E1, 0x102FB), (0x10300, 0x10323), (0x1032D, 0x1034A), (0x10350, 0x10375), (0x10380, 0x1039D), (0x1039F, 0x103C3),
    (0x103C8, 0x103D5), (0x10400, 0x1049D), (0x104A0, 0x104A9), (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10500, 0x10527),
    (0x10530, 0x10563), (0x1056F, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592), (0x10594, 0x10595), (0x10597, 0x105A1),
    (0x105A3, 0x105B1), (0x105B3, 0x105B9), (0x105BB, 0x105BC), (0x10600, 0x10736), (0x10740, 0x10755), (0x10760, 0x10767),
    (0x10780, 0x10785), (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x10800, 0x10805), (0x10808, 0x10808), (0x1080A, 0x10835),
    (0x10837, 0x10838), (0x1083C, 0x1083C), (0x1083F, 0x10855), (0x10857, 0x10876), (0x10879, 0x1089E), (0x108A7, 0x108AF),
    (0x108E0, 0x108F2), (0x108F4, 0x108F5), (0x108FB, 0x1091B), (0x1091F, 0x10939), (0x1093F, 0x1093F), (0x10980, 0x109B7),
    (0x109BC, 0x109CF), (0x109D2, 0x10A00), (0x10A10, 0x10A13), (0x10A15, 0x10A17), (0x10A19, 0x10A35), (0x10A40, 0x10A48),
    (0x10A50, 0x10A58), (0x10A60, 0x10A9F), (0x10AC0, 0x10AC7), (0x10AC9, 0x10AE4), (0x10AEB, 0x10AF6), (0x10B00, 0x10B35),
    (0x10B39, 0x10B55), (0x10B58, 0x10B72), (0x10B78, 0x10B91), (0x10B99, 0x10B9C), (0x10BA9, 0x10BAF), (0x10C00, 0x10C48),
    (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2), (0x10CFA, 0x10D23), (0x10D30, 0x10D39), (0x10E60, 0x10E7E), (0x10E80, 0x10EA9),
    (0x10EAD, 0x10EAD), (0x10EB0, 0x10EB1), (0x10F00, 0x10F27), (0x10F30, 0x10F45), (0x10F51, 0x10F59), (0x10F70, 0x10F81),
    (0x10F86, 0x10F89), (0x10FB0, 0x10FCB), (0x10FE0, 0x10FF6), (0x11003, 0x11037), (0x11047, 0x1104D), (0x11052, 0x1106F),
    (0x11071, 0x11072), (0x11075, 0x11075), (0x11083, 0x110AF), (0x110BB, 0x110BC), (0x110BE, 0x110C1), (0x110D0, 0x110E8),
    (0x110F0, 0x110F9), (0x11103, 0x11126), (0x11136, 0x11144), (0x11147, 0x11147), (0x11150, 0x11172), (0x11174, 0x11176),
    (0x11183, 0x111B2), (0x111C1, 0x111C8), (0x111CD, 0x111CD), (0x111D0, 0x111DF), (0x111E1, 0x111F4), (0x11200, 0x11211),
    (0x11213, 0x1122B), (0x11238, 0x1123D), (0x11280, 0x11286), (0x11288, 0x11288), (0x1128A, 0x1128D), (0x1128F, 0x1129D),
    (0x1129F, 0x112A9), (0x112B0, 0x112DE), (0x112F0, 0x112F9), (0x11305, 0x1130C), (0x1130F, 0x11310), (0x11313, 0x11328),
    (0x1132A, 0x11330), (0x11332, 0x11333), (0x11335, 0x11339), (0x1133D, 0x1133D), (0x11350, 0x11350), (0x1135D, 0x11361),
    (0x11400, 0x11434), (0x11447, 0x1145B), (0x1145D, 0x1145D), (0x1145F, 0x11461), (0x11480, 0x114AF), (0x114C4, 0x114C7),
    (0x114D0, 0x114D9), (0x11580, 0x115AE), (0x115C1, 0x115DB), (0x11600, 0x1162F), (0x11641, 0x11644), (0x11650, 0x11659),
    (0x11660, 0x1166C), (0x11680, 0x116AA), (0x116B8, 0x116B9), (0x116C0, 0x116C9), (0x11700, 0x1171A), (0x11730, 0x1173E),
    (0x11740, 0x11746), (0x11800, 0x1182B), (0x1183B, 0x1183B), (0x118A0, 0x118F2), (0x118FF, 0x11906), (0x11909, 0x11909),
    (0x1190C, 0x11913), (0x11915, 0x11916), (0x11918, 0x1192F), (0x1193F, 0x1193F), (0x11941, 0x11941), (0x11944, 0x11946),
    (0x11950, 0x11959), (0x119A0, 0x119A7), (0x119AA, 0x119D0), (0x119E1, 0x119E3), (0x11A00, 0x11A00), (0x11A0B, 0x11A32),
    (0x11A3A, 0x11A3A), (0x11A3F, 0x11A46), (0x11A50, 0x11A50), (0x11A5C, 0x11A89), (0x11A9A, 0x11AA2), (0x11AB0, 0x11AF8),
    (0x11C00, 0x11C08), (0x11C0A, 0x11C2E), (0x11C40, 0x11C45), (0x11C50, 0x11C6C), (0x11C70, 0x11C8F), (0x11D00, 0x11D06),
    (0x11D08, 0x11D09), (0x11D0B, 0x11D30), (0x11D46, 0x11D46), (0x11D50, 0x11D59), (0x11D60, 0x11D65), (0x11D67, 0x11D68),
    (0x11D6A, 0x11D89), (0x11D98, 0x11D98), (0x11DA0, 0x11DA9), (0x11EE0, 0x11EF2), (0x11EF7, 0x11EF8), (0x11FB0, 0x11FB0),
    (0x11FC0, 0x11FD4), (0x11FFF, 0x12399), (0x12400, 0x1246E), (0x12470, 0x12474), (0x12480, 0x12543), (0x12F90, 0x12FF2),
    (0x13000, 0x1342E), (0x14400, 0x14646), (0x16800, 0x16A38), (0x16A40, 0x16A5E), (0x16A60, 0x16A69), (0x16A6E, 0x16ABE),
    (0x16AC0, 0x16AC9), (0x16AD0, 0x16AED), (0x16AF5, 0x16AF5), (0x16B00, 0x16B2F), (0x16B37, 0x16B3B), (0x16B40, 0x16B44),
    (0x16B50, 0x16B59), (0x16B5B, 0x16B61), (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E9A), (0x16F00, 0x16F4A),
    (0x16F50, 0x16F50), (0x16F93, 0x16F9F), (0x16FE0, 0x16FE3), (0x17000, 0x187F7), (0x18800, 0x18CD5), (0x18D00, 0x18D08),
    (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122), (0x1B150, 0x1B152), (0x1B164, 0x1B167),
    (0x1B170, 0x1B2FB), (0x1BC00, 0x1BC6A), (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88), (0x1BC90, 0x1BC99), (0x1BC9F, 0x1BC9F),
    (0x1D2E0, 0x1D2F3), (0x1D360, 0x1D378), (0x1D400, 0x1D454), (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2),
    (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB), (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505),
    (0x1D507, 0x1D50A), (0x1D50D, 0x1D514), (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E), (0x1D540, 0x1D544),
    (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A5), (0x1D6A8, 0x1D6C0), (0x1D6C2, 0x1D6DA), (0x1D6DC, 0x1D6FA),
    (0x1D6FC, 0x1D714), (0x1D716, 0x1D734), (0x1D736, 0x1D74E), (0x1D750, 0x1D76E), (0x1D770, 0x1D788), (0x1D78A, 0x1D7A8),
    (0x1D7AA, 0x1D7C2), (0x1D7C4, 0x1D7CB), (0x1D7CE, 0x1D7FF), (0x1DA87, 0x1DA8B), (0x1DF00, 0x1DF1E), (0x1E100, 0x1E12C),
    (0x1E137, 0x1E13D), (0x1E140, 0x1E149), (0x1E14E, 0x1E14E), (0x1E290, 0x1E2AD), (0x1E2C0, 0x1E2EB), (0x1E2F0, 0x1E2F9),
    (0x1E7E0, 0x1E7E6), (0x1E7E8, 0x1E7EB), (0x1E7ED, 0x1E7EE), (0x1E7F0, 0x1E7FE), (0x1E800, 0x1E8C4), (0x1E8C7, 0x1E8CF),
    (0x1E900, 0x1E943), (0x1E94B, 0x1E94B), (0x1E950, 0x1E959), (0x1E95E, 0x1E95F), (0x1EC71, 0x1ECAB), (0x1ECAD, 0x1ECAF),
    (0x1ECB1, 0x1ECB4), (0x1ED01, 0x1ED2D), (0x1ED2F, 0x1ED3D), (0x1EE00, 0x1EE03), (0x1EE05, 0x1EE1F), (0x1EE21, 0x1EE22),
    (0x1EE24, 0x1EE24), (0x1EE27, 0x1EE27), (0x1EE29, 0x1EE32), (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39), (0x1EE3B, 0x1EE3B),
    (0x1EE42, 0x1EE42), (0x1EE47, 0x1EE47), (0x1EE49, 0x1EE49), (0x1EE4B, 0x1EE4B), (0x1EE4D, 0x1EE4F), (0x1EE51, 0x1EE52),
    (0x1EE54, 0x1EE54), (0x1EE57, 0x1EE57), (0x1EE59, 0x1EE59), (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D), (0x1EE5F, 0x1EE5F),
    (0x1EE61, 0x1EE62), (0x1EE64, 0x1EE64), (0x1EE67, 0x1EE6A), (0x1EE6C, 0x1EE72), (0x1EE74, 0x1EE77), (0x1EE79, 0x1EE7C),
    (0x1EE7E, 0x1EE7E), (0x1EE80, 0x1EE89), (0x1EE8B, 0x1EE9B), (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9), (0x1EEAB, 0x1EEBB),
    (0x1F100, 0x1F10C), (0x1FBF0, 0x1FBF9), (0x20000, 0x2A6DF), (0x2A700, 0x2B738), (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1),
    (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D), (0x30000, 0x3134A),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::xml::parse;

    fn doc(xml: &str) -> Element {
        parse(xml).unwrap_or_else(|e| panic!("{xml:?}: {e}"))
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// `set_vcard2_multi`'s argument handling, as the caller does it.
    fn split(contents: &str) -> Vec<String> {
        contents
            .split(';')
            .filter(|piece| !piece.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn worked_example_from_the_spec() {
        let v1 = set_subfield(None, "ORG", "ORGNAME", &strings(&["ESL"]));
        assert_eq!(
            v1.to_xml(),
            "<vCard xmlns='vcard-temp'><ORG><ORGNAME>ESL</ORGNAME></ORG></vCard>"
        );
        let v2 = set_field(Some(&v1), "FN", "Al");
        let v3 = set_subfield(Some(&v2), "ORG", "ORGUNIT", &split("sales;marketing"));
        assert_eq!(
            v3.to_xml(),
            "<vCard xmlns='vcard-temp'><FN>Al</FN><ORG><ORGNAME>ESL</ORGNAME>\
             <ORGUNIT>sales</ORGUNIT><ORGUNIT>marketing</ORGUNIT></ORG></vCard>"
        );
        // The stored text parses back to the same tree.
        assert_eq!(doc(&v3.to_xml()), v3);
    }

    #[test]
    fn empty_content_gives_an_empty_text_child() {
        assert_eq!(
            set_field(None, "FN", "").to_xml(),
            "<vCard xmlns='vcard-temp'><FN></FN></vCard>"
        );
        assert_eq!(
            set_subfield(None, "N", "GIVEN", &strings(&[""])).to_xml(),
            "<vCard xmlns='vcard-temp'><N><GIVEN></GIVEN></N></vCard>"
        );
    }

    #[test]
    fn empty_multi_contents_remove_the_subfield() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><ORG><ORGUNIT>a</ORGUNIT><ORGNAME>n</ORGNAME></ORG></vCard>",
        );
        assert_eq!(
            set_subfield(Some(&v), "ORG", "ORGUNIT", &split(";;")).to_xml(),
            "<vCard xmlns='vcard-temp'><ORG><ORGNAME>n</ORGNAME></ORG></vCard>"
        );
        // Without an existing field an empty one is still added.
        assert_eq!(
            set_subfield(None, "ORG", "ORGUNIT", &[]).to_xml(),
            "<vCard xmlns='vcard-temp'><ORG/></vCard>"
        );
    }

    #[test]
    fn children_are_sorted_by_name_stably() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><TITLE>t</TITLE><BDAY>b2</BDAY><EMAIL>e</EMAIL>\
             <BDAY>b1</BDAY><ADR><LOCALITY>l</LOCALITY><CTRY>c</CTRY></ADR></vCard>",
        );
        // Untouched children keep their inner order; same-named ones their
        // relative order.
        assert_eq!(
            set_field(Some(&v), "NICKNAME", "n").to_xml(),
            "<vCard xmlns='vcard-temp'><ADR><LOCALITY>l</LOCALITY><CTRY>c</CTRY></ADR>\
             <BDAY>b2</BDAY><BDAY>b1</BDAY><EMAIL>e</EMAIL><NICKNAME>n</NICKNAME>\
             <TITLE>t</TITLE></vCard>"
        );
    }

    #[test]
    fn byte_order_puts_upper_case_first() {
        let v = doc("<vCard xmlns='vcard-temp'><b/><B/><a/><A/></vCard>");
        assert_eq!(
            set_field(Some(&v), "Z", "z").to_xml(),
            "<vCard xmlns='vcard-temp'><A/><B/><Z>z</Z><a/><b/></vCard>"
        );
    }

    #[test]
    fn only_the_first_field_is_replaced_and_duplicates_survive() {
        let v = doc("<vCard xmlns='vcard-temp'><FN>one</FN><FN>two</FN><FN>three</FN></vCard>");
        let v = set_field(Some(&v), "FN", "new");
        assert_eq!(
            v.to_xml(),
            "<vCard xmlns='vcard-temp'><FN>new</FN><FN>two</FN><FN>three</FN></vCard>"
        );
        assert_eq!(
            get_field(&v, "FN"),
            VcardLookup::Found(strings(&["new", "two", "three"]))
        );
    }

    #[test]
    fn subfield_rewrite_uses_only_the_first_field() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><ORG><ORGNAME>first</ORGNAME></ORG>\
             <ORG><ORGNAME>second</ORGNAME></ORG></vCard>",
        );
        assert_eq!(
            set_subfield(Some(&v), "ORG", "ORGUNIT", &strings(&["u"])).to_xml(),
            "<vCard xmlns='vcard-temp'><ORG><ORGNAME>first</ORGNAME><ORGUNIT>u</ORGUNIT></ORG>\
             <ORG><ORGNAME>second</ORGNAME></ORG></vCard>"
        );
    }

    #[test]
    fn subfield_rewrite_drops_attributes_text_and_old_subfields() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><N type='x'>stray<MIDDLE>m</MIDDLE><GIVEN>old1</GIVEN>\
             text<FAMILY a='1'>f</FAMILY><GIVEN>old2</GIVEN><ZZ/></N></vCard>",
        );
        assert_eq!(
            set_subfield(Some(&v), "N", "GIVEN", &strings(&["g1", "g2"])).to_xml(),
            "<vCard xmlns='vcard-temp'><N><FAMILY a='1'>f</FAMILY><GIVEN>g1</GIVEN>\
             <GIVEN>g2</GIVEN><MIDDLE>m</MIDDLE><ZZ/></N></vCard>"
        );
    }

    #[test]
    fn new_field_goes_before_remaining_same_named_ones() {
        let v = doc("<vCard xmlns='vcard-temp'><ORG><ORGNAME>1</ORGNAME></ORG><ORG><ORGNAME>2</ORGNAME></ORG><PHOTO/></vCard>");
        let v = set_subfield(Some(&v), "ORG", "ORGNAME", &strings(&["x"]));
        assert_eq!(
            v.to_xml(),
            "<vCard xmlns='vcard-temp'><ORG><ORGNAME>x</ORGNAME></ORG>\
             <ORG><ORGNAME>2</ORGNAME></ORG><PHOTO/></vCard>"
        );
        assert_eq!(
            get_subfield(&v, "ORG", "ORGNAME"),
            VcardLookup::Found(strings(&["x", "2"]))
        );
    }

    #[test]
    fn root_is_replaced_and_text_children_sort_by_text() {
        let v = doc("<vcard xmlns='other' a='b'>zz<FN>f</FN>AA<BDAY>1</BDAY></vcard>");
        assert_eq!(
            set_field(Some(&v), "NICKNAME", "n").to_xml(),
            "<vCard xmlns='vcard-temp'>AA<BDAY>1</BDAY><FN>f</FN><NICKNAME>n</NICKNAME>zz</vCard>"
        );
    }

    #[test]
    fn get_field_selection() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><FN>a<X>ignored</X>b</FN><fn>lower</fn><FN/>\
             <N><GIVEN>g</GIVEN></N></vCard>",
        );
        assert_eq!(
            get_field(&v, "FN"),
            VcardLookup::Found(strings(&["ab", ""]))
        );
        assert_eq!(get_field(&v, "NICKNAME"), VcardLookup::ValueNotFound);
        // Only direct children of the root.
        assert_eq!(get_field(&v, "GIVEN"), VcardLookup::ValueNotFound);
    }

    #[test]
    fn get_subfield_selection() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><ORG><ORGUNIT>a</ORGUNIT><ORGNAME>n</ORGNAME>\
             <ORGUNIT>b</ORGUNIT></ORG><X/><ORG><ORGUNIT>c</ORGUNIT></ORG></vCard>",
        );
        assert_eq!(
            get_subfield(&v, "ORG", "ORGUNIT"),
            VcardLookup::Found(strings(&["a", "b", "c"]))
        );
        assert_eq!(get_subfield(&v, "ORG", "X"), VcardLookup::ValueNotFound);
        assert_eq!(get_subfield(&v, "ADR", "CTRY"), VcardLookup::ValueNotFound);
    }

    #[test]
    fn search_row_extraction() {
        let v = doc(
            "<vCard xmlns='vcard-temp'><FN>Full Name</FN><FN>second</FN>\
             <N><FAMILY>Fam</FAMILY><GIVEN>Giv</GIVEN></N><N><MIDDLE>ignored</MIDDLE></N>\
             <NICKNAME>Nick</NICKNAME><BDAY>1990-01-01</BDAY>\
             <ADR><CTRY>PL</CTRY><LOCALITY>Kraków</LOCALITY></ADR>\
             <EMAIL><INTERNET/><USERID>a@b.c</USERID></EMAIL>\
             <ORG><ORGNAME>ESL</ORGNAME><ORGUNIT>dev</ORGUNIT></ORG></vCard>",
        );
        assert_eq!(
            search_row(&v),
            SearchRow {
                fn_: "Full Name".into(),
                family: "Fam".into(),
                given: "Giv".into(),
                middle: String::new(),
                nickname: "Nick".into(),
                bday: "1990-01-01".into(),
                ctry: "PL".into(),
                locality: "Kraków".into(),
                email: "a@b.c".into(),
                orgname: "ESL".into(),
                orgunit: "dev".into(),
            }
        );
        assert_eq!(search_row(&doc("<vCard/>")), SearchRow::default());
    }

    #[test]
    fn search_row_email_falls_back_to_email_text() {
        let text = doc("<vCard><EMAIL>x@y.z</EMAIL></vCard>");
        assert_eq!(search_row(&text).email, "x@y.z");
        let empty_userid = doc("<vCard><EMAIL>x@y.z<USERID></USERID></EMAIL></vCard>");
        assert_eq!(search_row(&empty_userid).email, "x@y.z");
        let both = doc("<vCard><EMAIL>x@y.z<USERID>u@v.w</USERID></EMAIL></vCard>");
        assert_eq!(search_row(&both).email, "u@v.w");
    }

    #[test]
    fn lower_casing() {
        assert_eq!(lower("Kraków ÅNGSTRÖM"), "kraków ångström");
        assert_eq!(lower("Straße"), "strasse");
        assert_eq!(lower("ＡＢＣ"), "abc");
        assert_eq!(lower("already lower"), "already lower");
        assert_eq!(lower(""), "");
        assert_eq!(try_lower("ok"), Some("ok".into()));
        // Private use characters are prohibited by stringprep.
        assert_eq!(try_lower("A\u{e000}"), None);
        assert_eq!(lower("A\u{e000}"), "a\u{e000}");
    }

    #[test]
    fn nickname_lower_casing_strips_symbols() {
        assert_eq!(lower_nickname("Cool Kid 😎🔥!"), "cool kid !");
        assert_eq!(lower_nickname("a+b=c $5 ~x"), "a+b=c $5 ~x");
        assert_eq!(lower_nickname("¿Qué? «Ça» — 漢字 ٣"), "¿qué? «ça» — 漢字 ٣");
        // Marks (a combining accent) and non-ASCII symbols go too.
        assert_eq!(lower_nickname("e\u{301}©€"), "e");
        assert_eq!(lower_nickname("tab\there"), "tab\there");
        assert_eq!(try_lower_nickname("X\u{e000}"), Some("x".into()));
    }

    #[test]
    fn lowered_rows() {
        let row = SearchRow {
            fn_: "AB".into(),
            nickname: "N😀".into(),
            ..SearchRow::default()
        };
        let lowered = SearchRow {
            fn_: "ab".into(),
            nickname: "n".into(),
            ..SearchRow::default()
        };
        assert_eq!(row.try_lowered(), Some(lowered.clone()));
        assert_eq!(row.lowered(), lowered);
        let bad = SearchRow {
            orgunit: "\u{e000}".into(),
            ..row
        };
        assert_eq!(bad.try_lowered(), None);
        assert_eq!(bad.lowered().orgunit, "\u{e000}");
    }

    #[test]
    fn nickname_table_is_sorted_and_disjoint() {
        for pair in NON_ASCII_NICKNAME_CHARS.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0);
        }
    }
}
