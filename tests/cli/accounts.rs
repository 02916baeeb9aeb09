//! Account commands: core registration commands and the `accounts` group.

use serde_json::json;

use crate::core::{json_crash, json_error, json_ok};
use crate::support::*;

const NODE: &str = "mongooseim@localhost";

#[test]
fn register_identified_creates_a_scram_account() {
    let t = TestEnv::new();
    t.run(&["register_identified", "Alice", "LocalHost", "secret"])
        .ok("User alice@localhost successfully registered\n");
    let rows = t.sql("SELECT username, server, password, pass_details FROM users");
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][..3], &["alice", "localhost", ""]);
    let details = &rows[0][3];
    assert!(
        details.starts_with("==MULTI_SCRAM==,64,===SHA1==="),
        "{details}"
    );
    for prefix in ["==SHA224==", "==SHA256==", "==SHA384==", "==SHA512=="] {
        assert!(details.contains(prefix), "{details}");
    }
    assert!(!details.contains("secret"));
    t.run(&["check_password", "alice", "localhost", "secret"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn register_identified_errors() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "secret");
    t.run(&["register_identified", "alice", "localhost", "other"])
        .fails(&format!(
            "User alice@localhost already registered at node {NODE}\n"
        ));
    t.run(&["register_identified", "bob", "localhost", ""])
        .fails(&format!(
            "Can't register user bob@localhost at node {NODE}: null_password\n"
        ));
    t.run(&["register_identified", "bob", "unknown.org", "x"])
        .fails(&format!(
            "Can't register user bob@unknown.org at node {NODE}: not_allowed\n"
        ));
    let r = t.run(&["register_identified", "b@d", "localhost", "x"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("Problem '")
            && r.stdout.ends_with("' occurred executing the command.\n"),
        "{}",
        r.stdout
    );
    // Nothing else was stored, and the first password still works.
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        vec!["alice"]
    );
    t.run(&["check_password", "alice", "localhost", "secret"])
        .is(0, "Password for user alice@localhost is correct\n");
}

