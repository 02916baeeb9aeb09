//! Group `vcard` (service_admin_extra_vcard).

use super::{bin, list, reply, spec, CommandSpec, Group, Named, Ty, RESTUPLE};
use crate::services::vcard;

#[cfg(test)]
const V1: &str = "Some vcard field names in get/set_vcard are:\n FN - Full Name\n NICKNAME - Nickname\n BDAY - Birthday\n TITLE - Work: Position\n ROLE - Work: Role";
#[cfg(test)]
const V2: &str = "Some vcard field names and subnames in get/set_vcard2 are:\n N FAMILY - Family name\n N GIVEN - Given name\n N MIDDLE - Middle name\n ADR CTRY - Address: Country\n ADR LOCALITY - Address: City\n EMAIL USERID - E-Mail Address\n ORG ORGNAME - Work: Company\n ORG ORGUNIT - Work: Department";
#[cfg(test)]
const X: &str = "For a full list of vCard fields check XEP-0054: vcard-temp at http://www.xmpp.org/extensions/xep-0054.html";
/// V1, V2, X (help of get_vcard / set_vcard).
const LONG1: &str = "Some vcard field names in get/set_vcard are:\n FN - Full Name\n NICKNAME - Nickname\n BDAY - Birthday\n TITLE - Work: Position\n ROLE - Work: Role\nSome vcard field names and subnames in get/set_vcard2 are:\n N FAMILY - Family name\n N GIVEN - Given name\n N MIDDLE - Middle name\n ADR CTRY - Address: Country\n ADR LOCALITY - Address: City\n EMAIL USERID - E-Mail Address\n ORG ORGNAME - Work: Company\n ORG ORGUNIT - Work: Department\n\nFor a full list of vCard fields check XEP-0054: vcard-temp at http://www.xmpp.org/extensions/xep-0054.html";
/// V2, V1, X (help of the *_vcard2* commands).
const LONG2: &str = "Some vcard field names and subnames in get/set_vcard2 are:\n N FAMILY - Family name\n N GIVEN - Given name\n N MIDDLE - Middle name\n ADR CTRY - Address: Country\n ADR LOCALITY - Address: City\n EMAIL USERID - E-Mail Address\n ORG ORGNAME - Work: Company\n ORG ORGUNIT - Work: Department\n\nSome vcard field names in get/set_vcard are:\n FN - Full Name\n NICKNAME - Nickname\n BDAY - Birthday\n TITLE - Work: Position\n ROLE - Work: Role\nFor a full list of vCard fields check XEP-0054: vcard-temp at http://www.xmpp.org/extensions/xep-0054.html";

const CONTENT: Named = Named {
    name: "content",
    ty: Ty::Binary,
};

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        Group::Vcard,
        "get_vcard",
        &[bin("user"), bin("host"), bin("name")],
        CONTENT,
        &["vcard"],
        "Get content from a vCard field",
        |c, a| {
            reply(vcard::get_vcard(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("name")?,
            ))
        },
    )
    .long(LONG1),
    spec(
        Group::Vcard,
        "get_vcard2",
        &[bin("user"), bin("host"), bin("name"), bin("subname")],
        CONTENT,
        &["vcard"],
        "Get content from a vCard field",
        |c, a| {
            reply(vcard::get_vcard2(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("name")?,
                a.text("subname")?,
            ))
        },
    )
    .long(LONG2),
    spec(
        Group::Vcard,
        "get_vcard2_multi",
        &[bin("user"), bin("host"), bin("name"), bin("subname")],
        Named {
            name: "contents",
            ty: Ty::List(&Named {
                name: "value",
                ty: Ty::Binary,
            }),
        },
        &["vcard"],
        "Get multiple contents from a vCard field",
        |c, a| {
            reply(vcard::get_vcard2_multi(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("name")?,
                a.text("subname")?,
            ))
        },
    )
    .long(LONG2),
    spec(
        Group::Vcard,
        "set_vcard",
        &[bin("user"), bin("host"), bin("name"), bin("content")],
        RESTUPLE,
        &["vcard"],
        "Set content in a vCard field",
        |c, a| {
            reply(vcard::set_vcard(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("name")?,
                a.text("content")?,
            ))
        },
    )
    .long(LONG1),
    spec(
        Group::Vcard,
        "set_vcard2",
        &[
            bin("user"),
            bin("host"),
            bin("name"),
            bin("subname"),
            bin("content"),
        ],
        RESTUPLE,
        &["vcard"],
        "Set content in a vCard subfield",
        |c, a| {
            reply(vcard::set_vcard2(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("name")?,
                a.text("subname")?,
                a.text("content")?,
            ))
        },
    )
    .long(LONG2),
    spec(
        Group::Vcard,
        "set_vcard2_multi",
        &[
            bin("user"),
            bin("host"),
            bin("name"),
            bin("subname"),
            list("contents"),
        ],
        RESTUPLE,
        &["vcard"],
        "Set multiple contents in a vCard subfield",
        |c, a| {
            reply(vcard::set_vcard2_multi(
                c,
                a.text("user")?,
                a.text("host")?,
                a.text("name")?,
                a.text("subname")?,
                a.list("contents")?,
            ))
        },
    )
    .long(LONG2),
];

#[cfg(test)]
mod tests {
    #[test]
    fn long_descriptions_are_the_documented_blocks() {
        assert_eq!(
            super::LONG1,
            format!("{}\n{}\n\n{}", super::V1, super::V2, super::X)
        );
        assert_eq!(
            super::LONG2,
            format!("{}\n\n{}\n{}", super::V2, super::V1, super::X)
        );
    }
}
