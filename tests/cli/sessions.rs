//! Group `sessions` (commands.md §7) on the sessions recorded in the store, and our
//! extension commands `open_session`, `close_session` and `list_deliveries`.

use serde_json::json;

use crate::core::{json_crash, json_error, json_ok};
use crate::support::*;

const STREAMS: &str = "urn:ietf:params:xml:ns:xmpp-streams";

/// The stream error a terminated session receives.
fn conflict(text: &str) -> String {
    format!(
        "<stream:error><conflict xmlns='{STREAMS}'/><text xml:lang='en' xmlns='{STREAMS}'>{text}</text></stream:error>"
    )
}

/// The default config without mod_last.
fn without_last() -> String {
    DEFAULT_CONFIG.replace("[modules.mod_last]\n  backend = \"rdbms\"\n", "")
}

/// The session rows in store order: jid, priority, show, status, connection, ip, port, node.
fn sessions(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql(
        "SELECT username || '@' || server || '/' || resource, COALESCE(priority, 'NULL'), show, \
         status, connection, ip, port, node FROM mongooseimctl_sessions ORDER BY rowid",
    )
}

/// The full JIDs of the sessions, in store order.
fn session_jids(t: &TestEnv) -> Vec<String> {
    t.col(
        "SELECT username || '@' || server || '/' || resource FROM mongooseimctl_sessions \
         ORDER BY rowid",
    )
}

/// Every delivery in delivery order: to, from, stanza.
fn delivered(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql(
        "SELECT username || '@' || server || '/' || resource, from_jid, packet \
         FROM mongooseimctl_delivered ORDER BY id",
    )
}

/// (to, from, stanza) rows, for comparing with [`delivered`].
fn rows(expected: &[(&str, &str, &str)]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|(a, b, c)| vec![a.to_string(), b.to_string(), c.to_string()])
        .collect()
}

fn last_rows(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, seconds, state FROM last ORDER BY server, username")
}

/// The last-activity record of `user`@localhost, checking that its time is now.
#[track_caller]
fn assert_last_now(t: &TestEnv, user: &str, status: &str) {
    let rows = t.sql(&format!(
        "SELECT seconds, state FROM last WHERE server = 'localhost' AND username = '{user}'"
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let seconds: i64 = rows[0][0].parse().expect("seconds");
    assert!((seconds - now_secs()).abs() < 60, "{seconds}");
    assert_eq!(rows[0][1], status);
}

/// The crash text of 5.1.
fn crash(reason: &str) -> String {
    format!("Problem '{reason}' occurred executing the command.\n")
}

fn open(t: &TestEnv, user: &str, host: &str, resource: &str, flags: &[&str]) {
    let mut args = vec!["open_session", user, host, resource];
    args.extend_from_slice(flags);
    let r = t.run(&args);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.ends_with(" opened\n"), "{r:?}");
}

/// alice (phone, laptop) and bob (x) on localhost, no presences, no contacts.
fn three_sessions() -> TestEnv {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    open(&t, "alice", "localhost", "phone", &[]);
    open(&t, "bob", "localhost", "x", &[]);
    open(&t, "alice", "localhost", "laptop", &[]);
    t
}

/// alice and bob with mutual `both` items.
fn contacts() -> TestEnv {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&[
        "add_rosteritem",
        "alice",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "Friends",
        "both",
    ])
    .ok("Added the item to the roster of alice@localhost\n");
    t.run(&[
        "add_rosteritem",
        "bob",
        "localhost",
        "alice",
        "localhost",
        "Alice",
        "Friends",
        "both",
    ])
    .ok("Added the item to the roster of bob@localhost\n");
    t
}

/// Check that every line's last TAB field (the uptime) is a whole number of seconds in
/// `range`, and return the text with it replaced by `U`.
#[track_caller]
fn uptimes_replaced(stdout: &str, range: std::ops::RangeInclusive<i64>) -> String {
    let mut out = String::new();
    for line in stdout.lines() {
        let (head, uptime) = line.rsplit_once('\t').expect("a tuple line");
        let n: i64 = uptime.parse().expect("an integer uptime");
        assert!(range.contains(&n), "uptime {n} not in {range:?}");
        out.push_str(head);
        out.push_str("\tU\n");
    }
    out
}

// ---------------------------------------------------------------------------------------
// open_session / close_session (our extension)

#[test]
fn open_session_records_a_login_with_defaults() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["open_session", "Alice", "LocalHost", "Phone"])
        .ok("Session alice@localhost/Phone opened\n");
    assert_eq!(
        sessions(&t),
        vec![vec![
            "alice@localhost/Phone",
            "NULL",
            "unavailable",
            "",
            "c2s",
            "127.0.0.1",
            "0",
            "mongooseim@localhost"
        ]]
    );
    let opened: i64 = t.col("SELECT opened_at FROM mongooseimctl_sessions")[0]
        .parse()
        .unwrap();
    assert!((opened / 1_000_000 - now_secs()).abs() < 60, "{opened}");
    // No presence: nothing broadcast, nothing recorded.
    assert!(delivered(&t).is_empty());
    assert!(last_rows(&t).is_empty());
}

#[test]
fn open_session_flags() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "open_session",
        "alice",
        "localhost",
        "a",
        "--priority",
        "-128",
        "--ip",
        "::FFFF:10.0.0.1",
        "--port",
        "65535",
        "--connection",
        "c2s_compressed_tls",
    ])
    .ok("Session alice@localhost/a opened\n");
    t.run(&[
        "open_session",
        "alice",
        "localhost",
        "b",
        "--ip=0:0:0:0:0:0:0:1",
        "--priority=127",
        "--connection=unknown",
    ])
    .ok("Session alice@localhost/b opened\n");
    for (res, conn) in [("c", "c2s"), ("d", "c2s_tls"), ("e", "c2s_compressed")] {
        t.run(&[
            "open_session",
            "alice",
            "localhost",
            res,
            "--connection",
            conn,
            "--ip",
            "192.168.0.10",
            "--port",
            "0",
        ])
        .ok(&format!("Session alice@localhost/{res} opened\n"));
    }
    let row = |jid: &str, prio: &str, show: &str, conn: &str, ip: &str, port: &str| {
        [jid, prio, show, "", conn, ip, port, "mongooseim@localhost"]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sessions(&t),
        vec![
            row(
                "alice@localhost/a",
                "-128",
                "available",
                "c2s_compressed_tls",
                "::ffff:10.0.0.1",
                "65535"
            ),
            row(
                "alice@localhost/b",
                "127",
                "available",
                "unknown",
                "::1",
                "0"
            ),
            row(
                "alice@localhost/c",
                "NULL",
                "unavailable",
                "c2s",
                "192.168.0.10",
                "0"
            ),
            row(
                "alice@localhost/d",
                "NULL",
                "unavailable",
                "c2s_tls",
                "192.168.0.10",
                "0"
            ),
            row(
                "alice@localhost/e",
                "NULL",
                "unavailable",
                "c2s_compressed",
                "192.168.0.10",
                "0"
            ),
        ]
    );
    // The initial presences went to the account's other sessions open at the time.
    assert_eq!(
        delivered(&t),
        rows(&[(
            "alice@localhost/a",
            "alice@localhost/b",
            "<presence from='alice@localhost/b' to='alice@localhost/a'><priority>127</priority></presence>"
        )])
    );
}

