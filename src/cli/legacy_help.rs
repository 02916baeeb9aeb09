// STUB
use crate::registry::types::CommandSpec;
pub fn usage(_c: &[&CommandSpec]) -> String { "usage\n".into() }
pub fn usage_long(_c: &[&CommandSpec]) -> String { "usage\n".into() }
pub fn usage_dual(_c: &[&CommandSpec]) -> String { "usage\n".into() }
pub fn command_help(_c: &[&CommandSpec], _p: &str) -> String { String::new() }
pub fn tags(_c: &[&CommandSpec]) -> String { String::new() }
pub fn tag_commands(_c: &[&CommandSpec], _t: &str) -> String { String::new() }
pub fn help_help() -> String { String::new() }
pub fn arity_error(cmd: &CommandSpec, typed: &str, given: usize) -> String { format!("Error: the command {typed:?} requires {} {} argument.\n", given, cmd.args.len()) }
