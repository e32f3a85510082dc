//! Kokoro through ONNX Runtime (`ort`, loaded at run time).
//!
//! The library is opened with `ort::init_from`, never `ort::init`, so a missing or wrong library
//! is an error rather than a panic. Input and output names and types are read from the model,
//! because the exports differ: the registry int8 file takes `tokens` and a float `speed`, some
//! upstream exports take `input_ids` and an integer `speed`. Accelerators are registered with
//! `error_on_failure`, so a provider that cannot start is reported to the worker (which falls
//! back) instead of ONNX Runtime quietly running everything on the CPU. ONNX Runtime's own
//! log comes through [`log_from_ort`]: while an accelerator session is built it names every
//! node that has no kernel there and so falls back to the CPU, and the log says which (the
//! float model that `scripts/dequantize.py` makes has none on CUDA). The small shape
//! computations ONNX Runtime keeps on the CPU by design are not fallbacks.
//!
//! On the CPU, where `make assets` has split the graph in two ([`CpuStages`]), a call runs as
//! two sessions: the prosody over the whole call, then the decoder over its frames a window at
//! a time ([`DECODE_MAX_FRAMES`]), because the decoder's working memory grows with the audio
//! it makes and the prosody's hardly at all. Between the two, the model's own silence is put
//! where the call's parts meet (`merge::Frames::insert_silence`), so that each part ends and
//! begins as the model ends and begins a call.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, anyhow, bail};
use ort::environment::Environment;
use ort::ep;
use ort::logging::LogLevel;
use ort::session::Session;
use ort::session::builder::SessionBuilder;
use ort::value::{Tensor, TensorElementType, ValueType};

use super::backend::{Backend, BackendFactory, Device, FRAME_SAMPLES, Speech, Utterance};
use super::merge;

/// The most frames (25 ms each) the CPU decodes in one run when it has the split graph: about
/// the audio of one 150-id chunk, so that the decoder needs no more working memory for a call
/// of 510 ids than for one chunk (BENCHMARKS.md). A part longer than this is decoded whole.
pub const DECODE_MAX_FRAMES: usize = 400;
/// [`DECODE_MAX_FRAMES`], or `BOOKVOICE_DECODE_MAX_FRAMES` where set: a knob for measuring
/// memory against window length.
fn decode_max_frames() -> usize {
    std::env::var("BOOKVOICE_DECODE_MAX_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DECODE_MAX_FRAMES)
        .max(1)
}

/// Frames of context decoded on each side of a window and then dropped. The decoder's
/// convolutions look a few frames either way; with none, Whisper lost about a third more of
/// The Waste Land's English words than with the whole call decoded at once, and with 10 as
/// many (BENCHMARKS.md).
pub const DECODE_MARGIN_FRAMES: usize = 10;

/// The CPU graph in two pieces (`scripts/split_graph.py`): `prosody` takes the model's inputs
/// and gives the frame features `features` [1, C, F], `f0` and `energy` [1, 2F] and
/// `durations`; `decoder` takes those three and `style`, and gives `audio`, 600 samples a
/// frame.
#[derive(Debug, Clone, PartialEq)]
pub struct CpuStages {
    pub prosody: PathBuf,
    pub decoder: PathBuf,
}

/// Where the model comes from and how sessions are set up.
#[derive(Debug, Clone, PartialEq)]
pub struct OrtOptions {
    pub library: PathBuf,
    /// Model used on the CPU.
    pub cpu_model: PathBuf,
    /// The CPU model in two pieces, used instead of `cpu_model` where present.
    pub cpu_stages: Option<CpuStages>,
    /// Model used on an accelerator (a float graph: accelerators lack the int8 kernels).
    pub accelerator_model: PathBuf,
    pub threads: usize,
}

/// Builds sessions. Every factory uses the one ONNX Runtime environment of the process
/// ([`environment`]).
#[derive(Clone)]
pub struct OrtFactory {
    options: OrtOptions,
}

impl OrtFactory {
    pub fn new(options: OrtOptions) -> Self {
        OrtFactory { options }
    }
}

/// The process's ONNX Runtime environment. `ort` allows one per process and refuses a second
/// even after the first is dropped, so it is made once, by the first session, and kept: a
/// library run, or `bench --repeat`, starts one engine after another in one process.
static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);

