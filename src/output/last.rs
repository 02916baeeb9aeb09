//! Rendering of the `last` group's outcomes.

use serde_json::{json, Value as J};

use super::vcard::code_point;
use super::{no_such_user, user_host, Legacy, Render};
use crate::services::last::SetLast;

impl Render for SetLast {
    fn legacy(&self) -> Legacy {
        match self {
            SetLast::Set { jid, last } => Legacy::ok(format!(
                "Last activity for user {} is set as {} with status {}",
                jid.bare(),
                last.seconds,
                last.status
            )),
            SetLast::NoSuchUser { user, host } => Legacy::fail(no_such_user(user, host)),
            SetLast::InvalidStatus { position, c } => Legacy::fail(format!(
                "Invalid status: {} at position {position} is not an XML 1.0 character",
                code_point(*c)
            )),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            SetLast::Set { jid, last } => json!({
                "jid": jid.bare(),
                "timestamp": last.seconds,
                "status": last.status,
            }),
            SetLast::NoSuchUser { user, host } => user_host(user, host),
            SetLast::InvalidStatus { position, c } => {
                json!({"position": position, "character": code_point(*c)})
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SetLast::Set { .. } => None,
            SetLast::NoSuchUser { .. } => Some("user_not_found"),
            SetLast::InvalidStatus { .. } => Some("invalid_xml_value"),
        }
    }
}
