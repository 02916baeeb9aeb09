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
//! Patterns are validated and run by [`crate::compat::pcre`] (PCRE 8.45 emulation on top of
//! PCRE2), over the parts' UTF-8 bytes, as `re:run/3` runs over MongooseIM's binaries.
//!
//! # Bounded matching
//!
//! Every pattern is compiled once ([`parse_filter`]). The items are matched through a
//! [`Run`], which tries each distinct owner JID against the users patterns once and each
//! distinct contact JID against the contacts patterns once (however many items share them),
//! and bounds the work of every pattern twice over: each single match stops at PCRE's match
//! limit (Erlang's, see [`crate::compat::pcre`]: then "no match", as `re:run/3` answers), and
//! the wall time all the matches of one pattern take is summed — once it reaches the budget
//! ([`PATTERN_BUDGET`], 1 s) the pattern is no longer run and counts as not matching every
//! JID it was not yet tried on. A match in progress is not interrupted, so a pattern can
//! overrun its budget by one match (itself bounded by the match limit). The patterns that
//! skipped JIDs that way are reported ([`Run::exhausted`]), so the caller can warn.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use crate::compat::pcre;

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
            .field("user", &self.user.as_ref().map(Matcher::source))
            .field("server", &self.server.source())
            .finish()
    }
}

/// A pattern PCRE 8.45 rejects: the pattern as given, PCRE's message and the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongRegexp {
    pub pattern: String,
    pub message: &'static str,
    pub offset: usize,
}

/// Why a filter could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// Unknown action / subscription / ask word: message for an exit-1 error, e.g.
    /// `invalid action "foo": expected list or delete`.
    Invalid(String),
    /// The patterns that do not compile, in order users then contacts (5.1 prints one
    /// `Wrong regexp <<"P">>: {"<pcre message>",<offset>}` line for each).
    WrongRegexps(Vec<WrongRegexp>),
    /// A pattern that is not a valid JID (e.g. starts with `@`, two `@`) — MongooseIM crashes
    /// here. Also used when a pattern's normalised user or server part is not a regex PCRE
    /// accepts (MongooseIM crashes in `re:run` then). Carries the pattern text as given; when
    /// a part uses one of the few PCRE 8.45 behaviours PCRE2 cannot reproduce (see
    /// [`crate::compat::pcre`]) the text is followed by ` (reason)`.
    InvalidJidPattern(String),
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::Invalid(m) | FilterError::InvalidJidPattern(m) => f.write_str(m),
            FilterError::WrongRegexps(wrong) => {
                let lines: Vec<String> = wrong
                    .iter()
                    .map(|w| format!("{}: {} at offset {}", w.pattern, w.message, w.offset))
                    .collect();
                f.write_str(&lines.join("\n"))
            }
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
    let wrong: Vec<WrongRegexp> = user_texts
        .iter()
        .chain(contact_texts.iter())
        .filter_map(|p| {
            pcre::check(p.as_bytes()).err().map(|e| WrongRegexp {
                pattern: p.to_string(),
                message: e.message,
                offset: e.offset,
            })
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

/// The cumulative wall time each pattern may spend matching in one [`Run`].
pub const PATTERN_BUDGET: Duration = Duration::from_secs(1);

impl Filter {
    /// Whether a roster item matches: subscription ∈ subs, ask ∈ asks, the owner matches some
    /// users pattern and the contact matches some contacts pattern. Unbounded and
    /// unmemoised: one item; use a [`Run`] for many.
    pub fn matches(
        &self,
        subscription: &str,
        ask: &str,
        owner_user: &str,
        owner_server: &str,
        contact_user: &str,
        contact_server: &str,
    ) -> bool {
        self.accepts_state(subscription, ask)
            && self
                .users
                .iter()
                .any(|p| p.matches(owner_user, owner_server))
            && self
                .contacts
                .iter()
                .any(|p| p.matches(contact_user, contact_server))
    }

    /// Whether the subscription and ask are among those the filter selects (no pattern is
    /// run).
    pub fn accepts_state(&self, subscription: &str, ask: &str) -> bool {
        self.subs.iter().any(|s| s == subscription) && self.asks.iter().any(|a| a == ask)
    }

    /// A run of the filter over many items, each pattern with `budget` of matching time
    /// ([`PATTERN_BUDGET`] for `process_rosteritems`). `'s` is the lifetime of the JID texts
    /// the run is given (they are remembered, not copied).
    pub fn run<'s>(&self, budget: Duration) -> Run<'_, 's> {
        Run {
            filter: self,
            budget,
            users: vec![Spent::default(); self.users.len()],
            contacts: vec![Spent::default(); self.contacts.len()],
            owners_seen: HashMap::new(),
            contacts_seen: HashMap::new(),
        }
    }
}

/// Which list of patterns a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternField {
    /// The `users` argument: matched against item owners.
    Users,
    /// The `contacts` argument: matched against item contacts.
    Contacts,
}

