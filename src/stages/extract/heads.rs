//! Chapter headings written as text: a paragraph that is nothing but "第一回　宴桃园豪杰三结义",
//! "CHAPTER IV. THE POOL OF TEARS", "Capítulo 4" or "IV.", in a book that set its chapter
//! headings as ordinary paragraphs (Project Gutenberg's conversions of plain-text files do,
//! and so do many Chinese and Japanese books). This file only finds such lines;
//! `chapters.rs` decides whether the book needs them and cuts there.
//!
//! A line counts only when it is a whole short paragraph that opens with a chapter word and
//! a number, so that a sentence is never a heading:
//! - "Chapter 3 was the hardest" is prose (a lower-case word follows the number), and so is
//!   a "heading" followed by more words than any title has.
//! - The numbers of each kind of heading (第…回, CHAPTER, BOOK…) must rise, with gaps allowed,
//!   or start again at one in a new part of the book (after a volume's line, in another
//!   document, after a real heading): a stray "Chapter 3" inside chapter 7, or a quoted
//!   "CHAPTER I", is not a heading.
//! - A kind seen fewer than [`MIN_RUN`] times is not how the book marks its chapters, except
//!   a volume kind (第二卷, BOOK II) beside a chapter kind that is.
//! - A roman numeral alone on a line counts only in a run that starts at I, and only where
//!   no chapter word is used.
//! - Project Gutenberg's header and licence are never searched: the licence's numbered
//!   sections are not the story's chapters.

use std::collections::HashMap;

use super::boilerplate;
use super::book::Block;
use super::chapters::Doc;
use super::content::Piece;
use crate::lang::spans;
use crate::stages::script::normalize::words;

/// The fewest headings of one kind that show it is how the book marks its chapters.
pub const MIN_RUN: usize = 3;

/// The largest rise from one heading's number to the next of its kind (a missing chapter or
/// two in a transcription; not a number taken from prose).
const MAX_GAP: u32 = 10;

/// A heading line longer than this (in characters) is a paragraph.
const MAX_LINE_CHARS: usize = 120;

/// A title after a chapter word and number holds at most this many words.
const MAX_TITLE_WORDS: usize = 12;

/// A title after 第…回 holds at most this many characters (the couplet titles of Chinese
/// novels run to about thirty).
const MAX_CJK_TITLE_CHARS: usize = 48;

/// What kind of heading a line is: headings of one kind number one sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 第…回, 第…章, 第…話: the counter after the number, in one spelling (節 for 节, 話 for
    /// 话, 卷 for 巻).
    Counter(char),
    /// CHAPTER, Capítulo, CANTO…: the word, lower-case, in one spelling.
    Word(&'static str),
    /// A roman numeral alone on its line.
    Roman,
}

impl Kind {
    /// A heading above chapters: a volume, book or part.
    pub fn is_volume(self) -> bool {
        match self {
            Kind::Counter(c) => matches!(c, '卷' | '部' | '集'),
            Kind::Word(w) => VOLUME_WORDS.contains(&w),
            Kind::Roman => false,
        }
    }
}

/// A heading line, recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub kind: Kind,
    pub number: u32,
}

/// The chapter and volume words, each with the spellings that stand for it (lower-case).
const WORDS: &[(&str, &[&str])] = &[
    ("chapter", &["chapter"]),
    ("chapitre", &["chapitre"]),
    ("capitulo", &["capítulo", "capitulo"]),
    ("capitolo", &["capitolo"]),
    ("canto", &["canto"]),
    ("kapitel", &["kapitel"]),
    ("book", &["book"]),
    ("part", &["part"]),
    ("volume", &["volume"]),
    ("livre", &["livre"]),
    ("libro", &["libro"]),
    ("partie", &["partie"]),
    ("parte", &["parte"]),
    ("tome", &["tome"]),
];

const VOLUME_WORDS: &[&str] = &[
    "book", "part", "volume", "livre", "libro", "partie", "parte", "tome",
];

