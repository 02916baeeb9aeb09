//! XMPP addresses (JIDs) as MongooseIM 5.1 builds and parses them (commands.md §2.1, §2.2).
//!
//! The three stringprep profiles come from the `stringprep` crate, wrapped so that they behave
//! like the `stringprep` 1.0.27 NIF + `mongoose_jid` 2.0.0 pair used by MongooseIM 5.1:
//!
//! * **size limits** — like `jid:nodeprep/1` & co, both the input and the prepared output of a
//!   part must be shorter than 1024 bytes;
//! * **unassigned code points** — the crate checks RFC 3454 table A.1 (Unicode 3.2 unassigned
//!   code points) only on the *normalised* output, but normalises with a current Unicode
//!   version, so a character assigned after 3.2 whose NFKC form is old (e.g. U+2C7C LATIN
//!   SUBSCRIPT SMALL LETTER J → `j`) would slip through. The NIF normalises with Unicode 3.2
//!   data, where such a character is left alone and then rejected as unassigned. We therefore
//!   also reject any input containing an A.1 code point (mapping tables B.1/B.2 only contain
//!   assigned characters, so this is equivalent).
//!
//! Checked to agree with the spec without adjustment: nodeprep/nameprep fold case with table
//! B.2 and NFKC; resourceprep does not fold case; nameprep prohibits only C.1.2, C.2.2 and
//! C.3–C.9 (ASCII space, ASCII control characters and punctuation are accepted); nodeprep adds
//! C.1.1, C.2.1 and `"&'/:<>@`; resourceprep adds C.2.1; all profiles apply the RFC 3454 §6
//! bidi rule and accept the empty string.
//!
//! Remaining (theoretical) differences: NFKC and the bidi classes (tables D.1/D.2) come from a
//! current Unicode version instead of 3.2; they differ only for a handful of characters changed
//! by Unicode corrigenda (e.g. the CJK compatibility ideograph U+F951).

use std::borrow::Cow;
use std::fmt;

/// A prepared JID part must be shorter than this many bytes (input and output).
const SANE_LIMIT: usize = 1024;
/// A JID string to parse must be shorter than this many bytes (RFC 7622 §3.1).
const JID_SIZE_LIMIT: usize = 3071;

type Profile = fn(&str) -> Result<Cow<'_, str>, stringprep::Error>;

fn prep(s: &str, profile: Profile) -> Option<String> {
    if s.len() >= SANE_LIMIT {
        return None;
    }
    if s.chars().any(stringprep::tables::unassigned_code_point) {
        return None;
    }
    let out = profile(s).ok()?;
    if out.len() >= SANE_LIMIT {
        return None;
    }
    Some(out.into_owned())
}

/// Prepares a user part (RFC 3920 nodeprep): NFKC + case folding; `None` if the part contains
/// a prohibited character (ASCII space/control, `"&'/:<>@`, non-ASCII spaces/controls,
/// private use, …), an unassigned code point, violates the bidi rule, or if the input or the
/// result is 1024 bytes or longer. The empty string is accepted.
pub fn nodeprep(s: &str) -> Option<String> {
    prep(s, stringprep::nodeprep)
}

/// Prepares a domain part (RFC 3491 nameprep): NFKC + case folding; `None` on RFC 3454
/// C.1.2, C.2.2, C.3–C.9, unassigned code points, bidi violations, or 1024+ bytes (input or
/// result). ASCII space, ASCII control characters and punctuation are accepted, and so is the
/// empty string (callers decide whether an empty domain is acceptable).
pub fn nameprep(s: &str) -> Option<String> {
    prep(s, stringprep::nameprep)
}

/// Prepares a resource part (RFC 3920 resourceprep): NFKC without case folding; `None` on
/// ASCII control characters, the non-ASCII prohibited classes, unassigned code points, bidi
/// violations, or 1024+ bytes (input or result). Identity for printable ASCII (space included).
pub fn resourceprep(s: &str) -> Option<String> {
    prep(s, stringprep::resourceprep)
}

