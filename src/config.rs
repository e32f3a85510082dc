//! From parsed flags to validated settings: paths resolved, devices planned, voices and
//! languages matched.
//!
//! Each stage owns the settings it takes (`synthesize::EngineSettings`,
//! `describe::VisionSettings`, `assemble::chapter::Loudness`…); this module builds them, so
//! every rule about defaults and precedence (flag, then environment, then the settings file,
//! then the models directory) is decided once, here, and no stage ever sees a flag.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::ensure;

use crate::cli::{DeviceArg, EngineArgs, G2pArg, LoudnessArg, VisionServerArgs};
use crate::config_file::{ConfigFile, SpeechSection};
use crate::lang::{Choice, Lang, Source};
use crate::models::{ModelDir, has_cuda_provider, require_file};
use crate::stages::assemble::ffmpeg::Bitrates;
use crate::stages::assemble::master::{Loudness, Preset};
use crate::stages::describe::{self, CaCert, Secret, VisionSettings};
use crate::stages::synthesize::backend::Device;
use crate::stages::synthesize::ort::OrtOptions;
use crate::stages::synthesize::pool::Overlap;
use crate::stages::synthesize::voice::VoiceSpec;
use crate::stages::synthesize::{EngineSettings, G2pKind, Runtime};

/// The voices a user asked for, before the language of the text is known: `--voice`, the
/// settings file's `[speech] voice`, and its `[voices]` table (one voice per language).
#[derive(Debug, Clone, Default)]
pub struct VoiceChoice {
    flag: Option<VoiceSpec>,
    file: Option<VoiceSpec>,
    by_language: BTreeMap<Lang, VoiceSpec>,
}

impl VoiceChoice {
    pub fn resolve(
        args: &EngineArgs,
        file: &SpeechSection,
        by_language: &BTreeMap<Lang, String>,
    ) -> anyhow::Result<VoiceChoice> {
        let parse = |name: &Option<String>| name.as_deref().map(VoiceSpec::parse).transpose();
        Ok(VoiceChoice {
            flag: parse(&args.voice)?,
            file: parse(&file.voice)?,
            by_language: by_language
                .iter()
                .map(|(lang, v)| Ok((*lang, VoiceSpec::parse(v)?)))
                .collect::<anyhow::Result<_>>()?,
        })
    }

    /// The language text is read in when nothing else says: the chosen voice's (a British
    /// voice reads a book tagged just "en" with British phonemes), else American English.
    pub fn fallback_lang(&self) -> Lang {
        self.flag
            .as_ref()
            .or(self.file.as_ref())
            .and_then(VoiceSpec::lang)
            .unwrap_or(Lang::EnUs)
    }

    /// The voice for text in `lang`, with a line for the log where the choice needs one:
    /// `--voice` whatever it speaks (a voice of another language is the user's choice, and
    /// is warned about); else `[voices]` for the language; else `[speech] voice` if it speaks
    /// the language; else the language's own default.
    pub fn for_lang(&self, lang: Lang) -> (VoiceSpec, Option<String>) {
        let same = |v: &VoiceSpec| v.lang().is_none_or(|l| l.primary() == lang.primary());
        if let Some(voice) = &self.flag {
            let warning = (!same(voice)).then(|| {
                format!(
                    "voice {voice} speaks {}, but the text is {}: it is read with {} phonemes \
                     in {voice}'s voice",
                    voice.lang().map(Lang::name).unwrap_or("another language"),
                    lang.name(),
                    lang.name()
                )
            });
            return (voice.clone(), warning);
        }
        if let Some(voice) = self.by_language.get(&lang) {
            return (voice.clone(), None);
        }
        match &self.file {
            Some(voice) if same(voice) => (voice.clone(), None),
            other => {
                let default = VoiceSpec::parse(lang.default_voice())
                    .expect("the built-in default voices are valid names. This is a bug");
                let note = other.as_ref().map(|voice| {
                    format!(
                        "the settings file's voice {voice} does not speak {}; {default} reads \
                         it (set [voices] {} = \"…\" to choose)",
                        lang.name(),
                        lang.code()
                    )
                });
                (default, note)
            }
        }
    }
}

