//! Typography that is not speech, in any language: ligatures, invisible characters, odd
//! spaces, curly quotes, dashes and dots, and words set in capitals.
//!
//! The phonemizer knows straight quotes, the em dash and the ellipsis character, so those are
//! what everything becomes. Headings set in capitals ("CHAPTER IV. THE POOL OF TEARS") are
//! put in title case so they are read as words, not spelled; roman numerals stay in capitals
//! for the number rules that follow, and short all-capital words in running text (BBC, NASA)
//! are left for the phonemizer to spell or say.

use std::sync::LazyLock;

use regex::Regex;

use super::words::roman;

/// Tidies one line of text.
pub fn tidy(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            // Invisible: zero-width spaces and joiners, word joiner, BOM, soft hyphen.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
                out.push('"')
            }
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{2015}' => out.push('—'),
            '\u{2212}' => out.push('-'),
            // Trade and registered marks are not read.
            '\u{2122}' | '\u{00AE}' => {}
            c => out.push(c),
        }
    }
    // Bullets and ornaments: a pause between words ("Inferno • Canto I"), nothing where
    // they open a line.
    static LEADING_BULLET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*[•◦▪‣⁃❦❧]+\s*").expect("valid regex"));
    static BULLET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*[•◦▪‣⁃❦❧]+\s*").expect("valid regex"));
    if out.contains(['•', '◦', '▪', '‣', '⁃', '❦', '❧']) {
        let trimmed = LEADING_BULLET.replace(&out, "");
        out = BULLET.replace_all(&trimmed, ", ").into_owned();
    }
    static DOTS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\.\s?\.\s?\.(\s?\.)*").expect("valid regex"));
    static DOUBLE_HYPHEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*--+\s*").expect("valid regex"));
    static SPACED_EN_DASH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\D)\s+–\s+(\D)").expect("valid regex"));
    static SPACED_HYPHEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([^\d\s])\s+-\s+([^\d\s])").expect("valid regex"));
    // A line of dialogue opening with a hyphen or en dash (common in Spanish, Portuguese and
    // Italian ebooks) opens with the dash it stands for.
    static DIALOGUE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[-–]\s*([\p{L}¿¡\x22«—])").expect("valid regex"));
    // A mark, then an em dash run straight into the next word ("Midnight.—The", "him,—and",
    // "Stop!—Go", common in older books): the phonemizer takes the three for one word and says
    // "Midnight dot the", "Stop exclamation go", or drops both marks. A space after the dash
    // keeps the mark and the pause. Not before a closing quote ("Stop!—" he said), which is
    // read right and which a space would turn into an opening one.
    static MARK_DASH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"([.,;:!?…)\]"'])(—+)(["']?[\p{L}\p{N}])"#).expect("valid regex")
    });
    static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r" {2,}").expect("valid regex"));
    let out = out.replace("``", "\"").replace("''", "\"");
    let out = DOTS.replace_all(&out, "…");
    let out = DOUBLE_HYPHEN.replace_all(&out, "—");
    let out = SPACED_EN_DASH.replace_all(&out, "$1 — $2");
    let out = SPACED_HYPHEN.replace_all(&out, "$1 — $2");
    let out = MARK_DASH.replace_all(&out, "$1$2 $3");
    let out = DIALOGUE.replace(out.trim_start(), "— $1");
    let out = SPACES.replace_all(&out, " ");
    capitals(out.trim())
}

/// Joins words broken by a hyphen at the end of a line ("exam-\nple") in running text.
pub fn join_hyphenated(text: &str) -> String {
    static BROKEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\p{Ll})-\n(\p{Ll})").expect("valid regex"));
    BROKEN.replace_all(text, "$1$2").into_owned()
}

