//! Normalization: the book's text as a narrator would read it, before it reaches the
//! phonemizer. "Chapter IV", "$3.50", "7:45 p.m.", "Mr. Holmes", "Sr. García", "1.º",
//! "XIXe siècle" become words; curly quotes, ligatures and invisible characters become plain
//! text.
//!
//! Typography (`typography.rs`) is the same in every language. Numbers, abbreviations and
//! symbols are language rules: English (`en.rs`, with `words.rs` for the number words);
//! Spanish, French, Italian and Portuguese (`romance.rs`, with `romance_words.rs` for their
//! ordinals), which leave cardinals to espeak-ng since it reads digits natively in each;
//! Hindi (`hi.rs`); Mandarin (`zh.rs`, numbers become characters); Japanese (`ja.rs`, digits
//! read in kana). A language without rules of its own gets the typography only. Each passage
//! of a line is normalized by its own language's rules (see [`crate::lang::spans`]): English
//! rules never touch a French quotation. The script stage runs this over every line of a
//! chapter's script, leaving the script's own marks alone;
//! `bookvoice normalize` shows the result for any text.

#[cfg(test)]
mod cases;
mod en;
mod hi;
pub mod ja;
pub mod leftovers;
mod romance;
mod romance_words;
mod rules;
mod typography;
pub mod words;
mod zh;

use crate::lang::{Lang, Language, spans};
use crate::stages::script::parse;
use romance::Romance;
use words::Style;

/// The rules for one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    English(Style),
    Romance(Romance),
    Hindi,
    Chinese,
    Japanese,
    /// Typography only.
    Other,
}

impl Rules {
    /// The rules for a language bookvoice speaks.
    pub fn for_lang(lang: Lang) -> Rules {
        match lang {
            Lang::EnUs => Rules::English(Style::American),
            Lang::EnGb => Rules::English(Style::British),
            Lang::Es => Rules::Romance(Romance::Es),
            Lang::Fr => Rules::Romance(Romance::Fr),
            Lang::It => Rules::Romance(Romance::It),
            Lang::PtBr => Rules::Romance(Romance::Pt),
            Lang::Hi => Rules::Hindi,
            Lang::Zh => Rules::Chinese,
            Lang::Ja => Rules::Japanese,
        }
    }

    /// The rules for a BCP 47 tag: those of the language it names, else typography only.
    pub fn for_tag(tag: &str) -> Rules {
        match Language::from_tag(tag) {
            Some(Language::Kokoro(lang)) => Rules::for_lang(lang),
            _ => Rules::Other,
        }
    }

    /// One line of text in this language, with no passages marked, as it will be spoken.
    fn plain_line(self, line: &str) -> String {
        let tidy = typography::tidy(line);
        match self {
            Rules::English(style) => en::normalize(&tidy, style),
            Rules::Romance(lang) => romance::normalize(&tidy, lang),
            Rules::Hindi => hi::normalize(&tidy),
            Rules::Chinese => zh::normalize(&tidy),
            Rules::Japanese => ja::normalize(&tidy),
            Rules::Other => tidy,
        }
    }

    /// One line as it will be spoken, each marked passage by its own language's rules.
    pub fn line(self, line: &str) -> String {
        if !line.contains(['[', '\\']) {
            return self.plain_line(line);
        }
        spans::map_text(line, &mut |tag, text| match tag {
            None => self.plain_line(text),
            Some(tag) => Rules::for_tag(tag).plain_line(text),
        })
    }

    /// Running text: words broken across lines are joined, then each line is normalized.
    pub fn text(self, text: &str) -> String {
        typography::join_hyphenated(text)
            .lines()
            .map(|l| self.line(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A narration script (see `splice.rs`): each line normalized after its mark, and a line
    /// of text that now begins like a mark escaped again.
    pub fn script(self, script: &str) -> String {
        parse::map_lines(script, &mut |text| self.line(text))
    }
}
