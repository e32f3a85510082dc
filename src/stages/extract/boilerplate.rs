//! Project Gutenberg's header and footer where they are glued to the story: the lines up to
//! "*** START OF THE PROJECT GUTENBERG EBOOK …" at the head of the first chapter, and
//! everything from "*** END OF THE PROJECT GUTENBERG EBOOK …" on in the last, become
//! chapters of their own (front and back matter), so that the licence is never read as the
//! book's last pages.
//!
//! The markers are written in English whatever the book's language (see any Gutenberg
//! file); older files say "End of the Project Gutenberg EBook of …" or "End of Project
//! Gutenberg's …". A transcriber's note or character table that sits between the story's
//! last separator and the footer goes with the footer.
//!
//! A marker is found on any line of a block, so a header set in one `<pre>` or `<div>` is
//! found too. A body chapter that is nothing but header (it ends with the start marker: the
//! header had a document of its own, or the chapters after it were cut off) becomes front
//! matter, and one that opens with the end marker back matter. `heads.rs` reads the markers
//! here too, to search only the story for chapter headings.

use super::book::{Block, Chapter, ChapterKind};
use crate::lang::spans;

/// Text after the story's last separator and before the footer, at most this long, is the
/// transcriber's, not the author's.
const MAX_TRAILER_WORDS: usize = 400;

/// A marker line is at most this long in bytes (a long title in Chinese, marked as English).
const MAX_MARKER: usize = 400;

/// The lines of a block as a reader sees them, lower-case: a header set in `<pre>` is one
/// block of many lines, and its start marker need not be the first.
fn lines(block: &Block) -> Vec<String> {
    let Some(text) = block.text() else {
        return Vec::new();
    };
    spans::plain(&text)
        .lines()
        .map(|l| l.trim().to_lowercase())
        .collect()
}

fn is_start(text: &str) -> bool {
    let t = text.trim_start_matches(['*', ' ']);
    t.starts_with("start of the project gutenberg")
        || t.starts_with("start of this project gutenberg")
}

fn is_end(text: &str) -> bool {
    let t = text.trim_start_matches(['*', ' ']);
    t.starts_with("end of the project gutenberg")
        || t.starts_with("end of this project gutenberg")
        || t.starts_with("end of project gutenberg")
}

/// Whether a marker is one of the block's lines. A marker is a short line: a long paragraph
/// is not lowered and searched, so that a book of long paragraphs costs little here.
fn marks(block: &Block, marker: fn(&str) -> bool) -> bool {
    match block {
        Block::Paragraph { text } | Block::Heading { text, .. } if text.len() > MAX_MARKER => false,
        _ => lines(block)
            .iter()
            .any(|l| l.len() <= MAX_MARKER && marker(l)),
    }
}

/// Whether the block holds "*** START OF THE PROJECT GUTENBERG EBOOK …": the header ends
/// with it.
pub fn marks_start(block: &Block) -> bool {
    marks(block, is_start)
}

/// Whether the block holds "*** END OF THE PROJECT GUTENBERG EBOOK …": the licence starts
/// with it.
pub fn marks_end(block: &Block) -> bool {
    marks(block, is_end)
}

/// A line that separates parts of a text: a section break, or a paragraph of dashes,
/// asterisks or dots only.
fn is_separator(block: &Block) -> bool {
    match block {
        Block::SectionBreak => true,
        Block::Paragraph { text } => {
            let t = text.trim();
            t.chars().count() >= 3 && t.chars().all(|c| "-—–*·•. _=~".contains(c))
        }
        _ => false,
    }
}