#[test]
fn password_from_stdin_is_never_echoed() {
    let t = TestEnv::new();
    t.run_stdin(
        &["register_identified", "alice", "localhost", "-"],
        "s3cr3t pass\n",
    )
    .ok("User alice@localhost successfully registered\n");
    let r = t.run_stdin(
        &["check_password", "alice", "localhost", "-"],
        "s3cr3t pass\n",
    );
    r.ok("Password for user alice@localhost is correct\n");
    assert!(!r.stderr.contains("s3cr3t"));
    t.run(&["check_password", "alice", "localhost", "-"])
        .fails("Password for user alice@localhost is incorrect\n");
    t.run_stdin(&["change_password", "alice", "localhost", "-"], "new\r\n")
        .ok("Password for user alice@localhost successfully changed\n");
    t.run(&["check_password", "alice", "localhost", "new"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn plain_format_stores_the_password_verbatim() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[auth]\npassword.format = \"plain\"\n[services.service_admin_extra]\n",
    );
    t.register("alice", "localhost", "makota");
    assert_eq!(
        t.sql("SELECT password, pass_details FROM users"),
        vec![vec!["makota", "NULL"]]
    );
    t.run(&[
        "check_password_hash",
        "alice",
        "localhost",
        "3F6EF5F1A0D2FDE5F473DF1F6F035",
        "md5",
    ])
    .ok("Password hash is correct\n");
    t.run(&[
        "check_password_hash",
        "alice",
        "localhost",
        "96C87D27C736817BE6354798236518C6E971F3E",
        "sha",
    ])
    .ok("Password hash is correct\n");
    t.run(&[
        "check_password_hash",
        "alice",
        "localhost",
        "3f6ef5f1a00d2fde05f473df1f6f0035",
        "md5",
    ])
    .fails("Password hash is incorrect\n");
    t.run(&["check_password_hash", "alice", "localhost", "x", "sha256"])
        .fails("Error: \"Hash for password is undefined\"\n");
}

#[test]
fn default_iterations_are_10000_and_hash_list_is_honoured() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[auth]\npassword.hash = [\"sha256\"]\n[services.service_admin_extra]\n",
    );
    t.register("alice", "localhost", "pencil");
    let d = t.col("SELECT pass_details FROM users").remove(0);
    assert!(d.starts_with("==MULTI_SCRAM==,10000,==SHA256=="), "{d}");
    assert!(!d.contains("SHA1") && !d.contains("SHA512"));
    t.run(&["check_password", "alice", "localhost", "pencil"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn register_invents_a_user_name() {
    let t = TestEnv::new();
    t.diverge(); // a random name: the twin would invent another
    let r = t.run(&["register", "localhost", "pw"]);
    assert_eq!(r.code, 0, "{r:?}");
    let user = t.col("SELECT username FROM users").remove(0);
    assert_eq!(
        r.stdout,
        format!("User {user}@localhost successfully registered\n")
    );
    let parts: Vec<&str> = user.split('-').collect();
    assert_eq!(parts.len(), 4, "{user}");
    assert!(parts[..3].iter().all(|p| p.parse::<u64>().is_ok()));
    assert!(
        parts[3].len() == 16
            && parts[3]
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    );
    let r = t.run(&["register", "nope.org", "pw"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("Can't register user ")
            && r.stdout
                .ends_with("@nope.org at node mongooseim@localhost: not_allowed\n"),
        "{}",
        r.stdout
    );
    assert_eq!(t.users().len(), 1);
}

#[test]
fn unregister_removes_the_account_and_its_data_silently() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["set_last", "alice", "localhost", "100", "gone"])
        .ok("Last activity for user alice@localhost is set as 100 with status gone\n");
    t.exec("INSERT INTO private_storage (server, username, namespace, data) VALUES ('localhost','alice','ns','<a/>');
            INSERT INTO offline_message (timestamp, server, username, from_jid, packet) VALUES (1,'localhost','alice','b@localhost','<message/>');");
    t.run(&["unregister", "Alice", "localhost"]).ok("");
    assert_eq!(t.col("SELECT username FROM users"), vec!["bob"]);
    assert_eq!(t.col("SELECT COUNT(*) FROM last"), vec!["0"]);
    assert_eq!(t.col("SELECT COUNT(*) FROM private_storage"), vec!["0"]);
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["0"]);
    // Always silent and successful.
    t.run(&["unregister", "alice", "localhost"]).ok("");
    t.run(&["unregister", "x", "unknown.org"]).ok("");
    t.run(&["unregister", "a@b", "localhost"]).ok("");
}

#[test]
fn registered_users_sorted_by_bytes() {
    let t = TestEnv::new();
    for u in ["zed", "Bob", "alice", "_x"] {
        t.run(&["register_identified", u, "localhost", "pw"]);
    }
    t.register("carol", "example.org", "pw");
    t.run(&["registered_users", "localhost"])
        .ok("_x\nalice\nbob\nzed\n");
    t.run(&["registered_users", "EXAMPLE.ORG"]).ok("carol\n");
    t.run(&["registered_users", "unknown.org"]).ok("");
    assert_eq!(
        t.json(&["registered_users", "LocalHost"]),
        json!({"command": "registered_users", "ok": true,
            "result": {"host": "localhost", "users": ["_x", "alice", "bob", "zed"]}})
    );
    assert_eq!(
        t.json(&["registered_users", "unknown.org"]),
        json!({"command": "registered_users", "ok": true,
            "result": {"host": "unknown.org", "users": []}})
    );
}

#[test]
fn check_account_messages() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&["check_account", "ALICE", "localhost"])
        .ok("User alice@localhost exists\n");
    t.run(&["check_account", "Bob", "LocalHost"])
        .fails("User Bob@LocalHost does not exist\n");
    t.run(&["check_account", "alice", "unknown.org"])
        .fails("User alice@unknown.org does not exist\n");
    t.run(&["check_account", "a@b", "localhost"])
        .fails("User a@b@localhost does not exist\n");
}