/// Recognizes a heading line: the whole text of one paragraph, as a reader sees it.
pub fn recognize(line: &str) -> Option<Head> {
    // Cheap before anything is counted: a long paragraph is never a heading.
    if line.len() > MAX_LINE_CHARS * 4 {
        return None;
    }
    let line = line.trim();
    if line.is_empty() || line.chars().count() > MAX_LINE_CHARS {
        return None;
    }
    counter_head(line)
        .or_else(|| word_head(line))
        .or_else(|| roman_head(line))
}

/// 第 + a number + a counter (回, 章, 話, 节, 卷…), then nothing, or a break and a title.
fn counter_head(line: &str) -> Option<Head> {
    let rest = line.strip_prefix('第')?;
    let end = rest
        .char_indices()
        .find(|(_, c)| cjk_digit(*c).is_none())
        .map(|(i, _)| i)?;
    let (digits, rest) = rest.split_at(end);
    let number = cjk_number(digits)?;
    let mut chars = rest.chars();
    let counter = match chars.next()? {
        c @ ('回' | '章' | '話' | '节' | '卷' | '部' | '集' | '篇' | '幕') => c,
        '话' => '話',
        '節' => '节',
        '巻' => '卷',
        _ => return None,
    };
    let after = chars.as_str();
    // "第一回合，…" is a sentence: the counter must end the word.
    if after.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let title = after.trim_start_matches(|c: char| c.is_whitespace() || "：:、．.·-—".contains(c));
    if title.chars().count() > MAX_CJK_TITLE_CHARS || title.contains('。') {
        return None;
    }
    Some(Head {
        kind: Kind::Counter(counter),
        number,
    })
}

/// A digit as Chinese and Japanese write numbers: its value, or 10, 100, 1000 for the units,
/// or 0 for a zero that only holds a place.
fn cjk_digit(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c as u32 - '0' as u32,
        '０'..='９' => c as u32 - '０' as u32,
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '貳' | '两' | '兩' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

fn is_unit(c: char) -> bool {
    matches!(c, '十' | '拾' | '百' | '佰' | '千' | '仟')
}

/// The value of "3", "１２", "一百二十", "十二", "一〇五": digits in place, or digits
/// multiplied by their units (one unit per place, largest first).
fn cjk_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 8 {
        return None;
    }
    if !s.chars().any(is_unit) {
        // Place value: every character a digit.
        return s
            .chars()
            .try_fold(0u32, |n, c| {
                Some(n * 10 + cjk_digit(c).filter(|d| *d < 10)?)
            })
            .filter(|n| *n > 0);
    }
    if s.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    let (mut total, mut digit, mut last_unit) = (0u32, None::<u32>, u32::MAX);
    for c in s.chars() {
        let v = cjk_digit(c)?;
        if is_unit(c) {
            if v >= last_unit {
                return None;
            }
            total += digit.take().unwrap_or(1) * v;
            last_unit = v;
        } else if v == 0 {
            // 一百零五: the zero holds the tens' place.
            if digit.is_some() {
                return None;
            }
        } else if digit.replace(v).is_some() {
            return None;
        }
    }
    Some(total + digit.unwrap_or(0)).filter(|n| *n > 0)
}

/// A chapter word (capitalized or in capitals) and a number, then nothing, or a title.
fn word_head(line: &str) -> Option<Head> {
    let (word, rest) = line.split_once(char::is_whitespace)?;
    if !word.chars().next()?.is_uppercase() {
        return None;
    }
    let lower = word.to_lowercase();
    let &(kind, _) = WORDS
        .iter()
        .find(|(_, spellings)| spellings.contains(&lower.as_str()))?;
    let (number, after) = number_then(rest.trim_start())?;
    let title = match after.chars().next() {
        None => "",
        // "CHAPTER XII.—THE FLIGHT", "Chapter 1: Loomings"
        Some(c) if ".:—–-)".contains(c) => {
            after.trim_start_matches(|c: char| c.is_whitespace() || ".:—–-)".contains(c))
        }
        // "CHAPTER I THE BEGINNING", but not "Chapter 3 was the hardest".
        Some(c) if c.is_whitespace() => {
            let title = after.trim_start();
            if title.chars().next().is_some_and(char::is_lowercase) {
                return None;
            }
            title
        }
        Some(_) => return None,
    };
    if title.split_whitespace().count() > MAX_TITLE_WORDS {
        return None;
    }
    Some(Head {
        kind: Kind::Word(kind),
        number,
    })
}

