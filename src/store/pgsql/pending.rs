//! The areas not written yet for PostgreSQL (issue 10): each method fails with
//! `StoreError::Unavailable("<what> is not yet supported on PostgreSQL")` (exit 3), never a
//! panic. docs/architecture.md lists them; the SQLite files are the reference to port.

use super::{pending, pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{
    CheckStore, Delivery, EndedSessions, GdprStore, InboxExport, OfflineExport, OrphanGroup,
    OrphanRows, PrivateExport, RawPassword, RosterExport, Session, SessionScope, SessionStore,
    UserKey,
};

impl SessionStore for PgTx<'_> {
    fn count_sessions(&mut self, user: &Jid) -> Result<i64> {
        let row = self
            .tx
            .query_one(
                "SELECT COUNT(*) FROM mongooseimctl_sessions WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn resources(&mut self, user: &Jid) -> Result<Vec<String>> {
        let rows = self
            .tx
            .query(
                "SELECT resource FROM mongooseimctl_sessions WHERE server = $1 AND username = $2 \
                 ORDER BY resource COLLATE \"C\"",
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    fn user_sessions(&mut self, user: &Jid) -> Result<Vec<Session>> {
        // Recording sessions (open_session) is not ported yet, but a database may hold
        // none: an empty answer is exact then.
        if self.count_sessions(user)? == 0 {
            return Ok(Vec::new());
        }
        Err(pending("reading recorded sessions"))
    }

    fn end_sessions(&mut self, user: &Jid) -> Result<EndedSessions> {
        let had_available: bool = self
            .tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM mongooseimctl_sessions WHERE server = $1 AND username = $2 \
                 AND show <> 'unavailable')",
                &[&user.server, &user.user],
            )
            .map_err(pg)?
            .get(0);
        let count = self
            .tx
            .execute(
                "DELETE FROM mongooseimctl_sessions WHERE server = $1 AND username = $2",
                &[&user.server, &user.user],
            )
            .map_err(pg)? as usize;
        Ok(EndedSessions {
            count,
            had_available,
        })
    }

    fn deliver(&mut self, user: &Jid, from: &str, packet: &str, at: i64) -> Result<usize> {
        let n = self
            .tx
            .execute(
                "INSERT INTO mongooseimctl_delivered (server, username, resource, from_jid, packet, delivered_at) \
                 SELECT server, username, resource, $3, $4, $5 FROM mongooseimctl_sessions \
                 WHERE server = $1 AND username = $2 ORDER BY resource COLLATE \"C\"",
                &[&user.server, &user.user, &from, &packet, &at],
            )
            .map_err(pg)?;
        Ok(n as usize)
    }

    fn open_session(&mut self, _session: &Session) -> Result<Option<Session>> {
        Err(pending("open_session"))
    }

    fn session(&mut self, _full: &Jid) -> Result<Option<Session>> {
        Err(pending("reading recorded sessions"))
    }

    fn end_session(&mut self, _full: &Jid) -> Result<Option<Session>> {
        Err(pending("ending one recorded session"))
    }

    fn set_presence(&mut self, _full: &Jid, _presence: &crate::store::Presence) -> Result<bool> {
        Err(pending("setting a session's presence"))
    }

    fn each_session(
        &mut self,
        _scope: SessionScope<'_>,
        _show: Option<&str>,
        _each: &mut dyn FnMut(Session) -> Result<()>,
    ) -> Result<()> {
        Err(pending("listing recorded sessions"))
    }

    fn count_scope(
        &mut self,
        _scope: SessionScope<'_>,
        _show: Option<&str>,
        _node: Option<&str>,
    ) -> Result<i64> {
        Err(pending("counting recorded sessions"))
    }

    fn deliver_to(&mut self, _full: &Jid, _from: &str, _packet: &str, _at: i64) -> Result<bool> {
        Err(pending("delivering to one session"))
    }

    fn each_delivery(
        &mut self,
        _to: &Jid,
        _each: &mut dyn FnMut(Delivery) -> Result<()>,
    ) -> Result<()> {
        Err(pending("list_deliveries"))
    }
}

impl GdprStore for PgTx<'_> {
    fn vcard_export(&mut self, _user: &Jid) -> Result<Option<Vec<u8>>> {
        Err(pending("retrieve_personal_data"))
    }
    fn each_roster_export(
        &mut self,
        _owner: &Jid,
        _each: &mut dyn FnMut(&RosterExport<'_>) -> Result<()>,
    ) -> Result<()> {
        Err(pending("retrieve_personal_data"))
    }
    fn each_private_export(
        &mut self,
        _user: &Jid,
        _each: &mut dyn FnMut(&PrivateExport<'_>) -> Result<()>,
    ) -> Result<()> {
        Err(pending("retrieve_personal_data"))
    }
    fn each_offline_export(
        &mut self,
        _user: &Jid,
        _now: i64,
        _each: &mut dyn FnMut(&OfflineExport<'_>) -> Result<()>,
    ) -> Result<()> {
        Err(pending("retrieve_personal_data"))
    }
    fn each_inbox_export(
        &mut self,
        _user: &Jid,
        _until: i64,
        _each: &mut dyn FnMut(&InboxExport<'_>) -> Result<()>,
    ) -> Result<()> {
        Err(pending("retrieve_personal_data"))
    }
}

impl CheckStore for PgTx<'_> {
    fn integrity(&mut self) -> Result<Vec<String>> {
        Err(pending("check_store"))
    }
    fn per_user_tables(&self) -> Vec<&'static str> {
        Vec::new()
    }
    fn orphans(&mut self, _table: &'static str) -> Result<Vec<OrphanRows>> {
        Err(pending("check_store"))
    }
    fn orphan_groups(&mut self) -> Result<Vec<OrphanGroup>> {
        Err(pending("check_store"))
    }
    fn each_password(&mut self, _each: &mut dyn FnMut(&UserKey, RawPassword<'_>)) -> Result<()> {
        Err(pending("check_store"))
    }
    fn each_vcard(&mut self, _each: &mut dyn FnMut(&UserKey, &[u8])) -> Result<()> {
        Err(pending("check_store"))
    }
    fn each_private(&mut self, _each: &mut dyn FnMut(&UserKey, &str, &[u8])) -> Result<()> {
        Err(pending("check_store"))
    }
}
