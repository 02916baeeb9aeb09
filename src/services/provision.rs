//! Provisioning verbs (mongooseimctl extensions, issue 12): `ensure_account`,
//! `ensure_rosteritem` and `batch`. Each verb is split in two: a preparation with the context
//! (host-type lookups, SCRAM hashing: outside any transaction) and an application inside a
//! write transaction, where the read that decides whether anything changes happens. `batch`
//! runs a file of command lines through the normal dispatch path inside ONE outer write
//! transaction (each line in a savepoint of it).

use crate::compat::jid::Jid;
use crate::compat::scram;
use crate::context::Ctx;
use crate::error::{Error, Result, StoreError};
use crate::services::accounts::{password_change_input, Refusal};
use crate::services::roster::{
    bump_version, owner_and_contact, push_stanza, push_to_sessions, versions_kept, AddItem,
    MissingOwner,
};
use crate::store::{Ask, RosterItem, StoredPassword, Subscription, Tx};

/// The outcome of `ensure_account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnsureAccount {
    Created {
        jid: Jid,
    },
    /// The account existed with another password: the new one is stored.
    Updated {
        jid: Jid,
    },
    /// The account existed and the password already verifies: nothing was written.
    Unchanged {
        jid: Jid,
    },
    /// Refused before anything was read or written; the user and host as typed.
    Refused {
        user: String,
        host: String,
        reason: Refusal,
    },
}

impl EnsureAccount {
    pub fn changed(&self) -> bool {
        matches!(
            self,
            EnsureAccount::Created { .. } | EnsureAccount::Updated { .. }
        )
    }
}

/// An `ensure_account` ready to apply: the password's stored form is computed already.
struct AccountPlan {
    jid: Jid,
    password: String,
    cols: StoredPassword,
}

/// The outcome of `ensure_rosteritem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnsureItem {
    /// The item was written (`created`: there was none); as stored afterwards.
    Written { item: RosterItem, created: bool },
    /// The item already had exactly these values: nothing was written, nobody was told.
    Unchanged(RosterItem),
    /// `add_rosteritem`'s failures: the owner does not exist, or the subscription is not
    /// one of none, from, to, both (never `removed`: ensure deletes nothing).
    Failed(AddItem),
}

impl EnsureItem {
    pub fn changed(&self) -> bool {
        matches!(self, EnsureItem::Written { .. })
    }
}

/// An `ensure_rosteritem` ready to apply.
struct ItemPlan {
    owner: Jid,
    /// The owner as typed (for "does not exist").
    missing: MissingOwner,
    item: RosterItem,
    bump: bool,
}

/// A prepared line: either decided already (a refusal) or to apply in the transaction.
enum Step {
    Decided(Outcome),
    /// An `ensure_rosteritem` with an invalid subscription: refused, after the owner check.
    BadSubscription {
        owner: Jid,
        missing: MissingOwner,
        subs: String,
    },
    Account(AccountPlan),
    Item(ItemPlan),
}

/// What one provisioning call did.
#[derive(Debug)]
enum Outcome {
    Account(EnsureAccount),
    Item(EnsureItem),
}

