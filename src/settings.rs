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
    /// The store path was typed on the command line (`--store`), not taken from
    /// `MONGOOSEIM_STORE`.
    pub store_typed: bool,
    pub output: Option<String>,
    pub verbose: u8,
    pub quiet: bool,
    /// `--legacy-integers` / `MONGOOSEIMCTL_LEGACY_INTEGERS`: the bulk deletions accept 5.1's
    /// leading-digits integers.
    pub legacy_integers: bool,
    /// `--no-headers` / `MONGOOSEIMCTL_NO_HEADERS`: tables without their header row.
    pub no_headers: bool,
    /// `--dry-run`: a guarded command runs and is rolled back.
    pub dry_run: bool,
    /// `--yes` / `-y`: a guarded command does not ask for confirmation.
    pub yes: bool,
    /// `--progress auto|never|always` / `MONGOOSEIMCTL_PROGRESS` (clap checks the value).
    pub progress: Option<String>,
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
    /// Parse the global options: those before the command word, and, in the grouped form
    /// only, those typed after the command (`accounts check_account alice localhost -o json`;
    /// later ones win).
    pub fn parse(args: &[String]) -> Result<Parsed, clap::Error> {
        let args = crate::cli::options::detach_leading(args);
        let mut cmd = crate::cli::build::parser();
        let mut m = cmd.try_get_matches_from_mut(&args)?;
        let first_rest: Vec<String> = m
            .get_many::<String>("rest")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        let mut grouped_rest = None;
        if let Some((late, words)) = crate::cli::options::split_grouped(&first_rest) {
            if !late.is_empty() {
                let mut again: Vec<String> = args[..args.len() - first_rest.len()].to_vec();
                if again.len() > 1 && again.last().map(String::as_str) == Some("--") {
                    again.pop();
                }
                again.extend(late);
                cmd = crate::cli::build::parser();
                m = cmd.try_get_matches_from_mut(again)?;
            }
            grouped_rest = Some(words);
        }
        if m.get_flag("help") {
            return Ok(Parsed::Help(m.get_one::<String>("config").cloned()));
        }
        let rest: Vec<String> = grouped_rest.unwrap_or(first_rest);
        if rest.is_empty() && m.contains_id("version") && m.get_flag("version") {
            return Ok(Parsed::Version(cmd.render_version().to_string()));
        }
        Ok(Parsed::Run(Globals {
            config: m.get_one::<String>("config").cloned(),
            store: m.get_one::<String>("store").cloned(),
            store_typed: m.value_source("store") == Some(clap::parser::ValueSource::CommandLine),
            output: m.get_one::<String>("output").cloned(),
            verbose: m.get_count("verbose"),
            quiet: m.get_flag("quiet"),
            legacy_integers: m.get_flag("legacy-integers"),
            no_headers: m.get_flag("no-headers"),
            dry_run: m.get_flag("dry-run"),
            yes: m.get_flag("yes"),
            progress: m.get_one::<String>("progress").cloned(),
            rest,
        }))
    }
}

/// An invalid value that came from an environment variable rather than the command line
/// (`MONGOOSEIMCTL_PROGRESS=bogus`): clap names only the option, so say which variable
/// holds it. `None` when the value was typed (clap's message is right then).
pub fn env_source(e: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        e.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let Some(ContextValue::String(value)) = e.get(ContextKind::InvalidValue) else {
        return None;
    };
    let parser = crate::cli::build::parser();
    let spec = parser.get_arguments().find(|a| {
        a.get_long()
            .is_some_and(|l| arg.starts_with(&format!("--{l}")))
    })?;
    let long = spec.get_long()?;
    let typed = args.iter().skip(1).any(|w| {
        w == &format!("--{long}")
            || w.starts_with(&format!("--{long}="))
            || spec
                .get_short()
                .is_some_and(|c| w.starts_with(&format!("-{c}")) && !w.starts_with("--"))
    });
    let key = spec.get_env()?.to_str()?.to_string();
    if typed || env_var(&key).as_deref() != Some(value.as_str()) {
        return None;
    }
    let possible: Vec<String> = spec
        .get_possible_values()
        .iter()
        .map(|p| p.get_name().to_string())
        .collect();
    let hint = if e.kind() == ErrorKind::ValueValidation {
        " (not a boolean: use 1 or 0, true or false, yes or no, on or off)".to_string()
    } else if possible.is_empty() {
        String::new()
    } else {
        format!(" (possible values: {})", possible.join(", "))
    };
    Some(format!(
        "error: invalid value '{value}' in the environment variable {key} (for --{long}){hint}\n"
    ))
}

