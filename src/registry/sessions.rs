//! Group `sessions` (service_admin_extra_sessions), with our extension commands
//! `open_session`, `close_session` and `list_deliveries`.

use super::{
    bin, int, opt_int, opt_text, reply, spec, stream, CommandSpec, Group, Named, Ty, RESCODE,
    RESTUPLE,
};
use crate::services::sessions::{self, OpenFlags};

const fn field(name: &'static str, ty: Ty) -> Named {
    Named { name, ty }
}

/// `sessions::{jid, connection, ip, port, priority, node, uptime}`.
const SESSION: Named = Named {
    name: "sessions",
    ty: Ty::Tuple(&[
        field("jid", Ty::String),
        field("connection", Ty::String),
        field("ip", Ty::String),
        field("port", Ty::Integer),
        field("priority", Ty::Integer),
        field("node", Ty::String),
        field("uptime", Ty::Integer),
    ]),
};

/// `users::[userstatus::{user, host, resource, priority, status}]`.
const USERSTATUS_LIST: Named = Named {
    name: "users",
    ty: Ty::List(&Named {
        name: "userstatus",
        ty: Ty::Tuple(&[
            field("user", Ty::String),
            field("host", Ty::String),
            field("resource", Ty::String),
            field("priority", Ty::Integer),
            field("status", Ty::String),
        ]),
    }),
};

/// `deliveries::[delivery::{to, from, delivered_at, stanza}]` (our extension).
const DELIVERIES: Named = Named {
    name: "deliveries",
    ty: Ty::List(&Named {
        name: "delivery",
        ty: Ty::Tuple(&[
            field("to", Ty::String),
            field("from", Ty::String),
            field("delivered_at", Ty::Integer),
            field("stanza", Ty::String),
        ]),
    }),
};

