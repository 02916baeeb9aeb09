//! Progress reporting for long work (docs/compat.md, issue 12: progress), on stderr only.
//!
//! The services receive a [`Progress`] handle from `Ctx::progress` / `Ctx::spinner` and tick
//! it; they never learn whether anything is drawn. A disabled handle holds nothing: a tick is
//! one branch on `None` (no clock read, no lock, no drawing). An enabled one wraps an
//! `indicatif` bar (its position is atomic, so a handle can be ticked from rayon's threads).
//!
//! On a terminal the bar is redrawn in place (at most 20 times a second) and cleared when
//! the phase ends, leaving the terminal as it was. With `--progress always` and stderr not a
//! terminal, the same content is written as plain lines (at most one a second, no cursor
//! movement), and a last line with the final state when the phase ends.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle, TermLike};

/// `--progress` / `MONGOOSEIMCTL_PROGRESS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar when stderr is a terminal (and not `-q`).
    #[default]
    Auto,
    /// Never a bar.
    Never,
    /// A bar on a terminal, progress lines when stderr is not one (not with `-q`).
    Always,
}

impl ProgressMode {
    pub fn parse(s: &str) -> Option<ProgressMode> {
        match s {
            "auto" => Some(ProgressMode::Auto),
            "never" => Some(ProgressMode::Never),
            "always" => Some(ProgressMode::Always),
            _ => None,
        }
    }
}

/// Where the run's progress goes, decided once from the mode, `-q` and stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reporter {
    /// Nothing is reported (the default: `never`, `-q`, or `auto` off a terminal).
    #[default]
    Off,
    /// A bar redrawn in place on the terminal.
    Terminal,
    /// Plain progress lines on a stderr that is not a terminal (`always`).
    Lines,
}

impl Reporter {
    /// The reporter of a run. `-q` ("only errors on stderr") wins over every mode.
    pub fn decide(mode: ProgressMode, quiet: bool, stderr_is_terminal: bool) -> Reporter {
        match (mode, quiet, stderr_is_terminal) {
            (_, true, _) | (ProgressMode::Never, _, _) => Reporter::Off,
            (_, false, true) => Reporter::Terminal,
            (ProgressMode::Always, false, false) => Reporter::Lines,
            (ProgressMode::Auto, false, false) => Reporter::Off,
        }
    }

    /// The reporter for this process's stderr.
    pub fn for_stderr(mode: ProgressMode, quiet: bool) -> Reporter {
        Reporter::decide(mode, quiet, io::stderr().is_terminal())
    }

    /// A bar for a phase of `total` steps named `label` (`hashing passwords`).
    pub fn bar(self, label: &'static str, total: u64) -> Progress {
        self.start(label, Some(total))
    }

    /// A spinner with the elapsed time, for a phase whose length is not known (one set-based
    /// statement).
    pub fn spinner(self, label: &'static str) -> Progress {
        self.start(label, None)
    }

    fn start(self, label: &'static str, total: Option<u64>) -> Progress {
        let (target, log) = match self {
            Reporter::Off => return Progress { bar: None },
            // A phase with nothing to do draws nothing.
            _ if total == Some(0) => return Progress { bar: None },
            Reporter::Terminal => (ProgressDrawTarget::stderr_with_hz(20), None),
            Reporter::Lines => {
                let log = Arc::new(LineLog::default());
                let target = ProgressDrawTarget::term_like(Box::new(LogTarget(log.clone())));
                (target, Some(log))
            }
        };
        let template: Cow<'static, str> = match total {
            Some(_) => "{prefix}: [{bar:30}] {human_pos}/{human_len} ({rate}, ETA {eta})".into(),
            None => "{prefix}: {spinner} {elapsed}".into(),
        };
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            )
            .progress_chars("=> ")
            .tick_chars("|/-\\ ");
        let bar = ProgressBar::with_draw_target(total, target)
            .with_style(style)
            .with_prefix(label);
        if total.is_none() {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        // The first draw is immediate, whatever the rate limit.
        bar.tick();
        Progress {
            bar: Some((bar, log)),
        }
    }
}

