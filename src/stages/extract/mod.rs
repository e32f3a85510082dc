//! Extract: an EPUB → chapters of structured text and the images they show, saved in the
//! work directory as `book.json` and `images/<sha256>.<ext>`.
//!
//! The stage reads as much of a broken book as can be read: each file that cannot be read is
//! named in a warning and skipped, and only a book with nothing readable is an error. The
//! container, package, table of contents and documents are read with our own parsing over a
//! bounded zip reader (see `archive.rs` and `package.rs` for why not the `epub` crate).
//!
//! Files: `archive` (zip entries, safely), `dom` (decoding and parsing), `package` (OPF),
//! `toc` (nav/NCX), `notes` (which links are note references), `style` (what CSS hides),
//! `content` (XHTML → blocks), `chapters` (cutting and titles), `heads` (chapter headings
//! written as paragraphs), `classify`
//! (front/body/back), `boilerplate` (Gutenberg's header and licence glued to the story),
//! `images` (bytes, hashes, hints), `select` (`--chapters`, `--include`),
//! `book` (the saved form).

pub mod archive;
mod boilerplate;
pub mod book;
mod chapters;
mod classify;
mod content;
mod dom;
mod heads;
pub mod images;
mod notes;
mod package;
pub mod select;
mod style;
mod toc;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::workdir::WorkDir;
use crate::workdir::fingerprint::{Fingerprint, Freshness, sha256_file};
use crate::workdir::fsutil::write_file;
use archive::Archive;
use book::{Block, Book, Chapter, ImageId};
use chapters::Doc;
use content::{Content, FoundImage, ImageSrc, Piece};
use images::{Images, Store};

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    // The reason comes after, from the error chain (`{:#}`), once.
    #[error("{book}: cannot read the file")]
    Read {
        book: String,
        source: std::io::Error,
    },
    #[error("{book}: not a readable EPUB: {reason}")]
    NotEpub { book: String, reason: String },
    #[error(
        "{book}: nothing in it could be read as text ({warnings} problems were reported above)"
    )]
    Nothing { book: String, warnings: usize },
}

/// The name a book goes by in messages: its file name.
fn book_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The SHA-256 of the EPUB's bytes.
fn hash_epub(path: &Path) -> Result<String, ExtractError> {
    sha256_file(path).map_err(|source| ExtractError::Read {
        // The path as given, so that the user sees which file could not be read.
        book: path.display().to_string(),
        source,
    })
}

/// Reads a book. Images go to `store`; warnings are logged and kept in the result.
pub fn read_book(path: &Path, store: &Store) -> Result<Book, ExtractError> {
    read_hashed(path, hash_epub(path)?, store)
}

