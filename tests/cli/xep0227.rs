//! `import_xep0227` and `export_xep0227` (our extensions): the export ejabberd 23.01 wrote
//! (tests/fixtures/xep0227/, passwords in its README), a round trip through our own export
//! without the passwords, plain passwords, escaping, and refused input.

use crate::support::*;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/xep0227/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

const INDEX: &str = "20261201-184846.xml";
const HOST_FILE: &str = "20261201-184846_localhost.xml";

const IMPORTED: &str =
    "ok alice@localhost: 2 roster items, 1 vCard, 1 private elements, 0 offline messages\n\
    ok bob@localhost: 1 roster items, 0 vCard, 0 private elements, 0 offline messages\n\
    ok carol@localhost: 0 roster items, 0 vCard, 0 private elements, 1 offline messages\n";

const BOOKMARKS: &str = "<storage xmlns='storage:bookmarks'><conference jid='tea@conference.localhost' autojoin='true' name='Tea party'/></storage>\n";

const CAROL_OFFLINE: &str = "bob@localhost/res\t1796150925689269\tnever\t<message to='carol@localhost' from='bob@localhost/res' type='chat' id='7610736303044216328' xmlns='jabber:client'><body>Hello Carol, are you there?</body></message>\n";

/// Every listing of the three accounts the fixture holds.
fn listings(t: &TestEnv) -> Vec<String> {
    let mut out = vec![t.users().join(",")];
    for user in ["alice", "bob", "carol"] {
        out.push(t.run(&["get_roster", user, "localhost"]).stdout.clone());
        out.push(
            t.run(&["list_offline_messages", user, "localhost"])
                .stdout
                .clone(),
        );
    }
    for (f, s) in [("FN", None), ("NICKNAME", None), ("N", Some("GIVEN"))] {
        let r = match s {
            None => t.run(&["get_vcard", "alice", "localhost", f]),
            Some(s) => t.run(&["get_vcard2", "alice", "localhost", f, s]),
        };
        out.push(r.stdout.clone());
    }
    out.push(
        t.run(&[
            "private_get",
            "alice",
            "localhost",
            "storage",
            "storage:bookmarks",
        ])
        .stdout
        .clone(),
    );
    out
}

fn check_fixture_data(t: &TestEnv) {
    assert_eq!(
        t.users(),
        vec!["alice@localhost", "bob@localhost", "carol@localhost"]
    );
    t.run(&["get_roster", "alice", "localhost"])
        .ok("carol@localhost\tCarol\tto\tnone\tWork\nbob@localhost\tBob\tboth\tnone\tFriends\n");
    t.run(&["get_roster", "bob", "localhost"])
        .ok("alice@localhost\tAlice\tboth\tnone\tFriends\n");
    t.run(&["get_roster", "carol", "localhost"]).ok("");
    t.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("Alice Liddell\n");
    t.run(&["get_vcard", "alice", "localhost", "NICKNAME"])
        .ok("ali\n");
    t.run(&["get_vcard2", "alice", "localhost", "N", "GIVEN"])
        .ok("Alice\n");
    t.run(&[
        "private_get",
        "alice",
        "localhost",
        "storage",
        "storage:bookmarks",
    ])
    .ok(BOOKMARKS);
    t.run(&["list_offline_messages", "carol", "localhost"])
        .ok(CAROL_OFFLINE);
    t.run(&["list_offline_messages", "alice", "localhost"])
        .ok("");
    // The vCard's search row is written too.
    assert_eq!(
        t.sql("SELECT username, fn, lfn, nickname, lnickname, given FROM vcard_search"),
        vec![vec![
            "alice",
            "Alice Liddell",
            "alice liddell",
            "ali",
            "ali",
            "Alice"
        ]]
    );
}

fn check_passwords(t: &TestEnv) {
    for (user, pass) in [
        ("alice", "wonderland"),
        ("bob", "builder"),
        ("carol", "c4r0l"),
    ] {
        t.run(&["check_password", user, "localhost", pass])
            .ok(&format!("Password for user {user}@localhost is correct\n"));
        t.run(&["check_password", user, "localhost", "wrong"])
            .fails(&format!(
                "Password for user {user}@localhost is incorrect\n"
            ));
    }
}

#[test]
fn the_ejabberd_export_imports_with_everything_and_usable_scram() {
    let t = TestEnv::new();
    t.run(&["import_xep0227", &fixture(INDEX)]).ok(IMPORTED);
    check_fixture_data(&t);
    check_passwords(&t);
    // SCRAM kept as ejabberd made it: 4,096 iterations, SHA-1 only, no plain password.
    assert_eq!(
        t.col("SELECT password || '|' || substr(pass_details, 1, 21) FROM users ORDER BY username"),
        vec!["|==MULTI_SCRAM==,4096,"; 3]
    );
    // Again: existing accounts are left as they are and nothing is added.
    t.run(&["import_xep0227", &fixture(HOST_FILE)])
        .ok("exists alice@localhost\nexists bob@localhost\nexists carol@localhost\n");
    assert_eq!(t.col("SELECT count(*) FROM rosterusers"), vec!["3"]);
    assert_eq!(t.col("SELECT count(*) FROM offline_message"), vec!["1"]);
    assert_eq!(t.col("SELECT count(*) FROM private_storage"), vec!["1"]);
}

