//! What language a text reads as, by the `whatlang` crate (trigram models of 69 languages):
//! used where a book's package says nothing about its language or says something its text
//! plainly contradicts, and for `say`/`normalize` without `--lang`.
//!
//! A detection is kept with its confidence and the length of the sample, because trigram
//! statistics are unreliable on a sentence or two: only a long, confident sample
//! ([`Detected::decisive`]) is allowed to overrule what a book declares. For short texts
//! ([`guess_spoken`]) the question is narrowed to the languages bookvoice speaks.

use serde::{Deserialize, Serialize};

use super::{Lang, Language};

/// A detector's verdict on a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detected {
    /// ISO 639-1 where the language has one (`es`), else ISO 639-3.
    pub tag: String,
    /// Its English name.
    pub name: String,
    /// whatlang's confidence, 0 to 1.
    pub confidence: f64,
    /// Characters of text the verdict rests on.
    pub chars: usize,
    /// The writing system (whatlang's name: Latin, Cyrillic, Hebrew, Devanagari…).
    #[serde(default)]
    pub script: String,
}

/// Characters a sample needs, and the confidence it must reach, before it may overrule a
/// package's `dc:language`. A book's sample is thousands of characters; a page of prose in
/// the wrong language still clears both by far.
const DECISIVE_CHARS: usize = 250;
const DECISIVE_CONFIDENCE: f64 = 0.5;

/// Below this confidence a short text's guess is not trusted at all (measured on sentences of
/// five to ten words: wrong guesses came below 0.16, right ones from 0.19 up).
const GUESS_CONFIDENCE: f64 = 0.3;

/// The same, among the languages other than English, for a text with letters English does
/// not use (right guesses from 0.16 up, wrong ones below 0.06, on three-word sentences).
const FOREIGN_GUESS_CONFIDENCE: f64 = 0.1;

/// A text in a script other than Latin says which languages it can be in after a few words.
const SCRIPT_CHARS: usize = 20;

/// The most text looked at: more says nothing new and costs time.
pub const SAMPLE_CHARS: usize = 20_000;

impl Detected {
    /// Sure enough to overrule a package: a long, confident sample, or a text in a script
    /// that no language written in Latin letters uses.
    pub fn decisive(&self) -> bool {
        (self.chars >= DECISIVE_CHARS && self.confidence >= DECISIVE_CONFIDENCE)
            || (self.script != "Latin" && !self.script.is_empty() && self.chars >= SCRIPT_CHARS)
    }

    pub fn language(&self) -> Option<Language> {
        Language::from_tag(&self.tag)
    }
}

/// The language `text` reads as, over any of whatlang's languages; `None` when it has no
/// letters to go by.
pub fn detect(text: &str) -> Option<Detected> {
    let info = whatlang::detect(text)?;
    Some(verdict(info, text))
}

/// For a short text (a `say` line): which of the languages bookvoice speaks it reads as.
/// A text in another script (Hebrew, Cyrillic…) is named as what it is, so it can be refused;
/// an unsure guess is `None`.
pub fn guess_spoken(text: &str) -> Option<Detected> {
    let any = whatlang::detect(text)?;
    let spoken_script = matches!(
        any.script(),
        whatlang::Script::Latin | whatlang::Script::Devanagari
    ) || matches!(any.lang(), whatlang::Lang::Jpn | whatlang::Lang::Cmn);
    if !spoken_script {
        return Some(verdict(any, text));
    }
    let allow = |english: bool| {
        Lang::ALL
            .iter()
            .filter(|l| english || !l.is_english())
            .filter_map(|l| whatlang::Lang::from_code(iso639_3(*l)))
            .collect::<Vec<_>>()
    };
    let info = whatlang::Detector::with_allowlist(allow(true)).detect(text)?;
    if info.confidence() >= GUESS_CONFIDENCE {
        return Some(verdict(info, text));
    }
    // Letters English does not use ("ã", "ç", "¿") rule English out, and then a weaker guess
    // among the rest is usually right ("Ça va bien", "È vero", "O Sr. Silva pagou").
    let foreign = text
        .chars()
        .any(|c| (c.is_alphabetic() && !c.is_ascii()) || matches!(c, '¿' | '¡'));
    if !foreign {
        return None;
    }
    let info = whatlang::Detector::with_allowlist(allow(false)).detect(text)?;
    (info.confidence() >= FOREIGN_GUESS_CONFIDENCE).then(|| verdict(info, text))
}

