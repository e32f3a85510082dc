//! `bench --book`: a whole book (or `--chapters`) converted end to end, measured.
//!
//! The conversion is the real one, `convert`'s own code, into a fresh work directory: extract,
//! script, plan, speak, assemble, M4B. Images are not described (that is the vision model's
//! time, not ours). Reported: wall time against time inside the model, characters per second,
//! each chapter's peak resident memory (sampled) and the process's peak (the kernel's), then
//! the time to rerun the finished book. With `--compare-reference` each chapter's text is also
//! spoken by the Python reference and the ratios printed.
//!
//! One pair of runs proves little on a shared machine: a busy neighbour moves either side by as
//! much as the difference between them. `--repeat N` makes N pairs, alternating which side
//! runs first (the first pair starts with bookvoice, whose conversion writes the chapter texts
//! the reference is given), and reports each pair's speed ratio and their median.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::reference::{Reference, ReferenceFigures};
use super::{Ratios, line, out_dir, print_peak};
use crate::cli::{BenchArgs, FormatArg, StageArg};
use crate::commands::convert::{BookRun, Settings, convert_book};
use crate::config::engine_settings;
use crate::config_file::ConfigFile;
use crate::lang::spans;
use crate::memory;
use crate::stages::describe::VisionSettings;
use crate::stages::extract::select::Selection;
use crate::stages::script::parse;
use crate::stages::synthesize::voice::VoiceSpec;

#[derive(Debug, Serialize)]
struct ChapterFigures {
    chapter: usize,
    title: String,
    chars: usize,
    /// Chunks spoken, and the model calls that spoke them.
    chunks: usize,
    calls: usize,
    audio_secs: f64,
    model_secs: f64,
    wall_secs: f64,
    peak_rss_mb: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<ReferenceFigures>,
}

#[derive(Debug, Serialize)]
struct BookFigures {
    book: String,
    device: Option<String>,
    model: String,
    chapters: Vec<ChapterFigures>,
    load_secs: Option<f64>,
    planning_secs: f64,
    /// Characters of the chapters' text (what both bookvoice and the reference are given).
    chars: usize,
    audio_secs: f64,
    /// The whole conversion, from opening the EPUB to the M4B.
    wall_secs: f64,
    model_secs: f64,
    chars_per_sec: f64,
    real_time_factor: f64,
    wall_over_model: f64,
    /// The kernel's peak for the whole process.
    peak_rss_mb: Option<f64>,
    /// The highest resident size sampled during this conversion (its chapters' peaks).
    run_peak_rss_mb: Option<f64>,
    /// Peak in the last chapter minus peak in the second (three chapters or more).
    growth_mb: Option<f64>,
    /// Converting the finished book again.
    rerun_secs: f64,
    out: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<ReferenceFigures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratios: Option<Ratios>,
}

pub fn run(args: &BenchArgs, epub: &Path) -> anyhow::Result<()> {
    let (out, _temp) = out_dir(args)?;
    // The reference is checked before our run, so a missing setup fails in seconds.
    if args.compare_reference {
        Reference::check(args)?;
    }
    if args.repeat > 1 {
        anyhow::ensure!(
            args.compare_reference,
            "--repeat makes pairs of runs against the reference: add --compare-reference"
        );
        return pairs(args, epub, &out);
    }
    let (figures, _) = measure(args, epub, &out, args.compare_reference)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        print(&figures);
    }
    Ok(())
}

/// One pair: bookvoice's figures, the reference's, and the ratio of their speeds.
#[derive(Debug, Serialize)]
struct Pair {
    /// Which side ran first.
    first: &'static str,
    chars_per_sec: f64,
    reference_chars_per_sec: f64,
    speed_ratio: f64,
    /// The highest resident size sampled during this pair's conversion. (The kernel's peak
    /// is the process's over every pair so far, so it can only grow from pair to pair.)
    peak_rss_mb: Option<f64>,
    reference_peak_rss_mb: f64,
}

