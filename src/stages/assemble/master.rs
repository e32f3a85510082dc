//! Mastering: what loudness a chapter is brought to, and the measurements that say whether it
//! got there.
//!
//! Two targets are common for audiobooks. EBU R 128 / ITU-R BS.1770 integrated loudness,
//! −16 LUFS with true peaks at or under −1 dBTP, is what podcast and audiobook players expect
//! and bookvoice's default. ACX (Audible's submission rules) asks instead for an RMS level
//! between −23 and −18 dB over the file, with peaks at or under −3 dB; the preset aims at
//! the middle, −20 dB. Either way one gain brings the chapter to the target and the
//! lookahead true-peak limiter (`limiter.rs`) takes the few peaks that would pass the
//! ceiling, so every chapter lands on the target instead of wherever its loudest plosive
//! allowed. `off` leaves the model's level alone.
//!
//! Measurements use `ebur128` (integrated loudness and loudness range as BS.1770-4 and EBU
//! Tech 3342 define them) over exactly the samples written to the file. The true peak is the
//! higher of two meters' readings, `truepeak.rs` at 192 kHz and `ebur128`'s at 96 kHz: their
//! interpolators disagree by a tenth of a dB on sibilants, and a file should pass either.

use ebur128::{EbuR128, Mode};
use serde::{Deserialize, Serialize};

use super::truepeak::TruePeakMeter;

/// The ACX range's middle: RMS −23 to −18 dB.
pub const ACX_RMS_DB: f64 = -20.0;
/// ACX's peak limit.
pub const ACX_PEAK_DB: f64 = -3.0;

/// Which target a chapter is brought to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// `target_lufs` integrated, true peaks at or under `max_true_peak_db`.
    #[default]
    Standard,
    /// ACX: RMS −20 dB over the file, true peaks at or under −3 dBTP.
    Acx,
    /// The model's own level, untouched.
    Off,
}

/// What each chapter is brought to: by default −16 LUFS integrated (the usual target for
/// spoken word) with true peaks at or under −1 dBTP. `[loudness]` in the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Loudness {
    pub preset: Preset,
    /// Integrated loudness for `standard`, in LUFS.
    pub target_lufs: f64,
    /// The true-peak ceiling for `standard`, in dBTP.
    pub max_true_peak_db: f64,
}

impl Default for Loudness {
    fn default() -> Self {
        Loudness {
            preset: Preset::Standard,
            target_lufs: -16.0,
            max_true_peak_db: -1.0,
        }
    }
}

/// A level measured one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Integrated loudness, LUFS.
    IntegratedLufs,
    /// RMS over the whole file, dBFS (a full-scale sine reads −3 dB).
    RmsDb,
}

/// A target and a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Goal {
    pub measure: Measure,
    pub target: f64,
    pub ceiling_db: f64,
}

impl Loudness {
    /// The goal of this setting; `None` for `off`.
    pub fn goal(&self) -> Option<Goal> {
        match self.preset {
            Preset::Standard => Some(Goal {
                measure: Measure::IntegratedLufs,
                target: self.target_lufs,
                ceiling_db: self.max_true_peak_db,
            }),
            Preset::Acx => Some(Goal {
                measure: Measure::RmsDb,
                target: ACX_RMS_DB,
                ceiling_db: ACX_PEAK_DB,
            }),
            Preset::Off => None,
        }
    }

    /// Errors: a target or ceiling out of any sensible range (the message names the key).
    pub fn validate(&self) -> Result<(), String> {
        if !(-40.0..=-5.0).contains(&self.target_lufs) {
            return Err(format!(
                "[loudness] target_lufs must be between -40 and -5 LUFS, not {}",
                self.target_lufs
            ));
        }
        if !(-20.0..=0.0).contains(&self.max_true_peak_db) {
            return Err(format!(
                "[loudness] max_true_peak_db must be between -20 and 0 dBTP, not {}",
                self.max_true_peak_db
            ));
        }
        Ok(())
    }
}

/// A chapter's level as measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// Integrated loudness (LUFS); −∞ for silence.
    pub integrated_lufs: f64,
    /// Loudness range (LU), when measured.
    pub range_lu: Option<f64>,
    /// True peak (dBTP), when measured; −∞ for silence.
    pub true_peak_db: Option<f64>,
    /// RMS over every sample, silences included (dBFS, full-scale sine −3 dB).
    pub rms_db: f64,
    pub seconds: f64,
}

