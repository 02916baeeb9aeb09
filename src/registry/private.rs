//! Group `private` (service_admin_extra_private).

use super::{bin, reply, spec, CommandSpec, Group, Named, Ty, RESTUPLE};
use crate::services::private;

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Private,
        "private_get",
        &[bin("user"), bin("host"), bin("element"), bin("ns")],
        Named {
            name: "content",
            ty: Ty::String,
        },
        &["private"],
        "Get some information from a user private storage",
        |c, a| {
            reply(private::private_get(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("element")?,
                a.text("ns")?,
            ))
        },
    ),
    spec(
        Group::Private,
        "private_set",
        &[bin("user"), bin("host"), bin("element")],
        RESTUPLE,
        &["private"],
        "Set to the user private storage",
        |c, a| {
            reply(private::private_set(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("element")?,
            ))
        },
    ),
];
