//! `bench --mastering`: how even and how clean the chapters of real books come out.
//!
//! Each book (optionally `BOOK.epub:CHAPTERS`) is converted with the real engine into `--out`
//! (chunks already spoken there are reused, so a second run costs only assembly), then
//! assembled three ways from the same chunks: `off` (the model's own level), `standard`
//! (−16 LUFS, −1 dBTP, through the limiter) and `acx`. Reported per chapter: integrated
//! loudness, loudness range and true peak of `off`, of the one-gain method bookvoice used
//! before the limiter (worked out from `off`: the gain to −16 LUFS, lowered until the true
//! peak is −1 dBTP), and of `standard`; the spread across chapters; the joins between chunks;
//! and what mastering costs per hour of audio.
//!
//! Joins are found in the `standard` file itself: speech runs separated by digital silence
//! of 30 ms or more (the pauses bookvoice inserts; the model's own pauses are never exact
//! zeros). At each join: the largest sample-to-sample step in the 10 ms either side, against
//! the 99.9th percentile of steps inside speech (a click is a step speech itself does not
//! make), and the step in loudness between the last second before and the first second
//! after, against the same step measured across the middle of long runs.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::{line, out_dir};
use crate::cli::{BenchArgs, FormatArg, StageArg};
use crate::commands::convert::{BookRun, Settings, convert_book};
use crate::config_file::ConfigFile;
use crate::stages::assemble::master::{Figures, Meter, Preset};
use crate::stages::describe::VisionSettings;
use crate::stages::extract::select::{ChapterRanges, Selection};
use crate::stages::synthesize::SAMPLE_RATE;

/// Silence this long or longer separates two runs of speech, in seconds.
const GAP_SECS: f64 = 0.030;
/// A join's loudness step above this many LU is counted as a jump. Speech itself, measured
/// the same way across the middle of a run, steps by 5–9 LU at its 95th percentile on our
/// books (BENCHMARKS.md): a join counts only where it is as large as speech's own rarer
/// swings, which a listener hears as a change of level rather than of phrase.
const JUMP_LU: f64 = 6.0;

#[derive(Debug, Serialize)]
struct ChapterFigures {
    chapter: usize,
    title: String,
    seconds: f64,
    off: Figures,
    /// The one-gain method, worked out from `off`.
    one_gain: Figures,
    standard: Figures,
    acx: Figures,
    /// Seconds assembling the `standard` chapter (measuring, limiting, writing).
    master_secs: f64,
    /// Seconds assembling the `off` chapter (measuring and writing only).
    plain_secs: f64,
}

#[derive(Debug, Default, Serialize)]
struct Joins {
    joins: usize,
    /// Largest sample step near a join, and the 99.9th percentile inside speech (full scale
    /// 1.0).
    largest_join_step: f64,
    speech_step_p999: f64,
    clicks: usize,
    /// Loudness steps at joins and across the middle of runs, in LU.
    join_step_median: f64,
    join_step_p95: f64,
    inside_step_median: f64,
    inside_step_p95: f64,
    jumps: usize,
}

#[derive(Debug, Serialize)]
struct BookFigures {
    book: String,
    chapters: Vec<ChapterFigures>,
    /// Largest minus smallest integrated loudness across chapters, in LU, per method.
    spread_off: f64,
    spread_one_gain: f64,
    spread_standard: f64,
    joins: Joins,
    audio_secs: f64,
    /// Seconds of mastering (over plain assembly) per hour of audio.
    master_secs_per_hour: f64,
}

pub fn run(args: &BenchArgs, books: &[String]) -> anyhow::Result<()> {
    let (out, _temp) = out_dir(args)?;
    let mut figures = Vec::new();
    for spec in books {
        let (epub, chapters) = parse_spec(spec)?;
        figures.push(book(args, &out, &epub, chapters)?);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        for f in &figures {
            print(f);
        }
    }
    Ok(())
}

