//! Core commands that are not about accounts: status, log level, offline-message purges,
//! user resources, s2s counters, token revocation, and the node-only Mnesia/cluster commands.

use crate::compat::jid::Jid;
use crate::context::{Ctx, StoreTarget};
use crate::error::{Crash, ErlText, Error, Result};
use crate::store::Tx;

/// The outcome of `status`: this process in the shape of mongooseimctl's node status.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// The node name mongooseimctl reports.
    pub node: String,
    /// Our operating-system process id.
    pub pid: u32,
    /// Our version.
    pub version: &'static str,
    /// Seconds since the store was created (0 if unknown).
    pub uptime_seconds: i64,
    /// Where the config came from (a path, or the built-in defaults).
    pub config_label: String,
    /// The config file, if one was read.
    pub config_file: Option<String>,
    pub store: StoreTarget,
    /// The store's size, user count and schema version (issue 12 item 8).
    pub facts: crate::store::StoreFacts,
}

/// `status`.
pub fn status(ctx: &mut Ctx) -> Result<Status> {
    let (created, facts) = ctx
        .store()?
        .read(|tx| Ok((tx.state("created_at")?, tx.store_facts()?)))?;
    let created = created.and_then(|s| s.parse::<i64>().ok());
    let now = crate::clock::now_secs();
    Ok(Status {
        node: ctx.node.clone(),
        pid: std::process::id(),
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: (now - created.unwrap_or(now)).max(0),
        config_label: ctx.config_label.clone(),
        config_file: ctx.config.path.as_ref().map(|p| p.display().to_string()),
        store: ctx.store_target.clone(),
        facts,
    })
}

/// The outcome of `get_loglevel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLevel {
    /// The configured level name (`warning`, ...).
    pub name: String,
    /// Its number (-1 for `none` ... 7 for `debug`, 8 for `all`).
    pub number: i64,
}

/// `get_loglevel`.
pub fn get_loglevel(ctx: &mut Ctx) -> Result<LogLevel> {
    let name = ctx.config.loglevel.clone();
    let number = match name.as_str() {
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
    Ok(LogLevel { name, number })
}

/// The outcome of the offline-message purges (`delete_expired_messages`,
/// `delete_old_messages`). The host is the raw argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purge {
    Removed { host: String, count: usize },
    UnknownDomain { host: String },
}

/// Which offline messages of a host a purge deletes.
#[derive(Clone, Copy)]
enum Messages {
    /// Expired before this time (µs).
    ExpiredBefore(i64),
    /// Stored before this time (µs).
    StoredBefore(i64),
}

/// Delete (or, for a confirmation, count) the `which` messages of `host`.
fn purge_messages(tx: &mut dyn Tx, host: &str, which: Messages, count_only: bool) -> Result<usize> {
    match (which, count_only) {
        (Messages::ExpiredBefore(t), false) => tx.delete_expired_offline(host, t),
        (Messages::ExpiredBefore(t), true) => tx.count_expired_offline(host, t),
        (Messages::StoredBefore(t), false) => tx.delete_offline_before(host, t),
        (Messages::StoredBefore(t), true) => tx.count_offline_before(host, t),
    }
}

/// Purge the `which` messages of a known raw host.
fn purge(ctx: &mut Ctx, host: &str, which: Messages) -> Result<Purge> {
    let host = host.to_string();
    // An unknown domain is answered without taking the write lock; a known one is checked
    // again inside the write it decides (a dynamic domain may be disabled meanwhile).
    if ctx.host_type(&host)?.is_none() {
        return Ok(Purge::UnknownDomain { host });
    }
    let guard = ctx.guard();
    let count = ctx.write_with_config(|config, tx| {
        match crate::context::host_type_in(config, tx, &host)? {
            Some(_) => {
                // A planning or confirmed run counts first (a plan stops there); a direct
                // run's count is the deletion's own.
                if guard.counts() {
                    let n = purge_messages(tx, &host, which, true)?;
                    guard.check(n as u64, &format!(" on {host}"))?;
                }
                Ok(Some(purge_messages(tx, &host, which, false)?))
            }
            None => Ok(None),
        }
    })?;
    Ok(match count {
        Some(count) => Purge::Removed { host, count },
        None => Purge::UnknownDomain { host },
    })
}

