//! Group `roster` (service_admin_extra_roster).

use rusqlite::params;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::compat::jid::Jid;
use crate::services::accounts::existing_user;
use crate::store::roster::{self, ask_name, subscription_code, subscription_name};
use crate::value::Value;
use crate::compat::xml::Element;

fn invalid_jid(user: &str, server: &str) -> Error {
    Error::crash(format!(
        "error {{invalid_jid,<<\"{user}\">>,<<\"{server}\">>}}"
    ))
}

/// A roster contact: the bare JID of `user`@`server` (user may be empty); invalid → crash.
fn contact_jid(user: &str, server: &str) -> Result<Jid> {
    Jid::make(user, server, "")
        .filter(|j| !j.server.is_empty())
        .ok_or_else(|| invalid_jid(user, server))
}

/// Bump the owner's roster version when mod_roster keeps one (versioning + store_current_id).
fn bump_version_if_kept(ctx: &mut Ctx, owner: &Jid) -> Result<bool> {
    let Some(ht) = ctx.host_type(&owner.server)? else {
        return Ok(false);
    };
    Ok(ctx.config.module_opts(&ht, "mod_roster").is_some_and(|m| {
        m.get_bool("versioning") == Some(true) && m.get_bool("store_current_id") == Some(true)
    }))
}

/// The roster push a connected resource receives for a changed item (recorded as delivered).
fn push_stanza(owner: &Jid, item: Option<&roster::Item>, contact: &str) -> String {
    let mut it = Element::new("item").with_attr("jid", contact);
    match item {
        Some(i) => {
            if !i.nick.is_empty() {
                it = it.with_attr("name", &i.nick);
            }
            it = it.with_attr("subscription", subscription_name(&i.subscription));
            for g in &i.groups {
                it = it.with_child(Element::new("group").with_text(g));
            }
        }
        None => it = it.with_attr("subscription", "remove"),
    }
    Element::new("iq")
        .with_attr("to", &owner.bare())
        .with_attr("type", "set")
        .with_attr("id", &format!("push{}", crate::compat::scram::random_hex16()))
        .with_child(
            Element::new("query")
                .with_attr("xmlns", "jabber:iq:roster")
                .with_child(it),
        )
        .to_xml()
}

/// Record a roster push to each connected resource of the owner.
fn push_to_sessions(tx: &rusqlite::Connection, owner: &Jid, stanza: &str) -> Result<()> {
    let now = crate::clock::now_micros();
    tx.prepare_cached(
        "INSERT INTO mongooseimctl_delivered (server, username, resource, from_jid, packet, delivered_at) \
         SELECT server, username, resource, ?3, ?4, ?5 FROM mongooseimctl_sessions \
         WHERE server = ?1 AND username = ?2 ORDER BY resource",
    )?
    .execute(params![owner.server, owner.user, owner.bare(), stanza, now])?;
    Ok(())
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
) -> Result<Value> {
    let Some(owner) = existing_user(ctx, localuser, localserver)? else {
        return Ok(Value::fail(format!(
            "Cannot add the item because user {localuser}@{localserver} does not exist"
        )));
    };
    let contact_text = contact_jid(user, server)?.bare();
    let bump = bump_version_if_kept(ctx, &owner)?;
    let sub_incorrect =
        format!("Sub {subs} is incorrect. Choose one of the following:\nnone\nfrom\nto\nboth");
    let Some(code) = subscription_code(subs) else {
        if subs == "remove" {
            // As 5.1: subscription `remove` deletes the item, then reports the value as incorrect.
            ctx.store()?.write(|tx| {
                if roster::delete(tx, &owner.server, &owner.user, &contact_text)? {
                    push_to_sessions(tx, &owner, &push_stanza(&owner, None, &contact_text))?;
                    if bump {
                        roster::bump_version(tx, &owner.server, &owner.user)?;
                    }
                }
                Ok(())
            })?;
        }
        // Other values: nothing is written (5.1 writes the item with `none` first; docs/compat.md).
        return Ok(Value::fail(sub_incorrect));
    };
    let groups: Vec<&str> = if group.is_empty() {
        vec![]
    } else {
        vec![group]
    };
    ctx.store()?.write(|tx| {
        roster::upsert(
            tx,
            &owner.server,
            &owner.user,
            &contact_text,
            nick,
            code,
            "N",
            "",
            &groups,
        )?;
        let item = roster::get(tx, &owner.server, &owner.user, &contact_text)?;
        push_to_sessions(
            tx,
            &owner,
            &push_stanza(&owner, item.as_ref(), &contact_text),
        )?;
        if bump {
            roster::bump_version(tx, &owner.server, &owner.user)?;
        }
        Ok(())
    })?;
    Ok(Value::ok(format!(
        "Added the item to the roster of {}",
        owner.bare()
    )))
}

