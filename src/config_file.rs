//! `bookvoice.toml`: settings a user keeps in a file instead of repeating them as flags.
//!
//! The file is read from `--config FILE` (or `BOOKVOICE_CONFIG`), else from `bookvoice.toml`
//! in the current directory when there is one (a library converted from a Makefile keeps its
//! settings beside the Makefile), else from the user's config directory. Flags win over the environment, which wins over the file,
//! which wins over the built-in defaults; `config.rs` applies that order.
//!
//! Unknown keys are errors, naming the file, so a misspelt setting is never silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The name looked for in the current directory.
pub const FILE_NAME: &str = "bookvoice.toml";

/// The whole file. Every section and key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub vision: VisionSection,
    #[serde(default)]
    pub speech: SpeechSection,
    #[serde(default)]
    pub output: OutputSection,
    /// `[loudness]`: what each chapter is brought to.
    #[serde(default)]
    pub loudness: crate::stages::assemble::master::Loudness,
    /// `[pauses]`: silences by structure, in seconds.
    #[serde(default)]
    pub pauses: crate::stages::assemble::chapter::Pauses,
    /// `[notes]`: footnotes and endnotes printed in chapters, `mode = "skip"` or `"read"`.
    #[serde(default)]
    pub notes: NotesSection,
    /// `[code]`: code listings, `mode = "announce"` or `"read"`.
    #[serde(default)]
    pub code: CodeSection,
    /// `[lexicon]`: pronunciation overrides for every book, word = respelling or /phonemes/.
    #[serde(default)]
    pub lexicon: BTreeMap<String, String>,
    /// `[voices]`: the voice for each language, `es = "em_alex"`, when the language's own
    /// default is not wanted.
    #[serde(default)]
    pub voices: BTreeMap<crate::lang::Lang, String>,
    /// The folder the file was read from, against which paths in it are resolved.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// `[notes]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotesSection {
    pub mode: Option<crate::stages::script::reading::Notes>,
}

/// `[code]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSection {
    pub mode: Option<crate::stages::script::reading::Code>,
}

/// `[vision]`: the image-describing model.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisionSection {
    /// `false` is `--no-images`.
    pub enabled: Option<bool>,
    pub url: Option<String>,
    pub model: Option<String>,
    /// Seconds to wait for one description.
    pub timeout: Option<f64>,
    /// Further attempts after a connection error, timeout or server error.
    pub retries: Option<u32>,
    /// The server's API token (`BOOKVOICE_VISION_API_KEY` wins over it).
    pub api_key: Option<String>,
    /// A CA certificate to trust, relative to the settings file's folder.
    pub ca_cert: Option<PathBuf>,
}

/// `[speech]`: how the narration sounds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeechSection {
    pub voice: Option<String>,
    pub speed: Option<f32>,
    pub device: Option<crate::cli::DeviceArg>,
    /// `false` is `--no-overlap`: each chapter spoken, then assembled, before the next.
    pub overlap: Option<bool>,
}

/// `[output]`: where audiobooks go and what is made.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    pub dir: Option<PathBuf>,
    pub format: Option<Vec<crate::cli::FormatArg>>,
    /// `[output.bitrates]`: kbit/s of `m4b`, `mp3`, `opus`.
    #[serde(default)]
    pub bitrates: crate::stages::assemble::ffmpeg::Bitrates,
}

impl ConfigFile {
    /// Reads the file named by the user, else `./bookvoice.toml`, else the user's
    /// `$XDG_CONFIG_HOME/bookvoice/bookvoice.toml` (`~/.config/...`), else nothing.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<ConfigFile> {
        let path: PathBuf = match explicit {
            Some(p) => p.to_path_buf(),
            None => match Self::found() {
                Some(p) => p,
                None => return Ok(ConfigFile::default()),
            },
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the settings file {}", path.display()))?;
        let mut file =
            Self::parse(&text).with_context(|| format!("bad settings file {}", path.display()))?;
        file.dir = path.parent().map(Path::to_path_buf);
        tracing::debug!("settings from {}", path.display());
        Ok(file)
    }

    fn found() -> Option<PathBuf> {
        let here = PathBuf::from(FILE_NAME);
        if here.is_file() {
            return Some(here);
        }
        let config_home = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        let user = config_home.join("bookvoice").join(FILE_NAME);
        user.is_file().then_some(user)
    }

    pub fn parse(text: &str) -> anyhow::Result<ConfigFile> {
        let file: ConfigFile = toml::from_str(text)?;
        file.pauses.check()?;
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vision_section() {
        let f = ConfigFile::parse(
            "[vision]\nurl = \"http://10.0.0.2:1234\"\nmodel = \"qwen2-vl\"\ntimeout = 30\n",
        )
        .unwrap();
        assert_eq!(f.vision.url.as_deref(), Some("http://10.0.0.2:1234"));
        assert_eq!(f.vision.model.as_deref(), Some("qwen2-vl"));
        assert_eq!(f.vision.timeout, Some(30.0));
        assert!(ConfigFile::parse("").unwrap().vision.url.is_none());
        for bad in ["verse_line = -1", "verse_line = 500", "heading = nan"] {
            let e = ConfigFile::parse(&format!("[pauses]\n{bad}\n")).unwrap_err();
            assert!(
                format!("{e:#}").contains("a pause is 0 to 10 seconds"),
                "{e:#}"
            );
        }
        let p =
            ConfigFile::parse("[pauses]\nheading = 2.0\n[speech]\nvoice = \"bf_emma\"\n").unwrap();
        assert_eq!(p.pauses.heading, 2.0);
        assert_eq!(p.pauses.paragraph, 0.7);
        assert_eq!(p.speech.voice.as_deref(), Some("bf_emma"));
        let l = ConfigFile::parse("[lexicon]\nHermione = \"her-MY-oh-nee\"\n").unwrap();
        assert_eq!(l.lexicon["Hermione"], "her-MY-oh-nee");
        let v = ConfigFile::parse("[voices]\nes = \"em_alex\"\npt-br = \"pm_alex\"\n").unwrap();
        assert_eq!(v.voices[&crate::lang::Lang::PtBr], "pm_alex");
        assert!(ConfigFile::parse("[voices]\nklingon = \"x\"\n").is_err());
    }

    #[test]
    fn misspelt_keys_are_errors() {
        let e = ConfigFile::parse("[vision]\nmodle = \"x\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("modle"), "{e:#}");
    }
}
