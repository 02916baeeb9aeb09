//! The SQLite implementation of the store interface: opening (the only place pragmas are
//! set), migrations, transactions, error classification, and one file of queries per area.
//! This is the only module allowed to use rusqlite (clippy.toml).

#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

mod domains;
mod last;
pub mod migrate;
mod private;
mod roster;
mod sessions;
mod state;
mod users;
mod vcard;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use tracing::debug;

use super::{Backend, Mode, Tx};
use crate::error::{Error, Result, StoreError};

/// How long a command waits for another process's write lock before giving up (exit 3).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open SQLite store.
pub struct Sqlite {
    conn: Connection,
    path: PathBuf,
}

/// One SQLite transaction: the implementation of [`Tx`].
pub struct SqliteTx<'c> {
    conn: &'c Connection,
}

impl Tx for SqliteTx<'_> {}

impl SqliteTx<'_> {
    fn conn(&self) -> &Connection {
        self.conn
    }
}

impl Sqlite {
    /// Open (creating the file and its directory if needed) and migrate the store.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn open(path: &Path) -> Result<Sqlite> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Unavailable(format!(
                        "cannot create directory {}: {e}",
                        dir.display()
                    ))
                })?;
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let at = |e: Error| match e {
            Error::Store(StoreError::Unavailable(s)) => {
                StoreError::Unavailable(format!("{}: {s}", path.display())).into()
            }
            other => other,
        };
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| at(Error::Store(classify(&e))))?;
        let mut store = Sqlite {
            conn,
            path: path.to_path_buf(),
        };
        store.init().map_err(at)?;
        debug!(path = %store.path.display(), "store opened");
        Ok(store)
    }

    /// An in-memory store (tests, benchmarks).
    pub fn open_in_memory() -> Result<Sqlite> {
        let conn = Connection::open_in_memory().map_err(sql)?;
        let mut store = Sqlite {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.init()?;
        Ok(store)
    }

    fn init(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // journal_mode returns a row; WAL is refused on some file systems (keep what we get).
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql)?;
        self.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; \
                 PRAGMA cache_size = -65536;",
            )
            .map_err(sql)?;
        migrate::migrate(&mut self.conn)?;
        Ok(())
    }
}

impl Backend for Sqlite {
    fn transaction(
        &mut self,
        mode: Mode,
        work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> Result<()> {
        let behavior = match mode {
            Mode::Read => TransactionBehavior::Deferred,
            Mode::Write => TransactionBehavior::Immediate,
        };
        let tx = self.conn.transaction_with_behavior(behavior).map_err(sql)?;
        let mut handle = SqliteTx { conn: &tx };
        work(&mut handle)?;
        tx.commit().map_err(sql)?;
        Ok(())
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

/// Classify an SQLite error by what the user must do about it.
pub fn classify(e: &rusqlite::Error) -> StoreError {
    let text = e.to_string().replace('\n', " ");
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy {
            waited: BUSY_TIMEOUT,
        },
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            StoreError::Unavailable(format!(
                "the store file is corrupt or not an SQLite database ({text})"
            ))
        }
        Some(ErrorCode::ReadOnly) => {
            StoreError::Unavailable(format!("the store is read-only ({text})"))
        }
        Some(ErrorCode::CannotOpen) => {
            StoreError::Unavailable(format!("cannot open the store file ({text})"))
        }
        Some(ErrorCode::DiskFull) => {
            StoreError::Unavailable(format!("the disk holding the store is full ({text})"))
        }
        Some(ErrorCode::SystemIoFailure) | Some(ErrorCode::PermissionDenied) => {
            StoreError::Unavailable(format!("the store cannot be accessed ({text})"))
        }
        Some(ErrorCode::ConstraintViolation) => StoreError::Invalid(text),
        _ => StoreError::Internal(text),
    }
}

/// `map_err` adapter: an SQLite error as our error.
pub(crate) fn sql(e: rusqlite::Error) -> Error {
    Error::Store(classify(&e))
}

/// Collect mapped rows.
fn rows<T>(
    it: rusqlite::MappedRows<'_, impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>>,
) -> Result<Vec<T>> {
    it.collect::<rusqlite::Result<Vec<T>>>().map_err(sql)
}
