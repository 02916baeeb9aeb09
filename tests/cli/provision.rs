//! Provisioning verbs (issue 12): ensure_account, ensure_rosteritem, batch.

use crate::support::*;

fn passwords(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, password, COALESCE(pass_details, '') FROM users ORDER BY username")
}

fn items(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, jid, nick, subscription, ask FROM rosterusers ORDER BY username, jid")
}

fn groups(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, jid, grp FROM rostergroups ORDER BY username, jid, grp")
}

fn row(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

fn pushes(t: &TestEnv) -> usize {
    t.col("SELECT COUNT(*) FROM mongooseimctl_delivered")[0]
        .parse()
        .unwrap()
}

#[test]
fn ensure_account_creates_updates_and_leaves_unchanged() {
    let t = TestEnv::new();
    t.run(&["ensure_account", "alice", "localhost", "pw1"])
        .ok("User alice@localhost created\n");
    assert_eq!(t.users(), ["alice@localhost"]);
    t.run(&["check_password", "alice", "localhost", "pw1"])
        .ok("Password for user alice@localhost is correct\n");
    let before = passwords(&t);
    t.run(&["ensure_account", "alice", "localhost", "pw1"])
        .ok("User alice@localhost unchanged\n");
    // No write: the stored SCRAM credentials (and their salt) are as before.
    assert_eq!(passwords(&t), before);
    t.run(&["ensure_account", "alice", "localhost", "pw2"])
        .ok("Password of alice@localhost updated\n");
    assert_ne!(passwords(&t), before);
    t.run(&["check_password", "alice", "localhost", "pw2"])
        .ok("Password for user alice@localhost is correct\n");
    assert_eq!(t.users(), ["alice@localhost"]);
}

#[test]
fn ensure_account_json_reports_changed() {
    let t = TestEnv::new();
    let j = t.json(&["ensure_account", "bob", "localhost", "pw"]);
    assert_eq!(
        j,
        serde_json::json!({"command": "ensure_account", "ok": true,
            "result": {"jid": "bob@localhost", "action": "created", "changed": true}})
    );
    let j = t.json(&["ensure_account", "bob", "localhost", "pw"]);
    assert_eq!(j["result"]["changed"], false);
    assert_eq!(j["result"]["action"], "unchanged");
    let j = t.json(&["ensure_account", "bob", "localhost", "other"]);
    assert_eq!(j["result"]["changed"], true);
    assert_eq!(j["result"]["action"], "updated");
}

#[test]
fn ensure_account_reads_the_password_from_stdin_and_refuses_bad_input() {
    let t = TestEnv::new();
    t.run_stdin(&["ensure_account", "carol", "localhost", "-"], "secret\n")
        .ok("User carol@localhost created\n");
    t.run(&["check_password", "carol", "localhost", "secret"])
        .ok("Password for user carol@localhost is correct\n");
    t.run(&["ensure_account", "dave", "localhost", ""])
        .fails("Error: \"empty_password\"\n");
    t.run(&["ensure_account", "dave", "unknown.example", "pw"])
        .fails("Error: \"not_allowed\"\n");
    assert_eq!(t.users(), ["carol@localhost"]);
}

#[test]
fn ensure_rosteritem_upserts_and_pushes_only_changes() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.exec(
        "INSERT INTO mongooseimctl_sessions (username, server, resource, opened_at, node) VALUES
           ('alice','localhost','phone',1,'n')",
    );
    let args = [
        "ensure_rosteritem",
        "alice",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "Friends",
        "both",
    ];
    t.run(&args)
        .ok("Added the item to the roster of alice@localhost\n");
    assert_eq!(
        items(&t),
        [row(&["alice", "bob@localhost", "Bob", "B", "N"])]
    );
    assert_eq!(groups(&t), [row(&["alice", "bob@localhost", "Friends"])]);
    assert_eq!(pushes(&t), 1);
    t.run(&args)
        .ok("The item bob@localhost in the roster of alice@localhost is unchanged\n");
    assert_eq!(pushes(&t), 1);
    let j = t.json(&args);
    assert_eq!(j["result"]["changed"], false);
    assert_eq!(pushes(&t), 1);
    let mut other = args;
    other[6] = "Work";
    let j = t.json(&other);
    assert_eq!(j["result"]["changed"], true);
    assert_eq!(j["result"]["action"], "updated");
    assert_eq!(groups(&t), [row(&["alice", "bob@localhost", "Work"])]);
    assert_eq!(pushes(&t), 2);
    t.run(&[
        "ensure_rosteritem",
        "nobody",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "Friends",
        "both",
    ])
    .fails("Cannot add the item because user nobody@localhost does not exist\n");
    t.run(&[
        "ensure_rosteritem",
        "alice",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "Friends",
        "remove",
    ])
    .fails("Sub remove is incorrect. Choose one of the following:\nnone\nfrom\nto\nboth\n");
    // `remove` deletes nothing with ensure.
    assert_eq!(items(&t).len(), 1);
}

