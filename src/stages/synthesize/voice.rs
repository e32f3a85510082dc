//! Kokoro voices: loading them from either distribution format, blending them, picking a row.
//!
//! A voice is a float32 table of 510 rows × 256: row n−1 is the style for an utterance of n
//! phoneme ids. Two layouts exist: a directory of raw little-endian `.bin` files (the npm
//! `kokoro-js` package, what `make assets` installs) and upstream's `voices-v1.0.bin`, a NumPy
//! `.npz` archive of the same arrays. Both are read here; nothing else knows the difference.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail, ensure};

use crate::lang::Lang;

pub const STYLE_DIM: usize = 256;
pub const STYLE_ROWS: usize = 510;
const VOICE_FLOATS: usize = STYLE_DIM * STYLE_ROWS;

/// A voice, or a blend of voices, ready to give style rows.
#[derive(Debug, Clone)]
pub struct VoicePack {
    table: Vec<f32>,
}

impl VoicePack {
    fn from_le_bytes(bytes: &[u8], what: &str) -> anyhow::Result<VoicePack> {
        ensure!(
            bytes.len() == VOICE_FLOATS * 4,
            "{what}: {} bytes, expected {} (float32 [510, 1, 256])",
            bytes.len(),
            VOICE_FLOATS * 4
        );
        let table = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(VoicePack { table })
    }

    /// The table as the raw little-endian float32 [510, 1, 256] file the voices come in.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.table.iter().flat_map(|f| f.to_le_bytes()).collect()
    }

    /// The SHA-256 of the table's bytes: what the voice sounds like, whatever its name.
    pub fn content_hash(&self) -> String {
        crate::workdir::fingerprint::sha256_hex(&self.to_le_bytes())
    }

    /// The style vector for an utterance of `n_ids` phoneme ids (pads excluded): row n−1.
    pub fn style_for(&self, n_ids: usize) -> &[f32] {
        let row = n_ids.saturating_sub(1).min(STYLE_ROWS - 1);
        &self.table[row * STYLE_DIM..(row + 1) * STYLE_DIM]
    }
}

/// `af_heart` or `af_heart:60,am_michael:40`.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceSpec {
    parts: Vec<(String, f32)>,
}

