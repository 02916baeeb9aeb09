//! Core commands, the command-line contract (unknown command, arity, help, exit codes) and
//! store failures.

use serde_json::json;

use crate::support::*;

#[test]
fn no_arguments_prints_usage_and_exits_2() {
    let t = TestEnv::new();
    let r = t.run(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.starts_with("Usage: mongooseimctl [--node nodename] [--auth user host password] command [options]\n\nAvailable commands in this MongooseIM node:\n"), "{}", r.stdout);
    assert!(r
        .stdout
        .contains("\n  check_account user host \n        Check if an account exists or not \n"));
    let r = t.run(&["help"]);
    assert_eq!(r.code, 2);
}

#[test]
fn unknown_command_exits_1_with_the_legacy_text() {
    let t = TestEnv::new();
    t.run(&["registered_vhosts"])
        .fails("Error: command \"registered_vhosts\" not known.\n");
    t.run(&["srg_list", "localhost"])
        .fails("Error: command \"srg_list\" not known.\n");
    t.run(&["--node", "mongooseim@host", "restart"])
        .fails("Error: command \"--node\" not known.\n");
    t.run(&["a\"b"])
        .fails("Error: command \"a\\\"b\" not known.\n");
    let r = t.run(&["registerd_users", "localhost"]);
    r.fails("Error: command \"registerd_users\" not known.\n")
        .stderr_has("registered_users");
}

