//! Group `node` (service_admin_extra_node), plus `load_config`, which the 5.1 documentation
//! promises.

use crate::config::Config;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::Legacy as Value;

/// The Erlang cookie of MongooseIM's release default; a standalone tool has no node.
pub const COOKIE: &str = "ejabberd";

pub fn get_cookie(_ctx: &mut Ctx) -> Result<Value> {
    Ok(Value::Text(COOKIE.to_string()))
}

/// `remove_node node`: nothing to remove without Mnesia; succeeds silently as 5.1 does.
pub fn remove_node(_ctx: &mut Ctx, _node: &str) -> Result<Value> {
    Ok(Value::Code(true))
}

/// `load_config file`: validate a MongooseIM config file (exit 3 with one line per error).
pub fn load_config(_ctx: &mut Ctx, file: &str) -> Result<Value> {
    let path = std::path::absolute(file).unwrap_or_else(|_| file.into());
    match Config::load(&path) {
        Ok(_) => Ok(Value::ok(format!(
            "Config file {} is valid",
            path.display()
        ))),
        Err(errors) => Err(Error::Config {
            file: path.display().to_string(),
            errors: errors.iter().map(|e| e.to_string()).collect(),
        }),
    }
}
