//! `bookvoice say`: speak a text into a WAV file, in the language it is written in.

use std::time::Instant;

use anyhow::ensure;

use crate::cli::SayArgs;
use crate::config::engine_for_text;
use crate::config_file::ConfigFile;
use crate::report::{self, Output};
use crate::stages::assemble::wav::{Pauses, WavAssembler};
use crate::stages::script::normalize::Rules;
use crate::stages::synthesize::{Planner, Speaker, paragraphs};

pub fn run(args: &SayArgs, output: &Output) -> anyhow::Result<()> {
    let text = super::read_text(args.text.as_deref(), args.file.as_deref())?;
    let file = ConfigFile::load(args.config.as_deref())?;
    let (settings, choice) = engine_for_text(&args.engine, &file, &text)?;
    let text = if args.raw {
        text
    } else {
        Rules::for_lang(settings.lang).text(&text)
    };
    let paragraphs = paragraphs(&text);
    ensure!(!paragraphs.is_empty(), "nothing to say: the text is empty");

    let t0 = Instant::now();
    let planner = Planner::new(&settings)?;
    let speaker = Speaker::new(&settings)?;
    let mut wav = WavAssembler::create(&args.output, Pauses::default())?;
    let bar = report::bar(paragraphs.len() as u64, "paragraphs");
    let stats = speaker.speak(&planner, &paragraphs, |chunk| {
        wav.push_chunk(&chunk.audio.samples, chunk.first_in_paragraph)?;
        bar.set_position(chunk.paragraph as u64 + 1);
        Ok(())
    })?;
    bar.finish_and_clear();
    // The file's length, tail included, as a player shows it.
    let duration = wav.finished_secs();
    let path = wav.finish()?;
    let wall = t0.elapsed().as_secs_f64();
    tracing::info!(
        "spoke {} in {} with {} on {}: {:.1} s of audio in {:.1} s",
        crate::report::count(stats.chunks, "chunk"),
        settings.lang.name(),
        settings.voice,
        stats.devices(),
        // The file's length, as printed below; the model's own output is longer before its
        // edges are trimmed.
        duration,
        wall
    );
    if args.json {
        let summary = serde_json::json!({
            "output": path,
            "language": choice,
            "voice": settings.voice.to_string(),
            "audio_secs": duration,
            "chunks": stats.chunks,
            "devices": stats.chunks_by_device,
            "wall_secs": wall,
        });
        println!("{summary}");
    } else if !output.quiet {
        println!("{}: {:.1} s of audio", path.display(), duration);
    }
    Ok(())
}
