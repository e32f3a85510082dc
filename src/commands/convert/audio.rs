//! The audio half of `convert`, for one book: each chapter checked (its WAV may be fresh) and
//! planned, then, once the run's engine speaks it (`speech.rs`), assembled into its WAV; and
//! the book finished with its M4B and the other files asked for.
//!
//! A chapter's WAV is fresh while its script text, the engine (voice, speed, models) and the
//! pauses are unchanged, so a rerun of a finished book reads scripts and fingerprints and
//! loads no model. Every chapter that is not fresh is planned (phonemized and chunked) before
//! any model is loaded, its plan kept on disk until the chapter is assembled; the planner is
//! dropped first, so the G2P's memory and the model's are never resident together. A chapter
//! that fails is named and skipped, the rest of the book goes on, and the book ends in an
//! error without an M4B; everything finished stays for the next run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use super::pace::Pace;
use crate::memory;
use crate::report;
use crate::stages::assemble::chapter::{self, Pauses};
use crate::stages::assemble::cues::{self, Cue};
use crate::stages::assemble::ffmpeg::Bitrates;
use crate::stages::assemble::master::Loudness;
use crate::stages::extract::book::Book;
use crate::stages::script::{Script, parse};
use crate::stages::synthesize::Planner;
use crate::stages::synthesize::chapter::{ChunkStore, Planned, missing, plan};
use crate::stages::synthesize::{EngineIdentity, EngineSettings, SpeechStats};
use crate::workdir::WorkDir;
use crate::workdir::fingerprint::{Fingerprint, Freshness, sha256_hex};
use crate::workdir::fsutil::remove_if_exists;

/// Bumped when the chapter WAV's layout (or what is recorded beside it) changes.
const CHAPTER_SCHEMA: u32 = 3;

#[derive(Serialize)]
struct ChapterInputs<'a> {
    schema: u32,
    script_sha256: String,
    engine: &'a EngineIdentity,
    pauses: &'a Pauses,
    loudness: &'a Loudness,
}

/// One chapter's audio, as this run left it.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterResult {
    pub chapter: usize,
    pub title: String,
    pub wav: Option<PathBuf>,
    pub seconds: f64,
    pub fresh: bool,
    pub chunks_spoken: usize,
    /// Model calls that spoke them (short chunks are spoken several to a call).
    pub calls: usize,
    /// Characters of script text in the chunks spoken.
    pub chars_spoken: usize,
    /// Seconds inside the model, and of audio it made, for the chunks spoken.
    pub model_seconds: f64,
    pub audio_seconds_spoken: f64,
    /// Wall time speaking and assembling this chapter.
    pub wall_seconds: f64,
    /// Highest resident memory while this chapter was spoken and assembled, when sampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_mb: Option<f64>,
    pub error: Option<String>,
    /// The chapter's level before and after mastering, when assembled in this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loudness: Option<chapter::ChapterAudio>,
    /// The fingerprint of the chapter WAV, which the encoded files' are made from.
    #[serde(skip)]
    pub fingerprint: String,
    /// Headings inside the chapter and where they start (kept beside the WAV in
    /// `NN - Title.sections.json`), for the markers of a very long chapter.
    #[serde(skip)]
    pub sections: Vec<chapter::Section>,
}

impl ChapterResult {
    /// A chapter with nothing done yet.
    fn new(script: &Script) -> ChapterResult {
        ChapterResult {
            chapter: script.chapter,
            title: script.title.clone(),
            wav: None,
            seconds: 0.0,
            fresh: false,
            chunks_spoken: 0,
            calls: 0,
            chars_spoken: 0,
            model_seconds: 0.0,
            audio_seconds_spoken: 0.0,
            wall_seconds: 0.0,
            peak_rss_mb: None,
            error: None,
            loudness: None,
            fingerprint: String::new(),
            sections: Vec::new(),
        }
    }
}

