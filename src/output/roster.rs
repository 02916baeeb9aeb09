//! Rendering of the `roster` group's outcomes.
