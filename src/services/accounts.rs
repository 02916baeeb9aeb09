//! Account commands: the core ones of ejabberd_admin (register, unregister, import_users, …)
//! and the `accounts` group (service_admin_extra_accounts). Business rules only: no clap, no
//! printing.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::compat::jid::{nameprep, Jid};
use crate::compat::scram;
use crate::config::{Config, PasswordFormat};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::store::{after_removal, StoredPassword, Tx};

/// The columns to store for a new password under the host type's `[auth.password]`.
type PasswordColumns = StoredPassword;

/// Compute the stored form of `password` for `host_type` (SCRAM hashing happens here, outside
/// any transaction). Fails if the password cannot be prepared (resourceprep).
pub fn password_columns(
    config: &Config,
    host_type: &str,
    password: &str,
) -> Result<PasswordColumns, scram::PasswordError> {
    let auth = config.auth_for(host_type);
    match auth.password_format {
        PasswordFormat::Plain => Ok(PasswordColumns {
            password: password.to_string(),
            pass_details: None,
        }),
        PasswordFormat::Scram => {
            let scram = scram::scram_new(password, &auth.hashes, auth.scram_iterations)?;
            Ok(PasswordColumns {
                password: String::new(),
                pass_details: Some(scram.serialize()),
            })
        }
    }
}

/// `jid:make(User, Host, <<>>)`, crashing with `{invalid_jid, User, Host}` as 5.1 does.
pub fn jid_or_crash(user: &str, host: &str) -> Result<Jid> {
    Jid::make(user, host, "").ok_or_else(|| Crash::invalid_jid(user, host))
}

/// Remove an account and all its data inside `tx`. Its local contacts' items are downgraded
/// first, as the presences the removal sends would (commands.md §2.5).
pub fn remove_account(tx: &mut dyn Tx, jid: &Jid) -> Result<bool> {
    // The account's sessions are terminated first ("User removed"), as MongooseIM's
    // remove_user hook disconnects them; their last activity goes with the account.
    crate::services::live::kick_all(tx, jid, crate::services::live::USER_REMOVED, false)?;
    downgrade_contacts(tx, jid)?;
    tx.delete_user(jid)
}

/// The local contacts' items for an account about to be removed are downgraded, as the
/// presences the removal sends would, and their sessions told (commands.md §2.5).
fn downgrade_contacts(tx: &mut dyn Tx, jid: &Jid) -> Result<()> {
    let removed = jid.bare();
    for item in tx.items(jid)? {
        let (cu, cs) = item.contact_parts();
        let contact = Jid {
            user: cu.to_string(),
            server: cs.to_string(),
            resource: String::new(),
        };
        let Some(theirs) = tx.item(&contact, &removed)? else {
            continue;
        };
        let (sub, ask) = after_removal(item.subscription, theirs.subscription, theirs.ask);
        if (sub, ask) != (theirs.subscription, theirs.ask) {
            tx.set_item_state(&contact, &removed, sub, ask)?;
            notify_contact(tx, &item, &contact, &removed)?;
        }
    }
    Ok(())
}

/// What a connected local contact of a removed account receives (commands.md §2.5): the
/// `unsubscribe` / `unsubscribed` presences the removal sends (for the removed account's
/// `to`/`both` resp. `from`/`both` item) and the roster push of the contact's downgraded item.
fn notify_contact(
    tx: &mut dyn Tx,
    removed_item: &crate::store::RosterItem,
    contact: &Jid,
    removed_text: &str,
) -> Result<()> {
    use crate::compat::xml::Element;
    use crate::store::Subscription as S;
    let now = crate::clock::now_micros();
    let sub = removed_item.subscription;
    let mut kinds = Vec::new();
    if matches!(sub, S::To | S::Both) {
        kinds.push("unsubscribe");
    }
    if matches!(sub, S::From | S::Both) {
        kinds.push("unsubscribed");
    }
    for kind in kinds {
        let presence = Element::new("presence")
            .with_attr("from", removed_text)
            .with_attr("to", &contact.bare())
            .with_attr("type", kind)
            .to_xml();
        crate::services::metrics::deliver(tx, contact, removed_text, &presence, now)?;
    }
    let updated = tx.item(contact, removed_text)?;
    let push = crate::services::roster::push_stanza(contact, updated.as_ref(), removed_text);
    crate::services::metrics::deliver(tx, contact, &contact.bare(), &push, now)?;
    Ok(())
}

