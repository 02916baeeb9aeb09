//! The store interface: what the services may ask of the data, in domain terms (JIDs,
//! subscription and ask enums, roster items, vCards). No SQL and no driver type crosses this
//! boundary; the SQLite implementation lives in [`sqlite`] (the only module that may use
//! rusqlite, enforced by clippy's `disallowed-types`, see clippy.toml). A PostgreSQL
//! implementation on MongooseIM's own schema will sit beside it as `store::pgsql`,
//! implementing [`Backend`] and [`Tx`] the same way (docs/architecture.md).
//!
//! Services run their work in one transaction: [`Store::read`] (a consistent snapshot) or
//! [`Store::write`] (the write lock is taken at the start, committed if the closure returns
//! `Ok`, rolled back otherwise). Every read that decides a write belongs inside the write.
//!
//! Ordering ("store order") is part of this interface and documented on each method; an
//! implementation must reproduce it whatever its physical layout.

pub mod codes;
pub mod layout;
pub mod limits;
pub mod model;
pub mod pgsql;
pub mod sqlite;

use std::path::{Path, PathBuf};

pub use model::*;

use crate::compat::jid::Jid;
use crate::compat::vcard::SearchRow;
use crate::error::Result;

/// Accounts (`users`) and the per-account cascade.
pub trait UserStore {
    fn user_exists(&mut self, user: &Jid) -> Result<bool>;
    fn password(&mut self, user: &Jid) -> Result<Option<StoredPassword>>;
    /// Insert an account; false if it already exists (nothing changed).
    fn insert_user(&mut self, user: &Jid, password: &StoredPassword) -> Result<bool>;
    /// Set the password of an existing account; false if there is no such account.
    fn set_password(&mut self, user: &Jid, password: &StoredPassword) -> Result<bool>;
    /// User names of a domain in byte order.
    fn usernames(&mut self, server: &str) -> Result<Vec<String>>;
    fn count_users(&mut self, server: &str) -> Result<i64>;
    /// Delete an account and every row keyed by it in every table (roster items and groups,
    /// vCard and its search row, private storage, last activity, offline messages, inbox,
    /// tokens, sessions, deliveries). Roster *versions* are kept, as MongooseIM does. Whether
    /// the account existed.
    fn delete_user(&mut self, user: &Jid) -> Result<bool>;
    /// The batch form of [`UserStore::insert_user`] (import_users): insert the accounts in
    /// order; for each, whether it was inserted (false: it existed already, or an earlier
    /// entry of `users` inserted it). The result is that of the single inserts one by one.
    fn insert_users(&mut self, users: &[(Jid, StoredPassword)]) -> Result<Vec<bool>>;
    /// The batch form of [`UserStore::delete_user`] (delete_old_users): the same rows go, for
    /// every account of `users`; how many of the accounts existed.
    fn delete_users(&mut self, users: &[Jid]) -> Result<usize>;
}

/// Last activity (`last`).
pub trait LastStore {
    /// Records of `server` with `seconds > cutoff`.
    fn count_active(&mut self, server: &str, cutoff: i64) -> Result<i64>;
    /// Every account of `server` in byte order, with its last-activity time if any.
    fn users_with_last(&mut self, server: &str) -> Result<Vec<(String, Option<i64>)>>;
    fn last(&mut self, user: &Jid) -> Result<Option<LastActivity>>;
    fn set_last(&mut self, user: &Jid, last: &LastActivity) -> Result<()>;
}

