//! What recorded sessions do when something happens to them (DESIGN.md §2): how a session
//! ends (logout, kick, replacement, a stream error), what it records in last activity, and
//! the presence broadcast a session's contacts and other resources receive. Shared by the
//! sessions and stanza commands and by every command that ends sessions (ban_account,
//! unregister, delete_old_users*, domain removal). Every effect is a store row: the session
//! rows, `last`, and the deliveries (`mongooseimctl_delivered`) listed by `list_deliveries`.

use crate::compat::jid::Jid;
use crate::compat::xml::Element;
use crate::error::Result;
use crate::store::{LastActivity, Session, Subscription, Tx};

/// The XML namespace of stream errors.
const STREAMS_NS: &str = "urn:ietf:params:xml:ns:xmpp-streams";

/// The text a kick gives when its reason is empty (commands.md §3, §7).
pub const KICKED_BY_ADMINISTRATOR: &str = "Kicked by administrator";

/// The reason a session is terminated with when its account is removed.
pub const USER_REMOVED: &str = "User removed";

/// The status of a session replaced by a new login with the same full JID.
pub const REPLACED: &str = "Replaced by new connection";

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
pub fn terminate(tx: &mut dyn Tx, session: &Session, how: Termination<'_>, last: bool) -> Result<()> {
    let now = crate::clock::now_micros();
    let jid = &session.jid;
    let error = match how {
        Termination::Logout => None,
        Termination::Kicked(text) => Some(stream_error("conflict", Some(text))),
        Termination::Replaced => Some(stream_error("conflict", Some(REPLACED))),
        Termination::InvalidFrom => Some(stream_error("invalid-from", None)),
    };
    if let Some(error) = error {
        tx.deliver_to(jid, &jid.server, &error, now)?;
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
/// items with subscription `from` or `both`). How many copies were delivered.
pub fn broadcast(tx: &mut dyn Tx, from: &Jid, presence: &Element) -> Result<usize> {
    let now = crate::clock::now_micros();
    let sender = from.full();
    let mut targets: Vec<Jid> = tx
        .user_sessions(from)?
        .into_iter()
        .map(|s| s.jid)
        .filter(|j| j.resource != from.resource)
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
        targets.extend(tx.user_sessions(&contact)?.into_iter().map(|s| s.jid));
    }
    let mut delivered = 0;
    for to in targets {
        let copy = addressed(presence, &sender, &to.full());
        if tx.deliver_to(&to, &sender, &copy, now)? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// The stanza as a client receives it: `from` and `to` first (replacing any it had), then its
/// other attributes in order.
pub fn addressed(stanza: &Element, from: &str, to: &str) -> String {
    let mut out = Element::new(&stanza.name)
        .with_attr("from", from)
        .with_attr("to", to);
    for (k, v) in &stanza.attrs {
        if k != "from" && k != "to" {
            out = out.with_attr(k, v);
        }
    }
    out.children = stanza.children.clone();
    out.to_xml()
}
