//! Private XML storage (`private_storage`).

use rusqlite::{params, OptionalExtension};

use super::{sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::PrivateStore;

impl PrivateStore for SqliteTx<'_> {
    fn private(&mut self, user: &Jid, namespace: &str) -> Result<Option<String>> {
        self.conn()
            .prepare_cached(
                "SELECT data FROM private_storage WHERE server = ?1 AND username = ?2 AND namespace = ?3",
            )
            .and_then(|mut st| {
                st.query_row(params![user.server, user.user, namespace], |r| r.get(0))
                    .optional()
            })
            .map_err(sql)
    }

    fn put_private(&mut self, user: &Jid, namespace: &str, xml: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO private_storage (server, username, namespace, data) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (server, username, namespace) DO UPDATE SET data = excluded.data",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user, namespace, xml]))
            .map_err(sql)?;
        Ok(())
    }
}
