//! Rendering of the ctl access check's refusal (cli-output §6): 5.1's `Error: "<atom>"`,
//! exit 1, whatever the command's declared result type (rule 0).

use super::{Legacy, Render};
use crate::services::access::Denial;

impl Render for Denial {
    fn legacy(&self) -> Legacy {
        Legacy::error(self.atom())
    }

    fn failure(&self) -> Option<&'static str> {
        Some(self.atom())
    }
}
