//! Pronunciation overrides: names and invented words the phonemizer cannot know, said the way
//! the user wants, in every chapter.
//!
//! An entry maps a word or phrase to a respelling ("Hermione" = "her-MY-oh-nee") or, between
//! slashes, to phonemes in Kokoro's alphabet ("Hermione" = "/hɜːmˈaɪəni/"). Respellings
//! replace the text; phonemes become misaki's inline form `[Hermione](/hɜːmˈaɪəni/)`, which it
//! speaks as given. Entries come from `[lexicon]` in `bookvoice.toml` (for every book) and
//! from `lexicon.toml` in a book's work directory (that book only, winning over the first).
//!
//! A key with a capital letter matches only as written, so "Bath" the city leaves a bath
//! alone; an all-lowercase key matches in any case. Longer keys are tried first, so a phrase
//! wins over a word inside it. Overrides are applied to the script, after normalization, so a
//! changed entry rewrites only the scripts (and later the audio) that contain it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use regex::Regex;
use serde::Deserialize;

/// How an entry is said.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    Respelled(String),
    Phonemes(String),
}

#[derive(Debug, Default)]
pub struct Lexicon {
    entries: Vec<(Regex, String, Said)>,
}

/// The per-book file: `[lexicon]` entries, as in `bookvoice.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookFile {
    #[serde(default)]
    lexicon: BTreeMap<String, String>,
}

/// The per-book file's name in the work directory.
pub const BOOK_FILE: &str = "lexicon.toml";

impl Lexicon {
    /// The user's entries overlaid with the book's, if the book has a `lexicon.toml`.
    pub fn load(user: &BTreeMap<String, String>, book_file: &Path) -> anyhow::Result<Lexicon> {
        let mut entries = user.clone();
        match std::fs::read_to_string(book_file) {
            Ok(text) => {
                let file: BookFile = toml::from_str(&text)
                    .with_context(|| format!("bad lexicon file {}", book_file.display()))?;
                entries.extend(file.lexicon);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", book_file.display()));
            }
        }
        Lexicon::new(&entries)
    }

    pub fn new(entries: &BTreeMap<String, String>) -> anyhow::Result<Lexicon> {
        let mut list = Vec::new();
        for (key, value) in entries {
            let key_trimmed = key.trim();
            let value = value.trim();
            anyhow::ensure!(
                !key_trimmed.is_empty() && !value.is_empty(),
                "lexicon entry {key:?} = {value:?}: both sides must say something"
            );
            let said = match value.strip_prefix('/').and_then(|v| v.strip_suffix('/')) {
                Some(phonemes) if !phonemes.trim().is_empty() => {
                    Said::Phonemes(phonemes.trim().to_string())
                }
                _ => Said::Respelled(value.to_string()),
            };
            let case = if key_trimmed.chars().any(char::is_uppercase) {
                ""
            } else {
                "(?i)"
            };
            let words = key_trimmed
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            let pattern = Regex::new(&format!(r"{case}\b{words}\b"))
                .with_context(|| format!("lexicon entry {key:?}"))?;
            list.push((pattern, key_trimmed.to_string(), said));
        }
        // Longest first, so a phrase is replaced before a word inside it.
        list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1.cmp(&b.1)));
        Ok(Lexicon { entries: list })
    }

    /// A narration script with every override applied to its text, in every language, and
    /// never to its marks.
    pub fn apply_script(&self, script: &str) -> String {
        if self.entries.is_empty() {
            return script.to_string();
        }
        super::parse::map_lines(script, &mut |line| {
            crate::lang::spans::map_text(line, &mut |_, text| self.apply(text))
        })
    }

    /// The text with every override applied.
    pub fn apply(&self, line: &str) -> String {
        let mut text = line.to_string();
        for (pattern, _, said) in &self.entries {
            text = pattern
                .replace_all(&text, |c: &regex::Captures| match said {
                    Said::Respelled(r) => r.clone(),
                    Said::Phonemes(p) => format!("[{}](/{p}/)", &c[0]),
                })
                .into_owned();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(pairs: &[(&str, &str)]) -> Lexicon {
        let map = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Lexicon::new(&map).unwrap()
    }

    #[test]
    fn respellings_and_phonemes() {
        let l = lexicon(&[("Hermione", "her-MY-oh-nee"), ("Cthulhu", "/kəθˈuːluː/")]);
        assert_eq!(
            l.apply("Hermione met Cthulhu. Hermione's cat."),
            "her-MY-oh-nee met [Cthulhu](/kəθˈuːluː/). her-MY-oh-nee's cat."
        );
        assert_eq!(l.apply("Hermionee stays."), "Hermionee stays.");
    }

    #[test]
    fn case_and_phrases() {
        let l = lexicon(&[
            ("Bath", "Baath"),
            ("quidditch", "KWID-itch"),
            ("Bath Spa", "Baath Spah"),
        ]);
        assert_eq!(l.apply("A bath in Bath."), "A bath in Baath.");
        assert_eq!(
            l.apply("Quidditch and QUIDDITCH"),
            "KWID-itch and KWID-itch"
        );
        assert_eq!(l.apply("To Bath  Spa."), "To Baath Spah.");
    }

    #[test]
    fn the_book_file_wins_and_bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(BOOK_FILE);
        let user: BTreeMap<String, String> = [("Ada".to_string(), "AY-da".to_string())].into();
        std::fs::write(&file, "[lexicon]\nAda = \"AH-da\"\n").unwrap();
        assert_eq!(Lexicon::load(&user, &file).unwrap().apply("Ada"), "AH-da");
        std::fs::write(&file, "[lexicon\n").unwrap();
        let e = Lexicon::load(&user, &file).unwrap_err();
        assert!(format!("{e:#}").contains("lexicon.toml"), "{e:#}");
        let missing = dir.path().join("none.toml");
        assert_eq!(
            Lexicon::load(&user, &missing).unwrap().apply("Ada"),
            "AY-da"
        );
        assert!(Lexicon::new(&[("x".to_string(), " ".to_string())].into()).is_err());
    }
}
