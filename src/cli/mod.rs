//! Command-line handling: the clap tree built from the registry, and dispatch of the legacy
//! (flat) and grouped forms.

pub mod build;
pub mod dispatch;
pub mod legacy_help;
