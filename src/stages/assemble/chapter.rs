//! A chapter's WAV from its stored chunks: silences chosen by the script's structure, and the
//! whole mastered to an audiobook's loudness.
//!
//! Pauses come from what the text is — a heading, a paragraph, a line of verse, an
//! illustration, a section break — and are settings (`[pauses]` in `bookvoice.toml`), not
//! punctuation tricks in the text. Where a long sentence was cut into chunks at a clause, the
//! join gets a clause's short pause, not a sentence's, so the cut is not heard.
//!
//! Mastering (`master.rs`, `limiter.rs`): a first pass measures the chapter as laid out; the
//! second writes it with the gain that brings it to the target, through the true-peak
//! limiter, measuring what it writes. The limiter takes a little loudness with the peaks, so
//! when the result is more than 0.2 LU off (or a peak slipped past the ceiling) the gain is
//! corrected and the chapter written again; one correction is the usual case. Every pass
//! streams chunk by chunk, so memory does not grow with the chapter.
//!
//! Where each heading after the first starts is recorded ([`Section`]), so that a very long
//! chapter can carry its sections as chapter markers of their own, and where each chunk's
//! words are heard ([`Cue`]), for the chapter's captions.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::cues::Cue;
use super::limiter::Limiter;
use super::master::{Figures, Loudness, Meter};

use crate::stages::script::parse::Kind;
use crate::stages::synthesize::chapter::{ChunkStore, PlannedUnit};
use crate::stages::synthesize::{SAMPLE_RATE, WAV_SPEC};
use crate::workdir::fsutil::AtomicFile;

/// Silences, in seconds, by what comes before or after them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pauses {
    /// Before the first word of a chapter, so no player clips it.
    pub lead_in: f32,
    /// Between the chunks of one paragraph where it was cut at a sentence's end.
    pub sentence: f32,
    /// Between the chunks of one sentence too long for one chunk, cut at a clause.
    pub clause: f32,
    pub paragraph: f32,
    pub heading: f32,
    /// After a verse line that ends with punctuation (not a stanza's last line).
    pub verse_line: f32,
    /// After a verse line that runs on into the next without punctuation: the sense carries
    /// over, as a reader carries it. With the full line pause there, Whisper missed 96 of The
    /// Waste Land III's English words, with this one 90 (BENCHMARKS.md).
    pub verse_run_on: f32,
    pub list_item: f32,
    /// Before and after an image description.
    pub illustration: f32,
    pub section_break: f32,
    /// After the last word.
    pub tail: f32,
}

impl Default for Pauses {
    fn default() -> Self {
        Pauses {
            lead_in: 0.5,
            sentence: 0.3,
            clause: 0.05,
            paragraph: 0.7,
            heading: 1.2,
            verse_line: 0.35,
            verse_run_on: 0.1,
            list_item: 0.45,
            illustration: 0.9,
            section_break: 1.6,
            tail: 1.0,
        }
    }
}

/// The longest pause a setting may ask for, in seconds: longer than any a narrator makes, and
/// short enough that a slip (`500` for `0.5`) is caught.
pub const MAX_PAUSE: f32 = 10.0;

impl Pauses {
    /// An error naming the first setting that is not 0 to [`MAX_PAUSE`] seconds.
    pub fn check(&self) -> anyhow::Result<()> {
        let serde_json::Value::Object(fields) = serde_json::to_value(self)? else {
            anyhow::bail!("the pauses are not a table");
        };
        for (name, value) in fields {
            let secs = value.as_f64().unwrap_or(f64::NAN);
            anyhow::ensure!(
                (0.0..=MAX_PAUSE as f64).contains(&secs),
                "[pauses] {name} = {value}: a pause is 0 to {MAX_PAUSE} seconds"
            );
        }
        Ok(())
    }

    fn after(&self, kind: Kind) -> f32 {
        match kind {
            Kind::Heading => self.heading,
            Kind::Paragraph | Kind::Verse { last: true } => self.paragraph,
            Kind::Verse { last: false } => self.verse_line,
            Kind::ListItem => self.list_item,
            Kind::Illustration => self.illustration,
            Kind::SectionBreak => self.section_break,
        }
    }

    fn before(&self, kind: Kind) -> f32 {
        match kind {
            Kind::Illustration => self.illustration,
            Kind::Heading => self.paragraph,
            _ => 0.0,
        }
    }
}

