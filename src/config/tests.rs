//! Tests of the configuration parser, on inline TOML documents.

use std::path::{Path, PathBuf};

use super::*;

const GENERAL: &str = "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n";

fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
    Config::parse(text, None)
}

fn ok(text: &str) -> Config {
    match parse(text) {
        Ok(c) => c,
        Err(errs) => panic!("unexpected errors: {errs:#?}"),
    }
}

/// Parses `GENERAL` + `rest` and returns the (path, value, reason) of every error.
fn errors(rest: &str) -> Vec<(String, Option<String>, String)> {
    errors_of(&format!("{GENERAL}{rest}"))
}

fn errors_of(text: &str) -> Vec<(String, Option<String>, String)> {
    match parse(text) {
        Ok(c) => panic!("expected errors, got {c:#?}"),
        Err(errs) => errs
            .into_iter()
            .map(|e| (e.path, e.value, e.reason))
            .collect(),
    }
}

fn one(path: &str, value: Option<&str>, reason: &str) -> Vec<(String, Option<String>, String)> {
    vec![(
        path.to_string(),
        value.map(str::to_string),
        reason.to_string(),
    )]
}

// ---- top level and [general] -------------------------------------------------------------

#[test]
fn minimal_file_gets_defaults() {
    let c = ok(GENERAL);
    assert_eq!(c.hosts, ["localhost"]);
    assert!(c.host_types.is_empty());
    assert_eq!(c.default_server_domain, "localhost");
    assert_eq!(c.loglevel, "warning");
    assert_eq!(c.services, Services::default());
    assert!(!c.submod_enabled(Submod::Accounts));
    assert_eq!(c.auth_for("localhost"), &AuthConfig::default());
    assert!(c.modules["localhost"].is_empty());
    assert!(c.rdbms_pools.is_empty());
    assert!(c.access_commands.is_empty());
    assert!(c.warnings.is_empty());
}

#[test]
fn unknown_top_level_key_is_rejected() {
    assert_eq!(
        errors("[bogus]\nx = 1\n"),
        one("bogus", Some("{ x = 1 }"), "unexpected_key")
    );
}

#[test]
fn general_and_default_server_domain_are_mandatory() {
    assert_eq!(
        errors_of("[services.service_admin_extra]\n"),
        one("", None, "missing_mandatory_keys")
    );
    assert_eq!(
        errors_of("[general]\nhosts = [\"a\"]\n"),
        one("general", None, "missing_mandatory_keys")
    );
    let errs = parse("[general]\nhosts = [\"a\"]\n").unwrap_err();
    assert!(errs[0].text.contains("general.default_server_domain"));
}

#[test]
fn hosts_are_lowercased_and_must_be_unique() {
    let c =
        ok("[general]\nhosts = [\"LocalHost\", \"b\"]\ndefault_server_domain = \"LOCALHOST\"\n");
    assert_eq!(c.hosts, ["localhost", "b"]);
    assert_eq!(c.default_server_domain, "localhost");
    assert!(c.is_static_host("LOCALHOST"));
    assert!(!c.is_static_host("c"));
    assert_eq!(
        errors_of("[general]\nhosts = [\"a\", \"A\"]\ndefault_server_domain = \"a\"\n"),
        one("general.hosts", Some("\"A\""), "not_unique")
    );
}

#[test]
fn hosts_and_host_types_must_be_non_empty_and_disjoint() {
    assert_eq!(
        errors_of("[general]\ndefault_server_domain = \"a\"\n"),
        one("general", None, "no_hosts")
    );
    assert_eq!(
        errors_of(
            "[general]\nhosts = [\"a\"]\nhost_types = [\"a\"]\ndefault_server_domain = \"a\"\n"
        ),
        one("general", Some("\"a\""), "not_unique")
    );
    assert_eq!(
        errors_of("[general]\nhosts = [\"\"]\ndefault_server_domain = \"a\"\n"),
        one("general.hosts", Some("\"\""), "non_empty")
    );
}

#[test]
fn general_options_are_type_checked() {
    let text = "[general]\nhosts = [\"a\"]\ndefault_server_domain = \"a\"\n\
                loglevel = \"loud\"\nregistration_timeout = 0\nlanguage = 5\n\
                max_fsm_queue = \"x\"\nfoo = 1\n";
    assert_eq!(
        errors_of(text),
        vec![
            (
                "general.loglevel".into(),
                Some("\"loud\"".into()),
                "validate_enum_failed".into()
            ),
            (
                "general.registration_timeout".into(),
                Some("0".into()),
                "not_positive".into()
            ),
            (
                "general.language".into(),
                Some("5".into()),
                "wrong_type".into()
            ),
            (
                "general.max_fsm_queue".into(),
                Some("\"x\"".into()),
                "wrong_type".into()
            ),
            (
                "general.foo".into(),
                Some("1".into()),
                "unexpected_key".into()
            ),
        ]
    );
    let c = ok(
        "[general]\nhosts = [\"a\"]\ndefault_server_domain = \"a\"\n\
                loglevel = \"debug\"\nregistration_timeout = \"infinity\"\n\
                [general.mongooseimctl_access_commands.local]\ncommands = [\"join_cluster\"]\n\
                argument_restrictions.node = \"mongooseim@prime\"\n",
    );
    assert_eq!(c.loglevel, "debug");
    assert_eq!(
        c.access_commands,
        [CtlAccessRule {
            access: "local".into(),
            commands: Some(vec!["join_cluster".into()]),
            argument_restrictions: vec![("node".into(), "mongooseim@prime".into())],
        }]
    );
}

#[test]
fn syntax_error_reports_line_and_column_on_one_line() {
    let errs = parse("[general]\nhosts = [\"a\"]\ndefault_server_domain = = \"a\"\n").unwrap_err();
    assert_eq!(errs.len(), 1);
    let e = &errs[0];
    assert_eq!(e.reason, "toml_parsing_failed");
    assert_eq!(e.path, "");
    assert!(
        e.to_string()
            .starts_with("TOML syntax error at line 3, column 25: "),
        "{e}"
    );
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn missing_file_is_a_single_read_error() {
    let errs = Config::load(Path::new("/nonexistent/dir/mongooseim.toml")).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].reason, "file_read_failed");
    assert!(errs[0].text.contains("/nonexistent/dir/mongooseim.toml"));
}

#[test]
fn errors_are_collected_not_fail_fast() {
    let errs = errors(
        "[services.service_domain_db]\nevent_max_age = 0\n\
         [services.service_admin_extra]\nsubmods = [\"x\"]\n\
         [modules.mod_nope]\n",
    );
    assert_eq!(errs.len(), 3, "{errs:?}");
}

// ---- [services] --------------------------------------------------------------------------

#[test]
fn unknown_service_is_rejected() {
    assert_eq!(
        errors("[services.service_foo]\n"),
        one("services.service_foo", Some("{}"), "unexpected_key")
    );
}

