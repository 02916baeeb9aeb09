//! The command registry: every command of mongooseimctl 5.1 we implement, as static data.
//! It is the single source for the clap tree, dispatch, legacy help, completions, man pages
//! and the command reference; the config only filters it.

pub mod accounts;
pub mod core;
pub mod last;
pub mod node;
pub mod private;
pub mod roster;
pub mod types;
pub mod vcard;

pub use types::*;

use crate::config::{Config, Submod};
use crate::value::ArgValue;

impl Group {
    /// Every group, in the order of `help` listings.
    pub const ALL: [Group; 13] = [
        Group::Core,
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

    pub fn name(self) -> &'static str {
        match self.submod() {
            Some(s) => s.name(),
            None => "core",
        }
    }

    pub fn from_name(name: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The service_admin_extra submod providing this group (None for core).
    pub fn submod(self) -> Option<Submod> {
        Some(match self {
            Group::Core => return None,
            Group::Node => Submod::Node,
            Group::Accounts => Submod::Accounts,
            Group::Sessions => Submod::Sessions,
            Group::Vcard => Submod::Vcard,
            Group::Roster => Submod::Roster,
            Group::Last => Submod::Last,
            Group::Private => Submod::Private,
            Group::Stanza => Submod::Stanza,
            Group::Stats => Submod::Stats,
            Group::Gdpr => Submod::Gdpr,
            Group::Upload => Submod::Upload,
            Group::Domain => Submod::Domain,
        })
    }

    pub fn about(self) -> &'static str {
        match self {
            Group::Core => {
                "Commands MongooseIM always registers: registration, purges, node status"
            }
            Group::Node => "Node information (submod node)",
            Group::Accounts => {
                "Account management: passwords, bans, inactive users (submod accounts)"
            }
            Group::Sessions => "Sessions and presence (submod sessions)",
            Group::Vcard => "vCard (XEP-0054) fields (submod vcard)",
            Group::Roster => "Rosters: items, bulk pushes, filters (submod roster)",
            Group::Last => "Last activity (submod last)",
            Group::Private => "Private XML storage, XEP-0049 (submod private)",
            Group::Stanza => "Sending messages and stanzas (submod stanza)",
            Group::Stats => "Statistics (submod stats)",
            Group::Gdpr => "Personal data export (submod gdpr)",
            Group::Upload => "HTTP file upload slots (submod upload)",
            Group::Domain => "Dynamic domains (submod domain)",
        }
    }

    /// The commands of this group.
    pub fn commands(self) -> &'static [CommandSpec] {
        match self {
            Group::Core => core::COMMANDS,
            Group::Accounts => accounts::COMMANDS,
            Group::Last => last::COMMANDS,
            Group::Node => node::COMMANDS,
            Group::Private => private::COMMANDS,
            Group::Roster => roster::COMMANDS,
            Group::Vcard => vcard::COMMANDS,
            _ => &[],
        }
    }
}

/// Every command of the full registry, group by group.
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    Group::ALL.into_iter().flat_map(|g| g.commands().iter())
}

/// Is this command available under `config`? Core commands always are (revoke_token only
/// with mod_auth_token on some host type); other groups need their submod enabled.
pub fn enabled(config: &Config, cmd: &CommandSpec) -> bool {
    match cmd.group.submod() {
        Some(s) => config.submod_enabled(s),
        None => {
            if cmd.name == "revoke_token" {
                config
                    .hosts
                    .iter()
                    .chain(config.host_types.iter())
                    .any(|ht| config.module_enabled(ht, "mod_auth_token"))
            } else {
                true
            }
        }
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

/// Argument `i` (dispatch checks arity first; a missing one reads as empty).
pub fn arg(args: &[ArgValue], i: usize) -> &ArgValue {
    static EMPTY: ArgValue = ArgValue::Text(String::new());
    args.get(i).unwrap_or(&EMPTY)
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
pub(crate) const fn secret(name: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty: ArgType::Binary,
        secret: true,
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
        result,
        tags,
        desc,
        long_desc: "",
        handler,
    }
}

impl CommandSpec {
    /// The same command with a long description (printed by `help CMD`).
    pub(crate) const fn long(self, long_desc: &'static str) -> CommandSpec {
        CommandSpec { long_desc, ..self }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_not_group_names() {
        let mut seen = HashSet::new();
        for c in all() {
            assert!(seen.insert(c.name), "duplicate command {}", c.name);
            for g in Group::ALL {
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
        for g in Group::ALL {
            assert_eq!(Group::from_name(g.name()), Some(g));
        }
    }
}
