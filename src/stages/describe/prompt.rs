//! What the vision model is asked, and how its answer is made fit to be read aloud.
//!
//! The prompt names the book, the book's language and whatever the book itself says about the
//! picture (caption, alt text), because a model that knows it is looking at "Alice at the Mad
//! Tea Party" describes it far better than one that sees anonymous pixels. The answer is then
//! cleaned: models wrap text in markdown and quotes, open with "This image shows", think aloud
//! in `<think>` tags, or stop mid-sentence at their token limit — none of which should be
//! spoken. Answers that are not descriptions at all (refusals, "I cannot see images") are
//! rejected, so the image stays pending instead of narrating an apology.

use std::sync::LazyLock;

use regex::Regex;

use crate::stages::extract::book::primary_language;

/// Bumped when the wording below changes, so cached descriptions made from the old wording
/// are asked again.
pub const PROMPT_VERSION: u32 = 1;

/// Longest description kept, in words; the prompt asks for about 40.
const MAX_WORDS: usize = 60;

/// What the book says about one image, as context for the model.
#[derive(Debug, Clone, Default)]
pub struct ImageContext<'a> {
    pub book_title: &'a str,
    pub language: Option<&'a str>,
    pub caption: &'a str,
    pub alt: &'a str,
}

/// The prompt for one image.
pub fn build(ctx: &ImageContext) -> String {
    let language = language_name(ctx.language);
    let mut prompt = String::new();
    if ctx.book_title.trim().is_empty() {
        prompt.push_str("This picture is an illustration in a book");
    } else {
        prompt.push_str(&format!(
            "This picture is an illustration in the book \"{}\"",
            ctx.book_title.trim()
        ));
    }
    prompt.push_str(", which is being made into an audiobook. ");
    let caption = meaningful(ctx.caption);
    let alt = meaningful(ctx.alt).filter(|a| Some(*a) != caption);
    match (caption, alt) {
        (Some(c), Some(a)) => prompt.push_str(&format!(
            "The book captions it \"{c}\" and describes it as \"{a}\". "
        )),
        (Some(c), None) => prompt.push_str(&format!("The book captions it \"{c}\". ")),
        (None, Some(a)) => prompt.push_str(&format!("The book describes it as \"{a}\". ")),
        (None, None) => {}
    }
    prompt.push_str(&format!(
        "For a listener who cannot see it, say what the picture shows in one or two plain \
         sentences, at most 40 words, in {language}. Do not start with \"This image shows\" or \
         similar, do not repeat the caption word for word, and do not use markdown."
    ));
    prompt
}

/// The language to ask for, in English words, from the book's BCP 47 tag.
pub fn language_name(tag: Option<&str>) -> &'static str {
    let primary = primary_language(tag);
    match primary.as_str() {
        "fr" => "French",
        "de" => "German",
        "es" => "Spanish",
        "it" => "Italian",
        "pt" => "Portuguese",
        "nl" => "Dutch",
        "ja" => "Japanese",
        "zh" => "Chinese",
        "hi" => "Hindi",
        "ru" => "Russian",
        "pl" => "Polish",
        "sv" => "Swedish",
        "da" => "Danish",
        "no" | "nb" | "nn" => "Norwegian",
        "fi" => "Finnish",
        "la" => "Latin",
        _ => "English",
    }
}

/// Alt text or a caption that says something, or `None` for the placeholders publishing
/// tools leave behind: "Illo1", "image", "cover", a file name, a bare number.
pub fn meaningful(text: &str) -> Option<&str> {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)^(
                (illo|illus|illustration|img|image|fig|figure|pic|picture|photo|graphic|plate|
                 cover|cover[\s_-]*image|title|title[\s_-]*page|logo|icon|decoration|ornament|
                 spacer|untitled|alt|placeholder)
                [\s_.-]*\d*[a-z]?
              | [\w.-]+\.(jpe?g|png|gif|webp|svg|bmp|tiff?)
              | [\d\s._-]*
              | [\W_]*
            )$",
        )
        .expect("valid regex")
    });
    let text = text.trim();
    if text.is_empty() || PLACEHOLDER.is_match(text) {
        None
    } else {
        Some(text)
    }
}

