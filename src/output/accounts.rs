//! Rendering of the account outcomes: the core registration commands (`register*`,
//! `unregister`, `registered_users`, `import_users`) and the `accounts` group.

use serde_json::{json, Value as J};

use super::{no_such_user, user_host, Legacy, Render};
use crate::compat::erlang::{fmt_p, Term};
use crate::compat::jid::Jid;
use crate::services::accounts::{
    ActiveUsers, BanAccount, ChangePassword, CheckAccount, CheckPassword, CheckPasswordHash,
    DeletedUsers, HashMatch, ImportResult, ImportUsers, ImportedRow, Refusal, Register,
    RegisteredUsers, Unregistered,
};

/// 5.1's error atom for a refusal, which is also its JSON kind.
pub(super) fn refusal_atom(r: Refusal) -> &'static str {
    match r {
        Refusal::NullPassword => "null_password",
        Refusal::EmptyPassword => "empty_password",
        Refusal::InvalidJid => "invalid_jid",
        Refusal::NotAllowed => "not_allowed",
        Refusal::InvalidPassword => "invalid_password",
    }
}

/// `{"jid": "user@host"}`.
fn jid_obj(jid: &Jid) -> J {
    json!({"jid": jid.bare()})
}

/// `User u@h does not exist` style texts name the arguments as typed.
fn raw_jid(user: &str, host: &str) -> String {
    format!("{user}@{host}")
}

impl Render for Register {
    fn legacy(&self) -> Legacy {
        let node = |n: &str| fmt_p(&Term::atom(n));
        match self {
            Register::Registered { jid } => {
                Legacy::ok(format!("User {} successfully registered", jid.bare()))
            }
            Register::AlreadyRegistered { jid, node: n } => Legacy::fail(format!(
                "User {} already registered at node {}",
                jid.bare(),
                node(n)
            )),
            Register::Refused {
                jid,
                node: n,
                reason,
            } => Legacy::fail(format!(
                "Can't register user {} at node {}: {}",
                jid.bare(),
                node(n),
                fmt_p(&Term::atom(refusal_atom(*reason)))
            )),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            Register::Registered { jid } => jid_obj(jid),
            Register::AlreadyRegistered { jid, node } | Register::Refused { jid, node, .. } => {
                json!({"jid": jid.bare(), "node": node})
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            Register::Registered { .. } => None,
            Register::AlreadyRegistered { .. } => Some("already_registered"),
            Register::Refused { reason, .. } => Some(refusal_atom(*reason)),
        }
    }
}

impl Render for Unregistered {
    fn legacy(&self) -> Legacy {
        Legacy::ok("")
    }

    fn json(&self) -> Option<J> {
        Some(json!({"user": self.user, "host": self.host, "removed": self.removed}))
    }
}

impl Render for RegisteredUsers {
    fn legacy(&self) -> Legacy {
        Legacy::List(self.users.iter().cloned().map(Legacy::Text).collect())
    }

    fn json(&self) -> Option<J> {
        Some(json!({"host": self.host, "users": self.users}))
    }
}

impl Render for CheckAccount {
    fn legacy(&self) -> Legacy {
        match self {
            CheckAccount::Exists { jid } => Legacy::ok(format!("User {} exists", jid.bare())),
            CheckAccount::NoSuchUser { user, host } => Legacy::fail(no_such_user(user, host)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            CheckAccount::Exists { jid } => jid_obj(jid),
            CheckAccount::NoSuchUser { user, host } => user_host(user, host),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            CheckAccount::Exists { .. } => None,
            CheckAccount::NoSuchUser { .. } => Some("user_not_found"),
        }
    }
}

impl Render for CheckPassword {
    fn legacy(&self) -> Legacy {
        match self {
            CheckPassword::Correct { jid } => {
                Legacy::ok(format!("Password for user {} is correct", jid.bare()))
            }
            CheckPassword::Incorrect { jid } => {
                Legacy::fail(format!("Password for user {} is incorrect", jid.bare()))
            }
            CheckPassword::NoSuchUser { user, host } => Legacy::fail(format!(
                "Password for user {} is incorrect because this user does not exist",
                raw_jid(user, host)
            )),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            CheckPassword::Correct { jid } | CheckPassword::Incorrect { jid } => jid_obj(jid),
            CheckPassword::NoSuchUser { user, host } => user_host(user, host),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            CheckPassword::Correct { .. } => None,
            CheckPassword::Incorrect { .. } => Some("incorrect_password"),
            CheckPassword::NoSuchUser { .. } => Some("user_not_found"),
        }
    }
}

impl Render for CheckPasswordHash {
    fn legacy(&self) -> Legacy {
        match self.verdict {
            HashMatch::Correct => Legacy::ok("Password hash is correct"),
            HashMatch::Incorrect => Legacy::fail("Password hash is incorrect"),
            HashMatch::UnknownMethod => Legacy::error("Hash for password is undefined"),
        }
    }

