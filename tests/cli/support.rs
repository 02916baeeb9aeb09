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
        let store = dir.path().join("store.db");
        TestEnv { dir, config, store }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write file");
        p
    }

    /// The binary with a scrubbed environment, no config or store options.
    pub fn bare_cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mongooseimctl"));
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

    /// The binary with this env's config and store, text output.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare_cmd();
        cmd.arg("-c")
            .arg(&self.config)
            .arg("--store")
            .arg(&self.store)
            .arg("-o")
            .arg("text");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_cmd(self.cmd().args(args))
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        run_cmd(self.cmd().args(args).write_stdin(stdin))
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self
            .cmd()
            .args(["-o", "json"])
            .args(args)
            .output()
            .expect("run");
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
    }

    /// Rows of a query on the store, every column rendered as text ("NULL" for NULL).
    /// Make sure the store exists (created and migrated by the binary itself).
    pub fn init_store(&self) {
        if !self.store.exists() {
            let r = self.run(&["status"]);
            assert_eq!(r.code, 0, "{r:?}");
        }
    }

    /// Account names in the store (none if the store was never created).
    pub fn users(&self) -> Vec<String> {
        if !self.store.exists() {
            return vec![];
        }
        self.col("SELECT username || '@' || server FROM users ORDER BY server, username")
    }

    pub fn sql(&self, query: &str) -> Vec<Vec<String>> {
        self.init_store();
        let conn = rusqlite::Connection::open(&self.store).expect("open store");
        let mut st = conn.prepare(query).expect("prepare");
        let n = st.column_count();
        let rows = st.query_map([], |r| row_strings(r, n)).expect("query");
        rows.map(|r| r.expect("row")).collect()
    }

    /// One column of a query, as a flat list.
    pub fn col(&self, query: &str) -> Vec<String> {
        self.sql(query)
            .into_iter()
            .map(|mut r| r.remove(0))
            .collect()
    }

    pub fn exec(&self, sql: &str) {
        self.init_store();
        let conn = rusqlite::Connection::open(&self.store).expect("open store");
        conn.execute_batch(sql).expect("exec");
    }

    /// Register users quickly (plain SQL would bypass our code; use the binary).
    pub fn register(&self, user: &str, host: &str, password: &str) {
        self.run(&["register_identified", user, host, password])
            .ok(&format!("User {user}@{host} successfully registered\n"));
    }
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
