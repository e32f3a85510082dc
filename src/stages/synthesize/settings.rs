//! What the synthesize stage is told: the voice, speed, language and G2P, the devices to try
//! and the files to load. `config` builds an [`EngineSettings`] from flags, the settings file
//! and the book's language; this stage never sees a flag.

use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use super::backend::Device;
use super::ort::OrtOptions;
use super::voice::VoiceSpec;
use crate::lang::Lang;

/// Which grapheme-to-phoneme engine reads English (every other language goes through
/// espeak-ng, as in Kokoro's own pipeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum G2pKind {
    /// misaki, with espeak-ng for words it does not know.
    Misaki,
    /// espeak-ng alone, kept as a baseline to compare with.
    Espeak,
}

/// What runs the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Runtime {
    Ort(OrtOptions),
    /// The scripted fake of `fake.rs` (tests only).
    Fake(String),
}

/// Everything the speech engine needs.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    pub voice: VoiceSpec,
    /// Speaking rate, 0.5 to 2.0.
    pub speed: f32,
    /// The language of text that carries no mark of its own.
    pub lang: Lang,
    pub g2p: G2pKind,
    /// One entry per worker (one per GPU): its devices in the order they are tried, the
    /// last the fallback. Never empty.
    pub device_plans: Vec<Vec<Device>>,
    /// The phoneme vocabulary file.
    pub vocab: PathBuf,
    /// The models directory, whose `zh/` and `ja/` hold the Chinese and Japanese
    /// dictionaries.
    pub dictionaries: PathBuf,
    /// A voices directory or `.npz` file.
    pub voices: PathBuf,
    pub runtime: Runtime,
}

/// What makes the engine's sound, for naming stored audio: the voice table itself (so a
/// replaced voice file counts), speed, phonemizer and the models that may run.
#[derive(Debug, Clone, Serialize)]
pub struct EngineIdentity {
    pub voice_sha256: String,
    pub speed: f32,
    pub lang: Lang,
    pub g2p: G2pKind,
    pub models: Vec<String>,
}

/// What an engine's sessions are built from: the runtime (ONNX Runtime's library, the model
/// files and the threads, or the fake's script) and the devices each worker tries. Books whose
/// settings give the same key can share one engine, its sessions loaded once. The voice and
/// speed are not part of it (each call carries its own), nor the language and G2P (those are
/// the planner's).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionKey {
    runtime: Runtime,
    device_plans: Vec<Vec<Device>>,
}

impl EngineSettings {
    /// What this engine's sessions depend on (see [`SessionKey`]).
    pub fn session_key(&self) -> SessionKey {
        SessionKey {
            runtime: self.runtime.clone(),
            device_plans: self.device_plans.clone(),
        }
    }

    /// Hashes the voice table and every model that may run. Errors name the unreadable file.
    pub fn identity(&self) -> anyhow::Result<EngineIdentity> {
        let voice = super::voice_of(self)?;
        let models = match &self.runtime {
            Runtime::Fake(spec) => vec![format!("fake:{spec}")],
            Runtime::Ort(options) => {
                let mut paths = match &options.cpu_stages {
                    Some(stages) => vec![&stages.prosody, &stages.decoder],
                    None => vec![&options.cpu_model],
                };
                if self
                    .device_plans
                    .iter()
                    .flatten()
                    .any(|d| d.is_accelerator())
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

    /// Whether the CPU reads a call whole and decodes its audio in windows (the static graph
    /// in two pieces, `scripts/split_graph.py`), so a call may be as long as the model takes
    /// without more memory than a short one.
    pub fn decodes_in_windows(&self) -> bool {
        matches!(&self.runtime, Runtime::Ort(o) if o.cpu_stages.is_some())
    }

    /// The model file run on the CPU, for reports.
    pub fn model_name(&self) -> String {
        match &self.runtime {
            Runtime::Ort(o) => o.cpu_model.display().to_string(),
            Runtime::Fake(spec) => format!("fake ({spec})"),
        }
    }
}