/// Sessions recorded in the store (DESIGN.md §2) and what was delivered to them.
///
/// Store order of sessions: the order they were opened (a session replaced by a new login
/// with the same full JID moves to the end). Deliveries: the order they were made.
pub trait SessionStore {
    fn count_sessions(&mut self, user: &Jid) -> Result<i64>;
    /// The user names of `server` with at least one recorded session, in byte order.
    fn session_users(&mut self, server: &str) -> Result<Vec<String>>;
    /// Resources of a user in byte order.
    fn resources(&mut self, user: &Jid) -> Result<Vec<String>>;
    /// The sessions of one account, by resource in byte order.
    fn user_sessions(&mut self, user: &Jid) -> Result<Vec<Session>>;
    /// End every session of a user: how many there were, and whether any had an available
    /// presence.
    fn end_sessions(&mut self, user: &Jid) -> Result<EndedSessions>;
    /// Record `packet` (from `from`) as delivered to each session of `user`, in resource order,
    /// at `at` (microseconds). How many sessions received it.
    fn deliver(&mut self, user: &Jid, from: &str, packet: &str, at: i64) -> Result<usize>;
    /// Record a session (its full JID is the key), replacing the session with the same full
    /// JID if there is one: the replaced session is returned.
    fn open_session(&mut self, session: &Session) -> Result<Option<Session>>;
    /// The session of a full JID.
    fn session(&mut self, full: &Jid) -> Result<Option<Session>>;
    /// End the session of a full JID: the session as it was, if there was one.
    fn end_session(&mut self, full: &Jid) -> Result<Option<Session>>;
    /// Set the presence state of the session of a full JID; whether there is one.
    fn set_presence(&mut self, full: &Jid, presence: &Presence) -> Result<bool>;
    /// Every session in `scope` (whose show equals `show` exactly, if given), in store
    /// order, handed to `each` as it is read (the walk stops at the first error).
    fn each_session(
        &mut self,
        scope: SessionScope<'_>,
        show: Option<&str>,
        each: &mut dyn FnMut(Session) -> Result<()>,
    ) -> Result<()>;
    /// How many sessions are in `scope`, with show `show` (if given) on node `node` (if
    /// given).
    fn count_scope(
        &mut self,
        scope: SessionScope<'_>,
        show: Option<&str>,
        node: Option<&str>,
    ) -> Result<i64>;
    /// Record `packet` (from `from`) as delivered to the session of a full JID at `at`;
    /// whether there is such a session.
    fn deliver_to(&mut self, full: &Jid, from: &str, packet: &str, at: i64) -> Result<bool>;
    /// What was delivered to the resource of a full JID, or to every resource of the account
    /// when the JID has no resource, in delivery order, handed to `each` as it is read.
    fn each_delivery(
        &mut self,
        to: &Jid,
        each: &mut dyn FnMut(Delivery) -> Result<()>,
    ) -> Result<()>;
}

/// Offline messages (`offline_message`).
pub trait OfflineStore {
    /// Delete the messages of `server` whose expiry is before `now` (microseconds).
    fn delete_expired_offline(&mut self, server: &str, now: i64) -> Result<usize>;
    /// Delete the messages of `server` stored before `cutoff` (microseconds).
    fn delete_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize>;
    /// How many messages [`OfflineStore::delete_expired_offline`] would delete.
    fn count_expired_offline(&mut self, server: &str, now: i64) -> Result<usize>;
    /// How many messages [`OfflineStore::delete_offline_before`] would delete.
    fn count_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize>;
    /// Store a message (its `id` is ignored); the new row's id.
    fn store_offline(&mut self, message: &OfflineMessage) -> Result<i64>;
    /// How many messages an account has (expired ones included, as MongooseIM counts).
    fn count_offline(&mut self, user: &Jid) -> Result<i64>;
    /// The messages of an account in insertion order.
    fn offline_messages(&mut self, user: &Jid) -> Result<Vec<OfflineMessage>>;
}

/// Authentication tokens (`auth_token`, mod_auth_token).
pub trait TokenStore {
    /// Invalidate the tokens of `owner` (a bare JID text); whether there were any.
    fn revoke_tokens(&mut self, owner: &str) -> Result<bool>;
}

/// One entry of a `push_roster_all` template, as [`RosterStore::put_template_all`] writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateContact {
    /// The entry's account (bare, normalised): an owner, and the contact (`jid.bare()`) the
    /// other owners get.
    pub jid: Jid,
    /// The entry's user and server as written in the file: entries written alike are not
    /// added to each other (5.1 compares them byte-wise, before normalisation).
    pub raw_user: String,
    pub raw_server: String,
    pub nick: String,
    /// The one group the item gets (none if empty).
    pub group: String,
}

