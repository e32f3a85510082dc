//! `bookvoice convert` end to end: chapter WAVs and the M4B, freshness, resuming after a
//! kill, the lock, and re-speaking only what changed. The scripted fake engine stands in for
//! the model where the test is about plumbing; one test speaks with the real model.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fixture::{Epub, png};
use crate::util::{Dir, assert_exit, fake_models, repo, run, stderr, stdout};
use crate::vision_server::{Behaviour, VisionServer, nothing_listening};

const SAMPLE: &str = "sample-books/lamplighters-almanac.epub";

/// `bookvoice convert BOOK --json` with the fake engine and no vision server.
fn convert(dir: &Dir, engine: &str, extra: &[&str]) -> Command {
    let mut cmd = dir.bare();
    cmd.env("BOOKVOICE_MODELS", fake_models(dir))
        .args(["convert", "book.epub", "--json", "--fake-engine", engine])
        .args([
            "--vision-url",
            &nothing_listening(),
            "--vision-retries",
            "0",
        ])
        .args(extra);
    cmd
}

fn summary(dir: &Dir, engine: &str, extra: &[&str]) -> Value {
    let out = run(&mut convert(dir, engine, extra));
    assert_exit(&out, 0);
    serde_json::from_str(&stdout(&out)).expect("JSON on stdout")
}

fn chapters(summary: &Value) -> &Vec<Value> {
    summary["audio"]["chapters"]
        .as_array()
        .expect("audio chapters")
}

fn spoken(summary: &Value) -> u64 {
    chapters(summary)
        .iter()
        .map(|c| c["chunks_spoken"].as_u64().unwrap())
        .sum()
}

/// The chapter WAVs of a work directory, by name.
fn chapter_wavs(work: &Path) -> Vec<(String, Vec<u8>)> {
    let mut wavs: Vec<(String, Vec<u8>)> = std::fs::read_dir(work.join("chapters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    wavs.sort();
    wavs
}

fn sample_book(dir: &Dir) {
    std::fs::copy(repo().join(SAMPLE), dir.join("book.epub")).unwrap();
}

/// Chapter titles and durations (seconds) of an M4B, from ffprobe.
fn m4b_chapters(path: &Path) -> Vec<(String, f64)> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_chapters", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let start: f64 = c["start_time"].as_str().unwrap().parse().unwrap();
            let end: f64 = c["end_time"].as_str().unwrap().parse().unwrap();
            (
                c["tags"]["title"].as_str().unwrap().to_string(),
                end - start,
            )
        })
        .collect()
}

#[test]
fn a_book_becomes_chapter_wavs_and_a_chaptered_m4b_and_a_rerun_is_fresh() {
    let dir = Dir::new();
    sample_book(&dir);
    let first = summary(&dir, "cpu:ok", &[]);
    let titles: Vec<&str> = chapters(&first)
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(chapters(&first).iter().all(|c| c["fresh"] == false));
    // The fake engine's plan starts on the accelerator, as `auto` does where one is installed.
    assert_eq!(first["audio"]["device"], "cuda:0");
    let m4b = dir.join("book.m4b");
    let marks = m4b_chapters(&m4b);
    assert_eq!(
        marks.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        titles
    );
    for ((_, secs), c) in marks.iter().zip(chapters(&first)) {
        assert!((secs - c["seconds"].as_f64().unwrap()).abs() < 0.1);
    }
    let wavs = chapter_wavs(&dir.join("book.bookvoice"));
    assert!(
        wavs[0].0.starts_with("03 - The Harbour at Dawn"),
        "{:?}",
        wavs[0].0
    );

    // A second run does nothing; a deleted chapter WAV is made again from stored chunks.
    let second = summary(&dir, "cpu:ok", &[]);
    assert!(chapters(&second).iter().all(|c| c["fresh"] == true));
    assert_eq!(second["audio"]["m4b_fresh"], true);
    std::fs::remove_file(dir.join("book.bookvoice/chapters").join(&wavs[1].0)).unwrap();
    let third = summary(&dir, "cpu:ok", &[]);
    let fresh: Vec<bool> = chapters(&third)
        .iter()
        .map(|c| c["fresh"].as_bool().unwrap())
        .collect();
    assert_eq!(fresh, [true, false, true, true]);
    assert_eq!(spoken(&third), 0, "the chunks were stored");
    assert_eq!(
        chapter_wavs(&dir.join("book.bookvoice")),
        wavs,
        "remade byte for byte"
    );
    // The same chapters make the same audiobook: it is not encoded again.
    assert_eq!(third["audio"]["m4b_fresh"], true);
}

