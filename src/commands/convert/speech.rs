//! The speaking half of a convert run, over every book the run planned: one engine (the device
//! locks, one worker per GPU and their sessions) for all the books whose settings need the
//! same sessions, and their chapters in one queue, each to whichever worker is free.
//!
//! So a library loads the model once per device, every GPU stays busy across the books, and
//! the workers go on to the next book's chapters while the last chapters of the one before
//! are still being spoken or assembled. Each chapter is assembled on this thread as it comes
//! back (its plan read from disk, so memory holds only the chapters in hand), and a book is
//! finished (its chapter WAVs published, its M4B and other files made, its lock released) as
//! soon as its last chapter is in. Each book speaks in its own voice and speed: those are
//! inputs of every call, not of the sessions ([`Speaker::with_voice`]).
//!
//! A book that fails is named in its result and the others go on; a chapter that fails fails
//! its book and nothing else. The run's pace is measured for `bookvoice status` by a
//! [`PaceMeter`], whatever the number of workers.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context;

use super::audio::{self, AudioPlan, AudioSummary, ChapterResult, Spoken, ToSpeak};
use super::book::{BookAudio, Ready};
use super::engine::RunEngine;
use super::pace::PaceMeter;
use super::{BookSummary, Settings};
use crate::stages::synthesize::chapter::{ChunkStore, Planned, missing, speak_missing};
use crate::stages::synthesize::pool::{Overlap, share};
use crate::stages::synthesize::{SessionKey, Speaker, SpeechStats};
use crate::workdir::lock::Lock;

