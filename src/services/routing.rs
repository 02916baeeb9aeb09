//! Message routing and offline storage, as MongooseIM's router, session manager (ejabberd_sm)
//! and mod_offline handle a message to a local user (commands.md §8, store.md §2.9, config.md
//! §5.5). Used by the stanza commands; every effect is a store row: a delivery to a recorded
//! session (`mongooseimctl_delivered`) or an offline message (`offline_message`).
//!
//! A message routed to a JID of a domain served here:
//! * to a full JID with a session: delivered to it;
//! * otherwise (a bare JID, or a full JID without a session) the bare-JID rule: the sessions
//!   with the highest non-negative priority get one copy each (a session without a priority,
//!   or with a negative one, gets none);
//! * with no such session, by its type: `error` is dropped; `headline` is bounced;
//!   `groupchat` is stored only with `store_groupchat_messages`; anything else (`chat`,
//!   `normal`, no type) goes to a nonexistent account as an error bounced to the sender, and
//!   to an existing one into offline storage when mod_offline is enabled for the host type,
//!   the message is not chat-state-only (nor a XEP-0022 event notification), and the
//!   `access_max_user_messages` limit is not reached.
//!
//! A bounce is an error reply (`type='error'`, from and to swapped, an `<error/>` appended)
//! routed back to the sender by the same rules: a local sender's session gets it; an error is
//! never bounced or stored. Domains not served here are left to s2s: nothing is recorded.

use crate::compat::jid::Jid;
use crate::compat::xml::{Element, Node};
use crate::config::{AccessValue, Config, OfflineOpts};
use crate::context::host_type_in;
use crate::error::Result;
use crate::services::access;
use crate::services::live;
use crate::store::{OfflineMessage, Tx, NO_PERMANENT_FIELDS};

const NS_STANZAS: &str = "urn:ietf:params:xml:ns:xmpp-stanzas";
const NS_CHATSTATES: &str = "http://jabber.org/protocol/chatstates";
const NS_EVENT: &str = "jabber:x:event";
const NS_DELAY: &str = "urn:xmpp:delay";
const NS_DELAY91: &str = "jabber:x:delay";
const NS_EXPIRE: &str = "jabber:x:expire";

/// mod_offline's error text when the recipient's queue is full.
pub const QUEUE_FULL: &str =
    "Your contact offline message queue is full. The message has been discarded.";
/// ejabberd_sm's error text for a message it can neither deliver nor store.
pub const BOUNCE_OFFLINE: &str = "Bounce offline message";

/// An address as the router sees it: the normalised JID, and its text as MongooseIM prints it
/// (`jid:to_binary/1` of the parts as given: `Alice@LocalHost/r` stays so; an empty resource
/// drops the `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    pub jid: Jid,
    pub text: String,
}

impl Addr {
    /// Parse a JID string (commands.md §2.2); `None` if it is not a valid JID.
    pub fn parse(s: &str) -> Option<Addr> {
        let jid = Jid::parse(s)?;
        let text = match s.split_once('/') {
            Some((bare, "")) => bare.to_string(),
            _ => s.to_string(),
        };
        Some(Addr { jid, text })
    }

    /// The address of a normalised JID (a recorded session's).
    pub fn of(jid: &Jid) -> Addr {
        Addr {
            jid: jid.clone(),
            text: jid.full(),
        }
    }

    /// `jid:replace_resource/2`: the same user and server (as given), this resource.
    pub fn with_resource(&self, resource: &str) -> Addr {
        let bare = self
            .text
            .split_once('/')
            .map_or(self.text.as_str(), |(b, _)| b);
        Addr {
            jid: Jid {
                resource: resource.to_string(),
                ..self.jid.clone()
            },
            text: if resource.is_empty() {
                bare.to_string()
            } else {
                format!("{bare}/{resource}")
            },
        }
    }
}

