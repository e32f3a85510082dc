//! Exclusive locks, held for as long as a value lives: one process per book, and one process
//! at a time speaking on this machine.
//!
//! Two runs on the same book would speak the same chunks twice and race to rename the same
//! files, so a run holds `<work>/lock`. Two books converted at once (`make -j`) may extract,
//! describe and write scripts side by side, but only one may run the model: concurrent
//! inference is what crashes GPU drivers and thrashes a laptop's memory, so the speech engine
//! is started only under the machine-wide `bookvoice-speech.lock` in the temporary directory.
//! Both are OS file locks (`File::try_lock`), released however the process ends, so a dead
//! process never leaves a stale lock behind. A run that must wait says what it waits for.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Held until dropped.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// The lock on a book's work directory; without `wait`, a busy book is an error.
    pub fn work_dir(work: &Path, wait: bool) -> anyhow::Result<Lock> {
        let busy = format!("another bookvoice is working on {}", work.display());
        Lock::acquire(&work.join("lock"), &busy, wait)
    }

    /// The machine-wide lock on speaking; always waits.
    pub fn speech() -> anyhow::Result<Lock> {
        Lock::acquire(
            &speech_lock_path(),
            "another bookvoice is speaking on this machine (one model runs at a time)",
            true,
        )
    }

    fn acquire(path: &Path, busy: &str, wait: bool) -> anyhow::Result<Lock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        if !wait {
            bail!("{busy} (remove --no-wait to wait for it)");
        }
        tracing::warn!("waiting for lock on {}: {busy}", path.display());
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(Lock { _file: file })
    }
}

/// `BOOKVOICE_SPEECH_LOCK` names it (tests give each run its own); else the temporary
/// directory's `bookvoice-speech.lock`, shared by every run of this user's machine.
fn speech_lock_path() -> PathBuf {
    std::env::var_os("BOOKVOICE_SPEECH_LOCK")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("bookvoice-speech.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_book_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let first = Lock::work_dir(dir.path(), false).unwrap();
        let e = Lock::work_dir(dir.path(), false).err().unwrap();
        assert!(e.to_string().contains("another bookvoice"), "{e}");
        drop(first);
        Lock::work_dir(dir.path(), false).unwrap();
    }
}
