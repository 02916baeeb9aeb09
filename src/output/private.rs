//! Rendering of the `private` group's outcomes (JSON shapes: docs/json/private.md).

use serde_json::{json, Map, Value as J};

use super::vcard::{bad_name, bad_name_fields, code_point};
use super::{no_such_user, user_host};
use super::{Legacy, Render};
use crate::compat::erlang::{p_string, Term};
use crate::compat::xml::Unstorable;
use crate::services::private::{PrivateGet, PrivateSet};

impl Render for PrivateGet {
    fn legacy(&self) -> Legacy {
        match self {
            PrivateGet::Found { xml, .. } => Legacy::Text(xml.clone()),
            PrivateGet::NoSuchUser { user, host } => Legacy::error(no_such_user(user, host)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            PrivateGet::Found {
                jid,
                namespace,
                xml,
                stored,
            } => json!({"jid": jid.bare(), "namespace": namespace, "xml": xml, "stored": stored}),
            PrivateGet::NoSuchUser { user, host } => user_host(user, host),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            PrivateGet::Found { .. } => None,
            PrivateGet::NoSuchUser { .. } => Some("user_not_found"),
        }
    }
}

/// Why an element cannot be stored. Names are quoted and escaped (`{:?}`: they may hold
/// controls); values are never printed (private XML may hold secrets), only the position and
/// code point of the offending character.
pub(super) fn unstorable(problem: &Unstorable) -> String {
    match problem {
        Unstorable::Name {
            element,
            attribute: None,
            problem,
        } => format!("Invalid element name {element:?}: {}", bad_name(problem)),
        Unstorable::Name {
            element,
            attribute: Some(attribute),
            problem,
        } => format!(
            "Invalid attribute name {attribute:?} in element {element:?}: {}",
            bad_name(problem)
        ),
        Unstorable::Char {
            element,
            attribute,
            position,
            c,
        } => format!(
            "Invalid {} element {element:?}: {} at position {position} is not an XML 1.0 character",
            match attribute {
                None => "text in".to_string(),
                Some(a) => format!("value of attribute {a:?} in"),
            },
            code_point(*c)
        ),
        Unstorable::Reparse(error) => {
            format!("The element cannot be stored: its serialisation does not parse back ({error})")
        }
    }
}

/// The JSON fields of an unstorable element: `element`, `attribute` (when it is about one),
/// then `problem`/`position`/`character` (names) or `position`/`character` (characters), or
/// `error` (the parser message).
pub(super) fn unstorable_fields(problem: &Unstorable) -> J {
    let mut m = Map::new();
    match problem {
        Unstorable::Name {
            element,
            attribute,
            problem,
        } => {
            m.insert("element".into(), json!(element));
            if let Some(a) = attribute {
                m.insert("attribute".into(), json!(a));
            }
            bad_name_fields(problem, &mut m);
        }
        Unstorable::Char {
            element,
            attribute,
            position,
            c,
        } => {
            m.insert("element".into(), json!(element));
            if let Some(a) = attribute {
                m.insert("attribute".into(), json!(a));
            }
            m.insert("position".into(), json!(position));
            m.insert("character".into(), json!(code_point(*c)));
        }
        Unstorable::Reparse(error) => {
            m.insert("error".into(), json!(error));
        }
    }
    J::Object(m)
}

/// The module `private_set` needs.
const MODULE: &str = "mod_private";

impl Render for PrivateSet {
    fn legacy(&self) -> Legacy {
        match self {
            PrivateSet::Set { .. } => Legacy::ok(""),
            PrivateSet::InvalidXml { element, error } => Legacy::fail(format!(
                "Error found parsing the element:\n  {}\nError: {}\n",
                Term::bin(element).pretty(2),
                p_string(error)
            )),
            PrivateSet::Unstorable { problem } => Legacy::fail(unstorable(problem)),
            PrivateSet::NoSuchUser { jid } => {
                Legacy::fail(format!("User {} does not exist", jid.bare()))
            }
            PrivateSet::ModuleNotLoaded { domain } => {
                Legacy::fail(format!("Module {MODULE} is not loaded on domain {domain}"))
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            PrivateSet::Set {
                jid,
                namespace,
                xml,
            } => json!({"jid": jid.bare(), "namespace": namespace, "xml": xml,
                "stored": namespace.is_some()}),
            PrivateSet::InvalidXml { element, error } => {
                json!({"element": element, "error": error})
            }
            PrivateSet::Unstorable { problem } => unstorable_fields(problem),
            PrivateSet::NoSuchUser { jid } => user_host(&jid.user, &jid.server),
            PrivateSet::ModuleNotLoaded { domain } => {
                json!({"module": MODULE, "domain": domain})
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            PrivateSet::Set { .. } => None,
            PrivateSet::InvalidXml { .. } => Some("invalid_xml"),
            PrivateSet::Unstorable {
                problem: Unstorable::Name { .. },
            } => Some("invalid_xml_name"),
            PrivateSet::Unstorable { .. } => Some("invalid_xml_value"),
            PrivateSet::NoSuchUser { .. } => Some("user_not_found"),
            PrivateSet::ModuleNotLoaded { .. } => Some("module_not_loaded"),
        }
    }
}