/// `BOOK.epub` or `BOOK.epub:CHAPTERS`.
fn parse_spec(spec: &str) -> anyhow::Result<(PathBuf, Option<ChapterRanges>)> {
    if Path::new(spec).is_file() {
        return Ok((PathBuf::from(spec), None));
    }
    match spec.rsplit_once(':') {
        Some((path, chapters)) if Path::new(path).is_file() => Ok((
            PathBuf::from(path),
            Some(
                chapters
                    .parse()
                    .map_err(|e| anyhow::anyhow!("{spec}: {e}"))?,
            ),
        )),
        _ => anyhow::bail!("{spec}: no such book (give BOOK.epub or BOOK.epub:CHAPTERS)"),
    }
}

fn book(
    args: &BenchArgs,
    out: &Path,
    epub: &Path,
    chapters: Option<ChapterRanges>,
) -> anyhow::Result<BookFigures> {
    let run = BookRun {
        work_dir: None,
        no_wait: false,
        stop_after: StageArg::Assemble,
        engine: &args.engine,
    };
    let mut runs = Vec::new();
    for preset in [Preset::Off, Preset::Standard, Preset::Acx] {
        let mut file = ConfigFile::load(None)?;
        file.loudness.preset = preset;
        let settings = Settings {
            file,
            vision: VisionSettings::off(),
            selection: Selection {
                chapters: chapters.clone().or(args.selection.chapters.clone()),
                include: args.selection.include.clone(),
            },
            out_dir: out.to_path_buf(),
            formats: vec![FormatArg::Wav],
            overlap: Default::default(),
            memory: None,
        };
        let summary = convert_book(&run, &settings, epub)?;
        let audio = summary
            .audio
            .context("the conversion made no audio. This is a bug")?;
        // Measured here, from the files, rather than taken from the run's report.
        let mut measured = Vec::new();
        for c in &audio.chapters {
            let wav = c.wav.as_ref().context("a chapter without audio")?;
            let samples = read(wav)?;
            // The time around speech, when this run spoke the chapter first.
            let assembly = (c.wall_seconds - c.model_seconds).max(0.0);
            measured.push((c.chapter, c.title.clone(), assembly, samples));
        }
        runs.push(measured);
    }
    let [off, standard, acx] = <[_; 3]>::try_from(runs).map_err(|_| anyhow::anyhow!("3 runs"))?;

    let mut chapters = Vec::new();
    let mut joins = JoinStats::default();
    for ((a, b), c) in off.iter().zip(&standard).zip(&acx) {
        let off_figures = figures(&a.3)?;
        joins.add(&b.3)?;
        chapters.push(ChapterFigures {
            chapter: a.0,
            title: a.1.clone(),
            seconds: off_figures.seconds,
            one_gain: one_gain(&off_figures),
            off: off_figures,
            standard: figures(&b.3)?,
            acx: figures(&c.3)?,
            master_secs: b.2,
            plain_secs: a.2,
        });
    }
    let spread = |f: &dyn Fn(&ChapterFigures) -> f64| {
        let levels: Vec<f64> = chapters.iter().map(f).filter(|l| l.is_finite()).collect();
        levels.iter().cloned().fold(f64::MIN, f64::max)
            - levels.iter().cloned().fold(f64::MAX, f64::min)
    };
    let audio_secs: f64 = chapters.iter().map(|c| c.seconds).sum();
    let extra: f64 = chapters
        .iter()
        .map(|c| (c.master_secs - c.plain_secs).max(0.0))
        .sum();
    Ok(BookFigures {
        book: epub.display().to_string(),
        spread_off: spread(&|c| c.off.integrated_lufs),
        spread_one_gain: spread(&|c| c.one_gain.integrated_lufs),
        spread_standard: spread(&|c| c.standard.integrated_lufs),
        joins: joins.finish(),
        audio_secs,
        master_secs_per_hour: extra / audio_secs.max(1e-9) * 3600.0,
        chapters,
    })
}

fn read(wav: &Path) -> anyhow::Result<Vec<f32>> {
    let reader =
        hound::WavReader::open(wav).with_context(|| format!("cannot read {}", wav.display()))?;
    reader
        .into_samples::<i16>()
        .map(|s| s.map(|s| s as f32 / 32768.0))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", wav.display()))
}

