//! Rendering of `import_xep0227` (one `RESULT USER` line per user, then its counts) and
//! `export_xep0227` (one summary line). JSON in docs/output.md.

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::services::xep0227::{UserResult, Xep0227Export, Xep0227Import};

impl Render for Xep0227Import {
    fn legacy(&self) -> Legacy {
        let lines: Vec<String> = self
            .users
            .iter()
            .map(|u| match u.result {
                UserResult::Ok => format!(
                    "ok {}: {} roster items, {} vCard, {} private elements, {} offline messages",
                    u.user,
                    u.roster,
                    usize::from(u.vcard),
                    u.private,
                    u.offline
                ),
                r => format!("{} {}", r.name(), u.user),
            })
            .collect();
        Legacy::ok(lines.join("\n"))
    }

    fn json(&self) -> Option<J> {
        let users: Vec<J> = self
            .users
            .iter()
            .map(|u| {
                json!({"user": u.user, "result": u.result.name(), "roster": u.roster,
                    "vcard": u.vcard, "private": u.private, "offline": u.offline})
            })
            .collect();
        Some(json!({ "users": users }))
    }
}

impl Render for Xep0227Export {
    fn legacy(&self) -> Legacy {
        Legacy::ok(format!(
            "Exported {} users of {} to {}",
            self.users, self.host, self.file
        ))
    }

    fn json(&self) -> Option<J> {
        Some(json!({"file": self.file, "host": self.host, "users": self.users}))
    }
}
