//! Accounts (`users`) and the per-account cascade.

use rusqlite::{params, OptionalExtension};

use super::{rows, sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{StoredPassword, UserStore};

pub(super) use crate::store::layout::USER_TABLES;

impl UserStore for SqliteTx<'_> {
    fn user_exists(&mut self, user: &Jid) -> Result<bool> {
        self.conn()
            .prepare_cached("SELECT 1 FROM users WHERE server = ?1 AND username = ?2")
            .and_then(|mut st| st.exists(params![user.server, user.user]))
            .map_err(sql)
    }

    fn password(&mut self, user: &Jid) -> Result<Option<StoredPassword>> {
        self.conn()
            .prepare_cached(
                "SELECT \"password\", pass_details FROM users WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| {
                st.query_row(params![user.server, user.user], |r| {
                    Ok(StoredPassword {
                        password: r.get(0)?,
                        pass_details: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(sql)
    }

    fn insert_user(&mut self, user: &Jid, pw: &StoredPassword) -> Result<bool> {
        self.conn()
            .prepare_cached(
                "INSERT INTO users (server, username, \"password\", pass_details) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (server, username) DO NOTHING",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user, pw.password, pw.pass_details]))
            .map(|n| n == 1)
            .map_err(sql)
    }

    fn set_password(&mut self, user: &Jid, pw: &StoredPassword) -> Result<bool> {
        self.conn()
            .prepare_cached(
                "UPDATE users SET \"password\" = ?3, pass_details = ?4 WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user, pw.password, pw.pass_details]))
            .map(|n| n == 1)
            .map_err(sql)
    }

    fn usernames(&mut self, server: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT username FROM users WHERE server = ?1 ORDER BY username")
            .map_err(sql)?;
        let out = rows(st.query_map([server], |r| r.get(0)).map_err(sql)?)?;
        Ok(out)
    }

    fn count_users(&mut self, server: &str) -> Result<i64> {
        self.conn()
            .prepare_cached("SELECT COUNT(*) FROM users WHERE server = ?1")
            .and_then(|mut st| st.query_row([server], |r| r.get(0)))
            .map_err(sql)
    }

    fn delete_user(&mut self, user: &Jid) -> Result<bool> {
        let conn = self.conn();
        let existed = conn
            .prepare_cached("DELETE FROM users WHERE server = ?1 AND username = ?2")
            .and_then(|mut st| st.execute(params![user.server, user.user]))
            .map_err(sql)?
            == 1;
        for (table, server_col, user_col) in USER_TABLES {
            // Identifiers are trusted constants.
            let q = format!("DELETE FROM {table} WHERE {server_col} = ?1 AND {user_col} = ?2");
            conn.prepare_cached(&q)
                .and_then(|mut st| st.execute(params![user.server, user.user]))
                .map_err(sql)?;
        }
        conn.prepare_cached("DELETE FROM auth_token WHERE owner = ?1")
            .and_then(|mut st| st.execute([user.bare()]))
            .map_err(sql)?;
        Ok(existed)
    }

    fn insert_users(&mut self, users: &[(Jid, StoredPassword)]) -> Result<Vec<bool>> {
        // A loop over one cached prepared statement: no round trips on SQLite.
        users
            .iter()
            .map(|(jid, pw)| self.insert_user(jid, pw))
            .collect()
    }

    fn delete_users(&mut self, users: &[Jid]) -> Result<usize> {
        let mut existed = 0;
        for jid in users {
            existed += usize::from(self.delete_user(jid)?);
        }
        Ok(existed)
    }
}
