//! Joining chunk audio into a WAV file: trimmed edges, short fades, structured pauses.
//!
//! Each chunk the model returns starts and ends with its own stretch of near-silence of varying
//! length. Trimming that to a fixed margin and fading the last few milliseconds to zero means
//! every join is silence meeting silence (no click), and the pause a listener hears between
//! sentences or paragraphs is the one chosen here, not an accident of the model. The file opens
//! with a short lead-in so a player never clips the first word.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::stages::synthesize::{SAMPLE_RATE, WAV_SPEC};
use crate::workdir::fsutil::AtomicFile;

/// Amplitude under which an edge sample counts as silence (about −46 dBFS).
const EDGE_THRESHOLD: f32 = 0.005;
/// Kept before the first and after the last audible sample of a chunk, so soft onsets and
/// releases (h, f, s) survive the trim.
const KEEP_BEFORE_SECS: f32 = 0.04;
const KEEP_AFTER_SECS: f32 = 0.08;
const FADE_IN_SECS: f32 = 0.004;
const FADE_OUT_SECS: f32 = 0.008;

/// Silences inserted by structure.
#[derive(Debug, Clone, Copy)]
pub struct Pauses {
    pub lead_in: f32,
    pub between_chunks: f32,
    pub between_paragraphs: f32,
    pub tail: f32,
}

impl Default for Pauses {
    fn default() -> Self {
        Pauses {
            lead_in: 0.25,
            between_chunks: 0.25,
            between_paragraphs: 0.7,
            tail: 0.4,
        }
    }
}

fn secs_to_samples(secs: f32) -> usize {
    (secs.max(0.0) * SAMPLE_RATE as f32).round() as usize
}

/// The audible part of a chunk with a small margin, faded in and out.
pub fn shape_chunk(samples: &[f32]) -> Vec<f32> {
    shape(samples, shape_range(samples))
}

/// Where the audible part of a chunk lies, with its small margins; empty when nothing is
/// audible.
pub fn shape_range(samples: &[f32]) -> std::ops::Range<usize> {
    let first = samples.iter().position(|s| s.abs() > EDGE_THRESHOLD);
    let last = samples.iter().rposition(|s| s.abs() > EDGE_THRESHOLD);
    let (Some(first), Some(last)) = (first, last) else {
        return 0..0;
    };
    let start = first.saturating_sub(secs_to_samples(KEEP_BEFORE_SECS));
    let end = (last + 1 + secs_to_samples(KEEP_AFTER_SECS)).min(samples.len());
    start..end
}

/// `samples[range]`, faded in and out.
pub fn shape(samples: &[f32], range: std::ops::Range<usize>) -> Vec<f32> {
    let mut out = samples[range].to_vec();
    fade(
        &mut out,
        secs_to_samples(FADE_IN_SECS),
        secs_to_samples(FADE_OUT_SECS),
    );
    out
}

/// Raised-cosine ramps at both ends, reaching exactly zero at the edges.
fn fade(samples: &mut [f32], fade_in: usize, fade_out: usize) {
    let n = samples.len();
    let fade_in = fade_in.min(n / 2);
    let fade_out = fade_out.min(n / 2);
    let gain =
        |i: usize, len: usize| 0.5 - 0.5 * (std::f32::consts::PI * i as f32 / len as f32).cos();
    for (i, s) in samples[..fade_in].iter_mut().enumerate() {
        *s *= gain(i, fade_in);
    }
    for (i, s) in samples[n - fade_out..].iter_mut().rev().enumerate() {
        *s *= gain(i, fade_out);
    }
}

fn to_i16(x: f32) -> i16 {
    (x.clamp(-1.0, 1.0) * i16::MAX as f32).round() as i16
}

/// A 24 kHz mono 16-bit WAV being written; it appears at its path only when finished.
pub struct WavAssembler {
    file: Option<AtomicFile>,
    writer: hound::WavWriter<BufWriter<File>>,
    pauses: Pauses,
    chunks: usize,
    samples: u64,
}

impl WavAssembler {
    pub fn create(dest: &Path, pauses: Pauses) -> anyhow::Result<WavAssembler> {
        let file = AtomicFile::create(dest)?;
        let writer = hound::WavWriter::new(file.writer()?, WAV_SPEC)
            .with_context(|| format!("cannot write {}", dest.display()))?;
        let mut wav = WavAssembler {
            file: Some(file),
            writer,
            pauses,
            chunks: 0,
            samples: 0,
        };
        wav.silence(pauses.lead_in)?;
        Ok(wav)
    }

    fn silence(&mut self, secs: f32) -> anyhow::Result<()> {
        for _ in 0..secs_to_samples(secs) {
            self.writer
                .write_sample(0i16)
                .context("cannot write audio")?;
        }
        self.samples += secs_to_samples(secs) as u64;
        Ok(())
    }

