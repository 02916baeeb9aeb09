//! Issue 7, the CLI part: no secret in any output (item 6), terminal-safe output of hostile
//! stored data (item 7), whole integers for the bulk deletions (item 11), and the remote-control
//! contract: `--auth USER HOST PASSWORD` with `general.mongooseimctl_access_commands`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::support::{now_secs, run_cmd, Run, TestEnv, DEFAULT_CONFIG};

/// A distinctive password: it must appear in no output.
const SECRET: &str = "Zq9-S3cr3t-pw";

#[track_caller]
fn secret_free(r: &Run, secret: &str) {
    assert!(
        !r.stdout.contains(secret) && !r.stderr.contains(secret),
        "the password leaked: {r:?}"
    );
}

/// No raw control character a terminal could act on (TAB and LF are 5.1's separators).
#[track_caller]
fn terminal_safe(s: &str) {
    let bad: Vec<char> = s
        .chars()
        .filter(|&c| matches!(c, '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}'))
        .collect();
    assert!(bad.is_empty(), "raw control characters {bad:?} in {s:?}");
}

// ---- item 6: no argument value that may be a secret in any message ------------------------

#[test]
fn a_non_utf8_argument_is_named_by_position_never_echoed() {
    let t = TestEnv::new();
    let mut pw = format!("{SECRET}\x1b]0;x\x07\r").into_bytes();
    pw.push(0xff);
    let r = run_cmd(
        t.bare_cmd()
            .env("MONGOOSEIM_CONFIG", &t.config)
            .env("MONGOOSEIM_STORE", &t.store)
            .args(["register_identified", "u3", "localhost"])
            .arg(OsString::from_vec(pw)),
    );
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            2,
            "",
            "error: argument 4 (counting from 1 after the program name) is not valid UTF-8; its value is not shown\n"
        )
    );
    // Nothing was done: the store was not even created.
    assert!(!t.store.exists());
}

#[test]
fn an_unbalanced_xml_password_is_not_echoed() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "old");
    let pw = format!("<{SECRET}");
    let r = t.run(&["change_password", "alice", "localhost", &pw]);
    r.fails("Problem 'error: argument 3 of the command starts with < but its angle brackets do not balance and no argument follows to complete it (its value is not shown)' occurred executing the command.\n");
    secret_free(&r, SECRET);
    t.run(&["check_password", "alice", "localhost", "old"])
        .ok("Password for user alice@localhost is correct\n");
}

#[test]
fn no_password_in_any_output_at_trace_level() {
    let t = TestEnv::new();
    let invalid = format!("{SECRET}\x07"); // fails SCRAM's resourceprep
    let run = |args: &[&str], stdin: &str| {
        run_cmd(
            t.cmd()
                .env("MONGOOSEIMCTL_LOG", "trace")
                .args(args)
                .write_stdin(stdin),
        )
    };
    let checked = |r: Run, code: i32, stdout: &str| {
        secret_free(&r, SECRET);
        r.is(code, stdout);
        r
    };
    let r = checked(
        run(&["register_identified", "alice", "localhost", SECRET], ""),
        0,
        "User alice@localhost successfully registered\n",
    );
    // Trace logging is on: the test would see a leak in the logs.
    r.stderr_has("store opened");
    let r = run(&["register", "localhost", SECRET], "");
    secret_free(&r, SECRET);
    assert_eq!(r.code, 0, "{r:?}");
    checked(
        run(&["register_identified", "bad", "localhost", &invalid], ""),
        1,
        "Can't register user bad@localhost at node mongooseim@localhost: invalid_password\n",
    );
    // Wrong arity: the block names the arguments, never their values.
    let r = run(&["register_identified", "carol", SECRET], "");
    secret_free(&r, SECRET);
    assert!(r.stdout.contains("requires 1 more argument"), "{r:?}");
    let r = run(
        &["change_password", "alice", "localhost", SECRET, SECRET],
        "",
    );
    secret_free(&r, SECRET);
    assert!(r.stdout.contains("requires 1 less argument"), "{r:?}");
    checked(
        run(&["change_password", "alice", "localhost", &invalid], ""),
        1,
        "Error: \"invalid_password\"\n",
    );
    checked(
        run(&["check_password", "alice", "localhost", SECRET], ""),
        0,
        "Password for user alice@localhost is correct\n",
    );
    checked(
        run(
            &["check_password", "alice", "localhost", "-"],
            &format!("{SECRET}\n"),
        ),
        0,
        "Password for user alice@localhost is correct\n",
    );
    checked(
        run(
            &[
                "check_password",
                "alice",
                "localhost",
                &format!("{SECRET}x"),
            ],
            "",
        ),
        1,
        "Password for user alice@localhost is incorrect\n",
    );
    checked(
        run(&["check_password", "nobody", "localhost", SECRET], ""),
        1,
        "Password for user nobody@localhost is incorrect because this user does not exist\n",
    );
    checked(
        run(
            &["change_password", "alice", "localhost", "-"],
            &format!("{SECRET}2\n"),
        ),
        0,
        "Password for user alice@localhost successfully changed\n",
    );
    checked(
        run(&["ban_account", "alice", "localhost", "spam"], ""),
        0,
        "User alice@localhost successfully banned with reason: spam\n",
    );
    let csv = t.write(
        "users.csv",
        &format!("dave,localhost,{SECRET}\nerin,localhost,{invalid}\ndave,localhost,{SECRET}\n"),
    );
    checked(
        run(&["import_users", csv.to_str().unwrap_or_default()], ""),
        0,
        "ok\tdave\ninvalid_password\terin\nexists\tdave\n",
    );
    let mut users = t.users();
    users.retain(|u| !u.contains('-'));
    assert_eq!(users, ["alice@localhost", "dave@localhost"]);
}

