//! Property tests of every parser (issue 7): JID, XML, Erlang terms and roster templates, the
//! `import_users` CSV reader, the TOML configuration, PCRE patterns and matching, integers.
//!
//! Each parser gets "never panics" on arbitrary input and, where the grammar allows, a stronger
//! property: a round trip (print then parse gives the value back), a fixed point (what was
//! parsed prints to text that parses to the same value), or agreement with a reference model.
//!
//! Case counts are modest by default so that `cargo test` stays fast (the whole module runs in
//! a few seconds in a debug build); `PROPTEST_CASES=N` raises every property to N cases:
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release --lib proptests -- --test-threads=2
//! ```
//!
//! `MONGOOSEIMCTL_PROPTEST_REPORT=1` makes the PCRE timing property print the slowest match
//! it saw (pattern, subject length, time) on stderr. No failure file is written: a failure
//! found here becomes an explicit regression test below (see `regressions`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, TestRunner};

use crate::cli::dispatch::parse_int;
use crate::compat::erlang::{self, parse_roster_template, Term};
use crate::compat::jid::{nameprep, nodeprep, resourceprep, Jid};
use crate::compat::pcre::{self, CompileError, Regex};
use crate::compat::xml::{self, Element, Node};
use crate::config::Config;
use crate::services::accounts::{csv_fields, parse_import_file, ImportRow};

/// `cases` by default, `PROPTEST_CASES` when set (as proptest itself reads it).
fn cfg(cases: u32) -> PtConfig {
    let mut c = PtConfig {
        failure_persistence: None,
        ..PtConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

/// Longest time one parse or match may take (issue 7: "no hang over 1 s").
const HANG_LIMIT: Duration = Duration::from_secs(1);

/// CPU time of the current thread (so that a loaded machine does not fail the time bound):
/// `/proc/thread-self/schedstat`'s first field, in ns; wall time where it is unavailable.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f`, returning its result and the CPU time it took (wall time if unavailable).
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let (cpu0, wall0) = (thread_cpu(), Instant::now());
    let out = f();
    let spent = match (cpu0, thread_cpu()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall0.elapsed(),
    };
    (out, spent)
}

/// Strings mixing the characters parsers care about with arbitrary Unicode.
fn tricky_string(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => "[a-zA-Z0-9]{1,4}",
        2 => prop::sample::select(vec![
            "<", ">", "/", "&", ";", "#", "'", "\"", "=", "!", "[", "]", "-", "?", ":", "@",
            ",", "{", "}", "(", ")", "|", ".", "%", "$", "\\", "*", "+", "^", " ", "\t", "\n",
            "\r", "\0", "\u{1b}", "\u{1}", "\u{7f}", "\u{a0}", "\u{ad}", "\u{200b}",
            "\u{feff}", "\u{ff0f}", "\u{ff20}", "\u{fb01}", "\u{e9}", "E\u{301}", "\u{130}",
            "\u{3a3}", "\u{5d0}", "\u{627}", "\u{2c7c}", "\u{e000}", "\u{1f600}", "\u{10ffff}",
            "&amp;", "&#", "&#x", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "<<", ">>",
        ])
        .prop_map(str::to_string),
        1 => any::<String>().prop_map(|s| s.chars().take(4).collect()),
    ];
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

// =============================================================================================
// JID

/// User/server/resource candidates: ASCII names, case variants, and stringprep's hard cases.
fn jid_part() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9._-]{0,12}",
        3 => tricky_string(6),
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
        1 => "[a-z]{1,3}".prop_map(|s| s.repeat(400)),
    ]
}

proptest! {
    #![proptest_config(cfg(1024))]

    /// Preparing a prepared part changes nothing (nodeprep, nameprep, resourceprep).
    #[test]
    fn jid_prep_is_idempotent(s in jid_part()) {
        for (name, prep) in [
            ("nodeprep", nodeprep as fn(&str) -> Option<String>),
            ("nameprep", nameprep),
            ("resourceprep", resourceprep),
        ] {
            if let Some(t) = prep(&s) {
                prop_assert!(t.len() < 1024, "{name} output too long");
                prop_assert_eq!(prep(&t), Some(t.clone()), "{}", name);
            }
        }
    }

    /// ASCII names: nodeprep/nameprep lowercase them, resourceprep keeps them.
    #[test]
    fn jid_prep_of_ascii_names(s in "[a-zA-Z0-9._ -]{0,40}") {
        if !s.contains(' ') {
            prop_assert_eq!(nodeprep(&s), Some(s.to_ascii_lowercase()));
        }
        prop_assert_eq!(nameprep(&s), Some(s.to_ascii_lowercase()));
        prop_assert_eq!(resourceprep(&s), Some(s.clone()));
    }

    /// A made JID is a fixed point of `make`, and its text parses back to it (when the domain
    /// holds no `@` or `/`, which nameprep allows but a JID text cannot carry, and the text is
    /// within the parse limit).
    #[test]
    fn jid_make_then_parse_round_trips(u in jid_part(), s in jid_part(), r in jid_part()) {
        let Some(j) = Jid::make(&u, &s, &r) else { return Ok(()) };
        prop_assert_eq!(Jid::make(&j.user, &j.server, &j.resource), Some(j.clone()));
        let text_ok = !j.server.is_empty() && !j.server.contains(['@', '/']) && j.full().len() < 3071;
        if text_ok {
            prop_assert_eq!(Jid::parse(&j.full()), Some(j.clone()));
            let bare = Jid { resource: String::new(), ..j.clone() };
            prop_assert_eq!(Jid::parse(&j.bare()), Some(bare));
        }
    }

    /// `parse` never panics, and a parsed JID's text parses to the same JID (same exceptions
    /// as above: a domain that prepares to text with `@` or `/`, e.g. from U+FF0F or U+FF20).
    #[test]
    fn jid_parse_is_a_fixed_point(s in prop_oneof![
        tricky_string(12),
        (jid_part(), jid_part(), jid_part()).prop_map(|(u, s, r)| format!("{u}@{s}/{r}")),
    ]) {
        if let Some(j) = Jid::parse(&s) {
            prop_assert!(!j.user.contains(['@', '/']));
            // The domain is non-empty before nameprep, not necessarily after (`a@\u{ad}`:
            // a soft hyphen maps to nothing), as in MongooseIM; callers check it.
            if !j.server.is_empty() && !j.server.contains(['@', '/']) && j.full().len() < 3071 {
                prop_assert_eq!(Jid::parse(&j.full()), Some(j));
            }
        }
    }
}

