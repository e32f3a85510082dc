//! Short units spoken together: verse lines and short paragraphs go to the model in one call,
//! are cut apart where the model's durations say each ends, and get their configured pauses
//! back in the chapter. The fake engine (which reports three frames per id) covers the
//! plumbing; one test speaks two lines with the real model.

use std::path::Path;

use serde_json::Value;

use crate::fixture::Epub;
use crate::util::{Dir, assert_exit, fake_models, read_wav, run, stdout};
use crate::vision_server::nothing_listening;

const RATE: f64 = 24_000.0;

/// One heading, a stanza of four short lines, and a short paragraph.
fn poem(dir: &Dir) {
    Epub::book(&[(
        "poem.xhtml",
        "Poem",
        "<p>The tide came in<br/>The gulls went out<br/>The lamp was lit<br/>The night was long.</p>\
         <p>A short reply.</p>",
    )])
    .write(&dir.join("book.epub"));
}

fn convert(dir: &Dir, fake: Option<&str>) -> Value {
    let mut cmd = if fake.is_some() {
        let mut cmd = dir.bare();
        cmd.env("BOOKVOICE_MODELS", fake_models(dir));
        cmd
    } else {
        dir.cmd()
    };
    cmd.args(["convert", "book.epub", "--json", "--device", "cpu"])
        .args(["--vision-url", &nothing_listening()]);
    if let Some(spec) = fake {
        cmd.args(["--fake-engine", spec]);
    }
    let out = run(&mut cmd);
    assert_exit(&out, 0);
    serde_json::from_str(&stdout(&out)).expect("JSON on stdout")
}

