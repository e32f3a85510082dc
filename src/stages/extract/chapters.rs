//! Deciding what a chapter is: the table of contents cuts the spine's documents into
//! chapters, documents it does not name are joined to the chapter before them, and where
//! the table of contents is missing or useless the headings decide.
//!
//! Rules, each from a real book:
//! - A TOC entry pointing into a document by anchor starts a chapter there (Gutenberg files
//!   split by size hold several cantos; the Waste Land is one file).
//! - Nested entries whose titles are bare numbers (`I`, `II`) are sections of their parent
//!   story, not chapters (Standard Ebooks' Sherlock Holmes).
//! - A chapter holding nothing but headings (a part title, "INFERNO") is folded into the
//!   next one, whose narration then begins with that heading.
//! - A document the TOC does not name becomes its own chapter when it is non-linear or opens
//!   with a heading, and otherwise continues the previous chapter.
//! - Titles come from the TOC; a generic one ("Chapter 7") gives way to the chapter's own
//!   heading when that says more; ALL-CAPS titles are put in title case.
//! - Chapter headings written as paragraphs ("第一回　…", "CHAPTER I", see `heads.rs`) cut
//!   the book where the TOC and the real headings name far fewer chapters than there are
//!   such lines: at least [`heads::MIN_RUN`] and more than twice as many, across the book or
//!   inside one document (a Project Gutenberg book of 120 chapters in one file, with a TOC
//!   of two entries). Each such line becomes a heading, titles its chapter whole, and makes
//!   it a body chapter. Where the TOC already names about as many chapters, it wins: the
//!   lines are not cut at again.

use std::collections::HashMap;

use super::book::Block;
use super::content::{Content, Piece};
use super::heads;
use super::toc::TocEntry;

/// A spine document, read.
pub struct Doc {
    pub path: String,
    pub linear: bool,
    pub content: Content,
}

/// A chapter before classification and image resolution.
#[derive(Debug)]
pub struct Draft {
    pub title: String,
    /// (document index, piece index) of each stretch it was made from.
    pub spans: Vec<(usize, std::ops::Range<usize>)>,
    /// Where it starts: the entry and fragment, for `sources`.
    pub sources: Vec<String>,
    /// Structural types where it starts, innermost first, then the document's.
    pub types: Vec<String>,
    pub linear: bool,
}

impl Draft {
    pub fn first_doc(&self) -> usize {
        self.spans.first().map(|s| s.0).unwrap_or(0)
    }

    pub fn pieces<'d>(&self, docs: &'d [Doc]) -> impl Iterator<Item = &'d Piece> {
        self.spans
            .iter()
            .flat_map(move |(d, r)| docs[*d].content.pieces[r.clone()].iter())
    }

    fn first_heading(&self, docs: &[Doc]) -> Option<String> {
        self.pieces(docs).find_map(|p| match p {
            Piece::Block(Block::Heading { text, .. }) => Some(crate::lang::spans::plain(text)),
            _ => None,
        })
    }

    fn only_headings(&self, docs: &[Doc]) -> bool {
        self.pieces(docs)
            .all(|p| matches!(p, Piece::Block(Block::Heading { .. })))
    }

    fn is_empty(&self) -> bool {
        self.spans.iter().all(|(_, r)| r.is_empty())
    }
}

struct Start {
    doc: usize,
    piece: usize,
    title: String,
    types: Vec<String>,
    fragment: Option<String>,
}

