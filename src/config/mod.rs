//! The MongooseIM 5.1 TOML configuration subset (spec/config.md, spec/services.md).
//!
//! [`Config::parse`] validates a whole file, collecting every problem as a [`ConfigError`]
//! (dotted TOML path, the raw bad value, a MongooseIM-style reason), and produces the effective
//! per-host-type view the commands need: auth settings, enabled modules, RDBMS pools, services.
//! [`Config::builtin`] is what the tool uses when no configuration file is found.

mod sections;
mod specs;
pub mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

pub use crate::compat::scram::ScramHash;

/// A `service_admin_extra` submod: the command group enum (every group but core).
pub use crate::registry::Group as Submod;

/// `[auth] password.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordFormat {
    Scram,
    Plain,
}

/// The effective auth settings of one host type.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthConfig {
    /// Methods in the order they are tried (`rdbms`, `internal`, `ldap`, ...).
    pub methods: Vec<String>,
    pub password_format: PasswordFormat,
    /// Hashes to store SCRAM data for, in canonical order (sha, sha224, sha256, sha384, sha512).
    pub hashes: Vec<ScramHash>,
    pub scram_iterations: u32,
}

impl Default for AuthConfig {
    /// MongooseIM's defaults for an `[auth]` section without any method table: no method,
    /// SCRAM with all five hashes and 10000 iterations.
    fn default() -> Self {
        AuthConfig {
            methods: Vec::new(),
            password_format: PasswordFormat::Scram,
            hashes: ALL_HASHES.to_vec(),
            scram_iterations: DEFAULT_SCRAM_ITERATIONS,
        }
    }
}

pub(crate) const ALL_HASHES: [ScramHash; 5] = [
    ScramHash::Sha,
    ScramHash::Sha224,
    ScramHash::Sha256,
    ScramHash::Sha384,
    ScramHash::Sha512,
];
pub(crate) const HASH_NAMES: [&str; 5] = ["sha", "sha224", "sha256", "sha384", "sha512"];
pub(crate) const DEFAULT_SCRAM_ITERATIONS: u32 = 10_000;

static DEFAULT_AUTH: LazyLock<AuthConfig> = LazyLock::new(AuthConfig::default);

/// The database behind an RDBMS pool.
#[derive(Clone, PartialEq)]
pub enum StoreDriver {
    /// Our extension: `driver = "sqlite"`, `database = <file>` (resolved against the config
    /// file's directory when relative).
    Sqlite { database: PathBuf },
    Pgsql {
        host: String,
        port: u16,
        database: String,
        username: String,
        /// Never shown by `Debug`.
        password: String,
        /// The `tls` table (config.md §3.3), if present: connect over TLS.
        /// (Boxed: most pools have none.)
        tls: Option<Box<PgTls>>,
    },
    /// `mysql` or `odbc` (accepted in the configuration, not usable by this tool).
    Other(String),
}

impl fmt::Debug for StoreDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreDriver::Sqlite { database } => f
                .debug_struct("Sqlite")
                .field("database", database)
                .finish(),
            StoreDriver::Pgsql {
                host,
                port,
                database,
                username,
                password: _,
                tls,
            } => f
                .debug_struct("Pgsql")
                .field("host", host)
                .field("port", port)
                .field("database", database)
                .field("username", username)
                .field("password", &"<redacted>")
                .field("tls", tls)
                .finish(),
            StoreDriver::Other(name) => f.debug_tuple("Other").field(name).finish(),
        }
    }
}

/// `tls.verify_mode` of a pgsql pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyMode {
    /// Verify the server's chain against `cacertfile` and its name (the default).
    Peer,
    /// As `Peer`, and also accept a server certificate that is itself in `cacertfile` (a
    /// self-signed certificate, even one marked as a CA).
    SelfsignedPeer,
    /// No verification of the server's certificate.
    None,
}

/// `tls.server_name_indication` of a pgsql pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sni {
    /// Send the SNI extension (default `true`).
    pub enabled: bool,
    /// The name sent and verified instead of the pool's host.
    pub host: Option<String>,
    /// `default` or `https` (the same name matching here: webpki's, the HTTPS rules).
    pub protocol: String,
}

