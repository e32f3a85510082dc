//! Mandarin tone sandhi: the tones a speaker says rather than the dictionary's.
//!
//! Dictionaries give each syllable its citation tone. Read aloud, tones change by context
//! (Chao, *A Grammar of Spoken Chinese*; the rules as Mandarin TTS front ends apply them,
//! e.g. PaddleSpeech's `tone_sandhi.py`):
//! - 不 is bú before a fourth tone, and neutral inside an A-不-A question (看不懂);
//! - 一 is yí before a fourth tone, yì before the others, yī at the end, when counting
//!   (一九四九) and as an ordinal (第一), neutral between a repeated verb (看一看);
//! - a third tone before another third tone becomes a second (你好 → ní hǎo), along a
//!   phrase up to its punctuation.
//!
//! Neutral tones are the dictionary's (们, 吧, 的, 朋友 péng you): rules that made more
//! syllables neutral (reduplications such as 奶奶, a list of everyday words such as 邻居) were
//! tried and made Kokoro v1.0, trained on the dictionary's tones, less intelligible under
//! Whisper (Mandarin CER 7.9 % with them against 4.1 % without, on the same three passages;
//! BENCHMARKS.md).

use super::pinyin::Syllable;

/// A word of a phrase, as segmented: its characters and one reading per character (`None`
/// where there is none).
#[derive(Debug, Clone)]
pub struct Word {
    pub chars: Vec<char>,
    pub syllables: Vec<Option<Syllable>>,
}

impl Word {
    fn tone(&self, i: usize) -> Option<u8> {
        self.syllables.get(i)?.as_ref().map(|s| s.tone)
    }

    fn set_tone(&mut self, i: usize, tone: u8) {
        if let Some(Some(s)) = self.syllables.get_mut(i) {
            s.tone = tone;
        }
    }
}

/// Numerals that are read digit by digit when they follow 一 (一九四九, 一〇一).
const DIGITS: &str = "〇零一二三四五六七八九";

/// Applies the sandhi rules to one phrase: words with no pause between them.
pub fn apply(words: &mut [Word]) {
    for i in 0..words.len() {
        let next = words
            .get(i + 1)
            .and_then(|w| w.syllables.first().cloned().flatten());
        let prev_last = i
            .checked_sub(1)
            .and_then(|p| words[p].chars.last().copied());
        bu(&mut words[i], next.as_ref());
        yi(&mut words[i], next.as_ref(), prev_last);
    }
    third_tones(words);
}

fn bu(word: &mut Word, next: Option<&Syllable>) {
    let n = word.chars.len();
    if n == 3 && word.chars[1] == '不' && word.chars[0] == word.chars[2] {
        word.set_tone(1, 5);
        return;
    }
    for i in 0..n {
        if word.chars[i] != '不' || !matches!(&word.syllables[i], Some(s) if s.base == "bu") {
            continue;
        }
        let following = if i + 1 < n {
            word.tone(i + 1)
        } else {
            next.map(|s| s.tone)
        };
        if following == Some(4) {
            word.set_tone(i, 2);
        } else if word.tone(i) == Some(2) {
            // A phrase dictionary may have applied the rule for a neighbour that is not there.
            word.set_tone(i, 4);
        }
    }
}

fn yi(word: &mut Word, next: Option<&Syllable>, prev_last: Option<char>) {
    let n = word.chars.len();
    if n == 3 && word.chars[1] == '一' && word.chars[0] == word.chars[2] {
        word.set_tone(1, 5);
        return;
    }
    for i in 0..n {
        if word.chars[i] != '一' || !matches!(&word.syllables[i], Some(s) if s.base == "yi") {
            continue;
        }
        let before = if i > 0 {
            Some(word.chars[i - 1])
        } else {
            prev_last
        };
        let after_char = word.chars.get(i + 1).copied();
        let counting = before.is_some_and(|c| c == '第' || DIGITS.contains(c))
            || after_char.is_some_and(|c| DIGITS.contains(c));
        let following = if i + 1 < n {
            word.tone(i + 1)
        } else {
            next.map(|s| s.tone)
        };
        let tone = match following {
            _ if counting => 1,
            None => 1,
            Some(4) => 2,
            Some(_) => 4,
        };
        word.set_tone(i, tone);
    }
}

