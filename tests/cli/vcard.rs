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
            "jid": "alice@localhost", "name": "FN", "value": "Al", "stored": true,
            "repaired": false}})
    );
    assert_eq!(
        t.json(&["set_vcard2", "alice", "localhost", "ORG", "ORGNAME", "ESL"]),
        json!({"command": "set_vcard2", "ok": true, "result": {
            "jid": "alice@localhost", "name": "ORG", "subname": "ORGNAME", "value": "ESL",
            "stored": true, "repaired": false}})
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
            "values": ["a", "b"], "stored": true, "repaired": false}})
    );
    // Refused by stringprep: a success that stores nothing.
    assert_eq!(
        t.json(&["set_vcard", "alice", "localhost", "FN", "bad\u{e000}"]),
        json!({"command": "set_vcard", "ok": true, "result": {
            "jid": "alice@localhost", "name": "FN", "value": "bad\u{e000}", "stored": false,
            "repaired": false}})
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

// ---------------------------------------------------------------------------
// Issue 7: concurrent writers (processes), the unregister race, unstorable values, repair.

/// The binary as a plain, spawnable `std::process::Command`, built from [`TestEnv::cmd`]
/// (same program, arguments, environment and directory), with its output discarded.
pub(crate) fn child(t: &TestEnv, args: &[&str]) -> std::process::Command {
    let template = t.cmd();
    let mut c = std::process::Command::new(template.get_program());
    c.args(template.get_args());
    for (k, v) in template.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    if let Some(dir) = template.get_current_dir() {
        c.current_dir(dir);
    }
    c.args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    c
}

/// Race `unregister` of `user`@localhost against concurrent set processes, `rounds` times,
/// re-registering the user after each round. Each round starts two setters, then (after an
/// offset swept over 0–3.75 ms, so that some rounds hit the moment between a setter's reads
/// and its write) the `unregister`, then a third setter. `set(n)` gives the arguments of the
/// n-th setter. After each round the user does not exist, so `leftovers` (a query counting
/// the user's rows in the tables the setters write) must be 0; after re-registering too (no
/// old data comes back). A setter may win or lose: exit 0 (written, then removed by
/// `unregister`) or 1 (no such user); returns how many won.
pub(crate) fn race_unregister(
    t: &TestEnv,
    user: &str,
    rounds: usize,
    set: &dyn Fn(usize) -> Vec<String>,
    leftovers: &str,
) -> usize {
    const SETTERS: usize = 3;
    let start = |n: usize| {
        let args = set(n);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        child(t, &args).spawn().expect("spawn set")
    };
    t.register(user, "localhost", "pw");
    let mut won = 0;
    for round in 0..rounds {
        let mut setters = vec![start(round * SETTERS), start(round * SETTERS + 1)];
        std::thread::sleep(std::time::Duration::from_micros(250 * (round % 16) as u64));
        let mut remover = child(t, &["unregister", user, "localhost"])
            .spawn()
            .expect("spawn unregister");
        setters.push(start(round * SETTERS + 2));
        let removed = remover.wait().expect("wait unregister");
        assert_eq!(removed.code(), Some(0), "unregister, round {round}");
        for (k, mut setter) in setters.into_iter().enumerate() {
            match setter.wait().expect("wait set").code() {
                Some(0) => won += 1,
                Some(1) => {}
                other => panic!("{:?} exited with {other:?}", set(round * SETTERS + k)),
            }
        }
        assert_eq!(t.users(), Vec::<String>::new(), "round {round}");
        assert_eq!(
            t.col(leftovers),
            vec!["0"],
            "orphan rows after round {round}"
        );
        t.register(user, "localhost", "pw");
        assert_eq!(
            t.col(leftovers),
            vec!["0"],
            "old data back after round {round}"
        );
    }
    won
}

#[test]
fn concurrent_vcard_writers_lose_no_update() {
    const WRITERS: usize = 8;
    const EACH: usize = 9;
    let t = TestEnv::new();
    t.register("shared", "localhost", "pw");
    // Writer p, call i: set_vcard F<p><i>, set_vcard2 ORG S<p><i>, or set_vcard2_multi ORG
    // M<p><i> "a;b", in turn: every call rewrites the same vCard.
    let call = |p: usize, i: usize| -> Vec<String> {
        let base = ["shared", "localhost"].map(String::from);
        let tail: Vec<String> = match i % 3 {
            0 => vec!["set_vcard".into(), format!("F{p}{i}"), "v".into()],
            1 => vec![
                "set_vcard2".into(),
                "ORG".into(),
                format!("S{p}{i}"),
                "v".into(),
            ],
            _ => vec![
                "set_vcard2_multi".into(),
                "ORG".into(),
                format!("M{p}{i}"),
                "a;b".into(),
            ],
        };
        let mut args = vec![tail[0].clone()];
        args.extend(base);
        args.extend(tail[1..].iter().cloned());
        args
    };
    std::thread::scope(|s| {
        for p in 0..WRITERS {
            let t = &t;
            s.spawn(move || {
                for i in 0..EACH {
                    let args = call(p, i);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = child(t, &args).output().expect("run writer");
                    assert!(
                        out.status.success(),
                        "{args:?}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    // The exact final vCard: fields and subfields sorted by name (byte order).
    let mut fields = Vec::new();
    let mut kids = Vec::new();
    for p in 0..WRITERS {
        for i in 0..EACH {
            match i % 3 {
                0 => fields.push(format!("<F{p}{i}>v</F{p}{i}>")),
                1 => kids.push(format!("<S{p}{i}>v</S{p}{i}>")),
                _ => kids.push(format!("<M{p}{i}>a</M{p}{i}><M{p}{i}>b</M{p}{i}>")),
            }
        }
    }
    fields.sort();
    kids.sort();
    let expected = format!(
        "<vCard xmlns='vcard-temp'>{}<ORG>{}</ORG></vCard>",
        fields.concat(),
        kids.concat()
    );
    assert_eq!(stored(&t, "shared"), vec![expected]);
    t.run(&["get_vcard2_multi", "shared", "localhost", "ORG", "M72"])
        .ok("a\nb\n");
}

#[test]
fn set_vcard_racing_unregister_leaves_no_orphan() {
    let t = TestEnv::new();
    let leftovers = "SELECT (SELECT COUNT(*) FROM vcard WHERE username = 'racer') + \
                     (SELECT COUNT(*) FROM vcard_search WHERE lusername = 'racer')";
    race_unregister(
        &t,
        "racer",
        20,
        &|n| {
            let mut args: Vec<String> = match n % 3 {
                0 => vec![
                    "set_vcard".into(),
                    "racer".into(),
                    "localhost".into(),
                    "FN".into(),
                ],
                1 => vec![
                    "set_vcard2".into(),
                    "racer".into(),
                    "localhost".into(),
                    "N".into(),
                    "GIVEN".into(),
                ],
                _ => vec![
                    "set_vcard2_multi".into(),
                    "racer".into(),
                    "localhost".into(),
                    "ORG".into(),
                    "ORGUNIT".into(),
                ],
            };
            args.push(format!("v{n}"));
            args
        },
        leftovers,
    );
    t.run(&["get_vcard", "racer", "localhost", "FN"])
        .fails("Error: \"Vcard not found\"\n");
}

#[test]
fn field_names_that_are_not_xml_names_are_refused_and_change_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard", "alice", "localhost", "FN", "Al"])
        .ok("");
    let before = stored(&t, "alice");
    let search_before = search_row(&t, "alice");
    for (name, why) in [
        ("", "an XML name cannot be empty"),
        (" ", "U+0020 at position 1 is not allowed in an XML name"),
        ("/", "U+002F at position 1 is not allowed in an XML name"),
        ("A B", "U+0020 at position 2 is not allowed in an XML name"),
        ("1X", "U+0031 at position 1 cannot start an XML name"),
        ("p:1X", "U+0031 at position 3 cannot start an XML name"),
        (
            ":X",
            "the colon at position 1 does not separate a prefix from a local name",
        ),
        (
            "X:",
            "the colon at position 2 does not separate a prefix from a local name",
        ),
        (
            "a:b:c",
            "the colon at position 4 does not separate a prefix from a local name",
        ),
        ("<FN>", "U+003C at position 1 is not allowed in an XML name"),
    ] {
        let msg = format!("Invalid vCard field name {name:?}: {why}\n");
        t.run(&["set_vcard", "alice", "localhost", name, "x"])
            .fails(&msg);
        t.run(&["set_vcard2", "alice", "localhost", name, "GIVEN", "x"])
            .fails(&msg);
        t.run(&["set_vcard2", "alice", "localhost", "N", name, "x"])
            .fails(&msg);
        t.run(&["set_vcard2_multi", "alice", "localhost", "ORG", name, "a;b"])
            .fails(&msg);
    }
    // A control character in a name is shown escaped, never raw.
    t.run(&["set_vcard", "alice", "localhost", "A\u{1b}]0;x\u{7}", "x"])
        .fails("Invalid vCard field name \"A\\u{1b}]0;x\\u{7}\": U+001B at position 2 is not allowed in an XML name\n");
    // Checked before the account: nothing is looked up for a refused argument.
    t.run(&["set_vcard", "nobody", "localhost", "A B", "x"])
        .fails(
        "Invalid vCard field name \"A B\": U+0020 at position 2 is not allowed in an XML name\n",
    );
    assert_eq!(stored(&t, "alice"), before);
    assert_eq!(search_row(&t, "alice"), search_before);
    // Qualified and non-ASCII names are XML names.
    t.run(&["set_vcard", "alice", "localhost", "x:Ünïcode-1.2", "v"])
        .ok("");
    t.run(&["get_vcard", "alice", "localhost", "x:Ünïcode-1.2"])
        .ok("v\n");
}

#[test]
fn values_with_characters_outside_xml_are_refused_and_change_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["set_vcard2", "alice", "localhost", "ORG", "ORGNAME", "ESL"])
        .ok("");
    let before = stored(&t, "alice");
    for (value, at, code) in [
        ("x\u{1b}y", 2, "U+001B"),
        ("\u{1}", 1, "U+0001"),
        ("ok\u{8}", 3, "U+0008"),
        ("é\u{b}", 2, "U+000B"),
        ("\u{c}", 1, "U+000C"),
        ("\u{1f}", 1, "U+001F"),
        ("a\u{fffe}", 2, "U+FFFE"),
        ("\u{ffff}", 1, "U+FFFF"),
    ] {
        t.run(&["set_vcard", "alice", "localhost", "FN", value])
            .fails(&format!(
                "Invalid vCard value for FN: {code} at position {at} is not an XML 1.0 character\n"
            ));
        t.run(&["set_vcard2", "alice", "localhost", "N", "GIVEN", value])
            .fails(&format!(
                "Invalid vCard value for N/GIVEN: {code} at position {at} is not an XML 1.0 character\n"
            ));
        let multi = format!("a;;{value}");
        t.run(&["set_vcard2_multi", "alice", "localhost", "ORG", "ORGUNIT", &multi])
            .fails(&format!(
                "Invalid vCard value for ORG/ORGUNIT (value 2): {code} at position {at} is not an XML 1.0 character\n"
            ));
    }
    assert_eq!(stored(&t, "alice"), before);
    assert_eq!(t.col("SELECT fn FROM vcard_search"), vec![""]);
    // Tab, newline, carriage return and DEL are XML 1.0 characters: stored and read back.
    t.run(&["set_vcard", "alice", "localhost", "FN", "a\tb\nc\rd\u{7f}"])
        .ok("");
    // Stored as given; CR and DEL come out escaped (the output layer escapes control
    // characters other than TAB and LF).
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("a\tb\nc\\u{d}d\\u{7f}\n");
}

#[test]
fn refused_vcard_arguments_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    assert_eq!(
        t.json(&["set_vcard", "alice", "localhost", "A B", "x"]),
        json!({"command": "set_vcard", "ok": false, "error": {
            "kind": "invalid_vcard_field",
            "message": "Invalid vCard field name \"A B\": U+0020 at position 2 is not allowed in an XML name",
            "field": "A B", "problem": "bad_char", "position": 2, "character": "U+0020"}})
    );
    assert_eq!(
        t.json(&["set_vcard2", "alice", "localhost", "N", "", "x"]),
        json!({"command": "set_vcard2", "ok": false, "error": {
            "kind": "invalid_vcard_field",
            "message": "Invalid vCard field name \"\": an XML name cannot be empty",
            "field": "", "problem": "empty"}})
    );
    assert_eq!(
        t.json(&["set_vcard", "alice", "localhost", "a:", "x"]),
        json!({"command": "set_vcard", "ok": false, "error": {
            "kind": "invalid_vcard_field",
            "message": "Invalid vCard field name \"a:\": the colon at position 2 does not separate a prefix from a local name",
            "field": "a:", "problem": "colon", "position": 2}})
    );
    assert_eq!(
        t.json(&["set_vcard", "alice", "localhost", "FN", "x\u{1b}y"]),
        json!({"command": "set_vcard", "ok": false, "error": {
            "kind": "invalid_xml_value",
            "message": "Invalid vCard value for FN: U+001B at position 2 is not an XML 1.0 character",
            "name": "FN", "position": 2, "character": "U+001B"}})
    );
    assert_eq!(
        t.json(&[
            "set_vcard2_multi",
            "alice",
            "localhost",
            "ORG",
            "ORGUNIT",
            "a;\u{ffff}"
        ]),
        json!({"command": "set_vcard2_multi", "ok": false, "error": {
            "kind": "invalid_xml_value",
            "message": "Invalid vCard value for ORG/ORGUNIT (value 2): U+FFFF at position 1 is not an XML 1.0 character",
            "name": "ORG", "subname": "ORGUNIT", "index": 2, "position": 1,
            "character": "U+FFFF"}})
    );
    assert_eq!(t.col("SELECT COUNT(*) FROM vcard"), vec!["0"]);
}

/// Store a vCard text as an older version (or another writer) may have left it.
fn plant_vcard(t: &TestEnv, user: &str, xml: &str) {
    t.exec(&format!(
        "INSERT INTO vcard (username, server, vcard) VALUES ('{user}', 'localhost', '{}')",
        xml.replace('\'', "''")
    ));
}

#[test]
fn a_corrupted_stored_vcard_is_replaced_by_the_next_set() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    // What an older version stored for `set_vcard alice localhost FN $'x\ey'`.
    plant_vcard(
        &t,
        "alice",
        "<vCard xmlns='vcard-temp'><FN>x\u{1b}y</FN></vCard>",
    );
    let crash = "Problem 'error {corrupted_vcard,<<\"alice@localhost\">>,\"unexpected control character\"}' \
                 occurred executing the command.\n";
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .fails(crash);
    t.run(&["get_vcard2", "alice", "localhost", "N", "GIVEN"])
        .fails(crash);
    // The set replaces it with a vCard holding only the new field, printing what a set
    // always prints; the log says what happened.
    let r = t.run(&["set_vcard", "alice", "localhost", "NICKNAME", "Al"]);
    r.ok("");
    r.stderr_has(
        "the stored vCard was unreadable; replaced by a new vCard holding only the field set",
    );
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><NICKNAME>Al</NICKNAME></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "NICKNAME"])
        .ok("Al\n");
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .fails("Error: \"Value not found in vcard\"\n");
    assert_eq!(
        t.col("SELECT nickname || '/' || lnickname FROM vcard_search WHERE lusername = 'alice'"),
        vec!["Al/al"]
    );
    // From then on it is an ordinary vCard: the next set keeps what is there.
    let r = t.run(&["set_vcard2", "alice", "localhost", "N", "GIVEN", "A"]);
    r.ok("");
    assert_eq!(r.stderr, "");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><N><GIVEN>A</GIVEN></N><NICKNAME>Al</NICKNAME></vCard>"]
    );

    // The other commands repair too; JSON says so. A name that is not XML (`A B`) made the
    // stored text unparseable.
    plant_vcard(&t, "bob", "<vCard xmlns='vcard-temp'><A B>x</A B></vCard>");
    t.run(&["get_vcard", "bob", "localhost", "A"])
        .fails("Problem 'error {corrupted_vcard,<<\"bob@localhost\">>,\"expected =\"}' occurred executing the command.\n");
    assert_eq!(
        t.json(&[
            "set_vcard2_multi",
            "bob",
            "localhost",
            "ORG",
            "ORGUNIT",
            "a;b"
        ]),
        json!({"command": "set_vcard2_multi", "ok": true, "result": {
            "jid": "bob@localhost", "name": "ORG", "subname": "ORGUNIT", "values": ["a", "b"],
            "stored": true, "repaired": true}})
    );
    assert_eq!(
        stored(&t, "bob"),
        vec![
            "<vCard xmlns='vcard-temp'><ORG><ORGUNIT>a</ORGUNIT><ORGUNIT>b</ORGUNIT></ORG></vCard>"
        ]
    );
    t.run(&["get_vcard2_multi", "bob", "localhost", "ORG", "ORGUNIT"])
        .ok("a\nb\n");
}

