//! The audiobook: chapter WAVs → one M4B (AAC in MP4) with a named chapter marker per
//! chapter, the book's title and author, and its cover, made by ffmpeg.
//!
//! ffmpeg reads the chapter files through its concat demuxer and the markers and tags from an
//! FFMETADATA file written beside them (`ffmpeg.rs`).

use std::path::Path;

use super::ffmpeg::{self, BITEXACT, Tags, Track};

/// Encodes the tracks into `dest` at `kbps` kbit/s AAC; `scratch` is a directory for the lists
/// ffmpeg reads.
pub fn encode(
    tracks: &[Track],
    tags: &Tags,
    kbps: u32,
    scratch: &Path,
    dest: &Path,
) -> anyhow::Result<()> {
    let (mut cmd, partial) = ffmpeg::whole_book(tracks, tags, scratch, "m4b", dest)?;
    if let Some(cover) = tags.cover {
        cmd.arg("-i").arg(cover);
    }
    cmd.args(["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]);
    if let Some(lang) = tags.language {
        // The audio track's own language (the MP4 `mdhd` field players read), ISO 639-2.
        cmd.arg("-metadata:s:a:0").arg(format!("language={lang}"));
    }
    if let Some(cover) = tags.cover {
        cmd.args(["-map", "2:v", "-c:v", ffmpeg::cover_codec(cover)])
            .args(["-disposition:v:0", "attached_pic"]);
    }
    cmd.args(["-c:a", "aac", "-b:a", &format!("{kbps}k")])
        .args(["-movflags", "+faststart"])
        .args(BITEXACT)
        .args(["-f", "mp4"])
        .arg(&partial);
    ffmpeg::run(cmd, &partial, dest)
}
