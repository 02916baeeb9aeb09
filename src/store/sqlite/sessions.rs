//! Sessions recorded in the store (`mongooseimctl_sessions`, DESIGN.md §2), deliveries
//! (`mongooseimctl_delivered`), offline messages (`offline_message`) and tokens.
//!
//! Store order of sessions is the table's rowid order: the order they were opened (a
//! replaced session is deleted and inserted again, so it moves to the end).

use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::{rows, sql, SqliteTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{
    Delivery, EndedSessions, OfflineMessage, OfflineStore, Presence, Session, SessionScope,
    SessionStore, TokenStore,
};

const SESSION_COLUMNS: &str =
    "username, server, resource, opened_at, priority, show, status, connection, ip, port, node";

fn session_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        jid: Jid {
            user: r.get(0)?,
            server: r.get(1)?,
            resource: r.get(2)?,
        },
        opened_at: r.get(3)?,
        presence: Presence {
            priority: r.get(4)?,
            show: r.get(5)?,
            status: r.get(6)?,
        },
        connection: r.get(7)?,
        ip: r.get(8)?,
        port: r.get(9)?,
        node: r.get(10)?,
    })
}

/// The WHERE clause and parameters of a scope and filters.
fn conditions(
    scope: &SessionScope<'_>,
    show: Option<&str>,
    node: Option<&str>,
) -> (String, Vec<String>) {
    crate::store::layout::session_filter('?', scope, show, node)
}

