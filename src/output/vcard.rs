//! Rendering of the `vcard` group's outcomes (JSON shapes: docs/json/vcard.md).

use serde_json::{json, Map, Value as J};

use super::{no_such_user, user_host, Legacy, Render};
use crate::compat::jid::Jid;
use crate::services::vcard::{Content, FieldPath, GetVcard, SetVcard};

/// `{"jid", "name"[, "subname"]}`: the field of an account a command addresses.
fn field_object(jid: &Jid, field: &FieldPath) -> Map<String, J> {
    let mut m = Map::new();
    m.insert("jid".into(), json!(jid.bare()));
    m.insert("name".into(), json!(field.name));
    if let Some(sub) = &field.subname {
        m.insert("subname".into(), json!(sub));
    }
    m
}

/// The field object with its content: `"value"` (one) or `"values"` (a list).
fn with_content(mut m: Map<String, J>, content: &Content) -> Map<String, J> {
    match content {
        Content::One(v) => m.insert("value".into(), json!(v)),
        Content::Many(vs) => m.insert("values".into(), json!(vs)),
    };
    m
}

impl Render for GetVcard {
    fn legacy(&self) -> Legacy {
        match self {
            GetVcard::Found { content, .. } => match content {
                Content::One(v) => Legacy::Text(v.clone()),
                Content::Many(vs) => Legacy::List(vs.iter().cloned().map(Legacy::Text).collect()),
            },
            GetVcard::NoSuchUser { user, host } => Legacy::error(no_such_user(user, host)),
            GetVcard::NoVcard { .. } => Legacy::error("Vcard not found"),
            GetVcard::ValueNotFound { .. } => Legacy::error("Value not found in vcard"),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            GetVcard::Found {
                jid,
                field,
                content,
            } => J::Object(with_content(field_object(jid, field), content)),
            GetVcard::NoSuchUser { user, host } => user_host(user, host),
            GetVcard::NoVcard { jid } => json!({"jid": jid.bare()}),
            GetVcard::ValueNotFound { jid, field } => J::Object(field_object(jid, field)),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            GetVcard::Found { .. } => None,
            GetVcard::NoSuchUser { .. } => Some("user_not_found"),
            GetVcard::NoVcard { .. } => Some("vcard_not_found"),
            GetVcard::ValueNotFound { .. } => Some("value_not_found"),
        }
    }
}

impl Render for SetVcard {
    fn legacy(&self) -> Legacy {
        match self {
            SetVcard::Set { .. } => Legacy::ok(""),
            SetVcard::NoSuchUser { user, host } => Legacy::fail(no_such_user(user, host)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            SetVcard::Set {
                jid,
                field,
                content,
                stored,
            } => {
                let mut m = with_content(field_object(jid, field), content);
                m.insert("stored".into(), json!(stored));
                J::Object(m)
            }
            SetVcard::NoSuchUser { user, host } => user_host(user, host),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SetVcard::Set { .. } => None,
            SetVcard::NoSuchUser { .. } => Some("user_not_found"),
        }
    }
}
