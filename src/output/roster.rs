//! Rendering of the `roster` group's outcomes.

use serde_json::{json, Value as J};

use super::{Legacy, Render};
use crate::services::roster::{
    AddItem, DeleteItem, Exhausted, Match, MissingOwner, Processed, Pushed, Roster, WrongRegexp,
};
use crate::store::{split_jid, RosterItem, Subscription};

/// A roster item as JSON: `{"jid", "nick", "subscription", "ask", "groups": [...]}`.
pub(super) fn item_json(it: &RosterItem) -> J {
    json!({
        "jid": it.contact,
        "nick": it.nick,
        "subscription": it.subscription.name(),
        "ask": it.ask.name(),
        "groups": it.groups,
    })
}

pub(super) fn missing_json(m: &MissingOwner) -> J {
    super::user_host(&m.user, &m.host)
}

const SUBSCRIPTIONS: [Subscription; 4] = [
    Subscription::None,
    Subscription::From,
    Subscription::To,
    Subscription::Both,
];

impl Render for AddItem {
    fn legacy(&self) -> Legacy {
        match self {
            AddItem::Added(item) => Legacy::ok(format!(
                "Added the item to the roster of {}",
                item.owner.bare()
            )),
            AddItem::NoSuchUser(m) => Legacy::fail(format!(
                "Cannot add the item because user {}@{} does not exist",
                m.user, m.host
            )),
            AddItem::BadSubscription { subs, .. } => {
                let mut text = format!("Sub {subs} is incorrect. Choose one of the following:");
                for s in SUBSCRIPTIONS {
                    text.push('\n');
                    text.push_str(s.name());
                }
                Legacy::fail(text)
            }
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            AddItem::Added(item) => json!({"owner": item.owner.bare(), "item": item_json(item)}),
            AddItem::NoSuchUser(m) => missing_json(m),
            AddItem::BadSubscription { subs, removed } => json!({
                "subscription": subs,
                "allowed": SUBSCRIPTIONS.map(Subscription::name),
                "removed": removed,
            }),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            AddItem::Added(_) => None,
            AddItem::NoSuchUser(_) => Some("user_not_found"),
            AddItem::BadSubscription { .. } => Some("invalid_subscription"),
        }
    }
}

impl Render for DeleteItem {
    fn legacy(&self) -> Legacy {
        match self {
            DeleteItem::Deleted { owner, .. } => {
                Legacy::ok(format!("The item removed from roster of {}", owner.bare()))
            }
            // "doest": 5.1's typo.
            DeleteItem::NoSuchUser(m) => Legacy::fail(format!(
                "Cannot delete the item because user {}@{} doest not exist",
                m.user, m.host
            )),
        }
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            DeleteItem::Deleted {
                owner,
                contact,
                removed,
            } => json!({"owner": owner.bare(), "contact": contact, "removed": removed}),
            DeleteItem::NoSuchUser(m) => missing_json(m),
        })
    }

    fn failure(&self) -> Option<&'static str> {
        match self {
            DeleteItem::Deleted { .. } => None,
            DeleteItem::NoSuchUser(_) => Some("user_not_found"),
        }
    }
}

impl Render for Roster {
    /// One `{jid, nick, subscription, ask, group}` tuple per group (one with an empty group
    /// for an item without groups).
    fn legacy(&self) -> Legacy {
        let mut rows = Vec::new();
        for it in &self.items {
            let row = |group: &str| {
                Legacy::Tuple(
                    [
                        it.contact.as_str(),
                        it.nick.as_str(),
                        it.subscription.name(),
                        it.ask.name(),
                        group,
                    ]
                    .map(|f| Legacy::Text(f.to_string()))
                    .to_vec(),
                )
            };
            if it.groups.is_empty() {
                rows.push(row(""));
            } else {
                rows.extend(it.groups.iter().map(|g| row(g)));
            }
        }
        Legacy::List(rows)
    }

    fn json(&self) -> Option<J> {
        Some(J::Array(self.items.iter().map(item_json).collect()))
    }
}

fn match_json(m: &Match) -> J {
    json!({"user": m.owner.bare(), "contact": m.contact})
}

fn wrong_regexp_json(w: &WrongRegexp) -> J {
    json!({"pattern": w.pattern, "error": w.message, "offset": w.offset})
}

