//! What recorded sessions do when something happens to them (DESIGN.md §2): how a session
//! ends (logout, kick, replacement, a stream error), what it records in last activity, and
//! the presence broadcast a session's contacts and other resources receive. Shared by the
//! sessions and stanza commands and by every command that ends sessions (ban_account,
//! unregister, delete_old_users*, domain removal). Every effect is a store row: the session
//! rows, `last`, and the deliveries (`mongooseimctl_delivered`) listed by `list_deliveries`.

use crate::compat::jid::Jid;
use crate::compat::xml::Element;
use crate::error::Result;
use crate::store::{LastActivity, Presence, Session, Subscription, Tx};

/// The XML namespace of stream errors.
const STREAMS_NS: &str = "urn:ietf:params:xml:ns:xmpp-streams";

/// The text a kick gives when its reason is empty (commands.md §3, §7).
pub const KICKED_BY_ADMINISTRATOR: &str = "Kicked by administrator";

/// The reason a session is terminated with when its account is removed.
pub const USER_REMOVED: &str = "User removed";

/// The status of a session replaced by a new login with the same full JID.
pub const REPLACED: &str = "Replaced by new connection";

/// Whether mod_last records last activity for `domain`: its host type (looked up inside the
/// open transaction `tx`, as the write it decides) enables mod_last.
pub fn last_enabled(config: &crate::config::Config, tx: &mut dyn Tx, domain: &str) -> Result<bool> {
    Ok(match crate::context::host_type_in(config, tx, domain)? {
        Some(ht) => config.host_modules(&ht).last,
        None => false,
    })
}

/// How a session ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination<'a> {
    /// The client closed its stream (`close_session`).
    Logout,
    /// Terminated by the server with stream error `conflict` and this text (kick_session,
    /// ban_account, account removal).
    Kicked(&'a str),
    /// A new login took its full JID (stream error `conflict`, "Replaced by new connection").
    Replaced,
    /// It sent a stanza with a `from` that is not its own (stream error `invalid-from`).
    InvalidFrom,
}

/// `<stream:error><CONDITION xmlns='…streams'/>[<text …>TEXT</text>]</stream:error>`: what the
/// client of a terminated session receives last.
pub fn stream_error(condition: &str, text: Option<&str>) -> String {
    let mut e = Element::new("stream:error")
        .with_child(Element::new(condition).with_attr("xmlns", STREAMS_NS));
    if let Some(text) = text {
        e = e.with_child(
            Element::new("text")
                .with_attr("xml:lang", "en")
                .with_attr("xmlns", STREAMS_NS)
                .with_text(text),
        );
    }
    e.to_xml()
}

/// End a recorded session the way MongooseIM's c2s process ends:
/// * the client receives the stream error of a kick, replacement or invalid `from`;
/// * with mod_last enabled (`last`), last activity becomes (now, "") when the session had an
///   available presence, and (now, "Replaced by new connection") whenever it is replaced;
/// * a session that had an available presence broadcasts `unavailable` ([`broadcast`]).
pub fn terminate(
    tx: &mut dyn Tx,
    session: &Session,
    how: Termination<'_>,
    last: bool,
) -> Result<()> {
    let now = crate::clock::now_micros();
    let jid = &session.jid;
    let error = match how {
        Termination::Logout => None,
        Termination::Kicked(text) => Some(stream_error("conflict", Some(text))),
        Termination::Replaced => Some(stream_error("conflict", Some(REPLACED))),
        Termination::InvalidFrom => Some(stream_error("invalid-from", None)),
    };
    if let Some(error) = error {
        crate::services::metrics::deliver_to(tx, jid, &jid.server, &error, now)?;
    }
    tx.end_session(jid)?;
    let available = session.presence.is_available();
    let status = match how {
        Termination::Replaced => Some(REPLACED),
        _ if available => Some(""),
        _ => None,
    };
    if let (true, Some(status)) = (last, status) {
        tx.set_last(
            jid,
            &LastActivity {
                seconds: now.div_euclid(1_000_000),
                status: status.to_string(),
            },
        )?;
    }
    if available {
        let mut unavailable = Element::new("presence").with_attr("type", "unavailable");
        if how == Termination::Replaced {
            unavailable = unavailable.with_child(Element::new("status").with_text(REPLACED));
        }
        broadcast(tx, jid, &unavailable)?;
    }
    Ok(())
}

/// Terminate every session of an account with stream error `conflict` and `reason` (see
/// [`terminate`]); how many there were.
pub fn kick_all(tx: &mut dyn Tx, user: &Jid, reason: &str, last: bool) -> Result<usize> {
    let sessions = tx.user_sessions(user)?;
    for s in &sessions {
        terminate(tx, s, Termination::Kicked(reason), last)?;
    }
    Ok(sessions.len())
}