// =============================================================================================
// XML

fn xml_name() -> impl Strategy<Value = String> {
    "[A-Za-z_\u{e9}\u{4e2d}][A-Za-z0-9_.\u{e9}-]{0,6}(:[A-Za-z_][A-Za-z0-9_.-]{0,6})?"
}

/// Text exml keeps as it is: no NUL, no C0 control other than tab/LF/CR.
fn xml_chars(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<char>(),
            2 => prop::sample::select(vec!['<', '>', '&', '\'', '"', ';', '#', ' ', '\t', '\n', '\r', ']']),
        ],
        min..max,
    )
    .prop_map(|cs| {
        cs.into_iter()
            .filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
            .collect()
    })
}

/// Elements that exml's printer and parser agree on: non-empty texts that are not only
/// whitespace (exml drops those before markup), never two texts in a row (they merge).
fn xml_element() -> impl Strategy<Value = Element> {
    let leaf = (
        xml_name(),
        prop::collection::vec((xml_name(), xml_chars(0, 8)), 0..3),
    )
        .prop_map(|(name, attrs)| Element {
            name,
            attrs,
            children: Vec::new(),
        });
    leaf.prop_recursive(6, 64, 6, |inner| {
        (
            xml_name(),
            prop::collection::vec((xml_name(), xml_chars(0, 8)), 0..3),
            prop::collection::vec(
                prop_oneof![
                    inner.prop_map(Node::Element),
                    xml_chars(1, 10).prop_map(Node::Text),
                ],
                0..5,
            ),
        )
            .prop_map(|(name, attrs, kids)| {
                let mut children: Vec<Node> = Vec::new();
                for kid in kids {
                    match (children.last_mut(), kid) {
                        (_, Node::Text(t)) if t.bytes().all(|b| b" \t\r\n".contains(&b)) => {}
                        (Some(Node::Text(prev)), Node::Text(t)) => prev.push_str(&t),
                        (_, kid) => children.push(kid),
                    }
                }
                Element {
                    name,
                    attrs,
                    children,
                }
            })
    })
}

