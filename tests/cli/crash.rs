//! Robustness of the binary (issue 7): kill -9 at random moments of the bulk writers
//! (import_users, push_roster_alltoall, delete_old_users) leaves the store exactly as before
//! or exactly as after, never between, and always usable; plus the robustness fixes found by
//! the property tests (src/proptests.rs) seen from the command line, and linear `hosts`
//! validation.
//!
//! The long kill runs are ignored by default:
//! `cargo test --test cli crash:: -- --ignored --nocapture`
//! (`MONGOOSEIMCTL_CRASH_ITERATIONS=N` per command, default 150; `MONGOOSEIMCTL_CRASH_SEED=S`
//! replays a run; each run prints its seed and what the kills left).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{now_secs, TestEnv};

/// Plain passwords (deterministic rows: the "after" state can be computed by a second run),
/// roster without versioning, the data modules.
const CRASH_CONFIG: &str = r#"
[general]
  hosts = ["localhost"]
  default_server_domain = "localhost"
[auth]
  password.format = "plain"
  [auth.rdbms]
[services.service_admin_extra]
[modules.mod_last]
  backend = "rdbms"
[modules.mod_roster]
  backend = "rdbms"
[modules.mod_vcard]
  backend = "rdbms"
[modules.mod_private]
[modules.mod_offline]
  backend = "rdbms"
"#;

/// A small deterministic generator (xorshift64*), seeded per run and printed on failure.
struct Rng {
    state: u64,
    seed: u64,
}

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("MONGOOSEIMCTL_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        let seed = seed.max(1);
        Rng { state: seed, seed }
    }
    fn seed(&self) -> u64 {
        self.seed
    }
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The whole store as data: every table (sorted by name) with every row in rowid order,
/// every column but `created_at` (a wall-clock default that differs between two runs).
type Dump = Vec<(String, Vec<Vec<String>>)>;

