//! Group `accounts` (service_admin_extra_accounts).

use super::{bin, int, reply, secret, spec, string, CommandSpec, Group, Named, Ty, RESTUPLE};
use crate::services::{accounts, provision};

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Accounts,
        "change_password",
        &[bin("user"), bin("host"), secret("newpass")],
        RESTUPLE,
        &["accounts"],
        "Change the password of an account",
        |c, a| {
            reply(accounts::change_password(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("newpass")?,
            ))
        },
    ),
    spec(
        Group::Accounts,
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
            reply({
                accounts::check_password_hash(
                    c,
                    a.text("user")?,
                    a.text("host")?,
                    a.text("passwordhash")?,
                    a.text("hashmethod")?,
                )
            })
        },
    )
    .long("Allowed hash methods: md5, sha."),
    spec(
        Group::Accounts,
        "delete_old_users",
        &[int("days")],
        RESTUPLE,
        &["accounts", "purge"],
        "Delete users that didn't log in last days, or that never logged",
        |c, a| reply(accounts::delete_old_users(c, a.int("days")?)),
    )
    .destructive()
    .guarded("delete", "account", "accounts"),
    spec(
        Group::Accounts,
        "delete_old_users_vhost",
        &[bin("host"), int("days")],
        RESTUPLE,
        &["accounts", "purge"],
        "Delete users that didn't log in last days in vhost, or that never logged",
        |c, a| {
            reply(accounts::delete_old_users_vhost(
                c,
                a.text("host")?,
                a.int("days")?,
            ))
        },
    )
    .destructive()
    .guarded("delete", "account", "accounts"),
    spec(
        Group::Accounts,
        "ban_account",
        &[bin("user"), bin("host"), bin("reason")],
        RESTUPLE,
        &["accounts"],
        "Ban an account: kick sessions and set random password",
        |c, a| {
            reply(accounts::ban_account(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("reason")?,
            ))
        },
    ),
    spec(
        Group::Accounts,
        "num_active_users",
        &[bin("host"), int("days")],
        Named {
            name: "users",
            ty: Ty::Integer,
        },
        &["accounts", "stats"],
        "Get number of users active in the last days",
        |c, a| {
            reply(accounts::num_active_users(
                c,
                a.text("host")?,
                a.int("days")?,
            ))
        },
    ),
    spec(
        Group::Accounts,
        "check_account",
        &[bin("user"), bin("host")],
        RESTUPLE,
        &["accounts"],
        "Check if an account exists or not",
        |c, a| reply(accounts::check_account(c, a.text("user")?, a.text("host")?)),
    ),
    spec(
        Group::Accounts,
        "check_password",
        &[bin("user"), bin("host"), secret("password")],
        RESTUPLE,
        &["accounts"],
        "Check if a password is correct",
        |c, a| {
            reply(accounts::check_password(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("password")?,
            ))
        },
    ),
    spec(
        Group::Accounts,
        "ensure_account",
        &[bin("user"), bin("host"), secret("password")],
        RESTUPLE,
        &["provisioning"],
        "Create an account, or set its password if it exists (mongooseimctl extension)",
        |c, a| {
            reply(provision::ensure_account(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("password")?,
            ))
        },
    )
    .long(
        "Idempotent provisioning: creates the account when it does not exist (\"User u@h \
        created\"); otherwise verifies the password against the stored one and stores it only \
        when it does not verify (\"Password of u@h updated\"), else writes nothing (\"User u@h \
        unchanged\"). Exit 0 in all three cases; -o json reports `changed`. The read that \
        decides and the write are one transaction. PASSWORD `-` reads it from standard input. \
        Example: mongooseimctl ensure_account alice localhost - <<< \"$PASSWORD\"",
    ),
];
