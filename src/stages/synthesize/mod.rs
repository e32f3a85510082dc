//! The synthesize stage: text in, checked 24 kHz audio out, one chunk at a time.
//!
//! A [`Planner`] turns text into chunks of phoneme ids; a [`Speaker`] is a voice on the
//! [`worker::Worker`]s of a [`crew::Crew`], each of which owns an inference session and speaks
//! one chunk at a time while the caller writes the last chunk's audio. They are separate because each is big (the G2P's
//! lexicons and tagger about 100 MB, the model's session several hundred): a book is planned
//! first and its planner dropped before the model is loaded, so the two never share the peak.
//! For a passage, [`Speaker::speak`] runs the planner on a helper thread a few chunks ahead.
//!
//! Memory stays flat whatever the length of the text: at most a handful of chunks are in
//! flight, and the session's working memory, which grows with the audio one model run makes,
//! is bounded by the chunk length ([`CHUNK_MAX_IDS`]) and, for calls that merge chunks, by the
//! decoding window of the CPU's split graph (`ort::DECODE_MAX_FRAMES`).

pub mod backend;
pub mod chapter;
pub mod check;
pub mod chinese;
pub mod chunk;
pub mod crew;
pub mod espeak;
pub mod fake;
pub mod japanese;
pub mod merge;
pub mod ort;
pub mod phonemes;
pub mod pool;
pub mod settings;
pub mod vocab;
pub mod voice;
pub mod worker;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use backend::Device;
use chunk::{Chunk, chunk_tokens};
use crew::Crew;
use phonemes::Phonemizer;
use phonemes::Token;
pub use settings::{EngineIdentity, EngineSettings, G2pKind, Runtime, SessionKey};
use vocab::Vocab;
use voice::{VoicePack, VoiceStore};
use worker::{ChunkAudio, Job, Pending, Started};

/// Kokoro's output rate.
pub const SAMPLE_RATE: u32 = 24_000;

/// Every WAV bookvoice writes: Kokoro's rate, mono, 16-bit.
pub const WAV_SPEC: hound::WavSpec = hound::WavSpec {
    channels: 1,
    sample_rate: SAMPLE_RATE,
    bits_per_sample: 16,
    sample_format: hound::SampleFormat::Int,
};

/// The most phoneme ids in one chunk at speed 1 (the model itself takes 510). ONNX Runtime's
/// working memory on the CPU grows with the audio one model run makes, about 25 MB per second
/// of speech: 150 ids (about 11 s) keep a whole book's conversion near 420 MB, where 510 ids
/// needed about 960 MB. Chunks are cut at sentence, then clause boundaries, and the same
/// chunking on every device keeps stored chunks reusable; calls then merge them up to
/// [`CALL_MAX_IDS`].
pub const CHUNK_MAX_IDS: usize = 150;
/// Sentences are packed into one chunk up to about this many ids.
pub const CHUNK_TARGET_IDS: usize = 120;
/// Consecutive chunks (verse lines, short paragraphs, headings, the sentences of a chapter)
/// are spoken in one call up to this many ids and cut apart by the model's durations (see
/// `merge.rs`): the most the model takes, as kokoro-onnx gives it. The model then reads each
/// line with the lines around it; read in calls of at most 150 ids, Whisper lost about a
/// third more of The Waste Land's English words (BENCHMARKS.md). On the CPU the call's audio
/// is decoded a few seconds at a time ([`ort::DECODE_MAX_FRAMES`]), so memory stays that of a
/// short chunk.
pub const CALL_MAX_IDS: usize = chunk::MAX_IDS;
/// Calls are kept to one chunk's length where the model runs whole on the CPU (a model file
/// named with `--model`, or one without the split pieces): its memory grows with the call.
pub const WHOLE_CALL_MAX_IDS: usize = CHUNK_MAX_IDS;

