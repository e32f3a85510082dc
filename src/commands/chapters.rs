//! `bookvoice chapters`: what extract finds in a book, as a table or as JSON.
//!
//! Nothing is written: images are hashed and measured in memory. The printing is shared
//! with `bookvoice extract`. The language shown is the one `convert` would read the book in
//! without `--lang`.

use serde_json::json;

use crate::cli::ChaptersArgs;
use crate::lang::{self, Lang};
use crate::stages::extract::book::Book;
use crate::stages::extract::images::Store;
use crate::stages::extract::read_book;
use crate::stages::extract::select::Selection;

pub fn run(args: &ChaptersArgs) -> anyhow::Result<()> {
    let book = read_book(&args.book, &Store::Nowhere)?;
    let selection = Selection {
        chapters: args.selection.chapters.clone(),
        include: args.selection.include.clone(),
    };
    warn_absent(&book, &selection);
    print(&book, &selection, args.json)
}

/// Warns of chapter numbers asked for that the book lacks: the listing alone would just
/// show none of them selected.
pub fn warn_absent(book: &Book, selection: &Selection) {
    if let Some(message) = absent(book, selection) {
        tracing::warn!("{}: {message}", book.file_name);
    }
}

/// What to say of chapter numbers asked for that the book lacks, if any.
fn absent(book: &Book, selection: &Selection) -> Option<String> {
    let absent = selection.absent(book.chapters.len());
    (!absent.is_empty()).then(|| {
        format!(
            "--chapters {} past the last chapter (the book has {})",
            if absent.len() == 1 && !absent[0].contains('-') {
                format!("asks for chapter {}, which is", absent[0])
            } else {
                format!("asks for {}, which are", absent.join(","))
            },
            crate::report::count(book.chapters.len(), "chapter")
        )
    })
}

/// Prints a book's chapters: JSON on request, else a table with the selected ones marked.
pub fn print(book: &Book, selection: &Selection, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary(book, selection))?
        );
        return Ok(());
    }
    let authors = if book.authors.is_empty() {
        String::new()
    } else {
        format!(" by {}", book.authors.join(", "))
    };
    println!("{}{authors}", book.title);
    println!("{}", language_line(book));
    let selected: Vec<_> = book
        .chapters
        .iter()
        .filter(|c| selection.selects(c))
        .collect();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    println!(
        "{}, {}; {} selected ({}), {}{}",
        count(book.chapters.len(), "chapter", "chapters"),
        count(book.words(), "word", "words"),
        selected.len(),
        count(
            selected.iter().map(|c| c.words()).sum::<usize>(),
            "word",
            "words"
        ),
        count(book.images.len(), "image", "images"),
        if book.cover.is_some() {
            ", with a cover"
        } else {
            ""
        },
    );
    println!();
    println!("     #  kind    words  img  title");
    for c in &book.chapters {
        let mark = if selection.selects(c) { '*' } else { ' ' };
        println!(
            "{mark} {:>4}  {:<5} {:>7} {:>4}  {}",
            c.index,
            c.kind.as_str(),
            c.words(),
            c.images(),
            c.title
        );
    }
    println!();
    if selection.chapters.is_some() {
        println!("* = picked with --chapters");
    } else {
        println!(
            "* = converted by default (body); widen with --include front,back or pick with \
             --chapters"
        );
    }
    if !book.warnings.is_empty() {
        println!(
            "{} problems while reading; see the warnings above",
            book.warnings.len()
        );
    }
    Ok(())
}

/// The book's language as `convert` decides it without `--lang`.
fn decision(book: &Book) -> Result<lang::Choice, lang::Refused> {
    let detected = book.detected_language.as_ref();
    lang::choose(None, book.language.as_deref(), detected, Lang::EnUs)
}

/// The decision, for the listing.
fn language_line(book: &Book) -> String {
    match decision(book) {
        Ok(choice) => {
            let mut line = format!(
                "Language: {} ({}), {}",
                choice.lang.name(),
                choice.lang.code(),
                choice.source.describe().replace("its text", "the text")
            );
            if let Some(warning) = &choice.warning {
                line.push_str(&format!("; {warning}"));
            }
            line
        }
        Err(refused) => format!("Language: cannot be spoken: {refused}"),
    }
}

/// The language for `--json`: the decision, or why the book cannot be spoken.
fn language_json(book: &Book) -> serde_json::Value {
    match decision(book) {
        Ok(choice) => serde_json::to_value(choice).unwrap_or_default(),
        Err(refused) => json!({
            "refused": refused.to_string(),
            "language": refused.language.name(),
            "tag": refused.language.primary(),
        }),
    }
}

fn summary(book: &Book, selection: &Selection) -> serde_json::Value {
    let cover = book
        .cover
        .as_ref()
        .and_then(|id| book.image(id))
        .and_then(|i| i.sources.first().cloned());
    let chapters: Vec<_> = book
        .chapters
        .iter()
        .map(|c| {
            json!({
                "index": c.index,
                "title": c.title,
                "kind": c.kind,
                "words": c.words(),
                "images": c.images(),
                "source": c.sources.first(),
                "selected": selection.selects(c),
            })
        })
        .collect();
    json!({
        "title": book.title,
        "authors": book.authors,
        "language": book.language,
        "spoken_language": language_json(book),
        "cover": cover,
        "words": book.words(),
        "chapters": chapters,
        "warnings": book.warnings.iter().cloned().chain(absent(book, selection)).collect::<Vec<_>>(),
    })
}
