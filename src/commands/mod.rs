//! One module per subcommand: each takes its parsed arguments and the output settings, does
//! its work, and prints its result to stdout.

pub mod bench;
pub mod chapters;
pub mod convert;
pub mod extract;
pub mod say;
pub mod voices;
