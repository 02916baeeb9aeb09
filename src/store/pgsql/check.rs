//! The consistency checks of `check_store` on PostgreSQL ([`CheckStore`]).
//!
//! PostgreSQL has no `PRAGMA integrity_check`; page-level damage is the server's business
//! (checksums, `amcheck`). What a client can verify, and what breaks our commands when it is
//! wrong, is the schema: [`CheckStore::integrity`] checks that every MongooseIM table we use
//! and every table of ours exists with each column our DDL declares (name and type, a
//! varchar's length included: the column limits of `store::limits` assume them), that the
//! unique keys our upserts (`ON CONFLICT`) need exist, that none of their indexes is invalid
//! (a failed `CREATE INDEX CONCURRENTLY`), and that our schema version is this build's.
//! The expected schema is read from the DDL files themselves (`sql/mongooseim_5.1.sql`,
//! `sql/ctl_*.sql`), so there is one source. Extra columns and indexes are fine (a later
//! MongooseIM may add some). The other checks are the SQLite ones, with the same order.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::migrate::{MIGRATIONS, MONGOOSEIM_SCHEMA, MONGOOSEIM_TABLES};
use super::{pg, PgTx};
use crate::error::Result;
use crate::store::layout::USER_TABLES;
use crate::store::{CheckStore, OrphanGroup, OrphanRows, RawPassword, UserKey};

/// A table as our DDL declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableSpec {
    pub name: String,
    /// Column names with their type as PostgreSQL's `format_type` prints it.
    pub columns: Vec<(String, String)>,
    /// Unique keys (primary key, UNIQUE, unique indexes): column names, sorted.
    pub unique: Vec<Vec<String>>,
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').to_string()
}

/// A declared type as `format_type` prints it.
fn canonical_type(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    if let Some(n) = t.strip_prefix("varchar(").and_then(|r| r.strip_suffix(')')) {
        return format!("character varying({n})");
    }
    match t.as_str() {
        "int" | "int4" | "integer" | "serial" => "integer".into(),
        "bigint" | "int8" | "bigserial" => "bigint".into(),
        "timestamp" => "timestamp without time zone".into(),
        "timestamptz" => "timestamp with time zone".into(),
        _ => t,
    }
}

/// The column names of a `(a, b, c)` list, sorted.
fn column_set(list: &str) -> Vec<String> {
    let inner = list
        .split_once('(')
        .and_then(|(_, r)| r.rsplit_once(')'))
        .map(|(l, _)| l)
        .unwrap_or("");
    let mut cols: Vec<String> = inner.split(',').map(unquote).collect();
    cols.sort();
    cols
}

/// The tables of a DDL text (our own files: one column or key per line, `);` closing).
pub(crate) fn parse_ddl(ddl: &str) -> Vec<TableSpec> {
    let mut tables: Vec<TableSpec> = Vec::new();
    let mut open = false;
    for raw in ddl.lines() {
        let line = raw.split("--").next().unwrap_or("").trim();
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            let rest = rest.strip_prefix("IF NOT EXISTS ").unwrap_or(rest);
            let name = rest.split([' ', '(']).next().unwrap_or("");
            tables.push(TableSpec {
                name: unquote(name),
                columns: Vec::new(),
                unique: Vec::new(),
            });
            open = true;
            continue;
        }
        if line.starts_with("CREATE UNIQUE INDEX ") {
            // CREATE UNIQUE INDEX name ON table [USING btree] (cols);
            let table = line
                .split_once(" ON ")
                .and_then(|(_, r)| r.split([' ', '(']).next())
                .map(unquote);
            if let Some(t) = tables.iter_mut().find(|t| Some(&t.name) == table.as_ref()) {
                t.unique.push(column_set(line));
            }
            continue;
        }
        if !open {
            continue;
        }
        if line.starts_with(')') {
            open = false;
            continue;
        }
        let Some(table) = tables.last_mut() else {
            continue;
        };
        let line = line.trim_end_matches(',');
        if line.starts_with("PRIMARY KEY") || line.starts_with("UNIQUE") {
            table.unique.push(column_set(line));
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(name), Some(ty)) = (words.next(), words.next()) else {
            continue;
        };
        let name = unquote(name);
        let rest = line.to_ascii_uppercase();
        if rest.contains(" PRIMARY KEY") || rest.contains(" UNIQUE") {
            table.unique.push(vec![name.clone()]);
        }
        table.columns.push((name, canonical_type(ty)));
    }
    tables
}