#[test]
fn unknown_key_in_a_service_is_rejected() {
    assert_eq!(
        errors("[services.service_mongoose_system_metrics]\nno_report = true\n"),
        one(
            "services.service_mongoose_system_metrics.no_report",
            Some("true"),
            "unexpected_key"
        )
    );
}

#[test]
fn empty_services_get_their_defaults() {
    let c = ok(&format!(
        "{GENERAL}[services.service_admin_extra]\n[services.service_domain_db]\n\
         [services.service_mongoose_system_metrics]\n"
    ));
    assert_eq!(
        c.services.admin_extra,
        Some(AdminExtra {
            submods: Submod::SUBMODS.to_vec()
        })
    );
    assert!(Submod::SUBMODS.iter().all(|s| c.submod_enabled(*s)));
    assert_eq!(
        c.services.domain_db,
        Some(DomainDb {
            db_pool: "global".into(),
            event_cleaning_interval: 1800,
            event_max_age: 7200
        })
    );
    assert_eq!(
        c.services.system_metrics,
        Some(SystemMetrics {
            initial_report: 300_000,
            periodic_report: 10_800_000,
            report: None,
            tracking_id: None
        })
    );
}

#[test]
fn submods_are_validated() {
    let sec = "[services.service_admin_extra]\n";
    let path = "services.service_admin_extra.submods";
    assert_eq!(
        errors(&format!("{sec}submods = 1\n")),
        one(path, Some("1"), "wrong_type")
    );
    assert_eq!(
        errors(&format!("{sec}submods = [1]\n")),
        one(path, Some("1"), "wrong_type")
    );
    assert_eq!(
        errors(&format!("{sec}submods = [\"nodejshaha\"]\n")),
        one(path, Some("\"nodejshaha\""), "validate_enum_failed")
    );
    assert_eq!(
        errors(&format!(
            "{sec}submods = [\"node\", \"roster\", \"node\"]\n"
        )),
        one(path, Some("\"node\""), "not_unique")
    );
    assert_eq!(
        errors(&format!("{sec}other = 1\n")),
        one(
            "services.service_admin_extra.other",
            Some("1"),
            "unexpected_key"
        )
    );
}

#[test]
fn enum_error_display_names_path_value_and_choices() {
    let errs = parse(&format!(
        "{GENERAL}[services.service_admin_extra]\nsubmods = [\"nodejshaha\"]\n"
    ))
    .unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "services.service_admin_extra.submods: invalid value \"nodejshaha\": validate_enum_failed \
         (expected one of node, accounts, sessions, vcard, roster, last, private, stanza, stats, \
         gdpr, upload, domain)"
    );
}

#[test]
fn submods_subset_and_empty_list() {
    let c = ok(&format!(
        "{GENERAL}[services.service_admin_extra]\nsubmods = [\"roster\", \"node\"]\n"
    ));
    assert_eq!(
        c.services.admin_extra.as_ref().map(|a| a.submods.clone()),
        Some(vec![Submod::Roster, Submod::Node])
    );
    assert!(c.submod_enabled(Submod::Node));
    assert!(!c.submod_enabled(Submod::Accounts));
    let c = ok(&format!(
        "{GENERAL}[services.service_admin_extra]\nsubmods = []\n"
    ));
    assert!(Submod::SUBMODS.iter().all(|s| !c.submod_enabled(*s)));
}

#[test]
fn account_is_an_alias_of_accounts_with_a_warning() {
    let c = ok(&format!(
        "{GENERAL}[services.service_admin_extra]\nsubmods = [\"account\", \"node\"]\n"
    ));
    assert!(c.submod_enabled(Submod::Accounts));
    assert_eq!(c.warnings.len(), 1);
    assert!(c.warnings[0].starts_with("services.service_admin_extra.submods: "));
    assert_eq!(
        errors("[services.service_admin_extra]\nsubmods = [\"accounts\", \"account\"]\n"),
        one(
            "services.service_admin_extra.submods",
            Some("\"account\""),
            "not_unique"
        )
    );
}

#[test]
fn system_metrics_options_are_validated() {
    let sec = "[services.service_mongoose_system_metrics]\n";
    let p = "services.service_mongoose_system_metrics";
    for (line, key, value, reason) in [
        (
            "initial_report = \"forever\"",
            "initial_report",
            "\"forever\"",
            "wrong_type",
        ),
        (
            "periodic_report = -1",
            "periodic_report",
            "-1",
            "non_negative",
        ),
        ("tracking_id = 666", "tracking_id", "666", "wrong_type"),
        ("tracking_id = \"\"", "tracking_id", "\"\"", "non_empty"),
        ("report = \"maybe\"", "report", "\"maybe\"", "wrong_type"),
    ] {
        assert_eq!(
            errors(&format!("{sec}{line}\n")),
            one(&format!("{p}.{key}"), Some(value), reason),
            "{line}"
        );
    }
    let c = ok(&format!(
        "{GENERAL}{sec}initial_report = 0\nperiodic_report = 300_000\nreport = false\n\
         tracking_id = \"UA-1\"\n"
    ));
    assert_eq!(
        c.services.system_metrics,
        Some(SystemMetrics {
            initial_report: 0,
            periodic_report: 300_000,
            report: Some(false),
            tracking_id: Some("UA-1".into())
        })
    );
}

#[test]
fn intial_report_is_an_alias_with_a_warning() {
    let c = ok(&format!(
        "{GENERAL}[services.service_mongoose_system_metrics]\nintial_report = 20_000\n"
    ));
    assert_eq!(
        c.services.system_metrics.as_ref().map(|m| m.initial_report),
        Some(20_000)
    );
    assert_eq!(
        c.warnings,
        ["services.service_mongoose_system_metrics.intial_report: deprecated spelling, read as initial_report"]
    );
    assert_eq!(
        errors(
            "[services.service_mongoose_system_metrics]\nintial_report = 1\ninitial_report = 2\n"
        ),
        one(
            "services.service_mongoose_system_metrics.intial_report",
            Some("1"),
            "duplicate_key"
        )
    );
    assert_eq!(
        errors("[services.service_mongoose_system_metrics]\nintial_report = -5\n"),
        one(
            "services.service_mongoose_system_metrics.intial_report",
            Some("-5"),
            "non_negative"
        )
    );
}

