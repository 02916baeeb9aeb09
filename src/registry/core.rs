//! Core commands (ejabberd_admin, ejabberd_sm, ejabberd_s2s, mod_auth_token): registered
//! whatever the submods.

use super::{
    bin, int, opt_switch, reply, secret, spec, stream, string, CommandSpec, Group, Named, Ty,
    RESCODE, RESTUPLE,
};
use crate::services::core::{Direction, NodeSubsystem};
use crate::services::{accounts, core, metrics, provision, routing, store, xep0227};

/// The system-metrics commands: they report themselves (or not at all), so the report due
/// at the store's first opening is not run for them.
/// The command that runs a file of command lines (dispatch lets it take `--dry-run`).
pub const BATCH: &str = "batch";
pub const METRICS_COMMANDS: [&str; 2] = ["system_metrics_report", "send_system_metrics"];

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

const OFFLINE_MESSAGES: Named = Named {
    name: "messages",
    ty: Ty::List(&Named {
        name: "message",
        ty: Ty::Tuple(&[
            Named {
                name: "from",
                ty: Ty::String,
            },
            Named {
                name: "timestamp",
                ty: Ty::Integer,
            },
            Named {
                name: "expire",
                ty: Ty::String,
            },
            Named {
                name: "stanza",
                ty: Ty::String,
            },
        ]),
    }),
};

