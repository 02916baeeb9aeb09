//! The personal-data walks of `retrieve_personal_data` on PostgreSQL (`vcard`,
//! `rosterusers` + `rostergroups`, `private_storage`, `offline_message`, `inbox`): one
//! statement per data group, streamed (`query_raw`: each row is handed on as it arrives, no
//! table is collected in memory), in the store order the SQLite walks give.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::codes::{ask_of, sub_of};
use crate::store::{GdprStore, InboxExport, OfflineExport, PrivateExport, RosterExport};

/// One owner's roster items (store order, see roster.rs) joined with their non-empty groups
/// (write order).
const ROSTER: &str =
    "SELECT u.jid, u.nick, u.subscription::text, u.ask::text, u.askmessage, g.grp \
    FROM rosterusers u LEFT JOIN rostergroups g \
    ON g.server = u.server AND g.username = u.username AND g.jid = u.jid AND g.grp <> '' \
    WHERE u.server = $1 AND u.username = $2 \
    ORDER BY u.created_at, u.ctid, g.ctid";
/// One account's private elements by namespace in byte order.
const PRIVATE: &str = "SELECT namespace, data FROM private_storage \
    WHERE server = $1 AND username = $2 ORDER BY namespace COLLATE \"C\"";
/// One account's offline messages not expired at $3, in insertion order.
const OFFLINE: &str = "SELECT timestamp, from_jid, packet FROM offline_message \
    WHERE server = $1 AND username = $2 AND (expire IS NULL OR expire > $3) ORDER BY id";
/// One account's inbox entries up to $3, by timestamp (ties: physical order, which is the
/// insertion order of rows never updated, as SQLite's rowid; docs/compat.md).
const INBOX: &str = "SELECT remote_bare_jid, content, unread_count::bigint, timestamp FROM inbox \
    WHERE lserver = $1 AND luser = $2 AND timestamp >= 0 AND timestamp <= $3 \
    ORDER BY timestamp, ctid";

/// The roster item being assembled from the rows of the join (one row per group).
#[derive(Default)]
struct PendingItem {
    contact: String,
    nick: String,
    subscription: String,
    ask: String,
    askmessage: String,
    groups: Vec<Vec<u8>>,
}

impl PendingItem {
    fn emit(&self, each: &mut dyn FnMut(&RosterExport<'_>) -> Result<()>) -> Result<()> {
        each(&RosterExport {
            contact: self.contact.as_bytes(),
            nick: self.nick.as_bytes(),
            subscription: sub_of(&self.subscription),
            ask: ask_of(&self.ask),
            askmessage: self.askmessage.as_bytes(),
            groups: &self.groups,
        })
    }
}

impl GdprStore for PgTx<'_> {
    fn vcard_export(&mut self, user: &Jid) -> Result<Option<Vec<u8>>> {
        let row = self
            .tx
            .query_opt(
                "SELECT vcard FROM vcard WHERE username = $1 AND server = $2",
                &[&user.user, &user.server],
            )
            .map_err(pg)?;
        Ok(row.map(|r| r.get::<_, String>(0).into_bytes()))
    }

    fn each_roster_export(
        &mut self,
        owner: &Jid,
        each: &mut dyn FnMut(&RosterExport<'_>) -> Result<()>,
    ) -> Result<()> {
        let params: [&(dyn ToSql + Sync); 2] = [&owner.server, &owner.user];
        let mut rows = self.tx.query_raw(ROSTER, params).map_err(pg)?;
        // An owner has one item per contact: a new contact starts the next item.
        let mut item: Option<PendingItem> = None;
        while let Some(r) = rows.next().map_err(pg)? {
            let contact: &str = r.try_get(0).map_err(pg)?;
            if item.as_ref().is_none_or(|i| i.contact != contact) {
                if let Some(done) = item.take() {
                    done.emit(each)?;
                }
                item = Some(PendingItem {
                    contact: contact.to_string(),
                    nick: r.try_get(1).map_err(pg)?,
                    subscription: r.try_get(2).map_err(pg)?,
                    ask: r.try_get(3).map_err(pg)?,
                    askmessage: r.try_get(4).map_err(pg)?,
                    groups: Vec::new(),
                });
            }
            let group: Option<&str> = r.try_get(5).map_err(pg)?;
            if let (Some(g), Some(i)) = (group, item.as_mut()) {
                i.groups.push(g.as_bytes().to_vec());
            }
        }
        if let Some(done) = item {
            done.emit(each)?;
        }
        Ok(())
    }

    fn each_private_export(
        &mut self,
        user: &Jid,
        each: &mut dyn FnMut(&PrivateExport<'_>) -> Result<()>,
    ) -> Result<()> {
        let params: [&(dyn ToSql + Sync); 2] = [&user.server, &user.user];
        let mut rows = self.tx.query_raw(PRIVATE, params).map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            let ns: &str = r.try_get(0).map_err(pg)?;
            let xml: &str = r.try_get(1).map_err(pg)?;
            each(&PrivateExport {
                namespace: ns.as_bytes(),
                xml: xml.as_bytes(),
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
        let params: [&(dyn ToSql + Sync); 3] = [&user.server, &user.user, &now];
        let mut rows = self.tx.query_raw(OFFLINE, params).map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            let timestamp: i64 = r.try_get(0).map_err(pg)?;
            let from: &str = r.try_get(1).map_err(pg)?;
            let packet: &str = r.try_get(2).map_err(pg)?;
            each(&OfflineExport {
                timestamp,
                from: from.as_bytes(),
                packet: packet.as_bytes(),
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
        let params: [&(dyn ToSql + Sync); 3] = [&user.server, &user.user, &until];
        let mut rows = self.tx.query_raw(INBOX, params).map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            let remote_jid: &str = r.try_get(0).map_err(pg)?;
            let content: &[u8] = r.try_get(1).map_err(pg)?;
            let unread_count: i64 = r.try_get(2).map_err(pg)?;
            let timestamp: i64 = r.try_get(3).map_err(pg)?;
            each(&InboxExport {
                remote_jid: remote_jid.as_bytes(),
                content,
                unread_count,
                timestamp,
            })?;
        }
        Ok(())
    }
}
