//! Account commands: the core ones of ejabberd_admin (register, unregister, import_users, …)
//! and the `accounts` group (service_admin_extra_accounts). Business rules only: no clap, no
//! printing.

use rayon::prelude::*;

use crate::compat::erlang::{self, Term};
use crate::compat::jid::{nameprep, Jid};
use crate::compat::scram;
use crate::config::{Config, PasswordFormat};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::output::Legacy as Value;
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
        }
    }
    tx.delete_user(jid)
}

/// `register_identified user host password`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn register_identified(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<Value> {
    let jid = jid_or_crash(user, host)?;
    let norm = jid.bare();
    let node = erlang::fmt_p(&Term::atom(&ctx.node));
    if pass.is_empty() {
        return Ok(Value::fail(format!(
            "Can't register user {norm} at node {node}: null_password"
        )));
    }
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(Value::fail(format!(
            "Can't register user {norm} at node {node}: not_allowed"
        )));
    };
    if ctx.store()?.read(|tx| tx.user_exists(&jid))? {
        return Ok(Value::fail(format!(
            "User {norm} already registered at node {node}"
        )));
    }
    let Ok(cols) = password_columns(&ctx.config, &host_type, pass) else {
        return Ok(Value::fail(format!(
            "Can't register user {norm} at node {node}: invalid_password"
        )));
    };
    let inserted = ctx.store()?.write(|tx| tx.insert_user(&jid, &cols))?;
    if !inserted {
        return Ok(Value::fail(format!(
            "User {norm} already registered at node {node}"
        )));
    }
    tracing::info!(user = %norm, "registered");
    Ok(Value::ok(format!("User {norm} successfully registered")))
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
pub fn register(ctx: &mut Ctx, host: &str, pass: &str) -> Result<Value> {
    let user = generated_user_name();
    register_identified(ctx, &user, host, pass)
}

/// `unregister user host`: removes the account and its data; silent in every case.
#[tracing::instrument(level = "debug", skip_all)]
pub fn unregister(ctx: &mut Ctx, user: &str, host: &str) -> Result<Value> {
    if let Some(jid) = Jid::make(user, host, "") {
        if ctx.host_type(&jid.server)?.is_some() {
            ctx.store()?.write(|tx| remove_account(tx, &jid))?;
        }
    }
    Ok(Value::ok(""))
}

/// `registered_users host`.
pub fn registered_users(ctx: &mut Ctx, host: &str) -> Result<Value> {
    let Some(server) = nameprep(host) else {
        return Ok(Value::List(vec![]));
    };
    if ctx.host_type(&server)?.is_none() {
        return Ok(Value::List(vec![]));
    }
    let names = ctx.store()?.read(|tx| tx.usernames(&server))?;
    Ok(Value::List(names.into_iter().map(Value::Text).collect()))
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

/// `check_account user host`.
pub fn check_account(ctx: &mut Ctx, user: &str, host: &str) -> Result<Value> {
    Ok(match existing_user(ctx, user, host)? {
        Some(jid) => Value::ok(format!("User {} exists", jid.bare())),
        None => Value::fail(format!("User {user}@{host} does not exist")),
    })
}

/// `check_password user host password`. The password is never echoed (docs/compat.md).
pub fn check_password(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<Value> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(Value::fail(format!(
            "Password for user {user}@{host} is incorrect because this user does not exist"
        )));
    };
    let stored = ctx.store()?.read(|tx| tx.password(&jid))?;
    let ok = stored
        .map(|s| scram::verify(&s.password, s.pass_details.as_deref(), pass))
        .unwrap_or(false);
    let norm = jid.bare();
    Ok(if ok {
        Value::ok(format!("Password for user {norm} is correct"))
    } else {
        Value::fail(format!("Password for user {norm} is incorrect"))
    })
}

