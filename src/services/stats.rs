//! Group `stats` (service_admin_extra_stats): counters over the store's accounts and the
//! recorded sessions.

use crate::compat::jid::nameprep;
use crate::context::Ctx;
use crate::error::Result;
use crate::store::SessionScope;

/// A statistic `stats` / `stats_host` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// Accounts (of every known domain, or of one host).
    RegisteredUsers,
    /// Sessions (resources), all or of one host.
    OnlineUsers,
    /// Sessions on this node.
    OnlineUsersNode,
    /// Seconds since the store was created: a CLI has no running node, and the store is what
    /// lives as long as one would (the same origin `status` reports as uptime).
    UptimeSeconds,
}

impl Stat {
    fn parse(name: &str) -> Option<Stat> {
        Some(match name {
            "registeredusers" => Stat::RegisteredUsers,
            "onlineusers" => Stat::OnlineUsers,
            "onlineusersnode" => Stat::OnlineUsersNode,
            "uptimeseconds" => Stat::UptimeSeconds,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Stat::RegisteredUsers => "registeredusers",
            Stat::OnlineUsers => "onlineusers",
            Stat::OnlineUsersNode => "onlineusersnode",
            Stat::UptimeSeconds => "uptimeseconds",
        }
    }
}

/// The outcome of `stats` and `stats_host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatValue {
    Value {
        stat: Stat,
        /// The host argument (`stats_host`), as typed.
        host: Option<String>,
        value: i64,
    },
    /// Not a statistic of this command: `Error: "Wrong command name."`.
    WrongName { name: String },
}

/// `stats name`.
pub fn stats(ctx: &mut Ctx, name: &str) -> Result<StatValue> {
    let Some(stat) = Stat::parse(name) else {
        return Ok(wrong(name));
    };
    let value = match stat {
        Stat::RegisteredUsers => {
            let domains = ctx.known_domains()?;
            ctx.store()?.read(|tx| {
                let mut total = 0;
                for d in &domains {
                    total += tx.count_users(d)?;
                }
                Ok(total)
            })?
        }
        Stat::OnlineUsers => ctx
            .store()?
            .read(|tx| tx.count_scope(SessionScope::All, None, None))?,
        Stat::OnlineUsersNode => {
            let node = ctx.node.clone();
            ctx.store()?
                .read(|tx| tx.count_scope(SessionScope::All, None, Some(&node)))?
        }
        Stat::UptimeSeconds => crate::services::core::status(ctx)?.uptime_seconds,
    };
    Ok(StatValue::Value {
        stat,
        host: None,
        value,
    })
}

/// `stats_host name host`: `registeredusers` (the host nameprepped; an unknown domain has
/// none) and `onlineusers` (sessions whose server is the host as typed).
pub fn stats_host(ctx: &mut Ctx, name: &str, host: &str) -> Result<StatValue> {
    let stat = match Stat::parse(name) {
        Some(s @ (Stat::RegisteredUsers | Stat::OnlineUsers)) => s,
        _ => return Ok(wrong(name)),
    };
    let value = if stat == Stat::RegisteredUsers {
        match nameprep(host) {
            Some(server) if ctx.host_type(&server)?.is_some() => {
                ctx.store()?.read(|tx| tx.count_users(&server))?
            }
            _ => 0,
        }
    } else {
        ctx.store()?
            .read(|tx| tx.count_scope(SessionScope::Server(host), None, None))?
    };
    Ok(StatValue::Value {
        stat,
        host: Some(host.to_string()),
        value,
    })
}

fn wrong(name: &str) -> StatValue {
    StatValue::WrongName {
        name: name.to_string(),
    }
}