#[test]
fn open_session_refuses_bad_flags_and_changes_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    let before = sessions(&t);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--priority", "128"],
            "error: open_session: --priority must be between -128 and 127, got 128\n",
        ),
        (
            &["--priority", "-129"],
            "error: open_session: --priority must be between -128 and 127, got -129\n",
        ),
        (
            &["--priority", "+5"],
            "error: open_session: --priority must be a whole integer, got \"+5\"\n",
        ),
        (
            &["--ip", "1.2.3"],
            "error: open_session: --ip must be an IPv4 or IPv6 address, got \"1.2.3\"\n",
        ),
        (
            &["--ip", "localhost"],
            "error: open_session: --ip must be an IPv4 or IPv6 address, got \"localhost\"\n",
        ),
        (
            &["--port", "-1"],
            "error: open_session: --port must be between 0 and 65535, got -1\n",
        ),
        (
            &["--port", "65536"],
            "error: open_session: --port must be between 0 and 65535, got 65536\n",
        ),
        (
            &["--connection", "tcp"],
            "error: open_session: --connection must be one of c2s, c2s_tls, c2s_compressed, \
             c2s_compressed_tls, unknown, got \"tcp\"\n",
        ),
        (
            &["--connection", "C2S"],
            "error: open_session: --connection must be one of c2s, c2s_tls, c2s_compressed, \
             c2s_compressed_tls, unknown, got \"C2S\"\n",
        ),
    ];
    for (flags, stderr) in cases {
        let mut args = vec!["open_session", "alice", "localhost", "phone"];
        args.extend_from_slice(flags);
        let r = t.run(&args);
        assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{flags:?}");
        assert_eq!(r.stderr, *stderr, "{flags:?}");
    }
    let r = t.run(&["open_session", "alice", "localhost", ""]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert_eq!(
        r.stderr,
        "error: open_session: the resource must not be empty\n"
    );
    // An unknown flag is a usage error.
    let r = t.run(&[
        "open_session",
        "alice",
        "localhost",
        "tablet",
        "--prio",
        "1",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(sessions(&t), before);
    assert!(delivered(&t).is_empty());
    assert!(last_rows(&t).is_empty());
    assert_eq!(
        t.json(&[
            "open_session",
            "alice",
            "localhost",
            "phone",
            "--port",
            "70000"
        ]),
        json_error(
            "open_session",
            json!({"kind": "invalid_input",
                "message": "open_session: --port must be between 0 and 65535, got 70000"})
        )
    );
}

#[test]
fn open_session_needs_an_existing_account() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["open_session", "bob", "localhost", "r"])
        .fails("Login failed for bob@localhost/r: not-authorized\n");
    t.run(&["open_session", "Alice", "Nowhere.ORG", "r"])
        .fails("Login failed for alice@nowhere.org/r: host-unknown\n");
    // A disabled dynamic domain is unknown; an enabled one is served.
    t.exec("INSERT INTO domain_settings (id, domain, host_type, enabled) VALUES (1, 'dyn.example', 'dyn', 1)");
    t.register("carol", "dyn.example", "pw");
    t.exec("UPDATE domain_settings SET enabled = 0");
    t.run(&["open_session", "carol", "dyn.example", "r"])
        .fails("Login failed for carol@dyn.example/r: host-unknown\n");
    assert!(sessions(&t).is_empty());
    t.exec("UPDATE domain_settings SET enabled = 1");
    t.run(&["open_session", "carol", "DYN.example", "r"])
        .ok("Session carol@dyn.example/r opened\n");
    assert_eq!(session_jids(&t), vec!["carol@dyn.example/r"]);
    assert_eq!(
        t.json(&["open_session", "bob", "localhost", "r"]),
        json_error(
            "open_session",
            json!({"kind": "not_authorized",
                "message": "Login failed for bob@localhost/r: not-authorized",
                "jid": "bob@localhost/r"})
        )
    );
    assert_eq!(
        t.json(&["open_session", "bob", "nowhere.org", "r"]),
        json_error(
            "open_session",
            json!({"kind": "host_unknown",
                "message": "Login failed for bob@nowhere.org/r: host-unknown",
                "jid": "bob@nowhere.org/r"})
        )
    );
    // An invalid JID crashes, naming the three parts as typed.
    t.run(&["open_session", "a b", "localhost", "r"])
        .fails(&crash(
            r#"error {invalid_jid,<<"a b">>,<<"localhost">>,<<"r">>}"#,
        ));
    t.run(&["open_session", "alice", "localhost", "r\u{7}"])
        .fails(&crash(
            "error {invalid_jid,<<\"alice\">>,<<\"localhost\">>,<<114,7>>}",
        ));
    assert_eq!(session_jids(&t), vec!["carol@dyn.example/r"]);
}

#[test]
fn open_session_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let doc = t.json(&[
        "open_session",
        "alice",
        "localhost",
        "phone",
        "--priority",
        "3",
        "--port",
        "5222",
    ]);
    let opened_at = doc["result"]["opened_at"].as_i64().expect("opened_at");
    assert_eq!(
        t.col("SELECT opened_at FROM mongooseimctl_sessions"),
        vec![opened_at.to_string()]
    );
    assert_eq!(
        doc,
        json_ok(
            "open_session",
            json!({"jid": "alice@localhost/phone", "connection": "c2s", "ip": "127.0.0.1",
                "port": 5222, "priority": 3, "node": "mongooseim@localhost",
                "opened_at": opened_at, "replaced": false})
        )
    );
    let doc = t.json(&["open_session", "alice", "localhost", "phone"]);
    assert_eq!(doc["result"]["replaced"], json!(true));
    assert_eq!(doc["result"]["priority"], json!(null));
}