impl Figures {
    pub fn level(&self, measure: Measure) -> f64 {
        match measure {
            Measure::IntegratedLufs => self.integrated_lufs,
            Measure::RmsDb => self.rms_db,
        }
    }
}

/// Measures samples as they stream by.
pub struct Meter {
    ebur: EbuR128,
    modes: Mode,
    /// With `full`.
    peak: Option<TruePeakMeter>,
    squares: f64,
    samples: u64,
    rate: u32,
}

impl Meter {
    /// A meter of integrated loudness and RMS, plus loudness range and true peak with `full`.
    pub fn new(rate: u32, full: bool) -> anyhow::Result<Meter> {
        let modes = if full {
            Mode::I | Mode::LRA | Mode::TRUE_PEAK
        } else {
            Mode::I
        };
        Ok(Meter {
            ebur: EbuR128::new(1, rate, modes)
                .map_err(|e| anyhow::anyhow!("cannot set up the loudness meter: {e}"))?,
            modes,
            peak: full.then(TruePeakMeter::default),
            squares: 0.0,
            samples: 0,
            rate,
        })
    }

    pub fn add(&mut self, samples: &[f32]) -> anyhow::Result<()> {
        self.ebur
            .add_frames_f32(samples)
            .map_err(|e| anyhow::anyhow!("cannot measure loudness: {e}"))?;
        if let Some(peak) = &mut self.peak {
            peak.add(samples);
        }
        self.squares += samples
            .iter()
            .map(|&s| (s as f64) * (s as f64))
            .sum::<f64>();
        self.samples += samples.len() as u64;
        Ok(())
    }

    pub fn figures(self) -> Figures {
        let rms = (self.squares / self.samples.max(1) as f64).sqrt();
        // RMS in dBFS with a full-scale sine at −3 dB, as ACX's checker and most editors read it.
        let rms_db = if rms > 0.0 {
            20.0 * rms.log10()
        } else {
            f64::NEG_INFINITY
        };
        let full = self.modes.contains(Mode::LRA);
        Figures {
            integrated_lufs: self.ebur.loudness_global().unwrap_or(f64::NEG_INFINITY),
            range_lu: full.then(|| self.ebur.loudness_range().ok()).flatten(),
            true_peak_db: self.peak.map(|ours| {
                let theirs = self
                    .ebur
                    .true_peak(0)
                    .ok()
                    .filter(|p| *p > 0.0)
                    .map_or(f64::NEG_INFINITY, |p| 20.0 * p.log10());
                ours.true_peak_db().max(theirs)
            }),
            rms_db,
            seconds: self.samples as f64 / self.rate as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(amp: f32, secs: f32) -> Vec<f32> {
        (0..(secs * 24_000.0) as usize)
            .map(|i| amp * (2.0 * std::f32::consts::PI * 997.0 * i as f32 / 24_000.0).sin())
            .collect()
    }

    #[test]
    fn a_full_scale_sine_reads_as_editors_read_it() {
        let mut meter = Meter::new(24_000, true).unwrap();
        meter.add(&sine(1.0, 3.0)).unwrap();
        let f = meter.figures();
        assert!((f.rms_db + 3.01).abs() < 0.02, "{f:?}");
        // BS.1770: a 997 Hz sine at 0 dBFS reads −3.01 LUFS.
        assert!((f.integrated_lufs + 3.01).abs() < 0.1, "{f:?}");
        assert!(f.true_peak_db.unwrap().abs() < 0.1, "{f:?}");
        assert!((f.seconds - 3.0).abs() < 1e-9);
    }

    #[test]
    fn presets_have_their_goals() {
        let standard = Loudness::default().goal().unwrap();
        assert_eq!(
            (standard.measure, standard.target, standard.ceiling_db),
            (Measure::IntegratedLufs, -16.0, -1.0)
        );
        let acx = Loudness {
            preset: Preset::Acx,
            ..Loudness::default()
        };
        assert_eq!(acx.goal().unwrap().measure, Measure::RmsDb);
        assert_eq!(acx.goal().unwrap().ceiling_db, -3.0);
        let off = Loudness {
            preset: Preset::Off,
            ..Loudness::default()
        };
        assert_eq!(off.goal(), None);
        let loud = Loudness {
            target_lufs: 3.0,
            ..Loudness::default()
        };
        assert!(loud.validate().unwrap_err().contains("target_lufs"));
    }
}