/// The sample book with the real model on the CPU and the test's vision server.
fn convert_sample(dir: &Dir, server: &VisionServer) -> Command {
    let mut cmd = dir.cmd();
    cmd.args([
        "convert",
        "book.epub",
        "--json",
        "--device",
        "cpu",
        "--threads",
        "1",
    ])
    .args(["--vision-url", server.url(), "-o", "out"]);
    cmd
}

/// ffprobe's view of a file: format tags, streams and chapters.
fn ffprobe(path: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-show_chapters",
        ])
        .args(["-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_sample_book_converts_end_to_end_and_resumes_after_a_kill_with_identical_files() {
    let server = VisionServer::start(Behaviour::Describe, &["google/gemma-3n-e4b"]);
    let whole = Dir::new();
    sample_book(&whole);
    let out = run(&mut convert_sample(&whole, &server));
    assert_exit(&out, 0);
    let first: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let total = spoken(&first);
    assert_eq!(first["audio"]["device"], "cpu");
    assert_eq!(first["images"]["described_now"], 1);

    // The M4B: a chapter per chapter with its title, the book's tags, the cover.
    let m4b = whole.join("out/book.m4b");
    let titles: Vec<String> = chapters(&first)
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect();
    let marks = m4b_chapters(&m4b);
    assert_eq!(
        marks.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
        titles
    );
    let probe = ffprobe(&m4b);
    assert_eq!(
        probe["format"]["tags"]["title"],
        "The Lamplighter's Almanac"
    );
    assert_eq!(probe["format"]["tags"]["artist"], "Wren Calloway");
    let streams = probe["streams"].as_array().unwrap();
    assert!(streams.iter().any(|s| s["codec_name"] == "aac"));
    assert!(
        streams
            .iter()
            .any(|s| s["disposition"]["attached_pic"] == 1),
        "no cover: {streams:?}"
    );
    // The chapter WAVs, in the output folder too, at audiobook loudness.
    let published: Vec<String> = std::fs::read_dir(whole.join("out/book"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // Each with its captions beside it.
    assert_eq!(published.len(), 8, "{published:?}");
    assert_eq!(
        published.iter().filter(|n| n.ends_with(".vtt")).count(),
        4,
        "{published:?}"
    );
    for (name, bytes) in chapter_wavs(&whole.join("out/book.bookvoice")) {
        assert_audiobook_loudness(&name, &bytes);
    }

    // Killed mid-synthesis, then run again: the same files, and only what was missing spoken.
    let dir = Dir::new();
    sample_book(&dir);
    let mut child = convert_sample(&dir, &server)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // A chapter's chunks may share one model call, stored part by part: wait for the first
    // chapter's WAV, so that at least one whole call is stored before the kill.
    wait_for_wavs(&dir.join("out/book.bookvoice/chapters"), 1);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!dir.join("out/book.m4b").exists());
    let out = run(&mut convert_sample(&dir, &server));
    assert_exit(&out, 0);
    let resumed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let again = spoken(&resumed);
    assert!(
        again < total,
        "the resumed run spoke {again} of {total} chunks"
    );
    assert_eq!(
        chapter_wavs(&dir.join("out/book.bookvoice")),
        chapter_wavs(&whole.join("out/book.bookvoice")),
        "chapter WAVs differ from the uninterrupted run"
    );
    assert_eq!(
        std::fs::read(dir.join("out/book.m4b")).unwrap(),
        std::fs::read(&m4b).unwrap(),
        "the M4B differs from the uninterrupted run"
    );
    let leftovers: Vec<PathBuf> = walk(&dir.join("out"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A chapter WAV at -16 LUFS (within half a LU) with true peaks at or under -1 dBTP.
fn assert_audiobook_loudness(name: &str, wav: &[u8]) {
    let samples: Vec<i16> = hound::WavReader::new(std::io::Cursor::new(wav))
        .unwrap()
        .into_samples()
        .map(|s| s.unwrap())
        .collect();
    let mut meter =
        ebur128::EbuR128::new(1, 24_000, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).unwrap();
    meter.add_frames_i16(&samples).unwrap();
    let lufs = meter.loudness_global().unwrap();
    let peak = 20.0 * meter.true_peak(0).unwrap().log10();
    assert!((lufs + 16.0).abs() <= 0.5, "{name}: {lufs} LUFS");
    assert!(peak <= -1.0, "{name}: true peak {peak} dB");
}

/// Waits until `dir` holds `n` stored WAVs (chunks or chapters): files named *.wav, not the
/// temporary files one is written to first, which a kill can leave behind with nothing stored.
fn wait_for_wavs(dir: &Path, n: usize) {
    let started = Instant::now();
    let stored = || {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".wav"))
                .count()
        })
    };
    while stored() < n {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no WAVs appeared in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_second_run_on_the_same_book_is_kept_off_by_the_lock() {
    let dir = Dir::new();
    sample_book(&dir);
    let mut first = convert(&dir, "cpu:slow", &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_wavs(&dir.join("book.bookvoice/chunks"), 1);
    let out = run(&mut convert(&dir, "cpu:slow", &["--no-wait"]));
    first.kill().unwrap();
    first.wait().unwrap();
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("another bookvoice is working on"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_new_description_respeaks_only_the_chunks_it_changed() {
    let dir = Dir::new();
    let paragraphs: String = (1..=6)
        .map(|i| format!("<p>This is paragraph number {i} of the harbour chapter, long enough to be a chunk of its own.</p>"))
        .collect();
    let mut epub = Epub::book(&[(
        "harbour.xhtml",
        "The Harbour",
        &format!(
            "{paragraphs}<figure><img src=\"h.png\" alt=\"x\"/><figcaption>The harbour</figcaption></figure>{paragraphs}"
        ),
    )]);
    epub.add_bytes("OEBPS/h.png", png(300, 200));
    epub.write(&dir.join("book.epub"));
    let first = summary(&dir, "cpu:ok", &[]);
    let total = spoken(&first);

    let server = VisionServer::start(Behaviour::Describe, &["google/gemma-3n-e4b"]);
    let out = run(dir
        .bare()
        .env("BOOKVOICE_MODELS", fake_models(&dir))
        .args(["convert", "book.epub", "--json", "--fake-engine", "cpu:ok"])
        .args(["--vision-url", server.url()]));
    assert_exit(&out, 0);
    let second: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(second["images"]["described_now"], 1);
    let again = spoken(&second);
    assert!(
        again >= 1 && again < total / 2,
        "{again} of {total} chunks spoken again"
    );
    assert_eq!(second["audio"]["m4b_fresh"], false);
}

#[test]
fn the_real_model_speaks_one_book_after_another_in_one_run() {
    // ONNX Runtime allows one environment per process: the second book's engine must reuse
    // the first's.
    let dir = Dir::new();
    std::fs::create_dir(dir.join("library")).unwrap();
    Epub::book(&[("a.xhtml", "Alpha", "<p>The lamp was lit.</p>")])
        .write(&dir.join("library/alpha.epub"));
    Epub::book(&[("b.xhtml", "Beta", "<p>The sea was calm.</p>")])
        .write(&dir.join("library/beta.epub"));
    let out = run(dir
        .cmd()
        .args(["convert", "library", "--device", "cpu"])
        .args(["--vision-url", &nothing_listening()]));
    assert_exit(&out, 0);
    assert!(dir.join("alpha.m4b").is_file() && dir.join("beta.m4b").is_file());
}

#[test]
fn the_real_model_speaks_a_short_book_at_audiobook_loudness() {
    let dir = Dir::new();
    Epub::book(&[
        ("one.xhtml", "One", "<p>The lamp was lit at dusk.</p>"),
        ("two.xhtml", "Two", "<p>It burned until the morning.</p>"),
    ])
    .write(&dir.join("book.epub"));
    let out = run(dir
        .cmd()
        .args(["convert", "book.epub", "--json", "--device", "cpu"])
        .args(["--vision-url", &nothing_listening()]));
    assert_exit(&out, 0);
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["audio"]["device"], "cpu");
    for (name, bytes) in chapter_wavs(&dir.join("book.bookvoice")) {
        assert_audiobook_loudness(&name, &bytes);
    }
    assert_eq!(m4b_chapters(&dir.join("book.m4b")).len(), 2);
}

#[test]
fn a_folder_of_books_converts_each_and_a_broken_one_does_not_stop_the_rest() {
    let dir = Dir::new();
    std::fs::create_dir(dir.join("library")).unwrap();
    Epub::book(&[("a.xhtml", "Alpha", "<p>The first book.</p>")])
        .write(&dir.join("library/alpha.epub"));
    std::fs::write(dir.join("library/broken.epub"), b"not a zip at all").unwrap();
    Epub::book(&[("c.xhtml", "Gamma", "<p>The third book.</p>")])
        .write(&dir.join("library/gamma.epub"));
    // `convert PATHS… EXTRA…` with the fake engine and no vision server.
    let convert = |paths: &[&str]| {
        run(dir
            .bare()
            .env("BOOKVOICE_MODELS", fake_models(&dir))
            .arg("convert")
            .args(paths)
            .args([
                "--fake-engine",
                "cpu:ok",
                "--vision-url",
                &nothing_listening(),
            ]))
    };
    let out = convert(&["library"]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("1 of 3 books failed"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("broken.epub"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "./alpha.m4b\n./gamma.m4b\n");
    assert!(dir.join("alpha.m4b").is_file() && dir.join("gamma.m4b").is_file());

    // status reads the work directories and changes nothing.
    let out = run(dir.bare().args([
        "status",
        "library/alpha.epub",
        "library/broken.epub",
        "--json",
    ]));
    assert_exit(&out, 0);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status[0]["state"], "done");
    assert_eq!(status[0]["chapter_wavs"], 1);
    assert_eq!(status[0]["chapter_list"][0]["state"], "done");
    assert_eq!(status[0]["seconds_left"], 0.0);
    assert_eq!(status[1]["state"], "not started");
    // A work directory made from another book is not taken for this one's.
    let out = run(dir.bare().args([
        "status",
        "library/gamma.epub",
        "-w",
        "alpha.bookvoice",
        "--json",
    ]));
    assert_exit(&out, 0);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status[0]["state"], "other epub", "{status}");

    // A book converted into another folder is found there with the same -o.
    let out = convert(&["library/alpha.epub", "-o", "books"]);
    assert_exit(&out, 0);
    let out = run(dir
        .bare()
        .args(["status", "library/alpha.epub", "-o", "books", "--json"]));
    assert_exit(&out, 0);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status[0]["state"], "done");
    assert!(
        status[0]["work_dir"]
            .as_str()
            .unwrap()
            .ends_with("books/alpha.bookvoice"),
        "{status}"
    );
    // Without -o, the settings file's [output] dir, as convert reads it.
    std::fs::write(dir.join("bookvoice.toml"), "[output]\ndir = \"books\"\n").unwrap();
    let out = run(dir.bare().args(["status", "library/alpha.epub", "--json"]));
    assert_exit(&out, 0);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status[0]["state"], "done", "{status}");
    std::fs::remove_file(dir.join("bookvoice.toml")).unwrap();
    // A folder stands for its books, as in convert.
    let out = run(dir.bare().args(["status", "library", "--json"]));
    assert_exit(&out, 0);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let states: Vec<&str> = status
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["done", "not started", "done"], "{status}");

    // A book that is not there is an error, not "not started".
    let out = run(dir.bare().args(["status", "library/missing.epub"]));
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("library/missing.epub: no such book or work directory"),
        "{}",
        stderr(&out)
    );
    // Among other books it is reported after their status, which is still printed; so is
    // a folder of work directories named instead of its books.
    let out = run(dir.bare().args([
        "status",
        "library/missing.epub",
        "library/alpha.epub",
        "books",
        "--json",
    ]));
    assert_exit(&out, 1);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status[0]["state"], "done", "{status}");
    assert!(
        stderr(&out).contains("library/missing.epub: no such book"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("books: no .epub files in this folder; it holds work directories"),
        "{}",
        stderr(&out)
    );

    // A settings file convert would refuse is refused by status too, even with -o.
    std::fs::write(dir.join("typo.toml"), "[pauses]\nverse_lines = 0.2\n").unwrap();
    let out = run(dir.bare().args([
        "status",
        "library/alpha.epub",
        "-o",
        "books",
        "--config",
        "typo.toml",
    ]));
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("verse_lines"), "{}", stderr(&out));

    // A book converted to WAVs only is done without an M4B.
    let out = convert(&["library/gamma.epub", "-o", "wavs", "--format", "wav"]);
    assert_exit(&out, 0);
    let out = run(dir
        .bare()
        .args(["status", "library/gamma.epub", "-o", "wavs"]));
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("gamma.epub: done ("),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("M4B not asked for"),
        "{}",
        stdout(&out)
    );
    // Its chapter WAVs removed since, it is not done any more, and status says what is gone.
    std::fs::remove_dir_all(dir.join("wavs/gamma")).unwrap();
    let out = run(dir
        .bare()
        .args(["status", "library/gamma.epub", "-o", "wavs"]));
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("gamma.epub: in progress ("),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("and is gone"), "{}", stdout(&out));

    // One work directory cannot serve several books: a usage error.
    let out = run(dir.bare().args(["convert", "library", "-w", "x"]));
    assert_exit(&out, 2);
    let out = run(dir.bare().args([
        "status",
        "library/alpha.epub",
        "library/gamma.epub",
        "-w",
        "x",
    ]));
    assert_exit(&out, 2);
    let out = run(dir.bare().args(["status", "library", "-w", "x"]));
    assert_exit(&out, 2);
}