/// [`CALL_MAX_IDS`] (or [`WHOLE_CALL_MAX_IDS`] where the CPU cannot decode in windows), or
/// `BOOKVOICE_CALL_MAX_IDS` where set: a knob for measuring what merging gains (0 speaks every
/// chunk in a call of its own, as before merging existed).
fn call_max_ids(windowed: bool) -> usize {
    let default = if windowed {
        CALL_MAX_IDS
    } else {
        WHOLE_CALL_MAX_IDS
    };
    std::env::var("BOOKVOICE_CALL_MAX_IDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
        .min(chunk::MAX_IDS)
}

/// Chunks the phonemizer may prepare ahead of the worker.
const LOOKAHEAD: usize = 4;
/// Jobs handed to the worker before the oldest reply is collected.
const IN_FLIGHT: usize = 2;

/// One chunk's audio, in order, with where it sits in the text.
pub struct SpokenChunk {
    pub paragraph: usize,
    pub first_in_paragraph: bool,
    pub audio: ChunkAudio,
}

/// What a `speak` call did.
#[derive(Debug, Default, Clone)]
pub struct SpeechStats {
    /// Chunks spoken (the parts of a merged call each count).
    pub chunks: usize,
    /// Calls to the model.
    pub calls: usize,
    /// Characters of text spoken.
    pub chars: usize,
    pub ids: usize,
    pub samples: usize,
    /// Time spent inside the model, summed over chunks.
    pub model_time: Duration,
    pub chunks_by_device: BTreeMap<Device, usize>,
}

impl SpeechStats {
    pub fn audio_secs(&self) -> f64 {
        self.samples as f64 / SAMPLE_RATE as f64
    }

    /// "cuda:0" or "cuda:0 (3 chunks), cpu (9 chunks)".
    pub fn devices(&self) -> String {
        if self.chunks_by_device.len() == 1 {
            return self
                .chunks_by_device
                .keys()
                .next()
                .map(|d| d.to_string())
                .unwrap_or_default();
        }
        self.chunks_by_device
            .iter()
            .map(|(d, n)| format!("{d} ({n} chunks)"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A chunk handed to the worker, waiting for its audio.
struct InFlight<T> {
    tag: T,
    chars: usize,
    ids: usize,
    pending: Pending,
}

/// Text to chunks of phoneme ids: the phonemizer and the model's vocabulary.
///
/// No symbol outside the vocabulary reaches the model: each one met is counted, and the
/// counts are logged when the planner is dropped (none are expected; a count means a mapping
/// in `espeak.rs` is missing).
pub struct Planner {
    phonemizer: Phonemizer,
    vocab: Vocab,
    target_ids: usize,
    max_ids: usize,
    call_max_ids: usize,
    /// Ids of the punctuation that already closes a phrase, so no comma is added after it.
    phrase_ends: Vec<i64>,
    /// Symbols dropped because the vocabulary lacks them, with how often and one example.
    dropped: Mutex<BTreeMap<char, (usize, String)>>,
}

impl Planner {
    pub fn new(settings: &EngineSettings) -> anyhow::Result<Planner> {
        // Slower speech makes more audio per id, so chunks shrink with the speed.
        let scale = |ids: usize| ((ids as f32 * settings.speed.min(1.0)).round() as usize).max(1);
        let vocab = Vocab::load(&settings.vocab)?;
        let phrase_ends = ".,;:!?…—\"”)".chars().filter_map(|c| vocab.id(c)).collect();
        Ok(Planner {
            vocab,
            phrase_ends,
            phonemizer: Phonemizer::new(settings.lang, settings.g2p)
                .with_dictionaries(settings.dictionaries.clone()),
            target_ids: scale(CHUNK_TARGET_IDS),
            max_ids: scale(CHUNK_MAX_IDS),
            call_max_ids: scale(call_max_ids(settings.decodes_in_windows())),
            dropped: Mutex::new(BTreeMap::new()),
        })
    }

    /// Names `label` (a book's file name) at the start of each warning, so a library run
    /// says which book a word or passage is in.
    pub fn with_label(mut self, label: &str) -> Planner {
        self.phonemizer.set_label(label);
        self
    }

    /// The chunks one paragraph becomes.
    pub fn plan(&self, paragraph: &str) -> anyhow::Result<Vec<Chunk>> {
        Ok(self.plan_many(&[paragraph])?.pop().unwrap_or_default())
    }

    /// The chunks each of many paragraphs becomes (a chapter's, phonemized together).
    pub fn plan_many(&self, paragraphs: &[&str]) -> anyhow::Result<Vec<Vec<Chunk>>> {
        let tokens = self.phonemizer.tokens_many(paragraphs)?;
        Ok(tokens
            .into_iter()
            .map(|mut tokens| {
                self.keep_known(&mut tokens);
                let chunks = chunk_tokens(&tokens, &self.vocab, self.target_ids, self.max_ids);
                for chunk in &chunks {
                    tracing::trace!("chunk {:?} = /{}/", chunk.text, chunk.phonemes);
                }
                chunks
            })
            .collect())
    }

    /// The most ids consecutive chunks are spoken together in (see `merge.rs`); zero when the
    /// vocabulary lacks the separators, so every chunk is a call of its own.
    pub fn call_max_ids(&self) -> usize {
        if self.call_max_ids > 1 && self.separators().is_some() {
            self.call_max_ids
        } else {
            0
        }
    }

    /// Joins chunks' ids into one call (see [`merge::join`]); `None` when the vocabulary
    /// lacks the space or the comma.
    pub fn join(
        &self,
        parts: &[merge::JoinPart],
    ) -> Option<(Vec<i64>, Vec<std::ops::Range<usize>>)> {
        let sep = self.separators()?;
        Some(merge::join(parts, sep, |id| self.phrase_ends.contains(&id)))
    }

    /// The id of a space between words, if the vocabulary has one.
    pub fn space_id(&self) -> Option<i64> {
        self.vocab.id(' ')
    }

    fn separators(&self) -> Option<merge::Separators> {
        Some(merge::Separators {
            space: self.vocab.id(' ')?,
            comma: self.vocab.id(',')?,
        })
    }

    /// Removes the symbols the vocabulary lacks from `tokens`, counting them.
    fn keep_known(&self, tokens: &mut [Token]) {
        for token in tokens {
            if token.phonemes.chars().all(|c| self.vocab.contains(c)) {
                continue;
            }
            if let Ok(mut dropped) = self.dropped.lock() {
                for c in token.phonemes.chars().filter(|c| !self.vocab.contains(*c)) {
                    dropped
                        .entry(c)
                        .or_insert_with(|| (0, token.text.clone()))
                        .0 += 1;
                }
            }
            token.phonemes.retain(|c| self.vocab.contains(c));
        }
    }

    /// The symbols dropped so far: (symbol, times, a word it came from).
    fn dropped(&self) -> Vec<(char, usize, String)> {
        self.dropped
            .lock()
            .map(|d| d.iter().map(|(c, (n, w))| (*c, *n, w.clone())).collect())
            .unwrap_or_default()
    }
}

impl Drop for Planner {
    fn drop(&mut self) {
        let dropped = self.dropped();
        if !dropped.is_empty() {
            let list: Vec<String> = dropped
                .iter()
                .map(|(c, n, w)| format!("{c:?} (U+{:04X}) ×{n}, as in \"{w}\"", *c as u32))
                .collect();
            let prefix = self
                .phonemizer
                .label()
                .map_or(String::new(), |l| format!("{l}: "));
            tracing::warn!(
                "{prefix}phonemes outside Kokoro's vocabulary were left out: {}",
                list.join("; ")
            );
        }
    }
}

/// A voice and speed, and the workers that speak with them: one for `say` and `bench`, one per
/// GPU for `convert`. The workers (the [`Crew`]) are shared: [`Speaker::with_voice`] makes a
/// speaker with another voice on the same sessions, so the books of a library run, each in
/// its own voice, load the model once.
pub struct Speaker {
    voice: VoicePack,
    speed: f32,
    crew: Arc<Crew>,
}

impl Speaker {
    /// Loads the voice and starts one worker on the first device plan, which builds its
    /// session.
    pub fn new(settings: &EngineSettings) -> anyhow::Result<Speaker> {
        Speaker::pool(
            settings,
            &settings.device_plans[..1.min(settings.device_plans.len())],
        )
    }

    /// Loads the voice and starts one worker per plan (one per GPU), side by side. Workers
    /// that cannot start at all are warned about and left out; it is an error only when none
    /// starts. Workers that fall back to the CPU take turns there (see `worker.rs`).
    pub fn pool(settings: &EngineSettings, plans: &[Vec<Device>]) -> anyhow::Result<Speaker> {
        let voice = voice_of(settings)?;
        Ok(Speaker {
            voice,
            speed: settings.speed,
            crew: Arc::new(Crew::start(settings, plans)?),
        })
    }

    /// A speaker with the voice and speed of `settings` on this one's workers (nothing is
    /// loaded but the voice). Fails when `settings` need other sessions (another model file,
    /// runtime or devices; see [`SessionKey`]).
    pub fn with_voice(&self, settings: &EngineSettings) -> anyhow::Result<Speaker> {
        anyhow::ensure!(
            &settings.session_key() == self.crew.key(),
            "these settings need another model or other devices than the engine running. \
             This is a bug"
        );
        Ok(Speaker {
            voice: voice_of(settings)?,
            speed: settings.speed,
            crew: Arc::clone(&self.crew),
        })
    }

    /// Speaks with another voice and speed from now on, keeping the session (cheaper than
    /// loading the model again).
    pub fn use_voice(&mut self, settings: &EngineSettings) -> anyhow::Result<()> {
        self.voice = voice_of(settings)?;
        self.speed = settings.speed;
        Ok(())
    }

    /// Starts one more worker on `plan` (a GPU freed after the run began) and returns its
    /// number; every speaker sharing these workers can use it from then on.
    pub fn join(&self, plan: Vec<Device>) -> anyhow::Result<usize> {
        self.crew.join(plan)
    }

    /// The first worker's start.
    pub fn started(&self) -> Started {
        self.crew
            .started()
            .into_iter()
            .next()
            .expect("a crew has at least one worker. This is a bug")
    }

    /// How many workers there are now (one per GPU in use).
    pub fn workers(&self) -> usize {
        self.crew.len()
    }

    /// The device each worker started on, in order.
    pub fn devices(&self) -> Vec<Device> {
        self.crew.started().iter().map(|s| s.device).collect()
    }

    /// The longest any worker took to load its session (they load side by side).
    pub fn load_time(&self) -> Duration {
        self.crew.load_time()
    }

    /// The speaking rate in use.
    pub fn speed(&self) -> f32 {
        self.speed
    }

    /// Whether worker `worker`'s session reports each phoneme's duration.
    pub fn reports_durations(&self, worker: usize) -> bool {
        self.crew
            .worker(worker)
            .is_ok_and(|w| w.started().durations)
    }

    /// Speaks phoneme ids as one chunk on the first worker and waits for the audio.
    pub fn speak_ids(&self, ids: &[i64], text: &str) -> anyhow::Result<ChunkAudio> {
        self.speak_ids_on(0, ids, text)
    }

    /// Speaks phoneme ids as one chunk on worker `worker` and waits for the audio.
    pub fn speak_ids_on(
        &self,
        worker: usize,
        ids: &[i64],
        text: &str,
    ) -> anyhow::Result<ChunkAudio> {
        let job = Job {
            style: self.voice.style_for(ids.len()).to_vec(),
            speed: self.speed,
            text: text.to_string(),
            ids: ids.to_vec(),
            joins: Vec::new(),
        };
        Ok(self.crew.worker(worker)?.submit(job).wait()?)
    }

    /// Speaks the paragraphs in order, planning them a few chunks ahead on a helper thread and
    /// handing each chunk's audio to `sink` as it is ready.
    pub fn speak(
        &self,
        planner: &Planner,
        paragraphs: &[String],
        mut sink: impl FnMut(SpokenChunk) -> anyhow::Result<()>,
    ) -> anyhow::Result<SpeechStats> {
        let mut stats = SpeechStats::default();
        std::thread::scope(|scope| -> anyhow::Result<()> {
            let (tx, rx) = mpsc::sync_channel::<anyhow::Result<(usize, bool, Chunk)>>(LOOKAHEAD);
            scope.spawn(move || {
                for (p, paragraph) in paragraphs.iter().enumerate() {
                    match planner.plan(paragraph) {
                        Ok(chunks) => {
                            for (i, chunk) in chunks.into_iter().enumerate() {
                                if tx.send(Ok((p, i == 0, chunk))).is_err() {
                                    return;
                                }
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e.context(format!("paragraph {}", p + 1))));
                            return;
                        }
                    }
                }
            });

            let chunks = rx
                .into_iter()
                .map(|item| item.map(|(paragraph, first, chunk)| ((paragraph, first), chunk)));
            stats = self.run_chunks(chunks, |(paragraph, first_in_paragraph), audio| {
                sink(SpokenChunk {
                    paragraph,
                    first_in_paragraph,
                    audio,
                })
            })?;
            Ok(())
        })?;
        Ok(stats)
    }

    /// Speaks chunks already planned, handing each one's audio to `sink` with its tag, in
    /// order. The worker always has the next chunk waiting while the caller writes the last.
    pub fn run_chunks<T>(
        &self,
        chunks: impl Iterator<Item = anyhow::Result<(T, Chunk)>>,
        sink: impl FnMut(T, ChunkAudio) -> anyhow::Result<()>,
    ) -> anyhow::Result<SpeechStats> {
        self.run_chunks_on(0, chunks, sink)
    }

    /// [`Speaker::run_chunks`] on worker `worker` (0 to [`Speaker::workers`] − 1).
    pub fn run_chunks_on<T>(
        &self,
        worker: usize,
        chunks: impl Iterator<Item = anyhow::Result<(T, Chunk)>>,
        mut sink: impl FnMut(T, ChunkAudio) -> anyhow::Result<()>,
    ) -> anyhow::Result<SpeechStats> {
        let worker = self.crew.worker(worker)?;
        let mut stats = SpeechStats::default();
        let mut in_flight: VecDeque<InFlight<T>> = VecDeque::new();
        let mut collect = |entry: InFlight<T>, stats: &mut SpeechStats| {
            let audio = entry.pending.wait()?;
            stats.chunks += 1;
            stats.calls += 1;
            stats.chars += entry.chars;
            stats.ids += entry.ids;
            stats.samples += audio.samples.len();
            stats.model_time += audio.model_time;
            *stats.chunks_by_device.entry(audio.device).or_insert(0) += 1;
            sink(entry.tag, audio)
        };
        for item in chunks {
            let (tag, chunk) = item?;
            let job = Job {
                style: self.voice.style_for(chunk.ids.len()).to_vec(),
                speed: self.speed,
                text: chunk.text.clone(),
                ids: chunk.ids,
                joins: chunk.joins,
            };
            in_flight.push_back(InFlight {
                tag,
                chars: job.text.chars().count(),
                ids: job.ids.len(),
                pending: worker.submit(job),
            });
            if in_flight.len() >= IN_FLIGHT
                && let Some(oldest) = in_flight.pop_front()
            {
                collect(oldest, &mut stats)?;
            }
        }
        while let Some(oldest) = in_flight.pop_front() {
            collect(oldest, &mut stats)?;
        }
        Ok(stats)
    }
}

/// The voice table (or blend) the settings name.
fn voice_of(settings: &EngineSettings) -> anyhow::Result<VoicePack> {
    VoiceStore::open(&settings.voices)?.blend(&settings.voice)
}

/// Splits plain text into paragraphs at blank lines, joining the lines within each.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let text = "One line\nwraps here.\n\n\nSecond paragraph.\n";
        assert_eq!(
            paragraphs(text),
            vec!["One line wraps here.", "Second paragraph."]
        );
        assert!(paragraphs(" \n\n").is_empty());
    }
}
