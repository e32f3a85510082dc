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
//!
//! Several GPUs of different speeds: `cuda0:ok@20ms,cuda1:ok@60ms,cpu:ok`. `cudaN` (or
//! `cuda:N:…`) names one GPU, plain `cuda` every GPU the spec does not name on its own; naming
//! `cudaN` also declares that the fake machine has GPUs 0 to N (see
//! [`FakeFactory::cuda_devices`]). `@MS` (`@20ms` or `@20`) makes every call to the model take
//! that many milliseconds more, whatever the chunk's length, so a test can tell a fast device
//! from a slow one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// How sessions on one device behave: the behaviour, whether only the first session has it,
/// and the extra time each call takes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Script {
    behaviour: Behaviour,
    once: bool,
    delay: Duration,
}

/// Which device a part of the spec is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    One(Device),
    /// Plain `cuda`: every GPU not named on its own.
    AnyCuda,
}

/// Clones share the build counts, so a pool of workers counts sessions together.
#[derive(Clone)]
pub struct FakeFactory {
    script: HashMap<Target, Script>,
    builds: BuildCounts,
}

impl FakeFactory {
    pub fn parse(spec: &str) -> anyhow::Result<FakeFactory> {
        let mut script = HashMap::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (target, rest) = parse_part(part)?;
            script.insert(target, rest);
        }
        Ok(FakeFactory {
            script,
            builds: BuildCounts::default(),
        })
    }

    /// The number of GPUs the spec declares: one more than the highest `cudaN` it names, or
    /// `None` when it names no GPU by number.
    pub fn cuda_devices(spec: &str) -> anyhow::Result<Option<u32>> {
        Ok(FakeFactory::parse(spec)?
            .script
            .keys()
            .filter_map(|t| match t {
                Target::One(Device::Cuda(n)) => Some(n + 1),
                _ => None,
            })
            .max())
    }

    fn script_for(&self, device: Device) -> Script {
        let ok = Script {
            behaviour: Behaviour::Ok,
            once: false,
            delay: Duration::ZERO,
        };
        let any = match device {
            Device::Cuda(_) => self.script.get(&Target::AnyCuda),
            _ => None,
        };
        self.script
            .get(&Target::One(device))
            .or(any)
            .copied()
            .unwrap_or(ok)
    }

    #[cfg(test)]
    pub fn builds(&self) -> BuildCounts {
        self.builds.clone()
    }
}

/// One part of a spec: `cuda1:ok@60ms`, `cuda:1:ok`, `cuda:nan-once`, `cpu:slow`.
fn parse_part(part: &str) -> anyhow::Result<(Target, Script)> {
    let (device, rest) = part
        .split_once(':')
        .ok_or_else(|| anyhow!("fake engine spec `{part}` is not DEVICE:BEHAVIOUR"))?;
    // `cuda:1:ok` is `cuda1:ok`.
    let (device, rest) = match (device, rest.split_once(':')) {
        ("cuda", Some((n, rest))) if n.parse::<u32>().is_ok() => (format!("cuda{n}"), rest),
        _ => (device.to_string(), rest),
    };
    let target = match device.as_str() {
        "cpu" => Target::One(Device::Cpu),
        "cuda" => Target::AnyCuda,
        "coreml" => Target::One(Device::CoreMl),
        "directml" => Target::One(Device::DirectMl),
        other => match other.strip_prefix("cuda").map(str::parse::<u32>) {
            Some(Ok(n)) => Target::One(Device::Cuda(n)),
            _ => bail!("unknown device `{other}` in fake engine spec"),
        },
    };
    let (behaviour, delay) = match rest.split_once('@') {
        Some((behaviour, ms)) => {
            let ms = ms.trim_end_matches("ms");
            let ms: u64 = ms
                .parse()
                .map_err(|_| anyhow!("`{ms}` in fake engine spec `{part}` is not milliseconds"))?;
            (behaviour, Duration::from_millis(ms))
        }
        None => (rest, Duration::ZERO),
    };
    let (behaviour, once) = Behaviour::parse(behaviour)?;
    Ok((
        target,
        Script {
            behaviour,
            once,
            delay,
        },
    ))
}

impl BackendFactory for FakeFactory {
    fn build(&mut self, device: Device) -> anyhow::Result<Box<dyn Backend>> {
        let nth = self.builds.bump(device);
        let script = self.script_for(device);
        let behaviour = if script.once && nth > 1 {
            Behaviour::Ok
        } else {
            script.behaviour
        };
        if behaviour == Behaviour::FailStart {
            bail!("the fake {device} provider refused to register");
        }
        Ok(Box::new(FakeSession {
            device,
            behaviour,
            delay: script.delay,
            kept: Vec::new(),
        }))
    }
}

struct FakeSession {
    device: Device,
    behaviour: Behaviour,
    /// Added to every call.
    delay: Duration,
    /// What `leak` holds on to.
    kept: Vec<Vec<u8>>,
}

impl Backend for FakeSession {
    fn device(&self) -> Device {
        self.device
    }

    fn model(&self) -> String {
        "the fake engine".to_string()
    }

    fn reports_durations(&self) -> bool {
        self.behaviour != Behaviour::Untimed
    }

    fn infer(&mut self, u: Utterance<'_>) -> anyhow::Result<Speech> {
        let frames = ((FAKE_FRAMES_PER_ID / u.speed.max(0.1)).round() as u32).max(1);
        let durations = vec![frames; u.ids.len() + 2];
        let n = durations.iter().sum::<u32>() as usize * FRAME_SAMPLES;
        if self.behaviour == Behaviour::Slow {
            std::thread::sleep(Duration::from_millis(150));
        }
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_gpus_of_different_speeds_are_parsed() {
        let spec = "cuda0:ok@20ms,cuda:1:nan-once@60,cpu:ok";
        let fake = FakeFactory::parse(spec).unwrap();
        assert_eq!(
            fake.script_for(Device::Cuda(0)).delay,
            Duration::from_millis(20)
        );
        let one = fake.script_for(Device::Cuda(1));
        assert_eq!((one.behaviour, one.once), (Behaviour::Nan, true));
        assert_eq!(one.delay, Duration::from_millis(60));
        assert_eq!(FakeFactory::cuda_devices(spec).unwrap(), Some(2));
        assert_eq!(FakeFactory::cuda_devices("cuda:ok").unwrap(), None);
        assert!(FakeFactory::parse("cuda0:ok@fast").is_err());
        assert!(FakeFactory::parse("cudax:ok").is_err());
    }

    #[test]
    fn plain_cuda_covers_every_gpu_not_named() {
        let fake = FakeFactory::parse("cuda:nan,cuda1:ok").unwrap();
        assert_eq!(fake.script_for(Device::Cuda(0)).behaviour, Behaviour::Nan);
        assert_eq!(fake.script_for(Device::Cuda(3)).behaviour, Behaviour::Nan);
        assert_eq!(fake.script_for(Device::Cuda(1)).behaviour, Behaviour::Ok);
        assert_eq!(fake.script_for(Device::Cpu).behaviour, Behaviour::Ok);
    }
}