/// The language of a loose text (`say`, `bench`) and the engine's settings for it: `--lang`,
/// else what the text reads as, else the voice's language. The decision is logged.
pub fn engine_for_text(
    args: &EngineArgs,
    file: &ConfigFile,
    text: &str,
) -> anyhow::Result<(EngineSettings, Choice)> {
    let voices = VoiceChoice::resolve(args, &file.speech, &file.voices)?;
    let choice = crate::lang::choose_for_text(args.lang, text, voices.fallback_lang())
        .map_err(|e| anyhow::anyhow!("the text cannot be spoken: {e}"))?;
    match choice.source {
        Source::Text => tracing::info!("the text reads as {}", choice.lang.name()),
        Source::Default if args.lang.is_none() => tracing::debug!(
            "the text is too short to tell its language; reading it as {} (pass --lang to \
             choose)",
            choice.lang.name()
        ),
        _ => {}
    }
    if let Some(warning) = &choice.warning {
        tracing::warn!("{warning}");
    }
    let (voice, note) = voices.for_lang(choice.lang);
    if let Some(note) = note {
        tracing::warn!("{note}");
    }
    let settings = engine_settings(args, &file.speech, voice, choice.lang)?;
    Ok((settings, choice))
}

/// The engine's settings for text whose language is `lang`, spoken by `voice` (from
/// [`VoiceChoice::for_lang`]): flags first, then the settings file's `[speech]`, then the
/// defaults.
pub fn engine_settings(
    args: &EngineArgs,
    file: &SpeechSection,
    voice: VoiceSpec,
    lang: Lang,
) -> anyhow::Result<EngineSettings> {
    let speed = args.speed.or(file.speed).unwrap_or(1.0);
    ensure!(
        speed.is_finite() && (0.5..=2.0).contains(&speed),
        "the speed (--speed, or speed in [speech]) must be between 0.5 and 2.0, not {speed}"
    );
    let device = args.device.or(file.device).unwrap_or(DeviceArg::Auto);
    let g2p = match args.g2p {
        G2pArg::Misaki => G2pKind::Misaki,
        G2pArg::Espeak => G2pKind::Espeak,
    };
    let models = ModelDir::locate(args.assets.models.as_deref())?;
    let vocab = models.vocab()?;
    let voice_files = match &args.assets.voices {
        Some(p) => p.clone(),
        None => models.voices()?,
    };

    let (runtime, device_plans) = match &args.fake_engine {
        Some(spec) => {
            // The fake machine's GPUs are the spec's (`cuda0:…,cuda1:…`), never this machine's.
            let gpus = crate::gpus::overridden().or(
                crate::stages::synthesize::fake::FakeFactory::cuda_devices(spec)?,
            );
            let plan = explicit_plan(device, gpus).unwrap_or_else(|| auto_plan(true, gpus));
            (Runtime::Fake(spec.clone()), plan)
        }
        None => {
            let wants_accelerator = device != DeviceArg::Cpu;
            let library = match &args.ort_lib {
                Some(p) => require_file(p, "ONNX Runtime library")?,
                None => models.library(wants_accelerator)?,
            };
            // A model file named on the command line runs whole everywhere.
            let (cpu_model, accelerator_model, cpu_stages) = match &args.model {
                Some(p) => {
                    let p = require_file(p, "model")?;
                    (p.clone(), p, None)
                }
                None => (
                    models.cpu_model()?,
                    models.accelerator_model()?,
                    models.cpu_stages(),
                ),
            };
            // `auto` tries the accelerator only where its provider is installed, so a CPU-only
            // machine is not warned about a GPU it never had.
            let gpus = crate::gpus::visible_cuda_devices();
            let plan = explicit_plan(device, gpus)
                .unwrap_or_else(|| auto_plan(accelerator_installed(&library), gpus));
            let threads = args.threads.unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1)
            });
            let options = OrtOptions {
                library,
                cpu_model,
                cpu_stages,
                accelerator_model,
                threads,
            };
            (Runtime::Ort(options), plan)
        }
    };
    Ok(EngineSettings {
        voice,
        speed,
        lang,
        g2p,
        device_plans,
        vocab,
        dictionaries: models.root().to_path_buf(),
        voices: voice_files,
        runtime,
    })
}

