//! Issue 12 items 4 and 8: `-` as a file or value argument reads stdin; `status` shows the
//! store's size, user count and schema version.

use crate::support::TestEnv;

#[test]
fn import_users_dash_reads_the_csv_from_stdin() {
    let t = TestEnv::new();
    t.run_stdin(
        &["import_users", "-"],
        "alice,localhost,pw1\nbob,localhost,pw2\none,two\n",
    )
    .ok("ok\talice\nok\tbob\nbad_csv\tone,two\n");
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        vec!["alice", "bob"]
    );
    t.run(&["check_password", "bob", "localhost", "pw2"])
        .ok("Password for user bob@localhost is correct\n");
}

#[test]
fn a_file_named_dash_is_still_read_from_stdin_and_a_missing_file_is_the_5_1_crash() {
    let t = TestEnv::new();
    // Empty stdin: an empty import.
    t.run_stdin(&["import_users", "-"], "").ok("");
    assert_eq!(t.col("SELECT COUNT(*) FROM users"), vec!["0"]);
    let r = t.run(&["import_users", "./-"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("enoent"), "{r:?}");
}

const TEMPLATE: &str = "[{\"alice\", \"localhost\", \"Group\", \"Alice\"},\n \
                        {\"bob\",   \"localhost\", \"Group\", \"Bob\"}].\n";

fn items(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, jid, nick, subscription FROM rosterusers ORDER BY username, jid")
}

#[test]
fn push_roster_dash_reads_the_template_from_stdin() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run_stdin(&["push_roster", "-", "alice", "localhost"], TEMPLATE)
        .ok("");
    assert_eq!(items(&t), vec![vec!["alice", "bob@localhost", "Bob", "B"]]);
}

#[test]
fn push_roster_all_dash_reads_the_template_from_stdin() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run_stdin(&["push_roster_all", "-"], TEMPLATE).ok("");
    assert_eq!(
        items(&t),
        vec![
            vec!["alice", "bob@localhost", "Bob", "B"],
            vec!["bob", "alice@localhost", "Alice", "B"]
        ]
    );
    // A malformed template from stdin: refused, nothing written.
    let r = t.run_stdin(&["push_roster_all", "-"], "[{\"x\"");
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(items(&t).len(), 2);
}

#[test]
fn private_set_dash_reads_the_xml_from_stdin() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run_stdin(
        &["private_set", "alice", "localhost", "-"],
        "<aa xmlns='bb'>Cluth</aa>\n",
    )
    .ok("");
    assert_eq!(
        t.sql("SELECT namespace, data FROM private_storage"),
        vec![vec!["bb", "<aa xmlns='bb'>Cluth</aa>"]]
    );
    t.run(&["private_get", "alice", "localhost", "aa", "bb"])
        .ok("<aa xmlns='bb'>Cluth</aa>\n");
}

#[test]
fn set_vcard_values_dash_read_stdin() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run_stdin(
        &["set_vcard", "alice", "localhost", "FN", "-"],
        "Alice Liddell\n",
    )
    .ok("");
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("Alice Liddell\n");
    t.run_stdin(
        &["set_vcard2", "alice", "localhost", "ORG", "ORGNAME", "-"],
        "ESL\r\n",
    )
    .ok("");
    t.run(&["get_vcard2", "alice", "localhost", "ORG", "ORGNAME"])
        .ok("ESL\n");
    t.run_stdin(
        &[
            "set_vcard2_multi",
            "alice",
            "localhost",
            "ORG",
            "ORGUNIT",
            "-",
        ],
        "sales;marketing\n",
    )
    .ok("");
    t.run(&["get_vcard2_multi", "alice", "localhost", "ORG", "ORGUNIT"])
        .ok("sales\nmarketing\n");
    assert_eq!(
        t.col("SELECT vcard FROM vcard WHERE username = 'alice'"),
        vec!["<vCard xmlns='vcard-temp'><FN>Alice Liddell</FN><ORG><ORGNAME>ESL</ORGNAME><ORGUNIT>sales</ORGUNIT><ORGUNIT>marketing</ORGUNIT></ORG></vCard>"]
    );
}

#[test]
fn send_stanza_c2s_dash_reads_the_stanza_from_stdin() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    // No session: the same answer as with the stanza in argv.
    t.run_stdin(
        &["send_stanza_c2s", "alice", "localhost", "r1", "-"],
        "<message/>\n",
    )
    .fails("User alice@localhost/r1 does not exist\n");
}

#[test]
fn a_value_from_stdin_is_capped_at_one_mib() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let big = "x".repeat((1 << 20) + 1);
    let r = t.run_stdin(&["set_vcard", "alice", "localhost", "FN", "-"], &big);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("content from stdin is larger than 1 MiB"),
        "{r:?}"
    );
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard"), vec!["0"]);
}

#[test]
fn a_password_dash_still_reads_one_line() {
    let t = TestEnv::new();
    t.run_stdin(
        &["register_identified", "alice", "localhost", "-"],
        "secret\nrest\n",
    )
    .ok("User alice@localhost successfully registered\n");
    t.run(&["check_password", "alice", "localhost", "secret"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn status_shows_the_stores_size_users_and_schema_version() {
    // The pid and the store's description differ on the PostgreSQL twin.
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    let size = std::fs::metadata(&t.store).map(|m| m.len()).unwrap_or(0);
    let schema: i64 = rusqlite::Connection::open(&t.store)
        .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
        .unwrap_or(0);
    assert!(size > 0 && schema > 0);
    let r = t.run(&["status"]);
    assert_eq!(r.code, 0, "{r:?}");
    // The line follows the store line; the 5.1 lines before it are unchanged.
    let expected = format!(
        "    store: {}\n    store details: {size} bytes, 2 users, schema version {schema}\n    logs: ",
        t.store.display()
    );
    assert!(r.stdout.contains(&expected), "{}", r.stdout);
    let j = t.json(&["status"]);
    assert_eq!(
        j["result"]["store"],
        serde_json::json!({"driver": "sqlite", "path": t.store.display().to_string(),
                           "size_bytes": size, "users": 2, "schema_version": schema})
    );
}