fn figures(samples: &[f32]) -> anyhow::Result<Figures> {
    let mut meter = Meter::new(SAMPLE_RATE, true)?;
    meter.add(samples)?;
    Ok(meter.figures())
}

/// What one gain per chapter made of it: to −16 LUFS, lowered so the true peak stays at or
/// under −1 dBTP (bookvoice's mastering before the limiter).
fn one_gain(off: &Figures) -> Figures {
    let peak = off.true_peak_db.unwrap_or(f64::NEG_INFINITY);
    let gain = if off.integrated_lufs.is_finite() && peak.is_finite() {
        (-16.0 - off.integrated_lufs).min(-1.0 - peak)
    } else {
        0.0
    };
    Figures {
        integrated_lufs: off.integrated_lufs + gain,
        range_lu: off.range_lu,
        true_peak_db: off.true_peak_db.map(|p| p + gain),
        rms_db: off.rms_db + gain,
        seconds: off.seconds,
    }
}

/// Steps gathered over every chapter of a book.
#[derive(Default)]
struct JoinStats {
    edge_steps: Vec<f64>,
    speech_steps: Vec<f64>,
    join_lu: Vec<f64>,
    inside_lu: Vec<f64>,
}

impl JoinStats {
    fn add(&mut self, samples: &[f32]) -> anyhow::Result<()> {
        let runs = speech_runs(samples);
        let near = (0.010 * SAMPLE_RATE as f64) as usize;
        let second = SAMPLE_RATE as usize;
        for (i, &(start, end)) in runs.iter().enumerate() {
            let run = &samples[start..end];
            let steps = |s: &[f32]| -> f64 {
                s.windows(2)
                    .map(|w| (w[1] - w[0]).abs() as f64)
                    .fold(0.0, f64::max)
            };
            self.edge_steps.push(steps(&run[..near.min(run.len())]));
            self.edge_steps
                .push(steps(&run[run.len().saturating_sub(near)..]));
            if run.len() > 2 * near {
                // Every 16th step is plenty for a percentile, and keeps memory small.
                self.speech_steps.extend(
                    run[near..run.len() - near]
                        .windows(2)
                        .step_by(16)
                        .map(|w| (w[1] - w[0]).abs() as f64),
                );
            }
            if run.len() >= 2 * second {
                let mid = run.len() / 2;
                let (a, b) = (
                    loudness(&run[mid - second..mid])?,
                    loudness(&run[mid..mid + second])?,
                );
                if a.is_finite() && b.is_finite() {
                    self.inside_lu.push((a - b).abs());
                }
            }
            if let Some(&(next_start, next_end)) = runs.get(i + 1) {
                let next = &samples[next_start..next_end];
                let tail = &run[run.len().saturating_sub(second)..];
                let head = &next[..second.min(next.len())];
                if tail.len() >= second / 2 && head.len() >= second / 2 {
                    let (a, b) = (loudness(tail)?, loudness(head)?);
                    if a.is_finite() && b.is_finite() {
                        self.join_lu.push((a - b).abs());
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Joins {
        let p999 = percentile(&mut self.speech_steps, 0.999);
        Joins {
            joins: self.join_lu.len(),
            largest_join_step: self.edge_steps.iter().cloned().fold(0.0, f64::max),
            speech_step_p999: p999,
            clicks: self.edge_steps.iter().filter(|s| **s > p999).count(),
            join_step_median: percentile(&mut self.join_lu, 0.5),
            join_step_p95: percentile(&mut self.join_lu, 0.95),
            inside_step_median: percentile(&mut self.inside_lu, 0.5),
            inside_step_p95: percentile(&mut self.inside_lu, 0.95),
            jumps: self.join_lu.iter().filter(|s| **s > JUMP_LU).count(),
        }
    }
}

/// Runs of samples between stretches of digital silence at least [`GAP_SECS`] long.
fn speech_runs(samples: &[f32]) -> Vec<(usize, usize)> {
    let gap = (GAP_SECS * SAMPLE_RATE as f64) as usize;
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    let mut zeros = 0;
    for (i, &s) in samples.iter().enumerate() {
        if s == 0.0 {
            zeros += 1;
            if zeros == gap
                && let Some(st) = start.take()
            {
                runs.push((st, i + 1 - gap));
            }
        } else {
            zeros = 0;
            if start.is_none() {
                start = Some(i);
            }
        }
    }
    if let Some(st) = start {
        runs.push((st, samples.len() - zeros));
    }
    runs.retain(|(a, b)| b > a);
    runs
}

/// Loudness of a short stretch: the K-weighted level of its 400 ms blocks, gated as BS.1770
/// gates a programme.
fn loudness(samples: &[f32]) -> anyhow::Result<f64> {
    let mut meter = Meter::new(SAMPLE_RATE, false)?;
    meter.add(samples)?;
    Ok(meter.figures().integrated_lufs)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let at = ((values.len() - 1) as f64 * p).round() as usize;
    values[at]
}

fn print(f: &BookFigures) {
    line("book", &f.book);
    println!(
        "{:>4} {:>7}  {:>22}  {:>22}  {:>22}  {:>13}  title",
        "ch", "audio s", "off I/LRA/TP", "one gain I/LRA/TP", "limiter I/LRA/TP", "ACX RMS/TP"
    );
    let trio = |f: &Figures| {
        format!(
            "{:>6.1} {:>5.1} {:>6.1}",
            f.integrated_lufs,
            f.range_lu.unwrap_or(f64::NAN),
            f.true_peak_db.unwrap_or(f64::NAN)
        )
    };
    for c in &f.chapters {
        println!(
            "{:>4} {:>7.1}  {:>22}  {:>22}  {:>22}  {:>6.1} {:>6.1}  {}",
            c.chapter,
            c.seconds,
            trio(&c.off),
            trio(&c.one_gain),
            trio(&c.standard),
            c.acx.rms_db,
            c.acx.true_peak_db.unwrap_or(f64::NAN),
            c.title
        );
    }
    line(
        "spread (LU)",
        format!(
            "off {:.1}, one gain {:.1}, limiter {:.1}",
            f.spread_off, f.spread_one_gain, f.spread_standard
        ),
    );
    let j = &f.joins;
    line(
        "joins",
        format!(
            "{} between speech runs; loudness step median {:.1} LU, p95 {:.1} LU (inside \
             speech: {:.1}, {:.1}); {} above {JUMP_LU} LU",
            j.joins,
            j.join_step_median,
            j.join_step_p95,
            j.inside_step_median,
            j.inside_step_p95,
            j.jumps
        ),
    );
    line(
        "clicks",
        format!(
            "largest step at a join {:.4}, speech's own p99.9 {:.4}; {} edges above",
            j.largest_join_step, j.speech_step_p999, j.clicks
        ),
    );
    line(
        "mastering cost",
        format!(
            "{:.1} s per hour of audio ({:.0} s of audio)",
            f.master_secs_per_hour, f.audio_secs
        ),
    );
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_runs_are_split_at_digital_silence() {
        let mut s = vec![0.0f32; 100];
        s.extend(vec![0.1f32; 500]);
        s.extend(vec![0.0f32; 1_000]); // 42 ms: a join
        s.extend(vec![0.1f32; 300]);
        s.extend(vec![0.0f32; 200]); // 8 ms: inside speech
        s.extend(vec![0.1f32; 300]);
        s.extend(vec![0.0f32; 50]);
        assert_eq!(speech_runs(&s), [(100, 600), (1_600, 2_400)]);
    }

    #[test]
    fn the_one_gain_method_stops_at_the_peak() {
        let off = Figures {
            integrated_lufs: -22.0,
            range_lu: Some(5.0),
            true_peak_db: Some(-3.0),
            rms_db: -25.0,
            seconds: 10.0,
        };
        let g = one_gain(&off);
        assert_eq!(g.true_peak_db, Some(-1.0));
        assert_eq!(g.integrated_lufs, -20.0);
    }
}