/// Why a routed message was neither delivered nor stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// An `error` message: never stored, never bounced.
    ErrorMessage,
    /// A `headline` with no session to take it: bounced.
    Headline,
    /// A `groupchat` message, without `store_groupchat_messages` (or for no account): bounced.
    Groupchat,
    /// Only chat states (XEP-0085): not stored, bounced.
    ChatStates,
    /// A XEP-0022 event notification (an `<x xmlns='jabber:x:event'>` with an `<id/>`): not
    /// stored, bounced.
    MessageEvent,
    /// No such account: an error (service-unavailable) bounced.
    NoSuchUser,
    /// mod_offline is not enabled for the recipient's host type: bounced.
    OfflineDisabled,
    /// The recipient has `access_max_user_messages` messages stored already: an error
    /// (resource-constraint) bounced.
    LimitReached,
    /// Addressed to the server (no user part): the server handles it, nothing is recorded.
    ServerAddress,
}

/// What became of one routed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Delivered to these sessions (full JIDs).
    Delivered(Vec<Jid>),
    /// Stored offline for this account (bare).
    Stored(Jid),
    /// Neither; `error_returned`: an error reply was delivered to a session of the sender.
    Dropped {
        reason: DropReason,
        error_returned: bool,
    },
    /// The domain is not served here (s2s): nothing recorded.
    Remote,
}

/// One routing of a message: where it was addressed (the address text) and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub to: String,
    pub fate: Fate,
}

/// The router of one command: the configuration it routes by, and the time (microseconds)
/// its deliveries and offline messages get.
#[derive(Debug, Clone, Copy)]
pub struct Router<'a> {
    pub config: &'a Config,
    pub now: i64,
}

