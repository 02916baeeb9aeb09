//! Private XML storage (`private_storage`).

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::PrivateStore;

impl PrivateStore for PgTx<'_> {
    fn private(&mut self, user: &Jid, namespace: &str) -> Result<Option<String>> {
        let row = self
            .tx
            .query_opt(
                "SELECT data FROM private_storage WHERE server = $1 AND username = $2 AND namespace = $3",
                &[&user.server, &user.user, &namespace],
            )
            .map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn put_private(&mut self, user: &Jid, namespace: &str, xml: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO private_storage (server, username, namespace, data) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (server, username, namespace) DO UPDATE SET data = excluded.data",
                &[&user.server, &user.user, &namespace, &xml],
            )
            .map_err(pg)?;
        Ok(())
    }
}
