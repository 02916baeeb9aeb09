//! Rendering of failures: 5.1's legacy texts for the errors 5.1 has, our one-line messages
//! for the others. Crash reasons are Erlang terms printed through the one `~p` formatter.

use std::fmt;

use crate::compat::erlang::{fmt_p, p_string, Term};
use crate::error::{Crash, ErlText, Error, GuardStop, StoreError, Unknown, Unusable};
use crate::registry::{self, Availability, Group};

fn erl(t: &ErlText) -> Term {
    match t {
        ErlText::Bin(s) => Term::bin(s),
        ErlText::Str(s) => Term::string(s),
    }
}

/// The crash reason as 5.1 prints it inside `Problem '…' occurred executing the command.`
pub fn crash_reason(c: &Crash) -> String {
    let tagged = |tag: &str, rest: Vec<Term>| {
        let mut items = vec![Term::atom(tag)];
        items.extend(rest);
        format!("error {}", fmt_p(&Term::tuple(items)))
    };
    match c {
        Crash::InvalidJid(parts) => tagged("invalid_jid", parts.iter().map(erl).collect()),
        Crash::UnknownDomain(d) => tagged("unknown_domain", vec![Term::bin(d)]),
        Crash::InvalidJidPattern(p) => tagged("invalid_jid_pattern", vec![Term::bin(p)]),
        Crash::CorruptedVcard { jid, reason } => tagged(
            "corrupted_vcard",
            vec![Term::bin(jid), Term::string(reason)],
        ),
        Crash::ReadFile { file, reason } => tagged(
            "read_file",
            vec![Term::string(file), Term::atom(reason)],
        ),
        Crash::NotAnInteger { arg, value } => format!(
            "error: argument {arg} is not an integer: {}",
            p_string(value)
        ),
        Crash::UnbalancedXml { position } => format!(
            "error: argument {position} of the command starts with < but its angle brackets do not balance and no argument follows to complete it (its value is not shown)"
        ),
        Crash::EmptyArgument { arg } => {
            format!("error {{badarg,<<>>}}: the {arg} must not be empty")
        }
        Crash::NoSession(jid) => tagged("no_session", vec![Term::bin(jid)]),
        Crash::DomainHostTypeGone { .. } => tagged(
            "case_clause",
            vec![Term::tuple(vec![
                Term::atom("error"),
                Term::atom("unknown_host_type"),
            ])],
        ),
        Crash::ZipCreate { reason, .. } => tagged(
            "badmatch",
            vec![Term::tuple(vec![Term::atom("error"), Term::atom(reason)])],
        ),
    }
}

/// The text 5.1 prints on stdout for this failure, if it is one 5.1 has.
pub fn legacy_text(e: &Error) -> Option<String> {
    Some(match e {
        Error::Crash(c) => format!(
            "Problem '{}' occurred executing the command.\n",
            crash_reason(c)
        ),
        Error::Store(StoreError::Internal(what)) | Error::Internal(what) => format!(
            "Problem '{}' occurred executing the command.\n",
            p_string(&format!("internal error: {what}"))
        ),
        Error::UnknownCommand { typed, .. } => {
            format!("Error: command {} not known.\n", p_string(typed))
        }
        Error::Arity {
            command,
            typed,
            given,
        } => crate::cli::legacy_help::arity_error(command, typed, *given),
        Error::NodeOnly { command } => format!(
            "Error: \"{command} needs a running MongooseIM node; this mongooseimctl has no Mnesia\"\n"
        ),
        _ => return None,
    })
}

/// Our one-line message (without the `error: ` prefix).
pub fn message(e: &Error) -> String {
    match e {
        Error::Disabled {
            command,
            group,
            config,
        } => format!(
            "command \"{command}\" belongs to group \"{group}\", which is not enabled in {config} \
             (add \"{group}\" to [services.service_admin_extra] submods)"
        ),
        Error::Input(text) | Error::Io(text) | Error::Usage(text) => text.trim_end().to_string(),
        Error::Config { file, errors } => {
            let mut s = format!("invalid configuration {file}:");
            for e in errors {
                s.push_str("\n  ");
                s.push_str(e);
            }
            s
        }
        Error::Store(StoreError::Unavailable(text)) => format!("store unavailable: {text}"),
        Error::Store(StoreError::Unusable { path, why }) => unusable(path, why),
        Error::Store(StoreError::Busy { waited }) => format!(
            "store busy: the store is locked by another process's write; gave up after waiting {} s \
             (try again when that process has finished)",
            waited.as_secs()
        ),
        Error::Store(StoreError::Invalid(text)) => {
            format!("the store refused the data: {text}")
        }
        Error::Guard(GuardStop::Changed {
            now,
            confirmed,
            noun,
        }) => format!(
            "the store changed since you confirmed: {now} {noun} would now be affected instead \
             of {confirmed}; nothing was changed, run the command again"
        ),
        Error::Guard(GuardStop::Aborted) => "aborted: nothing was changed".to_string(),
        Error::Guard(GuardStop::Plan { .. }) | Error::Rollback => {
            "internal error: a confirmation or dry-run signal escaped its transaction".to_string()
        }
        other => legacy_text(other)
            .unwrap_or_default()
            .trim_end()
            .to_string(),
    }
}

