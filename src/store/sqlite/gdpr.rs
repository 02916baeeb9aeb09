//! The personal-data walks of `retrieve_personal_data` (`vcard`, `rosterusers` +
//! `rostergroups`, `private_storage`, `offline_message`, `inbox`): one statement per data
//! group, each row handed on as it is read (no table is collected in memory).

use std::borrow::Cow;

use rusqlite::types::ValueRef;
use rusqlite::{params, OptionalExtension};

use super::{sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::codes::{ask_of, sub_of};
use crate::store::{GdprStore, InboxExport, OfflineExport, PrivateExport, RosterExport};

/// A column's value as bytes, as stored (NULL as empty; a number in a text column in
/// decimal, as SQLite's own text conversion gives it).
fn raw(v: ValueRef<'_>) -> Cow<'_, [u8]> {
    match v {
        ValueRef::Null => Cow::Borrowed(&[]),
        ValueRef::Integer(i) => Cow::Owned(i.to_string().into_bytes()),
        ValueRef::Real(f) => Cow::Owned(f.to_string().into_bytes()),
        ValueRef::Text(b) | ValueRef::Blob(b) => Cow::Borrowed(b),
    }
}

/// An integer column (a text column holding digits reads as its number, like SQLite's
/// `CAST`; anything else as 0).
fn int(v: ValueRef<'_>) -> i64 {
    match v {
        ValueRef::Integer(i) => i,
        ValueRef::Real(f) => f as i64,
        ValueRef::Text(b) => std::str::from_utf8(b)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0),
        ValueRef::Null | ValueRef::Blob(_) => 0,
    }
}

fn text(v: ValueRef<'_>) -> String {
    String::from_utf8_lossy(&raw(v)).into_owned()
}

/// One owner's roster items joined with their groups.
const ROSTER: &str = "SELECT u.rowid, u.jid, u.nick, u.subscription, u.ask, u.askmessage, g.grp \
    FROM rosterusers u LEFT JOIN rostergroups g \
    ON g.server = u.server AND g.username = u.username AND g.jid = u.jid \
    AND g.grp <> '' \
    WHERE u.server = ?1 AND u.username = ?2 ORDER BY u.rowid, g.rowid";
/// One account's private elements.
const PRIVATE: &str = "SELECT namespace, data FROM private_storage \
    WHERE server = ?1 AND username = ?2 ORDER BY namespace";
/// One account's offline messages not expired at ?3.
const OFFLINE: &str = "SELECT timestamp, from_jid, packet FROM offline_message \
    WHERE server = ?1 AND username = ?2 AND (expire IS NULL OR expire > ?3) \
    ORDER BY id";
/// One account's inbox entries up to ?3.
const INBOX: &str = "SELECT remote_bare_jid, content, unread_count, timestamp FROM inbox \
    WHERE lserver = ?1 AND luser = ?2 AND timestamp >= 0 AND timestamp <= ?3 \
    ORDER BY timestamp, rowid";

/// The roster item being assembled from the rows of the roster join (one row per group).
#[derive(Default)]
struct PendingItem {
    rowid: i64,
    contact: Vec<u8>,
    nick: Vec<u8>,
    subscription: String,
    ask: String,
    askmessage: Vec<u8>,
    groups: Vec<Vec<u8>>,
    /// How many entries of `groups` belong to this item (the vectors are reused).
    group_count: usize,
}

impl PendingItem {
    fn emit(&self, each: &mut dyn FnMut(&RosterExport<'_>) -> Result<()>) -> Result<()> {
        each(&RosterExport {
            contact: &self.contact,
            nick: &self.nick,
            subscription: sub_of(&self.subscription),
            ask: ask_of(&self.ask),
            askmessage: &self.askmessage,
            groups: &self.groups[..self.group_count],
        })
    }

    fn push_group(&mut self, g: &[u8]) {
        if self.group_count == self.groups.len() {
            self.groups.push(Vec::new());
        }
        let slot = &mut self.groups[self.group_count];
        slot.clear();
        slot.extend_from_slice(g);
        self.group_count += 1;
    }
}

fn refill(buf: &mut Vec<u8>, v: &[u8]) {
    buf.clear();
    buf.extend_from_slice(v);
}

impl GdprStore for SqliteTx<'_> {
    fn vcard_export(&mut self, user: &Jid) -> Result<Option<Vec<u8>>> {
        self.conn()
            .prepare_cached("SELECT vcard FROM vcard WHERE username = ?1 AND server = ?2")
            .and_then(|mut st| {
                st.query_row(params![user.user, user.server], |r| {
                    Ok(raw(r.get_ref(0)?).into_owned())
                })
                .optional()
            })
            .map_err(sql)
    }

    fn each_roster_export(
        &mut self,
        owner: &Jid,
        each: &mut dyn FnMut(&RosterExport<'_>) -> Result<()>,
    ) -> Result<()> {
        // Items in rowid order (store order, see roster.rs), each followed by its groups in
        // the order they were written; an item without groups comes once with a NULL group.
        // Both orders are index order (i_rosteru_server_user, i_rosterg_server_user_jid, each
        // ending with the rowid): nothing is sorted, so memory does not grow with the roster.
        let mut st = self.conn().prepare_cached(ROSTER).map_err(sql)?;
        let mut rows = st.query(params![owner.server, owner.user]).map_err(sql)?;
        let mut item = PendingItem::default();
        let mut any = false;
        while let Some(r) = rows.next().map_err(sql)? {
            let rowid: i64 = r.get(0).map_err(sql)?;
            if !any || rowid != item.rowid {
                if any {
                    item.emit(each)?;
                }
                any = true;
                item.rowid = rowid;
                refill(&mut item.contact, &raw(r.get_ref(1).map_err(sql)?));
                refill(&mut item.nick, &raw(r.get_ref(2).map_err(sql)?));
                item.subscription = text(r.get_ref(3).map_err(sql)?);
                item.ask = text(r.get_ref(4).map_err(sql)?);
                refill(&mut item.askmessage, &raw(r.get_ref(5).map_err(sql)?));
                item.group_count = 0;
            }
            let group = r.get_ref(6).map_err(sql)?;
            if group != ValueRef::Null {
                item.push_group(&raw(group));
            }
        }
        if any {
            item.emit(each)?;
        }
        Ok(())
    }

    fn each_private_export(
        &mut self,
        user: &Jid,
        each: &mut dyn FnMut(&PrivateExport<'_>) -> Result<()>,
    ) -> Result<()> {
        // BINARY collation compares bytes: the primary key's order.
        let mut st = self.conn().prepare_cached(PRIVATE).map_err(sql)?;
        let mut rows = st.query(params![user.server, user.user]).map_err(sql)?;
        while let Some(r) = rows.next().map_err(sql)? {
            let ns = raw(r.get_ref(0).map_err(sql)?);
            let xml = raw(r.get_ref(1).map_err(sql)?);
            each(&PrivateExport {
                namespace: &ns,
                xml: &xml,
            })?;
        }
        Ok(())
    }

    fn each_offline_export(
        &mut self,
        user: &Jid,
        now: i64,
        each: &mut dyn FnMut(&OfflineExport<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.conn().prepare_cached(OFFLINE).map_err(sql)?;
        let mut rows = st
            .query(params![user.server, user.user, now])
            .map_err(sql)?;
        while let Some(r) = rows.next().map_err(sql)? {
            let timestamp = int(r.get_ref(0).map_err(sql)?);
            let from = raw(r.get_ref(1).map_err(sql)?);
            let packet = raw(r.get_ref(2).map_err(sql)?);
            each(&OfflineExport {
                timestamp,
                from: &from,
                packet: &packet,
            })?;
        }
        Ok(())
    }

    fn each_inbox_export(
        &mut self,
        user: &Jid,
        until: i64,
        each: &mut dyn FnMut(&InboxExport<'_>) -> Result<()>,
    ) -> Result<()> {
        // The order of i_inbox_timestamp (which ends with the rowid): no sort.
        let mut st = self.conn().prepare_cached(INBOX).map_err(sql)?;
        let mut rows = st
            .query(params![user.server, user.user, until])
            .map_err(sql)?;
        while let Some(r) = rows.next().map_err(sql)? {
            let remote_jid = raw(r.get_ref(0).map_err(sql)?);
            let content = raw(r.get_ref(1).map_err(sql)?);
            let unread_count = int(r.get_ref(2).map_err(sql)?);
            let timestamp = int(r.get_ref(3).map_err(sql)?);
            each(&InboxExport {
                remote_jid: &remote_jid,
                content: &content,
                unread_count,
                timestamp,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every walk reads in index order: no statement sorts (with `temp_store = MEMORY` a sort
    /// would hold every row of the account in memory).
    #[test]
    fn no_walk_sorts() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::super::migrate::migrate(&mut conn).unwrap();
        for q in [ROSTER, PRIVATE, OFFLINE, INBOX] {
            let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {q}")).unwrap();
            let values: [&dyn rusqlite::ToSql; 3] = [&"localhost", &"alice", &0];
            let n = st.parameter_count();
            let plan: Vec<String> = st
                .query_map(&values[..n], |r| r.get(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            assert!(
                plan.iter()
                    .all(|p| !p.contains("TEMP B-TREE") && !p.starts_with("SCAN")),
                "{q}: {plan:?}"
            );
        }
    }
}
