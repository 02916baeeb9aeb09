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
        let raw = std::env::var_os(NOW_ENV).filter(|v| !v.is_empty())?;
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

/// A Unix time in seconds as UTC calendar fields (proleptic Gregorian, any i64 year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// The UTC calendar fields of a Unix time in seconds (Howard Hinnant's `civil_from_days`).
pub fn utc(secs: i64) -> Utc {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Utc {
        year: yoe + era * 400 + i64::from(month <= 2),
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` (no zone) for a Unix time in seconds.
pub fn date_time(secs: i64) -> String {
    let t = utc(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time in seconds.
pub fn rfc3339_secs(secs: i64) -> String {
    format!("{}Z", date_time(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_fields() {
        assert_eq!(rfc3339_secs(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_secs(-1), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339_secs(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_secs(1_654_085_000), "2022-06-01T12:03:20Z");
        assert_eq!(utc(253_402_300_799).year, 9999);
    }
}
