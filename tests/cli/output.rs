//! `-o json` for the failures of our own (unknown command, disabled group, usage, arity,
//! crash, config, store): exactly one error document on stdout, with a stable kind; the same
//! exit codes as in text mode.

use serde_json::json;

use crate::support::{run_cmd, TestEnv, DEFAULT_CONFIG};

fn json_run(t: &TestEnv, args: &[&str]) -> (i32, serde_json::Value) {
    let r = run_cmd(t.cmd().args(["-o", "json"]).args(args));
    let doc = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {r:?}"));
    (r.code, doc)
}

fn only_accounts() -> String {
    DEFAULT_CONFIG.replace(
        "[services.service_admin_extra]\n",
        "[services.service_admin_extra]\n  submods = [\"accounts\"]\n",
    )
}

#[test]
fn unknown_command() {
    let t = TestEnv::new();
    assert_eq!(
        json_run(&t, &["nosuch"]),
        (
            1,
            json!({"command": "nosuch", "ok": false, "error": {
                "kind": "unknown_command", "message": "Error: command \"nosuch\" not known."}})
        )
    );
}

#[test]
fn disabled_group_names_group_and_config() {
    let t = TestEnv::with_config(&only_accounts());
    let config = t.config.display().to_string();
    let (code, doc) = json_run(&t, &["get_roster", "a", "localhost"]);
    assert_eq!(code, 1);
    assert_eq!(
        doc,
        json!({"command": "get_roster", "ok": false, "error": {
            "kind": "disabled_group",
            "message": format!("command \"get_roster\" belongs to group \"roster\", which is not enabled in {config} (add \"roster\" to [services.service_admin_extra] submods)"),
            "group": "roster", "config": config}})
    );
}

#[test]
fn wrong_arity_lists_the_expected_arguments() {
    let t = TestEnv::new();
    let (code, doc) = json_run(&t, &["check_account", "a"]);
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["kind"], "wrong_arity");
    assert_eq!(doc["error"]["expected"], json!(["user", "host"]));
    assert_eq!(doc["error"]["given"], 1);
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("requires 1 more argument"));
}

#[test]
fn crash_and_node_only() {
    let t = TestEnv::new();
    assert_eq!(
        json_run(&t, &["delete_old_users", "x"]),
        (
            1,
            json!({"command": "delete_old_users", "ok": false, "error": {
                "kind": "not_an_integer",
                "message": "Problem 'error: argument days is not an integer: \"x\"' occurred executing the command."}})
        )
    );
    assert_eq!(
        json_run(&t, &["mnesia"]),
        (
            1,
            json!({"command": "mnesia", "ok": false, "error": {
                "kind": "needs_node",
                "message": "Error: \"mnesia needs a running MongooseIM node; this mongooseimctl has no Mnesia\""}})
        )
    );
}

#[test]
fn unavailable_command_is_unknown_with_a_hint() {
    let t = TestEnv::new();
    let r = run_cmd(t.cmd().args(["-o", "json", "revoke_token", "a@localhost"]));
    assert_eq!(r.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["error"]["kind"], "unknown_command");
    r.stderr_has("revoke_token is only available when mod_auth_token is enabled");
}

#[test]
fn no_command_is_a_usage_error() {
    let t = TestEnv::new();
    let r = run_cmd(t.cmd().args(["-o", "json"]));
    assert_eq!(r.code, 2);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["command"], json!(null));
    assert_eq!(doc["error"]["kind"], "usage");
    assert!(doc["error"]["usage"]
        .as_str()
        .unwrap()
        .starts_with("Usage: mongooseimctl"));
    // The usage text goes to stderr for the human.
    r.stderr_has("Available commands");
}

#[test]
fn help_is_a_success_document() {
    let t = TestEnv::new();
    let (code, doc) = json_run(&t, &["help", "check_account"]);
    assert_eq!(code, 0);
    assert_eq!(doc["ok"], true);
    assert!(doc["result"]["text"]
        .as_str()
        .unwrap()
        .contains("Command Name: check_account"));
}

#[test]
fn invalid_config_lists_every_error() {
    let t = TestEnv::with_config("[general]\n  hosts = 5\n");
    let config = t.config.display().to_string();
    let (code, doc) = json_run(&t, &["check_account", "a", "localhost"]);
    assert_eq!(code, 3);
    assert_eq!(doc["command"], "check_account");
    assert_eq!(doc["error"]["kind"], "invalid_config");
    assert_eq!(doc["error"]["file"], config);
    let errors = doc["error"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(|e| e
        .as_str()
        .unwrap()
        .starts_with("general.hosts: invalid value 5")));
}

#[test]
fn corrupt_store() {
    let t = TestEnv::new();
    std::fs::write(&t.store, "this is not a database, just text").unwrap();
    let (code, doc) = json_run(&t, &["check_account", "a", "localhost"]);
    assert_eq!(code, 3);
    assert_eq!(doc["error"]["kind"], "store_unavailable");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not an SQLite database"));
    assert_eq!(
        std::fs::read_to_string(&t.store).unwrap(),
        "this is not a database, just text"
    );
}
