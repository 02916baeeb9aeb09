//! Rendering of the `last` group's outcomes.

use serde_json::{json, Value as J};

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
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SetLast::Set { .. } => None,
            SetLast::NoSuchUser { .. } => Some("user_not_found"),
        }
    }
}
