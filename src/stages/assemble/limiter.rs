//! A lookahead true-peak limiter: the last step of mastering, which lets a chapter be raised to
//! its loudness target while no peak, between samples included, passes the ceiling.
//!
//! Kokoro's speech has sharp peaks (plosives, the onsets of stressed vowels) some 19 dB above
//! its loudness, so one gain per chapter that respects a −1 dBTP ceiling leaves most chapters
//! 2–4 LU under −16 LUFS. Only the peaks need to come down, by a few dB, for a few
//! milliseconds: what a lookahead limiter does without audible compression of the speech.
//!
//! - Peaks are found between the samples too (`truepeak.rs`: 8 points per sample, the
//!   192 kHz of BS.1770-4's true-peak meter), so the ceiling holds for the reconstructed
//!   waveform and not only for the stored samples.
//! - The gain each sample needs is looked ahead over 5 ms: a sliding minimum over the coming
//!   lookahead, then a moving average over the same span, so the gain has finished falling
//!   when the peak arrives and falls along a smooth ramp instead of a step (a click).
//! - It recovers exponentially (80 ms), smooth enough not to pump on syllables.
//! - Below the ceiling it does nothing: the gain is exactly 1 and the samples pass unchanged.
//!
//! Why our own: ffmpeg's `alimiter` detects sample peaks only, `loudnorm` reaches its target
//! by riding the gain over seconds (audible on speech), and the one Rust crate with a
//! true-peak limiter (`truepeak`) takes 44.1 kHz and up, not Kokoro's 24 kHz, on a newer
//! compiler than ours. The streaming design keeps memory flat over an hour-long chapter;
//! `ebur128` still measures the result.

use std::collections::VecDeque;

use super::truepeak::{HALF, Oversampler};

/// Lookahead and attack, in seconds.
pub const LOOKAHEAD_SECS: f64 = 0.005;
/// Time constant of the recovery, in seconds.
pub const RELEASE_SECS: f64 = 0.080;

/// Streams samples through the limiter. Output lags input by the lookahead and half the
/// interpolator; [`Limiter::finish`] flushes the rest, so the output has exactly as many
/// samples as went in.
pub struct Limiter {
    ceiling: f64,
    lookahead: usize,
    release: f64,
    oversampler: Oversampler,
    /// Samples waiting for their gain.
    delay: VecDeque<f64>,
    /// (index, gain needed) pairs forming the sliding-window minimum.
    minimum: VecDeque<(u64, f64)>,
    /// Gains needed, not yet covered by a full lookahead window.
    needed: u64,
    /// The released gains of the last `lookahead + 1` samples, and their sum.
    recent: VecDeque<f64>,
    recent_sum: f64,
    released: f64,
    /// Input samples seen so far.
    seen: u64,
    /// Samples pushed, the silence around the input included.
    pushed: u64,
    /// Outputs still to drop: those of the silence put before the input, so the gain can
    /// start falling before the first sample.
    skip: usize,
    /// Real samples given out.
    emitted: u64,
    /// The least gain applied, for reporting.
    least_gain: f64,
}

impl Limiter {
    /// A limiter holding true peaks at or under `ceiling_db` dBTP at `sample_rate` Hz.
    pub fn new(ceiling_db: f64, sample_rate: u32) -> Limiter {
        let lookahead = ((LOOKAHEAD_SECS * sample_rate as f64).round() as usize).max(1);
        let mut limiter = Limiter {
            ceiling: 10f64.powf(ceiling_db / 20.0),
            lookahead,
            release: 1.0 - (-1.0 / (RELEASE_SECS * sample_rate as f64)).exp(),
            oversampler: Oversampler::new(),
            delay: VecDeque::new(),
            minimum: VecDeque::new(),
            needed: 0,
            recent: VecDeque::new(),
            recent_sum: 0.0,
            released: 1.0,
            seen: 0,
            pushed: 0,
            skip: 0,
            emitted: 0,
            least_gain: 1.0,
        };
        // The input is taken as preceded by a lookahead of silence, so a peak in its first
        // milliseconds is met with a ramp that starts before it, as any other peak is.
        let mut nothing = Vec::new();
        for _ in 0..limiter.lookahead {
            limiter.advance(0.0, &mut nothing);
        }
        limiter.skip = limiter.lookahead;
        limiter
    }

