//! Group `last`: `set_last`, and how last activity drives `num_active_users` and
//! `delete_old_users[_vhost]`.

use crate::support::*;

const DAY: i64 = 86_400;

/// The default config with only these service_admin_extra submods.
fn config_with_submods(submods: &str) -> String {
    DEFAULT_CONFIG.replace(
        "[services.service_admin_extra]\n",
        &format!("[services.service_admin_extra]\n  submods = [{submods}]\n"),
    )
}

fn last_rows(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT server, username, seconds, state FROM last ORDER BY server, username")
}

#[test]
fn set_last_stores_the_record_under_the_normalised_jid() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "set_last",
        "Alice",
        "LocalHost",
        "1654000000",
        "away for lunch",
    ])
    .ok("Last activity for user alice@localhost is set as 1654000000 with status away for lunch\n");
    assert_eq!(
        last_rows(&t),
        vec![vec!["localhost", "alice", "1654000000", "away for lunch"]]
    );
}

#[test]
fn set_last_refuses_negative_timestamps_and_accepts_an_empty_status() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    // last.seconds is MongooseIM's integer: negative times are refused (docs/compat.md).
    let r = t.run(&["set_last", "alice", "localhost", "-5", ""]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{r:?}");
    assert!(last_rows(&t).is_empty());
    t.run(&["set_last", "alice", "localhost", "0", ""])
        .ok("Last activity for user alice@localhost is set as 0 with status \n");
    assert_eq!(last_rows(&t), vec![vec!["localhost", "alice", "0", ""]]);
    // Integers are read like io_lib:fread("~d"): the number is printed back in decimal.
    t.run(&["set_last", "alice", "localhost", "+0042", "x"])
        .ok("Last activity for user alice@localhost is set as 42 with status x\n");
    assert_eq!(last_rows(&t), vec![vec!["localhost", "alice", "42", "x"]]);
}

#[test]
fn second_set_last_replaces_the_first() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["set_last", "alice", "localhost", "100", "first"])
        .ok("Last activity for user alice@localhost is set as 100 with status first\n");
    t.run(&["set_last", "bob", "localhost", "7", "bob's"])
        .ok("Last activity for user bob@localhost is set as 7 with status bob's\n");
    t.run(&["set_last", "ALICE", "localhost", "200", "second"])
        .ok("Last activity for user alice@localhost is set as 200 with status second\n");
    assert_eq!(
        last_rows(&t),
        vec![
            vec!["localhost", "alice", "200", "second"],
            vec!["localhost", "bob", "7", "bob's"],
        ]
    );
}

#[test]
fn set_last_for_a_missing_user_echoes_the_raw_arguments() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_last", "Bob", "LocalHost", "1", "x"])
        .fails("User Bob@LocalHost does not exist\n");
    // Unknown domain, even for a name that exists elsewhere.
    t.run(&["set_last", "alice", "Nope.ORG", "1", "x"])
        .fails("User alice@Nope.ORG does not exist\n");
    // Invalid JID: the same text, no crash.
    t.run(&["set_last", "a@b", "localhost", "1", "x"])
        .fails("User a@b@localhost does not exist\n");
    t.run(&["set_last", "a b", "localhost", "1", "x"])
        .fails("User a b@localhost does not exist\n");
    assert!(last_rows(&t).is_empty());
}

#[test]
fn set_last_with_a_non_integer_timestamp_crashes() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let r = t.run(&["set_last", "alice", "localhost", "yesterday", "x"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("Problem '")
            && r.stdout.ends_with("' occurred executing the command.\n"),
        "{}",
        r.stdout
    );
    assert!(last_rows(&t).is_empty());
}

#[test]
fn set_last_on_a_dynamic_domain() {
    let t = TestEnv::new();
    t.exec("INSERT INTO domain_settings (id, domain, host_type, enabled) VALUES (1, 'dyn.example', 'dyn', 1)");
    t.register("alice", "dyn.example", "pw");
    t.run(&["set_last", "alice", "DYN.example", "5", "s"])
        .ok("Last activity for user alice@dyn.example is set as 5 with status s\n");
    // A disabled domain is unknown.
    t.exec("UPDATE domain_settings SET enabled = 0");
    t.run(&["set_last", "alice", "dyn.example", "6", "s"])
        .fails("User alice@dyn.example does not exist\n");
    assert_eq!(last_rows(&t), vec![vec!["dyn.example", "alice", "5", "s"]]);
}