impl Router<'_> {
    /// Route `packet` (a message element, as handed to the router) from `from` to `to` inside
    /// `tx`.
    pub fn route_message(
        &self,
        tx: &mut dyn Tx,
        from: &Addr,
        to: &Addr,
        packet: &Element,
    ) -> Result<Routed> {
        let fate = self.route(tx, from, to, packet)?;
        Ok(Routed {
            to: to.text.clone(),
            fate,
        })
    }

    fn route(&self, tx: &mut dyn Tx, from: &Addr, to: &Addr, packet: &Element) -> Result<Fate> {
        let (config, now) = (self.config, self.now);
        let Some(host_type) = host_type_in(config, tx, &to.jid.server)? else {
            return Ok(Fate::Remote);
        };
        if to.jid.user.is_empty() {
            return Ok(Fate::Dropped {
                reason: DropReason::ServerAddress,
                error_returned: false,
            });
        }
        let addressed = |to_text: &str| live::addressed(packet, &from.text, to_text);
        if !to.jid.resource.is_empty() && tx.session(&to.jid)?.is_some() {
            crate::services::metrics::deliver_to(
                tx,
                &to.jid,
                &from.text,
                &addressed(&to.text),
                now,
            )?;
            return Ok(Fate::Delivered(vec![to.jid.clone()]));
        }
        // The bare-JID rule: the sessions of the highest non-negative priority.
        let sessions = tx.user_sessions(&to.jid)?;
        let best = sessions.iter().filter_map(|s| s.presence.priority).max();
        if let Some(best) = best.filter(|p| *p >= 0) {
            let mut delivered = Vec::new();
            let copy = addressed(&to.text);
            for s in sessions
                .iter()
                .filter(|s| s.presence.priority == Some(best))
            {
                crate::services::metrics::deliver_to(tx, &s.jid, &from.text, &copy, now)?;
                delivered.push(s.jid.clone());
            }
            return Ok(Fate::Delivered(delivered));
        }
        let account = Jid {
            resource: String::new(),
            ..to.jid.clone()
        };
        let offline = config.host_modules(&host_type).offline.clone();
        let reason = match packet.attr("type").unwrap_or("normal") {
            "error" => {
                return Ok(Fate::Dropped {
                    reason: DropReason::ErrorMessage,
                    error_returned: false,
                })
            }
            "headline" => DropReason::Headline,
            "groupchat" => match &offline {
                Some(opts) if opts.store_groupchat_messages && tx.user_exists(&account)? => {
                    match storable(packet) {
                        Err(reason) => reason,
                        Ok(()) => return self.store(tx, &host_type, opts, from, to, packet),
                    }
                }
                _ => DropReason::Groupchat,
            },
            _ if !tx.user_exists(&account)? => DropReason::NoSuchUser,
            _ => match &offline {
                None => DropReason::OfflineDisabled,
                Some(opts) => match storable(packet) {
                    Err(reason) => reason,
                    Ok(()) => return self.store(tx, &host_type, opts, from, to, packet),
                },
            },
        };
        self.bounce(tx, from, to, packet, reason)
    }

    /// Store `packet` offline for `to`'s account unless its limit is reached (then bounce it).
    fn store(
        &self,
        tx: &mut dyn Tx,
        host_type: &str,
        opts: &OfflineOpts,
        from: &Addr,
        to: &Addr,
        packet: &Element,
    ) -> Result<Fate> {
        let account = Jid {
            resource: String::new(),
            ..to.jid.clone()
        };
        if let Some(max) = max_user_messages(self.config, host_type, opts, &account) {
            if tx.count_offline(&account)?.saturating_add(1) > max {
                return self.bounce(tx, from, to, packet, DropReason::LimitReached);
            }
        }
        let timestamp = delay_stamp(packet).unwrap_or(self.now);
        let message = OfflineMessage {
            id: 0,
            to: account.clone(),
            timestamp,
            expire: expire(packet, timestamp),
            from: from.text.clone(),
            packet: without_delay_tags(packet).to_xml(),
            permanent_fields: NO_PERMANENT_FIELDS.to_vec(),
        };
        crate::store::limits::offline(&message.to, &message.from)?;
        tx.store_offline(&message)?;
        Ok(Fate::Stored(account))
    }

    /// Bounce `packet` (to → from) with the error of `reason`, and report it dropped.
    fn bounce(
        &self,
        tx: &mut dyn Tx,
        from: &Addr,
        to: &Addr,
        packet: &Element,
        reason: DropReason,
    ) -> Result<Fate> {
        let error = match reason {
            DropReason::ErrorMessage | DropReason::ServerAddress => None,
            DropReason::NoSuchUser => {
                Some(stanza_error("503", "cancel", "service-unavailable", None))
            }
            DropReason::LimitReached => Some(stanza_error(
                "500",
                "wait",
                "resource-constraint",
                Some((packet.attr("xml:lang").unwrap_or(""), QUEUE_FULL)),
            )),
            DropReason::Headline
            | DropReason::Groupchat
            | DropReason::ChatStates
            | DropReason::MessageEvent
            | DropReason::OfflineDisabled => Some(stanza_error(
                "503",
                "cancel",
                "service-unavailable",
                Some(("en", BOUNCE_OFFLINE)),
            )),
        };
        let mut error_returned = false;
        if let Some(error) = error {
            let reply = error_reply(packet, error);
            // An error is never bounced again: this ends in a delivery or a drop.
            if let Fate::Delivered(_) = self.route(tx, to, from, &reply)? {
                error_returned = true;
            }
        }
        Ok(Fate::Dropped {
            reason,
            error_returned,
        })
    }
}

/// The most messages the account may have stored: the `access_max_user_messages` rule
/// evaluated for it as `acl:match_rule` does; an integer value is the limit, anything else
/// (`infinity`, no such rule, no matching clause) means no limit.
fn max_user_messages(
    config: &Config,
    host_type: &str,
    opts: &OfflineOpts,
    account: &Jid,
) -> Option<i64> {
    match access::match_rule(config, host_type, &opts.access_max_user_messages, account)? {
        AccessValue::Other(value) => value.parse().ok(),
        AccessValue::Allow | AccessValue::Deny => None,
    }
}

/// mod_offline's `check_event_chatstates`: `Err` when the message must not be stored. A
/// message whose child elements are all chat states (and at least one) is not stored; one
/// with a XEP-0022 `jabber:x:event` element (the last decides) is not stored when that
/// element has an `<id/>` (it is an event notification).
fn storable(packet: &Element) -> std::result::Result<(), DropReason> {
    let (mut event, mut chat_state, mut other) = (None, false, false);
    for child in packet.child_elements() {
        match child.attr("xmlns").unwrap_or("") {
            NS_EVENT => event = Some(child),
            NS_CHATSTATES => chat_state = true,
            _ => other = true,
        }
    }
    match event {
        Some(e) if e.first_child("id").is_some() => Err(DropReason::MessageEvent),
        Some(_) => Ok(()),
        None if chat_state && !other => Err(DropReason::ChatStates),
        None => Ok(()),
    }
}

