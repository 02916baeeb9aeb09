//! The one failure type of the crate, classified by what the user must do about it, and the
//! only place exit codes are decided ([`exit_code`]). Texts are rendered by the output layer
//! (src/output/errors.rs); every variant has a stable JSON `kind`.

use std::time::Duration;

/// Everything that can stop a command.
#[derive(Debug)]
pub enum Error {
    /// The command crashed where mongooseimctl 5.1 crashes (bad integer, invalid JID, ...):
    /// printed as `Problem '<reason>' occurred executing the command.`, exit 1.
    Crash(Crash),
    /// `Error: command "X" not known.` (legacy text on stdout), exit 1; `why` only chooses
    /// the hint printed after it on stderr.
    UnknownCommand { typed: String, why: Unknown },
    /// Wrong number of arguments: the legacy arity block on stdout, exit 1.
    Arity {
        command: &'static crate::registry::CommandSpec,
        typed: String,
        given: usize,
    },
    /// A command of a group that the config does not enable, exit 1.
    Disabled {
        command: String,
        group: &'static str,
        config: String,
    },
    /// A command that needs a running Erlang node (Mnesia, cluster), exit 1.
    NodeOnly { command: String },
    /// Bad input detected by us (not a legacy text), exit 1.
    Input(String),
    /// Misuse of our own flags or no command at all, exit 2. The text is already formatted
    /// (clap's rendering or a usage line).
    Usage(String),
    /// The configuration file is unreadable or invalid, exit 3: one line per error.
    Config { file: String, errors: Vec<String> },
    /// The store failed; the class decides the exit code.
    Store(StoreError),
    /// An I/O failure while running a command (reading a file given as argument, ...), exit 1.
    Io(String),
    /// A bug of ours (a handler asking for an argument its spec does not declare, ...),
    /// exit 1.
    Internal(String),
    /// A guarded command stopped by its confirmation ([`crate::context::Guard`]), exit 1.
    Guard(GuardStop),
    /// The private sentinel of the store's trial mode (`--dry-run`): a write transaction
    /// whose body succeeded is rolled back by returning it; `Store::run` turns it back into
    /// the body's result, so it never reaches the output.
    Rollback,
}

/// Why a guarded command (delete_old_users, …) stopped before changing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardStop {
    /// The planning run found `count` things to change (`detail` completes the prompt, e.g.
    /// " on localhost"): dispatch asks for confirmation. Never rendered.
    Plan { count: u64, detail: String },
    /// The confirmed run found `now` things to change where the user confirmed `confirmed`.
    Changed {
        now: u64,
        confirmed: u64,
        noun: &'static str,
    },
    /// The user did not confirm.
    Aborted,
}

/// Where an unknown command was typed, for the hint after 5.1's "not known" line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// The first word (flat form), followed by `next` if any: a typo of a command or of a
    /// group.
    Word { next: Option<String> },
    /// The word after `GROUP` in the grouped form.
    InGroup(crate::registry::Group),
    /// A command that exists but whose module is enabled on no host type of `config` (the
    /// config's label).
    NeedsModule {
        module: &'static str,
        config: String,
    },
}

impl Error {
    /// An unknown first word (flat form), with the word that follows it.
    pub fn unknown(typed: &str, next: Option<&String>) -> Error {
        Error::UnknownCommand {
            typed: typed.to_string(),
            why: Unknown::Word {
                next: next.cloned(),
            },
        }
    }
}

