//! Facts of the schema both backends share (MongooseIM's tables and ours): which tables hold
//! per-user and per-domain rows, under which key columns, and the filter of a session query.
//! Only names and placeholders; the statements themselves stay in each backend.

use super::SessionScope;

/// Tables holding per-user data keyed by (server column, user column), removed with the
/// account (`users` itself excepted).
pub const USER_TABLES: &[(&str, &str, &str)] = &[
    ("last", "server", "username"),
    ("rosterusers", "server", "username"),
    ("rostergroups", "server", "username"),
    ("vcard", "server", "username"),
    ("vcard_search", "server", "lusername"),
    ("private_storage", "server", "username"),
    ("offline_message", "server", "username"),
    ("inbox", "lserver", "luser"),
    ("mongooseimctl_sessions", "server", "username"),
    ("mongooseimctl_delivered", "server", "username"),
];

/// Tables holding a domain's data, by their domain column: everything `delete_domain` removes,
/// one set-based `DELETE … WHERE <column> = ?` each, accounts first (as MongooseIM's auth runs
/// before the modules' `remove_domain` handlers). Every one has an index starting with that
/// column, so a deletion never scans other domains' rows. `auth_token` is not here:
/// MongooseIM 5.1 keeps tokens on domain removal (store.md §5).
pub const DOMAIN_TABLES: &[(&str, &str)] = &[
    ("users", "server"),
    ("last", "server"),
    ("rosterusers", "server"),
    ("rostergroups", "server"),
    ("roster_version", "server"),
    ("vcard", "server"),
    ("vcard_search", "server"),
    ("private_storage", "server"),
    ("offline_message", "server"),
    ("inbox", "lserver"),
    ("mongooseimctl_sessions", "server"),
    ("mongooseimctl_delivered", "server"),
];

/// The filter of a session query over `scope` (and `show`, `node` when given): the text
/// (empty, or ` WHERE col = <p>1 AND …`, placeholders written `prefix` + their number: `?` for
/// SQLite, `$` for PostgreSQL) and the values in placeholder order.
pub fn session_filter(
    prefix: char,
    scope: &SessionScope<'_>,
    show: Option<&str>,
    node: Option<&str>,
) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut push = |column: &str, v: &str| {
        values.push(v.to_string());
        clauses.push(format!("{column} = {prefix}{}", values.len()));
    };
    match scope {
        SessionScope::All => {}
        SessionScope::Server(server) => push("server", server),
        SessionScope::User(user) => {
            push("server", &user.server);
            push("username", &user.user);
        }
    }
    if let Some(show) = show {
        push("show", show);
    }
    if let Some(node) = node {
        push("node", node);
    }
    let text = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (text, values)
}
