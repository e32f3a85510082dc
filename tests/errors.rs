//! Missing or wrong files give clear errors that say where bookvoice looked; never a panic.

use crate::util::*;

fn assert_clean_failure(out: &std::process::Output, needles: &[&str]) {
    assert_exit(out, 1);
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in: {err}");
    }
}

#[test]
fn no_models_directory_lists_the_places_looked() {
    // A copy of the binary away from the checkout, as if installed on a machine with no models.
    let dir = Dir::new();
    let bin = dir.join("bookvoice");
    std::fs::copy(env!("CARGO_BIN_EXE_bookvoice"), &bin).unwrap();
    let out = run(dir.program(&bin).args(["say", "hello"]));
    assert_clean_failure(
        &out,
        &["no models directory found", "models", "make assets"],
    );
}

#[test]
fn missing_onnx_runtime_names_where_it_looked() {
    let dir = Dir::new();
    // Vocabulary and a voice, but no ONNX Runtime library.
    let models = fake_models(&dir);
    let out = run(dir
        .bare()
        .env("BOOKVOICE_MODELS", &models)
        .args(["say", "hello", "--device", "cpu"]));
    assert_clean_failure(
        &out,
        &[
            "ONNX Runtime library not found",
            "onnxruntime/libonnxruntime.so",
            "--ort-lib",
        ],
    );

    let out = run(dir.cmd().args([
        "say",
        "hello",
        "--ort-lib",
        "/nonexistent/libonnxruntime.so",
    ]));
    assert_clean_failure(&out, &["/nonexistent/libonnxruntime.so", "does not exist"]);
}

#[test]
fn a_file_that_is_not_a_library_is_an_error_not_a_crash() {
    let dir = Dir::new();
    let fake_lib = dir.join("libonnxruntime.so");
    std::fs::write(&fake_lib, b"not a shared object").unwrap();
    let out = run(dir
        .cmd()
        .args(["say", "hello", "--device", "cpu", "--ort-lib"])
        .arg(&fake_lib));
    assert_clean_failure(&out, &["cannot load ONNX Runtime", "libonnxruntime.so"]);
}

#[test]
fn missing_or_broken_model_is_reported() {
    let dir = Dir::new();
    let out = run(dir.cmd().args(["say", "hello", "--model", "nope.onnx"]));
    assert_clean_failure(&out, &["model", "nope.onnx", "does not exist"]);

    let broken = dir.join("broken.onnx");
    std::fs::write(&broken, b"this is not an onnx file").unwrap();
    let out = run(dir
        .cmd()
        .args(["say", "hello", "--device", "cpu", "--model"])
        .arg(&broken));
    assert_clean_failure(&out, &["cannot load the model", "broken.onnx"]);
}

#[test]
fn unknown_voice_lists_the_installed_ones() {
    let dir = Dir::new();
    let out = run(dir.cmd().args(["say", "hello", "--voice", "af_nobody"]));
    assert_clean_failure(&out, &["af_nobody", "af_heart"]);
    // A rate out of range is bad usage, refused before anything loads.
    let out = run(dir.cmd().args(["say", "hello", "--speed", "9"]));
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("--speed") && stderr(&out).contains("between 0.5 and 2.0"),
        "{}",
        stderr(&out)
    );
}