#[test]
fn check_password_messages_never_contain_the_password() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "right");
    t.run(&["check_password", "alice", "localhost", "wrong"])
        .fails("Password for user alice@localhost is incorrect\n");
    t.run(&["check_password", "Nobody", "localhost", "pw"])
        .fails(
            "Password for user Nobody@localhost is incorrect because this user does not exist\n",
        );
    t.run(&["check_password", "alice", "localhost", ""])
        .fails("Password for user alice@localhost is incorrect\n");
}

#[test]
fn check_password_hash_for_scram_users_hashes_the_empty_string() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "check_password_hash",
        "alice",
        "localhost",
        "D41D8CD98F0B24E980998ECF8427E",
        "md5",
    ])
    .ok("Password hash is correct\n");
    t.run(&[
        "check_password_hash",
        "nobody",
        "unknown.org",
        "DA39A3EE5E6B4BD3255BFEF95601890AFD879",
        "sha",
    ])
    .ok("Password hash is correct\n");
}

#[test]
fn change_password_checks_in_order() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "old");
    t.run(&["change_password", "alice", "localhost", ""])
        .fails("Error: \"empty_password\"\n");
    t.run(&["change_password", "a@b", "localhost", "x"])
        .fails("Error: \"invalid_jid\"\n");
    t.run(&["change_password", "alice", "unknown.org", "x"])
        .fails("Error: \"not_allowed\"\n");
    t.run(&["change_password", "ALICE", "localhost", "new"])
        .ok("Password for user alice@localhost successfully changed\n");
    t.run(&["check_password", "alice", "localhost", "old"])
        .fails("Password for user alice@localhost is incorrect\n");
    t.run(&["check_password", "alice", "localhost", "new"])
        .ok("Password for user alice@localhost is correct\n");
    // A nonexistent account in a known domain: success, no account created (RDBMS behaviour).
    t.run(&["change_password", "ghost", "localhost", "x"])
        .ok("Password for user ghost@localhost successfully changed\n");
    assert_eq!(t.col("SELECT username FROM users"), vec!["alice"]);
}

#[test]
fn ban_account_sets_an_unguessable_password_and_ends_sessions() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.exec("INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, show, node) VALUES ('alice','localhost','phone',1,'available','mongooseim@localhost')");
    t.run(&["ban_account", "Alice", "localhost", "spam"])
        .ok("User alice@localhost successfully banned with reason: spam\n");
    t.run(&["check_password", "alice", "localhost", "pw"])
        .fails("Password for user alice@localhost is incorrect\n");
    assert_eq!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_sessions"),
        vec!["0"]
    );
    // The session had an available presence: its logout is recorded as last activity.
    let last = t.sql("SELECT seconds, state FROM last WHERE username = 'alice'");
    assert_eq!(last.len(), 1);
    assert!((last[0][0].parse::<i64>().unwrap() - now_secs()).abs() < 60);
    t.run(&["ban_account", "alice", "localhost", ""])
        .ok("User alice@localhost successfully banned with reason: \n");
    t.run(&["ban_account", "alice", "unknown.org", "x"])
        .fails("Error: \"not_allowed\"\n");
    let r = t.run(&["ban_account", "a@b", "localhost", "x"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("Problem '"));
}

#[test]
fn ban_account_with_plain_format_stores_the_banned_marker() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[auth]\npassword.format = \"plain\"\n[services.service_admin_extra]\n",
    );
    t.register("alice", "localhost", "pw");
    t.run(&["ban_account", "alice", "localhost", "bad bot"])
        .ok("User alice@localhost successfully banned with reason: bad bot\n");
    let p = t.col("SELECT password FROM users").remove(0);
    let parts: Vec<&str> = p.split("--").collect();
    assert_eq!(parts.len(), 4, "{p}");
    assert_eq!(parts[0], "BANNED_ACCOUNT");
    assert_eq!(parts[1].len(), 20);
    assert!(parts[1].ends_with('Z') && parts[1].as_bytes()[10] == b'T');
    assert_eq!(parts[2].len(), 16);
    assert_eq!(parts[3], "bad bot");
}

