//! `bookvoice voices`: the installed voices, with the language and gender their names encode.

use crate::cli::VoicesArgs;
use crate::models::ModelDir;
use crate::stages::synthesize::voice::VoiceStore;

fn describe(name: &str) -> (&'static str, &'static str) {
    let mut chars = name.chars();
    let language = match chars.next() {
        Some('a') => "American English",
        Some('b') => "British English",
        Some('e') => "Spanish",
        Some('f') => "French",
        Some('h') => "Hindi",
        Some('i') => "Italian",
        Some('j') => "Japanese",
        Some('p') => "Brazilian Portuguese",
        Some('z') => "Mandarin Chinese",
        _ => "unknown",
    };
    let gender = match chars.next() {
        Some('f') => "female",
        Some('m') => "male",
        _ => "unknown",
    };
    (language, gender)
}

pub fn run(args: &VoicesArgs) -> anyhow::Result<()> {
    let path = match &args.assets.voices {
        Some(p) => p.clone(),
        None => ModelDir::locate(args.assets.models.as_deref())?.voices()?,
    };
    let store = VoiceStore::open(&path)?;
    let names = store.list()?;
    if args.json {
        let list: Vec<_> = names
            .iter()
            .map(|n| {
                let (language, gender) = describe(n);
                serde_json::json!({"name": n, "language": language, "gender": gender})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        for n in &names {
            let (language, gender) = describe(n);
            println!("{n:<14} {language:<18} {gender}");
        }
        eprintln!("{} voices in {}", names.len(), store.path().display());
    }
    Ok(())
}