fn environment(library: &std::path::Path) -> anyhow::Result<Environment> {
    let mut env = ENVIRONMENT
        .lock()
        .map_err(|_| anyhow!("the ONNX Runtime environment's lock is poisoned"))?;
    if env.is_none() {
        let builder = ort::init_from(library)
            .map_err(|e| anyhow!("cannot load ONNX Runtime from {}: {e}", library.display()))?;
        let built = builder
            .with_name("bookvoice")
            .with_telemetry(false)
            .with_logger(Arc::new(log_from_ort))
            .build()
            .context("cannot create the ONNX Runtime environment")?;
        *env = Some(built);
    }
    Ok(env
        .clone()
        .expect("environment was just set. This is a bug"))
}

impl BackendFactory for OrtFactory {
    fn build(&mut self, device: Device) -> anyhow::Result<Box<dyn Backend>> {
        let threads = self.options.threads.max(1);
        let model = if device.is_accelerator() {
            self.options.accelerator_model.clone()
        } else {
            self.options.cpu_model.clone()
        };
        let env = environment(&self.options.library)?;
        let build = |model: &std::path::Path| -> anyhow::Result<Session> {
            let configure =
                |e: ort::Error<SessionBuilder>| anyhow!("cannot configure the session: {e}");
            let mut builder = Session::builder(&env)?
                .with_intra_threads(threads)
                .map_err(configure)?
                .with_inter_threads(1)
                .map_err(configure)?
                // Every chunk has a different length, so memory patterns only cost memory.
                .with_memory_pattern(false)
                .map_err(configure)?;
            let provider = match device {
                Device::Cpu => None,
                // Every chunk has a new length; an exhaustive cuDNN search would benchmark
                // every convolution again for each one.
                Device::Cuda(ordinal) => Some(
                    ep::CUDA::default()
                        .with_device_id(ordinal as i32)
                        .with_conv_algorithm_search(ep::cuda::ConvAlgorithmSearch::Heuristic)
                        .build()
                        .error_on_failure(),
                ),
                Device::CoreMl => Some(ep::CoreML::default().build().error_on_failure()),
                Device::DirectMl => Some(ep::DirectML::default().build().error_on_failure()),
            };
            if let Some(provider) = provider {
                builder = builder
                    .with_execution_providers([provider])
                    .map_err(|e| anyhow!("the {device} execution provider is not usable: {e}"))?;
            }
            // Info on an accelerator, where the fallbacks are reported; verbose on request.
            let level = if verbose_ort_log() {
                LogLevel::Verbose
            } else if device.is_accelerator() {
                LogLevel::Info
            } else {
                LogLevel::Warning
            };
            builder = builder.with_log_level(level).map_err(configure)?;
            Ok(builder.commit_from_file(model)?)
        };
        if let (Device::Cpu, Some(stages)) = (device, &self.options.cpu_stages) {
            let load = |path: &PathBuf| {
                build(path).with_context(|| format!("cannot load the model {}", path.display()))
            };
            let prosody = load(&stages.prosody)?;
            let decoder = load(&stages.decoder)?;
            return Ok(Box::new(
                StagedSession::new(prosody, decoder, stages.clone()).with_context(|| {
                    format!(
                        "unexpected model {} or {}",
                        stages.prosody.display(),
                        stages.decoder.display()
                    )
                })?,
            ));
        }
        take_fallbacks();
        let session =
            build(&model).with_context(|| format!("cannot load the model {}", model.display()))?;
        if device.is_accelerator() {
            let fallbacks = take_fallbacks();
            if fallbacks.is_empty() {
                tracing::info!("every compute node of the model runs on the {device}");
            } else {
                tracing::warn!(
                    "{} nodes of {} have no {device} kernel and run on the CPU, with copies to \
                     and fro on every chunk: {}. The float model that scripts/dequantize.py \
                     makes has none",
                    fallbacks.len(),
                    model.display(),
                    fallbacks.join("; ")
                );
            }
        }

        let io = ModelIo::read(&session)
            .with_context(|| format!("unexpected model {}", model.display()))?;
        Ok(Box::new(OrtSession {
            session,
            io,
            device,
            model,
        }))
    }
}

