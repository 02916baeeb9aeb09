//! Registry → clap. Two commands are built from the same global-argument definitions:
//! `parser()`, which reads the global options and keeps the legacy command line verbatim,
//! and `tree(commands)`, the full clap tree (groups, grouped commands, hidden flat aliases)
//! used for help, completions and man pages.

use clap::{Arg, ArgAction, Command};

use crate::registry::{self, ArgType, CommandSpec, Group};

pub const BIN: &str = "mongooseimctl";

const ABOUT: &str =
    "Administer a MongooseIM (XMPP) server's data: accounts, rosters, vCards, domains and more.";
const AFTER_HELP: &str = "Commands also work in mongooseimctl 5.1's flat form (`mongooseimctl register_identified alice localhost -`).\nIn the grouped form, global options may also follow the command and its arguments (`mongooseimctl accounts check_account alice localhost -o json`); `--` ends them.\n`mongooseimctl help` lists every command the config enables; `mongooseimctl help COMMAND` shows one.\nA password argument given as `-` is read from standard input.";

/// The environment variable of a global option: always in the help tree; for parsing only
/// when it is set and not empty (an empty variable counts as unset, docs/compat.md issue 12).
fn env(parsing: bool, key: &'static str) -> Option<&'static str> {
    (!parsing || crate::settings::env_var(key).is_some()).then_some(key)
}

fn globals(cmd: Command, parsing: bool) -> Command {
    cmd.arg(
        Arg::new("config")
            .short('c')
            .long("config")
            .value_name("FILE")
            .env(env(parsing, "MONGOOSEIM_CONFIG"))
            .help("MongooseIM TOML config (default: ./mongooseim.toml, then /etc/mongooseim/mongooseim.toml, else built-in defaults)"),
    )
    .arg(
        Arg::new("store")
            .long("store")
            .value_name("FILE")
            .env(env(parsing, "MONGOOSEIM_STORE"))
            .help("SQLite store (default: the config's rdbms pool, else $XDG_DATA_HOME/mongooseimctl/mongooseim.db)"),
    )
    .arg(
        Arg::new("output")
            .short('o')
            .long("output")
            .value_name("FORMAT")
            .env(env(parsing, "MONGOOSEIMCTL_OUTPUT"))
            .value_parser(["text", "table", "json"])
            .help("Result format: text (mongooseimctl 5.1's; default when piped), table (default on a terminal), json"),
    )
    .arg(
        Arg::new("verbose")
            .short('v')
            .long("verbose")
            .action(ArgAction::Count)
            .help("More log output on stderr (-v info, -vv debug, -vvv trace; MONGOOSEIMCTL_LOG overrides)"),
    )
    .arg(
        Arg::new("legacy-integers")
            .long("legacy-integers")
            .env(env(parsing, "MONGOOSEIMCTL_LEGACY_INTEGERS"))
            .action(ArgAction::SetTrue)
            .value_parser(clap::builder::BoolishValueParser::new())
            .help("Let the bulk deletions (delete_old_users*, delete_old_messages) read integers as mongooseimctl 5.1 does, by their leading digits (`1,000` is 1); without it they refuse anything but digits"),
    )
    .arg(
        Arg::new("no-headers")
            .long("no-headers")
            .env(env(parsing, "MONGOOSEIMCTL_NO_HEADERS"))
            .action(ArgAction::SetTrue)
            .value_parser(clap::builder::BoolishValueParser::new())
            .help("Tables (-o table) without their header row; text and JSON are unchanged"),
    )
    .arg(
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("Destructive and bulk commands only (delete_old_users*, delete_*_messages, delete_domain, process_rosteritems delete, push_roster_alltoall, unregister): print what the command would do, then roll it back; nothing is changed"),
    )
    .arg(
        Arg::new("yes")
            .short('y')
            .long("yes")
            .action(ArgAction::SetTrue)
            .help("Destructive and bulk commands only: do not ask for confirmation on a terminal (they never ask when stdin is not a terminal)"),
    )
    .arg(
        Arg::new("progress")
            .long("progress")
            .value_name("WHEN")
            .env(env(parsing, "MONGOOSEIMCTL_PROGRESS"))
            .value_parser(["auto", "never", "always"])
            .help("Progress bars on stderr for long work (import_users, push_roster*, delete_old_users*, delete_domain, retrieve_personal_data): auto (default: when stderr is a terminal), never, always (also when stderr is not a terminal, as lines); -q wins"),
    )
    .arg(
        Arg::new("quiet")
            .short('q')
            .long("quiet")
            .action(ArgAction::SetTrue)
            .conflicts_with("verbose")
            .help("Only errors on stderr"),
    )
}

/// The parsing command: global options, then the legacy command line kept verbatim.
pub fn parser() -> Command {
    globals(Command::new(BIN), true)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .args_override_self(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::SetTrue)
                .help("Print help"),
        )
        .arg(
            Arg::new("rest")
                .value_name("COMMAND")
                .num_args(0..)
                .trailing_var_arg(true)
                .allow_hyphen_values(true),
        )
}

