//! What a script reads besides the running text: notes printed in a chapter, and code
//! listings. The `[notes]` and `[code]` settings, owned here and composed by `config`.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Footnotes and endnotes printed inside a chapter (their markers are always dropped).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Notes {
    /// Not read: a narrator leaves them to the page.
    #[default]
    Skip,
    /// Read together after the chapter's text, introduced ("Notes.").
    Read,
}

/// Code listings (`<pre><code>`, blocks classed as code or listings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Code {
    /// Announced ("A code listing follows.") and not read.
    #[default]
    Announce,
    /// Read line by line.
    Read,
}

/// The reading settings of the script stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub notes: Notes,
    pub code: Code,
}

/// What introduces a chapter's notes, in the book's language.
pub fn notes_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Es | Lang::PtBr => "Notas",
        Lang::It => "Note",
        Lang::Hi => "टिप्पणियाँ",
        Lang::Ja => "注",
        Lang::Zh => "注释",
        _ => "Notes",
    }
}

/// What stands for a code listing that is not read, in the book's language.
pub fn code_announcement(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "Sigue un listado de código.",
        Lang::Fr => "Suit un extrait de code.",
        Lang::It => "Segue un listato di codice.",
        Lang::PtBr => "Segue uma listagem de código.",
        Lang::Hi => "आगे एक कोड सूची है।",
        Lang::Ja => "ここにコードの一覧があります。",
        Lang::Zh => "这里有一段代码。",
        _ => "A code listing follows.",
    }
}
