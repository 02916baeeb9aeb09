//! Group `gdpr`: `retrieve_personal_data` (issue 9, item 2). The archives are read back with
//! the zip crate: member names and order, and every CSV byte.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::*;

const MODULES: [&str; 6] = [
    "mod_vcard",
    "mod_roster",
    "mod_private",
    "mod_offline",
    "mod_inbox",
    "mod_last",
];

/// The default hosts with exactly these modules.
fn config_with(modules: &[&str]) -> String {
    let mut c = String::from(
        "[general]\n  hosts = [\"localhost\", \"example.org\"]\n  host_types = [\"dyn\"]\n  \
         default_server_domain = \"localhost\"\n\n[auth]\n  password.format = \"plain\"\n  \
         [auth.rdbms]\n\n[services.service_admin_extra]\n\n[services.service_domain_db]\n\n",
    );
    for m in modules {
        c.push_str(&format!("[modules.{m}]\n"));
    }
    c
}

fn env() -> TestEnv {
    let t = TestEnv::with_config(&config_with(&MODULES));
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t
}

/// The members of a ZIP, in archive order: name and content.
pub fn members(p: &Path) -> Vec<(String, String)> {
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut z = zip::ZipArchive::new(f).expect("a ZIP archive");
    (0..z.len())
        .map(|i| {
            let mut m = z.by_index(i).unwrap();
            assert_eq!(m.compression(), zip::CompressionMethod::Deflated);
            let mut s = String::new();
            m.read_to_string(&mut s).unwrap();
            (m.name().to_string(), s)
        })
        .collect()
}

fn names(p: &Path) -> Vec<String> {
    members(p).into_iter().map(|(n, _)| n).collect()
}

fn member(p: &Path, name: &str) -> Option<String> {
    members(p)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, c)| c)
}

/// The entries of a directory, sorted, but for the store's own files.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("store.db") && n != "config.pg.toml" && n != "xdg-data")
        .collect();
    v.sort();
    v
}

const LOGS: &str = "logs-mongooseim@localhost.txt";

/// Rows for alice in every table, by SQL (exact timestamps, every ask code, CR in a field).
fn fill(t: &TestEnv) {
    t.exec(
        "INSERT INTO vcard (username, server, vcard) VALUES \
           ('alice', 'localhost', '<vCard xmlns=''vcard-temp''><FN>Alice, \"A\"</FN></vCard>'), \
           ('bob', 'localhost', '<vCard xmlns=''vcard-temp''/>');
         INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) VALUES \
           ('localhost', 'alice', 'zed@localhost', 'Zed', 'B', 'N', ''), \
           ('localhost', 'alice', 'bob@localhost', 'Bob, \"the\" builder', 'T', 'I', 'let me in'), \
           ('localhost', 'alice', 'carol@example.org', '', 'N', 'S', 'line1\r\nline2'), \
           ('localhost', 'alice', 'dave@example.org', 'd', 'F', 'O', ''), \
           ('localhost', 'alice', 'eve@example.org', 'e', 'X', 'U', ''), \
           ('localhost', 'alice', 'fay@example.org', 'f', 'N', 'B', ''), \
           ('localhost', 'bob', 'alice@localhost', 'A', 'B', 'N', '');
         INSERT INTO rostergroups (server, username, jid, grp) VALUES \
           ('localhost', 'alice', 'bob@localhost', 'Friends'), \
           ('localhost', 'alice', 'zed@localhost', 'Work'), \
           ('localhost', 'alice', 'bob@localhost', 'Family, close'), \
           ('localhost', 'bob', 'alice@localhost', 'Other');
         INSERT INTO private_storage (server, username, namespace, data) VALUES \
           ('localhost', 'alice', 'storage:rosternotes', '<storage xmlns=''storage:rosternotes''/>'), \
           ('localhost', 'alice', 'a:b', '<q xmlns=''a:b''>x,y</q>'), \
           ('localhost', 'alice', 'Z:upper', '<q xmlns=''Z:upper''/>'), \
           ('localhost', 'bob', 'a:b', '<q xmlns=''a:b''/>');
         INSERT INTO offline_message (timestamp, expire, server, username, from_jid, packet) VALUES \
           (1654000000999999, NULL, 'localhost', 'alice', 'bob@localhost/phone', '<message><body>hi, \"you\"</body></message>'), \
           (1600000000000000, NULL, 'localhost', 'alice', 'carol@example.org', '<message><body>older</body></message>'), \
           (1654000000000000, 1000, 'localhost', 'alice', 'bob@localhost', '<message><body>expired</body></message>'), \
           (1654000000000000, 99999999999999999, 'localhost', 'alice', 'bob@localhost', '<message><body>later</body></message>'), \
           (1654000000000000, NULL, 'localhost', 'bob', 'alice@localhost', '<message><body>not alice</body></message>');
         INSERT INTO inbox (luser, lserver, remote_bare_jid, msg_id, content, timestamp, unread_count) VALUES \
           ('alice', 'localhost', 'bob@localhost', 'm1', '<message><body>b</body></message>', 1654000000000123, 2), \
           ('alice', 'localhost', 'carol@example.org', 'm2', '<message><body>c\nd</body></message>', 1500000000000000, 0), \
           ('alice', 'localhost', 'future@example.org', 'm3', '<message/>', 99999999999999999, 1), \
           ('bob', 'localhost', 'alice@localhost', 'm4', '<message/>', 1, 1);",
    );
}

