//! Section by section: validation rules that span several keys, and the conversion of the
//! validated TOML into [`Config`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::specs::{self, ModuleKind};
use super::validate::{join, Ctx, Spec, Ty};
use super::{
    AccessClause, AccessValue, AclCondition, AclMatch, AclPattern, AdminExtra, AuthConfig,
    C2sListener, Config, ConfigError, CtlAccessRule, DomainDb, HttpListener, Listen, ListenerTls,
    ModuleOpts, OutgoingPool, PasswordFormat, PgTls, RdbmsPool, ScramHash, Services, Sni,
    StoreDriver, Submod, SystemMetrics, VerifyMode, ALL_HASHES, DEFAULT_SCRAM_ITERATIONS,
    HASH_NAMES,
};

type Modules = BTreeMap<String, ModuleOpts>;
type AclClasses = BTreeMap<String, Vec<AclPattern>>;
type AccessRules = BTreeMap<String, Vec<AccessClause>>;

/// Validates the parsed TOML document and builds the effective configuration.
pub(crate) fn build(root: &Table, path: Option<&Path>) -> Result<Config, Vec<ConfigError>> {
    let mut cx = Ctx::default();
    let base_dir = path.and_then(Path::parent);

    for (key, value) in root {
        if !specs::ROOT_KEYS.contains(&key.as_str()) {
            cx.unexpected_key("", key, value, specs::ROOT_KEYS);
        }
    }

    let general = match root.get("general") {
        Some(v) => general(&mut cx, v),
        None => {
            cx.missing_keys("", &["general"]);
            General::default()
        }
    };

    let global_auth = auth(&mut cx, "auth", root.get("auth"));
    let (rdbms_pools, outgoing_pools) = match root.get("outgoing_pools") {
        Some(v) => outgoing_pools(&mut cx, v, base_dir),
        None => (Vec::new(), Vec::new()),
    };
    let services = match root.get("services") {
        Some(v) => services(&mut cx, v),
        None => Services::default(),
    };
    let global_modules = match root.get("modules") {
        Some(v) => modules(&mut cx, "modules", v),
        None => Modules::new(),
    };
    for (key, spec) in [
        ("listen", &specs::LISTEN),
        ("shaper", &specs::SHAPER),
        ("acl", &specs::ACL),
        ("access", &specs::ACCESS),
    ] {
        if let Some(v) = root.get(key) {
            cx.check(key, v, &Ty::Table(spec));
        }
    }
    let listen = root
        .get("listen")
        .map(|v| listen(&mut cx, v))
        .unwrap_or_default();
    let global_acl = root
        .get("acl")
        .map(|v| acl_classes(&mut cx, "acl", v))
        .unwrap_or_default();
    let global_access = root.get("access").map(access_rules).unwrap_or_default();
    if let Some(v) = root.get("s2s") {
        cx.check("s2s", v, &Ty::AnyTable);
    }
    let overrides = match root.get("host_config") {
        Some(v) => host_configs(&mut cx, v, &general),
        None => Vec::new(),
    };

    check_dynamic_domains(&mut cx, &general, &global_modules, &overrides);

    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }

    let mut auth_map = BTreeMap::new();
    let mut module_map = BTreeMap::new();
    let mut acl_map = BTreeMap::new();
    let mut access_map = BTreeMap::new();
    let by_target: HashMap<&str, &HostOverride> =
        overrides.iter().map(|o| (o.target.as_str(), o)).collect();
    for ht in general.hosts.iter().chain(&general.host_types) {
        let over = by_target.get(ht.as_str()).copied();
        let auth = over
            .and_then(|o| o.auth.clone())
            .unwrap_or_else(|| global_auth.clone());
        let mods = over
            .and_then(|o| o.modules.clone())
            .unwrap_or_else(|| global_modules.clone());
        let mut acl = global_acl.clone();
        let mut access = global_access.clone();
        if let Some(o) = over {
            for (class, patterns) in &o.acl {
                acl.entry(class.clone())
                    .or_default()
                    .extend(patterns.iter().cloned());
            }
            for (rule, clauses) in &o.access {
                let merged = merge_access_rule(access.remove(rule).unwrap_or_default(), clauses);
                access.insert(rule.clone(), merged);
            }
        }
        auth_map.insert(ht.clone(), auth);
        module_map.insert(ht.clone(), mods);
        acl_map.insert(ht.clone(), acl);
        access_map.insert(ht.clone(), access);
    }

    Ok(Config {
        path: path.map(Path::to_path_buf),
        hosts: general.hosts,
        host_types: general.host_types,
        default_server_domain: general.default_server_domain,
        loglevel: general.loglevel,
        auth: auth_map,
        modules: module_map,
        host_modules: BTreeMap::new(),
        rdbms_pools,
        outgoing_pools,
        listen,
        services,
        access_commands: general.access_commands,
        acl: acl_map,
        access: access_map,
        warnings: cx.warnings,
    }
    .typed())
}

// ---------------------------------------------------------------------------------------------
// [general]

