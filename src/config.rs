//! From parsed flags to validated settings: paths resolved, devices planned, terminal detected.
//!
//! Commands receive these types and never look at raw flags, so every rule about defaults and
//! precedence (flag, then environment, then the models directory) is decided once, here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, ensure};

use crate::cli::{DeviceArg, EngineArgs, G2pArg, LangArg, VisionArgs};
use crate::config_file::{SpeechSection, VisionSection};
use crate::models::{ModelDir, has_cuda_provider, require_file};
use crate::stages::synthesize::backend::Device;
use crate::stages::synthesize::ort::OrtOptions;
use crate::stages::synthesize::phonemes::{G2pKind, Lang};
use crate::stages::synthesize::voice::VoiceSpec;

/// How output is shown, decided once from the flags and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Progress bars on stderr (a person is watching).
    pub progress: bool,
    pub color: bool,
    pub quiet: bool,
    pub verbose: u8,
}

impl Output {
    pub fn detect(quiet: bool, verbose: u8) -> Output {
        let tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("TERM").is_ok_and(|t| t == "dumb");
        Output {
            progress: tty && !quiet,
            color: tty && !no_color,
            quiet,
            verbose,
        }
    }
}

/// What runs the model.
#[derive(Debug, Clone)]
pub enum Runtime {
    Ort(OrtOptions),
    /// The scripted fake of `stages::synthesize::fake` (tests only).
    Fake(String),
}

/// Everything the speech engine needs.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub voice: VoiceSpec,
    pub speed: f32,
    pub lang: Lang,
    pub g2p: G2pKind,
    pub device_plan: Vec<Device>,
    pub vocab: PathBuf,
    pub voices: PathBuf,
    pub runtime: Runtime,
}

impl EngineConfig {
    pub fn from_args(args: &EngineArgs) -> anyhow::Result<EngineConfig> {
        Self::resolve(args, &SpeechSection::default())
    }

    /// Flags first, then the settings file's `[speech]`, then the defaults.
    pub fn resolve(args: &EngineArgs, file: &SpeechSection) -> anyhow::Result<EngineConfig> {
        let speed = args.speed.or(file.speed).unwrap_or(1.0);
        ensure!(
            speed.is_finite() && (0.5..=2.0).contains(&speed),
            "the speed (--speed, or speed in [speech]) must be between 0.5 and 2.0, not {speed}"
        );
        let voice_name = args
            .voice
            .clone()
            .or_else(|| file.voice.clone())
            .unwrap_or_else(|| "af_heart".to_string());
        let voice = VoiceSpec::parse(&voice_name)?;
        let device = args.device.or(file.device).unwrap_or(DeviceArg::Auto);
        let lang = match args.lang {
            Some(LangArg::EnUs) => Lang::EnUs,
            Some(LangArg::EnGb) => Lang::EnGb,
            None => voice.lang()?,
        };
        let g2p = match args.g2p {
            G2pArg::Misaki => G2pKind::Misaki,
            G2pArg::Espeak => G2pKind::Espeak,
        };
        let models = ModelDir::locate(args.assets.models.as_deref())?;
        let vocab = models.vocab()?;
        let voices = match &args.assets.voices {
            Some(p) => p.clone(),
            None => models.voices()?,
        };

        let (runtime, device_plan) = match &args.fake_engine {
            Some(spec) => {
                let plan = explicit_plan(device).unwrap_or_else(|| auto_plan(true));
                (Runtime::Fake(spec.clone()), plan)
            }
            None => {
                let wants_accelerator = device != DeviceArg::Cpu;
                let library = match &args.ort_lib {
                    Some(p) => require_file(p, "ONNX Runtime library")?,
                    None => models.library(wants_accelerator)?,
                };
                let (cpu_model, accelerator_model) = match &args.model {
                    Some(p) => {
                        let p = require_file(p, "model")?;
                        (p.clone(), p)
                    }
                    None => (models.cpu_model()?, models.accelerator_model()?),
                };
                // `auto` tries the accelerator only where its provider is installed, so a CPU-only
                // machine is not warned about a GPU it never had.
                let plan = explicit_plan(device)
                    .unwrap_or_else(|| auto_plan(accelerator_installed(&library)));
                let threads = args.threads.unwrap_or_else(|| {
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1)
                });
                let options = OrtOptions {
                    library,
                    cpu_model,
                    accelerator_model,
                    threads,
                };
                (Runtime::Ort(options), plan)
            }
        };
        Ok(EngineConfig {
            voice,
            speed,
            lang,
            g2p,
            device_plan,
            vocab,
            voices,
            runtime,
        })
    }
}

