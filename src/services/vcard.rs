//! Group `vcard` (service_admin_extra_vcard): vCard-temp (XEP-0054) fields.

use crate::compat::jid::Jid;
use crate::compat::vcard::{self, VcardLookup};
use crate::compat::xml::{self, Element};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::output::Legacy as Value;
use crate::services::accounts::existing_user;

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

enum Get<'a> {
    Field(&'a str),
    Sub(&'a str, &'a str),
}

fn lookup(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    what: Get<'_>,
) -> Result<Result<Vec<String>, Value>> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(Err(Value::error(format!(
            "User {user}@{host} does not exist"
        ))));
    };
    let Some(vcard) = load(ctx, &jid)? else {
        return Ok(Err(Value::error("Vcard not found")));
    };
    let found = match what {
        Get::Field(name) => vcard::get_field(&vcard, name),
        Get::Sub(name, sub) => vcard::get_subfield(&vcard, name, sub),
    };
    Ok(match found {
        VcardLookup::Found(texts) => Ok(texts),
        VcardLookup::ValueNotFound => Err(Value::error("Value not found in vcard")),
    })
}

/// `get_vcard user host name`.
pub fn get_vcard(ctx: &mut Ctx, user: &str, host: &str, name: &str) -> Result<Value> {
    Ok(match lookup(ctx, user, host, Get::Field(name))? {
        Ok(texts) => Value::Text(texts.concat()),
        Err(v) => v,
    })
}

/// `get_vcard2 user host name subname`.
pub fn get_vcard2(ctx: &mut Ctx, user: &str, host: &str, name: &str, sub: &str) -> Result<Value> {
    Ok(match lookup(ctx, user, host, Get::Sub(name, sub))? {
        Ok(texts) => Value::Text(texts.concat()),
        Err(v) => v,
    })
}

/// `get_vcard2_multi user host name subname`.
pub fn get_vcard2_multi(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    sub: &str,
) -> Result<Value> {
    Ok(match lookup(ctx, user, host, Get::Sub(name, sub))? {
        Ok(texts) => Value::List(texts.into_iter().map(Value::Text).collect()),
        Err(v) => v,
    })
}

fn rewrite(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    f: impl FnOnce(Option<&Element>) -> Element,
) -> Result<Value> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(Value::fail(format!("User {user}@{host} does not exist")));
    };
    let current = load(ctx, &jid)?;
    let new = f(current.as_ref());
    let raw = vcard::search_row(&new);
    // MongooseIM refuses a vCard whose search fields fail stringprep: nothing is stored, and
    // the command still succeeds silently.
    let Some(low) = raw.try_lowered() else {
        tracing::warn!(user = %jid.bare(), "vCard not stored: a search field fails stringprep");
        return Ok(Value::ok(""));
    };
    let text = new.to_xml();
    ctx.store()?
        .write(|tx| tx.put_vcard(&jid, &text, &raw, &low))?;
    Ok(Value::ok(""))
}

/// `set_vcard user host name content`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn set_vcard(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    name: &str,
    content: &str,
) -> Result<Value> {
    rewrite(ctx, user, host, |v| vcard::set_field(v, name, content))
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
) -> Result<Value> {
    let contents = [content.to_string()];
    rewrite(ctx, user, host, |v| {
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
) -> Result<Value> {
    rewrite(ctx, user, host, |v| {
        vcard::set_subfield(v, name, sub, contents)
    })
}
