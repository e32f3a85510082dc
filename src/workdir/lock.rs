//! Exclusive locks, held for as long as a value lives: one process per book, and one process
//! at a time speaking on each device of this machine.
//!
//! Two runs on the same book would speak the same chunks twice and race to rename the same
//! files, so a run holds `<work>/lock`. Two books converted at once (`make -j`) may extract,
//! describe and write scripts side by side, but only one may run the model on a device:
//! concurrent inference is what crashes GPU drivers and thrashes a laptop's memory, so a
//! worker is started on a device only under that device's lock in the temporary directory,
//! `bookvoice-speech-cuda0.lock`, `bookvoice-speech-cuda1.lock`, `bookvoice-speech-cpu.lock`.
//! A run that may use several GPUs takes the locks that are free and waits only when none is,
//! so `make -j` over a library keeps every GPU busy with one run each. The lock is on the
//! device a worker starts on; a GPU worker that falls back to the CPU does not take the CPU's
//! lock. A GPU whose lock was taken when the run started is tried again as the run goes on
//! ([`Lock::speech_try`]), so a GPU another run frees joins this one. All are OS file locks (`File::try_lock`), released however the process ends, so a
//! dead process never leaves a stale lock behind. A run that must wait says what it waits for.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::stages::synthesize::backend::Device;

/// How often a run waiting for any of several devices looks again.
const POLL: Duration = Duration::from_millis(250);

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

    /// The locks on speaking on as many of `devices` as are free, with their devices, in the
    /// order given; waits (saying for what) only while every one is taken, then takes the
    /// first to come free and any others free by then.
    pub fn speech_any(devices: &[Device]) -> anyhow::Result<Vec<(Device, Lock)>> {
        Lock::speech_any_beside(&speech_lock_base(), devices)
    }

    /// [`Lock::speech_any`] with the lock files named after `base` (see [`lock_beside`]).
    fn speech_any_beside(base: &Path, devices: &[Device]) -> anyhow::Result<Vec<(Device, Lock)>> {
        let speech_lock_path = |device: Device| lock_beside(base, device);
        let mut announced = false;
        loop {
            let mut held = Vec::new();
            for &device in devices {
                if let Some(lock) = Lock::try_acquire(&speech_lock_path(device))? {
                    held.push((device, lock));
                }
            }
            if !held.is_empty() || devices.is_empty() {
                if held.len() < devices.len() {
                    let busy: Vec<String> = devices
                        .iter()
                        .filter(|d| !held.iter().any(|(h, _)| h == *d))
                        .map(|d| d.to_string())
                        .collect();
                    tracing::info!(
                        "{} in use by another bookvoice; speaking on the other {}",
                        busy.join(", "),
                        held.len()
                    );
                }
                return Ok(held);
            }
            if !announced {
                let paths: Vec<String> = devices
                    .iter()
                    .map(|d| speech_lock_path(*d).display().to_string())
                    .collect();
                tracing::warn!(
                    "waiting for a lock on any of {}: {}",
                    paths.join(", "),
                    speech_busy(devices)
                );
                announced = true;
            }
            std::thread::sleep(POLL);
        }
    }

    /// The lock on speaking on `device` if it is free now; `None` while another run holds it.
    /// Never waits: a run retries the devices it could not take as it goes.
    pub fn speech_try(device: Device) -> anyhow::Result<Option<Lock>> {
        Lock::try_acquire(&lock_beside(&speech_lock_base(), device))
    }

    /// The lock if it is free now; `None` if another process holds it.
    fn try_acquire(path: &Path) -> anyhow::Result<Option<Lock>> {
        let file = open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Lock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }

    fn acquire(path: &Path, busy: &str, wait: bool) -> anyhow::Result<Lock> {
        if let Some(lock) = Lock::try_acquire(path)? {
            return Ok(lock);
        }
        let file = open(path)?;
        if !wait {
            bail!("{busy} (remove --no-wait to wait for it)");
        }
        tracing::warn!("waiting for lock on {}: {busy}", path.display());
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(Lock { _file: file })
    }
}

fn open(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))
}

/// What a run waiting for these devices is told.
fn speech_busy(devices: &[Device]) -> String {
    let names: Vec<String> = devices.iter().map(|d| d.to_string()).collect();
    format!(
        "another bookvoice is speaking on this machine's {} (one model runs at a time on a \
         device)",
        names.join(", ")
    )
}

/// Where the devices' speech locks go: `bookvoice-speech-cuda1.lock` in the temporary
/// directory, shared by every run of this user's machine. `BOOKVOICE_SPEECH_LOCK=DIR/NAME.lock`
/// (tests give each run its own) puts them beside it instead, as `DIR/NAME-cuda1.lock`.
fn speech_lock_base() -> PathBuf {
    std::env::var_os("BOOKVOICE_SPEECH_LOCK")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("bookvoice-speech.lock"))
}

fn lock_beside(base: &Path, device: Device) -> PathBuf {
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bookvoice-speech".into());
    base.with_file_name(format!("{stem}-{}.lock", device.slug()))
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

    #[test]
    fn each_device_has_its_own_lock_file() {
        let base = Path::new("/tmp/x/speech.lock");
        assert_eq!(
            lock_beside(base, Device::Cuda(1)),
            Path::new("/tmp/x/speech-cuda1.lock")
        );
        assert_eq!(
            lock_beside(base, Device::Cpu),
            Path::new("/tmp/x/speech-cpu.lock")
        );
    }

    // `File::try_lock` locks are per open file, so two locks in one process conflict the way
    // two processes do.
    #[test]
    fn two_devices_are_held_at_once_and_one_device_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = |d: Device| lock_beside(&dir.path().join("speech.lock"), d);
        let zero = Lock::try_acquire(&path(Device::Cuda(0))).unwrap();
        let one = Lock::try_acquire(&path(Device::Cuda(1))).unwrap();
        assert!(zero.is_some() && one.is_some());
        assert!(Lock::try_acquire(&path(Device::Cuda(0))).unwrap().is_none());
        drop(zero);
        assert!(Lock::try_acquire(&path(Device::Cuda(0))).unwrap().is_some());
    }

    #[test]
    fn a_run_for_every_gpu_takes_the_free_ones() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("speech.lock");
        let busy = Lock::try_acquire(&lock_beside(&base, Device::Cuda(0)))
            .unwrap()
            .unwrap();
        let held =
            Lock::speech_any_beside(&base, &[Device::Cuda(0), Device::Cuda(1), Device::Cuda(2)])
                .unwrap();
        let devices: Vec<Device> = held.iter().map(|(d, _)| *d).collect();
        assert_eq!(devices, vec![Device::Cuda(1), Device::Cuda(2)]);
        drop(busy);
    }
}