/// What the audio stages did.
#[derive(Debug, Default, Serialize)]
pub struct AudioSummary {
    pub chapters: Vec<ChapterResult>,
    pub m4b: Option<PathBuf>,
    /// Where the chapter WAVs were put, with `--format wav`.
    pub wav_dir: Option<PathBuf>,
    pub m4b_fresh: bool,
    /// The book in one MP3, and the folder of chapter MP3s, with `--format mp3`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mp3: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mp3_dir: Option<PathBuf>,
    /// The folder of chapter Opus files, with `--format opus`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opus_dir: Option<PathBuf>,
    /// Encoded files made in this run, and those already up to date.
    pub files_encoded: usize,
    pub files_fresh: usize,
    /// Where inference ran, if any chunk was spoken.
    pub device: Option<String>,
    /// Wall seconds from this book's first chapter starting to speak (from the engine's
    /// start, for the book it was loaded for) to its last chapter assembled.
    pub seconds_speaking: f64,
    pub audio_seconds_spoken: f64,
    /// Seconds inside the model, summed over the chunks spoken.
    pub model_seconds: f64,
    /// Seconds spent planning (phonemizing and chunking) the chapters not fresh.
    pub planning_seconds: f64,
    /// Seconds the model took to load, if it was loaded for this book (in a library run it is
    /// loaded once, for the first book that needs it).
    pub load_seconds: Option<f64>,
}

pub struct AudioJob<'a> {
    pub book: &'a Book,
    pub work: &'a WorkDir,
    pub scripts: &'a [Script],
    pub engine: &'a EngineSettings,
    pub pauses: &'a Pauses,
    pub loudness: &'a Loudness,
    /// Stop after speaking: no WAVs, no M4B.
    pub speak_only: bool,
    /// Where the M4B goes, if one is wanted.
    pub m4b: Option<PathBuf>,
    /// Where the chapter WAVs go, if they are wanted.
    pub wav_dir: Option<PathBuf>,
    /// Where the book's MP3 goes (the chapter MP3s go into `wav_dir`'s folder), if wanted.
    pub mp3: Option<PathBuf>,
    /// Whether chapter Opus files are wanted (beside the chapter WAVs).
    pub opus: bool,
    /// The folder for chapter files of any format: `OUTDIR/BOOK`.
    pub chapter_dir: PathBuf,
    pub bitrates: Bitrates,
    /// Samples resident memory per chapter, for `bench`.
    pub memory: Option<&'a memory::Sampler>,
}

/// A book's chapters after planning: those already done, and those waiting for speech.
pub struct AudioPlan {
    /// One per script, in the book's order: the chapter's result where it is done already
    /// (fresh, empty, or failed), `None` where it waits in `to_speak`.
    pub results: Vec<Option<ChapterResult>>,
    pub to_speak: Vec<ToSpeak>,
    /// Seconds spent planning (phonemizing and chunking) the chapters not fresh.
    pub planning_seconds: f64,
}

/// A chapter planned and waiting to be spoken and assembled; its plan is on disk.
pub struct ToSpeak {
    /// Its place among the book's scripts.
    pub index: usize,
    result: ChapterResult,
    fingerprint: Fingerprint,
    wav: PathBuf,
    /// Where its plan is kept until it is assembled.
    pub plan: PathBuf,
    /// Whether any of its chunks is not stored yet, so the model is needed.
    pub needs_model: bool,
}

/// What becomes of a chapter: done already, to plan (its script's units), or planned.
enum Step {
    Done(ChapterResult),
    Plan(ToSpeak, Vec<parse::Unit>),
    Planned(ToSpeak),
}

