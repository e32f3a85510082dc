//! Library runs with the fake engine standing in for GPUs: several books share one engine
//! (each device's session built once per run, each book in its own voice), a GPU another run
//! frees during the run joins it, and `pace.json` records the pace the run achieved rather
//! than the sum of the workers' times.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use crate::fixture::Epub;
use crate::util::{Dir, assert_exit, fake_models, hold_lock, repo, run, stderr, stdout};
use crate::vision_server::nothing_listening;

const SAMPLE: &str = "sample-books/lamplighters-almanac.epub";

/// `library/` with `n` copies of the sample book, `book1.epub`…
fn library(dir: &Dir, n: usize) {
    std::fs::create_dir_all(dir.join("library")).unwrap();
    for i in 1..=n {
        std::fs::copy(
            repo().join(SAMPLE),
            dir.join(&format!("library/book{i}.epub")),
        )
        .unwrap();
    }
}

/// `bookvoice convert library --json --device cuda --fake-engine SPEC --format wav`.
fn convert(dir: &Dir, spec: &str) -> std::process::Command {
    let mut cmd = dir.bare();
    cmd.env("BOOKVOICE_MODELS", fake_models(dir))
        .args(["convert", "library", "--json", "--device", "cuda"])
        .args(["--fake-engine", spec, "--format", "wav"])
        .args([
            "--vision-url",
            &nothing_listening(),
            "--vision-retries",
            "0",
        ]);
    cmd
}

/// Sessions the log says were built on a device: "inference session on the cuda:0: the fake
/// engine (0.00 s to load)".
fn sessions(err: &str, device: &str) -> usize {
    err.matches(&format!("inference session on the {device}: "))
        .count()
}

#[test]
fn a_library_builds_each_gpus_session_once_and_reads_each_book_in_its_voice() {
    let dir = Dir::new();
    library(&dir, 2);
    // A Spanish book, read in its own default voice (here a copy of the one the fake models
    // hold, under the Spanish voice's name).
    let models = fake_models(&dir);
    std::fs::copy(
        models.join("voices/af_heart.bin"),
        models.join("voices/ef_dora.bin"),
    )
    .unwrap();
    Epub::book_in(
        Some("es"),
        &[(
            "a.xhtml",
            "Capítulo uno",
            "<p>El faro se encendía cada tarde, cuando el sol caía sobre el puerto y los \
             pescadores volvían a casa con sus redes vacías.</p>",
        )],
    )
    .write(&dir.join("library/book3.epub"));
    let out = run(&mut convert(&dir, "cuda0:ok@5ms,cuda1:ok@15ms,cpu:ok"));
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert_eq!(sessions(&err, "cuda:0"), 1, "{err}");
    assert_eq!(sessions(&err, "cuda:1"), 1, "{err}");
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    let books = summary.as_array().expect("a list for several books");
    assert_eq!(books.len(), 3);
    let voices: Vec<&str> = books.iter().map(|b| b["voice"].as_str().unwrap()).collect();
    assert_eq!(voices, ["af_heart", "af_heart", "ef_dora"]);
    for book in books {
        assert!(book["error"].is_null(), "{book}");
        let device = book["audio"]["device"].as_str().unwrap_or("");
        assert!(device.contains("cuda:"), "{device}");
        assert!(!device.contains("cpu"), "{device}");
    }
    // The model was loaded for the first book and for no other.
    assert!(books[0]["audio"]["load_seconds"].is_number());
    assert!(books[1]["audio"]["load_seconds"].is_null());
    assert!(books[2]["audio"]["load_seconds"].is_null());
    // The plans were scratch: nothing of them is left.
    assert!(!dir.join("book1.bookvoice/plans").exists());
    // Its one chapter's WAV and captions.
    assert_eq!(std::fs::read_dir(dir.join("book3")).unwrap().count(), 2);

    // A rerun finds every book done and loads nothing.
    let out = run(&mut convert(&dir, "cuda0:ok@5ms,cuda1:ok@15ms,cpu:ok"));
    assert_exit(&out, 0);
    assert_eq!(sessions(&stderr(&out), "cuda:"), 0, "{}", stderr(&out));
}

#[test]
fn a_gpu_freed_during_the_run_joins_it() {
    let dir = Dir::new();
    library(&dir, 3);
    // Another bookvoice speaks on GPU 0 when the run starts (the harness puts the locks here).
    let held = hold_lock(&dir.join("speech-cuda0.lock"));
    let mut child = convert(&dir, "cuda0:ok@20ms,cuda1:ok@400ms,cpu:ok")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run bookvoice");
    let mut err = String::new();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // The other run lets GPU 0 go once this one has started without it.
    for line in lines.by_ref() {
        let line = line.unwrap();
        err.push_str(&line);
        err.push('\n');
        if line.contains("cuda:0 in use by another bookvoice") {
            break;
        }
    }
    drop(held);
    for line in lines {
        err.push_str(&line.unwrap());
        err.push('\n');
    }
    let out = child.wait_with_output().unwrap();
    eprintln!("--- stderr\n{err}");
    assert_exit(&out, 0);
    assert!(err.contains("cuda:0 in use by another bookvoice"), "{err}");
    assert!(err.contains("cuda:0 came free"), "{err}");
    assert_eq!(sessions(&err, "cuda:0"), 1, "{err}");
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    let on_gpu0 = summary
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| {
            b["audio"]["device"]
                .as_str()
                .is_some_and(|d| d.contains("cuda:0"))
        })
        .count();
    assert!(on_gpu0 >= 1, "{summary}");
}

#[test]
fn the_pace_recorded_is_the_runs_not_the_sum_of_the_workers() {
    let dir = Dir::new();
    library(&dir, 3);
    let out = run(&mut convert(&dir, "cuda0:ok@200ms,cuda1:ok@200ms,cpu:ok"));
    assert_exit(&out, 0);
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let (mut paced, mut model, mut speaking, mut chars) = (0.0, 0.0, 0.0, 0);
    for (i, book) in summary.as_array().unwrap().iter().enumerate() {
        let pace: Value = serde_json::from_slice(
            &std::fs::read(dir.join(&format!("book{}.bookvoice/pace.json", i + 1))).unwrap(),
        )
        .unwrap();
        paced += pace["seconds"].as_f64().unwrap();
        chars += pace["chars"].as_u64().unwrap();
        model += book["audio"]["model_seconds"].as_f64().unwrap();
        speaking += book["audio"]["seconds_speaking"].as_f64().unwrap();
        let spoken: u64 = book["audio"]["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["chars_spoken"].as_u64().unwrap())
            .sum();
        assert_eq!(pace["chars"].as_u64().unwrap(), spoken);
    }
    assert!(chars > 0);
    // Two GPUs side by side: the run's speaking took about half the model's summed time, and
    // that is what is recorded, not the sum of each chapter's time on its worker.
    assert!(paced < 0.8 * model, "pace {paced} s, model {model} s");
    assert!(paced > 0.45 * model, "pace {paced} s, model {model} s");
    assert!(paced <= speaking, "pace {paced} s, speaking {speaking} s");
}
