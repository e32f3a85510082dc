//! How fast a run really speaks, kept in each book's `pace.json` for `bookvoice status`'s
//! estimate of the time left.
//!
//! With several workers, chapters are spoken side by side, so adding up each chapter's
//! speaking time counts the same wall-clock second once per busy worker, and an estimate made
//! from it is that many times too long. The [`PaceMeter`] instead gives each chapter its share
//! of the wall time: every moment of the run is split evenly among the chapters being spoken
//! at that moment (a second with two workers busy is half a second for each). The shares of
//! all the chapters add up to the wall time during which anything was spoken, so characters
//! over the shares recorded is the pace the run achieved, however many workers there were and
//! whichever books their chapters came from. Each chapter's share is added to its book's
//! `pace.json` when the chapter is done, so a run stopped midway keeps what it measured.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::workdir::WorkDir;
use crate::workdir::fsutil::write_file;

/// The characters a book's runs have spoken and the wall-clock seconds that took, summed over
/// its runs (`pace.json` in the work directory).
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct Pace {
    pub chars: usize,
    pub seconds: f64,
}

impl Pace {
    const FILE: &str = "pace.json";

    /// The pace recorded in a work directory, if any.
    pub fn load(work: &Path) -> Option<Pace> {
        let bytes = std::fs::read(work.join(Self::FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Adds `chars` spoken in `seconds` of the run's wall time (a [`PaceMeter`] share).
    pub fn add(work: &WorkDir, chars: usize, seconds: f64) -> anyhow::Result<()> {
        let mut pace = Pace::load(work.root()).unwrap_or_default();
        pace.chars += chars;
        pace.seconds += seconds;
        write_file(&work.root().join(Self::FILE), &serde_json::to_vec(&pace)?)
    }
}

/// Splits the wall time of a run's speaking among the chapters spoken at each moment. Shared
/// by the drivers of every worker.
#[derive(Debug)]
pub struct PaceMeter {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// When the shares were last brought up to date.
    last: Instant,
    /// Each chapter being spoken, by its ticket, with its share so far in seconds.
    busy: HashMap<u64, f64>,
    next: u64,
}

impl State {
    /// Splits the time since the last update among the chapters being spoken.
    fn advance(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        if !self.busy.is_empty() {
            let each = elapsed / self.busy.len() as f64;
            for share in self.busy.values_mut() {
                *share += each;
            }
        }
        self.last = self.last.max(now);
    }
}

impl Default for PaceMeter {
    fn default() -> Self {
        PaceMeter {
            state: Mutex::new(State {
                last: Instant::now(),
                busy: HashMap::new(),
                next: 0,
            }),
        }
    }
}

impl PaceMeter {
    /// Runs `speak` (one chapter's speech) and returns what it returned with the chapter's
    /// share of the wall time, in seconds.
    pub fn time<R>(&self, speak: impl FnOnce() -> R) -> (R, f64) {
        let ticket = self.begin(Instant::now());
        let out = speak();
        (out, self.end(ticket, Instant::now()))
    }

    /// A chapter starts speaking at `now`; returns its ticket.
    fn begin(&self, now: Instant) -> u64 {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.advance(now);
        let ticket = state.next;
        state.next += 1;
        state.busy.insert(ticket, 0.0);
        ticket
    }

    /// The chapter of `ticket` is done at `now`; returns its share in seconds.
    fn end(&self, ticket: u64, now: Instant) -> f64 {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.advance(now);
        state.busy.remove(&ticket).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(t0: Instant, secs: u64) -> Instant {
        t0 + Duration::from_secs(secs)
    }

    #[test]
    fn chapters_side_by_side_share_the_wall_time() {
        let meter = PaceMeter::default();
        let t0 = Instant::now();
        // Two workers, each speaking a 10 s chapter over the same 10 s: 5 s each.
        let a = meter.begin(t0);
        let b = meter.begin(t0);
        assert_eq!(meter.end(a, at(t0, 10)), 5.0);
        assert_eq!(meter.end(b, at(t0, 10)), 5.0);
    }

    #[test]
    fn the_shares_add_up_to_the_time_anything_was_spoken() {
        let meter = PaceMeter::default();
        let t0 = Instant::now();
        // 0–4 s one chapter alone, 4–10 s two, 10–12 s nothing, 12–14 s one alone.
        let a = meter.begin(t0);
        let b = meter.begin(at(t0, 4));
        let first = meter.end(a, at(t0, 10));
        let second = meter.end(b, at(t0, 10));
        let c = meter.begin(at(t0, 12));
        let third = meter.end(c, at(t0, 14));
        assert_eq!((first, second, third), (7.0, 3.0, 2.0));
        assert_eq!(first + second + third, 12.0);
    }

    #[test]
    fn the_pace_adds_up_in_the_work_directory() {
        let dir = tempfile::tempdir().unwrap();
        let work = WorkDir::open(dir.path()).unwrap();
        assert!(Pace::load(work.root()).is_none());
        Pace::add(&work, 1000, 5.0).unwrap();
        Pace::add(&work, 500, 2.5).unwrap();
        let pace = Pace::load(work.root()).unwrap();
        assert_eq!((pace.chars, pace.seconds), (1500, 7.5));
    }
}