/// Cuts the documents into chapters. `doc_of` maps a TOC path to a document index.
/// Paragraphs found to be chapter headings are made headings in `docs`.
pub fn build(
    docs: &mut [Doc],
    toc: &[TocEntry],
    doc_of: &dyn Fn(&str) -> Option<usize>,
    warn: &mut dyn FnMut(String),
) -> Vec<Draft> {
    let mut starts = toc_starts(docs, toc, doc_of, warn);
    let texty = docs
        .iter()
        .filter(|d| {
            d.linear
                && d.content
                    .pieces
                    .iter()
                    .any(|p| matches!(p, Piece::Block(_)))
        })
        .count();
    let covered: std::collections::HashSet<usize> = starts.iter().map(|s| s.doc).collect();
    if starts.len() < 2 && texty > 2 || covered.len() * 4 < texty && starts.len() * 4 < texty {
        if !toc.is_empty() {
            warn(
                "the table of contents names too little of the book; chapters follow its headings"
                    .into(),
            );
        }
        starts = heading_starts(docs);
    }
    let starts = with_text_headings(docs, starts);
    let docs = &*docs;
    let mut drafts = cut(docs, starts);
    fold_heading_only(&mut drafts, docs);
    drafts.retain(|d| !d.is_empty());
    for draft in &mut drafts {
        draft.title = choose_title(
            &draft.title,
            draft.first_heading(docs),
            docs[draft.first_doc()].content.title.as_deref(),
        );
    }
    drafts
}

fn toc_starts(
    docs: &[Doc],
    toc: &[TocEntry],
    doc_of: &dyn Fn(&str) -> Option<usize>,
    warn: &mut dyn FnMut(String),
) -> Vec<Start> {
    let mut starts: Vec<Start> = Vec::new();
    for entry in toc {
        if entry.depth > 0 && is_bare_number(&entry.title) {
            continue;
        }
        let Some(doc) = doc_of(&entry.path) else {
            continue;
        };
        let (piece, types) = match &entry.fragment {
            None => (0, docs[doc].content.types.clone()),
            Some(f) => match docs[doc].content.anchors.get(f) {
                // The anchor's own types and its ancestors' (up to <body>) say what it is.
                Some(a) => (a.piece, a.types.clone()),
                None => {
                    warn(format!(
                        "{}: the table of contents points at #{f}, which is not there; using the file's start",
                        docs[doc].path
                    ));
                    (0, docs[doc].content.types.clone())
                }
            },
        };
        starts.push(Start {
            doc,
            piece,
            title: entry.title.clone(),
            types,
            fragment: entry.fragment.clone(),
        });
    }
    // Reading order decides; of two entries at one place the later (deeper) one names it.
    starts.sort_by_key(|s| (s.doc, s.piece));
    let mut unique: Vec<Start> = Vec::new();
    for s in starts {
        match unique.last_mut() {
            Some(last) if (last.doc, last.piece) == (s.doc, s.piece) => {
                if !s.title.trim().is_empty() {
                    *last = s;
                }
            }
            _ => unique.push(s),
        }
    }
    unique
}

/// Without a usable TOC: every top-level heading after the start of a document.
fn heading_starts(docs: &[Doc]) -> Vec<Start> {
    let mut counts = [0usize; 7];
    for doc in docs {
        for p in &doc.content.pieces {
            if let Piece::Block(Block::Heading { level, .. }) = p {
                counts[(*level as usize).min(6)] += 1;
            }
        }
    }
    let Some(top) = (1..=6)
        .find(|&l| counts[l] >= 2)
        .or_else(|| (1..=6).find(|&l| counts[l] > 0))
    else {
        return Vec::new();
    };
    let mut starts: Vec<Start> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let mut seen_text = false;
        for (i, p) in doc.content.pieces.iter().enumerate() {
            match p {
                Piece::Block(Block::Heading { level, text }) if *level as usize <= top => {
                    let at = if seen_text { i } else { 0 };
                    match starts.last_mut() {
                        // Of headings stacked at one place, the last is the most specific.
                        Some(last) if (last.doc, last.piece) == (d, at) => {
                            last.title = crate::lang::spans::plain(text)
                        }
                        _ => starts.push(Start {
                            doc: d,
                            piece: at,
                            title: crate::lang::spans::plain(text),
                            types: doc.content.types.clone(),
                            fragment: None,
                        }),
                    }
                    seen_text = false;
                }
                Piece::Block(Block::Heading { .. }) => {}
                _ => seen_text = true,
            }
        }
    }
    starts
}

