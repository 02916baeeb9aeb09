//! Help data of the registry (issue 12 item 7): a description of every argument (by name,
//! with per-command overrides) and at least one example invocation of every command. Tests
//! here fail when a command lacks an example or an argument lacks a description, so a new
//! command cannot forget them; `cli::dispatch` tests run every example through the parser.

/// What an argument means, by its name (the same name means the same thing everywhere,
/// unless [`ARG_OVERRIDES`] says otherwise for one command).
pub const ARG_HELP: &[(&str, &str)] = &[
    (
        "action",
        "What to do with each matching item: list or delete",
    ),
    (
        "asks",
        "Pending subscriptions to match: ASK[:ASK]* with ASK none, out or in, or any",
    ),
    ("body", "The message body (quote it if it has spaces)"),
    (
        "contacts",
        "Contact JIDs to match: JID[:JID]* (regular expressions allowed), or any",
    ),
    (
        "content",
        "The field's new value (`-` reads it from standard input)",
    ),
    (
        "contents",
        "The subfield's values, separated by `;` (`-` reads them from standard input)",
    ),
    ("content_type", "The file's MIME type ('' for none)"),
    ("days", "A number of days"),
    ("domain", "A domain (an XMPP host name)"),
    (
        "element",
        "An XML element, e.g. <storage xmlns='storage:bookmarks'/>",
    ),
    ("file", "A file path"),
    ("file_name", "The name of the file to upload"),
    ("from", "The sender's JID"),
    ("group", "A roster group name"),
    ("hashmethod", "The hash method: md5 or sha"),
    ("host", "The account's XMPP domain (a host of the config)"),
    (
        "host_type",
        "A host type of the config (general.host_types)",
    ),
    ("localserver", "The roster owner's domain"),
    ("localuser", "The roster owner's user name"),
    (
        "name",
        "A vCard field name, e.g. FN, NICKNAME, N, ADR, EMAIL",
    ),
    ("newbackup", "The backup file to write"),
    ("newnodename", "The new Erlang node name"),
    (
        "newpass",
        "The new password; `-` reads it from standard input",
    ),
    ("nick", "The contact's nickname in the roster"),
    ("node", "An Erlang node name, e.g. mongooseim@host"),
    ("nodename", "An Erlang node name, e.g. mongooseim@host"),
    ("ns", "The namespace of the element"),
    ("num", "A session number, from 1"),
    ("oldbackup", "The backup file to read"),
    ("oldnodename", "The old Erlang node name"),
    ("owner", "The token owner's JID (user@host)"),
    ("password", "The password; `-` reads it from standard input"),
    ("passwordhash", "The password hash, in hexadecimal"),
    ("path", "The file to write"),
    ("priority", "The presence priority, an integer"),
    ("reason", "A reason, shown to the user"),
    ("resource", "A session's resource"),
    ("server", "The contact's domain"),
    (
        "show",
        "The presence <show/> value: away, chat, dnd, xa, or '' for none",
    ),
    ("size", "The file size in bytes"),
    ("stanza", "An XML stanza (`-` reads it from standard input)"),
    ("status", "A presence status text"),
    ("subject", "The message subject"),
    (
        "subname",
        "A vCard subfield name, e.g. FAMILY (of N), CTRY (of ADR), USERID (of EMAIL)",
    ),
    ("subs", "The subscription: none, from, to or both"),
    ("table", "A Mnesia table name"),
    ("timeout", "How long the URLs stay valid, in seconds"),
    (
        "timestamp",
        "Seconds since 1970-01-01 00:00:00 UTC (e.g. from `date +%s`)",
    ),
    ("to", "The recipient's JID"),
    ("type", "The presence type: available, unavailable, ..."),
    ("user", "The account's user name (the part before @)"),
    ("username", "The account's user name (the part before @)"),
    (
        "users",
        "Owner JIDs to match: JID[:JID]* (regular expressions allowed), or any",
    ),
];

