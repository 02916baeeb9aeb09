//! Dynamic domains (`domain_settings`) and their event log (`domain_events`).

use rusqlite::{params, OptionalExtension};

use super::{rows, sql, SqliteTx};
use crate::error::Result;
use crate::store::{DomainRecord, DomainStore};

impl DomainStore for SqliteTx<'_> {
    fn domain(&mut self, domain: &str) -> Result<Option<DomainRecord>> {
        self.conn()
            .prepare_cached("SELECT host_type, enabled FROM domain_settings WHERE domain = ?1")
            .and_then(|mut st| {
                st.query_row([domain], |r| {
                    Ok(DomainRecord {
                        host_type: r.get(0)?,
                        enabled: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(sql)
    }

    fn enabled_domains(&mut self, host_type: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT domain FROM domain_settings WHERE host_type = ?1 AND enabled = 1 ORDER BY id",
            )
            .map_err(sql)?;
        let out = rows(st.query_map([host_type], |r| r.get(0)).map_err(sql)?)?;
        Ok(out)
    }

    fn insert_domain(&mut self, domain: &str, host_type: &str) -> Result<()> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO domain_settings (id, domain, host_type, enabled) \
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM domain_settings), ?1, ?2, 1)",
        )
        .and_then(|mut st| st.execute(params![domain, host_type]))
        .map_err(sql)?;
        conn.prepare_cached("INSERT INTO domain_events (domain) VALUES (?1)")
            .and_then(|mut st| st.execute([domain]))
            .map_err(sql)?;
        Ok(())
    }
}
