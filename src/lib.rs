//! mongooseimctl: MongooseIM's admin CLI over a local store.
//!
//! `run()` is the whole program: bootstrap-parse the global options, load the config, set up
//! logging and output, then dispatch the legacy command line against the registry.

pub mod cli;
pub mod clock;
pub mod compat;
pub mod config;
pub mod context;
pub mod error;
pub mod generate;
pub mod logging;
pub mod output;
#[cfg(test)]
mod proptests;
pub mod registry;
pub mod services;
pub mod settings;
pub mod store;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

use crate::context::Ctx;
use crate::error::{Ending, Error};
use crate::output::{Format, Printer};

/// Run the program with these arguments (the first is the program name).
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> ExitCode {
    let stdout_tty = std::io::stdout().is_terminal();
    let args: Vec<OsString> = args.into_iter().collect();
    let mut printer = Printer::stdio(Format::Text, stdout_tty);
    let mut command = None;
    let ending = run_with(&args, &mut printer, stdout_tty, &mut command);
    if let Err(e) = &ending {
        printer.failure(command.as_deref(), e);
    }
    ExitCode::from(error::exit_code(&ending))
}

/// Whether the global options ask for JSON output (`-o json`, `-ojson`, `--output json`,
/// `--output=json`, or `MONGOOSEIMCTL_OUTPUT=json`), for the answers clap gives before the
/// options are parsed (`--version`).
fn asks_json(args: &[String]) -> bool {
    let mut flag = None;
    let mut words = args.iter().skip(1);
    while let Some(w) = words.next() {
        let value = match w.as_str() {
            "-o" | "--output" => words.next().map(String::as_str),
            _ => w
                .strip_prefix("--output=")
                .or_else(|| w.strip_prefix("-o").filter(|v| !v.is_empty())),
        };
        if value.is_some() {
            flag = value;
        }
    }
    let env = settings::env_var("MONGOOSEIMCTL_OUTPUT");
    flag.or(env.as_deref()) == Some("json")
}

/// The usage error for a non-UTF-8 argument, named by its position as the shell numbers it
/// (`$1` is the first word after the program name); its value is never shown, since it may be
/// a password.
fn not_utf8(position: usize) -> String {
    format!(
        "error: argument {position} (counting from 1 after the program name) is not valid UTF-8; \
         its value is not shown\n"
    )
}

/// The run; `command` learns the command word as soon as it is known (for failure reports).
fn run_with(
    args: &[OsString],
    printer: &mut Printer,
    stdout_tty: bool,
    command: &mut Option<String>,
) -> Result<Ending, Error> {
    let mut strings = Vec::with_capacity(args.len());
    for (position, a) in args.iter().enumerate() {
        match a.to_str() {
            Some(s) => strings.push(s.to_string()),
            // Named by position, never by value: the argument may be a password.
            None => return Err(Error::Usage(not_utf8(position))),
        }
    }
    let globals = match settings::Globals::parse(&strings) {
        Ok(settings::Parsed::Run(g)) => g,
        Ok(settings::Parsed::Help(config_path)) => {
            let (config, _) = settings::load_config(config_path.as_deref())?;
            let enabled = registry::enabled_commands(&config);
            let mut tree = cli::build::tree(&enabled);
            printer.text_block(&tree.render_long_help().to_string());
            return Ok(Ending::Done);
        }
        Ok(settings::Parsed::Version(text)) => {
            printer.text_block(&text);
            return Ok(Ending::Done);
        }
        Err(clap_err) => {
            let rendered = clap_err.render().to_string();
            if clap_err.use_stderr() {
                // `-o json` (or MONGOOSEIMCTL_OUTPUT=json) asked for one document, also for a
                // misused option.
                if asks_json(&strings) {
                    printer.format = Format::Json;
                }
                return Err(Error::Usage(
                    settings::env_source(&clap_err, &strings).unwrap_or(rendered),
                ));
            }
            if clap_err.kind() == clap::error::ErrorKind::DisplayVersion && asks_json(&strings) {
                printer.format = Format::Json;
            }
            printer.text_block(&rendered);
            return Ok(Ending::Done);
        }
    };
    *command = cli::dispatch::command_word(&globals.rest).map(str::to_string);
    printer.command = command.clone();
    logging::init(globals.verbose, globals.quiet, settings::log_filter_env());

    printer.format = match globals.output.as_deref().and_then(Format::parse) {
        Some(f) => f,
        None if stdout_tty => Format::Table,
        None => Format::Text,
    };
    printer.table_style = output::TableStyle {
        ascii: settings::ascii_tables(),
        no_headers: globals.no_headers,
    };
    let (config, label) = settings::load_config(globals.config.as_deref())?;
    for w in &config.warnings {
        tracing::warn!("{w}");
    }
    let metrics = settings::metrics_env();
    services::metrics::notify(&config, &metrics);
    let store_target = settings::store_target(globals.store.as_deref(), &config);
    let stdin = std::io::stdin();
    let stdin_tty = stdin.is_terminal();
    let mut ctx = Ctx::new(
        config,
        label,
        store_target,
        Box::new(stdin.lock()),
        stdin_tty,
    );
    ctx.metrics = metrics;
    ctx.store_explicit = globals.store_typed;
    let mode = globals
        .progress
        .as_deref()
        .and_then(output::ProgressMode::parse)
        .unwrap_or_default();
    ctx.progress = output::Reporter::for_stderr(mode, globals.quiet);
    let options = cli::dispatch::Options {
        legacy_integers: globals.legacy_integers,
        dry_run: globals.dry_run,
        yes: globals.yes,
        quiet: globals.quiet,
        batch_line: false,
    };
    cli::dispatch::run(&mut ctx, printer, &options, &globals.rest)
}