/// The `tls` table of a pgsql pool (config.md §3.3), file paths resolved against the config
/// file's directory. What rustls cannot honour (`password`, most `ciphers` and `versions`) is
/// kept as written and refused when the store is opened (store/pgsql/tls.rs).
#[derive(Clone, PartialEq, Eq)]
pub struct PgTls {
    /// `true`: the server must accept TLS; `false` (the default): plain text if it does not.
    pub required: bool,
    pub verify_mode: VerifyMode,
    pub cacertfile: Option<PathBuf>,
    pub certfile: Option<PathBuf>,
    pub keyfile: Option<PathBuf>,
    /// The passphrase of an encrypted key. Never shown by `Debug`.
    pub password: Option<String>,
    pub ciphers: Option<String>,
    pub versions: Option<Vec<String>>,
    pub sni: Sni,
}

impl fmt::Debug for PgTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgTls")
            .field("required", &self.required)
            .field("verify_mode", &self.verify_mode)
            .field("cacertfile", &self.cacertfile)
            .field("certfile", &self.certfile)
            .field("keyfile", &self.keyfile)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("ciphers", &self.ciphers)
            .field("versions", &self.versions)
            .field("sni", &self.sni)
            .finish()
    }
}

impl StoreDriver {
    /// The `driver` value as written in the configuration.
    pub fn name(&self) -> &str {
        match self {
            StoreDriver::Sqlite { .. } => "sqlite",
            StoreDriver::Pgsql { .. } => "pgsql",
            StoreDriver::Other(name) => name,
        }
    }
}

/// One `[outgoing_pools.rdbms.<tag>]` pool.
#[derive(Debug, Clone, PartialEq)]
pub struct RdbmsPool {
    pub tag: String,
    /// `global`, `host` or `single_host`.
    pub scope: String,
    /// The host type of a `single_host` pool.
    pub host: Option<String>,
    pub driver: StoreDriver,
}

/// One configured outgoing pool, of any type (`[outgoing_pools.<type>.<tag>]`), in config
/// order: what the system-metrics report needs (the store uses [`RdbmsPool`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingPool {
    /// `rdbms`, `http`, `redis`, `riak`, `cassandra`, `elastic`, `ldap` or `rabbit`.
    pub pool_type: String,
    pub tag: String,
}

/// The `tls` table of a `[[listen.c2s]]` listener, with MongooseIM 5.1's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerTls {
    /// `tls.mode`: `tls`, `starttls` (the default) or `starttls_required`.
    pub mode: String,
    /// `tls.module`: `fast_tls` (the default) or `just_tls`.
    pub module: String,
}

/// One `[[listen.c2s]]` listener (only what the system-metrics report reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct C2sListener {
    /// `proto`: `tcp` (the default) or `udp`.
    pub proto: String,
    /// The `tls` table, if present.
    pub tls: Option<ListenerTls>,
}

/// One `[[listen.http]]` listener: the handler modules under `handlers`, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpListener {
    pub handlers: Vec<String>,
}

/// The `[listen]` section, as far as the tool reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listen {
    pub c2s: Vec<C2sListener>,
    pub http: Vec<HttpListener>,
}

/// The configuration's type as MongooseIM names it from the file's extension
/// (`cluster.config_type` of the system-metrics report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigType {
    Toml,
    Cfg,
    Unknown,
}

impl ConfigType {
    /// The atom MongooseIM reports: `toml`, `cfg` or `unknown_config_type`.
    pub fn name(self) -> &'static str {
        match self {
            ConfigType::Toml => "toml",
            ConfigType::Cfg => "cfg",
            ConfigType::Unknown => "unknown_config_type",
        }
    }

    /// From a file path, as Erlang's `filename:extension/1` sees it: the text from the last
    /// `.` of the last path component (case-sensitive; a leading dot counts, so a file
    /// named `.toml` is `toml`).
    pub fn of_path(path: &Path) -> ConfigType {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match name.rfind('.').map(|i| &name[i..]) {
            Some(".toml") => ConfigType::Toml,
            Some(".cfg") => ConfigType::Cfg,
            _ => ConfigType::Unknown,
        }
    }
}

/// `[services.service_admin_extra]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminExtra {
    pub submods: Vec<Submod>,
}

/// `[services.service_domain_db]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainDb {
    pub db_pool: String,
    /// Seconds.
    pub event_cleaning_interval: u64,
    /// Seconds.
    pub event_max_age: u64,
}

