//! Accounts (`users`) and the per-account cascade.

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{StoredPassword, UserStore};

pub(super) use crate::store::layout::USER_TABLES;

impl UserStore for PgTx<'_> {
    fn user_exists(&mut self, user: &Jid) -> Result<bool> {
        let row = self
            .tx
            .query_opt(
                "SELECT 1 FROM users WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(row.is_some())
    }

    fn password(&mut self, user: &Jid) -> Result<Option<StoredPassword>> {
        let row = self
            .tx
            .query_opt(
                "SELECT \"password\", pass_details FROM users WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(row.map(|r| StoredPassword {
            password: r.get(0),
            pass_details: r.get(1),
        }))
    }

    fn insert_user(&mut self, user: &Jid, pw: &StoredPassword) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "INSERT INTO users (server, username, \"password\", pass_details) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (server, username) DO NOTHING",
                &[&user.server, &user.user, &pw.password, &pw.pass_details],
            )
            .map_err(pg)?;
        Ok(n == 1)
    }

    fn set_password(&mut self, user: &Jid, pw: &StoredPassword) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "UPDATE users SET \"password\" = $3, pass_details = $4 WHERE server = $1 AND username = $2",
                &[&user.server, &user.user, &pw.password, &pw.pass_details],
            )
            .map_err(pg)?;
        Ok(n == 1)
    }

    fn usernames(&mut self, server: &str) -> Result<Vec<String>> {
        // COLLATE "C": byte order whatever the database's collation.
        let rows = self
            .tx
            .query(
                "SELECT username FROM users WHERE server = $1 ORDER BY username COLLATE \"C\"",
                &[&server],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    fn count_users(&mut self, server: &str) -> Result<i64> {
        let row = self
            .tx
            .query_one("SELECT COUNT(*) FROM users WHERE server = $1", &[&server])
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn delete_user(&mut self, user: &Jid) -> Result<bool> {
        let existed = self
            .tx
            .execute(
                "DELETE FROM users WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)?
            == 1;
        for (table, server_col, user_col) in USER_TABLES {
            // Identifiers are trusted constants.
            let q = format!("DELETE FROM {table} WHERE {server_col} = $1 AND {user_col} = $2");
            self.tx
                .execute(q.as_str(), &[&user.server, &user.user])
                .map_err(pg)?;
        }
        self.tx
            .execute("DELETE FROM auth_token WHERE owner = $1", &[&user.bare()])
            .map_err(pg)?;
        Ok(existed)
    }
}
