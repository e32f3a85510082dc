//! What normalization left that is not words: digits and symbols in the text that will be
//! phonemized, which the G2P may drop, spell or misread. Nothing unspoken should slip through
//! unnoticed: the script stage counts them per chapter and `bookvoice normalize --check FILE`
//! lists each with its line and column, so a user can fix them with the lexicon.
//!
//! Kept on purpose, and not counted: letters of any script, marks that join them (apostrophes,
//! hyphens), the punctuation that shapes prosody (`. , ; : ! ? … — – ( ) " “ ” ‘ ’ « »`, and
//! Chinese and Japanese `。、，「」《》…`), a
//! slash between words ("and/or"), and the script's own marks and passage markup (`[…]{lang=…}`,
//! whose text is checked).

use crate::lang::spans;
use crate::stages::script::parse;

/// One token left unnormalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// 1-based line of the text, and 1-based column in characters of the line's spoken text.
    pub line: usize,
    pub column: usize,
    /// The whitespace-separated token that holds it.
    pub token: String,
}

/// Whether a character is kept on purpose in spoken text.
fn spoken(c: char) -> bool {
    c.is_alphabetic()
        || c.is_whitespace()
        || matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '…' | '—' | '–' | '-' | '(' | ')' | '"' | '\''
                | '“' | '”' | '‘' | '’' | '«' | '»' | '¡' | '¿' | '/' | '\u{0964}' | '\u{0965}'
        )
        // Chinese and Japanese punctuation (。、「」《》…), 〇 and full-width marks.
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || matches!(c, '！' | '？' | '，' | '．' | '：' | '；' | '（' | '）' | '～' | '・' | '［' | '］' | '·')
        // Combining marks: accents written apart, Devanagari vowel signs.
        || ('\u{0300}'..='\u{036F}').contains(&c)
        || ('\u{0900}'..='\u{097F}').contains(&c)
}

/// How many are left, as a message says it: "1 digit or symbol is", "3 digits or symbols are".
pub fn count_is(n: usize) -> String {
    if n == 1 {
        "1 digit or symbol is".to_string()
    } else {
        format!("{n} digits or symbols are")
    }
}

/// The leftovers of a script (or any text): each line's spoken text, marks and markup aside.
pub fn find(script: &str) -> Vec<Leftover> {
    let mut found = Vec::new();
    for (n, line) in script.lines().enumerate() {
        let (_, text) = parse::split_line(line);
        let text = spans::plain(text);
        let mut column = 0;
        for token in text.split(' ') {
            let start = column;
            column += token.chars().count() + 1;
            if let Some(at) = token.chars().position(|c| !spoken(c)) {
                found.push(Leftover {
                    line: n + 1,
                    column: start + at + 1,
                    token: token.to_string(),
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_symbols_are_found_and_prosody_is_not() {
        let script = "# Chapter one\n\nIt cost 5 dollars & more.\n\n\"Well—and/or so,\" he said… (no).\n- Item #2\n[Il a dit 3 mots]{lang=fr}.";
        let found: Vec<(usize, usize, String)> = find(script)
            .into_iter()
            .map(|l| (l.line, l.column, l.token))
            .collect();
        let want = [(3, 9, "5"), (3, 19, "&"), (6, 6, "#2"), (7, 10, "3")];
        assert_eq!(found, want.map(|(l, c, t)| (l, c, t.to_string())).to_vec());
        assert!(find("Señor Müller, naïve café — “quoted” ‘single’.").is_empty());
        assert!(find("* * *").is_empty());
    }
}
