//! One trial conversation with the vision server, step by step, so a user can fix a setup
//! before a long run instead of finding out from a book's worth of pending pictures.
//!
//! The steps are the ones the stage itself takes: the server answers `GET /v1/models`, the
//! model is listed, nothing the server says rules out images (LM Studio's listings), and one
//! small picture drawn here comes back described. Each step reports what it found; a step
//! that fails stops the ones after it, and a text-only model is never sent the picture.

use std::io::Cursor;
use std::time::Instant;

use image::{ImageFormat, Rgb, RgbImage};
use serde::Serialize;

use super::VisionSettings;
use super::client::{ModelInfo, VisionClient, VisionError, shown_url};
use super::{prepare, prompt};

/// How one step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    /// The server does not say; not a failure.
    Unknown,
    Failed,
    /// Not tried, because an earlier step failed.
    Skipped,
}

/// One step of the check.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `server`, `model`, `vision` or `picture`.
    pub name: &'static str,
    pub verdict: Verdict,
    /// What was found, in words.
    pub detail: String,
    /// How long the step's request took, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
}

/// Everything the check found. Holds no secret: only whether a token was sent.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The server's base URL, any password in it blanked.
    pub url: String,
    pub model: String,
    /// Whether an API token was sent.
    pub api_token: bool,
    /// The extra CA certificate trusted, if any.
    pub ca_cert: Option<String>,
    pub steps: Vec<Step>,
    /// Every step passed: a conversion will get descriptions from this server.
    pub ready: bool,
}

/// The step names, in order.
const STEPS: [&str; 4] = ["server", "model", "vision", "picture"];

/// Runs the check against the server the settings name.
pub fn run(settings: &VisionSettings) -> Report {
    let mut steps = Vec::new();
    let mut step = |name, verdict, detail: String, seconds: Option<f64>| {
        steps.push(Step {
            name,
            verdict,
            detail,
            seconds,
        });
        verdict != Verdict::Failed
    };
    let _ = try_steps(settings, &mut step);
    for name in STEPS.into_iter().skip(steps.len()) {
        steps.push(Step {
            name,
            verdict: Verdict::Skipped,
            detail: "not tried".into(),
            seconds: None,
        });
    }
    let ready = steps.iter().all(|s| s.verdict != Verdict::Failed)
        && steps.last().is_some_and(|s| s.verdict == Verdict::Ok);
    Report {
        url: shown_url(&settings.url),
        model: settings.model.clone(),
        api_token: settings.api_key.is_some(),
        ca_cert: settings
            .ca_cert
            .as_ref()
            .map(|c| c.path.display().to_string()),
        steps,
        ready,
    }
}

