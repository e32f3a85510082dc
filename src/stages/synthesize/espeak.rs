//! espeak-ng as a phonemizer: run as a command (not linked), with its IPA mapped onto misaki's
//! symbols so the result reads the way Kokoro v1.0 was trained.
//!
//! Used two ways: for single words misaki does not know (the usual case), and as the whole
//! phonemizer under `--g2p espeak`, kept so the two can be compared on the same text.
//! espeak-ng drops punctuation from `--ipa` output; callers that need prosody marks keep them
//! themselves.

use std::collections::HashMap;
use std::process::Command;
use std::sync::Mutex;

use anyhow::{Context, bail};

use super::phonemes::Lang;

/// espeak-ng IPA → misaki symbols, applied in order (longer patterns first).
const COMMON: &[(&str, &str)] = &[
    ("ʔˌn\u{329}", "tᵊn"),
    ("ʔn\u{329}", "tᵊn"),
    ("ʔn", "tᵊn"),
    ("ʔ", "t"),
    ("n\u{329}", "ᵊn"),
    ("l\u{329}", "ᵊl"),
    ("m\u{329}", "ᵊm"),
    ("aɪ", "I"),
    ("aʊ", "W"),
    ("eɪ", "A"),
    ("ɔɪ", "Y"),
    ("dʒ", "ʤ"),
    ("tʃ", "ʧ"),
    ("ɚ", "əɹ"),
    ("r", "ɹ"),
    ("x", "k"),
    ("ç", "k"),
    ("ɐ", "ə"),
    ("ɬ", "l"),
    ("ʲ", ""),
    ("\u{303}", ""),
    ("\u{329}", ""),
    ("-", ""),
];
const AMERICAN: &[(&str, &str)] = &[("oʊ", "O"), ("ɜː", "ɜɹ"), ("ɾ", "T"), ("ː", "")];
const BRITISH: &[(&str, &str)] = &[("əʊ", "Q"), ("eə", "ɛː"), ("iə", "ɪə"), ("ɾ", "t")];

/// Maps espeak-ng `--ipa` output onto misaki's phoneme symbols.
pub fn to_misaki(ipa: &str, lang: Lang) -> String {
    let mut out = ipa.split_whitespace().collect::<Vec<_>>().join(" ");
    let dialect = match lang {
        Lang::EnUs => AMERICAN,
        Lang::EnGb => BRITISH,
    };
    // Dialect rules first: they match diphthongs (oʊ, əʊ) that the common rules would split.
    for (from, to) in dialect.iter().chain(COMMON) {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// Runs `espeak-ng -q --ipa` on `text`; the IPA of each clause comes on its own line.
pub fn espeak_ipa(text: &str, lang: Lang) -> anyhow::Result<String> {
    let output = Command::new("espeak-ng")
        .args(["-q", "--ipa", "-v", lang.code(), "--"])
        .arg(text)
        .output()
        .context(
            "cannot run espeak-ng (install it with `make setup`, or apt-get install espeak-ng)",
        )?;
    if !output.status.success() {
        bail!(
            "espeak-ng failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// misaki's fallback for unknown words: espeak-ng, mapped, remembered per word.
pub struct EspeakWords {
    lang: Lang,
    cache: Mutex<HashMap<String, String>>,
}

impl EspeakWords {
    pub fn new(lang: Lang) -> Self {
        EspeakWords {
            lang,
            cache: Mutex::new(HashMap::new()),
        }
    }
}

impl misaki_rs::Fallback for EspeakWords {
    fn phonemize(&self, word: &str) -> Result<String, misaki_rs::fallback::FallbackError> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(word).cloned()) {
            return Ok(hit);
        }
        let ipa = espeak_ipa(word, self.lang).map_err(|e| {
            misaki_rs::fallback::FallbackError::Espeak {
                word: word.to_string(),
                error: format!("{e:#}"),
            }
        })?;
        let phonemes = to_misaki(&ipa, self.lang).replace(' ', "");
        if phonemes.is_empty() {
            return Err(misaki_rs::fallback::FallbackError::NoPhonemes {
                word: word.to_string(),
            });
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(word.to_string(), phonemes.clone());
        }
        Ok(phonemes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn american_ipa_maps_to_misaki() {
        assert_eq!(to_misaki("həlˈoʊ ðˈɛɹ", Lang::EnUs), "həlˈO ðˈɛɹ");
        assert_eq!(to_misaki("maɪ ˈoʊld fɹˈɛnd", Lang::EnUs), "mI ˈOld fɹˈɛnd");
        assert_eq!(to_misaki("tʃˈɜːtʃ dʒˈʌdʒ", Lang::EnUs), "ʧˈɜɹʧ ʤˈʌʤ");
        assert_eq!(to_misaki("wˈɔːɾɚ lˈeɪzi", Lang::EnUs), "wˈɔTəɹ lˈAzi");
        assert_eq!(to_misaki("bˈʌʔn̩", Lang::EnUs), "bˈʌtᵊn");
    }

    #[test]
    fn british_ipa_maps_to_misaki() {
        assert_eq!(to_misaki("həlˈəʊ ðˈeə", Lang::EnGb), "həlˈQ ðˈɛː");
        assert_eq!(to_misaki("wˈɔːtə nˌiə", Lang::EnGb), "wˈɔːtə nˌɪə");
    }
}