/// `[services.service_mongoose_system_metrics]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemMetrics {
    /// Milliseconds.
    pub initial_report: u64,
    /// Milliseconds.
    pub periodic_report: u64,
    pub report: Option<bool>,
    pub tracking_id: Option<String>,
}

/// The configured services; `None` = the service's table is absent (service not loaded).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Services {
    pub admin_extra: Option<AdminExtra>,
    pub domain_db: Option<DomainDb>,
    pub system_metrics: Option<SystemMetrics>,
}

/// Options of one module for one host type, after validation and with defaults filled in for
/// the keys we consult (e.g. "backend"). Keeps the raw validated TOML table; defaults are
/// inserted as TOML values in the configuration's own units.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleOpts {
    pub opts: toml::Table,
}

impl ModuleOpts {
    /// The `backend` option (filled with the module's default where it has one).
    pub fn backend(&self) -> Option<&str> {
        self.get_str("backend")
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.opts.get(key).and_then(toml::Value::as_str)
    }

    pub fn get_bool(&self, key: &str) -> Option<bool> {
        self.opts.get(key).and_then(toml::Value::as_bool)
    }

    pub fn get_int(&self, key: &str) -> Option<i64> {
        self.opts.get(key).and_then(toml::Value::as_integer)
    }

    pub fn get_table(&self, key: &str) -> Option<&toml::Table> {
        self.opts.get(key).and_then(toml::Value::as_table)
    }
}

/// The module options commands read, typed, for one host type (filled once at load from the
/// validated module tables; services never look up raw TOML keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostModules {
    /// `mod_roster`, if enabled.
    pub roster: Option<RosterOpts>,
    pub private: bool,
    pub vcard: bool,
    pub last: bool,
    /// `mod_offline`, if enabled.
    pub offline: Option<OfflineOpts>,
    pub auth_token: bool,
    /// `mod_http_upload`, if enabled.
    pub http_upload: Option<HttpUploadOpts>,
}

/// The `mod_http_upload` options (config.md §5.7; backend `s3`, the only one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUploadOpts {
    /// `s3.bucket_url`, parsed (validated at load).
    pub bucket_url: crate::compat::sigv4::BucketUrl,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `s3.add_acl`: sign `x-amz-acl: public-read` (default false).
    pub add_acl: bool,
    /// Random bytes of the URL token (default 32).
    pub token_bytes: usize,
    /// Seconds a slot is valid for XMPP requests (default 60); `http_upload` takes its own
    /// timeout instead.
    pub expiration_time: i64,
    /// Largest file an XMPP client may ask a slot for (default 10 MiB); not checked by
    /// `http_upload`.
    pub max_file_size: i64,
}

impl HttpUploadOpts {
    /// From validated options (None if the table lacks what validation guarantees).
    fn from_opts(m: &ModuleOpts) -> Option<HttpUploadOpts> {
        let s3 = m.get_table("s3")?;
        let text = |k: &str| s3.get(k).and_then(toml::Value::as_str).map(str::to_string);
        Some(HttpUploadOpts {
            bucket_url: crate::compat::sigv4::BucketUrl::parse(&text("bucket_url")?).ok()?,
            region: text("region")?,
            access_key_id: text("access_key_id")?,
            secret_access_key: text("secret_access_key")?,
            add_acl: s3.get("add_acl").and_then(toml::Value::as_bool) == Some(true),
            token_bytes: usize::try_from(m.get_int("token_bytes")?).ok()?,
            expiration_time: m.get_int("expiration_time")?,
            max_file_size: m.get_int("max_file_size")?,
        })
    }
}

/// The `mod_offline` options message routing honours (config.md §5.5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfflineOpts {
    /// The `[access]` rule giving the most messages a user may have stored
    /// (`access_max_user_messages`, default `max_user_offline_messages`).
    pub access_max_user_messages: String,
    /// Store `groupchat` messages too (`store_groupchat_messages`, default false).
    pub store_groupchat_messages: bool,
}

/// The `mod_roster` options commands honour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RosterOpts {
    /// XEP-0237 roster versioning.
    pub versioning: bool,
    /// Keep the current version in `roster_version`.
    pub store_current_id: bool,
}

impl RosterOpts {
    /// Whether a roster change must store a new version.
    pub fn keeps_version(&self) -> bool {
        self.versioning && self.store_current_id
    }
}

