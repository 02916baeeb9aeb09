//! Group `last` (service_admin_extra_last).

use super::{bin, int, reply, spec, CommandSpec, Group, RESTUPLE};
use crate::services::last;

pub const COMMANDS: &[CommandSpec] = &[spec(
    Group::Last,
    "set_last",
    &[bin("user"), bin("host"), int("timestamp"), bin("status")],
    RESTUPLE,
    &["last"],
    "Set last activity information",
    |c, a| {
        reply({
            last::set_last(
                c,
                a.text("user")?,
                a.text("host")?,
                a.int("timestamp")?,
                a.text("status")?,
            )
        })
    },
)
.long("Timestamp is the seconds since1970-01-01 00:00:00 UTC, for example: date +%s")];
