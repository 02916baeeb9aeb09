//! The per-run context handed to command handlers: configuration, the lazily opened store,
//! and the secret reader. Built once in `run()`; no global state.

use std::io::BufRead;

use crate::config::Config;
use crate::error::{Error, GuardStop, Result};
pub use crate::store::StoreTarget;
use crate::store::{Store, Tx};

/// The most a file argument given as `-` may read from stdin.
pub const STDIN_FILE_CAP: u64 = 64 << 20;
/// The most a value argument given as `-` (XML, a vCard value) may read from stdin.
pub const STDIN_VALUE_CAP: u64 = 1 << 20;

/// The answer of [`Ctx::host_type`] when the config alone decides it: a static host, or no
/// dynamic domains at all.
fn static_host_type(config: &Config, domain: &str) -> Option<Option<String>> {
    if config.hosts.iter().any(|h| h == domain) {
        return Some(Some(domain.to_string()));
    }
    if config.services.domain_db.is_none() || config.host_types.is_empty() {
        return Some(None);
    }
    None
}

/// [`Ctx::host_type`] inside a transaction that is already open (so that the lookup belongs
/// to the write it decides).
pub fn host_type_in(config: &Config, tx: &mut dyn Tx, domain: &str) -> Result<Option<String>> {
    if let Some(known) = static_host_type(config, domain) {
        return Ok(known);
    }
    Ok(match tx.domain(domain)? {
        Some(d) if d.enabled && config.host_types.contains(&d.host_type) => Some(d.host_type),
        _ => None,
    })
}

/// Work to do on the store when a command first opens it (the domain-event cleaner, the
/// system-metrics report): best effort, it reports nothing.
pub type StoreHook = Box<dyn FnOnce(&Config, &mut Store)>;

/// Open the store into `slot` if it is not open yet, running the pending `hooks` once on it,
/// in the order they were registered.
fn open_in<'a>(
    slot: &'a mut Option<Store>,
    hooks: &mut Vec<StoreHook>,
    config: &Config,
    target: &StoreTarget,
) -> Result<&'a mut Store> {
    match slot {
        Some(s) => Ok(s),
        slot => {
            let mut store = Store::open(target)?;
            for hook in hooks.drain(..) {
                hook(config, &mut store);
            }
            Ok(slot.insert(store))
        }
    }
}

/// How a guarded command's write confirms what it is about to change (`ctx.guard()`, Copy,
/// so a service can take it into its write transaction). The service calls
/// [`Guard::check`] inside the transaction, right after the read that decides what will
/// change, with the count of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Guard {
    /// Go ahead (scripts, stdin not a terminal, `--yes`, `--dry-run`).
    #[default]
    Direct,
    /// A planning run on a terminal: a count above zero stops the transaction (rolled back)
    /// with [`GuardStop::Plan`], for dispatch to ask.
    Plan,
    /// The confirmed run: go ahead iff the count is still the one confirmed.
    Confirmed(u64),
}

impl Guard {
    /// Whether [`Guard::check`] needs the real count (a planning or confirmed run); a
    /// direct run may skip counting what it is about to change anyway.
    pub fn counts(self) -> bool {
        self != Guard::Direct
    }

    /// `count` things (of the command's guarded noun) will change; `detail` completes the
    /// prompt (e.g. `" on localhost"`, may be empty). Dispatch names the noun in the error of
    /// a confirmed run whose count moved.
    pub fn check(self, count: u64, detail: &str) -> Result<()> {
        match self {
            Guard::Direct => Ok(()),
            Guard::Plan if count == 0 => Ok(()),
            Guard::Plan => Err(Error::Guard(GuardStop::Plan {
                count,
                detail: detail.to_string(),
            })),
            Guard::Confirmed(confirmed) if confirmed == count => Ok(()),
            Guard::Confirmed(confirmed) => Err(Error::Guard(GuardStop::Changed {
                now: count,
                confirmed,
                noun: "",
            })),
        }
    }
}

