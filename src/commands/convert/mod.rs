//! `bookvoice convert`: runs a book through the pipeline, each stage reusing what earlier
//! runs left in the work directory, up to `--stop-after`: extract, describe, script (here),
//! then synthesize and assemble (`audio.rs`). A lock keeps a second run off the same book.
//!
//! The book's language is decided once, right after extraction (`--lang`, else the package's
//! `dc:language` unless the text plainly reads otherwise), and every later stage takes it. A
//! book in a language bookvoice cannot speak is refused there, before anything is described
//! or spoken, and a work directory this run created for it is removed again.

pub mod audio;
mod encode;

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use serde_json::json;

use crate::cli::{ConvertArgs, EngineArgs, FormatArg, StageArg};
use crate::config::{VoiceChoice, engine_settings, vision_settings};
use crate::config_file::ConfigFile;
use crate::lang::{self, Choice};
use crate::memory;
use crate::models::ModelDir;
use crate::stages::describe::{self, Descriptions, Outcome, VisionSettings};
use crate::stages::extract::{self, select::Selection};
use crate::stages::script;
use crate::stages::script::lexicon::{self, Lexicon};
use crate::stages::synthesize::voice::{VoiceSpec, VoiceStore};
use crate::workdir::WorkDir;
use crate::workdir::lock::Lock;
use audio::{AudioJob, AudioSummary};

