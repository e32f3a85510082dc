//! espeak-ng as a phonemizer: run as a command (not linked), with its IPA mapped onto the
//! symbols Kokoro v1.0 was trained on.
//!
//! Three uses. English words misaki does not know ([`EspeakWords`], mapped by [`to_misaki`]
//! the way misaki's own espeak fallback does). Every other language (Spanish, French,
//! Italian, Brazilian Portuguese, Hindi, and passages in any language espeak-ng knows), which
//! Kokoro's own pipeline phonemizes with espeak-ng through misaki's `EspeakG2P`: ties mark the
//! phonemes written with two letters (`t͡ʃ`), which become Kokoro's single symbols (`ʧ`), and
//! espeak's language-switch flags (`(en)`) are dropped ([`to_kokoro`]). And `--g2p espeak`
//! for English, kept as a baseline.
//!
//! espeak-ng drops punctuation from `--ipa` output, so callers cut text at punctuation and
//! keep the marks themselves. The pieces of one paragraph are phonemized in one process, each
//! as an SSML sentence (`<s>`), whose output espeak-ng frames as a blank line apiece; when the
//! framing does not account for every piece, each is phonemized on its own instead.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{LazyLock, Mutex};

use anyhow::{Context, bail};
use regex::Regex;

use crate::lang::Lang;

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

