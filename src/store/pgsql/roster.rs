//! Rosters (`rosterusers`, `rostergroups`, `roster_version`).
//!
//! Store order: MongooseIM's schema has no insertion-order column, so an item's place is its
//! `created_at` (written by us strictly increasing per owner: `clock_timestamp()`, or one
//! microsecond after the owner's latest item; an upsert keeps it), then its physical place
//! (`ctid`) for rows written by others in one instant (one multi-row INSERT keeps its order,
//! as SQLite's rowid does). Groups: their physical order (`ctid`),
//! which is the order they were written, since a group row is only ever inserted or deleted.

use std::collections::{HashMap, HashSet};

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::{Result, StoreError};
use crate::store::codes::{ask_code, ask_of, sub_code, sub_of};
use crate::store::{Ask, RosterItem, RosterStore, Subscription, TemplateContact};

const ITEM_COLUMNS: &str = "server, username, jid, nick, subscription, ask, askmessage";
const ORDER: &str = "created_at, ctid";

fn item_row(r: &postgres::Row) -> RosterItem {
    let sub: String = r.get(4);
    let ask: String = r.get(5);
    RosterItem {
        owner: Jid {
            server: r.get(0),
            user: r.get(1),
            resource: String::new(),
        },
        contact: r.get(2),
        nick: r.get(3),
        subscription: sub_of(&sub),
        ask: ask_of(&ask),
        askmessage: r.get(6),
        groups: Vec::new(),
    }
}

impl PgTx<'_> {
    fn groups_of(&mut self, owner: &Jid, contact: &str) -> Result<Vec<String>> {
        let rows = self
            .tx
            .query(
                "SELECT grp FROM rostergroups WHERE server = $1 AND username = $2 AND jid = $3 ORDER BY ctid",
                &[&owner.server, &owner.user, &contact],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }
}

