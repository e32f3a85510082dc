//! A chapter's blocks, with image descriptions spliced in at each picture's place, as the text
//! of its narration script.
//!
//! The script is plain UTF-8 a user can read and edit, one block per paragraph (blocks are
//! separated by a blank line), with light marks that say how a block is read, since pauses
//! come from structure and not from punctuation tricks:
//!
//! ```text
//! # Down the Rabbit-Hole                     a heading
//! Alice was beginning to get very tired...   a paragraph: one line, however long
//! How doth the little crocodile              verse: one line per line of the poem
//! Improve his shining tail,
//! - an item                                  a list item
//! Illustration: A white rabbit in a waistcoat looks at his pocket watch.
//! * * *                                      a section break
//! \- ¿Dónde estoy?                           text that begins like a mark, escaped
//! He called it [je ne sais quoi]{lang=fr}.   a passage in another language
//! ```
//!
//! Passages the book marks as being in another language keep their marks; a passage marked
//! with the book's own language loses them, since it needs none.
//!
//! An image is narrated as "Illustration: " (in the book's language) and then its caption, if
//! any, and the model's description. Without a description (pending, undecodable) it is
//! narrated from its caption or alt text where they say something, and otherwise skipped —
//! never as "Illo1" or a file name. Decorative images are skipped; with `--no-images` the
//! caption or alt text is read, as the book's own words for the picture.
//!
//! Notes printed in the chapter are left out, or read together after its text under a
//! "Notes" heading; a code listing is announced and skipped, or read line by line (see
//! [`Reading`]).

use super::parse::{HEADING, LIST_ITEM, SECTION_BREAK, text_line};
use super::reading::{self, Code, Notes, Reading};
use crate::lang::{Lang, Language, spans};
use crate::stages::describe::prompt::meaningful;
use crate::stages::describe::{Descriptions, Outcome};
use crate::stages::extract::book::{Block, Chapter};

/// The words that introduce a picture, in every language the script knows; the parser
/// recognizes an illustration by them.
pub const ILLUSTRATION_LABELS: [&str; 6] = [
    "Illustration",
    "Abbildung",
    "Ilustración",
    "Illustrazione",
    "Ilustração",
    "चित्र",
];

/// The word that introduces a picture, in the book's language.
pub fn illustration_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "Ilustración",
        Lang::It => "Illustrazione",
        Lang::PtBr => "Ilustração",
        Lang::Hi => "चित्र",
        // English and French readers know the word.
        _ => "Illustration",
    }
}

