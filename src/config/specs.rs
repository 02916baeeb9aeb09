//! Declarative shapes of the configuration sections (spec/config.md, spec/services.md).
//! Sections that need cross-key rules get the rest of their checks in `sections.rs`.

use toml::Value;

use super::validate::{Ctx, Spec, Ty};

// ---------------------------------------------------------------------------------------------
// Top level and [general]

pub(crate) const ROOT_KEYS: &[&str] = &[
    "general",
    "listen",
    "auth",
    "outgoing_pools",
    "services",
    "modules",
    "shaper",
    "acl",
    "access",
    "s2s",
    "host_config",
];

pub(crate) const LOGLEVELS: &[&str] = &[
    "none",
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "info",
    "debug",
    "all",
];

static ARGUMENT_RESTRICTIONS: Spec = Spec {
    keys: &[],
    required: &[],
    other: Some(&Ty::Str),
};

static ACCESS_COMMANDS_RULE: Spec = Spec {
    keys: &[
        ("commands", Ty::List(&Ty::NonEmpty)),
        ("argument_restrictions", Ty::Table(&ARGUMENT_RESTRICTIONS)),
    ],
    required: &[],
    other: None,
};

static ACCESS_COMMANDS: Spec = Spec {
    keys: &[],
    required: &[],
    other: Some(&Ty::Table(&ACCESS_COMMANDS_RULE)),
};

static DOMAIN_CERTFILE: Spec = Spec {
    keys: &[("domain", Ty::NonEmpty), ("certfile", Ty::NonEmpty)],
    required: &["domain", "certfile"],
    other: None,
};

/// `[general]` keys other than `hosts` / `host_types` (checked in `sections.rs`).
pub(crate) static GENERAL: Spec = Spec {
    keys: &[
        ("hosts", Ty::Any),
        ("host_types", Ty::Any),
        ("default_server_domain", Ty::NonEmpty),
        ("loglevel", Ty::Enum(LOGLEVELS)),
        ("registration_timeout", Ty::PositiveOrInfinity),
        ("language", Ty::NonEmpty),
        ("all_metrics_are_global", Ty::Bool),
        ("sm_backend", Ty::Enum(&["mnesia", "redis"])),
        ("max_fsm_queue", Ty::Positive),
        ("http_server_name", Ty::Str),
        ("rdbms_server_type", Ty::Enum(&["mssql", "pgsql"])),
        ("route_subdomains", Ty::Enum(&["s2s"])),
        ("mongooseimctl_access_commands", Ty::Table(&ACCESS_COMMANDS)),
        ("routing_modules", Ty::List(&Ty::NonEmpty)),
        ("replaced_wait_timeout", Ty::Positive),
        ("hide_service_name", Ty::Bool),
        ("domain_certfile", Ty::List(&Ty::Table(&DOMAIN_CERTFILE))),
    ],
    required: &["default_server_domain"],
    other: None,
};

/// `[host_config.general]`: only the options with host-type scope.
pub(crate) static HOST_GENERAL: Spec = Spec {
    keys: &[
        ("route_subdomains", Ty::Enum(&["s2s"])),
        ("replaced_wait_timeout", Ty::Positive),
    ],
    required: &[],
    other: None,
};

// ---------------------------------------------------------------------------------------------
// listen, shaper, acl, access, s2s: accepted with light type checks

static LISTENER: Spec = Spec {
    keys: &[("port", Ty::Port)],
    required: &["port"],
    other: Some(&Ty::Any),
};

pub(crate) static LISTEN: Spec = Spec {
    keys: &[
        ("c2s", Ty::List(&Ty::Table(&LISTENER))),
        ("s2s", Ty::List(&Ty::Table(&LISTENER))),
        ("service", Ty::List(&Ty::Table(&LISTENER))),
        ("http", Ty::List(&Ty::Table(&LISTENER))),
    ],
    required: &[],
    other: None,
};

static SHAPER_ITEM: Spec = Spec {
    keys: &[("max_rate", Ty::Positive)],
    required: &["max_rate"],
    other: None,
};

pub(crate) static SHAPER: Spec = Spec {
    keys: &[],
    required: &[],
    other: Some(&Ty::Table(&SHAPER_ITEM)),
};

pub(crate) static ACL: Spec = Spec {
    keys: &[],
    required: &[],
    other: Some(&Ty::List(&Ty::AnyTable)),
};

