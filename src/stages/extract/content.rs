//! One XHTML document → readable pieces in reading order: blocks of text and the images the
//! text shows, plus where every `id` falls, so the table of contents can cut chapters there.
//!
//! What a listener should not hear never leaves this file: scripts, styles, hidden elements,
//! page-number and line-number markers, ruby annotations, footnote references and the
//! "back" links of notes. Footnote bodies that sit inline in a chapter (`<aside
//! epub:type="footnote">`) are dropped too; a notes file is kept whole, as back matter.
//! Verse keeps its lines: a line group, a stanza, or a paragraph broken with `<br>`.
//!
//! An element in another language than the book's (`xml:lang`, `lang`) is marked in the text
//! as a span, `[je ne sais quoi]{lang=fr}` (see [`crate::lang::spans`]), whether it is a
//! whole paragraph or a word inside one, so that later stages read it in its own language.
//! While text is collected, a change of language is a private-use marker in the string; each
//! finished line turns its markers into spans, and literal text is escaped.

use std::collections::{HashMap, HashSet};

use super::archive;
use super::book::Block;
use super::dom::{Element, Node};
use super::notes::{NOTE_CLASSES, NOTE_TYPES, NOTES_TYPES, NoteTargets, is_notes_title};
use super::style::Hidden;
use crate::lang::{Language, spans};

/// An image as the text shows it, before its bytes are read.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundImage {
    pub src: ImageSrc,
    pub alt: String,
    pub caption: String,
    /// The author marked it decorative (`alt=""` outside a figure, `role="presentation"`).
    pub marked_decorative: bool,
    /// Its class or file name says ornament, spacer, divider…
    pub ornament: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImageSrc {
    /// An entry path inside the EPUB.
    Entry(String),
    /// A `data:` URI's media type and payload (still base64 or percent-encoded).
    Data { media_type: String, payload: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Block(Block),
    Image(FoundImage),
}

/// Where an `id` sits: the index of the first piece at or after it, and the structural
/// types (`epub:type`/`role`) of the element and its ancestors, innermost first.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub piece: usize,
    pub types: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Content {
    pub pieces: Vec<Piece>,
    pub anchors: HashMap<String, Anchor>,
    /// The types on `<body>` and the wrappers around its first content.
    pub types: Vec<String>,
    /// The document's `<title>`.
    pub title: Option<String>,
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

const NEVER_READ: &[&str] = &[
    "head", "script", "style", "template", "noscript", "title", "rt", "rp", "audio", "video",
    "object", "embed", "iframe", "button", "input", "select", "textarea", "canvas",
];

/// A note body longer than this is not a note but a mistaken target.
const MAX_NOTE_WORDS: usize = 400;

fn is_block(e: &Element) -> bool {
    BLOCKS.contains(&e.name.as_str())
}

/// `h1` to `h6`.
fn is_heading(e: &Element) -> bool {
    e.name.len() == 2 && e.name.starts_with('h')
}

/// Reads one document on its own (no stylesheets, no knowledge of the book's notes).
#[cfg(test)]
pub fn read(root: &Element, path: &str, language: Option<&str>) -> Content {
    read_in(root, path, language, &NoteTargets::default(), &[])
}

/// Reads one document. `path` is its entry path, for resolving image hrefs; `language` is
/// the book's (`dc:language`), against which passages in other languages are marked (the
/// document's own `lang` stands in when the book declares none). `notes` says which link
/// targets in the book are notes; `css` holds the texts of the document's stylesheets, in
/// cascade order.
pub fn read_in(
    root: &Element,
    path: &str,
    language: Option<&str>,
    notes: &NoteTargets,
    css: &[String],
) -> Content {
    let body = root.find("body").unwrap_or(root);
    let base = language
        .or_else(|| lang_of(body))
        .or_else(|| lang_of(root))
        .map(str::to_owned);
    let mut walker = Walker {
        path,
        content: Content::default(),
        types: Vec::new(),
        notes_doc: false,
        base,
        notes,
        hidden: Hidden::find(root, css),
        noted: HashSet::new(),
        number: None,
        following: None,
        in_notes: 0,
        end_notes: None,
    };
    walker.content.title = root
        .find("head")
        .and_then(|h| h.find("title"))
        .map(|t| t.text())
        .filter(|t| !t.is_empty());
    walker.content.types = leading_types(body);
    walker.notes_doc = walker
        .content
        .types
        .iter()
        .any(|t| NOTES_TYPES.contains(&t.as_str()))
        || notes.is_notes_doc(path);
    let ctx = Ctx {
        lang: document_language(root, body, language),
        ..Ctx::default()
    };
    walker.container(body, ctx);
    if !walker.notes_doc {
        plain_notes(&mut walker.content.pieces);
    }
    walker.content
}

/// Notes set as plain text, as older editions print them: a paragraph that opens with `*`
/// or `†` after a paragraph whose words carry the same mark ("…a royal fish."* … "*See
/// subsequent chapters…"). The paragraph becomes a note and the marks leave the text.
fn plain_notes(pieces: &mut [Piece]) {
    const MARKS: [char; 3] = ['*', '†', '‡'];
    let opens_note = |t: &str| {
        let mut chars = t.chars();
        let first = chars.next();
        let rest: String = chars.collect();
        first.is_some_and(|c| MARKS.contains(&c))
            && rest
                .trim_start_matches(MARKS)
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == ' ')
            && !rest.trim_start().starts_with(MARKS)
            && rest.split_whitespace().count() >= 2
    };
    let glued = |t: &str, mark: char| {
        t.char_indices().any(|(i, c)| {
            c == mark
                && t[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| !p.is_whitespace() && !MARKS.contains(&p))
        })
    };
    let mut found = None;
    for i in 0..pieces.len() {
        let Piece::Block(Block::Paragraph { text }) = &pieces[i] else {
            continue;
        };
        if !opens_note(text) {
            continue;
        }
        let mark = text.chars().next().expect("opens with a mark");
        // The reference: a glued mark in one of the few blocks before.
        let referenced = (i.saturating_sub(4)..i).any(
            |j| matches!(&pieces[j], Piece::Block(b) if b.text().is_some_and(|t| glued(&t, mark))),
        );
        if !referenced {
            continue;
        }
        let note = text.trim_start_matches(MARKS).trim().to_owned();
        pieces[i] = Piece::Block(Block::Note { text: note });
        found = Some(mark);
    }
    // Once the document is known to print notes this way, every mark glued to a word is a
    // reference, including one whose note the edition lost.
    let Some(mark) = found else { return };
    for piece in pieces.iter_mut() {
        if let Piece::Block(Block::Paragraph { text } | Block::Quote { text }) = piece
            && glued(text, mark)
        {
            let mut out = String::with_capacity(text.len());
            let mut prev: Option<char> = None;
            for c in text.chars() {
                let drop = c == mark && prev.is_some_and(|p| !p.is_whitespace() && p != mark);
                if !drop {
                    out.push(c);
                }
                prev = Some(c);
            }
            *text = out;
        }
    }
}

/// The language a document says it is in (on `<body>` or `<html>`), unless it says another
/// than the book's and its text plainly reads as the book's: publishing tools stamp every
/// document with one tag (Project Gutenberg's Italian *Divina Commedia* says `lang="en"` on
/// every page), and such a tag must not turn a whole book into a foreign passage.
fn document_language<'a>(
    root: &'a Element,
    body: &'a Element,
    book: Option<&str>,
) -> Option<&'a str> {
    let declared = lang_of(body).or_else(|| lang_of(root))?;
    if book.is_none() || same_language(Some(declared), book) {
        return Some(declared);
    }
    let text = body.text();
    let sample = text
        .char_indices()
        .nth(crate::lang::detect::SAMPLE_CHARS)
        .map_or(text.as_str(), |(i, _)| &text[..i]);
    match crate::lang::detect::detect(sample) {
        Some(d) if d.decisive() && same_language(Some(&d.tag), book) => None,
        _ => Some(declared),
    }
}

/// An element's language tag, if it declares one.
fn lang_of(e: &Element) -> Option<&str> {
    e.attr("xml:lang")
        .or_else(|| e.attr("lang"))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Opens a passage in another language inside collected text: the marker, the tag, and
/// [`LANG_TAG_END`]; [`LANG_CLOSE`] ends it. Private-use characters, removed from the book's
/// own text, so they cannot be confused with it.
const LANG_OPEN: char = '\u{E000}';
const LANG_TAG_END: char = '\u{E001}';
const LANG_CLOSE: char = '\u{E002}';

fn is_lang_marker(c: char) -> bool {
    matches!(c, LANG_OPEN | LANG_TAG_END | LANG_CLOSE)
}

/// Whether text tagged `a` is in the language `b` (`en-GB` is in `en`). A tag that names no
/// language (`und`) changes nothing; a language where none is known is news.
fn same_language(a: Option<&str>, b: Option<&str>) -> bool {
    match (
        a.and_then(Language::from_tag),
        b.and_then(Language::from_tag),
    ) {
        (Some(a), Some(b)) => a.same_as(&b),
        (None, _) => true,
        (Some(_), None) => false,
    }
}

/// The types of `body` and of the single wrappers that open it (`<body><section
/// epub:type="chapter">…`), outermost last so that the most specific comes first.
fn leading_types(body: &Element) -> Vec<String> {
    let mut chain = vec![body];
    let mut at = body;
    while let Some(first) = at.elements().find(|e| {
        matches!(
            e.name.as_str(),
            "section" | "article" | "div" | "main" | "header" | "nav" | "aside"
        )
    }) {
        let has_text_before = at
            .children
            .iter()
            .take_while(|n| !matches!(n, Node::Element(e) if std::ptr::eq(e, first)))
            .any(|n| match n {
                Node::Text(t) => !t.trim().is_empty(),
                Node::Element(e) => is_block(e) && !e.text().is_empty(),
            });
        if has_text_before {
            break;
        }
        chain.push(first);
        at = first;
        if chain.len() > 6 {
            break;
        }
    }
    chain
        .iter()
        .rev()
        .flat_map(|e| {
            e.types()
                .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned())
        })
        .collect()
}