#[test]
fn num_active_users_counts_records_strictly_newer_than_the_cutoff() {
    let t = TestEnv::new();
    for u in ["alice", "bob", "carol", "dave", "erin"] {
        t.register(u, "localhost", "pw");
    }
    t.register("kate", "example.org", "pw");
    let now = now_secs();
    let set = |u: &str, host: &str, ts: i64| {
        let r = t.run(&["set_last", u, host, &ts.to_string(), ""]);
        assert_eq!(r.code, 0, "{r:?}");
    };
    set("alice", "localhost", now - 100);
    set("bob", "localhost", now - 2 * DAY - 100);
    set("carol", "localhost", now - 2 * DAY + 100);
    set("dave", "localhost", now + 1000);
    // erin never logged in.
    set("kate", "example.org", now - 100);
    t.run(&["num_active_users", "localhost", "2"]).ok("3\n");
    t.run(&["num_active_users", "localhost", "1"]).ok("2\n");
    t.run(&["num_active_users", "localhost", "0"]).ok("1\n");
    t.run(&["num_active_users", "localhost", "3"]).ok("4\n");
    t.run(&["num_active_users", "example.org", "1"]).ok("1\n");
    // Raw host, unknown domains.
    t.run(&["num_active_users", "LOCALHOST", "2"]).ok("0\n");
    t.run(&["num_active_users", "nope.org", "2"]).ok("0\n");
    // A later set_last moves bob into the window.
    set("bob", "localhost", now - 10);
    t.run(&["num_active_users", "localhost", "1"]).ok("3\n");
}

#[test]
fn delete_old_users_vhost_uses_the_last_activity_records() {
    let t = TestEnv::new();
    for u in ["alice", "bob", "carol", "erin", "sam"] {
        t.register(u, "localhost", "pw");
    }
    t.register("kate", "example.org", "pw");
    let now = now_secs();
    let set = |u: &str, host: &str, ts: i64| {
        let r = t.run(&["set_last", u, host, &ts.to_string(), "st"]);
        assert_eq!(r.code, 0, "{r:?}");
    };
    set("alice", "localhost", now - 100);
    // Older than 2 days: now - T >= 2 * 86400.
    set("bob", "localhost", now - 2 * DAY - 50);
    set("carol", "localhost", now - 2 * DAY + 100);
    // erin never logged in; sam is old but connected.
    set("sam", "localhost", now - 30 * DAY);
    t.exec("INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES ('sam','localhost','r',1,'n')");
    set("kate", "example.org", now - 30 * DAY);
    t.run(&["delete_old_users_vhost", "LocalHost", "2"]).ok(
        "Deleted 2 users: [{<<\"bob\">>,<<\"localhost\">>},{<<\"erin\">>,<<\"localhost\">>}]\n",
    );
    assert_eq!(
        t.users(),
        vec![
            "kate@example.org",
            "alice@localhost",
            "carol@localhost",
            "sam@localhost"
        ]
    );
    // bob's last-activity record went with his account.
    assert_eq!(
        t.col("SELECT username FROM last ORDER BY server, username"),
        vec!["kate", "alice", "carol", "sam"]
    );
    t.run(&["delete_old_users_vhost", "nope.org", "0"])
        .ok("Deleted 0 users: []\n");
}

#[test]
fn delete_old_users_covers_every_domain() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("kate", "example.org", "pw");
    t.register("mike", "example.org", "pw");
    let now = now_secs();
    for (u, h, ts) in [
        ("alice", "localhost", now - 10 * DAY),
        ("kate", "example.org", now - 100),
        ("mike", "example.org", now - 5 * DAY - 1),
    ] {
        let r = t.run(&["set_last", u, h, &ts.to_string(), ""]);
        assert_eq!(r.code, 0, "{r:?}");
    }
    // 79 characters on one line: the list wraps, aligned after the `[`.
    t.run(&["delete_old_users", "5"]).ok(
        "Deleted 2 users: [{<<\"alice\">>,<<\"localhost\">>},\n                  {<<\"mike\">>,<<\"example.org\">>}]\n",
    );
    assert_eq!(t.users(), vec!["kate@example.org"]);
    assert_eq!(t.col("SELECT username FROM last"), vec!["kate"]);
    t.run(&["delete_old_users", "5"])
        .ok("Deleted 0 users: []\n");
}

