//! Group `vcard`: reading and rewriting vCard fields, and the `vcard_search` index.

use serde_json::json;

use crate::support::*;

fn config_with_submods(submods: &str) -> String {
    DEFAULT_CONFIG.replace(
        "[services.service_admin_extra]\n",
        &format!("[services.service_admin_extra]\n  submods = [{submods}]\n"),
    )
}

fn stored(t: &TestEnv, user: &str) -> Vec<String> {
    t.col(&format!(
        "SELECT vcard FROM vcard WHERE server = 'localhost' AND username = '{user}'"
    ))
}

/// The vcard_search row of a user, as (column, value) pairs.
fn search_row(t: &TestEnv, user: &str) -> Vec<(String, String)> {
    const COLS: [&str; 25] = [
        "username",
        "lusername",
        "server",
        "fn",
        "lfn",
        "family",
        "lfamily",
        "given",
        "lgiven",
        "middle",
        "lmiddle",
        "nickname",
        "lnickname",
        "bday",
        "lbday",
        "ctry",
        "lctry",
        "locality",
        "llocality",
        "email",
        "lemail",
        "orgname",
        "lorgname",
        "orgunit",
        "lorgunit",
    ];
    let rows = t.sql(&format!(
        "SELECT {} FROM vcard_search WHERE server = 'localhost' AND lusername = '{user}'",
        COLS.join(", ")
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    COLS.iter()
        .map(|c| c.to_string())
        .zip(rows[0].iter().cloned())
        .collect()
}

fn expect_row(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn worked_example_of_the_spec() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard2", "alice", "localhost", "ORG", "ORGNAME", "ESL"])
        .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><ORG><ORGNAME>ESL</ORGNAME></ORG></vCard>"]
    );
    t.run(&["set_vcard", "Alice", "LocalHost", "FN", "Al"])
        .ok("");
    t.run(&[
        "set_vcard2_multi",
        "alice",
        "localhost",
        "ORG",
        "ORGUNIT",
        "sales;marketing",
    ])
    .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN>Al</FN><ORG><ORGNAME>ESL</ORGNAME><ORGUNIT>sales</ORGUNIT><ORGUNIT>marketing</ORGUNIT></ORG></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "FN"]).ok("Al\n");
    t.run(&["get_vcard2", "ALICE", "localhost", "ORG", "ORGNAME"])
        .ok("ESL\n");
    // get_vcard2 concatenates, get_vcard2_multi prints one per line.
    t.run(&["get_vcard2", "alice", "localhost", "ORG", "ORGUNIT"])
        .ok("salesmarketing\n");
    t.run(&["get_vcard2_multi", "alice", "localhost", "ORG", "ORGUNIT"])
        .ok("sales\nmarketing\n");
    t.run(&["get_vcard2_multi", "alice", "localhost", "ORG", "ORGNAME"])
        .ok("ESL\n");
    // get_vcard on a field with element children: its own text only (none here).
    t.run(&["get_vcard", "alice", "localhost", "ORG"]).ok("");
}

#[test]
fn gets_concatenate_every_selected_element() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.exec(
        "INSERT INTO vcard (username, server, vcard) VALUES ('alice', 'localhost', \
         '<vCard xmlns=''vcard-temp''><FN>a<X>ignored</X>b</FN><FN>c</FN><ORG><ORGUNIT>x</ORGUNIT></ORG>\
         <TITLE/><ORG><ORGUNIT>y</ORGUNIT><ORGUNIT></ORGUNIT><ORGUNIT>z</ORGUNIT></ORG></vCard>')",
    );
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("abc\n");
    t.run(&["get_vcard2", "alice", "localhost", "ORG", "ORGUNIT"])
        .ok("xyz\n");
    t.run(&["get_vcard2_multi", "alice", "localhost", "ORG", "ORGUNIT"])
        .ok("x\ny\n\nz\n");
    // An empty element is found, its (empty) text prints nothing at all.
    t.run(&["get_vcard", "alice", "localhost", "TITLE"]).ok("");
    // Only direct children of the root are fields.
    t.run(&["get_vcard", "alice", "localhost", "ORGUNIT"])
        .fails("Error: \"Value not found in vcard\"\n");
}

