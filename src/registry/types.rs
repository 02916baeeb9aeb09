//! Static data types of the command registry (the one source for the clap tree, dispatch,
//! legacy help, completions, man pages and the command reference).

/// A command group: the `service_admin_extra` submod that provides the command, or `Core` for
/// the commands MongooseIM always registers.
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

/// Declared type of a command argument (ejabberd_commands arg types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    Binary,
    String,
    Integer,
    /// `{list, binary}`: split on `;`, empty pieces dropped.
    BinaryList,
}

#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub ty: ArgType,
    /// A password: `-` reads it from stdin; never printed or logged.
    pub secret: bool,
}

/// Declared result type (ejabberd_commands result types), used for text rendering, legacy
/// help (`Returns:`), JSON keys and table headers.
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

/// The handler of a command: typed arguments in, a result value out. No printing, no clap.
pub type Handler = fn(
    &mut crate::context::Ctx,
    &[crate::value::ArgValue],
) -> Result<crate::value::Value, crate::error::Error>;

/// One command of the registry.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Legacy (mongooseimctl 5.1) name, e.g. `check_account`.
    pub name: &'static str,
    pub group: Group,
    pub args: &'static [ArgSpec],
    pub result: Named,
    /// ejabberd_commands tags (legacy `help --tags`).
    pub tags: &'static [&'static str],
    /// One-line description (legacy `desc`, typos included).
    pub desc: &'static str,
    /// Long description printed by `help CMD` ("" = none). `\n` are real newlines.
    pub long_desc: &'static str,
    pub handler: Handler,
}
