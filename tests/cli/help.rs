//! Help that teaches (issue 12 item 7): argument descriptions and examples in every
//! command's `--help`, group summaries, did-you-mean for groups (never the word just
//! rejected), and errors naming the module or submod a command needs.

use crate::support::{exists, run_cmd, TestEnv};

const CHECK_ACCOUNT_ARGS: &str = "\
Arguments:
  <USER>
          The account's user name (the part before @)

  <HOST>
          The account's XMPP domain (a host of the config)

Options:
  -h, --help
          Print help

Examples:
";

#[test]
fn grouped_command_help_has_descriptions_and_an_example() {
    let t = TestEnv::new();
    t.run(&["accounts", "check_account", "--help"]).ok(&format!(
        "Check if an account exists or not.\n\nUsage: mongooseimctl accounts check_account <USER> \
         <HOST>\n\n{CHECK_ACCOUNT_ARGS}  mongooseimctl accounts check_account alice localhost\n"
    ));
    assert!(!exists(&t.store), "help opened the store");
}

#[test]
fn flat_command_help_has_descriptions_and_an_example() {
    let t = TestEnv::new();
    t.run(&["check_account", "--help"]).ok(&format!(
        "Check if an account exists or not.\n\nUsage: mongooseimctl check_account <USER> \
         <HOST>\n\n{CHECK_ACCOUNT_ARGS}  mongooseimctl check_account alice localhost\n"
    ));
    // A password argument's example reads it from stdin; an integer says so.
    let r = t.run(&["delete_old_users_vhost", "-h"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(
            "  <DAYS>\n          Delete accounts inactive for more than this many days (integer)\n"
        ),
        "{}",
        r.stdout
    );
    let r = t.run(&["core", "register_identified", "--help"]);
    assert!(
        r.stdout
            .ends_with("Examples:\n  mongooseimctl core register_identified carol localhost -\n"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("  <PASSWORD>\n          The password; `-` reads it from standard input\n"));
}

#[test]
fn command_help_with_an_option() {
    let t = TestEnv::new();
    t.run(&["sessions", "list_deliveries", "--help"]).ok(
        "List the stanzas delivered to a user's sessions (mongooseimctl extension).

Usage: mongooseimctl sessions list_deliveries [OPTIONS] <USER> <HOST>

Arguments:
  <USER>
          The account's user name (the part before @)

  <HOST>
          The account's XMPP domain (a host of the config)

Options:
      --resource <RESOURCE>
          Only what this resource received (default: every resource of the account)

  -h, --help
          Print help

Examples:
  mongooseimctl sessions list_deliveries alice localhost
  mongooseimctl sessions list_deliveries alice localhost --resource phone
",
    );
}

/// Every command of every group (the config enables them all but revoke_token, whose
/// module it lacks): a description under every argument and an example in the form typed.
#[test]
fn every_command_help_teaches() {
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    let r = t.run(&["help"]);
    let names: Vec<String> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect();
    assert!(names.len() > 80, "{names:?}");
    let mut checked = 0;
    for name in &names {
        // `stats` is a group and a command: its command help is `stats stats --help`.
        let (words, typed): (Vec<&str>, String) = if name == "stats" {
            (vec!["stats", "stats", "--help"], "stats stats".into())
        } else {
            (vec![name, "--help"], name.clone())
        };
        let r = t.run(&words);
        if r.stdout.starts_with("Usage") || !r.stdout.contains("Usage: mongooseimctl ") {
            // A built-in (status, stop, help, …) is not a registry command's help.
            continue;
        }
        assert_eq!(r.code, 0, "{name}: {r:?}");
        assert!(
            [' ', '\n'].iter().any(|end| r
                .stdout
                .contains(&format!("Examples:\n  mongooseimctl {typed}{end}"))),
            "{name}: {}",
            r.stdout
        );
        assert!(
            !r.stdout.contains(">\n          \n"),
            "{name}: an argument without a description\n{}",
            r.stdout
        );
        checked += 1;
    }
    assert!(checked > 80, "{checked}");
}

#[test]
fn groups_have_a_summary_and_list_their_commands() {
    let t = TestEnv::new();
    let r = t.run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains(
            "  accounts     Account management: passwords, bans, inactive users (submod accounts)\n"
        ) && r
            .stdout
            .contains("  last         Last activity: set a user's last logout time and status (submod last)\n"),
        "{}",
        r.stdout
    );
    let expected = "\
Statistics: registered and online user counts, uptime (submod stats)

Usage: mongooseimctl stats [COMMAND]

Commands:
  stats       Get statistical value: registeredusers onlineusers onlineusersnode uptimeseconds.
  stats_host  Get statistical value for this host: registeredusers onlineusers.

Options:
  -h, --help
          Print help
";
    t.run(&["stats", "--help"]).ok(expected);
    // Without a command: the same text, as a usage (exit 2).
    let r = t.run(&["last"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.starts_with(
        "Last activity: set a user's last logout time and status (submod last)\n\nUsage: mongooseimctl last [COMMAND]\n\nCommands:\n  set_last  Set last activity information.\n"
    ), "{}", r.stdout);
}

#[test]
fn a_mistyped_group_is_suggested() {
    let t = TestEnv::new();
    let r = t.run(&["acounts", "check_account", "alice", "localhost"]);
    r.fails("Error: command \"acounts\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: a group with a similar name exists: accounts (`mongooseimctl accounts check_account`)\n"
    );
    let r = t.run(&["acounts"]);
    r.fails("Error: command \"acounts\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: a group with a similar name exists: accounts (`mongooseimctl accounts`)\n"
    );
    // A command typed in the right group after a mistyped one.
    let r = t.run(&["rosterr", "get-roster", "alice", "localhost"]);
    r.fails("Error: command \"rosterr\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: a group with a similar name exists: roster (`mongooseimctl roster get_roster`)\n"
    );
    // The JSON document keeps 5.1's message; the tip stays on stderr.
    let r = run_cmd(
        t.cmd()
            .args(["-o", "json", "acounts", "check_account", "a", "b"]),
    );
    assert_eq!(r.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(
        doc,
        serde_json::json!({"command": "acounts", "ok": false, "error": {
            "kind": "unknown_command", "message": "Error: command \"acounts\" not known."}})
    );
    r.stderr_has("tip: a group with a similar name exists: accounts");
    assert!(!exists(&t.store), "an unknown command opened the store");
}

#[test]
fn the_rejected_word_is_never_suggested() {
    let t = TestEnv::new();
    let r = t.run(&["accounts", "registered_users", "localhost"]);
    r.fails("Error: command \"registered_users\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: registered_users is in group core, not accounts: `mongooseimctl core \
         registered_users` (or the flat form `mongooseimctl registered_users`)\n"
    );
    let r = t.run(&["roster", "check-account", "alice", "localhost"]);
    r.fails("Error: command \"check-account\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: check_account is in group accounts, not roster: `mongooseimctl accounts \
         check_account` (or the flat form `mongooseimctl check_account`)\n"
    );
    // A typo inside its group: the group's command.
    let r = t.run(&["accounts", "check_acount", "alice", "localhost"]);
    r.fails("Error: command \"check_acount\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: a command with a similar name exists: check_account (`mongooseimctl accounts \
         check_account`)\n"
    );
    // `stop` with arguments is not known, and `stop` is not offered back.
    let r = t.run(&["stop", "now"]);
    r.fails("Error: command \"stop\" not known.\n");
    assert_eq!(r.stderr, "");
    // A flat typo keeps 5.1's line and the similar command.
    let r = t.run(&["registerd_users", "localhost"]);
    r.fails("Error: command \"registerd_users\" not known.\n");
    assert_eq!(
        r.stderr,
        "tip: a command with a similar name exists: registered_users\n"
    );
    assert!(!exists(&t.store), "an unknown command opened the store");
}

#[test]
fn a_command_needing_a_module_names_it_and_the_config() {
    let t = TestEnv::new();
    let r = t.run(&["revoke_token", "alice@localhost"]);
    r.fails("Error: command \"revoke_token\" not known.\n");
    assert_eq!(
        r.stderr,
        format!(
            "note: revoke_token is only available when mod_auth_token is enabled on some host \
             type: add a [modules.mod_auth_token] section to the config file (in use: {})\n",
            t.config.display()
        )
    );
    let r = t.run(&["core", "revoke_token", "alice@localhost"]);
    r.fails("Error: command \"revoke_token\" not known.\n");
    r.stderr_has("add a [modules.mod_auth_token] section to the config file");
    assert!(!exists(&t.store), "a refused command opened the store");
}

#[test]
fn a_command_of_a_disabled_group_names_the_submod_and_the_config() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n\
         [services.service_admin_extra]\nsubmods = [\"roster\"]\n",
    );
    let r = t.run(&["accounts", "check_account", "alice", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert_eq!(
        r.stderr,
        format!(
            "error: command \"check_account\" belongs to group \"accounts\", which is not \
             enabled in {} (add \"accounts\" to [services.service_admin_extra] submods)\n",
            t.config.display()
        )
    );
    assert!(!exists(&t.store), "a refused command opened the store");
}

/// Every example of every command's `--help` runs: against a store where alice and bob
/// exist (password `pw`, a vCard, an open session), the files the examples name present,
/// stdin holding what its `-` reads. The few examples that cannot succeed here fail only the
/// way a correct call does (a node-only command needs a running node; no token to revoke; a
/// config file at /etc; …): never a usage error, an unknown command or a crash.
#[test]
fn every_example_runs() {
    let config = crate::support::DEFAULT_CONFIG.replace(
        "host_types = [\"dyn\"]",
        "host_types = [\"dyn\", \"type1\"]",
    ) + "\n[modules.mod_auth_token]\n[modules.mod_http_upload]\n  s3.bucket_url = \"https://s3.example.com/b\"\n  \
         s3.region = \"eu-west-1\"\n  s3.access_key_id = \"AKID\"\n  s3.secret_access_key = \"not-a-secret\"\n";
    let t = TestEnv::sqlite_only(&config);
    t.write("users.csv", "carol,localhost,secret\n");
    t.write(
        "roster.txt",
        "[{<<\"bob\">>,<<\"localhost\">>,<<\"Bob\">>,<<\"Friends\">>}].\n",
    );
    t.write("users.txt", "ensure_account erin localhost secret\n");
    let dir = t.dir.path().display().to_string();
    // Examples that cannot succeed without what a test store does not have.
    const REFUSED_HERE: &[&str] = &[
        "revoke_token",        // no token was issued
        "init_schema",         // PostgreSQL only
        "load_config",         // no /etc/mongooseim/mongooseim.toml
        "send_system_metrics", // the service is not configured
        "check_password_hash", // the example's hash is not pw's
    ];
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, words) in mongooseimctl::registry::help::EXAMPLES {
        for user in ["alice", "bob"] {
            t.run_stdin(&["ensure_account", user, "localhost", "-"], "pw\n");
        }
        t.run(&["unregister", "carol", "localhost"]);
        t.run(&["insert_domain", "example.com", "type1"]);
        t.run(&["set_vcard", "alice", "localhost", "FN", "Alice"]);
        t.run(&["set_vcard2", "alice", "localhost", "N", "FAMILY", "Liddell"]);
        t.run(&[
            "set_vcard2_multi",
            "alice",
            "localhost",
            "EMAIL",
            "USERID",
            "a@x;b@x",
        ]);
        t.run(&["open_session", "alice", "localhost", "phone"]);
        let words: Vec<String> = words
            .iter()
            .map(|w| w.replace("/tmp/", &format!("{dir}/")))
            .collect();
        let stdin = match *name {
            "import_users" => "dave,localhost,secret\n",
            "push_roster" | "push_roster_all" => {
                "[{<<\"alice\">>,<<\"localhost\">>,<<\"Alice\">>,<<\"Friends\">>}].\n"
            }
            "private_set" => "<storage xmlns='storage:bookmarks'/>",
            "send_stanza_c2s" => "<message to='bob@localhost'><body>hi</body></message>",
            _ => "pw\n",
        };
        let mut args: Vec<&str> = vec![name];
        args.extend(words.iter().map(String::as_str));
        let r = t.run_stdin(&args, stdin);
        ran += 1;
        let said = format!("{}{}", r.stdout, r.stderr);
        let ok = match r.code {
            0 => true,
            _ if said.contains("needs a running MongooseIM node") => r.code == 1,
            1 | 3 if REFUSED_HERE.contains(name) => !said.trim().is_empty(),
            _ => false,
        };
        if !ok {
            failures.push(format!("{args:?} → {}: {said}", r.code));
        }
    }
    assert!(ran >= 80, "{ran}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