/// `check_password_hash user host passwordhash hashmethod`.
pub fn check_password_hash(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    hash: &str,
    method: &str,
) -> Result<Value> {
    let mut plain = String::new();
    if let Some(jid) = Jid::make(user, host, "") {
        if ctx.host_type(&jid.server)?.is_some() {
            if let Some(s) = ctx.store()?.read(|tx| tx.password(&jid))? {
                plain = s.password;
            }
        }
    }
    match scram::hash_quirk(method, plain.as_bytes()) {
        None => Ok(Value::error("Hash for password is undefined")),
        Some(h) if h == hash => Ok(Value::ok("Password hash is correct")),
        Some(_) => Ok(Value::fail("Password hash is incorrect")),
    }
}

/// Set a password the way change_password does. Returns the failure value, if any.
fn set_password(ctx: &mut Ctx, jid: &Jid, pass: &str) -> Result<Option<Value>> {
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(Some(Value::error("not_allowed")));
    };
    let Ok(cols) = password_columns(&ctx.config, &host_type, pass) else {
        return Ok(Some(Value::error("invalid_password")));
    };
    ctx.store()?.write(|tx| tx.set_password(jid, &cols))?;
    Ok(None)
}

/// `change_password user host newpass`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn change_password(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<Value> {
    if pass.is_empty() {
        return Ok(Value::error("empty_password"));
    }
    let Some(jid) = Jid::make(user, host, "") else {
        return Ok(Value::error("invalid_jid"));
    };
    if let Some(fail) = set_password(ctx, &jid, pass)? {
        return Ok(fail);
    }
    Ok(Value::ok(format!(
        "Password for user {} successfully changed",
        jid.bare()
    )))
}

/// `ban_account user host reason`: end the user's sessions and set a random password.
#[tracing::instrument(level = "debug", skip_all)]
pub fn ban_account(ctx: &mut Ctx, user: &str, host: &str, reason: &str) -> Result<Value> {
    let jid = jid_or_crash(user, host)?;
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(Value::error("not_allowed"));
    };
    let kick_reason = if reason.is_empty() {
        "Kicked by administrator"
    } else {
        reason
    };
    let banned = format!(
        "BANNED_ACCOUNT--{}--{}--{}",
        crate::clock::rfc3339_secs(crate::clock::now_secs()),
        scram::random_hex16(),
        kick_reason
    );
    let Ok(cols) = password_columns(&ctx.config, &host_type, &banned) else {
        return Ok(Value::error("invalid_password"));
    };
    ctx.store()?.write(|tx| {
        crate::services::core::kick_all(tx, &jid)?;
        tx.set_password(&jid, &cols)
    })?;
    Ok(Value::ok(format!(
        "User {} successfully banned with reason: {reason}",
        jid.bare()
    )))
}

/// `num_active_users host days` (raw host).
pub fn num_active_users(ctx: &mut Ctx, host: &str, days: i64) -> Result<Value> {
    if ctx.host_type(host)?.is_none() {
        return Ok(Value::Int(0));
    }
    let cutoff = crate::clock::now_secs().saturating_sub(days.saturating_mul(86_400));
    let n = ctx.store()?.read(|tx| tx.count_active(host, cutoff))?;
    Ok(Value::Int(n))
}

/// `delete_old_users days`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_old_users(ctx: &mut Ctx, days: i64) -> Result<Value> {
    let domains = ctx.known_domains()?;
    delete_old_users_in(ctx, &domains, days)
}

/// `delete_old_users_vhost host days`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_old_users_vhost(ctx: &mut Ctx, host: &str, days: i64) -> Result<Value> {
    let domains = match nameprep(host) {
        Some(server) if ctx.host_type(&server)?.is_some() => vec![server],
        _ => vec![],
    };
    delete_old_users_in(ctx, &domains, days)
}