#[test]
fn get_errors_are_distinct() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["set_vcard", "alice", "localhost", "FN", "Al"])
        .ok("");
    for args in [
        vec!["get_vcard", "Carol", "LocalHost", "FN"],
        vec!["get_vcard2", "Carol", "LocalHost", "N", "GIVEN"],
        vec!["get_vcard2_multi", "Carol", "LocalHost", "N", "GIVEN"],
    ] {
        t.run(&args)
            .fails("Error: \"User Carol@LocalHost does not exist\"\n");
    }
    t.run(&["get_vcard", "alice", "nope.org", "FN"])
        .fails("Error: \"User alice@nope.org does not exist\"\n");
    for args in [
        vec!["get_vcard", "bob", "localhost", "FN"],
        vec!["get_vcard2", "bob", "localhost", "N", "GIVEN"],
        vec!["get_vcard2_multi", "bob", "localhost", "N", "GIVEN"],
    ] {
        t.run(&args).fails("Error: \"Vcard not found\"\n");
    }
    for args in [
        vec!["get_vcard", "alice", "localhost", "NICKNAME"],
        vec!["get_vcard2", "alice", "localhost", "N", "GIVEN"],
        vec!["get_vcard2", "alice", "localhost", "FN", "X"],
        vec!["get_vcard2_multi", "alice", "localhost", "N", "GIVEN"],
    ] {
        t.run(&args).fails("Error: \"Value not found in vcard\"\n");
    }
}

#[test]
fn set_for_a_missing_user_echoes_the_raw_arguments() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard", "Bob", "LocalHost", "FN", "x"])
        .fails("User Bob@LocalHost does not exist\n");
    t.run(&["set_vcard2", "Bob", "LocalHost", "N", "GIVEN", "x"])
        .fails("User Bob@LocalHost does not exist\n");
    t.run(&[
        "set_vcard2_multi",
        "Bob",
        "LocalHost",
        "ORG",
        "ORGUNIT",
        "a;b",
    ])
    .fails("User Bob@LocalHost does not exist\n");
    t.run(&["set_vcard", "alice", "Nope.org", "FN", "x"])
        .fails("User alice@Nope.org does not exist\n");
    t.run(&["set_vcard", "a@b", "localhost", "FN", "x"])
        .fails("User a@b@localhost does not exist\n");
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard"), vec!["0"]);
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard_search"), vec!["0"]);
}

#[test]
fn empty_content_gives_an_empty_text_element() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard", "alice", "localhost", "FN", ""]).ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN></FN></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "FN"]).ok("");
    // The stored `<FN></FN>` parses back as an element without children, which the next
    // rewrite serialises as `<FN/>` (as exml does).
    t.run(&["set_vcard2", "alice", "localhost", "N", "GIVEN", ""])
        .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN/><N><GIVEN></GIVEN></N></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "FN"]).ok("");
    t.run(&["get_vcard2", "alice", "localhost", "N", "GIVEN"])
        .ok("");
}

#[test]
fn content_is_escaped_in_storage_and_returned_verbatim() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "set_vcard",
        "alice",
        "localhost",
        "FN",
        "A & B <c> 'd' \"e\"",
    ])
    .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN>A &amp; B &lt;c&gt; &apos;d&apos; &quot;e&quot;</FN></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("A & B <c> 'd' \"e\"\n");
}

#[test]
fn multi_with_only_separators_removes_the_subfield() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "set_vcard2_multi",
        "alice",
        "localhost",
        "ORG",
        "ORGUNIT",
        "a;;b;",
    ])
    .ok("");
    t.run(&["set_vcard2", "alice", "localhost", "ORG", "ORGNAME", "n"])
        .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><ORG><ORGNAME>n</ORGNAME><ORGUNIT>a</ORGUNIT><ORGUNIT>b</ORGUNIT></ORG></vCard>"]
    );
    t.run(&[
        "set_vcard2_multi",
        "alice",
        "localhost",
        "ORG",
        "ORGUNIT",
        ";;",
    ])
    .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><ORG><ORGNAME>n</ORGNAME></ORG></vCard>"]
    );
    t.run(&["get_vcard2_multi", "alice", "localhost", "ORG", "ORGUNIT"])
        .fails("Error: \"Value not found in vcard\"\n");
    let row = search_row(&t, "alice");
    assert!(
        row.contains(&("orgunit".to_string(), String::new())),
        "{row:?}"
    );
    assert!(
        row.contains(&("orgname".to_string(), "n".to_string())),
        "{row:?}"
    );
}

