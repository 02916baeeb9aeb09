//! From the legacy command line (after the global options) to a command run and its output.

use crate::cli::{build, legacy_help};
use crate::compat::erlang::p_string;
use crate::context::{Ctx, Guard};
use crate::error::{Crash, Ending, Error, GuardStop, Result, Unknown};
use crate::output::Printer;
use crate::registry::{
    self, ArgType, ArgValue, Args, BuiltinAction, CommandSpec, Group, Reply, Ty,
};
use crate::services::access::{self, Credentials};
use crate::services::provision::{self, Captured};

/// Run-wide choices from the global options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `--legacy-integers`: the destructive commands accept 5.1's leading-digits integers.
    pub legacy_integers: bool,
    /// `--dry-run`: a guarded command runs with its writes rolled back.
    pub dry_run: bool,
    /// `--yes`: a guarded command does not ask for confirmation.
    pub yes: bool,
    /// `-q`: no notices on stderr (the dry-run line).
    pub quiet: bool,
    /// A `batch` line: a guarded command runs without asking (the file is the intent).
    pub batch_line: bool,
}

/// What one command call carries besides its words.
struct Call<'a> {
    options: &'a Options,
    /// The `--auth USER HOST PASSWORD` prefix, if given.
    auth: Option<Credentials>,
    /// Whether the access check applies (not to the built-ins).
    checked: bool,
    /// The group typed before the command (grouped form), for its `--help`.
    group: Option<Group>,
}

fn is_help_flag(s: &str) -> bool {
    s == "--help" || s == "-h"
}

/// The command a failure is reported under (JSON `command`): the first word typed.
pub fn command_word(rest: &[String]) -> Option<&str> {
    let mut words = rest;
    if words.len() >= 4 && words[0] == "--auth" {
        words = &words[4..];
    }
    words.first().map(String::as_str)
}

/// Run the legacy command line `rest` (the words after the global options).
pub fn run(
    ctx: &mut Ctx,
    printer: &mut Printer,
    options: &Options,
    rest: &[String],
) -> Result<Ending> {
    let mut rest: Vec<String> = rest.to_vec();
    ctx.line_runner = Some(run_line);
    // `--auth USER HOST PASSWORD` prefix (cli-output §1.4): only used by the access check of
    // `general.mongooseimctl_access_commands` (ignored when that is not configured).
    let mut call = Call {
        options,
        auth: None,
        checked: true,
        group: None,
    };
    if rest.len() >= 4 && rest[0] == "--auth" {
        let mut words = rest.drain(0..4).skip(1);
        let mut next = || words.next().unwrap_or_default();
        call.auth = Some(Credentials {
            user: next(),
            host: next(),
            password: next(),
        });
    }
    let enabled = registry::enabled_commands(&ctx.config);
    let Some(first) = rest.first().cloned() else {
        printer.usage(&legacy_help::usage(&enabled));
        return Ok(Ending::UsageShown);
    };
    if let Some(b) = registry::builtin(&first, rest.len() - 1) {
        match b.action {
            BuiltinAction::Help => return help(ctx, printer, &enabled, &rest[1..]),
            BuiltinAction::Completions => return completions(printer, &enabled, &rest[1..]),
            BuiltinAction::Nothing => return Ok(Ending::Done),
            BuiltinAction::Unknown => return Err(Error::unknown(&first, rest.get(1))),
            BuiltinAction::Mnesia => return Err(Error::NodeOnly { command: first }),
            BuiltinAction::Command => {
                if let Some(cmd) = registry::find(&first) {
                    // A built-in, as 5.1 matches it before the auth prefix: not access-checked.
                    let builtin = Call {
                        options,
                        auth: None,
                        checked: false,
                        group: None,
                    };
                    return execute(ctx, printer, &builtin, &enabled, cmd, &first, &[]);
                }
            }
        }
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
                let call = Call {
                    group: Some(group),
                    ..call
                };
                return execute(ctx, printer, &call, &enabled, cmd, &typed, &rest[2..]);
            }
            (None, None) => {
                group_help(ctx, printer, group, &enabled)?;
                return Ok(Ending::UsageShown);
            }
            (None, Some(arg)) if is_help_flag(arg) || arg == "help" => {
                group_help(ctx, printer, group, &enabled)?;
                return Ok(Ending::Done);
            }
            (None, Some(arg)) => {
                // `stats` is also a command: `stats NAME` is the flat form.
                if registry::find(&first).is_none() {
                    return Err(Error::UnknownCommand {
                        typed: arg.clone(),
                        why: Unknown::InGroup(group),
                    });
                }
            }
            (Some(_), None) => {}
        }
    }

    let name = first.replace('-', "_");
    match registry::find(&name) {
        Some(cmd) => execute(ctx, printer, &call, &enabled, cmd, &first, &rest[1..]),
        None => Err(Error::unknown(&first, rest.get(1))),
    }
}

