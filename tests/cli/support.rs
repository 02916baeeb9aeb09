//! Test environment: a temp dir with its own config and store, a scrubbed environment, and
//! helpers to run the binary and read the store.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A config with two static hosts, one dynamic host type, every submod, the data modules,
/// and SCRAM with few iterations (fast tests; one test covers the 10000 default).
pub const DEFAULT_CONFIG: &str = r#"
[general]
  hosts = ["localhost", "example.org"]
  host_types = ["dyn"]
  default_server_domain = "localhost"

[auth]
  password.format = "scram"
  password.scram_iterations = 64
  [auth.rdbms]

[services.service_admin_extra]

[services.service_domain_db]

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

pub struct TestEnv {
    pub dir: TempDir,
    pub config: PathBuf,
    pub store: PathBuf,
    /// Whether commands name the store with `--store` (see [`TestEnv::with_config`]).
    explicit_store: bool,
    toml: String,
    mirror: std::sync::Mutex<Mirroring>,
    /// The SQLite store file as our last run left it (modified time, length): a change made
    /// in between (the test damaging the file) stops the twin.
    seen: std::sync::Mutex<Option<(std::time::SystemTime, u64)>>,
}

/// Every TestEnv with the default store runs the black-box suite on both backends: each
/// command run through [`TestEnv::run`] (and `run_stdin`, `run_env`, `json`, `register`) runs
/// on the SQLite store and again on a PostgreSQL twin ([`crate::pg::Mirror`]), and the two must
/// give the same exit code and stdout. The twin stops following (`Diverged`) once the test
/// does something that cannot be replayed on it: a command built with [`TestEnv::cmd`], SQL
/// that PostgreSQL does not accept, a config with its own pool. Without PostgreSQL (or with
/// `MIMCTL_MIRROR=off`) only SQLite runs.
enum Mirroring {
    Unset,
    Off,
    On(crate::pg::Mirror),
    Diverged(#[allow(dead_code)] crate::pg::Mirror),
}

/// The result of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert exit code and exact stdout.
    #[track_caller]
    pub fn is(&self, code: i32, stdout: &str) -> &Self {
        assert_eq!(
            (self.code, self.stdout.as_str()),
            (code, stdout),
            "stderr: {}",
            self.stderr
        );
        self
    }
    #[track_caller]
    pub fn ok(&self, stdout: &str) -> &Self {
        self.is(0, stdout)
    }
    #[track_caller]
    pub fn fails(&self, stdout: &str) -> &Self {
        self.is(1, stdout)
    }
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr {:?} lacks {:?}",
            self.stderr,
            needle
        );
        self
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv::with_config(DEFAULT_CONFIG)
    }

    pub fn with_config(toml: &str) -> TestEnv {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, toml).expect("write config");
        // The default store location (XDG_DATA_HOME is the temp dir's xdg-data): commands
        // run without `--store`, as an operator's would, so that a read-only command's
        // refusal of a missing explicit store path (issue 12) does not apply. A config with
        // its own rdbms pool gets an explicit `--store` next to it instead.
        let explicit_store = toml.contains("outgoing_pools");
        let store = if explicit_store {
            dir.path().join("store.db")
        } else {
            dir.path().join("xdg-data/mongooseimctl/mongooseim.db")
        };
        if let Some(parent) = store.parent() {
            std::fs::create_dir_all(parent).expect("the store's directory");
        }
        TestEnv {
            explicit_store,
            dir,
            config,
            store,
            toml: toml.to_string(),
            mirror: std::sync::Mutex::new(Mirroring::Unset),
            seen: std::sync::Mutex::new(None),
        }
    }

    /// A TestEnv whose commands run on SQLite only: for tests of the SQLite file itself
    /// (paths, permissions, corruption, locking) or of what has no PostgreSQL twin.
    pub fn sqlite_only(toml: &str) -> TestEnv {
        let t = TestEnv::with_config(toml);
        *t.mirror.lock().expect("mirror lock") = Mirroring::Off;
        t
    }

    /// Stop following this test on PostgreSQL (what happens next cannot be replayed there).
    pub fn diverge(&self) {
        let mut m = self.mirror.lock().expect("mirror lock");
        *m = match std::mem::replace(&mut *m, Mirroring::Off) {
            Mirroring::On(x) | Mirroring::Diverged(x) => Mirroring::Diverged(x),
            Mirroring::Unset | Mirroring::Off => Mirroring::Off,
        };
    }

    /// Whether the PostgreSQL twin is following (created on first use).
    fn mirrored(&self) -> bool {
        let mut m = self.mirror.lock().expect("mirror lock");
        if matches!(*m, Mirroring::Unset) {
            *m = if self.toml.contains("outgoing_pools") {
                Mirroring::Off
            } else {
                match crate::pg::Mirror::create(self.dir.path(), &self.toml) {
                    Some(x) => Mirroring::On(x),
                    None => Mirroring::Off,
                }
            };
        }
        matches!(*m, Mirroring::On(_))
    }

    /// Run the same command on the twin and compare with SQLite's run.
    #[track_caller]
    fn mirror_run(&self, args: &[&str], stdin: Option<&str>, envs: &[(&str, &str)], want: &Run) {
        if !self.mirrored() {
            return;
        }
        let m = self.mirror.lock().expect("mirror lock");
        let Mirroring::On(x) = &*m else { return };
        let mut cmd = self.base_cmd();
        cmd.arg("-c").arg(&x.config).args(["-o", "text"]).args(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let got = run_cmd(&mut cmd);
        let got_stdout = got
            .stdout
            .replace(
                &x.config.display().to_string(),
                &self.config.display().to_string(),
            )
            .replace(&x.describe(), &self.store.display().to_string());
        assert_eq!(
            (unclocked(&got_stdout), got.code),
            (unclocked(&want.stdout), want.code),
            "{args:?} differs on PostgreSQL (left) and SQLite (right); PostgreSQL stderr {:?}, \
             SQLite stderr {:?}",
            got.stderr,
            want.stderr
        );
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write file");
        p
    }

    /// Rewrite the config file (and the PostgreSQL twin's, which keeps its pool).
    pub fn set_config(&self, toml: &str) {
        std::fs::write(&self.config, toml).expect("write config");
        if let Mirroring::On(x) = &*self.mirror.lock().expect("mirror lock") {
            x.set_config(toml);
        }
    }

    /// The binary with a scrubbed environment, no config or store options. The test takes
    /// over: the PostgreSQL twin stops following.
    pub fn bare_cmd(&self) -> Command {
        self.diverge();
        self.base_cmd()
    }

    fn base_cmd(&self) -> Command {
        Command::from_std(self.std_base())
    }

    /// The binary with a scrubbed environment (no MONGOOSEIM*, XDG_* or CI from the test
    /// runner; HOME and the XDG directories in the temp dir), no arguments.
    fn std_base(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_mongooseimctl"));
        for (k, _) in std::env::vars() {
            if k.starts_with("MONGOOSEIM") || k.starts_with("XDG_") || k == "CI" {
                cmd.env_remove(k);
            }
        }
        cmd.env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        cmd
    }

    /// This env's config and store options, then `-o text`.
    fn env_args(&self) -> Vec<std::ffi::OsString> {
        let mut args = vec!["-c".into(), self.config.clone().into_os_string()];
        if self.explicit_store {
            args.push("--store".into());
            args.push(self.store.clone().into_os_string());
        }
        args.push("-o".into());
        args.push("text".into());
        args
    }

    /// The binary with this env's config and store, text output (SQLite only: the
    /// PostgreSQL twin stops following).
    pub fn cmd(&self) -> Command {
        self.diverge();
        self.sqlite_cmd()
    }

    fn sqlite_cmd(&self) -> Command {
        let mut cmd = self.base_cmd();
        cmd.args(self.env_args());
        cmd
    }

    /// This env's command line (config, store, `-o text`, scrubbed environment) as a plain
    /// `std::process::Command`, for runs in a pseudo-terminal ([`crate::pty`]); SQLite only:
    /// the PostgreSQL twin stops following.
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        self.diverge();
        let mut cmd = self.std_base();
        cmd.args(self.env_args()).args(args);
        cmd
    }

    #[track_caller]
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    fn store_state(&self) -> Option<(std::time::SystemTime, u64)> {
        let m = std::fs::metadata(&self.store).ok()?;
        Some((m.modified().ok()?, m.len()))
    }

    /// Before a run: has the store file changed since our last run? Then the twin stops.
    fn check_seen(&self) {
        let seen = *self.seen.lock().expect("seen lock");
        if seen.is_some() && seen != self.store_state() {
            self.diverge();
        }
    }

    fn mark_seen(&self) {
        *self.seen.lock().expect("seen lock") = self.store_state();
    }

    #[track_caller]
    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.check_seen();
        let r = run_cmd(self.sqlite_cmd().args(args).write_stdin(stdin));
        self.mark_seen();
        self.mirror_run(args, Some(stdin), &[], &r);
        r
    }

    /// Run with extra environment variables (e.g. `MONGOOSEIMCTL_NOW`).
    #[track_caller]
    pub fn run_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Run {
        let mut cmd = self.sqlite_cmd();
        cmd.args(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        self.check_seen();
        let r = run_cmd(&mut cmd);
        self.mark_seen();
        self.mirror_run(args, None, envs, &r);
        r
    }

    #[track_caller]
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let r = self.run(&all);
        serde_json::from_str(&r.stdout).expect("stdout is one JSON document")
    }

    /// Rows of a query on the store, every column rendered as text ("NULL" for NULL).
    /// Make sure the store exists (created and migrated by the binary itself).
    pub fn init_store(&self) {
        if !self.store.exists() {
            let r = run_cmd(self.sqlite_cmd().arg("status"));
            assert_eq!(r.code, 0, "{r:?}");
            self.mark_seen();
            // The twin's first run too (status names the store: not compared).
            if self.mirrored() {
                if let Mirroring::On(x) = &*self.mirror.lock().expect("mirror lock") {
                    let r = run_cmd(self.base_cmd().arg("-c").arg(&x.config).arg("status"));
                    assert_eq!(r.code, 0, "{r:?}");
                }
            }
        }
    }

    /// Account names in the store (none if the store was never created).
    pub fn users(&self) -> Vec<String> {
        if !self.store.exists() {
            return vec![];
        }
        let q = "SELECT username || '@' || server FROM users ORDER BY server, username";
        let users = self.col(q);
        if let Mirroring::On(x) = &*self.mirror.lock().expect("mirror lock") {
            let twin: Option<Vec<String>> = x
                .try_sql(q)
                .map(|rows| rows.into_iter().map(|mut r| r.remove(0)).collect());
            assert_eq!(
                twin.as_ref(),
                Some(&users),
                "the accounts differ on PostgreSQL"
            );
        }
        users
    }

    /// Rows of a query on the SQLite store. A development aid: with MIMCTL_MIRROR_SQL=log,
    /// the same query is run on the PostgreSQL twin when it accepts it, and differences are
    /// logged to target/mirror-sql.log (salts, ids and times differ by nature, so this is not
    /// an assertion; the commands' outputs are).
    #[track_caller]
    pub fn sql(&self, query: &str) -> Vec<Vec<String>> {
        self.init_store();
        let conn = rusqlite::Connection::open(&self.store).expect("open store");
        let mut st = conn.prepare(query).expect("prepare");
        let n = st.column_count();
        let rows = st.query_map([], |r| row_strings(r, n)).expect("query");
        let rows: Vec<Vec<String>> = rows.map(|r| r.expect("row")).collect();
        if std::env::var("MIMCTL_MIRROR_SQL").as_deref() == Ok("log") && self.mirrored() {
            let twin = match &*self.mirror.lock().expect("mirror lock") {
                Mirroring::On(x) => x.try_sql(query),
                _ => None,
            };
            if let Some(twin) = twin {
                if twin != rows {
                    {
                        use std::io::Write;
                        let mut f = std::fs::OpenOptions::new()
                            .create(true)
                            .append(true)
                            .open(concat!(
                                env!("CARGO_MANIFEST_DIR"),
                                "/target/mirror-sql.log"
                            ))
                            .expect("log");
                        let _ = writeln!(
                            f,
                            "{}\n  {query}\n  sqlite {rows:?}\n  pg     {twin:?}",
                            std::panic::Location::caller()
                        );
                    }
                }
            }
        }
        rows
    }

    /// One column of a query, as a flat list.
    pub fn col(&self, query: &str) -> Vec<String> {
        self.sql(query)
            .into_iter()
            .map(|mut r| r.remove(0))
            .collect()
    }

    /// Run SQL on the SQLite store, and on the PostgreSQL twin when PostgreSQL accepts it
    /// (otherwise the twin stops following).
    pub fn exec(&self, sql: &str) {
        self.init_store();
        let conn = rusqlite::Connection::open(&self.store).expect("open store");
        conn.execute_batch(sql).expect("exec");
        drop(conn);
        self.mark_seen();
        if self.mirrored() {
            let ok = match &*self.mirror.lock().expect("mirror lock") {
                Mirroring::On(x) => x.try_exec(sql),
                _ => true,
            };
            if !ok {
                self.diverge();
            }
        }
    }

    /// Register users quickly (plain SQL would bypass our code; use the binary).
    pub fn register(&self, user: &str, host: &str, password: &str) {
        self.run(&["register_identified", user, host, password])
            .ok(&format!("User {user}@{host} successfully registered\n"));
    }
}

