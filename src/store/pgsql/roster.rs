//! Rosters (`rosterusers`, `rostergroups`, `roster_version`).
//!
//! Store order: MongooseIM's schema has no insertion-order column, so an item's place is its
//! `created_at` (written by us strictly increasing per owner: `clock_timestamp()`, or one
//! microsecond after the owner's latest item; an upsert keeps it), then its physical place
//! (`ctid`) for rows written by others in one instant (one multi-row INSERT keeps its order,
//! as SQLite's rowid does). Groups: their physical order (`ctid`),
//! which is the order they were written, since a group row is only ever inserted or deleted.

use super::{pending, pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
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

    fn put_all_to_all(
        &mut self,
        _server: &str,
        _users: &[String],
        _jids: &[String],
        _group: &str,
    ) -> Result<()> {
        Err(pending("push_roster_alltoall"))
    }

    fn put_template_all(
        &mut self,
        _entries: &mut dyn Iterator<Item = Result<TemplateContact>>,
    ) -> Result<()> {
        Err(pending("push_roster_all"))
    }
}
