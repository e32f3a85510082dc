//! Mandarin tone sandhi: the tones a speaker says rather than the dictionary's.
//!
//! Dictionaries give each syllable its citation tone. Read aloud, tones change by context
//! (Chao, *A Grammar of Spoken Chinese*; the rules as Mandarin TTS front ends apply them,
//! e.g. PaddleSpeech's `tone_sandhi.py`):
//! - 不 is bú before a fourth tone, and neutral inside an A-不-A question (看不懂);
//! - 一 is yí before a fourth tone, yì before the others, yī at the end, when counting
//!   (一九四九) and as an ordinal (第一), neutral between a repeated verb (看一看);
//! - a third tone before another third tone becomes a second (你好 → ní hǎo), along a
//!   phrase up to its punctuation;
//! - the second syllable of many everyday words, reduplicated nouns and verbs, suffixes
//!   (们, 子), sentence particles (吧, 呢, 吗) and structural particles (的, 地, 得) is
//!   neutral.

use super::pinyin::Syllable;

/// A word of a phrase, as segmented: its characters, part of speech (jieba's tag set) and
/// one reading per character (`None` where there is none).
#[derive(Debug, Clone)]
pub struct Word {
    pub chars: Vec<char>,
    pub pos: String,
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

    fn text(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Everyday words whose last syllable is neutral in speech (the dictionary gives it a full
/// tone).
const NEUTRAL_LAST: &[&str] = &[
    "东西", "麻烦", "告诉", "知道", "喜欢", "时候", "先生", "事情", "意思", "地方", "明白", "漂亮",
    "便宜", "舒服", "清楚", "认识", "客气", "消息", "休息", "关系", "衣服", "眼睛", "耳朵", "鼻子",
    "嘴巴", "脑袋", "头发", "窗户", "朋友", "太阳", "月亮", "功夫", "工夫", "学生", "大夫", "丈夫",
    "媳妇", "姑娘", "师傅", "亲戚", "邻居", "商量", "打听", "打扮", "收拾", "吩咐", "照顾", "琢磨",
    "折腾", "糊涂", "聪明", "暖和", "凉快", "热闹", "痛快", "结实", "老实", "踏实", "厉害", "舒坦",
    "利索", "精神", "规矩", "道理", "名字", "时间", "本事", "买卖", "生意", "主意", "故事", "事儿",
    "东边", "西边", "南边", "北边", "外边", "里边", "前边", "后边", "上边", "下边", "这么", "那么",
    "怎么", "什么", "多么", "似的", "爷爷", "奶奶", "爸爸", "妈妈", "哥哥", "姐姐", "弟弟", "妹妹",
    "叔叔", "伯伯", "舅舅", "姥姥", "宝宝", "星星", "谢谢", "石头", "木头", "骨头", "舌头", "念头",
    "枕头", "馒头", "萝卜", "葡萄", "豆腐", "玻璃", "模糊", "含糊", "马虎", "机灵", "秀才", "状元",
    "先头", "云彩", "庄稼", "队伍", "部分", "分析", "动静", "热乎", "喇叭", "芝麻", "西瓜", "黄瓜",
    "苍蝇", "蚊子", "狐狸", "骆驼",
];

/// Words ending in 们 or 子 whose last syllable keeps its tone.
const FULL_LAST: &[&str] = &[
    "男子", "女子", "分子", "原子", "量子", "莲子", "石子", "瓜子", "电子", "孔子", "孟子", "老子",
    "庄子", "君子", "太子", "天子", "弟子", "才子", "公子", "世子", "长子", "赤子",
];

/// Sentence-final particles, always neutral.
const PARTICLES: &str = "吧呢啊呐噻嘛吗吖嗨哦哒额哩哟喽啰耶喔诶么";

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
        neutral(&mut words[i], prev_last);
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

fn neutral(word: &mut Word, prev_last: Option<char>) {
    let n = word.chars.len();
    let last = n - 1;
    let text = word.text();
    let pos = word.pos.clone();
    let pos = pos.as_str();
    if NEUTRAL_LAST.contains(&text.as_str()) {
        word.set_tone(last, 5);
    }
    // Reduplicated nouns, verbs and adjectives: 看看, 妈妈, 试试.
    if pos.starts_with(['n', 'v', 'a']) {
        for j in 1..n {
            if word.chars[j] == word.chars[j - 1] && !DIGITS.contains(word.chars[j]) {
                word.set_tone(j, 5);
            }
        }
    }
    let end = word.chars[last];
    let particle = PARTICLES.contains(end) && (n > 1 || pos.starts_with('y') || pos == "x");
    let structural = n == 1 && "的地得着了过".contains(end) && pos.starts_with('u');
    let suffix = n > 1
        && "们子".contains(end)
        && (pos.starts_with('r') || pos.starts_with('n'))
        && !FULL_LAST.contains(&text.as_str());
    let place = n > 1 && "上下里".contains(end) && pos.starts_with(['s', 'l', 'f']);
    let direction =
        n > 1 && "来去".contains(end) && "上下进出回过起开".contains(word.chars[last - 1]);
    if particle || structural || suffix || place || direction {
        word.set_tone(last, 5);
    }
    // 个 as a measure word: after a numeral or 几, 这, 那, 每… (一个, 那个).
    for i in 0..n {
        if word.chars[i] != '个' {
            continue;
        }
        let before = if i > 0 {
            Some(word.chars[i - 1])
        } else {
            prev_last
        };
        if n == 1
            || before.is_some_and(|c| "一二三四五六七八九十两几这那哪每各整半多有是做".contains(c))
        {
            word.set_tone(i, 5);
        }
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
            .map(|(w, pos)| Word {
                chars: w.chars().collect(),
                pos: pos.to_string(),
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
        assert_eq!(phrase(&[("一个", "m")]), ["yi2 ge5"]);
        assert_eq!(phrase(&[("一", "m"), ("起", "v")]), ["yi4", "qi3"]);
        assert_eq!(phrase(&[("看一看", "v")]), ["kan4 yi5 kan4"]);
        assert_eq!(phrase(&[("第一", "m")]), ["di4 yi1"]);
        assert_eq!(phrase(&[("一", "m")]), ["yi1"]);
        assert_eq!(phrase(&[("一二三", "m")]), ["yi1 er4 san1"]);
    }

    #[test]
    fn neutral_tones() {
        assert_eq!(phrase(&[("看看", "v")]), ["kan4 kan5"]);
        assert_eq!(phrase(&[("走", "v"), ("吧", "y")]), ["zou3", "ba5"]);
        assert_eq!(phrase(&[("朋友", "n")]), ["peng2 you5"]);
        assert_eq!(
            phrase(&[("我", "r"), ("的", "uj"), ("书", "n")]),
            ["wo3", "de5", "shu1"]
        );
    }
}