/// Reads a book whose hash is already known.
fn read_hashed(path: &Path, epub_sha256: String, store: &Store) -> Result<Book, ExtractError> {
    let name = book_name(path);
    let mut warnings = Vec::new();
    let mut warn = |w: String| {
        tracing::warn!("{name}: {w}");
        warnings.push(w);
    };

    let mut zip = Archive::open(path).map_err(|reason| ExtractError::NotEpub {
        book: name.clone(),
        reason,
    })?;
    if let Some(reason) = &zip.salvaged {
        warn(format!(
            "the zip is damaged ({reason}); reading the {} files that survive",
            zip.names().len()
        ));
    }
    let pkg = package::read(&mut zip, &mut warn).map_err(|reason| ExtractError::NotEpub {
        book: name.clone(),
        reason,
    })?;

    let (toc, landmarks, toc_title) = read_toc(&mut zip, &pkg, &mut warn);
    let mut sources = spine_sources(&mut zip, &pkg, &mut warn);
    if sources.is_empty() {
        warn(
            "the spine lists nothing readable; reading the book's XHTML files in manifest order"
                .into(),
        );
        sources = manifest_sources(&mut zip, &pkg, &mut warn);
    }
    let mut docs = read_docs(&mut zip, &pkg, sources, &toc, &mut warn);

    let doc_paths: Vec<String> = docs.iter().map(|d| d.path.clone()).collect();
    let doc_of = |p: &str| -> Option<usize> {
        let (name, _) = zip.find(p)?;
        doc_paths.iter().position(|d| *d == name)
    };
    let drafts = chapters::build(&mut docs, &toc, &doc_of, &mut warn);
    // The title the book declares (OPF, else NCX); the file name stands in only at the end.
    let declared_title = pkg.title.clone().or(toc_title);
    let book_title = declared_title.as_deref().unwrap_or("");
    let words: Vec<usize> = drafts
        .iter()
        .map(|d| {
            d.pieces(&docs)
                .map(|p| match p {
                    Piece::Block(b) => b.words(),
                    Piece::Image(_) => 0,
                })
                .sum()
        })
        .collect();
    let kinds = classify::classify(&drafts, &doc_paths, &landmarks, book_title, &words);

    let mut images = Images::new(store);
    let mut chapters = Vec::with_capacity(drafts.len());
    for (i, (draft, kind)) in drafts.iter().zip(kinds).enumerate() {
        let mut blocks = Vec::new();
        for (d, range) in &draft.spans {
            for piece in &docs[*d].content.pieces[range.clone()] {
                match piece {
                    Piece::Block(b) => blocks.push(b.clone()),
                    Piece::Image(found) => image_blocks(
                        &mut images,
                        &mut zip,
                        &docs[*d].path,
                        found,
                        &mut blocks,
                        &mut warn,
                    ),
                }
            }
        }
        let title = matter_title(draft, &doc_paths, &landmarks, book_title)
            .unwrap_or_else(|| format!("Section {}", i + 1));
        chapters.push(Chapter {
            index: i + 1,
            title,
            kind,
            sources: draft.sources.clone(),
            blocks,
        });
    }
    drop(docs);
    let (chapters, splits) = boilerplate::split(chapters);
    if splits > 0 {
        tracing::info!("{name}: Project Gutenberg's header or licence moved out of the story");
    }

    let cover = find_cover(
        &mut images,
        &mut zip,
        &pkg,
        &chapters,
        &landmarks,
        &mut warn,
    );
    // A picture book has no text but its pictures, which are described (or read by their
    // alt text): only a book with neither is refused.
    if chapters.iter().all(|c| c.words() == 0 && c.images() == 0) {
        return Err(ExtractError::Nothing {
            book: name,
            warnings: warnings.len(),
        });
    }
    let detected_language = detect_language(&chapters);
    let title = declared_title.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    Ok(Book {
        schema: book::SCHEMA,
        file_name: name,
        epub_sha256,
        title: dom::collapse_whitespace(&title),
        authors: pkg.authors.clone(),
        language: pkg.language.clone(),
        detected_language,
        cover,
        chapters,
        images: images.finish(),
        warnings,
    })
}

/// What the book's text reads as, over a sample of every body chapter (every chapter when
/// none is body), passages included.
fn detect_language(chapters: &[Chapter]) -> Option<crate::lang::Detected> {
    let body: Vec<&Chapter> = chapters
        .iter()
        .filter(|c| c.kind == book::ChapterKind::Body)
        .collect();
    let chosen: Vec<&Chapter> = if body.is_empty() {
        chapters.iter().collect()
    } else {
        body
    };
    // Each chapter's share of the sample, so no chapter's text is gathered beyond it.
    let share = crate::lang::detect::SAMPLE_CHARS / chosen.len().max(1);
    let texts: Vec<String> = chosen
        .iter()
        .map(|c| {
            let (mut text, mut chars) = (String::new(), 0);
            for block in c.blocks.iter().filter_map(Block::text) {
                if chars >= share {
                    break;
                }
                let plain = crate::lang::spans::plain(&block);
                chars += plain.chars().count();
                text.push_str(&plain);
                text.push('\n');
            }
            text
        })
        .collect();
    crate::lang::detect::detect(&crate::lang::detect::sample(
        texts.iter().map(String::as_str),
    ))
}

