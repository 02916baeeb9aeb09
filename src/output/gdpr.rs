//! Rendering of the `gdpr` group's outcomes.

use serde_json::{json, Value as J};

use super::{user_host, Legacy, Render};
use crate::services::gdpr::{RetrievePersonalData, Unwritable};

/// Our text for an archive that cannot be written (printed as 5.1 prints its own
/// `{error, …}` results: `Error: "…"`).
fn unwritable(path: &str, problem: &Unwritable) -> String {
    match problem {
        Unwritable::IsDirectory => {
            format!("Cannot write {path}: it is a directory (give the path of the ZIP file to write)")
        }
        Unwritable::ReadOnlyFile => format!(
            "Cannot write {path}: the file exists and is not writable by this user; it was left unchanged"
        ),
        Unwritable::Directory { dir, reason } => {
            format!("Cannot write {path}: cannot create a file in {dir} ({reason})")
        }
        Unwritable::Write { reason } => format!(
            "Cannot write {path}: {reason}; nothing was written (an existing file was left unchanged)"
        ),
    }
}

fn reason(problem: &Unwritable) -> &'static str {
    match problem {
        Unwritable::IsDirectory => "is_directory",
        Unwritable::ReadOnlyFile => "read_only_file",
        Unwritable::Directory { .. } => "directory_not_writable",
        Unwritable::Write { .. } => "write_failed",
    }
}

impl Render for RetrievePersonalData {
    fn legacy(&self) -> Legacy {
        match self {
            RetrievePersonalData::Written { .. } => Legacy::Code(true),
            RetrievePersonalData::NoSuchUser { .. } => Legacy::error("User does not exist"),
            RetrievePersonalData::Unwritable { path, problem } => {
                Legacy::error(unwritable(path, problem))
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            RetrievePersonalData::Written { path, members } => json!({
                "path": path,
                "files": members
                    .iter()
                    .map(|m| json!({"name": m.name, "rows": m.rows}))
                    .collect::<Vec<_>>(),
            }),
            RetrievePersonalData::NoSuchUser { user, host } => user_host(user, host),
            RetrievePersonalData::Unwritable { path, problem } => {
                let mut d = json!({"path": path, "reason": reason(problem)});
                match problem {
                    Unwritable::Directory { dir, reason } => {
                        d["directory"] = json!(dir);
                        d["error"] = json!(reason);
                    }
                    Unwritable::Write { reason } => d["error"] = json!(reason),
                    Unwritable::IsDirectory | Unwritable::ReadOnlyFile => {}
                }
                d
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            RetrievePersonalData::Written { .. } => None,
            RetrievePersonalData::NoSuchUser { .. } => Some("user_not_found"),
            RetrievePersonalData::Unwritable { .. } => Some("cannot_write"),
        }
    }
}
