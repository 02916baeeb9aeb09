//! Rendering of the `node` group's outcomes.
