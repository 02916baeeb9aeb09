//! Last activity (`last`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// Number of records of `server` with `seconds > cutoff`.
pub fn count_active(conn: &Connection, server: &str, cutoff: i64) -> Result<i64> {
    let mut st =
        conn.prepare_cached("SELECT COUNT(*) FROM last WHERE server = ?1 AND seconds > ?2")?;
    Ok(st.query_row(params![server, cutoff], |r| r.get(0))?)
}

/// Every account of `server` (byte order) with its last-activity time, if any.
pub fn users_with_last(conn: &Connection, server: &str) -> Result<Vec<(String, Option<i64>)>> {
    let mut st = conn.prepare_cached(
        "SELECT u.username, l.seconds FROM users u \
         LEFT JOIN last l ON l.server = u.server AND l.username = u.username \
         WHERE u.server = ?1 ORDER BY u.username",
    )?;
    let rows = st.query_map([server], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn get(conn: &Connection, server: &str, user: &str) -> Result<Option<(i64, String)>> {
    let mut st =
        conn.prepare_cached("SELECT seconds, state FROM last WHERE server = ?1 AND username = ?2")?;
    Ok(st
        .query_row(params![server, user], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn set(conn: &Connection, server: &str, user: &str, seconds: i64, state: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO last (server, username, seconds, state) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (server, username) DO UPDATE SET seconds = excluded.seconds, state = excluded.state",
    )?
    .execute(params![server, user, seconds, state])?;
    Ok(())
}