/// Whether `to_xml` of a parsed element can be read back as it is: names non-empty, no text
/// or attribute value with NUL or a rejected control character (a character reference can
/// produce them), no text that is only whitespace (a CDATA section can produce it).
fn xml_printable(e: &Element) -> bool {
    let clean = |s: &str| {
        !s.chars()
            .any(|c| c == '\0' || (c < ' ' && !matches!(c, '\t' | '\n' | '\r')))
    };
    let mut todo = vec![e];
    while let Some(e) = todo.pop() {
        if e.name.is_empty() || !e.attrs.iter().all(|(_, v)| clean(v)) {
            return false;
        }
        for child in &e.children {
            match child {
                Node::Element(c) => todo.push(c),
                Node::Text(t) => {
                    if !clean(t) || t.bytes().all(|b| b" \t\r\n".contains(&b)) {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// Mutations of a document: insert a token, delete or duplicate a range.
fn mutate(text: String, edits: Vec<(usize, usize, String)>) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, len, ins) in edits {
        let at = at % (chars.len() + 1);
        match len % 3 {
            0 => {
                chars.splice(at..at, ins.chars());
            }
            1 => {
                let end = (at + len).min(chars.len());
                chars.drain(at..end);
            }
            _ => {
                let end = (at + len).min(chars.len());
                let dup: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, dup);
            }
        }
    }
    chars.into_iter().collect()
}

fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
    prop::collection::vec((any::<usize>(), 0usize..12, tricky_string(3)), 1..6)
}

proptest! {
    #![proptest_config(cfg(1024))]

    /// exml's printer and the parser agree: parse(to_xml(e)) == e.
    #[test]
    fn xml_print_then_parse_round_trips(e in xml_element()) {
        let text = e.to_xml();
        prop_assert_eq!(xml::parse(&text), Ok(e));
    }

    /// Arbitrary bytes: no panic, no hang; UTF-8 is required.
    #[test]
    fn xml_parse_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let (r, spent) = timed(|| xml::parse_bytes(&bytes));
        prop_assert!(spent < HANG_LIMIT);
        let before_nul = bytes.split(|&b| b == 0).next().unwrap_or_default();
        if std::str::from_utf8(before_nul).is_err() {
            prop_assert_eq!(r.map_err(|e| e.message), Err("invalid UTF-8 in input".to_string()));
        }
    }

    /// Arbitrary and mutated documents: no panic, error messages are one line, and what was
    /// parsed prints to text that parses to the same element (a fixed point).
    #[test]
    fn xml_parse_is_a_fixed_point(text in prop_oneof![
        tricky_string(30),
        (xml_element(), edits()).prop_map(|(e, ed)| mutate(e.to_xml(), ed)),
    ]) {
        match xml::parse(&text) {
            Ok(e) => {
                if xml_printable(&e) {
                    let again = e.to_xml();
                    prop_assert_eq!(xml::parse(&again), Ok(e), "reprinted as {:?}", again);
                }
            }
            Err(err) => prop_assert!(!err.message.contains('\n')),
        }
    }

    /// Nesting is bounded: up to MAX_DEPTH open elements parse, one more is refused.
    #[test]
    fn xml_depth_is_bounded(depth in 1usize..1300, name in "[a-z]{1,3}") {
        let text = format!("{}{}", format!("<{name}>").repeat(depth), format!("</{name}>").repeat(depth));
        let r = xml::parse(&text);
        if depth <= xml::MAX_DEPTH {
            let e = r.unwrap();
            // Iterative printing of the deep tree gives the input back (innermost as `<a/>`).
            let open = format!("<{name}>").repeat(depth - 1);
            let close = format!("</{name}>").repeat(depth - 1);
            prop_assert_eq!(e.to_xml(), format!("{open}<{name}/>{close}"));
        } else {
            prop_assert_eq!(r.map_err(|e| e.message), Err("element nesting too deep".to_string()));
        }
    }
}

// =============================================================================================
// Erlang terms

/// Text whose `~p` form reads back (no code in 0xA0..=0xFF: the printer copies those as raw
/// Latin-1 bytes, which are not UTF-8 for the parser).
fn erl_code() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => 0x20u32..0x7f,
        2 => 0u32..0x20,
        1 => 0x7fu32..0xa0,
        1 => 0x100u32..0x11_0000,
    ]
}

fn erl_term() -> impl Strategy<Value = Term> {
    let leaf = prop_oneof![
        (i128::MIN + 1..=i128::MAX).prop_map(Term::Int),
        (-1000i128..1000).prop_map(Term::Int),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Term::Float),
        "[a-z][a-zA-Z0-9_@]{0,8}".prop_map(Term::Atom),
        prop::collection::vec(0u8..0x80, 0..10)
            .prop_map(|b| Term::Atom(b.into_iter().map(char::from).collect())),
        prop::collection::vec(any::<u8>(), 0..12).prop_map(Term::Bin),
        "[ -~]{0,12}".prop_map(|s| Term::Bin(s.into_bytes())),
        any::<String>().prop_map(|s| Term::Bin(s.chars().take(6).collect::<String>().into_bytes())),
        prop::collection::vec(erl_code(), 0..10).prop_map(Term::Str),
        "[ -~]{0,12}".prop_map(|s| Term::Str(s.bytes().map(u32::from).collect())),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Term::List),
            prop::collection::vec(inner.clone(), 0..6).prop_map(Term::Tuple),
            (prop::collection::vec(inner.clone(), 1..4), inner)
                .prop_map(|(h, t)| Term::Cons(h, Box::new(t))),
        ]
    })
}

/// Erlang equality of list forms: a string is a list of integers; `[H | T]` with a list tail
/// is the joined list; nested tails are flattened. Floats compare by bits.
fn erl_normal(t: &Term) -> Term {
    match t {
        Term::Str(cs) => Term::List(cs.iter().map(|&c| Term::Int(i128::from(c))).collect()),
        Term::List(v) => Term::List(v.iter().map(erl_normal).collect()),
        Term::Tuple(v) => Term::Tuple(v.iter().map(erl_normal).collect()),
        Term::Cons(h, tail) => {
            let mut head: Vec<Term> = h.iter().map(erl_normal).collect();
            match erl_normal(tail) {
                Term::List(rest) => {
                    head.extend(rest);
                    Term::List(head)
                }
                Term::Cons(h2, t2) => {
                    head.extend(h2);
                    Term::Cons(head, t2)
                }
                other => Term::Cons(head, Box::new(other)),
            }
        }
        Term::Float(f) => Term::Float(*f),
        other => other.clone(),
    }
}

fn erl_same(a: &Term, b: &Term) -> bool {
    match (a, b) {
        (Term::Float(x), Term::Float(y)) => x.to_bits() == y.to_bits(),
        (Term::List(x), Term::List(y)) | (Term::Tuple(x), Term::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| erl_same(a, b))
        }
        (Term::Cons(h1, t1), Term::Cons(h2, t2)) => {
            h1.len() == h2.len()
                && h1.iter().zip(h2).all(|(a, b)| erl_same(a, b))
                && erl_same(t1, t2)
        }
        _ => a == b,
    }
}

fn template_entry_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._@-]{0,10}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
        tricky_string(4),
    ]
}

