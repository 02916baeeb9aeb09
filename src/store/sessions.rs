//! Sessions recorded in the store (`mongooseimctl_sessions`, DESIGN.md §2).

use rusqlite::{params, Connection};

use crate::error::Result;

pub fn count_user(conn: &Connection, server: &str, user: &str) -> Result<i64> {
    let mut st = conn.prepare_cached(
        "SELECT COUNT(*) FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2",
    )?;
    Ok(st.query_row(params![server, user], |r| r.get(0))?)
}

/// Resources of a user in byte order.
pub fn resources(conn: &Connection, server: &str, user: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT resource FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2 \
         ORDER BY resource",
    )?;
    let rows = st.query_map(params![server, user], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// End every session of a user, as a kick does: a session that had an available presence
/// records last activity (now, "").
pub fn kick_all(conn: &Connection, server: &str, user: &str) -> Result<usize> {
    let had_available: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2 \
             AND show <> 'unavailable')",
        )?
        .query_row(params![server, user], |r| r.get(0))?;
    let n = conn
        .prepare_cached("DELETE FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2")?
        .execute(params![server, user])?;
    if had_available {
        super::last::set(conn, server, user, crate::clock::now_secs(), "")?;
    }
    Ok(n)
}
