//! Property tests of every parser (issue 7).
