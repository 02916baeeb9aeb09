//! Domain types exchanged through the store interface.

use crate::compat::jid::Jid;

/// The stored password columns of an account (plain text or MongooseIM's SCRAM
/// serialisation in `pass_details`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassword {
    pub password: String,
    pub pass_details: Option<String>,
}

/// A last-activity record: seconds since the epoch and the status text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastActivity {
    pub seconds: i64,
    pub status: String,
}

/// What ending a user's sessions found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndedSessions {
    pub count: usize,
    /// At least one session had an available presence.
    pub had_available: bool,
}

/// The presence state of a recorded session (commands.md §7): `show` is the `<show>` of the
/// last available presence (`available` if it had none), or `unavailable` when the session
/// has no available presence (a new session, after `unavailable` or `invisible`); `status`
/// is that presence's `<status>` text or ""; `priority` is unset (`undefined`) until the
/// first presence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub show: String,
    pub status: String,
    pub priority: Option<i64>,
}

impl Presence {
    /// No available presence (the state of a new session, and after `unavailable`).
    pub fn none() -> Presence {
        Presence {
            show: "unavailable".to_string(),
            status: String::new(),
            priority: None,
        }
    }

    /// Whether the session has an available presence.
    pub fn is_available(&self) -> bool {
        self.show != "unavailable"
    }
}

/// A session recorded in the store (DESIGN.md §2): what a login creates in MongooseIM's
/// session table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The full JID (normalised user, server and resource).
    pub jid: Jid,
    /// When it was opened, microseconds since the Unix epoch.
    pub opened_at: i64,
    /// The node it is connected to.
    pub node: String,
    /// `c2s`, `c2s_tls`, `c2s_compressed`, `c2s_compressed_tls` or `unknown`.
    pub connection: String,
    pub ip: String,
    pub port: i64,
    pub presence: Presence,
}

/// Which sessions a query covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionScope<'a> {
    All,
    /// Sessions whose server equals this text exactly (the raw-host commands).
    Server(&'a str),
    /// Sessions of one account (the JID's user and server; its resource is ignored).
    User(&'a Jid),
}

/// A stanza delivered to a recorded session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The session's full JID.
    pub to: Jid,
    /// The sender (JID text).
    pub from: String,
    /// The stanza as the client received it (serialised XML).
    pub packet: String,
    /// Microseconds since the Unix epoch.
    pub at: i64,
}

/// `term_to_binary([])`: the `permanent_fields` MongooseIM writes for a message whose
/// accumulator has no permanent fields (store.md §2.9).
pub const NO_PERMANENT_FIELDS: &[u8] = &[0x83, 0x6a];

/// An offline message (`offline_message`, store.md §2.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineMessage {
    /// The row id (insertion order); ignored when storing.
    pub id: i64,
    /// The recipient account (user and server; no resource).
    pub to: Jid,
    /// Microseconds since the Unix epoch.
    pub timestamp: i64,
    /// When it expires (microseconds), if ever.
    pub expire: Option<i64>,
    /// The sender's full JID text.
    pub from: String,
    /// The message stanza (serialised XML, delay tags removed).
    pub packet: String,
    /// Erlang external term format of the permanent fields ([`NO_PERMANENT_FIELDS`]).
    pub permanent_fields: Vec<u8>,
}

/// A dynamic domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRecord {
    pub host_type: String,
    pub enabled: bool,
}

/// Roster subscription state (RFC 6121).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscription {
    None,
    From,
    To,
    Both,
}

impl Subscription {
    pub const ALL: [Subscription; 4] = [
        Subscription::None,
        Subscription::From,
        Subscription::To,
        Subscription::Both,
    ];

    /// The name used by commands and XMPP (`none`, `from`, `to`, `both`).
    pub fn name(self) -> &'static str {
        match self {
            Subscription::None => "none",
            Subscription::From => "from",
            Subscription::To => "to",
            Subscription::Both => "both",
        }
    }

    pub fn from_name(name: &str) -> Option<Subscription> {
        Subscription::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The owner receives the contact's presence.
    pub fn to(self) -> bool {
        matches!(self, Subscription::To | Subscription::Both)
    }

    /// The contact receives the owner's presence.
    pub fn from(self) -> bool {
        matches!(self, Subscription::From | Subscription::Both)
    }

    fn of(to: bool, from: bool) -> Subscription {
        match (to, from) {
            (true, true) => Subscription::Both,
            (true, false) => Subscription::To,
            (false, true) => Subscription::From,
            (false, false) => Subscription::None,
        }
    }
}

