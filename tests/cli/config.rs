//! Configuration loading and validation, seen from the command line.

use crate::support::*;

fn config_error(toml: &str) -> Run {
    let t = TestEnv::with_config(toml);
    let r = t.run(&["check_account", "a", "localhost"]);
    assert_eq!(r.code, 3, "{r:?}");
    assert_eq!(r.stdout, "");
    assert!(
        !t.store.exists(),
        "an invalid config must not touch the store"
    );
    r
}

const BASE: &str = "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n";

#[test]
fn unknown_submod_is_reported_with_path_and_value() {
    let r = config_error(&format!(
        "{BASE}[services.service_admin_extra]\nsubmods = [\"nodejshaha\"]\n"
    ));
    assert!(
        r.stderr.contains("services.service_admin_extra.submods"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nodejshaha"), "{}", r.stderr);
}

#[test]
fn every_error_gets_its_own_line() {
    let r = config_error(&format!(
        "{BASE}[services.service_admin_extra]\nsubmods = 1\n[services.service_domain_db]\nevent_max_age = 0\n[services.bogus]\n"
    ));
    let lines: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(lines.len(), 3, "{}", r.stderr);
    assert!(r
        .stderr
        .contains("services.service_domain_db.event_max_age"));
    assert!(r.stderr.contains("services.bogus") || r.stderr.contains("bogus"));
}

#[test]
fn error_classes() {
    for (toml, path) in [
        ("[general]\nhosts = [\"localhost\"]\n", "general"),
        (&format!("{BASE}[bogus]\n") as &str, "bogus"),
        (
            &format!("{BASE}[services.service_admin_extra]\nsubmods = [\"roster\", \"roster\"]\n"),
            "submods",
        ),
        (
            &format!(
                "{BASE}[services.service_mongoose_system_metrics]\ninitial_report = \"forever\"\n"
            ),
            "initial_report",
        ),
        (
            &format!("{BASE}[services.service_mongoose_system_metrics]\nperiodic_report = -1\n"),
            "periodic_report",
        ),
        (
            &format!("{BASE}[services.service_mongoose_system_metrics]\nreport = \"maybe\"\n"),
            "report",
        ),
        (
            &format!("{BASE}[services.service_mongoose_system_metrics]\ntracking_id = 666\n"),
            "tracking_id",
        ),
        (
            &format!("{BASE}[services.service_mongoose_system_metrics]\nno_report = true\n"),
            "no_report",
        ),
        (
            &format!("{BASE}[services.service_domain_db]\nevent_cleaning_interval = 0\n"),
            "event_cleaning_interval",
        ),
        (
            &format!("{BASE}[services.service_domain_db]\ndb_pool = 10\n"),
            "db_pool",
        ),
        (
            &format!("{BASE}[auth]\npassword.format = \"md5\"\n"),
            "auth.password.format",
        ),
        (
            &format!("{BASE}[auth]\npassword.scram_iterations = 0\n"),
            "scram_iterations",
        ),
        (
            &format!("{BASE}[modules.mod_nonexistent]\n"),
            "mod_nonexistent",
        ),
        (
            &format!("{BASE}[[host_config]]\nhost_type = \"nowhere\"\n[host_config.modules]\n"),
            "host_config",
        ),
        ("[general\nhosts = 1", "line"),
    ] {
        let r = config_error(toml);
        assert!(r.stderr.contains(path), "{path}: {}", r.stderr);
    }
}

#[test]
fn missing_config_file_exits_3() {
    let t = TestEnv::new();
    let r = run_cmd(
        t.bare_cmd()
            .args(["-c", "/nonexistent/mongooseim.toml", "status"]),
    );
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("/nonexistent/mongooseim.toml"),
        "{}",
        r.stderr
    );
}

#[test]
fn documented_spellings_are_accepted() {
    let t = TestEnv::with_config(&format!(
        "{BASE}[services.service_admin_extra]\nsubmods = [\"account\"]\n[services.service_mongoose_system_metrics]\nintial_report = 1000\n"
    ));
    t.register("alice", "localhost", "pw");
    t.run(&["check_account", "alice", "localhost"])
        .ok("User alice@localhost exists\n");
    let r = t.run(&["check_account", "alice", "localhost"]);
    assert!(r.stderr.contains("intial_report"), "{}", r.stderr);
}

#[test]
fn service_absent_means_only_core_commands() {
    let t = TestEnv::with_config(BASE);
    t.register("alice", "localhost", "pw");
    let r = t.run(&["check_account", "alice", "localhost"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("\"accounts\""), "{}", r.stderr);
    let r = t.run(&["help"]);
    assert!(!r.stdout.contains("check_account"));
    assert!(r.stdout.contains("register_identified"));
}

#[test]
fn sections_we_do_not_use_are_accepted() {
    let t = TestEnv::with_config(
        r#"
[general]
  hosts = ["localhost", "anonymous.localhost"]
  default_server_domain = "localhost"
  registration_timeout = "infinity"
  max_fsm_queue = 1_000
[[listen.c2s]]
  port = 5222
  tls.verify_mode = "none"
[[listen.http]]
  port = 5280
  [[listen.http.handlers.mod_bosh]]
    host = "_"
    path = "/http-bind"
[shaper.fast]
  max_rate = 50_000
[acl]
  local = [{}]
[access]
  c2s = [{acl = "all", value = "allow"}]
[s2s]
  default_policy = "deny"
[auth.internal]
[services.service_admin_extra]
[services.service_mongoose_system_metrics]
  report = false
[modules.mod_disco]
  users_can_see_hidden_services = false
[modules.mod_muc_commands]
[[host_config]]
  host = "anonymous.localhost"
  [host_config.auth.anonymous]
    allow_multiple_connections = true
    protocol = "both"
"#,
    );
    t.register("alice", "localhost", "pw");
}

#[test]
fn host_config_auth_replaces_the_global_one() {
    let t = TestEnv::with_config(
        "[general]\nhosts = [\"localhost\", \"plain.org\"]\ndefault_server_domain = \"localhost\"\n[auth]\npassword.scram_iterations = 64\n[[host_config]]\nhost = \"plain.org\"\n[host_config.auth]\npassword.format = \"plain\"\n",
    );
    t.register("a", "localhost", "pw");
    t.register("a", "plain.org", "pw");
    assert_eq!(
        t.sql("SELECT server, password, pass_details IS NULL FROM users ORDER BY server"),
        vec![vec!["localhost", "", "0"], vec!["plain.org", "pw", "1"]]
    );
}