#[test]
fn unregister_removes_the_last_activity_record() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_last", "alice", "localhost", "1", ""])
        .ok("Last activity for user alice@localhost is set as 1 with status \n");
    t.run(&["unregister", "alice", "localhost"]).ok("");
    assert!(last_rows(&t).is_empty());
    t.run(&["set_last", "alice", "localhost", "1", ""])
        .fails("User alice@localhost does not exist\n");
}

#[test]
fn group_help_lists_set_last() {
    let t = TestEnv::new();
    let r = t.run(&["last", "--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("set_last"), "{}", r.stdout);
    let r = t.run(&["help", "set_last"]);
    assert_eq!(r.code, 0);
    assert!(r
        .stdout
        .contains("Timestamp is the seconds since1970-01-01 00:00:00 UTC, for example: date +%s"));
}

#[test]
fn disabled_group_refuses_set_last() {
    let t = TestEnv::with_config(&config_with_submods("\"accounts\""));
    t.register("alice", "localhost", "pw");
    let r = t.run(&["set_last", "alice", "localhost", "1", "x"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout, "");
    r.stderr_has("last");
    assert!(last_rows(&t).is_empty());
}

#[test]
fn set_last_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    assert_eq!(
        t.json(&["set_last", "Alice", "localhost", "12", "st"]),
        serde_json::json!({"command": "set_last", "ok": true,
            "result": {"jid": "alice@localhost", "timestamp": 12, "status": "st"}})
    );
    assert_eq!(
        t.json(&["set_last", "Bob", "localhost", "12", "st"]),
        serde_json::json!({"command": "set_last", "ok": false, "error": {
            "kind": "user_not_found", "message": "User Bob@localhost does not exist",
            "user": "Bob", "host": "localhost"}})
    );
    assert_eq!(last_rows(&t), vec![vec!["localhost", "alice", "12", "st"]]);
}

#[test]
fn set_last_racing_unregister_leaves_no_orphan() {
    let t = TestEnv::new();
    crate::vcard::race_unregister(
        &t,
        "racer",
        20,
        &|n| {
            ["set_last", "racer", "localhost"]
                .map(String::from)
                .into_iter()
                .chain([n.to_string(), "st".to_string()])
                .collect()
        },
        "SELECT COUNT(*) FROM last WHERE username = 'racer'",
    );
}

#[test]
fn a_status_with_characters_outside_xml_is_refused_and_changes_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_last", "alice", "localhost", "5", "fine"])
        .ok("Last activity for user alice@localhost is set as 5 with status fine\n");
    for (status, at, code) in [
        ("away\u{1b}[2J", 5, "U+001B"),
        ("\u{7}", 1, "U+0007"),
        ("x\u{fffe}", 2, "U+FFFE"),
    ] {
        t.run(&["set_last", "alice", "localhost", "6", status])
            .fails(&format!(
                "Invalid status: {code} at position {at} is not an XML 1.0 character\n"
            ));
    }
    assert_eq!(last_rows(&t), vec![vec!["localhost", "alice", "5", "fine"]]);
    assert_eq!(
        t.json(&["set_last", "alice", "localhost", "6", "a\u{1b}"]),
        serde_json::json!({"command": "set_last", "ok": false, "error": {
            "kind": "invalid_xml_value",
            "message": "Invalid status: U+001B at position 2 is not an XML 1.0 character",
            "position": 2, "character": "U+001B"}})
    );
    // Tab and newline are fine.
    t.run(&["set_last", "alice", "localhost", "7", "a\tb\nc"])
        .ok("Last activity for user alice@localhost is set as 7 with status a\tb\nc\n");
}