/// Checks every chapter and plans those not fresh, keeping each plan on disk; the planner is
/// gone (and its memory given back) when this returns. A chapter that cannot be read or
/// planned is a failed chapter, not an error.
pub fn prepare(job: &AudioJob) -> anyhow::Result<AudioPlan> {
    let identity = job.engine.identity()?;
    let store = ChunkStore::new(&job.work.chunks_dir());
    let planning = Instant::now();
    let mut steps: Vec<Step> = job
        .scripts
        .iter()
        .enumerate()
        .map(|(index, script)| {
            check(job, index, script, &identity)
                .unwrap_or_else(|e| Step::Done(failed(job, script, e)))
        })
        .collect();
    let mut planning_seconds = 0.0;
    if steps.iter().any(|s| matches!(s, Step::Plan(..))) {
        // Chapters are planned in parallel: on a machine whose accelerator speaks a book in
        // minutes, planning one chapter after another would hold it up.
        let planner = Planner::new(job.engine)?.with_label(&job.book.file_name);
        // A long book takes a while to phonemize (a 725,000-character novel, about half a
        // minute on two cores): the bar shows it moving.
        let to_plan = steps.iter().filter(|s| matches!(s, Step::Plan(..))).count();
        let bar = report::bar(to_plan as u64, "chapters");
        bar.set_message("planned");
        steps = steps
            .into_par_iter()
            .map(|step| match step {
                Step::Plan(mut chapter, units) => {
                    let script = &job.scripts[chapter.index];
                    let outcome = plan(&planner, &units, &identity).and_then(|planned| {
                        chapter.needs_model = !missing(&planned, &store).is_empty();
                        planned.save(&chapter.plan)
                    });
                    bar.inc(1);
                    match outcome {
                        Ok(()) => Step::Planned(chapter),
                        Err(e) => Step::Done(failed(job, script, e)),
                    }
                }
                other => other,
            })
            .collect();
        bar.finish_and_clear();
        planning_seconds = planning.elapsed().as_secs_f64();
    }
    memory::release_free_memory();
    if let Some(sampler) = job.memory {
        // Each chapter's peak is its own, not the planning's.
        sampler.take_peak();
    }
    let mut results = Vec::new();
    let mut to_speak = Vec::new();
    for step in steps {
        match step {
            Step::Planned(chapter) => {
                results.push(None);
                to_speak.push(chapter);
            }
            Step::Plan(chapter, _) => {
                let e = anyhow::anyhow!("the chapter was not planned. This is a bug");
                results.push(Some(failed(job, &job.scripts[chapter.index], e)));
            }
            Step::Done(result) => results.push(Some(result)),
        }
    }
    Ok(AudioPlan {
        results,
        to_speak,
        planning_seconds,
    })
}

/// A chapter that failed, named in the log.
pub fn failed(job: &AudioJob, script: &Script, e: anyhow::Error) -> ChapterResult {
    tracing::error!(
        "{}: chapter {} ({}): {e:#}",
        job.book.file_name,
        script.chapter,
        script.title
    );
    ChapterResult {
        error: Some(format!("{e:#}")),
        ..ChapterResult::new(script)
    }
}

impl ToSpeak {
    /// The chapter's result, failed with `e`.
    pub fn fail(self, job: &AudioJob, e: anyhow::Error) -> ChapterResult {
        // The plan is scratch; a run that cannot remove it overwrites it next time.
        let _ = remove_if_exists(&self.plan);
        failed(job, &job.scripts[self.index], e)
    }
}

/// Decides whether a chapter needs speech.
fn check(
    job: &AudioJob,
    index: usize,
    script: &Script,
    identity: &EngineIdentity,
) -> anyhow::Result<Step> {
    let text = std::fs::read_to_string(&script.path)
        .with_context(|| format!("cannot read {}", script.path.display()))?;
    let stem = script
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let wav = job.work.chapters_dir().join(format!("{stem}.wav"));
    let fingerprint = Fingerprint::of(&ChapterInputs {
        schema: CHAPTER_SCHEMA,
        script_sha256: sha256_hex(text.as_bytes()),
        engine: identity,
        pauses: job.pauses,
        loudness: job.loudness,
    });
    let mut result = ChapterResult {
        fingerprint: fingerprint.hash.clone(),
        ..ChapterResult::new(script)
    };
    // A chapter whose captions were deleted (or made before there were any) is assembled again
    // from its stored chunks.
    if !job.speak_only && fingerprint.check(&wav) == Freshness::Fresh && cues_path(&wav).is_file() {
        result.seconds = wav_seconds(&wav)?;
        result.sections = read_sections(&wav);
        result.wav = Some(wav);
        result.fresh = true;
        return Ok(Step::Done(result));
    }
    let units = parse::parse(&text);
    if units.iter().all(|u| u.text.is_empty()) {
        tracing::warn!(
            "{}: nothing to say; the chapter is left out",
            script.path.display()
        );
        return Ok(Step::Done(result));
    }
    Ok(Step::Plan(
        ToSpeak {
            index,
            result,
            fingerprint,
            wav,
            plan: job.work.plans_dir().join(format!("{stem}.json")),
            needs_model: false,
        },
        units,
    ))
}