static ACCESS_CLAUSE: Spec = Spec {
    keys: &[("acl", Ty::NonEmpty), ("value", Ty::IntOrStr)],
    required: &["acl", "value"],
    other: None,
};

pub(crate) static ACCESS: Spec = Spec {
    keys: &[],
    required: &[],
    other: Some(&Ty::List(&Ty::Table(&ACCESS_CLAUSE))),
};

// ---------------------------------------------------------------------------------------------
// [auth]

pub(crate) const AUTH_METHODS: &[&str] = &[
    "anonymous",
    "dummy",
    "external",
    "http",
    "internal",
    "jwt",
    "ldap",
    "pki",
    "rdbms",
    "riak",
];

static PASSWORD: Spec = Spec {
    keys: &[
        ("format", Ty::Enum(&["scram", "plain"])),
        (
            "hash",
            Ty::UniqueNonEmptyList(&Ty::Enum(&super::HASH_NAMES)),
        ),
        ("scram_iterations", Ty::Positive),
    ],
    required: &[],
    other: None,
};

pub(crate) static EMPTY: Spec = Spec {
    keys: &[],
    required: &[],
    other: None,
};

static AUTH_RDBMS: Spec = Spec {
    keys: &[("users_number_estimate", Ty::Bool)],
    required: &[],
    other: None,
};

static AUTH_ANONYMOUS: Spec = Spec {
    keys: &[
        ("allow_multiple_connections", Ty::Bool),
        ("protocol", Ty::Enum(&["sasl_anon", "login_anon", "both"])),
    ],
    required: &[],
    other: None,
};

static AUTH_EXTERNAL: Spec = Spec {
    keys: &[("program", Ty::NonEmpty), ("instances", Ty::Positive)],
    required: &["program"],
    other: None,
};

static AUTH_HTTP: Spec = Spec {
    keys: &[("basic_auth", Ty::Str)],
    required: &[],
    other: None,
};

static JWT_SECRET: Spec = Spec {
    keys: &[
        ("file", Ty::NonEmpty),
        ("env", Ty::NonEmpty),
        ("value", Ty::NonEmpty),
    ],
    required: &[],
    other: None,
};

fn check_jwt_secret(cx: &mut Ctx, path: &str, v: &Value) -> bool {
    if !cx.check(path, v, &Ty::Table(&JWT_SECRET)) {
        return false;
    }
    let n = v.as_table().map_or(0, |t| t.len());
    if n != 1 {
        cx.error(
            path,
            Some(v),
            "invalid_jwt_secret",
            "expected exactly one of file, env, value",
        );
        return false;
    }
    true
}

static AUTH_JWT: Spec = Spec {
    keys: &[
        ("secret", Ty::Custom(check_jwt_secret)),
        (
            "algorithm",
            Ty::Enum(&[
                "HS256", "RS256", "ES256", "HS386", "RS386", "ES386", "HS512", "RS512", "ES512",
            ]),
        ),
        ("username_key", Ty::NonEmpty),
    ],
    required: &["secret", "algorithm", "username_key"],
    other: None,
};

const LDAP_DEREF: &[&str] = &["never", "always", "finding", "searching"];

static LDAP_UID: Spec = Spec {
    keys: &[("attr", Ty::NonEmpty), ("format", Ty::NonEmpty)],
    required: &["attr"],
    other: None,
};

static LDAP_DN_FILTER: Spec = Spec {
    keys: &[("filter", Ty::NonEmpty), ("attributes", Ty::List(&Ty::Str))],
    required: &["filter"],
    other: None,
};

static LDAP_LOCAL_FILTER: Spec = Spec {
    keys: &[
        ("operation", Ty::Enum(&["equal", "not_equal"])),
        ("attribute", Ty::NonEmpty),
        ("values", Ty::List(&Ty::Str)),
    ],
    required: &["operation", "attribute", "values"],
    other: None,
};

static AUTH_LDAP: Spec = Spec {
    keys: &[
        ("pool_tag", Ty::NonEmpty),
        ("base", Ty::Str),
        ("filter", Ty::Str),
        ("deref", Ty::Enum(LDAP_DEREF)),
        ("bind_pool_tag", Ty::NonEmpty),
        ("uids", Ty::List(&Ty::Table(&LDAP_UID))),
        ("dn_filter", Ty::Table(&LDAP_DN_FILTER)),
        ("local_filter", Ty::Table(&LDAP_LOCAL_FILTER)),
    ],
    required: &[],
    other: None,
};

