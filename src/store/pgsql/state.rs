//! Key/value state (`mongooseimctl_state`).

use super::{pg, PgTx};
use crate::error::Result;
use crate::store::{StanzaCounts, StateStore, StoreFacts};

impl StateStore for PgTx<'_> {
    fn store_facts(&mut self) -> Result<StoreFacts> {
        let row = self
            .tx
            .query_one(
                "SELECT pg_database_size(current_database())::bigint, \
                        (SELECT COUNT(*) FROM users)::bigint, \
                        (SELECT COALESCE(MAX(version), 0) FROM mongooseimctl_schema)::bigint",
                &[],
            )
            .map_err(pg)?;
        Ok(StoreFacts {
            size_bytes: row.get(0),
            users: row.get(1),
            schema_version: row.get(2),
        })
    }

    fn state(&mut self, key: &str) -> Result<Option<String>> {
        let row = self
            .tx
            .query_opt("SELECT v FROM mongooseimctl_state WHERE k = $1", &[&key])
            .map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn set_state(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO mongooseimctl_state (k, v) VALUES ($1, $2) \
                 ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                &[&key, &value],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn cluster_id(&mut self) -> Result<Option<String>> {
        let row = self
            .tx
            .query_opt(
                "SELECT v FROM mongoose_cluster_id WHERE k = 'cluster_id'",
                &[],
            )
            .map_err(pg)?;
        Ok(row.and_then(|r| r.get::<_, Option<String>>(0)))
    }

    fn offer_cluster_id(&mut self, id: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO mongoose_cluster_id (k, v) VALUES ('cluster_id', $1) \
                 ON CONFLICT (k) DO NOTHING",
                &[&id],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn pending_stanzas(&mut self) -> &mut StanzaCounts {
        &mut self.pending
    }
}
