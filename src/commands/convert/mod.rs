//! `bookvoice convert`: runs books through the pipeline, each stage reusing what earlier runs
//! left in the work directory, up to `--stop-after`. A lock keeps a second run off the same
//! book.
//!
//! A run over several books (files, or folders of them) is one run, not one per book: the
//! books are taken in batches of eight; each book of a batch is made ready, one after another
//! (extracted, described, scripted and planned, `book.rs`), and then one engine speaks the
//! batch (`speech.rs`), so the model is loaded once per device per batch and the workers go
//! from one book's chapters to the next without a pause. Planning a batch before the model is
//! loaded keeps the G2P and the model out of memory at the same time, as for one book. A book
//! that fails is named, the others go on, and the run ends in an error listing the books that
//! failed.

pub mod audio;
mod book;
pub mod encode;
mod engine;
pub mod pace;
mod speech;

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::cli::{ConvertArgs, EngineArgs, FormatArg, StageArg};
use crate::config::vision_settings;
use crate::config_file::ConfigFile;
use crate::lang::Choice;
use crate::memory;
use crate::stages::describe::VisionSettings;
use crate::stages::extract::select::Selection;
use crate::stages::script;
use crate::stages::synthesize::pool::Overlap;
use audio::AudioSummary;
use book::Prepared;

/// Settings shared by every book of a run.
pub struct Settings<'a> {
    pub file: ConfigFile,
    pub vision: VisionSettings,
    pub selection: Selection,
    pub out_dir: PathBuf,
    pub formats: Vec<FormatArg>,
    /// Whether finished chapters are assembled while the workers speak the next ones.
    pub overlap: Overlap,
    /// Samples resident memory per chapter, for `bench`.
    pub memory: Option<&'a memory::Sampler>,
}

/// How one book is run: the per-run flags of `convert`.
pub struct BookRun<'a> {
    pub work_dir: Option<&'a Path>,
    pub no_wait: bool,
    pub stop_after: StageArg,
    pub engine: &'a EngineArgs,
}

impl<'a> BookRun<'a> {
    fn of(args: &'a ConvertArgs) -> BookRun<'a> {
        BookRun {
            work_dir: args.work_dir.as_deref(),
            no_wait: args.no_wait,
            stop_after: args.stop_after,
            engine: &args.engine,
        }
    }
}

/// What was done to one book, for `--json` and the plain listing.
#[derive(Serialize)]
pub struct BookSummary {
    pub book: PathBuf,
    /// Why the book failed, in a run of several (the rest of the summary is then empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub work_dir: PathBuf,
    /// The language the book is read in, and why.
    pub language: Option<Choice>,
    /// The voice it is read with.
    pub voice: Option<String>,
    pub images: Option<serde_json::Value>,
    pub scripts: Option<Vec<script::Script>>,
    pub audio: Option<AudioSummary>,
}

pub fn run(args: &ConvertArgs) -> anyhow::Result<()> {
    let books = find_books(&args.books)?;
    if books.len() > 1 && args.work_dir.is_some() {
        return Err(crate::cli::usage_error(format!(
            "--work-dir names one book's directory: give one book, or leave it out ({} books \
             given)",
            books.len()
        )));
    }
    let mut file = ConfigFile::load(args.config.as_deref())?;
    // The flags settle these here, so everything downstream reads one setting.
    file.loudness = crate::config::loudness(args.loudness, &file.loudness)?;
    file.output.bitrates = crate::config::bitrates(&args.bitrate, &file.output.bitrates)?;
    let reading = crate::config::reading(args.notes, args.code, &file);
    (file.notes.mode, file.code.mode) = (Some(reading.notes), Some(reading.code));
    let formats = if !args.format.is_empty() {
        args.format.clone()
    } else {
        file.output
            .format
            .clone()
            .unwrap_or_else(|| vec![FormatArg::M4b, FormatArg::Wav])
    };
    let settings = Settings {
        out_dir: args
            .output
            .clone()
            .or_else(|| file.output.dir.clone())
            .unwrap_or_else(|| PathBuf::from(".")),
        formats,
        vision: vision_settings(&args.vision.server, args.vision.no_images, &file)?,
        selection: Selection {
            chapters: args.selection.chapters.clone(),
            include: args.selection.include.clone(),
        },
        overlap: crate::config::overlap(args.no_overlap, &file.speech),
        file,
        memory: None,
    };
    let run = BookRun::of(args);
    if books.len() == 1 {
        let summary = convert_book(&run, &settings, &books[0])?;
        return print(args, &[summary]);
    }
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for (epub, outcome) in books.iter().zip(convert_books(&run, &settings, &books)) {
        match outcome {
            Ok(summary) => done.push(summary),
            Err(e) => {
                failed.push(epub.display().to_string());
                done.push(BookSummary::failed(epub, &e));
            }
        }
    }
    print(args, &done)?;
    anyhow::ensure!(
        failed.is_empty(),
        "{} of {} failed (see above): {}; the rest were converted",
        failed.len(),
        crate::report::count(books.len(), "book"),
        failed.join(", ")
    );
    Ok(())
}

impl BookSummary {
    /// A book of several that failed, for `--json`.
    fn failed(epub: &Path, error: &anyhow::Error) -> BookSummary {
        BookSummary {
            book: epub.to_path_buf(),
            error: Some(format!("{error:#}")),
            work_dir: PathBuf::new(),
            language: None,
            voice: None,
            images: None,
            scripts: None,
            audio: None,
        }
    }
}

/// The EPUBs named, with each folder replaced by the EPUBs in it, in name order (an error
/// when it has none).
pub fn find_books(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut books = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the folder {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("epub"))
                })
                .collect();
            found.sort();
            anyhow::ensure!(
                !found.is_empty(),
                "{}: no .epub files in this folder",
                path.display()
            );
            books.extend(found);
        } else {
            books.push(path.clone());
        }
    }
    Ok(books)
}