#[test]
fn two_books_at_once_take_turns_at_speaking() {
    let dir = Dir::new();
    for name in ["one", "two"] {
        std::fs::create_dir(dir.join(name)).unwrap();
        std::fs::copy(repo().join(SAMPLE), dir.join(name).join("book.epub")).unwrap();
    }
    let start = |name: &str| {
        let mut cmd = convert(&dir, "cpu:slow", &[]);
        cmd.current_dir(dir.join(name))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = start("one");
    wait_for_wavs(&dir.join("one/book.bookvoice/chunks"), 1);
    let second = start("two").wait_with_output().unwrap();
    let first = first.wait_with_output().unwrap();
    assert_exit(&first, 0);
    assert_exit(&second, 0);
    assert!(
        stderr(&second).contains("another bookvoice is speaking on this machine"),
        "{}",
        stderr(&second)
    );
}

/// Every file the user gets under `dir` (the work directory aside) with a digest of its
/// bytes, by path.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    use sha2::Digest;
    let mut all: Vec<(PathBuf, String)> = walk(dir)
        .into_iter()
        .filter(|p| p.is_file() && !p.to_string_lossy().contains(".bookvoice"))
        .map(|p| {
            let digest = sha2::Sha256::digest(std::fs::read(&p).unwrap());
            let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
            (p, hex)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn every_format_has_its_tags_chapters_and_cover_and_a_rerun_changes_no_byte() {
    let dir = Dir::new();
    sample_book(&dir);
    let flags = [
        "--format",
        "m4b,wav,mp3,opus",
        "--bitrate",
        "mp3=96",
        "-o",
        "out",
    ];
    let first = summary(&dir, "cpu:ok", &flags);
    let titles: Vec<String> = chapters(&first)
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 4);
    assert_eq!(first["audio"]["files_encoded"], 10);

    // Every chapter at the target, even from chapter to chapter.
    let out = dir.join("out");
    for c in chapters(&first) {
        let wav = std::fs::read(c["wav"].as_str().map(|w| dir.join(w)).unwrap()).unwrap();
        assert_audiobook_loudness(c["title"].as_str().unwrap(), &wav);
        let reported = c["loudness"]["after"]["integrated_lufs"].as_f64().unwrap();
        assert!((reported + 16.0).abs() <= 0.5, "{reported}");
    }

    // The book in one MP3, with a chapter frame per chapter and the book's tags.
    let book = ffprobe(&out.join("book.mp3"));
    let marks: Vec<&str> = book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tags"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(marks, titles);
    let tags = &book["format"]["tags"];
    assert_eq!(tags["album"], "The Lamplighter's Almanac");
    assert_eq!(tags["artist"], "Wren Calloway");
    // An average bit rate, which the fake engine's plain tones do not fill: the rate asked
    // for is what the file was made with.
    let made: Value = serde_json::from_slice(
        &std::fs::read(out.join("book.bookvoice/book.mp3.fp.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(made["kbps"], 96);
    assert_eq!(book["streams"][1]["disposition"]["attached_pic"], 1);

    // A file per chapter in each format, numbered, titled, with the cover.
    for (number, title) in titles.iter().enumerate() {
        for ext in ["mp3", "opus"] {
            let name = chapters(&first)[number]["wav"]
                .as_str()
                .map(|w| {
                    Path::new(w)
                        .file_stem()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .unwrap();
            let file = out.join("book").join(format!("{name}.{ext}"));
            let p = ffprobe(&file);
            let tags = &p["format"]["tags"];
            let stream_tags = &p["streams"][0]["tags"];
            // Ogg keeps Vorbis comments on the stream, MP3 its ID3 frames on the file.
            let tag = |key: &str| {
                tags[key]
                    .as_str()
                    .or(stream_tags[key].as_str())
                    .or(stream_tags[key.to_uppercase()].as_str())
                    .unwrap_or_else(|| panic!("{ext} {key}: {p}"))
                    .to_string()
            };
            assert_eq!(tag("title"), *title, "{ext}");
            assert_eq!(tag("album"), "The Lamplighter's Almanac");
            assert_eq!(tag("artist"), "Wren Calloway");
            if ext == "mp3" {
                assert_eq!(tag("track"), format!("{}/4", number + 1));
            } else {
                assert_eq!(tag("track"), format!("{}", number + 1));
                assert_eq!(tag("TRACKTOTAL"), "4");
            }
            let codec = if ext == "mp3" { "mp3" } else { "opus" };
            assert_eq!(p["streams"][0]["codec_name"], codec);
            let cover = p["streams"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["disposition"]["attached_pic"] == 1 && s["codec_type"] == "video");
            assert!(cover, "{ext}: no cover in {p}");
        }
    }

    // Nothing changed: nothing encoded, every byte the same; a lost record re-encodes the
    // same bytes.
    let before = files(&out);
    let second = summary(&dir, "cpu:ok", &flags);
    assert_eq!(second["audio"]["files_encoded"], 0);
    assert_eq!(second["audio"]["files_fresh"], 10);
    assert!(files(&out) == before, "a rerun changed bytes");
    for entry in std::fs::read_dir(out.join("book.bookvoice/encoded")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".fp") {
            std::fs::remove_file(path).unwrap();
        }
    }
    std::fs::remove_file(out.join("book.bookvoice/book.mp3.fp")).unwrap();
    let third = summary(&dir, "cpu:ok", &flags);
    assert_eq!(third["audio"]["files_encoded"], 9);
    // The M4B, the book's MP3, and four chapters as MP3, Opus and WAV with its captions.
    assert_eq!(files(&out).len(), 18);
    assert!(files(&out) == before, "re-encoding changed bytes");

    // Without --json, what was made is printed: the book's MP3 when that is what was asked for.
    let out = run(dir
        .bare()
        .env("BOOKVOICE_MODELS", fake_models(&dir))
        .args([
            "convert",
            "book.epub",
            "--fake-engine",
            "cpu:ok",
            "--no-images",
        ])
        .args(["--format", "mp3", "--bitrate", "mp3=96", "-o", "out"]));
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "out/book.mp3\n");
}

#[test]
fn the_acx_preset_and_off() {
    let dir = Dir::new();
    sample_book(&dir);
    let acx = summary(&dir, "cpu:ok", &["--loudness", "acx", "--format", "wav"]);
    for c in chapters(&acx) {
        let after = &c["loudness"]["after"];
        let rms = after["rms_db"].as_f64().unwrap();
        assert!((-23.0..=-18.0).contains(&rms), "{rms}");
        assert!(after["true_peak_db"].as_f64().unwrap() <= -3.0, "{after}");
    }
    // `off` is a new setting, so the chapters are assembled again, untouched by any gain.
    let off = summary(&dir, "cpu:ok", &["--loudness", "off", "--format", "wav"]);
    for c in chapters(&off) {
        assert_eq!(c["fresh"], false);
        assert_eq!(c["loudness"]["gain_db"], 0.0);
    }
    // A wrong flag is bad usage; a wrong settings file is a failure.
    let out = run(&mut convert(&dir, "cpu:ok", &["--bitrate", "flac=3"]));
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("no format \"flac\""),
        "{}",
        stderr(&out)
    );
    let out = run(&mut convert(&dir, "cpu:ok", &["--bitrate", "mp3=999"]));
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("999"), "{}", stderr(&out));
    std::fs::write(dir.join("rates.toml"), "[output.bitrates]\nmp3 = 999\n").unwrap();
    let out = run(&mut convert(&dir, "cpu:ok", &["--config", "rates.toml"]));
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("999"), "{}", stderr(&out));
}

#[test]
fn a_book_with_a_chapter_still_to_speak_is_not_done() {
    let dir = Dir::new();
    Epub::book(&[
        ("a.xhtml", "Alpha", "<p>The first chapter.</p>"),
        ("b.xhtml", "Beta", "<p>The second chapter.</p>"),
    ])
    .write(&dir.join("book.epub"));
    assert_exit(&run(&mut convert(&dir, "cpu:ok", &["--chapters", "1"])), 0);
    // The second chapter is scripted but not spoken; the M4B made before lacks it.
    let out = run(&mut convert(
        &dir,
        "cpu:ok",
        &["--chapters", "1,2", "--stop-after", "script"],
    ));
    assert_exit(&out, 0);
    let out = run(dir.bare().args(["status", "book.epub", "--json"]));
    assert_exit(&out, 0);
    let status: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(status[0]["chapter_list"][1]["state"], "pending", "{status}");
    assert_eq!(status[0]["state"], "in progress", "{status}");
}
