//! Group `sessions` (service_admin_extra_sessions, commands.md §7) on the sessions recorded
//! in the store (DESIGN.md §2), and our extension commands that record logins and logouts
//! (`open_session`, `close_session`) and list what the sessions received (`list_deliveries`).
//!
//! Every effect on a session (its end, a presence) goes through [`crate::services::live`].

use std::net::IpAddr;

use crate::compat::jid::Jid;
use crate::compat::xml::Element;
use crate::context::{host_type_in, Ctx};
use crate::error::{Crash, ErlText, Error, Result};
use crate::services::live::{self, PresenceEffect, Termination};
use crate::store::{Delivery, Presence, Session, SessionScope};

/// `jid:make(User, Host, Resource)`, crashing with `{invalid_jid, User, Host, Resource}` as
/// 5.1 does for a session's full JID.
fn full_jid_or_crash(user: &str, host: &str, resource: &str) -> Result<Jid> {
    Jid::make(user, host, resource).ok_or_else(|| {
        Error::Crash(Crash::InvalidJid(vec![
            ErlText::Bin(user.to_string()),
            ErlText::Bin(host.to_string()),
            ErlText::Bin(resource.to_string()),
        ]))
    })
}

/// `jid:make(User, Host, <<>>)`, crashing with `{invalid_jid, User, Host}`.
fn bare_jid_or_crash(user: &str, host: &str) -> Result<Jid> {
    Jid::make(user, host, "").ok_or_else(|| Crash::invalid_jid(user, host))
}

/// Whole seconds from `opened_at` to `now` (both µs), floored; never negative.
fn uptime(now: i64, opened_at: i64) -> i64 {
    (now - opened_at).div_euclid(1_000_000).max(0)
}

/// The outcome of `num_resources`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumResources {
    pub jid: Jid,
    pub count: i64,
}

/// `num_resources user host`: how many sessions the account has.
pub fn num_resources(ctx: &mut Ctx, user: &str, host: &str) -> Result<NumResources> {
    let jid = bare_jid_or_crash(user, host)?;
    let count = ctx.store()?.read(|tx| tx.count_sessions(&jid))?;
    Ok(NumResources { jid, count })
}

/// The outcome of `resource_num`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceNum {
    Found {
        jid: Jid,
        num: i64,
        resource: String,
    },
    /// `num` is below 1 or above the number of sessions: a success result in 5.1 (its text
    /// says so, exit 0).
    WrongNumber { jid: Jid, num: i64 },
}

/// `resource_num user host num`: the num-th (1-based) resource in byte order.
pub fn resource_num(ctx: &mut Ctx, user: &str, host: &str, num: i64) -> Result<ResourceNum> {
    let jid = bare_jid_or_crash(user, host)?;
    let resources = ctx.store()?.read(|tx| tx.resources(&jid))?;
    let picked = usize::try_from(num)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| resources.into_iter().nth(i));
    Ok(match picked {
        Some(resource) => ResourceNum::Found { jid, num, resource },
        None => ResourceNum::WrongNumber { jid, num },
    })
}

/// The outcome of `kick_session` (always a success: no session means nothing to do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KickSession {
    /// The session's full JID.
    pub jid: Jid,
    /// Whether there was a session to end.
    pub kicked: bool,
    /// The stream error's text (the reason, or the default when it is empty).
    pub reason: String,
}

/// `kick_session user host resource reason`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn kick_session(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    resource: &str,
    reason: &str,
) -> Result<KickSession> {
    let jid = full_jid_or_crash(user, host, resource)?;
    let reason = if reason.is_empty() {
        live::KICKED_BY_ADMINISTRATOR
    } else {
        reason
    };
    let kicked = ctx.write_with_config(|config, tx| {
        let Some(session) = tx.session(&jid)? else {
            return Ok(false);
        };
        let last = live::last_enabled(config, tx, &jid.server)?;
        live::terminate(tx, &session, Termination::Kicked(reason), last)?;
        Ok(true)
    })?;
    Ok(KickSession {
        jid,
        kicked,
        reason: reason.to_string(),
    })
}

/// The outcome of `status_num` / `status_num_host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusNum {
    /// The host as typed (`status_num_host`), or none (`status_num`).
    pub host: Option<String>,
    pub status: String,
    pub count: i64,
}

fn scope(host: Option<&str>) -> SessionScope<'_> {
    match host {
        Some(h) => SessionScope::Server(h),
        None => SessionScope::All,
    }
}

/// `status_num status` (host None) / `status_num_host host status` (raw host).
pub fn status_num(ctx: &mut Ctx, host: Option<&str>, status: &str) -> Result<StatusNum> {
    let count = ctx
        .store()?
        .read(|tx| tx.count_scope(scope(host), Some(status), None))?;
    Ok(StatusNum {
        host: host.map(str::to_string),
        status: status.to_string(),
        count,
    })
}

