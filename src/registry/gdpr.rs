//! Group `gdpr` (service_admin_extra_gdpr).

use super::{bin, reply, spec, CommandSpec, Group, RESCODE};
use crate::services::gdpr;

pub const COMMANDS: &[CommandSpec] = &[spec(
    Group::Gdpr,
    "retrieve_personal_data",
    &[bin("username"), bin("domain"), bin("path")],
    RESCODE,
    &["gdpr"],
    "Retrieve user's presonal data.",
    |c, a| {
        reply(gdpr::retrieve_personal_data(
            c,
            a.text("username")?,
            a.text("domain")?,
            a.text("path")?,
        ))
    },
)
.long(
    "Retrieves all personal data from MongooseIM for a given user. Example:\n mongooseimctl retrieve_personal_data alice localhost /home/mim/alice.smith.zip ",
)];
