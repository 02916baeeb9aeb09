//! The output layer: the only place that writes to stdout/stderr. Outcomes (typed results of
//! the services, and every [`Error`]) are rendered as `text` (mongooseimctl 5.1's exact
//! format), `table` (comfy-table) or `json` (one document per run, docs/output.md).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod access;
mod accounts;
mod core;
mod domain;
mod errors;
mod gdpr;
mod json;
mod last;
mod legacy;
mod metrics;
mod node;
mod private;
pub mod progress;
mod provision;
mod roster;
mod sessions;
mod stanza;
mod stats;
mod store;
mod table;
mod text;
mod upload;
mod vcard;
mod xep0227;

use std::io::{self, Write};

pub use legacy::Legacy;
pub use progress::{Progress, ProgressMode, Reporter};
pub use table::TableStyle;

use crate::error::Error;
use crate::registry::CommandSpec;
use crate::services::provision::Captured;

/// A typed outcome the output layer can render. Implemented (in this module's files) for
/// every service outcome type.
pub trait Render {
    /// The result as mongooseimctl 5.1's command returns it, in the shape of the command's
    /// declared result type: what `text` prints byte for byte and `table` lays out.
    fn legacy(&self) -> Legacy;
    /// The JSON `result` (success) or the extra fields of the JSON `error` object (failure).
    /// Every success outcome gives one; `None` (a failure with no extra fields) is `null`.
    fn json(&self) -> Option<serde_json::Value> {
        None
    }
    /// `Some(kind)` when this outcome is a failure result (exit 1): the stable JSON error
    /// kind. `None`: success.
    fn failure(&self) -> Option<&'static str> {
        None
    }
    /// Warnings about the outcome, printed on stderr as `warning: …` lines in every format.
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// `User <user>@<host> does not exist`: 5.1's text for a missing account, naming the
/// arguments as typed.
pub(crate) fn no_such_user(user: &str, host: &str) -> String {
    format!("User {user}@{host} does not exist")
}

/// The extra JSON fields of a `user_not_found` failure: the arguments as typed.
pub(crate) fn user_host(user: &str, host: &str) -> serde_json::Value {
    serde_json::json!({"user": user, "host": host})
}

/// Output format of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Table,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Writes results to stdout and diagnostics to stderr. A closed stdout (broken pipe) is not
/// an error.
pub struct Printer {
    pub format: Format,
    out: Box<dyn Write>,
    err: Box<dyn Write>,
    /// Dynamic table arrangement only on a terminal.
    pub tty: bool,
    /// The command word of this run, once known (JSON `command`).
    pub command: Option<String>,
    /// How `-o table` draws its tables (ASCII borders, no header row).
    pub table_style: TableStyle,
    /// The run's one JSON document has been written (a streamed list that ended in an
    /// error closes its own document with the error).
    document_written: bool,
    /// Capturing (a `batch` line): results are kept here instead of written to stdout.
    capture: Option<Captured>,
}

/// Streamed rows are written to stdout in chunks of about this many bytes.
const CHUNK: usize = 64 * 1024;

impl Printer {
    pub fn new(format: Format, out: Box<dyn Write>, err: Box<dyn Write>, tty: bool) -> Printer {
        Printer {
            format,
            out,
            err,
            tty,
            command: None,
            table_style: TableStyle::default(),
            document_written: false,
            capture: None,
        }
    }

    /// A printer that keeps the result it is given ([`Printer::take_capture`]) instead of
    /// writing it: a `batch` line. Diagnostics (warnings) still go to stderr.
    pub fn capturing() -> Printer {
        let mut p = Printer::new(
            Format::Text,
            Box::new(io::sink()),
            Box::new(io::stderr()),
            false,
        );
        p.capture = Some(Captured::default());
        p
    }

    /// What a capturing printer was given (None: not capturing).
    pub fn take_capture(&mut self) -> Option<Captured> {
        self.capture.take()
    }

    /// Standard streams.
    pub fn stdio(format: Format, tty: bool) -> Printer {
        Printer::new(
            format,
            Box::new(io::stdout().lock()),
            Box::new(io::stderr()),
            tty,
        )
    }

