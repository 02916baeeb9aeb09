//! PCRE as Erlang's `re` module runs it: PCRE 8.45, 8-bit library, no compile options,
//! subjects matched as bytes.
//!
//! Two parts:
//!
//! * [`check`](crate::compat::pcre::check) — a validator reproducing PCRE 8.45's compiler: whether `re:compile/1` accepts
//!   a pattern, and if not, PCRE's own error text and offset (`{"nothing to repeat",0}`).
//! * [`Regex`](crate::compat::pcre::Regex) — matching. A pattern the validator accepts is rewritten into an equivalent
//!   PCRE2 pattern (the validator records the rewrites while it parses) and compiled with the
//!   `pcre2` crate (`pcre2::bytes`, no options: byte mode unless the pattern starts with
//!   `(*UTF)`), JIT-compiled when the JIT is available. The validator alone decides what is
//!   accepted; PCRE2 only runs what it accepted.
//!
//! # Limits
//!
//! Erlang's `re:run/3` stops at its match limit (10,000,000, compiled into the VM) and then
//! returns `nomatch`. The `pcre2` crate exposes no match-context limits (only the JIT stack
//! size), so the limits are put in the pattern itself, where they can only lower what the
//! library allows: every PCRE2 source starts with `(*LIMIT_MATCH=`[`MATCH_LIMIT`](crate::compat::pcre::MATCH_LIMIT)`)`
//! `(*LIMIT_DEPTH=`[`RECURSION_LIMIT`](crate::compat::pcre::RECURSION_LIMIT)`)(*LIMIT_HEAP=`[`HEAP_LIMIT_KIB`](crate::compat::pcre::HEAP_LIMIT_KIB)`)` (lower values from
//! the pattern's own `(*LIMIT_MATCH=n)` / `(*LIMIT_RECURSION=n)` win, as in PCRE 8.45). The
//! JIT stack is capped at [`JIT_STACK_MAX`](crate::compat::pcre::JIT_STACK_MAX); a match that exhausts it is run again by the
//! interpreter. Any match error (limit reached, recursion loop, ...) is "no match", never a
//! panic: `(a+)+$` against 5,000 bytes ends at the match limit in milliseconds. Because the
//! match counter restarts at every start position (in PCRE 8.45 too), the per-position limit
//! is lowered for long subjects (see [`TOTAL_MATCH_BUDGET`](crate::compat::pcre::TOTAL_MATCH_BUDGET)):
//! a deviation, Erlang's `re` can run (n + 1) × 10,000,000 steps, each up to n bytes, on an
//! n-byte subject. The step
//! counts of PCRE2 (and of its JIT) are not PCRE 8.45's, so a match needing close to the limit
//! may end differently.
//!
//! # PCRE 8.45 vs PCRE2 (the bundled 10.46)
//!
//! Rewritten for PCRE2 (each one has a `diff_*` test):
//!
//! * Character escapes introduced by a letter or digit (`\n`, `\x41`, `\101`, `\o{101}`,
//!   `\cA`, unknown letters such as `\j`, `\8`, `\9`) become `\x{..}`: PCRE2 rejects unknown
//!   letter escapes (PCRE 8.45 without `(?X)` reads them as the letter), rejects `\c` before a
//!   non-printable character, and reads `\8` / `\9` as back references. Numbered back
//!   references (`\1`, `\g2`, `\g{-1}`) become absolute `\g{n}`.
//! * In a class, the escapes PCRE 8.45 reads as their letter (`[\R]`, `[\X]`, `[\B]`, `[\k]`,
//!   ...) become `\x{..}` (PCRE2: error); a hyphen right after a class type (`[\d-z]`,
//!   `[[:alpha:]-z]`) becomes `\-` (PCRE2: error).
//! * `{` that does not start a quantifier for PCRE 8.45 becomes `\{`: PCRE2 >= 10.43 reads
//!   `{,n}` and `{ n }` as quantifiers.
//! * Extended mode (`(?x)`): PCRE2 also skips U+0085 (also a byte of many UTF-8 sequences in
//!   byte mode) and reads `(?xx)` as "extended more" (white space ignored in classes too). The
//!   white space and `#` comments PCRE 8.45 skips are removed from the PCRE2 source and `x` is
//!   dropped from option settings.
//! * `(?X)` (PCRE_EXTRA) does not exist in PCRE2: dropped (its strict escapes are checked by
//!   the validator).
//! * `(*LIMIT_MATCH=n)`, `(*LIMIT_RECURSION=n)`: PCRE 8.45 keeps the lowest of each, PCRE2
//!   the last; the lowest is emitted once, as `(*LIMIT_MATCH=)` / `(*LIMIT_DEPTH=)`.
//! * Recursion and subroutine calls (`(?R)`, `(?1)`, `(?-1)`, `(?&n)`, `(?P>n)`, `\g<n>`) are
//!   atomic in PCRE 8.45, not in PCRE2 >= 10.30: each call is wrapped in `(?>...)`.
//! * Undelimited condition names (`(?(name)...)`) are delimited (`(?(<name>)...)`): PCRE 8.45
//!   looks the name up first, PCRE2 reads `(?(DEFINE)` as a DEFINE group whatever groups
//!   exist. `(?(Rn)` for a group that does not exist (accepted by PCRE 8.45, never true) is
//!   rejected by PCRE2: it becomes `(?(?!)`.
//! * `\K` in a lookaround: PCRE 8.45 ignores it in negative assertions (dropped) and honours
//!   it in positive ones; PCRE2 >= 10.38 rejects both without an option the crate does not
//!   expose, so `\K` in a positive lookaround is reported as unsupported.
//! * Script properties (`\p{Latin}`): PCRE2 >= 10.40 matches the Script_Extensions property
//!   (U+00B7 is then `\p{Latin}`); they become `\p{sc:Latin}`, the Script property PCRE 8.45
//!   uses.
//! * Caseless `\p{Lu}`, `\p{Ll}`, `\p{Lt}`: PCRE2 >= 10.45 matches them as `\p{L&}`, PCRE 8.45
//!   ignores caselessness for them: outside a class they become `(?-i:\p{Lu})`; inside a class
//!   they are reported as unsupported. Caseless `[:upper:]` / `[:lower:]` become `[:alpha:]`,
//!   as PCRE 8.45 does before `(*UCP)` maps them to properties (PCRE2 does not in UCP mode).
//! * `(*UCP)` without UTF: PCRE2 folds the case of bytes above 0x7f with Unicode rules,
//!   PCRE 8.45 does not (its tables fold ASCII only). A caseless literal, class or back
//!   reference that could meet such a byte in that mode is reported as unsupported.
//! * Backtracking control verbs: PCRE2's JIT does not always apply `(*PRUNE)` as its
//!   interpreter (and PCRE 8.45, which Erlang runs without JIT) does: patterns with verbs run in
//!   the interpreter.
//!
//! The same in both (tested): `\C` (one byte, also in UTF mode); `(?J)` and duplicate names
//! (a reference matches the set group); `\N` and `\N{3}` (`\N{name}` / `\N{U+..}` are rejected
//! by the validator); `(*UTF)` / `(*UTF8)`, `(*UCP)`, newline and `\R` conventions; `$`
//! (no DOLLAR_ENDONLY: before a final newline too); `[]a]` / `[^]a]` (no ALLOW_EMPTY_CLASS,
//! `[]` is an error); branch reset groups `(?|...)`; `(*COMMIT)`, `(*PRUNE)`, `(*SKIP)`,
//! `(*THEN)`, `(*ACCEPT)`, `(*MARK)` (an empty verb argument is no argument in both);
//! repeated assertions and DEFINE groups; byte-mode `.`, `\w`, `\s` (VT included), `\h`,
//! `\v`, ASCII-only case folding. PCRE2-only syntax (`(*NUL)`, `(*LIMIT_HEAP=)`, `\p{sc:..}`,
//! loose property names, `(?^)`, `(?n)`, variable-length lookbehind, ...) is rejected by the
//! validator as PCRE 8.45 rejects it. Unicode tables differ (PCRE 8.45 has Unicode 8, PCRE2
//! 10.46 Unicode 16): characters assigned since Unicode 8 differ in UTF / UCP mode.
//!
//! Anything else PCRE2 refuses to compile (e.g. 250 nested groups plus the atomic group of a
//! call) is reported by [`Regex::new`](crate::compat::pcre::Regex::new) as [`CompileError::Unsupported`](crate::compat::pcre::CompileError::Unsupported), never mismatched.

use std::fmt;

/// A compile error: PCRE's message and the byte offset it reports, as `re:compile/1` returns
/// them in `{error, {Message, Offset}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcreError {
    /// PCRE 8.45's error text, e.g. `nothing to repeat`.
    pub message: &'static str,
    /// Byte offset in the pattern.
    pub offset: usize,
}

impl fmt::Display for PcreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset)
    }
}

impl std::error::Error for PcreError {}

// PCRE error numbers used here.
const ERR1: u8 = 1;
const ERR2: u8 = 2;
const ERR3: u8 = 3;
const ERR4: u8 = 4;
const ERR5: u8 = 5;
const ERR6: u8 = 6;
const ERR7: u8 = 7;
const ERR8: u8 = 8;
const ERR9: u8 = 9;
const ERR12: u8 = 12;
const ERR13: u8 = 13;
const ERR14: u8 = 14;
const ERR15: u8 = 15;
const ERR18: u8 = 18;
const ERR22: u8 = 22;
const ERR24: u8 = 24;
const ERR25: u8 = 25;
const ERR26: u8 = 26;
const ERR27: u8 = 27;
const ERR28: u8 = 28;
const ERR29: u8 = 29;
const ERR30: u8 = 30;
const ERR31: u8 = 31;
const ERR34: u8 = 34;
const ERR35: u8 = 35;
const ERR37: u8 = 37;
const ERR38: u8 = 38;
const ERR39: u8 = 39;
const ERR41: u8 = 41;
const ERR42: u8 = 42;
const ERR43: u8 = 43;
const ERR44: u8 = 44;
const ERR46: u8 = 46;
const ERR47: u8 = 47;
const ERR48: u8 = 48;
const ERR51: u8 = 51;
const ERR54: u8 = 54;
const ERR57: u8 = 57;
const ERR58: u8 = 58;
const ERR59: u8 = 59;
const ERR60: u8 = 60;
const ERR61: u8 = 61;
const ERR62: u8 = 62;
const ERR63: u8 = 63;
const ERR65: u8 = 65;
const ERR66: u8 = 66;
const ERR68: u8 = 68;
const ERR69: u8 = 69;
const ERR71: u8 = 71;
const ERR73: u8 = 73;
const ERR75: u8 = 75;
const ERR79: u8 = 79;
const ERR80: u8 = 80;
const ERR81: u8 = 81;
const ERR82: u8 = 82;
const ERR83: u8 = 83;
const ERR84: u8 = 84;
const ERR86: u8 = 86;

fn message(code: u8) -> &'static str {
    match code {
        1 => "\\ at end of pattern",
        2 => "\\c at end of pattern",
        3 => "unrecognized character follows \\",
        4 => "numbers out of order in {} quantifier",
        5 => "number too big in {} quantifier",
        6 => "missing terminating ] for character class",
        7 => "invalid escape sequence in character class",
        8 => "range out of order in character class",
        9 => "nothing to repeat",
        12 => "unrecognized character after (? or (?-",
        13 => "POSIX named classes are supported only within a class",
        14 => "missing )",
        15 => "reference to non-existent subpattern",
        18 => "missing ) after comment",
        22 => "unmatched parentheses",
        24 => "unrecognized character after (?<",
        25 => "lookbehind assertion is not fixed length",
        26 => "malformed number or name after (?(",
        27 => "conditional group contains more than two branches",
        28 => "assertion expected after (?(",
        29 => "(?R or (?[+-]digits must be followed by )",
        30 => "unknown POSIX class name",
        31 => "POSIX collating elements are not supported",
        34 => "character value in \\x{} or \\o{} is too large",
        35 => "invalid condition (?(0)",
        37 => "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u",
        38 => "number after (?C is > 255",
        39 => "closing ) for (?C expected",
        41 => "unrecognized character after (?P",
        42 => "syntax error in subpattern name (missing terminator)",
        43 => "two named subpatterns have the same name",
        44 => "invalid UTF-8 string",
        46 => "malformed \\P or \\p sequence",
        47 => "unknown property name after \\P or \\p",
        48 => "subpattern name is too long (maximum 32 characters)",
        49 => "too many named subpatterns (maximum 10000)",
        51 => "octal value is greater than \\377 in 8-bit non-UTF-8 mode",
        54 => "DEFINE group contains more than one branch",
        57 => "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number",
        58 => "a numbered reference must not be zero",
        59 => "an argument is not allowed for (*ACCEPT), (*FAIL), or (*COMMIT)",
        60 => "(*VERB) not recognized or malformed",
        61 => "number is too big",
        62 => "subpattern name expected",
        63 => "digit expected after (?+",
        65 => "different names for subpatterns of the same number are not allowed",
        66 => "(*MARK) must have an argument",
        68 => "\\c must be followed by an ASCII character",
        69 => "\\k is not followed by a braced, angle-bracketed, or quoted name",
        71 => "\\N is not supported in a class",
        73 => "disallowed Unicode code point (>= 0xd800 && <= 0xdfff)",
        75 => "name is too long in (*MARK), (*PRUNE), (*SKIP), or (*THEN)",
        79 => "non-hex character in \\x{} (closing brace missing?)",
        80 => "non-octal character in \\o{} (closing brace missing?)",
        81 => "missing opening brace after \\o",
        82 => "parentheses are too deeply nested",
        83 => "invalid range in character class",
        84 => "group name must start with a non-digit",
        86 => "digits missing in \\x{} or \\o{}",
        _ => "internal error",
    }
}

fn err(code: u8, offset: usize) -> PcreError {
    PcreError {
        message: message(code),
        offset,
    }
}

const PARENS_NEST_LIMIT: u32 = 250;
const MAX_NAME_SIZE: usize = 32;
const MAX_NAME_COUNT: usize = 10_000;
const MAX_MARK: usize = 255;

// ---------------------------------------------------------------------------------------
// Class names

/// A POSIX class name inside `[...]`: its index in PCRE's table order as far as it matters
/// here (0 = alpha, 1 = lower, 2 = upper, 3 = any other), or `None` if unknown.
fn posix_class(name: &[u8]) -> Option<usize> {
    match name {
        b"alpha" => Some(0),
        b"lower" => Some(1),
        b"upper" => Some(2),
        b"alnum" | b"ascii" | b"blank" | b"cntrl" | b"digit" | b"graph" | b"print" | b"punct"
        | b"space" | b"word" | b"xdigit" => Some(3),
        _ => None,
    }
}

/// What a `\p{...}` name is in PCRE 8.45 (general categories, special properties, scripts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Property {
    /// A general category or one of PCRE's special properties (`Any`, `L&`, `Xan`, ...).
    Category,
    /// A script name.
    Script,
}

