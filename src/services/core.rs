//! Core commands that are not about accounts: status, log level, offline-message purges,
//! user resources, s2s counters, token revocation, and the node-only Mnesia/cluster commands.

use crate::compat::jid::Jid;
use crate::context::Ctx;
use crate::error::{Crash, ErlText, Error, Result};
use crate::output::Legacy as Value;
use crate::store::{LastActivity, Tx};

/// The multi-line `status` block, in mongooseimctl's shape with our own values.
pub fn status(ctx: &mut Ctx) -> Result<Value> {
    let store_label = match &ctx.store_target {
        crate::context::StoreTarget::Sqlite(p) => p.display().to_string(),
        crate::context::StoreTarget::Unsupported(why) => format!("unavailable ({why})"),
    };
    let created = ctx
        .store()?
        .read(|tx| tx.state("created_at"))?
        .and_then(|s| s.parse::<i64>().ok());
    let now = crate::clock::now_secs();
    let uptime = (now - created.unwrap_or(now)).max(0);
    let (d, rem) = (uptime / 86_400, uptime % 86_400);
    let text = format!(
        "MongooseIM node {node}:\n    operating system pid: {pid}\n    Erlang VM status: started (of: starting | started | stopping)\n    boot script status: started\n    version: {ver} (as mongooseimctl)\n    uptime: {d} days {h:02}:{m:02}:{s:02}\n    distribution protocol: none (standalone, no Erlang node)\n    config: {cfg}\n    store: {store}\n    logs: none - mongooseimctl logs to stderr (MONGOOSEIMCTL_LOG)",
        node = ctx.node,
        pid = std::process::id(),
        ver = env!("CARGO_PKG_VERSION"),
        h = rem / 3600,
        m = (rem % 3600) / 60,
        s = rem % 60,
        cfg = ctx.config_label,
        store = store_label,
    );
    Ok(Value::ok(text))
}

/// `get_loglevel`.
pub fn get_loglevel(ctx: &mut Ctx) -> Result<Value> {
    let level = ctx.config.loglevel.clone();
    let n = match level.as_str() {
        "none" => -1,
        "emergency" => 0,
        "alert" => 1,
        "critical" => 2,
        "error" => 3,
        "warning" => 4,
        "notice" => 5,
        "info" => 6,
        "debug" => 7,
        _ => 8,
    };
    Ok(Value::ok(format!(
        "global loglevel is {n}, which means '{level}'"
    )))
}

/// `delete_expired_messages host` (raw host).
pub fn delete_expired_messages(ctx: &mut Ctx, host: &str) -> Result<Value> {
    if ctx.host_type(host)?.is_none() {
        return Ok(Value::error("Unknown domain"));
    }
    let now = crate::clock::now_micros();
    let n = ctx
        .store()?
        .write(|tx| tx.delete_expired_offline(host, now))?;
    Ok(Value::ok(format!("Removed {n} messages")))
}

/// `delete_old_messages host days` (raw host).
pub fn delete_old_messages(ctx: &mut Ctx, host: &str, days: i64) -> Result<Value> {
    if ctx.host_type(host)?.is_none() {
        return Ok(Value::error("Unknown domain"));
    }
    let cutoff = crate::clock::now_micros()
        .saturating_sub(days.saturating_mul(86_400).saturating_mul(1_000_000));
    let n = ctx
        .store()?
        .write(|tx| tx.delete_offline_before(host, cutoff))?;
    Ok(Value::ok(format!("Removed {n} messages")))
}

/// `user_resources user host`.
pub fn user_resources(ctx: &mut Ctx, user: &str, host: &str) -> Result<Value> {
    let jid = Jid::make(user, host, "").ok_or_else(|| {
        Error::Crash(Crash::InvalidJid(vec![
            ErlText::Str(user.to_string()),
            ErlText::Str(host.to_string()),
        ]))
    })?;
    let res = ctx.store()?.read(|tx| tx.resources(&jid))?;
    Ok(Value::List(res.into_iter().map(Value::Text).collect()))
}

/// `revoke_token owner` (registered only with mod_auth_token).
pub fn revoke_token(ctx: &mut Ctx, owner: &str) -> Result<Value> {
    let jid = Jid::parse(owner)
        .ok_or_else(|| Error::Crash(Crash::InvalidJid(vec![ErlText::Bin(owner.to_string())])))?;
    if ctx.host_type(&jid.server)?.is_none() {
        return Err(Crash::unknown_domain(&jid.server));
    }
    let key = jid.bare();
    let revoked = ctx.store()?.write(|tx| tx.revoke_tokens(&key))?;
    Ok(if revoked {
        Value::ok("Revoked.")
    } else {
        Value::fail("User or token not found.")
    })
}

/// End every session of a user, as a kick does: a session that had an available presence
/// records last activity (now, "").
pub fn kick_all(tx: &mut dyn Tx, jid: &Jid) -> Result<usize> {
    let ended = tx.end_sessions(jid)?;
    if ended.had_available {
        tx.set_last(
            jid,
            &LastActivity {
                seconds: crate::clock::now_secs(),
                status: String::new(),
            },
        )?;
    }
    Ok(ended.count)
}

/// The answer of the Mnesia / cluster commands, which need a running Erlang node.
pub fn node_only(name: &str) -> Result<Value> {
    Ok(Value::error(format!(
        "{name} needs a running MongooseIM node (Mnesia/cluster operation); \
         this mongooseimctl works on the store directly and cannot do it"
    )))
}