/// Stands for `<br>` inside collected text, apart from the source's own newlines.
const BR: char = '\u{2028}';

#[derive(Debug, Clone, Copy, Default)]
struct Ctx<'a> {
    quote: bool,
    in_list: bool,
    in_figure: bool,
    caption: Option<&'a str>,
    /// The language of the enclosing elements, where one says.
    lang: Option<&'a str>,
}

struct Walker<'p> {
    path: &'p str,
    content: Content,
    /// Types of the enclosing elements, outermost first.
    types: Vec<String>,
    /// The whole document is notes: they are its text, read as they stand.
    notes_doc: bool,
    /// The book's language: text in it needs no mark.
    base: Option<String>,
    notes: &'p NoteTargets,
    /// What the document's stylesheets hide.
    hidden: Hidden,
    /// Ids in this document that a note reference pointed to: their blocks are note bodies.
    noted: HashSet<String>,
    /// The number (or letter) of the ordered-list item being read, for its first block.
    number: Option<String>,
    /// The first character after the inline node being read, in its parent.
    following: Option<char>,
    /// Inside a section of notes (typed, or under a "Notes" heading): blocks are notes.
    in_notes: usize,
    /// The level of the "Notes" heading that opened a block of notes at a chapter's end;
    /// a heading at that level or above ends it (a paragraph-sized title counts as 7).
    end_notes: Option<u8>,
}

/// What kind of block a run of inline content makes.
#[derive(Clone, Copy, PartialEq)]
enum RunKind {
    Paragraph,
    ListItem,
    Heading(u8),
    Preformatted,
}

impl<'p> Walker<'p> {
    fn push(&mut self, block: Block) {
        self.content.pieces.push(Piece::Block(block));
    }

