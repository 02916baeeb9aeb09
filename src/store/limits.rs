//! The column limits of MongooseIM 5.1's PostgreSQL schema (spec/store.md,
//! `pgsql/sql/mongooseim_5.1.sql`) and of our own tables, checked by the services before
//! they write, on both backends: a value PostgreSQL would refuse is refused on SQLite too, so
//! a store can move between the two. The one place these numbers live (the DDL files aside;
//! a unit test keeps them in step).
//!
//! Lengths count characters (Unicode scalar values), as PostgreSQL's `varchar(N)` does, not
//! bytes. A refusal is [`StoreError::Invalid`] (exit 1, JSON kind `store_invalid_data`):
//! the whole command is refused and nothing is written.

use crate::compat::jid::Jid;
use crate::error::{Result, StoreError};

/// A `varchar(N)` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub table: &'static str,
    pub column: &'static str,
    /// N, in characters.
    pub chars: usize,
}

const fn limit(table: &'static str, column: &'static str, chars: usize) -> Limit {
    Limit {
        table,
        column,
        chars,
    }
}

pub const USERS_USERNAME: Limit = limit("users", "username", 250);
pub const USERS_SERVER: Limit = limit("users", "server", 250);
pub const LAST_USERNAME: Limit = limit("last", "username", 250);
pub const LAST_SERVER: Limit = limit("last", "server", 250);
pub const ROSTERUSERS_USERNAME: Limit = limit("rosterusers", "username", 250);
pub const ROSTERUSERS_SERVER: Limit = limit("rosterusers", "server", 250);
pub const ROSTERGROUPS_USERNAME: Limit = limit("rostergroups", "username", 250);
pub const ROSTERGROUPS_SERVER: Limit = limit("rostergroups", "server", 250);
pub const ROSTER_VERSION_USERNAME: Limit = limit("roster_version", "username", 250);
pub const ROSTER_VERSION_SERVER: Limit = limit("roster_version", "server", 250);
pub const VCARD_USERNAME: Limit = limit("vcard", "username", 150);
pub const VCARD_SERVER: Limit = limit("vcard", "server", 100);
pub const VCARD_SEARCH_USERNAME: Limit = limit("vcard_search", "username", 150);
pub const VCARD_SEARCH_LUSERNAME: Limit = limit("vcard_search", "lusername", 100);
pub const VCARD_SEARCH_SERVER: Limit = limit("vcard_search", "server", 250);
pub const PRIVATE_USERNAME: Limit = limit("private_storage", "username", 250);
pub const PRIVATE_SERVER: Limit = limit("private_storage", "server", 250);
pub const PRIVATE_NAMESPACE: Limit = limit("private_storage", "namespace", 250);
pub const OFFLINE_USERNAME: Limit = limit("offline_message", "username", 250);
pub const OFFLINE_SERVER: Limit = limit("offline_message", "server", 250);
pub const OFFLINE_FROM_JID: Limit = limit("offline_message", "from_jid", 250);
pub const DOMAIN_SETTINGS_DOMAIN: Limit = limit("domain_settings", "domain", 250);
pub const DOMAIN_SETTINGS_HOST_TYPE: Limit = limit("domain_settings", "host_type", 250);
pub const DOMAIN_EVENTS_DOMAIN: Limit = limit("domain_events", "domain", 250);
pub const SESSIONS_USERNAME: Limit = limit("mongooseimctl_sessions", "username", 250);
pub const SESSIONS_SERVER: Limit = limit("mongooseimctl_sessions", "server", 250);
pub const SESSIONS_RESOURCE: Limit = limit("mongooseimctl_sessions", "resource", 1023);

/// Every limit (the unit test compares them with the DDL).
pub const ALL: &[Limit] = &[
    USERS_USERNAME,
    USERS_SERVER,
    LAST_USERNAME,
    LAST_SERVER,
    ROSTERUSERS_USERNAME,
    ROSTERUSERS_SERVER,
    ROSTERGROUPS_USERNAME,
    ROSTERGROUPS_SERVER,
    ROSTER_VERSION_USERNAME,
    ROSTER_VERSION_SERVER,
    VCARD_USERNAME,
    VCARD_SERVER,
    VCARD_SEARCH_USERNAME,
    VCARD_SEARCH_LUSERNAME,
    VCARD_SEARCH_SERVER,
    PRIVATE_USERNAME,
    PRIVATE_SERVER,
    PRIVATE_NAMESPACE,
    OFFLINE_USERNAME,
    OFFLINE_SERVER,
    OFFLINE_FROM_JID,
    DOMAIN_SETTINGS_DOMAIN,
    DOMAIN_SETTINGS_HOST_TYPE,
    DOMAIN_EVENTS_DOMAIN,
    SESSIONS_USERNAME,
    SESSIONS_SERVER,
    SESSIONS_RESOURCE,
];

/// The range of `last.seconds` (PostgreSQL `integer`; a negative time is refused too).
pub const LAST_SECONDS_MAX: i64 = i32::MAX as i64;

/// `value` fits `limit`, or the refusal naming the column, its limit and the value's length.
pub fn fits(limit: Limit, value: &str) -> Result<()> {
    let n = value.chars().count();
    if n <= limit.chars {
        return Ok(());
    }
    Err(StoreError::Invalid(format!(
        "{}.{} holds at most {} characters (MongooseIM's varchar({})) and the value given has {n}; \
         nothing was written",
        limit.table, limit.column, limit.chars, limit.chars
    ))
    .into())
}

