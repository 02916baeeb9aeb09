//! From the legacy command line (after the global options) to a command run and its output.

use crate::cli::{build, legacy_help};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::registry::{self, ArgType, CommandSpec, Group};
use crate::value::{ArgValue, Value};

/// Exit code of a run.
pub type Code = u8;

/// Render an Erlang string (`~p`) as mongooseimctl does for names it echoes.
fn erl_string(s: &str) -> String {
    crate::compat::erlang::fmt_p(&crate::compat::erlang::Term::string(s))
}

fn is_help_flag(s: &str) -> bool {
    s == "--help" || s == "-h"
}

/// Run the legacy command line `rest` (the words after the global options).
pub fn run(ctx: &mut Ctx, printer: &mut Printer, rest: &[String]) -> Result<Code> {
    let mut rest: Vec<String> = rest.to_vec();
    // `--auth USER HOST PASSWORD` prefix (cli-output §1.4): only used by access control.
    if rest.len() >= 4 && rest[0] == "--auth" {
        if ctx.config.access_commands_configured {
            return Err(Error::Input(
                "general.mongooseimctl_access_commands is configured, but this mongooseimctl does not implement --auth access control; remove the option to use it".into(),
            ));
        }
        rest.drain(0..4);
    }
    let enabled = registry::enabled_commands(&ctx.config);
    let Some(first) = rest.first().cloned() else {
        printer.raw_out(&legacy_help::usage(&enabled));
        return Ok(2);
    };
    match first.as_str() {
        "help" => return help(ctx, printer, &enabled, &rest[1..]),
        "completions" => return completions(printer, &enabled, &rest[1..]),
        "status" | "stop" | "restart" if rest.len() == 1 => {
            if first == "status" {
                let v = crate::services::core::status(ctx)?;
                if let Some(cmd) = registry::find("status") {
                    printer.result(cmd, &v);
                }
            }
            return Ok(0);
        }
        // Wrapper commands that wait for the node to be started / stopped: a standalone tool
        // has nothing to wait for.
        "started" | "stopped" if rest.len() == 1 => return Ok(0),
        "stop" => return unknown(printer, &first),
        "mnesia" if rest.len() <= 2 => {
            printer.legacy_failure(
                &first,
                "Error: \"mnesia needs a running MongooseIM node; this mongooseimctl has no Mnesia\"\n",
            );
            return Ok(1);
        }
        _ => {}
    }

    // Grouped form: GROUP COMMAND ARGS...
    if let Some(group) = Group::from_name(&first) {
        let second = rest.get(1).map(|s| s.replace('-', "_"));
        let in_group = second
            .as_deref()
            .and_then(|n| group.commands().iter().find(|c| c.name == n));
        match (in_group, rest.get(1)) {
            (Some(cmd), Some(typed)) => {
                let typed = typed.clone();
                return execute(ctx, printer, &enabled, cmd, &typed, &rest[2..]);
            }
            (None, None) => {
                group_help(ctx, printer, group, &enabled)?;
                return Ok(2);
            }
            (None, Some(arg)) if is_help_flag(arg) || arg == "help" => {
                group_help(ctx, printer, group, &enabled)?;
                return Ok(0);
            }
            (None, Some(arg)) => {
                // `stats` is also a command: `stats NAME` is the flat form.
                if registry::find(&first).is_none() {
                    return unknown(printer, arg);
                }
            }
            (Some(_), None) => {}
        }
    }

    let name = first.replace('-', "_");
    match registry::find(&name) {
        Some(cmd) => execute(ctx, printer, &enabled, cmd, &first, &rest[1..]),
        None => unknown(printer, &first),
    }
}

fn unknown(printer: &mut Printer, typed: &str) -> Result<Code> {
    printer.legacy_failure(
        typed,
        &format!("Error: command {} not known.\n", erl_string(typed)),
    );
    if let Some(best) = closest(&typed.replace('-', "_")) {
        printer.raw_err(&format!(
            "tip: a command with a similar name exists: {best}\n"
        ));
    }
    Ok(1)
}

