//! Text → phoneme tokens, with the boundaries the chunker cuts at, in every language.
//!
//! Each passage is phonemized in its own language (see [`crate::lang::spans`]): English by
//! misaki-rs, the G2P Kokoro v1.0 was trained with (POS-aware, keeping the punctuation the
//! model needs for prosody; words it does not know go to espeak-ng); Spanish, French,
//! Italian, Brazilian Portuguese and Hindi by espeak-ng with Kokoro's mapping, as Kokoro's own
//! pipeline does (`espeak.rs`). A passage in a language Kokoro does not speak (Latin, German…)
//! is read with espeak-ng's pronunciation of it where espeak-ng has one, in the book's voice,
//! and with the book's language otherwise; either way the log says so once. `--g2p espeak`
//! uses espeak-ng for English too, as a baseline to compare with.
//!
//! espeak-ng keeps no punctuation, so its text is cut at punctuation first and the marks are
//! put back between the pieces; a mark between digits (`3,5`, `1.000`, `10:30`) is part of
//! the number. Marks the model never saw become ones it did (`«` → `"`, `।` → `.`) or nothing
//! (`¿`, `¡`, a dialogue dash that opens a paragraph). Each token remembers its text, so a
//! failing chunk can be named by what it says.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex, OnceLock};

use misaki_rs::{G2P, Language as MisakiLanguage};
use regex::Regex;

use super::chinese::Chinese;
use super::espeak::{EspeakWords, espeak_pieces, knows_voice, to_kokoro, to_misaki};
use super::japanese::{self, Japanese};
use super::settings::G2pKind;
use crate::lang::{Lang, Language, spans};

/// How strongly the text may be cut after a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Boundary {
    /// Between words.
    Word,
    /// After a comma, semicolon, colon, dash or bracket.
    Clause,
    /// After a full stop, question or exclamation mark, or ellipsis.
    Sentence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    pub phonemes: String,
    /// Whether a space follows (in the text and in the phonemes).
    pub space_after: bool,
    pub boundary: Boundary,
}

fn boundary_of(text: &str) -> Boundary {
    let is_punct = !text.is_empty() && text.chars().all(|c| !c.is_alphanumeric());
    if is_punct
        && text
            .chars()
            .any(|c| matches!(c, '.' | '!' | '?' | '…' | '।' | '॥'))
    {
        Boundary::Sentence
    } else if is_punct
        && text
            .chars()
            .any(|c| matches!(c, ',' | ';' | ':' | '—' | '–' | '(' | ')'))
    {
        Boundary::Clause
    } else {
        Boundary::Word
    }
}

/// Marks espeak-ng text is cut at. Quotes and brackets are kept for prosody like the rest.
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '¿'
            | '¡'
            | '—'
            | '–'
            | '…'
            | '"'
            | '«'
            | '»'
            | '“'
            | '”'
            | '„'
            | '('
            | ')'
            | '['
            | ']'
            | '।'
            | '॥'
    )
}

/// What a mark is for the model: the symbol it was trained on, or nothing.
fn mark_phonemes(c: char) -> &'static str {
    match c {
        '.' | '।' | '॥' => ".",
        ',' => ",",
        ';' => ";",
        ':' => ":",
        '!' => "!",
        '?' => "?",
        '—' | '–' => "—",
        '…' => "…",
        '"' | '«' | '»' | '“' | '”' | '„' => "\"",
        '(' | '[' => "(",
        ')' | ']' => ")",
        // Spanish opening marks: the closing one carries the intonation.
        _ => "",
    }
}

/// How a passage is phonemized.
#[derive(Debug, Clone, PartialEq)]
enum Route {
    /// misaki, in this English.
    Misaki(Lang),
    /// espeak-ng with this voice; English IPA is mapped like misaki's fallback.
    Espeak {
        voice: String,
        english: Option<Lang>,
    },
    /// The Mandarin front end (`chinese/`).
    Chinese,
    /// The Japanese front end (`japanese.rs`).
    Japanese,
}

