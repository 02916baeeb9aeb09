//! Rendering of the system-metrics commands (`system_metrics_report`, `send_system_metrics`).

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::compat::erlang::{self, fmt_p, p_string};
use crate::services::metrics::report::{Term, Triple};
use crate::services::metrics::send::{Outcome, SEND_BOUND};
use crate::services::metrics::{Inactive, Preview, SendNow};

/// A term as `~p` prints it (the hit lines' rendering): atoms bare (quoted when needed),
/// integers, binaries as double-quoted strings.
fn p(t: &Term) -> String {
    match t {
        Term::Atom(a) => fmt_p(&erlang::Term::atom(a)),
        Term::Int(i) => i.to_string(),
        Term::Bin(s) => p_string(s),
    }
}

/// A term as the report file has it (jiffy: atoms and binaries are strings).
fn j(t: &Term) -> J {
    match t {
        Term::Atom(a) | Term::Bin(a) => J::String(a.clone()),
        Term::Int(i) => json!(i),
    }
}

fn triple_json(t: &Triple) -> J {
    json!({"report_name": t.report_name, "key": j(&t.key), "value": j(&t.value)})
}

impl Render for Preview {
    fn legacy(&self) -> Legacy {
        let lines: Vec<String> = self
            .report
            .iter()
            .map(|t| format!("{}\t{}\t{}", t.report_name, p(&t.key), p(&t.value)))
            .collect();
        Legacy::ok(lines.join("\n"))
    }

    fn json(&self) -> Option<J> {
        let series: Vec<J> = self
            .tracking_ids
            .iter()
            .zip(&self.hits)
            .map(|(tid, hits)| json!({"tracking_id": tid, "hits": hits}))
            .collect();
        Some(json!({
            "report": self.report.iter().map(triple_json).collect::<Vec<_>>(),
            "tracking_ids": self.tracking_ids,
            "client_id": self.client_id,
            "client_id_stored": self.client_id_stored,
            "endpoint": self.endpoint,
            "file": self.file,
            "hits": series,
            "would_send": self.not_sent.is_none(),
            "not_sent": self.not_sent,
        }))
    }

    fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(why) = &self.not_sent {
            w.push(format!("nothing would be sent now: {why}"));
        }
        if !self.client_id_stored {
            w.push(
                "no cluster id is stored yet: the client id shown is made up for this preview \
                 (the first report stores one)"
                    .to_string(),
            );
        }
        w
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary line of `send_system_metrics`.
fn summary(o: &Outcome, file: &str) -> String {
    let mut s = match &o.endpoint {
        None => "Nothing sent (no endpoint: MONGOOSEIMCTL_METRICS_URL is not set)".to_string(),
        Some(url) => format!(
            "Sent {} in {} to {url}",
            plural(o.hits, "hit", "hits"),
            plural(o.requests, "request", "requests")
        ),
    };
    if o.failed > 0 {
        s.push_str(&format!(
            "; {} failed ({})",
            plural(o.failed, "request", "requests"),
            o.first_failure.as_deref().unwrap_or("unknown error")
        ));
    }
    if o.skipped > 0 {
        s.push_str(&format!(
            "; {} not attempted (the {} s bound was spent)",
            plural(o.skipped, "request", "requests"),
            SEND_BOUND.as_secs()
        ));
    }
    match &o.file_error {
        None => s.push_str(&format!("; report written to {file}")),
        Some(e) => s.push_str(&format!(
            "; the report file {file} could not be written: {e}"
        )),
    }
    s
}

fn inactive_text(why: Inactive) -> &'static str {
    match why {
        Inactive::Absent => {
            "service_mongoose_system_metrics is not configured: nothing to send (add \
             [services.service_mongoose_system_metrics] to the config)"
        }
        Inactive::Disabled => {
            "service_mongoose_system_metrics has report = false: nothing is collected or sent"
        }
    }
}

impl Render for SendNow {
    fn legacy(&self) -> Legacy {
        match self {
            SendNow::Refused(why) => Legacy::fail(inactive_text(*why)),
            SendNow::Done { outcome, file, .. } => Legacy::ok(summary(outcome, file)),
        }
    }

    fn json(&self) -> Option<J> {
        match self {
            SendNow::Refused(_) => None,
            SendNow::Done {
                outcome,
                file,
                client_id,
                triples,
            } => Some(json!({
                "endpoint": outcome.endpoint,
                "requests": outcome.requests,
                "hits": outcome.hits,
                "failed": outcome.failed,
                "first_failure": outcome.first_failure,
                "skipped": outcome.skipped,
                "file": file,
                "file_error": outcome.file_error,
                "client_id": client_id,
                "triples": triples,
            })),
        }
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            SendNow::Refused(Inactive::Absent) => Some("service_disabled"),
            SendNow::Refused(Inactive::Disabled) => Some("report_disabled"),
            SendNow::Done { .. } => None,
        }
    }
}
