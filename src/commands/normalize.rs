//! `bookvoice normalize`: prints text as it will be spoken, so users (and tests) can see what
//! the narration makes of numbers, abbreviations and typography before any audio is made.
//! The `[lexicon]` of the settings file is applied too.

use crate::cli::NormalizeArgs;
use crate::config_file::ConfigFile;
use crate::stages::script::lexicon::Lexicon;
use crate::stages::script::normalize::Rules;

pub fn run(args: &NormalizeArgs) -> anyhow::Result<()> {
    let text = super::read_text(args.text.as_deref(), args.file.as_deref())?;
    let file = ConfigFile::load(args.config.as_deref())?;
    let lexicon = Lexicon::new(&file.lexicon)?;
    let spoken = Rules::for_language(Some(&args.lang)).text(&text);
    println!("{}", lexicon.apply(&spoken));
    Ok(())
}
