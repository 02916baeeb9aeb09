//! Group `stanza`: `send_message_chat`, `send_message_headline` and `send_stanza_c2s`, with
//! what routing records: deliveries to recorded sessions (`mongooseimctl_delivered`) and
//! offline messages (`offline_message`).

use serde_json::json;

use crate::support::*;

/// Record a session of user@server/resource (`priority` NULL when `None`), available.
pub fn session(t: &TestEnv, user: &str, server: &str, resource: &str, priority: Option<i64>) {
    let priority = priority.map_or("NULL".to_string(), |p| p.to_string());
    t.exec(&format!(
        "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, priority, show, node) \
         VALUES ('{user}', '{server}', '{resource}', 1, {priority}, 'available', 'mongooseim@localhost')"
    ));
}

/// Every delivery: recipient full JID, sender, packet.
pub fn deliveries(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql(
        "SELECT username || '@' || server || '/' || resource, from_jid, packet \
         FROM mongooseimctl_delivered ORDER BY id",
    )
}

/// Every offline message: recipient, sender, packet, permanent fields (hex), expire.
pub fn offline(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql(
        "SELECT username || '@' || server, from_jid, packet, hex(permanent_fields), \
         COALESCE(expire, 'NULL') FROM offline_message ORDER BY id",
    )
}

/// The ids of the stored messages and delivered packets (16 hex characters after `id='`).
fn ids(t: &TestEnv, table: &str) -> Vec<String> {
    t.col(&format!(
        "SELECT substr(packet, instr(packet, 'id=''') + 4, 16) FROM {table} ORDER BY id"
    ))
}

fn is_id(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn row(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

const STANZAS_NS: &str = "urn:ietf:params:xml:ns:xmpp-stanzas";

fn bounce_offline_error() -> String {
    format!(
        "<error code='503' type='cancel'><service-unavailable xmlns='{STANZAS_NS}'/>\
         <text xmlns='{STANZAS_NS}' xml:lang='en'>Bounce offline message</text></error>"
    )
}

fn no_user_error() -> String {
    format!("<error code='503' type='cancel'><service-unavailable xmlns='{STANZAS_NS}'/></error>")
}

fn setup() -> TestEnv {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t
}

// ---------------------------------------------------------------------------------------
// send_message_chat / send_message_headline

#[test]
fn a_full_jid_with_a_session_gets_the_message() {
    let t = setup();
    session(&t, "bob", "localhost", "r1", Some(0));
    session(&t, "bob", "localhost", "r2", Some(5));
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost/r1",
        "hi <there>",
    ])
    .ok("");
    t.run(&[
        "send_message_headline",
        "alice@localhost/home",
        "bob@localhost/r1",
        "News",
        "read me",
    ])
    .ok("");
    let ids = ids(&t, "mongooseimctl_delivered");
    assert!(ids.iter().all(|i| is_id(i)), "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(
        deliveries(&t),
        vec![
            row(&[
                "bob@localhost/r1",
                "alice@localhost",
                &format!(
                    "<message from='alice@localhost' to='bob@localhost/r1' type='chat' id='{}'>\
                     <body>hi &lt;there&gt;</body></message>",
                    ids[0]
                ),
            ]),
            row(&[
                "bob@localhost/r1",
                "alice@localhost/home",
                &format!(
                    "<message from='alice@localhost/home' to='bob@localhost/r1' type='headline' id='{}'>\
                     <subject>News</subject><body>read me</body></message>",
                    ids[1]
                ),
            ]),
        ]
    );
    assert!(offline(&t).is_empty());
}

