//! Rendering of the `private` group's outcomes.