    fn anchor(&mut self, e: &Element) {
        for key in ["id", "name"] {
            if let Some(id) = e.attr(key).filter(|_| key == "id" || e.name == "a") {
                let mut types: Vec<String> = e
                    .types()
                    .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned())
                    .collect();
                types.extend(self.types.iter().rev().cloned());
                self.content.anchors.entry(id.to_owned()).or_insert(Anchor {
                    piece: self.content.pieces.len(),
                    types,
                });
            }
        }
    }

    /// Records the anchors inside something that is not read, so links into it still land.
    fn anchors_within(&mut self, e: &Element) {
        self.anchor(e);
        for child in e.elements() {
            self.anchors_within(child);
        }
    }

    fn skipped(&mut self, e: &Element, in_sup: bool) -> bool {
        if NEVER_READ.contains(&e.name.as_str())
            || e.attr("hidden").is_some()
            || self.hidden.hides(e)
        {
            return true;
        }
        if e.attr("aria-hidden") == Some("true") && e.name != "img" && e.name != "svg" {
            return true;
        }
        if let Some(style) = e.attr("style") {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            let style = style.to_lowercase();
            if style.contains("display:none") || style.contains("visibility:hidden") {
                return true;
            }
        }
        if e.has_type("pagebreak") || e.has_type("noteref") || e.has_type("backlink") {
            return true;
        }
        if e.classes().any(|c| {
            let c = c.to_lowercase();
            matches!(
                c.as_str(),
                "pagenum"
                    | "pageno"
                    | "page-number"
                    | "pagenumber"
                    | "page-num"
                    | "pagebreak"
                    | "lnum"
                    | "linenum"
                    | "line-number"
                    | "linenumber"
                    | "linenr"
            )
        }) {
            return true;
        }
        if !self.notes_doc && !is_block(e) && e.types().any(|t| NOTE_TYPES.contains(&short(t))) {
            // A note printed inline, where it is referenced.
            return true;
        }
        if e.name == "a" {
            return self.is_note_ref(e, in_sup) || is_back_link(e);
        }
        if e.name == "sup" {
            // A superscript holding nothing but a note link.
            let links: Vec<&Element> = e.elements().collect();
            return links.len() == 1
                && links[0].name == "a"
                && self.is_note_ref(links[0], true)
                && e.children.iter().all(|n| match n {
                    Node::Text(t) => t.trim().is_empty(),
                    Node::Element(_) => true,
                });
        }
        false
    }

    /// A link that is a note's marker: it looks like one (see [`is_note_link`]), or its
    /// text is a marker and it points at a note. The id it points to in this document is
    /// remembered: the block there is the note's body.
    fn is_note_ref(&mut self, a: &Element, in_sup: bool) -> bool {
        let Some(href) = a.href() else {
            return false;
        };
        let is_ref = is_note_link(a, in_sup)
            || (is_marker(&a.text(), 5) && self.notes.is_note(self.path, href));
        if is_ref && !self.notes_doc {
            let file = href.split(['#', '?']).next().unwrap_or("");
            if (file.is_empty() || archive::resolve(self.path, href) == self.path)
                && let Some(id) = archive::fragment(href)
            {
                self.noted.insert(id);
            }
        }
        is_ref
    }

    /// Whether a block is the body of a note printed in a chapter: typed or classed as a
    /// note, or the target of a note reference met earlier (on itself or on the anchor
    /// that opens it).
    fn is_note_body(&self, e: &Element) -> bool {
        if self.notes_doc {
            return false;
        }
        let typed = e.types().any(|t| NOTE_TYPES.contains(&short(t)))
            || e.classes()
                .any(|c| NOTE_CLASSES.contains(&c.to_lowercase().as_str()));
        let targeted = || {
            let mut at = e;
            for _ in 0..4 {
                if at.attr("id").is_some_and(|id| self.noted.contains(id)) {
                    return true;
                }
                // Only an element that opens its parent, with no text before it.
                let text_first = at.children.iter().find_map(|n| match n {
                    Node::Text(t) if t.trim().is_empty() => None,
                    other => Some(other),
                });
                match text_first {
                    Some(Node::Element(child)) => at = child,
                    _ => return false,
                }
            }
            false
        };
        (typed || targeted()) && super::book::count_words(&e.text()) <= MAX_NOTE_WORDS
    }

    fn enter(&mut self, e: &Element) -> usize {
        let before = self.types.len();
        self.types.extend(
            e.types()
                .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned()),
        );
        before
    }

    /// A block-level element: its inline runs become blocks, its block children recurse.
    fn container(&mut self, e: &Element, ctx: Ctx) {
        if self.skipped(e, false) {
            self.anchors_within(e);
            return;
        }
        if self.in_notes == 0 && self.is_note_body(e) {
            self.anchors_within(e);
            let text = strip_note_marker(&self.plain_text(e, ctx));
            if !text.is_empty() {
                self.push(Block::Note { text });
            }
            return;
        }
        self.anchor(e);
        let typed_notes = e.types().any(|t| NOTES_TYPES.contains(&short(t)));
        // A section of notes the table of contents lists is a chapter of its own, read as
        // it stands, like a notes document.
        let notes_chapter = typed_notes && !self.notes_doc && self.listed(e);
        let notes_section = typed_notes && !self.notes_doc && !notes_chapter;
        if notes_section {
            self.in_notes += 1;
        }
        if notes_chapter {
            self.notes_doc = true;
        }
        let mark = self.enter(e);
        let mut ctx = ctx;
        // The body's language is the document's, weighed in `document_language`.
        if let Some(lang) = lang_of(e).filter(|_| e.name != "body") {
            ctx.lang = Some(lang);
        }
        // Worked out once, here, for the arm below that reads it.
        let quoted = if e.name == "blockquote" {
            quoted_lines(e)
        } else {
            None
        };
        match e.name.as_str() {
            "hr" => self.push(Block::SectionBreak),
            "img" | "svg" => {
                let mut images = Vec::new();
                self.image(e, ctx, &mut images);
                let texts = if e.name == "svg" {
                    svg_texts(e, images.is_empty())
                } else {
                    Vec::new()
                };
                self.content
                    .pieces
                    .extend(images.into_iter().map(Piece::Image));
                for text in texts {
                    let text = self.line(&text, ctx);
                    if !text.is_empty() {
                        self.push(Block::Paragraph { text });
                    }
                }
            }
            "table" => self.table(e, ctx),
            "ol" => self.ordered_list(e, ctx),
            "math" => {
                let text = self.math(e);
                if !text.is_empty() {
                    self.push(Block::Paragraph { text });
                }
            }
            _ if is_code(e) => {
                let mut text = String::new();
                let mut images = Vec::new();
                for child in &e.children {
                    self.inline(child, &mut text, &mut images, ctx, false);
                }
                let lines: Vec<String> = text
                    .split([BR, '\n'])
                    .map(|l| l.trim_end().to_owned())
                    .skip_while(|l| l.trim().is_empty())
                    .collect();
                let end = lines
                    .iter()
                    .rposition(|l| !l.trim().is_empty())
                    .map_or(0, |i| i + 1);
                if end > 0 {
                    self.push(Block::Code {
                        lines: lines[..end].to_vec(),
                    });
                }
            }
            "figure" => {
                let caption = e
                    .elements()
                    .find(|c| c.name == "figcaption")
                    .map(|c| self.plain_text(c, ctx))
                    .unwrap_or_default();
                let has_image = e.find("img").is_some() || e.find("image").is_some();
                let caption_ref: &str = &caption;
                let inner = Ctx {
                    in_figure: true,
                    caption: Some(caption_ref),
                    ..ctx
                };
                for child in &e.children {
                    match child {
                        Node::Element(c) if c.name == "figcaption" && has_image => {
                            self.anchors_within(c)
                        }
                        _ => self.children(std::slice::from_ref(child), RunKind::Paragraph, inner),
                    }
                }
            }
            _ if is_verse(e) => self.verse(e, ctx),
            _ if quoted.is_some() => {
                // Lines quoted with no class to say what they are (The Waste Land's notes
                // quote Day's verse and Froude's letter alike, a div per printed line).
                if let Some((chain, verse)) = quoted {
                    let inner = self.enter_lines(&chain, Ctx { quote: true, ..ctx });
                    let group = chain[chain.len() - 1];
                    if verse {
                        self.verse(group, inner);
                    } else {
                        // Prose set in the print's lines: one quoted paragraph.
                        let mut text = String::new();
                        let mut images = Vec::new();
                        for child in &group.children {
                            if matches!(child, Node::Element(_)) {
                                text.push(' ');
                                self.inline(child, &mut text, &mut images, inner, false);
                            }
                        }
                        self.flush(&text, RunKind::Paragraph, inner);
                        self.content
                            .pieces
                            .extend(images.into_iter().map(Piece::Image));
                    }
                }
            }
            name => {
                if name == "blockquote" {
                    ctx.quote = true;
                }
                if matches!(name, "li" | "dt" | "dd") {
                    ctx.in_list = true;
                }
                let kind = match name {
                    _ if ctx.in_list && !matches!(name, "ol" | "ul" | "dl") => RunKind::ListItem,
                    "pre" => RunKind::Preformatted,
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        RunKind::Heading(name.as_bytes()[1] - b'0')
                    }
                    _ => RunKind::Paragraph,
                };
                if let RunKind::Heading(level) = kind {
                    let listed = self.notes.is_listed(self.path, e.attr("id"));
                    self.notes_heading(&e.text(), level, listed);
                    // A heading is one block, whatever is inside it.
                    let mut images = Vec::new();
                    let mut text = String::new();
                    for (i, child) in e.children.iter().enumerate() {
                        self.following = following(&e.children, i);
                        self.inline(child, &mut text, &mut images, ctx, false);
                    }
                    self.flush(&text, kind, ctx);
                    self.content
                        .pieces
                        .extend(images.into_iter().map(Piece::Image));
                } else {
                    self.children(&e.children, kind, ctx);
                }
            }
        }
        self.types.truncate(mark);
        if notes_section {
            self.in_notes -= 1;
        }
        if notes_chapter {
            self.notes_doc = false;
        }
    }

    /// An `<ol>`: each item's first block opens with its number, from `start` (or an item's
    /// own `value`) on, counting down when `reversed`; a list of `type="a"` or `"A"` is
    /// lettered (roman types are read as the numbers they are).
    fn ordered_list(&mut self, ol: &Element, ctx: Ctx) {
        let letters = match ol.attr("type").map(str::trim) {
            Some("a") => Some(b'a'),
            Some("A") => Some(b'A'),
            _ => None,
        };
        let reversed = ol.attr("reversed").is_some();
        let items = ol.elements().filter(|c| c.name == "li").count() as i64;
        let mut n = ol
            .attr("start")
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(if reversed { items } else { 1 });
        let ctx = Ctx {
            in_list: true,
            ..ctx
        };
        for child in &ol.children {
            match child {
                Node::Element(li) if li.name == "li" => {
                    if let Some(v) = li.attr("value").and_then(|v| v.trim().parse().ok()) {
                        n = v;
                    }
                    self.number = Some(match letters {
                        Some(base) if (1..=26).contains(&n) => {
                            char::from(base + (n - 1) as u8).to_string()
                        }
                        _ => n.to_string(),
                    });
                    self.container(li, ctx);
                    self.number = None;
                    n += if reversed { -1 } else { 1 };
                }
                other => self.children(std::slice::from_ref(other), RunKind::ListItem, ctx),
            }
        }
    }

    /// Splits children into runs of inline content (each a block) and block children.
    fn children(&mut self, children: &[Node], kind: RunKind, ctx: Ctx) {
        let mut text = String::new();
        let mut images = Vec::new();
        for (i, child) in children.iter().enumerate() {
            match child {
                Node::Element(c)
                    if is_block(c)
                        || c.name == "svg"
                            && c.find("image").is_some()
                            && !has_text_sibling(children) =>
                {
                    self.flush(&text, kind, ctx);
                    self.content
                        .pieces
                        .extend(images.drain(..).map(Piece::Image));
                    text.clear();
                    self.container(c, ctx);
                }
                _ => {
                    self.following = following(children, i);
                    self.inline(child, &mut text, &mut images, ctx, false)
                }
            }
        }
        self.flush(&text, kind, ctx);
        self.content
            .pieces
            .extend(images.into_iter().map(Piece::Image));
    }

    fn flush(&mut self, raw: &str, kind: RunKind, ctx: Ctx) {
        let breaks: &[char] = if kind == RunKind::Preformatted {
            &[BR, '\n']
        } else {
            &[BR]
        };
        let mut lines = self.lines(raw.split(breaks), ctx);
        if lines.is_empty() {
            return;
        }
        if kind == RunKind::Paragraph
            && lines.len() == 1
            && is_notes_title(&spans::plain(&lines[0]))
        {
            // "Notes" set as a paragraph after a rule: below every heading level.
            self.notes_heading(&lines[0], 7, false);
        }
        if self.in_notes > 0 || self.end_notes.is_some() {
            if !matches!(kind, RunKind::Heading(_)) && !is_notes_title(&lines.join(" ")) {
                let text = strip_note_marker(&lines.join(" "));
                if !text.is_empty() {
                    self.push(Block::Note { text });
                }
            }
            return;
        }
        if let Some(label) = self.number.take() {
            lines[0] = format!("{label}. {}", lines[0]);
        }
        let joined = || lines.join(" ");
        let block = match kind {
            RunKind::Heading(level) => Block::Heading {
                level,
                text: join_heading_lines(&lines),
            },
            RunKind::ListItem => Block::ListItem { text: joined() },
            RunKind::Preformatted => Block::Verse { lines },
            RunKind::Paragraph if lines.len() > 1 && !printed_prose(&lines) => {
                Block::Verse { lines }
            }
            RunKind::Paragraph if ctx.quote => Block::Quote { text: joined() },
            RunKind::Paragraph => Block::Paragraph { text: joined() },
        };
        self.push(block);
    }

    /// Appends an inline node's text; images it holds go to `images`, to follow the block.
    fn inline(
        &mut self,
        node: &Node,
        out: &mut String,
        images: &mut Vec<FoundImage>,
        ctx: Ctx,
        in_sup: bool,
    ) {
        match node {
            Node::Text(t) => out.extend(t.chars().filter(|c| !is_lang_marker(*c))),
            Node::Element(e) => {
                if self.skipped(e, in_sup) {
                    self.anchors_within(e);
                    return;
                }
                self.anchor(e);
                match e.name.as_str() {
                    "br" => out.push(BR),
                    "img" if is_drop_cap(e, out, self.following) => {
                        out.push_str(e.attr("alt").unwrap_or("").trim());
                    }
                    "math" => {
                        let text = self.math(e);
                        out.push(' ');
                        out.push_str(&text);
                        out.push(' ');
                    }
                    "svg" => {
                        self.image(e, ctx, images);
                        for text in svg_texts(e, false) {
                            out.push(' ');
                            out.push_str(&text);
                        }
                    }
                    "img" => self.image(e, ctx, images),
                    // An exponent after a number ("10<sup>6</sup>"): superscript digits, which
                    // normalization reads as a power, not "one hundred six".
                    "sup" if is_exponent(e, out) => {
                        out.extend(e.text().chars().map(superscript));
                    }
                    _ => {
                        let in_sup = in_sup || e.name == "sup";
                        // Block elements met inline (inside a heading or a verse line) still
                        // separate words.
                        let block = is_block(e);
                        if block {
                            out.push(' ');
                        }
                        let current = ctx.lang.or(self.base.as_deref());
                        let lang = lang_of(e).filter(|l| !same_language(Some(l), current));
                        if let Some(lang) = lang {
                            out.push(LANG_OPEN);
                            out.push_str(lang);
                            out.push(LANG_TAG_END);
                        }
                        let ctx = Ctx {
                            lang: lang.or(ctx.lang),
                            ..ctx
                        };
                        for (i, child) in e.children.iter().enumerate() {
                            self.following = following(&e.children, i);
                            self.inline(child, out, images, ctx, in_sup);
                        }
                        if lang.is_some() {
                            out.push(LANG_CLOSE);
                        }
                        if block {
                            out.push(' ');
                        }
                    }
                }
            }
        }
    }

    /// MathML as words: its `alttext` where the author gave one, else a plain reading of
    /// the expression (see [`math_words`]).
    fn math(&self, e: &Element) -> String {
        if let Some(alt) = e.attr("alttext").map(clean).filter(|a| !a.is_empty()) {
            return alt;
        }
        let english = self
            .base
            .as_deref()
            .is_none_or(|b| b.to_ascii_lowercase().starts_with("en"));
        clean(&math_words(e, english))
    }

    /// Whether the table of contents points at this element, or at the heading that opens
    /// it.
    fn listed(&self, e: &Element) -> bool {
        let opening = e.elements().next().filter(|c| is_heading(c));
        self.notes.is_listed(self.path, e.attr("id"))
            || opening.is_some_and(|h| self.notes.is_listed(self.path, h.attr("id")))
    }

    /// A heading opens or closes a block of notes at a chapter's end; one the table of
    /// contents lists (`listed`) opens a chapter instead.
    fn notes_heading(&mut self, text: &str, level: u8, listed: bool) {
        if self.notes_doc {
            return;
        }
        if is_notes_title(&spans::plain(text)) && !listed {
            if !self.content.pieces.is_empty() {
                self.end_notes = Some(level);
            }
        } else if self.end_notes.is_some_and(|l| level <= l) {
            self.end_notes = None;
        }
    }

    /// Inline text of an element, without recording images (captions).
    fn plain_text(&mut self, e: &Element, ctx: Ctx) -> String {
        let mut text = String::new();
        let mut images = Vec::new();
        let ctx = Ctx {
            lang: lang_of(e).or(ctx.lang),
            ..Ctx::default()
        };
        for child in &e.children {
            self.inline(child, &mut text, &mut images, ctx, false);
        }
        self.line(&text.replace(BR, " "), ctx)
    }

    /// Collected lines as block text: whitespace tidied, passages in another language than
    /// the book's marked as spans, empty lines dropped. A passage may run across lines.
    fn lines<'t>(&self, raw: impl Iterator<Item = &'t str>, ctx: Ctx) -> Vec<String> {
        let mut stack: Vec<Option<String>> = vec![ctx.lang.map(str::to_owned)];
        let mut out = Vec::new();
        for line in raw {
            let line = clean(line);
            let mut segments: Vec<(Option<String>, String)> = Vec::new();
            let mut text = String::new();
            let mut chars = line.chars();
            let mut flush = |text: &mut String, lang: &Option<String>| {
                if !text.is_empty() {
                    segments.push((lang.clone(), std::mem::take(text)));
                }
            };
            while let Some(c) = chars.next() {
                match c {
                    LANG_OPEN => {
                        flush(&mut text, stack.last().expect("never empty"));
                        let tag: String =
                            chars.by_ref().take_while(|c| *c != LANG_TAG_END).collect();
                        stack.push(Some(tag));
                    }
                    LANG_CLOSE => {
                        flush(&mut text, stack.last().expect("never empty"));
                        if stack.len() > 1 {
                            stack.pop();
                        }
                    }
                    LANG_TAG_END => {}
                    c => text.push(c),
                }
            }
            flush(&mut text, stack.last().expect("never empty"));
            let rendered = self.render(&segments);
            if !rendered.trim().is_empty() {
                out.push(rendered.trim().to_owned());
            }
        }
        out
    }

    /// One collected line (see [`Walker::lines`]), or an empty string.
    fn line(&self, raw: &str, ctx: Ctx) -> String {
        self.lines(std::iter::once(raw), ctx)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// Text runs, each in a language, as marked text: runs in the book's language plain,
    /// others as spans with the whitespace at their edges left outside.
    fn render(&self, segments: &[(Option<String>, String)]) -> String {
        let mut out = String::new();
        for (lang, text) in segments {
            match lang {
                Some(tag) if !same_language(Some(tag), self.base.as_deref()) => {
                    let core = text.trim();
                    if core.is_empty() {
                        out.push_str(text);
                        continue;
                    }
                    let start = text.len() - text.trim_start().len();
                    out.push_str(&text[..start]);
                    out.push_str(&spans::wrap(core, tag));
                    out.push_str(&text[text.trim_end().len()..]);
                }
                _ => out.push_str(&spans::escape(text)),
            }
        }
        out
    }

    fn table(&mut self, table: &Element, ctx: Ctx) {
        if let Some(caption) = table.elements().find(|e| e.name == "caption") {
            let text = self.plain_text(caption, ctx);
            if !text.is_empty() {
                self.push(Block::Paragraph { text });
            }
        }
        let mut rows = Vec::new();
        collect_rows(table, &mut rows);
        for row in rows {
            self.anchor(row);
            let mut cells = Vec::new();
            let mut images = Vec::new();
            for cell in row.elements().filter(|c| c.name == "td" || c.name == "th") {
                self.anchor(cell);
                let mut text = String::new();
                let ctx = Ctx {
                    lang: lang_of(cell).or(ctx.lang),
                    ..ctx
                };
                for child in &cell.children {
                    self.inline(child, &mut text, &mut images, ctx, false);
                }
                let text = self.line(&text.replace(BR, " "), ctx);
                if !text.is_empty() {
                    cells.push(text);
                }
            }
            if !cells.is_empty() {
                self.push(Block::TableRow { cells });
            }
            self.content
                .pieces
                .extend(images.into_iter().map(Piece::Image));
        }
    }

    /// Enters a chain of elements from a wrapper down to a group of lines (as
    /// [`nested_lines`] gives it): each one's anchor is known, and the innermost language
    /// among them is the lines' language.
    fn enter_lines<'a>(&mut self, chain: &[&'a Element], ctx: Ctx<'a>) -> Ctx<'a> {
        let mut inner = ctx;
        for wrapper in chain {
            self.anchor(wrapper);
            if let Some(lang) = lang_of(wrapper) {
                inner.lang = Some(lang);
            }
        }
        inner
    }

    /// A poem or line group: each child is a line, nested groups are stanzas.
    fn verse(&mut self, group: &Element, ctx: Ctx) {
        let ctx = Ctx {
            lang: ctx.lang,
            ..Ctx::default()
        };
        let mut lines: Vec<String> = Vec::new();
        let mut images = Vec::new();
        let flush = |walker: &mut Walker, lines: &mut Vec<String>| {
            if printed_prose(lines) {
                // Marked as verse, yet prose set in the print's lines: one paragraph.
                walker.push(Block::Paragraph {
                    text: std::mem::take(lines).join(" "),
                });
            } else if !lines.is_empty() {
                walker.push(Block::Verse {
                    lines: std::mem::take(lines),
                });
            }
        };
        // Verse written as plain text, a line per source line (Moby-Dick's hymn in a
        // `div.extract-verse-rw`): its lines are the source's.
        let plain = lines_of_plain_text(group);
        for child in &group.children {
            match child {
                Node::Text(t) => {
                    let t: String = t.chars().filter(|c| !is_lang_marker(*c)).collect();
                    if plain {
                        lines.extend(self.lines(t.split('\n'), ctx));
                    } else {
                        lines.extend(self.lines(std::iter::once(t.as_str()), ctx));
                    }
                }
                Node::Element(e) => {
                    if self.skipped(e, false) {
                        self.anchors_within(e);
                        continue;
                    }
                    let nested = nested_lines(e).filter(|chain| {
                        chain.iter().all(|x| {
                            !self.is_note_body(x) && x.types().next().is_none() || is_verse(x)
                        })
                    });
                    if let Some(chain) = nested {
                        // A group of lines, perhaps wrapped (a blockquote around a div of
                        // lines): a stanza of its own, in its own language.
                        if chain[1..].iter().any(|w| self.skipped(w, false)) {
                            self.anchors_within(e);
                            continue;
                        }
                        flush(self, &mut lines);
                        let inner = self.enter_lines(&chain, ctx);
                        self.verse(chain[chain.len() - 1], inner);
                        continue;
                    }
                    let stanza = e.elements().filter(|c| is_block(c)).count() > 1;
                    let heading = is_heading(e);
                    if stanza || heading || e.name == "figure" || e.name == "table" {
                        flush(self, &mut lines);
                        self.container(e, ctx);
                        continue;
                    }
                    self.anchor(e);
                    let mut text = String::new();
                    self.inline(child, &mut text, &mut images, ctx, false);
                    let mut broken = self.lines(text.split(BR), ctx);
                    if broken.len() > 1 && e.name == "p" {
                        // A paragraph of lines is a stanza of its own.
                        flush(self, &mut lines);
                        flush(self, &mut broken);
                    } else {
                        lines.extend(broken);
                    }
                }
            }
        }
        flush(self, &mut lines);
        self.content
            .pieces
            .extend(images.into_iter().map(Piece::Image));
    }

    fn image(&mut self, e: &Element, ctx: Ctx, out: &mut Vec<FoundImage>) {
        let caption = ctx.caption.unwrap_or("").to_owned();
        let decorative_role = matches!(e.attr("role"), Some("presentation" | "none"));
        if e.name == "img" {
            let Some(src) = e.attr("src").filter(|s| !s.trim().is_empty()) else {
                return;
            };
            let alt = e.attr("alt");
            out.push(FoundImage {
                src: self.source(src),
                alt: clean(alt.unwrap_or("")),
                caption,
                marked_decorative: decorative_role || (alt == Some("") && !ctx.in_figure),
                ornament: is_ornament(e, src),
            });
            return;
        }
        // SVG: its <image> elements, described by the SVG's <title> or label.
        let label = e
            .attr("aria-label")
            .map(str::to_owned)
            .or_else(|| e.elements().find(|c| c.name == "title").map(|t| t.text()))
            .unwrap_or_default();
        let mut images = Vec::new();
        e.find_all("image", &mut images);
        for image in images {
            if let Some(href) = image.href().filter(|s| !s.trim().is_empty()) {
                out.push(FoundImage {
                    src: self.source(href),
                    alt: clean(&label),
                    caption: caption.clone(),
                    marked_decorative: decorative_role,
                    ornament: is_ornament(e, href),
                });
            }
        }
    }

    fn source(&self, src: &str) -> ImageSrc {
        let src = src.trim();
        match data_uri(src) {
            Some((media_type, payload)) => ImageSrc::Data {
                media_type,
                payload: payload.to_owned(),
            },
            None => ImageSrc::Entry(archive::resolve(self.path, src)),
        }
    }
}

