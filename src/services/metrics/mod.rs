//! service_mongoose_system_metrics inside a CLI (issue 11; spec/services.md §3, DESIGN.md §4):
//! the opt-in / opt-out notices, the due logic of `initial_report` / `periodic_report` with
//! its state in the store, the cluster id, the stanza counters, sending the hits and writing
//! the report file. What a report contains and how it is rendered is [`report`] (pure, no
//! I/O); the network and the file are [`send`].
//!
//! There is no timer: [`report_when_due`] runs when a command first opens the store
//! ([`crate::context::Ctx::on_first_open`]). Not due: one read of the state key. Due: one
//! write transaction gathers the store's facts and records the report (time and counters),
//! then, after the commit, the hits are sent (bounded by [`send::SEND_BOUND`]) and the file is
//! written. Best effort: a failure is logged and the command goes on unchanged.

pub mod report;
pub mod send;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::compat::jid::Jid;
use crate::config::{Config, SystemMetrics};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::{StanzaCounts, Store, Tx};

use report::{Facts, Triple};

/// The state key of the service (a JSON [`ReportState`]).
pub const STATE_KEY: &str = "system_metrics";

/// What the environment says about the service (read by `settings::metrics_env`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetricsEnv {
    /// Where the hits are POSTed (`MONGOOSEIMCTL_METRICS_URL`); none: nothing is sent.
    pub url: Option<String>,
    /// The report file (`MONGOOSEIMCTL_METRICS_FILE`, or the default of
    /// `settings::metrics_env`).
    pub file: PathBuf,
    /// The value of the `CI` environment variable (it picks the predefined tracking id).
    pub ci: Option<String>,
}

/// The options of an active service: the section is present and `report` is not `false`.
pub fn active(config: &Config) -> Option<&SystemMetrics> {
    config
        .services
        .system_metrics
        .as_ref()
        .filter(|o| o.report != Some(false))
}

/// The notices of spec §3.3, at info level (stderr; shown with `-v`): once per run, when the
/// configuration is loaded.
pub fn notify(config: &Config, env: &MetricsEnv) {
    match &config.services.system_metrics {
        None => tracing::info!("{}", report::SORRY_NOTICE),
        Some(o) if o.report.is_none() => tracing::info!(
            "{}",
            report::transparency_notice(&env.file.display().to_string())
        ),
        Some(_) => {}
    }
}

/// The service's state in the store (times in milliseconds since the Unix epoch).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportState {
    /// The first run with the service active.
    pub first_seen: Option<i64>,
    /// The last report gathered.
    pub last_report: Option<i64>,
    /// The counters at the last report (for the deltas).
    pub counters: Option<StanzaCounts>,
}

impl ReportState {
    fn parse(raw: Option<&str>) -> ReportState {
        raw.and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default()
    }

    /// Whether a report is due at `now` (ms): none yet and `initial_report` ms after the
    /// first run, or `periodic_report` ms after the last one.
    pub fn due(&self, now: i64, o: &SystemMetrics) -> bool {
        let after =
            |t: i64, ms: u64| now.saturating_sub(t) >= i64::try_from(ms).unwrap_or(i64::MAX);
        match (self.last_report, self.first_seen) {
            (Some(last), _) => after(last, o.periodic_report),
            (None, Some(first)) => after(first, o.initial_report),
            (None, None) => o.initial_report == 0,
        }
    }
}

fn now_ms() -> i64 {
    crate::clock::now_micros().div_euclid(1000)
}

/// The store's facts for a report, read in `tx`.
fn facts(config: &Config, tx: &mut dyn Tx, previous: Option<&StanzaCounts>) -> Result<Facts> {
    let mut dynamic = 0u64;
    if config.services.domain_db.is_some() {
        for ht in &config.host_types {
            dynamic += tx
                .enabled_domains(ht)?
                .iter()
                .filter(|d| !config.hosts.contains(d))
                .count() as u64;
        }
    }
    // As `status` computes the node's uptime: since the store was created.
    let now = crate::clock::now_secs();
    let created = tx
        .state("created_at")?
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(now);
    Ok(Facts {
        dynamic_domains: dynamic,
        uptime_secs: (now - created).max(0),
        counters: StanzaCounts::read(tx)?,
        previous: previous.copied(),
    })
}

