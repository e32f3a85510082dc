//! Speaking a chapter's script: its units are phonemized and cut into chunks, each chunk is
//! named by the hash of what makes its sound (phoneme ids, voice, speed, model), and only the
//! chunks not already stored are spoken. Each chunk's checked, trimmed audio is written to
//! `chunks/<hash>.wav` in the work directory the moment it exists.
//!
//! That is what makes a run resumable at the chunk: a run killed in the middle of a chapter
//! finds every chunk it finished, and a script changed by a new image description or a
//! lexicon entry re-speaks only the chunks whose text changed. Memory holds one chapter's
//! phoneme ids and the few chunks in flight, never its audio.
//!
//! Short consecutive chunks are spoken in one call and cut apart by the model's durations
//! (`merge.rs`); each part is still stored as its own chunk, named by the whole call's ids
//! and its place in it, so resuming and assembly work on parts as on any chunk. Beside each
//! chunk's audio, `chunks/<key>.timing.json` keeps the frames of each of its phoneme ids
//! ([`Timing`]): where every sound starts, for word timings.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::backend::FRAME_SAMPLES;
use super::check::check_audio;
use super::chunk::Chunk;
use super::merge::{self, Call, Part};
use super::worker::ChunkAudio;
use super::{Planner, SAMPLE_RATE, Speaker, SpeechStats, WAV_SPEC};
use crate::report;
use crate::stages::assemble::wav::{shape, shape_range};
use crate::stages::script::parse::{Kind, Unit};
use crate::workdir::fingerprint::Fingerprint;
use crate::workdir::fsutil::write_file;

/// Bumped when the stored chunk format or the trimming changes. Not for a change in how the
/// model renders a chunk (the silence the CPU decoder now puts at joins, a GPU against the
/// CPU): a chunk already spoken is still the same words, and a book half done when bookvoice
/// is upgraded should not be spoken again from the start.
const CHUNK_SCHEMA: u32 = 1;

/// A unit of the script with the chunks it is spoken in.
#[derive(Serialize, Deserialize)]
pub struct PlannedUnit {
    pub kind: Kind,
    /// Each chunk's key (the name of its stored audio) and the chunk itself.
    pub chunks: Vec<(String, Chunk)>,
}

/// A chapter planned: its units' chunks, for assembly, and the model calls that speak them.
///
/// A convert run plans every chapter before it loads the model, so the G2P and the model are
/// never in memory together, and keeps each plan on disk ([`Planned::save`]) until the chapter
/// is spoken and assembled, so a library's plans are not all held in memory at once.
#[derive(Serialize, Deserialize)]
pub struct Planned {
    pub units: Vec<PlannedUnit>,
    pub calls: Vec<Call>,
}

impl Planned {
    /// Writes the plan to `path` (JSON, atomically).
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_vec(self).context("cannot serialize a chapter's plan")?;
        write_file(path, &json)
    }

    /// Reads a plan [`Planned::save`] wrote. Errors name the file.
    pub fn load(path: &Path) -> anyhow::Result<Planned> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the chapter's plan {}", path.display()))?;
        serde_json::from_slice(&bytes)
            .with_context(|| format!("cannot read the chapter's plan {}", path.display()))
    }
}

/// The timings kept beside a stored chunk: the frames of each of its phoneme ids.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Timing {
    pub sample_rate: u32,
    /// Samples per frame.
    pub frame_samples: usize,
    /// Where the first id starts in the stored audio, in samples (negative when the stored
    /// audio begins inside it).
    pub start: i64,
    /// The chunk's phoneme ids (the vocabulary gives their symbols).
    pub ids: Vec<i64>,
    /// Frames per id.
    pub frames: Vec<u32>,
}

/// Stored chunk audio: `chunks/<key>.wav`, 24 kHz mono 16-bit, already trimmed and faded.
pub struct ChunkStore {
    dir: PathBuf,
}

impl ChunkStore {
    pub fn new(dir: &Path) -> ChunkStore {
        ChunkStore {
            dir: dir.to_path_buf(),
        }
    }

