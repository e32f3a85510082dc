//! The audio half of `convert`: each chapter's script spoken (only the chunks not already
//! stored) and assembled into its WAV, chapter by chapter, then the M4B.
//!
//! A chapter's WAV is fresh while its script text, the engine (voice, speed, models) and the
//! pauses are unchanged, so a rerun of a finished book reads scripts and fingerprints and
//! loads no model. Every chapter that is not fresh is planned (phonemized and chunked) first;
//! then the planner is dropped and the model loaded, the first time a chapter has a chunk to
//! speak, so the G2P's memory and the model's are never resident together. A chapter that
//! fails is named and skipped, the rest of the book goes on, and the run ends in an error
//! without an M4B; everything finished stays for the next run.
//!
//! Several GPUs (`--device cuda`) make a pool of workers, one per GPU whose lock this run
//! could take, and each chapter goes to whichever worker is free (`synthesize::pool`). A
//! chapter's WAV is assembled (read, paused, mastered, written) on this thread while the
//! workers already speak the next chapters, so a GPU never waits for the CPU's part; the
//! chapters' results are put back in the book's order. `BOOKVOICE_NO_OVERLAP=1` (for
//! measuring what the overlap gains) speaks and assembles one chapter after another on this
//! thread, with one worker, as bookvoice did before.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::memory;
use crate::report;
use crate::stages::assemble::chapter::{self, Pauses};
use crate::stages::assemble::ffmpeg::Bitrates;
use crate::stages::assemble::master::Loudness;
use crate::stages::extract::book::Book;
use crate::stages::script::{Script, parse};
use crate::stages::synthesize::backend::Device;
use crate::stages::synthesize::chapter::{ChunkStore, Planned, missing, plan, speak_missing};
use crate::stages::synthesize::pool::share;
use crate::stages::synthesize::{EngineIdentity, EngineSettings, SpeechStats};
use crate::stages::synthesize::{Planner, Speaker};
use crate::workdir::WorkDir;
use crate::workdir::fingerprint::{Fingerprint, Freshness, sha256_hex};
use crate::workdir::fsutil::remove_if_exists;
use crate::workdir::lock::Lock;

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
    pub seconds_speaking: f64,
    pub audio_seconds_spoken: f64,
    /// Seconds inside the model, summed over the chunks spoken.
    pub model_seconds: f64,
    /// Seconds spent planning (phonemizing and chunking) the chapters not fresh.
    pub planning_seconds: f64,
    /// Seconds the model took to load, if it was loaded.
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

/// A chapter's place in the run: done already (fresh, empty or failed), waiting to be
/// planned (its script's units), or planned and waiting for speech.
enum Step<'a> {
    Done(ChapterResult),
    Plan(PlannedChapter<'a>, Vec<parse::Unit>),
    Speak(PlannedChapter<'a>),
}

struct PlannedChapter<'a> {
    script: &'a Script,
    result: ChapterResult,
    planned: Planned,
    fingerprint: Fingerprint,
    wav: PathBuf,
}

