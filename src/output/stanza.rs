//! Rendering of the `stanza` group's outcomes (and of what routing did, in JSON).

use serde_json::{json, Value as J};

use super::private::{unstorable, unstorable_fields};
use super::{Legacy, Render};
use crate::compat::xml::Unstorable;
use crate::services::live::PresenceEffect;
use crate::services::routing::{DropReason, Fate, Routed};
use crate::services::stanza::{SendMessage, SendStanza, StanzaEffect};

fn reason_name(r: DropReason) -> &'static str {
    match r {
        DropReason::ErrorMessage => "error_message",
        DropReason::Headline => "headline",
        DropReason::Groupchat => "groupchat",
        DropReason::ChatStates => "chat_states",
        DropReason::MessageEvent => "message_event",
        DropReason::NoSuchUser => "no_such_user",
        DropReason::OfflineDisabled => "offline_disabled",
        DropReason::LimitReached => "limit_reached",
        DropReason::ServerAddress => "server_address",
    }
}

/// One routing as JSON: `{"to", "result": "delivered", "sessions"}`, `{"to", "result":
/// "stored", "account"}`, `{"to", "result": "dropped", "reason", "error_returned"}` or
/// `{"to", "result": "remote"}`.
fn routed_json(r: &Routed) -> J {
    match &r.fate {
        Fate::Delivered(sessions) => json!({
            "to": r.to,
            "result": "delivered",
            "sessions": sessions.iter().map(|j| j.full()).collect::<Vec<_>>(),
        }),
        Fate::Stored(account) => json!({"to": r.to, "result": "stored", "account": account.bare()}),
        Fate::Dropped {
            reason,
            error_returned,
        } => json!({
            "to": r.to,
            "result": "dropped",
            "reason": reason_name(*reason),
            "error_returned": error_returned,
        }),
        Fate::Remote => json!({"to": r.to, "result": "remote"}),
    }
}

fn unstorable_kind(problem: &Unstorable) -> &'static str {
    match problem {
        Unstorable::Name { .. } => "invalid_xml_name",
        _ => "invalid_xml_value",
    }
}

impl Render for SendMessage {
    fn legacy(&self) -> Legacy {
        match self {
            SendMessage::Sent { .. } => Legacy::ok(""),
            SendMessage::InvalidSender { .. } => Legacy::fail("Sender JID is invalid"),
            SendMessage::InvalidReceiver { .. } => Legacy::fail("Receiver JID is invalid"),
            SendMessage::Unstorable { problem } => Legacy::fail(unstorable(problem)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            SendMessage::Sent {
                from,
                to,
                id,
                routed,
            } => json!({
                "from": from,
                "to": to,
                "id": id,
                "routed": routed.iter().map(routed_json).collect::<Vec<_>>(),
            }),
            SendMessage::InvalidSender { from } => json!({"jid": from}),
            SendMessage::InvalidReceiver { to } => json!({"jid": to}),
            SendMessage::Unstorable { problem } => unstorable_fields(problem),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SendMessage::Sent { .. } => None,
            SendMessage::InvalidSender { .. } => Some("invalid_sender"),
            SendMessage::InvalidReceiver { .. } => Some("invalid_receiver"),
            SendMessage::Unstorable { problem } => Some(unstorable_kind(problem)),
        }
    }
}

fn presence_name(e: PresenceEffect) -> &'static str {
    match e {
        PresenceEffect::Available => "available",
        PresenceEffect::Unavailable => "unavailable",
        PresenceEffect::Invisible => "invisible",
        PresenceEffect::Ignored => "ignored",
    }
}

fn effect_json(e: &StanzaEffect) -> J {
    match e {
        StanzaEffect::InvalidFrom { from } => json!({"effect": "terminated", "from": from}),
        StanzaEffect::Message(r) => json!({"effect": "routed", "routed": routed_json(r)}),
        StanzaEffect::Presence(p) => json!({"effect": "presence", "presence": presence_name(*p)}),
        StanzaEffect::Delivered { to } => json!({"effect": "delivered", "to": to.full()}),
        StanzaEffect::NotDelivered { to } => json!({"effect": "not_delivered", "to": to}),
    }
}

impl Render for SendStanza {
    fn legacy(&self) -> Legacy {
        match self {
            SendStanza::Sent { .. } => Legacy::ok("Stanza has been sent"),
            SendStanza::NoSession {
                user,
                host,
                resource,
            } => Legacy::fail(format!("User {user}@{host}/{resource} does not exist")),
            SendStanza::TooLarge { size, max } => Legacy::fail(format!(
                "Stanza is incorrect: it has {size} bytes, more than the {max} a stanza may have"
            )),
            SendStanza::Incorrect { .. } => Legacy::fail("Stanza is incorrect"),
            SendStanza::Unstorable { problem } => Legacy::fail(unstorable(problem)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            SendStanza::Sent {
                session,
                name,
                effect,
            } => {
                let mut out = json!({"session": session.full(), "stanza": name});
                if let (J::Object(o), J::Object(e)) = (&mut out, effect_json(effect)) {
                    o.extend(e);
                }
                out
            }
            SendStanza::NoSession {
                user,
                host,
                resource,
            } => json!({"user": user, "host": host, "resource": resource}),
            SendStanza::TooLarge { size, max } => json!({"size": size, "max": max}),
            SendStanza::Incorrect { error } => json!({"error": error}),
            SendStanza::Unstorable { problem } => unstorable_fields(problem),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SendStanza::Sent { .. } => None,
            SendStanza::NoSession { .. } => Some("session_not_found"),
            SendStanza::TooLarge { .. } => Some("stanza_too_large"),
            SendStanza::Incorrect { .. } => Some("invalid_stanza"),
            SendStanza::Unstorable { problem } => Some(unstorable_kind(problem)),
        }
    }
}