proptest! {
    #![proptest_config(cfg(1024))]

    /// `~p` then parse gives the term back (up to Erlang's equality of list forms), at any
    /// starting column (so the multi-line layout is read back too).
    #[test]
    fn erlang_print_then_parse_round_trips(t in erl_term(), col in 0usize..100) {
        let printed = t.pretty_bytes(col);
        if std::str::from_utf8(&printed).is_ok() {
            let mut text = printed.clone();
            text.extend_from_slice(b".\n");
            match erlang::parse(&text) {
                Ok(back) => prop_assert!(
                    erl_same(&erl_normal(&back), &erl_normal(&t)),
                    "{:?} printed as {:?} read back as {:?}", t, String::from_utf8_lossy(&printed), back
                ),
                Err(e) => prop_assert!(false, "{:?} printed as {:?}: {}", t, String::from_utf8_lossy(&printed), e),
            }
        }
    }

    /// Arbitrary input: no panic, no hang, one-line errors.
    #[test]
    fn erlang_parse_never_panics(text in prop_oneof![
        tricky_string(30),
        prop::collection::vec(any::<u8>(), 0..100).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        (erl_term(), edits()).prop_map(|(t, ed)| mutate(format!("{}.", t.pretty(0)), ed)),
    ]) {
        let (r, spent) = timed(|| erlang::parse(text.as_bytes()));
        prop_assert!(spent < HANG_LIMIT);
        if let Err(e) = r {
            prop_assert!(!e.to_string().contains(['\n', '\r']), "{:?}", e.to_string());
            prop_assert!(e.line >= 1 && e.column >= 1);
        }
        if let Err(e) = parse_roster_template(text.as_bytes()) {
            prop_assert!(!e.to_string().contains(['\n', '\r']), "{:?}", e.to_string());
        }
    }

    /// A template printed with `~p` (entries as binaries, any Unicode) reads back.
    #[test]
    fn roster_template_round_trips(entries in prop::collection::vec(
        (template_entry_string(), template_entry_string(), template_entry_string(), template_entry_string()),
        0..8,
    )) {
        let term = Term::List(entries.iter().map(|(u, s, g, n)| {
            Term::Tuple(vec![Term::bin(u), Term::bin(s), Term::bin(g), Term::bin(n)])
        }).collect());
        let mut text = term.pretty_bytes(0);
        text.extend_from_slice(b".");
        let parsed = parse_roster_template(&text).unwrap();
        let got: Vec<(String, String, String, String)> = parsed
            .into_iter()
            .map(|e| (e.user, e.server, e.group, e.nick))
            .collect();
        prop_assert_eq!(got, entries);
    }
}

// =============================================================================================
// CSV (import_users)

fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{0,6}",
        "[a-z\",\r ]{0,6}",
        any::<String>().prop_map(|s| s.chars().filter(|&c| c != '\n').take(6).collect()),
    ]
}