#[test]
fn field_names_are_case_sensitive() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard", "alice", "localhost", "fn", "lower"])
        .ok("");
    t.run(&["set_vcard", "alice", "localhost", "FN", "Upper"])
        .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN>Upper</FN><fn>lower</fn></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "fn"])
        .ok("lower\n");
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("Upper\n");
    t.run(&["get_vcard", "alice", "localhost", "Fn"])
        .fails("Error: \"Value not found in vcard\"\n");
    let row = search_row(&t, "alice");
    assert!(
        row.contains(&("fn".to_string(), "Upper".to_string())),
        "{row:?}"
    );
}

#[test]
fn set_replaces_only_the_first_field_and_keeps_the_others_sorted() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.exec(
        "INSERT INTO vcard (username, server, vcard) VALUES ('alice', 'localhost', \
         '<vCard xmlns=''vcard-temp''><TITLE>t</TITLE><FN>one</FN><BDAY>b</BDAY><FN>two</FN></vCard>')",
    );
    t.run(&["set_vcard", "alice", "localhost", "FN", "new"])
        .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><BDAY>b</BDAY><FN>new</FN><FN>two</FN><TITLE>t</TITLE></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("newtwo\n");
}

#[test]
fn search_index_follows_the_sets() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let sets: &[&[&str]] = &[
        &["set_vcard", "FN", "Alice Smith"],
        &["set_vcard2", "N", "FAMILY", "Smith"],
        &["set_vcard2", "N", "GIVEN", "Alice"],
        &["set_vcard", "NICKNAME", "Ali 😎 K"],
        &["set_vcard", "EMAIL", "Alice@Example.COM"],
        &["set_vcard2_multi", "ORG", "ORGUNIT", "Sales;Dev"],
        &["set_vcard2", "ORG", "ORGNAME", "ESL"],
        &["set_vcard2", "ADR", "CTRY", "PL"],
        &["set_vcard2", "ADR", "LOCALITY", "Kraków"],
        &["set_vcard", "BDAY", "1990-01-01"],
    ];
    for s in sets {
        let mut args = vec![s[0], "alice", "localhost"];
        args.extend_from_slice(&s[1..]);
        t.run(&args).ok("");
    }
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><ADR><CTRY>PL</CTRY><LOCALITY>Kraków</LOCALITY></ADR>\
              <BDAY>1990-01-01</BDAY><EMAIL>Alice@Example.COM</EMAIL><FN>Alice Smith</FN>\
              <N><FAMILY>Smith</FAMILY><GIVEN>Alice</GIVEN></N><NICKNAME>Ali 😎 K</NICKNAME>\
              <ORG><ORGNAME>ESL</ORGNAME><ORGUNIT>Sales</ORGUNIT><ORGUNIT>Dev</ORGUNIT></ORG></vCard>"]
    );
    assert_eq!(
        search_row(&t, "alice"),
        expect_row(&[
            ("username", "alice"),
            ("lusername", "alice"),
            ("server", "localhost"),
            ("fn", "Alice Smith"),
            ("lfn", "alice smith"),
            ("family", "Smith"),
            ("lfamily", "smith"),
            ("given", "Alice"),
            ("lgiven", "alice"),
            ("middle", ""),
            ("lmiddle", ""),
            ("nickname", "Ali 😎 K"),
            ("lnickname", "ali  k"),
            ("bday", "1990-01-01"),
            ("lbday", "1990-01-01"),
            ("ctry", "PL"),
            ("lctry", "pl"),
            ("locality", "Kraków"),
            ("llocality", "kraków"),
            ("email", "Alice@Example.COM"),
            ("lemail", "alice@example.com"),
            ("orgname", "ESL"),
            ("lorgname", "esl"),
            ("orgunit", "Sales"),
            ("lorgunit", "sales"),
        ])
    );
    // EMAIL/USERID wins over the EMAIL text (which set_vcard2 drops anyway).
    t.run(&[
        "set_vcard2",
        "alice",
        "localhost",
        "EMAIL",
        "USERID",
        "U@X.org",
    ])
    .ok("");
    let row = search_row(&t, "alice");
    assert!(
        row.contains(&("email".to_string(), "U@X.org".to_string())),
        "{row:?}"
    );
    assert!(
        row.contains(&("lemail".to_string(), "u@x.org".to_string())),
        "{row:?}"
    );
    t.run(&["get_vcard", "alice", "localhost", "EMAIL"]).ok("");
    t.run(&["get_vcard2", "alice", "localhost", "EMAIL", "USERID"])
        .ok("U@X.org\n");
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard_search"), vec!["1"]);
}