pub struct Phonemizer {
    /// The language of text with no mark of its own.
    base: Lang,
    kind: G2pKind,
    /// misaki's lexicons and tagger (about 100 MB), built the first time English is met.
    american: OnceLock<G2P>,
    british: OnceLock<G2P>,
    /// Where the pinyin and Japanese dictionaries are (`models/`).
    dictionaries: Option<PathBuf>,
    /// The Mandarin front end, loaded the first time Chinese is met (or why it could not be).
    chinese: OnceLock<Result<Chinese, String>>,
    /// The Japanese front end, loaded (its dictionary built, the first time) when Japanese is
    /// first met.
    japanese: OnceLock<Result<Japanese, String>>,
    /// Words and languages already reported, so each is warned about once.
    warned: Mutex<HashSet<String>>,
    /// What the warnings name first (the book's file name), if anything.
    label: Option<String>,
}

impl Phonemizer {
    pub fn new(base: Lang, kind: G2pKind) -> Phonemizer {
        Phonemizer {
            base,
            kind,
            american: OnceLock::new(),
            british: OnceLock::new(),
            dictionaries: None,
            chinese: OnceLock::new(),
            japanese: OnceLock::new(),
            warned: Mutex::new(HashSet::new()),
            label: None,
        }
    }

    /// Names `label` (a book's file name) at the start of each warning, so a library run
    /// says which book a word or passage is in.
    pub fn set_label(&mut self, label: &str) {
        self.label = Some(label.to_string());
    }

    /// What the warnings name first, if anything.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// Reads the Chinese and Japanese dictionaries from `dir` (the models directory).
    pub fn with_dictionaries(mut self, dir: PathBuf) -> Phonemizer {
        self.dictionaries = Some(dir);
        self
    }

    /// Phoneme tokens for one paragraph of text, whose passages may be marked with their
    /// own language.
    #[cfg(test)]
    pub fn tokens(&self, text: &str) -> anyhow::Result<Vec<Token>> {
        Ok(self.tokens_many(&[text])?.pop().unwrap_or_default())
    }

