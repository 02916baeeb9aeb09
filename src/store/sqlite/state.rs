//! Key/value state of the tool and its services (`mongooseimctl_state`).

use rusqlite::{params, OptionalExtension};

use super::{sql, SqliteTx};
use crate::error::Result;
use crate::store::{StanzaCounts, StateStore, StoreFacts};

impl StateStore for SqliteTx<'_> {
    fn store_facts(&mut self) -> Result<StoreFacts> {
        let conn = self.conn();
        let one = |q: &str| conn.query_row(q, [], |r| r.get::<_, i64>(0)).map_err(sql);
        Ok(StoreFacts {
            size_bytes: one(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )?,
            users: one("SELECT COUNT(*) FROM users")?,
            schema_version: one("PRAGMA user_version")?,
        })
    }

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