struct General {
    hosts: Vec<String>,
    host_types: Vec<String>,
    default_server_domain: String,
    loglevel: String,
    access_commands: Vec<CtlAccessRule>,
}

impl Default for General {
    fn default() -> Self {
        General {
            hosts: Vec::new(),
            host_types: Vec::new(),
            default_server_domain: String::new(),
            loglevel: "warning".to_string(),
            access_commands: Vec::new(),
        }
    }
}

/// Checks an array of non-empty strings; returns the strings (after `normalise`), reporting
/// duplicates (compared after normalisation) as `not_unique`. Linear: a hash set of the names
/// seen so far (issue 7 item 10: 200,000 hosts).
fn name_list(cx: &mut Ctx, path: &str, v: &Value, normalise: fn(&str) -> String) -> Vec<String> {
    if !cx.check(path, v, &Ty::List(&Ty::NonEmpty)) {
        return Vec::new();
    }
    let items = v.as_array().map_or(&[][..], Vec::as_slice);
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
    for item in items {
        let Some(s) = item.as_str() else { continue };
        let name = normalise(s);
        if seen.contains(&name) {
            cx.not_unique(path, item);
        } else {
            seen.insert(name.clone());
            out.push(name);
        }
    }
    out
}

fn general(cx: &mut Ctx, v: &Value) -> General {
    let mut g = General::default();
    let Some(t) = cx.table("general", v) else {
        return g;
    };
    cx.check_fields("general", t, &specs::GENERAL);
    let before = cx.errors.len();
    if let Some(h) = t.get("hosts") {
        g.hosts = name_list(cx, "general.hosts", h, str::to_lowercase);
    }
    if let Some(h) = t.get("host_types") {
        g.host_types = name_list(cx, "general.host_types", h, str::to_string);
    }
    if let Some(d) = t.get("default_server_domain").and_then(Value::as_str) {
        g.default_server_domain = d.to_lowercase();
    }
    if let Some(l) = t.get("loglevel").and_then(Value::as_str) {
        g.loglevel = l.to_string();
    }
    if let Some(ac) = t
        .get("mongooseimctl_access_commands")
        .and_then(Value::as_table)
    {
        g.access_commands = ctl_access_rules(cx, ac);
    }

    // Only look at the combination when both lists are valid on their own.
    if cx.errors.len() == before {
        if g.hosts.is_empty() && g.host_types.is_empty() {
            cx.error(
                "general",
                None,
                "no_hosts",
                "general.hosts and general.host_types are both empty; at least one is required",
            );
        }
        let hosts: HashSet<&str> = g.hosts.iter().map(String::as_str).collect();
        for ht in &g.host_types {
            if hosts.contains(ht.as_str()) {
                cx.error(
                    "general",
                    Some(&Value::String(ht.clone())),
                    "not_unique",
                    "a host type may not have the name of a host",
                );
            }
        }
    }
    g
}

