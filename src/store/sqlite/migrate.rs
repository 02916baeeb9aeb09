//! Append-only schema migrations tracked by `PRAGMA user_version`, applied in one exclusive
//! transaction. Never edit or reorder an entry: add a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::sql;
use crate::error::{Result, StoreError};

pub const MIGRATIONS: &[&str] = &[include_str!("sql/0001_init.sql")];

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    let target = MIGRATIONS.len() as i64;
    if current == target {
        return Ok(());
    }
    if current > target {
        return Err(StoreError::Unavailable(format!(
            "the store has schema version {current}, newer than this mongooseimctl knows ({target}); upgrade mongooseimctl"
        ))
        .into());
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
}
