//! Group `stats`: stats and stats_host over accounts and recorded sessions.

use serde_json::json;

use crate::core::{json_error, json_ok};
use crate::support::*;

const NODE: &str = "mongooseim@localhost";

/// Sessions recorded directly in the store: (user, server, resource, node).
fn sessions(t: &TestEnv, rows: &[(&str, &str, &str, &str)]) {
    for (u, s, r, n) in rows {
        t.exec(&format!(
            "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) \
             VALUES ('{u}', '{s}', '{r}', 1, '{n}')"
        ));
    }
}

#[test]
fn registered_users_count_every_known_domain() {
    let t = TestEnv::new();
    t.run(&["stats", "registeredusers"]).ok("0\n");
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.register("carol", "example.org", "pw");
    t.run(&["stats", "registeredusers"]).ok("3\n");
    t.run(&["stats_host", "registeredusers", "localhost"])
        .ok("2\n");
    // The host is nameprepped for registeredusers.
    t.run(&["stats_host", "registeredusers", "EXAMPLE.ORG"])
        .ok("1\n");
    t.run(&["stats_host", "registeredusers", "unknown.org"])
        .ok("0\n");
    // A dynamic domain counts while it is enabled and its host type configured.
    t.exec("INSERT INTO domain_settings (id, domain, host_type, enabled) VALUES (1, 'dyn.example', 'dyn', 1)");
    t.register("dave", "dyn.example", "pw");
    t.run(&["stats", "registeredusers"]).ok("4\n");
    t.run(&["stats_host", "registeredusers", "dyn.example"])
        .ok("1\n");
    t.exec("UPDATE domain_settings SET enabled = 0");
    t.run(&["stats", "registeredusers"]).ok("3\n");
    t.run(&["stats_host", "registeredusers", "dyn.example"])
        .ok("0\n");
    // Rows of a domain the config no longer serves are not counted.
    t.exec("INSERT INTO users (username, server, password) VALUES ('old', 'gone.org', '')");
    t.run(&["stats", "registeredusers"]).ok("3\n");
}

#[test]
fn online_users_count_sessions_raw_host() {
    let t = TestEnv::new();
    t.run(&["stats", "onlineusers"]).ok("0\n");
    t.run(&["stats", "onlineusersnode"]).ok("0\n");
    sessions(
        &t,
        &[
            ("alice", "localhost", "phone", NODE),
            ("alice", "localhost", "tablet", NODE),
            ("bob", "example.org", "r", "other@node"),
        ],
    );
    // Resources, not users; cluster-wide.
    t.run(&["stats", "onlineusers"]).ok("3\n");
    // Only the sessions on this node.
    t.run(&["stats", "onlineusersnode"]).ok("2\n");
    t.run(&["stats_host", "onlineusers", "localhost"]).ok("2\n");
    t.run(&["stats_host", "onlineusers", "example.org"])
        .ok("1\n");
    // Raw host: compared as typed.
    t.run(&["stats_host", "onlineusers", "LOCALHOST"]).ok("0\n");
    t.run(&["stats_host", "onlineusers", "nowhere"]).ok("0\n");
}

#[test]
fn uptime_counts_from_the_store_creation() {
    let t = TestEnv::new();
    t.init_store();
    let created = now_secs() - 100;
    t.exec(&format!(
        "UPDATE mongooseimctl_state SET v = '{created}' WHERE k = 'created_at'"
    ));
    // A fixed clock: the PostgreSQL twin runs a moment later and must print the same.
    let now = (created + 100).to_string();
    t.run_env(&["stats", "uptimeseconds"], &[("MONGOOSEIMCTL_NOW", &now)])
        .ok("100\n");
}

#[test]
fn wrong_names() {
    let t = TestEnv::new();
    t.init_store();
    let before = t.sql("SELECT * FROM mongooseimctl_state ORDER BY k");
    for args in [
        &["stats", "RegisteredUsers"][..],
        &["stats", ""],
        &["stats", "uptime"],
        // stats_host knows only registeredusers and onlineusers.
        &["stats_host", "uptimeseconds", "localhost"],
        &["stats_host", "onlineusersnode", "localhost"],
        &["stats_host", "x", "localhost"],
    ] {
        t.run(args).fails("Error: \"Wrong command name.\"\n");
    }
    assert_eq!(
        t.sql("SELECT * FROM mongooseimctl_state ORDER BY k"),
        before
    );
    // Grouped form and arity.
    t.run(&["stats", "stats", "onlineusers"]).ok("0\n");
    let r = t.run(&["stats", "a", "b"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("requires 1 less argument"),
        "{}",
        r.stdout
    );
}

#[test]
fn stats_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    sessions(&t, &[("alice", "localhost", "r", NODE)]);
    assert_eq!(
        t.json(&["stats", "registeredusers"]),
        json_ok("stats", json!({"name": "registeredusers", "value": 1}))
    );
    assert_eq!(
        t.json(&["stats_host", "onlineusers", "localhost"]),
        json_ok(
            "stats_host",
            json!({"name": "onlineusers", "host": "localhost", "value": 1})
        )
    );
    assert_eq!(
        t.json(&["stats", "bogus"]),
        json_error(
            "stats",
            json!({"kind": "wrong_command_name", "message": "Error: \"Wrong command name.\"",
                   "name": "bogus"})
        )
    );
}

#[test]
fn stats_group_can_be_disabled() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n\
         [services.service_admin_extra]\nsubmods = [\"accounts\"]\n",
    );
    let r = t.run(&["stats", "registeredusers"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("stats"), "{}", r.stderr);
}
