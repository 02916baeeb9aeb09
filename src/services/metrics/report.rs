//! The system-metrics report (spec/services.md §3.4–§3.7): the triples collected from the
//! configuration and the store's facts, the JSON file's bytes (jiffy's pretty layout) and the
//! hit lines (Erlang `~p` rendering). Pure: no I/O, no store, no clock.

use std::collections::BTreeSet;

use crate::compat::erlang::{self, column_after};
use crate::config::{Config, ModuleOpts, SystemMetrics};

/// An Erlang term as MongooseIM's collector produces it: its kind decides how `~p` (hit
/// lines) and jiffy (the file) render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `mod_vcard`, `backend`, `rdbms`, `none`, `enabled`… (`~p`: bare, or single-quoted
    /// when not a plain atom; jiffy: a string).
    Atom(String),
    Int(i64),
    /// A binary (`~p` of its char list: double-quoted with escapes; jiffy: a string).
    Bin(String),
}

/// One `{report_name, key, value}` triple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triple {
    pub report_name: String,
    pub key: Term,
    pub value: Term,
}

/// The stanza counters the tool keeps (totals since the store was created, summed over all
/// host types): what MongooseIM's xmpp{Message,Iq,Presence}{Sent,Received} metrics count.
/// The store keeps them ([`crate::store::StanzaCounts`]); the report reads the same type.
pub use crate::store::StanzaCounts as Counters;

/// What the collector needs from the store (read by the caller in one transaction).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// Enabled dynamic domains (the static hosts come from the config).
    pub dynamic_domains: u64,
    /// Seconds since the store was created (the node uptime `status` reports).
    pub uptime_secs: i64,
    pub counters: Counters,
    /// The counters at the previous report (None: first report, deltas = totals).
    pub previous: Option<Counters>,
}

/// The handler modules MongooseIM 5.1 reports under `http_api` (spec §3.4).
pub const REPORTED_HTTP_APIS: [&str; 7] = [
    "mongoose_api",
    "mongoose_client_api",
    "mongoose_api_admin",
    "mongoose_api_client",
    "mongoose_domain_handler",
    "mod_bosh",
    "mod_websockets",
];

/// Modules whose `config_metrics` reports their `backend`, with MongooseIM 5.1's default
/// backend (used when the configuration leaves it out and the config layer does not fill it).
const BACKEND_MODULES: [(&str, &str); 15] = [
    ("mod_auth_token", "rdbms"),
    ("mod_bosh", "mnesia"),
    ("mod_event_pusher_push", "mnesia"),
    ("mod_http_upload", "s3"),
    ("mod_inbox", "rdbms"),
    ("mod_last", "mnesia"),
    ("mod_mam_meta", "rdbms"),
    ("mod_muc", "mnesia"),
    ("mod_muc_light", "mnesia"),
    ("mod_offline", "mnesia"),
    ("mod_privacy", "mnesia"),
    ("mod_private", "rdbms"),
    ("mod_pubsub", "mnesia"),
    ("mod_roster", "mnesia"),
    ("mod_vcard", "mnesia"),
];

/// mod_event_pusher's sub-backends (each a table under the module).
const EVENT_PUSHER_BACKENDS: [&str; 4] = ["http", "push", "rabbit", "sns"];

/// The mongoosepush API version MongooseIM 5.1 defaults to.
const DEFAULT_MONGOOSEPUSH_API: &str = "v3";

/// The six stanza counters' report names, in collection order.
pub const COUNTER_NAMES: [&str; 6] = [
    "xmppMessageSent",
    "xmppMessageReceived",
    "xmppIqSent",
    "xmppIqReceived",
    "xmppPresenceSent",
    "xmppPresenceReceived",
];

impl Counters {
    /// The totals in [`COUNTER_NAMES`] order.
    pub fn values(&self) -> [i64; 6] {
        [
            self.message_sent,
            self.message_received,
            self.iq_sent,
            self.iq_received,
            self.presence_sent,
            self.presence_received,
        ]
    }
}

