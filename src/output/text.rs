//! mongooseimctl 5.1's result printing (cli-output §3): the text, then one newline, unless
//! the text is empty.

use crate::value::Value;

fn format(value: &Value) -> String {
    match value {
        Value::Text(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::List(items) => items.iter().map(format).collect::<Vec<_>>().join("\n"),
        Value::Tuple(fields) => fields.iter().map(format).collect::<Vec<_>>().join("\t"),
        Value::Res { text, .. } => text.clone(),
        Value::Code(_) => String::new(),
        Value::Error(e) => format!("Error: \"{e}\""),
    }
}

pub fn render(value: &Value) -> String {
    let mut s = format(value);
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