pub const COMMANDS: &[CommandSpec] = &[
    spec(Group::Core, "register", &[bin("host"), secret("password")], RESTUPLE, &["accounts"], "Register a user", |c, a| reply({
        accounts::register(c, a.text("host")?, a.text("password")?)
    })),
    spec(Group::Core,
        "register_identified",
        &[bin("user"), bin("host"), secret("password")],
        RESTUPLE,
        &["accounts"],
        "Register a user with a specific jid",
        |c, a| reply(accounts::register_identified(c, a.text("user")?, a.text("host")?, a.text("password")?)),
    ),
    spec(Group::Core, "unregister", &[bin("user"), bin("host")], RESTUPLE, &["accounts"], "Unregister a user", |c, a| reply({
        accounts::unregister(c, a.text("user")?, a.text("host")?)
    }))
    .guarded("delete", "account", "accounts"),
    spec(Group::Core,
        "registered_users",
        &[bin("host")],
        Named { name: "users", ty: Ty::List(&Named { name: "username", ty: Ty::Binary }) },
        &["accounts"],
        "List all registered users in HOST",
        |c, a| reply(accounts::registered_users(c, a.text("host")?)),
    ),
    spec(Group::Core, "import_users", &[string("file")], USERS_RESULT, &["accounts"], "Import users from CSV file", |c, a| reply({
        accounts::import_users(c, a.text("file")?)
    })),
    spec(Group::Core,
        "delete_expired_messages",
        &[bin("host")],
        RESTUPLE,
        &["purge"],
        "Delete expired offline messages from database",
        |c, a| reply(core::delete_expired_messages(c, a.text("host")?)),
    )
    .guarded("delete", "offline message", "offline messages"),
    spec(Group::Core,
        "delete_old_messages",
        &[bin("host"), int("days")],
        RESTUPLE,
        &["purge"],
        "Delete offline messages older than DAYS",
        |c, a| reply(core::delete_old_messages(c, a.text("host")?, a.int("days")?)),
    )
    .destructive()
    .guarded("delete", "offline message", "offline messages"),
    spec(Group::Core,
        "export_xep0227",
        &[string("file"), bin("host")],
        RESTUPLE,
        &["accounts"],
        "Export HOST's accounts with their data to a XEP-0227 file (mongooseimctl extension)",
        |c, a| reply(xep0227::export_xep0227(c, a.text("file")?, a.text("host")?)),
    ).long("Writes every account of HOST as one XEP-0227 (Portable Import/Export Format) \
        document to FILE (created with mode 0600, replaced if it exists): SCRAM credentials (one \
        <scram-credentials> per hash, so no password is needed) or the plain <password>, the \
        roster (jid, name, subscription, ask, groups), the vCard, the private-storage elements and \
        the offline messages (with a <delay/> stamp). Changes nothing in the store."),
    spec(Group::Core,
        "import_xep0227",
        &[string("file")],
        RESTUPLE,
        &["accounts"],
        "Import accounts with their data from a XEP-0227 file (mongooseimctl extension)",
        |c, a| reply(xep0227::import_xep0227(c, a.text("file")?)),
    ).long("Reads a XEP-0227 document (FILE, or - for stdin; 64 MiB at most): a <server-data> \
        index with inline <host> elements or <xi:include> of host files next to it (as \
        ejabberd's export_piefxis writes), or one <host> file. Creates every user with its \
        credentials (SCRAM kept as is, ejabberd's double-base64 form recognised; a plain \
        <password> hashed per the configuration), roster items, vCard (and its search row), \
        private elements and offline messages, in one transaction. An existing account is left \
        unchanged (result exists). Prints one RESULT USER@HOST line per user. Malformed XML or \
        data: exit 1, nothing written."),
    spec(Group::Core,
        "list_offline_messages",
        &[bin("user"), bin("host")],
        OFFLINE_MESSAGES,
        &["purge"],
        "List a user's offline messages (mongooseimctl extension)",
        |_, a| {
            let jid = accounts::jid_or_crash(a.text("user")?, a.text("host")?)?;
            stream(move |c, row| {
                for m in routing::offline_messages(c, &jid)? {
                    row(&m)?;
                }
                Ok(())
            })
        },
    ).long("Lists the messages stored offline for USER@HOST (mod_offline's offline_message rows), \
        in the order they were stored, expired ones included (until delete_expired_messages \
        removes them): the sender's JID, the time it was stored (microseconds since the epoch, \
        or the stamp of its <delay/>), when it expires (microseconds, from its jabber:x:expire \
        element) or `never`, and the stanza as stored. Nothing for an unknown user or domain. \
        Changes nothing."),
    spec(Group::Core, "get_loglevel", &[], RESTUPLE, &["logs", "server"], "Get the current loglevel", |c, _| reply({
        core::get_loglevel(c)
    })),
    spec(Group::Core, "status", &[], RESTUPLE, &["server"], "Get status of the ejabberd server", |c, _| reply(core::status(c))),
    spec(Group::Core, "restart", &[], RESCODE, &["server"], "Restart ejabberd gracefully", |c, _| reply(core::restart(c))),
    spec(Group::Core,
        "user_resources",
        &[string("user"), string("host")],
        Named { name: "resources", ty: Ty::List(&Named { name: "resource", ty: Ty::Binary }) },
        &["session"],
        "List user's connected resources",
        |c, a| reply(core::user_resources(c, a.text("user")?, a.text("host")?)),
    ),
    spec(Group::Core,
        "incoming_s2s_number",
        &[],
        Named { name: "s2s_incoming", ty: Ty::Integer },
        &["stats", "s2s"],
        "Number of incoming s2s connections on the node",
        |c, _| reply(core::s2s_connections(c, Direction::Incoming)),
    ),
    spec(Group::Core,
        "outgoing_s2s_number",
        &[],
        Named { name: "s2s_outgoing", ty: Ty::Integer },
        &["stats", "s2s"],
        "Number of outgoing s2s connections on the node",
        |c, _| reply(core::s2s_connections(c, Direction::Outgoing)),
    ),
    spec(Group::Core, "revoke_token", &[bin("owner")], RESTUPLE, &["tokens"], "Revoke REFRESH token", |c, a| reply({
        core::revoke_token(c, a.text("owner")?)
    }))
    .needs_module("mod_auth_token"),
    // Node-only (Mnesia / cluster) commands: listed so scripts get a meaningful answer.
    spec(Group::Core,
        "backup",
        &[string("file")],
        RESTUPLE,
        &["mnesia"],
        "Store the database to backup file (only Mnesia)",
        |_, _| reply(core::node_only("backup", NodeSubsystem::Mnesia)),
    ),
    spec(Group::Core,
        "restore",
        &[string("file")],
        RESTUPLE,
        &["mnesia"],
        "Restore the database from backup file (only Mnesia)",
        |_, _| reply(core::node_only("restore", NodeSubsystem::Mnesia)),
    ),
    spec(Group::Core, "dump", &[string("file")], RESTUPLE, &["mnesia"], "Dump the database to text file (only Mnesia)", |_, _| reply({
        core::node_only("dump", NodeSubsystem::Mnesia)
    })),
    spec(Group::Core,
        "dump_table",
        &[string("file"), string("table")],
        RESTUPLE,
        &["mnesia"],
        "Dump a table to text file (only Mnesia)",
        |_, _| reply(core::node_only("dump_table", NodeSubsystem::Mnesia)),
    ),
    spec(Group::Core, "load", &[string("file")], RESTUPLE, &["mnesia"], "Restore the database from text file (only Mnesia)", |_, _| reply({
        core::node_only("load", NodeSubsystem::Mnesia)
    })),
    spec(Group::Core,
        "install_fallback",
        &[string("file")],
        RESTUPLE,
        &["mnesia"],
        "Install the database from a fallback file (only Mnesia)",
        |_, _| reply(core::node_only("install_fallback", NodeSubsystem::Mnesia)),
    ),
    spec(Group::Core,
            "set_master",
            &[string("nodename")],
            RESTUPLE,
            &["mnesia"],
            "Set master node of the clustered Mnesia tables",
            |_, _| reply(core::node_only("set_master", NodeSubsystem::Mnesia)),
        ).long("If you provide as nodename \"self\", this node will be set as its own master."),
    spec(Group::Core,
        "mnesia_change_nodename",
        &[string("oldnodename"), string("newnodename"), string("oldbackup"), string("newbackup")],
        RESTUPLE,
        &["mnesia"],
        "Change the erlang node name in a backup file",
        |_, _| reply(core::node_only("mnesia_change_nodename", NodeSubsystem::Mnesia)),
    ),
    spec(Group::Core,
        "join_cluster",
        &[string("node")],
        RESTUPLE,
        &["server"],
        "Join the node to a cluster. Call it from the joining node.\n                                Use `-f` or `--force` flag to avoid question prompt and force join the node",
        |_, _| reply(core::node_only("join_cluster", NodeSubsystem::Cluster)),
    ),
    spec(Group::Core,
        "leave_cluster",
        &[],
        RESTUPLE,
        &["server"],
        "Leave a cluster. Call it from the node that is going to leave.\n                                Use `-f` or `--force` flag to avoid question prompt and force leave the node from cluster",
        |_, _| reply(core::node_only("leave_cluster", NodeSubsystem::Cluster)),
    ),
    spec(Group::Core,
        "remove_from_cluster",
        &[string("node")],
        RESTUPLE,
        &["server"],
        "Remove dead node from the cluster. Call it from the member of the cluster.\n                                Use `-f` or `--force` flag to avoid question prompt and force remove the node",
        |_, _| reply(core::node_only("remove_from_cluster", NodeSubsystem::Cluster)),
    ),
    spec(Group::Core,
        "init_schema",
        &[],
        RESTUPLE,
        &["server"],
        "Load MongooseIM 5.1's schema into an empty PostgreSQL database (mongooseimctl extension)",
        |c, _| reply(store::init_schema(c)),
    ).long("For a new deployment on PostgreSQL: creates MongooseIM 5.1's tables (users, last, \
        rosterusers, rostergroups, roster_version, vcard, vcard_search, private_storage, \
        offline_message, inbox, auth_token, domain_settings, domain_events, mongoose_cluster_id, \
        with their keys and indexes) and mongooseimctl's own mongooseimctl_* tables in the \
        configured database, in one transaction. Refuses (exit 3) a database that already holds \
        one of MongooseIM's tables: an existing MongooseIM database is never altered. Not for an \
        SQLite store, which creates its schema when first opened (exit 1)."),
    spec(Group::Core,
        "check_store",
        &[],
        RESTUPLE,
        &["server"],
        "Check the store: integrity and consistency (mongooseimctl extension)",
        |c, _| reply(store::check_store(c)),
    ).long("Runs SQLite's integrity check over every page of the store, then checks the data: \
        no rows of a per-user table (last, rosterusers, rostergroups, vcard, vcard_search, \
        private_storage, offline_message, inbox, sessions) without their account, no roster group \
        without its roster item, every password one MongooseIM can verify (plain, or its SCRAM \
        serialisation), every stored vCard and private element parsing as XML. Prints one line per \
        problem (KIND: TABLE: DETAIL) and a summary line. Exit code 0 when no problem is found, \
        1 otherwise; 3 when the store cannot be opened at all (for instance when its first page \
        is damaged). Changes nothing."),
    spec(Group::Core,
        "system_metrics_report",
        &[],
        RESTUPLE,
        &["server"],
        "Print the system-metrics report that would be sent now, without sending it (mongooseimctl extension)",
        |c, _| reply(metrics::system_metrics_report(c)),
    ).long("The transparency tool of service_mongoose_system_metrics: prints the report \
        MongooseIM's collector would send now, one REPORT_NAME<TAB>KEY<TAB>VALUE line per item \
        (values rendered as in the hit lines); -o json adds the tracking ids, the client id, the \
        endpoint, the report file and the hit lines. Works whatever `report` says; a warning on \
        stderr says when nothing would be sent (service absent, report = false, no endpoint). \
        Sends, writes and records nothing."),
    spec(Group::Core,
        "send_system_metrics",
        &[],
        RESTUPLE,
        &["server"],
        "Gather and send the system-metrics report now, and write the report file (mongooseimctl extension)",
        |c, _| reply(metrics::send_system_metrics(c)),
    ).long("Gathers the report of service_mongoose_system_metrics now, whatever initial_report \
        and periodic_report say, records it in the store (the next periodic report counts from \
        now), POSTs the hits to MONGOOSEIMCTL_METRICS_URL (batches of 20, once per tracking id; \
        nothing is sent without it) within 2 s in all, and writes the report file \
        (MONGOOSEIMCTL_METRICS_FILE). Prints a summary line. Exit 1 when the service is not \
        configured or has report = false."),
    spec(Group::Core,
        "batch",
        &[string("file")],
        RESTUPLE,
        &["provisioning"],
        "Run a file of commands in one transaction, one result per line (mongooseimctl extension)",
        |c, a| reply(provision::batch(c, a.text("file")?, a.switch("continue")?)),
    ).options(&[
        opt_switch(
            "continue",
            "go on after a failed line (failed lines change nothing, the others commit); \
             default: stop at the first failed line and roll everything back",
        ),
        opt_switch(
            super::DRY_RUN,
            "run every line and print their results, then roll the whole batch back",
        ),
    ]).long("FILE (`-`: standard input) holds one command per line, written as on the command \
        line, flat or grouped (shell-like quoting: 'single', \"double\", backslash escapes); \
        blank lines and lines starting with # are skipped. Any enabled command whose effects \
        stay in the store may run (register_identified, change_password, add_rosteritem, \
        set_vcard, set_last, import_users FILE, ensure_account, the read commands, ...); \
        refused: a nested batch, the built-ins (status, help, ...), retrieve_personal_data, \
        export_xep0227, system_metrics_report, send_system_metrics, init_schema, check_store, \
        and any word `-` (write passwords and values in the file, and keep it mode 0600). \
        Guarded commands run without a prompt. All lines run in ONE write transaction, each \
        seeing the earlier lines' writes. Prints one line per line run: \
        LINE<TAB>ok|error<TAB>message; -o json gives an array of {line, command, ok, changed, \
        result|error}. Without --continue the first failed line ends the batch and rolls \
        everything back (exit 1, nothing changed). With --continue a failed line is rolled \
        back alone (exit 1) and the others are committed. A store failure ends the batch with \
        nothing changed. --dry-run runs every line and rolls everything back. \
        Example: mongooseimctl batch users.txt --continue"),
];
