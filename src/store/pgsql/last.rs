//! Last activity (`last`). `seconds` is an `integer` in MongooseIM's schema.

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::{Result, StoreError};
use crate::store::{LastActivity, LastStore};

impl LastStore for PgTx<'_> {
    fn count_active(&mut self, server: &str, cutoff: i64) -> Result<i64> {
        let row = self
            .tx
            .query_one(
                "SELECT COUNT(*) FROM last WHERE server = $1 AND seconds > $2::bigint",
                &[&server, &cutoff],
            )
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn users_with_last(&mut self, server: &str) -> Result<Vec<(String, Option<i64>)>> {
        let rows = self
            .tx
            .query(
                "SELECT u.username, l.seconds::bigint FROM users u \
                 LEFT JOIN last l ON l.server = u.server AND l.username = u.username \
                 WHERE u.server = $1 ORDER BY u.username COLLATE \"C\"",
                &[&server],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn last(&mut self, user: &Jid) -> Result<Option<LastActivity>> {
        let row = self
            .tx
            .query_opt(
                "SELECT seconds::bigint, state FROM last WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(row.map(|r| LastActivity {
            seconds: r.get(0),
            status: r.get(1),
        }))
    }

    fn set_last(&mut self, user: &Jid, last: &LastActivity) -> Result<()> {
        let seconds = i32::try_from(last.seconds).map_err(|_| {
            StoreError::Invalid(format!(
                "last.seconds {} is outside PostgreSQL's integer range",
                last.seconds
            ))
        })?;
        self.tx
            .execute(
                "INSERT INTO last (server, username, seconds, state) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (server, username) DO UPDATE SET seconds = excluded.seconds, state = excluded.state",
                &[&user.server, &user.user, &seconds, &last.status],
            )
            .map_err(pg)?;
        Ok(())
    }
}
