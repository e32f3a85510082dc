//! `bookvoice normalize`: prints text as it will be spoken, so users (and tests) can see what
//! the narration makes of numbers, abbreviations and typography before any audio is made, in
//! the text's language (`--lang`, else what the text reads as). The `[lexicon]` of the
//! settings file is applied too.

use crate::cli::NormalizeArgs;
use crate::config_file::ConfigFile;
use crate::lang::{Lang, Language, choose_for_text};
use crate::stages::script::lexicon::Lexicon;
use crate::stages::script::normalize::{Rules, leftovers};

pub fn run(args: &NormalizeArgs) -> anyhow::Result<()> {
    let text = super::read_text(args.text.as_deref(), args.file.as_deref())?;
    let file = ConfigFile::load(args.config.as_deref())?;
    let lexicon = Lexicon::new(&file.lexicon)?;
    let rules = match &args.lang {
        Some(tag) => {
            if let Some(language @ Language::Other { .. }) = Language::from_tag(tag) {
                tracing::warn!(
                    "bookvoice has no rules for {language}: only the typography is normalized"
                );
            }
            Rules::for_tag(tag)
        }
        None => match choose_for_text(None, &text, Lang::EnUs) {
            Ok(choice) => {
                tracing::debug!("the text reads as {}", choice.lang.name());
                if let Some(warning) = &choice.warning {
                    tracing::warn!("{warning}");
                }
                Rules::for_lang(choice.lang)
            }
            // A language with no rules of its own keeps its typography.
            Err(refused) => {
                tracing::warn!(
                    "the text reads as {}: only the typography is normalized",
                    refused.language
                );
                Rules::Other
            }
        },
    };
    if args.check {
        // A script keeps its marks; any other text is read as lines of text.
        let spoken = lexicon.apply_script(&rules.script(&text));
        let name = args
            .file
            .as_deref()
            .map_or("-".into(), |f| f.display().to_string());
        let left = leftovers::find(&spoken);
        for l in &left {
            println!("{name}:{}:{}: {}", l.line, l.column, l.token);
        }
        anyhow::ensure!(
            left.is_empty(),
            "{name}: {} left as printed, which the voice may drop or misread; fix the text or \
             add them to [lexicon]",
            leftovers::count_is(left.len())
        );
        return Ok(());
    }
    let spoken = rules.text(&text);
    println!("{}", lexicon.apply(&spoken));
    Ok(())
}
