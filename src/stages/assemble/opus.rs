//! Ogg Opus, one file per chapter, with the same tags as Vorbis comments (TITLE, ALBUM,
//! ARTIST, TRACKNUMBER…) and the cover as a `METADATA_BLOCK_PICTURE` comment, the form Opus
//! players read (Xiph's Vorbis comment field recommendations, the picture block being FLAC's
//! `METADATA_BLOCK_PICTURE`, base64-encoded).
//!
//! libopus at 32 kbit/s by default, which carries mono speech about as well as 64 kbit/s MP3.

use std::path::Path;

use base64::Engine;

use super::ffmpeg::{self, BITEXACT, Tags, Track};

/// Encodes one chapter's WAV into `dest`, tagged as track `number` of `total`.
pub fn encode_chapter(
    track: &Track,
    (number, total): (usize, usize),
    tags: &Tags,
    kbps: u32,
    scratch: &Path,
    dest: &Path,
) -> anyhow::Result<()> {
    let mut text = ffmpeg::chapter_metadata(tags, &track.title, (number, total), true);
    if let Some(block) = tags.cover.and_then(picture_block) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(block);
        text.push_str(&format!(
            "METADATA_BLOCK_PICTURE={}\n",
            ffmpeg::escape(&encoded)
        ));
    }
    let label = format!("opus-{number}");
    let (mut cmd, partial, meta) = ffmpeg::one_chapter(track, &text, scratch, &label, dest)?;
    cmd.args(["-map", "0:a", "-map_metadata", "1"])
        .args(["-c:a", "libopus", "-b:a", &format!("{kbps}k")])
        .args(BITEXACT)
        .args(["-f", "ogg"])
        .arg(&partial);
    let done = ffmpeg::run(cmd, &partial, dest);
    let _ = std::fs::remove_file(&meta);
    done
}

/// A FLAC picture block for a front cover: type 3, MIME type, empty description, width,
/// height, colour depth, 0 (not indexed), then the image bytes; all numbers 32-bit
/// big-endian. `None` for a file that is not a JPEG or PNG the `image` crate can size.
fn picture_block(cover: &Path) -> Option<Vec<u8>> {
    let bytes = std::fs::read(cover).ok()?;
    let mime: &[u8] = if bytes.starts_with(&[0xFF, 0xD8]) {
        b"image/jpeg"
    } else if bytes.starts_with(b"\x89PNG") {
        b"image/png"
    } else {
        return None;
    };
    let (width, height) = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    let mut block = Vec::with_capacity(bytes.len() + 64);
    for n in [3u32, mime.len() as u32] {
        block.extend(n.to_be_bytes());
    }
    block.extend(mime);
    for n in [0u32, width, height, 24, 0, bytes.len() as u32] {
        block.extend(n.to_be_bytes());
    }
    block.extend(&bytes);
    Some(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picture_block_is_flacs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cover.png");
        image::RgbImage::new(30, 20).save(&path).unwrap();
        let block = picture_block(&path).unwrap();
        let word = |i: usize| u32::from_be_bytes(block[i..i + 4].try_into().unwrap());
        assert_eq!(word(0), 3);
        assert_eq!(word(4), 9);
        assert_eq!(&block[8..17], b"image/png");
        assert_eq!((word(17), word(21), word(25)), (0, 30, 20));
        assert_eq!((word(29), word(33)), (24, 0));
        let len = word(37) as usize;
        assert_eq!(block.len(), 41 + len);
        assert!(block[41..].starts_with(b"\x89PNG"));
        std::fs::write(&path, b"GIF89a").unwrap();
        assert!(picture_block(&path).is_none());
    }
}