/// Per-command meanings that differ from [`ARG_HELP`]: (command, argument, description).
pub const ARG_OVERRIDES: &[(&str, &str, &str)] = &[
    ("add_rosteritem", "user", "The contact's user name"),
    (
        "add_rosteritem",
        "subs",
        "The subscription: none, from, to, both or remove",
    ),
    ("ensure_rosteritem", "user", "The contact's user name"),
    ("delete_rosteritem", "user", "The contact's user name"),
    (
        "delete_old_users",
        "days",
        "Delete accounts inactive for more than this many days",
    ),
    (
        "delete_old_users_vhost",
        "days",
        "Delete accounts inactive for more than this many days",
    ),
    (
        "delete_old_users_vhost",
        "host",
        "The domain whose accounts are checked",
    ),
    (
        "delete_old_messages",
        "days",
        "Delete offline messages older than this many days",
    ),
    (
        "delete_old_messages",
        "host",
        "The domain whose offline messages are purged",
    ),
    (
        "delete_expired_messages",
        "host",
        "The domain whose offline messages are purged",
    ),
    (
        "num_active_users",
        "days",
        "Count accounts active in the last this many days",
    ),
    (
        "num_active_users",
        "host",
        "The domain whose accounts are counted",
    ),
    (
        "registered_users",
        "host",
        "The domain whose accounts are listed",
    ),
    (
        "connected_users_vhost",
        "host",
        "The domain whose sessions are listed",
    ),
    (
        "status_list_host",
        "host",
        "The domain whose sessions are listed",
    ),
    (
        "status_num_host",
        "host",
        "The domain whose sessions are counted",
    ),
    (
        "status_list",
        "status",
        "The presence show value to match: available, away, chat, dnd, xa",
    ),
    (
        "status_list_host",
        "status",
        "The presence show value to match: available, away, chat, dnd, xa",
    ),
    (
        "status_num",
        "status",
        "The presence show value to match: available, away, chat, dnd, xa",
    ),
    (
        "status_num_host",
        "status",
        "The presence show value to match: available, away, chat, dnd, xa",
    ),
    (
        "set_last",
        "status",
        "The status text of the last logout ('' for none)",
    ),
    (
        "set_presence",
        "priority",
        "The presence priority, an integer as text",
    ),
    (
        "ban_account",
        "reason",
        "Why the account is banned (stored as its kick reason)",
    ),
    (
        "stats",
        "name",
        "registeredusers, onlineusers, onlineusersnode or uptimeseconds",
    ),
    ("stats_host", "name", "registeredusers or onlineusers"),
    ("stats_host", "host", "The domain counted"),
    (
        "push_roster",
        "file",
        "A roster template file (`-` reads standard input)",
    ),
    (
        "push_roster_all",
        "file",
        "A roster template file (`-` reads standard input)",
    ),
    (
        "push_roster_alltoall",
        "host",
        "The domain whose accounts are all added to each other",
    ),
    (
        "push_roster_alltoall",
        "group",
        "The roster group the contacts are put in",
    ),
    (
        "import_users",
        "file",
        "A CSV file of user,host,password lines (`-` reads standard input)",
    ),
    (
        "batch",
        "file",
        "A file of commands, one per line (`-` reads standard input)",
    ),
    (
        "export_xep0227",
        "file",
        "The XEP-0227 file to write (mode 0600, replaced if it exists)",
    ),
    (
        "export_xep0227",
        "host",
        "The domain whose accounts are exported",
    ),
    (
        "import_xep0227",
        "file",
        "A XEP-0227 file (`-` reads standard input)",
    ),
    (
        "retrieve_personal_data",
        "domain",
        "The account's XMPP domain",
    ),
    ("retrieve_personal_data", "path", "The zip file to write"),
    (
        "http_upload",
        "domain",
        "A domain with mod_http_upload enabled",
    ),
    ("insert_domain", "domain", "The dynamic domain to add"),
    ("private_get", "element", "The element's name, e.g. storage"),
    (
        "send_stanza_c2s",
        "resource",
        "The session's resource the stanza comes from",
    ),
    ("kick_session", "reason", "The reason sent to the client"),
    ("load_config", "file", "A config file"),
    ("dump", "file", "The file to write"),
    ("dump_table", "file", "The file to write"),
    ("backup", "file", "The backup file to write"),
    ("restore", "file", "The backup file to read"),
    ("load", "file", "The dump file to read"),
    ("install_fallback", "file", "The backup file to install"),
];

