//! Issue 12 item 3: global options where users type them (after a grouped command, `-ojson`,
//! `--`), `--no-headers`, ASCII tables on dumb terminals and non-UTF-8 locales, and empty
//! environment variables counted as unset. The legacy flat form keeps its words verbatim.

use crate::support::{run_cmd, TestEnv};

const ALICE_JSON: &str =
    "{\"command\":\"check_account\",\"ok\":true,\"result\":{\"jid\":\"alice@localhost\"}}\n";

/// A UTF-8 terminal whatever the test runner's own locale is.
const UTF8: [(&str, &str); 4] = [
    ("TERM", "xterm"),
    ("LC_ALL", ""),
    ("LC_CTYPE", ""),
    ("LANG", "C.UTF-8"),
];

fn with<'a>(base: &[(&'a str, &'a str)], extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = base
        .iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .copied()
        .collect();
    all.extend_from_slice(extra);
    all
}

#[test]
fn grouped_form_reads_global_options_after_the_command() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.run(&[
        "accounts",
        "check_account",
        "alice",
        "localhost",
        "-o",
        "json",
    ])
    .is(0, ALICE_JSON);
    t.run(&["accounts", "check_account", "alice", "localhost", "-ojson"])
        .is(0, ALICE_JSON);
    t.run(&[
        "accounts",
        "check-account",
        "--output=json",
        "alice",
        "localhost",
    ])
    .is(0, ALICE_JSON);
    t.run(&[
        "accounts",
        "check_account",
        "-o",
        "json",
        "alice",
        "-q",
        "localhost",
    ])
    .is(0, ALICE_JSON);
    // Later options win over earlier ones (the harness passes `-o text` first).
    t.run(&[
        "-o",
        "json",
        "accounts",
        "check_account",
        "alice",
        "localhost",
        "-o",
        "text",
    ])
    .is(0, "User alice@localhost exists\n");
    // The leading short attached form works too.
    t.run(&["-ojson", "check_account", "alice", "localhost"])
        .is(0, ALICE_JSON);
    // A bad value is a usage error, as before the command.
    let r = t.run(&[
        "accounts",
        "check_account",
        "alice",
        "localhost",
        "-o",
        "yaml",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{r:?}");
    assert!(r.stderr.contains("invalid value 'yaml'"), "{}", r.stderr);
    // -v and -q conflict wherever they are typed.
    let r = t.run(&[
        "-v",
        "accounts",
        "check_account",
        "alice",
        "localhost",
        "-q",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""), "{r:?}");
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn double_dash_ends_the_options_of_the_grouped_form() {
    let t = TestEnv::new();
    t.run(&[
        "core",
        "register_identified",
        "bob",
        "localhost",
        "--",
        "-ojson",
    ])
    .is(0, "User bob@localhost successfully registered\n");
    assert_eq!(t.users(), vec!["bob@localhost".to_string()]);
    t.run(&[
        "accounts",
        "check_password",
        "bob",
        "localhost",
        "--",
        "-ojson",
    ])
    .is(0, "Password for user bob@localhost is correct\n");
    // Without `--`, `-ojson` is the output option: two arguments, wrong arity.
    let r = t.run(&["accounts", "check_password", "bob", "localhost", "-ojson"]);
    assert_eq!(r.code, 1, "{r:?}");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(
        (&doc["ok"], &doc["error"]["kind"], &doc["error"]["given"]),
        (&false.into(), &"wrong_arity".into(), &2.into()),
        "{doc}"
    );
    // `-` (read the password from stdin) and negative numbers stay positional.
    t.run_stdin(
        &["accounts", "check_password", "bob", "localhost", "-"],
        "-ojson\n",
    )
    .is(0, "Password for user bob@localhost is correct\n");
}

#[test]
fn legacy_flat_form_keeps_its_words_verbatim() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    // 5.1 passes `-o json localhost` as three arguments: the arity error, in text.
    let r = t.run(&["check_account", "-o", "json", "localhost"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .starts_with("\nError: the command \"check_account\" requires 1 less argument.\n"),
        "{}",
        r.stdout
    );
    // A flat command's `-ojson` is an argument (here the user name).
    t.run(&["check_account", "-ojson", "localhost"])
        .is(1, "User -ojson@localhost does not exist\n");
    t.run(&["check_account", "alice", "localhost"])
        .is(0, "User alice@localhost exists\n");
}

#[test]
fn no_headers_drops_the_table_header_row_only() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    let table = ["-o", "table", "registered_users", "localhost"];
    t.run_env(&table, &UTF8).is(
        0,
        "┌──────────┐\n│ username │\n╞══════════╡\n│ alice    │\n│ bob      │\n└──────────┘\n",
    );
    let bare = "┌───────┐\n│ alice │\n│ bob   │\n└───────┘\n";
    let mut args = vec!["--no-headers"];
    args.extend_from_slice(&table);
    t.run_env(&args, &UTF8).is(0, bare);
    t.run_env(
        &[
            "core",
            "registered_users",
            "localhost",
            "-o",
            "table",
            "--no-headers",
        ],
        &UTF8,
    )
    .is(0, bare);
    t.run_env(&table, &with(&UTF8, &[("MONGOOSEIMCTL_NO_HEADERS", "1")]))
        .is(0, bare);
    // Text (5.1's format has no header) and JSON are unchanged.
    t.run(&["--no-headers", "registered_users", "localhost"])
        .is(0, "alice\nbob\n");
    t.run(&["--no-headers", "-o", "json", "registered_users", "localhost"]).is(
        0,
        "{\"command\":\"registered_users\",\"ok\":true,\"result\":{\"host\":\"localhost\",\"users\":[\"alice\",\"bob\"]}}\n",
    );
}

#[test]
fn dumb_terminals_and_non_utf8_locales_get_ascii_tables() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let table = ["-o", "table", "registered_users", "localhost"];
    let ascii = "+----------+\n| username |\n+==========+\n| alice    |\n+----------+\n";
    let utf8 = "┌──────────┐\n│ username │\n╞══════════╡\n│ alice    │\n└──────────┘\n";
    t.run_env(&table, &UTF8).is(0, utf8);
    t.run_env(&table, &with(&UTF8, &[("TERM", "dumb")]))
        .is(0, ascii);
    t.run_env(&table, &with(&UTF8, &[("LANG", "C")]))
        .is(0, ascii);
    t.run_env(&table, &with(&UTF8, &[("LANG", "en_US.ISO-8859-1")]))
        .is(0, ascii);
    t.run_env(&table, &with(&UTF8, &[("LANG", "en_US.utf8")]))
        .is(0, utf8);
    // The first of LC_ALL, LC_CTYPE, LANG that is set wins.
    t.run_env(&table, &with(&UTF8, &[("LC_ALL", "POSIX")]))
        .is(0, ascii);
    t.run_env(
        &table,
        &with(&UTF8, &[("LC_CTYPE", "C"), ("LANG", "C.UTF-8")]),
    )
    .is(0, ascii);
    t.run_env(
        &table,
        &with(&UTF8, &[("LC_ALL", "C.UTF-8"), ("LANG", "C")]),
    )
    .is(0, utf8);
    t.run_env(
        &[
            "--no-headers",
            "-o",
            "table",
            "registered_users",
            "localhost",
        ],
        &with(&UTF8, &[("TERM", "dumb")]),
    )
    .is(0, "+-------+\n| alice |\n+-------+\n");
}