#[test]
fn a_new_login_replaces_the_session_with_the_same_full_jid() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.run(&[
        "open_session",
        "alice",
        "localhost",
        "phone",
        "--ip",
        "10.1.1.1",
    ])
    .ok("Session alice@localhost/phone opened (replaced the previous session)\n");
    // The replaced session moves to the end of store order, as a new session.
    assert_eq!(
        sessions(&t),
        vec![
            vec![
                "bob@localhost/x",
                "0",
                "unavailable",
                "",
                "c2s",
                "127.0.0.1",
                "0",
                "mongooseim@localhost"
            ],
            vec![
                "alice@localhost/phone",
                "NULL",
                "unavailable",
                "",
                "c2s",
                "10.1.1.1",
                "0",
                "mongooseim@localhost"
            ],
        ]
    );
    // The old session got the stream error, then its unavailable went to bob.
    assert_eq!(
        delivered(&t),
        rows(&[
            ("alice@localhost/phone", "localhost", &conflict("Replaced by new connection")),
            (
                "bob@localhost/x",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='bob@localhost/x' type='unavailable'><status>Replaced by new connection</status></presence>"
            ),
        ])
    );
    assert_last_now(&t, "alice", "Replaced by new connection");
}

#[test]
fn close_session_is_a_logout() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "0"]);
    open(&t, "alice", "localhost", "laptop", &[]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.run(&["close_session", "Alice", "localhost", "phone"])
        .ok("Session alice@localhost/phone closed\n");
    assert_eq!(
        session_jids(&t),
        vec!["alice@localhost/laptop", "bob@localhost/x"]
    );
    // No stream error for a logout; the unavailable goes to the other resource and to bob.
    assert_eq!(
        delivered(&t),
        rows(&[
            (
                "alice@localhost/laptop",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='alice@localhost/laptop' type='unavailable'/>"
            ),
            (
                "bob@localhost/x",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='bob@localhost/x' type='unavailable'/>"
            ),
        ])
    );
    assert_last_now(&t, "alice", "");
    // A session without presence records nothing.
    t.exec("DELETE FROM last; DELETE FROM mongooseimctl_delivered");
    t.run(&["close_session", "alice", "localhost", "laptop"])
        .ok("Session alice@localhost/laptop closed\n");
    assert!(last_rows(&t).is_empty());
    assert!(delivered(&t).is_empty());
    t.run(&["close_session", "alice", "localhost", "laptop"])
        .fails("Session alice@localhost/laptop does not exist\n");
    t.run(&["close_session", "bob", "localhost", "X"])
        .fails("Session bob@localhost/X does not exist\n");
    t.run(&["close_session", "a@b", "localhost", "x"])
        .fails(&crash(
            r#"error {invalid_jid,<<"a@b">>,<<"localhost">>,<<"x">>}"#,
        ));
    assert_eq!(session_jids(&t), vec!["bob@localhost/x"]);
    assert_eq!(
        t.json(&["close_session", "bob", "localhost", "y"]),
        json_error(
            "close_session",
            json!({"kind": "session_not_found",
                "message": "Session bob@localhost/y does not exist", "jid": "bob@localhost/y"})
        )
    );
    assert_eq!(
        t.json(&["close_session", "bob", "localhost", "x"]),
        json_ok("close_session", json!({"jid": "bob@localhost/x"}))
    );
    assert!(sessions(&t).is_empty());
}

// ---------------------------------------------------------------------------------------
// num_resources, resource_num, user_sessions_info