#[test]
fn a_banned_plain_account_s_new_password_is_not_printed() {
    let t = TestEnv::with_config(
        &DEFAULT_CONFIG.replace("password.format = \"scram\"", "password.format = \"plain\""),
    );
    t.register("alice", "localhost", SECRET);
    let r = run_cmd(t.cmd().env("MONGOOSEIMCTL_LOG", "trace").args([
        "ban_account",
        "alice",
        "localhost",
        "spam",
    ]));
    r.ok("User alice@localhost successfully banned with reason: spam\n");
    let stored = t.col("SELECT password FROM users WHERE username = 'alice'");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], SECRET);
    secret_free(&r, SECRET);
    secret_free(&r, &stored[0]);
}

// ---- item 7: control characters are escaped in text and table output ---------------------

/// A nick a hostile client could have stored: retitles and clears the terminal.
const HOSTILE_SQL: &str =
    "'N' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(13) || char(9) || 'x'";

#[test]
fn stored_roster_nicks_are_escaped_in_text_and_table_output() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    // Written by something else: ESC, BEL, CR and a TAB inside the value.
    t.exec(&format!(
        "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
         VALUES ('localhost', 'alice', 'carol@localhost', {HOSTILE_SQL}, 'B', 'N', '')"
    ));
    // Through the command: C1 CSI and DEL (both XML 1.0 characters).
    t.run(&[
        "add_rosteritem",
        "alice",
        "localhost",
        "bob",
        "localhost",
        "B\u{9b}2J\u{7f}",
        "G",
        "both",
    ])
    .ok("Added the item to the roster of alice@localhost\n");
    // text: 5.1's bytes, control characters escaped; TAB inside a value stays (5.1 prints values
    // raw and TAB is its field separator).
    t.run(&["get_roster", "alice", "localhost"])
        .ok("bob@localhost\tB\\u{9b}2J\\u{7f}\tboth\tnone\tG\n\
         carol@localhost\tN\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{d}\tx\tboth\tnone\t\n");
    // table: every control character but LF escaped, TAB included.
    let r = t.run(&["-o", "table", "get_roster", "alice", "localhost"]);
    assert_eq!(r.code, 0, "{r:?}");
    terminal_safe(&r.stdout);
    assert!(!r.stdout.contains('\t'), "{}", r.stdout);
    assert!(
        r.stdout.contains("│ bob@localhost   ┆ B\\u{9b}2J\\u{7f}  "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("┆ N\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{d}\\u{9}x ┆"),
        "{}",
        r.stdout
    );
    // json: lossless (JSON escapes), DEL and C1 escaped too.
    let r = t.run(&["-o", "json", "get_roster", "alice", "localhost"]);
    terminal_safe(&r.stdout);
    assert!(r.stdout.contains("\"B\\u009b2J\\u007f\""), "{}", r.stdout);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(doc["result"][0]["nick"], "B\u{9b}2J\u{7f}");
    assert_eq!(doc["result"][1]["nick"], "N\x1b]0;pwned\x07\x1b[2J\r\tx");
    // The store keeps the data as given.
    assert_eq!(
        t.col("SELECT hex(nick) FROM rosterusers ORDER BY jid"),
        ["42C29B324A7F", "4E1B5D303B70776E6564071B5B324A0D0978"]
    );
}

