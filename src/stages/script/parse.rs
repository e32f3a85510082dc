//! Reading a narration script back into what is spoken and how it is separated: the reverse
//! of `splice.rs`, applied to the file on disk so that a user's edits are what gets spoken.
//!
//! Each unit is spoken on its own and followed by the pause its kind calls for; a verse
//! stanza becomes one unit per line, so each line ends with a short pause, as a reader of
//! poetry would make. One kind of stanza is not verse but a shape drawn with words (the Mouse's
//! tail in *Alice*, a sentence set a word or two to the line): one where a third or more of
//! the lines are a single word is read as one run. A pause after every word breaks the
//! sentence for a listener (and for Whisper, which lost the rest of the Mouse's tale when it
//! was read a word at a time), and Kokoro speaks a lone word badly. A single-word line in real
//! verse ("DA", "Unreal" in *The Waste Land*) is the poet's and keeps its pause.
//!
//! The marks a line can begin with are defined here, with [`text_line`], which the writer
//! uses so that text can never be taken for a mark: a line of text that would begin like one
//! (a line of dialogue opening with "- ", a paragraph that starts with "Illustration:") is
//! written with a backslash before it, which the reader drops. Passages in another language
//! are marked inside a line (see [`crate::lang::spans`]) and stay in the units' text for the
//! phonemizer.

use std::borrow::Cow;

use serde::Serialize;

use super::splice::ILLUSTRATION_LABELS;

/// A heading's line begins with this.
pub const HEADING: &str = "# ";
/// A list item's line begins with this.
pub const LIST_ITEM: &str = "- ";
/// A line that is only this is a section break.
pub const SECTION_BREAK: &str = "* * *";
/// A line beginning with this is text, whatever follows.
pub const LITERAL: char = '\\';

/// A line's mark, and the text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Heading,
    ListItem,
    SectionBreak,
    /// Plain text, which may have been escaped.
    Text,
}

/// Splits a script line into its mark and its text (the escape removed).
pub fn split_line(line: &str) -> (Mark, &str) {
    if let Some(text) = line.strip_prefix(LITERAL) {
        (Mark::Text, text)
    } else if line.trim_end() == SECTION_BREAK {
        (Mark::SectionBreak, "")
    } else if let Some(text) = line.strip_prefix(HEADING) {
        (Mark::Heading, text)
    } else if let Some(text) = line.strip_prefix(LIST_ITEM) {
        (Mark::ListItem, text)
    } else {
        (Mark::Text, line)
    }
}

/// The mark's own beginning of a line.
pub fn mark_prefix(mark: Mark) -> &'static str {
    match mark {
        Mark::Heading => HEADING,
        Mark::ListItem => LIST_ITEM,
        Mark::SectionBreak => SECTION_BREAK,
        Mark::Text => "",
    }
}

