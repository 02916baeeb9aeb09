//! Group `domain` (service_admin_extra_domain over mongoose_domain_api) and the
//! `service_domain_db` event cleaner (services.md §4, DESIGN.md §4).
//!
//! Every effective change of `domain_settings` writes its `domain_events` row in the same
//! transaction (the store methods do both); no-op calls write nothing. The checks run in
//! 5.1's order: the domain's name, static, host type, service, then the store.

use serde::{Deserialize, Serialize};

use crate::compat::jid::nameprep;
use crate::config::Config;
use crate::context::Ctx;
use crate::error::{Crash, Error, Result, StoreError};
use crate::services::live;
use crate::store::{PurgedDomain, SessionScope, Store, Tx};

/// The stream error text a disabled domain's sessions are ended with (`conflict`).
pub const DOMAIN_DISABLED: &str = "Domain disabled";

/// The `mongooseimctl_state` key of the event cleaner.
pub const CLEANER_STATE: &str = "domain_events_cleaner";

/// A prepared domain name must be shorter than this many bytes (as every JID part).
const NAME_LIMIT: usize = 1024;

/// Why a domain argument is refused before anything else is looked at (5.1 passes such a
/// name on to the store; we refuse it, docs/compat.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidDomain {
    /// Empty, or nothing left after nameprep's mapping (soft hyphens, …).
    Empty,
    /// 1024 bytes or more (before or after preparation).
    TooLong { bytes: usize },
    /// Nameprep refuses it: the first character it refuses (1-based position, in
    /// characters), if one is to blame alone (otherwise the bidi rule).
    Nameprep {
        position: Option<usize>,
        c: Option<char>,
    },
}

/// A refusal of mongoose_domain_api (an `{error, …}` result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The domain is in `general.hosts`.
    Static,
    /// The host type is not in `general.host_types`.
    UnknownHostType,
    /// `service_domain_db` is not configured.
    ServiceDisabled,
    /// insert_domain: stored with another host type.
    Duplicate { stored: String },
    /// delete_domain: stored with another host type.
    WrongHostType { stored: String },
    /// enable/disable_domain: not stored.
    NotFound,
    /// The store failed (rolled back): its message.
    DatabaseError { detail: String },
}

/// The outcome of one domain command: done (`T`), refused, or an invalid name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainOutcome<T> {
    Done(T),
    Refused {
        /// Prepared.
        domain: String,
        /// The argument (verbatim), or the stored one where no argument is given.
        host_type: Option<String>,
        why: Refusal,
    },
    Invalid {
        /// As typed.
        domain: String,
        why: InvalidDomain,
    },
}

/// `insert_domain` done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    pub domain: String,
    pub host_type: String,
    /// False when the domain was stored already with this host type (nothing written).
    pub inserted: bool,
    /// Its state afterwards (an existing disabled domain stays disabled).
    pub enabled: bool,
}

/// `delete_domain` done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    pub domain: String,
    pub host_type: String,
    /// Whether there was a `domain_settings` row (its event was written).
    pub row_deleted: bool,
    /// The domain's data removed (also when there was no row).
    pub purged: PurgedDomain,
}

/// `enable_domain` / `disable_domain` done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggled {
    pub domain: String,
    /// The stored host type.
    pub host_type: String,
    /// The requested (and now current) state.
    pub enabled: bool,
    /// False when it was in that state already (nothing written).
    pub changed: bool,
    /// Sessions ended by a disable (stream error `conflict`, [`DOMAIN_DISABLED`]).
    pub sessions_ended: usize,
}

pub type InsertDomain = DomainOutcome<Inserted>;
pub type DeleteDomain = DomainOutcome<Deleted>;
pub type ToggleDomain = DomainOutcome<Toggled>;

/// `jid:nameprep/1` of a domain argument, refused when it is empty, too long or fails.
pub fn prepare(domain: &str) -> std::result::Result<String, InvalidDomain> {
    if domain.is_empty() {
        return Err(InvalidDomain::Empty);
    }
    if domain.len() >= NAME_LIMIT {
        return Err(InvalidDomain::TooLong {
            bytes: domain.len(),
        });
    }
    match nameprep(domain) {
        Some(d) if d.is_empty() => Err(InvalidDomain::Empty),
        Some(d) => Ok(d),
        None => {
            let culprit = domain
                .chars()
                .enumerate()
                .find(|(_, c)| nameprep(c.encode_utf8(&mut [0; 4])).is_none());
            Err(match culprit {
                Some((i, c)) => InvalidDomain::Nameprep {
                    position: Some(i + 1),
                    c: Some(c),
                },
                // Every character passes alone: the bidi rule, or the prepared form is too
                // long.
                None => match unicode_len_after_prep(domain) {
                    Some(bytes) if bytes >= NAME_LIMIT => InvalidDomain::TooLong { bytes },
                    _ => InvalidDomain::Nameprep {
                        position: None,
                        c: None,
                    },
                },
            })
        }
    }
}