/// The registry command closest to `name`, if close enough to be a typo.
fn closest(name: &str) -> Option<&'static str> {
    registry::all()
        .map(|c| (levenshtein(name, c.name), c.name))
        .filter(|(d, n)| *d <= 2.max(n.len() / 5))
        .min()
        .map(|(_, n)| n)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn execute(
    ctx: &mut Ctx,
    printer: &mut Printer,
    enabled: &[&'static CommandSpec],
    cmd: &'static CommandSpec,
    typed: &str,
    raw_args: &[String],
) -> Result<Code> {
    if !enabled.iter().any(|c| c.name == cmd.name) {
        let group = cmd.group.name();
        if cmd.group.submod().is_none() {
            // revoke_token without mod_auth_token: as 5.1, an unknown command.
            return unknown(printer, typed);
        }
        return Err(Error::Disabled {
            command: cmd.name.to_string(),
            group,
            config: ctx.config_label.clone(),
        });
    }
    if raw_args.len() == 1 && is_help_flag(&raw_args[0]) {
        let mut c = build::command(cmd).bin_name(format!("{} {}", build::BIN, cmd.name));
        printer.raw_out(&c.render_long_help().to_string());
        return Ok(0);
    }
    match run_command(ctx, printer, cmd, typed, raw_args) {
        // A crash is reported like mongooseimctl's, under the command's name.
        Err(Error::Crash(what)) => {
            printer.legacy_failure(typed, &format!("{}\n", Error::Crash(what)));
            Ok(1)
        }
        other => other,
    }
}

/// Argument joining, arity check, conversion, the handler, and the result's output.
fn run_command(
    ctx: &mut Ctx,
    printer: &mut Printer,
    cmd: &'static CommandSpec,
    typed: &str,
    raw_args: &[String],
) -> Result<Code> {
    let args = xml_join(raw_args)?;
    if args.len() != cmd.args.len() {
        printer.legacy_failure(typed, &legacy_help::arity_error(cmd, typed, args.len()));
        return Ok(1);
    }
    let mut values = Vec::with_capacity(args.len());
    for (spec, raw) in cmd.args.iter().zip(args) {
        let v = match spec.ty {
            ArgType::Integer => ArgValue::Int(parse_int(&raw).ok_or_else(|| {
                Error::crash(format!(
                    "error: argument {} is not an integer: {}",
                    spec.name,
                    erl_string(&raw)
                ))
            })?),
            ArgType::BinaryList => ArgValue::List(
                raw.split(';')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            _ if spec.secret && raw == "-" => ArgValue::Text(ctx.read_secret(spec.name)?),
            _ => ArgValue::Text(raw),
        };
        values.push(v);
    }
    tracing::debug!(command = cmd.name, "running");
    let value: Value = (cmd.handler)(ctx, &values)?;
    printer.result(cmd, &value);
    Ok(value.exit_code())
}

/// Erlang `io_lib:fread("~d")`: leading whitespace, optional sign, digits; the rest ignored.
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        return None;
    }
    let n: i64 = digits[..end].parse().ok()?;
    Some(if neg { -n } else { n })
}

/// mongooseimctl's XML join (cli-output §1.2): an argument starting with `<` whose brackets do
/// not balance is joined (with a space) with the following ones until they do.
pub fn xml_join(args: &[String]) -> Result<Vec<String>> {
    fn balance(s: &str) -> i64 {
        let mut sum = 0;
        let mut skip = false;
        for c in s.chars() {
            if skip {
                skip = false;
                continue;
            }
            match c {
                '<' => sum -= 1,
                '>' => sum += 1,
                ' ' => skip = true,
                _ => {}
            }
        }
        sum
    }
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        let mut cur = args[i].clone();
        i += 1;
        if cur.starts_with('<') {
            while balance(&cur) != 0 {
                let Some(next) = args.get(i) else {
                    return Err(Error::crash(format!(
                        "error: XML argument {} has unbalanced angle brackets and no argument follows to complete it",
                        erl_string(&cur)
                    )));
                };
                cur.push(' ');
                cur.push_str(next);
                i += 1;
            }
        }
        out.push(cur);
    }
    Ok(out)
}

