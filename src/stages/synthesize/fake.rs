//! A scripted stand-in for the model, so the worker's recovery can be tested without a GPU.
//!
//! A spec such as `cuda:nan,cpu:ok` says how sessions on each device behave: `ok` speaks a
//! tone of plausible length, `slow` does so after 150 ms (for kill-and-resume tests), `fail-start` cannot be built, `error` fails every run, `nan` and
//! `silent` return bad audio, `leak` speaks like `ok` but keeps 4 MB more each time (for the
//! soak test's own test), `untimed` speaks like `ok` without reporting durations. A `-once` suffix limits the misbehaviour to the first session
//! built on that device, which is how "a fresh session fixes it" is exercised. Devices the spec
//! does not name behave as `ok`. Reached from the binary through the hidden `--fake-engine`.
//!
//! Like the real graph, a fake session reports the frames it gave each input position: three
//! per phoneme id and per pad at speed 1 (75 ms), so the audio is exactly those frames long and
//! a test can cut merged calls apart where the durations say.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail};

use super::SAMPLE_RATE;
use super::backend::{Backend, BackendFactory, Device, FRAME_SAMPLES, Speech, Utterance};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Ok,
    Slow,
    FailStart,
    Error,
    Nan,
    Silent,
    Leak,
    /// Speaks like `ok` but reports no durations, as an upstream model file.
    Untimed,
}

impl Behaviour {
    /// Parses `nan` or `nan-once`; the flag says whether only the first session misbehaves.
    pub fn parse(s: &str) -> anyhow::Result<(Behaviour, bool)> {
        let (name, once) = match s.strip_suffix("-once") {
            Some(name) => (name, true),
            None => (s, false),
        };
        let behaviour = match name {
            "ok" => Behaviour::Ok,
            "slow" => Behaviour::Slow,
            "fail-start" => Behaviour::FailStart,
            "error" => Behaviour::Error,
            "nan" => Behaviour::Nan,
            "silent" => Behaviour::Silent,
            "leak" => Behaviour::Leak,
            "untimed" => Behaviour::Untimed,
            other => bail!(
                "unknown fake behaviour `{other}` (ok, slow, fail-start, error, nan, silent, leak, untimed, with optional -once)"
            ),
        };
        Ok((behaviour, once))
    }
}

/// How many sessions were built per device; shared so tests can look after the worker is gone.
#[derive(Debug, Clone, Default)]
pub struct BuildCounts(Arc<Mutex<HashMap<Device, usize>>>);

impl BuildCounts {
    #[cfg(test)]
    pub fn get(&self, device: Device) -> usize {
        self.0
            .lock()
            .map(|m| m.get(&device).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    fn bump(&self, device: Device) -> usize {
        let mut map = self
            .0
            .lock()
            .expect("fake build counter poisoned. This is a bug");
        let n = map.entry(device).or_insert(0);
        *n += 1;
        *n
    }
}

pub struct FakeFactory {
    script: HashMap<Device, (Behaviour, bool)>,
    builds: BuildCounts,
}

impl FakeFactory {
    pub fn parse(spec: &str) -> anyhow::Result<FakeFactory> {
        let mut script = HashMap::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (device, behaviour) = part
                .split_once(':')
                .ok_or_else(|| anyhow!("fake engine spec `{part}` is not DEVICE:BEHAVIOUR"))?;
            let device = match device {
                "cpu" => Device::Cpu,
                "cuda" => Device::Cuda,
                "coreml" => Device::CoreMl,
                "directml" => Device::DirectMl,
                other => bail!("unknown device `{other}` in fake engine spec"),
            };
            script.insert(device, Behaviour::parse(behaviour)?);
        }
        Ok(FakeFactory {
            script,
            builds: BuildCounts::default(),
        })
    }

    #[cfg(test)]
    pub fn builds(&self) -> BuildCounts {
        self.builds.clone()
    }
}

impl BackendFactory for FakeFactory {
    fn build(&mut self, device: Device) -> anyhow::Result<Box<dyn Backend>> {
        let nth = self.builds.bump(device);
        let (scripted, once) = self
            .script
            .get(&device)
            .copied()
            .unwrap_or((Behaviour::Ok, false));
        let behaviour = if once && nth > 1 {
            Behaviour::Ok
        } else {
            scripted
        };
        if behaviour == Behaviour::FailStart {
            bail!("the fake {device} provider refused to register");
        }
        Ok(Box::new(FakeSession {
            device,
            behaviour,
            kept: Vec::new(),
        }))
    }
}

struct FakeSession {
    device: Device,
    behaviour: Behaviour,
    /// What `leak` holds on to.
    kept: Vec<Vec<u8>>,
}

impl Backend for FakeSession {
    fn device(&self) -> Device {
        self.device
    }

    fn reports_durations(&self) -> bool {
        self.behaviour != Behaviour::Untimed
    }

    fn infer(&mut self, u: Utterance<'_>) -> anyhow::Result<Speech> {
        let frames = ((FAKE_FRAMES_PER_ID / u.speed.max(0.1)).round() as u32).max(1);
        let durations = vec![frames; u.ids.len() + 2];
        let n = durations.iter().sum::<u32>() as usize * FRAME_SAMPLES;
        if self.behaviour == Behaviour::Slow {
            std::thread::sleep(std::time::Duration::from_millis(150));
        }
        if self.behaviour == Behaviour::Leak {
            // Written, so the pages are resident rather than merely reserved.
            self.kept.push(vec![1; 4 << 20]);
        }
        let samples = match self.behaviour {
            Behaviour::Ok
            | Behaviour::Slow
            | Behaviour::FailStart
            | Behaviour::Leak
            | Behaviour::Untimed => (0..n)
                .map(|i| {
                    0.3 * (i as f32 * 2.0 * std::f32::consts::PI * 220.0 / SAMPLE_RATE as f32).sin()
                })
                .collect(),
            Behaviour::Error => bail!("the fake {} session failed to run", self.device),
            Behaviour::Nan => vec![f32::NAN; n],
            Behaviour::Silent => vec![0.0; n],
        };
        Ok(Speech {
            samples,
            durations: self.reports_durations().then_some(durations),
        })
    }
}

/// Frames per input position at speed 1: 75 ms, inside the range the audio check expects.
const FAKE_FRAMES_PER_ID: f32 = 3.0;