/// A fresh UUID v4 (lower-case 8-4-4-4-12) from the operating system's generator.
fn uuid_v4() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| Error::Internal(format!("random cluster id: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// The cluster id (spec §3.6), created when missing: offered with `ON CONFLICT DO NOTHING`
/// and read again, so that two racing runs (or a MongooseIM node) agree on one.
pub fn cluster_id_in(tx: &mut dyn Tx) -> Result<String> {
    if let Some(id) = tx.cluster_id()? {
        return Ok(id);
    }
    tx.offer_cluster_id(&uuid_v4()?)?;
    tx.cluster_id()?
        .ok_or_else(|| Error::Internal("the cluster id was not stored".into()))
}

/// A report gathered and recorded in the store, to send and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gathered {
    pub client_id: String,
    pub report: Vec<Triple>,
}

/// In one write transaction: record the first run, and when `force` or due, gather the
/// facts, the cluster id and the report and record the report (time, counters).
fn gather(config: &Config, store: &mut Store, force: bool) -> Result<Option<Gathered>> {
    let Some(opts) = active(config) else {
        return Ok(None);
    };
    let now = now_ms();
    store.write(|tx| {
        // Re-read inside the write: another run may have reported since.
        let mut state = ReportState::parse(tx.state(STATE_KEY)?.as_deref());
        let first = state.first_seen.is_none();
        if first {
            state.first_seen = Some(now);
        }
        let due = force || state.due(now, opts);
        let out = if due {
            let f = facts(config, tx, state.counters.as_ref())?;
            let client_id = cluster_id_in(tx)?;
            let report = report::collect(config, &f);
            state.last_report = Some(now);
            state.counters = Some(StanzaCounts {
                message_sent: f.counters.message_sent,
                message_received: f.counters.message_received,
                iq_sent: f.counters.iq_sent,
                iq_received: f.counters.iq_received,
                presence_sent: f.counters.presence_sent,
                presence_received: f.counters.presence_received,
            });
            Some(Gathered { client_id, report })
        } else {
            None
        };
        if first || due {
            let json = serde_json::to_string(&state)
                .map_err(|e| Error::Internal(format!("system metrics state: {e}")))?;
            tx.set_state(STATE_KEY, &json)?;
        }
        Ok(out)
    })
}

/// Send a gathered report (once per tracking id, in batches) and write the report file.
fn deliver_report(opts: &SystemMetrics, env: &MetricsEnv, g: &Gathered) -> send::Outcome {
    let series: Vec<(String, Vec<String>)> = report::tracking_ids(opts, env.ci.as_deref())
        .into_iter()
        .map(|tid| {
            let hits = report::hits(&tid, &g.client_id, &g.report);
            (tid, report::batches(&hits))
        })
        .collect();
    let mut outcome = send::post_all(env.url.as_deref(), &series);
    outcome.file_error = send::write_file(&env.file, &report::to_json(&g.report)).err();
    outcome
}

/// The service as a command starts ([`crate::context::Ctx::on_first_open`]): when active and
/// a report is due, gather, record, send and write. Not due: one read of the state. Best
/// effort: failures are logged and the command goes on.
pub fn report_when_due(config: &Config, env: &MetricsEnv, store: &mut Store) {
    let Some(opts) = active(config) else {
        return;
    };
    let state = match store.read(|tx| tx.state(STATE_KEY)) {
        Ok(raw) => ReportState::parse(raw.as_deref()),
        Err(e) => {
            tracing::info!("system metrics: cannot read the state: {e}");
            return;
        }
    };
    if state.first_seen.is_some() && !state.due(now_ms(), opts) {
        return;
    }
    match gather(config, store, false) {
        Ok(Some(g)) => {
            let outcome = deliver_report(opts, env, &g);
            outcome.log(&env.file);
        }
        Ok(None) => {}
        Err(e) => tracing::info!("system metrics: no report gathered: {e}"),
    }
}

// ---- the stanza counters ----

/// The kind of a stanza, for the counters (None: not a message, IQ or presence, e.g. a
/// stream error).
fn kind(packet: &str) -> Option<Kind> {
    let name = packet
        .strip_prefix('<')?
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()?;
    match name {
        "message" => Some(Kind::Message),
        "iq" => Some(Kind::Iq),
        "presence" => Some(Kind::Presence),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Message,
    Iq,
    Presence,
}

fn bump(tx: &mut dyn Tx, kind: Option<Kind>, sent: bool, n: i64) {
    let c = tx.pending_stanzas();
    let field = match (kind, sent) {
        (None, _) => return,
        (Some(Kind::Message), true) => &mut c.message_sent,
        (Some(Kind::Message), false) => &mut c.message_received,
        (Some(Kind::Iq), true) => &mut c.iq_sent,
        (Some(Kind::Iq), false) => &mut c.iq_received,
        (Some(Kind::Presence), true) => &mut c.presence_sent,
        (Some(Kind::Presence), false) => &mut c.presence_received,
    };
    *field = field.saturating_add(n);
}

/// `tx.deliver`, counting each copy delivered as a stanza received (by its kind).
pub fn deliver(tx: &mut dyn Tx, user: &Jid, from: &str, packet: &str, at: i64) -> Result<usize> {
    let n = tx.deliver(user, from, packet, at)?;
    bump(tx, kind(packet), false, n as i64);
    Ok(n)
}

/// `tx.deliver_to`, counting the delivery as a stanza received (by its kind).
pub fn deliver_to(tx: &mut dyn Tx, full: &Jid, from: &str, packet: &str, at: i64) -> Result<bool> {
    let delivered = tx.deliver_to(full, from, packet, at)?;
    if delivered {
        bump(tx, kind(packet), false, 1);
    }
    Ok(delivered)
}

/// Count one stanza a user's session sent through the tool (`name`: the element's name).
pub fn sent(tx: &mut dyn Tx, name: &str) {
    let k = match name {
        "message" => Some(Kind::Message),
        "iq" => Some(Kind::Iq),
        "presence" => Some(Kind::Presence),
        _ => None,
    };
    bump(tx, k, true, 1);
}

// ---- the commands ----

/// Why `send_system_metrics` refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inactive {
    /// No `[services.service_mongoose_system_metrics]`.
    Absent,
    /// `report = false`.
    Disabled,
}

/// The outcome of `system_metrics_report`: the report that would be sent now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub report: Vec<Triple>,
    pub tracking_ids: Vec<String>,
    pub client_id: String,
    /// Whether the client id is stored (false: none yet, this one is made up for the preview
    /// and a report would store another).
    pub client_id_stored: bool,
    pub endpoint: Option<String>,
    pub file: String,
    /// One series of hit lines per tracking id.
    pub hits: Vec<Vec<String>>,
    /// Why nothing would be sent now (None: a report would be sent when due).
    pub not_sent: Option<String>,
    /// The report file's content.
    pub json: String,
}

