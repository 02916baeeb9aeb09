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

/// The run; `command` learns the command word as soon as it is known (for failure reports).
fn run_with(
    args: &[OsString],
    printer: &mut Printer,
    stdout_tty: bool,
    command: &mut Option<String>,
) -> Result<Ending, Error> {
    let mut strings = Vec::with_capacity(args.len());
    for a in args {
        match a.to_str() {
            Some(s) => strings.push(s.to_string()),
            None => {
                return Err(Error::Usage(format!(
                    "error: argument {} is not valid UTF-8\n",
                    a.to_string_lossy()
                )))
            }
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
                return Err(Error::Usage(rendered));
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
    let (config, label) = settings::load_config(globals.config.as_deref())?;
    for w in &config.warnings {
        tracing::warn!("{w}");
    }
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
    cli::dispatch::run(&mut ctx, printer, &globals.rest)
}