/// One phase's progress handle. `Sync`: ticked from several threads at once. Ending the
/// phase (dropping the handle, also on an error) clears the bar from the terminal; on a
/// non-terminal it leaves a last line with the final count.
#[derive(Debug, Default)]
pub struct Progress {
    bar: Option<(ProgressBar, Option<Arc<LineLog>>)>,
}

impl Progress {
    /// A handle that reports nothing.
    pub fn none() -> Progress {
        Progress { bar: None }
    }

    /// Whether this phase is reported at all (a bar or lines): work may then be split into
    /// steps so the bar moves; without it the work runs in one piece, as before.
    pub fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// `n` more steps done.
    #[inline]
    pub fn inc(&self, n: u64) {
        if let Some((bar, _)) = &self.bar {
            bar.inc(n);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        match self.bar.take() {
            Some((bar, Some(log))) => {
                bar.finish();
                log.finish();
            }
            Some((bar, None)) => bar.finish_and_clear(),
            None => {}
        }
    }
}

/// The lines written for a stderr that is not a terminal: every draw of the bar is one line
/// (trailing padding trimmed, no cursor movement), at most one a second; the phase's last
/// state is always written when it ends.
#[derive(Debug, Default)]
struct LineLog {
    state: Mutex<LogState>,
}

#[derive(Debug, Default)]
struct LogState {
    /// The line being drawn.
    line: String,
    /// The last complete line drawn, not written yet.
    pending: Option<String>,
    /// The last line written, and when.
    written: Option<(String, Instant)>,
}

const LINE_INTERVAL: Duration = Duration::from_secs(1);

impl LineLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, LogState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A draw is complete: write it if the last line is old enough.
    fn end_line(&self) {
        let mut st = self.lock();
        let text = st.line.trim_end().to_string();
        st.line.clear();
        if text.is_empty() {
            return;
        }
        let due = st
            .written
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() >= LINE_INTERVAL);
        if due {
            write_line(&text);
            st.written = Some((text, Instant::now()));
            st.pending = None;
        } else {
            st.pending = Some(text);
        }
    }

    /// The phase ended: write its last state unless that is the line written last.
    fn finish(&self) {
        let mut st = self.lock();
        if let Some(text) = st.pending.take() {
            if st.written.as_ref().is_none_or(|(w, _)| *w != text) {
                write_line(&text);
                st.written = Some((text, Instant::now()));
            }
        }
    }
}

fn write_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err
        .write_all(text.as_bytes())
        .and_then(|()| err.write_all(b"\n"))
        .and_then(|()| err.flush());
}

/// [`LineLog`] as an indicatif draw target.
#[derive(Debug)]
struct LogTarget(Arc<LineLog>);

impl TermLike for LogTarget {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, _: usize) -> io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.write_str(s)?;
        self.0.end_line();
        Ok(())
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        self.0.lock().line.extend(s.chars().filter(|&c| c != '\r'));
        Ok(())
    }
    fn clear_line(&self) -> io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> io::Result<()> {
        self.0.end_line();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_wins_and_auto_needs_a_terminal() {
        use ProgressMode::*;
        assert_eq!(Reporter::decide(Auto, false, true), Reporter::Terminal);
        assert_eq!(Reporter::decide(Auto, false, false), Reporter::Off);
        assert_eq!(Reporter::decide(Always, false, false), Reporter::Lines);
        assert_eq!(Reporter::decide(Always, false, true), Reporter::Terminal);
        assert_eq!(Reporter::decide(Always, true, true), Reporter::Off);
        assert_eq!(Reporter::decide(Auto, true, true), Reporter::Off);
        assert_eq!(Reporter::decide(Never, false, true), Reporter::Off);
    }

    #[test]
    fn a_disabled_handle_holds_nothing() {
        let p = Reporter::Off.bar("x", 10);
        p.inc(5);
        assert!(p.bar.is_none());
    }
}
