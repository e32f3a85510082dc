//! Passages in another language inside a text, marked the way Pandoc marks a span:
//! `He called it [je ne sais quoi]{lang=fr}.`
//!
//! This is the one inline mark bookvoice's texts carry. Extract writes it where the book says
//! an element is in another language (`xml:lang`, `lang`), `book.json` and the narration
//! scripts keep it, the script stage normalizes each passage by its own language's rules, and
//! the synthesize stage phonemizes each passage with its own language's G2P. A user editing
//! a script can mark a passage the same way.
//!
//! Spans nest (`[a [b]{lang=la} c]{lang=fr}`). The text around them is literal: brackets in
//! a book ("[sic]") stay as they are, since only a bracket closed by `]{lang=TAG}` makes a
//! span. So that literal text can never be read as a mark, [`escape`] puts a backslash before
//! a `{` that follows a `]`, before a backslash that precedes a mark character, and, inside a
//! span, before brackets; the parser reads `\` followed by one of `\ [ ] { }` as that
//! character.

use std::borrow::Cow;

/// A parsed piece of marked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Text(String),
    Span { lang: String, children: Vec<Node> },
}

/// A run of text in one language, marks resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The passage's tag; `None` for the text's own language.
    pub lang: Option<String>,
    pub text: String,
}

const MARKS: [char; 5] = ['\\', '[', ']', '{', '}'];

/// A frame of the parser: the children of an open `[`.
struct Frame {
    nodes: Vec<Node>,
    text: String,
}

impl Frame {
    fn new() -> Frame {
        Frame {
            nodes: Vec::new(),
            text: String::new(),
        }
    }

    fn close_text(&mut self) {
        if !self.text.is_empty() {
            self.nodes.push(Node::Text(std::mem::take(&mut self.text)));
        }
    }

    fn push_node(&mut self, node: Node) {
        match node {
            Node::Text(t) => self.text.push_str(&t),
            span => {
                self.close_text();
                self.nodes.push(span);
            }
        }
    }

    /// An open bracket that made no span: its text, literally, into `parent`.
    fn spill_into(mut self, parent: &mut Frame, closing: &str) {
        self.close_text();
        parent.text.push('[');
        for node in self.nodes {
            parent.push_node(node);
        }
        parent.text.push_str(closing);
    }
}

/// Parses marked text into nodes.
pub fn parse(text: &str) -> Vec<Node> {
    let mut stack = vec![Frame::new()];
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        let depth = stack.len();
        let top = stack
            .last_mut()
            .expect("the root frame is never popped. This is a bug");
        match c {
            '\\' => match rest.chars().next().filter(|n| MARKS.contains(n)) {
                Some(n) => {
                    top.text.push(n);
                    rest = &rest[n.len_utf8()..];
                }
                None => top.text.push('\\'),
            },
            '[' => stack.push(Frame::new()),
            ']' if depth > 1 => {
                let mut frame = stack.pop().expect("checked above");
                let parent = stack.last_mut().expect("checked above");
                match lang_attribute(rest) {
                    Some((lang, len)) => {
                        frame.close_text();
                        parent.close_text();
                        parent.nodes.push(Node::Span {
                            lang: lang.to_string(),
                            children: frame.nodes,
                        });
                        rest = &rest[len..];
                    }
                    None => frame.spill_into(parent, "]"),
                }
            }
            c => top.text.push(c),
        }
    }
    while stack.len() > 1 {
        let frame = stack.pop().expect("checked by the loop");
        frame.spill_into(stack.last_mut().expect("checked by the loop"), "");
    }
    let mut root = stack.pop().expect("the root frame");
    root.close_text();
    root.nodes
}

/// `{lang=TAG}` at the start of `s`: the tag and the attribute's length.
fn lang_attribute(s: &str) -> Option<(&str, usize)> {
    let body = s.strip_prefix("{lang=")?;
    let end = body.find('}')?;
    let tag = &body[..end];
    let valid = tag.split('-').enumerate().all(|(i, part)| {
        let len_ok = if i == 0 {
            (2..=3).contains(&part.len())
        } else {
            (1..=8).contains(&part.len())
        };
        len_ok && part.chars().all(|c| c.is_ascii_alphanumeric())
    }) && tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    valid.then_some((tag, "{lang=".len() + end + 1))
}

/// Writes nodes back as marked text.
pub fn render(nodes: &[Node]) -> String {
    let mut out = String::new();
    render_into(nodes, false, &mut out);
    out
}

fn render_into(nodes: &[Node], in_span: bool, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => escape_into(t, in_span, out),
            Node::Span { lang, children } => {
                out.push('[');
                render_into(children, true, out);
                out.push_str("]{lang=");
                out.push_str(lang);
                out.push('}');
            }
        }
    }
}

/// Literal text made safe to stand in marked text outside any span.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(MARKS) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    escape_into(text, false, &mut out);
    Cow::Owned(out)
}

fn escape_into(text: &str, in_span: bool, out: &mut String) {
    let mut prev = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let needs = match c {
            '\\' => chars.peek().is_none_or(|n| MARKS.contains(n)),
            '[' | ']' => in_span,
            '{' => prev == Some(']') || out.ends_with(']'),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
}

/// `text` (literal) marked as being in `lang`.
pub fn wrap(text: &str, lang: &str) -> String {
    render(&[Node::Span {
        lang: lang.to_string(),
        children: vec![Node::Text(text.to_string())],
    }])
}

/// The text without its marks, as a reader sees it.
pub fn plain(text: &str) -> String {
    if !text.contains(MARKS) {
        return text.to_string();
    }
    segments(text).into_iter().map(|s| s.text).collect()
}

/// The runs of text in order, each with its language (`None`: the surrounding text's);
/// neighbours in the same language are joined.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    flatten(&parse(text), None, &mut out);
    out
}

