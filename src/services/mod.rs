//! Business rules of the commands, one module per group. Functions take the context and typed
//! arguments and return a `Value`; they never print and know nothing of clap.

pub mod access;
pub mod accounts;
pub mod core;
pub mod domain;
pub mod gdpr;
pub mod last;
pub mod live;
pub mod metrics;
pub mod node;
pub mod private;
pub mod provision;
pub mod roster;
pub mod routing;
pub mod sessions;
pub mod stanza;
pub mod stats;
pub mod store;
pub mod upload;
pub mod vcard;
pub mod xep0227;
