//! Group `domain`: insert_domain, delete_domain, enable_domain, disable_domain (commands.md
//! §14, services.md §4.4/§4.5), the domain cascade (store.md §5), dynamic domains seen by the
//! other commands, and the domain-event cleaner (services.md §4.8) with clean_domain_events.

use serde_json::json;

use crate::core::{json_error, json_ok};
use crate::support::*;

/// Two dynamic host types, the data modules, the event cleaner every 100 s for events
/// observed 1000 s ago.
const CONFIG: &str = r#"
[general]
  hosts = ["localhost", "example.org"]
  host_types = ["dyn", "other type"]
  default_server_domain = "localhost"

[auth]
  password.format = "plain"
  [auth.rdbms]

[services.service_admin_extra]

[services.service_domain_db]
  event_cleaning_interval = 100
  event_max_age = 1000

[modules.mod_last]
  backend = "rdbms"
[modules.mod_roster]
  backend = "rdbms"
[modules.mod_vcard]
  backend = "rdbms"
[modules.mod_private]
[modules.mod_offline]
  backend = "rdbms"
"#;

/// The same without `[services.service_domain_db]`.
fn without_service() -> String {
    CONFIG.replace(
        "[services.service_domain_db]\n  event_cleaning_interval = 100\n  event_max_age = 1000\n",
        "",
    )
}

fn env() -> TestEnv {
    TestEnv::with_config(CONFIG)
}

fn events(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT id, domain FROM domain_events ORDER BY id")
}

fn ev(rows: &[(i64, &str)]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|(i, d)| vec![i.to_string(), d.to_string()])
        .collect()
}

fn settings(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT domain, host_type, enabled FROM domain_settings ORDER BY id")
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// The store's content that a refused command must leave alone.
fn snapshot(t: &TestEnv) -> Vec<Vec<String>> {
    let mut all = t.sql("SELECT 'ds', domain, host_type, enabled FROM domain_settings ORDER BY id");
    all.extend(t.sql("SELECT 'ev', id, domain, '' FROM domain_events ORDER BY id"));
    all.extend(t.sql("SELECT 'u', server, username, '' FROM users ORDER BY server, username"));
    all.extend(
        t.sql("SELECT 'r', server, username, jid FROM rosterusers ORDER BY server, username, jid"),
    );
    all.extend(t.sql(
        "SELECT 's', server, username, resource FROM mongooseimctl_sessions ORDER BY server, username",
    ));
    all
}

// ---- insert_domain ------------------------------------------------------------------------

#[test]
fn insert_domain_adds_an_enabled_domain_and_its_event() {
    let t = env();
    t.run(&["insert_domain", "Dyn.Example", "dyn"])
        .ok("Added\n");
    assert_eq!(settings(&t), vec![row(&["dyn.example", "dyn", "1"])]);
    assert_eq!(events(&t), ev(&[(1, "dyn.example")]));
    // The host type is taken verbatim (with its space).
    t.run(&["insert_domain", "b.example", "other type"])
        .ok("Added\n");
    assert_eq!(
        settings(&t),
        vec![
            row(&["dyn.example", "dyn", "1"]),
            row(&["b.example", "other type", "1"])
        ]
    );
    assert_eq!(events(&t), ev(&[(1, "dyn.example"), (2, "b.example")]));
    assert_eq!(
        t.json(&["insert_domain", "c.example", "dyn"]),
        json_ok(
            "insert_domain",
            json!({"domain": "c.example", "host_type": "dyn", "inserted": true, "enabled": true})
        )
    );
    // Grouped form.
    t.run(&["domain", "insert-domain", "d.example", "dyn"])
        .ok("Added\n");
    assert_eq!(t.col("SELECT COUNT(*) FROM domain_events"), vec!["4"]);
}

#[test]
fn insert_domain_again_with_the_same_host_type_changes_nothing() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.run(&["insert_domain", "DYN.example", "dyn"])
        .ok("Added\n");
    assert_eq!(events(&t), ev(&[(1, "dyn.example")]));
    // A disabled domain stays disabled, and no event is written.
    t.run(&["disable_domain", "dyn.example"]).ok("disabled\n");
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    assert_eq!(settings(&t), vec![row(&["dyn.example", "dyn", "0"])]);
    assert_eq!(events(&t), ev(&[(1, "dyn.example"), (2, "dyn.example")]));
    assert_eq!(
        t.json(&["insert_domain", "dyn.example", "dyn"]),
        json_ok(
            "insert_domain",
            json!({"domain": "dyn.example", "host_type": "dyn", "inserted": false, "enabled": false})
        )
    );
    assert_eq!(events(&t).len(), 2);
}