/// Pending subscription requests of a roster item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ask {
    None,
    /// The contact asked to subscribe to the owner.
    In,
    /// The owner asked to subscribe to the contact.
    Out,
    /// Both ways.
    Both,
    Subscribe,
    Unsubscribe,
}

impl Ask {
    pub const ALL: [Ask; 6] = [
        Ask::None,
        Ask::In,
        Ask::Out,
        Ask::Both,
        Ask::Subscribe,
        Ask::Unsubscribe,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Ask::None => "none",
            Ask::In => "in",
            Ask::Out => "out",
            Ask::Both => "both",
            Ask::Subscribe => "subscribe",
            Ask::Unsubscribe => "unsubscribe",
        }
    }

    pub fn from_name(name: &str) -> Option<Ask> {
        Ask::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// One roster item: the owner's entry for a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterItem {
    /// The owner (bare).
    pub owner: Jid,
    /// The contact's JID text as stored (normally bare).
    pub contact: String,
    pub nick: String,
    pub subscription: Subscription,
    pub ask: Ask,
    pub askmessage: String,
    /// Non-empty group names in store order.
    pub groups: Vec<String>,
}

impl RosterItem {
    /// The contact JID split into (user, server), ignoring any resource.
    pub fn contact_parts(&self) -> (&str, &str) {
        split_jid(&self.contact)
    }
}

/// Split a JID text into (user, server), ignoring any resource.
pub fn split_jid(jid: &str) -> (&str, &str) {
    let bare = jid.split_once('/').map_or(jid, |(b, _)| b);
    match bare.split_once('@') {
        Some((u, s)) => (u, s),
        None => ("", bare),
    }
}

/// The state of a contact's item for a removed account, given the removed account's
/// subscription to that contact (commands.md §2.5). The removed account sends `unsubscribe`
/// when it was subscribed to the contact (`to`/`both`): the contact's item loses `from` and
/// any pending inbound request. It sends `unsubscribed` when the contact was subscribed to it
/// (`from`/`both`): the contact's item loses `to` and any pending outbound request.
pub fn after_removal(removed: Subscription, sub: Subscription, ask: Ask) -> (Subscription, Ask) {
    let (mut to, mut from) = (sub.to(), sub.from());
    let mut ask = ask;
    if removed.to() {
        from = false;
        ask = match ask {
            Ask::In => Ask::None,
            Ask::Both => Ask::Out,
            other => other,
        };
    }
    if removed.from() {
        to = false;
        ask = match ask {
            Ask::Out => Ask::None,
            Ask::Both => Ask::In,
            other => other,
        };
    }
    (Subscription::of(to, from), ask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ask as A;
    use Subscription as S;

    #[test]
    fn removal_downgrades_the_contacts_item() {
        // Mutual subscription: nothing left.
        assert_eq!(after_removal(S::Both, S::Both, A::None), (S::None, A::None));
        // The removed user was subscribed to the contact: the contact loses `from`.
        assert_eq!(after_removal(S::To, S::Both, A::None), (S::To, A::None));
        assert_eq!(after_removal(S::To, S::From, A::In), (S::None, A::None));
        // The contact was subscribed to the removed user: it loses `to` and its request.
        assert_eq!(after_removal(S::From, S::Both, A::None), (S::From, A::None));
        assert_eq!(after_removal(S::From, S::None, A::Out), (S::None, A::None));
        assert_eq!(after_removal(S::From, S::None, A::Both), (S::None, A::In));
        // No subscription either way: untouched.
        assert_eq!(after_removal(S::None, S::Both, A::Both), (S::Both, A::Both));
    }

    #[test]
    fn names_round_trip() {
        for s in Subscription::ALL {
            assert_eq!(Subscription::from_name(s.name()), Some(s));
        }
        for a in Ask::ALL {
            assert_eq!(Ask::from_name(a.name()), Some(a));
        }
    }

    #[test]
    fn jid_split() {
        assert_eq!(split_jid("a@b/c"), ("a", "b"));
        assert_eq!(split_jid("b"), ("", "b"));
    }
}