/// Example invocations: (command, its words after the command name). A command may have
/// several rows; every command has at least one. A password is always `-` (stdin).
pub const EXAMPLES: &[(&str, &[&str])] = &[
    // core
    ("register", &["localhost", "-"]),
    ("register_identified", &["carol", "localhost", "-"]),
    ("unregister", &["alice", "localhost"]),
    ("registered_users", &["localhost"]),
    ("import_users", &["users.csv"]),
    ("import_users", &["-"]),
    ("delete_old_messages", &["localhost", "30"]),
    ("delete_expired_messages", &["localhost"]),
    ("revoke_token", &["alice@localhost"]),
    ("status", &[]),
    ("restart", &[]),
    ("check_store", &[]),
    ("init_schema", &[]),
    ("get_loglevel", &[]),
    ("get_cookie", &[]),
    ("incoming_s2s_number", &[]),
    ("outgoing_s2s_number", &[]),
    ("join_cluster", &["mongooseim@node2"]),
    ("leave_cluster", &[]),
    ("remove_from_cluster", &["mongooseim@node2"]),
    ("remove_node", &["mongooseim@node2"]),
    ("set_master", &["mongooseim@node1"]),
    ("backup", &["/var/backups/mim.backup"]),
    ("restore", &["/var/backups/mim.backup"]),
    ("install_fallback", &["/var/backups/mim.backup"]),
    ("dump", &["/tmp/mim.dump"]),
    ("dump_table", &["/tmp/passwd.dump", "passwd"]),
    ("load", &["/tmp/mim.dump"]),
    ("load_config", &["/etc/mongooseim/mongooseim.toml"]),
    (
        "mnesia_change_nodename",
        &[
            "mongooseim@old",
            "mongooseim@new",
            "old.backup",
            "new.backup",
        ],
    ),
    ("send_system_metrics", &[]),
    ("system_metrics_report", &[]),
    ("clean_domain_events", &[]),
    // accounts
    ("change_password", &["alice", "localhost", "-"]),
    (
        "check_password_hash",
        &[
            "alice",
            "localhost",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "md5",
        ],
    ),
    ("delete_old_users", &["365"]),
    ("delete_old_users_vhost", &["localhost", "365"]),
    ("ban_account", &["alice", "localhost", "spam"]),
    ("num_active_users", &["localhost", "30"]),
    ("check_account", &["alice", "localhost"]),
    ("check_password", &["alice", "localhost", "-"]),
    ("ensure_account", &["alice", "localhost", "-"]),
    // sessions
    ("num_resources", &["alice", "localhost"]),
    ("resource_num", &["alice", "localhost", "1"]),
    (
        "kick_session",
        &["alice", "localhost", "phone", "maintenance"],
    ),
    ("status_num_host", &["localhost", "available"]),
    ("status_num", &["away"]),
    ("status_list_host", &["localhost", "available"]),
    ("status_list", &["dnd"]),
    ("connected_users_info", &[]),
    ("connected_users_vhost", &["localhost"]),
    ("user_sessions_info", &["alice", "localhost"]),
    (
        "set_presence",
        &[
            "alice",
            "localhost",
            "phone",
            "available",
            "away",
            "In a meeting",
            "5",
        ],
    ),
    ("user_resources", &["alice", "localhost"]),
    ("close_session", &["alice", "localhost", "phone"]),
    ("open_session", &["alice", "localhost", "phone"]),
    (
        "open_session",
        &[
            "alice",
            "localhost",
            "laptop",
            "--priority",
            "5",
            "--ip",
            "192.0.2.7",
        ],
    ),
    ("list_deliveries", &["alice", "localhost"]),
    ("list_offline_messages", &["alice", "localhost"]),
    (
        "list_deliveries",
        &["alice", "localhost", "--resource", "phone"],
    ),
    // vcard
    ("get_vcard", &["alice", "localhost", "FN"]),
    ("get_vcard2", &["alice", "localhost", "N", "FAMILY"]),
    (
        "get_vcard2_multi",
        &["alice", "localhost", "EMAIL", "USERID"],
    ),
    ("set_vcard", &["alice", "localhost", "FN", "Alice Liddell"]),
    (
        "set_vcard2",
        &["alice", "localhost", "N", "FAMILY", "Liddell"],
    ),
    (
        "set_vcard2_multi",
        &[
            "alice",
            "localhost",
            "EMAIL",
            "USERID",
            "alice@example.com;al@example.org",
        ],
    ),
    // roster
    (
        "add_rosteritem",
        &[
            "alice",
            "localhost",
            "bob",
            "localhost",
            "Bob",
            "Friends",
            "both",
        ],
    ),
    (
        "ensure_rosteritem",
        &[
            "alice",
            "localhost",
            "bob",
            "localhost",
            "Bob",
            "Friends",
            "both",
        ],
    ),
    (
        "delete_rosteritem",
        &["alice", "localhost", "bob", "localhost"],
    ),
    (
        "process_rosteritems",
        &["list", "none:from:to", "any", "*@localhost", "any"],
    ),
    ("get_roster", &["alice", "localhost"]),
    ("push_roster", &["roster.txt", "alice", "localhost"]),
    ("push_roster_all", &["roster.txt"]),
    ("push_roster_alltoall", &["localhost", "Everyone"]),
    // last
    (
        "set_last",
        &["alice", "localhost", "1700000000", "Gone fishing"],
    ),
    // private
    (
        "private_get",
        &["alice", "localhost", "storage", "storage:bookmarks"],
    ),
    (
        "private_set",
        &["alice", "localhost", "<storage xmlns='storage:bookmarks'/>"],
    ),
    ("private_set", &["alice", "localhost", "-"]),
    // stanza
    (
        "send_message_chat",
        &["admin@localhost", "alice@localhost", "Hello Alice"],
    ),
    (
        "send_message_headline",
        &[
            "admin@localhost",
            "alice@localhost",
            "Maintenance",
            "Tonight at 22:00",
        ],
    ),
    (
        "send_stanza_c2s",
        &["alice", "localhost", "phone", "<presence/>"],
    ),
    // stats
    ("stats", &["registeredusers"]),
    ("stats_host", &["onlineusers", "localhost"]),
    // gdpr
    (
        "retrieve_personal_data",
        &["alice", "localhost", "/tmp/alice.zip"],
    ),
    // upload
    (
        "http_upload",
        &["localhost", "photo.jpg", "52133", "image/jpeg", "60"],
    ),
    // domain
    ("insert_domain", &["example.com", "type1"]),
    ("delete_domain", &["example.com", "type1"]),
    ("enable_domain", &["example.com"]),
    ("disable_domain", &["example.com"]),
    // extensions
    ("batch", &["users.txt"]),
    ("batch", &["users.txt", "--continue"]),
    ("export_xep0227", &["/tmp/localhost.xml", "localhost"]),
    ("import_xep0227", &["/tmp/localhost.xml"]),
];