/// The steps in order; `step` records one and says whether to go on.
fn try_steps(
    settings: &VisionSettings,
    step: &mut impl FnMut(&'static str, Verdict, String, Option<f64>) -> bool,
) -> Option<()> {
    let failed = |e: VisionError| e.to_string();
    let client = match VisionClient::new(settings) {
        Ok(c) => c,
        Err(e) => {
            step("server", Verdict::Failed, failed(e), None);
            return None;
        }
    };

    let started = Instant::now();
    let listed = client.list_models();
    let seconds = started.elapsed().as_secs_f64();
    let ids = match listed {
        Ok(ids) => {
            let detail = format!(
                "answered GET /v1/models in {:.0} ms, listing {}",
                seconds * 1000.0,
                count(ids.len(), "model")
            );
            step("server", Verdict::Ok, detail, Some(seconds));
            ids
        }
        Err(e) => {
            step("server", Verdict::Failed, failed(e), Some(seconds));
            return None;
        }
    };

    let model = &settings.model;
    let listed = ids.iter().any(|id| id == model);
    let detail = if listed {
        format!("{model} is listed")
    } else if ids.is_empty() {
        format!(
            "{model} is not listed: the server lists no model (load one, or name it with --vision-model)"
        )
    } else {
        format!(
            "{model} is not listed; the server offers: {} (name one with --vision-model)",
            ids.join(", ")
        )
    };
    let verdict = if listed { Verdict::Ok } else { Verdict::Failed };
    if !step("model", verdict, detail, None) {
        return None;
    }

    let info = client.model_info();
    let (verdict, detail) = vision_step(&info);
    if !step("vision", verdict, detail, None) {
        return None;
    }

    let prepared = prepare::prepare(&test_picture()).ok()?;
    let prompt = prompt::build(&prompt::ImageContext {
        book_title: "",
        language: Some("en"),
        caption: "",
        alt: "",
    });
    let started = Instant::now();
    let answer = client.describe(&prompt, &prepared.data_uri);
    let seconds = started.elapsed().as_secs_f64();
    let (verdict, detail) = match answer {
        Ok(answer) => match prompt::clean(&answer.text) {
            Ok(text) => (
                Verdict::Ok,
                format!(
                    "a {}×{} test picture came back described in {seconds:.2} s: {text:?}",
                    prepared.width, prepared.height
                ),
            ),
            Err(unusable) => (
                Verdict::Failed,
                format!("the model answered, but not with a description: {unusable}"),
            ),
        },
        Err(e) => (Verdict::Failed, failed(e)),
    };
    step("picture", verdict, detail, Some(seconds));
    Some(())
}

/// What the listing says about images, as a verdict.
fn vision_step(info: &ModelInfo) -> (Verdict, String) {
    let said = info.said();
    match (info.vision, info.loaded) {
        (Some(false), _) => (
            Verdict::Failed,
            format!("{said}: no picture is sent to it; load a vision model"),
        ),
        (Some(true), Some(false)) => (
            Verdict::Ok,
            format!(
                "{said}; not loaded yet: it is loaded on the first picture if the server loads \
                 models on demand (LM Studio's just-in-time loading), else load it"
            ),
        ),
        (Some(true), _) => (Verdict::Ok, format!("{said}; loaded")),
        (None, _) => (
            Verdict::Unknown,
            format!("{said}; the test picture will tell"),
        ),
    }
}

/// A picture with an unmistakable answer: a red disc above a blue bar on white, 160×120 PNG.
fn test_picture() -> Vec<u8> {
    let picture = RgbImage::from_fn(160, 120, |x, y| {
        let (dx, dy) = (x as f32 - 80.0, y as f32 - 48.0);
        if dx * dx + dy * dy <= 30.0 * 30.0 {
            Rgb([210, 30, 30])
        } else if (92..106).contains(&y) && (30..130).contains(&x) {
            Rgb([30, 60, 200])
        } else {
            Rgb([255, 255, 255])
        }
    });
    let mut png = Vec::new();
    // Encoding a small in-memory RGB image as PNG cannot fail.
    let _ = picture.write_to(&mut Cursor::new(&mut png), ImageFormat::Png);
    png
}

/// "1 model", "2 models".
pub(super) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_picture_is_a_png_the_stage_can_send() {
        let prepared = prepare::prepare(&test_picture()).unwrap();
        assert_eq!((prepared.width, prepared.height), (160, 120));
        assert!(prepared.data_uri.starts_with("data:image/png;base64,"));
    }

    #[test]
    fn a_text_only_model_fails_and_silence_is_unknown() {
        let text_only = ModelInfo {
            source: Some("/api/v1/models"),
            vision: Some(false),
            loaded: Some(true),
            kind: Some("llm".into()),
        };
        let (verdict, detail) = vision_step(&text_only);
        assert_eq!(verdict, Verdict::Failed);
        assert!(detail.contains("\"llm\" without vision"), "{detail}");
        assert_eq!(vision_step(&ModelInfo::default()).0, Verdict::Unknown);
        let unloaded = ModelInfo {
            vision: Some(true),
            loaded: Some(false),
            ..text_only
        };
        let (verdict, detail) = vision_step(&unloaded);
        assert_eq!(verdict, Verdict::Ok);
        assert!(detail.contains("not loaded"), "{detail}");
    }

    #[test]
    fn nothing_listening_fails_the_first_step_and_skips_the_rest() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let settings = VisionSettings {
            enabled: true,
            url: format!("http://127.0.0.1:{port}"),
            model: "m".into(),
            timeout: std::time::Duration::from_secs(5),
            retries: 0,
            api_key: None,
            ca_cert: None,
        };
        let report = run(&settings);
        assert!(!report.ready);
        let verdicts: Vec<Verdict> = report.steps.iter().map(|s| s.verdict).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::Failed,
                Verdict::Skipped,
                Verdict::Skipped,
                Verdict::Skipped
            ]
        );
    }
}