impl SessionStore for SqliteTx<'_> {
    fn count_sessions(&mut self, user: &Jid) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "SELECT COUNT(*) FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| st.query_row(params![user.server, user.user], |r| r.get(0)))
            .map_err(sql)
    }

    fn session_users(&mut self, server: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT DISTINCT username FROM mongooseimctl_sessions WHERE server = ?1 ORDER BY username",
            )
            .map_err(sql)?;
        let out = rows(st.query_map([server], |r| r.get(0)).map_err(sql)?)?;
        Ok(out)
    }

    fn resources(&mut self, user: &Jid) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT resource FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2 \
                 ORDER BY resource",
            )
            .map_err(sql)?;
        let out = rows(
            st.query_map(params![user.server, user.user], |r| r.get(0))
                .map_err(sql)?,
        )?;
        Ok(out)
    }

    fn user_sessions(&mut self, user: &Jid) -> Result<Vec<Session>> {
        let mut st = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM mongooseimctl_sessions \
                 WHERE server = ?1 AND username = ?2 ORDER BY resource"
            ))
            .map_err(sql)?;
        let out = rows(
            st.query_map(params![user.server, user.user], session_row)
                .map_err(sql)?,
        )?;
        Ok(out)
    }

    fn end_sessions(&mut self, user: &Jid) -> Result<EndedSessions> {
        let conn = self.conn();
        let had_available: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2 \
                 AND show <> 'unavailable')",
            )
            .and_then(|mut st| st.query_row(params![user.server, user.user], |r| r.get(0)))
            .map_err(sql)?;
        let count = conn
            .prepare_cached(
                "DELETE FROM mongooseimctl_sessions WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user]))
            .map_err(sql)?;
        Ok(EndedSessions {
            count,
            had_available,
        })
    }

    fn deliver(&mut self, user: &Jid, from: &str, packet: &str, at: i64) -> Result<usize> {
        self.conn()
            .prepare_cached(
                "INSERT INTO mongooseimctl_delivered (server, username, resource, from_jid, packet, delivered_at) \
                 SELECT server, username, resource, ?3, ?4, ?5 FROM mongooseimctl_sessions \
                 WHERE server = ?1 AND username = ?2 ORDER BY resource",
            )
            .and_then(|mut st| st.execute(params![user.server, user.user, from, packet, at]))
            .map_err(sql)
    }

    fn open_session(&mut self, s: &Session) -> Result<Option<Session>> {
        let replaced = self.end_session(&s.jid)?;
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO mongooseimctl_sessions ({SESSION_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))
            .and_then(|mut st| {
                st.execute(params![
                    s.jid.user,
                    s.jid.server,
                    s.jid.resource,
                    s.opened_at,
                    s.presence.priority,
                    s.presence.show,
                    s.presence.status,
                    s.connection,
                    s.ip,
                    s.port,
                    s.node
                ])
            })
            .map_err(sql)?;
        Ok(replaced)
    }

    fn session(&mut self, full: &Jid) -> Result<Option<Session>> {
        self.conn()
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM mongooseimctl_sessions \
                 WHERE server = ?1 AND username = ?2 AND resource = ?3"
            ))
            .and_then(|mut st| {
                st.query_row(params![full.server, full.user, full.resource], session_row)
                    .optional()
            })
            .map_err(sql)
    }

    fn end_session(&mut self, full: &Jid) -> Result<Option<Session>> {
        let found = self.session(full)?;
        if found.is_some() {
            self.conn()
                .prepare_cached(
                    "DELETE FROM mongooseimctl_sessions \
                     WHERE server = ?1 AND username = ?2 AND resource = ?3",
                )
                .and_then(|mut st| st.execute(params![full.server, full.user, full.resource]))
                .map_err(sql)?;
        }
        Ok(found)
    }

    fn set_presence(&mut self, full: &Jid, p: &Presence) -> Result<bool> {
        self.conn()
            .prepare_cached(
                "UPDATE mongooseimctl_sessions SET show = ?4, status = ?5, priority = ?6 \
                 WHERE server = ?1 AND username = ?2 AND resource = ?3",
            )
            .and_then(|mut st| {
                st.execute(params![
                    full.server,
                    full.user,
                    full.resource,
                    p.show,
                    p.status,
                    p.priority
                ])
            })
            .map(|n| n > 0)
            .map_err(sql)
    }

    fn each_session(
        &mut self,
        scope: SessionScope<'_>,
        show: Option<&str>,
        each: &mut dyn FnMut(Session) -> Result<()>,
    ) -> Result<()> {
        let (filter, values) = conditions(&scope, show, None);
        let mut st = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM mongooseimctl_sessions{filter} ORDER BY rowid"
            ))
            .map_err(sql)?;
        let mut found = st.query(params_from_iter(&values)).map_err(sql)?;
        while let Some(row) = found.next().map_err(sql)? {
            each(session_row(row).map_err(sql)?)?;
        }
        Ok(())
    }

    fn count_scope(
        &mut self,
        scope: SessionScope<'_>,
        show: Option<&str>,
        node: Option<&str>,
    ) -> Result<i64> {
        let (filter, values) = conditions(&scope, show, node);
        self.conn()
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM mongooseimctl_sessions{filter}"
            ))
            .and_then(|mut st| st.query_row(params_from_iter(&values), |r| r.get(0)))
            .map_err(sql)
    }

    fn deliver_to(&mut self, full: &Jid, from: &str, packet: &str, at: i64) -> Result<bool> {
        self.conn()
            .prepare_cached(
                "INSERT INTO mongooseimctl_delivered (server, username, resource, from_jid, packet, delivered_at) \
                 SELECT server, username, resource, ?4, ?5, ?6 FROM mongooseimctl_sessions \
                 WHERE server = ?1 AND username = ?2 AND resource = ?3",
            )
            .and_then(|mut st| {
                st.execute(params![
                    full.server,
                    full.user,
                    full.resource,
                    from,
                    packet,
                    at
                ])
            })
            .map(|n| n > 0)
            .map_err(sql)
    }

    fn each_delivery(
        &mut self,
        to: &Jid,
        each: &mut dyn FnMut(Delivery) -> Result<()>,
    ) -> Result<()> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT username, server, resource, from_jid, packet, delivered_at \
                 FROM mongooseimctl_delivered \
                 WHERE server = ?1 AND username = ?2 AND (?3 = '' OR resource = ?3) ORDER BY id",
            )
            .map_err(sql)?;
        let mut found = st
            .query(params![to.server, to.user, to.resource])
            .map_err(sql)?;
        while let Some(r) = found.next().map_err(sql)? {
            let delivery = Delivery {
                to: Jid {
                    user: r.get(0).map_err(sql)?,
                    server: r.get(1).map_err(sql)?,
                    resource: r.get(2).map_err(sql)?,
                },
                from: r.get(3).map_err(sql)?,
                packet: r.get(4).map_err(sql)?,
                at: r.get(5).map_err(sql)?,
            };
            each(delivery)?;
        }
        Ok(())
    }
}