#[test]
fn domain_db_options_are_validated() {
    let sec = "[services.service_domain_db]\n";
    let p = "services.service_domain_db";
    for (line, key, value, reason) in [
        (
            "event_cleaning_interval = 0",
            "event_cleaning_interval",
            "0",
            "not_positive",
        ),
        ("event_max_age = 0", "event_max_age", "0", "not_positive"),
        ("db_pool = 10", "db_pool", "10", "wrong_type"),
        ("db_pool = \"\"", "db_pool", "\"\"", "non_empty"),
    ] {
        assert_eq!(
            errors(&format!("{sec}{line}\n")),
            one(&format!("{p}.{key}"), Some(value), reason),
            "{line}"
        );
    }
    let c = ok(&format!(
        "{GENERAL}{sec}db_pool = \"my_pool\"\nevent_cleaning_interval = 10\nevent_max_age = 20\n"
    ));
    assert_eq!(
        c.services.domain_db,
        Some(DomainDb {
            db_pool: "my_pool".into(),
            event_cleaning_interval: 10,
            event_max_age: 20
        })
    );
    assert_eq!(
        c.warnings,
        [
            "services.service_domain_db.db_pool: \"my_pool\": mongooseimctl keeps dynamic domains \
          in its one store, as for \"global\" (MongooseIM 5.1 finds no pool under another name)"
        ]
    );
    let c = ok(&format!("{GENERAL}{sec}db_pool = \"global\"\n"));
    assert!(c.warnings.is_empty());
}

// ---- [auth] ------------------------------------------------------------------------------

#[test]
fn auth_methods_default_to_present_tables_in_alphabetical_order() {
    let c = ok(&format!(
        "{GENERAL}[auth.rdbms]\n[auth.anonymous]\nprotocol = \"both\"\n[auth.internal]\n"
    ));
    assert_eq!(
        c.auth_for("localhost").methods,
        ["anonymous", "internal", "rdbms"]
    );
}

#[test]
fn listed_auth_methods_need_their_tables() {
    assert_eq!(
        errors("[auth]\nmethods = [\"rdbms\", \"internal\"]\n[auth.rdbms]\n"),
        one(
            "auth.methods",
            Some("\"internal\""),
            "missing_section_for_auth_method"
        )
    );
    assert_eq!(
        errors("[auth]\nmethods = [\"magic\"]\n"),
        one("auth.methods", Some("\"magic\""), "validate_enum_failed")
    );
    let c = ok(&format!(
        "{GENERAL}[auth]\nmethods = [\"rdbms\", \"internal\"]\n[auth.rdbms]\n[auth.internal]\n"
    ));
    assert_eq!(c.auth_for("localhost").methods, ["rdbms", "internal"]);
}

#[test]
fn password_settings() {
    let c = ok(&format!(
        "{GENERAL}[auth.password]\nformat = \"scram\"\nhash = [\"sha512\", \"sha\"]\n\
         scram_iterations = 64\n[auth.rdbms]\n"
    ));
    let a = c.auth_for("localhost");
    assert_eq!(a.password_format, PasswordFormat::Scram);
    assert_eq!(a.hashes, [ScramHash::Sha, ScramHash::Sha512]);
    assert_eq!(a.scram_iterations, 64);
    let c = ok(&format!("{GENERAL}[auth.password]\nformat = \"plain\"\n"));
    assert_eq!(
        c.auth_for("localhost").password_format,
        PasswordFormat::Plain
    );

    let p = "auth.password";
    assert_eq!(
        errors("[auth.password]\nformat = \"md5\"\n"),
        one(
            &format!("{p}.format"),
            Some("\"md5\""),
            "validate_enum_failed"
        )
    );
    assert_eq!(
        errors("[auth.password]\nhash = []\n"),
        one(&format!("{p}.hash"), Some("[]"), "non_empty")
    );
    assert_eq!(
        errors("[auth.password]\nhash = [\"sha\", \"sha\"]\n"),
        one(&format!("{p}.hash"), Some("\"sha\""), "not_unique")
    );
    assert_eq!(
        errors("[auth.password]\nscram_iterations = 0\n"),
        one(&format!("{p}.scram_iterations"), Some("0"), "not_positive")
    );
}

#[test]
fn auth_method_tables_are_checked() {
    assert_eq!(
        errors("[auth.external]\ninstances = 2\n"),
        one("auth.external", None, "missing_mandatory_keys")
    );
    assert_eq!(
        errors("[auth.internal]\nfoo = 1\n"),
        one("auth.internal.foo", Some("1"), "unexpected_key")
    );
    assert_eq!(
        errors(
            "[auth.jwt]\nsecret = {value = \"a\", env = \"B\"}\nalgorithm = \"HS256\"\n\
             username_key = \"user\"\n"
        ),
        one(
            "auth.jwt.secret",
            Some("{ value = \"a\", env = \"B\" }"),
            "invalid_jwt_secret"
        )
    );
    ok(&format!(
        "{GENERAL}[auth.ldap]\nbase = \"ou=Users\"\ndn_filter.filter = \"(x=%u)\"\n\
         dn_filter.attributes = [\"sn\"]\n[[auth.ldap.uids]]\nattr = \"uid\"\nformat = \"%u\"\n"
    ));
}

#[test]
fn auth_for_an_unknown_host_type_falls_back_to_defaults() {
    let c = ok(&format!("{GENERAL}[auth.rdbms]\n"));
    assert_eq!(c.auth_for("elsewhere"), &AuthConfig::default());
}

// ---- [outgoing_pools] ---------------------------------------------------------------------

const SQLITE_POOL: &str = "[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
                           [outgoing_pools.rdbms.default.connection]\ndriver = \"sqlite\"\n";

#[test]
fn sqlite_relative_path_is_resolved_against_the_config_directory() {
    let text = format!("{GENERAL}{SQLITE_POOL}database = \"data/mim.db\"\n");
    let c = Config::parse(&text, Some(Path::new("/etc/mongooseim/mongooseim.toml")))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        c.path.as_deref(),
        Some(Path::new("/etc/mongooseim/mongooseim.toml"))
    );
    let pool = c.global_pool().expect("global pool");
    assert_eq!(pool.tag, "default");
    assert_eq!(pool.scope, "global");
    assert_eq!(
        pool.driver,
        StoreDriver::Sqlite {
            database: PathBuf::from("/etc/mongooseim/data/mim.db")
        }
    );
    assert_eq!(c.rdbms_pool_for("localhost"), Some(pool));
}

#[test]
fn sqlite_absolute_path_is_kept() {
    let text = format!("{GENERAL}{SQLITE_POOL}database = \"/var/lib/m.db\"\n");
    let c =
        Config::parse(&text, Some(Path::new("/etc/m.toml"))).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        c.global_pool().map(|p| p.driver.clone()),
        Some(StoreDriver::Sqlite {
            database: PathBuf::from("/var/lib/m.db")
        })
    );
}

#[test]
fn sqlite_needs_a_non_empty_database() {
    let p = "outgoing_pools.rdbms.default.connection";
    assert_eq!(errors(SQLITE_POOL), one(p, None, "missing_mandatory_keys"));
    assert_eq!(
        errors(&format!("{SQLITE_POOL}database = \"\"\n")),
        one(&format!("{p}.database"), Some("\"\""), "non_empty")
    );
    assert_eq!(
        errors(&format!("{SQLITE_POOL}database = \"x.db\"\nhost = \"h\"\n")),
        one(&format!("{p}.host"), Some("\"h\""), "unexpected_key")
    );
}

