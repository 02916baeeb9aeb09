//! Wall-clock time helpers (UTC), and the testing aid `MONGOOSEIMCTL_NOW`.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that fixes "now" (whole seconds since the Unix epoch, e.g.
/// `MONGOOSEIMCTL_NOW=1764633600`), in debug and release builds alike: a testing aid for
/// time-dependent behaviour (the domain-event cleaner, last activity, session uptimes). Every
/// time the tool reads comes from [`now_micros`] / [`now_secs`], so the override applies
/// everywhere. A value that is not a whole number of seconds is ignored (with a warning).
pub const NOW_ENV: &str = "MONGOOSEIMCTL_NOW";

/// The override, read once per process.
fn fixed_now() -> Option<i64> {
    static FIXED: OnceLock<Option<i64>> = OnceLock::new();
    *FIXED.get_or_init(|| {
        let raw = std::env::var_os(NOW_ENV)?;
        let parsed = raw
            .to_str()
            .filter(|s| crate::cli::dispatch::is_whole_integer(s))
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|s| s.checked_mul(1_000_000).is_some());
        if parsed.is_none() {
            tracing::warn!(
                "{NOW_ENV} is not a whole number of seconds since the epoch; using the real time"
            );
        }
        parsed
    })
}

/// Microseconds since the Unix epoch (the real time, or `MONGOOSEIMCTL_NOW`).
pub fn now_micros() -> i64 {
    if let Some(secs) = fixed_now() {
        return secs * 1_000_000;
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    now_micros().div_euclid(1_000_000)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time in seconds.
pub fn rfc3339_secs(secs: i64) -> String {
    let dt =
        time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    dt.format(&f).unwrap_or_default()
}