impl OfflineStore for SqliteTx<'_> {
    fn delete_expired_offline(&mut self, server: &str, now: i64) -> Result<usize> {
        self.conn()
            .prepare_cached(
                "DELETE FROM offline_message WHERE server = ?1 AND expire IS NOT NULL AND expire < ?2",
            )
            .and_then(|mut st| st.execute(params![server, now]))
            .map_err(sql)
    }

    fn delete_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize> {
        self.conn()
            .prepare_cached("DELETE FROM offline_message WHERE server = ?1 AND timestamp < ?2")
            .and_then(|mut st| st.execute(params![server, cutoff]))
            .map_err(sql)
    }

    fn count_expired_offline(&mut self, server: &str, now: i64) -> Result<usize> {
        self.conn()
            .prepare_cached(
                "SELECT COUNT(*) FROM offline_message \
                 WHERE server = ?1 AND expire IS NOT NULL AND expire < ?2",
            )
            .and_then(|mut st| st.query_row(params![server, now], |r| r.get::<_, i64>(0)))
            .map(|n| n as usize)
            .map_err(sql)
    }

    fn count_offline_before(&mut self, server: &str, cutoff: i64) -> Result<usize> {
        self.conn()
            .prepare_cached(
                "SELECT COUNT(*) FROM offline_message WHERE server = ?1 AND timestamp < ?2",
            )
            .and_then(|mut st| st.query_row(params![server, cutoff], |r| r.get::<_, i64>(0)))
            .map(|n| n as usize)
            .map_err(sql)
    }

    fn store_offline(&mut self, m: &OfflineMessage) -> Result<i64> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO offline_message \
             (timestamp, expire, server, username, from_jid, packet, permanent_fields) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut st| {
            st.execute(params![
                m.timestamp,
                m.expire,
                m.to.server,
                m.to.user,
                m.from,
                m.packet,
                m.permanent_fields
            ])
        })
        .map_err(sql)?;
        Ok(conn.last_insert_rowid())
    }

    fn count_offline(&mut self, user: &Jid) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "SELECT COUNT(*) FROM offline_message WHERE server = ?1 AND username = ?2",
            )
            .and_then(|mut st| st.query_row(params![user.server, user.user], |r| r.get(0)))
            .map_err(sql)
    }

    fn offline_messages(&mut self, user: &Jid) -> Result<Vec<OfflineMessage>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT id, username, server, timestamp, expire, from_jid, packet, \
                 COALESCE(permanent_fields, X'') FROM offline_message \
                 WHERE server = ?1 AND username = ?2 ORDER BY id",
            )
            .map_err(sql)?;
        let out = rows(
            st.query_map(params![user.server, user.user], |r| {
                Ok(OfflineMessage {
                    id: r.get(0)?,
                    to: Jid {
                        user: r.get(1)?,
                        server: r.get(2)?,
                        resource: String::new(),
                    },
                    timestamp: r.get(3)?,
                    expire: r.get(4)?,
                    from: r.get(5)?,
                    packet: r.get(6)?,
                    permanent_fields: r.get(7)?,
                })
            })
            .map_err(sql)?,
        )?;
        Ok(out)
    }
}

impl TokenStore for SqliteTx<'_> {
    fn revoke_tokens(&mut self, owner: &str) -> Result<bool> {
        self.conn()
            .prepare_cached("UPDATE auth_token SET seq_no = seq_no + 1 WHERE owner = ?1")
            .and_then(|mut st| st.execute([owner]))
            .map(|n| n > 0)
            .map_err(sql)
    }
}
