//! Group `private` (service_admin_extra_private).

use super::{arg, bin, spec, CommandSpec, Group, Named, Ty, RESTUPLE};
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
            private::private_get(
                c,
                arg(a, 0).text(),
                arg(a, 1).text(),
                arg(a, 2).text(),
                arg(a, 3).text(),
            )
        },
    ),
    spec(
        Group::Private,
        "private_set",
        &[bin("user"), bin("host"), bin("element")],
        RESTUPLE,
        &["private"],
        "Set to the user private storage",
        |c, a| private::private_set(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text()),
    ),
];
