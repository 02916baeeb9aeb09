//! The one error type of the crate, and the only place exit codes are decided.

use std::fmt;

/// Everything that can stop a command, classified by what the user must do about it.
#[derive(Debug)]
pub enum Error {
    /// A command crashed where mongooseimctl 5.1 crashes (bad integer, invalid JID, ...):
    /// printed as `Problem '<what>' occurred executing the command.`, exit 1.
    Crash(String),
    /// A legacy failure text printed verbatim on stdout (unknown command, wrong arity), exit 1.
    Legacy(String),
    /// A command of a group that the config does not enable, exit 1.
    Disabled {
        command: String,
        group: &'static str,
        config: String,
    },
    /// Bad input detected by us (not a legacy text), exit 1.
    Input(String),
    /// Misuse of our own flags or no command at all, exit 2. The text is already formatted.
    Usage(String),
    /// The configuration file is unreadable or invalid, exit 3: one line per error.
    Config { file: String, errors: Vec<String> },
    /// The store cannot be opened, migrated, or is locked/corrupt, exit 3.
    Store(String),
    /// An I/O failure while running a command (reading a file given as argument, ...), exit 1.
    Io(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Crash(_)
            | Error::Legacy(_)
            | Error::Disabled { .. }
            | Error::Input(_)
            | Error::Io(_) => 1,
            Error::Usage(_) => 2,
            Error::Config { .. } | Error::Store(_) => 3,
        }
    }

    pub fn crash(what: impl Into<String>) -> Error {
        Error::Crash(what.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Crash(what) => write!(f, "Problem '{what}' occurred executing the command."),
            Error::Legacy(text) | Error::Usage(text) => f.write_str(text),
            Error::Disabled { command, group, config } => write!(
                f,
                "command \"{command}\" belongs to group \"{group}\", which is not enabled in {config} \
                 (add \"{group}\" to [services.service_admin_extra] submods)"
            ),
            Error::Input(text) => f.write_str(text),
            Error::Config { file, errors } => {
                write!(f, "invalid configuration {file}:")?;
                for e in errors {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
            Error::Store(text) => write!(f, "store unavailable: {text}"),
            Error::Io(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(describe_sqlite(&e))
    }
}

/// A one-line description of an SQLite error that names the problem.
pub fn describe_sqlite(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            format!("the store is locked by another process ({e})")
        }
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            format!("the store file is corrupt or not an SQLite database ({e})")
        }
        Some(ErrorCode::ReadOnly) => format!("the store is read-only ({e})"),
        Some(ErrorCode::CannotOpen) => format!("cannot open the store file ({e})"),
        _ => e.to_string().replace('\n', " "),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
