//! Runs in a real pseudo-terminal (expectrl): stdin, stdout and stderr are all the terminal,
//! as when an operator types the command. For the confirmation prompt and the progress bar
//! (issue 12), which only appear on a terminal.

use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::Expect;

use crate::support::TestEnv;

/// A command running in a pseudo-terminal.
pub struct Pty {
    session: OsSession,
    /// Everything read from the terminal so far.
    pub seen: String,
}

impl TestEnv {
    /// Run `args` (after this env's config, store and `-o text`) in a pseudo-terminal, with
    /// extra environment variables.
    pub fn pty(&self, args: &[&str], envs: &[(&str, &str)]) -> Pty {
        let mut cmd = self.std_cmd(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        Pty::spawn(cmd)
    }

    /// Like [`TestEnv::pty`], with stderr redirected to `file` (stdin and stdout stay the
    /// terminal): `mongooseimctl … 2>file` typed at a shell.
    pub fn pty_stderr_to(&self, args: &[&str], file: &std::path::Path) -> Pty {
        let inner = self.std_cmd(args);
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg("f=$1; shift; exec \"$@\" 2>\"$f\"")
            .arg("sh")
            .arg(file)
            .arg(inner.get_program())
            .args(inner.get_args())
            .current_dir(self.dir.path());
        for (k, v) in inner.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        Pty::spawn(cmd)
    }
}

impl Pty {
    fn spawn(cmd: std::process::Command) -> Pty {
        let mut session = OsSession::spawn(cmd).expect("spawn in a pty");
        session.set_expect_timeout(Some(Duration::from_secs(20)));
        Pty {
            session,
            seen: String::new(),
        }
    }

    /// Wait until `needle` appears on the terminal; returns what came before it.
    #[track_caller]
    pub fn expect(&mut self, needle: &str) -> String {
        match self.session.expect(needle) {
            Ok(found) => {
                let before = String::from_utf8_lossy(found.before()).into_owned();
                self.seen.push_str(&before);
                self.seen.push_str(needle);
                before
            }
            Err(e) => panic!(
                "{needle:?} did not appear on the terminal ({e}); seen {:?}",
                self.seen
            ),
        }
    }

    /// Type `line` and Enter.
    pub fn send_line(&mut self, line: &str) {
        self.session.send_line(line).expect("write to the pty");
    }

    /// Read the terminal to the end and wait for the exit: (exit code, the rest of the
    /// output). Terminal line endings (`\r\n`) are given as `\n`.
    #[track_caller]
    pub fn finish(mut self) -> (i32, String) {
        let rest = match self.session.expect(expectrl::Eof) {
            Ok(found) => String::from_utf8_lossy(found.as_bytes()).into_owned(),
            Err(e) => panic!("the command did not end ({e}); seen {:?}", self.seen),
        };
        let code = match self.session.get_process().wait().expect("wait") {
            WaitStatus::Exited(_, code) => code,
            other => panic!("the command did not exit normally: {other:?}"),
        };
        (code, rest.replace("\r\n", "\n"))
    }
}

#[test]
fn a_command_in_a_pty_sees_a_terminal() {
    // On a terminal, stdout is a terminal too: without `-o`, results are tables; here the
    // env's `-o text` applies, so 5.1's text comes back through the terminal.
    let t = TestEnv::new();
    t.register("alice", "localhost", "secret");
    let p = t.pty(&["check_account", "alice", "localhost"], &[]);
    assert_eq!(p.finish(), (0, "User alice@localhost exists\n".to_string()));
    let p = t.pty(&["registered_users", "localhost"], &[]);
    assert_eq!(p.finish(), (0, "alice\n".to_string()));
}

#[test]
fn a_password_typed_at_the_terminal_prompt_is_not_echoed() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "secret");
    let mut p = t.pty(&["change_password", "alice", "localhost", "-"], &[]);
    p.expect("newpass: ");
    p.send_line("n3w-pass");
    let (code, rest) = p.finish();
    assert_eq!(code, 0);
    assert!(
        !rest.contains("n3w-pass"),
        "the password was echoed: {rest:?}"
    );
    t.run(&["check_password", "alice", "localhost", "n3w-pass"])
        .ok("Password for user alice@localhost is correct\n");
}

/// Inside a batch a guarded command runs without a prompt, even on a terminal: the batch
/// file is the operator's explicit intent.
#[test]
fn a_guarded_line_of_a_batch_asks_nothing_on_a_terminal() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "secret");
    let file = t.write(
        "batch.txt",
        "unregister alice localhost\ncheck_account alice localhost\n",
    );
    let p = t.pty(&["batch", file.to_str().unwrap(), "--continue"], &[]);
    let (code, rest) = p.finish();
    assert!(!rest.contains("Continue?"), "a prompt: {rest:?}");
    assert_eq!(
        (code, rest.replace('\r', "").as_str()),
        (
            1,
            "1\tok\t\n2\terror\tUser alice@localhost does not exist\n"
        )
    );
    assert!(t.users().is_empty());
}