#[test]
fn pgsql_pool_needs_credentials_and_hides_the_password() {
    let pool = "[outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\n";
    assert_eq!(
        errors(&format!("{pool}host = \"localhost\"\n")),
        one(
            "outgoing_pools.rdbms.default.connection",
            None,
            "invalid_rdbms_connection_options"
        )
    );
    let c = Config::parse(
        &format!(
            "{GENERAL}{pool}host = \"db\"\ndatabase = \"mim\"\nusername = \"u\"\npassword = \"s3cret\"\n\
             tls.required = true\ntls.cacertfile = \"ca.pem\"\n"
        ),
        Some(Path::new("/etc/mim/mongooseim.toml")),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let driver = &c.rdbms_pools[0].driver;
    assert_eq!(
        driver,
        &StoreDriver::Pgsql {
            host: "db".into(),
            port: 5432,
            database: "mim".into(),
            username: "u".into(),
            password: "s3cret".into(),
            tls: Some(Box::new(PgTls {
                required: true,
                verify_mode: VerifyMode::Peer,
                cacertfile: Some(PathBuf::from("/etc/mim/ca.pem")),
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
            }))
        }
    );
    let debug = format!("{c:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert_eq!(c.global_pool().map(|p| p.driver.name()), Some("pgsql"));
    assert_eq!(
        c.rdbms_pool_for("localhost").map(|p| p.driver.name()),
        Some("pgsql")
    );
}

#[test]
fn a_pgsql_tls_table_keeps_every_key_with_mongooseims_defaults() {
    let pool = "[outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"db\"\n\
                database = \"mim\"\nusername = \"u\"\npassword = \"s3cret\"\n";
    let tls_of = |extra: &str| {
        let c = Config::parse(
            &format!("{GENERAL}{pool}{extra}"),
            Some(Path::new("/etc/mim/mongooseim.toml")),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        match &c.rdbms_pools[0].driver {
            StoreDriver::Pgsql { tls, .. } => tls.clone(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(tls_of(""), None);
    let t = tls_of(
        "tls.verify_mode = \"selfsigned_peer\"\ntls.cacertfile = \"/abs/ca.pem\"\n\
         tls.certfile = \"certs/client.pem\"\ntls.keyfile = \"certs/client.key\"\n\
         tls.password = \"k3y\"\ntls.ciphers = \"ECDHE-RSA-AES256-GCM-SHA384\"\n\
         tls.versions = [\"tlsv1.2\", \"tlsv1.3\"]\n\
         tls.server_name_indication = {enabled = false, host = \"pg.example\", protocol = \"https\"}\n",
    )
    .unwrap_or_else(|| panic!("no tls"));
    assert_eq!(
        *t,
        PgTls {
            required: false,
            verify_mode: VerifyMode::SelfsignedPeer,
            cacertfile: Some(PathBuf::from("/abs/ca.pem")),
            certfile: Some(PathBuf::from("/etc/mim/certs/client.pem")),
            keyfile: Some(PathBuf::from("/etc/mim/certs/client.key")),
            password: Some("k3y".into()),
            ciphers: Some("ECDHE-RSA-AES256-GCM-SHA384".into()),
            versions: Some(vec!["tlsv1.2".into(), "tlsv1.3".into()]),
            sni: Sni {
                enabled: false,
                host: Some("pg.example".into()),
                protocol: "https".into(),
            },
        }
    );
    assert!(!format!("{t:?}").contains("k3y"));
    // An empty table: TLS preferred, the server verified against a CA file still to be named.
    let t = tls_of("tls = {}\n").unwrap_or_else(|| panic!("no tls"));
    assert_eq!(
        (
            t.required,
            t.verify_mode,
            t.sni.enabled,
            t.sni.protocol.as_str()
        ),
        (false, VerifyMode::Peer, true, "default")
    );
    assert_eq!(
        errors(&format!("{pool}tls.verify_mode = \"verify_peer\"\n")),
        one(
            "outgoing_pools.rdbms.default.connection.tls.verify_mode",
            Some("\"verify_peer\""),
            "validate_enum_failed"
        )
    );
}

#[test]
fn mysql_and_odbc_pools_are_accepted() {
    let c = ok(&format!(
        "{GENERAL}[outgoing_pools.rdbms.default.connection]\ndriver = \"odbc\"\nsettings = \"DSN=mim\"\n\
         [outgoing_pools.rdbms.other.connection]\ndriver = \"mysql\"\nhost = \"h\"\ndatabase = \"d\"\n\
         username = \"u\"\npassword = \"p\"\nport = 3307\n"
    ));
    let drivers: Vec<_> = c.rdbms_pools.iter().map(|p| p.driver.clone()).collect();
    assert_eq!(
        drivers,
        [
            StoreDriver::Other("odbc".into()),
            StoreDriver::Other("mysql".into())
        ]
    );
    assert_eq!(
        errors(
            "[outgoing_pools.rdbms.default.connection]\ndriver = \"mysql\"\nhost = \"h\"\n\
             database = \"d\"\nusername = \"u\"\npassword = \"p\"\ntls.required = true\n"
        ),
        one(
            "outgoing_pools.rdbms.default.connection.tls.required",
            Some("true"),
            "unexpected_key"
        )
    );
}

#[test]
fn pool_level_rules() {
    let p = "outgoing_pools.redis.gd";
    assert_eq!(
        errors("[outgoing_pools.redis.gd]\nscope = \"single_host\"\n"),
        one(p, None, "missing_mandatory_keys")
    );
    assert_eq!(
        errors("[outgoing_pools.redis.gd]\nscope = \"global\"\nhost = \"localhost\"\n"),
        one(
            &format!("{p}.host"),
            Some("\"localhost\""),
            "unexpected_key"
        )
    );
    assert_eq!(
        errors("[outgoing_pools.redis.gd]\nworkers = 0\nstrategy = \"any\"\n"),
        vec![
            (
                format!("{p}.workers"),
                Some("0".into()),
                "not_positive".into()
            ),
            (
                format!("{p}.strategy"),
                Some("\"any\"".into()),
                "validate_enum_failed".into()
            ),
        ]
    );
    assert_eq!(
        errors("[outgoing_pools.redis.gd]\nconnection = 5\n"),
        one(&format!("{p}.connection"), Some("5"), "wrong_type")
    );
    assert_eq!(
        errors("[outgoing_pools.http.push]\n"),
        one(
            "outgoing_pools.http.push.connection",
            None,
            "missing_mandatory_keys"
        )
    );
    assert_eq!(
        errors("[outgoing_pools.mongo.default]\n"),
        one(
            "outgoing_pools.mongo",
            Some("{ default = {} }"),
            "unexpected_key"
        )
    );
    assert_eq!(
        errors("[outgoing_pools.rdbms.default]\nscope = \"global\"\n"),
        one(
            "outgoing_pools.rdbms.default",
            None,
            "missing_mandatory_keys"
        )
    );
}

// ---- [modules] -----------------------------------------------------------------------------

#[test]
fn unknown_module_is_rejected() {
    assert_eq!(
        errors("[modules.mod_nope]\n"),
        one("modules.mod_nope", Some("\"mod_nope\""), "module_not_found")
    );
}

#[test]
fn module_backends_get_defaults() {
    let c = ok(&format!(
        "{GENERAL}[modules.mod_private]\n[modules.mod_last]\n[modules.mod_inbox]\n\
         [modules.mod_roster]\nbackend = \"rdbms\"\n[modules.mod_commands]\n[modules.mod_disco]\n\
         users_can_see_hidden_services = false\n"
    ));
    let backend = |m: &str| c.module_opts("localhost", m).and_then(ModuleOpts::backend);
    assert_eq!(backend("mod_private"), Some("rdbms"));
    assert_eq!(backend("mod_last"), Some("mnesia"));
    assert_eq!(backend("mod_inbox"), Some("rdbms"));
    assert_eq!(backend("mod_roster"), Some("rdbms"));
    assert_eq!(backend("mod_commands"), None);
    assert!(c.module_enabled("localhost", "mod_commands"));
    assert!(c.module_enabled("localhost", "mod_disco"));
    assert!(!c.module_enabled("localhost", "mod_vcard"));
    assert!(!c.module_enabled("nowhere", "mod_last"));
    let roster = c.module_opts("localhost", "mod_roster").expect("roster");
    assert_eq!(roster.get_bool("versioning"), Some(false));
}

#[test]
fn module_options_are_validated() {
    assert_eq!(
        errors("[modules.mod_last]\nbackend = \"cassandra\"\n"),
        one(
            "modules.mod_last.backend",
            Some("\"cassandra\""),
            "validate_enum_failed"
        )
    );
    assert_eq!(
        errors("[modules.mod_roster]\nversioning = \"yes\"\n"),
        one(
            "modules.mod_roster.versioning",
            Some("\"yes\""),
            "wrong_type"
        )
    );
    assert_eq!(
        errors("[modules.mod_commands]\nfoo = 1\n"),
        one("modules.mod_commands.foo", Some("1"), "unexpected_key")
    );
    assert_eq!(
        errors("[modules.mod_last]\niqdisc.type = \"one_queue\"\niqdisc.workers = 2\n"),
        one(
            "modules.mod_last.iqdisc",
            Some("{ type = \"one_queue\", workers = 2 }"),
            "invalid_iqdisc"
        )
    );
    assert_eq!(
        errors("[modules.mod_inbox]\nboxes = [\"bin\"]\n"),
        one(
            "modules.mod_inbox.boxes",
            Some("\"bin\""),
            "reserved_box_name"
        )
    );
    assert_eq!(
        errors("[modules.mod_last]\n[modules.mod_last.extra]\n"),
        one("modules.mod_last.extra", Some("{}"), "unexpected_key")
    );
    assert_eq!(
        errors("[modules]\nmod_last = 1\n"),
        one("modules.mod_last", Some("1"), "wrong_type")
    );
}

const S3_OK: &str = "s3.region = \"r\"\ns3.access_key_id = \"k\"\ns3.secret_access_key = \"s\"\n";

#[test]
fn http_upload_options_are_typed() {
    let c = ok(&format!(
        "{GENERAL}[modules.mod_http_upload]\ns3.bucket_url = \"https://s3.example.com:8443/a/\"\n{S3_OK}"
    ));
    let up = c
        .host_modules("localhost")
        .http_upload
        .clone()
        .expect("typed");
    assert_eq!(up.bucket_url.host_part(), "s3.example.com:8443");
    assert_eq!(up.bucket_url.path, "/a/");
    assert_eq!(
        (
            up.region.as_str(),
            up.access_key_id.as_str(),
            up.secret_access_key.as_str()
        ),
        ("r", "k", "s")
    );
    assert_eq!(
        (
            up.add_acl,
            up.token_bytes,
            up.expiration_time,
            up.max_file_size
        ),
        (false, 32, 60, 10_485_760)
    );
    let c = ok(&format!(
        "{GENERAL}[modules.mod_http_upload]\ntoken_bytes = 4\nexpiration_time = 5\n\
         max_file_size = 6\ns3.bucket_url = \"http://h\"\ns3.add_acl = true\n{S3_OK}"
    ));
    let up = c
        .host_modules("localhost")
        .http_upload
        .clone()
        .expect("typed");
    assert_eq!(
        (
            up.add_acl,
            up.token_bytes,
            up.expiration_time,
            up.max_file_size
        ),
        (true, 4, 5, 6)
    );
    assert_eq!(ok(GENERAL).host_modules("localhost").http_upload, None);
}

#[test]
fn http_upload_options_are_validated() {
    let m = |rest: &str| errors(&format!("[modules.mod_http_upload]\n{rest}"));
    let url = |u: &str| m(&format!("s3.bucket_url = {u}\n{S3_OK}"));
    assert_eq!(
        url("\"\""),
        one(
            "modules.mod_http_upload.s3.bucket_url",
            Some("\"\""),
            "non_empty"
        )
    );
    assert_eq!(
        url("1"),
        one(
            "modules.mod_http_upload.s3.bucket_url",
            Some("1"),
            "wrong_type"
        )
    );
    for bad in [
        "localhost/bucket",
        "http://",
        "http://h:99999/",
        "http://u@h/",
        "http://h/?a",
    ] {
        assert_eq!(
            url(&format!("\"{bad}\"")),
            one(
                "modules.mod_http_upload.s3.bucket_url",
                Some(&format!("\"{bad}\"")),
                "invalid_url"
            ),
            "{bad}"
        );
    }
    let with = |kv: &str| m(&format!("{kv}\ns3.bucket_url = \"http://h/\"\n{S3_OK}"));
    assert_eq!(
        with("s3.add_acl = \"yes\""),
        one(
            "modules.mod_http_upload.s3.add_acl",
            Some("\"yes\""),
            "wrong_type"
        )
    );
    for key in ["token_bytes", "expiration_time", "max_file_size"] {
        for v in ["0", "-1"] {
            assert_eq!(
                with(&format!("{key} = {v}")),
                one(
                    &format!("modules.mod_http_upload.{key}"),
                    Some(v),
                    "not_positive"
                ),
                "{key} = {v}"
            );
        }
        assert_eq!(
            with(&format!("{key} = \"1\"")),
            one(
                &format!("modules.mod_http_upload.{key}"),
                Some("\"1\""),
                "wrong_type"
            )
        );
    }
    assert_eq!(
        with("token_bytes = 65537"),
        one(
            "modules.mod_http_upload.token_bytes",
            Some("65537"),
            "too_large"
        )
    );
    assert!(parse(&format!(
        "{GENERAL}[modules.mod_http_upload]\ntoken_bytes = 65536\ns3.bucket_url = \"http://h/\"\n{S3_OK}"
    ))
    .is_ok());
    assert_eq!(
        with("backend = \"rdbms\""),
        one(
            "modules.mod_http_upload.backend",
            Some("\"rdbms\""),
            "validate_enum_failed"
        )
    );
    for key in ["region", "access_key_id", "secret_access_key"] {
        let rest = S3_OK
            .lines()
            .filter(|l| !l.starts_with(&format!("s3.{key} ")))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            m(&format!("s3.bucket_url = \"http://h/\"\n{rest}\n")),
            one("modules.mod_http_upload.s3", None, "missing_mandatory_keys"),
            "{key}"
        );
    }
    assert_eq!(
        m(&format!(
            "s3.bucket_url = \"http://h/\"\ns3.extra = 1\n{S3_OK}"
        ))[0]
            .2,
        "unexpected_key"
    );
}

#[test]
fn http_upload_requires_s3() {
    assert_eq!(
        errors("[modules.mod_http_upload]\nhost = \"upload.@HOST@\"\n"),
        one("modules.mod_http_upload", None, "missing_mandatory_keys")
    );
    assert_eq!(
        errors("[modules.mod_http_upload]\ns3.bucket_url = \"https://s3/b\"\n"),
        one("modules.mod_http_upload.s3", None, "missing_mandatory_keys")
    );
    let c = ok(&format!(
        "{GENERAL}[modules.mod_http_upload]\ns3.bucket_url = \"https://s3/b\"\ns3.region = \"r\"\n\
         s3.access_key_id = \"k\"\ns3.secret_access_key = \"s\"\n"
    ));
    let up = c
        .module_opts("localhost", "mod_http_upload")
        .expect("upload");
    assert_eq!(up.backend(), Some("s3"));
    assert_eq!(up.get_int("max_file_size"), Some(10_485_760));
    assert_eq!(up.get_int("expiration_time"), Some(60));
    assert_eq!(
        up.get_table("s3")
            .and_then(|s| s.get("add_acl"))
            .and_then(toml::Value::as_bool),
        Some(false)
    );
}

#[test]
fn riak_sub_table_is_dropped_unless_backend_is_riak() {
    let c = ok(&format!(
        "{GENERAL}[modules.mod_offline]\nriak.bucket_type = \"o\"\n\
         [modules.mod_last]\nbackend = \"riak\"\nriak.bucket_type = \"l\"\n"
    ));
    assert!(c
        .module_opts("localhost", "mod_offline")
        .and_then(|m| m.get_table("riak"))
        .is_none());
    assert!(c
        .module_opts("localhost", "mod_last")
        .and_then(|m| m.get_table("riak"))
        .is_some());
}

// ---- [[host_config]] ----------------------------------------------------------------------

const TWO_HOSTS: &str = "[general]\nhosts = [\"a.com\", \"b.com\"]\nhost_types = [\"ht\"]\n\
                         default_server_domain = \"a.com\"\n";

#[test]
fn host_config_replaces_auth_and_modules() {
    let c = ok(&format!(
        "{TWO_HOSTS}[auth.rdbms]\n[auth.password]\nscram_iterations = 50\n\
         [modules.mod_last]\n[modules.mod_roster]\n\
         [[host_config]]\nhost = \"b.com\"\n[host_config.auth.internal]\n\
         [host_config.modules.mod_vcard]\nbackend = \"rdbms\"\n\
         [[host_config]]\nhost_type = \"ht\"\nmodules = {{}}\n"
    ));
    assert_eq!(c.auth_for("a.com").methods, ["rdbms"]);
    assert_eq!(c.auth_for("a.com").scram_iterations, 50);
    // replaced, nothing inherited
    assert_eq!(c.auth_for("b.com").methods, ["internal"]);
    assert_eq!(c.auth_for("b.com").scram_iterations, 10_000);
    assert_eq!(c.auth_for("ht").methods, ["rdbms"]);

    let names = |ht: &str| c.modules[ht].keys().cloned().collect::<Vec<_>>();
    assert_eq!(names("a.com"), ["mod_last", "mod_roster"]);
    assert_eq!(names("b.com"), ["mod_vcard"]);
    assert!(names("ht").is_empty());
    assert_eq!(c.all_host_types(), ["a.com", "b.com", "ht"]);
}

#[test]
fn host_type_wins_over_host() {
    let c = ok(&format!(
        "{TWO_HOSTS}[[host_config]]\nhost_type = \"ht\"\nhost = \"a.com\"\n[host_config.auth.pki]\n"
    ));
    assert_eq!(c.auth_for("ht").methods, ["pki"]);
    assert!(c.auth_for("a.com").methods.is_empty());
}

#[test]
fn host_config_must_name_a_known_host_or_host_type() {
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost_type = \"nope\"\n[host_config.auth.rdbms]\n"
        )),
        one(
            "host_config.host_type",
            Some("\"nope\""),
            "unknown_host_type"
        )
    );
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\n[host_config.auth.rdbms]\n"
        )),
        one("host_config", None, "missing_mandatory_keys")
    );
}

