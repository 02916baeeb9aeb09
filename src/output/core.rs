//! Rendering of the `core` group's outcomes that are not about accounts (those are in
//! `accounts.rs`), and of [`NoEffect`], shared with the `node` group.

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::context::StoreTarget;
use crate::services::core::{
    Direction, LogLevel, NoEffect, NodeOnly, NodeSubsystem, Purge, Resources, RevokeToken,
    S2sConnections, Status,
};
use crate::services::routing::StoredMessage;

impl Render for Status {
    fn legacy(&self) -> Legacy {
        let store = match &self.store {
            StoreTarget::Sqlite(p) => p.display().to_string(),
            StoreTarget::Postgres(t) => t.location(),
            StoreTarget::Unsupported(why) => format!("unavailable ({why})"),
        };
        let up = self.uptime_seconds;
        let (d, rem) = (up / 86_400, up % 86_400);
        Legacy::ok(format!(
            "MongooseIM node {node}:\n    operating system pid: {pid}\n    Erlang VM status: started (of: starting | started | stopping)\n    boot script status: started\n    version: {ver} (as mongooseimctl)\n    uptime: {d} days {h:02}:{m:02}:{s:02}\n    distribution protocol: none (standalone, no Erlang node)\n    config: {cfg}\n    store: {store}\n    store details: {size} bytes, {users} users, schema version {schema}\n    logs: none - mongooseimctl logs to stderr (MONGOOSEIMCTL_LOG)",
            node = self.node,
            pid = self.pid,
            ver = self.version,
            h = rem / 3600,
            m = (rem % 3600) / 60,
            s = rem % 60,
            cfg = self.config_label,
            size = self.facts.size_bytes,
            users = self.facts.users,
            schema = self.facts.schema_version,
        ))
    }

    fn json(&self) -> Option<J> {
        let mut store = match &self.store {
            StoreTarget::Sqlite(p) => json!({"driver": "sqlite", "path": p.display().to_string()}),
            StoreTarget::Postgres(t) => {
                json!({"driver": "pgsql", "host": t.host, "port": t.port, "database": t.database})
            }
            StoreTarget::Unsupported(why) => json!({"driver": null, "unavailable": why}),
        };
        if let Some(o) = store.as_object_mut() {
            o.insert("size_bytes".into(), json!(self.facts.size_bytes));
            o.insert("users".into(), json!(self.facts.users));
            o.insert("schema_version".into(), json!(self.facts.schema_version));
        }
        Some(json!({
            "node": self.node,
            "pid": self.pid,
            "version": self.version,
            "uptime_seconds": self.uptime_seconds,
            "config": self.config_file,
            "store": store,
        }))
    }
}

impl Render for LogLevel {
    fn legacy(&self) -> Legacy {
        Legacy::ok(format!(
            "global loglevel is {}, which means '{}'",
            self.number, self.name
        ))
    }

    fn json(&self) -> Option<J> {
        Some(json!({"level": self.number, "name": self.name}))
    }
}

impl Render for Purge {
    fn legacy(&self) -> Legacy {
        match self {
            Purge::Removed { count, .. } => Legacy::ok(format!("Removed {count} messages")),
            Purge::UnknownDomain { .. } => Legacy::error("Unknown domain"),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            Purge::Removed { host, count } => json!({"host": host, "removed": count}),
            Purge::UnknownDomain { host } => json!({"host": host}),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            Purge::Removed { .. } => None,
            Purge::UnknownDomain { .. } => Some("unknown_domain"),
        }
    }
}

impl Render for Resources {
    fn legacy(&self) -> Legacy {
        Legacy::List(self.resources.iter().cloned().map(Legacy::Text).collect())
    }

    fn json(&self) -> Option<J> {
        Some(json!({"jid": self.jid.bare(), "resources": self.resources}))
    }
}

impl Render for S2sConnections {
    fn legacy(&self) -> Legacy {
        Legacy::Int(self.count)
    }

    fn json(&self) -> Option<J> {
        let direction = match self.direction {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
        };
        Some(json!({"direction": direction, "count": self.count}))
    }
}

impl Render for NoEffect {
    fn legacy(&self) -> Legacy {
        Legacy::Code(true)
    }

    fn json(&self) -> Option<J> {
        Some(json!({"node": self.node, "changed": false}))
    }
}

impl Render for RevokeToken {
    fn legacy(&self) -> Legacy {
        match self {
            RevokeToken::Revoked { .. } => Legacy::ok("Revoked."),
            RevokeToken::NotFound { .. } => Legacy::fail("User or token not found."),
        }
    }

    fn json(&self) -> Option<J> {
        let (RevokeToken::Revoked { owner } | RevokeToken::NotFound { owner }) = self;
        Some(json!({"owner": owner.bare()}))
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            RevokeToken::Revoked { .. } => None,
            RevokeToken::NotFound { .. } => Some("token_not_found"),
        }
    }
}

impl Render for NodeOnly {
    fn legacy(&self) -> Legacy {
        Legacy::error(format!(
            "{} needs a running MongooseIM node (Mnesia/cluster operation); \
             this mongooseimctl works on the store directly and cannot do it",
            self.command
        ))
    }

    fn json(&self) -> Option<J> {
        let needs = match self.needs {
            NodeSubsystem::Mnesia => "mnesia",
            NodeSubsystem::Cluster => "cluster",
        };
        Some(json!({"needs": needs}))
    }

    fn failure(&self) -> Option<&'static str> {
        Some("needs_node")
    }
}

impl Render for StoredMessage {
    fn legacy(&self) -> Legacy {
        Legacy::Tuple(vec![
            Legacy::Text(self.from.clone()),
            Legacy::Int(self.timestamp),
            Legacy::Text(match self.expire {
                Some(at) => at.to_string(),
                None => "never".to_string(),
            }),
            Legacy::Text(self.stanza.clone()),
        ])
    }

    fn json(&self) -> Option<J> {
        Some(json!({
            "from": self.from,
            "timestamp": self.timestamp,
            "expire": self.expire,
            "stanza": self.stanza,
        }))
    }
}