/// Nodes ONNX Runtime reported as having no kernel on the accelerator, while the last session
/// was being built. Its log is process-wide, and sessions are built on the worker thread only.
static FALLBACKS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn take_fallbacks() -> Vec<String> {
    FALLBACKS
        .lock()
        .map(|mut f| std::mem::take(&mut *f))
        .unwrap_or_default()
}

/// `BOOKVOICE_ORT_VERBOSE=1`: ONNX Runtime's whole log, node placements included, on standard
/// error, for diagnosing a provider.
fn verbose_ort_log() -> bool {
    std::env::var_os("BOOKVOICE_ORT_VERBOSE").is_some()
}

/// ONNX Runtime's log, into ours: errors as warnings (they also come back as results), the
/// rest at debug level, and the "kernel not found" reports collected.
fn log_from_ort(level: LogLevel, _category: &str, _id: &str, _location: &str, message: &str) {
    // "CUDA kernel not found in registries for Op type: STFT node name: /decoder/…/STFT"
    if let Some((_, node)) = message.split_once(" kernel not found in registries for ")
        && let Ok(mut fallbacks) = FALLBACKS.lock()
    {
        fallbacks.push(node.replace("Op type: ", "").replace(" node name: ", " "));
    }
    if verbose_ort_log() {
        eprintln!("onnxruntime: {message}");
        return;
    }
    match level {
        LogLevel::Error | LogLevel::Fatal => tracing::warn!("onnxruntime: {message}"),
        LogLevel::Warning => tracing::debug!("onnxruntime: {message}"),
        LogLevel::Info | LogLevel::Verbose => tracing::trace!("onnxruntime: {message}"),
    }
}

#[derive(Debug, Clone, Copy)]
enum SpeedType {
    F32,
    I32,
    I64,
}

/// The model's input and output names, as the file declares them.
#[derive(Debug)]
struct ModelIo {
    tokens: String,
    style: String,
    speed: String,
    speed_type: SpeedType,
    audio: String,
    /// The per-token durations output, where the graph has one.
    durations: Option<String>,
}

impl ModelIo {
    fn read(session: &Session) -> anyhow::Result<ModelIo> {
        let mut tokens = None;
        let mut style = None;
        let mut speed = None;
        for input in session.inputs() {
            let name = input.name().to_string();
            let ty = match input.dtype() {
                ValueType::Tensor { ty, .. } => *ty,
                other => bail!("input `{name}` is not a tensor ({other:?})"),
            };
            match (name.as_str(), ty) {
                ("tokens" | "input_ids", _) => tokens = Some(name),
                ("style" | "ref_s", _) => style = Some(name),
                ("speed", TensorElementType::Float32) => speed = Some((name, SpeedType::F32)),
                ("speed", TensorElementType::Int32) => speed = Some((name, SpeedType::I32)),
                ("speed", TensorElementType::Int64) => speed = Some((name, SpeedType::I64)),
                _ => bail!("input `{name}` of type {ty:?} is not one Kokoro takes"),
            }
        }
        let audio = session
            .outputs()
            .first()
            .map(|o| o.name().to_string())
            .ok_or_else(|| anyhow!("the model has no output"))?;
        let durations = session
            .outputs()
            .iter()
            .find(|o| o.name() == "durations")
            .map(|o| o.name().to_string());
        let (speed, speed_type) = speed.ok_or_else(|| anyhow!("the model has no `speed` input"))?;
        Ok(ModelIo {
            tokens: tokens
                .ok_or_else(|| anyhow!("the model has no `tokens` or `input_ids` input"))?,
            style: style.ok_or_else(|| anyhow!("the model has no `style` input"))?,
            speed,
            speed_type,
            audio,
            durations,
        })
    }
}

