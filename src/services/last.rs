//! Group `last` (service_admin_extra_last).

use crate::compat::jid::Jid;
use crate::compat::xml;
use crate::context::Ctx;
use crate::error::Result;
use crate::services::accounts::{local_user, write_as_user};
use crate::store::LastActivity;

/// The outcome of `set_last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetLast {
    /// The record was written.
    Set { jid: Jid, last: LastActivity },
    /// No such account (as typed).
    NoSuchUser { user: String, host: String },
    /// The status holds a character XML 1.0 does not allow (MongooseIM serves it as XML
    /// text): nothing changed. `position` is 1-based, in characters.
    InvalidStatus { position: usize, c: char },
}

/// `set_last user host timestamp status`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn set_last(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    timestamp: i64,
    status: &str,
) -> Result<SetLast> {
    if let Some((position, c)) = xml::first_non_xml_char(status) {
        return Ok(SetLast::InvalidStatus { position, c });
    }
    let no_such_user = || SetLast::NoSuchUser {
        user: user.to_string(),
        host: host.to_string(),
    };
    let Some(jid) = local_user(ctx, user, host)? else {
        return Ok(no_such_user());
    };
    let last = LastActivity {
        seconds: timestamp,
        status: status.to_string(),
    };
    // The account is checked inside the write (no orphan record after a concurrent
    // unregister), then the limits (before anything is written).
    Ok(
        match write_as_user(ctx, &jid, |tx| {
            crate::store::limits::last(&jid, last.seconds)?;
            tx.set_last(&jid, &last)
        })? {
            Some(()) => SetLast::Set { jid, last },
            None => no_such_user(),
        },
    )
}
