//! mongooseimctl 5.1's result printing (cli-output §3): the text, then one newline, unless
//! the text is empty. Also the terminal-safe escaping every text and table output goes
//! through ([`escape_controls`]).

use std::borrow::Cow;

use super::Legacy;

/// Whether `c` is escaped on a terminal: the C0 controls (U+0000–U+001F) other than LF, and TAB
/// unless `keep_tab`, plus DEL (U+007F) and the C1 controls (U+0080–U+009F).
fn escaped(c: char, keep_tab: bool) -> bool {
    match c {
        '\n' => false,
        '\t' => !keep_tab,
        '\0'..='\x1f' | '\x7f'..='\u{9f}' => true,
        _ => false,
    }
}

/// The text with every control character that could drive a terminal (ESC, BEL, CR, BS, C1
/// CSI, ...) written as `\u{XX}` (lower-case hex, as Rust's escape): a stored nick such as
/// `ESC ]0;… BEL ESC [2J` prints as `\u{1b}]0;…\u{7}\u{1b}[2J` instead of retitling and
/// clearing the terminal. LF (5.1's list separator, and the line breaks of multi-line
/// messages) is kept, and so is TAB when `keep_tab` (5.1's tuple field separator), so that the
/// text of printable values stays byte-identical to 5.1's. Backslashes are not escaped: the
/// form is for reading; `-o json` is the lossless one.
pub(crate) fn escape_controls(s: &str, keep_tab: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| escaped(c, keep_tab)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if escaped(c, keep_tab) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

pub(crate) fn write(value: &Legacy, out: &mut String) {
    match value {
        Legacy::Text(s) | Legacy::Res { text: s, .. } => out.push_str(s),
        Legacy::Int(i) => out.push_str(&i.to_string()),
        Legacy::List(items) => join(items, '\n', out),
        Legacy::Tuple(fields) => join(fields, '\t', out),
        Legacy::Code(_) => {}
        Legacy::Error(e) => {
            out.push_str("Error: \"");
            out.push_str(e);
            out.push('"');
        }
    }
}

fn join(items: &[Legacy], sep: char, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        write(item, out);
    }
}

pub fn render(value: &Legacy) -> String {
    let mut s = String::new();
    write(value, &mut s);
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// A JSON document with DEL and the C1 controls written as `\u00XX` escapes. serde_json only
/// escapes U+0000–U+001F (all JSON requires), but a terminal may act on U+0080–U+009F (CSI is
/// U+009B). They can only occur inside JSON strings, where the escape means the same
/// character: the document is unchanged for a parser.
pub(crate) fn escape_json_controls(doc: &str) -> Cow<'_, str> {
    let escaped = |c: char| matches!(c, '\x7f'..='\u{9f}');
    if !doc.chars().any(escaped) {
        return Cow::Borrowed(doc);
    }
    let mut out = String::with_capacity(doc.len() + 16);
    for c in doc.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_documents_escape_del_and_c1() {
        let doc = serde_json::json!({"v": "a\u{1b}b\u{7f}c\u{9b}d\u{a0}"}).to_string();
        let safe = escape_json_controls(&doc);
        assert_eq!(safe, "{\"v\":\"a\\u001bb\\u007fc\\u009bd\u{a0}\"}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["v"], "a\u{1b}b\u{7f}c\u{9b}d\u{a0}");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("plain é\tx\ny", true), "plain é\tx\ny");
        assert!(matches!(escape_controls("plain", true), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("N\x1b]0;t\x07\x1b[2J\r\x7f\u{9b}\0", true),
            "N\\u{1b}]0;t\\u{7}\\u{1b}[2J\\u{d}\\u{7f}\\u{9b}\\u{0}"
        );
        assert_eq!(escape_controls("a\tb\nc", false), "a\\u{9}b\nc");
        // U+00A0 and beyond are printable: kept.
        assert_eq!(escape_controls("\u{a0}\u{2028}", true), "\u{a0}\u{2028}");
    }

    #[test]
    fn rules() {
        assert_eq!(render(&Legacy::Code(true)), "");
        assert_eq!(render(&Legacy::ok("")), "");
        assert_eq!(
            render(&Legacy::fail("User a@b does not exist")),
            "User a@b does not exist\n"
        );
        assert_eq!(
            render(&Legacy::error("not_allowed")),
            "Error: \"not_allowed\"\n"
        );
        assert_eq!(render(&Legacy::Int(0)), "0\n");
        assert_eq!(render(&Legacy::List(vec![])), "");
        let row =
            |a: &str, b: &str| Legacy::Tuple(vec![Legacy::Text(a.into()), Legacy::Text(b.into())]);
        assert_eq!(
            render(&Legacy::List(vec![row("ok", "a"), row("exists", "")])),
            "ok\ta\nexists\t\n"
        );
    }
}
