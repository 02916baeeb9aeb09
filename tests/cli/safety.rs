//! Issue 12 item 1: the guarded commands (destructive and bulk). `--dry-run` prints what the
//! real run prints and changes nothing; on a terminal a confirmation names the count (`--yes`
//! skips it); never a prompt when stdin is not a terminal.

use crate::support::{TestEnv, DEFAULT_CONFIG};

/// The prompt tests run without progress bars (tests/cli/progress.rs tests those).
const NO_BARS: &[(&str, &str)] = &[("MONGOOSEIMCTL_PROGRESS", "never")];

const NOTICE: &str = "dry run: nothing was changed\n";

fn three_accounts(t: &TestEnv) {
    for u in ["alice", "bob", "carol"] {
        t.register(u, "localhost", "pw");
    }
}

fn roster_rows(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, jid, subscription FROM rosterusers ORDER BY username, jid")
}

/// alice and bob, and three chat messages from alice waiting offline for bob.
fn three_messages(t: &TestEnv) {
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    for body in ["one", "two", "three"] {
        t.run(&[
            "send_message_chat",
            "alice@localhost",
            "bob@localhost",
            body,
        ])
        .ok("");
    }
}

fn offline_count(t: &TestEnv) -> Vec<String> {
    t.col("SELECT COUNT(*) FROM offline_message")
}

#[test]
fn delete_old_users_dry_run_prints_the_real_result_and_changes_nothing() {
    let t = TestEnv::new();
    three_accounts(&t);
    t.register("dave", "example.org", "pw");
    let deleted = "Deleted 4 users: [{<<\"alice\">>,<<\"localhost\">>},\n                  {<<\"bob\">>,<<\"localhost\">>},\n                  {<<\"carol\">>,<<\"localhost\">>},\n                  {<<\"dave\">>,<<\"example.org\">>}]\n";
    // Leading global, after the grouped command, trailing in the flat form.
    for args in [
        &["--dry-run", "delete_old_users", "365"][..],
        &["accounts", "delete_old_users", "365", "--dry-run"][..],
        &["delete_old_users", "365", "--dry-run"][..],
        &["delete_old_users", "365", "-y", "--dry-run"][..],
    ] {
        let r = t.run(args);
        r.ok(deleted);
        assert_eq!(r.stderr, NOTICE, "{args:?}");
        assert_eq!(t.users().len(), 4, "{args:?}");
    }
    // -q: no notice.
    let r = t.run(&["-q", "--dry-run", "delete_old_users", "365"]);
    r.ok(deleted);
    assert_eq!(r.stderr, "");
    // JSON: the same document as the real run.
    let dry = t.run(&["-o", "json", "--dry-run", "delete_old_users", "365"]);
    assert_eq!(t.users().len(), 4);
    let real = t.run(&["-o", "json", "delete_old_users", "365"]);
    assert_eq!((dry.code, &dry.stdout), (real.code, &real.stdout));
    assert_eq!(real.stderr, "");
    assert!(t.users().is_empty());
}

#[test]
fn delete_old_users_vhost_and_unregister_dry_runs() {
    let t = TestEnv::new();
    three_accounts(&t);
    t.register("dave", "example.org", "pw");
    let out = "Deleted 1 users: [{<<\"dave\">>,<<\"example.org\">>}]\n";
    t.run(&["delete_old_users_vhost", "example.org", "0", "--dry-run"])
        .ok(out);
    assert_eq!(t.users().len(), 4);
    t.run(&["delete_old_users_vhost", "example.org", "0"])
        .ok(out);
    assert_eq!(t.users().len(), 3);

    t.run(&["unregister", "alice", "localhost", "--dry-run"])
        .ok("");
    t.run(&["--dry-run", "-o", "json", "unregister", "alice", "localhost"])
        .ok("{\"command\":\"unregister\",\"ok\":true,\"result\":{\"user\":\"alice\",\"host\":\"localhost\",\"removed\":true}}\n");
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        ["alice", "bob", "carol"]
    );
    t.run(&["unregister", "alice", "localhost"]).ok("");
    assert_eq!(
        t.col("SELECT username FROM users ORDER BY username"),
        ["bob", "carol"]
    );
}