/// A crash reason, in the terms mongooseimctl 5.1 prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Crash {
    /// `{invalid_jid, User, Server}` (or one part for a JID argument); the parts are binaries,
    /// or strings for `string`-typed arguments.
    InvalidJid(Vec<ErlText>),
    /// `{unknown_domain, <<Domain>>}`.
    UnknownDomain(String),
    /// `{invalid_jid_pattern, <<Pattern>>}` (process_rosteritems).
    InvalidJidPattern(String),
    /// `{corrupted_vcard, <<Jid>>, "reason"}`: the stored vCard is not XML.
    CorruptedVcard { jid: String, reason: String },
    /// `{read_file, "File", Reason}`.
    ReadFile { file: String, reason: String },
    /// An integer argument that is not one.
    NotAnInteger { arg: &'static str, value: String },
    /// An XML argument whose angle brackets never balance, by its 1-based position among the
    /// command's arguments (never its value: a password may start with `<`).
    UnbalancedXml { position: usize },
    /// `{badarg, <<>>}`: an empty value where 5.1 needs one.
    EmptyArgument { arg: &'static str },
    /// `{no_session, <<FullJid>>}`: a command that acts through a session (`set_presence`)
    /// found none for this full JID.
    NoSession(String),
    /// `{case_clause, {error, unknown_host_type}}`: enable_domain / disable_domain of a stored
    /// domain whose host type is no longer in `general.host_types` (5.1's
    /// service_admin_extra_domain has no clause for that answer).
    DomainHostTypeGone { domain: String, host_type: String },
    /// `{badmatch, {error, Reason}}`: `retrieve_personal_data` could not create its archive
    /// because the directory of `path` does not exist (`enoent`) or is not a directory
    /// (`enotdir`).
    ZipCreate { path: String, reason: &'static str },
}

/// A text inside a crash reason: printed as an Erlang binary or string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErlText {
    Bin(String),
    Str(String),
}

impl Crash {
    /// `{invalid_jid, <<User>>, <<Server>>}`.
    pub fn invalid_jid(user: &str, server: &str) -> Error {
        Error::Crash(Crash::InvalidJid(vec![
            ErlText::Bin(user.into()),
            ErlText::Bin(server.into()),
        ]))
    }
    pub fn unknown_domain(domain: &str) -> Error {
        Error::Crash(Crash::UnknownDomain(domain.into()))
    }

    /// The stable JSON kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Crash::InvalidJid(_) => "invalid_jid",
            Crash::UnknownDomain(_) => "unknown_domain",
            Crash::InvalidJidPattern(_) => "invalid_jid_pattern",
            Crash::CorruptedVcard { .. } => "corrupted_vcard",
            Crash::ReadFile { .. } => "read_file",
            Crash::NotAnInteger { .. } => "not_an_integer",
            Crash::UnbalancedXml { .. } => "unbalanced_xml",
            Crash::EmptyArgument { .. } => "badarg",
            Crash::NoSession(_) => "no_session",
            Crash::DomainHostTypeGone { .. } => "case_clause",
            Crash::ZipCreate { .. } => "zip_create",
        }
    }
}

/// Store failures, by what the user must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Cannot be opened or used (missing, corrupt, not configured), exit 3.
    Unavailable(String),
    /// The store at `path` cannot be used as the command needs, for a reason the user can act
    /// on (read-only, disk full, not our database, ...), exit 3. Rendered as one line saying
    /// what is wrong and what to do.
    Unusable { path: String, why: Unusable },
    /// Another process held the write lock for longer than we wait, exit 3.
    Busy { waited: Duration },
    /// The store refused the data (a constraint), exit 1.
    Invalid(String),
    /// A bug of ours (an SQL error that should not happen), exit 1 with crash text.
    Internal(String),
}