/// CSV encoding: quote a field that needs it (or every field when `always`).
fn csv_line(fields: &[String], always: bool) -> String {
    fields
        .iter()
        .map(|f| {
            if always || f.contains([',', '"']) || f.ends_with('\r') {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

proptest! {
    #![proptest_config(cfg(1024))]

    /// Encoding then splitting gives the fields back (minimal or full quoting).
    #[test]
    fn csv_round_trips(fields in prop::collection::vec(csv_field(), 1..6), always in any::<bool>()) {
        let line = csv_line(&fields, always);
        prop_assert_eq!(csv_fields(&line), Some(fields));
    }

    /// Any line: no panic; without quotes it is a plain split on `,`; an unbalanced quote at
    /// the start of a field is reported as None.
    #[test]
    fn csv_fields_model(line in tricky_string(20).prop_map(|s| s.replace('\n', ""))) {
        match csv_fields(&line) {
            Some(fields) => {
                prop_assert!(!fields.is_empty());
                if !line.contains('"') {
                    let plain: Vec<String> = line.split(',').map(str::to_string).collect();
                    prop_assert_eq!(fields, plain);
                }
            }
            None => prop_assert!(line.contains('"')),
        }
    }

    /// A whole file: one row per line (a final newline ends the last line; CR before LF is
    /// dropped), 3 fields make a user row, anything else a bad row; an unterminated quote is
    /// an error naming its line.
    #[test]
    fn csv_file_model(
        rows in prop::collection::vec(prop::collection::vec(csv_field(), 1..5), 0..6),
        crlf in any::<bool>(),
        final_nl in any::<bool>(),
    ) {
        let sep = if crlf { "\r\n" } else { "\n" };
        let mut text = rows.iter().map(|r| csv_line(r, false)).collect::<Vec<_>>().join(sep);
        if final_nl && !rows.is_empty() {
            text.push('\n');
        }
        let parsed = parse_import_file(&text).unwrap();
        let mut expected = rows.clone();
        if !final_nl && rows.last().is_some_and(|r| r == &[String::new()]) {
            // A last empty line without a newline reads as the newline ending the line
            // before (and an empty file has no rows).
            expected.pop();
        }
        prop_assert_eq!(parsed.len(), expected.len());
        for (row, want) in parsed.iter().zip(&expected) {
            let got = match row {
                ImportRow::User { user, host, password } => {
                    prop_assert_eq!(want.len(), 3);
                    vec![user.clone(), host.clone(), password.clone()]
                }
                ImportRow::Bad(f) => {
                    prop_assert!(want.len() != 3);
                    f.clone()
                }
            };
            prop_assert_eq!(&got, want);
        }
    }

    /// Arbitrary text: no panic; errors are one line.
    #[test]
    fn csv_file_never_panics(text in tricky_string(40)) {
        if let Err(e) = parse_import_file(&text) {
            prop_assert!(!e.to_string().trim_end().contains('\n'));
        }
    }
}

// =============================================================================================
// TOML configuration

const BASE_CONFIGS: &[&str] = &[
    r#"
[general]
  hosts = ["localhost", "example.org"]
  host_types = ["dyn"]
  default_server_domain = "localhost"
  loglevel = "info"
[auth]
  password.format = "scram"
  password.scram_iterations = 64
  password.hash = ["sha", "sha256"]
  [auth.rdbms]
[outgoing_pools.rdbms.default]
  scope = "global"
  [outgoing_pools.rdbms.default.connection]
    driver = "sqlite"
    database = "store.db"
[services.service_admin_extra]
  submods = ["node", "accounts", "roster"]
[services.service_domain_db]
  event_cleaning_interval = 1000
[services.service_mongoose_system_metrics]
  initial_report = 300000
[modules.mod_last]
  backend = "rdbms"
[modules.mod_roster]
  backend = "rdbms"
  versioning = true
[modules.mod_inbox]
  boxes = ["work", "home"]
[[host_config]]
  host = "example.org"
  [host_config.modules.mod_vcard]
    backend = "rdbms"
"#,
    r#"
[general]
  hosts = ["a.b"]
  default_server_domain = "a.b"
[auth.internal]
[modules.mod_private]
"#,
];

/// Random values of every TOML type, for structured mutation of a valid config.
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(toml::Value::Integer),
        any::<f64>().prop_map(toml::Value::Float),
        any::<bool>().prop_map(toml::Value::Boolean),
        tricky_string(4).prop_map(toml::Value::String),
        prop::sample::select(vec![
            "rdbms",
            "infinity",
            "sqlite",
            "global",
            "plain",
            "localhost",
            ""
        ])
        .prop_map(|s| toml::Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(toml::Value::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4)
                .prop_map(|kv| toml::Value::Table(kv.into_iter().collect())),
        ]
    })
}

/// Replace or add the value at a random path of a table.
fn toml_set(t: &mut toml::Table, path: &[usize], names: &[String], v: toml::Value) {
    let Some((&i, rest)) = path.split_first() else {
        return;
    };
    let keys: Vec<String> = t.keys().cloned().collect();
    let key = if keys.is_empty() || i % 4 == 0 {
        names[i % names.len()].clone()
    } else {
        keys[i % keys.len()].clone()
    };
    match t.get_mut(&key) {
        Some(toml::Value::Table(sub)) if !rest.is_empty() => toml_set(sub, rest, names, v),
        _ => {
            t.insert(key, v);
        }
    }
}

fn assert_one_line_errors(
    r: &Result<Config, Vec<crate::config::ConfigError>>,
) -> Result<(), TestCaseError> {
    if let Err(errors) = r {
        prop_assert!(!errors.is_empty());
        for e in errors {
            let line = e.to_string();
            prop_assert!(!line.contains(['\n', '\r']), "{:?}", line);
            prop_assert!(line.len() < 2000, "{}", line.len());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cfg(512))]

    /// Arbitrary and mutated config texts: no panic, every error one line.
    #[test]
    fn config_parse_never_panics(text in prop_oneof![
        tricky_string(40),
        (prop::sample::select(BASE_CONFIGS), edits()).prop_map(|(b, ed)| mutate(b.to_string(), ed)),
    ]) {
        let (r, spent) = timed(|| Config::parse(&text, None));
        prop_assert!(spent < HANG_LIMIT);
        assert_one_line_errors(&r)?;
    }

    /// Valid configs with a value replaced by a random one (wrong types, odd strings, nested
    /// tables): no panic, every error one line, a valid result keeps its hosts.
    #[test]
    fn config_structured_mutations(
        base in prop::sample::select(BASE_CONFIGS),
        muts in prop::collection::vec((prop::collection::vec(any::<usize>(), 1..5), toml_value()), 1..4),
    ) {
        let mut root: toml::Table = base.parse().unwrap();
        let names: Vec<String> = [
            "general", "hosts", "host_types", "auth", "password", "format", "modules", "mod_roster",
            "backend", "services", "submods", "outgoing_pools", "rdbms", "default", "connection",
            "driver", "database", "host_config", "host", "scope", "boxes", "x",
        ].iter().map(|s| s.to_string()).collect();
        for (path, v) in muts {
            toml_set(&mut root, &path, &names, v);
        }
        let Ok(text) = toml::to_string(&root) else { return Ok(()) };
        let r = Config::parse(&text, None);
        assert_one_line_errors(&r)?;
        if let Ok(c) = r {
            prop_assert!(!c.hosts.is_empty() || !c.host_types.is_empty());
        }
    }

    /// Duplicate hosts (compared lowercased) are reported once per repeated item, in order, as
    /// the quadratic check did (the check is now a hash set: issue 7 item 10).
    #[test]
    fn config_duplicate_hosts_model(hosts in prop::collection::vec("[aAbBc]{1,2}", 1..30)) {
        let list = hosts.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", ");
        let text = format!("[general]\n  hosts = [{list}]\n  default_server_domain = \"{}\"\n", hosts[0].to_lowercase());
        let mut seen: Vec<String> = Vec::new();
        let mut want: Vec<String> = Vec::new();
        for h in &hosts {
            let l = h.to_lowercase();
            if seen.contains(&l) {
                want.push(format!("{h:?}"));
            } else {
                seen.push(l);
            }
        }
        let got: Vec<String> = match Config::parse(&text, None) {
            Ok(c) => {
                prop_assert_eq!(&c.hosts, &seen);
                vec![]
            }
            Err(errors) => errors
                .into_iter()
                .filter(|e| e.reason == "not_unique" && e.path == "general.hosts")
                .filter_map(|e| e.value)
                .collect(),
        };
        prop_assert_eq!(got, want);
    }
}

