//! Rosters (`rosterusers`, `rostergroups`, `roster_version`). Store order is SQLite's rowid
//! order: an upsert keeps the row (and so the item's place).

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension, Row};

use super::{rows, sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::{Result, StoreError};
use crate::store::codes::{ask_code, ask_of, sub_code, sub_of};
use crate::store::{Ask, RosterItem, RosterStore, Subscription, TemplateContact};

/// An item from `server, username, jid, nick, subscription, ask, askmessage` columns.
fn item_row(r: &Row<'_>) -> rusqlite::Result<RosterItem> {
    let sub: String = r.get(4)?;
    let ask: String = r.get(5)?;
    Ok(RosterItem {
        owner: Jid {
            server: r.get(0)?,
            user: r.get(1)?,
            resource: String::new(),
        },
        contact: r.get(2)?,
        nick: r.get(3)?,
        subscription: sub_of(&sub),
        ask: ask_of(&ask),
        askmessage: r.get(6)?,
        groups: Vec::new(),
    })
}

const ITEM_COLUMNS: &str = "server, username, jid, nick, subscription, ask, askmessage";

impl SqliteTx<'_> {
    fn groups_of(&self, owner: &Jid, contact: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT grp FROM rostergroups WHERE server = ?1 AND username = ?2 AND jid = ?3 ORDER BY rowid",
            )
            .map_err(sql)?;
        let out = rows(
            st.query_map(params![owner.server, owner.user, contact], |r| r.get(0))
                .map_err(sql)?,
        )?;
        Ok(out)
    }

    fn delete_groups(&self, owner: &Jid, contact: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "DELETE FROM rostergroups WHERE server = ?1 AND username = ?2 AND jid = ?3",
            )
            .and_then(|mut st| st.execute(params![owner.server, owner.user, contact]))
            .map_err(sql)?;
        Ok(())
    }
}