/// Why a store cannot be used ([`StoreError::Unusable`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// An SQLite database that is not a mongooseimctl/MongooseIM store: what it holds.
    Foreign(String),
    /// The store file is damaged (SQLite's text): a damaged page was read.
    Corrupt(String),
    /// SQLite refused a write as read-only and nothing on disk explains it (SQLite's text).
    ReadOnly(String),
    /// A write on a store file this user may not write (its permission bits).
    ReadOnlyFile { mode: u32 },
    /// A write on a store whose directory this user may not write (SQLite must create the
    /// `-wal` and `-shm` files beside the store to write).
    ReadOnlyDirectory { dir: String },
    /// The file system holding the store is mounted read-only.
    ReadOnlyMount,
    /// No space (or no inode) left on the file system holding the store.
    DiskFull,
    /// An I/O error the file system reported (SQLite's text).
    Io(String),
    /// A `-wal` or `-shm` file this user may not write (left by another user's read) that
    /// could not be replaced safely: the file and why not.
    StaleShared { file: String, why: String },
    /// An explicit `--store` path that does not exist, given to a read-only command (which
    /// does not create a store: issue 12 item 8).
    Missing,
}

impl Unusable {
    /// The stable `reason` field of the JSON error.
    pub fn reason(&self) -> &'static str {
        match self {
            Unusable::Foreign(_) => "foreign_database",
            Unusable::Corrupt(_) => "corrupt",
            Unusable::ReadOnly(_) => "read_only",
            Unusable::ReadOnlyFile { .. } => "read_only_file",
            Unusable::ReadOnlyDirectory { .. } => "read_only_directory",
            Unusable::ReadOnlyMount => "read_only_mount",
            Unusable::DiskFull => "disk_full",
            Unusable::Io(_) => "io_error",
            Unusable::StaleShared { .. } => "stale_shared_files",
            Unusable::Missing => "missing",
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::Store(e)
    }
}

impl Error {
    /// The stable JSON kind of this failure.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Crash(c) => c.kind(),
            Error::UnknownCommand { .. } => "unknown_command",
            Error::Arity { .. } => "wrong_arity",
            Error::Disabled { .. } => "disabled_group",
            Error::NodeOnly { .. } => "needs_node",
            Error::Input(_) => "invalid_input",
            Error::Usage(_) => "usage",
            Error::Config { .. } => "invalid_config",
            Error::Store(StoreError::Unavailable(_)) => "store_unavailable",
            Error::Store(StoreError::Unusable { .. }) => "store_unavailable",
            Error::Store(StoreError::Busy { .. }) => "store_busy",
            Error::Store(StoreError::Invalid(_)) => "store_invalid_data",
            Error::Store(StoreError::Internal(_)) => "internal",
            Error::Io(_) => "io",
            Error::Internal(_) => "internal",
            Error::Guard(GuardStop::Changed { .. }) => "store_changed",
            Error::Guard(GuardStop::Aborted) => "aborted",
            Error::Guard(GuardStop::Plan { .. }) | Error::Rollback => "internal",
        }
    }
}

/// How a run ended.
#[derive(Debug)]
pub enum Ending {
    /// The command succeeded (or help was asked for).
    Done,
    /// The command ran and answered with a failure result (5.1's `{error, …}`, a false
    /// rescode).
    Refused,
    /// No command was given: usage was printed.
    UsageShown,
}

/// The exit code of a run: 0 ok, 1 the command failed, 2 usage, 3 config or store
/// unavailable. The only place exit codes are decided.
pub fn exit_code(ending: &std::result::Result<Ending, Error>) -> u8 {
    match ending {
        Ok(Ending::Done) => 0,
        Ok(Ending::Refused) => 1,
        Ok(Ending::UsageShown) => 2,
        Err(e) => match e {
            Error::Usage(_) => 2,
            Error::Config { .. }
            | Error::Store(StoreError::Unavailable(_))
            | Error::Store(StoreError::Unusable { .. })
            | Error::Store(StoreError::Busy { .. }) => 3,
            Error::Crash(_)
            | Error::UnknownCommand { .. }
            | Error::Arity { .. }
            | Error::Disabled { .. }
            | Error::NodeOnly { .. }
            | Error::Input(_)
            | Error::Store(StoreError::Invalid(_))
            | Error::Store(StoreError::Internal(_))
            | Error::Io(_)
            | Error::Internal(_)
            | Error::Guard(_)
            | Error::Rollback => 1,
        },
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