fn all(checks: &[(Limit, &str)]) -> Result<()> {
    checks.iter().try_for_each(|(l, v)| fits(*l, v))
}

/// An account (`users`).
pub fn account(jid: &Jid) -> Result<()> {
    all(&[(USERS_USERNAME, &jid.user), (USERS_SERVER, &jid.server)])
}

/// A last-activity record (`last`): its key, and `seconds` from 0 to 2^31 − 1.
pub fn last(jid: &Jid, seconds: i64) -> Result<()> {
    all(&[(LAST_USERNAME, &jid.user), (LAST_SERVER, &jid.server)])?;
    if (0..=LAST_SECONDS_MAX).contains(&seconds) {
        return Ok(());
    }
    Err(StoreError::Invalid(format!(
        "last.seconds holds a time from 0 to {LAST_SECONDS_MAX} (MongooseIM's integer) and the value \
         given is {seconds}; nothing was written"
    ))
    .into())
}

/// A roster owner (`rosterusers`, `rostergroups`, `roster_version`).
pub fn roster_owner(owner: &Jid) -> Result<()> {
    all(&[
        (ROSTERUSERS_USERNAME, &owner.user),
        (ROSTERUSERS_SERVER, &owner.server),
        (ROSTERGROUPS_USERNAME, &owner.user),
        (ROSTERGROUPS_SERVER, &owner.server),
        (ROSTER_VERSION_USERNAME, &owner.user),
        (ROSTER_VERSION_SERVER, &owner.server),
    ])
}

/// A vCard and its search row (`vcard`, `vcard_search`; `lusername` is the prepared user
/// name, the same text).
pub fn vcard(jid: &Jid) -> Result<()> {
    all(&[
        (VCARD_USERNAME, &jid.user),
        (VCARD_SERVER, &jid.server),
        (VCARD_SEARCH_USERNAME, &jid.user),
        (VCARD_SEARCH_LUSERNAME, &jid.user),
        (VCARD_SEARCH_SERVER, &jid.server),
    ])
}

/// A private element (`private_storage`).
pub fn private(jid: &Jid, namespace: &str) -> Result<()> {
    all(&[
        (PRIVATE_USERNAME, &jid.user),
        (PRIVATE_SERVER, &jid.server),
        (PRIVATE_NAMESPACE, namespace),
    ])
}

/// An offline message to `to` from the full JID text `from` (`offline_message`).
pub fn offline(to: &Jid, from: &str) -> Result<()> {
    all(&[
        (OFFLINE_USERNAME, &to.user),
        (OFFLINE_SERVER, &to.server),
        (OFFLINE_FROM_JID, from),
    ])
}

/// A dynamic domain (`domain_settings` and its `domain_events` row).
pub fn domain(domain: &str, host_type: &str) -> Result<()> {
    all(&[
        (DOMAIN_SETTINGS_DOMAIN, domain),
        (DOMAIN_SETTINGS_HOST_TYPE, host_type),
        (DOMAIN_EVENTS_DOMAIN, domain),
    ])
}

/// A recorded session of the full JID `jid` (`mongooseimctl_sessions`).
pub fn session(jid: &Jid) -> Result<()> {
    all(&[
        (SESSIONS_USERNAME, &jid.user),
        (SESSIONS_SERVER, &jid.server),
        (SESSIONS_RESOURCE, &jid.resource),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    /// Every limit is the length our PostgreSQL DDL declares for that column.
    #[test]
    fn the_limits_are_the_ddl_lengths() {
        let ddl = format!(
            "{}\n{}",
            crate::store::pgsql::migrate::MONGOOSEIM_SCHEMA,
            crate::store::pgsql::migrate::MIGRATIONS.join("\n")
        );
        for l in ALL {
            let mut table = "";
            let mut found = None;
            for line in ddl.lines() {
                if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                    table = rest.split([' ', '(']).next().unwrap_or("");
                } else if table == l.table {
                    let mut w = line.split_whitespace();
                    if w.next() == Some(l.column) {
                        found = w.next().map(str::to_string);
                    }
                }
            }
            assert_eq!(
                found.as_deref(),
                Some(format!("varchar({})", l.chars).as_str()),
                "{l:?}"
            );
        }
    }

    #[test]
    fn lengths_are_characters_not_bytes() {
        assert!(fits(USERS_USERNAME, &"é".repeat(250)).is_ok());
        let Err(Error::Store(StoreError::Invalid(text))) = fits(USERS_USERNAME, &"é".repeat(251))
        else {
            panic!("251 characters accepted");
        };
        assert_eq!(
            text,
            "users.username holds at most 250 characters (MongooseIM's varchar(250)) and the value \
             given has 251; nothing was written"
        );
    }

    #[test]
    fn last_seconds_is_a_non_negative_32_bit_integer() {
        let j = Jid {
            user: "a".into(),
            server: "b".into(),
            resource: String::new(),
        };
        assert!(last(&j, 0).is_ok());
        assert!(last(&j, 2_147_483_647).is_ok());
        assert!(last(&j, 2_147_483_648).is_err());
        assert!(last(&j, -1).is_err());
    }
}
