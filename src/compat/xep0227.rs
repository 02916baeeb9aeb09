//! XEP-0227 (Portable Import/Export Format) credentials: our SCRAM details as
//! `<scram-credentials xmlns='urn:xmpp:pie:0#scram'>` elements and back.
//!
//! Each element carries one mechanism (`SCRAM-SHA-1`, `SCRAM-SHA-256`, …) with its
//! `<iter-count>`, `<salt>`, `<server-key>` and `<stored-key>`, base64-encoded. We write the
//! raw bytes base64-encoded once. ejabberd 23.01 writes base64 of the base64 text instead
//! (decode twice); on import the form is recognised from the stored key's length, which is
//! the hash's output length once decoded.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

use crate::compat::scram::{Scram, ScramEntry, ScramHash};
use crate::compat::xml::Element;

/// The namespace of `<scram-credentials>`.
pub const NS_SCRAM: &str = "urn:xmpp:pie:0#scram";

/// The SASL mechanism name of a hash.
pub fn mechanism(hash: ScramHash) -> &'static str {
    match hash {
        ScramHash::Sha => "SCRAM-SHA-1",
        ScramHash::Sha224 => "SCRAM-SHA-224",
        ScramHash::Sha256 => "SCRAM-SHA-256",
        ScramHash::Sha384 => "SCRAM-SHA-384",
        ScramHash::Sha512 => "SCRAM-SHA-512",
    }
}

fn from_mechanism(name: &str) -> Option<ScramHash> {
    ScramHash::ALL.into_iter().find(|h| mechanism(*h) == name)
}

fn output_len(hash: ScramHash) -> usize {
    match hash {
        ScramHash::Sha => 20,
        ScramHash::Sha224 => 28,
        ScramHash::Sha256 => 32,
        ScramHash::Sha384 => 48,
        ScramHash::Sha512 => 64,
    }
}

/// One `<scram-credentials>` element per entry, in canonical hash order.
pub fn credentials_elements(scram: &Scram) -> Vec<Element> {
    scram
        .entries
        .iter()
        .map(|e| {
            Element::new("scram-credentials")
                .with_attr("xmlns", NS_SCRAM)
                .with_attr("mechanism", mechanism(e.hash))
                .with_child(Element::new("iter-count").with_text(&scram.iterations.to_string()))
                .with_child(Element::new("salt").with_text(&B64.encode(&e.salt)))
                .with_child(Element::new("server-key").with_text(&B64.encode(&e.server_key)))
                .with_child(Element::new("stored-key").with_text(&B64.encode(&e.stored_key)))
        })
        .collect()
}

/// Why a `<scram-credentials>` element could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCredentials(pub String);

fn field(el: &Element, name: &str) -> Result<String, BadCredentials> {
    el.first_child(name)
        .map(|c| c.text().trim().to_string())
        .ok_or_else(|| BadCredentials(format!("<scram-credentials> without <{name}>")))
}

fn b64(text: &str, what: &str) -> Result<Vec<u8>, BadCredentials> {
    B64.decode(text)
        .map_err(|_| BadCredentials(format!("<{what}> is not base64")))
}

/// One `<scram-credentials>` element: its iteration count and entry. `None` for a mechanism
/// we do not know (skipped by the caller).
pub fn parse_credentials(el: &Element) -> Result<Option<(u32, ScramEntry)>, BadCredentials> {
    let mech = el.attr("mechanism").unwrap_or("");
    let Some(hash) = from_mechanism(mech) else {
        return Ok(None);
    };
    let iterations: u32 = field(el, "iter-count")?
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| BadCredentials("<iter-count> is not a positive integer".into()))?;
    let mut salt = b64(&field(el, "salt")?, "salt")?;
    let mut server_key = b64(&field(el, "server-key")?, "server-key")?;
    let mut stored_key = b64(&field(el, "stored-key")?, "stored-key")?;
    if stored_key.len() != output_len(hash) {
        // ejabberd's form: base64 of the base64 text.
        let twice = |v: &[u8], what: &str| {
            std::str::from_utf8(v)
                .ok()
                .and_then(|t| B64.decode(t).ok())
                .ok_or_else(|| BadCredentials(format!("<{what}> has the wrong length")))
        };
        salt = twice(&salt, "salt")?;
        server_key = twice(&server_key, "server-key")?;
        stored_key = twice(&stored_key, "stored-key")?;
    }
    if stored_key.len() != output_len(hash) || server_key.len() != output_len(hash) {
        return Err(BadCredentials(format!(
            "{mech} keys do not have the hash's length"
        )));
    }
    Ok(Some((
        iterations,
        ScramEntry {
            hash,
            salt,
            stored_key,
            server_key,
        },
    )))
}

/// Our SCRAM details from a user's `<scram-credentials>` elements. Our format has one
/// iteration count: entries with another count than the first known mechanism's are
/// dropped. `None` when no element names a mechanism we know.
pub fn scram_from(elements: &[&Element]) -> Result<Option<Scram>, BadCredentials> {
    let mut iterations = None;
    let mut entries: Vec<ScramEntry> = Vec::new();
    for el in elements {
        if let Some((n, entry)) = parse_credentials(el)? {
            if *iterations.get_or_insert(n) == n && !entries.iter().any(|e| e.hash == entry.hash) {
                entries.push(entry);
            }
        }
    }
    entries.sort_by_key(|e| e.hash);
    Ok(iterations.map(|iterations| Scram {
        iterations,
        entries,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::xml;

    const ALICE: &str = "<scram-credentials xmlns='urn:xmpp:pie:0#scram' mechanism='SCRAM-SHA-1'><iter-count>4096</iter-count><salt>VUs0Tk1YY3lCVzAwVlc5aHhBdVR6UT09</salt><server-key>WjM4UFA0N2hMVFBMOXBFaXd0TzRDMVpPakJJPQ==</server-key><stored-key>bmRpODdNY2NYVzA1c3NrbzF2MzNJU0tiREtJPQ==</stored-key></scram-credentials>";

    #[test]
    fn ejabberd_double_base64_verifies() {
        let el = xml::parse(ALICE).unwrap();
        let scram = scram_from(&[&el]).unwrap().unwrap();
        assert_eq!(scram.iterations, 4096);
        assert_eq!(scram.entries[0].salt.len(), 16);
        assert!(scram.verify("wonderland"));
        assert!(!scram.verify("wonderlanD"));
    }

    #[test]
    fn our_form_round_trips() {
        let scram = crate::compat::scram::scram_new("pw", &ScramHash::ALL, 100).unwrap();
        let els = credentials_elements(&scram);
        let parsed: Vec<Element> = els
            .iter()
            .map(|e| xml::parse(&e.to_xml()).unwrap())
            .collect();
        let refs: Vec<&Element> = parsed.iter().collect();
        assert_eq!(scram_from(&refs).unwrap().unwrap(), scram);
    }

    #[test]
    fn bad_base64_is_an_error() {
        let el = xml::parse("<scram-credentials mechanism='SCRAM-SHA-1'><iter-count>1</iter-count><salt>!!</salt><server-key>a</server-key><stored-key>a</stored-key></scram-credentials>").unwrap();
        assert!(scram_from(&[&el]).is_err());
        let unknown = xml::parse("<scram-credentials mechanism='X'/>").unwrap();
        assert_eq!(scram_from(&[&unknown]).unwrap(), None);
    }
}
