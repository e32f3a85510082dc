//! Japanese text → Kokoro phoneme tokens, the way Kokoro's own G2P makes them.
//!
//! Kokoro v1.0 learnt Japanese from misaki's `JAG2P` in its default "cutlet" form: text is
//! NFKC-normalized, digits become kana, MeCab splits it into words and gives each word's
//! pronunciation, and the kana are written in a Hepburn-like IPA (`kana.rs`). This module does
//! the same with vibrato (a MeCab-compatible tokenizer in Rust) and IPADIC, whose last feature,
//! the pronunciation, plays the part of UniDic's `pron`: it already reads the particles は, へ,
//! を as `ワ`, `エ`, `オ` and writes long vowels as `ー` (東京 → `トーキョー` → `toːkʲoː`).
//!
//! Words are separated by spaces as misaki separates them (punctuation sticks to the word
//! before it, an opening quote to the word after), and a space next to `ʔ` goes, so a word
//! MeCab cut after its `っ` is said as one (行っ|た → `iʔta`). What the model never saw is left
//! out: brackets (misaki writes them as `« »`, which are not in the vocabulary) and marks
//! outside the vocabulary. A kanji word the dictionary cannot read is skipped, with one
//! warning; a Latin word is kept as a token with no phonemes ([`is_latin`]), for the caller to
//! read in English. Digits left in the text are read by the script stage's Japanese rules
//! (`normalize::ja`), as misaki reads digits itself.
//!
//! Not done: misaki regroups UniDic's short units into longer words with a word list before
//! spacing them; IPADIC's units are already about that long, so spaces fall in nearly the
//! same places without it.

mod dictionary;
mod kana;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use unicode_normalization::UnicodeNormalization;
use vibrato::Tokenizer;
use vibrato::dictionary::LexType;

use super::phonemes::{Boundary, Token};
use crate::stages::script::normalize::ja as numbers;
pub use dictionary::Location;

/// MeCab's limit on how many characters an unknown word may group (vibrato's default is no
/// limit; 24 gives MeCab's segmentation).
const MAX_GROUPING: usize = 24;

/// A Japanese phonemizer: the dictionary's tokenizer and the kana tables.
pub struct Japanese {
    tokenizer: Tokenizer,
    /// Set once a word without a reading has been reported.
    warned_unread: AtomicBool,
}

/// What one tokenizer word is, for spacing and for the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A Japanese word, read.
    Word,
    /// Punctuation or a symbol.
    Mark,
    /// Latin letters, left for the caller.
    Latin,
    /// A word with no reading (kanji the dictionary lacks): left out.
    Unread,
}

/// One word on its way to a token: its text, misaki's string for it, and the space after.
#[derive(Debug)]
struct Piece {
    text: String,
    /// As misaki writes it (brackets included, which are dropped at the end).
    phonemes: String,
    kind: Kind,
    space: bool,
    /// Part of the word before it, as misaki's word list would have it (see [`joins`]).
    joined: bool,
}

impl Piece {
    /// What misaki's output has for this word: a Latin word is there as written.
    fn as_misaki(&self) -> &str {
        match self.kind {
            Kind::Latin => &self.text,
            _ => &self.phonemes,
        }
    }
}

impl Japanese {
    /// Loads the dictionary from `dir` (`models/ja`, or a MeCab source dictionary itself),
    /// compiling it once if needed (see `dictionary.rs`).
    pub fn load(dir: &Path) -> anyhow::Result<Japanese> {
        let dict = dictionary::load(&Location::of(dir))?;
        let tokenizer = Tokenizer::new(dict)
            .ignore_space(true)
            .map_err(|e| anyhow::anyhow!("the Japanese dictionary in {}: {e}", dir.display()))?
            .max_grouping_len(MAX_GROUPING);
        Ok(Japanese {
            tokenizer,
            warned_unread: AtomicBool::new(false),
        })
    }

