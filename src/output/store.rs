//! Rendering of `check_store`: one line per problem (`KIND: TABLE: DETAIL`) and a summary
//! line; JSON `{"ok", "store", "problems": [{"kind", "table", "detail"}]}` (docs/output.md).

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::services::store::{PasswordFault, Problem, StoreCheck};
use crate::store::UserKey;

fn jid(u: &UserKey) -> String {
    format!("{}@{}", u.username, u.server)
}

/// The stable kind, the table (None: the whole database) and the wording of a problem.
fn describe(p: &Problem) -> (&'static str, Option<&'static str>, String) {
    match p {
        Problem::Integrity(message) => ("integrity", None, message.clone()),
        Problem::Unreadable { table, message } => (
            "unreadable",
            Some(table),
            format!("{message} (the rest of this table was not checked)"),
        ),
        Problem::Orphan(o) => (
            "orphan",
            Some(o.table),
            format!(
                "{} row{} of {}, which has no account",
                o.rows,
                if o.rows == 1 { "" } else { "s" },
                jid(&o.user)
            ),
        ),
        Problem::OrphanGroup(g) => (
            "orphan_group",
            Some("rostergroups"),
            format!(
                "group \"{}\" of {}'s contact {}, which is not in the roster",
                g.group,
                jid(&g.owner),
                g.contact
            ),
        ),
        Problem::Password { user, fault } => {
            let why = match fault {
                PasswordFault::NotScram => {
                    "pass_details is not a SCRAM serialisation MongooseIM reads"
                }
                PasswordFault::NoHashEntry => {
                    "pass_details is a SCRAM serialisation without any hash"
                }
                PasswordFault::ZeroIterations => "pass_details has an iteration count of 0",
                PasswordFault::Empty => "the plain password is empty and there is no pass_details",
            };
            (
                "password",
                Some("users"),
                format!("{}: {why}; the account cannot log in", jid(user)),
            )
        }
        Problem::Xml {
            table,
            user,
            namespace,
            error,
        } => (
            "xml",
            Some(table),
            match namespace {
                None => format!("{}: the stored vCard is not XML ({error})", jid(user)),
                Some(ns) => format!(
                    "{}, namespace \"{ns}\": the stored element is not XML ({error})",
                    jid(user)
                ),
            },
        ),
    }
}

impl StoreCheck {
    fn summary(&self) -> String {
        match self.problems.len() {
            0 => format!("no problems found in {}", self.location),
            1 => format!("1 problem found in {}", self.location),
            n => format!("{n} problems found in {}", self.location),
        }
    }
}

impl Render for StoreCheck {
    fn legacy(&self) -> Legacy {
        let mut lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| match describe(p) {
                (kind, Some(table), detail) => format!("{kind}: {table}: {detail}"),
                (kind, None, detail) => format!("{kind}: {detail}"),
            })
            .collect();
        lines.push(self.summary());
        let text = lines.join("\n");
        if self.clean() {
            Legacy::ok(text)
        } else {
            Legacy::fail(text)
        }
    }

    fn json(&self) -> Option<J> {
        let problems: Vec<J> = self
            .problems
            .iter()
            .map(|p| {
                let (kind, table, detail) = describe(p);
                json!({"kind": kind, "table": table, "detail": detail})
            })
            .collect();
        Some(json!({"ok": self.clean(), "store": self.location, "problems": problems}))
    }

    fn failure(&self) -> Option<&'static str> {
        (!self.clean()).then_some("store_check_failed")
    }
}

impl Render for crate::services::store::InitSchema {
    fn legacy(&self) -> Legacy {
        Legacy::ok(format!(
            "MongooseIM 5.1's schema ({} tables) and mongooseimctl's tables (version {}) loaded into {}",
            self.tables, self.version, self.location
        ))
    }

    fn json(&self) -> Option<J> {
        Some(json!({"store": self.location, "tables": self.tables, "version": self.version}))
    }
}