/// Title case for a line set in capitals; long capitalized words in running text lowered.
/// A possessive or contraction stays one word ("WEBSTER'S" → "Webster's"); a capitalized word
/// without vowels is an acronym (XHTML) and stays; a run of two or more capitalized words in
/// running text ("MY DEAR SIR, the note began") is left whole for the language's rules, which
/// know sentence case from title case.
fn capitals(line: &str) -> String {
    static WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\p{L}+(?:['’]\p{L}+)*").expect("valid regex"));
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() >= 4 && letters.iter().all(|c| !c.is_lowercase());
    let is_caps =
        |w: &str| w.chars().any(char::is_alphabetic) && w.chars().all(|c| !c.is_lowercase());
    let words: Vec<(usize, usize)> = WORD.find_iter(line).map(|m| (m.start(), m.end())).collect();
    // Whether words `a` and `b` are capitals of two letters or more joined by spaces or
    // hyphens only (a lone "I" or "V" makes no run: "I SHALL", "CHAPTER V").
    let long_caps = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() > 1 && is_caps(w);
    let joined = |a: usize, b: usize| {
        let (a, b) = (words[a], words[b]);
        long_caps(&line[a.0..a.1])
            && long_caps(&line[b.0..b.1])
            && line[a.1..b.0].chars().all(|c| c == ' ' || c == '-')
            && !line[a.1..b.0].is_empty()
    };
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for (i, &(start, end)) in words.iter().enumerate() {
        let word = &line[start..end];
        out.push_str(&line[last..start]);
        last = end;
        let all_caps = word.chars().filter(|c| c.is_alphabetic()).count() > 1 && is_caps(word);
        let numeral = roman(word).is_some() && word.chars().all(|c| c.is_ascii_uppercase());
        let acronym = !word
            .chars()
            .any(|c| "AEIOUYÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ".contains(c));
        let in_run =
            !shouting && ((i > 0 && joined(i - 1, i)) || (i + 1 < words.len() && joined(i, i + 1)));
        let long = word.chars().filter(|c| c.is_alphabetic()).count() >= 5;
        if !all_caps || numeral || acronym || in_run || (!shouting && !long) {
            out.push_str(word);
            continue;
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first);
            let rest = chars.as_str().to_lowercase();
            // An Irish or French name keeps the capital after its apostrophe: O'Brien's.
            match rest.strip_prefix(['\'', '’']) {
                Some(name) if matches!(first, 'O' | 'D') && name.chars().count() > 2 => {
                    out.push_str(&rest[..rest.len() - name.len()]);
                    let mut name_chars = name.chars();
                    out.extend(name_chars.next().map(|c| c.to_ascii_uppercase()));
                    out.push_str(name_chars.as_str());
                }
                _ => out.push_str(&rest),
            }
        }
    }
    out.push_str(&line[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_becomes_plain() {
        let cases = [
            ("“Well,” she said—", "\"Well,\" she said—"),
            ("It’s the ﬁrst ﬂoor", "It's the first floor"),
            ("wait . . . for it...", "wait … for it…"),
            ("no\u{00A0}break\u{200B}here", "no breakhere"),
            ("co\u{00AD}operate", "cooperate"),
            ("yes -- no", "yes—no"),
            ("London – Paris", "London — Paris"),
            ("- ¿Dónde estoy? - preguntó.", "— ¿Dónde estoy? — preguntó."),
            ("–Sí, señor.", "— Sí, señor."),
            ("well-known 3 - 4 times", "well-known 3 - 4 times"),
            (
                "CHAPTER IV. THE POOL OF TEARS",
                "Chapter IV. The Pool Of Tears",
            ),
            (
                "She said NEVER again to the BBC.",
                "She said Never again to the BBC.",
            ),
            ("WEBSTER'S DICTIONARY", "Webster's Dictionary"),
            ("O'BRIEN'S HOUSE", "O'Brien's House"),
            ("made in XHTML today", "made in XHTML today"),
            ("the BLACK FISH swam", "the BLACK FISH swam"),
            ("where I SHALL be", "where I Shall be"),
            ("Book I. (Folio), CHAPTER V.", "Book I. (Folio), Chapter V."),
            // A mark and a dash run into the next word get a space after the dash.
            ("Midnight.—The Forecastle", "Midnight.— The Forecastle"),
            (
                "him,—and then;—no:—Stop!—Go?—“Yes.”—’Tis",
                "him,— and then;— no:— Stop!— Go?— \"Yes.\"— 'Tis",
            ),
            ("yes--no.--Then", "yes—no.— Then"),
            ("“Stop!—” he said", "\"Stop!—\" he said"),
            ("Midnight—the end", "Midnight—the end"),
        ];
        for (input, want) in cases {
            assert_eq!(tidy(input), want, "{input:?}");
        }
        assert_eq!(
            join_hyphenated("an exam-\nple and Jean-\nPaul"),
            "an example and Jean-\nPaul"
        );
    }
}