/// What makes the engine's sound, for naming stored audio: the voice table itself (so a
/// replaced voice file counts), speed, phonemizer and the models that may run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EngineIdentity {
    pub voice_sha256: String,
    pub speed: f32,
    pub lang: Lang,
    pub g2p: G2pKind,
    pub models: Vec<String>,
}

impl EngineConfig {
    pub fn identity(&self) -> anyhow::Result<EngineIdentity> {
        let voice =
            crate::stages::synthesize::voice::VoiceStore::open(&self.voices)?.blend(&self.voice)?;
        let models = match &self.runtime {
            Runtime::Fake(spec) => vec![format!("fake:{spec}")],
            Runtime::Ort(options) => {
                let mut paths = vec![&options.cpu_model];
                if self.device_plan.iter().any(|d| d.is_accelerator())
                    && options.accelerator_model != options.cpu_model
                {
                    paths.push(&options.accelerator_model);
                }
                paths
                    .into_iter()
                    .map(|p| {
                        crate::workdir::fingerprint::sha256_file(p)
                            .with_context(|| format!("cannot read {}", p.display()))
                    })
                    .collect::<anyhow::Result<_>>()?
            }
        };
        Ok(EngineIdentity {
            voice_sha256: voice.content_hash(),
            speed: self.speed,
            lang: self.lang,
            g2p: self.g2p,
            models,
        })
    }
}

fn accelerator_installed(library: &std::path::Path) -> bool {
    match Device::platform_accelerator() {
        Some(Device::Cuda) => has_cuda_provider(library),
        Some(_) => true,
        None => false,
    }
}

/// Devices to try for an explicit `--device`; `None` for auto.
fn explicit_plan(device: DeviceArg) -> Option<Vec<Device>> {
    match device {
        DeviceArg::Auto => None,
        DeviceArg::Cpu => Some(vec![Device::Cpu]),
        DeviceArg::Cuda => Some(vec![Device::Cuda, Device::Cpu]),
        DeviceArg::Coreml => Some(vec![Device::CoreMl, Device::Cpu]),
        DeviceArg::Directml => Some(vec![Device::DirectMl, Device::Cpu]),
    }
}

fn auto_plan(accelerator: bool) -> Vec<Device> {
    match Device::platform_accelerator() {
        Some(d) if accelerator => vec![d, Device::Cpu],
        _ => vec![Device::Cpu],
    }
}

/// The vision model that describes images, after flags, environment and settings file.
#[derive(Debug, Clone)]
pub struct VisionConfig {
    /// `false` with `--no-images`: nothing is asked, captions are read as text.
    pub enabled: bool,
    /// The server's base URL, without a trailing slash.
    pub url: String,
    pub model: String,
    /// How long one request may take.
    pub timeout: Duration,
    /// Further attempts after a connection error, timeout or server error.
    pub retries: u32,
}

pub const DEFAULT_VISION_URL: &str = "http://127.0.0.1:1234";
pub const DEFAULT_VISION_MODEL: &str = "google/gemma-3n-e4b";

impl VisionConfig {
    pub fn resolve(args: &VisionArgs, file: &VisionSection) -> anyhow::Result<VisionConfig> {
        let url = args
            .vision_url
            .clone()
            .or_else(|| file.url.clone())
            .unwrap_or_else(|| DEFAULT_VISION_URL.to_string());
        let parsed = reqwest::Url::parse(&url)
            .map_err(|e| anyhow::anyhow!("the vision URL {url:?} is not a URL: {e}"))?;
        ensure!(
            matches!(parsed.scheme(), "http" | "https"),
            "the vision URL {url:?} must start with http:// or https://"
        );
        let model = args
            .vision_model
            .clone()
            .or_else(|| file.model.clone())
            .unwrap_or_else(|| DEFAULT_VISION_MODEL.to_string());
        ensure!(!model.trim().is_empty(), "the vision model name is empty");
        let timeout = args.vision_timeout.or(file.timeout).unwrap_or(120.0);
        ensure!(
            timeout.is_finite() && timeout > 0.0 && timeout <= 86_400.0,
            "the vision timeout must be a number of seconds above 0, not {timeout}"
        );
        let retries = args.vision_retries.or(file.retries).unwrap_or(2);
        ensure!(retries <= 10, "at most 10 vision retries, not {retries}");
        Ok(VisionConfig {
            enabled: !args.no_images && file.enabled.unwrap_or(true),
            url: url.trim_end_matches('/').to_string(),
            model: model.trim().to_string(),
            timeout: Duration::from_secs_f64(timeout),
            retries,
        })
    }
}