fn atom(s: &str) -> Term {
    Term::Atom(s.to_string())
}

fn triple(report_name: &str, key: Term, value: Term) -> Triple {
    Triple {
        report_name: report_name.to_string(),
        key,
        value,
    }
}

/// `io_lib:format("~4..0B-~2..0B:~2..0B:~2..0B", [D, H, M, S])` of an uptime (negative
/// values count as 0).
pub fn format_uptime(secs: i64) -> String {
    let secs = secs.max(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    format!(
        "{days:04}-{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// What one module's `config_metrics` reports for one host type.
fn module_metrics(name: &str, opts: &ModuleOpts) -> Vec<(Term, Term)> {
    match name {
        "mod_event_pusher" => {
            // 5.1 writes the sub-backends as tables of the module; a `backend` table (the
            // older layout) is read the same way. Reported in key order (maps:keys/1).
            let mut subs: BTreeSet<&str> = EVENT_PUSHER_BACKENDS
                .iter()
                .copied()
                .filter(|b| opts.get_table(b).is_some())
                .collect();
            if let Some(t) = opts.get_table("backend") {
                subs.extend(t.keys().map(String::as_str));
            }
            subs.into_iter()
                .map(|b| (atom("backend"), atom(b)))
                .collect()
        }
        "mod_push_service_mongoosepush" => {
            let v = opts
                .get_str("api_version")
                .unwrap_or(DEFAULT_MONGOOSEPUSH_API);
            vec![(atom("api_version"), Term::Bin(v.to_string()))]
        }
        _ => match BACKEND_MODULES.iter().find(|(m, _)| *m == name) {
            Some((_, default)) => match opts.opts.get("backend") {
                None => vec![(atom("backend"), atom(default))],
                Some(toml::Value::String(b)) => vec![(atom("backend"), atom(b))],
                // Reading the option fails: MongooseIM reports {none, none}.
                Some(_) => vec![(atom("none"), atom("none"))],
            },
            None => vec![(atom("none"), atom("none"))],
        },
    }
}

/// The report, in MongooseIM's collection order (spec §3.4).
pub fn collect(config: &Config, facts: &Facts) -> Vec<Triple> {
    let host_types = config.all_host_types();
    let mut r = Vec::new();
    let count = |n: usize| Term::Int(i64::try_from(n).unwrap_or(i64::MAX));

    r.push(triple("hosts", atom("count"), count(host_types.len())));
    let domains = u64::try_from(config.hosts.len())
        .unwrap_or(u64::MAX)
        .saturating_add(facts.dynamic_domains);
    r.push(triple(
        "domains",
        atom("count"),
        Term::Int(i64::try_from(domains).unwrap_or(i64::MAX)),
    ));

    // Modules: every configured module over all host types, by name; each distinct
    // (key, value) pair once, in host-type order.
    let names: BTreeSet<&str> = host_types
        .iter()
        .filter_map(|ht| config.modules.get(*ht))
        .flat_map(|mods| mods.keys().map(String::as_str))
        .collect();
    for name in names {
        let mut seen: Vec<(Term, Term)> = Vec::new();
        for ht in &host_types {
            if let Some(opts) = config.module_opts(ht, name) {
                for pair in module_metrics(name, opts) {
                    if !seen.contains(&pair) {
                        seen.push(pair);
                    }
                }
            }
        }
        r.extend(seen.into_iter().map(|(k, v)| triple(name, k, v)));
    }

    // Only MongooseIM's own modules pass the config check: none is "custom".
    r.push(triple("custom_modules", atom("count"), Term::Int(0)));
    r.push(triple(
        "cluster",
        atom("uptime"),
        Term::Bin(format_uptime(facts.uptime_secs)),
    ));
    r.push(triple("cluster", atom("number_of_nodes"), Term::Int(1)));
    // cluster.mim_version: omitted, as MongooseIM does when it is not running as a
    // `mongooseim` release (docs/compat.md).
    r.push(triple(
        "cluster",
        atom("number_of_components"),
        Term::Int(0),
    ));

    let handlers: BTreeSet<&str> = config
        .listen
        .http
        .iter()
        .flat_map(|l| l.handlers.iter().map(String::as_str))
        .collect();
    for h in &handlers {
        if REPORTED_HTTP_APIS.contains(h) {
            r.push(triple("http_api", atom(h), atom("enabled")));
        }
    }
    for h in &handlers {
        if *h == "mod_bosh" || *h == "mod_websockets" {
            r.push(triple("transport_mechanism", atom(h), atom("enabled")));
        }
    }
    if config.listen.c2s.iter().any(|l| l.proto == "tcp") {
        r.push(triple("transport_mechanism", atom("tcp"), atom("enabled")));
    }
    let tls: BTreeSet<(&str, &str)> = config
        .listen
        .c2s
        .iter()
        .filter_map(|l| l.tls.as_ref())
        .map(|t| (t.mode.as_str(), t.module.as_str()))
        .collect();
    for (mode, module) in tls {
        r.push(triple("tls_option", atom(mode), atom(module)));
    }
    // MongooseIM reads the TOML tables as Erlang maps: pools come in (type, tag) order.
    let mut pools: Vec<(&str, &str)> = config
        .outgoing_pools
        .iter()
        .map(|p| (p.pool_type.as_str(), p.tag.as_str()))
        .collect();
    pools.sort_unstable();
    for (pool_type, _) in pools {
        r.push(triple("outgoing_pools", atom("type"), atom(pool_type)));
    }
    r.push(triple(
        "cluster",
        atom("config_type"),
        atom(config.config_type().name()),
    ));

    let totals = facts.counters.values();
    let previous = facts.previous.map(|p| p.values());
    for (i, name) in COUNTER_NAMES.iter().enumerate() {
        let total = totals[i];
        let delta = previous.map_or(total, |p| total.saturating_sub(p[i]));
        r.push(triple(name, Term::Int(total), Term::Int(delta)));
    }
    r
}

/// A JSON string as jiffy writes it: `"` and `\` escaped, `\b \f \n \r \t`, other control
/// characters as `\u00XX` (lower-case hex), `/` and everything else (UTF-8) as is.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A term as jiffy encodes it: the atoms `true`, `false` and `null` as JSON literals, other
/// atoms and binaries as strings, integers as numbers.
fn json_term(out: &mut String, t: &Term) {
    match t {
        Term::Atom(a) if a == "true" || a == "false" || a == "null" => out.push_str(a),
        Term::Atom(s) | Term::Bin(s) => json_string(out, s),
        Term::Int(i) => out.push_str(&i.to_string()),
    }
}

/// The report file's bytes: `jiffy:encode(Report, [pretty])` (spec §3.7).
///
/// Each object's keys sorted (`"key"`, `"report_name"`, `"value"`, spec §3.7). Every `[`/`{` and `,` is
/// followed by a newline and two spaces per open level, every `]`/`}` is preceded by a
/// newline at the closing level — so an empty report is `"[\n  \n]"`. No final newline.
pub fn to_json(report: &[Triple]) -> String {
    let mut out = String::from("[\n  ");
    for (i, t) in report.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n  ");
        }
        out.push_str("{\n    \"key\" : ");
        json_term(&mut out, &t.key);
        out.push_str(",\n    \"report_name\" : ");
        json_string(&mut out, &t.report_name);
        out.push_str(",\n    \"value\" : ");
        json_term(&mut out, &t.value);
        out.push_str("\n  }");
    }
    out.push_str("\n]");
    out
}

/// The Erlang term `~p` prints for a report term: binaries become char lists first (one
/// character per byte, `binary_to_list/1`).
fn erl_term(t: &Term) -> erlang::Term {
    match t {
        Term::Atom(a) => erlang::Term::atom(a),
        Term::Int(i) => erlang::Term::int(*i),
        Term::Bin(b) => erlang::Term::string(b),
    }
}

/// Appends `~p` of `t` to `line` at the current column (`io_lib:format` lays out `~p` from
/// the column where it starts).
fn push_p(line: &mut String, t: &erlang::Term) {
    let col = column_after(line, 0);
    line.push_str(&t.pretty(col));
}

/// One hit line per triple (spec §3.5):
/// `v=1&tid=<tid>&t=event&cid=~p&ec=~p&ea=~p&el=~p`, the client id a binary, the report
/// name an atom; nothing URL-encoded.
pub fn hits(tracking_id: &str, client_id: &str, report: &[Triple]) -> Vec<String> {
    let cid = erlang::Term::string(client_id);
    report
        .iter()
        .map(|t| {
            let mut line = format!("v=1&tid={tracking_id}&t=event&cid=");
            push_p(&mut line, &cid);
            line.push_str("&ec=");
            push_p(&mut line, &erlang::Term::atom(&t.report_name));
            line.push_str("&ea=");
            push_p(&mut line, &erl_term(&t.key));
            line.push_str("&el=");
            push_p(&mut line, &erl_term(&t.value));
            line
        })
        .collect()
}

/// Most hits in one request body.
pub const HITS_PER_BATCH: usize = 20;

/// The request bodies: at most 20 hits each, joined with `\n` (spec §3.5).
pub fn batches(hits: &[String]) -> Vec<String> {
    hits.chunks(HITS_PER_BATCH).map(|c| c.join("\n")).collect()
}

/// The predefined tracking id of CI runs (`CI=true`).
pub const TRACKING_ID_CI: &str = "UA-151671255-1";
/// The predefined tracking id of other non-production builds (our debug builds).
pub const TRACKING_ID_DEV: &str = "UA-151671255-2";
/// The predefined tracking id of production builds (our release builds).
pub const TRACKING_ID_PROD: &str = "UA-151671255-3";

/// The tracking ids, in sending order: the predefined one (from the `CI` environment
/// variable's value and the build), then the configured `tracking_id` (spec §3.5).
///
/// MongooseIM picks `-3` for its `prod` rebar profile and `-2` otherwise; our stand-in is
/// the build profile: release builds (no `debug_assertions`) are `prod`.
pub fn tracking_ids(options: &SystemMetrics, ci: Option<&str>) -> Vec<String> {
    let predefined = if ci == Some("true") {
        TRACKING_ID_CI
    } else if cfg!(debug_assertions) {
        TRACKING_ID_DEV
    } else {
        TRACKING_ID_PROD
    };
    let mut ids = vec![predefined.to_string()];
    ids.extend(options.tracking_id.clone());
    ids
}

/// Notice (a) of spec §3.3: the section is absent. (No final newline: the log line ends
/// the text, as MongooseIM's logger does.)
pub const SORRY_NOTICE: &str = concat!(
    "We're sorry to hear you don't want to share the system's metrics with us. ",
    "These metrics would enable us to improve MongooseIM and know where to focus our efforts. ",
    "To stop being notified, you can add this to the services section of your config file: \n",
    "  [services.service_mongoose_system_metrics]\n",
    "    report = false\n",
    "For more info on how to customise, read, enable, and disable the metrics visit: \n",
    "- MongooseIM docs - \n",
    "     https://esl.github.io/MongooseDocs/latest/operation-and-maintenance/",
    "System-Metrics-Privacy-Policy/ \n",
    "- MongooseIM GitHub page - https://github.com/esl/MongooseIM",
);

/// Notice (b) of spec §3.3: the section is present without `report`; `file` is the report
/// file's path (`~s`: inserted as is). No final newline.
pub fn transparency_notice(file: &str) -> String {
    concat!(
        "We are gathering the MongooseIM system's metrics to analyse the trends and needs of ",
        "our users, improve MongooseIM, and know where to focus our efforts. ",
        "For more info on how to customise, read, enable, and disable these metrics visit: \n",
        "- MongooseIM docs - \n",
        "      https://esl.github.io/MongooseDocs/latest/operation-and-maintenance/",
        "System-Metrics-Privacy-Policy/ \n",
        "- MongooseIM GitHub page - https://github.com/esl/MongooseIM \n",
        "The last sent report is also written to a file ",
    )
    .to_string()
        + file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, key: Term, value: Term) -> Triple {
        triple(name, key, value)
    }

    fn cfg(text: &str, path: &str) -> Config {
        match Config::parse(text, Some(std::path::Path::new(path))) {
            Ok(c) => c,
            Err(e) => panic!("{e:#?}"),
        }
    }

    #[test]
    fn json_is_jiffys_pretty_layout_byte_for_byte() {
        let report = [
            t("hosts", atom("count"), Term::Int(2)),
            t("cluster", atom("uptime"), Term::Bin("0000-00:05:00".into())),
            t("xmppIqSent", Term::Int(-3), Term::Int(0)),
        ];
        let expected = "[\n  {\n    \"key\" : \"count\",\n    \"report_name\" : \"hosts\",\n    \
                        \"value\" : 2\n  },\n  {\n    \"key\" : \"uptime\",\n    \
                        \"report_name\" : \"cluster\",\n    \"value\" : \"0000-00:05:00\"\n  },\n  {\n    \
                        \"key\" : -3,\n    \"report_name\" : \"xmppIqSent\",\n    \
                        \"value\" : 0\n  }\n]";
        assert_eq!(to_json(&report), expected);
        assert_eq!(to_json(&[]), "[\n  \n]");
    }

    #[test]
    fn json_escapes_as_jiffy_and_maps_true_false_null_atoms_to_literals() {
        let report = [t(
            "a\"b",
            atom("true"),
            Term::Bin("q\"\\/\n\r\t\u{8}\u{c}\u{1}\u{1f}é€".into()),
        )];
        assert_eq!(
            to_json(&report),
            "[\n  {\n    \"key\" : true,\n    \"report_name\" : \"a\\\"b\",\n    \
             \"value\" : \"q\\\"\\\\/\\n\\r\\t\\b\\f\\u0001\\u001fé€\"\n  }\n]"
        );
        let lits = [t("x", atom("false"), atom("null"))];
        assert!(to_json(&lits).contains("\"value\" : null\n"));
        assert!(to_json(&lits).contains("\"key\" : false,"));
        // A binary "true" stays a string.
        assert!(to_json(&[t("x", atom("k"), Term::Bin("true".into()))])
            .contains("\"value\" : \"true\"\n"));
    }

    #[test]
    fn hit_lines_render_with_p() {
        let cid = "0b6d1d6c-54c0-4bd4-8e11-7a2a1b0e0f7e";
        let report = [
            t("mod_vcard", atom("backend"), atom("rdbms")),
            t("cluster", atom("uptime"), Term::Bin("0000-00:05:00".into())),
            t("xmppMessageSent", Term::Int(42), Term::Int(-2)),
            t("Quoted", atom("with space"), atom("it's")),
            t("and", atom("Up"), atom("a@b_9")),
        ];
        assert_eq!(
            hits("UA-1&x", cid, &report),
            [
                format!("v=1&tid=UA-1&x&t=event&cid=\"{cid}\"&ec=mod_vcard&ea=backend&el=rdbms"),
                format!(
                    "v=1&tid=UA-1&x&t=event&cid=\"{cid}\"&ec=cluster&ea=uptime&el=\"0000-00:05:00\""
                ),
                format!("v=1&tid=UA-1&x&t=event&cid=\"{cid}\"&ec=xmppMessageSent&ea=42&el=-2"),
                format!(
                    "v=1&tid=UA-1&x&t=event&cid=\"{cid}\"&ec='Quoted'&ea='with space'&el='it\\'s'"
                ),
                format!("v=1&tid=UA-1&x&t=event&cid=\"{cid}\"&ec='and'&ea='Up'&el=a@b_9"),
            ]
        );
    }

    #[test]
    fn hit_binaries_are_char_lists_with_erlang_escapes() {
        let el = |b: &str| {
            let h = hits("T", "c", &[t("r", atom("k"), Term::Bin(b.into()))]);
            h[0].strip_prefix("v=1&tid=T&t=event&cid=\"c\"&ec=r&ea=k&el=")
                .map(str::to_string)
                .unwrap_or_default()
        };
        assert_eq!(el("5.1.0"), "\"5.1.0\"");
        assert_eq!(el("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(el("l1\nl2\tx\r"), "\"l1\\nl2\\tx\\r\"");
        assert_eq!(el("a b&c=d"), "\"a b&c=d\"");
        // Not printable (a control character): the list of character codes.
        assert_eq!(el("a\u{1}"), "[97,1]");
        // The empty char list prints as [].
        assert_eq!(el(""), "[]");
        // One character per byte: é (C3 A9) is two printable Latin-1 characters.
        assert_eq!(el("é"), "\"é\"");
        // A byte 0x80..0x9F (from € = E2 82 AC) is not printable Latin-1.
        assert_eq!(el("€"), "[226,130,172]");
        // The client id is a binary too.
        let h = hits("T", "x\"y", &[t("r", atom("k"), Term::Int(1))]);
        assert_eq!(h[0], "v=1&tid=T&t=event&cid=\"x\\\"y\"&ec=r&ea=k&el=1");
    }

    #[test]
    fn batches_hold_at_most_twenty_hits() {
        let hits: Vec<String> = (0..41).map(|i| format!("h{i}")).collect();
        assert!(batches(&[]).is_empty());
        assert_eq!(batches(&hits[..1]), ["h0"]);
        let twenty = batches(&hits[..20]);
        assert_eq!(twenty.len(), 1);
        assert_eq!(twenty[0], hits[..20].join("\n"));
        let all = batches(&hits);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].lines().count(), 20);
        assert!(all[1].starts_with("h20\nh21\n") && all[1].ends_with("\nh39"));
        assert_eq!(all[2], "h40");
    }

    #[test]
    fn tracking_ids_predefined_then_configured() {
        let mut o = SystemMetrics {
            initial_report: 1,
            periodic_report: 1,
            report: None,
            tracking_id: None,
        };
        let build = if cfg!(debug_assertions) {
            "UA-151671255-2"
        } else {
            "UA-151671255-3"
        };
        assert_eq!(tracking_ids(&o, Some("true")), ["UA-151671255-1"]);
        assert_eq!(tracking_ids(&o, None), [build]);
        assert_eq!(tracking_ids(&o, Some("TRUE")), [build]);
        assert_eq!(tracking_ids(&o, Some("1")), [build]);
        o.tracking_id = Some("UA-9-9".into());
        assert_eq!(tracking_ids(&o, Some("true")), ["UA-151671255-1", "UA-9-9"]);
        assert_eq!(tracking_ids(&o, None), [build, "UA-9-9"]);
    }

    #[test]
    fn notices_are_the_spec_texts() {
        let url = "https://esl.github.io/MongooseDocs/latest/operation-and-maintenance/\
                   System-Metrics-Privacy-Policy/ ";
        let sorry = [
            "We're sorry to hear you don't want to share the system's metrics with us. These \
             metrics would enable us to improve MongooseIM and know where to focus our efforts. \
             To stop being notified, you can add this to the services section of your config \
             file: ",
            "  [services.service_mongoose_system_metrics]",
            "    report = false",
            "For more info on how to customise, read, enable, and disable the metrics visit: ",
            "- MongooseIM docs - ",
            &format!("     {url}"),
            "- MongooseIM GitHub page - https://github.com/esl/MongooseIM",
        ]
        .join("\n");
        assert_eq!(SORRY_NOTICE, sorry);
        let transparency = [
            "We are gathering the MongooseIM system's metrics to analyse the trends and needs \
             of our users, improve MongooseIM, and know where to focus our efforts. For more \
             info on how to customise, read, enable, and disable these metrics visit: ",
            "- MongooseIM docs - ",
            &format!("      {url}"),
            "- MongooseIM GitHub page - https://github.com/esl/MongooseIM ",
            "The last sent report is also written to a file /var/log/m/system_metrics_report.json",
        ]
        .join("\n");
        assert_eq!(
            transparency_notice("/var/log/m/system_metrics_report.json"),
            transparency
        );
        assert!(!SORRY_NOTICE.ends_with('\n'));
        assert_eq!(SORRY_NOTICE.lines().count(), 7);
        assert_eq!(transparency_notice("").lines().count(), 5);
    }

    #[test]
    fn uptime_is_days_hours_minutes_seconds() {
        assert_eq!(format_uptime(0), "0000-00:00:00");
        assert_eq!(format_uptime(300), "0000-00:05:00");
        assert_eq!(format_uptime(86_400 * 3 + 3600 * 4 + 61), "0003-04:01:01");
        assert_eq!(format_uptime(86_400 * 12_345), "12345-00:00:00");
        assert_eq!(format_uptime(-5), "0000-00:00:00");
    }

    const FULL: &str = r#"
