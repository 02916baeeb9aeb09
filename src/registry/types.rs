//! Static data types of the command registry (the one source for the clap tree, dispatch,
//! legacy help, completions, man pages and the command reference).

use crate::error::{Error, Result};

/// A command group: a `service_admin_extra` submod, or `Core` for the commands MongooseIM
/// always registers. The one enum for groups and submods: `submods = [...]` in the config
/// names the groups other than `Core`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Core,
    Node,
    Accounts,
    Sessions,
    Vcard,
    Roster,
    Last,
    Private,
    Stanza,
    Stats,
    Gdpr,
    Upload,
    Domain,
}

/// One row of the group table ([`super::GROUPS`]).
#[derive(Debug)]
pub struct GroupSpec {
    pub group: Group,
    /// The group (and submod) name.
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// The commands of the group (empty for groups of later issues).
    pub commands: &'static [CommandSpec],
}

/// When a command is available under a config (besides its group being enabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Whenever its group is (core: always).
    Always,
    /// Only when this module is enabled on some host type; otherwise the command is "not
    /// known", as in 5.1, and a hint names the module.
    Module(&'static str),
}

/// Declared type of a command argument (ejabberd_commands arg types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    Binary,
    String,
    Integer,
    /// `{list, binary}`: split on `;`, empty pieces dropped.
    BinaryList,
    /// An extension flag without a value (`--continue`): [`OptSpec`]s only.
    Switch,
}

#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub ty: ArgType,
    /// A password: `-` reads it from stdin; never printed or logged.
    pub secret: bool,
}

/// Declared result type (ejabberd_commands result types), used for legacy help (`Returns:`),
/// the text and table renderings, and checked against every result in debug builds.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Binary,
    String,
    Integer,
    Atom,
    RestTuple,
    ResCode,
    /// `name::[ ELEM ]`
    List(&'static Named),
    /// `name::{ F1, F2, ... }`
    Tuple(&'static [Named]),
}

/// A named type: `name::type`. An empty name renders as the bare type (e.g. `contents::[ binary ]`).
#[derive(Debug, Clone, Copy)]
pub struct Named {
    pub name: &'static str,
    pub ty: Ty,
}

/// An optional named flag of one of our extension commands (`--priority N`): never part of a
/// 5.1 command, whose arguments stay positional and verbatim.
#[derive(Debug, Clone, Copy)]
pub struct OptSpec {
    /// The flag's name without `--` (also its `Args` name).
    pub name: &'static str,
    /// Text or integer (a whole decimal integer, checked before the command runs).
    pub ty: ArgType,
    /// One line for help: what it sets and its default.
    pub help: &'static str,
}

/// A converted command argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    Text(String),
    Int(i64),
    List(Vec<String>),
    /// An optional flag that was not given.
    Absent,
}

/// The converted arguments of one call, looked up by their declared names. Asking for a name
/// the spec does not declare, or with the wrong type, is a bug reported as such (never a
/// silent default).
#[derive(Debug)]
pub struct Args {
    command: &'static str,
    values: Vec<(&'static str, ArgValue)>,
}

impl Args {
    pub fn new(command: &'static str, values: Vec<(&'static str, ArgValue)>) -> Args {
        Args { command, values }
    }

    fn get(&self, name: &str) -> Result<&ArgValue> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .ok_or_else(|| {
                Error::Internal(format!(
                    "command {} has no argument named {name}",
                    self.command
                ))
            })
    }

    fn wrong(&self, name: &str, ty: &str) -> Error {
        Error::Internal(format!("argument {name} of {} is not {ty}", self.command))
    }

    /// A `binary` / `string` argument.
    pub fn text(&self, name: &str) -> Result<&str> {
        match self.get(name)? {
            ArgValue::Text(s) => Ok(s),
            _ => Err(self.wrong(name, "a text")),
        }
    }

    /// An `integer` argument.
    pub fn int(&self, name: &str) -> Result<i64> {
        match self.get(name)? {
            ArgValue::Int(i) => Ok(*i),
            _ => Err(self.wrong(name, "an integer")),
        }
    }

    /// A `{list, binary}` argument.
    pub fn list(&self, name: &str) -> Result<&[String]> {
        match self.get(name)? {
            ArgValue::List(v) => Ok(v),
            _ => Err(self.wrong(name, "a list")),
        }
    }

    /// A text flag ([`OptSpec`]): `None` when not given.
    pub fn opt_text(&self, name: &str) -> Result<Option<&str>> {
        match self.get(name)? {
            ArgValue::Text(s) => Ok(Some(s)),
            ArgValue::Absent => Ok(None),
            _ => Err(self.wrong(name, "a text flag")),
        }
    }

    /// A switch ([`OptSpec`] of type [`ArgType::Switch`]): whether it was given.
    pub fn switch(&self, name: &str) -> Result<bool> {
        match self.get(name)? {
            ArgValue::Absent => Ok(false),
            ArgValue::Int(_) => Ok(true),
            _ => Err(self.wrong(name, "a switch")),
        }
    }

    /// An integer flag ([`OptSpec`]): `None` when not given.
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>> {
        match self.get(name)? {
            ArgValue::Int(i) => Ok(Some(*i)),
            ArgValue::Absent => Ok(None),
            _ => Err(self.wrong(name, "an integer flag")),
        }
    }
}