/// An environment variable's value, `None` when it is unset, empty or not UTF-8: an empty
/// variable counts as unset everywhere (docs/compat.md, issue 12).
pub fn env_var(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.is_empty())
}

/// [`env_var`] for paths (may be non-UTF-8); empty counts as unset.
pub fn env_path(key: &str) -> Option<PathBuf> {
    std::env::var_os(key)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `MONGOOSEIMCTL_LOG`, the tracing filter that overrides -v/-q.
pub fn log_filter_env() -> Option<String> {
    env_var("MONGOOSEIMCTL_LOG")
}

/// Whether tables are drawn with ASCII borders: `TERM=dumb`, or a locale that is not UTF-8
/// (the first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set and not empty, when it does not name
/// UTF-8 / utf8). With none of them set, UTF-8 borders as before.
pub fn ascii_tables() -> bool {
    ascii_tables_for(
        env_var("TERM").as_deref(),
        ["LC_ALL", "LC_CTYPE", "LANG"]
            .into_iter()
            .find_map(env_var)
            .as_deref(),
    )
}

fn ascii_tables_for(term: Option<&str>, locale: Option<&str>) -> bool {
    if term == Some("dumb") {
        return true;
    }
    locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        !(l.contains("utf-8") || l.contains("utf8"))
    })
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