/// A JID with normalised (prepared) parts. `user` and `resource` may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jid {
    /// Nodeprepped user part (may be empty).
    pub user: String,
    /// Nameprepped domain part.
    pub server: String,
    /// Resourceprepped resource part (may be empty).
    pub resource: String,
}

impl Jid {
    /// Builds a JID from raw parts (commands.md §2.1, `jid:make/3`): each part is prepared
    /// with its profile; `None` if any fails. An empty user gives a domain-only JID; an empty
    /// server is accepted here (as by MongooseIM's prep) — callers that need a domain must
    /// check it themselves.
    pub fn make(user: &str, server: &str, resource: &str) -> Option<Jid> {
        Some(Jid {
            user: nodeprep(user)?,
            server: nameprep(server)?,
            resource: resourceprep(resource)?,
        })
    }

    /// Parses a JID string (commands.md §2.2, `jid:from_binary/1`).
    ///
    /// The input must be shorter than 3071 bytes. The first `/` ends the bare part; the rest
    /// is the resource (it may contain `@` and `/`; `a@b/` has an empty resource). The bare
    /// part may contain at most one `@`; a JID starting with `@` or `/`, or whose domain part
    /// is empty (`a@`, `a@/r`, ``), is invalid. The parts are then prepared as by
    /// [`Jid::make`].
    pub fn parse(s: &str) -> Option<Jid> {
        if s.len() >= JID_SIZE_LIMIT || s.starts_with('@') || s.starts_with('/') {
            return None;
        }
        let (bare, resource) = match s.split_once('/') {
            Some((bare, resource)) => (bare, resource),
            None => (s, ""),
        };
        let (user, server) = match bare.split_once('@') {
            Some((user, server)) => {
                if server.contains('@') {
                    return None;
                }
                (user, server)
            }
            None => ("", bare),
        };
        if server.is_empty() {
            return None;
        }
        Jid::make(user, server, resource)
    }

    /// The bare JID text: `user@server`, or just `server` when the user part is empty.
    pub fn bare(&self) -> String {
        if self.user.is_empty() {
            self.server.clone()
        } else {
            format!("{}@{}", self.user, self.server)
        }
    }

    /// The full JID text: [`Jid::bare`] followed by `/resource` when the resource is non-empty.
    pub fn full(&self) -> String {
        let mut s = self.bare();
        if !self.resource.is_empty() {
            s.push('/');
            s.push_str(&self.resource);
        }
        s
    }
}