[general]
  hosts = ["a.com", "B.com"]
  default_server_domain = "a.com"

[[listen.http]]
  port = 5280
  [[listen.http.handlers.mod_websockets]]
    host = "_"
    path = "/ws"
  [[listen.http.handlers.mod_bosh]]
    host = "_"
    path = "/bosh"
[[listen.http]]
  port = 8088
  [[listen.http.handlers.mongoose_api_admin]]
    host = "localhost"
    path = "/api"
  [[listen.http.handlers.mod_bosh]]
    host = "_"
    path = "/bosh2"
  [[listen.http.handlers.mongoose_client_api]]
    host = "_"
    path = "/api"
[[listen.c2s]]
  port = 5222
  tls.mode = "starttls_required"
[[listen.c2s]]
  port = 5223
  tls.mode = "tls"
  tls.module = "just_tls"
[[listen.c2s]]
  port = 5224
  tls.certfile = "c.pem"
[[listen.c2s]]
  port = 5225
  tls.certfile = "c.pem"

[outgoing_pools.redis.global_distrib]
  scope = "global"
[outgoing_pools.rdbms.default]
  scope = "global"
  connection.driver = "sqlite"
  connection.database = "x.db"
[outgoing_pools.http.push]
  connection.host = "https://localhost:8443"

