//! Pinyin dictionaries: a reading for every character and for the phrases whose reading
//! differs from their characters' first ones (行 is xíng, but 银行 is yín háng).
//!
//! They are pypinyin's data (`pinyin_dict.json`: code point → readings, most common first;
//! `phrases_dict.json`: phrase → one reading per character), the same tables misaki's
//! Mandarin G2P reads through pypinyin. `make assets` installs them from PyPI into
//! `models/zh/`. Phrases whose reading is just their characters' first readings are
//! dropped at load, so what stays in memory is the context each one carries.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

use super::pinyin::Syllable;

/// The files, in `models/zh/`.
pub const CHARACTERS_FILE: &str = "pinyin_dict.json";
pub const PHRASES_FILE: &str = "phrases_dict.json";

pub struct Dictionary {
    characters: HashMap<char, Vec<Syllable>>,
    phrases: HashMap<String, Vec<Syllable>>,
    /// The longest phrase, in characters.
    longest: usize,
}

impl Dictionary {
    /// Loads both files from `dir`. Errors name the file and what to run.
    pub fn load(dir: &Path) -> anyhow::Result<Dictionary> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).with_context(|| {
                format!(
                    "cannot read the Mandarin pinyin dictionary {} (run `make assets`, which \
                     installs it from PyPI's pypinyin)",
                    path.display()
                )
            })
        };
        let chars: HashMap<String, String> = serde_json::from_slice(&read(CHARACTERS_FILE)?)
            .with_context(|| format!("{} is not pypinyin's {CHARACTERS_FILE}", dir.display()))?;
        let phrases: HashMap<String, Vec<Vec<String>>> =
            serde_json::from_slice(&read(PHRASES_FILE)?)
                .with_context(|| format!("{} is not pypinyin's {PHRASES_FILE}", dir.display()))?;
        Ok(Dictionary::from_tables(chars, phrases))
    }

    /// The dictionary from pypinyin's two tables as parsed JSON.
    pub fn from_tables(
        chars: HashMap<String, String>,
        phrases: HashMap<String, Vec<Vec<String>>>,
    ) -> Dictionary {
        let characters: HashMap<char, Vec<Syllable>> = chars
            .into_iter()
            .filter_map(|(code, readings)| {
                let c = char::from_u32(code.parse().ok()?)?;
                let readings: Vec<Syllable> =
                    readings.split(',').filter_map(Syllable::parse).collect();
                (!readings.is_empty()).then_some((c, readings))
            })
            .collect();
        let mut dictionary = Dictionary {
            characters,
            phrases: HashMap::new(),
            longest: 1,
        };
        for (phrase, readings) in phrases {
            let syllables: Vec<Syllable> = readings
                .iter()
                .filter_map(|r| r.first().and_then(|p| Syllable::parse(p)))
                .collect();
            if syllables.len() != phrase.chars().count() {
                continue;
            }
            dictionary.longest = dictionary.longest.max(syllables.len());
            dictionary.phrases.insert(phrase, syllables);
        }
        dictionary
    }

    /// A character's most common reading.
    pub fn character(&self, c: char) -> Option<&Syllable> {
        self.characters.get(&c).and_then(|r| r.first())
    }

    /// The readings of a word: phrases found by longest match from the left, other
    /// characters by their most common reading (`None` for a character with no reading).
    #[cfg(test)]
    pub fn word(&self, word: &str) -> Vec<Option<Syllable>> {
        self.readings(word).into_iter().map(|(s, _)| s).collect()
    }

    /// As [`Dictionary::word`], with whether each reading comes from a phrase (and so from
    /// context) rather than from the character alone.
    pub fn readings(&self, word: &str) -> Vec<(Option<Syllable>, bool)> {
        let chars: Vec<char> = word.chars().collect();
        let mut out = Vec::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            let found = (2..=self.longest.min(chars.len() - i)).rev().find_map(|n| {
                let phrase: String = chars[i..i + n].iter().collect();
                self.phrases.get(&phrase)
            });
            match found {
                Some(syllables) => {
                    out.extend(syllables.iter().cloned().map(|s| (Some(s), true)));
                    i += syllables.len();
                }
                None => {
                    out.push((self.character(chars[i]).cloned(), false));
                    i += 1;
                }
            }
        }
        out
    }

    /// Phrases in memory.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A small dictionary with pypinyin's readings for the characters tests use.
    pub fn small() -> Dictionary {
        let chars = [
            ('行', "xíng,háng"),
            ('银', "yín"),
            ('长', "cháng,zhǎng"),
            ('大', "dà,dài"),
            ('我', "wǒ"),
            ('们', "men"),
            ('去', "qù"),
            ('还', "hái,huán"),
            ('书', "shū"),
            ('一', "yī"),
            ('不', "bù"),
            ('好', "hǎo,hào"),
            ('你', "nǐ"),
            ('是', "shì"),
            ('个', "gè"),
            ('天', "tiān"),
            ('看', "kàn"),
            ('对', "duì"),
            ('水', "shuǐ"),
            ('果', "guǒ"),
            ('点', "diǎn"),
            ('儿', "ér"),
            ('女', "nǚ"),
            ('的', "de,dī,dí,dì"),
            ('了', "le,liǎo"),
            ('得', "dé,de,děi"),
            ('地', "dì,de"),
            ('乐', "lè,yuè"),
            ('音', "yīn"),
            ('快', "kuài"),
            ('只', "zhī,zhǐ"),
            ('有', "yǒu"),
            ('老', "lǎo"),
            ('虎', "hǔ"),
            ('买', "mǎi"),
            ('起', "qǐ"),
            ('很', "hěn"),
            ('小', "xiǎo"),
            ('说', "shuō"),
            ('吧', "ba"),
            ('走', "zǒu"),
            ('第', "dì"),
            ('二', "èr"),
            ('三', "sān"),
            ('朋', "péng"),
            ('友', "yǒu"),
        ];
        let chars = chars
            .iter()
            .map(|(c, r)| ((*c as u32).to_string(), r.to_string()))
            .collect();
        let phrases = [
            ("银行", vec!["yín", "háng"]),
            ("长大", vec!["zhǎng", "dà"]),
            ("音乐", vec!["yīn", "yuè"]),
            ("快乐", vec!["kuài", "lè"]),
            ("朋友", vec!["péng", "you"]),
            ("一点儿", vec!["yī", "diǎn", "er"]),
        ];
        let phrases = phrases
            .iter()
            .map(|(p, r)| {
                (
                    p.to_string(),
                    r.iter().map(|s| vec![s.to_string()]).collect(),
                )
            })
            .collect();
        Dictionary::from_tables(chars, phrases)
    }

    #[test]
    fn phrases_give_context() {
        let d = small();
        assert_eq!(d.phrase_count(), 6);
        let read = |w: &str| -> Vec<String> {
            d.word(w)
                .into_iter()
                .map(|s| {
                    s.map(|s| format!("{}{}", s.base, s.tone))
                        .unwrap_or_default()
                })
                .collect()
        };
        assert_eq!(read("银行"), ["yin2", "hang2"]);
        assert_eq!(read("行"), ["xing2"]);
        assert_eq!(read("长大"), ["zhang3", "da4"]);
        assert_eq!(read("音乐会"), ["yin1", "yue4", ""]);
        assert_eq!(read("快乐"), ["kuai4", "le4"]);
    }
}