/// PCRE 8.45's general categories and special properties (`\p{..}` names, exact case).
const CATEGORIES: &[&str] = &[
    "Any", "L&", "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc",
    "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc",
    "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "Xan", "Xps", "Xsp", "Xwd", "Xuc",
];
/// PCRE 8.45's script names.
const SCRIPTS: &[&str] = &[
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Ethiopic",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hanunoo",
    "Hebrew",
    "Hiragana",
    "Imperial_Aramaic",
    "Inherited",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kayah_Li",
    "Kharoshthi",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Myanmar",
    "Nabataean",
    "New_Tai_Lue",
    "Nko",
    "Ogham",
    "Ol_Chiki",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Oriya",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "Sinhala",
    "Sora_Sompeng",
    "Sundanese",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Ugaritic",
    "Vai",
    "Warang_Citi",
    "Yi",
];
/// What `name` is in PCRE 8.45's property table.
fn property(name: &[u8]) -> Option<Property> {
    let name = std::str::from_utf8(name).ok()?;
    if CATEGORIES.contains(&name) {
        Some(Property::Category)
    } else if SCRIPTS.contains(&name) {
        Some(Property::Script)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------
// AST (only what the validation needs: match lengths for lookbehinds, branch counts)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    /// Capturing, non-capturing, atomic, option-setting and branch-reset groups.
    Plain,
    LookAhead,
    NegLookAhead,
    LookBehind,
    NegLookBehind,
}

impl GroupKind {
    fn is_lookaround(self) -> bool {
        self != GroupKind::Plain
    }

    fn is_negative(self) -> bool {
        matches!(self, GroupKind::NegLookAhead | GroupKind::NegLookBehind)
    }
}

#[derive(Debug, Clone)]
enum Node {
    /// Zero-width: assertions (`^`, `\b`, ...), `\K`, `(*FAIL)`, callouts, verbs.
    Empty,
    /// Exactly one character: literals, `.`, classes, `\d`, `\C`, ...
    Char,
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Group(GroupKind, Box<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    Cond {
        define: bool,
        yes: Box<Node>,
        no: Option<Box<Node>>,
    },
    /// No fixed length as the validator computes it: back references, recursion and
    /// subroutine calls, `\R`, `\X`, backtracking control verbs.
    Variable,
}

impl Node {
    fn is_lookaround(&self) -> bool {
        matches!(self, Node::Group(kind, _) if kind.is_lookaround())
    }

    /// Fixed match length as PCRE computes it for lookbehind branches (None = variable).
    fn fixed_length(&self) -> Option<u64> {
        match self {
            Node::Empty => Some(0),
            Node::Char => Some(1),
            Node::Seq(items) => items
                .iter()
                .try_fold(0u64, |acc, n| n.fixed_length().map(|l| acc + l)),
            Node::Alt(branches) => {
                let mut len = None;
                for b in branches {
                    let l = b.fixed_length()?;
                    match len {
                        None => len = Some(l),
                        Some(x) if x != l => return None,
                        Some(_) => {}
                    }
                }
                Some(len.unwrap_or(0))
            }
            Node::Group(kind, body) => {
                if kind.is_lookaround() {
                    Some(0)
                } else {
                    body.fixed_length()
                }
            }
            Node::Repeat { node, min, max } => {
                if *max == Some(0) {
                    return Some(0);
                }
                if Some(*min) != *max {
                    return None;
                }
                node.fixed_length().map(|l| l * u64::from(*min))
            }
            Node::Cond { yes, no, .. } => {
                let y = yes.fixed_length()?;
                match no {
                    None => Some(y),
                    Some(n) => (n.fixed_length()? == y).then_some(y),
                }
            }
            Node::Variable => None,
        }
    }
}

fn seq(mut items: Vec<Node>) -> Node {
    match items.len() {
        0 => Node::Empty,
        1 => items.pop().unwrap_or(Node::Empty),
        _ => Node::Seq(items),
    }
}

fn alt(mut branches: Vec<Node>) -> Node {
    if branches.len() == 1 {
        branches.pop().unwrap_or(Node::Empty)
    } else {
        Node::Alt(branches)
    }
}

// ---------------------------------------------------------------------------------------
// Parser

#[derive(Debug, Clone, Copy, Default)]
struct Opts {
    caseless: bool,
    extended: bool,
    extra: bool,
    dupnames: bool,
}

/// Checks PCRE makes only in its second compile pass; reported only when the first pass
/// found nothing, in pattern order.
#[derive(Debug)]
enum Deferred {
    Error(u8, usize),
    /// A named reference (back reference, recursion, `\g{name}`): the name must exist.
    NameExists(Vec<u8>, usize),
    /// A recursion/subroutine call to group `n` (0 = whole pattern).
    GroupExists(u32, usize),
    /// `(?(name)` / `(?(digits)` / `(?(Rdigits)` / `(?(DEFINE)` conditions.
    Condition {
        name: Vec<u8>,
        recno: Option<u32>,
        terminated: bool,
        offset: usize,
    },
    /// `(?(+n)` / `(?(-n)` conditions, already resolved (`None` = zero).
    RelativeCondition(Option<i64>, usize),
}

/// An escape sequence's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Esc {
    Char(u32),
    Backref(u32),
    /// A special (letter) escape such as `\d`, `\b`, `\Q`.
    Special(u8),
    /// `\g<...>` / `\g'...'` subroutine call.
    SubroutineG,
    /// `\k` or `\g{name}`: a named back reference.
    NamedK,
}

struct Parser<'a> {
    pat: &'a [u8],
    pos: usize,
    utf: bool,
    bracount: u32,
    names: Vec<(Vec<u8>, u32)>,
    deferred: Vec<Deferred>,
    top_backref: u32,
    depth: u32,
    cond_assert: bool,
    // --- translation to PCRE2 ---
    /// `(*UCP)` was given.
    ucp: bool,
    /// Lowest `(*LIMIT_MATCH=n)` / `(*LIMIT_RECURSION=n)` given (PCRE 8.45 keeps the lowest).
    limit_match: Option<u32>,
    limit_recursion: Option<u32>,
    /// Rewrites of the pattern text, in pattern order (see [`translate`]).
    edits: Vec<Edit>,
    /// Undelimited `(?(name)` conditions: (span of `name`, name), resolved when all names are
    /// known.
    name_conds: Vec<(usize, usize, Vec<u8>)>,
    /// Backtracking control verbs are used (PCRE2's JIT does not always apply them as the
    /// interpreter does, and Erlang runs PCRE 8.45 without JIT).
    verbs: bool,
    /// Set when the pattern uses something the PCRE2 translation cannot reproduce.
    unsupported: Option<&'static str>,
}

/// A replacement of `pat[start..end]` (an insertion when `start == end`).
#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// Check a pattern as `re:compile(Pattern)` (PCRE 8.45, 8-bit library, no options) would:
/// `Ok` if it compiles, else PCRE's error message and offset.
pub fn check(pattern: &[u8]) -> Result<(), PcreError> {
    parse(pattern).map(|_| ())
}

/// Run the validator; on success the parser holds what the translation needs.
fn parse(pattern: &[u8]) -> Result<Parser<'_>, PcreError> {
    // PCRE sees a C string: a NUL ends the pattern.
    let end = pattern
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(pattern.len());
    let pat = pattern.get(..end).unwrap_or_default();
    let mut p = Parser {
        pat,
        pos: 0,
        utf: false,
        bracount: 0,
        names: Vec::new(),
        deferred: Vec::new(),
        top_backref: 0,
        depth: 0,
        cond_assert: false,
        ucp: false,
        limit_match: None,
        limit_recursion: None,
        edits: Vec::new(),
        name_conds: Vec::new(),
        verbs: false,
        unsupported: None,
    };
    p.start_settings()?;
    p.parse_pattern()?;
    // Second-pass checks.
    p.run_deferred()?;
    if p.pos < p.pat.len() {
        return Err(err(ERR22, p.pos));
    }
    if p.top_backref > p.bracount {
        return Err(err(ERR15, p.pat.len()));
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------------
// Matching with PCRE2

/// Erlang's default `match_limit` (compiled into the VM; `re:run` returns `nomatch` when a
/// match hits it). PCRE2 gets it as `(*LIMIT_MATCH=...)`.
pub const MATCH_LIMIT: u32 = 10_000_000;
/// Erlang's default `match_limit_recursion`, given to PCRE2 as `(*LIMIT_DEPTH=...)` (PCRE2's
/// backtracking depth; the JIT ignores it).
pub const RECURSION_LIMIT: u32 = 10_000_000;
/// Bound on the work of one match of an n-byte subject, in match-limit units × n. PCRE2, like
/// PCRE 8.45, restarts its match counter at every start position, and one unit (entering a
/// group, a backtracking point) may scan or compare up to n bytes uncounted (a repeated back
/// reference, a character repeat), so a match can do (n + 1) × MATCH_LIMIT × n steps:
/// `(\w|(?i)(?:\1|\d)*+)*?\z` ran 30 s on 4,000 bytes. The per-position limit is therefore
/// `min(MATCH_LIMIT, TOTAL_MATCH_BUDGET / 2^⌈log2((n + 1)²)⌉)`: subjects up to 3 bytes keep
/// Erlang's 10,000,000; a 10-byte one gets 2,097,152, a 40-byte JID 131,072, a 100-byte one
/// 16,384, a 1,000-byte one 256. Reaching it is "no match", as reaching Erlang's limit is.
pub const TOTAL_MATCH_BUDGET: u64 = 1 << 28;
/// Bound on the memory PCRE2's interpreter may use for one match, in KiB (PCRE 8.45 has no
/// such limit; this only keeps a pathological match from exhausting memory).
pub const HEAP_LIMIT_KIB: u32 = 256 * 1024;
/// Maximum size of the JIT stack, in bytes. A match that needs more is run again by the
/// interpreter, whose only limits are the three above. (Patterns with backtracking control
/// verbs always run in the interpreter: PCRE2's JIT does not always apply `(*PRUNE)` as the
/// interpreter — and PCRE 8.45, which Erlang runs without JIT — does.)
pub const JIT_STACK_MAX: usize = 1 << 20;
/// `PCRE2_ERROR_JIT_STACKLIMIT`.
const PCRE2_ERROR_JIT_STACKLIMIT: i32 = -46;

/// Why [`Regex::new`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompileError {
    /// PCRE 8.45 rejects the pattern (as `re:compile/1` would).
    Pcre(PcreError),
    /// PCRE 8.45 accepts the pattern but PCRE2 cannot be made to run it the same way: what it
    /// uses, e.g. `\K in a positive lookaround assertion`.
    Unsupported(String),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Pcre(e) => e.fmt(f),
            CompileError::Unsupported(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CompileError {}

/// A pattern as Erlang's `re` compiles it (PCRE 8.45, 8-bit, no options), run by PCRE2.
///
/// Subjects are byte strings, matched as `re:run/3` matches a binary: byte by byte, unless the
/// pattern starts with `(*UTF)` / `(*UTF8)` (then the subject must be UTF-8, as Rust strings
/// are).
#[derive(Clone)]
pub struct Regex {
    /// The PCRE2 source (see [`Regex::pcre2_source`]).
    source: String,
    /// JIT-compiled when the JIT is available; `None` for patterns with backtracking
    /// control verbs.
    jit: Option<pcre2::bytes::Regex>,
    /// The same pattern without the JIT, for those patterns and for matches that exhaust
    /// the JIT stack.
    interpreter: pcre2::bytes::Regex,
    /// The match limit in `source` (Erlang's, or the pattern's own lower one).
    match_limit: u32,
    /// Whether the pattern uses backtracking control verbs (interpreter only).
    verbs: bool,
    /// Variants with a lower per-position match limit for long subjects (see
    /// [`TOTAL_MATCH_BUDGET`]), compiled on first use, indexed by [`limit_bucket`];
    /// `None` if one cannot be compiled (the pattern itself then is used).
    reduced: std::sync::Arc<[std::sync::OnceLock<Option<Compiled>>; 65]>,
}

/// ⌈log2((len + 1)²)⌉: the per-position match limit of a `len`-byte subject is
/// `TOTAL_MATCH_BUDGET >> limit_bucket(len)` (0..=64).
fn limit_bucket(len: usize) -> u32 {
    let positions = u64::try_from(len).unwrap_or(u64::MAX).saturating_add(1);
    positions
        .saturating_mul(positions)
        .checked_next_power_of_two()
        .map_or(64, u64::trailing_zeros)
}

/// One compiled form of a pattern: JIT (when available and usable) and interpreter.
#[derive(Clone)]
struct Compiled {
    jit: Option<pcre2::bytes::Regex>,
    interpreter: pcre2::bytes::Regex,
}

/// Compiles a PCRE2 source: the interpreter, and the JIT unless `verbs`.
fn compile(source: &str, verbs: bool) -> Result<Compiled, CompileError> {
    let build = |jit: bool| {
        let mut b = pcre2::bytes::RegexBuilder::new();
        if jit {
            b.jit_if_available(true)
                .max_jit_stack_size(Some(JIT_STACK_MAX));
        }
        b.build(source).map_err(|e| {
            CompileError::Unsupported(format!("cannot be compiled by PCRE2 ({e}; as {source:?})"))
        })
    };
    let jit = if verbs { None } else { Some(build(true)?) };
    let interpreter = build(false)?;
    Ok(Compiled { jit, interpreter })
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Regex").field(&self.source).finish()
    }
}

impl Regex {
    /// Validate `pattern` as PCRE 8.45 does, then compile its PCRE2 translation.
    pub fn new(pattern: &str) -> Result<Regex, CompileError> {
        let (source, verbs, match_limit) = translate(pattern)?;
        let Compiled { jit, interpreter } = compile(&source, verbs)?;
        Ok(Regex {
            source,
            jit,
            interpreter,
            match_limit,
            verbs,
            reduced: std::sync::Arc::new(std::array::from_fn(|_| std::sync::OnceLock::new())),
        })
    }

    /// The per-start-position match limit used for a subject of `len` bytes: Erlang's (or the
    /// pattern's), lowered for long subjects (see [`TOTAL_MATCH_BUDGET`]); at least 1.
    pub fn match_limit_for(&self, len: usize) -> u32 {
        let share = TOTAL_MATCH_BUDGET
            .checked_shr(limit_bucket(len))
            .unwrap_or(0)
            .max(1);
        u32::try_from(share).map_or(self.match_limit, |s| s.min(self.match_limit))
    }

    /// The compiled form for a subject of `len` bytes (see [`Regex::match_limit_for`]).
    fn for_len(&self, len: usize) -> (Option<&pcre2::bytes::Regex>, &pcre2::bytes::Regex) {
        let default = (self.jit.as_ref(), &self.interpreter);
        let limit = self.match_limit_for(len);
        if limit >= self.match_limit {
            return default;
        }
        let Some(slot) = usize::try_from(limit_bucket(len))
            .ok()
            .and_then(|b| self.reduced.get(b))
        else {
            return default;
        };
        let prefix = format!("(*LIMIT_MATCH={})", self.match_limit);
        let compiled = slot.get_or_init(|| {
            let rest = self.source.strip_prefix(&prefix)?;
            compile(&format!("(*LIMIT_MATCH={limit}){rest}"), self.verbs).ok()
        });
        match compiled {
            Some(c) => (c.jit.as_ref(), &c.interpreter),
            None => default,
        }
    }

    /// The pattern as given to PCRE2.
    pub fn pcre2_source(&self) -> &str {
        &self.source
    }

    /// The leftmost match of the pattern in `subject` (PCRE's backtracking, leftmost-first
    /// semantics): the byte span of every group, index 0 being the whole match, `None` for a
    /// group that did not take part. `None` when there is no match — also when matching
    /// fails (match, depth or heap limit reached, ...), as `re:run/3` then returns `nomatch`.
    pub fn captures(&self, subject: &[u8]) -> Option<Vec<Option<(usize, usize)>>> {
        let (jit, interpreter) = self.for_len(subject.len());
        match run(jit.unwrap_or(interpreter), subject) {
            Ok(found) => found,
            Err(e) if e.code() == PCRE2_ERROR_JIT_STACKLIMIT => {
                run(interpreter, subject).ok().flatten()
            }
            Err(_) => None,
        }
    }

    /// Whether the pattern matches somewhere in `subject` (see [`Regex::captures`]).
    pub fn is_match(&self, subject: &[u8]) -> bool {
        self.captures(subject).is_some()
    }
}

type Spans = Vec<Option<(usize, usize)>>;

fn run(re: &pcre2::bytes::Regex, subject: &[u8]) -> Result<Option<Spans>, pcre2::Error> {
    let mut locs = re.capture_locations();
    Ok(re
        .captures_read(&mut locs, subject)?
        .map(|_| (0..locs.len()).map(|i| locs.get(i)).collect()))
}

/// The PCRE2 source for a pattern PCRE 8.45 accepts: the pattern with the validator's
/// rewrites applied (see the module documentation), after Erlang's limits; and whether it
/// uses backtracking control verbs.
fn translate(pattern: &str) -> Result<(String, bool, u32), CompileError> {
    let mut p = parse(pattern.as_bytes()).map_err(CompileError::Pcre)?;
    p.resolve_names();
    if let Some(what) = p.unsupported {
        return Err(CompileError::Unsupported(format!(
            "uses {what}, which PCRE2 cannot reproduce"
        )));
    }
    let mut edits = std::mem::take(&mut p.edits);
    // Stable: insertions at one position stay in pattern order.
    edits.sort_by_key(|e| e.start);
    let match_limit = p.limit_match.map_or(MATCH_LIMIT, |l| l.min(MATCH_LIMIT));
    let depth_limit = p
        .limit_recursion
        .map_or(RECURSION_LIMIT, |l| l.min(RECURSION_LIMIT));
    let mut out = format!(
        "(*LIMIT_MATCH={match_limit})(*LIMIT_DEPTH={depth_limit})(*LIMIT_HEAP={HEAP_LIMIT_KIB})"
    )
    .into_bytes();
    let mut cursor = 0;
    for e in &edits {
        let Some(kept) = p.pat.get(cursor..e.start) else {
            return Err(CompileError::Unsupported(
                "overlapping rewrites (a bug in the translation)".to_string(),
            ));
        };
        out.extend_from_slice(kept);
        out.extend_from_slice(e.text.as_bytes());
        cursor = e.end;
    }
    out.extend_from_slice(p.pat.get(cursor..).unwrap_or_default());
    let source = String::from_utf8(out).map_err(|_| {
        CompileError::Unsupported("a rewrite that splits a UTF-8 sequence".to_string())
    })?;
    Ok((source, p.verbs, match_limit))
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | 0x09..=0x0d)
}

