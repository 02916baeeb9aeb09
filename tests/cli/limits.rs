//! Column limits (issue 10 §4): every value MongooseIM's PostgreSQL schema would refuse is
//! refused before anything is written, on SQLite too. For each limit, the longest value
//! accepted and one character more, with the exact output and the rows afterwards.
//! tests/cli/pg.rs replays the same lines on PostgreSQL.

use crate::support::*;

/// The refusal: nothing on stdout, one line on stderr, exit 1.
#[track_caller]
pub fn refused(r: &Run, detail: &str) {
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{r:?}");
    assert_eq!(
        r.stderr,
        format!("error: the store refused the data: {detail}; nothing was written\n"),
        "{r:?}"
    );
}

/// The message for a too-long value of `column` (limit `n`, value of `has` characters).
pub fn too_long(column: &str, n: usize, has: usize) -> String {
    format!(
        "{column} holds at most {n} characters (MongooseIM's varchar({n})) and the value given has {has}"
    )
}

/// A valid domain name of exactly `n` characters (labels of at most 49).
pub fn domain_of(n: usize) -> String {
    (0..n)
        .map(|i| if i % 50 == 25 { '.' } else { 'd' })
        .collect()
}

fn count(t: &TestEnv, q: &str) -> String {
    t.col(q)[0].clone()
}

#[test]
fn users_username_holds_250_characters_not_bytes() {
    let t = TestEnv::new();
    let a250 = "a".repeat(250);
    let e250 = "é".repeat(250);
    t.run(&["register_identified", &a250, "localhost", "pw"])
        .ok(&format!("User {a250}@localhost successfully registered\n"));
    t.run(&["register_identified", &e250, "localhost", "pw"])
        .ok(&format!("User {e250}@localhost successfully registered\n"));
    for u in ["a".repeat(251), "é".repeat(251)] {
        refused(
            &t.run(&["register_identified", &u, "localhost", "pw"]),
            &too_long("users.username", 250, 251),
        );
    }
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) || ',' || MAX(length(username)) FROM users"
        ),
        "2,250"
    );
    // JSON: the stable kind of a refused value.
    let doc = t.json(&["register_identified", &"b".repeat(251), "localhost", "pw"]);
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["error"]["kind"], "store_invalid_data");
}

#[test]
fn import_users_with_one_row_too_long_writes_nothing() {
    let t = TestEnv::new();
    let ok = t.write("ok.csv", &format!("{},localhost,pw\n", "u".repeat(250)));
    t.run(&["import_users", ok.to_str().unwrap()])
        .ok(&format!("ok\t{}\n", "u".repeat(250)));
    let bad = t.write(
        "bad.csv",
        &format!("first,localhost,pw\n{},localhost,pw\n", "v".repeat(251)),
    );
    refused(
        &t.run(&["import_users", bad.to_str().unwrap()]),
        &too_long("users.username", 250, 251),
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM users"), "1");
}

#[test]
fn last_seconds_is_a_non_negative_32_bit_integer() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_last", "alice", "localhost", "2147483647", "s"])
        .ok("Last activity for user alice@localhost is set as 2147483647 with status s\n");
    for bad in ["2147483648", "-1", "99999999999"] {
        refused(
            &t.run(&["set_last", "alice", "localhost", bad, "x"]),
            &format!(
                "last.seconds holds a time from 0 to 2147483647 (MongooseIM's integer) and the value given is {bad}"
            ),
        );
    }
    assert_eq!(
        t.sql("SELECT seconds, state FROM last"),
        [["2147483647", "s"]]
    );
    // A missing user is still 5.1's answer, whatever the time.
    t.run(&["set_last", "nobody", "localhost", "-1", "x"])
        .fails("User nobody@localhost does not exist\n");
    t.run(&["set_last", "alice", "localhost", "0", "zero"])
        .ok("Last activity for user alice@localhost is set as 0 with status zero\n");
}

#[test]
fn a_vcard_user_name_holds_100_characters() {
    let t = TestEnv::new();
    let (u100, u101) = ("v".repeat(100), "v".repeat(101));
    t.register(&u100, "localhost", "pw");
    t.register(&u101, "localhost", "pw");
    t.run(&["set_vcard", &u100, "localhost", "FN", "x"]).ok("");
    refused(
        &t.run(&["set_vcard", &u101, "localhost", "FN", "x"]),
        &too_long("vcard_search.lusername", 100, 101),
    );
    refused(
        &t.run(&["set_vcard2", &u101, "localhost", "N", "FAMILY", "x"]),
        &too_long("vcard_search.lusername", 100, 101),
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) || ',' || MAX(length(username)) FROM vcard"
        ),
        "1,100"
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM vcard_search"), "1");
    // 5.1's answer for a missing user comes first.
    let w101 = "w".repeat(101);
    t.run(&["set_vcard", &w101, "localhost", "FN", "x"])
        .fails(&format!("User {w101}@localhost does not exist\n"));
}

#[test]
fn a_private_namespace_holds_250_characters() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let ns = |n: usize| format!("urn:{}", "n".repeat(n - 4));
    let xml = |n: usize| format!("<q xmlns='{}'/>", ns(n));
    t.run(&["private_set", "alice", "localhost", &xml(250)])
        .ok("");
    refused(
        &t.run(&["private_set", "alice", "localhost", &xml(251)]),
        &too_long("private_storage.namespace", 250, 251),
    );
    assert_eq!(
        t.col("SELECT length(namespace) FROM private_storage"),
        ["250"]
    );
}

#[test]
fn an_offline_message_sender_holds_250_characters() {
    let t = TestEnv::new();
    t.register("bob", "localhost", "pw");
    // "alice@localhost/" is 16 characters.
    let from = |n: usize| format!("alice@localhost/{}", "r".repeat(n - 16));
    t.run(&["send_message_chat", &from(250), "bob@localhost", "hi"])
        .ok("");
    refused(
        &t.run(&["send_message_chat", &from(251), "bob@localhost", "hi"]),
        &too_long("offline_message.from_jid", 250, 251),
    );
    assert_eq!(
        t.col("SELECT length(from_jid) FROM offline_message"),
        ["250"]
    );
}

#[test]
fn a_dynamic_domain_holds_250_characters() {
    let t = TestEnv::new();
    t.run(&["insert_domain", &domain_of(250), "dyn"])
        .ok("Added\n");
    // The domain API's own answer to a database failure (5.1's text), with the reason on
    // stderr.
    let r = t.run(&["insert_domain", &domain_of(251), "dyn"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "Error: \"Database error\"\n",
            format!(
                "warning: the store failed (nothing was changed): {}; nothing was written\n",
                too_long("domain_settings.domain", 250, 251)
            )
            .as_str()
        )
    );
    assert_eq!(t.col("SELECT length(domain) FROM domain_settings"), ["250"]);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM domain_events"), "1");
}