#[test]
fn insert_domain_refusals_in_5_1_order() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    let before = snapshot(&t);
    // Static first (even with an unknown host type), nameprepped.
    t.run(&["insert_domain", "LocalHost", "nope"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["insert_domain", "example.org", "dyn"])
        .fails("Error: \"Domain is static\"\n");
    // A static host name is not a host type for dynamic domains; host types are
    // case-sensitive and verbatim.
    for ht in [
        "localhost",
        "Dyn",
        "dyn ",
        " dyn",
        "other",
        "",
        "dyn\u{7}",
        "dyn\n",
        "dÿn",
        "\u{202e}dyn",
    ] {
        t.run(&["insert_domain", "new.example", ht])
            .fails("Error: \"Unknown host type\"\n");
    }
    // Stored with another host type.
    t.run(&["insert_domain", "dyn.example", "other type"])
        .fails("Error: \"Domain already exists\"\n");
    assert_eq!(snapshot(&t), before);
    assert_eq!(
        t.json(&["insert_domain", "dyn.example", "other type"]),
        json_error(
            "insert_domain",
            json!({"kind": "domain_exists", "message": "Error: \"Domain already exists\"",
                "domain": "dyn.example", "host_type": "other type", "stored_host_type": "dyn"})
        )
    );
    assert_eq!(
        t.json(&["insert_domain", "localhost", "dyn"]),
        json_error(
            "insert_domain",
            json!({"kind": "domain_static", "message": "Error: \"Domain is static\"",
                "domain": "localhost", "host_type": "dyn"})
        )
    );
    assert_eq!(
        t.json(&["insert_domain", "x.example", "Dyn"]),
        json_error(
            "insert_domain",
            json!({"kind": "unknown_host_type", "message": "Error: \"Unknown host type\"",
                "domain": "x.example", "host_type": "Dyn"})
        )
    );
    assert_eq!(snapshot(&t), before);
}