    /// Phoneme tokens for one passage of Japanese text.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let text = prepare(text);
        let mut worker = self.tokenizer.new_worker();
        let mut pieces = Vec::new();
        // One line at a time keeps the lattice small; a line break is a word break anyway.
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            worker.reset_sentence(line);
            worker.tokenize();
            let mut previous: Option<&str> = None;
            for token in worker.token_iter() {
                let known = token.lex_type() != LexType::Unknown;
                let feature = known.then(|| token.feature());
                let mut piece = self.piece(token.surface(), feature);
                piece.joined = previous.zip(feature).is_some_and(|(p, f)| joins(p, f));
                pieces.push(piece);
                previous = feature;
            }
        }
        space(&mut pieces);
        into_tokens(pieces)
    }

    /// One word: its reading from the dictionary's `feature` (for a known word), else from
    /// its own characters.
    fn piece(&self, surface: &str, feature: Option<&str>) -> Piece {
        let (kind, phonemes) = if surface.is_ascii() {
            if surface.chars().any(|c| c.is_ascii_alphanumeric()) {
                (Kind::Latin, String::new())
            } else {
                (Kind::Mark, surface.to_string())
            }
        } else if let Some(reading) = feature.and_then(reading) {
            read(&kana::long_vowels(&kana::to_hiragana(reading)))
        } else if surface.chars().all(kana::is_kana) {
            (Kind::Word, kana::phonemes(&kana::to_hiragana(surface)))
        } else if !surface.chars().any(char::is_alphanumeric) {
            (Kind::Mark, surface.chars().filter_map(mark).collect())
        } else if surface.chars().any(is_latin_letter) {
            (Kind::Latin, String::new())
        } else {
            if !self.warned_unread.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    "the Japanese dictionary has no reading for \"{surface}\"; words like it are \
                     left out"
                );
            }
            (Kind::Unread, String::new())
        };
        Piece {
            text: surface.to_string(),
            phonemes,
            kind,
            space: true,
            joined: false,
        }
    }
}

/// Whether a word is said with the one before it, by their dictionary features. misaki joins
/// UniDic's short units into the words of its word list before spacing them; IPADIC's units
/// are about as long as those words except that it cuts off auxiliaries and the て form, which
/// the word list mostly keeps on the verb (行き|ます → `ikʲimasɨ`, 起き|て → `okʲite`). The
/// copula stays apart, and so does what follows it (多い|です → `oːi desɨ`, で|ある →
/// `de aɾɯ`), as in misaki.
fn joins(previous: &str, feature: &str) -> bool {
    let field = |f: &str, i: usize| f.split(',').nth(i).unwrap_or("").to_string();
    let (before, before_base, pos, sub, base) = (
        field(previous, 0),
        field(previous, 6),
        field(feature, 0),
        field(feature, 1),
        field(feature, 6),
    );
    match pos.as_str() {
        "助動詞" => {
            let copula = |b: &str| matches!(b, "だ" | "です");
            matches!(before.as_str(), "動詞" | "助動詞" | "形容詞")
                && !copula(&base)
                && !copula(&before_base)
        }
        "助詞" => before == "動詞" && sub == "接続助詞" && matches!(base.as_str(), "て" | "で"),
        "動詞" => before == "動詞" && sub == "接尾",
        _ => false,
    }
}

/// Whether a token is a Latin word inside Japanese text: it has no phonemes, and the caller
/// reads its text in another language (English) or leaves it out.
pub fn is_latin(token: &Token) -> bool {
    token.phonemes.is_empty() && token.text.chars().any(is_latin_letter)
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'À'..='ɏ' | 'Ḁ'..='ỿ') && c.is_alphabetic()
}

/// The text as misaki has it before MeCab: digits read as kana, the rare small katakana of
/// the phonetic extensions made ordinary, and NFKC, which makes full-width Latin letters,
/// digits and marks half-width and half-width katakana full-width.
fn prepare(text: &str) -> String {
    let text = if text
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        numbers::normalize(text)
    } else {
        text.to_string()
    };
    text.chars().map(ordinary_small_katakana).nfkc().collect()
}