fn accelerator_installed(library: &std::path::Path) -> bool {
    match Device::platform_accelerator() {
        Some(Device::Cuda(_)) => has_cuda_provider(library),
        Some(_) => true,
        None => false,
    }
}

/// Each worker's devices for an explicit `--device`, the CPU last as its fallback; `None` for
/// auto. `gpus` is how many CUDA devices are visible, when known (one is assumed otherwise:
/// the worker's fallback finds out if there is none).
fn explicit_plan(device: DeviceArg, gpus: Option<u32>) -> Option<Vec<Vec<Device>>> {
    Some(match device {
        DeviceArg::Auto => return None,
        DeviceArg::Cpu => vec![vec![Device::Cpu]],
        DeviceArg::Cuda => every_gpu(gpus.unwrap_or(1).max(1)),
        DeviceArg::CudaOne(n) => {
            if let Some(count) = gpus.filter(|&count| n >= count) {
                tracing::warn!(
                    "--device cuda:{n}, but {count} GPU(s) are visible to this process \
                     (numbered from 0); trying it anyway"
                );
            }
            vec![vec![Device::Cuda(n), Device::Cpu]]
        }
        DeviceArg::Coreml => vec![vec![Device::CoreMl, Device::Cpu]],
        DeviceArg::Directml => vec![vec![Device::DirectMl, Device::Cpu]],
    })
}

/// One worker per GPU, each falling back to the CPU.
fn every_gpu(count: u32) -> Vec<Vec<Device>> {
    (0..count)
        .map(|n| vec![Device::Cuda(n), Device::Cpu])
        .collect()
}

fn auto_plan(accelerator: bool, gpus: Option<u32>) -> Vec<Vec<Device>> {
    match Device::platform_accelerator() {
        Some(Device::Cuda(_)) if accelerator && gpus != Some(0) => {
            every_gpu(gpus.unwrap_or(1).max(1))
        }
        Some(d) if accelerator && !matches!(d, Device::Cuda(_)) => vec![vec![d, Device::Cpu]],
        _ => vec![vec![Device::Cpu]],
    }
}

/// Where the vision API token comes from, before `[vision] api_key`.
pub const API_KEY_ENV: &str = "BOOKVOICE_VISION_API_KEY";

/// The vision settings: flags first, then the environment (through clap), then `[vision]`.
/// The API token has no flag (it would show in the process list): the environment, then the
/// file.
pub fn vision_settings(
    args: &VisionServerArgs,
    no_images: bool,
    file: &ConfigFile,
) -> anyhow::Result<VisionSettings> {
    let (dir, file) = (file.dir.as_deref(), &file.vision);
    let url = args
        .vision_url
        .clone()
        .or_else(|| file.url.clone())
        .unwrap_or_else(|| describe::DEFAULT_URL.to_string());
    let shown = describe::client::shown_url(&url);
    ensure!(
        url.contains("://"),
        "the vision URL {shown:?} has no scheme: write http://{shown} (or https://)"
    );
    let parsed = reqwest::Url::parse(&url)
        .map_err(|e| anyhow::anyhow!("the vision URL {shown:?} is not a URL: {e}"))?;
    // The OpenAI convention (and LM Studio's own screen) shows the base with /v1; the paths
    // asked for carry it already.
    let url = url.trim_end_matches('/');
    let url = url.strip_suffix("/v1").unwrap_or(url).to_string();
    ensure!(
        matches!(parsed.scheme(), "http" | "https"),
        "the vision URL {shown:?} must start with http:// or https://"
    );
    let api_key = match std::env::var(API_KEY_ENV) {
        Ok(token) if !token.trim().is_empty() => Secret::new(&token, API_KEY_ENV),
        _ => Secret::new(file.api_key.as_deref().unwrap_or(""), "[vision] api_key"),
    }
    .map_err(|e| anyhow::anyhow!(e))?;
    if api_key.is_some() && parsed.scheme() == "http" && !is_loopback(&parsed) {
        tracing::warn!(
            "the vision API token is sent unencrypted to {} over http://; use https:// if the \
             network between you is not your own",
            parsed.host_str().unwrap_or("the server")
        );
    }
    let ca_cert = args
        .vision_ca_cert
        .clone()
        .or_else(|| {
            file.ca_cert
                .as_ref()
                .map(|p| dir.map_or_else(|| p.clone(), |d| d.join(p)))
        })
        .map(|path| CaCert::read(&path))
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?;
    let model = args
        .vision_model
        .clone()
        .or_else(|| file.model.clone())
        .unwrap_or_else(|| describe::DEFAULT_MODEL.to_string());
    ensure!(!model.trim().is_empty(), "the vision model name is empty");
    let timeout = args.vision_timeout.or(file.timeout).unwrap_or(120.0);
    ensure!(
        timeout.is_finite() && timeout > 0.0 && timeout <= 86_400.0,
        "the vision timeout must be a number of seconds above 0, not {timeout}"
    );
    let retries = args.vision_retries.or(file.retries).unwrap_or(2);
    ensure!(retries <= 10, "at most 10 vision retries, not {retries}");
    Ok(VisionSettings {
        enabled: !no_images && file.enabled.unwrap_or(true),
        url,
        model: model.trim().to_string(),
        timeout: Duration::from_secs_f64(timeout),
        retries,
        api_key,
        ca_cert,
    })
}

