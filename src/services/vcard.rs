//! Group `vcard` (service_admin_extra_vcard): vCard-temp (XEP-0054) fields.

use crate::compat::jid::Jid;
use crate::compat::vcard::{self, VcardLookup};
use crate::compat::xml::BadName;
use crate::compat::xml::{self, Element};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::services::accounts::{local_user, write_as_user};

/// The vCard field a command addresses: `NAME`, or `NAME/SUBNAME` (the `*_vcard2*` commands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    pub name: String,
    pub subname: Option<String>,
}

impl FieldPath {
    fn new(name: &str, subname: Option<&str>) -> FieldPath {
        FieldPath {
            name: name.to_string(),
            subname: subname.map(str::to_string),
        }
    }
}

/// The content of a field, as a command reads or writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// One value (`get_vcard`, `get_vcard2`: the selected texts concatenated; `set_vcard`,
    /// `set_vcard2`: the content given).
    One(String),
    /// One value per element (`get_vcard2_multi`, `set_vcard2_multi`).
    Many(Vec<String>),
}

/// The outcome of `get_vcard`, `get_vcard2` and `get_vcard2_multi`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GetVcard {
    /// The field was found.
    Found {
        jid: Jid,
        field: FieldPath,
        content: Content,
    },
    /// No such account (as typed).
    NoSuchUser { user: String, host: String },
    /// The account has no vCard.
    NoVcard { jid: Jid },
    /// The vCard has no such field.
    ValueNotFound { jid: Jid, field: FieldPath },
}

/// The outcome of `set_vcard`, `set_vcard2` and `set_vcard2_multi`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetVcard {
    /// The vCard was rewritten; `stored` is false when MongooseIM silently refuses it (a search
    /// field fails stringprep): the command still succeeds. `repaired`: the stored vCard could
    /// not be read back (or rewritten faithfully) and was replaced by a new vCard holding only
    /// this field.
    Set {
        jid: Jid,
        field: FieldPath,
        content: Content,
        stored: bool,
        repaired: bool,
    },
    /// No such account (as typed).
    NoSuchUser { user: String, host: String },
    /// A field name or subname (`name`) that is not an XML qualified name: nothing changed.
    InvalidName { name: String, problem: BadName },
    /// A content holding a character XML 1.0 does not allow: nothing changed. `index` is the
    /// 1-based number of the content among the `;`-separated ones of `set_vcard2_multi`
    /// (None for the single content of the others); `position` is 1-based, in characters.
    InvalidValue {
        field: FieldPath,
        index: Option<usize>,
        position: usize,
        c: char,
    },
}

fn corrupted(jid: &Jid, e: xml::ParseError) -> Error {
    Error::Crash(Crash::CorruptedVcard {
        jid: jid.bare(),
        reason: e.message,
    })
}

fn lookup(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    field: FieldPath,
    multi: bool,
) -> Result<GetVcard> {
    let no_such_user = || GetVcard::NoSuchUser {
        user: user.to_string(),
        host: host.to_string(),
    };
    let Some(jid) = local_user(ctx, user, host)? else {
        return Ok(no_such_user());
    };
    // One snapshot: the account and its vCard.
    let stored = ctx.store()?.read(|tx| {
        if tx.user_exists(&jid)? {
            tx.vcard(&jid).map(Some)
        } else {
            Ok(None)
        }
    })?;
    let Some(stored) = stored else {
        return Ok(no_such_user());
    };
    let Some(text) = stored else {
        return Ok(GetVcard::NoVcard { jid });
    };
    let vcard = xml::parse(&text).map_err(|e| corrupted(&jid, e))?;
    let found = match &field.subname {
        None => vcard::get_field(&vcard, &field.name),
        Some(sub) => vcard::get_subfield(&vcard, &field.name, sub),
    };
    Ok(match found {
        VcardLookup::Found(texts) => GetVcard::Found {
            jid,
            field,
            content: if multi {
                Content::Many(texts)
            } else {
                Content::One(texts.concat())
            },
        },
        VcardLookup::ValueNotFound => GetVcard::ValueNotFound { jid, field },
    })
}

/// `get_vcard user host name`.
pub fn get_vcard(ctx: &mut Ctx, user: &str, host: &str, name: &str) -> Result<GetVcard> {
    lookup(ctx, user, host, FieldPath::new(name, None), false)
}

/// `get_vcard2 user host name subname`.
pub fn get_vcard2(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    sub: &str,
) -> Result<GetVcard> {
    lookup(ctx, user, host, FieldPath::new(name, Some(sub)), false)
}

/// `get_vcard2_multi user host name subname`.
pub fn get_vcard2_multi(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    sub: &str,
) -> Result<GetVcard> {
    lookup(ctx, user, host, FieldPath::new(name, Some(sub)), true)
}