/// One row of `status_list` / `status_list_host`: a session with the show asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserStatus(pub Session);

/// `status_list status` / `status_list_host host status` (raw host): each session whose show
/// is `status`, in store order, handed to `each` as it is read.
pub fn status_list(
    ctx: &mut Ctx,
    host: Option<&str>,
    status: &str,
    each: &mut dyn FnMut(&UserStatus) -> Result<()>,
) -> Result<()> {
    ctx.store()?
        .read(|tx| tx.each_session(scope(host), Some(status), &mut |s| each(&UserStatus(s))))
}

/// One session as `connected_users_info` and `user_sessions_info` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub session: Session,
    /// Whole seconds since it was opened.
    pub uptime: i64,
}

/// `connected_users_info` (host None) / `connected_users_vhost host` (raw host): every session
/// in store order, handed to `each` as it is read.
pub fn connected_users(
    ctx: &mut Ctx,
    host: Option<&str>,
    each: &mut dyn FnMut(&SessionInfo) -> Result<()>,
) -> Result<()> {
    let now = crate::clock::now_micros();
    ctx.store()?.read(|tx| {
        tx.each_session(scope(host), None, &mut |session| {
            let uptime = uptime(now, session.opened_at);
            each(&SessionInfo { session, uptime })
        })
    })
}

/// The outcome of `user_sessions_info`: the account's sessions in reverse resource order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSessions {
    pub sessions: Vec<SessionInfo>,
}

/// `user_sessions_info user host`.
pub fn user_sessions_info(ctx: &mut Ctx, user: &str, host: &str) -> Result<UserSessions> {
    let jid = bare_jid_or_crash(user, host)?;
    let now = crate::clock::now_micros();
    let found = ctx.store()?.read(|tx| tx.user_sessions(&jid))?;
    let sessions = found
        .into_iter()
        .rev()
        .map(|session| SessionInfo {
            uptime: uptime(now, session.opened_at),
            session,
        })
        .collect();
    Ok(UserSessions { sessions })
}

/// The outcome of `set_presence` (a missing session is a crash, as in 5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPresence {
    pub jid: Jid,
    pub effect: PresenceEffect,
    /// The session's presence state afterwards.
    pub presence: Presence,
}

/// The presence stanza `set_presence` has the session send (commands.md §7): type and the
/// three children always present.
pub fn presence_element(
    jid: &Jid,
    kind: &str,
    show: &str,
    status: &str,
    priority: &str,
) -> Element {
    Element::new("presence")
        .with_attr("from", &jid.full())
        .with_attr("to", &jid.bare())
        .with_attr("type", kind)
        .with_child(Element::new("show").with_text(show))
        .with_child(Element::new("status").with_text(status))
        .with_child(Element::new("priority").with_text(priority))
}

/// `set_presence user host resource type show status priority`.
#[tracing::instrument(level = "debug", skip_all)]
#[allow(clippy::too_many_arguments)]
pub fn set_presence(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    resource: &str,
    kind: &str,
    show: &str,
    status: &str,
    priority: &str,
) -> Result<SetPresence> {
    let jid = full_jid_or_crash(user, host, resource)?;
    let element = presence_element(&jid, kind, show, status, priority);
    ctx.write_with_config(|config, tx| {
        let Some(session) = tx.session(&jid)? else {
            return Err(Error::Crash(Crash::NoSession(jid.full())));
        };
        let last = live::last_enabled(config, tx, &jid.server)?;
        crate::services::metrics::sent(tx, "presence");
        let effect = live::apply_presence(tx, &session, &element, last)?;
        let presence = match tx.session(&jid)? {
            Some(after) => after.presence,
            None => session.presence,
        };
        Ok(SetPresence {
            jid: jid.clone(),
            effect,
            presence,
        })
    })
}

/// The connection types a recorded session may have (commands.md §7).
pub const CONNECTIONS: [&str; 5] = [
    "c2s",
    "c2s_tls",
    "c2s_compressed",
    "c2s_compressed_tls",
    "unknown",
];

/// The optional flags of `open_session`, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenFlags<'a> {
    pub priority: Option<i64>,
    pub ip: Option<&'a str>,
    pub port: Option<i64>,
    pub connection: Option<&'a str>,
}

/// The outcome of `open_session`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenSession {
    Opened {
        session: Session,
        /// A session with the same full JID was there and was replaced.
        replaced: bool,
    },
    /// The domain is not known (`host-unknown`).
    HostUnknown { jid: Jid },
    /// No such account (`not-authorized`).
    NotAuthorized { jid: Jid },
}

fn flag_error(flag: &str, value: &str, expected: &str) -> Error {
    Error::Input(format!(
        "open_session: --{flag} must be {expected}, got {value}"
    ))
}