/// Maps espeak-ng `--ipa` output for English onto misaki's phoneme symbols.
pub fn to_misaki(ipa: &str, lang: Lang) -> String {
    let mut out = ipa.split_whitespace().collect::<Vec<_>>().join(" ");
    let dialect = if lang == Lang::EnGb {
        BRITISH
    } else {
        AMERICAN
    };
    // Dialect rules first: they match diphthongs (oʊ, əʊ) that the common rules would split.
    for (from, to) in dialect.iter().chain(COMMON) {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    // One r, not two: espeak-ng writes the r-coloured vowel and the r that follows it
    // ("Marie" mɚɹˈiː, "Murray" mˈɜːɹeɪ, which become əɹɹ and ɜɹɹ above), and sometimes a
    // doubled r ("Ferrari" fɚɹˈɑːɹɹi). Kokoro was trained on misaki's lexicon, where an r is
    // never doubled inside a word, and says the doubled one as a drawn-out r that Whisper
    // hears as another word ("Marie" as "Murray").
    DOUBLED_R.replace_all(&out, "$1ɹ").into_owned()
}

/// An r repeated inside a word, with any stress mark between (kept, before the one r).
static DOUBLED_R: LazyLock<Regex> = LazyLock::new(|| Regex::new("ɹ([ˈˌ]?)ɹ").unwrap());

/// The tie espeak-ng puts inside a phoneme written with two letters (`--tie=^`).
const TIE: char = '^';

/// Tied pairs → Kokoro's one-symbol phonemes, as misaki's `EspeakG2P` maps them.
const TIED: &[(&str, &str)] = &[
    ("a^ɪ", "I"),
    ("a^ʊ", "W"),
    ("d^z", "ʣ"),
    ("d^ʒ", "ʤ"),
    ("e^ɪ", "A"),
    ("o^ʊ", "O"),
    ("ə^ʊ", "Q"),
    ("s^s", "S"),
    ("t^s", "ʦ"),
    ("t^ʃ", "ʧ"),
    ("ɔ^ɪ", "Y"),
];

/// Maps espeak-ng IPA (made with `--tie=^`) in any language but English onto Kokoro's
/// symbols: tied pairs become single symbols, other ties, hyphens and syllabic marks go, and
/// language-switch flags such as `(en)` are removed, keeping the phonemes they mark.
pub fn to_kokoro(ipa: &str) -> String {
    static FLAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\([\^a-z0-9-]+\)").expect("valid regex"));
    let mut out = FLAG.replace_all(ipa, "").into_owned();
    out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in TIED {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out.chars()
        .filter(|&c| c != TIE && !matches!(c, '-' | '\u{329}' | '\u{32A}'))
        .collect()
}

/// Runs `espeak-ng -q --ipa` on `text` with `voice` (`en-us`, `es`, `fr-fr`, `la`…); the IPA
/// of each clause comes on its own line.
pub fn espeak_ipa(text: &str, voice: &str) -> anyhow::Result<String> {
    espeak(voice, &[], text)
}

fn espeak(voice: &str, extra: &[&str], input: &str) -> anyhow::Result<String> {
    let mut child = Command::new("espeak-ng")
        .args(["-q", "--ipa", "--tie=^", "-v", voice])
        .args(extra)
        .arg("--stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context(
            "cannot run espeak-ng (install it with `make setup`, or apt-get install espeak-ng)",
        )?;
    // espeak-ng reads all of its input before it writes, so writing first cannot deadlock.
    child
        .stdin
        .take()
        .context("espeak-ng has no standard input")?
        .write_all(input.as_bytes())
        .context("cannot write to espeak-ng")?;
    let output = child
        .wait_with_output()
        .context("espeak-ng did not finish")?;
    if !output.status.success() {
        bail!(
            "espeak-ng -v {voice} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The IPA of each piece (text without clause punctuation), in order, in one espeak-ng run
/// when its output can be told apart piece by piece; where it cannot, the pieces are halved
/// and each half tried again, down to one run per piece.
pub fn espeak_pieces(pieces: &[&str], voice: &str) -> anyhow::Result<Vec<String>> {
    match pieces {
        [] => Ok(Vec::new()),
        [one] => Ok(vec![
            espeak(voice, &[], one)?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ]),
        many => {
            let ssml: String = std::iter::once("<speak>".to_string())
                .chain(many.iter().map(|p| format!("<s>{}</s>", xml_escape(p))))
                .chain(std::iter::once("</speak>".to_string()))
                .collect();
            let out = espeak(voice, &["-m"], &ssml)?;
            if let Some(split) = framed(&out, many.len()) {
                return Ok(split);
            }
            tracing::debug!(
                "espeak-ng's output for {} pieces did not frame; halving",
                many.len()
            );
            let (a, b) = many.split_at(many.len() / 2);
            let mut ipa = espeak_pieces(a, voice)?;
            ipa.extend(espeak_pieces(b, voice)?);
            Ok(ipa)
        }
    }
}

/// espeak-ng writes each SSML sentence as a newline, its clauses' lines, and a newline, so the
/// pieces are what lies between blank lines after the first newline. `None` unless that
/// accounts for exactly `n` pieces.
fn framed(out: &str, n: usize) -> Option<Vec<String>> {
    let body = out.strip_prefix('\n')?;
    let mut parts: Vec<&str> = body.split("\n\n").collect();
    if parts.len() == n + 1 && parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    (parts.len() == n).then(|| {
        parts
            .iter()
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    })
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Whether espeak-ng has a voice for `voice`: asked once per voice, then remembered.
pub fn knows_voice(voice: &str) -> bool {
    static KNOWN: LazyLock<Mutex<HashMap<String, bool>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    if let Some(&known) = KNOWN
        .lock()
        .ok()
        .and_then(|k| k.get(voice).copied())
        .as_ref()
    {
        return known;
    }
    let known = espeak(voice, &[], "a").is_ok();
    if let Ok(mut k) = KNOWN.lock() {
        k.insert(voice.to_string(), known);
    }
    known
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
        let ipa = espeak_ipa(word, self.lang.espeak_voice()).map_err(|e| {
            misaki_rs::fallback::FallbackError::Espeak {
                word: word.to_string(),
                error: format!("{e:#}"),
            }
        })?;
        let phonemes = to_misaki(&ipa.replace(TIE, ""), self.lang).replace(' ', "");
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
        // An r-coloured vowel before an r, or an r written twice, is one r.
        assert_eq!(to_misaki("mɚɹˈiː", Lang::EnUs), "məɹˈi");
        assert_eq!(to_misaki("mˈɜːɹeɪ", Lang::EnUs), "mˈɜɹA");
        assert_eq!(to_misaki("fɚɹˈɑːɹɹi", Lang::EnUs), "fəɹˈɑɹi");
        assert_eq!(to_misaki("fɚˈɹiː", Lang::EnUs), "fəˈɹi");
    }

    #[test]
    fn british_ipa_maps_to_misaki() {
        assert_eq!(to_misaki("həlˈəʊ ðˈeə", Lang::EnGb), "həlˈQ ðˈɛː");
        assert_eq!(to_misaki("wˈɔːtə nˌiə", Lang::EnGb), "wˈɔːtə nˌɪə");
    }

    #[test]
    fn tied_ipa_maps_to_kokoro() {
        // Italian "pizza, gelato, ciao", Portuguese "noite", French "week-end" (switched).
        assert_eq!(
            to_kokoro("pˈit^sːa d^ʒelˈato t^ʃˈao"),
            "pˈiʦːa ʤelˈato ʧˈao"
        );
        assert_eq!(to_kokoro("nˈo^ɪt^ʃi"), "nˈoɪʧi");
        assert_eq!(to_kokoro("lə- (^e^n)wˈiːkɛnd(^f^r)"), "lə wˈiːkɛnd");
        assert_eq!(to_kokoro("(en)hˈɛloʊ(es) ˈola"), "hˈɛloʊ ˈola");
        assert_eq!(to_kokoro("bˈʌcː  kʰən\u{329}"), "bˈʌcː kʰən");
    }

    #[test]
    fn espeak_output_frames_into_pieces() {
        assert_eq!(
            framed("\nˈola\n\n\n\naðjˈos\n\n", 3),
            Some(vec!["ˈola".into(), "".into(), "aðjˈos".into()])
        );
        assert_eq!(
            framed("\nuno\ndos\n\ntres\n", 2),
            Some(vec!["uno dos".into(), "tres".into()])
        );
        assert_eq!(framed("\nuno\n\ndos\n", 3), None);
        assert_eq!(framed("uno", 1), None);
    }
}
