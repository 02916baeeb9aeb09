//! Dynamic domains (`domain_settings`, `domain_events`): ids come from MongooseIM's
//! BIGSERIAL sequences, `enabled` is a boolean.

use super::{pg, PgTx};
use crate::error::Result;
use crate::store::{DomainRecord, DomainStore, PurgedDomain};

use crate::store::layout::DOMAIN_TABLES;

impl PgTx<'_> {
    fn domain_event(&mut self, domain: &str) -> Result<()> {
        self.tx
            .execute("INSERT INTO domain_events (domain) VALUES ($1)", &[&domain])
            .map_err(pg)?;
        Ok(())
    }
}

impl DomainStore for PgTx<'_> {
    fn domain(&mut self, domain: &str) -> Result<Option<DomainRecord>> {
        let row = self
            .tx
            .query_opt(
                "SELECT host_type, enabled FROM domain_settings WHERE domain = $1",
                &[&domain],
            )
            .map_err(pg)?;
        Ok(row.map(|r| DomainRecord {
            host_type: r.get(0),
            enabled: r.get(1),
        }))
    }

    fn enabled_domains(&mut self, host_type: &str) -> Result<Vec<String>> {
        let rows = self
            .tx
            .query(
                "SELECT domain FROM domain_settings WHERE host_type = $1 AND enabled ORDER BY id",
                &[&host_type],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    fn insert_domain(&mut self, domain: &str, host_type: &str) -> Result<()> {
        // MongooseIM's own statement: id and enabled from the column defaults.
        self.tx
            .execute(
                "INSERT INTO domain_settings (domain, host_type) VALUES ($1, $2)",
                &[&domain, &host_type],
            )
            .map_err(pg)?;
        self.domain_event(domain)
    }

    fn delete_domain_row(&mut self, domain: &str) -> Result<bool> {
        let n = self
            .tx
            .execute("DELETE FROM domain_settings WHERE domain = $1", &[&domain])
            .map_err(pg)?;
        if n == 1 {
            self.domain_event(domain)?;
        }
        Ok(n == 1)
    }

    fn set_domain_enabled(&mut self, domain: &str, enabled: bool) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "UPDATE domain_settings SET enabled = $2 WHERE domain = $1",
                &[&domain, &enabled],
            )
            .map_err(pg)?;
        if n == 1 {
            self.domain_event(domain)?;
        }
        Ok(n == 1)
    }

    fn purge_domain(&mut self, domain: &str) -> Result<PurgedDomain> {
        let mut purged = PurgedDomain::default();
        for (table, column) in DOMAIN_TABLES {
            let q = format!("DELETE FROM {table} WHERE {column} = $1");
            let n = self.tx.execute(q.as_str(), &[&domain]).map_err(pg)? as usize;
            match *table {
                "users" => purged.accounts = n,
                "mongooseimctl_sessions" => purged.sessions = n,
                _ => {}
            }
        }
        Ok(purged)
    }

    fn max_domain_event(&mut self) -> Result<Option<i64>> {
        let row = self
            .tx
            .query_one("SELECT MAX(id) FROM domain_events", &[])
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn delete_domain_events_below(&mut self, id: i64) -> Result<usize> {
        let n = self
            .tx
            .execute("DELETE FROM domain_events WHERE id < $1", &[&id])
            .map_err(pg)?;
        Ok(n as usize)
    }
}
