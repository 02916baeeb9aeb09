//! The roster letters of MongooseIM's schema (`rosterusers.subscription` / `ask`, store.md
//! §2.3), shared by both backends.

use super::{Ask, Subscription};

pub fn sub_code(s: Subscription) -> &'static str {
    match s {
        Subscription::None => "N",
        Subscription::From => "F",
        Subscription::To => "T",
        Subscription::Both => "B",
    }
}

pub fn ask_code(a: Ask) -> &'static str {
    match a {
        Ask::None => "N",
        Ask::In => "I",
        Ask::Out => "O",
        Ask::Both => "B",
        Ask::Subscribe => "S",
        Ask::Unsubscribe => "U",
    }
}

/// Unknown codes read as `none`, as MongooseIM's decoder does.
pub fn sub_of(code: &str) -> Subscription {
    match code {
        "F" => Subscription::From,
        "T" => Subscription::To,
        "B" => Subscription::Both,
        _ => Subscription::None,
    }
}

pub fn ask_of(code: &str) -> Ask {
    match code {
        "I" => Ask::In,
        "O" => Ask::Out,
        "B" => Ask::Both,
        "S" => Ask::Subscribe,
        "U" => Ask::Unsubscribe,
        _ => Ask::None,
    }
}
