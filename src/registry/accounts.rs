//! Group `accounts` (service_admin_extra_accounts).

use super::{
    arg, bin, int, secret, spec, string, ArgSpec, CommandSpec, Group, Named, Ty, RESTUPLE,
};
use crate::services::accounts;

const fn cmd(
    name: &'static str,
    args: &'static [ArgSpec],
    result: Named,
    tags: &'static [&'static str],
    desc: &'static str,
    handler: super::Handler,
) -> CommandSpec {
    spec(Group::Accounts, name, args, result, tags, desc, handler)
}

pub const COMMANDS: &[CommandSpec] = &[
    cmd(
        "change_password",
        &[bin("user"), bin("host"), secret("newpass")],
        RESTUPLE,
        &["accounts"],
        "Change the password of an account",
        |c, a| accounts::change_password(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text()),
    ),
    cmd(
        "check_password_hash",
        &[
            bin("user"),
            bin("host"),
            string("passwordhash"),
            string("hashmethod"),
        ],
        RESTUPLE,
        &["accounts"],
        "Check if the password hash is correct",
        |c, a| {
            accounts::check_password_hash(
                c,
                arg(a, 0).text(),
                arg(a, 1).text(),
                arg(a, 2).text(),
                arg(a, 3).text(),
            )
        },
    )
    .long("Allowed hash methods: md5, sha."),
    cmd(
        "delete_old_users",
        &[int("days")],
        RESTUPLE,
        &["accounts", "purge"],
        "Delete users that didn't log in last days, or that never logged",
        |c, a| accounts::delete_old_users(c, arg(a, 0).int()),
    ),
    cmd(
        "delete_old_users_vhost",
        &[bin("host"), int("days")],
        RESTUPLE,
        &["accounts", "purge"],
        "Delete users that didn't log in last days in vhost, or that never logged",
        |c, a| accounts::delete_old_users_vhost(c, arg(a, 0).text(), arg(a, 1).int()),
    ),
    cmd(
        "ban_account",
        &[bin("user"), bin("host"), bin("reason")],
        RESTUPLE,
        &["accounts"],
        "Ban an account: kick sessions and set random password",
        |c, a| accounts::ban_account(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text()),
    ),
    cmd(
        "num_active_users",
        &[bin("host"), int("days")],
        Named {
            name: "users",
            ty: Ty::Integer,
        },
        &["accounts", "stats"],
        "Get number of users active in the last days",
        |c, a| accounts::num_active_users(c, arg(a, 0).text(), arg(a, 1).int()),
    ),
    cmd(
        "check_account",
        &[bin("user"), bin("host")],
        RESTUPLE,
        &["accounts"],
        "Check if an account exists or not",
        |c, a| accounts::check_account(c, arg(a, 0).text(), arg(a, 1).text()),
    ),
    cmd(
        "check_password",
        &[bin("user"), bin("host"), secret("password")],
        RESTUPLE,
        &["accounts"],
        "Check if a password is correct",
        |c, a| accounts::check_password(c, arg(a, 0).text(), arg(a, 1).text(), arg(a, 2).text()),
    ),
];