/// The chapter's audio as a sequence of chunk keys and silences, and where headings start.
enum Piece<'a> {
    Silence(f32),
    /// A chunk's stored audio, by key, and its text (for its cue).
    Chunk {
        key: &'a str,
        text: &'a str,
    },
    /// A heading inside the chapter begins here (no audio of its own).
    Mark(String),
}

/// A heading inside a chapter and where it starts, in seconds from the chapter's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub start: f64,
    pub title: String,
}

fn pieces<'a>(planned: &'a [PlannedUnit], pauses: &Pauses) -> Vec<Piece<'a>> {
    tracing::trace!(
        "pause {:.2} s before the first words (lead-in)",
        pauses.lead_in
    );
    let mut out = vec![Piece::Silence(pauses.lead_in)];
    let mut pending: Option<f32> = None;
    // What the pending pause follows, for the trace (`-vv`).
    let mut after: (&str, &str) = ("", "");
    let mut spoken = false;
    for unit in planned {
        if unit.kind == Kind::SectionBreak {
            pending = Some(pending.unwrap_or(0.0).max(pauses.section_break));
            after.0 = "a section break";
            continue;
        }
        if unit.chunks.is_empty() {
            continue;
        }
        if let Some(p) = pending {
            let p = p.max(pauses.before(unit.kind));
            tracing::trace!("pause {p:.2} s after {} “{}”", after.0, tail(after.1));
            out.push(Piece::Silence(p));
        }
        // The chapter's own heading opens it; later ones start sections.
        if unit.kind == Kind::Heading && spoken {
            let title: Vec<&str> = unit.chunks.iter().map(|(_, c)| c.text.trim()).collect();
            out.push(Piece::Mark(title.join(" ")));
        }
        spoken = true;
        for (i, (key, chunk)) in unit.chunks.iter().enumerate() {
            if i > 0 {
                let ended = ends_sentence(&unit.chunks[i - 1].1.text);
                out.push(Piece::Silence(if ended {
                    pauses.sentence
                } else {
                    pauses.clause
                }));
            }
            out.push(Piece::Chunk {
                key,
                text: &chunk.text,
            });
        }
        let runs_on = unit.kind == (Kind::Verse { last: false })
            && unit.chunks.last().is_some_and(|(_, c)| runs_on(&c.text));
        pending = Some(if runs_on {
            pauses.verse_run_on
        } else {
            pauses.after(unit.kind)
        });
        after = (
            match unit.kind {
                _ if runs_on => "a verse line that runs on",
                Kind::Verse { last: false } => "a verse line",
                Kind::Verse { last: true } => "a stanza",
                Kind::Heading => "a heading",
                Kind::Paragraph => "a paragraph",
                Kind::ListItem => "a list item",
                Kind::Illustration => "an illustration",
                Kind::SectionBreak => "a section break",
            },
            unit.chunks.last().map_or("", |(_, c)| c.text.as_str()),
        );
    }
    tracing::trace!(
        "pause {:.2} s after {} “{}”, the chapter's tail",
        pauses.tail,
        after.0,
        tail(after.1)
    );
    out.push(Piece::Silence(pauses.tail));
    out
}

/// The last few words of a chunk's text (about 30 characters, from a word's start), for a
/// trace.
fn tail(text: &str) -> String {
    let text = text.trim();
    let Some((cut, _)) = text.char_indices().rev().nth(29) else {
        return text.to_string();
    };
    match text[cut..].find(' ') {
        Some(space) => format!("…{}", &text[cut + space + 1..]),
        None => format!("…{}", &text[cut..]),
    }
}

/// Whether a chunk's text ends a sentence (closing quotes and brackets aside), so the next
/// chunk starts a new one.
fn ends_sentence(text: &str) -> bool {
    without_closers(text).ends_with(['.', '!', '?', '…', '。', '！', '？', ':', ';'])
}

/// `text` without the closing quotes, brackets and emphasis marks at its end.
fn without_closers(text: &str) -> &str {
    text.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_'])
}

/// Whether a verse line's text runs on into the next: it ends with a word, not with
/// punctuation that closes at least a phrase (a comma, a dash, the sentence marks), closing
/// quotes and brackets aside. Only in scripts with case: a line of Chinese or Japanese verse
/// without a mark, or of Hindi without a danda, is a phrase of its own as often as not, and
/// keeps the line's pause.
fn runs_on(text: &str) -> bool {
    without_closers(text)
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || c.is_uppercase())
}

fn samples_of(secs: f32) -> usize {
    (secs.max(0.0) * SAMPLE_RATE as f32).round() as usize
}

