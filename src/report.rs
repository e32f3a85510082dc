//! What the user sees on stderr: log lines and progress bars, and how they share the terminal.
//!
//! Results go to stdout; everything here goes to stderr. Bars are drawn only when a person is
//! watching (see [`Output`]); otherwise the factory hands out hidden bars, so callers never
//! branch on whether a bar exists. Log lines are printed through the bars' `MultiProgress`, so
//! they never tear a bar. That `MultiProgress` is the one piece of global state: set once at
//! start-up, before any thread is spawned.

use std::io::Write;
use std::sync::OnceLock;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use std::io::IsTerminal;

/// How output is shown, decided once from the flags and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Progress bars on stderr (a person is watching).
    pub progress: bool,
    pub color: bool,
    pub quiet: bool,
    pub verbose: u8,
}

impl Output {
    pub fn detect(quiet: bool, verbose: u8) -> Output {
        let tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("TERM").is_ok_and(|t| t == "dumb");
        Output {
            progress: tty && !quiet,
            color: tty && !no_color,
            quiet,
            verbose,
        }
    }
}

static BARS: OnceLock<MultiProgress> = OnceLock::new();

fn bars() -> &'static MultiProgress {
    BARS.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::hidden()))
}

/// Sets up logging and the progress display. Call once, first thing.
pub fn init(output: &Output) {
    let multi = if output.progress {
        MultiProgress::with_draw_target(ProgressDrawTarget::stderr())
    } else {
        MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
    };
    let _ = BARS.set(multi);
    let level = match (output.quiet, output.verbose) {
        (true, _) => "error",
        (false, 0) => "bookvoice=info",
        (false, 1) => "bookvoice=debug",
        (false, _) => "bookvoice=trace",
    };
    let filter = EnvFilter::try_from_env("BOOKVOICE_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(StderrThroughBars)
        .with_ansi(output.color)
        .with_target(false)
        .without_time()
        .try_init();
}

/// `n` and a noun in the number it takes: "1 chapter", "3 chapters", "0 chapters". The nouns
/// of bookvoice's messages all take an s.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A progress bar over `len` steps; hidden when no one is watching.
pub fn bar(len: u64, unit: &str) -> ProgressBar {
    let bar = bars().add(ProgressBar::new(len));
    let template = format!(
        "{{spinner}} [{{elapsed_precise}}] {{bar:30}} {{pos}}/{{len}} {unit} {{msg}} (ETA {{eta}})"
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// Log output routed through the progress display.
#[derive(Clone, Copy)]
struct StderrThroughBars;

struct LineWriter(Vec<u8>);

impl Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        let text = text.trim_end_matches('\n');
        let multi = bars();
        if multi.is_hidden() {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        } else {
            let _ = multi.println(text);
        }
    }
}

impl<'a> MakeWriter<'a> for StderrThroughBars {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_noun_in_its_number() {
        assert_eq!(count(1, "chapter"), "1 chapter");
        assert_eq!(count(0, "chapter"), "0 chapters");
        assert_eq!(count(144, "chapter script"), "144 chapter scripts");
    }
}