impl fmt::Display for Jid {
    /// Formats as [`Jid::full`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(u: &str, s: &str, r: &str) -> Jid {
        Jid {
            user: u.into(),
            server: s.into(),
            resource: r.into(),
        }
    }

    #[test]
    fn case_folding_and_nfkc() {
        assert_eq!(nodeprep("Alice").as_deref(), Some("alice"));
        assert_eq!(nameprep("LOCALHOST").as_deref(), Some("localhost"));
        assert_eq!(nodeprep("\u{FB01}x").as_deref(), Some("fix"));
        assert_eq!(nameprep("\u{FB01}.example").as_deref(), Some("fi.example"));
        assert_eq!(resourceprep("\u{FB01}").as_deref(), Some("fi"));
        // resourceprep keeps case
        assert_eq!(resourceprep("Res Ource").as_deref(), Some("Res Ource"));
        // German sharp s is folded to "ss" by table B.2
        assert_eq!(nodeprep("Stra\u{DF}e").as_deref(), Some("strasse"));
        // non-ASCII upper case
        assert_eq!(nodeprep("\u{C9}LISE").as_deref(), Some("\u{E9}lise"));
        // soft hyphen is mapped to nothing (B.1)
        assert_eq!(nodeprep("a\u{AD}b").as_deref(), Some("ab"));
        assert_eq!(resourceprep("a\u{AD}b").as_deref(), Some("ab"));
        // composition: e + combining acute -> é
        assert_eq!(nodeprep("e\u{301}").as_deref(), Some("\u{E9}"));
    }

    #[test]
    fn nodeprep_prohibited() {
        for bad in [
            " ",
            "a b",
            "a\u{1}",
            "\u{7f}",
            "a\"b",
            "a&b",
            "a'b",
            "a/b",
            "a:b",
            "a<b",
            "a>b",
            "a@b",
            "a\u{A0}b",
            "a\u{2000}b",
            "a\u{1680}b",
            "a\u{85}b",
            "\u{E000}",
            "\u{FFFF}",
            "\u{0221}",
            "\u{2C7C}",
            "\u{E0001}",
        ] {
            assert_eq!(nodeprep(bad), None, "{bad:?}");
        }
        for good in [
            "", "alice", "a.b-c_d", "a+b", "a#b$c%d", "a[b]c", "x~y", "a!b", "a=b?c",
        ] {
            assert!(nodeprep(good).is_some(), "{good:?}");
        }
    }

    #[test]
    fn nameprep_prohibited_and_accepted() {
        // ASCII space, controls and punctuation are accepted by nameprep
        for good in [
            "", "a b", "a\u{1}b", "\u{7f}", "a@b", "a/b", "a:b", "<x>", "\"&'",
        ] {
            assert_eq!(nameprep(good).as_deref(), Some(good), "{good:?}");
        }
        assert_eq!(nameprep("A B").as_deref(), Some("a b"));
        // NFKC turns a no-break space (and e.g. U+2000) into an ASCII space, which nameprep
        // and resourceprep accept (the prohibition tables apply to the normalised output)
        assert_eq!(nameprep("a\u{A0}b").as_deref(), Some("a b"));
        assert_eq!(resourceprep("a\u{2000}b").as_deref(), Some("a b"));
        for bad in [
            "a\u{1680}b", // C.1.2 non-ASCII space (no decomposition)
            "a\u{80}b",   // C.2.2 non-ASCII control
            "\u{E000}",   // C.3 private use
            "\u{FDD0}",   // C.4 non-character
            "\u{FFFD}",   // C.6 inappropriate for plain text
            "\u{2FF0}",   // C.7 ideographic description
            "\u{200E}",   // C.8 LRM
            "\u{E0041}",  // C.9 tagging
            "\u{0221}",   // A.1 unassigned in Unicode 3.2
            "\u{2C7C}",   // assigned later; NFKC would give "j"
        ] {
            assert_eq!(nameprep(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn resourceprep_prohibited_and_accepted() {
        for good in ["", " ", "a b", "a@b/c", "\"&'/:<>@", "Home"] {
            assert_eq!(resourceprep(good).as_deref(), Some(good), "{good:?}");
        }
        for bad in [
            "\u{0}",
            "a\u{7}",
            "\n",
            "\u{7f}",
            "a\u{1680}",
            "\u{E000}",
            "\u{0221}",
        ] {
            assert_eq!(resourceprep(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn bidi_rule() {
        // Hebrew only: fine; Hebrew mixed with Latin letters: rejected
        assert!(nodeprep("\u{5D0}\u{5D1}").is_some());
        assert_eq!(nodeprep("\u{5D0}a\u{5D1}"), None);
        // RandAL must be first and last
        assert_eq!(resourceprep("\u{5D0}1"), None);
        assert!(resourceprep("\u{5D0}1\u{5D1}").is_some());
        assert_eq!(nameprep("1\u{5D0}"), None);
    }

    #[test]
    fn length_limits() {
        let ok = "a".repeat(1023);
        let too_long = "a".repeat(1024);
        assert_eq!(nodeprep(&ok).as_deref(), Some(ok.as_str()));
        assert_eq!(nameprep(&ok).as_deref(), Some(ok.as_str()));
        assert_eq!(resourceprep(&ok).as_deref(), Some(ok.as_str()));
        assert_eq!(nodeprep(&too_long), None);
        assert_eq!(nameprep(&too_long), None);
        assert_eq!(resourceprep(&too_long), None);
        // 1023 bytes of input that shrink (soft hyphens are removed) are still fine,
        // 1024 bytes of input are refused even though the result would be short
        let shrinking = format!("{}{}", "\u{AD}".repeat(511), "a"); // 1023 bytes
        assert_eq!(nodeprep(&shrinking).as_deref(), Some("a"));
        let shrinking = format!("{}{}", "\u{AD}".repeat(511), "ab"); // 1024 bytes
        assert_eq!(nodeprep(&shrinking), None);
        // short input whose NFKC expansion reaches 1024 bytes
        let expanding = "\u{FDFA}".repeat(31); // 93 bytes -> 31 * 33 = 1023 bytes
        assert_eq!(resourceprep(&expanding).map(|s| s.len()), Some(1023));
        let expanding = "\u{FDFA}".repeat(32); // -> 1056 bytes
        assert_eq!(resourceprep(&expanding), None);
        // uppercase multi-byte: 1023 bytes in, still 1023 out
        let upper = format!("{}{}", "\u{C9}".repeat(511), "A");
        assert_eq!(nodeprep(&upper).map(|s| s.len()), Some(1023));
    }

    #[test]
    fn make_jids() {
        assert_eq!(
            Jid::make("Alice", "LocalHost", "Res"),
            Some(j("alice", "localhost", "Res"))
        );
        assert_eq!(Jid::make("", "localhost", ""), Some(j("", "localhost", "")));
        assert_eq!(Jid::make("", "", ""), Some(j("", "", "")));
        assert_eq!(Jid::make("a b", "localhost", ""), None);
        assert_eq!(Jid::make("a", "local\u{1680}host", ""), None);
        assert_eq!(Jid::make("a", "localhost", "r\u{7}"), None);
        assert_eq!(
            Jid::make("a", "local host", "").map(|j| j.bare()),
            Some("a@local host".into())
        );
    }

    #[test]
    fn parse_edge_cases() {
        assert_eq!(Jid::parse("a@b/"), Some(j("a", "b", "")));
        assert_eq!(Jid::parse("a@b/c@d/e"), Some(j("a", "b", "c@d/e")));
        assert_eq!(Jid::parse("b"), Some(j("", "b", "")));
        assert_eq!(Jid::parse("b/r"), Some(j("", "b", "r")));
        assert_eq!(
            Jid::parse("Alice@LOCALHOST/Home"),
            Some(j("alice", "localhost", "Home"))
        );
        assert_eq!(Jid::parse("@b"), None);
        assert_eq!(Jid::parse("/b"), None);
        assert_eq!(Jid::parse("a@@b"), None);
        assert_eq!(Jid::parse("a@b@c"), None);
        assert_eq!(Jid::parse("a@"), None);
        assert_eq!(Jid::parse("a@/r"), None);
        assert_eq!(Jid::parse(""), None);
        assert_eq!(Jid::parse("a b@c"), None);
        assert_eq!(Jid::parse("a@b c").map(|j| j.server), Some("b c".into()));
        // size limit of the whole string
        let long = format!(
            "{}@{}/{}",
            "u".repeat(1023),
            "s".repeat(1023),
            "r".repeat(1022)
        );
        assert_eq!(long.len(), 3070);
        assert!(Jid::parse(&long).is_some());
        let long = format!(
            "{}@{}/{}",
            "u".repeat(1023),
            "s".repeat(1023),
            "r".repeat(1023)
        );
        assert_eq!(Jid::parse(&long), None);
        // part limit applies after splitting
        let long = format!("{}@b", "u".repeat(1024));
        assert_eq!(Jid::parse(&long), None);
    }

    #[test]
    fn rendering() {
        let a = j("alice", "localhost", "home");
        assert_eq!(a.bare(), "alice@localhost");
        assert_eq!(a.full(), "alice@localhost/home");
        assert_eq!(a.to_string(), "alice@localhost/home");
        let d = j("", "localhost", "");
        assert_eq!(d.bare(), "localhost");
        assert_eq!(d.full(), "localhost");
        let dr = j("", "localhost", "r");
        assert_eq!(dr.full(), "localhost/r");
        assert_eq!(j("a", "b", "").full(), "a@b");
    }
}