/// The byte length of the prepared form, character by character (an upper bound check for
/// names whose every character passes alone).
fn unicode_len_after_prep(domain: &str) -> Option<usize> {
    domain
        .chars()
        .map(|c| nameprep(c.encode_utf8(&mut [0; 4])).map(|p| p.len()))
        .sum()
}

/// A store failure a domain command answers with `Error: "Database error"` (5.1's
/// `{db_error, _}`): an SQL error or refused data. A busy, unusable or unavailable store is
/// not one: it ends the command as everywhere (exit 3).
fn database_error(e: &Error) -> Option<String> {
    match e {
        Error::Store(StoreError::Internal(m) | StoreError::Invalid(m)) => Some(m.clone()),
        _ => None,
    }
}

/// Run the store part of a domain command: a database error becomes the refusal.
fn in_store<T>(
    ctx: &mut Ctx,
    domain: &str,
    host_type: Option<&str>,
    work: impl FnOnce(&Config, &mut dyn Tx) -> Result<DomainOutcome<T>>,
) -> Result<DomainOutcome<T>> {
    match ctx.write_with_config(work) {
        Err(e) => match database_error(&e) {
            Some(detail) => Ok(refused(
                domain,
                host_type,
                Refusal::DatabaseError { detail },
            )),
            None => Err(e),
        },
        ok => ok,
    }
}

fn refused<T>(domain: &str, host_type: Option<&str>, why: Refusal) -> DomainOutcome<T> {
    DomainOutcome::Refused {
        domain: domain.to_string(),
        host_type: host_type.map(str::to_string),
        why,
    }
}

/// The name checks and the checks that need no store, in 5.1's order (static, host type when
/// one is given, service): the prepared domain, or the outcome.
fn precheck<T>(
    ctx: &Ctx,
    domain: &str,
    host_type: Option<&str>,
) -> std::result::Result<String, DomainOutcome<T>> {
    let prepared = prepare(domain).map_err(|why| DomainOutcome::Invalid {
        domain: domain.to_string(),
        why,
    })?;
    let config = &ctx.config;
    let why = if config.hosts.contains(&prepared) {
        Some(Refusal::Static)
    } else if host_type.is_some_and(|ht| !config.host_types.iter().any(|h| h == ht)) {
        Some(Refusal::UnknownHostType)
    } else if config.services.domain_db.is_none() {
        Some(Refusal::ServiceDisabled)
    } else {
        None
    };
    match why {
        Some(why) => Err(refused(&prepared, host_type, why)),
        None => Ok(prepared),
    }
}

/// `insert_domain domain host_type`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn insert_domain(ctx: &mut Ctx, domain: &str, host_type: &str) -> Result<InsertDomain> {
    let d = match precheck(ctx, domain, Some(host_type)) {
        Ok(d) => d,
        Err(outcome) => return Ok(outcome),
    };
    in_store(ctx, &d, Some(host_type), |_, tx| {
        Ok(match tx.domain(&d)? {
            Some(r) if r.host_type == host_type => DomainOutcome::Done(Inserted {
                domain: d.clone(),
                host_type: host_type.to_string(),
                inserted: false,
                enabled: r.enabled,
            }),
            Some(r) => refused(
                &d,
                Some(host_type),
                Refusal::Duplicate {
                    stored: r.host_type,
                },
            ),
            None => {
                crate::store::limits::domain(&d, host_type)?;
                tx.insert_domain(&d, host_type)?;
                DomainOutcome::Done(Inserted {
                    domain: d.clone(),
                    host_type: host_type.to_string(),
                    inserted: true,
                    enabled: true,
                })
            }
        })
    })
}