fn flatten(nodes: &[Node], lang: Option<&str>, out: &mut Vec<Segment>) {
    for node in nodes {
        match node {
            Node::Text(t) => match out.last_mut() {
                Some(last) if last.lang.as_deref() == lang => last.text.push_str(t),
                _ => out.push(Segment {
                    lang: lang.map(str::to_string),
                    text: t.clone(),
                }),
            },
            Node::Span { lang, children } => flatten(children, Some(lang), out),
        }
    }
}

/// Rewrites the text of every passage with `f(language, text)`, keeping the marks and the
/// whitespace at each passage's edges (`f` sees the text between them).
pub fn map_text(text: &str, f: &mut dyn FnMut(Option<&str>, &str) -> String) -> String {
    fn map(
        nodes: Vec<Node>,
        lang: Option<&str>,
        f: &mut dyn FnMut(Option<&str>, &str) -> String,
    ) -> Vec<Node> {
        nodes
            .into_iter()
            .map(|node| match node {
                Node::Text(t) => {
                    let core = t.trim();
                    if core.is_empty() {
                        return Node::Text(t);
                    }
                    let start = t.len() - t.trim_start().len();
                    let end = t.trim_end().len();
                    Node::Text(format!("{}{}{}", &t[..start], f(lang, core), &t[end..]))
                }
                Node::Span { lang, children } => {
                    let children = map(children, Some(&lang), f);
                    Node::Span { lang, children }
                }
            })
            .collect()
    }
    render(&map(parse(text), None, f))
}

/// Removes the marks of the spans `same(tag)` says are in the surrounding language, keeping
/// their text: a passage marked `es` in a Spanish book is just text.
pub fn unwrap_same(text: &str, same: &dyn Fn(&str) -> bool) -> String {
    fn strip(nodes: Vec<Node>, same: &dyn Fn(&str) -> bool, out: &mut Vec<Node>) {
        for node in nodes {
            match node {
                Node::Span { lang, children } if same(&lang) => strip(children, same, out),
                Node::Span { lang, children } => {
                    let mut inner = Vec::new();
                    strip(children, same, &mut inner);
                    out.push(Node::Span {
                        lang,
                        children: inner,
                    });
                }
                text => out.push(text),
            }
        }
    }
    if !text.contains('[') {
        return text.to_string();
    }
    let mut out = Vec::new();
    strip(parse(text), same, &mut out);
    // Neighbouring text nodes are joined by rendering and reparsing.
    render(&parse(&render(&out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(lang: Option<&str>, text: &str) -> Segment {
        Segment {
            lang: lang.map(str::to_string),
            text: text.to_string(),
        }
    }

    #[test]
    fn spans_mark_passages() {
        assert_eq!(
            segments("He called it [je ne sais quoi]{lang=fr}, and left."),
            vec![
                seg(None, "He called it "),
                seg(Some("fr"), "je ne sais quoi"),
                seg(None, ", and left."),
            ]
        );
        assert_eq!(
            segments("[a [b]{lang=la} c]{lang=fr}"),
            vec![
                seg(Some("fr"), "a "),
                seg(Some("la"), "b"),
                seg(Some("fr"), " c"),
            ]
        );
        assert_eq!(plain("x [y]{lang=pt-BR} z"), "x y z");
    }

    #[test]
    fn literal_brackets_stay_literal() {
        for text in [
            "He wrote [sic] twice.",
            "An [open bracket",
            "A stray ] here",
            "[Illustration: a map]",
            "see [1](/wʌn/) and [x]{lang=1}",
            "[a [b]{lang=es}",
        ] {
            let expect = if text == "[a [b]{lang=es}" {
                vec![seg(None, "[a "), seg(Some("es"), "b")]
            } else {
                vec![seg(None, text)]
            };
            assert_eq!(segments(text), expect, "{text}");
        }
    }

    #[test]
    fn escaped_text_never_becomes_a_mark() {
        for literal in ["a [b]{lang=fr} c", "back\\slash\\[", "x]{y}", "\\", "plain"] {
            let escaped = escape(literal);
            assert_eq!(segments(&escaped), vec![seg(None, literal)], "{escaped}");
        }
        assert_eq!(escape("plain [sic]"), "plain [sic]");
        let wrapped = wrap("odd] [text", "fr");
        assert_eq!(segments(&wrapped), vec![seg(Some("fr"), "odd] [text")]);
    }

    #[test]
    fn spans_in_the_surrounding_language_lose_their_marks() {
        let text = "Dijo [hola]{lang=es-MX} y [bonjour [amigo]{lang=es}]{lang=fr}.";
        assert_eq!(
            unwrap_same(text, &|tag| tag.starts_with("es")),
            "Dijo hola y [bonjour amigo]{lang=fr}."
        );
    }

    #[test]
    fn rendering_round_trips_and_mapping_keeps_marks() {
        let text = "One [deux [tres]{lang=es}]{lang=fr} four [x]\\{y}";
        assert_eq!(render(&parse(text)), text);
        let mapped = map_text(text, &mut |lang, t| {
            format!("<{}:{t}>", lang.unwrap_or("-"))
        });
        assert_eq!(
            mapped,
            "<-:One> [<fr:deux> [<es:tres>]{lang=es}]{lang=fr} <-:four [x]\\{y}>"
        );
    }
}