/// What assembling a chapter found and did.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterAudio {
    pub seconds: f64,
    /// The chapter as laid out, before mastering (integrated loudness and RMS only).
    pub before: Figures,
    /// The file as written.
    pub after: Figures,
    /// The gain applied before the limiter, in dB.
    pub gain_db: f64,
    /// The limiter's deepest gain reduction, in dB (0 when it did nothing).
    pub limited_db: f64,
    /// Times the chapter was written (1, or 2 after a correction).
    pub passes: u32,
    /// The headings after the chapter's first, where they start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Where each chunk's words are heard (the chapter's captions; not in reports).
    #[serde(skip)]
    pub cues: Vec<Cue>,
}

/// Acceptable distance from the target, in LU (or dB of RMS).
const TOLERANCE: f64 = 0.2;
/// Passes aiming at the target; one more may follow to hold the ceiling.
const MAX_PASSES: u32 = 3;
/// The limiter aims this far under the ceiling, for the rounding to 16 bits.
const MARGIN_DB: f64 = 0.1;

/// Writes the chapter's WAV at `dest` from stored chunks, mastered as `loudness` says.
pub fn assemble(
    planned: &[PlannedUnit],
    store: &ChunkStore,
    pauses: &Pauses,
    loudness: &Loudness,
    dest: &Path,
) -> anyhow::Result<ChapterAudio> {
    let pieces = pieces(planned, pauses);
    let before = render(&pieces, store, None, None)?;
    let goal = loudness.goal();
    let level = goal.map(|g| before.figures.level(g.measure));
    let (Some(goal), Some(level)) = (goal, level.filter(|l| l.is_finite())) else {
        // `off`, or a chapter with nothing audible: written as it is.
        let written = render(&pieces, store, None, Some(dest))?;
        return Ok(ChapterAudio {
            seconds: written.figures.seconds,
            before: before.figures,
            after: written.figures,
            gain_db: 0.0,
            limited_db: 0.0,
            passes: 1,
            sections: before.sections,
            cues: before.cues,
        });
    };
    let mut gain_db = goal.target - level;
    let mut ceiling = goal.ceiling_db - MARGIN_DB;
    let mut passes = 0;
    loop {
        passes += 1;
        let written = render(&pieces, store, Some((gain_db, ceiling)), Some(dest))?;
        let after = written.figures;
        let error = goal.target - after.level(goal.measure);
        let over = after.true_peak_db.unwrap_or(f64::NEG_INFINITY) - goal.ceiling_db;
        tracing::trace!(
            "mastering pass {passes}: gain {gain_db:+.2} dB, limiter at {ceiling:.2} dBTP: \
             {:.2} ({error:+.2} from the target), true peak {:.2} dBTP",
            after.level(goal.measure),
            after.true_peak_db.unwrap_or(f64::NEG_INFINITY)
        );
        // The ceiling is a limit and the loudness a target: a last pass that still finds a
        // peak over lowers the gain by as much, which no peak survives.
        if passes == MAX_PASSES && over > 0.0 {
            gain_db -= over + MARGIN_DB;
            continue;
        }
        if (error.abs() <= TOLERANCE && over <= 0.0) || passes > MAX_PASSES {
            if error.abs() > 0.5 {
                tracing::warn!(
                    "{}: {:.1} is {:.1} from the loudness target {:.1}: with the peaks held at \
                     {:.1} dBTP the limiter cannot reach it (it took up to {:.0} dB); lower the \
                     target or raise the ceiling in [loudness]",
                    dest.display(),
                    after.level(goal.measure),
                    error.abs(),
                    goal.target,
                    goal.ceiling_db,
                    -20.0 * written.least_gain.log10()
                );
            }
            return Ok(ChapterAudio {
                seconds: after.seconds,
                before: before.figures,
                after,
                gain_db,
                limited_db: -20.0 * written.least_gain.log10(),
                passes,
                sections: before.sections.clone(),
                cues: before.cues.clone(),
            });
        }
        gain_db += error;
        if over > 0.0 {
            ceiling -= over + MARGIN_DB;
        }
    }
}

/// What one pass over the chapter made.
struct Rendered {
    figures: Figures,
    least_gain: f64,
    sections: Vec<Section>,
    cues: Vec<Cue>,
}

