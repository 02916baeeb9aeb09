//! Group `roster` (service_admin_extra_roster).

use crate::compat::jid::Jid;
use crate::compat::xml::Element;
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::services::accounts::{existing_user, local_user, write_as_user};
use crate::store::{split_jid, Ask, RosterItem, Subscription, TemplateContact, Tx};

fn invalid_jid(user: &str, server: &str) -> Error {
    Crash::invalid_jid(user, server)
}

/// A roster contact: the bare JID of `user`@`server` (user may be empty); invalid → crash.
fn contact_jid(user: &str, server: &str) -> Result<Jid> {
    Jid::make(user, server, "")
        .filter(|j| !j.server.is_empty())
        .ok_or_else(|| invalid_jid(user, server))
}

/// Whether mod_roster keeps roster versions for the owners of `server` (versioning +
/// store_current_id): a change then bumps the owner's version.
pub(crate) fn versions_kept(ctx: &mut Ctx, server: &str) -> Result<bool> {
    let Some(ht) = ctx.host_type(server)? else {
        return Ok(false);
    };
    Ok(ctx
        .config
        .host_modules(&ht)
        .roster
        .is_some_and(|r| r.keeps_version()))
}

/// Store a new roster version for `owner` (XEP-0237): 40 lower-case hex characters, opaque.
pub(crate) fn bump_version(tx: &mut dyn Tx, owner: &Jid) -> Result<()> {
    use sha1::{Digest, Sha1};
    let seed = format!(
        "{}-{}-{}",
        crate::clock::now_micros(),
        crate::compat::scram::random_hex16(),
        owner.user
    );
    let digest = Sha1::digest(seed.as_bytes());
    let version: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    tx.set_roster_version(owner, &version)
}

/// The roster push a connected resource receives for a changed item (recorded as delivered).
pub(crate) fn push_stanza(owner: &Jid, item: Option<&RosterItem>, contact: &str) -> String {
    let mut it = Element::new("item").with_attr("jid", contact);
    match item {
        Some(i) => {
            if !i.nick.is_empty() {
                it = it.with_attr("name", &i.nick);
            }
            it = it.with_attr("subscription", i.subscription.name());
            for g in &i.groups {
                it = it.with_child(Element::new("group").with_text(g));
            }
        }
        None => it = it.with_attr("subscription", "remove"),
    }
    Element::new("iq")
        .with_attr("to", &owner.bare())
        .with_attr("type", "set")
        .with_attr(
            "id",
            &format!("push{}", crate::compat::scram::random_hex16()),
        )
        .with_child(
            Element::new("query")
                .with_attr("xmlns", "jabber:iq:roster")
                .with_child(it),
        )
        .to_xml()
}

/// Record a roster push to each connected resource of the owner.
pub(crate) fn push_to_sessions(tx: &mut dyn Tx, owner: &Jid, stanza: &str) -> Result<()> {
    crate::services::metrics::deliver(
        tx,
        owner,
        &owner.bare(),
        stanza,
        crate::clock::now_micros(),
    )?;
    Ok(())
}

/// An owner account that does not exist, as typed (user and host unprepared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingOwner {
    pub user: String,
    pub host: String,
}

impl MissingOwner {
    pub(crate) fn new(user: &str, host: &str) -> MissingOwner {
        MissingOwner {
            user: user.to_string(),
            host: host.to_string(),
        }
    }
}

/// The outcome of `add_rosteritem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddItem {
    /// The item was written; as stored afterwards.
    Added(RosterItem),
    /// The owner account does not exist.
    NoSuchUser(MissingOwner),
    /// `subs` is not one of none, from, to, both. With `remove`, 5.1 deletes the item first:
    /// `removed` tells whether an item was deleted.
    BadSubscription { subs: String, removed: bool },
}

/// The outcome of `delete_rosteritem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteItem {
    /// The contact is not (any more) in the owner's roster; `removed`: an item was deleted.
    Deleted {
        owner: Jid,
        contact: String,
        removed: bool,
    },
    /// The owner account does not exist.
    NoSuchUser(MissingOwner),
}

/// The outcome of `get_roster`: the items as 5.1 lists them (reverse store order, pending
/// inbound requests without subscription left out), with their groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub items: Vec<RosterItem>,
}

/// One roster item matched by `process_rosteritems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub owner: Jid,
    /// The contact's JID text as stored.
    pub contact: String,
}

/// A `process_rosteritems` pattern that does not compile as a regular expression.
pub use crate::compat::roster_filter::WrongRegexp;