    /// Appends one chunk, preceded by the pause its place in the text calls for.
    pub fn push_chunk(&mut self, samples: &[f32], starts_paragraph: bool) -> anyhow::Result<()> {
        let shaped = shape_chunk(samples);
        if self.chunks > 0 {
            let pause = if starts_paragraph {
                self.pauses.between_paragraphs
            } else {
                self.pauses.between_chunks
            };
            self.silence(pause)?;
        }
        let mut writer = self.writer.get_i16_writer(shaped.len() as u32);
        for &s in &shaped {
            writer.write_sample(to_i16(s));
        }
        writer.flush().context("cannot write audio")?;
        self.samples += shaped.len() as u64;
        self.chunks += 1;
        Ok(())
    }

    /// Seconds written so far: the lead-in, the chunks and the pauses between them.
    pub fn duration_secs(&self) -> f64 {
        self.samples as f64 / SAMPLE_RATE as f64
    }

    /// Seconds the file will hold once [`finish`](Self::finish) has added the tail.
    pub fn finished_secs(&self) -> f64 {
        (self.samples + secs_to_samples(self.pauses.tail) as u64) as f64 / SAMPLE_RATE as f64
    }

    /// Writes the tail, finalizes the header and moves the file into place.
    pub fn finish(mut self) -> anyhow::Result<PathBuf> {
        self.silence(self.pauses.tail)?;
        let file = self
            .file
            .take()
            .expect("finish is called once. This is a bug");
        self.writer
            .finalize()
            .context("cannot finish the WAV file")?;
        file.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone_with_silence(pre: usize, body: usize, post: usize) -> Vec<f32> {
        let mut v = vec![0.0; pre];
        v.extend((0..body).map(|i| 0.5 * (i as f32 * 0.07).sin() + 0.2));
        v.extend(vec![0.0; post]);
        v
    }

    #[test]
    fn chunks_are_trimmed_to_margins_and_fade_to_zero() {
        let raw = tone_with_silence(12_000, 24_000, 12_000);
        let shaped = shape_chunk(&raw);
        let expected =
            24_000 + secs_to_samples(KEEP_BEFORE_SECS) + secs_to_samples(KEEP_AFTER_SECS);
        assert!(
            (shaped.len() as i64 - expected as i64).abs() <= 2,
            "{}",
            shaped.len()
        );
        assert_eq!(shaped[0], 0.0);
        assert!(shaped.last().unwrap().abs() < 1e-3);
    }

    #[test]
    fn joins_have_no_jump() {
        // A chunk that ends abruptly at full level must still end at zero.
        let raw: Vec<f32> = vec![0.8; 4_800];
        let shaped = shape_chunk(&raw);
        assert!(shaped[0].abs() < 1e-6 && shaped.last().unwrap().abs() < 0.01);
        // The largest step between neighbouring samples stays small at the edges.
        let max_step = shaped
            .windows(2)
            .take(200)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max);
        assert!(max_step < 0.02, "{max_step}");
    }

    #[test]
    fn wav_has_lead_in_pauses_and_right_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.wav");
        let pauses = Pauses::default();
        let mut wav = WavAssembler::create(&path, pauses).unwrap();
        let chunk = tone_with_silence(0, 24_000, 0);
        wav.push_chunk(&chunk, true).unwrap();
        wav.push_chunk(&chunk, false).unwrap();
        wav.push_chunk(&chunk, true).unwrap();
        wav.finish().unwrap();

        let reader = hound::WavReader::open(&path).unwrap();
        let spec = reader.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 24_000, 16)
        );
        let samples: Vec<i16> = reader.into_samples().map(|s| s.unwrap()).collect();
        let lead = secs_to_samples(pauses.lead_in);
        assert!(samples[..lead].iter().all(|&s| s == 0));
        let expected = lead
            + 3 * 24_000
            + secs_to_samples(pauses.between_chunks)
            + secs_to_samples(pauses.between_paragraphs)
            + secs_to_samples(pauses.tail);
        assert!(
            (samples.len() as i64 - expected as i64).abs() <= 6,
            "{} vs {expected}",
            samples.len()
        );
    }

    #[test]
    fn the_finished_length_is_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.wav");
        let mut wav = WavAssembler::create(&dest, Pauses::default()).unwrap();
        wav.push_chunk(&tone_with_silence(100, 30_000, 100), true)
            .unwrap();
        wav.push_chunk(&tone_with_silence(100, 20_000, 100), false)
            .unwrap();
        let promised = wav.finished_secs();
        assert!(promised > wav.duration_secs());
        let path = wav.finish().unwrap();
        let reader = hound::WavReader::open(path).unwrap();
        let actual = reader.duration() as f64 / reader.spec().sample_rate as f64;
        assert!((promised - actual).abs() < 1e-6, "{promised} vs {actual}");
    }
}