/// Bytes 0x80..=0xff whose other case (Unicode rules) is also a byte: À-Þ and à-þ, except
/// × and ÷.
fn latin1_other_case(c: u32) -> bool {
    matches!(c, 0xc0..=0xde | 0xe0..=0xfe) && c != 0xd7 && c != 0xf7
}

/// The one PCRE 8.45 behaviour PCRE2 cannot be made to reproduce (see the module doc).
const UCP_CASELESS: &str = "caseless matching of bytes above 0x7f in (*UCP) mode without (*UTF)";

impl<'a> Parser<'a> {
    fn at(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    fn cur(&self) -> u8 {
        self.at(self.pos)
    }

    fn fail(&self, code: u8) -> PcreError {
        err(code, self.pos)
    }

    fn unsupported(&mut self, what: &'static str) {
        if self.unsupported.is_none() {
            self.unsupported = Some(what);
        }
    }

    fn starts_with_at(&self, i: usize, s: &[u8]) -> bool {
        self.pat.get(i..).is_some_and(|rest| rest.starts_with(s))
    }

    /// Record a rewrite of `pat[start..end]` for PCRE2.
    fn edit(&mut self, start: usize, end: usize, text: impl Into<String>) {
        self.edits.push(Edit {
            start,
            end,
            text: text.into(),
        });
    }

    /// `(*UTF8)`, `(*UCP)`, `(*CR)`, ... at the very start of the pattern.
    fn start_settings(&mut self) -> Result<(), PcreError> {
        const FIXED: &[(&[u8], &str)] = &[
            (b"UTF8)", "utf"),
            (b"UTF)", "utf"),
            (b"UCP)", "ucp"),
            (b"NO_AUTO_POSSESS)", ""),
            (b"NO_START_OPT)", ""),
            (b"CRLF)", ""),
            (b"CR)", ""),
            (b"LF)", ""),
            (b"ANYCRLF)", ""),
            (b"ANY)", ""),
            (b"BSR_ANYCRLF)", ""),
            (b"BSR_UNICODE)", ""),
        ];
        'outer: while self.cur() == b'(' && self.at(self.pos + 1) == b'*' {
            let start = self.pos;
            let after = self.pos + 2;
            for (name, effect) in FIXED {
                if self.starts_with_at(after, name) {
                    self.pos = after + name.len();
                    match *effect {
                        "utf" => self.utf = true,
                        "ucp" => self.ucp = true,
                        _ => {}
                    }
                    continue 'outer;
                }
            }
            for (i, prefix) in [&b"LIMIT_MATCH="[..], &b"LIMIT_RECURSION="[..]]
                .into_iter()
                .enumerate()
            {
                if self.starts_with_at(after, prefix) {
                    let mut p = after + prefix.len();
                    let mut value: u32 = 0;
                    while self.at(p).is_ascii_digit() {
                        value = value
                            .saturating_mul(10)
                            .saturating_add(u32::from(self.at(p) - b'0'));
                        p += 1;
                    }
                    if self.at(p) != b')' {
                        break 'outer;
                    }
                    self.pos = p + 1;
                    // PCRE 8.45 keeps the lowest value of each; the translation emits that
                    // one (and PCRE2's own settings) in front of the pattern.
                    let slot = if i == 0 {
                        &mut self.limit_match
                    } else {
                        &mut self.limit_recursion
                    };
                    *slot = Some(slot.map_or(value, |v| v.min(value)));
                    self.edit(start, self.pos, "");
                    continue 'outer;
                }
            }
            break;
        }
        if self.utf {
            if let Err(e) = std::str::from_utf8(self.pat) {
                return Err(err(ERR44, e.valid_up_to()));
            }
        }
        Ok(())
    }

    /// One character of the pattern (a whole UTF-8 sequence in UTF mode); leaves `pos` on
    /// its last byte.
    fn read_char(&mut self) -> u32 {
        let c = self.cur();
        if self.utf && c >= 0xc0 {
            let len = if c >= 0xf0 {
                4
            } else if c >= 0xe0 {
                3
            } else {
                2
            };
            let bytes = self.pat.get(self.pos..self.pos + len).unwrap_or_default();
            if let Some(ch) = std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.chars().next())
            {
                self.pos += len - 1;
                return u32::from(ch);
            }
        }
        u32::from(c)
    }

    /// A literal character (outside a class, or a class member) under `opts`.
    fn literal(&mut self, c: u32, opts: &Opts) {
        if latin1_other_case(c) {
            self.caseless_high(opts);
        }
    }

    /// Something that may match a byte above 0x7f caselessly under `opts`: PCRE2 folds such
    /// bytes with Unicode rules when `(*UCP)` is set even without UTF, PCRE 8.45 only in UTF
    /// mode (its non-UTF tables fold ASCII only).
    fn caseless_high(&mut self, opts: &Opts) {
        if opts.caseless && self.ucp && !self.utf {
            self.unsupported(UCP_CASELESS);
        }
    }

    // --- main loop (PCRE's compile_regex / compile_branch) --------------------------------

    /// Parse the whole pattern. Groups are handled with an explicit stack (no recursion),
    /// so any nesting depth is safe; PCRE's own limit (250) is enforced.
    fn parse_pattern(&mut self) -> Result<(), PcreError> {
        let mut stack: Vec<Frame> = vec![Frame::new(
            FrameKind::Top,
            Opts::default(),
            false,
            false,
            true,
            0,
        )];
        let mut inescq = false;
        loop {
            let Some(frame) = stack.last_mut() else {
                return Ok(());
            };
            let c = self.cur();
            let at_end = self.pos >= self.pat.len();
            if inescq && !at_end {
                if c == b'\\' && self.at(self.pos + 1) == b'E' {
                    inescq = false;
                    self.pos += 2;
                    continue;
                }
                let ch = self.read_char();
                let opts = frame.opts;
                frame.items.push(Node::Char);
                frame.previous = true;
                self.literal(ch, &opts);
                self.pos += 1;
                continue;
            }
            let is_quantifier = !at_end
                && (matches!(c, b'*' | b'+' | b'?')
                    || (c == b'{' && self.is_counted_repeat(self.pos + 1)));
            if frame.opts.extended && !at_end {
                // PCRE2 never sees `x`: what extended mode skips is removed from its source.
                if is_space(c) {
                    self.edit(self.pos, self.pos + 1, "");
                    self.pos += 1;
                    continue;
                }
                if c == b'#' {
                    let start = self.pos;
                    self.pos += 1;
                    while self.pos < self.pat.len() && self.cur() != b'\n' {
                        self.pos += 1;
                    }
                    if self.pos < self.pat.len() {
                        self.pos += 1;
                    }
                    self.edit(start, self.pos, "");
                    continue;
                }
            }
            if at_end || c == b'|' || c == b')' {
                // End of a branch.
                let branch = seq(std::mem::take(&mut frame.items));
                if frame.lookbehind && branch.fixed_length().is_none() {
                    self.deferred.push(Deferred::Error(ERR25, self.pos));
                }
                frame.branches.push(branch);
                frame.max_bracount = frame.max_bracount.max(self.bracount);
                frame.previous = false;
                inescq = false;
                if !at_end && c == b'|' {
                    if frame.reset {
                        self.bracount = frame.orig_bracount;
                    }
                    self.pos += 1;
                    continue;
                }
                // End of the group (or of the pattern).
                self.bracount = frame.max_bracount;
                if stack.len() == 1 {
                    return Ok(());
                }
                if at_end {
                    self.pos = self.pat.len();
                    return Err(self.fail(ERR14));
                }
                let Some(done) = stack.pop() else {
                    return Ok(());
                };
                self.depth = self.depth.saturating_sub(1);
                let repeatable = done.repeatable;
                let node = self.close_group(done);
                if let Some(parent) = stack.last_mut() {
                    parent.items.push(node);
                    parent.previous = repeatable;
                }
                self.pos += 1;
                continue;
            }
            match c {
                b'^' | b'$' => {
                    frame.previous = false;
                    frame.items.push(Node::Empty);
                }
                b'.' => {
                    frame.items.push(Node::Char);
                    frame.previous = true;
                }
                b'[' => {
                    let opts = frame.opts;
                    self.parse_class(&opts)?;
                    if let Some(frame) = stack.last_mut() {
                        frame.items.push(Node::Char);
                        frame.previous = true;
                    }
                }
                _ if is_quantifier => {
                    let previous = frame.previous;
                    let (min, max) = match c {
                        b'*' => (0, None),
                        b'+' => (1, None),
                        b'?' => (0, Some(1)),
                        _ => self.read_repeat_counts()?,
                    };
                    if !previous {
                        return Err(self.fail(ERR9));
                    }
                    // Possessive / lazy (or greedy under `(?U)`) suffix.
                    if matches!(self.at(self.pos + 1), b'+' | b'?') {
                        self.pos += 1;
                    }
                    if let Some(frame) = stack.last_mut() {
                        let item = frame.items.pop().unwrap_or(Node::Empty);
                        frame.items.push(repeat(item, min, max));
                        frame.previous = false;
                    }
                }
                b'(' => {
                    let opts = frame.opts;
                    match self.parse_paren(&opts)? {
                        Paren::Item(node, repeatable) => {
                            if let Some(frame) = stack.last_mut() {
                                frame.items.push(node);
                                frame.previous = repeatable;
                            }
                        }
                        Paren::Options(new) => {
                            if let Some(frame) = stack.last_mut() {
                                frame.opts = new;
                                frame.previous = false;
                            }
                        }
                        Paren::Comment => {}
                        Paren::Open(open) => {
                            self.depth += 1;
                            if self.depth > PARENS_NEST_LIMIT {
                                return Err(self.fail(ERR82));
                            }
                            stack.push(Frame::new(
                                open.kind,
                                open.opts,
                                open.lookbehind,
                                open.reset,
                                open.repeatable,
                                self.bracount,
                            ));
                            inescq = false;
                            // pos is on the first character of the group body.
                            continue;
                        }
                    }
                }
                b'\\' => {
                    let opts = frame.opts;
                    let start = self.pos;
                    let (node, repeatable) = match self.check_escape(false, &opts)? {
                        Esc::Char(ch) => {
                            self.char_escape(start, ch);
                            self.literal(ch, &opts);
                            (Some(Node::Char), true)
                        }
                        Esc::Backref(n) => {
                            self.top_backref = self.top_backref.max(n);
                            // `\8`, `\12`, `\g-1`, ... mean different things in PCRE2; an
                            // absolute, braced reference is unambiguous.
                            self.edit(start, self.pos + 1, format!("\\g{{{n}}}"));
                            self.caseless_high(&opts);
                            (Some(Node::Variable), true)
                        }
                        Esc::NamedK => {
                            // pos on `k` (or `g`); the delimiter follows.
                            let open = self.at(self.pos + 1);
                            if !matches!(open, b'<' | b'\'' | b'{') {
                                return Err(self.fail(ERR69));
                            }
                            self.pos += 1;
                            let term = match open {
                                b'<' => b'>',
                                b'\'' => b'\'',
                                _ => b'}',
                            };
                            self.named_reference(term)?;
                            self.caseless_high(&opts);
                            (Some(Node::Variable), true)
                        }
                        Esc::SubroutineG => {
                            self.subroutine_g()?;
                            self.atomic_call(start, self.pos + 1);
                            (Some(Node::Variable), true)
                        }
                        Esc::Special(b'Q') => {
                            if self.at(self.pos + 1) == b'\\' && self.at(self.pos + 2) == b'E' {
                                self.pos += 2;
                            } else {
                                inescq = true;
                            }
                            (None, false)
                        }
                        Esc::Special(b'E') => (None, false),
                        Esc::Special(b'K') => {
                            // PCRE 8.45 ignores `\K` in negative assertions and honours it in
                            // positive ones; PCRE2 rejects it in any lookaround.
                            let kinds: Vec<GroupKind> = stack
                                .iter()
                                .filter_map(|f| match f.kind {
                                    FrameKind::Group(kind) if kind.is_lookaround() => Some(kind),
                                    _ => None,
                                })
                                .collect();
                            if kinds.iter().any(|k| k.is_negative()) {
                                self.edit(start, self.pos + 1, "");
                            } else if !kinds.is_empty() {
                                self.unsupported("\\K in a positive lookaround assertion");
                            }
                            (Some(Node::Empty), false)
                        }
                        Esc::Special(k) => {
                            let (node, repeatable) = self.special_escape(k, start, &opts)?;
                            (Some(node), repeatable)
                        }
                    };
                    if let (Some(node), Some(frame)) = (node, stack.last_mut()) {
                        frame.items.push(node);
                        frame.previous = repeatable;
                    }
                }
                _ => {
                    if c == b'{' {
                        // Not a quantifier for PCRE 8.45; PCRE2 >= 10.43 reads `{,n}` and
                        // `{ n }` as quantifiers.
                        self.edit(self.pos, self.pos + 1, "\\{");
                    }
                    let opts = frame.opts;
                    frame.items.push(Node::Char);
                    frame.previous = true;
                    let ch = self.read_char();
                    self.literal(ch, &opts);
                }
            }
            self.pos += 1;
        }
    }

    /// A character escape (`pos` on its last character, `start` on the backslash). Those
    /// introduced by a letter or digit (`\n`, `\x41`, `\101`, `\cA`, `\8`, `\j`, ...) are
    /// rewritten as `\x{..}`: PCRE2 rejects unknown letters and `\c` before a non-printable,
    /// reads `\8` as a back reference, and reads digits after an escape differently once
    /// extended-mode white space is removed. `\` before any other character is the same in
    /// both.
    fn char_escape(&mut self, start: usize, ch: u32) {
        if self.at(start + 1).is_ascii_alphanumeric() {
            self.edit(start, self.pos + 1, format!("\\x{{{ch:x}}}"));
        }
    }

    /// A recursion or subroutine call spanning `pat[start..end]`: PCRE 8.45 treats them as
    /// atomic groups, PCRE2 (>= 10.30) backtracks into them.
    fn atomic_call(&mut self, start: usize, end: usize) {
        self.edit(start, start, "(?>");
        self.edit(end, end, ")");
    }

    /// Build the node of a group whose closing `)` has been reached (pos on it).
    fn close_group(&mut self, frame: Frame) -> Node {
        let body = alt(frame.branches);
        match frame.kind {
            FrameKind::Top => body,
            FrameKind::Group(kind) => Node::Group(kind, Box::new(body)),
            FrameKind::Cond { define } => self.finish_conditional(body, define),
        }
    }

    /// Node for `\d`, `\b`, `\p{..}`, ... (pos on the letter, or on the last char of a
    /// `\p{...}`). Returns whether it can be repeated.
    fn special_escape(
        &mut self,
        k: u8,
        start: usize,
        opts: &Opts,
    ) -> Result<(Node, bool), PcreError> {
        Ok(match k {
            b'd' | b'D' | b'w' | b'W' | b's' | b'S' | b'h' | b'H' | b'v' | b'V' | b'N' | b'C' => {
                (Node::Char, true)
            }
            b'R' | b'X' => (Node::Variable, true),
            b'p' | b'P' => {
                self.get_ucp(start, opts, false)?;
                (Node::Char, true)
            }
            _ => (Node::Empty, false),
        })
    }

