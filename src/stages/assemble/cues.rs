//! Where each chunk's words are heard in a chapter's audio, written as WebVTT captions.
//!
//! Assembly knows exactly where every chunk lands (the pauses are laid out by the script's
//! structure, not found afterwards by listening), so it records one cue per chunk: a sentence
//! or clause of prose, a line of verse, a heading. Beside each chapter's WAV in the work
//! directory, `chapters/NN - Title.vtt` then carries the text in time with the audio, for
//! players that show captions, for read-along, and for scoring speech a passage at a time
//! (`scripts/wer_clips.py`, which cuts a chapter at its pauses into clips of the length
//! Whisper hears best).
//!
//! Format: W3C "WebVTT: The Web Video Text Tracks Format" (a `WEBVTT` header line, then
//! blank-line-separated cues of `HH:MM:SS.mmm --> HH:MM:SS.mmm` and their text, in which `&`,
//! `<` and `>` are escaped, and a cue's text may not hold the `-->` arrow or a blank line).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// One chunk's words and where they are heard, in seconds from the chapter's start: `start`
/// is where the chunk's audio begins, `end` where it ends (the model's own short silences at
/// either edge included; the pauses laid out between chunks are not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

/// The cues as a WebVTT file's text.
pub fn webvtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for cue in cues {
        let text = caption(&cue.text);
        if text.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n{} --> {}\n{text}\n",
            timestamp(cue.start),
            timestamp(cue.end.max(cue.start))
        );
    }
    out
}

/// `HH:MM:SS.mmm`, rounded to the millisecond; negative times are taken as 0.
fn timestamp(secs: f64) -> String {
    let ms = (secs.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// A cue's text on one line, escaped: WebVTT ends a cue at a blank line and reads `<` and `&`
/// as markup, and `-->` is the timing's arrow.
fn caption(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_written_with_millisecond_times_and_escaped_text() {
        let cues = [
            Cue {
                start: 0.5,
                end: 2.25,
                text: "April is the cruellest month,".into(),
            },
            Cue {
                start: 3_725.000_4,
                end: 3_726.999_6,
                text: "Fish & chips\n\n<b>--> here".into(),
            },
            Cue {
                start: 5.0,
                end: 6.0,
                text: "  ".into(),
            },
        ];
        assert_eq!(
            webvtt(&cues),
            "WEBVTT\n\
             \n00:00:00.500 --> 00:00:02.250\nApril is the cruellest month,\n\
             \n01:02:05.000 --> 01:02:07.000\nFish &amp; chips &lt;b&gt;--&gt; here\n"
        );
    }

    #[test]
    fn a_chapter_without_words_is_a_header_alone() {
        assert_eq!(webvtt(&[]), "WEBVTT\n");
    }
}
