//! `-o json`: one JSON document per run (documented in docs/output.md).
//!
//! `{"command": NAME, "ok": BOOL, "result": RESULT}` on success, or
//! `{"command": NAME, "ok": false, "error": TEXT}` on failure. RESULT follows the declared
//! result type: restuple → its message string, rescode → null, integer → number,
//! binary/string/atom → string, list → array, tuple → object keyed by the tuple's field names.

use serde_json::{json, Map, Value as J};

use crate::registry::{CommandSpec, Named, Ty};
use crate::value::Value;

fn convert(ty: &Ty, value: &Value) -> J {
    match (ty, value) {
        (_, Value::Int(i)) => json!(i),
        (_, Value::Text(s)) => json!(s),
        (Ty::List(elem), Value::List(items)) => {
            J::Array(items.iter().map(|v| convert(&elem.ty, v)).collect())
        }
        (Ty::Tuple(fields), Value::Tuple(vals)) => {
            let mut m = Map::new();
            for (f, v) in fields.iter().zip(vals) {
                m.insert(f.name.to_string(), convert(&f.ty, v));
            }
            J::Object(m)
        }
        (_, Value::List(items)) => {
            J::Array(items.iter().map(|v| convert(&Ty::Binary, v)).collect())
        }
        (_, Value::Tuple(vals)) => J::Array(vals.iter().map(|v| convert(&Ty::Binary, v)).collect()),
        (_, Value::Res { text, .. }) => json!(text),
        (_, Value::Code(_)) => J::Null,
        (_, Value::Error(e)) => json!(e),
    }
}

pub fn render(cmd: &CommandSpec, value: &Value) -> String {
    let doc = match value {
        Value::Res { ok: false, text } => json!({"command": cmd.name, "ok": false, "error": text}),
        Value::Error(e) => json!({"command": cmd.name, "ok": false, "error": e}),
        Value::Code(ok) => json!({"command": cmd.name, "ok": ok, "result": J::Null}),
        v => {
            let Named { ty, .. } = &cmd.result;
            json!({"command": cmd.name, "ok": true, "result": convert(ty, v)})
        }
    };
    format!("{doc}\n")
}

pub fn failure(command: &str, text: &str) -> String {
    format!(
        "{}\n",
        json!({"command": command, "ok": false, "error": text})
    )
}