static AUTH_RIAK: Spec = Spec {
    keys: &[("bucket_type", Ty::NonEmpty)],
    required: &[],
    other: None,
};

static AUTH_DUMMY: Spec = Spec {
    keys: &[("base_time", Ty::NonNegative), ("variance", Ty::Positive)],
    required: &[],
    other: None,
};

/// `[auth]` (global or `[host_config.auth]`); `methods` is cross-checked in `sections.rs`.
pub(crate) static AUTH: Spec = Spec {
    keys: &[
        ("methods", Ty::List(&Ty::Enum(AUTH_METHODS))),
        ("password", Ty::Table(&PASSWORD)),
        ("sasl_mechanisms", Ty::List(&Ty::NonEmpty)),
        ("sasl_external", Ty::List(&Ty::NonEmpty)),
        ("anonymous", Ty::Table(&AUTH_ANONYMOUS)),
        ("dummy", Ty::Table(&AUTH_DUMMY)),
        ("external", Ty::Table(&AUTH_EXTERNAL)),
        ("http", Ty::Table(&AUTH_HTTP)),
        ("internal", Ty::Table(&EMPTY)),
        ("jwt", Ty::Table(&AUTH_JWT)),
        ("ldap", Ty::Table(&AUTH_LDAP)),
        ("pki", Ty::Table(&EMPTY)),
        ("rdbms", Ty::Table(&AUTH_RDBMS)),
        ("riak", Ty::Table(&AUTH_RIAK)),
    ],
    required: &[],
    other: None,
};

// ---------------------------------------------------------------------------------------------
// [outgoing_pools]

pub(crate) const POOL_TYPES: &[&str] = &[
    "cassandra",
    "elastic",
    "http",
    "ldap",
    "rabbit",
    "rdbms",
    "redis",
    "riak",
];

pub(crate) const POOL_SCOPES: &[&str] = &["global", "host", "single_host"];

/// Pool-level keys; `connection` is checked per pool type in `sections.rs`.
pub(crate) static POOL: Spec = Spec {
    keys: &[
        ("scope", Ty::Enum(POOL_SCOPES)),
        ("host", Ty::NonEmpty),
        ("workers", Ty::Positive),
        (
            "strategy",
            Ty::Enum(&[
                "best_worker",
                "random_worker",
                "next_worker",
                "available_worker",
                "next_available_worker",
            ]),
        ),
        ("call_timeout", Ty::Positive),
        ("connection", Ty::Any),
    ],
    required: &[],
    other: None,
};

static SNI: Spec = Spec {
    keys: &[
        ("enabled", Ty::Bool),
        ("host", Ty::NonEmpty),
        ("protocol", Ty::Enum(&["default", "https"])),
    ],
    required: &[],
    other: None,
};

/// Client TLS options of an RDBMS connection (`required` is pgsql-only, checked later).
static RDBMS_TLS: Spec = Spec {
    keys: &[
        (
            "verify_mode",
            Ty::Enum(&["peer", "selfsigned_peer", "none"]),
        ),
        ("certfile", Ty::NonEmpty),
        ("cacertfile", Ty::NonEmpty),
        ("keyfile", Ty::NonEmpty),
        ("password", Ty::Str),
        ("ciphers", Ty::Str),
        ("versions", Ty::List(&Ty::NonEmpty)),
        ("server_name_indication", Ty::Table(&SNI)),
        ("required", Ty::Bool),
    ],
    required: &[],
    other: None,
};

pub(crate) const RDBMS_DRIVERS: &[&str] = &["odbc", "pgsql", "mysql", "sqlite"];

/// `connection` of an `rdbms` pool; driver-specific rules are in `sections.rs`.
pub(crate) static RDBMS_CONNECTION: Spec = Spec {
    keys: &[
        ("driver", Ty::Enum(RDBMS_DRIVERS)),
        ("keepalive_interval", Ty::Positive),
        ("max_start_interval", Ty::Positive),
        ("settings", Ty::Str),
        ("host", Ty::NonEmpty),
        ("port", Ty::Port),
        ("database", Ty::NonEmpty),
        ("username", Ty::NonEmpty),
        ("password", Ty::NonEmpty),
        ("tls", Ty::Table(&RDBMS_TLS)),
    ],
    required: &["driver"],
    other: None,
};