/// The typed rules of `general.mongooseimctl_access_commands` (already type-checked by
/// `specs::GENERAL`; values of the wrong type were reported there and are skipped here). A
/// command name that is not a mongooseimctl command gets a warning: the entry can never allow
/// it, which is most likely a typo.
fn ctl_access_rules(cx: &mut Ctx, t: &Table) -> Vec<CtlAccessRule> {
    const PATH: &str = "general.mongooseimctl_access_commands";
    let mut out = Vec::with_capacity(t.len());
    for (access, rule) in t {
        let Some(rule) = rule.as_table() else {
            continue;
        };
        let commands: Option<Vec<String>> =
            rule.get("commands").and_then(Value::as_array).map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
        for name in commands.iter().flatten() {
            if crate::registry::find(name).is_none() {
                cx.warn(
                    &join(&join(PATH, access), "commands"),
                    &format!(
                        "\"{name}\" is not a mongooseimctl command, so this entry never allows it"
                    ),
                );
            }
        }
        let argument_restrictions = rule
            .get("argument_restrictions")
            .and_then(Value::as_table)
            .map(|r| {
                r.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        out.push(CtlAccessRule {
            access: access.clone(),
            commands,
            argument_restrictions,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// [acl] and [access] (typed for the ctl access check; the section shapes are checked by
// specs::ACL and specs::ACCESS)

const ACL_MATCHES: &[&str] = &["all", "none", "current_domain", "any_hosted_domain"];

static ACL_PATTERN: Spec = Spec {
    keys: &[
        ("match", Ty::Enum(ACL_MATCHES)),
        ("user", Ty::Str),
        ("user_regexp", Ty::Str),
        ("user_glob", Ty::Str),
        ("server", Ty::Str),
        ("server_regexp", Ty::Str),
        ("server_glob", Ty::Str),
        ("resource", Ty::Str),
        ("resource_regexp", Ty::Str),
        ("resource_glob", Ty::Str),
    ],
    required: &[],
    other: None,
};

/// The classes of an `acl` section (at `path`): each pattern's keys are checked, `match`
/// defaults to `current_domain`, and condition values are nodeprepped (lower-cased) as
/// MongooseIM's `process_acl_condition` does (a value nodeprep rejects is an error).
fn acl_classes(cx: &mut Ctx, path: &str, v: &Value) -> AclClasses {
    let mut out = AclClasses::new();
    let Some(t) = v.as_table() else {
        return out;
    };
    for (class, patterns) in t {
        let Some(items) = patterns.as_array() else {
            continue;
        };
        let class_path = join(path, class);
        let mut parsed = Vec::with_capacity(items.len());
        for item in items {
            let Some(p) = item.as_table() else {
                continue;
            };
            if !cx.check_fields(&class_path, p, &ACL_PATTERN) {
                continue;
            }
            let matches = match p.get("match").and_then(Value::as_str) {
                Some("all") => AclMatch::All,
                Some("none") => AclMatch::None,
                Some("any_hosted_domain") => AclMatch::AnyHostedDomain,
                _ => AclMatch::CurrentDomain,
            };
            let mut conditions = Vec::new();
            for (key, cond) in AclCondition::ALL {
                let Some(value) = p.get(key) else { continue };
                let Some(raw) = value.as_str() else { continue };
                match crate::compat::jid::nodeprep(raw) {
                    Some(prepped) => conditions.push((cond, prepped)),
                    None => cx.error(
                        &join(&class_path, key),
                        Some(value),
                        "incorrect_acl_condition_value",
                        "the value could not be parsed as a JID node part (nodeprep)",
                    ),
                }
            }
            parsed.push(AclPattern {
                matches,
                conditions,
            });
        }
        out.insert(class.clone(), parsed);
    }
    out
}

/// The rules of an `access` section (already checked by `specs::ACCESS`).
fn access_rules(v: &Value) -> AccessRules {
    let mut out = AccessRules::new();
    let Some(t) = v.as_table() else {
        return out;
    };
    for (rule, clauses) in t {
        let parsed = clauses
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_table)
            .filter_map(|c| {
                let acl = c.get("acl")?.as_str()?.to_string();
                let value = match c.get("value")? {
                    Value::String(s) if s == "allow" => AccessValue::Allow,
                    Value::String(s) if s == "deny" => AccessValue::Deny,
                    Value::String(s) => AccessValue::Other(s.clone()),
                    other => AccessValue::Other(other.to_string()),
                };
                Some(AccessClause { acl, value })
            })
            .collect();
        out.insert(rule.clone(), parsed);
    }
    out
}

/// MongooseIM's `merge_access_rules`: a host type's clauses go after the global ones, but
/// before a trailing global catch-all `{acl = "all", value = "allow"}`.
fn merge_access_rule(mut global: Vec<AccessClause>, host: &[AccessClause]) -> Vec<AccessClause> {
    let catch_all = global
        .last()
        .is_some_and(|c| c.acl == "all" && c.value == AccessValue::Allow);
    let tail = if catch_all { global.pop() } else { None };
    global.extend(host.iter().cloned());
    global.extend(tail);
    global
}

// ---------------------------------------------------------------------------------------------
// [auth]

/// Validates an auth section (absent = empty) and returns its settings with defaults.
fn auth(cx: &mut Ctx, path: &str, v: Option<&Value>) -> AuthConfig {
    let empty = Table::new();
    let t = match v {
        None => &empty,
        Some(v) => match cx.table(path, v) {
            Some(t) => t,
            None => return AuthConfig::default(),
        },
    };
    cx.check_fields(path, t, &specs::AUTH);

    let methods = match t.get("methods") {
        Some(Value::Array(items)) => {
            let mut methods = Vec::new();
            for item in items {
                let Some(m) = item.as_str() else { continue };
                if specs::AUTH_METHODS.contains(&m) && !t.contains_key(m) {
                    cx.error(
                        &join(path, "methods"),
                        Some(item),
                        "missing_section_for_auth_method",
                        &format!("the method needs its own table [{}]", join(path, m)),
                    );
                }
                methods.push(m.to_string());
            }
            methods
        }
        _ => specs::AUTH_METHODS
            .iter()
            .filter(|m| t.contains_key(**m))
            .map(|m| (*m).to_string())
            .collect(),
    };

    let mut auth = AuthConfig {
        methods,
        ..AuthConfig::default()
    };
    if let Some(pw) = t.get("password").and_then(Value::as_table) {
        if pw.get("format").and_then(Value::as_str) == Some("plain") {
            auth.password_format = PasswordFormat::Plain;
        }
        if let Some(Value::Array(hashes)) = pw.get("hash") {
            auth.hashes = canonical_hashes(hashes);
        }
        if let Some(n) = pw.get("scram_iterations").and_then(Value::as_integer) {
            auth.scram_iterations = u32::try_from(n).unwrap_or(DEFAULT_SCRAM_ITERATIONS);
            if n > i64::from(u32::MAX) {
                cx.error(
                    &join(path, "password.scram_iterations"),
                    pw.get("scram_iterations"),
                    "out_of_range",
                    "at most 4294967295",
                );
            }
        }
    }
    auth
}

/// The listed hash names as [`ScramHash`]es in canonical order (sha ... sha512).
fn canonical_hashes(items: &[Value]) -> Vec<ScramHash> {
    HASH_NAMES
        .iter()
        .zip(ALL_HASHES)
        .filter(|(name, _)| items.iter().any(|i| i.as_str() == Some(**name)))
        .map(|(_, hash)| hash)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// [outgoing_pools]

/// The valid rdbms pools, and every pool of a known type (type and tag, in config order).
fn outgoing_pools(
    cx: &mut Ctx,
    v: &Value,
    base_dir: Option<&Path>,
) -> (Vec<RdbmsPool>, Vec<OutgoingPool>) {
    let mut pools = Vec::new();
    let mut all = Vec::new();
    let Some(types) = cx.table("outgoing_pools", v) else {
        return (pools, all);
    };
    for (pool_type, tags) in types {
        let type_path = join("outgoing_pools", pool_type);
        if !specs::POOL_TYPES.contains(&pool_type.as_str()) {
            cx.unexpected_key("outgoing_pools", pool_type, tags, specs::POOL_TYPES);
            continue;
        }
        let Some(tags) = cx.table(&type_path, tags) else {
            continue;
        };
        for (tag, pool) in tags {
            let pool_path = join(&type_path, tag);
            // (An invalid pool fails the whole configuration: no need to filter here.)
            all.push(OutgoingPool {
                pool_type: pool_type.clone(),
                tag: tag.clone(),
            });
            if let Some(p) = one_pool(cx, &pool_path, pool_type, tag, pool, base_dir) {
                pools.push(p);
            }
        }
    }
    (pools, all)
}

// ---------------------------------------------------------------------------------------------
// [listen] (beyond the light checks of specs::LISTEN)

pub(crate) const C2S_TLS_MODES: &[&str] = &["tls", "starttls", "starttls_required"];
pub(crate) const C2S_TLS_MODULES: &[&str] = &["fast_tls", "just_tls"];

/// The c2s listeners' `proto` and `tls` (mode and module checked, MongooseIM 5.1's defaults
/// `starttls` / `fast_tls` filled in) and the http listeners' handler module names.
fn listen(cx: &mut Ctx, v: &Value) -> Listen {
    let mut out = Listen::default();
    let Some(t) = v.as_table() else {
        return out; // reported by the LISTEN check
    };
    let items = |key: &str| -> Vec<&Table> {
        t.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_table).collect())
            .unwrap_or_default()
    };
    for l in items("c2s") {
        let proto = match l.get("proto") {
            Some(p) if cx.check("listen.c2s.proto", p, &Ty::Enum(&["tcp", "udp"])) => {
                p.as_str().unwrap_or("tcp")
            }
            Some(_) => "tcp",
            None => "tcp",
        };
        let tls = match l.get("tls") {
            None => None,
            Some(tls) => cx.table("listen.c2s.tls", tls).map(|tls| {
                let mut field = |key: &str, allowed: &'static [&'static str], default: &str| {
                    let path = join("listen.c2s.tls", key);
                    match tls.get(key) {
                        Some(x) if cx.check(&path, x, &Ty::Enum(allowed)) => {
                            x.as_str().unwrap_or(default).to_string()
                        }
                        _ => default.to_string(),
                    }
                };
                ListenerTls {
                    mode: field("mode", C2S_TLS_MODES, "starttls"),
                    module: field("module", C2S_TLS_MODULES, "fast_tls"),
                }
            }),
        };
        out.c2s.push(C2sListener {
            proto: proto.to_string(),
            tls,
        });
    }
    for l in items("http") {
        let handlers = match l.get("handlers") {
            None => Vec::new(),
            Some(h) => cx
                .table("listen.http.handlers", h)
                .map(|h| h.keys().cloned().collect())
                .unwrap_or_default(),
        };
        out.http.push(HttpListener { handlers });
    }
    out
}

/// Validates one pool; returns it when it is a valid `rdbms` pool.
fn one_pool(
    cx: &mut Ctx,
    path: &str,
    pool_type: &str,
    tag: &str,
    v: &Value,
    base_dir: Option<&Path>,
) -> Option<RdbmsPool> {
    let t = cx.table(path, v)?;
    let before = cx.errors.len();
    if tag.is_empty() {
        cx.error(path, None, "non_empty", "a pool tag may not be empty");
    }
    cx.check_fields(path, t, &specs::POOL);
    let scope = t.get("scope").and_then(Value::as_str).unwrap_or("global");
    let host = t.get("host").and_then(Value::as_str);
    match (scope, t.get("host")) {
        ("single_host", None) => cx.missing_keys(path, &["host"]),
        (s, Some(h)) if s != "single_host" && specs::POOL_SCOPES.contains(&s) => cx.error(
            &join(path, "host"),
            Some(h),
            "unexpected_key",
            "host is only allowed with scope = \"single_host\"",
        ),
        _ => {}
    }

    let conn_path = join(path, "connection");
    // An absent connection table means all defaults, except for rdbms where it is required.
    let empty = Table::new();
    let conn = match t.get("connection") {
        Some(c) => cx.table(&conn_path, c),
        None if pool_type == "rdbms" => {
            cx.missing_keys(path, &["connection"]);
            None
        }
        None => Some(&empty),
    };
    let driver = match (conn, specs::connection_spec(pool_type)) {
        (Some(ct), _) if pool_type == "rdbms" => rdbms_connection(cx, &conn_path, ct, base_dir),
        (Some(ct), Some(spec)) => {
            cx.check_fields(&conn_path, ct, spec);
            None
        }
        _ => None,
    };

    if cx.errors.len() != before {
        return None;
    }
    Some(RdbmsPool {
        tag: tag.to_string(),
        scope: scope.to_string(),
        host: host.map(str::to_string),
        driver: driver?,
    })
}

fn rdbms_connection(
    cx: &mut Ctx,
    path: &str,
    t: &Table,
    base_dir: Option<&Path>,
) -> Option<StoreDriver> {
    if !cx.check_fields(path, t, &specs::RDBMS_CONNECTION) {
        return None;
    }
    let driver = t.get("driver").and_then(Value::as_str)?;
    let str_of = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
    match driver {
        "sqlite" => {
            let allowed = [
                "driver",
                "database",
                "keepalive_interval",
                "max_start_interval",
            ];
            let mut ok = true;
            for (k, v) in t {
                if !allowed.contains(&k.as_str()) {
                    cx.unexpected_key(path, k, v, &allowed);
                    ok = false;
                }
            }
            let Some(db) = str_of("database") else {
                cx.missing_keys(path, &["database"]);
                return None;
            };
            if !ok {
                return None;
            }
            let db = PathBuf::from(db);
            let database = match base_dir {
                Some(dir) if db.is_relative() => dir.join(db),
                _ => db,
            };
            Some(StoreDriver::Sqlite { database })
        }
        "odbc" if t.contains_key("settings") => Some(StoreDriver::Other(driver.to_string())),
        _ => {
            let missing: Vec<&str> = ["host", "database", "username", "password"]
                .into_iter()
                .filter(|k| !t.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                let mut text = format!(
                    "invalid_rdbms_connection_options (driver {driver} requires {}",
                    missing.join(", ")
                );
                if driver == "odbc" {
                    text.push_str(", or settings");
                }
                text.push(')');
                cx.errors.push(ConfigError {
                    path: path.to_string(),
                    value: None,
                    reason: "invalid_rdbms_connection_options".to_string(),
                    text,
                });
                return None;
            }
            let tls_required = t
                .get("tls")
                .and_then(|tls| tls.get("required"))
                .filter(|_| driver == "mysql");
            if let Some(req) = tls_required {
                cx.error(
                    &join(path, "tls.required"),
                    Some(req),
                    "unexpected_key",
                    "the 'required' option is not supported for MySQL",
                );
                return None;
            }
            if driver != "pgsql" {
                return Some(StoreDriver::Other(driver.to_string()));
            }
            let port = t
                .get("port")
                .and_then(Value::as_integer)
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(5432);
            Some(StoreDriver::Pgsql {
                host: str_of("host")?,
                port,
                database: str_of("database")?,
                username: str_of("username")?,
                password: str_of("password")?,
                tls: t
                    .get("tls")
                    .and_then(Value::as_table)
                    .map(|tls| Box::new(pg_tls(tls, base_dir))),
            })
        }
    }
}

/// The (already validated) `tls` table of a pgsql pool, with MongooseIM's defaults and the
/// file paths resolved like the SQLite database's.
fn pg_tls(t: &Table, base_dir: Option<&Path>) -> PgTls {
    let str_of = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
    let path_of = |k: &str| {
        str_of(k).map(|p| {
            let p = PathBuf::from(p);
            match base_dir {
                Some(dir) if p.is_relative() => dir.join(p),
                _ => p,
            }
        })
    };
    let verify_mode = match t.get("verify_mode").and_then(Value::as_str) {
        Some("none") => VerifyMode::None,
        Some("selfsigned_peer") => VerifyMode::SelfsignedPeer,
        _ => VerifyMode::Peer,
    };
    let sni = t.get("server_name_indication").and_then(Value::as_table);
    let sni_of = |k: &str| sni.and_then(|s| s.get(k));
    PgTls {
        required: t.get("required").and_then(Value::as_bool).unwrap_or(false),
        verify_mode,
        cacertfile: path_of("cacertfile"),
        certfile: path_of("certfile"),
        keyfile: path_of("keyfile"),
        password: str_of("password"),
        ciphers: str_of("ciphers"),
        versions: t.get("versions").and_then(Value::as_array).map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        }),
        sni: Sni {
            enabled: sni_of("enabled").and_then(Value::as_bool).unwrap_or(true),
            host: sni_of("host").and_then(Value::as_str).map(str::to_string),
            protocol: sni_of("protocol")
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_string(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// [services]

fn services(cx: &mut Ctx, v: &Value) -> Services {
    let mut s = Services::default();
    let Some(t) = cx.table("services", v) else {
        return s;
    };
    for (name, value) in t {
        let path = join("services", name);
        match name.as_str() {
            "service_admin_extra" => s.admin_extra = admin_extra(cx, &path, value),
            "service_domain_db" => s.domain_db = domain_db(cx, &path, value),
            "service_mongoose_system_metrics" => {
                s.system_metrics = system_metrics(cx, &path, value);
            }
            _ => cx.unexpected_key("services", name, value, specs::SERVICES),
        }
    }
    s
}

fn admin_extra(cx: &mut Ctx, path: &str, v: &Value) -> Option<AdminExtra> {
    let t = cx.table(path, v)?;
    let mut submods = Submod::SUBMODS.to_vec();
    for (key, value) in t {
        if key != "submods" {
            cx.unexpected_key(path, key, value, &["submods"]);
        }
    }
    if let Some(list) = t.get("submods") {
        let list_path = join(path, "submods");
        submods = submod_list(cx, &list_path, list)?;
    }
    Some(AdminExtra { submods })
}

fn submod_list(cx: &mut Ctx, path: &str, v: &Value) -> Option<Vec<Submod>> {
    let Value::Array(items) = v else {
        cx.wrong_type(path, v, "an array of strings");
        return None;
    };
    let names: Vec<&str> = Submod::SUBMODS.iter().map(|s| s.name()).collect();
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(name) = item.as_str() else {
            cx.wrong_type(path, item, "a string");
            ok = false;
            continue;
        };
        let submod = match Submod::from_submod_name(name) {
            Some(s) => s,
            None if name == "account" => {
                cx.warn(path, "\"account\" is read as \"accounts\"");
                Submod::Accounts
            }
            None => {
                let detail = format!("expected one of {}", names.join(", "));
                cx.error(path, Some(item), "validate_enum_failed", &detail);
                ok = false;
                continue;
            }
        };
        if out.contains(&submod) {
            cx.not_unique(path, item);
            ok = false;
        } else {
            out.push(submod);
        }
    }
    ok.then_some(out)
}

fn domain_db(cx: &mut Ctx, path: &str, v: &Value) -> Option<DomainDb> {
    let t = cx.table(path, v)?;
    if !cx.check_fields(path, t, &specs::DOMAIN_DB) {
        return None;
    }
    let int = |k: &str, default: u64| {
        t.get(k)
            .and_then(Value::as_integer)
            .and_then(|i| u64::try_from(i).ok())
            .unwrap_or(default)
    };
    let db_pool = t
        .get("db_pool")
        .and_then(Value::as_str)
        .unwrap_or("global")
        .to_string();
    if db_pool != "global" {
        // MongooseIM 5.1 finds no pool under any other name (services.md §4.1); we have one
        // store for every host type and keep the domains there (docs/compat.md).
        cx.warn(
            &join(path, "db_pool"),
            &format!(
                "{}: mongooseimctl keeps dynamic domains in its one store, as for \"global\" \
                 (MongooseIM 5.1 finds no pool under another name)",
                crate::compat::erlang::p_string(&db_pool)
            ),
        );
    }
    Some(DomainDb {
        db_pool,
        event_cleaning_interval: int("event_cleaning_interval", 1800),
        event_max_age: int("event_max_age", 7200),
    })
}

fn system_metrics(cx: &mut Ctx, path: &str, v: &Value) -> Option<SystemMetrics> {
    let t = cx.table(path, v)?;
    let before = cx.errors.len();
    let allowed: Vec<&str> = specs::SYSTEM_METRICS_KEYS.iter().map(|(k, _)| *k).collect();
    let mut values: BTreeMap<&str, &Value> = BTreeMap::new();
    for (key, value) in t {
        let key_path = join(path, key);
        let canonical = if key == "intial_report" {
            if t.contains_key("initial_report") {
                cx.error(
                    &key_path,
                    Some(value),
                    "duplicate_key",
                    "intial_report is an alias of initial_report; give only one of them",
                );
                continue;
            }
            cx.warn(&key_path, "deprecated spelling, read as initial_report");
            "initial_report"
        } else {
            key.as_str()
        };
        match specs::SYSTEM_METRICS_KEYS
            .iter()
            .find(|(k, _)| *k == canonical)
        {
            Some((k, ty)) => {
                if cx.check(&key_path, value, ty) {
                    values.insert(k, value);
                }
            }
            None => cx.unexpected_key(path, key, value, &allowed),
        }
    }
    if cx.errors.len() != before {
        return None;
    }
    let ms = |k: &str, default: u64| {
        values
            .get(k)
            .and_then(|v| v.as_integer())
            .and_then(|i| u64::try_from(i).ok())
            .unwrap_or(default)
    };
    Some(SystemMetrics {
        initial_report: ms("initial_report", 300_000),
        periodic_report: ms("periodic_report", 10_800_000),
        report: values.get("report").and_then(|v| v.as_bool()),
        tracking_id: values
            .get("tracking_id")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    })
}

// ---------------------------------------------------------------------------------------------
// [modules]

fn modules(cx: &mut Ctx, path: &str, v: &Value) -> Modules {
    let mut out = Modules::new();
    let Some(t) = cx.table(path, v) else {
        return out;
    };
    for (name, value) in t {
        let mod_path = join(path, name);
        let Some(kind) = specs::module_kind(name) else {
            cx.error(
                &mod_path,
                Some(&Value::String(name.clone())),
                "module_not_found",
                "not a MongooseIM 5.1 module",
            );
            continue;
        };
        let Some(opts) = cx.table(&mod_path, value) else {
            continue;
        };
        let ok = match kind {
            ModuleKind::Checked(spec) => cx.check_fields(&mod_path, opts, spec),
            ModuleKind::Loose => true,
            ModuleKind::Empty => cx.check_fields(&mod_path, opts, &specs::EMPTY),
        };
        if ok {
            let mut opts = opts.clone();
            fill_module_defaults(name, &mut opts);
            out.insert(name.clone(), ModuleOpts { opts });
        }
    }
    out
}

/// Inserts the defaults of the options we consult, and drops backend-specific sub-tables
/// that do not apply (as MongooseIM does).
pub(crate) fn fill_module_defaults(name: &str, opts: &mut Table) {
    fn set(opts: &mut Table, key: &str, v: Value) {
        if !opts.contains_key(key) {
            opts.insert(key.to_string(), v);
        }
    }
    fn s(v: &str) -> Value {
        Value::String(v.to_string())
    }
    fn strs(v: &[&str]) -> Value {
        Value::Array(v.iter().map(|x| s(x)).collect())
    }
    let backend = match name {
        "mod_last" | "mod_roster" | "mod_vcard" | "mod_offline" => "mnesia",
        "mod_private" | "mod_inbox" | "mod_auth_token" => "rdbms",
        "mod_http_upload" => "s3",
        _ => return,
    };
    set(opts, "backend", s(backend));
    match name {
        "mod_roster" => {
            set(opts, "versioning", Value::Boolean(false));
            set(opts, "store_current_id", Value::Boolean(false));
        }
        "mod_vcard" => {
            set(opts, "host", s("vjud.@HOST@"));
            set(opts, "search", Value::Boolean(true));
            set(opts, "matches", Value::Integer(30));
        }
        "mod_offline" => {
            set(
                opts,
                "access_max_user_messages",
                s("max_user_offline_messages"),
            );
            set(opts, "store_groupchat_messages", Value::Boolean(false));
        }
        "mod_inbox" => {
            set(opts, "reset_markers", strs(&["displayed"]));
            set(opts, "groupchat", strs(&["muclight"]));
            set(opts, "boxes", strs(&[]));
            set(opts, "bin_ttl", Value::Integer(30));
            set(opts, "bin_clean_after", Value::Integer(1));
            set(opts, "aff_changes", Value::Boolean(true));
            set(opts, "remove_on_kicked", Value::Boolean(true));
        }
        "mod_http_upload" => {
            set(opts, "host", s("upload.@HOST@"));
            set(opts, "expiration_time", Value::Integer(60));
            set(opts, "token_bytes", Value::Integer(32));
            set(opts, "max_file_size", Value::Integer(10_485_760));
            if let Some(Value::Table(s3)) = opts.get_mut("s3") {
                set(s3, "add_acl", Value::Boolean(false));
            }
        }
        "mod_auth_token" => {
            let period = |value: i64, unit: &str| {
                let mut t = Table::new();
                t.insert("value".into(), Value::Integer(value));
                t.insert("unit".into(), s(unit));
                Value::Table(t)
            };
            set(opts, "validity_period", Value::Table(Table::new()));
            if let Some(Value::Table(vp)) = opts.get_mut("validity_period") {
                set(vp, "access", period(1, "hours"));
                set(vp, "refresh", period(25, "days"));
            }
        }
        _ => {}
    }
    let effective = opts.get("backend").and_then(Value::as_str).unwrap_or("");
    let drop_riak = effective != "riak";
    let drop_ldap = effective != "ldap";
    if drop_riak {
        opts.remove("riak");
    }
    if drop_ldap && name == "mod_vcard" {
        opts.remove("ldap");
    }
}

// ---------------------------------------------------------------------------------------------
// [[host_config]]

struct HostOverride {
    target: String,
    auth: Option<AuthConfig>,
    modules: Option<Modules>,
    /// `[host_config.acl]` classes (added to the global ones).
    acl: AclClasses,
    /// `[host_config.access]` rules (merged with the global ones).
    access: AccessRules,
}

const HOST_CONFIG_KEYS: &[&str] = &[
    "host_type",
    "host",
    "general",
    "auth",
    "modules",
    "acl",
    "access",
    "s2s",
];

fn host_configs(cx: &mut Ctx, v: &Value, general: &General) -> Vec<HostOverride> {
    const PATH: &str = "host_config";
    let mut out: Vec<HostOverride> = Vec::new();
    let Value::Array(items) = v else {
        cx.wrong_type(PATH, v, "an array of tables ([[host_config]])");
        return out;
    };
    // Linear in hosts + elements (issue 7 item 10): the known names and the index of each
    // target's override are hashed once.
    let known: HashSet<&str> = general
        .hosts
        .iter()
        .chain(&general.host_types)
        .map(String::as_str)
        .collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    for item in items {
        let Some(t) = cx.table(PATH, item) else {
            continue;
        };
        for (key, value) in t {
            if !HOST_CONFIG_KEYS.contains(&key.as_str()) {
                cx.unexpected_key(PATH, key, value, HOST_CONFIG_KEYS);
            }
        }
        let target = host_config_target(cx, t, &known);

        if let Some(g) = t.get("general") {
            cx.check(&join(PATH, "general"), g, &Ty::Table(&specs::HOST_GENERAL));
        }
        for (key, spec) in [("acl", &specs::ACL), ("access", &specs::ACCESS)] {
            if let Some(x) = t.get(key) {
                cx.check(&join(PATH, key), x, &Ty::Table(spec));
            }
        }
        let acl = t
            .get("acl")
            .map(|x| acl_classes(cx, &join(PATH, "acl"), x))
            .unwrap_or_default();
        let access = t.get("access").map(access_rules).unwrap_or_default();
        if let Some(x) = t.get("s2s") {
            cx.check(&join(PATH, "s2s"), x, &Ty::AnyTable);
        }
        let auth = t
            .get("auth")
            .map(|a| auth(cx, &join(PATH, "auth"), Some(a)));
        let mods = t
            .get("modules")
            .map(|m| modules(cx, &join(PATH, "modules"), m));

        let Some(target) = target else { continue };
        let i = *index.entry(target.clone()).or_insert_with(|| {
            out.push(HostOverride {
                target: target.clone(),
                auth: None,
                modules: None,
                acl: AclClasses::new(),
                access: AccessRules::new(),
            });
            out.len() - 1
        });
        let over = &mut out[i];
        for (class, patterns) in acl {
            over.acl.entry(class).or_default().extend(patterns);
        }
        for (rule, clauses) in access {
            over.access.entry(rule).or_default().extend(clauses);
        }
        if let Some(a) = auth {
            if over.auth.is_some() {
                let v = Value::String(target.clone());
                cx.error(
                    "host_config.auth",
                    Some(&v),
                    "not_unique",
                    "auth is configured twice for this host type",
                );
            }
            over.auth = Some(a);
        }
        if let Some(m) = mods {
            if over.modules.is_some() {
                let v = Value::String(target.clone());
                cx.error(
                    "host_config.modules",
                    Some(&v),
                    "not_unique",
                    "modules are configured twice for this host type",
                );
            }
            over.modules = Some(m);
        }
    }
    out
}

/// The host type a `[[host_config]]` element applies to (`host_type` wins over `host`);
/// it must be one of `general.hosts` or `general.host_types`.
fn host_config_target(cx: &mut Ctx, t: &Table, known: &HashSet<&str>) -> Option<String> {
    let (key, v) = match (t.get("host_type"), t.get("host")) {
        (Some(v), _) => ("host_type", v),
        (None, Some(v)) => ("host", v),
        (None, None) => {
            cx.error(
                "host_config",
                None,
                "missing_mandatory_keys",
                "required: host_config.host_type (or its synonym host_config.host)",
            );
            return None;
        }
    };
    let path = join("host_config", key);
    if !cx.check(&path, v, &Ty::NonEmpty) {
        return None;
    }
    let name = v.as_str()?;
    if !known.contains(name) {
        cx.error(
            &path,
            Some(v),
            "unknown_host_type",
            "not listed in general.hosts or general.host_types",
        );
        return None;
    }
    Some(name.to_string())
}

// ---------------------------------------------------------------------------------------------
// Dynamic domains

fn check_dynamic_domains(
    cx: &mut Ctx,
    general: &General,
    global_modules: &Modules,
    overrides: &[HostOverride],
) {
    if general.host_types.is_empty() {
        return;
    }
    fn report(cx: &mut Ctx, prefix: &str, mods: &Modules) {
        for name in mods.keys() {
            if specs::NO_DYNAMIC_DOMAINS.contains(&name.as_str()) {
                cx.error(
                    &join(prefix, name),
                    Some(&Value::String(name.clone())),
                    "dynamic_domains_not_supported",
                    "this module does not support dynamic domains, and general.host_types is not empty",
                );
            }
        }
    }
    report(cx, "modules", global_modules);
    let host_types: HashSet<&str> = general.host_types.iter().map(String::as_str).collect();
    for o in overrides {
        if let Some(mods) = &o.modules {
            if host_types.contains(o.target.as_str()) {
                report(cx, "host_config.modules", mods);
            }
        }
    }
}