/// One line saying what is wrong with the store at `path` and what to do.
fn unusable(path: &str, why: &Unusable) -> String {
    match why {
        Unusable::Missing => format!(
            "store {path} does not exist (a read-only command does not create it; check the \
             --store path, or run a command that writes to create the store)"
        ),
        Unusable::Foreign(held) => format!(
            "{path} is an SQLite database but not a mongooseimctl/MongooseIM store ({held}); it was \
             left unchanged: point --store (or MONGOOSEIM_STORE, or the config's rdbms pool) at a \
             mongooseimctl store or at a new file"
        ),
        Unusable::Corrupt(text) => format!(
            "the store file {path} is damaged ({text}); see what is affected with \
             `mongooseimctl check_store` and restore the store from a backup"
        ),
        Unusable::ReadOnly(text) => format!(
            "the store is read-only: {path} cannot be written ({text}); run the command as the \
             store's owner"
        ),
        Unusable::ReadOnlyFile { mode } => format!(
            "the store is read-only: {path} is not writable by this user (mode {mode:04o}); run \
             the command as the store's owner, or give write permission (`chmod u+w {path}`)"
        ),
        Unusable::ReadOnlyDirectory { dir } => format!(
            "the store is read-only: this user cannot create files in {dir}, where SQLite keeps \
             the -wal and -shm files it needs to write {path}; run the command as the \
             directory's owner, or make the directory writable"
        ),
        Unusable::ReadOnlyMount => format!(
            "the store's file system is mounted read-only ({path}); remount it read-write to \
             change the store, or work on a copy"
        ),
        Unusable::DiskFull => format!(
            "the disk holding the store is full ({path}); nothing was changed: free some space \
             on it and run the command again"
        ),
        Unusable::Io(text) => format!(
            "the store {path} cannot be read or written: the file system reported an I/O error \
             ({text}); check the disk and the system log"
        ),
        Unusable::StaleShared { file, why } => format!(
            "the store {path} cannot be written: {file}, left by another user's read, is not \
             writable by this user and was not replaced: {why}"
        ),
    }
}

/// Structured fields of the JSON error object, beyond kind and message.
pub fn details(e: &Error) -> Option<serde_json::Value> {
    use serde_json::json;
    Some(match e {
        Error::Config { file, errors } => json!({"file": file, "errors": errors}),
        Error::Disabled { group, config, .. } => json!({"group": group, "config": config}),
        Error::Store(StoreError::Busy { waited }) => json!({"waited_seconds": waited.as_secs()}),
        Error::Store(StoreError::Unusable { path, why }) => {
            let mut d = json!({"reason": why.reason(), "path": path});
            match why {
                Unusable::ReadOnlyDirectory { dir } => d["directory"] = json!(dir),
                Unusable::StaleShared { file, .. } => d["file"] = json!(file),
                _ => {}
            }
            d
        }
        Error::Crash(Crash::DomainHostTypeGone { domain, host_type }) => {
            json!({"domain": domain, "host_type": host_type})
        }
        Error::Crash(Crash::ZipCreate { path, reason }) => json!({"path": path, "reason": reason}),
        Error::Arity { command, given, .. } => json!({
            "expected": command.args.iter().map(|a| a.name).collect::<Vec<_>>(),
            "given": given,
        }),
        _ => return None,
    })
}

/// A hint for stderr after the failure (e.g. a similar command name).
pub fn hint(e: &Error) -> Option<String> {
    match e {
        Error::UnknownCommand { typed, why } => unknown_hint(typed, why),
        Error::Crash(Crash::DomainHostTypeGone { domain, host_type }) => Some(format!(
            "note: domain {} is stored with host type {}, which general.host_types no longer \
             lists (mongooseimctl 5.1 crashes here too); add the host type back, or delete \
             the domain with delete_domain",
            p_string(domain),
            p_string(host_type)
        )),
        _ => None,
    }
}

/// The hint after an unknown command: the group a command is in, a similar group or command
/// (never the word just rejected), or the module a command needs.
fn unknown_hint(typed: &str, why: &Unknown) -> Option<String> {
    use crate::cli::dispatch::{closest, closest_group, closest_of};
    let bin = crate::cli::build::BIN;
    let name = typed.replace('-', "_");
    let exists = registry::find(&name);
    let needs = |cmd: &str, m: &str| {
        format!("note: {cmd} is only available when {m} is enabled on some host type")
    };
    match why {
        Unknown::NeedsModule { module, config } => Some(format!(
            "{}: add a [modules.{module}] section to the config file (in use: {config})",
            needs(&name, module)
        )),
        Unknown::InGroup(group) => {
            if let Some(cmd) = exists {
                return Some(format!(
                    "tip: {name} is in group {g}, not {group}: `{bin} {g} {name}` (or the flat \
                     form `{bin} {name}`)",
                    g = cmd.group
                ));
            }
            let in_group = closest_of(&name, group.commands().iter().map(|c| (c.name, c)));
            if let Some(best) = in_group {
                return Some(format!(
                    "tip: a command with a similar name exists: {n} (`{bin} {group} {n}`)",
                    n = best.name
                ));
            }
            closest(&name).map(|best| {
                format!(
                    "tip: a command with a similar name exists in group {g}: `{bin} {g} {n}`",
                    g = best.group,
                    n = best.name
                )
            })
        }
        Unknown::Word { next } => {
            if let Some(cmd) = exists {
                return match cmd.available {
                    Availability::Module(m) => Some(needs(cmd.name, m)),
                    Availability::Always => None,
                };
            }
            let group = closest_group(&name);
            let next_in = |g: Group| {
                next.as_deref()
                    .map(|n| n.replace('-', "_"))
                    .filter(|n| g.commands().iter().any(|c| c.name == n))
            };
            if let Some((g, n)) = group.and_then(|g| next_in(g).map(|n| (g, n))) {
                return Some(format!(
                    "tip: a group with a similar name exists: {g} (`{bin} {g} {n}`)"
                ));
            }
            if let Some(best) = closest(&name) {
                return Some(format!(
                    "tip: a command with a similar name exists: {}",
                    best.name
                ));
            }
            group.map(|g| format!("tip: a group with a similar name exists: {g} (`{bin} {g}`)"))
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&message(self))
    }
}
