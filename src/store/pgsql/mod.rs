//! The PostgreSQL implementation of the store interface, on MongooseIM 5.1's own schema
//! (`sql/mongooseim_5.1.sql`, written from spec/store.md): connecting, the missing-table
//! check, our own `mongooseimctl_*` tables (versioned migrations of their own,
//! [`migrate`]), transactions, error classification, and one file of queries per area.
//! With [`super::sqlite`], the only module allowed to use a database driver (clippy.toml).
//!
//! Work in progress (issue 10): the areas not written yet answer
//! `StoreError::Unavailable("… not yet supported on PostgreSQL")` (exit 3); the list is in
//! docs/architecture.md.

#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

mod check;
mod domains;
mod gdpr;
mod last;
pub mod migrate;
mod offline;
mod private;
mod roster;
mod sessions;
mod state;
pub mod tls;
mod users;
mod vcard;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::{Client, IsolationLevel, NoTls, Statement};
use tracing::debug;

use super::{Backend, CheckStore, Mode, Tx};
use crate::config::PgTls;
use crate::error::{Error, Result, StoreError};

/// How long a command waits for the server to accept a connection, and for another
/// mongooseimctl's write transaction (exit 3 after that, as SQLite's busy timeout).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// The advisory lock every mongooseimctl write transaction takes first (`BEGIN IMMEDIATE`'s
/// counterpart: our writers are serialised; MongooseIM's nodes do not take it and rely on
/// upserts, as the queries here do). The value is "mimctl" in ASCII.
const WRITE_LOCK: i64 = 0x6d69_6d63_746c;

/// Where the password of a PostgreSQL pool comes from. Never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub enum PgPassword {
    /// No password (peer or trust authentication).
    None,
    /// From the config's `password` key or `MONGOOSEIMCTL_PG_PASSWORD`.
    Text(String),
    /// Read from this file when the store is opened (`MONGOOSEIMCTL_PG_PASSWORD_FILE`);
    /// one trailing newline is dropped.
    File(PathBuf),
}

impl fmt::Debug for PgPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PgPassword::None => f.write_str("None"),
            PgPassword::Text(_) => f.write_str("Text(<redacted>)"),
            PgPassword::File(p) => f.debug_tuple("File").field(p).finish(),
        }
    }
}

/// A PostgreSQL store: the connection of the config's `pgsql` pool, with the environment's
/// overrides (settings.rs). `host` starting with `/` is a Unix socket directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgTarget {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub username: String,
    pub password: PgPassword,
    /// The pool's `tls` table: connect over TLS ([`tls`]); `None`, plain text.
    pub tls: Option<Box<PgTls>>,
}

impl PgTarget {
    /// How the store is named in messages: never the password.
    pub fn location(&self) -> String {
        format!(
            "postgresql {}:{}, database {}",
            self.host, self.port, self.database
        )
    }

    fn config(&self) -> Result<postgres::Config> {
        let mut c = postgres::Config::new();
        c.host(&self.host)
            .port(self.port)
            .dbname(&self.database)
            .user(&self.username)
            .application_name("mongooseimctl")
            .connect_timeout(CONNECT_TIMEOUT);
        match &self.password {
            PgPassword::None => {}
            PgPassword::Text(p) => {
                c.password(p);
            }
            PgPassword::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    StoreError::Unavailable(format!(
                        "cannot read the PostgreSQL password file {}: {e}",
                        path.display()
                    ))
                })?;
                let text = text.strip_suffix('\n').unwrap_or(&text);
                let text = text.strip_suffix('\r').unwrap_or(text);
                c.password(text);
            }
        }
        Ok(c)
    }

    /// Connect (over TLS when the pool has a `tls` table: `required` is `sslmode=require`,
    /// else `prefer`, plain text when the server does not offer TLS): a failure is one line
    /// naming host, port and database (exit 3).
    fn connect(&self) -> Result<Client> {
        let mut config = self.config()?;
        let result = match &self.tls {
            None => config.connect(NoTls),
            Some(tls) => {
                if tls.required && self.host.starts_with('/') {
                    return Err(self.unavailable(
                        "TLS is required (tls.required = true) but the host is a Unix socket \
                         directory, where PostgreSQL offers no TLS; name the server's TCP host"
                            .to_string(),
                    ));
                }
                let connector = tls::connector(tls, &self.host)
                    .map_err(|why| self.unavailable(format!("TLS: {why}")))?;
                config.ssl_mode(if tls.required {
                    SslMode::Require
                } else {
                    SslMode::Prefer
                });
                config.connect(connector)
            }
        };
        result.map_err(|e| {
            let mut why = one_line(&e);
            if self.tls.is_some() {
                why.push_str(tls::hint(&why));
            }
            self.unavailable(why)
        })
    }

    /// The connection failed: `cannot connect to PostgreSQL at host:port (database d): why`.
    fn unavailable(&self, why: String) -> Error {
        StoreError::Unavailable(format!(
            "cannot connect to PostgreSQL at {}:{} (database {}): {why}",
            self.host, self.port, self.database
        ))
        .into()
    }
}