/// `delete_rosteritem localuser localserver user server`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn delete_rosteritem(
    ctx: &mut Ctx,
    localuser: &str,
    localserver: &str,
    user: &str,
    server: &str,
) -> Result<Value> {
    let Some(owner) = existing_user(ctx, localuser, localserver)? else {
        return Ok(Value::fail(format!(
            "Cannot delete the item because user {localuser}@{localserver} doest not exist"
        )));
    };
    let contact_text = contact_jid(user, server)?.bare();
    let bump = bump_version_if_kept(ctx, &owner)?;
    ctx.store()?.write(|tx| {
        if roster::delete(tx, &owner.server, &owner.user, &contact_text)? {
            push_to_sessions(tx, &owner, &push_stanza(&owner, None, &contact_text))?;
            if bump {
                roster::bump_version(tx, &owner.server, &owner.user)?;
            }
        }
        Ok(())
    })?;
    Ok(Value::ok(format!(
        "The item removed from roster of {}",
        owner.bare()
    )))
}

/// `get_roster user host`.
pub fn get_roster(ctx: &mut Ctx, user: &str, host: &str) -> Result<Value> {
    let jid = Jid::make(user, host, "").ok_or_else(|| invalid_jid(user, host))?;
    if ctx.host_type(&jid.server)?.is_none() {
        return Err(Error::crash(format!(
            "error {{unknown_domain,<<\"{}\">>}}",
            jid.server
        )));
    }
    let items = roster::items(ctx.store()?.conn(), &jid.server, &jid.user)?;
    let mut out = Vec::new();
    for it in items.iter().rev() {
        if it.subscription == "N" && it.ask == "I" {
            continue;
        }
        let row = |group: &str| {
            Value::Tuple(vec![
                Value::Text(it.jid.clone()),
                Value::Text(it.nick.clone()),
                Value::Text(subscription_name(&it.subscription).to_string()),
                Value::Text(ask_name(&it.ask).to_string()),
                Value::Text(group.to_string()),
            ])
        };
        if it.groups.is_empty() {
            out.push(row(""));
        } else {
            for g in &it.groups {
                out.push(row(g));
            }
        }
    }
    Ok(Value::List(out))
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
) -> Result<Value> {
    use crate::compat::roster_filter::{parse_filter, Action, FilterError};
    let parse = |s: &str| Jid::parse(s).map(|j| (j.user, j.server));
    let filter = match parse_filter(action, subs, asks, users, contacts, &parse) {
        Ok(f) => f,
        Err(FilterError::Invalid(msg)) => {
            return Err(Error::Input(format!("process_rosteritems: {msg}")))
        }
        Err(FilterError::WrongRegexps(lines)) => {
            let mut text = lines.join("\n");
            text.push('\n');
            return Ok(Value::Text(text));
        }
        Err(FilterError::InvalidJidPattern(p)) => {
            return Err(Error::crash(format!(
                "error {{invalid_jid_pattern,<<\"{p}\">>}}"
            )))
        }
    };
    let delete = filter.action == Action::Delete;
    // Owners' domains whose roster versions are kept: a deletion bumps the owner's version.
    let mut versioned = std::collections::HashSet::new();
    if delete {
        for server in roster::owner_servers(ctx.store()?.conn())? {
            let probe = Jid {
                user: String::new(),
                server,
                resource: String::new(),
            };
            if bump_version_if_kept(ctx, &probe)? {
                versioned.insert(probe.server);
            }
        }
    }
    let text = ctx.store()?.write(|tx| {
        let all = roster::all_items(tx)?;
        if all.is_empty() {
            return Ok("Roster table is empty.\n".to_string());
        }
        // Owners whose roster changed, in first-change order.
        let mut changed: Vec<(&str, &str)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut text = format!("There are {} roster items in total.\n", all.len());
        for it in &all {
            let (cu, cs) = roster::split_jid(&it.jid);
            if filter.matches(
                subscription_name(&it.subscription),
                ask_name(&it.ask),
                &it.username,
                &it.server,
                cu,
                cs,
            ) {
                text.push_str(&format!(
                    "Matches: {}@{} {}@{}\n",
                    it.username, it.server, cu, cs
                ));
                if delete
                    && roster::delete(tx, &it.server, &it.username, &it.jid)?
                    && versioned.contains(&it.server)
                    && seen.insert((it.server.as_str(), it.username.as_str()))
                {
                    changed.push((&it.server, &it.username));
                }
            }
        }
        for (server, user) in changed {
            roster::bump_version(tx, server, user)?;
        }
        Ok(text)
    })?;
    Ok(Value::Text(text))
}