/// ㇰ → ク and the like (the Ainu small katakana).
fn ordinary_small_katakana(c: char) -> char {
    const SMALL: &str = "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ";
    const FULL: &str = "クシストヌハヒフヘホムラリルレロ";
    match SMALL.chars().position(|s| s == c) {
        Some(i) => FULL.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// The pronunciation in a MeCab feature string, else the reading: IPADIC's last two fields,
/// or UniDic's `pron` and `kana` for a user's UniDic-style dictionary.
fn reading(feature: &str) -> Option<&str> {
    let fields: Vec<&str> = feature.split(',').collect();
    let (pron, kana) = if fields.len() >= 21 { (9, 20) } else { (8, 7) };
    [pron, kana]
        .into_iter()
        .filter_map(|i| fields.get(i).copied())
        .find(|f| !f.is_empty() && *f != "*")
}

/// A reading (in hiragana) as phonemes: kana through the kana table; a reading with no kana
/// is a symbol's, mark by mark.
fn read(reading: &str) -> (Kind, String) {
    if reading.chars().any(kana::is_kana) {
        (Kind::Word, kana::phonemes(reading))
    } else {
        (Kind::Mark, reading.chars().filter_map(mark).collect())
    }
}

/// What a mark is in misaki's output (before the vocabulary filters it): the ASCII marks as
/// they are, Japanese ones by misaki's table; `None` for anything else.
fn mark(c: char) -> Option<char> {
    Some(match c {
        '.' | ',' | '?' | '!' | ':' | ';' | '"' | '(' | ')' | '[' | ']' | '—' | '…' | '“' | '”' => {
            c
        }
        '。' | '．' => '.',
        '、' | '，' => ',',
        '？' => '?',
        '！' => '!',
        '：' => ':',
        '；' => ';',
        '「' | '『' | '«' => '“',
        '」' | '』' | '»' => '”',
        '（' | '《' => '(',
        '）' | '》' => ')',
        '【' => '[',
        '】' => ']',
        '〜' | '～' | '~' => '—',
        '・' => ' ',
        _ => return None,
    })
}

/// Spaces after words as misaki puts them: after every word, except before closing
/// punctuation and after an opening quote or bracket; a middle dot is a space itself. Then,
/// as misaki's last step does, no space next to a glottal stop unless punctuation or a quote
/// is on the other side.
fn space(pieces: &mut [Piece]) {
    for i in 1..pieces.len() {
        if pieces[i].joined {
            pieces[i - 1].space = false;
        }
    }
    for i in 0..pieces.len() {
        let text = pieces[i].text.as_str();
        let ps = pieces[i].as_misaki();
        // misaki tests these with `in` on a string, so an empty reading counts as opening.
        let opening = matches!(text, "「" | "『" | "«") || "([".contains(ps);
        let closing = matches!(text, "」" | "』" | "»") || "]).,?!:".contains(ps);
        if opening {
            if i > 0 {
                pieces[i - 1].space = true;
            }
            pieces[i].space = false;
        } else if closing {
            if i > 0 {
                pieces[i - 1].space = false;
            }
            pieces[i].space = true;
        } else if ps == " " {
            pieces[i].space = false;
        }
    }
    // Words with nothing to say do not count as neighbours.
    let said: Vec<usize> = (0..pieces.len())
        .filter(|&i| !pieces[i].as_misaki().trim().is_empty())
        .collect();
    for pair in said.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let space = (a..b).any(|i| pieces[i].space || pieces[i].phonemes == " ");
        let last = pieces[a]
            .as_misaki()
            .chars()
            .next_back()
            .map(bracket_as_misaki);
        let first = pieces[b].as_misaki().chars().next().map(bracket_as_misaki);
        let glued = (first == Some('ʔ') && !last.is_some_and(|c| "!\",.:;?»—…”".contains(c)))
            || (last == Some('ʔ') && !first.is_some_and(|c| "\"«“".contains(c)));
        if space && glued {
            for piece in &mut pieces[a..b] {
                piece.space = false;
            }
        }
    }
}

/// misaki writes brackets as guillemets before its last step, so they count as those there.
fn bracket_as_misaki(c: char) -> char {
    match c {
        '(' => '«',
        ')' => '»',
        _ => c,
    }
}

/// The marks the model was trained on in Japanese; misaki's brackets (`« »`, `[ ]`) and the
/// middle dot's space are not among them.
fn kept_mark(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '?' | '!' | ':' | ';' | '"' | '—' | '…' | '“' | '”'
    )
}

/// How strongly the text may be cut after a mark.
fn boundary_of(phonemes: &str) -> Boundary {
    if phonemes.contains(['.', '!', '?', '…']) {
        Boundary::Sentence
    } else if phonemes.contains([',', ';', ':', '“', '”', '—', '(', ')', '[', ']']) {
        Boundary::Clause
    } else {
        Boundary::Word
    }
}