/// Why an account operation was refused: 5.1's error atom (and the JSON kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `register*` with an empty password (`null_password`).
    NullPassword,
    /// `change_password` with an empty password (`empty_password`).
    EmptyPassword,
    /// The user and host do not make a JID (`invalid_jid`).
    InvalidJid,
    /// The domain is not served (`not_allowed`).
    NotAllowed,
    /// The password cannot be prepared for storage (`invalid_password`).
    InvalidPassword,
}

/// The outcome of `register` and `register_identified`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Register {
    Registered {
        jid: Jid,
    },
    /// The account exists already; `node` is the node name 5.1 names.
    AlreadyRegistered {
        jid: Jid,
        node: String,
    },
    Refused {
        jid: Jid,
        node: String,
        reason: Refusal,
    },
}

/// `register_identified user host password`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn register_identified(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<Register> {
    let jid = jid_or_crash(user, host)?;
    let node = ctx.node.clone();
    let refused = |jid: Jid, reason| {
        Ok(Register::Refused {
            jid,
            node: node.clone(),
            reason,
        })
    };
    if pass.is_empty() {
        return refused(jid, Refusal::NullPassword);
    }
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return refused(jid, Refusal::NotAllowed);
    };
    let exists = ctx.store()?.read(|tx| tx.user_exists(&jid))?;
    if !exists {
        let Ok(cols) = password_columns(&ctx.config, &host_type, pass) else {
            return refused(jid, Refusal::InvalidPassword);
        };
        crate::store::limits::account(&jid)?;
        if ctx.store()?.write(|tx| tx.insert_user(&jid, &cols))? {
            tracing::info!(user = %jid.bare(), "registered");
            return Ok(Register::Registered { jid });
        }
    }
    Ok(Register::AlreadyRegistered { jid, node })
}

/// The user name `register` invents: `<MegaSecs>-<Secs>-<MicroSecs>-<16 hex>`.
pub fn generated_user_name() -> String {
    let us = crate::clock::now_micros();
    let secs = us.div_euclid(1_000_000);
    format!(
        "{}-{}-{}-{}",
        secs / 1_000_000,
        secs % 1_000_000,
        us.rem_euclid(1_000_000),
        scram::random_hex16()
    )
}

/// `register host password`.
pub fn register(ctx: &mut Ctx, host: &str, pass: &str) -> Result<Register> {
    let user = generated_user_name();
    register_identified(ctx, &user, host, pass)
}

/// The outcome of `unregister`: always a (silent) success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unregistered {
    /// The arguments as typed.
    pub user: String,
    pub host: String,
    /// Whether an account was removed.
    pub removed: bool,
}

/// `unregister user host`: removes the account and its data; silent in every case.
#[tracing::instrument(level = "debug", skip_all)]
pub fn unregister(ctx: &mut Ctx, user: &str, host: &str) -> Result<Unregistered> {
    let mut removed = false;
    if let Some(jid) = Jid::make(user, host, "") {
        if ctx.host_type(&jid.server)?.is_some() {
            let guard = ctx.guard();
            removed = ctx.store()?.write(|tx| {
                let exists = u64::from(tx.user_exists(&jid)?);
                guard.check(exists, &format!(" ({})", jid.bare()))?;
                remove_account(tx, &jid)
            })?;
        }
    }
    Ok(Unregistered {
        user: user.to_string(),
        host: host.to_string(),
        removed,
    })
}

/// The outcome of `registered_users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredUsers {
    /// The host, nameprepped when it can be.
    pub host: String,
    /// User names, sorted by bytes (none for an unknown host).
    pub users: Vec<String>,
}

