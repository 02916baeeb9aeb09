//! Key/value state of the tool and its services (`mongooseimctl_state`).

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    let mut st = conn.prepare_cached("SELECT v FROM mongooseimctl_state WHERE k = ?1")?;
    Ok(st.query_row([key], |r| r.get(0)).optional()?)
}