/// Rosters (`rosterusers`, `rostergroups`, `roster_version`).
///
/// Store order: items in the order their contact was first added to the owner's roster
/// (rewriting an item keeps its place); groups in the order they were written.
pub trait RosterStore {
    /// Write (replace) an item and its groups; empty group names are not stored.
    fn put_item(&mut self, item: &RosterItem) -> Result<()>;
    /// Set only the subscription state of an existing item.
    fn set_item_state(
        &mut self,
        owner: &Jid,
        contact: &str,
        subscription: Subscription,
        ask: Ask,
    ) -> Result<()>;
    /// Delete an item and its groups; whether it existed.
    fn delete_item(&mut self, owner: &Jid, contact: &str) -> Result<bool>;
    /// One item with its groups.
    fn item(&mut self, owner: &Jid, contact: &str) -> Result<Option<RosterItem>>;
    /// The subscription state of one item, without its groups.
    fn item_state(&mut self, owner: &Jid, contact: &str) -> Result<Option<(Subscription, Ask)>>;
    /// The items of one owner with their groups, in store order.
    fn items(&mut self, owner: &Jid) -> Result<Vec<RosterItem>>;
    /// Every item of every owner, in store order (owners interleaved as their items were
    /// added), without groups.
    fn all_items(&mut self) -> Result<Vec<RosterItem>>;
    /// The distinct owner domains of all items, in byte order.
    fn owner_servers(&mut self) -> Result<Vec<String>>;
    /// Store the owner's roster version (XEP-0237).
    fn set_roster_version(&mut self, owner: &Jid, version: &str) -> Result<()>;
    fn roster_version(&mut self, owner: &Jid) -> Result<Option<String>>;
    /// Which of `users` (user names of `server`) own at least one roster item, in byte order.
    fn owners_with_items(&mut self, server: &str, users: &[String]) -> Result<Vec<String>>;
    /// Every user of `server` gets every other user of the list as a contact (their JID, nick =
    /// their user name, subscription both, ask none, groups = `group` unless empty),
    /// replacing existing items; an owner's item for themselves is left alone. `users[i]` and
    /// `jids[i]` are the user name and bare JID text of the same account.
    fn put_all_to_all(
        &mut self,
        server: &str,
        users: &[String],
        jids: &[String],
        group: &str,
    ) -> Result<()>;
    /// `push_roster_all`: for every entry A (in order) and every entry B (in order) whose raw
    /// user and server differ from A's, write into A's roster the item for B (contact
    /// `B.jid.bare()`, nick and group of B, subscription both, ask none), replacing an
    /// existing item. The result is exactly that of these writes done one by one with
    /// [`RosterStore::put_item`] (same rows, store order, and last write winning), in time
    /// linear in the number of writes. The entries are consumed as they come; an error from
    /// the iterator is returned (the caller's transaction then rolls back).
    fn put_template_all(
        &mut self,
        entries: &mut dyn Iterator<Item = Result<TemplateContact>>,
    ) -> Result<()>;
}

/// vCards (`vcard`) and their search index (`vcard_search`).
pub trait VcardStore {
    /// The stored vCard XML.
    fn vcard(&mut self, user: &Jid) -> Result<Option<String>>;
    /// Write the vCard and its search row (raw and lower-cased fields) together.
    fn put_vcard(&mut self, user: &Jid, xml: &str, raw: &SearchRow, low: &SearchRow) -> Result<()>;
}

/// Private XML storage (`private_storage`): one element per (user, namespace).
pub trait PrivateStore {
    fn private(&mut self, user: &Jid, namespace: &str) -> Result<Option<String>>;
    fn put_private(&mut self, user: &Jid, namespace: &str, xml: &str) -> Result<()>;
}

/// One roster item of a personal-data export ([`GdprStore::each_roster_export`]): the
/// values as stored (text that is not UTF-8 passed as bytes).
#[derive(Debug, Clone, Copy)]
pub struct RosterExport<'a> {
    pub contact: &'a [u8],
    pub nick: &'a [u8],
    pub subscription: Subscription,
    pub ask: Ask,
    pub askmessage: &'a [u8],
    /// Non-empty group names in store order.
    pub groups: &'a [Vec<u8>],
}

/// One private-storage element of a personal-data export.
#[derive(Debug, Clone, Copy)]
pub struct PrivateExport<'a> {
    pub namespace: &'a [u8],
    pub xml: &'a [u8],
}