#[test]
fn num_resources_counts_the_sessions_of_the_account() {
    let t = three_sessions();
    t.run(&["num_resources", "ALICE", "LocalHost"]).ok("2\n");
    t.run(&["num_resources", "bob", "localhost"]).ok("1\n");
    t.run(&["num_resources", "carol", "localhost"]).ok("0\n");
    t.run(&["num_resources", "alice", "example.org"]).ok("0\n");
    t.run(&["num_resources", "a b", "localhost"])
        .fails(&crash(r#"error {invalid_jid,<<"a b">>,<<"localhost">>}"#));
    assert_eq!(
        t.json(&["num_resources", "Alice", "localhost"]),
        json_ok(
            "num_resources",
            json!({"jid": "alice@localhost", "resources": 2})
        )
    );
    assert_eq!(
        t.json(&["num_resources", "a@b", "localhost"]),
        json_crash(
            "num_resources",
            "invalid_jid",
            r#"error {invalid_jid,<<"a@b">>,<<"localhost">>}"#
        )
    );
}

#[test]
fn resource_num_picks_by_resource_byte_order() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    for r in ["tablet", "Phone", "laptop"] {
        open(&t, "alice", "localhost", r, &[]);
    }
    t.run(&["resource_num", "alice", "localhost", "1"])
        .ok("Phone\n");
    t.run(&["resource_num", "Alice", "localhost", "2"])
        .ok("laptop\n");
    t.run(&["resource_num", "alice", "localhost", "3"])
        .ok("tablet\n");
    // 5.1 reads integers by their leading digits.
    t.run(&["resource_num", "alice", "localhost", "3rd"])
        .ok("tablet\n");
    // Out of range: a text result, exit 0.
    for n in ["0", "4", "-1"] {
        t.run(&["resource_num", "alice", "localhost", n])
            .ok(&format!("Error: Wrong resource number: {n}\n"));
    }
    t.run(&["resource_num", "bob", "localhost", "1"])
        .ok("Error: Wrong resource number: 1\n");
    let r = t.run(&["resource_num", "alice", "localhost", "first"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("Problem '"), "{}", r.stdout);
    t.run(&["resource_num", "a b", "localhost", "1"])
        .fails(&crash(r#"error {invalid_jid,<<"a b">>,<<"localhost">>}"#));
    assert_eq!(
        t.json(&["resource_num", "alice", "localhost", "2"]),
        json_ok(
            "resource_num",
            json!({"jid": "alice@localhost", "num": 2, "resource": "laptop"})
        )
    );
    assert_eq!(
        t.json(&["resource_num", "alice", "localhost", "9"]),
        json_ok(
            "resource_num",
            json!({"jid": "alice@localhost", "num": 9, "resource": null,
                "error": "wrong_resource_number"})
        )
    );
}

#[test]
fn user_sessions_info_lists_in_reverse_resource_order() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    open(
        &t,
        "alice",
        "localhost",
        "b",
        &["--priority", "5", "--port", "1"],
    );
    open(
        &t,
        "alice",
        "localhost",
        "c",
        &["--connection", "c2s_tls", "--ip", "::1"],
    );
    open(&t, "alice", "localhost", "a", &["--priority", "-1"]);
    t.exec("UPDATE mongooseimctl_sessions SET opened_at = opened_at - 7200000000");
    let r = t.run(&["user_sessions_info", "Alice", "localhost"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        uptimes_replaced(&r.stdout, 7200..=7260),
        "alice@localhost/c\tc2s_tls\t::1\t0\tundefined\tmongooseim@localhost\tU\n\
         alice@localhost/b\tc2s\t127.0.0.1\t1\t5\tmongooseim@localhost\tU\n\
         alice@localhost/a\tc2s\t127.0.0.1\t0\t-1\tmongooseim@localhost\tU\n"
    );
    t.run(&["user_sessions_info", "bob", "localhost"]).ok("");
    t.run(&["user_sessions_info", "alice", "LOCALHOST."]).ok("");
    t.run(&["user_sessions_info", "a@b", "localhost"])
        .fails(&crash(r#"error {invalid_jid,<<"a@b">>,<<"localhost">>}"#));
    let doc = t.json(&["user_sessions_info", "alice", "localhost"]);
    assert_eq!(doc["ok"], json!(true));
    let list = doc["result"].as_array().expect("a list");
    assert_eq!(list.len(), 3);
    let uptime = list[0]["uptime"].as_i64().expect("uptime");
    assert!((7200..=7260).contains(&uptime), "{uptime}");
    assert_eq!(
        list[0],
        json!({"jid": "alice@localhost/c", "connection": "c2s_tls", "ip": "::1", "port": 0,
            "priority": null, "node": "mongooseim@localhost", "uptime": uptime})
    );
    assert_eq!(list[2]["priority"], json!(-1));
    assert_eq!(
        t.json(&["user_sessions_info", "bob", "localhost"]),
        json_ok("user_sessions_info", json!([]))
    );
}

// ---------------------------------------------------------------------------------------
// kick_session

#[test]
fn kick_session_ends_the_session_with_a_conflict() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    open(&t, "alice", "localhost", "laptop", &[]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&["kick_session", "ALICE", "localhost", "phone", "go away"])
        .ok("");
    assert_eq!(
        session_jids(&t),
        vec!["alice@localhost/laptop", "bob@localhost/x"]
    );
    assert_eq!(
        delivered(&t),
        rows(&[
            ("alice@localhost/phone", "localhost", &conflict("go away")),
            (
                "alice@localhost/laptop",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='alice@localhost/laptop' type='unavailable'/>"
            ),
            (
                "bob@localhost/x",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='bob@localhost/x' type='unavailable'/>"
            ),
        ])
    );
    assert_last_now(&t, "alice", "");
    // No presence: the stream error only, no last activity, no broadcast. An empty reason is
    // the administrator's kick.
    t.exec("DELETE FROM last; DELETE FROM mongooseimctl_delivered");
    t.run(&["kick_session", "alice", "localhost", "laptop", ""])
        .ok("");
    assert_eq!(
        delivered(&t),
        rows(&[(
            "alice@localhost/laptop",
            "localhost",
            &conflict("Kicked by administrator")
        )])
    );
    assert!(last_rows(&t).is_empty());
    assert_eq!(session_jids(&t), vec!["bob@localhost/x"]);
}

#[test]
fn kick_session_without_a_session_does_nothing() {
    let t = three_sessions();
    let before = sessions(&t);
    t.run(&["kick_session", "alice", "localhost", "tablet", "x"])
        .ok("");
    // Resources are case-sensitive.
    t.run(&["kick_session", "bob", "localhost", "X", "x"])
        .ok("");
    t.run(&["kick_session", "nobody", "nowhere", "r", ""])
        .ok("");
    t.run(&["kick_session", "a@b", "localhost", "x", "r"])
        .fails(&crash(
            r#"error {invalid_jid,<<"a@b">>,<<"localhost">>,<<"x">>}"#,
        ));
    assert_eq!(sessions(&t), before);
    assert!(delivered(&t).is_empty());
    assert_eq!(
        t.json(&["kick_session", "alice", "localhost", "tablet", ""]),
        json_ok(
            "kick_session",
            json!({"jid": "alice@localhost/tablet", "kicked": false,
                "reason": "Kicked by administrator"})
        )
    );
    assert_eq!(
        t.json(&["kick_session", "bob", "localhost", "x", "bye"]),
        json_ok(
            "kick_session",
            json!({"jid": "bob@localhost/x", "kicked": true, "reason": "bye"})
        )
    );
    assert_eq!(
        session_jids(&t),
        vec!["alice@localhost/phone", "alice@localhost/laptop"]
    );
}

#[test]
fn without_mod_last_a_kick_records_no_last_activity() {
    let t = TestEnv::with_config(&without_last());
    t.register("alice", "localhost", "pw");
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    t.run(&["kick_session", "alice", "localhost", "phone", ""])
        .ok("");
    assert!(sessions(&t).is_empty());
    assert!(last_rows(&t).is_empty());
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "phone",
        "unavailable",
        "",
        "bye",
        "",
    ])
    .ok("");
    assert!(last_rows(&t).is_empty());
}

// ---------------------------------------------------------------------------------------
// status_num, status_list, connected_users_*

/// alice/phone away, alice/laptop available (prio 0), bob/x unavailable, carol@example.org
/// away.
fn presences() -> TestEnv {
    let t = three_sessions();
    t.register("carol", "example.org", "pw");
    open(&t, "carol", "example.org", "home", &[]);
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "phone",
        "available",
        "away",
        "lunch",
        "10",
    ])
    .ok("");
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "laptop",
        "",
        "",
        "",
        "0",
    ])
    .ok("");
    t.run(&[
        "set_presence",
        "carol",
        "example.org",
        "home",
        "available",
        "away",
        "",
        "-5",
    ])
    .ok("");
    t
}