#[test]
fn a_bare_jid_with_sessions_gets_one_copy_per_session_whatever_the_priority() {
    let t = setup();
    session(&t, "bob", "localhost", "r2", Some(-1));
    session(&t, "bob", "localhost", "r1", None);
    session(&t, "bob", "localhost", "r3", Some(5));
    t.run(&[
        "send_message_chat",
        "alice@localhost/x",
        "Bob@LocalHost",
        "hello",
    ])
    .ok("");
    t.run(&[
        "send_message_headline",
        "alice@localhost/x",
        "bob@localhost",
        "s",
        "b",
    ])
    .ok("");
    let ids = ids(&t, "mongooseimctl_delivered");
    assert_eq!(ids.len(), 6);
    assert!(ids[..3].iter().all(|i| *i == ids[0]) && ids[3..].iter().all(|i| *i == ids[3]));
    let chat = |r: &str| {
        row(&[
            &format!("bob@localhost/{r}"),
            "alice@localhost/x",
            &format!(
                "<message from='alice@localhost/x' to='Bob@LocalHost/{r}' type='chat' id='{}'><body>hello</body></message>",
                ids[0]
            ),
        ])
    };
    let headline = |r: &str| {
        row(&[
            &format!("bob@localhost/{r}"),
            "alice@localhost/x",
            &format!(
                "<message from='alice@localhost/x' to='bob@localhost/{r}' type='headline' id='{}'><subject>s</subject><body>b</body></message>",
                ids[3]
            ),
        ])
    };
    // In resource order; the recipient's address keeps the case it was given in.
    assert_eq!(
        deliveries(&t),
        vec![
            chat("r1"),
            chat("r2"),
            chat("r3"),
            headline("r1"),
            headline("r2"),
            headline("r3")
        ]
    );
    assert!(offline(&t).is_empty());
}

#[test]
fn a_bare_jid_without_sessions_stores_chat_and_drops_headline() {
    let t = setup();
    t.run(&[
        "send_message_chat",
        "Alice@LocalHost/Home",
        "bob@localhost",
        "for later",
    ])
    .ok("");
    t.run(&[
        "send_message_headline",
        "alice@localhost",
        "bob@localhost",
        "s",
        "b",
    ])
    .ok("");
    let id = &ids(&t, "offline_message")[0];
    assert!(is_id(id));
    // The packet as handed to the router: no from/to; from_jid as the sender was given.
    assert_eq!(
        offline(&t),
        vec![row(&[
            "bob@localhost",
            "Alice@LocalHost/Home",
            &format!("<message type='chat' id='{id}'><body>for later</body></message>"),
            "836A",
            "NULL",
        ])]
    );
    let ts: i64 = t.col("SELECT timestamp FROM offline_message")[0]
        .parse()
        .unwrap();
    assert!((ts / 1_000_000 - now_secs()).abs() < 60, "{ts}");
    // No session of the sender: the headline's bounce reaches nobody.
    assert!(deliveries(&t).is_empty());
}

#[test]
fn bounces_reach_the_senders_session() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    // A headline to a user without sessions, a chat to a nonexistent user.
    t.run(&[
        "send_message_headline",
        "alice@localhost/r1",
        "bob@localhost",
        "S",
        "B",
    ])
    .ok("");
    t.run(&[
        "send_message_chat",
        "alice@localhost/r1",
        "nobody@localhost",
        "hi",
    ])
    .ok("");
    let ids = ids(&t, "mongooseimctl_delivered");
    assert_eq!(
        deliveries(&t),
        vec![
            row(&[
                "alice@localhost/r1",
                "bob@localhost",
                &format!(
                    "<message from='bob@localhost' to='alice@localhost/r1' type='error' id='{}'>\
                     <subject>S</subject><body>B</body>{}</message>",
                    ids[0],
                    bounce_offline_error()
                ),
            ]),
            row(&[
                "alice@localhost/r1",
                "nobody@localhost",
                &format!(
                    "<message from='nobody@localhost' to='alice@localhost/r1' type='error' id='{}'>\
                     <body>hi</body>{}</message>",
                    ids[1],
                    no_user_error()
                ),
            ]),
        ]
    );
    // Nothing stored, for the nonexistent user least of all.
    assert!(offline(&t).is_empty());
    assert_eq!(t.col("SELECT COUNT(*) FROM users"), vec!["2"]);
}