impl PatternField {
    /// `users` or `contacts`, the argument's name.
    pub fn name(self) -> &'static str {
        match self {
            PatternField::Users => "users",
            PatternField::Contacts => "contacts",
        }
    }
}

/// A pattern that used up its time budget and was then taken as not matching `skipped`
/// distinct JIDs it was not tried on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhausted {
    pub field: PatternField,
    /// The pattern as given on the command line.
    pub pattern: String,
    pub skipped: usize,
    /// The budget it had.
    pub budget: Duration,
}

/// What one pattern spent in a run.
#[derive(Debug, Clone, Copy, Default)]
struct Spent {
    time: Duration,
    /// Distinct JIDs it was run against.
    runs: usize,
    /// Distinct JIDs it was not run against because its budget was spent.
    skipped: usize,
}

/// One bounded, memoised run of a [`Filter`] over many items (see the module documentation).
pub struct Run<'f, 's> {
    filter: &'f Filter,
    budget: Duration,
    users: Vec<Spent>,
    contacts: Vec<Spent>,
    /// Results per distinct owner / contact `(user, server)`.
    owners_seen: HashMap<(&'s str, &'s str), bool>,
    contacts_seen: HashMap<(&'s str, &'s str), bool>,
}

impl<'s> Run<'_, 's> {
    /// Whether an item matches (as [`Filter::matches`], but each JID is tried at most once per
    /// run and each pattern within its budget). The state is checked first, then the owner,
    /// then the contact, each only if what came before matched.
    pub fn matches(
        &mut self,
        subscription: &str,
        ask: &str,
        owner: (&'s str, &'s str),
        contact: (&'s str, &'s str),
    ) -> bool {
        if !self.filter.accepts_state(subscription, ask) {
            return false;
        }
        let owner_ok = match self.owners_seen.get(&owner) {
            Some(&r) => r,
            None => {
                let r = try_patterns(&self.filter.users, &mut self.users, self.budget, owner);
                self.owners_seen.insert(owner, r);
                r
            }
        };
        if !owner_ok {
            return false;
        }
        match self.contacts_seen.get(&contact) {
            Some(&r) => r,
            None => {
                let r = try_patterns(
                    &self.filter.contacts,
                    &mut self.contacts,
                    self.budget,
                    contact,
                );
                self.contacts_seen.insert(contact, r);
                r
            }
        }
    }

    /// The patterns that used up their budget and skipped JIDs because of it, users first,
    /// each list in argument order.
    pub fn exhausted(&self) -> Vec<Exhausted> {
        let field = |field: PatternField, patterns: &[Pattern], spent: &[Spent]| {
            patterns
                .iter()
                .zip(spent)
                .filter(|(_, s)| s.skipped > 0)
                .map(|(p, s)| Exhausted {
                    field,
                    pattern: p.text.clone(),
                    skipped: s.skipped,
                    budget: self.budget,
                })
                .collect::<Vec<_>>()
        };
        let mut out = field(PatternField::Users, &self.filter.users, &self.users);
        out.extend(field(
            PatternField::Contacts,
            &self.filter.contacts,
            &self.contacts,
        ));
        out
    }

    /// How many distinct JIDs each users pattern, then each contacts pattern, was run against.
    pub fn runs(&self) -> (Vec<usize>, Vec<usize>) {
        let runs = |spent: &[Spent]| spent.iter().map(|s| s.runs).collect();
        (runs(&self.users), runs(&self.contacts))
    }
}