/// Statements prepared once per run (per connection) and reused by every transaction:
/// the ones a command may run once per row (a loop over accounts or roster items).
type StatementCache = HashMap<String, Statement>;

/// An open PostgreSQL store.
pub struct Pgsql {
    client: Client,
    target: PgTarget,
    statements: StatementCache,
    /// A batch's outer transaction is open on `client`: transactions are savepoints in it.
    outer: bool,
}

/// What a [`PgTx`] runs its statements on: a transaction of its own, or (inside a batch's
/// outer transaction, opened with plain SQL because a `postgres::Transaction` cannot outlive
/// one call) the client, inside a savepoint.
pub(crate) enum PgConn<'c> {
    Tx(postgres::Transaction<'c>),
    Raw(&'c mut Client),
}

impl PgConn<'_> {
    pub(crate) fn execute<T: ?Sized + postgres::ToStatement>(
        &mut self,
        query: &T,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> std::result::Result<u64, postgres::Error> {
        match self {
            PgConn::Tx(t) => t.execute(query, params),
            PgConn::Raw(c) => c.execute(query, params),
        }
    }

    pub(crate) fn query<T: ?Sized + postgres::ToStatement>(
        &mut self,
        query: &T,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> std::result::Result<Vec<postgres::Row>, postgres::Error> {
        match self {
            PgConn::Tx(t) => t.query(query, params),
            PgConn::Raw(c) => c.query(query, params),
        }
    }

    pub(crate) fn query_one<T: ?Sized + postgres::ToStatement>(
        &mut self,
        query: &T,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> std::result::Result<postgres::Row, postgres::Error> {
        match self {
            PgConn::Tx(t) => t.query_one(query, params),
            PgConn::Raw(c) => c.query_one(query, params),
        }
    }

    pub(crate) fn query_opt<T: ?Sized + postgres::ToStatement>(
        &mut self,
        query: &T,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> std::result::Result<Option<postgres::Row>, postgres::Error> {
        match self {
            PgConn::Tx(t) => t.query_opt(query, params),
            PgConn::Raw(c) => c.query_opt(query, params),
        }
    }

    pub(crate) fn query_raw<T, P, I>(
        &mut self,
        query: &T,
        params: I,
    ) -> std::result::Result<postgres::RowIter<'_>, postgres::Error>
    where
        T: ?Sized + postgres::ToStatement,
        P: postgres::types::BorrowToSql,
        I: IntoIterator<Item = P>,
        I::IntoIter: ExactSizeIterator,
    {
        match self {
            PgConn::Tx(t) => t.query_raw(query, params),
            PgConn::Raw(c) => c.query_raw(query, params),
        }
    }

    pub(crate) fn prepare(
        &mut self,
        query: &str,
    ) -> std::result::Result<Statement, postgres::Error> {
        match self {
            PgConn::Tx(t) => t.prepare(query),
            PgConn::Raw(c) => c.prepare(query),
        }
    }

    pub(crate) fn batch_execute(
        &mut self,
        query: &str,
    ) -> std::result::Result<(), postgres::Error> {
        match self {
            PgConn::Tx(t) => t.batch_execute(query),
            PgConn::Raw(c) => c.batch_execute(query),
        }
    }

    pub(crate) fn copy_in<T: ?Sized + postgres::ToStatement>(
        &mut self,
        query: &T,
    ) -> std::result::Result<postgres::CopyInWriter<'_>, postgres::Error> {
        match self {
            PgConn::Tx(t) => t.copy_in(query),
            PgConn::Raw(c) => c.copy_in(query),
        }
    }
}

/// One PostgreSQL transaction: the implementation of [`Tx`].
pub struct PgTx<'c> {
    tx: PgConn<'c>,
    statements: &'c mut StatementCache,
    pending: crate::store::StanzaCounts,
}

impl PgTx<'_> {
    /// The prepared statement of `sql`, prepared on first use in this run and then reused
    /// (a prepared statement outlives the transaction that prepared it).
    pub(crate) fn st(&mut self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(sql).map_err(pg)?;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

impl Tx for PgTx<'_> {}

impl Pgsql {
    /// Connect, refuse a database without MongooseIM's tables (naming the first missing
    /// one) and bring our own tables up to date.
    pub fn open(target: &PgTarget) -> Result<Pgsql> {
        let mut client = target.connect()?;
        let at = |e: Error| locate(target, e);
        migrate::check_mongooseim_tables(&mut client).map_err(at)?;
        migrate::migrate(&mut client).map_err(at)?;
        debug!(location = %target.location(), "store opened");
        Ok(Pgsql {
            client,
            target: target.clone(),
            statements: HashMap::new(),
            outer: false,
        })
    }

    /// `init_schema`: load MongooseIM 5.1's schema and our tables into an empty database.
    pub fn init_schema(target: &PgTarget) -> Result<migrate::Loaded> {
        let mut client = target.connect()?;
        migrate::init_schema(&mut client).map_err(|e| locate(target, e))
    }

    fn in_transaction(
        &mut self,
        mode: Mode,
        commit: bool,
        work: &mut dyn FnMut(&mut PgTx<'_>) -> Result<()>,
    ) -> Result<()> {
        if self.outer {
            return self.in_savepoint(commit, work);
        }
        let mut run = |client: &mut Client, statements: &mut StatementCache| -> Result<()> {
            let mut builder = client.build_transaction();
            builder = match mode {
                Mode::Read => builder
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .read_only(true),
                Mode::Write => builder.isolation_level(IsolationLevel::ReadCommitted),
            };
            let mut tx = builder.start().map_err(pg)?;
            if mode == Mode::Write {
                tx.batch_execute(&format!(
                    "SET LOCAL lock_timeout = '{}ms'",
                    LOCK_TIMEOUT.as_millis()
                ))
                .map_err(pg)?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                    .map_err(pg)?;
            }
            let mut handle = PgTx {
                tx: PgConn::Tx(tx),
                statements,
                pending: Default::default(),
            };
            work(&mut handle)?;
            if let (true, PgConn::Tx(tx)) = (commit, handle.tx) {
                tx.commit().map_err(pg)?;
            }
            Ok(())
        };
        run(&mut self.client, &mut self.statements).map_err(|e| locate(&self.target, e))
    }

    /// Inside the outer transaction: `work` in a savepoint, released when it returns Ok (and
    /// `commit`), rolled back to otherwise.
    fn in_savepoint(
        &mut self,
        commit: bool,
        work: &mut dyn FnMut(&mut PgTx<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut run = |client: &mut Client, statements: &mut StatementCache| -> Result<()> {
            client.batch_execute("SAVEPOINT mimctl_unit").map_err(pg)?;
            let mut handle = PgTx {
                tx: PgConn::Raw(client),
                statements,
                pending: Default::default(),
            };
            let done = work(&mut handle);
            let keep = commit && done.is_ok();
            let ended = end_savepoint(&mut handle.tx, "mimctl_unit", keep);
            match (done, ended) {
                (done, Ok(())) => done,
                // The work's own store failure (the connection lost while it waited) says
                // what happened; the failed ROLLBACK TO after it only repeats it.
                (Err(e @ Error::Store(_)), Err(_)) => Err(e),
                // Otherwise the savepoint could not be ended: the transaction cannot go on.
                (_, Err(end)) => Err(end),
            }
        };
        run(&mut self.client, &mut self.statements).map_err(|e| locate(&self.target, e))
    }
}

/// Release the savepoint `name`, or roll back to it and release it.
fn end_savepoint(conn: &mut PgConn<'_>, name: &str, keep: bool) -> Result<()> {
    let end = if keep {
        format!("RELEASE SAVEPOINT {name}")
    } else {
        format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")
    };
    conn.batch_execute(&end).map_err(pg)
}

impl Backend for Pgsql {
    fn transaction(
        &mut self,
        mode: Mode,
        work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> Result<()> {
        self.in_transaction(mode, true, &mut |tx| work(tx))
    }

    fn check(&mut self, work: &mut dyn FnMut(&mut dyn CheckStore) -> Result<()>) -> Result<()> {
        self.in_transaction(Mode::Read, false, &mut |tx| work(tx))
    }

    fn location(&self) -> String {
        self.target.location()
    }

    /// `BEGIN` with what a write transaction takes first (`READ COMMITTED`, the lock timeout,
    /// the advisory write lock), once for the whole batch.
    fn begin_outer(&mut self) -> Result<()> {
        let begin = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '{}ms'; \
             SELECT pg_advisory_xact_lock({WRITE_LOCK})",
            LOCK_TIMEOUT.as_millis()
        );
        if let Err(e) = self.client.batch_execute(&begin) {
            let _ = self.client.batch_execute("ROLLBACK");
            return Err(locate(&self.target, pg(e)));
        }
        self.outer = true;
        Ok(())
    }

    fn line_begin(&mut self) -> Result<()> {
        self.client
            .batch_execute("SAVEPOINT mimctl_line")
            .map_err(|e| locate(&self.target, pg(e)))
    }

    fn line_end(&mut self, keep: bool) -> Result<()> {
        end_savepoint(&mut PgConn::Raw(&mut self.client), "mimctl_line", keep)
            .map_err(|e| locate(&self.target, e))
    }

    fn end_outer(&mut self, commit: bool) -> Result<()> {
        if !self.outer {
            return Ok(());
        }
        self.outer = false;
        // Every unit and line ran in a savepoint rolled back on its failure (a failed
        // ROLLBACK TO ends the batch with commit = false), so the transaction is not in the
        // failed state here.
        let end = if commit { "COMMIT" } else { "ROLLBACK" };
        match self.client.batch_execute(end) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK");
                Err(locate(&self.target, pg(e)))
            }
        }
    }
}

/// `Unavailable` texts get the store's location in front (as SQLite's get its path).
fn locate(target: &PgTarget, e: Error) -> Error {
    match e {
        Error::Store(StoreError::Unavailable(s)) if !s.starts_with("cannot connect") => {
            StoreError::Unavailable(format!("{}: {s}", target.location())).into()
        }
        other => other,
    }
}

/// A driver error on one line.
fn one_line(e: &postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut t = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                let more = s.to_string();
                if !t.contains(&more) {
                    t.push_str(": ");
                    t.push_str(&more);
                }
                source = s.source();
            }
            t
        }
    };
    text.replace(['\n', '\r'], " ")
}

