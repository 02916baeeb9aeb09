//! The store's files and errors (issue 7 items 5, 8, 9) and `check_store` (item 12).
//!
//! Tests run as root, which ignores permission bits: other users are played with `setpriv`
//! (uid 1000 owns the store, uid 65534 is "another user"), a read-only mount and a full disk
//! with `unshare -m` (a private mount namespace: the mounts vanish with the process). Where
//! these are not available (not root), the tests that need them say so on stderr and pass.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::*;

const OWNER: u32 = 1000;
const OTHER: u32 = 65534;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mongooseimctl")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o7777
}

fn sidecar(p: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", p.display()))
}

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

fn chown(p: &Path, uid: u32) {
    std::os::unix::fs::chown(p, Some(uid), Some(uid)).unwrap();
}

/// `prefix… mongooseimctl -c CONFIG --store STORE -o text args…` with the test environment.
fn wrapped(t: &TestEnv, prefix: &[&str], store: &Path, args: &[&str]) -> Run {
    wrapped_env(t, prefix, &[], store, args)
}

fn wrapped_env(
    t: &TestEnv,
    prefix: &[&str],
    env: &[(&str, &str)],
    store: &Path,
    args: &[&str],
) -> Run {
    let mut cmd = assert_cmd::Command::new(prefix[0]);
    cmd.args(&prefix[1..]);
    scrub(t, &mut cmd);
    cmd.envs(env.iter().copied());
    cmd.arg(bin())
        .arg("-c")
        .arg(&t.config)
        .arg("--store")
        .arg(store)
        .args(["-o", "text"])
        .args(args);
    run_cmd(&mut cmd)
}