#[derive(Debug, Serialize)]
struct PairFigures {
    book: String,
    chars: usize,
    pairs: Vec<Pair>,
    median_speed_ratio: f64,
    min_speed_ratio: f64,
    max_speed_ratio: f64,
    /// The first pair in full.
    first: BookFigures,
}

/// `--repeat N`: N pairs of runs, alternating which side goes first.
fn pairs(args: &BenchArgs, epub: &Path, out: &Path) -> anyhow::Result<()> {
    let (first, ours) = measure(args, epub, &out.join("pair-1"), true)?;
    let reference_of = |f: &BookFigures| f.reference.clone().unwrap_or_default();
    let mut pairs = vec![pair("bookvoice", &first, &reference_of(&first))];
    for k in 2..=args.repeat {
        let dir = out.join(format!("pair-{k}"));
        let (figures, reference) = if k % 2 == 0 {
            let reference = ours.reference_run(args, &dir)?;
            (measure(args, epub, &dir, false)?.0, reference)
        } else {
            let figures = measure(args, epub, &dir, false)?.0;
            (figures, ours.reference_run(args, &dir)?)
        };
        let first = if k % 2 == 0 { "reference" } else { "bookvoice" };
        pairs.push(pair(first, &figures, &reference));
        if !args.json {
            let p = pairs.last().expect("a pair was just pushed");
            eprintln!(
                "pair {k}: {:.2}× ({:.1} against {:.1} chars/s)",
                p.speed_ratio, p.chars_per_sec, p.reference_chars_per_sec
            );
        }
    }
    let mut ratios: Vec<f64> = pairs.iter().map(|p| p.speed_ratio).collect();
    ratios.sort_by(f64::total_cmp);
    let figures = PairFigures {
        book: epub.display().to_string(),
        chars: first.chars,
        median_speed_ratio: median(&ratios),
        min_speed_ratio: ratios[0],
        max_speed_ratio: ratios[ratios.len() - 1],
        pairs,
        first,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
        return Ok(());
    }
    print(&figures.first);
    println!();
    println!(
        "{:>4}  {:<10} {:>12} {:>12} {:>7} {:>8} {:>8}",
        "pair", "first", "ours c/s", "ref c/s", "ratio", "our MB", "ref MB"
    );
    for (i, p) in figures.pairs.iter().enumerate() {
        println!(
            "{:>4}  {:<10} {:>12.1} {:>12.1} {:>7.2} {:>8} {:>8.0}",
            i + 1,
            p.first,
            p.chars_per_sec,
            p.reference_chars_per_sec,
            p.speed_ratio,
            p.peak_rss_mb
                .map(|m| format!("{m:.0}"))
                .unwrap_or_else(|| "-".into()),
            p.reference_peak_rss_mb
        );
    }
    line(
        "speed ratio",
        format!(
            "median {:.2}× the reference's characters per second over {} pairs (range {:.2}–{:.2})",
            figures.median_speed_ratio,
            figures.pairs.len(),
            figures.min_speed_ratio,
            figures.max_speed_ratio
        ),
    );
    Ok(())
}

fn pair(first: &'static str, ours: &BookFigures, reference: &ReferenceFigures) -> Pair {
    Pair {
        first,
        chars_per_sec: ours.chars_per_sec,
        reference_chars_per_sec: reference.chars_per_sec(),
        speed_ratio: ours.chars_per_sec / reference.chars_per_sec().max(1e-9),
        peak_rss_mb: ours.run_peak_rss_mb.or(ours.peak_rss_mb),
        reference_peak_rss_mb: reference.peak_rss_mb,
    }
}

/// The middle value of sorted numbers (the mean of the two middle ones for an even count).
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// What the reference needs to speak the same chapters again.
struct Texts {
    config: crate::stages::synthesize::EngineSettings,
    files: Vec<std::path::PathBuf>,
}

