//! The guard every chunk's audio passes before it is kept.
//!
//! Accelerator drivers and long-lived sessions fail quietly: a session can start returning
//! silence, NaNs or a truncated buffer after the first request. Nothing reaches the output
//! without passing [`check_audio`], so a bad session shows up as a retry (and, if it stays bad,
//! an error naming the chunk), never as silence in the audiobook.

use thiserror::Error;

use crate::stages::synthesize::SAMPLE_RATE;

/// Kokoro at speed 1 speaks roughly 60–120 ms per phoneme id; these bounds are deliberately
/// wide so only broken output trips them.
const MIN_SECS_PER_ID: f32 = 0.012;
const MAX_SECS_PER_ID: f32 = 0.6;
/// Full-scale RMS below this (about −60 dBFS) is silence, not speech.
const MIN_RMS: f32 = 0.001;

#[derive(Debug, Error, PartialEq)]
pub enum AudioFault {
    #[error("the model returned no audio")]
    Empty,
    #[error("the audio holds a non-finite sample (NaN or infinity) at {index}")]
    NonFinite { index: usize },
    #[error("the audio is silent (RMS {rms:.5})")]
    Silent { rms: f32 },
    #[error(
        "{secs:.2} s of audio is implausible for {ids} phonemes (expected {min:.2}–{max:.2} s)"
    )]
    ImplausibleLength {
        secs: f32,
        ids: usize,
        min: f32,
        max: f32,
    },
}

/// Checks one chunk's raw audio for `ids` phoneme ids spoken at `speed`.
pub fn check_audio(samples: &[f32], ids: usize, speed: f32) -> Result<(), AudioFault> {
    if samples.is_empty() {
        return Err(AudioFault::Empty);
    }
    if let Some(index) = samples.iter().position(|s| !s.is_finite()) {
        return Err(AudioFault::NonFinite { index });
    }
    let rms = (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt();
    if rms < MIN_RMS {
        return Err(AudioFault::Silent { rms });
    }
    let secs = samples.len() as f32 / SAMPLE_RATE as f32;
    let speed = speed.max(0.1);
    let min = ids as f32 * MIN_SECS_PER_ID / speed;
    let max = ids as f32 * MAX_SECS_PER_ID / speed + 1.0;
    if secs < min || secs > max {
        return Err(AudioFault::ImplausibleLength {
            secs,
            ids,
            min,
            max,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(secs: f32) -> Vec<f32> {
        let n = (secs * SAMPLE_RATE as f32) as usize;
        (0..n).map(|i| 0.3 * (i as f32 * 0.05).sin()).collect()
    }

    #[test]
    fn speech_like_audio_passes() {
        assert_eq!(check_audio(&tone(2.0), 25, 1.0), Ok(()));
    }

    #[test]
    fn silence_nan_and_empty_are_rejected() {
        assert!(matches!(
            check_audio(&vec![0.0; 48_000], 25, 1.0),
            Err(AudioFault::Silent { .. })
        ));
        let mut nan = tone(2.0);
        nan[100] = f32::NAN;
        assert_eq!(
            check_audio(&nan, 25, 1.0),
            Err(AudioFault::NonFinite { index: 100 })
        );
        assert_eq!(check_audio(&[], 25, 1.0), Err(AudioFault::Empty));
    }

    #[test]
    fn implausible_lengths_are_rejected() {
        // 100 ids in 50 ms is a truncated buffer; 5 ids in 30 s is a runaway.
        assert!(matches!(
            check_audio(&tone(0.05), 100, 1.0),
            Err(AudioFault::ImplausibleLength { .. })
        ));
        assert!(matches!(
            check_audio(&tone(30.0), 5, 1.0),
            Err(AudioFault::ImplausibleLength { .. })
        ));
    }
}