#[test]
fn status_num_counts_sessions_by_show() {
    let t = presences();
    t.run(&["status_num", "away"]).ok("2\n");
    t.run(&["status_num", "available"]).ok("1\n");
    t.run(&["status_num", "unavailable"]).ok("1\n");
    t.run(&["status_num", "Away"]).ok("0\n");
    t.run(&["status_num", "dnd"]).ok("0\n");
    t.run(&["status_num_host", "localhost", "away"]).ok("1\n");
    t.run(&["status_num_host", "example.org", "away"]).ok("1\n");
    // raw-host: the host is compared as typed.
    t.run(&["status_num_host", "LOCALHOST", "away"]).ok("0\n");
    assert_eq!(
        t.json(&["status_num", "away"]),
        json_ok("status_num", json!({"status": "away", "count": 2}))
    );
    assert_eq!(
        t.json(&["status_num_host", "localhost", "available"]),
        json_ok(
            "status_num_host",
            json!({"host": "localhost", "status": "available", "count": 1})
        )
    );
}

#[test]
fn status_list_lists_matching_sessions_in_store_order() {
    let t = presences();
    t.run(&["status_list", "away"])
        .ok("alice\tlocalhost\tphone\t10\tlunch\ncarol\texample.org\thome\t-5\t\n");
    t.run(&["status_list", "unavailable"])
        .ok("bob\tlocalhost\tx\tundefined\t\n");
    t.run(&["status_list", "available"])
        .ok("alice\tlocalhost\tlaptop\t0\t\n");
    t.run(&["status_list", "xa"]).ok("");
    t.run(&["status_list_host", "example.org", "away"])
        .ok("carol\texample.org\thome\t-5\t\n");
    t.run(&["status_list_host", "Example.org", "away"]).ok("");
    assert_eq!(
        t.json(&["status_list", "unavailable"]),
        json_ok(
            "status_list",
            json!([{"user": "bob", "host": "localhost", "resource": "x", "priority": null,
                "status": ""}])
        )
    );
    assert_eq!(
        t.json(&["status_list_host", "localhost", "away"]),
        json_ok(
            "status_list_host",
            json!([{"user": "alice", "host": "localhost", "resource": "phone", "priority": 10,
                "status": "lunch"}])
        )
    );
    assert_eq!(
        t.json(&["status_list", "dnd"]),
        json_ok("status_list", json!([]))
    );
}

#[test]
fn status_list_as_a_table() {
    let t = presences();
    let r = run_cmd(t.cmd().args(["-o", "table", "status_list", "away"]));
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", r.stdout);
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('│')
            .split(['┆', '│'])
            .map(|c| c.trim().to_string())
            .collect()
    };
    assert_eq!(
        cells(lines[1]),
        ["user", "host", "resource", "priority", "status"]
    );
    assert_eq!(
        cells(lines[3]),
        ["alice", "localhost", "phone", "10", "lunch"]
    );
    assert_eq!(cells(lines[4]), ["carol", "example.org", "home", "-5", ""]);
}

#[test]
fn connected_users_info_and_vhost() {
    let t = presences();
    t.exec("UPDATE mongooseimctl_sessions SET opened_at = opened_at - 60000000");
    let r = t.run(&["connected_users_info"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        uptimes_replaced(&r.stdout, 60..=120),
        "alice@localhost/phone\tc2s\t127.0.0.1\t0\t10\tmongooseim@localhost\tU\n\
         bob@localhost/x\tc2s\t127.0.0.1\t0\tundefined\tmongooseim@localhost\tU\n\
         alice@localhost/laptop\tc2s\t127.0.0.1\t0\t0\tmongooseim@localhost\tU\n\
         carol@example.org/home\tc2s\t127.0.0.1\t0\t-5\tmongooseim@localhost\tU\n"
    );
    let r = t.run(&["connected_users_vhost", "localhost"]);
    assert_eq!(
        uptimes_replaced(&r.stdout, 60..=120),
        "alice@localhost/phone\tc2s\t127.0.0.1\t0\t10\tmongooseim@localhost\tU\n\
         bob@localhost/x\tc2s\t127.0.0.1\t0\tundefined\tmongooseim@localhost\tU\n\
         alice@localhost/laptop\tc2s\t127.0.0.1\t0\t0\tmongooseim@localhost\tU\n"
    );
    t.run(&["connected_users_vhost", "LocalHost"]).ok("");
    t.run(&["connected_users_vhost", "nowhere"]).ok("");
    let doc = t.json(&["connected_users_vhost", "example.org"]);
    let uptime = doc["result"][0]["uptime"].as_i64().expect("uptime");
    assert!((60..=120).contains(&uptime), "{uptime}");
    assert_eq!(
        doc,
        json_ok(
            "connected_users_vhost",
            json!([{"jid": "carol@example.org/home", "connection": "c2s", "ip": "127.0.0.1",
                "port": 0, "priority": -5, "node": "mongooseim@localhost", "uptime": uptime}])
        )
    );
    assert_eq!(
        t.json(&["connected_users_vhost", "nowhere"]),
        json_ok("connected_users_vhost", json!([]))
    );
}

#[test]
fn an_empty_store_lists_nothing() {
    let t = TestEnv::new();
    t.run(&["connected_users_info"]).ok("");
    t.run(&["status_list", "available"]).ok("");
    t.run(&["status_num", "available"]).ok("0\n");
    assert_eq!(
        t.json(&["connected_users_info"]),
        json_ok("connected_users_info", json!([]))
    );
}

#[test]
fn long_lists_are_streamed_in_store_order() {
    let t = TestEnv::new();
    // 3000 sessions, inserted in an order that is neither name nor resource order.
    let mut values = Vec::new();
    for i in 0..3000 {
        let n = (i * 7919) % 3000;
        values.push(format!(
            "('u{n}','localhost','r{}',{},5,'away','s{n}','mongooseim@localhost')",
            i % 3,
            i
        ));
    }
    t.exec(&format!(
        "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, priority, show, status, node) VALUES {}",
        values.join(",")
    ));
    let expected: String = (0..3000)
        .map(|i| {
            format!(
                "u{}\tlocalhost\tr{}\t5\ts{}\n",
                (i * 7919) % 3000,
                i % 3,
                (i * 7919) % 3000
            )
        })
        .collect();
    t.run(&["status_list", "away"]).ok(&expected);
    let r = t.run(&["connected_users_info"]);
    assert_eq!(r.code, 0);
    let jids: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect();
    assert_eq!(jids.len(), 3000);
    assert_eq!(jids, session_jids(&t));
    let doc = t.json(&["status_list_host", "localhost", "away"]);
    assert_eq!(doc["ok"], json!(true));
    let list = doc["result"].as_array().expect("a list");
    assert_eq!(list.len(), 3000);
    assert_eq!(
        list[2999],
        json!({"user": format!("u{}", (2999 * 7919) % 3000), "host": "localhost",
            "resource": "r2", "priority": 5, "status": format!("s{}", (2999 * 7919) % 3000)})
    );
}

// ---------------------------------------------------------------------------------------
// set_presence

#[test]
fn set_presence_available_sets_show_status_priority_and_broadcasts() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &[]);
    open(&t, "alice", "localhost", "laptop", &[]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.run(&[
        "set_presence",
        "Alice",
        "localhost",
        "phone",
        "available",
        "",
        "Here",
        "10",
    ])
    .ok("");
    assert_eq!(
        sessions(&t)[0][..4],
        ["alice@localhost/phone", "10", "available", "Here"]
    );
    let sent = "<show></show><status>Here</status><priority>10</priority></presence>";
    assert_eq!(
        delivered(&t),
        rows(&[
            (
                "alice@localhost/laptop",
                "alice@localhost/phone",
                &format!("<presence from='alice@localhost/phone' to='alice@localhost/laptop' type='available'>{sent}")
            ),
            (
                "bob@localhost/x",
                "alice@localhost/phone",
                &format!("<presence from='alice@localhost/phone' to='bob@localhost/x' type='available'>{sent}")
            ),
        ])
    );
    // With a show; any other type is an available presence too.
    for (kind, show, prio, want_show, want_prio) in [
        ("available", "away", "-1", "away", "-1"),
        ("", "dnd", "+5", "dnd", "5"),
        ("chat", "", " 5", "available", "0"),
        ("Available", "xa", "abc", "xa", "0"),
        ("available", "chat", "", "chat", "0"),
    ] {
        t.run(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            kind,
            show,
            "st",
            prio,
        ])
        .ok("");
        assert_eq!(
            sessions(&t)[0][..4],
            ["alice@localhost/phone", want_prio, want_show, "st"],
            "{kind:?} {show:?} {prio:?}"
        );
    }
    assert!(last_rows(&t).is_empty());
    // Special characters are escaped in the stanza.
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&[
        "set_presence",
        "bob",
        "localhost",
        "x",
        "available",
        "away",
        "a<b & 'c'",
        "1",
    ])
    .ok("");
    assert_eq!(
        t.col("SELECT packet FROM mongooseimctl_delivered ORDER BY id"),
        vec![
            "<presence from='bob@localhost/x' to='alice@localhost/laptop' type='available'><show>away</show><status>a&lt;b &amp; &apos;c&apos;</status><priority>1</priority></presence>",
            "<presence from='bob@localhost/x' to='alice@localhost/phone' type='available'><show>away</show><status>a&lt;b &amp; &apos;c&apos;</status><priority>1</priority></presence>",
        ]
    );
    assert_eq!(
        sessions(&t)[2][..4],
        ["bob@localhost/x", "1", "away", "a<b & 'c'"]
    );
}

