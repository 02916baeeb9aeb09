//! Accounts (`users`) and the per-account cascade. The single-account statements are
//! prepared once per run ([`PgTx::st`]); the batch forms (import_users, delete_old_users)
//! send [`BATCH`] accounts per statement as arrays (`unnest`), never a round trip per row.

use std::collections::HashSet;

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{StoredPassword, UserStore};

pub(super) use crate::store::layout::USER_TABLES;

/// Accounts per statement in the batch forms.
pub(super) const BATCH: usize = 1000;

/// `(server, username) IN` the rows of two text arrays.
const IN_PAIRS: &str = "IN (SELECT * FROM unnest($1::text[], $2::text[]))";

impl UserStore for PgTx<'_> {
    fn user_exists(&mut self, user: &Jid) -> Result<bool> {
        let st = self.st("SELECT 1 FROM users WHERE server = $1 AND username = $2")?;
        let row = self
            .tx
            .query_opt(&st, &[&user.server, &user.user])
            .map_err(pg)?;
        Ok(row.is_some())
    }

    fn password(&mut self, user: &Jid) -> Result<Option<StoredPassword>> {
        let st = self.st(
            "SELECT \"password\", pass_details FROM users WHERE server = $1 AND username = $2",
        )?;
        let row = self
            .tx
            .query_opt(&st, &[&user.server, &user.user])
            .map_err(pg)?;
        Ok(row.map(|r| StoredPassword {
            password: r.get(0),
            pass_details: r.get(1),
        }))
    }

    fn insert_user(&mut self, user: &Jid, pw: &StoredPassword) -> Result<bool> {
        let st = self.st(
            "INSERT INTO users (server, username, \"password\", pass_details) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (server, username) DO NOTHING",
        )?;
        let n = self
            .tx
            .execute(
                &st,
                &[&user.server, &user.user, &pw.password, &pw.pass_details],
            )
            .map_err(pg)?;
        Ok(n == 1)
    }

    fn set_password(&mut self, user: &Jid, pw: &StoredPassword) -> Result<bool> {
        let st = self.st(
            "UPDATE users SET \"password\" = $3, pass_details = $4 WHERE server = $1 AND username = $2",
        )?;
        let n = self
            .tx
            .execute(
                &st,
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
        let st = self.st("DELETE FROM users WHERE server = $1 AND username = $2")?;
        let existed = self
            .tx
            .execute(&st, &[&user.server, &user.user])
            .map_err(pg)?
            == 1;
        for (table, server_col, user_col) in USER_TABLES {
            // Identifiers are trusted constants.
            let q = format!("DELETE FROM {table} WHERE {server_col} = $1 AND {user_col} = $2");
            let st = self.st(&q)?;
            self.tx
                .execute(&st, &[&user.server, &user.user])
                .map_err(pg)?;
        }
        let st = self.st("DELETE FROM auth_token WHERE owner = $1")?;
        self.tx.execute(&st, &[&user.bare()]).map_err(pg)?;
        Ok(existed)
    }

    fn insert_users(&mut self, users: &[(Jid, StoredPassword)]) -> Result<Vec<bool>> {
        let st = self.st(
            "INSERT INTO users (server, username, \"password\", pass_details) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) \
             ON CONFLICT (server, username) DO NOTHING RETURNING server, username",
        )?;
        let mut out = vec![false; users.len()];
        for (chunk_no, chunk) in users.chunks(BATCH).enumerate() {
            // A later duplicate of a batch is not sent: the first one decides (as one by one).
            let mut seen: HashSet<(&str, &str)> = HashSet::with_capacity(chunk.len());
            let mut sent: Vec<usize> = Vec::with_capacity(chunk.len());
            let (mut servers, mut names, mut passwords, mut details) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (i, (jid, pw)) in chunk.iter().enumerate() {
                if seen.insert((&jid.server, &jid.user)) {
                    sent.push(i);
                    servers.push(jid.server.as_str());
                    names.push(jid.user.as_str());
                    passwords.push(pw.password.as_str());
                    details.push(pw.pass_details.as_deref());
                }
            }
            let rows = self
                .tx
                .query(&st, &[&servers, &names, &passwords, &details])
                .map_err(pg)?;
            let inserted: HashSet<(String, String)> =
                rows.into_iter().map(|r| (r.get(0), r.get(1))).collect();
            for i in sent {
                let jid = &chunk[i].0;
                out[chunk_no * BATCH + i] =
                    inserted.contains(&(jid.server.clone(), jid.user.clone()));
            }
        }
        Ok(out)
    }

    fn delete_users(&mut self, users: &[Jid]) -> Result<usize> {
        let mut existed = 0;
        for chunk in users.chunks(BATCH) {
            let servers: Vec<&str> = chunk.iter().map(|j| j.server.as_str()).collect();
            let names: Vec<&str> = chunk.iter().map(|j| j.user.as_str()).collect();
            let bare: Vec<String> = chunk.iter().map(Jid::bare).collect();
            let q = format!("DELETE FROM users WHERE (server, username) {IN_PAIRS}");
            let st = self.st(&q)?;
            existed += self.tx.execute(&st, &[&servers, &names]).map_err(pg)? as usize;
            for (table, server_col, user_col) in USER_TABLES {
                // Identifiers are trusted constants.
                let q = format!("DELETE FROM {table} WHERE ({server_col}, {user_col}) {IN_PAIRS}");
                let st = self.st(&q)?;
                self.tx.execute(&st, &[&servers, &names]).map_err(pg)?;
            }
            let st = self.st("DELETE FROM auth_token WHERE owner = ANY($1::text[])")?;
            self.tx.execute(&st, &[&bare]).map_err(pg)?;
        }
        Ok(existed)
    }
}
