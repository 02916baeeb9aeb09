//! `check_store` (our extension, group core): the store engine's integrity check plus the
//! invariants of our data: no orphan rows, passwords MongooseIM can verify, stored XML that
//! parses again. Problems are typed data; the output layer words them.

use crate::compat::scram::Scram;
use crate::compat::xml;
use crate::context::Ctx;
use crate::error::{Error, Result, StoreError, Unusable};
use crate::store::{CheckStore, OrphanGroup, OrphanRows, UserKey};

/// One problem found by `check_store`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The engine's integrity check reported this (a damaged page, a broken index, ...).
    Integrity(String),
    /// A damaged page stopped the check of `table` (the engine's message).
    Unreadable {
        table: &'static str,
        message: String,
    },
    /// Rows of a per-user table whose account does not exist.
    Orphan(OrphanRows),
    /// A roster group without its roster item.
    OrphanGroup(OrphanGroup),
    /// An account whose stored password MongooseIM cannot use.
    Password { user: UserKey, fault: PasswordFault },
    /// A stored vCard (namespace None) or private element that does not parse as XML.
    Xml {
        table: &'static str,
        user: UserKey,
        namespace: Option<String>,
        error: String,
    },
}

/// Why a stored password cannot be used to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordFault {
    /// `pass_details` is not MongooseIM's SCRAM serialisation (its `corrupted_scram`).
    NotScram,
    /// `pass_details` is a SCRAM serialisation without any hash entry.
    NoHashEntry,
    /// `pass_details` has an iteration count of 0.
    ZeroIterations,
    /// No `pass_details` and an empty plain password.
    Empty,
}

/// The outcome of `check_store`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreCheck {
    /// Where the store is (messages).
    pub location: String,
    pub problems: Vec<Problem>,
}

impl StoreCheck {
    pub fn clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A damaged page met by one part of the check: recorded against `table`, and the check goes
/// on with the next part. Other failures end the command.
fn part<T>(problems: &mut Vec<Problem>, table: &'static str, r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(Error::Store(StoreError::Unusable {
            why: Unusable::Corrupt(message),
            ..
        })) => {
            problems.push(Problem::Unreadable { table, message });
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// What is wrong with an account's stored password, if anything (store.md §4).
pub fn password_fault(password: &[u8], pass_details: Option<&[u8]>) -> Option<PasswordFault> {
    match pass_details {
        None if password.is_empty() => Some(PasswordFault::Empty),
        None => None,
        Some(details) => {
            let scram = std::str::from_utf8(details)
                .ok()
                .and_then(Scram::deserialize);
            match scram {
                None => Some(PasswordFault::NotScram),
                Some(s) if s.entries.is_empty() => Some(PasswordFault::NoHashEntry),
                Some(s) if s.iterations == 0 => Some(PasswordFault::ZeroIterations),
                Some(_) => None,
            }
        }
    }
}

fn run_checks(c: &mut dyn CheckStore) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    if let Some(found) = part(&mut problems, "sqlite_master", c.integrity())? {
        problems.extend(found.into_iter().map(Problem::Integrity));
    }
    for table in c.per_user_tables() {
        if let Some(found) = part(&mut problems, table, c.orphans(table))? {
            problems.extend(found.into_iter().map(Problem::Orphan));
        }
    }
    if let Some(found) = part(&mut problems, "rostergroups", c.orphan_groups())? {
        problems.extend(found.into_iter().map(Problem::OrphanGroup));
    }

    let mut found = Vec::new();
    let walk = c.each_password(&mut |user, pw| {
        if let Some(fault) = password_fault(pw.password, pw.pass_details) {
            found.push(Problem::Password {
                user: user.clone(),
                fault,
            });
        }
    });
    problems.append(&mut found);
    part(&mut problems, "users", walk)?;

    let walk = c.each_vcard(&mut |user, text| {
        if let Err(e) = xml::parse_bytes(text) {
            found.push(Problem::Xml {
                table: "vcard",
                user: user.clone(),
                namespace: None,
                error: e.message,
            });
        }
    });
    problems.append(&mut found);
    part(&mut problems, "vcard", walk)?;

    let walk = c.each_private(&mut |user, namespace, text| {
        if let Err(e) = xml::parse_bytes(text) {
            found.push(Problem::Xml {
                table: "private_storage",
                user: user.clone(),
                namespace: Some(namespace.to_string()),
                error: e.message,
            });
        }
    });
    problems.append(&mut found);
    part(&mut problems, "private_storage", walk)?;
    Ok(problems)
}

/// `check_store`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn check_store(ctx: &mut Ctx) -> Result<StoreCheck> {
    let store = ctx.store()?;
    let location = store.location();
    let problems = store.check(run_checks)?;
    Ok(StoreCheck { location, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_faults() {
        assert_eq!(password_fault(b"secret", None), None);
        assert_eq!(password_fault(b"", None), Some(PasswordFault::Empty));
        assert_eq!(
            password_fault(b"", Some(b"garbage")),
            Some(PasswordFault::NotScram)
        );
        assert_eq!(
            password_fault(b"", Some(b"==MULTI_SCRAM==,64")),
            Some(PasswordFault::NoHashEntry)
        );
        assert_eq!(
            password_fault(b"", Some(&[0xff, 0xfe])),
            Some(PasswordFault::NotScram)
        );
        let good =
            crate::compat::scram::scram_new("pw", &[crate::compat::scram::ScramHash::Sha], 1)
                .map(|s| s.serialize())
                .unwrap();
        assert_eq!(password_fault(b"", Some(good.as_bytes())), None);
        let zero = good.replacen(",1,", ",0,", 1);
        assert_eq!(
            password_fault(b"", Some(zero.as_bytes())),
            Some(PasswordFault::ZeroIterations)
        );
    }
}

/// What `init_schema` did: MongooseIM's tables and ours loaded into an empty PostgreSQL
/// database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitSchema {
    pub location: String,
    /// MongooseIM tables created.
    pub tables: usize,
    /// Our own schema version afterwards.
    pub version: i64,
}

/// `init_schema`: load MongooseIM 5.1's schema (and our tables) into the empty PostgreSQL
/// database of the store target. An SQLite store needs none (it creates its schema).
pub fn init_schema(ctx: &mut Ctx) -> Result<InitSchema> {
    match &ctx.store_target {
        crate::store::StoreTarget::Postgres(target) => {
            let loaded = crate::store::pgsql::Pgsql::init_schema(target)?;
            Ok(InitSchema {
                location: target.location(),
                tables: loaded.tables,
                version: loaded.version,
            })
        }
        crate::store::StoreTarget::Sqlite(_) => Err(Error::Input(
            "init_schema loads MongooseIM's schema into a PostgreSQL database; an SQLite store creates its schema when first opened".into(),
        )),
        crate::store::StoreTarget::Unsupported(why) => {
            Err(StoreError::Unavailable(why.clone()).into())
        }
    }
}
