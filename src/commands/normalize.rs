//! `bookvoice normalize`: prints text as it will be spoken, so users (and tests) can see what
//! the narration makes of numbers, abbreviations and typography before any audio is made.

use crate::cli::NormalizeArgs;
use crate::stages::script::normalize::Rules;

pub fn run(args: &NormalizeArgs) -> anyhow::Result<()> {
    let text = super::read_text(args.text.as_deref(), args.file.as_deref())?;
    println!("{}", Rules::for_language(Some(&args.lang)).text(&text));
    Ok(())
}
