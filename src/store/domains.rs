//! Dynamic domains (`domain_settings`) and their event log (`domain_events`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

pub struct DomainRow {
    pub host_type: String,
    pub enabled: bool,
}

pub fn get(conn: &Connection, domain: &str) -> Result<Option<DomainRow>> {
    let mut st =
        conn.prepare_cached("SELECT host_type, enabled FROM domain_settings WHERE domain = ?1")?;
    Ok(st
        .query_row([domain], |r| {
            Ok(DomainRow {
                host_type: r.get(0)?,
                enabled: r.get(1)?,
            })
        })
        .optional()?)
}

pub fn enabled_of_host_type(conn: &Connection, host_type: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT domain FROM domain_settings WHERE host_type = ?1 AND enabled = 1 ORDER BY id",
    )?;
    let rows = st.query_map([host_type], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

pub fn insert(conn: &Connection, domain: &str, host_type: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO domain_settings (id, domain, host_type, enabled) \
         VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM domain_settings), ?1, ?2, 1)",
    )?
    .execute(params![domain, host_type])?;
    add_event(conn, domain)
}

pub fn add_event(conn: &Connection, domain: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO domain_events (domain) VALUES (?1)")?
        .execute([domain])?;
    Ok(())
}