/// One offline message of a personal-data export.
#[derive(Debug, Clone, Copy)]
pub struct OfflineExport<'a> {
    /// Microseconds since the Unix epoch.
    pub timestamp: i64,
    /// The sender's full JID text as stored.
    pub from: &'a [u8],
    pub packet: &'a [u8],
}

/// One inbox entry (`inbox`) of a personal-data export.
#[derive(Debug, Clone, Copy)]
pub struct InboxExport<'a> {
    pub remote_jid: &'a [u8],
    /// The last message (XML) as stored.
    pub content: &'a [u8],
    pub unread_count: i64,
    /// Microseconds since the Unix epoch.
    pub timestamp: i64,
}

/// What `retrieve_personal_data` reads: one account's rows per data group, handed to `each`
/// one at a time as they are read (nothing is collected; the walk stops at the first error
/// `each` returns). Values are as stored; text that is not UTF-8 is passed as bytes.
pub trait GdprStore {
    /// The stored vCard (`vcard`), if any.
    fn vcard_export(&mut self, user: &Jid) -> Result<Option<Vec<u8>>>;
    /// The owner's roster items with their groups, in store order (see [`RosterStore`]).
    fn each_roster_export(
        &mut self,
        owner: &Jid,
        each: &mut dyn FnMut(&RosterExport<'_>) -> Result<()>,
    ) -> Result<()>;
    /// The private-storage elements (`private_storage`): namespace and XML, by namespace in
    /// byte order.
    fn each_private_export(
        &mut self,
        user: &Jid,
        each: &mut dyn FnMut(&PrivateExport<'_>) -> Result<()>,
    ) -> Result<()>;
    /// The offline messages not expired at `now` (microseconds: no expiry, or an expiry
    /// after `now`, as MongooseIM's fetch), in insertion order.
    fn each_offline_export(
        &mut self,
        user: &Jid,
        now: i64,
        each: &mut dyn FnMut(&OfflineExport<'_>) -> Result<()>,
    ) -> Result<()>;
    /// The inbox entries with a timestamp from 0 to `until` (microseconds), by timestamp
    /// ascending, then in insertion order (MongooseIM's `get_inbox` with `order => asc`).
    fn each_inbox_export(
        &mut self,
        user: &Jid,
        until: i64,
        each: &mut dyn FnMut(&InboxExport<'_>) -> Result<()>,
    ) -> Result<()>;
}

/// Dynamic domains (`domain_settings`) and their event log (`domain_events`).
///
/// Every method that changes `domain_settings` also appends the domain's `domain_events` row
/// (services.md §4.4: one event per effective change, in the same transaction), so that a
/// MongooseIM node sharing the database sees the change.
pub trait DomainStore {
    /// The stored row of a domain (enabled or not).
    fn domain(&mut self, domain: &str) -> Result<Option<DomainRecord>>;
    /// Enabled domains of a host type in insertion order.
    fn enabled_domains(&mut self, host_type: &str) -> Result<Vec<String>>;
    /// Insert an enabled domain and its domain_events row.
    fn insert_domain(&mut self, domain: &str, host_type: &str) -> Result<()>;
    /// Delete a domain's row and append its event; whether there was a row (no event
    /// otherwise).
    fn delete_domain_row(&mut self, domain: &str) -> Result<bool>;
    /// Set a stored domain's `enabled` flag and append its event; whether there was a row
    /// (no event otherwise).
    fn set_domain_enabled(&mut self, domain: &str, enabled: bool) -> Result<bool>;
    /// Remove every row keyed by the domain (`server`/`lserver` equal to it, byte for byte)
    /// in every per-user table: users, last, rosterusers, rostergroups, roster_version,
    /// vcard, vcard_search, private_storage, offline_message, inbox, the recorded sessions
    /// and their deliveries — set-based, one statement per table. Tokens (`auth_token`) and
    /// other owners' roster items for the domain's users are kept (store.md §5). How many
    /// accounts and sessions there were.
    fn purge_domain(&mut self, domain: &str) -> Result<PurgedDomain>;
    /// The highest `domain_events` id (none on an empty log).
    fn max_domain_event(&mut self) -> Result<Option<i64>>;
    /// Delete the events whose id is below `id`; how many.
    fn delete_domain_events_below(&mut self, id: i64) -> Result<usize>;
}

/// What [`DomainStore::purge_domain`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PurgedDomain {
    /// Accounts (`users` rows).
    pub accounts: usize,
    /// Recorded sessions.
    pub sessions: usize,
}

/// The store's size, user count and schema version ([`StateStore::store_facts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreFacts {
    pub size_bytes: i64,
    pub users: i64,
    pub schema_version: i64,
}

/// Key/value state of the tool and its services.
pub trait StateStore {
    fn state(&mut self, key: &str) -> Result<Option<String>>;
    /// Set (insert or replace) a key's value.
    fn set_state(&mut self, key: &str, value: &str) -> Result<()>;
    /// The cluster id: `mongoose_cluster_id`'s row `k = 'cluster_id'` (shared with a
    /// MongooseIM on the same database).
    fn cluster_id(&mut self) -> Result<Option<String>>;
    /// Store `id` as the cluster id unless one is stored already (`ON CONFLICT DO NOTHING`:
    /// read [`StateStore::cluster_id`] again for the id that won).
    fn offer_cluster_id(&mut self, id: &str) -> Result<()>;
    /// What `status` shows of the store: its size in bytes (SQLite: pages in use;
    /// PostgreSQL: `pg_database_size`), its user count (every domain), and the version of
    /// our migrations (SQLite `user_version`; PostgreSQL `mongooseimctl_schema`).
    fn store_facts(&mut self) -> Result<StoreFacts>;
    /// The stanzas counted in this transaction so far, not written yet: [`Store::write`]
    /// adds them to the [`STANZA_COUNTS`] state key once, before the commit.
    fn pending_stanzas(&mut self) -> &mut StanzaCounts;
}

/// The state key of the stanza counters (a JSON [`StanzaCounts`]).
pub const STANZA_COUNTS: &str = "system_metrics.counters";

/// The stanzas the tool routed (totals since the store was created, over all host types):
/// service_mongoose_system_metrics's xmpp{Message,Iq,Presence}{Sent,Received}.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct StanzaCounts {
    pub message_sent: i64,
    pub message_received: i64,
    pub iq_sent: i64,
    pub iq_received: i64,
    pub presence_sent: i64,
    pub presence_received: i64,
}

impl StanzaCounts {
    pub fn is_zero(&self) -> bool {
        *self == StanzaCounts::default()
    }

