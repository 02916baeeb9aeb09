//! Bulk commands on PostgreSQL: roster pushes (set-based), import_users and
//! delete_old_users past one batch (1,000 accounts per statement), delete_domain.

use super::{same_on_both_in, PgEnv};
use crate::support::TestEnv;

/// Every roster of `owners` (get_roster) and the global item list (process_rosteritems:
/// all_items' store order), as command lines.
fn roster_views(owners: &[(&'static str, &'static str)]) -> Vec<Vec<&'static str>> {
    let mut lines: Vec<Vec<&str>> = owners
        .iter()
        .map(|(u, s)| vec!["get_roster", *u, *s])
        .collect();
    lines.push(vec![
        "process_rosteritems",
        "list",
        "any",
        "any",
        "any",
        "any",
    ]);
    lines
}

fn run_views(e: &PgEnv, sqlite: &TestEnv, owners: &[(&'static str, &'static str)]) {
    for line in roster_views(owners) {
        same_on_both_in(e, sqlite, &[&line]);
    }
}

fn add<'a>(
    owner: &'a str,
    contact: &'a str,
    nick: &'a str,
    group: &'a str,
    sub: &'a str,
) -> [&'a str; 8] {
    let (u, s) = owner.split_once('@').unwrap_or(("", owner));
    let (cu, cs) = contact.split_once('@').unwrap_or(("", contact));
    ["add_rosteritem", u, s, cu, cs, nick, group, sub]
}

#[test]
fn push_roster_alltoall_on_postgresql_as_on_sqlite() {
    let e = pg_env!("alltoall");
    let sqlite = TestEnv::new();
    let a1 = add("alice@localhost", "bob@localhost", "Bobby", "Old", "to");
    let a2 = add("alice@localhost", "zed@localhost", "Z", "Keep", "both");
    let a3 = add("alice@localhost", "alice@localhost", "Me", "Self", "both");
    let a4 = add("bob@localhost", "new@localhost", "N", "G", "none");
    let runs = same_on_both_in(
        &e,
        &sqlite,
        &[
            &["register_identified", "alice", "localhost", "pw"],
            &["register_identified", "bob", "localhost", "pw"],
            &["register_identified", "carol", "localhost", "pw"],
            &["register_identified", "dave", "localhost", "pw"],
            &["register_identified", "eve", "example.org", "pw"],
            &a1,
            &a2,
            &a3,
            &["push_roster_alltoall", "localhost", "All"],
            &["push_roster_alltoall", "unknown.org", "All"],
        ],
    );
    runs[8].ok("");
    let owners = [
        ("alice", "localhost"),
        ("bob", "localhost"),
        ("dave", "localhost"),
        ("eve", "example.org"),
    ];
    run_views(&e, &sqlite, &owners);
    // bob's pushed item replaced the old one in place (nick, subscription, groups); the
    // item for oneself and the one for a stranger are left alone.
    assert_eq!(
        e.sql(
            "SELECT jid, nick, subscription::text, ask::text FROM rosterusers \
             WHERE username = 'alice' ORDER BY created_at, jid"
        ),
        [
            ["bob@localhost", "bob", "B", "N"],
            ["zed@localhost", "Z", "B", "N"],
            ["alice@localhost", "Me", "B", "N"],
            ["carol@localhost", "carol", "B", "N"],
            ["dave@localhost", "dave", "B", "N"],
        ]
    );
    assert_eq!(
        e.sql("SELECT jid, grp FROM rostergroups WHERE username = 'alice' ORDER BY jid"),
        [
            ["alice@localhost", "Self"],
            ["bob@localhost", "All"],
            ["carol@localhost", "All"],
            ["dave@localhost", "All"],
            ["zed@localhost", "Keep"],
        ]
    );
    assert_eq!(e.sql("SELECT count(*)::text FROM rosterusers"), [["14"]]);
    // Written again after an item of its own, with no group: the old groups go, places stay.
    same_on_both_in(
        &e,
        &sqlite,
        &[&a4, &["push_roster_alltoall", "localhost", ""]],
    );
    run_views(&e, &sqlite, &owners);
    assert_eq!(
        e.sql("SELECT username, jid, grp FROM rostergroups ORDER BY username, jid"),
        [
            ["alice", "alice@localhost", "Self"],
            ["alice", "zed@localhost", "Keep"],
            ["bob", "new@localhost", "G"],
        ]
    );
    assert_eq!(e.sql("SELECT count(*)::text FROM rosterusers"), [["15"]]);
}