/// A `process_rosteritems` pattern that used up its matching time.
pub use crate::compat::roster_filter::{Exhausted, PatternField};

/// The outcome of `process_rosteritems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Processed {
    /// The roster table holds no item at all.
    Empty,
    /// Every item (`total`) was examined; the matches in store order. With `deleted`, the
    /// matches are the items deleted: those that matched in the snapshot the matching ran on
    /// and still existed with a matching state inside the write transaction.
    Report {
        total: usize,
        matches: Vec<Match>,
        deleted: bool,
        /// Patterns that used up their time budget, then taken as not matching the JIDs they
        /// were not tried on.
        exhausted: Vec<Exhausted>,
    },
    /// Patterns that do not compile (users first, then contacts): nothing was examined.
    WrongRegexps(Vec<WrongRegexp>),
}

/// The outcome of `push_roster`, `push_roster_all` and `push_roster_alltoall`: how many
/// owners got how many items (in all) written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pushed {
    pub owners: usize,
    pub items: usize,
}

/// Delete the owner's item for `contact`, pushing the removal and bumping the version (when
/// kept) if there was one; whether there was.
fn remove_item(tx: &mut dyn Tx, owner: &Jid, contact: &str, bump: bool) -> Result<bool> {
    let removed = tx.delete_item(owner, contact)?;
    if removed {
        push_to_sessions(tx, owner, &push_stanza(owner, None, contact))?;
        if bump {
            bump_version(tx, owner)?;
        }
    }
    Ok(removed)
}

/// The owner and the contact's bare JID text of an item command, in 5.1's order of checks:
/// an owner whose JID or domain is invalid is missing; an invalid contact crashes, unless the
/// owner does not exist (a read; the write re-checks the owner in its own transaction).
/// `Ok(None)`: the owner is missing.
pub(crate) fn owner_and_contact(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
) -> Result<Option<(Jid, String)>> {
    let Some(owner) = local_user(ctx, localuser, localserver)? else {
        return Ok(None);
    };
    match contact_jid(user, server) {
        Ok(c) => Ok(Some((owner, c.bare()))),
        Err(crash) => match existing_user(ctx, localuser, localserver)? {
            None => Ok(None),
            Some(_) => Err(crash),
        },
    }
}

/// `add_rosteritem localuser localserver user server nick group subs`.
///
/// The owner's existence is checked inside the write transaction (a concurrent `unregister`
/// is either before it — nothing written, "does not exist" — or after it, and then removes
/// the item): no orphan item. Where nothing is written (an invalid contact, an invalid
/// subscription other than `remove`), a plain read decides, as 5.1's order of checks says.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub fn add_rosteritem(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
    nick: &str,
    group: &str,
    subs: &str,
) -> Result<AddItem> {
    let missing = || AddItem::NoSuchUser(MissingOwner::new(localuser, localserver));
    let Some((owner, contact_text)) = owner_and_contact(ctx, localuser, localserver, user, server)?
    else {
        return Ok(missing());
    };
    let bump = versions_kept(ctx, &owner.server)?;
    let Some(code) = Subscription::from_name(subs) else {
        // As 5.1: subscription `remove` deletes the item, then reports the value as incorrect.
        // Other values: nothing is written (5.1 writes the item with `none` first; docs/compat.md).
        let removed = if subs == "remove" {
            write_as_user(ctx, &owner, |tx| {
                remove_item(tx, &owner, &contact_text, bump)
            })?
        } else {
            existing_user(ctx, localuser, localserver)?.map(|_| false)
        };
        return Ok(match removed {
            None => missing(),
            Some(removed) => AddItem::BadSubscription {
                subs: subs.to_string(),
                removed,
            },
        });
    };
    let new_item = RosterItem {
        owner: owner.clone(),
        contact: contact_text.clone(),
        nick: nick.to_string(),
        subscription: code,
        ask: Ask::None,
        askmessage: String::new(),
        groups: vec![group.to_string()],
    };
    let stored = write_as_user(ctx, &owner, |tx| {
        crate::store::limits::roster_owner(&owner)?;
        tx.put_item(&new_item)?;
        let item = tx.item(&owner, &contact_text)?;
        push_to_sessions(
            tx,
            &owner,
            &push_stanza(&owner, item.as_ref(), &contact_text),
        )?;
        if bump {
            bump_version(tx, &owner)?;
        }
        Ok(item)
    })?;
    Ok(match stored {
        None => missing(),
        Some(stored) => AddItem::Added(stored.unwrap_or(new_item)),
    })
}