impl HostModules {
    fn from_modules(mods: &BTreeMap<String, ModuleOpts>) -> HostModules {
        HostModules {
            roster: mods.get("mod_roster").map(|m| RosterOpts {
                versioning: m.get_bool("versioning") == Some(true),
                store_current_id: m.get_bool("store_current_id") == Some(true),
            }),
            private: mods.contains_key("mod_private"),
            vcard: mods.contains_key("mod_vcard"),
            last: mods.contains_key("mod_last"),
            offline: mods.get("mod_offline").map(|m| OfflineOpts {
                access_max_user_messages: m
                    .get_str("access_max_user_messages")
                    .unwrap_or(DEFAULT_MAX_USER_MESSAGES_RULE)
                    .to_string(),
                store_groupchat_messages: m.get_bool("store_groupchat_messages") == Some(true),
            }),
            auth_token: mods.contains_key("mod_auth_token"),
            http_upload: mods
                .get("mod_http_upload")
                .and_then(HttpUploadOpts::from_opts),
        }
    }
}

/// mod_offline's default `access_max_user_messages`.
pub const DEFAULT_MAX_USER_MESSAGES_RULE: &str = "max_user_offline_messages";

/// One rule of `general.mongooseimctl_access_commands` (cli-output §6): who (an access
/// rule), which commands, and which argument values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtlAccessRule {
    /// The access rule deciding who may use this entry: `all` (anyone, no credentials),
    /// `none`, or a rule of `[access]`.
    pub access: String,
    /// The commands allowed; `None` (no `commands` key) = every command.
    pub commands: Option<Vec<String>>,
    /// Argument name → the one value it may have, in file order. An argument the command does
    /// not have is not restricted.
    pub argument_restrictions: Vec<(String, String)>,
}

/// `match` of an `[acl]` pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AclMatch {
    All,
    None,
    CurrentDomain,
    AnyHostedDomain,
}

/// A condition of an `[acl]` pattern: what it tests and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AclCondition {
    User,
    UserRegexp,
    UserGlob,
    Server,
    ServerRegexp,
    ServerGlob,
    Resource,
    ResourceRegexp,
    ResourceGlob,
}

impl AclCondition {
    pub const ALL: [(&'static str, AclCondition); 9] = [
        ("user", AclCondition::User),
        ("user_regexp", AclCondition::UserRegexp),
        ("user_glob", AclCondition::UserGlob),
        ("server", AclCondition::Server),
        ("server_regexp", AclCondition::ServerRegexp),
        ("server_glob", AclCondition::ServerGlob),
        ("resource", AclCondition::Resource),
        ("resource_regexp", AclCondition::ResourceRegexp),
        ("resource_glob", AclCondition::ResourceGlob),
    ];
}

/// One pattern of an `[acl]` class: every condition must hold. Condition values are
/// nodeprepped (lower-cased) at load, as MongooseIM does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclPattern {
    pub matches: AclMatch,
    pub conditions: Vec<(AclCondition, String)>,
}

/// The value of an `[access]` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessValue {
    Allow,
    Deny,
    /// Any other value (a number or name used by other rules, e.g. shapers): not `allow`.
    Other(String),
}

/// One clause of an `[access]` rule: the value when the user is in the ACL class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClause {
    pub acl: String,
    pub value: AccessValue,
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it was read from; `None` = built-in defaults.
    pub path: Option<PathBuf>,
    /// Static domains, nameprepped (lower-cased), in configuration order.
    pub hosts: Vec<String>,
    /// Host types for dynamic domains, verbatim.
    pub host_types: Vec<String>,
    pub default_server_domain: String,
    pub loglevel: String,
    /// Host type (each static host and each host type) -> effective auth settings.
    pub auth: BTreeMap<String, AuthConfig>,
    /// Host type -> module name -> options. A `[[host_config]]` `modules` table replaces the
    /// whole set for its host type.
    pub modules: BTreeMap<String, BTreeMap<String, ModuleOpts>>,
    /// Host type -> the typed options of the modules commands consult.
    pub host_modules: BTreeMap<String, HostModules>,
    pub rdbms_pools: Vec<RdbmsPool>,
    /// Every valid outgoing pool (all types), in config order.
    pub outgoing_pools: Vec<OutgoingPool>,
    /// `[[listen.c2s]]` and `[[listen.http]]` listeners.
    pub listen: Listen,
    pub services: Services,
    /// `general.mongooseimctl_access_commands`, in file order; empty = every command allowed
    /// and `--auth` ignored.
    pub access_commands: Vec<CtlAccessRule>,
    /// Host type → `[acl]` class → patterns (the global patterns, then the host type's own).
    pub acl: BTreeMap<String, BTreeMap<String, Vec<AclPattern>>>,
    /// Host type → `[access]` rule → clauses (the global clauses merged with the host type's
    /// as MongooseIM does: before a trailing `{acl = "all", value = "allow"}`).
    pub access: BTreeMap<String, BTreeMap<String, Vec<AccessClause>>>,
    /// Non-fatal remarks (deprecated spellings read as their current names).
    pub warnings: Vec<String>,
}

