//! Group `last` (service_admin_extra_last).

use super::{arg, bin, int, spec, CommandSpec, Group, RESTUPLE};
use crate::services::last;

pub const COMMANDS: &[CommandSpec] = &[spec(
    Group::Last,
    "set_last",
    &[bin("user"), bin("host"), int("timestamp"), bin("status")],
    RESTUPLE,
    &["last"],
    "Set last activity information",
    |c, a| {
        last::set_last(
            c,
            arg(a, 0).text(),
            arg(a, 1).text(),
            arg(a, 2).int(),
            arg(a, 3).text(),
        )
    },
)
.long("Timestamp is the seconds since1970-01-01 00:00:00 UTC, for example: date +%s")];
