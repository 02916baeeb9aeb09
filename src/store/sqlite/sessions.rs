//! Sessions recorded in the store (`mongooseimctl_sessions`, DESIGN.md §2), deliveries
//! (`mongooseimctl_delivered`), offline messages and tokens.

use rusqlite::params;

use super::{rows, sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{EndedSessions, OfflineStore, SessionStore, TokenStore};

impl SessionStore for SqliteTx<'_> {
    fn count_sessions(&mut self, user: &Jid) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "SELECT COUNT(*) FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| st.query_row(params![user.server, user.user], |r| r.get(0)))
            .map_err(sql)
    }

    fn resources(&mut self, user: &Jid) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT resource FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2 \
                 ORDER BY resource",
            )
            .map_err(sql)?;
        let out = rows(
            st.query_map(params![user.server, user.user], |r| r.get(0))
                .map_err(sql)?,
        )?;
        Ok(out)
    }

    fn end_sessions(&mut self, user: &Jid) -> Result<EndedSessions> {
        let conn = self.conn();
        let had_available: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2 \
                 AND show <> 'unavailable')",
            )
            .and_then(|mut st| st.query_row(params![user.server, user.user], |r| r.get(0)))
            .map_err(sql)?;
        let count = conn
            .prepare_cached(
                "DELETE FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user]))
            .map_err(sql)?;
        Ok(EndedSessions {
            count,
            had_available,
        })
    }

    fn deliver(&mut self, user: &Jid, from: &str, packet: &str, at: i64) -> Result<usize> {
        self.conn()
            .prepare_cached(
                "INSERT INTO mongooseimctl_delivered (server, username, resource, from_jid, packet, delivered_at) \
                 SELECT server, username, resource, ?3, ?4, ?5 FROM mongooseimctl_sessions \
                 WHERE server = ?1 AND username = ?2 ORDER BY resource",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user, from, packet, at]))
            .map_err(sql)
    }
}

impl OfflineStore for SqliteTx<'_> {
    fn delete_expired_offline(&mut self, server: &str, now: i64) -> Result<usize> {
        self.conn()
            .prepare_cached(
                "DELETE FROM offline_message WHERE server = ?1 AND expire IS NOT NULL AND expire < ?2",
            )
            .and_then(|mut st| st.execute(params![server, now]))
            .map_err(sql)
    }

    fn delete_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize> {
        self.conn()
            .prepare_cached("DELETE FROM offline_message WHERE server = ?1 AND timestamp < ?2")
            .and_then(|mut st| st.execute(params![server, cutoff]))
            .map_err(sql)
    }
}

impl TokenStore for SqliteTx<'_> {
    fn revoke_tokens(&mut self, owner: &str) -> Result<bool> {
        self.conn()
            .prepare_cached("UPDATE auth_token SET seq_no = seq_no + 1 WHERE owner = ?1")
            .and_then(|mut st| st.execute([owner]))
            .map(|n| n > 0)
            .map_err(sql)
    }
}