/// What speaking one chapter did: its stats and its share of the run's wall time
/// ([`super::pace::PaceMeter`]), and when its speaking began.
pub struct Spoken {
    pub stats: SpeechStats,
    pub share_seconds: f64,
    pub began: Instant,
}

/// Records what speaking a chapter did and assembles its WAV from its plan; runs on the
/// caller's thread while the workers speak on. The chapter's plan is removed afterwards,
/// whatever the outcome.
pub fn assemble_chapter(
    job: &AudioJob,
    chapter: ToSpeak,
    spoken: &Spoken,
    summary: &mut AudioSummary,
) -> anyhow::Result<ChapterResult> {
    let ToSpeak {
        index,
        mut result,
        fingerprint,
        wav,
        plan,
        ..
    } = chapter;
    let assembled = (|| -> anyhow::Result<()> {
        let stats = &spoken.stats;
        let script = &job.scripts[index];
        if stats.chunks > 0 {
            Pace::add(job.work, stats.chars, spoken.share_seconds)?;
            summary.audio_seconds_spoken += stats.audio_secs();
            summary.model_seconds += stats.model_time.as_secs_f64();
        }
        result.chunks_spoken = stats.chunks;
        result.calls = stats.calls;
        result.chars_spoken = stats.chars;
        result.model_seconds = stats.model_time.as_secs_f64();
        result.audio_seconds_spoken = stats.audio_secs();
        if job.speak_only {
            return Ok(());
        }
        let planned = Planned::load(&plan)?;
        let store = ChunkStore::new(&job.work.chunks_dir());
        Fingerprint::clear(&wav)?;
        let audio = chapter::assemble(&planned.units, &store, job.pauses, job.loudness, &wav)?;
        drop(planned);
        write_sections(&wav, &audio.sections)?;
        write_cues(&wav, &audio.cues)?;
        fingerprint.record(&wav)?;
        tracing::info!(
            "{}: chapter {} ({}): {:.0} s of audio, {} spoken{}",
            job.book.file_name,
            script.chapter,
            script.title,
            audio.seconds,
            crate::report::count(stats.chunks, "chunk"),
            if stats.chunks > 0 {
                format!(" on {}", stats.devices())
            } else {
                String::new()
            }
        );
        tracing::debug!(
            "chapter {}: {:.1} LUFS → {:.1} LUFS, true peak {:.1} dBTP (gain {:+.1} dB, limiter \
             up to {:.1} dB, {} pass(es))",
            script.chapter,
            audio.before.integrated_lufs,
            audio.after.integrated_lufs,
            audio.after.true_peak_db.unwrap_or(f64::NEG_INFINITY),
            audio.gain_db,
            audio.limited_db,
            audio.passes
        );
        result.seconds = audio.seconds;
        result.sections = audio.sections.clone();
        result.wav = Some(wav.clone());
        result.loudness = Some(audio);
        Ok(())
    })();
    remove_if_exists(&plan)?;
    assembled?;
    result.wall_seconds = spoken.began.elapsed().as_secs_f64();
    result.peak_rss_mb = job.memory.map(|m| m.take_peak());
    Ok(result)
}