/// The narration script of one chapter, in the book's language `lang`; notes printed in the
/// chapter and code listings as `reading` says.
pub fn chapter_script(
    chapter: &Chapter,
    lang: Lang,
    descriptions: &Descriptions,
    reading: Reading,
) -> String {
    let label = illustration_label(lang);
    let own = Language::Kokoro(lang);
    let same = |tag: &str| Language::from_tag(tag).is_some_and(|l| l.same_as(&own));
    // A block's text as a line: passages in the book's own language unmarked.
    let flat = |text: &str| spans::unwrap_same(&one_line(text), &same);
    let text_lines = |lines: Vec<String>| {
        lines
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| text_line(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut blocks: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let opens_with_heading = chapter
        .blocks
        .iter()
        .take(3)
        .any(|b| matches!(b, Block::Heading { .. }));
    let title = spans::escape(&chapter.title).into_owned();
    if !opens_with_heading && !chapter.title.trim().is_empty() {
        blocks.push(format!("{HEADING}{}", flat(&title)));
    }
    for block in &chapter.blocks {
        let text = match block {
            Block::Heading { text, .. } => format!("{HEADING}{}", flat(text)),
            Block::Paragraph { text } | Block::Quote { text } => text_lines(vec![flat(text)]),
            Block::Verse { lines } => text_lines(lines.iter().map(|l| flat(l)).collect()),
            Block::ListItem { text } => format!("{LIST_ITEM}{}", flat(text)),
            Block::TableRow { cells } => text_lines(vec![
                cells
                    .iter()
                    .map(|c| flat(c))
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
            ]),
            Block::SectionBreak => SECTION_BREAK.to_string(),
            Block::Note { text } => {
                if reading.notes == Notes::Read {
                    notes.push(text_lines(vec![flat(text)]));
                }
                continue;
            }
            Block::Code { lines } => match reading.code {
                Code::Announce => reading::code_announcement(lang).to_owned(),
                Code::Read => text_lines(lines.iter().map(|l| flat(&spans::escape(l))).collect()),
            },
            Block::Image {
                image,
                alt,
                caption,
            } => image_text(label, descriptions.get(image), alt, caption),
        };
        if !text.trim().is_empty() && text.trim() != "#" && text.trim() != "-" {
            blocks.push(text);
        }
    }
    if !notes.is_empty() {
        blocks.push(SECTION_BREAK.to_string());
        blocks.push(format!("{HEADING}{}", reading::notes_heading(lang)));
        blocks.extend(notes.into_iter().filter(|n| !n.trim().is_empty()));
    }
    // Two breaks in a row (or one at an edge) say nothing more than one.
    blocks.dedup_by(|a, b| a == SECTION_BREAK && b == SECTION_BREAK);
    while blocks.last().is_some_and(|b| b == SECTION_BREAK) {
        blocks.pop();
    }
    let mut script = blocks.join("\n\n");
    script.push('\n');
    script
}

/// How one picture is narrated, or an empty string for not at all. Alt text and captions
/// come from the book (marks and all); a description is the model's plain text.
fn image_text(label: &str, outcome: Option<&Outcome>, alt: &str, caption: &str) -> String {
    let caption = meaningful(&spans::plain(caption)).map(|_| one_line(caption));
    let alt = meaningful(&spans::plain(alt)).map(|_| one_line(alt));
    match outcome {
        Some(Outcome::Described { text, .. }) => {
            let text = one_line(&spans::escape(text));
            match caption {
                Some(c) if !text.starts_with(c.trim_end_matches('.')) => {
                    format!("{label}: {} {text}", as_sentence(&c))
                }
                _ => format!("{label}: {text}"),
            }
        }
        Some(Outcome::Pending { .. } | Outcome::Undecodable { .. }) => caption
            .or(alt)
            .map(|t| format!("{label}: {}", as_sentence(&t)))
            .unwrap_or_default(),
        // Without the vision model (`--no-images`) the book's own words for a picture, its
        // caption and alt text, are still read.
        Some(Outcome::Off) => caption
            .or(alt)
            .map(|t| format!("{label}: {}", as_sentence(&t)))
            .unwrap_or_default(),
        // A caption is printed text of the book, read even when the picture is not.
        Some(Outcome::Decorative) | None => caption
            .map(|c| text_line(&c).into_owned())
            .unwrap_or_default(),
    }
}

/// A block's text on one line: a paragraph is one line of the script file.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ends a caption with a full stop unless it already ends a sentence.
fn as_sentence(text: &str) -> String {
    let bare = text.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    if bare.ends_with(['.', '!', '?', '…']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::book::{ChapterKind, ImageId};

    fn chapter(blocks: Vec<Block>) -> Chapter {
        Chapter {
            index: 1,
            title: "Down the Rabbit-Hole".into(),
            kind: ChapterKind::Body,
            sources: vec![],
            blocks,
        }
    }

    fn image(id: &str, alt: &str, caption: &str) -> Block {
        Block::Image {
            image: ImageId(id.into()),
            alt: alt.into(),
            caption: caption.into(),
        }
    }

    fn para(t: &str) -> Block {
        Block::Paragraph { text: t.into() }
    }

    fn descriptions(outcomes: &[(&str, Outcome)]) -> Descriptions {
        let mut d = Descriptions::default();
        for (id, o) in outcomes {
            d.insert(ImageId((*id).into()), o.clone());
        }
        d
    }

    fn described(text: &str) -> Outcome {
        Outcome::Described {
            text: text.into(),
            cached: false,
        }
    }

    fn pending() -> Outcome {
        Outcome::Pending {
            reason: "down".into(),
        }
    }

    #[test]
    fn descriptions_go_where_the_picture_was() {
        let c = chapter(vec![
            Block::Heading {
                level: 1,
                text: "Chapter I. Down the Rabbit-Hole".into(),
            },
            para("Alice was beginning to get very tired."),
            image("a", "Illo1", ""),
            para("So she was considering."),
        ]);
        let d = descriptions(&[("a", described("A white rabbit checks his watch."))]);
        assert_eq!(
            chapter_script(&c, Lang::EnUs, &d, Reading::default()),
            "# Chapter I. Down the Rabbit-Hole\n\nAlice was beginning to get very tired.\n\n\
             Illustration: A white rabbit checks his watch.\n\nSo she was considering.\n"
        );
    }

    #[test]
    fn captions_lead_and_placeholders_never_speak() {
        let c = chapter(vec![
            image(
                "a",
                "Alice at the Mad Tea Party",
                "Alice at the Mad Tea Party",
            ),
            image("b", "Illo2", ""),
            image("c", "A map of the garden", ""),
            image("d", "cover.jpg", ""),
        ]);
        let d = descriptions(&[
            ("a", described("A hatter pours tea at a long table.")),
            ("b", pending()),
            ("c", pending()),
            (
                "d",
                Outcome::Undecodable {
                    reason: "svg".into(),
                },
            ),
        ]);
        let script = chapter_script(&c, Lang::EnGb, &d, Reading::default());
        assert_eq!(
            script,
            "# Down the Rabbit-Hole\n\n\
             Illustration: Alice at the Mad Tea Party. A hatter pours tea at a long table.\n\n\
             Illustration: A map of the garden.\n"
        );
        assert!(!script.contains("Illo") && !script.contains("cover.jpg"));
    }

    #[test]
    fn without_images_the_books_own_words_remain() {
        let c = chapter(vec![
            para("Text."),
            image("a", "Alt words", "The Trial of the Knave of Hearts."),
            image("b", "Alt words", ""),
            image("c", "A kite over the hill", ""),
        ]);
        let d = descriptions(&[
            ("a", Outcome::Off),
            ("b", Outcome::Decorative),
            ("c", Outcome::Off),
        ]);
        assert_eq!(
            chapter_script(&c, Lang::EnUs, &d, Reading::default()),
            "# Down the Rabbit-Hole\n\nText.\n\nIllustration: The Trial of the Knave of Hearts.\n\n\
             Illustration: A kite over the hill.\n"
        );
    }

    #[test]
    fn notes_and_code_as_the_reading_settings_say() {
        let c = chapter(vec![
            para("Text."),
            Block::Note {
                text: "A note on the text.".into(),
            },
            Block::Code {
                lines: vec!["let x = 1;".into(), "# not a heading".into()],
            },
            para("More."),
        ]);
        let d = Descriptions::default();
        assert_eq!(
            chapter_script(&c, Lang::EnUs, &d, Reading::default()),
            "# Down the Rabbit-Hole\n\nText.\n\nA code listing follows.\n\nMore.\n"
        );
        let read = Reading {
            notes: Notes::Read,
            code: Code::Read,
        };
        assert_eq!(
            chapter_script(&c, Lang::EnUs, &d, read),
            "# Down the Rabbit-Hole\n\nText.\n\nlet x = 1;\n\\# not a heading\n\nMore.\n\n\
             * * *\n\n# Notes\n\nA note on the text.\n"
        );
        assert!(chapter_script(&c, Lang::Es, &d, read).contains("# Notas\n"));
    }

    #[test]
    fn dialogue_and_other_languages_keep_their_text() {
        let c = chapter(vec![
            para("- ¿Dónde estoy?"),
            para("Dijo [adieu]{lang=fr} y [adiós]{lang=es-ES}."),
            Block::Verse {
                lines: vec!["# uno".into(), "dos".into()],
            },
        ]);
        let script = chapter_script(&c, Lang::Es, &Descriptions::default(), Reading::default());
        assert_eq!(
            script,
            "# Down the Rabbit-Hole\n\n\\- ¿Dónde estoy?\n\nDijo [adieu]{lang=fr} y adiós.\n\n\
             \\# uno\ndos\n"
        );
        let units = crate::stages::script::parse::parse(&script);
        assert_eq!(units[1].text, "- ¿Dónde estoy?");
        assert_eq!(units[1].kind, crate::stages::script::parse::Kind::Paragraph);
    }

    #[test]
    fn structure_is_marked() {
        let c = chapter(vec![
            Block::Heading {
                level: 2,
                text: "Canto I".into(),
            },
            Block::Verse {
                lines: vec!["Nel mezzo del cammin".into(), "di nostra vita".into()],
            },
            Block::SectionBreak,
            Block::SectionBreak,
            Block::ListItem {
                text: "one\nitem".into(),
            },
            Block::TableRow {
                cells: vec!["Name".into(), "".into(), "Age".into()],
            },
            image("x", "Una selva oscura", ""),
            Block::SectionBreak,
        ]);
        let d = descriptions(&[("x", described("Un uomo in una foresta buia."))]);
        assert_eq!(
            chapter_script(&c, Lang::It, &d, Reading::default()),
            "# Canto I\n\nNel mezzo del cammin\ndi nostra vita\n\n* * *\n\n- one item\n\n\
             Name; Age\n\nIllustrazione: Un uomo in una foresta buia.\n"
        );
    }
}
