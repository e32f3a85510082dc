//! The worker's recovery, through the binary: a scripted fake session replaces the model.

use crate::util::*;
use std::process::Output;

/// `bookvoice say TEXT --device DEVICE --fake-engine SPEC -o out.wav [extra]` on the fake models.
fn say_fake(dir: &Dir, text: &str, device: &str, spec: &str, extra: &[&str]) -> Output {
    let models = fake_models(dir);
    let mut cmd = dir.bare();
    cmd.env("BOOKVOICE_MODELS", &models)
        .args([
            "say",
            text,
            "--device",
            device,
            "--fake-engine",
            spec,
            "-o",
            "out.wav",
        ])
        .args(extra);
    run(&mut cmd)
}

#[test]
fn accelerator_returning_nan_falls_back_to_cpu_and_says_so() {
    let dir = Dir::new();
    let out = say_fake(
        &dir,
        "One sentence. And another one.",
        "cuda",
        "cuda:nan,cpu:ok",
        &["--json"],
    );
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("rebuilding the cuda:0 session once"), "{err}");
    assert!(
        err.contains("falling back from the cuda:0 to the cpu"),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(summary["devices"]["cpu"], 1, "{summary}");
    assert!(summary["devices"].get("cuda").is_none(), "{summary}");
    let samples = read_wav(&dir.join("out.wav"));
    assert!(rms(&samples) > 0.01);
}

#[test]
fn accelerator_that_cannot_start_is_logged_and_cpu_runs() {
    let dir = Dir::new();
    let out = say_fake(&dir, "Hello.", "cuda", "cuda:fail-start", &[]);
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("could not start an inference session on the cuda:0"),
        "{err}"
    );
    assert!(
        err.contains("inference session on the cpu: the fake engine ("),
        "{err}"
    );
}

#[test]
fn silence_that_persists_is_an_error_naming_the_chunk_and_writes_nothing() {
    let dir = Dir::new();
    let out = say_fake(&dir, "The lantern went out.", "cpu", "cpu:silent", &[]);
    assert_exit(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("The lantern went out."), "{err}");
    assert!(err.contains("silent"), "{err}");
    assert!(
        !dir.join("out.wav").exists(),
        "no silent file may be left behind"
    );
    // Nor any temporary file.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains("partial")),
        "{leftovers:?}"
    );
}

#[test]
fn one_silent_session_is_replaced_and_the_output_is_kept() {
    let dir = Dir::new();
    let out = say_fake(&dir, "Hello.", "cpu", "cpu:nan-once", &[]);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("retrying on a fresh cpu session"));
    assert!(rms(&read_wav(&dir.join("out.wav"))) > 0.01);
}
