//! `bookvoice bench`: speed and memory figures a user can reproduce on their own machine.
//!
//! Six modes. A passage (the built-in one, or `-f FILE`) spoken through the engine. A book
//! (`--book`) converted end to end into a fresh work directory, reporting the time inside the
//! model against the wall time, each chapter's peak memory, and how long a rerun of the
//! finished book takes. A soak (`--soak N`) that speaks chunks until memory growth would
//! show. A passage in each language (`--languages`), kept for scoring with Whisper. Books
//! mastered three ways (`--mastering`), for loudness, joins and cost. The cost of one model
//! call by its length (`--cost-curve`).
//! `--compare-reference` runs the Python reference (kokoro-onnx) on the same text in the
//! same run and prints ratios: on a shared machine, figures from different runs do not
//! compare.

mod book;
mod curve;
mod languages;
mod mastering;
mod reference;
mod soak;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use crate::cli::BenchArgs;
use crate::config::engine_for_text;
use crate::config_file::ConfigFile;
use crate::lang::Lang;
use crate::memory;
use crate::stages::synthesize::{Planner, Speaker, paragraphs};
use reference::{Reference, ReferenceFigures};

/// The default passage: ordinary narrative prose with dialogue, numbers written out, and
/// sentences of varied length (original text).
pub const PASSAGE: &str = "\
The ferry left the harbour a little after seven, while the fog still lay on the water like \
wet wool. Margaret stood at the rail with her hands in her pockets and watched the town \
shrink behind them: the church tower, the row of painted houses, the crane at the end of the \
quay. \"You'll catch your death out here,\" said the man who sold tea from a cart, but she \
only smiled and shook her head. She had waited eleven years for this crossing, and she meant \
to see every minute of it.";

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    if let Some(chunks) = args.soak {
        return soak::run(args, chunks);
    }
    if let Some(book) = &args.book {
        return book::run(args, book);
    }
    if args.cost_curve {
        return curve::run(args);
    }
    if let Some(books) = &args.mastering {
        return mastering::run(args, books);
    }
    if let Some(langs) = &args.languages {
        // Every language but English, which the other benchmarks cover.
        let all: Vec<Lang> = Lang::ALL.into_iter().filter(|l| !l.is_english()).collect();
        return languages::run(args, if langs.is_empty() { &all } else { langs });
    }
    passage(args)
}

/// Where a run's files go: `--out DIR`, kept, or a temporary folder removed at the end.
fn out_dir(args: &BenchArgs) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            Ok((dir.clone(), None))
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("bookvoice-bench-")
                .tempdir()
                .context("cannot create a temporary folder")?;
            Ok((temp.path().to_path_buf(), Some(temp)))
        }
    }
}

/// One `label  value` line of the plain report.
fn line(label: &str, value: impl std::fmt::Display) {
    println!("{label:<20}{value}");
}

/// Our figures over the reference's, where a larger ratio means bookvoice is better.
#[derive(Debug, Serialize)]
struct Ratios {
    /// bookvoice's characters per second over the reference's.
    speed: f64,
    /// The reference's peak resident memory over bookvoice's.
    memory: Option<f64>,
}

impl Ratios {
    fn of(chars_per_sec: f64, peak_rss_mb: Option<f64>, reference: &ReferenceFigures) -> Ratios {
        Ratios {
            speed: chars_per_sec / reference.chars_per_sec().max(1e-9),
            memory: peak_rss_mb.map(|mb| reference.peak_rss_mb / mb.max(1e-9)),
        }
    }

    fn print(&self) {
        line(
            "speed ratio",
            format!("{:.2}× the reference's characters per second", self.speed),
        );
        if let Some(m) = self.memory {
            line(
                "memory ratio",
                format!("the reference's peak RSS is {m:.2}× bookvoice's"),
            );
        }
    }
}

