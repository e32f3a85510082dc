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

use super::book::{Block, Chapter, ChapterKind};
use crate::lang::spans;

/// Text after the story's last separator and before the footer, at most this long, is the
/// transcriber's, not the author's.
const MAX_TRAILER_WORDS: usize = 400;

fn plain(block: &Block) -> String {
    block
        .text()
        .map(|t| spans::plain(&t).trim().to_lowercase())
        .unwrap_or_default()
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
        if let Some(start) = chapter.blocks.iter().position(|b| is_start(&plain(b)))
            && start + 1 < chapter.blocks.len()
        {
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
        if let Some(end) = chapter.blocks.iter().position(|b| is_end(&plain(b)))
            && end > 0
        {
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
}
