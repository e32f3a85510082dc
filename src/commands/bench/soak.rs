//! `bench --soak N`: speaks N chunks of varied length through the worker and watches resident
//! memory, the seed of a soak test a user can leave running for hours.
//!
//! The chunks come from a fixed set of passages, longest first, then cycled: the first pass
//! is the warm-up, in which the session's arena grows to the largest chunk it will see. After
//! it, any growth is memory kept from one chunk to the next. The peak is sampled per interval
//! and the run fails when it rises more than [`GROWTH_LIMIT_MB`] above the warm-up's peak.

use std::cmp::Reverse;

use anyhow::{Context, bail};
use serde::Serialize;

use super::line;
use crate::cli::BenchArgs;
use crate::config::engine_for_text;
use crate::config_file::ConfigFile;
use crate::memory;
use crate::stages::synthesize::{Planner, Speaker};

/// How far memory may rise above the warm-up's peak.
pub const GROWTH_LIMIT_MB: f64 = 30.0;

/// Passages of different shapes (original text), so chunk lengths range from a few words to
/// the chunk limit.
const PASSAGES: &[&str] = &[
    "Yes.",
    "\"Where are you going?\" she asked.",
    "The train was late again, and the platform had filled with people who pretended not to \
     mind, reading their papers and checking their watches and glancing, every minute or so, \
     down the line towards the bridge where it would first appear, as if looking could make it \
     come sooner, which of course it never did, not once in all the years she had waited there.",
    "On the 3rd of May 1921, at half past four, the council met for the twelfth time.",
    "He counted them twice: forty-two sheep, seven goats, a dog that belonged to nobody, and \
     one very old horse.",
    "Nobody answered. The wind moved the curtain; somewhere a door closed. Then, quite \
     clearly, a voice from the garden said her name.",
];

#[derive(Debug, Serialize)]
struct Sample {
    chunk: usize,
    peak_rss_mb: f64,
    growth_mb: f64,
}

#[derive(Debug, Serialize)]
struct SoakFigures {
    chunks: usize,
    warmup_chunks: usize,
    device: String,
    warmup_peak_rss_mb: f64,
    samples: Vec<Sample>,
    max_growth_mb: f64,
    limit_mb: f64,
    passed: bool,
}

pub fn run(args: &BenchArgs, chunks: u32) -> anyhow::Result<()> {
    let chunks = chunks as usize;
    let (config, _) = engine_for_text(&args.engine, &ConfigFile::default(), &PASSAGES.join(" "))?;
    let pool = {
        let planner = Planner::new(&config)?;
        let mut pool = Vec::new();
        for passage in PASSAGES {
            pool.extend(planner.plan(passage)?);
        }
        pool.sort_by_key(|c| Reverse(c.ids.len()));
        pool
    };
    memory::release_free_memory();
    let warmup = pool.len();
    anyhow::ensure!(
        chunks >= 2 * warmup,
        "--soak needs at least {} chunks: the first {warmup} are the warm-up",
        2 * warmup
    );
    let sampler = memory::Sampler::start()
        .context("--soak reads resident memory from /proc, which this system does not have")?;
    let speaker = Speaker::new(&config)?;
    // Varied order after the warm-up: a stride through the pool that is coprime to its length.
    let stride = (1..warmup)
        .rev()
        .find(|s| gcd(*s, warmup) == 1)
        .unwrap_or(1);
    let order = (0..chunks).map(|i| if i < warmup { i } else { (i * stride) % warmup });
    let interval = (chunks / 20).max(1);
    let mut warmup_peak = 0.0;
    let mut samples = Vec::new();
    let mut done = 0usize;
    let items = order.map(|i| Ok(((), pool[i].clone())));
    let stats = speaker.run_chunks(items, |(), _audio| {
        done += 1;
        if done == warmup {
            warmup_peak = sampler.take_peak();
            if !args.json {
                line(
                    "warm-up",
                    format!("{warmup} chunks, peak RSS {warmup_peak:.0} MB"),
                );
            }
        } else if done > warmup && ((done - warmup).is_multiple_of(interval) || done == chunks) {
            let peak = sampler.take_peak();
            let sample = Sample {
                chunk: done,
                peak_rss_mb: peak,
                growth_mb: peak - warmup_peak,
            };
            if !args.json {
                println!(
                    "chunk {:>6}/{chunks}  peak RSS {:>6.0} MB  {:+.1} MB over the warm-up",
                    sample.chunk, sample.peak_rss_mb, sample.growth_mb
                );
            }
            samples.push(sample);
        }
        Ok(())
    })?;
    let max_growth = samples
        .iter()
        .map(|s| s.growth_mb)
        .fold(f64::NEG_INFINITY, f64::max);
    let figures = SoakFigures {
        chunks,
        warmup_chunks: warmup,
        device: stats.devices(),
        warmup_peak_rss_mb: warmup_peak,
        max_growth_mb: max_growth,
        limit_mb: GROWTH_LIMIT_MB,
        passed: max_growth <= GROWTH_LIMIT_MB,
        samples,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        line("device", &figures.device);
        line(
            "growth",
            format!(
                "at most {max_growth:+.1} MB after the warm-up (limit {GROWTH_LIMIT_MB:.0} MB)"
            ),
        );
    }
    if !figures.passed {
        bail!(
            "resident memory grew by {max_growth:.1} MB after the warm-up, more than the \
             {GROWTH_LIMIT_MB:.0} MB allowed"
        );
    }
    Ok(())
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}
