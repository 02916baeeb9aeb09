//! Private XML storage (`private_storage`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

pub fn get(conn: &Connection, server: &str, user: &str, ns: &str) -> Result<Option<String>> {
    let mut st = conn.prepare_cached(
        "SELECT data FROM private_storage WHERE server = ?1 AND username = ?2 AND namespace = ?3",
    )?;
    Ok(st
        .query_row(params![server, user, ns], |r| r.get(0))
        .optional()?)
}

pub fn set(conn: &Connection, server: &str, user: &str, ns: &str, xml: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO private_storage (server, username, namespace, data) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (server, username, namespace) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![server, user, ns, xml])?;
    Ok(())
}