const GOOD_AND_BAD: &str = "\
# provisioning
ensure_account alice localhost 'pass word'

ensure_rosteritem alice localhost bob localhost \"Bob B\" Friends both
ensure_rosteritem nobody localhost bob localhost Bob Friends both
ensure_account carol localhost pw
";

#[test]
fn batch_stops_at_the_first_error_and_rolls_back() {
    let t = TestEnv::new();
    let file = t.write("batch.txt", GOOD_AND_BAD);
    let r = t.run(&["batch", file.to_str().unwrap()]);
    r.fails(
        "2\tok\tUser alice@localhost created (rolled back)\n\
         4\tok\tAdded the item to the roster of alice@localhost (rolled back)\n\
         5\terror\tCannot add the item because user nobody@localhost does not exist\n",
    );
    r.stderr_has("nothing was changed");
    assert!(t.users().is_empty());
    assert!(items(&t).is_empty());
}

#[test]
fn batch_continue_applies_the_good_lines() {
    let t = TestEnv::new();
    let file = t.write("batch.txt", GOOD_AND_BAD);
    t.run(&["batch", file.to_str().unwrap(), "--continue"])
        .fails(
            "2\tok\tUser alice@localhost created\n\
         4\tok\tAdded the item to the roster of alice@localhost\n\
         5\terror\tCannot add the item because user nobody@localhost does not exist\n\
         6\tok\tUser carol@localhost created\n",
        );
    assert_eq!(t.users(), ["alice@localhost", "carol@localhost"]);
    // Quoting: the password with a space, the nick with a space.
    t.run(&["check_password", "alice", "localhost", "pass word"])
        .ok("Password for user alice@localhost is correct\n");
    assert_eq!(
        items(&t),
        [row(&["alice", "bob@localhost", "Bob B", "B", "N"])]
    );
}

#[test]
fn batch_from_stdin_json_and_idempotence() {
    let t = TestEnv::new();
    let lines = "ensure_account alice localhost pw\n\
                 ensure_rosteritem alice localhost bob localhost Bob Friends both\n";
    let r = t.run_stdin(&["-o", "json", "batch", "-"], lines);
    assert_eq!(r.code, 0, "{r:?}");
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["ok"], true);
    let result = j["result"].as_array().unwrap();
    assert_eq!(result.len(), 2);
    assert_eq!(result[0]["line"], 1);
    assert_eq!(result[0]["command"], "ensure_account");
    assert_eq!(result[0]["ok"], true);
    assert_eq!(result[0]["changed"], true);
    assert_eq!(result[0]["result"]["jid"], "alice@localhost");
    assert_eq!(result[1]["changed"], true);
    // Again: nothing changes.
    let r = t.run_stdin(&["-o", "json", "batch", "-"], lines);
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["result"][0]["changed"], false);
    assert_eq!(j["result"][1]["changed"], false);
    t.run_stdin(&["batch", "-"], lines)
        .ok("1\tok\tUser alice@localhost unchanged\n\
         2\tok\tThe item bob@localhost in the roster of alice@localhost is unchanged\n");
}

