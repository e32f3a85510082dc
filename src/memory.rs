//! Resident memory: reading the kernel's accounting, sampling it while work runs, and giving
//! freed heap back to the system.
//!
//! The figures come from `/proc/self/status` (Linux), the same accounting `/usr/bin/time -v`
//! reports, so what `bench` prints can be checked from outside. Elsewhere they are `None`.
//! The peak is never reset (writing `/proc/self/clear_refs` would also reset what the parent's
//! `time` sees); per-stage peaks come from a [`Sampler`] instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// One field of `/proc/self/status`, in MB.
fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The highest resident set size this process has had.
pub fn peak_rss_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// The resident set size now.
pub fn rss_mb() -> Option<f64> {
    status_mb("VmRSS:")
}

/// Returns freed heap pages to the system. glibc keeps freed memory for reuse; after a big
/// structure is dropped (the G2P's lexicons) the pages would otherwise stay resident under the
/// model's session for the rest of the run.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How often the sampler reads the resident size. A model call takes seconds, so its peak
/// lasts far longer than this.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);

/// Samples the resident size on a thread of its own and keeps the highest value since the last
/// [`Sampler::take_peak`].
pub struct Sampler {
    peak_kb: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    /// Starts sampling; `None` where the platform has no `/proc`.
    pub fn start() -> Option<Sampler> {
        rss_mb()?;
        let peak_kb = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak_kb, stop) = (peak_kb.clone(), stop.clone());
            std::thread::Builder::new()
                .name("rss-sampler".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if let Some(mb) = rss_mb() {
                            peak_kb.fetch_max((mb * 1024.0) as u64, Ordering::Relaxed);
                        }
                        std::thread::sleep(SAMPLE_EVERY);
                    }
                })
                .ok()?
        };
        Some(Sampler {
            peak_kb,
            stop,
            thread: Some(thread),
        })
    }

    /// The highest resident size seen since the last call (or the start), then starts over
    /// from the present size.
    pub fn take_peak(&self) -> f64 {
        let now = rss_mb().map(|mb| (mb * 1024.0) as u64).unwrap_or(0);
        let peak = self.peak_kb.swap(now, Ordering::Relaxed).max(now);
        peak as f64 / 1024.0
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn the_sampler_sees_a_short_allocation() {
        let sampler = Sampler::start().expect("Linux has /proc");
        let big = vec![1u8; 64 << 20];
        std::thread::sleep(SAMPLE_EVERY * 5);
        let held = rss_mb().unwrap();
        drop(std::hint::black_box(big));
        release_free_memory();
        std::thread::sleep(SAMPLE_EVERY * 5);
        // Other tests run beside this one, so only lower bounds hold.
        let peak = sampler.take_peak();
        assert!(
            peak >= held - 16.0,
            "held {held} MB, sampled peak {peak} MB"
        );
        assert!(peak_rss_mb().unwrap() >= peak - 1.0);
    }
}
