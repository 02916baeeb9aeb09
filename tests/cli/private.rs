//! Group `private`: XEP-0049 private XML storage (`private_get`, `private_set`).

use serde_json::json;

use crate::support::*;

fn config_with_submods(submods: &str) -> String {
    DEFAULT_CONFIG.replace(
        "[services.service_admin_extra]\n",
        &format!("[services.service_admin_extra]\n  submods = [{submods}]\n"),
    )
}

fn rows(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT server, username, namespace, data FROM private_storage ORDER BY server, username, namespace")
}

fn assert_crash(r: &Run) {
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.starts_with("Problem '")
            && r.stdout.ends_with("' occurred executing the command.\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn set_then_get_whatever_element_name_is_asked() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "private_set",
        "Alice",
        "LocalHost",
        "<aa xmlns='bb'>Cluth</aa>",
    ])
    .ok("");
    assert_eq!(
        rows(&t),
        vec![vec![
            "localhost",
            "alice",
            "bb",
            "<aa xmlns='bb'>Cluth</aa>"
        ]]
    );
    t.run(&["private_get", "alice", "localhost", "aa", "bb"])
        .ok("<aa xmlns='bb'>Cluth</aa>\n");
    t.run(&["private_get", "ALICE", "localhost", "zz", "bb"])
        .ok("<aa xmlns='bb'>Cluth</aa>\n");
}

#[test]
fn stored_element_is_reserialised() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "private_set",
        "alice",
        "localhost",
        "<q xmlns=\"ns:x\" a=\"it's\"><![CDATA[<hi>]]>&amp;!<b/>\n\t<c>x</c></q>",
    ])
    .ok("");
    // CDATA and entities become text (merged), whitespace-only text before a tag is dropped.
    let stored = "<q xmlns='ns:x' a=\"it's\">&lt;hi&gt;&amp;!<b/><c>x</c></q>";
    assert_eq!(rows(&t), vec![vec!["localhost", "alice", "ns:x", stored]]);
    t.run(&["private_get", "alice", "localhost", "q", "ns:x"])
        .ok(&format!("{stored}\n"));
}

#[test]
fn nothing_stored_echoes_the_request() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["private_get", "alice", "localhost", "aa", "bb"])
        .ok("<aa xmlns='bb'/>\n");
    t.run(&[
        "private_get",
        "alice",
        "localhost",
        "storage",
        "storage:bookmarks",
    ])
    .ok("<storage xmlns='storage:bookmarks'/>\n");
    // Attribute escaping: `'` in the value switches to double quotes.
    t.run(&["private_get", "alice", "localhost", "x", "a<b&c>\"d"])
        .ok("<x xmlns='a&lt;b&amp;c&gt;\"d'/>\n");
    t.run(&["private_get", "alice", "localhost", "x", "it's \"q\""])
        .ok("<x xmlns=\"it's &quot;q&quot;\"/>\n");
    // The namespace of another user's storage is not visible.
    t.register("bob", "localhost", "pw");
    t.run(&["private_set", "bob", "localhost", "<aa xmlns='bb'>bob</aa>"])
        .ok("");
    t.run(&["private_get", "alice", "localhost", "aa", "bb"])
        .ok("<aa xmlns='bb'/>\n");
}

#[test]
fn element_without_namespace_stores_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["private_set", "alice", "localhost", "<a><b xmlns='n'/></a>"])
        .ok("");
    t.run(&["private_set", "alice", "localhost", "<a xmlns=''>x</a>"])
        .ok("");
    assert!(rows(&t).is_empty());
}

#[test]
fn one_element_per_namespace() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["private_set", "alice", "localhost", "<a xmlns='n1'>1</a>"])
        .ok("");
    t.run(&["private_set", "alice", "localhost", "<b xmlns='n2'>2</b>"])
        .ok("");
    t.run(&["private_set", "bob", "localhost", "<a xmlns='n1'>bob</a>"])
        .ok("");
    t.run(&["private_set", "alice", "localhost", "<c xmlns='n1'>3</c>"])
        .ok("");
    assert_eq!(
        rows(&t),
        vec![
            vec!["localhost", "alice", "n1", "<c xmlns='n1'>3</c>"],
            vec!["localhost", "alice", "n2", "<b xmlns='n2'>2</b>"],
            vec!["localhost", "bob", "n1", "<a xmlns='n1'>bob</a>"],
        ]
    );
    t.run(&["private_get", "alice", "localhost", "a", "n1"])
        .ok("<c xmlns='n1'>3</c>\n");
}

