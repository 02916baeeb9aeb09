//! The ctl access check (cli-output §6, config.md `general.mongooseimctl_access_commands`):
//! which callers may run which commands with which argument values. Business rules only: the
//! configuration is typed by `config`, the stored password is read in one read transaction,
//! the denial is rendered by the output layer.
//!
//! As MongooseIM's `ejabberd_commands:check_access_commands`: with no rule configured every
//! command is allowed and `--auth` is ignored. Otherwise the call is allowed when at least one
//! rule allows it: the rule's access rule lets the caller in (`all`: anyone, without
//! credentials; any other rule: only a caller who gave valid `--auth` credentials and whom the
//! `[access]` rule allows), the command is in the rule's `commands` (or it has none), and every
//! restricted argument the command has equals the configured value. With `--auth` given and a
//! rule other than `all` configured, bad credentials refuse the call at once
//! (`invalid_account_data`), as 5.1's check does whatever the other rules say; otherwise a call
//! no rule allows is `account_unprivileged`.
//!
//! Deliberate difference (docs/compat.md): the password is verified for real
//! ([`scram::verify`]) — 5.1 compares it with the stored *plain* column, which is empty for
//! SCRAM users, so any existing SCRAM account passed with an empty password. 5.1's other
//! accepted form, the MD5 of the stored plain password in the hex quirk, is kept for accounts
//! stored in plain.

use std::fmt;

use crate::compat::jid::Jid;
use crate::compat::{pcre, scram};
use crate::config::{AccessValue, AclCondition, AclMatch, AclPattern, Config, CtlAccessRule};
use crate::context::Ctx;
use crate::error::Result;
use crate::registry::ArgValue;
use crate::store::StoredPassword;

/// `--auth USER HOST PASSWORD`. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub host: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("host", &self.host)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Why a call is refused; 5.1's error atoms, which are also the JSON kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// No rule allows this caller to run this command with these arguments.
    AccountUnprivileged,
    /// `--auth` names no account, or the password is wrong.
    InvalidAccountData,
}

impl Denial {
    pub fn atom(self) -> &'static str {
        match self {
            Denial::AccountUnprivileged => "account_unprivileged",
            Denial::InvalidAccountData => "invalid_account_data",
        }
    }
}

/// Whether `--auth` credentials are verified under `config` (so whether a `-` password must be
/// read from stdin): access control is configured with a rule other than `all`.
pub fn needs_credentials(config: &Config) -> bool {
    config.access_commands.iter().any(|r| r.access != "all")
}

