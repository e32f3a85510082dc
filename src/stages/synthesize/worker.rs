//! The one thread that owns the inference session.
//!
//! Concurrent GPU work is what crashes drivers, so exactly one thread ever touches the model:
//! it builds the session itself, runs one chunk at a time from a bounded channel, checks every
//! chunk's audio, and answers on the job's own reply channel. Dropping the [`Worker`] closes the
//! channel and joins the thread (the shape of text-embeddings-inference's `BackendThread`).
//!
//! Recovery policy, applied per job run:
//! - an accelerator that fails to start, errors, or returns bad audio gets its session rebuilt
//!   once; the next failure moves the worker to the CPU for the rest of the run;
//! - on the CPU a bad chunk is retried once on a fresh session; a chunk that stays bad is an
//!   error naming its text, and the worker goes on with the next chunk.
//!
//! Which device really ran each chunk is logged and returned with its audio.
//!
//! Several GPUs make a pool of workers, one per GPU (see `Speaker::pool`), each as above.
//! Workers that have fallen back to the CPU share one [`CpuGate`]: each keeps its own CPU
//! session, but only one CPU inference runs at a time, so two fallen workers do not split
//! the cores between two sessions that each expect all of them. The price is one CPU
//! session's memory per fallen worker, paid only when GPUs fail.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use thiserror::Error;

use super::backend::{Backend, BackendFactory, Device, Speech, Utterance};
use super::check::check_audio;

/// Jobs waiting for the worker; small, so memory stays flat however long the book.
const QUEUE_DEPTH: usize = 2;

/// One chunk to speak.
#[derive(Debug, Clone)]
pub struct Job {
    /// Phoneme ids without the pads.
    pub ids: Vec<i64>,
    /// Style vector for this chunk's length.
    pub style: Vec<f32>,
    pub speed: f32,
    /// The chunk's text, for messages.
    pub text: String,
    /// Where a merged call's parts meet (see [`Utterance::joins`]).
    pub joins: Vec<std::ops::Range<usize>>,
}

/// Checked audio for one chunk, with the device that made it.
#[derive(Debug)]
pub struct ChunkAudio {
    pub samples: Vec<f32>,
    /// Frames per input position, pads included, when the model reports them (see
    /// [`Speech`]).
    pub durations: Option<Vec<u32>>,
    pub device: Device,
    /// Seconds spent inside the model for the attempt that succeeded.
    pub model_time: Duration,
}

#[derive(Debug, Error)]
pub enum SynthError {
    #[error("no inference session could be started ({})", describe_attempts(.attempts))]
    NoSession { attempts: Vec<(Device, String)> },
    #[error("chunk \"{}\" failed twice on the {device}: {reason}", shorten(.text))]
    BadChunk {
        text: String,
        device: Device,
        reason: String,
    },
    #[error("the synthesis worker stopped unexpectedly")]
    WorkerGone,
}