    // --- escapes ----------------------------------------------------------------------

    /// PCRE's `check_escape`: `pos` on the backslash; on success it is left on the last
    /// character of the escape sequence.
    fn check_escape(&mut self, isclass: bool, opts: &Opts) -> Result<Esc, PcreError> {
        self.pos += 1;
        if self.pos >= self.pat.len() {
            self.pos = self.pat.len();
            return Err(self.fail(ERR1));
        }
        let c = self.cur();
        if !c.is_ascii_alphanumeric() {
            if self.utf && c >= 0x80 {
                return Ok(Esc::Char(self.read_char()));
            }
            return Ok(Esc::Char(u32::from(c)));
        }
        let simple = match c {
            b'a' => Some(7),
            b'e' => Some(0x1b),
            b'f' => Some(0x0c),
            b'n' => Some(0x0a),
            b'r' => Some(0x0d),
            b't' => Some(0x09),
            _ => None,
        };
        if let Some(v) = simple {
            return Ok(Esc::Char(v));
        }
        let esc = match c {
            b'A' | b'B' | b'C' | b'D' | b'E' | b'G' | b'H' | b'K' | b'N' | b'P' | b'Q' | b'R'
            | b'S' | b'V' | b'W' | b'X' | b'Z' | b'b' | b'd' | b'h' | b'p' | b's' | b'v' | b'w'
            | b'z' => Esc::Special(c),
            b'k' => Esc::NamedK,
            b'l' | b'L' | b'u' | b'U' => return Err(self.fail(ERR37)),
            b'g' => {
                if isclass {
                    return Ok(Esc::Char(u32::from(b'g')));
                }
                return self.escape_g();
            }
            b'1'..=b'9' => {
                if !isclass {
                    let old = self.pos;
                    let mut s: i64 = i64::from(c - b'0');
                    while self.at(self.pos + 1).is_ascii_digit() {
                        if s > i64::from(i32::MAX) / 10 - 1 {
                            while self.at(self.pos + 1).is_ascii_digit() {
                                self.pos += 1;
                            }
                            return Err(self.fail(ERR61));
                        }
                        self.pos += 1;
                        s = s * 10 + i64::from(self.cur() - b'0');
                    }
                    if s < 8 || s <= i64::from(self.bracount) {
                        return Ok(Esc::Backref(u32::try_from(s).unwrap_or(u32::MAX)));
                    }
                    self.pos = old;
                }
                if c >= b'8' {
                    return Ok(Esc::Char(u32::from(c)));
                }
                return self.octal(c);
            }
            b'0' => return self.octal(c),
            b'o' => return self.escape_o(),
            b'x' => return self.escape_x(),
            b'c' => {
                self.pos += 1;
                if self.pos >= self.pat.len() {
                    self.pos = self.pat.len();
                    return Err(self.fail(ERR2));
                }
                let mut ch = self.cur();
                if ch > 127 {
                    return Err(self.fail(ERR68));
                }
                ch = ch.to_ascii_uppercase();
                return Ok(Esc::Char(u32::from(ch ^ 0x40)));
            }
            _ => {
                if opts.extra {
                    return Err(self.fail(ERR3));
                }
                return Ok(Esc::Char(u32::from(c)));
            }
        };
        // `\N{` not followed by a counted repeat is `\N{name}`, unsupported by PCRE.
        if c == b'N' && self.at(self.pos + 1) == b'{' && !self.is_counted_repeat(self.pos + 2) {
            return Err(self.fail(ERR37));
        }
        Ok(esc)
    }

    /// Up to three octal digits starting at `pos` (whose char is `first`).
    fn octal(&mut self, first: u8) -> Result<Esc, PcreError> {
        let mut v = u32::from(first - b'0');
        for _ in 0..2 {
            let d = self.at(self.pos + 1);
            if (b'0'..=b'7').contains(&d) {
                self.pos += 1;
                v = v * 8 + u32::from(d - b'0');
            } else {
                break;
            }
        }
        if !self.utf && v > 0xff {
            return Err(self.fail(ERR51));
        }
        Ok(Esc::Char(v))
    }

    fn limit(&self) -> u32 {
        if self.utf {
            0x10ffff
        } else {
            0xff
        }
    }

    fn escape_o(&mut self) -> Result<Esc, PcreError> {
        if self.at(self.pos + 1) != b'{' {
            return Err(self.fail(ERR81));
        }
        if self.at(self.pos + 2) == b'}' {
            return Err(self.fail(ERR86));
        }
        self.pos += 2;
        let mut v: u32 = 0;
        let mut overflow = false;
        while (b'0'..=b'7').contains(&self.cur()) {
            let d = self.cur();
            self.pos += 1;
            if v == 0 && d == b'0' {
                continue;
            }
            v = (v << 3) + u32::from(d - b'0');
            if v > self.limit() {
                overflow = true;
                break;
            }
        }
        if overflow {
            while (b'0'..=b'7').contains(&self.cur()) {
                self.pos += 1;
            }
            return Err(self.fail(ERR34));
        }
        if self.cur() == b'}' {
            if self.utf && (0xd800..=0xdfff).contains(&v) {
                return Err(self.fail(ERR73));
            }
            return Ok(Esc::Char(v));
        }
        Err(self.fail(ERR80))
    }

    fn escape_x(&mut self) -> Result<Esc, PcreError> {
        if self.at(self.pos + 1) == b'{' {
            self.pos += 2;
            if self.cur() == b'}' {
                return Err(self.fail(ERR86));
            }
            let mut v: u32 = 0;
            let mut overflow = false;
            while self.cur().is_ascii_hexdigit() {
                let d = self.cur();
                self.pos += 1;
                if v == 0 && d == b'0' {
                    continue;
                }
                v = (v << 4) + char::from(d).to_digit(16).unwrap_or(0);
                if v > self.limit() {
                    overflow = true;
                    break;
                }
            }
            if overflow {
                while self.cur().is_ascii_hexdigit() {
                    self.pos += 1;
                }
                return Err(self.fail(ERR34));
            }
            if self.cur() == b'}' {
                if self.utf && (0xd800..=0xdfff).contains(&v) {
                    return Err(self.fail(ERR73));
                }
                return Ok(Esc::Char(v));
            }
            return Err(self.fail(ERR79));
        }
        let mut v: u32 = 0;
        for _ in 0..2 {
            let d = self.at(self.pos + 1);
            if d.is_ascii_hexdigit() {
                self.pos += 1;
                v = v * 16 + char::from(d).to_digit(16).unwrap_or(0);
            } else {
                break;
            }
        }
        Ok(Esc::Char(v))
    }

    /// `\g` outside a class (pos on `g`).
    fn escape_g(&mut self) -> Result<Esc, PcreError> {
        let next = self.at(self.pos + 1);
        if next == b'<' || next == b'\'' {
            return Ok(Esc::SubroutineG);
        }
        let mut braced = false;
        if next == b'{' {
            let mut p = self.pos + 2;
            while p < self.pat.len() && self.at(p) != b'}' {
                if self.at(p) != b'-' && !self.at(p).is_ascii_digit() {
                    break;
                }
                p += 1;
            }
            if p < self.pat.len() && self.at(p) != b'}' {
                return Ok(Esc::NamedK);
            }
            braced = true;
            self.pos += 1;
        }
        let negated = self.at(self.pos + 1) == b'-';
        if negated {
            self.pos += 1;
        }
        let mut s: i64 = 0;
        while self.at(self.pos + 1).is_ascii_digit() {
            if s > i64::from(i32::MAX) / 10 - 1 {
                while self.at(self.pos + 1).is_ascii_digit() {
                    self.pos += 1;
                }
                return Err(self.fail(ERR61));
            }
            self.pos += 1;
            s = s * 10 + i64::from(self.cur() - b'0');
        }
        if braced {
            self.pos += 1;
            if self.cur() != b'}' {
                return Err(self.fail(ERR57));
            }
        }
        if s == 0 {
            return Err(self.fail(ERR58));
        }
        if negated {
            if s > i64::from(self.bracount) {
                return Err(self.fail(ERR15));
            }
            s = i64::from(self.bracount) - (s - 1);
        }
        Ok(Esc::Backref(u32::try_from(s).unwrap_or(u32::MAX)))
    }

    /// `\g<...>` / `\g'...'` subroutine calls (pos on `g`); leaves pos on the terminator.
    fn subroutine_g(&mut self) -> Result<(), PcreError> {
        self.pos += 1;
        let term = if self.cur() == b'<' { b'>' } else { b'\'' };
        let sign = self.at(self.pos + 1);
        if sign != b'+' && sign != b'-' {
            let mut p = self.pos + 1;
            let mut is_number = true;
            while p < self.pat.len() && self.at(p) != term {
                let ch = self.at(p);
                if !ch.is_ascii_digit() {
                    is_number = false;
                }
                if !is_word(ch) {
                    break;
                }
                p += 1;
            }
            if self.at(p) != term || p >= self.pat.len() {
                return Err(self.fail(ERR57));
            }
            if is_number {
                self.pos += 1;
                return self.numerical_recursion(term);
            }
            self.named_reference(term)?;
            return Ok(());
        }
        let mut p = self.pos + 2;
        while self.at(p).is_ascii_digit() {
            p += 1;
        }
        if self.at(p) != term || p >= self.pat.len() {
            return Err(self.fail(ERR57));
        }
        self.pos += 1;
        self.numerical_recursion(term)
    }

    /// `\p` / `\P` (pos on the letter, `start` on the backslash, `in_class` inside `[...]`);
    /// leaves pos on the last character of the name.
    fn get_ucp(&mut self, start: usize, opts: &Opts, in_class: bool) -> Result<(), PcreError> {
        self.pos += 1;
        let c = self.cur();
        if self.pos >= self.pat.len() {
            return Err(self.fail(ERR46));
        }
        let mut name_start = self.pos;
        let name: Vec<u8> = if c == b'{' {
            if self.at(self.pos + 1) == b'^' {
                self.pos += 1;
            }
            name_start = self.pos + 1;
            let mut name = Vec::new();
            let mut closed = false;
            for _ in 0..31 {
                self.pos += 1;
                if self.pos >= self.pat.len() {
                    return Err(self.fail(ERR46));
                }
                let ch = self.cur();
                if ch == b'}' {
                    closed = true;
                    break;
                }
                name.push(ch);
            }
            if !closed {
                return Err(self.fail(ERR46));
            }
            name
        } else {
            vec![c]
        };
        match property(&name) {
            Some(Property::Category) => {
                if opts.caseless && matches!(name.as_slice(), b"Lu" | b"Ll" | b"Lt") {
                    // PCRE2 (>= 10.45) matches these as `\p{L&}` when caseless; PCRE 8.45's
                    // caseless matching does not affect them.
                    if in_class {
                        self.unsupported(
                            "caseless \\p{Lu}, \\p{Ll} or \\p{Lt} in a character class",
                        );
                    } else {
                        self.edit(start, start, "(?-i:");
                        self.edit(self.pos + 1, self.pos + 1, ")");
                    }
                }
                Ok(())
            }
            Some(Property::Script) => {
                // PCRE2 (>= 10.40) matches `\p{Latin}` against the Script_Extensions
                // property; `sc:` asks for the Script property, which is what PCRE 8.45 uses.
                self.edit(name_start, name_start, "sc:");
                Ok(())
            }
            None => Err(self.fail(ERR47)),
        }
    }

    // --- quantifiers ------------------------------------------------------------------

    fn is_counted_repeat(&self, mut p: usize) -> bool {
        if !self.at(p).is_ascii_digit() {
            return false;
        }
        while self.at(p).is_ascii_digit() {
            p += 1;
        }
        if self.at(p) == b'}' {
            return true;
        }
        if self.at(p) != b',' {
            return false;
        }
        p += 1;
        if self.at(p) == b'}' {
            return true;
        }
        if !self.at(p).is_ascii_digit() {
            return false;
        }
        while self.at(p).is_ascii_digit() {
            p += 1;
        }
        self.at(p) == b'}'
    }

    /// `{n}`, `{n,}`, `{n,m}` with pos on `{`; leaves pos on `}`.
    fn read_repeat_counts(&mut self) -> Result<(u32, Option<u32>), PcreError> {
        self.pos += 1;
        let mut min: u32 = 0;
        while self.cur().is_ascii_digit() {
            min = min * 10 + u32::from(self.cur() - b'0');
            self.pos += 1;
            if min > 65535 {
                return Err(self.fail(ERR5));
            }
        }
        if self.cur() == b'}' {
            return Ok((min, Some(min)));
        }
        self.pos += 1;
        if self.cur() == b'}' {
            return Ok((min, None));
        }
        let mut max: u32 = 0;
        while self.cur().is_ascii_digit() {
            max = max * 10 + u32::from(self.cur() - b'0');
            self.pos += 1;
            if max > 65535 {
                return Err(self.fail(ERR5));
            }
        }
        if max < min {
            return Err(self.fail(ERR4));
        }
        Ok((min, Some(max)))
    }

    // --- character classes ------------------------------------------------------------

    /// `[...]` at a `[` where `pos` points; leaves pos on the closing `]`.
    fn check_posix_syntax(&self, start: usize) -> Option<usize> {
        let terminator = self.at(start + 1);
        let mut p = start + 2;
        while p < self.pat.len() {
            let ch = self.at(p);
            if ch == b'\\' && matches!(self.at(p + 1), b']' | b'\\') {
                p += 1;
            } else if (ch == b'[' && self.at(p + 1) == terminator) || ch == b']' {
                return None;
            } else if ch == terminator && self.at(p + 1) == b']' {
                return Some(p);
            }
            p += 1;
        }
        None
    }

    fn parse_class(&mut self, opts: &Opts) -> Result<(), PcreError> {
        if matches!(self.at(self.pos + 1), b':' | b'.' | b'=')
            && self.check_posix_syntax(self.pos).is_some()
        {
            let code = if self.at(self.pos + 1) == b':' {
                ERR13
            } else {
                ERR31
            };
            return Err(self.fail(code));
        }
        let mut negate = false;
        // Leading `^` and `\E` / `\Q\E` sequences.
        loop {
            self.pos += 1;
            let c = self.cur();
            if c == b'\\' {
                if self.at(self.pos + 1) == b'E' {
                    self.pos += 1;
                } else if self.starts_with_at(self.pos + 1, b"Q\\E") {
                    self.pos += 3;
                } else {
                    break;
                }
            } else if !negate && c == b'^' {
                negate = true;
            } else {
                break;
            }
        }
        let mut inescq = false;
        if self.pos < self.pat.len() {
            // The first character (even `]`) is data.
            let mut after_type = false;
            loop {
                after_type = self.class_item(opts, after_type, &mut inescq)?;
                self.pos += 1;
                if self.pos >= self.pat.len() {
                    break;
                }
                if self.cur() == b']' && !inescq {
                    break;
                }
            }
        }
        if self.pos >= self.pat.len() {
            self.pos = self.pat.len();
            return Err(self.fail(ERR6));
        }
        Ok(())
    }

