//! `bookvoice describe-check`: asks the vision server once, the way a conversion would, and
//! prints each step's verdict, so a user can fix a setup (URL, model name, token, certificate,
//! a text-only model) before a long run. Exit status 0 only when a test picture came back
//! described.

use crate::cli::DescribeCheckArgs;
use crate::config::vision_settings;
use crate::config_file::ConfigFile;
use crate::stages::describe::check::{self, Report, Verdict};

pub fn run(args: &DescribeCheckArgs) -> anyhow::Result<()> {
    let file = ConfigFile::load(args.config.as_deref())?;
    let settings = vision_settings(&args.server, false, &file)?;
    let report = check::run(&settings);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    anyhow::ensure!(
        report.ready,
        "the vision server at {} cannot describe pictures yet; books still convert, reading \
         captions and alt text, with their pictures marked pending",
        report.url
    );
    Ok(())
}

/// The report as lines for a person.
fn render(report: &Report) -> String {
    let mut extras = vec![if report.api_token {
        "API token sent".to_string()
    } else {
        "no API token".to_string()
    }];
    if let Some(ca) = &report.ca_cert {
        extras.push(format!("trusting {ca}"));
    }
    let mut out = format!(
        "Vision server {}, model {} ({})\n",
        report.url,
        report.model,
        extras.join(", ")
    );
    for step in &report.steps {
        let verdict = match step.verdict {
            Verdict::Ok => "ok",
            Verdict::Unknown => "unknown",
            Verdict::Failed => "FAILED",
            Verdict::Skipped => "skipped",
        };
        out.push_str(&format!(
            "  {verdict:<8} {:<8} {}\n",
            step.name, step.detail
        ));
    }
    if report.ready {
        out.push_str(&format!(
            "Ready: pictures in books will be described by {}.\n",
            report.model
        ));
    }
    out
}
