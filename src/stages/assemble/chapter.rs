//! A chapter's WAV from its stored chunks: silences chosen by the script's structure, and the
//! whole brought to an audiobook's loudness.
//!
//! Pauses come from what the text is — a heading, a paragraph, a line of verse, an
//! illustration, a section break — and are settings (`[pauses]` in `bookvoice.toml`), not
//! punctuation tricks in the text. Loudness is measured over the chapter with EBU R 128
//! (`ebur128`) in a first pass over the chunk files, then the chapter is written with one
//! gain that brings it to −16 LUFS, lowered where needed so the true peak stays at or under
//! −1 dBTP (both settable in `[loudness]`). Every chapter at the target makes the book at the
//! target, and keeps chapters equally loud when a player jumps between them. Both passes stream chunk by chunk, so memory does not grow with the chapter.

use std::path::Path;

use anyhow::Context;
use ebur128::{EbuR128, Mode};
use serde::{Deserialize, Serialize};

use crate::stages::script::parse::Kind;
use crate::stages::synthesize::chapter::{ChunkStore, PlannedUnit};
use crate::stages::synthesize::{SAMPLE_RATE, WAV_SPEC};
use crate::workdir::fsutil::AtomicFile;

/// What each chapter is brought to: by default −16 LUFS integrated (the usual target for
/// spoken word) with true peaks at or under −1 dBTP.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Loudness {
    pub target_lufs: f64,
    pub max_true_peak_db: f64,
}

impl Default for Loudness {
    fn default() -> Self {
        Loudness {
            target_lufs: -16.0,
            max_true_peak_db: -1.0,
        }
    }
}

/// Silences, in seconds, by what comes before or after them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pauses {
    /// Before the first word of a chapter, so no player clips it.
    pub lead_in: f32,
    /// Between the chunks of one paragraph (where a long paragraph was cut, at a sentence).
    pub sentence: f32,
    pub paragraph: f32,
    pub heading: f32,
    pub verse_line: f32,
    pub list_item: f32,
    /// Before and after an image description.
    pub illustration: f32,
    pub section_break: f32,
    /// After the last word.
    pub tail: f32,
}

impl Default for Pauses {
    fn default() -> Self {
        Pauses {
            lead_in: 0.5,
            sentence: 0.3,
            paragraph: 0.7,
            heading: 1.2,
            verse_line: 0.35,
            list_item: 0.45,
            illustration: 0.9,
            section_break: 1.6,
            tail: 1.0,
        }
    }
}

impl Pauses {
    fn after(&self, kind: Kind) -> f32 {
        match kind {
            Kind::Heading => self.heading,
            Kind::Paragraph | Kind::Verse { last: true } => self.paragraph,
            Kind::Verse { last: false } => self.verse_line,
            Kind::ListItem => self.list_item,
            Kind::Illustration => self.illustration,
            Kind::SectionBreak => self.section_break,
        }
    }

    fn before(&self, kind: Kind) -> f32 {
        match kind {
            Kind::Illustration => self.illustration,
            Kind::Heading => self.paragraph,
            _ => 0.0,
        }
    }
}

/// What assembling a chapter found and did.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterAudio {
    pub seconds: f64,
    /// Integrated loudness before the gain, in LUFS.
    pub measured_lufs: f64,
    pub gain_db: f64,
}

/// The chapter's audio as a sequence of chunk keys and silences.
enum Piece<'a> {
    Silence(f32),
    Chunk(&'a str),
}

fn pieces<'a>(planned: &'a [PlannedUnit], pauses: &Pauses) -> Vec<Piece<'a>> {
    let mut out = vec![Piece::Silence(pauses.lead_in)];
    let mut pending: Option<f32> = None;
    for unit in planned {
        if unit.kind == Kind::SectionBreak {
            pending = Some(pending.unwrap_or(0.0).max(pauses.section_break));
            continue;
        }
        if unit.chunks.is_empty() {
            continue;
        }
        if let Some(p) = pending {
            out.push(Piece::Silence(p.max(pauses.before(unit.kind))));
        }
        for (i, (key, _)) in unit.chunks.iter().enumerate() {
            if i > 0 {
                out.push(Piece::Silence(pauses.sentence));
            }
            out.push(Piece::Chunk(key));
        }
        pending = Some(pauses.after(unit.kind));
    }
    out.push(Piece::Silence(pauses.tail));
    out
}

fn samples_of(secs: f32) -> usize {
    (secs.max(0.0) * SAMPLE_RATE as f32).round() as usize
}

