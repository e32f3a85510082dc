//! Mandarin text → Kokoro phonemes, as Kokoro's own G2P (misaki's `ZHG2P`) makes them, with
//! the readings a speaker would use.
//!
//! A passage is cut into runs of Chinese characters and everything else. Each run of
//! characters is segmented into words with part-of-speech tags by jieba (`jieba-rs`, whose
//! dictionary ships in the crate); each word gets its pinyin by phrase where a phrase is
//! known (`dictionary.rs`), by part of speech for one-character words with several readings
//! (`polyphones.rs`), else by its characters' most common readings. Tone sandhi follows
//! (`sandhi.rs`) along each phrase, erhua joins 儿 to the syllable before it,
//! and each syllable becomes Kokoro v1.0's Mandarin phonemes (`pinyin.rs`). Words are
//! separated by spaces, as in misaki's output; full-width punctuation becomes the marks the
//! model knows, and sets sentence and clause boundaries for the chunker. Latin runs are
//! handed back to the caller (English words in Chinese text are read as English).

pub mod dictionary;
pub mod pinyin;
mod polyphones;
mod sandhi;

use std::path::Path;

use jieba_rs::Jieba;

use super::phonemes::{Boundary, Token};
use dictionary::Dictionary;
use sandhi::Word;

/// Words ending in 儿 where 儿 is a syllable of its own (a child, a son), not erhua.
const FULL_ER: &[&str] = &[
    "女儿",
    "儿子",
    "婴儿",
    "男儿",
    "孤儿",
    "幼儿",
    "少儿",
    "小儿",
    "胎儿",
    "健儿",
    "侄儿",
    "孙儿",
    "混血儿",
    "宠儿",
    "患儿",
    "新生儿",
    "弃儿",
    "孩儿",
    "儿女",
    "儿童",
    "老儿",
    "宁馨儿",
    "产儿",
];

/// What a non-character run of a passage is.
enum Run<'a> {
    /// Chinese characters.
    Han(&'a str),
    /// A punctuation mark.
    Mark(char),
    /// Latin letters and digits, read by the caller.
    Latin(&'a str),
    Space,
}

pub struct Chinese {
    jieba: Jieba,
    dictionary: Dictionary,
}

impl Chinese {
    /// Loads the pinyin dictionary from `dir` (`models/zh`) and jieba's own dictionary.
    pub fn load(dir: &Path) -> anyhow::Result<Chinese> {
        Ok(Chinese::with_dictionary(Dictionary::load(dir)?))
    }

    pub fn with_dictionary(dictionary: Dictionary) -> Chinese {
        Chinese {
            jieba: Jieba::new(),
            dictionary,
        }
    }

    /// Phrases of the pinyin dictionary in memory.
    pub fn phrase_count(&self) -> usize {
        self.dictionary.phrase_count()
    }

    /// Phoneme tokens for one passage of Mandarin text. `latin` reads a run of Latin
    /// letters (an English name, "AI") in the passage.
    pub fn tokens(
        &self,
        text: &str,
        latin: &mut dyn FnMut(&str) -> anyhow::Result<Vec<Token>>,
    ) -> anyhow::Result<Vec<Token>> {
        let mut tokens: Vec<Token> = Vec::new();
        // Words since the last pause, for the sandhi that runs along a phrase.
        let mut phrase: Vec<Word> = Vec::new();
        for run in runs(text) {
            match run {
                Run::Han(han) => {
                    for tag in self.jieba.tag(han, true) {
                        phrase.push(self.word(tag.word, tag.tag));
                    }
                }
                Run::Space => {
                    self.flush(&mut phrase, &mut tokens);
                    if let Some(last) = tokens.last_mut() {
                        last.space_after = true;
                    }
                }
                Run::Latin(run) => {
                    self.flush(&mut phrase, &mut tokens);
                    let mut read = latin(run)?;
                    if let Some(last) = read.last_mut() {
                        last.space_after = true;
                    }
                    tokens.append(&mut read);
                }
                Run::Mark(c) => {
                    self.flush(&mut phrase, &mut tokens);
                    push_mark(&mut tokens, c);
                }
            }
        }
        self.flush(&mut phrase, &mut tokens);
        Ok(tokens)
    }

    /// A segmented word with its readings in context: a phrase's where the dictionary has
    /// one, else by the word's part of speech for the characters it decides (很长 is an
    /// adjective, so 长 is cháng), else the character's most common reading.
    fn word(&self, text: &str, pos: &str) -> Word {
        let chars: Vec<char> = text.chars().collect();
        let syllables = self
            .dictionary
            .readings(text)
            .into_iter()
            .zip(&chars)
            .map(|((reading, in_phrase), &c)| match in_phrase {
                true => reading,
                false => polyphones::by_tag(c, pos).or(reading),
            })
            .collect();
        Word { chars, syllables }
    }

    /// Ends a phrase: applies sandhi along it and appends its words as tokens.
    fn flush(&self, phrase: &mut Vec<Word>, tokens: &mut Vec<Token>) {
        if phrase.is_empty() {
            return;
        }
        sandhi::apply(phrase);
        for word in phrase.drain(..) {
            let phonemes = self.phonemes(&word);
            tokens.push(Token {
                text: word.chars.iter().collect(),
                phonemes,
                space_after: true,
                boundary: Boundary::Word,
            });
        }
    }

    /// A word's phonemes, with erhua: a final 儿 that is not a syllable of its own colours
    /// the syllable before it (玩儿 wánr, 一点儿 yīdiǎnr).
    fn phonemes(&self, word: &Word) -> String {
        let n = word.chars.len();
        let text: String = word.chars.iter().collect();
        let erhua = n > 1
            && word.chars[n - 1] == '儿'
            && matches!(&word.syllables[n - 1], Some(s) if s.base == "er")
            && word.syllables[n - 2].is_some()
            && !FULL_ER.iter().any(|w| text.ends_with(w));
        let mut out = String::new();
        for (i, syllable) in word.syllables.iter().enumerate() {
            let Some(syllable) = syllable else {
                continue;
            };
            if erhua && i == n - 1 {
                // The coda n gives way to the r-colouring (一点儿 diǎnr [tjɐɻ]).
                if out.ends_with('n') {
                    out.pop();
                }
                out.push('ɚ');
            } else {
                out.push_str(&syllable.phonemes());
            }
        }
        out
    }
}

/// Whether `c` is a Chinese character (CJK unified ideographs and their extensions, and 〇).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}'
        | '\u{F900}'..='\u{FAFF}' | '〇' | '々')
}