/// Why an answer was not kept.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unusable {
    #[error("the answer was empty")]
    Empty,
    #[error("the model says it cannot see the image: {0:?}")]
    CannotSee(String),
    #[error("the answer does not read as a description: {0:?}")]
    Garbage(String),
}

/// Turns a model's answer into one or two sentences fit to be spoken.
pub fn clean(answer: &str) -> Result<String, Unusable> {
    static THINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)<think>.*?(</think>|$)").expect("valid regex"));
    static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(#+|[-*+]|\d+[.)])\s+|\*\*|__|`+|\*").expect("valid regex")
    });
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(description|illustration|image description|caption|answer)\s*:\s*")
            .expect("valid regex")
    });
    static OPENER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)^(
                (this|the)\s+(image|picture|illustration|drawing|engraving|photo(graph)?|artwork|scene)
                  \s+(shows|depicts|features|portrays|illustrates|presents|contains|is\s+of)\s+
              | in\s+(this|the)\s+(image|picture|illustration|drawing)\s*,?\s*(we\s+see\s+|there\s+is\s+)?
              | (here\s+)?we\s+see\s+
              | this\s+is\s+(an?\s+)?(image|picture|illustration|drawing)\s+of\s+
            )",
        )
        .expect("valid regex")
    });
    static REFUSAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(i\s*(can ?not|can't|am unable to|'m unable to|do not|don't)\s+(see|view|access|process|analy[sz]e|display|describe)\b|(no|without an?)\s+image\s+(was\s+)?(provided|attached|included)|as an ai\b|text-based (model|ai)|i('m| am) sorry)",
        )
        .expect("valid regex")
    });

    let text = THINK.replace_all(answer, " ");
    let text = MARKUP.replace_all(&text, " ");
    let mut text = collapse(&text);
    text = LABEL.replace(&text, "").into_owned();
    text = strip_quotes(&text).to_string();
    text = OPENER.replace(&text, "").into_owned();
    text = strip_quotes(&text).to_string();
    if text.is_empty() {
        return Err(Unusable::Empty);
    }
    if REFUSAL.is_match(&text) {
        return Err(Unusable::CannotSee(shorten(&text)));
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if text.split_whitespace().count() < 2 || letters * 10 < visible * 6 || text.contains('{') {
        return Err(Unusable::Garbage(shorten(&text)));
    }
    let mut text = whole_sentences(&text);
    if let Some(first) = text.chars().next()
        && first.is_lowercase()
    {
        text = first.to_uppercase().chain(text.chars().skip(1)).collect();
    }
    Ok(text)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_quotes(text: &str) -> &str {
    let pairs = [
        ('"', '"'),
        ('\u{201C}', '\u{201D}'),
        ('\'', '\''),
        ('«', '»'),
    ];
    let t = text.trim();
    for (open, close) in pairs {
        if let Some(inner) = t.strip_prefix(open).and_then(|s| s.strip_suffix(close))
            && !inner.contains(open)
            && !inner.contains(close)
        {
            return inner.trim();
        }
    }
    t
}

fn shorten(text: &str) -> String {
    let mut s: String = text.chars().take(80).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', '»']);
    w.ends_with(['.', '!', '?', '…', '。'])
}

/// Keeps whole sentences up to the word limit and drops an unfinished one at the end; a
/// single unfinished sentence is kept, closed with a full stop.
fn whole_sentences(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let limit = words.len().min(MAX_WORDS);
    let last_end = (0..limit).rev().find(|&i| ends_sentence(words[i]));
    let mut kept = match last_end {
        Some(i) => words[..=i].join(" "),
        None => words[..limit]
            .join(" ")
            .trim_end_matches([',', ';', ':', '-', '—'])
            .to_string(),
    };
    if !ends_sentence(&kept) {
        kept.push('.');
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_say_nothing() {
        for p in [
            "Illo1",
            "illo 12",
            "image",
            "Cover Image",
            "cover",
            "title",
            "fig. 3",
            "i001.jpg",
            "page_12.PNG",
            "12",
            "",
            "  ",
            "*",
        ] {
            assert_eq!(meaningful(p), None, "{p:?}");
        }
        for m in [
            "Alice at the Mad Tea Party.",
            "A map of the island",
            "Figure of a whale",
        ] {
            assert_eq!(meaningful(m), Some(m));
        }
    }

    #[test]
    fn prompt_carries_context_and_language() {
        let p = build(&ImageContext {
            book_title: "Alice's Adventures in Wonderland",
            language: Some("en-US"),
            caption: "Alice at the Mad Tea Party.",
            alt: "Illo7",
        });
        assert!(p.contains("\"Alice's Adventures in Wonderland\""), "{p}");
        assert!(
            p.contains("captions it \"Alice at the Mad Tea Party.\""),
            "{p}"
        );
        assert!(!p.contains("Illo7"), "{p}");
        assert!(p.contains("in English"), "{p}");
        let it = build(&ImageContext {
            language: Some("it"),
            ..Default::default()
        });
        assert!(it.contains("in Italian"), "{it}");
        assert!(it.contains("an illustration in a book"), "{it}");
    }

    #[test]
    fn answers_are_cleaned() {
        let cases = [
            (
                "**This image shows** a girl holding a *flamingo* as a croquet mallet.",
                "A girl holding a flamingo as a croquet mallet.",
            ),
            (
                "\"A rabbit in a waistcoat checks his pocket watch.\"",
                "A rabbit in a waistcoat checks his pocket watch.",
            ),
            (
                "<think>The user wants...</think>\n\nDescription: A cat grins from a tree branch.",
                "A cat grins from a tree branch.",
            ),
            (
                "In this illustration, a tall hatter pours tea. Alice sits at the long table and",
                "A tall hatter pours tea.",
            ),
            (
                "- A caterpillar smokes a hookah\n- on a mushroom",
                "A caterpillar smokes a hookah on a mushroom.",
            ),
            (
                "The picture depicts the Queen of Hearts shouting, \"Off with her head!\"",
                "The Queen of Hearts shouting, \"Off with her head!\"",
            ),
        ];
        for (answer, want) in cases {
            assert_eq!(clean(answer).as_deref(), Ok(want), "{answer:?}");
        }
    }

    #[test]
    fn long_answers_are_cut_at_a_sentence() {
        let long = format!("{} end.", "word ".repeat(80));
        let cleaned = clean(&format!("A short first sentence. {long}")).unwrap();
        assert_eq!(cleaned, "A short first sentence.");
        let run_on = clean(&"word ".repeat(100)).unwrap();
        assert_eq!(run_on.split_whitespace().count(), MAX_WORDS);
        assert!(run_on.ends_with('.'));
    }

    #[test]
    fn refusals_and_garbage_are_rejected() {
        assert!(matches!(
            clean("I'm sorry, but I cannot see images. I am a text-based model."),
            Err(Unusable::CannotSee(_))
        ));
        assert!(matches!(
            clean("I can't view the image you attached."),
            Err(Unusable::CannotSee(_))
        ));
        assert_eq!(clean("  ``` ``` "), Err(Unusable::Empty));
        assert!(matches!(
            clean("{\"error\": 12345, \"x\": [1,2,3]}"),
            Err(Unusable::Garbage(_))
        ));
        assert!(matches!(
            clean("0x3f 0x22 0x9a 0x01"),
            Err(Unusable::Garbage(_))
        ));
        assert!(matches!(clean("Hmm"), Err(Unusable::Garbage(_))));
    }
}
