//! Rendering of the `domain` group's outcomes (services.md §4.5's texts).

use serde_json::{json, Value as J};

use super::vcard::code_point;
use super::{Legacy, Render};
use crate::services::domain::{
    CleanEvents, Cleaning, Deleted, DomainOutcome, Inserted, InvalidDomain, Refusal, Toggled,
};

/// The `Done` part of a domain outcome.
trait Done {
    fn text(&self) -> &'static str;
    fn json(&self) -> J;
}

impl Done for Inserted {
    fn text(&self) -> &'static str {
        "Added"
    }
    fn json(&self) -> J {
        json!({
            "domain": self.domain,
            "host_type": self.host_type,
            "inserted": self.inserted,
            "enabled": self.enabled,
        })
    }
}

impl Done for Deleted {
    fn text(&self) -> &'static str {
        "Deleted"
    }
    fn json(&self) -> J {
        json!({
            "domain": self.domain,
            "host_type": self.host_type,
            "deleted": self.row_deleted,
            "accounts_removed": self.purged.accounts,
            "sessions_ended": self.purged.sessions,
        })
    }
}

impl Done for Toggled {
    fn text(&self) -> &'static str {
        if self.enabled {
            "enabled"
        } else {
            "disabled"
        }
    }
    fn json(&self) -> J {
        json!({
            "domain": self.domain,
            "host_type": self.host_type,
            "enabled": self.enabled,
            "changed": self.changed,
            "sessions_ended": self.sessions_ended,
        })
    }
}

/// 5.1's `{error, …}` text of a refusal.
fn refusal_text(why: &Refusal) -> &'static str {
    match why {
        Refusal::Static => "Domain is static",
        Refusal::UnknownHostType => "Unknown host type",
        Refusal::ServiceDisabled => "Service disabled",
        Refusal::Duplicate { .. } => "Domain already exists",
        Refusal::WrongHostType { .. } => "Wrong host type",
        Refusal::NotFound => "Domain not found",
        Refusal::DatabaseError { .. } => "Database error",
    }
}

fn refusal_kind(why: &Refusal) -> &'static str {
    match why {
        Refusal::Static => "domain_static",
        Refusal::UnknownHostType => "unknown_host_type",
        Refusal::ServiceDisabled => "service_disabled",
        Refusal::Duplicate { .. } => "domain_exists",
        Refusal::WrongHostType { .. } => "wrong_host_type",
        Refusal::NotFound => "domain_not_found",
        Refusal::DatabaseError { .. } => "database_error",
    }
}

/// The refusal's own JSON fields (beside the domain and host type).
fn refusal_fields(why: &Refusal, into: &mut serde_json::Map<String, J>) {
    match why {
        Refusal::Duplicate { stored } | Refusal::WrongHostType { stored } => {
            into.insert("stored_host_type".into(), json!(stored));
        }
        Refusal::DatabaseError { detail } => {
            into.insert("reason".into(), json!(detail));
        }
        _ => {}
    }
}

/// Our text for a refused domain name (an `Error: "…"` line, as the group's other failures).
fn invalid_text(why: &InvalidDomain) -> String {
    match why {
        InvalidDomain::Empty => "Invalid domain name: it is empty".to_string(),
        InvalidDomain::TooLong { bytes } => {
            format!("Invalid domain name: {bytes} bytes long, the limit is 1023")
        }
        InvalidDomain::Nameprep {
            position: Some(p),
            c: Some(c),
        } => format!(
            "Invalid domain name: {} at position {p} is not allowed by nameprep",
            code_point(*c)
        ),
        InvalidDomain::Nameprep { .. } => {
            "Invalid domain name: it breaks nameprep's bidirectional text rule".to_string()
        }
    }
}

fn invalid_json(domain: &str, why: &InvalidDomain) -> J {
    match why {
        InvalidDomain::Empty => json!({"domain": domain, "reason": "empty"}),
        InvalidDomain::TooLong { bytes } => {
            json!({"domain": domain, "reason": "too_long", "bytes": bytes})
        }
        InvalidDomain::Nameprep {
            position: Some(p),
            c: Some(c),
        } => json!({"domain": domain, "reason": "prohibited_character", "position": p,
                    "character": code_point(*c)}),
        InvalidDomain::Nameprep { .. } => json!({"domain": domain, "reason": "bidi"}),
    }
}

impl<T: Done> Render for DomainOutcome<T> {
    fn legacy(&self) -> Legacy {
        match self {
            DomainOutcome::Done(d) => Legacy::ok(d.text()),
            DomainOutcome::Refused { why, .. } => Legacy::error(refusal_text(why)),
            DomainOutcome::Invalid { why, .. } => Legacy::error(invalid_text(why)),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            DomainOutcome::Done(d) => d.json(),
            DomainOutcome::Refused {
                domain,
                host_type,
                why,
            } => {
                let mut m = serde_json::Map::new();
                m.insert("domain".into(), json!(domain));
                if let Some(ht) = host_type {
                    m.insert("host_type".into(), json!(ht));
                }
                refusal_fields(why, &mut m);
                J::Object(m)
            }
            DomainOutcome::Invalid { domain, why } => invalid_json(domain, why),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            DomainOutcome::Done(_) => None,
            DomainOutcome::Refused { why, .. } => Some(refusal_kind(why)),
            DomainOutcome::Invalid { .. } => Some("invalid_domain"),
        }
    }

    fn warnings(&self) -> Vec<String> {
        match self {
            DomainOutcome::Refused {
                why: Refusal::DatabaseError { detail },
                ..
            } => vec![format!("the store failed (nothing was changed): {detail}")],
            _ => Vec::new(),
        }
    }
}

fn cleaning_json(c: &Cleaning) -> J {
    json!({
        "removed": c.removed,
        "max_id": c.max_id,
        "removed_below": c.below,
        "pending_observations": c.pending,
    })
}

impl Render for CleanEvents {
    fn legacy(&self) -> Legacy {
        match self {
            CleanEvents::Done(c) => Legacy::ok(match c.removed {
                1 => "Removed 1 domain event".to_string(),
                n => format!("Removed {n} domain events"),
            }),
            CleanEvents::Refused(why) => Legacy::error(refusal_text(why)),
        }
    }

    fn json(&self) -> Option<J> {
        match self {
            CleanEvents::Done(c) => Some(cleaning_json(c)),
            CleanEvents::Refused(why) => {
                let mut m = serde_json::Map::new();
                refusal_fields(why, &mut m);
                (!m.is_empty()).then_some(J::Object(m))
            }
        }
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            CleanEvents::Done(_) => None,
            CleanEvents::Refused(why) => Some(refusal_kind(why)),
        }
    }

    fn warnings(&self) -> Vec<String> {
        match self {
            CleanEvents::Refused(Refusal::DatabaseError { detail }) => {
                vec![format!("the store failed (nothing was changed): {detail}")]
            }
            _ => Vec::new(),
        }
    }
}