/// Settings shared by every book of a run.
pub struct Settings<'a> {
    pub file: ConfigFile,
    pub vision: VisionSettings,
    pub selection: Selection,
    pub out_dir: PathBuf,
    pub formats: Vec<FormatArg>,
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
    anyhow::ensure!(
        books.len() == 1 || args.work_dir.is_none(),
        "--work-dir names one book's directory: give one book, or leave it out ({} books \
         given)",
        books.len()
    );
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
    for (i, epub) in books.iter().enumerate() {
        tracing::info!("book {} of {}: {}", i + 1, books.len(), epub.display());
        match convert_book(&run, &settings, epub) {
            Ok(summary) => done.push(summary),
            Err(e) => {
                tracing::error!("{}: {e:#}", epub.display());
                failed.push(epub.display().to_string());
                done.push(BookSummary::failed(epub, &e));
            }
        }
    }
    print(args, &done)?;
    anyhow::ensure!(
        failed.is_empty(),
        "{} of {} books failed (see above): {}; the rest were converted",
        failed.len(),
        books.len(),
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

/// The EPUBs named, with each folder replaced by the EPUBs in it, in name order.
fn find_books(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
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
    let (file, vision, selection) = (&settings.file, &settings.vision, &settings.selection);
    let location = WorkDir::location(epub, args.work_dir, &settings.out_dir);
    // What this run creates, so that a refused book can leave nothing behind.
    let created = !location.exists();
    let parent_created = location
        .parent()
        .is_some_and(|p| !p.as_os_str().is_empty() && !p.exists());
    let work = WorkDir::open(&location)?;
    let lock = Lock::work_dir(work.root(), !args.no_wait)?;
    let removed = work.remove_partials()?;
    if removed > 0 {
        tracing::info!("removed {removed} unfinished files an interrupted run left");
    }
    let mut summary = BookSummary {
        book: epub.to_path_buf(),
        error: None,
        work_dir: work.root().to_path_buf(),
        language: None,
        voice: None,
        images: None,
        scripts: None,
        audio: None,
    };

    let extracted = match extract::run(epub, &work) {
        Ok(extracted) => extracted,
        Err(e) => {
            // A book that cannot be read leaves no empty work directory behind.
            drop(lock);
            if created {
                forget(&location, parent_created);
            }
            return Err(e);
        }
    };
    let book = &extracted.book;
    let name = &book.file_name;
    let selected = book
        .chapters
        .iter()
        .filter(|c| selection.selects(c))
        .count();
    anyhow::ensure!(
        selected > 0,
        "{name}: no chapters selected (the book has {}; see `bookvoice chapters`)",
        book.chapters.len()
    );
    tracing::info!(
        "{name}: {} ({selected} of {} chapters selected)",
        if extracted.fresh {
            "already extracted"
        } else {
            "extracted"
        },
        book.chapters.len()
    );
    if args.stop_after == StageArg::Extract {
        return Ok(summary);
    }

    let voices = VoiceChoice::resolve(args.engine, &file.speech, &file.voices)?;
    let detected = book.detected_language.as_ref();
    let choice = match lang::choose(
        args.engine.lang,
        book.language.as_deref(),
        detected,
        voices.fallback_lang(),
    ) {
        Ok(choice) => choice,
        Err(refused) => {
            drop(lock);
            if created {
                forget(&location, parent_created);
            }
            anyhow::bail!("{name} cannot be converted: {refused}");
        }
    };
    if let Some(warning) = &choice.warning {
        tracing::warn!("{name}: {warning}");
    }
    let language = choice.lang;
    let (voice, note) = voices.for_lang(language);
    if let Some(note) = note {
        tracing::warn!("{name}: {note}");
    }
    check_voice(args.engine, &voice).with_context(|| name.to_string())?;
    tracing::info!(
        "{name}: read in {} ({}), {}, by {voice}",
        language.name(),
        language.code(),
        choice.source.describe(),
    );
    summary.language = Some(choice);
    summary.voice = Some(voice.to_string());

    let descriptions = describe::run(book, &work, selection, vision, language)?;
    if vision.enabled {
        tracing::info!(
            "{name}: images: {} described ({} now), {} pending, {} decorative, {} undecodable",
            descriptions.described(),
            descriptions.newly_described(),
            descriptions.pending(),
            descriptions.count(|o| matches!(o, Outcome::Decorative)),
            descriptions.count(|o| matches!(o, Outcome::Undecodable { .. })),
        );
    }
    summary.images = Some(image_summary(&descriptions));
    if args.stop_after == StageArg::Describe {
        return Ok(summary);
    }

    let lexicon = Lexicon::load(&file.lexicon, &work.root().join(lexicon::BOOK_FILE))?;
    let reading = crate::config::reading(None, None, file);
    let scripts = script::run(
        book,
        &work,
        selection,
        &descriptions,
        &lexicon,
        language,
        reading,
    )?;
    let written = scripts.iter().filter(|s| !s.fresh).count();
    tracing::info!(
        "{name}: {written} chapter scripts written, {} already up to date, in {}",
        scripts.len() - written,
        work.script_dir().display()
    );
    if args.stop_after == StageArg::Script {
        summary.scripts = Some(scripts);
        return Ok(summary);
    }

    let engine = engine_settings(args.engine, &file.speech, voice, language)?;
    let stem = book_stem(epub);
    let formats = &settings.formats;
    let audio = audio::run(&AudioJob {
        book,
        work: &work,
        scripts: &scripts,
        engine: &engine,
        pauses: &file.pauses,
        loudness: &file.loudness,
        speak_only: args.stop_after == StageArg::Synthesize,
        m4b: formats
            .contains(&FormatArg::M4b)
            .then(|| settings.out_dir.join(format!("{stem}.m4b"))),
        wav_dir: formats
            .contains(&FormatArg::Wav)
            .then(|| settings.out_dir.join(&stem)),
        mp3: formats
            .contains(&FormatArg::Mp3)
            .then(|| settings.out_dir.join(format!("{stem}.mp3"))),
        opus: formats.contains(&FormatArg::Opus),
        chapter_dir: settings.out_dir.join(&stem),
        bitrates: file.output.bitrates,
        memory: settings.memory,
    })?;
    summary.scripts = Some(scripts);
    summary.audio = Some(audio);
    Ok(summary)
}

/// Fails early, before anything is described or spoken, on a voice that is not installed.
/// Where the models cannot be found at all, that is left to the speaking stage to report.
fn check_voice(engine: &EngineArgs, voice: &VoiceSpec) -> anyhow::Result<()> {
    let voices = match &engine.assets.voices {
        Some(path) => path.clone(),
        None => match ModelDir::locate(engine.assets.models.as_deref()).and_then(|m| m.voices()) {
            Ok(path) => path,
            Err(_) => return Ok(()),
        },
    };
    VoiceStore::open(&voices)?.blend(voice).map(|_| ())
}

/// Removes a work directory this run made for a book it then refused, and the output folder
/// above it if the run made that too (and nothing else has gone into it), so a refused book
/// leaves nothing behind.
fn forget(work: &Path, parent_created: bool) {
    if let Err(e) = std::fs::remove_dir_all(work) {
        tracing::debug!("cannot remove {}: {e}", work.display());
    }
    if parent_created && let Some(parent) = work.parent() {
        // remove_dir removes only an empty folder.
        let _ = std::fs::remove_dir(parent);
    }
}

/// The EPUB's file name without its extension.
fn book_stem(epub: &std::path::Path) -> String {
    epub.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into())
}

fn image_summary(d: &Descriptions) -> serde_json::Value {
    json!({
        "described": d.described(),
        "described_now": d.newly_described(),
        "pending": d.pending(),
        "decorative": d.count(|o| matches!(o, Outcome::Decorative)),
        "undecodable": d.count(|o| matches!(o, Outcome::Undecodable { .. })),
        "seconds_asking": d.asked_seconds,
        "seconds_wall": d.wall_seconds,
    })
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
        if let Some(m4b) = book.audio.as_ref().and_then(|a| a.m4b.as_ref()) {
            println!("{}", m4b.display());
        } else if let Some(dir) = book.audio.as_ref().and_then(|a| a.wav_dir.as_ref()) {
            println!("{}", dir.display());
        } else if let Some(scripts) = &book.scripts {
            for s in scripts {
                println!("{}", s.path.display());
            }
        }
    }
    Ok(())
}
