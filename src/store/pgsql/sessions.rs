//! Sessions recorded in the store (`mongooseimctl_sessions`, DESIGN.md §2) and deliveries
//! (`mongooseimctl_delivered`).
//!
//! Store order of sessions is the `seq` column (a bigserial): the order they were opened (a
//! replaced session is deleted and inserted again, so it moves to the end). Deliveries: `id`.
//! `priority` and `port` are `integer` columns, read and written through `bigint` casts.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::{pg, PgTx};
use crate::compat::jid::Jid;
use crate::error::Result;
use crate::store::{Delivery, EndedSessions, Presence, Session, SessionScope, SessionStore};

const SESSION_COLUMNS: &str = "username, server, resource, opened_at, priority::bigint, show, \
                               status, connection, ip, port::bigint, node";

fn session_row(r: &postgres::Row) -> Session {
    Session {
        jid: Jid {
            user: r.get(0),
            server: r.get(1),
            resource: r.get(2),
        },
        opened_at: r.get(3),
        presence: Presence {
            priority: r.get(4),
            show: r.get(5),
            status: r.get(6),
        },
        connection: r.get(7),
        ip: r.get(8),
        port: r.get(9),
        node: r.get(10),
    }
}

/// The WHERE clause and parameters of a scope and filters.
fn conditions(
    scope: &SessionScope<'_>,
    show: Option<&str>,
    node: Option<&str>,
) -> (String, Vec<String>) {
    crate::store::layout::session_filter('$', scope, show, node)
}

fn params(values: &[String]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

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

    fn session_users(&mut self, server: &str) -> Result<Vec<String>> {
        let rows = self
            .tx
            .query(
                "SELECT DISTINCT username COLLATE \"C\" AS u FROM mongooseimctl_sessions \
                 WHERE server = $1 ORDER BY u",
                &[&server],
            )
            .map_err(pg)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
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
        let rows = self
            .tx
            .query(
                format!(
                    "SELECT {SESSION_COLUMNS} FROM mongooseimctl_sessions \
                     WHERE server = $1 AND username = $2 ORDER BY resource COLLATE \"C\""
                )
                .as_str(),
                &[&user.server, &user.user],
            )
            .map_err(pg)?;
        Ok(rows.iter().map(session_row).collect())
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

    fn open_session(&mut self, s: &Session) -> Result<Option<Session>> {
        let replaced = self.end_session(&s.jid)?;
        self.tx
            .execute(
                "INSERT INTO mongooseimctl_sessions \
                 (username, server, resource, opened_at, priority, show, status, connection, ip, port, node) \
                 VALUES ($1, $2, $3, $4, $5::bigint, $6, $7, $8, $9, $10::bigint, $11)",
                &[
                    &s.jid.user,
                    &s.jid.server,
                    &s.jid.resource,
                    &s.opened_at,
                    &s.presence.priority,
                    &s.presence.show,
                    &s.presence.status,
                    &s.connection,
                    &s.ip,
                    &s.port,
                    &s.node,
                ],
            )
            .map_err(pg)?;
        Ok(replaced)
    }

    fn session(&mut self, full: &Jid) -> Result<Option<Session>> {
        let row = self
            .tx
            .query_opt(
                format!(
                    "SELECT {SESSION_COLUMNS} FROM mongooseimctl_sessions \
                     WHERE server = $1 AND username = $2 AND resource = $3"
                )
                .as_str(),
                &[&full.server, &full.user, &full.resource],
            )
            .map_err(pg)?;
        Ok(row.as_ref().map(session_row))
    }

    fn end_session(&mut self, full: &Jid) -> Result<Option<Session>> {
        let row = self
            .tx
            .query_opt(
                format!(
                    "DELETE FROM mongooseimctl_sessions \
                     WHERE server = $1 AND username = $2 AND resource = $3 RETURNING {SESSION_COLUMNS}"
                )
                .as_str(),
                &[&full.server, &full.user, &full.resource],
            )
            .map_err(pg)?;
        Ok(row.as_ref().map(session_row))
    }

    fn set_presence(&mut self, full: &Jid, p: &Presence) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "UPDATE mongooseimctl_sessions SET show = $4, status = $5, priority = $6::bigint \
                 WHERE server = $1 AND username = $2 AND resource = $3",
                &[
                    &full.server,
                    &full.user,
                    &full.resource,
                    &p.show,
                    &p.status,
                    &p.priority,
                ],
            )
            .map_err(pg)?;
        Ok(n > 0)
    }

    fn each_session(
        &mut self,
        scope: SessionScope<'_>,
        show: Option<&str>,
        each: &mut dyn FnMut(Session) -> Result<()>,
    ) -> Result<()> {
        let (filter, values) = conditions(&scope, show, None);
        let q =
            format!("SELECT {SESSION_COLUMNS} FROM mongooseimctl_sessions{filter} ORDER BY seq");
        // Streamed: rows are handed on as they arrive.
        let mut rows = self.tx.query_raw(q.as_str(), params(&values)).map_err(pg)?;
        while let Some(row) = rows.next().map_err(pg)? {
            each(session_row(&row))?;
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
        let q = format!("SELECT COUNT(*) FROM mongooseimctl_sessions{filter}");
        let row = self
            .tx
            .query_one(q.as_str(), &params(&values))
            .map_err(pg)?;
        Ok(row.get(0))
    }

    fn deliver_to(&mut self, full: &Jid, from: &str, packet: &str, at: i64) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "INSERT INTO mongooseimctl_delivered (server, username, resource, from_jid, packet, delivered_at) \
                 SELECT server, username, resource, $4, $5, $6 FROM mongooseimctl_sessions \
                 WHERE server = $1 AND username = $2 AND resource = $3",
                &[&full.server, &full.user, &full.resource, &from, &packet, &at],
            )
            .map_err(pg)?;
        Ok(n > 0)
    }

    fn each_delivery(
        &mut self,
        to: &Jid,
        each: &mut dyn FnMut(Delivery) -> Result<()>,
    ) -> Result<()> {
        let values = [to.server.clone(), to.user.clone(), to.resource.clone()];
        let mut rows = self
            .tx
            .query_raw(
                "SELECT username, server, resource, from_jid, packet, delivered_at \
                 FROM mongooseimctl_delivered \
                 WHERE server = $1 AND username = $2 AND ($3 = '' OR resource = $3) ORDER BY id",
                params(&values),
            )
            .map_err(pg)?;
        while let Some(r) = rows.next().map_err(pg)? {
            each(Delivery {
                to: Jid {
                    user: r.get(0),
                    server: r.get(1),
                    resource: r.get(2),
                },
                from: r.get(3),
                packet: r.get(4),
                at: r.get(5),
            })?;
        }
        Ok(())
    }
}
