//! Progress bars on stderr for long work (issue 12 item 2): `--progress auto|never|always`
//! (`MONGOOSEIMCTL_PROGRESS`). On a terminal (real pseudo-terminal runs), a bar that is
//! cleared when its phase ends; with `always` and stderr not a terminal, plain lines; with
//! `auto` off a terminal, `never` or `-q`, nothing. stdout is the same in every mode.

use crate::support::TestEnv;

/// `n` rows for import_users, and an env with them in `users.csv`.
fn import_env(n: usize) -> (TestEnv, String) {
    let t = TestEnv::new();
    let mut csv = String::new();
    for i in 0..n {
        csv.push_str(&format!("u{i},localhost,pw{i}\n"));
    }
    let f = t.write("users.csv", &csv);
    (t, f.to_str().unwrap().to_string())
}

/// What import_users of `n` fresh rows prints (worked out on a run without progress).
fn expected_import(n: usize) -> String {
    let (t, f) = import_env(n);
    let r = t.run(&["--progress", "never", "import_users", &f]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().count(), n);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("ok\tu")),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
    r.stdout
}

fn count_users(t: &TestEnv) -> Vec<String> {
    t.col("SELECT COUNT(*) FROM users")
}

#[test]
fn a_terminal_gets_a_bar_for_import_users_and_the_result_is_unchanged() {
    let want = expected_import(400);
    let (t, f) = import_env(400);
    // auto (the default): stderr is the terminal.
    let mut p = t.pty(&["import_users", &f], &[]);
    p.expect("hashing passwords: [");
    p.expect("/400 (");
    p.expect("writing accounts: [");
    let (code, rest) = p.finish();
    assert_eq!(code, 0);
    // Each bar is cleared when its phase ends: the results follow, exactly.
    assert!(rest.ends_with(&want), "{rest:?}");
    let results = &rest[rest.len() - want.len()..];
    assert!(!results.contains("writing accounts"), "{rest:?}");
    assert_eq!(count_users(&t), vec!["400"]);
    t.run(&["check_password", "u399", "localhost", "pw399"])
        .ok("Password for user u399@localhost is correct\n");
}

#[test]
fn never_and_quiet_draw_nothing_on_a_terminal() {
    let want = expected_import(300);
    for opts in [
        &["--progress", "never"][..],
        &["-q"][..],
        &["-q", "--progress", "always"][..],
    ] {
        let (t, f) = import_env(300);
        let mut args = opts.to_vec();
        args.extend(["import_users", f.as_str()]);
        let p = t.pty(&args, &[]);
        assert_eq!(p.finish(), (0, want.clone()), "{opts:?}");
        assert_eq!(count_users(&t), vec!["300"]);
    }
    // The environment variable as well.
    let (t, f) = import_env(300);
    let p = t.pty(
        &["import_users", &f],
        &[("MONGOOSEIMCTL_PROGRESS", "never")],
    );
    assert_eq!(p.finish(), (0, want));
}

#[test]
fn always_writes_progress_lines_to_a_piped_stderr_and_stdout_is_unchanged() {
    let want = expected_import(300);
    let (t, f) = import_env(300);
    let r = t.run(&["--progress", "always", "import_users", &f]);
    r.ok(&want);
    // Lines, no cursor movement: the first draw of each phase and its final state.
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        !r.stderr.contains('\r') && !r.stderr.contains('\x1b'),
        "{:?}",
        r.stderr
    );
    assert!(
        lines
            .first()
            .is_some_and(|l| l.starts_with("hashing passwords: [") && l.contains("] 0/300 (")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("hashing passwords: [=") && l.contains("] 300/300 (")),
        "{lines:?}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("writing accounts: [=") && l.contains("] 300/300 (")),
        "{lines:?}"
    );
    assert!(lines.len() <= 8, "{lines:?}");
    assert_eq!(count_users(&t), vec!["300"]);
}