impl RosterStore for SqliteTx<'_> {
    fn put_item(&mut self, item: &RosterItem) -> Result<()> {
        let conn = self.conn();
        let o = &item.owner;
        conn.prepare_cached(
            "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
             subscription = excluded.subscription, ask = excluded.ask, askmessage = excluded.askmessage",
        )
        .and_then(|mut st| {
            st.execute(params![
                o.server,
                o.user,
                item.contact,
                item.nick,
                sub_code(item.subscription),
                ask_code(item.ask),
                item.askmessage
            ])
        })
        .map_err(sql)?;
        self.delete_groups(o, &item.contact)?;
        let mut ins = conn
            .prepare_cached(
                "INSERT INTO rostergroups (server, username, jid, grp) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(sql)?;
        for g in item.groups.iter().filter(|g| !g.is_empty()) {
            ins.execute(params![o.server, o.user, item.contact, g])
                .map_err(sql)?;
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
        self.conn()
            .prepare_cached(
                "UPDATE rosterusers SET subscription = ?4, ask = ?5 \
                 WHERE server = ?1 AND username = ?2 AND jid = ?3",
            )
            .and_then(|mut st| {
                st.execute(params![
                    owner.server,
                    owner.user,
                    contact,
                    sub_code(subscription),
                    ask_code(ask)
                ])
            })
            .map_err(sql)?;
        Ok(())
    }

    fn delete_item(&mut self, owner: &Jid, contact: &str) -> Result<bool> {
        let n = self
            .conn()
            .prepare_cached(
                "DELETE FROM rosterusers WHERE server = ?1 AND username = ?2 AND jid = ?3",
            )
            .and_then(|mut st| st.execute(params![owner.server, owner.user, contact]))
            .map_err(sql)?;
        self.delete_groups(owner, contact)?;
        Ok(n > 0)
    }

    fn item(&mut self, owner: &Jid, contact: &str) -> Result<Option<RosterItem>> {
        let item = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM rosterusers WHERE server = ?1 AND username = ?2 AND jid = ?3"
            ))
            .and_then(|mut st| {
                st.query_row(params![owner.server, owner.user, contact], item_row)
                    .optional()
            })
            .map_err(sql)?;
        match item {
            Some(mut it) => {
                it.groups = self.groups_of(owner, contact)?;
                Ok(Some(it))
            }
            None => Ok(None),
        }
    }

    fn item_state(&mut self, owner: &Jid, contact: &str) -> Result<Option<(Subscription, Ask)>> {
        self.conn()
            .prepare_cached(
                "SELECT subscription, ask FROM rosterusers WHERE server = ?1 AND username = ?2 AND jid = ?3",
            )
            .and_then(|mut st| {
                st.query_row(params![owner.server, owner.user, contact], |r| {
                    let sub: String = r.get(0)?;
                    let ask: String = r.get(1)?;
                    Ok((sub_of(&sub), ask_of(&ask)))
                })
                .optional()
            })
            .map_err(sql)
    }

    fn items(&mut self, owner: &Jid) -> Result<Vec<RosterItem>> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM rosterusers WHERE server = ?1 AND username = ?2 ORDER BY rowid"
            ))
            .map_err(sql)?;
        let mut items = rows(
            st.query_map(params![owner.server, owner.user], item_row)
                .map_err(sql)?,
        )?;
        // Groups in one pass, in stored order.
        let mut gst = conn
            .prepare_cached(
                "SELECT jid, grp FROM rostergroups WHERE server = ?1 AND username = ?2 ORDER BY rowid",
            )
            .map_err(sql)?;
        let mut by_jid: HashMap<String, Vec<String>> = HashMap::new();
        for (jid, grp) in rows(
            gst.query_map(params![owner.server, owner.user], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(sql)?,
        )? {
            by_jid.entry(jid).or_default().push(grp);
        }
        for it in &mut items {
            if let Some(g) = by_jid.remove(&it.contact) {
                it.groups = g;
            }
        }
        Ok(items)
    }

    fn all_items(&mut self) -> Result<Vec<RosterItem>> {
        let mut st = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM rosterusers ORDER BY rowid"
            ))
            .map_err(sql)?;
        let out = rows(st.query_map([], item_row).map_err(sql)?)?;
        Ok(out)
    }

    fn owner_servers(&mut self) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT DISTINCT server FROM rosterusers ORDER BY server")
            .map_err(sql)?;
        let out = rows(st.query_map([], |r| r.get(0)).map_err(sql)?)?;
        Ok(out)
    }

    fn set_roster_version(&mut self, owner: &Jid, version: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO roster_version (server, username, version) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (server, username) DO UPDATE SET version = excluded.version",
            )
            .and_then(|mut st| st.execute(params![owner.server, owner.user, version]))
            .map_err(sql)?;
        Ok(())
    }

    fn roster_version(&mut self, owner: &Jid) -> Result<Option<String>> {
        self.conn()
            .prepare_cached(
                "SELECT version FROM roster_version WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| {
                st.query_row(params![owner.server, owner.user], |r| r.get(0))
                    .optional()
            })
            .map_err(sql)
    }

    fn owners_with_items(&mut self, server: &str, users: &[String]) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT 1 FROM rosterusers WHERE server = ?1 AND username = ?2 LIMIT 1")
            .map_err(sql)?;
        let mut out = Vec::new();
        for u in users {
            if st.exists(params![server, u]).map_err(sql)? {
                out.push(u.clone());
            }
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
        let conn = self.conn();
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS a2a (idx INTEGER PRIMARY KEY, u TEXT NOT NULL, jid TEXT NOT NULL); \
             CREATE INDEX IF NOT EXISTS temp.a2a_uj ON a2a (u, jid); DELETE FROM temp.a2a;",
        )
        .map_err(sql)?;
        {
            let mut ins = conn
                .prepare_cached("INSERT INTO temp.a2a (idx, u, jid) VALUES (?1, ?2, ?3)")
                .map_err(sql)?;
            for (i, (u, j)) in users.iter().zip(jids).enumerate() {
                ins.execute(params![i as i64, u, j]).map_err(sql)?;
            }
        }
        // Old groups of the rewritten items go (an owner's item for themselves keeps its own).
        conn.execute(
            "DELETE FROM rostergroups WHERE server = ?1 AND username IN (SELECT u FROM temp.a2a) \
             AND jid IN (SELECT jid FROM temp.a2a) AND NOT EXISTS (SELECT 1 FROM temp.a2a s \
             WHERE s.u = rostergroups.username AND s.jid = rostergroups.jid)",
            [server],
        )
        .map_err(sql)?;
        // Items in owner order, then contact order: the store order of a row-by-row push.
        conn.execute(
            "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
             SELECT ?1, a.u, b.jid, b.u, 'B', 'N', '' FROM temp.a2a a JOIN temp.a2a b ON b.idx <> a.idx \
             WHERE true ORDER BY a.idx, b.idx \
             ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
             subscription = 'B', ask = 'N', askmessage = ''",
            [server],
        )
        .map_err(sql)?;
        if !group.is_empty() {
            conn.execute(
                "INSERT INTO rostergroups (server, username, jid, grp) \
                 SELECT ?1, a.u, b.jid, ?2 FROM temp.a2a a JOIN temp.a2a b ON b.idx <> a.idx \
                 ORDER BY a.idx, b.idx",
                params![server, group],
            )
            .map_err(sql)?;
        }
        conn.execute_batch("DELETE FROM temp.a2a;").map_err(sql)?;
        Ok(())
    }

    fn put_template_all(
        &mut self,
        entries: &mut dyn Iterator<Item = Result<TemplateContact>>,
    ) -> Result<()> {
        let conn = self.conn();
        // The entries, in order: `k` numbers the distinct raw (user, server) pairs.
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS tpl (idx INTEGER PRIMARY KEY, k INTEGER NOT NULL, \
             os TEXT NOT NULL, ou TEXT NOT NULL, jid TEXT NOT NULL, nick TEXT NOT NULL, grp TEXT NOT NULL); \
             CREATE INDEX IF NOT EXISTS temp.tpl_owner ON tpl (os, ou); \
             CREATE INDEX IF NOT EXISTS temp.tpl_jid ON tpl (jid); \
             DELETE FROM temp.tpl;",
        )
        .map_err(sql)?;
        let mut keys: HashMap<(String, String), i64> = HashMap::new();
        let mut owners: HashSet<(String, String)> = HashSet::new();
        let mut distinct_owners = true;
        {
            let mut ins = conn
                .prepare_cached(
                    "INSERT INTO temp.tpl (idx, k, os, ou, jid, nick, grp) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            for (idx, e) in (0_i64..).zip(entries) {
                let e = e?;
                let next = keys.len() as i64;
                let k = *keys.entry((e.raw_user, e.raw_server)).or_insert(next);
                if distinct_owners && !owners.insert((e.jid.server.clone(), e.jid.user.clone())) {
                    distinct_owners = false;
                }
                ins.execute(params![
                    idx,
                    k,
                    e.jid.server,
                    e.jid.user,
                    e.jid.bare(),
                    e.nick,
                    e.group
                ])
                .map_err(sql)?;
            }
        }
        let done =
            |conn: &rusqlite::Connection| conn.execute_batch("DELETE FROM temp.tpl;").map_err(sql);
        if keys.len() < 2 {
            // Every entry is written alike: nobody gets anything.
            return done(conn);
        }
        const UPSERT: &str =
            "ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
             subscription = 'B', ask = 'N', askmessage = ''";
        if distinct_owners {
            // Then entries differ exactly when their raw keys do, and every (owner, contact)
            // is written once: straight into the tables, in owner-then-contact order (the
            // store order of the row-by-row writes). Old groups of the rewritten items go
            // first (an owner's item for themselves is not rewritten and keeps its own); the
            // owners' existing group rows are visited, not every (owner, contact) pair.
            conn.execute(
                "DELETE FROM rostergroups WHERE rowid IN (SELECT g.rowid FROM temp.tpl a \
                 CROSS JOIN rostergroups g ON g.server = a.os AND g.username = a.ou \
                 WHERE g.jid <> a.jid AND EXISTS (SELECT 1 FROM temp.tpl b WHERE b.jid = g.jid))",
                [],
            )
            .map_err(sql)?;
            conn.execute(
                &format!(
                    "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
                     SELECT a.os, a.ou, b.jid, b.nick, 'B', 'N', '' FROM temp.tpl a JOIN temp.tpl b \
                     ON b.idx <> a.idx WHERE true ORDER BY a.idx, b.idx {UPSERT}"
                ),
                [],
            )
            .map_err(sql)?;
            conn.execute(
                "INSERT INTO rostergroups (server, username, jid, grp) \
                 SELECT a.os, a.ou, b.jid, b.grp FROM temp.tpl a JOIN temp.tpl b \
                 ON b.idx <> a.idx WHERE b.grp <> '' ORDER BY a.idx, b.idx",
                [],
            )
            .map_err(sql)?;
            return done(conn);
        }
        // An owner appears more than once: the writes are folded into one row per (owner,
        // contact) first — its rowid is where the first write put it, its values those of the
        // last write — then applied as above.
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS tplw (os TEXT NOT NULL, ou TEXT NOT NULL, \
             jid TEXT NOT NULL, nick TEXT NOT NULL, grp TEXT NOT NULL); \
             CREATE UNIQUE INDEX IF NOT EXISTS temp.tplw_key ON tplw (os, ou, jid); \
             DELETE FROM temp.tplw;",
        )
        .map_err(sql)?;
        conn.execute(
            "INSERT INTO temp.tplw (os, ou, jid, nick, grp) \
             SELECT a.os, a.ou, b.jid, b.nick, b.grp FROM temp.tpl a JOIN temp.tpl b ON b.k <> a.k \
             WHERE true ORDER BY a.idx, b.idx \
             ON CONFLICT (os, ou, jid) DO UPDATE SET nick = excluded.nick, grp = excluded.grp",
            [],
        )
        .map_err(sql)?;
        conn.execute(
            "DELETE FROM rostergroups WHERE rowid IN (SELECT g.rowid FROM \
             (SELECT DISTINCT os, ou FROM temp.tpl) a \
             CROSS JOIN rostergroups g ON g.server = a.os AND g.username = a.ou \
             WHERE EXISTS (SELECT 1 FROM temp.tplw w \
             WHERE w.os = g.server AND w.ou = g.username AND w.jid = g.jid))",
            [],
        )
        .map_err(sql)?;
        conn.execute(
            &format!(
                "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
                 SELECT os, ou, jid, nick, 'B', 'N', '' FROM temp.tplw WHERE true ORDER BY rowid {UPSERT}"
            ),
            [],
        )
        .map_err(sql)?;
        conn.execute(
            "INSERT INTO rostergroups (server, username, jid, grp) \
             SELECT os, ou, jid, grp FROM temp.tplw WHERE grp <> '' ORDER BY rowid",
            [],
        )
        .map_err(sql)?;
        conn.execute_batch("DELETE FROM temp.tplw;").map_err(sql)?;
        done(conn)
    }
}
