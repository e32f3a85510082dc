//! The work directory: one persistent folder per book holding every intermediate result,
//! each beside its fingerprint, so that any run can be interrupted and resumed.
//!
//! Layout so far:
//! ```text
//! <work>/book.json (+ .fp, .fp.json)   the extracted book (extract)
//! <work>/images/<sha256>.<ext>         every distinct image, by content hash
//! ```

pub mod fingerprint;
pub mod fsutil;

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

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn book_json(&self) -> PathBuf {
        self.root.join("book.json")
    }
}
