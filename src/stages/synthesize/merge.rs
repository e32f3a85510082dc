//! Several short chunks spoken in one model call, and cut apart again where the model's own
//! durations say each one ends.
//!
//! Each call to the model has a fixed cost on top of the cost per phoneme id, so a verse line
//! or a short line of dialogue spoken alone costs far more per character than a full chunk
//! (see BENCHMARKS.md, "The cost of a call"); and the model reads a line better with the lines
//! around it. Consecutive chunks are therefore packed into one call up to a length
//! ([`group`]), joined by a space. A part that closes a phrase (a heading,
//! a paragraph, a stanza's last line) but ends without punctuation gets a comma too, so it
//! still closes as one. A verse line that runs on into the next does not: the sense carries
//! across the line end as a reader carries it, with the line's pause but without a phrase's
//! fall in pitch. (With a comma at every line end, Whisper made about a quarter more errors
//! on The Waste Land's English: BENCHMARKS.md.) Kokoro decides how many frames each input
//! position lasts before it makes any audio; with those durations the call's audio
//! is cut in the middle of each separator ([`cut`]), and every part is stored as its own chunk,
//! so assembly puts the configured pause (line, paragraph, heading) between them exactly as if
//! they had been spoken apart. Where the CPU decodes the call itself, it first puts a little of
//! the model's own silence in each separator's middle ([`Frames::insert_silence`]), so that
//! no cut falls mid-voice. A model that does not report durations speaks the parts one by
//! one. The CPU decodes a long call's audio in windows ([`windows`]) that end at those same
//! cuts, so a window's edge never falls inside a part.

use std::ops::Range;

use super::backend::FRAME_SAMPLES;

/// One model call: the parts' ids joined by separators, and where each part sits in them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Call {
    /// The ids sent to the model (pads excluded).
    pub ids: Vec<i64>,
    /// The parts' text, for messages.
    pub text: String,
    pub parts: Vec<Part>,
}

/// One chunk inside a call.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Part {
    /// The name its audio is stored under.
    pub key: String,
    /// Its positions in the call's ids.
    pub ids: Range<usize>,
}

impl Call {
    /// A part's own ids, for speaking it alone.
    pub fn part_ids(&self, part: &Part) -> &[i64] {
        &self.ids[part.ids.clone()]
    }
}

/// Consecutive runs of chunks (given by their lengths in ids) to speak in one call each: a run
/// grows while its ids, with one separator of up to two ids between parts, stay within
/// `max_ids`. A chunk longer than that is a call of its own.
pub fn group(lens: &[usize], max_ids: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut total = 0;
    for (i, &len) in lens.iter().enumerate() {
        if i > start && total + SEPARATOR_MAX + len > max_ids {
            runs.push(start..i);
            start = i;
            total = 0;
        }
        total += if i > start { SEPARATOR_MAX } else { 0 } + len;
    }
    if start < lens.len() {
        runs.push(start..lens.len());
    }
    runs
}

/// The most ids put between two parts: a comma and a space.
const SEPARATOR_MAX: usize = 2;

/// The ids that separate parts in a call.
#[derive(Debug, Clone, Copy)]
pub struct Separators {
    pub space: i64,
    /// Put before the space after a part whose last id is not one of `closing`.
    pub comma: i64,
}

/// One chunk's ids, and whether the text closes a phrase after it (see [`join`]).
#[derive(Debug, Clone, Copy)]
pub struct JoinPart<'a> {
    pub ids: &'a [i64],
    /// False for a verse line that runs on into the next, and for a piece of a unit cut
    /// mid-phrase.
    pub closes_phrase: bool,
}

/// Joins the parts' ids into one call, returning the ids and each part's range in them.
/// A part that closes a phrase is followed by a comma unless its last id already ends one
/// (`ends_phrase`: punctuation that closes a phrase); every part is followed by a space.
pub fn join(
    parts: &[JoinPart],
    sep: Separators,
    ends_phrase: impl Fn(i64) -> bool,
) -> (Vec<i64>, Vec<Range<usize>>) {
    let mut ids = Vec::with_capacity(parts.iter().map(|p| p.ids.len() + SEPARATOR_MAX).sum());
    let mut ranges = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            if parts[i - 1].closes_phrase && !ids.last().is_some_and(|&id| ends_phrase(id)) {
                ids.push(sep.comma);
            }
            ids.push(sep.space);
        }
        let start = ids.len();
        ids.extend_from_slice(part.ids);
        ranges.push(start..ids.len());
    }
    (ids, ranges)
}