/// A third tone before a third tone becomes a second, left to right along the phrase,
/// judged on the tones before the rule (我也很好 → wó yé hén hǎo).
fn third_tones(words: &mut [Word]) {
    let places: Vec<(usize, usize)> = words
        .iter()
        .enumerate()
        .flat_map(|(w, word)| (0..word.syllables.len()).map(move |s| (w, s)))
        .collect();
    let tones: Vec<Option<u8>> = places.iter().map(|&(w, s)| words[w].tone(s)).collect();
    for k in 0..places.len().saturating_sub(1) {
        if tones[k] == Some(3) && tones[k + 1] == Some(3) {
            let (w, s) = places[k];
            words[w].set_tone(s, 2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::chinese::dictionary::tests::small;

    fn phrase(words: &[(&str, &str)]) -> Vec<String> {
        let d = small();
        let mut words: Vec<Word> = words
            .iter()
            .map(|(w, _pos)| Word {
                chars: w.chars().collect(),
                syllables: d.word(w),
            })
            .collect();
        apply(&mut words);
        words
            .iter()
            .map(|w| {
                w.syllables
                    .iter()
                    .map(|s| s.as_ref().map(|s| format!("{}{}", s.base, s.tone)).unwrap())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn third_tone_pairs() {
        assert_eq!(phrase(&[("你好", "l")]), ["ni2 hao3"]);
        assert_eq!(
            phrase(&[("我", "r"), ("很", "d"), ("好", "a")]),
            ["wo2", "hen2", "hao3"]
        );
        assert_eq!(phrase(&[("老虎", "n")]), ["lao2 hu3"]);
        // A neutral tone between them breaks the pair.
        assert_eq!(phrase(&[("我们", "r"), ("走", "v")]), ["wo3 men5", "zou3"]);
    }

    #[test]
    fn bu_before_a_fourth_tone_and_in_questions() {
        assert_eq!(phrase(&[("不", "d"), ("对", "a")]), ["bu2", "dui4"]);
        assert_eq!(phrase(&[("不", "d"), ("好", "a")]), ["bu4", "hao3"]);
        assert_eq!(phrase(&[("好不好", "v")]), ["hao3 bu5 hao3"]);
        assert_eq!(phrase(&[("不", "d"), ("是", "v")]), ["bu2", "shi4"]);
    }

    #[test]
    fn yi_by_what_follows() {
        assert_eq!(phrase(&[("一", "m"), ("天", "q")]), ["yi4", "tian1"]);
        assert_eq!(phrase(&[("一个", "m")]), ["yi2 ge4"]);
        assert_eq!(phrase(&[("一", "m"), ("起", "v")]), ["yi4", "qi3"]);
        assert_eq!(phrase(&[("看一看", "v")]), ["kan4 yi5 kan4"]);
        assert_eq!(phrase(&[("第一", "m")]), ["di4 yi1"]);
        assert_eq!(phrase(&[("一", "m")]), ["yi1"]);
        assert_eq!(phrase(&[("一二三", "m")]), ["yi1 er4 san1"]);
    }

    #[test]
    fn neutral_tones_are_the_dictionarys() {
        assert_eq!(phrase(&[("走", "v"), ("吧", "y")]), ["zou3", "ba5"]);
        assert_eq!(phrase(&[("朋友", "n")]), ["peng2 you5"]);
        assert_eq!(
            phrase(&[("我", "r"), ("的", "uj"), ("书", "n")]),
            ["wo3", "de5", "shu1"]
        );
    }
}