/// `delete_expired_messages host` (raw host).
pub fn delete_expired_messages(ctx: &mut Ctx, host: &str) -> Result<Purge> {
    let now = crate::clock::now_micros();
    purge(ctx, host, Messages::ExpiredBefore(now))
}

/// `delete_old_messages host days` (raw host).
pub fn delete_old_messages(ctx: &mut Ctx, host: &str, days: i64) -> Result<Purge> {
    let cutoff = crate::clock::now_micros()
        .saturating_sub(days.saturating_mul(86_400).saturating_mul(1_000_000));
    purge(ctx, host, Messages::StoredBefore(cutoff))
}

/// The outcome of `user_resources`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    pub jid: Jid,
    /// Resources of the recorded sessions, sorted.
    pub resources: Vec<String>,
}

/// `user_resources user host`.
pub fn user_resources(ctx: &mut Ctx, user: &str, host: &str) -> Result<Resources> {
    let jid = Jid::make(user, host, "").ok_or_else(|| {
        Error::Crash(Crash::InvalidJid(vec![
            ErlText::Str(user.to_string()),
            ErlText::Str(host.to_string()),
        ]))
    })?;
    let resources = ctx.store()?.read(|tx| tx.resources(&jid))?;
    Ok(Resources { jid, resources })
}

/// Direction of s2s connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Incoming,
    Outgoing,
}

/// The outcome of `incoming_s2s_number` / `outgoing_s2s_number`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S2sConnections {
    pub direction: Direction,
    pub count: i64,
}

/// `incoming_s2s_number` / `outgoing_s2s_number`: a standalone tool has no connections.
pub fn s2s_connections(_ctx: &mut Ctx, direction: Direction) -> Result<S2sConnections> {
    Ok(S2sConnections {
        direction,
        count: 0,
    })
}

/// The outcome of `restart` and `remove_node`: success without effect, as there is no
/// running node to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoEffect {
    /// The node the command is about.
    pub node: String,
}

/// `restart` (reached as `core restart`; the bare word is the built-in).
pub fn restart(ctx: &mut Ctx) -> Result<NoEffect> {
    Ok(NoEffect {
        node: ctx.node.clone(),
    })
}

/// The outcome of `revoke_token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeToken {
    Revoked {
        owner: Jid,
    },
    /// No such user or no token to revoke.
    NotFound {
        owner: Jid,
    },
}

/// `revoke_token owner` (registered only with mod_auth_token).
pub fn revoke_token(ctx: &mut Ctx, owner: &str) -> Result<RevokeToken> {
    let jid = Jid::parse(owner)
        .ok_or_else(|| Error::Crash(Crash::InvalidJid(vec![ErlText::Bin(owner.to_string())])))?;
    if ctx.host_type(&jid.server)?.is_none() {
        return Err(Crash::unknown_domain(&jid.server));
    }
    let key = jid.bare();
    let revoked = ctx.store()?.write(|tx| tx.revoke_tokens(&key))?;
    Ok(if revoked {
        RevokeToken::Revoked { owner: jid }
    } else {
        RevokeToken::NotFound { owner: jid }
    })
}

/// What a node-only command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeSubsystem {
    Mnesia,
    Cluster,
}

/// The answer of the Mnesia / cluster commands, which need a running Erlang node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeOnly {
    pub command: &'static str,
    pub needs: NodeSubsystem,
}

/// A Mnesia / cluster command: always refused.
pub fn node_only(command: &'static str, needs: NodeSubsystem) -> Result<NodeOnly> {
    Ok(NodeOnly { command, needs })
}
