//! Rendering of the `accounts` group's outcomes.