/// `registered_users host`.
pub fn registered_users(ctx: &mut Ctx, host: &str) -> Result<RegisteredUsers> {
    let mut out = RegisteredUsers {
        host: host.to_string(),
        users: Vec::new(),
    };
    if let Some(server) = nameprep(host) {
        if ctx.host_type(&server)?.is_some() {
            out.users = ctx.store()?.read(|tx| tx.usernames(&server))?;
        }
        out.host = server;
    }
    Ok(out)
}

/// §2.4: the account exists and its domain is known.
pub fn user_exists(ctx: &mut Ctx, jid: &Jid) -> Result<bool> {
    if ctx.host_type(&jid.server)?.is_none() {
        return Ok(false);
    }
    ctx.store()?.read(|tx| tx.user_exists(jid))
}

/// The JID of `user`@`host` if that account exists (§2.4); None for an invalid JID, an unknown
/// domain or a missing account.
pub fn existing_user(ctx: &mut Ctx, user: &str, host: &str) -> Result<Option<Jid>> {
    match Jid::make(user, host, "") {
        Some(j) if user_exists(ctx, &j)? => Ok(Some(j)),
        _ => Ok(None),
    }
}

/// `user`@`host` as a JID if it is valid and its domain is known (no store access): the
/// account to check *inside* the write transaction with [`write_as_user`].
pub fn local_user(ctx: &mut Ctx, user: &str, host: &str) -> Result<Option<Jid>> {
    match Jid::make(user, host, "") {
        Some(j) if ctx.host_type(&j.server)?.is_some() => Ok(Some(j)),
        _ => Ok(None),
    }
}

/// Run `f` in one write transaction if `jid`'s account exists, checked inside that
/// transaction: a concurrent `unregister` either happens before (then nothing is written:
/// `None`) or after (then it removes what `f` wrote), never leaving orphan rows. The way to
/// write per-user data.
pub fn write_as_user<T>(
    ctx: &mut Ctx,
    jid: &Jid,
    f: impl FnOnce(&mut dyn Tx) -> Result<T>,
) -> Result<Option<T>> {
    ctx.store()?.write(|tx| {
        if tx.user_exists(jid)? {
            f(tx).map(Some)
        } else {
            Ok(None)
        }
    })
}

/// The outcome of `check_account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckAccount {
    Exists {
        jid: Jid,
    },
    /// No such account (invalid JID, unknown domain or missing account), as typed.
    NoSuchUser {
        user: String,
        host: String,
    },
}

/// `check_account user host`.
pub fn check_account(ctx: &mut Ctx, user: &str, host: &str) -> Result<CheckAccount> {
    Ok(match existing_user(ctx, user, host)? {
        Some(jid) => CheckAccount::Exists { jid },
        None => CheckAccount::NoSuchUser {
            user: user.to_string(),
            host: host.to_string(),
        },
    })
}

/// The outcome of `check_password`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckPassword {
    Correct {
        jid: Jid,
    },
    Incorrect {
        jid: Jid,
    },
    /// No such account, as typed.
    NoSuchUser {
        user: String,
        host: String,
    },
}

/// `check_password user host password`. The password is never echoed (docs/compat.md).
pub fn check_password(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<CheckPassword> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(CheckPassword::NoSuchUser {
            user: user.to_string(),
            host: host.to_string(),
        });
    };
    let stored = ctx.store()?.read(|tx| tx.password(&jid))?;
    let ok = stored
        .map(|s| scram::verify(&s.password, s.pass_details.as_deref(), pass))
        .unwrap_or(false);
    Ok(if ok {
        CheckPassword::Correct { jid }
    } else {
        CheckPassword::Incorrect { jid }
    })
}

/// What `check_password_hash` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashMatch {
    Correct,
    Incorrect,
    /// The hash method is neither `md5` nor `sha`.
    UnknownMethod,
}

/// The outcome of `check_password_hash`: the arguments as typed and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckPasswordHash {
    pub user: String,
    pub host: String,
    pub method: String,
    pub verdict: HashMatch,
}

