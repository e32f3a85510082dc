//! Characters read by their part of speech where a word of one character has several
//! readings: 还 is hái as an adverb ("still") and huán as a verb ("return"), 长 cháng as an
//! adjective and zhǎng as a verb, 只 zhǐ as an adverb and zhī as a measure word.
//!
//! Phrases carry their own readings (see `dictionary.rs`); this is for characters outside
//! any known phrase, where the dictionary can only give the most common reading, judged by
//! the tag of the word they are in.
//! Tags are jieba's (ICTCLAS): a adjective, d adverb, n noun, p preposition, q measure
//! word, v verb, u… particles.

use super::pinyin::Syllable;

/// (character, tags it applies to by first letters or whole tag, reading).
const BY_TAG: &[(char, &[&str], &str)] = &[
    ('还', &["d", "c"], "hai2"),
    ('还', &["v"], "huan2"),
    ('长', &["a"], "chang2"),
    ('长', &["v", "n"], "zhang3"),
    ('只', &["d", "c"], "zhi3"),
    ('只', &["q", "m"], "zhi1"),
    ('行', &["q"], "hang2"),
    ('行', &["v", "a"], "xing2"),
    ('乐', &["a", "v"], "le4"),
    ('乐', &["n"], "yue4"),
    ('重', &["d"], "chong2"),
    ('重', &["a", "v"], "zhong4"),
    ('为', &["p", "c"], "wei4"),
    ('为', &["v"], "wei2"),
    ('都', &["d"], "dou1"),
    ('都', &["n"], "du1"),
    ('种', &["q", "m"], "zhong3"),
    ('种', &["v"], "zhong4"),
    ('得', &["ud"], "de5"),
    ('得', &["v"], "de2"),
    ('地', &["uv"], "de5"),
    ('地', &["n"], "di4"),
    ('着', &["uz"], "zhe5"),
    ('了', &["ul", "y"], "le5"),
    ('了', &["v"], "liao3"),
    ('的', &["uj"], "de5"),
    ('数', &["v"], "shu3"),
    ('数', &["n", "m"], "shu4"),
    ('处', &["n", "q"], "chu4"),
    ('处', &["v"], "chu3"),
    ('好', &["a", "d"], "hao3"),
    ('干', &["v"], "gan4"),
    ('干', &["a"], "gan1"),
    ('藏', &["v"], "cang2"),
    ('觉', &["v"], "jue2"),
    ('给', &["p", "v"], "gei3"),
    ('将', &["d", "p"], "jiang1"),
    ('便', &["d", "c"], "bian4"),
    ('少', &["a", "d"], "shao3"),
    ('调', &["v"], "tiao2"),
    ('传', &["v"], "chuan2"),
    ('间', &["f", "n", "q"], "jian1"),
    ('当', &["p", "v", "t"], "dang1"),
];

/// The reading of `c` in a word tagged `pos`, where the tag decides it.
pub fn by_tag(c: char, pos: &str) -> Option<Syllable> {
    BY_TAG
        .iter()
        .find(|(ch, tags, _)| {
            *ch == c
                && tags
                    .iter()
                    .any(|t| pos == *t || (t.len() == 1 && pos.starts_with(t)))
        })
        .and_then(|(_, _, reading)| Syllable::parse(reading))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_readings() {
        let read = |c, pos| by_tag(c, pos).map(|s| format!("{}{}", s.base, s.tone));
        assert_eq!(read('还', "d").as_deref(), Some("hai2"));
        assert_eq!(read('还', "v").as_deref(), Some("huan2"));
        assert_eq!(read('长', "a").as_deref(), Some("chang2"));
        assert_eq!(read('长', "v").as_deref(), Some("zhang3"));
        assert_eq!(read('只', "d").as_deref(), Some("zhi3"));
        assert_eq!(read('得', "ud").as_deref(), Some("de5"));
        assert_eq!(read('得', "uj"), None);
        assert_eq!(read('书', "n"), None);
    }
}