    pub fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.wav"))
    }

    pub fn has(&self, key: &str) -> bool {
        self.path(key).is_file()
    }

    pub fn put(&self, key: &str, samples: &[f32]) -> anyhow::Result<()> {
        let mut bytes = Cursor::new(Vec::with_capacity(samples.len() * 2 + 44));
        {
            let mut writer = hound::WavWriter::new(&mut bytes, WAV_SPEC)?;
            for &s in samples {
                writer.write_sample((s.clamp(-1.0, 1.0) * i16::MAX as f32).round() as i16)?;
            }
            writer.finalize()?;
        }
        write_file(&self.path(key), bytes.get_ref())
    }

    fn timing_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.timing.json"))
    }

    /// Keeps a chunk's timings beside its audio.
    pub fn put_timing(&self, key: &str, timing: &Timing) -> anyhow::Result<()> {
        write_file(&self.timing_path(key), &serde_json::to_vec(timing)?)
    }

    /// A stored chunk's samples.
    pub fn read(&self, key: &str) -> anyhow::Result<Vec<i16>> {
        let path = self.path(key);
        let reader = hound::WavReader::open(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        reader
            .into_samples::<i16>()
            .collect::<Result<_, _>>()
            .with_context(|| format!("cannot read {}", path.display()))
    }
}

/// What a chunk's key is made of, when it is a call of its own.
#[derive(Serialize)]
struct ChunkInputs<'a, E: Serialize> {
    schema: u32,
    engine: &'a E,
    ids: &'a [i64],
}

/// What a part of a merged call is made of: the whole call, since its neighbours shape how
/// it sounds, and its place in it.
#[derive(Serialize)]
struct PartInputs<'a, E: Serialize> {
    schema: u32,
    engine: &'a E,
    call: &'a [i64],
    part: usize,
}

/// Phonemizes and chunks every unit of a script, groups the chunks into calls and names each
/// chunk by its inputs. The units are phonemized together; if that fails, one by one, so the
/// error names the unit.
pub fn plan<E: Serialize>(
    planner: &Planner,
    units: &[Unit],
    engine: &E,
) -> anyhow::Result<Planned> {
    let spoken: Vec<&str> = units
        .iter()
        .filter(|u| u.kind != Kind::SectionBreak)
        .map(|u| u.text.as_str())
        .collect();
    let mut planned = match planner.plan_many(&spoken) {
        Ok(planned) => planned.into_iter(),
        Err(_) => spoken
            .iter()
            .map(|text| {
                planner
                    .plan(text)
                    .with_context(|| format!("cannot phonemize {:?}", excerpt(text)))
            })
            .collect::<anyhow::Result<Vec<_>>>()?
            .into_iter(),
    };
    let mut units: Vec<PlannedUnit> = units
        .iter()
        .map(|unit| PlannedUnit {
            kind: unit.kind,
            chunks: if unit.kind == Kind::SectionBreak {
                Vec::new()
            } else {
                planned
                    .next()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|chunk| (String::new(), chunk))
                    .collect()
            },
        })
        .collect();

    // Every chunk of the chapter in order, as (unit, index in unit).
    let order: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| (0..unit.chunks.len()).map(move |i| (u, i)))
        .collect();
    let lens: Vec<usize> = order
        .iter()
        .map(|&(u, i)| units[u].chunks[i].1.ids.len())
        .collect();
    let mut calls = Vec::new();
    for run in merge::group(&lens, planner.call_max_ids()) {
        let members = &order[run];
        let ids: Vec<&[i64]> = members
            .iter()
            .map(|&(u, i)| units[u].chunks[i].1.ids.as_slice())
            .collect();
        let joined = if members.len() > 1 {
            let parts: Vec<merge::JoinPart> = members
                .iter()
                .zip(&ids)
                .map(|(&(u, i), ids)| merge::JoinPart {
                    ids,
                    closes_phrase: closes_phrase(&units[u], i),
                })
                .collect();
            planner.join(&parts)
        } else {
            None
        };
        let call = match joined {
            Some((call_ids, ranges)) => {
                let parts = ranges
                    .into_iter()
                    .enumerate()
                    .map(|(p, ids)| Part {
                        key: Fingerprint::of(&PartInputs {
                            schema: CHUNK_SCHEMA,
                            engine,
                            call: &call_ids,
                            part: p,
                        })
                        .hash,
                        ids,
                    })
                    .collect();
                let text = members
                    .iter()
                    .map(|&(u, i)| units[u].chunks[i].1.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                Call {
                    ids: call_ids,
                    text,
                    parts,
                }
            }
            None => {
                // One chunk, or chunks that cannot be joined: a call each.
                for (&(u, i), ids) in members.iter().zip(&ids) {
                    let key = Fingerprint::of(&ChunkInputs {
                        schema: CHUNK_SCHEMA,
                        engine,
                        ids,
                    })
                    .hash;
                    calls.push(Call {
                        ids: ids.to_vec(),
                        text: units[u].chunks[i].1.text.clone(),
                        parts: vec![Part {
                            key,
                            ids: 0..ids.len(),
                        }],
                    });
                }
                continue;
            }
        };
        calls.push(call);
    }
    // Give each chunk its key.
    let keys = calls
        .iter()
        .flat_map(|c| c.parts.iter().map(|p| p.key.clone()));
    for (&(u, i), key) in order.iter().zip(keys) {
        units[u].chunks[i].0 = key;
    }
    Ok(Planned { units, calls })
}

