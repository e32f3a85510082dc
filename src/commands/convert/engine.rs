//! The speech engine of a convert run: the device locks it holds, the workers it started on
//! them, and the GPUs it is still waiting for.
//!
//! At the start the run takes the speech locks of as many of its devices as are free (waiting
//! only while none is) and starts one worker on each. A GPU whose lock another bookvoice held
//! then is not given up: [`RunEngine::freed`] tries its lock again whenever it is asked (after
//! each chapter and every few seconds, by `pool::share`), and once the lock is taken a
//! worker starts on it and joins the others. Every lock is held until the engine is dropped at
//! the end of the run, so two runs never speak on one device.

use std::sync::Mutex;

use crate::stages::synthesize::backend::Device;
use crate::stages::synthesize::{EngineSettings, Speaker};
use crate::workdir::lock::Lock;

/// The workers, their locks, and the device plans still waiting for theirs.
pub struct RunEngine {
    speaker: Speaker,
    /// Locks taken after the start, kept for the engine's life.
    late_locks: Mutex<Vec<(Device, Lock)>>,
    /// Plans whose first device's lock another run held, in the settings' order.
    waiting: Mutex<Vec<Vec<Device>>>,
    _locks: Vec<(Device, Lock)>,
}

impl RunEngine {
    /// Takes the speech locks of as many of the planned devices as are free (waiting while
    /// none is) and starts one worker on each: every visible GPU with `--device cuda`, one
    /// otherwise. The voice is the one `settings` name; books bring their own
    /// ([`Speaker::with_voice`]).
    pub fn start(settings: &EngineSettings) -> anyhow::Result<RunEngine> {
        let first: Vec<Device> = settings
            .device_plans
            .iter()
            .filter_map(|plan| plan.first().copied())
            .collect();
        let locks = Lock::speech_any(&first)?;
        let held = |plan: &Vec<Device>| {
            plan.first()
                .is_some_and(|d| locks.iter().any(|(held, _)| held == d))
        };
        let (plans, waiting): (Vec<Vec<Device>>, Vec<Vec<Device>>) = settings
            .device_plans
            .iter()
            .cloned()
            .partition(|plan| held(plan));
        let speaker = Speaker::pool(settings, &plans)?;
        if speaker.workers() > 1 {
            let devices: Vec<String> = speaker.devices().iter().map(|d| d.to_string()).collect();
            tracing::info!(
                "speaking on {} devices at once: {}",
                speaker.workers(),
                devices.join(", ")
            );
        }
        Ok(RunEngine {
            speaker,
            late_locks: Mutex::new(Vec::new()),
            waiting: Mutex::new(waiting),
            _locks: locks,
        })
    }

    /// The engine's speaker, in the voice it was started with.
    pub fn speaker(&self) -> &Speaker {
        &self.speaker
    }

    /// The plans of the waiting devices whose lock came free since the last look, their locks
    /// taken and kept. Never waits. A lock that cannot even be tried (the file cannot be
    /// opened) is warned about and its device given up.
    pub fn freed(&self) -> Vec<Vec<Device>> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let mut freed = Vec::new();
        waiting.retain(|plan| {
            let Some(&device) = plan.first() else {
                return false;
            };
            match Lock::speech_try(device) {
                Ok(Some(lock)) => {
                    tracing::info!("{device} came free; a worker starts on it");
                    self.late_locks
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((device, lock));
                    freed.push(plan.clone());
                    false
                }
                Ok(None) => true,
                Err(e) => {
                    tracing::warn!("{device} is given up for this run: {e:#}");
                    false
                }
            }
        });
        freed
    }

    /// Starts a worker on a freed plan and returns its number; `None`, with a warning, when it
    /// cannot start (the others go on without it).
    pub fn join(&self, plan: Vec<Device>) -> Option<usize> {
        let first = plan.first().copied();
        match self.speaker.join(plan) {
            Ok(worker) => {
                let device = self.speaker.devices().get(worker).copied();
                if let Some(device) = device {
                    tracing::info!(
                        "speaking on {} devices at once: {device} joined",
                        self.speaker.workers()
                    );
                }
                Some(worker)
            }
            Err(e) => {
                tracing::warn!("a freed device is left out: {e:#}");
                // Its lock goes back, for a run that can use it.
                self.late_locks
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .retain(|(device, _)| Some(*device) != first);
                None
            }
        }
    }
}
