//! Argument and result values exchanged between the CLI layer and command handlers.

/// A converted command argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    Text(String),
    Int(i64),
    List(Vec<String>),
}

impl ArgValue {
    /// The text of a `binary`/`string` argument ("" for other kinds).
    pub fn text(&self) -> &str {
        match self {
            ArgValue::Text(s) => s,
            _ => "",
        }
    }
    /// The value of an `integer` argument (0 for other kinds).
    pub fn int(&self) -> i64 {
        match self {
            ArgValue::Int(i) => *i,
            _ => 0,
        }
    }
    /// The items of a `{list, binary}` argument.
    pub fn list(&self) -> &[String] {
        match self {
            ArgValue::List(v) => v,
            _ => &[],
        }
    }
}

/// A command result, shaped like the Erlang result of mongooseimctl 5.1 so that the `text`
/// renderer can print it byte for byte (cli-output §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// binary / string / atom result or tuple field.
    Text(String),
    Int(i64),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// restuple `{ok | error-ish, Text}`.
    Res {
        ok: bool,
        text: String,
    },
    /// rescode: `ok`/`true` (exit 0) or another atom (exit 1); prints nothing.
    Code(bool),
    /// `{error, E}`: prints `Error: "E"`, exit 1 (rule 0).
    Error(String),
}

impl Value {
    pub fn ok(text: impl Into<String>) -> Value {
        Value::Res {
            ok: true,
            text: text.into(),
        }
    }
    pub fn fail(text: impl Into<String>) -> Value {
        Value::Res {
            ok: false,
            text: text.into(),
        }
    }
    pub fn error(text: impl Into<String>) -> Value {
        Value::Error(text.into())
    }
    /// The exit code this result gives (0 or 1).
    pub fn exit_code(&self) -> u8 {
        match self {
            Value::Res { ok: false, .. } | Value::Code(false) | Value::Error(_) => 1,
            _ => 0,
        }
    }
}
