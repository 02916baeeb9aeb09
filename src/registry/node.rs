//! Group `node` (service_admin_extra_node).

use super::{reply, spec, string, CommandSpec, Group, Named, Ty, RESCODE, RESTUPLE};
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
        |c, _| reply(node::get_cookie(c)),
    ),
    spec(
        Group::Node,
        "remove_node",
        &[string("node")],
        RESCODE,
        &["erlang"],
        "Remove a MongooseIM node from Mnesia clustering config",
        |c, a| reply(node::remove_node(c, a.text("node")?)),
    ),
    spec(
        Group::Node,
        "load_config",
        &[string("file")],
        RESTUPLE,
        &["server"],
        "Validate a MongooseIM TOML config file and report its errors",
        |c, a| reply(node::load_config(c, a.text("file")?)),
    ),
];