#[test]
fn malformed_xml_is_reported_and_nothing_is_stored() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["private_set", "alice", "localhost", "<a/x>"])
        .fails("Error found parsing the element:\n  <<\"<a/x>\">>\nError: \"expected >\"\n\n");
    t.run(&["private_set", "alice", "localhost", "<a x=\"1\">"]).fails(
        "Error found parsing the element:\n  <<\"<a x=\\\"1\\\">\">>\nError: \"unexpected end of data\"\n\n",
    );
    t.run(&["private_set", "alice", "localhost", "text"])
        .fails("Error found parsing the element:\n  <<\"text\">>\nError: \"expected <\"\n\n");
    // The argument is rendered as an Erlang binary: bytes 0x80-0x9F force the numeric form.
    t.run(&["private_set", "alice", "localhost", "<é/x>"])
        .fails("Error found parsing the element:\n  <<\"<é/x>\">>\nError: \"expected >\"\n\n");
    t.run(&["private_set", "alice", "localhost", "<ł/x>"])
        .fails(
        "Error found parsing the element:\n  <<60,197,130,47,120,62>>\nError: \"expected >\"\n\n",
    );
    t.run(&["private_set", "alice", "localhost", "<a\tb/x>"])
        .fails("Error found parsing the element:\n  <<\"<a\\tb/x>\">>\nError: \"expected =\"\n\n");
    // Parsing comes first: the same text for a user that does not exist.
    t.run(&["private_set", "nobody", "localhost", "<n xmlns='x'/y>"]).fails(
        "Error found parsing the element:\n  <<\"<n xmlns='x'/y>\">>\nError: \"expected >\"\n\n",
    );
    assert!(rows(&t).is_empty());
}

#[test]
fn missing_users() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["private_get", "Bob", "LocalHost", "a", "b"])
        .fails("Error: \"User Bob@LocalHost does not exist\"\n");
    t.run(&["private_get", "alice", "Nope.org", "a", "b"])
        .fails("Error: \"User alice@Nope.org does not exist\"\n");
    t.run(&["private_get", "a@b", "localhost", "a", "b"])
        .fails("Error: \"User a@b@localhost does not exist\"\n");
    t.run(&["private_set", "Bob", "LocalHost", "<a xmlns='b'/>"])
        .fails("User bob@localhost does not exist\n");
    t.run(&["private_set", "alice", "Nope.ORG", "<a xmlns='b'/>"])
        .fails("User alice@nope.org does not exist\n");
    assert_crash(&t.run(&["private_set", "a@b", "localhost", "<a xmlns='b'/>"]));
    assert!(rows(&t).is_empty());
}

#[test]
fn empty_namespace_crashes_private_get() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    assert_crash(&t.run(&["private_get", "alice", "localhost", "a", ""]));
    // The user check comes first.
    t.run(&["private_get", "bob", "localhost", "a", ""])
        .fails("Error: \"User bob@localhost does not exist\"\n");
}

#[test]
fn private_set_needs_mod_private_for_the_host_type() {
    let config = DEFAULT_CONFIG.replace("[modules.mod_private]\n", "");
    assert_ne!(config, DEFAULT_CONFIG);
    let t = TestEnv::with_config(&config);
    t.register("alice", "localhost", "pw");
    t.run(&["private_set", "alice", "LocalHost", "<a xmlns='b'>x</a>"])
        .fails("Module mod_private is not loaded on domain localhost\n");
    // The user check comes before the module check.
    t.run(&["private_set", "bob", "localhost", "<a xmlns='b'>x</a>"])
        .fails("User bob@localhost does not exist\n");
    assert!(rows(&t).is_empty());
    // private_get just reads the (empty) storage.
    t.run(&["private_get", "alice", "localhost", "a", "b"])
        .ok("<a xmlns='b'/>\n");
}

#[test]
fn xml_argument_split_across_words_is_joined() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "private_set",
        "alice",
        "localhost",
        "<aa",
        "xmlns='bb'>Cluth</aa>",
    ])
    .ok("");
    assert_eq!(
        rows(&t),
        vec![vec![
            "localhost",
            "alice",
            "bb",
            "<aa xmlns='bb'>Cluth</aa>"
        ]]
    );
    t.run(&[
        "private_set",
        "alice",
        "localhost",
        "<q",
        "xmlns='n'><r",
        "a='1'>x</r></q>",
    ])
    .ok("");
    t.run(&["private_get", "alice", "localhost", "q", "n"])
        .ok("<q xmlns='n'><r a='1'>x</r></q>\n");
    // Never balanced: nothing to join with, the command fails.
    let r = t.run(&["private_set", "alice", "localhost", "<z", "xmlns='z'"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(t.col("SELECT COUNT(*) FROM private_storage"), vec!["2"]);
}

#[test]
fn unregister_removes_private_storage() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["private_set", "alice", "localhost", "<a xmlns='n'/>"])
        .ok("");
    t.run(&["private_set", "bob", "localhost", "<a xmlns='n'/>"])
        .ok("");
    t.run(&["unregister", "alice", "localhost"]).ok("");
    assert_eq!(
        rows(&t),
        vec![vec!["localhost", "bob", "n", "<a xmlns='n'/>"]]
    );
}