#[test]
fn every_group_exports_its_rows_as_erl_csv() {
    let t = env();
    fill(&t);
    t.run(&["retrieve_personal_data", "alice", "localhost", "alice.zip"])
        .ok("");
    let zip = t.path("alice.zip");
    assert_eq!(
        members(&zip),
        vec![
            (
                "inbox.csv".to_string(),
                "jid,content,unread_count,timestamp\n\
                 carol@example.org,\"<message><body>c\nd</body></message>\",0,2017-07-14T02:40:00.000000Z\n\
                 bob@localhost,<message><body>b</body></message>,2,2022-05-31T12:26:40.000123Z\n"
                    .to_string()
            ),
            (
                "offline.csv".to_string(),
                "timestamp,from,to,packet\n\
                 2022-05-31T12:26:40Z,bob@localhost/phone,alice@localhost,\"<message><body>hi, \"\"you\"\"</body></message>\"\n\
                 2020-09-13T12:26:40Z,carol@example.org,alice@localhost,<message><body>older</body></message>\n\
                 2022-05-31T12:26:40Z,bob@localhost,alice@localhost,<message><body>later</body></message>\n"
                    .to_string()
            ),
            (
                "private.csv".to_string(),
                "ns,xml\n\
                 Z:upper,<q xmlns='Z:upper'/>\n\
                 a:b,\"<q xmlns='a:b'>x,y</q>\"\n\
                 storage:rosternotes,<storage xmlns='storage:rosternotes'/>\n"
                    .to_string()
            ),
            (
                "roster.csv".to_string(),
                "jid,name,subscription,ask,groups,askmessage,xs\n\
                 zed@localhost,Zed,both,none,Work,,\n\
                 bob@localhost,\"Bob, \"\"the\"\" builder\",to,in,\"Friends, Family, close\",let me in,\n\
                 carol@example.org,,none,subscribe,,\"line1\r\nline2\",\n\
                 dave@example.org,d,from,out,,,\n\
                 eve@example.org,e,none,unsubscribe,,,\n\
                 fay@example.org,f,none,both,,,\n"
                    .to_string()
            ),
            (
                "vcard.csv".to_string(),
                "jid,vcard\nalice@localhost,\"<vCard xmlns='vcard-temp'><FN>Alice, \"\"A\"\"</FN></vCard>\"\n"
                    .to_string()
            ),
            (LOGS.to_string(), String::new()),
        ]
    );
    // Read-only: the store is unchanged, and nothing but the archive was added.
    assert_eq!(t.col("SELECT COUNT(*) FROM offline_message"), vec!["5"]);
    assert_eq!(listing(t.dir.path()), ["alice.zip", "config.toml"]);
}

