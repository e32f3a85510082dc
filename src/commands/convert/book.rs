//! One book made ready for speech: extract, describe and script (each reusing what earlier
//! runs left in the work directory), then every chapter that is not fresh planned, up to
//! `--stop-after`. What a book needs later, when the run's engine speaks it, is kept in a
//! [`Ready`] with the book's lock, so a library's books can wait for the engine together.
//!
//! The book's language is decided once, right after extraction (`--lang`, else the package's
//! `dc:language` unless the text plainly reads otherwise), and every later stage takes it. A
//! book in a language bookvoice cannot speak is refused there, before anything is described
//! or spoken, and a work directory this run created for it is removed again.

use std::path::Path;

use anyhow::Context;
use serde_json::json;

use super::audio::{self, AudioJob, AudioPlan};
use super::{BookRun, BookSummary, Settings};
use crate::cli::{EngineArgs, FormatArg, StageArg};
use crate::config::{VoiceChoice, engine_settings};
use crate::lang;
use crate::models::ModelDir;
use crate::stages::describe::{self, Descriptions, Outcome};
use crate::stages::extract::{self, book::Book};
use crate::stages::script::lexicon::{self, Lexicon};
use crate::stages::script::{self, Script};
use crate::stages::synthesize::EngineSettings;
use crate::stages::synthesize::voice::{VoiceSpec, VoiceStore};
use crate::workdir::WorkDir;
use crate::workdir::lock::Lock;

/// What preparing a book came to.
pub enum Prepared {
    /// Nothing more to do in this run (`--stop-after` extract, describe or script).
    Done(Box<BookSummary>),
    /// Planned, and waiting for the engine.
    Speak(Box<Ready>),
}

/// A book planned and waiting for the engine: what its audio needs, its summary so far, and
/// the lock on its work directory, held until the book is finished.
pub struct Ready {
    pub audio: BookAudio,
    pub summary: BookSummary,
    pub lock: Lock,
    pub plan: AudioPlan,
}

/// What a book's audio is made from, owned (see [`BookAudio::job`]).
pub struct BookAudio {
    pub work: WorkDir,
    /// The book without its chapters' text, which is all in the scripts by now (so a library
    /// waiting for the engine does not hold every book's text).
    pub book: Book,
    pub scripts: Vec<Script>,
    pub engine: EngineSettings,
    /// The EPUB's name without its extension, which the output files take.
    stem: String,
    speak_only: bool,
}

impl BookAudio {
    /// The book's audio job under the run's settings.
    pub fn job<'a>(&'a self, settings: &'a Settings) -> AudioJob<'a> {
        let (file, formats, out) = (&settings.file, &settings.formats, &settings.out_dir);
        let stem = &self.stem;
        AudioJob {
            book: &self.book,
            work: &self.work,
            scripts: &self.scripts,
            engine: &self.engine,
            pauses: &file.pauses,
            loudness: &file.loudness,
            speak_only: self.speak_only,
            m4b: formats
                .contains(&FormatArg::M4b)
                .then(|| out.join(format!("{stem}.m4b"))),
            wav_dir: formats.contains(&FormatArg::Wav).then(|| out.join(stem)),
            mp3: formats
                .contains(&FormatArg::Mp3)
                .then(|| out.join(format!("{stem}.mp3"))),
            opus: formats.contains(&FormatArg::Opus),
            chapter_dir: out.join(stem),
            bitrates: file.output.bitrates,
            memory: settings.memory,
        }
    }
}

/// Runs one book through the stages up to `--stop-after`, stopping before speech: a book that
/// goes on to speech comes back planned, its plans on disk.
pub fn prepare(args: &BookRun, settings: &Settings, epub: &Path) -> anyhow::Result<Prepared> {
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
    crate::commands::chapters::warn_absent(book, selection);
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
    // The noun counts the book's chapters, not the selected ones: "1 of 1 chapters".
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
        return Ok(Prepared::Done(Box::new(summary)));
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
        return Ok(Prepared::Done(Box::new(summary)));
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
        "{name}: {} written, {} already up to date, in {}",
        crate::report::count(written, "chapter script"),
        scripts.len() - written,
        work.script_dir().display()
    );
    if args.stop_after == StageArg::Script {
        summary.scripts = Some(scripts);
        return Ok(Prepared::Done(Box::new(summary)));
    }

    let engine = engine_settings(args.engine, &file.speech, voice, language)?;
    let audio = BookAudio {
        work,
        book: without_text(extracted.book),
        scripts,
        engine,
        stem: book_stem(epub),
        speak_only: args.stop_after == StageArg::Synthesize,
    };
    let plan = audio::prepare(&audio.job(settings))?;
    Ok(Prepared::Speak(Box::new(Ready {
        audio,
        summary,
        lock,
        plan,
    })))
}

/// What the encoders need of a book (its names, its cover), without the chapters' text.
fn without_text(mut book: Book) -> Book {
    book.chapters.clear();
    book.warnings.clear();
    let cover = book.cover.clone();
    book.images
        .retain(|image| Some(&image.id) == cover.as_ref());
    book
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
fn book_stem(epub: &Path) -> String {
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
