//! The consistency checks of `check_store` ([`CheckStore`]): SQLite's `integrity_check`, orphan
//! rows, and walks over the stored values the service validates.

use rusqlite::types::ValueRef;
use rusqlite::ErrorCode;

use super::users::USER_TABLES;
use super::{rows, sql, SqliteTx};
use crate::error::Result;
use crate::store::{CheckStore, OrphanGroup, OrphanRows, RawPassword, UserKey};

/// A column as bytes (text or blob); numbers as their text; NULL as None.
fn bytes(v: ValueRef<'_>) -> Option<Vec<u8>> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string().into_bytes()),
        ValueRef::Real(f) => Some(f.to_string().into_bytes()),
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(b.to_vec()),
    }
}

fn text(v: ValueRef<'_>) -> String {
    bytes(v)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

fn key(r: &rusqlite::Row<'_>, server: usize, user: usize) -> rusqlite::Result<UserKey> {
    Ok(UserKey {
        server: text(r.get_ref(server)?),
        username: text(r.get_ref(user)?),
    })
}

impl CheckStore for SqliteTx<'_> {
    fn integrity(&mut self) -> Result<Vec<String>> {
        let mut st = self.conn().prepare("PRAGMA integrity_check").map_err(sql)?;
        let mut it = st.query([]).map_err(sql)?;
        let mut found = Vec::new();
        loop {
            match it.next() {
                Ok(Some(r)) => found.push(text(r.get_ref(0).map_err(sql)?)),
                Ok(None) => break,
                // SQLite ends its report on a damaged page with the error itself.
                Err(e)
                    if !found.is_empty()
                        && e.sqlite_error_code() == Some(ErrorCode::DatabaseCorrupt) =>
                {
                    break
                }
                Err(e) => return Err(sql(e)),
            }
        }
        Ok(found
            .iter()
            .flat_map(|row| row.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "ok" && !l.starts_with("*** in database"))
            .map(str::to_string)
            .collect())
    }

    fn orphans(&mut self, table: &'static str) -> Result<Vec<OrphanRows>> {
        let Some(&(table, server, user)) = USER_TABLES.iter().find(|(t, _, _)| *t == table) else {
            return Ok(Vec::new());
        };
        // Identifiers are trusted constants.
        let q = format!(
            "SELECT t.{server}, t.{user}, COUNT(*) FROM {table} t WHERE NOT EXISTS \
             (SELECT 1 FROM users u WHERE u.server = t.{server} AND u.username = t.{user}) \
             GROUP BY t.{server}, t.{user} ORDER BY t.{server}, t.{user}"
        );
        let mut st = self.conn().prepare(&q).map_err(sql)?;
        let found = rows(
            st.query_map([], |r| {
                Ok(OrphanRows {
                    table,
                    user: key(r, 0, 1)?,
                    rows: r.get(2)?,
                })
            })
            .map_err(sql)?,
        )?;
        Ok(found)
    }

    fn orphan_groups(&mut self) -> Result<Vec<OrphanGroup>> {
        let mut st = self
            .conn()
            .prepare(
                "SELECT g.server, g.username, g.jid, g.grp FROM rostergroups g \
                 WHERE EXISTS (SELECT 1 FROM users u WHERE u.server = g.server AND u.username = g.username) \
                 AND NOT EXISTS (SELECT 1 FROM rosterusers r \
                   WHERE r.server = g.server AND r.username = g.username AND r.jid = g.jid) \
                 ORDER BY g.rowid",
            )
            .map_err(sql)?;
        let found = rows(
            st.query_map([], |r| {
                Ok(OrphanGroup {
                    owner: key(r, 0, 1)?,
                    contact: text(r.get_ref(2)?),
                    group: text(r.get_ref(3)?),
                })
            })
            .map_err(sql)?,
        )?;
        Ok(found)
    }

    fn each_password(&mut self, each: &mut dyn FnMut(&UserKey, RawPassword<'_>)) -> Result<()> {
        let mut st = self
            .conn()
            .prepare("SELECT server, username, \"password\", pass_details FROM users ORDER BY server, username")
            .map_err(sql)?;
        let mut it = st.query([]).map_err(sql)?;
        while let Some(r) = it.next().map_err(sql)? {
            let user = key(r, 0, 1).map_err(sql)?;
            let password = bytes(r.get_ref(2).map_err(sql)?).unwrap_or_default();
            let details = bytes(r.get_ref(3).map_err(sql)?);
            each(
                &user,
                RawPassword {
                    password: &password,
                    pass_details: details.as_deref(),
                },
            );
        }
        Ok(())
    }

    fn each_vcard(&mut self, each: &mut dyn FnMut(&UserKey, &[u8])) -> Result<()> {
        let mut st = self
            .conn()
            .prepare("SELECT server, username, vcard FROM vcard ORDER BY server, username")
            .map_err(sql)?;
        let mut it = st.query([]).map_err(sql)?;
        while let Some(r) = it.next().map_err(sql)? {
            let user = key(r, 0, 1).map_err(sql)?;
            let xml = bytes(r.get_ref(2).map_err(sql)?).unwrap_or_default();
            each(&user, &xml);
        }
        Ok(())
    }

    fn each_private(&mut self, each: &mut dyn FnMut(&UserKey, &str, &[u8])) -> Result<()> {
        let mut st = self
            .conn()
            .prepare(
                "SELECT server, username, namespace, data FROM private_storage \
                 ORDER BY server, username, namespace",
            )
            .map_err(sql)?;
        let mut it = st.query([]).map_err(sql)?;
        while let Some(r) = it.next().map_err(sql)? {
            let user = key(r, 0, 1).map_err(sql)?;
            let namespace = text(r.get_ref(2).map_err(sql)?);
            let xml = bytes(r.get_ref(3).map_err(sql)?).unwrap_or_default();
            each(&user, &namespace, &xml);
        }
        Ok(())
    }
}