#[test]
fn without_service_domain_db_the_service_is_disabled() {
    let t = TestEnv::with_config(&without_service());
    // Static and unknown host type are checked before the service.
    t.run(&["insert_domain", "localhost", "dyn"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["insert_domain", "a.example", "nope"])
        .fails("Error: \"Unknown host type\"\n");
    t.run(&["insert_domain", "a.example", "dyn"])
        .fails("Error: \"Service disabled\"\n");
    t.run(&["delete_domain", "a.example", "dyn"])
        .fails("Error: \"Service disabled\"\n");
    t.run(&["enable_domain", "a.example"])
        .fails("Error: \"Service disabled\"\n");
    t.run(&["disable_domain", "localhost"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["disable_domain", "a.example"])
        .fails("Error: \"Service disabled\"\n");
    t.run(&["clean_domain_events"])
        .fails("Error: \"Service disabled\"\n");
    assert_eq!(
        t.json(&["enable_domain", "a.example"]),
        json_error(
            "enable_domain",
            json!({"kind": "service_disabled", "message": "Error: \"Service disabled\"",
                "domain": "a.example"})
        )
    );
    assert_eq!(
        t.json(&["clean_domain_events"]),
        json_error(
            "clean_domain_events",
            json!({"kind": "service_disabled", "message": "Error: \"Service disabled\""})
        )
    );
    // Nothing written, and no cleaner state either (the cleaner belongs to the service).
    assert!(settings(&t).is_empty());
    assert!(events(&t).is_empty());
    assert!(t
        .col("SELECT k FROM mongooseimctl_state WHERE k = 'domain_events_cleaner'")
        .is_empty());
}

#[test]
fn domain_names_that_fail_nameprep_are_refused_before_anything_else() {
    let t = env();
    t.init_store();
    let before = snapshot(&t);
    let long = "a".repeat(2048);
    let cases: &[(&str, &str)] = &[
        ("", "Error: \"Invalid domain name: it is empty\"\n"),
        // A soft hyphen maps to nothing.
        ("\u{ad}", "Error: \"Invalid domain name: it is empty\"\n"),
        (
            &long,
            "Error: \"Invalid domain name: 2048 bytes long, the limit is 1023\"\n",
        ),
        (
            "ab\u{e000}.example",
            "Error: \"Invalid domain name: U+E000 at position 3 is not allowed by nameprep\"\n",
        ),
        (
            "a\u{85}b",
            "Error: \"Invalid domain name: U+0085 at position 2 is not allowed by nameprep\"\n",
        ),
        (
            "a\u{5d0}.example",
            "Error: \"Invalid domain name: it breaks nameprep's bidirectional text rule\"\n",
        ),
    ];
    for (domain, text) in cases {
        // Even with an unknown host type: the name comes first.
        t.run(&["insert_domain", domain, "nope"]).fails(text);
        t.run(&["insert_domain", domain, "dyn"]).fails(text);
        t.run(&["delete_domain", domain, "dyn"]).fails(text);
        t.run(&["enable_domain", domain]).fails(text);
        t.run(&["disable_domain", domain]).fails(text);
    }
    assert_eq!(
        t.json(&["insert_domain", "ab\u{e000}", "dyn"]),
        json_error(
            "insert_domain",
            json!({"kind": "invalid_domain",
                "message": "Error: \"Invalid domain name: U+E000 at position 3 is not allowed by nameprep\"",
                "domain": "ab\u{e000}", "reason": "prohibited_character", "position": 3,
                "character": "U+E000"})
        )
    );
    assert_eq!(
        t.json(&["insert_domain", &long, "dyn"])["error"],
        json!({"kind": "invalid_domain",
            "message": "Error: \"Invalid domain name: 2048 bytes long, the limit is 1023\"",
            "domain": long, "reason": "too_long", "bytes": 2048})
    );
    assert_eq!(
        t.json(&["insert_domain", "", "dyn"])["error"]["reason"],
        "empty"
    );
    assert_eq!(snapshot(&t), before);
    // 1023 bytes passes nameprep, but domain_settings.domain holds 250 characters (the
    // column limit, as on PostgreSQL: 5.1's "Database error"); nameprep's ASCII punctuation
    // is fine (as 5.1).
    t.run(&["insert_domain", &"b".repeat(1023), "dyn"])
        .fails("Error: \"Database error\"\n");
    let longest = "b".repeat(250);
    t.run(&["insert_domain", &longest, "dyn"]).ok("Added\n");
    t.run(&["insert_domain", "Odd_Name!", "dyn"]).ok("Added\n");
    assert_eq!(
        t.col("SELECT domain FROM domain_events ORDER BY id"),
        vec![longest, "odd_name!".to_string()]
    );
}

// ---- enable_domain / disable_domain -------------------------------------------------------

#[test]
fn enable_and_disable_write_one_event_per_change() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.run(&["disable_domain", "Dyn.Example"]).ok("disabled\n");
    assert_eq!(settings(&t), vec![row(&["dyn.example", "dyn", "0"])]);
    t.run(&["disable_domain", "dyn.example"]).ok("disabled\n");
    assert_eq!(events(&t), ev(&[(1, "dyn.example"), (2, "dyn.example")]));
    t.run(&["enable_domain", "dyn.example"]).ok("enabled\n");
    t.run(&["enable_domain", "dyn.example"]).ok("enabled\n");
    assert_eq!(settings(&t), vec![row(&["dyn.example", "dyn", "1"])]);
    assert_eq!(
        events(&t),
        ev(&[(1, "dyn.example"), (2, "dyn.example"), (3, "dyn.example")])
    );
    assert_eq!(
        t.json(&["enable_domain", "dyn.example"]),
        json_ok(
            "enable_domain",
            json!({"domain": "dyn.example", "host_type": "dyn", "enabled": true,
                "changed": false, "sessions_ended": 0})
        )
    );
    assert_eq!(
        t.json(&["disable_domain", "dyn.example"]),
        json_ok(
            "disable_domain",
            json!({"domain": "dyn.example", "host_type": "dyn", "enabled": false,
                "changed": true, "sessions_ended": 0})
        )
    );
    assert_eq!(events(&t).len(), 4);
}

#[test]
fn enable_and_disable_refusals() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    let before = snapshot(&t);
    t.run(&["enable_domain", "LOCALHOST"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["disable_domain", "example.org"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["enable_domain", "nowhere.example"])
        .fails("Error: \"Domain not found\"\n");
    t.run(&["disable_domain", "nowhere.example"])
        .fails("Error: \"Domain not found\"\n");
    assert_eq!(
        t.json(&["disable_domain", "nowhere.example"]),
        json_error(
            "disable_domain",
            json!({"kind": "domain_not_found", "message": "Error: \"Domain not found\"",
                "domain": "nowhere.example"})
        )
    );
    assert_eq!(snapshot(&t), before);
}

#[test]
fn a_stored_host_type_no_longer_configured_crashes_enable_and_disable() {
    let t = env();
    t.run(&["insert_domain", "b.example", "other type"])
        .ok("Added\n");
    t.register("alice", "b.example", "pw");
    t.set_config(&CONFIG.replace(", \"other type\"", ""));
    let before = snapshot(&t);
    let crash =
        "Problem 'error {case_clause,{error,unknown_host_type}}' occurred executing the command.\n";
    t.run(&["disable_domain", "b.example"])
        .fails(crash)
        .stderr_has(
            "note: domain \"b.example\" is stored with host type \"other type\", which general.host_types no longer lists",
        );
    t.run(&["enable_domain", "b.example"]).fails(crash);
    assert_eq!(
        t.json(&["enable_domain", "b.example"]),
        json_error(
            "enable_domain",
            json!({"kind": "case_clause", "message": crash.trim_end(),
                "domain": "b.example", "host_type": "other type"})
        )
    );
    assert_eq!(snapshot(&t), before);
    // Its domain is unknown to every other command.
    t.run(&["check_account", "alice", "b.example"])
        .fails("User alice@b.example does not exist\n");
    // insert/delete with that host type: Unknown host type.
    t.run(&["delete_domain", "b.example", "other type"])
        .fails("Error: \"Unknown host type\"\n");
    t.run(&["insert_domain", "b.example", "dyn"])
        .fails("Error: \"Domain already exists\"\n");
    assert_eq!(snapshot(&t), before);
}

#[test]
fn disable_ends_the_domain_sessions_and_keeps_its_data() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.register("alice", "dyn.example", "pw");
    t.register("bob", "dyn.example", "pw");
    t.register("carol", "localhost", "pw");
    t.run(&[
        "add_rosteritem",
        "alice",
        "dyn.example",
        "bob",
        "dyn.example",
        "B",
        "g",
        "both",
    ])
    .ok("Added the item to the roster of alice@dyn.example\n");
    t.run(&["open_session", "alice", "dyn.example", "phone"])
        .ok("Session alice@dyn.example/phone opened\n");
    t.run(&["open_session", "bob", "dyn.example", "pc"])
        .ok("Session bob@dyn.example/pc opened\n");
    t.run(&["open_session", "carol", "localhost", "r"])
        .ok("Session carol@localhost/r opened\n");
    t.exec("DELETE FROM mongooseimctl_delivered");
    assert_eq!(
        t.json(&["disable_domain", "dyn.example"])["result"],
        json!({"domain": "dyn.example", "host_type": "dyn", "enabled": false,
            "changed": true, "sessions_ended": 2})
    );
    assert_eq!(
        t.col("SELECT username || '@' || server || '/' || resource FROM mongooseimctl_sessions"),
        vec!["carol@localhost/r"]
    );
    let error = "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\
                 <text xml:lang='en' xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Domain disabled</text></stream:error>";
    assert_eq!(
        t.sql(
            "SELECT username, resource, from_jid, packet FROM mongooseimctl_delivered ORDER BY id"
        ),
        vec![
            row(&["alice", "phone", "dyn.example", error]),
            row(&["bob", "pc", "dyn.example", error]),
        ]
    );
    // The data stays.
    assert_eq!(
        t.users(),
        vec!["alice@dyn.example", "bob@dyn.example", "carol@localhost"]
    );
    assert_eq!(
        t.col("SELECT username || ':' || jid FROM rosterusers"),
        vec!["alice:bob@dyn.example"]
    );
    // The domain is unknown now, for every command.
    t.run(&["check_account", "alice", "dyn.example"])
        .fails("User alice@dyn.example does not exist\n");
    t.run(&["open_session", "alice", "dyn.example", "phone"])
        .fails("Login failed for alice@dyn.example/phone: host-unknown\n");
    // Enabled again: the same data.
    t.run(&["enable_domain", "dyn.example"]).ok("enabled\n");
    t.run(&["check_account", "alice", "dyn.example"])
        .ok("User alice@dyn.example exists\n");
    t.run(&["get_roster", "alice", "dyn.example"])
        .ok("bob@dyn.example\tB\tboth\tnone\tg\n");
}

// ---- delete_domain ------------------------------------------------------------------------

#[test]
fn delete_domain_removes_the_row_with_an_event() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.run(&["insert_domain", "keep.example", "dyn"])
        .ok("Added\n");
    t.run(&["delete_domain", "DYN.example", "dyn"])
        .ok("Deleted\n");
    assert_eq!(settings(&t), vec![row(&["keep.example", "dyn", "1"])]);
    assert_eq!(
        events(&t),
        ev(&[(1, "dyn.example"), (2, "keep.example"), (3, "dyn.example")])
    );
    // Not stored: Deleted, no event.
    t.run(&["delete_domain", "dyn.example", "dyn"])
        .ok("Deleted\n");
    assert_eq!(events(&t).len(), 3);
    // A disabled domain is deleted too.
    t.run(&["disable_domain", "keep.example"]).ok("disabled\n");
    assert_eq!(
        t.json(&["delete_domain", "keep.example", "dyn"]),
        json_ok(
            "delete_domain",
            json!({"domain": "keep.example", "host_type": "dyn", "deleted": true,
                "accounts_removed": 0, "sessions_ended": 0})
        )
    );
    assert!(settings(&t).is_empty());
    assert_eq!(
        events(&t),
        ev(&[
            (1, "dyn.example"),
            (2, "keep.example"),
            (3, "dyn.example"),
            (4, "keep.example"),
            (5, "keep.example")
        ])
    );
}