    /// Render a command outcome in the chosen format.
    pub fn result(&mut self, cmd: &CommandSpec, reply: &dyn Render) {
        let legacy = reply.legacy();
        if let Some(c) = self.capture.as_mut() {
            c.text = text::render(&legacy);
            c.json = reply.json();
            c.failure = reply.failure();
            for w in reply.warnings() {
                self.warning(&w);
            }
            return;
        }
        let text = match self.format {
            Format::Text => text::render(&legacy),
            Format::Json => json::render(cmd, reply, &legacy),
            Format::Table => table::render(cmd, &legacy, self.tty, self.table_style),
        };
        self.raw_out(&text);
        for w in reply.warnings() {
            self.warning(&w);
        }
    }

    /// Render a list result produced row by row: `produce` hands every row to the sink.
    /// `text` and `json` write as the rows come (in chunks), so memory does not grow with
    /// the number of rows; `table` needs every row to lay out its columns and keeps them.
    /// With `-o json` the document is `{"command": …, "result": [ROWS], "ok": true}`, or, if
    /// producing fails after the list started, `{"command": …, "result": [ROWS SO FAR],
    /// "ok": false, "error": {…}}` (then [`Printer::failure`] writes no second document).
    pub fn rows(
        &mut self,
        cmd: &CommandSpec,
        produce: &mut dyn FnMut(&mut crate::registry::RowSink<'_>) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        if self.capture.is_some() {
            let mut text = String::new();
            let mut rows = Vec::new();
            let result = produce(&mut |row| {
                if !rows.is_empty() {
                    text.push('\n');
                }
                text::write(&row.legacy(), &mut text);
                rows.push(row.json().unwrap_or(serde_json::Value::Null));
                Ok(())
            });
            if let Some(c) = self.capture.as_mut() {
                if !rows.is_empty() {
                    text.push('\n');
                }
                c.text = text;
                c.json = Some(serde_json::Value::Array(rows));
                c.failure = None;
            }
            return result;
        }
        match self.format {
            Format::Table => {
                let mut all = Vec::new();
                produce(&mut |row| {
                    all.push(row.legacy());
                    Ok(())
                })?;
                let text = table::render(cmd, &Legacy::List(all), self.tty, self.table_style);
                self.raw_out(&text);
                Ok(())
            }
            Format::Text => {
                let mut buf = String::new();
                let mut any = false;
                let result = produce(&mut |row| {
                    if any {
                        buf.push('\n');
                    }
                    any = true;
                    text::write(&row.legacy(), &mut buf);
                    if buf.len() >= CHUNK {
                        self.raw_out(&buf);
                        buf.clear();
                    }
                    Ok(())
                });
                // 5.1 prints the joined lines and one newline, unless the list is empty.
                if any {
                    buf.push('\n');
                }
                self.raw_out(&buf);
                result
            }
            Format::Json => {
                let mut buf = format!(
                    "{{\"command\":{},\"result\":[",
                    serde_json::Value::from(cmd.name)
                );
                let mut any = false;
                let result = produce(&mut |row| {
                    if any {
                        buf.push(',');
                    }
                    any = true;
                    buf.push_str(&row.json().unwrap_or(serde_json::Value::Null).to_string());
                    if buf.len() >= CHUNK {
                        self.raw_out(&buf);
                        buf.clear();
                    }
                    Ok(())
                });
                match &result {
                    Ok(()) => buf.push_str("],\"ok\":true}\n"),
                    Err(e) => {
                        let error = json::error_object(
                            e.kind(),
                            &errors::legacy_text(e)
                                .map(|t| t.trim_end_matches('\n').to_string())
                                .unwrap_or_else(|| errors::message(e)),
                            errors::details(e),
                        );
                        buf.push_str(&format!("],\"ok\":false,\"error\":{error}}}\n"));
                        self.document_written = true;
                    }
                }
                self.raw_out(&buf);
                result
            }
        }
    }

    /// A help text, completion script or version (success): verbatim, or with `-o json` the
    /// document `{"command": …, "ok": true, "result": {"text": …}}`.
    pub fn text_block(&mut self, text: &str) {
        if let Some(c) = self.capture.as_mut() {
            c.text = text.to_string();
            c.json = Some(serde_json::json!({"text": text}));
            c.failure = None;
            return;
        }
        if self.format == Format::Json {
            let doc = serde_json::json!({
                "command": self.command,
                "ok": true,
                "result": {"text": text},
            });
            self.raw_out(&format!("{doc}\n"));
        } else {
            self.raw_out(text);
        }
    }

