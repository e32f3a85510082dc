//! What every encoded format shares: running ffmpeg so that a failed or killed encode never
//! leaves a half file where a player would find it, the tags of a book and of its chapters
//! in ffmpeg's FFMETADATA form, and the settings that make two encodes of the same input
//! byte-identical.
//!
//! Each file is written under a temporary name in its destination folder and renamed into
//! place when ffmpeg succeeds. `-fflags +bitexact` keeps ffmpeg from writing its version and
//! from choosing random Ogg stream serials, so a rerun that must re-encode makes the same
//! bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::workdir::fsutil::{remove_if_exists, write_file};

/// One chapter of the audiobook.
#[derive(Debug, Clone)]
pub struct Track {
    pub wav: PathBuf,
    pub title: String,
    pub seconds: f64,
    /// Headings inside the chapter: markers of their own where the chapter is very long.
    pub sections: Vec<super::chapter::Section>,
}

/// A chapter longer than this (seconds) is navigable by its sections: each heading in it
/// becomes a chapter marker, "Chapter: Section".
pub const LONG_CHAPTER_SECONDS: f64 = 3600.0;

/// What goes into the files besides the audio.
#[derive(Debug, Clone, Copy)]
pub struct Tags<'a> {
    pub title: &'a str,
    pub authors: &'a [String],
    /// ISO 639-2 (`eng`, `spa`), as MP4 files name languages.
    pub language: Option<&'a str>,
    pub cover: Option<&'a Path>,
}

/// Bit rates of the lossy formats, in kbit/s: `[output.bitrates]` or `--bitrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bitrates {
    /// AAC in the M4B.
    pub m4b: u32,
    pub mp3: u32,
    pub opus: u32,
}

impl Default for Bitrates {
    /// Mono speech at 24 kHz: 64 kbit/s AAC or MP3 is transparent for a voice; Opus reaches
    /// the same at about half.
    fn default() -> Self {
        Bitrates {
            m4b: 64,
            mp3: 64,
            opus: 32,
        }
    }
}

impl Bitrates {
    /// Errors: a rate the encoders do not take (the message names the format).
    pub fn validate(&self) -> Result<(), String> {
        // What the encoders give mono speech at 24 kHz: AAC up to 144 kbit/s, MPEG-2 layer III
        // 8 to 160, Opus 6 to 256.
        for (name, kbps, range) in [
            ("m4b", self.m4b, 16..=144),
            ("mp3", self.mp3, 8..=160),
            ("opus", self.opus, 6..=256),
        ] {
            if !range.contains(&kbps) {
                return Err(format!(
                    "the {name} bit rate must be {} to {} kbit/s, not {kbps}",
                    range.start(),
                    range.end()
                ));
            }
        }
        Ok(())
    }
}

/// `ffmpeg`, quiet, never waiting on the terminal, overwriting its partial file.
pub fn command() -> Command {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]);
    cmd
}

/// The output options that make encodes reproducible; they go before the output file.
pub const BITEXACT: [&str; 4] = ["-fflags", "+bitexact", "-flags:a", "+bitexact"];

/// Where `dest` is written before it is complete: a hidden file in its folder, which is
/// created if needed.
pub fn partial(dest: &Path) -> anyhow::Result<PathBuf> {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    Ok(dir.join(format!(".bookvoice-{name}.partial")))
}