    /// One item of a class at `pos`; leaves pos on its last character. `after_type`: the
    /// previous item was a character type (`\d`, `[:alpha:]`, ...); returns whether this one
    /// is.
    fn class_item(
        &mut self,
        opts: &Opts,
        after_type: bool,
        inescq: &mut bool,
    ) -> Result<bool, PcreError> {
        let c = self.cur();
        let start = self.pos;
        let value: u32;
        if *inescq {
            if c == b'\\' && self.at(self.pos + 1) == b'E' {
                *inescq = false;
                self.pos += 1;
                return Ok(false);
            }
            value = self.read_char();
        } else {
            if c == b'[' && matches!(self.at(self.pos + 1), b':' | b'.' | b'=') {
                if let Some(end) = self.check_posix_syntax(self.pos) {
                    if self.at(self.pos + 1) != b':' {
                        return Err(self.fail(ERR31));
                    }
                    self.pos += 2;
                    if self.cur() == b'^' {
                        self.pos += 1;
                    }
                    let name = self.pat.get(self.pos..end).unwrap_or_default();
                    let Some(index) = posix_class(name) else {
                        return Err(self.fail(ERR30));
                    };
                    if opts.caseless && (index == 1 || index == 2) {
                        // PCRE 8.45 turns caseless [:lower:] and [:upper:] into [:alpha:]
                        // before (*UCP) maps them to \p{..}; PCRE2 does not in (*UCP) mode.
                        self.edit(self.pos, end, "alpha");
                    }
                    self.pos = end + 1;
                    return Ok(true);
                }
            }
            if c == b'-' && after_type {
                // A hyphen after a character type is a literal for PCRE 8.45; PCRE2 rejects
                // it unless it ends the class.
                self.edit(start, start + 1, "\\-");
            }
            if c == b'\\' {
                match self.check_escape(true, opts)? {
                    Esc::Char(ch) => {
                        self.char_escape(start, ch);
                        value = ch;
                    }
                    Esc::Special(b'b') => value = 0x08,
                    Esc::Special(b'N') => return Err(self.fail(ERR71)),
                    Esc::Special(b'Q') => {
                        if self.at(self.pos + 1) == b'\\' && self.at(self.pos + 2) == b'E' {
                            self.pos += 2;
                        } else {
                            *inescq = true;
                        }
                        return Ok(false);
                    }
                    Esc::Special(b'E') => return Ok(false),
                    Esc::Special(k) => {
                        match k {
                            b'd' | b'D' | b'w' | b'W' | b's' | b'S' | b'h' | b'H' | b'v' | b'V' => {
                            }
                            b'p' | b'P' => self.get_ucp(start, opts, true)?,
                            _ => {
                                if opts.extra {
                                    return Err(self.fail(ERR7));
                                }
                                // Unknown in a class (`\R`, `\X`, `\B`, ...): the letter
                                // itself for PCRE 8.45, an error for PCRE2.
                                self.edit(start, self.pos + 1, format!("\\x{{{k:x}}}"));
                                self.literal(u32::from(k), opts);
                            }
                        }
                        return Ok(true);
                    }
                    Esc::NamedK => {
                        self.edit(start, self.pos + 1, "\\x{6b}");
                        value = u32::from(b'k');
                    }
                    // Not produced inside a class.
                    Esc::Backref(_) | Esc::SubroutineG => value = u32::from(self.cur()),
                }
            } else {
                value = self.read_char();
            }
        }
        // Range?
        while self.at(self.pos + 1) == b'\\' && self.at(self.pos + 2) == b'E' {
            *inescq = false;
            self.pos += 2;
        }
        let oldpos = self.pos;
        if !*inescq && self.at(self.pos + 1) == b'-' {
            self.pos += 2;
            while self.cur() == b'\\' && self.at(self.pos + 1) == b'E' {
                self.pos += 2;
            }
            while self.cur() == b'\\' && self.at(self.pos + 1) == b'Q' {
                self.pos += 2;
                if self.cur() == b'\\' && self.at(self.pos + 1) == b'E' {
                    self.pos += 2;
                    continue;
                }
                *inescq = true;
                break;
            }
            if self.pos >= self.pat.len() || (!*inescq && self.cur() == b']') {
                self.pos = oldpos;
                self.literal(value, opts);
                return Ok(false);
            }
            let end_start = self.pos;
            let mut d = self.read_char();
            if !*inescq {
                if d == u32::from(b'\\') {
                    match self.check_escape(true, opts)? {
                        Esc::Char(ch) => {
                            self.char_escape(end_start, ch);
                            d = ch;
                        }
                        Esc::Special(b'b') => d = 0x08,
                        _ => return Err(self.fail(ERR83)),
                    }
                } else if d == u32::from(b'[')
                    && matches!(self.at(self.pos + 1), b':' | b'.' | b'=')
                    && self.check_posix_syntax(self.pos).is_some()
                {
                    return Err(self.fail(ERR83));
                }
            }
            if d < value {
                return Err(self.fail(ERR8));
            }
            // The range's characters, for the (*UCP) caseless check: only whether it meets
            // the Latin-1 letters matters.
            if (value..=d.min(0xff)).any(latin1_other_case) {
                self.caseless_high(opts);
            }
            return Ok(false);
        }
        self.literal(value, opts);
        Ok(false)
    }

    // --- parentheses ------------------------------------------------------------------

    /// Everything starting with `(` (pos on it). For [`Paren::Open`] pos is left on the
    /// first character of the group body, otherwise on the last character consumed.
    fn parse_paren(&mut self, opts: &Opts) -> Result<Paren, PcreError> {
        let open_pos = self.pos;
        self.pos += 1;
        let c = self.cur();
        if c == b'*'
            && (self.at(self.pos + 1) == b':' || self.at(self.pos + 1).is_ascii_alphabetic())
        {
            return self.verb();
        }
        let cond_assert = std::mem::replace(&mut self.cond_assert, false);
        let open = |kind: FrameKind, repeatable: bool| {
            Paren::Open(Open {
                kind,
                opts: *opts,
                lookbehind: false,
                reset: false,
                repeatable,
            })
        };
        if c != b'?' {
            self.bracount += 1;
            return Ok(open(FrameKind::Group(GroupKind::Plain), true));
        }
        self.pos += 1;
        let c = self.cur();
        match c {
            b'#' => {
                self.pos += 1;
                while self.pos < self.pat.len() && self.cur() != b')' {
                    self.pos += 1;
                }
                if self.pos >= self.pat.len() {
                    return Err(self.fail(ERR18));
                }
                self.cond_assert = cond_assert;
                Ok(Paren::Comment)
            }
            b'|' => {
                self.pos += 1;
                Ok(Paren::Open(Open {
                    kind: FrameKind::Group(GroupKind::Plain),
                    opts: *opts,
                    lookbehind: false,
                    reset: true,
                    repeatable: true,
                }))
            }
            b':' => {
                self.pos += 1;
                Ok(open(FrameKind::Group(GroupKind::Plain), true))
            }
            b'(' => self.conditional(opts),
            b'=' => {
                self.pos += 1;
                Ok(open(FrameKind::Group(GroupKind::LookAhead), !cond_assert))
            }
            b'!' => {
                self.pos += 1;
                if self.cur() == b')' {
                    return Ok(Paren::Item(Node::Empty, false));
                }
                Ok(open(
                    FrameKind::Group(GroupKind::NegLookAhead),
                    !cond_assert,
                ))
            }
            b'<' => match self.at(self.pos + 1) {
                b'=' | b'!' => {
                    let kind = if self.at(self.pos + 1) == b'=' {
                        GroupKind::LookBehind
                    } else {
                        GroupKind::NegLookBehind
                    };
                    self.pos += 2;
                    Ok(Paren::Open(Open {
                        kind: FrameKind::Group(kind),
                        opts: *opts,
                        lookbehind: true,
                        reset: false,
                        repeatable: !cond_assert,
                    }))
                }
                n if is_word(n) => self.named_group(opts, b'>'),
                _ => {
                    self.pos += 1;
                    Err(self.fail(ERR24))
                }
            },
            b'>' => {
                self.pos += 1;
                Ok(open(FrameKind::Group(GroupKind::Plain), true))
            }
            b'C' => {
                self.pos += 1;
                let mut n: u32 = 0;
                while self.cur().is_ascii_digit() {
                    n = n
                        .saturating_mul(10)
                        .saturating_add(u32::from(self.cur() - b'0'));
                    self.pos += 1;
                }
                if self.cur() != b')' || self.pos >= self.pat.len() {
                    return Err(self.fail(ERR39));
                }
                if n > 255 {
                    return Err(self.fail(ERR38));
                }
                // Callouts do nothing without a callout function.
                Ok(Paren::Item(Node::Empty, false))
            }
            b'P' => {
                self.pos += 1;
                match self.cur() {
                    b'=' => {
                        self.named_reference(b')')?;
                        self.caseless_high(opts);
                        Ok(Paren::Item(Node::Variable, true))
                    }
                    b'>' => {
                        self.named_reference(b')')?;
                        Ok(self.call(open_pos))
                    }
                    b'<' => self.named_group(opts, b'>'),
                    _ => Err(self.fail(ERR41)),
                }
            }
            b'\'' => self.named_group(opts, b'\''),
            b'&' => {
                self.named_reference(b')')?;
                Ok(self.call(open_pos))
            }
            b'R' => {
                self.pos += 1;
                self.numerical_recursion(b')')?;
                Ok(self.call(open_pos))
            }
            b'+' | b'0'..=b'9' => {
                self.numerical_recursion(b')')?;
                Ok(self.call(open_pos))
            }
            b'-' if self.at(self.pos + 1).is_ascii_digit() => {
                self.numerical_recursion(b')')?;
                Ok(self.call(open_pos))
            }
            _ => self.option_setting(opts, open_pos),
        }
    }

    /// A `(?R)`-style call that started at `open_pos` and ends at `pos`.
    fn call(&mut self, open_pos: usize) -> Paren {
        self.atomic_call(open_pos, self.pos + 1);
        Paren::Item(Node::Variable, true)
    }

    /// `(?<name>`, `(?'name'`, `(?P<name>` with pos on `<`/`'`.
    fn named_group(&mut self, opts: &Opts, term: u8) -> Result<Paren, PcreError> {
        self.pos += 1;
        if self.cur().is_ascii_digit() {
            return Err(self.fail(ERR84));
        }
        let start = self.pos;
        while is_word(self.cur()) && self.pos < self.pat.len() {
            self.pos += 1;
        }
        let name = self.pat.get(start..self.pos).unwrap_or_default().to_vec();
        if self.cur() != term || self.pos >= self.pat.len() {
            return Err(self.fail(ERR42));
        }
        if self.names.len() >= MAX_NAME_COUNT {
            return Err(self.fail(49));
        }
        if name.len() > MAX_NAME_SIZE {
            return Err(self.fail(ERR48));
        }
        let number = self.bracount + 1;
        let mut seen = false;
        for (n, num) in &self.names {
            if *n == name {
                if *num == number {
                    seen = true;
                    break;
                }
                if !opts.dupnames {
                    return Err(self.fail(ERR43));
                }
            } else if *num == number {
                return Err(self.fail(ERR65));
            }
        }
        if !seen {
            self.names.push((name, number));
        }
        self.pos += 1;
        self.bracount += 1;
        Ok(Paren::Open(Open {
            kind: FrameKind::Group(GroupKind::Plain),
            opts: *opts,
            lookbehind: false,
            reset: false,
            repeatable: true,
        }))
    }

    /// A name followed by `term` for a named back reference, with pos on the character
    /// before the name; leaves pos on `term`.
    fn named_reference(&mut self, term: u8) -> Result<Vec<u8>, PcreError> {
        self.pos += 1;
        if self.cur().is_ascii_digit() {
            return Err(self.fail(ERR84));
        }
        let start = self.pos;
        while is_word(self.cur()) && self.pos < self.pat.len() {
            self.pos += 1;
        }
        let name = self.pat.get(start..self.pos).unwrap_or_default().to_vec();
        if name.is_empty() {
            return Err(self.fail(ERR62));
        }
        if self.cur() != term || self.pos >= self.pat.len() {
            return Err(self.fail(ERR42));
        }
        if name.len() > MAX_NAME_SIZE {
            return Err(self.fail(ERR48));
        }
        self.deferred
            .push(Deferred::NameExists(name.clone(), self.pos));
        Ok(name)
    }

    /// `(?R)`, `(?n)`, `(?+n)`, `(?-n)`, `\g<n>` with pos on the sign/first digit.
    fn numerical_recursion(&mut self, term: u8) -> Result<(), PcreError> {
        let sign = self.cur();
        if sign == b'+' {
            self.pos += 1;
            if !self.cur().is_ascii_digit() {
                return Err(self.fail(ERR63));
            }
        } else if sign == b'-' {
            self.pos += 1;
        }
        let mut recno: i64 = 0;
        while self.cur().is_ascii_digit() {
            recno = (recno * 10 + i64::from(self.cur() - b'0')).min(i64::from(i32::MAX));
            self.pos += 1;
        }
        if self.cur() != term || self.pos >= self.pat.len() {
            return Err(self.fail(ERR29));
        }
        let bracount = i64::from(self.bracount);
        if sign == b'-' {
            if recno == 0 {
                return Err(self.fail(ERR58));
            }
            recno = bracount - recno + 1;
            if recno <= 0 {
                return Err(self.fail(ERR15));
            }
        } else if sign == b'+' {
            if recno == 0 {
                return Err(self.fail(ERR58));
            }
            recno += bracount;
        }
        let n = u32::try_from(recno).unwrap_or(u32::MAX);
        self.deferred.push(Deferred::GroupExists(n, self.pos));
        Ok(())
    }

    /// `(?imsxJUX-imsxJUX)` or `(?imsx:...)` with pos after `(?` (`open_pos` on the `(`).
    fn option_setting(&mut self, opts: &Opts, open_pos: usize) -> Result<Paren, PcreError> {
        let mut new = *opts;
        let mut unset = false;
        // The letters PCRE2 gets: without `x` (extended-mode white space and comments are
        // removed from its source instead: PCRE2 also skips U+0085 and reads `xx` as
        // "extended more") and without `X` (PCRE_EXTRA, unknown to PCRE2, whose escapes
        // are always strict).
        let mut set_letters = String::new();
        let mut unset_letters = String::new();
        let mut rewritten = false;
        while self.pos < self.pat.len() && self.cur() != b')' && self.cur() != b':' {
            let ch = self.cur();
            self.pos += 1;
            let mut ignored = false;
            let flag = match ch {
                b'-' => {
                    unset = true;
                    continue;
                }
                b'i' => &mut new.caseless,
                b'x' => &mut new.extended,
                b'X' => &mut new.extra,
                b'J' => &mut new.dupnames,
                b'm' | b's' | b'U' => &mut ignored,
                _ => {
                    self.pos -= 1;
                    return Err(self.fail(ERR12));
                }
            };
            *flag = !unset;
            if matches!(ch, b'x' | b'X') {
                rewritten = true;
            } else if unset {
                unset_letters.push(char::from(ch));
            } else {
                set_letters.push(char::from(ch));
            }
        }
        if self.pos >= self.pat.len() {
            return Err(self.fail(ERR12));
        }
        let is_group = self.cur() == b':';
        if rewritten {
            let mut text = String::new();
            if is_group || !set_letters.is_empty() || !unset_letters.is_empty() {
                text.push_str("(?");
                text.push_str(&set_letters);
                if !unset_letters.is_empty() {
                    text.push('-');
                    text.push_str(&unset_letters);
                }
                text.push(if is_group { ':' } else { ')' });
            }
            self.edit(open_pos, self.pos + 1, text);
        }
        if !is_group {
            return Ok(Paren::Options(new));
        }
        self.pos += 1;
        Ok(Paren::Open(Open {
            kind: FrameKind::Group(GroupKind::Plain),
            opts: new,
            lookbehind: false,
            reset: false,
            repeatable: true,
        }))
    }

    /// `(*VERB)` / `(*VERB:ARG)` / `(*:ARG)` with pos on `*`.
    fn verb(&mut self) -> Result<Paren, PcreError> {
        self.pos += 1;
        let start = self.pos;
        while self.cur().is_ascii_alphabetic() && self.pos < self.pat.len() {
            self.pos += 1;
        }
        let name = self.pat.get(start..self.pos).unwrap_or_default().to_vec();
        let mut arglen = 0usize;
        if self.cur() == b':' && self.pos < self.pat.len() {
            self.pos += 1;
            let arg_start = self.pos;
            while self.pos < self.pat.len() && self.cur() != b')' {
                self.pos += 1;
            }
            arglen = self.pos - arg_start;
            if arglen > MAX_MARK {
                return Err(self.fail(ERR75));
            }
        }
        if self.cur() != b')' || self.pos >= self.pat.len() {
            return Err(self.fail(ERR60));
        }
        // Backtracking control verbs count as having no fixed length (lookbehinds).
        let node = match name.as_slice() {
            b"" | b"MARK" => {
                if arglen == 0 {
                    return Err(self.fail(ERR66));
                }
                Node::Empty
            }
            b"ACCEPT" | b"COMMIT" | b"F" | b"FAIL" => {
                if arglen != 0 {
                    return Err(self.fail(ERR59));
                }
                if name == b"F" || name == b"FAIL" {
                    Node::Empty
                } else {
                    self.verbs = true;
                    Node::Variable
                }
            }
            b"PRUNE" | b"SKIP" | b"THEN" => {
                self.verbs = true;
                Node::Variable
            }
            _ => return Err(self.fail(ERR60)),
        };
        Ok(Paren::Item(node, false))
    }

