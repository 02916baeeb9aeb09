//! vCards (`vcard`) and their search index (`vcard_search`).

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::compat::vcard::SearchRow;
use crate::error::Result;
use crate::store::VcardStore;

impl VcardStore for PgTx<'_> {
    fn vcard(&mut self, user: &Jid) -> Result<Option<String>> {
        let row = self
            .tx
            .query_opt(
                "SELECT vcard FROM vcard WHERE username = $1 AND server = $2",
                &[&user.user, &user.server],
            )
            .map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn put_vcard(&mut self, jid: &Jid, xml: &str, raw: &SearchRow, low: &SearchRow) -> Result<()> {
        let (user, server) = (&jid.user, &jid.server);
        self.tx
            .execute(
                "INSERT INTO vcard (username, server, vcard) VALUES ($1, $2, $3) \
                 ON CONFLICT (server, username) DO UPDATE SET vcard = excluded.vcard",
                &[user, server, &xml],
            )
            .map_err(pg)?;
        self.tx
            .execute(
                "INSERT INTO vcard_search (username, lusername, server, fn, lfn, family, lfamily, given, lgiven, \
                 middle, lmiddle, nickname, lnickname, bday, lbday, ctry, lctry, locality, llocality, email, lemail, \
                 orgname, lorgname, orgunit, lorgunit) VALUES \
                 ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) \
                 ON CONFLICT (server, lusername) DO UPDATE SET username = excluded.username, fn = excluded.fn, lfn = excluded.lfn, \
                 family = excluded.family, lfamily = excluded.lfamily, given = excluded.given, lgiven = excluded.lgiven, \
                 middle = excluded.middle, lmiddle = excluded.lmiddle, nickname = excluded.nickname, lnickname = excluded.lnickname, \
                 bday = excluded.bday, lbday = excluded.lbday, ctry = excluded.ctry, lctry = excluded.lctry, \
                 locality = excluded.locality, llocality = excluded.llocality, email = excluded.email, lemail = excluded.lemail, \
                 orgname = excluded.orgname, lorgname = excluded.lorgname, orgunit = excluded.orgunit, lorgunit = excluded.lorgunit",
                &[
                    user, server, &raw.fn_, &low.fn_, &raw.family, &low.family, &raw.given, &low.given,
                    &raw.middle, &low.middle, &raw.nickname, &low.nickname, &raw.bday, &low.bday,
                    &raw.ctry, &low.ctry, &raw.locality, &low.locality, &raw.email, &low.email,
                    &raw.orgname, &low.orgname, &raw.orgunit, &low.orgunit,
                ],
            )
            .map_err(pg)?;
        Ok(())
    }
}