/// The tables `integrity` checks: MongooseIM's that we use, then ours.
fn expected_tables() -> Vec<TableSpec> {
    let mut out: Vec<TableSpec> = parse_ddl(MONGOOSEIM_SCHEMA)
        .into_iter()
        .filter(|t| MONGOOSEIM_TABLES.contains(&t.name.as_str()))
        .collect();
    for m in MIGRATIONS {
        out.extend(parse_ddl(m));
    }
    out
}

fn key(server: String, username: String) -> UserKey {
    UserKey { server, username }
}

impl PgTx<'_> {
    fn check_table(&mut self, spec: &TableSpec, found: &mut Vec<String>) -> Result<()> {
        let t = &spec.name;
        let exists: bool = self
            .tx
            .query_one("SELECT to_regclass(quote_ident($1)) IS NOT NULL", &[t])
            .map_err(pg)?
            .get(0);
        if !exists {
            found.push(format!("table \"{t}\" is missing"));
            return Ok(());
        }
        let columns: Vec<(String, String)> = self
            .tx
            .query(
                "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
                 WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped",
                &[t],
            )
            .map_err(pg)?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for (name, ty) in &spec.columns {
            match columns.iter().find(|(n, _)| n == name) {
                None => found.push(format!("table \"{t}\": column \"{name}\" is missing")),
                Some((_, have)) if have != ty => found.push(format!(
                    "table \"{t}\": column \"{name}\" is {have}, expected {ty}"
                )),
                Some(_) => {}
            }
        }
        let indexes: Vec<(String, bool, bool, Vec<String>)> = self
            .tx
            .query(
                "SELECT c.relname::text, i.indisunique AND i.indpred IS NULL, i.indisvalid, \
                   ARRAY(SELECT a.attname::text FROM pg_attribute a \
                         WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) ORDER BY 1) \
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 WHERE i.indrelid = to_regclass(quote_ident($1)) ORDER BY c.relname COLLATE \"C\"",
                &[t],
            )
            .map_err(pg)?
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        for cols in &spec.unique {
            let present = indexes
                .iter()
                .any(|(_, unique, valid, c)| *unique && *valid && c == cols);
            if !present {
                found.push(format!(
                    "table \"{t}\": no unique index on ({}), which mongooseimctl's writes need",
                    cols.join(", ")
                ));
            }
        }
        for (name, _, valid, _) in &indexes {
            if !valid {
                found.push(format!(
                    "table \"{t}\": index \"{name}\" is invalid (rebuild it with REINDEX)"
                ));
            }
        }
        Ok(())
    }
}