#[test]
fn delete_domain_refusals() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.register("alice", "dyn.example", "pw");
    t.register("bob", "localhost", "pw");
    let before = snapshot(&t);
    t.run(&["delete_domain", "localhost", "dyn"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["delete_domain", "localhost", "localhost"])
        .fails("Error: \"Domain is static\"\n");
    t.run(&["delete_domain", "dyn.example", "DYN"])
        .fails("Error: \"Unknown host type\"\n");
    t.run(&["delete_domain", "dyn.example", "other type"])
        .fails("Error: \"Wrong host type\"\n");
    assert_eq!(
        t.json(&["delete_domain", "dyn.example", "other type"]),
        json_error(
            "delete_domain",
            json!({"kind": "wrong_host_type", "message": "Error: \"Wrong host type\"",
                "domain": "dyn.example", "host_type": "other type", "stored_host_type": "dyn"})
        )
    );
    // Nothing was removed.
    assert_eq!(snapshot(&t), before);
    t.run(&["check_account", "alice", "dyn.example"])
        .ok("User alice@dyn.example exists\n");
}

/// Fill every per-user table for one account of `domain` (and a session with a delivery).
fn fill(t: &TestEnv, domain: &str) {
    let u = |user: &str| format!("{user}@{domain}");
    t.register("alice", domain, "pw");
    t.register("bob", domain, "pw");
    t.run(&["set_last", "alice", domain, "100", "away"])
        .ok(&format!(
            "Last activity for user {} is set as 100 with status away\n",
            u("alice")
        ));
    t.run(&[
        "add_rosteritem",
        "alice",
        domain,
        "bob",
        domain,
        "Bob",
        "friends",
        "both",
    ])
    .ok(&format!("Added the item to the roster of {}\n", u("alice")));
    t.run(&["set_vcard", "alice", domain, "FN", "Alice"]).ok("");
    t.run(&["private_set", "alice", domain, "<a xmlns='x'>1</a>"])
        .ok("");
    // alice has no session: offline storage.
    t.run(&["send_message_chat", "carol@localhost", &u("alice"), "hi"])
        .ok("");
    t.run(&["open_session", "bob", domain, "r"])
        .ok(&format!("Session {}/r opened\n", u("bob")));
    t.run(&[
        "send_message_chat",
        &u("alice"),
        &format!("{}/r", u("bob")),
        "hey",
    ])
    .ok("");
    t.exec(&format!(
        "INSERT INTO roster_version (server, username, version) VALUES ('{domain}', 'alice', 'v1');
         INSERT INTO inbox (luser, lserver, remote_bare_jid, content, timestamp, unread_count)
           VALUES ('alice', '{domain}', 'carol@localhost', '<message/>', 1, 1);
         INSERT INTO auth_token (owner, seq_no) VALUES ('alice@{domain}', 1);"
    ));
}

