//! Rendering of the `sessions` group's outcomes (commands.md §7) and of our extension
//! commands `open_session`, `close_session` and `list_deliveries`.

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::services::live::PresenceEffect;
use crate::services::sessions::{
    CloseSession, DeliveryRow, KickSession, NumResources, OpenSession, ResourceNum, SessionInfo,
    SetPresence, StatusNum, UserSessions, UserStatus,
};

/// A session priority in a 5.1 integer field: unset prints as the atom `undefined`.
fn priority(p: Option<i64>) -> Legacy {
    match p {
        Some(p) => Legacy::Int(p),
        None => Legacy::Text("undefined".to_string()),
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` for microseconds since the Unix epoch.
fn rfc3339_micros(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let base = crate::clock::rfc3339_secs(secs);
    match base.strip_suffix('Z') {
        Some(b) => format!("{b}.{micros:06}Z"),
        None => base,
    }
}

impl Render for NumResources {
    fn legacy(&self) -> Legacy {
        Legacy::Int(self.count)
    }

    fn json(&self) -> Option<J> {
        Some(json!({"jid": self.jid.bare(), "resources": self.count}))
    }
}

impl Render for ResourceNum {
    fn legacy(&self) -> Legacy {
        match self {
            ResourceNum::Found { resource, .. } => Legacy::Text(resource.clone()),
            ResourceNum::WrongNumber { num, .. } => {
                Legacy::Text(format!("Error: Wrong resource number: {num}"))
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            ResourceNum::Found { jid, num, resource } => {
                json!({"jid": jid.bare(), "num": num, "resource": resource})
            }
            ResourceNum::WrongNumber { jid, num } => json!({
                "jid": jid.bare(),
                "num": num,
                "resource": null,
                "error": "wrong_resource_number",
            }),
        })
    }
}

impl Render for KickSession {
    fn legacy(&self) -> Legacy {
        Legacy::Code(true)
    }

    fn json(&self) -> Option<J> {
        Some(json!({
            "jid": self.jid.full(),
            "kicked": self.kicked,
            "reason": self.reason,
        }))
    }
}

impl Render for StatusNum {
    fn legacy(&self) -> Legacy {
        Legacy::Int(self.count)
    }

    fn json(&self) -> Option<J> {
        Some(match &self.host {
            Some(host) => json!({"host": host, "status": self.status, "count": self.count}),
            None => json!({"status": self.status, "count": self.count}),
        })
    }
}

impl Render for UserStatus {
    fn legacy(&self) -> Legacy {
        let s = &self.0;
        Legacy::Tuple(vec![
            Legacy::Text(s.jid.user.clone()),
            Legacy::Text(s.jid.server.clone()),
            Legacy::Text(s.jid.resource.clone()),
            priority(s.presence.priority),
            Legacy::Text(s.presence.status.clone()),
        ])
    }

    fn json(&self) -> Option<J> {
        let s = &self.0;
        Some(json!({
            "user": s.jid.user,
            "host": s.jid.server,
            "resource": s.jid.resource,
            "priority": s.presence.priority,
            "status": s.presence.status,
        }))
    }
}

impl Render for SessionInfo {
    fn legacy(&self) -> Legacy {
        let s = &self.session;
        Legacy::Tuple(vec![
            Legacy::Text(s.jid.full()),
            Legacy::Text(s.connection.clone()),
            Legacy::Text(s.ip.clone()),
            Legacy::Int(s.port),
            priority(s.presence.priority),
            Legacy::Text(s.node.clone()),
            Legacy::Int(self.uptime),
        ])
    }

    fn json(&self) -> Option<J> {
        let s = &self.session;
        Some(json!({
            "jid": s.jid.full(),
            "connection": s.connection,
            "ip": s.ip,
            "port": s.port,
            "priority": s.presence.priority,
            "node": s.node,
            "uptime": self.uptime,
        }))
    }
}

impl Render for UserSessions {
    fn legacy(&self) -> Legacy {
        Legacy::List(self.sessions.iter().map(Render::legacy).collect())
    }

    fn json(&self) -> Option<J> {
        Some(J::Array(
            self.sessions.iter().filter_map(Render::json).collect(),
        ))
    }
}

fn effect_name(e: PresenceEffect) -> &'static str {
    match e {
        PresenceEffect::Available => "available",
        PresenceEffect::Unavailable => "unavailable",
        PresenceEffect::Invisible => "invisible",
        PresenceEffect::Ignored => "ignored",
    }
}

impl Render for SetPresence {
    fn legacy(&self) -> Legacy {
        Legacy::Code(true)
    }

    fn json(&self) -> Option<J> {
        Some(json!({
            "jid": self.jid.full(),
            "effect": effect_name(self.effect),
            "show": self.presence.show,
            "status": self.presence.status,
            "priority": self.presence.priority,
        }))
    }
}

impl Render for OpenSession {
    fn legacy(&self) -> Legacy {
        match self {
            OpenSession::Opened { session, replaced } => Legacy::ok(format!(
                "Session {} opened{}",
                session.jid.full(),
                if *replaced {
                    " (replaced the previous session)"
                } else {
                    ""
                }
            )),
            OpenSession::HostUnknown { jid } => {
                Legacy::fail(format!("Login failed for {}: host-unknown", jid.full()))
            }
            OpenSession::NotAuthorized { jid } => {
                Legacy::fail(format!("Login failed for {}: not-authorized", jid.full()))
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            OpenSession::Opened { session, replaced } => json!({
                "jid": session.jid.full(),
                "connection": session.connection,
                "ip": session.ip,
                "port": session.port,
                "priority": session.presence.priority,
                "node": session.node,
                "opened_at": session.opened_at,
                "replaced": replaced,
            }),
            OpenSession::HostUnknown { jid } | OpenSession::NotAuthorized { jid } => {
                json!({"jid": jid.full()})
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            OpenSession::Opened { .. } => None,
            OpenSession::HostUnknown { .. } => Some("host_unknown"),
            OpenSession::NotAuthorized { .. } => Some("not_authorized"),
        }
    }
}

impl Render for CloseSession {
    fn legacy(&self) -> Legacy {
        match self {
            CloseSession::Closed { jid } => Legacy::ok(format!("Session {} closed", jid.full())),
            CloseSession::NotFound { jid } => {
                Legacy::fail(format!("Session {} does not exist", jid.full()))
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            CloseSession::Closed { jid } | CloseSession::NotFound { jid } => {
                json!({"jid": jid.full()})
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            CloseSession::Closed { .. } => None,
            CloseSession::NotFound { .. } => Some("session_not_found"),
        }
    }
}

impl Render for DeliveryRow {
    fn legacy(&self) -> Legacy {
        let d = &self.0;
        Legacy::Tuple(vec![
            Legacy::Text(d.to.full()),
            Legacy::Text(d.from.clone()),
            Legacy::Int(d.at),
            Legacy::Text(d.packet.clone()),
        ])
    }

    fn json(&self) -> Option<J> {
        let d = &self.0;
        Some(json!({
            "to": d.to.full(),
            "from": d.from,
            "delivered_at": d.at,
            "time": rfc3339_micros(d.at),
            "stanza": d.packet,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_microseconds() {
        assert_eq!(rfc3339_micros(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            rfc3339_micros(1_654_000_000_123_456),
            "2022-05-31T12:26:40.123456Z"
        );
    }
}
