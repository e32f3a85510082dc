//! Sharing work among several workers (one per GPU): each item goes to whichever worker is
//! free, and the results come back to the caller's thread as they finish.
//!
//! Each worker gets one driver thread that takes the next item from a shared queue and
//! speaks it start to finish, so a worker never has two items at once and a fast GPU simply
//! comes back for more sooner than a slow one. The caller's thread does whatever follows
//! speech (assembling a chapter's WAV) while the drivers have already moved on to the next
//! item: that is what keeps the GPUs busy. The order results arrive in is the order they
//! finish; callers that need the book's order put them back by index.
//!
//! Workers may join while items remain: the caller's thread asks for
//! them after each result and every [`JOIN_EVERY`] while it waits, never spinning, and each
//! one that comes gets a driver of its own, which starts the worker and then takes items as
//! the others do.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long the caller's thread waits for a result before it asks for late workers again.
pub const JOIN_EVERY: Duration = Duration::from_secs(2);

/// Whether finished chapters are assembled while the workers speak the next ones (`[speech]
/// overlap`, `--no-overlap`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Overlap {
    /// Every worker speaks, each chapter is assembled on the caller's thread while they go
    /// on, and GPUs freed during the run join in.
    #[default]
    On,
    /// One chapter after another on the caller's thread, spoken on the first worker and then
    /// assembled: the order before the overlap existed, kept for measuring what it gains.
    Off,
}

impl Overlap {
    /// The driver threads [`share`] is given for `workers` workers: none (everything on the
    /// caller's thread) when the overlap is off.
    pub fn drivers(self, workers: usize) -> usize {
        match self {
            Overlap::On => workers,
            Overlap::Off => 0,
        }
    }
}

/// Runs `speak(worker, item)` for every item, on `workers` driver threads (worker `w`'s items
/// one after another), and hands each result to `done` on the calling thread as it comes.
/// With no worker at all, everything runs on the calling thread, worker 0.
///
/// Workers may join while items remain: `recruit` is called on the calling thread after each
/// result and at least every [`JOIN_EVERY`] while it waits, and each starter it returns runs
/// on a new driver thread, giving that driver its worker's number (or `None` when the worker
/// could not start, and the driver ends).
pub fn share<I: Send, R: Send, J: FnOnce() -> Option<usize> + Send>(
    workers: usize,
    items: impl IntoIterator<Item = I>,
    speak: impl Fn(usize, I) -> R + Sync,
    mut recruit: impl FnMut() -> Vec<J>,
    mut done: impl FnMut(R),
) {
    let queue = Mutex::new(items.into_iter().collect::<VecDeque<I>>());
    let take = || queue.lock().ok().and_then(|mut q| q.pop_front());
    if workers == 0 {
        while let Some(item) = take() {
            done(speak(0, item));
        }
        return;
    }
    let total = queue.lock().map(|q| q.len()).unwrap_or(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<R>();
        let (take, speak) = (&take, &speak);
        // The guard is dropped before speaking, so others can take items.
        let drive = move |worker: usize, tx: mpsc::Sender<R>| {
            while let Some(item) = take() {
                if tx.send(speak(worker, item)).is_err() {
                    break;
                }
            }
        };
        let mut drivers: Vec<_> = (0..workers)
            .map(|worker| {
                let tx = tx.clone();
                spawn_driver(scope, worker, move || drive(worker, tx))
            })
            .collect();
        let mut received = 0;
        while received < total {
            match rx.recv_timeout(JOIN_EVERY) {
                Ok(result) => {
                    received += 1;
                    done(result);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if queue.lock().is_ok_and(|q| !q.is_empty()) {
                for start in recruit() {
                    let tx = tx.clone();
                    drivers.push(spawn_driver(scope, drivers.len(), move || {
                        if let Some(worker) = start() {
                            drive(worker, tx);
                        }
                    }));
                }
            }
            if drivers.iter().all(|d| d.is_finished()) {
                // Every driver is gone (every item is back, or one panicked, which the
                // scope reports): take what is left rather than wait for what cannot come.
                while let Ok(result) = rx.try_recv() {
                    done(result);
                }
                break;
            }
        }
    });
}

/// Spawns driver thread `n` in `scope`.
fn spawn_driver<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    n: usize,
    body: impl FnOnce() + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, ()> {
    std::thread::Builder::new()
        .name(format!("bookvoice-driver-{n}"))
        .spawn_scoped(scope, body)
        .expect("spawning a driver thread failed. This is a bug or the system is out of resources")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::backend::Device;
    use crate::stages::synthesize::fake::FakeFactory;
    use crate::stages::synthesize::worker::{CpuGate, Job, Worker};
    use std::collections::BTreeMap;
    use std::time::{Duration, Instant};

    /// [`share`] with no worker joining.
    fn share_fixed<I: Send, R: Send>(
        workers: usize,
        items: impl IntoIterator<Item = I>,
        speak: impl Fn(usize, I) -> R + Sync,
        done: impl FnMut(R),
    ) {
        share(
            workers,
            items,
            speak,
            Vec::<fn() -> Option<usize>>::new,
            done,
        );
    }

    fn job(i: usize) -> Job {
        Job {
            ids: vec![50; 20],
            style: vec![0.0; 256],
            speed: 1.0,
            text: format!("chapter {i}"),
            joins: Vec::new(),
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
        share_fixed(
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
        share_fixed(
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
    fn a_worker_that_joins_midway_takes_items_and_none_is_lost() {
        let mut asked = 0;
        let mut seen = Vec::new();
        share(
            1,
            0..20,
            |w, i| {
                std::thread::sleep(Duration::from_millis(10));
                (i, w)
            },
            || {
                asked += 1;
                // One worker comes free once the first result is in; it is number 1.
                if asked == 1 { vec![|| Some(1)] } else { vec![] }
            },
            |r| seen.push(r),
        );
        let mut items: Vec<usize> = seen.iter().map(|(i, _)| *i).collect();
        items.sort();
        assert_eq!(items, (0..20).collect::<Vec<_>>());
        let late = seen.iter().filter(|(_, w)| *w == 1).count();
        assert!(late >= 1, "{seen:?}");
        assert!(seen.iter().take(1).all(|(_, w)| *w == 0), "{seen:?}");
    }

    #[test]
    fn a_worker_that_cannot_start_costs_nothing() {
        let mut seen = Vec::new();
        share(2, 0..10, |w, i| (i, w), || vec![|| None], |r| seen.push(r));
        assert_eq!(seen.len(), 10);
        assert!(seen.iter().all(|(_, w)| *w < 2), "{seen:?}");
    }

    #[test]
    fn with_the_overlap_off_everything_runs_on_the_callers_thread() {
        assert_eq!(Overlap::Off.drivers(3), 0);
        assert_eq!(Overlap::On.drivers(3), 3);
        let caller = std::thread::current().id();
        let mut same = true;
        share_fixed(
            Overlap::Off.drivers(2),
            0..4,
            |w, _| (w, std::thread::current().id()),
            |(w, id)| same &= w == 0 && id == caller,
        );
        assert!(same);
    }

    #[test]
    fn each_worker_speaks_one_item_at_a_time() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let busy: Vec<AtomicUsize> = (0..2).map(|_| AtomicUsize::new(0)).collect();
        let most = AtomicUsize::new(0);
        share_fixed(
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
        // Each item takes a little while, so that on a loaded machine the first worker cannot
        // take every item before the second has started.
        let pool = workers("cuda0:ok@10ms,cuda1:nan@10ms,cpu:ok@10ms", 2);
        let by = tally(&run(&pool, 20));
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
        share_fixed(
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
