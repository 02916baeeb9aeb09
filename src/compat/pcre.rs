//! The `process_rosteritems` filter language (commands.md §11).
//!
//! `process_rosteritems action subs asks users contacts`: every field is split on `:` (empty
//! pieces dropped).
//! * action: `list` | `delete`;
//! * subs: `none|from|to|both`, `any` = all four (replacing what was accumulated);
//! * asks: `none|out|in` plus `both|subscribe|unsubscribe` when listed explicitly, `any` =
//!   `none,out,in` only;
//! * users / contacts: JID patterns whose parts are PCRE regular expressions, `any` =
//!   [`.*`, `.*@.*`] (replacing what was accumulated).
//!
//! Every pattern's whole text must compile as a PCRE regex (as Erlang's `re`, i.e. PCRE 8.x in
//! 8-bit non-UTF mode, would compile it); each one that does not is reported with PCRE's own
//! error text and offset: `Wrong regexp <<"*">>: {"nothing to repeat",0}`.
//!
//! Matching a pattern against a JID `(u, s)`: the pattern is parsed as a JID (so it is
//! normalised — lower-cased — and its resource ignored) giving `(pu, ps)`; `ps` must
//! full-match `s`; if `pu` is empty `u` must be empty, otherwise `pu` must full-match `u`.
//! full-match(re, str): take the leftmost match of `re` in `str` (backtracking, leftmost-first
//! semantics); true iff the whole match or any capture group spans exactly the whole string (so
//! `a|ab` does not full-match `ab`).
//!
//! Implementation: the PCRE syntax is parsed by our own PCRE 8.45 emulation (error texts and
//! offsets included) and translated into an equivalent `fancy_regex` pattern that runs over the
//! subject's bytes mapped one-to-one onto the characters U+0000..=U+00FF, which reproduces
//! PCRE's byte-oriented (non-UTF) semantics: `.` matches one byte, `\w` is ASCII-only, case
//! folding is ASCII-only, etc.

use std::fmt;

use crate::compat::erlang::{self, Term};

/// What `process_rosteritems` does with the matching items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Only list them.
    List,
    /// List and delete them.
    Delete,
}

/// A parsed `process_rosteritems` filter.
#[derive(Debug, Clone)]
pub struct Filter {
    /// `list` or `delete`.
    pub action: Action,
    /// Accepted subscriptions (subset of `none|from|to|both`, possibly with repetitions).
    pub subs: Vec<String>,
    /// Accepted asks (subset of `none|out|in|both|subscribe|unsubscribe`).
    pub asks: Vec<String>,
    /// Owner patterns (an owner must match at least one).
    pub users: Vec<Pattern>,
    /// Contact patterns (a contact must match at least one).
    pub contacts: Vec<Pattern>,
}

/// A compiled JID pattern.
#[derive(Clone)]
pub struct Pattern {
    /// The pattern as given on the command line.
    text: String,
    /// User-part matcher; `None` when the pattern's user part is empty (the user must then be
    /// empty).
    user: Option<Matcher>,
    /// Server-part matcher.
    server: Matcher,
}

impl Pattern {
    /// The pattern text as given on the command line.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the JID `(user, server)` matches this pattern.
    pub fn matches(&self, user: &str, server: &str) -> bool {
        if !self.server.full_match(server) {
            return false;
        }
        match &self.user {
            None => user.is_empty(),
            Some(m) => m.full_match(user),
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern")
            .field("text", &self.text)
            .field("user", &self.user.as_ref().map(|m| m.source.as_str()))
            .field("server", &self.server.source)
            .finish()
    }
}

/// Why a filter could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// Unknown action / subscription / ask word: message for an exit-1 error, e.g.
    /// `invalid action "foo": expected list or delete`.
    Invalid(String),
    /// One line per pattern that does not compile, in order users then contacts, exactly:
    /// `Wrong regexp <<"P">>: {"<pcre message>",<offset>}` (P and the tuple rendered with
    /// Erlang's `~p`, so a very long line may wrap like the reference output).
    WrongRegexps(Vec<String>),
    /// A pattern that is not a valid JID (e.g. starts with `@`, two `@`) — MongooseIM crashes
    /// here. Also used when a pattern's normalised user or server part is not a regex PCRE
    /// accepts (MongooseIM crashes in `re:run` then). Carries the pattern text as given; when
    /// the pattern uses a PCRE feature this clone cannot match with (recursion, backtracking
    /// verbs, branch reset, UTF mode, ...) the text is followed by ` (reason)`.
    InvalidJidPattern(String),
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::Invalid(m) | FilterError::InvalidJidPattern(m) => f.write_str(m),
            FilterError::WrongRegexps(lines) => f.write_str(&lines.join("\n")),
        }
    }
}

impl std::error::Error for FilterError {}

const ALL_SUBS: [&str; 4] = ["none", "from", "to", "both"];
const ANY_ASKS: [&str; 3] = ["none", "out", "in"];
const ALL_ASKS: [&str; 6] = ["none", "out", "in", "both", "subscribe", "unsubscribe"];

/// `"text"` with `"` and `\` escaped, for our own error messages.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn tokens(field: &str) -> impl Iterator<Item = &str> {
    field.split(':').filter(|t| !t.is_empty())
}

/// A `:`-separated word list: each word one of `allowed`; `any` replaces what was accumulated
/// with `any_means`.
fn words(
    field: &str,
    allowed: &[&str],
    any_means: &[&str],
    what: &str,
    expected: &str,
) -> Result<Vec<String>, FilterError> {
    let mut list: Vec<String> = Vec::new();
    for t in tokens(field) {
        if t == "any" {
            list = any_means.iter().map(|s| s.to_string()).collect();
        } else if allowed.contains(&t) {
            list.push(t.to_string());
        } else {
            return Err(FilterError::Invalid(format!(
                "invalid {what} {}: expected {expected}",
                quote(t)
            )));
        }
    }
    Ok(list)
}

/// Parse the five `process_rosteritems` arguments.
///
/// `jid_parse` parses a JID string per commands.md §2.2 and returns the normalised
/// `(user, server)`, or `None` if the string is not a valid JID.
///
/// Checks, in order: action, subs, asks (→ [`FilterError::Invalid`]); then every pattern must
/// compile as a PCRE regex (→ [`FilterError::WrongRegexps`], users first, then contacts); then
/// every pattern must be a valid JID whose parts are usable regexes
/// (→ [`FilterError::InvalidJidPattern`]).
pub fn parse_filter(
    action: &str,
    subs: &str,
    asks: &str,
    users: &str,
    contacts: &str,
    jid_parse: &dyn Fn(&str) -> Option<(String, String)>,
) -> Result<Filter, FilterError> {
    let action = match action {
        "list" => Action::List,
        "delete" => Action::Delete,
        other => {
            return Err(FilterError::Invalid(format!(
                "invalid action {}: expected list or delete",
                quote(other)
            )))
        }
    };
    let sub_list = words(
        subs,
        &ALL_SUBS,
        &ALL_SUBS,
        "subscription",
        "none, from, to, both or any",
    )?;
    let ask_list = words(
        asks,
        &ALL_ASKS,
        &ANY_ASKS,
        "ask",
        "none, out, in, both, subscribe, unsubscribe or any",
    )?;
    let pattern_texts = |field: &str| -> Vec<String> {
        let mut acc: Vec<String> = Vec::new();
        for t in tokens(field) {
            if t == "any" {
                acc = vec![".*".to_string(), ".*@.*".to_string()];
            } else {
                acc.push(t.to_string());
            }
        }
        acc
    };
    let user_texts = pattern_texts(users);
    let contact_texts = pattern_texts(contacts);

    // Every pattern's whole text must compile.
    let wrong: Vec<String> = user_texts
        .iter()
        .chain(contact_texts.iter())
        .filter_map(|p| {
            pcre::check(p.as_bytes())
                .err()
                .map(|e| wrong_regexp_line(p, &e))
        })
        .collect();
    if !wrong.is_empty() {
        return Err(FilterError::WrongRegexps(wrong));
    }

    let compile_all = |texts: &[String]| -> Result<Vec<Pattern>, FilterError> {
        texts
            .iter()
            .map(|t| compile_pattern(t, jid_parse))
            .collect()
    };
    let users = compile_all(&user_texts)?;
    let contacts = compile_all(&contact_texts)?;
    Ok(Filter {
        action,
        subs: sub_list,
        asks: ask_list,
        users,
        contacts,
    })
}

