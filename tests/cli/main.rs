//! The one integration-test binary: black-box tests of the `mongooseimctl` binary.

mod support;

mod accounts;
mod config;
mod core;
mod generated;
mod last;
mod private;
mod roster;
mod vcard;
