//! Rendering of the `stats` group's outcomes.

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::services::stats::StatValue;

impl Render for StatValue {
    fn legacy(&self) -> Legacy {
        match self {
            StatValue::Value { value, .. } => Legacy::Int(*value),
            StatValue::WrongName { .. } => Legacy::error("Wrong command name."),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            StatValue::Value {
                stat,
                host: Some(host),
                value,
            } => json!({"name": stat.name(), "host": host, "value": value}),
            StatValue::Value {
                stat,
                host: None,
                value,
            } => json!({"name": stat.name(), "value": value}),
            StatValue::WrongName { name } => json!({"name": name}),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            StatValue::Value { .. } => None,
            StatValue::WrongName { .. } => Some("wrong_command_name"),
        }
    }
}
