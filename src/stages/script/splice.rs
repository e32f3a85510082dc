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
//! ```
//!
//! An image is narrated as "Illustration: " (in the book's language) and then its caption, if
//! any, and the model's description. Without a description (pending, undecodable) it is
//! narrated from its caption or alt text where they say something, and otherwise skipped —
//! never as "Illo1" or a file name. Decorative images are skipped; with `--no-images` only a
//! caption is kept, as the printed text it is.

use crate::stages::describe::prompt::meaningful;
use crate::stages::describe::{Descriptions, Outcome};
use crate::stages::extract::book::{Block, Chapter, primary_language};

/// The words that introduce a picture, in every language the script knows; the parser
/// recognizes an illustration by them.
pub const ILLUSTRATION_LABELS: [&str; 5] = [
    "Illustration",
    "Abbildung",
    "Ilustración",
    "Illustrazione",
    "Ilustração",
];

/// The word that introduces a picture, in the book's language.
pub fn illustration_label(language: Option<&str>) -> &'static str {
    match primary_language(language).as_str() {
        "de" => "Abbildung",
        "es" => "Ilustración",
        "it" => "Illustrazione",
        "pt" => "Ilustração",
        // English, French and Dutch readers know the word.
        _ => "Illustration",
    }
}

/// The narration script of one chapter.
pub fn chapter_script(
    chapter: &Chapter,
    language: Option<&str>,
    descriptions: &Descriptions,
) -> String {
    let label = illustration_label(language);
    let mut blocks: Vec<String> = Vec::new();
    let opens_with_heading = chapter
        .blocks
        .iter()
        .take(3)
        .any(|b| matches!(b, Block::Heading { .. }));
    if !opens_with_heading && !chapter.title.trim().is_empty() {
        blocks.push(format!("# {}", one_line(&chapter.title)));
    }
    for block in &chapter.blocks {
        let text = match block {
            Block::Heading { text, .. } => format!("# {}", one_line(text)),
            Block::Paragraph { text } | Block::Quote { text } => one_line(text),
            Block::Verse { lines } => lines
                .iter()
                .map(|l| one_line(l))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            Block::ListItem { text } => format!("- {}", one_line(text)),
            Block::TableRow { cells } => cells
                .iter()
                .map(|c| one_line(c))
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
            Block::SectionBreak => "* * *".to_string(),
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
    // Two breaks in a row (or one at an edge) say nothing more than one.
    blocks.dedup_by(|a, b| a == "* * *" && b == "* * *");
    while blocks.last().is_some_and(|b| b == "* * *") {
        blocks.pop();
    }
    let mut script = blocks.join("\n\n");
    script.push('\n');
    script
}

/// How one picture is narrated, or an empty string for not at all.
fn image_text(label: &str, outcome: Option<&Outcome>, alt: &str, caption: &str) -> String {
    let caption = meaningful(caption).map(one_line);
    let alt = meaningful(alt).map(one_line);
    match outcome {
        Some(Outcome::Described { text, .. }) => {
            let text = one_line(text);
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
        // A caption is printed text of the book, read even when pictures are not.
        Some(Outcome::Off | Outcome::Decorative) | None => caption.unwrap_or_default(),
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
            chapter_script(&c, Some("en"), &d),
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
        let script = chapter_script(&c, Some("en-GB"), &d);
        assert_eq!(
            script,
            "# Down the Rabbit-Hole\n\n\
             Illustration: Alice at the Mad Tea Party. A hatter pours tea at a long table.\n\n\
             Illustration: A map of the garden.\n"
        );
        assert!(!script.contains("Illo") && !script.contains("cover.jpg"));
    }

    #[test]
    fn without_images_only_captions_remain() {
        let c = chapter(vec![
            para("Text."),
            image("a", "Alt words", "The Trial of the Knave of Hearts."),
            image("b", "Alt words", ""),
        ]);
        let d = descriptions(&[("a", Outcome::Off), ("b", Outcome::Decorative)]);
        assert_eq!(
            chapter_script(&c, None, &d),
            "# Down the Rabbit-Hole\n\nText.\n\nThe Trial of the Knave of Hearts.\n"
        );
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
            chapter_script(&c, Some("it"), &d),
            "# Canto I\n\nNel mezzo del cammin\ndi nostra vita\n\n* * *\n\n- one item\n\n\
             Name; Age\n\nIllustrazione: Un uomo in una foresta buia.\n"
        );
    }
}