impl CheckStore for PgTx<'_> {
    fn integrity(&mut self) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for spec in expected_tables() {
            self.check_table(&spec, &mut found)?;
        }
        let version: i64 = self
            .tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::bigint FROM mongooseimctl_schema",
                &[],
            )
            .map_err(pg)?
            .get(0);
        let want = MIGRATIONS.len() as i64;
        if version != want {
            found.push(format!(
                "mongooseimctl schema version {version}, expected {want}"
            ));
        }
        Ok(found)
    }

    fn orphans(&mut self, table: &'static str) -> Result<Vec<OrphanRows>> {
        let Some(&(table, server, user)) = USER_TABLES.iter().find(|(t, _, _)| *t == table) else {
            return Ok(Vec::new());
        };
        // Identifiers are trusted constants.
        let q = format!(
            "SELECT t.{server}::text, t.{user}::text, COUNT(*) FROM {table} t WHERE NOT EXISTS \
             (SELECT 1 FROM users u WHERE u.server = t.{server} AND u.username = t.{user}) \
             GROUP BY t.{server}, t.{user} ORDER BY t.{server} COLLATE \"C\", t.{user} COLLATE \"C\""
        );
        let rows = self.tx.query(q.as_str(), &[]).map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| OrphanRows {
                table,
                user: key(r.get(0), r.get(1)),
                rows: r.get(2),
            })
            .collect())
    }

    fn orphan_groups(&mut self) -> Result<Vec<OrphanGroup>> {
        // Group rows in write order (ctid, as roster.rs).
        let rows = self
            .tx
            .query(
                "SELECT g.server::text, g.username::text, g.jid, g.grp FROM rostergroups g \
                 WHERE EXISTS (SELECT 1 FROM users u WHERE u.server = g.server AND u.username = g.username) \
                 AND NOT EXISTS (SELECT 1 FROM rosterusers r \
                   WHERE r.server = g.server AND r.username = g.username AND r.jid = g.jid) \
                 ORDER BY g.ctid",
                &[],
            )
            .map_err(pg)?;
        Ok(rows
            .into_iter()
            .map(|r| OrphanGroup {
                owner: key(r.get(0), r.get(1)),
                contact: r.get(2),
                group: r.get(3),
            })
            .collect())
    }

    fn each_password(&mut self, each: &mut dyn FnMut(&UserKey, RawPassword<'_>)) -> Result<()> {
        let none: [&(dyn ToSql + Sync); 0] = [];
        let mut rows = self
            .tx
            .query_raw(
                "SELECT server::text, username::text, \"password\", pass_details FROM users \
                 ORDER BY server COLLATE \"C\", username COLLATE \"C\"",
                none,
            )
            .map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            let user = key(r.try_get(0).map_err(pg)?, r.try_get(1).map_err(pg)?);
            let password: &str = r.try_get(2).map_err(pg)?;
            let details: Option<&str> = r.try_get(3).map_err(pg)?;
            each(
                &user,
                RawPassword {
                    password: password.as_bytes(),
                    pass_details: details.map(str::as_bytes),
                },
            );
        }
        Ok(())
    }

    fn each_vcard(&mut self, each: &mut dyn FnMut(&UserKey, &[u8])) -> Result<()> {
        let none: [&(dyn ToSql + Sync); 0] = [];
        let mut rows = self
            .tx
            .query_raw(
                "SELECT server::text, username::text, vcard FROM vcard \
                 ORDER BY server COLLATE \"C\", username COLLATE \"C\"",
                none,
            )
            .map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            let user = key(r.try_get(0).map_err(pg)?, r.try_get(1).map_err(pg)?);
            let xml: &str = r.try_get(2).map_err(pg)?;
            each(&user, xml.as_bytes());
        }
        Ok(())
    }

    fn each_private(&mut self, each: &mut dyn FnMut(&UserKey, &str, &[u8])) -> Result<()> {
        let none: [&(dyn ToSql + Sync); 0] = [];
        let mut rows = self
            .tx
            .query_raw(
                "SELECT server::text, username::text, namespace::text, data FROM private_storage \
                 ORDER BY server COLLATE \"C\", username COLLATE \"C\", namespace COLLATE \"C\"",
                none,
            )
            .map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            let user = key(r.try_get(0).map_err(pg)?, r.try_get(1).map_err(pg)?);
            let namespace: &str = r.try_get(2).map_err(pg)?;
            let xml: &str = r.try_get(3).map_err(pg)?;
            each(&user, namespace, xml.as_bytes());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ddl_gives_every_checked_table_with_its_columns_and_keys() {
        let tables = expected_tables();
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        for t in MONGOOSEIM_TABLES {
            assert!(names.contains(&t), "{t}");
        }
        assert!(names.contains(&"mongooseimctl_sessions"), "{names:?}");
        let users = tables.iter().find(|t| t.name == "users").unwrap();
        assert_eq!(
            users.columns,
            [
                ("username", "character varying(250)"),
                ("server", "character varying(250)"),
                ("password", "text"),
                ("pass_details", "text"),
                ("created_at", "timestamp without time zone"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(users.unique, [["server", "username"]]);
        let roster = tables.iter().find(|t| t.name == "rosterusers").unwrap();
        assert_eq!(roster.unique, [["jid", "server", "username"]]);
        let offline = tables.iter().find(|t| t.name == "offline_message").unwrap();
        assert_eq!(offline.columns[0], ("id".into(), "integer".into()));
        assert_eq!(offline.unique, [["id"]]);
        let domains = tables.iter().find(|t| t.name == "domain_settings").unwrap();
        assert_eq!(
            domains.unique,
            [vec!["id".to_string()], vec!["domain".into()]]
        );
        let state = tables
            .iter()
            .find(|t| t.name == "mongooseimctl_state")
            .unwrap();
        assert_eq!(state.unique, [["k"]]);
    }
}
