//! The store's files on disk: created private (file 0600, new directories 0700, whatever the
//! umask; SQLite gives the `-wal` and `-shm` files the store's own mode), the write-access
//! probe that decides whether a store is opened read-write or read-only, the diagnosis of
//! read-only and full file systems, the recovery of `-wal`/`-shm` files another user's read
//! left behind, and the warning about a store other users may read.

use std::fs::{self, DirBuilder, OpenOptions, Permissions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use rustix::fs::Access;
use rustix::io::Errno;
use tracing::{debug, warn};

use crate::error::{Error, Result, StoreError, Unusable};

/// Mode of the store file we create.
pub const FILE_MODE: u32 = 0o600;
/// Mode of every directory we create for the store.
pub const DIR_MODE: u32 = 0o700;
/// Below this much free space (or with no free inode), an I/O error is reported as a full
/// disk: SQLite reports ENOSPC while growing the `-shm` or truncating as a plain I/O error.
const LOW_SPACE: u64 = 256 * 1024;

/// `PATH` + `suffix` (`-wal`, `-shm`).
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// The directory holding the store (`.` for a bare file name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn unusable(path: &Path, why: Unusable) -> Error {
    StoreError::Unusable {
        path: path.display().to_string(),
        why,
    }
    .into()
}

/// An I/O failure creating the store's directory or file, as the error to report.
fn creating(path: &Path, what: &str, target: &Path, e: std::io::Error) -> Error {
    match e.kind() {
        ErrorKind::ReadOnlyFilesystem => unusable(path, Unusable::ReadOnlyMount),
        ErrorKind::StorageFull => unusable(path, Unusable::DiskFull),
        _ => StoreError::Unavailable(format!("cannot create {what} {}: {e}", target.display()))
            .into(),
    }
}

/// Create the missing directories above the store, each 0700 whatever the umask (existing
/// directories are left as they are).
pub fn create_parents(path: &Path) -> Result<()> {
    let dir = dir_of(path);
    if dir.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d);
        cur = d.parent();
    }
    for d in missing.iter().rev() {
        match DirBuilder::new().mode(DIR_MODE).create(d) {
            // The umask may have taken bits away: set the mode itself.
            Ok(()) => fs::set_permissions(d, Permissions::from_mode(DIR_MODE))
                .map_err(|e| creating(path, "directory", d, e))?,
            // Another process created it meanwhile.
            Err(e) if e.kind() == ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(creating(path, "directory", d, e)),
        }
    }
    Ok(())
}

/// Create the store file, 0600 whatever the umask, if it does not exist (SQLite would create
/// it 0644, and gives the `-wal` and `-shm` files the mode of the store). Whether it was
/// created.
pub fn create_store_file(path: &Path) -> Result<bool> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Ok(file) => {
            file.set_permissions(Permissions::from_mode(FILE_MODE))
                .map_err(|e| creating(path, "the store file", path, e))?;
            debug!(path = %path.display(), "store file created");
            Ok(true)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(creating(path, "the store file", path, e)),
    }
}

fn writable(file: &Path) -> std::result::Result<(), Errno> {
    rustix::fs::access(file, Access::WRITE_OK)
}

fn mode_of(file: &Path) -> u32 {
    fs::metadata(file).map(|m| m.mode() & 0o7777).unwrap_or(0)
}

/// Why this user cannot write the (existing) store at `path`, or None if it can: the file
/// system is read-only, the file is not writable, or the directory is not writable while the
/// `-wal` and `-shm` files SQLite needs to write do not exist (or are not writable).
pub fn write_blocker(path: &Path) -> Option<Unusable> {
    match writable(path) {
        Ok(()) => {}
        Err(Errno::ROFS) => return Some(Unusable::ReadOnlyMount),
        Err(_) => {
            return Some(Unusable::ReadOnlyFile {
                mode: mode_of(path),
            })
        }
    }
    let dir = dir_of(path);
    if writable(dir).is_err() {
        let sidecars_ok = ["-wal", "-shm"]
            .iter()
            .all(|s| writable(&sidecar(path, s)).is_ok());
        if !sidecars_ok {
            return Some(Unusable::ReadOnlyDirectory {
                dir: dir.display().to_string(),
            });
        }
    }
    None
}

/// Whether the file system holding the store has (practically) no space or no inode left.
pub fn disk_full(path: &Path) -> bool {
    match rustix::fs::statvfs(dir_of(path)) {
        Ok(st) => {
            st.f_bavail.saturating_mul(st.f_frsize.max(1)) < LOW_SPACE
                || (st.f_files > 0 && st.f_favail == 0)
        }
        Err(_) => false,
    }
}

