//! `-o json`: exactly one JSON document per run (docs/output.md).
//!
//! `{"command": NAME, "ok": true, "result": RESULT}` on success;
//! `{"command": NAME, "ok": false, "error": {"kind": KIND, "message": TEXT, ...}}` on any
//! failure, ours included. RESULT is the outcome's own JSON (every success outcome has one).

use serde_json::{json, Map, Value as J};

use super::{Legacy, Render};
use crate::registry::CommandSpec;

/// The message of a failure outcome: its 5.1 text without the final newline.
fn failure_message(legacy: &Legacy) -> String {
    let mut t = super::text::render(legacy);
    while t.ends_with('\n') {
        t.pop();
    }
    t
}

pub fn render(cmd: &CommandSpec, reply: &dyn Render, legacy: &Legacy) -> String {
    match reply.failure() {
        Some(kind) => error_doc(Some(cmd.name), kind, &failure_message(legacy), reply.json()),
        None => {
            let result = reply.json().unwrap_or(J::Null);
            format!(
                "{}\n",
                json!({"command": cmd.name, "ok": true, "result": result})
            )
        }
    }
}

/// The error document. `details`' fields (if an object) are added to the error object.
pub fn error_doc(command: Option<&str>, kind: &str, message: &str, details: Option<J>) -> String {
    format!(
        "{}\n",
        json!({"command": command, "ok": false, "error": error_object(kind, message, details)})
    )
}

/// The `error` object of a failure document.
pub fn error_object(kind: &str, message: &str, details: Option<J>) -> J {
    let mut err = Map::new();
    err.insert("kind".into(), json!(kind));
    err.insert("message".into(), json!(message));
    if let Some(J::Object(extra)) = details {
        for (k, v) in extra {
            if k != "kind" && k != "message" {
                err.insert(k, v);
            }
        }
    }
    J::Object(err)
}
