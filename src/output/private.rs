//! Rendering of the `private` group's outcomes (JSON shapes: docs/json/private.md).

use serde_json::{json, Value as J};

use super::{no_such_user, user_host};
use super::{Legacy, Render};
use crate::compat::erlang::{fmt_p, Term};
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

/// The module `private_set` needs.
const MODULE: &str = "mod_private";

impl Render for PrivateSet {
    fn legacy(&self) -> Legacy {
        match self {
            PrivateSet::Set { .. } => Legacy::ok(""),
            PrivateSet::InvalidXml { element, error } => Legacy::fail(format!(
                "Error found parsing the element:\n  {}\nError: {}\n",
                Term::bin(element).pretty(2),
                fmt_p(&Term::string(error))
            )),
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
            PrivateSet::NoSuchUser { .. } => Some("user_not_found"),
            PrivateSet::ModuleNotLoaded { .. } => Some("module_not_loaded"),
        }
    }
}