#[test]
fn the_host_file_alone_and_stdin_import_too() {
    let t = TestEnv::new();
    let text = std::fs::read_to_string(fixture(HOST_FILE)).expect("fixture");
    t.run_stdin(&["import_xep0227", "-"], &text).ok(IMPORTED);
    check_fixture_data(&t);
    check_passwords(&t);
}

#[test]
fn export_then_import_into_a_fresh_store_keeps_everything_and_the_passwords() {
    let t = TestEnv::new();
    t.run(&["import_xep0227", &fixture(INDEX)]).ok(IMPORTED);
    let file = t.path("export.xml");
    let file = file.to_str().expect("utf-8 path");
    t.run(&["export_xep0227", file, "localhost"])
        .ok(&format!("Exported 3 users of localhost to {file}\n"));
    let text = std::fs::read_to_string(file).expect("export");
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server-data xmlns=\"urn:xmpp:pie:0\"><host jid=\"localhost\"><user name=\"alice\"><scram-credentials xmlns=\"urn:xmpp:pie:0#scram\" mechanism=\"SCRAM-SHA-1\"><iter-count>4096</iter-count><salt>UK4NMXcyBW00VW9hxAuTzQ==</salt>"), "{text}");
    assert!(
        text.contains(
            "<delay xmlns=\"urn:xmpp:delay\" from=\"localhost\" stamp=\"2026-12-01T18:48:45.689269Z\"/>"
        ),
        "{text}"
    );
    assert!(!text.contains("wonderland"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(file).expect("meta").permissions().mode() & 0o777,
        0o600
    );

    let fresh = TestEnv::new();
    fresh.run(&["import_xep0227", file]).ok(IMPORTED);
    check_fixture_data(&fresh);
    check_passwords(&fresh);
    assert_eq!(listings(&fresh), listings(&t));
    assert_eq!(
        fresh.col("SELECT pass_details FROM users ORDER BY username"),
        t.col("SELECT pass_details FROM users ORDER BY username")
    );
    // An empty host exports an empty <host>.
    let other = t.path("other.xml");
    let other = other.to_str().expect("utf-8 path");
    t.run(&["export_xep0227", other, "example.org"])
        .ok(&format!("Exported 0 users of example.org to {other}\n"));
    assert_eq!(
        std::fs::read_to_string(other).expect("export"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server-data xmlns=\"urn:xmpp:pie:0\"><host jid=\"example.org\"/></server-data>\n"
    );
}

#[test]
fn plain_passwords_are_hashed_per_the_config_and_text_is_escaped() {
    let t = TestEnv::new();
    let doc = "<server-data xmlns='urn:xmpp:pie:0'><host jid='example.org'>\
        <user name='dave' password='ignored'><password>s&amp;cret</password>\
        <vCard xmlns='vcard-temp'><FN>A &amp; B &lt;c&gt; 'q' \"d\"</FN></vCard>\
        <query xmlns='jabber:iq:roster'><item jid='e@example.org' name='E &amp; &apos;F&apos;' subscription='none' ask='subscribe'/></query>\
        </user><user name='nopass'/><user name='x' /></host>\
        <host jid='elsewhere.net'><user name='y'><password>p</password></user></host></server-data>";
    t.run_stdin(&["import_xep0227", "-"], doc).ok(
        "ok dave@example.org: 1 roster items, 1 vCard, 0 private elements, 0 offline messages\n\
         no_password nopass@example.org\nno_password x@example.org\nnot_allowed y@elsewhere.net\n",
    );
    assert_eq!(
        t.col("SELECT password || '|' || substr(pass_details, 1, 19) FROM users"),
        vec!["|==MULTI_SCRAM==,64,"]
    );
    t.run(&["check_password", "dave", "example.org", "s&cret"])
        .ok("Password for user dave@example.org is correct\n");
    t.run(&["get_vcard", "dave", "example.org", "FN"])
        .ok("A & B <c> 'q' \"d\"\n");
    t.run(&["get_roster", "dave", "example.org"])
        .ok("e@example.org\tE & 'F'\tnone\tout\t\n");
    let file = t.path("dave.xml");
    let file = file.to_str().expect("utf-8 path");
    t.run(&["export_xep0227", file, "example.org"])
        .ok(&format!("Exported 1 users of example.org to {file}\n"));
    let text = std::fs::read_to_string(file).expect("export");
    assert!(
        text.contains("<FN>A &amp; B &lt;c&gt; &apos;q&apos; &quot;d&quot;</FN>"),
        "{text}"
    );
    assert!(
        text.contains(
            "<item jid=\"e@example.org\" name=\"E &amp; &apos;F&apos;\" subscription=\"none\" ask=\"subscribe\"/>"
        ),
        "{text}"
    );
    let fresh = TestEnv::new();
    fresh.run(&["import_xep0227", file]).ok(
        "ok dave@example.org: 1 roster items, 1 vCard, 0 private elements, 0 offline messages\n",
    );
    fresh
        .run(&["check_password", "dave", "example.org", "s&cret"])
        .ok("Password for user dave@example.org is correct\n");
    fresh
        .run(&["get_roster", "dave", "example.org"])
        .ok("e@example.org\tE & 'F'\tnone\tout\t\n");
}

#[test]
fn bad_input_changes_nothing() {
    let t = TestEnv::new();
    let file = t.write("bad.xml", "<server-data xmlns='urn:xmpp:pie:0'><host jid='localhost'><user name='a'><password>p</password></user><user name='b'");
    let r = t.run(&["import_xep0227", file.to_str().expect("path")]);
    r.fails("");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("import_xep0227: ") && r.stderr.contains("not XML"),
        "{}",
        r.stderr
    );
    // Good XML, bad data in the second user: the first is not written either.
    let doc = "<host xmlns='urn:xmpp:pie:0' jid='localhost'><user name='a'><password>p</password></user>\
        <user name='b'><scram-credentials xmlns='urn:xmpp:pie:0#scram' mechanism='SCRAM-SHA-1'><iter-count>4096</iter-count>\
        <salt>!!</salt><server-key>a</server-key><stored-key>a</stored-key></scram-credentials></user></host>";
    t.run_stdin(&["import_xep0227", "-"], doc)
        .fails("")
        .stderr_has("import_xep0227: b@localhost: <salt> is not base64");
    t.run_stdin(&["import_xep0227", "-"], "<roster/>")
        .fails("")
        .stderr_has("<roster> is not a XEP-0227 document");
    let missing = t.path("missing.xml");
    let missing = missing.to_str().expect("path");
    t.run(&["import_xep0227", missing]).fails(&format!(
        "Problem 'error {{read_file,\"{missing}\",enoent}}' occurred executing the command.\n"
    ));
    t.run(&[
        "export_xep0227",
        t.path("x.xml").to_str().expect("path"),
        "nowhere.net",
    ])
    .fails("")
    .stderr_has("export_xep0227: nowhere.net is not a host served here");
    assert!(!exists(&t.path("x.xml")));
    assert!(t.users().is_empty());
}

