//! `bookvoice convert`: runs a book through the pipeline, each stage reusing what earlier
//! runs left in the work directory, up to `--stop-after`: extract, describe, script (here),
//! then synthesize and assemble (`audio.rs`). A lock keeps a second run off the same book.

mod audio;

use std::path::PathBuf;

use serde_json::json;

use crate::cli::{ConvertArgs, StageArg};
use crate::config::{EngineConfig, VisionConfig};
use crate::config_file::ConfigFile;
use crate::stages::describe::{self, Descriptions, Outcome};
use crate::stages::extract::{self, select::Selection};
use crate::stages::script;
use crate::stages::script::lexicon::{self, Lexicon};
use crate::workdir::WorkDir;
use crate::workdir::lock::WorkLock;
use audio::{AudioJob, AudioSummary};

pub fn run(args: &ConvertArgs) -> anyhow::Result<()> {
    let file = ConfigFile::load(args.config.as_deref())?;
    let vision = VisionConfig::resolve(&args.vision, &file.vision)?;
    let selection = Selection {
        chapters: args.selection.chapters.clone(),
        include: args.selection.include.clone(),
    };
    let work = WorkDir::for_book(&args.book, args.work_dir.as_deref())?;
    let _lock = WorkLock::acquire(work.root(), !args.no_wait)?;
    let removed = work.remove_partials()?;
    if removed > 0 {
        tracing::info!("removed {removed} unfinished files an interrupted run left");
    }

    let extracted = extract::run(&args.book, &work)?;
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
        return finish(args, &work, None, None, None);
    }

    let descriptions = describe::run(book, &work, &selection, &vision)?;
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
    if args.stop_after == StageArg::Describe {
        return finish(args, &work, Some(&descriptions), None, None);
    }

    let lexicon = Lexicon::load(&file.lexicon, &work.root().join(lexicon::BOOK_FILE))?;
    let scripts = script::run(book, &work, &selection, &descriptions, &lexicon)?;
    let written = scripts.iter().filter(|s| !s.fresh).count();
    tracing::info!(
        "{name}: {written} chapter scripts written, {} already up to date, in {}",
        scripts.len() - written,
        work.script_dir().display()
    );
    if args.stop_after == StageArg::Script {
        return finish(args, &work, Some(&descriptions), Some(&scripts), None);
    }

    let engine = EngineConfig::resolve(&args.engine, &file.speech)?;
    let m4b = match &args.output {
        Some(path) => path.clone(),
        None => PathBuf::from(format!("{}.m4b", book_stem(&args.book))),
    };
    let audio = audio::run(&AudioJob {
        book,
        work: &work,
        scripts: &scripts,
        engine: &engine,
        pauses: &file.pauses,
        speak_only: args.stop_after == StageArg::Synthesize,
        m4b: &m4b,
    })?;
    finish(
        args,
        &work,
        Some(&descriptions),
        Some(&scripts),
        Some(&audio),
    )
}

/// The EPUB's file name without its extension.
fn book_stem(epub: &std::path::Path) -> String {
    epub.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into())
}

/// Prints the summary: JSON on request, else the script files, one per line.
fn finish(
    args: &ConvertArgs,
    work: &WorkDir,
    descriptions: Option<&Descriptions>,
    scripts: Option<&[script::Script]>,
    audio: Option<&AudioSummary>,
) -> anyhow::Result<()> {
    if args.json {
        let images = descriptions.map(|d| {
            json!({
                "described": d.described(),
                "described_now": d.newly_described(),
                "pending": d.pending(),
                "decorative": d.count(|o| matches!(o, Outcome::Decorative)),
                "undecodable": d.count(|o| matches!(o, Outcome::Undecodable { .. })),
                "seconds_asking": d.asked_seconds,
                "seconds_wall": d.wall_seconds,
            })
        });
        let summary = json!({
            "work_dir": work.root(),
            "images": images,
            "scripts": scripts,
            "audio": audio,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if let Some(m4b) = audio.and_then(|a| a.m4b.as_ref()) {
        println!("{}", m4b.display());
    } else if let Some(audio) = audio {
        for c in &audio.chapters {
            if let Some(wav) = &c.wav {
                println!("{}", wav.display());
            }
        }
    } else if let Some(scripts) = scripts {
        for s in scripts {
            println!("{}", s.path.display());
        }
    }
    Ok(())
}
