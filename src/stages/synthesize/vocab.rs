//! The Kokoro v1.0 phoneme vocabulary: symbol → id.
//!
//! Read from the file `make assets` installs (kokoro-onnx's `config.json`, key `vocab`) or from
//! a bare `{symbol: id}` JSON map. Some older ports carry a legacy table in which the capital
//! diphthong letters (A, I, O, W, Y) have other ids; with misaki's phonemes that table makes the
//! model say the wrong vowels, so it is refused rather than used.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, anyhow, bail, ensure};

/// Ids that identify the v1.0 table (misaki's diphthong letters).
const V1_MARKERS: [(char, i64); 5] = [('A', 24), ('I', 25), ('O', 31), ('W', 39), ('Y', 41)];

#[derive(Debug, Clone)]
pub struct Vocab {
    ids: HashMap<char, i64>,
}

impl Vocab {
    pub fn load(path: &Path) -> anyhow::Result<Vocab> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the vocabulary {}", path.display()))?;
        Vocab::from_json(&text).with_context(|| format!("bad vocabulary in {}", path.display()))
    }

    pub fn from_json(text: &str) -> anyhow::Result<Vocab> {
        let value: serde_json::Value = serde_json::from_str(text)?;
        let map = value
            .get("vocab")
            .unwrap_or(&value)
            .as_object()
            .ok_or_else(|| anyhow!("expected a JSON object of symbol → id"))?;
        let mut ids = HashMap::with_capacity(map.len());
        for (symbol, id) in map {
            let mut chars = symbol.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                bail!("symbol `{symbol}` is not a single character");
            };
            let id = id
                .as_i64()
                .ok_or_else(|| anyhow!("id of `{symbol}` is not an integer"))?;
            ids.insert(c, id);
        }
        for (c, want) in V1_MARKERS {
            match ids.get(&c) {
                Some(&got) if got == want => {}
                got => bail!(
                    "this is not the Kokoro v1.0 vocabulary (`{c}` is {got:?}, v1.0 has {want}); \
                     use the vocabulary from kokoro-onnx 0.6.1 (`make assets`)"
                ),
            }
        }
        ensure!(
            ids.len() >= 100,
            "only {} symbols; the v1.0 table has 114",
            ids.len()
        );
        Ok(Vocab { ids })
    }

    pub fn id(&self, c: char) -> Option<i64> {
        self.ids.get(&c).copied()
    }

    pub fn contains(&self, c: char) -> bool {
        self.ids.contains_key(&c)
    }

    /// Ids for a phoneme string; symbols outside the vocabulary are skipped.
    pub fn encode(&self, phonemes: &str) -> Vec<i64> {
        phonemes.chars().filter_map(|c| self.id(c)).collect()
    }

    /// How many ids `phonemes` becomes.
    pub fn len_of(&self, phonemes: &str) -> usize {
        phonemes.chars().filter(|c| self.contains(*c)).count()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The v1.0 table as kokoro-onnx 0.6.1 ships it.
    pub(crate) const V1_JSON: &str = r#"{"vocab": {";": 1, ":": 2, ",": 3, ".": 4, "!": 5, "?": 6, "—": 9, "…": 10, "\"": 11, "(": 12, ")": 13, "“": 14, "”": 15, " ": 16, "̃": 17, "ʣ": 18, "ʥ": 19, "ʦ": 20, "ʨ": 21, "ᵝ": 22, "ꭧ": 23, "A": 24, "I": 25, "O": 31, "Q": 33, "S": 35, "T": 36, "W": 39, "Y": 41, "ᵊ": 42, "a": 43, "b": 44, "c": 45, "d": 46, "e": 47, "f": 48, "h": 50, "i": 51, "j": 52, "k": 53, "l": 54, "m": 55, "n": 56, "o": 57, "p": 58, "q": 59, "r": 60, "s": 61, "t": 62, "u": 63, "v": 64, "w": 65, "x": 66, "y": 67, "z": 68, "ɑ": 69, "ɐ": 70, "ɒ": 71, "æ": 72, "β": 75, "ɔ": 76, "ɕ": 77, "ç": 78, "ɖ": 80, "ð": 81, "ʤ": 82, "ə": 83, "ɚ": 85, "ɛ": 86, "ɜ": 87, "ɟ": 90, "ɡ": 92, "ɥ": 99, "ɨ": 101, "ɪ": 102, "ʝ": 103, "ɯ": 110, "ɰ": 111, "ŋ": 112, "ɳ": 113, "ɲ": 114, "ɴ": 115, "ø": 116, "ɸ": 118, "θ": 119, "œ": 120, "ɹ": 123, "ɾ": 125, "ɻ": 126, "ʁ": 128, "ɽ": 129, "ʂ": 130, "ʃ": 131, "ʈ": 132, "ʧ": 133, "ʊ": 135, "ʋ": 136, "ʌ": 138, "ɣ": 139, "ɤ": 140, "χ": 142, "ʎ": 143, "ʒ": 147, "ʔ": 148, "ˈ": 156, "ˌ": 157, "ː": 158, "ʰ": 162, "ʲ": 164, "↓": 169, "→": 171, "↗": 172, "↘": 173, "ᵻ": 177}}"#;

    pub(crate) fn v1() -> Vocab {
        Vocab::from_json(V1_JSON).unwrap()
    }

    #[test]
    fn misaki_symbols_map_to_v1_ids() {
        let v = v1();
        // "hello, world." as misaki writes it, diphthong O included.
        assert_eq!(
            v.encode("həlˈO, wˈɜɹld."),
            vec![50, 83, 54, 156, 31, 3, 16, 65, 156, 87, 123, 54, 46, 4]
        );
        assert_eq!(v.encode("ʤʧ"), vec![82, 133]);
        // A symbol outside the table is skipped, not mapped to something else.
        assert_eq!(v.encode("a❓b"), vec![43, 44]);
        assert_eq!(v.len_of("a❓b"), 2);
    }

    #[test]
    fn bare_map_is_accepted_and_legacy_table_refused() {
        let full: serde_json::Value = serde_json::from_str(V1_JSON).unwrap();
        let bare = full["vocab"].to_string();
        assert_eq!(Vocab::from_json(&bare).unwrap().id('ʧ'), Some(133));
        let legacy = V1_JSON.replace(r#""A": 24"#, r#""A": 30"#);
        let err = Vocab::from_json(&legacy).unwrap_err().to_string();
        assert!(err.contains("not the Kokoro v1.0 vocabulary"), "{err}");
    }
}