fn group_help(
    ctx: &Ctx,
    printer: &mut Printer,
    group: Group,
    enabled: &[&'static CommandSpec],
) -> Result<()> {
    if group
        .submod()
        .is_some_and(|s| !ctx.config.submod_enabled(s))
    {
        printer.raw_err(&format!(
            "note: group {} is not enabled in {}; its commands are refused\n",
            group.name(),
            ctx.config_label
        ));
    }
    let all: Vec<&'static CommandSpec> = group.commands().iter().collect();
    let cmds = if enabled.iter().any(|c| c.group == group) {
        enabled.to_vec()
    } else {
        all
    };
    let mut tree = build::tree(&cmds);
    tree.build();
    if let Some(g) = tree.find_subcommand_mut(group.name()) {
        let mut g = g
            .clone()
            .bin_name(format!("{} {}", build::BIN, group.name()));
        printer.raw_out(&g.render_long_help().to_string());
    }
    Ok(())
}

fn help(
    ctx: &mut Ctx,
    printer: &mut Printer,
    enabled: &[&'static CommandSpec],
    args: &[String],
) -> Result<Code> {
    let first = args.first().map(String::as_str);
    match first {
        None => {
            printer.raw_out(&legacy_help::usage(enabled));
            Ok(2)
        }
        Some("--long") => {
            printer.raw_out(&legacy_help::usage_long(enabled));
            Ok(2)
        }
        Some("--dual") => {
            printer.raw_out(&legacy_help::usage_dual(enabled));
            Ok(2)
        }
        Some("--tags") => {
            match args.get(1) {
                None => printer.raw_out(&legacy_help::tags(enabled)),
                Some(tag) => printer.raw_out(&legacy_help::tag_commands(enabled, tag)),
            }
            Ok(0)
        }
        Some("help") => {
            printer.raw_out(&legacy_help::help_help());
            Ok(0)
        }
        Some(topic) => {
            if let Some(group) = Group::from_name(topic) {
                if registry::find(topic).is_none() {
                    group_help(ctx, printer, group, enabled)?;
                    return Ok(0);
                }
            }
            printer.raw_out(&legacy_help::command_help(enabled, topic));
            Ok(0)
        }
    }
}

fn completions(
    printer: &mut Printer,
    enabled: &[&'static CommandSpec],
    args: &[String],
) -> Result<Code> {
    let shell = args.first().map(String::as_str).unwrap_or("");
    match crate::generate::completions(shell, enabled) {
        Some(script) => {
            printer.raw_out(&script);
            Ok(0)
        }
        None => Err(Error::Usage(format!(
            "error: completions needs one of: bash, zsh, fish, elvish, powershell (got {})\n",
            erl_string(shell)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fread_integers() {
        assert_eq!(parse_int("12abc"), Some(12));
        assert_eq!(parse_int("1.5"), Some(1));
        assert_eq!(parse_int(" 7"), Some(7));
        assert_eq!(parse_int("+3"), Some(3));
        assert_eq!(parse_int("-100"), Some(-100));
        assert_eq!(parse_int("abc"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_int("99999999999999999999"), None);
    }

    #[test]
    fn xml_arguments_are_joined_until_balanced() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            xml_join(&v(&["<a>", "x</a>"])).unwrap(),
            v(&["<a>", "x</a>"])
        );
        assert_eq!(xml_join(&v(&["<a/>", "b"])).unwrap(), v(&["<a/>", "b"]));
        // `<a> <b/></a>` stays unbalanced (+1) by mongooseimctl's rule, whatever follows.
        assert!(xml_join(&v(&["<a> <b/></a>", "c"])).is_err());
        assert_eq!(
            xml_join(&v(&["<a> <b/></a>", "x<"])).unwrap(),
            v(&["<a> <b/></a> x<"])
        );
        assert_eq!(xml_join(&v(&["<a", "b>"])).unwrap(), v(&["<a b>"]));
        assert!(xml_join(&v(&["x", "<a> <b/></a>"])).is_err());
    }

    #[test]
    fn typo_suggestions() {
        assert_eq!(closest("registerd_users"), Some("registered_users"));
        assert_eq!(closest("zzzzzzzzzzzzzzzzzz"), None);
    }
}