/// One pass over the chapter's pieces: gained and limited when `master` gives (gain dB,
/// ceiling dBTP), measured, and written to `dest` when given (measuring the full figures of
/// the 16-bit samples written; otherwise only integrated loudness and RMS).
fn render(
    pieces: &[Piece],
    store: &ChunkStore,
    master: Option<(f64, f64)>,
    dest: Option<&Path>,
) -> anyhow::Result<Rendered> {
    let mut meter = Meter::new(SAMPLE_RATE, dest.is_some())?;
    let gain = master.map_or(1.0, |(db, _)| 10f64.powf(db / 20.0)) as f32;
    let mut limiter = master.map(|(_, ceiling)| Limiter::new(ceiling, SAMPLE_RATE));
    let mut sink = match dest {
        Some(dest) => {
            let file = AtomicFile::create(dest)?;
            let writer = hound::WavWriter::new(file.writer()?, WAV_SPEC)
                .with_context(|| format!("cannot write {}", dest.display()))?;
            Some((file, writer, dest))
        }
        None => None,
    };
    let mut block = Vec::new();
    let mut limited = Vec::new();
    let mut emit = |samples: &mut Vec<f32>| -> anyhow::Result<()> {
        // Quantized first, so the meter reads exactly what the file holds.
        for s in samples.iter_mut() {
            *s = (*s * 32768.0).round().clamp(-32768.0, 32767.0) / 32768.0;
        }
        meter.add(samples)?;
        if let Some((_, writer, dest)) = &mut sink {
            let mut w = writer.get_i16_writer(samples.len() as u32);
            for s in samples.iter() {
                w.write_sample((s * 32768.0) as i16);
            }
            w.flush()
                .with_context(|| format!("cannot write {}", dest.display()))?;
        }
        samples.clear();
        Ok(())
    };
    let mut position = 0usize;
    let mut sections = Vec::new();
    let mut cues = Vec::new();
    for piece in pieces {
        block.clear();
        match piece {
            Piece::Silence(secs) => block.resize(samples_of(*secs), 0.0),
            Piece::Chunk { key, text } => {
                block.extend(store.read(key)?.iter().map(|&s| s as f32 / 32768.0 * gain));
                cues.push(Cue {
                    start: position as f64 / f64::from(SAMPLE_RATE),
                    end: (position + block.len()) as f64 / f64::from(SAMPLE_RATE),
                    text: text.to_string(),
                });
            }
            Piece::Mark(title) => sections.push(Section {
                start: position as f64 / f64::from(SAMPLE_RATE),
                title: title.clone(),
            }),
        }
        position += block.len();
        match &mut limiter {
            Some(limiter) => {
                limiter.process(&block, &mut limited);
                emit(&mut limited)?;
            }
            None => emit(&mut block)?,
        }
    }
    let least_gain = match limiter {
        Some(limiter) => {
            let least = limiter.finish(&mut limited);
            emit(&mut limited)?;
            least
        }
        None => 1.0,
    };
    if let Some((file, writer, dest)) = sink {
        writer
            .finalize()
            .with_context(|| format!("cannot finish {}", dest.display()))?;
        file.commit()?;
    }
    Ok(Rendered {
        figures: meter.figures(),
        least_gain,
        sections,
        cues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::synthesize::chunk::Chunk;

    fn unit(kind: Kind, keys: &[&str]) -> PlannedUnit {
        PlannedUnit {
            kind,
            chunks: keys
                .iter()
                .map(|k| {
                    (
                        k.to_string(),
                        Chunk {
                            text: "Words.".into(),
                            phonemes: String::new(),
                            ids: vec![],
                            joins: vec![],
                        },
                    )
                })
                .collect(),
        }
    }

    fn layout(planned: &[PlannedUnit]) -> Vec<String> {
        pieces(planned, &Pauses::default())
            .iter()
            .map(|p| match p {
                Piece::Silence(s) => format!("{s}"),
                Piece::Chunk { key, .. } => key.to_string(),
                Piece::Mark(t) => format!("[{t}]"),
            })
            .collect()
    }

    #[test]
    fn headings_after_the_first_start_sections_where_they_are_heard() {
        let dir = tempfile::tempdir().unwrap();
        let store = ChunkStore::new(dir.path());
        let second = vec![0.1f32; 24_000];
        for key in ["h", "p", "h2", "q"] {
            store.put(key, &second).unwrap();
        }
        let planned = vec![
            unit(Kind::Heading, &["h"]),
            unit(Kind::Paragraph, &["p"]),
            unit(Kind::Heading, &["h2"]),
            unit(Kind::Paragraph, &["q"]),
        ];
        assert_eq!(
            layout(&planned),
            [
                "0.5", "h", "1.2", "p", "0.7", "[Words.]", "h2", "1.2", "q", "1"
            ]
        );
        let off = Loudness {
            preset: super::super::master::Preset::Off,
            ..Loudness::default()
        };
        let audio = assemble(
            &planned,
            &store,
            &Pauses::default(),
            &off,
            &dir.path().join("ch.wav"),
        )
        .unwrap();
        // Lead-in 0.5, heading 1, pause 1.2, paragraph 1, pause 0.7: the second heading at 4.4 s.
        assert_eq!(audio.sections.len(), 1);
        assert!((audio.sections[0].start - 4.4).abs() < 0.001, "{audio:?}");
        assert_eq!(audio.sections[0].title, "Words.");
        // A cue for each chunk, where its second of audio is heard, pauses between.
        let heard: Vec<(f64, f64)> = audio.cues.iter().map(|c| (c.start, c.end)).collect();
        assert_eq!(heard, [(0.5, 1.5), (2.7, 3.7), (4.4, 5.4), (6.6, 7.6)]);
        assert!(audio.cues.iter().all(|c| c.text == "Words."));
    }

    #[test]
    fn mastering_keeps_the_cues_where_the_words_are() {
        let dir = tempfile::tempdir().unwrap();
        let store = ChunkStore::new(dir.path());
        store.put("a", &voice(0.05, false)).unwrap();
        store.put("b", &voice(0.05, false)).unwrap();
        let mut planned = vec![
            unit(Kind::Verse { last: false }, &["a"]),
            unit(Kind::Verse { last: true }, &["b"]),
        ];
        planned[0].chunks[0].1.text = "Unreal City,".into();
        planned[1].chunks[0].1.text = "Under the brown fog of a winter dawn,".into();
        let audio = assemble(
            &planned,
            &store,
            &Pauses::default(),
            &Loudness::default(),
            &dir.path().join("ch.wav"),
        )
        .unwrap();
        assert!(audio.passes >= 1 && audio.gain_db > 0.0, "{audio:?}");
        let seconds = voice(0.05, false).len() as f64 / f64::from(SAMPLE_RATE);
        let texts: Vec<&str> = audio.cues.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Unreal City,", "Under the brown fog of a winter dawn,"]
        );
        assert!((audio.cues[0].start - 0.5).abs() < 1e-9);
        assert!((audio.cues[1].start - (0.5 + seconds + 0.35)).abs() < 1e-4);
        assert!(
            (audio.cues[1].end - (audio.seconds - 1.0)).abs() < 1e-4,
            "{audio:?}"
        );
    }

    #[test]
    fn pauses_follow_the_structure() {
        let planned = vec![
            unit(Kind::Heading, &["h"]),
            unit(Kind::Paragraph, &["p1", "p2"]),
            unit(Kind::Illustration, &["i"]),
            unit(Kind::SectionBreak, &[]),
            unit(Kind::Verse { last: false }, &["v1"]),
            unit(Kind::Verse { last: true }, &["v2"]),
            unit(Kind::Paragraph, &["end"]),
        ];
        assert_eq!(
            layout(&planned),
            [
                "0.5", "h", "1.2", "p1", "0.3", "p2", "0.9", "i", "1.6", "v1", "0.35", "v2", "0.7",
                "end", "1"
            ]
        );
    }

    #[test]
    fn a_verse_line_that_runs_on_gets_the_shorter_pause() {
        let line = |key: &str, text: &str, last: bool| {
            let mut u = unit(Kind::Verse { last }, &[key]);
            u.chunks[0].1.text = text.into();
            u
        };
        let planned = vec![
            line("a", "April is the cruellest month, breeding", false),
            line("b", "Lilacs out of the dead land, mixing", false),
            line("c", "Memory and desire, stirring", false),
            line("d", "Dull roots with spring rain.", false),
            line("e", "\"You gave me hyacinths first a year ago;\"", false),
            line("f", "They called me the hyacinth girl", true),
        ];
        assert_eq!(
            layout(&planned),
            [
                "0.5", "a", "0.1", "b", "0.1", "c", "0.1", "d", "0.35", "e", "0.35", "f", "1"
            ]
        );
        assert!(!runs_on("land,"));
        assert!(!runs_on("(so—)"));
        assert!(runs_on("breeding"));
        assert!(runs_on("\"Quivi, secondo che per ascoltahre\""));
        assert!(!runs_on("床前明月光"));
        assert!(!runs_on("1922"));
    }

    /// A "voice" for the tests: a 220 Hz tone with a slow tremolo at `amp`, and, with
    /// `clicks`, a sharp 3 ms burst every half second some 15 dB over the speech, like
    /// Kokoro's plosives.
    fn voice(amp: f32, clicks: bool) -> Vec<f32> {
        (0..48_000)
            .map(|i| {
                let t = i as f32 / SAMPLE_RATE as f32;
                let tone = amp
                    * (2.0 * std::f32::consts::PI * 220.0 * t).sin()
                    * (0.6 + 0.4 * (2.0 * std::f32::consts::PI * 3.0 * t).sin());
                let burst = if clicks && i % 12_000 < 72 {
                    amp * 5.0 * (2.0 * std::f32::consts::PI * 2_000.0 * t).sin()
                } else {
                    0.0
                };
                (tone + burst).clamp(-1.0, 1.0)
            })
            .collect()
    }

    fn master(samples: &[f32], loudness: &Loudness) -> (ChapterAudio, Figures) {
        let dir = tempfile::tempdir().unwrap();
        let store = ChunkStore::new(dir.path());
        store.put("a", samples).unwrap();
        store.put("b", samples).unwrap();
        let planned = vec![unit(Kind::Paragraph, &["a"]), unit(Kind::Paragraph, &["b"])];
        let dest = dir.path().join("ch.wav");
        let audio = assemble(&planned, &store, &Pauses::default(), loudness, &dest).unwrap();
        let written: Vec<f32> = hound::WavReader::open(&dest)
            .unwrap()
            .into_samples::<i16>()
            .map(|s| s.unwrap() as f32 / 32768.0)
            .collect();
        let mut meter = Meter::new(SAMPLE_RATE, true).unwrap();
        meter.add(&written).unwrap();
        let expected = 0.5 + 2.0 + 0.7 + 2.0 + 1.0;
        assert!((audio.seconds - expected).abs() < 0.01, "{}", audio.seconds);
        (audio, meter.figures())
    }

    #[test]
    fn quiet_loud_and_peaky_chapters_all_reach_the_target() {
        let target = Loudness::default();
        for (name, amp, clicks) in [
            ("quiet", 0.03, false),
            ("loud", 0.9, false),
            ("peaky", 0.05, true),
            ("peaky and loud", 0.15, true),
        ] {
            let (audio, file) = master(&voice(amp, clicks), &target);
            assert!(
                (file.integrated_lufs - target.target_lufs).abs() <= 0.25,
                "{name}: {file:?}"
            );
            let peak = file.true_peak_db.unwrap();
            assert!(peak <= target.max_true_peak_db, "{name}: {peak}");
            assert_eq!(audio.after, file, "{name}: the report is the file's");
            // Only the peaky ones needed the limiter.
            assert_eq!(audio.limited_db > 0.5, clicks, "{name}: {audio:?}");
        }
    }

    #[test]
    fn the_acx_preset_aims_at_rms_and_a_lower_ceiling() {
        let acx = Loudness {
            preset: super::super::master::Preset::Acx,
            ..Loudness::default()
        };
        let (_, file) = master(&voice(0.05, true), &acx);
        assert!((-23.0..=-18.0).contains(&file.rms_db), "{file:?}");
        assert!((file.rms_db + 20.0).abs() <= 0.25, "{file:?}");
        assert!(file.true_peak_db.unwrap() <= -3.0, "{file:?}");
    }

    #[test]
    fn off_leaves_the_level_alone() {
        let off = Loudness {
            preset: super::super::master::Preset::Off,
            ..Loudness::default()
        };
        let quiet = voice(0.05, false);
        let (audio, file) = master(&quiet, &off);
        assert_eq!(audio.gain_db, 0.0);
        assert!((file.integrated_lufs - audio.before.integrated_lufs).abs() < 0.01);
    }

    #[test]
    fn a_sentence_cut_at_a_clause_gets_the_short_pause() {
        let chunk = |key: &str, text: &str| {
            (
                key.to_string(),
                Chunk {
                    text: text.into(),
                    phonemes: String::new(),
                    ids: vec![],
                    joins: vec![],
                },
            )
        };
        let planned = vec![PlannedUnit {
            kind: Kind::Paragraph,
            chunks: vec![
                chunk("a", "It was the best of times, it was the worst of times,"),
                chunk("b", "it was the age of wisdom."),
                chunk("c", "\u{201c}Quite so.\u{201d}"),
                chunk("d", "End"),
            ],
        }];
        assert_eq!(
            layout(&planned),
            ["0.5", "a", "0.05", "b", "0.3", "c", "0.3", "d", "1"]
        );
    }
}