/// `open_session user host resource [--priority N] [--ip ADDR] [--port N] [--connection NAME]`:
/// record a login, as a client's successful authentication and resource binding would.
#[tracing::instrument(level = "debug", skip_all)]
pub fn open_session(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    resource: &str,
    flags: &OpenFlags<'_>,
) -> Result<OpenSession> {
    let priority = match flags.priority {
        Some(p) if !(-128..=127).contains(&p) => {
            return Err(flag_error(
                "priority",
                &p.to_string(),
                "between -128 and 127",
            ))
        }
        p => p,
    };
    let ip = match flags.ip {
        Some(text) => text
            .parse::<IpAddr>()
            .map_err(|_| {
                flag_error(
                    "ip",
                    &crate::compat::erlang::p_string(text),
                    "an IPv4 or IPv6 address",
                )
            })?
            .to_string(),
        None => "127.0.0.1".to_string(),
    };
    let port = match flags.port {
        Some(p) if !(0..=65535).contains(&p) => {
            return Err(flag_error("port", &p.to_string(), "between 0 and 65535"))
        }
        p => p.unwrap_or(0),
    };
    let connection = match flags.connection {
        Some(c) if !CONNECTIONS.contains(&c) => {
            return Err(flag_error(
                "connection",
                &crate::compat::erlang::p_string(c),
                &format!("one of {}", CONNECTIONS.join(", ")),
            ))
        }
        c => c.unwrap_or("c2s").to_string(),
    };
    let jid = full_jid_or_crash(user, host, resource)?;
    if jid.resource.is_empty() {
        return Err(Error::Input(
            "open_session: the resource must not be empty".to_string(),
        ));
    }
    let presence = match priority {
        Some(p) => Presence {
            show: "available".to_string(),
            status: String::new(),
            priority: Some(p),
        },
        None => Presence::none(),
    };
    let session = Session {
        jid: jid.clone(),
        opened_at: crate::clock::now_micros(),
        node: ctx.node.clone(),
        connection,
        ip,
        port,
        presence,
    };
    ctx.write_with_config(|config, tx| {
        let Some(ht) = host_type_in(config, tx, &jid.server)? else {
            return Ok(OpenSession::HostUnknown { jid: jid.clone() });
        };
        if !tx.user_exists(&jid)? {
            return Ok(OpenSession::NotAuthorized { jid: jid.clone() });
        }
        let last = config.host_modules(&ht).last;
        // The old session gets its stream error and ends before the new one is recorded.
        let old = tx.session(&jid)?;
        if let Some(old) = &old {
            live::terminate(tx, old, Termination::Replaced, last)?;
        }
        crate::store::limits::session(&jid)?;
        tx.open_session(&session)?;
        if let Some(p) = priority {
            let initial = Element::new("presence")
                .with_child(Element::new("priority").with_text(&p.to_string()));
            live::broadcast(tx, &jid, &initial)?;
        }
        Ok(OpenSession::Opened {
            session: session.clone(),
            replaced: old.is_some(),
        })
    })
}

/// The outcome of `close_session`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseSession {
    Closed { jid: Jid },
    NotFound { jid: Jid },
}

/// `close_session user host resource`: record a client logout.
#[tracing::instrument(level = "debug", skip_all)]
pub fn close_session(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    resource: &str,
) -> Result<CloseSession> {
    let jid = full_jid_or_crash(user, host, resource)?;
    ctx.write_with_config(|config, tx| {
        let Some(session) = tx.session(&jid)? else {
            return Ok(CloseSession::NotFound { jid: jid.clone() });
        };
        let last = live::last_enabled(config, tx, &jid.server)?;
        live::terminate(tx, &session, Termination::Logout, last)?;
        Ok(CloseSession::Closed { jid: jid.clone() })
    })
}

/// One row of `list_deliveries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow(pub Delivery);

/// `list_deliveries user host [--resource R]`: what the account's sessions (or the one
/// resource's) received, in delivery order, handed to `each` as it is read.
pub fn list_deliveries(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    resource: Option<&str>,
    each: &mut dyn FnMut(&DeliveryRow) -> Result<()>,
) -> Result<()> {
    let jid = match resource {
        Some(r) => full_jid_or_crash(user, host, r)?,
        None => bare_jid_or_crash(user, host)?,
    };
    ctx.store()?
        .read(|tx| tx.each_delivery(&jid, &mut |d| each(&DeliveryRow(d))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_is_floored_whole_seconds() {
        assert_eq!(uptime(2_999_999, 0), 2);
        assert_eq!(uptime(3_000_000, 0), 3);
        assert_eq!(uptime(0, 5), 0);
    }

    #[test]
    fn the_presence_has_its_three_children() {
        let jid = Jid::make("alice", "localhost", "res1").unwrap();
        assert_eq!(
            presence_element(&jid, "", "", "", "").to_xml(),
            "<presence from='alice@localhost/res1' to='alice@localhost' type=''>\
             <show></show><status></status><priority></priority></presence>"
        );
    }
}