/// The options the preview uses: the configured ones, or the defaults when the section is
/// absent.
fn options_or_default(config: &Config) -> SystemMetrics {
    config
        .services
        .system_metrics
        .clone()
        .unwrap_or(SystemMetrics {
            initial_report: 300_000,
            periodic_report: 10_800_000,
            report: None,
            tracking_id: None,
        })
}

/// `system_metrics_report` (our extension): the report that would be sent now, whatever
/// `report` says, without sending or recording anything (one read transaction).
pub fn system_metrics_report(ctx: &mut Ctx) -> Result<Preview> {
    let config = ctx.config.clone();
    let env = ctx.metrics.clone();
    let (f, stored) = ctx.store()?.read(|tx| {
        let state = ReportState::parse(tx.state(STATE_KEY)?.as_deref());
        let f = facts(&config, tx, state.counters.as_ref())?;
        Ok((f, tx.cluster_id()?))
    })?;
    let client_id_stored = stored.is_some();
    let client_id = match stored {
        Some(id) => id,
        None => uuid_v4()?,
    };
    let report = report::collect(&config, &f);
    let opts = options_or_default(&config);
    let tracking_ids = report::tracking_ids(&opts, env.ci.as_deref());
    let hits = tracking_ids
        .iter()
        .map(|tid| report::hits(tid, &client_id, &report))
        .collect();
    let not_sent = match (&config.services.system_metrics, &env.url) {
        (None, _) => Some(
            "the service is not configured ([services.service_mongoose_system_metrics] is absent)"
                .to_string(),
        ),
        (Some(o), _) if o.report == Some(false) => Some("report = false".to_string()),
        (_, None) => Some("no endpoint (MONGOOSEIMCTL_METRICS_URL is not set)".to_string()),
        _ => None,
    };
    Ok(Preview {
        json: report::to_json(&report),
        report,
        tracking_ids,
        client_id,
        client_id_stored,
        endpoint: env.url.clone(),
        file: env.file.display().to_string(),
        hits,
        not_sent,
    })
}

