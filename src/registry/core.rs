//! Core commands (ejabberd_admin, ejabberd_sm, ejabberd_s2s, mod_auth_token): registered
//! whatever the submods.

use super::{
    arg, bin, int, secret, spec, string, ArgSpec, CommandSpec, Group, Named, Ty, RESCODE, RESTUPLE,
};
use crate::services::{accounts, core};
use crate::value::Value;

const fn cmd(
    name: &'static str,
    args: &'static [ArgSpec],
    result: Named,
    tags: &'static [&'static str],
    desc: &'static str,
    handler: super::Handler,
) -> CommandSpec {
    spec(Group::Core, name, args, result, tags, desc, handler)
}

const USERS_RESULT: Named = Named {
    name: "users",
    ty: Ty::List(&Named {
        name: "res",
        ty: Ty::Tuple(&[
            Named {
                name: "result",
                ty: Ty::Atom,
            },
            Named {
                name: "user",
                ty: Ty::Binary,
            },
        ]),
    }),
};

pub const COMMANDS: &[CommandSpec] = &[
    cmd("register", &[bin("host"), secret("password")], RESTUPLE, &["accounts"], "Register a user", |c, a| {
        accounts::register(c, arg(a, 0).text(), arg(a, 1).text())
    }),
    cmd(
        "register_identified",
        &[bin("user"), bin("host"), secret("password")],
        RESTUPLE,
        &["accounts"],
        "Register a user with a specific jid",
        |c, a| accounts::register_identified(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text()),
    ),
    cmd("unregister", &[bin("user"), bin("host")], RESTUPLE, &["accounts"], "Unregister a user", |c, a| {
        accounts::unregister(c, arg(a, 0).text(), arg(a, 1).text())
    }),
    cmd(
        "registered_users",
        &[bin("host")],
        Named { name: "users", ty: Ty::List(&Named { name: "username", ty: Ty::Binary }) },
        &["accounts"],
        "List all registered users in HOST",
        |c, a| accounts::registered_users(c, arg(a, 0).text()),
    ),
    cmd("import_users", &[string("file")], USERS_RESULT, &["accounts"], "Import users from CSV file", |c, a| {
        accounts::import_users(c, arg(a, 0).text())
    }),
    cmd(
        "delete_expired_messages",
        &[bin("host")],
        RESTUPLE,
        &["purge"],
        "Delete expired offline messages from database",
        |c, a| core::delete_expired_messages(c, arg(a, 0).text()),
    ),
    cmd(
        "delete_old_messages",
        &[bin("host"), int("days")],
        RESTUPLE,
        &["purge"],
        "Delete offline messages older than DAYS",
        |c, a| core::delete_old_messages(c, arg(a, 0).text(), arg(a, 1).int()),
    ),
    cmd("get_loglevel", &[], RESTUPLE, &["logs", "server"], "Get the current loglevel", |c, _| {
        core::get_loglevel(c)
    }),
    cmd("status", &[], RESTUPLE, &["server"], "Get status of the ejabberd server", |c, _| core::status(c)),
    cmd("restart", &[], RESCODE, &["server"], "Restart ejabberd gracefully", |_, _| Ok(Value::Code(true))),
    cmd(
        "user_resources",
        &[string("user"), string("host")],
        Named { name: "resources", ty: Ty::List(&Named { name: "resource", ty: Ty::Binary }) },
        &["session"],
        "List user's connected resources",
        |c, a| core::user_resources(c, arg(a, 0).text(), arg(a, 1).text()),
    ),
    cmd(
        "incoming_s2s_number",
        &[],
        Named { name: "s2s_incoming", ty: Ty::Integer },
        &["stats", "s2s"],
        "Number of incoming s2s connections on the node",
        |_, _| Ok(Value::Int(0)),
    ),
    cmd(
        "outgoing_s2s_number",
        &[],
        Named { name: "s2s_outgoing", ty: Ty::Integer },
        &["stats", "s2s"],
        "Number of outgoing s2s connections on the node",
        |_, _| Ok(Value::Int(0)),
    ),
    cmd("revoke_token", &[bin("owner")], RESTUPLE, &["tokens"], "Revoke REFRESH token", |c, a| {
        core::revoke_token(c, arg(a, 0).text())
    }),
    // Node-only (Mnesia / cluster) commands: listed so scripts get a meaningful answer.
    cmd(
        "backup",
        &[string("file")],
        RESTUPLE,
        &["mnesia"],
        "Store the database to backup file (only Mnesia)",
        |_, _| core::node_only("backup"),
    ),
    cmd(
        "restore",
        &[string("file")],
        RESTUPLE,
        &["mnesia"],
        "Restore the database from backup file (only Mnesia)",
        |_, _| core::node_only("restore"),
    ),
    cmd("dump", &[string("file")], RESTUPLE, &["mnesia"], "Dump the database to text file (only Mnesia)", |_, _| {
        core::node_only("dump")
    }),
    cmd(
        "dump_table",
        &[string("file"), string("table")],
        RESTUPLE,
        &["mnesia"],
        "Dump a table to text file (only Mnesia)",
        |_, _| core::node_only("dump_table"),
    ),
    cmd("load", &[string("file")], RESTUPLE, &["mnesia"], "Restore the database from text file (only Mnesia)", |_, _| {
        core::node_only("load")
    }),
    cmd(
        "install_fallback",
        &[string("file")],
        RESTUPLE,
        &["mnesia"],
        "Install the database from a fallback file (only Mnesia)",
        |_, _| core::node_only("install_fallback"),
    ),
    cmd(
            "set_master",
            &[string("nodename")],
            RESTUPLE,
            &["mnesia"],
            "Set master node of the clustered Mnesia tables",
            |_, _| core::node_only("set_master"),
        ).long("If you provide as nodename \"self\", this node will be set as its own master."),
    cmd(
        "mnesia_change_nodename",
        &[string("oldnodename"), string("newnodename"), string("oldbackup"), string("newbackup")],
        RESTUPLE,
        &["mnesia"],
        "Change the erlang node name in a backup file",
        |_, _| core::node_only("mnesia_change_nodename"),
    ),
    cmd(
        "join_cluster",
        &[string("node")],
        RESTUPLE,
        &["server"],
        "Join the node to a cluster. Call it from the joining node.\n                                Use `-f` or `--force` flag to avoid question prompt and force join the node",
        |_, _| core::node_only("join_cluster"),
    ),
    cmd(
        "leave_cluster",
        &[],
        RESTUPLE,
        &["server"],
        "Leave a cluster. Call it from the node that is going to leave.\n                                Use `-f` or `--force` flag to avoid question prompt and force leave the node from cluster",
        |_, _| core::node_only("leave_cluster"),
    ),
    cmd(
        "remove_from_cluster",
        &[string("node")],
        RESTUPLE,
        &["server"],
        "Remove dead node from the cluster. Call it from the member of the cluster.\n                                Use `-f` or `--force` flag to avoid question prompt and force remove the node",
        |_, _| core::node_only("remove_from_cluster"),
    ),
];