/// What a handler returns: a typed outcome the output layer renders (text, table, JSON), or a
/// list produced row by row.
pub enum Reply {
    One(Box<dyn crate::output::Render>),
    /// A list result streamed as the store is read (peak memory does not grow with the number
    /// of rows); each row renders as one element of the declared list type.
    Rows(Box<dyn Rows>),
}

/// Where a streamed row goes: the output layer prints it (or, for tables, keeps it).
pub type RowSink<'a> = dyn FnMut(&dyn crate::output::Render) -> Result<()> + 'a;

/// A list result produced row by row, in order, while the handler's store read runs.
pub trait Rows {
    fn each(&mut self, ctx: &mut crate::context::Ctx, row: &mut RowSink<'_>) -> Result<()>;
}

impl<F> Rows for F
where
    F: FnMut(&mut crate::context::Ctx, &mut RowSink<'_>) -> Result<()>,
{
    fn each(&mut self, ctx: &mut crate::context::Ctx, row: &mut RowSink<'_>) -> Result<()> {
        self(ctx, row)
    }
}

/// The handler of a command: typed arguments in, a typed outcome out. No printing, no clap.
pub type Handler = fn(&mut crate::context::Ctx, &Args) -> Result<Reply>;

/// One command of the registry.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Legacy (mongooseimctl 5.1) name, e.g. `check_account`.
    pub name: &'static str,
    pub group: Group,
    pub args: &'static [ArgSpec],
    /// Optional `--name VALUE` flags (our extension commands only; empty for every 5.1
    /// command, whose words are all positional).
    pub options: &'static [OptSpec],
    pub result: Named,
    /// ejabberd_commands tags (legacy `help --tags`).
    pub tags: &'static [&'static str],
    /// One-line description (legacy `desc`, typos included).
    pub desc: &'static str,
    /// Long description printed by `help CMD` ("" = none). `\n` are real newlines.
    pub long_desc: &'static str,
    pub available: Availability,
    /// Deletes data in bulk (`delete_old_users*`, `delete_old_messages`): its integer
    /// arguments must be whole integers, not 5.1's leading-digits parse (`1,000` → 1), unless
    /// `--legacy-integers` is given.
    pub destructive: bool,
    /// Destructive or bulk (issue 12): takes `--dry-run` and `--yes`, and on a terminal asks
    /// for confirmation naming how many of what it will change.
    pub guarded: Option<Guarded>,
    pub handler: Handler,
}

/// What a guarded command changes, for its confirmation prompt, its help and its errors:
/// `<command> will <verb> <count> <noun><detail>` (`delete_old_users will delete 3
/// accounts on localhost`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guarded {
    pub verb: &'static str,
    /// The noun for one thing (`account`) and for several (`accounts`).
    pub one: &'static str,
    pub many: &'static str,
}

impl Guarded {
    /// The paragraph of the command's help and docs/commands.md.
    pub fn note(&self) -> String {
        format!(
            "Guarded: `--dry-run` prints what it would do and changes nothing; on a terminal it \
             first asks for confirmation, naming how many {} it will {} (`--yes` or `-y` does \
             not ask; it never asks when stdin is not a terminal).",
            self.many, self.verb
        )
    }

    /// The noun for `count` things.
    pub fn noun(&self, count: u64) -> &'static str {
        if count == 1 {
            self.one
        } else {
            self.many
        }
    }
}

/// What a ctl built-in does (words handled before the command table, cli-output §1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinAction {
    /// Run the registered command of the same name.
    Command,
    /// Return at once, exit 0 (nothing to wait for without a node).
    Nothing,
    /// Needs Mnesia: a clear error, exit 1.
    Mnesia,
    /// Not a command at all (`stop` with arguments): "not known".
    Unknown,
    Help,
    Completions,
}

/// A ctl built-in: a word the ctl script handles itself when it has the given number of
/// words after it.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    /// How many words may follow (inclusive range) for the built-in to apply.
    pub extra_words: (usize, usize),
    pub action: BuiltinAction,
    /// Listed in the legacy usage with these pseudo-arguments and this description.
    pub usage: Option<(&'static [&'static str], &'static str)>,
    /// Shown in `--help` as a subcommand with this description.
    pub about: Option<&'static str>,
    /// A registered command of the same name is left out of the legacy usage.
    pub shadows: bool,
}