/// A line of text written so that it reads back as text: escaped when it would begin like a
/// mark or an illustration.
pub fn text_line(text: &str) -> Cow<'_, str> {
    let looks_marked = text.starts_with(LITERAL)
        || text.starts_with(HEADING)
        || text.starts_with(LIST_ITEM)
        || text.trim_end() == SECTION_BREAK
        || illustration(text);
    if looks_marked {
        Cow::Owned(format!("{LITERAL}{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Rewrites the text of every line of a script with `f`, keeping each line's mark, and
/// escaping again a line of text that now begins like a mark.
pub fn map_lines(script: &str, f: &mut dyn FnMut(&str) -> String) -> String {
    let mut out: String = script
        .lines()
        .map(|line| {
            if line.is_empty() {
                return String::new();
            }
            match split_line(line) {
                (Mark::SectionBreak, _) => line.to_string(),
                // A picture's line stays one; any other text is escaped if it now needs it.
                (Mark::Text, text) if !line.starts_with(LITERAL) && illustration(text) => f(text),
                (Mark::Text, text) => text_line(&f(text)).into_owned(),
                (mark, text) => format!("{}{}", mark_prefix(mark), f(text)),
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// Whether a line begins with a picture's label ("Illustration: …").
fn illustration(line: &str) -> bool {
    ILLUSTRATION_LABELS
        .iter()
        .any(|l| line.strip_prefix(l).is_some_and(|r| r.starts_with(':')))
}

/// What a unit of the script is, for the pauses around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Heading,
    Paragraph,
    /// A line of verse; `last` ends its stanza.
    Verse {
        last: bool,
    },
    ListItem,
    Illustration,
    /// Nothing is spoken: a longer pause.
    SectionBreak,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub kind: Kind,
    pub text: String,
}

/// The units of a script, in order.
pub fn parse(script: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    for block in blocks(script) {
        let (mark, first) = split_line(block[0]);
        let escaped = block[0].starts_with(LITERAL);
        match mark {
            Mark::SectionBreak if block.len() == 1 => units.push(Unit {
                kind: Kind::SectionBreak,
                text: String::new(),
            }),
            Mark::Heading if block.len() == 1 => units.push(unit(Kind::Heading, first)),
            Mark::ListItem if block.len() == 1 => units.push(unit(Kind::ListItem, first)),
            _ if block.len() == 1 => {
                let kind = if !escaped && illustration(first) {
                    Kind::Illustration
                } else {
                    Kind::Paragraph
                };
                units.push(unit(kind, first));
            }
            _ => {
                let lines: Vec<&str> = block
                    .iter()
                    .map(|l| l.strip_prefix(LITERAL).unwrap_or(l))
                    .collect();
                let lines = spoken_lines(&lines);
                let n = lines.len();
                for (i, line) in lines.iter().enumerate() {
                    units.push(unit(Kind::Verse { last: i + 1 == n }, line));
                }
            }
        }
    }
    units.retain(|u| u.kind == Kind::SectionBreak || !u.text.is_empty());
    units
}

/// A stanza of at least this many lines, a third or more of them single words, is a shape.
const SHAPE_MIN_LINES: usize = 6;

/// A stanza's lines as they are spoken, each followed by the verse pause.
fn spoken_lines(stanza: &[&str]) -> Vec<String> {
    let single_words = stanza
        .iter()
        .filter(|l| l.split_whitespace().count() == 1)
        .count();
    if stanza.len() >= SHAPE_MIN_LINES && 3 * single_words >= stanza.len() {
        vec![stanza.join(" ")]
    } else {
        stanza.iter().map(|l| l.to_string()).collect()
    }
}

fn unit(kind: Kind, text: &str) -> Unit {
    Unit {
        kind,
        text: text.trim().to_string(),
    }
}

/// Runs of non-blank lines.
fn blocks(script: &str) -> Vec<Vec<&str>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for line in script.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_read_back() {
        let script = "# Canto one\n\nNel mezzo del cammin\ndi nostra vita\n\nA paragraph.\n\n\
                      - an item\n\nIllustration: A dark wood.\n\n* * *\n\nIllustrazione: Un bosco.\n";
        let units = parse(script);
        let kinds: Vec<(Kind, &str)> = units.iter().map(|u| (u.kind, u.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Heading, "Canto one"),
                (Kind::Verse { last: false }, "Nel mezzo del cammin"),
                (Kind::Verse { last: true }, "di nostra vita"),
                (Kind::Paragraph, "A paragraph."),
                (Kind::ListItem, "an item"),
                (Kind::Illustration, "Illustration: A dark wood."),
                (Kind::SectionBreak, ""),
                (Kind::Illustration, "Illustrazione: Un bosco."),
            ]
        );
    }

    fn verse(script: &str) -> Vec<(Kind, String)> {
        parse(script)
            .into_iter()
            .map(|u| (u.kind, u.text))
            .collect()
    }

    #[test]
    fn a_shape_drawn_with_words_is_read_as_one_run() {
        let tail = "\"Fury said\nto a\nmouse,\nThat he\nmet\nin\nthe house.\"";
        assert_eq!(
            verse(tail),
            vec![(
                Kind::Verse { last: true },
                "\"Fury said to a mouse, That he met in the house.\"".to_string()
            )]
        );
        // Eliot's single words are the poem's, and short lines are lines.
        let thunder = "Then spoke the thunder\nDA\nDatta: what have we given?\n\
                       My friend, blood shaking my heart\nThe awful daring\nOf a moment";
        assert_eq!(verse(thunder).len(), 6);
        let thames = "Elizabeth and Leicester\nBeating oars\nThe stern was formed\n\
                      A gilded shell\nRed and gold\nThe brisk swell";
        assert_eq!(verse(thames).len(), 6);
    }

    #[test]
    fn text_that_looks_like_a_mark_is_escaped_and_read_as_text() {
        for text in [
            "- ¿Dónde estoy?",
            "# 1 on the list",
            "* * *",
            "Illustration: a word the author wrote",
            "\\back",
        ] {
            let line = text_line(text);
            assert!(line.starts_with('\\'), "{line}");
            let units = parse(&line);
            assert_eq!(units.len(), 1, "{line}");
            assert_eq!(units[0].kind, Kind::Paragraph, "{line}");
            assert_eq!(units[0].text, text);
        }
        assert_eq!(text_line("Plain - text"), "Plain - text");
        // An escaped line inside a stanza is a verse line like the others.
        let units = parse("\\- uno\ndos");
        assert_eq!(units[0].text, "- uno");
        assert_eq!(units[1].kind, Kind::Verse { last: true });
    }
}
