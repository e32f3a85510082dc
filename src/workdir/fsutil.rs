//! Atomic file creation: the one place that turns a temporary file into a finished output.
//!
//! A file is written under a temporary name in its destination directory and renamed into place
//! only when complete, so no reader (and no rerun after a crash) ever sees half a file. Every
//! error names the path it concerns.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tempfile::NamedTempFile;

/// A file being written; it appears at its final path only on [`AtomicFile::commit`].
pub struct AtomicFile {
    temp: NamedTempFile,
    dest: PathBuf,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> anyhow::Result<AtomicFile> {
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".bookvoice-").suffix(".partial");
        // Outputs are ordinary files for the user, not the 0600 tempfile default.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let temp = builder
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(AtomicFile {
            temp,
            dest: dest.to_path_buf(),
        })
    }

    /// A buffered writer over the temporary file.
    pub fn writer(&self) -> anyhow::Result<BufWriter<File>> {
        let file = self
            .temp
            .as_file()
            .try_clone()
            .with_context(|| format!("cannot write {}", self.temp.path().display()))?;
        Ok(BufWriter::new(file))
    }

    /// Flushes to disk and renames into place.
    pub fn commit(self) -> anyhow::Result<PathBuf> {
        self.temp
            .as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", self.dest.display()))?;
        self.temp.persist(&self.dest).with_context(|| {
            format!(
                "cannot move the finished file into place at {}",
                self.dest.display()
            )
        })?;
        Ok(self.dest)
    }
}

/// Writes a whole file atomically.
pub fn write_file(dest: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let file = AtomicFile::create(dest)?;
    let mut writer = file.writer()?;
    writer
        .write_all(bytes)
        .and_then(|()| writer.flush())
        .with_context(|| format!("cannot write {}", dest.display()))?;
    drop(writer);
    file.commit()?;
    Ok(())
}

/// Removes a file; one that is already gone is fine.
pub fn remove_if_exists(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/out.txt");
        let f = AtomicFile::create(&dest).unwrap();
        let mut w = f.writer().unwrap();
        w.write_all(b"hello").unwrap();
        w.flush().unwrap();
        drop(w);
        assert!(!dest.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"hello");
        // Nothing temporary is left beside it.
        assert_eq!(
            std::fs::read_dir(dest.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn abandoned_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        drop(AtomicFile::create(&dest).unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
