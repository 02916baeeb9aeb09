//! mongooseimctl 5.1's result printing (cli-output §3): the text, then one newline, unless
//! the text is empty.

use crate::value::Value;

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Text(s) | Value::Res { text: s, .. } => out.push_str(s),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::List(items) => join(items, '\n', out),
        Value::Tuple(fields) => join(fields, '\t', out),
        Value::Code(_) => {}
        Value::Error(e) => {
            out.push_str("Error: \"");
            out.push_str(e);
            out.push('"');
        }
    }
}

fn join(items: &[Value], sep: char, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        write(item, out);
    }
}

pub fn render(value: &Value) -> String {
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
        assert_eq!(render(&Value::Code(true)), "");
        assert_eq!(render(&Value::ok("")), "");
        assert_eq!(
            render(&Value::fail("User a@b does not exist")),
            "User a@b does not exist\n"
        );
        assert_eq!(
            render(&Value::error("not_allowed")),
            "Error: \"not_allowed\"\n"
        );
        assert_eq!(render(&Value::Int(0)), "0\n");
        assert_eq!(render(&Value::List(vec![])), "");
        let row =
            |a: &str, b: &str| Value::Tuple(vec![Value::Text(a.into()), Value::Text(b.into())]);
        assert_eq!(
            render(&Value::List(vec![row("ok", "a"), row("exists", "")])),
            "ok\ta\nexists\t\n"
        );
    }
}