    /// Feeds samples (full scale ±1.0); limited samples that are ready go to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        for &x in input {
            self.push(x as f64, out);
        }
    }

    /// Flushes the samples still in the lookahead; returns the least gain applied.
    pub fn finish(mut self, out: &mut Vec<f32>) -> f64 {
        while self.emitted < self.seen {
            self.advance(0.0, out);
        }
        self.least_gain
    }

    fn push(&mut self, x: f64, out: &mut Vec<f32>) {
        self.seen += 1;
        self.advance(x, out);
    }

    fn advance(&mut self, x: f64, out: &mut Vec<f32>) {
        self.pushed += 1;
        let (centre, peak) = self.oversampler.push(x);
        // The sample HALF places back has HALF samples either side: its true peak is
        // known. Until the first real sample gets there, the centre is padding.
        if self.pushed <= HALF as u64 {
            return;
        }
        let need = if peak > self.ceiling {
            self.ceiling / peak
        } else {
            1.0
        };
        let index = self.needed;
        self.needed += 1;
        self.delay.push_back(centre);
        while self.minimum.back().is_some_and(|&(_, g)| g >= need) {
            self.minimum.pop_back();
        }
        self.minimum.push_back((index, need));
        // The window of the sample `lookahead` back is now complete.
        let Some(start) = index.checked_sub(self.lookahead as u64) else {
            return;
        };
        while self.minimum.front().is_some_and(|&(i, _)| i < start) {
            self.minimum.pop_front();
        }
        let held = self.minimum.front().map_or(1.0, |&(_, g)| g);
        self.released = held.min(self.released + (1.0 - self.released) * self.release);
        self.recent.push_back(self.released);
        self.recent_sum += self.released;
        if self.recent.len() > self.lookahead + 1 {
            self.recent_sum -= self.recent.pop_front().unwrap_or(1.0);
        }
        // Before the first full window the missing gains are 1 (nothing was limited).
        let missing = (self.lookahead + 1 - self.recent.len()) as f64;
        let gain = ((self.recent_sum + missing) / (self.lookahead + 1) as f64).min(1.0);
        // The gain of the sample at `start`.
        let Some(sample) = self.delay.pop_front() else {
            return;
        };
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        self.least_gain = self.least_gain.min(gain);
        self.emitted += 1;
        out.push((sample * gain) as f32);
    }
}