#[test]
fn a_bounce_to_a_bare_sender_follows_the_bare_jid_rule() {
    let t = setup();
    session(&t, "alice", "localhost", "low", Some(1));
    session(&t, "alice", "localhost", "high", Some(3));
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "ghost@localhost",
        "x",
    ])
    .ok("");
    assert_eq!(
        t.col("SELECT resource FROM mongooseimctl_delivered"),
        vec!["high"]
    );
    assert_eq!(
        t.col("SELECT packet FROM mongooseimctl_delivered")[0],
        format!(
            "<message from='ghost@localhost' to='alice@localhost' type='error' id='{}'><body>x</body>{}</message>",
            ids(&t, "mongooseimctl_delivered")[0],
            no_user_error()
        )
    );
}

#[test]
fn a_full_jid_without_a_session_falls_back_to_the_highest_non_negative_priority() {
    let t = setup();
    session(&t, "bob", "localhost", "a", Some(2));
    session(&t, "bob", "localhost", "b", Some(2));
    session(&t, "bob", "localhost", "c", Some(1));
    session(&t, "bob", "localhost", "d", None);
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost/gone",
        "m",
    ])
    .ok("");
    let id = &ids(&t, "mongooseimctl_delivered")[0];
    let packet = format!(
        "<message from='alice@localhost' to='bob@localhost/gone' type='chat' id='{id}'><body>m</body></message>"
    );
    assert_eq!(
        deliveries(&t),
        vec![
            row(&["bob@localhost/a", "alice@localhost", &packet]),
            row(&["bob@localhost/b", "alice@localhost", &packet]),
        ]
    );
    assert!(offline(&t).is_empty());
}

#[test]
fn only_negative_or_unset_priorities_mean_offline_storage() {
    let t = setup();
    session(&t, "bob", "localhost", "neg", Some(-3));
    session(&t, "bob", "localhost", "unset", None);
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost/other",
        "m",
    ])
    .ok("");
    t.run(&[
        "send_message_headline",
        "alice@localhost",
        "bob@localhost/other",
        "s",
        "h",
    ])
    .ok("");
    assert!(deliveries(&t).is_empty());
    let id = &ids(&t, "offline_message")[0];
    assert_eq!(
        offline(&t),
        vec![row(&[
            "bob@localhost",
            "alice@localhost",
            &format!("<message type='chat' id='{id}'><body>m</body></message>"),
            "836A",
            "NULL"
        ])]
    );
}

#[test]
fn remote_domains_record_nothing() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    t.run(&[
        "send_message_chat",
        "alice@localhost/r1",
        "bob@elsewhere.net",
        "x",
    ])
    .ok("");
    t.run(&[
        "send_message_headline",
        "alice@localhost/r1",
        "bob@elsewhere.net/r",
        "s",
        "x",
    ])
    .ok("");
    // A remote sender's bounce goes nowhere either.
    t.run(&[
        "send_message_chat",
        "eve@elsewhere.net",
        "nobody@localhost",
        "x",
    ])
    .ok("");
    // The server itself handles what is addressed to it.
    t.run(&["send_message_chat", "alice@localhost/r1", "localhost", "x"])
        .ok("");
    assert!(deliveries(&t).is_empty());
    assert!(offline(&t).is_empty());
    let doc = t.json(&[
        "send_message_chat",
        "alice@localhost/r1",
        "bob@elsewhere.net",
        "x",
    ]);
    assert_eq!(
        doc["result"]["routed"],
        json!([{"to": "bob@elsewhere.net", "result": "remote"}])
    );
}

