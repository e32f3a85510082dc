//! Notes: which link targets in a book are notes, learned from every spine document before
//! any is read, so that a note reference is recognized by where it points and not only by how
//! it looks.
//!
//! A marker such as `<a href="notes.xhtml#n4">4</a>` carries nothing that says "note" except
//! its target, and its target may sit in a later document. A target is a note when:
//! - it is inside an element typed as a note (`epub:type="footnote|endnote|rearnote|note"`,
//!   `role="doc-footnote|doc-endnote"`) or a notes section (`footnotes`, `endnotes`,
//!   `rearnotes`, `doc-endnotes`), or classed as one (`footnote`, Project Gutenberg's);
//! - or its document is a notes document: typed so, or titled "Notes", "Footnotes",
//!   "Endnotes" (in its `<title>`, its first heading, or the table of contents).
//!
//! Within a chapter, the block a note reference points to is the note's body, and is not read
//! in the running text (see `content.rs`).

use std::collections::HashSet;

use super::dom::Element;

/// Types of an element that is one note.
pub const NOTE_TYPES: &[&str] = &["footnote", "endnote", "rearnote", "note"];
/// Types of a section or document of notes.
pub const NOTES_TYPES: &[&str] = &["footnotes", "endnotes", "rearnotes", "notes"];

/// Classes publishers give a note's body (Project Gutenberg's `footnote`, Calibre's).
pub const NOTE_CLASSES: &[&str] = &["footnote", "footnotes", "endnote", "endnotes", "fn-text"];

/// Note targets of a whole book: documents of notes, and (document, id) pairs inside notes.
#[derive(Debug, Default)]
pub struct NoteTargets {
    docs: HashSet<String>,
    ids: HashSet<(String, String)>,
    /// Places the table of contents points to: a section of notes there is a chapter of its
    /// own, not notes inside one.
    listed: HashSet<(String, String)>,
}

impl NoteTargets {
    /// Learns the notes in one document (`path` is its entry path). `toc_label` is what the
    /// table of contents calls it, if anything.
    pub fn scan(&mut self, root: &Element, path: &str, toc_label: Option<&str>) {
        let body = root.find("body").unwrap_or(root);
        let title = root
            .find("head")
            .and_then(|h| h.find("title"))
            .map(|t| t.text());
        let typed = body.types().any(|t| NOTES_TYPES.contains(&short(t)));
        if typed
            || toc_label.is_some_and(is_notes_title)
            || first_heading(body).is_some_and(|h| is_notes_title(&h))
            || title.is_some_and(|t| is_notes_title(&t))
        {
            self.docs.insert(path.to_owned());
        }
        self.scan_element(body, path, false);
    }

    fn scan_element(&mut self, e: &Element, path: &str, inside: bool) {
        let inside = inside
            || e.types()
                .any(|t| NOTE_TYPES.contains(&short(t)) || NOTES_TYPES.contains(&short(t)))
            || e.classes()
                .any(|c| NOTE_CLASSES.contains(&c.to_ascii_lowercase().as_str()));
        if inside && let Some(id) = e.attr("id") {
            self.ids.insert((path.to_owned(), id.to_owned()));
        }
        for child in e.elements() {
            self.scan_element(child, path, inside);
        }
    }

    /// Records that the table of contents points to `id` in document `path`.
    pub fn list(&mut self, path: &str, id: &str) {
        self.listed.insert((path.to_owned(), id.to_owned()));
    }

    /// Whether the table of contents points to `id` in document `path`.
    pub fn is_listed(&self, path: &str, id: Option<&str>) -> bool {
        id.is_some_and(|id| self.listed.contains(&(path.to_owned(), id.to_owned())))
    }

    /// Whether a whole document is notes.
    pub fn is_notes_doc(&self, path: &str) -> bool {
        self.docs.contains(path)
    }

    /// Whether a link from document `from` to `href` points at a note.
    pub fn is_note(&self, from: &str, href: &str) -> bool {
        let file = href.split(['#', '?']).next().unwrap_or("");
        let doc = if file.is_empty() {
            from.to_owned()
        } else {
            super::archive::resolve(from, href)
        };
        let Some(id) = super::archive::fragment(href) else {
            // A link to a whole notes document is not a marker of one note.
            return false;
        };
        self.docs.contains(&doc) || self.ids.contains(&(doc, id))
    }
}

/// `epub:footnote` → `footnote`.
fn short(t: &str) -> &str {
    t.rsplit(':').next().unwrap_or(t)
}

/// The text of the first heading in a document, if it comes before much else.
fn first_heading(body: &Element) -> Option<String> {
    ["h1", "h2", "h3"]
        .iter()
        .find_map(|h| body.find(h))
        .map(|h| h.text())
}

/// Titles that name a block or document of notes, in the languages the book may be in.
pub fn is_notes_title(title: &str) -> bool {
    let t: String = title
        .trim()
        .trim_end_matches(['.', ':'])
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_ascii_punctuation())
        .collect();
    matches!(
        t.trim(),
        "notes"
            | "footnotes"
            | "footnote"
            | "endnotes"
            | "end notes"
            | "notes and references"
            | "notas"
            | "notas al pie"
            | "notes de bas de page"
            | "anmerkungen"
            | "fußnoten"
            | "note al testo"
            | "टिप्पणियाँ"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::dom;

    fn targets(docs: &[(&str, &str, Option<&str>)]) -> NoteTargets {
        let mut t = NoteTargets::default();
        for (path, xhtml, label) in docs {
            t.scan(&dom::parse(xhtml.as_bytes()).root, path, *label);
        }
        t
    }

    #[test]
    fn a_target_is_a_note_by_its_type_or_its_document() {
        let t = targets(&[
            (
                "OEBPS/ch1.xhtml",
                r#"<html><body><p id="p1">Text</p><aside epub:type="footnote" id="fn1"><p id="inner">A note.</p></aside>
                <section role="doc-endnotes"><ol><li id="en1">One.</li></ol></section></body></html>"#,
                Some("Chapter One"),
            ),
            (
                "OEBPS/notes.xhtml",
                "<html><body><h1>Notes</h1><p id=\"n1\">1. A note.</p></body></html>",
                None,
            ),
            (
                "OEBPS/back.xhtml",
                "<html><body><h1>Afterword</h1><p id=\"a1\">Text.</p></body></html>",
                Some("Endnotes"),
            ),
        ]);
        assert!(t.is_note("OEBPS/ch1.xhtml", "#fn1"));
        assert!(t.is_note("OEBPS/ch1.xhtml", "#inner"));
        assert!(t.is_note("OEBPS/ch1.xhtml", "ch1.xhtml#en1"));
        assert!(!t.is_note("OEBPS/ch1.xhtml", "#p1"));
        assert!(t.is_note("OEBPS/ch1.xhtml", "notes.xhtml#n1"));
        assert!(
            t.is_note("OEBPS/ch1.xhtml", "back.xhtml#a1"),
            "by its TOC label"
        );
        assert!(
            !t.is_note("OEBPS/ch1.xhtml", "notes.xhtml"),
            "a whole document"
        );
        assert!(!t.is_note("OEBPS/notes.xhtml", "ch1.xhtml#p1"));
    }

    #[test]
    fn notes_titles() {
        for t in ["Notes", "NOTES.", "Footnotes:", "End Notes", "Notas"] {
            assert!(is_notes_title(t), "{t}");
        }
        for t in ["Notes from Underground", "A Note on the Text", "Chapter 1"] {
            assert!(!is_notes_title(t), "{t}");
        }
    }
}