#[test]
fn the_archive_is_private_and_json_lists_its_members() {
    let t = env();
    fill(&t);
    let doc = t.json(&["retrieve_personal_data", "Alice", "LocalHost", "out.zip"]);
    assert_eq!(
        doc,
        json!({"command": "retrieve_personal_data", "ok": true, "result": {
            "path": "out.zip",
            "files": [
                {"name": "inbox.csv", "rows": 2},
                {"name": "offline.csv", "rows": 3},
                {"name": "private.csv", "rows": 3},
                {"name": "roster.csv", "rows": 6},
                {"name": "vcard.csv", "rows": 1},
                {"name": LOGS, "rows": 0},
            ]
        }})
    );
    let mode = std::fs::metadata(t.path("out.zip"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // The JID column is the normalised JID, whatever was typed.
    assert!(member(&t.path("out.zip"), "vcard.csv")
        .unwrap()
        .starts_with("jid,vcard\nalice@localhost,"));
}

#[test]
fn rows_written_by_the_commands_are_exported() {
    let t = env();
    t.run(&[
        "add_rosteritem",
        "alice",
        "localhost",
        "Bob",
        "LocalHost",
        "Bobby",
        "Pals",
        "both",
    ])
    .ok("Added the item to the roster of alice@localhost\n");
    t.run(&["set_vcard", "alice", "localhost", "FN", "Alice"])
        .ok("");
    t.run(&[
        "private_set",
        "alice",
        "localhost",
        "<note xmlns='my:ns'>a\nb</note>",
    ])
    .ok("");
    t.run(&[
        "send_message_chat",
        "bob@localhost/desk",
        "alice@localhost",
        "hello",
    ])
    .ok("");
    // The archive holds the message's generated id, which the PostgreSQL twin's differs in.
    t.diverge();
    t.run(&["retrieve_personal_data", "alice", "localhost", "a.zip"])
        .ok("");
    let zip = t.path("a.zip");
    assert_eq!(
        names(&zip),
        [
            "offline.csv",
            "private.csv",
            "roster.csv",
            "vcard.csv",
            LOGS
        ]
    );
    assert_eq!(
        member(&zip, "roster.csv").unwrap(),
        "jid,name,subscription,ask,groups,askmessage,xs\nbob@localhost,Bobby,both,none,Pals,,\n"
    );
    assert_eq!(
        member(&zip, "vcard.csv").unwrap(),
        "jid,vcard\nalice@localhost,<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>\n"
    );
    assert_eq!(
        member(&zip, "private.csv").unwrap(),
        "ns,xml\nmy:ns,\"<note xmlns='my:ns'>a\nb</note>\"\n"
    );
    let offline = member(&zip, "offline.csv").unwrap();
    let packet = t.col("SELECT packet FROM offline_message")[0].clone();
    let stamp = &offline["timestamp,from,to,packet\n".len()..][..20];
    assert!(stamp.ends_with('Z') && &stamp[10..11] == "T", "{offline}");
    assert_eq!(
        offline,
        format!("timestamp,from,to,packet\n{stamp},bob@localhost/desk,alice@localhost,{packet}\n")
    );
}

#[test]
fn a_user_without_data_gets_only_the_log_file() {
    let t = env();
    fill(&t);
    t.register("nobody", "example.org", "pw");
    t.run(&["retrieve_personal_data", "nobody", "example.org", "n.zip"])
        .ok("");
    assert_eq!(
        members(&t.path("n.zip")),
        vec![(LOGS.to_string(), String::new())]
    );
}

#[test]
fn each_group_is_gated_by_its_module() {
    let groups = [
        ("mod_vcard", "vcard.csv"),
        ("mod_roster", "roster.csv"),
        ("mod_private", "private.csv"),
        ("mod_offline", "offline.csv"),
        ("mod_inbox", "inbox.csv"),
    ];
    let all = [
        "inbox.csv",
        "offline.csv",
        "private.csv",
        "roster.csv",
        "vcard.csv",
        LOGS,
    ];
    for (module, file) in groups {
        let modules: Vec<&str> = MODULES.iter().copied().filter(|m| *m != module).collect();
        let t = TestEnv::with_config(&config_with(&modules));
        t.register("alice", "localhost", "pw");
        t.register("bob", "localhost", "pw");
        fill(&t);
        t.run(&["retrieve_personal_data", "alice", "localhost", "g.zip"])
            .ok("");
        let expected: Vec<&str> = all.iter().copied().filter(|f| *f != file).collect();
        assert_eq!(names(&t.path("g.zip")), expected, "without {module}");
    }
    // No data module at all (mod_last contributes nothing either way).
    let t = TestEnv::with_config(&config_with(&["mod_last"]));
    t.register("alice", "localhost", "pw");
    t.run(&["set_last", "alice", "localhost", "1654000000", "gone"])
        .ok("Last activity for user alice@localhost is set as 1654000000 with status gone\n");
    fill(&t);
    t.run(&["retrieve_personal_data", "alice", "localhost", "g.zip"])
        .ok("");
    assert_eq!(names(&t.path("g.zip")), [LOGS]);
}

#[test]
fn a_missing_user_writes_nothing() {
    let t = env();
    fill(&t);
    let before = listing(t.dir.path());
    for (user, host) in [
        ("carol", "localhost"),   // no account
        ("alice", "nowhere.org"), // unknown domain
        ("al ice", "localhost"),  // invalid JID
        ("alice", ""),
    ] {
        t.run(&["retrieve_personal_data", user, host, "x.zip"])
            .fails("Error: \"User does not exist\"\n");
    }
    // The user check comes first: a missing directory does not matter then.
    t.run(&[
        "retrieve_personal_data",
        "carol",
        "localhost",
        "no/dir/x.zip",
    ])
    .fails("Error: \"User does not exist\"\n");
    assert_eq!(listing(t.dir.path()), before);
    let doc = t.json(&["retrieve_personal_data", "Carol", "LocalHost", "x.zip"]);
    assert_eq!(
        doc,
        json!({"command": "retrieve_personal_data", "ok": false, "error": {
            "kind": "user_not_found", "message": "Error: \"User does not exist\"",
            "user": "Carol", "host": "LocalHost"}})
    );
}

#[test]
fn a_missing_directory_crashes_as_5_1_does() {
    let t = env();
    fill(&t);
    let before = listing(t.dir.path());
    for path in ["missing/alice.zip", "", "config.toml/alice.zip"] {
        let reason = if path.starts_with("config.toml") {
            "enotdir"
        } else {
            "enoent"
        };
        t.run(&["retrieve_personal_data", "alice", "localhost", path])
            .fails(&format!(
                "Problem 'error {{badmatch,{{error,{reason}}}}}' occurred executing the command.\n"
            ));
    }
    assert_eq!(listing(t.dir.path()), before);
    assert!(!t.path("missing").exists());
    let doc = t.json(&[
        "retrieve_personal_data",
        "alice",
        "localhost",
        "missing/a.zip",
    ]);
    assert_eq!(doc["error"]["kind"], "zip_create");
    assert_eq!(doc["error"]["path"], "missing/a.zip");
    assert_eq!(doc["error"]["reason"], "enoent");
}

#[test]
fn a_directory_path_is_refused_cleanly() {
    let t = env();
    fill(&t);
    std::fs::create_dir(t.path("out")).unwrap();
    for path in ["out", "out/", "."] {
        t.run(&["retrieve_personal_data", "alice", "localhost", path])
            .fails(&format!(
                "Error: \"Cannot write {path}: it is a directory (give the path of the ZIP file to write)\"\n"
            ));
    }
    assert!(listing(&t.path("out")).is_empty());
    assert_eq!(listing(t.dir.path()), ["config.toml", "out"]);
    let doc = t.json(&["retrieve_personal_data", "alice", "localhost", "out"]);
    assert_eq!(doc["error"]["kind"], "cannot_write");
    assert_eq!(doc["error"]["reason"], "is_directory");
}

#[test]
fn an_existing_file_is_replaced_and_paths_resolve_against_the_cwd() {
    let t = env();
    fill(&t);
    std::fs::create_dir(t.path("sub")).unwrap();
    let target = t.path("sub/alice.zip");
    std::fs::write(&target, "old content, not a zip").unwrap();
    t.run(&[
        "retrieve_personal_data",
        "alice",
        "localhost",
        "sub/alice.zip",
    ])
    .ok("");
    assert_eq!(names(&target).len(), 6);
    assert_eq!(listing(&t.path("sub")), ["alice.zip"]);
    // Again, for another user, by an absolute path: replaced again.
    let abs = target.display().to_string();
    t.run(&["retrieve_personal_data", "bob", "localhost", &abs])
        .ok("");
    assert_eq!(
        member(&target, "roster.csv").unwrap(),
        "jid,name,subscription,ask,groups,askmessage,xs\nalice@localhost,A,both,none,Other,,\n"
    );
    assert_eq!(listing(&t.path("sub")), ["alice.zip"]);
}

// ---------------------------------------------------------------------------------------------
// Unwritable targets. Tests run as root, which ignores permission bits: the permission cases
// run the command as another user with `setpriv`; the read-only mount and the full disk use a
// private mount namespace (`unshare -m`). Without them the tests say so and pass.

const OWNER: u32 = 1000;

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

fn chmod(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// An environment whose directory, store and `out` directory belong to OWNER.
fn owned_env() -> (TestEnv, PathBuf) {
    let t = env();
    fill(&t);
    let out = t.path("out");
    std::fs::create_dir(&out).unwrap();
    for p in [
        t.dir.path().to_path_buf(),
        out.clone(),
        t.path("xdg-data"),
        t.path("xdg-data/mongooseimctl"),
        t.store.clone(),
        t.store.with_extension("db-wal"),
        t.store.with_extension("db-shm"),
    ] {
        if p.exists() {
            std::os::unix::fs::chown(&p, Some(OWNER), Some(OWNER)).unwrap();
        }
    }
    chmod(t.dir.path(), 0o755);
    (t, out)
}

fn as_owner(t: &TestEnv, args: &[&str]) -> Run {
    let id = OWNER.to_string();
    let cmd = t.cmd();
    let prog = cmd.get_program().to_owned();
    let rest: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut wrapped = assert_cmd::Command::new("setpriv");
    wrapped
        .args(["--reuid", &id, "--regid", &id, "--clear-groups"])
        .arg(prog)
        .args(rest)
        .args(args)
        .env("HOME", t.dir.path())
        .env("XDG_DATA_HOME", t.dir.path().join("xdg-data"))
        .env("NO_COLOR", "1")
        .current_dir(t.dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("MONGOOSEIM") || k == "CI" {
            wrapped.env_remove(k);
        }
    }
    run_cmd(&mut wrapped)
}

#[test]
fn a_read_only_directory_or_file_is_refused_cleanly() {
    if !privileged("a_read_only_directory_or_file_is_refused_cleanly") {
        return;
    }
    let (t, out) = owned_env();
    as_owner(
        &t,
        &["retrieve_personal_data", "alice", "localhost", "out/a.zip"],
    )
    .ok("");
    assert_eq!(listing(&out), ["a.zip"]);
    let before = std::fs::read(out.join("a.zip")).unwrap();
    // A read-only directory: no file can be created in it.
    chmod(&out, 0o555);
    as_owner(&t, &["retrieve_personal_data", "bob", "localhost", "out/b.zip"]).fails(
        "Error: \"Cannot write out/b.zip: cannot create a file in out (Permission denied (os error 13))\"\n",
    );
    assert_eq!(listing(&out), ["a.zip"]);
    // A read-only file in a writable directory is left alone.
    chmod(&out, 0o755);
    chmod(&out.join("a.zip"), 0o444);
    as_owner(&t, &["retrieve_personal_data", "bob", "localhost", "out/a.zip"]).fails(
        "Error: \"Cannot write out/a.zip: the file exists and is not writable by this user; it was left unchanged\"\n",
    );
    assert_eq!(listing(&out), ["a.zip"]);
    assert_eq!(std::fs::read(out.join("a.zip")).unwrap(), before);
}

/// Run a shell script in a private mount namespace; `$BIN`, `$CFG`, `$STORE`, `$DIR` are set.
fn in_namespace(t: &TestEnv, dir: &Path, script: &str) -> Run {
    let mut cmd = assert_cmd::Command::new("unshare");
    cmd.args(["-m", "sh", "-c", script])
        .env("BIN", env!("CARGO_BIN_EXE_mongooseimctl"))
        .env("CFG", &t.config)
        .env("STORE", &t.store)
        .env("DIR", dir)
        .env("HOME", t.dir.path())
        .current_dir(t.dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("MONGOOSEIM") || k == "CI" {
            cmd.env_remove(k);
        }
    }
    run_cmd(&mut cmd)
}

#[test]
fn a_read_only_mount_is_refused_cleanly() {
    if !privileged("a_read_only_mount_is_refused_cleanly") {
        return;
    }
    let t = env();
    fill(&t);
    let out = t.path("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.zip"), "old").unwrap();
    let r = in_namespace(
        &t,
        &out,
        r#"mount --bind "$DIR" "$DIR" && mount -o remount,ro,bind "$DIR" || exit 99
        "$BIN" -c "$CFG" --store "$STORE" retrieve_personal_data alice localhost "$DIR/keep.zip"; echo "rc=$?""#,
    );
    assert_eq!(
        (r.code, r.stdout),
        (
            0,
            format!(
                "Error: \"Cannot write {d}/keep.zip: cannot create a file in {d} (Read-only file system (os error 30))\"\nrc=1\n",
                d = out.display()
            )
        )
    );
    assert_eq!(listing(&out), ["keep.zip"]);
    assert_eq!(std::fs::read(out.join("keep.zip")).unwrap(), b"old");
}

#[test]
fn a_full_disk_leaves_no_temporary_file_and_the_old_archive_in_place() {
    if !privileged("a_full_disk_leaves_no_temporary_file_and_the_old_archive_in_place") {
        return;
    }
    let t = env();
    // Rows that do not compress: random text, about 2 MB.
    t.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) \
         INSERT INTO private_storage (server, username, namespace, data) \
         SELECT 'localhost', 'alice', 'ns' || i, hex(randomblob(256)) FROM n;",
    );
    let out = t.path("small");
    std::fs::create_dir(&out).unwrap();
    let r = in_namespace(
        &t,
        &out,
        r#"mount -t tmpfs -o size=512k tmpfs "$DIR" || exit 99
        echo old > "$DIR/a.zip"
        "$BIN" -c "$CFG" --store "$STORE" retrieve_personal_data alice localhost "$DIR/a.zip"; echo "rc=$?"
        ls -A "$DIR"; cat "$DIR/a.zip""#,
    );
    assert_eq!(
        (r.code, r.stdout),
        (
            0,
            format!(
                "Error: \"Cannot write {}/a.zip: No space left on device (os error 28); nothing was written (an existing file was left unchanged)\"\nrc=1\na.zip\nold\n",
                out.display()
            )
        )
    );
    assert_eq!(r.stderr, "");
}