#[test]
fn invalid_jids_are_refused_and_nothing_changes() {
    let t = setup();
    session(&t, "bob", "localhost", "r1", Some(0));
    for (from, to, out) in [
        ("@localhost", "bob@localhost", "Sender JID is invalid\n"),
        ("", "bob@localhost", "Sender JID is invalid\n"),
        ("a@b@c", "bob@localhost", "Sender JID is invalid\n"),
        ("al ice@localhost", "bad@", "Sender JID is invalid\n"),
        ("alice@localhost", "bob@", "Receiver JID is invalid\n"),
        ("alice@localhost", "/r", "Receiver JID is invalid\n"),
        (
            "alice@localhost",
            "b\"ob@localhost",
            "Receiver JID is invalid\n",
        ),
    ] {
        t.run(&["send_message_chat", from, to, "x"]).fails(out);
        t.run(&["send_message_headline", from, to, "s", "x"])
            .fails(out);
    }
    assert!(deliveries(&t).is_empty());
    assert!(offline(&t).is_empty());
    assert_eq!(
        t.json(&["send_message_chat", "alice@localhost", "bob@", "x"]),
        json!({"command": "send_message_chat", "ok": false, "error": {
            "kind": "invalid_receiver", "message": "Receiver JID is invalid", "jid": "bob@"}})
    );
    assert_eq!(
        t.json(&["send_message_headline", "@x", "bob@", "s", "x"]),
        json!({"command": "send_message_headline", "ok": false, "error": {
            "kind": "invalid_sender", "message": "Sender JID is invalid", "jid": "@x"}})
    );
}

#[test]
fn a_body_that_is_not_xml_text_is_refused() {
    let t = setup();
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost",
        "a\u{1b}[2Jb",
    ])
    .fails("Invalid text in element \"body\": U+001B at position 2 is not an XML 1.0 character\n");
    t.run(&[
        "send_message_headline",
        "alice@localhost",
        "bob@localhost",
        "\u{7}",
        "b",
    ])
    .fails(
        "Invalid text in element \"subject\": U+0007 at position 1 is not an XML 1.0 character\n",
    );
    assert!(offline(&t).is_empty());
    assert_eq!(
        t.json(&[
            "send_message_chat",
            "alice@localhost",
            "bob@localhost",
            "a\u{1b}"
        ])["error"]["kind"],
        "invalid_xml_value"
    );
    // Tabs and newlines are text.
    t.run(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost",
        "a\tb\nc",
    ])
    .ok("");
    assert_eq!(
        t.col("SELECT packet FROM offline_message")[0],
        format!(
            "<message type='chat' id='{}'><body>a\tb\nc</body></message>",
            ids(&t, "offline_message")[0]
        )
    );
}

#[test]
fn without_mod_offline_a_chat_is_bounced_not_stored() {
    let t = TestEnv::with_config(&format!(
        "{DEFAULT_CONFIG}\n[[host_config]]\n  host = \"example.org\"\n  [host_config.modules.mod_last]\n    backend = \"rdbms\"\n"
    ));
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.register("carol", "example.org", "pw");
    session(&t, "alice", "localhost", "r1", Some(0));
    t.run(&[
        "send_message_chat",
        "alice@localhost/r1",
        "carol@example.org",
        "hi",
    ])
    .ok("");
    assert!(offline(&t).is_empty());
    assert_eq!(
        deliveries(&t),
        vec![row(&[
            "alice@localhost/r1",
            "carol@example.org",
            &format!(
                "<message from='carol@example.org' to='alice@localhost/r1' type='error' id='{}'><body>hi</body>{}</message>",
                ids(&t, "mongooseimctl_delivered")[0],
                bounce_offline_error()
            )
        ])]
    );
    // With mod_offline (localhost), the same message is stored.
    t.run(&[
        "send_message_chat",
        "carol@example.org",
        "bob@localhost",
        "hi",
    ])
    .ok("");
    assert_eq!(
        t.col("SELECT from_jid FROM offline_message"),
        vec!["carol@example.org"]
    );
}

