//! Global settings: the global options (flags and their environment variables), the config
//! lookup order and the store location. The one place that reads the environment.

use std::path::{Path, PathBuf};

use crate::config::{Config, StoreDriver};
use crate::context::StoreTarget;
use crate::error::Error;

/// The global options of one run.
#[derive(Debug, Default)]
pub struct Globals {
    pub config: Option<String>,
    pub store: Option<String>,
    pub output: Option<String>,
    pub verbose: u8,
    pub quiet: bool,
    /// `--legacy-integers` / `MONGOOSEIMCTL_LEGACY_INTEGERS`: the bulk deletions accept 5.1's
    /// leading-digits integers.
    pub legacy_integers: bool,
    /// The legacy command line after the global options.
    pub rest: Vec<String>,
}

pub enum Parsed {
    Run(Globals),
    /// `--help`, with the `--config` value if one was given (the tree depends on it).
    Help(Option<String>),
    Version(String),
}

impl Globals {
    pub fn parse(args: &[String]) -> Result<Parsed, clap::Error> {
        let mut cmd = crate::cli::build::parser();
        let m = cmd.try_get_matches_from_mut(args)?;
        if m.get_flag("help") {
            return Ok(Parsed::Help(m.get_one::<String>("config").cloned()));
        }
        let rest: Vec<String> = m
            .get_many::<String>("rest")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        if rest.is_empty() && m.contains_id("version") && m.get_flag("version") {
            return Ok(Parsed::Version(cmd.render_version().to_string()));
        }
        Ok(Parsed::Run(Globals {
            config: m.get_one::<String>("config").cloned(),
            store: m.get_one::<String>("store").cloned(),
            output: m.get_one::<String>("output").cloned(),
            verbose: m.get_count("verbose"),
            quiet: m.get_flag("quiet"),
            legacy_integers: m.get_flag("legacy-integers"),
            rest,
        }))
    }
}

/// `MONGOOSEIMCTL_LOG`, the tracing filter that overrides -v/-q.
pub fn log_filter_env() -> Option<String> {
    std::env::var("MONGOOSEIMCTL_LOG")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Find and load the config (DESIGN.md §1): the flag/env value, ./mongooseim.toml,
/// /etc/mongooseim/mongooseim.toml, else the built-in defaults. Returns it with a label
/// naming where it came from.
pub fn load_config(explicit: Option<&str>) -> Result<(Config, String), Error> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![
            PathBuf::from("mongooseim.toml"),
            PathBuf::from("/etc/mongooseim/mongooseim.toml"),
        ],
    };
    for path in &candidates {
        if explicit.is_none() && !path.is_file() {
            continue;
        }
        let shown = absolute(path);
        let label = shown.display().to_string();
        return match Config::load(&shown) {
            Ok(c) => Ok((c, label)),
            Err(errors) => Err(Error::Config {
                file: label,
                errors: errors.iter().map(|e| e.to_string()).collect(),
            }),
        };
    }
    Ok((
        Config::builtin(),
        "built-in defaults (no mongooseim.toml found)".to_string(),
    ))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Where the store is: `--store`/`MONGOOSEIM_STORE`, else the config's global RDBMS pool,
/// else `$XDG_DATA_HOME/mongooseimctl/mongooseim.db`.
pub fn store_target(explicit: Option<&str>, config: &Config) -> StoreTarget {
    if let Some(p) = explicit {
        return StoreTarget::Sqlite(absolute(Path::new(p)));
    }
    if let Some(pool) = config.global_pool() {
        return match &pool.driver {
            StoreDriver::Sqlite { database } => StoreTarget::Sqlite(database.clone()),
            StoreDriver::Pgsql { .. } => StoreTarget::Unsupported(format!(
                "the config's rdbms pool \"{}\" uses driver pgsql, which this mongooseimctl cannot use yet; \
                 pass --store FILE (or MONGOOSEIM_STORE) to use an SQLite store",
                pool.tag
            )),
            StoreDriver::Other(d) => StoreTarget::Unsupported(format!(
                "the config's rdbms pool \"{}\" uses driver {d}, which mongooseimctl does not support; \
                 pass --store FILE (or MONGOOSEIM_STORE) to use an SQLite store",
                pool.tag
            )),
        };
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    StoreTarget::Sqlite(base.join("mongooseimctl").join("mongooseim.db"))
}
