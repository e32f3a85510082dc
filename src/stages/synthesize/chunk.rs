//! Cutting phoneme tokens into chunks the model accepts.
//!
//! Kokoro takes at most 510 phoneme ids per call (512 with the pads). A chunk is whole
//! sentences packed up to a target length, so prosody runs naturally across short sentences;
//! a sentence longer than the limit is cut at clause boundaries, a clause longer than that at
//! word boundaries. A word is never cut (only a single "word" longer than the limit could be,
//! and no language has one).

use super::phonemes::{Boundary, Token};
use super::vocab::Vocab;

/// The model's limit: 512 positions including the two pads.
pub const MAX_IDS: usize = 510;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Chunk {
    /// The text the chunk says, for messages.
    pub text: String,
    pub phonemes: String,
    pub ids: Vec<i64>,
    /// For a merged call (see `merge.rs`), the separators between its parts, as positions in
    /// `ids`: a windowed decoder may cut the audio there. Empty for a chunk as planned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joins: Vec<std::ops::Range<usize>>,
}

/// Per-token id counts, including the space after it when one follows inside the chunk.
struct Measured<'a> {
    tokens: &'a [Token],
    lens: Vec<usize>,
}

impl Measured<'_> {
    /// Ids of tokens[a..b] as one run: the last token's trailing space is not part of it.
    fn len(&self, a: usize, b: usize) -> usize {
        let spaces = self.tokens[a..b.saturating_sub(1)]
            .iter()
            .filter(|t| t.space_after)
            .count();
        self.lens[a..b].iter().sum::<usize>() + spaces
    }
}