#[test]
fn send_message_json_reports_each_routing() {
    let t = setup();
    session(&t, "bob", "localhost", "r1", Some(0));
    session(&t, "bob", "localhost", "r2", None);
    let doc = t.json(&["send_message_chat", "alice@localhost", "bob@localhost", "x"]);
    let id = doc["result"]["id"].as_str().unwrap().to_string();
    assert!(is_id(&id));
    assert_eq!(
        doc,
        json!({"command": "send_message_chat", "ok": true, "result": {
            "from": "alice@localhost", "to": "bob@localhost", "id": id, "routed": [
                {"to": "bob@localhost/r1", "result": "delivered", "sessions": ["bob@localhost/r1"]},
                {"to": "bob@localhost/r2", "result": "delivered", "sessions": ["bob@localhost/r2"]}]}})
    );
    let doc = t.json(&[
        "send_message_chat",
        "alice@localhost",
        "bob@localhost/r3",
        "x",
    ]);
    assert_eq!(
        doc["result"]["routed"],
        json!([{"to": "bob@localhost/r3", "result": "delivered", "sessions": ["bob@localhost/r1"]}])
    );
    t.exec("DELETE FROM mongooseimctl_sessions");
    let doc = t.json(&["send_message_chat", "alice@localhost", "bob@localhost", "x"]);
    assert_eq!(
        doc["result"]["routed"],
        json!([{"to": "bob@localhost", "result": "stored", "account": "bob@localhost"}])
    );
    let doc = t.json(&[
        "send_message_headline",
        "alice@localhost",
        "bob@localhost",
        "s",
        "x",
    ]);
    assert_eq!(
        doc["result"]["routed"],
        json!([{"to": "bob@localhost", "result": "dropped", "reason": "headline", "error_returned": false}])
    );
}

// ---------------------------------------------------------------------------------------
// send_stanza_c2s

#[test]
fn send_stanza_c2s_needs_the_session_first() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    t.run(&["send_stanza_c2s", "Alice", "LocalHost", "R1", "<message/>"])
        .fails("User Alice@LocalHost/R1 does not exist\n");
    // Checked before the stanza; an invalid JID is no session either.
    t.run(&["send_stanza_c2s", "bob", "localhost", "r1", "not xml"])
        .fails("User bob@localhost/r1 does not exist\n");
    t.run(&["send_stanza_c2s", "a@b", "localhost", "r1", "<message/>"])
        .fails("User a@b@localhost/r1 does not exist\n");
    assert_eq!(
        t.json(&["send_stanza_c2s", "bob", "localhost", "r1", "<message/>"]),
        json!({"command": "send_stanza_c2s", "ok": false, "error": {
            "kind": "session_not_found", "message": "User bob@localhost/r1 does not exist",
            "user": "bob", "host": "localhost", "resource": "r1"}})
    );
    // The user and host are normalised to find the session; the resource is not case-folded.
    t.run(&["send_stanza_c2s", "ALICE", "LOCALHOST", "r1", "<iq/>"])
        .ok("Stanza has been sent\n");
    assert!(deliveries(&t).is_empty());
}

#[test]
fn stanzas_that_do_not_parse_are_incorrect() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    for bad in ["not xml", "<a b=c/>", "<message>text</message>junk", ""] {
        t.run(&["send_stanza_c2s", "alice", "localhost", "r1", bad])
            .fails("Stanza is incorrect\n");
    }
    assert_eq!(
        t.json(&["send_stanza_c2s", "alice", "localhost", "r1", "<a b=c/>"]),
        json!({"command": "send_stanza_c2s", "ok": false, "error": {
            "kind": "invalid_stanza", "message": "Stanza is incorrect", "error": "expected ' or \""}})
    );
    // What parses but could not be delivered or stored as XML 1.0 is refused too.
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='bob@localhost'><body>&#1;</body></message>",
    ])
    .fails("Invalid text in element \"body\": U+0001 at position 1 is not an XML 1.0 character\n");
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<1a to='bob@localhost/r1'/>",
    ])
    .fails("Invalid element name \"1a\": U+0031 at position 1 cannot start an XML name\n");
    assert_eq!(
        t.json(&["send_stanza_c2s", "alice", "localhost", "r1", "<1a/>"])["error"]["kind"],
        "invalid_xml_name"
    );
    assert!(offline(&t).is_empty());
    assert!(deliveries(&t).is_empty());
    assert_eq!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_sessions"),
        vec!["1"]
    );
}

/// The stanza as words that 5.1's XML rule joins back with single spaces: every word but the
/// last leaves an angle bracket open.
fn words(stanza: &str) -> Vec<&str> {
    stanza.split(' ').collect()
}

