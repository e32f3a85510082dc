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

use std::collections::HashMap;

use super::archive;
use super::book::Block;
use super::dom::{Element, Node};
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
    "object", "embed", "iframe", "button", "input", "select", "textarea", "math", "canvas",
];

const NOTE_TYPES: &[&str] = &["footnote", "endnote", "rearnote", "note"];
const NOTES_DOC_TYPES: &[&str] = &["footnotes", "endnotes", "rearnotes", "notes"];

fn is_block(e: &Element) -> bool {
    BLOCKS.contains(&e.name.as_str())
}

/// Reads one document. `path` is its entry path, for resolving image hrefs; `language` is
/// the book's (`dc:language`), against which passages in other languages are marked (the
/// document's own `lang` stands in when the book declares none).
pub fn read(root: &Element, path: &str, language: Option<&str>) -> Content {
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
        .any(|t| NOTES_DOC_TYPES.contains(&t.as_str()));
    let ctx = Ctx {
        lang: document_language(root, body, language),
        ..Ctx::default()
    };
    walker.container(body, ctx);
    walker.content
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
    notes_doc: bool,
    /// The book's language: text in it needs no mark.
    base: Option<String>,
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

    fn skipped(&self, e: &Element, in_sup: bool) -> bool {
        if NEVER_READ.contains(&e.name.as_str()) || e.attr("hidden").is_some() {
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
        if e.name == "aside" && !self.notes_doc && NOTE_TYPES.iter().any(|t| e.has_type(t)) {
            return true;
        }
        if e.name == "a" {
            return is_note_link(e, in_sup) || is_back_link(e);
        }
        if e.name == "sup" {
            // A superscript holding nothing but a note link.
            let links: Vec<&Element> = e.elements().collect();
            return links.len() == 1
                && links[0].name == "a"
                && is_note_link(links[0], true)
                && e.children.iter().all(|n| match n {
                    Node::Text(t) => t.trim().is_empty(),
                    Node::Element(_) => true,
                });
        }
        false
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
        self.anchor(e);
        let mark = self.enter(e);
        let mut ctx = ctx;
        // The body's language is the document's, weighed in `document_language`.
        if let Some(lang) = lang_of(e).filter(|_| e.name != "body") {
            ctx.lang = Some(lang);
        }
        match e.name.as_str() {
            "hr" => self.push(Block::SectionBreak),
            "img" | "svg" => {
                let mut images = Vec::new();
                self.image(e, ctx, &mut images);
                self.content
                    .pieces
                    .extend(images.into_iter().map(Piece::Image));
            }
            "table" => self.table(e, ctx),
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
                if matches!(kind, RunKind::Heading(_)) {
                    // A heading is one block, whatever is inside it.
                    let mut images = Vec::new();
                    let mut text = String::new();
                    for child in &e.children {
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
    }

    /// Splits children into runs of inline content (each a block) and block children.
    fn children(&mut self, children: &[Node], kind: RunKind, ctx: Ctx) {
        let mut text = String::new();
        let mut images = Vec::new();
        for child in children {
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
                _ => self.inline(child, &mut text, &mut images, ctx, false),
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
        let lines = self.lines(raw.split(breaks), ctx);
        if lines.is_empty() {
            return;
        }
        let joined = || lines.join(" ");
        let block = match kind {
            RunKind::Heading(level) => Block::Heading {
                level,
                text: join_heading_lines(&lines),
            },
            RunKind::ListItem => Block::ListItem { text: joined() },
            RunKind::Preformatted => Block::Verse { lines },
            RunKind::Paragraph if lines.len() > 1 => Block::Verse { lines },
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
                    "img" | "svg" => self.image(e, ctx, images),
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
                        for child in &e.children {
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

    /// A poem or line group: each child is a line, nested groups are stanzas.
    fn verse(&mut self, group: &Element, ctx: Ctx) {
        let ctx = Ctx {
            lang: ctx.lang,
            ..Ctx::default()
        };
        let mut lines: Vec<String> = Vec::new();
        let mut images = Vec::new();
        let flush = |walker: &mut Walker, lines: &mut Vec<String>| {
            if !lines.is_empty() {
                walker.push(Block::Verse {
                    lines: std::mem::take(lines),
                });
            }
        };
        for child in &group.children {
            match child {
                Node::Text(t) => {
                    let t: String = t.chars().filter(|c| !is_lang_marker(*c)).collect();
                    lines.extend(self.lines(std::iter::once(t.as_str()), ctx));
                }
                Node::Element(e) => {
                    if self.skipped(e, false) {
                        self.anchors_within(e);
                        continue;
                    }
                    let stanza = e.elements().filter(|c| is_block(c)).count() > 1;
                    let heading = e.name.len() == 2 && e.name.starts_with('h');
                    if stanza || heading || e.name == "figure" || e.name == "table" {
                        flush(self, &mut lines);
                        self.container(e, ctx);
                        continue;
                    }
                    self.anchor(e);
                    let mut text = String::new();
                    self.inline(child, &mut text, &mut images, ctx, false);
                    let broken = self.lines(text.split(BR), ctx);
                    if broken.len() > 1 && e.name == "p" {
                        // A paragraph of lines is a stanza of its own.
                        flush(self, &mut lines);
                        self.push(Block::Verse { lines: broken });
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
    (by_type || by_class) && e.elements().any(is_block)
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
    let marker = text
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')', '.']);
    let is_marker = !marker.is_empty()
        && (marker.len() <= 3 && marker.chars().all(|c| c.is_ascii_digit())
            || marker.chars().all(|c| "*†‡§¶".contains(c)) && marker.chars().count() <= 3
            || marker.len() <= 4 && marker.chars().all(|c| "ivxlc".contains(c))
            || marker.len() == 1 && marker.chars().all(|c| c.is_ascii_lowercase()));
    if !is_marker {
        return false;
    }
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
                    text: "The note.".into()
                },
                Block::ListItem {
                    text: "Another.".into()
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
            ]
        );
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
}