#[test]
fn a_stored_vcard_that_would_not_serialise_back_is_fixed_or_replaced() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    // Readable (a character reference), but its decoded ESC cannot be written back as is.
    plant_vcard(
        &t,
        "alice",
        "<vCard xmlns='vcard-temp'><FN>x&#27;</FN><TITLE>t</TITLE></vCard>",
    );
    t.run(&["get_vcard", "alice", "localhost", "TITLE"])
        .ok("t\n");
    // Overwriting the bad field keeps the rest.
    let r = t.run(&["set_vcard", "alice", "localhost", "FN", "clean"]);
    r.ok("");
    assert_eq!(r.stderr, "");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><FN>clean</FN><TITLE>t</TITLE></vCard>"]
    );
    // Another field would carry the ESC into the stored text: the vCard is replaced.
    plant_vcard_again(
        &t,
        "<vCard xmlns='vcard-temp'><FN>x&#27;</FN><TITLE>t</TITLE></vCard>",
    );
    let r = t.run(&["set_vcard", "alice", "localhost", "BDAY", "2000"]);
    r.ok("");
    r.stderr_has("replaced by a new vCard");
    assert_eq!(
        stored(&t, "alice"),
        vec!["<vCard xmlns='vcard-temp'><BDAY>2000</BDAY></vCard>"]
    );
    t.run(&["get_vcard", "alice", "localhost", "BDAY"])
        .ok("2000\n");
}

fn plant_vcard_again(t: &TestEnv, xml: &str) {
    t.exec(&format!(
        "UPDATE vcard SET vcard = '{}' WHERE username = 'alice'",
        xml.replace('\'', "''")
    ));
}

#[test]
fn a_refused_search_field_does_not_repair() {
    // The repaired vCard is still subject to stringprep: refused, nothing is stored and the
    // corrupted text stays (the gets keep reporting it).
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    plant_vcard(&t, "alice", "<vCard><FN>\u{1}</FN></vCard>");
    assert_eq!(
        t.json(&["set_vcard", "alice", "localhost", "FN", "bad\u{e000}"]),
        json!({"command": "set_vcard", "ok": true, "result": {
            "jid": "alice@localhost", "name": "FN", "value": "bad\u{e000}", "stored": false,
            "repaired": false}})
    );
    assert_eq!(stored(&t, "alice"), vec!["<vCard><FN>\u{1}</FN></vCard>"]);
}
