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

struct Server {
    socket_dir: PathBuf,
    /// Our end of the shell's stdin: dropped at exit, which stops the server.
    _keep: Mutex<ChildStdin>,
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

#[allow(clippy::print_stderr)]
fn start() -> Option<Server> {
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
    let script = format!(
        "set -e; {initdb} -D {data} -U postgres -A trust -E UTF8 --no-locale >{root}/initdb.log 2>&1; \
         {postgres} -D {data} -k {sock} -c listen_addresses= -c fsync=off -c synchronous_commit=off \
           -c full_page_writes=off >{root}/server.log 2>&1 & pid=$!; \
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
        if postgres::Client::connect(&admin_dsn(&sock, "postgres"), postgres::NoTls).is_ok() {
            return Some(Server {
                socket_dir: sock,
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

fn admin_dsn(sock: &Path, db: &str) -> String {
    format!("host={} user=postgres dbname={db}", sock.display())
}

fn server() -> Option<&'static Server> {
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
    sock: PathBuf,
}

impl PgEnv {
    /// A fresh, empty database (no schema) or None when PostgreSQL is not available.
    pub fn empty(name: &str) -> Option<PgEnv> {
        let server = server()?;
        let db = format!("t_{name}");
        let mut admin =
            postgres::Client::connect(&admin_dsn(&server.socket_dir, "postgres"), postgres::NoTls)
                .expect("connect as postgres");
        for q in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db}"),
        ] {
            admin.batch_execute(&q).expect("create the test database");
        }
        let config = format!(
            "{DEFAULT_CONFIG}\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
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
        let env = PgEnv::empty(name)?;
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
        postgres::Client::connect(&admin_dsn(&self.sock, &self.db), postgres::NoTls)
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
fn a_tls_pool_is_refused_until_tls_is_implemented() {
    let t = TestEnv::with_config(&format!(
        "{DEFAULT_CONFIG}\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
         [outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"db\"\n\
         database = \"mim\"\nusername = \"u\"\npassword = \"s3cret\"\ntls.required = true\n"
    ));
    let mut cmd = t.bare_cmd();
    cmd.arg("-c")
        .arg(&t.config)
        .args(["check_account", "alice", "localhost"]);
    let r = crate::support::run_cmd(&mut cmd);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("asks for TLS"), "{r:?}");
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
    same_on_both_in(e, &TestEnv::new(), lines)
}

/// [`same_on_both`] on a given SQLite store (prepared by the test).
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

/// Bulk commands on PostgreSQL (rosters, import, deletions).
mod bulk;
