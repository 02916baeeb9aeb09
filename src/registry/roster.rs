//! Group `roster` (service_admin_extra_roster).

use super::{arg, bin, string, CommandSpec, Group, Named, Ty, RESCODE, RESTUPLE};
use crate::services::roster;

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
    CommandSpec {
        name: "add_rosteritem",
        group: Group::Roster,
        args: &[
            bin("localuser"),
            bin("localserver"),
            bin("user"),
            bin("server"),
            bin("nick"),
            bin("group"),
            bin("subs"),
        ],
        result: RESTUPLE,
        tags: &["roster"],
        desc: "Add an item to a user's roster (supports RDBMS)",
        long_desc: "",
        handler: |c, a| {
            roster::add_rosteritem(
                c,
                arg(a, 0).text(),
                arg(a, 1).text(),
                arg(a, 2).text(),
                arg(a, 3).text(),
                arg(a, 4).text(),
                arg(a, 5).text(),
                arg(a, 6).text(),
            )
        },
    },
    CommandSpec {
        name: "delete_rosteritem",
        group: Group::Roster,
        args: &[
            bin("localuser"),
            bin("localserver"),
            bin("user"),
            bin("server"),
        ],
        result: RESTUPLE,
        tags: &["roster"],
        desc: "Delete an item from a user's roster (supports RDBMS)",
        long_desc: "",
        handler: |c, a| {
            roster::delete_rosteritem(
                c,
                arg(a, 0).text(),
                arg(a, 1).text(),
                arg(a, 2).text(),
                arg(a, 3).text(),
            )
        },
    },
    CommandSpec {
        name: "process_rosteritems",
        group: Group::Roster,
        args: &[
            string("action"),
            string("subs"),
            string("asks"),
            string("users"),
            string("contacts"),
        ],
        result: Named {
            name: "res",
            ty: Ty::Binary,
        },
        tags: &["roster"],
        desc: "List or delete rosteritems that match filtering options (Mnesia only!)",
        long_desc: PROCESS_LONG,
        handler: |c, a| {
            roster::process_rosteritems(
                c,
                arg(a, 0).text(),
                arg(a, 1).text(),
                arg(a, 2).text(),
                arg(a, 3).text(),
                arg(a, 4).text(),
            )
        },
    },
    CommandSpec {
        name: "get_roster",
        group: Group::Roster,
        args: &[bin("user"), bin("host")],
        result: Named {
            name: "contacts",
            ty: Ty::List(&CONTACT),
        },
        tags: &["roster"],
        desc: "Get roster of a local user",
        long_desc: "",
        handler: |c, a| roster::get_roster(c, arg(a, 0).text(), arg(a, 1).text()),
    },
    CommandSpec {
        name: "push_roster",
        group: Group::Roster,
        args: &[string("file"), bin("user"), bin("host")],
        result: RESCODE,
        tags: &["roster"],
        desc: "Push template roster from file to a user",
        long_desc: "",
        handler: |c, a| {
            roster::push_roster(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text())
        },
    },
    CommandSpec {
        name: "push_roster_all",
        group: Group::Roster,
        args: &[string("file")],
        result: RESCODE,
        tags: &["roster"],
        desc: "Push template roster from file to all those users",
        long_desc: "",
        handler: |c, a| roster::push_roster_all(c, arg(a, 0).text()),
    },
    CommandSpec {
        name: "push_roster_alltoall",
        group: Group::Roster,
        args: &[bin("host"), bin("group")],
        result: RESCODE,
        tags: &["roster"],
        desc: "Add all the users to all the users of Host in Group",
        long_desc: "",
        handler: |c, a| roster::push_roster_alltoall(c, arg(a, 0).text(), arg(a, 1).text()),
    },
];
