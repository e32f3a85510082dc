//! One process per book: an exclusive lock on `<work>/lock`, held for the whole run.
//!
//! Two runs on the same book would speak the same chunks twice and race to rename the same
//! files. The lock is an OS file lock (`File::try_lock`), so it vanishes with the process
//! however it ends — no stale lock file to delete after a crash. A second run says what it is
//! waiting for and waits, or with `--no-wait` fails at once.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use anyhow::{Context, bail};

/// Held until dropped.
pub struct WorkLock {
    _file: File,
}

impl WorkLock {
    pub fn acquire(work: &Path, wait: bool) -> anyhow::Result<WorkLock> {
        let path = work.join("lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => return Ok(WorkLock { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        if !wait {
            bail!(
                "another bookvoice is working on {} (remove --no-wait to wait for it)",
                work.display()
            );
        }
        tracing::warn!(
            "waiting for lock on {}: another bookvoice is working on this book",
            work.display()
        );
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(WorkLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_book_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let first = WorkLock::acquire(dir.path(), false).unwrap();
        let e = WorkLock::acquire(dir.path(), false).err().unwrap();
        assert!(e.to_string().contains("another bookvoice"), "{e}");
        drop(first);
        WorkLock::acquire(dir.path(), false).unwrap();
    }
}