fn read_template(file: &str) -> Result<Vec<crate::compat::erlterm::RosterTemplateEntry>> {
    let bytes = std::fs::read(file)
        .map_err(|e| Error::crash(format!("error {{read_file,\"{file}\",\"{e}\"}}")))?;
    crate::compat::erlterm::parse_roster_template(&bytes)
        .map_err(|e| Error::Input(format!("push_roster: {file}: {e}")))
}

/// A validated template entry: its contact JID.
fn entry_jid(e: &crate::compat::erlterm::RosterTemplateEntry) -> Result<Jid> {
    contact_jid(&e.user, &e.server)
}

/// `push_roster file user host`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster(ctx: &mut Ctx, file: &str, user: &str, host: &str) -> Result<Value> {
    let entries = read_template(file)?;
    let owner = Jid::make(user, host, "").ok_or_else(|| invalid_jid(user, host))?;
    if ctx.host_type(&owner.server)?.is_none() {
        return Err(Error::crash(format!(
            "error {{unknown_domain,<<\"{}\">>}}",
            owner.server
        )));
    }
    let mut items = Vec::new();
    for e in &entries {
        if e.user == user && e.server == host {
            continue;
        }
        items.push((entry_jid(e)?.bare(), e));
    }
    let bump = bump_version_if_kept(ctx, &owner)?;
    ctx.store()?.write(|tx| {
        for (jid, e) in &items {
            roster::upsert(
                tx,
                &owner.server,
                &owner.user,
                jid,
                &e.nick,
                "B",
                "N",
                "",
                &[e.group.as_str()],
            )?;
        }
        if bump && !items.is_empty() {
            roster::bump_version(tx, &owner.server, &owner.user)?;
        }
        Ok(())
    })?;
    Ok(Value::Code(true))
}

/// `push_roster_all file`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster_all(ctx: &mut Ctx, file: &str) -> Result<Value> {
    let entries = read_template(file)?;
    let mut jids = Vec::with_capacity(entries.len());
    for e in &entries {
        let j = entry_jid(e)?;
        if ctx.host_type(&j.server)?.is_none() {
            return Err(Error::crash(format!(
                "error {{unknown_domain,<<\"{}\">>}}",
                j.server
            )));
        }
        jids.push(j);
    }
    let mut bumps = Vec::new();
    for j in &jids {
        bumps.push(bump_version_if_kept(ctx, j)?);
    }
    ctx.store()?.write(|tx| {
        for (ai, a) in entries.iter().enumerate() {
            let owner = &jids[ai];
            let mut changed = false;
            for (bi, b) in entries.iter().enumerate() {
                if b.user == a.user && b.server == a.server {
                    continue;
                }
                roster::upsert(
                    tx,
                    &owner.server,
                    &owner.user,
                    &jids[bi].bare(),
                    &b.nick,
                    "B",
                    "N",
                    "",
                    &[b.group.as_str()],
                )?;
                changed = true;
            }
            if changed && bumps[ai] {
                roster::bump_version(tx, &owner.server, &owner.user)?;
            }
        }
        Ok(())
    })?;
    Ok(Value::Code(true))
}

/// `push_roster_alltoall host group`: every registered user of `host` gets every other one,
/// in one transaction, with prepared statements.
#[tracing::instrument(level = "debug", skip_all)]
pub fn push_roster_alltoall(ctx: &mut Ctx, host: &str, group: &str) -> Result<Value> {
    let Some(server) = crate::compat::jid::nameprep(host) else {
        return Ok(Value::Code(true));
    };
    let Some(ht) = ctx.host_type(&server)? else {
        return Ok(Value::Code(true));
    };
    let owner_probe = Jid {
        user: String::new(),
        server: server.clone(),
        resource: String::new(),
    };
    let bump = bump_version_if_kept(ctx, &owner_probe)?;
    let _ = ht;
    ctx.store()?.write(|tx| {
        let users = crate::store::users::list(tx, &server)?;
        if users.len() < 2 {
            return Ok(());
        }
        let jids: Vec<String> = users.iter().map(|u| format!("{u}@{server}")).collect();
        roster::alltoall(tx, &server, &users, &jids, group)?;
        if bump {
            for u in &users {
                roster::bump_version(tx, &server, u)?;
            }
        }
        Ok(())
    })?;
    Ok(Value::Code(true))
}
