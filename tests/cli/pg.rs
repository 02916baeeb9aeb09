//! PostgreSQL black-box tests: one throwaway PostgreSQL 15 server per test binary (initdb +
//! postgres from /usr/lib/postgresql/15/bin or PATH, data in a temporary directory, a Unix
//! socket only, run as the `postgres` OS user when we are root), one database per test.
//!
//! The server is started by a small shell that keeps our end of a pipe on its stdin: when the
//! test binary exits (however it exits), the pipe closes, the shell stops the server (fast
//! shutdown) and removes the directory. Without the binaries every test here prints why and
//! passes without running (`PG_TESTS=require` makes that a failure instead).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::support::{Run, TestEnv, DEFAULT_CONFIG};

/// A throwaway PostgreSQL server (see the module's doc): its socket directory and port.
pub(crate) struct Server {
    pub(crate) socket_dir: PathBuf,
    pub(crate) port: u16,
    /// Our end of the shell's stdin: dropped at exit, which stops the server.
    _keep: Mutex<ChildStdin>,
}

/// What a server needs beyond the shared one's settings (Unix socket only, port 5432).
#[derive(Default)]
pub(crate) struct ServerOpts {
    /// Listen on 127.0.0.1 at this port (the socket file is named after it too).
    pub(crate) tcp_port: Option<u16>,
    /// Files written into the server's directory before it starts (name, content), mode 0600
    /// and owned by the server's user; `{root}` in `settings` and `hba` is that directory.
    pub(crate) files: Vec<(String, Vec<u8>)>,
    /// More `-c name=value` settings.
    pub(crate) settings: Vec<String>,
    /// The pg_hba.conf to use instead of initdb's (trust for every local connection).
    pub(crate) hba: Option<String>,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

fn bin_dir() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from("/usr/lib/postgresql/15/bin"),
        PathBuf::from("/usr/local/bin"),
    ];
    candidates
        .into_iter()
        .find(|d| d.join("initdb").exists() && d.join("postgres").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn start() -> Option<Server> {
    start_server(&ServerOpts::default())
}

/// Start a throwaway server (None, with the reason on stderr, without PostgreSQL 15's
/// binaries); it stops and its directory goes when the test binary exits.
#[allow(clippy::print_stderr)]
pub(crate) fn start_server(opts: &ServerOpts) -> Option<Server> {
    use std::os::unix::fs::OpenOptionsExt;
    let Some(bin) = bin_dir() else {
        eprintln!("PostgreSQL tests skipped: initdb/postgres (PostgreSQL 15) not found");
        return None;
    };
    let root = tempfile::Builder::new()
        .prefix("mimctl-pg-")
        .tempdir()
        .expect("tempdir")
        .keep();
    let data = root.join("data");
    let sock = root.join("sock");
    std::fs::create_dir(&sock).expect("socket dir");
    for (name, content) in &opts.files {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(root.join(name))
            .expect("server file");
        std::io::Write::write_all(&mut f, content).expect("write server file");
    }
    let with_root = |text: &str| text.replace("{root}", &root.display().to_string());
    if let Some(hba) = &opts.hba {
        std::fs::write(root.join("pg_hba.conf"), with_root(hba)).expect("pg_hba.conf");
    }
    let as_user: Vec<String> = if is_root() {
        let st = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&root)
            .status()
            .expect("chown");
        assert!(st.success(), "chown the PostgreSQL test directory");
        ["runuser", "-u", "postgres", "--"]
            .map(String::from)
            .to_vec()
    } else {
        Vec::new()
    };
    let port = opts.tcp_port.unwrap_or(5432);
    let listen = match opts.tcp_port {
        Some(p) => format!("-p {p} -c listen_addresses=127.0.0.1"),
        None => "-c listen_addresses=".to_string(),
    };
    let settings: String = opts
        .settings
        .iter()
        .map(|s| format!(" -c {}", with_root(s)))
        .collect();
    let hba = if opts.hba.is_some() {
        format!(
            "cp {root}/pg_hba.conf {data}/pg_hba.conf; ",
            root = root.display(),
            data = data.display()
        )
    } else {
        String::new()
    };
    let script = format!(
        "set -e; {initdb} -D {data} -U postgres -A trust -E UTF8 --no-locale >{root}/initdb.log 2>&1; \
         {hba}{postgres} -D {data} -k {sock} {listen} -c fsync=off -c synchronous_commit=off \
           -c full_page_writes=off{settings} >{root}/server.log 2>&1 & pid=$!; \
         echo started; cat >/dev/null; kill -INT $pid; wait $pid || true; rm -rf {root}",
        initdb = bin.join("initdb").display(),
        postgres = bin.join("postgres").display(),
        data = data.display(),
        sock = sock.display(),
        root = root.display(),
    );
    let mut cmd = match as_user.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest);
            c
        }
        None => Command::new("sh"),
    };
    if !as_user.is_empty() {
        cmd.arg("sh");
    }
    // Never waited for: the shell outlives every test and ends when the binary exits.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the PostgreSQL test server");
    let stdin = child.stdin.take().expect("stdin");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read");
    assert_eq!(
        line.trim(),
        "started",
        "initdb failed: see {}/initdb.log",
        root.display()
    );
    // Wait for the socket to accept connections.
    for _ in 0..200 {
        if postgres::Client::connect(&admin_dsn(&sock, port, "postgres"), postgres::NoTls).is_ok() {
            return Some(Server {
                socket_dir: sock,
                port,
                _keep: Mutex::new(stdin),
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!(
        "the PostgreSQL test server did not start: see {}/server.log",
        root.display()
    );
}

pub(crate) fn admin_dsn(sock: &Path, port: u16, db: &str) -> String {
    format!(
        "host={} port={port} user=postgres dbname={db}",
        sock.display()
    )
}

/// The test server's data directory (next to its socket directory), for pg_hba.conf.
pub fn data_dir() -> Option<PathBuf> {
    Some(server()?.socket_dir.parent()?.join("data"))
}

/// The admin connection string for a database of the test server.
pub fn admin_dsn_for(db: &str) -> Option<String> {
    let s = server()?;
    Some(admin_dsn(&s.socket_dir, s.port, db))
}

impl Server {
    /// A superuser connection over the server's Unix socket.
    pub(crate) fn admin(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(&admin_dsn(&self.socket_dir, self.port, db), postgres::NoTls)
            .expect("connect as postgres")
    }

    /// A fresh, empty database named `db` (dropped first if a previous run left it).
    pub(crate) fn create_database(&self, db: &str) {
        let mut admin = self.admin("postgres");
        for q in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db}"),
        ] {
            admin.batch_execute(&q).expect("create the test database");
        }
    }
}

/// The server shared by the PostgreSQL tests (None without PostgreSQL 15).
pub(crate) fn server() -> Option<&'static Server> {
    let s = SERVER.get_or_init(start).as_ref();
    if s.is_none() && std::env::var("PG_TESTS").as_deref() == Ok("require") {
        panic!("PG_TESTS=require but PostgreSQL 15's binaries are missing");
    }
    s
}

