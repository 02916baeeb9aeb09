//! The SQLite store: opening (the only place pragmas are set), migrations, transactions.
//! Query helpers live in the submodules and take `&Connection`, so they compose inside a
//! transaction.

pub mod domains;
pub mod last;
pub mod migrate;
pub mod private;
pub mod roster;
pub mod sessions;
pub mod state;
pub mod users;
pub mod vcard;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use tracing::debug;

use crate::error::{describe_sqlite, Error, Result};

/// How long a command waits for another process's write lock before giving up (exit 3).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open (creating the file and its directory if needed) and migrate the store.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::Store(format!("cannot create directory {}: {e}", dir.display()))
                })?;
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::Store(format!("{}: {}", path.display(), describe_sqlite(&e))))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .init()
            .map_err(|e| Error::Store(format!("{}: {}", path.display(), strip(e))))?;
        debug!(path = %store.path.display(), "store opened");
        Ok(store)
    }

    /// An in-memory store (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.init()?;
        Ok(store)
    }

    fn init(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // journal_mode returns a row; WAL is refused on some file systems (keep what we get).
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; \
             PRAGMA cache_size = -65536;",
        )?;
        migrate::migrate(&mut self.conn)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Begin an IMMEDIATE transaction (takes the write lock at once, so a concurrent writer
    /// waits on busy_timeout instead of failing at commit).
    pub fn write_tx(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Run `f` in one write transaction: committed if it returns Ok, rolled back otherwise.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.write_tx()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

fn strip(e: Error) -> String {
    match e {
        Error::Store(s) => s,
        other => other.to_string(),
    }
}