/// `delete_domain domain host_type`: the row (if stored with this host type) and then all of
/// the domain's data, even when it was not stored (services.md §4.4), in one transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_domain(ctx: &mut Ctx, domain: &str, host_type: &str) -> Result<DeleteDomain> {
    let d = match precheck(ctx, domain, Some(host_type)) {
        Ok(d) => d,
        Err(outcome) => return Ok(outcome),
    };
    let guard = ctx.guard();
    let _spinner = ctx.spinner("deleting the domain's data");
    in_store(ctx, &d, Some(host_type), |_, tx| {
        let row_deleted = match tx.domain(&d)? {
            Some(r) if r.host_type != host_type => {
                return Ok(refused(
                    &d,
                    Some(host_type),
                    Refusal::WrongHostType {
                        stored: r.host_type,
                    },
                ))
            }
            Some(_) => {
                guard.check(tx.count_users(&d)? as u64, &format!(" with the domain {d}"))?;
                tx.delete_domain_row(&d)?
            }
            None => {
                guard.check(tx.count_users(&d)? as u64, &format!(" of the domain {d}"))?;
                false
            }
        };
        // The sessions go with the data (their clients would get stream error `conflict`;
        // the deliveries table is purged too, so none is recorded).
        let purged = tx.purge_domain(&d)?;
        Ok(DomainOutcome::Done(Deleted {
            domain: d.clone(),
            host_type: host_type.to_string(),
            row_deleted,
            purged,
        }))
    })
}

/// `enable_domain domain` (`enabled`) / `disable_domain domain`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn set_enabled(ctx: &mut Ctx, domain: &str, enabled: bool) -> Result<ToggleDomain> {
    let d = match precheck(ctx, domain, None) {
        Ok(d) => d,
        Err(outcome) => return Ok(outcome),
    };
    in_store(ctx, &d, None, |config, tx| {
        let Some(r) = tx.domain(&d)? else {
            return Ok(refused(&d, None, Refusal::NotFound));
        };
        if !config.host_types.contains(&r.host_type) {
            return Err(Error::Crash(Crash::DomainHostTypeGone {
                domain: d.clone(),
                host_type: r.host_type,
            }));
        }
        let changed = r.enabled != enabled;
        let mut sessions_ended = 0;
        if changed {
            tx.set_domain_enabled(&d, enabled)?;
            if !enabled {
                let last = config.host_modules(&r.host_type).last;
                sessions_ended = end_sessions(tx, &d, last)?;
            }
        }
        Ok(DomainOutcome::Done(Toggled {
            domain: d.clone(),
            host_type: r.host_type,
            enabled,
            changed,
            sessions_ended,
        }))
    })
}

/// End every recorded session of a domain as a kick does (stream error `conflict`
/// "Domain disabled", last activity with mod_last, unavailable broadcast): a disabled domain
/// is unknown, its sessions cannot stay. How many.
fn end_sessions(tx: &mut dyn Tx, domain: &str, last: bool) -> Result<usize> {
    let mut sessions = Vec::new();
    tx.each_session(SessionScope::Server(domain), None, &mut |s| {
        sessions.push(s);
        Ok(())
    })?;
    for s in &sessions {
        live::terminate(tx, s, live::Termination::Kicked(DOMAIN_DISABLED), last)?;
    }
    Ok(sessions.len())
}

// ---- the event cleaner (services.md §4.8) -------------------------------------------------

/// The cleaner's state (one `mongooseimctl_state` row, JSON): when it last ran, and the
/// `MAX(id)` of `domain_events` it observed at each run (time, id), oldest first, while they
/// are not used yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct CleanerState {
    last_run: Option<i64>,
    #[serde(default)]
    observed: Vec<(i64, i64)>,
}

impl CleanerState {
    /// A missing or unreadable state is a cleaner that never ran.
    fn parse(raw: Option<&str>) -> CleanerState {
        raw.and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default()
    }

    fn due(&self, now: i64, interval: u64) -> bool {
        match self.last_run {
            None => true,
            // A clock set back counts as due (it then runs once and starts again from now).
            Some(t) => {
                now < t || now.saturating_sub(t) >= i64::try_from(interval).unwrap_or(i64::MAX)
            }
        }
    }
}

/// What one cleaning did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cleaning {
    /// Events deleted.
    pub removed: usize,
    /// `MAX(id)` of the log now (none when it is empty).
    pub max_id: Option<i64>,
    /// The events below this id were deleted (the observation used), if one was old enough.
    pub below: Option<i64>,
    /// Observations kept for later cleanings.
    pub pending: usize,
}

/// The outcome of `clean_domain_events`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CleanEvents {
    Done(Cleaning),
    /// `service_domain_db` is not configured, or the store failed.
    Refused(Refusal),
}