fn value_name(name: &str) -> String {
    name.to_ascii_uppercase()
}

/// The clap command of one registry command, as invoked by `prefix` (`mongooseimctl` for the
/// flat form, `mongooseimctl GROUP` for the grouped one): its arguments with their
/// descriptions and its examples (registry/help.rs).
pub fn command(spec: &CommandSpec, prefix: &str) -> Command {
    let mut about = spec.desc.split_whitespace().collect::<Vec<_>>().join(" ");
    if !about.ends_with('.') {
        about.push('.');
    }
    let examples = examples_text(spec, prefix);
    let mut c = Command::new(spec.name)
        .about(about.clone())
        .after_help(examples.clone());
    if !spec.long_desc.is_empty() {
        c = c.long_about(format!("{about}\n\n{}", spec.long_desc));
    }
    if let Some(g) = spec.guarded {
        // `--help` shows the long text: the guard's note, then the examples.
        c = c.after_long_help(format!("{}\n\n{examples}", g.note()));
    }
    for a in spec.args {
        let mut arg = Arg::new(a.name)
            .value_name(value_name(a.name))
            .required(true)
            .allow_hyphen_values(true);
        let desc = registry::help::arg_help(spec.name, a.name).unwrap_or("");
        let help = match a.ty {
            ArgType::Integer => format!("{desc} (integer)"),
            _ => desc.to_string(),
        };
        arg = arg.help(help);
        if a.name == "file" || a.name == "path" {
            arg = arg.value_hint(clap::ValueHint::FilePath);
        }
        c = c.arg(arg);
    }
    for o in spec.options {
        let arg = Arg::new(o.name).long(o.name).help(o.help);
        c = c.arg(if o.ty == ArgType::Switch {
            arg.action(clap::ArgAction::SetTrue)
        } else {
            arg.value_name(value_name(o.name)).allow_hyphen_values(true)
        });
    }
    c
}

/// The "Examples:" section of a command's help: one line per example of the registry.
pub fn examples_text(spec: &CommandSpec, prefix: &str) -> String {
    let mut out = String::from("Examples:");
    for words in registry::help::examples(spec.name) {
        out.push_str("\n  ");
        out.push_str(prefix);
        out.push(' ');
        out.push_str(spec.name);
        for w in words {
            out.push(' ');
            out.push_str(&registry::help::shell_word(w));
        }
    }
    out
}

/// The full clap tree for the given (already filtered) commands.
pub fn tree(commands: &[&'static CommandSpec]) -> Command {
    let mut root = globals(Command::new(BIN), false)
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(AFTER_HELP)
        .subcommand_value_name("GROUP|COMMAND")
        .subcommand_help_heading("Groups")
        .disable_help_subcommand(true);
    for group in Group::all() {
        let cmds: Vec<&CommandSpec> = commands
            .iter()
            .copied()
            .filter(|c| c.group == group)
            .collect();
        if cmds.is_empty() {
            continue;
        }
        let mut g = Command::new(group.name())
            .about(group.about())
            .subcommand_value_name("COMMAND")
            .subcommand_help_heading("Commands");
        let prefix = format!("{BIN} {}", group.name());
        for c in &cmds {
            g = g.subcommand(command(c, &prefix));
        }
        root = root.subcommand(g);
    }
    for b in crate::registry::BUILTINS.iter() {
        let Some(about) = b.about else { continue };
        let sub = Command::new(b.name).about(about);
        root = root.subcommand(match b.action {
            crate::registry::BuiltinAction::Completions => {
                sub.arg(Arg::new("shell").required(true).value_parser([
                    "bash",
                    "zsh",
                    "fish",
                    "elvish",
                    "powershell",
                ]))
            }
            _ => sub.arg(Arg::new("topic").num_args(0..).value_name("TOPIC")),
        });
    }
    // Flat (legacy) names: hidden, so `--help` stays short, but dispatchable and documented
    // by `mongooseimctl help`.
    for c in commands {
        if Group::from_name(c.name).is_none() {
            root = root.subcommand(command(c, BIN).hide(true));
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_tree_is_valid() {
        let all: Vec<&'static CommandSpec> = crate::registry::all().collect();
        tree(&all).debug_assert();
        parser().debug_assert();
    }

    #[test]
    fn each_group_alone_is_valid() {
        for g in Group::all() {
            let cmds: Vec<&'static CommandSpec> = g.commands().iter().collect();
            tree(&cmds).debug_assert();
        }
    }
}
