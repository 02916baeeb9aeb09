//! Group `stats` (service_admin_extra_stats).

use super::{bin, reply, spec, CommandSpec, Group, Named, Ty};
use crate::services::stats;

const STAT: Named = Named {
    name: "stat",
    ty: Ty::Integer,
};

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Stats,
        "stats",
        &[bin("name")],
        STAT,
        &["stats"],
        "Get statistical value: registeredusers onlineusers onlineusersnode uptimeseconds",
        |c, a| reply(stats::stats(c, a.text("name")?)),
    ),
    spec(
        Group::Stats,
        "stats_host",
        &[bin("name"), bin("host")],
        STAT,
        &["stats"],
        "Get statistical value for this host: registeredusers onlineusers",
        |c, a| reply(stats::stats_host(c, a.text("name")?, a.text("host")?)),
    ),
];