/// `delete_rosteritem localuser localserver user server`: the owner's existence is checked
/// inside the write transaction, as for `add_rosteritem`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_rosteritem(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
) -> Result<DeleteItem> {
    let missing = || DeleteItem::NoSuchUser(MissingOwner::new(localuser, localserver));
    let Some((owner, contact)) = owner_and_contact(ctx, localuser, localserver, user, server)?
    else {
        return Ok(missing());
    };
    let bump = versions_kept(ctx, &owner.server)?;
    let removed = write_as_user(ctx, &owner, |tx| remove_item(tx, &owner, &contact, bump))?;
    Ok(match removed {
        None => missing(),
        Some(removed) => DeleteItem::Deleted {
            owner,
            contact,
            removed,
        },
    })
}

/// The bare JID of `user`@`host` in a known domain; otherwise the 5.1 crash.
fn local_jid(ctx: &mut Ctx, user: &str, host: &str) -> Result<Jid> {
    let jid = Jid::make(user, host, "").ok_or_else(|| invalid_jid(user, host))?;
    if ctx.host_type(&jid.server)?.is_none() {
        return Err(Crash::unknown_domain(&jid.server));
    }
    Ok(jid)
}

/// `get_roster user host`.
pub fn get_roster(ctx: &mut Ctx, user: &str, host: &str) -> Result<Roster> {
    let jid = local_jid(ctx, user, host)?;
    let mut items = ctx.store()?.read(|tx| tx.items(&jid))?;
    items.reverse();
    items.retain(|it| !(it.subscription == Subscription::None && it.ask == Ask::In));
    Ok(Roster { items })
}

/// Test hook, debug builds only (never in a release binary): `MONGOOSEIMCTL_TEST_PAUSE_MS`
/// stretches the matching phase of process_rosteritems, so that a test can write while it
/// runs (PCRE's per-subject match limits make real matching too fast to race reliably).
fn test_pause_after_snapshot() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("MONGOOSEIMCTL_TEST_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// `process_rosteritems action subs asks users contacts`.
///
/// Every pattern is compiled once; the items are read in a read transaction (a snapshot) and
/// matched with no transaction open, each distinct owner and contact JID once, each pattern
/// within its time budget ([`crate::compat::roster_filter::PATTERN_BUDGET`]). With `delete`,
/// the write transaction is taken only then: each matched item is re-read inside it and
/// deleted if it still exists and its subscription state still matches (its owner and
/// contact are its key, so their results stand); an item deleted or changed so that it no
/// longer matches in the meantime is left alone and not reported. Concurrent writers never
/// wait for the matching.
#[tracing::instrument(level = "debug", skip_all)]
pub fn process_rosteritems(
    ctx: &mut Ctx,
    action: &str,
    subs: &str,
    asks: &str,
    users: &str,
    contacts: &str,
) -> Result<Processed> {
    use crate::compat::roster_filter::{parse_filter, Action, FilterError, PATTERN_BUDGET};
    let parse = |s: &str| Jid::parse(s).map(|j| (j.user, j.server));
    let filter = match parse_filter(action, subs, asks, users, contacts, &parse) {
        Ok(f) => f,
        Err(FilterError::Invalid(msg)) => {
            return Err(Error::Input(format!("process_rosteritems: {msg}")))
        }
        Err(FilterError::WrongRegexps(lines)) => return Ok(Processed::WrongRegexps(lines)),
        Err(FilterError::InvalidJidPattern(p)) => {
            return Err(Error::Crash(Crash::InvalidJidPattern(p)))
        }
    };
    let delete = filter.action == Action::Delete;
    let all = ctx.store()?.read(|tx| tx.all_items())?;
    if all.is_empty() {
        return Ok(Processed::Empty);
    }
    test_pause_after_snapshot();
    let mut run = filter.run(PATTERN_BUDGET);
    let matched: Vec<&RosterItem> = all
        .iter()
        .filter(|it| {
            run.matches(
                it.subscription.name(),
                it.ask.name(),
                (&it.owner.user, &it.owner.server),
                split_jid(&it.contact),
            )
        })
        .collect();
    let exhausted = run.exhausted();
    let as_match = |it: &RosterItem| Match {
        owner: it.owner.clone(),
        contact: it.contact.clone(),
    };
    if !delete {
        return Ok(Processed::Report {
            total: all.len(),
            matches: matched.into_iter().map(as_match).collect(),
            deleted: false,
            exhausted,
        });
    }
    // Owners' domains whose roster versions are kept: a deletion bumps the owner's version.
    let mut versioned = std::collections::HashSet::new();
    let mut servers = std::collections::BTreeSet::new();
    for it in &matched {
        servers.insert(it.owner.server.as_str());
    }
    for server in servers {
        if versions_kept(ctx, server)? {
            versioned.insert(server.to_string());
        }
    }
    let guard = ctx.guard();
    let deleted = ctx.store()?.write(|tx| {
        // Owners whose roster changed, in first-change order.
        let mut changed: Vec<&Jid> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut deleted = Vec::new();
        // The items that still match in the write: what is confirmed, then deleted.
        let mut doomed = Vec::with_capacity(matched.len());
        for it in &matched {
            let still = tx.item_state(&it.owner, &it.contact)?;
            let Some((sub, ask)) = still else { continue };
            if filter.accepts_state(sub.name(), ask.name()) {
                doomed.push(*it);
            }
        }
        guard.check(doomed.len() as u64, "")?;
        for it in doomed {
            if tx.delete_item(&it.owner, &it.contact)? {
                deleted.push(as_match(it));
                if versioned.contains(&it.owner.server) && seen.insert(&it.owner) {
                    changed.push(&it.owner);
                }
            }
        }
        for owner in changed {
            bump_version(tx, owner)?;
        }
        Ok(deleted)
    })?;
    Ok(Processed::Report {
        total: all.len(),
        matches: deleted,
        deleted: true,
        exhausted,
    })
}

/// The entries of a template, one at a time; a malformed file is refused, named in
/// `command`'s error (after any entries read before the problem: the caller writes in one
/// transaction, rolled back on that error).
fn template_entries<'a>(
    command: &'a str,
    file: &'a str,
    bytes: &'a [u8],
) -> impl Iterator<Item = Result<crate::compat::erlang::RosterTemplateEntry>> + 'a {
    crate::compat::erlang::roster_template(bytes)
        .map(move |e| e.map_err(|e| Error::Input(format!("{command}: {file}: {e}"))))
}