/// Item 9 of issue 7: a `-shm` (or an empty `-wal`) this user may not write, left by another
/// user's read of the store, makes every write fail. When no other process has the store
/// open (checked by taking SQLite's exclusive lock on the store file, which every connection
/// in WAL mode shares while it is open), the `-shm` is deleted (it is an index SQLite rebuilds
/// from the `-wal`) and so is an empty `-wal`. A `-wal` holding data is never deleted.
/// Only called when this user may write the store file itself.
pub fn recover_stale_sidecars(path: &Path) -> Result<()> {
    let wal = sidecar(path, "-wal");
    let shm = sidecar(path, "-shm");
    let stuck = |f: &Path| f.exists() && matches!(writable(f), Err(Errno::ACCESS | Errno::PERM));
    let (wal_stuck, shm_stuck) = (stuck(&wal), stuck(&shm));
    if !wal_stuck && !shm_stuck {
        return Ok(());
    }
    let stale = |file: &Path, why: String| {
        unusable(
            path,
            Unusable::StaleShared {
                file: file.display().to_string(),
                why,
            },
        )
    };
    let owner = |f: &Path| fs::metadata(f).map(|m| m.uid()).unwrap_or(0);
    if wal_stuck && fs::metadata(&wal).map(|m| m.len()).unwrap_or(1) > 0 {
        return Err(stale(
            &wal,
            format!(
                "it holds data not yet in the store, so it is never deleted: run the command as \
                 its owner (uid {}), who can write it",
                owner(&wal)
            ),
        ));
    }
    // The exclusive lock: a connection in exclusive locking mode takes it on its first read
    // and uses no -shm. It fails at once if any other connection has the store open.
    let probe = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(super::sql)?;
    let locked = probe
        .busy_timeout(Duration::ZERO)
        .and_then(|_| {
            probe.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |r| {
                r.get::<_, String>(0)
            })
        })
        .and_then(|_| {
            probe.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
        });
    let first = if shm_stuck { &shm } else { &wal };
    match locked {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            return Err(stale(
                first,
                format!(
                    "another process has the store open: try again when it has finished (the file \
                     belongs to uid {})",
                    owner(first)
                ),
            ))
        }
        Err(e) => return Err(super::sql(e)),
    }
    for (is_stuck, file) in [(shm_stuck, &shm), (wal_stuck, &wal)] {
        if is_stuck {
            match fs::remove_file(file) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(stale(file, format!("it cannot be removed: {e}"))),
            }
            debug!(file = %file.display(), "removed a -wal/-shm file this user could not write");
        }
    }
    drop(probe);
    Ok(())
}

/// One warning line when the store or its `-wal`/`-shm` files can be read or written by
/// group or others (they hold password hashes, or plain passwords, and messages). Modes are
/// not changed silently: the line says how.
pub fn warn_if_shared(path: &Path) {
    let mut found = Vec::new();
    for file in [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-shm"),
    ] {
        if let Ok(md) = fs::metadata(&file) {
            let mode = md.mode() & 0o777;
            if mode & 0o066 != 0 {
                found.push((file, mode));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let modes: Vec<String> = found
        .iter()
        .map(|(f, m)| format!("{} {m:04o}", f.display()))
        .collect();
    let files: Vec<String> = found.iter().map(|(f, _)| f.display().to_string()).collect();
    warn!(
        "the store is accessible to other users ({}): anyone in its group or on this machine may \
         read its password data and messages; restrict it with `chmod 600 {}`",
        modes.join(", "),
        files.join(" ")
    );
}

/// The URI SQLite opens a store with read-only. Without a `-wal` no process has the store
/// open in WAL mode, and SQLite could not read it without creating `-wal` and `-shm` files
/// (impossible in a read-only directory or mount, and stale files for the owner otherwise):
/// it is then opened `immutable` (no locks, no files created).
pub fn read_only_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/._-~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro");
    if !sidecar(path, "-wal").exists() {
        uri.push_str("&immutable=1");
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_uri_escapes_and_chooses_immutable() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a b?#%.db");
        let uri = read_only_uri(&p);
        assert!(uri.starts_with("file:/"), "{uri}");
        assert!(
            uri.ends_with("/a%20b%3F%23%25.db?mode=ro&immutable=1"),
            "{uri}"
        );
        std::fs::write(sidecar(&p, "-wal"), b"").unwrap();
        assert!(read_only_uri(&p).ends_with(".db?mode=ro"));
    }

    #[test]
    fn created_modes_ignore_the_umask_bits_they_can() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x/y/store.db");
        create_parents(&p).unwrap();
        assert!(create_store_file(&p).unwrap());
        assert!(!create_store_file(&p).unwrap());
        assert_eq!(mode_of(&p), 0o600);
        assert_eq!(mode_of(&dir.path().join("x")), 0o700);
        assert_eq!(mode_of(&dir.path().join("x/y")), 0o700);
    }
}