#[test]
fn empty_environment_variables_count_as_unset() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let empty = [
        ("MONGOOSEIM_CONFIG", ""),
        ("MONGOOSEIM_STORE", ""),
        ("MONGOOSEIMCTL_OUTPUT", ""),
        ("MONGOOSEIMCTL_LOG", ""),
        ("MONGOOSEIMCTL_LEGACY_INTEGERS", ""),
        ("MONGOOSEIMCTL_NO_HEADERS", ""),
        ("MONGOOSEIMCTL_NOW", ""),
    ];
    t.run_env(&["registered_users", "localhost"], &empty)
        .is(0, "alice\n");
    t.run_env(
        &["-o", "table", "registered_users", "localhost"],
        &with(&UTF8, &empty),
    )
    .is(
        0,
        "┌──────────┐\n│ username │\n╞══════════╡\n│ alice    │\n└──────────┘\n",
    );
    // Without options: the empty config and store variables fall back to the defaults (no
    // config file here: built-in defaults; the XDG store), and empty PostgreSQL variables do
    // not ask for PostgreSQL.
    let mut cmd = t.bare_cmd();
    cmd.args(["registered_users", "localhost"])
        .envs(empty)
        .envs([
            ("MONGOOSEIMCTL_PG_HOST", ""),
            ("MONGOOSEIMCTL_PG_DATABASE", ""),
            ("MONGOOSEIMCTL_PG_USER", ""),
            ("MONGOOSEIMCTL_PG_PORT", ""),
        ]);
    std::fs::remove_file(t.path("config.toml")).expect("remove the config");
    let r = run_cmd(&mut cmd);
    assert_eq!((r.code, r.stdout.as_str()), (0, "alice\n"), "{r:?}");
    // A set variable still works: it names another store (new, so empty).
    let other = t.path("other.db");
    let mut cmd = t.bare_cmd();
    cmd.args(["registered_users", "localhost"])
        .env("MONGOOSEIM_STORE", &other)
        .env("MONGOOSEIMCTL_OUTPUT", "json");
    run_cmd(&mut cmd).is(
        0,
        "{\"command\":\"registered_users\",\"ok\":true,\"result\":{\"host\":\"localhost\",\"users\":[]}}\n",
    );
    assert!(other.exists());
}