/// A chapter's title; a cover or title page that calls itself by the book's name (or by
/// nothing) is named for what it is.
fn matter_title(
    draft: &chapters::Draft,
    doc_paths: &[String],
    landmarks: &[package::GuideRef],
    book_title: &str,
) -> Option<String> {
    let title = draft.title.trim();
    if !title.is_empty() && !title.eq_ignore_ascii_case(book_title.trim()) {
        return Some(title.to_owned());
    }
    let path = &doc_paths[draft.first_doc()];
    let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let kind = landmarks
        .iter()
        .find(|l| &l.path == path)
        .map(|l| l.kind.as_str())
        .unwrap_or("");
    if kind == "cover" || file.starts_with("cover") || draft.types.iter().any(|t| t == "cover") {
        Some("Cover".into())
    } else if matches!(kind, "title-page" | "titlepage")
        || file.starts_with("title")
        || draft.types.iter().any(|t| t == "titlepage")
    {
        Some("Title Page".into())
    } else {
        (!title.is_empty()).then(|| title.to_owned())
    }
}

/// A spine document's bytes, before it is parsed.
struct Source {
    entry: String,
    media_type: String,
    linear: bool,
    /// Empty for a picture, whose bytes the image store reads.
    bytes: Vec<u8>,
}

/// The documents the spine lists, each once, replaced by their fallbacks where they are
/// not content documents.
fn spine_sources(
    zip: &mut Archive,
    pkg: &package::Package,
    warn: &mut dyn FnMut(String),
) -> Vec<Source> {
    let mut sources: Vec<Source> = Vec::new();
    for item in &pkg.spine {
        let (path, media_type) = match pkg.readable(&item.path) {
            Ok(found) => found,
            Err(types) => {
                warn(format!(
                    "{}: a spine item of type {} with no readable fallback; skipped",
                    item.path,
                    types.join(" → ")
                ));
                continue;
            }
        };
        if path != item.path {
            tracing::info!("{}: read as its fallback {path}", item.path);
        }
        let Some((entry, _)) = zip.find(&path) else {
            warn(format!(
                "{path}: listed in the spine but not in the EPUB; skipped"
            ));
            continue;
        };
        if sources.iter().any(|d| d.entry == entry) {
            tracing::info!("{entry}: listed twice in the spine; read once");
            continue;
        }
        // A picture is a page of its own, read later by the image store: its bytes are not
        // held here with the documents'.
        let bytes = if is_picture(&media_type) {
            Some(Vec::new())
        } else {
            read_entry(zip, &entry, warn)
        };
        if let Some(bytes) = bytes {
            sources.push(Source {
                entry,
                media_type,
                linear: item.linear,
                bytes,
            });
        }
    }
    sources
}

fn manifest_sources(
    zip: &mut Archive,
    pkg: &package::Package,
    warn: &mut dyn FnMut(String),
) -> Vec<Source> {
    let mut paths: Vec<String> = pkg
        .manifest
        .iter()
        .filter(|i| i.media_type.contains("html") && !i.properties.iter().any(|p| p == "nav"))
        .map(|i| i.path.clone())
        .collect();
    if paths.is_empty() {
        paths = zip
            .names()
            .iter()
            .filter(|n| {
                let n = n.to_lowercase();
                n.ends_with(".xhtml") || n.ends_with(".html") || n.ends_with(".htm")
            })
            .cloned()
            .collect();
        paths.sort();
    }
    let mut sources = Vec::new();
    for path in paths {
        let media_type = "application/xhtml+xml";
        if let Some((entry, _)) = zip.find(&path)
            && let Some(bytes) = read_entry(zip, &entry, warn)
        {
            sources.push(Source {
                entry,
                media_type: media_type.into(),
                linear: true,
                bytes,
            });
        }
    }
    sources
}

/// An entry's bytes; a document that is binary data is skipped with a warning, never read
/// as text.
fn read_entry(zip: &mut Archive, entry: &str, warn: &mut dyn FnMut(String)) -> Option<Vec<u8>> {
    let bytes = match zip.read(entry) {
        Ok(b) => b,
        Err(e) => {
            warn(format!("{entry}: {e}; skipped"));
            return None;
        }
    };
    if dom::looks_binary(&bytes) {
        warn(format!("{entry}: binary data, not a document; skipped"));
        return None;
    }
    Some(bytes)
}