impl Texts {
    /// The reference over every chapter text, its audio into `dir`.
    fn reference_run(&self, args: &BenchArgs, dir: &Path) -> anyhow::Result<ReferenceFigures> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        let reference = Reference::prepare(args, &self.config, dir)?;
        let runs = self
            .files
            .iter()
            .enumerate()
            .map(|(i, text)| reference.run(text, &dir.join(format!("{:02}.reference.wav", i + 1))))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(ReferenceFigures::total(&runs))
    }
}

/// Converts the book into `out` and measures it, the reference too when asked.
fn measure(
    args: &BenchArgs,
    epub: &Path,
    out: &Path,
    with_reference: bool,
) -> anyhow::Result<(BookFigures, Texts)> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the folder {}", out.display()))?;
    let out = out.to_path_buf();
    let stem = epub
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    let work = out.join(format!("{stem}.bookvoice"));
    anyhow::ensure!(
        !work.exists(),
        "{} already holds a conversion of this book, and bench measures a first one: give \
         an empty folder with --out",
        out.display()
    );
    let file = ConfigFile::load(None)?;
    let sampler = memory::Sampler::start();
    let settings = Settings {
        file,
        vision: VisionSettings::off(),
        selection: Selection {
            chapters: args.selection.chapters.clone(),
            include: args.selection.include.clone(),
        },
        out_dir: out.clone(),
        formats: vec![FormatArg::M4b, FormatArg::Wav],
        overlap: Default::default(),
        memory: sampler.as_ref(),
    };
    let run = BookRun {
        work_dir: None,
        no_wait: false,
        stop_after: StageArg::Assemble,
        engine: &args.engine,
    };
    let t0 = Instant::now();
    let summary = convert_book(&run, &settings, epub)?;
    let wall_secs = t0.elapsed().as_secs_f64();
    let peak_rss_mb = memory::peak_rss_mb();
    let t1 = Instant::now();
    convert_book(&run, &settings, epub).context("the rerun of the finished book failed")?;
    let rerun_secs = t1.elapsed().as_secs_f64();

    // The engine the conversion ran, for the report and for the reference.
    let (language, voice) = summary
        .language
        .as_ref()
        .map(|c| c.lang)
        .zip(summary.voice.as_deref())
        .context("the conversion decided no language. This is a bug")?;
    let config = engine_settings(
        &args.engine,
        &settings.file.speech,
        VoiceSpec::parse(voice)?,
        language,
    )?;
    drop(settings);
    drop(sampler);
    let reference = if with_reference {
        Some(Reference::prepare(args, &config, &out)?)
    } else {
        None
    };
    let audio = summary
        .audio
        .context("the conversion made no audio. This is a bug")?;
    let scripts = summary.scripts.unwrap_or_default();
    let text_dir = out.join("text");
    std::fs::create_dir_all(&text_dir)
        .with_context(|| format!("cannot create {}", text_dir.display()))?;
    let mut chapters = Vec::new();
    let mut files = Vec::new();
    for (script, result) in scripts.iter().zip(&audio.chapters) {
        // The words spoken, without the script's markup: what the reference is given too.
        let text = std::fs::read_to_string(&script.path)
            .with_context(|| format!("cannot read {}", script.path.display()))?;
        let plain: Vec<String> = parse::parse(&text)
            .into_iter()
            .map(|u| spans::plain(&u.text))
            .filter(|t| !t.is_empty())
            .collect();
        let plain = plain.join("\n\n");
        let text_file = text_dir.join(format!("{:02}.txt", script.chapter));
        std::fs::write(&text_file, &plain)
            .with_context(|| format!("cannot write {}", text_file.display()))?;
        let reference = match &reference {
            Some(r) => {
                let wav = text_dir.join(format!("{:02}.reference.wav", script.chapter));
                Some(r.run(&text_file, &wav)?)
            }
            None => None,
        };
        files.push(text_file);
        chapters.push(ChapterFigures {
            chapter: script.chapter,
            title: script.title.clone(),
            chars: plain.chars().count(),
            chunks: result.chunks_spoken,
            calls: result.calls,
            audio_secs: result.seconds,
            model_secs: result.model_seconds,
            wall_secs: result.wall_seconds,
            peak_rss_mb: result.peak_rss_mb,
            reference,
        });
    }

    let chars: usize = chapters.iter().map(|c| c.chars).sum();
    let audio_secs: f64 = chapters.iter().map(|c| c.audio_secs).sum();
    let chars_per_sec = chars as f64 / wall_secs.max(1e-9);
    let growth_mb: Option<f64> = match chapters.as_slice() {
        [_, second, .., last] if chapters.len() >= 3 => {
            last.peak_rss_mb.zip(second.peak_rss_mb).map(|(l, s)| l - s)
        }
        _ => None,
    };
    let reference: Option<ReferenceFigures> = reference.map(|_| {
        let runs: Vec<ReferenceFigures> = chapters
            .iter()
            .filter_map(|c| c.reference.clone())
            .collect();
        ReferenceFigures::total(&runs)
    });
    let ratios = reference
        .as_ref()
        .map(|r| Ratios::of(chars_per_sec, peak_rss_mb, r));
    let run_peak_rss_mb = chapters
        .iter()
        .filter_map(|c| c.peak_rss_mb)
        .reduce(f64::max);
    let figures = BookFigures {
        book: epub.display().to_string(),
        device: audio.device.clone(),
        model: config.model_name(),
        chapters,
        load_secs: audio.load_seconds,
        planning_secs: audio.planning_seconds,
        chars,
        audio_secs,
        wall_secs,
        model_secs: audio.model_seconds,
        chars_per_sec,
        real_time_factor: wall_secs / audio_secs.max(1e-9),
        wall_over_model: wall_secs / audio.model_seconds.max(1e-9),
        peak_rss_mb,
        run_peak_rss_mb,
        growth_mb,
        rerun_secs,
        out: if args.out.is_some() {
            out.display().to_string()
        } else {
            String::new()
        },
        reference,
        ratios,
    };
    Ok((figures, Texts { config, files }))
}

