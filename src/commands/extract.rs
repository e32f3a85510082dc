//! `bookvoice extract`: runs the extract stage into the book's work directory (or finds it
//! already done) and lists what it holds.

use crate::cli::ExtractArgs;
use crate::stages::extract::{self, select::Selection};
use crate::workdir::WorkDir;

pub fn run(args: &ExtractArgs) -> anyhow::Result<()> {
    let work = WorkDir::for_book(
        &args.book,
        args.work_dir.as_deref(),
        std::path::Path::new("."),
    )?;
    let extracted = extract::run(&args.book, &work)?;
    let book = &extracted.book;
    tracing::info!(
        "{}: {} in {} ({}, {})",
        book.file_name,
        if extracted.fresh {
            "already extracted"
        } else {
            "extracted"
        },
        work.root().display(),
        crate::report::count(book.chapters.len(), "chapter"),
        crate::report::count(book.images.len(), "image")
    );
    super::chapters::print(book, &Selection::default(), args.json)
}