struct OrtSession {
    session: Session,
    io: ModelIo,
    device: Device,
    model: PathBuf,
}

impl Backend for OrtSession {
    fn device(&self) -> Device {
        self.device
    }

    fn model(&self) -> String {
        self.model.display().to_string()
    }

    fn reports_durations(&self) -> bool {
        self.io.durations.is_some()
    }

    fn infer(&mut self, u: Utterance<'_>) -> anyhow::Result<Speech> {
        let (tokens, style, speed) = model_inputs(&self.io, &u)?;
        let outputs = self.session.run(ort::inputs![
            self.io.tokens.as_str() => tokens,
            self.io.style.as_str() => style,
            self.io.speed.as_str() => speed,
        ])?;
        let (_, audio) = outputs[self.io.audio.as_str()]
            .try_extract_tensor::<f32>()
            .context("the model's audio output is not float32")?;
        let durations = match &self.io.durations {
            Some(name) => {
                let (_, frames) = outputs[name.as_str()]
                    .try_extract_tensor::<i64>()
                    .context("the model's durations output is not int64")?;
                Some(
                    frames
                        .iter()
                        .map(|&f| f.clamp(0, u32::MAX as i64) as u32)
                        .collect(),
                )
            }
            None => None,
        };
        Ok(Speech {
            samples: audio.to_vec(),
            durations,
        })
    }
}

/// The model's three inputs for one utterance, the ids padded with 0 at both ends.
fn model_inputs(
    io: &ModelIo,
    u: &Utterance<'_>,
) -> anyhow::Result<(Tensor<i64>, Tensor<f32>, ort::value::DynTensor)> {
    let mut padded = Vec::with_capacity(u.ids.len() + 2);
    padded.push(0);
    padded.extend_from_slice(u.ids);
    padded.push(0);
    let tokens = Tensor::from_array(([1usize, padded.len()], padded))?;
    let style = Tensor::from_array(([1usize, u.style.len()], u.style.to_vec()))?;
    let speed = match io.speed_type {
        SpeedType::F32 => Tensor::from_array(([1usize], vec![u.speed]))?.upcast(),
        SpeedType::I32 => Tensor::from_array(([1usize], vec![u.speed.round() as i32]))?.upcast(),
        SpeedType::I64 => Tensor::from_array(([1usize], vec![u.speed.round() as i64]))?.upcast(),
    };
    Ok((tokens, style, speed))
}

/// The CPU model in two sessions ([`CpuStages`]): the prosody reads the whole call, and its
/// frames are decoded in windows of at most [`DECODE_MAX_FRAMES`] that end where the call's
/// parts meet, each with [`DECODE_MARGIN_FRAMES`] of context on either side, and joined.
struct StagedSession {
    prosody: Session,
    decoder: Session,
    io: ModelIo,
    files: CpuStages,
}

impl StagedSession {
    fn new(prosody: Session, decoder: Session, files: CpuStages) -> anyhow::Result<StagedSession> {
        let io = ModelIo::read(&prosody)?;
        for name in ["features", "f0", "energy", "durations"] {
            if !prosody.outputs().iter().any(|o| o.name() == name) {
                bail!("the prosody graph has no `{name}` output");
            }
        }
        for name in ["features", "f0", "energy", "style"] {
            if !decoder.inputs().iter().any(|i| i.name() == name) {
                bail!("the decoder graph has no `{name}` input");
            }
        }
        if decoder.outputs().is_empty() {
            bail!("the decoder graph has no output");
        }
        Ok(StagedSession {
            prosody,
            decoder,
            io,
            files,
        })
    }
}