/// The outcome of `send_system_metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendNow {
    Refused(Inactive),
    Done {
        outcome: send::Outcome,
        file: String,
        client_id: String,
        triples: usize,
    },
}

/// `send_system_metrics` (our extension): gather, record, send and write the report now.
pub fn send_system_metrics(ctx: &mut Ctx) -> Result<SendNow> {
    let opts = match &ctx.config.services.system_metrics {
        None => return Ok(SendNow::Refused(Inactive::Absent)),
        Some(o) if o.report == Some(false) => return Ok(SendNow::Refused(Inactive::Disabled)),
        Some(o) => o.clone(),
    };
    let config = ctx.config.clone();
    let env = ctx.metrics.clone();
    let g = gather(&config, ctx.store()?, true)?
        .ok_or_else(|| Error::Internal("the report was not gathered".into()))?;
    let outcome = deliver_report(&opts, &env, &g);
    outcome.log(&env.file);
    Ok(SendNow::Done {
        outcome,
        file: env.file.display().to_string(),
        client_id: g.client_id,
        triples: g.report.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(initial: u64, periodic: u64) -> SystemMetrics {
        SystemMetrics {
            initial_report: initial,
            periodic_report: periodic,
            report: Some(true),
            tracking_id: None,
        }
    }

    #[test]
    fn due_after_initial_then_periodic() {
        let o = opts(1000, 5000);
        let mut s = ReportState::default();
        assert!(!s.due(0, &o));
        assert!(s.due(0, &opts(0, 5000)));
        s.first_seen = Some(10_000);
        assert!(!s.due(10_999, &o));
        assert!(s.due(11_000, &o));
        s.last_report = Some(11_000);
        assert!(!s.due(15_999, &o));
        assert!(s.due(16_000, &o));
    }

    #[test]
    fn uuid_v4_shape() {
        let id = uuid_v4().unwrap();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert_eq!(&parts[2][..1], "4");
        assert!("89ab".contains(&parts[3][..1]));
    }

    #[test]
    fn stanza_kinds() {
        assert_eq!(kind("<message to='a'/>"), Some(Kind::Message));
        assert_eq!(kind("<iq type='set'>"), Some(Kind::Iq));
        assert_eq!(kind("<presence/>"), Some(Kind::Presence));
        assert_eq!(kind("<stream:error>"), None);
        assert_eq!(kind("<messages>"), None);
    }
}