/// The registry command closest to `name`, if close enough to be a typo; never `name`
/// itself (after `-` → `_`).
pub fn closest(name: &str) -> Option<&'static CommandSpec> {
    closest_of(name, registry::all().map(|c| (c.name, c)))
}

/// The group closest to `name` (never `name` itself), if close enough to be a typo.
pub fn closest_group(name: &str) -> Option<Group> {
    closest_of(name, Group::all().map(|g| (g.name(), g)))
}

/// The candidate whose name is closest to `name` (never `name` itself), if close enough.
pub fn closest_of<T>(name: &str, candidates: impl Iterator<Item = (&'static str, T)>) -> Option<T> {
    let name = name.replace('-', "_");
    candidates
        .filter(|(n, _)| *n != name)
        .map(|(n, t)| (levenshtein(&name, n), n, t))
        .filter(|(d, n, _)| *d <= 2.max(n.len() / 5))
        .min_by_key(|(d, n, _)| (*d, *n))
        .map(|(_, _, t)| t)
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

/// Run `cmd` with its raw arguments: enabled? arity, conversion, the access check (when the
/// call is checked), the handler, the output.
fn execute(
    ctx: &mut Ctx,
    printer: &mut Printer,
    call: &Call,
    enabled: &[&'static CommandSpec],
    cmd: &'static CommandSpec,
    typed: &str,
    raw_args: &[String],
) -> Result<Ending> {
    if !enabled.iter().any(|c| c.name == cmd.name) {
        if !cmd.group.is_submod() || !registry::available(&ctx.config, cmd) {
            // revoke_token without mod_auth_token: as 5.1, an unknown command.
            let why = match cmd.available {
                registry::Availability::Module(module) => Unknown::NeedsModule {
                    module,
                    config: ctx.config_label.clone(),
                },
                registry::Availability::Always => Unknown::Word { next: None },
            };
            return Err(Error::UnknownCommand {
                typed: typed.to_string(),
                why,
            });
        }
        return Err(Error::Disabled {
            command: cmd.name.to_string(),
            group: cmd.group.name(),
            config: ctx.config_label.clone(),
        });
    }
    if raw_args.len() == 1 && is_help_flag(&raw_args[0]) {
        let prefix = match call.group {
            Some(g) => format!("{} {}", build::BIN, g.name()),
            None => build::BIN.to_string(),
        };
        let mut c = build::command(cmd, &prefix).bin_name(format!("{prefix} {}", cmd.name));
        printer.text_block(&c.render_long_help().to_string());
        return Ok(Ending::Done);
    }
    let (mut positional, flags) = take_options(cmd, raw_args)?;
    // A command that declares a `--dry-run` switch of its own (`batch`) runs in trial mode
    // with it, as the guarded commands do with the global option.
    let own_dry_run = cmd.options.iter().any(|o| o.name == registry::DRY_RUN);
    let mut dry_run = call.options.dry_run
        || flags
            .iter()
            .any(|(n, v)| *n == registry::DRY_RUN && *v != ArgValue::Absent);
    let mut yes = call.options.yes;
    if cmd.guarded.is_some() {
        // The flat form keeps its words verbatim, but a guarded command also takes the
        // words `--dry-run`, `--yes`, `-y` after its full arity (5.1 would refuse them: no
        // invocation that works there changes).
        while positional.len() > cmd.args.len() {
            match positional.last().map(String::as_str) {
                Some("--dry-run") => dry_run = true,
                Some("--yes" | "-y") => yes = true,
                _ => break,
            }
            positional.pop();
        }
    } else if (dry_run && !own_dry_run) || yes {
        let option = if dry_run && !own_dry_run {
            "--dry-run"
        } else {
            "--yes"
        };
        return Err(Error::Usage(format!(
            "error: {option} does not apply to {}; it applies only to: {}\n",
            cmd.name,
            registry::guarded_names()
        )));
    }
    // A read-only command, or a dry run, does not create a missing explicit store.
    ctx.read_only_command(registry::is_read_only(cmd.name) || dry_run);
    let args = xml_join(&positional)?;
    if args.len() != cmd.args.len() {
        return Err(Error::Arity {
            command: cmd,
            typed: typed.to_string(),
            given: args.len(),
        });
    }
    // A dry run: every write of the command is rolled back, and nothing else is written
    // (the store-open hooks below are not registered).
    ctx.set_trial(dry_run);
    // service_domain_db's event cleaner runs when the command first opens the store (if it
    // is due); clean_domain_events runs it itself.
    if !dry_run
        && ctx.config.services.domain_db.is_some()
        && cmd.name != registry::domain::CLEAN_DOMAIN_EVENTS
    {
        ctx.on_first_open(crate::services::domain::clean_when_due);
    }
    // service_mongoose_system_metrics reports when due (after the cleaner); its two commands
    // report themselves (or not at all).
    if !dry_run
        && crate::services::metrics::active(&ctx.config).is_some()
        && !registry::core::METRICS_COMMANDS.contains(&cmd.name)
    {
        let env = ctx.metrics.clone();
        ctx.on_first_open(move |config, store| {
            crate::services::metrics::report_when_due(config, &env, store)
        });
    }
    // The `--auth` password `-` is read before the command's own secrets (first stdin line),
    // and only when it will be checked.
    let mut auth = if call.checked {
        call.auth.clone()
    } else {
        None
    };
    if let Some(c) = auth.as_mut() {
        if c.password == "-" && access::needs_credentials(&ctx.config) {
            c.password = ctx.read_secret("password of --auth")?;
        }
    }
    if cmd.name == registry::core::BATCH {
        // Its lines are checked with the batch's credentials when they carry none.
        ctx.batch_auth = auth.clone();
    }
    let mut values = Vec::with_capacity(args.len());
    for (spec, raw) in cmd.args.iter().zip(args) {
        let raw = if raw == "-" && registry::reads_stdin(cmd.name, spec.name) {
            stdin_value(ctx, spec.name)?
        } else {
            raw
        };
        let v = match spec.ty {
            ArgType::Integer => {
                let n = parse_int(&raw).ok_or_else(|| {
                    Error::Crash(Crash::NotAnInteger {
                        arg: spec.name,
                        value: raw.clone(),
                    })
                })?;
                if cmd.destructive && !call.options.legacy_integers && !is_whole_integer(&raw) {
                    return Err(Error::Input(not_whole(cmd, spec.name, &raw, n)));
                }
                ArgValue::Int(n)
            }
            ArgType::BinaryList => ArgValue::List(
                raw.split(';')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            _ if spec.secret && raw == "-" => ArgValue::Text(ctx.read_secret(spec.name)?),
            _ => ArgValue::Text(raw),
        };
        values.push((spec.name, v));
    }
    values.extend(flags);
    if call.checked {
        if let Some(denial) = access::check(ctx, auth.as_ref(), cmd.name, &values)? {
            tracing::info!(
                command = cmd.name,
                reason = denial.atom(),
                "refused by mongooseimctl_access_commands"
            );
            printer.result(cmd, &denial);
            return Ok(Ending::Refused);
        }
    }
    tracing::debug!(command = cmd.name, "running");
    let ask = cmd.guarded.is_some()
        && !dry_run
        && !yes
        && !call.options.batch_line
        && ctx.stdin_is_terminal();
    let args = Args::new(cmd.name, values);
    let replied = if ask {
        confirmed(ctx, printer, cmd, &args)
    } else {
        (cmd.handler)(ctx, &args)
    };
    ctx.set_guard(Guard::Direct);
    match replied? {
        Reply::One(reply) => {
            check_shape(cmd, reply.as_ref())?;
            printer.result(cmd, reply.as_ref());
            if dry_run && !call.options.quiet {
                printer.raw_err("dry run: nothing was changed\n");
            }
            Ok(match reply.failure() {
                Some(_) => Ending::Refused,
                None => Ending::Done,
            })
        }
        Reply::Rows(mut rows) => {
            let Ty::List(elem) = cmd.result.ty else {
                return Err(Error::Internal(format!(
                    "{} streams rows but is not declared as a list",
                    cmd.name
                )));
            };
            printer.rows(cmd, &mut |sink| {
                rows.each(ctx, &mut |row| {
                    check_row(cmd, &elem.ty, row)?;
                    sink(row)
                })
            })?;
            Ok(Ending::Done)
        }
    }
}

/// Run a guarded command on a terminal: a planning run first; if it stopped on a count to
/// confirm, ask on the terminal and, on `y`/`yes`, run again requiring the same count.
/// A planning run that did not stop (nothing to change) stands as it is.
fn confirmed(
    ctx: &mut Ctx,
    printer: &mut Printer,
    cmd: &'static CommandSpec,
    args: &Args,
) -> Result<Reply> {
    let Some(guarded) = cmd.guarded else {
        return (cmd.handler)(ctx, args);
    };
    ctx.set_guard(Guard::Plan);
    let (count, detail) = match (cmd.handler)(ctx, args) {
        Err(Error::Guard(GuardStop::Plan { count, detail })) => (count, detail),
        other => return other,
    };
    printer.prompt(&format!(
        "{} will {} {count} {}{detail}. Continue? [y/N] ",
        cmd.name,
        guarded.verb,
        guarded.noun(count)
    ));
    let answer = ctx.read_answer()?;
    let yes = answer
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes"));
    if !yes {
        if answer.is_none() {
            printer.prompt("\n");
        }
        return Err(Error::Guard(GuardStop::Aborted));
    }
    ctx.set_guard(Guard::Confirmed(count));
    match (cmd.handler)(ctx, args) {
        Err(Error::Guard(GuardStop::Changed { now, confirmed, .. })) => {
            Err(Error::Guard(GuardStop::Changed {
                now,
                confirmed,
                noun: guarded.noun(now),
            }))
        }
        other => other,
    }
}

/// Run one `batch` line (its words) as a command line, its result captured instead of
/// printed (the [`crate::context::LineRunner`] of `services::provision::batch`). Refused:
/// a word `-` (stdin may be the batch file itself), the built-ins, and the commands
/// `provision::batch_refusal` names. Guarded commands run without a prompt: the batch file
/// is the operator's explicit intent.
fn run_line(ctx: &mut Ctx, words: &[String]) -> Result<Captured> {
    let rest = match words {
        [auth, _, _, _, rest @ ..] if auth == "--auth" => rest,
        w => w,
    };
    let first = rest.first().map(String::as_str).unwrap_or("");
    if words.iter().any(|w| w == "-") {
        return Err(Error::Input(format!(
            "{first}: `-` (standard input) cannot be used in a batch; write the value in the file"
        )));
    }
    if let Some(b) = registry::builtin(first, rest.len().saturating_sub(1)) {
        if !matches!(b.action, BuiltinAction::Unknown | BuiltinAction::Mnesia) {
            return Err(Error::Input(format!("{first} cannot run in a batch")));
        }
    }
    let grouped = Group::from_name(first).and_then(|g| {
        let name = rest.get(1)?.replace('-', "_");
        g.commands().iter().find(|c| c.name == name)
    });
    if let Some(cmd) = grouped.or_else(|| registry::find(&first.replace('-', "_"))) {
        if let Some(why) = provision::batch_refusal(cmd.name) {
            return Err(Error::Input(why));
        }
    }
    let options = Options {
        batch_line: true,
        quiet: true,
        ..Options::default()
    };
    // The batch's own credentials check a line that has none.
    let inherited: Vec<String>;
    let words = match &ctx.batch_auth {
        Some(c) if rest.len() == words.len() => {
            inherited = ["--auth", &c.user, &c.host, &c.password]
                .iter()
                .map(|w| w.to_string())
                .chain(words.iter().cloned())
                .collect();
            &inherited[..]
        }
        _ => words,
    };
    let mut printer = Printer::capturing();
    if let Ending::UsageShown = run(ctx, &mut printer, &options, words)? {
        return Err(Error::Input(format!("{first}: no command given")));
    }
    printer
        .take_capture()
        .ok_or_else(|| Error::Internal("a batch line was not captured".into()))
}

/// A value argument given as `-`: all of stdin as UTF-8, one final newline dropped.
fn stdin_value(ctx: &mut Ctx, arg: &str) -> Result<String> {
    let bytes = ctx.read_stdin_all(arg, crate::context::STDIN_VALUE_CAP)?;
    let mut text = String::from_utf8(bytes)
        .map_err(|_| Error::Input(format!("{arg} from stdin is not valid UTF-8")))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// In debug builds, check that a streamed row has the shape of the list's element type and
/// is not a failure.
fn check_row(cmd: &CommandSpec, ty: &Ty, row: &dyn crate::output::Render) -> Result<()> {
    if cfg!(debug_assertions) {
        let legacy = row.legacy();
        if !legacy.conforms(ty) || row.failure().is_some() || row.json().is_none() {
            return Err(Error::Internal(format!(
                "a row of {} does not have its declared type: {legacy:?}",
                cmd.name
            )));
        }
    }
    Ok(())
}

/// Converted arguments by name, in declaration order.
type Values = Vec<(&'static str, ArgValue)>;

/// Split an extension command's words into its positional arguments and its `--name VALUE`
/// / `--name=VALUE` flags (every declared flag gets a value, [`ArgValue::Absent`] when not
/// given; the last one given wins). `--` ends the flags. Commands without flags (every 5.1
/// command) keep their words verbatim.
fn take_options(cmd: &'static CommandSpec, raw: &[String]) -> Result<(Vec<String>, Values)> {
    if cmd.options.is_empty() {
        return Ok((raw.to_vec(), Vec::new()));
    }
    let mut flags: Vec<(&'static str, ArgValue)> = cmd
        .options
        .iter()
        .map(|o| (o.name, ArgValue::Absent))
        .collect();
    let mut positional = Vec::new();
    let mut words = raw.iter();
    let known = || {
        cmd.options
            .iter()
            .map(|o| format!("--{}", o.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    while let Some(word) = words.next() {
        if word == "--" {
            positional.extend(words.by_ref().cloned());
            break;
        }
        let Some(body) = word.strip_prefix("--").filter(|b| !b.is_empty()) else {
            positional.push(word.clone());
            continue;
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let Some(i) = cmd.options.iter().position(|o| o.name == name) else {
            return Err(Error::Usage(format!(
                "error: {}: unknown option {} (its options: {})\n",
                cmd.name,
                p_string(word),
                known()
            )));
        };
        let opt = &cmd.options[i];
        if opt.ty == ArgType::Switch {
            if inline.is_some() {
                return Err(Error::Usage(format!(
                    "error: {}: option --{} takes no value\n",
                    cmd.name, opt.name
                )));
            }
            flags[i].1 = ArgValue::Int(1);
            continue;
        }
        let Some(value) = inline.or_else(|| words.next().cloned()) else {
            return Err(Error::Usage(format!(
                "error: {}: option --{} needs a value\n",
                cmd.name, opt.name
            )));
        };
        flags[i].1 = match opt.ty {
            ArgType::Integer => match value.parse::<i64>() {
                Ok(n) if is_whole_integer(&value) => ArgValue::Int(n),
                _ => {
                    return Err(Error::Input(format!(
                        "{}: --{} must be a whole integer, got {}",
                        cmd.name,
                        opt.name,
                        p_string(&value)
                    )))
                }
            },
            _ => ArgValue::Text(value),
        };
    }
    Ok((positional, flags))
}

/// In debug builds (every test run), check that the outcome has the shape of the declared
/// result type and that its failure flag agrees with what 5.1 would exit with.
fn check_shape(cmd: &CommandSpec, reply: &dyn crate::output::Render) -> Result<()> {
    if cfg!(debug_assertions) {
        let legacy = reply.legacy();
        if !legacy.conforms(&cmd.result.ty) {
            return Err(Error::Internal(format!(
                "the result of {} does not have its declared type: {legacy:?}",
                cmd.name
            )));
        }
        if legacy.is_failure() != reply.failure().is_some() {
            return Err(Error::Internal(format!(
                "the outcome of {} disagrees with its 5.1 exit status",
                cmd.name
            )));
        }
    }
    Ok(())
}

/// Erlang `io_lib:fread("~d")`: leading whitespace (space, tab, CR, LF only), optional sign,
/// digits; the rest ignored. `None` without digits or outside the i64 range.
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\r', '\n']);
    let sign = usize::from(matches!(t.as_bytes().first(), Some(b'-' | b'+')));
    let end = t[sign..]
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .map_or(t.len(), |i| sign + i);
    if end == sign {
        return None;
    }
    t[..end].parse().ok()
}

/// A whole integer for the destructive commands: an optional `-` and ASCII digits, nothing
/// else (no sign `+`, no spaces, no separators, no fraction or exponent).
pub fn is_whole_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The refusal of a destructive command's integer argument that 5.1 would read by its leading
/// digits.
fn not_whole(cmd: &CommandSpec, arg: &str, raw: &str, read_as: i64) -> String {
    format!(
        "{}: argument {arg} must be a whole integer (digits only), got {}; mongooseimctl 5.1 would \
         read it as {read_as}. Nothing was deleted. Pass --legacy-integers (or \
         MONGOOSEIMCTL_LEGACY_INTEGERS=1) to accept 5.1's reading",
        cmd.name,
        p_string(raw)
    )
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
        let position = i + 1;
        let mut cur = args[i].clone();
        i += 1;
        if cur.starts_with('<') {
            while balance(&cur) != 0 {
                let Some(next) = args.get(i) else {
                    return Err(Error::Crash(Crash::UnbalancedXml { position }));
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
    if group.is_submod() && !ctx.config.submod_enabled(group) {
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
        printer.text_block(&g.render_long_help().to_string());
    }
    Ok(())
}

fn help(
    ctx: &mut Ctx,
    printer: &mut Printer,
    enabled: &[&'static CommandSpec],
    args: &[String],
) -> Result<Ending> {
    let first = args.first().map(String::as_str);
    match first {
        None => {
            printer.usage(&legacy_help::usage(enabled));
            Ok(Ending::UsageShown)
        }
        Some("--long") => {
            printer.usage(&legacy_help::usage_long(enabled));
            Ok(Ending::UsageShown)
        }
        Some("--dual") => {
            printer.usage(&legacy_help::usage_dual(enabled));
            Ok(Ending::UsageShown)
        }
        Some("--tags") => {
            match args.get(1) {
                None => printer.text_block(&legacy_help::tags(enabled)),
                Some(tag) => printer.text_block(&legacy_help::tag_commands(enabled, tag)),
            }
            Ok(Ending::Done)
        }
        Some("help") => {
            printer.text_block(&legacy_help::help_help());
            Ok(Ending::Done)
        }
        Some(topic) => {
            if let Some(group) = Group::from_name(topic) {
                if registry::find(topic).is_none() {
                    group_help(ctx, printer, group, enabled)?;
                    return Ok(Ending::Done);
                }
            }
            printer.text_block(&legacy_help::command_help(enabled, topic));
            Ok(Ending::Done)
        }
    }
}

fn completions(
    printer: &mut Printer,
    enabled: &[&'static CommandSpec],
    args: &[String],
) -> Result<Ending> {
    let shell = args.first().map(String::as_str).unwrap_or("");
    match crate::generate::completions(shell, enabled) {
        Some(script) => {
            printer.text_block(&script);
            Ok(Ending::Done)
        }
        None => Err(Error::Usage(format!(
            "error: completions needs one of: bash, zsh, fish, elvish, powershell (got {})\n",
            p_string(shell)
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
    fn whole_integers() {
        for ok in ["0", "7", "-100", "0030", "99999999999999999999"] {
            assert!(is_whole_integer(ok), "{ok}");
        }
        for bad in [
            "1,000", "1e9", "1.5", " 7", "7 ", "+3", "12abc", "", "-", "١٢",
        ] {
            assert!(!is_whole_integer(bad), "{bad}");
        }
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
    fn every_example_parses() {
        for (name, words) in registry::help::EXAMPLES {
            let cmd = registry::find(name).expect("a command");
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let (positional, _) =
                take_options(cmd, &words).unwrap_or_else(|e| panic!("example of {name}: {e}"));
            let args = xml_join(&positional).unwrap_or_else(|e| panic!("example of {name}: {e}"));
            assert_eq!(args.len(), cmd.args.len(), "arity of the example of {name}");
            for (spec, raw) in cmd.args.iter().zip(&args) {
                if spec.ty == ArgType::Integer {
                    assert!(is_whole_integer(raw), "{name} {}: {raw}", spec.name);
                }
                if raw == "-" {
                    assert!(
                        spec.secret
                            || registry::reads_stdin(name, spec.name)
                            || spec.name == "file",
                        "{name} {}: `-` is not stdin there",
                        spec.name
                    );
                }
            }
        }
    }

    #[test]
    fn typo_suggestions() {
        assert_eq!(
            closest("registerd_users").map(|c| c.name),
            Some("registered_users")
        );
        assert!(closest("zzzzzzzzzzzzzzzzzz").is_none());
        // Never the word itself.
        assert_ne!(
            closest("registered_users").map(|c| c.name),
            Some("registered_users")
        );
        assert_ne!(
            closest("registered-users").map(|c| c.name),
            Some("registered_users")
        );
        assert_eq!(closest_group("acounts"), Some(Group::Accounts));
        assert_eq!(closest_group("accounts"), None);
        assert_eq!(closest_group("zzzzzzzz"), None);
    }
}