fn delete_old_users_in(ctx: &mut Ctx, domains: &[String], days: i64) -> Result<Value> {
    let cutoff = crate::clock::now_secs().saturating_sub(days.saturating_mul(86_400));
    let deleted = ctx.store()?.write(|tx| {
        let mut deleted = Vec::new();
        for server in domains {
            for (user, last) in tx.users_with_last(server)? {
                let jid = Jid {
                    user,
                    server: server.clone(),
                    resource: String::new(),
                };
                if tx.count_sessions(&jid)? > 0 {
                    continue;
                }
                // Deleted iff never logged (no record) or now - T >= days*86400.
                let old = match last {
                    None => true,
                    Some(t) => t <= cutoff,
                };
                if old {
                    remove_account(tx, &jid)?;
                    deleted.push((jid.user, jid.server));
                }
            }
        }
        Ok(deleted)
    })?;
    let prefix = format!("Deleted {} users: ", deleted.len());
    let list = Term::list(
        deleted
            .iter()
            .map(|(user, server)| Term::tuple(vec![Term::bin(user), Term::bin(server)])),
    )
    .pretty(prefix.chars().count());
    Ok(Value::ok(format!("{prefix}{list}")))
}

/// One row of an `import_users` CSV file.
enum ImportRow {
    Bad(String),
    User {
        user: String,
        host: String,
        password: String,
    },
}

/// Split one CSV line (no line terminator) into fields: `,` separator, `"` quoting with `""`
/// escapes. None if a quoted field is not terminated on this line.
fn csv_fields(line: &str) -> Option<Vec<String>> {
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

fn parse_import_file(text: &str) -> Result<Vec<ImportRow>> {
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
            Err(fields) => ImportRow::Bad(fields.join(",")),
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

/// `import_users file`: register every row, hashing on all cores, in one transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub fn import_users(ctx: &mut Ctx, file: &str) -> Result<Value> {
    let bytes = std::fs::read(file).map_err(|e| read_file_crash(file, &e))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Error::Input(format!("import_users: {file} is not valid UTF-8: {e}")))?;
    let rows = parse_import_file(&text)?;

    // Classify each row, then hash the accepted ones in parallel.
    struct Pending {
        server: String,
        user: String,
        host_type: String,
        password: String,
    }
    let mut results: Vec<(&'static str, String)> = Vec::with_capacity(rows.len());
    let mut pending: Vec<(usize, Pending)> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        match row {
            ImportRow::Bad(joined) => results.push(("bad_csv", joined)),
            ImportRow::User {
                user,
                host,
                password,
            } => {
                let outcome = if password.is_empty() {
                    "null_password"
                } else {
                    match Jid::make(&user, &host, "") {
                        None => "invalid_jid",
                        Some(jid) => match ctx.host_type(&jid.server)? {
                            None => "not_allowed",
                            Some(host_type) => {
                                pending.push((
                                    i,
                                    Pending {
                                        server: jid.server,
                                        user: jid.user,
                                        host_type,
                                        password,
                                    },
                                ));
                                "ok"
                            }
                        },
                    }
                };
                results.push((outcome, user));
            }
        }
    }
    let config: &Config = &ctx.config;
    let hashed: Vec<(usize, String, String, Option<PasswordColumns>)> = pending
        .into_par_iter()
        .map(|(i, p)| {
            let cols = password_columns(config, &p.host_type, &p.password).ok();
            (i, p.server, p.user, cols)
        })
        .collect();
    ctx.store()?.write(|tx| {
        for (i, server, user, cols) in &hashed {
            let outcome = match cols {
                None => "invalid_password",
                Some(c) => {
                    let jid = Jid {
                        user: user.clone(),
                        server: server.clone(),
                        resource: String::new(),
                    };
                    if tx.insert_user(&jid, c)? {
                        "ok"
                    } else {
                        "exists"
                    }
                }
            };
            results[*i].0 = outcome;
        }
        Ok(())
    })?;

    // mongooseimctl deals rows round-robin to 10 workers and lists each worker's rows
    // newest-first, worker by worker.
    let mut out = Vec::with_capacity(results.len());
    for worker in 0..10 {
        let mut idx: Vec<usize> = (worker..results.len()).step_by(10).collect();
        idx.reverse();
        for i in idx {
            let (res, user) = &results[i];
            out.push(Value::Tuple(vec![
                Value::Text((*res).to_string()),
                Value::Text(user.clone()),
            ]));
        }
    }
    Ok(Value::List(out))
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