/// The number after a chapter word ("12", "XII", "Twelve", "the Twelfth", "premier",
/// "Ier") and the text after it.
fn number_then(s: &str) -> Option<(u32, &str)> {
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        if digits > 4 {
            return None;
        }
        let number: u32 = s[..digits].parse().ok().filter(|n| *n > 0)?;
        let rest = &s[digits..];
        // "Chapitre 1er"
        let rest = rest.strip_prefix("er").unwrap_or(rest);
        return Some((number, rest));
    }
    let (ordinal, s) = match s.get(..4) {
        Some(the) if the.eq_ignore_ascii_case("the ") => (true, s[4..].trim_start()),
        _ => (false, s),
    };
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphabetic() || *c == '-'))
        .map_or(s.len(), |(i, _)| i);
    let token = s[..end].trim_end_matches('-');
    let rest = &s[token.len()..];
    let lower = token.to_lowercase();
    let number = if ordinal {
        english(&lower).filter(|(_, ord)| *ord).map(|(n, _)| n)
    } else {
        roman(token)
            .or_else(|| english(&lower).map(|(n, _)| n))
            .or_else(|| {
                matches!(
                    lower.as_str(),
                    "ier" | "premier" | "première" | "primero" | "primo" | "primeiro"
                )
                .then_some(1)
            })
    }?;
    Some((number, rest))
}

/// An English number word up to ninety-nine, cardinal or ordinal ("twenty-one",
/// "twenty-first"), and whether it was ordinal.
fn english(word: &str) -> Option<(u32, bool)> {
    const UNITS: [(&str, &str); 19] = [
        ("one", "first"),
        ("two", "second"),
        ("three", "third"),
        ("four", "fourth"),
        ("five", "fifth"),
        ("six", "sixth"),
        ("seven", "seventh"),
        ("eight", "eighth"),
        ("nine", "ninth"),
        ("ten", "tenth"),
        ("eleven", "eleventh"),
        ("twelve", "twelfth"),
        ("thirteen", "thirteenth"),
        ("fourteen", "fourteenth"),
        ("fifteen", "fifteenth"),
        ("sixteen", "sixteenth"),
        ("seventeen", "seventeenth"),
        ("eighteen", "eighteenth"),
        ("nineteen", "nineteenth"),
    ];
    const TENS: [(&str, &str); 8] = [
        ("twenty", "twentieth"),
        ("thirty", "thirtieth"),
        ("forty", "fortieth"),
        ("fifty", "fiftieth"),
        ("sixty", "sixtieth"),
        ("seventy", "seventieth"),
        ("eighty", "eightieth"),
        ("ninety", "ninetieth"),
    ];
    let find = |table: &[(&str, &str)], w: &str, scale: u32, base: u32| {
        table.iter().position(|(c, o)| *c == w || *o == w).map(|i| {
            let ordinal = table[i].1 == w;
            ((i as u32 + 1) * scale + base, ordinal)
        })
    };
    match word.split_once('-') {
        None => find(&UNITS, word, 1, 0).or_else(|| find(&TENS, word, 10, 10)),
        Some((tens, unit)) => {
            let (tens, false) = find(&TENS, tens, 10, 10)? else {
                return None;
            };
            let (unit, ordinal) = find(&UNITS[..9], unit, 1, 0)?;
            Some((tens + unit, ordinal))
        }
    }
}

/// The value of a Roman numeral written the standard way, in capitals or in small letters
/// but not mixed ("IV", "xii"; not "Iv"), or `None`.
pub fn roman(token: &str) -> Option<u32> {
    let one_case = token.chars().all(|c| c.is_ascii_uppercase())
        || token.chars().all(|c| c.is_ascii_lowercase());
    if !one_case {
        return None;
    }
    words::roman(token).and_then(|n| u32::try_from(n).ok())
}

/// "IV." alone on its line: a roman numeral in capitals, with or without a full stop.
fn roman_head(line: &str) -> Option<Head> {
    let token = line.strip_suffix('.').unwrap_or(line).trim_end();
    if !token.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(Head {
        kind: Kind::Roman,
        number: roman(token)?,
    })
}

