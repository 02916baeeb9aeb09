//! Rendering of the `vcard` group's outcomes.
