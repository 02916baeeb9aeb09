//! Group `last` (service_admin_extra_last).

use super::{arg, bin, int, CommandSpec, Group, RESTUPLE};
use crate::services::last;

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "set_last",
    group: Group::Last,
    args: &[bin("user"), bin("host"), int("timestamp"), bin("status")],
    result: RESTUPLE,
    tags: &["last"],
    desc: "Set last activity information",
    long_desc: "Timestamp is the seconds since1970-01-01 00:00:00 UTC, for example: date +%s",
    handler: |c, a| {
        last::set_last(
            c,
            arg(a, 0).text(),
            arg(a, 1).text(),
            arg(a, 2).int(),
            arg(a, 3).text(),
        )
    },
}];