/// A validated template entry: its contact JID.
fn entry_jid(e: &crate::compat::erlang::RosterTemplateEntry) -> Result<Jid> {
    contact_jid(&e.user, &e.server)
}

/// The item a template entry gives an owner: subscription both, ask none, one group.
fn template_item(
    owner: &Jid,
    contact: &str,
    e: &crate::compat::erlang::RosterTemplateEntry,
) -> RosterItem {
    RosterItem {
        owner: owner.clone(),
        contact: contact.to_string(),
        nick: e.nick.clone(),
        subscription: Subscription::Both,
        ask: Ask::None,
        askmessage: String::new(),
        groups: vec![e.group.clone()],
    }
}

/// `push_roster file user host`.
///
/// The template is parsed twice, streaming, from its bytes read once: first to check it (its
/// syntax, then the owner, then each entry's JID, in 5.1's order), then inside the write
/// transaction to write each entry as it is read. Memory stays about the file's size.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster(ctx: &mut Ctx, file: &str, user: &str, host: &str) -> Result<Pushed> {
    let bytes = ctx.read_file_arg(file)?;
    // The first invalid contact, reported only if the file parses (and the owner is valid).
    let mut bad_contact = None;
    let mut count = 0usize;
    for e in template_entries("push_roster", file, &bytes) {
        let e = e?;
        if e.user == user && e.server == host {
            continue;
        }
        count += 1;
        if bad_contact.is_none() {
            bad_contact = entry_jid(&e).err();
        }
    }
    let owner = local_jid(ctx, user, host)?;
    if let Some(crash) = bad_contact {
        return Err(crash);
    }
    let bump = versions_kept(ctx, &owner.server)?;
    if count > 0 {
        crate::store::limits::roster_owner(&owner)?;
    }
    let bar = ctx.progress("writing roster items", count as u64);
    ctx.store()?.write(|tx| {
        for e in template_entries("push_roster", file, &bytes) {
            let e = e?;
            if e.user == user && e.server == host {
                continue;
            }
            let jid = entry_jid(&e)?.bare();
            tx.put_item(&template_item(&owner, &jid, &e))?;
            bar.inc(1);
        }
        if bump && count > 0 {
            bump_version(tx, &owner)?;
        }
        Ok(())
    })?;
    Ok(Pushed {
        owners: usize::from(count > 0),
        items: count,
    })
}