/// `epub:footnote` → `footnote`.
fn short(t: &str) -> &str {
    t.rsplit(':').next().unwrap_or(t)
}

/// Text that is a note's marker: a short number, a few note symbols, a short lowercase
/// roman numeral or a letter, bare or in brackets or parentheses.
fn is_marker(text: &str, max_digits: usize) -> bool {
    let marker = text
        .trim()
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')', '.'])
        .trim();
    !marker.is_empty()
        && (marker.len() <= max_digits && marker.chars().all(|c| c.is_ascii_digit())
            || marker.chars().all(|c| "*†‡§¶".contains(c)) && marker.chars().count() <= 3
            || marker.len() <= 4 && marker.chars().all(|c| "ivxlc".contains(c))
            || marker.len() == 1 && marker.chars().all(|c| c.is_ascii_lowercase()))
}

/// A note's text without the marker that opens it: "5 An in-chapter note" → "An in-chapter
/// note"; "[12] Text", "12. Text", "* Text" alike.
fn strip_note_marker(text: &str) -> String {
    let t = text.trim();
    let first = t.split_whitespace().next().unwrap_or("");
    if !first.is_empty() && first.len() < t.len() && is_marker(first, 4) {
        t[first.len()..].trim_start().to_owned()
    } else {
        t.to_owned()
    }
}