/// Cuts a passage into runs of characters, Latin, marks and spaces.
fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let kind = |c: char| -> u8 {
        if is_han(c) {
            0
        } else if c.is_alphanumeric() || c == '\'' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    while start < chars.len() {
        let (at, c) = chars[start];
        let k = kind(c);
        let mut end = start + 1;
        if k != 3 {
            while end < chars.len() && kind(chars[end].1) == k {
                end += 1;
            }
        }
        let until = chars.get(end).map_or(text.len(), |&(i, _)| i);
        out.push(match k {
            0 => Run::Han(&text[at..until]),
            1 => Run::Latin(&text[at..until]),
            2 => Run::Space,
            _ => Run::Mark(c),
        });
        start = end;
    }
    out
}

/// Appends a punctuation mark as the model's symbol, with the boundary it makes.
fn push_mark(tokens: &mut Vec<Token>, c: char) {
    let (phonemes, boundary) = match c {
        '。' | '．' | '.' => (".", Boundary::Sentence),
        '！' | '!' => ("!", Boundary::Sentence),
        '？' | '?' => ("?", Boundary::Sentence),
        '…' | '⋯' => ("…", Boundary::Sentence),
        '，' | ',' | '、' | '､' => (",", Boundary::Clause),
        '；' | ';' => (";", Boundary::Clause),
        '：' | ':' => (":", Boundary::Clause),
        '—' | '–' | '―' | '～' | '〜' => ("—", Boundary::Clause),
        '（' | '(' | '〔' | '［' | '[' => ("(", Boundary::Clause),
        '）' | ')' | '〕' | '］' | ']' => (")", Boundary::Clause),
        '“' | '”' | '"' | '「' | '」' | '『' | '』' | '《' | '》' | '〈' | '〉' | '【' | '】'
        | '«' | '»' | '‘' | '’' => ("\"", Boundary::Word),
        // Name separators (约翰·史密斯) and anything else: a word break, not a sound.
        _ => ("", Boundary::Word),
    };
    // A run of the same mark (……, ——) is one pause.
    if let Some(last) = tokens.last()
        && !phonemes.is_empty()
        && last.phonemes == phonemes
        && last.text.chars().all(|t| !t.is_alphanumeric())
    {
        let last = tokens.last_mut().expect("checked above");
        last.text.push(c);
        return;
    }
    let opening = matches!(
        c,
        '“' | '「' | '『' | '《' | '〈' | '【' | '«' | '‘' | '（' | '(' | '〔' | '［' | '['
    );
    if let Some(last) = tokens.last_mut() {
        // Closing marks attach to the word before; opening ones stand after a space.
        last.space_after = opening;
    }
    tokens.push(Token {
        text: c.to_string(),
        phonemes: phonemes.to_string(),
        space_after: !opening,
        boundary,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chinese() -> Chinese {
        Chinese::with_dictionary(dictionary::tests::small())
    }

    fn say(zh: &Chinese, text: &str) -> String {
        let tokens = zh
            .tokens(text, &mut |run| {
                Ok(vec![Token {
                    text: run.to_string(),
                    phonemes: format!("<{run}>"),
                    space_after: false,
                    boundary: Boundary::Word,
                }])
            })
            .unwrap();
        let mut out = String::new();
        for t in tokens {
            out.push_str(&t.phonemes);
            if t.space_after {
                out.push(' ');
            }
        }
        out.trim_end().to_string()
    }

    #[test]
    fn words_are_spaced_and_marks_attach() {
        let zh = chinese();
        assert_eq!(say(&zh, "你好。"), "ni↗xau↓.");
        assert_eq!(say(&zh, "我去银行，"), "wo↓ ʨʰy↘ i↗nxa↗ŋ,");
    }

    #[test]
    fn erhua_joins_the_syllable_before() {
        let zh = chinese();
        assert_eq!(say(&zh, "一点儿"), "i↘tjɛ↓ɚ");
        assert!(say(&zh, "女儿").ends_with("ɚ↗"), "{}", say(&zh, "女儿"));
    }

    /// The installed pinyin dictionary, or `None` (saying so) where `make assets` has not run.
    fn installed() -> Option<Chinese> {
        let models = std::env::var_os("BOOKVOICE_MODELS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models"));
        let dir = models.join("zh");
        if !dir.join(dictionary::PHRASES_FILE).is_file() {
            eprintln!(
                "skipped: no pinyin dictionary in {} (run `make assets`)",
                dir.display()
            );
            return None;
        }
        Some(Chinese::load(&dir).expect("the installed dictionary loads"))
    }

    #[test]
    fn polyphones_are_read_by_their_words_and_parts_of_speech() {
        let Some(zh) = installed() else { return };
        for (text, want) in [
            // 行: xíng in 行走, háng in 银行.
            ("他在银行工作。", "xa↗ŋ"),
            ("我们一起行走。", "ɕi↗ŋ"),
            // 长: zhǎng as a verb, cháng as an adjective.
            ("孩子长大了。", "ꭧa↓ŋ"),
            ("这条路很长。", "ꭧʰa↗ŋ"),
            // 还: huán returning a book, hái as an adverb.
            ("我去图书馆还书。", "xwa↗n"),
            ("他还没有回来。", "xai↗"),
            // 乐: yuè in 音乐, lè in 快乐.
            ("我喜欢音乐。", "ɥe↘"),
            ("祝你快乐。", "lɤ↘"),
            // 只: zhǐ in 只有 (a second tone before 有's third).
            ("我只有一本书。", "ꭧɨ↗jou↓"),
        ] {
            let said = say(&zh, text);
            assert!(said.contains(want), "{text}: {said} lacks {want}");
        }
        // Sandhi on real segmentation: 你好 is ní hǎo, 一样 yí yàng, 不对 bú duì.
        assert!(
            say(&zh, "你好").starts_with("ni↗xau↓"),
            "{}",
            say(&zh, "你好")
        );
        assert!(say(&zh, "一样").starts_with("i↗"), "{}", say(&zh, "一样"));
        assert!(say(&zh, "不对").starts_with("pu↗"), "{}", say(&zh, "不对"));
    }

    #[test]
    fn latin_runs_go_to_the_caller() {
        let zh = chinese();
        assert_eq!(say(&zh, "我去Paris。"), "wo↓ ʨʰy↘ <Paris>.");
    }

    #[test]
    fn boundaries_follow_full_width_marks() {
        let zh = chinese();
        let tokens = zh.tokens("你好，我去。好！", &mut |_| Ok(vec![])).unwrap();
        let marks: Vec<(&str, Boundary)> = tokens
            .iter()
            .filter(|t| t.text.chars().all(|c| !is_han(c)))
            .map(|t| (t.phonemes.as_str(), t.boundary))
            .collect();
        assert_eq!(
            marks,
            [
                (",", Boundary::Clause),
                (".", Boundary::Sentence),
                ("!", Boundary::Sentence)
            ]
        );
    }
}