    /// The sum, field by field (saturating).
    pub fn plus(&self, o: &StanzaCounts) -> StanzaCounts {
        StanzaCounts {
            message_sent: self.message_sent.saturating_add(o.message_sent),
            message_received: self.message_received.saturating_add(o.message_received),
            iq_sent: self.iq_sent.saturating_add(o.iq_sent),
            iq_received: self.iq_received.saturating_add(o.iq_received),
            presence_sent: self.presence_sent.saturating_add(o.presence_sent),
            presence_received: self.presence_received.saturating_add(o.presence_received),
        }
    }

    /// The counters stored under [`STANZA_COUNTS`] (zero when absent or unreadable).
    pub fn read(tx: &mut dyn Tx) -> Result<StanzaCounts> {
        Ok(tx
            .state(STANZA_COUNTS)?
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default())
    }
}

/// Add the transaction's pending stanza counts to the stored counters (one read and one
/// write, only in a transaction that counted something).
fn flush_stanzas(tx: &mut dyn Tx) -> Result<()> {
    let pending = std::mem::take(tx.pending_stanzas());
    if pending.is_zero() {
        return Ok(());
    }
    let total = StanzaCounts::read(tx)?.plus(&pending);
    let json = serde_json::to_string(&total)
        .map_err(|e| crate::error::StoreError::Internal(format!("stanza counters: {e}")))?;
    tx.set_state(STANZA_COUNTS, &json)
}

/// An account's key in the per-user tables, as stored (not prepared again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKey {
    pub username: String,
    pub server: String,
}

/// Rows of a per-user table whose account does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanRows {
    pub table: &'static str,
    pub user: UserKey,
    pub rows: i64,
}

/// A roster group row of an existing account whose roster item does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanGroup {
    pub owner: UserKey,
    pub contact: String,
    pub group: String,
}

/// An account's stored password columns, as bytes (`check_store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawPassword<'a> {
    pub password: &'a [u8],
    pub pass_details: Option<&'a [u8]>,
}

