//! The encoded half of `convert`'s output: the M4B, the MP3s (one per chapter and the book in
//! one file) and the chapter Opus files, all made from the mastered chapter WAVs.
//!
//! Each file is remade only when what it is made from changed: its fingerprint covers the
//! fingerprints of the chapter WAVs it holds, the tags, the cover's content and the bit rate,
//! and is kept in the work directory (`encoded/`), since the files themselves go to the
//! user's folder. A rerun with nothing changed encodes nothing and leaves every byte as it
//! was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::audio::{AudioJob, AudioSummary, ChapterResult};
use crate::stages::assemble::ffmpeg::{Tags, Track};
use crate::stages::assemble::{m4b, mp3, opus};
use crate::workdir::fingerprint::{Fingerprint, Freshness, sha256_file};

/// The formats the last finished run of a book made (`outputs.json` in the work directory),
/// so that `status` calls a book converted with `--format wav` done without waiting for an
/// M4B nobody asked for, and names a file the user deleted since.
#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct Outputs {
    /// Each format made (`m4b`, `wav`, `mp3`, `opus`) and the absolute path of its file or
    /// folder.
    pub made: BTreeMap<String, PathBuf>,
}

impl Outputs {
    const FILE: &str = "outputs.json";

    /// What the job makes.
    fn of(job: &AudioJob) -> Outputs {
        let wanted = [
            ("m4b", job.m4b.clone()),
            ("wav", job.wav_dir.clone()),
            ("mp3", job.mp3.clone()),
            ("opus", job.opus.then(|| job.chapter_dir.clone())),
        ];
        Outputs {
            made: wanted
                .into_iter()
                .filter_map(|(format, path)| {
                    let path = path?;
                    Some((
                        format.to_string(),
                        std::path::absolute(&path).unwrap_or(path),
                    ))
                })
                .collect(),
        }
    }

    /// The record in a work directory, if a run has finished there.
    pub fn load(work: &Path) -> Option<Outputs> {
        serde_json::from_slice(&std::fs::read(work.join(Self::FILE)).ok()?).ok()
    }

    /// Forgets the last run's record, before this run makes its files: a run killed while
    /// encoding leaves none, and its book is not taken for done.
    pub fn clear(job: &AudioJob) -> anyhow::Result<()> {
        crate::workdir::fsutil::remove_if_exists(&job.work.root().join(Self::FILE))
    }

    /// Records what `job` made, once it has all been made.
    pub fn record(job: &AudioJob) -> anyhow::Result<()> {
        crate::workdir::fsutil::write_file(
            &job.work.root().join(Self::FILE),
            &serde_json::to_vec(&Outputs::of(job))?,
        )
    }

    /// The formats made whose file or folder is no longer there, with its path.
    pub fn missing(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.made
            .iter()
            .filter(|(_, path)| !path.exists())
            .map(|(format, path)| (format.as_str(), path.as_path()))
    }
}

/// Bumped when an encoded file's layout changes.
const ENCODE_SCHEMA: u32 = 2;

/// What an encoded file is made from.
#[derive(Serialize)]
struct Inputs<'a> {
    schema: u32,
    format: &'a str,
    kbps: u32,
    /// (title, WAV fingerprint) of each chapter in the file.
    chapters: Vec<(&'a str, &'a str)>,
    /// The track's number and the number of tracks, for a chapter's own file.
    track: Option<(usize, usize)>,
    title: &'a str,
    authors: &'a [String],
    /// ISO 639-2, as the files are tagged.
    language: &'a str,
    cover_sha256: Option<&'a str>,
}

/// The book's chapters with audio, and what every file is tagged with.
struct Book<'a> {
    made: Vec<(&'a ChapterResult, Track)>,
    cover: Option<PathBuf>,
    cover_sha: Option<String>,
}

/// Makes every encoded format the job asks for.
pub fn run(job: &AudioJob, summary: &mut AudioSummary) -> anyhow::Result<()> {
    if job.m4b.is_none() && job.mp3.is_none() && !job.opus {
        return Ok(());
    }
    let (encoded, fresh) = {
        let book = collect(job, &summary.chapters)?;
        let mut counts = (0, 0);
        let mut count = |fresh: bool| {
            if fresh { counts.1 += 1 } else { counts.0 += 1 }
        };
        if let Some(dest) = &job.m4b {
            let fresh = whole_book(job, &book, "m4b", dest)?;
            summary.m4b = Some(dest.clone());
            summary.m4b_fresh = fresh;
            count(fresh);
        }
        if let Some(dest) = &job.mp3 {
            count(whole_book(job, &book, "mp3", dest)?);
            for fresh in chapter_files(job, &book, "mp3")? {
                count(fresh);
            }
            summary.mp3 = Some(dest.clone());
            summary.mp3_dir = Some(job.chapter_dir.clone());
        }
        if job.opus {
            for fresh in chapter_files(job, &book, "opus")? {
                count(fresh);
            }
            summary.opus_dir = Some(job.chapter_dir.clone());
        }
        counts
    };
    summary.files_encoded = encoded;
    summary.files_fresh = fresh;
    Ok(())
}