#[test]
fn deep_and_huge_stanzas_give_a_clean_error() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    // 100,000 nested elements, 100 words of about 3 KB.
    let mut deep = String::from("<message to='bob@localhost'>");
    for _ in 0..100 {
        deep.push_str(&"<a>".repeat(999));
        deep.push_str("<a x='1'>");
    }
    let mut args = vec!["send_stanza_c2s", "alice", "localhost", "r1"];
    args.extend(words(&deep));
    let r = t.run(&args);
    r.fails("Stanza is incorrect\n");
    assert_eq!(r.stderr, "");
    let mut json_args = vec!["-o", "json"];
    json_args.extend(&args);
    assert_eq!(
        t.json(&json_args)["error"],
        json!({"kind": "invalid_stanza", "message": "Stanza is incorrect", "error": "element nesting too deep"})
    );
    // 1.5 MB in one attribute, 15 words of 100 KB (the command line cannot carry 10 MB; a unit
    // test of the service covers that).
    let chunk = "x".repeat(100_000);
    let huge = format!(
        "<message to='bob@localhost' a='{}'><body>hi</body></message>",
        vec![chunk.as_str(); 15].join(" ")
    );
    let mut args = vec!["send_stanza_c2s", "alice", "localhost", "r1"];
    args.extend(words(&huge));
    t.run(&args).fails(&format!(
        "Stanza is incorrect: it has {} bytes, more than the 1048576 a stanza may have\n",
        huge.len()
    ));
    assert!(offline(&t).is_empty());
    assert!(deliveries(&t).is_empty());
}

#[test]
fn a_message_is_routed_from_the_session() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    session(&t, "bob", "localhost", "phone", Some(1));
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message id='m1' to='Bob@localhost' type='chat' from='alice@localhost'><body>yo</body></message>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(
        deliveries(&t),
        vec![row(&[
            "bob@localhost/phone",
            "alice@localhost/r1",
            "<message from='alice@localhost/r1' to='Bob@localhost' id='m1' type='chat'><body>yo</body></message>",
        ])]
    );
    // To a user without a session: stored with from/to set, delay tags removed, the stamp and
    // the expiry honoured.
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='carol@localhost'/>",
    ])
    .ok("Stanza has been sent\n");
    t.register("carol", "localhost", "pw");
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='carol@localhost' id='m2'><delay xmlns='urn:xmpp:delay' stamp='2022-06-01T10:00:00Z'/>\
         <x xmlns='jabber:x:delay' stamp='20220601T10:00:00'/><x xmlns='jabber:x:expire' seconds='3600'/><body>later</body></message>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(
        t.sql("SELECT username, from_jid, timestamp, expire, packet, hex(permanent_fields) FROM offline_message"),
        vec![row(&[
            "carol",
            "alice@localhost/r1",
            "1654077600000000",
            "1654081200000000",
            "<message from='alice@localhost/r1' to='carol@localhost' id='m2'>\
             <x xmlns='jabber:x:expire' seconds='3600'/><body>later</body></message>",
            "836A",
        ])]
    );
    // The first one, to carol before she existed, bounced to the session.
    assert_eq!(
        t.col("SELECT packet FROM mongooseimctl_delivered WHERE resource = 'r1'"),
        vec![format!(
            "<message from='carol@localhost' to='alice@localhost/r1' type='error'>{}</message>",
            no_user_error()
        )]
    );
}

