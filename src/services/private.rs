//! Group `private` (service_admin_extra_private): XEP-0049 private XML storage, one element
//! per (user, namespace).

use crate::compat::jid::Jid;
use crate::compat::xml::Unstorable;
use crate::compat::xml::{self, Element};
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};
use crate::services::accounts::{local_user, write_as_user};

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
    /// The argument parses, but what would be stored could not be read back as XML 1.0
    /// (a control character from a character reference, a name that is not an XML name):
    /// nothing changed.
    Unstorable { problem: Unstorable },
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
    let no_such_user = || PrivateGet::NoSuchUser {
        user: user.to_string(),
        host: host.to_string(),
    };
    let Some(jid) = local_user(ctx, user, host)? else {
        return Ok(no_such_user());
    };
    // One snapshot: the account and its element.
    let found = ctx.store()?.read(|tx| {
        if !tx.user_exists(&jid)? {
            Ok(None)
        } else if ns.is_empty() {
            Ok(Some(None))
        } else {
            tx.private(&jid, ns).map(Some)
        }
    })?;
    let Some(found) = found else {
        return Ok(no_such_user());
    };
    if ns.is_empty() {
        return Err(Error::Crash(Crash::EmptyArgument {
            arg: "namespace (ns)",
        }));
    }
    let (xml, stored) = match found {
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
    if let Err(problem) = xml::check_storable(&parsed) {
        return Ok(PrivateSet::Unstorable { problem });
    }
    let jid = crate::services::accounts::jid_or_crash(user, host)?;
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(PrivateSet::NoSuchUser { jid });
    };
    let loaded = ctx.config.host_modules(&host_type).private;
    let xml = parsed.to_xml();
    let namespace = parsed
        .attr("xmlns")
        .filter(|ns| !ns.is_empty())
        .map(str::to_string);
    // The account is checked inside the write: a concurrent unregister either comes first
    // (nothing is written) or removes what we wrote.
    let written = write_as_user(ctx, &jid, |tx| {
        if !loaded {
            return Ok(false);
        }
        if let Some(ns) = &namespace {
            crate::store::limits::private(&jid, ns)?;
            tx.put_private(&jid, ns, &xml)?;
        }
        Ok(true)
    })?;
    Ok(match written {
        None => PrivateSet::NoSuchUser { jid },
        Some(false) => PrivateSet::ModuleNotLoaded { domain: jid.server },
        Some(true) => PrivateSet::Set {
            jid,
            namespace,
            xml,
        },
    })
}
