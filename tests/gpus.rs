//! Several GPUs, simulated by the fake engine: `--device cuda` speaks on every one, each
//! chapter on whichever is free; `--device cuda:N` on one; a GPU whose lock another run holds
//! is left to that run.

use serde_json::Value;

use crate::util::{Dir, assert_exit, fake_models, hold_lock, repo, run, stderr, stdout};
use crate::vision_server::nothing_listening;

const SAMPLE: &str = "sample-books/lamplighters-almanac.epub";
/// Two GPUs, the second slower, and a CPU.
const TWO_GPUS: &str = "cuda0:ok@5ms,cuda1:ok@15ms,cpu:ok";

/// `bookvoice convert book.epub --json --device DEVICE --fake-engine SPEC`, with its summary.
fn convert(dir: &Dir, device: &str, spec: &str) -> (Value, String) {
    convert_with(dir, device, spec, &[])
}

/// [`convert`] with more flags.
fn convert_with(dir: &Dir, device: &str, spec: &str, extra: &[&str]) -> (Value, String) {
    std::fs::copy(repo().join(SAMPLE), dir.join("book.epub")).unwrap();
    let out = run(dir
        .bare()
        .env("BOOKVOICE_MODELS", fake_models(dir))
        .args(["convert", "book.epub", "--json", "--device", device])
        .args(["--fake-engine", spec, "--format", "wav"])
        .args(extra)
        .args([
            "--vision-url",
            &nothing_listening(),
            "--vision-retries",
            "0",
        ]));
    assert_exit(&out, 0);
    let summary = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    (summary, stderr(&out))
}

fn device(summary: &Value) -> String {
    summary["audio"]["device"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn every_gpu_speaks_and_the_chapters_stay_in_order() {
    let dir = Dir::new();
    let (summary, err) = convert(&dir, "cuda", TWO_GPUS);
    let used = device(&summary);
    assert!(used.contains("cuda:0") && used.contains("cuda:1"), "{used}");
    assert!(!used.contains("cpu"), "{used}");
    assert!(
        err.contains("speaking on 2 devices at once: cuda:0, cuda:1"),
        "{err}"
    );
    let numbers: Vec<u64> = summary["audio"]["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chapter"].as_u64().unwrap())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted);
    assert!(numbers.len() >= 2, "{numbers:?}");
}

#[test]
fn cuda_n_speaks_on_that_gpu_alone() {
    let dir = Dir::new();
    let (summary, _) = convert(&dir, "cuda:1", TWO_GPUS);
    assert_eq!(device(&summary), "cuda:1");
}

#[test]
fn a_gpu_another_run_holds_is_left_to_it() {
    let dir = Dir::new();
    // Another bookvoice speaking on GPU 0 holds its lock (the harness puts the locks here).
    let held = hold_lock(&dir.join("speech-cuda0.lock"));
    let (summary, err) = convert(&dir, "cuda", TWO_GPUS);
    assert_eq!(device(&summary), "cuda:1");
    assert!(err.contains("cuda:0 in use by another bookvoice"), "{err}");
    drop(held);
}

#[test]
fn one_gpu_failing_falls_back_alone() {
    let dir = Dir::new();
    let (summary, err) = convert(&dir, "cuda", "cuda0:ok@5ms,cuda1:nan,cpu:ok");
    let used = device(&summary);
    assert!(
        used.contains("cuda:0") && !used.contains("cuda:1"),
        "{used}"
    );
    assert!(
        err.contains("falling back from the cuda:1 to the cpu"),
        "{err}"
    );
}

#[test]
fn without_the_overlap_one_worker_speaks_each_chapter_before_it_is_assembled() {
    // The flag.
    let dir = Dir::new();
    let (summary, _) = convert_with(&dir, "cuda", TWO_GPUS, &["--no-overlap"]);
    assert_eq!(device(&summary), "cuda:0");

    // The settings file's key, and the flag's help.
    let dir = Dir::new();
    std::fs::write(dir.join("bookvoice.toml"), "[speech]\noverlap = false\n").unwrap();
    let (summary, _) = convert(&dir, "cuda", TWO_GPUS);
    assert_eq!(device(&summary), "cuda:0");
    let help = stdout(&run(dir.bare().args(["convert", "--help"])));
    assert!(help.contains("--no-overlap"), "{help}");

    // With the overlap (the default, or said in the file), both GPUs speak.
    let dir = Dir::new();
    std::fs::write(dir.join("bookvoice.toml"), "[speech]\noverlap = true\n").unwrap();
    let (summary, _) = convert(&dir, "cuda", TWO_GPUS);
    let used = device(&summary);
    assert!(used.contains("cuda:0") && used.contains("cuda:1"), "{used}");
}