/// The description of argument `arg` of `command`.
pub fn arg_help(command: &str, arg: &str) -> Option<&'static str> {
    ARG_OVERRIDES
        .iter()
        .find(|(c, a, _)| *c == command && *a == arg)
        .map(|(_, _, h)| *h)
        .or_else(|| ARG_HELP.iter().find(|(a, _)| *a == arg).map(|(_, h)| *h))
}

/// The example invocations of `command` (its words after the command name).
pub fn examples(command: &str) -> impl Iterator<Item = &'static [&'static str]> + '_ {
    EXAMPLES
        .iter()
        .filter(move |(c, _)| *c == command)
        .map(|(_, words)| *words)
}

/// One shell word: quoted with `'…'` when it holds anything but safe characters.
pub fn shell_word(w: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-*".contains(c);
    if !w.is_empty() && w.chars().all(safe) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::all;

    #[test]
    fn every_argument_has_a_description() {
        for c in all() {
            for a in c.args {
                assert!(
                    arg_help(c.name, a.name).is_some_and(|h| !h.is_empty()),
                    "argument {} of {} has no description (registry/help.rs ARG_HELP or \
                     ARG_OVERRIDES)",
                    a.name,
                    c.name
                );
            }
        }
    }

    #[test]
    fn every_command_has_an_example() {
        let missing: Vec<&str> = all()
            .filter(|c| examples(c.name).next().is_none())
            .map(|c| c.name)
            .collect();
        assert!(
            missing.is_empty(),
            "commands without an example (registry/help.rs EXAMPLES): {missing:?}"
        );
    }

    #[test]
    fn the_tables_name_only_real_commands_and_arguments() {
        for (c, a, _) in ARG_OVERRIDES {
            let cmd = crate::registry::find(c).unwrap_or_else(|| panic!("override of {c}"));
            assert!(cmd.args.iter().any(|x| x.name == *a), "{c} has no {a}");
        }
        for (c, _) in EXAMPLES {
            assert!(crate::registry::find(c).is_some(), "example of {c}");
        }
        for (a, _) in ARG_HELP {
            assert!(
                all().any(|c| c.args.iter().any(|x| x.name == *a)),
                "no command has an argument {a}"
            );
        }
    }

    #[test]
    fn password_examples_read_stdin() {
        for (c, words) in EXAMPLES {
            let cmd = crate::registry::find(c).expect("a command");
            for (spec, w) in cmd.args.iter().zip(words.iter()) {
                if spec.secret {
                    assert_eq!(*w, "-", "example of {c} gives a literal {}", spec.name);
                }
            }
        }
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("alice@localhost"), "alice@localhost");
        assert_eq!(shell_word("Hello Alice"), "'Hello Alice'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word("<presence/>"), "'<presence/>'");
    }
}