#[test]
fn message_purges_dry_run() {
    let t = TestEnv::new();
    three_messages(&t);
    assert_eq!(offline_count(&t), ["3"]);
    t.exec("UPDATE offline_message SET expire = 1 WHERE packet LIKE '%one%'");
    let r = t.run(&["--dry-run", "delete_expired_messages", "localhost"]);
    r.ok("Removed 1 messages\n");
    assert_eq!(r.stderr, NOTICE);
    assert_eq!(offline_count(&t), ["3"]);
    t.run(&["delete_expired_messages", "localhost"])
        .ok("Removed 1 messages\n");
    assert_eq!(offline_count(&t), ["2"]);
    t.run(&["delete_old_messages", "localhost", "0", "--dry-run"])
        .ok("Removed 2 messages\n");
    assert_eq!(offline_count(&t), ["2"]);
    t.run(&["core", "delete_old_messages", "localhost", "0", "-y"])
        .ok("Removed 2 messages\n");
    assert_eq!(offline_count(&t), ["0"]);
}

#[test]
fn delete_domain_dry_run() {
    let t = TestEnv::new();
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    t.register("erin", "dyn.example", "pw");
    let before_events = t.sql("SELECT id, domain FROM domain_events ORDER BY id");
    t.run(&["domain", "delete_domain", "dyn.example", "dyn", "--dry-run"])
        .ok("Deleted\n");
    assert_eq!(t.col("SELECT domain FROM domain_settings"), ["dyn.example"]);
    assert_eq!(
        t.sql("SELECT id, domain FROM domain_events ORDER BY id"),
        before_events
    );
    assert_eq!(t.col("SELECT username FROM users"), ["erin"]);
    t.run(&["delete_domain", "dyn.example", "dyn"])
        .ok("Deleted\n");
    assert!(t.col("SELECT domain FROM domain_settings").is_empty());
    assert!(t.col("SELECT username FROM users").is_empty());
}

#[test]
fn roster_bulk_commands_dry_run() {
    let t = TestEnv::new();
    three_accounts(&t);
    t.run(&["--dry-run", "push_roster_alltoall", "localhost", "Team"])
        .ok("");
    assert!(roster_rows(&t).is_empty());
    t.run(&["push_roster_alltoall", "localhost", "Team"]).ok("");
    assert_eq!(roster_rows(&t).len(), 6);
    let rows = roster_rows(&t);
    let listed = "There are 6 roster items in total.\n\
                  Matches: alice@localhost bob@localhost\n\
                  Matches: alice@localhost carol@localhost\n\n";
    let r = t.run(&[
        "process_rosteritems",
        "delete",
        "any",
        "any",
        "alice@localhost",
        "any",
        "--dry-run",
    ]);
    r.ok(listed);
    assert_eq!(roster_rows(&t), rows);
    t.run(&[
        "roster",
        "process_rosteritems",
        "delete",
        "any",
        "any",
        "alice@localhost",
        "any",
    ])
    .ok(listed);
    assert_eq!(roster_rows(&t).len(), 4);
}

#[test]
fn the_options_are_refused_on_other_commands() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let r = t.run(&["--dry-run", "check_account", "alice", "localhost"]);
    r.is(2, "");
    assert_eq!(
        r.stderr,
        "error: --dry-run does not apply to check_account; it applies only to: unregister, \
         delete_expired_messages, delete_old_messages, delete_old_users, \
         delete_old_users_vhost, process_rosteritems, push_roster_alltoall, delete_domain\n"
    );
    t.run(&[
        "accounts",
        "change_password",
        "alice",
        "localhost",
        "x",
        "--yes",
    ])
    .is(2, "")
    .stderr_has("error: --yes does not apply to change_password;");
    t.run(&["check_password", "alice", "localhost", "pw"])
        .ok("Password for user alice@localhost is correct\n");
    // The flat form of a command that is not guarded keeps its words verbatim: 5.1's arity
    // error, as before.
    let r = t.run(&["check_account", "alice", "localhost", "--dry-run"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("requires 1 less argument"),
        "{}",
        r.stdout
    );
    // A guarded command's flat form takes only these words beyond its arity.
    let r = t.run(&["delete_old_users", "365", "--force"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("requires 1 less argument"),
        "{}",
        r.stdout
    );
    assert_eq!(t.users().len(), 1);
}

#[test]
fn without_a_terminal_nothing_is_asked() {
    let t = TestEnv::new();
    three_accounts(&t);
    let r = t.run(&["delete_old_users", "365"]);
    r.ok(DELETED3);
    assert_eq!(r.stderr, "");
    assert!(t.users().is_empty());
}

// In a pseudo-terminal (SQLite only).

const PROMPT: &str = "delete_old_users will delete 3 accounts on localhost. Continue? [y/N] ";
const DELETED3: &str = "Deleted 3 users: [{<<\"alice\">>,<<\"localhost\">>},\n                  {<<\"bob\">>,<<\"localhost\">>},\n                  {<<\"carol\">>,<<\"localhost\">>}]\n";

/// The terminal's output after the prompt, without the echo of the typed answer.
fn after_answer(rest: &str, answer: &str) -> String {
    let echo = format!("{answer}\n");
    rest.strip_prefix(echo.as_str()).unwrap_or(rest).to_string()
}

#[test]
fn the_prompt_names_the_count_and_no_aborts() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    for answer in ["n", "", "whatever"] {
        let mut p = t.pty(&["delete_old_users", "365"], NO_BARS);
        p.expect(PROMPT);
        p.send_line(answer);
        let (code, rest) = p.finish();
        assert_eq!(code, 1, "{rest:?}");
        assert_eq!(
            after_answer(&rest, answer),
            "aborted: nothing was changed\n"
        );
        assert_eq!(t.users().len(), 3);
    }
}

