//! Group `last` (service_admin_extra_last).

use crate::context::Ctx;
use crate::error::Result;
use crate::jid::Jid;
use crate::services::accounts::user_exists;
use crate::value::Value;

/// `set_last user host timestamp status`.
pub fn set_last(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    timestamp: i64,
    status: &str,
) -> Result<Value> {
    let jid = match Jid::make(user, host, "") {
        Some(j) if user_exists(ctx, &j)? => j,
        _ => return Ok(Value::fail(format!("User {user}@{host} does not exist"))),
    };
    ctx.store()?
        .write(|tx| crate::store::last::set(tx, &jid.server, &jid.user, timestamp, status))?;
    Ok(Value::ok(format!(
        "Last activity for user {} is set as {timestamp} with status {status}",
        jid.bare()
    )))
}