/// The access check of one call of `command` with its converted arguments: `None` = allowed.
pub fn check(
    ctx: &mut Ctx,
    auth: Option<&Credentials>,
    command: &str,
    args: &[(&'static str, ArgValue)],
) -> Result<Option<Denial>> {
    if ctx.config.access_commands.is_empty() {
        return Ok(None);
    }
    let account = match auth {
        Some(c) if needs_credentials(&ctx.config) => match verify(ctx, c)? {
            Some(found) => Some(found),
            None => return Ok(Some(Denial::InvalidAccountData)),
        },
        _ => None,
    };
    let config = &ctx.config;
    let allowed = config.access_commands.iter().any(|rule| {
        let caller_ok = match (rule.access.as_str(), &account) {
            ("all", _) => true,
            (_, Some((jid, host_type))) => rule_allows(config, host_type, &rule.access, jid),
            (_, None) => false,
        };
        caller_ok && covers(rule, command, args)
    });
    Ok((!allowed).then_some(Denial::AccountUnprivileged))
}

/// The account and its host type if the credentials are valid: the JID is valid, its domain
/// known, and the password verifies against the stored one (read in one read transaction).
fn verify(ctx: &mut Ctx, c: &Credentials) -> Result<Option<(Jid, String)>> {
    let Some(jid) = Jid::make(&c.user, &c.host, "") else {
        return Ok(None);
    };
    let Some(host_type) = ctx.host_type(&jid.server)? else {
        return Ok(None);
    };
    let stored = ctx.store()?.read(|tx| tx.password(&jid))?;
    let ok = stored.is_some_and(|s| {
        scram::verify(&s.password, s.pass_details.as_deref(), &c.password)
            || md5_quirk_matches(&s, &c.password)
    });
    Ok(ok.then_some((jid, host_type)))
}

/// 5.1 also accepts the MD5 of the stored plain password in the hex quirk (commands.md §2.6);
/// only for accounts stored in plain with a non-empty password.
fn md5_quirk_matches(stored: &StoredPassword, given: &str) -> bool {
    stored.pass_details.is_none()
        && !stored.password.is_empty()
        && scram::hash_quirk("md5", stored.password.as_bytes()).as_deref() == Some(given)
}

/// Whether the rule's `commands` and `argument_restrictions` cover this call.
fn covers(rule: &CtlAccessRule, command: &str, args: &[(&'static str, ArgValue)]) -> bool {
    let command_ok = rule
        .commands
        .as_ref()
        .is_none_or(|names| names.iter().any(|n| n == command));
    command_ok
        && rule.argument_restrictions.iter().all(|(name, allowed)| {
            match args.iter().find(|(n, _)| n == name) {
                Some((_, value)) => value_is(value, allowed),
                None => true,
            }
        })
}

/// A restricted argument's value equals the configured string: texts exactly, integers by
/// value, lists as typed (`;`-joined).
fn value_is(value: &ArgValue, allowed: &str) -> bool {
    match value {
        ArgValue::Text(s) => s == allowed,
        ArgValue::Int(i) => allowed.parse::<i64>().ok() == Some(*i),
        ArgValue::List(items) => items.join(";") == allowed,
        ArgValue::Absent => false,
    }
}

/// MongooseIM's `acl:match_rule` for a verified account: the first clause whose class
/// contains the account decides (`allow` allows); no such clause, or no such rule, denies.
/// The rules `all` and `none` are predefined.
fn rule_allows(config: &Config, host_type: &str, rule: &str, jid: &Jid) -> bool {
    match_rule(config, host_type, rule, jid) == Some(AccessValue::Allow)
}

/// MongooseIM's `acl:match_rule`: the value of the first clause of the `[access]` rule `rule`
/// (for `host_type`) whose ACL class contains `jid`; `None` when there is no such rule or no
/// clause matches (MongooseIM then answers its default, `deny`). The rules `all` and `none`
/// are predefined (`allow` and `deny`). Numeric values are [`AccessValue::Other`].
pub(crate) fn match_rule(
    config: &Config,
    host_type: &str,
    rule: &str,
    jid: &Jid,
) -> Option<AccessValue> {
    match rule {
        "all" => return Some(AccessValue::Allow),
        "none" => return Some(AccessValue::Deny),
        _ => {}
    }
    config
        .access_rule(host_type, rule)?
        .iter()
        .find(|c| in_class(config, host_type, &c.acl, jid))
        .map(|c| c.value.clone())
}

/// Whether the account is in the ACL class (`all` and `none` are predefined).
fn in_class(config: &Config, host_type: &str, class: &str, jid: &Jid) -> bool {
    match class {
        "all" => true,
        "none" => false,
        _ => config
            .acl_class(host_type, class)
            .iter()
            .any(|p| pattern_matches(p, jid)),
    }
}

/// One ACL pattern: its `match` and every condition hold. `current_domain` and
/// `any_hosted_domain` hold for a verified account: its domain is hosted, and it is the domain
/// the rule is evaluated for.
fn pattern_matches(p: &AclPattern, jid: &Jid) -> bool {
    let domain_ok = match p.matches {
        AclMatch::All | AclMatch::CurrentDomain | AclMatch::AnyHostedDomain => true,
        AclMatch::None => false,
    };
    domain_ok
        && p.conditions.iter().all(|(cond, value)| {
            use AclCondition as C;
            let part = match cond {
                C::User | C::UserRegexp | C::UserGlob => &jid.user,
                C::Server | C::ServerRegexp | C::ServerGlob => &jid.server,
                C::Resource | C::ResourceRegexp | C::ResourceGlob => &jid.resource,
            };
            match cond {
                C::User | C::Server | C::Resource => part == value,
                C::UserRegexp | C::ServerRegexp | C::ResourceRegexp => regex_matches(part, value),
                C::UserGlob | C::ServerGlob | C::ResourceGlob => {
                    regex_matches(part, &glob_to_regex(value))
                }
            }
        })
}

/// `re:run(Part, Pattern)` matches somewhere; a pattern that does not compile never matches
/// (MongooseIM logs it and answers false).
fn regex_matches(part: &str, pattern: &str) -> bool {
    match pcre::Regex::new(pattern) {
        Ok(re) => re.is_match(part.as_bytes()),
        Err(_) => {
            tracing::warn!("an [acl] regular expression does not compile; it matches nobody");
            false
        }
    }
}

/// `xmerl_regexp:sh_to_awk/1`: a shell glob as an anchored regular expression (`*` any
/// string, `?` one character, `[...]` / `[!...]` character classes, everything else
/// literal).
pub(crate) fn glob_to_regex(glob: &str) -> String {
    const SPECIAL: &str = "|*+?()\\^$.[]\"{}";
    let chars: Vec<char> = glob.chars().collect();
    let mut out = String::from("^(");
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            '[' => {
                // A class runs to the next `]` (a `]` right after `[`, `[!` or `[^` is a member).
                let mut j = i + 1;
                let negated = matches!(chars.get(j), Some('!') | Some('^'));
                if negated {
                    j += 1;
                }
                let first = j;
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                if j >= chars.len() {
                    // No closing bracket: a literal `[`.
                    out.push_str("\\[");
                } else {
                    out.push('[');
                    if negated {
                        out.push('^');
                    }
                    for &c in &chars[first..j] {
                        if c == '\\' || c == '[' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push(']');
                    i = j;
                }
            }
            c if SPECIAL.contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        i += 1;
    }
    out.push_str(")$");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Config {
        match Config::parse(toml, None) {
            Ok(c) => c,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn jid(u: &str, s: &str) -> Jid {
        Jid::make(u, s, "").expect("valid jid")
    }

    const BASE: &str =
        "[general]\nhosts = [\"localhost\", \"b.org\"]\ndefault_server_domain = \"localhost\"\n";

    #[test]
    fn globs_become_anchored_regexes() {
        assert_eq!(glob_to_regex("ali*"), "^(ali.*)$");
        assert_eq!(glob_to_regex("a?c.d"), "^(a.c\\.d)$");
        assert_eq!(glob_to_regex("[!ab]x"), "^([^ab]x)$");
        assert_eq!(glob_to_regex("[]a]"), "^([]a])$");
        assert_eq!(glob_to_regex("[ab"), "^(\\[ab)$");
        assert!(regex_matches("alice", &glob_to_regex("ali*")));
        assert!(!regex_matches("malice", &glob_to_regex("ali*")));
    }

    #[test]
    fn access_rules_decide_by_their_first_matching_clause() {
        let c = config(&format!(
            "{BASE}[acl]\nadmins = [{{user = \"Alice\"}}, {{user_glob = \"root*\"}}]\n\
             banned = [{{user_regexp = \"^bad\"}}]\n\
             [access]\nctl = [{{acl = \"banned\", value = \"deny\"}}, {{acl = \"admins\", value = \"allow\"}}]\n\
             everyone = [{{acl = \"all\", value = \"allow\"}}]\n\
             numbers = [{{acl = \"all\", value = 10}}]\n"
        ));
        assert!(rule_allows(
            &c,
            "localhost",
            "ctl",
            &jid("alice", "localhost")
        ));
        assert!(rule_allows(
            &c,
            "localhost",
            "ctl",
            &jid("rootkit", "localhost")
        ));
        assert!(!rule_allows(
            &c,
            "localhost",
            "ctl",
            &jid("bob", "localhost")
        ));
        assert!(!rule_allows(
            &c,
            "localhost",
            "ctl",
            &jid("badroot", "localhost")
        ));
        assert!(rule_allows(
            &c,
            "localhost",
            "everyone",
            &jid("bob", "localhost")
        ));
        assert!(!rule_allows(
            &c,
            "localhost",
            "numbers",
            &jid("bob", "localhost")
        ));
        assert!(!rule_allows(
            &c,
            "localhost",
            "undefined",
            &jid("bob", "localhost")
        ));
        assert!(rule_allows(
            &c,
            "localhost",
            "all",
            &jid("bob", "localhost")
        ));
        assert!(!rule_allows(
            &c,
            "localhost",
            "none",
            &jid("alice", "localhost")
        ));
    }

    #[test]
    fn host_config_rules_are_merged_before_a_global_catch_all() {
        let c = config(&format!(
            "{BASE}[access]\nctl = [{{acl = \"all\", value = \"allow\"}}]\n\
             [[host_config]]\nhost = \"b.org\"\n[host_config.acl]\nbob = [{{user = \"bob\"}}]\n\
             [host_config.access]\nctl = [{{acl = \"bob\", value = \"deny\"}}]\n"
        ));
        assert!(rule_allows(
            &c,
            "localhost",
            "ctl",
            &jid("bob", "localhost")
        ));
        assert!(!rule_allows(&c, "b.org", "ctl", &jid("bob", "b.org")));
        assert!(rule_allows(&c, "b.org", "ctl", &jid("carol", "b.org")));
    }

    #[test]
    fn commands_and_argument_restrictions() {
        let rule = CtlAccessRule {
            access: "all".into(),
            commands: Some(vec!["get_roster".into(), "delete_old_users".into()]),
            argument_restrictions: vec![
                ("host".into(), "localhost".into()),
                ("days".into(), "30".into()),
            ],
        };
        let text = |v: &str| ArgValue::Text(v.into());
        assert!(covers(
            &rule,
            "get_roster",
            &[("user", text("a")), ("host", text("localhost"))]
        ));
        assert!(!covers(
            &rule,
            "get_roster",
            &[("user", text("a")), ("host", text("b.org"))]
        ));
        assert!(!covers(
            &rule,
            "registered_users",
            &[("host", text("localhost"))]
        ));
        assert!(covers(
            &rule,
            "delete_old_users",
            &[("days", ArgValue::Int(30))]
        ));
        assert!(!covers(
            &rule,
            "delete_old_users",
            &[("days", ArgValue::Int(1))]
        ));
        let any = CtlAccessRule {
            access: "all".into(),
            commands: None,
            argument_restrictions: vec![],
        };
        assert!(covers(&any, "anything", &[]));
    }

    #[test]
    fn credentials_never_show_their_password() {
        let c = Credentials {
            user: "u".into(),
            host: "h".into(),
            password: "S3cretPw".into(),
        };
        assert!(!format!("{c:?}").contains("S3cretPw"));
    }
}
