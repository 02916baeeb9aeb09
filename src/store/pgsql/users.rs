//! Accounts (`users`) and the per-account cascade. The single-account statements are
//! prepared once per run ([`PgTx::st`]); the batch forms (import_users, delete_old_users)
//! send [`BATCH`] accounts per statement as arrays (`unnest`), never a round trip per row.

use std::collections::HashSet;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::Type;

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
        // The first entry of an account decides (as one by one); the ones already stored
        // are found with one primary-key lookup per batch, and the new rows go in with one
        // binary COPY, in a savepoint: COPY has no ON CONFLICT, so if another writer (a
        // MongooseIM node registering) inserted one of them meanwhile, the savepoint is
        // rolled back and the upserting batches below decide instead. An upsert costs about
        // twice a plain insert, so the COPY keeps import_users near a plain \copy.
        let mut first: HashSet<(&str, &str)> = HashSet::with_capacity(users.len());
        let candidates: Vec<usize> = (0..users.len())
            .filter(|&i| first.insert((&users[i].0.server, &users[i].0.user)))
            .collect();
        let mut stored: HashSet<(String, String)> = HashSet::new();
        let st = self.st("SELECT server::text, username::text FROM users \
             WHERE (server, username) IN (SELECT * FROM unnest($1::text[], $2::text[]))")?;
        for chunk in candidates.chunks(BATCH) {
            let servers: Vec<&str> = chunk.iter().map(|&i| users[i].0.server.as_str()).collect();
            let names: Vec<&str> = chunk.iter().map(|&i| users[i].0.user.as_str()).collect();
            for r in self.tx.query(&st, &[&servers, &names]).map_err(pg)? {
                stored.insert((r.get(0), r.get(1)));
            }
        }
        let new: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| !stored.contains(&(users[i].0.server.clone(), users[i].0.user.clone())))
            .collect();
        match self.copy_users(users, &new) {
            Ok(()) => {
                let mut out = vec![false; users.len()];
                for i in new {
                    out[i] = true;
                }
                Ok(out)
            }
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => self.upsert_users(users),
            Err(e) => Err(pg(e)),
        }
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

impl PgTx<'_> {
    /// COPY the accounts `users[i]` for `i` in `which` into `users`, in a savepoint (rolled
    /// back on any error, which is returned as the driver's).
    fn copy_users(
        &mut self,
        users: &[(Jid, StoredPassword)],
        which: &[usize],
    ) -> std::result::Result<(), postgres::Error> {
        if which.is_empty() {
            return Ok(());
        }
        // A savepoint in plain SQL: the same on a transaction of our own and inside a
        // batch's outer transaction.
        self.tx.batch_execute("SAVEPOINT mimctl_import")?;
        let copied = (|| {
            let sink = self.tx.copy_in(
                "COPY users (server, username, \"password\", pass_details) FROM STDIN (FORMAT binary)",
            )?;
            let types = [Type::VARCHAR, Type::VARCHAR, Type::TEXT, Type::TEXT];
            let mut w = BinaryCopyInWriter::new(sink, &types);
            for &i in which {
                let (jid, pw) = &users[i];
                w.write(&[&jid.server, &jid.user, &pw.password, &pw.pass_details])?;
            }
            w.finish().map(|_| ())
        })();
        match copied {
            Ok(()) => self.tx.batch_execute("RELEASE SAVEPOINT mimctl_import"),
            Err(e) => {
                self.tx.batch_execute(
                    "ROLLBACK TO SAVEPOINT mimctl_import; RELEASE SAVEPOINT mimctl_import",
                )?;
                Err(e)
            }
        }
    }

    /// The upserting form of [`UserStore::insert_users`]: [`BATCH`] rows per `INSERT … ON
    /// CONFLICT DO NOTHING RETURNING`, the returned keys telling which were inserted.
    fn upsert_users(&mut self, users: &[(Jid, StoredPassword)]) -> Result<Vec<bool>> {
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
}
