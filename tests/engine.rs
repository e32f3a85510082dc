//! The real model, end to end: a few words each, since Kokoro runs at about real time here.

use crate::util::*;

fn say(dir: &Dir, args: &[&str]) -> Vec<i16> {
    let mut cmd = dir.cmd();
    cmd.arg("say")
        .args(args)
        .args(["--device", "cpu", "-o", "out.wav"]);
    let out = run(&mut cmd);
    assert_exit(&out, 0);
    read_wav(&dir.join("out.wav"))
}

#[test]
fn say_writes_speech_of_plausible_length() {
    let dir = Dir::new();
    let samples = say(&dir, &["The lamp was lit at dusk."]);
    let secs = samples.len() as f64 / 24_000.0;
    assert!((1.0..6.0).contains(&secs), "{secs} s");
    assert!(
        rms(&samples) > 0.02,
        "speech, not silence: rms {}",
        rms(&samples)
    );
    // The lead-in is silence, so the first word is never clipped by a player.
    assert!(samples[..2400].iter().all(|&s| s == 0));
}

#[test]
fn output_is_deterministic_and_npz_voices_match_bin_voices() {
    let dir = Dir::new();
    let text = "Good morning.";
    let from_bins = say(&dir, &[text]);
    assert_eq!(say(&dir, &[text]), from_bins, "same input, same audio");

    // Pack the installed voice as upstream's voices-v1.0.bin (.npz) and speak with it.
    let raw = std::fs::read(models().join("voices/af_heart.bin")).unwrap();
    let mut header =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (510, 1, 256), }".to_string();
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend_from_slice(&(header.len() as u16).to_le_bytes());
    npy.extend_from_slice(header.as_bytes());
    npy.extend_from_slice(&raw);
    let npz = dir.join("voices-v1.0.bin");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&npz).unwrap());
    zip.start_file("af_heart.npy", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, &npy).unwrap();
    zip.finish().unwrap();
    let from_npz = say(&dir, &[text, "--voices", npz.to_str().unwrap()]);
    assert_eq!(from_npz, from_bins);
}

#[test]
fn blends_british_voices_and_espeak_all_speak() {
    let dir = Dir::new();
    for args in [
        &["Tea at four.", "--voice", "af_heart:60,am_michael:40"][..],
        &["Tea at four.", "--voice", "bf_emma"][..],
        &["Tea at four.", "--g2p", "espeak"][..],
    ] {
        let samples = say(&dir, args);
        assert!(rms(&samples) > 0.02, "{args:?}");
    }
}

#[test]
fn file_input_with_paragraphs_and_json_summary() {
    let dir = Dir::new();
    std::fs::write(dir.join("in.txt"), "First paragraph.\n\nSecond one.\n").unwrap();
    let out = run(dir.cmd().args([
        "say", "-f", "in.txt", "--device", "cpu", "--json", "-o", "para.wav",
    ]));
    assert_exit(&out, 0);
    let summary: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(summary["chunks"], 2);
    assert_eq!(summary["devices"]["cpu"], 2);
    let secs = summary["audio_secs"].as_f64().unwrap();
    assert!(secs > 1.0);
    // The summary's length is the file's, the closing silence included.
    let wav = hound::WavReader::open(dir.join("para.wav")).unwrap();
    let file_secs = wav.duration() as f64 / wav.spec().sample_rate as f64;
    assert!((secs - file_secs).abs() < 1e-3, "{secs} vs {file_secs}");
    // The log names the model file that was loaded.
    let err = stderr(&out);
    assert!(err.contains(".onnx ("), "{err}");
}

#[test]
fn bench_reports_its_figures() {
    let dir = Dir::new();
    std::fs::write(dir.join("p.txt"), "A very short passage.").unwrap();
    let out = run(dir
        .cmd()
        .args(["bench", "-f", "p.txt", "--device", "cpu", "--json"]));
    assert_exit(&out, 0);
    let f: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for key in [
        "load_secs",
        "chars_per_sec",
        "real_time_factor",
        "model_share",
        "peak_rss_mb",
    ] {
        assert!(f[key].as_f64().is_some_and(|v| v > 0.0), "{key} in {f}");
    }
    assert_eq!(f["device"], "cpu");
}

#[test]
fn float_graph_for_accelerators_speaks_on_the_cpu_too() {
    let dir = Dir::new();
    let fp32 = models().join("kokoro-v1.0.fp32.onnx");
    assert!(fp32.is_file(), "make assets installs the float graph");
    let samples = say(
        &dir,
        &[
            "The lamp was lit at dusk.",
            "--model",
            fp32.to_str().unwrap(),
        ],
    );
    let secs = samples.len() as f64 / 24_000.0;
    assert!((1.0..6.0).contains(&secs), "{secs} s");
    assert!(rms(&samples) > 0.02);
}

#[test]
fn the_split_cpu_graph_sounds_as_the_whole_graph() {
    // The CPU runs the static graph in two pieces (prosody, then decoder); the same words
    // through the whole graph, named with --model, must sound the same.
    let whole = models().join("kokoro-v1.0.int8-static.onnx");
    if !models()
        .join("kokoro-v1.0.int8-static.prosody.onnx")
        .exists()
        || !whole.exists()
    {
        eprintln!("skipping: the split CPU graph is not installed (run make assets)");
        return;
    }
    let dir = Dir::new();
    let text = "The keeper climbed the stair and lit the lamp.";
    let split = say(&dir, &[text]);
    let joined = say(&dir, &[text, "--model", whole.to_str().unwrap()]);
    assert_eq!(split.len(), joined.len(), "same durations, same length");
    let dot: f64 = split
        .iter()
        .zip(&joined)
        .map(|(&a, &b)| a as f64 * b as f64)
        .sum();
    let norm = |s: &[i16]| s.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
    let correlation = dot / (norm(&split) * norm(&joined));
    assert!(correlation > 0.99, "correlation {correlation}");
}