/// Runs of digital silence (|sample| ≤ 2) of at least 0.1 s: (start, length) in seconds.
fn silences(samples: &[i16]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &s) in samples.iter().chain([i16::MAX].iter()).enumerate() {
        match (s.unsigned_abs() <= 2, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                if (i - a) as f64 / RATE >= 0.1 {
                    out.push((a as f64 / RATE, (i - a) as f64 / RATE));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn chapter_wav(work: &Path) -> Vec<i16> {
    let wav = std::fs::read_dir(work.join("chapters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "wav"))
        .expect("a chapter WAV");
    read_wav(&wav)
}

/// Every stored chunk's timings: (ids, frames, start).
fn timings(work: &Path) -> Vec<(usize, Vec<u64>, i64)> {
    std::fs::read_dir(work.join("chunks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".timing.json"))
        .map(|p| {
            let t: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            let frames = t["frames"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_u64().unwrap())
                .collect();
            (
                t["ids"].as_array().unwrap().len(),
                frames,
                t["start"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() < 0.01
}

#[test]
fn short_lines_share_one_call_and_keep_their_pauses() {
    let dir = Dir::new();
    poem(&dir);
    let summary = convert(&dir, Some("cpu:ok"));
    let chapter = &summary["audio"]["chapters"][0];
    // Heading, four lines, a paragraph: six chunks, one call.
    assert_eq!(chapter["chunks_spoken"], 6, "{chapter}");
    assert_eq!(chapter["calls"], 1, "{chapter}");

    let work = dir.join("book.bookvoice");
    let timings = timings(&work);
    assert_eq!(timings.len(), 6, "a timing beside every chunk");
    for (ids, frames, _) in &timings {
        assert_eq!(frames.len(), *ids);
        assert!(frames.iter().all(|&f| f == 3), "{frames:?}");
    }

    // Lead-in, then heading, line, line, line (stanza end), paragraph, tail. The first
    // three lines run on (no punctuation at their ends): the shorter pause.
    let gaps: Vec<f64> = silences(&chapter_wav(&work))
        .into_iter()
        .map(|(_, len)| len)
        .collect();
    let want = [0.5, 1.2, 0.1, 0.1, 0.1, 0.7, 1.0];
    assert_eq!(gaps.len(), want.len(), "{gaps:?}");
    for (got, want) in gaps.iter().zip(want) {
        assert!(close(*got, want), "pauses {gaps:?}, expected {want}");
    }
}

#[test]
fn lines_that_run_on_are_joined_without_a_comma() {
    let dir = Dir::new();
    poem(&dir);
    convert(&dir, Some("cpu:ok"));
    // One call, cut into its parts; the fake engine's tone is loud throughout, so nothing is
    // trimmed, and the parts' audio adds up to the call's. Every id and pad lasts three frames
    // (1,800 samples), so what the parts hold beyond their own ids is the two pads and the
    // separators.
    let work = dir.join("book.bookvoice");
    let ids: usize = timings(&work).iter().map(|(ids, _, _)| ids).sum();
    let samples: usize = std::fs::read_dir(work.join("chunks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .map(|p| read_wav(&p).len())
        .sum();
    let beyond = (samples - ids * 1800) / 1800;
    // The heading closes a phrase without punctuation: a comma and a space (2). The first
    // three lines run on into the next: a space each (3), no comma, so the sense carries
    // across the line end. The stanza's last line ends with a full stop: a space (1).
    assert_eq!(beyond, 2 + 2 + 3 + 1, "{samples} samples for {ids} ids");
}

#[test]
fn a_model_without_durations_speaks_each_part_alone_with_the_same_layout() {
    let timed = Dir::new();
    poem(&timed);
    convert(&timed, Some("cpu:ok"));
    let untimed = Dir::new();
    poem(&untimed);
    let summary = convert(&untimed, Some("cpu:untimed"));
    let chapter = &summary["audio"]["chapters"][0];
    assert_eq!(chapter["chunks_spoken"], 6, "{chapter}");
    assert_eq!(chapter["calls"], 6, "{chapter}");
    // No durations, no timings; the pauses are the same.
    assert!(timings(&untimed.join("book.bookvoice")).is_empty());
    let gaps = |d: &Dir| -> Vec<f64> {
        silences(&chapter_wav(&d.join("book.bookvoice")))
            .into_iter()
            .map(|(_, len)| (len * 100.0).round() / 100.0)
            .collect()
    };
    assert_eq!(gaps(&untimed), gaps(&timed));
}

#[test]
fn a_changed_line_respeaks_its_call_and_nothing_else() {
    let dir = Dir::new();
    let long = "<p>The keeper climbed the stair at dusk, as he had every evening for thirty \
                years, and trimmed the wick with the small brass scissors his father had left \
                him, while the wind pushed at the windows and the sea below went on with its \
                old argument against the rocks.</p>";
    let book = |line: &str| {
        Epub::book(&[
            (
                "poem.xhtml",
                "Poem",
                &format!(
                    "<p>The tide came in<br/>{line}<br/>The lamp was lit<br/>The night was long.</p>"
                ),
            ),
            ("keeper.xhtml", "Keeper", &long.repeat(2)),
        ])
        .write(&dir.join("book.epub"));
    };
    book("The gulls went out");
    let first = convert(&dir, Some("cpu:ok"));
    let keeper = first["audio"]["chapters"][1]["chunks_spoken"]
        .as_u64()
        .unwrap();
    assert!(keeper >= 3, "{first}");
    let again = convert(&dir, Some("cpu:ok"));
    for chapter in again["audio"]["chapters"].as_array().unwrap() {
        assert_eq!(chapter["chunks_spoken"], 0, "{chapter}");
    }
    // One line changed: its call (the heading and the stanza) is spoken again, the other
    // chapter not at all.
    book("The gulls flew out");
    let changed = convert(&dir, Some("cpu:ok"));
    let chapters = changed["audio"]["chapters"].as_array().unwrap();
    assert_eq!(chapters[0]["chunks_spoken"], 5, "{}", chapters[0]);
    assert_eq!(chapters[0]["calls"], 1, "{}", chapters[0]);
    assert_eq!(chapters[1]["chunks_spoken"], 0, "{}", chapters[1]);
}

#[test]
fn the_real_model_pauses_at_the_end_of_a_line_spoken_in_one_call() {
    let dir = Dir::new();
    Epub::book(&[(
        "tide.xhtml",
        "Tide",
        "<p>The tide came in<br/>and the gulls went out.</p>",
    )])
    .write(&dir.join("book.epub"));
    let summary = convert(&dir, None);
    let chapter = &summary["audio"]["chapters"][0];
    assert_eq!(chapter["chunks_spoken"], 3, "{chapter}");
    assert_eq!(chapter["calls"], 1, "{chapter}");

    let work = dir.join("book.bookvoice");
    let samples = chapter_wav(&work);
    // Lead-in, after the heading, after the first line, tail: the pause after the line,
    // which runs on, is the configured 0.1 s of silence (more where the model's own pause
    // was kept).
    let gaps = silences(&samples);
    assert!(gaps.len() >= 4, "{gaps:?}");
    let (heading_end, heading_gap) = gaps[1];
    let (line_end, line_gap) = gaps[2];
    assert!(heading_gap >= 1.2 - 0.01, "{gaps:?}");
    assert!((0.1 - 0.001..0.8).contains(&line_gap), "{gaps:?}");

    // The speech between them is exactly one stored part: the first line, cut where the
    // durations put its end, with its last sound inside the piece.
    let spoken = line_end - (heading_end + heading_gap);
    let parts: Vec<f64> = std::fs::read_dir(work.join("chunks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .map(|p| read_wav(&p).len() as f64 / RATE)
        .collect();
    assert_eq!(parts.len(), 3);
    assert!(
        parts.iter().any(|&len| (len - spoken).abs() < 0.02),
        "speech of {spoken:.3} s between the pauses; parts {parts:?}"
    );
    for (ids, frames, start) in timings(&work) {
        assert_eq!(frames.len(), ids);
        assert!(
            start > -600,
            "the first sound starts near the piece's start: {start}"
        );
    }
}

#[test]
fn the_real_model_reads_a_long_stanza_in_one_call_decoded_in_windows() {
    // Twelve lines, about 15 s of speech: one call, whose audio the CPU decodes in windows of
    // at most 10 s that end where lines meet. Every line must come back whole, with its pause.
    let dir = Dir::new();
    let lines = [
        "The tide came in across the sand",
        "the gulls went out above the bay",
        "the lamp was lit upon the rock",
        "and every ship that passed that night",
        "saw one small light against the dark.",
        "The keeper read beside the glass",
        "the wind went round the iron rail",
        "the boats came home before the rain",
        "and no one spoke of what was lost.",
        "At dawn the light went out again",
        "the kettle sang beside the stove",
        "the keeper slept the morning through.",
    ];
    Epub::book(&[(
        "tide.xhtml",
        "Tide",
        &format!("<p>{}</p>", lines.join("<br/>")),
    )])
    .write(&dir.join("book.epub"));
    let out = run(dir
        .cmd()
        .args(["convert", "book.epub", "--json", "--device", "cpu", "-v"])
        .args(["--vision-url", &nothing_listening()]));
    assert_exit(&out, 0);
    // The log says how the call was decoded: in more than one window.
    let log = crate::util::stderr(&out);
    let windows = log
        .lines()
        .find_map(|l| {
            l.split(" decoded in ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .unwrap_or_else(|| panic!("no decoding windows in the log:\n{log}"));
    assert!(windows >= 2, "{windows} windows");
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    let chapter = &summary["audio"]["chapters"][0];
    assert_eq!(chapter["chunks_spoken"], 13, "{chapter}");
    assert_eq!(chapter["calls"], 1, "{chapter}");

    let work = dir.join("book.bookvoice");
    let samples = chapter_wav(&work);
    // A pause after the heading and after each line but the last (the tail is a gap too):
    // 0.35 s after a line that ends with punctuation, 0.1 s after one that runs on.
    let gaps = silences(&samples);
    assert!(gaps.len() >= 13, "{gaps:?}");
    let full = gaps.iter().filter(|&&(_, len)| len >= 0.34).count();
    assert!(full >= 5, "{gaps:?}");
    let mut parts = 0;
    for entry in std::fs::read_dir(work.join("chunks")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wav") {
            let part = read_wav(&path);
            let secs = part.len() as f64 / RATE;
            assert!((0.3..4.0).contains(&secs), "{}: {secs} s", path.display());
            assert!(crate::util::rms(&part) > 0.02, "{}", path.display());
            parts += 1;
        }
    }
    assert_eq!(parts, 13);
    assert!(
        samples.len() as f64 / RATE > 15.0,
        "{} s",
        samples.len() as f64 / RATE
    );
}

#[test]
fn the_captions_say_each_line_where_it_is_heard() {
    let dir = Dir::new();
    poem(&dir);
    let mut cmd = dir.bare();
    cmd.env("BOOKVOICE_MODELS", fake_models(&dir))
        .args([
            "convert",
            "book.epub",
            "-o",
            "out",
            "--format",
            "wav",
            "--json",
        ])
        .args(["--device", "cpu", "--fake-engine", "cpu:ok"])
        .args(["--vision-url", &nothing_listening()]);
    let out = run(&mut cmd);
    assert_exit(&out, 0);
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    let folder = summary["audio"]["wav_dir"]
        .as_str()
        .expect("the WAV folder");

    let work = dir.join("out/book.bookvoice");
    let vtt = std::fs::read_dir(work.join("chapters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "vtt"))
        .expect("captions beside the chapter WAV");
    let text = std::fs::read_to_string(&vtt).unwrap();
    assert!(text.starts_with("WEBVTT\n\n"), "{text}");
    let cues: Vec<(f64, f64, &str)> = text
        .split("\n\n")
        .skip(1)
        .map(|cue| {
            let (times, words) = cue.trim().split_once('\n').expect("timing and text");
            let (start, end) = times.split_once(" --> ").expect("an arrow");
            (seconds(start), seconds(end), words)
        })
        .collect();
    let words: Vec<&str> = cues.iter().map(|c| c.2).collect();
    assert_eq!(
        words,
        [
            "Poem",
            "The tide came in",
            "The gulls went out",
            "The lamp was lit",
            "The night was long.",
            "A short reply."
        ]
    );
    // Each cue starts where a pause ends and ends where the next begins.
    let pauses = silences(&chapter_wav(&work));
    assert_eq!(pauses.len(), cues.len() + 1, "{pauses:?}");
    for (i, (start, end, words)) in cues.iter().enumerate() {
        let (before, length) = pauses[i];
        assert!(
            close(*start, before + length),
            "{words}: {start} after {pauses:?}"
        );
        assert!(
            close(*end, pauses[i + 1].0),
            "{words}: {end} before {pauses:?}"
        );
    }
    // Published beside the chapter's WAV in the output folder.
    let name = vtt.file_name().unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join(folder).join(name)).unwrap(),
        text
    );

    // Deleted from the work directory, they are made again from the stored chunks.
    std::fs::remove_file(&vtt).unwrap();
    let out = run(&mut cmd);
    assert_exit(&out, 0);
    let again: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(again["audio"]["chapters"][0]["chunks_spoken"], 0, "{again}");
    assert_eq!(std::fs::read_to_string(&vtt).unwrap(), text);
}

/// `HH:MM:SS.mmm` in seconds.
fn seconds(stamp: &str) -> f64 {
    let parts: Vec<f64> = stamp.split(':').map(|p| p.parse().unwrap()).collect();
    parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]
}
