//! Group `private` (service_admin_extra_private).

use super::{arg, bin, CommandSpec, Group, Named, Ty, RESTUPLE};
use crate::services::private;

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "private_get",
        group: Group::Private,
        args: &[bin("user"), bin("host"), bin("element"), bin("ns")],
        result: Named {
            name: "content",
            ty: Ty::String,
        },
        tags: &["private"],
        desc: "Get some information from a user private storage",
        long_desc: "",
        handler: |c, a| {
            private::private_get(
                c,
                arg(a, 0).text(),
                arg(a, 1).text(),
                arg(a, 2).text(),
                arg(a, 3).text(),
            )
        },
    },
    CommandSpec {
        name: "private_set",
        group: Group::Private,
        args: &[bin("user"), bin("host"), bin("element")],
        result: RESTUPLE,
        tags: &["private"],
        desc: "Set to the user private storage",
        long_desc: "",
        handler: |c, a| {
            private::private_set(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text())
        },
    },
];