    /// The usage printed when no command is given (exit 2): verbatim, or with `-o json` the
    /// `usage` error document, the text on stderr.
    pub fn usage(&mut self, text: &str) {
        if self.format == Format::Json {
            let doc = json::error_doc(
                self.command.as_deref(),
                "usage",
                "no command given (see `mongooseimctl help`)",
                Some(serde_json::json!({"usage": text})),
            );
            self.raw_out(&doc);
            self.raw_err(text);
        } else {
            self.raw_out(text);
        }
    }

    /// Render a failure of `command` (None: no command was reached). Legacy texts (unknown
    /// command, arity, crashes, node-only) go to stdout as 5.1 prints them; our own errors
    /// to stderr as `error: …`. With `-o json` stdout always gets the one error document.
    pub fn failure(&mut self, command: Option<&str>, e: &Error) {
        let legacy = errors::legacy_text(e);
        if self.format == Format::Json && !self.document_written {
            let message = match &legacy {
                Some(t) => t.trim_end_matches('\n').to_string(),
                None => errors::message(e),
            };
            let doc = json::error_doc(command, e.kind(), &message, errors::details(e));
            self.raw_out(&doc);
        }
        match (legacy, e) {
            (Some(t), _) => {
                if self.format != Format::Json {
                    self.raw_out(&t);
                }
            }
            (None, Error::Usage(text)) => self.raw_err(text),
            (None, Error::Guard(crate::error::GuardStop::Aborted)) => {
                self.raw_err(&format!("{}\n", errors::message(e)))
            }
            (None, other) => self.error(&errors::message(other)),
        }
        if let Some(hint) = errors::hint(e) {
            self.raw_err(&format!("{hint}\n"));
        }
    }

    /// Write text to stdout (results, help texts, legacy messages) with every control
    /// character that could drive a terminal escaped: in text and table, as `\u{XX}`
    /// ([`text::escape_controls`]; TAB and LF are kept); in JSON, whose serialiser escapes the
    /// C0 controls, DEL and C1 as `\u00XX` too ([`text::escape_json_controls`]).
    pub fn raw_out(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = match self.format {
            Format::Json => text::escape_json_controls(text),
            Format::Text | Format::Table => text::escape_controls(text, true),
        };
        let r = self
            .out
            .write_all(text.as_bytes())
            .and_then(|_| self.out.flush());
        if let Err(e) = r {
            if e.kind() != io::ErrorKind::BrokenPipe {
                let _ = writeln!(self.err, "error: cannot write to stdout: {e}");
            }
        }
    }

    /// Our own error line(s) on stderr.
    pub fn error(&mut self, text: &str) {
        self.raw_err(&format!("error: {text}\n"));
    }

    pub fn warning(&mut self, text: &str) {
        self.raw_err(&format!("warning: {text}\n"));
    }

    /// Text to stderr, whatever the format, with the control characters that could drive a
    /// terminal escaped (TAB and LF kept).
    pub fn raw_err(&mut self, text: &str) {
        let text = text::escape_controls(text, true);
        let _ = self.err.write_all(text.as_bytes());
        let _ = self.err.flush();
    }

    /// A question for the operator at the terminal (a confirmation): on stderr when it is a
    /// terminal, otherwise on the controlling terminal (`/dev/tty`), so that `2>log` does
    /// not hide a question the command then waits for; stderr if there is no terminal.
    pub fn prompt(&mut self, text: &str) {
        use std::io::IsTerminal;
        let text = text::escape_controls(text, true);
        if !std::io::stderr().is_terminal() {
            if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
                if tty.write_all(text.as_bytes()).is_ok() && tty.flush().is_ok() {
                    return;
                }
            }
        }
        let _ = self.err.write_all(text.as_bytes());
        let _ = self.err.flush();
    }
}

/// A printer writing into shared buffers (tests).
#[cfg(test)]
pub fn capture(format: Format) -> (Printer, std::rc::Rc<std::cell::RefCell<Vec<u8>>>) {
    use std::cell::RefCell;
    use std::rc::Rc;
    struct Shared(Rc<RefCell<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let buf = Rc::new(RefCell::new(Vec::new()));
    (
        Printer::new(
            format,
            Box::new(Shared(buf.clone())),
            Box::new(io::sink()),
            false,
        ),
        buf,
    )
}