#[derive(Debug, Serialize)]
struct PassageFigures {
    /// Where the session started, and which devices ran the chunks.
    session_device: String,
    device: String,
    model: String,
    chars: usize,
    runs: u32,
    load_secs: f64,
    audio_secs: f64,
    wall_secs: f64,
    model_secs: f64,
    chars_per_sec: f64,
    real_time_factor: f64,
    model_share: f64,
    peak_rss_mb: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<ReferenceFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratios: Option<Ratios>,
}

/// A passage spoken `--runs` times after a short warm-up, so one-time allocations are not
/// counted.
fn passage(args: &BenchArgs) -> anyhow::Result<()> {
    let text = match &args.file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => PASSAGE.to_string(),
    };
    let paragraphs = paragraphs(&text);
    anyhow::ensure!(!paragraphs.is_empty(), "nothing to say: the text is empty");
    let chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    let (config, _) = engine_for_text(&args.engine, &ConfigFile::default(), &text)?;
    // The reference is checked before our run, so a missing setup fails in seconds.
    let (out, _temp) = out_dir(args)?;
    let reference = if args.compare_reference {
        Reference::check(args)?;
        Some(Reference::prepare(args, &config, &out)?)
    } else {
        None
    };

    let planner = Planner::new(&config)?;
    let speaker = Speaker::new(&config)?;
    let load_secs = speaker.started().load_time.as_secs_f64();
    speaker.speak(&planner, &["A short warm-up sentence.".to_string()], |_| {
        Ok(())
    })?;

    let mut audio_secs = 0.0;
    let mut model_secs = 0.0;
    let mut devices = String::new();
    let t0 = Instant::now();
    for _ in 0..args.runs {
        let stats = speaker.speak(&planner, &paragraphs, |_| Ok(()))?;
        audio_secs += stats.audio_secs();
        model_secs += stats.model_time.as_secs_f64();
        devices = stats.devices();
    }
    let wall_secs = t0.elapsed().as_secs_f64();
    let session_device = speaker.started().device.to_string();
    drop(speaker);
    let total_chars = chars * args.runs as usize;
    let chars_per_sec = total_chars as f64 / wall_secs;
    let peak_rss_mb = memory::peak_rss_mb();

    let (reference, ratios) = match reference {
        Some(r) => {
            let text_file = out.join("passage.txt");
            std::fs::write(&text_file, paragraphs.join("\n\n"))
                .with_context(|| format!("cannot write {}", text_file.display()))?;
            let figures = r.run(&text_file, &out.join("passage.reference.wav"))?;
            let ratios = Ratios::of(chars_per_sec, peak_rss_mb, &figures);
            (Some(figures), Some(ratios))
        }
        None => (None, None),
    };
    let figures = PassageFigures {
        session_device,
        device: devices,
        model: config.model_name(),
        chars,
        runs: args.runs,
        load_secs,
        audio_secs,
        wall_secs,
        model_secs,
        chars_per_sec,
        real_time_factor: wall_secs / audio_secs.max(1e-9),
        model_share: model_secs / wall_secs.max(1e-9),
        peak_rss_mb,
        reference,
        ratios,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
        return Ok(());
    }
    line("device", &figures.device);
    line("model", &figures.model);
    line("model load", format!("{:.2} s", figures.load_secs));
    line(
        "text",
        format!("{} chars × {} run(s)", figures.chars, figures.runs),
    );
    line("audio", format!("{:.1} s", figures.audio_secs));
    line("wall", format!("{:.1} s", figures.wall_secs));
    line("chars per second", format!("{:.1}", figures.chars_per_sec));
    line(
        "real-time factor",
        format!("{:.3} (synthesis s per audio s)", figures.real_time_factor),
    );
    line(
        "inside the model",
        format!("{:.1} % of wall time", 100.0 * figures.model_share),
    );
    print_peak(figures.peak_rss_mb);
    if let (Some(r), Some(ratios)) = (&figures.reference, &figures.ratios) {
        r.print();
        ratios.print();
    }
    Ok(())
}

fn print_peak(peak: Option<f64>) {
    match peak {
        Some(mb) => line("peak RSS", format!("{mb:.0} MB")),
        None => line("peak RSS", "unavailable on this platform"),
    }
}
