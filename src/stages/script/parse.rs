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

use serde::Serialize;

use super::splice::ILLUSTRATION_LABELS;

/// What a unit of the script is, for the pauses around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
        let first = block[0];
        if block.len() == 1 && first == "* * *" {
            units.push(Unit {
                kind: Kind::SectionBreak,
                text: String::new(),
            });
        } else if let Some(text) = first.strip_prefix("# ").filter(|_| block.len() == 1) {
            units.push(unit(Kind::Heading, text));
        } else if let Some(text) = first.strip_prefix("- ").filter(|_| block.len() == 1) {
            units.push(unit(Kind::ListItem, text));
        } else if block.len() == 1 {
            let kind = if ILLUSTRATION_LABELS
                .iter()
                .any(|l| first.strip_prefix(l).is_some_and(|r| r.starts_with(':')))
            {
                Kind::Illustration
            } else {
                Kind::Paragraph
            };
            units.push(unit(kind, first));
        } else {
            let lines = spoken_lines(&block);
            let n = lines.len();
            for (i, line) in lines.iter().enumerate() {
                units.push(unit(Kind::Verse { last: i + 1 == n }, line));
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
}
