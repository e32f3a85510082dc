//! The workers of one speech engine: one per device plan (one per GPU), started side by side,
//! sharing one session factory and one [`CpuGate`].
//!
//! A crew is what is expensive about an engine (every worker's session), so it is shared: any
//! number of [`super::Speaker`]s, one per voice and speed, speak through the same crew, and a
//! library run loads each device's session once. Workers may also join a crew that is already
//! speaking (a GPU that another run held when this one started, and has since freed), so the
//! list only grows, and a worker's number stays its own for the crew's life.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::Context;

use super::backend::{Backend, BackendFactory, Device};
use super::fake::FakeFactory;
use super::ort::OrtFactory;
use super::settings::{EngineSettings, Runtime, SessionKey};
use super::worker::{CpuGate, Started, Worker};

/// Whichever factory the settings name; cloned for each worker.
#[derive(Clone)]
enum AnyFactory {
    Ort(OrtFactory),
    Fake(FakeFactory),
}

impl BackendFactory for AnyFactory {
    fn build(&mut self, device: Device) -> anyhow::Result<Box<dyn Backend>> {
        match self {
            AnyFactory::Ort(f) => f.build(device),
            AnyFactory::Fake(f) => f.build(device),
        }
    }
}

/// The workers, in the order they started (a late joiner comes last).
pub struct Crew {
    key: SessionKey,
    /// Cloned for each worker; behind a lock only so the crew can be shared between threads.
    factory: Mutex<AnyFactory>,
    gate: CpuGate,
    workers: RwLock<Vec<Arc<Worker>>>,
}

impl Crew {
    /// Starts one worker per plan, side by side. Workers that cannot start at all are warned
    /// about and left out; it is an error, carrying every start's reason, only when none
    /// starts. No plan at all means one worker on the CPU.
    pub fn start(settings: &EngineSettings, plans: &[Vec<Device>]) -> anyhow::Result<Crew> {
        let factory = match &settings.runtime {
            Runtime::Ort(options) => AnyFactory::Ort(OrtFactory::new(options.clone())),
            Runtime::Fake(spec) => AnyFactory::Fake(FakeFactory::parse(spec)?),
        };
        let plans: Vec<Vec<Device>> = if plans.is_empty() {
            vec![vec![Device::Cpu]]
        } else {
            plans.to_vec()
        };
        let gate = CpuGate::default();
        let mut workers = Vec::new();
        let mut errors = Vec::new();
        for worker in start_all(&factory, plans, &gate) {
            match worker {
                Ok(worker) => workers.push(Arc::new(worker)),
                Err(e) => errors.push(e),
            }
        }
        if workers.is_empty() {
            let mut errors = errors.into_iter();
            let first = errors
                .next()
                .unwrap_or_else(|| anyhow::anyhow!("no worker started"));
            return Err(errors.fold(first, |acc, e| acc.context(format!("{e:#}"))));
        }
        for e in errors {
            tracing::warn!("one worker is left out: {e:#}");
        }
        Ok(Crew {
            key: settings.session_key(),
            factory: Mutex::new(factory),
            gate,
            workers: RwLock::new(workers),
        })
    }

    /// What the crew's sessions were built from.
    pub fn key(&self) -> &SessionKey {
        &self.key
    }

    /// Starts one more worker on `plan` (waiting while it builds its session) and returns its
    /// number. It takes turns on the CPU with the others, as the first ones do.
    pub fn join(&self, plan: Vec<Device>) -> anyhow::Result<usize> {
        let factory = self
            .factory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let first = plan.first().copied().unwrap_or(Device::Cpu);
        let worker = Worker::start_gated(factory, plan, self.gate.clone())
            .with_context(|| format!("cannot start the speech engine on the {first}"))?;
        let mut workers = self.workers.write().unwrap_or_else(|e| e.into_inner());
        workers.push(Arc::new(worker));
        Ok(workers.len() - 1)
    }

    /// Worker `n` (0 to [`Crew::len`] − 1).
    pub fn worker(&self, n: usize) -> anyhow::Result<Arc<Worker>> {
        self.workers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(n)
            .cloned()
            .with_context(|| format!("no worker {n}. This is a bug"))
    }

    /// How many workers there are now.
    pub fn len(&self) -> usize {
        self.workers.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// What each worker reported when its first session was up, in order.
    pub fn started(&self) -> Vec<Started> {
        self.workers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|w| w.started().clone())
            .collect()
    }

    /// The longest any worker took to load its session (they load side by side).
    pub fn load_time(&self) -> Duration {
        self.started()
            .iter()
            .map(|s| s.load_time)
            .max()
            .unwrap_or_default()
    }
}

/// Starts one worker per plan, side by side, each with its own clone of the factory.
fn start_all(
    factory: &AnyFactory,
    plans: Vec<Vec<Device>>,
    gate: &CpuGate,
) -> Vec<anyhow::Result<Worker>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = plans
            .into_iter()
            .map(|plan| {
                let (factory, gate) = (factory.clone(), gate.clone());
                scope.spawn(move || {
                    let first = plan.first().copied().unwrap_or(Device::Cpu);
                    Worker::start_gated(factory, plan, gate)
                        .with_context(|| format!("cannot start the speech engine on the {first}"))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(anyhow::anyhow!("a worker's start panicked. This is a bug"))
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::stages::synthesize::settings::G2pKind;
    use crate::stages::synthesize::voice::VoiceSpec;

    fn settings(spec: &str, plans: Vec<Vec<Device>>) -> EngineSettings {
        EngineSettings {
            voice: VoiceSpec::parse("af_heart").unwrap(),
            speed: 1.0,
            lang: Lang::EnUs,
            g2p: G2pKind::Misaki,
            device_plans: plans.clone(),
            vocab: "vocab.json".into(),
            dictionaries: ".".into(),
            voices: "voices".into(),
            runtime: Runtime::Fake(spec.into()),
        }
    }

    #[test]
    fn a_late_worker_joins_with_the_next_number() {
        let plans = vec![vec![Device::Cuda(1), Device::Cpu]];
        let crew = Crew::start(&settings("cuda0:ok,cuda1:ok", plans.clone()), &plans).unwrap();
        assert_eq!(crew.len(), 1);
        let n = crew.join(vec![Device::Cuda(0), Device::Cpu]).unwrap();
        assert_eq!(n, 1);
        assert_eq!(crew.len(), 2);
        let devices: Vec<Device> = crew.started().iter().map(|s| s.device).collect();
        assert_eq!(devices, vec![Device::Cuda(1), Device::Cuda(0)]);
        assert!(crew.worker(2).is_err());
    }

    #[test]
    fn the_key_ignores_voice_speed_and_language_but_not_devices_or_model() {
        let plans = vec![vec![Device::Cuda(0), Device::Cpu]];
        let a = settings("cuda:ok", plans.clone());
        let mut b = a.clone();
        b.voice = VoiceSpec::parse("ef_dora").unwrap();
        b.speed = 1.3;
        b.lang = Lang::Es;
        assert_eq!(a.session_key(), b.session_key());
        let mut c = a.clone();
        c.device_plans = vec![vec![Device::Cpu]];
        assert_ne!(a.session_key(), c.session_key());
        let d = settings("cuda:nan", plans);
        assert_ne!(a.session_key(), d.session_key());
    }
}