fn prepare_account(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<Step> {
    let refused = |reason| {
        Ok(Step::Decided(Outcome::Account(EnsureAccount::Refused {
            user: user.to_string(),
            host: host.to_string(),
            reason,
        })))
    };
    let (jid, cols) = match password_change_input(ctx, user, host, pass)? {
        Ok(input) => input,
        Err(reason) => return refused(reason),
    };
    crate::store::limits::account(&jid)?;
    Ok(Step::Account(AccountPlan {
        jid,
        password: pass.to_string(),
        cols,
    }))
}

/// Inside the write: create the account, or verify the password against the stored one and
/// store the new one only when it does not verify.
fn apply_account(tx: &mut dyn Tx, plan: &AccountPlan) -> Result<EnsureAccount> {
    let jid = plan.jid.clone();
    match tx.password(&plan.jid)? {
        None => {
            if tx.insert_user(&plan.jid, &plan.cols)? {
                tracing::info!(user = %jid.bare(), "registered");
                Ok(EnsureAccount::Created { jid })
            } else {
                Ok(EnsureAccount::Unchanged { jid })
            }
        }
        Some(s) if scram::verify(&s.password, s.pass_details.as_deref(), &plan.password) => {
            Ok(EnsureAccount::Unchanged { jid })
        }
        Some(_) => {
            tx.set_password(&plan.jid, &plan.cols)?;
            Ok(EnsureAccount::Updated { jid })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn prepare_item(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
    nick: &str,
    group: &str,
    subs: &str,
) -> Result<Step> {
    let failed = |f| Ok(Step::Decided(Outcome::Item(EnsureItem::Failed(f))));
    let missing = || AddItem::NoSuchUser(MissingOwner::new(localuser, localserver));
    let Some((owner, contact)) = owner_and_contact(ctx, localuser, localserver, user, server)?
    else {
        return failed(missing());
    };
    let Some(subscription) = Subscription::from_name(subs) else {
        // The owner's existence decides first (add_rosteritem's order), inside the
        // transaction: in a batch, an earlier line may have created the owner.
        return Ok(Step::BadSubscription {
            owner,
            missing: MissingOwner::new(localuser, localserver),
            subs: subs.to_string(),
        });
    };
    let bump = versions_kept(ctx, &owner.server)?;
    crate::store::limits::roster_owner(&owner)?;
    let groups = if group.is_empty() {
        Vec::new()
    } else {
        vec![group.to_string()]
    };
    Ok(Step::Item(ItemPlan {
        owner: owner.clone(),
        missing: MissingOwner::new(localuser, localserver),
        item: RosterItem {
            owner,
            contact,
            nick: nick.to_string(),
            subscription,
            ask: Ask::None,
            askmessage: String::new(),
            groups,
        },
        bump,
    }))
}

/// Whether the stored item already has the values `add_rosteritem` would write.
fn same_values(stored: &RosterItem, wanted: &RosterItem) -> bool {
    stored.nick == wanted.nick
        && stored.subscription == wanted.subscription
        && stored.ask == wanted.ask
        && stored.askmessage == wanted.askmessage
        && stored.groups == wanted.groups
}

/// Inside the write: the owner's existence and the item as stored decide; only a change is
/// written, pushed to the owner's sessions and bumps the roster version.
fn apply_item(tx: &mut dyn Tx, plan: &ItemPlan) -> Result<EnsureItem> {
    let owner = &plan.owner;
    let contact = &plan.item.contact;
    if !tx.user_exists(owner)? {
        return Ok(EnsureItem::Failed(AddItem::NoSuchUser(
            plan.missing.clone(),
        )));
    }
    let before = tx.item(owner, contact)?;
    if let Some(stored) = before.as_ref().filter(|s| same_values(s, &plan.item)) {
        return Ok(EnsureItem::Unchanged(stored.clone()));
    }
    tx.put_item(&plan.item)?;
    let after = tx.item(owner, contact)?;
    push_to_sessions(tx, owner, &push_stanza(owner, after.as_ref(), contact))?;
    if plan.bump {
        bump_version(tx, owner)?;
    }
    Ok(EnsureItem::Written {
        item: after.unwrap_or_else(|| plan.item.clone()),
        created: before.is_none(),
    })
}

fn apply(tx: &mut dyn Tx, step: Step) -> Result<Outcome> {
    Ok(match step {
        Step::Decided(o) => o,
        Step::Account(plan) => Outcome::Account(apply_account(tx, &plan)?),
        Step::Item(plan) => Outcome::Item(apply_item(tx, &plan)?),
        Step::BadSubscription {
            owner,
            missing,
            subs,
        } => Outcome::Item(EnsureItem::Failed(if tx.user_exists(&owner)? {
            AddItem::BadSubscription {
                subs,
                removed: false,
            }
        } else {
            AddItem::NoSuchUser(missing)
        })),
    })
}

/// `ensure_account user host password`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn ensure_account(ctx: &mut Ctx, user: &str, host: &str, pass: &str) -> Result<EnsureAccount> {
    let step = prepare_account(ctx, user, host, pass)?;
    match run_one(ctx, step)? {
        Outcome::Account(a) => Ok(a),
        other => Err(unexpected(other)),
    }
}

/// `ensure_rosteritem localuser localserver user server nick group subs`.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub fn ensure_rosteritem(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
    nick: &str,
    group: &str,
    subs: &str,
) -> Result<EnsureItem> {
    let step = prepare_item(ctx, localuser, localserver, user, server, nick, group, subs)?;
    match run_one(ctx, step)? {
        Outcome::Item(i) => Ok(i),
        other => Err(unexpected(other)),
    }
}

fn run_one(ctx: &mut Ctx, step: Step) -> Result<Outcome> {
    match step {
        Step::Decided(o) => Ok(o),
        step => ctx.store()?.write(|tx| apply(tx, step)),
    }
}

fn unexpected(o: Outcome) -> Error {
    Error::Internal(format!("unexpected provisioning outcome {o:?}"))
}

/// The commands a batch line may not run: a nested batch, and the commands with effects
/// outside the store (files written, reports sent) or on the store's whole file
/// (docs/compat.md, issue 12). The built-ins (`status`, `help`, …) are refused too.
pub const BATCH_REFUSED: [&str; 7] = [
    "batch",
    "retrieve_personal_data",
    "export_xep0227",
    "send_system_metrics",
    "system_metrics_report",
    "init_schema",
    "check_store",
];

/// Why `command` cannot run as a batch line, if it cannot.
pub fn batch_refusal(command: &str) -> Option<String> {
    BATCH_REFUSED
        .contains(&command)
        .then(|| format!("{command} cannot run in a batch"))
}

/// What a batch line printed, kept instead of written (the capturing printer fills it).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Captured {
    /// What `-o text` prints for the command alone.
    pub text: String,
    /// The command's JSON `result` (success) or its error's extra fields (failure).
    pub json: Option<serde_json::Value>,
    /// The failure kind when the command's result is a failure (exit 1 alone).
    pub failure: Option<&'static str>,
}

/// What one batch line did.
#[derive(Debug)]
pub enum LineOutcome {
    /// The command ran (its result may be a failure).
    Ran(Captured),
    /// The line failed with an error (refused, unknown command, wrong arity, a crash, …).
    Error(Error),
}

impl LineOutcome {
    pub fn failed(&self) -> bool {
        match self {
            LineOutcome::Ran(c) => c.failure.is_some(),
            LineOutcome::Error(_) => true,
        }
    }
}

/// One line of a batch file and what it did.
#[derive(Debug)]
pub struct BatchLine {
    /// 1-based line number in the file.
    pub line: usize,
    /// The command as written (the first word; in the grouped form, the command after the
    /// group; empty when the line did not split into words).
    pub command: String,
    pub outcome: LineOutcome,
}

/// The outcome of `batch`.
#[derive(Debug)]
pub struct Batch {
    /// The lines run, in order (with stop-on-error, up to the first failed one).
    pub lines: Vec<BatchLine>,
    /// A line failed without `--continue`: the transaction was rolled back, nothing changed.
    pub rolled_back: bool,
}

impl Batch {
    pub fn failed(&self) -> bool {
        self.lines.iter().any(|l| l.outcome.failed())
    }
}

/// Split a batch file into (line number, words): `#` comments and blank lines skipped; a line
/// whose quoting does not close is an error line.
fn split_lines(text: &str) -> Vec<(usize, std::result::Result<Vec<String>, String>)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let words = shlex::split(trimmed)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| first_word(trimmed));
        out.push((i + 1, words));
    }
    out
}

