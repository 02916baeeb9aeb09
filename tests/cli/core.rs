//! Core commands, the command-line contract (unknown command, arity, help, exit codes) and
//! store failures.

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
    let t = TestEnv::new();
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
    assert_eq!(r.stdout, "{\"command\":\"register_identified\",\"ok\":true,\"result\":\"User alice@localhost successfully registered\"}\n");
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

#[test]
fn offline_message_purges() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
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
    t.run(&["delete_old_messages", "localhost", "0days"])
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
    let t = TestEnv::new();
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
            .args(["check_account", "a", "localhost"]),
    );
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("store unavailable"), "{}", r.stderr);
}

#[test]
fn locked_store_exits_3_after_the_busy_timeout() {
    let t = TestEnv::new();
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
fn pgsql_pool_without_store_flag_exits_3() {
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
        r.stderr.contains("pgsql") && !r.stderr.contains("secret"),
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
        serde_json::json!({"command": "check_account", "ok": false, "error": "User bob@localhost does not exist"})
    );
    let crash = t.json(&["num_active_users", "localhost", "x"]);
    assert_eq!(crash["command"], "num_active_users");
    assert_eq!(crash["ok"], false);
    assert!(
        crash["error"].as_str().unwrap().starts_with("Problem '"),
        "{crash}"
    );
    assert_eq!(
        t.json(&["nope"]),
        serde_json::json!({"command": "nope", "ok": false, "error": "Error: command \"nope\" not known."})
    );
}
