//! Logging: tracing to stderr only, filter from MONGOOSEIMCTL_LOG or -v/-q.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init(verbose: u8, quiet: bool, env_filter: Option<String>) {
    let default = if quiet {
        "error"
    } else {
        match verbose {
            0 => "warn",
            1 => "warn,mongooseimctl=info",
            2 => "warn,mongooseimctl=debug",
            _ => "trace",
        }
    };
    let filter = env_filter
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .try_init();
}