impl VoiceSpec {
    pub fn parse(spec: &str) -> anyhow::Result<VoiceSpec> {
        let mut parts = Vec::new();
        for part in spec.split(',').map(str::trim) {
            ensure!(!part.is_empty(), "voice `{spec}` has an empty part");
            let (name, weight) = match part.split_once(':') {
                Some((name, w)) => {
                    let w: f32 = w.trim().parse().map_err(|_| {
                        anyhow!("voice `{spec}`: weight `{w}` of {name} is not a number")
                    })?;
                    (name.trim(), w)
                }
                None => (part, 1.0),
            };
            ensure!(
                weight.is_finite() && weight > 0.0,
                "voice `{spec}`: weight of {name} must be positive"
            );
            ensure!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "voice `{spec}`: `{name}` is not a voice name"
            );
            parts.push((name.to_string(), weight));
        }
        Ok(VoiceSpec { parts })
    }

    /// The language the voice speaks: the first voice's, from the first letter of its name
    /// (`ef_dora` is Spanish). `None` for a name outside Kokoro's scheme.
    pub fn lang(&self) -> Option<Lang> {
        Lang::of_voice(&self.parts[0].0)
    }

    /// The voice as written: `af_heart` or `af_heart:60,am_michael:40`.
    pub fn to_spec_string(&self) -> String {
        if self.parts.len() == 1 && self.parts[0].1 == 1.0 {
            return self.parts[0].0.clone();
        }
        self.parts
            .iter()
            .map(|(n, w)| format!("{n}:{w}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl std::fmt::Display for VoiceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_spec_string())
    }
}

/// Where voices are installed.
#[derive(Debug, Clone)]
pub enum VoiceStore {
    /// A directory of `NAME.bin` files.
    Dir(PathBuf),
    /// An upstream `voices-v1.0.bin` NumPy archive.
    Npz(PathBuf),
}

impl VoiceStore {
    /// Opens a directory or an `.npz` file, deciding by what is at `path`.
    pub fn open(path: &Path) -> anyhow::Result<VoiceStore> {
        if path.is_dir() {
            Ok(VoiceStore::Dir(path.to_path_buf()))
        } else if path.is_file() {
            Ok(VoiceStore::Npz(path.to_path_buf()))
        } else {
            bail!("no voices at {}", path.display())
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            VoiceStore::Dir(p) | VoiceStore::Npz(p) => p,
        }
    }

    /// Names of the installed voices, sorted.
    pub fn list(&self) -> anyhow::Result<Vec<String>> {
        let mut names = BTreeSet::new();
        match self {
            VoiceStore::Dir(dir) => {
                for entry in std::fs::read_dir(dir)
                    .with_context(|| format!("cannot read {}", dir.display()))?
                {
                    let path = entry
                        .with_context(|| format!("cannot read {}", dir.display()))?
                        .path();
                    if path.extension().is_some_and(|e| e == "bin")
                        && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                    {
                        names.insert(stem.to_string());
                    }
                }
            }
            VoiceStore::Npz(file) => {
                let archive = open_zip(file)?;
                for name in archive.file_names() {
                    if let Some(stem) = name.strip_suffix(".npy") {
                        names.insert(stem.to_string());
                    }
                }
            }
        }
        Ok(names.into_iter().collect())
    }

    /// Loads one voice by name.
    pub fn load(&self, name: &str) -> anyhow::Result<VoicePack> {
        match self {
            VoiceStore::Dir(dir) => {
                let path = dir.join(format!("{name}.bin"));
                if !path.is_file() {
                    bail!("{}", self.unknown(name));
                }
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                VoicePack::from_le_bytes(&bytes, &path.display().to_string())
            }
            VoiceStore::Npz(file) => {
                let mut archive = open_zip(file)?;
                let member = format!("{name}.npy");
                let mut entry = match archive.by_name(&member) {
                    Ok(entry) => entry,
                    Err(zip::result::ZipError::FileNotFound) => bail!("{}", self.unknown(name)),
                    Err(e) => {
                        return Err(e).with_context(|| {
                            format!("cannot read {member} in {}", file.display())
                        });
                    }
                };
                ensure!(
                    entry.size() < 16 * 1024 * 1024,
                    "{member} in {} is too large to be a voice",
                    file.display()
                );
                let mut bytes = Vec::with_capacity(entry.size() as usize);
                entry
                    .read_to_end(&mut bytes)
                    .with_context(|| format!("cannot read {member} in {}", file.display()))?;
                let what = format!("{member} in {}", file.display());
                VoicePack::from_le_bytes(npy_payload(&bytes, &what)?, &what)
            }
        }
    }

    fn unknown(&self, name: &str) -> String {
        let installed = self.list().map(|l| l.join(", ")).unwrap_or_default();
        format!(
            "voice {name} is not installed in {} (installed: {installed})",
            self.path().display()
        )
    }

    /// Loads a voice or blends several, weighting each table by its share.
    pub fn blend(&self, spec: &VoiceSpec) -> anyhow::Result<VoicePack> {
        let total: f32 = spec.parts.iter().map(|(_, w)| w).sum();
        let mut table = vec![0.0f32; VOICE_FLOATS];
        for (name, weight) in &spec.parts {
            let voice = self.load(name)?;
            let share = weight / total;
            for (acc, v) in table.iter_mut().zip(&voice.table) {
                *acc += share * v;
            }
        }
        Ok(VoicePack { table })
    }
}

fn open_zip(file: &Path) -> anyhow::Result<zip::ZipArchive<File>> {
    let f = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    zip::ZipArchive::new(f)
        .with_context(|| format!("{} is not a voices .npz archive", file.display()))
}

/// The raw data of a little-endian float32 `.npy` array in C order.
fn npy_payload<'a>(bytes: &'a [u8], what: &str) -> anyhow::Result<&'a [u8]> {
    ensure!(
        bytes.starts_with(b"\x93NUMPY") && bytes.len() >= 10,
        "{what} is not a .npy array"
    );
    let major = bytes[6];
    let (header_len, start) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 => {
            ensure!(bytes.len() >= 12, "{what} has a truncated header");
            (
                u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
                12,
            )
        }
        v => bail!("{what} has .npy format version {v}, which is not supported"),
    };
    let end = start + header_len;
    ensure!(bytes.len() >= end, "{what} has a truncated header");
    let header = std::str::from_utf8(&bytes[start..end])
        .with_context(|| format!("{what} has a bad header"))?;
    ensure!(
        header.contains("'descr': '<f4'") || header.contains("\"descr\": \"<f4\""),
        "{what} is not little-endian float32: {}",
        header.trim()
    );
    ensure!(
        !header.contains("'fortran_order': True"),
        "{what} is in Fortran order, which is not supported"
    );
    Ok(&bytes[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn table(seed: f32) -> Vec<u8> {
        (0..VOICE_FLOATS)
            .flat_map(|i| (seed + i as f32).to_le_bytes())
            .collect()
    }

    fn npy(data: &[u8]) -> Vec<u8> {
        let mut header =
            "{'descr': '<f4', 'fortran_order': False, 'shape': (510, 1, 256), }".to_string();
        while !(10 + header.len() + 1).is_multiple_of(64) {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn style_row_is_n_minus_one_and_clamped() {
        let pack = VoicePack::from_le_bytes(&table(0.0), "t").unwrap();
        assert_eq!(pack.style_for(1)[0], 0.0);
        assert_eq!(pack.style_for(10)[0], (9 * STYLE_DIM) as f32);
        assert_eq!(pack.style_for(10)[255], (9 * STYLE_DIM + 255) as f32);
        assert_eq!(pack.style_for(0)[0], 0.0);
        assert_eq!(pack.style_for(5000)[0], (509 * STYLE_DIM) as f32);
    }

    #[test]
    fn bin_directory_and_npz_give_the_same_voice() {
        let dir = tempfile::tempdir().unwrap();
        let bins = dir.path().join("voices");
        std::fs::create_dir(&bins).unwrap();
        std::fs::write(bins.join("af_test.bin"), table(1.0)).unwrap();
        std::fs::write(bins.join("bm_other.bin"), table(2.0)).unwrap();

        let npz_path = dir.path().join("voices-v1.0.bin");
        let mut zip = zip::ZipWriter::new(File::create(&npz_path).unwrap());
        for (name, seed) in [("af_test", 1.0), ("bm_other", 2.0)] {
            zip.start_file(
                format!("{name}.npy"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            zip.write_all(&npy(&table(seed))).unwrap();
        }
        zip.finish().unwrap();

        let from_dir = VoiceStore::open(&bins).unwrap();
        let from_npz = VoiceStore::open(&npz_path).unwrap();
        assert_eq!(from_dir.list().unwrap(), vec!["af_test", "bm_other"]);
        assert_eq!(from_npz.list().unwrap(), vec!["af_test", "bm_other"]);
        let a = from_dir.load("af_test").unwrap();
        let b = from_npz.load("af_test").unwrap();
        assert_eq!(a.table, b.table);

        let err = from_npz.load("af_missing").unwrap_err().to_string();
        assert!(
            err.contains("af_missing") && err.contains("af_test"),
            "{err}"
        );
    }

    #[test]
    fn blend_weights_the_tables() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("af_a.bin"), table(0.0)).unwrap();
        std::fs::write(dir.path().join("am_b.bin"), table(100.0)).unwrap();
        let store = VoiceStore::open(dir.path()).unwrap();
        let spec = VoiceSpec::parse("af_a:75,am_b:25").unwrap();
        let mixed = store.blend(&spec).unwrap();
        assert!((mixed.style_for(1)[0] - 25.0).abs() < 1e-4);
        assert_eq!(spec.lang(), Some(Lang::EnUs));
    }

    #[test]
    fn bad_specs_and_files_are_refused() {
        assert!(VoiceSpec::parse("af_heart:abc").is_err());
        assert!(VoiceSpec::parse("af_heart:-1").is_err());
        assert!(VoiceSpec::parse("af_heart,,am_adam").is_err());
        assert!(VoiceSpec::parse("../etc/passwd").is_err());
        assert_eq!(VoiceSpec::parse("jf_alpha").unwrap().lang(), Some(Lang::Ja));
        assert_eq!(
            VoiceSpec::parse("bf_emma").unwrap().lang(),
            Some(Lang::EnGb)
        );
        assert_eq!(VoiceSpec::parse("xx_custom").unwrap().lang(), None);
        assert!(VoicePack::from_le_bytes(&[0u8; 100], "short").is_err());
    }
}
