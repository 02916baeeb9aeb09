//! Group `gdpr` (service_admin_extra_gdpr, gdpr.erl): `retrieve_personal_data`, the export of
//! one account's personal data as a ZIP of CSV files (commands.md §12).
//!
//! The archive is built in a temporary file beside the target (same directory, unique name,
//! mode 0600) while the account's rows are read from one store snapshot, one row at a time
//! straight into the deflate stream, and renamed onto the target only once it is complete;
//! on any failure the temporary file is removed and the target is left as it was.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::compat::erl_csv::{rfc3339_micros, rfc3339_seconds, write_record};
use crate::compat::jid::Jid;
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::store::Tx;

/// Which rows a data group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Inbox,
    Offline,
    Private,
    Roster,
    Vcard,
}

/// One data group of the export: the CSV file a module contributes (commands.md §12).
#[derive(Debug)]
pub struct DataGroup {
    pub source: Source,
    /// The group name: the member is `<name>.csv`.
    pub name: &'static str,
    /// The module that contributes it when enabled for the account's host type.
    pub module: &'static str,
    /// The header line.
    pub columns: &'static [&'static str],
}

/// The data groups we export, in the order of the archive's members (by group name).
/// mod_last contributes none: 5.1's mod_last does not take part in the export.
pub const DATA_GROUPS: [DataGroup; 5] = [
    DataGroup {
        source: Source::Inbox,
        name: "inbox",
        module: "mod_inbox",
        columns: &["jid", "content", "unread_count", "timestamp"],
    },
    DataGroup {
        source: Source::Offline,
        name: "offline",
        module: "mod_offline",
        columns: &["timestamp", "from", "to", "packet"],
    },
    DataGroup {
        source: Source::Private,
        name: "private",
        module: "mod_private",
        columns: &["ns", "xml"],
    },
    DataGroup {
        source: Source::Roster,
        name: "roster",
        module: "mod_roster",
        columns: &[
            "jid",
            "name",
            "subscription",
            "ask",
            "groups",
            "askmessage",
            "xs",
        ],
    },
    DataGroup {
        source: Source::Vcard,
        name: "vcard",
        module: "mod_vcard",
        columns: &["jid", "vcard"],
    },
];

/// One member of a written archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The file name at the archive root.
    pub name: String,
    /// Data lines (CSV: without the header; the log file: its lines).
    pub rows: u64,
}

/// Why the archive could not be written at its path (the target is left as it was and no
/// temporary file remains).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unwritable {
    /// The path names a directory.
    IsDirectory,
    /// The path is an existing file this user may not write.
    ReadOnlyFile,
    /// No file can be created in the directory (permissions, a read-only file system, ...):
    /// the directory and the system's reason.
    Directory { dir: String, reason: String },
    /// Writing the archive or moving it into place failed: the system's reason.
    Write { reason: String },
}

/// The outcome of `retrieve_personal_data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrievePersonalData {
    /// The archive is at `path` (as typed) with these members, in archive order.
    Written { path: String, members: Vec<Member> },
    /// Invalid JID, unknown domain or no such account (§2.4): nothing written.
    NoSuchUser { user: String, host: String },
    /// The archive could not be written at `path` (as typed).
    Unwritable { path: String, problem: Unwritable },
}