#[test]
fn host_config_allows_only_host_type_sections() {
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.services.service_admin_extra]\n"
        )),
        one(
            "host_config.services",
            Some("{ service_admin_extra = {} }"),
            "unexpected_key"
        )
    );
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.general]\nloglevel = \"debug\"\n"
        )),
        one("host_config.general.loglevel", Some("\"debug\""), "unexpected_key")
    );
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.auth]\nscram_iterations = 40_000\n"
        )),
        one("host_config.auth.scram_iterations", Some("40000"), "unexpected_key")
    );
    ok(&format!(
        "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.general]\n\
         route_subdomains = \"s2s\"\nreplaced_wait_timeout = 100\n\
         [host_config.acl]\nlocal = [{{}}]\n[host_config.access]\nc2s = [{{acl = \"all\", value = \"allow\"}}]\n\
         [host_config.s2s]\ndefault_policy = \"deny\"\n"
    ));
}

#[test]
fn host_config_invalid_auth_is_reported_with_its_path() {
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.auth.password]\nformat = \"x\"\n"
        )),
        one("host_config.auth.password.format", Some("\"x\""), "validate_enum_failed")
    );
}

#[test]
fn dynamic_domains_reject_some_modules() {
    assert_eq!(
        errors_of(&format!("{TWO_HOSTS}[modules.mod_pubsub]\n")),
        one(
            "modules.mod_pubsub",
            Some("\"mod_pubsub\""),
            "dynamic_domains_not_supported"
        )
    );
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost_type = \"ht\"\n[host_config.modules.mod_jingle_sip]\n"
        )),
        one(
            "host_config.modules.mod_jingle_sip",
            Some("\"mod_jingle_sip\""),
            "dynamic_domains_not_supported"
        )
    );
    // fine for a static host, and fine without host types
    ok(&format!(
        "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.modules.mod_pubsub]\n"
    ));
    ok(&format!("{GENERAL}[modules.mod_pubsub]\n"));
}

