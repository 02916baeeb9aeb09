//! The system-metrics report (spec/services.md §3.4–§3.7): the triples collected from the
//! configuration and the store's facts, the JSON file's bytes (jiffy's pretty layout) and the
//! hit lines (Erlang `~p` rendering). Pure: no I/O, no store, no clock.

use serde::{Deserialize, Serialize};

use crate::config::{Config, SystemMetrics};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    pub message_sent: i64,
    pub message_received: i64,
    pub iq_sent: i64,
    pub iq_received: i64,
    pub presence_sent: i64,
    pub presence_received: i64,
}

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

/// The report, in MongooseIM's collection order (spec §3.4).
pub fn collect(_config: &Config, _facts: &Facts) -> Vec<Triple> {
    Vec::new()
}

/// The report file's bytes: `jiffy:encode(Report, [pretty])` (spec §3.7).
pub fn to_json(_report: &[Triple]) -> String {
    String::new()
}

/// One hit line per triple (spec §3.5).
pub fn hits(_tracking_id: &str, _client_id: &str, _report: &[Triple]) -> Vec<String> {
    Vec::new()
}

/// The request bodies: at most 20 hits each, joined with `\n` (spec §3.5).
pub fn batches(_hits: &[String]) -> Vec<String> {
    Vec::new()
}

/// The tracking ids, in sending order: the predefined one (from the `CI` environment
/// variable's value and the build), then the configured `tracking_id` (spec §3.5).
pub fn tracking_ids(_options: &SystemMetrics, _ci: Option<&str>) -> Vec<String> {
    Vec::new()
}

/// Notice (a) of spec §3.3: the section is absent.
pub const SORRY_NOTICE: &str = "";

/// Notice (b) of spec §3.3: the section is present without `report`; `file` is the report
/// file's path.
pub fn transparency_notice(_file: &str) -> String {
    String::new()
}
