//! (filled by issue 7)
