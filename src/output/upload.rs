//! Rendering of the `upload` group's outcomes.

use serde_json::{json, Map, Value as J};

use super::{Legacy, Render};
use crate::services::upload::HttpUpload;

impl Render for HttpUpload {
    fn legacy(&self) -> Legacy {
        match self {
            // Each line ends with a newline (S3 gives no `Header:` lines); the print adds one
            // more, so the output ends with an empty line.
            HttpUpload::Slot(s) => {
                Legacy::ok(format!("PutURL: {}\nGetURL: {}\n", s.put_url, s.get_url))
            }
            HttpUpload::SizeNotPositive { .. } => Legacy::error("size must be positive integer"),
            HttpUpload::TimeoutNotPositive { .. } => {
                Legacy::error("timeout must be positive integer")
            }
            HttpUpload::NotLoaded { .. } => {
                Legacy::error("mod_http_upload is not loaded for this host")
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            HttpUpload::Slot(s) => {
                let headers: Map<String, J> = s
                    .headers
                    .iter()
                    .map(|(n, v)| (n.clone(), J::from(v.as_str())))
                    .collect();
                json!({
                    "put_url": s.put_url,
                    "get_url": s.get_url,
                    "headers": headers,
                    "signed_at": crate::clock::rfc3339_secs(s.signed_at),
                    "expires": s.expires,
                })
            }
            HttpUpload::SizeNotPositive { size } => json!({"size": size}),
            HttpUpload::TimeoutNotPositive { timeout } => json!({"timeout": timeout}),
            HttpUpload::NotLoaded { domain, host_type } => json!({
                "domain": domain,
                "host_type": host_type,
                "module": "mod_http_upload",
            }),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            HttpUpload::Slot(_) => None,
            HttpUpload::SizeNotPositive { .. } => Some("size_not_positive"),
            HttpUpload::TimeoutNotPositive { .. } => Some("timeout_not_positive"),
            HttpUpload::NotLoaded { .. } => Some("module_not_loaded"),
        }
    }
}
