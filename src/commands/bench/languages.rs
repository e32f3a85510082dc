//! `bench --languages`: a passage of about 80 words in each language, spoken by bookvoice and
//! (with `--compare-reference`) by the Python reference on the same model and the language's
//! default voice, the files kept for scoring with Whisper (`scripts/bench_lang_wer.sh`,
//! `make bench-lang`).
//!
//! The passages are original prose of the same shape in every language: narration, a line of
//! dialogue in the language's own punctuation (dashes, « », quotes), a title abbreviation,
//! ordinary vocabulary. Each is written out three ways: `LANG.txt` (the passage, what both
//! systems are given), `LANG.said.txt` (the words a listener should hear, abbreviations
//! spelled out, what Whisper's transcript is scored against) and the two WAVs.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::reference::{Reference, ReferenceFigures};
use super::{line, out_dir};
use crate::cli::BenchArgs;
use crate::config::{VoiceChoice, engine_settings};
use crate::config_file::ConfigFile;
use crate::lang::Lang;
use crate::stages::assemble::wav::{Pauses, WavAssembler};
use crate::stages::script::normalize::Rules;
use crate::stages::synthesize::{Planner, Speaker, paragraphs};

/// A passage and the words it says where they are not the letters (abbreviations).
struct Passage {
    lang: Lang,
    text: &'static str,
    said: &'static [(&'static str, &'static str)],
}

const PASSAGES: &[Passage] = &[
    Passage {
        lang: Lang::Es,
        text: include_str!("passages/es.txt"),
        said: &[("Sr.", "señor")],
    },
    Passage {
        lang: Lang::Fr,
        text: include_str!("passages/fr.txt"),
        said: &[("M.", "monsieur")],
    },
    Passage {
        lang: Lang::It,
        text: include_str!("passages/it.txt"),
        said: &[("Sig.", "signor")],
    },
    Passage {
        lang: Lang::PtBr,
        text: include_str!("passages/pt-br.txt"),
        said: &[("Sr.", "senhor")],
    },
    Passage {
        lang: Lang::Hi,
        text: include_str!("passages/hi.txt"),
        said: &[("डॉ.", "डॉक्टर")],
    },
    Passage {
        lang: Lang::Ja,
        text: include_str!("passages/ja.txt"),
        said: &[],
    },
    Passage {
        lang: Lang::Zh,
        text: include_str!("passages/zh.txt"),
        said: &[("32", "三十二")],
    },
];

#[derive(Debug, Serialize)]
struct LanguageFigures {
    lang: Lang,
    voice: String,
    /// Words, or characters in Chinese and Japanese.
    words: usize,
    audio_secs: f64,
    wall_secs: f64,
    wav: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<ReferenceFigures>,
}

/// Speaks the passage of each language asked for.
pub fn run(args: &BenchArgs, langs: &[Lang]) -> anyhow::Result<()> {
    let (out, _temp) = out_dir(args)?;
    let file = ConfigFile::default();
    if args.compare_reference {
        Reference::check(args)?;
    }
    let mut figures = Vec::new();
    let mut speaker: Option<Speaker> = None;
    for &lang in langs {
        let Some(passage) = PASSAGES.iter().find(|p| p.lang == lang) else {
            anyhow::bail!(
                "there is no benchmark passage in {} ({}); the passages are in {}",
                lang.name(),
                lang.code(),
                PASSAGES
                    .iter()
                    .map(|p| p.lang.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        figures.push(speak(args, &file, passage, &out, &mut speaker)?);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
        return Ok(());
    }
    println!(
        "{:<6} {:<10} {:>6} {:>8} {:>8} {:>10}",
        "lang", "voice", "words", "audio s", "wall s", "ref wall s"
    );
    for f in &figures {
        println!(
            "{:<6} {:<10} {:>6} {:>8.1} {:>8.1} {:>10}",
            f.lang.code(),
            f.voice,
            f.words,
            f.audio_secs,
            f.wall_secs,
            f.reference
                .as_ref()
                .map(|r| format!("{:.1}", r.synth_secs))
                .unwrap_or_else(|| "-".into())
        );
    }
    if args.out.is_some() {
        line("files", out.display());
    }
    Ok(())
}

fn speak(
    args: &BenchArgs,
    file: &ConfigFile,
    passage: &Passage,
    out: &Path,
    speaker: &mut Option<Speaker>,
) -> anyhow::Result<LanguageFigures> {
    let lang = passage.lang;
    let text = passage.text.trim();
    let (voice, _) = VoiceChoice::resolve(&args.engine, &file.speech, &file.voices)?.for_lang(lang);
    let settings = engine_settings(&args.engine, &file.speech, voice, lang)?;
    let write = |name: String, contents: &str| -> anyhow::Result<std::path::PathBuf> {
        let path = out.join(name);
        std::fs::write(&path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(path)
    };
    let code = lang.code();
    let text_file = write(format!("{code}.txt"), text)?;
    let mut said = text.to_string();
    for (written, spoken) in passage.said {
        said = said.replace(written, spoken);
    }
    write(format!("{code}.said.txt"), &said)?;

    let t0 = Instant::now();
    let spoken = Rules::for_lang(lang).text(text);
    let planner = Planner::new(&settings)?;
    let speaker = match speaker {
        Some(s) => {
            s.use_voice(&settings)?;
            s
        }
        None => speaker.insert(Speaker::new(&settings)?),
    };
    let wav_path = out.join(format!("{code}.wav"));
    let mut wav = WavAssembler::create(&wav_path, Pauses::default())?;
    speaker.speak(&planner, &paragraphs(&spoken), |chunk| {
        wav.push_chunk(&chunk.audio.samples, chunk.first_in_paragraph)
    })?;
    let audio_secs = wav.duration_secs();
    wav.finish()?;
    let wall_secs = t0.elapsed().as_secs_f64();

    let reference = if args.compare_reference {
        let r = Reference::prepare(args, &settings, out)?;
        Some(r.run(&text_file, &out.join(format!("{code}.reference.wav")))?)
    } else {
        None
    };
    tracing::info!(
        "{}: {audio_secs:.1} s of audio in {wall_secs:.1} s",
        lang.name()
    );
    Ok(LanguageFigures {
        lang,
        voice: settings.voice.to_string(),
        words: match lang {
            Lang::Ja | Lang::Zh => text.chars().filter(|c| c.is_alphanumeric()).count(),
            _ => text.split_whitespace().count(),
        },
        audio_secs,
        wall_secs,
        wav: wav_path.display().to_string(),
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_but_english_has_a_passage_of_about_80_words_or_120_characters() {
        for lang in Lang::ALL.into_iter().filter(|l| !l.is_english()) {
            let p = PASSAGES.iter().find(|p| p.lang == lang).expect("a passage");
            // Chinese and Japanese are written without spaces: about 120 characters.
            let words = match lang {
                Lang::Ja | Lang::Zh => p.text.trim().chars().count() * 80 / 120,
                _ => p.text.split_whitespace().count(),
            };
            assert!((70..=95).contains(&words), "{lang}: {words} words");
            for (written, _) in p.said {
                assert!(p.text.contains(written), "{lang}: {written}");
            }
        }
    }
}