const DOMAIN_TABLES: [(&str, &str); 12] = [
    ("users", "server"),
    ("last", "server"),
    ("rosterusers", "server"),
    ("rostergroups", "server"),
    ("roster_version", "server"),
    ("vcard", "server"),
    ("vcard_search", "server"),
    ("private_storage", "server"),
    ("offline_message", "server"),
    ("inbox", "lserver"),
    ("mongooseimctl_sessions", "server"),
    ("mongooseimctl_delivered", "server"),
];

/// Rows per table of one domain.
fn counts(t: &TestEnv, domain: &str) -> Vec<(String, i64)> {
    DOMAIN_TABLES
        .iter()
        .map(|(table, col)| {
            let n = t.col(&format!(
                "SELECT COUNT(*) FROM {table} WHERE {col} = '{domain}'"
            ));
            (table.to_string(), n[0].parse().unwrap())
        })
        .collect()
}

#[test]
fn delete_domain_removes_every_row_of_the_domain_and_only_those() {
    let t = env();
    t.register("carol", "localhost", "pw");
    t.run(&["insert_domain", "gone.example", "dyn"])
        .ok("Added\n");
    t.run(&["insert_domain", "keep.example", "dyn"])
        .ok("Added\n");
    fill(&t, "gone.example");
    fill(&t, "keep.example");
    // A contact on another domain keeps its item for a user of the removed domain.
    t.run(&[
        "add_rosteritem",
        "carol",
        "localhost",
        "alice",
        "gone.example",
        "A",
        "g",
        "both",
    ])
    .ok("Added the item to the roster of carol@localhost\n");
    for domain in ["gone.example", "keep.example"] {
        for (table, n) in counts(&t, domain) {
            assert!(n > 0, "{table} of {domain} is empty before the deletion");
        }
    }
    let keep = counts(&t, "keep.example");
    let localhost = counts(&t, "localhost");
    let carol_items = t.sql("SELECT * FROM rosterusers WHERE server = 'localhost'");
    let carol_groups = t.sql("SELECT * FROM rostergroups WHERE server = 'localhost'");
    assert_eq!(carol_items.len(), 1);
    assert_eq!(
        t.json(&["delete_domain", "gone.example", "dyn"])["result"],
        json!({"domain": "gone.example", "host_type": "dyn", "deleted": true,
            "accounts_removed": 2, "sessions_ended": 1})
    );
    for (table, n) in counts(&t, "gone.example") {
        assert_eq!(n, 0, "{table} still holds rows of gone.example");
    }
    assert_eq!(counts(&t, "keep.example"), keep);
    assert_eq!(counts(&t, "localhost"), localhost);
    assert_eq!(
        t.sql("SELECT * FROM rosterusers WHERE server = 'localhost'"),
        carol_items
    );
    assert_eq!(
        t.sql("SELECT * FROM rostergroups WHERE server = 'localhost'"),
        carol_groups
    );
    // Tokens are kept, as MongooseIM 5.1 keeps them.
    assert_eq!(
        t.col("SELECT owner FROM auth_token ORDER BY owner"),
        vec!["alice@gone.example", "alice@keep.example"]
    );
    // Nobody got a delivery for the removal (the removed sessions' rows are gone).
    assert_eq!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_delivered WHERE server <> 'gone.example'"),
        vec![localhost_and_keep_deliveries(&keep, &localhost)]
    );
    assert_eq!(settings(&t), vec![row(&["keep.example", "dyn", "1"])]);
    t.run(&["check_account", "alice", "gone.example"])
        .fails("User alice@gone.example does not exist\n");
    t.run(&["check_account", "alice", "keep.example"])
        .ok("User alice@keep.example exists\n");
}