fn first_word(line: &str) -> String {
    line.split_whitespace().next().unwrap_or("").to_string()
}

/// The command a line names, for the report: after an `--auth U H P` prefix, the first word,
/// or in the grouped form the second.
fn command_of(words: &[String]) -> String {
    let words = match words {
        [auth, _, _, _, rest @ ..] if auth == "--auth" => rest,
        w => w,
    };
    match words {
        [group, command, ..] if crate::registry::Group::from_name(group).is_some() => {
            command.clone()
        }
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// Whether a line's error ends the whole batch whatever `--continue` says: the store failed
/// (the transaction cannot go on).
fn fatal(e: &Error) -> bool {
    match e {
        // A value over one of MongooseIM's column limits, or one the store refused while
        // writing: the line's savepoint is rolled back and the transaction goes on.
        Error::Store(StoreError::Invalid(_)) => false,
        Error::Store(_) | Error::Internal(_) => true,
        _ => false,
    }
}

/// Run one line in a savepoint of the outer transaction, kept when the line succeeded.
/// A fatal error is returned (the caller rolls everything back).
fn run_line(
    ctx: &mut Ctx,
    runner: crate::context::LineRunner,
    words: &[String],
) -> Result<LineOutcome> {
    ctx.store()?.line_begin()?;
    let outcome = match runner(ctx, words) {
        Ok(c) => LineOutcome::Ran(c),
        Err(e) if fatal(&e) => return Err(e),
        Err(e) => LineOutcome::Error(e),
    };
    ctx.store()?.line_end(!outcome.failed())?;
    Ok(outcome)
}

/// `batch FILE [--continue]`: every line run as its command line (through dispatch, its
/// output captured) inside ONE outer write transaction, each line in a savepoint. Without
/// `keep_going` the first failed line rolls everything back; with it, a failed line's
/// savepoint is rolled back and the others commit.
#[tracing::instrument(level = "debug", skip_all)]
pub fn batch(ctx: &mut Ctx, file: &str, keep_going: bool) -> Result<Batch> {
    let text = if file == "-" {
        ctx.read_stdin_to_string()?
    } else {
        std::fs::read_to_string(file).map_err(|e| Error::Io(format!("cannot read {file}: {e}")))?
    };
    let Some(runner) = ctx.line_runner else {
        return Err(Error::Internal("batch: no command-line runner".into()));
    };
    let split = split_lines(&text);
    if split.is_empty() {
        return Ok(Batch {
            lines: Vec::new(),
            rolled_back: false,
        });
    }
    ctx.store()?.begin_outer()?;
    let mut lines = Vec::new();
    let mut rolled_back = false;
    for (line, words) in split {
        let (command, outcome) = match words {
            Err(first) => (
                first,
                LineOutcome::Error(Error::Input(format!("line {line}: unbalanced quotes"))),
            ),
            Ok(words) => match run_line(ctx, runner, &words) {
                Ok(outcome) => (command_of(&words), outcome),
                Err(e) => {
                    if let Ok(store) = ctx.store() {
                        let _ = store.end_outer(false);
                    }
                    return Err(e);
                }
            },
        };
        let failed = outcome.failed();
        lines.push(BatchLine {
            line,
            command,
            outcome,
        });
        if failed && !keep_going {
            rolled_back = true;
            break;
        }
    }
    ctx.store()?.end_outer(!rolled_back)?;
    Ok(Batch { lines, rolled_back })
}
