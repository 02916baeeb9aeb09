//! Group `node` (service_admin_extra_node), plus `load_config`, which the 5.1 documentation
//! promises.

use std::path::PathBuf;

use crate::config::Config;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::services::core::NoEffect;

/// The Erlang cookie of MongooseIM's release default; a standalone tool has no node.
pub const COOKIE: &str = "ejabberd";

/// The outcome of `get_cookie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    pub cookie: String,
}

pub fn get_cookie(_ctx: &mut Ctx) -> Result<Cookie> {
    Ok(Cookie {
        cookie: COOKIE.to_string(),
    })
}

/// `remove_node node`: nothing to remove without Mnesia; succeeds silently as 5.1 does.
pub fn remove_node(_ctx: &mut Ctx, node: &str) -> Result<NoEffect> {
    Ok(NoEffect {
        node: node.to_string(),
    })
}

/// The outcome of `load_config`: the file (made absolute) is a valid config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigValid {
    pub file: PathBuf,
}

/// `load_config file`: validate a MongooseIM config file (exit 3 with one line per error).
pub fn load_config(_ctx: &mut Ctx, file: &str) -> Result<ConfigValid> {
    let path = std::path::absolute(file).unwrap_or_else(|_| file.into());
    match Config::load(&path) {
        Ok(_) => Ok(ConfigValid { file: path }),
        Err(errors) => Err(Error::Config {
            file: path.display().to_string(),
            errors: errors.iter().map(|e| e.to_string()).collect(),
        }),
    }
}