/// A template entry: user, server, group, nick.
type Entry = (&'static str, &'static str, &'static str, &'static str);

fn template_text(entries: &[Entry]) -> String {
    let body: Vec<String> = entries
        .iter()
        .map(|(u, s, g, n)| format!("{{\"{u}\", \"{s}\", \"{g}\", \"{n}\"}}"))
        .collect();
    format!("[{}].\n", body.join(",\n "))
}

#[test]
fn push_roster_all_on_postgresql_as_on_sqlite() {
    // Distinct owners (the direct path), then owners repeated or written differently (the
    // folding path): `Alice` and `alice` are one owner but different entries, so each gets
    // the other (an item for oneself); `bob` appears twice with different nicks and groups
    // (the last write wins, the first decides the place); an entry without a user.
    let cases: [(&str, Vec<Entry>); 2] = [
        (
            "push_all_direct",
            vec![
                ("alice", "localhost", "Group", "Alice"),
                ("bob", "localhost", "Group", "Bob"),
                ("carol", "example.org", "Other", "Carol"),
                ("", "example.org", "", "Domain"),
            ],
        ),
        (
            "push_all_folded",
            vec![
                ("bob", "localhost", "G1", "Bob1"),
                ("Alice", "localhost", "Caps", "Alice1"),
                ("carol", "example.org", "", "Carol"),
                ("alice", "localhost", "Lower", "Alice2"),
                ("bob", "localhost", "G2", "Bob2"),
                ("", "example.org", "D", "Domain"),
            ],
        ),
    ];
    for (name, entries) in cases {
        let e = pg_env!(name);
        let sqlite = TestEnv::new();
        let file = e.t.write("roster.txt", &template_text(&entries));
        let file = file.to_str().unwrap_or_default();
        let a1 = add("alice@localhost", "zed@localhost", "Z", "Old", "to");
        let a2 = add(
            "alice@localhost",
            "carol@example.org",
            "Old",
            "OldGroup",
            "from",
        );
        let a3 = add("alice@localhost", "alice@localhost", "Me", "Self", "both");
        let second = "INSERT INTO rostergroups (server, username, jid, grp) VALUES \
                      ('localhost', 'alice', 'carol@example.org', 'Second')";
        same_on_both_in(
            &e,
            &sqlite,
            &[
                &["register_identified", "alice", "localhost", "pw"],
                &a1,
                &a2,
                &a3,
            ],
        );
        sqlite.exec(second);
        e.exec(second);
        let runs = same_on_both_in(&e, &sqlite, &[&["push_roster_all", file]]);
        runs[0].ok("");
        let owners = [
            ("alice", "localhost"),
            ("bob", "localhost"),
            ("carol", "example.org"),
            ("", "example.org"),
        ];
        run_views(&e, &sqlite, &owners);
        // The rows themselves, in store order, as SQLite holds them.
        let pg_items = e.sql(
            "SELECT server, username, jid, nick, subscription::text FROM rosterusers \
             ORDER BY created_at, server COLLATE \"C\", username COLLATE \"C\", jid COLLATE \"C\"",
        );
        let sqlite_items = sqlite.sql(
            "SELECT server, username, jid, nick, subscription FROM rosterusers ORDER BY rowid",
        );
        assert_eq!(pg_items, sqlite_items, "{name}");
        let pg_groups = e.sql(
            "SELECT server, username, jid, grp FROM rostergroups \
             ORDER BY server COLLATE \"C\", username COLLATE \"C\", jid COLLATE \"C\", grp COLLATE \"C\"",
        );
        let sqlite_groups = sqlite
            .sql("SELECT server, username, jid, grp FROM rostergroups ORDER BY server, username, jid, grp");
        assert_eq!(pg_groups, sqlite_groups, "{name}");
        assert!(pg_items.len() >= 12, "{name}: {pg_items:?}");
        // Pushed again: everything is rewritten in place, nothing added.
        same_on_both_in(&e, &sqlite, &[&["push_roster_all", file]]);
        assert_eq!(
            e.sql("SELECT count(*)::text FROM rosterusers")[0][0],
            pg_items.len().to_string()
        );
        run_views(&e, &sqlite, &owners);
    }
}

