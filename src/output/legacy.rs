//! The Erlang shape of a 5.1 result (what ejabberd_commands returns for the declared result
//! type): what the `text` and `table` renderers print, and what every outcome is checked
//! against in debug builds.

/// A command result, shaped like the Erlang result of mongooseimctl 5.1 so that the `text`
/// renderer can print it byte for byte (cli-output §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Legacy {
    /// binary / string / atom result or tuple field.
    Text(String),
    Int(i64),
    List(Vec<Legacy>),
    Tuple(Vec<Legacy>),
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

impl Legacy {
    pub fn ok(text: impl Into<String>) -> Legacy {
        Legacy::Res {
            ok: true,
            text: text.into(),
        }
    }
    pub fn fail(text: impl Into<String>) -> Legacy {
        Legacy::Res {
            ok: false,
            text: text.into(),
        }
    }
    pub fn error(text: impl Into<String>) -> Legacy {
        Legacy::Error(text.into())
    }
    /// Whether 5.1 reports this result as a failure (its ctl exits 1); checked against the
    /// outcome's own `failure()` in debug builds.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Legacy::Res { ok: false, .. } | Legacy::Code(false) | Legacy::Error(_)
        )
    }
}

impl Legacy {
    /// Whether this result has the shape of the declared type `ty` (ejabberd_commands
    /// would format it without crashing).
    pub fn conforms(&self, ty: &crate::registry::Ty) -> bool {
        use crate::registry::Ty;
        match (ty, self) {
            (_, Legacy::Error(_)) => true,
            (Ty::RestTuple, Legacy::Res { .. }) => true,
            (Ty::ResCode, Legacy::Code(_)) => true,
            (Ty::Binary | Ty::String | Ty::Atom, Legacy::Text(_)) => true,
            (Ty::Integer, Legacy::Int(_)) => true,
            // An unset session priority: 5.1 returns the atom `undefined` in an integer field
            // (status_list, connected_users_info) and ejabberd_commands prints it as is.
            (Ty::Integer, Legacy::Text(t)) => t == "undefined",
            (Ty::List(elem), Legacy::List(items)) => items.iter().all(|i| i.conforms(&elem.ty)),
            (Ty::Tuple(fields), Legacy::Tuple(vals)) => {
                fields.len() == vals.len()
                    && fields.iter().zip(vals).all(|(f, v)| v.conforms(&f.ty))
            }
            _ => false,
        }
    }
}