// ---- other sections -----------------------------------------------------------------------

#[test]
fn listen_shaper_acl_access_s2s_are_accepted_and_type_checked() {
    ok(&format!(
        "{GENERAL}[[listen.c2s]]\nport = 5222\naccess = \"c2s\"\n[shaper.normal]\nmax_rate = 1_000\n\
         [acl]\nlocal = [{{user_regexp = \"\"}}]\n[access]\nc2s = [{{acl = \"all\", value = \"allow\"}}]\n\
         max = [{{acl = \"all\", value = 10}}]\n[s2s]\ndefault_policy = \"deny\"\n"
    ));
    assert_eq!(
        errors("[shaper.normal]\nmax_rate = 0\n"),
        one("shaper.normal.max_rate", Some("0"), "not_positive")
    );
    assert_eq!(
        errors("[shaper.normal]\n"),
        one("shaper.normal", None, "missing_mandatory_keys")
    );
    assert_eq!(
        errors("[listen]\nc2s = 5\n"),
        one("listen.c2s", Some("5"), "wrong_type")
    );
    assert_eq!(
        errors("[access]\nc2s = [{acl = \"all\"}]\n"),
        one("access.c2s", None, "missing_mandatory_keys")
    );
    assert_eq!(
        errors_of(&format!("s2s = 1\n{GENERAL}")),
        one("s2s", Some("1"), "wrong_type")
    );
}

