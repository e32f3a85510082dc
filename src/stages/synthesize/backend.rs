//! The seam between the synthesis worker and whatever runs the model.
//!
//! A [`Backend`] is one live inference session on one device; a [`BackendFactory`] builds them.
//! The worker (see `worker.rs`) asks the factory for a session *on its own thread* and never
//! lets it leave, which is what keeps all accelerator work on one thread. The real
//! implementation is `ort.rs`; `fake.rs` scripts failures so the fallback logic can be tested
//! without a model or a GPU.

use std::fmt;

/// A device a session can run on. A CUDA device carries its ordinal among the visible GPUs
/// (`CUDA_VISIBLE_DEVICES` renumbers them from 0), and is written `cuda:N` everywhere: in the
/// log, in `--json` and in the lock's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Device {
    Cpu,
    Cuda(u32),
    CoreMl,
    DirectMl,
}

impl Device {
    pub fn is_accelerator(self) -> bool {
        self != Device::Cpu
    }

    /// The kind of device, without the ordinal: "cpu", "cuda", "coreml", "directml".
    pub fn kind(self) -> &'static str {
        match self {
            Device::Cpu => "cpu",
            Device::Cuda(_) => "cuda",
            Device::CoreMl => "coreml",
            Device::DirectMl => "directml",
        }
    }

    /// The device as a file-name part: "cpu", "cuda0", "cuda1"…
    pub fn slug(self) -> String {
        match self {
            Device::Cuda(n) => format!("cuda{n}"),
            other => other.kind().to_string(),
        }
    }

    /// The accelerator `--device auto` tries first on this platform, if any.
    pub fn platform_accelerator() -> Option<Device> {
        if cfg!(target_os = "macos") {
            Some(Device::CoreMl)
        } else if cfg!(target_os = "windows") {
            Some(Device::DirectMl)
        } else if cfg!(target_os = "linux") {
            Some(Device::Cuda(0))
        } else {
            None
        }
    }
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Device::Cuda(n) => write!(f, "cuda:{n}"),
            other => f.write_str(other.kind()),
        }
    }
}

/// As its display name, so a map keyed by device is a JSON object (`{"cuda:1": 12}`).
impl serde::Serialize for Device {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One utterance for the model: phoneme ids without the pads, the style vector, the speed.
#[derive(Debug, Clone, Copy)]
pub struct Utterance<'a> {
    pub ids: &'a [i64],
    pub style: &'a [f32],
    pub speed: f32,
    /// For a merged call, the separators between its parts (positions in `ids`): the only
    /// places a backend that decodes in windows may cut the audio (see `merge::windows`).
    pub joins: &'a [std::ops::Range<usize>],
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
    /// What runs, for the log: the model file's name, or the fake engine.
    fn model(&self) -> String;
    /// Whether [`Speech::durations`] will be filled in.
    fn reports_durations(&self) -> bool;
    /// The audio for one utterance, with the duration of each input position when known.
    fn infer(&mut self, utterance: Utterance<'_>) -> anyhow::Result<Speech>;
}

/// Builds sessions. Called on the worker thread only.
pub trait BackendFactory: Send + 'static {
    fn build(&mut self, device: Device) -> anyhow::Result<Box<dyn Backend>>;
}
