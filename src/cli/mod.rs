//! Command-line handling: the clap tree built from the registry, and dispatch of the legacy
//! (flat) and grouped forms, and the global options typed after a grouped command.

pub mod build;
pub mod dispatch;
pub mod legacy_help;
pub mod options;