/// A code listing: a `<pre>` holding `<code>`, or a block whose class or type says code.
fn is_code(e: &Element) -> bool {
    let says_code = |e: &Element| {
        e.classes().any(|c| {
            let c = c.to_lowercase();
            ["code", "listing", "program", "sourcecode", "language-"]
                .iter()
                .any(|k| c.contains(k))
        }) || e.has_type("code")
    };
    match e.name.as_str() {
        "pre" => {
            says_code(e)
                || e.elements().count() == 1
                    && e.elements().all(|c| c.name == "code")
                    && !has_text_sibling(&e.children)
        }
        "div" | "figure" | "section" => says_code(e) && e.find("pre").is_some(),
        _ => false,
    }
}

/// A `<sup>` of a number (or minus a number) straight after a digit: an exponent.
fn is_exponent(sup: &Element, before: &str) -> bool {
    let text = sup.text();
    let digits = text.strip_prefix(['-', '−']).unwrap_or(&text);
    !digits.is_empty()
        && digits.len() <= 3
        && digits.chars().all(|c| c.is_ascii_digit())
        && sup.elements().next().is_none()
        && before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
}

/// A digit or minus sign as its superscript form.
fn superscript(c: char) -> char {
    match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '-' | '−' => '⁻',
        other => other,
    }
}

/// The first character after the `i`-th of `children`, if any: what an inline element is
/// glued to (a text's very next character, else the first visible one of the element).
fn following(children: &[Node], i: usize) -> Option<char> {
    match children.get(i + 1)? {
        Node::Text(t) => t.chars().next(),
        Node::Element(e) => first_visible(e),
    }
}

/// The first character of an element's text that is not whitespace, found without
/// collecting the text (the element may be a whole chapter).
fn first_visible(e: &Element) -> Option<char> {
    e.children.iter().find_map(|n| match n {
        Node::Text(t) => t.chars().find(|c| !c.is_whitespace()),
        Node::Element(child) => first_visible(child),
    })
}

/// An image that is the first letter of its paragraph set as a picture (a drop cap): alt
/// text of one letter (after an opening quote, perhaps), at the start of the text, glued to
/// the lowercase rest of its word (`next`).
fn is_drop_cap(img: &Element, before: &str, next: Option<char>) -> bool {
    let alt = img.attr("alt").unwrap_or("").trim();
    let letters: Vec<char> = alt.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() == 1
        && alt.chars().count() <= 2
        && alt
            .chars()
            .all(|c| c.is_alphabetic() || "\"'“‘«„".contains(c))
        && !before.chars().any(char::is_alphanumeric)
        && next.is_some_and(char::is_lowercase)
}

/// The text an SVG shows: its `<text>` elements in order, and, when it draws no picture to
/// carry them as alt text (`with_labels`), its `<title>` and `<desc>` first.
fn svg_texts(svg: &Element, with_labels: bool) -> Vec<String> {
    let mut out = Vec::new();
    if with_labels {
        for label in svg
            .elements()
            .filter(|c| c.name == "title" || c.name == "desc")
        {
            out.push(label.text());
        }
    }
    let mut texts = Vec::new();
    svg.find_all("text", &mut texts);
    out.extend(texts.into_iter().map(|t| t.text()));
    out.retain(|t| !t.trim().is_empty());
    out
}

/// A plain reading of a MathML expression: fractions "over", powers "squared" or "to the
/// power of", roots, and operators in words (in English; other languages get the symbols,
/// which their normalization reads).
fn math_words(e: &Element, english: bool) -> String {
    let kids: Vec<&Element> = e.elements().collect();
    let words = |i: usize| {
        kids.get(i)
            .map(|k| math_words(k, english))
            .unwrap_or_default()
    };
    let name = e.name.rsplit(':').next().unwrap_or(&e.name);
    match (name, english) {
        ("annotation" | "annotation-xml", _) => String::new(),
        ("semantics", _) => words(0),
        ("mfrac", true) => format!("{} over {}", words(0), words(1)),
        ("msup", true) => match words(1).trim() {
            "2" => format!("{} squared", words(0)),
            "3" => format!("{} cubed", words(0)),
            p => format!("{} to the power of {p}", words(0)),
        },
        ("msub", true) => format!("{} sub {}", words(0), words(1)),
        ("msqrt", true) => format!(
            "the square root of {}",
            kids.iter()
                .map(|k| math_words(k, english))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ("mo", true) => {
            let op = e.text();
            match op.as_str() {
                "=" => "equals",
                "+" => "plus",
                "-" | "−" => "minus",
                "×" | "·" | "⋅" | "*" => "times",
                "÷" | "/" => "divided by",
                "<" => "is less than",
                ">" => "is greater than",
                "≤" => "is less than or equal to",
                "≥" => "is greater than or equal to",
                "≠" => "is not equal to",
                "±" => "plus or minus",
                "≈" => "is approximately",
                "(" | ")" | "[" | "]" | "{" | "}" | "\u{2061}" | "\u{2062}" => "",
                _ => return op,
            }
            .to_owned()
        }
        ("mi" | "mn" | "mtext" | "ms" | "mo", _) => e.text(),
        _ => {
            if kids.is_empty() {
                e.text()
            } else {
                kids.iter()
                    .map(|k| math_words(k, english))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        }
    }
}

/// Splits `data:image/png;base64,AAAA` into its media type and payload.
pub fn data_uri(src: &str) -> Option<(String, &str)> {
    let rest = src.strip_prefix("data:")?;
    let (head, payload) = rest.split_once(',')?;
    Some((head.to_owned(), payload))
}

fn has_text_sibling(children: &[Node]) -> bool {
    children
        .iter()
        .any(|n| matches!(n, Node::Text(t) if !t.trim().is_empty()))
}

fn collect_rows<'a>(e: &'a Element, out: &mut Vec<&'a Element>) {
    for child in e.elements() {
        match child.name.as_str() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => collect_rows(child, out),
            _ => {}
        }
    }
}

/// Inside verse, an element that holds several lines and nothing else: itself, or the one
/// block it wraps, and so on down (`<blockquote><div><div>line</div>…</div></blockquote>`).
/// Returns the chain from `e` down to the element whose children are the lines; `None` for
/// a single line, or for a group with headings, figures, tables or deeper structure, which
/// is read as any other container.
fn nested_lines(e: &Element) -> Option<Vec<&Element>> {
    let mut chain = vec![e];
    let mut group = e;
    loop {
        let blocks: Vec<&Element> = group.elements().filter(|c| is_block(c)).collect();
        match blocks.len() {
            0 => return None,
            1 => {
                group = blocks[0];
                chain.push(group);
            }
            _ => {
                let structured = |b: &&Element| {
                    b.elements().any(is_block)
                        || is_heading(b)
                        || matches!(b.name.as_str(), "figure" | "table" | "ul" | "ol" | "dl")
                };
                return (!blocks.iter().any(structured)).then_some(chain);
            }
        }
    }
}

/// A `<blockquote>` that holds lines without saying what they are: two or more `<div>`s of
/// plain text and at most [`MAX_QUOTED_LINE`] characters each, perhaps wrapped in further
/// `<div>`s. Returns the chain from the blockquote down to the lines' parent, as
/// [`nested_lines`] does, and whether the lines are verse: each after the first opens with a
/// capital (or a letter of a script without case). Prose quoted with the print's line ends
/// carries its sentences over in lower case. `None` for anything else, such as quoted
/// paragraphs (`<p>`s, or longer), which are read as they are.
fn quoted_lines(e: &Element) -> Option<(Vec<&Element>, bool)> {
    let chain = nested_lines(e)?;
    let group = chain[chain.len() - 1];
    let lines: Vec<&Element> = group.elements().filter(|c| is_block(c)).collect();
    let text_only = group.children.iter().all(|c| match c {
        Node::Text(t) => t.trim().is_empty(),
        Node::Element(c) => c.name == "div",
    });
    let short = lines
        .iter()
        .all(|l| (1..=MAX_QUOTED_LINE).contains(&l.text().trim().chars().count()));
    if !(text_only && short && chain[1..].iter().all(|w| w.name == "div")) {
        return None;
    }
    let capitals = lines
        .iter()
        .skip(1)
        .all(|l| first_letter(&l.text()).is_some_and(|c| !c.is_lowercase()));
    Some((chain, capitals))
}