fn describe_attempts(attempts: &[(Device, String)]) -> String {
    attempts
        .iter()
        .map(|(d, e)| format!("{d}: {e}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

struct Envelope {
    job: Job,
    reply: mpsc::Sender<Result<ChunkAudio, SynthError>>,
}

/// A reply still to come.
pub struct Pending(Receiver<Result<ChunkAudio, SynthError>>);

impl Pending {
    pub fn wait(self) -> Result<ChunkAudio, SynthError> {
        self.0.recv().unwrap_or(Err(SynthError::WorkerGone))
    }
}

/// What the worker reports once its first session is up.
#[derive(Debug, Clone)]
pub struct Started {
    pub device: Device,
    pub load_time: Duration,
    /// Whether the session reports each position's duration (see [`Speech`]).
    pub durations: bool,
}

/// Held while a worker runs the model on the CPU; shared by the workers of one pool.
#[derive(Debug, Clone, Default)]
pub struct CpuGate(Arc<Mutex<()>>);

/// Handle to the synthesis thread.
pub struct Worker {
    jobs: Option<SyncSender<Envelope>>,
    thread: Option<JoinHandle<()>>,
    started: Started,
}

impl Worker {
    /// Starts the thread and waits until its first session is built, so a missing model or
    /// library fails here, before any text is prepared. `plan` lists devices in order of
    /// preference; later entries are fallbacks.
    #[cfg(test)]
    pub fn start(factory: impl BackendFactory, plan: Vec<Device>) -> Result<Worker, SynthError> {
        Worker::start_gated(factory, plan, CpuGate::default())
    }

    /// Starts the thread as `start` does, taking turns on the CPU with the other workers
    /// holding `gate` (the workers of one pool).
    pub fn start_gated(
        factory: impl BackendFactory,
        plan: Vec<Device>,
        gate: CpuGate,
    ) -> Result<Worker, SynthError> {
        let (jobs_tx, jobs_rx) = mpsc::sync_channel::<Envelope>(QUEUE_DEPTH);
        let (ready_tx, ready_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("bookvoice-synth".into())
            .spawn(move || {
                let mut state = SessionState::new(Box::new(factory), plan, gate);
                let opened = state.open();
                let ok = opened.is_ok();
                let _ = ready_tx.send(opened);
                if ok {
                    for Envelope { job, reply } in jobs_rx {
                        let _ = reply.send(state.run(&job));
                    }
                }
            })
            .expect("spawning the synthesis thread failed. This is a bug or the system is out of resources");
        let started = match ready_rx.recv() {
            Ok(Ok(started)) => started,
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(SynthError::WorkerGone);
            }
        };
        Ok(Worker {
            jobs: Some(jobs_tx),
            thread: Some(thread),
            started,
        })
    }

    pub fn started(&self) -> &Started {
        &self.started
    }

    /// Queues a job; blocks while the queue is full. The reply comes through [`Pending`].
    pub fn submit(&self, job: Job) -> Pending {
        let (reply, rx) = mpsc::channel();
        if let Some(jobs) = &self.jobs {
            // A send error means the thread is gone; the Pending then reports WorkerGone.
            let _ = jobs.send(Envelope { job, reply });
        }
        Pending(rx)
    }

    /// Speaks one job and waits for it.
    #[cfg(test)]
    pub fn speak(&self, job: Job) -> Result<ChunkAudio, SynthError> {
        self.submit(job).wait()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The session and the fallback bookkeeping; lives on the worker thread only.
struct SessionState {
    factory: Box<dyn BackendFactory>,
    plan: Vec<Device>,
    /// Index into `plan` of the device in use.
    at: usize,
    session: Option<Box<dyn Backend>>,
    /// Whether the accelerator in use has had its one rebuild.
    rebuilt: bool,
    cpu_gate: CpuGate,
}

impl SessionState {
    fn new(factory: Box<dyn BackendFactory>, plan: Vec<Device>, cpu_gate: CpuGate) -> Self {
        let plan = if plan.is_empty() {
            vec![Device::Cpu]
        } else {
            plan
        };
        SessionState {
            factory,
            plan,
            at: 0,
            session: None,
            rebuilt: false,
            cpu_gate,
        }
    }

    fn device(&self) -> Device {
        self.plan[self.at]
    }

    /// Builds a session on the current device or, failing that, on each later one in turn.
    fn open(&mut self) -> Result<Started, SynthError> {
        let mut attempts = Vec::new();
        loop {
            let device = self.device();
            let t0 = Instant::now();
            match self.factory.build(device) {
                Ok(session) => {
                    let load_time = t0.elapsed();
                    tracing::info!(
                        "inference session on the {device}: {} ({:.2} s to load)",
                        session.model(),
                        load_time.as_secs_f64()
                    );
                    let durations = session.reports_durations();
                    self.session = Some(session);
                    return Ok(Started {
                        device,
                        load_time,
                        durations,
                    });
                }
                Err(e) => {
                    let reason = format!("{e:#}");
                    tracing::warn!(
                        "could not start an inference session on the {device}: {reason}"
                    );
                    attempts.push((device, reason));
                    if !self.fall_back() {
                        return Err(SynthError::NoSession { attempts });
                    }
                }
            }
        }
    }

    /// Moves to the next device in the plan; false when there is none.
    fn fall_back(&mut self) -> bool {
        if self.at + 1 >= self.plan.len() {
            return false;
        }
        let from = self.device();
        self.at += 1;
        self.rebuilt = false;
        self.session = None;
        tracing::warn!(
            "falling back from the {from} to the {} for the rest of this run",
            self.device()
        );
        true
    }

    fn attempt(&mut self, job: &Job) -> Result<ChunkAudio, String> {
        let session = self
            .session
            .as_mut()
            .expect("the worker runs jobs only with a session. This is a bug");
        let device = session.device();
        // A poisoned gate only means another worker panicked; the turn is still ours.
        let _turn = (!device.is_accelerator())
            .then(|| self.cpu_gate.0.lock().unwrap_or_else(|e| e.into_inner()));
        let t0 = Instant::now();
        let Speech { samples, durations } = session
            .infer(Utterance {
                ids: &job.ids,
                style: &job.style,
                speed: job.speed,
                joins: &job.joins,
            })
            .map_err(|e| format!("{e:#}"))?;
        let model_time = t0.elapsed();
        check_audio(&samples, job.ids.len(), job.speed).map_err(|fault| fault.to_string())?;
        Ok(ChunkAudio {
            samples,
            durations,
            device,
            model_time,
        })
    }

    fn run(&mut self, job: &Job) -> Result<ChunkAudio, SynthError> {
        // A CPU chunk gets one retry on a fresh session; accelerator recovery is tracked in `rebuilt`.
        let mut cpu_retried = false;
        loop {
            if self.session.is_none() {
                self.open()?;
            }
            let device = self.device();
            match self.attempt(job) {
                Ok(audio) => {
                    tracing::debug!(
                        "chunk of {} ids ran on the {device} in {:.2} s",
                        job.ids.len(),
                        audio.model_time.as_secs_f64()
                    );
                    return Ok(audio);
                }
                Err(reason) => {
                    tracing::warn!(
                        "the {device} failed on \"{}\": {reason}",
                        shorten(&job.text)
                    );
                    self.session = None;
                    if device.is_accelerator() {
                        if self.rebuilt {
                            if !self.fall_back() {
                                return Err(SynthError::BadChunk {
                                    text: job.text.clone(),
                                    device,
                                    reason,
                                });
                            }
                        } else {
                            self.rebuilt = true;
                            tracing::info!("rebuilding the {device} session once");
                        }
                    } else if cpu_retried {
                        return Err(SynthError::BadChunk {
                            text: job.text.clone(),
                            device,
                            reason,
                        });
                    } else {
                        cpu_retried = true;
                        tracing::info!("retrying on a fresh {device} session");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::fake::{Behaviour, FakeFactory};

    fn job(text: &str) -> Job {
        Job {
            ids: vec![50; 20],
            style: vec![0.0; 256],
            speed: 1.0,
            text: text.into(),
            joins: Vec::new(),
        }
    }

    fn factory(spec: &str) -> FakeFactory {
        FakeFactory::parse(spec).expect("valid fake spec")
    }

    #[test]
    fn healthy_accelerator_runs_every_chunk() {
        let worker = Worker::start(factory("cuda:ok"), vec![Device::Cuda(0), Device::Cpu]).unwrap();
        assert_eq!(worker.started().device, Device::Cuda(0));
        for i in 0..3 {
            assert_eq!(
                worker.speak(job(&format!("chunk {i}"))).unwrap().device,
                Device::Cuda(0)
            );
        }
    }

    #[test]
    fn accelerator_that_cannot_start_falls_back_to_cpu() {
        let worker = Worker::start(
            factory("cuda:fail-start,cpu:ok"),
            vec![Device::Cuda(0), Device::Cpu],
        )
        .unwrap();
        assert_eq!(worker.started().device, Device::Cpu);
        assert_eq!(worker.speak(job("hello")).unwrap().device, Device::Cpu);
    }

    #[test]
    fn accelerator_returning_nan_is_rebuilt_once_then_abandoned() {
        let fake = factory("cuda:nan,cpu:ok");
        let builds = fake.builds();
        let worker = Worker::start(fake, vec![Device::Cuda(0), Device::Cpu]).unwrap();
        let audio = worker.speak(job("first")).unwrap();
        assert_eq!(audio.device, Device::Cpu);
        assert!(audio.samples.iter().all(|s| s.is_finite()));
        // Later chunks stay on the CPU without touching the accelerator again.
        assert_eq!(worker.speak(job("second")).unwrap().device, Device::Cpu);
        drop(worker);
        assert_eq!(builds.get(Device::Cuda(0)), 2, "one start plus one rebuild");
        assert_eq!(builds.get(Device::Cpu), 1);
    }

    #[test]
    fn accelerator_that_recovers_after_rebuild_is_kept() {
        let worker = Worker::start(
            factory("cuda:error-once"),
            vec![Device::Cuda(0), Device::Cpu],
        )
        .unwrap();
        assert_eq!(worker.speak(job("a")).unwrap().device, Device::Cuda(0));
        assert_eq!(worker.speak(job("b")).unwrap().device, Device::Cuda(0));
    }

    #[test]
    fn silent_cpu_session_is_retried_on_a_fresh_one() {
        let worker = Worker::start(factory("cpu:silent-once"), vec![Device::Cpu]).unwrap();
        let audio = worker.speak(job("quiet at first")).unwrap();
        assert_eq!(audio.device, Device::Cpu);
        assert!(check_audio(&audio.samples, 20, 1.0).is_ok());
    }

    #[test]
    fn chunk_that_stays_bad_is_an_error_naming_its_text() {
        let worker = Worker::start(factory("cpu:silent"), vec![Device::Cpu]).unwrap();
        let err = worker.speak(job("The whale surfaced.")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("The whale surfaced."), "{msg}");
        assert!(msg.contains("silent"), "{msg}");
        // The worker survives and reports the same for the next chunk rather than hanging.
        assert!(worker.speak(job("next")).is_err());
    }

    #[test]
    fn no_device_at_all_is_reported_with_every_attempt() {
        let err = Worker::start(
            factory("cuda:fail-start,cpu:fail-start"),
            vec![Device::Cuda(0), Device::Cpu],
        )
        .err()
        .expect("must fail");
        let msg = err.to_string();
        assert!(msg.contains("cuda:") && msg.contains("cpu:"), "{msg}");
    }

    #[test]
    fn behaviour_is_parsed() {
        assert!(FakeFactory::parse("gpu:ok").is_err());
        assert!(FakeFactory::parse("cpu:explode").is_err());
        assert_eq!(
            Behaviour::parse("nan-once").unwrap(),
            (Behaviour::Nan, true)
        );
    }
}