/// Whether `(user, server)` matches one of `patterns`, in order, each within its budget.
fn try_patterns(
    patterns: &[Pattern],
    spent: &mut [Spent],
    budget: Duration,
    (user, server): (&str, &str),
) -> bool {
    for (p, s) in patterns.iter().zip(spent.iter_mut()) {
        if s.time >= budget {
            s.skipped += 1;
            continue;
        }
        let started = Instant::now();
        let found = p.matches(user, server);
        s.time += started.elapsed();
        s.runs += 1;
        if found {
            return true;
        }
    }
    false
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
    /// PCRE accepts it but it cannot be run the same way.
    Unsupported(String),
}

/// A compiled regex part with full-match semantics.
#[derive(Clone)]
struct Matcher {
    regex: pcre::Regex,
}

impl Matcher {
    /// Compile a PCRE pattern.
    fn new(pattern: &str) -> Result<Matcher, PartError> {
        match pcre::Regex::new(pattern) {
            Ok(regex) => Ok(Matcher { regex }),
            Err(pcre::CompileError::Pcre(_)) => Err(PartError::NotRegex),
            Err(pcre::CompileError::Unsupported(m)) => Err(PartError::Unsupported(m)),
        }
    }

    /// The PCRE2 source the part runs as.
    fn source(&self) -> &str {
        self.regex.pcre2_source()
    }