#[test]
fn num_active_users_counts_recent_last_records() {
    let t = TestEnv::new();
    let now = now_secs();
    for (u, ago) in [("a", 10), ("b", 2 * 86_400 + 100), ("c", 5 * 86_400)] {
        t.register(u, "localhost", "pw");
        let ts = (now - ago).to_string();
        t.run(&["set_last", u, "localhost", &ts, ""]);
    }
    t.run(&["num_active_users", "localhost", "1"]).ok("1\n");
    t.run(&["num_active_users", "localhost", "3"]).ok("2\n");
    t.run(&["num_active_users", "localhost", "30"]).ok("3\n");
    t.run(&["num_active_users", "LOCALHOST", "30"]).ok("0\n");
    t.run(&["num_active_users", "unknown.org", "30"]).ok("0\n");
    let r = t.run(&["num_active_users", "localhost", "many"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("Problem '") && r.stdout.contains("days"),
        "{}",
        r.stdout
    );
}

#[test]
fn delete_old_users_deletes_never_logged_and_old_ones() {
    let t = TestEnv::new();
    let now = now_secs();
    for u in ["alice", "bob", "kate", "mike", "fresh", "online"] {
        t.register(u, "localhost", "pw");
    }
    t.register("eve", "example.org", "pw");
    t.run(&[
        "set_last",
        "bob",
        "localhost",
        &(now - 40 * 86_400).to_string(),
        "",
    ]);
    t.run(&[
        "set_last",
        "fresh",
        "localhost",
        &(now - 100).to_string(),
        "",
    ]);
    t.exec("INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES ('online','localhost','r',1,'n')");
    t.run(&["delete_old_users", "30"]).ok(
        "Deleted 5 users: [{<<\"alice\">>,<<\"localhost\">>},\n                  {<<\"bob\">>,<<\"localhost\">>},\n                  {<<\"kate\">>,<<\"localhost\">>},\n                  {<<\"mike\">>,<<\"localhost\">>},\n                  {<<\"eve\">>,<<\"example.org\">>}]\n",
    );
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        vec!["fresh", "online"]
    );
    assert_eq!(t.col("SELECT username FROM last"), vec!["fresh"]);
    t.run(&["delete_old_users", "30"])
        .ok("Deleted 0 users: []\n");
}

#[test]
fn delete_old_users_vhost_is_limited_to_the_host() {
    let t = TestEnv::new();
    t.register("kate", "localhost", "pw");
    t.register("eve", "example.org", "pw");
    t.run(&["delete_old_users_vhost", "LocalHost", "1"])
        .ok("Deleted 1 users: [{<<\"kate\">>,<<\"localhost\">>}]\n");
    t.run(&["delete_old_users_vhost", "unknown.org", "1"])
        .ok("Deleted 0 users: []\n");
    assert_eq!(t.col("SELECT username FROM users"), vec!["eve"]);
}