/// Speaks and assembles every chapter; then the M4B unless a chapter failed.
pub fn run(job: &AudioJob) -> anyhow::Result<AudioSummary> {
    let name = &job.book.file_name;
    let identity = job.engine.identity()?;
    let store = ChunkStore::new(&job.work.chunks_dir());
    let mut summary = AudioSummary::default();
    let failed = |script: &Script, e: anyhow::Error| {
        tracing::error!(
            "{name}: chapter {} ({}): {e:#}",
            script.chapter,
            script.title
        );
        ChapterResult {
            error: Some(format!("{e:#}")),
            ..ChapterResult::new(script)
        }
    };

    let planning = Instant::now();
    let steps: Vec<Step> = job
        .scripts
        .iter()
        .map(|script| {
            check(job, script, &identity).unwrap_or_else(|e| Step::Done(failed(script, e)))
        })
        .collect();
    let steps = if steps.iter().any(|s| matches!(s, Step::Plan(..))) {
        // Chapters are planned in parallel: on a machine whose accelerator speaks a book in
        // minutes, planning one chapter after another would hold it up.
        let planner = Planner::new(job.engine)?;
        // A long book takes a while to phonemize (a 725,000-character novel, about half a
        // minute on two cores): the bar shows it moving.
        let to_plan = steps.iter().filter(|s| matches!(s, Step::Plan(..))).count();
        let bar = report::bar(to_plan as u64, "chapters");
        bar.set_message("planned");
        let steps = steps
            .into_par_iter()
            .map(|step| match step {
                Step::Plan(chapter, units) => {
                    let script = chapter.script;
                    let step = match plan(&planner, &units, &identity) {
                        Ok(planned) => Step::Speak(PlannedChapter { planned, ..chapter }),
                        Err(e) => Step::Done(failed(script, e)),
                    };
                    bar.inc(1);
                    step
                }
                other => other,
            })
            .collect();
        bar.finish_and_clear();
        summary.planning_seconds = planning.elapsed().as_secs_f64();
        steps
    } else {
        steps
    };
    memory::release_free_memory();
    if let Some(sampler) = job.memory {
        // Each chapter's peak is its own, not the planning's.
        sampler.take_peak();
    }

    // The speech locks are taken with the engine and held until the book's audio is done.
    let mut results: Vec<Option<ChapterResult>> = Vec::new();
    let mut to_speak = Vec::new();
    for (index, step) in steps.into_iter().enumerate() {
        results.push(match step {
            Step::Done(result) | Step::Plan(PlannedChapter { result, .. }, _) => Some(result),
            Step::Speak(chapter) => {
                to_speak.push((index, chapter));
                None
            }
        });
    }
    let needs_model = to_speak
        .iter()
        .any(|(_, c)| !missing(&c.planned, &store).is_empty());
    let started = Instant::now();
    let engine = if needs_model {
        Some(start_engine(job.engine))
    } else {
        None
    };
    let speaker = match &engine {
        Some(Ok((_, speaker))) => Some(speaker),
        Some(Err(e)) => {
            // No chapter can be spoken; those whose chunks are all stored are still assembled.
            let e = format!("{e:#}");
            to_speak.retain(|(index, chapter)| {
                if missing(&chapter.planned, &store).is_empty() {
                    return true;
                }
                results[*index] = Some(failed(chapter.script, anyhow::anyhow!("{e}")));
                false
            });
            None
        }
        None => None,
    };
    let mut spoken_stats = SpeechStats::default();
    let overlap = std::env::var_os("BOOKVOICE_NO_OVERLAP").is_none_or(|v| v.is_empty());
    share(
        speaker.filter(|_| overlap).map_or(0, Speaker::workers),
        to_speak,
        |worker, (index, chapter)| {
            let t0 = Instant::now();
            let stats = speak_chapter(&chapter, &store, speaker.map(|s| (s, worker)))
                .map(|stats| (stats, t0.elapsed()));
            (index, chapter, stats, t0)
        },
        |(index, chapter, stats, t0)| {
            let script = chapter.script;
            let result = stats
                .and_then(|(stats, speaking)| {
                    merge_devices(&mut spoken_stats, &stats);
                    assemble_chapter(job, chapter, (stats, speaking), t0, &mut summary)
                })
                .unwrap_or_else(|e| failed(script, e));
            results[index] = Some(result);
        },
    );
    summary.chapters = results.into_iter().flatten().collect();
    if let Some(Ok((_, s))) = &engine {
        summary.seconds_speaking = started.elapsed().as_secs_f64();
        summary.load_seconds = Some(s.load_time().as_secs_f64());
        if spoken_stats.chunks > 0 {
            summary.device = Some(spoken_stats.devices());
        }
    }
    let failed: Vec<String> = summary
        .chapters
        .iter()
        .filter(|c| c.error.is_some())
        .map(|c| format!("{} ({})", c.chapter, c.title))
        .collect();
    anyhow::ensure!(
        failed.is_empty(),
        "{name}: {} chapters failed: {}; the others are kept, and a rerun resumes",
        failed.len(),
        failed.join(", ")
    );
    if job.speak_only {
        return Ok(summary);
    }
    if let Some(dir) = &job.wav_dir {
        publish_wavs(&summary.chapters, dir)?;
        summary.wav_dir = Some(dir.clone());
    }
    super::encode::run(job, &mut summary)?;
    Ok(summary)
}

/// Decides whether a chapter needs speech.
fn check<'a>(
    job: &AudioJob,
    script: &'a Script,
    identity: &EngineIdentity,
) -> anyhow::Result<Step<'a>> {
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
    if !job.speak_only && fingerprint.check(&wav) == Freshness::Fresh {
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
        PlannedChapter {
            script,
            result,
            planned: Planned {
                units: Vec::new(),
                calls: Vec::new(),
            },
            fingerprint,
            wav,
        },
        units,
    ))
}