fn localhost_and_keep_deliveries(keep: &[(String, i64)], localhost: &[(String, i64)]) -> String {
    let n = |c: &[(String, i64)]| {
        c.iter()
            .find(|(t, _)| t == "mongooseimctl_delivered")
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    (n(keep) + n(localhost)).to_string()
}

#[test]
fn delete_domain_removes_the_data_even_when_the_domain_is_not_stored() {
    let t = env();
    t.run(&["insert_domain", "gone.example", "dyn"])
        .ok("Added\n");
    fill(&t, "gone.example");
    // The row disappears behind our back (another node, a manual edit).
    t.exec("DELETE FROM domain_settings");
    t.run(&["delete_domain", "gone.example", "dyn"])
        .ok("Deleted\n");
    for (table, n) in counts(&t, "gone.example") {
        assert_eq!(n, 0, "{table}");
    }
    // No row was deleted, so no event.
    assert_eq!(events(&t), ev(&[(1, "gone.example")]));
}

#[test]
fn a_store_failure_is_a_database_error_and_changes_nothing() {
    let t = env();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.register("alice", "dyn.example", "pw");
    t.exec(
        "CREATE TRIGGER no_users_delete BEFORE DELETE ON users BEGIN SELECT RAISE(ABORT, 'refused'); END;
         CREATE TRIGGER no_new_domains BEFORE INSERT ON domain_settings BEGIN SELECT RAISE(ABORT, 'refused'); END;
         CREATE TRIGGER no_updates BEFORE UPDATE ON domain_settings BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    );
    let before = snapshot(&t);
    t.run(&["delete_domain", "dyn.example", "dyn"])
        .fails("Error: \"Database error\"\n")
        .stderr_has("warning: the store failed (nothing was changed): ");
    t.run(&["insert_domain", "new.example", "dyn"])
        .fails("Error: \"Database error\"\n");
    t.run(&["disable_domain", "dyn.example"])
        .fails("Error: \"Database error\"\n");
    let doc = t.json(&["insert_domain", "new.example", "dyn"]);
    assert_eq!(doc["error"]["kind"], "database_error");
    assert_eq!(doc["error"]["message"], "Error: \"Database error\"");
    assert!(
        doc["error"]["reason"].as_str().unwrap().contains("refused"),
        "{doc}"
    );
    // The deletion rolled back: the row, its event and the account are still there.
    assert_eq!(snapshot(&t), before);
}

#[test]
fn a_locked_store_exits_3_not_database_error() {
    let t = env();
    t.diverge(); // SQLite's file lock
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    let conn = rusqlite::Connection::open(&t.store).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = t.run(&["insert_domain", "new.example", "dyn"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(r.stderr.contains("store busy"), "{}", r.stderr);
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(settings(&t), vec![row(&["dyn.example", "dyn", "1"])]);
}

// ---- a dynamic domain seen by the other commands ------------------------------------------

#[test]
fn an_inserted_domain_is_served_by_every_command_until_disabled() {
    let t = env();
    t.run(&["register_identified", "alice", "dyn.example", "pw"])
        .fails("Can't register user alice@dyn.example at node mongooseim@localhost: not_allowed\n");
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.register("alice", "dyn.example", "pw");
    t.run(&["register_identified", "bob", "Dyn.Example", "pw"])
        .ok("User bob@dyn.example successfully registered\n");
    t.run(&["check_account", "alice", "DYN.example"])
        .ok("User alice@dyn.example exists\n");
    t.run(&[
        "add_rosteritem",
        "alice",
        "dyn.example",
        "bob",
        "dyn.example",
        "B",
        "g",
        "both",
    ])
    .ok("Added the item to the roster of alice@dyn.example\n");
    t.run(&["get_roster", "alice", "dyn.example"])
        .ok("bob@dyn.example\tB\tboth\tnone\tg\n");
    t.run(&["set_vcard", "alice", "dyn.example", "FN", "Alice"])
        .ok("");
    t.run(&["get_vcard", "alice", "dyn.example", "FN"])
        .ok("Alice\n");
    t.run(&["open_session", "alice", "dyn.example", "r"])
        .ok("Session alice@dyn.example/r opened\n");
    t.run(&["stats_host", "registeredusers", "dyn.example"])
        .ok("2\n");
    t.run(&["stats_host", "onlineusers", "dyn.example"])
        .ok("1\n");
    t.run(&["stats", "registeredusers"]).ok("2\n");
    t.run(&["registered_users", "dyn.example"])
        .ok("alice\nbob\n");

    t.run(&["disable_domain", "dyn.example"]).ok("disabled\n");
    t.run(&["check_account", "alice", "dyn.example"])
        .fails("User alice@dyn.example does not exist\n");
    t.run(&["register_identified", "carol", "dyn.example", "pw"])
        .fails("Can't register user carol@dyn.example at node mongooseim@localhost: not_allowed\n");
    t.run(&["stats_host", "registeredusers", "dyn.example"])
        .ok("0\n");
    t.run(&["stats", "registeredusers"]).ok("0\n");
    t.run(&["stats_host", "onlineusers", "dyn.example"])
        .ok("0\n");
    t.run(&["registered_users", "dyn.example"]).ok("");
    t.run(&["open_session", "alice", "dyn.example", "r"])
        .fails("Login failed for alice@dyn.example/r: host-unknown\n");

    t.run(&["enable_domain", "dyn.example"]).ok("enabled\n");
    t.run(&["get_vcard", "alice", "dyn.example", "FN"])
        .ok("Alice\n");
    t.run(&["stats", "registeredusers"]).ok("2\n");
    t.run(&["get_roster", "alice", "dyn.example"])
        .ok("bob@dyn.example\tB\tboth\tnone\tg\n");
}

#[test]
fn a_domain_whose_host_type_leaves_the_config_is_unknown() {
    let t = env();
    t.run(&["insert_domain", "b.example", "other type"])
        .ok("Added\n");
    t.register("alice", "b.example", "pw");
    t.run(&["stats", "registeredusers"]).ok("1\n");
    t.set_config(&CONFIG.replace(", \"other type\"", ""));
    t.run(&["check_account", "alice", "b.example"])
        .fails("User alice@b.example does not exist\n");
    t.run(&["stats", "registeredusers"]).ok("0\n");
    t.run(&["register_identified", "bob", "b.example", "pw"])
        .fails("Can't register user bob@b.example at node mongooseim@localhost: not_allowed\n");
    // Back in the config: served again.
    t.set_config(CONFIG);
    t.run(&["check_account", "alice", "b.example"])
        .ok("User alice@b.example exists\n");
}

// ---- db_pool ------------------------------------------------------------------------------

#[test]
fn another_db_pool_uses_the_one_store_with_a_warning() {
    let t = TestEnv::with_config(&CONFIG.replace(
        "event_cleaning_interval = 100",
        "db_pool = \"my_pool\"\n  event_cleaning_interval = 100",
    ));
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n")
        .stderr_has(
            "services.service_domain_db.db_pool: \"my_pool\": mongooseimctl keeps dynamic domains in its one store",
        );
    assert_eq!(settings(&t), vec![row(&["dyn.example", "dyn", "1"])]);
    let t = TestEnv::with_config(&CONFIG.replace(
        "event_cleaning_interval = 100",
        "db_pool = \"global\"\n  event_cleaning_interval = 100",
    ));
    let r = t.run(&["insert_domain", "dyn.example", "dyn"]);
    r.ok("Added\n");
    assert_eq!(r.stderr, "");
}

// ---- the event cleaner --------------------------------------------------------------------

/// Run at a fixed time.
fn at(t: &TestEnv, now: i64, args: &[&str]) -> Run {
    t.run_env(args, &[("MONGOOSEIMCTL_NOW", &now.to_string())])
}

fn cleaner_state(t: &TestEnv) -> Vec<String> {
    t.col("SELECT v FROM mongooseimctl_state WHERE k = 'domain_events_cleaner'")
}

#[test]
fn the_cleaner_runs_as_commands_start_and_deletes_events_observed_max_age_ago() {
    let t = env();
    // The first command opens a new store: the cleaner runs (nothing to observe yet).
    at(&t, 1000, &["insert_domain", "a.example", "dyn"]).ok("Added\n");
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":1000,"observed":[]}"#]
    );
    at(&t, 1050, &["insert_domain", "b.example", "dyn"]).ok("Added\n");
    // Not due (interval 100): the state is unchanged.
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":1000,"observed":[]}"#]
    );
    // Due: MAX(id) = 2 is observed.
    at(&t, 1100, &["check_account", "x", "localhost"]).fails("User x@localhost does not exist\n");
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":1100,"observed":[[1100,2]]}"#]
    );
    at(&t, 1150, &["insert_domain", "c.example", "dyn"]).ok("Added\n");
    // A command that never opens the store does not run it.
    assert_eq!(at(&t, 5000, &["get_cookie"]).code, 0);
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":1100,"observed":[[1100,2]]}"#]
    );
    // Due, but the observation is only 999 s old: nothing deleted.
    at(&t, 2099, &["check_account", "x", "localhost"]);
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":2099,"observed":[[1100,2],[2099,3]]}"#]
    );
    assert_eq!(events(&t).len(), 3);
    // Due and 1000 s after the first observation: the events below id 2 go.
    at(&t, 2200, &["check_account", "x", "localhost"]);
    assert_eq!(events(&t), ev(&[(2, "b.example"), (3, "c.example")]));
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":2200,"observed":[[2099,3]]}"#]
    );
    // The explicit command runs now, whatever the interval, with the same rule.
    at(&t, 2250, &["clean_domain_events"]).ok("Removed 0 domain events\n");
    assert_eq!(events(&t).len(), 2);
    at(&t, 3099, &["clean_domain_events"]).ok("Removed 1 domain event\n");
    assert_eq!(events(&t), ev(&[(3, "c.example")]));
    // The newest event is never removed.
    let doc = t.run_env(
        &["-o", "json", "clean_domain_events"],
        &[("MONGOOSEIMCTL_NOW", "100000")],
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&doc.stdout).unwrap(),
        json_ok(
            "clean_domain_events",
            json!({"removed": 0, "max_id": 3, "removed_below": null, "pending_observations": 1})
        )
    );
    at(&t, 200000, &["clean_domain_events"]).ok("Removed 0 domain events\n");
    assert_eq!(events(&t), ev(&[(3, "c.example")]));
    // New events keep their ids increasing (never reused).
    at(&t, 200001, &["delete_domain", "c.example", "dyn"]).ok("Deleted\n");
    assert_eq!(events(&t), ev(&[(3, "c.example"), (4, "c.example")]));
    // Event 3 is seen as not the newest at the next cleaning, and deleted max_age later.
    at(&t, 201001, &["clean_domain_events"]).ok("Removed 0 domain events\n");
    at(&t, 202000, &["clean_domain_events"]).ok("Removed 0 domain events\n");
    at(&t, 202001, &["clean_domain_events"]).ok("Removed 1 domain event\n");
    assert_eq!(events(&t), ev(&[(4, "c.example")]));
}

#[test]
fn an_empty_log_is_left_alone_and_a_bad_clock_value_is_ignored() {
    let t = env();
    at(&t, 1000, &["clean_domain_events"]).ok("Removed 0 domain events\n");
    at(&t, 90000, &["clean_domain_events"]).ok("Removed 0 domain events\n");
    assert_eq!(
        cleaner_state(&t),
        vec![r#"{"last_run":90000,"observed":[]}"#]
    );
    let r = t.run_env(
        &["insert_domain", "a.example", "dyn"],
        &[("MONGOOSEIMCTL_NOW", "soon")],
    );
    r.ok("Added\n")
        .stderr_has("MONGOOSEIMCTL_NOW is not a whole number of seconds since the epoch");
}