    fn json(&self) -> Option<J> {
        Some(json!({"user": self.user, "host": self.host, "method": self.method}))
    }

    fn failure(&self) -> Option<&'static str> {
        match self.verdict {
            HashMatch::Correct => None,
            HashMatch::Incorrect => Some("incorrect_password_hash"),
            HashMatch::UnknownMethod => Some("unknown_hash_method"),
        }
    }
}

impl Render for ChangePassword {
    fn legacy(&self) -> Legacy {
        match self {
            ChangePassword::Changed { jid } => Legacy::ok(format!(
                "Password for user {} successfully changed",
                jid.bare()
            )),
            ChangePassword::Refused { reason, .. } => Legacy::error(refusal_atom(*reason)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            ChangePassword::Changed { jid } => jid_obj(jid),
            ChangePassword::Refused { user, host, .. } => user_host(user, host),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            ChangePassword::Changed { .. } => None,
            ChangePassword::Refused { reason, .. } => Some(refusal_atom(*reason)),
        }
    }
}

impl Render for BanAccount {
    fn legacy(&self) -> Legacy {
        match self {
            BanAccount::Banned { jid, reason, .. } => Legacy::ok(format!(
                "User {} successfully banned with reason: {reason}",
                jid.bare()
            )),
            BanAccount::Refused { reason, .. } => Legacy::error(refusal_atom(*reason)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            BanAccount::Banned {
                jid,
                reason,
                sessions_ended,
            } => json!({"jid": jid.bare(), "reason": reason, "sessions_ended": sessions_ended}),
            BanAccount::Refused { jid, .. } => jid_obj(jid),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            BanAccount::Banned { .. } => None,
            BanAccount::Refused { reason, .. } => Some(refusal_atom(*reason)),
        }
    }
}

impl Render for ActiveUsers {
    fn legacy(&self) -> Legacy {
        Legacy::Int(self.count)
    }

    fn json(&self) -> Option<J> {
        Some(json!({"host": self.host, "days": self.days, "count": self.count}))
    }
}

impl Render for DeletedUsers {
    fn legacy(&self) -> Legacy {
        let prefix = format!("Deleted {} users: ", self.users.len());
        let list = Term::list(
            self.users
                .iter()
                .map(|j| Term::tuple(vec![Term::bin(&j.user), Term::bin(&j.server)])),
        )
        .pretty(prefix.chars().count());
        Legacy::ok(format!("{prefix}{list}"))
    }

    fn json(&self) -> Option<J> {
        let users: Vec<String> = self.users.iter().map(Jid::bare).collect();
        Some(json!({"count": users.len(), "users": users}))
    }
}

fn import_atom(r: ImportResult) -> &'static str {
    match r {
        ImportResult::Ok => "ok",
        ImportResult::Exists => "exists",
        ImportResult::NullPassword => "null_password",
        ImportResult::InvalidJid => "invalid_jid",
        ImportResult::NotAllowed => "not_allowed",
        ImportResult::InvalidPassword => "invalid_password",
    }
}

impl ImportedRow {
    /// The row's `{result, user}` as 5.1 reports it (a bad row's fields joined as `user`).
    fn result_and_user(&self) -> (&'static str, String) {
        match self {
            ImportedRow::User { user, result, .. } => (import_atom(*result), user.clone()),
            ImportedRow::BadCsv { fields, .. } => ("bad_csv", fields.join(",")),
        }
    }
}

/// mongooseimctl deals rows round-robin to this many workers and lists each worker's rows
/// newest-first, worker by worker.
const IMPORT_WORKERS: usize = 10;

impl Render for ImportUsers {
    fn legacy(&self) -> Legacy {
        let rows = &self.rows;
        let mut out = Vec::with_capacity(rows.len());
        for worker in 0..IMPORT_WORKERS {
            let mine: Vec<&ImportedRow> =
                rows.iter().skip(worker).step_by(IMPORT_WORKERS).collect();
            for row in mine.into_iter().rev() {
                let (result, user) = row.result_and_user();
                out.push(Legacy::Tuple(vec![
                    Legacy::Text(result.to_string()),
                    Legacy::Text(user),
                ]));
            }
        }
        Legacy::List(out)
    }

    fn json(&self) -> Option<J> {
        let rows = self.rows.iter().map(|row| {
            let (result, user) = row.result_and_user();
            match row {
                ImportedRow::User { line, host, .. } => {
                    json!({"line": line, "user": user, "host": host, "result": result})
                }
                ImportedRow::BadCsv { line, fields } => {
                    json!({"line": line, "user": user, "fields": fields, "result": result})
                }
            }
        });
        Some(J::Array(rows.collect()))
    }
}
