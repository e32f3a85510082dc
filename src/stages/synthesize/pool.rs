//! Sharing work among several workers (one per GPU): each item goes to whichever worker is
//! free, and the results come back to the caller's thread as they finish.
//!
//! Each worker gets one driver thread that takes the next item from a shared queue and
//! speaks it start to finish, so a worker never has two items at once and a fast GPU simply
//! comes back for more sooner than a slow one. The caller's thread does whatever follows
//! speech (assembling a chapter's WAV) while the drivers have already moved on to the next
//! item: that is what keeps the GPUs busy. The order results arrive in is the order they
//! finish; callers that need the book's order put them back by index.

use std::collections::VecDeque;
use std::sync::{Mutex, mpsc};

/// Runs `speak(worker, item)` for every item, on `workers` driver threads (worker `w`'s items
/// one after another), and hands each result to `done` on the calling thread as it comes.
/// With no worker at all, everything runs on the calling thread, worker 0.
pub fn share<I: Send, R: Send>(
    workers: usize,
    items: impl IntoIterator<Item = I>,
    speak: impl Fn(usize, I) -> R + Sync,
    mut done: impl FnMut(R),
) {
    let queue = Mutex::new(items.into_iter().collect::<VecDeque<I>>());
    if workers == 0 {
        while let Some(item) = queue.lock().ok().and_then(|mut q| q.pop_front()) {
            done(speak(0, item));
        }
        return;
    }
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<R>();
        for worker in 0..workers {
            let (tx, queue, speak) = (tx.clone(), &queue, &speak);
            std::thread::Builder::new()
                .name(format!("bookvoice-driver-{worker}"))
                .spawn_scoped(scope, move || {
                    loop {
                        // The guard is dropped before speaking, so others can take items.
                        let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                        let Some(item) = next else { break };
                        if tx.send(speak(worker, item)).is_err() {
                            break;
                        }
                    }
                })
                .expect("spawning a driver thread failed. This is a bug or the system is out of resources");
        }
        drop(tx);
        for result in rx {
            done(result);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::backend::Device;
    use crate::stages::synthesize::fake::FakeFactory;
    use crate::stages::synthesize::worker::{CpuGate, Job, Worker};
    use std::collections::BTreeMap;
    use std::time::{Duration, Instant};

    fn job(i: usize) -> Job {
        Job {
            ids: vec![50; 20],
            style: vec![0.0; 256],
            speed: 1.0,
            text: format!("chapter {i}"),
        }
    }

    /// One worker per GPU of the fake spec, as the pool starts them.
    fn workers(spec: &str, gpus: u32) -> Vec<Worker> {
        let fake = FakeFactory::parse(spec).unwrap();
        let gate = CpuGate::default();
        (0..gpus)
            .map(|n| {
                Worker::start_gated(
                    fake.clone(),
                    vec![Device::Cuda(n), Device::Cpu],
                    gate.clone(),
                )
                .unwrap()
            })
            .collect()
    }

    /// Speaks `n` one-chunk "chapters", returning each one's device in the order given.
    fn run(workers: &[Worker], n: usize) -> Vec<Device> {
        let mut out: Vec<Option<Device>> = vec![None; n];
        share(
            workers.len(),
            0..n,
            |w, i| (i, workers[w].speak(job(i)).map(|a| a.device)),
            |(i, device)| out[i] = Some(device.expect("speaks")),
        );
        out.into_iter()
            .map(|d| d.expect("every item done"))
            .collect()
    }

    fn tally(devices: &[Device]) -> BTreeMap<Device, usize> {
        let mut map = BTreeMap::new();
        for d in devices {
            *map.entry(*d).or_insert(0) += 1;
        }
        map
    }

    #[test]
    fn both_gpus_get_work_and_the_faster_gets_more() {
        let pool = workers("cuda0:ok@10ms,cuda1:ok@40ms", 2);
        let devices = run(&pool, 20);
        let by = tally(&devices);
        let fast = by.get(&Device::Cuda(0)).copied().unwrap_or(0);
        let slow = by.get(&Device::Cuda(1)).copied().unwrap_or(0);
        assert!(slow >= 1, "{by:?}");
        assert!(fast > slow, "{by:?}");
        assert_eq!(fast + slow, 20);
    }

    #[test]
    fn results_go_back_to_their_place() {
        let mut seen = Vec::new();
        share(
            3,
            0..30,
            |w, i| {
                // Items finish out of order: later ones are quicker.
                std::thread::sleep(Duration::from_millis(((30 - i) % 4) as u64));
                (i, w)
            },
            |(i, _)| seen.push(i),
        );
        seen.sort();
        assert_eq!(seen, (0..30).collect::<Vec<_>>());
    }

    #[test]
    fn each_worker_speaks_one_item_at_a_time() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let busy: Vec<AtomicUsize> = (0..2).map(|_| AtomicUsize::new(0)).collect();
        let most = AtomicUsize::new(0);
        share(
            2,
            0..12,
            |w, _| {
                let now = busy[w].fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(2));
                busy[w].fetch_sub(1, Ordering::SeqCst);
            },
            |_| {},
        );
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failing_gpu_falls_back_on_its_own_and_the_other_keeps_its_gpu() {
        let pool = workers("cuda0:ok,cuda1:nan,cpu:ok", 2);
        let by = tally(&run(&pool, 10));
        assert!(by.contains_key(&Device::Cuda(0)), "{by:?}");
        assert!(!by.contains_key(&Device::Cuda(1)), "{by:?}");
        assert!(by.contains_key(&Device::Cpu), "{by:?}");
    }

    #[test]
    fn what_follows_speech_overlaps_the_next_item() {
        // Speaking takes 40 ms an item, the follow-up 40 ms: overlapped, 8 items take about
        // 9 × 40 ms rather than 16 × 40 ms.
        let pool = workers("cuda0:ok@40ms", 1);
        let t0 = Instant::now();
        share(
            1,
            0..8,
            |w, i| pool[w].speak(job(i)).map(|_| ()),
            |r| {
                r.expect("speaks");
                std::thread::sleep(Duration::from_millis(40));
            },
        );
        let took = t0.elapsed();
        assert!(took < Duration::from_millis(560), "{took:?}");
    }
}