fn collect<'a>(job: &AudioJob, chapters: &'a [ChapterResult]) -> anyhow::Result<Book<'a>> {
    let made: Vec<(&ChapterResult, Track)> = chapters
        .iter()
        .filter_map(|c| {
            let wav = c.wav.as_ref()?;
            Some((
                c,
                Track {
                    wav: wav.clone(),
                    title: c.title.clone(),
                    seconds: c.seconds,
                    sections: c.sections.clone(),
                },
            ))
        })
        .collect();
    anyhow::ensure!(
        !made.is_empty(),
        "{}: no chapter has anything to say",
        job.book.file_name
    );
    let book = job.book;
    let cover = book
        .cover
        .as_ref()
        .and_then(|id| book.image(id))
        .map(|image| job.work.root().join(&image.file))
        .filter(|p| p.is_file());
    let cover_sha = cover.as_ref().and_then(|p| sha256_file(p).ok());
    Ok(Book {
        made,
        cover,
        cover_sha,
    })
}

fn tags<'a>(job: &'a AudioJob, book: &'a Book) -> Tags<'a> {
    Tags {
        title: &job.book.title,
        authors: &job.book.authors,
        language: Some(job.engine.lang.iso639_2()),
        cover: book.cover.as_deref(),
    }
}

fn inputs<'a>(
    job: &'a AudioJob,
    book: &'a Book,
    format: &'a str,
    chapters: &[&'a (&'a ChapterResult, Track)],
    track: Option<(usize, usize)>,
) -> Inputs<'a> {
    Inputs {
        schema: ENCODE_SCHEMA,
        format,
        kbps: match format {
            "m4b" => job.bitrates.m4b,
            "mp3" => job.bitrates.mp3,
            _ => job.bitrates.opus,
        },
        chapters: chapters
            .iter()
            .map(|(c, _)| (c.title.as_str(), c.fingerprint.as_str()))
            .collect(),
        track,
        title: &job.book.title,
        authors: &job.book.authors,
        language: job.engine.lang.iso639_2(),
        cover_sha256: book.cover_sha.as_deref(),
    }
}

/// The whole book in one file (M4B or MP3); returns whether it was already up to date.
fn whole_book(job: &AudioJob, book: &Book, format: &str, dest: &Path) -> anyhow::Result<bool> {
    let all: Vec<&(&ChapterResult, Track)> = book.made.iter().collect();
    let fingerprint = Fingerprint::of(&inputs(job, book, format, &all, None));
    let record = job.work.root().join(format!("book.{format}"));
    if fingerprint.check_recorded_at(dest, &record) == Freshness::Fresh {
        return Ok(true);
    }
    Fingerprint::clear(&record)?;
    let tracks: Vec<Track> = book.made.iter().map(|(_, t)| t.clone()).collect();
    let tags = tags(job, book);
    let scratch = job.work.root();
    match format {
        "m4b" => m4b::encode(&tracks, &tags, job.bitrates.m4b, scratch, dest)?,
        _ => mp3::encode_book(&tracks, &tags, job.bitrates.mp3, scratch, dest)?,
    }
    fingerprint.record(&record)?;
    let total: f64 = tracks.iter().map(|t| t.seconds).sum();
    tracing::info!(
        "{}: {} ({}, {:.1} min)",
        job.book.file_name,
        dest.display(),
        crate::report::count(tracks.len(), "chapter"),
        total / 60.0
    );
    Ok(false)
}

/// One file per chapter, `NN - Title.mp3|opus` beside the chapter WAVs; returns for each
/// whether it was already up to date.
fn chapter_files(job: &AudioJob, book: &Book, format: &str) -> anyhow::Result<Vec<bool>> {
    let total = book.made.len();
    let records = job.work.root().join("encoded");
    std::fs::create_dir_all(&records)
        .with_context(|| format!("cannot create {}", records.display()))?;
    let tags = tags(job, book);
    let mut fresh = Vec::with_capacity(total);
    for (index, made) in book.made.iter().enumerate() {
        let (_, track) = made;
        let number = (index + 1, total);
        let name = track
            .wav
            .file_stem()
            .map(|s| format!("{}.{format}", s.to_string_lossy()))
            .unwrap_or_else(|| format!("{:02}.{format}", index + 1));
        let dest = job.chapter_dir.join(&name);
        let record = records.join(&name);
        let fingerprint = Fingerprint::of(&inputs(job, book, format, &[made], Some(number)));
        if fingerprint.check_recorded_at(&dest, &record) == Freshness::Fresh {
            fresh.push(true);
            continue;
        }
        Fingerprint::clear(&record)?;
        let scratch = job.work.root();
        match format {
            "mp3" => mp3::encode_chapter(track, number, &tags, job.bitrates.mp3, scratch, &dest)?,
            _ => opus::encode_chapter(track, number, &tags, job.bitrates.opus, scratch, &dest)?,
        }
        fingerprint.record(&record)?;
        fresh.push(false);
    }
    tracing::info!(
        "{}: {} chapter {format} files in {} ({} made now)",
        job.book.file_name,
        total,
        job.chapter_dir.display(),
        fresh.iter().filter(|f| !**f).count()
    );
    Ok(fresh)
}
