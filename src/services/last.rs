//! Group `last` (service_admin_extra_last).

use crate::context::Ctx;
use crate::error::Result;
use crate::services::accounts::existing_user;
use crate::value::Value;

/// `set_last user host timestamp status`.
pub fn set_last(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    timestamp: i64,
    status: &str,
) -> Result<Value> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(Value::fail(format!("User {user}@{host} does not exist")));
    };
    ctx.store()?
        .write(|tx| crate::store::last::set(tx, &jid.server, &jid.user, timestamp, status))?;
    Ok(Value::ok(format!(
        "Last activity for user {} is set as {timestamp} with status {status}",
        jid.bare()
    )))
}
