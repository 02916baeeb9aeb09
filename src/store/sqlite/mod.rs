//! The SQLite implementation of the store interface: opening (the only place pragmas are
//! set), migrations, transactions, error classification, and one file of queries per area.
//! This is the only module allowed to use rusqlite (clippy.toml).

#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

mod check;
mod domains;
pub mod files;
mod gdpr;
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

use super::{Backend, CheckStore, Mode, Tx};
use crate::error::{Error, Result, StoreError, Unusable};

/// How long a command waits for another process's write lock before giving up (exit 3).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page cache of a write transaction (KiB): bulk writes (push_roster_alltoall, imports)
/// revisit index pages and need them kept.
const WRITE_CACHE_KIB: i64 = 65_536;
/// Page cache of a read transaction (KiB, SQLite's default): a read walks its rows once, so
/// a bigger cache would only make the peak memory of a long listing grow with the store.
const READ_CACHE_KIB: i64 = 2_000;

/// An open SQLite store.
pub struct Sqlite {
    conn: Connection,
    /// The page cache currently set (KiB), to change it only when the mode changes.
    cache_kib: i64,
    path: PathBuf,
    /// Opened read-only, and why: writes fail with this reason at once.
    read_only: Option<Unusable>,
    /// A batch's outer transaction is open: transactions are savepoints inside it.
    outer: bool,
}

/// One SQLite transaction: the implementation of [`Tx`].
pub struct SqliteTx<'c> {
    conn: &'c Connection,
    pending: crate::store::StanzaCounts,
}

impl Tx for SqliteTx<'_> {}

impl SqliteTx<'_> {
    fn conn(&self) -> &Connection {
        self.conn
    }
}

impl Sqlite {
    /// Open (creating the file and its directory if needed) and migrate the store. The file
    /// is created 0600 and new directories 0700; a store this user cannot write (a read-only
    /// file, directory or mount) is opened read-only, so that reads work and writes fail
    /// with the reason; `-wal`/`-shm` files another user's read left behind are recovered
    /// when that is safe; a store other users may read gets one warning.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn open(path: &Path) -> Result<Sqlite> {
        files::create_parents(path)?;
        files::create_store_file(path)?;
        let store = match files::write_blocker(path) {
            None => {
                files::recover_stale_sidecars(path).map_err(|e| locate(path, e))?;
                Sqlite::open_read_write(path)
            }
            Some(why) => Sqlite::open_read_only(path, why),
        }
        .map_err(|e| locate(path, e))?;
        files::warn_if_shared(path);
        debug!(path = %store.path.display(), read_only = store.read_only.is_some(), "store opened");
        Ok(store)
    }

    fn open_read_write(path: &Path) -> Result<Sqlite> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        let mut store = Sqlite {
            conn,
            cache_kib: 0,
            path: path.to_path_buf(),
            read_only: None,
            outer: false,
        };
        store.init()?;
        Ok(store)
    }

    /// Read-only: no journal-mode change, no migration (the schema must be current), and no
    /// `-wal`/`-shm` created when there is none (see [`files::read_only_uri`]).
    fn open_read_only(path: &Path, why: Unusable) -> Result<Sqlite> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(files::read_only_uri(path), flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        let version = migrate::inspect(&conn)?;
        let target = migrate::MIGRATIONS.len() as i64;
        if version > target {
            return Err(migrate::newer(version, target));
        }
        if version != target {
            // A new (empty) or older store must be migrated, which needs a write.
            return Err(StoreError::Unusable {
                path: path.display().to_string(),
                why,
            }
            .into());
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")
            .map_err(sql)?;
        Ok(Sqlite {
            conn,
            cache_kib: 0,
            path: path.to_path_buf(),
            read_only: Some(why),
            outer: false,
        })
    }

    /// An in-memory store (tests, benchmarks).
    pub fn open_in_memory() -> Result<Sqlite> {
        let conn = Connection::open_in_memory().map_err(sql)?;
        let mut store = Sqlite {
            conn,
            cache_kib: 0,
            path: PathBuf::from(":memory:"),
            read_only: None,
            outer: false,
        };
        store.init()?;
        Ok(store)
    }

    /// Size the page cache for a transaction of `mode`.
    fn cache_for(&mut self, mode: Mode) -> Result<()> {
        let kib = match mode {
            Mode::Read => READ_CACHE_KIB,
            Mode::Write => WRITE_CACHE_KIB,
        };
        if self.cache_kib != kib {
            self.conn
                .execute_batch(&format!("PRAGMA cache_size = -{kib};"))
                .map_err(sql)?;
            self.cache_kib = kib;
        }
        Ok(())
    }

    fn init(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // Before anything is written (the journal mode is persistent): refuse a database that
        // is not ours, leaving it as it is.
        migrate::inspect(&self.conn)?;
        // journal_mode returns a row; WAL is refused on some file systems (keep what we get).
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql)?;
        self.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
            )
            .map_err(sql)?;
        migrate::migrate(&mut self.conn)?;
        Ok(())
    }
}