/// The first letter of a line, by which [`quoted_lines`] and [`printed_prose`] tell a line
/// that opens in lower case (carrying a sentence over) from one that opens as verse does.
fn first_letter(line: &str) -> Option<char> {
    line.chars().find(|c| c.is_alphabetic())
}

/// Whether lines broken where the source broke them (`<br>`, or a source line each) are prose
/// set to a printed page's measure, not verse: four lines or more (a tercet of Dante's is
/// verse however it runs on); those before the last all long and within a quarter of the
/// longest; and most of them carrying their sentence over without punctuation. Long is
/// [`PRINTED_LINE`] characters, or [`PRINTED_LINE_LOWER`] where most lines carry on in lower
/// case, as verse lines seldom do. Hesse quoted in The Waste
/// Land's notes (`<br>` where the print broke) and a footnote in a Moby-Dick
/// `extract-verse-rw` div are such. Verse lines vary in length more than that, and long ones
/// (Whitman's) end with punctuation.
fn printed_prose(lines: &[String]) -> bool {
    let Some((_, before_last)) = lines.split_last() else {
        return false;
    };
    if before_last.len() < 3 {
        return false;
    }
    let plain: Vec<String> = lines.iter().map(|l| spans::plain(l)).collect();
    let majority = |n: usize, of: usize| n * 2 > of;
    let lower = plain[1..]
        .iter()
        .filter(|l| first_letter(l).is_some_and(char::is_lowercase))
        .count();
    let shortest = if majority(lower, plain.len() - 1) {
        PRINTED_LINE_LOWER
    } else {
        PRINTED_LINE
    };
    let lengths: Vec<usize> = plain[..before_last.len()]
        .iter()
        .map(|l| l.chars().count())
        .collect();
    let longest = lengths.iter().copied().max().unwrap_or(0);
    let measured = lengths
        .iter()
        .all(|&n| n >= shortest && n * 4 >= longest * 3);
    let running_on = plain[..before_last.len()]
        .iter()
        .filter(|l| {
            l.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']'])
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
        .count();
    measured && majority(running_on, before_last.len())
}

/// The shortest line before the last that [`printed_prose`] takes for a printed line of
/// prose, in characters: a pentameter line is 40 to 60, a printed prose line 50 to 80.
const PRINTED_LINE: usize = 55;
/// The same where most lines carry on in lower case: Dante's hendecasyllables are under 48.
const PRINTED_LINE_LOWER: usize = 48;

/// The longest line that [`quoted_lines`] takes for a line, in characters: a pentameter line
/// is 40 to 60, and a paragraph longer than this is rarely a single `<div>` in a quotation.
const MAX_QUOTED_LINE: usize = 80;

fn is_verse(e: &Element) -> bool {
    let by_type = e.types().any(|t| {
        matches!(
            t.rsplit(':').next(),
            Some("poem" | "verse" | "song" | "hymn" | "stanza")
        )
    });
    let by_class = e.classes().any(|c| {
        let c = c.to_lowercase();
        c == "lg"
            || [
                "poem",
                "verse",
                "stanza",
                "linegroup",
                "line-group",
                "poetry",
            ]
            .iter()
            .any(|k| c.contains(k))
    });
    (by_type || by_class) && (e.elements().any(is_block) || lines_of_plain_text(e))
}

/// Whether `e` holds only text, in two lines or more: verse whose line ends are the source's
/// own, with neither `<br>` nor an element per line.
fn lines_of_plain_text(e: &Element) -> bool {
    e.elements().next().is_none()
        && e.children.iter().any(|c| match c {
            Node::Text(t) => t.lines().filter(|l| !l.trim().is_empty()).count() >= 2,
            Node::Element(_) => false,
        })
}

fn is_ornament(e: &Element, src: &str) -> bool {
    const WORDS: &[&str] = &[
        "ornament",
        "dingbat",
        "fleuron",
        "divider",
        "separator",
        "spacer",
        "flourish",
        "decoration",
        "tailpiece",
        "headpiece",
        "squiggle",
    ];
    let file = src.rsplit('/').next().unwrap_or(src).to_lowercase();
    let classes = e.attr("class").unwrap_or("").to_lowercase();
    WORDS
        .iter()
        .any(|w| file.contains(w) || classes.contains(w))
}

/// A link whose text is a note marker (`1`, `[12]`, `*`, `†`, `iv`) in a superscript, or
/// marked as a note reference by its class.
fn is_note_link(a: &Element, in_sup: bool) -> bool {
    let Some(href) = a.href() else {
        return false;
    };
    if href.starts_with("http:") || href.starts_with("https:") || href.starts_with("mailto:") {
        return false;
    }
    let text = a.text();
    if !is_marker(&text, 3) {
        return false;
    }
    let text = text.trim();
    let bracketed = text.starts_with('[') && text.ends_with(']');
    let classed = a.classes().any(|c| {
        let c = c.to_lowercase();
        c.contains("note") || c.starts_with("fn") || c.contains("footnote")
    });
    let sup_inside = a.find("sup").is_some();
    in_sup
        || sup_inside
        || bracketed
        || classed
        || a.attr("id")
            .is_some_and(|id| id.to_lowercase().contains("ref"))
}

fn is_back_link(a: &Element) -> bool {
    let text = a.text().to_lowercase();
    let href = a.href().unwrap_or("");
    href.contains('#')
        && matches!(
            text.trim_matches(['[', ']', ' ']),
            "↩" | "↩\u{fe0e}"
                | "↩\u{fe0f}"
                | "↑"
                | "back"
                | "return"
                | "go back"
                | "return to text"
        )
}