/// A URL naming this machine, where plain HTTP never leaves it.
fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What scripts read besides the running text: `--notes`/`--code`, else `[notes] mode` and
/// `[code] mode`, else skip notes and announce code.
pub fn reading(
    notes: Option<crate::stages::script::reading::Notes>,
    code: Option<crate::stages::script::reading::Code>,
    file: &ConfigFile,
) -> crate::stages::script::reading::Reading {
    crate::stages::script::reading::Reading {
        notes: notes.or(file.notes.mode).unwrap_or_default(),
        code: code.or(file.code.mode).unwrap_or_default(),
    }
}

/// Whether `convert` assembles finished chapters while the workers speak the next ones:
/// `--no-overlap` turns it off, else `[speech] overlap`, else on.
pub fn overlap(no_overlap: bool, file: &SpeechSection) -> Overlap {
    if no_overlap || file.overlap == Some(false) {
        Overlap::Off
    } else {
        Overlap::On
    }
}

/// The loudness each chapter is brought to: `--loudness`, else `[loudness]`.
pub fn loudness(flag: Option<LoudnessArg>, file: &Loudness) -> anyhow::Result<Loudness> {
    let mut loudness = *file;
    if let Some(preset) = flag {
        loudness.preset = match preset {
            LoudnessArg::Standard => Preset::Standard,
            LoudnessArg::Acx => Preset::Acx,
            LoudnessArg::Off => Preset::Off,
        };
    }
    loudness.validate().map_err(|e| anyhow::anyhow!(e))?;
    Ok(loudness)
}

/// The bit rates: `--bitrate FORMAT=KBPS` over `[output.bitrates]`.
pub fn bitrates(flags: &[String], file: &Bitrates) -> anyhow::Result<Bitrates> {
    // A flag that is wrong is bad usage (exit 2); a settings file that is wrong is not.
    let usage = crate::cli::usage_error;
    let mut rates = *file;
    for flag in flags {
        let (format, kbps) = flag.split_once('=').ok_or_else(|| {
            usage(format!(
                "--bitrate takes FORMAT=KBPS (mp3=96), not {flag:?}"
            ))
        })?;
        let kbps: u32 = kbps
            .trim()
            .trim_end_matches(['k', 'K'])
            .parse()
            .map_err(|_| {
                usage(format!(
                    "--bitrate {flag:?}: {kbps:?} is not a number of kbit/s"
                ))
            })?;
        match format.trim().to_ascii_lowercase().as_str() {
            "m4b" | "aac" => rates.m4b = kbps,
            "mp3" => rates.mp3 = kbps,
            "opus" => rates.opus = kbps,
            other => {
                return Err(usage(format!(
                    "--bitrate {flag:?}: no format {other:?} (m4b, mp3, opus)"
                )));
            }
        }
    }
    match rates.validate() {
        Ok(()) => Ok(rates),
        Err(e) if !flags.is_empty() && file.validate().is_ok() => Err(usage(e)),
        Err(e) => Err(anyhow::anyhow!(e)),
    }
}
