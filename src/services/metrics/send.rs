//! Sending the hits (spec §3.5) and writing the report file (spec §3.7): the only network
//! and file I/O of the system-metrics service. Both are best effort: what happened is
//! returned ([`Outcome`]) and logged, never an error of the command.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// The longest a run spends sending, all requests together (connecting included).
pub const SEND_BOUND: Duration = Duration::from_secs(2);

/// The connect timeout of one request (within [`SEND_BOUND`]).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// What sending and writing did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The endpoint (None: none configured, nothing was sent).
    pub endpoint: Option<String>,
    /// Requests that got an HTTP response (whatever its status), and the hits they carried.
    pub requests: usize,
    pub hits: usize,
    /// Requests that failed (connection, timeout, …), with the first reason.
    pub failed: usize,
    pub first_failure: Option<String>,
    /// Requests not attempted because [`SEND_BOUND`] was spent.
    pub skipped: usize,
    /// Why the report file could not be written.
    pub file_error: Option<String>,
}

impl Outcome {
    /// Log what happened (info: an operator sees it with `-v`).
    pub fn log(&self, file: &Path) {
        match &self.endpoint {
            None => tracing::info!(
                "system metrics: no endpoint configured (MONGOOSEIMCTL_METRICS_URL): nothing sent"
            ),
            Some(url) => tracing::info!(
                requests = self.requests,
                hits = self.hits,
                failed = self.failed,
                skipped = self.skipped,
                "system metrics: report sent to {url}"
            ),
        }
        if let Some(why) = &self.first_failure {
            tracing::info!("system metrics: a request failed: {why}");
        }
        match &self.file_error {
            None => tracing::info!("system metrics: report written to {}", file.display()),
            Some(e) => tracing::info!(
                "system metrics: cannot write the report file {}: {e}",
                file.display()
            ),
        }
    }
}

/// POST every batch of every series (one series per tracking id) to `url`, in order, no extra
/// headers, no content type; responses are ignored. The whole takes at most [`SEND_BOUND`].
pub fn post_all(url: Option<&str>, series: &[(String, Vec<String>)]) -> Outcome {
    let mut out = Outcome {
        endpoint: url.map(str::to_string),
        ..Outcome::default()
    };
    let Some(url) = url else {
        return out;
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .max_redirects(0)
        .build()
        .into();
    let deadline = Instant::now() + SEND_BOUND;
    for body in series.iter().flat_map(|(_, batches)| batches) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            out.skipped += 1;
            continue;
        }
        let sent = agent
            .post(url)
            .config()
            .timeout_global(Some(left))
            .build()
            .send(body.as_bytes())
            .and_then(|mut r| r.body_mut().read_to_vec().map(|_| ()));
        match sent {
            Ok(()) => {
                out.requests += 1;
                out.hits += body.split('\n').count();
            }
            Err(e) => {
                out.failed += 1;
                out.first_failure.get_or_insert_with(|| e.to_string());
            }
        }
    }
    out
}

/// Write `content` to `path` atomically (a temporary file beside it, then renamed), creating
/// its directory if needed.
pub fn write_file(path: &Path, content: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "system_metrics_report.json".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(content.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.to_string());
    }
    Ok(())
}