const fn sessions_list(name: &'static str) -> Named {
    Named {
        name,
        ty: Ty::List(&SESSION),
    }
}

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Sessions,
        "num_resources",
        &[bin("user"), bin("host")],
        field("resources", Ty::Integer),
        &["session"],
        "Get the number of resources of a user",
        |c, a| reply(sessions::num_resources(c, a.text("user")?, a.text("host")?)),
    ),
    spec(
        Group::Sessions,
        "resource_num",
        &[bin("user"), bin("host"), int("num")],
        field("resource", Ty::Binary),
        &["session"],
        "Resource string of a session number",
        |c, a| {
            reply(sessions::resource_num(
                c,
                a.text("user")?,
                a.text("host")?,
                a.int("num")?,
            ))
        },
    ),
    spec(
        Group::Sessions,
        "kick_session",
        &[bin("user"), bin("host"), bin("resource"), bin("reason")],
        RESCODE,
        &["session"],
        "Kick a user session",
        |c, a| {
            reply(sessions::kick_session(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("resource")?,
                a.text("reason")?,
            ))
        },
    ),
    spec(
        Group::Sessions,
        "status_num_host",
        &[bin("host"), bin("status")],
        field("users", Ty::Integer),
        &["session", "stats"],
        "Number of logged users with this status in host",
        |c, a| {
            reply(sessions::status_num(
                c,
                Some(a.text("host")?),
                a.text("status")?,
            ))
        },
    ),
    spec(
        Group::Sessions,
        "status_num",
        &[bin("status")],
        field("users", Ty::Integer),
        &["session", "stats"],
        "Number of logged users with this status",
        |c, a| reply(sessions::status_num(c, None, a.text("status")?)),
    ),
    spec(
        Group::Sessions,
        "status_list_host",
        &[bin("host"), bin("status")],
        USERSTATUS_LIST,
        &["session"],
        "List of users logged in host with their statuses",
        |_, a| {
            let host = a.text("host")?.to_string();
            let status = a.text("status")?.to_string();
            stream(move |ctx, row| {
                sessions::status_list(ctx, Some(&host), &status, &mut |s| row(s))
            })
        },
    ),
    spec(
        Group::Sessions,
        "status_list",
        &[bin("status")],
        USERSTATUS_LIST,
        &["session"],
        "List of logged users with this status",
        |_, a| {
            let status = a.text("status")?.to_string();
            stream(move |ctx, row| sessions::status_list(ctx, None, &status, &mut |s| row(s)))
        },
    ),
    spec(
        Group::Sessions,
        "connected_users_info",
        &[],
        sessions_list("connected_users_info"),
        &["session"],
        "List all established sessions and their information",
        |_, _| stream(|ctx, row| sessions::connected_users(ctx, None, &mut |s| row(s))),
    ),
    spec(
        Group::Sessions,
        "connected_users_vhost",
        &[bin("host")],
        sessions_list("connected_users_vhost"),
        &["session"],
        "Get the list of established sessions in a vhost",
        |_, a| {
            let host = a.text("host")?.to_string();
            stream(move |ctx, row| sessions::connected_users(ctx, Some(&host), &mut |s| row(s)))
        },
    ),
    spec(
        Group::Sessions,
        "user_sessions_info",
        &[bin("user"), bin("host")],
        sessions_list("user_sessions_info"),
        &["session"],
        "Get information about all sessions of a user",
        |c, a| {
            reply(sessions::user_sessions_info(
                c,
                a.text("user")?,
                a.text("host")?,
            ))
        },
    ),
    spec(
        Group::Sessions,
        "set_presence",
        &[
            bin("user"),
            bin("host"),
            bin("resource"),
            bin("type"),
            bin("show"),
            bin("status"),
            bin("priority"),
        ],
        RESCODE,
        &["session"],
        "Set presence of a session",
        |c, a| {
            reply(sessions::set_presence(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("resource")?,
                a.text("type")?,
                a.text("show")?,
                a.text("status")?,
                a.text("priority")?,
            ))
        },
    ),
    spec(
        Group::Sessions,
        "open_session",
        &[bin("user"), bin("host"), bin("resource")],
        RESTUPLE,
        &["session"],
        "Record a client login: open a session of an existing account (mongooseimctl extension)",
        |c, a| {
            let flags = OpenFlags {
                priority: a.opt_int("priority")?,
                ip: a.opt_text("ip")?,
                port: a.opt_int("port")?,
                connection: a.opt_text("connection")?,
            };
            reply(sessions::open_session(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("resource")?,
                &flags,
            ))
        },
    )
    .options(&[
        opt_int(
            "priority",
            "Start with an available presence of this priority (-128..127); default: no presence",
        ),
        opt_text("ip", "The client's IP address (default 127.0.0.1)"),
        opt_int("port", "The client's port, 0..65535 (default 0)"),
        opt_text(
            "connection",
            "c2s, c2s_tls, c2s_compressed, c2s_compressed_tls or unknown (default c2s)",
        ),
    ]),
    spec(
        Group::Sessions,
        "close_session",
        &[bin("user"), bin("host"), bin("resource")],
        RESTUPLE,
        &["session"],
        "Record a client logout: close a session (mongooseimctl extension)",
        |c, a| {
            reply(sessions::close_session(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("resource")?,
            ))
        },
    ),
    spec(
        Group::Sessions,
        "list_deliveries",
        &[bin("user"), bin("host")],
        DELIVERIES,
        &["session"],
        "List the stanzas delivered to a user's sessions (mongooseimctl extension)",
        |_, a| {
            let user = a.text("user")?.to_string();
            let host = a.text("host")?.to_string();
            let resource = a.opt_text("resource")?.map(str::to_string);
            stream(move |ctx, row| {
                sessions::list_deliveries(ctx, &user, &host, resource.as_deref(), &mut |d| row(d))
            })
        },
    )
    .options(&[opt_text(
        "resource",
        "Only what this resource received (default: every resource of the account)",
    )]),
];
