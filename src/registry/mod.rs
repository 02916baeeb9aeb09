//! The command registry: every command of mongooseimctl 5.1 we implement, as static data.
//! It is the single source for the clap tree, dispatch, legacy help, completions, man pages
//! and the command reference; the config only filters it.

pub mod accounts;
pub mod core;
pub mod domain;
pub mod gdpr;
pub mod help;
pub mod last;
pub mod node;
pub mod private;
pub mod roster;
pub mod sessions;
pub mod stanza;
pub mod stats;
pub mod types;
pub mod upload;
pub mod vcard;

pub use types::*;

use crate::config::Config;
use crate::error::Result;

/// The group table: every group, in the order of `help` listings. `Group::spec` indexes it
/// by the enum's discriminant; a test checks the table and the enum agree.
pub static GROUPS: [GroupSpec; 13] = [
    GroupSpec {
        group: Group::Core,
        name: "core",
        about: "Always available: registration, import/export, purges, status, store tools",
        commands: core::COMMANDS,
    },
    GroupSpec {
        group: Group::Node,
        name: "node",
        about: "Node: Erlang cookie, node removal, config reload (submod node)",
        commands: node::COMMANDS,
    },
    GroupSpec {
        group: Group::Accounts,
        name: "accounts",
        about: "Account management: passwords, bans, inactive users (submod accounts)",
        commands: accounts::COMMANDS,
    },
    GroupSpec {
        group: Group::Sessions,
        name: "sessions",
        about: "Sessions and presence: count, list, kick, set presence (submod sessions)",
        commands: sessions::COMMANDS,
    },
    GroupSpec {
        group: Group::Vcard,
        name: "vcard",
        about: "vCard (XEP-0054) fields: read and set FN, N FAMILY, EMAIL USERID... (submod vcard)",
        commands: vcard::COMMANDS,
    },
    GroupSpec {
        group: Group::Roster,
        name: "roster",
        about: "Rosters: items, bulk pushes, filters (submod roster)",
        commands: roster::COMMANDS,
    },
    GroupSpec {
        group: Group::Last,
        name: "last",
        about: "Last activity: set a user's last logout time and status (submod last)",
        commands: last::COMMANDS,
    },
    GroupSpec {
        group: Group::Private,
        name: "private",
        about: "Private XML storage (XEP-0049): read and write a user's elements (submod private)",
        commands: private::COMMANDS,
    },
    GroupSpec {
        group: Group::Stanza,
        name: "stanza",
        about: "Sending chat and headline messages and raw stanzas to users (submod stanza)",
        commands: stanza::COMMANDS,
    },
    GroupSpec {
        group: Group::Stats,
        name: "stats",
        about: "Statistics: registered and online user counts, uptime (submod stats)",
        commands: stats::COMMANDS,
    },
    GroupSpec {
        group: Group::Gdpr,
        name: "gdpr",
        about: "Personal data (GDPR): export everything stored about a user to a zip (submod gdpr)",
        commands: gdpr::COMMANDS,
    },
    GroupSpec {
        group: Group::Upload,
        name: "upload",
        about: "HTTP file upload (XEP-0363): create upload and download URLs (submod upload)",
        commands: upload::COMMANDS,
    },
    GroupSpec {
        group: Group::Domain,
        name: "domain",
        about: "Dynamic domains: add, delete, enable, disable (submod domain)",
        commands: domain::COMMANDS,
    },
];

/// Groups whose commands come with later issues; every other group must have commands (a
/// test fails otherwise, so a group cannot be forgotten).
pub const PENDING_GROUPS: [Group; 0] = [];

/// The value arguments that read standard input when given as `-` (issue 12 item 4; the
/// file arguments of import_users and push_roster* do so in the services): at most one per
/// command, so that stdin is never split between two arguments.
pub const STDIN_VALUES: &[(&str, &str)] = &[
    ("private_set", "element"),
    ("set_vcard", "content"),
    ("set_vcard2", "content"),
    ("set_vcard2_multi", "contents"),
    ("send_stanza_c2s", "stanza"),
];

/// Whether argument `arg` of `command` reads stdin when given as `-` ([`STDIN_VALUES`]).
pub fn reads_stdin(command: &str, arg: &str) -> bool {
    STDIN_VALUES.iter().any(|&(c, a)| c == command && a == arg)
}

/// The name of the option a command declares (an [`OptSpec`] switch) to run in the store's
/// trial mode like the guarded commands' `--dry-run` (`batch`).
pub const DRY_RUN: &str = "dry-run";

