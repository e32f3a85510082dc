//! MP3, for players that take nothing else: one file per chapter with ID3v2 tags (title,
//! track number, album, artist, cover), and the whole book in one file with ID3v2 chapter
//! frames (`CHAP`/`CTOC`, which ffmpeg writes from the chapters of its FFMETADATA input).
//!
//! LAME at an average bit rate (64 kbit/s by default: mono speech at 24 kHz). The cover is an
//! attached picture (`APIC`).

use std::path::Path;
use std::process::Command;

use super::ffmpeg::{self, BITEXACT, Tags, Track};

/// Encodes one chapter's WAV into `dest`, tagged as track `number` of `total`; `scratch`
/// holds the metadata file ffmpeg reads.
pub fn encode_chapter(
    track: &Track,
    (number, total): (usize, usize),
    tags: &Tags,
    kbps: u32,
    scratch: &Path,
    dest: &Path,
) -> anyhow::Result<()> {
    let text = ffmpeg::chapter_metadata(tags, &track.title, (number, total), false);
    let label = format!("mp3-{number}");
    let (mut cmd, partial, meta) = ffmpeg::one_chapter(track, &text, scratch, &label, dest)?;
    finish(&mut cmd, tags, kbps, false, &partial);
    let done = ffmpeg::run(cmd, &partial, dest);
    let _ = std::fs::remove_file(&meta);
    done
}

/// Encodes the whole book into one file at `dest`, with a chapter frame per track.
pub fn encode_book(
    tracks: &[Track],
    tags: &Tags,
    kbps: u32,
    scratch: &Path,
    dest: &Path,
) -> anyhow::Result<()> {
    let (mut cmd, partial) = ffmpeg::whole_book(tracks, tags, scratch, "mp3", dest)?;
    finish(&mut cmd, tags, kbps, true, &partial);
    ffmpeg::run(cmd, &partial, dest)
}

/// Inputs 0 (audio) and 1 (FFMETADATA) are given; adds the cover and the output, with the
/// metadata's chapters when `chapters`.
fn finish(cmd: &mut Command, tags: &Tags, kbps: u32, chapters: bool, partial: &Path) {
    if let Some(cover) = tags.cover {
        cmd.arg("-i").arg(cover);
    }
    cmd.args(["-map", "0:a", "-map_metadata", "1"]);
    if chapters {
        cmd.args(["-map_chapters", "1"]);
    }
    if let Some(cover) = tags.cover {
        cmd.args(["-map", "2:v", "-c:v", ffmpeg::cover_codec(cover)])
            .args(["-disposition:v:0", "attached_pic"])
            .args([
                "-metadata:s:v",
                "title=Cover",
                "-metadata:s:v",
                "comment=Cover (front)",
            ]);
    }
    // ABR rather than CBR: at speech rates LAME's CBR overshoots peaks by up to a dB on
    // sibilants, ABR by a few tenths, at the same loudness and size.
    cmd.args([
        "-c:a",
        "libmp3lame",
        "-abr",
        "1",
        "-b:a",
        &format!("{kbps}k"),
    ])
    .args(["-id3v2_version", "3", "-write_id3v1", "1"])
    .args(BITEXACT)
    .args(["-f", "mp3"])
    .arg(partial);
}