#[test]
fn group_help_lists_both_commands() {
    let t = TestEnv::new();
    let r = t.run(&["private", "--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("private_get") && r.stdout.contains("private_set"),
        "{}",
        r.stdout
    );
}

#[test]
fn disabled_group_refuses_private_commands() {
    let t = TestEnv::with_config(&config_with_submods("\"accounts\""));
    t.register("alice", "localhost", "pw");
    for args in [
        vec!["private_set", "alice", "localhost", "<a xmlns='n'/>"],
        vec!["private_get", "alice", "localhost", "a", "n"],
    ] {
        let r = t.run(&args);
        assert_eq!(r.code, 1, "{r:?}");
        assert_eq!(r.stdout, "");
        r.stderr_has("private");
    }
    assert!(rows(&t).is_empty());
}

#[test]
fn private_commands_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    assert_eq!(
        t.json(&[
            "private_set",
            "Alice",
            "localhost",
            "<aa xmlns=\"bb\">Cluth</aa>"
        ]),
        json!({"command": "private_set", "ok": true, "result": {
            "jid": "alice@localhost", "namespace": "bb", "xml": "<aa xmlns='bb'>Cluth</aa>",
            "stored": true}})
    );
    assert_eq!(
        t.json(&["private_set", "alice", "localhost", "<a><b xmlns='n'/></a>"]),
        json!({"command": "private_set", "ok": true, "result": {
            "jid": "alice@localhost", "namespace": null, "xml": "<a><b xmlns='n'/></a>",
            "stored": false}})
    );
    assert_eq!(
        rows(&t),
        vec![vec![
            "localhost",
            "alice",
            "bb",
            "<aa xmlns='bb'>Cluth</aa>"
        ]]
    );
    assert_eq!(
        t.json(&["private_get", "alice", "localhost", "zz", "bb"]),
        json!({"command": "private_get", "ok": true, "result": {
            "jid": "alice@localhost", "namespace": "bb", "xml": "<aa xmlns='bb'>Cluth</aa>",
            "stored": true}})
    );
    assert_eq!(
        t.json(&["private_get", "ALICE", "localhost", "q", "n"]),
        json!({"command": "private_get", "ok": true, "result": {
            "jid": "alice@localhost", "namespace": "n", "xml": "<q xmlns='n'/>",
            "stored": false}})
    );
    assert_eq!(
        t.json(&["private_get", "Bob", "LocalHost", "aa", "bb"]),
        json!({"command": "private_get", "ok": false, "error": {
            "kind": "user_not_found", "message": "Error: \"User Bob@LocalHost does not exist\"",
            "user": "Bob", "host": "LocalHost"}})
    );
    assert_eq!(
        t.json(&["private_set", "Bob", "LocalHost", "<a xmlns='b'/>"]),
        json!({"command": "private_set", "ok": false, "error": {
            "kind": "user_not_found", "message": "User bob@localhost does not exist",
            "user": "bob", "host": "localhost"}})
    );
    assert_eq!(
        t.json(&["private_set", "nobody", "localhost", "<a x=\"1\"/y>"]),
        json!({"command": "private_set", "ok": false, "error": {
            "kind": "invalid_xml",
            "message": "Error found parsing the element:\n  <<\"<a x=\\\"1\\\"/y>\">>\nError: \"expected >\"",
            "element": "<a x=\"1\"/y>", "error": "expected >"}})
    );
    assert_eq!(rows(&t).len(), 1);
}

#[test]
fn private_set_without_the_module_as_json() {
    let config = DEFAULT_CONFIG.replace("[modules.mod_private]\n", "");
    let t = TestEnv::with_config(&config);
    t.register("alice", "localhost", "pw");
    assert_eq!(
        t.json(&["private_set", "alice", "LocalHost", "<a xmlns='b'>x</a>"]),
        json!({"command": "private_set", "ok": false, "error": {
            "kind": "module_not_loaded",
            "message": "Module mod_private is not loaded on domain localhost",
            "module": "mod_private", "domain": "localhost"}})
    );
    assert!(rows(&t).is_empty());
}

#[test]
fn private_set_racing_unregister_leaves_no_orphan() {
    let t = TestEnv::new();
    crate::vcard::race_unregister(
        &t,
        "racer",
        20,
        &|n| {
            ["private_set", "racer", "localhost"]
                .map(String::from)
                .into_iter()
                .chain([format!("<q xmlns='ns{n}'>v</q>")])
                .collect()
        },
        "SELECT COUNT(*) FROM private_storage WHERE username = 'racer'",
    );
    t.run(&["private_get", "racer", "localhost", "q", "ns0"])
        .ok("<q xmlns='ns0'/>\n");
}