pub struct Ctx {
    pub config: Config,
    /// How the config was found: a file path, or "built-in defaults".
    pub config_label: String,
    pub store_target: StoreTarget,
    store: Option<Store>,
    /// Run once, in order, when the store is first opened ([`Ctx::on_first_open`]).
    store_hooks: Vec<StoreHook>,
    /// The system-metrics service's environment (endpoint, report file, `CI`).
    pub metrics: crate::services::metrics::MetricsEnv,
    /// The node name shown in messages (mongooseimctl prints the Erlang node name).
    pub node: String,
    /// Where progress of long work goes (`--progress`, `-q`, stderr): nowhere by default.
    pub progress: crate::output::Reporter,
    stdin: Box<dyn BufRead>,
    stdin_is_terminal: bool,
    /// The store path was typed on this command line (`--store`): a read-only command does
    /// not create it when it does not exist. `MONGOOSEIM_STORE` is configuration, set once
    /// where the store may not exist yet (a fresh install): it is created as before.
    pub store_explicit: bool,
    /// The command never writes: an explicit SQLite path that does not exist is refused
    /// rather than created ([`Ctx::read_only_command`]).
    read_only: bool,
    /// The confirmation mode of the running guarded command ([`Ctx::guard`]).
    guard: Guard,
    /// `--dry-run`: the store is opened in trial mode (every write rolled back).
    trial: bool,
    /// How `batch` runs one of its lines as a command line (set by the dispatcher, which
    /// owns the command-line path; services cannot reach it otherwise).
    pub line_runner: Option<LineRunner>,
    /// The `--auth` credentials `batch` was given (its `-` password already read): each of
    /// its lines is access-checked with them unless it carries an `--auth` of its own.
    /// Never shown.
    pub batch_auth: Option<crate::services::access::Credentials>,
}

/// Run one batch line (its words) through the normal dispatch path, its output captured.
pub type LineRunner = fn(&mut Ctx, &[String]) -> Result<crate::services::provision::Captured>;

impl Ctx {
    pub fn new(
        config: Config,
        config_label: String,
        store_target: StoreTarget,
        stdin: Box<dyn BufRead>,
        stdin_is_terminal: bool,
    ) -> Ctx {
        Ctx {
            config,
            config_label,
            store_target,
            store: None,
            store_hooks: Vec::new(),
            metrics: Default::default(),
            node: "mongooseim@localhost".to_string(),
            progress: crate::output::Reporter::Off,
            stdin,
            stdin_is_terminal,
            store_explicit: false,
            read_only: false,
            guard: Guard::Direct,
            trial: false,
            line_runner: None,
            batch_auth: None,
        }
    }

