//! Rendering of the `vcard` group's outcomes (JSON shapes: docs/json/vcard.md).

use serde_json::{json, Map, Value as J};

use super::{no_such_user, user_host, Legacy, Render};
use crate::compat::jid::Jid;
use crate::compat::xml::BadName;
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

/// `U+001B`: a character named by its code point (never printed raw: it may be a control).
pub(super) fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Why a name is not an XML name, as a clause: `an XML name cannot be empty`, …
pub(super) fn bad_name(problem: &BadName) -> String {
    match problem {
        BadName::Empty => "an XML name cannot be empty".to_string(),
        BadName::BadStart { position, c } => format!(
            "{} at position {position} cannot start an XML name",
            code_point(*c)
        ),
        BadName::BadChar { position, c } => format!(
            "{} at position {position} is not allowed in an XML name",
            code_point(*c)
        ),
        BadName::Colon { position } => {
            format!("the colon at position {position} does not separate a prefix from a local name")
        }
    }
}

/// The JSON fields of a [`BadName`]: `problem` (`empty`, `bad_start`, `bad_char`, `colon`),
/// and `position`, `character` where they apply.
pub(super) fn bad_name_fields(problem: &BadName, m: &mut Map<String, J>) {
    let (kind, position, c) = match problem {
        BadName::Empty => ("empty", None, None),
        BadName::BadStart { position, c } => ("bad_start", Some(*position), Some(*c)),
        BadName::BadChar { position, c } => ("bad_char", Some(*position), Some(*c)),
        BadName::Colon { position } => ("colon", Some(*position), None),
    };
    m.insert("problem".into(), json!(kind));
    if let Some(p) = position {
        m.insert("position".into(), json!(p));
    }
    if let Some(c) = c {
        m.insert("character".into(), json!(code_point(c)));
    }
}

/// `NAME` or `NAME/SUBNAME`.
fn path(field: &FieldPath) -> String {
    match &field.subname {
        Some(sub) => format!("{}/{sub}", field.name),
        None => field.name.clone(),
    }
}

impl Render for SetVcard {
    fn legacy(&self) -> Legacy {
        match self {
            SetVcard::Set { .. } => Legacy::ok(""),
            SetVcard::NoSuchUser { user, host } => Legacy::fail(no_such_user(user, host)),
            // The name is quoted and escaped (`{:?}`): it may hold controls.
            SetVcard::InvalidName { name, problem } => Legacy::fail(format!(
                "Invalid vCard field name {name:?}: {}",
                bad_name(problem)
            )),
            SetVcard::InvalidValue {
                field,
                index,
                position,
                c,
            } => Legacy::fail(format!(
                "Invalid vCard value for {}{}: {} at position {position} is not an XML 1.0 character",
                path(field),
                index.map(|i| format!(" (value {i})")).unwrap_or_default(),
                code_point(*c)
            )),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            SetVcard::Set {
                jid,
                field,
                content,
                stored,
                repaired,
            } => {
                let mut m = with_content(field_object(jid, field), content);
                m.insert("stored".into(), json!(stored));
                m.insert("repaired".into(), json!(repaired));
                J::Object(m)
            }
            SetVcard::NoSuchUser { user, host } => user_host(user, host),
            SetVcard::InvalidName { name, problem } => {
                let mut m = Map::new();
                m.insert("field".into(), json!(name));
                bad_name_fields(problem, &mut m);
                J::Object(m)
            }
            SetVcard::InvalidValue {
                field,
                index,
                position,
                c,
            } => {
                let mut m = Map::new();
                m.insert("name".into(), json!(field.name));
                if let Some(sub) = &field.subname {
                    m.insert("subname".into(), json!(sub));
                }
                if let Some(i) = index {
                    m.insert("index".into(), json!(i));
                }
                m.insert("position".into(), json!(position));
                m.insert("character".into(), json!(code_point(*c)));
                J::Object(m)
            }
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SetVcard::Set { .. } => None,
            SetVcard::NoSuchUser { .. } => Some("user_not_found"),
            SetVcard::InvalidName { .. } => Some("invalid_vcard_field"),
            SetVcard::InvalidValue { .. } => Some("invalid_xml_value"),
        }
    }
}