/// `retrieve_personal_data username domain path`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn retrieve_personal_data(
    ctx: &mut Ctx,
    user: &str,
    domain: &str,
    path: &str,
) -> Result<RetrievePersonalData> {
    let no_such_user = || RetrievePersonalData::NoSuchUser {
        user: user.to_string(),
        host: domain.to_string(),
    };
    let Some(jid) = Jid::make(user, domain, "") else {
        return Ok(no_such_user());
    };
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(no_such_user());
    };
    // The config gates: a group is exported only if its module is enabled for the host type.
    let groups: Vec<&'static DataGroup> = DATA_GROUPS
        .iter()
        .filter(|g| ctx.config.module_enabled(&host_type, g.module))
        .collect();
    let logs = format!("logs-{}.txt", ctx.node);
    let now = crate::clock::now_micros();
    let progress = ctx.progress;
    ctx.store()?.read(|tx| {
        if !tx.user_exists(&jid)? {
            return Ok(no_such_user());
        }
        let unwritable = |problem| RetrievePersonalData::Unwritable {
            path: path.to_string(),
            problem,
        };
        let (target, temp) = match prepare(path)? {
            Ok(t) => t,
            Err(problem) => return Ok(unwritable(problem)),
        };
        let mut archive = match Archive::new(&temp, now) {
            Ok(a) => a,
            Err(e) => return Ok(unwritable(write_problem(&e))),
        };
        let bar = progress.bar("exporting personal data", groups.len() as u64);
        let walked = export(tx, &jid, &groups, now, &mut archive, &bar)
            .and_then(|()| archive.member(&logs, &[]));
        drop(bar);
        if let Some(e) = archive.failed.take() {
            return Ok(unwritable(write_problem(&e)));
        }
        walked?;
        let members = std::mem::take(&mut archive.members);
        if let Err(e) = archive.finish() {
            return Ok(unwritable(write_problem(&e)));
        }
        // The rename replaces an existing file atomically; on failure `temp` is removed.
        if let Err(e) = temp.persist(&target) {
            return Ok(unwritable(write_problem(&e)));
        }
        Ok(RetrievePersonalData::Written {
            path: path.to_string(),
            members,
        })
    })
}