/// The pieces as tokens. A piece with nothing to say is dropped, its space and boundary
/// passing to the token before it; a Latin word stays, with no phonemes.
fn into_tokens(pieces: Vec<Piece>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let is_space = piece.phonemes == " ";
        let (phonemes, boundary) = match piece.kind {
            Kind::Mark => (
                piece.phonemes.chars().filter(|&c| kept_mark(c)).collect(),
                boundary_of(&piece.phonemes),
            ),
            _ => (piece.phonemes, Boundary::Word),
        };
        if phonemes.is_empty() && piece.kind != Kind::Latin {
            if let Some(last) = out.last_mut() {
                last.space_after |= piece.space || is_space;
                last.boundary = last.boundary.max(boundary);
            }
            continue;
        }
        out.push(Token {
            text: piece.text,
            phonemes,
            space_after: piece.space,
            boundary,
        });
    }
    if let Some(last) = out.last_mut() {
        last.space_after = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::vocab::tests::v1;

    /// The installed dictionary (`make assets`), or `None` with a note when it is absent.
    fn installed() -> Option<Japanese> {
        let models = std::env::var_os("BOOKVOICE_MODELS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"));
        let dir = models.join("ja");
        if !Location::of(&dir).exists() {
            eprintln!(
                "skipped: no Japanese dictionary in {} (run `make assets`)",
                dir.display()
            );
            return None;
        }
        Some(Japanese::load(&dir).expect("the installed Japanese dictionary loads"))
    }

    /// The phonemes as one string, spaced as the chunker joins them.
    fn said(ja: &Japanese, text: &str) -> String {
        let mut out = String::new();
        for t in ja.tokens(text) {
            out.push_str(&t.phonemes);
            if t.space_after {
                out.push(' ');
            }
        }
        out
    }

    #[test]
    fn words_and_particles() {
        let Some(ja) = installed() else { return };
        assert_eq!(said(&ja, "東京へ行きます。"), "toːkʲoː e ikʲimasɨ.");
        assert_eq!(said(&ja, "私は本を読む"), "βataɕi βa hoɴ o jomɯ");
        // Long vowels from the pronunciation field; っ glued across a word cut.
        assert_eq!(said(&ja, "学校"), "ɡaʔkoː");
        assert_eq!(said(&ja, "先生"), "seɴseː");
        assert_eq!(said(&ja, "美しい"), "ɯʦɨkɯɕiː");
        // Auxiliaries and the て form stay on the verb; the copula does not.
        assert_eq!(said(&ja, "起きています"), "okʲite imasɨ");
        assert_eq!(said(&ja, "多いです"), "oːi desɨ");
        assert_eq!(said(&ja, "猫である"), "neko de aɾɯ");
        assert_eq!(said(&ja, "行った"), "iʔta");
        // ん assimilates; digraphs.
        assert_eq!(said(&ja, "新聞"), "ɕimbɯɴ");
        assert_eq!(said(&ja, "写真"), "ɕaɕiɴ");
        assert_eq!(said(&ja, "ありがとう"), "aɾʲiɡatoː");
    }

    #[test]
    fn punctuation_bounds_sentences_and_clauses() {
        let Some(ja) = installed() else { return };
        let tokens = ja.tokens("「はい」と言った。でも、違う！");
        let marks: Vec<(&str, &str, Boundary)> = tokens
            .iter()
            .filter(|t| t.boundary != Boundary::Word)
            .map(|t| (t.text.as_str(), t.phonemes.as_str(), t.boundary))
            .collect();
        assert_eq!(
            marks,
            [
                ("「", "“", Boundary::Clause),
                ("」", "”", Boundary::Clause),
                ("。", ".", Boundary::Sentence),
                ("、", ",", Boundary::Clause),
                ("!", "!", Boundary::Sentence),
            ]
        );
        assert_eq!(said(&ja, "「はい」と言った。"), "“hai” to iʔta.");
        // Brackets are dropped, as Kokoro's vocabulary drops misaki's « ».
        assert_eq!(said(&ja, "本（ほん）"), "hoɴ hoɴ");
    }

    #[test]
    fn unknown_words() {
        let Some(ja) = installed() else { return };
        // Katakana the dictionary lacks are read as written.
        assert_eq!(said(&ja, "ポケモンガ"), "pokemoŋɡa");
        // Latin is kept for the caller, with no phonemes.
        let tokens = ja.tokens("これはPythonです");
        let latin: Vec<&Token> = tokens.iter().filter(|t| is_latin(t)).collect();
        assert_eq!(latin.len(), 1);
        assert_eq!(latin[0].text, "Python");
        assert!(latin[0].space_after);
        // Full-width Latin is made half-width first.
        assert!(ja.tokens("ＡＢＣ").iter().all(is_latin));
    }

    #[test]
    fn digits_are_read() {
        let Some(ja) = installed() else { return };
        // As misaki reads them, a number's ん does not meet the counter's consonant.
        assert_eq!(said(&ja, "りんごが3個ある"), "ɾʲiŋɡo ɡa saɴ ko aɾɯ");
    }

    #[test]
    fn every_symbol_is_in_the_vocabulary() {
        let vocab = v1();
        let mut all = String::new();
        for c in ('ぁ'..='ゖ').chain('ヷ'..='ヺ') {
            all.push_str(&kana::phonemes(&c.to_string()));
            for d in 'ぁ'..='ゖ' {
                all.push_str(&kana::phonemes(&format!("{c}{d}")));
                all.push_str(&kana::phonemes(&format!("ん{c}{d}")));
            }
        }
        all.push_str(&kana::phonemes("ーっん"));
        for c in all
            .chars()
            .chain("。、？！「」『』：；，.…—".chars().filter_map(mark))
        {
            assert!(
                vocab.contains(c) || c == ' ',
                "{c:?} is not in the vocabulary"
            );
        }
    }
}