/// A test's own database on the shared server, and a TestEnv whose config points at it.
pub struct PgEnv {
    pub t: TestEnv,
    pub db: String,
    pub sock: PathBuf,
}

impl PgEnv {
    /// A fresh, empty database (no schema) or None when PostgreSQL is not available.
    pub fn empty(name: &str) -> Option<PgEnv> {
        PgEnv::empty_with(name, DEFAULT_CONFIG)
    }

    /// A fresh, empty database whose config is `base` plus the pool.
    pub fn empty_with(name: &str, base: &str) -> Option<PgEnv> {
        let server = server()?;
        let db = format!("t_{name}");
        server.create_database(&db);
        let config = format!(
            "{base}\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
             [outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"{}\"\n\
             database = \"{db}\"\nusername = \"postgres\"\npassword = \"unused-with-trust\"\n",
            server.socket_dir.display()
        );
        Some(PgEnv {
            t: TestEnv::with_config(&config),
            db,
            sock: server.socket_dir.clone(),
        })
    }

    /// A database with MongooseIM's schema, loaded by `init_schema`.
    pub fn new(name: &str) -> Option<PgEnv> {
        PgEnv::new_with(name, DEFAULT_CONFIG)
    }

    /// A database with MongooseIM's schema and a config of `base` plus the pool.
    pub fn new_with(name: &str, base: &str) -> Option<PgEnv> {
        let env = PgEnv::empty_with(name, base)?;
        let r = env.run(&["init_schema"]);
        assert_eq!(r.code, 0, "{r:?}");
        Some(env)
    }

    /// The binary with this env's config (no --store: the pgsql pool is the store).
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = self.t.bare_cmd();
        cmd.arg("-c")
            .arg(&self.t.config)
            .args(["-o", "text"])
            .args(args);
        crate::support::run_cmd(&mut cmd)
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&admin_dsn(&self.sock, 5432, &self.db), postgres::NoTls)
            .expect("connect to the test database")
    }

    /// Rows of a query, every column cast to text by the query itself ("NULL" for NULL).
    pub fn sql(&self, query: &str) -> Vec<Vec<String>> {
        let rows = self.client().query(query, &[]).expect("query");
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.get::<_, Option<String>>(i)
                            .unwrap_or_else(|| "NULL".into())
                    })
                    .collect()
            })
            .collect()
    }

    #[allow(dead_code)]
    pub fn exec(&self, sql: &str) {
        self.client().batch_execute(sql).expect("exec");
    }
}

macro_rules! pg_env {
    ($name:expr) => {
        match PgEnv::new($name) {
            Some(e) => e,
            None => return,
        }
    };
}