/// Every enabled data group that has rows, in `groups` order.
fn export(
    tx: &mut dyn Tx,
    jid: &Jid,
    groups: &[&'static DataGroup],
    now: i64,
    archive: &mut Archive,
    bar: &crate::output::Progress,
) -> Result<()> {
    let mut buf = Vec::new();
    for &g in groups {
        bar.inc(1);
        archive.group = Some(g);
        archive.started = false;
        match g.source {
            Source::Vcard => {
                if let Some(vcard) = tx.vcard_export(jid)? {
                    archive.row(&[jid.bare().as_bytes(), &vcard])?;
                }
            }
            Source::Roster => tx.each_roster_export(jid, &mut |item| {
                buf.clear();
                for (i, group) in item.groups.iter().enumerate() {
                    if i > 0 {
                        buf.extend_from_slice(b", ");
                    }
                    buf.extend_from_slice(group);
                }
                archive.row(&[
                    item.contact,
                    item.nick,
                    item.subscription.name().as_bytes(),
                    item.ask.name().as_bytes(),
                    &buf,
                    item.askmessage,
                    // xs: the extra XML of Mnesia roster items; none in an RDBMS roster.
                    b"",
                ])
            })?,
            Source::Private => {
                tx.each_private_export(jid, &mut |p| archive.row(&[p.namespace, p.xml]))?
            }
            Source::Offline => {
                let to = jid.bare();
                tx.each_offline_export(jid, now, &mut |m| {
                    archive.row(&[
                        rfc3339_seconds(m.timestamp).as_bytes(),
                        m.from,
                        to.as_bytes(),
                        m.packet,
                    ])
                })?
            }
            Source::Inbox => tx.each_inbox_export(jid, now, &mut |e| {
                archive.row(&[
                    e.remote_jid,
                    e.content,
                    e.unread_count.to_string().as_bytes(),
                    rfc3339_micros(e.timestamp).as_bytes(),
                ])
            })?,
        }
    }
    archive.group = None;
    Ok(())
}

/// The target path and a temporary file beside it, or why the archive cannot go there.
/// A directory that does not exist crashes, as 5.1's `zip:create` does.
fn prepare(path: &str) -> Result<std::result::Result<(PathBuf, TempFile), Unwritable>> {
    let crash = |reason| {
        Err(Error::Crash(Crash::ZipCreate {
            path: path.to_string(),
            reason,
        }))
    };
    if path.is_empty() {
        return crash("enoent");
    }
    let target = PathBuf::from(path);
    if path.ends_with('/') || target.is_dir() {
        return Ok(Err(Unwritable::IsDirectory));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return crash("enotdir"),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return crash("enoent"),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => return crash("enotdir"),
        Err(e) => {
            return Ok(Err(Unwritable::Directory {
                dir: dir.display().to_string(),
                reason: os_reason(&e),
            }))
        }
    }
    // A file this user may not write is left alone (the rename would replace it). Other
    // refusals (a read-only mount) show when the temporary file is created.
    if target.exists() {
        if let Err(e) = rustix::fs::access(&target, rustix::fs::Access::WRITE_OK) {
            if e == rustix::io::Errno::ACCESS || e == rustix::io::Errno::PERM {
                return Ok(Err(Unwritable::ReadOnlyFile));
            }
        }
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match TempFile::create(&dir, &name) {
        Ok(temp) => Ok(Ok((target, temp))),
        Err(e) => Ok(Err(Unwritable::Directory {
            dir: dir.display().to_string(),
            reason: os_reason(&e),
        })),
    }
}

/// A file created (mode 0600, never an existing one) under a unique hidden name in the
/// target's directory, removed when dropped unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    file: Option<File>,
}

impl TempFile {
    fn create(dir: &Path, name: &str) -> io::Result<TempFile> {
        use std::os::unix::fs::OpenOptionsExt;
        let mut tries = 0;
        loop {
            let mut id = [0u8; 8];
            getrandom::fill(&mut id).map_err(|e| io::Error::other(e.to_string()))?;
            let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
            let path = dir.join(format!(".{name}.{hex}.tmp"));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        file: Some(file),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 16 => tries += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Rename the file onto `target` (atomically replacing a file there).
    fn persist(mut self, target: &Path) -> io::Result<()> {
        self.file = None;
        std::fs::rename(&self.path, target)?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The system's text for an I/O error, without any path a library added to it.
fn os_reason(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code).to_string(),
        None => e.to_string(),
    }
}

/// A ZIP error as the I/O error under it (so that the system's reason shows).
fn zip_io(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::other(other),
    }
}

fn write_problem(e: &io::Error) -> Unwritable {
    Unwritable::Write {
        reason: os_reason(e),
    }
}

/// Where the ZIP goes: the temporary file, until the archive is abandoned (a failure); from
/// then on writes are dropped, so that the ZIP writer's own finishing when it is dropped
/// writes nothing into a file about to be removed (and has no error to report). The position
/// is tracked so that the writer sees a consistent file either way.
struct Output {
    file: BufWriter<File>,
    abandoned: Rc<Cell<bool>>,
    /// The current position and the end of what was written.
    pos: u64,
    end: u64,
}

impl Output {
    fn moved_to(&mut self, pos: u64) -> u64 {
        self.pos = pos;
        self.end = self.end.max(pos);
        pos
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = if self.abandoned.get() {
            buf.len()
        } else {
            self.file.write(buf)?
        };
        self.moved_to(self.pos + n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.abandoned.get() {
            return Ok(());
        }
        self.file.flush()
    }
}

impl Seek for Output {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        if !self.abandoned.get() {
            let pos = self.file.seek(to)?;
            return Ok(self.moved_to(pos));
        }
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.end.checked_add_signed(d),
        };
        match pos {
            Some(p) => Ok(self.moved_to(p)),
            None => Err(io::Error::from(io::ErrorKind::InvalidInput)),
        }
    }
}

/// The ZIP being written into the temporary file, one member at a time.
struct Archive {
    /// Taken by [`Archive::finish`]; still here when the archive is dropped unfinished.
    zip: Option<ZipWriter<Output>>,
    abandoned: Rc<Cell<bool>>,
    options: SimpleFileOptions,
    members: Vec<Member>,
    /// The data group whose rows are being written, and whether its member has begun (a
    /// group without rows gets no member).
    group: Option<&'static DataGroup>,
    started: bool,
    /// The write error that stopped the walk (the walk itself then returns a placeholder
    /// error, never shown).
    failed: Option<io::Error>,
}

impl Archive {
    fn new(temp: &TempFile, now: i64) -> io::Result<Archive> {
        let file = match &temp.file {
            Some(f) => f.try_clone()?,
            None => return Err(io::Error::other("the temporary file is closed")),
        };
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644)
            .last_modified_time(zip_time(now));
        let abandoned = Rc::new(Cell::new(false));
        let output = Output {
            file: BufWriter::with_capacity(64 * 1024, file),
            abandoned: abandoned.clone(),
            pos: 0,
            end: 0,
        };
        Ok(Archive {
            zip: Some(ZipWriter::new(output)),
            abandoned,
            options,
            members: Vec::new(),
            group: None,
            started: false,
            failed: None,
        })
    }

    /// The placeholder error that stops a walk after a write error (kept in `failed`).
    fn stop(&mut self, e: io::Error) -> Error {
        self.failed = Some(e);
        Error::Io(String::new())
    }

    /// One row of the current data group (its member and header first, on its first row).
    fn row(&mut self, fields: &[&[u8]]) -> Result<()> {
        let Some(group) = self.group else {
            return Err(Error::Internal("a row outside a data group".into()));
        };
        let written = (|| -> io::Result<()> {
            let zip = self.zip.as_mut().ok_or_else(finished)?;
            if !self.started {
                zip.start_file(format!("{}.csv", group.name), self.options)
                    .map_err(zip_io)?;
                let header: Vec<&[u8]> = group.columns.iter().map(|c| c.as_bytes()).collect();
                write_record(zip, &header)?;
                self.members.push(Member {
                    name: format!("{}.csv", group.name),
                    rows: 0,
                });
                self.started = true;
            }
            write_record(zip, fields)
        })();
        match written {
            Ok(()) => {
                if let Some(m) = self.members.last_mut() {
                    m.rows += 1;
                }
                Ok(())
            }
            Err(e) => Err(self.stop(e)),
        }
    }

    /// A member with these lines (each ended by LF).
    fn member(&mut self, name: &str, lines: &[&[u8]]) -> Result<()> {
        let written = (|| -> io::Result<()> {
            let zip = self.zip.as_mut().ok_or_else(finished)?;
            zip.start_file(name, self.options).map_err(zip_io)?;
            for line in lines {
                zip.write_all(line)?;
                zip.write_all(b"\n")?;
            }
            Ok(())
        })();
        match written {
            Ok(()) => {
                self.members.push(Member {
                    name: name.to_string(),
                    rows: lines.len() as u64,
                });
                Ok(())
            }
            Err(e) => Err(self.stop(e)),
        }
    }

    /// Write the central directory and flush everything to disk.
    fn finish(mut self) -> io::Result<()> {
        let zip = self.zip.take().ok_or_else(finished)?;
        let file = zip
            .finish()
            .map_err(zip_io)?
            .file
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

impl Drop for Archive {
    fn drop(&mut self) {
        if self.zip.is_some() {
            self.abandoned.set(true);
        }
    }
}

fn finished() -> io::Error {
    io::Error::other("the archive is already finished")
}

/// The members' modification time: `now` (UTC), or 1980-01-01 outside the ZIP's range.
fn zip_time(now: i64) -> zip::DateTime {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(now.div_euclid(1_000_000)) else {
        return zip::DateTime::default();
    };
    u16::try_from(t.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                t.month() as u8,
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
            )
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_groups_are_in_member_order() {
        let names: Vec<&str> = DATA_GROUPS.iter().map(|g| g.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }
}
