//! How many CUDA GPUs this process can see, found without loading CUDA (so it works, and
//! answers quickly, on a machine that has none).
//!
//! In order: `BOOKVOICE_CUDA_DEVICES=N` (for tests, and to limit a run by hand); then
//! `CUDA_VISIBLE_DEVICES`, which CUDA itself obeys (its entries are renumbered from 0 inside
//! the process, which is what `cuda:N` and ONNX Runtime's device id mean); then the driver's
//! `/proc/driver/nvidia/gpus/*`, then the `/dev/nvidiaN` device files. `None` when nothing
//! says: the caller then assumes one GPU and lets the worker's fallback find out.

use std::path::Path;

/// Overrides the count (tests; limiting a run by hand).
pub const COUNT_ENV: &str = "BOOKVOICE_CUDA_DEVICES";

/// The number of CUDA devices visible to this process, if anything says.
pub fn visible_cuda_devices() -> Option<u32> {
    let var = |name: &str| std::env::var(name).ok();
    count(
        var(COUNT_ENV).as_deref(),
        var("CUDA_VISIBLE_DEVICES").as_deref(),
        Path::new("/proc/driver/nvidia/gpus"),
        Path::new("/dev"),
    )
}

/// `BOOKVOICE_CUDA_DEVICES` alone, for the fake engine, whose GPUs are never this machine's.
pub fn overridden() -> Option<u32> {
    std::env::var(COUNT_ENV)
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

fn count(over: Option<&str>, visible: Option<&str>, proc_gpus: &Path, dev: &Path) -> Option<u32> {
    if let Some(n) = over.and_then(|s| s.trim().parse::<u32>().ok()) {
        return Some(n);
    }
    if let Some(list) = visible {
        // CUDA stops at the first entry it cannot use; an empty list hides every GPU.
        return Some(
            list.split(',')
                .map(str::trim)
                .take_while(|e| !e.is_empty() && *e != "-1")
                .count() as u32,
        );
    }
    let entries = |dir: &Path, keep: &dyn Fn(&str) -> bool| -> Option<u32> {
        let n = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok())
            .filter(|e| keep(&e.file_name().to_string_lossy()))
            .count() as u32;
        (n > 0).then_some(n)
    };
    entries(proc_gpus, &|_| true).or_else(|| {
        entries(dev, &|name| {
            name.strip_prefix("nvidia")
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_then_cuda_visible_devices_then_the_driver() {
        let none = Path::new("/nonexistent-bookvoice");
        assert_eq!(count(Some("3"), Some("0"), none, none), Some(3));
        assert_eq!(count(None, Some("2,3"), none, none), Some(2));
        assert_eq!(count(None, Some("GPU-abc"), none, none), Some(1));
        assert_eq!(count(None, Some(""), none, none), Some(0));
        assert_eq!(count(None, Some("0,-1,1"), none, none), Some(1));
        assert_eq!(count(None, None, none, none), None);

        let dev = tempfile::tempdir().unwrap();
        for name in ["nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "null"] {
            std::fs::write(dev.path().join(name), b"").unwrap();
        }
        assert_eq!(count(None, None, none, dev.path()), Some(2));
    }
}