/// Parses and reads the documents: a first pass learns where the book's notes are (a note
/// reference is known by its target, which may be in a later document), the second reads.
fn read_docs(
    zip: &mut Archive,
    pkg: &package::Package,
    sources: Vec<Source>,
    toc: &[toc::TocEntry],
    warn: &mut dyn FnMut(String),
) -> Vec<Doc> {
    let mut notes = notes::NoteTargets::default();
    for entry in toc {
        if let Some(fragment) = &entry.fragment {
            notes.list(&entry.path, fragment);
        }
    }
    for source in sources.iter().filter(|s| !is_picture(&s.media_type)) {
        let label = toc
            .iter()
            .find(|t| t.path == source.entry && t.fragment.is_none())
            .map(|t| t.title.as_str());
        notes.scan(&dom::parse(&source.bytes).root, &source.entry, label);
    }
    let mut stylesheets: HashMap<String, Option<String>> = HashMap::new();
    let mut docs = Vec::with_capacity(sources.len());
    for source in sources {
        let content = if is_picture(&source.media_type) {
            // A picture in the spine is a page of its own.
            let mut content = Content::default();
            content.pieces.push(Piece::Image(FoundImage {
                src: ImageSrc::Entry(source.entry.clone()),
                alt: String::new(),
                caption: String::new(),
                marked_decorative: false,
                ornament: false,
            }));
            content
        } else {
            let doc = dom::parse(&source.bytes);
            if let Some(err) = &doc.recovered {
                warn(format!(
                    "{}: not well-formed XHTML ({err}); read as HTML",
                    source.entry
                ));
            }
            let css = stylesheets_of(&doc.root, &source.entry, zip, &mut stylesheets);
            content::read_in(
                &doc.root,
                &source.entry,
                pkg.language.as_deref(),
                &notes,
                &css,
            )
        };
        docs.push(Doc {
            path: source.entry,
            linear: source.linear,
            content,
        });
    }
    docs
}

/// A spine item that is a picture, not a document (SVG is a document: it has text).
fn is_picture(media_type: &str) -> bool {
    media_type.starts_with("image/") && media_type != "image/svg+xml"
}

/// The texts of a document's stylesheets in cascade order: linked ones (read once per
/// book) and embedded `<style>` elements. A stylesheet that cannot be read is left out.
fn stylesheets_of(
    root: &dom::Element,
    entry: &str,
    zip: &mut Archive,
    cache: &mut HashMap<String, Option<String>>,
) -> Vec<String> {
    let Some(head) = root.find("head") else {
        return Vec::new();
    };
    let mut css = Vec::new();
    for e in head.elements() {
        match e.name.as_str() {
            "style" => css.push(e.text()),
            "link"
                if e.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("stylesheet"))
                }) =>
            {
                let Some(href) = e.href() else { continue };
                let path = archive::resolve(entry, href);
                let text = cache.entry(path.clone()).or_insert_with(|| {
                    let (name, _) = zip.find(&path)?;
                    zip.read(&name).ok().map(|b| dom::decode(&b).into_owned())
                });
                if let Some(text) = text {
                    css.push(text.clone());
                }
            }
            _ => {}
        }
    }
    css
}

type Toc = (Vec<toc::TocEntry>, Vec<package::GuideRef>, Option<String>);

/// The table of contents (nav first, NCX when the nav has none), the landmarks and guide,
/// and the NCX's title for books whose OPF has none.
fn read_toc(zip: &mut Archive, pkg: &package::Package, warn: &mut dyn FnMut(String)) -> Toc {
    let mut entries = Vec::new();
    let mut landmarks = Vec::new();
    let mut ncx_title = None;
    let mut parse = |path: &str, zip: &mut Archive| -> Option<(String, dom::Element)> {
        let (entry, _) = zip.find(path).or_else(|| {
            warn(format!("{path}: the table of contents is not in the EPUB"));
            None
        })?;
        match zip.read(&entry) {
            Ok(bytes) => Some((entry, dom::parse(&bytes).root)),
            Err(e) => {
                warn(format!("{entry}: {e}"));
                None
            }
        }
    };
    if let Some(nav) = &pkg.nav
        && let Some((entry, root)) = parse(nav, zip)
    {
        (entries, landmarks) = toc::from_nav(&root, &entry);
    }
    if entries.is_empty()
        && let Some(ncx) = &pkg.ncx
        && let Some((entry, root)) = parse(ncx, zip)
    {
        entries = toc::from_ncx(&root, &entry);
        ncx_title = root
            .find("doctitle")
            .map(|t| t.text())
            .filter(|t| !t.is_empty());
    }
    landmarks.extend(pkg.guide.iter().cloned());
    for l in &mut landmarks {
        if let Some((name, _)) = zip.find(&l.path) {
            l.path = name;
        }
    }
    (entries, landmarks, ncx_title)
}