#[test]
fn set_presence_unavailable_clears_and_records_last_activity() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "3"]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "phone",
        "unavailable",
        "away",
        "gone",
        "7",
    ])
    .ok("");
    assert_eq!(
        sessions(&t)[0][..4],
        ["alice@localhost/phone", "NULL", "unavailable", ""]
    );
    assert_last_now(&t, "alice", "gone");
    assert_eq!(
        delivered(&t),
        rows(&[(
            "bob@localhost/x",
            "alice@localhost/phone",
            "<presence from='alice@localhost/phone' to='bob@localhost/x' type='unavailable'><show>away</show><status>gone</status><priority>7</priority></presence>"
        )])
    );
    // Not available any more: last activity again, no broadcast.
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "phone",
        "unavailable",
        "",
        "again",
        "",
    ])
    .ok("");
    assert_last_now(&t, "alice", "again");
    assert!(delivered(&t).is_empty());
    // The session is still there.
    assert_eq!(
        session_jids(&t),
        vec!["alice@localhost/phone", "bob@localhost/x"]
    );
}

#[test]
fn set_presence_invisible_sets_the_priority_only() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "3"]);
    open(&t, "bob", "localhost", "x", &[]);
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "phone",
        "invisible",
        "away",
        "hidden",
        "-7",
    ])
    .ok("");
    assert_eq!(
        sessions(&t)[0][..4],
        ["alice@localhost/phone", "-7", "unavailable", ""]
    );
    assert!(last_rows(&t).is_empty());
    assert!(delivered(&t).is_empty());
}

#[test]
fn set_presence_ignores_errors_probes_and_subscriptions() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "3"]);
    open(&t, "bob", "localhost", "x", &[]);
    t.exec("DELETE FROM mongooseimctl_delivered");
    let before = sessions(&t);
    for kind in [
        "error",
        "probe",
        "subscribe",
        "subscribed",
        "unsubscribe",
        "unsubscribed",
    ] {
        t.run(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            kind,
            "dnd",
            "x",
            "9",
        ])
        .ok("");
        assert_eq!(sessions(&t), before, "{kind}");
    }
    assert!(delivered(&t).is_empty());
    assert!(last_rows(&t).is_empty());
    assert_eq!(
        t.sql("SELECT subscription FROM rosterusers ORDER BY username"),
        vec![vec!["B"], vec!["B"]]
    );
}