/// Modules of the built-in configuration, all with `backend = "rdbms"`.
const BUILTIN_MODULES: [&str; 5] = [
    "mod_last",
    "mod_roster",
    "mod_vcard",
    "mod_private",
    "mod_offline",
];

impl Config {
    /// Built-in defaults used when no config file is found: host `localhost`, no host types,
    /// auth `rdbms` with SCRAM (all five hashes, 10000 iterations), `service_admin_extra` with
    /// all 12 submods, no `service_domain_db`, no system metrics, modules mod_last, mod_roster,
    /// mod_vcard, mod_private and mod_offline (backend `rdbms`), no pools.
    pub fn builtin() -> Config {
        let host = "localhost".to_string();
        let mut modules = BTreeMap::new();
        for name in BUILTIN_MODULES {
            let mut opts = toml::Table::new();
            opts.insert("backend".into(), toml::Value::String("rdbms".into()));
            sections::fill_module_defaults(name, &mut opts);
            modules.insert(name.to_string(), ModuleOpts { opts });
        }
        let auth = AuthConfig {
            methods: vec!["rdbms".to_string()],
            ..AuthConfig::default()
        };
        Config {
            path: None,
            hosts: vec![host.clone()],
            host_types: Vec::new(),
            default_server_domain: host.clone(),
            loglevel: "warning".to_string(),
            auth: BTreeMap::from([(host.clone(), auth)]),
            modules: BTreeMap::from([(host, modules)]),
            host_modules: BTreeMap::new(),
            rdbms_pools: Vec::new(),
            outgoing_pools: Vec::new(),
            listen: Listen::default(),
            services: Services {
                admin_extra: Some(AdminExtra {
                    submods: Submod::SUBMODS.to_vec(),
                }),
                domain_db: None,
                system_metrics: None,
            },
            access_commands: Vec::new(),
            acl: BTreeMap::new(),
            access: BTreeMap::new(),
            warnings: Vec::new(),
        }
        .typed()
    }

    /// Fill the typed module options from the validated module tables.
    pub(crate) fn typed(mut self) -> Config {
        self.host_modules = self
            .modules
            .iter()
            .map(|(ht, mods)| (ht.clone(), HostModules::from_modules(mods)))
            .collect();
        self
    }

    /// The typed module options of a host type (an unknown host type has no modules).
    pub fn host_modules(&self, host_type: &str) -> &HostModules {
        static NONE: HostModules = HostModules {
            roster: None,
            private: false,
            vcard: false,
            last: false,
            offline: None,
            auth_token: false,
            http_upload: None,
        };
        self.host_modules.get(host_type).unwrap_or(&NONE)
    }