#[test]
fn auto_with_a_piped_stderr_adds_nothing() {
    // What scripts see: no progress at all, in the default mode and with auto spelled out.
    let want = expected_import(50);
    let (t, f) = import_env(50);
    let r = t.run(&["--progress", "auto", "import_users", &f]);
    r.ok(&want);
    assert_eq!(r.stderr, "");
    let r = t.run(&["import_users", &f]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert!(r.stdout.lines().all(|l| l.starts_with("exists\tu")));
    assert_eq!(count_users(&t), vec!["50"]);
}

#[test]
fn the_environment_and_the_grouped_form_choose_the_mode_too() {
    let (t, f) = import_env(20);
    let r = t.run_env(
        &["import_users", &f],
        &[("MONGOOSEIMCTL_PROGRESS", "always")],
    );
    assert_eq!(r.code, 0);
    r.stderr_has("writing accounts: [");
    // After a grouped command; the flag wins over the environment.
    let (t, f) = import_env(20);
    let r = t.run_env(
        &["core", "import_users", &f, "--progress", "always"],
        &[("MONGOOSEIMCTL_PROGRESS", "never")],
    );
    assert_eq!(r.code, 0);
    r.stderr_has("hashing passwords: [");
    // An empty variable counts as unset: auto, nothing on a piped stderr.
    let (t, f) = import_env(20);
    let r = t.run_env(&["import_users", &f], &[("MONGOOSEIMCTL_PROGRESS", "")]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

#[test]
fn a_bad_mode_is_a_usage_error_and_changes_nothing() {
    let (t, f) = import_env(5);
    let r = t.run(&["--progress", "sometimes", "import_users", &f]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    r.stderr_has("invalid value 'sometimes' for '--progress <WHEN>'");
    let r = t.run_env(&["import_users", &f], &[("MONGOOSEIMCTL_PROGRESS", "yes")]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    t.run(&["registered_users", "localhost"]).ok("");
}

#[test]
fn the_other_long_commands_report_their_phases() {
    let t = TestEnv::new();
    for u in ["alice", "bob", "carol"] {
        t.register(u, "localhost", "pw");
    }
    let tpl = t.write(
        "roster.txt",
        "[{\"bob\", \"localhost\", \"G\", \"Bob\"}, {\"carol\", \"localhost\", \"G\", \"Carol\"}].\n",
    );
    let tpl = tpl.to_str().unwrap();
    let always = |args: &[&str]| {
        let mut all = vec!["--progress", "always"];
        all.extend_from_slice(args);
        t.run(&all)
    };
    always(&["push_roster", tpl, "alice", "localhost"])
        .ok("")
        .stderr_has("writing roster items: [==============================] 2/2 (");
    assert_eq!(
        t.col("SELECT jid FROM rosterusers WHERE username = 'alice' ORDER BY jid"),
        vec!["bob@localhost", "carol@localhost"]
    );
    always(&["push_roster_alltoall", "localhost", "G"])
        .ok("")
        .stderr_has("writing roster items: ");
    assert_eq!(t.col("SELECT COUNT(*) FROM rosterusers"), vec!["6"]);
    always(&["push_roster_all", tpl])
        .ok("")
        .stderr_has("writing roster items: ");
    always(&["retrieve_personal_data", "alice", "localhost", "alice.zip"])
        .ok("")
        .stderr_has("exporting personal data: [");
    assert!(t.path("alice.zip").is_file());
    always(&["delete_old_users_vhost", "localhost", "1"])
        .ok(
            "Deleted 3 users: [{<<\"alice\">>,<<\"localhost\">>},\n                  \
             {<<\"bob\">>,<<\"localhost\">>},\n                  \
             {<<\"carol\">>,<<\"localhost\">>}]\n",
        )
        .stderr_has("updating contacts: [==============================] 3/3 (")
        .stderr_has("deleting accounts: [==============================] 3/3 (");
    assert_eq!(t.col("SELECT COUNT(*) FROM users"), vec!["0"]);
    assert_eq!(t.col("SELECT COUNT(*) FROM rosterusers"), vec!["0"]);
    t.run(&["insert_domain", "dyn.example", "dyn"])
        .ok("Added\n");
    always(&["delete_domain", "dyn.example", "dyn"])
        .ok("Deleted\n")
        .stderr_has("deleting the domain's data: ");
    assert_eq!(
        t.col("SELECT COUNT(*) FROM domain_settings WHERE domain = 'dyn.example'"),
        vec!["0"]
    );
    // Without the option, on a piped stderr: nothing.
    let r = t.run(&["delete_old_users", "1"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}