impl Sqlite {
    /// Run `work` in one transaction: committed if it returns Ok, rolled back otherwise.
    /// Store errors get the path and their diagnosis ([`locate`]).
    fn in_transaction(
        &mut self,
        behavior: TransactionBehavior,
        commit: bool,
        work: &mut dyn FnMut(&mut SqliteTx<'_>) -> Result<()>,
    ) -> Result<()> {
        if self.outer {
            return self.in_savepoint(commit, work);
        }
        let mut run = |conn: &mut Connection| -> Result<()> {
            let tx = conn.transaction_with_behavior(behavior).map_err(sql)?;
            let mut handle = SqliteTx {
                conn: &tx,
                pending: Default::default(),
            };
            work(&mut handle)?;
            if commit {
                tx.commit().map_err(sql)?;
            } else {
                // A snapshot that wrote nothing: a damaged page that the work met and
                // reported may have left the connection failing every statement until the
                // transaction ends, so end it without a commit.
                drop(tx);
            }
            Ok(())
        };
        run(&mut self.conn).map_err(|e| locate(&self.path, e))
    }
}

impl Sqlite {
    /// Inside the outer transaction: `work` in a savepoint, released when it returns Ok (and
    /// `commit`), rolled back to otherwise.
    fn in_savepoint(
        &mut self,
        commit: bool,
        work: &mut dyn FnMut(&mut SqliteTx<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut run = |conn: &Connection| -> Result<()> {
            conn.execute_batch("SAVEPOINT mimctl_unit").map_err(sql)?;
            let mut handle = SqliteTx {
                conn,
                pending: Default::default(),
            };
            let done = work(&mut handle);
            let keep = commit && done.is_ok();
            end_savepoint(conn, "mimctl_unit", keep)?;
            done
        };
        run(&self.conn).map_err(|e| locate(&self.path, e))
    }

    fn writable(&self) -> Result<()> {
        match &self.read_only {
            Some(why) => Err(locate(&self.path, unusable(why.clone()))),
            None => Ok(()),
        }
    }
}

/// Release the savepoint `name`, or roll back to it and release it.
fn end_savepoint(conn: &Connection, name: &str, keep: bool) -> Result<()> {
    let end = if keep {
        format!("RELEASE {name}")
    } else {
        format!("ROLLBACK TO {name}; RELEASE {name}")
    };
    conn.execute_batch(&end).map_err(sql)
}

impl Backend for Sqlite {
    fn transaction(
        &mut self,
        mode: Mode,
        work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> Result<()> {
        let behavior = match mode {
            Mode::Read => TransactionBehavior::Deferred,
            Mode::Write => match &self.read_only {
                Some(why) => return Err(locate(&self.path, unusable(why.clone()))),
                None => TransactionBehavior::Immediate,
            },
        };
        if !self.outer {
            // Inside a batch the outer transaction sized the cache for writing.
            self.cache_for(mode)?;
        }
        self.in_transaction(behavior, true, &mut |tx| work(tx))
    }

    fn check(&mut self, work: &mut dyn FnMut(&mut dyn CheckStore) -> Result<()>) -> Result<()> {
        // The integrity check revisits index pages for every row: give it the big cache.
        self.cache_for(Mode::Write)?;
        self.in_transaction(TransactionBehavior::Deferred, false, &mut |tx| work(tx))
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn begin_outer(&mut self) -> Result<()> {
        self.writable()?;
        self.cache_for(Mode::Write)?;
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| locate(&self.path, sql(e)))?;
        self.outer = true;
        Ok(())
    }

    fn line_begin(&mut self) -> Result<()> {
        self.conn
            .execute_batch("SAVEPOINT mimctl_line")
            .map_err(|e| locate(&self.path, sql(e)))
    }

    fn line_end(&mut self, keep: bool) -> Result<()> {
        end_savepoint(&self.conn, "mimctl_line", keep).map_err(|e| locate(&self.path, e))
    }

    fn end_outer(&mut self, commit: bool) -> Result<()> {
        if !self.outer {
            return Ok(());
        }
        self.outer = false;
        let done = if commit {
            self.conn.execute_batch("COMMIT").map_err(sql)
        } else {
            Ok(())
        };
        if !commit || done.is_err() {
            // A failed COMMIT leaves the transaction open: end it (nothing is kept). SQLite
            // may have rolled it back itself already (an I/O error), then this fails too.
            if !self.conn.is_autocommit() {
                self.conn
                    .execute_batch("ROLLBACK")
                    .map_err(|e| locate(&self.path, sql(e)))?;
            }
        }
        done.map_err(|e| locate(&self.path, e))
    }
}

fn unusable(why: Unusable) -> Error {
    StoreError::Unusable {
        path: String::new(),
        why,
    }
    .into()
}

/// Complete a store error with the store's path, and explain read-only and I/O failures by
/// looking at the file system (a read-only mount, a full disk, a file or directory this user
/// may not write). Other errors pass through; `Unavailable` texts get the path in front.
fn locate(path: &Path, e: Error) -> Error {
    match e {
        Error::Store(StoreError::Unusable { path: p, why }) if p.is_empty() => {
            let why = match why {
                Unusable::ReadOnly(_) => files::write_blocker(path).unwrap_or(why),
                Unusable::Io(_) if files::disk_full(path) => Unusable::DiskFull,
                other => other,
            };
            StoreError::Unusable {
                path: path.display().to_string(),
                why,
            }
            .into()
        }
        Error::Store(StoreError::Unavailable(s)) => {
            StoreError::Unavailable(format!("{}: {s}", path.display())).into()
        }
        other => other,
    }
}

/// Classify an SQLite error by what the user must do about it. Read-only, I/O and full-disk
/// failures are completed with the path and explained by [`locate`].
pub fn classify(e: &rusqlite::Error) -> StoreError {
    let text = e.to_string().replace('\n', " ");
    let unusable = |why| StoreError::Unusable {
        path: String::new(),
        why,
    };
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy {
            waited: BUSY_TIMEOUT,
        },
        Some(ErrorCode::NotADatabase) => StoreError::Unavailable(format!(
            "the store file is corrupt or not an SQLite database ({text})"
        )),
        Some(ErrorCode::DatabaseCorrupt) => unusable(Unusable::Corrupt(text)),
        Some(ErrorCode::ReadOnly) => unusable(Unusable::ReadOnly(text)),
        Some(ErrorCode::CannotOpen) => {
            StoreError::Unavailable(format!("cannot open the store file ({text})"))
        }
        Some(ErrorCode::DiskFull) => unusable(Unusable::DiskFull),
        Some(ErrorCode::SystemIoFailure) => unusable(Unusable::Io(text)),
        Some(ErrorCode::PermissionDenied) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    fn why(e: StoreError) -> Option<Unusable> {
        match e {
            StoreError::Unusable { why, .. } => Some(why),
            _ => None,
        }
    }

    #[test]
    fn sqlite_errors_are_classified_by_what_to_do() {
        use rusqlite::ffi;
        assert_eq!(
            why(classify(&failure(ffi::SQLITE_FULL))),
            Some(Unusable::DiskFull)
        );
        assert!(matches!(
            why(classify(&failure(ffi::SQLITE_IOERR_SHMSIZE))),
            Some(Unusable::Io(_))
        ));
        assert!(matches!(
            why(classify(&failure(ffi::SQLITE_READONLY_DIRECTORY))),
            Some(Unusable::ReadOnly(_))
        ));
        assert!(matches!(
            why(classify(&failure(ffi::SQLITE_CORRUPT))),
            Some(Unusable::Corrupt(_))
        ));
        assert!(matches!(
            classify(&failure(ffi::SQLITE_NOTADB)),
            StoreError::Unavailable(t) if t.contains("not an SQLite database")
        ));
        assert!(matches!(
            classify(&failure(ffi::SQLITE_BUSY)),
            StoreError::Busy { .. }
        ));
    }

    #[test]
    fn locate_adds_the_path_and_keeps_what_the_disk_does_not_explain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        std::fs::write(&path, b"").unwrap();
        let at = |e: StoreError| match locate(&path, e.into()) {
            Error::Store(s) => s,
            other => panic!("{other:?}"),
        };
        let p = path.display().to_string();
        // A writable file on a roomy disk: the SQLite texts stay.
        assert_eq!(
            at(classify(&failure(rusqlite::ffi::SQLITE_IOERR))),
            StoreError::Unusable {
                path: p.clone(),
                why: Unusable::Io("Error code 10: Some kind of disk I/O error occurred".into())
            }
        );
        assert_eq!(
            at(classify(&failure(rusqlite::ffi::SQLITE_READONLY))),
            StoreError::Unusable {
                path: p.clone(),
                why: Unusable::ReadOnly(
                    "Error code 8: Attempt to write a readonly database".into()
                )
            }
        );
        assert_eq!(
            at(StoreError::Unavailable("x".into())),
            StoreError::Unavailable(format!("{p}: x"))
        );
        // A path already known is kept.
        assert_eq!(
            at(StoreError::Unusable {
                path: "elsewhere".into(),
                why: Unusable::DiskFull
            }),
            StoreError::Unusable {
                path: "elsewhere".into(),
                why: Unusable::DiskFull
            }
        );
    }

    #[test]
    fn writes_on_a_read_only_store_fail_with_the_reason_before_any_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Sqlite::open(&path).unwrap());
        let mut store = Sqlite::open_read_only(&path, Unusable::ReadOnlyMount).unwrap();
        let mut read = 0;
        store
            .transaction(Mode::Read, &mut |_| {
                read += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(read, 1);
        let err = store
            .transaction(Mode::Write, &mut |_| panic!("ran a write"))
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Store(StoreError::Unusable { why: Unusable::ReadOnlyMount, ref path })
                if path == &path_str(&dir)
        ));
        // Opened immutable: no -wal or -shm appeared.
        assert!(!files::sidecar(&path, "-wal").exists());
        assert!(!files::sidecar(&path, "-shm").exists());
    }

    fn path_str(dir: &tempfile::TempDir) -> String {
        dir.path().join("s.db").display().to_string()
    }
}