/// A heading line as the sequence check sees it: what it is, and in which part of the book
/// (parts are told apart by documents and real headings between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub head: Head,
    pub part: usize,
}

/// Which of these heads, in reading order, fit the sequences of their kinds, and are of
/// kinds the book marks its chapters with (see the module's notes). Chapter numbers start
/// again at one only in a new part of the book or after a volume's line; a lone "CHAPTER I"
/// inside chapter 5 is a quotation.
pub fn in_sequence(heads: &[Placed]) -> Vec<bool> {
    // Per kind: the last number taken, in which part, after how many volumes.
    let mut last: HashMap<Kind, (u32, usize, usize)> = HashMap::new();
    let mut volumes = 0;
    let mut fits: Vec<bool> = heads
        .iter()
        .map(|&Placed { head: h, part }| {
            let gap = if h.kind == Kind::Roman { 2 } else { MAX_GAP };
            let ok = match last.get(&h.kind) {
                None => h.kind != Kind::Roman || h.number == 1,
                Some(&(prev, prev_part, prev_volumes)) => {
                    let anew =
                        h.kind == Kind::Roman || part != prev_part || volumes != prev_volumes;
                    (h.number == 1 && anew) || (prev < h.number && h.number <= prev + gap)
                }
            };
            if ok {
                if h.kind.is_volume() {
                    volumes += 1;
                }
                last.insert(h.kind, (h.number, part, volumes));
            }
            ok
        })
        .collect();
    let mut runs: HashMap<Kind, usize> = HashMap::new();
    for (p, _) in heads.iter().zip(&fits).filter(|(_, ok)| **ok) {
        *runs.entry(p.head.kind).or_default() += 1;
    }
    let long = |k: &Kind| runs.get(k).is_some_and(|n| *n >= MIN_RUN);
    let chapter_kind = runs
        .keys()
        .any(|k| *k != Kind::Roman && !k.is_volume() && long(k));
    let worded = runs.keys().any(|k| *k != Kind::Roman && long(k));
    for (p, ok) in heads.iter().zip(fits.iter_mut()) {
        *ok &= match p.head.kind {
            Kind::Roman => long(&Kind::Roman) && !worded,
            k if k.is_volume() => long(&k) || chapter_kind,
            k => long(&k),
        };
    }
    fits
}

/// A heading line found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub doc: usize,
    pub piece: usize,
    pub head: Head,
    /// The heading as the book marks it (spans kept), one line.
    pub text: String,
}

/// The text of a block that may be a heading line: a paragraph, or a paragraph broken in
/// two or three short lines whose first is the heading ("CHAPTER I.<br/>THE PERIOD"). The
/// lines are joined with a full stop where the first ends without one.
fn candidate(block: &Block) -> Option<(String, String)> {
    match block {
        Block::Paragraph { text } => Some((spans::plain(text), text.clone())),
        Block::Verse { lines } if (2..=3).contains(&lines.len()) => {
            let first = spans::plain(&lines[0]);
            let ends_bare = first
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() && (c as u32) < 0x2E80);
            let joint = if ends_bare { ". " } else { " " };
            let text = lines
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(joint);
            let plain = spans::plain(&text);
            (plain.chars().count() <= MAX_LINE_CHARS && recognize(&first).is_some())
                .then_some((plain, text))
        }
        _ => None,
    }
}