// =============================================================================================
// PCRE

/// Pattern pieces: literals, classes, quantifiers (nested and possessive), groups, lookaround,
/// back references, anchors, options and verbs: enough to build catastrophic patterns.
fn pcre_pattern() -> impl Strategy<Value = String> {
    let tok = prop::sample::select(vec![
        "a",
        "a",
        "b",
        "x",
        ".",
        "\\d",
        "\\w",
        "\\s",
        "[ab]",
        "[^a]",
        "[a-",
        "]",
        "*",
        "+",
        "?",
        "*",
        "+",
        "{2}",
        "{1,3}",
        "{2,}",
        "*?",
        "+?",
        "++",
        "*+",
        "(",
        "(",
        ")",
        ")",
        "|",
        "(?:",
        "(?=",
        "(?!",
        "(?<=a)",
        "(?<!b)",
        "(?>",
        "\\1",
        "\\2",
        "\\g{-1}",
        "^",
        "$",
        "\\b",
        "\\B",
        "\\A",
        "\\z",
        "(?i)",
        "(?s)",
        "(?m)",
        "(?x)",
        "(*UTF)",
        "(*UCP)",
        "(?R)",
        "(?1)",
        "(?<n>",
        "\\k<n>",
        "(?(1)",
        "(*PRUNE)",
        "(*SKIP)",
        "(*COMMIT)",
        "(*FAIL)",
        "\\Q",
        "\\E",
        "\\p{L}",
        "\\X",
        "\\R",
        "\\C",
        "\\K",
        "(*LIMIT_MATCH=100)",
        "\\",
        "\\x{41}",
        "\\0",
    ]);
    prop_oneof![
        6 => prop::collection::vec(tok, 0..14).prop_map(|v| v.concat()),
        6 => pcre_structured(),
        1 => tricky_string(8),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// Well-formed patterns (mostly accepted): nested groups and quantifiers, alternations,
/// lookarounds, back references: where catastrophic backtracking comes from.
fn pcre_structured() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(vec![
        "a", "b", "ab", ".", "\\d", "\\w", "[ab]", "[^b]", "a?", "\\1", "(?:)", "^", "$", "\\b",
    ])
    .prop_map(str::to_string);
    let quant = prop::sample::select(vec![
        "", "", "*", "+", "?", "{2,}", "{0,3}", "*?", "+?", "++", "*+",
    ]);
    atom.prop_recursive(4, 24, 4, move |inner| {
        let quant = quant.clone();
        (
            prop::sample::select(vec!["(", "(?:", "(?>", "(?=", "(?!", "(?<n>", "(?i)(?:"]),
            prop::collection::vec(inner, 1..4),
            any::<bool>(),
            quant,
        )
            .prop_map(|(open, parts, alt, q)| {
                let body = parts.join(if alt { "|" } else { "" });
                format!("{open}{body}){q}")
            })
    })
    .prop_flat_map(|core| {
        (
            Just(core),
            prop::sample::select(vec!["", "b", "$", "\\1b", "(?!a)b", "\\z"]),
        )
            .prop_map(|(c, end)| format!("{c}{end}"))
    })
}

fn pcre_subject() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(b"aabx\n ".to_vec()), 0..40),
        1 => prop::collection::vec(any::<u8>(), 0..40),
        1 => (0usize..6000, prop::sample::select(vec!["", "b", "!", "\n", "!b", "c b@localhost"]))
            .prop_map(|(n, end)| { let mut s = vec![b'a'; n]; s.extend_from_slice(end.as_bytes()); s }),
    ]
}

/// The slowest match seen by [`pcre_matching_is_bounded`]: CPU time, wall time, pattern,
/// subject length.
static SLOWEST: Mutex<Option<(Duration, Duration, String, usize)>> = Mutex::new(None);

/// Escapes `lit` so that PCRE reads it as a literal.
fn pcre_escape(lit: &str) -> String {
    let mut out = String::new();
    for c in lit.chars() {
        if c.is_ascii_alphanumeric() || !c.is_ascii() {
            out.push(c);
        } else if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else {
            out.push_str(&format!("\\x{{{:x}}}", u32::from(c)));
        }
    }
    out
}