#[test]
fn a_document_with_comments_cdata_and_references_is_read_by_a_real_parser() {
    // What other servers' exporters write: a declaration with double quotes, comments and a
    // processing instruction, CDATA, character references, prefixed namespaces.
    let t = TestEnv::new();
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- exported by hand -->\n\
        <pie:server-data xmlns:pie='urn:xmpp:pie:0'><?tool v=1?>\n  <pie:host jid='localhost'>\
        <pie:user name='erin'><pie:password>p&#x26;w</pie:password>\
        <vCard xmlns='vcard-temp'><FN><![CDATA[Erin <E> & co]]> &#9731;</FN></vCard>\
        </pie:user></pie:host>\n</pie:server-data>\n";
    t.run_stdin(&["import_xep0227", "-"], doc)
        .ok("ok erin@localhost: 0 roster items, 1 vCard, 0 private elements, 0 offline messages\n");
    t.run(&["check_password", "erin", "localhost", "p&w"])
        .ok("Password for user erin@localhost is correct\n");
    t.run(&["get_vcard", "erin", "localhost", "FN"])
        .ok("Erin <E> & co \u{2603}\n");
    // A DTD entity is never expanded: the document is refused and nothing is written.
    let evil = "<!DOCTYPE d [<!ENTITY x 'boom'>]><host xmlns='urn:xmpp:pie:0' jid='localhost'>\
        <user name='frank'><password>&x;</password></user></host>";
    t.run_stdin(&["import_xep0227", "-"], evil)
        .fails("")
        .stderr_has("unknown entity &x;");
    // Not well-formed: mismatched end tag, a second root.
    for bad in [
        "<host xmlns='urn:xmpp:pie:0' jid='localhost'><user name='g'></host>",
        "<host xmlns='urn:xmpp:pie:0' jid='localhost'/><host jid='x'/>",
    ] {
        t.run_stdin(&["import_xep0227", "-"], bad)
            .fails("")
            .stderr_has("not XML");
    }
    t.run(&["registered_users", "localhost"]).ok("erin\n");
}