#[test]
fn yes_at_the_prompt_deletes() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    let mut p = t.pty(&["accounts", "delete_old_users", "365"], NO_BARS);
    p.expect(PROMPT);
    p.send_line("YES");
    let (code, rest) = p.finish();
    assert_eq!(
        (code, after_answer(&rest, "YES")),
        (0, DELETED3.to_string())
    );
    assert!(t.users().is_empty());
}

#[test]
fn yes_skips_the_prompt_and_nothing_to_do_asks_nothing() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    // Nothing old enough: no prompt.
    t.exec("INSERT INTO last (server, username, seconds, state) SELECT server, username, 2000000000, '' FROM users");
    let p = t.pty(
        &["delete_old_users", "365"],
        &[
            ("MONGOOSEIMCTL_NOW", "2000000000"),
            ("MONGOOSEIMCTL_PROGRESS", "never"),
        ],
    );
    assert_eq!(p.finish(), (0, "Deleted 0 users: []\n".to_string()));
    t.exec("DELETE FROM last");
    let p = t.pty(&["delete_old_users", "365", "--yes"], NO_BARS);
    assert_eq!(p.finish(), (0, DELETED3.to_string()));
    assert!(t.users().is_empty());
}

#[test]
fn the_other_guarded_commands_ask_on_a_terminal() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    let mut p = t.pty(&["unregister", "alice", "localhost"], NO_BARS);
    p.expect("unregister will delete 1 account (alice@localhost). Continue? [y/N] ");
    p.send_line("y");
    let (code, rest) = p.finish();
    assert_eq!((code, after_answer(&rest, "y")), (0, String::new()));
    assert_eq!(t.users().len(), 2);
    let mut p = t.pty(&["push_roster_alltoall", "localhost", "Team"], NO_BARS);
    p.expect(
        "push_roster_alltoall will write 2 roster items for 2 accounts on localhost \
         (group \"Team\"). Continue? [y/N] ",
    );
    p.send_line("n");
    assert_eq!(p.finish().0, 1);
    assert!(roster_rows(&t).is_empty());
    // A dry run never asks.
    let p = t.pty(&["--dry-run", "unregister", "bob", "localhost"], NO_BARS);
    assert_eq!(p.finish(), (0, NOTICE.to_string()));
    assert_eq!(t.users().len(), 2);
}

#[test]
fn a_store_changed_since_the_prompt_is_refused() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    let mut p = t.pty(&["delete_old_users", "365"], NO_BARS);
    p.expect(PROMPT);
    // While the prompt waits (no transaction is open), another account arrives.
    t.register("dave", "localhost", "pw");
    p.send_line("y");
    let (code, rest) = p.finish();
    assert_eq!(
        (code, after_answer(&rest, "y").as_str()),
        (
            1,
            "error: the store changed since you confirmed: 4 accounts would now be affected \
             instead of 3; nothing was changed, run the command again\n"
        )
    );
    assert_eq!(t.users().len(), 4);
}

