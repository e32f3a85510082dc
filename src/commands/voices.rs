//! `bookvoice voices`: the installed voices by language, with the language and gender their
//! names encode (Kokoro's scheme: `ef_dora` is a Spanish female voice) and each language's
//! default marked.

use serde::Serialize;

use crate::cli::VoicesArgs;
use crate::lang::Lang;
use crate::models::ModelDir;
use crate::stages::synthesize::voice::VoiceStore;

#[derive(Serialize)]
struct Voice<'a> {
    name: &'a str,
    /// The `--lang` code of its language, or `null` for a name outside Kokoro's scheme.
    lang: Option<Lang>,
    /// Its language in English.
    language: &'static str,
    gender: &'static str,
    /// The voice bookvoice picks for this language when none is asked for.
    default: bool,
}

fn describe(name: &str) -> Voice<'_> {
    let lang = Lang::of_voice(name);
    let gender = match name.chars().nth(1) {
        Some('f') => "female",
        Some('m') => "male",
        _ => "unknown",
    };
    Voice {
        name,
        lang,
        language: lang.map(Lang::name).unwrap_or("unknown"),
        gender,
        default: lang.is_some_and(|l| l.default_voice() == name),
    }
}

pub fn run(args: &VoicesArgs) -> anyhow::Result<()> {
    let path = match &args.assets.voices {
        Some(p) => p.clone(),
        None => ModelDir::locate(args.assets.models.as_deref())?.voices()?,
    };
    let store = VoiceStore::open(&path)?;
    let names = store.list()?;
    let mut voices: Vec<Voice> = names
        .iter()
        .map(|n| describe(n))
        .filter(|v| args.lang.is_none_or(|l| v.lang == Some(l)))
        .collect();
    // By language in Kokoro's order, the default first, then by name.
    voices.sort_by_key(|v| (v.lang.is_none(), v.lang, !v.default, v.name));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&voices)?);
        return Ok(());
    }
    let mut current = None;
    for v in &voices {
        if current != Some(v.lang) {
            current = Some(v.lang);
            let heading = match v.lang {
                Some(l) => format!("{} ({})", l.name(), l.code()),
                None => "other".to_string(),
            };
            println!("{heading}");
        }
        let line = format!(
            "  {:<14} {:<7} {}",
            v.name,
            v.gender,
            if v.default { "default" } else { "" }
        );
        println!("{}", line.trim_end());
    }
    let path = store.path();
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let noun = if voices.len() == 1 { "voice" } else { "voices" };
    eprintln!("{} {noun} in {}", voices.len(), path.display());
    Ok(())
}
