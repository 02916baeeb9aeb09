//! Last activity (`last`).

use rusqlite::{params, OptionalExtension};

use super::{rows, sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{LastActivity, LastStore};

impl LastStore for SqliteTx<'_> {
    fn count_active(&mut self, server: &str, cutoff: i64) -> Result<i64> {
        self.conn()
            .prepare_cached("SELECT COUNT(*) FROM last WHERE server = ?1 AND seconds > ?2")
            .and_then(|mut st| st.query_row(params![server, cutoff], |r| r.get(0)))
            .map_err(sql)
    }

    fn users_with_last(&mut self, server: &str) -> Result<Vec<(String, Option<i64>)>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT u.username, l.seconds FROM users u \
                 LEFT JOIN last l ON l.server = u.server AND l.username = u.username \
                 WHERE u.server = ?1 ORDER BY u.username",
            )
            .map_err(sql)?;
        let out = rows(
            st.query_map([server], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql)?,
        )?;
        Ok(out)
    }

    fn last(&mut self, user: &Jid) -> Result<Option<LastActivity>> {
        self.conn()
            .prepare_cached("SELECT seconds, state FROM last WHERE server = ?1 AND username = ?2")
            .and_then(|mut st| {
                st.query_row(params![user.server, user.user], |r| {
                    Ok(LastActivity {
                        seconds: r.get(0)?,
                        status: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(sql)
    }

    fn set_last(&mut self, user: &Jid, last: &LastActivity) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO last (server, username, seconds, state) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (server, username) DO UPDATE SET seconds = excluded.seconds, state = excluded.state",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user, last.seconds, last.status]))
            .map_err(sql)?;
        Ok(())
    }
}