fn print(f: &BookFigures) {
    line("book", &f.book);
    line(
        "device",
        f.device.as_deref().unwrap_or("none (nothing spoken)"),
    );
    line("model", &f.model);
    if let Some(load) = f.load_secs {
        line("model load", format!("{load:.2} s"));
    }
    println!(
        "{:>4}  {:>8} {:>7} {:>6} {:>9} {:>9} {:>9} {:>9}  title",
        "ch", "chars", "chunks", "calls", "audio s", "model s", "wall s", "peak MB"
    );
    for c in &f.chapters {
        println!(
            "{:>4}  {:>8} {:>7} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9}  {}",
            c.chapter,
            c.chars,
            c.chunks,
            c.calls,
            c.audio_secs,
            c.model_secs,
            c.wall_secs,
            c.peak_rss_mb
                .map(|m| format!("{m:.0}"))
                .unwrap_or_else(|| "-".into()),
            c.title
        );
    }
    line(
        "text",
        format!("{} chars in {} chapters", f.chars, f.chapters.len()),
    );
    line("audio", format!("{:.1} s", f.audio_secs));
    line(
        "wall",
        format!(
            "{:.1} s (planning {:.1} s), {:.3}× the {:.1} s inside the model",
            f.wall_secs, f.planning_secs, f.wall_over_model, f.model_secs
        ),
    );
    line("chars per second", format!("{:.1}", f.chars_per_sec));
    line(
        "real-time factor",
        format!("{:.3} (wall s per audio s)", f.real_time_factor),
    );
    print_peak(f.peak_rss_mb);
    if let Some(g) = f.growth_mb {
        line(
            "memory growth",
            format!("{g:+.0} MB (last chapter's peak minus the second's)"),
        );
    }
    line("rerun", format!("{:.2} s (finished book)", f.rerun_secs));
    if !f.out.is_empty() {
        line("files", &f.out);
    }
    if let (Some(r), Some(ratios)) = (&f.reference, &f.ratios) {
        r.print();
        ratios.print();
    }
}