/// The commands that never write to the store (issue 12 item 8): given an explicit `--store`
/// path (or `MONGOOSEIM_STORE`) that does not exist, they fail with exit 3 instead of creating
/// an empty store there, so that a mistyped path is noticed. Every other command creates the
/// store as before. A test checks that each name is a command.
pub const READ_ONLY: &[&str] = &[
    "registered_users",
    "list_offline_messages",
    "status",
    "user_resources",
    "incoming_s2s_number",
    "outgoing_s2s_number",
    "check_store",
    "check_password_hash",
    "num_active_users",
    "check_account",
    "check_password",
    "num_resources",
    "resource_num",
    "status_num_host",
    "status_num",
    "status_list_host",
    "status_list",
    "connected_users_info",
    "connected_users_vhost",
    "user_sessions_info",
    "list_deliveries",
    "get_vcard",
    "get_vcard2",
    "get_vcard2_multi",
    "get_roster",
    "private_get",
    "stats",
    "stats_host",
    "retrieve_personal_data",
    "export_xep0227",
    "system_metrics_report",
];

/// Whether `command` never writes to the store ([`READ_ONLY`]).
pub fn is_read_only(command: &str) -> bool {
    READ_ONLY.contains(&command)
}

/// The ctl built-ins (cli-output §1.5, §7): the one list dispatch, legacy usage and the
/// clap tree read.
pub static BUILTINS: [Builtin; 9] = [
    Builtin {
        name: "status",
        extra_words: (0, 0),
        action: BuiltinAction::Command,
        usage: Some((&[], "Get MongooseIM status")),
        about: None,
        shadows: true,
    },
    Builtin {
        name: "stop",
        extra_words: (0, 0),
        action: BuiltinAction::Nothing,
        usage: Some((&[], "Stop MongooseIM")),
        about: None,
        shadows: true,
    },
    Builtin {
        name: "restart",
        extra_words: (0, 0),
        action: BuiltinAction::Nothing,
        usage: Some((&[], "Restart MongooseIM")),
        about: None,
        shadows: true,
    },
    Builtin {
        name: "help",
        extra_words: (0, usize::MAX),
        action: BuiltinAction::Help,
        usage: Some((
            &["[--tags [tag] | com?*]"],
            "Show help (try: mongooseimctl help help)",
        )),
        about: Some(
            "Show mongooseimctl 5.1's help: `help`, `help COMMAND|GLOB`, `help --tags [TAG]`, `help GROUP`",
        ),
        shadows: false,
    },
    Builtin {
        name: "mnesia",
        extra_words: (0, 1),
        action: BuiltinAction::Mnesia,
        usage: Some((&["[info]"], "show information of Mnesia system")),
        about: None,
        shadows: false,
    },
    Builtin {
        name: "started",
        extra_words: (0, 0),
        action: BuiltinAction::Nothing,
        usage: None,
        about: None,
        shadows: false,
    },
    Builtin {
        name: "stopped",
        extra_words: (0, 0),
        action: BuiltinAction::Nothing,
        usage: None,
        about: None,
        shadows: false,
    },
    Builtin {
        name: "completions",
        extra_words: (0, usize::MAX),
        action: BuiltinAction::Completions,
        usage: None,
        about: Some("Print a shell completion script for the commands the current config enables"),
        shadows: false,
    },
    // `stop` with arguments is neither a built-in nor a command (cli-output §1.5).
    Builtin {
        name: "stop",
        extra_words: (1, usize::MAX),
        action: BuiltinAction::Unknown,
        usage: None,
        about: None,
        shadows: false,
    },
];

/// The built-in that applies to `word` followed by `extra` more words.
pub fn builtin(word: &str, extra: usize) -> Option<&'static Builtin> {
    BUILTINS
        .iter()
        .find(|b| b.name == word && b.extra_words.0 <= extra && extra <= b.extra_words.1)
}

impl Group {
    /// Every group, in the order of `help` listings.
    pub fn all() -> impl Iterator<Item = Group> {
        GROUPS.iter().map(|g| g.group)
    }

    /// The submods (every group but core), in MongooseIM's default `submods` order.
    pub const SUBMODS: [Group; 12] = [
        Group::Node,
        Group::Accounts,
        Group::Sessions,
        Group::Vcard,
        Group::Roster,
        Group::Last,
        Group::Private,
        Group::Stanza,
        Group::Stats,
        Group::Gdpr,
        Group::Upload,
        Group::Domain,
    ];

