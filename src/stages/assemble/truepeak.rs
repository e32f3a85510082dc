//! True peaks: the waveform's peaks between samples, found by interpolating 8 points per
//! sample, which at Kokoro's 24 kHz is the 192 kHz that ITU-R BS.1770-4 (Annex 2) asks a
//! true-peak meter to reach. The limiter finds the peaks it must hold this way, and the
//! mastering measures its result this way: `ebur128`'s own meter interpolates 4 points at
//! 24 kHz, which reads a chapter up to 0.1 dB lower than a 192 kHz meter (ffmpeg's) does.
//!
//! Each interpolation phase is a 48-tap Kaiser-windowed sinc (β = 8), flat within 0.01 dB up
//! to 0.45 of the sample rate: Kokoro's sibilants reach 11 kHz, and a 12-tap interpolator
//! reads them 2–6 dB low.

/// Points interpolated per sample, the sample itself included.
const OVERSAMPLE: usize = 8;
/// Taps of each interpolation phase.
const TAPS: usize = 48;
/// Samples either side of the one interpolated.
pub const HALF: usize = TAPS / 2;
/// The Kaiser window's shape.
const BETA: f64 = 8.0;

/// Peaks around each sample as samples stream in. A sample's peak is known once `HALF`
/// samples after it have arrived.
pub struct Oversampler {
    phases: Vec<[f64; TAPS]>,
    /// The last `TAPS` samples, twice over, so they are always one contiguous slice.
    ring: Vec<f64>,
    at: usize,
}

impl Default for Oversampler {
    fn default() -> Self {
        Self::new()
    }
}

impl Oversampler {
    pub fn new() -> Oversampler {
        Oversampler {
            phases: interpolation_phases(),
            ring: vec![0.0; 2 * TAPS],
            at: 0,
        }
    }

    /// Takes the next sample; returns the sample `HALF` places back and the largest
    /// magnitude of the waveform from it to the next sample (the sample and 7 points
    /// between).
    pub fn push(&mut self, x: f64) -> (f64, f64) {
        self.ring[self.at] = x;
        self.ring[self.at + TAPS] = x;
        self.at = (self.at + 1) % TAPS;
        let window = &self.ring[self.at..self.at + TAPS];
        let centre = window[HALF - 1];
        let mut peak = centre.abs();
        for taps in &self.phases {
            let v: f64 = taps.iter().zip(window).map(|(h, s)| h * s).sum();
            peak = peak.max(v.abs());
        }
        (centre, peak)
    }
}

/// The true peak of a stream, as BS.1770-4 defines it at 192 kHz.
#[derive(Default)]
pub struct TruePeakMeter {
    oversampler: Oversampler,
    peak: f64,
    pushed: usize,
}

impl TruePeakMeter {
    pub fn add(&mut self, samples: &[f32]) {
        for &s in samples {
            let (_, peak) = self.oversampler.push(s as f64);
            self.pushed += 1;
            self.peak = self.peak.max(peak);
        }
    }

    /// The true peak in dBTP (−∞ for silence), the last samples' included.
    pub fn true_peak_db(mut self) -> f64 {
        for _ in 0..HALF.min(self.pushed) {
            let (_, peak) = self.oversampler.push(0.0);
            self.peak = self.peak.max(peak);
        }
        if self.peak > 0.0 {
            20.0 * self.peak.log10()
        } else {
            f64::NEG_INFINITY
        }
    }
}

/// The interpolation filters for the 7 positions between two samples: a sinc windowed by a
/// Kaiser window, each phase scaled to unit gain at DC.
fn interpolation_phases() -> Vec<[f64; TAPS]> {
    (1..OVERSAMPLE)
        .map(|p| {
            let frac = p as f64 / OVERSAMPLE as f64;
            let mut taps = [0.0; TAPS];
            for (k, tap) in taps.iter_mut().enumerate() {
                // Tap k weighs the sample at offset k - (HALF - 1) from the centre.
                let t = k as f64 - (HALF as f64 - 1.0) - frac;
                let sinc = if t == 0.0 {
                    1.0
                } else {
                    (std::f64::consts::PI * t).sin() / (std::f64::consts::PI * t)
                };
                let x = t / HALF as f64;
                let window = bessel_i0(BETA * (1.0 - x * x).max(0.0).sqrt()) / bessel_i0(BETA);
                *tap = sinc * window;
            }
            let sum: f64 = taps.iter().sum();
            for tap in taps.iter_mut() {
                *tap /= sum;
            }
            taps
        })
        .collect()
}

/// The modified Bessel function of the first kind, order 0, by its power series.
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-12 * sum {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        k += 1.0;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sine faded in and out over 1,000 samples, so no edge rings.
    fn sine(freq: f32, amp: f32, phase: f32) -> Vec<f32> {
        let n = 12_000;
        (0..n)
            .map(|i| {
                let edge = (i.min(n - 1 - i) as f32 / 1_000.0).min(1.0);
                let fade = 0.5 - 0.5 * (std::f32::consts::PI * edge).cos();
                fade * amp * (2.0 * std::f32::consts::PI * freq * i as f32 / 24_000.0 + phase).sin()
            })
            .collect()
    }

    #[test]
    fn a_sine_reads_its_amplitude_between_the_samples() {
        // A quarter of the sample rate, phased so every sample is 3 dB under the crest; and
        // 10.5 kHz, near the top of speech at 24 kHz.
        for (freq, phase) in [(6_000.0, std::f32::consts::FRAC_PI_4), (10_500.0, 1.9)] {
            let mut meter = TruePeakMeter::default();
            meter.add(&sine(freq, 0.5, phase));
            let db = meter.true_peak_db();
            assert!((db - 20.0 * 0.5f64.log10()).abs() < 0.02, "{freq} Hz: {db}");
        }
        assert_eq!(TruePeakMeter::default().true_peak_db(), f64::NEG_INFINITY);
    }
}
