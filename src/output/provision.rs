//! Rendering of the provisioning verbs: `ensure_account`, `ensure_rosteritem`, `batch`.

use serde_json::{json, Map, Value as J};

use super::accounts::refusal_atom;
use super::roster::item_json;
use super::{errors, json, user_host, Legacy, Render};
use crate::services::provision::{Batch, EnsureAccount, EnsureItem, LineOutcome};

impl Render for EnsureAccount {
    fn legacy(&self) -> Legacy {
        match self {
            EnsureAccount::Created { jid } => Legacy::ok(format!("User {} created", jid.bare())),
            EnsureAccount::Updated { jid } => {
                Legacy::ok(format!("Password of {} updated", jid.bare()))
            }
            EnsureAccount::Unchanged { jid } => {
                Legacy::ok(format!("User {} unchanged", jid.bare()))
            }
            EnsureAccount::Refused { reason, .. } => Legacy::error(refusal_atom(*reason)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            EnsureAccount::Created { jid } => {
                json!({"jid": jid.bare(), "action": "created", "changed": true})
            }
            EnsureAccount::Updated { jid } => {
                json!({"jid": jid.bare(), "action": "updated", "changed": true})
            }
            EnsureAccount::Unchanged { jid } => {
                json!({"jid": jid.bare(), "action": "unchanged", "changed": false})
            }
            EnsureAccount::Refused { user, host, .. } => user_host(user, host),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            EnsureAccount::Refused { reason, .. } => Some(refusal_atom(*reason)),
            _ => None,
        }
    }
}

impl Render for EnsureItem {
    fn legacy(&self) -> Legacy {
        match self {
            EnsureItem::Written {
                item,
                created: true,
            } => Legacy::ok(format!(
                "Added the item to the roster of {}",
                item.owner.bare()
            )),
            EnsureItem::Written { item, .. } => Legacy::ok(format!(
                "Updated the item {} in the roster of {}",
                item.contact,
                item.owner.bare()
            )),
            EnsureItem::Unchanged(item) => Legacy::ok(format!(
                "The item {} in the roster of {} is unchanged",
                item.contact,
                item.owner.bare()
            )),
            EnsureItem::Failed(f) => f.legacy(),
        }
    }

    fn json(&self) -> Option<J> {
        match self {
            EnsureItem::Written { item, created } => Some(json!({
                "owner": item.owner.bare(),
                "item": item_json(item),
                "action": if *created { "created" } else { "updated" },
                "changed": true,
            })),
            EnsureItem::Unchanged(item) => Some(json!({
                "owner": item.owner.bare(),
                "item": item_json(item),
                "action": "unchanged",
                "changed": false,
            })),
            EnsureItem::Failed(f) => f.json(),
        }
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            EnsureItem::Failed(f) => f.failure(),
            _ => None,
        }
    }
}

/// One line of text: the outcome's message with its line breaks as spaces.
fn one_line(s: &str) -> String {
    s.trim_end().replace('\n', " ")
}

/// A batch line's message (as `-o text` prints it for the command alone, on one line) and,
/// when it failed, its JSON error object.
fn line_message(o: &LineOutcome) -> (String, Option<J>) {
    match o {
        LineOutcome::Error(e) => {
            let m = one_line(&errors::message(e));
            let err = json::error_object(e.kind(), &m, errors::details(e));
            (m, Some(err))
        }
        LineOutcome::Ran(c) => {
            let m = one_line(&c.text);
            let err = c
                .failure
                .map(|kind| json::error_object(kind, &m, c.json.clone()));
            (m, err)
        }
    }
}

impl Batch {
    fn json_lines(&self) -> J {
        let lines = self
            .lines
            .iter()
            .map(|l| {
                let mut obj = Map::new();
                obj.insert("line".into(), json!(l.line));
                obj.insert("command".into(), json!(l.command));
                let (_, err) = line_message(&l.outcome);
                obj.insert("ok".into(), json!(err.is_none()));
                match (err, &l.outcome) {
                    (Some(err), _) => {
                        obj.insert("error".into(), err);
                    }
                    (None, LineOutcome::Ran(c)) => {
                        // `changed` as the command reports it (the provisioning verbs);
                        // null when it does not say; false once rolled back.
                        let reported = c.json.as_ref().and_then(|j| j.get("changed")).cloned();
                        let changed = match reported {
                            Some(J::Bool(b)) => J::Bool(b && !self.rolled_back),
                            _ if self.rolled_back => J::Bool(false),
                            _ => J::Null,
                        };
                        obj.insert("changed".into(), changed);
                        obj.insert("result".into(), c.json.clone().unwrap_or(J::Null));
                    }
                    (None, LineOutcome::Error(_)) => {}
                }
                J::Object(obj)
            })
            .collect();
        J::Array(lines)
    }
}

impl Render for Batch {
    fn legacy(&self) -> Legacy {
        let text: Vec<String> = self
            .lines
            .iter()
            .map(|l| {
                let (m, err) = line_message(&l.outcome);
                let status = if err.is_some() { "error" } else { "ok" };
                let m = if self.rolled_back && err.is_none() {
                    format!("{m} (rolled back)").trim_start().to_string()
                } else {
                    m
                };
                format!("{}\t{status}\t{m}", l.line)
            })
            .collect();
        let text = text.join("\n");
        if self.failed() {
            Legacy::fail(text)
        } else {
            Legacy::ok(text)
        }
    }

    fn json(&self) -> Option<J> {
        if self.failed() {
            Some(json!({"lines": self.json_lines(), "rolled_back": self.rolled_back}))
        } else {
            Some(self.json_lines())
        }
    }

    fn failure(&self) -> Option<&'static str> {
        self.failed().then_some("batch_failed")
    }

    fn warnings(&self) -> Vec<String> {
        if self.rolled_back {
            vec!["the batch stopped at its first failed line: nothing was changed".into()]
        } else {
            Vec::new()
        }
    }
}
