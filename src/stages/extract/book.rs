//! The extracted book: what extract hands to the later stages, saved as `book.json` in the
//! work directory so that they never reopen the EPUB.
//!
//! Text is kept as structured blocks (headings, paragraphs, verse, list items, table rows,
//! quotes, images, section breaks, notes, code listings) rather than flat strings, because the script stage turns
//! structure into pauses. Images are referred to by content hash; their bytes live beside
//! `book.json` under `images/`.
//!
//! Text that the book marks as being in another language than its own carries that mark as
//! a span, `[je ne sais quoi]{lang=fr}` (see [`crate::lang::spans`]); [`crate::lang::spans::plain`]
//! gives the text a reader sees.

use serde::{Deserialize, Serialize};

/// Bumped whenever the extracted form changes, so older work directories are re-extracted.
pub const SCHEMA: u32 = 4;

/// The SHA-256 of an image's bytes, in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImageId(pub String);

impl std::fmt::Display for ImageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Book {
    pub schema: u32,
    /// The EPUB's file name (not its path: work directories can move).
    pub file_name: String,
    /// SHA-256 of the EPUB's bytes.
    pub epub_sha256: String,
    pub title: String,
    pub authors: Vec<String>,
    /// The package's `dc:language`, as written.
    pub language: Option<String>,
    /// What the text of its body reads as (whatlang over a sample of every body chapter).
    #[serde(default)]
    pub detected_language: Option<crate::lang::Detected>,
    pub cover: Option<ImageId>,
    pub chapters: Vec<Chapter>,
    /// Every distinct image, once.
    pub images: Vec<Image>,
    /// What could not be read, each naming the file inside the EPUB.
    pub warnings: Vec<String>,
}

impl Book {
    pub fn image(&self, id: &ImageId) -> Option<&Image> {
        self.images.iter().find(|i| &i.id == id)
    }

    pub fn words(&self) -> usize {
        self.chapters.iter().map(Chapter::words).sum()
    }
}

/// The primary subtag of a BCP 47 language tag, lowercased: "en-US" → "en"; "" when unknown.
pub fn primary_language(tag: Option<&str>) -> String {
    tag.and_then(|t| t.split(['-', '_']).next())
        .map(|p| p.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Where a chapter sits in the book: only the body is converted unless asked otherwise.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum ChapterKind {
    Front,
    Body,
    Back,
}

impl ChapterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChapterKind::Front => "front",
            ChapterKind::Body => "body",
            ChapterKind::Back => "back",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Chapter {
    /// 1-based position among all chapters, front and back matter included.
    pub index: usize,
    pub title: String,
    pub kind: ChapterKind,
    /// The EPUB entries it was read from, with the fragment where it starts.
    pub sources: Vec<String>,
    pub blocks: Vec<Block>,
}

impl Chapter {
    /// Words of readable text: headings, paragraphs, verse, lists, tables, quotes, captions.
    pub fn words(&self) -> usize {
        self.blocks.iter().map(Block::words).sum()
    }

    pub fn images(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Image { .. }))
            .count()
    }
}

/// One unit of a chapter's structure, in reading order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A stanza: each line ends with a short pause.
    Verse {
        lines: Vec<String>,
    },
    ListItem {
        text: String,
    },
    /// The cells of one table row, in reading order.
    TableRow {
        cells: Vec<String>,
    },
    Quote {
        text: String,
    },
    Image {
        image: ImageId,
        alt: String,
        caption: String,
    },
    /// A thematic break (`<hr>`): a longer pause.
    SectionBreak,
    /// A footnote or endnote printed inside the chapter (its marker stripped): not part of
    /// the running text; the script stage skips it or reads it after the chapter.
    Note {
        text: String,
    },
    /// A code listing, line by line: announced and skipped, or read, as the script stage is
    /// told.
    Code {
        lines: Vec<String>,
    },
}

impl Block {
    pub fn words(&self) -> usize {
        match self {
            Block::Heading { text, .. }
            | Block::Paragraph { text }
            | Block::ListItem { text }
            | Block::Quote { text } => count_words(text),
            Block::Verse { lines } => lines.iter().map(|l| count_words(l)).sum(),
            Block::TableRow { cells } => cells.iter().map(|c| count_words(c)).sum(),
            Block::Image { .. } | Block::SectionBreak | Block::Note { .. } | Block::Code { .. } => {
                0
            }
        }
    }

    /// The block's text (marked), lines and cells joined; `None` for images and breaks.
    pub fn text(&self) -> Option<String> {
        match self {
            Block::Heading { text, .. }
            | Block::Paragraph { text }
            | Block::ListItem { text }
            | Block::Quote { text } => Some(text.clone()),
            Block::Verse { lines } => Some(lines.join("\n")),
            Block::TableRow { cells } => Some(cells.join("; ")),
            Block::Image { .. } | Block::SectionBreak | Block::Note { .. } | Block::Code { .. } => {
                None
            }
        }
    }
}

/// Whitespace-separated tokens holding at least one letter or digit; in Chinese and Japanese,
/// characters.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| {
            // Chinese and Japanese are written without spaces: each character counts as a word,
            // as word processors count them, so a chapter of them is not taken for a scrap.
            let cjk = w.chars().filter(|&c| is_cjk(c)).count();
            let other = w.chars().any(|c| c.is_alphanumeric() && !is_cjk(c));
            cjk + usize::from(other)
        })
        .sum()
}

/// Han characters, kana and 〇.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{3040}'..='\u{30FF}' | '〇' | '々')
}

/// One distinct image of the book.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Image {
    pub id: ImageId,
    /// Its file in the work directory, relative to it: `images/<sha256>.<ext>`.
    pub file: String,
    pub media_type: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Where it came from inside the EPUB (an entry, or `entry#data-uri` for embedded data).
    pub sources: Vec<String>,
    /// How many times the text shows it.
    pub uses: usize,
    pub hint: ImageHint,
}

/// Advice for the describe stage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "hint", rename_all = "snake_case")]
pub enum ImageHint {
    Describe,
    Decorative { reason: DecorativeReason },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum DecorativeReason {
    /// Smaller than a thumbnail in both directions, or a sliver.
    Tiny,
    /// Named or classed as an ornament, spacer, rule or dingbat.
    Ornament,
    /// The book shows it on many pages.
    Repeated,
    /// Marked decorative by its author: `alt=""` outside a figure, or `role="presentation"`.
    MarkedDecorative,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_need_a_letter_or_digit() {
        assert_eq!(count_words("It was — as I said — 1887."), 6);
        assert_eq!(count_words("  * * *  "), 0);
        // Chinese and Japanese by characters; Latin words among them as words.
        assert_eq!(count_words("我们去公园散步吧。"), 8);
        assert_eq!(count_words("東京へ行きます。 AI"), 8);
    }

    #[test]
    fn blocks_round_trip_through_json() {
        let b = Block::Image {
            image: ImageId("ab".into()),
            alt: "A map".into(),
            caption: String::new(),
        };
        let json = serde_json::to_string(&b).unwrap();
        assert!(json.contains("\"type\":\"image\""), "{json}");
        assert_eq!(serde_json::from_str::<Block>(&json).unwrap(), b);
    }
}