    /// Parses and validates a TOML text. `path` is recorded in [`Config::path`] and its
    /// directory is the base of relative sqlite database paths.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, Vec<ConfigError>> {
        let root: toml::Table = match text.parse() {
            Ok(root) => root,
            Err(e) => return Err(vec![ConfigError::syntax(text, &e)]),
        };
        sections::build(&root, path)
    }

    /// Reads and parses a file.
    pub fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, Some(path)),
            Err(e) => Err(vec![ConfigError {
                path: String::new(),
                value: None,
                reason: "file_read_failed".to_string(),
                text: format!("cannot read config file {}: {e}", path.display()),
            }]),
        }
    }

    /// The configuration's type from its file's extension; the built-in defaults count as
    /// `toml` (they stand for MongooseIM's default `mongooseim.toml`).
    pub fn config_type(&self) -> ConfigType {
        self.path
            .as_deref()
            .map_or(ConfigType::Toml, ConfigType::of_path)
    }

    /// Whether `service_admin_extra` is configured with this submod.
    pub fn submod_enabled(&self, s: Submod) -> bool {
        self.services
            .admin_extra
            .as_ref()
            .is_some_and(|a| a.submods.contains(&s))
    }

    /// Whether `domain` (nameprepped here) is one of `general.hosts`.
    pub fn is_static_host(&self, domain: &str) -> bool {
        let domain = domain.to_lowercase();
        self.hosts.contains(&domain)
    }

    /// Every host type: the static hosts (each is its own host type) then `host_types`.
    pub fn all_host_types(&self) -> Vec<&str> {
        self.hosts
            .iter()
            .chain(&self.host_types)
            .map(String::as_str)
            .collect()
    }

    /// The auth settings of a host type; an unknown host type gets [`AuthConfig::default`].
    pub fn auth_for(&self, host_type: &str) -> &AuthConfig {
        self.auth.get(host_type).unwrap_or(&DEFAULT_AUTH)
    }

    pub fn module_enabled(&self, host_type: &str, module: &str) -> bool {
        self.module_opts(host_type, module).is_some()
    }

    pub fn module_opts(&self, host_type: &str, module: &str) -> Option<&ModuleOpts> {
        self.modules.get(host_type).and_then(|m| m.get(module))
    }

    /// The clauses of the `[access]` rule `name` for `host_type` (`None`: no such rule).
    pub fn access_rule(&self, host_type: &str, name: &str) -> Option<&[AccessClause]> {
        self.access
            .get(host_type)
            .and_then(|rules| rules.get(name))
            .map(Vec::as_slice)
    }

    /// The patterns of the `[acl]` class `name` for `host_type` (none if undefined).
    pub fn acl_class(&self, host_type: &str, name: &str) -> &[AclPattern] {
        self.acl
            .get(host_type)
            .and_then(|classes| classes.get(name))
            .map_or(&[], Vec::as_slice)
    }

    /// The global store pool: the rdbms pool with tag `default` and scope `global`, whatever
    /// its driver (callers match on [`StoreDriver`]: only `Sqlite` is a usable store; a
    /// `Pgsql`/`Other` pool lets them say why the configured database cannot be used).
    pub fn global_pool(&self) -> Option<&RdbmsPool> {
        self.rdbms_pools
            .iter()
            .find(|p| p.tag == "default" && p.scope == "global")
    }

    /// MongooseIM's pool resolution for a host type, tag `default`: a `single_host` pool for
    /// that host type, else a `host`-scoped pool, else the `global` one (any driver).
    pub fn rdbms_pool_for(&self, host_type: &str) -> Option<&RdbmsPool> {
        let default = || self.rdbms_pools.iter().filter(|p| p.tag == "default");
        default()
            .find(|p| p.scope == "single_host" && p.host.as_deref() == Some(host_type))
            .or_else(|| {
                default().find(|p| p.scope == "host" && self.all_host_types().contains(&host_type))
            })
            .or_else(|| default().find(|p| p.scope == "global"))
    }
}

/// One problem found in a configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// Dotted TOML path, e.g. `services.service_admin_extra.submods` (`""` for the whole file).
    /// Array items and `[[host_config]]` elements do not add a path component.
    pub path: String,
    /// The bad value rendered as TOML, e.g. `"nodejshaha"` or `0`.
    pub value: Option<String>,
    /// MongooseIM-style reason: `unexpected_key`, `missing_mandatory_keys`,
    /// `validate_enum_failed`, `wrong_type`, `not_positive`, `non_negative`, `non_empty`,
    /// `not_unique`, `module_not_found`, `toml_parsing_failed`, `file_read_failed`, ...
    pub reason: String,
    /// A human one-liner (without the path).
    pub text: String,
}

impl ConfigError {
    fn syntax(input: &str, e: &toml::de::Error) -> ConfigError {
        let message = validate::collapse_whitespace(e.message());
        let text = match e.span() {
            Some(span) => {
                let (line, column) = line_column(input, span.start);
                format!("TOML syntax error at line {line}, column {column}: {message}")
            }
            None => format!("TOML syntax error: {message}"),
        };
        ConfigError {
            path: String::new(),
            value: None,
            reason: "toml_parsing_failed".to_string(),
            text,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(input: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(input.len());
    while !input.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &input[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.text)
        } else {
            write!(f, "{}: {}", self.path, self.text)
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests;