#[test]
fn batch_refuses_other_commands_bad_quoting_and_stdin_passwords() {
    let t = TestEnv::new();
    let file = t.write(
        "batch.txt",
        "ensure_account alice localhost pw\n\
         retrieve_personal_data alice localhost /tmp/gdpr.zip\n\
         batch other.txt\n\
         nosuchcommand x\n\
         ensure_account bob localhost 'unterminated\n\
         ensure_account bob localhost -\n\
         ensure_account bob localhost\n",
    );
    let r = t.run(&["-o", "json", "batch", file.to_str().unwrap(), "--continue"]);
    assert_eq!(r.code, 1, "{r:?}");
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["ok"], false);
    assert_eq!(j["error"]["kind"], "batch_failed");
    assert_eq!(j["error"]["rolled_back"], false);
    let lines = j["error"]["lines"].as_array().unwrap();
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l["error"]["kind"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(
        kinds,
        [
            "ok",
            "invalid_input",
            "invalid_input",
            "unknown_command",
            "invalid_input",
            "invalid_input",
            "wrong_arity"
        ]
    );
    assert_eq!(lines[0]["changed"], true);
    assert_eq!(t.users(), ["alice@localhost"]);
}

#[test]
fn batch_lines_see_what_earlier_lines_wrote() {
    let t = TestEnv::new();
    let file = t.write(
        "batch.txt",
        "ensure_account erin localhost pw\n\
         ensure_account erin localhost pw\n\
         ensure_rosteritem erin localhost bob localhost Bob Friends sometimes\n",
    );
    t.run(&["batch", file.to_str().unwrap(), "--continue"])
        .fails(
            "1\tok\tUser erin@localhost created\n\
         2\tok\tUser erin@localhost unchanged\n\
         3\terror\tSub sometimes is incorrect. Choose one of the following: none from to both\n",
        );
    assert_eq!(t.users(), ["erin@localhost"]);
    assert!(items(&t).is_empty());
}

/// The lines of a batch: any store command, through the normal dispatch, one transaction.
const MIXED: &str = "\
register_identified alice localhost pw1
add_rosteritem alice localhost bob localhost Bob Friends both
set_vcard alice localhost FN 'Alice L'
set_last alice localhost 1700000000 away
change_password alice localhost pw2
check_password alice localhost pw2
register_identified alice localhost again
";

fn vcards(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, vcard FROM vcard ORDER BY username")
}

fn lasts(t: &TestEnv) -> Vec<Vec<String>> {
    t.sql("SELECT username, seconds, state FROM last ORDER BY username")
}

/// The state a batch may touch, to compare before and after.
fn state(t: &TestEnv) -> Vec<Vec<Vec<String>>> {
    vec![passwords(t), items(t), vcards(t), lasts(t)]
}

#[test]
fn batch_runs_any_store_command_and_a_failed_last_line_leaves_the_store_as_before() {
    let t = TestEnv::new();
    t.run(&["register_identified", "carol", "localhost", "pw"])
        .ok("User carol@localhost successfully registered\n");
    let before = state(&t);
    let file = t.write("batch.txt", MIXED);
    let r = t.run(&["batch", file.to_str().unwrap()]);
    r.fails(
        "1\tok\tUser alice@localhost successfully registered (rolled back)\n\
         2\tok\tAdded the item to the roster of alice@localhost (rolled back)\n\
         3\tok\t(rolled back)\n\
         4\tok\tLast activity for user alice@localhost is set as 1700000000 with status away (rolled back)\n\
         5\tok\tPassword for user alice@localhost successfully changed (rolled back)\n\
         6\tok\tPassword for user alice@localhost is correct (rolled back)\n\
         7\terror\tUser alice@localhost already registered at node mongooseim@localhost\n",
    );
    r.stderr_has("nothing was changed");
    assert_eq!(state(&t), before);
    assert_eq!(t.users(), ["carol@localhost"]);
}