#[test]
fn set_presence_failures_change_nothing() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "3"]);
    open(&t, "bob", "localhost", "x", &[]);
    t.exec("DELETE FROM mongooseimctl_delivered");
    let before = sessions(&t);
    // A priority that does not fit in 64 bits.
    for kind in ["available", "invisible"] {
        let r = t.run(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            kind,
            "",
            "",
            "99999999999999999999",
        ]);
        r.fails("").stderr_has(
            "error: presence priority \"99999999999999999999\" does not fit in a 64-bit integer; nothing was changed",
        );
    }
    // No session: a crash naming the full JID.
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "Phone",
        "available",
        "",
        "",
        "1",
    ])
    .fails(&crash(r#"error {no_session,<<"alice@localhost/Phone">>}"#));
    t.run(&[
        "set_presence",
        "carol",
        "LOCALHOST",
        "r",
        "available",
        "",
        "",
        "1",
    ])
    .fails(&crash(r#"error {no_session,<<"carol@localhost/r">>}"#));
    t.run(&[
        "set_presence",
        "a b",
        "localhost",
        "r",
        "available",
        "",
        "",
        "1",
    ])
    .fails(&crash(
        r#"error {invalid_jid,<<"a b">>,<<"localhost">>,<<"r">>}"#,
    ));
    assert_eq!(sessions(&t), before);
    assert!(delivered(&t).is_empty());
    assert!(last_rows(&t).is_empty());
    assert_eq!(
        t.json(&[
            "set_presence",
            "alice",
            "localhost",
            "tablet",
            "",
            "",
            "",
            ""
        ]),
        json_crash(
            "set_presence",
            "no_session",
            r#"error {no_session,<<"alice@localhost/tablet">>}"#
        )
    );
    assert_eq!(
        t.json(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            "",
            "",
            "",
            "+99999999999999999999"
        ])["error"]["kind"],
        json!("invalid_input")
    );
    assert_eq!(sessions(&t), before);
}

#[test]
fn set_presence_as_json() {
    let t = three_sessions();
    assert_eq!(
        t.json(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            "available",
            "away",
            "s",
            "4"
        ]),
        json_ok(
            "set_presence",
            json!({"jid": "alice@localhost/phone", "effect": "available", "show": "away",
                "status": "s", "priority": 4})
        )
    );
    assert_eq!(
        t.json(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            "probe",
            "",
            "",
            ""
        ]),
        json_ok(
            "set_presence",
            json!({"jid": "alice@localhost/phone", "effect": "ignored", "show": "away",
                "status": "s", "priority": 4})
        )
    );
    assert_eq!(
        t.json(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            "invisible",
            "",
            "",
            "2"
        ]),
        json_ok(
            "set_presence",
            json!({"jid": "alice@localhost/phone", "effect": "invisible", "show": "unavailable",
                "status": "", "priority": 2})
        )
    );
    assert_eq!(
        t.json(&[
            "set_presence",
            "alice",
            "localhost",
            "phone",
            "unavailable",
            "",
            "",
            ""
        ]),
        json_ok(
            "set_presence",
            json!({"jid": "alice@localhost/phone", "effect": "unavailable", "show": "unavailable",
                "status": "", "priority": null})
        )
    );
}

// ---------------------------------------------------------------------------------------
// list_deliveries (our extension)

#[test]
fn list_deliveries_in_delivery_order() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &[]);
    open(&t, "alice", "localhost", "laptop", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    open(&t, "bob", "localhost", "x", &["--priority", "1"]);
    t.run(&["kick_session", "alice", "localhost", "phone", "bye"])
        .ok("");
    let rows = t.sql(
        "SELECT username || '@' || server || '/' || resource, from_jid, delivered_at, packet \
         FROM mongooseimctl_delivered WHERE username = 'alice' ORDER BY id",
    );
    assert_eq!(rows.len(), 3, "{rows:?}");
    let text: String = rows.iter().map(|r| format!("{}\n", r.join("\t"))).collect();
    t.run(&["list_deliveries", "Alice", "localhost"]).ok(&text);
    assert!(
        text.starts_with("alice@localhost/laptop\tbob@localhost/x\t"),
        "{text}"
    );
    assert_eq!(rows[2][0], "alice@localhost/phone");
    assert_eq!(rows[2][3], conflict("bye"));
    t.run(&[
        "list_deliveries",
        "alice",
        "localhost",
        "--resource",
        "laptop",
    ])
    .ok(&format!("{}\n", rows[0].join("\t")));
    t.run(&[
        "list_deliveries",
        "alice",
        "localhost",
        "--resource",
        "Laptop",
    ])
    .ok("");
    t.run(&["list_deliveries", "bob", "localhost"]).ok("");
    t.run(&["list_deliveries", "a b", "localhost"])
        .fails(&crash(r#"error {invalid_jid,<<"a b">>,<<"localhost">>}"#));
    t.run(&[
        "list_deliveries",
        "alice",
        "localhost",
        "--resource",
        "\u{1}",
    ])
    .fails(&crash(
        r#"error {invalid_jid,<<"alice">>,<<"localhost">>,<<1>>}"#,
    ));
    let doc = t.json(&[
        "list_deliveries",
        "alice",
        "localhost",
        "--resource",
        "phone",
    ]);
    let at: i64 = rows[2][2].parse().unwrap();
    assert_eq!(doc["ok"], json!(true));
    let list = doc["result"].as_array().expect("a list");
    assert_eq!(list.len(), 2, "{doc}");
    assert_eq!(list[0]["from"], json!("bob@localhost/x"));
    let time = list[1]["time"].as_str().expect("time").to_string();
    assert_eq!(time.len(), "2026-01-01T00:00:00.000000Z".len(), "{time}");
    assert!(
        time.ends_with(&format!(".{:06}Z", at % 1_000_000)),
        "{time}"
    );
    assert_eq!(
        list[1],
        json!({"to": "alice@localhost/phone", "from": "localhost", "delivered_at": at,
            "time": time, "stanza": conflict("bye")})
    );
    assert_eq!(
        t.json(&["list_deliveries", "bob", "localhost"]),
        json_ok("list_deliveries", json!([]))
    );
}

// ---------------------------------------------------------------------------------------
// Sessions ended by account commands

#[test]
fn ban_account_kicks_every_session_with_the_reason() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    open(&t, "alice", "localhost", "laptop", &[]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&["ban_account", "alice", "localhost", "spam"])
        .ok("User alice@localhost successfully banned with reason: spam\n");
    assert_eq!(session_jids(&t), vec!["bob@localhost/x"]);
    // Resource order: laptop, then phone (whose unavailable reaches bob).
    assert_eq!(
        delivered(&t),
        rows(&[
            ("alice@localhost/laptop", "localhost", &conflict("spam")),
            ("alice@localhost/phone", "localhost", &conflict("spam")),
            (
                "bob@localhost/x",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='bob@localhost/x' type='unavailable'/>"
            ),
        ])
    );
    assert_last_now(&t, "alice", "");
}

#[test]
fn unregister_ends_the_sessions_and_tells_the_contacts() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "1"]);
    open(&t, "bob", "localhost", "x", &[]);
    // MongooseIM routes a presence only to resources that have a priority.
    t.exec("UPDATE mongooseimctl_sessions SET priority = 0 WHERE priority IS NULL");
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&["unregister", "alice", "localhost"]).ok("");
    assert_eq!(session_jids(&t), vec!["bob@localhost/x"]);
    // alice's deliveries went with the account; bob's session got alice's unavailable, the
    // unsubscribe/unsubscribed presences and the roster push of his downgraded item.
    let got = delivered(&t);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(
        got[..3],
        rows(&[
            (
                "bob@localhost/x",
                "alice@localhost/phone",
                "<presence from='alice@localhost/phone' to='bob@localhost/x' type='unavailable'/>"
            ),
            (
                "bob@localhost/x",
                "alice@localhost",
                "<presence from='alice@localhost' to='bob@localhost' type='unsubscribe'/>"
            ),
            (
                "bob@localhost/x",
                "alice@localhost",
                "<presence from='alice@localhost' to='bob@localhost' type='unsubscribed'/>"
            ),
        ])[..]
    );
    assert_eq!(got[3][..2], ["bob@localhost/x", "bob@localhost"]);
    assert!(
        got[3][2].contains("<item jid='alice@localhost' name='Alice' subscription='none'>"),
        "{}",
        got[3][2]
    );
    assert!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_delivered WHERE username = 'alice'") == ["0"]
    );
    assert!(last_rows(&t).is_empty());
}