/// Speaks and finishes every book; each result comes back with the number it came in with.
/// With `announce`, a book that fails is logged as it fails (the run goes on with others).
pub fn run(
    settings: &Settings,
    books: Vec<(usize, Ready)>,
    announce: bool,
) -> Vec<(usize, anyhow::Result<BookSummary>)> {
    // In one run every book has the same flags, so there is one group; a book whose settings
    // needed other sessions would get an engine of its own, after the others.
    let mut groups: Vec<(SessionKey, Vec<(usize, Ready)>)> = Vec::new();
    for (slot, ready) in books {
        let key = ready.audio.engine.session_key();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push((slot, ready)),
            None => groups.push((key, vec![(slot, ready)])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(_, group)| speak_group(settings, group, announce))
        .collect()
}

/// A chapter in the queue, with the book it belongs to.
struct Item {
    book: usize,
    chapter: ToSpeak,
}

/// A book while its chapters are spoken; touched only on the calling thread.
struct Progress {
    slot: usize,
    summary: Option<BookSummary>,
    /// The work directory's lock, released as soon as the book is finished.
    lock: Option<Lock>,
    results: Vec<Option<ChapterResult>>,
    audio: AudioSummary,
    /// Chunks spoken per device.
    devices: SpeechStats,
    /// Chapters still to come back.
    left: usize,
    /// When its first chapter began speaking (or the engine began loading for it).
    began: Option<Instant>,
    outcome: Option<anyhow::Result<BookSummary>>,
}

/// A book's voice on the engine's workers, loaded when its first chapter is spoken and
/// dropped when the book is finished.
type Voice = Mutex<Option<Arc<Speaker>>>;

/// Speaks the chapters of books that share one engine.
fn speak_group(
    settings: &Settings,
    group: Vec<(usize, Ready)>,
    announce: bool,
) -> Vec<(usize, anyhow::Result<BookSummary>)> {
    let mut books: Vec<BookAudio> = Vec::new();
    let mut progress: Vec<Progress> = Vec::new();
    let mut queue: Vec<Item> = Vec::new();
    for (b, (slot, ready)) in group.into_iter().enumerate() {
        let Ready {
            audio,
            summary,
            lock,
            plan,
        } = ready;
        let AudioPlan {
            results,
            to_speak,
            planning_seconds,
        } = plan;
        progress.push(Progress {
            slot,
            summary: Some(summary),
            lock: Some(lock),
            results,
            audio: AudioSummary {
                planning_seconds,
                ..AudioSummary::default()
            },
            devices: SpeechStats::default(),
            left: to_speak.len(),
            began: None,
            outcome: None,
        });
        queue.extend(
            to_speak
                .into_iter()
                .map(|chapter| Item { book: b, chapter }),
        );
        books.push(audio);
    }
    // Books with nothing left to speak are finished before the engine is waited for.
    finish_idle(settings, &books, &mut progress, announce);

    let engine_began = Instant::now();
    let first = queue
        .iter()
        .find(|item| item.chapter.needs_model)
        .map(|item| item.book);
    let engine = match first.map(|b| (b, RunEngine::start(&books[b].engine))) {
        Some((b, Ok(engine))) => {
            progress[b].began = Some(engine_began);
            progress[b].audio.load_seconds = Some(engine.speaker().load_time().as_secs_f64());
            Some(engine)
        }
        Some((_, Err(e))) => {
            // No chapter can be spoken; those whose chunks are all stored are still assembled.
            let e = format!("{e:#}");
            let (keep, fail): (Vec<Item>, Vec<Item>) =
                queue.into_iter().partition(|i| !i.chapter.needs_model);
            for item in fail {
                let p = &mut progress[item.book];
                let index = item.chapter.index;
                let job = books[item.book].job(settings);
                p.results[index] = Some(item.chapter.fail(&job, anyhow::anyhow!("{e}")));
                p.left -= 1;
            }
            queue = keep;
            finish_idle(settings, &books, &mut progress, announce);
            None
        }
        None => None,
    };

    let meter = PaceMeter::default();
    let voices: Vec<Voice> = books.iter().map(|_| Mutex::new(None)).collect();
    let workers = engine.as_ref().map_or(0, |e| e.speaker().workers());
    let speak = |worker: usize, item: Item| {
        let began = Instant::now();
        let on = engine.as_ref().map(|e| (e, &voices[item.book], worker));
        let spoken = speak_chapter(&books[item.book], &item.chapter, on, &meter).map(
            |(stats, share_seconds)| Spoken {
                stats,
                share_seconds,
                began,
            },
        );
        (item, spoken)
    };
    let recruit = || match &engine {
        Some(engine) if settings.overlap == Overlap::On => engine
            .freed()
            .into_iter()
            .map(|plan| move || engine.join(plan))
            .collect(),
        _ => Vec::new(),
    };
    let done = |(item, spoken): (Item, anyhow::Result<Spoken>)| {
        let b = item.book;
        let job = books[b].job(settings);
        let p = &mut progress[b];
        let index = item.chapter.index;
        let result = match spoken {
            Ok(spoken) => {
                p.began = Some(p.began.map_or(spoken.began, |t| t.min(spoken.began)));
                merge_devices(&mut p.devices, &spoken.stats);
                audio::assemble_chapter(&job, item.chapter, &spoken, &mut p.audio)
                    .unwrap_or_else(|e| audio::failed(&job, &books[b].scripts[index], e))
            }
            Err(e) => item.chapter.fail(&job, e),
        };
        p.results[index] = Some(result);
        p.left -= 1;
        if p.left == 0 {
            finish(&job, p, engine.is_some(), announce);
            // Nothing of this book is spoken any more.
            *voices[b].lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    };
    share(
        settings.overlap.drivers(workers),
        queue,
        speak,
        recruit,
        done,
    );
    drop(engine);

    progress
        .into_iter()
        .zip(&books)
        .map(|(p, book)| {
            let outcome = p.outcome.unwrap_or_else(|| {
                Err(anyhow::anyhow!(
                    "{}: not every chapter came back from the workers. This is a bug",
                    book.book.file_name
                ))
            });
            (p.slot, outcome)
        })
        .collect()
}

/// Finishes every book that has no chapter left to come back and is not finished yet.
fn finish_idle(
    settings: &Settings,
    books: &[BookAudio],
    progress: &mut [Progress],
    announce: bool,
) {
    for (book, p) in books.iter().zip(progress) {
        if p.left == 0 && p.outcome.is_none() {
            finish(&book.job(settings), p, false, announce);
        }
    }
}

/// Ends a book whose every chapter is back: its summary completed, its files made (see
/// [`audio::finish`]), its lock released. `spoke` says whether the run had an engine;
/// `announce` logs a failure now.
fn finish(job: &audio::AudioJob, p: &mut Progress, spoke: bool, announce: bool) {
    let mut audio = std::mem::take(&mut p.audio);
    audio.chapters = p.results.drain(..).flatten().collect();
    if spoke && let Some(began) = p.began {
        audio.seconds_speaking = began.elapsed().as_secs_f64();
    }
    if p.devices.chunks > 0 {
        audio.device = Some(p.devices.devices());
    }
    let outcome = audio::finish(job, audio).and_then(|audio| {
        let mut summary = p
            .summary
            .take()
            .context("a book was finished twice. This is a bug")?;
        summary.scripts = Some(job.scripts.to_vec());
        summary.audio = Some(audio);
        Ok(summary)
    });
    if announce && let Err(e) = &outcome {
        tracing::error!("{e:#}; the other books go on");
    }
    p.lock = None;
    p.outcome = Some(outcome);
}

/// Speaks a planned chapter's missing chunks on worker `on.2`, in its book's voice, and
/// returns what that did with the chapter's share of the run's wall time; runs on that
/// worker's driver thread.
fn speak_chapter(
    book: &BookAudio,
    chapter: &ToSpeak,
    on: Option<(&RunEngine, &Voice, usize)>,
    meter: &PaceMeter,
) -> anyhow::Result<(SpeechStats, f64)> {
    let store = ChunkStore::new(&book.work.chunks_dir());
    let planned = Planned::load(&chapter.plan)?;
    let to_speak = missing(&planned, &store);
    if to_speak.is_empty() {
        return Ok((SpeechStats::default(), 0.0));
    }
    let (engine, voice, worker) = on.context("the speech engine was not started. This is a bug")?;
    let speaker = {
        let mut voice = voice.lock().unwrap_or_else(|e| e.into_inner());
        match voice.as_ref() {
            Some(speaker) => Arc::clone(speaker),
            None => Arc::clone(voice.insert(Arc::new(engine.speaker().with_voice(&book.engine)?))),
        }
    };
    let script = &book.scripts[chapter.index];
    let label = format!("{} {}", script.chapter, script.title);
    let (stats, share) = meter.time(|| speak_missing(&speaker, worker, &to_speak, &store, &label));
    Ok((stats?, share))
}

/// Adds a chapter's chunks per device to the book's.
fn merge_devices(total: &mut SpeechStats, chapter: &SpeechStats) {
    total.chunks += chapter.chunks;
    for (device, n) in &chapter.chunks_by_device {
        *total.chunks_by_device.entry(*device).or_insert(0) += n;
    }
}