/// Classify a PostgreSQL error by what the user must do about it.
pub fn classify(e: &postgres::Error) -> StoreError {
    let text = one_line(e);
    let lost = e.is_closed()
        || e.code().is_some_and(|c| {
            *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
        });
    if lost {
        // The server ended the session (shut down, restarted, the backend was terminated):
        // the open transaction was rolled back with it.
        return StoreError::Unavailable(format!("the connection to PostgreSQL was lost ({text})"));
    }
    let Some(code) = e.code() else {
        // No SQLSTATE: the connection failed or went away.
        return StoreError::Unavailable(format!("the PostgreSQL connection failed ({text})"));
    };
    if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED {
        StoreError::Busy {
            waited: LOCK_TIMEOUT,
        }
    } else if *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
    {
        StoreError::Unavailable(format!(
            "a concurrent transaction conflicted with this one; nothing was written, run the command again ({text})"
        ))
    } else if *code == SqlState::UNDEFINED_TABLE {
        StoreError::Unavailable(format!("a table is missing ({text})"))
    } else if code.code().starts_with("23") || code.code().starts_with("22") {
        // Integrity constraint violations and data exceptions (a value too long, ...).
        StoreError::Invalid(text)
    } else if code.code().starts_with("08")
        || code.code().starts_with("28")
        || code.code().starts_with("57")
        || code.code().starts_with("53")
        || *code == SqlState::READ_ONLY_SQL_TRANSACTION
    {
        // Connection, authorisation, operator intervention (shutdown), resources.
        StoreError::Unavailable(text)
    } else {
        StoreError::Internal(text)
    }
}

/// `map_err` adapter: a PostgreSQL error as our error.
pub(crate) fn pg(e: postgres::Error) -> Error {
    Error::Store(classify(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_never_shows_its_password() {
        let t = PgTarget {
            host: "db".into(),
            port: 5432,
            database: "mim".into(),
            username: "u".into(),
            password: PgPassword::Text("s3cret".into()),
            tls: None,
        };
        assert!(!format!("{t:?}").contains("s3cret"));
        assert_eq!(t.location(), "postgresql db:5432, database mim");
    }

    #[test]
    fn an_unreachable_server_is_one_line_naming_host_port_and_database() {
        // Port 1 on loopback: nothing listens there.
        let t = PgTarget {
            host: "127.0.0.1".into(),
            port: 1,
            database: "mim".into(),
            username: "u".into(),
            password: PgPassword::Text("s3cret".into()),
            tls: None,
        };
        let Err(Error::Store(StoreError::Unavailable(text))) = Pgsql::open(&t) else {
            panic!("connected to port 1?");
        };
        assert!(
            text.starts_with("cannot connect to PostgreSQL at 127.0.0.1:1 (database mim): "),
            "{text}"
        );
        assert!(!text.contains('\n') && !text.contains("s3cret"), "{text}");
    }
}