/// Runs `cmd`, whose output file is `partial`, and moves the result to `dest`.
///
/// Errors: ffmpeg missing (with how to install it), or failing (with its own words); the
/// partial file is removed and nothing is left at `dest`'s name.
pub fn run(mut cmd: Command, partial: &Path, dest: &Path) -> anyhow::Result<()> {
    let output = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "ffmpeg is not installed; it is needed to make {} (run `make setup`, or \
                 install ffmpeg)",
                dest.display()
            )
        } else {
            anyhow::anyhow!("cannot run ffmpeg: {e}")
        }
    })?;
    if !output.status.success() {
        let _ = remove_if_exists(partial);
        bail!(
            "ffmpeg could not make {}: {}",
            dest.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    std::fs::rename(partial, dest)
        .with_context(|| format!("cannot move the finished file to {}", dest.display()))
}

/// ffmpeg reading the whole book: input 0 the chapter WAVs in order (through the concat
/// demuxer), input 1 the tags and chapter markers; `label` names the lists written in
/// `scratch`. Returns the command and the partial file it is to write.
pub fn whole_book(
    tracks: &[Track],
    tags: &Tags,
    scratch: &Path,
    label: &str,
    dest: &Path,
) -> anyhow::Result<(Command, PathBuf)> {
    let list = scratch.join(format!("{label}-files.txt"));
    let meta = scratch.join(format!("{label}-metadata.txt"));
    write_file(&list, concat_list(tracks).as_bytes())?;
    write_file(&meta, book_metadata(tracks, tags).as_bytes())?;
    let mut cmd = command();
    cmd.args(["-f", "concat", "-safe", "0", "-i"])
        .arg(&list)
        .arg("-i")
        .arg(&meta);
    Ok((cmd, partial(dest)?))
}

/// ffmpeg reading one chapter: input 0 its WAV, input 1 its tags (`metadata`, FFMETADATA,
/// written in `scratch` under a name from `label`). Returns the command, the partial file it
/// is to write, and the metadata file to remove afterwards.
pub fn one_chapter(
    track: &Track,
    metadata: &str,
    scratch: &Path,
    label: &str,
    dest: &Path,
) -> anyhow::Result<(Command, PathBuf, PathBuf)> {
    let meta = scratch.join(format!("{label}-metadata.txt"));
    write_file(&meta, metadata.as_bytes())?;
    let mut cmd = command();
    cmd.arg("-i").arg(&track.wav).arg("-i").arg(&meta);
    Ok((cmd, partial(dest)?, meta))
}

/// FFMETADATA for one chapter's own file: the chapter is the title, the book the album,
/// `track` is `n/total` (ID3's form) or, with `separate_total`, `n` and `TRACKTOTAL` (the
/// Vorbis comment form).
pub fn chapter_metadata(
    tags: &Tags,
    title: &str,
    (number, total): (usize, usize),
    separate_total: bool,
) -> String {
    let mut out = String::from(";FFMETADATA1\n");
    out.push_str(&format!("title={}\n", escape(title)));
    out.push_str(&format!("album={}\n", escape(tags.title)));
    if separate_total {
        out.push_str(&format!("track={number}\nTRACKTOTAL={total}\n"));
    } else {
        out.push_str(&format!("track={number}/{total}\n"));
    }
    common(tags, &mut out);
    out
}

/// FFMETADATA for a whole book in one file: tags, then one `[CHAPTER]` per track in
/// milliseconds.
pub fn book_metadata(tracks: &[Track], tags: &Tags) -> String {
    let mut out = String::from(";FFMETADATA1\n");
    out.push_str(&format!("title={}\n", escape(tags.title)));
    out.push_str(&format!("album={}\n", escape(tags.title)));
    common(tags, &mut out);
    let mut start = 0u64;
    for track in tracks {
        let end = start + (track.seconds * 1000.0).round() as u64;
        // Markers: the chapter, then each of its sections when it is very long.
        let mut marks = vec![(start, track.title.clone())];
        if track.seconds > LONG_CHAPTER_SECONDS {
            marks.extend(track.sections.iter().filter_map(|s| {
                let at = start + (s.start * 1000.0).round() as u64;
                (at > start && at < end).then(|| {
                    (
                        at,
                        format!("{}: {}", track.title, s.title.trim_end_matches('.')),
                    )
                })
            }));
        }
        for (i, (at, title)) in marks.iter().enumerate() {
            let until = marks.get(i + 1).map_or(end, |next| next.0);
            out.push_str(&format!(
                "\n[CHAPTER]\nTIMEBASE=1/1000\nSTART={at}\nEND={until}\ntitle={}\n",
                escape(title)
            ));
        }
        start = end;
    }
    out
}

fn common(tags: &Tags, out: &mut String) {
    if !tags.authors.is_empty() {
        let authors = escape(&tags.authors.join(", "));
        out.push_str(&format!("artist={authors}\nalbum_artist={authors}\n"));
    }
    if let Some(lang) = tags.language {
        out.push_str(&format!("language={}\n", escape(lang)));
    }
    out.push_str("genre=Audiobook\n");
}

/// FFMETADATA escapes `=`, `;`, `#`, `\` and newlines with a backslash.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '=' | ';' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// ffmpeg's concat list: one `file '…'` line per chapter, quotes escaped. Paths are made
/// absolute, since ffmpeg reads them relative to the list.
pub fn concat_list(tracks: &[Track]) -> String {
    tracks
        .iter()
        .map(|t| {
            let path = std::path::absolute(&t.wav).unwrap_or_else(|_| t.wav.clone());
            let path = path.to_string_lossy().replace('\'', "'\\''");
            format!("file '{path}'\n")
        })
        .collect()
}

/// A cover's image codec for formats that embed it as a picture stream: JPEG and PNG are
/// copied, anything else is converted to PNG.
pub fn cover_codec(cover: &Path) -> &'static str {
    let mut magic = [0u8; 8];
    let read = std::fs::File::open(cover)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut magic))
        .unwrap_or(0);
    let magic = &magic[..read];
    if magic.starts_with(&[0xFF, 0xD8]) || magic.starts_with(b"\x89PNG") {
        "copy"
    } else {
        "png"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracks() -> [Track; 2] {
        [
            Track {
                wav: "a.wav".into(),
                title: "Down the Rabbit-Hole".into(),
                seconds: 1.5,
                sections: vec![super::super::chapter::Section {
                    start: 1.0,
                    title: "Short chapters keep one marker".into(),
                }],
            },
            Track {
                wav: "it's.wav".into(),
                title: "A=B; #2".into(),
                seconds: 2.25,
                sections: Vec::new(),
            },
        ]
    }

    const AUTHORS: [&str; 1] = ["Lewis Carroll"];

    fn tags(authors: &[String]) -> Tags<'_> {
        Tags {
            title: "Alice",
            authors,
            language: Some("eng"),
            cover: None,
        }
    }

    #[test]
    fn book_metadata_has_tags_and_chapters_in_milliseconds() {
        let authors: Vec<String> = AUTHORS.iter().map(|s| s.to_string()).collect();
        let meta = book_metadata(&tracks(), &tags(&authors));
        assert!(meta.starts_with(";FFMETADATA1\ntitle=Alice\n"), "{meta}");
        assert!(meta.contains("artist=Lewis Carroll\n"));
        assert!(meta.contains("START=0\nEND=1500\ntitle=Down the Rabbit-Hole\n"));
        assert!(meta.contains("START=1500\nEND=3750\ntitle=A\\=B\\; \\#2\n"));
        let list = concat_list(&tracks());
        assert!(
            list.starts_with("file '/") && list.ends_with("/it'\\''s.wav'\n"),
            "{list}"
        );
    }

    #[test]
    fn a_very_long_chapter_is_marked_by_its_sections() {
        use super::super::chapter::Section;
        let long = Track {
            wav: "long.wav".into(),
            title: "Book One".into(),
            seconds: 5400.0,
            sections: vec![
                Section {
                    start: 1800.0,
                    title: "The Harbour.".into(),
                },
                Section {
                    start: 3600.5,
                    title: "The Hills".into(),
                },
                Section {
                    start: 9000.0,
                    title: "Past the end".into(),
                },
            ],
        };
        let meta = book_metadata(&[tracks()[1].clone(), long], &tags(&[]));
        let marks: Vec<&str> = meta.split("[CHAPTER]").skip(1).map(|c| c.trim()).collect();
        assert_eq!(
            marks,
            [
                "TIMEBASE=1/1000\nSTART=0\nEND=2250\ntitle=A\\=B\\; \\#2",
                "TIMEBASE=1/1000\nSTART=2250\nEND=1802250\ntitle=Book One",
                "TIMEBASE=1/1000\nSTART=1802250\nEND=3602750\ntitle=Book One: The Harbour",
                "TIMEBASE=1/1000\nSTART=3602750\nEND=5402250\ntitle=Book One: The Hills",
            ]
        );
    }

    #[test]
    fn chapter_metadata_numbers_the_track() {
        let authors: Vec<String> = AUTHORS.iter().map(|s| s.to_string()).collect();
        let meta = chapter_metadata(&tags(&authors), "The Pool of Tears", (2, 12), false);
        assert!(
            meta.contains("title=The Pool of Tears\nalbum=Alice\ntrack=2/12\n"),
            "{meta}"
        );
        assert!(meta.contains("genre=Audiobook\n"));
    }

    #[test]
    fn bitrates_are_checked_by_format() {
        assert!(Bitrates::default().validate().is_ok());
        let high = Bitrates {
            mp3: 320,
            ..Bitrates::default()
        };
        assert!(
            high.validate()
                .unwrap_err()
                .contains("mp3 bit rate must be 8 to 160")
        );
    }
}