impl Backend for StagedSession {
    fn device(&self) -> Device {
        Device::Cpu
    }

    fn model(&self) -> String {
        format!(
            "{} + {}",
            self.files.prosody.display(),
            self.files.decoder.display()
        )
    }

    fn reports_durations(&self) -> bool {
        true
    }

    fn infer(&mut self, u: Utterance<'_>) -> anyhow::Result<Speech> {
        let (tokens, style, speed) = model_inputs(&self.io, &u)?;
        let outputs = self.prosody.run(ort::inputs![
            self.io.tokens.as_str() => tokens,
            self.io.style.as_str() => style,
            self.io.speed.as_str() => speed,
        ])?;
        let (shape, features) = outputs["features"]
            .try_extract_tensor::<f32>()
            .context("the prosody's features are not float32")?;
        let (channels, frames) = match **shape {
            [1, c, f] if c > 0 && f >= 0 => (c as usize, f as usize),
            _ => bail!("the prosody's features have the shape {shape:?}, not [1, C, F]"),
        };
        let (_, f0) = outputs["f0"].try_extract_tensor::<f32>()?;
        let (_, energy) = outputs["energy"].try_extract_tensor::<f32>()?;
        let (_, durations) = outputs["durations"].try_extract_tensor::<i64>()?;
        if f0.len() != 2 * frames || energy.len() != 2 * frames {
            bail!(
                "the prosody gave {} pitch and {} energy values for {frames} frames",
                f0.len(),
                energy.len()
            );
        }
        let mut durations: Vec<u32> = durations
            .iter()
            .map(|&f| f.clamp(0, u32::MAX as i64) as u32)
            .collect();
        // The model's own silence between the parts, where they will be cut apart.
        let mut call = merge::Frames {
            features: features.to_vec(),
            channels,
            f0: f0.to_vec(),
            energy: energy.to_vec(),
        };
        let cuts = call.insert_silence(&mut durations, u.joins, merge::JOIN_SILENCE_FRAMES);
        let frames = call.count();
        let merge::Frames {
            features,
            f0,
            energy,
            ..
        } = &call;
        let mut samples = Vec::with_capacity(frames * FRAME_SAMPLES);
        let windows = merge::windows(frames, &cuts, decode_max_frames());
        tracing::debug!(
            "{} ids read at once, their {frames} frames decoded in {}",
            u.ids.len(),
            crate::report::count(windows.len(), "window")
        );
        for window in windows {
            let lo = window.start.saturating_sub(DECODE_MARGIN_FRAMES);
            let hi = (window.end + DECODE_MARGIN_FRAMES).min(frames);
            let n = hi - lo;
            let mut slice = Vec::with_capacity(channels * n);
            for c in 0..channels {
                slice.extend_from_slice(&features[c * frames + lo..c * frames + hi]);
            }
            let inputs = ort::inputs![
                "features" => Tensor::from_array(([1usize, channels, n], slice))?,
                "f0" => Tensor::from_array(([1usize, 2 * n], f0[2 * lo..2 * hi].to_vec()))?,
                "energy" => Tensor::from_array(([1usize, 2 * n], energy[2 * lo..2 * hi].to_vec()))?,
                "style" => Tensor::from_array(([1usize, u.style.len()], u.style.to_vec()))?,
            ];
            let decoded = self.decoder.run(inputs)?;
            let (_, audio) = decoded[0]
                .try_extract_tensor::<f32>()
                .context("the decoder's audio is not float32")?;
            let keep = (window.start - lo) * FRAME_SAMPLES..(window.end - lo) * FRAME_SAMPLES;
            if audio.len() < keep.end {
                bail!(
                    "the decoder made {} samples for {n} frames, not {}",
                    audio.len(),
                    n * FRAME_SAMPLES
                );
            }
            samples.extend_from_slice(&audio[keep]);
        }
        Ok(Speech {
            samples,
            durations: Some(durations),
        })
    }
}