/// Where each part's audio lies in the call's `samples`, from the model's `durations` (frames
/// per position, pads included): from the middle of the separator before it to the middle of
/// the separator after it (the frame [`join_frames`] gives), the first from the start, the last
/// to the end. `None` when the durations do not describe this audio (wrong count, or a total
/// more than a frame off), and the parts must be spoken apart.
///
/// The middle: on the CPU, the silence [`Frames::insert_silence`] put there. Where the whole
/// graph runs (an accelerator) voicing often runs through it between lines that run on; a cut
/// at the separator's quietest 5 ms halved the line starts heard at full level, but Whisper then
/// lost a fifth more of The Waste Land's English words (BENCHMARKS.md). It falls on a frame
/// boundary, where a call decoded in windows ([`windows`]) is joined.
pub fn cut(
    samples: usize,
    durations: &[u32],
    call_len: usize,
    parts: &[Range<usize>],
) -> Option<Vec<Range<usize>>> {
    if durations.len() != call_len + 2 || parts.is_empty() {
        return None;
    }
    let total: usize = durations.iter().map(|&d| d as usize).sum();
    if (total * FRAME_SAMPLES).abs_diff(samples) > FRAME_SAMPLES {
        return None;
    }
    let mut bounds = vec![0];
    bounds.extend(
        join_frames(durations, &joins(parts))
            .into_iter()
            .map(|frame| (frame * FRAME_SAMPLES).min(samples)),
    );
    bounds.push(samples);
    Some(bounds.windows(2).map(|w| w[0]..w[1].max(w[0])).collect())
}

/// The separators between a call's parts: for parts `a` and `b`, `a.end..b.start` (positions
/// in the ids without pads).
pub fn joins(parts: &[Range<usize>]) -> Vec<Range<usize>> {
    parts.windows(2).map(|p| p[0].end..p[1].start).collect()
}

/// The frame in the middle of each separator `joins` names (positions in the ids without the
/// pads), from `durations` (frames per position, pads included); positions past the end count
/// as the end.
pub fn join_frames(durations: &[u32], joins: &[Range<usize>]) -> Vec<usize> {
    // start[i]: the first frame of position i (position 0 is the leading pad).
    let mut start = Vec::with_capacity(durations.len() + 1);
    let mut acc = 0usize;
    for &d in durations {
        start.push(acc);
        acc += d as usize;
    }
    start.push(acc);
    let at = |i: usize| start[i.min(start.len() - 1)];
    joins
        .iter()
        // The separator runs from the end of one part to the start of the next (ids are
        // offset by one position for the leading pad).
        .map(|j| (at(j.start + 1) + at(j.end + 1)) / 2)
        .collect()
}

/// The frame ranges to decode a call's audio in, one after another, covering all `frames` of
/// it: each ends at a separator's middle frame (see [`join_frames`]) or at the end, and holds
/// at most `max_frames` unless one part alone is longer. Cutting only where parts meet, where
/// [`cut`] parts them anyway, no window's edge falls inside a part.
pub fn windows(frames: usize, join_frames: &[usize], max_frames: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // The furthest cut that keeps the window within max_frames.
    let mut fits: Option<usize> = None;
    for &cut in join_frames.iter().chain(std::iter::once(&frames)) {
        let cut = cut.clamp(start, frames);
        if cut - start > max_frames {
            // Close at the last cut that fitted, or here if even the first part is too long.
            let end = fits.unwrap_or(cut);
            if end > start {
                out.push(start..end);
                start = end;
            }
            fits = None;
            if cut - start > max_frames {
                if cut > start {
                    out.push(start..cut);
                }
                start = cut;
                continue;
            }
        }
        fits = Some(cut);
    }
    if start < frames {
        out.push(start..frames);
    }
    out
}

/// Frames of the model's own silence put between a call's parts before its audio is decoded
/// (100 ms): where the parts will be cut apart and a pause put between them, each then ends
/// in the decoder's own release and the next starts with its own onset, as a call of its own
/// would, instead of being cut mid-voice. Whisper missed 45.5 of The Waste Land V's English
/// words spoken this way against 56.8 cut mid-voice; 8 frames did no better (47.2;
/// BENCHMARKS.md). Even, so the separators' middles move by exactly half of it.
pub const JOIN_SILENCE_FRAMES: usize = 4;

/// The decoder's inputs for a call: `features` [C, F], channel-major, and `f0` and `energy`
/// [2F] (two values a frame).
#[derive(Debug, Clone, PartialEq)]
pub struct Frames {
    pub features: Vec<f32>,
    pub channels: usize,
    pub f0: Vec<f32>,
    pub energy: Vec<f32>,
}

impl Frames {
    /// F, the number of frames.
    pub fn count(&self) -> usize {
        self.f0.len() / 2
    }