/// `check_password_hash user host passwordhash hashmethod`.
pub fn check_password_hash(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    hash: &str,
    method: &str,
) -> Result<CheckPasswordHash> {
    let mut plain = String::new();
    if let Some(jid) = Jid::make(user, host, "") {
        if ctx.host_type(&jid.server)?.is_some() {
            if let Some(s) = ctx.store()?.read(|tx| tx.password(&jid))? {
                plain = s.password;
            }
        }
    }
    let verdict = match scram::hash_quirk(method, plain.as_bytes()) {
        None => HashMatch::UnknownMethod,
        Some(h) if h == hash => HashMatch::Correct,
        Some(_) => HashMatch::Incorrect,
    };
    Ok(CheckPasswordHash {
        user: user.to_string(),
        host: host.to_string(),
        method: method.to_string(),
        verdict,
    })
}

/// The stored form of a new password for `jid`, or why it cannot be set.
fn new_password(
    ctx: &mut Ctx,
    jid: &Jid,
    pass: &str,
) -> Result<std::result::Result<PasswordColumns, Refusal>> {
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(Err(Refusal::NotAllowed));
    };
    Ok(password_columns(&ctx.config, &host_type, pass).map_err(|_| Refusal::InvalidPassword))
}

/// The checks of a password change, in 5.1's order (empty password, JID, host, password
/// format): the JID and the columns to store, or why it is refused. Shared by
/// `change_password` and `ensure_account`.
pub(crate) fn password_change_input(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    pass: &str,
) -> Result<std::result::Result<(Jid, PasswordColumns), Refusal>> {
    if pass.is_empty() {
        return Ok(Err(Refusal::EmptyPassword));
    }
    let Some(jid) = Jid::make(user, host, "") else {
        return Ok(Err(Refusal::InvalidJid));
    };
    Ok(new_password(ctx, &jid, pass)?.map(|cols| (jid, cols)))
}

/// The outcome of `change_password`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangePassword {
    Changed {
        jid: Jid,
    },
    /// Refused; the user and host as typed.
    Refused {
        user: String,
        host: String,
        reason: Refusal,
    },
}

/// `change_password user host newpass`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn change_password(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    pass: &str,
) -> Result<ChangePassword> {
    let refused = |reason| {
        Ok(ChangePassword::Refused {
            user: user.to_string(),
            host: host.to_string(),
            reason,
        })
    };
    let (jid, cols) = match password_change_input(ctx, user, host, pass)? {
        Ok(input) => input,
        Err(reason) => return refused(reason),
    };
    ctx.store()?.write(|tx| tx.set_password(&jid, &cols))?;
    Ok(ChangePassword::Changed { jid })
}

/// The outcome of `ban_account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BanAccount {
    Banned {
        jid: Jid,
        /// The reason as given (may be empty).
        reason: String,
        /// How many sessions were ended.
        sessions_ended: usize,
    },
    Refused {
        jid: Jid,
        reason: Refusal,
    },
}

/// `ban_account user host reason`: end the user's sessions and set a random password.
#[tracing::instrument(level = "debug", skip_all)]
pub fn ban_account(ctx: &mut Ctx, user: &str, host: &str, reason: &str) -> Result<BanAccount> {
    let jid = jid_or_crash(user, host)?;
    let kick_reason = if reason.is_empty() {
        crate::services::live::KICKED_BY_ADMINISTRATOR
    } else {
        reason
    };
    let banned = format!(
        "BANNED_ACCOUNT--{}--{}--{}",
        crate::clock::rfc3339_secs(crate::clock::now_secs()),
        scram::random_hex16(),
        kick_reason
    );
    let password = new_password(ctx, &jid, &banned)?;
    // 5.1 kicks the sessions first, also when the password cannot be set (unknown domain).
    let sessions_ended = ctx.write_with_config(|config, tx| {
        let last = crate::services::live::last_enabled(config, tx, &jid.server)?;
        let ended = crate::services::live::kick_all(tx, &jid, kick_reason, last)?;
        if let Ok(cols) = &password {
            tx.set_password(&jid, cols)?;
        }
        Ok(ended)
    })?;
    Ok(match password {
        Ok(_) => BanAccount::Banned {
            jid,
            reason: reason.to_string(),
            sessions_ended,
        },
        Err(refusal) => BanAccount::Refused {
            jid,
            reason: refusal,
        },
    })
}

