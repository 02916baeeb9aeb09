//! Group `domain` (service_admin_extra_domain), with our extension command
//! `clean_domain_events`.

use super::{bin, reply, spec, CommandSpec, Group, RESTUPLE};
use crate::services::domain;

/// The extension command that runs the event cleaner explicitly (the automatic run at store
/// opening is skipped for it, so that it reports every event the cleaning removes).
pub const CLEAN_DOMAIN_EVENTS: &str = "clean_domain_events";

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Domain,
        "insert_domain",
        &[bin("domain"), bin("host_type")],
        RESTUPLE,
        &["domain"],
        "Insert a domain",
        |c, a| reply(domain::insert_domain(c, a.text("domain")?, a.text("host_type")?)),
    ),
    spec(
        Group::Domain,
        "delete_domain",
        &[bin("domain"), bin("host_type")],
        RESTUPLE,
        &["domain"],
        "Delete a domain",
        |c, a| reply(domain::delete_domain(c, a.text("domain")?, a.text("host_type")?)),
    )
    .guarded("delete", "account", "accounts"),
    spec(
        Group::Domain,
        "enable_domain",
        &[bin("domain")],
        RESTUPLE,
        &["domain"],
        "Enable a domain",
        |c, a| reply(domain::set_enabled(c, a.text("domain")?, true)),
    ),
    spec(
        Group::Domain,
        "disable_domain",
        &[bin("domain")],
        RESTUPLE,
        &["domain"],
        "Disable a domain",
        |c, a| reply(domain::set_enabled(c, a.text("domain")?, false)),
    ),
    spec(
        Group::Domain,
        CLEAN_DOMAIN_EVENTS,
        &[],
        RESTUPLE,
        &["domain"],
        "Remove old domain events now, as service_domain_db's cleaner does (mongooseimctl extension)",
        |c, _| reply(domain::clean_domain_events(c)),
    )
    .long(
        "Runs the domain event cleaner now, whatever event_cleaning_interval says: records the \
         current highest domain_events id, then deletes the events below the highest id recorded \
         at least event_max_age seconds ago (the newest event is never deleted). The cleaner also \
         runs by itself when a command opens the store and its last run is event_cleaning_interval \
         seconds old. Prints how many events were removed.",
    ),
];