    /// full-match: the leftmost match's whole span or any group's span is exactly the
    /// subject. No match, or a failed match (limit reached), is false.
    fn full_match(&self, subject: &str) -> bool {
        let whole = subject.len();
        self.regex
            .captures(subject.as_bytes())
            .is_some_and(|spans| {
                spans
                    .iter()
                    .flatten()
                    .any(|&(start, end)| start == 0 && end == whole)
            })
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
                wrong("*@example.org", "nothing to repeat", 0),
                wrong("*", "nothing to repeat", 0),
                wrong("*@*icq*", "nothing to repeat", 0),
            ])
        );
    }

    fn wrong(pattern: &str, message: &'static str, offset: usize) -> WrongRegexp {
        WrongRegexp {
            pattern: pattern.to_string(),
            message,
            offset,
        }
    }

    #[test]
    fn wrong_regexps_carry_pattern_message_and_offset() {
        let r = parse_filter("list", "any", "any", "a\\", "any", &stub);
        assert_eq!(
            r.unwrap_err(),
            FilterError::WrongRegexps(vec![wrong("a\\", "\\ at end of pattern", 2)])
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
    fn unsupported_features_are_reported_not_mismatched() {
        // PCRE 8.45 accepts 250 nested groups; the atomic group that makes a subroutine call
        // behave as in PCRE 8.45 is one level too many for PCRE2.
        let user = format!("{}(?1){}", "(".repeat(250), ")".repeat(250));
        let text = format!("{user}@x");
        let r = parse_filter("list", "any", "any", &text, "any", &stub);
        assert!(
            matches!(&r, Err(FilterError::InvalidJidPattern(m))
                if m.starts_with(&format!("{text} (its user part \"{user}\" cannot be compiled by PCRE2"))),
            "{r:?}"
        );
        // What PCRE 8.45 rejects is a wrong regexp, not an unsupported one.
        assert_eq!(
            parse_filter("list", "any", "any", "(?R@x", "any", &stub).unwrap_err(),
            FilterError::WrongRegexps(vec![wrong(
                "(?R@x",
                "(?R or (?[+-]digits must be followed by )",
                3
            )])
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
    fn matching_semantics() {
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
    fn constructs_the_former_translation_refused() {
        assert!(full("a(?R)?b", "aabb"));
        assert!(!full("a(?R)?b", "aab"));
        assert!(full("(?|(a)|(b))\\1", "bb"));
        assert!(!full("(?|(a)|(b))\\1", "ab"));
        assert!(full("a(*COMMIT)b|ac", "ab"));
        assert!(!full("a(*COMMIT)b|ac", "ac"));
        // Through the filter (patterns are lower-cased: these survive it).
        let f = filter("any", "any", "(a+)+$@x:(?|(b)|(c))\\1@x", "any");
        let long = format!("{}b", "a".repeat(4999));
        assert!(!f.matches("both", "none", &long, "x", "c", "y"));
        assert!(f.matches("both", "none", "aaa", "x", "c", "y"));
        assert!(f.matches("both", "none", "cc", "x", "c", "y"));
        assert!(format!("{:?}", f.users[0]).contains("(a+)+$"));
    }

    #[test]
    fn a_run_tries_each_distinct_jid_once() {
        let f = filter("any", "any", "b.*@x:alice@x", ".*@y");
        let mut run = f.run(PATTERN_BUDGET);
        // alice's three items: the users patterns run once for alice (the first fails, the
        // second matches), the contacts pattern once per distinct contact.
        assert!(run.matches("both", "none", ("alice", "x"), ("c1", "y")));
        assert!(run.matches("to", "none", ("alice", "x"), ("c2", "y")));
        assert!(run.matches("from", "none", ("alice", "x"), ("c1", "y")));
        assert!(!run.matches("both", "none", ("alice", "x"), ("c3", "z")));
        // bob matches the first users pattern: the second is not tried.
        assert!(run.matches("both", "none", ("bob", "x"), ("c1", "y")));
        // A state the filter does not select runs nothing.
        let f2 = filter("none", "any", "alice@x", "any");
        let mut run2 = f2.run(PATTERN_BUDGET);
        assert!(!run2.matches("both", "none", ("alice", "x"), ("c1", "y")));
        assert_eq!(run2.runs(), (vec![0], vec![0, 0]));
        // An owner that does not match: its contacts are never tried.
        assert!(!run.matches("both", "none", ("carol", "x"), ("c9", "y")));
        assert_eq!(run.runs(), (vec![3, 2], vec![3]));
        assert!(run.exhausted().is_empty());
    }

    #[test]
    fn a_spent_budget_means_no_match_and_is_reported() {
        let f = filter("any", "any", "alice@x:.*@x", "any");
        // No time at all: no pattern runs, every item fails, each skip is counted once per
        // distinct JID.
        let mut run = f.run(Duration::ZERO);
        assert!(!run.matches("both", "none", ("alice", "x"), ("c1", "y")));
        assert!(!run.matches("both", "none", ("alice", "x"), ("c2", "y")));
        assert!(!run.matches("both", "none", ("bob", "x"), ("c1", "y")));
        assert_eq!(run.runs(), (vec![0, 0], vec![0, 0]));
        let exhausted = run.exhausted();
        assert_eq!(
            exhausted,
            vec![
                Exhausted {
                    field: PatternField::Users,
                    pattern: "alice@x".into(),
                    skipped: 2,
                    budget: Duration::ZERO
                },
                Exhausted {
                    field: PatternField::Users,
                    pattern: ".*@x".into(),
                    skipped: 2,
                    budget: Duration::ZERO
                },
            ]
        );
        // A catastrophic pattern: every match is bounded by compat::pcre's per-subject match
        // limit, so 400 long owners end as "no match" well within a generous budget, and the
        // other pattern still decides.
        let f = filter("any", "any", "(a+)+\\1b@x:bob@x", "any");
        let owners: Vec<String> = (0..400)
            .map(|i| format!("{}{i}b", "a".repeat(200)))
            .collect();
        let mut run = f.run(Duration::from_secs(60));
        for o in &owners {
            assert!(!run.matches("both", "none", (o, "x"), ("c", "y")));
        }
        assert!(run.matches("both", "none", ("bob", "x"), ("c", "y")));
        assert!(run.exhausted().is_empty());
    }

    #[test]
    fn display() {
        let e = FilterError::WrongRegexps(vec![
            wrong("a(", "missing )", 2),
            wrong("*", "nothing to repeat", 0),
        ]);
        assert_eq!(
            e.to_string(),
            "a(: missing ) at offset 2\n*: nothing to repeat at offset 0"
        );
    }
}