// ---- built-in defaults and small API ------------------------------------------------------

#[test]
fn builtin_defaults() {
    let c = Config::builtin();
    assert_eq!(c.path, None);
    assert_eq!(c.hosts, ["localhost"]);
    assert!(c.host_types.is_empty());
    assert_eq!(c.default_server_domain, "localhost");
    let a = c.auth_for("localhost");
    assert_eq!(a.methods, ["rdbms"]);
    assert_eq!(a.password_format, PasswordFormat::Scram);
    assert_eq!(a.hashes.len(), 5);
    assert_eq!(a.scram_iterations, 10_000);
    assert!(Submod::SUBMODS.iter().all(|s| c.submod_enabled(*s)));
    assert_eq!(c.services.domain_db, None);
    assert_eq!(c.services.system_metrics, None);
    for m in [
        "mod_last",
        "mod_roster",
        "mod_vcard",
        "mod_private",
        "mod_offline",
    ] {
        assert_eq!(
            c.module_opts("localhost", m).and_then(ModuleOpts::backend),
            Some("rdbms"),
            "{m}"
        );
    }
    assert!(!c.module_enabled("localhost", "mod_inbox"));
    assert!(c.rdbms_pools.is_empty());
    assert!(c.global_pool().is_none());
}

#[test]
fn submod_names_round_trip() {
    for s in Submod::SUBMODS {
        assert_eq!(Submod::from_submod_name(s.name()), Some(s));
    }
    assert_eq!(Submod::from_submod_name("account"), None);
    assert_eq!(Submod::SUBMODS[0], Submod::Node);
    assert_eq!(Submod::SUBMODS[11], Submod::Domain);
}

#[test]
fn display_without_path_is_the_text() {
    let e = ConfigError {
        path: String::new(),
        value: None,
        reason: "r".into(),
        text: "t".into(),
    };
    assert_eq!(e.to_string(), "t");
}

#[test]
fn host_config_may_not_set_the_same_section_twice() {
    assert_eq!(
        errors_of(&format!(
            "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.auth.rdbms]\n\
             [[host_config]]\nhost_type = \"a.com\"\n[host_config.auth.internal]\n"
        )),
        one("host_config.auth", Some("\"a.com\""), "not_unique")
    );
    // different sections for the same host type are merged
    let c = ok(&format!(
        "{TWO_HOSTS}[[host_config]]\nhost = \"a.com\"\n[host_config.auth.rdbms]\n\
         [[host_config]]\nhost = \"a.com\"\n[host_config.modules.mod_last]\n"
    ));
    assert_eq!(c.auth_for("a.com").methods, ["rdbms"]);
    assert!(c.module_enabled("a.com", "mod_last"));
}

#[test]
fn sqlite_relative_path_without_a_config_file_is_kept() {
    let c = ok(&format!("{GENERAL}{SQLITE_POOL}database = \"mim.db\"\n"));
    assert_eq!(
        c.global_pool().map(|p| p.driver.clone()),
        Some(StoreDriver::Sqlite {
            database: PathBuf::from("mim.db")
        })
    );
}

// ---- ctl access control: mongooseimctl_access_commands, acl, access ------------------------

#[test]
fn access_commands_are_typed_in_file_order() {
    let c = ok(&format!(
        "{GENERAL}[general.mongooseimctl_access_commands.all]\n\
         commands = [\"registered_users\", \"no_such_command\"]\n\
         [general.mongooseimctl_access_commands.admins]\n"
    ));
    assert_eq!(
        c.access_commands,
        [
            CtlAccessRule {
                access: "all".into(),
                commands: Some(vec!["registered_users".into(), "no_such_command".into()]),
                argument_restrictions: vec![],
            },
            CtlAccessRule {
                access: "admins".into(),
                commands: None,
                argument_restrictions: vec![],
            },
        ]
    );
    assert_eq!(
        c.warnings,
        ["general.mongooseimctl_access_commands.all.commands: \"no_such_command\" is not a mongooseimctl command, so this entry never allows it"]
    );
    assert_eq!(
        errors("[general.mongooseimctl_access_commands.all]\ncommands = \"all\"\n"),
        one(
            "general.mongooseimctl_access_commands.all.commands",
            Some("\"all\""),
            "wrong_type"
        )
    );
}

#[test]
fn acl_patterns_are_typed_and_nodeprepped() {
    let c = ok(&format!(
        "{GENERAL}[acl]\nadmin = [{{user = \"Alice\", server = \"LocalHost\"}}, {{match = \"all\"}}]\n\
         local = [{{}}]\n[access]\nctl = [{{acl = \"admin\", value = \"allow\"}}, {{acl = \"all\", value = 5}}]\n"
    ));
    assert_eq!(
        c.acl_class("localhost", "admin"),
        [
            AclPattern {
                matches: AclMatch::CurrentDomain,
                conditions: vec![
                    (AclCondition::User, "alice".into()),
                    (AclCondition::Server, "localhost".into())
                ],
            },
            AclPattern {
                matches: AclMatch::All,
                conditions: vec![],
            },
        ]
    );
    assert_eq!(c.acl_class("localhost", "local").len(), 1);
    assert!(c.acl_class("localhost", "undefined").is_empty());
    assert_eq!(
        c.access_rule("localhost", "ctl"),
        Some(
            &[
                AccessClause {
                    acl: "admin".into(),
                    value: AccessValue::Allow
                },
                AccessClause {
                    acl: "all".into(),
                    value: AccessValue::Other("5".into())
                },
            ][..]
        )
    );
    assert_eq!(
        errors("[acl]\nadmin = [{user = \"a b\"}]\n"),
        one(
            "acl.admin.user",
            Some("\"a b\""),
            "incorrect_acl_condition_value"
        )
    );
    assert_eq!(
        errors("[acl]\nadmin = [{usr = \"a\"}]\n"),
        one("acl.admin.usr", Some("\"a\""), "unexpected_key")
    );
    assert_eq!(
        errors("[acl]\nadmin = [{match = \"some\"}]\n"),
        one("acl.admin.match", Some("\"some\""), "validate_enum_failed")
    );
}