    /// This group's row of the table.
    pub fn spec(self) -> &'static GroupSpec {
        &GROUPS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn about(self) -> &'static str {
        self.spec().about
    }

    pub fn commands(self) -> &'static [CommandSpec] {
        self.spec().commands
    }

    /// Whether the group is a `service_admin_extra` submod (every group but core).
    pub fn is_submod(self) -> bool {
        self != Group::Core
    }

    pub fn from_name(name: &str) -> Option<Group> {
        GROUPS.iter().find(|g| g.name == name).map(|g| g.group)
    }

    /// A `submods` entry: exact names only (the `account` alias is handled by the config
    /// parser).
    pub fn from_submod_name(name: &str) -> Option<Group> {
        Group::from_name(name).filter(|g| g.is_submod())
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every command of the full registry, group by group.
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    GROUPS.iter().flat_map(|g| g.commands.iter())
}

/// Is this command available under `config`? Its group must be enabled (core always is),
/// and its availability rule hold.
pub fn enabled(config: &Config, cmd: &CommandSpec) -> bool {
    (!cmd.group.is_submod() || config.submod_enabled(cmd.group)) && available(config, cmd)
}

/// The command's own availability rule (see [`Availability`]).
pub fn available(config: &Config, cmd: &CommandSpec) -> bool {
    match cmd.available {
        Availability::Always => true,
        Availability::Module(module) => config
            .all_host_types()
            .iter()
            .any(|ht| config.module_enabled(ht, module)),
    }
}

/// The commands available under `config`.
pub fn enabled_commands(config: &Config) -> Vec<&'static CommandSpec> {
    all().filter(|c| enabled(config, c)).collect()
}

/// Find a command by its legacy name in the full registry.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    all().find(|c| c.name == name)
}

/// Box a service outcome as a handler reply.
pub(crate) fn reply<T: crate::output::Render + 'static>(r: Result<T>) -> Result<Reply> {
    r.map(|v| Reply::One(Box::new(v)))
}

/// A list result streamed row by row: `rows` runs (with the context) when the output is
/// ready, and hands each row to the sink as the store is read.
pub(crate) fn stream(
    rows: impl FnMut(&mut crate::context::Ctx, &mut RowSink<'_>) -> Result<()> + 'static,
) -> Result<Reply> {
    Ok(Reply::Rows(Box::new(rows)))
}

pub(crate) const fn bin(name: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty: ArgType::Binary,
        secret: false,
    }
}
pub(crate) const fn string(name: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty: ArgType::String,
        secret: false,
    }
}
pub(crate) const fn int(name: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty: ArgType::Integer,
        secret: false,
    }
}
pub(crate) const fn list(name: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty: ArgType::BinaryList,
        secret: false,
    }
}
pub(crate) const fn secret(name: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty: ArgType::Binary,
        secret: true,
    }
}

// The flag helpers are for extension commands with flags (the sessions group's).
pub(crate) const fn opt_text(name: &'static str, help: &'static str) -> OptSpec {
    OptSpec {
        name,
        ty: ArgType::String,
        help,
    }
}
pub(crate) const fn opt_switch(name: &'static str, help: &'static str) -> OptSpec {
    OptSpec {
        name,
        ty: ArgType::Switch,
        help,
    }
}
pub(crate) const fn opt_int(name: &'static str, help: &'static str) -> OptSpec {
    OptSpec {
        name,
        ty: ArgType::Integer,
        help,
    }
}

/// A command of `group` without a long description (see [`CommandSpec::long`]).
pub(crate) const fn spec(
    group: Group,
    name: &'static str,
    args: &'static [ArgSpec],
    result: Named,
    tags: &'static [&'static str],
    desc: &'static str,
    handler: Handler,
) -> CommandSpec {
    CommandSpec {
        name,
        group,
        args,
        options: &[],
        result,
        tags,
        desc,
        long_desc: "",
        available: Availability::Always,
        destructive: false,
        guarded: None,
        handler,
    }
}

impl CommandSpec {
    /// The same command with a long description (printed by `help CMD`).
    pub(crate) const fn long(self, long_desc: &'static str) -> CommandSpec {
        CommandSpec { long_desc, ..self }
    }

    /// The same command, marked as deleting data in bulk (see [`CommandSpec::destructive`]).
    pub(crate) const fn destructive(self) -> CommandSpec {
        CommandSpec {
            destructive: true,
            ..self
        }
    }