/// `push_roster_all file`: every entry gets every other one (entries written alike are not
/// added to each other).
///
/// As `push_roster`, the template is checked in a first streaming pass (syntax, then each
/// entry's JID and domain in order), then streamed into the store's bulk write
/// ([`crate::store::RosterStore::put_template_all`]: set-based, time linear in the items
/// written) inside the write transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster_all(ctx: &mut Ctx, file: &str) -> Result<Pushed> {
    use std::collections::{HashMap, HashSet};
    let bytes = ctx.read_file_arg(file)?;
    // The first entry that is not a valid JID in a known domain (5.1 checks them in turn),
    // reported only if the whole file parses.
    let mut bad = None;
    // Entries per raw (user, server), the distinct owners in order, their domains.
    let mut keys: HashMap<(String, String), usize> = HashMap::new();
    let mut owners: Vec<Jid> = Vec::new();
    let mut seen_owners: HashSet<Jid> = HashSet::new();
    let mut servers: HashMap<String, bool> = HashMap::new();
    let mut entries = 0usize;
    for e in template_entries("push_roster_all", file, &bytes) {
        let e = e?;
        if bad.is_some() {
            continue;
        }
        let j = match entry_jid(&e) {
            Ok(j) => j,
            Err(crash) => {
                bad = Some(crash);
                continue;
            }
        };
        let known = match servers.get(&j.server) {
            Some(&known) => known,
            None => {
                let known = ctx.host_type(&j.server)?.is_some();
                servers.insert(j.server.clone(), known);
                known
            }
        };
        if !known {
            bad = Some(Crash::unknown_domain(&j.server));
            continue;
        }
        entries += 1;
        *keys.entry((e.user, e.server)).or_default() += 1;
        if seen_owners.insert(j.clone()) {
            owners.push(j);
        }
    }
    if let Some(crash) = bad {
        return Err(crash);
    }
    if keys.len() >= 2 {
        for owner in &owners {
            crate::store::limits::roster_owner(owner)?;
        }
    }
    let mut bumps = HashSet::new();
    for server in servers.keys() {
        if versions_kept(ctx, server)? {
            bumps.insert(server.clone());
        }
    }
    // Every entry gets the entries written differently; nobody gets anything if all are alike.
    let items: usize = keys.values().map(|&n| n * (entries - n)).sum();
    let changed = keys.len() >= 2;
    let _spinner = ctx.spinner("writing roster items");
    ctx.store()?.write(|tx| {
        let mut stream = template_entries("push_roster_all", file, &bytes).map(|e| {
            let e = e?;
            Ok(TemplateContact {
                jid: entry_jid(&e)?,
                raw_user: e.user,
                raw_server: e.server,
                nick: e.nick,
                group: e.group,
            })
        });
        tx.put_template_all(&mut stream)?;
        if changed {
            for owner in owners.iter().filter(|o| bumps.contains(&o.server)) {
                bump_version(tx, owner)?;
            }
        }
        Ok(())
    })?;
    Ok(Pushed {
        owners: if changed { entries } else { 0 },
        items,
    })
}

/// `push_roster_alltoall host group`: every registered user of `host` gets every other one,
/// in one transaction, with prepared statements.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster_alltoall(ctx: &mut Ctx, host: &str, group: &str) -> Result<Pushed> {
    let nothing = Pushed {
        owners: 0,
        items: 0,
    };
    let Some(server) = crate::compat::jid::nameprep(host) else {
        return Ok(nothing);
    };
    if ctx.host_type(&server)?.is_none() {
        return Ok(nothing);
    }
    let bump = versions_kept(ctx, &server)?;
    let guard = ctx.guard();
    let _spinner = ctx.spinner("writing roster items");
    ctx.store()?.write(|tx| {
        let users = tx.usernames(&server)?;
        if users.len() < 2 {
            return Ok(nothing);
        }
        let n = users.len() as u64;
        guard.check(
            n * (n - 1),
            &format!(" for {n} accounts on {server} (group {})", p_group(group)),
        )?;
        let jids: Vec<String> = users.iter().map(|u| format!("{u}@{server}")).collect();
        tx.put_all_to_all(&server, &users, &jids, group)?;
        if bump {
            for u in &users {
                let owner = Jid {
                    user: u.clone(),
                    server: server.clone(),
                    resource: String::new(),
                };
                bump_version(tx, &owner)?;
            }
        }
        Ok(Pushed {
            owners: users.len(),
            items: users.len() * (users.len() - 1),
        })
    })
}

/// A roster group name in a prompt (quoted, so that an empty one shows).
fn p_group(group: &str) -> String {
    crate::compat::erlang::p_string(group)
}
