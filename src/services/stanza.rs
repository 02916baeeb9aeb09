//! Group `stanza` (service_admin_extra_stanza): messages built by the ctl and stanzas
//! injected into a recorded session as if its client had sent them (commands.md §8). Routing
//! and offline storage are [`crate::services::routing`]'s; session effects are
//! [`crate::services::live`]'s. Each command is one write transaction.

use crate::compat::jid::Jid;
use crate::compat::scram::random_hex16;
use crate::compat::xml::{self, Element, Unstorable};
use crate::context::Ctx;
use crate::error::Result;
use crate::services::live::{self, PresenceEffect, Termination};
use crate::services::routing::{self, Addr, Routed, Router};

/// The most bytes a `send_stanza_c2s` stanza may have (ours: 5.1 has no limit for the ctl;
/// 1 MiB is far above what XMPP servers accept from clients).
pub const MAX_STANZA_BYTES: usize = 1 << 20;

/// What `send_message_chat` / `send_message_headline` send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    Chat { body: &'a str },
    Headline { subject: &'a str, body: &'a str },
}

/// The outcome of `send_message_chat` / `send_message_headline`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendMessage {
    /// Routed: one routing per copy, in order.
    Sent {
        from: String,
        to: String,
        id: String,
        routed: Vec<Routed>,
    },
    InvalidSender {
        from: String,
    },
    InvalidReceiver {
        to: String,
    },
    /// The message could not be read back as XML 1.0 (a control character in the body, the
    /// subject or a JID): nothing was sent.
    Unstorable {
        problem: Unstorable,
    },
}

/// `<message type='chat' id='ID'><body>BODY</body></message>` and the headline variant.
fn build(message: Message<'_>, id: &str) -> Element {
    let (kind, subject, body) = match message {
        Message::Chat { body } => ("chat", None, body),
        Message::Headline { subject, body } => ("headline", Some(subject), body),
    };
    let mut e = Element::new("message")
        .with_attr("type", kind)
        .with_attr("id", id);
    if let Some(subject) = subject {
        e = e.with_child(Element::new("subject").with_text(subject));
    }
    e.with_child(Element::new("body").with_text(body))
}

/// `send_message_chat from to body` / `send_message_headline from to subject body`: the
/// message goes to `to`'s full JID if it has a resource, else one copy to each session of the
/// account (whatever its priority), else to the bare JID.
#[tracing::instrument(level = "debug", skip_all)]
pub fn send_message(
    ctx: &mut Ctx,
    from: &str,
    to: &str,
    message: Message<'_>,
) -> Result<SendMessage> {
    let Some(sender) = Addr::parse(from) else {
        return Ok(SendMessage::InvalidSender {
            from: from.to_string(),
        });
    };
    let Some(receiver) = Addr::parse(to) else {
        return Ok(SendMessage::InvalidReceiver { to: to.to_string() });
    };
    let id = random_hex16();
    let packet = build(message, &id);
    // What a session receives carries both addresses: it must be readable XML too.
    let received = routing::with_from_to(&packet, &sender.text, &receiver.text);
    if let Err(problem) = xml::check_storable(&received) {
        return Ok(SendMessage::Unstorable { problem });
    }
    let now = crate::clock::now_micros();
    let routed = ctx.write_with_config(|config, tx| {
        let router = Router { config, now };
        crate::services::metrics::sent(tx, "message");
        let copies = if receiver.jid.resource.is_empty() {
            let sessions = tx.user_sessions(&receiver.jid)?;
            if sessions.is_empty() {
                vec![receiver.clone()]
            } else {
                sessions
                    .iter()
                    .map(|s| receiver.with_resource(&s.jid.resource))
                    .collect()
            }
        } else {
            vec![receiver.clone()]
        };
        copies
            .iter()
            .map(|copy| router.route_message(tx, &sender, copy, &packet))
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(SendMessage::Sent {
        from: sender.text,
        to: receiver.text,
        id,
        routed,
    })
}

/// What a stanza injected into a session did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StanzaEffect {
    /// Its `from` was neither the session's bare nor full JID: the session was terminated
    /// (stream error `invalid-from`).
    InvalidFrom { from: String },
    /// A message, routed (to its `to`, or without one to the sender's own bare JID).
    Message(Routed),
    /// A presence without `to`: the session's presence update.
    Presence(PresenceEffect),
    /// Another stanza, delivered to the session of its `to` (a full JID).
    Delivered { to: Jid },
    /// Nothing recorded: no `to` (not a message or presence), a `to` that is not a valid JID,
    /// or (not a message) a `to` without a session.
    NotDelivered { to: Option<String> },
}

/// The outcome of `send_stanza_c2s`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendStanza {
    Sent {
        session: Jid,
        /// The stanza's element name.
        name: String,
        effect: StanzaEffect,
    },
    /// No session for user@host/resource (as typed; also when they do not make a JID).
    NoSession {
        user: String,
        host: String,
        resource: String,
    },
    /// The stanza is longer than [`MAX_STANZA_BYTES`].
    TooLarge { size: usize, max: usize },
    /// The stanza does not parse: the parser's message.
    Incorrect { error: String },
    /// It parses but could not be delivered or stored as readable XML 1.0.
    Unstorable { problem: Unstorable },
}