#[test]
fn the_prompt_and_the_progress_bar_share_the_terminal() {
    // The default on a terminal: a bar for the deletion after the answer; the prompt comes
    // before any bar, and the results are intact at the end.
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    let mut p = t.pty(&["delete_old_users", "365"], &[]);
    let before = p.expect(PROMPT);
    assert!(!before.contains("deleting accounts"), "{before:?}");
    p.send_line("y");
    let (code, rest) = p.finish();
    assert_eq!(code, 0, "{rest:?}");
    assert!(rest.contains("deleting accounts: ["), "{rest:?}");
    assert!(rest.ends_with(DELETED3), "{rest:?}");
    assert!(t.users().is_empty());
}

#[test]
fn with_stderr_redirected_the_question_still_reaches_the_terminal() {
    // `mongooseimctl delete_old_users 365 2>log` at a terminal: the question goes to the
    // controlling terminal rather than into the log the operator cannot see.
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    let log = t.path("err.log");
    let mut p = t.pty_stderr_to(&["delete_old_users", "365"], &log);
    p.expect(PROMPT);
    p.send_line("n");
    let (code, _) = p.finish();
    assert_eq!(code, 1);
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "aborted: nothing was changed\n"
    );
    assert_eq!(t.users().len(), 3);
}

#[test]
fn the_message_purges_ask_with_their_count_and_delete_only_when_confirmed() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_messages(&t);
    t.exec("UPDATE offline_message SET expire = 1 WHERE packet LIKE '%one%'");
    // The plan counts and deletes nothing: after `n` every message is still there.
    let mut p = t.pty(&["delete_old_messages", "localhost", "0"], NO_BARS);
    p.expect("delete_old_messages will delete 3 offline messages on localhost. Continue? [y/N] ");
    p.send_line("n");
    assert_eq!(p.finish().0, 1);
    assert_eq!(offline_count(&t), ["3"]);
    let mut p = t.pty(&["delete_expired_messages", "localhost"], NO_BARS);
    p.expect(
        "delete_expired_messages will delete 1 offline message on localhost. Continue? [y/N] ",
    );
    p.send_line("y");
    let (code, rest) = p.finish();
    assert_eq!(
        (code, after_answer(&rest, "y")),
        (0, "Removed 1 messages\n".to_string())
    );
    assert_eq!(offline_count(&t), ["2"]);
}

#[test]
fn aborts_and_changed_stores_have_their_json_kinds() {
    let t = TestEnv::sqlite_only(DEFAULT_CONFIG);
    three_accounts(&t);
    // No at the prompt: the one JSON document names the abort; nothing is deleted.
    let mut p = t.pty(&["-o", "json", "delete_old_users", "365"], NO_BARS);
    p.expect(PROMPT);
    p.send_line("n");
    let (code, rest) = p.finish();
    // stdout's document, then stderr's one line (both on the terminal).
    let rest = after_answer(&rest, "n");
    let (json, err) = rest.split_once('\n').expect("two lines");
    assert_eq!(err, "aborted: nothing was changed\n");
    let doc: serde_json::Value = serde_json::from_str(json).expect("one JSON document");
    assert_eq!(code, 1);
    assert_eq!(doc["command"], "delete_old_users");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["error"]["kind"], "aborted");
    assert_eq!(doc["error"]["message"], "aborted: nothing was changed");
    assert_eq!(t.users().len(), 3);
    // The store changed while the prompt waited.
    let mut p = t.pty(&["-o", "json", "delete_old_users", "365"], NO_BARS);
    p.expect(PROMPT);
    t.register("dave", "localhost", "pw");
    p.send_line("y");
    let (code, rest) = p.finish();
    let rest = after_answer(&rest, "y");
    let (json, err) = rest.split_once('\n').expect("two lines");
    assert!(
        err.starts_with("error: the store changed since you confirmed"),
        "{err:?}"
    );
    let doc: serde_json::Value = serde_json::from_str(json).expect("one JSON document");
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["kind"], "store_changed");
    assert_eq!(
        doc["error"]["message"],
        "the store changed since you confirmed: 4 accounts would now be affected instead of \
         3; nothing was changed, run the command again"
    );
    assert_eq!(t.users().len(), 4);
    // --dry-run on a command it does not apply to: a usage error, JSON too.
    let r = t.run(&[
        "-o",
        "json",
        "--dry-run",
        "check_account",
        "alice",
        "localhost",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["error"]["kind"], "usage");
}