fn dump(db: &Path) -> Dump {
    let conn = rusqlite::Connection::open(db).expect("open store");
    let tables: Vec<String> = {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("tables");
        st.query_map([], |r| r.get(0))
            .expect("tables")
            .map(|r| r.expect("table"))
            .collect()
    };
    let mut out = Vec::new();
    for table in tables {
        let cols: Vec<String> = {
            let mut st = conn
                .prepare(&format!("PRAGMA table_info(\"{table}\")"))
                .expect("table_info");
            st.query_map([], |r| r.get::<_, String>(1))
                .expect("columns")
                .map(|r| r.expect("column"))
                .filter(|c| c != "created_at")
                .collect()
        };
        let select = cols
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut st = conn
            .prepare(&format!(
                "SELECT rowid, {select} FROM \"{table}\" ORDER BY rowid"
            ))
            .expect("select");
        let n = cols.len() + 1;
        let rows: Vec<Vec<String>> = st
            .query_map([], |r| crate::support::row_strings(r, n))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect();
        out.push((table, rows));
    }
    out
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open store");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// Folds the WAL into the main file, so that copying the main file copies the store.
fn checkpoint(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open store");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
}

/// Copies a checkpointed store to `to`, removing any -wal/-shm left there.
fn restore(from: &Path, to: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(from, to).expect("copy store");
}

/// The binary on `store`, as `TestEnv::cmd` builds it, as a plain process (to kill it).
fn command(t: &TestEnv, store: &Path, args: &[String]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mongooseimctl"));
    for (k, _) in std::env::vars() {
        if k.starts_with("MONGOOSEIM") || k.starts_with("XDG_") || k == "CI" {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", t.dir.path())
        .env("XDG_DATA_HOME", t.dir.path().join("xdg-data"))
        .env("XDG_CONFIG_HOME", t.dir.path().join("xdg-config"))
        .env("NO_COLOR", "1")
        .current_dir(t.dir.path())
        .arg("-c")
        .arg(&t.config)
        .arg("--store")
        .arg(store)
        .args(["-o", "text"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn run_to_end(t: &TestEnv, store: &Path, args: &[String]) -> Duration {
    let start = Instant::now();
    let status = command(t, store, args).status().expect("run");
    assert!(status.success(), "{args:?}: {status}");
    start.elapsed()
}

/// One scenario: a seeded store (`seed`, checkpointed), the command, and the two states a
/// kill may leave.
struct Scenario {
    name: &'static str,
    t: TestEnv,
    seed: PathBuf,
    args: Vec<String>,
    before: Dump,
    after: Dump,
    /// How long a whole run takes (the kills are spread over it).
    duration: Duration,
}

impl Scenario {
    fn new(name: &'static str, t: TestEnv, args: Vec<String>) -> Scenario {
        t.init_store();
        checkpoint(&t.store);
        let seed = t.path("seed.db");
        std::fs::copy(&t.store, &seed).expect("copy seed");
        let before = dump(&seed);
        let work = t.path("reference.db");
        let mut duration = Duration::MAX;
        let mut after = Vec::new();
        for _ in 0..2 {
            restore(&seed, &work);
            duration = duration.min(run_to_end(&t, &work, &args));
            after = dump(&work);
        }
        assert_ne!(before, after, "{name}: the command must change the store");
        Scenario {
            name,
            t,
            seed,
            args,
            before,
            after,
            duration,
        }
    }

    /// `iterations` kills at random moments of a run; returns (before, after) counts.
    /// Every other iteration continues from the state the previous kill left (the command
    /// run again over a killed run) instead of starting from the seed.
    fn kill_loop(&self, iterations: usize, rng: &mut Rng) -> (usize, usize) {
        let work = self.t.path("work.db");
        restore(&self.seed, &work);
        let (mut n_before, mut n_after) = (0, 0);
        let window = self.duration.as_micros() as u64 * 12 / 10 + 1;
        for i in 0..iterations {
            let chained = i % 2 == 1;
            if !chained {
                restore(&self.seed, &work);
            }
            let mut child = command(&self.t, &work, &self.args).spawn().expect("spawn");
            std::thread::sleep(Duration::from_micros(rng.below(window)));
            let _ = child.kill(); // SIGKILL; the run may already have ended
            let _ = child.wait();
            let state = dump(&work);
            let ctx = format!(
                "{}: iteration {i} (seed {}, chained {chained})",
                self.name,
                rng.seed()
            );
            assert_eq!(integrity(&work), "ok", "{ctx}");
            if state == self.before {
                n_before += 1;
            } else if state == self.after {
                n_after += 1;
            } else {
                panic!("{ctx}: the store is neither as before nor as after");
            }
            if i % 10 == 9 {
                // The killed store stays usable: the command completes on it.
                run_to_end(&self.t, &work, &self.args);
                assert!(
                    dump(&work) == self.after,
                    "{ctx}: a rerun does not finish the job"
                );
            }
        }
        (n_before, n_after)
    }
}

/// `users` accounts u0..; with `rosters`, everybody in everybody's roster; last activity:
/// a third recent, a third 100 days ago, a third never.
fn seeded_env(users: usize, rosters: bool) -> TestEnv {
    let t = TestEnv::with_config(CRASH_CONFIG);
    let csv: String = (0..users)
        .map(|i| format!("u{i},localhost,pw{i}\n"))
        .collect();
    let f = t.write("seed.csv", &csv);
    let r = t.run(&["import_users", f.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    if rosters {
        t.run(&["push_roster_alltoall", "localhost", "Everybody"])
            .ok("");
    }
    let now = now_secs();
    let mut sql = String::from("BEGIN;");
    for i in 0..users {
        match i % 3 {
            0 => sql.push_str(&format!(
                "INSERT INTO last VALUES ('localhost', 'u{i}', {now}, 'here');"
            )),
            1 => sql.push_str(&format!(
                "INSERT INTO last VALUES ('localhost', 'u{i}', {}, 'gone');",
                now - 100 * 86_400
            )),
            _ => {}
        }
    }
    sql.push_str("COMMIT;");
    t.exec(&sql);
    t
}

fn import_scenario(rows: usize) -> Scenario {
    let t = TestEnv::with_config(CRASH_CONFIG);
    // A few existing accounts, then `rows` new ones (some bad rows too).
    t.register("u1", "localhost", "old");
    let mut csv = String::new();
    for i in 0..rows {
        csv.push_str(&format!("u{i},localhost,pw{i}\n"));
        if i % 50 == 0 {
            csv.push_str("bad,row\n");
        }
    }
    let f = t.write("import.csv", &csv);
    let args = vec!["import_users".to_string(), f.to_str().unwrap().to_string()];
    Scenario::new("import_users", t, args)
}

fn alltoall_scenario(users: usize) -> Scenario {
    let t = seeded_env(users, false);
    let args = ["push_roster_alltoall", "localhost", "Team"]
        .map(String::from)
        .to_vec();
    Scenario::new("push_roster_alltoall", t, args)
}

fn delete_old_scenario(users: usize) -> Scenario {
    let t = seeded_env(users, true);
    // Some vCards and private data that the deletions must take along.
    for i in (0..users).step_by(users / 10 + 1) {
        let u = format!("u{i}");
        t.run(&["set_vcard", &u, "localhost", "FN", &format!("User {i}")])
            .ok("");
        t.run(&["private_set", &u, "localhost", "<n xmlns='x:y'>v</n>"])
            .ok("");
    }
    let args = ["delete_old_users", "30"].map(String::from).to_vec();
    Scenario::new("delete_old_users", t, args)
}

#[allow(clippy::print_stderr)]
fn kill_run(scenario: Scenario, iterations: usize, rng: &mut Rng, require_both: bool) {
    let start = Instant::now();
    let (before, after) = scenario.kill_loop(iterations, rng);
    eprintln!(
        "{}: {iterations} kills in {:?} (a whole run: {:?}; seed {}): {before} left it as before, {after} as after",
        scenario.name,
        start.elapsed(),
        scenario.duration,
        rng.seed()
    );
    assert_eq!(before + after, iterations);
    if require_both {
        assert!(
            before > 0 && after > 0,
            "{}: the kills did not spread over the run",
            scenario.name
        );
    }
}

fn iterations() -> usize {
    std::env::var("MONGOOSEIMCTL_CRASH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150)
}

#[test]
#[ignore = "long: kill -9 loop (cargo test --test cli crash:: -- --ignored)"]
fn kill_import_users_at_random_moments() {
    let mut rng = Rng::new();
    kill_run(import_scenario(400), iterations(), &mut rng, true);
}

#[test]
#[ignore = "long: kill -9 loop (cargo test --test cli crash:: -- --ignored)"]
fn kill_push_roster_alltoall_at_random_moments() {
    let mut rng = Rng::new();
    kill_run(alltoall_scenario(300), iterations(), &mut rng, true);
}

#[test]
#[ignore = "long: kill -9 loop (cargo test --test cli crash:: -- --ignored)"]
fn kill_delete_old_users_at_random_moments() {
    let mut rng = Rng::new();
    kill_run(delete_old_scenario(300), iterations(), &mut rng, true);
}

/// The quick variant run by every `cargo test`: a few kills of each command, small stores.
#[test]
fn kill_bulk_writers_quick() {
    let mut rng = Rng::new();
    kill_run(import_scenario(120), 6, &mut rng, false);
    kill_run(alltoall_scenario(40), 6, &mut rng, false);
    kill_run(delete_old_scenario(40), 6, &mut rng, false);
}

/// A kill while the store is being created and migrated (first use) never leaves a store the
/// tool refuses: the same command run again completes and gives the normal result.
#[test]
fn kill_during_store_creation() {
    let mut rng = Rng::new();
    let t = TestEnv::with_config(CRASH_CONFIG);
    let csv: String = (0..50).map(|i| format!("u{i},localhost,pw{i}\n")).collect();
    let f = t.write("import.csv", &csv);
    let args = vec!["import_users".to_string(), f.to_str().unwrap().to_string()];
    let without_state = |db: &Path| -> Dump {
        dump(db)
            .into_iter()
            .filter(|(table, _)| table != "mongooseimctl_state")
            .collect()
    };
    let reference = t.path("reference.db");
    let duration = run_to_end(&t, &reference, &args);
    let after = without_state(&reference);
    let window = duration.as_micros() as u64 * 12 / 10 + 1;
    let work = t.path("fresh.db");
    let mut created = 0;
    for i in 0..20 {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
        }
        let mut child = command(&t, &work, &args).spawn().expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        let _ = child.kill();
        let _ = child.wait();
        if work.exists() {
            created += 1;
        }
        let ctx = format!("iteration {i} (seed {})", rng.seed());
        run_to_end(&t, &work, &args);
        assert_eq!(integrity(&work), "ok", "{ctx}");
        assert!(
            without_state(&work) == after,
            "{ctx}: not the normal result"
        );
    }
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "store creation: 20 kills, {created} left a store file behind (seed {})",
            rng.seed()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Found by the property tests, seen from the command line.

/// Integers skip only the whitespace io_lib:fread skips (space, tab, CR, LF): a vertical
/// tab or a no-break space before the digits is no integer (it was read as one), nothing
/// changes; the smallest i64 is read.
#[test]
fn integers_skip_only_erlang_whitespace() {
    let t = TestEnv::with_config(CRASH_CONFIG);
    t.register("alice", "localhost", "pw");
    for (arg, shown) in [
        ("\u{b}5", "\\v5"),
        ("\u{a0}5", "\u{a0}5"),
        ("\u{c}5", "\\f5"),
    ] {
        let r = t.run(&["set_last", "alice", "localhost", arg, "st"]);
        let want = format!(
            "Problem 'error: argument timestamp is not an integer: \"{shown}\"' occurred executing the command.\n"
        );
        assert_eq!((r.code, r.stdout.as_str()), (1, want.as_str()), "{arg:?}");
    }
    assert!(t.sql("SELECT * FROM last").is_empty());
    t.run(&["set_last", "alice", "localhost", " \t\r\n5x", "st"])
        .ok("Last activity for user alice@localhost is set as 5 with status st\n");
    // The smallest 64-bit integer parses, and is refused by last.seconds' range.
    let r = t.run(&[
        "set_last",
        "alice",
        "localhost",
        "-9223372036854775808",
        "st",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{r:?}");
    assert!(
        r.stderr.contains("the value given is -9223372036854775808"),
        "{r:?}"
    );
    assert_eq!(
        t.sql("SELECT username, seconds, state FROM last"),
        vec![vec!["alice", "5", "st"]]
    );
}

/// A roster template error quotes the offending atom with its control characters escaped:
/// one line, no terminal control sequence reaches the operator's terminal.
#[test]
fn template_errors_escape_control_characters() {
    let t = TestEnv::with_config(CRASH_CONFIG);
    t.register("alice", "localhost", "pw");
    let file = t.write(
        "roster.txt",
        "[{\"b\", \"localhost\", \"G\", \"N\"} '\u{1b}]0;owned\u{7}\n\u{1b}[2J'].\n",
    );
    let r = t.run(&["push_roster", file.to_str().unwrap(), "alice", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{r:?}");
    assert_eq!(
        r.stderr,
        format!(
            "error: push_roster: {}: line 1, column 31: expected ',' or ']' in the list, found the atom '\\u{{1b}}]0;owned\\u{{7}}\\n\\u{{1b}}[2J'\n",
            file.display()
        )
    );
    assert!(t.sql("SELECT * FROM rosterusers").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Item 10: `general.hosts` validation is linear.

fn hosts_config(n: usize, duplicate: bool) -> String {
    let mut hosts: Vec<String> = (0..n).map(|i| format!("\"h{i}.example\"")).collect();
    if duplicate {
        hosts.push("\"H0.example\"".to_string());
    }
    format!(
        "[general]\n  hosts = [{}]\n  default_server_domain = \"h0.example\"\n[services.service_admin_extra]\n",
        hosts.join(", ")
    )
}

/// 20,000 and 80,000 hosts: the time grows about linearly (it grew with the square: 40,000
/// hosts took 1.4 s, 200,000 21 s in a release build), and a duplicate at the end of a big
/// list is still found.
#[test]
fn many_hosts_validate_in_linear_time() {
    let time = |n: usize| {
        let t = TestEnv::with_config(&hosts_config(n, false));
        let mut best = Duration::MAX;
        for _ in 0..2 {
            let start = Instant::now();
            t.run(&["get_loglevel"])
                .ok("global loglevel is 4, which means 'warning'\n");
            best = best.min(start.elapsed());
        }
        best
    };
    let small = time(20_000);
    let big = time(80_000);
    assert!(
        big < small * 8,
        "20,000 hosts: {small:?}, 80,000 hosts: {big:?} (quadratic would be 16 times)"
    );
    let t = TestEnv::with_config(&hosts_config(80_000, true));
    let r = t.run(&["get_loglevel"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""));
    assert!(
        r.stderr.contains(
            "general.hosts: invalid value \"H0.example\": not_unique (duplicate item in a list whose items must be unique)"
        ),
        "{}",
        r.stderr
    );
}
