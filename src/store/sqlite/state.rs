//! Key/value state of the tool and its services (`mongooseimctl_state`).

use rusqlite::{params, OptionalExtension};

use super::{sql, SqliteTx};
use crate::error::Result;
use crate::store::{StanzaCounts, StateStore};

impl StateStore for SqliteTx<'_> {
    fn state(&mut self, key: &str) -> Result<Option<String>> {
        self.conn()
            .prepare_cached("SELECT v FROM mongooseimctl_state WHERE k = ?1")
            .and_then(|mut st| st.query_row([key], |r| r.get(0)).optional())
            .map_err(sql)
    }

    fn set_state(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO mongooseimctl_state (k, v) VALUES (?1, ?2) \
                 ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            )
            .and_then(|mut st| st.execute(params![key, value]))
            .map_err(sql)?;
        Ok(())
    }

    fn cluster_id(&mut self) -> Result<Option<String>> {
        self.conn()
            .prepare_cached("SELECT v FROM mongoose_cluster_id WHERE k = 'cluster_id'")
            .and_then(|mut st| {
                st.query_row([], |r| r.get::<_, Option<String>>(0))
                    .optional()
            })
            .map(Option::flatten)
            .map_err(sql)
    }

    fn offer_cluster_id(&mut self, id: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO mongoose_cluster_id (k, v) VALUES ('cluster_id', ?1) \
                 ON CONFLICT (k) DO NOTHING",
            )
            .and_then(|mut st| st.execute([id]))
            .map_err(sql)?;
        Ok(())
    }

    fn pending_stanzas(&mut self) -> &mut StanzaCounts {
        &mut self.pending
    }
}