    /// The same command, guarded (see [`CommandSpec::guarded`]): `--dry-run`, `--yes` and a
    /// confirmation on a terminal; its service calls `ctx.guard().check(..)`.
    pub(crate) const fn guarded(
        self,
        verb: &'static str,
        one: &'static str,
        many: &'static str,
    ) -> CommandSpec {
        CommandSpec {
            guarded: Some(Guarded { verb, one, many }),
            ..self
        }
    }

    /// The same command with optional `--name VALUE` flags (extension commands only).
    pub(crate) const fn options(self, options: &'static [OptSpec]) -> CommandSpec {
        CommandSpec { options, ..self }
    }

    /// The same command, available only when `module` is enabled on some host type.
    pub(crate) const fn needs_module(self, module: &'static str) -> CommandSpec {
        CommandSpec {
            available: Availability::Module(module),
            ..self
        }
    }
}

pub(crate) const RESTUPLE: Named = Named {
    name: "res",
    ty: Ty::RestTuple,
};
pub(crate) const RESCODE: Named = Named {
    name: "res",
    ty: Ty::ResCode,
};

/// The guarded commands, comma-separated (the refusal of `--dry-run` / `--yes` elsewhere).
pub fn guarded_names() -> String {
    all()
        .filter(|c| c.guarded.is_some())
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_not_group_names() {
        let mut seen = HashSet::new();
        for c in all() {
            assert!(seen.insert(c.name), "duplicate command {}", c.name);
            for g in Group::all() {
                if g.name() == c.name {
                    // `stats` is both a group and a command in 5.1: allowed, dispatch handles it.
                    assert_eq!(c.name, "stats");
                }
            }
            let mut args = HashSet::new();
            for a in c.args {
                assert!(
                    args.insert(a.name),
                    "duplicate arg {} in {}",
                    a.name,
                    c.name
                );
            }
        }
    }

    #[test]
    fn group_names_round_trip() {
        for g in Group::all() {
            assert_eq!(Group::from_name(g.name()), Some(g));
        }
        assert_eq!(Group::from_submod_name("core"), None);
        assert_eq!(Group::SUBMODS.len() + 1, GROUPS.len());
    }

    #[test]
    fn the_group_table_matches_the_enum() {
        for (i, g) in GROUPS.iter().enumerate() {
            assert_eq!(g.group as usize, i, "GROUPS[{i}] is {:?}", g.group);
            for c in g.commands {
                assert_eq!(c.group, g.group, "{} listed under {}", c.name, g.name);
            }
        }
        for s in Group::SUBMODS {
            assert!(s.is_submod());
        }
    }

    #[test]
    fn the_stdin_table_names_commands_and_arguments() {
        for (name, arg) in STDIN_VALUES {
            let cmd = all().find(|c| c.name == *name).expect("a command");
            let spec = cmd
                .args
                .iter()
                .find(|a| a.name == *arg)
                .expect("an argument");
            assert!(
                !spec.secret,
                "{name} {arg}: a secret reads one line, not all of stdin"
            );
        }
    }

    #[test]
    fn the_read_only_commands_are_commands_that_do_not_write() {
        for name in READ_ONLY {
            assert!(all().any(|c| c.name == *name), "{name} is not a command");
            assert!(
                !STDIN_VALUES.iter().any(|(c, _)| c == name),
                "{name} reads a value to write"
            );
        }
    }

    #[test]
    fn the_bulk_deletions_are_destructive() {
        let destructive: Vec<&str> = all().filter(|c| c.destructive).map(|c| c.name).collect();
        assert_eq!(
            destructive,
            [
                "delete_old_messages",
                "delete_old_users",
                "delete_old_users_vhost"
            ]
        );
    }

    #[test]
    fn the_guarded_commands() {
        let guarded: Vec<&str> = all()
            .filter(|c| c.guarded.is_some())
            .map(|c| c.name)
            .collect();
        assert_eq!(
            guarded,
            [
                "unregister",
                "delete_expired_messages",
                "delete_old_messages",
                "delete_old_users",
                "delete_old_users_vhost",
                "process_rosteritems",
                "push_roster_alltoall",
                "delete_domain"
            ]
        );
    }

    /// The guarded commands' names, for the refusal of `--dry-run` elsewhere.
    #[test]
    fn guarded_names_lists_them() {
        assert!(guarded_names().starts_with("unregister, "));
    }

    #[test]
    fn every_group_has_commands_unless_pending() {
        for g in &GROUPS {
            assert_eq!(
                g.commands.is_empty(),
                PENDING_GROUPS.contains(&g.group),
                "group {}",
                g.name
            );
        }
    }
}