/// Limits a whole signal at once.
#[cfg(test)]
pub fn limit(samples: &[f32], ceiling_db: f64, sample_rate: u32) -> Vec<f32> {
    let mut limiter = Limiter::new(ceiling_db, sample_rate);
    let mut out = Vec::with_capacity(samples.len());
    limiter.process(samples, &mut out);
    limiter.finish(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 24_000;

    fn true_peak_db(samples: &[f32]) -> f64 {
        let mut meter = super::super::truepeak::TruePeakMeter::default();
        meter.add(samples);
        meter.true_peak_db()
    }

    fn tone(freq: f32, amp: f32, secs: f32) -> Vec<f32> {
        (0..(secs * RATE as f32) as usize)
            .map(|i| amp * (2.0 * std::f32::consts::PI * freq * i as f32 / RATE as f32).sin())
            .collect()
    }

    #[test]
    fn below_the_ceiling_nothing_changes() {
        let quiet = tone(440.0, 0.3, 0.5);
        let out = limit(&quiet, -1.0, RATE);
        assert_eq!(out.len(), quiet.len());
        assert_eq!(out, quiet);
    }

    #[test]
    fn a_sharp_burst_is_held_under_the_ceiling_and_the_rest_is_untouched() {
        // Quiet speech-like tone with a 10 ms burst 12 dB over the ceiling in the middle.
        let mut signal = tone(300.0, 0.2, 1.5);
        let burst = tone(2_900.0, 3.5, 0.01);
        for (s, b) in signal[12_000..].iter_mut().zip(&burst) {
            *s += b;
        }
        assert!(true_peak_db(&signal) > 10.0);
        let out = limit(&signal, -1.0, RATE);
        assert_eq!(out.len(), signal.len());
        let peak = true_peak_db(&out);
        assert!(peak <= -1.0 + 0.05, "true peak {peak:.2} dBTP");
        // A tenth of a second before the burst (beyond the lookahead) and a second's
        // fraction after the release, the samples are the input's.
        assert_eq!(out[..9_000], signal[..9_000]);
        let tail = 12_240 + (RELEASE_SECS * 10.0 * RATE as f64) as usize;
        for (o, s) in out[tail..].iter().zip(&signal[tail..]) {
            assert!((o - s).abs() < 1e-4, "{o} {s}");
        }
    }

    #[test]
    fn inter_sample_peaks_are_caught() {
        // A tone at a quarter of the sample rate, phase-shifted so every stored sample sits
        // 3 dB under the waveform's crest: sample peaks alone would let it through.
        let amp = 1.0;
        let signal: Vec<f32> = (0..RATE as usize / 2)
            .map(|i| {
                let phase = std::f32::consts::FRAC_PI_4;
                amp * (std::f32::consts::FRAC_PI_2 * i as f32 + phase).sin()
            })
            .collect();
        let sample_peak = signal.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(20.0 * sample_peak.log10() < -2.9);
        let out = limit(&signal, -1.0, RATE);
        let peak = true_peak_db(&out);
        assert!(peak <= -0.95, "true peak {peak:.2} dBTP");
    }

    #[test]
    fn peaks_of_high_frequencies_are_caught() {
        // 10.5 kHz at 1.4 (+2.9 dB), near the top of what Kokoro makes at 24 kHz, as in
        // sibilants. The output is the same sinusoid scaled by the gain, so its true peak is
        // the gain times 1.4 exactly (a meter's own interpolation reads such tones up to
        // 0.8 dB high at some phases, which the chapter's verification pass answers).
        for phase in [0.0f32, 0.7, 1.9] {
            let signal: Vec<f32> = (0..RATE as usize / 4)
                .map(|i| {
                    1.4 * (2.0 * std::f32::consts::PI * 10_500.0 * i as f32 / RATE as f32 + phase)
                        .sin()
                })
                .collect();
            let out = limit(&signal, -1.0, RATE);
            let gain = (out[3_001] / signal[3_001]) as f64;
            let peak_db = 20.0 * (gain * 1.4).log10();
            assert!(
                (-1.05..=-0.99).contains(&peak_db),
                "phase {phase}: true peak {peak_db:.3} dBTP"
            );
        }
    }

    #[test]
    fn the_gain_ramps_instead_of_stepping() {
        // Silence, then a level 6 dB over the ceiling, then a quiet one: the gain falls along
        // a ramp of one lookahead, holds, and recovers smoothly.
        let mut signal = vec![0.0f32; 4_800];
        signal.extend(vec![2.0f32; 2_400]);
        signal.extend(vec![0.5f32; 9_600]);
        let out = limit(&signal, -1.0, RATE);
        let ceiling = 10f32.powf(-1.0 / 20.0);
        assert!(out.iter().all(|s| *s <= ceiling + 1e-4));
        let gains: Vec<f32> = out[4_800..]
            .iter()
            .zip(&signal[4_800..])
            .map(|(o, s)| o / s)
            .collect();
        let least = gains.iter().fold(1f32, |m, g| m.min(*g));
        let lookahead = (LOOKAHEAD_SECS * RATE as f64) as f32;
        let fastest = gains
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0f32, f32::max);
        assert!(fastest <= (1.0 - least) / lookahead * 1.05, "{fastest}");
        // Held at the ceiling in the middle of the loud part; back to the input after.
        assert!((out[6_000] - ceiling).abs() < 1e-3, "{}", out[6_000]);
        assert!((out[16_000] - 0.5).abs() < 5e-3, "{}", out[16_000]);
    }

    #[test]
    fn streaming_in_pieces_gives_the_same_samples() {
        let mut signal = tone(500.0, 1.8, 0.3);
        signal.extend(tone(150.0, 0.4, 0.3));
        let whole = limit(&signal, -2.0, RATE);
        let mut limiter = Limiter::new(-2.0, RATE);
        let mut pieces = Vec::new();
        for part in signal.chunks(777) {
            limiter.process(part, &mut pieces);
        }
        limiter.finish(&mut pieces);
        assert_eq!(whole, pieces);
    }
}