/// Drops invisible characters and collapses whitespace.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c == BR { ' ' } else { c })
        .filter(|c| {
            !matches!(
                c,
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Chapter 1" + "Loomings" → "Chapter 1. Loomings".
fn join_heading_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        if !out.is_empty() {
            let ends = out.ends_with(['.', ':', '!', '?', '—', ';', ',']);
            out.push_str(if ends { " " } else { ". " });
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::dom;

    fn read_str(xhtml: &str) -> Content {
        let doc = dom::parse(xhtml.as_bytes());
        assert!(doc.recovered.is_none(), "{:?}", doc.recovered);
        read(&doc.root, "OEBPS/text/ch1.xhtml", Some("en"))
    }

    fn blocks(c: &Content) -> Vec<Block> {
        c.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Block(b) => Some(b.clone()),
                Piece::Image(_) => None,
            })
            .collect()
    }

    const HEAD: &str = r#"<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>T</title><style>p{}</style></head>"#;

    #[test]
    fn structure_comes_through_in_order() {
        let c = read_str(&format!(
            r#"{HEAD}<body epub:type="bodymatter"><section epub:type="chapter" id="c1">
            <h2>Chapter 1<br/>Loomings</h2><p>Call me <em>Ishmael</em>.</p>
            <blockquote><p>A quoted line.</p></blockquote><ul><li>one</li><li>two</li></ul>
            <table><tr><th>Name</th><td>Age</td></tr></table><hr/>
            <div>Loose text<p>inner</p>tail</div></section></body></html>"#
        ));
        assert_eq!(c.title.as_deref(), Some("T"));
        assert_eq!(c.types, ["chapter", "bodymatter"]);
        assert_eq!(
            blocks(&c),
            [
                Block::Heading {
                    level: 2,
                    text: "Chapter 1. Loomings".into()
                },
                Block::Paragraph {
                    text: "Call me Ishmael.".into()
                },
                Block::Quote {
                    text: "A quoted line.".into()
                },
                Block::ListItem { text: "one".into() },
                Block::ListItem { text: "two".into() },
                Block::TableRow {
                    cells: vec!["Name".into(), "Age".into()]
                },
                Block::SectionBreak,
                Block::Paragraph {
                    text: "Loose text".into()
                },
                Block::Paragraph {
                    text: "inner".into()
                },
                Block::Paragraph {
                    text: "tail".into()
                },
            ]
        );
        assert_eq!(c.anchors["c1"].piece, 0);
        assert_eq!(c.anchors["c1"].types, ["chapter", "bodymatter"]);
    }

    #[test]
    fn markers_and_notes_are_not_read() {
        let c = read_str(&format!(
            r##"{HEAD}<body><p>Son of man,<a epub:type="noteref" href="#n1">*</a><span class="lnum">20</span>
            and<span epub:type="pagebreak" id="p12" title="12"/> more<sup><a href="notes.xhtml#n2">2</a></sup>
            text<a href="#fn3">[3]</a> here<span hidden="">secret</span><span style="display: none">x</span>
            <script>alert(1)</script><ruby>漢<rt>kan</rt></ruby>.</p>
            <aside epub:type="footnote" id="n1"><p>A footnote body.</p></aside>
            <p>See <a href="ch2.xhtml">chapter 2</a> and note <a href="#x">a</a>.</p></body></html>"##
        ));
        assert_eq!(
            blocks(&c),
            [
                Block::Paragraph {
                    text: "Son of man, and more text here 漢.".into()
                },
                Block::Note {
                    text: "A footnote body.".into()
                },
                Block::Paragraph {
                    text: "See chapter 2 and note a.".into()
                },
            ]
        );
        // A link into the skipped page marker still finds its place.
        assert_eq!(c.anchors["p12"].piece, 0);
    }

    #[test]
    fn a_notes_file_keeps_its_notes_but_not_back_links() {
        let c = read_str(&format!(
            r##"{HEAD}<body><section epub:type="endnotes"><ol><li id="n1" epub:type="endnote"><p>The note. <a href="ch3.xhtml#r1" epub:type="backlink">↩</a></p></li>
            <li><p>Another. <a href="ch3.xhtml#r2">Back</a></p></li></ol></section></body></html>"##
        ));
        assert_eq!(
            blocks(&c),
            [
                Block::ListItem {
                    text: "1. The note.".into()
                },
                Block::ListItem {
                    text: "2. Another.".into()
                },
            ]
        );
        assert_eq!(c.anchors["n1"].types, ["endnote", "endnotes"]);
    }

    #[test]
    fn verse_keeps_its_lines() {
        let c = read_str(&format!(
            r#"{HEAD}<body><div class="linegroup"><div>April is the cruellest month, breeding</div>
            <div>Lilacs out of the dead land,<span class="lnum">10</span></div></div>
            <div class="linegroup"><div>What are the roots</div></div>
            <p>Nel mezzo del cammin<br/>mi ritrovai<br/></p>
            <blockquote epub:type="z3998:poem"><p><span>One</span><br/><span>Two</span></p><p><span>Three</span><br/><span>Four</span></p></blockquote>
            <div class="block-rw extract-verse-rw">
                 "The ribs and terrors in the whale,
                 Arched over me a dismal gloom,</div>
            <div class="linegroup"><div>And so</div><blockquote xml:lang="de"><div><div id="l31">Frisch weht der Wind</div>
            <div>Der Heimat zu</div></div></blockquote><div>Back again</div></div>
            </body></html>"#
        ));
        assert_eq!(
            blocks(&c),
            [
                Block::Verse {
                    lines: vec![
                        "April is the cruellest month, breeding".into(),
                        "Lilacs out of the dead land,".into()
                    ]
                },
                Block::Verse {
                    lines: vec!["What are the roots".into()]
                },
                Block::Verse {
                    lines: vec!["Nel mezzo del cammin".into(), "mi ritrovai".into()]
                },
                Block::Verse {
                    lines: vec!["One".into(), "Two".into()]
                },
                Block::Verse {
                    lines: vec!["Three".into(), "Four".into()]
                },
                Block::Verse {
                    lines: vec![
                        "\"The ribs and terrors in the whale,".into(),
                        "Arched over me a dismal gloom,".into()
                    ]
                },
                Block::Verse {
                    lines: vec!["And so".into()]
                },
                Block::Verse {
                    lines: vec![
                        "[Frisch weht der Wind]{lang=de}".into(),
                        "[Der Heimat zu]{lang=de}".into()
                    ]
                },
                Block::Verse {
                    lines: vec!["Back again".into()]
                },
            ]
        );
        assert!(c.anchors.contains_key("l31"));
    }

    #[test]
    fn prose_broken_at_the_prints_line_ends_is_a_paragraph_and_verse_is_not() {
        let c = read_str(&format!(
            r#"{HEAD}<body><blockquote><p>"Schon ist halb Europa, schon ist zumindest der halbe Osten Europas auf dem<br/>
            Wege zum Chaos, fhrt betrunken im heiligem Wahn am Abgrund entlang<br/>
            und singt dazu, singt betrunken und hymnisch wie Dmitri Karamasoff sang.<br/>
            Ueber diese Lieder lacht der Bsrger beleidigt, der Heilige<br/>
            und Seher hrt sie mit Trvnen."</p></blockquote>
            <div class="extract-verse-rw">
            Since the above was written, the statement is happily borne
            out by an official circular, issued by Lieutenant Maury, of
            the National Observatory, Washington, April 16th, 1851. By
            that circular, it appears that precisely such a chart is in
            course of completion.</div>
            <p>pria che passin mill’ anni? ch’è più corto<br/>spazio a l’etterno, ch’un muover di ciglia<br/>al cerchio che più tardi in cielo è torto.</p>
            <p>April is the cruellest month, breeding<br/>Lilacs out of the dead land, mixing<br/>Memory and desire, stirring<br/>Dull roots with spring rain.</p>
            </body></html>"#
        ));
        let b = blocks(&c);
        assert!(
            matches!(&b[0], Block::Quote { text } if text.starts_with("\"Schon ist") && text.contains("auf dem Wege")),
            "{:?}",
            b[0]
        );
        assert!(
            matches!(&b[1], Block::Paragraph { text } if text.contains("borne out by")),
            "{:?}",
            b[1]
        );
        // A tercet that runs on in lower case, and enjambed lines of varied length: verse.
        assert!(
            matches!(&b[2], Block::Verse { lines } if lines.len() == 3),
            "{:?}",
            b[2]
        );
        assert!(
            matches!(&b[3], Block::Verse { lines } if lines.len() == 4),
            "{:?}",
            b[3]
        );
    }

    #[test]
    fn quoted_lines_in_prose_are_verse_and_quoted_paragraphs_are_not() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p>Cf. Day, Parliament of Bees:</p>
            <blockquote><div><div id="q1">"When of the sudden, listening, you shall hear,</div>
            <div>"A noise of horns and hunting, which shall bring</div></div></blockquote>
            <blockquote xml:lang="fr"><div>Un vers</div><div>Et un autre</div></blockquote>
            <blockquote><p>One short paragraph.</p><p>Another one.</p></blockquote>
            <blockquote><div>A line.</div><div>{long}</div></blockquote>
            <blockquote><div>"In the afternoon we were in a barge,</div><div>when they began</div></blockquote>
            </body></html>"#,
            long = "A quotation that runs on for far longer than any line of verse would, so it is prose.",
        ));
        assert_eq!(
            blocks(&c)[1..],
            [
                Block::Verse {
                    lines: vec![
                        "\"When of the sudden, listening, you shall hear,".into(),
                        "\"A noise of horns and hunting, which shall bring".into()
                    ]
                },
                Block::Verse {
                    lines: vec![
                        "[Un vers]{lang=fr}".into(),
                        "[Et un autre]{lang=fr}".into()
                    ]
                },
                Block::Quote {
                    text: "One short paragraph.".into()
                },
                Block::Quote {
                    text: "Another one.".into()
                },
                Block::Quote {
                    text: "A line.".into()
                },
                Block::Quote {
                    text: "A quotation that runs on for far longer than any line of verse would, so it is prose.".into()
                },
                Block::Quote {
                    text: "\"In the afternoon we were in a barge, when they began".into()
                },
            ]
        );
        assert!(c.anchors.contains_key("q1"));
    }

    #[test]
    fn passages_in_other_languages_are_marked() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p>He called it <i xml:lang="fr">je ne <b>sais</b> quoi</i>, and <span lang="en-GB">colour</span> left.</p>
            <blockquote xml:lang="it"><p>Nel mezzo del cammin <i lang="la">in medias res</i> e [nota]</p></blockquote>
            <div class="linegroup" lang="es"><div>Verde que te quiero</div><div>verde <em xml:lang="en">green</em></div></div>
            <p>Brackets [sic] stay, and a fake [x]{{lang=fr}} too.</p></body></html>"#
        ));
        let b = blocks(&c);
        assert_eq!(
            b[0],
            Block::Paragraph {
                text: "He called it [je ne sais quoi]{lang=fr}, and colour left.".into()
            }
        );
        assert_eq!(
            b[1],
            Block::Quote {
                text: "[Nel mezzo del cammin]{lang=it} [in medias res]{lang=la} [e \\[nota\\]]{lang=it}"
                    .into()
            }
        );
        assert_eq!(
            b[2],
            Block::Verse {
                lines: vec![
                    "[Verde que te quiero]{lang=es}".into(),
                    "[verde]{lang=es} green".into()
                ]
            }
        );
        assert_eq!(
            crate::lang::spans::plain(match &b[3] {
                Block::Paragraph { text } => text,
                other => panic!("{other:?}"),
            }),
            "Brackets [sic] stay, and a fake [x]{lang=fr} too."
        );
    }

    #[test]
    fn a_document_stamped_with_the_wrong_language_is_read_as_its_text() {
        let italian = "Nel mezzo del cammin di nostra vita mi ritrovai per una selva oscura, \
                       ché la diritta via era smarrita. Ahi quanto a dir qual era è cosa dura \
                       esta selva selvaggia e aspra e forte che nel pensier rinova la paura! \
                       Tant' è amara che poco è più morte; ma per trattar del ben ch'i' vi \
                       trovai, dirò de l'altre cose ch'i' v'ho scorte.";
        let doc = dom::parse(
            format!(
                r#"<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><body><p>{italian}</p><p><i lang="la">in medias res</i></p></body></html>"#
            )
            .as_bytes(),
        );
        let c = read(&doc.root, "a.xhtml", Some("it"));
        let b = blocks(&c);
        assert_eq!(
            b[0],
            Block::Paragraph {
                text: italian.into()
            }
        );
        assert_eq!(
            b[1],
            Block::Paragraph {
                text: "[in medias res]{lang=la}".into()
            }
        );
        // A short page in another language than the book's keeps its word.
        let doc = dom::parse(
            r#"<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><body><p>Pour ma mère.</p></body></html>"#
                .as_bytes(),
        );
        let c = read(&doc.root, "d.xhtml", Some("en"));
        assert_eq!(
            blocks(&c)[0],
            Block::Paragraph {
                text: "[Pour ma mère.]{lang=fr}".into()
            }
        );
    }

    #[test]
    fn images_keep_their_place_alt_and_caption() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p>Before.</p><figure><img src="../images/i001.jpg" alt="Illo1"/><figcaption>Alice and the <i>Rabbit</i></figcaption></figure>
            <p>Inline <img src="../images/star.png" alt="" class="ornament"/> after.</p>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><title>The cover</title><image xlink:href="data:image/jpeg;base64,AAAA"/></svg></body></html>"#
        ));
        let kinds: Vec<String> = c
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Block(Block::Paragraph { text }) => text.clone(),
                Piece::Block(other) => format!("{other:?}"),
                Piece::Image(i) => format!("[{:?} {} / {}]", i.src, i.alt, i.caption),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "Before.",
                "[Entry(\"OEBPS/images/i001.jpg\") Illo1 / Alice and the Rabbit]",
                "Inline after.",
                "[Entry(\"OEBPS/images/star.png\")  / ]",
                "[Data { media_type: \"image/jpeg;base64\", payload: \"AAAA\" } The cover / ]",
            ]
        );
        let Piece::Image(star) = &c.pieces[3] else {
            panic!()
        };
        assert!(star.marked_decorative && star.ornament);
    }

    fn texts(c: &Content) -> Vec<String> {
        blocks(c)
            .iter()
            .map(|b| match b {
                Block::Note { text } => format!("NOTE {text}"),
                Block::Code { lines } => format!("CODE {}", lines.join(" / ")),
                other => other.text().unwrap_or_else(|| format!("{other:?}")),
            })
            .collect()
    }

    #[test]
    fn note_references_are_known_by_their_targets() {
        let notes = r#"<html><body><h1>Notes</h1><p id="n1">1. One.</p><p id="n2">2. Two.</p></body></html>"#;
        let chapter = r##"<html><body><p>Alpha<a href="../notes/notes.xhtml#n1">1</a> ends, see <a href="ch2.xhtml#c2">2</a>.</p>
            <p>Bravo <a href="../notes/notes.xhtml#n2"><span class="sup">(2)</span></a> ends.</p>
            <p>Charlie<a href="#g1">1</a> here.</p>
            <div class="footnote"><p><a id="g1" href="#r1">1</a> A Gutenberg-style note.</p></div>
            <p>Delta<a href="#d1">4</a>.</p><p id="d1">An ordinary paragraph.</p></body></html>"##;
        let mut targets = NoteTargets::default();
        targets.scan(
            &dom::parse(notes.as_bytes()).root,
            "OEBPS/notes/notes.xhtml",
            None,
        );
        let doc = dom::parse(chapter.as_bytes());
        targets.scan(&doc.root, "OEBPS/text/ch1.xhtml", None);
        let c = read_in(&doc.root, "OEBPS/text/ch1.xhtml", Some("en"), &targets, &[]);
        assert_eq!(
            texts(&c),
            [
                "Alpha ends, see 2.",
                "Bravo ends.",
                // No type, class or sup: only its target, classed as a footnote, says "note".
                "Charlie here.",
                "NOTE A Gutenberg-style note.",
                // A number linking to an ordinary paragraph is not a note marker.
                "Delta4.",
                "An ordinary paragraph."
            ]
        );
    }

    #[test]
    fn notes_gathered_at_a_chapters_end_are_notes() {
        let c = read_str(&format!(
            r##"{HEAD}<body><h2>Chapter 3</h2><p>Text<sup><a href="#fn1" id="r1">1</a></sup> here.</p>
            <section epub:type="footnotes"><h3>Notes</h3><p id="fn1">1. First.</p><aside epub:type="footnote"><p>2 Second.</p></aside></section>
            <hr/><p><b>Footnotes</b></p><p>[3] Third, set after a rule.</p><p>4. Fourth.</p>
            <h2>Chapter 4</h2><p>Next.</p></body></html>"##
        ));
        assert_eq!(
            texts(&c),
            [
                "Chapter 3",
                "Text here.",
                "NOTE First.",
                "NOTE Second.",
                "SectionBreak",
                "NOTE Third, set after a rule.",
                "NOTE Fourth.",
                "Chapter 4",
                "Next."
            ]
        );
    }

    #[test]
    fn notes_set_as_plain_text_are_notes() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p>A royal fish."* And more.</p><p>The procession.*</p>
            <p>*See later chapters on this head.</p><p>* * *</p><p>Plain text.</p></body></html>"#
        ));
        assert_eq!(
            texts(&c),
            [
                "A royal fish.\" And more.",
                "The procession.",
                "NOTE See later chapters on this head.",
                "* * *",
                "Plain text."
            ]
        );
    }

    #[test]
    fn ordered_lists_read_their_numbers() {
        let c = read_str(&format!(
            r#"{HEAD}<body><ol><li>One thing.</li><li><p>Two things.</p><ul><li>Inner.</li></ul></li></ol>
            <ol start="4"><li>Four.</li><li value="9">Nine.</li><li>Ten.</li></ol>
            <ol reversed="reversed"><li>Three.</li><li>Two.</li><li>One.</li></ol>
            <ol type="a"><li>Eggs.</li><li>Milk.</li></ol></body></html>"#
        ));
        assert_eq!(
            texts(&c),
            [
                "1. One thing.",
                "2. Two things.",
                "Inner.",
                "4. Four.",
                "9. Nine.",
                "10. Ten.",
                "3. Three.",
                "2. Two.",
                "1. One.",
                "a. Eggs.",
                "b. Milk."
            ]
        );
    }

    #[test]
    fn an_exponent_is_a_power_and_a_note_number_is_not() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p>About 10<sup>6</sup> stars, and 10<sup>-3</sup> kg.</p><p>A claim<sup>2</sup> here.</p></body></html>"#
        ));
        assert_eq!(
            texts(&c),
            ["About 10⁶ stars, and 10⁻³ kg.", "A claim2 here."]
        );
    }

    #[test]
    fn a_picture_drop_cap_joins_its_word() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p><img class="dropcap" alt="I" src="i.png"/>t was late.</p>
            <p>“<img alt="W" src="w.png"/>hy?” she asked.</p><p><img alt="A map" src="m.png"/> below.</p></body></html>"#
        ));
        assert_eq!(texts(&c)[..2], ["It was late.", "“Why?” she asked."]);
        assert_eq!(
            c.pieces
                .iter()
                .filter(|p| matches!(p, Piece::Image(_)))
                .count(),
            1
        );
    }

    #[test]
    fn text_the_stylesheets_hide_is_not_read() {
        let doc = dom::parse(
            format!(
                r#"{HEAD}<body><h1 class="ebook-only">The Title Again</h1><p>Shown.</p>
                <p>Also <span class="sr">hidden</span> shown.</p></body></html>"#
            )
            .as_bytes(),
        );
        let css = [
            ".ebook-only { display: none }".to_owned(),
            "span.sr { visibility: hidden }".to_owned(),
        ];
        let c = read_in(
            &doc.root,
            "a.xhtml",
            Some("en"),
            &NoteTargets::default(),
            &css,
        );
        assert_eq!(texts(&c), ["Shown.", "Also shown."]);
    }

    #[test]
    fn code_listings_and_mathematics() {
        let c = read_str(&format!(
            r#"{HEAD}<body><p>Before.</p><pre><code>for i in 0..3 {{
    print(i);
}}</code></pre><pre>  A poem set
  in pre.</pre>
            <p>So <math alttext="E equals m c squared"><mi>E</mi></math> holds, and <math><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>+</mo><msup><mi>x</mi><mn>2</mn></msup></math>.</p>
            <math display="block"><msqrt><mi>y</mi></msqrt><mo>≥</mo><mn>0</mn></math></body></html>"#
        ));
        assert_eq!(
            texts(&c),
            [
                "Before.",
                "CODE for i in 0..3 { /     print(i); / }",
                "A poem set\nin pre.",
                "So E equals m c squared holds, and 1 over 2 plus x squared .",
                "the square root of y is greater than or equal to 0"
            ]
        );
    }

    #[test]
    fn svg_documents_are_read() {
        let doc = dom::parse(
            br#"<svg xmlns="http://www.w3.org/2000/svg"><title>A Map of the Isle</title><desc>Drawn by the author.</desc>
            <text x="1" y="2">North <tspan>Cape</tspan></text><text>South Bay</text></svg>"#,
        );
        let c = read(&doc.root, "OEBPS/map.svg", Some("en"));
        assert_eq!(
            texts(&c),
            [
                "A Map of the Isle",
                "Drawn by the author.",
                "North Cape",
                "South Bay"
            ]
        );
        // With a picture, the title is the picture's alt text, and only <text> is read.
        let doc = dom::parse(
            br#"<html><body><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><title>The kite</title><image xlink:href="k.png"/><text>Fly!</text></svg></body></html>"#,
        );
        let c = read(&doc.root, "OEBPS/p.xhtml", Some("en"));
        assert_eq!(texts(&c), ["Fly!"]);
        let Some(Piece::Image(kite)) = c.pieces.first() else {
            panic!("{:?}", c.pieces)
        };
        assert_eq!(kite.alt, "The kite");
    }
}
