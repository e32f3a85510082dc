//! Normalization: the book's text as a narrator would read it, before it reaches the
//! phonemizer. "Chapter IV", "$3.50", "7:45 p.m.", "Mr. Holmes" and "the 1920s" become words;
//! curly quotes, ligatures and invisible characters become plain text.
//!
//! Typography (`typography.rs`) is the same in every language. Numbers, abbreviations and
//! symbols are language rules: English (`en.rs`, with `words.rs` for the number words) is the
//! first; a book in another language gets the typography only, so its digits reach the
//! phonemizer untouched rather than read as English. The script stage runs this over every
//! line of a chapter's script, leaving the script's own marks (`# `, `- `, `* * *`) alone;
//! `bookvoice normalize` shows the result for any text.

#[cfg(test)]
mod cases;
mod en;
mod typography;
pub mod words;

use words::Style;

/// The rules for a book's language, chosen once from its BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    English(Style),
    /// Typography only.
    Other,
}

impl Rules {
    pub fn for_language(tag: Option<&str>) -> Rules {
        let tag = tag.unwrap_or("en").to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        match (parts.next(), parts.next()) {
            (Some("en"), Some("gb" | "uk" | "au" | "nz" | "ie" | "za" | "in")) => {
                Rules::English(Style::British)
            }
            (Some("en"), _) => Rules::English(Style::American),
            _ => Rules::Other,
        }
    }

    /// One line of text as it will be spoken.
    pub fn line(self, line: &str) -> String {
        let tidy = typography::tidy(line);
        match self {
            Rules::English(style) => en::normalize(&tidy, style),
            Rules::Other => tidy,
        }
    }

    /// Running text: words broken across lines are joined, then each line is normalized.
    pub fn text(self, text: &str) -> String {
        typography::join_hyphenated(text)
            .lines()
            .map(|l| self.line(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A narration script (see `splice.rs`): each line normalized after its mark.
    pub fn script(self, script: &str) -> String {
        let mut out: String = script
            .lines()
            .map(|line| {
                if line.is_empty() || line == "* * *" {
                    return line.to_string();
                }
                let (mark, rest) = ["# ", "- "]
                    .iter()
                    .find_map(|m| line.strip_prefix(m).map(|r| (*m, r)))
                    .unwrap_or(("", line));
                format!("{mark}{}", self.line(rest))
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.push('\n');
        out
    }
}
