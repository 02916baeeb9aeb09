//! Rosters (`rosterusers`, `rostergroups`, `roster_version`).

use rusqlite::{params, Connection};

use crate::error::Result;

/// One roster item with its groups, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub server: String,
    pub username: String,
    pub jid: String,
    pub nick: String,
    /// Single-letter code: N, F, T, B.
    pub subscription: String,
    /// Single-letter code: N, I, O, B, S, U.
    pub ask: String,
    pub askmessage: String,
    pub groups: Vec<String>,
}

pub fn subscription_code(name: &str) -> Option<&'static str> {
    Some(match name {
        "none" => "N",
        "from" => "F",
        "to" => "T",
        "both" => "B",
        _ => return None,
    })
}

pub fn subscription_name(code: &str) -> &'static str {
    match code {
        "F" => "from",
        "T" => "to",
        "B" => "both",
        _ => "none",
    }
}

pub fn ask_name(code: &str) -> &'static str {
    match code {
        "I" => "in",
        "O" => "out",
        "B" => "both",
        "S" => "subscribe",
        "U" => "unsubscribe",
        _ => "none",
    }
}

/// Write (replace) an item and its groups (empty group names are not stored).
#[allow(clippy::too_many_arguments)]
pub fn upsert(
    conn: &Connection,
    server: &str,
    user: &str,
    jid: &str,
    nick: &str,
    subscription: &str,
    ask: &str,
    askmessage: &str,
    groups: &[&str],
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
         subscription = excluded.subscription, ask = excluded.ask, askmessage = excluded.askmessage",
    )?
    .execute(params![server, user, jid, nick, subscription, ask, askmessage])?;
    conn.prepare_cached(
        "DELETE FROM rostergroups WHERE server = ?1 AND username = ?2 AND jid = ?3",
    )?
    .execute(params![server, user, jid])?;
    let mut ins = conn.prepare_cached(
        "INSERT INTO rostergroups (server, username, jid, grp) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for g in groups.iter().filter(|g| !g.is_empty()) {
        ins.execute(params![server, user, jid, g])?;
    }
    Ok(())
}

/// Delete an item and its groups; whether it existed.
pub fn delete(conn: &Connection, server: &str, user: &str, jid: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM rosterusers WHERE server = ?1 AND username = ?2 AND jid = ?3")?
        .execute(params![server, user, jid])?;
    conn.prepare_cached(
        "DELETE FROM rostergroups WHERE server = ?1 AND username = ?2 AND jid = ?3",
    )?
    .execute(params![server, user, jid])?;
    Ok(n > 0)
}

