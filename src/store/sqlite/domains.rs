//! Dynamic domains (`domain_settings`), their event log (`domain_events`) and the removal of
//! a domain's data (store.md §5).

use rusqlite::{params, OptionalExtension};

use super::{rows, sql, SqliteTx};
use crate::error::Result;
use crate::store::{DomainRecord, DomainStore, PurgedDomain};

use crate::store::layout::DOMAIN_TABLES;

impl SqliteTx<'_> {
    fn domain_event(&self, domain: &str) -> Result<()> {
        self.conn()
            .prepare_cached("INSERT INTO domain_events (domain) VALUES (?1)")
            .and_then(|mut st| st.execute([domain]))
            .map_err(sql)?;
        Ok(())
    }
}

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
        self.conn()
            .prepare_cached(
                "INSERT INTO domain_settings (id, domain, host_type, enabled) \
                 VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM domain_settings), ?1, ?2, 1)",
            )
            .and_then(|mut st| st.execute(params![domain, host_type]))
            .map_err(sql)?;
        self.domain_event(domain)
    }

    fn delete_domain_row(&mut self, domain: &str) -> Result<bool> {
        let n = self
            .conn()
            .prepare_cached("DELETE FROM domain_settings WHERE domain = ?1")
            .and_then(|mut st| st.execute([domain]))
            .map_err(sql)?;
        if n == 1 {
            self.domain_event(domain)?;
        }
        Ok(n == 1)
    }

    fn set_domain_enabled(&mut self, domain: &str, enabled: bool) -> Result<bool> {
        let n = self
            .conn()
            .prepare_cached("UPDATE domain_settings SET enabled = ?2 WHERE domain = ?1")
            .and_then(|mut st| st.execute(params![domain, enabled]))
            .map_err(sql)?;
        if n == 1 {
            self.domain_event(domain)?;
        }
        Ok(n == 1)
    }

    fn purge_domain(&mut self, domain: &str) -> Result<PurgedDomain> {
        let mut purged = PurgedDomain::default();
        for (table, column) in DOMAIN_TABLES {
            // Identifiers are trusted constants.
            let q = format!("DELETE FROM {table} WHERE {column} = ?1");
            let n = self
                .conn()
                .prepare_cached(&q)
                .and_then(|mut st| st.execute([domain]))
                .map_err(sql)?;
            match *table {
                "users" => purged.accounts = n,
                "mongooseimctl_sessions" => purged.sessions = n,
                _ => {}
            }
        }
        Ok(purged)
    }

    fn max_domain_event(&mut self) -> Result<Option<i64>> {
        self.conn()
            .prepare_cached("SELECT MAX(id) FROM domain_events")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(sql)
    }

    fn delete_domain_events_below(&mut self, id: i64) -> Result<usize> {
        self.conn()
            .prepare_cached("DELETE FROM domain_events WHERE id < ?1")
            .and_then(|mut st| st.execute([id]))
            .map_err(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table the purge deletes from has an index (or primary key) whose first column is
    /// the domain column, so `DELETE … WHERE server = ?` is a range deletion.
    #[test]
    fn every_purged_table_is_indexed_by_its_domain_column() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::super::migrate::migrate(&mut conn).unwrap();
        for (table, column) in DOMAIN_TABLES {
            let mut st = conn
                .prepare(&format!(
                    "EXPLAIN QUERY PLAN DELETE FROM {table} WHERE {column} = 'x'"
                ))
                .unwrap();
            let plan: Vec<String> = st
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            assert!(
                plan.iter().any(|p| p.starts_with("SEARCH")),
                "{table}: {plan:?}"
            );
        }
    }
}
