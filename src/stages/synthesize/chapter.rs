//! Speaking a chapter's script: its units are phonemized and cut into chunks, each chunk is
//! named by the hash of what makes its sound (phoneme ids, voice, speed, model), and only the
//! chunks not already stored are spoken. Each chunk's checked, trimmed audio is written to
//! `chunks/<hash>.wav` in the work directory the moment it exists.
//!
//! That is what makes a run resumable at the chunk: a run killed in the middle of a chapter
//! finds every chunk it finished, and a script changed by a new image description or a
//! lexicon entry re-speaks only the chunks whose text changed. Memory holds one chapter's
//! phoneme ids and the few chunks in flight, never its audio.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::chunk::Chunk;
use super::{Planner, Speaker, SpeechStats, WAV_SPEC};
use crate::report;
use crate::stages::assemble::wav::shape_chunk;
use crate::stages::script::parse::{Kind, Unit};
use crate::workdir::fingerprint::Fingerprint;
use crate::workdir::fsutil::write_file;

/// Bumped when the stored chunk format or the trimming changes.
const CHUNK_SCHEMA: u32 = 1;

/// A unit of the script with the chunks it is spoken in.
pub struct PlannedUnit {
    pub kind: Kind,
    /// Each chunk's key (the name of its stored audio) and the chunk itself.
    pub chunks: Vec<(String, Chunk)>,
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

/// What a chunk's key is made of.
#[derive(Serialize)]
struct ChunkInputs<'a, E: Serialize> {
    schema: u32,
    engine: &'a E,
    ids: &'a [i64],
}

/// Phonemizes and chunks every unit of a script, naming each chunk by its inputs. The units
/// are phonemized together; if that fails, one by one, so the error names the unit.
pub fn plan<E: Serialize>(
    planner: &Planner,
    units: &[Unit],
    engine: &E,
) -> anyhow::Result<Vec<PlannedUnit>> {
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
    Ok(units
        .iter()
        .map(|unit| {
            let chunks = if unit.kind == Kind::SectionBreak {
                Vec::new()
            } else {
                planned
                    .next()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|chunk| {
                        let key = Fingerprint::of(&ChunkInputs {
                            schema: CHUNK_SCHEMA,
                            engine,
                            ids: &chunk.ids,
                        })
                        .hash;
                        (key, chunk)
                    })
                    .collect()
            };
            PlannedUnit {
                kind: unit.kind,
                chunks,
            }
        })
        .collect())
}

/// The planned chunks not yet stored, each once (a chapter may say the same chunk twice).
pub fn missing<'a>(planned: &'a [PlannedUnit], store: &ChunkStore) -> Vec<&'a (String, Chunk)> {
    let mut seen = std::collections::HashSet::new();
    planned
        .iter()
        .flat_map(|u| &u.chunks)
        .filter(|(k, _)| !store.has(k) && seen.insert(k.as_str()))
        .collect()
}

/// Speaks the chunks [`missing`] found on the speaker's worker `worker`, storing each as it
/// arrives.
pub fn speak_missing(
    speaker: &Speaker,
    worker: usize,
    missing: &[&(String, Chunk)],
    store: &ChunkStore,
    label: &str,
) -> anyhow::Result<SpeechStats> {
    let bar = report::bar(missing.len() as u64, "chunks");
    bar.set_message(label.to_string());
    let chunks = missing.iter().map(|(k, c)| Ok((k, c.clone())));
    let stats = speaker.run_chunks_on(worker, chunks, |key, audio| {
        store.put(key, &shape_chunk(&audio.samples))?;
        bar.inc(1);
        Ok(())
    })?;
    bar.finish_and_clear();
    Ok(stats)
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}