/// The `stamp` of the first `<delay/>` child, in microseconds (RFC 3339); `None` without
/// one or when it does not parse (mod_offline then uses the current time).
pub(crate) fn delay_stamp(packet: &Element) -> Option<i64> {
    let stamp = packet.first_child("delay")?.attr("stamp")?;
    let t =
        time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000)).ok()
}

/// mod_offline's `find_x_expire`: the first child element in namespace `jabber:x:expire`
/// decides; its `seconds` must be a positive integer, giving `timestamp + seconds·10⁶`.
pub(crate) fn expire(packet: &Element, timestamp: i64) -> Option<i64> {
    let x = packet
        .child_elements()
        .find(|c| c.attr("xmlns").unwrap_or("") == NS_EXPIRE)?;
    let seconds: i64 = x.attr("seconds")?.parse().ok()?;
    if seconds <= 0 {
        return None;
    }
    timestamp.checked_add(seconds.checked_mul(1_000_000)?)
}

/// `jlib:remove_delay_tags/1`: the message without its `<delay xmlns='urn:xmpp:delay'/>` and
/// `<x xmlns='jabber:x:delay'/>` children.
pub(crate) fn without_delay_tags(packet: &Element) -> Element {
    let mut out = Element::new(&packet.name);
    out.attrs = packet.attrs.clone();
    out.children = packet
        .children
        .iter()
        .filter(|child| match child {
            Node::Element(e) => {
                let ns = e.attr("xmlns").unwrap_or("");
                !((e.name == "delay" && ns == NS_DELAY) || (e.name == "x" && ns == NS_DELAY91))
            }
            Node::Text(_) => true,
        })
        .cloned()
        .collect();
    out
}

/// `mongoose_xmpp_errors` stanza errors: `<error code type><CONDITION xmlns/>[<text/>]</error>`.
fn stanza_error(code: &str, kind: &str, condition: &str, text: Option<(&str, &str)>) -> Element {
    let mut e = Element::new("error")
        .with_attr("code", code)
        .with_attr("type", kind)
        .with_child(Element::new(condition).with_attr("xmlns", NS_STANZAS));
    if let Some((lang, text)) = text {
        e = e.with_child(
            Element::new("text")
                .with_attr("xmlns", NS_STANZAS)
                .with_attr("xml:lang", lang)
                .with_text(text),
        );
    }
    e
}

/// `jlib:make_error_reply/2`: `type='error'` first, then `to`/`from` swapped, the other
/// attributes, and the error appended to the children.
fn error_reply(packet: &Element, error: Element) -> Element {
    let mut reply = Element::new(&packet.name).with_attr("type", "error");
    if let Some(from) = packet.attr("from") {
        reply = reply.with_attr("to", from);
    }
    if let Some(to) = packet.attr("to") {
        reply = reply.with_attr("from", to);
    }
    for (k, v) in &packet.attrs {
        if k != "from" && k != "to" && k != "type" {
            reply = reply.with_attr(k, v);
        }
    }
    reply.children = packet.children.clone();
    reply.children.push(Node::Element(error));
    reply
}

pub use crate::services::live::with_from_to;

/// One stored offline message, as `list_offline_messages` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub from: String,
    /// Microseconds since the epoch.
    pub timestamp: i64,
    /// Microseconds since the epoch; `None`: never.
    pub expire: Option<i64>,
    pub stanza: String,
}

