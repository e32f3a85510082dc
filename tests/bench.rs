//! `bookvoice bench`: the book, soak and reference modes, through the binary with the fake
//! engine (the passage mode with the real model is in `engine.rs`).

use crate::util::*;

/// `bench --book` with the fake engine: the whole pipeline, its figures, and the files kept.
#[test]
fn bench_book_converts_end_to_end_and_reports_the_run() {
    let dir = Dir::new();
    let models = fake_models(&dir);
    let book = repo().join("sample-books/lamplighters-almanac.epub");
    let out = run(dir
        .bare()
        .env("BOOKVOICE_MODELS", &models)
        .args(["bench", "--book"])
        .arg(&book)
        .args([
            "--out",
            "b",
            "--device",
            "cpu",
            "--fake-engine",
            "cpu:ok",
            "--json",
        ]));
    assert_exit(&out, 0);
    let f: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let chapters = f["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), 4, "{f}");
    for c in chapters {
        assert!(c["chars"].as_u64().unwrap() > 100, "{c}");
        assert!(c["audio_secs"].as_f64().unwrap() > 1.0, "{c}");
        assert!(c["peak_rss_mb"].as_f64().unwrap() > 1.0, "{c}");
    }
    for key in [
        "wall_secs",
        "model_secs",
        "wall_over_model",
        "peak_rss_mb",
        "run_peak_rss_mb",
        "rerun_secs",
    ] {
        assert!(f[key].as_f64().is_some_and(|v| v > 0.0), "{key} in {f}");
    }
    assert!(f["wall_over_model"].as_f64().unwrap() >= 1.0);
    // The run's sampled peak is its chapters' highest, within the process's (the kernel's).
    let chapter_peak = chapters
        .iter()
        .map(|c| c["peak_rss_mb"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(f["run_peak_rss_mb"].as_f64().unwrap(), chapter_peak);
    assert!(chapter_peak <= f["peak_rss_mb"].as_f64().unwrap() + 1.0);
    assert!(f["growth_mb"].is_number(), "{f}");
    assert!(dir.join("b/lamplighters-almanac.m4b").is_file());
    let text = std::fs::read_to_string(dir.join("b/text/03.txt")).unwrap();
    assert!(text.starts_with("The Harbour at Dawn"), "{text}");
    assert!(
        !text.contains('#'),
        "markup left in the reference text: {text}"
    );

    // A second run into the same folder would measure a rerun, not a conversion.
    let again = run(dir
        .bare()
        .env("BOOKVOICE_MODELS", &models)
        .args(["bench", "--book"])
        .arg(&book)
        .args(["--out", "b", "--device", "cpu", "--fake-engine", "cpu:ok"]));
    assert_exit(&again, 1);
    assert!(stderr(&again).contains("--out"), "{}", stderr(&again));
}

#[test]
fn soak_passes_when_memory_is_flat_and_fails_when_it_grows() {
    let dir = Dir::new();
    let models = fake_models(&dir);
    let soak = |spec: &str| {
        run(dir.bare().env("BOOKVOICE_MODELS", &models).args([
            "bench",
            "--soak",
            "60",
            "--device",
            "cpu",
            "--fake-engine",
            spec,
        ]))
    };
    let flat = soak("cpu:ok");
    assert_exit(&flat, 0);
    assert!(
        stdout(&flat).contains("over the warm-up"),
        "{}",
        stdout(&flat)
    );

    // 4 MB kept per chunk: well over 30 MB after the warm-up.
    let leaking = soak("cpu:leak");
    assert_exit(&leaking, 1);
    assert!(
        stderr(&leaking).contains("resident memory grew by"),
        "{}",
        stderr(&leaking)
    );
}

#[test]
fn compare_reference_without_its_environment_says_how_to_set_it_up() {
    let dir = Dir::new();
    let out = run(dir.cmd().args([
        "bench",
        "--compare-reference",
        "--reference-python",
        "no-such-python",
    ]));
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("make reference"), "{}", stderr(&out));
}