fn verdict(info: whatlang::Info, text: &str) -> Detected {
    let code = info.lang().code();
    let (tag, name) = match Language::from_tag(code) {
        Some(Language::Kokoro(l)) => (l.primary().to_string(), l.name().to_string()),
        Some(Language::Other { tag, name }) => (tag, name),
        None => (code.to_string(), info.lang().eng_name().to_string()),
    };
    Detected {
        tag,
        name,
        confidence: info.confidence(),
        chars: text.chars().filter(|c| c.is_alphabetic()).count(),
        script: info.script().name().to_string(),
    }
}

/// whatlang's code for a language bookvoice knows.
fn iso639_3(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "cmn",
        other => other.iso639_2(),
    }
}

/// Up to [`SAMPLE_CHARS`] of text drawn evenly from `texts` (a book's chapters), so that a
/// long English preface does not decide the language of a Spanish novel.
pub fn sample<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let texts: Vec<&str> = texts.into_iter().filter(|t| !t.trim().is_empty()).collect();
    let share = SAMPLE_CHARS / texts.len().max(1);
    let mut out = String::new();
    for text in texts {
        let end = text
            .char_indices()
            .nth(share)
            .map(|(i, _)| i)
            .unwrap_or(text.len());
        out.push_str(&text[..end]);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPANISH: &str = "En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha \
        mucho tiempo que vivía un hidalgo de los de lanza en astillero, adarga antigua, rocín \
        flaco y galgo corredor. Una olla de algo más vaca que carnero, salpicón las más noches, \
        duelos y quebrantos los sábados, lentejas los viernes, algún palomino de añadidura los \
        domingos, consumían las tres partes de su hacienda.";

    #[test]
    fn a_page_of_prose_is_decisive() {
        let d = detect(SPANISH).unwrap();
        assert_eq!(d.tag, "es");
        assert_eq!(d.name, "Spanish");
        assert!(d.decisive(), "{d:?}");
        let short = detect("Hola, amigo.").unwrap();
        assert!(!short.decisive(), "{short:?}");
    }

    #[test]
    fn other_scripts_are_named() {
        let he = detect("שלום עולם, מה שלומך היום? אני כותב ספר על ההיסטוריה של העיר").unwrap();
        assert_eq!((he.tag.as_str(), he.name.as_str()), ("he", "Hebrew"));
        let ru = guess_spoken("Привет, как дела? Я пишу книгу об истории города.").unwrap();
        assert_eq!(ru.tag, "ru");
        let zh = detect("你好，世界。今天天气很好。").unwrap();
        assert_eq!(zh.tag, "zh");
    }

    #[test]
    fn short_texts_are_guessed_among_the_spoken_languages() {
        assert_eq!(
            guess_spoken("¿Dónde está la biblioteca, por favor?")
                .unwrap()
                .tag,
            "es"
        );
        assert_eq!(
            guess_spoken("It was a bright cold day in April.")
                .unwrap()
                .tag,
            "en"
        );
        assert_eq!(guess_spoken("Ciao"), None);
        assert_eq!(guess_spoken("The lamp was lit at dusk."), None);
        assert_eq!(
            guess_spoken("O Sr. Silva pagou R$ 12,50 às 14h30.")
                .unwrap()
                .tag,
            "pt"
        );
        assert_eq!(guess_spoken("Ça va bien.").unwrap().tag, "fr");
        assert_eq!(guess_spoken("Perché no?"), None);
    }

    #[test]
    fn samples_come_from_every_text() {
        let a = "a".repeat(SAMPLE_CHARS);
        let s = sample([a.as_str(), "bbb", ""]);
        assert!(s.contains("bbb"));
        assert!(s.chars().count() <= SAMPLE_CHARS + 2);
    }
}