#[test]
fn wrong_argument_count_prints_help_block_twice() {
    let t = TestEnv::new();
    t.run(&["check_account", "alice"]).fails(
        "\nError: the command \"check_account\" requires 1 more argument.\n\n  Command Name: check_account\n\n  Arguments: user::binary\n             host::binary\n             \n  Returns: res::restuple\n\n  Tags: accounts \n\n  Description: Check if an account exists or not \n\nError: the command \"check_account\" requires 1 more argument.\n",
    );
    let r = t.run(&["check_account", "a", "b", "c", "d"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .starts_with("\nError: the command \"check_account\" requires 2 less argument.\n"));
    let r = t.run(&["status", "x"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .starts_with("\nError: the command \"status\" requires 1 less argument.\n"));
    assert!(t.users().is_empty());
}

#[test]
fn help_for_one_command_and_globs() {
    let t = TestEnv::new();
    t.run(&["help", "check-account"]).ok(
        "\n  Command Name: check_account\n\n  Arguments: user::binary\n             host::binary\n             \n  Returns: res::restuple\n\n  Tags: accounts \n\n  Description: Check if an account exists or not \n\n",
    );
    let r = t.run(&["help", "regist*"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("Command Name: register\n")
            && r.stdout.contains("Command Name: registered_users\n")
    );
    assert!(r
        .stdout
        .contains(" ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ \n"));
    let r = t.run(&["help", "--tags"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("Available tags and commands:\n\n  accounts\n     ban_account change_password check_account check_password \n"), "{}", r.stdout);
    let r = t.run(&["help", "--tags", "last"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("Available commands with tag last:\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("  set_last user host timestamp status \n"),
        "{}",
        r.stdout
    );
    t.run(&["help", "nothing_like_this"])
        .ok("Error: no command found that match: \"nothing_like_this\"\n");
}

#[test]
fn clap_help_lists_groups_and_group_help_lists_commands() {
    let t = TestEnv::new();
    let r = t.run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("accounts") && r.stdout.contains("--config"),
        "{}",
        r.stdout
    );
    // The tree follows the config: a disabled group is not listed.
    let only_roster = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[services.service_admin_extra]\nsubmods = [\"roster\"]\n",
    );
    let r = only_roster.run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("Rosters: items") && !r.stdout.contains("Account management"),
        "{}",
        r.stdout
    );
    let r = t.run(&["accounts", "--help"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("check_account") && r.stdout.contains("change_password"),
        "{}",
        r.stdout
    );
    let r = t.run(&["check_account", "--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("<USER>") && r.stdout.contains("<HOST>"),
        "{}",
        r.stdout
    );
    let r = t.run(&["help", "accounts"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("check_password_hash"));
}

#[test]
fn status_names_config_and_store() {
    // The pid and the store's description differ on the PostgreSQL twin.
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    let r = t.run(&["status"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .starts_with("MongooseIM node mongooseim@localhost:\n    operating system pid: "),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains(&format!("    config: {}\n", t.config.display())));
    assert!(r
        .stdout
        .contains(&format!("    store: {}\n", t.store.display())));
    assert!(r.stdout.contains("    uptime: 0 days 00:00:0"));
}

#[test]
fn status_without_config_uses_builtin_defaults() {
    let t = TestEnv::new();
    let r = run_cmd(t.bare_cmd().args(["-o", "text", "status"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("    config: built-in defaults"),
        "{}",
        r.stdout
    );
    let default_store = t.dir.path().join("xdg-data/mongooseimctl/mongooseim.db");
    assert!(
        r.stdout
            .contains(&format!("    store: {}\n", default_store.display())),
        "{}",
        r.stdout
    );
    assert!(default_store.exists());
    // ./mongooseim.toml is picked up from the working directory.
    let local = t.dir.path().join("mongooseim.toml");
    std::fs::copy(&t.config, &local).unwrap();
    let r = run_cmd(t.bare_cmd().args(["-o", "text", "status"]));
    assert!(
        r.stdout
            .contains(&format!("    config: {}\n", local.display())),
        "{}",
        r.stdout
    );
}

#[test]
fn environment_variables_set_config_store_and_output() {
    let t = TestEnv::new();
    let r = run_cmd(
        t.bare_cmd()
            .env("MONGOOSEIM_CONFIG", &t.config)
            .env("MONGOOSEIM_STORE", &t.store)
            .env("MONGOOSEIMCTL_OUTPUT", "json")
            .args(["register_identified", "alice", "localhost", "pw"]),
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "{\"command\":\"register_identified\",\"ok\":true,\"result\":{\"jid\":\"alice@localhost\"}}\n");
    assert_eq!(t.col("SELECT username FROM users"), vec!["alice"]);
}

#[test]
fn get_loglevel_follows_the_config() {
    let t = TestEnv::new();
    t.run(&["get_loglevel"])
        .ok("global loglevel is 4, which means 'warning'\n");
    let t = TestEnv::with_config("[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\nloglevel = \"debug\"\n");
    t.run(&["get_loglevel"])
        .ok("global loglevel is 7, which means 'debug'\n");
}

#[test]
fn s2s_counters_are_zero() {
    let t = TestEnv::new();
    t.run(&["incoming_s2s_number"]).ok("0\n");
    t.run(&["outgoing_s2s_number"]).ok("0\n");
}

/// Four offline messages: on localhost one 10 days old, one expired and one expiring
/// tomorrow; one 10 days old on example.org.
fn insert_offline_messages(t: &TestEnv) {
    let now = now_secs() * 1_000_000;
    let day = 86_400_000_000i64;
    t.exec(&format!(
        "INSERT INTO offline_message (timestamp, expire, server, username, from_jid, packet) VALUES
         ({old}, NULL, 'localhost', 'alice', 'b@localhost', '<message/>'),
         ({new}, {past}, 'localhost', 'alice', 'b@localhost', '<message/>'),
         ({new}, {future}, 'localhost', 'alice', 'b@localhost', '<message/>'),
         ({old}, NULL, 'example.org', 'x', 'b@localhost', '<message/>')",
        old = now - 10 * day,
        new = now,
        past = now - 1000,
        future = now + day
    ));
}

#[test]
fn offline_message_purges() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    insert_offline_messages(&t);
    t.run(&["delete_expired_messages", "localhost"])
        .ok("Removed 1 messages\n");
    t.run(&["delete_expired_messages", "localhost"])
        .ok("Removed 0 messages\n");
    t.run(&["delete_old_messages", "localhost", "5"])
        .ok("Removed 1 messages\n");
    assert_eq!(
        t.col("SELECT server FROM offline_message ORDER BY id"),
        vec!["localhost", "example.org"]
    );
    t.run(&["delete_old_messages", "LOCALHOST", "5"])
        .fails("Error: \"Unknown domain\"\n");
    t.run(&["delete_expired_messages", "unknown.org"])
        .fails("Error: \"Unknown domain\"\n");
    let r = t.run(&["delete_old_messages", "localhost", ""]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("Problem '"));
    // 5.1's leading-digits integers, on a destructive command: only with --legacy-integers
    // (issue 7; tests/cli/security.rs covers the refusal).
    t.run(&[
        "--legacy-integers",
        "delete_old_messages",
        "localhost",
        "0days",
    ])
    .ok("Removed 1 messages\n");
}

#[test]
fn user_resources_lists_recorded_sessions_sorted() {
    let t = TestEnv::new();
    t.exec("INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES
            ('alice','localhost','tablet',1,'n'), ('alice','localhost','Phone',2,'n'), ('bob','localhost','x',3,'n')");
    t.run(&["user_resources", "Alice", "localhost"])
        .ok("Phone\ntablet\n");
    t.run(&["user_resources", "nobody", "localhost"]).ok("");
    let r = t.run(&["user_resources", "a@b", "localhost"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("Problem '"));
}

#[test]
fn node_only_commands_answer_with_a_clear_error() {
    let t = TestEnv::new();
    for args in [
        vec!["backup", "/tmp/x"],
        vec!["restore", "/tmp/x"],
        vec!["dump", "/tmp/x"],
        vec!["dump_table", "/tmp/x", "users"],
        vec!["load", "/tmp/x"],
        vec!["install_fallback", "/tmp/x"],
        vec!["set_master", "self"],
        vec!["mnesia_change_nodename", "a", "b", "c", "d"],
        vec!["join_cluster", "mim@other"],
        vec!["leave_cluster"],
        vec!["remove_from_cluster", "mim@other"],
    ] {
        let r = t.run(&args);
        assert_eq!(r.code, 1, "{args:?}");
        assert!(
            r.stdout.starts_with(&format!(
                "Error: \"{} needs a running MongooseIM node",
                args[0]
            )),
            "{}",
            r.stdout
        );
    }
    t.run(&["restart"]).ok("");
    t.run(&["stop"]).ok("");
    t.run(&["started"]).ok("");
    t.run(&["mnesia"]).fails(
        "Error: \"mnesia needs a running MongooseIM node; this mongooseimctl has no Mnesia\"\n",
    );
    t.run(&["mnesia", "info"]).fails(
        "Error: \"mnesia needs a running MongooseIM node; this mongooseimctl has no Mnesia\"\n",
    );
    t.run(&["stopped"]).ok("");
    t.run(&["stop", "now"])
        .fails("Error: command \"stop\" not known.\n");
}

#[test]
fn corrupt_store_exits_3_and_is_left_alone() {
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    std::fs::write(
        &t.store,
        b"this is not a database, just some bytes that are long enough............................",
    )
    .unwrap();
    let r = t.run(&["check_account", "a", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    assert!(
        r.stderr.contains("store unavailable") && r.stderr.contains("not an SQLite database"),
        "{}",
        r.stderr
    );
    assert!(std::fs::read(&t.store)
        .unwrap()
        .starts_with(b"this is not a database"));
}

#[test]
fn unwritable_store_location_exits_3() {
    let t = TestEnv::new();
    let blocker = t.write("file", "x");
    let r = run_cmd(
        t.cmd()
            .arg("--store")
            .arg(blocker.join("sub/store.db"))
            .args(["register_identified", "a", "localhost", "pw"]),
    );
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("store unavailable"), "{}", r.stderr);
}

#[test]
fn locked_store_exits_3_after_the_busy_timeout() {
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    t.register("alice", "localhost", "pw");
    let conn = rusqlite::Connection::open(&t.store).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let r = t.run(&["register_identified", "bob", "localhost", "pw"]);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("locked"), "{}", r.stderr);
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(t.col("SELECT username FROM users"), vec!["alice"]);
}

#[test]
fn pgsql_pool_that_cannot_be_reached_exits_3() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n[outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"db\"\ndatabase = \"mim\"\nusername = \"mim\"\npassword = \"secret\"\n",
    );
    let r = run_cmd(t.bare_cmd().args([
        "-c",
        t.config.to_str().unwrap(),
        "-o",
        "text",
        "register_identified",
        "a",
        "localhost",
        "pw",
    ]));
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.starts_with(
            "error: store unavailable: cannot connect to PostgreSQL at db:5432 (database mim): "
        ) && r.stderr.lines().count() == 1
            && !r.stderr.contains("secret"),
        "{}",
        r.stderr
    );
}

#[test]
fn sqlite_pool_in_config_locates_the_store() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n[outgoing_pools.rdbms.default.connection]\ndriver = \"sqlite\"\ndatabase = \"data/mim.db\"\n",
    );
    let r = run_cmd(t.bare_cmd().args([
        "-c",
        t.config.to_str().unwrap(),
        "-o",
        "text",
        "register_identified",
        "a",
        "localhost",
        "pw",
    ]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(t.dir.path().join("data/mim.db").exists());
}

#[test]
fn bad_global_flag_is_a_usage_error() {
    let t = TestEnv::new();
    let r = t.run(&["-o", "xml", "status"]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = run_cmd(t.bare_cmd().arg("--version"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("mongooseimctl "));
    // With -o json, the version is a success document like every other text.
    let version = format!("mongooseimctl {}\n", env!("CARGO_PKG_VERSION"));
    for args in [
        &["--version", "-o", "json"][..],
        &["--output=json", "--version"],
    ] {
        let r = run_cmd(t.bare_cmd().args(args));
        assert_eq!(r.code, 0, "{r:?}");
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
        assert_eq!(
            doc,
            serde_json::json!({"command": null, "ok": true, "result": {"text": version}})
        );
    }
    let r = run_cmd(
        t.bare_cmd()
            .env("MONGOOSEIMCTL_OUTPUT", "json")
            .arg("--version"),
    );
    assert!(r.stdout.starts_with("{\"command\":null"), "{r:?}");
    let r = run_cmd(t.bare_cmd().args(["-o", "text", "--version"]));
    assert_eq!(r.stdout, version);
}

#[test]
fn xml_arguments_are_joined_like_mongooseimctl() {
    let t = TestEnv::new();
    // `<a> <b/></a>` is unbalanced by mongooseimctl's rule, so it swallows the next argument
    // and the command then lacks one.
    let r = t.run(&["private_set", "alice", "localhost", "<a>", "<b/></a>"]);
    assert_eq!(r.code, 1);
}

#[test]
fn completions_for_the_current_config() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n[services.service_admin_extra]\nsubmods = [\"roster\"]\n",
    );
    let r = t.run(&["completions", "bash"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("roster") && !r.stdout.contains("check_password_hash"));
    let r = t.run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn table_and_json_outputs() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let r = t.run(&["-o", "table", "registered_users", "localhost"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("username") && r.stdout.contains("alice"),
        "{}",
        r.stdout
    );
    assert_eq!(
        t.json(&["check_account", "bob", "localhost"]),
        json_error(
            "check_account",
            json!({"kind": "user_not_found", "message": "User bob@localhost does not exist",
                "user": "bob", "host": "localhost"})
        )
    );
    assert_eq!(
        t.json(&["num_active_users", "localhost", "x"]),
        json_crash(
            "num_active_users",
            "not_an_integer",
            "error: argument days is not an integer: \"x\""
        )
    );
    assert_eq!(
        t.json(&["nope"]),
        json_error(
            "nope",
            json!({"kind": "unknown_command", "message": "Error: command \"nope\" not known."})
        )
    );
}

/// `{"command": C, "ok": true, "result": R}` (shared by the JSON tests of the account
/// commands).
pub(crate) fn json_ok(command: &str, result: serde_json::Value) -> serde_json::Value {
    json!({"command": command, "ok": true, "result": result})
}

/// `{"command": C, "ok": false, "error": E}`.
pub(crate) fn json_error(command: &str, error: serde_json::Value) -> serde_json::Value {
    json!({"command": command, "ok": false, "error": error})
}

/// The error document of a 5.1 crash: `kind`, and the `Problem '…'` text as message.
pub(crate) fn json_crash(command: &str, kind: &str, reason: &str) -> serde_json::Value {
    json_error(
        command,
        json!({"kind": kind,
            "message": format!("Problem '{reason}' occurred executing the command.")}),
    )
}

/// The default config with mod_auth_token enabled (revoke_token is registered).
fn with_auth_token() -> TestEnv {
    TestEnv::with_config(&format!("{DEFAULT_CONFIG}[modules.mod_auth_token]\n"))
}

#[test]
fn status_as_json() {
    // The pid and the store's description differ on the PostgreSQL twin.
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    let j = t.json(&["status"]);
    let pid = j["result"]["pid"].as_u64().unwrap_or(0);
    let uptime = j["result"]["uptime_seconds"].as_i64().unwrap_or(-1);
    assert!(pid > 0 && (0..60).contains(&uptime), "{j}");
    let size = j["result"]["store"]["size_bytes"].as_i64().unwrap_or(0);
    let schema = j["result"]["store"]["schema_version"].as_i64().unwrap_or(0);
    assert!(size > 0 && schema > 0, "{j}");
    assert_eq!(
        j,
        json_ok(
            "status",
            json!({
                "node": "mongooseim@localhost",
                "pid": pid,
                "version": env!("CARGO_PKG_VERSION"),
                "uptime_seconds": uptime,
                "config": t.config.display().to_string(),
                "store": {"driver": "sqlite", "path": t.store.display().to_string(),
                          "size_bytes": size, "users": 0, "schema_version": schema},
            })
        )
    );
    // Without a config file: `config` is null.
    let out = t
        .bare_cmd()
        .args(["-o", "json", "status"])
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["result"]["config"], serde_json::Value::Null, "{j}");
}

#[test]
fn get_loglevel_and_s2s_counters_as_json() {
    let t = TestEnv::new();
    assert_eq!(
        t.json(&["get_loglevel"]),
        json_ok("get_loglevel", json!({"level": 4, "name": "warning"}))
    );
    assert_eq!(
        t.json(&["incoming_s2s_number"]),
        json_ok(
            "incoming_s2s_number",
            json!({"direction": "incoming", "count": 0})
        )
    );
    assert_eq!(
        t.json(&["outgoing_s2s_number"]),
        json_ok(
            "outgoing_s2s_number",
            json!({"direction": "outgoing", "count": 0})
        )
    );
}

#[test]
fn offline_message_purges_as_json() {
    let t = TestEnv::new();
    insert_offline_messages(&t);
    assert_eq!(
        t.json(&["delete_expired_messages", "localhost"]),
        json_ok(
            "delete_expired_messages",
            json!({"host": "localhost", "removed": 1})
        )
    );
    assert_eq!(
        t.json(&["delete_old_messages", "localhost", "5"]),
        json_ok(
            "delete_old_messages",
            json!({"host": "localhost", "removed": 1})
        )
    );
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["2"]);
    for args in [
        vec!["delete_expired_messages", "LOCALHOST"],
        vec!["delete_old_messages", "unknown.org", "1"],
    ] {
        assert_eq!(
            t.json(&args),
            json_error(
                args[0],
                json!({"kind": "unknown_domain",
                "message": "Error: \"Unknown domain\"", "host": args[1]})
            )
        );
    }
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["2"]);
}

#[test]
fn user_resources_as_json() {
    let t = TestEnv::new();
    t.exec(
        "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES
            ('alice','localhost','tablet',1,'n'), ('alice','localhost','Phone',2,'n')",
    );
    assert_eq!(
        t.json(&["user_resources", "Alice", "LocalHost"]),
        json_ok(
            "user_resources",
            json!({"jid": "alice@localhost", "resources": ["Phone", "tablet"]})
        )
    );
    assert_eq!(
        t.json(&["user_resources", "nobody", "localhost"]),
        json_ok(
            "user_resources",
            json!({"jid": "nobody@localhost", "resources": []})
        )
    );
    assert_eq!(
        t.json(&["user_resources", "a@b", "localhost"]),
        json_crash(
            "user_resources",
            "invalid_jid",
            "error {invalid_jid,\"a@b\",\"localhost\"}"
        )
    );
}

#[test]
fn revoke_token_needs_mod_auth_token() {
    let t = TestEnv::new();
    t.run(&["revoke_token", "alice@localhost"])
        .fails("Error: command \"revoke_token\" not known.\n");
    let t = with_auth_token();
    t.exec("INSERT INTO auth_token (owner, seq_no) VALUES ('alice@localhost', 3)");
    t.run(&["revoke_token", "Alice@LocalHost/phone"])
        .ok("Revoked.\n");
    assert_eq!(
        t.col("SELECT seq_no FROM auth_token WHERE owner = 'alice@localhost'"),
        vec!["4"]
    );
    t.run(&["revoke_token", "bob@localhost"])
        .fails("User or token not found.\n");
    t.run(&["revoke_token", "bob@unknown.org"]).fails(
        "Problem 'error {unknown_domain,<<\"unknown.org\">>}' occurred executing the command.\n",
    );
    t.run(&["revoke_token", "@localhost"]).fails(
        "Problem 'error {invalid_jid,<<\"@localhost\">>}' occurred executing the command.\n",
    );
}

#[test]
fn revoke_token_as_json() {
    let t = with_auth_token();
    t.exec("INSERT INTO auth_token (owner, seq_no) VALUES ('alice@localhost', 3)");
    assert_eq!(
        t.json(&["revoke_token", "Alice@localhost"]),
        json_ok("revoke_token", json!({"owner": "alice@localhost"}))
    );
    assert_eq!(
        t.col("SELECT seq_no FROM auth_token WHERE owner = 'alice@localhost'"),
        vec!["4"]
    );
    assert_eq!(
        t.json(&["revoke_token", "bob@localhost"]),
        json_error(
            "revoke_token",
            json!({"kind": "token_not_found",
            "message": "User or token not found.", "owner": "bob@localhost"})
        )
    );
    assert_eq!(
        t.json(&["revoke_token", "bob@unknown.org"]),
        json_crash(
            "revoke_token",
            "unknown_domain",
            "error {unknown_domain,<<\"unknown.org\">>}"
        )
    );
}

#[test]
fn restart_and_node_only_commands_as_json() {
    let t = TestEnv::new();
    // The bare word is the built-in; the grouped form reaches the registered command.
    t.run(&["core", "restart"]).ok("");
    assert_eq!(
        t.json(&["core", "restart"]),
        json_ok(
            "restart",
            json!({"node": "mongooseim@localhost", "changed": false})
        )
    );
    for (args, needs) in [
        (vec!["backup", "/tmp/x"], "mnesia"),
        (vec!["restore", "/tmp/x"], "mnesia"),
        (vec!["dump", "/tmp/x"], "mnesia"),
        (vec!["dump_table", "/tmp/x", "users"], "mnesia"),
        (vec!["load", "/tmp/x"], "mnesia"),
        (vec!["install_fallback", "/tmp/x"], "mnesia"),
        (vec!["set_master", "self"], "mnesia"),
        (vec!["mnesia_change_nodename", "a", "b", "c", "d"], "mnesia"),
        (vec!["join_cluster", "mim@other"], "cluster"),
        (vec!["leave_cluster"], "cluster"),
        (vec!["remove_from_cluster", "mim@other"], "cluster"),
    ] {
        let name = args[0];
        assert_eq!(
            t.json(&args),
            json_error(
                name,
                json!({"kind": "needs_node", "needs": needs,
                "message": format!("Error: \"{name} needs a running MongooseIM node (Mnesia/cluster operation); \
                    this mongooseimctl works on the store directly and cannot do it\"")})
            )
        );
    }
}

#[test]
fn node_group_commands() {
    let t = TestEnv::new();
    t.run(&["get_cookie"]).ok("ejabberd\n");
    t.run(&["remove_node", "mim@other"]).ok("");
    t.run(&["load_config", t.config.to_str().unwrap()])
        .ok(&format!("Config file {} is valid\n", t.config.display()));
    let bad = t.write("bad.toml", "[general]\nhosts = 5\n");
    let r = t.run(&["load_config", bad.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(
        r.stderr.contains(&bad.display().to_string()),
        "{}",
        r.stderr
    );
}

#[test]
fn node_group_as_json() {
    let t = TestEnv::new();
    assert_eq!(
        t.json(&["get_cookie"]),
        json_ok("get_cookie", json!({"cookie": "ejabberd"}))
    );
    assert_eq!(
        t.json(&["remove_node", "mim@other"]),
        json_ok(
            "remove_node",
            json!({"node": "mim@other", "changed": false})
        )
    );
    assert_eq!(
        t.json(&["load_config", t.config.to_str().unwrap()]),
        json_ok(
            "load_config",
            json!({"file": t.config.display().to_string(), "valid": true})
        )
    );
    let bad = t.write("bad.toml", "[general]\nhosts = 5\n");
    assert_eq!(
        t.json(&["load_config", bad.to_str().unwrap()]),
        json_error(
            "load_config",
            json!({"kind": "invalid_config",
            "message": format!("invalid configuration {}:\n  \
                general: missing_mandatory_keys (required: general.default_server_domain)\n  \
                general.hosts: invalid value 5: wrong_type (expected an array, got an integer)",
                bad.display()),
            "file": bad.display().to_string(),
            "errors": [
                "general: missing_mandatory_keys (required: general.default_server_domain)",
                "general.hosts: invalid value 5: wrong_type (expected an array, got an integer)"
            ]})
        )
    );
}