static HTTP_CONNECTION: Spec = Spec {
    keys: &[
        ("host", Ty::NonEmpty),
        ("path_prefix", Ty::Str),
        ("request_timeout", Ty::NonNegative),
        ("tls", Ty::AnyTable),
    ],
    required: &["host"],
    other: None,
};

static REDIS_CONNECTION: Spec = Spec {
    keys: &[
        ("host", Ty::NonEmpty),
        ("port", Ty::Port),
        ("database", Ty::NonNegative),
        ("password", Ty::Str),
    ],
    required: &[],
    other: None,
};

static RIAK_CREDENTIALS: Spec = Spec {
    keys: &[("user", Ty::NonEmpty), ("password", Ty::NonEmpty)],
    required: &["user", "password"],
    other: None,
};

static RIAK_CONNECTION: Spec = Spec {
    keys: &[
        ("address", Ty::NonEmpty),
        ("port", Ty::Port),
        ("credentials", Ty::Table(&RIAK_CREDENTIALS)),
        ("tls", Ty::AnyTable),
    ],
    required: &["address", "port"],
    other: None,
};

static CASSANDRA_SERVER: Spec = Spec {
    keys: &[("host", Ty::NonEmpty), ("port", Ty::Port)],
    required: &["host"],
    other: None,
};

static CASSANDRA_CONNECTION: Spec = Spec {
    keys: &[
        ("servers", Ty::List(&Ty::Table(&CASSANDRA_SERVER))),
        ("keyspace", Ty::NonEmpty),
        ("auth", Ty::AnyTable),
        ("tls", Ty::AnyTable),
    ],
    required: &[],
    other: None,
};

static ELASTIC_CONNECTION: Spec = Spec {
    keys: &[("host", Ty::NonEmpty), ("port", Ty::Port)],
    required: &[],
    other: None,
};

static LDAP_CONNECTION: Spec = Spec {
    keys: &[
        ("servers", Ty::List(&Ty::NonEmpty)),
        ("port", Ty::Port),
        ("root_dn", Ty::Str),
        ("password", Ty::Str),
        ("connect_interval", Ty::Positive),
        ("tls", Ty::AnyTable),
    ],
    required: &[],
    other: None,
};

static RABBIT_CONNECTION: Spec = Spec {
    keys: &[
        ("host", Ty::NonEmpty),
        ("port", Ty::Port),
        ("username", Ty::NonEmpty),
        ("password", Ty::NonEmpty),
        ("confirms_enabled", Ty::Bool),
        ("max_worker_queue_len", Ty::NonNegativeOrInfinity),
    ],
    required: &[],
    other: None,
};