/// Adds the chapters that heading lines written as text start, where the book has far more
/// of them than `starts` (see the module's notes), and makes each such line a heading.
fn with_text_headings(docs: &mut [Doc], starts: Vec<Start>) -> Vec<Start> {
    let found = heads::find(docs, &|d| d.linear && !distinct_kind(&d.content.types));
    let many = |lines: usize, chapters: usize| lines >= heads::MIN_RUN && lines > 2 * chapters;
    let book_wide = many(found.len(), starts.len());
    let mut lines_in: HashMap<usize, usize> = HashMap::new();
    for f in &found {
        *lines_in.entry(f.doc).or_default() += 1;
    }
    let mut starts_in: HashMap<usize, usize> = HashMap::new();
    for s in &starts {
        *starts_in.entry(s.doc).or_default() += 1;
    }
    let used: Vec<heads::Found> = found
        .into_iter()
        .filter(|f| {
            book_wide
                || many(
                    lines_in[&f.doc],
                    starts_in.get(&f.doc).copied().unwrap_or(0),
                )
        })
        .collect();
    if used.is_empty() {
        return starts;
    }
    tracing::info!(
        "{} chapter headings written as text cut the book (the table of contents and headings name {})",
        used.len(),
        starts.len()
    );
    let mut added = Vec::with_capacity(used.len());
    for f in used {
        let doc = &mut docs[f.doc];
        // Headings stacked above the first line of a document go with it, as in
        // `heading_starts`.
        let at = if doc.content.pieces[..f.piece]
            .iter()
            .all(|p| matches!(p, Piece::Block(Block::Heading { .. })))
        {
            0
        } else {
            f.piece
        };
        let title = crate::lang::spans::plain(&f.text);
        // A volume's line ("第二卷", "BOOK II") ranks above a chapter's.
        let level = if f.head.kind.is_volume() { 1 } else { 2 };
        doc.content.pieces[f.piece] = Piece::Block(Block::Heading {
            level,
            text: f.text,
        });
        let mut types = vec!["chapter".to_owned()];
        types.extend(doc.content.types.iter().cloned());
        added.push(Start {
            doc: f.doc,
            piece: at,
            title,
            types,
            fragment: None,
        });
    }
    // In reading order; where a start of the TOC's and a heading line's fall at one place,
    // the line names the chapter.
    let mut all: Vec<(Start, bool)> = starts
        .into_iter()
        .map(|s| (s, false))
        .chain(added.into_iter().map(|s| (s, true)))
        .collect();
    all.sort_by_key(|(s, line)| (s.doc, s.piece, *line));
    let mut merged: Vec<Start> = Vec::with_capacity(all.len());
    for (s, _) in all {
        match merged.last_mut() {
            Some(last) if (last.doc, last.piece) == (s.doc, s.piece) => *last = s,
            _ => merged.push(s),
        }
    }
    merged
}

fn cut(docs: &[Doc], starts: Vec<Start>) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut starts = starts.into_iter().peekable();
    for (d, doc) in docs.iter().enumerate() {
        let len = doc.content.pieces.len();
        let mut mine = Vec::new();
        while let Some(s) = starts.next_if(|s| s.doc == d) {
            mine.push(s);
        }
        let first = mine.first().map(|s| s.piece).unwrap_or(len);
        if first > 0 || mine.is_empty() {
            let range = 0..first;
            let opens_with_heading = matches!(
                doc.content.pieces.first(),
                Some(Piece::Block(Block::Heading { .. }))
            );
            let has_pieces = !range.is_empty();
            let joins = drafts.last().is_some_and(|prev| prev.linear && doc.linear)
                && (!opens_with_heading || !has_pieces)
                && !distinct_kind(&doc.content.types);
            if joins {
                if has_pieces {
                    let prev = drafts.last_mut().expect("checked above");
                    prev.spans.push((d, range));
                }
            } else if has_pieces || mine.is_empty() {
                drafts.push(Draft {
                    title: String::new(),
                    spans: vec![(d, range)],
                    sources: vec![doc.path.clone()],
                    types: doc.content.types.clone(),
                    linear: doc.linear,
                });
            }
        }
        let ends: Vec<usize> = mine.iter().skip(1).map(|s| s.piece).chain([len]).collect();
        for (s, end) in mine.into_iter().zip(ends) {
            let source = match &s.fragment {
                Some(f) if s.piece > 0 => format!("{}#{f}", doc.path),
                _ => doc.path.clone(),
            };
            drafts.push(Draft {
                title: s.title,
                spans: vec![(d, s.piece..end)],
                sources: vec![source],
                types: s.types,
                linear: doc.linear,
            });
        }
    }
    drafts
}