/// Whether a stanza's `from` is the session's own (MongooseIM compares the parsed JID: a
/// bare one with the session's bare JID, a full one with its full JID). An absent `from` is.
fn from_is_valid(stanza: &Element, session: &Jid) -> bool {
    let Some(from) = stanza.attr("from") else {
        return true;
    };
    match Jid::parse(from) {
        None => false,
        Some(j) if j.resource.is_empty() => j.user == session.user && j.server == session.server,
        Some(j) => &j == session,
    }
}

/// `send_stanza_c2s user host resource stanza`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn send_stanza_c2s(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    resource: &str,
    stanza: &str,
) -> Result<SendStanza> {
    let no_session = || SendStanza::NoSession {
        user: user.to_string(),
        host: host.to_string(),
        resource: resource.to_string(),
    };
    let Some(full) = Jid::make(user, host, resource) else {
        return Ok(no_session());
    };
    // Checked before the stanza, as in 5.1 (a read: nothing is written on these paths).
    if ctx.store()?.read(|tx| tx.session(&full))?.is_none() {
        return Ok(no_session());
    }
    if stanza.len() > MAX_STANZA_BYTES {
        return Ok(SendStanza::TooLarge {
            size: stanza.len(),
            max: MAX_STANZA_BYTES,
        });
    }
    let element = match xml::parse(stanza) {
        Ok(e) => e,
        Err(e) => return Ok(SendStanza::Incorrect { error: e.message }),
    };
    if let Err(problem) = xml::check_storable(&element) {
        return Ok(SendStanza::Unstorable { problem });
    }
    let now = crate::clock::now_micros();
    ctx.write_with_config(|config, tx| {
        let router = Router { config, now };
        // The session is read again inside the write (it may have ended meanwhile).
        let Some(session) = tx.session(&full)? else {
            return Ok(no_session());
        };
        let last = live::last_enabled(config, tx, &session.jid.server)?;
        let me = Addr::of(&session.jid);
        let to = element.attr("to");
        let effect = if !from_is_valid(&element, &session.jid) {
            live::terminate(tx, &session, Termination::InvalidFrom, last)?;
            StanzaEffect::InvalidFrom {
                from: element.attr("from").unwrap_or_default().to_string(),
            }
        } else {
            crate::services::metrics::sent(tx, &element.name);
            // A message without `to` is for the sender's own account (RFC 6120 §10.3).
            let own = Jid {
                resource: String::new(),
                ..session.jid.clone()
            };
            let dest = match (element.name.as_str(), to) {
                ("presence", None) => Err(StanzaEffect::Presence(live::apply_presence(
                    tx, &session, &element, last,
                )?)),
                ("message", None) => Ok(Addr::of(&own)),
                (_, None) => Err(StanzaEffect::NotDelivered { to: None }),
                (_, Some(to)) => Addr::parse(to).ok_or_else(|| StanzaEffect::NotDelivered {
                    to: Some(to.to_string()),
                }),
            };
            match dest {
                Err(effect) => effect,
                Ok(dest) => {
                    let packet = routing::with_from_to(&element, &me.text, &dest.text);
                    if element.name == "message" {
                        StanzaEffect::Message(router.route_message(tx, &me, &dest, &packet)?)
                    } else if !dest.jid.resource.is_empty()
                        && crate::services::metrics::deliver_to(
                            tx,
                            &dest.jid,
                            &me.text,
                            &packet.to_xml(),
                            router.now,
                        )?
                    {
                        StanzaEffect::Delivered { to: dest.jid }
                    } else {
                        StanzaEffect::NotDelivered {
                            to: Some(dest.text),
                        }
                    }
                }
            }
        };
        Ok(SendStanza::Sent {
            session: session.jid.clone(),
            name: element.name.clone(),
            effect,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_built_as_the_ctl_builds_them() {
        assert_eq!(
            build(Message::Chat { body: "a<b" }, "0123456789abcdef").to_xml(),
            "<message type='chat' id='0123456789abcdef'><body>a&lt;b</body></message>"
        );
        assert_eq!(
            build(
                Message::Headline {
                    subject: "",
                    body: ""
                },
                "1"
            )
            .to_xml(),
            "<message type='headline' id='1'><subject></subject><body></body></message>"
        );
    }

    #[test]
    fn the_from_of_a_stanza_must_be_the_sessions() {
        let session = Jid::make("alice", "localhost", "r1").expect("valid");
        let check = |from: Option<&str>| {
            let mut e = Element::new("message");
            if let Some(f) = from {
                e = e.with_attr("from", f);
            }
            from_is_valid(&e, &session)
        };
        assert!(check(None));
        assert!(check(Some("alice@localhost")));
        assert!(check(Some("Alice@LocalHost/r1")));
        assert!(check(Some("alice@localhost/")));
        assert!(!check(Some("alice@localhost/R1")));
        assert!(!check(Some("bob@localhost")));
        assert!(!check(Some("@bad")));
        assert!(!check(Some("")));
    }

    /// A context over a fresh store in `dir`, with alice@localhost/r1's session.
    fn ctx_with_session(dir: &std::path::Path) -> Ctx {
        let mut ctx = Ctx::new(
            crate::config::Config::builtin(),
            "built-in defaults".into(),
            crate::context::StoreTarget::Sqlite(dir.join("store.db")),
            Box::new(std::io::empty()),
            false,
        );
        let session = crate::store::Session {
            jid: Jid::make("alice", "localhost", "r1").expect("valid"),
            opened_at: 1,
            node: "mongooseim@localhost".into(),
            connection: "c2s".into(),
            ip: "127.0.0.1".into(),
            port: 0,
            presence: crate::store::Presence::none(),
        };
        ctx.store()
            .and_then(|s| s.write(|tx| tx.open_session(&session)))
            .expect("session");
        ctx
    }

    /// What the command line cannot carry (its arguments are limited to a few MB): a 10 MB
    /// stanza, and one nested 100,000 levels deep, refused cleanly with nothing changed.
    #[test]
    fn huge_and_deep_stanzas_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ctx = ctx_with_session(dir.path());
        let huge = format!(
            "<message to='bob@localhost'><body>{}</body></message>",
            "x".repeat(10 << 20)
        );
        let out = send_stanza_c2s(&mut ctx, "alice", "localhost", "r1", &huge).expect("runs");
        assert_eq!(
            out,
            SendStanza::TooLarge {
                size: huge.len(),
                max: MAX_STANZA_BYTES
            }
        );
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        let out = send_stanza_c2s(&mut ctx, "alice", "localhost", "r1", &deep).expect("runs");
        assert_eq!(
            out,
            SendStanza::Incorrect {
                error: "element nesting too deep".into()
            }
        );
        let bob = Jid::make("bob", "localhost", "").expect("valid");
        let alice = Jid::make("alice", "localhost", "").expect("valid");
        let (stored, sessions) = ctx
            .store()
            .and_then(|s| s.read(|tx| Ok((tx.count_offline(&bob)?, tx.count_sessions(&alice)?))))
            .expect("read");
        assert_eq!((stored, sessions), (0, 1));
    }
}
