//! Group `private` (service_admin_extra_private): XEP-0049 private XML storage, one element
//! per (user, namespace).

use crate::compat::erlang::{self, Term};
use crate::compat::xml::{self, Element};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::output::Legacy as Value;
use crate::services::accounts::existing_user;

/// `private_get user host element ns`.
pub fn private_get(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    element: &str,
    ns: &str,
) -> Result<Value> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(Value::error(format!("User {user}@{host} does not exist")));
    };
    if ns.is_empty() {
        return Err(Error::Crash(Crash::EmptyArgument {
            arg: "namespace (ns)",
        }));
    }
    match ctx.store()?.read(|tx| tx.private(&jid, ns))? {
        Some(data) => Ok(Value::Text(data)),
        None => Ok(Value::Text(
            Element::new(element).with_attr("xmlns", ns).to_xml(),
        )),
    }
}

/// `private_set user host element`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn private_set(ctx: &mut Ctx, user: &str, host: &str, element: &str) -> Result<Value> {
    let parsed = match xml::parse(element) {
        Ok(e) => e,
        Err(e) => {
            return Ok(Value::fail(format!(
                "Error found parsing the element:\n  {}\nError: {}\n",
                Term::bin(element).pretty(2),
                erlang::fmt_p(&Term::string(&e.message))
            )))
        }
    };
    let jid = crate::services::accounts::jid_or_crash(user, host)?;
    let norm = jid.bare();
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(Value::fail(format!("User {norm} does not exist")));
    };
    if !ctx.store()?.read(|tx| tx.user_exists(&jid))? {
        return Ok(Value::fail(format!("User {norm} does not exist")));
    }
    if !ctx.config.host_modules(&host_type).private {
        return Ok(Value::fail(format!(
            "Module mod_private is not loaded on domain {}",
            jid.server
        )));
    }
    if let Some(ns) = parsed.attr("xmlns").filter(|ns| !ns.is_empty()) {
        let data = parsed.to_xml();
        let ns = ns.to_string();
        ctx.store()?.write(|tx| tx.put_private(&jid, &ns, &data))?;
    }
    Ok(Value::ok(""))
}