    /// `(?(` with pos on the inner `(`.
    fn conditional(&mut self, opts: &Opts) -> Result<Paren, PcreError> {
        let mut cond_start = self.pos;
        // A callout may precede an assertion condition.
        if self.at(self.pos + 1) == b'?' && self.at(self.pos + 2) == b'C' {
            let mut i = 3;
            while self.at(self.pos + i).is_ascii_digit() {
                i += 1;
            }
            if self.at(self.pos + i) == b')' {
                cond_start += i + 1;
            }
        }
        let is_assert = self.at(cond_start + 1) == b'?'
            && (matches!(self.at(cond_start + 2), b'=' | b'!')
                || (self.at(cond_start + 2) == b'<'
                    && matches!(self.at(cond_start + 3), b'=' | b'!')));
        if is_assert {
            // The assertion is the first item of the first branch; pos stays on its `(`.
            self.cond_assert = true;
            return Ok(Paren::Open(Open {
                kind: FrameKind::Cond { define: false },
                opts: *opts,
                lookbehind: false,
                reset: false,
                repeatable: true,
            }));
        }
        let mut term: u8 = 0;
        let mut refsign: u8 = 0;
        let mut is_rref_name = false;
        if self.at(self.pos + 1) == b'R' && self.at(self.pos + 2) == b'&' {
            is_rref_name = true;
            self.pos += 2;
        } else if self.at(self.pos + 1) == b'<' {
            term = b'>';
            self.pos += 1;
        } else if self.at(self.pos + 1) == b'\'' {
            term = b'\'';
            self.pos += 1;
        } else if matches!(self.at(self.pos + 1), b'-' | b'+') {
            self.pos += 1;
            refsign = self.cur();
        }
        if !is_word(self.at(self.pos + 1)) || self.pos + 1 >= self.pat.len() {
            self.pos += 1;
            return Err(self.fail(ERR28));
        }
        self.pos += 1;
        let name_start = self.pos;
        let mut recno: Option<u32> = Some(0);
        while is_word(self.cur()) && self.pos < self.pat.len() {
            let ch = self.cur();
            recno = match recno {
                Some(r) if ch.is_ascii_digit() => {
                    Some(r.saturating_mul(10).saturating_add(u32::from(ch - b'0')))
                }
                _ => None,
            };
            self.pos += 1;
        }
        let name = self
            .pat
            .get(name_start..self.pos)
            .unwrap_or_default()
            .to_vec();
        if term != 0 {
            if self.cur() != term || self.pos >= self.pat.len() {
                return Err(self.fail(ERR26));
            }
            self.pos += 1;
        }
        if self.cur() != b')' || self.pos >= self.pat.len() {
            return Err(self.fail(ERR26));
        }
        self.pos += 1;
        let after = self.pos;
        let mut define = false;
        if refsign != 0 {
            let resolved = match recno {
                Some(r) if r > 0 => {
                    let b = i64::from(self.bracount);
                    Some(if refsign == b'-' {
                        b - i64::from(r) + 1
                    } else {
                        i64::from(r) + b
                    })
                }
                _ => None,
            };
            self.deferred
                .push(Deferred::RelativeCondition(resolved, after));
        } else if is_rref_name {
            self.deferred.push(Deferred::NameExists(name, after));
        } else {
            if term == 0 && name == b"DEFINE" && self.name_number(&name).is_none() {
                define = true;
            } else if term == 0 {
                // Resolved once all names are known.
                self.name_conds
                    .push((name_start, name_start + name.len(), name.clone()));
            }
            self.deferred.push(Deferred::Condition {
                name,
                recno,
                terminated: term != 0,
                offset: after,
            });
        }
        // pos is on the first character of the yes-branch.
        Ok(Paren::Open(Open {
            kind: FrameKind::Cond { define },
            opts: *opts,
            lookbehind: false,
            reset: false,
            repeatable: true,
        }))
    }

    fn finish_conditional(&mut self, body: Node, define: bool) -> Node {
        let mut branches = match body {
            Node::Alt(b) => b,
            other => vec![other],
        };
        if define && branches.len() > 1 {
            self.deferred.push(Deferred::Error(ERR54, self.pos));
        } else if branches.len() > 2 {
            self.deferred.push(Deferred::Error(ERR27, self.pos));
        }
        let no = if branches.len() >= 2 {
            Some(Box::new(branches.swap_remove(1)))
        } else {
            None
        };
        let yes = branches.into_iter().next().unwrap_or(Node::Empty);
        Node::Cond {
            define,
            yes: Box::new(yes),
            no,
        }
    }

    // --- second pass --------------------------------------------------------------------

    fn name_number(&self, name: &[u8]) -> Option<u32> {
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, num)| *num)
    }

    fn run_deferred(&self) -> Result<(), PcreError> {
        for d in &self.deferred {
            match d {
                Deferred::Error(code, offset) => return Err(err(*code, *offset)),
                Deferred::NameExists(name, offset) => {
                    if self.name_number(name).is_none() {
                        return Err(err(ERR15, *offset));
                    }
                }
                Deferred::GroupExists(n, offset) => {
                    if *n > self.bracount {
                        return Err(err(ERR15, *offset));
                    }
                }
                Deferred::RelativeCondition(resolved, offset) => match resolved {
                    None => return Err(err(ERR58, *offset)),
                    Some(r) if *r <= 0 || *r > i64::from(self.bracount) => {
                        return Err(err(ERR15, *offset))
                    }
                    Some(_) => {}
                },
                Deferred::Condition {
                    name,
                    recno,
                    terminated,
                    offset,
                } => {
                    if self.name_number(name).is_some() {
                        continue;
                    }
                    if *terminated {
                        return Err(err(ERR15, *offset));
                    }
                    if name.first() == Some(&b'R') {
                        if name.iter().skip(1).all(u8::is_ascii_digit) {
                            continue;
                        }
                        return Err(err(ERR15, *offset));
                    }
                    if name == b"DEFINE" {
                        continue;
                    }
                    match recno {
                        Some(r) if *r > 0 && *r <= self.bracount => {}
                        Some(0) => return Err(err(ERR35, *offset)),
                        _ => return Err(err(ERR15, *offset)),
                    }
                }
            }
        }
        Ok(())
    }

    // --- translation ------------------------------------------------------------------

    /// Resolve the edits that needed every group name.
    fn resolve_names(&mut self) {
        let conds = std::mem::take(&mut self.name_conds);
        for (start, end, name) in conds {
            if self.name_number(&name).is_some() {
                // PCRE 8.45 looks the name up first; PCRE2 reads an undelimited `DEFINE` as a
                // DEFINE group whatever groups exist.
                let text = format!("<{}>", String::from_utf8_lossy(&name));
                self.edit(start, end, text);
            } else if let Some(digits) = name
                .strip_prefix(b"R")
                .filter(|d| d.iter().all(u8::is_ascii_digit))
            {
                // `(?(Rn)`, a test for a recursion into group n: PCRE 8.45 accepts it for a
                // group that does not exist (it is then never true), PCRE2 rejects it.
                let n = digits.iter().fold(0u64, |acc, d| {
                    acc.saturating_mul(10)
                        .saturating_add(u64::from(d.saturating_sub(b'0')))
                });
                if n > u64::from(self.bracount) {
                    self.edit(start, end, "?!");
                }
            }
        }
    }
}

/// What a parenthesis introduced.
enum Paren {
    /// A complete item, and whether it can be repeated.
    Item(Node, bool),
    /// `(?i)` etc.: new options for the rest of the enclosing group.
    Options(Opts),
    /// `(?#...)`.
    Comment,
    /// The start of a group whose body follows.
    Open(Open),
}

/// A group being opened.
struct Open {
    kind: FrameKind,
    opts: Opts,
    lookbehind: bool,
    reset: bool,
    repeatable: bool,
}

/// How to build the node of a group when it closes.
enum FrameKind {
    Top,
    Group(GroupKind),
    /// A conditional group (`define`: a `(?(DEFINE)` group).
    Cond {
        define: bool,
    },
}

/// A group being parsed.
struct Frame {
    kind: FrameKind,
    /// Current options (changes persist across the group's alternatives).
    opts: Opts,
    lookbehind: bool,
    /// `(?|`: every alternative restarts the group numbering.
    reset: bool,
    /// Whether the finished group can be repeated.
    repeatable: bool,
    orig_bracount: u32,
    max_bracount: u32,
    branches: Vec<Node>,
    items: Vec<Node>,
    /// Whether the last item can be repeated (PCRE's `previous != NULL`).
    previous: bool,
}

impl Frame {
    fn new(
        kind: FrameKind,
        opts: Opts,
        lookbehind: bool,
        reset: bool,
        repeatable: bool,
        bracount: u32,
    ) -> Frame {
        Frame {
            kind,
            opts,
            lookbehind,
            reset,
            repeatable,
            orig_bracount: bracount,
            max_bracount: bracount,
            branches: Vec::new(),
            items: Vec::new(),
            previous: false,
        }
    }
}

