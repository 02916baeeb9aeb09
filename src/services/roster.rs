//! Group `roster` (service_admin_extra_roster).

use crate::compat::jid::Jid;
use crate::compat::xml::Element;
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::services::accounts::existing_user;
use crate::store::{split_jid, Ask, RosterItem, Subscription, Tx};

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
fn versions_kept(ctx: &mut Ctx, server: &str) -> Result<bool> {
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
fn bump_version(tx: &mut dyn Tx, owner: &Jid) -> Result<()> {
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
fn push_stanza(owner: &Jid, item: Option<&RosterItem>, contact: &str) -> String {
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
fn push_to_sessions(tx: &mut dyn Tx, owner: &Jid, stanza: &str) -> Result<()> {
    tx.deliver(owner, &owner.bare(), stanza, crate::clock::now_micros())?;
    Ok(())
}

/// An owner account that does not exist, as typed (user and host unprepared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingOwner {
    pub user: String,
    pub host: String,
}

impl MissingOwner {
    fn new(user: &str, host: &str) -> MissingOwner {
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

/// The outcome of `process_rosteritems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Processed {
    /// The roster table holds no item at all.
    Empty,
    /// Every item (`total`) was examined; the matches in store order, deleted if `deleted`.
    Report {
        total: usize,
        matches: Vec<Match>,
        deleted: bool,
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

/// `add_rosteritem localuser localserver user server nick group subs`.
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
    let Some(owner) = existing_user(ctx, localuser, localserver)? else {
        return Ok(AddItem::NoSuchUser(MissingOwner::new(
            localuser,
            localserver,
        )));
    };
    let contact_text = contact_jid(user, server)?.bare();
    let bump = versions_kept(ctx, &owner.server)?;
    let Some(code) = Subscription::from_name(subs) else {
        // As 5.1: subscription `remove` deletes the item, then reports the value as incorrect.
        // Other values: nothing is written (5.1 writes the item with `none` first; docs/compat.md).
        let removed = subs == "remove"
            && ctx
                .store()?
                .write(|tx| remove_item(tx, &owner, &contact_text, bump))?;
        return Ok(AddItem::BadSubscription {
            subs: subs.to_string(),
            removed,
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
    let stored = ctx.store()?.write(|tx| {
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
    Ok(AddItem::Added(stored.unwrap_or(new_item)))
}

/// `delete_rosteritem localuser localserver user server`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_rosteritem(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
) -> Result<DeleteItem> {
    let Some(owner) = existing_user(ctx, localuser, localserver)? else {
        return Ok(DeleteItem::NoSuchUser(MissingOwner::new(
            localuser,
            localserver,
        )));
    };
    let contact = contact_jid(user, server)?.bare();
    let bump = versions_kept(ctx, &owner.server)?;
    let removed = ctx
        .store()?
        .write(|tx| remove_item(tx, &owner, &contact, bump))?;
    Ok(DeleteItem::Deleted {
        owner,
        contact,
        removed,
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

/// `process_rosteritems action subs asks users contacts`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn process_rosteritems(
    ctx: &mut Ctx,
    action: &str,
    subs: &str,
    asks: &str,
    users: &str,
    contacts: &str,
) -> Result<Processed> {
    use crate::compat::roster_filter::{parse_filter, Action, FilterError};
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
    // Owners' domains whose roster versions are kept: a deletion bumps the owner's version.
    let mut versioned = std::collections::HashSet::new();
    if delete {
        for server in ctx.store()?.read(|tx| tx.owner_servers())? {
            if versions_kept(ctx, &server)? {
                versioned.insert(server);
            }
        }
    }
    ctx.store()?.write(|tx| {
        let all = tx.all_items()?;
        if all.is_empty() {
            return Ok(Processed::Empty);
        }
        // Owners whose roster changed, in first-change order.
        let mut changed: Vec<&Jid> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut matches = Vec::new();
        for it in &all {
            let (cu, cs) = split_jid(&it.contact);
            if filter.matches(
                it.subscription.name(),
                it.ask.name(),
                &it.owner.user,
                &it.owner.server,
                cu,
                cs,
            ) {
                matches.push(Match {
                    owner: it.owner.clone(),
                    contact: it.contact.clone(),
                });
                if delete
                    && tx.delete_item(&it.owner, &it.contact)?
                    && versioned.contains(&it.owner.server)
                    && seen.insert(&it.owner)
                {
                    changed.push(&it.owner);
                }
            }
        }
        for owner in changed {
            bump_version(tx, owner)?;
        }
        Ok(Processed::Report {
            total: all.len(),
            matches,
            deleted: delete,
        })
    })
}

/// The entries of a template file; a malformed file is refused, named in `command`'s error.
fn read_template(
    command: &str,
    file: &str,
) -> Result<Vec<crate::compat::erlang::RosterTemplateEntry>> {
    let bytes =
        std::fs::read(file).map_err(|e| crate::services::accounts::read_file_crash(file, &e))?;
    crate::compat::erlang::parse_roster_template(&bytes)
        .map_err(|e| Error::Input(format!("{command}: {file}: {e}")))
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
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster(ctx: &mut Ctx, file: &str, user: &str, host: &str) -> Result<Pushed> {
    let entries = read_template("push_roster", file)?;
    let owner = local_jid(ctx, user, host)?;
    let mut items = Vec::new();
    for e in &entries {
        if e.user == user && e.server == host {
            continue;
        }
        items.push((entry_jid(e)?.bare(), e));
    }
    let bump = versions_kept(ctx, &owner.server)?;
    ctx.store()?.write(|tx| {
        for (jid, e) in &items {
            tx.put_item(&template_item(&owner, jid, e))?;
        }
        if bump && !items.is_empty() {
            bump_version(tx, &owner)?;
        }
        Ok(())
    })?;
    Ok(Pushed {
        owners: usize::from(!items.is_empty()),
        items: items.len(),
    })
}

/// `push_roster_all file`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster_all(ctx: &mut Ctx, file: &str) -> Result<Pushed> {
    let entries = read_template("push_roster_all", file)?;
    let mut jids = Vec::with_capacity(entries.len());
    for e in &entries {
        let j = entry_jid(e)?;
        if ctx.host_type(&j.server)?.is_none() {
            return Err(Crash::unknown_domain(&j.server));
        }
        jids.push(j);
    }
    let mut bumps = Vec::new();
    for j in &jids {
        bumps.push(versions_kept(ctx, &j.server)?);
    }
    ctx.store()?.write(|tx| {
        let mut pushed = Pushed {
            owners: 0,
            items: 0,
        };
        for (ai, a) in entries.iter().enumerate() {
            let owner = &jids[ai];
            let mut changed = false;
            for (bi, b) in entries.iter().enumerate() {
                if b.user == a.user && b.server == a.server {
                    continue;
                }
                tx.put_item(&template_item(owner, &jids[bi].bare(), b))?;
                pushed.items += 1;
                changed = true;
            }
            if changed {
                pushed.owners += 1;
                if bumps[ai] {
                    bump_version(tx, owner)?;
                }
            }
        }
        Ok(pushed)
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
    ctx.store()?.write(|tx| {
        let users = tx.usernames(&server)?;
        if users.len() < 2 {
            return Ok(nothing);
        }
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