/// A document typed as front or back matter of its own never joins the chapter before it.
fn distinct_kind(types: &[String]) -> bool {
    types.iter().any(|t| {
        !matches!(
            t.as_str(),
            "bodymatter"
                | "chapter"
                | "fiction"
                | "non-fiction"
                | "z3998"
                | "part"
                | "division"
                | "volume"
                | "subchapter"
        )
    })
}

/// Moves chapters that are nothing but headings into the chapter after them.
fn fold_heading_only(drafts: &mut Vec<Draft>, docs: &[Doc]) {
    let mut i = 0;
    while i + 1 < drafts.len() {
        if drafts[i].only_headings(docs)
            && !drafts[i].is_empty()
            && drafts[i].linear == drafts[i + 1].linear
        {
            let head = drafts.remove(i);
            let next = &mut drafts[i];
            let mut spans = head.spans;
            spans.append(&mut next.spans);
            next.spans = spans;
            let mut sources = head.sources;
            sources.append(&mut next.sources);
            next.sources = sources;
            if next.title.trim().is_empty() {
                next.title = head.title;
            }
        } else {
            i += 1;
        }
    }
}

fn choose_title(toc: &str, heading: Option<String>, doc_title: Option<&str>) -> String {
    let toc = toc.trim();
    let chosen = match heading {
        Some(h) if toc.is_empty() || (is_generic(toc) && says_more(&h, toc)) => h,
        _ if !toc.is_empty() => toc.to_owned(),
        Some(h) => h,
        None => doc_title.unwrap_or("").to_owned(),
    };
    tidy_title(&chosen)
}

/// "Chapter 7", "VII", "Part 2." — a title that names nothing.
pub fn is_generic(title: &str) -> bool {
    let t = title.trim().trim_end_matches('.').to_lowercase();
    let rest = [
        "chapter", "chap.", "part", "book", "section", "canto", "letter", "volume",
    ]
    .iter()
    .find_map(|w| t.strip_prefix(w))
    .unwrap_or(&t)
    .trim();
    is_bare_number(rest)
}

fn is_bare_number(s: &str) -> bool {
    let s = s.trim().trim_end_matches(['.', ':']).to_lowercase();
    !s.is_empty()
        && (s.chars().all(|c| c.is_ascii_digit()) || s.chars().all(|c| "ivxlcdm".contains(c)))
}

fn says_more(heading: &str, toc: &str) -> bool {
    let words = |s: &str| s.split_whitespace().count();
    heading.trim().to_lowercase() != toc.to_lowercase() && words(heading) > words(toc)
}