    /// Puts `silence` frames between the parts whose separators `joins` names: copies of the
    /// first frame (the leading pad, which the model renders as silence) at each separator's
    /// middle frame ([`join_frames`] of `durations`). `durations` gives the frames to the
    /// separator's first position, so that [`cut`] and [`join_frames`] then find the
    /// silence's middle, which is returned for each join.
    pub fn insert_silence(
        &mut self,
        durations: &mut [u32],
        joins: &[Range<usize>],
        silence: usize,
    ) -> Vec<usize> {
        let at = join_frames(durations, joins);
        let frames = self.count();
        if silence == 0 || frames == 0 || self.channels == 0 || at.is_empty() {
            return at;
        }
        // Each run of `per` values a frame gets `silence` copies of its first frame at each
        // point of `at`.
        let spread = |values: &[f32], per: usize| -> Vec<f32> {
            let mut out = Vec::with_capacity(values.len() + per * silence * at.len());
            let mut prev = 0;
            for &frame in &at {
                let frame = frame.clamp(prev, frames);
                out.extend_from_slice(&values[per * prev..per * frame]);
                for _ in 0..silence {
                    out.extend_from_slice(&values[..per]);
                }
                prev = frame;
            }
            out.extend_from_slice(&values[per * prev..]);
            out
        };
        self.features = self
            .features
            .chunks(frames)
            .flat_map(|row| spread(row, 1))
            .collect();
        self.f0 = spread(&self.f0, 2);
        self.energy = spread(&self.energy, 2);
        for j in joins {
            if let Some(d) = durations.get_mut(j.start + 1) {
                *d += silence as u32;
            }
        }
        at.iter()
            .enumerate()
            .map(|(i, &frame)| frame + i * silence + silence / 2)
            .collect()
    }
}

