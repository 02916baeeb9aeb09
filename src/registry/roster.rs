//! Group `roster` (service_admin_extra_roster).

use super::{bin, reply, spec, string, CommandSpec, Group, Named, Ty, RESCODE, RESTUPLE};
use crate::services::{provision, roster};

const PROCESS_LONG: &str = "Explanation of each argument:\n - action: what to do with each rosteritem that matches all the filtering options\n - subs: subscription type\n - asks: pending subscription\n - users: the JIDs of the local user\n - contacts: the JIDs of the contact in the roster\n\nAllowed values in the arguments:\n  ACTION = list | delete\n  SUBS = SUB[:SUB]* | any\n  SUB = none | from | to | both\n  ASKS = ASK[:ASK]* | any\n  ASK = none | out | in\n  USERS = JID[:JID]* | any\n  CONTACTS = JID[:JID]* | any\n  JID = characters valid in a JID, and can use the Regular expression syntax: http://www.erlang.org/doc/man/re.html#id212737\n\nThis example will list roster items with subscription 'none', 'from' or 'to' that have any ask property, of local users which JID is in the virtual host 'example.org' and that the contact JID is either a bare server name (without user part) or that has a user part and the server part contains the word 'icq':\n  list none:from:to any *@example.org *:*@*icq*";

const CONTACT: Named = Named {
    name: "contact",
    ty: Ty::Tuple(&[
        Named {
            name: "jid",
            ty: Ty::Binary,
        },
        Named {
            name: "nick",
            ty: Ty::Binary,
        },
        Named {
            name: "subscription",
            ty: Ty::Binary,
        },
        Named {
            name: "ask",
            ty: Ty::Binary,
        },
        Named {
            name: "group",
            ty: Ty::Binary,
        },
    ]),
};

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Roster,
        "add_rosteritem",
        &[
            bin("localuser"),
            bin("localserver"),
            bin("user"),
            bin("server"),
            bin("nick"),
            bin("group"),
            bin("subs"),
        ],
        RESTUPLE,
        &["roster"],
        "Add an item to a user's roster (supports RDBMS)",
        |c, a| {
            reply({
                roster::add_rosteritem(
                    c,
                    a.text("localuser")?,
                    a.text("localserver")?,
                    a.text("user")?,
                    a.text("server")?,
                    a.text("nick")?,
                    a.text("group")?,
                    a.text("subs")?,
                )
            })
        },
    ),
    spec(
        Group::Roster,
        "delete_rosteritem",
        &[
            bin("localuser"),
            bin("localserver"),
            bin("user"),
            bin("server"),
        ],
        RESTUPLE,
        &["roster"],
        "Delete an item from a user's roster (supports RDBMS)",
        |c, a| {
            reply({
                roster::delete_rosteritem(
                    c,
                    a.text("localuser")?,
                    a.text("localserver")?,
                    a.text("user")?,
                    a.text("server")?,
                )
            })
        },
    ),
    spec(
        Group::Roster,
        "process_rosteritems",
        &[
            string("action"),
            string("subs"),
            string("asks"),
            string("users"),
            string("contacts"),
        ],
        Named {
            name: "res",
            ty: Ty::Binary,
        },
        &["roster"],
        "List or delete rosteritems that match filtering options (Mnesia only!)",
        |c, a| {
            reply({
                roster::process_rosteritems(
                    c,
                    a.text("action")?,
                    a.text("subs")?,
                    a.text("asks")?,
                    a.text("users")?,
                    a.text("contacts")?,
                )
            })
        },
    )
    .long(PROCESS_LONG)
    .guarded("delete", "roster item", "roster items"),
    spec(
        Group::Roster,
        "get_roster",
        &[bin("user"), bin("host")],
        Named {
            name: "contacts",
            ty: Ty::List(&CONTACT),
        },
        &["roster"],
        "Get roster of a local user",
        |c, a| reply(roster::get_roster(c, a.text("user")?, a.text("host")?)),
    ),
    spec(
        Group::Roster,
        "push_roster",
        &[string("file"), bin("user"), bin("host")],
        RESCODE,
        &["roster"],
        "Push template roster from file to a user",
        |c, a| {
            reply(roster::push_roster(
                c,
                a.text("file")?,
                a.text("user")?,
                a.text("host")?,
            ))
        },
    ),
    spec(
        Group::Roster,
        "push_roster_all",
        &[string("file")],
        RESCODE,
        &["roster"],
        "Push template roster from file to all those users",
        |c, a| reply(roster::push_roster_all(c, a.text("file")?)),
    ),
    spec(
        Group::Roster,
        "push_roster_alltoall",
        &[bin("host"), bin("group")],
        RESCODE,
        &["roster"],
        "Add all the users to all the users of Host in Group",
        |c, a| {
            reply(roster::push_roster_alltoall(
                c,
                a.text("host")?,
                a.text("group")?,
            ))
        },
    )
    .guarded("write", "roster item", "roster items"),
    spec(
        Group::Roster,
        "ensure_rosteritem",
        &[
            bin("localuser"),
            bin("localserver"),
            bin("user"),
            bin("server"),
            bin("nick"),
            bin("group"),
            bin("subs"),
        ],
        RESTUPLE,
        &["provisioning"],
        "Add or update a roster item unless it already has these values (mongooseimctl extension)",
        |c, a| {
            reply(provision::ensure_rosteritem(
                c,
                a.text("localuser")?,
                a.text("localserver")?,
                a.text("user")?,
                a.text("server")?,
                a.text("nick")?,
                a.text("group")?,
                a.text("subs")?,
            ))
        },
    )
    .long(
        "Idempotent add_rosteritem (same arguments): writes the item, pushes it to the \
        owner's sessions and bumps the roster version only when it is new or differs in nick, \
        subscription, pending ask or group; an item that already has exactly these values is \
        left alone (\"The item ... is unchanged\", nothing pushed). -o json reports `changed`. \
        SUBS is one of none, from, to, both (`remove` is refused, nothing deleted). \
        Example: mongooseimctl ensure_rosteritem alice localhost bob localhost Bob Friends both",
    ),
];
