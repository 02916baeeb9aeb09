//! The one integration-test binary: black-box tests of the `mongooseimctl` binary.
//! They read the store file directly with rusqlite to check its state afterwards.

#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

mod support;

mod accounts;
mod config;
mod core;
mod crash;
mod domain;
mod gdpr;
mod generated;
mod help;
mod last;
mod limits;
mod metrics;
mod offline;
mod options;
mod output;
mod pg;
mod pg_faults;
mod pg_tls;
mod private;
mod progress;
mod provision;
mod pty;
mod roster;
mod safety;
mod security;
mod sessions;
mod stanza;
mod stats;
mod stdin;
mod store;
mod upload;
mod vcard;
mod xep0227;
