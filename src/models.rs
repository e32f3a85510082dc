//! Finding the model files: the models directory, the ONNX model, voices, vocabulary, the
//! ONNX Runtime library and the Japanese dictionary.
//!
//! Explicit flags (and their environment variables) win; otherwise the models directory is
//! looked for in the usual places, and within it the files `make assets` installs as well as
//! the upstream names users bring (`kokoro-v1.0.onnx`, `voices-v1.0.bin`). When something is
//! missing, the error lists every place that was looked at, so the user knows what to fix.

use std::path::{Path, PathBuf};

use anyhow::bail;

pub use crate::stages::synthesize::ort::CpuStages;

/// ONNX model file names, best first, for the CPU and for an accelerator. On the CPU the
/// statically quantized graph (`scripts/static_int8.py`; BENCHMARKS.md has its speed) comes
/// before the registry's dynamically quantized one it is made from, and that graph as ONNX
/// Runtime saved it after its own optimizations (`scripts/optimize_graph.py`, the same
/// computation, loaded in 0.9-1.5 s instead of 1.7-1.9 s) before both.
const CPU_MODELS: &[&str] = &[
    OPTIMIZED_STATIC_INT8_MODEL,
    STATIC_INT8_MODEL,
    REGISTRY_INT8_MODEL,
    "kokoro-v1.0.onnx",
    "kokoro-v1.0.fp32.onnx",
    "kokoro-v1.0.fp16.onnx",
];
const ACCELERATOR_MODELS: &[&str] = &[
    "kokoro-v1.0.fp32.onnx",
    "kokoro-v1.0.onnx",
    "kokoro-v1.0.fp16.onnx",
    REGISTRY_INT8_MODEL,
];
/// The registry's int8 graph (durations output added), as kokoro-onnx users run it.
pub const REGISTRY_INT8_MODEL: &str = "kokoro-v1.0.int8.onnx";
/// The same graph with its convolutions statically quantized (`make assets` makes it).
pub const STATIC_INT8_MODEL: &str = "kokoro-v1.0.int8-static.onnx";
/// The static graph after ONNX Runtime's constant folding and fusions (`make assets` makes it).
pub const OPTIMIZED_STATIC_INT8_MODEL: &str = "kokoro-v1.0.int8-static.optimized.onnx";
/// The static graph's two pieces (`scripts/split_graph.py`): phoneme ids to frame features,
/// and frame features to audio. With both, the CPU reads a long call whole and decodes its
/// audio a few seconds at a time (see `stages::synthesize::ort`). Each is looked for in its
/// optimized form first, as the whole graph is.
const CPU_PROSODY: &[&str] = &[
    "kokoro-v1.0.int8-static.prosody.optimized.onnx",
    "kokoro-v1.0.int8-static.prosody.onnx",
];
const CPU_DECODER: &[&str] = &[
    "kokoro-v1.0.int8-static.decoder.optimized.onnx",
    "kokoro-v1.0.int8-static.decoder.onnx",
];
const VOCABS: &[&str] = &["kokoro-config.json", "vocab.json", "config.json"];
const VOICES: &[&str] = &["voices", "voices-v1.0.bin"];

#[cfg(target_os = "macos")]
const LIBRARY_NAMES: &[&str] = &["libonnxruntime.dylib"];
#[cfg(target_os = "windows")]
const LIBRARY_NAMES: &[&str] = &["onnxruntime.dll"];
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const LIBRARY_NAMES: &[&str] = &["libonnxruntime.so", "libonnxruntime.so.1"];

/// Where the models directory may be, in order, when no flag names it.
fn default_model_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("models")];
    if let Ok(exe) = std::env::current_exe()
        && let Some(bin) = exe.parent()
    {
        // target/release/bookvoice in a checkout, or PREFIX/bin/bookvoice when installed.
        dirs.push(bin.join("../../models"));
        dirs.push(bin.join("../share/bookvoice/models"));
        dirs.push(bin.join("models"));
    }
    if let Some(data) = std::env::var_os("XDG_DATA_HOME") {
        dirs.push(PathBuf::from(data).join("bookvoice/models"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".local/share/bookvoice/models"));
    }
    dirs
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The models directory in use.
#[derive(Debug, Clone)]
pub struct ModelDir {
    dir: PathBuf,
}

impl ModelDir {
    /// The directory named by the user, or the first default one that exists.
    pub fn locate(explicit: Option<&Path>) -> anyhow::Result<ModelDir> {
        if let Some(dir) = explicit {
            if !dir.is_dir() {
                bail!(
                    "the models directory {} does not exist (run `make assets`)",
                    dir.display()
                );
            }
            return Ok(ModelDir {
                dir: dir.to_path_buf(),
            });
        }
        let candidates = default_model_dirs();
        match candidates.iter().find(|d| d.is_dir()) {
            Some(dir) => Ok(ModelDir { dir: dir.clone() }),
            None => bail!(
                "no models directory found; looked in {}. Run `make assets`, or pass --models DIR",
                list(&candidates)
            ),
        }
    }

    /// The directory itself: the Chinese and Japanese dictionaries live under it (`zh/`,
    /// `ja/`).
    pub fn root(&self) -> &Path {
        &self.dir
    }

    fn first(&self, names: &[&str], what: &str, hint: &str) -> anyhow::Result<PathBuf> {
        let candidates: Vec<PathBuf> = names.iter().map(|n| self.dir.join(n)).collect();
        match candidates.iter().find(|p| p.exists()) {
            Some(p) => Ok(p.clone()),
            None => bail!("no {what} found; looked for {}. {hint}", list(&candidates)),
        }
    }

