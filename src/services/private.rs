//! Group `private` (service_admin_extra_private): XEP-0049 private XML storage, one element
//! per (user, namespace).

use crate::compat::jid::Jid;
use crate::compat::xml::{self, Element};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::services::accounts::existing_user;

/// The outcome of `private_get`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateGet {
    /// The element under `namespace`: the stored one (`stored`), or else the request echoed
    /// (`<ELEMENT xmlns='NS'/>`).
    Found {
        jid: Jid,
        namespace: String,
        xml: String,
        stored: bool,
    },
    /// No such account (as typed).
    NoSuchUser { user: String, host: String },
}

/// The outcome of `private_set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateSet {
    /// The element was accepted: stored (serialised as `xml`) under its namespace, or not
    /// stored at all when it has no (or an empty) `xmlns` (`namespace` None).
    Set {
        jid: Jid,
        namespace: Option<String>,
        xml: String,
    },
    /// The argument is not an XML element: the parser's message.
    InvalidXml { element: String, error: String },
    /// No such account (the normalised JID, as 5.1 reports it).
    NoSuchUser { jid: Jid },
    /// mod_private is not enabled for the host type of the account's domain.
    ModuleNotLoaded { domain: String },
}

/// `private_get user host element ns`.
pub fn private_get(
    ctx: &mut Ctx,
    user: &str,
    host: &str,
    element: &str,
    ns: &str,
) -> Result<PrivateGet> {
    let Some(jid) = existing_user(ctx, user, host)? else {
        return Ok(PrivateGet::NoSuchUser {
            user: user.to_string(),
            host: host.to_string(),
        });
    };
    if ns.is_empty() {
        return Err(Error::Crash(Crash::EmptyArgument {
            arg: "namespace (ns)",
        }));
    }
    let (xml, stored) = match ctx.store()?.read(|tx| tx.private(&jid, ns))? {
        Some(data) => (data, true),
        None => (Element::new(element).with_attr("xmlns", ns).to_xml(), false),
    };
    Ok(PrivateGet::Found {
        jid,
        namespace: ns.to_string(),
        xml,
        stored,
    })
}

/// `private_set user host element`.
#[tracing::instrument(level = "debug", skip_all)]
pub fn private_set(ctx: &mut Ctx, user: &str, host: &str, element: &str) -> Result<PrivateSet> {
    let parsed = match xml::parse(element) {
        Ok(e) => e,
        Err(e) => {
            return Ok(PrivateSet::InvalidXml {
                element: element.to_string(),
                error: e.message,
            })
        }
    };
    let jid = crate::services::accounts::jid_or_crash(user, host)?;
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(PrivateSet::NoSuchUser { jid });
    };
    if !ctx.store()?.read(|tx| tx.user_exists(&jid))? {
        return Ok(PrivateSet::NoSuchUser { jid });
    }
    if !ctx.config.host_modules(&host_type).private {
        return Ok(PrivateSet::ModuleNotLoaded { domain: jid.server });
    }
    let xml = parsed.to_xml();
    let namespace = parsed
        .attr("xmlns")
        .filter(|ns| !ns.is_empty())
        .map(str::to_string);
    if let Some(ns) = &namespace {
        ctx.store()?.write(|tx| tx.put_private(&jid, ns, &xml))?;
    }
    Ok(PrivateSet::Set {
        jid,
        namespace,
        xml,
    })
}
