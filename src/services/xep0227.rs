//! `export_xep0227` and `import_xep0227` (mongooseimctl extensions): account portability as
//! XEP-0227 (Portable Import/Export Format) files — users with their credentials, roster,
//! vCard, private storage and offline messages. Business rules only: no printing.
//!
//! Layout: one `<server-data xmlns='urn:xmpp:pie:0'>` document. Export writes the host's
//! `<host>` inline; import also follows `<xi:include href='…'/>` to host files next to the
//! index file, as ejabberd's `export_piefxis` writes them, and accepts a `<host>` file alone.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::compat::jid::{nameprep, Jid};
use crate::compat::scram::Scram;
use crate::compat::vcard;
use crate::compat::xep0227::{credentials_elements, scram_from};
use crate::compat::xml::{self, Element, Node};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::services::accounts::{password_columns, read_file_crash};
use crate::services::routing::{delay_stamp, expire, without_delay_tags};
use crate::store::{
    Ask, OfflineMessage, RosterItem, StoredPassword, Subscription, NO_PERMANENT_FIELDS,
};

/// The XEP-0227 namespace.
pub const NS_PIE: &str = "urn:xmpp:pie:0";
const NS_ROSTER: &str = "jabber:iq:roster";
const NS_PRIVATE: &str = "jabber:iq:private";
const NS_VCARD: &str = "vcard-temp";
const NS_DELAY: &str = "urn:xmpp:delay";
/// Largest import read (the index file and its included host files together).
pub const MAX_IMPORT_BYTES: u64 = 64 << 20;

/// What became of one `<user>` of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserResult {
    /// Created with all its data.
    Ok,
    /// The account exists already: left as it is, none of the file's data for it written.
    Exists,
    /// The host is not served here.
    NotAllowed,
    /// The user name and host do not make a JID.
    InvalidJid,
    /// Neither `<scram-credentials>` of a known mechanism nor `<password>`.
    NoPassword,
    /// The `<password>` cannot be prepared (resourceprep).
    InvalidPassword,
}

impl UserResult {
    pub fn name(self) -> &'static str {
        match self {
            UserResult::Ok => "ok",
            UserResult::Exists => "exists",
            UserResult::NotAllowed => "not_allowed",
            UserResult::InvalidJid => "invalid_jid",
            UserResult::NoPassword => "no_password",
            UserResult::InvalidPassword => "invalid_password",
        }
    }
}

/// One user of an import and what was written for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedUser {
    /// `name@host` as written in the file.
    pub user: String,
    pub result: UserResult,
    pub roster: usize,
    pub vcard: bool,
    pub private: usize,
    pub offline: usize,
}

/// The outcome of `import_xep0227`: every user in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xep0227Import {
    pub users: Vec<ImportedUser>,
}

/// The outcome of `export_xep0227`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xep0227Export {
    pub file: String,
    pub host: String,
    pub users: usize,
}

fn bad(file: &str, what: impl std::fmt::Display) -> Error {
    Error::Input(format!("import_xep0227: {file}: {what}"))
}

fn ns(el: &Element) -> &str {
    el.attr("xmlns").unwrap_or("")
}

/// The local name (without any `prefix:`).
fn local(el: &Element) -> &str {
    el.name.rsplit(':').next().unwrap_or(&el.name)
}

/// Read at most the remaining budget of bytes.
fn read_capped(mut r: impl Read, budget: &mut u64, name: &str) -> Result<String> {
    let mut buf = Vec::new();
    r.by_ref()
        .take(*budget + 1)
        .read_to_end(&mut buf)
        .map_err(|e| read_file_crash(name, &e))?;
    if buf.len() as u64 > *budget {
        return Err(bad(
            name,
            format!("larger than {} MiB in all", MAX_IMPORT_BYTES >> 20),
        ));
    }
    *budget -= buf.len() as u64;
    String::from_utf8(buf).map_err(|_| bad(name, "not valid UTF-8"))
}

fn parse_doc(text: &str, name: &str) -> Result<Element> {
    crate::compat::xml_doc::read(text).map_err(|e| bad(name, format!("not XML: {e}")))
}