// ---------------------------------------------------------------------------------------
// An operator's session

#[test]
fn scenario_two_users_with_presences() {
    let t = contacts();
    open(&t, "alice", "localhost", "phone", &["--priority", "5"]);
    open(
        &t,
        "alice",
        "localhost",
        "laptop",
        &["--ip", "10.0.0.2", "--port", "40000"],
    );
    open(&t, "bob", "localhost", "desk", &["--connection", "c2s_tls"]);

    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "phone",
        "available",
        "away",
        "on the go",
        "5",
    ])
    .ok("");
    t.run(&[
        "set_presence",
        "alice",
        "localhost",
        "laptop",
        "available",
        "dnd",
        "working",
        "10",
    ])
    .ok("");
    t.run(&[
        "set_presence",
        "bob",
        "localhost",
        "desk",
        "available",
        "",
        "",
        "0",
    ])
    .ok("");

    t.run(&["status_num", "away"]).ok("1\n");
    t.run(&["status_num_host", "localhost", "dnd"]).ok("1\n");
    t.run(&["status_list", "available"])
        .ok("bob\tlocalhost\tdesk\t0\t\n");
    t.run(&["status_list_host", "localhost", "dnd"])
        .ok("alice\tlocalhost\tlaptop\t10\tworking\n");

    let all = "alice@localhost/phone\tc2s\t127.0.0.1\t0\t5\tmongooseim@localhost\tU\n\
               alice@localhost/laptop\tc2s\t10.0.0.2\t40000\t10\tmongooseim@localhost\tU\n\
               bob@localhost/desk\tc2s_tls\t127.0.0.1\t0\t0\tmongooseim@localhost\tU\n";
    assert_eq!(
        uptimes_replaced(&t.run(&["connected_users_info"]).stdout, 0..=60),
        all
    );
    assert_eq!(
        uptimes_replaced(
            &t.run(&["connected_users_vhost", "localhost"]).stdout,
            0..=60
        ),
        all
    );
    assert_eq!(
        uptimes_replaced(
            &t.run(&["user_sessions_info", "alice", "localhost"]).stdout,
            0..=60
        ),
        "alice@localhost/phone\tc2s\t127.0.0.1\t0\t5\tmongooseim@localhost\tU\n\
         alice@localhost/laptop\tc2s\t10.0.0.2\t40000\t10\tmongooseim@localhost\tU\n"
    );
    t.run(&["num_resources", "alice", "localhost"]).ok("2\n");

    // Kick the phone: bob's session receives alice's unavailable.
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&["kick_session", "alice", "localhost", "phone", "maintenance"])
        .ok("");
    let bob = t.run(&["list_deliveries", "bob", "localhost"]);
    assert_eq!(bob.code, 0);
    let bob_rows: Vec<Vec<&str>> = bob
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(bob_rows.len(), 1, "{}", bob.stdout);
    assert_eq!(bob_rows[0][0], "bob@localhost/desk");
    assert_eq!(bob_rows[0][1], "alice@localhost/phone");
    assert_eq!(
        bob_rows[0][3],
        "<presence from='alice@localhost/phone' to='bob@localhost/desk' type='unavailable'/>"
    );
    let phone = t.run(&[
        "list_deliveries",
        "alice",
        "localhost",
        "--resource",
        "phone",
    ]);
    assert!(
        phone
            .stdout
            .ends_with(&format!("\t{}\n", conflict("maintenance"))),
        "{}",
        phone.stdout
    );
    assert_last_now(&t, "alice", "");
    t.run(&["num_resources", "alice", "localhost"]).ok("1\n");
    t.run(&["status_num", "away"]).ok("0\n");

    // A new login on the laptop replaces that session.
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&[
        "open_session",
        "alice",
        "localhost",
        "laptop",
        "--priority",
        "1",
    ])
    .ok("Session alice@localhost/laptop opened (replaced the previous session)\n");
    let laptop = t.run(&[
        "list_deliveries",
        "alice",
        "localhost",
        "--resource",
        "laptop",
    ]);
    let first: Vec<&str> = laptop
        .stdout
        .lines()
        .next()
        .unwrap_or("")
        .split('\t')
        .collect();
    assert_eq!(first[1], "localhost");
    assert_eq!(first[3], conflict("Replaced by new connection"));
    assert_last_now(&t, "alice", "Replaced by new connection");
    // bob saw the old session go and the new one come.
    assert_eq!(
        t.col("SELECT packet FROM mongooseimctl_delivered WHERE username = 'bob' ORDER BY id"),
        vec![
            "<presence from='alice@localhost/laptop' to='bob@localhost/desk' type='unavailable'><status>Replaced by new connection</status></presence>",
            "<presence from='alice@localhost/laptop' to='bob@localhost/desk'><priority>1</priority></presence>",
        ]
    );
    t.run(&["status_list", "available"])
        .ok("bob\tlocalhost\tdesk\t0\t\nalice\tlocalhost\tlaptop\t1\t\n");
}