#[test]
fn messages_that_are_never_stored() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    let send = |stanza: &str| {
        t.run(&["send_stanza_c2s", "alice", "localhost", "r1", stanza])
            .ok("Stanza has been sent\n");
    };
    // An error: dropped, not bounced.
    send("<message to='bob@localhost' type='error'><body>e</body></message>");
    assert!(deliveries(&t).is_empty());
    // Chat states only; a XEP-0022 event notification; a groupchat message (without
    // store_groupchat_messages): bounced.
    send("<message to='bob@localhost' type='chat' id='c'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    send("<message to='bob@localhost' id='e'><x xmlns='jabber:x:event'><id>m1</id><composing/></x></message>");
    send("<message to='bob@localhost' type='groupchat' id='g'><body>g</body></message>");
    assert!(offline(&t).is_empty());
    assert_eq!(
        t.col(
            "SELECT substr(packet, 1, instr(packet, '>')) FROM mongooseimctl_delivered ORDER BY id"
        ),
        vec![
            "<message from='bob@localhost' to='alice@localhost/r1' type='error' id='c'>",
            "<message from='bob@localhost' to='alice@localhost/r1' type='error' id='e'>",
            "<message from='bob@localhost' to='alice@localhost/r1' type='error' id='g'>",
        ]
    );
    // A chat state with a body is stored.
    send("<message to='bob@localhost'><active xmlns='http://jabber.org/protocol/chatstates'/><body>b</body></message>");
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["1"]);
}

#[test]
fn groupchat_messages_are_stored_with_store_groupchat_messages() {
    let t = TestEnv::with_config(&DEFAULT_CONFIG.replace(
        "[modules.mod_offline]\n",
        "[modules.mod_offline]\n  store_groupchat_messages = true\n",
    ));
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    session(&t, "alice", "localhost", "r1", Some(0));
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='bob@localhost' type='groupchat'><body>g</body></message>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(
        offline(&t),
        vec![row(&[
            "bob@localhost",
            "alice@localhost/r1",
            "<message from='alice@localhost/r1' to='bob@localhost' type='groupchat'><body>g</body></message>",
            "836A",
            "NULL"
        ])]
    );
    // Not for a nonexistent account.
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message to='ghost@localhost' type='groupchat'><body>g</body></message>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["1"]);
}

#[test]
fn a_foreign_from_terminates_the_session() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    session(&t, "alice", "localhost", "r2", Some(0));
    // The bare and the full JID are the session's own (compared normalised).
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<iq from='ALICE@localhost' type='get'/>",
    ])
    .ok("Stanza has been sent\n");
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<iq from='alice@LOCALHOST/r1' type='get'/>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_sessions"),
        vec!["2"]
    );
    let before = now_secs();
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<message from='bob@localhost' to='bob@localhost'><body>spoof</body></message>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(
        t.col("SELECT resource FROM mongooseimctl_sessions"),
        vec!["r2"]
    );
    // The client gets the stream error; the other resource the unavailable presence; mod_last
    // records the logout; the message itself goes nowhere.
    assert_eq!(
        deliveries(&t),
        vec![
            row(&[
                "alice@localhost/r1",
                "localhost",
                "<stream:error><invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
            ]),
            row(&[
                "alice@localhost/r2",
                "alice@localhost/r1",
                "<presence from='alice@localhost/r1' to='alice@localhost/r2' type='unavailable'/>",
            ]),
        ]
    );
    assert!(offline(&t).is_empty());
    let last = t.sql("SELECT seconds, state FROM last WHERE username = 'alice'");
    assert_eq!(last[0][1], "");
    assert!(last[0][0].parse::<i64>().unwrap() >= before);
    // An unparsable from is not the session's either.
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r2",
        "<presence from='@x'/>",
    ])
    .ok("Stanza has been sent\n");
    assert!(t
        .col("SELECT resource FROM mongooseimctl_sessions")
        .is_empty());
}

#[test]
fn a_presence_without_to_updates_the_session() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", None);
    session(&t, "alice", "localhost", "r2", Some(0));
    t.run(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<presence><show>away</show><status>lunch</status><priority>7</priority></presence>",
    ])
    .ok("Stanza has been sent\n");
    assert_eq!(
        t.sql("SELECT resource, show, status, COALESCE(priority, 'NULL') FROM mongooseimctl_sessions ORDER BY resource"),
        vec![row(&["r1", "away", "lunch", "7"]), row(&["r2", "available", "", "0"])]
    );
    assert_eq!(
        deliveries(&t),
        vec![row(&[
            "alice@localhost/r2",
            "alice@localhost/r1",
            "<presence from='alice@localhost/r1' to='alice@localhost/r2'><show>away</show><status>lunch</status><priority>7</priority></presence>",
        ])]
    );
    let doc = t.json(&[
        "send_stanza_c2s",
        "alice",
        "localhost",
        "r1",
        "<presence type='unavailable'/>",
    ]);
    assert_eq!(
        doc,
        json!({"command": "send_stanza_c2s", "ok": true, "result": {
            "session": "alice@localhost/r1", "stanza": "presence", "effect": "presence", "presence": "unavailable"}})
    );
    assert_eq!(
        t.sql("SELECT show, COALESCE(priority, 'NULL') FROM mongooseimctl_sessions WHERE resource = 'r1'"),
        vec![row(&["unavailable", "NULL"])]
    );
}