    pub fn cpu_model(&self) -> anyhow::Result<PathBuf> {
        self.first(
            CPU_MODELS,
            "Kokoro model",
            "Run `make assets`, or pass --model FILE",
        )
    }

    /// The CPU graph's prosody and decoder pieces, when both are installed.
    pub fn cpu_stages(&self) -> Option<CpuStages> {
        let find = |names: &[&str]| names.iter().map(|n| self.dir.join(n)).find(|p| p.exists());
        Some(CpuStages {
            prosody: find(CPU_PROSODY)?,
            decoder: find(CPU_DECODER)?,
        })
    }

    pub fn accelerator_model(&self) -> anyhow::Result<PathBuf> {
        self.first(
            ACCELERATOR_MODELS,
            "Kokoro model",
            "Run `make assets`, or pass --model FILE",
        )
    }

    pub fn vocab(&self) -> anyhow::Result<PathBuf> {
        self.first(VOCABS, "phoneme vocabulary", "Run `make assets`")
    }

    pub fn voices(&self) -> anyhow::Result<PathBuf> {
        self.first(VOICES, "voices", "Run `make assets`, or pass --voices PATH")
    }

    /// The Japanese dictionary's directory (`ja/`, holding IPADIC's sources in `ja/ipadic/`
    /// and, once built, `ja/ipadic.vibrato`), for `japanese::Japanese::load`.
    #[cfg(test)]
    pub fn japanese_dictionary(&self) -> anyhow::Result<PathBuf> {
        let dir = self.dir.join("ja");
        let location = crate::stages::synthesize::japanese::Location::of(&dir);
        if !location.exists() {
            bail!(
                "no Japanese dictionary found; looked for {} and {}. Run `make assets`",
                location.sources.display(),
                location.compiled.display()
            );
        }
        Ok(dir)
    }

    /// Directories that may hold the ONNX Runtime library, the GPU build first when wanted.
    fn library_dirs(&self, want_gpu: bool) -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        if want_gpu {
            dirs.push(self.dir.join("onnxruntime-gpu"));
        }
        dirs.push(self.dir.join("onnxruntime"));
        dirs.push(self.dir.clone());
        dirs
    }

    /// The ONNX Runtime library; `want_gpu` prefers a GPU build when one is installed.
    pub fn library(&self, want_gpu: bool) -> anyhow::Result<PathBuf> {
        let candidates: Vec<PathBuf> = self
            .library_dirs(want_gpu)
            .iter()
            .flat_map(|d| LIBRARY_NAMES.iter().map(move |n| d.join(n)))
            .collect();
        match candidates.iter().find(|p| p.is_file()) {
            Some(p) => Ok(p.clone()),
            None => bail!(
                "ONNX Runtime library not found; looked at {} and ORT_DYLIB_PATH (unset). \
                 Run `make assets`, or pass --ort-lib FILE",
                list(&candidates)
            ),
        }
    }
}

/// An explicitly named file must exist.
pub fn require_file(path: &Path, what: &str) -> anyhow::Result<PathBuf> {
    if !path.is_file() {
        bail!("the {what} {} does not exist", path.display());
    }
    Ok(path.to_path_buf())
}

/// Whether the ONNX Runtime beside `library` ships the CUDA provider (a GPU build).
pub fn has_cuda_provider(library: &Path) -> bool {
    library
        .parent()
        .is_some_and(|dir| dir.join("libonnxruntime_providers_cuda.so").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_files_name_every_place_looked() {
        let dir = tempfile::tempdir().unwrap();
        let models = ModelDir::locate(Some(dir.path())).unwrap();
        let err = models.library(true).unwrap_err().to_string();
        assert!(
            err.contains("onnxruntime-gpu") && err.contains("ORT_DYLIB_PATH"),
            "{err}"
        );
        let err = models.cpu_model().unwrap_err().to_string();
        assert!(
            err.contains("kokoro-v1.0.int8.onnx") && err.contains("kokoro-v1.0.onnx"),
            "{err}"
        );
        let err = models.japanese_dictionary().unwrap_err().to_string();
        assert!(
            err.contains("ja/ipadic") && err.contains("make assets"),
            "{err}"
        );
        let err = ModelDir::locate(Some(&dir.path().join("nope")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn upstream_names_are_accepted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("kokoro-v1.0.onnx"), b"x").unwrap();
        std::fs::write(dir.path().join("voices-v1.0.bin"), b"x").unwrap();
        let models = ModelDir::locate(Some(dir.path())).unwrap();
        assert!(models.cpu_model().unwrap().ends_with("kokoro-v1.0.onnx"));
        assert!(
            models
                .accelerator_model()
                .unwrap()
                .ends_with("kokoro-v1.0.onnx")
        );
        assert!(models.voices().unwrap().ends_with("voices-v1.0.bin"));
    }

    #[test]
    fn the_static_graph_is_preferred_on_the_cpu_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            REGISTRY_INT8_MODEL,
            STATIC_INT8_MODEL,
            "kokoro-v1.0.fp32.onnx",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let models = ModelDir::locate(Some(dir.path())).unwrap();
        assert!(models.cpu_model().unwrap().ends_with(STATIC_INT8_MODEL));
        std::fs::write(dir.path().join(OPTIMIZED_STATIC_INT8_MODEL), b"x").unwrap();
        assert!(
            models
                .cpu_model()
                .unwrap()
                .ends_with(OPTIMIZED_STATIC_INT8_MODEL)
        );
        assert!(
            models
                .accelerator_model()
                .unwrap()
                .ends_with("kokoro-v1.0.fp32.onnx")
        );
    }
}