/// A CSV of `n` accounts `userNNNN,localhost,pwNNNN`, with duplicates across and within
/// batches, an existing account and bad rows among them.
fn import_csv(n: usize) -> String {
    let mut csv = String::new();
    for i in 0..n {
        csv.push_str(&format!("user{i:04},localhost,pw{i}\n"));
        match i {
            1200 => csv.push_str("user0005,localhost,again\n"),
            1500 => csv.push_str("user1499,localhost,again\n"),
            1999 => csv.push_str("user2000,localhost,first\n"),
            2100 => csv.push_str("taken,localhost,x\n"),
            2200 => csv.push_str("x,unknown.org,p\ndan,localhost,\none,two\n"),
            _ => {}
        }
    }
    csv
}

#[test]
fn import_users_on_postgresql_past_one_batch() {
    let e = pg_env!("import_batches");
    let sqlite = TestEnv::new();
    let csv = e.t.write("users.csv", &import_csv(2500));
    let csv = csv.to_str().unwrap_or_default();
    let runs = same_on_both_in(
        &e,
        &sqlite,
        &[
            &["register_identified", "taken", "localhost", "pw"],
            &["import_users", csv],
            &["count_users", "localhost"],
            &["check_password", "user0005", "localhost", "pw5"],
            &["check_password", "user1499", "localhost", "pw1499"],
            // The earlier row of a pair decides, even when it is the later name.
            &["check_password", "user2000", "localhost", "first"],
            &["check_password", "user2499", "localhost", "pw2499"],
            &["import_users", csv],
        ],
    );
    let out = &runs[1].stdout;
    assert_eq!(runs[1].code, 0, "{:?}", runs[1]);
    assert!(out.contains("user0005"), "{out}");
    assert_eq!(
        e.sql("SELECT count(*)::text FROM users WHERE server = 'localhost'"),
        [["2501"]]
    );
    assert_eq!(runs[3].code, 0);
    assert_eq!(runs[5].code, 0);
    // Every row already exists the second time: nothing changes.
    assert_eq!(e.sql("SELECT count(*)::text FROM users"), [["2501"]]);
    let pw = e.sql("SELECT pass_details FROM users WHERE username = 'user2000'");
    assert!(pw[0][0].starts_with("==MULTI_SCRAM=="), "{pw:?}");
}

