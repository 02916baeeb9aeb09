//! Key/value state of the tool and its services (`mongooseimctl_state`).

use rusqlite::{params, OptionalExtension};

use super::{sql, SqliteTx};
use crate::error::Result;
use crate::store::StateStore;

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
}