#[test]
fn other_stanzas_reach_only_a_full_jid_with_a_session() {
    let t = setup();
    session(&t, "alice", "localhost", "r1", Some(0));
    session(&t, "bob", "localhost", "b1", Some(0));
    let send = |stanza: &str| {
        t.run(&["send_stanza_c2s", "alice", "localhost", "r1", stanza])
            .ok("Stanza has been sent\n");
    };
    send("<iq type='get' id='q1' to='bob@localhost/b1'><query xmlns='jabber:iq:version'/></iq>");
    send("<iq type='get' id='q2' to='bob@localhost'/>");
    send("<presence type='subscribe' to='bob@localhost/b9'/>");
    send("<message to='bad@'><body>bad to</body></message>");
    // A message without `to` is for the sender's own account: its highest-priority sessions.
    send("<message><body>no to</body></message>");
    assert_eq!(
        deliveries(&t),
        vec![
            row(&[
                "bob@localhost/b1",
                "alice@localhost/r1",
                "<iq from='alice@localhost/r1' to='bob@localhost/b1' type='get' id='q1'><query xmlns='jabber:iq:version'/></iq>",
            ]),
            row(&[
                "alice@localhost/r1",
                "alice@localhost/r1",
                "<message from='alice@localhost/r1' to='alice@localhost'><body>no to</body></message>",
            ]),
        ]
    );
    assert!(offline(&t).is_empty());
    assert_eq!(
        t.json(&[
            "send_stanza_c2s",
            "alice",
            "localhost",
            "r1",
            "<iq to='bob@localhost/b1'/>"
        ]),
        json!({"command": "send_stanza_c2s", "ok": true, "result": {
            "session": "alice@localhost/r1", "stanza": "iq", "effect": "delivered", "to": "bob@localhost/b1"}})
    );
    assert_eq!(
        t.json(&[
            "send_stanza_c2s",
            "alice",
            "localhost",
            "r1",
            "<message to='bob@localhost'/>"
        ])["result"],
        json!({"session": "alice@localhost/r1", "stanza": "message", "effect": "routed",
            "routed": {"to": "bob@localhost", "result": "delivered", "sessions": ["bob@localhost/b1"]}})
    );
    assert_eq!(
        t.json(&[
            "send_stanza_c2s",
            "alice",
            "localhost",
            "r1",
            "<iq type='get'/>"
        ])["result"],
        json!({"session": "alice@localhost/r1", "stanza": "iq", "effect": "not_delivered", "to": null})
    );
}

#[test]
fn the_stanza_group_can_be_disabled() {
    let t = TestEnv::with_config(&DEFAULT_CONFIG.replace(
        "[services.service_admin_extra]\n",
        "[services.service_admin_extra]\n  submods = [\"accounts\"]\n",
    ));
    t.register("bob", "localhost", "pw");
    t.run(&["send_message_chat", "a@localhost", "bob@localhost", "x"])
        .fails("")
        .stderr_has(
            "command \"send_message_chat\" belongs to group \"stanza\", which is not enabled",
        );
    assert_eq!(
        t.json(&["send_stanza_c2s", "bob", "localhost", "r", "<iq/>"])["error"]["kind"],
        "disabled_group"
    );
    assert!(offline(&t).is_empty());
    // list_offline_messages is a core command: always there.
    t.run(&["list_offline_messages", "bob", "localhost"]).ok("");
}