/// Runs one book through the stages, up to `--stop-after`.
pub fn convert_book(
    args: &BookRun,
    settings: &Settings,
    epub: &Path,
) -> anyhow::Result<BookSummary> {
    convert_books(args, settings, &[epub.to_path_buf()])
        .pop()
        .context("a book went missing from its own run. This is a bug")?
}

/// How many books of a library are made ready (extracted, described, scripted, planned) before
/// they are spoken together. A batch shares one engine, and the workers go from one book's
/// chapters to the next without waiting; the bound keeps the first audiobook from waiting for
/// the whole library to be planned, and the work-directory locks held at once (one open file
/// each) well under the usual limit of 1024.
const LIBRARY_BATCH: usize = 8;

/// Runs books through the stages, up to `--stop-after`, in batches of [`LIBRARY_BATCH`]: the
/// books of a batch made ready one after another, then all of them spoken by one engine. One
/// result per book, in the order given.
pub fn convert_books(
    args: &BookRun,
    settings: &Settings,
    epubs: &[PathBuf],
) -> Vec<anyhow::Result<BookSummary>> {
    let mut outcomes: Vec<Option<anyhow::Result<BookSummary>>> =
        epubs.iter().map(|_| None).collect();
    let indices: Vec<usize> = (0..epubs.len()).collect();
    for batch in indices.chunks(LIBRARY_BATCH) {
        let mut ready = Vec::new();
        for &i in batch {
            let epub = &epubs[i];
            if epubs.len() > 1 {
                tracing::info!("book {} of {}: {}", i + 1, epubs.len(), epub.display());
            }
            match book::prepare(args, settings, epub) {
                Ok(Prepared::Done(summary)) => outcomes[i] = Some(Ok(*summary)),
                Ok(Prepared::Speak(book)) => ready.push((i, *book)),
                Err(e) => {
                    if epubs.len() > 1 {
                        // Said now, not at the end: the others take a while yet.
                        let message = format!("{e:#}");
                        let name = epub.file_name().map(|n| n.to_string_lossy());
                        // Most errors name the book already; its path is not said twice.
                        if name.is_some_and(|n| message.starts_with(&format!("{n}: "))) {
                            tracing::error!("{message}; the other books go on");
                        } else {
                            tracing::error!("{}: {message}; the other books go on", epub.display());
                        }
                    }
                    outcomes[i] = Some(Err(e));
                }
            }
        }
        for (i, outcome) in speech::run(settings, ready, epubs.len() > 1) {
            outcomes[i] = Some(outcome);
        }
    }
    outcomes
        .into_iter()
        .zip(epubs)
        .map(|(outcome, epub)| {
            outcome.unwrap_or_else(|| {
                Err(anyhow::anyhow!(
                    "{}: the run lost this book. This is a bug",
                    epub.display()
                ))
            })
        })
        .collect()
}

/// Prints what was made: with `--json` one object for one book, a list for several; else
/// the M4B of each book, or its chapter WAVs or scripts when the run stopped earlier.
fn print(args: &ConvertArgs, books: &[BookSummary]) -> anyhow::Result<()> {
    if args.json {
        let json = match books {
            [one] => serde_json::to_string_pretty(one)?,
            many => serde_json::to_string_pretty(many)?,
        };
        println!("{json}");
        return Ok(());
    }
    for book in books {
        // The book's main output: the one-file book (M4B, else MP3), else the folder of its
        // chapter files; the scripts where no audio was made.
        let made = book.audio.as_ref().and_then(|a| {
            [&a.m4b, &a.mp3, &a.wav_dir, &a.opus_dir]
                .into_iter()
                .find_map(Option::as_ref)
        });
        if let Some(path) = made {
            println!("{}", path.display());
        } else if let Some(scripts) = &book.scripts {
            for s in scripts {
                println!("{}", s.path.display());
            }
        }
    }
    Ok(())
}
