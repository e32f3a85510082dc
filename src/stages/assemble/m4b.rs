//! The audiobook: chapter WAVs → one M4B (AAC in MP4) with a named chapter marker per
//! chapter, the book's title and author, and its cover, made by ffmpeg.
//!
//! ffmpeg reads the chapter files through its concat demuxer and the markers and tags from an
//! FFMETADATA file written beside them; the M4B is written under a temporary name in its
//! destination directory and renamed into place when ffmpeg succeeds, so a failed or killed
//! encode never leaves a half file where a player would find it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::workdir::fsutil::{remove_if_exists, write_file};

/// One chapter of the audiobook.
pub struct Track {
    pub wav: PathBuf,
    pub title: String,
    pub seconds: f64,
}

/// What goes into the file besides the audio.
pub struct Tags<'a> {
    pub title: &'a str,
    pub authors: &'a [String],
    /// ISO 639-2 (`eng`, `spa`), as MP4 files name languages.
    pub language: Option<&'a str>,
    pub cover: Option<&'a Path>,
}

/// AAC bit rate: plenty for mono speech.
const BITRATE: &str = "64k";

/// Encodes the tracks into `dest`; `scratch` is a directory for the lists ffmpeg reads.
pub fn encode(tracks: &[Track], tags: &Tags, scratch: &Path, dest: &Path) -> anyhow::Result<()> {
    let list = scratch.join("m4b-files.txt");
    let meta = scratch.join("m4b-metadata.txt");
    write_file(&list, concat_list(tracks).as_bytes())?;
    write_file(&meta, metadata(tracks, tags).as_bytes())?;

    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let partial = dir.join(format!(
        ".bookvoice-{}.m4b.partial",
        dest.file_stem().unwrap_or_default().to_string_lossy()
    ));
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .args(["-f", "concat", "-safe", "0", "-i"])
        .arg(&list)
        .arg("-i")
        .arg(&meta);
    if let Some(cover) = tags.cover {
        cmd.arg("-i").arg(cover);
    }
    cmd.args(["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]);
    if let Some(lang) = tags.language {
        // The audio track's own language (the MP4 `mdhd` field players read), ISO 639-2.
        cmd.arg("-metadata:s:a:0").arg(format!("language={lang}"));
    }
    if tags.cover.is_some() {
        cmd.args([
            "-map",
            "2:v",
            "-c:v",
            "copy",
            "-disposition:v:0",
            "attached_pic",
        ]);
    }
    cmd.args([
        "-c:a",
        "aac",
        "-b:a",
        BITRATE,
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
    ])
    .arg(&partial);
    let output = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!("ffmpeg is not installed; it is needed to make the M4B (run `make setup`, or install ffmpeg)")
        } else {
            anyhow::anyhow!("cannot run ffmpeg: {e}")
        }
    })?;
    if !output.status.success() {
        let _ = remove_if_exists(&partial);
        bail!(
            "ffmpeg could not make {}: {}",
            dest.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    std::fs::rename(&partial, dest)
        .with_context(|| format!("cannot move the finished M4B to {}", dest.display()))?;
    Ok(())
}

/// ffmpeg's concat list: one `file '…'` line per chapter, quotes escaped. Paths are made
/// absolute, since ffmpeg reads them relative to the list.
fn concat_list(tracks: &[Track]) -> String {
    tracks
        .iter()
        .map(|t| {
            let path = std::path::absolute(&t.wav).unwrap_or_else(|_| t.wav.clone());
            let path = path.to_string_lossy().replace('\'', "'\\''");
            format!("file '{path}'\n")
        })
        .collect()
}

/// FFMETADATA: tags, then one `[CHAPTER]` per track in milliseconds.
fn metadata(tracks: &[Track], tags: &Tags) -> String {
    let mut out = String::from(";FFMETADATA1\n");
    out.push_str(&format!("title={}\n", escape(tags.title)));
    out.push_str(&format!("album={}\n", escape(tags.title)));
    if !tags.authors.is_empty() {
        let authors = escape(&tags.authors.join(", "));
        out.push_str(&format!("artist={authors}\nalbum_artist={authors}\n"));
    }
    if let Some(lang) = tags.language {
        out.push_str(&format!("language={}\n", escape(lang)));
    }
    out.push_str("genre=Audiobook\n");
    let mut start = 0u64;
    for track in tracks {
        let end = start + (track.seconds * 1000.0).round() as u64;
        out.push_str(&format!(
            "\n[CHAPTER]\nTIMEBASE=1/1000\nSTART={start}\nEND={end}\ntitle={}\n",
            escape(&track.title)
        ));
        start = end;
    }
    out
}

/// FFMETADATA escapes `=`, `;`, `#`, `\` and newlines with a backslash.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '=' | ';' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_has_tags_and_chapters_in_milliseconds() {
        let tracks = [
            Track {
                wav: "a.wav".into(),
                title: "Down the Rabbit-Hole".into(),
                seconds: 1.5,
            },
            Track {
                wav: "it's.wav".into(),
                title: "A=B; #2".into(),
                seconds: 2.25,
            },
        ];
        let tags = Tags {
            title: "Alice",
            authors: &["Lewis Carroll".to_string()],
            language: Some("eng"),
            cover: None,
        };
        let meta = metadata(&tracks, &tags);
        assert!(meta.starts_with(";FFMETADATA1\ntitle=Alice\n"), "{meta}");
        assert!(meta.contains("artist=Lewis Carroll\n"));
        assert!(meta.contains("START=0\nEND=1500\ntitle=Down the Rabbit-Hole\n"));
        assert!(meta.contains("START=1500\nEND=3750\ntitle=A\\=B\\; \\#2\n"));
        let list = concat_list(&tracks);
        assert!(
            list.starts_with("file '/") && list.ends_with("/it'\\''s.wav'\n"),
            "{list}"
        );
    }
}