#[test]
fn batch_continue_keeps_every_line_but_the_failed_one_and_lines_see_earlier_writes() {
    let t = TestEnv::new();
    let file = t.write("batch.txt", MIXED);
    let r = t.run(&["batch", file.to_str().unwrap(), "--continue"]);
    r.fails(
        "1\tok\tUser alice@localhost successfully registered\n\
         2\tok\tAdded the item to the roster of alice@localhost\n\
         3\tok\t\n\
         4\tok\tLast activity for user alice@localhost is set as 1700000000 with status away\n\
         5\tok\tPassword for user alice@localhost successfully changed\n\
         6\tok\tPassword for user alice@localhost is correct\n\
         7\terror\tUser alice@localhost already registered at node mongooseim@localhost\n",
    );
    assert_eq!(t.users(), ["alice@localhost"]);
    // Line 5 changed the password line 1 set, and line 6 saw it.
    t.run(&["check_password", "alice", "localhost", "pw2"])
        .ok("Password for user alice@localhost is correct\n");
    assert_eq!(
        items(&t),
        [row(&["alice", "bob@localhost", "Bob", "B", "N"])]
    );
    assert_eq!(
        vcards(&t),
        [row(&[
            "alice",
            "<vCard xmlns='vcard-temp'><FN>Alice L</FN></vCard>"
        ])]
    );
    assert_eq!(lasts(&t), [row(&["alice", "1700000000", "away"])]);
}

#[test]
fn batch_a_failed_line_with_continue_changes_nothing_of_its_own() {
    let t = TestEnv::new();
    // Line 2 fails after nothing (the account exists); line 3 reads what line 1 wrote;
    // line 4 is a read with a failed result (exit 1 alone): its line is an error.
    let file = t.write(
        "batch.txt",
        "register_identified dave localhost pw\n\
         register_identified dave localhost other\n\
         check_password dave localhost pw\n\
         check_password dave localhost wrong\n\
         registered_users localhost\n",
    );
    let r = t.run(&["-o", "json", "batch", file.to_str().unwrap(), "--continue"]);
    assert_eq!(r.code, 1, "{r:?}");
    let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["error"]["kind"], "batch_failed");
    assert_eq!(j["error"]["rolled_back"], false);
    let lines = j["error"]["lines"].as_array().unwrap();
    let oks: Vec<bool> = lines.iter().map(|l| l["ok"].as_bool().unwrap()).collect();
    assert_eq!(oks, [true, false, true, false, true]);
    assert_eq!(lines[0]["command"], "register_identified");
    // No `changed` reported by register: null.
    assert_eq!(lines[0]["changed"], serde_json::Value::Null);
    assert_eq!(
        lines[4]["result"],
        serde_json::json!({"host": "localhost", "users": ["dave"]})
    );
    t.run(&["check_password", "dave", "localhost", "pw"])
        .ok("Password for user dave@localhost is correct\n");
}

#[test]
fn batch_dry_run_runs_every_line_and_writes_nothing() {
    let t = TestEnv::new();
    let file = t.write(
        "batch.txt",
        "register_identified erin localhost pw\n\
         check_password erin localhost pw\n\
         core unregister erin localhost\n\
         accounts check_account erin localhost\n",
    );
    let expected = "1\tok\tUser erin@localhost successfully registered\n\
         2\tok\tPassword for user erin@localhost is correct\n\
         3\tok\t\n\
         4\terror\tUser erin@localhost does not exist\n";
    // The guarded unregister runs without a prompt; the flat and the global forms.
    t.run(&["batch", file.to_str().unwrap(), "--dry-run", "--continue"])
        .fails(expected)
        .stderr_has("dry run: nothing was changed");
    t.run(&["--dry-run", "batch", file.to_str().unwrap(), "--continue"])
        .fails(expected);
    assert!(t.users().is_empty());
    // For real: the same lines commit.
    t.run(&["batch", file.to_str().unwrap(), "--continue"])
        .fails(expected);
    assert!(t.users().is_empty());
    t.run(&["batch", file.to_str().unwrap(), "--yes"]).is(2, "");
}

