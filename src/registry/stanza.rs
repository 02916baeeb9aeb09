//! Group `stanza` (service_admin_extra_stanza).

use super::{bin, reply, spec, CommandSpec, Group, RESTUPLE};
use crate::services::stanza::{self, Message};

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Stanza,
        "send_message_chat",
        &[bin("from"), bin("to"), bin("body")],
        RESTUPLE,
        &["stanza"],
        "Send a chat message to a local or remote bare of full JID",
        |c, a| {
            reply(stanza::send_message(
                c,
                a.text("from")?,
                a.text("to")?,
                Message::Chat {
                    body: a.text("body")?,
                },
            ))
        },
    ),
    spec(
        Group::Stanza,
        "send_message_headline",
        &[bin("from"), bin("to"), bin("subject"), bin("body")],
        RESTUPLE,
        &["stanza"],
        "Send a headline message to a local or remote bare of full JID",
        |c, a| {
            reply(stanza::send_message(
                c,
                a.text("from")?,
                a.text("to")?,
                Message::Headline {
                    subject: a.text("subject")?,
                    body: a.text("body")?,
                },
            ))
        },
    ),
    spec(
        Group::Stanza,
        "send_stanza_c2s",
        &[bin("user"), bin("host"), bin("resource"), bin("stanza")],
        RESTUPLE,
        &["stanza"],
        "Send a stanza as if sent from a c2s session",
        |c, a| {
            reply(stanza::send_stanza_c2s(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("resource")?,
                a.text("stanza")?,
            ))
        },
    ),
];
