//! Script: each selected chapter's narration text, written to `script/NN - Title.txt` in the
//! work directory, where the user can read it before any audio is made, and edit it.
//!
//! A script is remade only when the text it should hold changes — the chapter's blocks, or a
//! description that arrived since the last run — and its fingerprint is the hash of that
//! text, so a chapter whose pictures were described later gets a new script while every other
//! chapter's stays fresh (and the audio made from it with it). A script the user edited is
//! left alone while the book is unchanged; when it must be remade anyway, the edited copy is
//! kept beside it as `NN - Title.edited.txt` and the user is told.
//!
//! `splice` makes the text from the chapter's blocks and the descriptions; `normalize` turns
//! it into words as they are spoken (numbers, abbreviations, typography), each passage in its
//! own language; `lexicon` applies the user's pronunciation overrides; `parse` reads a script
//! back and owns its marks.

pub mod lexicon;
pub mod normalize;
pub mod parse;
pub mod reading;
pub mod splice;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::lang::Lang;
use crate::stages::describe::Descriptions;
use crate::stages::extract::book::Book;
use crate::stages::extract::select::Selection;
use crate::workdir::fingerprint::{DirtyReason, Fingerprint, Freshness, sha256_hex};
use crate::workdir::fsutil::{remove_if_exists, write_file};
use crate::workdir::{WorkDir, chapter_stem};
use lexicon::Lexicon;
use normalize::Rules;

/// Bumped when the script format changes, so every script is rewritten.
pub const SCHEMA: u32 = 3;

/// What a script's fingerprint holds.
#[derive(Serialize)]
struct Inputs<'a> {
    schema: u32,
    /// The SHA-256 of the text the script should hold.
    text_sha256: &'a str,
}

/// One chapter's script, as this run left it.
#[derive(Debug, Clone, Serialize)]
pub struct Script {
    pub chapter: usize,
    pub title: String,
    pub path: PathBuf,
    /// Already up to date: not written in this run.
    pub fresh: bool,
    pub words: usize,
    /// Digits and symbols left as printed (see `normalize::leftovers`).
    pub leftovers: usize,
}

/// Writes the scripts of the selected chapters.
pub fn run(
    book: &Book,
    work: &WorkDir,
    selection: &Selection,
    descriptions: &Descriptions,
    lexicon: &Lexicon,
    lang: Lang,
    reading: reading::Reading,
) -> anyhow::Result<Vec<Script>> {
    let dir = work.script_dir();
    let rules = Rules::for_lang(lang);
    let mut scripts = Vec::new();
    for chapter in book.chapters.iter().filter(|c| selection.selects(c)) {
        let spliced = splice::chapter_script(chapter, lang, descriptions, reading);
        let text = lexicon.apply_script(&rules.script(&spliced));
        let stem = chapter_stem(chapter.index, &chapter.title, book.chapters.len());
        let path = dir.join(format!("{stem}.txt"));
        remove_renamed(&dir, &stem)?;
        let text_sha256 = sha256_hex(text.as_bytes());
        let fingerprint = Fingerprint::of(&Inputs {
            schema: SCHEMA,
            text_sha256: &text_sha256,
        });
        let fresh = match fingerprint.check(&path) {
            Freshness::Fresh => true,
            Freshness::Dirty(reason) => {
                tracing::debug!("{}: {reason}", path.display());
                if reason != DirtyReason::Missing {
                    keep_user_edits(&path, &stem)?;
                }
                Fingerprint::clear(&path)?;
                write_file(&path, text.as_bytes())?;
                fingerprint.record(&path)?;
                false
            }
        };
        let leftovers = normalize::leftovers::find(&text).len();
        if leftovers > 0 && !fresh {
            tracing::info!(
                "{}: {} left as printed, which the voice may drop or misread; `bookvoice \
                 normalize --check -f '{}'` lists them",
                chapter.title,
                normalize::leftovers::count_is(leftovers),
                path.display()
            );
        }
        scripts.push(Script {
            chapter: chapter.index,
            title: chapter.title.clone(),
            path,
            fresh,
            words: crate::stages::extract::book::count_words(&text),
            leftovers,
        });
    }
    Ok(scripts)
}

/// Saves a script the user changed since it was written, before it is replaced.
fn keep_user_edits(path: &Path, stem: &str) -> anyhow::Result<()> {
    let Ok(current) = std::fs::read(path) else {
        return Ok(());
    };
    let written = Fingerprint::recorded_inputs(path)
        .and_then(|inputs| inputs["text_sha256"].as_str().map(str::to_string));
    if written.is_none_or(|w| w == sha256_hex(&current)) {
        return Ok(());
    }
    let kept = path.with_file_name(format!("{stem}.edited.txt"));
    write_file(&kept, &current)?;
    tracing::warn!(
        "{} was edited, but the book or its image descriptions changed, so it is written \
         anew; your version is kept as {}",
        path.display(),
        kept.display()
    );
    Ok(())
}

/// Removes the script a chapter had under an older title (same number, other name).
fn remove_renamed(dir: &Path, stem: &str) -> anyhow::Result<()> {
    let number = stem.split(' ').next().unwrap_or(stem);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(other_stem) = name.strip_suffix(".txt") else {
            continue;
        };
        let same_number = other_stem == number || other_stem.starts_with(&format!("{number} - "));
        if same_number && other_stem != stem && !other_stem.ends_with(".edited") {
            for path in [
                entry.path(),
                dir.join(format!("{name}.fp")),
                dir.join(format!("{name}.fp.json")),
            ] {
                remove_if_exists(&path)?;
            }
        }
    }
    Ok(())
}
