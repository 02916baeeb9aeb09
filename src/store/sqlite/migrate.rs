//! Append-only schema migrations tracked by `PRAGMA user_version`, applied in one exclusive
//! transaction. Never edit or reorder an entry: add a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::{rows, sql};
use crate::error::{Result, StoreError, Unusable};

pub const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_sessions.sql"),
    include_str!("sql/0003_gdpr.sql"),
];

/// Tables every version of our schema has: a database without them is not ours.
const OUR_TABLES: [&str; 2] = ["users", "mongooseimctl_state"];

/// How many table names a foreign-database message lists.
const NAMES_SHOWN: usize = 5;

/// The schema version of an opened database, read without writing anything: 0 for a new,
/// empty file. A database that is not a mongooseimctl store (tables of its own but no schema
/// version of ours, or a version without our tables) is refused with what it holds.
pub fn inspect(conn: &Connection) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    let mut st = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             ORDER BY name",
        )
        .map_err(sql)?;
    let tables: Vec<String> = rows(st.query_map([], |r| r.get(0)).map_err(sql)?)?;
    let ours = OUR_TABLES.iter().all(|t| tables.iter().any(|n| n == t));
    if (version == 0 && tables.is_empty()) || (version > 0 && ours) {
        return Ok(version);
    }
    let mut names: Vec<String> = tables
        .iter()
        .take(NAMES_SHOWN)
        .map(|n| {
            let short: String = n.chars().take(40).collect();
            format!("\"{}\"", short.escape_debug())
        })
        .collect();
    if tables.len() > NAMES_SHOWN {
        names.push(format!("… ({} in all)", tables.len()));
    }
    let held = if tables.is_empty() {
        "no tables".to_string()
    } else {
        format!("tables {}", names.join(", "))
    };
    Err(StoreError::Unusable {
        path: String::new(),
        why: Unusable::Foreign(format!("user_version {version}, {held}")),
    }
    .into())
}

/// The refusal of a store whose schema is newer than ours.
pub fn newer(current: i64, target: i64) -> crate::error::Error {
    StoreError::Unavailable(format!(
        "the store has schema version {current}, newer than this mongooseimctl knows ({target}); upgrade mongooseimctl"
    ))
    .into()
}

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    let target = MIGRATIONS.len() as i64;
    if current == target {
        return Ok(());
    }
    if current > target {
        return Err(newer(current, target));
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Exclusive)
        .map_err(sql)?;
    // Re-read under the lock: another process may have migrated meanwhile.
    let current: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    for (i, script) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(script).map_err(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(sql)?;
    }
    if current == 0 {
        let now = crate::clock::now_secs();
        tx.execute(
            "INSERT OR IGNORE INTO mongooseimctl_state (k, v) VALUES ('created_at', ?1)",
            [now.to_string()],
        )
        .map_err(sql)?;
    }
    tx.commit().map_err(sql)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrate_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
    }

    #[test]
    fn migrates_from_every_earlier_version() {
        for start in 0..MIGRATIONS.len() {
            let mut conn = Connection::open_in_memory().unwrap();
            for (i, sql) in MIGRATIONS.iter().enumerate().take(start) {
                conn.execute_batch(sql).unwrap();
                conn.pragma_update(None, "user_version", (i + 1) as i64)
                    .unwrap();
            }
            migrate(&mut conn).unwrap();
            let v: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(v, MIGRATIONS.len() as i64);
        }
    }

    #[test]
    fn newer_store_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(
            err,
            crate::error::Error::Store(StoreError::Unavailable(_))
        ));
    }

    fn foreign(conn: &Connection) -> String {
        match inspect(conn) {
            Err(crate::error::Error::Store(StoreError::Unusable {
                why: Unusable::Foreign(t),
                ..
            })) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn inspect_tells_ours_from_foreign_without_writing() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(inspect(&conn).unwrap(), 0);
        migrate(&mut conn).unwrap();
        assert_eq!(inspect(&conn).unwrap(), MIGRATIONS.len() as i64);
        // A newer version of ours is ours (migrate refuses it with its own message).
        conn.pragma_update(None, "user_version", 999).unwrap();
        assert_eq!(inspect(&conn).unwrap(), 999);

        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x); CREATE TABLE d (x); \
             CREATE TABLE e (x); CREATE TABLE \"f\x07\" (x); CREATE TABLE users (x);",
        )
        .unwrap();
        assert_eq!(
            foreign(&conn),
            "user_version 0, tables \"a\", \"b\", \"c\", \"d\", \"e\", … (7 in all)"
        );
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE \"f\x07\" (x);").unwrap();
        assert_eq!(foreign(&conn), "user_version 0, tables \"f\\u{7}\"");
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
        assert_eq!(foreign(&conn), "user_version 3, no tables");
    }
}