/// 5.1's `Wrong regexp ~p: ~p` line: the pattern as a binary and `{Message, Offset}`, both
/// through `~p` (so a long line wraps as Erlang's printer does).
fn wrong_regexp_line(w: &WrongRegexp) -> String {
    use crate::compat::erlang::{column_after, Term};
    let prefix = "Wrong regexp ";
    let bin = Term::bin(&w.pattern).pretty(prefix.len());
    let col = column_after(&bin, prefix.len());
    let reason = Term::tuple(vec![Term::string(w.message), Term::int(w.offset)]);
    format!("{prefix}{bin}: {}", reason.pretty(col + 2))
}

impl Render for Processed {
    fn legacy(&self) -> Legacy {
        let mut text = String::new();
        match self {
            Processed::Empty => text.push_str("Roster table is empty.\n"),
            Processed::Report { total, matches, .. } => {
                text.push_str(&format!("There are {total} roster items in total.\n"));
                for m in matches {
                    let (cu, cs) = split_jid(&m.contact);
                    text.push_str(&format!(
                        "Matches: {}@{} {cu}@{cs}\n",
                        m.owner.user, m.owner.server
                    ));
                }
            }
            Processed::WrongRegexps(wrong) => {
                for w in wrong {
                    text.push_str(&wrong_regexp_line(w));
                    text.push('\n');
                }
            }
        }
        Legacy::Text(text)
    }

    fn json(&self) -> Option<J> {
        Some(match self {
            Processed::Empty => {
                json!({"status": "roster_empty", "total": 0, "matches": [], "deleted": false})
            }
            Processed::Report {
                total,
                matches,
                deleted,
                exhausted,
            } => json!({
                "status": "processed",
                "total": total,
                "matches": matches.iter().map(match_json).collect::<Vec<_>>(),
                "deleted": deleted,
                "exhausted_patterns": exhausted.iter().map(exhausted_json).collect::<Vec<_>>(),
            }),
            Processed::WrongRegexps(wrong) => json!({
                "status": "wrong_regexps",
                "wrong_regexps": wrong.iter().map(wrong_regexp_json).collect::<Vec<_>>(),
            }),
        })
    }

    fn warnings(&self) -> Vec<String> {
        match self {
            Processed::Report { exhausted, .. } => exhausted.iter().map(exhausted_line).collect(),
            _ => Vec::new(),
        }
    }
}

fn exhausted_json(e: &Exhausted) -> J {
    json!({
        "field": e.field.name(),
        "pattern": e.pattern,
        "skipped": e.skipped,
        "budget_ms": u64::try_from(e.budget.as_millis()).unwrap_or(u64::MAX),
    })
}

/// `"text"` for a one-line message: `"` escaped as `\"`, control characters as `\u{1b}`, so
/// a pattern cannot inject terminal sequences (other characters as they are).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `1 s`, `250 ms`.
fn duration_text(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// The warning for a pattern that used up its matching time.
fn exhausted_line(e: &Exhausted) -> String {
    let what = match e.field {
        crate::services::roster::PatternField::Users => "owner",
        crate::services::roster::PatternField::Contacts => "contact",
    };
    format!(
        "process_rosteritems: {} pattern {} used up its matching time ({}) and was taken \
         as not matching the {} further {what} JID{} it was not tried on",
        e.field.name(),
        quoted(&e.pattern),
        duration_text(e.budget),
        e.skipped,
        if e.skipped == 1 { "" } else { "s" },
    )
}

impl Render for Pushed {
    fn legacy(&self) -> Legacy {
        Legacy::Code(true)
    }

    fn json(&self) -> Option<J> {
        Some(json!({"owners": self.owners, "items": self.items}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrong(pattern: &str, message: &'static str, offset: usize) -> String {
        wrong_regexp_line(&WrongRegexp {
            pattern: pattern.to_string(),
            message,
            offset,
        })
    }

    #[test]
    fn wrong_regexp_lines_are_erlang_terms() {
        assert_eq!(
            wrong("*@example.org", "nothing to repeat", 0),
            "Wrong regexp <<\"*@example.org\">>: {\"nothing to repeat\",0}"
        );
        assert_eq!(
            wrong("a\\", "\\ at end of pattern", 2),
            "Wrong regexp <<\"a\\\\\">>: {\"\\\\ at end of pattern\",2}"
        );
        // A long pattern makes the tuple wrap like ~p does.
        let long = format!("{}(", "a".repeat(60));
        assert_eq!(
            wrong(&long, "missing )", 61),
            format!(
                "Wrong regexp <<\"{long}\">>: {{\"missing )\",\n{}61}}",
                " ".repeat(83)
            )
        );
    }
}