/// The `connection` spec of a non-rdbms pool type.
pub(crate) fn connection_spec(pool_type: &str) -> Option<&'static Spec> {
    match pool_type {
        "http" => Some(&HTTP_CONNECTION),
        "redis" => Some(&REDIS_CONNECTION),
        "riak" => Some(&RIAK_CONNECTION),
        "cassandra" => Some(&CASSANDRA_CONNECTION),
        "elastic" => Some(&ELASTIC_CONNECTION),
        "ldap" => Some(&LDAP_CONNECTION),
        "rabbit" => Some(&RABBIT_CONNECTION),
        "rdbms" => Some(&RDBMS_CONNECTION),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// [services]

pub(crate) const SERVICES: &[&str] = &[
    "service_admin_extra",
    "service_mongoose_system_metrics",
    "service_domain_db",
];

pub(crate) static DOMAIN_DB: Spec = Spec {
    keys: &[
        ("db_pool", Ty::NonEmpty),
        ("event_cleaning_interval", Ty::Positive),
        ("event_max_age", Ty::Positive),
    ],
    required: &[],
    other: None,
};

/// Keys of `service_mongoose_system_metrics` (the `intial_report` alias is handled apart).
pub(crate) const SYSTEM_METRICS_KEYS: &[(&str, Ty)] = &[
    ("initial_report", Ty::NonNegative),
    ("periodic_report", Ty::NonNegative),
    ("report", Ty::Bool),
    ("tracking_id", Ty::NonEmpty),
];

// ---------------------------------------------------------------------------------------------
// [modules]

/// Modules whose options are validated by MongooseIM 5.1 (a spec exists).
const SPECCED_MODULES: &[&str] = &[
    "mod_adhoc",
    "mod_auth_token",
    "mod_blocking",
    "mod_bosh",
    "mod_cache_users",
    "mod_caps",
    "mod_carboncopy",
    "mod_csi",
    "mod_disco",
    "mod_domain_isolation",
    "mod_event_pusher",
    "mod_extdisco",
    "mod_global_distrib",
    "mod_http_upload",
    "mod_inbox",
    "mod_jingle_sip",
    "mod_keystore",
    "mod_last",
    "mod_mam_meta",
    "mod_muc",
    "mod_muc_light",
    "mod_muc_log",
    "mod_offline",
    "mod_offline_chatmarkers",
    "mod_ping",
    "mod_privacy",
    "mod_private",
    "mod_pubsub",
    "mod_push_service_mongoosepush",
    "mod_register",
    "mod_roster",
    "mod_shared_roster_ldap",
    "mod_sic",
    "mod_smart_markers",
    "mod_stream_management",
    "mod_time",
    "mod_vcard",
    "mod_version",
];

/// Other existing MongooseIM 5.1 modules: they take no options (empty table only).
const SPECLESS_MODULES: &[&str] = &[
    "mod_amp",
    "mod_commands",
    "mod_dynamic_domains_test",
    "mod_inbox_commands",
    "mod_mam",
    "mod_mam_muc",
    "mod_mam_cache_user",
    "mod_mam_muc_cache_user",
    "mod_mam_rdbms_arch",
    "mod_mam_rdbms_arch_async",
    "mod_mam_muc_rdbms_arch",
    "mod_mam_muc_rdbms_arch_async",
    "mod_mam_rdbms_prefs",
    "mod_mam_rdbms_user",
    "mod_mam_mnesia_prefs",
    "mod_mam_cassandra_arch",
    "mod_mam_cassandra_prefs",
    "mod_mam_muc_cassandra_arch",
    "mod_mam_elasticsearch_arch",
    "mod_mam_muc_elasticsearch_arch",
    "mod_muc_commands",
    "mod_muc_light_commands",
    "mod_presence",
    "mod_websockets",
];

pub(crate) enum ModuleKind {
    /// Options fully validated here (we consult them).
    Checked(&'static Spec),
    /// Validated by MongooseIM but not consulted by us: any table accepted.
    Loose,
    /// No options at all.
    Empty,
}

pub(crate) fn module_kind(name: &str) -> Option<ModuleKind> {
    match name {
        "mod_last" => Some(ModuleKind::Checked(&MOD_LAST)),
        "mod_roster" => Some(ModuleKind::Checked(&MOD_ROSTER)),
        "mod_vcard" => Some(ModuleKind::Checked(&MOD_VCARD)),
        "mod_private" => Some(ModuleKind::Checked(&MOD_LAST)), // same options
        "mod_offline" => Some(ModuleKind::Checked(&MOD_OFFLINE)),
        "mod_inbox" => Some(ModuleKind::Checked(&MOD_INBOX)),
        "mod_http_upload" => Some(ModuleKind::Checked(&MOD_HTTP_UPLOAD)),
        "mod_auth_token" => Some(ModuleKind::Checked(&MOD_AUTH_TOKEN)),
        _ if SPECCED_MODULES.contains(&name) => Some(ModuleKind::Loose),
        _ if SPECLESS_MODULES.contains(&name) => Some(ModuleKind::Empty),
        _ => None,
    }
}

/// Modules that cannot run with dynamic domains (`general.host_types` non-empty).
pub(crate) const NO_DYNAMIC_DOMAINS: &[&str] = &[
    "mod_event_pusher",
    "mod_global_distrib",
    "mod_jingle_sip",
    "mod_pubsub",
    "mod_push_service_mongoosepush",
    "mod_shared_roster_ldap",
];

static IQDISC: Spec = Spec {
    keys: &[
        (
            "type",
            Ty::Enum(&["no_queue", "one_queue", "parallel", "queues"]),
        ),
        ("workers", Ty::Positive),
    ],
    required: &["type"],
    other: None,
};

/// `iqdisc`: `workers` is required with, and only allowed with, `type = "queues"`.
fn check_iqdisc(cx: &mut Ctx, path: &str, v: &Value) -> bool {
    if !cx.check(path, v, &Ty::Table(&IQDISC)) {
        return false;
    }
    let queues = v.get("type").and_then(Value::as_str) == Some("queues");
    let workers = v.get("workers").is_some();
    if queues != workers {
        cx.error(
            path,
            Some(v),
            "invalid_iqdisc",
            "workers is required with, and only allowed with, type = \"queues\"",
        );
        return false;
    }
    true
}

const BACKENDS: &[&str] = &["mnesia", "rdbms", "riak"];

static RIAK_BUCKET: Spec = Spec {
    keys: &[("bucket_type", Ty::NonEmpty)],
    required: &[],
    other: None,
};

static MOD_LAST: Spec = Spec {
    keys: &[
        ("iqdisc", Ty::Custom(check_iqdisc)),
        ("backend", Ty::Enum(BACKENDS)),
        ("riak", Ty::Table(&RIAK_BUCKET)),
    ],
    required: &[],
    other: None,
};

static ROSTER_RIAK: Spec = Spec {
    keys: &[
        ("bucket_type", Ty::NonEmpty),
        ("version_bucket_type", Ty::NonEmpty),
    ],
    required: &[],
    other: None,
};

static MOD_ROSTER: Spec = Spec {
    keys: &[
        ("iqdisc", Ty::Custom(check_iqdisc)),
        ("versioning", Ty::Bool),
        ("store_current_id", Ty::Bool),
        ("backend", Ty::Enum(BACKENDS)),
        ("riak", Ty::Table(&ROSTER_RIAK)),
    ],
    required: &[],
    other: None,
};

static VCARD_MAP: Spec = Spec {
    keys: &[
        ("vcard_field", Ty::NonEmpty),
        ("ldap_pattern", Ty::NonEmpty),
        ("ldap_field", Ty::NonEmpty),
    ],
    required: &["vcard_field", "ldap_pattern", "ldap_field"],
    other: None,
};

static VCARD_SEARCH_FIELD: Spec = Spec {
    keys: &[("search_field", Ty::NonEmpty), ("ldap_field", Ty::NonEmpty)],
    required: &["search_field", "ldap_field"],
    other: None,
};

static VCARD_SEARCH_REPORTED: Spec = Spec {
    keys: &[
        ("search_field", Ty::NonEmpty),
        ("vcard_field", Ty::NonEmpty),
    ],
    required: &["search_field", "vcard_field"],
    other: None,
};

static VCARD_LDAP: Spec = Spec {
    keys: &[
        ("pool_tag", Ty::NonEmpty),
        ("base", Ty::Str),
        ("filter", Ty::Str),
        ("deref", Ty::Enum(LDAP_DEREF)),
        ("uids", Ty::List(&Ty::Table(&LDAP_UID))),
        ("vcard_map", Ty::List(&Ty::Table(&VCARD_MAP))),
        ("search_fields", Ty::List(&Ty::Table(&VCARD_SEARCH_FIELD))),
        (
            "search_reported",
            Ty::List(&Ty::Table(&VCARD_SEARCH_REPORTED)),
        ),
        ("search_operator", Ty::Enum(&["or", "and"])),
        ("binary_search_fields", Ty::List(&Ty::NonEmpty)),
    ],
    required: &[],
    other: None,
};

static VCARD_RIAK: Spec = Spec {
    keys: &[
        ("bucket_type", Ty::NonEmpty),
        ("search_index", Ty::NonEmpty),
    ],
    required: &[],
    other: None,
};

static MOD_VCARD: Spec = Spec {
    keys: &[
        ("iqdisc", Ty::Custom(check_iqdisc)),
        ("host", Ty::NonEmpty),
        ("search", Ty::Bool),
        ("backend", Ty::Enum(&["mnesia", "rdbms", "riak", "ldap"])),
        ("matches", Ty::NonNegativeOrInfinity),
        ("ldap", Ty::Table(&VCARD_LDAP)),
        ("riak", Ty::Table(&VCARD_RIAK)),
    ],
    required: &[],
    other: None,
};

static MOD_OFFLINE: Spec = Spec {
    keys: &[
        ("access_max_user_messages", Ty::NonEmpty),
        ("store_groupchat_messages", Ty::Bool),
        ("backend", Ty::Enum(BACKENDS)),
        ("riak", Ty::Table(&RIAK_BUCKET)),
    ],
    required: &[],
    other: None,
};

static ASYNC_WRITER: Spec = Spec {
    keys: &[("pool_size", Ty::NonNegative)],
    required: &[],
    other: None,
};

/// Box names that `mod_inbox` always defines itself.
const RESERVED_BOXES: &[&str] = &["all", "inbox", "archive", "bin"];

fn check_boxes(cx: &mut Ctx, path: &str, v: &Value) -> bool {
    if !cx.check(path, v, &Ty::UniqueList(&Ty::NonEmpty)) {
        return false;
    }
    let mut ok = true;
    for item in v.as_array().into_iter().flatten() {
        if item.as_str().is_some_and(|s| RESERVED_BOXES.contains(&s)) {
            cx.error(
                path,
                Some(item),
                "reserved_box_name",
                "all, inbox, archive and bin are predefined",
            );
            ok = false;
        }
    }
    ok
}

static MOD_INBOX: Spec = Spec {
    keys: &[
        ("backend", Ty::Enum(&["rdbms", "rdbms_async"])),
        ("async_writer", Ty::Table(&ASYNC_WRITER)),
        (
            "reset_markers",
            Ty::List(&Ty::Enum(&["received", "displayed", "acknowledged"])),
        ),
        ("groupchat", Ty::List(&Ty::Enum(&["muc", "muclight"]))),
        ("boxes", Ty::Custom(check_boxes)),
        ("bin_ttl", Ty::NonNegative),
        ("bin_clean_after", Ty::NonNegative),
        ("aff_changes", Ty::Bool),
        ("remove_on_kicked", Ty::Bool),
        ("iqdisc", Ty::Custom(check_iqdisc)),
    ],
    required: &[],
    other: None,
};

/// `s3.bucket_url`: a non-empty `scheme://host[:port][/path]` (MongooseIM's `url`
/// validator; we also refuse user information, a query or a fragment, which the slot would
/// mangle).
fn check_bucket_url(cx: &mut Ctx, path: &str, v: &Value) -> bool {
    if !cx.check(path, v, &Ty::NonEmpty) {
        return false;
    }
    let Some(url) = v.as_str() else {
        return false;
    };
    match crate::compat::sigv4::BucketUrl::parse(url) {
        Ok(_) => true,
        Err(why) => {
            cx.error(path, Some(v), "invalid_url", &why);
            false
        }
    }
}

/// The largest `token_bytes` we accept (MongooseIM has no bound; a token of this size is
/// already a 128 KiB URL).
pub(crate) const MAX_TOKEN_BYTES: i64 = 65_536;

/// `token_bytes`: positive, and at most [`MAX_TOKEN_BYTES`].
fn check_token_bytes(cx: &mut Ctx, path: &str, v: &Value) -> bool {
    if !cx.check(path, v, &Ty::Positive) {
        return false;
    }
    if v.as_integer().is_some_and(|n| n > MAX_TOKEN_BYTES) {
        cx.error(
            path,
            Some(v),
            "too_large",
            &format!("expected at most {MAX_TOKEN_BYTES} bytes"),
        );
        return false;
    }
    true
}

static S3: Spec = Spec {
    keys: &[
        ("bucket_url", Ty::Custom(check_bucket_url)),
        ("region", Ty::Str),
        ("access_key_id", Ty::Str),
        ("secret_access_key", Ty::Str),
        ("add_acl", Ty::Bool),
    ],
    required: &["bucket_url", "region", "access_key_id", "secret_access_key"],
    other: None,
};

static MOD_HTTP_UPLOAD: Spec = Spec {
    keys: &[
        ("iqdisc", Ty::Custom(check_iqdisc)),
        ("host", Ty::NonEmpty),
        ("backend", Ty::Enum(&["s3"])),
        ("expiration_time", Ty::Positive),
        ("token_bytes", Ty::Custom(check_token_bytes)),
        ("max_file_size", Ty::Positive),
        ("s3", Ty::Table(&S3)),
    ],
    required: &["s3"],
    other: None,
};

static VALIDITY: Spec = Spec {
    keys: &[
        ("value", Ty::NonNegative),
        ("unit", Ty::Enum(&["days", "hours", "minutes", "seconds"])),
    ],
    required: &["value", "unit"],
    other: None,
};

static VALIDITY_PERIOD: Spec = Spec {
    keys: &[
        ("access", Ty::Table(&VALIDITY)),
        ("refresh", Ty::Table(&VALIDITY)),
    ],
    required: &[],
    other: None,
};

static MOD_AUTH_TOKEN: Spec = Spec {
    keys: &[
        ("iqdisc", Ty::Custom(check_iqdisc)),
        ("backend", Ty::Enum(&["rdbms"])),
        ("validity_period", Ty::Table(&VALIDITY_PERIOD)),
    ],
    required: &[],
    other: None,
};