/// One cleaning at `now`, in `tx`: observe `MAX(id)` (recorded unless equal to the newest
/// observation), then delete the events below the newest observation made at least
/// `max_age` seconds ago, and forget that observation and the older ones. Records the run.
fn clean_in(tx: &mut dyn Tx, mut state: CleanerState, now: i64, max_age: u64) -> Result<Cleaning> {
    let max_id = tx.max_domain_event()?;
    if let Some(m) = max_id {
        if state.observed.last().map(|o| o.1) != Some(m) {
            state.observed.push((now, m));
        }
    }
    let cutoff = now.saturating_sub(i64::try_from(max_age).unwrap_or(i64::MAX));
    let (below, removed) = match state.observed.iter().rposition(|(t, _)| *t <= cutoff) {
        Some(i) => {
            let id = state.observed[i].1;
            let removed = tx.delete_domain_events_below(id)?;
            state.observed.drain(..=i);
            (Some(id), removed)
        }
        None => (None, 0),
    };
    state.last_run = Some(now);
    let json = serde_json::to_string(&state)
        .map_err(|e| Error::Internal(format!("cleaner state: {e}")))?;
    tx.set_state(CLEANER_STATE, &json)?;
    Ok(Cleaning {
        removed,
        max_id,
        below,
        pending: state.observed.len(),
    })
}

/// The cleaner as a command starts ([`crate::context::Ctx::on_first_open`]): when
/// `service_domain_db` is configured and the last run is `event_cleaning_interval` seconds
/// old (or there was none), one cleaning ([`clean_in`]). Cheap when not due: one read of the
/// state. Best effort: a failure (a read-only or busy store, …) is logged and the command
/// goes on.
pub fn clean_when_due(config: &Config, store: &mut Store) {
    let Some(opts) = &config.services.domain_db else {
        return;
    };
    let now = crate::clock::now_secs();
    let interval = opts.event_cleaning_interval;
    let due = match store.read(|tx| tx.state(CLEANER_STATE)) {
        Ok(raw) => CleanerState::parse(raw.as_deref()).due(now, interval),
        Err(e) => {
            tracing::info!("the domain event cleaner cannot read its state: {e}");
            return;
        }
    };
    if !due {
        return;
    }
    let ran = store.write(|tx| {
        // Another process may have cleaned since the read.
        let state = CleanerState::parse(tx.state(CLEANER_STATE)?.as_deref());
        if !state.due(now, interval) {
            return Ok(None);
        }
        clean_in(tx, state, now, opts.event_max_age).map(Some)
    });
    match ran {
        Ok(Some(c)) => tracing::info!(
            removed = c.removed,
            max_id = c.max_id,
            "domain events cleaned"
        ),
        Ok(None) => {}
        Err(e) => tracing::info!("the domain event cleaner did not run: {e}"),
    }
}

/// `clean_domain_events` (our extension): one cleaning now, whatever the interval.
#[tracing::instrument(level = "debug", skip_all)]
pub fn clean_domain_events(ctx: &mut Ctx) -> Result<CleanEvents> {
    let Some(opts) = ctx.config.services.domain_db.clone() else {
        return Ok(CleanEvents::Refused(Refusal::ServiceDisabled));
    };
    let now = crate::clock::now_secs();
    let ran = ctx.store()?.write(|tx| {
        let state = CleanerState::parse(tx.state(CLEANER_STATE)?.as_deref());
        clean_in(tx, state, now, opts.event_max_age)
    });
    match ran {
        Ok(c) => Ok(CleanEvents::Done(c)),
        Err(e) => match database_error(&e) {
            Some(detail) => Ok(CleanEvents::Refused(Refusal::DatabaseError { detail })),
            None => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_are_nameprepped_or_refused() {
        assert_eq!(prepare("Dyn.Example").as_deref(), Ok("dyn.example"));
        // nameprep accepts ASCII space and punctuation (commands.md §2.1).
        assert_eq!(prepare("a b!").as_deref(), Ok("a b!"));
        assert_eq!(prepare(""), Err(InvalidDomain::Empty));
        assert_eq!(prepare("\u{ad}"), Err(InvalidDomain::Empty));
        assert_eq!(
            prepare(&"a".repeat(1024)),
            Err(InvalidDomain::TooLong { bytes: 1024 })
        );
        assert!(prepare(&"a".repeat(1023)).is_ok());
        assert_eq!(
            prepare("ab\u{e000}"),
            Err(InvalidDomain::Nameprep {
                position: Some(3),
                c: Some('\u{e000}')
            })
        );
        // Bidi: a right-to-left character next to a left-to-right one.
        assert_eq!(
            prepare("a\u{5d0}"),
            Err(InvalidDomain::Nameprep {
                position: None,
                c: None
            })
        );
    }

    #[test]
    fn the_cleaner_is_due_after_its_interval() {
        let never = CleanerState::default();
        assert!(never.due(100, 1800));
        let ran = CleanerState {
            last_run: Some(100),
            observed: vec![],
        };
        assert!(!ran.due(100, 1800));
        assert!(!ran.due(1899, 1800));
        assert!(ran.due(1900, 1800));
        assert!(ran.due(99, 1800));
        assert_eq!(CleanerState::parse(Some("garbage")), never);
    }
}
