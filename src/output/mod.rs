//! The output layer: the only place that writes to stdout/stderr. Results are rendered in
//! `text` (mongooseimctl 5.1's exact format), `table` (comfy-table) or `json`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod json;
mod table;
mod text;

use std::io::{self, Write};

use crate::registry::CommandSpec;
use crate::value::Value;

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
}

impl Printer {
    pub fn new(format: Format, out: Box<dyn Write>, err: Box<dyn Write>, tty: bool) -> Printer {
        Printer {
            format,
            out,
            err,
            tty,
        }
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

    /// Render a command result in the chosen format.
    pub fn result(&mut self, cmd: &CommandSpec, value: &Value) {
        let text = match self.format {
            Format::Text => text::render(value),
            Format::Json => json::render(cmd, value),
            Format::Table => table::render(cmd, value, self.tty),
        };
        self.raw_out(&text);
    }

    /// A legacy failure text (unknown command, wrong arity, crash) for `command`.
    pub fn legacy_failure(&mut self, command: &str, text: &str) {
        match self.format {
            Format::Json => {
                let doc = json::failure(command, text.trim_matches('\n'));
                self.raw_out(&doc);
            }
            _ => self.raw_out(text),
        }
    }

    /// Write text to stdout verbatim (help texts, legacy messages).
    pub fn raw_out(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
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

    /// Our own error / warning line(s) on stderr.
    pub fn error(&mut self, text: &str) {
        let _ = writeln!(self.err, "error: {text}");
    }

    pub fn warning(&mut self, text: &str) {
        let _ = writeln!(self.err, "warning: {text}");
    }

    /// Text to stderr verbatim.
    pub fn raw_err(&mut self, text: &str) {
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
