//! `bench --cost-curve`: what one model call costs as a function of its length.
//!
//! How long chunks should be, and whether short ones are worth speaking together, depends on
//! the fixed cost of a call against its cost per phoneme id on this machine. This speaks the
//! built-in passage's phoneme ids cut to lengths from 10 to 510 (the model's limit), each
//! `--runs` times (at least three) after a warm-up, and reports the median time inside the
//! model per call, per id and per second of audio, with the line `fixed + per id × ids` fitted
//! by least squares to the medians, and resident memory after each length (ONNX Runtime's
//! working memory grows with the audio a call makes).

use serde::Serialize;

use super::{PASSAGE, line};
use crate::cli::BenchArgs;
use crate::config::engine_for_text;
use crate::config_file::ConfigFile;
use crate::memory;
use crate::stages::synthesize::chunk::MAX_IDS;
use crate::stages::synthesize::{Planner, SAMPLE_RATE, Speaker};

/// Call lengths measured, in ids.
const LENGTHS: [usize; 12] = [10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 400, MAX_IDS];

#[derive(Debug, Serialize)]
struct Point {
    ids: usize,
    runs: usize,
    /// Median seconds inside the model per call.
    model_secs: f64,
    /// The fastest and slowest run.
    min_secs: f64,
    max_secs: f64,
    audio_secs: f64,
    ms_per_id: f64,
    /// Model seconds per second of audio.
    model_per_audio: f64,
    rss_mb: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Curve {
    device: String,
    model: String,
    points: Vec<Point>,
    /// The fitted line: seconds per call = fixed + per_id × ids.
    fixed_ms: f64,
    per_id_ms: f64,
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let (config, _) = engine_for_text(&args.engine, &ConfigFile::default(), PASSAGE)?;
    let planner = Planner::new(&config)?;
    let space = planner.space_id();
    // The passage's ids end to end, repeated until the longest length fits.
    let mut source: Vec<i64> = Vec::new();
    let chunks = planner.plan(&PASSAGE.replace('\n', " "))?;
    while source.len() < MAX_IDS {
        for chunk in &chunks {
            if let (Some(space), false) = (space, source.is_empty()) {
                source.push(space);
            }
            source.extend_from_slice(&chunk.ids);
        }
    }
    drop(planner);
    let speaker = Speaker::new(&config)?;
    let runs = args.runs.max(3) as usize;
    speaker.speak_ids(&source[..40], "warm-up")?;

    let mut points = Vec::new();
    for &n in &LENGTHS {
        let ids = &source[..n];
        let mut times = Vec::with_capacity(runs);
        let mut samples = 0;
        for _ in 0..runs {
            let audio = speaker.speak_ids(ids, &format!("{n} ids"))?;
            times.push(audio.model_time.as_secs_f64());
            samples = audio.samples.len();
        }
        times.sort_by(f64::total_cmp);
        let model_secs = times[times.len() / 2];
        let audio_secs = samples as f64 / SAMPLE_RATE as f64;
        let point = Point {
            ids: n,
            runs,
            model_secs,
            min_secs: times[0],
            max_secs: times[times.len() - 1],
            audio_secs,
            ms_per_id: 1000.0 * model_secs / n as f64,
            model_per_audio: model_secs / audio_secs.max(1e-9),
            rss_mb: memory::rss_mb(),
        };
        if !args.json {
            eprintln!(
                "{n:>4} ids: {:.3} s per call ({:.2} ms per id)",
                point.model_secs, point.ms_per_id
            );
        }
        points.push(point);
    }
    let (fixed, per_id) = fit(&points);
    let curve = Curve {
        device: speaker.started().device.to_string(),
        model: config.model_name(),
        fixed_ms: 1000.0 * fixed,
        per_id_ms: 1000.0 * per_id,
        points,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&curve)?);
        return Ok(());
    }
    line("device", &curve.device);
    line("model", &curve.model);
    println!(
        "{:>5} {:>10} {:>10} {:>10} {:>9} {:>10} {:>8}",
        "ids", "s/call", "range s", "audio s", "ms/id", "model/aud", "RSS MB"
    );
    for p in &curve.points {
        println!(
            "{:>5} {:>10.3} {:>10} {:>10.2} {:>9.2} {:>10.3} {:>8}",
            p.ids,
            p.model_secs,
            format!("{:.2}–{:.2}", p.min_secs, p.max_secs),
            p.audio_secs,
            p.ms_per_id,
            p.model_per_audio,
            p.rss_mb
                .map(|m| format!("{m:.0}"))
                .unwrap_or_else(|| "-".into())
        );
    }
    line(
        "fitted",
        format!(
            "{:.0} ms per call + {:.2} ms per id",
            curve.fixed_ms, curve.per_id_ms
        ),
    );
    Ok(())
}

/// Least-squares line through (ids, median seconds): (intercept, slope).
fn fit(points: &[Point]) -> (f64, f64) {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.ids as f64).sum::<f64>() / n;
    let my = points.iter().map(|p| p.model_secs).sum::<f64>() / n;
    let sxy: f64 = points
        .iter()
        .map(|p| (p.ids as f64 - mx) * (p.model_secs - my))
        .sum();
    let sxx: f64 = points.iter().map(|p| (p.ids as f64 - mx).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (my - slope * mx, slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(ids: usize, secs: f64) -> Point {
        Point {
            ids,
            runs: 3,
            model_secs: secs,
            min_secs: secs,
            max_secs: secs,
            audio_secs: 1.0,
            ms_per_id: 0.0,
            model_per_audio: 0.0,
            rss_mb: None,
        }
    }

    #[test]
    fn the_line_through_exact_points_is_found() {
        let points = [point(10, 0.15), point(100, 0.6), point(200, 1.1)];
        let (fixed, per_id) = fit(&points);
        assert!((fixed - 0.1).abs() < 1e-9, "{fixed}");
        assert!((per_id - 0.005).abs() < 1e-9, "{per_id}");
    }
}