    /// Phoneme tokens for many paragraphs (a chapter's), with espeak-ng run once per language
    /// for all of them rather than once per paragraph: a process costs about 20 ms, and a
    /// book of verse has a paragraph per line.
    pub fn tokens_many(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<Token>>> {
        // Each passage: phonemized now (misaki), or cut and queued for espeak-ng's voice.
        let mut batches: Vec<(String, Vec<String>)> = Vec::new();
        let mut plans: Vec<Vec<(Part, bool, bool)>> = Vec::with_capacity(texts.len());
        for text in texts {
            let mut plan = Vec::new();
            for segment in spans::segments(text) {
                let part = match self.route(segment.lang.as_deref()) {
                    Route::Misaki(lang) => {
                        Part::Ready(self.misaki_tokens(self.misaki(lang), &segment.text)?)
                    }
                    Route::Chinese => Part::Ready(self.chinese_tokens(&segment.text)?),
                    Route::Japanese => Part::Ready(self.japanese_tokens(&segment.text)?),
                    Route::Espeak { voice, english } => {
                        let batch = match batches.iter().position(|(v, _)| *v == voice) {
                            Some(b) => b,
                            None => {
                                batches.push((voice, Vec::new()));
                                batches.len() - 1
                            }
                        };
                        let pieces = cut(&segment.text);
                        let words = &mut batches[batch].1;
                        let first = words.len();
                        words.extend(pieces.iter().filter_map(|p| match p {
                            Piece::Words(w) => Some(w.trim().to_string()),
                            Piece::Mark { .. } | Piece::Said { .. } => None,
                        }));
                        Part::Queued {
                            batch,
                            first,
                            english,
                            pieces,
                        }
                    }
                };
                let lead = segment.text.starts_with(char::is_whitespace);
                let trail = segment.text.ends_with(char::is_whitespace);
                plan.push((part, lead, trail));
            }
            plans.push(plan);
        }
        let ipa: Vec<Vec<String>> = batches
            .iter()
            .map(|(voice, words)| {
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                espeak_pieces(&words, voice)
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(plans
            .into_iter()
            .map(|plan| {
                let mut tokens: Vec<Token> = Vec::new();
                for (part, lead, trail) in plan {
                    let mut more = match part {
                        Part::Ready(tokens) => tokens,
                        Part::Queued {
                            batch,
                            first,
                            english,
                            pieces,
                        } => espeak_tokens(&pieces, &ipa[batch][first..], english),
                    };
                    if let Some(last) = tokens.last_mut() {
                        // A passage joins the text before it with the space the text has.
                        last.space_after |= lead;
                    }
                    if let Some(last) = more.last_mut() {
                        last.space_after |= trail;
                    }
                    tokens.append(&mut more);
                }
                // A dialogue dash that opens a paragraph is typography, not a pause.
                if let Some(first) = tokens
                    .first_mut()
                    .filter(|t| t.text == "—" || t.text == "–")
                {
                    first.phonemes.clear();
                }
                tokens
            })
            .collect())
    }

    fn misaki(&self, lang: Lang) -> &G2P {
        let (cell, language) = if lang == Lang::EnGb {
            (&self.british, MisakiLanguage::EnglishGB)
        } else {
            (&self.american, MisakiLanguage::EnglishUS)
        };
        cell.get_or_init(|| G2P::with_fallback(language, Some(Box::new(EspeakWords::new(lang)))))
    }

    /// A dictionary directory under the models directory (`zh`, `ja`).
    fn dictionary(&self, name: &str) -> PathBuf {
        self.dictionaries
            .as_ref()
            .map(|d| d.join(name))
            .unwrap_or_else(|| PathBuf::from("models").join(name))
    }

    /// The Mandarin front end, loaded once. Errors say which dictionary is missing.
    fn chinese(&self) -> anyhow::Result<&Chinese> {
        let loaded = self.chinese.get_or_init(|| {
            let dir = self.dictionary("zh");
            let started = std::time::Instant::now();
            let chinese = Chinese::load(&dir).map_err(|e| format!("{e:#}"))?;
            tracing::debug!(
                "Mandarin front end loaded in {:.2} s from {} ({} phrases)",
                started.elapsed().as_secs_f64(),
                dir.display(),
                chinese.phrase_count()
            );
            Ok(chinese)
        });
        loaded.as_ref().map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// The Japanese front end, loaded once.
    fn japanese(&self) -> anyhow::Result<&Japanese> {
        let loaded = self.japanese.get_or_init(|| {
            let dir = self.dictionary("ja");
            let started = std::time::Instant::now();
            let japanese = Japanese::load(&dir).map_err(|e| format!("{e:#}"))?;
            tracing::debug!(
                "Japanese front end loaded in {:.2} s from {}",
                started.elapsed().as_secs_f64(),
                dir.display()
            );
            Ok(japanese)
        });
        loaded.as_ref().map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Tokens for a Japanese passage; Latin words in it are read as American English.
    fn japanese_tokens(&self, text: &str) -> anyhow::Result<Vec<Token>> {
        let mut out = Vec::new();
        for token in self.japanese()?.tokens(text) {
            if japanese::is_latin(&token) {
                let mut english = self.misaki_tokens(self.misaki(Lang::EnUs), &token.text)?;
                if let Some(last) = english.last_mut() {
                    last.space_after = token.space_after;
                }
                out.append(&mut english);
            } else {
                out.push(token);
            }
        }
        Ok(out)
    }

    /// Tokens for a Mandarin passage; Latin words in it are read as American English.
    fn chinese_tokens(&self, text: &str) -> anyhow::Result<Vec<Token>> {
        let english = self.misaki(Lang::EnUs);
        self.chinese()?
            .tokens(text, &mut |run| self.misaki_tokens(english, run))
    }

    /// Which G2P reads a passage marked `tag` (`None`: the book's own language).
    fn route(&self, tag: Option<&str>) -> Route {
        let language = match tag.and_then(Language::from_tag) {
            Some(language) => language,
            None => Language::Kokoro(self.base),
        };
        let fallback = || self.route(None);
        match language {
            Language::Kokoro(lang) if lang.is_english() => match self.kind {
                G2pKind::Misaki => Route::Misaki(lang),
                G2pKind::Espeak => Route::Espeak {
                    voice: lang.espeak_voice().to_string(),
                    english: Some(lang),
                },
            },
            Language::Kokoro(Lang::Zh) => Route::Chinese,
            Language::Kokoro(Lang::Ja) => Route::Japanese,
            Language::Kokoro(lang) => Route::Espeak {
                voice: lang.espeak_voice().to_string(),
                english: None,
            },
            other => {
                let voice = match &other {
                    Language::Kokoro(lang) => lang.espeak_voice().to_string(),
                    Language::Other { tag, .. } => tag.clone(),
                };
                if knows_voice(&voice) {
                    self.warn_once(
                        &format!("lang:{voice}"),
                        &format!(
                            "passages in {other}, which Kokoro does not speak, are read with \
                             espeak-ng's {} pronunciation in the book's voice",
                            other.name()
                        ),
                    );
                    Route::Espeak {
                        voice,
                        english: None,
                    }
                } else {
                    self.warn_once(
                        &format!("lang:{voice}"),
                        &format!(
                            "passages in {other} are read as {}: neither Kokoro nor espeak-ng \
                             speaks {}",
                            self.base.name(),
                            other.name()
                        ),
                    );
                    fallback()
                }
            }
        }
    }

    fn misaki_tokens(&self, g2p: &G2P, text: &str) -> anyhow::Result<Vec<Token>> {
        let (_, mtokens) = g2p
            .g2p(text)
            .map_err(|e| anyhow::anyhow!("misaki could not phonemize \"{text}\": {e}"))?;
        let mut tokens = Vec::with_capacity(mtokens.len());
        for mt in mtokens {
            let mut phonemes = mt.phonemes.unwrap_or_default();
            if phonemes.contains(&g2p.unk) {
                self.warn_once(
                    &mt.text,
                    &format!(
                        "no pronunciation for \"{}\" (is espeak-ng installed?); it is skipped",
                        mt.text
                    ),
                );
                phonemes = phonemes.replace(&g2p.unk, "");
            }
            tokens.push(Token {
                boundary: boundary_of(&mt.text),
                text: mt.text,
                phonemes,
                space_after: !mt.whitespace.is_empty(),
            });
        }
        Ok(tokens)
    }

    fn warn_once(&self, key: &str, message: &str) {
        if let Ok(mut warned) = self.warned.lock()
            && warned.insert(key.to_string())
        {
            match &self.label {
                Some(label) => tracing::warn!("{label}: {message}"),
                None => tracing::warn!("{message}"),
            }
        }
    }
}

/// A passage of a paragraph on its way to tokens.
enum Part {
    Ready(Vec<Token>),
    /// Cut at marks; its words are in espeak-ng batch `batch` from `first` on.
    Queued {
        batch: usize,
        first: usize,
        english: Option<Lang>,
        pieces: Vec<Piece>,
    },
}

/// A run of text between marks, a mark, or a word whose phonemes the user gave.
#[derive(Debug, PartialEq)]
enum Piece {
    Words(String),
    Mark {
        mark: char,
        space_after: bool,
    },
    /// `[Cthulhu](/kəθˈuːluː/)` from the lexicon: said as given.
    Said {
        text: String,
        phonemes: String,
        space_after: bool,
    },
}

/// Cuts text at marks; a `.`, `,` or `:` between two digits belongs to the number. Words the
/// lexicon gave phonemes (`[word](/phonemes/)`, misaki's form) are kept whole.
fn cut(text: &str) -> Vec<Piece> {
    static SAID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[([^\]\[]+)\]\(/([^/)]+)/\)").expect("valid regex"));
    let mut pieces = Vec::new();
    let mut start = 0;
    for m in SAID.captures_iter(text) {
        let whole = m.get(0).expect("a match has a whole");
        cut_marks(&text[start..whole.start()], &mut pieces);
        pieces.push(Piece::Said {
            text: m[1].to_string(),
            phonemes: m[2].to_string(),
            space_after: text[whole.end()..].starts_with(char::is_whitespace),
        });
        start = whole.end();
    }
    cut_marks(&text[start..], &mut pieces);
    pieces
}

fn cut_marks(text: &str, pieces: &mut Vec<Piece>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let digit = |j: Option<&(usize, char)>| j.is_some_and(|(_, d)| d.is_ascii_digit());
        let in_number = matches!(c, '.' | ',' | ':')
            && k > 0
            && digit(chars.get(k - 1))
            && digit(chars.get(k + 1));
        if is_mark(c) && !in_number {
            if !text[start..i].trim().is_empty() {
                pieces.push(Piece::Words(text[start..i].to_string()));
            }
            let space_after = chars.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
            pieces.push(Piece::Mark {
                mark: c,
                space_after,
            });
            start = i + c.len_utf8();
        }
    }
    if !text[start..].trim().is_empty() {
        pieces.push(Piece::Words(text[start..].to_string()));
    }
}

/// Tokens for one passage cut into `pieces`, whose words espeak-ng read as `ipa` (in order,
/// from the passage's first); `english` maps the IPA the way misaki's fallback does,
/// otherwise as Kokoro's pipeline maps every other language.
fn espeak_tokens(pieces: &[Piece], ipa: &[String], english: Option<Lang>) -> Vec<Token> {
    let mut ipa = ipa.iter();
    let mut tokens = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Words(piece) => {
                let raw = ipa.next().map(String::as_str).unwrap_or_default();
                let mapped = match english {
                    Some(lang) => to_misaki(&raw.replace('^', ""), lang),
                    None => to_kokoro(raw),
                };
                let said: Vec<&str> = mapped.split_whitespace().collect();
                let written: Vec<&str> = piece.split_whitespace().collect();
                let n = said.len();
                for (i, ph) in said.iter().enumerate() {
                    // espeak may merge or split words (numbers become several); the text is
                    // kept where the counts agree, else it goes with the first.
                    let text = if n == written.len() {
                        written[i].to_string()
                    } else if i == 0 {
                        written.join(" ")
                    } else {
                        String::new()
                    };
                    tokens.push(Token {
                        text,
                        phonemes: ph.to_string(),
                        space_after: i + 1 < n || piece.ends_with(char::is_whitespace),
                        boundary: Boundary::Word,
                    });
                }
            }
            Piece::Mark { mark, space_after } => {
                let text = mark.to_string();
                tokens.push(Token {
                    boundary: boundary_of(&text),
                    phonemes: mark_phonemes(*mark).to_string(),
                    text,
                    space_after: *space_after,
                });
            }
            Piece::Said {
                text,
                phonemes,
                space_after,
            } => tokens.push(Token {
                text: text.clone(),
                phonemes: phonemes.clone(),
                space_after: *space_after,
                boundary: Boundary::Word,
            }),
        }
    }
    continue_after_tags(&mut tokens);
    tokens
}

/// "¿Dónde estoy? —preguntó Ana." is one sentence: a question or exclamation followed by
/// words that go on in lower case (after a dash or quote) ends only a clause.
fn continue_after_tags(tokens: &mut [Token]) {
    for i in 0..tokens.len() {
        if tokens[i].boundary != Boundary::Sentence
            || !tokens[i].text.chars().all(|c| matches!(c, '?' | '!'))
        {
            continue;
        }
        let next_word = tokens[i + 1..]
            .iter()
            .find(|t| t.text.chars().any(char::is_alphanumeric));
        let lower = next_word
            .and_then(|t| t.text.chars().next())
            .is_some_and(char::is_lowercase);
        let tagged = tokens[i + 1..]
            .iter()
            .take_while(|t| !t.text.chars().any(char::is_alphanumeric))
            .any(|t| matches!(t.text.as_str(), "—" | "–" | "\"" | "»" | "”"));
        if lower && tagged {
            tokens[i].boundary = Boundary::Clause;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(tokens: &[Token]) -> String {
        tokens
            .iter()
            .map(|t| format!("{}{}", t.phonemes, if t.space_after { " " } else { "" }))
            .collect()
    }

    #[test]
    fn misaki_keeps_punctuation_and_marks_boundaries() {
        let p = Phonemizer::new(Lang::EnUs, G2pKind::Misaki);
        let tokens = p.tokens("Hello, world. Mr. Smith is here!").unwrap();
        let ph = joined(&tokens);
        assert!(ph.contains(','), "{ph}");
        assert!(ph.contains('.'), "{ph}");
        assert!(ph.contains('!'), "{ph}");
        let comma = tokens.iter().find(|t| t.text == ",").unwrap();
        assert_eq!(comma.boundary, Boundary::Clause);
        // "Mr." is an abbreviation, not the end of a sentence.
        let sentence_ends = tokens
            .iter()
            .filter(|t| t.boundary == Boundary::Sentence)
            .count();
        assert_eq!(sentence_ends, 2, "{tokens:#?}");
    }

    #[test]
    fn a_mark_before_a_spaced_dash_is_kept() {
        // misaki reads "Midnight.—The" as one word, "midnight dot the", and "Stop!—Go" as
        // "stop exclamation go"; normalization puts a space after such a dash, and then the
        // marks stay marks.
        let p = Phonemizer::new(Lang::EnUs, G2pKind::Misaki);
        let ph = phonemes_of(&p, "Midnight.— The end. Stop!— Go on,— now.");
        assert!(
            ph.contains(".—") && ph.contains("!—") && ph.contains(",—"),
            "{ph}"
        );
        assert!(!ph.contains("dˈɑt") && !ph.contains("ˈɛkskləm"), "{ph}");
    }

    #[test]
    fn lexicon_phonemes_pass_through_misaki() {
        let p = Phonemizer::new(Lang::EnUs, G2pKind::Misaki);
        let tokens = p.tokens("[Hermione](/hɜːmˈaɪəni/) waved.").unwrap();
        let ph = joined(&tokens);
        assert!(ph.starts_with("hɜːmˈaɪəni "), "{ph}");
        assert!(!ph.contains('['), "{ph}");
    }

    #[test]
    fn heteronyms_follow_their_part_of_speech() {
        // misaki's tagger tells these apart; "lead" the metal is left to normalization.
        let p = Phonemizer::new(Lang::EnUs, G2pKind::Misaki);
        for (text, w) in [
            ("I will read it now. I read it yesterday.", "read"),
            ("The wind blew hard. Wind the clock.", "wind"),
            ("I live here. They saw a live show.", "live"),
            ("A tear fell down. Do not tear the page.", "tear"),
        ] {
            let said: Vec<String> = p
                .tokens(text)
                .unwrap()
                .into_iter()
                .filter(|t| t.text.eq_ignore_ascii_case(w))
                .map(|t| t.phonemes)
                .collect();
            assert_eq!(said.len(), 2, "{text}");
            assert_ne!(said[0], said[1], "{text}: {said:?}");
        }
    }

    #[test]
    fn british_and_american_differ() {
        let us = joined(
            &Phonemizer::new(Lang::EnUs, G2pKind::Misaki)
                .tokens("tomato")
                .unwrap(),
        );
        let gb = joined(
            &Phonemizer::new(Lang::EnGb, G2pKind::Misaki)
                .tokens("tomato")
                .unwrap(),
        );
        assert_ne!(us, gb);
    }

    fn phonemes_of(p: &Phonemizer, text: &str) -> String {
        joined(&p.tokens(text).unwrap())
    }

    #[test]
    fn spanish_reads_with_espeak_and_kokoro_symbols() {
        let p = Phonemizer::new(Lang::Es, G2pKind::Misaki);
        let tokens = p
            .tokens("—¿Dónde estoy? —preguntó Ana. Son las 10:30 y costó 3,5 euros.")
            .unwrap();
        let ph = joined(&tokens);
        // The opening dash and ¿ say nothing; the question is not cut from its tag.
        assert!(!ph.starts_with('—') && !ph.contains('¿'), "{ph}");
        let question = tokens.iter().find(|t| t.text == "?").unwrap();
        assert_eq!(question.boundary, Boundary::Clause, "{tokens:#?}");
        // Numbers keep their punctuation: "diez treinta", "tres coma cinco".
        assert!(ph.contains("tɾˈAnta") && ph.contains("koma"), "{ph}");
        // Tied affricates become Kokoro's single symbols ("ciento" has none, "muchacho" has ʧ).
        assert!(phonemes_of(&p, "muchacho").contains('ʧ'));
        assert!(!phonemes_of(&p, "muchacho").contains('^'));
    }

    #[test]
    fn each_passage_is_read_in_its_own_language() {
        let p = Phonemizer::new(Lang::EnUs, G2pKind::Misaki);
        let french = phonemes_of(&p, "He said [bonjour, monsieur]{lang=fr} twice.");
        let english = phonemes_of(&p, "He said bonjour, monsieur twice.");
        assert_ne!(french, english);
        // French /ʒ/ and uvular /ʁ/, which English G2P never gives.
        assert!(french.contains('ʁ'), "{french}");
        assert!(french.contains(", "), "{french}");
        // A passage in a language Kokoro lacks is read with espeak-ng's pronunciation of it.
        let latin = phonemes_of(&p, "[Gloria in excelsis]{lang=la}.");
        assert!(
            latin.contains("ɡlˈɔrɪa") || latin.contains("ɡlˈɔɾia"),
            "{latin}"
        );
        // A tag nobody knows is read as the book's language.
        let unknown = phonemes_of(&p, "[hello]{lang=zz}");
        assert_eq!(unknown, phonemes_of(&p, "hello"));
    }

    #[test]
    fn french_italian_portuguese_and_hindi_marks() {
        let fr = Phonemizer::new(Lang::Fr, G2pKind::Misaki);
        let ph = phonemes_of(&fr, "\"Vous allez loin ?\" demanda-t-il.");
        assert!(ph.contains('"') && ph.contains('?'), "{ph}");
        let it = Phonemizer::new(Lang::It, G2pKind::Misaki);
        assert!(phonemes_of(&it, "la pizza").contains('ʦ'));
        let pt = Phonemizer::new(Lang::PtBr, G2pKind::Misaki);
        assert!(phonemes_of(&pt, "Não há nada.").contains('\u{303}'));
        let hi = Phonemizer::new(Lang::Hi, G2pKind::Misaki);
        let tokens = hi.tokens("मेरे पास किताबें हैं। और कलम।").unwrap();
        let danda = tokens.iter().find(|t| t.text == "।").unwrap();
        assert_eq!(
            (danda.phonemes.as_str(), danda.boundary),
            (".", Boundary::Sentence)
        );
    }

    #[test]
    fn lexicon_phonemes_are_said_as_given_in_every_language() {
        let p = Phonemizer::new(Lang::Es, G2pKind::Misaki);
        let tokens = p.tokens("Vio a [Cthulhu](/kəθˈuːluː/) ayer.").unwrap();
        let said = tokens.iter().find(|t| t.text == "Cthulhu").unwrap();
        assert_eq!(said.phonemes, "kəθˈuːluː");
        assert!(said.space_after);
        assert!(!joined(&tokens).contains('/'), "{tokens:#?}");
    }

    #[test]
    fn marks_cut_text_but_not_numbers() {
        assert_eq!(
            cut("Son 1.500, o 3,5: sí."),
            vec![
                Piece::Words("Son 1.500".into()),
                Piece::Mark {
                    mark: ',',
                    space_after: true
                },
                Piece::Words(" o 3,5".into()),
                Piece::Mark {
                    mark: ':',
                    space_after: true
                },
                Piece::Words(" sí".into()),
                Piece::Mark {
                    mark: '.',
                    space_after: true
                },
            ]
        );
    }

    #[test]
    fn boundaries_are_classified() {
        assert_eq!(boundary_of("."), Boundary::Sentence);
        assert_eq!(boundary_of("?!"), Boundary::Sentence);
        assert_eq!(boundary_of("—"), Boundary::Clause);
        assert_eq!(boundary_of("word"), Boundary::Word);
        assert_eq!(boundary_of("3.5"), Boundary::Word);
    }
}