/// Takes the speech locks of as many of the planned devices as are free (waiting while none
/// is) and starts one worker on each: every visible GPU with `--device cuda`, one otherwise.
fn start_engine(engine: &EngineSettings) -> anyhow::Result<(Vec<(Device, Lock)>, Speaker)> {
    let first: Vec<Device> = engine
        .device_plans
        .iter()
        .filter_map(|plan| plan.first().copied())
        .collect();
    let locks = Lock::speech_any(&first)?;
    let plans: Vec<Vec<Device>> = engine
        .device_plans
        .iter()
        .filter(|plan| {
            plan.first()
                .is_some_and(|d| locks.iter().any(|(held, _)| held == d))
        })
        .cloned()
        .collect();
    let speaker = Speaker::pool(engine, &plans)?;
    if speaker.workers() > 1 {
        let devices: Vec<String> = speaker.devices().iter().map(|d| d.to_string()).collect();
        tracing::info!(
            "speaking on {} devices at once: {}",
            speaker.workers(),
            devices.join(", ")
        );
    }
    Ok((locks, speaker))
}

/// Speaks a planned chapter's missing chunks on worker `on.1`; runs on that worker's driver
/// thread.
fn speak_chapter(
    chapter: &PlannedChapter,
    store: &ChunkStore,
    on: Option<(&Speaker, usize)>,
) -> anyhow::Result<SpeechStats> {
    let to_speak = missing(&chapter.planned, store);
    if to_speak.is_empty() {
        return Ok(SpeechStats::default());
    }
    let (speaker, worker) = on.context("the speech engine was not started. This is a bug")?;
    let label = format!("{} {}", chapter.script.chapter, chapter.script.title);
    speak_missing(speaker, worker, &to_speak, store, &label)
}

/// Adds a chapter's chunks per device to the run's.
fn merge_devices(total: &mut SpeechStats, chapter: &SpeechStats) {
    total.chunks += chapter.chunks;
    for (device, n) in &chapter.chunks_by_device {
        *total.chunks_by_device.entry(*device).or_insert(0) += n;
    }
}

/// Records what speaking a chapter did (and how long it took) and assembles its WAV; runs on
/// the calling thread while the workers speak on. `t0` is when its speaking began.
fn assemble_chapter(
    job: &AudioJob,
    chapter: PlannedChapter,
    (stats, speaking): (SpeechStats, std::time::Duration),
    t0: Instant,
    summary: &mut AudioSummary,
) -> anyhow::Result<ChapterResult> {
    let PlannedChapter {
        script,
        mut result,
        planned,
        fingerprint,
        wav,
    } = chapter;
    let store = ChunkStore::new(&job.work.chunks_dir());
    if stats.chunks > 0 {
        Pace::add(job.work, stats.chars, speaking.as_secs_f64())?;
        summary.audio_seconds_spoken += stats.audio_secs();
        summary.model_seconds += stats.model_time.as_secs_f64();
    }
    result.chunks_spoken = stats.chunks;
    result.calls = stats.calls;
    result.chars_spoken = stats.chars;
    result.model_seconds = stats.model_time.as_secs_f64();
    result.audio_seconds_spoken = stats.audio_secs();
    if !job.speak_only {
        Fingerprint::clear(&wav)?;
        let audio = chapter::assemble(&planned.units, &store, job.pauses, job.loudness, &wav)?;
        write_sections(&wav, &audio.sections)?;
        fingerprint.record(&wav)?;
        tracing::info!(
            "chapter {} ({}): {:.0} s of audio, {} chunks spoken{}",
            script.chapter,
            script.title,
            audio.seconds,
            stats.chunks,
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
        result.wav = Some(wav);
        result.loudness = Some(audio);
    }
    result.wall_seconds = t0.elapsed().as_secs_f64();
    result.peak_rss_mb = job.memory.map(|m| m.take_peak());
    Ok(result)
}

/// How fast this machine speaks this book, kept in `pace.json` for `bookvoice status`'s
/// estimate of the time left.
#[derive(Debug, Default, Clone, Copy, Serialize, serde::Deserialize)]
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

    fn add(work: &WorkDir, chars: usize, seconds: f64) -> anyhow::Result<()> {
        let mut pace = Pace::load(work.root()).unwrap_or_default();
        pace.chars += chars;
        pace.seconds += seconds;
        crate::workdir::fsutil::write_file(
            &work.root().join(Self::FILE),
            &serde_json::to_vec(&pace)?,
        )
    }
}

/// A WAV's length from its header.
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

/// A fresh chapter's sections; none when the file is missing or unreadable (the markers
/// are a convenience, never a reason to fail).
fn read_sections(wav: &Path) -> Vec<chapter::Section> {
    std::fs::read(sections_path(wav))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn wav_seconds(path: &Path) -> anyhow::Result<f64> {
    let reader =
        hound::WavReader::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(reader.duration() as f64 / reader.spec().sample_rate as f64)
}

/// Puts each chapter WAV in the output folder as `NN - Title.wav`: a hard link to the one in
/// the work directory (no second copy on disk), or a copy where links are not possible.
fn publish_wavs(chapters: &[ChapterResult], dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    for wav in chapters.iter().filter_map(|c| c.wav.as_ref()) {
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
