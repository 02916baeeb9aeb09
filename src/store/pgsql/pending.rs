//! The areas not written yet for PostgreSQL (issue 10): each method fails with
//! `StoreError::Unavailable("<what> is not yet supported on PostgreSQL")` (exit 3), never a
//! panic. docs/architecture.md lists them; the SQLite files are the reference to port.

use super::{pending, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{
    CheckStore, GdprStore, InboxExport, OfflineExport, OrphanGroup, OrphanRows, PrivateExport,
    RawPassword, RosterExport, UserKey,
};

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