/// The heading lines of the story, in reading order, that fit the book's sequences. Only
/// documents `searched` says yes to are read, and of those only what lies between Project
/// Gutenberg's start and end markers where the book has them.
pub fn find(docs: &[Doc], searched: &dyn Fn(&Doc) -> bool) -> Vec<Found> {
    let blocks = || {
        docs.iter().enumerate().flat_map(|(d, doc)| {
            doc.content
                .pieces
                .iter()
                .enumerate()
                .filter_map(move |(i, p)| match p {
                    Piece::Block(b) => Some((d, i, b)),
                    Piece::Image(_) => None,
                })
        })
    };
    // Nothing before the header's end is the story.
    let from = blocks()
        .find(|(_, _, b)| boilerplate::marks_start(b))
        .map(|(d, i, _)| (d, i + 1))
        .unwrap_or((0, 0));
    let mut found = Vec::new();
    let mut placed = Vec::new();
    // Parts of the book: each document, and each stretch after a real heading.
    let (mut part, mut part_doc) = (0, from.0);
    for (d, i, block) in blocks().skip_while(|(d, i, _)| (*d, *i) < from) {
        if boilerplate::marks_end(block) {
            break;
        }
        if d != part_doc || matches!(block, Block::Heading { .. }) {
            part += 1;
            part_doc = d;
        }
        if !searched(&docs[d]) {
            continue;
        }
        let Some((plain, text)) = candidate(block) else {
            continue;
        };
        if let Some(head) = recognize(&plain) {
            placed.push(Placed { head, part });
            found.push(Found {
                doc: d,
                piece: i,
                head,
                text,
            });
        }
    }
    let fits = in_sequence(&placed);
    found
        .into_iter()
        .zip(fits)
        .filter_map(|(f, ok)| ok.then_some(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(line: &str) -> Option<u32> {
        recognize(line).map(|h| h.number)
    }

    #[test]
    fn chinese_and_japanese_headings() {
        assert_eq!(
            recognize("第一回　宴桃园豪杰三结义　斩黄巾英雄首立功"),
            Some(Head {
                kind: Kind::Counter('回'),
                number: 1
            })
        );
        assert_eq!(number("第十二章 归来"), Some(12));
        assert_eq!(number("第3話"), Some(3));
        assert_eq!(number("第１２話　雨の日"), Some(12));
        assert_eq!(number("第一百二十回　薛家母子雪夜归"), Some(120));
        assert_eq!(number("第一百零五回"), Some(105));
        assert_eq!(number("第二十回：结局"), Some(20));
        assert_eq!(number("第一〇五回"), Some(105));
        assert_eq!(number("第十回"), Some(10));
        assert_eq!(
            recognize("第二卷　风起").map(|h| (h.kind, h.kind.is_volume())),
            Some((Kind::Counter('卷'), true))
        );
        assert_eq!(
            recognize("第二巻").map(|h| h.kind),
            Some(Kind::Counter('卷'))
        );
        assert_eq!(number("第一节 开端"), Some(1));
        assert_eq!(
            recognize("第三話").map(|h| h.kind),
            Some(Kind::Counter('話'))
        );
    }

    #[test]
    fn chinese_sentences_are_not_headings() {
        // A round of a fight, a sentence that opens with an ordinal, and a long paragraph.
        assert_eq!(recognize("第一回合，关羽便斩了华雄。"), None);
        assert_eq!(recognize("第一次见面时，他们都很紧张。"), None);
        assert_eq!(
            recognize("第三章　话说天下大势，分久必合，合久必分。周末七国分争，并入于秦。"),
            None
        );
        assert_eq!(recognize(&format!("第一回 {}", "很".repeat(60))), None);
        assert_eq!(recognize("第回"), None);
        assert_eq!(recognize("第十十回"), None);
        assert_eq!(recognize("他读了第一回"), None);
    }

    #[test]
    fn headings_in_european_languages() {
        assert_eq!(
            recognize("CHAPTER I"),
            Some(Head {
                kind: Kind::Word("chapter"),
                number: 1
            })
        );
        assert_eq!(number("Chapter 12"), Some(12));
        assert_eq!(number("CHAPTER XII.—THE FLIGHT"), Some(12));
        assert_eq!(number("CHAPTER IV. THE POOL OF TEARS"), Some(4));
        assert_eq!(number("Chapter 1: Loomings"), Some(1));
        assert_eq!(number("Chapter the First"), Some(1));
        assert_eq!(number("CHAPTER THE TWENTY-FIRST"), Some(21));
        assert_eq!(number("Chapter Twenty-Two"), Some(22));
        assert_eq!(number("CHAPTER I THE BEGINNING"), Some(1));
        assert_eq!(
            recognize("BOOK II").map(|h| (h.kind, h.number, h.kind.is_volume())),
            Some((Kind::Word("book"), 2, true))
        );
        assert_eq!(number("Capítulo 4"), Some(4));
        assert_eq!(
            recognize("CAPÍTULO IV").map(|h| h.kind),
            Some(Kind::Word("capitulo"))
        );
        assert_eq!(number("Capitulo primero"), Some(1));
        assert_eq!(number("CHAPITRE II"), Some(2));
        assert_eq!(number("Chapitre premier"), Some(1));
        assert_eq!(number("CHAPITRE Ier"), Some(1));
        assert_eq!(number("Chapitre 1er. Le départ"), Some(1));
        assert_eq!(number("Capitolo 3"), Some(3));
        assert_eq!(number("CANTO XII"), Some(12));
        assert_eq!(number("Capítulo 3 — O regresso"), Some(3));
        assert_eq!(
            recognize("IV.").map(|h| (h.kind, h.number)),
            Some((Kind::Roman, 4))
        );
        assert_eq!(number("XIV"), Some(14));
    }

    #[test]
    fn european_sentences_are_not_headings() {
        for line in [
            "Chapter 3 was the hardest to write.",
            "chapter 3",
            "Part of the problem was the rain.",
            "Book two of the series sold better.",
            "Chapter 1. It was a dark and stormy night, and the rain fell in torrents, except at occasional intervals.",
            "CHAPTER IIII",
            "Chapter",
            "Chapter 12th",
            "Canto della sera",
            "I.  The first point is this.",
            "Ivy.",
            "Chapter 0",
            "Chapter the One",
        ] {
            assert_eq!(recognize(line), None, "{line:?}");
        }
    }

    #[test]
    fn roman_numerals_are_written_the_standard_way() {
        assert_eq!(roman("XLII"), Some(42));
        assert_eq!(roman("mcmxcix"), Some(1999));
        assert_eq!(roman("IC"), None);
        assert_eq!(roman("VX"), None);
        assert_eq!(roman("IiI"), None);
    }

    /// Heads in one part of the book.
    fn heads(list: &[(Kind, u32)]) -> Vec<Placed> {
        list.iter()
            .map(|&(kind, number)| Placed {
                head: Head { kind, number },
                part: 0,
            })
            .collect()
    }

    #[test]
    fn numbers_must_make_a_sequence() {
        let ch = Kind::Word("chapter");
        let book = Kind::Word("book");
        // A cross-reference to chapter 3 inside chapter 7 is not a heading; a gap is allowed;
        // chapters start again at one in each book; two books beside the chapters count.
        let list = heads(&[
            (book, 1),
            (ch, 1),
            (ch, 2),
            (ch, 4),
            (ch, 7),
            (ch, 3),
            (book, 2),
            (ch, 1),
            (ch, 2),
        ]);
        assert_eq!(
            in_sequence(&list),
            [true, true, true, true, true, false, true, true, true]
        );
        // Two lines of a kind are not how a book marks its chapters.
        assert_eq!(in_sequence(&heads(&[(ch, 1), (ch, 2)])), [false, false]);
        // A leap of a hundred is prose.
        assert_eq!(
            in_sequence(&heads(&[(ch, 1), (ch, 2), (ch, 3), (ch, 200)])),
            [true, true, true, false]
        );
        // "CHAPTER I" again with no volume's line before it is a quotation; in a new part
        // of the book (another document, after a real heading) numbering starts again.
        let list = heads(&[(ch, 1), (ch, 2), (ch, 3), (ch, 1), (ch, 4)]);
        assert_eq!(in_sequence(&list), [true, true, true, false, true]);
        let mut list = heads(&[(ch, 1), (ch, 2), (ch, 3), (ch, 1), (ch, 2)]);
        list[3].part = 1;
        list[4].part = 1;
        assert_eq!(in_sequence(&list), [true; 5]);
    }

    #[test]
    fn lone_numerals_need_a_run_from_one_and_no_chapter_words() {
        let r = Kind::Roman;
        assert_eq!(
            in_sequence(&heads(&[(r, 1), (r, 2), (r, 3), (r, 4)])),
            [true; 4]
        );
        // "D." and "C." are initials, not a run.
        assert_eq!(
            in_sequence(&heads(&[(r, 500), (r, 100), (r, 1), (r, 2)])),
            [false; 4]
        );
        let ch = Kind::Word("chapter");
        assert_eq!(
            in_sequence(&heads(&[(ch, 1), (r, 1), (r, 2), (ch, 2), (r, 3), (ch, 3)])),
            [true, false, false, true, false, true]
        );
    }
}
