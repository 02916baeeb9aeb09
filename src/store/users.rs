//! Accounts (`users`) and the per-user cascade.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// The stored password columns of an account.
pub struct StoredPassword {
    pub password: String,
    pub pass_details: Option<String>,
}

pub fn exists(conn: &Connection, server: &str, user: &str) -> Result<bool> {
    let mut st = conn.prepare_cached("SELECT 1 FROM users WHERE server = ?1 AND username = ?2")?;
    Ok(st.exists(params![server, user])?)
}

pub fn get_password(conn: &Connection, server: &str, user: &str) -> Result<Option<StoredPassword>> {
    let mut st = conn.prepare_cached(
        "SELECT \"password\", pass_details FROM users WHERE server = ?1 AND username = ?2",
    )?;
    Ok(st
        .query_row(params![server, user], |r| {
            Ok(StoredPassword {
                password: r.get(0)?,
                pass_details: r.get(1)?,
            })
        })
        .optional()?)
}

/// Insert an account; false if it already exists (nothing changed).
pub fn insert(
    conn: &Connection,
    server: &str,
    user: &str,
    password: &str,
    pass_details: Option<&str>,
) -> Result<bool> {
    let mut st = conn.prepare_cached(
        "INSERT INTO users (server, username, \"password\", pass_details) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (server, username) DO NOTHING",
    )?;
    Ok(st.execute(params![server, user, password, pass_details])? == 1)
}

/// Set the password columns of an existing account (an UPDATE that may match nothing, as
/// MongooseIM's RDBMS backend does). Returns whether a row was updated.
pub fn set_password(
    conn: &Connection,
    server: &str,
    user: &str,
    password: &str,
    pass_details: Option<&str>,
) -> Result<bool> {
    let mut st = conn.prepare_cached(
        "UPDATE users SET \"password\" = ?3, pass_details = ?4 WHERE server = ?1 AND username = ?2",
    )?;
    Ok(st.execute(params![server, user, password, pass_details])? == 1)
}

/// User names of a domain in byte order.
pub fn list(conn: &Connection, server: &str) -> Result<Vec<String>> {
    let mut st =
        conn.prepare_cached("SELECT username FROM users WHERE server = ?1 ORDER BY username")?;
    let rows = st.query_map([server], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

pub fn count(conn: &Connection, server: &str) -> Result<i64> {
    let mut st = conn.prepare_cached("SELECT COUNT(*) FROM users WHERE server = ?1")?;
    Ok(st.query_row([server], |r| r.get(0))?)
}

/// Tables holding per-user data keyed by (server, username), removed with the account.
const USER_TABLES: &[(&str, &str, &str)] = &[
    ("last", "server", "username"),
    ("rosterusers", "server", "username"),
    ("rostergroups", "server", "username"),
    ("vcard", "server", "username"),
    ("vcard_search", "server", "lusername"),
    ("private_storage", "server", "username"),
    ("offline_message", "server", "username"),
    ("inbox", "lserver", "luser"),
    ("mongooseimctl_sessions", "server", "username"),
    ("mongooseimctl_delivered", "server", "username"),
];

/// Delete an account and all its data (commands.md §2.5, store.md §5). Returns whether the
/// account existed. Run inside the caller's transaction.
pub fn delete_with_data(conn: &Connection, server: &str, user: &str) -> Result<bool> {
    super::roster::downgrade_contacts_of_removed(conn, server, user)?;
    let existed = conn
        .prepare_cached("DELETE FROM users WHERE server = ?1 AND username = ?2")?
        .execute(params![server, user])?
        == 1;
    for (table, server_col, user_col) in USER_TABLES {
        // Identifiers are trusted constants.
        let sql = format!("DELETE FROM {table} WHERE {server_col} = ?1 AND {user_col} = ?2");
        conn.prepare_cached(&sql)?.execute(params![server, user])?;
    }
    let owner = if user.is_empty() {
        server.to_string()
    } else {
        format!("{user}@{server}")
    };
    conn.prepare_cached("DELETE FROM auth_token WHERE owner = ?1")?
        .execute([owner])?;
    Ok(existed)
}
