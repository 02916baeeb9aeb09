//! Offline storage: mod_offline's `access_max_user_messages` limit, `list_offline_messages`
//! (our extension) and the purges (`delete_expired_messages`, `delete_old_messages`) on rows
//! stored by the stanza commands and by SQL.

use serde_json::json;

use crate::stanza::{deliveries, offline, session};
use crate::support::*;

const DAY_US: i64 = 86_400_000_000;

fn with_access(access: &str) -> String {
    format!("{DEFAULT_CONFIG}\n[access]\n{access}\n")
}

fn setup(config: &str) -> TestEnv {
    let t = TestEnv::with_config(config);
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t
}

fn bodies(t: &TestEnv) -> Vec<String> {
    t.col(
        "SELECT substr(packet, instr(packet, '<body>') + 6, instr(packet, '</body>') - instr(packet, '<body>') - 6) \
         FROM offline_message ORDER BY id",
    )
}

#[test]
fn the_limit_discards_messages_beyond_it_and_tells_the_sender() {
    let t = setup(&with_access(
        "max_user_offline_messages = [{acl = \"all\", value = 2}]",
    ));
    session(&t, "alice", "localhost", "r1", Some(0));
    for body in ["one", "two", "three"] {
        t.run(&[
            "send_message_chat",
            "alice@localhost/r1",
            "bob@localhost",
            body,
        ])
        .ok("");
    }
    assert_eq!(bodies(&t), vec!["one", "two"]);
    let id = t
        .col("SELECT substr(packet, instr(packet, 'id=''') + 4, 16) FROM mongooseimctl_delivered")
        [0]
    .clone();
    assert_eq!(
        deliveries(&t),
        vec![vec![
            "alice@localhost/r1".to_string(),
            "bob@localhost".to_string(),
            format!(
                "<message from='bob@localhost' to='alice@localhost/r1' type='error' id='{id}'><body>three</body>\
                 <error code='500' type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
                 <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang=''>Your contact offline message queue is full. \
                 The message has been discarded.</text></error></message>"
            ),
        ]]
    );
    assert_eq!(
        t.json(&[
            "send_message_chat",
            "alice@localhost",
            "bob@localhost",
            "four"
        ])["result"]["routed"],
        json!([{"to": "bob@localhost", "result": "dropped", "reason": "limit_reached", "error_returned": true}])
    );
    // Expired messages count too, until they are purged; other users have their own count.
    t.exec("UPDATE offline_message SET expire = 1");
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost",
        "five",
    ])
    .ok("");
    assert_eq!(bodies(&t), vec!["one", "two"]);
    t.run(&["delete_expired_messages", "localhost"])
        .ok("Removed 2 messages\n");
    t.register("carol", "localhost", "pw");
    t.run(&[
        "send_message_chat",
        "bob@localhost",
        "carol@localhost",
        "for carol",
    ])
    .ok("");
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost",
        "six",
    ])
    .ok("");
    assert_eq!(bodies(&t), vec!["for carol", "six"]);
    // The stanza's xml:lang is the error text's.
    t.exec("DELETE FROM mongooseimctl_delivered");
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost",
        "seven",
    ])
    .ok("");
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='bob@localhost' xml:lang='pl'><body>eight</body></message>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(bodies(&t), vec!["for carol", "six", "seven"]);
    let packet = &deliveries(&t)[0][2];
    assert!(
        packet.contains("<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='pl'>"),
        "{packet}"
    );
}

#[test]
fn the_limit_rule_is_matched_like_an_access_rule() {
    // Its own name, a class for bob only, a catch-all that is not a number.
    let config =
        with_access("small = [{acl = \"bobs\", value = 1}, {acl = \"all\", value = \"infinity\"}]")
            .replace(
                "[modules.mod_offline]\n",
                "[modules.mod_offline]\n  access_max_user_messages = \"small\"\n",
            )
            .replace(
                "[access]\n",
                "[acl]\nbobs = [{user = \"bob\"}]\n\n[access]\n",
            );
    let t = setup(&config);
    for to in [
        "bob@localhost",
        "bob@localhost",
        "alice@localhost",
        "alice@localhost",
        "alice@localhost",
    ] {
        t.run(&["send_message_chat", "carol@localhost", to, "m"])
            .ok("");
    }
    assert_eq!(
        t.col("SELECT username FROM offline_message ORDER BY id"),
        vec!["bob", "alice", "alice", "alice"]
    );
    // The default rule name, which this config does not define: no limit.
    let t = setup(&with_access("other = [{acl = \"all\", value = 1}]"));
    for _ in 0..3 {
        t.run(&["send_message_chat", "alice@localhost", "bob@localhost", "m"])
            .ok("");
    }
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["3"]);
}

#[test]
fn a_zero_limit_stores_nothing() {
    let t = setup(&with_access(
        "max_user_offline_messages = [{acl = \"all\", value = 0}]",
    ));
    t.run(&["send_message_chat", "alice@localhost", "bob@localhost", "m"])
        .ok("");
    assert!(offline(&t).is_empty());
}

