//! One module per subcommand: each takes its parsed arguments and the output settings, does
//! its work, and prints its result to stdout.

pub mod bench;
pub mod chapters;
pub mod convert;
pub mod describe_check;
pub mod extract;
pub mod normalize;
pub mod say;
pub mod status;
pub mod voices;

use std::io::Read;
use std::path::Path;

use anyhow::Context;

/// The text a command was given: on the command line, in a file, or on stdin (`-f -`).
fn read_text(text: Option<&str>, file: Option<&Path>) -> anyhow::Result<String> {
    match (text, file) {
        (Some(text), _) => Ok(text.to_string()),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input")?;
            Ok(text)
        }
        (None, Some(path)) => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        }
        (None, None) => unreachable!("clap requires TEXT or --file"),
    }
}
