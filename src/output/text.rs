//! mongooseimctl 5.1's result printing (cli-output §3): the text, then one newline, unless
//! the text is empty.

use super::Legacy;

fn write(value: &Legacy, out: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