/// Apply a quantifier to an item (PCRE ignores repeats of assertions with a minimum above
/// zero and of DEFINE groups, and caps the maximum of optional assertions at one).
fn repeat(item: Node, min: u32, max: Option<u32>) -> Node {
    if item.is_lookaround() {
        if min > 0 {
            item
        } else {
            Node::Repeat {
                node: Box::new(item),
                min: 0,
                max: Some(1),
            }
        }
    } else if matches!(item, Node::Cond { define: true, .. }) {
        item
    } else {
        Node::Repeat {
            node: Box::new(item),
            min,
            max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(p: &str) -> (String, usize) {
        match check(p.as_bytes()) {
            Ok(()) => panic!("{p:?} should not compile"),
            Err(e) => (e.message.to_string(), e.offset),
        }
    }

    fn ok(p: &str) {
        if let Err(e) = check(p.as_bytes()) {
            panic!("{p:?} should compile, got {e:?}");
        }
    }

    #[test]
    fn errors_and_offsets() {
        let cases: &[(&str, &str, usize)] = &[
            ("*@example.org", "nothing to repeat", 0),
            ("*", "nothing to repeat", 0),
            ("*@*icq*", "nothing to repeat", 0),
            ("a**", "nothing to repeat", 2),
            ("a*?*", "nothing to repeat", 3),
            ("a{2}{3}", "nothing to repeat", 6),
            ("{3}", "nothing to repeat", 2),
            ("a|*", "nothing to repeat", 2),
            ("(*)", "nothing to repeat", 1),
            ("^*", "nothing to repeat", 1),
            ("\\b+", "nothing to repeat", 2),
            ("(?i)*", "nothing to repeat", 4),
            ("(abc", "missing )", 4),
            ("((a)", "missing )", 4),
            ("abc)", "unmatched parentheses", 3),
            ("a)*", "unmatched parentheses", 1),
            ("[abc", "missing terminating ] for character class", 4),
            ("[]", "missing terminating ] for character class", 2),
            ("[^]", "missing terminating ] for character class", 3),
            ("abc\\", "\\ at end of pattern", 4),
            ("[z-a]", "range out of order in character class", 3),
            ("x{2,1}", "numbers out of order in {} quantifier", 5),
            ("a{70000}", "number too big in {} quantifier", 7),
            ("a{700000}", "number too big in {} quantifier", 7),
            ("(?Q)", "unrecognized character after (? or (?-", 2),
            ("(?", "unrecognized character after (? or (?-", 2),
            ("(?<x", "syntax error in subpattern name (missing terminator)", 4),
            ("(?<=a+)b", "lookbehind assertion is not fixed length", 6),
            ("(?<=a|bc)d", "", 0),
            ("(?<%a)", "unrecognized character after (?<", 3),
            ("[[:foo:]]", "unknown POSIX class name", 3),
            ("[:alpha:]", "POSIX named classes are supported only within a class", 0),
            ("[[.a.]]", "POSIX collating elements are not supported", 1),
            ("\\1", "reference to non-existent subpattern", 2),
            ("(a)\\2", "reference to non-existent subpattern", 5),
            ("\\k<n>", "reference to non-existent subpattern", 4),
            ("a\\L", "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u", 2),
            ("\\x{100}", "character value in \\x{} or \\o{} is too large", 6),
            ("\\400", "octal value is greater than \\377 in 8-bit non-UTF-8 mode", 3),
            ("\\c", "\\c at end of pattern", 2),
            ("\\g", "a numbered reference must not be zero", 1),
            ("\\g{a", "syntax error in subpattern name (missing terminator)", 4),
            ("\\g{1", "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number", 4),
            ("(?#abc", "missing ) after comment", 6),
            ("(*FOO)", "(*VERB) not recognized or malformed", 5),
            ("(*MARK)", "(*MARK) must have an argument", 6),
            ("(?P", "unrecognized character after (?P", 3),
            ("(?<a>x)(?<a>y)", "two named subpatterns have the same name", 11),
            ("(?<1a>x)", "group name must start with a non-digit", 3),
            ("[a-\\d]", "invalid range in character class", 4),
            ("[a-[:digit:]]", "invalid range in character class", 3),
            ("\\p{Foo}", "unknown property name after \\P or \\p", 6),
            ("\\p{Lu", "malformed \\P or \\p sequence", 5),
            ("(?(0)a)", "invalid condition (?(0)", 5),
            ("(?(2)a)", "reference to non-existent subpattern", 5),
            ("(?(1)a|b|c)(x)", "conditional group contains more than two branches", 10),
            ("(?(x", "malformed number or name after (?(", 4),
            ("(?(", "assertion expected after (?(", 3),
            ("\\o", "missing opening brace after \\o", 1),
            ("\\x{zz}", "non-hex character in \\x{} (closing brace missing?)", 3),
            ("\\x{}", "digits missing in \\x{} or \\o{}", 3),
            ("[\\N]", "\\N is not supported in a class", 2),
            ("\\N{name}", "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u", 1),
            ("\\k", "\\k is not followed by a braced, angle-bracketed, or quoted name", 1),
            ("(?C300)", "number after (?C is > 255", 6),
            ("(?C1", "closing ) for (?C expected", 4),
            ("(?R", "(?R or (?[+-]digits must be followed by )", 3),
            ("(?+a)", "digit expected after (?+", 3),
            ("(?X)\\j", "unrecognized character follows \\", 5),
        ];
        for (p, msg, off) in cases {
            if msg.is_empty() {
                ok(p);
                continue;
            }
            assert_eq!(e(p), (msg.to_string(), *off), "pattern {p:?}");
        }
    }

    #[test]
    fn pass_one_errors_win_over_pass_two() {
        // The missing ')' (first pass) is reported before the bad back reference.
        assert_eq!(e("\\k<zz>("), ("missing )".to_string(), 7));
        // Unmatched ')' comes after second-pass errors before it.
        assert_eq!(
            e("(?<=a+))"),
            ("lookbehind assertion is not fixed length".to_string(), 6)
        );
    }

    #[test]
    fn deep_nesting() {
        let p = format!("{}a{}", "(".repeat(250), ")".repeat(250));
        ok(&p);
        let p = format!("{}a{}", "(".repeat(251), ")".repeat(251));
        assert_eq!(
            e(&p),
            ("parentheses are too deeply nested".to_string(), 251)
        );
        let p = "(".repeat(100_000);
        assert_eq!(e(&p).0, "parentheses are too deeply nested");
    }

    #[test]
    fn valid_patterns() {
        for p in [
            ".*",
            ".*@.*",
            "a|ab",
            "[]a]",
            "[^]a]",
            "[a-]",
            "[-a]",
            "[\\d-z]",
            "a{,3}",
            "a{",
            "x{2,}",
            "(?i)abc",
            "(?i:a)b",
            "(?x) a b # c",
            "\\Qa.b\\E+",
            "(?<n>a)\\k<n>",
            "(?P<n>a)(?P=n)",
            "(a)(?(1)b|c)",
            "(?(?=a)ab|cd)",
            "(?(DEFINE)(?<d>x))",
            "[[:alpha:][:^digit:]]",
            "\\p{L}\\P{Nd}\\pL",
            "(?=a)*",
            "\\d\\D\\w\\W\\s\\S",
            "\\h\\H\\v\\V\\R\\X\\C\\N",
            "\\x41\\x{41}\\101\\0\\cA\\e",
            "(*:mark)a",
            "(*UTF8)é",
            "a(?#comment)*",
            "(?|(a)|(b))",
            "\\8",
            "(?-i)a",
            "a++b",
            "a?+",
            "(?>a)",
            "(?!)",
            "\\Ka",
            "(?(R)a|b)",
            "(?1)(a)",
            "(?R)?",
            "\\g1(a)",
            "(a)\\g-1",
            "(a)\\g{1}",
            "(?<a>x)\\g{a}",
            "(?J)(?<a>x)|(?<a>y)",
            "\\o{101}",
            "[\\Q]\\E]",
        ] {
            ok(p);
        }
    }

    #[test]
    fn nul_terminates_the_pattern() {
        ok("a\0*");
        assert_eq!(e("*\0"), ("nothing to repeat".to_string(), 0));
    }

    #[test]
    fn utf_mode_checks_utf8() {
        let bad = b"(*UTF)a\xff";
        let err = check(bad).unwrap_err();
        assert_eq!((err.message, err.offset), ("invalid UTF-8 string", 7));
    }

    #[test]
    fn never_panics_on_prefixes() {
        let samples = [
            "(?<n>a)(?(<n>)b|c)\\k{n}[[:alpha:]\\Q]-\\E\\x{4}-\\o{7}](?=x)*(?<=ab|c)\\g{-1}",
            "(?(?=a)b|c)(?P>n)(?&n)(?+1)(?-1)\\g<1>\\g'n'(*PRUNE:x)(*SKIP)(?C12)(?#c)",
            "[\\p{L}-\\pN\\b-\\x{ff}]{2,5}+?\\c\u{7f}\\N{3}(?imsxXUJ-i:a)(?|a|b)(?i)",
        ];
        for s in samples {
            let bytes = s.as_bytes();
            for i in 0..=bytes.len() {
                let _ = check(&bytes[..i]);
                let _ = check(&bytes[i..]);
            }
        }
        for b in 0..=255u8 {
            let _ = check(&[b]);
            let _ = check(&[b'\\', b]);
            let _ = check(&[b'[', b]);
            let _ = check(&[b'(', b'?', b]);
            let _ = check(&[b'a', b'{', b'1', b]);
        }
    }

    // --- matching with PCRE2 ---------------------------------------------------------

    fn re(p: &str) -> Regex {
        Regex::new(p).unwrap_or_else(|e| panic!("{p:?}: {e}"))
    }

    /// The whole match of `p` in `subject`.
    fn whole(p: &str, subject: &[u8]) -> Option<(usize, usize)> {
        re(p)
            .captures(subject)
            .and_then(|c| c.first().copied().flatten())
    }

    fn matches(p: &str, subject: &[u8]) -> bool {
        re(p).is_match(subject)
    }

    /// What PCRE2 does with `p` untranslated (to show that a translation matters).
    fn raw_pcre2(p: &str, subject: &[u8]) -> Result<bool, String> {
        pcre2::bytes::Regex::new(p)
            .map_err(|e| e.to_string())?
            .is_match(subject)
            .map_err(|e| e.to_string())
    }

    /// The PCRE2 source without the limit settings in front.
    fn body(p: &str) -> String {
        let src = re(p).pcre2_source().to_string();
        let prefix = format!(
            "(*LIMIT_MATCH={MATCH_LIMIT})(*LIMIT_DEPTH={RECURSION_LIMIT})(*LIMIT_HEAP={HEAP_LIMIT_KIB})"
        );
        src.strip_prefix(&prefix).unwrap_or(&src).to_string()
    }

    fn unsupported(p: &str) -> String {
        match Regex::new(p) {
            Err(CompileError::Unsupported(m)) => m,
            other => panic!("{p:?}: expected unsupported, got {other:?}"),
        }
    }

    #[test]
    fn every_accepted_construct_compiles_with_pcre2() {
        for p in [
            ".*",
            "a|ab",
            "[]a]",
            "[^]a]",
            "[a-]",
            "[\\d-z]",
            "a{,3}",
            "a{",
            "x{2,}",
            "(?i)abc",
            "(?i:a)b",
            "(?x) a b # c",
            "\\Qa.b\\E+",
            "(?<n>a)\\k<n>",
            "(?P<n>a)(?P=n)",
            "(a)(?(1)b|c)",
            "(?(?=a)ab|cd)",
            "(?(?<!x)a)",
            "(?(DEFINE)(?<d>x))y",
            "(?(<n>)a|b)(?<n>c)",
            "[[:alpha:][:^digit:]]",
            "\\p{L}\\P{Nd}\\pL\\p{Latin}\\p{L&}\\p{Xan}\\p{Any}",
            "(?=a)*a",
            "(?=a){2}a",
            "(?!b)??a",
            "\\d\\D\\w\\W\\s\\S",
            "\\h\\H\\v\\V\\R\\X\\C\\N",
            "\\x41\\x{41}\\101\\0\\ca\\e\\o{101}",
            "(*:mark)a",
            "a(?#comment)*",
            "\\8",
            "(?-i)a",
            "a++b",
            "a?+",
            "a{2,3}+",
            "(?>a)",
            "(?!)",
            "a\\Kb",
            "(?(R)a|b)",
            "(?(R1)a|b)",
            "\\g1(a)",
            "(a)\\g-1",
            "(a)\\g{1}",
            "(?<a>x)\\g{a}",
            "(?J)(?<a>x)|(?<a>y)",
            "(?<=a|bc)d",
            "(?<!\\d{2})x",
            "(?<=(a|b))c",
            "(?m)^a$",
            "(?s).",
            "(?U)a*",
            "a*?",
            "\\b\\ba\\b",
            "\\B",
            "\\A\\Z\\z\\G",
            "$",
            "^",
            "(a)|b\\1",
            "[\\q]\\e]",
            "[\\x{41}-\\x{5a}]",
            "[\\b]",
            "(?(?=a)a|b)*",
            "(a(?1)?b)",
            "(){0}",
            "(a){0}b\\1?",
            "[^\\x00-\\xff]",
            "(?(1)a|b)(x)",
            "(?(+1)a|b)(x)",
            "(x)(?(-1)a|b)",
            // Everything the former fancy-regex translation refused.
            "(?|(a)|(b))",
            "(?|(?<n>a)|(?<n>b))\\k<n>",
            "a(?R)?b",
            "(a(?1)?b)",
            "(?1)(a)",
            "(?+1)(a)",
            "(a)(?-1)",
            "(?<n>a)(?&n)(?P>n)\\g<n>\\g'n'\\g<1>\\g'-1'\\g<+1>(b)",
            "(*COMMIT)a",
            "a(*PRUNE)b(*PRUNE:x)(*SKIP)(*SKIP:x)(*THEN)(*THEN:x)(*ACCEPT)",
            "(*MARK:m)(*:m)(*F)(*FAIL)",
            "(*UTF8)\u{e9}.",
            "(*UTF)\u{e9}",
            "(*UCP)\\w\\b",
            "(*CR)(*LF)(*CRLF)(*ANYCRLF)(*ANY)(*BSR_ANYCRLF)(*BSR_UNICODE)a",
            "(*NO_START_OPT)(*NO_AUTO_POSSESS)a",
            "(*LIMIT_MATCH=100)(*LIMIT_RECURSION=99999999999)a",
            "(?X)a",
            "(?x-X:a)",
            "(?xx)[a b]",
            "\\j\\q\\y",
            "[\\j\\R\\X\\B\\k\\g]",
            "\\c\u{1}",
            "(?(R1)a|b)",
            "(?<R1>x)(?(R1)a|b)",
            "(?<DEFINE>x)(?(DEFINE)a|b)",
            "(?(R&n)a|b)(?<n>c)",
            "(?(VERSION)a)(?<VERSION>x)",
            "(?!a\\K)b(?<!a\\K)",
            "(?(?!a\\K)b)",
            "[\\p{Lu}]",
            "(?i)\\p{Lu}\\P{Ll}\\p{^Lt}",
            "(?i)[[:upper:][:^lower:]]",
            "\\p{Latin}\\P{Greek}\\p{^Han}[\\p{Common}]",
            "a{,3}{x}{1,x}{ 1}",
            "[[:alpha:]-z][\\w-]",
            "(*PRUNE:)(*SKIP:)(*THEN:)(*ACCEPT:)a",
        ] {
            if let Err(e) = Regex::new(p) {
                panic!("{p:?}: {e}");
            }
        }
    }

    #[test]
    fn random_accepted_patterns_compile_with_pcre2() {
        let alphabet: &[&str] = &[
            "a", "b", "(", ")", "[", "]", "{", "}", "*", "+", "?", "|", "\\", "^", "$", ".", "-",
            ":", "<", ">", "=", "!", "'", "#", "P", "R", "1", "2", "0", "x", "k", "g", "Q", "E",
            "d", "w", "p", "L", "C", "&", ",", "3", "i", "s", "m", "(?", "(?<", "(?(", "\\k<",
            "[:", ":]", "(*", "\u{e9}", "\n", " ", "D", "A", "Z", "o", "c", "N", "K", "X", "J",
            "U", "8", "u", "(*UCP)", "(*UTF)", "(?x)", "\u{145}", "j", "F", "COMMIT)", "(?|",
        ];
        let mut seed: u64 = 0x1234_5678_9abc_def0;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut accepted = 0;
        for _ in 0..20_000 {
            let len = usize::try_from(next() % 12).unwrap_or(0);
            let mut p = String::new();
            for _ in 0..len {
                let i = usize::try_from(next() % alphabet.len() as u64).unwrap_or(0);
                p.push_str(alphabet[i]);
            }
            if check(p.as_bytes()).is_err() {
                continue;
            }
            accepted += 1;
            match Regex::new(&p) {
                Ok(r) => {
                    let _ = r.captures(b"ab\nx");
                    let _ = r.captures(b"");
                    let _ = r.captures("\u{e9}a".as_bytes());
                }
                Err(CompileError::Unsupported(m)) if !m.contains("cannot be compiled by PCRE2") => {
                }
                Err(e) => panic!("{p:?}: {e}"),
            }
        }
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn catastrophic_backtracking_hits_the_match_limit_and_is_no_match() {
        // Erlang's re gives up at its match limit and returns nomatch.
        let subject = format!("{}b", "a".repeat(4999));
        assert_eq!(subject.len(), 5000);
        let r = re("(a+)+$");
        assert!(r.captures(subject.as_bytes()).is_none());
        assert!(!r.is_match(subject.as_bytes()));
        // The interpreter (used when the JIT stack is exhausted) stops at the limit too.
        let e = run(&r.interpreter, subject.as_bytes()).unwrap_err();
        assert_eq!(e.code(), -47, "{e}"); // PCRE2_ERROR_MATCHLIMIT
                                          // Without the catastrophe the pattern matches.
        assert!(r.is_match("a".repeat(5000).as_bytes()));
    }

    #[test]
    fn limits_in_the_pattern() {
        // PCRE 8.45 keeps the lowest of each; PCRE2 gets one setting of each, never above
        // Erlang's defaults, and LIMIT_RECURSION is PCRE2's LIMIT_DEPTH.
        let src = re("(*LIMIT_MATCH=300)(*LIMIT_RECURSION=7)(*LIMIT_MATCH=20000000)a")
            .pcre2_source()
            .to_string();
        assert_eq!(
            src,
            format!("(*LIMIT_MATCH=300)(*LIMIT_DEPTH=7)(*LIMIT_HEAP={HEAP_LIMIT_KIB})a")
        );
        let src = re("(*LIMIT_MATCH=99999999999)a").pcre2_source().to_string();
        assert!(
            src.starts_with(&format!("(*LIMIT_MATCH={MATCH_LIMIT})")),
            "{src}"
        );
        // A low limit makes a match that needs much backtracking give up: no match.
        let subject = format!("{}b", "a".repeat(16));
        let p = "^(?:(a+)+$|a+b$)";
        assert!(matches(p, subject.as_bytes()));
        assert!(!matches(
            &format!("(*LIMIT_MATCH=1000){p}"),
            subject.as_bytes()
        ));
    }

    #[test]
    fn recursion_and_subroutine_calls() {
        // `(?R)`: balanced parentheses.
        let p = "\\((?:[^()]|(?R))*\\)";
        assert_eq!(whole(p, b"(a(b)c)"), Some((0, 7)));
        assert_eq!(whole(p, b"x(a(b)c"), Some((3, 6)));
        assert_eq!(whole("a(?R)?b", b"aaabbb"), Some((0, 6)));
        assert_eq!(whole("a(?R)?b", b"aaabb"), Some((1, 5)));
        assert_eq!(whole("(a|b)(?1)", b"ba"), Some((0, 2)));
        assert_eq!(
            whole("(?<n>x)-(?&n)(?P>n)\\g<n>\\g<-1>", b"x-xxxx"),
            Some((0, 6))
        );
        // PCRE 8.45 never backtracks into a call (it is atomic); PCRE2 does, so calls are
        // wrapped in atomic groups.
        assert_eq!(body("(?1)c(a|ab)"), "(?>(?1))c(a|ab)");
        assert!(!matches("^(?1)c(a|ab)", b"abca"));
        assert_eq!(raw_pcre2("^(?1)c(a|ab)", b"abca"), Ok(true));
        assert_eq!(body("\\g<1>+(a)"), "(?>\\g<1>)+(a)");
        // A left recursion loops for ever: PCRE2 reports an error at match time (no match).
        assert!(!matches("(?R)", b"a"));
    }

    #[test]
    fn branch_reset_groups() {
        let r = re("(?|(a)|(b))\\1");
        assert_eq!(r.captures(b"bb"), Some(vec![Some((0, 2)), Some((0, 1))]));
        assert!(!r.is_match(b"ab"));
        assert_eq!(
            re("(?|(a)(b)|(c))(d)").captures(b"cd"),
            Some(vec![Some((0, 2)), Some((0, 1)), None, Some((1, 2))])
        );
    }

    #[test]
    fn backtracking_control_verbs() {
        assert!(matches("a(*COMMIT)b|ac", b"ab"));
        // After (*COMMIT) a failure fails the whole match (no other alternative or start).
        assert!(!matches("a(*COMMIT)b|ac", b"ac"));
        assert!(!matches("a+(*COMMIT)b", b"aaac aab"));
        // (The interpreter runs patterns with verbs: PCRE2's JIT gives (1, 2) here.)
        assert_eq!(whole("a+(*PRUNE)b|.", b"aac"), Some((2, 3)));
        assert!(re("a+(*PRUNE)b|.").jit.is_none());
        assert!(re("a+b|.").jit.is_some() || !pcre2::is_jit_available());
        assert_eq!(whole("a+(*SKIP)b|.", b"aac"), Some((2, 3)));
        assert_eq!(whole("a(*THEN)b|ac", b"ac"), Some((0, 2)));
        assert_eq!(whole("a(*ACCEPT)b", b"ac"), Some((0, 1)));
        assert!(!matches("a(*FAIL)|(*F)", b"a"));
    }

    // --- PCRE 8.45 vs PCRE2, one test per difference (see the module documentation) --------

    #[test]
    fn diff_backslash_c_is_one_byte() {
        assert_eq!(body("\\C"), "\\C");
        assert_eq!(whole("\\C", "\u{e9}".as_bytes()), Some((0, 1)));
        assert_eq!(whole("(*UTF)\\C", "\u{e9}".as_bytes()), Some((0, 1)));
        assert_eq!(whole("(*UTF).", "\u{e9}".as_bytes()), Some((0, 2)));
        assert_eq!(whole("(?<=\\C)a", b"xa"), Some((1, 2)));
    }

    #[test]
    fn diff_duplicate_names() {
        assert_eq!(
            e("(?<a>x)(?<a>y)").0,
            "two named subpatterns have the same name"
        );
        let r = re("(?J)(?:(?<a>x)|(?<a>y))\\k<a>");
        assert!(r.is_match(b"yy"));
        assert!(r.is_match(b"xx"));
        assert!(!r.is_match(b"yx"));
        assert!(matches("(?J)(?:(?<a>x)|(?<a>y))(?P=a)\\g{a}", b"yyy"));
    }

    #[test]
    fn diff_backslash_n() {
        assert_eq!(
            e("\\N{name}").0,
            "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u"
        );
        assert_eq!(
            e("\\N{U+41}").0,
            "PCRE does not support \\L, \\l, \\N{name}, \\U, or \\u"
        );
        assert_eq!(whole("\\N{3}", b"abcd"), Some((0, 3)));
        assert!(!matches("\\N", b"\n"));
    }

    #[test]
    fn diff_start_of_pattern_items() {
        // (*UTF8) is (*UTF) in both.
        assert_eq!(body("(*UTF8)\u{e9}"), "(*UTF8)\u{e9}");
        assert_eq!(whole("(*UTF8).", "\u{e9}".as_bytes()), Some((0, 2)));
        // Newline conventions and \R settings are the same in both.
        assert!(matches("(*CR)(?m)^b", b"a\rb"));
        assert!(!matches("(?m)^b", b"a\rb"));
        assert!(matches("(*ANYCRLF)a$", b"a\r"));
        assert!(!matches("(*BSR_ANYCRLF)\\R", b"\x0b"));
        assert!(matches("\\R", b"\x0b"));
        // PCRE2-only items are not accepted.
        assert_eq!(e("(*NUL)a").0, "(*VERB) not recognized or malformed");
        assert_eq!(
            e("(*LIMIT_HEAP=1)a").0,
            "(*VERB) not recognized or malformed"
        );
        assert_eq!(e("(*NO_JIT)a").0, "(*VERB) not recognized or malformed");
    }

    #[test]
    fn diff_backslash_k_in_lookarounds() {
        // PCRE 8.45 honours \K outside assertions ...
        assert_eq!(whole("a\\Kb", b"ab"), Some((1, 2)));
        // ... ignores it in negative ones (PCRE2 rejects it there: it is dropped) ...
        assert_eq!(body("(?!a\\K)b(?<!x\\K)"), "(?!a)b(?<!x)");
        assert_eq!(whole("(?!a\\K)b", b"b"), Some((0, 1)));
        assert_eq!(whole("(?=(?!x\\K))b", b"b"), Some((0, 1)));
        assert!(raw_pcre2("(?!a\\K)b", b"b").is_err());
        // ... and honours it in positive ones, which PCRE2 cannot do.
        assert!(unsupported("(?=a\\K)a").contains("\\K in a positive lookaround"));
        assert!(unsupported("(?<=a\\K)b").contains("\\K in a positive lookaround"));
        assert!(unsupported("(?(?=a\\K)a)").contains("\\K in a positive lookaround"));
    }

    #[test]
    fn diff_script_properties_use_the_script_not_its_extensions() {
        // U+00B7 MIDDLE DOT: Script=Common, Script_Extensions include Latin.
        assert_eq!(
            body("\\p{Latin}[\\P{^Greek}]"),
            "\\p{sc:Latin}[\\P{^sc:Greek}]"
        );
        assert!(!matches("\\p{Latin}", b"\xb7"));
        assert!(matches("\\p{Common}", b"\xb7"));
        assert!(matches("\\P{Latin}", b"\xb7"));
        assert_eq!(raw_pcre2("\\p{Latin}", b"\xb7"), Ok(true));
        assert!(matches("\\p{Latin}+", b"Az\xaa\xba\xc0\xff"));
        // The validator accepts only PCRE 8.45's names, spelt exactly; PCRE2 knows them all.
        assert_eq!(
            e("\\p{sc:Latin}").0,
            "unknown property name after \\P or \\p"
        );
        assert_eq!(e("\\p{latin}").0, "unknown property name after \\P or \\p");
        for name in [
            "L&", "Xan", "Xps", "Xsp", "Xwd", "Xuc", "Any", "Cn", "Co", "Cs", "Lt",
        ] {
            assert!(
                Regex::new(&format!("\\p{{{name}}}\\P{{{name}}}")).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn all_property_names_compile_with_pcre2() {
        // Every name the validator accepts (PCRE 8.45's table) is one PCRE2 knows.
        for name in CATEGORIES.iter().chain(SCRIPTS) {
            let p = format!("\\p{{{name}}}[\\P{{^{name}}}]");
            if let Err(e) = Regex::new(&p) {
                panic!("{p}: {e}");
            }
        }
    }

    #[test]
    fn diff_caseless_case_properties() {
        // PCRE2 (>= 10.45) matches \p{Lu}, \p{Ll}, \p{Lt} as \p{L&} when caseless; PCRE 8.45
        // does not let caseless matching affect them.
        assert_eq!(body("(?i)\\p{Lu}+"), "(?i)(?-i:\\p{Lu})+");
        assert!(!matches("(?i)\\p{Lu}", b"a"));
        assert!(matches("(?i)\\p{Lu}", b"A"));
        assert!(matches("(?i)\\P{Lu}", b"a"));
        assert!(!matches("(?i)\\p{Ll}", b"A"));
        assert!(matches("(?i)\\p{L&}", b"a"));
        assert_eq!(raw_pcre2("(?i)\\p{Lu}", b"a"), Ok(true));
        assert!(unsupported("(?i)[a\\p{Lu}]").contains("in a character class"));
        assert!(matches("[\\p{Lu}]", b"A"));
        // PCRE 8.45 turns caseless [:upper:] / [:lower:] into [:alpha:] (also under (*UCP));
        // PCRE2 does not in (*UCP) mode.
        assert_eq!(body("(*UCP)(?i)[[:upper:]]"), "(*UCP)(?i)[[:alpha:]]");
        assert!(matches("(*UCP)(?i)[[:upper:]]", b"a"));
        assert!(matches("(?i)[[:^lower:]]", b"1"));
        assert!(!matches("(?i)[[:^lower:]]", b"A"));
        assert_eq!(raw_pcre2("(*UCP)(?i)[[:upper:]]", b"a"), Ok(false));
        assert!(!matches("[[:upper:]]", b"a"));
    }

    #[test]
    fn diff_ucp_caseless_bytes_above_0x7f() {
        // Without UTF, PCRE 8.45 folds ASCII only; PCRE2 with (*UCP) folds Latin-1 too.
        assert!(!matches("(?i)\\xe9", b"\xc9"));
        assert!(!matches("(*UCP)\\xe9", b"\xc9"));
        assert_eq!(raw_pcre2("(*UCP)(?i)\\xe9", b"\xc9"), Ok(true));
        for p in [
            "(*UCP)(?i)\\xe9",
            "(*UCP)(?i)[\\xc0-\\xff]",
            "(*UCP)(?i)(a)\\1",
            "(*UCP)(?i:\u{e9})",
        ] {
            assert!(unsupported(p).contains("(*UCP)"), "{p}");
        }
        // What cannot differ is accepted.
        assert!(matches("(*UCP)(?i)ab[c-e]\\xd7", b"ABD\xd7"));
        assert!(matches("(*UCP)\\w", b"\xe9"));
        assert!(matches("(*UTF)(?i)\u{e9}", "\u{c9}".as_bytes()));
    }

    #[test]
    fn diff_dollar() {
        // No PCRE_DOLLAR_ENDONLY in either: `$` matches before a final newline.
        assert_eq!(whole("a$", b"a\n"), Some((0, 1)));
        assert_eq!(whole("a$\\n", b"a\n"), Some((0, 2)));
        assert!(!matches("a$", b"a\nb"));
        assert!(matches("(?m)a$", b"a\nb"));
        assert!(!matches("a\\z", b"a\n"));
        assert!(matches("a\\Z", b"a\n"));
    }

    #[test]
    fn diff_empty_class() {
        // No PCRE2_ALLOW_EMPTY_CLASS: `]` first in a class is a literal in both.
        assert_eq!(body("[]a]"), "[]a]");
        assert_eq!(whole("[]a]+", b"]a"), Some((0, 2)));
        assert!(matches("[^]a]", b"b"));
        assert!(!matches("[^]a]", b"]"));
        assert_eq!(e("[]").0, "missing terminating ] for character class");
        assert_eq!(e("[^]").0, "missing terminating ] for character class");
    }

    #[test]
    fn diff_braces_that_are_not_quantifiers() {
        // PCRE2 >= 10.43 reads `{,n}` (and `{ n }`) as quantifiers; PCRE 8.45 as literals.
        assert_eq!(body("a{,3}x{ 2}"), "a\\{,3}x\\{ 2}");
        assert_eq!(whole("a{,3}", b"a{,3}"), Some((0, 5)));
        assert!(!matches("a{,3}", b"aa"));
        assert_eq!(raw_pcre2("^a{,3}$", b"aa"), Ok(true));
        assert_eq!(whole("a{2}", b"aaa"), Some((0, 2)));
        assert_eq!(whole("a{2,}", b"aaa"), Some((0, 3)));
        assert_eq!(whole("a{", b"a{"), Some((0, 2)));
    }

    #[test]
    fn diff_extended_mode() {
        // PCRE2 also skips U+0085 (a byte of many UTF-8 sequences) and reads `xx` as
        // "extended more"; extended-mode white space and comments are removed instead.
        assert_eq!(body("(?x) a b # c\n d"), "abd");
        assert_eq!(body("(?x:a b)c d"), "(?:ab)c d");
        assert_eq!(whole("(?x)\u{145}", "\u{145}".as_bytes()), Some((0, 2)));
        assert_eq!(raw_pcre2("(?x)^\u{145}$", "\u{145}".as_bytes()), Ok(false));
        assert!(matches("(?xx)^[a b]$", b" "));
        assert_eq!(raw_pcre2("(?xx)^[a b]$", b" "), Ok(false));
        assert_eq!(whole("(?x)a\\ b", b"a b"), Some((0, 3)));
        assert_eq!(whole("(?x)\\x4 1", b"\x041"), Some((0, 2)));
        assert_eq!(whole("(?x)(a)\\1 0", b"aa0"), Some((0, 3)));
        assert_eq!(whole("(?x)a{2 }", b"a{2}"), Some((0, 4)));
        assert_eq!(whole("(?x)[ ]", b" "), Some((0, 1)));
        assert_eq!(whole("(?x)\\Q a\\E", b" a"), Some((0, 2)));
        assert_eq!(whole("(?x)a(?-x) b", b"a b"), Some((0, 3)));
    }

    #[test]
    fn diff_pcre_extra_and_unknown_escapes() {
        // PCRE2 has no PCRE_EXTRA (`(?X)`) and always rejects unknown letter escapes.
        assert_eq!(body("(?X)a(?iX-X:b)"), "a(?i:b)");
        assert_eq!(e("(?X)\\j").0, "unrecognized character follows \\");
        assert_eq!(whole("\\j\\q", b"jq"), Some((0, 2)));
        assert!(raw_pcre2("\\j", b"j").is_err());
        assert_eq!(whole("[\\j\\R\\X]+", b"jRX"), Some((0, 3)));
        assert!(raw_pcre2("[\\R]", b"R").is_err());
        // \8 and \9 are literals unless there are that many groups (PCRE2: references).
        assert_eq!(body("\\8\\81"), "\\x{38}\\x{38}1");
        assert_eq!(whole("\\8\\9", b"89"), Some((0, 2)));
        assert!(raw_pcre2("\\8", b"8").is_err());
        assert_eq!(whole("(a)\\12", b"a\n"), Some((0, 2)));
        assert_eq!(whole("(a)\\1", b"aa"), Some((0, 2)));
        assert_eq!(
            whole("(a)(b)(c)(d)(e)(f)(g)(h)\\8", b"abcdefghh"),
            Some((0, 9))
        );
        // \c before any ASCII character (PCRE2: printable ones only).
        assert_eq!(whole("\\c\u{1}\\ca\\c{", b"A\x01;"), Some((0, 3)));
        assert!(raw_pcre2("\\c\u{1}", b"A").is_err());
        assert_eq!(
            whole("\\x41\\x{42}\\103\\o{104}\\0", b"ABCD\0"),
            Some((0, 5))
        );
    }

    #[test]
    fn diff_hyphen_after_a_class_type() {
        assert_eq!(body("[\\d-z][[:alpha:]-]"), "[\\d\\-z][[:alpha:]\\-]");
        assert_eq!(whole("[\\d-z]+", b"1-z"), Some((0, 3)));
        assert!(!matches("[\\d-z]", b"y"));
        assert!(raw_pcre2("[\\d-z]", b"-").is_err());
        assert_eq!(whole("[a-z-]+", b"a-z"), Some((0, 3)));
    }

    #[test]
    fn diff_condition_names() {
        // PCRE 8.45 looks an undelimited name up first; PCRE2 reads `DEFINE` as a DEFINE
        // group whatever groups exist. Names are given to PCRE2 delimited.
        assert_eq!(body("(?<R1>a)?(?(R1)b|c)"), "(?<R1>a)?(?(<R1>)b|c)");
        assert!(matches("^(?<R1>a)?(?(R1)b|c)$", b"ab"));
        assert!(matches("^(?<R1>a)?(?(R1)b|c)$", b"c"));
        assert!(matches("^(?<DEFINE>a)?(?(DEFINE)b|c)$", b"ab"));
        assert!(matches("^(?<DEFINE>a)?(?(DEFINE)b|c)$", b"c"));
        assert!(raw_pcre2("(?<DEFINE>a)?(?(DEFINE)b|c)", b"ab").is_err());
        assert_eq!(
            body("(?(R)a|b)(?(DEFINE)(?<d>x))"),
            "(?(R)a|b)(?(DEFINE)(?<d>x))"
        );
        assert!(matches("^(?(R)a|b)$", b"b"));
        assert!(matches("^(?(DEFINE)(?<d>x))(?&d)y$", b"xy"));
        assert!(matches("^(?<n>a)?(?(n)b|c)$", b"c"));
        // A recursion test for a group that does not exist: accepted by PCRE 8.45 (never
        // true), rejected by PCRE2; it becomes an always-false assertion.
        assert_eq!(body("(?(R2)a|b)(x)"), "(?(?!)a|b)(x)");
        assert!(matches("^(?(R2)a|b)(x)$", b"bx"));
        assert!(raw_pcre2("(?(R2)a|b)(x)", b"bx").is_err());
        assert_eq!(body("(?(R1)a|b)(x)"), "(?(R1)a|b)(x)");
        assert!(matches("^(x(?(R1)a|b)(?1)?)$", b"xbxa"));
    }

    #[test]
    fn diff_quantified_assertions_and_verb_arguments() {
        assert_eq!(whole("(?=a)*a", b"a"), Some((0, 1)));
        assert_eq!(whole("(?=a){2}a", b"a"), Some((0, 1)));
        assert_eq!(whole("(?!b)??a", b"a"), Some((0, 1)));
        assert_eq!(whole("(?(DEFINE)a)*b", b"b"), Some((0, 1)));
        // An empty verb argument is no argument in both.
        assert_eq!(whole("(*PRUNE:)a(*THEN:)", b"a"), Some((0, 1)));
        assert_eq!(e("(*MARK:)").0, "(*MARK) must have an argument");
    }

    #[test]
    fn byte_semantics() {
        // Subjects are bytes, as re:run/3 sees a binary.
        assert!(!matches("^caf.$", "caf\u{e9}".as_bytes()));
        assert!(matches("^caf..$", "caf\u{e9}".as_bytes()));
        assert!(matches("^caf\u{e9}$", "caf\u{e9}".as_bytes()));
        assert!(!matches("^\\w+$", "caf\u{e9}".as_bytes()));
        assert!(matches("(?i)^BOB$", b"bob"));
        assert!(!matches("(?i)\u{e9}", "\u{c9}".as_bytes()));
        assert!(matches("\\s\\h\\v", b"\x0b\xa0\x85"));
        assert_eq!(whole("\\X", b"\r\n"), Some((0, 2)));
    }

    #[test]
    fn nul_ends_the_pattern_for_pcre2_too() {
        assert_eq!(body("ab\0*"), "ab");
    }

    #[test]
    fn compile_errors_are_pcre_errors() {
        let expected = PcreError {
            message: "missing )",
            offset: 2,
        };
        assert!(matches!(Regex::new("a("), Err(CompileError::Pcre(e)) if e == expected));
        assert_eq!(expected.to_string(), "missing ) at offset 2");
    }
}