/// A part's own durations (frames per id) and the sample, within the call's audio, where its
/// first id starts: the timings kept beside the part's stored audio.
pub fn part_timing(durations: &[u32], part: &Range<usize>) -> (Vec<u32>, usize) {
    let before: usize = durations[..part.start + 1]
        .iter()
        .map(|&d| d as usize)
        .sum();
    (
        durations[part.start + 1..part.end + 1].to_vec(),
        before * FRAME_SAMPLES,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_chunks_are_packed_up_to_the_limit() {
        // 40 + 2 + 40 + 2 + 40 = 124 fits 150; the fourth would not.
        assert_eq!(group(&[40, 40, 40, 40], 150), vec![0..3, 3..4]);
        // A chunk at the limit stays alone, and so does one over it.
        assert_eq!(group(&[150, 10, 200, 5], 150), vec![0..1, 1..2, 2..3, 3..4]);
        assert_eq!(group(&[], 150), Vec::<Range<usize>>::new());
        assert_eq!(group(&[10], 150), vec![0..1]);
    }

    const SEP: Separators = Separators {
        space: 16,
        comma: 3,
    };
    const PERIOD: i64 = 4;

    #[test]
    fn parts_are_joined_with_a_comma_only_where_they_lack_punctuation() {
        let a = [50, 51, PERIOD];
        let b = [60, 61];
        let c = [70];
        let closing = |ids| JoinPart {
            ids,
            closes_phrase: true,
        };
        let (ids, ranges) = join(&[closing(&a), closing(&b), closing(&c)], SEP, |id| {
            id == PERIOD
        });
        assert_eq!(ids, vec![50, 51, PERIOD, 16, 60, 61, 3, 16, 70]);
        assert_eq!(ranges, vec![0..3, 4..6, 8..9]);
    }

    #[test]
    fn a_part_that_runs_on_gets_no_comma() {
        // A verse line without punctuation that runs on into the next line: a space only.
        let a = [50, 51];
        let b = [60, 61];
        let parts = [
            JoinPart {
                ids: &a,
                closes_phrase: false,
            },
            JoinPart {
                ids: &b,
                closes_phrase: true,
            },
        ];
        let (ids, ranges) = join(&parts, SEP, |id| id == PERIOD);
        assert_eq!(ids, vec![50, 51, 16, 60, 61]);
        assert_eq!(ranges, vec![0..2, 3..5]);
    }

    #[test]
    fn audio_is_cut_in_the_middle_of_each_separator() {
        // Positions: pad, a a, sep, b, pad. Frames: 2, 3 3, 4, 5, 1 → 18 frames.
        let durations = [2, 3, 3, 4, 5, 1];
        let samples = 18 * FRAME_SAMPLES;
        let cuts = cut(samples, &durations, 4, &[0..2, 3..4]).unwrap();
        // The separator spans frames 8..12; its middle is frame 10.
        assert_eq!(
            cuts,
            vec![0..10 * FRAME_SAMPLES, 10 * FRAME_SAMPLES..samples]
        );
        // A separator of an odd number of frames is cut on a frame boundary too.
        let odd = [2, 3, 3, 5, 5, 1];
        let cuts = cut(19 * FRAME_SAMPLES, &odd, 4, &[0..2, 3..4]).unwrap();
        assert_eq!(cuts[0], 0..10 * FRAME_SAMPLES);
        assert_eq!(
            part_timing(&durations, &(3..4)),
            (vec![5], 12 * FRAME_SAMPLES)
        );
    }

    #[test]
    fn durations_that_do_not_match_the_audio_are_refused() {
        let durations = [2, 3, 3, 4, 5, 1];
        assert!(cut(18 * FRAME_SAMPLES, &durations, 5, &[0..2, 3..4]).is_none());
        assert!(cut(30 * FRAME_SAMPLES, &durations, 4, &[0..2, 3..4]).is_none());
        // Within a frame is the model's rounding, and accepted.
        assert!(cut(18 * FRAME_SAMPLES - 100, &durations, 4, &[0..2, 3..4]).is_some());
    }

    #[test]
    fn windows_end_where_parts_meet_and_stay_within_the_limit() {
        // Parts meet at frames 100, 250, 330 and 600 of 700.
        let joins = [100, 250, 330, 600];
        assert_eq!(windows(700, &joins, 400), vec![0..330, 330..700]);
        assert_eq!(windows(700, &joins, 1000), vec![0..700]);
        assert_eq!(
            windows(700, &joins, 200),
            vec![0..100, 100..250, 250..330, 330..600, 600..700]
        );
        // A part longer than the limit is a window of its own.
        assert_eq!(
            windows(700, &[50, 650], 300),
            vec![0..50, 50..650, 650..700]
        );
        assert_eq!(windows(700, &[], 300), vec![0..700]);
        // Every frame is covered once, in order.
        for max in [1, 60, 150, 333, 700] {
            let w = windows(700, &joins, max);
            assert_eq!(w.first().unwrap().start, 0);
            assert_eq!(w.last().unwrap().end, 700);
            assert!(
                w.windows(2)
                    .all(|p| p[0].end == p[1].start && p[0].start < p[0].end)
            );
        }
    }

    #[test]
    fn silence_goes_where_the_parts_meet_and_the_cut_finds_its_middle() {
        // Positions: pad, a a, sep, b, pad. Frames: 2, 3 3, 4, 5, 1 → 18; the separator spans
        // frames 8..12 and is cut at 10.
        let mut durations = [2u32, 3, 3, 4, 5, 1];
        let joins = joins(&[0..2, 3..4]);
        assert_eq!(join_frames(&durations, &joins), vec![10]);
        // Two channels; a frame's value is its index (channel 1: +100), the pad's is 0.
        let f0: Vec<f32> = (0..36).map(|v| v as f32).collect();
        let mut call = Frames {
            features: (0..18).chain(100..118).map(|v| v as f32).collect(),
            channels: 2,
            f0: f0.clone(),
            energy: f0,
        };
        let middles = call.insert_silence(&mut durations, &joins, 4);
        let Frames {
            features,
            f0,
            energy,
            ..
        } = &call;
        let frames = call.count();
        assert_eq!(frames, 22);
        assert_eq!(middles, vec![12]);
        assert_eq!(&features[8..16], &[8., 9., 0., 0., 0., 0., 10., 11.]);
        assert_eq!(
            &features[22 + 9..22 + 15],
            &[109., 100., 100., 100., 100., 110.]
        );
        assert_eq!(
            &f0[18..30],
            &[18., 19., 0., 1., 0., 1., 0., 1., 0., 1., 20., 21.]
        );
        assert_eq!(energy, f0);
        assert_eq!(features.len(), 2 * 22);
        // The durations describe the longer audio, and cut where the silence is.
        assert_eq!(durations, [2, 3, 3, 8, 5, 1]);
        let cuts = cut(22 * FRAME_SAMPLES, &durations, 4, &[0..2, 3..4]).unwrap();
        assert_eq!(cuts[0], 0..12 * FRAME_SAMPLES);
        // The second part's timings start after the silence.
        assert_eq!(part_timing(&durations, &(3..4)).1, 16 * FRAME_SAMPLES);
    }

    #[test]
    fn windows_are_cut_where_the_audio_is_cut() {
        let durations = [2, 3, 3, 4, 5, 1];
        let frames = join_frames(&durations, &joins(&[0..2, 3..4]));
        assert_eq!(frames, vec![10]);
        let cuts = cut(18 * FRAME_SAMPLES, &durations, 4, &[0..2, 3..4]).unwrap();
        assert_eq!(windows(18, &frames, 10)[0].end * FRAME_SAMPLES, cuts[0].end);
    }
}