/// The outcome of `num_active_users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveUsers {
    /// The host as typed (a raw-host command).
    pub host: String,
    pub days: i64,
    pub count: i64,
}

/// `num_active_users host days` (raw host).
pub fn num_active_users(ctx: &mut Ctx, host: &str, days: i64) -> Result<ActiveUsers> {
    let mut count = 0;
    if ctx.host_type(host)?.is_some() {
        let cutoff = crate::clock::now_secs().saturating_sub(days.saturating_mul(86_400));
        count = ctx.store()?.read(|tx| tx.count_active(host, cutoff))?;
    }
    Ok(ActiveUsers {
        host: host.to_string(),
        days,
        count,
    })
}

/// The outcome of `delete_old_users` and `delete_old_users_vhost`: the deleted accounts, in
/// deletion order (domain by domain, users by bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedUsers {
    pub users: Vec<Jid>,
}

/// `delete_old_users days`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_old_users(ctx: &mut Ctx, days: i64) -> Result<DeletedUsers> {
    let domains = ctx.known_domains()?;
    delete_old_users_in(ctx, &domains, days)
}

/// `delete_old_users_vhost host days`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_old_users_vhost(ctx: &mut Ctx, host: &str, days: i64) -> Result<DeletedUsers> {
    let domains = match nameprep(host) {
        Some(server) if ctx.host_type(&server)?.is_some() => vec![server],
        _ => vec![],
    };
    delete_old_users_in(ctx, &domains, days)
}

/// The accounts `delete_old_users` deletes per store call (the bar moves per chunk).
const DELETE_CHUNK: usize = 1_000;

fn delete_old_users_in(ctx: &mut Ctx, domains: &[String], days: i64) -> Result<DeletedUsers> {
    let cutoff = crate::clock::now_secs().saturating_sub(days.saturating_mul(86_400));
    let guard = ctx.guard();
    let progress = ctx.progress;
    let users = ctx.store()?.write(|tx| {
        // What goes, domain by domain, decided before anything is deleted (and confirmed).
        let mut plan: Vec<(&String, Vec<String>)> = Vec::new();
        for server in domains {
            // A connected user is kept; the others go iff never logged (no record) or
            // now - T >= days*86400. Set-based: a few statements per domain, whatever its size.
            let connected: HashSet<String> = tx.session_users(server)?.into_iter().collect();
            let old: Vec<String> = tx
                .users_with_last(server)?
                .into_iter()
                .filter(|(user, last)| {
                    !connected.contains(user) && last.is_none_or(|t| t <= cutoff)
                })
                .map(|(user, _)| user)
                .collect();
            plan.push((server, old));
        }
        let total: usize = plan.iter().map(|(_, old)| old.len()).sum();
        guard.check(total as u64, &where_deleted(&plan))?;
        let mut deleted = Vec::new();
        for (server, old) in plan {
            // Only accounts with roster items have contacts to downgrade. Downgrading every
            // one before deleting any gives the rows of removing them one by one: what
            // differs is only in the rosters of accounts removed here (deleted anyway) and
            // deliveries to their sessions (they have none).
            let with_items: HashSet<String> =
                tx.owners_with_items(server, &old)?.into_iter().collect();
            let jids: Vec<Jid> = old
                .into_iter()
                .map(|user| Jid {
                    user,
                    server: server.clone(),
                    resource: String::new(),
                })
                .collect();
            let bar = progress.bar("updating contacts", with_items.len() as u64);
            for jid in jids.iter().filter(|j| with_items.contains(&j.user)) {
                downgrade_contacts(tx, jid)?;
                bar.inc(1);
            }
            drop(bar);
            let bar = progress.bar("deleting accounts", jids.len() as u64);
            for chunk in jids.chunks(DELETE_CHUNK) {
                tx.delete_users(chunk)?;
                bar.inc(chunk.len() as u64);
            }
            deleted.extend(jids);
        }
        Ok(deleted)
    })?;
    Ok(DeletedUsers { users })
}