#[test]
fn elements_that_would_not_read_back_are_refused_and_change_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["private_set", "alice", "localhost", "<a xmlns='n'>ok</a>"])
        .ok("");
    let before = rows(&t);
    for (element, msg) in [
        // The parser decodes character references, so these parse; their serialisation would
        // hold the raw character, which no XML parser reads back.
        (
            "<a xmlns='n'>x&#27;</a>",
            "Invalid text in element \"a\": U+001B at position 2 is not an XML 1.0 character",
        ),
        (
            "<a xmlns='n'><b v='&#0;'/></a>",
            "Invalid value of attribute \"v\" in element \"b\": U+0000 at position 1 is not an XML 1.0 character",
        ),
        (
            "<a xmlns='n'>&#xFFFE;</a>",
            "Invalid text in element \"a\": U+FFFE at position 1 is not an XML 1.0 character",
        ),
        (
            "<a xmlns='n'>\u{ffff}</a>",
            "Invalid text in element \"a\": U+FFFF at position 1 is not an XML 1.0 character",
        ),
        // rapidxml's names are looser than XML's.
        (
            "<a\"b xmlns='n'/>",
            "Invalid element name \"a\\\"b\": U+0022 at position 2 is not allowed in an XML name",
        ),
        (
            "<a xmlns='n' \u{1}x='1'/>",
            "Invalid attribute name \"\\u{1}x\" in element \"a\": U+0001 at position 1 is not allowed in an XML name",
        ),
        (
            "<a xmlns='n'><1b/></a>",
            "Invalid element name \"1b\": U+0031 at position 1 cannot start an XML name",
        ),
    ] {
        t.run(&["private_set", "alice", "localhost", element])
            .fails(&format!("{msg}\n"));
    }
    // Checked with the parse, before the account.
    t.run(&[
        "private_set",
        "nobody",
        "localhost",
        "<a xmlns='n'>&#27;</a>",
    ])
    .fails("Invalid text in element \"a\": U+001B at position 1 is not an XML 1.0 character\n");
    assert_eq!(rows(&t), before);
    // A value is never echoed: the secret below does not appear.
    let r = t.run(&[
        "private_set",
        "alice",
        "localhost",
        "<a xmlns='n'><password>S3cr3t&#27;</password></a>",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        !r.stdout.contains("S3cr3t") && !r.stderr.contains("S3cr3t"),
        "{r:?}"
    );
    // Tab, newline and CR are XML characters, also as references.
    t.run(&[
        "private_set",
        "alice",
        "localhost",
        "<a xmlns='n'>a&#9;b&#10;c&#13;</a>",
    ])
    .ok("");
    // The CR comes out escaped: the output layer escapes control characters (not TAB, LF).
    t.run(&["private_get", "alice", "localhost", "a", "n"])
        .ok("<a xmlns='n'>a\tb\nc\\u{d}</a>\n");
    assert_eq!(
        t.col("SELECT data FROM private_storage"),
        vec!["<a xmlns='n'>a\tb\nc\r</a>".to_string()]
    );
}

#[test]
fn refused_private_elements_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    assert_eq!(
        t.json(&[
            "private_set",
            "alice",
            "localhost",
            "<a xmlns='n'>x&#27;</a>"
        ]),
        json!({"command": "private_set", "ok": false, "error": {
            "kind": "invalid_xml_value",
            "message": "Invalid text in element \"a\": U+001B at position 2 is not an XML 1.0 character",
            "element": "a", "position": 2, "character": "U+001B"}})
    );
    assert_eq!(
        t.json(&[
            "private_set",
            "alice",
            "localhost",
            "<a xmlns='n' v='&#1;'/>"
        ]),
        json!({"command": "private_set", "ok": false, "error": {
            "kind": "invalid_xml_value",
            "message": "Invalid value of attribute \"v\" in element \"a\": U+0001 at position 1 is not an XML 1.0 character",
            "element": "a", "attribute": "v", "position": 1, "character": "U+0001"}})
    );
    assert_eq!(
        t.json(&["private_set", "alice", "localhost", "<a\"b xmlns='n'/>"]),
        json!({"command": "private_set", "ok": false, "error": {
            "kind": "invalid_xml_name",
            "message": "Invalid element name \"a\\\"b\": U+0022 at position 2 is not allowed in an XML name",
            "element": "a\"b", "problem": "bad_char", "position": 2, "character": "U+0022"}})
    );
    assert_eq!(t.col("SELECT COUNT(*) FROM private_storage"), vec!["0"]);
}