/// Whether the text closes a phrase after chunk `i` of `unit`: at the end of any unit but a
/// verse line that runs on into the next line of its stanza. A chunk inside a unit was cut at
/// punctuation, or mid-phrase where a sentence had none.
fn closes_phrase(unit: &PlannedUnit, i: usize) -> bool {
    i + 1 == unit.chunks.len() && unit.kind != (Kind::Verse { last: false })
}

/// The calls with a part not yet stored, each once (a chapter may say the same chunk twice).
pub fn missing<'a>(planned: &'a Planned, store: &ChunkStore) -> Vec<&'a Call> {
    let mut seen = std::collections::HashSet::new();
    planned
        .calls
        .iter()
        .filter(|call| {
            let wanted = call
                .parts
                .iter()
                .any(|p| !store.has(&p.key) && !seen.contains(p.key.as_str()));
            for p in &call.parts {
                seen.insert(p.key.as_str());
            }
            wanted
        })
        .collect()
}

/// Speaks the calls [`missing`] found on the speaker's worker `worker`, cutting each into its
/// parts and storing each part (its trimmed audio and its timings) as it arrives. Where the
/// session reports no durations, each part is a call of its own; a part the durations cannot
/// place, or whose piece fails the audio check, is spoken again on its own.
pub fn speak_missing(
    speaker: &Speaker,
    worker: usize,
    missing: &[&Call],
    store: &ChunkStore,
    label: &str,
) -> anyhow::Result<SpeechStats> {
    let parts: usize = missing.iter().map(|c| c.parts.len()).sum();
    let bar = report::bar(parts as u64, "chunks");
    bar.set_message(label.to_string());
    let merged = speaker.reports_durations(worker);
    // (call, Some(part)) speaks one part alone.
    let jobs: Vec<(&Call, Option<usize>)> = missing
        .iter()
        .flat_map(|&call| {
            if merged || call.parts.len() == 1 {
                vec![(call, None)]
            } else {
                (0..call.parts.len()).map(|p| (call, Some(p))).collect()
            }
        })
        .collect();
    let chunks = jobs.iter().map(|&(call, part)| {
        let (ids, joins) = match part {
            Some(p) => (call.part_ids(&call.parts[p]).to_vec(), Vec::new()),
            None => {
                let ranges: Vec<_> = call.parts.iter().map(|p| p.ids.clone()).collect();
                (call.ids.clone(), merge::joins(&ranges))
            }
        };
        Ok((
            (call, part),
            Chunk {
                text: call.text.clone(),
                phonemes: String::new(),
                ids,
                joins,
            },
        ))
    });
    let mut again = 0;
    let mut stats = speaker.run_chunks_on(worker, chunks, |(call, part), audio| {
        match part {
            Some(p) => {
                let part = &call.parts[p];
                store_alone(store, &part.key, &audio, call.part_ids(part))?;
                bar.inc(1);
            }
            None => {
                again += store_parts(speaker, worker, call, audio, store)?;
                bar.inc(call.parts.len() as u64);
            }
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    stats.chunks = parts;
    stats.calls += again;
    Ok(stats)
}

/// Stores each part of a spoken call; returns how many parts had to be spoken again alone.
fn store_parts(
    speaker: &Speaker,
    worker: usize,
    call: &Call,
    audio: ChunkAudio,
    store: &ChunkStore,
) -> anyhow::Result<usize> {
    if call.parts.len() == 1 {
        store_alone(store, &call.parts[0].key, &audio, &call.ids)?;
        return Ok(0);
    }
    let ranges: Vec<_> = call.parts.iter().map(|p| p.ids.clone()).collect();
    let (Some(durations), Some(pieces)) = (
        audio.durations.as_deref(),
        audio
            .durations
            .as_deref()
            .and_then(|d| merge::cut(audio.samples.len(), d, call.ids.len(), &ranges)),
    ) else {
        tracing::debug!(
            "no durations to cut \"{}\" at; its parts are spoken one by one",
            excerpt(&call.text)
        );
        for part in &call.parts {
            respeak_alone(speaker, worker, call, part, store)?;
        }
        return Ok(call.parts.len());
    };
    let mut again = 0;
    for (part, piece) in call.parts.iter().zip(pieces) {
        let ids = call.part_ids(part);
        let samples = &audio.samples[piece.clone()];
        if check_audio(samples, ids.len(), speaker.speed()).is_ok() {
            let (frames, start) = merge::part_timing(durations, &part.ids);
            let start = start as i64 - piece.start as i64;
            store_chunk(store, &part.key, samples, Some((frames, start)), ids)?;
        } else {
            tracing::debug!(
                "a part of \"{}\" was spoken again on its own",
                excerpt(&call.text)
            );
            respeak_alone(speaker, worker, call, part, store)?;
            again += 1;
        }
    }
    Ok(again)
}

/// Speaks one part of a call in a call of its own, and stores it.
fn respeak_alone(
    speaker: &Speaker,
    worker: usize,
    call: &Call,
    part: &Part,
    store: &ChunkStore,
) -> anyhow::Result<()> {
    let ids = call.part_ids(part);
    let audio = speaker.speak_ids_on(worker, ids, &call.text)?;
    store_alone(store, &part.key, &audio, ids)
}

/// Stores the audio of a chunk spoken in a call of its own.
fn store_alone(
    store: &ChunkStore,
    key: &str,
    audio: &ChunkAudio,
    ids: &[i64],
) -> anyhow::Result<()> {
    let timing = audio
        .durations
        .as_deref()
        .filter(|d| d.len() == ids.len() + 2)
        .map(|d| merge::part_timing(d, &(0..ids.len())))
        .map(|(frames, start)| (frames, start as i64));
    store_chunk(store, key, &audio.samples, timing, ids)
}

/// Trims a chunk's audio and stores it, with its timings when known: (frames per id, the
/// sample where its first id starts in `samples`).
fn store_chunk(
    store: &ChunkStore,
    key: &str,
    samples: &[f32],
    timing: Option<(Vec<u32>, i64)>,
    ids: &[i64],
) -> anyhow::Result<()> {
    let kept = shape_range(samples);
    store.put(key, &shape(samples, kept.clone()))?;
    if let Some((frames, start)) = timing {
        store.put_timing(
            key,
            &Timing {
                sample_rate: SAMPLE_RATE,
                frame_samples: FRAME_SAMPLES,
                start: start - kept.start as i64,
                ids: ids.to_vec(),
                frames,
            },
        )?;
    }
    Ok(())
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_kept_on_disk_comes_back_the_same() {
        let chunk = Chunk {
            text: "A line.".into(),
            phonemes: "ə lˈIn.".into(),
            ids: vec![1, 2, 3],
            joins: vec![],
        };
        let planned = Planned {
            units: vec![PlannedUnit {
                kind: Kind::Verse { last: true },
                chunks: vec![("k1".into(), chunk)],
            }],
            calls: vec![Call {
                ids: vec![1, 2, 3],
                text: "A line.".into(),
                parts: vec![Part {
                    key: "k1".into(),
                    ids: 0..3,
                }],
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plans/01 - One.json");
        planned.save(&path).unwrap();
        let back = Planned::load(&path).unwrap();
        assert_eq!(back.calls, planned.calls);
        assert_eq!(back.units[0].chunks, planned.units[0].chunks);
        assert_eq!(back.units[0].kind, planned.units[0].kind);
        let e = Planned::load(&dir.path().join("gone.json")).err().unwrap();
        assert!(format!("{e:#}").contains("gone.json"), "{e:#}");
    }
}