fn groups_of(conn: &Connection, server: &str, user: &str, jid: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT grp FROM rostergroups WHERE server = ?1 AND username = ?2 AND jid = ?3 ORDER BY rowid",
    )?;
    let rows = st.query_map(params![server, user, jid], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// The items of one user in store order, with their groups.
pub fn items(conn: &Connection, server: &str, user: &str) -> Result<Vec<Item>> {
    let mut st = conn.prepare_cached(
        "SELECT jid, nick, subscription, ask, askmessage FROM rosterusers \
         WHERE server = ?1 AND username = ?2 ORDER BY rowid",
    )?;
    let rows = st.query_map(params![server, user], |r| {
        Ok(Item {
            server: server.to_string(),
            username: user.to_string(),
            jid: r.get(0)?,
            nick: r.get(1)?,
            subscription: r.get(2)?,
            ask: r.get(3)?,
            askmessage: r.get(4)?,
            groups: Vec::new(),
        })
    })?;
    let mut items = rows.collect::<rusqlite::Result<Vec<Item>>>()?;
    // Groups in one pass, in stored order.
    let mut gst = conn.prepare_cached(
        "SELECT jid, grp FROM rostergroups WHERE server = ?1 AND username = ?2 ORDER BY rowid",
    )?;
    let mut by_jid: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for row in gst.query_map(params![server, user], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (jid, grp) = row?;
        by_jid.entry(jid).or_default().push(grp);
    }
    for it in &mut items {
        if let Some(g) = by_jid.remove(&it.jid) {
            it.groups = g;
        }
    }
    Ok(items)
}

/// Every item of every user in store order (without groups).
pub fn all_items(conn: &Connection) -> Result<Vec<Item>> {
    let mut st = conn.prepare_cached(
        "SELECT server, username, jid, nick, subscription, ask, askmessage FROM rosterusers ORDER BY rowid",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Item {
            server: r.get(0)?,
            username: r.get(1)?,
            jid: r.get(2)?,
            nick: r.get(3)?,
            subscription: r.get(4)?,
            ask: r.get(5)?,
            askmessage: r.get(6)?,
            groups: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<Item>>>()?)
}

/// The distinct owner domains of all stored items.
pub fn owner_servers(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached("SELECT DISTINCT server FROM rosterusers ORDER BY server")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// One item (with groups), if present.
pub fn get(conn: &Connection, server: &str, user: &str, jid: &str) -> Result<Option<Item>> {
    use rusqlite::OptionalExtension;
    let item = conn
        .prepare_cached(
            "SELECT nick, subscription, ask, askmessage FROM rosterusers \
             WHERE server = ?1 AND username = ?2 AND jid = ?3",
        )?
        .query_row(params![server, user, jid], |r| {
            Ok(Item {
                server: server.to_string(),
                username: user.to_string(),
                jid: jid.to_string(),
                nick: r.get(0)?,
                subscription: r.get(1)?,
                ask: r.get(2)?,
                askmessage: r.get(3)?,
                groups: Vec::new(),
            })
        })
        .optional()?;
    match item {
        Some(mut it) => {
            it.groups = groups_of(conn, server, user, jid)?;
            Ok(Some(it))
        }
        None => Ok(None),
    }
}

/// Store a new roster version for a user (XEP-0237; `mod_roster` versioning with
/// `store_current_id`): 40 lower-case hex characters.
pub fn bump_version(conn: &Connection, server: &str, user: &str) -> Result<()> {
    use sha1::{Digest, Sha1};
    let seed = format!(
        "{}-{}-{}",
        crate::clock::now_micros(),
        crate::compat::scram::random_hex16(),
        user
    );
    let digest = Sha1::digest(seed.as_bytes());
    let version: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    conn.prepare_cached(
        "INSERT INTO roster_version (server, username, version) VALUES (?1, ?2, ?3) \
         ON CONFLICT (server, username) DO UPDATE SET version = excluded.version",
    )?
    .execute(params![server, user, version])?;
    Ok(())
}

/// Split a stored contact JID text into (user, server), ignoring any resource.
pub fn split_jid(jid: &str) -> (&str, &str) {
    let bare = jid.split_once('/').map_or(jid, |(b, _)| b);
    match bare.split_once('@') {
        Some((u, s)) => (u, s),
        None => ("", bare),
    }
}

/// The state of a contact's item for a removed account, given the removed account's item for
/// that contact (single-letter codes). The removed account sends `unsubscribe` when it was
/// subscribed to the contact (`to`/`both`): the contact's item loses `from` and any pending
/// inbound request. It sends `unsubscribed` when the contact was subscribed to it
/// (`from`/`both`): the contact's item loses `to` and any pending outbound request.
pub fn after_removal(removed_sub: &str, sub: &str, ask: &str) -> (String, String) {
    let (mut sub, mut ask) = (sub.to_string(), ask.to_string());
    if matches!(removed_sub, "T" | "B") {
        sub = match sub.as_str() {
            "B" => "T",
            "F" => "N",
            other => other,
        }
        .to_string();
        ask = match ask.as_str() {
            "I" => "N",
            "B" => "O",
            other => other,
        }
        .to_string();
    }
    if matches!(removed_sub, "F" | "B") {
        sub = match sub.as_str() {
            "B" => "F",
            "T" => "N",
            other => other,
        }
        .to_string();
        ask = match ask.as_str() {
            "O" => "N",
            "B" => "I",
            other => other,
        }
        .to_string();
    }
    (sub, ask)
}

/// What a removed account's presences do to its local contacts' items (commands.md §2.5);
/// see [`after_removal`].
pub fn downgrade_contacts_of_removed(conn: &Connection, server: &str, user: &str) -> Result<()> {
    let removed = if user.is_empty() {
        server.to_string()
    } else {
        format!("{user}@{server}")
    };
    let mut update = conn.prepare_cached(
        "UPDATE rosterusers SET subscription = ?4, ask = ?5 WHERE server = ?1 AND username = ?2 AND jid = ?3",
    )?;
    for item in items(conn, server, user)? {
        let (cu, cs) = split_jid(&item.jid);
        let Some(theirs) = get(conn, cs, cu, &removed)? else {
            continue;
        };
        let (sub, ask) = after_removal(&item.subscription, &theirs.subscription, &theirs.ask);
        if sub != theirs.subscription || ask != theirs.ask {
            update.execute(params![cs, cu, removed, sub, ask])?;
        }
    }
    Ok(())
}

/// Every user gets every other user (contact = their JID, nick = their user name, one group,
/// both/none), replacing existing items. Streams rows through prepared statements.
pub fn alltoall(
    conn: &Connection,
    server: &str,
    users: &[String],
    jids: &[String],
    group: &str,
) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS alltoall_jids (jid TEXT PRIMARY KEY); DELETE FROM temp.alltoall_jids;",
    )?;
    {
        let mut ins =
            conn.prepare_cached("INSERT OR IGNORE INTO temp.alltoall_jids (jid) VALUES (?1)")?;
        for j in jids {
            ins.execute([j])?;
        }
    }
    // The owner's own JID is in the list but their item for themselves (if any) is not
    // rewritten, so its groups must stay.
    let mut del_groups = conn.prepare_cached(
        "DELETE FROM rostergroups WHERE server = ?1 AND username = ?2 AND jid <> ?3 \
         AND jid IN (SELECT jid FROM temp.alltoall_jids)",
    )?;
    let mut up = conn.prepare_cached(
        "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
         VALUES (?1, ?2, ?3, ?4, 'B', 'N', '') \
         ON CONFLICT (server, username, jid) DO UPDATE SET nick = excluded.nick, \
         subscription = 'B', ask = 'N', askmessage = ''",
    )?;
    let mut grp = conn.prepare_cached(
        "INSERT INTO rostergroups (server, username, jid, grp) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (ai, a) in users.iter().enumerate() {
        del_groups.execute(params![server, a, jids[ai]])?;
        for (bi, b) in users.iter().enumerate() {
            if ai == bi {
                continue;
            }
            up.execute(params![server, a, jids[bi], b])?;
            if !group.is_empty() {
                grp.execute(params![server, a, jids[bi], group])?;
            }
        }
    }
    conn.execute_batch("DROP TABLE temp.alltoall_jids;")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::after_removal;

    fn t(removed: &str, sub: &str, ask: &str) -> (String, String) {
        after_removal(removed, sub, ask)
    }

    #[test]
    fn removal_downgrades_the_contacts_item() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        // Mutual subscription: nothing left.
        assert_eq!(t("B", "B", "N"), s("N", "N"));
        // The removed user was subscribed to the contact: the contact loses `from`.
        assert_eq!(t("T", "B", "N"), s("T", "N"));
        assert_eq!(t("T", "F", "I"), s("N", "N"));
        // The contact was subscribed to the removed user: it loses `to` and its pending request.
        assert_eq!(t("F", "B", "N"), s("F", "N"));
        assert_eq!(t("F", "N", "O"), s("N", "N"));
        assert_eq!(t("F", "N", "B"), s("N", "I"));
        // No subscription either way: untouched.
        assert_eq!(t("N", "B", "B"), s("B", "B"));
    }
}