/// What `check_store` asks of a store (one read snapshot, [`Store::check`]): the engine's own
/// integrity check and the raw stored values the services validate. Text that is not UTF-8
/// is passed as bytes; walks go in key order. A damaged page that stops a query or a walk is
/// an error (`StoreError::Unusable` with `Unusable::Corrupt`).
pub trait CheckStore {
    /// The engine's integrity check: one text per problem found (none: sound).
    fn integrity(&mut self) -> Result<Vec<String>>;
    /// The per-user tables (keyed by an account's server and user name), in checking order:
    /// the schema layout both backends share.
    fn per_user_tables(&self) -> Vec<&'static str> {
        layout::USER_TABLES.iter().map(|(t, _, _)| *t).collect()
    }
    /// Rows of `table` (one of [`CheckStore::per_user_tables`]) whose account does not exist,
    /// per account in key order.
    fn orphans(&mut self, table: &'static str) -> Result<Vec<OrphanRows>>;
    /// Roster groups of existing accounts without their roster item, in store order.
    fn orphan_groups(&mut self) -> Result<Vec<OrphanGroup>>;
    /// Every account's `password` and `pass_details` columns.
    fn each_password(&mut self, each: &mut dyn FnMut(&UserKey, RawPassword<'_>)) -> Result<()>;
    /// Every stored vCard (the XML text).
    fn each_vcard(&mut self, each: &mut dyn FnMut(&UserKey, &[u8])) -> Result<()>;
    /// Every private-storage element: namespace and XML text.
    fn each_private(&mut self, each: &mut dyn FnMut(&UserKey, &str, &[u8])) -> Result<()>;
}

/// Everything a transaction can do (each implementation declares it for its transaction type).
pub trait Tx:
    UserStore
    + LastStore
    + SessionStore
    + OfflineStore
    + TokenStore
    + RosterStore
    + VcardStore
    + PrivateStore
    + DomainStore
    + StateStore
    + GdprStore
{
}

/// How a transaction is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A consistent snapshot; no write lock.
    Read,
    /// The write lock at once (a concurrent writer waits, then gets `StoreError::Busy`).
    Write,
}

/// A store implementation: runs a unit of work in one transaction.
pub trait Backend {
    /// Run `work` in one transaction of `mode`: committed if it returns Ok, rolled back
    /// otherwise.
    fn transaction(
        &mut self,
        mode: Mode,
        work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> Result<()>;
    /// Run `work` with the consistency checks in one read transaction (a snapshot).
    fn check(&mut self, work: &mut dyn FnMut(&mut dyn CheckStore) -> Result<()>) -> Result<()>;
    /// Where the data lives, for messages (`status`).
    fn location(&self) -> String;
    /// Open the outer write transaction of a `batch` (the write lock at once, as a write
    /// transaction takes it). Until [`Backend::end_outer`], every [`Backend::transaction`]
    /// (reads too) runs inside it as a savepoint: released when its work returns Ok, rolled
    /// back to (and released) otherwise.
    fn begin_outer(&mut self) -> Result<()>;
    /// A savepoint of the outer transaction around one batch line ([`Store::line_begin`]).
    fn line_begin(&mut self) -> Result<()>;
    /// End the line's savepoint: kept (released) or rolled back to and released.
    fn line_end(&mut self, keep: bool) -> Result<()>;
    /// Close the outer transaction: commit, or roll everything back. Outer mode ends either
    /// way (also when the commit fails).
    fn end_outer(&mut self, commit: bool) -> Result<()>;
}

/// Where the store lives, as resolved from `--store`, the config's RDBMS pool or the default.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreTarget {
    Sqlite(PathBuf),
    /// A PostgreSQL database holding MongooseIM's schema (work in progress, issue 10).
    Postgres(pgsql::PgTarget),
    /// A configured pool we cannot use (yet): the message explains.
    Unsupported(String),
}

/// An open store.
pub struct Store {
    backend: Box<dyn Backend>,
    /// Trial mode (`--dry-run`): every write transaction whose body succeeds is rolled back
    /// instead of committed, and its result returned as if it had been.
    trial: bool,
    /// An outer transaction is open ([`Store::begin_outer`]): whether it was opened in trial
    /// mode (then [`Store::end_outer`] rolls it back whatever it is asked).
    outer: Option<bool>,
}

impl Store {
    /// Open (creating and migrating as needed) the store at `target`.
    pub fn open(target: &StoreTarget) -> Result<Store> {
        match target {
            StoreTarget::Sqlite(path) => Ok(Store::sqlite(path)?),
            StoreTarget::Postgres(target) => Ok(Store {
                backend: Box::new(pgsql::Pgsql::open(target)?),
                trial: false,
                outer: None,
            }),
            StoreTarget::Unsupported(why) => {
                Err(crate::error::StoreError::Unavailable(why.clone()).into())
            }
        }
    }

    /// An SQLite store at `path`.
    pub fn sqlite(path: &Path) -> Result<Store> {
        Ok(Store {
            backend: Box::new(sqlite::Sqlite::open(path)?),
            trial: false,
            outer: None,
        })
    }

    /// An in-memory SQLite store (tests, benchmarks).
    pub fn in_memory() -> Result<Store> {
        Ok(Store {
            backend: Box::new(sqlite::Sqlite::open_in_memory()?),
            trial: false,
            outer: None,
        })
    }

    pub fn location(&self) -> String {
        self.backend.location()
    }

    /// Trial mode on or off: in trial mode a write transaction runs its body in full (the
    /// same statements, the same result) and is then rolled back (`--dry-run`).
    pub fn set_trial(&mut self, trial: bool) {
        self.trial = trial;
    }

    /// Open the outer write transaction of a `batch`: every later `read` / `write` runs
    /// inside it (as a savepoint) until [`Store::end_outer`]. Opened in trial mode
    /// (`batch --dry-run`), it is rolled back at the end whatever the lines did.
    pub fn begin_outer(&mut self) -> Result<()> {
        if self.outer.is_some() {
            return Err(crate::error::StoreError::Internal(
                "an outer transaction is open already".into(),
            )
            .into());
        }
        self.backend.begin_outer()?;
        self.outer = Some(self.trial);
        Ok(())
    }

    /// Open the savepoint of one batch line in the outer transaction; end it with
    /// [`Store::line_end`] (keep what the line wrote, or roll back to the savepoint).
    pub fn line_begin(&mut self) -> Result<()> {
        self.backend.line_begin()
    }

    pub fn line_end(&mut self, keep: bool) -> Result<()> {
        self.backend.line_end(keep)
    }

    /// End the outer transaction: commit (unless it was opened in trial mode) or roll back.
    pub fn end_outer(&mut self, commit: bool) -> Result<()> {
        let Some(trial) = self.outer.take() else {
            return Ok(());
        };
        self.backend.end_outer(commit && !trial)
    }

    /// Run `f` in a read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run(Mode::Read, f)
    }

    /// Run `f` in one write transaction: committed if it returns Ok, rolled back otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run(Mode::Write, f)
    }

    /// Run `f` with the consistency checks, in one read snapshot (`check_store`).
    pub fn check<T>(&mut self, f: impl FnOnce(&mut dyn CheckStore) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.backend.check(&mut |c| {
            if let Some(f) = f.take() {
                out = Some(f(c)?);
            }
            Ok(())
        })?;
        out.ok_or_else(|| {
            crate::error::StoreError::Internal("the check body did not run".into()).into()
        })
    }

    fn run<T>(&mut self, mode: Mode, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        let roll_back = self.trial && mode == Mode::Write;
        let done = self.backend.transaction(mode, &mut |tx| {
            if let Some(f) = f.take() {
                out = Some(f(tx)?);
                if mode == Mode::Write {
                    flush_stanzas(tx)?;
                }
                if roll_back {
                    // The body succeeded: an error makes the backend roll back.
                    return Err(crate::error::Error::Rollback);
                }
            }
            Ok(())
        });
        match done {
            Ok(()) => {}
            Err(crate::error::Error::Rollback) if roll_back => {}
            Err(e) => return Err(e),
        }
        out.ok_or_else(|| {
            crate::error::StoreError::Internal("the transaction body did not run".into()).into()
        })
    }
}