fn image_blocks(
    images: &mut Images,
    zip: &mut Archive,
    doc: &str,
    found: &FoundImage,
    blocks: &mut Vec<Block>,
    warn: &mut dyn FnMut(String),
) {
    match images.found(zip, doc, found) {
        Ok(ids) => blocks.extend(ids.into_iter().map(|image| Block::Image {
            image,
            alt: found.alt.clone(),
            caption: found.caption.clone(),
        })),
        Err(w) => warn(format!("{w}; the image is left out")),
    }
}

/// The declared cover image, else the first image of a chapter the landmarks call the cover.
fn find_cover(
    images: &mut Images,
    zip: &mut Archive,
    pkg: &package::Package,
    chapters: &[Chapter],
    landmarks: &[package::GuideRef],
    warn: &mut dyn FnMut(String),
) -> Option<ImageId> {
    if let Some(path) = &pkg.cover_image {
        match images.cover(zip, path) {
            Ok(Some(id)) => return Some(id),
            Ok(None) => {}
            Err(w) => warn(format!("{w}; the book has no cover image")),
        }
    }
    let cover_docs: Vec<&str> = landmarks
        .iter()
        .filter(|l| l.kind == "cover")
        .map(|l| l.path.as_str())
        .collect();
    chapters
        .iter()
        .filter(|c| {
            c.sources
                .iter()
                .any(|s| cover_docs.contains(&s.split('#').next().unwrap_or("")))
                || c.title.eq_ignore_ascii_case("cover")
        })
        .flat_map(|c| &c.blocks)
        .find_map(|b| match b {
            Block::Image { image, .. } => Some(image.clone()),
            _ => None,
        })
}

/// What `book.json` is made from, for its fingerprint.
#[derive(Serialize)]
struct ExtractInputs<'a> {
    schema: u32,
    epub_sha256: &'a str,
}

/// The outcome of running the stage into a work directory.
pub struct Extracted {
    pub book: Book,
    /// True when `book.json` was already up to date and nothing was read.
    pub fresh: bool,
}

/// Runs extract into `work`, unless its `book.json` is fresh for this EPUB.
pub fn run(epub: &Path, work: &WorkDir) -> anyhow::Result<Extracted> {
    let sha = hash_epub(epub)?;
    let inputs = Fingerprint::of(&ExtractInputs {
        schema: book::SCHEMA,
        epub_sha256: &sha,
    });
    let out = work.book_json();
    match inputs.check(&out) {
        Freshness::Fresh => {
            if let Some(book) = load(&out)? {
                if book
                    .images
                    .iter()
                    .all(|i| work.root().join(&i.file).is_file())
                {
                    tracing::debug!("{}: extract is fresh", book.file_name);
                    return Ok(Extracted { book, fresh: true });
                }
                tracing::info!(
                    "{}: images are missing from the work directory; extracting again",
                    book.file_name
                );
            }
        }
        Freshness::Dirty(reason) => tracing::debug!("extract: {reason}"),
    }
    Fingerprint::clear(&out)?;
    let book = read_hashed(epub, sha, &Store::WorkDir(work.root().to_path_buf()))?;
    let json = serde_json::to_vec(&book).context("cannot serialize the extracted book")?;
    write_file(&out, &json)?;
    inputs.record(&out)?;
    Ok(Extracted { book, fresh: false })
}

/// Reads a saved `book.json`; `None` when it is from another schema.
pub fn load(path: &Path) -> anyhow::Result<Option<Book>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match serde_json::from_slice::<Book>(&bytes) {
        Ok(book) if book.schema == book::SCHEMA => Ok(Some(book)),
        _ => Ok(None),
    }
}

/// The default work directory for a book: `<stem>.bookvoice` in `out_dir`.
pub fn default_work_dir(epub: &Path, out_dir: &Path) -> PathBuf {
    let stem = epub
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    out_dir.join(format!("{stem}.bookvoice"))
}