#[test]
fn an_unreachable_server_is_exit_3_naming_host_port_and_database() {
    let t = TestEnv::with_config(&format!(
        "{DEFAULT_CONFIG}\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
         [outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"127.0.0.1\"\n\
         port = 1\ndatabase = \"mim\"\nusername = \"u\"\npassword = \"s3cret\"\n"
    ));
    let mut cmd = t.bare_cmd();
    cmd.arg("-c")
        .arg(&t.config)
        .args(["check_account", "alice", "localhost"]);
    let r = crate::support::run_cmd(&mut cmd);
    assert_eq!(r.code, 3, "{r:?}");
    assert_eq!(r.stdout, "");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{r:?}");
    assert!(
        lines[0].starts_with(
            "error: store unavailable: cannot connect to PostgreSQL at 127.0.0.1:1 (database mim): "
        ),
        "{r:?}"
    );
    assert!(!r.stderr.contains("s3cret"));
}

#[test]
fn a_database_without_mongooseim_tables_is_refused_naming_the_table() {
    let Some(e) = PgEnv::empty("missing_tables") else {
        return;
    };
    let r = e.run(&["check_account", "alice", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(
        r.stderr.contains("MongooseIM's table \"users\" is missing"),
        "{r:?}"
    );
    // Nothing was created.
    assert_eq!(
        e.sql("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'"),
        [["0"]]
    );
    // init_schema loads it; a second time it refuses, changing nothing.
    e.run(&["init_schema"]).ok(&format!(
        "MongooseIM 5.1's schema (13 tables) and mongooseimctl's tables (version 1) loaded into \
         postgresql {}:5432, database {}\n",
        e.sock.display(),
        e.db
    ));
    let r = e.run(&["init_schema"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(
        r.stderr
            .contains("the database is not empty: MongooseIM's table \"users\" exists"),
        "{r:?}"
    );
    assert_eq!(
        e.sql("SELECT string_agg(version::text, ',') FROM mongooseimctl_schema"),
        [["1"]]
    );
}

/// Run each command line on a fresh SQLite store and on PostgreSQL: the same exit code and
/// the same stdout, line by line. The outcomes (SQLite's) are returned for exact checks.
fn same_on_both(e: &PgEnv, lines: &[&[&str]]) -> Vec<Run> {
    same_on(&TestEnv::new(), e, lines)
}

/// [`same_on_both`] with a given SQLite environment (its own config and data).
fn same_on(sqlite: &TestEnv, e: &PgEnv, lines: &[&[&str]]) -> Vec<Run> {
    same_on_both_in(e, sqlite, lines)
}

/// [`same_on`] with the arguments the other way round.
fn same_on_both_in(e: &PgEnv, sqlite: &TestEnv, lines: &[&[&str]]) -> Vec<Run> {
    let mut out = Vec::new();
    for args in lines {
        let want = sqlite.run(args);
        let got = e.run(args);
        assert_eq!(
            (got.code, got.stdout.as_str()),
            (want.code, want.stdout.as_str()),
            "{args:?}: PostgreSQL stderr {:?}, SQLite stderr {:?}",
            got.stderr,
            want.stderr
        );
        out.push(want);
    }
    out
}

#[test]
fn status_shows_the_databases_size_users_and_schema_version_on_postgresql() {
    let e = pg_env!("status_facts");
    e.run(&["register_identified", "alice", "localhost", "pw"])
        .ok("User alice@localhost successfully registered\n");
    let schema = e.sql("SELECT MAX(version)::text FROM mongooseimctl_schema")[0][0].clone();
    let r = e.run(&["-o", "json", "status"]);
    assert_eq!(r.code, 0, "{r:?}");
    let j: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let store = &j["result"]["store"];
    assert_eq!(store["driver"], "pgsql", "{j}");
    assert_eq!(store["users"], 1, "{j}");
    assert_eq!(store["schema_version"].to_string(), schema, "{j}");
    let size = store["size_bytes"].as_i64().unwrap_or(0);
    assert!(size > 1_000_000, "pg_database_size: {j}");
    // The size may move between two runs (PostgreSQL's own bookkeeping): the rest is exact.
    let text = e.run(&["status"]);
    let line = text
        .stdout
        .lines()
        .find(|l| l.starts_with("    store details: "))
        .unwrap_or_default();
    assert!(
        line.ends_with(&format!(" bytes, 1 users, schema version {schema}")),
        "{}",
        text.stdout
    );
}

#[test]
fn accounts_on_postgresql() {
    let e = pg_env!("accounts");
    let runs = same_on_both(
        &e,
        &[
            &["register_identified", "alice", "localhost", "pw1"],
            &["register_identified", "alice", "localhost", "pw1"],
            &["check_account", "alice", "localhost"],
            &["check_account", "bob", "localhost"],
            &["check_password", "alice", "localhost", "pw1"],
            &["change_password", "alice", "localhost", "pw2"],
            &["check_password", "alice", "localhost", "pw1"],
            &["check_password", "alice", "localhost", "pw2"],
            &["register_identified", "bob", "localhost", "x"],
            &["register_identified", "Carol", "example.org", "x"],
            &["registered_users", "localhost"],
            &["unregister", "bob", "localhost"],
            &["unregister", "bob", "localhost"],
            &["registered_users", "localhost"],
            &["registered_users", "example.org"],
        ],
    );
    runs[0].ok("User alice@localhost successfully registered\n");
    assert_eq!(runs[1].code, 1);
    assert_eq!(runs[10].stdout, "alice\nbob\n");
    assert_eq!(runs[13].stdout, "alice\n");
    assert_eq!(
        e.sql("SELECT username, server FROM users ORDER BY username"),
        [["alice", "localhost"], ["carol", "example.org"]]
    );
}

#[test]
fn last_vcard_private_and_roster_on_postgresql() {
    let e = pg_env!("data");
    let runs = same_on_both(
        &e,
        &[
            &["register_identified", "alice", "localhost", "pw"],
            &["register_identified", "bob", "localhost", "pw"],
            &["set_last", "alice", "localhost", "1700000000", "gone"],
            &["set_last", "nobody", "localhost", "1700000000", "gone"],
            &["set_vcard", "alice", "localhost", "FN", "Alice Liddell"],
            &["get_vcard", "alice", "localhost", "FN"],
            &["set_vcard2", "alice", "localhost", "N", "FAMILY", "Liddell"],
            &["get_vcard2", "alice", "localhost", "N", "FAMILY"],
            &["get_vcard", "bob", "localhost", "FN"],
            &["private_set", "alice", "localhost", "<s xmlns='x:y'>1</s>"],
            &["private_get", "alice", "localhost", "s", "x:y"],
            &["private_get", "alice", "localhost", "t", "x:z"],
            &[
                "add_rosteritem",
                "alice",
                "localhost",
                "bob",
                "localhost",
                "Bobby",
                "Friends",
                "both",
            ],
            &[
                "add_rosteritem",
                "alice",
                "localhost",
                "carol",
                "example.org",
                "C",
                "Work",
                "to",
            ],
            &[
                "add_rosteritem",
                "alice",
                "localhost",
                "bob",
                "localhost",
                "Bob",
                "Pals",
                "from",
            ],
            &["get_roster", "alice", "localhost"],
            &[
                "delete_rosteritem",
                "alice",
                "localhost",
                "carol",
                "example.org",
            ],
            &["get_roster", "alice", "localhost"],
        ],
    );
    assert_eq!(runs[5].stdout, "Alice Liddell\n");
    // What MongooseIM's modules read, with plain SQL.
    assert_eq!(
        e.sql("SELECT seconds::text, state FROM last WHERE server = 'localhost' AND username = 'alice'"),
        [["1700000000", "gone"]]
    );
    assert_eq!(
        e.sql(
            "SELECT jid, nick, subscription::text, ask::text, askmessage FROM rosterusers \
               WHERE server = 'localhost' AND username = 'alice'"
        ),
        [["bob@localhost", "Bob", "F", "N", ""]]
    );
    assert_eq!(
        e.sql("SELECT grp FROM rostergroups WHERE server = 'localhost' AND username = 'alice'"),
        [["Pals"]]
    );
    let stored = e.sql("SELECT vcard FROM vcard WHERE server = 'localhost' AND username = 'alice'");
    assert!(
        stored[0][0].contains("<FN>Alice Liddell</FN>"),
        "{stored:?}"
    );
    assert_eq!(
        e.sql("SELECT lusername, fn, lfn, family, lfamily FROM vcard_search WHERE server = 'localhost'"),
        [["alice", "Alice Liddell", "alice liddell", "Liddell", "liddell"]]
    );
    assert_eq!(
        e.sql("SELECT namespace, data FROM private_storage WHERE server = 'localhost' AND username = 'alice'"),
        [["x:y", "<s xmlns='x:y'>1</s>"]]
    );
    let pw = e.sql("SELECT \"password\", pass_details FROM users WHERE username = 'alice'");
    assert_eq!(pw[0][0], "");
    assert!(pw[0][1].starts_with("==MULTI_SCRAM==,64,"), "{pw:?}");
}

#[test]
fn the_environment_overrides_the_pool_and_a_password_file_is_read_at_open() {
    let e = pg_env!("env_override");
    // A config whose pool names a database that does not exist: the variable wins.
    let t = TestEnv::with_config(
        &std::fs::read_to_string(&e.t.config)
            .expect("config")
            .replace(&e.db, "no_such_db"),
    );
    let run = |vars: &[(&str, &str)]| {
        let mut cmd = t.bare_cmd();
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.arg("-c")
            .arg(&t.config)
            .args(["-o", "text", "registered_users", "localhost"]);
        crate::support::run_cmd(&mut cmd)
    };
    let r = run(&[]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(r.stderr.contains("(database no_such_db)"), "{r:?}");
    e.run(&["register_identified", "alice", "localhost", "pw"])
        .ok("User alice@localhost successfully registered\n");
    run(&[("MONGOOSEIMCTL_PG_DATABASE", e.db.as_str())]).ok("alice\n");
    let pw = t.write("pgpass", "anything\n");
    run(&[
        ("MONGOOSEIMCTL_PG_DATABASE", e.db.as_str()),
        ("MONGOOSEIMCTL_PG_PASSWORD_FILE", pw.to_str().unwrap()),
    ])
    .ok("alice\n");
    let missing = t.path("missing-pgpass");
    let r = run(&[
        ("MONGOOSEIMCTL_PG_DATABASE", e.db.as_str()),
        ("MONGOOSEIMCTL_PG_PASSWORD_FILE", missing.to_str().unwrap()),
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert!(
        r.stderr
            .contains("cannot read the PostgreSQL password file"),
        "{r:?}"
    );
}

#[test]
fn offline_messages_on_postgresql() {
    let e = pg_env!("offline");
    let runs = same_on_both(
        &e,
        &[
            &["register_identified", "alice", "localhost", "pw"],
            &["register_identified", "bob", "localhost", "pw"],
            &[
                "send_message_chat",
                "alice@localhost/R",
                "bob@localhost",
                "first",
            ],
            &[
                "send_message_chat",
                "alice@localhost/R",
                "bob@localhost",
                "second",
            ],
            &["delete_expired_messages", "localhost"],
            &["delete_old_messages", "localhost", "1"],
        ],
    );
    assert_eq!(runs[2].code, 0);
    // What mod_offline reads: insertion order by id, µs timestamps, term_to_binary([]).
    let rows = e.sql(
        "SELECT from_jid, packet, (expire IS NULL)::text, encode(permanent_fields, 'hex') \
         FROM offline_message WHERE server = 'localhost' AND username = 'bob' ORDER BY id",
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "alice@localhost/R");
    assert!(rows[0][1].contains("<body>first</body>"), "{rows:?}");
    assert!(rows[1][1].contains("<body>second</body>"), "{rows:?}");
    assert_eq!(rows[0][2..], ["true".to_string(), "836a".to_string()]);
    let listed = e.run(&["list_offline_messages", "bob", "localhost"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    assert_eq!(listed.stdout.lines().count(), 2, "{listed:?}");
    assert!(listed
        .stdout
        .lines()
        .next()
        .is_some_and(|l| l.contains("first")));
    // unregister removes them.
    e.run(&["unregister", "bob", "localhost"]).ok("");
    assert_eq!(e.sql("SELECT count(*)::text FROM offline_message"), [["0"]]);
}

#[test]
fn recorded_sessions_on_postgresql() {
    let e = pg_env!("sessions");
    same_on_both(
        &e,
        &[
            &["register_identified", "alice", "localhost", "pw"],
            &["register_identified", "bob", "localhost", "pw"],
            &["open_session", "alice", "localhost", "phone"],
            &["open_session", "bob", "localhost", "x"],
            &["open_session", "alice", "localhost", "laptop"],
            &["connected_users"],
            &["user_resources", "alice", "localhost"],
            &[
                "set_presence",
                "alice",
                "localhost",
                "phone",
                "available",
                "away",
                "brb",
                "5",
            ],
            &[
                "send_message_chat",
                "bob@localhost/x",
                "alice@localhost/phone",
                "hi",
            ],
            &["kick_session", "alice", "localhost", "laptop", "bye"],
            &["connected_users"],
            &["connected_users_vhost", "localhost"],
            &["open_session", "bob", "localhost", "x"],
            &["connected_users"],
            &["unregister", "bob", "localhost"],
            &["connected_users"],
        ],
    );
    assert_eq!(
        e.sql(
            "SELECT username || '@' || server || '/' || resource, COALESCE(priority::text, 'NULL'), show, status \
             FROM mongooseimctl_sessions ORDER BY seq"
        ),
        [["alice@localhost/phone", "5", "away", "brb"]]
    );
    let delivered = e.sql(
        "SELECT username || '@' || server || '/' || resource, from_jid FROM mongooseimctl_delivered ORDER BY id",
    );
    assert!(
        delivered.contains(&vec![
            "alice@localhost/phone".to_string(),
            "bob@localhost/x".to_string()
        ]),
        "{delivered:?}"
    );
}

#[test]
fn dynamic_domains_on_postgresql() {
    let e = pg_env!("domains");
    same_on_both(
        &e,
        &[
            &["insert_domain", "a.test", "dyn"],
            &["insert_domain", "a.test", "dyn"],
            &["insert_domain", "b.test", "dyn"],
            &["register_identified", "alice", "a.test", "pw"],
            &["disable_domain", "a.test"],
            &["check_account", "alice", "a.test"],
            &["enable_domain", "a.test"],
            &["check_account", "alice", "a.test"],
            &["delete_domain", "b.test", "dyn"],
            &["delete_domain", "a.test", "dyn"],
            &["registered_users", "a.test"],
        ],
    );
    // MongooseIM's loader reads ids from the sequence and `enabled` as a boolean; every
    // effective change left its domain_events row.
    let r = e.run(&["insert_domain", "c.test", "dyn"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        e.sql("SELECT domain, host_type, enabled::text, (id > 0)::text FROM domain_settings ORDER BY id"),
        [["c.test", "dyn", "true", "true"]]
    );
    assert_eq!(
        e.sql("SELECT string_agg(domain, ',' ORDER BY id) FROM domain_events"),
        [["a.test,b.test,a.test,a.test,b.test,a.test,c.test"]]
    );
    assert_eq!(e.sql("SELECT count(*)::text FROM users"), [["0"]]);
}

/// The template database every mirror database is copied from: MongooseIM's schema and our
/// tables, loaded once per test binary by the binary's own `init_schema`.
static TEMPLATE: OnceLock<Option<()>> = OnceLock::new();
static MIRRORS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn pool_section(sock: &Path, db: &str) -> String {
    format!(
        "\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
         [outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"{}\"\n\
         database = \"{db}\"\nusername = \"postgres\"\npassword = \"unused-with-trust\"\n",
        sock.display()
    )
}

fn template(server: &Server) -> Option<()> {
    *TEMPLATE.get_or_init(|| {
        let mut admin = postgres::Client::connect(
            &admin_dsn(&server.socket_dir, server.port, "postgres"),
            postgres::NoTls,
        )
        .expect("connect as postgres");
        for q in [
            "DROP DATABASE IF EXISTS mirror_template",
            "CREATE DATABASE mirror_template",
        ] {
            admin
                .batch_execute(q)
                .expect("create the template database");
        }
        let t = TestEnv::with_config(&format!(
            "{DEFAULT_CONFIG}{}",
            pool_section(&server.socket_dir, "mirror_template")
        ));
        let mut cmd = t.bare_cmd();
        cmd.arg("-c").arg(&t.config).arg("init_schema");
        let r = crate::support::run_cmd(&mut cmd);
        assert_eq!(r.code, 0, "init_schema on the mirror template: {r:?}");
        Some(())
    })
}

/// A cell as `support::row_strings` renders SQLite's: integers in decimal, booleans as 1/0
/// (SQLite's), text as is, bytes as a Rust byte-slice debug string, "NULL" for NULL.
fn cell(r: &postgres::Row, i: usize) -> String {
    use postgres::types::Type;
    let ty = r.columns()[i].type_().clone();
    let text = |v: Option<String>| v.unwrap_or_else(|| "NULL".into());
    match ty {
        Type::INT2 => text(r.get::<_, Option<i16>>(i).map(|v| v.to_string())),
        Type::INT4 => text(r.get::<_, Option<i32>>(i).map(|v| v.to_string())),
        Type::INT8 => text(r.get::<_, Option<i64>>(i).map(|v| v.to_string())),
        Type::BOOL => text(r.get::<_, Option<bool>>(i).map(|v| (v as i32).to_string())),
        Type::TIMESTAMP => text(
            r.get::<_, Option<std::time::SystemTime>>(i)
                .map(|_| "<timestamp>".to_string()),
        ),
        Type::BYTEA => text(
            r.get::<_, Option<Vec<u8>>>(i)
                .map(|v| format!("{:?}", v.as_slice())),
        ),
        _ => r
            .try_get::<_, Option<String>>(i)
            .map(text)
            .unwrap_or_else(|_| format!("<{ty}>")),
    }
}

/// The PostgreSQL twin of a SQLite [`TestEnv`] (see `support.rs`): the same config with a
/// pgsql pool appended, on a database of its own copied from the template. Every command the
/// test runs through the TestEnv runs here too, and must give the same exit code and stdout.
pub struct Mirror {
    pub config: PathBuf,
    pub db: String,
    sock: PathBuf,
}

impl Mirror {
    /// None when PostgreSQL is not available (or `MIMCTL_MIRROR=off`).
    pub fn create(dir: &Path, toml: &str) -> Option<Mirror> {
        if std::env::var("MIMCTL_MIRROR").as_deref() == Ok("off") {
            return None;
        }
        let server = server()?;
        template(server)?;
        let n = MIRRORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let db = format!("mirror_{}_{n}", std::process::id());
        let mut admin = postgres::Client::connect(
            &admin_dsn(&server.socket_dir, server.port, "postgres"),
            postgres::NoTls,
        )
        .expect("connect as postgres");
        admin
            .batch_execute(&format!("CREATE DATABASE {db} TEMPLATE mirror_template"))
            .expect("create a mirror database");
        // The store is created now, as the SQLite twin is at its first command.
        postgres::Client::connect(
            &admin_dsn(&server.socket_dir, server.port, &db),
            postgres::NoTls,
        )
        .and_then(|mut c| {
            c.execute(
                "UPDATE mongooseimctl_state SET v = $1 WHERE k = 'created_at'",
                &[&super::support::now_secs().to_string()],
            )
        })
        .expect("date the mirror database");
        let config = dir.join("config.pg.toml");
        std::fs::write(
            &config,
            format!("{toml}{}", pool_section(&server.socket_dir, &db)),
        )
        .expect("write the mirror config");
        Some(Mirror {
            config,
            db,
            sock: server.socket_dir.clone(),
        })
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&admin_dsn(&self.sock, 5432, &self.db), postgres::NoTls)
            .expect("connect to the mirror database")
    }

    /// How the binary names this store (`status`, errors).
    pub fn describe(&self) -> String {
        format!(
            "postgresql {}:5432, database {}",
            self.sock.display(),
            self.db
        )
    }

    /// Rewrite the twin's config: `toml` with the pool appended.
    pub fn set_config(&self, toml: &str) {
        std::fs::write(
            &self.config,
            format!("{toml}{}", pool_section(&self.sock, &self.db)),
        )
        .expect("write the mirror config");
    }

    /// Rows of a query, every column cast to text by the query itself; None when PostgreSQL
    /// refuses the query (SQLite dialect).
    pub fn try_sql(&self, query: &str) -> Option<Vec<Vec<String>>> {
        let rows = self.client().query(query, &[]).ok()?;
        Some(
            rows.iter()
                .map(|r| (0..r.len()).map(|i| cell(r, i)).collect())
                .collect(),
        )
    }

    /// Run SQL on the mirror; false when PostgreSQL refuses it.
    pub fn try_exec(&self, sql: &str) -> bool {
        self.client().batch_execute(sql).is_ok()
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        if let Ok(mut admin) =
            postgres::Client::connect(&admin_dsn(&self.sock, 5432, "postgres"), postgres::NoTls)
        {
            let _ =
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db));
        }
    }
}

/// Rows written by SQL after the commands (the same statements on both backends): roster
/// items with increasing `created_at` later than any written by a command (store order on
/// PostgreSQL; insertion order on SQLite), groups, private elements, offline messages with
/// and without expiry, inbox entries inside and outside the exported range.
const PERSONAL_ROWS: &str = "\
    INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage, created_at) VALUES \
      ('localhost', 'alice', 'zed@localhost', 'Zed', 'B', 'N', '', '2999-01-01 00:00:01'), \
      ('localhost', 'alice', 'carol@example.org', '', 'N', 'S', 'line1\r\nline2', '2999-01-01 00:00:02'), \
      ('localhost', 'alice', 'dave@example.org', 'd, \"q\"', 'F', 'O', '', '2999-01-01 00:00:03');
    INSERT INTO rostergroups (server, username, jid, grp) VALUES \
      ('localhost', 'alice', 'zed@localhost', 'Work'), \
      ('localhost', 'alice', 'zed@localhost', 'Family, close'), \
      ('localhost', 'alice', 'zed@localhost', '');
    INSERT INTO private_storage (server, username, namespace, data) VALUES \
      ('localhost', 'alice', 'a:b', '<q xmlns=''a:b''>x,y</q>'), \
      ('localhost', 'alice', 'Z:upper', '<q xmlns=''Z:upper''/>'), \
      ('localhost', 'bob', 'a:b', '<q xmlns=''a:b''/>');
    INSERT INTO offline_message (timestamp, expire, server, username, from_jid, packet) VALUES \
      (1600000000000000, NULL, 'localhost', 'alice', 'carol@example.org', '<message><body>older</body></message>'), \
      (1654000000000000, 1000, 'localhost', 'alice', 'bob@localhost', '<message><body>expired</body></message>'), \
      (1654000000000000, 99999999999999999, 'localhost', 'alice', 'bob@localhost', '<message><body>later</body></message>');
    INSERT INTO inbox (luser, lserver, remote_bare_jid, msg_id, content, timestamp, unread_count) VALUES \
      ('alice', 'localhost', 'bob@localhost', 'm1', '<message><body>b</body></message>', 1654000000000123, 2), \
      ('alice', 'localhost', 'carol@example.org', 'm2', '<message><body>c\nd</body></message>', 1500000000000000, 0), \
      ('alice', 'localhost', 'future@example.org', 'm3', '<message/>', 99999999999999999, 1), \
      ('bob', 'localhost', 'alice@localhost', 'm4', '<message/>', 1, 1);";

#[test]
fn personal_data_archives_are_the_same_on_both_backends() {
    let config = format!("{DEFAULT_CONFIG}[modules.mod_inbox]\n");
    let Some(e) = PgEnv::new_with("gdpr", &config) else {
        return;
    };
    let sqlite = TestEnv::with_config(&config);
    same_on(
        &sqlite,
        &e,
        &[
            &["register_identified", "alice", "localhost", "pw"],
            &["register_identified", "bob", "localhost", "pw"],
            &[
                "add_rosteritem",
                "alice",
                "localhost",
                "bob",
                "localhost",
                "Bobby",
                "Pals",
                "both",
            ],
            &["set_vcard", "alice", "localhost", "FN", "Alice, \"A\""],
            &[
                "private_set",
                "alice",
                "localhost",
                "<note xmlns='my:ns'>a\nb</note>",
            ],
        ],
    );
    sqlite.exec(PERSONAL_ROWS);
    e.exec(PERSONAL_ROWS);
    let runs = same_on(
        &sqlite,
        &e,
        &[
            &["retrieve_personal_data", "alice", "localhost", "alice.zip"],
            &["retrieve_personal_data", "Bob", "LocalHost", "bob.zip"],
            &["retrieve_personal_data", "carol", "localhost", "carol.zip"],
        ],
    );
    runs[0].ok("");
    runs[1].ok("");
    runs[2].fails("Error: \"User does not exist\"\n");
    for zip in ["alice.zip", "bob.zip"] {
        assert_eq!(
            crate::gdpr::members(&e.t.path(zip)),
            crate::gdpr::members(&sqlite.path(zip)),
            "{zip}"
        );
    }
    assert!(!e.t.path("carol.zip").exists());
    let alice = crate::gdpr::members(&e.t.path("alice.zip"));
    let names: Vec<&str> = alice.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "inbox.csv",
            "offline.csv",
            "private.csv",
            "roster.csv",
            "vcard.csv",
            "logs-mongooseim@localhost.txt"
        ]
    );
    let file = |name: &str| {
        alice
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
            .unwrap_or_default()
    };
    assert_eq!(
        file("roster.csv"),
        "jid,name,subscription,ask,groups,askmessage,xs\n\
         bob@localhost,Bobby,both,none,Pals,,\n\
         zed@localhost,Zed,both,none,\"Work, Family, close\",,\n\
         carol@example.org,,none,subscribe,,\"line1\r\nline2\",\n\
         dave@example.org,\"d, \"\"q\"\"\",from,out,,,\n"
    );
    assert_eq!(
        file("private.csv"),
        "ns,xml\nZ:upper,<q xmlns='Z:upper'/>\na:b,\"<q xmlns='a:b'>x,y</q>\"\n\
         my:ns,\"<note xmlns='my:ns'>a\nb</note>\"\n"
    );
    assert_eq!(
        file("inbox.csv"),
        "jid,content,unread_count,timestamp\n\
         carol@example.org,\"<message><body>c\nd</body></message>\",0,2017-07-14T02:40:00.000000Z\n\
         bob@localhost,<message><body>b</body></message>,2,2022-05-31T12:26:40.000123Z\n"
    );
    assert_eq!(
        file("offline.csv"),
        "timestamp,from,to,packet\n\
         2020-09-13T12:26:40Z,carol@example.org,alice@localhost,<message><body>older</body></message>\n\
         2022-05-31T12:26:40Z,bob@localhost,alice@localhost,<message><body>later</body></message>\n"
    );
    assert_eq!(
        file("vcard.csv"),
        "jid,vcard\nalice@localhost,\"<vCard xmlns='vcard-temp'><FN>Alice, &quot;A&quot;</FN></vCard>\"\n"
    );
    // Read-only.
    assert_eq!(e.sql("SELECT count(*)::text FROM offline_message"), [["3"]]);
}

/// check_store's report on SQLite and on PostgreSQL: the same lines but the summary's
/// location, which names each store.
fn check_store_on_both(sqlite: &TestEnv, e: &PgEnv) -> String {
    let want = sqlite.run(&["check_store"]);
    let got = e.run(&["check_store"]);
    let here = format!("postgresql {}:5432, database {}", e.sock.display(), e.db);
    let there = sqlite.store.display().to_string();
    assert_eq!(
        (got.code, got.stdout.replace(&here, "STORE")),
        (want.code, want.stdout.replace(&there, "STORE")),
        "PostgreSQL stderr {:?}",
        got.stderr
    );
    got.stdout.replace(&here, "STORE")
}

const CHECK_DATA: &[&[&str]] = &[
    &["register_identified", "alice", "localhost", "pw"],
    &["register_identified", "bob", "localhost", "pw"],
    &[
        "add_rosteritem",
        "alice",
        "localhost",
        "bob",
        "localhost",
        "Bob",
        "friends",
        "both",
    ],
    &["set_vcard", "alice", "localhost", "FN", "Alice"],
    &["private_set", "alice", "localhost", "<a xmlns='ns'>x</a>"],
    &["set_last", "alice", "localhost", "1700000000", "away"],
];

#[test]
fn check_store_on_a_clean_postgresql_store() {
    let e = pg_env!("check_clean");
    let sqlite = TestEnv::new();
    same_on(&sqlite, &e, CHECK_DATA);
    assert_eq!(
        check_store_on_both(&sqlite, &e),
        "no problems found in STORE\n"
    );
    // An empty store too.
    let empty = pg_env!("check_empty");
    e.run(&["check_store"]).is(
        0,
        &format!(
            "no problems found in postgresql {}:5432, database {}\n",
            e.sock.display(),
            e.db
        ),
    );
    assert_eq!(
        check_store_on_both(&TestEnv::new(), &empty),
        "no problems found in STORE\n"
    );
}

#[test]
fn check_store_reports_orphans_and_bad_values_as_on_sqlite() {
    let e = pg_env!("check_problems");
    let sqlite = TestEnv::new();
    same_on(&sqlite, &e, CHECK_DATA);
    let damage = "INSERT INTO vcard (username, server, vcard) VALUES ('ghost', 'localhost', '<vCard xmlns=\"vcard-temp\"/>');
         INSERT INTO last (server, username, seconds, state) VALUES ('localhost', 'ghost', 1, ''), ('example.org', 'gone', 2, '');
         INSERT INTO offline_message (timestamp, server, username, from_jid, packet) VALUES (1, 'localhost', 'ghost', 'a@b', '<message/>'), (2, 'localhost', 'ghost', 'a@b', '<message/>');
         INSERT INTO rostergroups (server, username, jid, grp) VALUES ('localhost', 'bob', 'carol@localhost', 'work'), ('localhost', 'alice', 'zed@localhost', 'old');
         UPDATE users SET pass_details = 'garbage' WHERE username = 'bob';
         INSERT INTO users (username, server, \"password\", pass_details) VALUES ('carol', 'localhost', '', NULL), ('dave', 'localhost', '', '==MULTI_SCRAM==,64'), ('Zoe', 'localhost', '', '==MULTI_SCRAM==,64');
         UPDATE vcard SET vcard = '<vCard xmlns=\"vcard-temp\"><FN>Alice</FN>' WHERE username = 'alice';
         INSERT INTO private_storage (server, username, namespace, data) VALUES ('localhost', 'alice', 'broken', '<b xmlns=''broken''');";
    sqlite.exec(damage);
    e.exec(damage);
    let before = e.sql(
        "SELECT (SELECT count(*) FROM users)::text, (SELECT count(*) FROM rostergroups)::text, \
         (SELECT string_agg(pass_details, ',' ORDER BY username) FROM users WHERE pass_details NOT LIKE '==MULTI_SCRAM==,64,%')",
    );
    assert_eq!(
        check_store_on_both(&sqlite, &e),
        "orphan: last: 1 row of gone@example.org, which has no account\n\
         orphan: last: 1 row of ghost@localhost, which has no account\n\
         orphan: vcard: 1 row of ghost@localhost, which has no account\n\
         orphan: offline_message: 2 rows of ghost@localhost, which has no account\n\
         orphan_group: rostergroups: group \"work\" of bob@localhost's contact carol@localhost, which is not in the roster\n\
         orphan_group: rostergroups: group \"old\" of alice@localhost's contact zed@localhost, which is not in the roster\n\
         password: users: Zoe@localhost: pass_details is a SCRAM serialisation without any hash; the account cannot log in\n\
         password: users: bob@localhost: pass_details is not a SCRAM serialisation MongooseIM reads; the account cannot log in\n\
         password: users: carol@localhost: the plain password is empty and there is no pass_details; the account cannot log in\n\
         password: users: dave@localhost: pass_details is a SCRAM serialisation without any hash; the account cannot log in\n\
         xml: vcard: alice@localhost: the stored vCard is not XML (unexpected end of data)\n\
         xml: private_storage: alice@localhost, namespace \"broken\": the stored element is not XML (expected >)\n\
         12 problems found in STORE\n"
    );
    // Nothing was changed.
    assert_eq!(
        e.sql(
            "SELECT (SELECT count(*) FROM users)::text, (SELECT count(*) FROM rostergroups)::text, \
             (SELECT string_agg(pass_details, ',' ORDER BY username) FROM users WHERE pass_details NOT LIKE '==MULTI_SCRAM==,64,%')",
        ),
        before
    );
    assert_eq!(
        before,
        [["5", "3", "==MULTI_SCRAM==,64,garbage,==MULTI_SCRAM==,64"]]
    );
}

#[test]
fn check_store_on_postgresql_checks_the_schema() {
    let e = pg_env!("check_schema");
    e.run(&["register_identified", "alice", "localhost", "pw"])
        .ok("User alice@localhost successfully registered\n");
    e.exec(
        "ALTER TABLE vcard DROP COLUMN created_at;
         ALTER TABLE users ALTER COLUMN username TYPE varchar(100);
         ALTER TABLE last DROP CONSTRAINT last_pkey;
         DROP INDEX i_rosteru_server_user_jid;
         CREATE INDEX i_rosteru_server_user_jid ON rosterusers (server, username, jid);
         UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'i_offline_message'::regclass;",
    );
    let r = e.run(&["check_store"]);
    r.fails(&format!(
        "integrity: table \"users\": column \"username\" is character varying(100), expected character varying(250)\n\
         integrity: table \"last\": no unique index on (server, username), which mongooseimctl's writes need\n\
         integrity: table \"rosterusers\": no unique index on (jid, server, username), which mongooseimctl's writes need\n\
         integrity: table \"vcard\": column \"created_at\" is missing\n\
         integrity: table \"offline_message\": index \"i_offline_message\" is invalid (rebuild it with REINDEX)\n\
         5 problems found in postgresql {}:5432, database {}\n",
        e.sock.display(),
        e.db
    ));
    assert_eq!(e.sql("SELECT username FROM users"), [["alice"]]);
    // Our own tables are checked too.
    e.exec("ALTER TABLE mongooseimctl_state RENAME COLUMN v TO value;");
    let r = e.run(&["check_store"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .contains("integrity: table \"mongooseimctl_state\": column \"v\" is missing\n"),
        "{r:?}"
    );
}

#[test]
fn column_limits_are_the_same_on_both_backends() {
    use crate::limits::{domain_of, refused, too_long};
    let e = pg_env!("limits");
    let (a250, a251) = ("a".repeat(250), "a".repeat(251));
    let (e250, e251) = ("é".repeat(250), "é".repeat(251));
    let (v100, v101) = ("v".repeat(100), "v".repeat(101));
    let ns = |n: usize| format!("<q xmlns='urn:{}'/>", "n".repeat(n - 4));
    let (ns250, ns251) = (ns(250), ns(251));
    let from = |n: usize| format!("alice@localhost/{}", "r".repeat(n - 16));
    let (from250, from251) = (from(250), from(251));
    let (d250, d251) = (domain_of(250), domain_of(251));
    let to = format!("{v100}@localhost");
    let import = |name: &str, body: &str| {
        let p = e.t.write(name, body);
        p.to_str().unwrap_or_default().to_string()
    };
    let bad_csv = import(
        "bad.csv",
        &format!("first,localhost,pw\n{a251},localhost,pw\n"),
    );
    let lines: Vec<Vec<&str>> = vec![
        vec!["register_identified", &a250, "localhost", "pw"],
        vec!["register_identified", &e250, "localhost", "pw"],
        vec!["register_identified", &a251, "localhost", "pw"],
        vec!["register_identified", &e251, "localhost", "pw"],
        vec!["register_identified", "alice", "localhost", "pw"],
        vec!["set_last", "alice", "localhost", "2147483647", "s"],
        vec!["set_last", "alice", "localhost", "2147483648", "s"],
        vec!["set_last", "alice", "localhost", "-1", "s"],
        vec!["register_identified", &v100, "localhost", "pw"],
        vec!["register_identified", &v101, "localhost", "pw"],
        vec!["set_vcard", &v100, "localhost", "FN", "x"],
        vec!["set_vcard", &v101, "localhost", "FN", "x"],
        vec!["private_set", "alice", "localhost", &ns250],
        vec!["private_set", "alice", "localhost", &ns251],
        vec!["send_message_chat", &from250, &to, "hi"],
        vec!["send_message_chat", &from251, &to, "hi"],
        vec!["insert_domain", &d250, "dyn"],
        vec!["insert_domain", &d251, "dyn"],
    ];
    let lines: Vec<&[&str]> = lines.iter().map(Vec::as_slice).collect();
    let runs = same_on_both(&e, &lines);
    let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1]
    );
    // The refusals read the same on PostgreSQL (the check comes before any statement).
    refused(
        &e.run(&["register_identified", &e251, "localhost", "pw"]),
        &too_long("users.username", 250, 251),
    );
    refused(
        &e.run(&["set_vcard", &v101, "localhost", "FN", "x"]),
        &too_long("vcard_search.lusername", 100, 101),
    );
    refused(
        &e.run(&["set_last", "alice", "localhost", "-1", "s"]),
        "last.seconds holds a time from 0 to 2147483647 (MongooseIM's integer) and the value given is -1",
    );
    refused(
        &e.run(&["import_users", &bad_csv]),
        &too_long("users.username", 250, 251),
    );
    // What was written: the longest values only.
    assert_eq!(
        e.sql(
            "SELECT (SELECT count(*) || ',' || max(char_length(username)) FROM users), \
             (SELECT string_agg(seconds::text, ',') FROM last), \
             (SELECT count(*) || ',' || max(char_length(username)) FROM vcard), \
             (SELECT string_agg(char_length(namespace)::text, ',') FROM private_storage), \
             (SELECT string_agg(char_length(from_jid)::text, ',') FROM offline_message), \
             (SELECT string_agg(char_length(domain)::text, ',') FROM domain_settings)"
        ),
        [["5,250", "2147483647", "1,100", "250", "250", "250"]]
    );
    assert_eq!(
        e.sql("SELECT count(*)::text FROM users WHERE username = repeat('é', 250)"),
        [["1"]]
    );
}

/// Bulk commands on PostgreSQL (rosters, import, deletions).
mod bulk;

/// batch on PostgreSQL: a statement the server refuses inside a line (here a trigger
/// raising a check violation on vcard) puts the transaction in the failed state; the
/// line's savepoint is rolled back and the batch goes on (--continue) or rolls back; an
/// internal server error ends the batch with nothing changed.
#[test]
fn batch_recovers_from_a_server_error_inside_a_line() {
    let e = pg_env!("batch_savepoints");
    e.exec(
        "CREATE FUNCTION refuse_vcard() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.username = 'bad' THEN RAISE EXCEPTION 'no vcard' USING ERRCODE = '23514'; END IF; \
         IF NEW.username = 'fatal' THEN RAISE EXCEPTION 'broken' USING ERRCODE = 'XX000'; END IF; \
         RETURN NEW; END $$; \
         CREATE TRIGGER refuse_vcard BEFORE INSERT OR UPDATE ON vcard \
         FOR EACH ROW EXECUTE FUNCTION refuse_vcard();",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("batch.txt");
    std::fs::write(
        &file,
        "register_identified bad localhost pw\n\
         set_vcard bad localhost FN x\n\
         register_identified ok localhost pw\n\
         set_vcard ok localhost FN y\n",
    )
    .unwrap();
    let users = |e: &PgEnv| e.sql("SELECT username FROM users ORDER BY username");
    let r = e.run(&["batch", file.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.starts_with(
            "1\tok\tUser bad@localhost successfully registered (rolled back)\n2\terror\t"
        ),
        "{r:?}"
    );
    assert_eq!(r.stdout.lines().count(), 2, "{r:?}");
    assert!(users(&e).is_empty());
    let r = e.run(&["batch", file.to_str().unwrap(), "--continue"]);
    assert_eq!(r.code, 1, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{r:?}");
    assert!(lines[1].starts_with("2\terror\t"), "{r:?}");
    assert_eq!(lines[3], "4\tok\t");
    assert_eq!(users(&e), [["bad"], ["ok"]]);
    assert_eq!(
        e.sql("SELECT username FROM vcard ORDER BY username"),
        [["ok"]]
    );
    // An internal error is not a line's failure: the batch ends, nothing of it stays.
    std::fs::write(
        &file,
        "register_identified fatal localhost pw\nset_vcard fatal localhost FN z\n",
    )
    .unwrap();
    let r = e.run(&["batch", file.to_str().unwrap(), "--continue"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!r.stdout.contains("\tok\t"), "{r:?}");
    assert_eq!(users(&e), [["bad"], ["ok"]]);
}