#[test]
fn delete_old_users_on_postgresql_past_one_batch() {
    let e = pg_env!("delete_old_batches");
    let sqlite = TestEnv::new();
    let csv = e.t.write("users.csv", &import_csv(2500));
    let csv = csv.to_str().unwrap_or_default();
    let now = crate::support::now_secs();
    // Every third account active recently, every third 40 days ago, the rest never.
    let mut last = String::from("INSERT INTO last (server, username, seconds, state) VALUES ");
    let rows: Vec<String> = (0..2500)
        .filter(|i| i % 3 != 2)
        .map(|i| {
            let t = if i % 3 == 0 {
                now - 100
            } else {
                now - 40 * 86_400
            };
            format!("('localhost', 'user{i:04}', {t}, '')")
        })
        .collect();
    last.push_str(&rows.join(", "));
    let a1 = add("user0004@localhost", "user0003@localhost", "", "G", "both");
    let a2 = add("user0003@localhost", "user0004@localhost", "", "H", "both");
    let a3 = add("user0007@localhost", "user0010@localhost", "", "G", "both");
    let a4 = add("user0010@localhost", "user0007@localhost", "", "G", "both");
    same_on_both_in(
        &e,
        &sqlite,
        &[
            &["import_users", csv],
            &["register_identified", "eve", "example.org", "pw"],
            &a1,
            &a2,
            &a3,
            &a4,
            &["set_vcard", "user0004", "localhost", "FN", "Four"],
            &["private_set", "user0004", "localhost", "<a xmlns='x'>1</a>"],
            &["open_session", "user0001", "localhost", "r"],
            &["open_session", "user0003", "localhost", "r"],
        ],
    );
    sqlite.exec(&last);
    e.exec(&last);
    let runs = same_on_both_in(
        &e,
        &sqlite,
        &[
            &["delete_old_users", "30"],
            &["get_roster", "user0003", "localhost"],
            &["count_users", "localhost"],
            &["delete_old_users_vhost", "example.org", "30"],
            &["delete_old_users", "30"],
        ],
    );
    // Kept: the recent third (834) and user0001 (connected); deleted: the other 1,666 of
    // localhost (`taken` included) and eve, listed domain by domain in byte order.
    assert_eq!(runs[0].code, 0, "{:?}", runs[0]);
    assert!(
        runs[0].stdout.starts_with("Deleted 1667 users: "),
        "{}",
        &runs[0].stdout[..80]
    );
    runs[4].ok("Deleted 0 users: []\n");
    assert_eq!(
        e.sql("SELECT count(*)::text FROM users WHERE server = 'localhost'"),
        [["835"]]
    );
    // Nothing of a deleted account is left in any per-user table.
    for table in [
        "last",
        "rosterusers",
        "rostergroups",
        "vcard",
        "vcard_search",
        "private_storage",
        "mongooseimctl_sessions",
    ] {
        let (s, u) = if table == "vcard_search" {
            ("server", "lusername")
        } else {
            ("server", "username")
        };
        assert_eq!(
            e.sql(&format!(
                "SELECT count(*)::text FROM {table} t WHERE NOT EXISTS \
                 (SELECT 1 FROM users WHERE users.server = t.{s} AND users.username = t.{u})"
            )),
            [["0"]],
            "{table}"
        );
    }
    // user0003's item for the removed user0004 was downgraded and pushed to its session,
    // as on SQLite.
    assert_eq!(
        e.sql("SELECT subscription::text FROM rosterusers WHERE username = 'user0003'"),
        [["N"]]
    );
    let pg_pushes =
        e.sql("SELECT count(*)::text FROM mongooseimctl_delivered WHERE username = 'user0003'");
    let sqlite_pushes =
        sqlite.col("SELECT COUNT(*) FROM mongooseimctl_delivered WHERE username = 'user0003'");
    assert_eq!(pg_pushes[0][0], sqlite_pushes[0]);
    assert_ne!(sqlite_pushes[0], "0");
}

