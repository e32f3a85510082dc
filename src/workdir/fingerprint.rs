//! Fingerprints: deciding whether an output in the work directory is still valid, from the
//! content of what it was made from, as cargo does for build units.
//!
//! Beside each output `X` live `X.fp`, the SHA-256 of the canonical JSON of its inputs, and
//! `X.fp.json`, those inputs for humans and for explaining why something is redone. Inputs
//! are content hashes (of the EPUB, the model, the text), stage parameters (voice, speed,
//! prompt version) and schema versions — never modification times or absolute paths, so a
//! work directory can be moved or copied and stays valid.
//!
//! Order matters: clear the old fingerprint before working, write the output, and record the
//! fingerprint last; a valid `.fp` then always means a complete output.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::fsutil::{remove_if_exists, write_file};

/// The SHA-256 of some bytes, in lowercase hex: the content hash used throughout the work
/// directory.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of a file's bytes, read as a stream.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone)]
pub struct Fingerprint {
    pub hash: String,
    pub inputs: serde_json::Value,
}

#[derive(Debug, PartialEq)]
pub enum Freshness {
    Fresh,
    Dirty(DirtyReason),
}

/// Why an output must be made again.
#[derive(Debug, PartialEq)]
pub enum DirtyReason {
    Missing,
    NoFingerprint,
    /// These inputs differ from the recorded ones.
    Changed {
        what: Vec<String>,
    },
}

impl std::fmt::Display for DirtyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DirtyReason::Missing => f.write_str("not made yet"),
            DirtyReason::NoFingerprint => f.write_str("made by an interrupted or older run"),
            DirtyReason::Changed { what } if what.is_empty() => f.write_str("its inputs changed"),
            DirtyReason::Changed { what } => write!(f, "changed: {}", what.join(", ")),
        }
    }
}

fn sidecar(output: &Path, suffix: &str) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    output.with_file_name(name)
}

impl Fingerprint {
    pub fn of<T: Serialize>(inputs: &T) -> Fingerprint {
        let inputs =
            serde_json::to_value(inputs).expect("fingerprint inputs serialize. This is a bug.");
        // serde_json's Value keeps object keys sorted, so this is canonical.
        let canonical = serde_json::to_vec(&inputs).expect("a JSON value serializes");
        let hash = sha256_hex(&canonical);
        Fingerprint { hash, inputs }
    }

    pub fn check(&self, output: &Path) -> Freshness {
        self.check_recorded_at(output, output)
    }

    /// Like `check`, for an output whose fingerprint is kept elsewhere (beside `record`),
    /// as for a final product written outside the work directory.
    pub fn check_recorded_at(&self, output: &Path, record: &Path) -> Freshness {
        if !output.exists() {
            return Freshness::Dirty(DirtyReason::Missing);
        }
        let Ok(recorded) = std::fs::read_to_string(sidecar(record, ".fp")) else {
            return Freshness::Dirty(DirtyReason::NoFingerprint);
        };
        if recorded.trim() == self.hash {
            return Freshness::Fresh;
        }
        let old = Self::recorded_inputs(record).unwrap_or_default();
        let what = match (&old, &self.inputs) {
            (serde_json::Value::Object(old), serde_json::Value::Object(new)) => new
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(v))
                .map(|(k, _)| k.clone())
                .collect(),
            _ => Vec::new(),
        };
        Freshness::Dirty(DirtyReason::Changed { what })
    }

    /// The inputs recorded beside an output, if any.
    pub fn recorded_inputs(output: &Path) -> Option<serde_json::Value> {
        let bytes = std::fs::read(sidecar(output, ".fp.json")).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Removes an output's fingerprint before it is remade.
    pub fn clear(output: &Path) -> anyhow::Result<()> {
        for suffix in [".fp", ".fp.json"] {
            remove_if_exists(&sidecar(output, suffix))?;
        }
        Ok(())
    }

    /// Records the fingerprint of a finished output.
    pub fn record(&self, output: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(&self.inputs)
            .context("cannot serialize fingerprint inputs")?;
        write_file(&sidecar(output, ".fp.json"), &json)?;
        write_file(
            &sidecar(output, ".fp"),
            format!("{}\n", self.hash).as_bytes(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fresh_only_after_record_and_explains_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("book.json");
        let fp = Fingerprint::of(&json!({"epub": "aa", "schema": 1}));
        assert_eq!(fp.check(&out), Freshness::Dirty(DirtyReason::Missing));
        std::fs::write(&out, "{}").unwrap();
        assert_eq!(fp.check(&out), Freshness::Dirty(DirtyReason::NoFingerprint));
        fp.record(&out).unwrap();
        assert_eq!(fp.check(&out), Freshness::Fresh);
        let changed = Fingerprint::of(&json!({"epub": "bb", "schema": 1}));
        assert_eq!(
            changed.check(&out),
            Freshness::Dirty(DirtyReason::Changed {
                what: vec!["epub".into()]
            })
        );
        Fingerprint::clear(&out).unwrap();
        assert_eq!(fp.check(&out), Freshness::Dirty(DirtyReason::NoFingerprint));
    }

    #[test]
    fn key_order_does_not_matter() {
        #[derive(Serialize)]
        struct A {
            x: u8,
            y: u8,
        }
        #[derive(Serialize)]
        struct B {
            y: u8,
            x: u8,
        }
        assert_eq!(
            Fingerprint::of(&A { x: 1, y: 2 }).hash,
            Fingerprint::of(&B { y: 2, x: 1 }).hash
        );
    }
}
