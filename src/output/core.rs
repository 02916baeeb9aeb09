//! Rendering of the `core` group's outcomes.