/// The `<host>` elements of the document (index with includes, inline hosts, or one host).
fn hosts(ctx: &mut Ctx, file: &str) -> Result<Vec<Element>> {
    let mut budget = MAX_IMPORT_BYTES;
    let text = if file == "-" {
        read_capped(ctx.stdin(), &mut budget, "-")?
    } else {
        let f = std::fs::File::open(file).map_err(|e| read_file_crash(file, &e))?;
        read_capped(f, &mut budget, file)?
    };
    let root = parse_doc(&text, file)?;
    match local(&root) {
        "host" => return Ok(vec![root]),
        "server-data" => {}
        other => return Err(bad(file, format!("<{other}> is not a XEP-0227 document"))),
    }
    let dir: PathBuf = Path::new(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut out = Vec::new();
    for child in root.child_elements() {
        match local(child) {
            "host" => out.push(child.clone()),
            "include" => {
                let href = child
                    .attr("href")
                    .ok_or_else(|| bad(file, "<xi:include> without href"))?;
                if file == "-" {
                    return Err(bad(file, "<xi:include> needs a file, not stdin"));
                }
                if href.contains('/') || href.contains('\\') || href.starts_with('.') {
                    return Err(bad(
                        file,
                        format!("<xi:include> of {href}: only files next to the index"),
                    ));
                }
                let path = dir.join(href);
                let shown = path.display().to_string();
                let f = std::fs::File::open(&path).map_err(|e| read_file_crash(&shown, &e))?;
                let text = read_capped(f, &mut budget, &shown)?;
                let host = parse_doc(&text, &shown)?;
                if local(&host) != "host" {
                    return Err(bad(&shown, "an included file must hold a <host>"));
                }
                out.push(host);
            }
            _ => {}
        }
    }
    Ok(out)
}

enum Creds {
    Scram(Scram),
    Plain(String),
    None,
}

struct Pending {
    index: usize,
    jid: Jid,
    host_type: String,
    creds: Creds,
    roster: Vec<RosterItem>,
    vcard: Option<Element>,
    private: Vec<(String, String)>,
    offline: Vec<OfflineMessage>,
}

fn roster_item(owner: &Jid, el: &Element, who: &str) -> Result<RosterItem> {
    let contact = el
        .attr("jid")
        .ok_or_else(|| Error::Input(format!("import_xep0227: {who}: roster <item> without jid")))?;
    let contact = Jid::parse(contact).map(|j| j.bare()).ok_or_else(|| {
        Error::Input(format!(
            "import_xep0227: {who}: roster item {contact} is not a JID"
        ))
    })?;
    let sub = el.attr("subscription").unwrap_or("none");
    let subscription = match sub {
        "none" | "remove" => Subscription::None,
        other => Subscription::from_name(other).ok_or_else(|| {
            Error::Input(format!("import_xep0227: {who}: bad subscription '{other}'"))
        })?,
    };
    let ask = match el.attr("ask") {
        Some("subscribe") => Ask::Out,
        _ => Ask::None,
    };
    let groups = el
        .child_elements()
        .filter(|g| g.name == "group")
        .map(|g| g.text())
        .filter(|g| !g.is_empty())
        .collect();
    Ok(RosterItem {
        owner: owner.clone(),
        contact,
        nick: el.attr("name").unwrap_or("").to_string(),
        subscription,
        ask,
        askmessage: String::new(),
        groups,
    })
}

/// Credentials, roster items, vCard, private elements (namespace, XML), offline messages.
type UserData = (
    Creds,
    Vec<RosterItem>,
    Option<Element>,
    Vec<(String, String)>,
    Vec<OfflineMessage>,
);

/// Everything of one `<user>` element, checked before anything is written.
fn read_user(jid: &Jid, user: &Element, now: i64) -> Result<UserData> {
    let who = jid.bare();
    let mut scram_els: Vec<&Element> = Vec::new();
    let mut plain = None;
    let mut roster = Vec::new();
    let mut vcard_el = None;
    let mut private = Vec::new();
    let mut offline = Vec::new();
    for c in user.child_elements() {
        match (c.name.as_str(), ns(c)) {
            ("scram-credentials", _) => scram_els.push(c),
            ("password", _) => plain = Some(c.text()),
            ("query", NS_ROSTER) => {
                for item in c.child_elements().filter(|i| i.name == "item") {
                    roster.push(roster_item(jid, item, &who)?);
                }
            }
            ("vCard", NS_VCARD) => vcard_el = Some(c.clone()),
            ("query", NS_PRIVATE) => {
                for el in c.child_elements() {
                    let n = ns(el);
                    if !n.is_empty() {
                        crate::store::limits::private(jid, n)?;
                        private.push((n.to_string(), el.to_xml()));
                    }
                }
            }
            ("offline-messages", _) => {
                for m in c.child_elements().filter(|m| m.name == "message") {
                    let timestamp = delay_stamp(m).unwrap_or(now);
                    let from = m.attr("from").unwrap_or("").to_string();
                    crate::store::limits::offline(jid, &from)?;
                    offline.push(OfflineMessage {
                        id: 0,
                        to: jid.clone(),
                        timestamp,
                        expire: expire(m, timestamp),
                        from,
                        packet: without_delay_tags(m).to_xml(),
                        permanent_fields: NO_PERMANENT_FIELDS.to_vec(),
                    });
                }
            }
            _ => {}
        }
    }
    let creds = match scram_from(&scram_els)
        .map_err(|e| Error::Input(format!("import_xep0227: {who}: {}", e.0)))?
    {
        Some(s) if !s.entries.is_empty() => Creds::Scram(s),
        _ => match plain {
            Some(p) if !p.is_empty() => Creds::Plain(p),
            _ => Creds::None,
        },
    };
    Ok((creds, roster, vcard_el, private, offline))
}

/// `import_xep0227 file`: every user, in one transaction. Existing accounts are skipped
/// (result `exists`) with none of their data written; any malformed data refuses the whole
/// file (nothing written).
#[tracing::instrument(level = "debug", skip_all)]
pub fn import_xep0227(ctx: &mut Ctx, file: &str) -> Result<Xep0227Import> {
    let now = crate::clock::now_micros();
    let mut users = Vec::new();
    let mut pending = Vec::new();
    for host in hosts(ctx, file)? {
        let host_name = host.attr("jid").unwrap_or("").to_string();
        for user in host.child_elements().filter(|u| u.name == "user") {
            let name = user.attr("name").unwrap_or("");
            let index = users.len();
            let mut row = ImportedUser {
                user: format!("{name}@{host_name}"),
                result: UserResult::Ok,
                roster: 0,
                vcard: false,
                private: 0,
                offline: 0,
            };
            match Jid::make(name, &host_name, "") {
                None => row.result = UserResult::InvalidJid,
                Some(jid) => match ctx.host_type(&jid.server)? {
                    None => row.result = UserResult::NotAllowed,
                    Some(host_type) => {
                        crate::store::limits::account(&jid)?;
                        let (creds, roster, vcard, private, offline) = read_user(&jid, user, now)?;
                        if matches!(creds, Creds::None) {
                            row.result = UserResult::NoPassword;
                        } else {
                            pending.push(Pending {
                                index,
                                jid,
                                host_type,
                                creds,
                                roster,
                                vcard,
                                private,
                                offline,
                            });
                        }
                    }
                },
            }
            users.push(row);
        }
    }
    // Passwords hashed outside the transaction.
    let mut ready = Vec::with_capacity(pending.len());
    for p in pending {
        let columns = match &p.creds {
            Creds::Scram(s) => Some(StoredPassword {
                password: String::new(),
                pass_details: Some(s.serialize()),
            }),
            Creds::Plain(pw) => password_columns(&ctx.config, &p.host_type, pw).ok(),
            Creds::None => None,
        };
        match columns {
            Some(c) => ready.push((p, c)),
            None => {
                if let Some(row) = users.get_mut(p.index) {
                    row.result = UserResult::InvalidPassword;
                }
            }
        }
    }
    let written = ctx.store()?.write(|tx| {
        let mut written = Vec::new();
        for (p, columns) in &ready {
            if !tx.insert_user(&p.jid, columns)? {
                written.push((p.index, None));
                continue;
            }
            for item in &p.roster {
                crate::store::limits::roster_owner(&p.jid)?;
                tx.put_item(item)?;
            }
            let mut has_vcard = false;
            if let Some(v) = &p.vcard {
                crate::store::limits::vcard(&p.jid)?;
                let raw = vcard::search_row(v);
                if let Some(low) = raw.try_lowered() {
                    tx.put_vcard(&p.jid, &v.to_xml(), &raw, &low)?;
                    has_vcard = true;
                } else {
                    tracing::warn!(user = %p.jid.bare(), "vCard not imported: a search field fails stringprep");
                }
            }
            for (n, x) in &p.private {
                tx.put_private(&p.jid, n, x)?;
            }
            for m in &p.offline {
                tx.store_offline(m)?;
            }
            written.push((
                p.index,
                Some((p.roster.len(), has_vcard, p.private.len(), p.offline.len())),
            ));
        }
        Ok(written)
    })?;
    for (index, counts) in written {
        if let Some(row) = users.get_mut(index) {
            match counts {
                None => row.result = UserResult::Exists,
                Some((r, v, pr, o)) => {
                    row.roster = r;
                    row.vcard = v;
                    row.private = pr;
                    row.offline = o;
                }
            }
        }
    }
    Ok(Xep0227Import { users })
}

fn stamp(micros: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The `<user>` element of one account, read inside `tx`.
fn user_element(tx: &mut dyn crate::store::Tx, jid: &Jid) -> Result<Element> {
    let mut user = Element::new("user").with_attr("name", &jid.user);
    if let Some(pw) = tx.password(jid)? {
        match pw.pass_details.as_deref() {
            Some(d) => match Scram::deserialize(d) {
                Some(s) => {
                    for el in credentials_elements(&s) {
                        user = user.with_child(el);
                    }
                }
                None => tracing::warn!(user = %jid.bare(), "unreadable SCRAM details not exported"),
            },
            None => user = user.with_child(Element::new("password").with_text(&pw.password)),
        }
    }
    if let Some(v) = tx.vcard(jid)? {
        match xml::parse(&v) {
            Ok(el) => user = user.with_child(el),
            Err(_) => tracing::warn!(user = %jid.bare(), "unreadable vCard not exported"),
        }
    }
    let items = tx.items(jid)?;
    if !items.is_empty() {
        let mut q = Element::new("query").with_attr("xmlns", NS_ROSTER);
        for it in items {
            let mut item = Element::new("item").with_attr("jid", &it.contact);
            if !it.nick.is_empty() {
                item = item.with_attr("name", &it.nick);
            }
            item = item.with_attr("subscription", it.subscription.name());
            if matches!(it.ask, Ask::Out | Ask::Both | Ask::Subscribe) {
                item = item.with_attr("ask", "subscribe");
            }
            for g in &it.groups {
                item = item.with_child(Element::new("group").with_text(g));
            }
            q = q.with_child(item);
        }
        user = user.with_child(q);
    }
    let mut private: Vec<Element> = Vec::new();
    tx.each_private_export(jid, &mut |p| {
        match std::str::from_utf8(p.xml)
            .ok()
            .and_then(|t| xml::parse(t).ok())
        {
            Some(el) => private.push(el),
            None => tracing::warn!(user = %jid.bare(), "unreadable private element not exported"),
        }
        Ok(())
    })?;
    if !private.is_empty() {
        let mut q = Element::new("query").with_attr("xmlns", NS_PRIVATE);
        q.children = private.into_iter().map(Node::Element).collect();
        user = user.with_child(q);
    }
    let messages = tx.offline_messages(jid)?;
    if !messages.is_empty() {
        let mut box_ = Element::new("offline-messages");
        for m in messages {
            match xml::parse(&m.packet) {
                Ok(mut el) => {
                    el.children.insert(
                        0,
                        Node::Element(
                            Element::new("delay")
                                .with_attr("xmlns", NS_DELAY)
                                .with_attr("from", &jid.server)
                                .with_attr("stamp", &stamp(m.timestamp)),
                        ),
                    );
                    box_ = box_.with_child(el);
                }
                Err(_) => {
                    tracing::warn!(user = %jid.bare(), "unreadable offline message not exported")
                }
            }
        }
        user = user.with_child(box_);
    }
    Ok(user)
}

/// `export_xep0227 file host`: every account of `host` with its data, as one XEP-0227
/// document written to `file` (created with mode 0600: it holds credentials).
#[tracing::instrument(level = "debug", skip_all)]
pub fn export_xep0227(ctx: &mut Ctx, file: &str, host: &str) -> Result<Xep0227Export> {
    let server = nameprep(host)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::Input(format!("export_xep0227: invalid host {host}")))?;
    if ctx.host_type(&server)?.is_none() {
        return Err(Error::Input(format!(
            "export_xep0227: {host} is not a host served here"
        )));
    }
    let (host_el, count) = ctx.store()?.read(|tx| {
        let mut names = tx.usernames(&server)?;
        names.sort();
        let mut host_el = Element::new("host").with_attr("jid", &server);
        for name in &names {
            let jid = Jid {
                user: name.clone(),
                server: server.clone(),
                resource: String::new(),
            };
            host_el = host_el.with_child(user_element(tx, &jid)?);
        }
        Ok((host_el, names.len()))
    })?;
    let doc = Element::new("server-data")
        .with_attr("xmlns", NS_PIE)
        .with_child(host_el);
    let text = crate::compat::xml_doc::write(&doc)
        .map_err(|e| Error::Internal(format!("export_xep0227: cannot serialise: {e}")))?;
    write_private_file(file, text.as_bytes())
        .map_err(|e| Error::Input(format!("export_xep0227: cannot write {file}: {e}")))?;
    Ok(Xep0227Export {
        file: file.to_string(),
        host: server,
        users: count,
    })
}

fn write_private_file(file: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(bytes)?;
    f.sync_all()
}