fn scrub(t: &TestEnv, cmd: &mut assert_cmd::Command) {
    for (k, _) in std::env::vars() {
        if k.starts_with("MONGOOSEIM") || k.starts_with("XDG_") || k == "CI" {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", t.dir.path())
        .env("XDG_DATA_HOME", t.dir.path().join("xdg-data"))
        .env("NO_COLOR", "1")
        .current_dir(t.dir.path());
}

const UMASK: &str = "umask \"$UMASK\"; exec \"$0\" \"$@\"";

fn with_umask(t: &TestEnv, umask: &str, store: &Path, args: &[&str]) -> Run {
    wrapped_env(t, &["sh", "-c", UMASK], &[("UMASK", umask)], store, args)
}

fn as_user(t: &TestEnv, uid: u32, store: &Path, args: &[&str]) -> Run {
    let id = uid.to_string();
    wrapped(
        t,
        &["setpriv", "--reuid", &id, "--regid", &id, "--clear-groups"],
        store,
        args,
    )
}

/// Whether this process may play other users and mount file systems (root with setpriv and
/// unshare); otherwise the caller skips, saying so.
#[allow(clippy::print_stderr)]
fn privileged(test: &str) -> bool {
    let ok = std::process::Command::new("unshare")
        .args(["-m", "setpriv", "--reuid", "65534", "true"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("{test}: skipped (needs root with setpriv and unshare)");
    }
    ok
}

/// A test dir other users can enter, with a store directory owned by OWNER.
fn shared_env() -> (TestEnv, PathBuf) {
    let t = TestEnv::new();
    chmod(t.dir.path(), 0o755);
    let dir = t.path("d");
    std::fs::create_dir(&dir).unwrap();
    chown(&dir, OWNER);
    let store = dir.join("store.db");
    (t, store)
}

fn stderr_is(r: &Run, line: &str) {
    assert_eq!(r.stderr, format!("{line}\n"), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// Item 5: private files and directories whatever the umask; a warning for a shared store.

#[test]
fn new_store_file_and_directories_are_private_whatever_the_umask() {
    for umask in ["000", "022"] {
        let t = TestEnv::new();
        chmod(t.dir.path(), 0o755);
        let store = t.path("new/sub/store.db");
        with_umask(
            &t,
            umask,
            &store,
            &["register_identified", "alice", "localhost", "pw"],
        )
        .ok("User alice@localhost successfully registered\n");
        assert_eq!(mode(&store), 0o600, "umask {umask}");
        assert_eq!(mode(&t.path("new")), 0o700, "umask {umask}");
        assert_eq!(mode(&t.path("new/sub")), 0o700, "umask {umask}");
        // An existing directory keeps its mode.
        assert_eq!(mode(t.dir.path()), 0o755);

        // The -wal and -shm files exist while a run has the store open: keep one blocked on
        // writing a large result into a pipe nobody reads.
        let big = "x".repeat(100_000);
        with_umask(
            &t,
            umask,
            &store,
            &["set_vcard", "alice", "localhost", "FN", &big],
        )
        .ok("");
        let mut child = std::process::Command::new("sh")
            .env("UMASK", umask)
            .args(["-c", UMASK, bin(), "-c"])
            .arg(&t.config)
            .arg("--store")
            .arg(&store)
            .args(["-o", "text", "get_vcard", "alice", "localhost", "FN"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (wal, shm) = (sidecar(&store, "-wal"), sidecar(&store, "-shm"));
        let start = Instant::now();
        while !(wal.exists() && shm.exists()) && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let modes = (mode(&wal), mode(&shm));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(modes, (0o600, 0o600), "umask {umask}");
    }
}

#[test]
fn a_store_others_can_read_gets_one_warning_and_keeps_its_mode() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let r = t.run(&["registered_users", "localhost"]);
    r.ok("alice\n");
    assert_eq!(r.stderr, "");
    chmod(&t.store, 0o644);
    let r = t.run(&["registered_users", "localhost"]);
    r.ok("alice\n");
    let s = t.store.display();
    stderr_is(
        &r,
        &format!(
            " WARN the store is accessible to other users ({s} 0644, {s}-wal 0644, {s}-shm 0644): \
             anyone in its group or on this machine may read its password data and messages; \
             restrict it with `chmod 600 {s} {s}-wal {s}-shm`"
        ),
    );
    assert_eq!(mode(&t.store), 0o644);
    // -q silences it, as every warning.
    let r = run_cmd(t.cmd().args(["-q", "registered_users", "localhost"]));
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "alice\n", "")
    );
}

// ---------------------------------------------------------------------------------------------
// Item 8: one-line store errors.

#[test]
fn a_foreign_sqlite_database_is_refused_in_one_line_and_left_alone() {
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    {
        let conn = rusqlite::Connection::open(&t.store).unwrap();
        conn.execute_batch(
            "CREATE TABLE foo (x); CREATE TABLE \"bar\x1b[2J\" (y); INSERT INTO foo VALUES (1);",
        )
        .unwrap();
    }
    let before = std::fs::read(&t.store).unwrap();
    let r = t.run(&["registered_users", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    let s = t.store.display();
    stderr_is(
        &r,
        &format!(
            "error: {s} is an SQLite database but not a mongooseimctl/MongooseIM store \
             (user_version 0, tables \"bar\\u{{1b}}[2J\", \"foo\"); it was left unchanged: point \
             --store (or MONGOOSEIM_STORE, or the config's rdbms pool) at a mongooseimctl store \
             or at a new file"
        ),
    );
    assert_eq!(std::fs::read(&t.store).unwrap(), before);
    assert!(!sidecar(&t.store, "-wal").exists() && !sidecar(&t.store, "-shm").exists());
    let doc = t.json(&["registered_users", "localhost"]);
    assert_eq!(doc["error"]["kind"], "store_unavailable");
    assert_eq!(doc["error"]["reason"], "foreign_database");
    assert_eq!(doc["error"]["path"], json!(s.to_string()));

    // A schema version without our tables is not ours either.
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    {
        let conn = rusqlite::Connection::open(&t.store).unwrap();
        conn.execute_batch("PRAGMA user_version = 1; CREATE TABLE users (a);")
            .unwrap();
    }
    let r = t.run(&["registered_users", "localhost"]);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr
            .contains("is an SQLite database but not a mongooseimctl/MongooseIM store (user_version 1, tables \"users\")"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_read_only_directory_lets_reads_work_and_writes_say_why() {
    if !privileged("a_read_only_directory_lets_reads_work_and_writes_say_why") {
        return;
    }
    let (t, store) = shared_env();
    as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "alice", "localhost", "pw"],
    )
    .ok("User alice@localhost successfully registered\n");
    let dir = store.parent().unwrap().to_path_buf();
    chmod(&dir, 0o555);
    let r = as_user(&t, OWNER, &store, &["registered_users", "localhost"]);
    r.ok("alice\n");
    assert_eq!(r.stderr, "");
    let r = as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "bob", "localhost", "pw"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    stderr_is(
        &r,
        &format!(
            "error: the store is read-only: this user cannot create files in {d}, where SQLite \
             keeps the -wal and -shm files it needs to write {d}/store.db; run the command as the \
             directory's owner, or make the directory writable",
            d = dir.display()
        ),
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing but the store in the directory"
    );
    chmod(&dir, 0o755);
    assert_eq!(
        t.col_of(&store, "SELECT username FROM users"),
        vec!["alice"]
    );
}

#[test]
fn a_read_only_store_file_lets_reads_work_and_writes_say_why() {
    if !privileged("a_read_only_store_file_lets_reads_work_and_writes_say_why") {
        return;
    }
    let (t, store) = shared_env();
    as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "alice", "localhost", "pw"],
    )
    .ok("User alice@localhost successfully registered\n");
    chmod(&store, 0o400);
    let r = as_user(&t, OWNER, &store, &["registered_users", "localhost"]);
    r.ok("alice\n");
    let r = as_user(
        &t,
        OWNER,
        &store,
        &["change_password", "alice", "localhost", "new"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    let s = store.display();
    stderr_is(
        &r,
        &format!(
            "error: the store is read-only: {s} is not writable by this user (mode 0400); run the \
             command as the store's owner, or give write permission (`chmod u+w {s}`)"
        ),
    );
    let doc: serde_json::Value = serde_json::from_str(
        &as_user(
            &t,
            OWNER,
            &store,
            &["-o", "json", "change_password", "alice", "localhost", "new"],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(doc["error"]["reason"], "read_only_file");
    // Another user's read of a store it can only read leaves no -wal/-shm behind (item 9's
    // cause).
    chmod(&store, 0o444);
    chmod(store.parent().unwrap(), 0o777);
    as_user(&t, OTHER, &store, &["registered_users", "localhost"]).ok("alice\n");
    assert!(!sidecar(&store, "-wal").exists() && !sidecar(&store, "-shm").exists());
    chmod(&store, 0o600);
    as_user(
        &t,
        OWNER,
        &store,
        &["check_password", "alice", "localhost", "pw"],
    )
    .ok("Password for user alice@localhost is correct\n");
}

/// Run a shell script in a private mount namespace; `$BIN`, `$CFG`, `$DIR` are set.
fn in_namespace(t: &TestEnv, dir: &Path, script: &str) -> Run {
    let mut cmd = assert_cmd::Command::new("unshare");
    cmd.args(["-m", "sh", "-c", script]);
    scrub(t, &mut cmd);
    cmd.env("BIN", bin()).env("CFG", &t.config).env("DIR", dir);
    run_cmd(&mut cmd)
}

#[test]
fn a_read_only_mount_lets_reads_work_and_writes_say_why() {
    if !privileged("a_read_only_mount_lets_reads_work_and_writes_say_why") {
        return;
    }
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    let dir = t.dir.path();
    let r = in_namespace(
        &t,
        dir,
        r#"mount --bind "$DIR" "$DIR" && mount -o remount,ro,bind "$DIR" || exit 99
        S="$DIR/xdg-data/mongooseimctl/mongooseim.db"
        "$BIN" -c "$CFG" --store "$S" registered_users localhost; echo "rc=$?"
        "$BIN" -c "$CFG" --store "$S" register_identified bob localhost pw 2>&1; echo "rc=$?"
        "$BIN" -c "$CFG" --store "$DIR/new/store.db" register_identified bob localhost pw 2>&1; echo "rc=$?""#,
    );
    let s = t.store.display();
    let d = dir.display();
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            format!(
                "alice\nrc=0\n\
                 error: the store's file system is mounted read-only ({s}); remount it read-write to \
                 change the store, or work on a copy\nrc=3\n\
                 error: the store's file system is mounted read-only ({d}/new/store.db); remount it \
                 read-write to change the store, or work on a copy\nrc=3\n"
            )
            .as_str()
        ),
        "{r:?}"
    );
    assert_eq!(t.users(), vec!["alice@localhost"]);
}

#[test]
fn a_full_disk_says_so_and_changes_nothing() {
    if !privileged("a_full_disk_says_so_and_changes_nothing") {
        return;
    }
    let t = TestEnv::new();
    let dir = t.path("small");
    std::fs::create_dir(&dir).unwrap();
    let r = in_namespace(
        &t,
        &dir,
        r#"mount -t tmpfs -o size=1m tmpfs "$DIR" || exit 99
        S="$DIR/store.db"
        "$BIN" -c "$CFG" --store "$S" register_identified alice localhost pw; echo "rc=$?"
        dd if=/dev/zero of="$DIR/fill" bs=4k 2>/dev/null
        "$BIN" -c "$CFG" --store "$S" register_identified bob localhost pw 2>&1; echo "rc=$?"
        "$BIN" -c "$CFG" --store "$S" -o json register_identified bob localhost pw; echo "rc=$?"
        rm "$DIR/fill"
        "$BIN" -c "$CFG" --store "$S" registered_users localhost; echo "rc=$?""#,
    );
    let s = dir.join("store.db");
    let s = s.display();
    let message = format!(
        "the disk holding the store is full ({s}); nothing was changed: free some space on it \
         and run the command again"
    );
    let doc = json!({"command": "register_identified", "ok": false, "error": {
        "kind": "store_unavailable", "message": message, "reason": "disk_full", "path": s.to_string()}});
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            format!(
                "User alice@localhost successfully registered\nrc=0\nerror: {message}\nrc=3\n{doc}\nrc=3\nalice\nrc=0\n"
            )
            .as_str()
        ),
        "{r:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Item 9: a -shm (and empty -wal) another user's read left behind.

/// Leave the store with the -wal and -shm files a reader that is OTHER leaves (SQLite gives
/// them the store's mode, 0444 here): copied from a live connection's, then given to OTHER.
fn leave_stale_sidecars(store: &Path, write_first: bool) {
    let (wal, shm) = (sidecar(store, "-wal"), sidecar(store, "-shm"));
    let (wal_copy, shm_copy) = (sidecar(store, "-wal.copy"), sidecar(store, "-shm.copy"));
    {
        let conn = rusqlite::Connection::open(store).unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        if write_first {
            conn.execute_batch("INSERT INTO mongooseimctl_state (k, v) VALUES ('probe', 'x')")
                .unwrap();
        }
        let _: i64 = conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .unwrap();
        std::fs::copy(&wal, &wal_copy).unwrap();
        std::fs::copy(&shm, &shm_copy).unwrap();
    }
    std::fs::rename(&wal_copy, &wal).unwrap();
    std::fs::rename(&shm_copy, &shm).unwrap();
    for f in [&wal, &shm] {
        chown(f, OTHER);
        chmod(f, 0o444);
    }
}

#[test]
fn a_stale_shm_of_another_user_is_recovered_when_no_one_has_the_store_open() {
    if !privileged("a_stale_shm_of_another_user_is_recovered_when_no_one_has_the_store_open") {
        return;
    }
    let (t, store) = shared_env();
    chmod(store.parent().unwrap(), 0o777);
    as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "alice", "localhost", "pw"],
    )
    .ok("User alice@localhost successfully registered\n");
    let big = "x".repeat(100_000);
    as_user(
        &t,
        OWNER,
        &store,
        &["set_vcard", "alice", "localhost", "FN", &big],
    )
    .ok("");
    chmod(&store, 0o644);
    leave_stale_sidecars(&store, false);

    // The other user still has the store open (a read blocked on writing its result): the
    // files are left alone and the write fails, saying why.
    let mut holder = std::process::Command::new("setpriv")
        .args([
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            bin(),
            "-q",
            "-c",
        ])
        .arg(&t.config)
        .arg("--store")
        .arg(&store)
        .args(["-o", "text", "get_vcard", "alice", "localhost", "FN"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(holder.stdout.as_mut().unwrap(), &mut first).unwrap();
    let r = as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "bob", "localhost", "pw"],
    );
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    let s = store.display();
    stderr_is(
        &r,
        &format!(
            "error: the store {s} cannot be written: {s}-shm, left by another user's read, is not \
             writable by this user and was not replaced: another process has the store open: try \
             again when it has finished (the file belongs to uid {OTHER})"
        ),
    );
    assert_eq!(
        std::fs::metadata(sidecar(&store, "-shm")).unwrap().uid(),
        OTHER
    );
    assert_eq!(
        std::fs::metadata(sidecar(&store, "-wal")).unwrap().uid(),
        OTHER
    );

    // Nobody has it open any more: recovered, and the write goes through.
    as_user(
        &t,
        OWNER,
        &store,
        &["-q", "register_identified", "bob", "localhost", "pw"],
    )
    .ok("User bob@localhost successfully registered\n");
    for f in [sidecar(&store, "-wal"), sidecar(&store, "-shm")] {
        assert!(!f.exists(), "{} is left", f.display());
    }
    assert_eq!(
        t.col_of(&store, "SELECT username FROM users ORDER BY username"),
        vec!["alice", "bob"]
    );
}

#[test]
fn a_stale_wal_holding_data_is_never_deleted() {
    if !privileged("a_stale_wal_holding_data_is_never_deleted") {
        return;
    }
    let (t, store) = shared_env();
    chmod(store.parent().unwrap(), 0o777);
    as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "alice", "localhost", "pw"],
    )
    .ok("User alice@localhost successfully registered\n");
    leave_stale_sidecars(&store, true);
    let wal = sidecar(&store, "-wal");
    let before = std::fs::read(&wal).unwrap();
    assert!(!before.is_empty());
    let r = as_user(
        &t,
        OWNER,
        &store,
        &["register_identified", "bob", "localhost", "pw"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    let s = store.display();
    stderr_is(
        &r,
        &format!(
            "error: the store {s} cannot be written: {s}-wal, left by another user's read, is not \
             writable by this user and was not replaced: it holds data not yet in the store, so it \
             is never deleted: run the command as its owner (uid {OTHER}), who can write it"
        ),
    );
    assert_eq!(std::fs::read(&wal).unwrap(), before);
}

// ---------------------------------------------------------------------------------------------
// Item 12: check_store.

fn populated() -> TestEnv {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&[
        "add_rosteritem",
        "alice",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "friends",
        "both",
    ])
    .ok("Added the item to the roster of alice@localhost\n");
    t.run(&["set_vcard", "alice", "localhost", "FN", "Alice"])
        .ok("");
    t.run(&["private_set", "alice", "localhost", "<a xmlns='ns'>x</a>"])
        .ok("");
    t.run(&["set_last", "alice", "localhost", "1700000000", "away"])
        .ok("Last activity for user alice@localhost is set as 1700000000 with status away\n");
    t
}

#[test]
fn check_store_on_a_sound_store_exits_0_and_changes_nothing() {
    let t = populated();
    let before = std::fs::read(&t.store).unwrap();
    t.run(&["check_store"])
        .ok(&format!("no problems found in {}\n", t.store.display()));
    assert_eq!(std::fs::read(&t.store).unwrap(), before);
    assert_eq!(
        t.json(&["check_store"]),
        json!({"command": "check_store", "ok": true, "result": {
            "ok": true, "store": t.store.display().to_string(), "problems": []}})
    );
    t.run(&["core", "check_store"])
        .ok(&format!("no problems found in {}\n", t.store.display()));
}

#[test]
fn check_store_reports_each_kind_of_problem() {
    let t = populated();
    t.exec(
        "INSERT INTO vcard (username, server, vcard) VALUES ('ghost', 'localhost', '<vCard xmlns=\"vcard-temp\"/>');
         INSERT INTO last (server, username, seconds, state) VALUES ('localhost', 'ghost', 1, ''), ('example.org', 'gone', 2, '');
         INSERT INTO offline_message (timestamp, server, username, from_jid, packet) VALUES (1, 'localhost', 'ghost', 'a@b', '<message/>'), (2, 'localhost', 'ghost', 'a@b', '<message/>');
         INSERT INTO rostergroups (server, username, jid, grp) VALUES ('localhost', 'bob', 'carol@localhost', 'work');
         UPDATE users SET pass_details = 'garbage' WHERE username = 'bob';
         INSERT INTO users (username, server, \"password\", pass_details) VALUES ('carol', 'localhost', '', NULL), ('dave', 'localhost', '', '==MULTI_SCRAM==,64');
         UPDATE vcard SET vcard = '<vCard xmlns=\"vcard-temp\"><FN>Alice</FN>' WHERE username = 'alice';
         INSERT INTO private_storage (server, username, namespace, data) VALUES ('localhost', 'alice', 'broken', '<b xmlns=''broken''');",
    );
    let before = std::fs::read(&t.store).unwrap();
    let s = t.store.display();
    let lines = [
        ("orphan", Some("last"), "1 row of gone@example.org, which has no account"),
        ("orphan", Some("last"), "1 row of ghost@localhost, which has no account"),
        ("orphan", Some("vcard"), "1 row of ghost@localhost, which has no account"),
        ("orphan", Some("offline_message"), "2 rows of ghost@localhost, which has no account"),
        (
            "orphan_group",
            Some("rostergroups"),
            "group \"work\" of bob@localhost's contact carol@localhost, which is not in the roster",
        ),
        (
            "password",
            Some("users"),
            "bob@localhost: pass_details is not a SCRAM serialisation MongooseIM reads; the account cannot log in",
        ),
        (
            "password",
            Some("users"),
            "carol@localhost: the plain password is empty and there is no pass_details; the account cannot log in",
        ),
        (
            "password",
            Some("users"),
            "dave@localhost: pass_details is a SCRAM serialisation without any hash; the account cannot log in",
        ),
        (
            "xml",
            Some("vcard"),
            "alice@localhost: the stored vCard is not XML (unexpected end of data)",
        ),
        (
            "xml",
            Some("private_storage"),
            "alice@localhost, namespace \"broken\": the stored element is not XML (expected >)",
        ),
    ];
    let mut text = String::new();
    for (kind, table, detail) in &lines {
        match table {
            Some(table) => text.push_str(&format!("{kind}: {table}: {detail}\n")),
            None => text.push_str(&format!("{kind}: {detail}\n")),
        }
    }
    text.push_str(&format!("10 problems found in {s}\n"));
    t.run(&["check_store"]).fails(&text);
    let problems: Vec<_> = lines
        .iter()
        .map(|(kind, table, detail)| json!({"kind": kind, "table": table, "detail": detail}))
        .collect();
    assert_eq!(
        t.json(&["check_store"]),
        json!({"command": "check_store", "ok": false, "error": {
            "kind": "store_check_failed", "message": text.trim_end(),
            "ok": false, "store": s.to_string(), "problems": problems}})
    );
    assert_eq!(
        std::fs::read(&t.store).unwrap(),
        before,
        "check_store wrote to the store"
    );
}

#[test]
fn check_store_reports_a_damaged_page_that_other_commands_only_meet_when_they_read_it() {
    let t = TestEnv::new();
    for u in ["alice", "bob", "carol"] {
        t.register(u, "localhost", "pw");
        t.run(&["set_vcard", u, "localhost", "FN", u]).ok("");
    }
    let page: i64 = t.col("SELECT rootpage FROM sqlite_master WHERE name = 'vcard'")[0]
        .parse()
        .unwrap();
    let size: i64 = t.col("PRAGMA page_size")[0].parse().unwrap();
    t.diverge(); // the SQLite file is damaged by hand
    let mut bytes = std::fs::read(&t.store).unwrap();
    let at = ((page - 1) * size) as usize;
    bytes[at..at + 8].copy_from_slice(&[0xff; 8]);
    std::fs::write(&t.store, &bytes).unwrap();

    // Commands that do not read the page see nothing wrong.
    t.run(&["registered_users", "localhost"])
        .ok("alice\nbob\ncarol\n");
    let s = t.store.display();
    let text = format!(
        "integrity: Tree {page} page {page}: btreeInitPage() returns error code 11\n\
         integrity: wrong # of entries in index sqlite_autoindex_vcard_1\n\
         unreadable: vcard: database disk image is malformed (the rest of this table was not checked)\n\
         3 problems found in {s}\n"
    );
    t.run(&["check_store"]).fails(&text);
    // A command that reads it fails with the advice to run check_store.
    let r = t.run(&["get_vcard", "alice", "localhost", "FN"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    stderr_is(
        &r,
        &format!(
            "error: the store file {s} is damaged (database disk image is malformed); see what is \
             affected with `mongooseimctl check_store` and restore the store from a backup"
        ),
    );
    assert_eq!(std::fs::read(&t.store).unwrap(), bytes);
}

#[test]
fn check_store_on_a_store_whose_header_is_damaged_exits_3() {
    let t = populated();
    let mut bytes = std::fs::read(&t.store).unwrap();
    bytes[0..16].copy_from_slice(b"not sqlite at al");
    std::fs::write(&t.store, &bytes).unwrap();
    let r = t.run(&["check_store"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(r.stderr.contains("not an SQLite database"), "{}", r.stderr);
    assert_eq!(std::fs::read(&t.store).unwrap(), bytes);
}

#[test]
fn check_store_takes_no_arguments_and_does_not_open_the_store_then() {
    let t = TestEnv::new();
    let r = t.run(&["check_store", "x"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .starts_with("\nError: the command \"check_store\" requires 1 less argument.\n"),
        "{}",
        r.stdout
    );
    assert!(!t.store.exists());
}

trait StoreAt {
    fn col_of(&self, store: &Path, query: &str) -> Vec<String>;
}

impl StoreAt for TestEnv {
    /// One column of a query on the store at `store` (not this env's default store).
    fn col_of(&self, store: &Path, query: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open(store).unwrap();
        let mut st = conn.prepare(query).unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.map(|r| r.unwrap()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 12 item 8: a read-only command does not create a store at a mistyped explicit path.

#[test]
fn a_read_only_command_refuses_an_explicit_store_that_does_not_exist() {
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    let typo = t.path("stroe.db");
    let message = format!(
        "error: store {} does not exist (a read-only command does not create it; check the \
         --store path, or run a command that writes to create the store)\n",
        typo.display()
    );
    for args in [
        &["registered_users", "localhost"][..],
        &["check_account", "alice", "localhost"],
        &["accounts", "check_account", "alice", "localhost"],
        &["status"],
        &["get_roster", "alice", "localhost"],
    ] {
        let r = run_cmd(t.cmd().arg("--store").arg(&typo).args(args));
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (3, "", message.as_str()),
            "{args:?}"
        );
        assert!(!typo.exists(), "{args:?} created the store");
    }
    // JSON names the kind and the reason.
    let r = run_cmd(t.cmd().arg("--store").arg(&typo).args([
        "-o",
        "json",
        "registered_users",
        "localhost",
    ]));
    assert_eq!(r.code, 3);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["error"]["kind"], "store_unavailable");
    assert_eq!(doc["error"]["reason"], "missing");
    // A parent directory that does not exist either: the same refusal, nothing created.
    let deep = t.path("nope/sub/store.db");
    let r = run_cmd(
        t.cmd()
            .arg("--store")
            .arg(&deep)
            .args(["stats", "registeredusers"]),
    );
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("does not exist"), "{r:?}");
    assert!(!t.path("nope").exists());
    // A dry run writes nothing, so it does not create the store either.
    let r =
        run_cmd(
            t.cmd()
                .arg("--store")
                .arg(&typo)
                .args(["--dry-run", "delete_old_users", "30"]),
        );
    assert_eq!((r.code, r.stderr.as_str()), (3, message.as_str()));
    assert!(!typo.exists());
    // MONGOOSEIM_STORE is configuration (set once, e.g. before a fresh install's first
    // command): a read creates the store it names, as before.
    let configured = t.path("configured.db");
    let r = run_cmd(
        t.cmd()
            .env("MONGOOSEIM_STORE", &configured)
            .args(["registered_users", "localhost"]),
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{r:?}");
    assert!(configured.exists());
    // A command that writes creates the store as before; then the reads work.
    let r = run_cmd(t.cmd().arg("--store").arg(&typo).args([
        "register_identified",
        "alice",
        "localhost",
        "pw",
    ]));
    assert_eq!(r.code, 0, "{r:?}");
    let r = run_cmd(
        t.cmd()
            .arg("--store")
            .arg(&typo)
            .args(["registered_users", "localhost"]),
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "alice\n"));
}

#[test]
fn the_default_store_is_still_created_by_a_read() {
    // Without --store / MONGOOSEIM_STORE nothing was mistyped: the default store is created
    // on first use, as before (a fresh install lists no users).
    let t = TestEnv::sqlite_only(crate::support::DEFAULT_CONFIG);
    assert!(!t.store.exists());
    t.run(&["registered_users", "localhost"]).ok("");
    assert!(t.store.exists());
}