proptest! {
    #![proptest_config(cfg(1024))]

    /// The validator and the compiler never panic and agree: a pattern PCRE 8.45 rejects is
    /// rejected by `Regex::new` with the same error; one it accepts either compiles or is
    /// reported as unsupported (never a PCRE error).
    #[test]
    fn pcre_check_and_compile_agree(p in pcre_pattern()) {
        let checked = pcre::check(p.as_bytes());
        let (compiled, spent) = timed(|| Regex::new(&p));
        prop_assert!(spent < HANG_LIMIT);
        match (checked, compiled) {
            (Err(e), Err(CompileError::Pcre(f))) => {
                prop_assert!(e.offset <= p.len());
                prop_assert_eq!(e, f);
            }
            (Err(e), other) => prop_assert!(false, "check: {}, new: {:?}", e, other.map(|r| r.pcre2_source().to_string())),
            (Ok(()), Err(CompileError::Pcre(e))) => prop_assert!(false, "check ok, new: {}", e),
            (Ok(()), _) => {}
        }
    }

    /// An escaped literal matches exactly where it occurs first (leftmost match).
    #[test]
    fn pcre_literal_matches_like_find(lit in "[a-c.*+?()\\[\\]{}|^$\\\\ \t\u{e9}-]{1,5}", pre in "[a-c.*\u{e9} ]{0,12}", post in "[a-c]{0,5}", with in any::<bool>()) {
        let re = Regex::new(&pcre_escape(&lit)).unwrap();
        let subject = if with { format!("{pre}{lit}{post}") } else { format!("{pre}{post}") };
        let want = subject.find(&lit).map(|i| (i, i + lit.len()));
        let got = re.captures(subject.as_bytes()).map(|c| c[0].unwrap());
        prop_assert_eq!(got, want);
    }
}

/// Every match of every compiled pattern: spans inside the subject, group 0 present, and a
/// bounded time (the match limits turn catastrophic backtracking into "no match").
#[test]
fn pcre_matching_is_bounded() {
    let mut runner = TestRunner::new(cfg(512));
    let result = runner.run(
        &(pcre_pattern(), prop::collection::vec(pcre_subject(), 1..4)),
        |(p, subjects)| {
            let Ok(re) = Regex::new(&p) else {
                return Ok(());
            };
            for s in &subjects {
                let wall = Instant::now();
                let (caps, spent) = timed(|| re.captures(s));
                let wall = wall.elapsed();
                {
                    let mut slowest = SLOWEST.lock().unwrap_or_else(|e| e.into_inner());
                    if slowest.as_ref().is_none_or(|(_, w, _, _)| wall > *w) {
                        *slowest = Some((spent, wall, p.clone(), s.len()));
                    }
                }
                prop_assert!(
                    spent < HANG_LIMIT,
                    "{:?} on {} bytes took {:?}",
                    p,
                    s.len(),
                    spent
                );
                if let Some(caps) = caps {
                    prop_assert!(matches!(caps.first(), Some(Some(_))));
                    for (a, b) in caps.iter().flatten() {
                        prop_assert!(a <= b && *b <= s.len());
                    }
                    prop_assert!(re.is_match(s));
                }
            }
            Ok(())
        },
    );
    if std::env::var_os("MONGOOSEIMCTL_PROPTEST_REPORT").is_some() {
        #[allow(clippy::print_stderr)]
        if let Some((cpu, wall, p, n)) = SLOWEST.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
        {
            eprintln!("slowest PCRE match: {wall:?} wall, {cpu:?} CPU, for {p:?} on {n} bytes");
        }
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Known catastrophic patterns from issue 7 item 4, against long subjects: bounded.
#[test]
fn pcre_known_catastrophes_are_bounded() {
    let mut slowest = (Duration::ZERO, "", 0);
    for p in [
        "(a+)+\\1b",
        "(a*)*(?!a)b",
        "(a+)++b",
        "(a+)+$",
        "(a|a)*b",
        "((a+)*)+b",
        "(.*a){20}",
    ] {
        let re = Regex::new(p).unwrap();
        for (n, end) in [
            (30usize, ""),
            (2_000, ""),
            (6_000, ""),
            (30, "!b"),
            (2_000, "!b@localhost"),
            (6_000, "!b"),
        ] {
            let subject = format!("{}{end}", "a".repeat(n));
            let n = subject.len();
            let (caps, spent) = timed(|| re.captures(subject.as_bytes()));
            assert!(spent < HANG_LIMIT, "{p} on {n} bytes took {spent:?}");
            if spent > slowest.0 {
                slowest = (spent, p, n);
            }
            if let Some(caps) = caps {
                assert!(caps.iter().flatten().all(|(a, b)| a <= b && *b <= n));
            }
        }
    }
    if std::env::var_os("MONGOOSEIMCTL_PROPTEST_REPORT").is_some() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "slowest known catastrophe: {:?} for {:?} on {} bytes",
                slowest.0, slowest.1, slowest.2
            );
        }
    }
}

// =============================================================================================
// Integers

/// Reference model of `io_lib:fread("~d", S)` as mongooseimctl 5.1 uses it: skip space, tab,
/// CR and LF; an optional sign; decimal digits; the rest ignored; no digits is an error. The
/// value is an Erlang integer (unbounded); ours must be it when it fits an i64, else an error.
fn fread_d(s: &str) -> Option<i128> {
    let t = s.trim_start_matches([' ', '\t', '\r', '\n']);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    // Saturate far outside the i64 range: only "fits or not" matters then.
    let mut v: i128 = 0;
    for d in digits.bytes() {
        v = (v * 10 + i128::from(d - b'0')).min(i128::from(u64::MAX) * 4);
    }
    Some(if neg { -v } else { v })
}