#[test]
fn stored_vcard_values_are_escaped_in_text_and_table_output() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    // ROLE is not a search field: stored as given.
    t.run(&[
        "set_vcard",
        "alice",
        "localhost",
        "ROLE",
        "r\u{9b}31m\u{7f}x",
    ])
    .ok("");
    t.run(&["get_vcard", "alice", "localhost", "ROLE"])
        .ok("r\\u{9b}31m\\u{7f}x\n");
    t.run(&["-o", "table", "get_vcard", "alice", "localhost", "ROLE"])
        .ok("r\\u{9b}31m\\u{7f}x\n");
    let r = t.run(&["-o", "json", "get_vcard", "alice", "localhost", "ROLE"]);
    terminal_safe(&r.stdout);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(doc["result"]["value"], "r\u{9b}31m\u{7f}x");
}

#[test]
fn messages_on_stderr_are_escaped_too() {
    let t = TestEnv::new();
    let name = "users\x1b[2J\x07.csv";
    std::fs::write(t.path(name), b"a,localhost,\xff\n").expect("write");
    let r = t.run(&["import_users", t.path(name).to_str().unwrap_or_default()]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{r:?}");
    terminal_safe(&r.stderr);
    r.stderr_has("users\\u{1b}[2J\\u{7}.csv is not valid UTF-8");
}

// ---- item 11: whole integers for the bulk deletions --------------------------------------

/// alice and bob never logged in (any `delete_old_users N` deletes them); one offline message
/// 10 days old on localhost.
fn deletable(t: &TestEnv) {
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    let ten_days_ago = (now_secs() - 10 * 86_400) * 1_000_000;
    t.exec(&format!(
        "INSERT INTO offline_message (timestamp, expire, server, username, from_jid, packet) \
         VALUES ({ten_days_ago}, NULL, 'localhost', 'alice', 'b@localhost', '<message/>')"
    ));
}

#[test]
fn bulk_deletions_refuse_integers_that_are_not_whole() {
    let t = TestEnv::new();
    deletable(&t);
    let forms = [
        ("1,000", 1),
        ("1e9", 1),
        ("1.5", 1),
        (" 7", 7),
        ("+3", 3),
        ("7abc", 7),
        ("2 ", 2),
    ];
    for (form, read_as) in forms {
        for (cmd, args) in [
            ("delete_old_users", vec![form]),
            ("delete_old_users_vhost", vec!["localhost", form]),
            ("delete_old_messages", vec!["localhost", form]),
        ] {
            let mut words = vec![cmd];
            words.extend(&args);
            let r = t.run(&words);
            assert_eq!(
                (r.code, r.stdout.as_str(), r.stderr.as_str()),
                (
                    1,
                    "",
                    format!(
                        "error: {cmd}: argument days must be a whole integer (digits only), got \"{form}\"; \
                         mongooseimctl 5.1 would read it as {read_as}. Nothing was deleted. Pass \
                         --legacy-integers (or MONGOOSEIMCTL_LEGACY_INTEGERS=1) to accept 5.1's reading\n"
                    )
                    .as_str()
                ),
                "{cmd} {form:?}"
            );
        }
    }
    assert_eq!(t.users(), ["alice@localhost", "bob@localhost"]);
    assert_eq!(t.col("SELECT count(*) FROM offline_message"), ["1"]);
    let doc = t.json(&["delete_old_users", "1,000"]);
    assert_eq!(doc["error"]["kind"], "invalid_input");
    assert_eq!(t.users(), ["alice@localhost", "bob@localhost"]);
    // No digits at all stays 5.1's crash.
    t.run(&["delete_old_users", "x"]).fails(
        "Problem 'error: argument days is not an integer: \"x\"' occurred executing the command.\n",
    );
    // Other integer arguments keep 5.1's reading.
    t.run(&["num_active_users", "localhost", "1,000"]).ok("0\n");
    assert_eq!(t.users(), ["alice@localhost", "bob@localhost"]);
}

#[test]
fn legacy_integers_restore_the_leading_digits_reading() {
    let t = TestEnv::new();
    deletable(&t);
    t.run(&[
        "--legacy-integers",
        "delete_old_messages",
        "localhost",
        "1,000",
    ])
    .ok("Removed 1 messages\n");
    assert_eq!(t.col("SELECT count(*) FROM offline_message"), ["0"]);
    let r = run_cmd(
        t.cmd()
            .env("MONGOOSEIMCTL_LEGACY_INTEGERS", "1")
            .args(["delete_old_users", "1e9"]),
    );
    r.ok("Deleted 2 users: [{<<\"alice\">>,<<\"localhost\">>},{<<\"bob\">>,<<\"localhost\">>}]\n");
    assert!(t.users().is_empty());
    // Whole integers need no flag.
    deletable(&t);
    t.run(&["delete_old_users_vhost", "localhost", "1"]).ok(
        "Deleted 2 users: [{<<\"alice\">>,<<\"localhost\">>},{<<\"bob\">>,<<\"localhost\">>}]\n",
    );
    // `0` or `false` in the variable is no.
    deletable(&t);
    let r = run_cmd(
        t.cmd()
            .env("MONGOOSEIMCTL_LEGACY_INTEGERS", "0")
            .args(["delete_old_users", "1e9"]),
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(t.users(), ["alice@localhost", "bob@localhost"]);
}

// ---- --auth and general.mongooseimctl_access_commands ------------------------------------

const ADMIN_PW: &str = "Adm1n-Zq9-pw";
const BOB_PW: &str = "B0b-Zq9-pw";

/// DEFAULT_CONFIG plus access control: anyone may list localhost's users; the `ctl_admins`
/// rule (the ACL class `admins`: user `admin`) may also read rosters, check passwords and
/// purge localhost.
fn access_config() -> String {
    format!(
        "{DEFAULT_CONFIG}
[general.mongooseimctl_access_commands.all]
  commands = [\"registered_users\"]
  argument_restrictions.host = \"localhost\"
[general.mongooseimctl_access_commands.ctl_admins]
  commands = [\"registered_users\", \"get_roster\", \"check_password\", \"delete_old_users_vhost\"]
  argument_restrictions.host = \"localhost\"
[acl]
  admins = [{{user = \"admin\"}}]
[access]
  ctl_admins = [{{acl = \"admins\", value = \"allow\"}}]
"
    )
}

/// A store prepared without access control (its own config file): admin (recently active),
/// bob (never logged in, with a roster item) and eve on example.org.
fn access_env() -> TestEnv {
    access_env_with(&access_config())
}

fn access_env_with(config: &str) -> TestEnv {
    let t = TestEnv::with_config(config);
    let open = t.write("open.toml", DEFAULT_CONFIG);
    let setup = |args: &[&str]| {
        let r = run_cmd(
            t.bare_cmd()
                .arg("-c")
                .arg(&open)
                .arg("--store")
                .arg(&t.store)
                .args(args),
        );
        assert_eq!(r.code, 0, "{args:?}: {r:?}");
    };
    setup(&["register_identified", "admin", "localhost", ADMIN_PW]);
    setup(&["register_identified", "bob", "localhost", BOB_PW]);
    setup(&["register_identified", "eve", "example.org", "pw"]);
    setup(&[
        "set_last",
        "admin",
        "localhost",
        &now_secs().to_string(),
        "",
    ]);
    setup(&[
        "add_rosteritem",
        "admin",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "G",
        "both",
    ]);
    t
}

fn users_before(t: &TestEnv) {
    assert_eq!(
        t.users(),
        ["eve@example.org", "admin@localhost", "bob@localhost"]
    );
}

#[test]
fn without_rules_auth_is_ignored_and_its_dash_reads_nothing() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "--auth",
        "nobody",
        "nowhere",
        SECRET,
        "registered_users",
        "localhost",
    ])
    .ok("alice\n");
    // The command's own `-` gets the first stdin line.
    let r = t.run_stdin(
        &[
            "--auth",
            "nobody",
            "nowhere",
            "-",
            "check_password",
            "alice",
            "localhost",
            "-",
        ],
        "pw\n",
    );
    r.ok("Password for user alice@localhost is correct\n");
    secret_free(&r, SECRET);
}

#[test]
fn the_all_rule_allows_anyone_within_its_commands_and_restrictions() {
    let t = access_env();
    t.run(&["registered_users", "localhost"]).ok("admin\nbob\n");
    // Built-ins are not access-checked (5.1 matches them before the auth prefix).
    assert_eq!(t.run(&["status"]).code, 0);
    // Another command, or another value of a restricted argument: refused.
    t.run(&["get_roster", "admin", "localhost"])
        .fails("Error: \"account_unprivileged\"\n");
    t.run(&["registered_users", "example.org"])
        .fails("Error: \"account_unprivileged\"\n");
    t.run(&["delete_old_users_vhost", "localhost", "30"])
        .fails("Error: \"account_unprivileged\"\n");
    users_before(&t);
    let doc = t.json(&["get_roster", "admin", "localhost"]);
    assert_eq!(
        doc,
        serde_json::json!({"command": "get_roster", "ok": false, "error": {
            "kind": "account_unprivileged", "message": "Error: \"account_unprivileged\""}})
    );
}

#[test]
fn a_privileged_account_is_allowed_with_its_password() {
    let t = access_env();
    let r = t.run(&[
        "--auth",
        "admin",
        "localhost",
        ADMIN_PW,
        "get_roster",
        "admin",
        "localhost",
    ]);
    r.ok("bob@localhost\tBob\tboth\tnone\tG\n");
    secret_free(&r, ADMIN_PW);
    // `-` reads the --auth password first, then the command's own secret.
    let r = t.run_stdin(
        &[
            "--auth",
            "admin",
            "localhost",
            "-",
            "check_password",
            "bob",
            "localhost",
            "-",
        ],
        &format!("{ADMIN_PW}\n{BOB_PW}\n"),
    );
    r.ok("Password for user bob@localhost is correct\n");
    secret_free(&r, ADMIN_PW);
    // The grouped form is checked the same way.
    t.run(&[
        "--auth",
        "admin",
        "LocalHost",
        ADMIN_PW,
        "roster",
        "get_roster",
        "admin",
        "localhost",
    ])
    .ok("bob@localhost\tBob\tboth\tnone\tG\n");
    // The effect happens only when allowed: bob never logged in.
    t.run(&[
        "--auth",
        "admin",
        "localhost",
        ADMIN_PW,
        "delete_old_users_vhost",
        "localhost",
        "30",
    ])
    .ok("Deleted 1 users: [{<<\"bob\">>,<<\"localhost\">>}]\n");
    assert_eq!(t.users(), ["eve@example.org", "admin@localhost"]);
}

#[test]
fn bad_credentials_are_invalid_account_data_and_change_nothing() {
    let t = access_env();
    let purge = ["delete_old_users_vhost", "localhost", "30"];
    let with = |user: &str, host: &str, pw: &str| {
        let mut words = vec!["--auth", user, host, pw];
        words.extend(purge);
        let r = t.run(&words);
        secret_free(&r, SECRET);
        r
    };
    with("admin", "localhost", SECRET).fails("Error: \"invalid_account_data\"\n");
    with("nobody", "localhost", SECRET).fails("Error: \"invalid_account_data\"\n");
    with("admin", "unknown.org", SECRET).fails("Error: \"invalid_account_data\"\n");
    with("a b", "localhost", SECRET).fails("Error: \"invalid_account_data\"\n");
    // 5.1 compares with the stored plain column, empty for SCRAM accounts: not here.
    with("admin", "localhost", "").fails("Error: \"invalid_account_data\"\n");
    // Bad credentials are refused even for a command the `all` rule allows (5.1 checks them
    // whenever a rule needs them).
    let r = t.run(&[
        "--auth",
        "admin",
        "localhost",
        SECRET,
        "registered_users",
        "localhost",
    ]);
    r.fails("Error: \"invalid_account_data\"\n");
    secret_free(&r, SECRET);
    let r = t.run_stdin(
        &[
            "--auth",
            "admin",
            "localhost",
            "-",
            "get_roster",
            "admin",
            "localhost",
        ],
        &format!("{SECRET}\n"),
    );
    r.fails("Error: \"invalid_account_data\"\n");
    secret_free(&r, SECRET);
    let doc = t.json(&[
        "--auth",
        "admin",
        "localhost",
        SECRET,
        "get_roster",
        "admin",
        "localhost",
    ]);
    assert_eq!(doc["error"]["kind"], "invalid_account_data");
    assert!(!doc.to_string().contains(SECRET));
    users_before(&t);
}

#[test]
fn an_account_the_acl_does_not_list_or_a_restricted_value_is_unprivileged() {
    let t = access_env();
    // bob's password is right, but the ACL class `admins` is only `admin`.
    t.run(&[
        "--auth",
        "bob",
        "localhost",
        BOB_PW,
        "delete_old_users_vhost",
        "localhost",
        "30",
    ])
    .fails("Error: \"account_unprivileged\"\n");
    // admin, but a command outside the rule's list.
    t.run(&[
        "--auth",
        "admin",
        "localhost",
        ADMIN_PW,
        "unregister",
        "bob",
        "localhost",
    ])
    .fails("Error: \"account_unprivileged\"\n");
    // admin, but the restricted argument has another value.
    t.run(&[
        "--auth",
        "admin",
        "localhost",
        ADMIN_PW,
        "delete_old_users_vhost",
        "example.org",
        "30",
    ])
    .fails("Error: \"account_unprivileged\"\n");
    users_before(&t);
    // Unknown commands and wrong arity are reported before the access check, as in 5.1.
    t.run(&["--auth", "admin", "localhost", ADMIN_PW, "no_such_command"])
        .fails("Error: command \"no_such_command\" not known.\n");
    let r = t.run(&[
        "--auth",
        "admin",
        "localhost",
        ADMIN_PW,
        "get_roster",
        "admin",
    ]);
    assert!(r.stdout.contains("requires 1 more argument"), "{r:?}");
}

#[test]
fn the_md5_of_a_plain_password_is_accepted_as_in_5_1() {
    let config =
        access_config().replace("password.format = \"scram\"", "password.format = \"plain\"");
    let t = TestEnv::with_config(&config);
    let open = t.write(
        "open.toml",
        &DEFAULT_CONFIG.replace("\"scram\"", "\"plain\""),
    );
    let r = run_cmd(
        t.bare_cmd()
            .arg("-c")
            .arg(&open)
            .arg("--store")
            .arg(&t.store)
            .args(["register_identified", "admin", "localhost", "secret"]),
    );
    assert_eq!(r.code, 0, "{r:?}");
    // md5("secret") in the hex quirk (commands.md §2.6).
    t.run(&[
        "--auth",
        "admin",
        "localhost",
        "5EBE2294ECD0E0F08EAB7690D2A6EE69",
        "get_roster",
        "admin",
        "localhost",
    ])
    .ok("");
    t.run(&[
        "--auth",
        "admin",
        "localhost",
        "secret",
        "get_roster",
        "admin",
        "localhost",
    ])
    .ok("");
    t.run(&[
        "--auth",
        "admin",
        "localhost",
        "5ebe2294ecd0e0f08eab7690d2a6ee69",
        "get_roster",
        "admin",
        "localhost",
    ])
    .fails("Error: \"invalid_account_data\"\n");
}

/// A batch's lines are access-checked as the commands they are, with the batch's `--auth`
/// (or a line's own): a batch is no way around the rules.
#[test]
fn batch_lines_are_access_checked_with_the_batch_credentials() {
    let config = access_config().replace(
        "commands = [\"registered_users\"]",
        "commands = [\"registered_users\", \"batch\"]",
    );
    let t = access_env_with(&config);
    let file = t.write(
        "batch.txt",
        &format!(
            "registered_users localhost\n\
             get_roster admin localhost\n\
             unregister bob localhost\n\
             --auth admin localhost {ADMIN_PW} get_roster admin localhost\n"
        ),
    );
    let file = file.to_str().unwrap();
    let r = t.run(&[
        "--auth",
        "admin",
        "localhost",
        ADMIN_PW,
        "batch",
        file,
        "--continue",
    ]);
    r.fails(
        "1\tok\tadmin bob\n\
         2\tok\tbob@localhost\tBob\tboth\tnone\tG\n\
         3\terror\tError: \"account_unprivileged\"\n\
         4\tok\tbob@localhost\tBob\tboth\tnone\tG\n",
    );
    secret_free(&r, ADMIN_PW);
    let r = t.run(&["batch", file, "--continue"]);
    r.fails(
        "1\tok\tadmin bob\n\
         2\terror\tError: \"account_unprivileged\"\n\
         3\terror\tError: \"account_unprivileged\"\n\
         4\tok\tbob@localhost\tBob\tboth\tnone\tG\n",
    );
    secret_free(&r, ADMIN_PW);
    users_before(&t);
}