    /// Mark the command about to run as one that never writes to the store.
    pub fn read_only_command(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    /// The confirmation handle of the running command (see [`Guard`]).
    pub fn guard(&self) -> Guard {
        self.guard
    }

    /// Set the confirmation mode (dispatch, for a guarded command).
    pub fn set_guard(&mut self, guard: Guard) {
        self.guard = guard;
    }

    /// Whether stdin is a terminal (a confirmation can be asked).
    pub fn stdin_is_terminal(&self) -> bool {
        self.stdin_is_terminal
    }

    /// Trial mode (`--dry-run`) for the store, now and when it is opened.
    pub fn set_trial(&mut self, trial: bool) {
        self.trial = trial;
        if let Some(s) = self.store.as_mut() {
            s.set_trial(trial);
        }
    }

    /// Read one line of stdin (a confirmation answer); None at end of input.
    pub fn read_answer(&mut self) -> Result<Option<String>> {
        let mut line = String::new();
        let n = self
            .stdin
            .read_line(&mut line)
            .map_err(|e| Error::Input(format!("cannot read the answer from stdin: {e}")))?;
        Ok((n > 0).then(|| line.trim().to_string()))
    }

    /// A progress bar for a phase of `total` steps named `label` (a no-op handle unless the
    /// run reports progress).
    pub fn progress(&self, label: &'static str, total: u64) -> crate::output::Progress {
        self.progress.bar(label, total)
    }

    /// A spinner with the elapsed time, for a phase of unknown length.
    pub fn spinner(&self, label: &'static str) -> crate::output::Progress {
        self.progress.spinner(label)
    }

    /// The store, opened (and migrated) on first use.
    pub fn store(&mut self) -> Result<&mut Store> {
        Ok(self.config_and_store()?.1)
    }

    /// Run `hook` when the store is first opened for this command, after the hooks
    /// registered before it (not at all if the command never opens it, or if it is open
    /// already).
    pub fn on_first_open(&mut self, hook: impl FnOnce(&Config, &mut Store) + 'static) {
        if self.store.is_none() {
            self.store_hooks.push(Box::new(hook));
        }
    }

    /// The configuration and the (opened) store, borrowed together.
    fn config_and_store(&mut self) -> Result<(&Config, &mut Store)> {
        if self.store.is_none() && self.read_only && self.store_explicit {
            if let StoreTarget::Sqlite(path) = &self.store_target {
                if !path.exists() {
                    return Err(crate::error::StoreError::Unusable {
                        path: path.display().to_string(),
                        why: crate::error::Unusable::Missing,
                    }
                    .into());
                }
            }
        }
        let trial = self.trial;
        let store = open_in(
            &mut self.store,
            &mut self.store_hooks,
            &self.config,
            &self.store_target,
        )?;
        store.set_trial(trial);
        Ok((&self.config, store))
    }

    /// Run `f` in one write transaction with the configuration at hand (for the host-type
    /// lookups and module options that belong to the write: [`host_type_in`]).
    pub fn write_with_config<T>(
        &mut self,
        f: impl FnOnce(&Config, &mut dyn Tx) -> Result<T>,
    ) -> Result<T> {
        let (config, store) = self.config_and_store()?;
        store.write(|tx| f(config, tx))
    }

    /// The host type serving `domain` (already nameprepped), or None if the domain is not
    /// known: static hosts, then enabled dynamic domains of an allowed host type
    /// (commands.md §2.3).
    pub fn host_type(&mut self, domain: &str) -> Result<Option<String>> {
        // Exact comparison: callers pass a nameprepped domain, or the raw argument for the
        // raw-host commands (where `LOCALHOST` is not `localhost`).
        if let Some(known) = static_host_type(&self.config, domain) {
            return Ok(known);
        }
        let (config, store) = self.config_and_store()?;
        store.read(|tx| host_type_in(config, tx, domain))
    }

    /// All known domains: static hosts in config order, then each dynamic host type's
    /// enabled domains (in host_types order, then by insertion order).
    pub fn known_domains(&mut self) -> Result<Vec<String>> {
        let mut out = self.config.hosts.clone();
        if self.config.services.domain_db.is_some() && !self.config.host_types.is_empty() {
            let host_types = self.config.host_types.clone();
            let dynamic = self.store()?.read(|tx| {
                let mut all = Vec::new();
                for ht in &host_types {
                    all.extend(tx.enabled_domains(ht)?);
                }
                Ok(all)
            })?;
            for d in dynamic {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
        Ok(out)
    }

    /// The whole of stdin as text (a batch file given as `-`), at most [`STDIN_FILE_CAP`].
    pub fn read_stdin_to_string(&mut self) -> Result<String> {
        let bytes = self.read_stdin_all("the batch file", STDIN_FILE_CAP)?;
        String::from_utf8(bytes)
            .map_err(|_| Error::Input("the batch file from stdin is not UTF-8".into()))
    }

    /// All of standard input (a file argument given as `-`, or a long value), refused with a
    /// one-line error past `cap` bytes.
    pub fn read_stdin_all(&mut self, what: &str, cap: u64) -> Result<Vec<u8>> {
        use std::io::Read;
        let mut buf = Vec::new();
        (&mut self.stdin)
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::Input(format!("cannot read {what} from stdin: {e}")))?;
        if buf.len() as u64 > cap {
            return Err(Error::Input(format!(
                "{what} from stdin is larger than {} MiB",
                cap >> 20
            )));
        }
        Ok(buf)
    }

    /// The bytes of a file argument: `-` is standard input (at most [`STDIN_FILE_CAP`]),
    /// anything else a path; an unreadable file is 5.1's `{read_file, ...}` crash.
    pub fn read_file_arg(&mut self, file: &str) -> Result<Vec<u8>> {
        if file == "-" {
            return self.read_stdin_all("the file", STDIN_FILE_CAP);
        }
        std::fs::read(file).map_err(|e| crate::services::accounts::read_file_crash(file, &e))
    }

    /// The run's standard input (for commands that read a document from `-`).
    pub fn stdin(&mut self) -> &mut dyn BufRead {
        &mut *self.stdin
    }

    /// Read a secret argument given as `-`: the first line of stdin, newline stripped. On a
    /// terminal the prompt goes to the terminal and the typed text is not echoed.
    pub fn read_secret(&mut self, arg_name: &str) -> Result<String> {
        let fail =
            |e: std::io::Error| Error::Input(format!("cannot read {arg_name} from stdin: {e}"));
        if self.stdin_is_terminal {
            return rpassword::prompt_password(format!("{arg_name}: ")).map_err(fail);
        }
        let mut line = String::new();
        self.stdin.read_line(&mut line).map_err(fail)?;
        if line.ends_with('\n') {
            line.pop();
            if line.ends_with('\r') {
                line.pop();
            }
        }
        Ok(line)
    }
}
