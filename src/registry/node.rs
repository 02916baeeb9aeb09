//! Group `node` (service_admin_extra_node).

use super::{arg, string, CommandSpec, Group, Named, Ty, RESCODE, RESTUPLE};
use crate::services::node;

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get_cookie",
        group: Group::Node,
        args: &[],
        result: Named {
            name: "cookie",
            ty: Ty::String,
        },
        tags: &["erlang"],
        desc: "Get the Erlang cookie of this node",
        long_desc: "",
        handler: |c, _| node::get_cookie(c),
    },
    CommandSpec {
        name: "remove_node",
        group: Group::Node,
        args: &[string("node")],
        result: RESCODE,
        tags: &["erlang"],
        desc: "Remove a MongooseIM node from Mnesia clustering config",
        long_desc: "",
        handler: |c, a| node::remove_node(c, arg(a, 0).text()),
    },
    CommandSpec {
        name: "load_config",
        group: Group::Node,
        args: &[string("file")],
        result: RESTUPLE,
        tags: &["server"],
        desc: "Validate a MongooseIM TOML config file and report its errors",
        long_desc: "",
        handler: |c, a| node::load_config(c, arg(a, 0).text()),
    },
];