#[test]
fn batch_refuses_what_cannot_run_inside_it() {
    let t = TestEnv::new();
    let file = t.write(
        "batch.txt",
        "status\n\
         help\n\
         export_xep0227 /tmp/x.xml localhost\n\
         check_store\n\
         core batch other.txt\n\
         set_vcard alice localhost FN -\n\
         register_identified frank localhost pw\n",
    );
    t.run(&["batch", file.to_str().unwrap(), "--continue"]).fails(
        "1\terror\tstatus cannot run in a batch\n\
         2\terror\thelp cannot run in a batch\n\
         3\terror\texport_xep0227 cannot run in a batch\n\
         4\terror\tcheck_store cannot run in a batch\n\
         5\terror\tbatch cannot run in a batch\n\
         6\terror\tset_vcard: `-` (standard input) cannot be used in a batch; write the value in the file\n\
         7\tok\tUser frank@localhost successfully registered\n",
    );
    assert_eq!(t.users(), ["frank@localhost"]);
    assert!(!std::path::Path::new("/tmp/x.xml").exists());
}

/// The bulk paths inside the outer transaction: import_users (PostgreSQL: COPY in a nested
/// savepoint), then delete_old_users (guarded: no prompt), rolled back by a failed line.
#[test]
fn batch_bulk_commands_join_the_one_transaction() {
    let t = TestEnv::new();
    let csv = t.write("users.csv", "gina,localhost,pw1\nhank,localhost,pw2\n");
    let text = format!(
        "import_users {csv}\n\
         check_password hank localhost pw2\n\
         delete_old_users 0\n\
         registered_users localhost\n\
         import_users {csv}\n\
         check_account gina localhost\n\
         check_account zed localhost\n",
        csv = csv.to_str().unwrap()
    );
    let file = t.write("batch.txt", &text);
    let r = t.run(&["batch", file.to_str().unwrap()]);
    r.fails(
        "1\tok\tok\tgina ok\thank (rolled back)\n\
         2\tok\tPassword for user hank@localhost is correct (rolled back)\n\
         3\tok\tDeleted 2 users: [{<<\"gina\">>,<<\"localhost\">>},{<<\"hank\">>,<<\"localhost\">>}] (rolled back)\n\
         4\tok\t(rolled back)\n\
         5\tok\tok\tgina ok\thank (rolled back)\n\
         6\tok\tUser gina@localhost exists (rolled back)\n\
         7\terror\tUser zed@localhost does not exist\n",
    );
    assert!(t.users().is_empty());
    // With --continue the same file keeps lines 1-6: the re-import recreated both.
    t.run(&["batch", file.to_str().unwrap(), "--continue"])
        .fails(
            "1\tok\tok\tgina ok\thank\n\
             2\tok\tPassword for user hank@localhost is correct\n\
             3\tok\tDeleted 2 users: [{<<\"gina\">>,<<\"localhost\">>},{<<\"hank\">>,<<\"localhost\">>}]\n\
             4\tok\t\n\
             5\tok\tok\tgina ok\thank\n\
             6\tok\tUser gina@localhost exists\n\
             7\terror\tUser zed@localhost does not exist\n",
        );
    assert_eq!(t.users(), ["gina@localhost", "hank@localhost"]);
}

/// A store another writer holds: the batch waits its busy timeout, exits 3 and runs nothing.
#[test]
fn batch_on_a_locked_store_exits_3_and_changes_nothing() {
    let t = TestEnv::new();
    t.run(&["register_identified", "ivy", "localhost", "pw"])
        .ok("User ivy@localhost successfully registered\n");
    t.diverge(); // SQLite's file lock
    let file = t.write(
        "batch.txt",
        "register_identified jack localhost pw\nunregister ivy localhost\n",
    );
    let conn = rusqlite::Connection::open(&t.store).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = t.run(&["batch", file.to_str().unwrap(), "--continue"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(r.stderr.contains("store busy"), "{}", r.stderr);
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(t.users(), ["ivy@localhost"]);
}