/// Where the store is: `--store`/`MONGOOSEIM_STORE`, else PostgreSQL as the environment's
/// `MONGOOSEIMCTL_PG_*` variables and the config's pgsql pool say ([`pg_target`]), else the
/// config's global RDBMS pool, else `$XDG_DATA_HOME/mongooseimctl/mongooseim.db`.
pub fn store_target(explicit: Option<&str>, config: &Config) -> StoreTarget {
    if let Some(p) = explicit {
        return StoreTarget::Sqlite(absolute(Path::new(p)));
    }
    let pool = config.global_pool();
    let env = PgEnv::read();
    if let Some(target) = pg_target(pool.map(|p| (p.tag.as_str(), &p.driver)), &env) {
        return target;
    }
    if let Some(pool) = pool {
        return match &pool.driver {
            StoreDriver::Sqlite { database } => StoreTarget::Sqlite(database.clone()),
            StoreDriver::Pgsql { .. } => StoreTarget::Unsupported("unreachable".into()),
            StoreDriver::Other(d) => StoreTarget::Unsupported(format!(
                "the config's rdbms pool \"{}\" uses driver {d}, which mongooseimctl does not support; \
                 pass --store FILE (or MONGOOSEIM_STORE) to use an SQLite store",
                pool.tag
            )),
        };
    }
    let base = env_path("XDG_DATA_HOME")
        .or_else(|| env_path("HOME").map(|h| h.join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    StoreTarget::Sqlite(base.join("mongooseimctl").join("mongooseim.db"))
}

/// MongooseIM's packaged log directory: the report file goes there when it is writable.
pub const MONGOOSEIM_LOG_DIR: &str = "/var/log/mongooseim";

/// The system-metrics service's environment (docs/compat.md, issue 11):
/// `MONGOOSEIMCTL_METRICS_URL` (the endpoint; none by default: nothing is sent),
/// `MONGOOSEIMCTL_METRICS_FILE` (the report file; default `/var/log/mongooseim/
/// system_metrics_report.json` when that directory exists and is writable, else
/// `$XDG_STATE_HOME/mongooseimctl/system_metrics_report.json`, `~/.local/state/...`), and
/// `CI` (it picks the predefined tracking id).
pub fn metrics_env() -> crate::services::metrics::MetricsEnv {
    let var = env_var;
    const NAME: &str = "system_metrics_report.json";
    let file = match var("MONGOOSEIMCTL_METRICS_FILE") {
        Some(f) => absolute(Path::new(&f)),
        None => {
            let log_dir = Path::new(MONGOOSEIM_LOG_DIR);
            let writable = log_dir.is_dir()
                && rustix::fs::access(log_dir, rustix::fs::Access::WRITE_OK).is_ok();
            if writable {
                log_dir.join(NAME)
            } else {
                env_path("XDG_STATE_HOME")
                    .or_else(|| env_path("HOME").map(|h| h.join(".local/state")))
                    .unwrap_or_else(|| PathBuf::from("."))
                    .join("mongooseimctl")
                    .join(NAME)
            }
        }
    };
    crate::services::metrics::MetricsEnv {
        url: var("MONGOOSEIMCTL_METRICS_URL"),
        file,
        ci: env_var("CI"),
    }
}

/// The PostgreSQL connection overrides of the environment (never a password in argv):
/// `MONGOOSEIMCTL_PG_HOST` (a path = a Unix socket directory), `_PORT`, `_DATABASE`, `_USER`,
/// `_PASSWORD`, `_PASSWORD_FILE` (wins over `_PASSWORD`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PgEnv {
    pub host: Option<String>,
    pub port: Option<String>,
    pub database: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<String>,
}

impl PgEnv {
    fn read() -> PgEnv {
        let var = env_var;
        PgEnv {
            host: var("MONGOOSEIMCTL_PG_HOST"),
            port: var("MONGOOSEIMCTL_PG_PORT"),
            database: var("MONGOOSEIMCTL_PG_DATABASE"),
            user: var("MONGOOSEIMCTL_PG_USER"),
            password: var("MONGOOSEIMCTL_PG_PASSWORD"),
            password_file: var("MONGOOSEIMCTL_PG_PASSWORD_FILE"),
        }
    }

    fn any_key(&self) -> bool {
        self.host.is_some() || self.database.is_some() || self.user.is_some()
    }
}

/// The PostgreSQL store, if the config's global pool is a pgsql pool or the environment names
/// one: each `MONGOOSEIMCTL_PG_*` variable overrides the pool's key; without a pgsql pool,
/// host, database and user must all come from the environment. The pool's `tls` table
/// applies to whatever host the environment names.
pub fn pg_target(pool: Option<(&str, &StoreDriver)>, env: &PgEnv) -> Option<StoreTarget> {
    use crate::store::pgsql::{PgPassword, PgTarget};
    let pg_pool = match pool {
        Some((
            _tag,
            StoreDriver::Pgsql {
                host,
                port,
                database,
                username,
                password,
                tls,
            },
        )) => Some((host, *port, database, username, password, tls)),
        _ => None,
    };
    if pg_pool.is_none() && !env.any_key() {
        return None;
    }
    let unsupported = |text: String| Some(StoreTarget::Unsupported(text));
    let pick = |e: &Option<String>, p: Option<&String>| e.clone().or_else(|| p.cloned());
    let host = pick(&env.host, pg_pool.map(|p| p.0));
    let database = pick(&env.database, pg_pool.map(|p| p.2));
    let username = pick(&env.user, pg_pool.map(|p| p.3));
    let (Some(host), Some(database), Some(username)) = (host, database, username) else {
        let missing: Vec<&str> = [
            ("MONGOOSEIMCTL_PG_HOST", &env.host),
            ("MONGOOSEIMCTL_PG_DATABASE", &env.database),
            ("MONGOOSEIMCTL_PG_USER", &env.user),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k)
        .collect();
        return unsupported(format!(
            "a PostgreSQL store needs a host, a database and a user: set {} (or configure a pgsql rdbms pool)",
            missing.join(", ")
        ));
    };
    let port = match &env.port {
        None => pg_pool.map_or(5432, |p| p.1),
        Some(text) => match text.parse::<u16>() {
            Ok(p) => p,
            Err(_) => {
                return unsupported(format!(
                    "MONGOOSEIMCTL_PG_PORT must be a port number (0..65535), not {text:?}"
                ))
            }
        },
    };
    let password = match (&env.password_file, &env.password, pg_pool.map(|p| p.4)) {
        (Some(file), _, _) => PgPassword::File(PathBuf::from(file)),
        (None, Some(p), _) => PgPassword::Text(p.clone()),
        (None, None, Some(p)) => PgPassword::Text(p.clone()),
        (None, None, None) => PgPassword::None,
    };
    Some(StoreTarget::Postgres(PgTarget {
        host,
        port,
        database,
        username,
        password,
        tls: pg_pool.and_then(|p| p.5.clone()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{PgTls, Sni, VerifyMode};
    use crate::store::pgsql::{PgPassword, PgTarget};

    fn pool(tls: Option<Box<PgTls>>) -> StoreDriver {
        StoreDriver::Pgsql {
            host: "db".into(),
            port: 6543,
            database: "mim".into(),
            username: "u".into(),
            password: "s3cret".into(),
            tls,
        }
    }

    fn target(host: &str, port: u16, db: &str, user: &str, pw: PgPassword) -> StoreTarget {
        StoreTarget::Postgres(PgTarget {
            host: host.into(),
            port,
            database: db.into(),
            username: user.into(),
            password: pw,
            tls: None,
        })
    }

    #[test]
    fn ascii_tables_on_dumb_terminals_and_non_utf8_locales() {
        assert!(ascii_tables_for(Some("dumb"), Some("C.UTF-8")));
        assert!(ascii_tables_for(Some("xterm"), Some("C")));
        assert!(ascii_tables_for(None, Some("POSIX")));
        assert!(ascii_tables_for(None, Some("de_DE.ISO-8859-1")));
        assert!(!ascii_tables_for(Some("xterm"), Some("C.UTF-8")));
        assert!(!ascii_tables_for(None, Some("en_US.utf8")));
        assert!(!ascii_tables_for(None, None));
    }

    #[test]
    fn the_pool_gives_the_target_and_the_environment_overrides_each_key() {
        let p = pool(None);
        let none = PgEnv::default();
        assert_eq!(
            pg_target(Some(("default", &p)), &none),
            Some(target(
                "db",
                6543,
                "mim",
                "u",
                PgPassword::Text("s3cret".into())
            ))
        );
        let env = PgEnv {
            host: Some("/run/pg".into()),
            port: Some("5433".into()),
            database: Some("other".into()),
            user: None,
            password: Some("env".into()),
            password_file: Some("/etc/pw".into()),
        };
        assert_eq!(
            pg_target(Some(("default", &p)), &env),
            Some(target(
                "/run/pg",
                5433,
                "other",
                "u",
                PgPassword::File("/etc/pw".into())
            ))
        );
        // No pgsql pool and no variable: not PostgreSQL.
        assert_eq!(pg_target(None, &none), None);
        let sqlite = StoreDriver::Sqlite {
            database: "x.db".into(),
        };
        assert_eq!(pg_target(Some(("default", &sqlite)), &none), None);
    }

    #[test]
    fn without_a_pool_the_environment_must_name_host_database_and_user() {
        let env = PgEnv {
            host: Some("/run/pg".into()),
            ..PgEnv::default()
        };
        let Some(StoreTarget::Unsupported(why)) = pg_target(None, &env) else {
            panic!("accepted an incomplete environment");
        };
        assert!(
            why.contains("MONGOOSEIMCTL_PG_DATABASE, MONGOOSEIMCTL_PG_USER"),
            "{why}"
        );
        let env = PgEnv {
            database: Some("mim".into()),
            user: Some("u".into()),
            ..env
        };
        assert_eq!(
            pg_target(None, &env),
            Some(target("/run/pg", 5432, "mim", "u", PgPassword::None))
        );
        let bad_port = PgEnv {
            port: Some("99999".into()),
            ..env
        };
        assert!(matches!(
            pg_target(None, &bad_port),
            Some(StoreTarget::Unsupported(w)) if w.contains("MONGOOSEIMCTL_PG_PORT")
        ));
    }

    #[test]
    fn the_pools_tls_table_goes_with_the_target_whatever_host_the_environment_names() {
        let tls = PgTls {
            required: true,
            verify_mode: VerifyMode::Peer,
            cacertfile: Some("/etc/mim/ca.pem".into()),
            certfile: None,
            keyfile: None,
            password: None,
            ciphers: None,
            versions: None,
            sni: Sni {
                enabled: true,
                host: None,
                protocol: "default".into(),
            },
        };
        let p = pool(Some(Box::new(tls.clone())));
        let env = PgEnv {
            host: Some("db2".into()),
            ..PgEnv::default()
        };
        let Some(StoreTarget::Postgres(t)) = pg_target(Some(("default", &p)), &env) else {
            panic!("no PostgreSQL target");
        };
        assert_eq!((t.host.as_str(), t.tls), ("db2", Some(Box::new(tls))));
    }
}
