//! `-o json`: exactly one JSON document per run (docs/output.md).
//!
//! `{"command": NAME, "ok": true, "result": RESULT}` on success;
//! `{"command": NAME, "ok": false, "error": {"kind": KIND, "message": TEXT, ...}}` on any
//! failure, ours included. RESULT is the outcome's own JSON; where an outcome has none, it is
//! derived from the 5.1 result and the declared type: restuple → its message string, rescode →
//! null, integer → number, binary/string/atom → string, list → array, tuple → object keyed by
//! the tuple's field names.

use serde_json::{json, Map, Value as J};

use super::{Legacy, Render};
use crate::registry::{CommandSpec, Ty};

fn convert(ty: &Ty, value: &Legacy) -> J {
    match (ty, value) {
        (_, Legacy::Int(i)) => json!(i),
        (_, Legacy::Text(s)) => json!(s),
        (Ty::List(elem), Legacy::List(items)) => {
            J::Array(items.iter().map(|v| convert(&elem.ty, v)).collect())
        }
        (Ty::Tuple(fields), Legacy::Tuple(vals)) => {
            let mut m = Map::new();
            for (f, v) in fields.iter().zip(vals) {
                m.insert(f.name.to_string(), convert(&f.ty, v));
            }
            J::Object(m)
        }
        (_, Legacy::List(items)) => {
            J::Array(items.iter().map(|v| convert(&Ty::Binary, v)).collect())
        }
        (_, Legacy::Tuple(vals)) => {
            J::Array(vals.iter().map(|v| convert(&Ty::Binary, v)).collect())
        }
        (_, Legacy::Res { text, .. }) => json!(text),
        (_, Legacy::Code(_)) => J::Null,
        (_, Legacy::Error(e)) => json!(e),
    }
}

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
            let result = reply
                .json()
                .unwrap_or_else(|| convert(&cmd.result.ty, legacy));
            format!(
                "{}\n",
                json!({"command": cmd.name, "ok": true, "result": result})
            )
        }
    }
}

/// The error document. `details`' fields (if an object) are added to the error object.
pub fn error_doc(command: Option<&str>, kind: &str, message: &str, details: Option<J>) -> String {
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
    format!(
        "{}\n",
        json!({"command": command, "ok": false, "error": J::Object(err)})
    )
}