#[test]
fn import_users_reports_per_row() {
    let t = TestEnv::new();
    t.register("taken", "localhost", "pw");
    let csv = t.write(
        "users.csv",
        "alice,localhost,pw1\r\n\"b,ob\",localhost,pw\ntaken,localhost,x\ncarl,unknown.org,x\ndan,localhost,\n\"e\"\"v\",localhost,p\none,two\n\nfrank,localhost,pw\nalice,localhost,again\n",
    );
    t.run(&["import_users", csv.to_str().unwrap()]).ok(
        "ok\talice\nok\tb,ob\nexists\ttaken\nnot_allowed\tcarl\nnull_password\tdan\ninvalid_jid\te\"v\nbad_csv\tone,two\nbad_csv\t\nok\tfrank\nexists\talice\n",
    );
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        vec!["alice", "b,ob", "frank", "taken"]
    );
    t.run(&["check_password", "alice", "localhost", "pw1"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn import_users_more_than_ten_rows_in_worker_order() {
    let t = TestEnv::new();
    let mut csv = String::new();
    for i in 0..12 {
        csv.push_str(&format!("u{i},localhost,pw\n"));
    }
    let f = t.write("u.csv", &csv);
    // Row i goes to worker i mod 10; each worker's rows newest-first.
    t.run(&["import_users", f.to_str().unwrap()])
        .ok("ok\tu10\nok\tu0\nok\tu11\nok\tu1\nok\tu2\nok\tu3\nok\tu4\nok\tu5\nok\tu6\nok\tu7\nok\tu8\nok\tu9\n");
    assert_eq!(t.col("SELECT COUNT(*) FROM users"), vec!["12"]);
}

#[test]
fn import_users_bad_files_change_nothing() {
    let t = TestEnv::new();
    let missing = t.path("missing.csv");
    let r = t.run(&["import_users", missing.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("Problem '"), "{}", r.stdout);
    let f = t.write("bad.csv", "a,localhost,pw\n\"unterminated,localhost,pw\n");
    let r = t.run(&["import_users", f.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(
        r.stderr.contains("line 2") && r.stderr.contains("unterminated"),
        "{}",
        r.stderr
    );
    assert!(t.users().is_empty());
}

#[test]
fn dynamic_domains_are_known_only_when_enabled() {
    let t = TestEnv::new();
    t.run(&["register_identified", "a", "dyn.example", "pw"])
        .fails(&format!(
            "Can't register user a@dyn.example at node {NODE}: not_allowed\n"
        ));
    t.exec("INSERT INTO domain_settings (id, domain, host_type, enabled) VALUES (1, 'dyn.example', 'dyn', 1)");
    t.register("a", "dyn.example", "pw");
    t.run(&["check_account", "a", "dyn.example"])
        .ok("User a@dyn.example exists\n");
    t.exec("UPDATE domain_settings SET enabled = 0");
    t.run(&["check_account", "a", "dyn.example"])
        .fails("User a@dyn.example does not exist\n");
    t.run(&["registered_users", "dyn.example"]).ok("");
}

#[test]
fn accounts_group_can_be_disabled() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[services.service_admin_extra]\nsubmods = [\"roster\"]\n",
    );
    let r = t.run(&["check_account", "a", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(
        r.stderr.contains("\"accounts\"") && r.stderr.contains(t.config.to_str().unwrap()),
        "{}",
        r.stderr
    );
    let r = t.run(&["accounts", "change_password", "a", "localhost", "x"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("accounts"));
    assert!(t.users().is_empty());
    // Core commands stay available.
    t.register("a", "localhost", "pw");
}

#[test]
fn grouped_form_is_the_same_command() {
    let t = TestEnv::new();
    t.run(&["core", "register_identified", "alice", "localhost", "pw"])
        .ok("User alice@localhost successfully registered\n");
    t.run(&["accounts", "check-account", "alice", "localhost"])
        .ok("User alice@localhost exists\n");
    t.run(&["check-account", "alice", "localhost"])
        .ok("User alice@localhost exists\n");
}

#[test]
fn passwords_never_reach_the_logs() {
    let t = TestEnv::new();
    for args in [
        vec!["register_identified", "alice", "localhost", "Sekr1t-pw"],
        vec!["check_password", "alice", "localhost", "Sekr1t-pw"],
        vec!["check_password", "alice", "localhost", "Wr0ng-pw"],
        vec!["change_password", "alice", "localhost", "N3w-pw"],
        vec!["register_identified", "alice", "localhost", "Ag4in-pw"],
    ] {
        let r = run_cmd(t.cmd().env("MONGOOSEIMCTL_LOG", "trace").args(&args));
        let secret = args[3];
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "{args:?}: {r:?}"
        );
    }
    let r = run_cmd(
        t.cmd()
            .arg("-vvv")
            .args(["check_password", "alice", "localhost", "N3w-pw"]),
    );
    r.ok("Password for user alice@localhost is correct\n");
    assert!(!r.stderr.contains("N3w-pw"));
}

/// A password resourceprep rejects (a control character): it cannot be stored.
const UNPREPARABLE: &str = "a\u{7}b";

#[test]
fn register_identified_as_json() {
    let t = TestEnv::new();
    assert_eq!(
        t.json(&["register_identified", "Alice", "LocalHost", "pw"]),
        json_ok("register_identified", json!({"jid": "alice@localhost"}))
    );
    assert_eq!(
        t.json(&["register_identified", "alice", "localhost", "pw2"]),
        json_error(
            "register_identified",
            json!({"kind": "already_registered",
            "message": format!("User alice@localhost already registered at node {NODE}"),
            "jid": "alice@localhost", "node": NODE})
        )
    );
    for (host, pass, kind) in [
        ("localhost", "", "null_password"),
        ("unknown.org", "x", "not_allowed"),
        ("localhost", UNPREPARABLE, "invalid_password"),
    ] {
        assert_eq!(
            t.json(&["register_identified", "Bob", host, pass]),
            json_error(
                "register_identified",
                json!({"kind": kind,
                "message": format!("Can't register user bob@{host} at node {NODE}: {kind}"),
                "jid": format!("bob@{host}"), "node": NODE})
            )
        );
    }
    let crash = t.json(&["register_identified", "a@b", "localhost", "x"]);
    assert_eq!(
        crash,
        json_crash(
            "register_identified",
            "invalid_jid",
            "error {invalid_jid,<<\"a@b\">>,<<\"localhost\">>}"
        )
    );
    assert_eq!(t.col("SELECT username FROM users"), vec!["alice"]);
    t.run(&["check_password", "alice", "localhost", "pw"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn register_as_json() {
    let t = TestEnv::new();
    t.diverge(); // a random name: the twin would invent another
    let j = t.json(&["register", "localhost", "pw"]);
    let user = t.col("SELECT username FROM users").remove(0);
    assert_eq!(
        j,
        json_ok("register", json!({"jid": format!("{user}@localhost")}))
    );
    let j = t.json(&["register", "nope.org", "pw"]);
    assert_eq!(j["error"]["kind"], "not_allowed", "{j}");
    let jid = j["error"]["jid"].as_str().unwrap_or_default().to_string();
    assert!(jid.ends_with("@nope.org") && jid.len() > 40, "{j}");
    assert_eq!(
        j,
        json_error(
            "register",
            json!({"kind": "not_allowed",
            "message": format!("Can't register user {jid} at node {NODE}: not_allowed"),
            "jid": jid, "node": NODE})
        )
    );
    assert_eq!(t.users().len(), 1);
}

#[test]
fn unregister_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    assert_eq!(
        t.json(&["unregister", "Alice", "localhost"]),
        json_ok(
            "unregister",
            json!({"user": "Alice", "host": "localhost", "removed": true})
        )
    );
    assert_eq!(t.col("SELECT username FROM users"), vec!["bob"]);
    for (user, host) in [
        ("alice", "localhost"),
        ("bob", "unknown.org"),
        ("a@b", "localhost"),
    ] {
        assert_eq!(
            t.json(&["unregister", user, host]),
            json_ok(
                "unregister",
                json!({"user": user, "host": host, "removed": false})
            )
        );
    }
    assert_eq!(t.col("SELECT username FROM users"), vec!["bob"]);
}

#[test]
fn check_account_and_check_password_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "right");
    assert_eq!(
        t.json(&["check_account", "ALICE", "localhost"]),
        json_ok("check_account", json!({"jid": "alice@localhost"}))
    );
    assert_eq!(
        t.json(&["check_account", "Bob", "LocalHost"]),
        json_error(
            "check_account",
            json!({"kind": "user_not_found",
            "message": "User Bob@LocalHost does not exist", "user": "Bob", "host": "LocalHost"})
        )
    );
    assert_eq!(
        t.json(&["check_password", "Alice", "localhost", "right"]),
        json_ok("check_password", json!({"jid": "alice@localhost"}))
    );
    assert_eq!(
        t.json(&["check_password", "alice", "localhost", "wrong"]),
        json_error(
            "check_password",
            json!({"kind": "incorrect_password",
            "message": "Password for user alice@localhost is incorrect", "jid": "alice@localhost"})
        )
    );
    assert_eq!(
        t.json(&["check_password", "Nobody", "localhost", "pw"]),
        json_error(
            "check_password",
            json!({"kind": "user_not_found",
            "message": "Password for user Nobody@localhost is incorrect because this user does not exist",
            "user": "Nobody", "host": "localhost"})
        )
    );
}

#[test]
fn check_password_hash_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let args = |hash: &'static str, method: &'static str| {
        ["check_password_hash", "alice", "localhost", hash, method]
    };
    assert_eq!(
        t.json(&args("D41D8CD98F0B24E980998ECF8427E", "md5")),
        json_ok(
            "check_password_hash",
            json!({"user": "alice", "host": "localhost", "method": "md5"})
        )
    );
    assert_eq!(
        t.json(&args("00", "sha")),
        json_error(
            "check_password_hash",
            json!({"kind": "incorrect_password_hash",
            "message": "Password hash is incorrect",
            "user": "alice", "host": "localhost", "method": "sha"})
        )
    );
    assert_eq!(
        t.json(&args("00", "sha256")),
        json_error(
            "check_password_hash",
            json!({"kind": "unknown_hash_method",
            "message": "Error: \"Hash for password is undefined\"",
            "user": "alice", "host": "localhost", "method": "sha256"})
        )
    );
}

#[test]
fn change_password_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "old");
    for (user, host, pass, kind) in [
        ("alice", "localhost", "", "empty_password"),
        ("a@b", "localhost", "x", "invalid_jid"),
        ("alice", "unknown.org", "x", "not_allowed"),
        ("alice", "localhost", UNPREPARABLE, "invalid_password"),
    ] {
        assert_eq!(
            t.json(&["change_password", user, host, pass]),
            json_error(
                "change_password",
                json!({"kind": kind,
                "message": format!("Error: \"{kind}\""), "user": user, "host": host})
            )
        );
    }
    t.run(&["check_password", "alice", "localhost", "old"])
        .ok("Password for user alice@localhost is correct\n");
    assert_eq!(
        t.json(&["change_password", "ALICE", "localhost", "new"]),
        json_ok("change_password", json!({"jid": "alice@localhost"}))
    );
    t.run(&["check_password", "alice", "localhost", "new"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn ban_account_as_json() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.exec(
        "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES
            ('alice','localhost','phone',1,'n'), ('alice','localhost','tablet',2,'n')",
    );
    assert_eq!(
        t.json(&["ban_account", "alice", "unknown.org", "x"]),
        json_error(
            "ban_account",
            json!({"kind": "not_allowed",
            "message": "Error: \"not_allowed\"", "jid": "alice@unknown.org"})
        )
    );
    // The reason is part of the new password: one resourceprep rejects cannot be stored.
    assert_eq!(
        t.json(&["ban_account", "alice", "localhost", UNPREPARABLE]),
        json_error(
            "ban_account",
            json!({"kind": "invalid_password",
            "message": "Error: \"invalid_password\"", "jid": "alice@localhost"})
        )
    );
    // As in 5.1, the sessions are kicked before the password is set, also when that fails.
    assert_eq!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_sessions"),
        vec!["0"]
    );
    t.run(&["check_password", "alice", "localhost", "pw"])
        .ok("Password for user alice@localhost is correct\n");
    t.exec(
        "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES
            ('alice','localhost','phone',1,'n'), ('alice','localhost','tablet',2,'n')",
    );
    assert_eq!(
        t.json(&["ban_account", "Alice", "localhost", "spam"]),
        json_ok(
            "ban_account",
            json!({"jid": "alice@localhost", "reason": "spam", "sessions_ended": 2})
        )
    );
    assert_eq!(
        t.col("SELECT COUNT(*) FROM mongooseimctl_sessions"),
        vec!["0"]
    );
    t.run(&["check_password", "alice", "localhost", "pw"])
        .fails("Password for user alice@localhost is incorrect\n");
    assert_eq!(
        t.json(&["ban_account", "alice", "localhost", ""]),
        json_ok(
            "ban_account",
            json!({"jid": "alice@localhost", "reason": "", "sessions_ended": 0})
        )
    );
}

#[test]
fn num_active_users_as_json() {
    let t = TestEnv::new();
    t.register("a", "localhost", "pw");
    t.register("b", "localhost", "pw");
    t.run(&[
        "set_last",
        "a",
        "localhost",
        &(now_secs() - 10).to_string(),
        "",
    ]);
    assert_eq!(
        t.json(&["num_active_users", "localhost", "1"]),
        json_ok(
            "num_active_users",
            json!({"host": "localhost", "days": 1, "count": 1})
        )
    );
    assert_eq!(
        t.json(&["num_active_users", "LOCALHOST", "1"]),
        json_ok(
            "num_active_users",
            json!({"host": "LOCALHOST", "days": 1, "count": 0})
        )
    );
}

#[test]
fn delete_old_users_as_json() {
    let t = TestEnv::new();
    for u in ["alice", "bob", "fresh"] {
        t.register(u, "localhost", "pw");
    }
    t.register("eve", "example.org", "pw");
    t.run(&[
        "set_last",
        "fresh",
        "localhost",
        &now_secs().to_string(),
        "",
    ]);
    assert_eq!(
        t.json(&["delete_old_users_vhost", "LocalHost", "1"]),
        json_ok(
            "delete_old_users_vhost",
            json!({"count": 2, "users": ["alice@localhost", "bob@localhost"]})
        )
    );
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        vec!["eve", "fresh"]
    );
    assert_eq!(
        t.json(&["delete_old_users", "1"]),
        json_ok(
            "delete_old_users",
            json!({"count": 1, "users": ["eve@example.org"]})
        )
    );
    assert_eq!(
        t.json(&["delete_old_users", "1"]),
        json_ok("delete_old_users", json!({"count": 0, "users": []}))
    );
    assert_eq!(t.col("SELECT username FROM users"), vec!["fresh"]);
}

#[test]
fn delete_old_users_text_escapes_names_as_erlang_does() {
    let t = TestEnv::new();
    t.register("a\\b", "localhost", "pw");
    t.run(&["delete_old_users", "1"])
        .ok("Deleted 1 users: [{<<\"a\\\\b\">>,<<\"localhost\">>}]\n");
}

#[test]
fn import_users_as_json_lists_rows_in_file_order() {
    let t = TestEnv::new();
    t.register("taken", "localhost", "pw");
    let mut csv = String::from(
        "alice,localhost,pw1\ntaken,localhost,x\ncarl,unknown.org,x\ndan,localhost,\n\"e\"\"v\",localhost,p\none,two\n",
    );
    csv.push_str(&format!("bad,localhost,{UNPREPARABLE}\n"));
    let f = t.write("users.csv", &csv);
    let row = |line: usize, user: &str, result: &str| json!({"line": line, "user": user, "host": "localhost", "result": result});
    assert_eq!(
        t.json(&["import_users", f.to_str().unwrap()]),
        json_ok(
            "import_users",
            json!([
                row(1, "alice", "ok"),
                row(2, "taken", "exists"),
                {"line": 3, "user": "carl", "host": "unknown.org", "result": "not_allowed"},
                row(4, "dan", "null_password"),
                row(5, "e\"v", "invalid_jid"),
                {"line": 6, "user": "one,two", "fields": ["one", "two"], "result": "bad_csv"},
                row(7, "bad", "invalid_password"),
            ])
        )
    );
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        vec!["alice", "taken"]
    );
    let missing = t.path("missing.csv");
    let reason = format!("error {{read_file,\"{}\",enoent}}", missing.display());
    assert_eq!(
        t.json(&["import_users", missing.to_str().unwrap()]),
        json_crash("import_users", "read_file", &reason)
    );
}