#[test]
fn a_value_failing_stringprep_is_silently_not_stored() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard", "alice", "localhost", "FN", "ok"])
        .ok("");
    t.run(&["set_vcard", "alice", "localhost", "FN", "bad\u{e000}"])
        .ok("");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN>ok</FN></vCard>"]
    );
    // Fields outside the search index are not checked.
    t.run(&["set_vcard", "alice", "localhost", "TITLE", "x\u{e000}"])
        .ok("");
    t.run(&["get_vcard", "alice", "localhost", "TITLE"])
        .ok("x\u{e000}\n");
}

#[test]
fn unregister_removes_vcard_and_search_row() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["set_vcard", "alice", "localhost", "FN", "A"])
        .ok("");
    t.run(&["set_vcard", "bob", "localhost", "FN", "B"]).ok("");
    t.run(&["unregister", "alice", "localhost"]).ok("");
    assert_eq!(t.col("SELECT username FROM vcard"), vec!["bob"]);
    assert_eq!(t.col("SELECT lusername FROM vcard_search"), vec!["bob"]);
}

#[test]
fn group_help_lists_the_six_commands() {
    let t = TestEnv::new();
    let r = t.run(&["vcard", "--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    for c in [
        "get_vcard",
        "get_vcard2",
        "get_vcard2_multi",
        "set_vcard",
        "set_vcard2",
        "set_vcard2_multi",
    ] {
        assert!(r.stdout.contains(c), "{c}: {}", r.stdout);
    }
}

#[test]
fn disabled_group_refuses_vcard_commands() {
    let t = TestEnv::with_config(&config_with_submods("\"accounts\""));
    t.register("alice", "localhost", "pw");
    let r = t.run(&["set_vcard", "alice", "localhost", "FN", "x"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout, "");
    r.stderr_has("vcard");
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard"), vec!["0"]);
}

#[test]
fn json_output_of_get_vcard2_multi() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "set_vcard2_multi",
        "alice",
        "localhost",
        "ORG",
        "ORGUNIT",
        "a;b",
    ])
    .ok("");
    assert_eq!(
        t.json(&["get_vcard2_multi", "Alice", "localhost", "ORG", "ORGUNIT"]),
        json!({"command": "get_vcard2_multi", "ok": true, "result": {
            "jid": "alice@localhost", "name": "ORG", "subname": "ORGUNIT",
            "values": ["a", "b"]}})
    );
    assert_eq!(
        t.json(&["get_vcard", "alice", "localhost", "FN"]),
        json!({"command": "get_vcard", "ok": false, "error": {
            "kind": "value_not_found", "message": "Error: \"Value not found in vcard\"",
            "jid": "alice@localhost", "name": "FN"}})
    );
}

