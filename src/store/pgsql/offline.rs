//! Offline messages (`offline_message`, ids from its SERIAL) and tokens (`auth_token`).

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{OfflineMessage, OfflineStore, TokenStore};

impl OfflineStore for PgTx<'_> {
    fn delete_expired_offline(&mut self, server: &str, now: i64) -> Result<usize> {
        let n = self
            .tx
            .execute(
                "DELETE FROM offline_message WHERE server = $1 AND expire IS NOT NULL AND expire < $2",
                &[&server, &now],
            )
            .map_err(pg)?;
        Ok(n as usize)
    }

    fn delete_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize> {
        let n = self
            .tx
            .execute(
                "DELETE FROM offline_message WHERE server = $1 AND timestamp < $2",
                &[&server, &cutoff],
            )
            .map_err(pg)?;
        Ok(n as usize)
    }

    fn count_expired_offline(&mut self, server: &str, now: i64) -> Result<usize> {
        let row = self
            .tx
            .query_one(
                "SELECT COUNT(*) FROM offline_message \
                 WHERE server = $1 AND expire IS NOT NULL AND expire < $2",
                &[&server, &now],
            )
            .map_err(pg)?;
        Ok(row.get::<_, i64>(0) as usize)
    }

    fn count_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize> {
        let row = self
            .tx
            .query_one(
                "SELECT COUNT(*) FROM offline_message WHERE server = $1 AND timestamp < $2",
                &[&server, &cutoff],
            )
            .map_err(pg)?;
        Ok(row.get::<_, i64>(0) as usize)
    }

    fn store_offline(&mut self, m: &OfflineMessage) -> Result<i64> {
        let row = self
            .tx
            .query_one(
                "INSERT INTO offline_message \
                 (timestamp, expire, server, username, from_jid, packet, permanent_fields) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::bigint",
                &[
                    &m.timestamp,
                    &m.expire,
                    &m.to.server,
                    &m.to.user,
                    &m.from,
                    &m.packet,
                    &m.permanent_fields,
                ],
            )
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn count_offline(&mut self, user: &Jid) -> Result<i64> {
        let row = self
            .tx
            .query_one(
                "SELECT COUNT(*) FROM offline_message WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn offline_messages(&mut self, user: &Jid) -> Result<Vec<OfflineMessage>> {
        let rows = self
            .tx
            .query(
                "SELECT id::bigint, username, server, timestamp, expire, from_jid, packet, \
                 COALESCE(permanent_fields, '\\x'::bytea) FROM offline_message \
                 WHERE server = $1 AND username = $2 ORDER BY id",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| OfflineMessage {
                id: r.get(0),
                to: Jid {
                    user: r.get(1),
                    server: r.get(2),
                    resource: String::new(),
                },
                timestamp: r.get(3),
                expire: r.get(4),
                from: r.get(5),
                packet: r.get(6),
                permanent_fields: r.get(7),
            })
            .collect())
    }
}

impl TokenStore for PgTx<'_> {
    fn revoke_tokens(&mut self, owner: &str) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "UPDATE auth_token SET seq_no = seq_no + 1 WHERE owner = $1",
                &[&owner],
            )
            .map_err(pg)?;
        Ok(n > 0)
    }
}