impl Filter {
    /// Whether a roster item matches: subscription ∈ subs, ask ∈ asks, the owner matches some
    /// users pattern and the contact matches some contacts pattern.
    pub fn matches(
        &self,
        subscription: &str,
        ask: &str,
        owner_user: &str,
        owner_server: &str,
        contact_user: &str,
        contact_server: &str,
    ) -> bool {
        self.subs.iter().any(|s| s == subscription)
            && self.asks.iter().any(|a| a == ask)
            && self
                .users
                .iter()
                .any(|p| p.matches(owner_user, owner_server))
            && self
                .contacts
                .iter()
                .any(|p| p.matches(contact_user, contact_server))
    }
}

/// `Wrong regexp ~p: ~p` for a pattern that PCRE rejects.
fn wrong_regexp_line(pattern: &str, e: &pcre::PcreError) -> String {
    let prefix = "Wrong regexp ";
    let bin = Term::bin(pattern).pretty(prefix.len());
    let col = erlang::column_after(&bin, prefix.len());
    let reason = Term::tuple(vec![Term::string(e.message), Term::int(e.offset)]);
    format!("{prefix}{bin}: {}", reason.pretty(col + 2))
}

fn compile_pattern(
    text: &str,
    jid_parse: &dyn Fn(&str) -> Option<(String, String)>,
) -> Result<Pattern, FilterError> {
    let Some((pu, ps)) = jid_parse(text) else {
        return Err(FilterError::InvalidJidPattern(text.to_string()));
    };
    let part = |part: &str, what: &str| -> Result<Matcher, FilterError> {
        Matcher::new(part).map_err(|e| match e {
            PartError::NotRegex => FilterError::InvalidJidPattern(text.to_string()),
            PartError::Unsupported(m) => FilterError::InvalidJidPattern(format!(
                "{text} (its {what} part {} {m})",
                quote(part)
            )),
        })
    };
    let user = if pu.is_empty() {
        None
    } else {
        Some(part(&pu, "user")?)
    };
    let server = part(&ps, "server")?;
    Ok(Pattern {
        text: text.to_string(),
        user,
        server,
    })
}

/// Why a normalised pattern part cannot be used for matching.
enum PartError {
    /// PCRE rejects it (MongooseIM's `re:run` would crash).
    NotRegex,
    /// It uses a construct the translation does not support.
    Unsupported(String),
}

/// A compiled regex part with full-match semantics.
#[derive(Clone)]
struct Matcher {
    /// The translated `fancy_regex` source.
    source: String,
    regex: fancy_regex::Regex,
}

impl Matcher {
    /// Compile a PCRE pattern.
    fn new(pattern: &str) -> Result<Matcher, PartError> {
        let compiled = pcre::check(pattern.as_bytes()).map_err(|_| PartError::NotRegex)?;
        if let Some(what) = compiled.unsupported {
            return Err(PartError::Unsupported(format!(
                "uses {what}, which is not supported"
            )));
        }
        let regex = fancy_regex::RegexBuilder::new(&compiled.source)
            .backtrack_limit(10_000_000)
            .build()
            .map_err(|e| PartError::Unsupported(format!("cannot be compiled ({e})")))?;
        Ok(Matcher {
            source: compiled.source,
            regex,
        })
    }

    /// PCRE-style full match of `subject` (bytes mapped to U+0000..=U+00FF).
    fn full_match(&self, subject: &str) -> bool {
        let latin1: String = subject.bytes().map(char::from).collect();
        let whole = latin1.len();
        match self.regex.captures(&latin1) {
            Ok(Some(caps)) => caps
                .iter()
                .flatten()
                .any(|m| m.start() == 0 && m.end() == whole),
            // No match, or the backtracking limit was hit (PCRE: match limit → nomatch).
            Ok(None) | Err(_) => false,
        }
    }
}