/// Writes the chapter's WAV at `dest` from stored chunks.
pub fn assemble(
    planned: &[PlannedUnit],
    store: &ChunkStore,
    pauses: &Pauses,
    loudness: &Loudness,
    dest: &Path,
) -> anyhow::Result<ChapterAudio> {
    let pieces = pieces(planned, pauses);

    // Pass 1: loudness and true peak of the speech.
    let mut meter = EbuR128::new(1, SAMPLE_RATE, Mode::I | Mode::TRUE_PEAK)
        .context("cannot set up the loudness meter")?;
    for piece in &pieces {
        if let Piece::Chunk(key) = piece {
            meter
                .add_frames_i16(&store.read(key)?)
                .context("cannot measure loudness")?;
        }
    }
    let measured = meter.loudness_global().unwrap_or(f64::NEG_INFINITY);
    let peak = meter.true_peak(0).unwrap_or(0.0);
    let gain_db = if measured.is_finite() && peak > 0.0 {
        let peak_db = 20.0 * peak.log10();
        (loudness.target_lufs - measured).min(loudness.max_true_peak_db - peak_db)
    } else {
        0.0
    };
    let gain = 10f64.powf(gain_db / 20.0) as f32;

    // Pass 2: the file.
    let file = AtomicFile::create(dest)?;
    let mut writer = hound::WavWriter::new(file.writer()?, WAV_SPEC)
        .with_context(|| format!("cannot write {}", dest.display()))?;
    let mut total = 0usize;
    for piece in &pieces {
        match piece {
            Piece::Silence(secs) => {
                let n = samples_of(*secs);
                let mut w = writer.get_i16_writer(n as u32);
                for _ in 0..n {
                    w.write_sample(0);
                }
                w.flush()
                    .with_context(|| format!("cannot write {}", dest.display()))?;
                total += n;
            }
            Piece::Chunk(key) => {
                let samples = store.read(key)?;
                let mut w = writer.get_i16_writer(samples.len() as u32);
                for s in &samples {
                    let scaled = (*s as f32 * gain)
                        .round()
                        .clamp(i16::MIN as f32, i16::MAX as f32);
                    w.write_sample(scaled as i16);
                }
                w.flush()
                    .with_context(|| format!("cannot write {}", dest.display()))?;
                total += samples.len();
            }
        }
    }
    writer
        .finalize()
        .with_context(|| format!("cannot finish {}", dest.display()))?;
    file.commit()?;
    Ok(ChapterAudio {
        seconds: total as f64 / SAMPLE_RATE as f64,
        measured_lufs: measured,
        gain_db,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::chunk::Chunk;

    fn unit(kind: Kind, keys: &[&str]) -> PlannedUnit {
        PlannedUnit {
            kind,
            chunks: keys
                .iter()
                .map(|k| {
                    (
                        k.to_string(),
                        Chunk {
                            text: String::new(),
                            phonemes: String::new(),
                            ids: vec![],
                        },
                    )
                })
                .collect(),
        }
    }

    fn layout(planned: &[PlannedUnit]) -> Vec<String> {
        pieces(planned, &Pauses::default())
            .iter()
            .map(|p| match p {
                Piece::Silence(s) => format!("{s}"),
                Piece::Chunk(k) => k.to_string(),
            })
            .collect()
    }

    #[test]
    fn pauses_follow_the_structure() {
        let planned = vec![
            unit(Kind::Heading, &["h"]),
            unit(Kind::Paragraph, &["p1", "p2"]),
            unit(Kind::Illustration, &["i"]),
            unit(Kind::SectionBreak, &[]),
            unit(Kind::Verse { last: false }, &["v1"]),
            unit(Kind::Verse { last: true }, &["v2"]),
            unit(Kind::Paragraph, &["end"]),
        ];
        assert_eq!(
            layout(&planned),
            [
                "0.5", "h", "1.2", "p1", "0.3", "p2", "0.9", "i", "1.6", "v1", "0.35", "v2", "0.7",
                "end", "1"
            ]
        );
    }

    #[test]
    fn chapters_are_brought_to_target_loudness() {
        let dir = tempfile::tempdir().unwrap();
        let store = ChunkStore::new(dir.path());
        // A quiet "voice": a 220 Hz tone with a slow tremolo, well below -16 LUFS.
        let tone: Vec<f32> = (0..48_000)
            .map(|i| {
                let t = i as f32 / SAMPLE_RATE as f32;
                0.05 * (2.0 * std::f32::consts::PI * 220.0 * t).sin()
                    * (0.6 + 0.4 * (2.0 * std::f32::consts::PI * 3.0 * t).sin())
            })
            .collect();
        store.put("a", &tone).unwrap();
        store.put("b", &tone).unwrap();
        let planned = vec![unit(Kind::Paragraph, &["a"]), unit(Kind::Paragraph, &["b"])];
        let dest = dir.path().join("ch.wav");
        let target = Loudness::default();
        let audio = assemble(&planned, &store, &Pauses::default(), &target, &dest).unwrap();
        assert!(audio.gain_db > 6.0, "{audio:?}");
        let samples: Vec<i16> = hound::WavReader::open(&dest)
            .unwrap()
            .into_samples()
            .map(|s| s.unwrap())
            .collect();
        let mut meter = EbuR128::new(1, SAMPLE_RATE, Mode::I | Mode::TRUE_PEAK).unwrap();
        meter.add_frames_i16(&samples).unwrap();
        let lufs = meter.loudness_global().unwrap();
        assert!((lufs - target.target_lufs).abs() < 0.5, "{lufs}");
        let peak_db = 20.0 * meter.true_peak(0).unwrap().log10();
        assert!(peak_db <= target.max_true_peak_db + 0.1, "{peak_db}");
        let expected = 0.5 + 2.0 + 0.7 + 2.0 + 1.0;
        assert!((audio.seconds - expected).abs() < 0.01, "{}", audio.seconds);
    }
}
