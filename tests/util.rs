//! Test harness: every test runs the real `bookvoice` binary in a fresh temporary directory.
//!
//! Tests that need the real model find it in the repository's `models/` (installed by
//! `make assets`, which `make test` runs first) and fail with that advice when it is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Holds `path`'s advisory lock as another bookvoice run would (the speech locks are taken
/// with the same call), until the returned file is dropped.
pub fn hold_lock(path: &Path) -> std::fs::File {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .unwrap();
    file.try_lock().unwrap();
    file
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A book of the shared corpus, or `None` (saying so) where `../shared` is not on this machine.
pub fn corpus(file: &str) -> Option<PathBuf> {
    let path = repo().join("../shared/corpus").join(file);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipping: {} is absent (the shared corpus is not on this machine)",
            path.display()
        );
        None
    }
}

pub fn models() -> PathBuf {
    let dir = repo().join("models");
    assert!(
        dir.join("kokoro-v1.0.int8.onnx").is_file(),
        "the model is not installed in {}: run `make assets` (or `make test`, which does)",
        dir.display()
    );
    dir
}

/// A fresh working directory and a way to run the binary in it.
pub struct Dir {
    temp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            temp: tempfile::tempdir().expect("cannot create a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.temp.path().join(name)
    }

    /// `bookvoice` with the real models and no inherited configuration.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare();
        cmd.env("BOOKVOICE_MODELS", models());
        cmd
    }

    /// `bookvoice` with no models configured at all.
    pub fn bare(&self) -> Command {
        self.program(Path::new(env!("CARGO_BIN_EXE_bookvoice")))
    }

    /// A copy of bookvoice at `path`, run like `bare`.
    pub fn program(&self, path: &Path) -> Command {
        let mut cmd = Command::new(path);
        cmd.current_dir(self.path());
        for var in [
            "BOOKVOICE_MODELS",
            "BOOKVOICE_MODEL",
            "BOOKVOICE_VOICES",
            "ORT_DYLIB_PATH",
            "BOOKVOICE_LOG",
            "BOOKVOICE_CONFIG",
            "BOOKVOICE_VISION_URL",
            "BOOKVOICE_VISION_MODEL",
            "BOOKVOICE_VISION_API_KEY",
            "BOOKVOICE_VISION_CA_CERT",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
        ] {
            cmd.env_remove(var);
        }
        // Each test speaks under its own machine-wide lock, so tests do not queue for one.
        cmd.env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("xdg"))
            .env("XDG_CONFIG_HOME", self.path().join("xdg-config"))
            .env("BOOKVOICE_SPEECH_LOCK", self.path().join("speech.lock"));
        cmd
    }
}

/// Runs a command and returns its output, printing it so failures are easy to read.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("cannot run bookvoice");
    eprintln!("--- stdout\n{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("--- stderr\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts the exit code, showing the output when it differs.
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}\nstdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

/// Samples of a 24 kHz mono 16-bit WAV, checking the format on the way.
pub fn read_wav(path: &Path) -> Vec<i16> {
    let reader = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let spec = reader.spec();
    assert_eq!(spec.channels, 1, "mono");
    assert_eq!(spec.sample_rate, 24_000);
    assert_eq!(spec.bits_per_sample, 16);
    reader
        .into_samples()
        .map(|s| s.expect("bad sample"))
        .collect()
}

pub fn rms(samples: &[i16]) -> f64 {
    (samples
        .iter()
        .map(|&s| (s as f64 / 32768.0).powi(2))
        .sum::<f64>()
        / samples.len().max(1) as f64)
        .sqrt()
}

/// A models directory with the real vocabulary and one real voice, for the fake engine.
pub fn fake_models(dir: &Dir) -> PathBuf {
    let real = models();
    let fake = dir.join("fake-models");
    std::fs::create_dir_all(fake.join("voices")).unwrap();
    std::fs::copy(
        real.join("kokoro-config.json"),
        fake.join("kokoro-config.json"),
    )
    .unwrap();
    std::fs::copy(
        real.join("voices/af_heart.bin"),
        fake.join("voices/af_heart.bin"),
    )
    .unwrap();
    fake
}
