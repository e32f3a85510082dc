//! The Python reference, run on the same model, voice and text as bookvoice.
//!
//! The reference is kokoro-onnx 0.6.1 in a virtual environment that
//! `scripts/reference/setup.sh` (`make reference`) makes. Its runner script is built into the
//! binary and written beside the run's files, so `--compare-reference` works from any folder
//! once the environment exists. Each text runs in a fresh Python process, which reports its
//! own peak memory from the kernel's accounting.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::cli::BenchArgs;
use crate::stages::synthesize::voice::VoiceStore;
use crate::stages::synthesize::{EngineSettings, Runtime};

const RUNNER: &str = include_str!("../../../scripts/reference/kokoro_onnx_run.py");

/// What one reference run reported.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReferenceFigures {
    pub kokoro_onnx: String,
    pub onnxruntime: String,
    /// The model file's name (set here, not by the runner).
    #[serde(default)]
    pub model: String,
    pub chars: usize,
    pub load_secs: f64,
    /// Seconds inside `Kokoro.create`, which phonemizes, runs the model and joins the audio.
    pub synth_secs: f64,
    pub audio_secs: f64,
    pub peak_rss_mb: f64,
}

impl ReferenceFigures {
    pub fn chars_per_sec(&self) -> f64 {
        self.chars as f64 / self.synth_secs.max(1e-9)
    }

    /// Several runs as one: sums, and the highest peak.
    pub fn total(runs: &[ReferenceFigures]) -> ReferenceFigures {
        let mut total = runs.first().cloned().unwrap_or_default();
        for r in runs.iter().skip(1) {
            total.chars += r.chars;
            total.load_secs = total.load_secs.max(r.load_secs);
            total.synth_secs += r.synth_secs;
            total.audio_secs += r.audio_secs;
            total.peak_rss_mb = total.peak_rss_mb.max(r.peak_rss_mb);
        }
        total
    }

    pub fn print(&self) {
        println!(
            "reference           kokoro-onnx {} on onnxruntime {}",
            self.kokoro_onnx, self.onnxruntime
        );
        super::line("  model", &self.model);
        super::line("  model load", format!("{:.2} s", self.load_secs));
        super::line(
            "  chars per second",
            format!(
                "{:.1} ({} chars in {:.1} s)",
                self.chars_per_sec(),
                self.chars,
                self.synth_secs
            ),
        );
        super::line(
            "  real-time factor",
            format!("{:.3}", self.synth_secs / self.audio_secs.max(1e-9)),
        );
        super::line("  peak RSS", format!("{:.0} MB", self.peak_rss_mb));
    }
}

/// The model file the reference runs: the one bookvoice runs, except that bookvoice's
/// statically quantized graph (saved optimized or not) is compared against the registry graph
/// it was made from (in the same folder), which is what kokoro-onnx users run.
fn reference_model(cpu_model: &Path) -> PathBuf {
    let registry = cpu_model.with_file_name(crate::models::REGISTRY_INT8_MODEL);
    let is_static = [
        crate::models::STATIC_INT8_MODEL,
        crate::models::OPTIMIZED_STATIC_INT8_MODEL,
    ]
    .iter()
    .any(|name| cpu_model.file_name() == Some(name.as_ref()));
    if is_static && registry.is_file() {
        registry
    } else {
        cpu_model.to_path_buf()
    }
}

/// A reference ready to run: its Python, runner script, model and voice table.
pub struct Reference {
    python: PathBuf,
    runner: PathBuf,
    model: PathBuf,
    voice: PathBuf,
    speed: f32,
    lang: &'static str,
}

impl Reference {
    /// Fails at once, with the way to set it up, if the reference's Python cannot run it.
    pub fn check(args: &BenchArgs) -> anyhow::Result<()> {
        let python = &args.reference_python;
        let works = Command::new(python)
            .args(["-c", "import kokoro_onnx"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !works {
            bail!(
                "the Python reference is not set up at {}: run `make reference` (which runs \
                 scripts/reference/setup.sh), or give its Python with --reference-python",
                python.display()
            );
        }
        Ok(())
    }

    /// Writes the runner and the voice table into `dir`. Call [`Reference::check`] first, once
    /// per run: it starts Python.
    pub fn prepare(args: &BenchArgs, config: &EngineSettings, dir: &Path) -> anyhow::Result<Self> {
        let model = match &config.runtime {
            Runtime::Ort(o) => reference_model(&o.cpu_model),
            Runtime::Fake(_) => bail!("--compare-reference needs the real model, not a fake one"),
        };
        let python = args.reference_python.clone();
        let runner = dir.join("kokoro_onnx_run.py");
        std::fs::write(&runner, RUNNER)
            .with_context(|| format!("cannot write {}", runner.display()))?;
        let voice = dir.join("voice.bin");
        let table = VoiceStore::open(&config.voices)?.blend(&config.voice)?;
        std::fs::write(&voice, table.to_le_bytes())
            .with_context(|| format!("cannot write {}", voice.display()))?;
        Ok(Reference {
            python,
            runner,
            model,
            voice,
            speed: config.speed,
            // kokoro-onnx names languages as espeak-ng does: es, fr-fr, pt-br.
            lang: config.lang.espeak_voice(),
        })
    }

    /// Speaks `text` into `wav` with the reference.
    pub fn run(&self, text: &Path, wav: &Path) -> anyhow::Result<ReferenceFigures> {
        let output = Command::new(&self.python)
            .arg(&self.runner)
            .arg("--model")
            .arg(&self.model)
            .arg("--voice")
            .arg(&self.voice)
            .arg("--text")
            .arg(text)
            .arg("--out")
            .arg(wav)
            .arg("--speed")
            .arg(self.speed.to_string())
            .arg("--lang")
            .arg(self.lang)
            .output()
            .with_context(|| format!("cannot run {}", self.python.display()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
            bail!(
                "the reference failed on {}: {}",
                text.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json = stdout.lines().rev().find(|l| l.starts_with('{'));
        let json = json.with_context(|| format!("the reference printed no figures: {stdout}"))?;
        let mut figures: ReferenceFigures = serde_json::from_str(json)
            .with_context(|| format!("unexpected reference figures: {json}"))?;
        figures.model = self
            .model
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_graphs_are_compared_against_the_registry_graph() {
        let dir = tempfile::tempdir().unwrap();
        let registry = dir.path().join(crate::models::REGISTRY_INT8_MODEL);
        std::fs::write(&registry, b"x").unwrap();
        for name in [
            crate::models::STATIC_INT8_MODEL,
            crate::models::OPTIMIZED_STATIC_INT8_MODEL,
        ] {
            assert_eq!(reference_model(&dir.path().join(name)), registry);
        }
        let own = dir.path().join("kokoro-v1.0.onnx");
        assert_eq!(reference_model(&own), own);
    }
}