#[test]
fn list_offline_messages_lists_them_in_order() {
    let t = setup(DEFAULT_CONFIG);
    t.run(&["list_offline_messages", "bob", "localhost"]).ok("");
    t.run(&[
        "send_message_chat",
        "Alice@LocalHost/R",
        "Bob@LocalHost",
        "first",
    ])
    .ok("");
    session(&t, "alice", "localhost", "r1", Some(0));
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='bob@localhost'><delay xmlns='urn:xmpp:delay' stamp='2022-06-01T10:00:00Z'/><x xmlns='jabber:x:expire' seconds='10'/><body>second\tline</body></message>",
    ])
    .ok("Stanza has been sent\n");
    let rows = t.sql("SELECT timestamp, packet FROM offline_message ORDER BY id");
    t.run(&["list_offline_messages", "BOB", "localhost"]).ok(&format!(
        "Alice@LocalHost/R\t{}\tnever\t{}\n\
         alice@localhost/r1\t1654077600000000\t1654077610000000\t<message from='alice@localhost/r1' to='bob@localhost'><x xmlns='jabber:x:expire' seconds='10'/><body>second\tline</body></message>\n",
        rows[0][0], rows[0][1]
    ));
    assert_eq!(
        t.json(&["list_offline_messages", "bob", "localhost"]),
        json!({"command": "list_offline_messages", "ok": true, "result": [
            {"from": "Alice@LocalHost/R", "timestamp": rows[0][0].parse::<i64>().unwrap(), "expire": null, "stanza": rows[0][1]},
            {"from": "alice@localhost/r1", "timestamp": 1654077600000000i64, "expire": 1654077610000000i64, "stanza": rows[1][1]},
        ]})
    );
    // Nobody's, an unknown domain's: nothing. An invalid JID: a crash.
    t.run(&["list_offline_messages", "alice", "localhost"])
        .ok("");
    t.run(&["list_offline_messages", "bob", "nowhere.org"])
        .ok("");
    let r = t.run(&["list_offline_messages", "b@b", "localhost"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "Problem 'error {invalid_jid,<<\"b@b\">>,<<\"localhost\">>}' occurred executing the command.\n"
    );
}

#[test]
fn purges_remove_stored_messages() {
    let t = setup(DEFAULT_CONFIG);
    session(&t, "alice", "localhost", "r1", Some(0));
    let now = now_secs() * 1_000_000;
    // By the commands: one now, one stamped 10 days ago, one that expired a day after that.
    t.run(&[
        "send_message_chat",
        "alice@localhost/r1",
        "bob@localhost",
        "now",
    ])
    .ok("");
    let stamp = |days: i64| {
        let secs = now_secs() - days * 86_400;
        // RFC 3339 by hand (UTC): the test has no date library.
        let (d, s) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, dd) = civil(d);
        format!(
            "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}Z",
            s / 3600,
            s % 3600 / 60,
            s % 60
        )
    };
    for (body, extra) in [
        ("old", format!("<delay xmlns='urn:xmpp:delay' stamp='{}'/>", stamp(10))),
        ("expired", format!("<delay xmlns='urn:xmpp:delay' stamp='{}'/><x xmlns='jabber:x:expire' seconds='86400'/>", stamp(10))),
    ] {
        t.run(&[
            "send_stanza_c2s",
            "alice",
            "localhost",
            "r1",
            &format!("<message to='bob@localhost'>{extra}<body>{body}</body></message>"),
        ])
        .ok("Stanza has been sent\n");
    }
    // By SQL: on localhost one expiring tomorrow (kept by both purges), on example.org an old one.
    t.exec(&format!(
        "INSERT INTO offline_message (timestamp, expire, server, username, from_jid, packet, permanent_fields) VALUES
         ({now}, {tomorrow}, 'localhost', 'bob', 'x@localhost', '<message><body>tomorrow</body></message>', X'836A'),
         ({old}, NULL, 'example.org', 'carol', 'x@localhost', '<message><body>elsewhere</body></message>', X'836A')",
        tomorrow = now + DAY_US,
        old = now - 10 * DAY_US,
    ));
    assert_eq!(
        bodies(&t),
        vec!["now", "old", "expired", "tomorrow", "elsewhere"]
    );
    t.run(&["delete_expired_messages", "LOCALHOST"])
        .fails("Error: \"Unknown domain\"\n");
    t.run(&["delete_old_messages", "LOCALHOST", "5"])
        .fails("Error: \"Unknown domain\"\n");
    t.run(&["delete_expired_messages", "nowhere.org"])
        .fails("Error: \"Unknown domain\"\n");
    assert_eq!(bodies(&t).len(), 5);
    t.run(&["delete_expired_messages", "localhost"])
        .ok("Removed 1 messages\n");
    assert_eq!(bodies(&t), vec!["now", "old", "tomorrow", "elsewhere"]);
    t.run(&["delete_expired_messages", "localhost"])
        .ok("Removed 0 messages\n");
    t.run(&["delete_old_messages", "localhost", "11"])
        .ok("Removed 0 messages\n");
    t.run(&["delete_old_messages", "localhost", "5"])
        .ok("Removed 1 messages\n");
    assert_eq!(bodies(&t), vec!["now", "tomorrow", "elsewhere"]);
    t.run(&["delete_old_messages", "example.org", "5"])
        .ok("Removed 1 messages\n");
    assert_eq!(
        t.json(&["delete_old_messages", "localhost", "0"]),
        json!({"command": "delete_old_messages", "ok": true, "result": {"host": "localhost", "removed": 2}})
    );
    assert!(offline(&t).is_empty());
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil_from_days).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