#[test]
fn delete_domain_on_postgresql_removes_every_row_of_the_domain() {
    let e = pg_env!("delete_domain_rows");
    for line in [
        vec!["insert_domain", "gone.example", "dyn"],
        vec!["insert_domain", "keep.example", "dyn"],
        vec!["register_identified", "carol", "localhost", "pw"],
    ] {
        let r = e.run(&line);
        assert_eq!(r.code, 0, "{r:?}");
    }
    for domain in ["gone.example", "keep.example"] {
        let alice = format!("alice@{domain}");
        let bob_r = format!("bob@{domain}/r");
        let lines: Vec<Vec<&str>> = vec![
            vec!["register_identified", "alice", domain, "pw"],
            vec!["register_identified", "bob", domain, "pw"],
            vec!["set_last", "alice", domain, "100", "away"],
            vec![
                "add_rosteritem",
                "alice",
                domain,
                "bob",
                domain,
                "Bob",
                "friends",
                "both",
            ],
            vec!["set_vcard", "alice", domain, "FN", "Alice"],
            vec!["private_set", "alice", domain, "<a xmlns='x'>1</a>"],
            vec!["send_message_chat", "carol@localhost", &alice, "hi"],
            vec!["open_session", "bob", domain, "r"],
            vec!["send_message_chat", &alice, &bob_r, "hey"],
        ];
        for line in &lines {
            let r = e.run(line);
            assert_eq!(r.code, 0, "{line:?}: {r:?}");
        }
        e.exec(&format!(
            "INSERT INTO roster_version (server, username, version) VALUES ('{domain}', 'alice', 'v1');
             INSERT INTO inbox (luser, lserver, remote_bare_jid, content, timestamp, unread_count)
               VALUES ('alice', '{domain}', 'carol@localhost', '<message/>', 1, 1);
             INSERT INTO auth_token (owner, seq_no) VALUES ('alice@{domain}', 1);"
        ));
    }
    let r = e.run(&[
        "add_rosteritem",
        "carol",
        "localhost",
        "alice",
        "gone.example",
        "A",
        "g",
        "both",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let tables = [
        ("users", "server"),
        ("last", "server"),
        ("rosterusers", "server"),
        ("rostergroups", "server"),
        ("roster_version", "server"),
        ("vcard", "server"),
        ("vcard_search", "server"),
        ("private_storage", "server"),
        ("offline_message", "server"),
        ("inbox", "lserver"),
        ("mongooseimctl_sessions", "server"),
        ("mongooseimctl_delivered", "server"),
    ];
    let counts = |domain: &str| -> Vec<(String, String)> {
        tables
            .iter()
            .map(|(t, c)| {
                let n = e.sql(&format!(
                    "SELECT count(*)::text FROM {t} WHERE {c} = '{domain}'"
                ));
                (t.to_string(), n[0][0].clone())
            })
            .collect()
    };
    for (t, n) in counts("gone.example") {
        assert_ne!(n, "0", "{t} of gone.example is empty before the deletion");
    }
    let keep = counts("keep.example");
    let localhost = counts("localhost");
    let mut cmd = e.t.bare_cmd();
    cmd.arg("-c")
        .arg(&e.t.config)
        .args(["-o", "json", "delete_domain", "gone.example", "dyn"]);
    let r = crate::support::run_cmd(&mut cmd);
    assert_eq!(r.code, 0, "{r:?}");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_default();
    assert_eq!(
        doc["result"],
        serde_json::json!({"domain": "gone.example", "host_type": "dyn", "deleted": true,
            "accounts_removed": 2, "sessions_ended": 1})
    );
    for (t, n) in counts("gone.example") {
        assert_eq!(n, "0", "{t} still holds rows of gone.example");
    }
    assert_eq!(counts("keep.example"), keep);
    assert_eq!(counts("localhost"), localhost);
    assert_eq!(
        e.sql("SELECT owner FROM auth_token ORDER BY owner"),
        [["alice@gone.example"], ["alice@keep.example"]]
    );
    assert_eq!(
        e.sql("SELECT domain FROM domain_settings"),
        [["keep.example"]]
    );
}

#[test]
fn import_users_falls_back_to_upserts_when_another_writer_took_an_account() {
    // Another writer (a MongooseIM node registering) inserts one of the file's accounts
    // between our existence check and our COPY: here a statement trigger does it as the COPY
    // starts. The COPY's savepoint is rolled back and the upserting path decides: that
    // account is reported as existing and keeps the other writer's row, the rest go in.
    let e = pg_env!("import_race");
    e.exec(
        "CREATE FUNCTION race() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF pg_trigger_depth() = 1 THEN \
         INSERT INTO users (username, server, password) VALUES ('user0002', 'localhost', 'theirs') \
         ON CONFLICT DO NOTHING; END IF; RETURN NULL; END $$; \
         CREATE TRIGGER race BEFORE INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION race();",
    );
    let csv = e.t.write("users.csv", &import_csv(5));
    let r = e.run(&["import_users", csv.to_str().unwrap_or_default()]);
    assert_eq!(r.code, 0, "{r:?}");
    let expected = TestEnv::new();
    expected.register("user0002", "localhost", "theirs");
    let want = expected.run(&["import_users", csv.to_str().unwrap_or_default()]);
    assert_eq!(
        r.stdout, want.stdout,
        "the race reads as an account that existed"
    );
    assert_eq!(
        e.sql("SELECT username, password FROM users WHERE username = 'user0002'"),
        [["user0002", "theirs"]]
    );
    assert_eq!(e.sql("SELECT count(*)::text FROM users"), [["5"]]);
    e.run(&["check_password", "user0004", "localhost", "pw4"])
        .is(0, "Password for user user0004@localhost is correct\n");
}
