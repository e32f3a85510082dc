//! Text → phoneme tokens, with the boundaries the chunker cuts at.
//!
//! misaki-rs is the default: it is the G2P Kokoro v1.0 was trained with, POS-aware, and keeps
//! punctuation, which the model needs for prosody. Words it does not know go to espeak-ng
//! (`espeak.rs`). `--g2p espeak` uses espeak-ng for everything, as a baseline to compare with.
//! Each token remembers its text, so a failing chunk can be named by what it says.

use std::collections::HashSet;
use std::sync::Mutex;

use misaki_rs::{G2P, Language};

use super::espeak::{EspeakWords, espeak_ipa, to_misaki};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Lang {
    #[serde(rename = "en-us")]
    EnUs,
    #[serde(rename = "en-gb")]
    EnGb,
}

impl Lang {
    /// The language's code as espeak-ng and kokoro-onnx name it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::EnUs => "en-us",
            Lang::EnGb => "en-gb",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum G2pKind {
    Misaki,
    Espeak,
}

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
    if is_punct && text.chars().any(|c| matches!(c, '.' | '!' | '?' | '…')) {
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

pub struct Phonemizer {
    lang: Lang,
    misaki: Option<G2P>,
    /// Words already reported as unpronounceable, so each is warned about once.
    warned: Mutex<HashSet<String>>,
}

impl Phonemizer {
    pub fn new(lang: Lang, kind: G2pKind) -> Phonemizer {
        let misaki = (kind == G2pKind::Misaki).then(|| {
            let language = match lang {
                Lang::EnUs => Language::EnglishUS,
                Lang::EnGb => Language::EnglishGB,
            };
            G2P::with_fallback(language, Some(Box::new(EspeakWords::new(lang))))
        });
        Phonemizer {
            lang,
            misaki,
            warned: Mutex::new(HashSet::new()),
        }
    }

    /// Phoneme tokens for one paragraph of plain text.
    pub fn tokens(&self, text: &str) -> anyhow::Result<Vec<Token>> {
        match &self.misaki {
            Some(g2p) => self.misaki_tokens(g2p, text),
            None => self.espeak_tokens(text),
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
                self.warn_unknown(&mt.text);
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

    /// espeak-ng alone: it drops punctuation, so the text is cut at punctuation first and the
    /// marks are put back between the pieces.
    fn espeak_tokens(&self, text: &str) -> anyhow::Result<Vec<Token>> {
        let mut tokens = Vec::new();
        let mut piece = String::new();
        let flush = |piece: &mut String, tokens: &mut Vec<Token>| -> anyhow::Result<()> {
            let words: Vec<&str> = piece.split_whitespace().collect();
            if !words.is_empty() {
                let mapped = to_misaki(&espeak_ipa(piece, self.lang)?, self.lang);
                let phonemized: Vec<&str> = mapped.split_whitespace().collect();
                let n = phonemized.len();
                for (i, ph) in phonemized.iter().enumerate() {
                    // espeak may merge or split words; the text is kept where the counts agree.
                    let text = if n == words.len() {
                        words[i].to_string()
                    } else if i == 0 {
                        piece.trim().to_string()
                    } else {
                        String::new()
                    };
                    tokens.push(Token {
                        text,
                        phonemes: ph.to_string(),
                        space_after: i + 1 < n,
                        boundary: Boundary::Word,
                    });
                }
            }
            piece.clear();
            Ok(())
        };
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '—' | '…') {
                flush(&mut piece, &mut tokens)?;
                let space_after = chars.peek().is_none_or(|n| n.is_whitespace());
                tokens.push(Token {
                    text: c.to_string(),
                    phonemes: c.to_string(),
                    space_after,
                    boundary: boundary_of(&c.to_string()),
                });
            } else {
                piece.push(c);
            }
        }
        flush(&mut piece, &mut tokens)?;
        Ok(tokens)
    }

    fn warn_unknown(&self, word: &str) {
        if let Ok(mut warned) = self.warned.lock()
            && warned.insert(word.to_string())
        {
            tracing::warn!(
                "no pronunciation for \"{word}\" (is espeak-ng installed?); it is skipped"
            );
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

    #[test]
    fn boundaries_are_classified() {
        assert_eq!(boundary_of("."), Boundary::Sentence);
        assert_eq!(boundary_of("?!"), Boundary::Sentence);
        assert_eq!(boundary_of("—"), Boundary::Clause);
        assert_eq!(boundary_of("word"), Boundary::Word);
        assert_eq!(boundary_of("3.5"), Boundary::Word);
    }
}