/// Cuts one paragraph's tokens into chunks of at most `max` ids, packing to about `target`.
pub fn chunk_tokens(tokens: &[Token], vocab: &Vocab, target: usize, max: usize) -> Vec<Chunk> {
    let max = max.clamp(1, MAX_IDS);
    let target = target.clamp(1, max);
    let m = Measured {
        tokens,
        lens: tokens.iter().map(|t| vocab.len_of(&t.phonemes)).collect(),
    };

    // Ranges no longer than `max`, each ending at the strongest boundary available.
    let mut units: Vec<(usize, usize)> = Vec::new();
    for (a, b) in spans(tokens, 0, tokens.len(), Boundary::Sentence) {
        split_to_fit(&m, a, b, Boundary::Clause, max, &mut units);
    }

    // Pack consecutive units up to the target.
    let mut chunks = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (a, b) in units {
        current = match current {
            Some((ca, _)) if m.len(ca, b) <= target => Some((ca, b)),
            Some(done) => {
                chunks.push(render(&m, vocab, done.0, done.1));
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((a, b)) = current {
        chunks.push(render(&m, vocab, a, b));
    }
    chunks.retain(|c| !c.ids.is_empty());
    chunks
}

/// Cuts tokens[a..b] after every boundary at least as strong as `at`. A boundary counts where
/// the text has a space after it, so `."` ends a sentence after the quote, not before. A
/// sentence that ends inside a quotation ("Go. Now," he said.) is only a clause, so a
/// speech is not cut from the words that introduce it. Straight quotes open and close by
/// turns; `“ « „` open and `” »` close.
fn spans(tokens: &[Token], a: usize, b: usize, at: Boundary) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = a;
    let mut pending = Boundary::Word;
    let mut in_quote = false;
    for (i, t) in tokens.iter().enumerate().take(b).skip(a) {
        pending = pending.max(t.boundary);
        for c in t.text.chars() {
            match c {
                '"' => in_quote = !in_quote,
                '“' | '«' | '„' => in_quote = true,
                '”' | '»' => in_quote = false,
                _ => {}
            }
        }
        if in_quote && pending == Boundary::Sentence {
            pending = Boundary::Clause;
        }
        if (t.space_after || i + 1 == b) && pending >= at {
            out.push((start, i + 1));
            start = i + 1;
            pending = Boundary::Word;
        } else if t.space_after {
            pending = Boundary::Word;
        }
    }
    if start < b {
        out.push((start, b));
    }
    out
}

/// Pushes tokens[a..b] as one unit if it fits, else cut at `at`, greedily re-packed; a piece
/// that still does not fit is cut at the next weaker boundary.
fn split_to_fit(
    m: &Measured<'_>,
    a: usize,
    b: usize,
    at: Boundary,
    max: usize,
    out: &mut Vec<(usize, usize)>,
) {
    if m.len(a, b) <= max {
        out.push((a, b));
        return;
    }
    if b - a == 1 {
        // One token longer than the model's limit: nothing to cut at; it is spoken in parts.
        out.push((a, b));
        return;
    }
    let pieces = if at == Boundary::Clause {
        spans(m.tokens, a, b, Boundary::Clause)
    } else {
        (a..b).map(|i| (i, i + 1)).collect()
    };
    let weaker = Boundary::Word;
    let mut current: Option<(usize, usize)> = None;
    for (pa, pb) in pieces {
        if m.len(pa, pb) > max {
            if let Some(done) = current.take() {
                out.push(done);
            }
            split_to_fit(m, pa, pb, weaker, max, out);
            continue;
        }
        current = match current {
            Some((ca, _)) if m.len(ca, pb) <= max => Some((ca, pb)),
            Some(done) => {
                out.push(done);
                Some((pa, pb))
            }
            None => Some((pa, pb)),
        };
    }
    if let Some(done) = current {
        out.push(done);
    }
}

fn render(m: &Measured<'_>, vocab: &Vocab, a: usize, b: usize) -> Chunk {
    let mut text = String::new();
    let mut phonemes = String::new();
    for (i, t) in m.tokens[a..b].iter().enumerate() {
        text.push_str(&t.text);
        phonemes.push_str(&t.phonemes);
        if t.space_after && a + i + 1 < b {
            text.push(' ');
            phonemes.push(' ');
        }
    }
    let mut ids = vocab.encode(&phonemes);
    // Only a single oversized token can exceed the limit; it is cut rather than rejected.
    ids.truncate(MAX_IDS);
    Chunk {
        text,
        phonemes,
        ids,
        joins: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::vocab::tests::v1;

    #[test]
    fn sentences_inside_a_quotation_are_not_cut_from_it() {
        let tok = |text: &str, boundary, space_after| Token {
            text: text.into(),
            phonemes: text.into(),
            space_after,
            boundary,
        };
        let (w, s, c) = (Boundary::Word, Boundary::Sentence, Boundary::Clause);
        // "Go. Now," he said. Then silence.
        let tokens = vec![
            tok("\"", w, false),
            tok("Go", w, false),
            tok(".", s, true),
            tok("Now", w, false),
            tok(",", c, false),
            tok("\"", w, true),
            tok("he", w, true),
            tok("said", w, false),
            tok(".", s, true),
            tok("Then", w, true),
            tok("silence", w, false),
            tok(".", s, false),
        ];
        let cuts = spans(&tokens, 0, tokens.len(), Boundary::Sentence);
        assert_eq!(cuts, vec![(0, 9), (9, 12)]);
    }

    fn word(text: &str, phonemes: &str) -> Token {
        Token {
            text: text.into(),
            phonemes: phonemes.into(),
            space_after: true,
            boundary: Boundary::Word,
        }
    }

    fn punct(mark: &str, boundary: Boundary) -> Token {
        Token {
            text: mark.into(),
            phonemes: mark.into(),
            space_after: true,
            boundary,
        }
    }

    /// A sentence of `words` five-id words, with a comma every `clause` words.
    fn sentence(words: usize, clause: usize) -> Vec<Token> {
        let mut out = Vec::new();
        for i in 0..words {
            let mut w = word(&format!("w{i}"), "hˈɛlO");
            if i + 1 < words && (i + 1) % clause == 0 {
                w.space_after = false;
                out.push(w);
                out.push(punct(",", Boundary::Clause));
            } else {
                out.push(w);
            }
        }
        out.last_mut().unwrap().space_after = false;
        out.push(punct(".", Boundary::Sentence));
        out
    }

    #[test]
    fn short_sentences_are_packed_together() {
        let mut tokens = sentence(5, 100);
        tokens.extend(sentence(5, 100));
        let chunks = chunk_tokens(&tokens, &v1(), 400, MAX_IDS);
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].text.starts_with("w0 w1"));
    }

    #[test]
    fn long_sentence_is_cut_at_clauses_within_the_limit() {
        // 300 words × 6 ids ≈ 1800 ids, commas every 10 words.
        let tokens = sentence(300, 10);
        let chunks = chunk_tokens(&tokens, &v1(), 400, MAX_IDS);
        assert!(chunks.len() >= 4);
        for c in &chunks {
            assert!(c.ids.len() <= MAX_IDS, "{} ids", c.ids.len());
            // Cut after a clause: every chunk but the last ends with its comma.
            assert!(
                c.phonemes.ends_with(',') || c.phonemes.ends_with('.'),
                "{}",
                c.phonemes
            );
        }
        // Nothing lost, nothing cut inside a word.
        let words: usize = chunks
            .iter()
            .map(|c| {
                c.text
                    .split_whitespace()
                    .filter(|w| w.starts_with('w'))
                    .count()
            })
            .sum();
        assert_eq!(words, 300);
    }

    #[test]
    fn clause_without_commas_is_cut_between_words() {
        let tokens = sentence(200, 1000);
        let chunks = chunk_tokens(&tokens, &v1(), 400, MAX_IDS);
        assert!(chunks.len() >= 3);
        for c in &chunks {
            assert!(c.ids.len() <= MAX_IDS);
            assert!(
                c.text
                    .split_whitespace()
                    .all(|w| w.starts_with('w') && w.len() >= 2),
                "{}",
                c.text
            );
        }
    }

    #[test]
    fn sentence_end_after_closing_quote() {
        let mut tokens = vec![word("He", "hi"), word("said", "sˈɛd")];
        tokens.push(Token {
            space_after: false,
            ..word("no", "nˈO")
        });
        tokens.push(Token {
            space_after: false,
            ..punct(".", Boundary::Sentence)
        });
        tokens.push(punct("”", Boundary::Word));
        tokens.push(word("Then", "ðˈɛn"));
        tokens.push(Token {
            space_after: false,
            ..word("left", "lˈɛft")
        });
        tokens.push(punct(".", Boundary::Sentence));
        let s = spans(&tokens, 0, tokens.len(), Boundary::Sentence);
        assert_eq!(s, vec![(0, 5), (5, 8)]);
    }

    #[test]
    fn smaller_limits_are_respected() {
        let tokens = sentence(60, 4);
        for c in chunk_tokens(&tokens, &v1(), 50, 64) {
            assert!(c.ids.len() <= 64, "{} ids: {}", c.ids.len(), c.phonemes);
        }
    }
}