/// PCRE 8.45 (8-bit, non-UTF default) syntax emulation: error messages and offsets as
/// `re:compile/1` reports them, and translation to `fancy_regex` syntax.
#[allow(clippy::module_inception)]
mod pcre {
    /// A compile error: PCRE's message and the byte offset it reports.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) struct PcreError {
        pub message: &'static str,
        pub offset: usize,
    }

    /// A pattern PCRE accepts.
    #[derive(Debug)]
    pub(super) struct Compiled {
        /// Equivalent `fancy_regex` source (to run over Latin-1-mapped subjects).
        pub source: String,
        /// Set when the pattern uses a feature the translation cannot reproduce.
        pub unsupported: Option<&'static str>,
    }

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
    // Byte sets (the subject alphabet is 0..=255)

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Set([u64; 4]);

    impl Set {
        const EMPTY: Set = Set([0; 4]);
        const FULL: Set = Set([u64::MAX; 4]);

        fn single(c: u8) -> Set {
            let mut s = Set::EMPTY;
            s.add(c);
            s
        }

        fn range(a: u8, b: u8) -> Set {
            let mut s = Set::EMPTY;
            s.add_range(a, b);
            s
        }

        fn add(&mut self, c: u8) {
            self.0[usize::from(c >> 6)] |= 1u64 << (c & 63);
        }

        fn add_range(&mut self, a: u8, b: u8) {
            for c in a..=b {
                self.add(c);
            }
        }

        fn has(&self, c: u8) -> bool {
            self.0[usize::from(c >> 6)] & (1u64 << (c & 63)) != 0
        }

        fn union(mut self, o: Set) -> Set {
            for i in 0..4 {
                self.0[i] |= o.0[i];
            }
            self
        }

        fn minus(mut self, o: Set) -> Set {
            for i in 0..4 {
                self.0[i] &= !o.0[i];
            }
            self
        }

        fn not(mut self) -> Set {
            for w in &mut self.0 {
                *w = !*w;
            }
            self
        }

        /// Add the other case of every ASCII letter (PCRE's default "C" locale tables).
        fn fold(self) -> Set {
            let mut out = self;
            for c in b'A'..=b'Z' {
                if self.has(c) || self.has(c + 32) {
                    out.add(c);
                    out.add(c + 32);
                }
            }
            out
        }

        fn emit(&self, out: &mut String) {
            use std::fmt::Write as _;
            if *self == Set::EMPTY {
                out.push_str("[^\\x{0}-\\x{10FFFF}]");
                return;
            }
            let mut ranges = Vec::new();
            let mut c: u16 = 0;
            while c < 256 {
                let b = u8::try_from(c).unwrap_or(u8::MAX);
                if self.has(b) {
                    let start = b;
                    let mut end = b;
                    while end < u8::MAX && self.has(end + 1) {
                        end += 1;
                    }
                    ranges.push((start, end));
                    c = u16::from(end) + 1;
                } else {
                    c += 1;
                }
            }
            if let [(a, b)] = ranges.as_slice() {
                if a == b {
                    let _ = write!(out, "\\x{{{a:x}}}");
                    return;
                }
            }
            out.push('[');
            for (a, b) in ranges {
                if a == b {
                    let _ = write!(out, "\\x{{{a:x}}}");
                } else {
                    let _ = write!(out, "\\x{{{a:x}}}-\\x{{{b:x}}}");
                }
            }
            out.push(']');
        }
    }

    fn digit_set() -> Set {
        Set::range(b'0', b'9')
    }
    fn word_set() -> Set {
        Set::range(b'0', b'9')
            .union(Set::range(b'A', b'Z'))
            .union(Set::range(b'a', b'z'))
            .union(Set::single(b'_'))
    }
    fn space_set() -> Set {
        // \s in PCRE >= 8.34 (C locale isspace): HT LF VT FF CR space.
        Set::range(0x09, 0x0d).union(Set::single(b' '))
    }
    fn hspace_set() -> Set {
        Set::single(0x09)
            .union(Set::single(b' '))
            .union(Set::single(0xa0))
    }
    fn vspace_set() -> Set {
        Set::range(0x0a, 0x0d).union(Set::single(0x85))
    }

    fn posix_class(name: &[u8]) -> Option<(usize, Set)> {
        let upper = Set::range(b'A', b'Z');
        let lower = Set::range(b'a', b'z');
        let digit = digit_set();
        let alpha = upper.union(lower);
        let alnum = alpha.union(digit);
        let cntrl = Set::range(0, 0x1f).union(Set::single(0x7f));
        let graph = Set::range(0x21, 0x7e);
        let set = match name {
            b"alpha" => alpha,
            b"lower" => lower,
            b"upper" => upper,
            b"alnum" => alnum,
            b"ascii" => Set::range(0, 0x7f),
            b"blank" => Set::single(b'\t').union(Set::single(b' ')),
            b"cntrl" => cntrl,
            b"digit" => digit,
            b"graph" => graph,
            b"print" => Set::range(0x20, 0x7e),
            b"punct" => graph.minus(alnum),
            b"space" => space_set(),
            b"word" => word_set(),
            b"xdigit" => digit
                .union(Set::range(b'A', b'F'))
                .union(Set::range(b'a', b'f')),
            _ => return None,
        };
        let index = match name {
            b"alpha" => 0,
            b"lower" => 1,
            b"upper" => 2,
            _ => 3,
        };
        Some((index, set))
    }

    /// PCRE's Unicode property names (general categories, special properties and scripts).
    fn property_set(name: &[u8]) -> Option<Set> {
        const GENERAL: &[&str] = &[
            "Any", "L&", "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M",
            "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
            "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "Xan", "Xps", "Xsp", "Xwd", "Xuc",
        ];
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
        let name = std::str::from_utf8(name).ok()?;
        if !GENERAL.contains(&name) && !SCRIPTS.contains(&name) {
            return None;
        }
        // Characters 0..=255 (the subject alphabet) with the property, computed with the
        // regex engine's Unicode tables.
        let class = match name {
            "Any" => return Some(Set::FULL),
            "L&" => "[\\p{Lu}\\p{Ll}\\p{Lt}]".to_string(),
            "Xan" => "[\\p{L}\\p{N}]".to_string(),
            "Xwd" => "[\\p{L}\\p{N}_]".to_string(),
            "Xps" | "Xsp" => "[\\p{Z}\\x{9}-\\x{d}]".to_string(),
            "Xuc" => "[$@`]".to_string(),
            "Cn" | "Co" | "Cs" => return Some(Set::EMPTY),
            other => format!("\\p{{{other}}}"),
        };
        let re = fancy_regex::Regex::new(&format!("^{class}$")).ok()?;
        let mut set = Set::EMPTY;
        for b in 0..=u8::MAX {
            let mut buf = [0u8; 4];
            if re
                .is_match(char::from(b).encode_utf8(&mut buf))
                .unwrap_or(false)
            {
                set.add(b);
            }
        }
        Some(set)
    }

    // ---------------------------------------------------------------------------------------
    // AST

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Assert {
        /// `\A`, `\G`, and `^` without multiline.
        Start,
        /// `^` with multiline.
        LineStart,
        /// `\z`
        End,
        /// `\Z` and `$` without multiline.
        EndOrFinalNewline,
        /// `$` with multiline.
        LineEnd,
        WordBoundary,
        NotWordBoundary,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum GroupKind {
        Capture,
        NonCapture,
        Atomic,
        LookAhead,
        NegLookAhead,
        LookBehind,
        NegLookBehind,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Greed {
        Greedy,
        Lazy,
        Possessive,
    }

    #[derive(Debug, Clone)]
    enum Cond {
        /// `(?(name)`, `(?(<name>)`, `(?('name')`, `(?(digits)`, `(?(R...)`: resolved at
        /// translation time, when all group names are known (as PCRE's second pass does).
        Ref {
            name: Vec<u8>,
            recno: Option<u32>,
        },
        /// `(?(+n)` / `(?(-n)`, already resolved to an absolute group number.
        Group(u32),
        Assertion(Box<Node>),
        /// `(?(R&name)`: never true (recursion is not supported).
        Recursion,
        Define,
    }

    #[derive(Debug, Clone)]
    enum Node {
        Empty,
        Set(Set),
        Seq(Vec<Node>),
        Alt(Vec<Node>),
        Group(GroupKind, Box<Node>),
        Repeat {
            node: Box<Node>,
            min: u32,
            max: Option<u32>,
            greed: Greed,
        },
        Backref {
            group: u32,
            caseless: bool,
        },
        NamedBackref {
            name: Vec<u8>,
            caseless: bool,
        },
        Assert(Assert),
        Cond {
            cond: Cond,
            yes: Box<Node>,
            no: Option<Box<Node>>,
        },
        /// `\R`
        Newline,
        /// `\X`
        Grapheme,
        /// `\K`
        Keep,
        /// `(?!)`, `(*FAIL)`
        Fail,
        /// Something the translation cannot reproduce.
        Unsupported,
    }

    impl Node {
        fn is_lookaround(&self) -> bool {
            matches!(
                self,
                Node::Group(
                    GroupKind::LookAhead
                        | GroupKind::NegLookAhead
                        | GroupKind::LookBehind
                        | GroupKind::NegLookBehind,
                    _
                )
            )
        }

        /// Fixed match length as PCRE computes it for lookbehind branches (None = variable).
        fn fixed_length(&self) -> Option<u64> {
            match self {
                Node::Empty | Node::Assert(_) | Node::Keep | Node::Fail => Some(0),
                Node::Set(_) => Some(1),
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
                Node::Group(kind, body) => match kind {
                    GroupKind::LookAhead
                    | GroupKind::NegLookAhead
                    | GroupKind::LookBehind
                    | GroupKind::NegLookBehind => Some(0),
                    _ => body.fixed_length(),
                },
                Node::Repeat { node, min, max, .. } => {
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
                Node::Backref { .. }
                | Node::NamedBackref { .. }
                | Node::Newline
                | Node::Grapheme
                | Node::Unsupported => None,
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
        multiline: bool,
        dotall: bool,
        extended: bool,
        ungreedy: bool,
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
        unsupported: Option<&'static str>,
        cond_assert: bool,
    }

    /// Check a pattern as `re:compile(Pattern)` would; on success also translate it.
    pub(super) fn check(pattern: &[u8]) -> Result<Compiled, PcreError> {
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
            unsupported: None,
            cond_assert: false,
        };
        p.start_settings()?;
        let tree = p.parse_pattern()?;
        // Second-pass checks.
        p.run_deferred()?;
        if p.pos < p.pat.len() {
            return Err(err(ERR22, p.pos));
        }
        if p.top_backref > p.bracount {
            return Err(err(ERR15, p.pat.len()));
        }
        let mut source = String::new();
        p.emit(&tree, &mut source);
        Ok(Compiled {
            source,
            unsupported: p.unsupported,
        })
    }

    fn is_word(c: u8) -> bool {
        c.is_ascii_alphanumeric() || c == b'_'
    }

    fn is_space(c: u8) -> bool {
        matches!(c, b' ' | 0x09..=0x0d)
    }

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

        /// `(*UTF8)`, `(*UCP)`, `(*CR)`, ... at the very start of the pattern.
        fn start_settings(&mut self) -> Result<(), PcreError> {
            const FIXED: &[(&[u8], &str)] = &[
                (b"UTF8)", "utf"),
                (b"UTF)", "utf"),
                (b"UCP)", "ucp"),
                (b"NO_AUTO_POSSESS)", ""),
                (b"NO_START_OPT)", ""),
                (b"CRLF)", "newline"),
                (b"CR)", "newline"),
                (b"LF)", ""),
                (b"ANYCRLF)", "newline"),
                (b"ANY)", "newline"),
                (b"BSR_ANYCRLF)", "bsr"),
                (b"BSR_UNICODE)", ""),
            ];
            'outer: while self.cur() == b'(' && self.at(self.pos + 1) == b'*' {
                let after = self.pos + 2;
                for (name, effect) in FIXED {
                    if self.starts_with_at(after, name) {
                        self.pos = after + name.len();
                        match *effect {
                            "utf" => self.utf = true,
                            "ucp" => self.unsupported("(*UCP)"),
                            "newline" => self.unsupported("a newline convention setting"),
                            "bsr" => self.unsupported("(*BSR_ANYCRLF)"),
                            _ => {}
                        }
                        continue 'outer;
                    }
                }
                for prefix in [&b"LIMIT_MATCH="[..], &b"LIMIT_RECURSION="[..]] {
                    if self.starts_with_at(after, prefix) {
                        let mut p = after + prefix.len();
                        while self.at(p).is_ascii_digit() {
                            p += 1;
                        }
                        if self.at(p) != b')' {
                            break 'outer;
                        }
                        self.pos = p + 1;
                        continue 'outer;
                    }
                }
                break;
            }
            if self.utf {
                if let Err(e) = std::str::from_utf8(self.pat) {
                    return Err(err(ERR44, e.valid_up_to()));
                }
                self.unsupported("UTF mode");
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

        fn char_set(&self, c: u32, opts: &Opts) -> Set {
            match u8::try_from(c) {
                Ok(b) => {
                    let s = Set::single(b);
                    if opts.caseless {
                        s.fold()
                    } else {
                        s
                    }
                }
                // Only in UTF mode (matching is unsupported there anyway).
                Err(_) => Set::EMPTY,
            }
        }

        // --- main loop (PCRE's compile_regex / compile_branch) --------------------------------

        /// Parse the whole pattern. Groups are handled with an explicit stack (no recursion),
        /// so any nesting depth is safe; PCRE's own limit (250) is enforced.
        fn parse_pattern(&mut self) -> Result<Node, PcreError> {
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
                    return Ok(Node::Empty);
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
                    let set = self.char_set(ch, &frame.opts);
                    frame.items.push(Node::Set(set));
                    frame.previous = true;
                    self.pos += 1;
                    continue;
                }
                let is_quantifier = !at_end
                    && (matches!(c, b'*' | b'+' | b'?')
                        || (c == b'{' && self.is_counted_repeat(self.pos + 1)));
                if frame.opts.extended && !at_end {
                    if is_space(c) {
                        self.pos += 1;
                        continue;
                    }
                    if c == b'#' {
                        self.pos += 1;
                        while self.pos < self.pat.len() && self.cur() != b'\n' {
                            self.pos += 1;
                        }
                        if self.pos < self.pat.len() {
                            self.pos += 1;
                        }
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
                        let top = stack.pop().map(|f| alt(f.branches)).unwrap_or(Node::Empty);
                        return Ok(top);
                    }
                    if at_end {
                        self.pos = self.pat.len();
                        return Err(self.fail(ERR14));
                    }
                    let Some(done) = stack.pop() else {
                        return Ok(Node::Empty);
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
                    b'^' => {
                        frame.previous = false;
                        frame.items.push(Node::Assert(if frame.opts.multiline {
                            Assert::LineStart
                        } else {
                            Assert::Start
                        }));
                    }
                    b'$' => {
                        frame.previous = false;
                        frame.items.push(Node::Assert(if frame.opts.multiline {
                            Assert::LineEnd
                        } else {
                            Assert::EndOrFinalNewline
                        }));
                    }
                    b'.' => {
                        let set = if frame.opts.dotall {
                            Set::FULL
                        } else {
                            Set::single(b'\n').not()
                        };
                        frame.items.push(Node::Set(set));
                        frame.previous = true;
                    }
                    b'[' => {
                        let opts = frame.opts;
                        let set = self.parse_class(&opts)?;
                        if let Some(frame) = stack.last_mut() {
                            frame.items.push(Node::Set(set));
                            frame.previous = true;
                        }
                    }
                    _ if is_quantifier => {
                        let opts = frame.opts;
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
                        let greed = match self.at(self.pos + 1) {
                            b'+' => {
                                self.pos += 1;
                                Greed::Possessive
                            }
                            b'?' => {
                                self.pos += 1;
                                if opts.ungreedy {
                                    Greed::Greedy
                                } else {
                                    Greed::Lazy
                                }
                            }
                            _ if opts.ungreedy => Greed::Lazy,
                            _ => Greed::Greedy,
                        };
                        if let Some(frame) = stack.last_mut() {
                            let item = frame.items.pop().unwrap_or(Node::Empty);
                            frame.items.push(repeat(item, min, max, greed));
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
                        let (node, repeatable) = match self.check_escape(false, &opts)? {
                            Esc::Char(ch) => (Some(Node::Set(self.char_set(ch, &opts))), true),
                            Esc::Backref(n) => {
                                self.top_backref = self.top_backref.max(n);
                                (
                                    Some(Node::Backref {
                                        group: n,
                                        caseless: opts.caseless,
                                    }),
                                    true,
                                )
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
                                let name = self.named_reference(term)?;
                                (
                                    Some(Node::NamedBackref {
                                        name,
                                        caseless: opts.caseless,
                                    }),
                                    true,
                                )
                            }
                            Esc::SubroutineG => {
                                self.subroutine_g()?;
                                (Some(Node::Unsupported), true)
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
                            Esc::Special(k) => {
                                let (node, repeatable) = self.special_escape(k)?;
                                (Some(node), repeatable)
                            }
                        };
                        if let (Some(node), Some(frame)) = (node, stack.last_mut()) {
                            frame.items.push(node);
                            frame.previous = repeatable;
                        }
                    }
                    _ => {
                        let ch = self.read_char();
                        let set = self.char_set(ch, &frame.opts);
                        frame.items.push(Node::Set(set));
                        frame.previous = true;
                    }
                }
                self.pos += 1;
            }
        }

        /// Build the node of a group whose closing `)` has been reached (pos on it).
        fn close_group(&mut self, frame: Frame) -> Node {
            let body = alt(frame.branches);
            match frame.kind {
                FrameKind::Top => body,
                FrameKind::Group(kind) => Node::Group(kind, Box::new(body)),
                FrameKind::Cond(cond) => self.finish_conditional(body, cond),
            }
        }

        /// Node for `\d`, `\b`, `\p{..}`, ... (pos on the letter, or on the last char of a
        /// `\p{...}`). Returns whether it can be repeated.
        fn special_escape(&mut self, k: u8) -> Result<(Node, bool), PcreError> {
            Ok(match k {
                b'd' => (Node::Set(digit_set()), true),
                b'D' => (Node::Set(digit_set().not()), true),
                b'w' => (Node::Set(word_set()), true),
                b'W' => (Node::Set(word_set().not()), true),
                b's' => (Node::Set(space_set()), true),
                b'S' => (Node::Set(space_set().not()), true),
                b'h' => (Node::Set(hspace_set()), true),
                b'H' => (Node::Set(hspace_set().not()), true),
                b'v' => (Node::Set(vspace_set()), true),
                b'V' => (Node::Set(vspace_set().not()), true),
                b'N' => (Node::Set(Set::single(b'\n').not()), true),
                b'C' => (Node::Set(Set::FULL), true),
                b'R' => (Node::Newline, true),
                b'X' => (Node::Grapheme, true),
                b'p' | b'P' => {
                    let (neg, set) = self.get_ucp()?;
                    let set = if neg != (k == b'P') { set.not() } else { set };
                    (Node::Set(set), true)
                }
                b'A' | b'G' => (Node::Assert(Assert::Start), false),
                b'z' => (Node::Assert(Assert::End), false),
                b'Z' => (Node::Assert(Assert::EndOrFinalNewline), false),
                b'b' => (Node::Assert(Assert::WordBoundary), false),
                b'B' => (Node::Assert(Assert::NotWordBoundary), false),
                b'K' => (Node::Keep, false),
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
                b'A' | b'B' | b'C' | b'D' | b'E' | b'G' | b'H' | b'K' | b'N' | b'P' | b'Q'
                | b'R' | b'S' | b'V' | b'W' | b'X' | b'Z' | b'b' | b'd' | b'h' | b'p' | b's'
                | b'v' | b'w' | b'z' => Esc::Special(c),
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

        /// `\g<...>` / `\g'...'` (pos on `g`): syntax checks only (subroutine calls are not
        /// supported by the translation).
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
                self.named_recursion(term)?;
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

        /// `\p` / `\P` (pos on the letter): returns (negated by `^`, set).
        fn get_ucp(&mut self) -> Result<(bool, Set), PcreError> {
            self.pos += 1;
            let c = self.cur();
            if self.pos >= self.pat.len() {
                return Err(self.fail(ERR46));
            }
            let mut neg = false;
            let name: Vec<u8> = if c == b'{' {
                if self.at(self.pos + 1) == b'^' {
                    neg = true;
                    self.pos += 1;
                }
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
            match property_set(&name) {
                Some(set) => Ok((neg, set)),
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

        fn parse_class(&mut self, opts: &Opts) -> Result<Set, PcreError> {
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
            // Literal characters and ranges (folded when caseless) and the sets of escapes
            // such as `\d` and POSIX classes (never folded), as PCRE builds them.
            let mut lits = Set::EMPTY;
            let mut specials = Set::EMPTY;
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
                loop {
                    self.class_item(opts, &mut lits, &mut specials, &mut inescq)?;
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
            if opts.caseless {
                lits = lits.fold();
            }
            let set = lits.union(specials);
            Ok(if negate { set.not() } else { set })
        }

        /// One item of a class at `pos`; leaves pos on its last character.
        fn class_item(
            &mut self,
            opts: &Opts,
            set: &mut Set,
            specials: &mut Set,
            inescq: &mut bool,
        ) -> Result<(), PcreError> {
            let c = self.cur();
            let value: u32;
            if *inescq {
                if c == b'\\' && self.at(self.pos + 1) == b'E' {
                    *inescq = false;
                    self.pos += 1;
                    return Ok(());
                }
                value = self.read_char();
            } else {
                if c == b'[' && matches!(self.at(self.pos + 1), b':' | b'.' | b'=') {
                    if let Some(end) = self.check_posix_syntax(self.pos) {
                        if self.at(self.pos + 1) != b':' {
                            return Err(self.fail(ERR31));
                        }
                        self.pos += 2;
                        let mut local_negate = false;
                        if self.cur() == b'^' {
                            local_negate = true;
                            self.pos += 1;
                        }
                        let name = self.pat.get(self.pos..end).unwrap_or_default();
                        let Some((index, mut pset)) = posix_class(name) else {
                            return Err(self.fail(ERR30));
                        };
                        if opts.caseless && index <= 2 {
                            pset = Set::range(b'A', b'Z').union(Set::range(b'a', b'z'));
                        }
                        *specials = specials.union(if local_negate { pset.not() } else { pset });
                        self.pos = end + 1;
                        return Ok(());
                    }
                }
                if c == b'\\' {
                    match self.check_escape(true, opts)? {
                        Esc::Char(ch) => value = ch,
                        Esc::Special(b'b') => value = 0x08,
                        Esc::Special(b'N') => return Err(self.fail(ERR71)),
                        Esc::Special(b'Q') => {
                            if self.at(self.pos + 1) == b'\\' && self.at(self.pos + 2) == b'E' {
                                self.pos += 2;
                            } else {
                                *inescq = true;
                            }
                            return Ok(());
                        }
                        Esc::Special(b'E') => return Ok(()),
                        Esc::Special(k) => {
                            let add = match k {
                                b'd' => digit_set(),
                                b'D' => digit_set().not(),
                                b'w' => word_set(),
                                b'W' => word_set().not(),
                                b's' => space_set(),
                                b'S' => space_set().not(),
                                b'h' => hspace_set(),
                                b'H' => hspace_set().not(),
                                b'v' => vspace_set(),
                                b'V' => vspace_set().not(),
                                b'p' | b'P' => {
                                    let (neg, s) = self.get_ucp()?;
                                    if neg != (k == b'P') {
                                        s.not()
                                    } else {
                                        s
                                    }
                                }
                                _ => {
                                    if opts.extra {
                                        return Err(self.fail(ERR7));
                                    }
                                    // Unknown in a class: the letter itself.
                                    Set::single(k)
                                }
                            };
                            *specials = specials.union(add);
                            return Ok(());
                        }
                        Esc::NamedK => value = u32::from(b'k'),
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
                    self.add_class_char(set, value);
                    return Ok(());
                }
                let mut d = self.read_char();
                if !*inescq {
                    if d == u32::from(b'\\') {
                        match self.check_escape(true, opts)? {
                            Esc::Char(ch) => d = ch,
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
                if let (Ok(a), Ok(b)) = (u8::try_from(value), u8::try_from(d)) {
                    set.add_range(a, b);
                } else if let Ok(a) = u8::try_from(value) {
                    set.add_range(a, u8::MAX);
                }
                return Ok(());
            }
            self.add_class_char(set, value);
            Ok(())
        }

        fn add_class_char(&self, set: &mut Set, value: u32) {
            if let Ok(b) = u8::try_from(value) {
                set.add(b);
            }
        }

        // --- parentheses ------------------------------------------------------------------

        /// Everything starting with `(` (pos on it). For [`Paren::Open`] pos is left on the
        /// first character of the group body, otherwise on the last character consumed.
        fn parse_paren(&mut self, opts: &Opts) -> Result<Paren, PcreError> {
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
                return Ok(open(FrameKind::Group(GroupKind::Capture), true));
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
                    self.unsupported("branch reset groups (?|...)");
                    Ok(Paren::Open(Open {
                        kind: FrameKind::Group(GroupKind::NonCapture),
                        opts: *opts,
                        lookbehind: false,
                        reset: true,
                        repeatable: true,
                    }))
                }
                b':' => {
                    self.pos += 1;
                    Ok(open(FrameKind::Group(GroupKind::NonCapture), true))
                }
                b'(' => self.conditional(opts),
                b'=' => {
                    self.pos += 1;
                    Ok(open(FrameKind::Group(GroupKind::LookAhead), !cond_assert))
                }
                b'!' => {
                    self.pos += 1;
                    if self.cur() == b')' {
                        return Ok(Paren::Item(Node::Fail, false));
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
                    Ok(open(FrameKind::Group(GroupKind::Atomic), true))
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
                            let name = self.named_reference(b')')?;
                            Ok(Paren::Item(
                                Node::NamedBackref {
                                    name,
                                    caseless: opts.caseless,
                                },
                                true,
                            ))
                        }
                        b'>' => {
                            self.named_recursion(b')')?;
                            Ok(Paren::Item(Node::Unsupported, true))
                        }
                        b'<' => self.named_group(opts, b'>'),
                        _ => Err(self.fail(ERR41)),
                    }
                }
                b'\'' => self.named_group(opts, b'\''),
                b'&' => {
                    self.named_recursion(b')')?;
                    Ok(Paren::Item(Node::Unsupported, true))
                }
                b'R' => {
                    self.pos += 1;
                    self.numerical_recursion(b')')?;
                    Ok(Paren::Item(Node::Unsupported, true))
                }
                b'+' | b'0'..=b'9' => {
                    self.numerical_recursion(b')')?;
                    Ok(Paren::Item(Node::Unsupported, true))
                }
                b'-' if self.at(self.pos + 1).is_ascii_digit() => {
                    self.numerical_recursion(b')')?;
                    Ok(Paren::Item(Node::Unsupported, true))
                }
                _ => self.option_setting(opts),
            }
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
                kind: FrameKind::Group(GroupKind::Capture),
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

        fn named_recursion(&mut self, term: u8) -> Result<(), PcreError> {
            self.named_reference(term)?;
            self.unsupported("recursion or subroutine calls");
            Ok(())
        }

        /// `(?R)`, `(?n)`, `(?+n)`, `(?-n)`, `\g<n>` with pos on the sign/first digit.
        fn numerical_recursion(&mut self, term: u8) -> Result<(), PcreError> {
            self.unsupported("recursion or subroutine calls");
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

        /// `(?imsxJUX-imsxJUX)` or `(?imsx:...)` with pos after `(?`.
        fn option_setting(&mut self, opts: &Opts) -> Result<Paren, PcreError> {
            let mut new = *opts;
            let mut unset = false;
            while self.pos < self.pat.len() && self.cur() != b')' && self.cur() != b':' {
                let ch = self.cur();
                self.pos += 1;
                let flag = match ch {
                    b'-' => {
                        unset = true;
                        continue;
                    }
                    b'i' => &mut new.caseless,
                    b'm' => &mut new.multiline,
                    b's' => &mut new.dotall,
                    b'x' => &mut new.extended,
                    b'U' => &mut new.ungreedy,
                    b'X' => &mut new.extra,
                    b'J' => &mut new.dupnames,
                    _ => {
                        self.pos -= 1;
                        return Err(self.fail(ERR12));
                    }
                };
                *flag = !unset;
            }
            if self.pos >= self.pat.len() {
                return Err(self.fail(ERR12));
            }
            if self.cur() == b')' {
                return Ok(Paren::Options(new));
            }
            self.pos += 1;
            Ok(Paren::Open(Open {
                kind: FrameKind::Group(GroupKind::NonCapture),
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
            // (name, argument mandatory, argument allowed)
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
                        Node::Fail
                    } else {
                        self.unsupported("backtracking control verbs");
                        Node::Unsupported
                    }
                }
                b"PRUNE" | b"SKIP" | b"THEN" => {
                    self.unsupported("backtracking control verbs");
                    Node::Unsupported
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
                    kind: FrameKind::Cond(None),
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
            let cond = if refsign != 0 {
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
                Cond::Group(resolved.and_then(|r| u32::try_from(r).ok()).unwrap_or(0))
            } else if is_rref_name {
                self.deferred.push(Deferred::NameExists(name, after));
                Cond::Recursion
            } else {
                self.deferred.push(Deferred::Condition {
                    name: name.clone(),
                    recno,
                    terminated: term != 0,
                    offset: after,
                });
                if term == 0 && name == b"DEFINE" && self.name_number(&name).is_none() {
                    Cond::Define
                } else {
                    Cond::Ref { name, recno }
                }
            };
            // pos is on the first character of the yes-branch.
            Ok(Paren::Open(Open {
                kind: FrameKind::Cond(Some(cond)),
                opts: *opts,
                lookbehind: false,
                reset: false,
                repeatable: true,
            }))
        }

        fn finish_conditional(&mut self, body: Node, cond: Option<Cond>) -> Node {
            let mut branches = match body {
                Node::Alt(b) => b,
                other => vec![other],
            };
            let define = matches!(cond, Some(Cond::Define));
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
            let mut yes = branches.into_iter().next().unwrap_or(Node::Empty);
            let cond = match cond {
                Some(c) => c,
                None => {
                    // Split the assertion off the first branch.
                    let (first, rest) = match yes {
                        Node::Seq(mut items) if !items.is_empty() => {
                            let first = items.remove(0);
                            (first, seq(items))
                        }
                        other => (other, Node::Empty),
                    };
                    yes = rest;
                    Cond::Assertion(Box::new(first))
                }
            };
            Node::Cond {
                cond,
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

        fn emit(&mut self, node: &Node, out: &mut String) {
            use std::fmt::Write as _;
            match node {
                Node::Empty => out.push_str("(?:)"),
                Node::Set(s) => s.emit(out),
                Node::Seq(items) => {
                    for i in items {
                        self.emit_atom(i, out);
                    }
                }
                Node::Alt(branches) => {
                    for (i, b) in branches.iter().enumerate() {
                        if i > 0 {
                            out.push('|');
                        }
                        self.emit(b, out);
                    }
                }
                Node::Group(kind, body) => {
                    out.push_str(match kind {
                        GroupKind::Capture => "(",
                        GroupKind::NonCapture => "(?:",
                        GroupKind::Atomic => "(?>",
                        GroupKind::LookAhead => "(?=",
                        GroupKind::NegLookAhead => "(?!",
                        GroupKind::LookBehind => "(?<=",
                        GroupKind::NegLookBehind => "(?<!",
                    });
                    self.emit(body, out);
                    out.push(')');
                }
                Node::Repeat {
                    node,
                    min,
                    max,
                    greed,
                } => {
                    let mut q = match (min, max) {
                        (0, None) => "*".to_string(),
                        (1, None) => "+".to_string(),
                        (0, Some(1)) => "?".to_string(),
                        (n, None) => format!("{{{n},}}"),
                        (n, Some(m)) if n == m => format!("{{{n}}}"),
                        (n, Some(m)) => format!("{{{n},{m}}}"),
                    };
                    if *greed == Greed::Lazy {
                        q.push('?');
                    }
                    if *greed == Greed::Possessive {
                        out.push_str("(?>");
                    }
                    if node.is_lookaround() {
                        // An optional assertion: try it, or skip it.
                        out.push_str("(?:");
                        if *greed == Greed::Lazy {
                            out.push('|');
                            self.emit(node, out);
                        } else {
                            self.emit(node, out);
                            out.push('|');
                        }
                        out.push(')');
                    } else {
                        out.push_str("(?:");
                        self.emit(node, out);
                        out.push(')');
                        out.push_str(&q);
                    }
                    if *greed == Greed::Possessive {
                        out.push(')');
                    }
                }
                Node::Backref { group, caseless } => {
                    if *caseless {
                        let _ = write!(out, "(?i:\\{group})");
                    } else {
                        let _ = write!(out, "(?:\\{group})");
                    }
                }
                Node::NamedBackref { name, caseless } => {
                    let group = self.name_number(name).unwrap_or(0);
                    self.emit(
                        &Node::Backref {
                            group,
                            caseless: *caseless,
                        },
                        out,
                    );
                }
                Node::Assert(a) => out.push_str(match a {
                    Assert::Start => "\\A",
                    Assert::LineStart => "(?:\\A|(?<=\\n)(?!\\z))",
                    Assert::End => "\\z",
                    Assert::EndOrFinalNewline => "(?=\\n?\\z)",
                    Assert::LineEnd => "(?=\\n|\\z)",
                    Assert::WordBoundary => {
                        "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"
                    }
                    Assert::NotWordBoundary => {
                        "(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))"
                    }
                }),
                Node::Cond { cond, yes, no } => {
                    let mut never = matches!(cond, Cond::Recursion);
                    let group = match cond {
                        Cond::Group(n) => Some(*n),
                        Cond::Ref { name, recno } => match self.name_number(name) {
                            Some(n) => Some(n),
                            None if name.first() == Some(&b'R') => {
                                never = true;
                                None
                            }
                            None => *recno,
                        },
                        _ => None,
                    };
                    match (cond, group) {
                        _ if never => {
                            // Never inside a recursion: always the "no" branch.
                            out.push_str("(?:");
                            if let Some(n) = no {
                                self.emit(n, out);
                            }
                            out.push(')');
                        }
                        (Cond::Define, _) => {
                            // Never executed inline: skip it (its groups keep their numbers).
                            out.push_str("(?:(?!)");
                            self.emit_atom(yes, out);
                            out.push_str("|)");
                        }
                        (Cond::Assertion(a), _) => {
                            out.push_str("(?(");
                            self.emit_atom(a, out);
                            out.push(')');
                            self.emit_atom(yes, out);
                            out.push_str("(?=)|");
                            if let Some(n) = no {
                                self.emit_atom(n, out);
                            }
                            out.push_str("(?=))");
                        }
                        (_, Some(n)) => {
                            let _ = write!(out, "(?({n})");
                            self.emit_atom(yes, out);
                            out.push_str("(?=)|");
                            if let Some(no) = no {
                                self.emit_atom(no, out);
                            }
                            out.push_str("(?=))");
                        }
                        (_, None) => out.push_str("(?!)"),
                    }
                }
                Node::Newline => out.push_str("(?>\\x{d}\\x{a}|[\\x{a}-\\x{d}\\x{85}])"),
                Node::Grapheme => out.push_str("(?>\\x{d}\\x{a}|[\\x{0}-\\x{ff}])"),
                Node::Keep => out.push_str("\\K"),
                Node::Fail => out.push_str("(?!)"),
                Node::Unsupported => {
                    self.unsupported("an unsupported construct");
                    out.push_str("(?!)");
                }
            }
        }

        /// Emit a node so that it can be concatenated with neighbours.
        fn emit_atom(&mut self, node: &Node, out: &mut String) {
            if matches!(node, Node::Alt(_)) {
                out.push_str("(?:");
                self.emit(node, out);
                out.push(')');
            } else {
                self.emit(node, out);
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
        /// A conditional group; `None` when the condition is an assertion (its first item).
        Cond(Option<Cond>),
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
    fn repeat(item: Node, min: u32, max: Option<u32>, greed: Greed) -> Node {
        if item.is_lookaround() {
            if min > 0 {
                item
            } else {
                Node::Repeat {
                    node: Box::new(item),
                    min: 0,
                    max: Some(1),
                    greed,
                }
            }
        } else if matches!(
            item,
            Node::Cond {
                cond: Cond::Define,
                ..
            }
        ) {
            item
        } else {
            Node::Repeat {
                node: Box::new(item),
                min,
                max,
                greed,
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn e(p: &str) -> (String, usize) {
            match check(p.as_bytes()) {
                Ok(c) => panic!("{p:?} should not compile, got {:?}", c.source),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test stand-in for the real JID parser: lower-case, cut the resource at the first `/`,
    /// at most one `@`, no leading `@` or `/`, non-empty server.
    fn stub(s: &str) -> Option<(String, String)> {
        if s.starts_with('@') || s.starts_with('/') {
            return None;
        }
        let bare = s.split('/').next().unwrap_or("");
        let lower = bare.to_lowercase();
        let mut parts = lower.split('@');
        let first = parts.next().unwrap_or("").to_string();
        let second = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let (u, srv) = match second {
            Some(srv) => (first, srv.to_string()),
            None => (String::new(), first),
        };
        if srv.is_empty() {
            return None;
        }
        Some((u, srv))
    }

    fn filter(subs: &str, asks: &str, users: &str, contacts: &str) -> Filter {
        parse_filter("list", subs, asks, users, contacts, &stub).unwrap()
    }

    fn pat(p: &str) -> Pattern {
        compile_pattern(p, &stub).unwrap()
    }

    #[test]
    fn spec_example_reports_three_wrong_regexps() {
        let r = parse_filter(
            "list",
            "none:from:to",
            "any",
            "*@example.org",
            "*:*@*icq*",
            &stub,
        );
        assert_eq!(
            r.unwrap_err(),
            FilterError::WrongRegexps(vec![
                "Wrong regexp <<\"*@example.org\">>: {\"nothing to repeat\",0}".to_string(),
                "Wrong regexp <<\"*\">>: {\"nothing to repeat\",0}".to_string(),
                "Wrong regexp <<\"*@*icq*\">>: {\"nothing to repeat\",0}".to_string(),
            ])
        );
    }

    #[test]
    fn wrong_regexp_rendering_escapes() {
        let r = parse_filter("list", "any", "any", "a\\", "any", &stub);
        assert_eq!(
            r.unwrap_err(),
            FilterError::WrongRegexps(vec![
                "Wrong regexp <<\"a\\\\\">>: {\"\\\\ at end of pattern\",2}".to_string()
            ])
        );
        // A long pattern makes the tuple wrap like ~p does.
        let long = format!("{}(", "a".repeat(60));
        let r = parse_filter("list", "any", "any", &long, "any", &stub);
        let FilterError::WrongRegexps(lines) = r.unwrap_err() else {
            panic!("expected WrongRegexps");
        };
        assert_eq!(
            lines,
            vec![format!(
                "Wrong regexp <<\"{long}\">>: {{\"missing )\",\n{}61}}",
                " ".repeat(83)
            )]
        );
    }

    #[test]
    fn invalid_words() {
        assert!(matches!(
            parse_filter("show", "any", "any", "any", "any", &stub),
            Err(FilterError::Invalid(m)) if m == "invalid action \"show\": expected list or delete"
        ));
        assert!(matches!(
            parse_filter("list", "none:foo", "any", "any", "any", &stub),
            Err(FilterError::Invalid(m)) if m.contains("\"foo\"")
        ));
        assert!(matches!(
            parse_filter("list", "any", "maybe", "any", "any", &stub),
            Err(FilterError::Invalid(m)) if m.contains("\"maybe\"")
        ));
        assert_eq!(
            parse_filter("delete", "any", "any", "any", "any", &stub)
                .unwrap()
                .action,
            Action::Delete
        );
    }

    #[test]
    fn invalid_jid_patterns() {
        for p in ["@example.org", "a@b@c", "/x"] {
            assert!(
                matches!(
                    parse_filter("list", "any", "any", p, "any", &stub),
                    Err(FilterError::InvalidJidPattern(_))
                ),
                "{p}"
            );
        }
        // Valid as a whole, but the user part "(a" is not a regex.
        assert_eq!(
            parse_filter("list", "any", "any", "(a@b)", "any", &stub).unwrap_err(),
            FilterError::InvalidJidPattern("(a@b)".to_string())
        );
        assert_eq!(
            parse_filter("list", "any", "any", "any", "a@b@c", &stub).unwrap_err(),
            FilterError::InvalidJidPattern("a@b@c".to_string())
        );
    }

    #[test]
    fn any_handling() {
        let f = filter("none:any", "any", "alice@x:any", "any");
        assert_eq!(f.subs, vec!["none", "from", "to", "both"]);
        assert_eq!(f.asks, vec!["none", "out", "in"]);
        assert_eq!(
            f.users.iter().map(Pattern::text).collect::<Vec<_>>(),
            vec![".*", ".*@.*"]
        );
        let f = filter("any:none", "in:any:both", "any:bob@y", "::");
        assert_eq!(f.subs, vec!["none", "from", "to", "both", "none"]);
        assert_eq!(f.asks, vec!["none", "out", "in", "both"]);
        assert_eq!(f.users.len(), 3);
        assert!(f.contacts.is_empty());
        assert!(!f.matches("none", "none", "a", "b", "c", "d"));
    }

    #[test]
    fn asks_both_only_when_explicit() {
        let f = filter("any", "any", "any", "any");
        for ask in ["none", "out", "in"] {
            assert!(f.matches("both", ask, "a", "x", "b", "y"));
        }
        for ask in ["both", "subscribe", "unsubscribe"] {
            assert!(!f.matches("both", ask, "a", "x", "b", "y"));
        }
        let f = filter("any", "both:subscribe", "any", "any");
        assert!(f.matches("none", "both", "a", "x", "b", "y"));
        assert!(f.matches("none", "subscribe", "a", "x", "b", "y"));
        assert!(!f.matches("none", "none", "a", "x", "b", "y"));
        let f = filter("to", "any", "any", "any");
        assert!(f.matches("to", "none", "a", "x", "b", "y"));
        assert!(!f.matches("from", "none", "a", "x", "b", "y"));
    }

    #[test]
    fn leftmost_first_full_match() {
        let p = pat("a|ab@x");
        assert!(p.matches("a", "x"));
        assert!(!p.matches("ab", "x"));
        let p = pat("ab|a@x");
        assert!(p.matches("ab", "x"));
        assert!(p.matches("a", "x"));
        // a capture group spanning the whole string is enough
        let p = pat("(a|ab)(c|bcd)(d*)@x");
        assert!(p.matches("abcd", "x"));
        let p = pat("(abc)d?@x");
        // leftmost match "abcd" spans all; for "abc" the whole match spans all as well
        assert!(p.matches("abc", "x"));
        assert!(p.matches("abcd", "x"));
        // only a group spans everything: the whole match is longer... use lookahead
        let p = pat("(ab)(?=c)|ab@x");
        assert!(!p.matches("abc", "x"));
        // a group spanning the whole subject while the whole match does not
        let p = pat("(?=(abc))a@x");
        assert!(p.matches("abc", "x"));
        // partial matches do not count
        let p = pat("b@x");
        assert!(!p.matches("abc", "x"));
        let p = pat("alice@localhost");
        assert!(p.matches("alice", "localhost"));
        assert!(!p.matches("alice2", "localhost"));
        assert!(!p.matches("alice", "localhost2"));
        let p = pat(".*@.*");
        assert!(p.matches("", "localhost"));
        assert!(p.matches("bob", "example.com"));
    }

    #[test]
    fn domain_only_patterns_need_an_empty_user() {
        let p = pat("icq.example.org");
        assert!(p.matches("", "icq.example.org"));
        assert!(!p.matches("bob", "icq.example.org"));
        let p = pat(".*");
        assert!(p.matches("", "anything"));
        assert!(!p.matches("u", "anything"));
        let f = filter("any", "any", "any", ".*icq.*");
        assert!(f.matches("both", "none", "alice", "localhost", "", "icq.localhost"));
        assert!(!f.matches("both", "none", "alice", "localhost", "bob", "icq.localhost"));
    }

    #[test]
    fn patterns_are_normalised_and_resource_ignored() {
        let p = pat("Alice@LocalHost/Res");
        assert!(p.matches("alice", "localhost"));
        assert!(!p.matches("Alice", "localhost"));
        // \D lower-cases to \d
        let p = pat("\\D+@x");
        assert!(p.matches("123", "x"));
        assert!(!p.matches("abc", "x"));
    }

    #[test]
    fn byte_semantics() {
        // `.` matches one byte: é is two bytes in UTF-8
        let p = pat("caf.@x");
        assert!(!p.matches("café", "x"));
        let p = pat("caf..@x");
        assert!(p.matches("café", "x"));
        let p = pat("café@x");
        assert!(p.matches("café", "x"));
        let p = pat("\\w+@x");
        assert!(!p.matches("café", "x"));
        // case-insensitive only for ASCII
        let p = pat("(?i)bob@x");
        assert!(p.matches("bob", "x"));
        let p = pat("[[:alpha:]]+@x");
        assert!(p.matches("bob", "x"));
        assert!(!p.matches("b0b", "x"));
    }

    #[test]
    fn dollar_and_anchors() {
        let p = pat("^a$@x");
        assert!(p.matches("a", "x"));
        let p = pat("a\\z@x");
        assert!(p.matches("a", "x"));
        let p = pat("\\ba\\b@x");
        assert!(p.matches("a", "x"));
    }

    #[test]
    fn translation_shapes() {
        let c = pcre::check(b"a|b*").unwrap();
        assert_eq!(c.source, "\\x{61}|(?:\\x{62})*");
        let c = pcre::check(b"(?i)a.").unwrap();
        assert_eq!(c.source, "[\\x{41}\\x{61}][\\x{0}-\\x{9}\\x{b}-\\x{ff}]");
        assert!(pcre::check(b"(?1)(a)").unwrap().unsupported.is_some());
    }

    #[test]
    fn unsupported_features_are_reported_not_mismatched() {
        let r = parse_filter("list", "any", "any", "(?1)(a)@x", "any", &stub);
        assert!(
            matches!(r, Err(FilterError::InvalidJidPattern(m)) if m.starts_with("(?1)(a)@x (its user part") && m.contains("not supported"))
        );
    }

    fn full(pattern: &str, subject: &str) -> bool {
        match Matcher::new(pattern) {
            Ok(m) => m.full_match(subject),
            Err(PartError::NotRegex) => panic!("{pattern:?}: not a regex"),
            Err(PartError::Unsupported(e)) => panic!("{pattern:?}: {e}"),
        }
    }

    #[test]
    fn every_supported_construct_translates() {
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
        ] {
            let c = pcre::check(p.as_bytes()).unwrap_or_else(|e| panic!("{p:?}: {e:?}"));
            if c.unsupported.is_some() {
                continue;
            }
            if let Err(e) = fancy_regex::Regex::new(&c.source) {
                panic!("{p:?} -> {:?}: {e}", c.source);
            }
        }
    }

    #[test]
    fn matching_semantics_of_translated_constructs() {
        assert!(full("(?i)abc", "ABC"));
        assert!(full("\\Qa.b\\E+", "a.bbb"));
        assert!(!full("\\Qa.b\\E+", "axb"));
        assert!(full("\\qa.b\\e+", "qaxb\u{1b}\u{1b}"));
        assert!(full("(?<n>a)\\k<n>", "aa"));
        assert!(!full("(?<n>a)\\k<n>", "ab"));
        assert!(full("(a)?(?(1)b|c)", "ab"));
        assert!(full("(a)?(?(1)b|c)", "c"));
        assert!(!full("(a)?(?(1)b|c)", "ac"));
        assert!(full("(?(?=a)ab|cd)", "ab"));
        assert!(full("(?(?=a)ab|cd)", "cd"));
        assert!(!full("(?(?=a)ab|cd)", "ad"));
        assert!(full("(?(DEFINE)(?<d>x))y", "y"));
        assert!(!full("(?<=a|bc)d", "d"));
        assert!(!full("x(?<=a|bx)", "x"));
        assert!(full(".(?<=a|b)c", "ac"));
        assert!(full("a++b", "aab"));
        assert!(!full("a++a", "aaa"));
        assert!(full("a{2,3}+", "aaa"));
        assert!(full("(?x) a b # c", "ab"));
        assert!(full("[[:alpha:][:^digit:]]+", "ab-"));
        assert!(!full("[[:alpha:][:^digit:]]+", "a1"));
        assert!(!full("\\p{L}+", "ab\u{e9}"));
        assert!(full("\\p{Ll}+", "ab"));
        assert!(full("(?s).", "\n"));
        assert!(!full(".", "\n"));
        assert!(full("a$", "a"));
        assert!(full("(?m)^a$\\n^b$", "a\nb"));
        assert!(full("\\d+", "123"));
        assert!(!full("\\d+", "12a"));
        assert!(full("[^\\d]+", "abc"));
        assert!(full("(?i)[a-c]+", "AbC"));
        assert!(full("(?i)[^a]", "b"));
        assert!(!full("(?i)[^a]", "A"));
        assert!(full("x*", ""));
        assert!(full("(?=a)*a", "a"));
        assert!(full("(){0}a", "a"));
        assert!(full("(a)|b\\1", "a"));
        assert!(!full("(a)|b\\1", "b"));
        assert!(full("a*?", ""));
        // leftmost-first: the lazy quantifier stops early, but group 0 must span all
        assert!(!full("a*?", "aa"));
        assert!(full("(a*?)b", "aab"));
        assert!(full("\\bfoo\\b", "foo"));
        // \K moves the start of the whole match, so only a group could span everything
        assert!(!full("a\\Kb", "ab"));
        assert!(full("(a\\Kb)", "ab"));
    }

    #[test]
    fn random_patterns_never_panic_and_always_translate() {
        let alphabet: &[&str] = &[
            "a", "b", "(", ")", "[", "]", "{", "}", "*", "+", "?", "|", "\\", "^", "$", ".", "-",
            ":", "<", ">", "=", "!", "'", "#", "P", "R", "1", "2", "0", "x", "k", "g", "Q", "E",
            "d", "w", "p", "L", "C", "&", ",", "3", "i", "s", "m", "(?", "(?<", "(?(", "\\k<",
            "[:", ":]", "(*", "\u{e9}", "\n", " ", "D", "A", "Z", "o", "c", "N", "K", "X", "J",
            "U",
        ];
        let mut seed: u64 = 0x1234_5678_9abc_def0;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = usize::try_from(next() % 12).unwrap_or(0);
            let mut p = String::new();
            for _ in 0..len {
                let i = usize::try_from(next() % alphabet.len() as u64).unwrap_or(0);
                p.push_str(alphabet[i]);
            }
            if let Ok(c) = pcre::check(p.as_bytes()) {
                if c.unsupported.is_none() {
                    if let Err(e) = fancy_regex::Regex::new(&c.source) {
                        panic!("{p:?} -> {:?}: {e}", c.source);
                    }
                    if let Ok(m) = Matcher::new(&p) {
                        let _ = m.full_match("ab\nx");
                        let _ = m.full_match("");
                    }
                }
            }
        }
    }

    #[test]
    fn display() {
        let e = FilterError::WrongRegexps(vec!["a".into(), "b".into()]);
        assert_eq!(e.to_string(), "a\nb");
    }
}