/// The offline messages of `user@host` (a crash when they do not make a JID), in insertion
/// order; none for an unknown account or domain.
pub fn offline_messages(ctx: &mut crate::context::Ctx, jid: &Jid) -> Result<Vec<StoredMessage>> {
    let rows = ctx.store()?.read(|tx| tx.offline_messages(jid))?;
    Ok(rows
        .into_iter()
        .map(|m| StoredMessage {
            from: m.from,
            timestamp: m.timestamp,
            expire: m.expire,
            stanza: m.packet,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::xml;

    fn el(s: &str) -> Element {
        match xml::parse(s) {
            Ok(e) => e,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn addresses_keep_the_parts_as_given() {
        let a = Addr::parse("Alice@LocalHost/Res").expect("valid");
        assert_eq!(a.jid.full(), "alice@localhost/Res");
        assert_eq!(a.text, "Alice@LocalHost/Res");
        assert_eq!(Addr::parse("a@b/").expect("valid").text, "a@b");
        assert_eq!(Addr::parse("a@b/x/y").expect("valid").text, "a@b/x/y");
        let b = Addr::parse("Bob@LocalHost").expect("valid");
        let r = b.with_resource("r1");
        assert_eq!(
            (r.text.as_str(), r.jid.full()),
            ("Bob@LocalHost/r1", "bob@localhost/r1".into())
        );
        assert!(Addr::parse("@b").is_none());
    }

    #[test]
    fn chat_states_and_events_are_not_stored() {
        let ok = |s: &str| storable(&el(s));
        assert_eq!(ok("<message/>"), Ok(()));
        assert_eq!(ok("<message><body>x</body></message>"), Ok(()));
        assert_eq!(
            ok("<message> <composing xmlns='http://jabber.org/protocol/chatstates'/> </message>"),
            Err(DropReason::ChatStates)
        );
        assert_eq!(
            ok("<message><active xmlns='http://jabber.org/protocol/chatstates'/><body>x</body></message>"),
            Ok(())
        );
        assert_eq!(
            ok("<message><x xmlns='jabber:x:event'><id/></x></message>"),
            Err(DropReason::MessageEvent)
        );
        assert_eq!(
            ok("<message><x xmlns='jabber:x:event'><offline/></x><body>x</body></message>"),
            Ok(())
        );
    }

    #[test]
    fn delay_and_expiry() {
        let m = el("<message><delay xmlns='urn:xmpp:delay' stamp='2022-06-01T10:00:00.5Z'/><x xmlns='jabber:x:delay' stamp='x'/><x xmlns='jabber:x:expire' seconds='60'/><body>b</body></message>");
        assert_eq!(delay_stamp(&m), Some(1_654_077_600_500_000));
        assert_eq!(expire(&m, 10), Some(60_000_010));
        assert_eq!(
            without_delay_tags(&m).to_xml(),
            "<message><x xmlns='jabber:x:expire' seconds='60'/><body>b</body></message>"
        );
        let offset = el("<message><delay stamp='2022-06-01T12:00:00+02:00'/></message>");
        assert_eq!(delay_stamp(&offset), Some(1_654_077_600_000_000));
        for bad in ["", "yesterday", "2022-06-01"] {
            let m = el(&format!("<message><delay stamp='{bad}'/></message>"));
            assert_eq!(delay_stamp(&m), None, "{bad}");
        }
        for (seconds, want) in [
            ("0", None),
            ("-5", None),
            ("+5", Some(5_000_010)),
            (" 5", None),
            ("x", None),
        ] {
            let m = el(&format!(
                "<message><y xmlns='jabber:x:expire' seconds='{seconds}'/></message>"
            ));
            assert_eq!(expire(&m, 10), want, "{seconds}");
        }
        assert_eq!(expire(&el("<message/>"), 10), None);
        let huge =
            el("<message><x xmlns='jabber:x:expire' seconds='9223372036854775807'/></message>");
        assert_eq!(expire(&huge, 10), None);
    }

    #[test]
    fn error_replies_swap_the_addresses() {
        let m = el("<message from='a@l/r' to='b@l' type='chat' id='1'><body>x</body></message>");
        let reply = error_reply(
            &m,
            stanza_error("503", "cancel", "service-unavailable", None),
        );
        assert_eq!(
            reply.to_xml(),
            "<message type='error' to='a@l/r' from='b@l' id='1'><body>x</body>\
             <error code='503' type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"
        );
        assert_eq!(
            with_from_to(&m, "x@l/1", "y@l").to_xml(),
            "<message from='x@l/1' to='y@l' type='chat' id='1'><body>x</body></message>"
        );
    }
}