/// The length of an RFC 3339 UTC time (`2026-12-02T02:42:00.303258Z`) starting at `b[0]`.
fn rfc3339_len(b: &[u8]) -> Option<usize> {
    let shape = b"dddd-dd-ddTdd:dd:dd";
    if b.len() < shape.len() + 1 {
        return None;
    }
    for (c, want) in b.iter().zip(shape) {
        let ok = if *want == b'd' {
            c.is_ascii_digit()
        } else {
            c == want
        };
        if !ok {
            return None;
        }
    }
    let mut n = shape.len();
    if b.get(n) == Some(&b'.') {
        n += 1;
        while b.get(n).is_some_and(u8::is_ascii_digit) {
            n += 1;
        }
    }
    (b.get(n) == Some(&b'Z')).then_some(n + 1)
}

/// Output with what depends on the clock or on chance masked: RFC 3339 times and every run
/// of 16 hexadecimal digits standing alone (µs timestamps, generated stanza ids) or of 10
/// decimal digits (Unix times in seconds), for
/// comparing the two backends' outputs of the same command run a few milliseconds apart.
pub fn unclocked(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric();
    while i < b.len() {
        if let Some(n) = rfc3339_len(&b[i..]) {
            out.push_str("<time>");
            i += n;
            continue;
        }
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_digit() || (b'a'..=b'f').contains(&b[j])) {
            j += 1;
        }
        let alone = (i == 0 || !word(b[i - 1])) && (j == b.len() || !word(b[j]));
        let decimal = b[i..j].iter().all(u8::is_ascii_digit);
        if alone && (j - i == 16 || (j - i == 10 && decimal)) {
            out.push_str("<n>");
            i = j;
        } else if j > i {
            out.push_str(&s[i..j]);
            i = j;
        } else {
            let c = s[i..].chars().next().unwrap_or('?');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

pub fn run_cmd(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run binary");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}

/// The first `n` columns of a row as text ("NULL" for NULL).
pub fn row_strings(r: &rusqlite::Row<'_>, n: usize) -> rusqlite::Result<Vec<String>> {
    (0..n)
        .map(|i| {
            Ok(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => "NULL".to_string(),
                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
            })
        })
        .collect()
}