[modules.mod_roster]
[modules.mod_ping]
[modules.mod_muc_light]
  backend = "rdbms"
[modules.mod_event_pusher.sns]
[modules.mod_event_pusher.push]
[modules.mod_push_service_mongoosepush]
  pool_name = "push"

[[host_config]]
  host = "b.com"
  [host_config.modules.mod_roster]
    backend = "rdbms"
  [host_config.modules.mod_vcard]
"#;

    #[test]
    fn collect_follows_mongooseims_order_and_kinds() {
        let c = cfg(FULL, "/etc/mongooseim/mongooseim.toml");
        let facts = Facts {
            dynamic_domains: 0,
            uptime_secs: 3661,
            counters: Counters {
                message_sent: 10,
                message_received: 7,
                iq_sent: 3,
                iq_received: 0,
                presence_sent: 5,
                presence_received: 1,
            },
            previous: Some(Counters {
                message_sent: 4,
                message_received: 7,
                ..Counters::default()
            }),
        };
        let got: Vec<(String, Term, Term)> = collect(&c, &facts)
            .into_iter()
            .map(|t| (t.report_name, t.key, t.value))
            .collect();
        let a = |n: &str, k: &str, v: &str| (n.to_string(), atom(k), atom(v));
        let i = |n: &str, k: &str, v: i64| (n.to_string(), atom(k), Term::Int(v));
        let n = |n: &str, k: i64, v: i64| (n.to_string(), Term::Int(k), Term::Int(v));
        let expected = vec![
            i("hosts", "count", 2),
            i("domains", "count", 2),
            a("mod_event_pusher", "backend", "push"),
            a("mod_event_pusher", "backend", "sns"),
            a("mod_muc_light", "backend", "rdbms"),
            a("mod_ping", "none", "none"),
            (
                "mod_push_service_mongoosepush".to_string(),
                atom("api_version"),
                Term::Bin("v3".into()),
            ),
            // a.com: the default backend; b.com: its own.
            a("mod_roster", "backend", "mnesia"),
            a("mod_roster", "backend", "rdbms"),
            a("mod_vcard", "backend", "mnesia"),
            i("custom_modules", "count", 0),
            (
                "cluster".to_string(),
                atom("uptime"),
                Term::Bin("0000-01:01:01".into()),
            ),
            i("cluster", "number_of_nodes", 1),
            i("cluster", "number_of_components", 0),
            a("http_api", "mod_bosh", "enabled"),
            a("http_api", "mod_websockets", "enabled"),
            a("http_api", "mongoose_api_admin", "enabled"),
            a("http_api", "mongoose_client_api", "enabled"),
            a("transport_mechanism", "mod_bosh", "enabled"),
            a("transport_mechanism", "mod_websockets", "enabled"),
            a("transport_mechanism", "tcp", "enabled"),
            a("tls_option", "starttls", "fast_tls"),
            a("tls_option", "starttls_required", "fast_tls"),
            a("tls_option", "tls", "just_tls"),
            a("outgoing_pools", "type", "http"),
            a("outgoing_pools", "type", "rdbms"),
            a("outgoing_pools", "type", "redis"),
            a("cluster", "config_type", "toml"),
            n("xmppMessageSent", 10, 6),
            n("xmppMessageReceived", 7, 0),
            n("xmppIqSent", 3, 3),
            n("xmppIqReceived", 0, 0),
            n("xmppPresenceSent", 5, 5),
            n("xmppPresenceReceived", 1, 1),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn collect_minimal_counts_dynamic_domains_and_first_report_deltas() {
        let text = "[general]\nhosts = [\"localhost\"]\nhost_types = [\"t1\", \"t2\"]\n\
                    default_server_domain = \"localhost\"\n";
        let c = cfg(text, "/x/mongooseim.cfg");
        let facts = Facts {
            dynamic_domains: 5,
            uptime_secs: 0,
            counters: Counters {
                iq_received: 9,
                ..Counters::default()
            },
            previous: None,
        };
        let r = collect(&c, &facts);
        assert_eq!(r[0], t("hosts", atom("count"), Term::Int(3)));
        assert_eq!(r[1], t("domains", atom("count"), Term::Int(6)));
        assert_eq!(r[2], t("custom_modules", atom("count"), Term::Int(0)));
        let names: Vec<&str> = r.iter().map(|t| t.report_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "hosts",
                "domains",
                "custom_modules",
                "cluster",
                "cluster",
                "cluster",
                "cluster",
                "xmppMessageSent",
                "xmppMessageReceived",
                "xmppIqSent",
                "xmppIqReceived",
                "xmppPresenceSent",
                "xmppPresenceReceived",
            ]
        );
        assert_eq!(r[6], t("cluster", atom("config_type"), atom("cfg")));
        assert_eq!(r[10], t("xmppIqReceived", Term::Int(9), Term::Int(9)));
        // The built-in configuration: its five modules with backend rdbms, type toml.
        let b = collect(&Config::builtin(), &Facts::default());
        let mods: Vec<String> = b[2..7]
            .iter()
            .map(|t| format!("{}:{:?}:{:?}", t.report_name, t.key, t.value))
            .collect();
        assert_eq!(
            mods,
            [
                "mod_last:Atom(\"backend\"):Atom(\"rdbms\")",
                "mod_offline:Atom(\"backend\"):Atom(\"rdbms\")",
                "mod_private:Atom(\"backend\"):Atom(\"rdbms\")",
                "mod_roster:Atom(\"backend\"):Atom(\"rdbms\")",
                "mod_vcard:Atom(\"backend\"):Atom(\"rdbms\")",
            ]
        );
        assert_eq!(
            b.iter()
                .find(|t| t.key == atom("config_type"))
                .map(|t| &t.value),
            Some(&atom("toml"))
        );
    }
}