#[test]
fn a_bad_value_from_the_environment_names_the_variable() {
    let t = TestEnv::new();
    for (key, value, hint) in [
        (
            "MONGOOSEIMCTL_PROGRESS",
            "bogus",
            "(for --progress) (possible values: auto, never, always)",
        ),
        (
            "MONGOOSEIMCTL_OUTPUT",
            "xml",
            "(for --output) (possible values: text, table, json)",
        ),
        (
            "MONGOOSEIMCTL_LEGACY_INTEGERS",
            "maybe",
            "(for --legacy-integers) (not a boolean: use 1 or 0, true or false, yes or no, on or off)",
        ),
    ] {
        let r = run_cmd(
            t.bare_cmd()
                .env(key, value)
                .args(["registered_users", "localhost"]),
        );
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (
                2,
                "",
                format!("error: invalid value '{value}' in the environment variable {key} {hint}\n")
                    .as_str()
            )
        );
    }
    // Asked for JSON: one document with the usage kind and the same message.
    let r = run_cmd(t.bare_cmd().env("MONGOOSEIMCTL_PROGRESS", "bogus").args([
        "-o",
        "json",
        "registered_users",
        "localhost",
    ]));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stdout,
        "{\"command\":null,\"ok\":false,\"error\":{\"kind\":\"usage\",\"message\":\"error: \
         invalid value 'bogus' in the environment variable MONGOOSEIMCTL_PROGRESS (for \
         --progress) (possible values: auto, never, always)\"}}\n"
    );
    // A bad value typed on the command line keeps clap's message about the option.
    let r = run_cmd(t.bare_cmd().env("MONGOOSEIMCTL_PROGRESS", "never").args([
        "--progress",
        "bogus",
        "registered_users",
        "localhost",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: invalid value 'bogus' for '--progress <WHEN>'"),
        "{r:?}"
    );
}
