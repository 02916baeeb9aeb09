//! Rendering of the `node` group's outcomes (`remove_node`'s [`NoEffect`] is in `core.rs`).

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::services::node::{ConfigValid, Cookie};

impl Render for Cookie {
    fn legacy(&self) -> Legacy {
        Legacy::Text(self.cookie.clone())
    }

    fn json(&self) -> Option<J> {
        Some(json!({"cookie": self.cookie}))
    }
}

impl Render for ConfigValid {
    fn legacy(&self) -> Legacy {
        Legacy::ok(format!("Config file {} is valid", self.file.display()))
    }

    fn json(&self) -> Option<J> {
        Some(json!({"file": self.file.display().to_string(), "valid": true}))
    }
}