#[cfg(test)]
mod tests {
    /// Trial mode: the write's body runs and returns its result, then is rolled back.
    #[test]
    fn trial_mode_rolls_a_successful_write_back() {
        let mut store = super::Store::in_memory().unwrap();
        let jid = crate::compat::jid::Jid::make("alice", "localhost", "").unwrap();
        let pw = super::StoredPassword {
            password: "pw".into(),
            pass_details: None,
        };
        store.set_trial(true);
        assert!(store.write(|tx| tx.insert_user(&jid, &pw)).unwrap());
        assert!(!store.read(|tx| tx.user_exists(&jid)).unwrap());
        // A failing body still fails.
        let e = store.write(|_| -> crate::error::Result<()> {
            Err(crate::error::Error::Input("no".into()))
        });
        assert!(matches!(e, Err(crate::error::Error::Input(_))));
        store.set_trial(false);
        assert!(store.write(|tx| tx.insert_user(&jid, &pw)).unwrap());
        assert!(store.read(|tx| tx.user_exists(&jid)).unwrap());
    }

    /// A batch's outer transaction: a failed unit (or line) is rolled back alone, the
    /// others stay; ending it without a commit (or in trial mode) keeps nothing.
    #[test]
    fn outer_transaction_units_and_lines_are_savepoints() {
        use crate::error::Error;
        let jid = |u: &str| crate::compat::jid::Jid::make(u, "localhost", "").unwrap();
        let pw = super::StoredPassword {
            password: "pw".into(),
            pass_details: None,
        };
        let exists =
            |store: &mut super::Store, u: &str| store.read(|tx| tx.user_exists(&jid(u))).unwrap();
        let mut store = super::Store::in_memory().unwrap();
        store.begin_outer().unwrap();
        assert!(store.write(|tx| tx.insert_user(&jid("a"), &pw)).unwrap());
        // A failing unit: its insert is rolled back, the earlier one is kept and seen.
        let e = store.write(|tx| {
            tx.insert_user(&jid("b"), &pw)?;
            Err::<(), _>(Error::Input("no".into()))
        });
        assert!(matches!(e, Err(Error::Input(_))));
        assert!(exists(&mut store, "a"));
        assert!(!exists(&mut store, "b"));
        // A line rolled back with its units; a kept line stays.
        store.line_begin().unwrap();
        store.write(|tx| tx.insert_user(&jid("c"), &pw)).unwrap();
        store.line_end(false).unwrap();
        store.line_begin().unwrap();
        store.write(|tx| tx.insert_user(&jid("d"), &pw)).unwrap();
        store.line_end(true).unwrap();
        assert!(!exists(&mut store, "c"));
        assert!(exists(&mut store, "d"));
        store.end_outer(true).unwrap();
        assert!(exists(&mut store, "a") && exists(&mut store, "d"));
        // Not committed: nothing of the batch stays.
        store.begin_outer().unwrap();
        store.write(|tx| tx.insert_user(&jid("e"), &pw)).unwrap();
        assert!(exists(&mut store, "e"));
        store.end_outer(false).unwrap();
        assert!(!exists(&mut store, "e"));
        // Trial mode when it opens: rolled back even when asked to commit; a second
        // begin_outer while one is open is refused.
        store.set_trial(true);
        store.begin_outer().unwrap();
        assert!(store.begin_outer().is_err());
        store.set_trial(false);
        store.write(|tx| tx.insert_user(&jid("f"), &pw)).unwrap();
        store.end_outer(true).unwrap();
        assert!(!exists(&mut store, "f"));
        // Back to plain transactions.
        store.write(|tx| tx.insert_user(&jid("g"), &pw)).unwrap();
        assert!(exists(&mut store, "g"));
    }

    /// SQL lives only in the two implementations (the interface is what services see).
    #[test]
    fn no_sql_outside_the_store_implementations() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // Built at run time so this file does not match itself.
        let needles: Vec<String> = ["SELECT", "INSERT INTO", "DELETE FROM", "UPDATE", "PRAGMA"]
            .iter()
            .map(|k| format!("\"{k} "))
            .collect();
        let mut stack = vec![root.clone()];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path != root.join("store").join("sqlite")
                        && path != root.join("store").join("pgsql")
                    {
                        stack.push(path);
                    }
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    if needles.iter().any(|n| line.contains(n.as_str())) {
                        offenders.push(format!("{}:{}", path.display(), i + 1));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "SQL outside src/store/sqlite and src/store/pgsql: {offenders:?}"
        );
    }
}
