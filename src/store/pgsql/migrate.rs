//! MongooseIM's tables (checked at open, loaded only by `init_schema`) and our own
//! `mongooseimctl_*` tables: append-only migrations tracked in `mongooseimctl_schema`,
//! applied in one transaction under the write lock. Never edit or reorder an entry.

use postgres::Client;

use super::{pg, WRITE_LOCK};
use crate::error::{Result, StoreError};

/// MongooseIM 5.1's tables we use, as `init_schema` creates them.
pub const MONGOOSEIM_SCHEMA: &str = include_str!("sql/mongooseim_5.1.sql");

/// Our own tables, version by version.
pub const MIGRATIONS: &[&str] = &[include_str!("sql/ctl_0001_init.sql")];

/// The MongooseIM tables every command may touch (spec/store.md §2): a database without
/// one of them is refused at open, naming it.
pub const MONGOOSEIM_TABLES: [&str; 13] = [
    "users",
    "last",
    "rosterusers",
    "rostergroups",
    "roster_version",
    "vcard",
    "vcard_search",
    "private_storage",
    "offline_message",
    "inbox",
    "auth_token",
    "domain_settings",
    "domain_events",
];

/// What `init_schema` loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// MongooseIM tables created.
    pub tables: usize,
    /// Our schema version afterwards.
    pub version: i64,
}

/// The first of [`MONGOOSEIM_TABLES`] missing from the connection's search path.
fn missing_table(client: &mut Client) -> Result<Option<String>> {
    let names: Vec<&str> = MONGOOSEIM_TABLES.to_vec();
    let row = client
        .query_opt(
            "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS n(t, i) \
             WHERE to_regclass(quote_ident(t)) IS NULL ORDER BY i LIMIT 1",
            &[&names],
        )
        .map_err(pg)?;
    Ok(row.map(|r| r.get(0)))
}

/// Refuse a database without MongooseIM's schema (exit 3, naming the first missing table).
pub fn check_mongooseim_tables(client: &mut Client) -> Result<()> {
    match missing_table(client)? {
        None => Ok(()),
        Some(t) => Err(StoreError::Unavailable(format!(
            "MongooseIM's table \"{t}\" is missing: this database does not hold MongooseIM 5.1's schema \
             (load it into an empty database with `mongooseimctl init_schema`)"
        ))
        .into()),
    }
}

/// Apply our pending migrations; the version afterwards.
pub fn migrate(client: &mut Client) -> Result<i64> {
    let target = MIGRATIONS.len() as i64;
    // Up to date (every run but the first): no lock, so a writer holding the store does not
    // hold up readers.
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('mongooseimctl_schema') IS NOT NULL",
            &[],
        )
        .map_err(pg)?
        .get(0);
    let current: Option<i64> = if exists {
        client
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::bigint FROM mongooseimctl_schema",
                &[],
            )
            .map_err(pg)?
            .get(0)
    } else {
        None
    };
    if current == Some(target) {
        return Ok(target);
    }
    let mut tx = client.transaction().map_err(pg)?;
    tx.batch_execute(&format!(
        "SET LOCAL lock_timeout = '{}ms'",
        super::LOCK_TIMEOUT.as_millis()
    ))
    .map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&super::WRITE_LOCK])
        .map_err(pg)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS mongooseimctl_schema (\
         version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .map_err(pg)?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::bigint FROM mongooseimctl_schema",
            &[],
        )
        .map_err(pg)?
        .get(0);
    if current > target {
        return Err(StoreError::Unavailable(format!(
            "the database has mongooseimctl schema version {current}, newer than this mongooseimctl's {target}: \
             use a newer mongooseimctl"
        ))
        .into());
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.batch_execute(sql).map_err(pg)?;
        let version = i as i32 + 1;
        tx.execute(
            "INSERT INTO mongooseimctl_schema (version) VALUES ($1)",
            &[&version],
        )
        .map_err(pg)?;
    }
    if current == 0 {
        let now = crate::clock::now_secs().to_string();
        tx.execute(
            "INSERT INTO mongooseimctl_state (k, v) VALUES ('created_at', $1) ON CONFLICT (k) DO NOTHING",
            &[&now],
        )
        .map_err(pg)?;
    }
    tx.commit().map_err(pg)?;
    Ok(target)
}

/// Load MongooseIM's schema into a database that has none of its tables, then ours.
pub fn init_schema(client: &mut Client) -> Result<Loaded> {
    let mut tx = client.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .map_err(pg)?;
    let names: Vec<&str> = MONGOOSEIM_TABLES.to_vec();
    let present: Vec<String> = tx
        .query(
            "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS n(t, i) \
             WHERE to_regclass(quote_ident(t)) IS NOT NULL ORDER BY i",
            &[&names],
        )
        .map_err(pg)?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    if let Some(first) = present.first() {
        return Err(StoreError::Unavailable(format!(
            "the database is not empty: MongooseIM's table \"{first}\" exists ({} of {} present); \
             init_schema only loads the schema into an empty database",
            present.len(),
            MONGOOSEIM_TABLES.len()
        ))
        .into());
    }
    tx.batch_execute(MONGOOSEIM_SCHEMA).map_err(pg)?;
    tx.commit().map_err(pg)?;
    let version = migrate(client)?;
    Ok(Loaded {
        tables: MONGOOSEIM_TABLES.len(),
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_creates_every_checked_table() {
        for t in MONGOOSEIM_TABLES {
            assert!(
                MONGOOSEIM_SCHEMA.contains(&format!("CREATE TABLE {t} (")),
                "{t}"
            );
        }
    }
}