#[test]
fn json_of_the_gets() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.exec(
        "INSERT INTO vcard (username, server, vcard) VALUES ('alice', 'localhost', \
         '<vCard xmlns=''vcard-temp''><FN>A \"q\"</FN><FN>b</FN><ORG><ORGUNIT>x</ORGUNIT>\
         <ORGUNIT>y</ORGUNIT></ORG></vCard>')",
    );
    assert_eq!(
        t.json(&["get_vcard", "ALICE", "localhost", "FN"]),
        json!({"command": "get_vcard", "ok": true, "result": {
            "jid": "alice@localhost", "name": "FN", "value": "A \"q\"b"}})
    );
    assert_eq!(
        t.json(&["get_vcard2", "alice", "localhost", "ORG", "ORGUNIT"]),
        json!({"command": "get_vcard2", "ok": true, "result": {
            "jid": "alice@localhost", "name": "ORG", "subname": "ORGUNIT", "value": "xy"}})
    );
    assert_eq!(
        t.json(&["get_vcard2_multi", "alice", "localhost", "ORG", "ORGUNIT"]),
        json!({"command": "get_vcard2_multi", "ok": true, "result": {
            "jid": "alice@localhost", "name": "ORG", "subname": "ORGUNIT",
            "values": ["x", "y"]}})
    );
    for (cmd, sub) in [
        ("get_vcard", None),
        ("get_vcard2", Some("GIVEN")),
        ("get_vcard2_multi", Some("GIVEN")),
    ] {
        let args = |user: &'static str, host: &'static str| {
            let mut v = vec![cmd, user, host, "N"];
            v.extend(sub);
            v
        };
        assert_eq!(
            t.json(&args("Carol", "LocalHost")),
            json!({"command": cmd, "ok": false, "error": {
                "kind": "user_not_found",
                "message": "Error: \"User Carol@LocalHost does not exist\"",
                "user": "Carol", "host": "LocalHost"}})
        );
        assert_eq!(
            t.json(&args("Bob", "localhost")),
            json!({"command": cmd, "ok": false, "error": {
                "kind": "vcard_not_found", "message": "Error: \"Vcard not found\"",
                "jid": "bob@localhost"}})
        );
        let mut field = json!({
            "kind": "value_not_found", "message": "Error: \"Value not found in vcard\"",
            "jid": "alice@localhost", "name": "N"});
        if let Some(sub) = sub {
            field["subname"] = json!(sub);
        }
        assert_eq!(
            t.json(&args("alice", "localhost")),
            json!({"command": cmd, "ok": false, "error": field})
        );
    }
}

#[test]
fn json_of_the_sets() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    assert_eq!(
        t.json(&["set_vcard", "Alice", "localhost", "FN", "Al"]),
        json!({"command": "set_vcard", "ok": true, "result": {
            "jid": "alice@localhost", "name": "FN", "value": "Al", "stored": true}})
    );
    assert_eq!(
        t.json(&["set_vcard2", "alice", "localhost", "ORG", "ORGNAME", "ESL"]),
        json!({"command": "set_vcard2", "ok": true, "result": {
            "jid": "alice@localhost", "name": "ORG", "subname": "ORGNAME", "value": "ESL",
            "stored": true}})
    );
    assert_eq!(
        t.json(&[
            "set_vcard2_multi",
            "alice",
            "localhost",
            "ORG",
            "ORGUNIT",
            "a;;b"
        ]),
        json!({"command": "set_vcard2_multi", "ok": true, "result": {
            "jid": "alice@localhost", "name": "ORG", "subname": "ORGUNIT",
            "values": ["a", "b"], "stored": true}})
    );
    // Refused by stringprep: a success that stores nothing.
    assert_eq!(
        t.json(&["set_vcard", "alice", "localhost", "FN", "bad\u{e000}"]),
        json!({"command": "set_vcard", "ok": true, "result": {
            "jid": "alice@localhost", "name": "FN", "value": "bad\u{e000}", "stored": false}})
    );
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN>Al</FN><ORG><ORGNAME>ESL</ORGNAME><ORGUNIT>a</ORGUNIT><ORGUNIT>b</ORGUNIT></ORG></vCard>"]
    );
    for args in [
        vec!["set_vcard", "Bob", "LocalHost", "FN", "x"],
        vec!["set_vcard2", "Bob", "LocalHost", "N", "GIVEN", "x"],
        vec![
            "set_vcard2_multi",
            "Bob",
            "LocalHost",
            "ORG",
            "ORGUNIT",
            "a;b",
        ],
    ] {
        assert_eq!(
            t.json(&args),
            json!({"command": args[0], "ok": false, "error": {
                "kind": "user_not_found", "message": "User Bob@LocalHost does not exist",
                "user": "Bob", "host": "LocalHost"}})
        );
    }
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard"), vec!["1"]);
    assert_eq!(t.col("SELECT lusername FROM vcard_search"), vec!["alice"]);
}
