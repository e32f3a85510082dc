//! bookvoice: EPUB books to audiobooks, on the user's own machine.
//!
//! `main` only parses the command line, runs the command and maps the outcome to an exit
//! status: 0 done, 1 failed, 2 bad usage (clap's own code for usage errors).

mod cli;
mod commands;
mod config;
mod config_file;
mod gpus;
mod lang;
mod memory;
mod models;
mod report;
mod stages;
mod workdir;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use report::Output;

fn run(cli: Cli) -> anyhow::Result<()> {
    let output = Output::detect(cli.quiet, cli.verbose);
    report::init(&output);
    match cli.command {
        Command::Say(args) => commands::say::run(&args, &output),
        Command::Voices(args) => commands::voices::run(&args),
        Command::Bench(args) => commands::bench::run(&args),
        Command::Chapters(args) => commands::chapters::run(&args),
        Command::Extract(args) => commands::extract::run(&args),
        Command::Convert(args) => commands::convert::run(&args),
        Command::Normalize(args) => commands::normalize::run(&args),
        Command::Status(args) => commands::status::run(&args),
        Command::DescribeCheck(args) => commands::describe_check::run(&args),
    }
}

fn main() -> ExitCode {
    // Output piped into `head` ends quietly, as other command-line tools do, instead of the
    // standard library's print panicking on the closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bookvoice: error: {e:#}");
            let usage = e.chain().any(|c| c.is::<cli::UsageError>());
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}