/// The refusal of arguments that would make a vCard MongooseIM cannot read: names that are
/// not XML qualified names, contents with characters XML 1.0 does not allow.
fn refusal(field: &FieldPath, content: &Content) -> Option<SetVcard> {
    for name in std::iter::once(&field.name).chain(&field.subname) {
        if let Err(problem) = xml::check_qname(name) {
            return Some(SetVcard::InvalidName {
                name: name.clone(),
                problem,
            });
        }
    }
    let (values, multi) = match content {
        Content::One(v) => (std::slice::from_ref(v), false),
        Content::Many(vs) => (vs.as_slice(), true),
    };
    values.iter().enumerate().find_map(|(i, value)| {
        xml::first_non_xml_char(value).map(|(position, c)| SetVcard::InvalidValue {
            field: field.clone(),
            index: multi.then_some(i + 1),
            position,
            c,
        })
    })
}

/// The rewritten vCard (`f` applied to the stored one) and, when the stored one had to be
/// dropped, why: it does not parse (`corrupted_vcard` for the gets), or the rewrite would
/// keep something that does not serialise back to XML (e.g. a control character that came
/// in as a character reference). Then the new vCard holds only the new field.
fn rewritten(
    stored: Option<String>,
    f: &dyn Fn(Option<&Element>) -> Element,
) -> (Element, String, Option<String>) {
    let current = match stored.as_deref().map(xml::parse) {
        None => None,
        Some(Ok(vcard)) => Some(vcard),
        Some(Err(e)) => {
            let fresh = f(None);
            let text = fresh.to_xml();
            return (fresh, text, Some(e.message));
        }
    };
    let new = f(current.as_ref());
    let text = new.to_xml();
    match xml::parse(&text) {
        Ok(_) => (new, text, None),
        Err(e) => {
            let fresh = f(None);
            let text = fresh.to_xml();
            (
                fresh,
                text,
                Some(format!(
                    "a kept field does not serialise back: {}",
                    e.message
                )),
            )
        }
    }
}

fn rewrite(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    (field, content): (FieldPath, Content),
    f: &dyn Fn(Option<&Element>) -> Element,
) -> Result<SetVcard> {
    if let Some(refused) = refusal(&field, &content) {
        return Ok(refused);
    }
    let no_such_user = || SetVcard::NoSuchUser {
        user: user.to_string(),
        host: host.to_string(),
    };
    let Some(jid) = local_user(ctx, user, host)? else {
        return Ok(no_such_user());
    };
    // Read, rewrite and store in one write transaction, which also checks that the account
    // exists: a concurrent set keeps our field, a concurrent unregister removes it all.
    let done = write_as_user(ctx, &jid, |tx| {
        crate::store::limits::vcard(&jid)?;
        let (new, text, dropped) = rewritten(tx.vcard(&jid)?, f);
        let raw = vcard::search_row(&new);
        // MongooseIM refuses a vCard whose search fields fail stringprep: nothing is stored,
        // and the command still succeeds silently.
        let Some(low) = raw.try_lowered() else {
            tracing::warn!(user = %jid.bare(), "vCard not stored: a search field fails stringprep");
            return Ok((false, false));
        };
        tx.put_vcard(&jid, &text, &raw, &low)?;
        if let Some(reason) = &dropped {
            tracing::warn!(
                user = %jid.bare(),
                %reason,
                "the stored vCard was unreadable; replaced by a new vCard holding only the field set"
            );
        }
        Ok((true, dropped.is_some()))
    })?;
    let Some((stored, repaired)) = done else {
        return Ok(no_such_user());
    };
    Ok(SetVcard::Set {
        jid,
        field,
        content,
        stored,
        repaired,
    })
}

/// `set_vcard user host name content`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn set_vcard(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    content: &str,
) -> Result<SetVcard> {
    let what = (
        FieldPath::new(name, None),
        Content::One(content.to_string()),
    );
    rewrite(ctx, user, host, what, &|v| {
        vcard::set_field(v, name, content)
    })
}

/// `set_vcard2 user host name subname content`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn set_vcard2(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    sub: &str,
    content: &str,
) -> Result<SetVcard> {
    let contents = [content.to_string()];
    let what = (
        FieldPath::new(name, Some(sub)),
        Content::One(content.to_string()),
    );
    rewrite(ctx, user, host, what, &|v| {
        vcard::set_subfield(v, name, sub, &contents)
    })
}

/// `set_vcard2_multi user host name subname contents`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn set_vcard2_multi(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    sub: &str,
    contents: &[String],
) -> Result<SetVcard> {
    let what = (
        FieldPath::new(name, Some(sub)),
        Content::Many(contents.to_vec()),
    );
    rewrite(ctx, user, host, what, &|v| {
        vcard::set_subfield(v, name, sub, contents)
    })
}