#[test]
fn host_config_acl_and_access_are_merged_with_the_global_ones() {
    let c = ok("[general]\nhosts = [\"a.com\", \"b.com\"]\ndefault_server_domain = \"a.com\"\n\
         [acl]\nadmin = [{user = \"alice\"}]\n\
         [access]\nctl = [{acl = \"admin\", value = \"allow\"}, {acl = \"all\", value = \"allow\"}]\n\
         [[host_config]]\nhost = \"b.com\"\n[host_config.acl]\nadmin = [{user = \"bob\"}]\n\
         [host_config.access]\nctl = [{acl = \"all\", value = \"deny\"}]\n");
    assert_eq!(c.acl_class("a.com", "admin").len(), 1);
    assert_eq!(c.acl_class("b.com", "admin").len(), 2);
    let values = |ht: &str| -> Vec<(String, AccessValue)> {
        c.access_rule(ht, "ctl")
            .unwrap_or_default()
            .iter()
            .map(|cl| (cl.acl.clone(), cl.value.clone()))
            .collect()
    };
    assert_eq!(
        values("b.com"),
        [
            ("admin".to_string(), AccessValue::Allow),
            ("all".to_string(), AccessValue::Deny),
            ("all".to_string(), AccessValue::Allow),
        ]
    );
    assert_eq!(values("a.com").len(), 2);
}

// ---------------------------------------------------------------------------------------------
// What the system-metrics report reads (issue 11): listeners, every pool, the config type

#[test]
fn c2s_listeners_keep_proto_and_tls_with_defaults() {
    let c = ok(&format!(
        "{GENERAL}
[[listen.c2s]]
  port = 5222
[[listen.c2s]]
  port = 5223
  tls.certfile = \"cert.pem\"
[[listen.c2s]]
  port = 5224
  proto = \"udp\"
  tls.mode = \"tls\"
  tls.module = \"just_tls\"
[[listen.s2s]]
  port = 5269
  tls.mode = \"anything\"
"
    ));
    assert_eq!(
        c.listen.c2s,
        vec![
            C2sListener {
                proto: "tcp".into(),
                tls: None
            },
            C2sListener {
                proto: "tcp".into(),
                tls: Some(ListenerTls {
                    mode: "starttls".into(),
                    module: "fast_tls".into()
                })
            },
            C2sListener {
                proto: "udp".into(),
                tls: Some(ListenerTls {
                    mode: "tls".into(),
                    module: "just_tls".into()
                })
            },
        ]
    );
    assert!(c.listen.http.is_empty());
}

#[test]
fn c2s_tls_mode_module_and_proto_are_checked() {
    assert_eq!(
        errors("[[listen.c2s]]\nport = 5222\ntls.mode = \"ssl\"\n"),
        one(
            "listen.c2s.tls.mode",
            Some("\"ssl\""),
            "validate_enum_failed"
        )
    );
    assert_eq!(
        errors("[[listen.c2s]]\nport = 5222\ntls.module = \"openssl\"\n"),
        one(
            "listen.c2s.tls.module",
            Some("\"openssl\""),
            "validate_enum_failed"
        )
    );
    assert_eq!(
        errors("[[listen.c2s]]\nport = 5222\nproto = \"sctp\"\n"),
        one("listen.c2s.proto", Some("\"sctp\""), "validate_enum_failed")
    );
    assert_eq!(
        errors("[[listen.c2s]]\nport = 5222\ntls = 1\n")[0].0,
        "listen.c2s.tls"
    );
}

#[test]
fn http_listeners_keep_their_handler_modules_in_file_order() {
    let c = ok(&format!(
        "{GENERAL}
[[listen.http]]
  port = 5280
  [[listen.http.handlers.mod_websockets]]
    host = \"_\"
    path = \"/ws-xmpp\"
  [[listen.http.handlers.mod_bosh]]
    host = \"_\"
    path = \"/http-bind\"
[[listen.http]]
  port = 8088
"
    ));
    assert_eq!(
        c.listen.http,
        vec![
            HttpListener {
                handlers: vec!["mod_websockets".into(), "mod_bosh".into()]
            },
            HttpListener { handlers: vec![] },
        ]
    );
}

#[test]
fn every_outgoing_pool_is_listed_in_config_order() {
    let c = ok(&format!(
        "{GENERAL}
[outgoing_pools.redis.global_distrib]
  scope = \"global\"
[outgoing_pools.rdbms.default]
  scope = \"global\"
  connection.driver = \"sqlite\"
  connection.database = \"x.db\"
[outgoing_pools.http.mongoose_push_http]
  connection.host = \"https://localhost:8443\"
[outgoing_pools.redis.other]
"
    ));
    let pools: Vec<(&str, &str)> = c
        .outgoing_pools
        .iter()
        .map(|p| (p.pool_type.as_str(), p.tag.as_str()))
        .collect();
    assert_eq!(
        pools,
        [
            ("redis", "global_distrib"),
            ("redis", "other"),
            ("rdbms", "default"),
            ("http", "mongoose_push_http"),
        ]
    );
    assert_eq!(c.rdbms_pools.len(), 1);
    assert!(Config::builtin().outgoing_pools.is_empty());
    assert_eq!(Config::builtin().listen, Listen::default());
}

#[test]
fn config_type_comes_from_the_file_extension() {
    let t = |p: &str| ConfigType::of_path(Path::new(p)).name();
    assert_eq!(t("/etc/mongooseim/mongooseim.toml"), "toml");
    assert_eq!(t("mongooseim.cfg"), "cfg");
    assert_eq!(t("a.b/mongooseim"), "unknown_config_type");
    assert_eq!(t("mongooseim.TOML"), "unknown_config_type");
    assert_eq!(t("mongooseim.toml.bak"), "unknown_config_type");
    assert_eq!(t(".toml"), "toml");
    assert_eq!(Config::builtin().config_type(), ConfigType::Toml);
    let c = Config::parse(GENERAL, Some(Path::new("/x/mim.conf"))).unwrap();
    assert_eq!(c.config_type(), ConfigType::Unknown);
}