/// Where delete_old_users's accounts are, for its prompt: ` on a, b` (the domains with
/// accounts to delete), ` on N domains` past three.
fn where_deleted(plan: &[(&String, Vec<String>)]) -> String {
    let hit: Vec<&str> = plan
        .iter()
        .filter(|(_, old)| !old.is_empty())
        .map(|(d, _)| d.as_str())
        .collect();
    match hit.len() {
        0 => String::new(),
        1..=3 => format!(" on {}", hit.join(", ")),
        n => format!(" on {n} domains"),
    }
}

/// One row of an `import_users` CSV file.
pub(crate) enum ImportRow {
    Bad(Vec<String>),
    User {
        user: String,
        host: String,
        password: String,
    },
}

/// Split one CSV line (no line terminator) into fields: `,` separator, `"` quoting with `""`
/// escapes. None if a quoted field is not terminated on this line.
pub(crate) fn csv_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut at_start = true;
    loop {
        match chars.next() {
            None => {
                fields.push(std::mem::take(&mut cur));
                return Some(fields);
            }
            Some('"') if at_start => {
                // Quoted field.
                loop {
                    match chars.next() {
                        None => return None,
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            cur.push('"');
                        }
                        Some('"') => break,
                        Some(c) => cur.push(c),
                    }
                }
                at_start = false;
            }
            Some(',') => {
                fields.push(std::mem::take(&mut cur));
                at_start = true;
            }
            Some(c) => {
                cur.push(c);
                at_start = false;
            }
        }
    }
}

pub(crate) fn parse_import_file(text: &str) -> Result<Vec<ImportRow>> {
    let mut rows = Vec::new();
    let body = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Ok(rows);
    }
    for (i, raw) in body.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let fields = csv_fields(line).ok_or_else(|| {
            Error::Input(format!(
                "import_users: line {}: unterminated quoted field (quoted fields cannot span lines)",
                i + 1
            ))
        })?;
        rows.push(match <[String; 3]>::try_from(fields) {
            Ok([user, host, password]) => ImportRow::User {
                user,
                host,
                password,
            },
            Err(fields) => ImportRow::Bad(fields),
        });
    }
    Ok(rows)
}

/// `{read_file, "File", Reason}` with Erlang's reason atom for common I/O errors.
pub fn read_file_crash(file: &str, e: &std::io::Error) -> Error {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "enoent".to_string(),
        std::io::ErrorKind::PermissionDenied => "eacces".to_string(),
        std::io::ErrorKind::IsADirectory => "eisdir".to_string(),
        _ => e.to_string(),
    };
    Error::Crash(Crash::ReadFile {
        file: file.to_string(),
        reason,
    })
}

/// What happened to one user row of an `import_users` file (5.1's result atoms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportResult {
    Ok,
    Exists,
    NullPassword,
    InvalidJid,
    NotAllowed,
    InvalidPassword,
}

/// One row of an `import_users` file and what became of it. `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportedRow {
    User {
        line: usize,
        /// The fields as written.
        user: String,
        host: String,
        result: ImportResult,
    },
    /// Not three fields (`bad_csv`).
    BadCsv { line: usize, fields: Vec<String> },
}

/// The outcome of `import_users`: every row, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportUsers {
    pub rows: Vec<ImportedRow>,
}

/// The accounts `import_users` hands the store at a time (inside its one transaction).
const IMPORT_CHUNK: usize = 2_000;
/// The rows a hashing worker takes at a time (one progress tick each).
const HASH_TICK: usize = 16;

