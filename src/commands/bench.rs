//! `bookvoice bench`: the speech engine's figures on a fixed passage.
//!
//! Prints model load time, characters per second, real-time factor (synthesis seconds per
//! second of audio), the share of wall time spent inside the model, peak resident memory and
//! the device that ran. A short warm-up runs first so one-time allocations are not counted.

use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use crate::cli::BenchArgs;
use crate::config::EngineConfig;
use crate::stages::synthesize::{Speaker, paragraphs};

/// The default passage: ordinary narrative prose with dialogue, numbers written out, and
/// sentences of varied length (original text).
pub const PASSAGE: &str = "\
The ferry left the harbour a little after seven, while the fog still lay on the water like \
wet wool. Margaret stood at the rail with her hands in her pockets and watched the town \
shrink behind them: the church tower, the row of painted houses, the crane at the end of the \
quay. \"You'll catch your death out here,\" said the man who sold tea from a cart, but she \
only smiled and shook her head. She had waited eleven years for this crossing, and she meant \
to see every minute of it.";

#[derive(Debug, Serialize)]
struct Figures {
    /// Where the session started, and which devices ran the chunks.
    session_device: String,
    device: String,
    model: String,
    chars: usize,
    runs: u32,
    load_secs: f64,
    audio_secs: f64,
    wall_secs: f64,
    model_secs: f64,
    chars_per_sec: f64,
    real_time_factor: f64,
    model_share: f64,
    peak_rss_mb: Option<f64>,
}

/// Peak resident set size of this process, from the kernel's own accounting.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let text = match &args.file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => PASSAGE.to_string(),
    };
    let paragraphs = paragraphs(&text);
    let chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    let config = EngineConfig::from_args(&args.engine)?;
    let model = match &config.runtime {
        crate::config::Runtime::Ort(o) => o.cpu_model.display().to_string(),
        crate::config::Runtime::Fake(spec) => format!("fake ({spec})"),
    };

    let speaker = Speaker::new(&config)?;
    let load_secs = speaker.started().load_time.as_secs_f64();
    speaker.speak(&["A short warm-up sentence.".to_string()], |_| Ok(()))?;

    let mut audio_secs = 0.0;
    let mut model_secs = 0.0;
    let mut devices = String::new();
    let t0 = Instant::now();
    for _ in 0..args.runs {
        let stats = speaker.speak(&paragraphs, |_| Ok(()))?;
        audio_secs += stats.audio_secs();
        model_secs += stats.model_time.as_secs_f64();
        devices = stats.devices();
    }
    let wall_secs = t0.elapsed().as_secs_f64();
    let total_chars = chars * args.runs as usize;
    let figures = Figures {
        session_device: speaker.started().device.to_string(),
        device: devices,
        model,
        chars,
        runs: args.runs,
        load_secs,
        audio_secs,
        wall_secs,
        model_secs,
        chars_per_sec: total_chars as f64 / wall_secs,
        real_time_factor: wall_secs / audio_secs.max(1e-9),
        model_share: model_secs / wall_secs.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!("device            {}", figures.device);
        println!("model             {}", figures.model);
        println!("model load        {:.2} s", figures.load_secs);
        println!(
            "text              {} chars × {} run(s)",
            figures.chars, figures.runs
        );
        println!("audio             {:.1} s", figures.audio_secs);
        println!("wall              {:.1} s", figures.wall_secs);
        println!("chars per second  {:.1}", figures.chars_per_sec);
        println!(
            "real-time factor  {:.3} (synthesis s per audio s)",
            figures.real_time_factor
        );
        println!(
            "inside the model  {:.1} % of wall time",
            100.0 * figures.model_share
        );
        match figures.peak_rss_mb {
            Some(mb) => println!("peak RSS          {mb:.0} MB"),
            None => println!("peak RSS          unavailable on this platform"),
        }
    }
    Ok(())
}