impl RosterStore for PgTx<'_> {
    fn put_item(&mut self, item: &RosterItem) -> Result<()> {
        let o = &item.owner;
        self.tx
            .execute(
                "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage, created_at) \
                 VALUES ($1::text, $2::text, $3, $4, $5, $6, $7, GREATEST(clock_timestamp()::timestamp, \
                   (SELECT MAX(created_at) + interval '1 microsecond' FROM rosterusers \
                    WHERE server = $1::text AND username = $2::text))) \
                 ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
                 subscription = excluded.subscription, ask = excluded.ask, askmessage = excluded.askmessage",
                &[
                    &o.server,
                    &o.user,
                    &item.contact,
                    &item.nick,
                    &sub_code(item.subscription),
                    &ask_code(item.ask),
                    &item.askmessage,
                ],
            )
            .map_err(pg)?;
        self.tx
            .execute(
                "DELETE FROM rostergroups WHERE server = $1 AND username = $2 AND jid = $3",
                &[&o.server, &o.user, &item.contact],
            )
            .map_err(pg)?;
        let groups: Vec<&str> = item
            .groups
            .iter()
            .filter(|g| !g.is_empty())
            .map(String::as_str)
            .collect();
        if !groups.is_empty() {
            self.tx
                .execute(
                    "INSERT INTO rostergroups (server, username, jid, grp) \
                     SELECT $1, $2, $3, g FROM unnest($4::text[]) WITH ORDINALITY AS t(g, i) ORDER BY i",
                    &[&o.server, &o.user, &item.contact, &groups],
                )
                .map_err(pg)?;
        }
        Ok(())
    }

    fn set_item_state(
        &mut self,
        owner: &Jid,
        contact: &str,
        subscription: Subscription,
        ask: Ask,
    ) -> Result<()> {
        self.tx
            .execute(
                "UPDATE rosterusers SET subscription = $4, ask = $5 \
                 WHERE server = $1 AND username = $2 AND jid = $3",
                &[
                    &owner.server,
                    &owner.user,
                    &contact,
                    &sub_code(subscription),
                    &ask_code(ask),
                ],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn delete_item(&mut self, owner: &Jid, contact: &str) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "DELETE FROM rosterusers WHERE server = $1 AND username = $2 AND jid = $3",
                &[&owner.server, &owner.user, &contact],
            )
            .map_err(pg)?;
        self.tx
            .execute(
                "DELETE FROM rostergroups WHERE server = $1 AND username = $2 AND jid = $3",
                &[&owner.server, &owner.user, &contact],
            )
            .map_err(pg)?;
        Ok(n > 0)
    }

    fn item(&mut self, owner: &Jid, contact: &str) -> Result<Option<RosterItem>> {
        let row = self
            .tx
            .query_opt(
                format!(
                    "SELECT {ITEM_COLUMNS} FROM rosterusers WHERE server = $1 AND username = $2 AND jid = $3"
                )
                .as_str(),
                &[&owner.server, &owner.user, &contact],
            )
            .map_err(pg)?;
        let Some(row) = row else { return Ok(None) };
        let mut item = item_row(&row);
        item.groups = self.groups_of(owner, contact)?;
        Ok(Some(item))
    }

    fn item_state(&mut self, owner: &Jid, contact: &str) -> Result<Option<(Subscription, Ask)>> {
        let row = self
            .tx
            .query_opt(
                "SELECT subscription, ask FROM rosterusers WHERE server = $1 AND username = $2 AND jid = $3",
                &[&owner.server, &owner.user, &contact],
            )
            .map_err(pg)?;
        Ok(row.map(|r| {
            let (s, a): (String, String) = (r.get(0), r.get(1));
            (sub_of(&s), ask_of(&a))
        }))
    }

    fn items(&mut self, owner: &Jid) -> Result<Vec<RosterItem>> {
        let rows = self
            .tx
            .query(
                format!(
                    "SELECT {ITEM_COLUMNS} FROM rosterusers WHERE server = $1 AND username = $2 ORDER BY {ORDER}"
                )
                .as_str(),
                &[&owner.server, &owner.user],
            )
            .map_err(pg)?;
        let mut items: Vec<RosterItem> = rows.iter().map(item_row).collect();
        // One query for every group of the owner, in written order.
        let groups = self
            .tx
            .query(
                "SELECT jid, grp FROM rostergroups WHERE server = $1 AND username = $2 ORDER BY ctid",
                &[&owner.server, &owner.user],
            )
            .map_err(pg)?;
        let mut by_contact: std::collections::HashMap<String, Vec<String>> = Default::default();
        for g in groups {
            by_contact.entry(g.get(0)).or_default().push(g.get(1));
        }
        for item in &mut items {
            if let Some(gs) = by_contact.remove(&item.contact) {
                item.groups = gs;
            }
        }
        Ok(items)
    }

    fn all_items(&mut self) -> Result<Vec<RosterItem>> {
        let rows = self
            .tx
            .query(
                format!(
                    "SELECT {ITEM_COLUMNS} FROM rosterusers \
                     ORDER BY created_at, ctid"
                )
                .as_str(),
                &[],
            )
            .map_err(pg)?;
        Ok(rows.iter().map(item_row).collect())
    }

    fn owner_servers(&mut self) -> Result<Vec<String>> {
        let rows = self
            .tx
            .query(
                "SELECT DISTINCT server COLLATE \"C\" AS s FROM rosterusers ORDER BY s",
                &[],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    fn set_roster_version(&mut self, owner: &Jid, version: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO roster_version (server, username, version) VALUES ($1, $2, $3) \
                 ON CONFLICT (server, username) DO UPDATE SET version = excluded.version",
                &[&owner.server, &owner.user, &version],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn roster_version(&mut self, owner: &Jid) -> Result<Option<String>> {
        let row = self
            .tx
            .query_opt(
                "SELECT version FROM roster_version WHERE server = $1 AND username = $2",
                &[&owner.server, &owner.user],
            )
            .map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn owners_with_items(&mut self, server: &str, users: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for chunk in users.chunks(super::users::BATCH) {
            let st = self.st(
                "SELECT u COLLATE \"C\" AS u FROM unnest($2::text[]) AS t(u) WHERE EXISTS \
                 (SELECT 1 FROM rosterusers r WHERE r.server = $1 AND r.username = t.u)",
            )?;
            let rows = self.tx.query(&st, &[&server, &chunk]).map_err(pg)?;
            out.extend(rows.into_iter().map(|r| r.get::<_, String>(0)));
        }
        out.sort();
        Ok(out)
    }

    fn put_all_to_all(
        &mut self,
        server: &str,
        users: &[String],
        jids: &[String],
        group: &str,
    ) -> Result<()> {
        if users.len() != jids.len() {
            return Err(StoreError::Internal(
                "put_all_to_all: users and jids differ in length".into(),
            )
            .into());
        }
        // Every account is an owner and a contact: its user name is the nick it is given.
        let entries = Entries {
            owner_server: vec![server; users.len()],
            owner_user: users.iter().map(String::as_str).collect(),
            jid: jids.iter().map(String::as_str).collect(),
            nick: users.iter().map(String::as_str).collect(),
            group: vec![group; users.len()],
        };
        self.write_pairs(&entries)
    }

    fn put_template_all(
        &mut self,
        entries: &mut dyn Iterator<Item = Result<TemplateContact>>,
    ) -> Result<()> {
        // The entries are kept (a few columns each: the N² items are made by the server).
        let mut list: Vec<TemplateContact> = Vec::new();
        let mut keys: HashMap<(String, String), i64> = HashMap::new();
        let mut k: Vec<i64> = Vec::new();
        let mut owners: HashSet<(String, String)> = HashSet::new();
        let mut distinct_owners = true;
        for e in entries {
            let e = e?;
            let next = keys.len() as i64;
            k.push(
                *keys
                    .entry((e.raw_user.clone(), e.raw_server.clone()))
                    .or_insert(next),
            );
            if distinct_owners && !owners.insert((e.jid.server.clone(), e.jid.user.clone())) {
                distinct_owners = false;
            }
            list.push(e);
        }
        if keys.len() < 2 {
            // Every entry is written alike: nobody gets anything.
            return Ok(());
        }
        let bare: Vec<String> = list.iter().map(|e| e.jid.bare()).collect();
        let entries = Entries {
            owner_server: list.iter().map(|e| e.jid.server.as_str()).collect(),
            owner_user: list.iter().map(|e| e.jid.user.as_str()).collect(),
            jid: bare.iter().map(String::as_str).collect(),
            nick: list.iter().map(|e| e.nick.as_str()).collect(),
            group: list.iter().map(|e| e.group.as_str()).collect(),
        };
        if distinct_owners {
            // Then entries differ exactly when their raw keys do, and every (owner, contact)
            // is written once.
            return self.write_pairs(&entries);
        }
        self.write_folded(&entries, &k)
    }
}

/// The entries of a bulk roster write, as parallel columns (sent as arrays): entry `i` is
/// an owner (`owner_server[i]`, `owner_user[i]`) and, for the other owners, the contact
/// `jid[i]` with nick `nick[i]` and group `group[i]` (none if empty).
struct Entries<'a> {
    owner_server: Vec<&'a str>,
    owner_user: Vec<&'a str>,
    jid: Vec<&'a str>,
    nick: Vec<&'a str>,
    group: Vec<&'a str>,
}

/// The entries as a relation `e(os, ou, jid, nick, grp, i)`, `i` from 1 in order.
const ENTRIES: &str = "unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) \
                       WITH ORDINALITY AS e(os, ou, jid, nick, grp, i)";

/// [`ENTRIES`] as the owners `a(…)`.
const ENTRIES_A: &str = "unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) \
                         WITH ORDINALITY AS a(os, ou, jid, nick, grp, i)";

/// The upsert of a pushed item: values replaced, `created_at` (its place) kept.
const UPSERT: &str = "ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
                      subscription = 'B', ask = 'N', askmessage = ''";

/// `created_at` of a new item from its write's position `pos` in the row-by-row order
/// (owner entry, then contact entry: `(a.i - 1) * n + b.i`) and its rank `rank` (from 1)
/// among its owner's new items: after everything the owner had (`m.mx`), strictly increasing
/// in that order for each owner, and — for owners without items before — in the global
/// row-by-row order too (all_items' interleaving, as SQLite's rowids).
const CREATED_AT: &str = "GREATEST(t0.t0 + pos * interval '1 microsecond', \
                          m.mx + rank * interval '1 microsecond')";

impl PgTx<'_> {
    /// Write, for every entry `a` and every other entry `b` (`b.i <> a.i`), the item for `b`
    /// into `a`'s roster, each pair written once (distinct owners): old groups of the
    /// rewritten items first (an owner's item for themselves is not rewritten), then the
    /// items (one `INSERT … SELECT`), then their groups. The pairs are produced owner by
    /// owner (a `LATERAL … OFFSET 0` subquery the planner cannot turn inside out), so the
    /// indexes on (server, username, …) receive their keys in order, as a COPY of sorted
    /// rows: the other join order made the same statement 2× slower.
    fn write_pairs(&mut self, e: &Entries<'_>) -> Result<()> {
        let p: [&(dyn postgres::types::ToSql + Sync); 5] =
            [&e.owner_server, &e.owner_user, &e.jid, &e.nick, &e.group];
        let n = e.jid.len() as i64;
        self.tx
            .execute(
                format!(
                    "DELETE FROM rostergroups g USING {ENTRIES}, \
                     unnest($3::text[]) WITH ORDINALITY AS b(jid, i) \
                     WHERE g.server = e.os AND g.username = e.ou AND g.jid = b.jid AND b.i <> e.i"
                )
                .as_str(),
                &p,
            )
            .map_err(pg)?;
        self.tx
            .execute(
                format!(
                    "WITH t0 AS (SELECT clock_timestamp()::timestamp AS t0), \
                     m AS MATERIALIZED (SELECT e.os, e.ou, e.i, (SELECT MAX(r.created_at) FROM rosterusers r \
                             WHERE r.server = e.os AND r.username = e.ou) AS mx FROM {ENTRIES}), \
                     b AS MATERIALIZED (SELECT * FROM {ENTRIES}) \
                     INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage, created_at) \
                     SELECT m.os, m.ou, b.jid, b.nick, 'B', 'N', '', {CREATED_AT} \
                     FROM t0, m CROSS JOIN LATERAL (SELECT b.*, (m.i - 1) * $6 + b.i AS pos, \
                       b.i AS rank FROM b WHERE b.i <> m.i OFFSET 0) AS b {UPSERT}"
                )
                .as_str(),
                &[&e.owner_server, &e.owner_user, &e.jid, &e.nick, &e.group, &n],
            )
            .map_err(pg)?;
        if e.group.iter().any(|g| !g.is_empty()) {
            self.tx
                .execute(
                    format!(
                        "WITH b AS MATERIALIZED (SELECT * FROM {ENTRIES} WHERE e.grp <> '') \
                         INSERT INTO rostergroups (server, username, jid, grp) \
                         SELECT a.os, a.ou, b.jid, b.grp FROM {ENTRIES_A} \
                         CROSS JOIN LATERAL (SELECT b.jid, b.grp FROM b WHERE b.i <> a.i OFFSET 0) AS b"
                    )
                    .as_str(),
                    &p,
                )
                .map_err(pg)?;
        }
        Ok(())
    }

    /// `push_roster_all` with an owner appearing more than once: the writes (every entry `a`,
    /// every entry `b` written differently, `b.k <> a.k`) are folded into one row per (owner,
    /// contact) first — its place where the first write put it, its values those of the last
    /// — in a temporary table dropped at commit, then applied as [`PgTx::write_pairs`] does.
    fn write_folded(&mut self, e: &Entries<'_>, k: &[i64]) -> Result<()> {
        let n = e.jid.len() as i64;
        self.tx
            .execute(
                format!(
                    "CREATE TEMP TABLE mimctl_tplw ON COMMIT DROP AS \
                     WITH a AS (SELECT e.*, k.k FROM {ENTRIES} JOIN unnest($6::bigint[]) WITH ORDINALITY AS k(k, i) USING (i)), \
                     w AS (SELECT a.os, a.ou, b.jid, b.nick, b.grp, (a.i - 1) * $7 + b.i AS pos \
                           FROM a JOIN a AS b ON b.k <> a.k) \
                     SELECT DISTINCT ON (os, ou, jid) os, ou, jid, nick, grp, \
                       MIN(pos) OVER (PARTITION BY os, ou, jid) AS pos \
                     FROM w ORDER BY os, ou, jid, w.pos DESC"
                )
                .as_str(),
                &[&e.owner_server, &e.owner_user, &e.jid, &e.nick, &e.group, &k, &n],
            )
            .map_err(pg)?;
        self.tx
            .batch_execute(&format!(
                "DELETE FROM rostergroups g USING mimctl_tplw w \
                 WHERE g.server = w.os AND g.username = w.ou AND g.jid = w.jid; \
                 WITH t0 AS (SELECT clock_timestamp()::timestamp AS t0), \
                 m AS MATERIALIZED (SELECT o.os, o.ou, (SELECT MAX(r.created_at) FROM rosterusers r \
                         WHERE r.server = o.os AND r.username = o.ou) AS mx \
                       FROM (SELECT DISTINCT os, ou FROM mimctl_tplw) AS o), \
                 o AS (SELECT w.*, row_number() OVER (PARTITION BY w.os, w.ou ORDER BY w.pos) AS rank \
                       FROM mimctl_tplw w) \
                 INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage, created_at) \
                 SELECT o.os, o.ou, o.jid, o.nick, 'B', 'N', '', {CREATED_AT} \
                 FROM t0, o JOIN m ON m.os = o.os AND m.ou = o.ou ORDER BY o.pos {UPSERT}; \
                 INSERT INTO rostergroups (server, username, jid, grp) \
                 SELECT os, ou, jid, grp FROM mimctl_tplw WHERE grp <> '' ORDER BY pos; \
                 DROP TABLE mimctl_tplw;"
            ))
            .map_err(pg)?;
        Ok(())
    }
}