/// Trailing full stop dropped; ALL CAPS put in title case, keeping roman numerals.
pub fn tidy_title(title: &str) -> String {
    let title = super::dom::collapse_whitespace(title);
    let mut title = title.trim_end_matches('.').trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\'')] {
        if let Some(inner) = title.strip_prefix(open).and_then(|t| t.strip_suffix(close))
            && !inner.contains(open)
            && !inner.contains(close)
        {
            title = inner.trim();
        }
    }
    let title = title.to_owned();
    let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return title;
    }
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "di", "for", "in", "of", "on", "or", "the", "to",
        "with",
    ];
    let mut out: Vec<String> = Vec::new();
    for word in title.split(' ') {
        let core: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        let previous = out.last().map(String::as_str).unwrap_or("");
        let starts_phrase = previous.is_empty()
            || previous.ends_with(['.', ':', '—', '-'])
            || is_bare_number(previous)
            || word.starts_with(['"', '“', '\'', '‘', '(']);
        let tidy = if !core.is_empty()
            && core.chars().all(|c| "IVXLCDM".contains(c))
            && core != "MIX"
            && core != "DC"
        {
            word.to_owned()
        } else if !starts_phrase && SMALL.contains(&core.to_lowercase().as_str()) {
            word.to_lowercase()
        } else {
            // Upper-case the first letter, wherever the word's punctuation puts it.
            let mut done = false;
            word.to_lowercase()
                .chars()
                .map(|c| {
                    if !done && c.is_alphabetic() {
                        done = true;
                        c.to_uppercase().next().unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect()
        };
        out.push(tidy);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::{content, dom};

    fn doc(path: &str, xhtml: &str) -> Doc {
        let parsed = dom::parse(xhtml.as_bytes());
        Doc {
            path: path.into(),
            linear: true,
            content: content::read(&parsed.root, path, Some("en")),
        }
    }

    fn entry(title: &str, href: &str, depth: usize) -> TocEntry {
        TocEntry {
            title: title.into(),
            path: href.split('#').next().unwrap().into(),
            fragment: href.split_once('#').map(|(_, f)| f.to_owned()),
            depth,
        }
    }

    fn titles(docs: &mut [Doc], toc: &[TocEntry]) -> Vec<(String, usize)> {
        let paths: Vec<String> = docs.iter().map(|d| d.path.clone()).collect();
        let doc_of = |p: &str| paths.iter().position(|d| d == p);
        build(docs, toc, &doc_of, &mut |_| {})
            .iter()
            .map(|d| (d.title.clone(), d.pieces(docs).count()))
            .collect()
    }

    #[test]
    fn anchors_split_one_file_and_bare_numbers_do_not() {
        let mut docs = [
            doc(
                "a.xhtml",
                "<html><body><h2 id='i'>INFERNO</h2><h3 id='c1'>Canto I</h3><p>Nel mezzo</p><h3 id='c2'>Canto II</h3><p>Lo giorno</p></body></html>",
            ),
            doc(
                "b.xhtml",
                "<html><body><h2>A Scandal</h2><h3 id='p1'>I</h3><p>To Sherlock</p><h3 id='p2'>II</h3><p>more</p></body></html>",
            ),
            doc(
                "c.xhtml",
                "<html><body><p>continued without a heading</p></body></html>",
            ),
            doc(
                "d.xhtml",
                "<html><body><h2>Untitled in TOC</h2><p>own chapter</p></body></html>",
            ),
        ];
        let toc = [
            entry("INFERNO", "a.xhtml#i", 0),
            entry("Inferno • Canto I", "a.xhtml#c1", 1),
            entry("Inferno • Canto II", "a.xhtml#c2", 1),
            entry("A Scandal", "b.xhtml", 0),
            entry("I", "b.xhtml#p1", 1),
            entry("II", "b.xhtml#p2", 1),
        ];
        assert_eq!(
            titles(&mut docs, &toc),
            [
                ("Inferno • Canto I".to_owned(), 3),
                ("Inferno • Canto II".to_owned(), 2),
                ("A Scandal".to_owned(), 6),
                ("Untitled in TOC".to_owned(), 2),
            ]
        );
    }

    #[test]
    fn without_a_toc_headings_decide() {
        let mut docs = [
            doc(
                "all.xhtml",
                "<html><body><h1>Book</h1><h2>One</h2><p>a</p><h2>Two</h2><p>b</p><h2>Three</h2><p>c</p></body></html>",
            ),
            doc("x.xhtml", "<html><body><p>x</p></body></html>"),
            doc("y.xhtml", "<html><body><p>y</p></body></html>"),
        ];
        assert_eq!(
            titles(&mut docs, &[]),
            [
                ("One".to_owned(), 3),
                ("Two".to_owned(), 2),
                ("Three".to_owned(), 4)
            ]
        );
    }

    #[test]
    fn heading_lines_cut_where_the_toc_names_too_few() {
        let story = "<html><body><p>*** START OF THE PROJECT GUTENBERG EBOOK X ***</p>\
            <p>BOOK I</p><p>CHAPTER I. THE START</p><p>a</p>\
            <p>CHAPTER II</p><p>b</p><p>See Chapter 1 above.</p><p>CHAPTER I</p><p>quoted</p>\
            <p>BOOK II</p><p>CHAPTER I</p><p>c</p><p>CHAPTER 2</p><p>d</p>\
            <p>*** END OF THE PROJECT GUTENBERG EBOOK X ***</p><p>CHAPTER II</p></body></html>";
        let mut docs = [doc("a.xhtml", story)];
        let toc = [entry("X", "a.xhtml", 0)];
        assert_eq!(
            titles(&mut docs, &toc),
            [
                ("X".to_owned(), 1),
                ("Chapter I. The Start".to_owned(), 3),
                // "CHAPTER I" again before any "BOOK II" is quoted, not a heading.
                ("Chapter II".to_owned(), 5),
                // Within a new book, chapters are numbered from one again.
                ("Chapter I".to_owned(), 3),
                // Nothing after the end marker is cut.
                ("Chapter 2".to_owned(), 4),
            ]
        );
        // The lines became headings: the book's first stays above its first chapter.
        assert!(matches!(
            &docs[0].content.pieces[1],
            Piece::Block(Block::Heading { level: 1, text }) if text == "BOOK I"
        ));

        // A TOC that names each chapter already is kept as it is.
        let files: Vec<String> = (1..=4)
            .map(|n| format!("<html><body><p>CHAPTER {n}</p><p>text {n}</p></body></html>"))
            .collect();
        let mut docs: Vec<Doc> = files
            .iter()
            .enumerate()
            .map(|(i, f)| doc(&format!("c{i}.xhtml"), f))
            .collect();
        let toc: Vec<TocEntry> = (0..4)
            .map(|i| entry(&format!("Part {i}"), &format!("c{i}.xhtml"), 0))
            .collect();
        let got = titles(&mut docs, &toc);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].0, "Part 0");
    }

    #[test]
    fn generic_titles_give_way_to_headings() {
        assert_eq!(
            choose_title("Chapter 7", Some("Chapter 7: The Chapel".into()), None),
            "Chapter 7: The Chapel"
        );
        assert_eq!(
            choose_title("Chapter 1. Loomings.", Some("Loomings".into()), None),
            "Chapter 1. Loomings"
        );
        assert_eq!(
            choose_title("CHAPTER I", Some("CHAPTER I".into()), None),
            "Chapter I"
        );
        assert_eq!(choose_title("", None, Some("Notes")), "Notes");
        assert_eq!(
            tidy_title("THE FULL PROJECT GUTENBERG LICENSE"),
            "The Full Project Gutenberg License"
        );
        assert_eq!(
            tidy_title("PART XIV. THE END OF IT"),
            "Part XIV. The End of It"
        );
        assert_eq!(
            tidy_title("I. THE BURIAL OF THE DEAD"),
            "I. The Burial of the Dead"
        );
        assert_eq!(
            tidy_title("NOTES ON \"THE WASTE LAND\""),
            "Notes on \"The Waste Land\""
        );
        assert_eq!(tidy_title("\"Cover\""), "Cover");
        assert!(is_generic("Chapter 7.") && is_generic("VII") && !is_generic("Loomings"));
    }
}
