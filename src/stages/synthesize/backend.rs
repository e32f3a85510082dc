//! The seam between the synthesis worker and whatever runs the model.
//!
//! A [`Backend`] is one live inference session on one device; a [`BackendFactory`] builds them.
//! The worker (see `worker.rs`) asks the factory for a session *on its own thread* and never
//! lets it leave, which is what keeps all accelerator work on one thread. The real
//! implementation is `ort.rs`; `fake.rs` scripts failures so the fallback logic can be tested
//! without a model or a GPU.

use std::fmt;

/// A device a session can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    Cpu,
    Cuda,
    CoreMl,
    DirectMl,
}

impl Device {
    pub fn is_accelerator(self) -> bool {
        self != Device::Cpu
    }

    pub fn name(self) -> &'static str {
        match self {
            Device::Cpu => "cpu",
            Device::Cuda => "cuda",
            Device::CoreMl => "coreml",
            Device::DirectMl => "directml",
        }
    }

    /// The accelerator `--device auto` tries first on this platform, if any.
    pub fn platform_accelerator() -> Option<Device> {
        if cfg!(target_os = "macos") {
            Some(Device::CoreMl)
        } else if cfg!(target_os = "windows") {
            Some(Device::DirectMl)
        } else if cfg!(target_os = "linux") {
            Some(Device::Cuda)
        } else {
            None
        }
    }
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One utterance for the model: phoneme ids without the pads, the style vector, the speed.
#[derive(Debug, Clone, Copy)]
pub struct Utterance<'a> {
    pub ids: &'a [i64],
    pub style: &'a [f32],
    pub speed: f32,
}

/// What the model made of one utterance.
#[derive(Debug, Clone, Default)]
pub struct Speech {
    /// Raw audio samples at 24 kHz.
    pub samples: Vec<f32>,
    /// Frames (of [`FRAME_SAMPLES`] samples) the model gave each input position, the two pads
    /// included (so `ids.len() + 2` of them); `None` when the model does not report them (an
    /// upstream file without the output `scripts/add_durations.py` adds).
    pub durations: Option<Vec<u32>>,
}

/// Samples per duration frame: Kokoro's decoder makes 600 samples at 24 kHz (25 ms) per
/// predicted frame (checked on the v1.0 graph: the audio is exactly 600 × the frames' sum).
pub const FRAME_SAMPLES: usize = 600;

/// A live inference session on one device.
pub trait Backend {
    fn device(&self) -> Device;
    /// Whether [`Speech::durations`] will be filled in.
    fn reports_durations(&self) -> bool;
    /// The audio for one utterance, with the duration of each input position when known.
    fn infer(&mut self, utterance: Utterance<'_>) -> anyhow::Result<Speech>;
}

/// Builds sessions. Called on the worker thread only.
pub trait BackendFactory: Send + 'static {
    fn build(&mut self, device: Device) -> anyhow::Result<Box<dyn Backend>>;
}