/// Broadcast a presence sent by the session `from` (a full JID): a copy, addressed with
/// `from` and the recipient's full JID, is delivered to each other session of the same
/// account and to each session of every contact subscribed to the account's presence (roster
/// items with subscription `from` or `both`) — to the sessions that have a priority, as
/// MongooseIM routes a presence to a bare JID only to its present resources (a session that
/// never sent a presence gets none). How many copies were delivered.
pub fn broadcast(tx: &mut dyn Tx, from: &Jid, presence: &Element) -> Result<usize> {
    let now = crate::clock::now_micros();
    let sender = from.full();
    let present = |s: &Session| s.presence.priority.is_some();
    let mut targets: Vec<Jid> = tx
        .user_sessions(from)?
        .into_iter()
        .filter(|s| present(s) && s.jid.resource != from.resource)
        .map(|s| s.jid)
        .collect();
    for item in tx.items(from)? {
        if !matches!(item.subscription, Subscription::From | Subscription::Both) {
            continue;
        }
        let (user, server) = item.contact_parts();
        let contact = Jid {
            user: user.to_string(),
            server: server.to_string(),
            resource: String::new(),
        };
        if contact.user == from.user && contact.server == from.server {
            continue;
        }
        targets.extend(
            tx.user_sessions(&contact)?
                .into_iter()
                .filter(present)
                .map(|s| s.jid),
        );
    }
    let mut delivered = 0;
    for to in targets {
        let copy = addressed(presence, &sender, &to.full());
        if crate::services::metrics::deliver_to(tx, &to, &sender, &copy, now)? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// The stanza as a client receives it: `from` and `to` first (replacing any it had), then its
/// other attributes in order.
pub fn addressed(stanza: &Element, from: &str, to: &str) -> String {
    with_from_to(stanza, from, to).to_xml()
}

/// `jlib:replace_from_to/3`: the element with `from` and `to` first (replacing any it had).
pub fn with_from_to(stanza: &Element, from: &str, to: &str) -> Element {
    let mut out = Element::new(&stanza.name)
        .with_attr("from", from)
        .with_attr("to", to);
    for (k, v) in &stanza.attrs {
        if k != "from" && k != "to" {
            out = out.with_attr(k, v);
        }
    }
    out.children = stanza.children.clone();
    out
}

/// What a presence sent by a session changed ([`apply_presence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresenceEffect {
    /// Available: show, status and priority set, broadcast.
    Available,
    /// `unavailable`: presence cleared, last activity recorded, broadcast if it was available.
    Unavailable,
    /// `invisible`: priority set, presence cleared, nothing recorded.
    Invisible,
    /// `error`, `probe` and the subscription types: nothing changes.
    Ignored,
}

/// A presence priority as ejabberd_c2s reads it: the whole text as a signed decimal (`10`,
/// `-1`, `+5`), anything else 0. `None` when it does not fit in 64 bits (5.1 has no range
/// check; we refuse what we cannot store).
pub fn parse_priority(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(0);
    }
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

/// Apply a presence stanza sent by the client of `session` (commands.md §7, set_presence):
/// by its `type`, the session's presence state changes, last activity is recorded (with
/// mod_last, `last`) and the presence is broadcast ([`broadcast`]). An available or
/// invisible presence whose priority does not fit in 64 bits is refused
/// ([`crate::error::Error::Input`]) before anything changes.
pub fn apply_presence(
    tx: &mut dyn Tx,
    session: &Session,
    presence: &Element,
    last: bool,
) -> Result<PresenceEffect> {
    let child_text = |name: &str| presence.first_child(name).map(Element::text);
    let status = child_text("status").unwrap_or_default();
    let priority = || {
        let text = child_text("priority").unwrap_or_default();
        parse_priority(&text).ok_or_else(|| {
            crate::error::Error::Input(format!(
                "presence priority {} does not fit in a 64-bit integer; nothing was changed",
                crate::compat::erlang::p_string(&text)
            ))
        })
    };
    let jid = &session.jid;
    let effect = match presence.attr("type").unwrap_or("") {
        "unavailable" => {
            tx.set_presence(jid, &Presence::none())?;
            if last {
                tx.set_last(
                    jid,
                    &LastActivity {
                        seconds: crate::clock::now_secs(),
                        status,
                    },
                )?;
            }
            if session.presence.is_available() {
                broadcast(tx, jid, presence)?;
            }
            PresenceEffect::Unavailable
        }
        "invisible" => {
            let p = Presence {
                priority: Some(priority()?),
                ..Presence::none()
            };
            tx.set_presence(jid, &p)?;
            PresenceEffect::Invisible
        }
        "error" | "probe" | "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed" => {
            PresenceEffect::Ignored
        }
        _ => {
            let show = child_text("show").unwrap_or_default();
            let p = Presence {
                show: if show.is_empty() {
                    "available".to_string()
                } else {
                    show
                },
                status,
                priority: Some(priority()?),
            };
            tx.set_presence(jid, &p)?;
            broadcast(tx, jid, presence)?;
            PresenceEffect::Available
        }
    };
    Ok(effect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_are_read_as_ejabberd_c2s_reads_them() {
        assert_eq!(parse_priority("10"), Some(10));
        assert_eq!(parse_priority("-1"), Some(-1));
        assert_eq!(parse_priority("+5"), Some(5));
        for zero in ["", " 5", "5 ", "1.5", "abc", "+", "-", "0x10", "١"] {
            assert_eq!(parse_priority(zero), Some(0), "{zero:?}");
        }
        assert_eq!(parse_priority("99999999999999999999"), None);
        assert_eq!(parse_priority("-9223372036854775808"), Some(i64::MIN));
    }

    #[test]
    fn stream_errors() {
        assert_eq!(
            stream_error("conflict", Some("a<b")),
            "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\
             <text xml:lang='en' xmlns='urn:ietf:params:xml:ns:xmpp-streams'>a&lt;b</text></stream:error>"
        );
        assert_eq!(
            stream_error("invalid-from", None),
            "<stream:error><invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
        );
    }
}