/// Splits the Gutenberg header off body chapters that open with it and the footer off body
/// chapters that end with it; chapters are renumbered. Returns the chapters and how many
/// splits were made.
pub fn split(chapters: Vec<Chapter>) -> (Vec<Chapter>, usize) {
    let mut out: Vec<Chapter> = Vec::with_capacity(chapters.len() + 2);
    let mut splits = 0;
    for mut chapter in chapters {
        if chapter.kind != ChapterKind::Body {
            out.push(chapter);
            continue;
        }
        let start = chapter.blocks.iter().position(marks_start);
        // A chapter that is all header (its own document, or cut off by the chapters after
        // it) is front matter whatever its place said.
        if start.is_some_and(|s| s + 1 == chapter.blocks.len()) {
            chapter.kind = ChapterKind::Front;
            out.push(chapter);
            splits += 1;
            continue;
        }
        if let Some(start) = start {
            let rest = chapter.blocks.split_off(start + 1);
            out.push(Chapter {
                index: 0,
                title: "Project Gutenberg Header".into(),
                kind: ChapterKind::Front,
                sources: chapter.sources.clone(),
                blocks: std::mem::replace(&mut chapter.blocks, rest),
            });
            splits += 1;
        }
        let end = chapter.blocks.iter().position(marks_end);
        // A chapter that opens with the end marker is all licence.
        if end == Some(0) {
            chapter.kind = ChapterKind::Back;
            out.push(chapter);
            splits += 1;
            continue;
        }
        if let Some(end) = end {
            // A short trailer after the story's last separator goes with the footer.
            let cut = chapter.blocks[..end]
                .iter()
                .rposition(is_separator)
                .filter(|&s| {
                    chapter.blocks[s..end]
                        .iter()
                        .map(Block::words)
                        .sum::<usize>()
                        <= MAX_TRAILER_WORDS
                })
                .unwrap_or(end);
            let footer = chapter.blocks.split_off(cut);
            let sources = chapter.sources.clone();
            out.push(chapter);
            out.push(Chapter {
                index: 0,
                title: "Project Gutenberg Licence".into(),
                kind: ChapterKind::Back,
                sources,
                blocks: footer,
            });
            splits += 1;
            continue;
        }
        out.push(chapter);
    }
    for (i, c) in out.iter_mut().enumerate() {
        c.index = i + 1;
    }
    (out, splits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(t: &str) -> Block {
        Block::Paragraph { text: t.into() }
    }

    fn chapter(title: &str, kind: ChapterKind, blocks: Vec<Block>) -> Chapter {
        Chapter {
            index: 0,
            title: title.into(),
            kind,
            sources: vec![],
            blocks,
        }
    }

    #[test]
    fn header_and_footer_leave_the_story() {
        let chapters = vec![
            chapter(
                "Canto I",
                ChapterKind::Body,
                vec![
                    para("The Project Gutenberg eBook of Something"),
                    para("This eBook is for the use of anyone anywhere."),
                    para("*** START OF THE PROJECT GUTENBERG EBOOK SOMETHING ***"),
                    para("Nel mezzo del cammin."),
                ],
            ),
            chapter(
                "Canto XXXIII",
                ChapterKind::Body,
                vec![
                    para("l'amor che move il sole e l'altre stelle."),
                    para("- - - - - - - -"),
                    para("TABLE OF SPECIAL CHARACTERS"),
                    para("[*** END OF THIS PROJECT GUTENBERG EBOOK ***]{lang=en}"),
                    para("Updated editions will replace the previous one."),
                ],
            ),
            chapter("License", ChapterKind::Back, vec![para("More licence.")]),
        ];
        let (out, splits) = split(chapters);
        assert_eq!(splits, 2);
        let shape: Vec<(usize, &str, ChapterKind, usize)> = out
            .iter()
            .map(|c| (c.index, c.title.as_str(), c.kind, c.blocks.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (1, "Project Gutenberg Header", ChapterKind::Front, 3),
                (2, "Canto I", ChapterKind::Body, 1),
                (3, "Canto XXXIII", ChapterKind::Body, 1),
                (4, "Project Gutenberg Licence", ChapterKind::Back, 4),
                (5, "License", ChapterKind::Back, 1),
            ]
        );
    }

    #[test]
    fn a_story_without_markers_is_untouched() {
        let mut chapters = vec![chapter(
            "One",
            ChapterKind::Body,
            vec![para("The end of the project was near."), para("* * *")],
        )];
        chapters[0].index = 1;
        let (out, splits) = split(chapters.clone());
        assert_eq!(splits, 0);
        assert_eq!(out, chapters);
    }

    #[test]
    fn a_header_in_pre_and_boilerplate_in_chapters_of_their_own() {
        let header = Block::Verse {
            lines: vec![
                "The Project Gutenberg EBook of Le Voyage".into(),
                "Title: Le Voyage".into(),
                "*** START OF THIS PROJECT GUTENBERG EBOOK LE VOYAGE ***".into(),
            ],
        };
        let chapters = vec![
            // The header set in <pre>, then the story, in one chapter.
            chapter(
                "Le Voyage",
                ChapterKind::Body,
                vec![
                    header.clone(),
                    para("CHAPITRE I."),
                    para("Il était une fois."),
                ],
            ),
            // The header alone: its own document.
            chapter("Section 2", ChapterKind::Body, vec![header]),
            chapter("Chapitre II", ChapterKind::Body, vec![para("Fin.")]),
            // The licence alone, opening with the end marker.
            chapter(
                "Section 4",
                ChapterKind::Body,
                vec![
                    para("*** END OF THIS PROJECT GUTENBERG EBOOK LE VOYAGE ***"),
                    para("Section 1. General Terms of Use"),
                ],
            ),
        ];
        let (out, splits) = split(chapters);
        assert_eq!(splits, 3);
        let shape: Vec<(&str, ChapterKind, usize)> = out
            .iter()
            .map(|c| (c.title.as_str(), c.kind, c.blocks.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("Project Gutenberg Header", ChapterKind::Front, 1),
                ("Le Voyage", ChapterKind::Body, 2),
                ("Section 2", ChapterKind::Front, 1),
                ("Chapitre II", ChapterKind::Body, 1),
                ("Section 4", ChapterKind::Back, 2),
            ]
        );
    }

    #[test]
    fn markers_are_found_on_any_line_and_only_in_short_blocks() {
        assert!(marks_start(&Block::Verse {
            lines: vec![
                "Title: X".into(),
                "*** START OF THE PROJECT GUTENBERG EBOOK X ***".into()
            ],
        }));
        assert!(marks_end(&para(
            "[*** END OF THE PROJECT GUTENBERG EBOOK 三國演義 ***]{lang=en}"
        )));
        let long = format!(
            "*** END OF THE PROJECT GUTENBERG EBOOK X *** {}",
            "and more ".repeat(60)
        );
        assert!(!marks_end(&para(&long)));
        assert!(!marks_start(&para("The start of the project was slow.")));
    }
}