fn int_text() -> impl Strategy<Value = String> {
    let ws = prop::collection::vec(
        prop::sample::select(vec![
            " ", "\t", "\r", "\n", "\u{b}", "\u{c}", "\u{a0}", "\u{2003}",
        ]),
        0..3,
    )
    .prop_map(|v| v.concat());
    let sign = prop::sample::select(vec!["", "", "+", "-", "--", "+-"]);
    let digits = prop_oneof![
        "[0-9]{0,6}",
        "0{0,30}[0-9]{15,22}",
        any::<i64>().prop_map(|i| i.unsigned_abs().to_string()),
        Just("9223372036854775808".to_string()),
        Just("9223372036854775807".to_string()),
        "[\u{660}-\u{669}\u{ff10}-\u{ff19}]{1,3}",
    ];
    let tail = prop_oneof![Just(String::new()), "[a-z.,e_ 0-9]{0,5}", tricky_string(2),];
    (ws, sign, digits, tail).prop_map(|(w, s, d, t)| format!("{w}{s}{d}{t}"))
}

proptest! {
    #![proptest_config(cfg(2048))]

    /// `parse_int` agrees with the io_lib:fread ~d model on every input.
    #[test]
    fn parse_int_agrees_with_fread(s in prop_oneof![int_text(), tricky_string(6)]) {
        let want = fread_d(&s).and_then(|v| i64::try_from(v).ok());
        prop_assert_eq!(parse_int(&s), want, "input {:?}", s);
    }

    /// Every i64 reads back from its decimal text, with any trailing garbage.
    #[test]
    fn parse_int_round_trips(i in any::<i64>(), tail in "[a-z.,]{0,3}") {
        prop_assert_eq!(parse_int(&format!("{i}{tail}")), Some(i));
    }
}

// =============================================================================================
// Regressions: cases the properties found, kept as plain tests.

mod regressions {
    use super::*;

    /// fread skips only space, tab, CR and LF: `\v7`, `\f7`, NBSP and EM SPACE are no integer.
    #[test]
    fn parse_int_skips_only_erlang_whitespace() {
        for s in ["\u{b}7", "\u{c}7", "\u{a0}7", "\u{2003}7", "\u{85}7"] {
            assert_eq!(parse_int(s), None, "{s:?}");
        }
        assert_eq!(parse_int(" \t\r\n7"), Some(7));
    }

    /// Erlang term errors quote atoms and characters with their control characters escaped:
    /// one line, no terminal control sequence.
    #[test]
    fn erlang_errors_escape_control_characters() {
        let e = erlang::parse(b"$<'\n\x1b[2J'").unwrap_err().to_string();
        assert_eq!(
            e,
            "line 1, column 3: expected '.' after the term, found the atom '\\n\\u{1b}[2J'"
        );
        let e = erlang::parse("\"\\^\u{7f}\".".as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "line 1, column 2: invalid control escape \\^\\u{7f}");
        let e = erlang::parse("[a \u{7f}].".as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "line 1, column 4: expected ',' or ']' in the list, found '\\u{7f}'"
        );
    }

    /// `~p` prints a negative zero with its sign, as OTP's shortest float printing does.
    #[test]
    fn erlang_negative_zero_keeps_its_sign() {
        let t = Term::Tuple(vec![Term::Cons(
            vec![Term::Float(-0.0)],
            Box::new(Term::Int(0)),
        )]);
        assert_eq!(erlang::fmt_p(&t), "{[-0.0|0]}");
    }

    /// A domain that nameprep maps to nothing gives an empty server, as in MongooseIM.
    #[test]
    fn jid_domain_empty_after_nameprep() {
        let j = Jid::parse("A@\u{ad}/").unwrap();
        assert_eq!(
            (j.user.as_str(), j.server.as_str(), j.resource.as_str()),
            ("a", "", "")
        );
    }

    /// A match limit reached at every start position, each step comparing a long back
    /// reference: 30 s on 4,000 bytes before the per-subject budget (`TOTAL_MATCH_BUDGET`).
    #[test]
    fn pcre_long_subject_is_bounded() {
        let re = Regex::new("(\\w|(?i)(?:\\1|\\d)*+)*?\\z").unwrap();
        for n in [1_000usize, 2_000, 3_974] {
            let subject = format!("{}!b", "a".repeat(n));
            let (caps, spent) = timed(|| re.captures(subject.as_bytes()));
            assert!(spent < HANG_LIMIT, "{n} bytes: {spent:?}");
            assert!(caps.is_none());
        }
        // Short subjects keep Erlang's limit; long ones get a share of the budget.
        assert_eq!(re.match_limit_for(3), pcre::MATCH_LIMIT);
        assert_eq!(re.match_limit_for(40), 131_072);
        assert_eq!(re.match_limit_for(1_000), 256);
        assert_eq!(re.match_limit_for(usize::MAX), 1);
        // A pattern's own lower limit still wins.
        let low = Regex::new("(*LIMIT_MATCH=50)a").unwrap();
        assert_eq!(low.match_limit_for(40), 50);
        // Ordinary patterns still match long subjects.
        let dotted = Regex::new("^(?:[a-z]+\\.)*[a-z]+@localhost$").unwrap();
        assert!(dotted.is_match(format!("{}x@localhost", "abc.".repeat(250)).as_bytes()));
    }

    /// The smallest i64 is an integer like any other.
    #[test]
    fn parse_int_reads_i64_min() {
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int("-9223372036854775809"), None);
        assert_eq!(parse_int("9223372036854775808"), None);
    }
}
