//! The work directory: one persistent folder per book holding every intermediate result,
//! each beside its fingerprint, so that any run can be interrupted and resumed.
//!
//! Layout so far:
//! ```text
//! <work>/book.json (+ .fp, .fp.json)   the extracted book (extract)
//! <work>/images/<sha256>.<ext>         every distinct image, by content hash
//! <work>/describe/<key>.json            image descriptions, by (image, model, prompt) (describe)
//! <work>/descriptions.json             what became of each image in the last run (describe)
//! <work>/script/NN - Title.txt (+ .fp)  each chapter's narration script (script)
//! <work>/lexicon.toml                  the book's pronunciation overrides (the user's)
//! <work>/chunks/<key>.wav              each chunk's checked audio, by its inputs (synthesize)
//! <work>/plans/NN - Title.json        a chapter's chunks and calls, from its planning until it
//!                                      is spoken and assembled (convert's scratch)
//! <work>/chapters/NN - Title.wav (+ .fp) each chapter's audio (assemble), with its captions
//!                                      (NN - Title.vtt) and its sections (.sections.json)
//! <work>/pace.json                     characters spoken and the wall time it took (status)
//! <work>/book.m4b.fp (+ .json)          the fingerprint of the M4B written outside (assemble)
//! <work>/outputs.json                  the formats the last finished run made (status)
//! <work>/lock                          held by the run working on the book
//! ```

pub mod fingerprint;
pub mod fsutil;
pub mod lock;

use std::path::{Path, PathBuf};

use anyhow::Context;

pub struct WorkDir {
    root: PathBuf,
}

impl WorkDir {
    /// Opens (creating if needed) a work directory.
    pub fn open(root: &Path) -> anyhow::Result<WorkDir> {
        std::fs::create_dir_all(root)
            .with_context(|| format!("cannot create the work directory {}", root.display()))?;
        Ok(WorkDir {
            root: root.to_path_buf(),
        })
    }

    /// The work directory the user named, else `BOOK.bookvoice` in `beside` (the output
    /// directory), named after the EPUB.
    pub fn for_book(epub: &Path, named: Option<&Path>, beside: &Path) -> anyhow::Result<WorkDir> {
        WorkDir::open(&WorkDir::location(epub, named, beside))
    }

    /// Where [`WorkDir::for_book`] puts a book's work directory.
    pub fn location(epub: &Path, named: Option<&Path>, beside: &Path) -> PathBuf {
        match named {
            Some(dir) => dir.to_path_buf(),
            None => crate::stages::extract::default_work_dir(epub, beside),
        }
    }

    /// Removes the temporary files a killed run left behind (`.bookvoice-*.partial`). Call
    /// only while holding the work directory's lock, when nobody else is writing.
    pub fn remove_partials(&self) -> anyhow::Result<usize> {
        fn sweep(dir: &Path, removed: &mut usize) -> anyhow::Result<()> {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return Ok(());
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    sweep(&path, removed)?;
                } else if name.starts_with(".bookvoice-") && name.ends_with(".partial") {
                    fsutil::remove_if_exists(&path)?;
                    *removed += 1;
                }
            }
            Ok(())
        }
        let mut removed = 0;
        sweep(&self.root, &mut removed)?;
        Ok(removed)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn book_json(&self) -> PathBuf {
        self.root.join("book.json")
    }

    pub fn describe_dir(&self) -> PathBuf {
        self.root.join("describe")
    }

    pub fn descriptions_json(&self) -> PathBuf {
        self.root.join("descriptions.json")
    }

    pub fn script_dir(&self) -> PathBuf {
        self.root.join("script")
    }

    pub fn chunks_dir(&self) -> PathBuf {
        self.root.join("chunks")
    }

    pub fn chapters_dir(&self) -> PathBuf {
        self.root.join("chapters")
    }

    pub fn plans_dir(&self) -> PathBuf {
        self.root.join("plans")
    }
}

/// The name, without extension, of a chapter's files: `07 - Down the Rabbit-Hole`. Numbers
/// are padded to the width of the largest, so the files sort in reading order; the title is
/// made safe for every common file system and kept short.
pub fn chapter_stem(index: usize, title: &str, chapters: usize) -> String {
    let width = chapters.max(index).max(10).to_string().len();
    let safe: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut safe = safe.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = safe.char_indices().nth(80) {
        safe.truncate(cut);
    }
    let safe = safe.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if safe.is_empty() {
        format!("{index:0width$}")
    } else {
        format!("{index:0width$} - {safe}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_stems_sort_and_are_safe() {
        assert_eq!(
            chapter_stem(7, "Down the Rabbit-Hole", 12),
            "07 - Down the Rabbit-Hole"
        );
        assert_eq!(chapter_stem(7, "Canto VII", 101), "007 - Canto VII");
        assert_eq!(chapter_stem(3, "A/B: \"C\"?", 5), "03 - A B C");
        assert_eq!(chapter_stem(3, "  ...  ", 5), "03");
        assert_eq!(
            chapter_stem(1, &"x".repeat(200), 5).len(),
            "01 - ".len() + 80
        );
    }
}