/// Ends a book whose every chapter is done: an error naming the chapters that failed, else
/// the chapter WAVs published and the encoded files made (unless the run stops after speech).
pub fn finish(job: &AudioJob, mut summary: AudioSummary) -> anyhow::Result<AudioSummary> {
    // A plans folder left empty is removed; one a killed run filled stays to be overwritten.
    let _ = std::fs::remove_dir(job.work.plans_dir());
    let failed: Vec<String> = summary
        .chapters
        .iter()
        .filter(|c| c.error.is_some())
        .map(|c| format!("{} ({})", c.chapter, c.title))
        .collect();
    anyhow::ensure!(
        failed.is_empty(),
        "{}: {} failed: {}; the others are kept, and a rerun resumes",
        job.book.file_name,
        crate::report::count(failed.len(), "chapter"),
        failed.join(", ")
    );
    if job.speak_only {
        return Ok(summary);
    }
    super::encode::Outputs::clear(job)?;
    if let Some(dir) = &job.wav_dir {
        publish_wavs(&summary.chapters, dir)?;
        summary.wav_dir = Some(dir.clone());
    }
    super::encode::run(job, &mut summary)?;
    super::encode::Outputs::record(job)?;
    Ok(summary)
}

/// Where a chapter WAV's sections are kept.
fn sections_path(wav: &Path) -> PathBuf {
    wav.with_extension("sections.json")
}

/// Keeps the chapter's sections beside its WAV (nothing when it has none). Written before
/// the WAV's fingerprint, so a fresh WAV always has its sections.
fn write_sections(wav: &Path, sections: &[chapter::Section]) -> anyhow::Result<()> {
    let path = sections_path(wav);
    if sections.is_empty() {
        return remove_if_exists(&path);
    }
    let json = serde_json::to_vec_pretty(sections).context("cannot serialize sections")?;
    crate::workdir::fsutil::write_file(&path, &json)
}

/// The chapter's captions beside its WAV (`NN - Title.vtt`, see `assemble::cues`). Written
/// before the WAV's fingerprint, so a fresh WAV has its captions.
fn write_cues(wav: &Path, cues: &[Cue]) -> anyhow::Result<()> {
    crate::workdir::fsutil::write_file(&cues_path(wav), cues::webvtt(cues).as_bytes())
}

fn cues_path(wav: &Path) -> PathBuf {
    wav.with_extension("vtt")
}

/// A fresh chapter's sections; none when the file is missing or unreadable (the markers
/// are a convenience, never a reason to fail).
fn read_sections(wav: &Path) -> Vec<chapter::Section> {
    std::fs::read(sections_path(wav))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// A WAV's length from its header.
fn wav_seconds(path: &Path) -> anyhow::Result<f64> {
    let reader =
        hound::WavReader::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(reader.duration() as f64 / reader.spec().sample_rate as f64)
}

/// Puts each chapter WAV in the output folder as `NN - Title.wav`: a hard link to the one in
/// the work directory (no second copy on disk), or a copy where links are not possible; its
/// captions beside it as `NN - Title.vtt`, where the work directory has them.
fn publish_wavs(chapters: &[ChapterResult], dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let wavs = chapters.iter().filter_map(|c| c.wav.as_ref());
    let captions: Vec<PathBuf> = wavs
        .clone()
        .map(|wav| cues_path(wav))
        .filter(|vtt| vtt.is_file())
        .collect();
    for wav in wavs.chain(&captions) {
        let Some(name) = wav.file_name() else {
            continue;
        };
        let dest = dir.join(name);
        if same_file(wav, &dest) {
            continue;
        }
        let partial = dir.join(format!(".bookvoice-{}.partial", name.to_string_lossy()));
        remove_if_exists(&partial)?;
        if std::fs::hard_link(wav, &partial).is_err() {
            std::fs::copy(wav, &partial)
                .with_context(|| format!("cannot write {}", dest.display()))?;
        }
        std::fs::rename(&partial, &dest)
            .with_context(|| format!("cannot move the chapter into place at {}", dest.display()))?;
    }
    Ok(())
}

/// Whether two paths are one file (the same inode), so a fresh link is left alone.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}
