//! Group `last` (service_admin_extra_last).

use crate::compat::jid::Jid;
use crate::context::Ctx;
use crate::error::Result;
use crate::services::accounts::existing_user;
use crate::store::LastActivity;

/// The outcome of `set_last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetLast {
    /// The record was written.
    Set { jid: Jid, last: LastActivity },
    /// No such account (as typed).
    NoSuchUser { user: String, host: String },
}

/// `set_last user host timestamp status`.
pub fn set_last(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    timestamp: i64,
    status: &str,
) -> Result<SetLast> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(SetLast::NoSuchUser {
            user: user.to_string(),
            host: host.to_string(),
        });
    };
    let last = LastActivity {
        seconds: timestamp,
        status: status.to_string(),
    };
    ctx.store()?.write(|tx| tx.set_last(&jid, &last))?;
    Ok(SetLast::Set { jid, last })
}