/// `import_users file`: register every row, hashing on all cores, in one transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub fn import_users(ctx: &mut Ctx, file: &str) -> Result<ImportUsers> {
    let bytes = ctx.read_file_arg(file)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Error::Input(format!("import_users: {file} is not valid UTF-8: {e}")))?;
    let rows = parse_import_file(&text)?;

    // Classify each row, then hash the accepted ones in parallel.
    struct Pending {
        jid: Jid,
        host_type: String,
        password: String,
    }
    let mut out: Vec<ImportedRow> = Vec::with_capacity(rows.len());
    let mut pending: Vec<(usize, Pending)> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let line = i + 1;
        let (user, host, password) = match row {
            ImportRow::Bad(fields) => {
                out.push(ImportedRow::BadCsv { line, fields });
                continue;
            }
            ImportRow::User {
                user,
                host,
                password,
            } => (user, host, password),
        };
        let result = if password.is_empty() {
            ImportResult::NullPassword
        } else {
            match Jid::make(&user, &host, "") {
                None => ImportResult::InvalidJid,
                Some(jid) => match ctx.host_type(&jid.server)? {
                    None => ImportResult::NotAllowed,
                    Some(host_type) => {
                        pending.push((
                            i,
                            Pending {
                                jid,
                                host_type,
                                password,
                            },
                        ));
                        ImportResult::Ok
                    }
                },
            }
        };
        out.push(ImportedRow::User {
            line,
            user,
            host,
            result,
        });
    }
    let config: &Config = &ctx.config;
    let hashing = ctx.progress("hashing passwords", pending.len() as u64);
    // The bar is ticked once per few rows (plain passwords hash in nanoseconds).
    let hashed: Vec<(usize, Jid, Option<PasswordColumns>)> = pending
        .into_par_iter()
        .chunks(HASH_TICK)
        .flat_map_iter(|chunk| {
            let n = chunk.len() as u64;
            let done: Vec<_> = chunk
                .into_iter()
                .map(|(i, p)| {
                    let cols = password_columns(config, &p.host_type, &p.password).ok();
                    (i, p.jid, cols)
                })
                .collect();
            hashing.inc(n);
            done
        })
        .collect();
    drop(hashing);
    // A row MongooseIM's schema cannot hold refuses the whole import (one transaction).
    for (_, jid, _) in &hashed {
        crate::store::limits::account(jid)?;
    }
    // One batch insert (rows that cannot be stored are not sent); results in file order.
    let mut batch: Vec<(Jid, PasswordColumns)> = Vec::with_capacity(hashed.len());
    let mut rows_of_batch: Vec<usize> = Vec::with_capacity(hashed.len());
    for (i, jid, cols) in hashed {
        match cols {
            None => {
                if let Some(ImportedRow::User { result, .. }) = out.get_mut(i) {
                    *result = ImportResult::InvalidPassword;
                }
            }
            Some(c) => {
                batch.push((jid, c));
                rows_of_batch.push(i);
            }
        }
    }
    // With a bar, written in chunks (one transaction) so that the bar moves; an account
    // repeated across chunks is found stored by the later one, as one by one. Without one,
    // one piece (PostgreSQL: one COPY, the fastest path).
    let writing = ctx.progress("writing accounts", batch.len() as u64);
    let chunk_len = if writing.shown() {
        IMPORT_CHUNK
    } else {
        batch.len().max(1)
    };
    let inserted = ctx.store()?.write(|tx| {
        let mut inserted = Vec::with_capacity(batch.len());
        for chunk in batch.chunks(chunk_len) {
            inserted.extend(tx.insert_users(chunk)?);
            writing.inc(chunk.len() as u64);
        }
        Ok(inserted)
    })?;
    drop(writing);
    for (i, ok) in rows_of_batch.into_iter().zip(inserted) {
        if let Some(ImportedRow::User { result, .. }) = out.get_mut(i) {
            *result = if ok {
                ImportResult::Ok
            } else {
                ImportResult::Exists
            };
        }
    }
    Ok(ImportUsers { rows: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_fields("a,b,c").unwrap(), vec!["a", "b", "c"]);
        assert_eq!(
            csv_fields("\"a,b\",\"c\"\"d\",").unwrap(),
            vec!["a,b", "c\"d", ""]
        );
        assert_eq!(csv_fields("").unwrap(), vec![""]);
        assert!(csv_fields("\"abc").is_none());
    }

    #[test]
    fn generated_name_shape() {
        let n = generated_user_name();
        let parts: Vec<&str> = n.split('-').collect();
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[3].len(), 16);
        assert!(parts[3]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }
}
