//! Group `vcard` (service_admin_extra_vcard): vCard-temp (XEP-0054) fields.

use crate::compat::jid::Jid;
use crate::compat::vcard::{self, VcardLookup};
use crate::compat::xml::{self, Element};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::services::accounts::existing_user;

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
    /// field fails stringprep): the command still succeeds.
    Set {
        jid: Jid,
        field: FieldPath,
        content: Content,
        stored: bool,
    },
    /// No such account (as typed).
    NoSuchUser { user: String, host: String },
}

fn load(ctx: &mut Ctx, jid: &Jid) -> Result<Option<Element>> {
    match ctx.store()?.read(|tx| tx.vcard(jid))? {
        None => Ok(None),
        Some(text) => xml::parse(&text).map(Some).map_err(|e| {
            Error::Crash(Crash::CorruptedVcard {
                jid: jid.bare(),
                reason: e.message,
            })
        }),
    }
}

fn lookup(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    field: FieldPath,
    multi: bool,
) -> Result<GetVcard> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(GetVcard::NoSuchUser {
            user: user.to_string(),
            host: host.to_string(),
        });
    };
    let Some(vcard) = load(ctx, &jid)? else {
        return Ok(GetVcard::NoVcard { jid });
    };
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

fn rewrite(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    (field, content): (FieldPath, Content),
    f: impl FnOnce(Option<&Element>) -> Element,
) -> Result<SetVcard> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(SetVcard::NoSuchUser {
            user: user.to_string(),
            host: host.to_string(),
        });
    };
    let current = load(ctx, &jid)?;
    let new = f(current.as_ref());
    let raw = vcard::search_row(&new);
    // MongooseIM refuses a vCard whose search fields fail stringprep: nothing is stored, and
    // the command still succeeds silently.
    let stored = match raw.try_lowered() {
        Some(low) => {
            let text = new.to_xml();
            ctx.store()?
                .write(|tx| tx.put_vcard(&jid, &text, &raw, &low))?;
            true
        }
        None => {
            tracing::warn!(user = %jid.bare(), "vCard not stored: a search field fails stringprep");
            false
        }
    };
    Ok(SetVcard::Set {
        jid,
        field,
        content,
        stored,
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
    rewrite(ctx, user, host, what, |v| {
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
    rewrite(ctx, user, host, what, |v| {
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
    rewrite(ctx, user, host, what, |v| {
        vcard::set_subfield(v, name, sub, contents)
    })
}
