//! PostgreSQL faults, black-box: a wrong password, a server that ends the connection in the
//! middle of a command, a deadlock with another client, a writer that holds the store, and
//! parallel writers (no lost update). Each is one line on stderr, exit 3, nothing written.

use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::pg::PgEnv;
use crate::support::{run_cmd, Run};

/// The advisory lock every mongooseimctl write transaction takes ("mimctl" in ASCII).
const WRITE_LOCK: i64 = 0x6d69_6d63_746c;

fn spawn(e: &PgEnv, args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mongooseimctl"));
    for (k, _) in std::env::vars() {
        if k.starts_with("MONGOOSEIM") || k.starts_with("XDG_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", e.t.dir.path())
        .arg("-c")
        .arg(&e.t.config)
        .args(["-o", "text"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mongooseimctl")
}

fn finish(child: Child) -> Run {
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Wait until a mongooseimctl backend of this database waits for a lock; its pid.
fn waiting_backend(e: &PgEnv, admin: &mut postgres::Client) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = admin
            .query(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 \
                 AND application_name = 'mongooseimctl' AND wait_event_type = 'Lock'",
                &[&e.db],
            )
            .expect("pg_stat_activity");
        if let Some(r) = rows.first() {
            return r.get(0);
        }
        assert!(
            Instant::now() < deadline,
            "mongooseimctl never waited for the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[track_caller]
fn one_line_exit_3(r: &Run, needle: &str) {
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(r.stderr.contains(needle), "{r:?} lacks {needle:?}");
}

fn with_vcard(name: &str) -> Option<PgEnv> {
    let e = PgEnv::new(name)?;
    e.run(&["register_identified", "alice", "localhost", "pw"])
        .ok("User alice@localhost successfully registered\n");
    e.run(&["set_vcard", "alice", "localhost", "FN", "Old"])
        .ok("");
    Some(e)
}

/// Another client's open transaction holding the lock on alice's vcard_search row (a
/// command that writes her vCard then waits for it).
fn hold_alices_search_row(holder: &mut postgres::Client) -> postgres::Transaction<'_> {
    let mut tx = holder.transaction().unwrap();
    tx.execute(
        "UPDATE vcard_search SET fn = 'held' WHERE lusername = 'alice'",
        &[],
    )
    .unwrap();
    tx
}

#[track_caller]
fn vcard_is_old(e: &PgEnv) {
    e.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("Old\n");
    assert_eq!(
        e.sql("SELECT fn FROM vcard_search WHERE lusername = 'alice'"),
        [["Old"]]
    );
}

#[test]
fn a_wrong_password_is_one_line_without_it_and_a_password_file_is_accepted() {
    let Some(e) = PgEnv::new("wrong_password") else {
        return;
    };
    static ROLE: OnceLock<()> = OnceLock::new();
    ROLE.get_or_init(|| {
        // Password authentication for this role on the socket (trust for the others).
        let hba = crate::pg::data_dir().expect("server").join("pg_hba.conf");
        let old = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        std::fs::write(&hba, format!("local all mim_pw scram-sha-256\n{old}"))
            .expect("write pg_hba.conf");
        let mut admin = postgres::Client::connect(
            &crate::pg::admin_dsn_for("postgres").unwrap(),
            postgres::NoTls,
        )
        .expect("connect");
        admin
            .batch_execute(
                "SET password_encryption = 'scram-sha-256'; \
                 CREATE ROLE mim_pw LOGIN PASSWORD 'right-pass'; SELECT pg_reload_conf();",
            )
            .expect("create the role");
    });
    e.exec(
        "GRANT ALL ON SCHEMA public TO mim_pw; GRANT ALL ON ALL TABLES IN SCHEMA public TO mim_pw; \
         GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO mim_pw;",
    );
    let text = std::fs::read_to_string(&e.t.config)
        .unwrap()
        .replace("username = \"postgres\"", "username = \"mim_pw\"")
        .replace("unused-with-trust", "wrong-pass");
    std::fs::write(&e.t.config, text).unwrap();
    let r = e.run(&["check_account", "alice", "localhost"]);
    one_line_exit_3(
        &r,
        &format!(
            "error: store unavailable: cannot connect to PostgreSQL at {}:5432 (database {}): ",
            e.sock.display(),
            e.db
        ),
    );
    assert!(
        r.stderr
            .contains("password authentication failed for user \"mim_pw\""),
        "{r:?}"
    );
    assert!(!r.stderr.contains("wrong-pass") && !r.stderr.contains("right-pass"));
    // The right password from a file (the environment wins over the config).
    let file = e.t.write("pgpass", "right-pass\n");
    let mut cmd = e.t.bare_cmd();
    cmd.arg("-c")
        .arg(&e.t.config)
        .env("MONGOOSEIMCTL_PG_PASSWORD_FILE", &file)
        .args(["register_identified", "bob", "localhost", "pw"]);
    run_cmd(&mut cmd).ok("User bob@localhost successfully registered\n");
    assert_eq!(e.sql("SELECT username FROM users"), [["bob"]]);
}

#[test]
fn a_connection_ended_in_the_middle_of_a_write_leaves_nothing_written() {
    let Some(e) = with_vcard("ended_mid_write") else {
        return;
    };
    let mut holder = e.client();
    let tx = hold_alices_search_row(&mut holder);
    // set_vcard writes vcard, then waits for the vcard_search row the holder has.
    let child = spawn(&e, &["set_vcard", "alice", "localhost", "FN", "New"]);
    let mut admin = e.client();
    let pid = waiting_backend(&e, &mut admin);
    admin
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    let r = finish(child);
    one_line_exit_3(
        &r,
        &format!(
            "error: store unavailable: postgresql {}:5432, database {}: the connection to \
             PostgreSQL was lost (",
            e.sock.display(),
            e.db
        ),
    );
    tx.rollback().unwrap();
    vcard_is_old(&e);
}

#[test]
fn a_deadlock_with_another_client_is_exit_3_and_nothing_is_written() {
    let Some(e) = with_vcard("deadlock") else {
        return;
    };
    let mut holder = e.client();
    // The holder is never the one the server chooses to abort.
    holder
        .batch_execute("SET deadlock_timeout = '60s'")
        .unwrap();
    let mut tx = holder.transaction().unwrap();
    tx.execute(
        "UPDATE vcard_search SET fn = 'held' WHERE lusername = 'alice'",
        &[],
    )
    .unwrap();
    let child = spawn(&e, &["set_vcard", "alice", "localhost", "FN", "New"]);
    let mut admin = e.client();
    waiting_backend(&e, &mut admin);
    // Now wait for the vcard row mongooseimctl holds: a deadlock, which the server breaks by
    // aborting mongooseimctl's transaction; then this update goes through.
    tx.execute(
        "UPDATE vcard SET vcard = vcard WHERE username = 'alice'",
        &[],
    )
    .unwrap();
    let r = finish(child);
    one_line_exit_3(
        &r,
        "a concurrent transaction conflicted with this one; nothing was written, run the command again",
    );
    tx.rollback().unwrap();
    vcard_is_old(&e);
    // Run again, it succeeds.
    e.run(&["set_vcard", "alice", "localhost", "FN", "New"])
        .ok("");
    e.run(&["get_vcard", "alice", "localhost", "FN"])
        .ok("New\n");
}

#[test]
fn a_writer_holding_the_store_makes_others_busy_after_the_lock_timeout() {
    let Some(e) = with_vcard("busy") else {
        return;
    };
    let mut holder = e.client();
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&WRITE_LOCK])
        .unwrap();
    let started = Instant::now();
    let r = e.run(&["set_vcard", "alice", "localhost", "FN", "New"]);
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "waited {:?}",
        started.elapsed()
    );
    one_line_exit_3(&r, "store busy");
    // Readers do not wait for writers.
    vcard_is_old(&e);
    holder
        .execute("SELECT pg_advisory_unlock($1)", &[&WRITE_LOCK])
        .unwrap();
    e.run(&["set_vcard", "alice", "localhost", "FN", "New"])
        .ok("");
}

#[test]
fn parallel_writers_lose_no_update() {
    let Some(e) = PgEnv::new("parallel_writers") else {
        return;
    };
    e.run(&["register_identified", "owner", "localhost", "pw"])
        .ok("User owner@localhost successfully registered\n");
    const WRITERS: usize = 4;
    const EACH: usize = 8;
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let e = &e;
            s.spawn(move || {
                for i in 0..EACH {
                    let contact = format!("c{w}x{i}");
                    let r = finish(spawn(
                        e,
                        &[
                            "add_rosteritem",
                            "owner",
                            "localhost",
                            &contact,
                            "localhost",
                            &contact,
                            "G",
                            "both",
                        ],
                    ));
                    assert_eq!(
                        (r.code, r.stdout.as_str()),
                        (0, "Added the item to the roster of owner@localhost\n"),
                        "{r:?}"
                    );
                }
            });
        }
    });
    let r = e.run(&["get_roster", "owner", "localhost"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.lines().count(), WRITERS * EACH, "{r:?}");
    assert_eq!(
        e.sql("SELECT count(*)::text FROM rosterusers WHERE username = 'owner'"),
        [[(WRITERS * EACH).to_string()]]
    );
}

#[test]
fn a_connection_ended_in_the_middle_of_a_batch_leaves_nothing_of_it() {
    let Some(e) = with_vcard("ended_mid_batch") else {
        return;
    };
    let file = e.t.write(
        "batch.txt",
        "register_identified bob localhost pw\nset_vcard alice localhost FN New\n",
    );
    let mut holder = e.client();
    let tx = hold_alices_search_row(&mut holder);
    // The batch registers bob, then its second line waits for the row the holder has.
    let child = spawn(&e, &["batch", file.to_str().unwrap(), "--continue"]);
    let mut admin = e.client();
    let pid = waiting_backend(&e, &mut admin);
    admin
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    let r = finish(child);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("the connection to PostgreSQL was lost"),
        "{r:?}"
    );
    tx.rollback().unwrap();
    // Not even the first line, which had succeeded, is kept: one transaction.
    assert!(e
        .sql("SELECT username FROM users WHERE username = 'bob'")
        .is_empty());
    vcard_is_old(&e);
}
