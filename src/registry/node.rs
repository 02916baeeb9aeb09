//! Group `node` (service_admin_extra_node).

use super::{arg, spec, string, CommandSpec, Group, Named, Ty, RESCODE, RESTUPLE};
use crate::services::node;

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Node,
        "get_cookie",
        &[],
        Named {
            name: "cookie",
            ty: Ty::String,
        },
        &["erlang"],
        "Get the Erlang cookie of this node",
        |c, _| node::get_cookie(c),
    ),
    spec(
        Group::Node,
        "remove_node",
        &[string("node")],
        RESCODE,
        &["erlang"],
        "Remove a MongooseIM node from Mnesia clustering config",
        |c, a| node::remove_node(c, arg(a, 0).text()),
    ),
    spec(
        Group::Node,
        "load_config",
        &[string("file")],
        RESTUPLE,
        &["server"],
        "Validate a MongooseIM TOML config file and report its errors",
        |c, a| node::load_config(c, arg(a, 0).text()),
    ),
];
