//! Describe: a short spoken description of each picture worth describing, from a local vision
//! model, so that listeners hear what the book shows.
//!
//! For every distinct image in the chapters being converted: decorative ones are skipped; a
//! description already in the cache is reused without contacting the server; the rest are
//! asked for, two at a time, after one check that the server is up and the model can see.
//! Whatever goes wrong — server down, slow, erroring, answering garbage, a text-only model —
//! the book still converts: the image is marked *pending*, the script narrates its caption or
//! alt text where those say something, and the next run asks again. Three failed images in a
//! row stop the asking for this run, so a dead server costs seconds, not an hour of timeouts.
//!
//! Writes `describe/<key>.json` (the cache, see `cache.rs`) and `descriptions.json`, a report
//! of every image's outcome for the user. Files: `prompt` (wording and cleaning), `prepare`
//! (decoding and downscaling), `client` (HTTP and HTTPS, the API token, the model check),
//! `cache`, and `check` (the step-by-step trial behind `bookvoice describe-check`).

pub mod cache;
pub mod check;
pub mod client;
pub mod prepare;
pub mod prompt;
pub mod tls;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::lang::{Lang, spans};
use crate::report;
use crate::stages::extract::book::{Block, Book, Image, ImageHint, ImageId};
use crate::stages::extract::select::Selection;
use crate::workdir::WorkDir;
use crate::workdir::fsutil::write_file;
use cache::{Cache, Entry, Key};
pub use client::Secret;
use client::{VisionClient, VisionError, shown_url};
use prompt::{ImageContext, Unusable};
pub use tls::CaCert;

/// The vision model that describes images: what `config` builds from flags, environment and
/// the settings file.
#[derive(Debug, Clone)]
pub struct VisionSettings {
    /// `false` with `--no-images`: nothing is asked, captions are read as text.
    pub enabled: bool,
    /// The server's base URL, without a trailing slash.
    pub url: String,
    pub model: String,
    /// How long one request may take.
    pub timeout: Duration,
    /// Further attempts after a connection error, timeout or server error.
    pub retries: u32,
    /// Sent as `Authorization: Bearer …`; never logged, stored or part of a cache key.
    pub api_key: Option<Secret>,
    /// Trusted beside the platform's roots, for a server with a private certificate.
    pub ca_cert: Option<CaCert>,
}

impl VisionSettings {
    /// Nothing is asked: captions and alt text are read as they are.
    pub fn off() -> VisionSettings {
        VisionSettings {
            enabled: false,
            url: String::new(),
            model: String::new(),
            timeout: Duration::ZERO,
            retries: 0,
            api_key: None,
            ca_cert: None,
        }
    }
}

/// LM Studio's default address.
pub const DEFAULT_URL: &str = "http://127.0.0.1:1234";
/// The model the project is built around (gemma-3n, as LM Studio names it).
pub const DEFAULT_MODEL: &str = "google/gemma-3n-e4b";

/// Requests in flight at once: enough to keep a server busy while the next image is encoded,
/// few enough not to swamp a laptop that is also running the model.
const IN_FLIGHT: usize = 2;

/// Failed images in a row after which no more are asked for in this run.
const GIVE_UP_AFTER: usize = 3;

/// What became of one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// The model described it (now or in an earlier run).
    Described { text: String, cached: bool },
    /// Not described yet; a later run asks again.
    Pending { reason: String },
    /// It cannot be decoded, so it is never sent.
    Undecodable { reason: String },
    /// Ornament, rule, tiny or repeated: not narrated.
    Decorative,
    /// `--no-images`.
    Off,
}

/// The outcome of every image the selected chapters show.
#[derive(Debug, Default)]
pub struct Descriptions {
    outcomes: BTreeMap<ImageId, Outcome>,
    /// Seconds spent waiting for the model, over the images it described in this run.
    pub asked_seconds: f64,
    /// Wall-clock seconds of this run's asking, server check included (requests overlap).
    pub wall_seconds: f64,
}

impl Descriptions {
    pub fn insert(&mut self, image: ImageId, outcome: Outcome) {
        self.outcomes.insert(image, outcome);
    }

    pub fn get(&self, image: &ImageId) -> Option<&Outcome> {
        self.outcomes.get(image)
    }

    pub fn count(&self, pred: impl Fn(&Outcome) -> bool) -> usize {
        self.outcomes.values().filter(|o| pred(o)).count()
    }

    pub fn described(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Described { .. }))
    }

    pub fn newly_described(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Described { cached: false, .. }))
    }

    pub fn pending(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Pending { .. }))
    }
}

/// One image to ask about.
struct Job<'a> {
    image: &'a Image,
    prompt: String,
}

/// Why one image got no description.
enum Failure {
    Undecodable(String),
    Vision(VisionError),
    Unusable(Unusable),
}

/// Describes the images of the selected chapters (or looks them up in the cache).
pub fn run(
    book: &Book,
    work: &WorkDir,
    selection: &Selection,
    vision: &VisionSettings,
    lang: Lang,
) -> anyhow::Result<Descriptions> {
    let mut descriptions = Descriptions::default();
    let cache = Cache::new(&work.describe_dir());
    let mut jobs = Vec::new();
    for (image, alt, caption) in shown_images(book, selection) {
        let outcome = if !vision.enabled {
            Outcome::Off
        } else if matches!(image.hint, ImageHint::Decorative { .. }) {
            Outcome::Decorative
        } else {
            let prompt = prompt::build(&ImageContext {
                book_title: &book.title,
                language: Some(lang.primary()),
                caption: &spans::plain(caption),
                alt: &spans::plain(alt),
            });
            match cache.get(&key(image, vision, &prompt)) {
                Some(entry) => Outcome::Described {
                    text: entry.text,
                    cached: true,
                },
                None => {
                    jobs.push(Job { image, prompt });
                    continue;
                }
            }
        };
        descriptions.insert(image.id.clone(), outcome);
    }

    if !jobs.is_empty() {
        ask(book, work, vision, &cache, jobs, &mut descriptions)?;
    }
    save_report(book, work, &descriptions)?;
    Ok(descriptions)
}

fn key<'a>(image: &'a Image, vision: &'a VisionSettings, prompt: &'a str) -> Key<'a> {
    Key {
        image: &image.id,
        model: &vision.model,
        prompt,
        prompt_version: prompt::PROMPT_VERSION,
    }
}

/// Each distinct image of the selected chapters, once, in reading order, with the alt text
/// and caption of its first appearance.
fn shown_images<'a>(book: &'a Book, selection: &Selection) -> Vec<(&'a Image, &'a str, &'a str)> {
    let mut seen = std::collections::HashSet::new();
    let mut shown = Vec::new();
    for chapter in book.chapters.iter().filter(|c| selection.selects(c)) {
        for block in &chapter.blocks {
            if let Block::Image {
                image,
                alt,
                caption,
            } = block
                && seen.insert(image)
                && let Some(found) = book.image(image)
            {
                shown.push((found, alt.as_str(), caption.as_str()));
            }
        }
    }
    shown
}

/// Asks the server about every job, recording outcomes and caching good answers.
fn ask(
    book: &Book,
    work: &WorkDir,
    vision: &VisionSettings,
    cache: &Cache,
    jobs: Vec<Job>,
    descriptions: &mut Descriptions,
) -> anyhow::Result<()> {
    let name = &book.file_name;
    let total = jobs.len();
    let pend_all = |descriptions: &mut Descriptions, jobs: Vec<Job>, reason: &str| {
        for job in jobs {
            descriptions.insert(
                job.image.id.clone(),
                Outcome::Pending {
                    reason: reason.to_string(),
                },
            );
        }
    };
    let started = Instant::now();
    let client = VisionClient::new(vision).and_then(|c| c.check().map(|info| (c, info)));
    let client = match client {
        Ok((c, info)) => {
            if info.loaded == Some(false) {
                tracing::info!(
                    "{name}: {} is not loaded yet; a server that loads models on demand (LM \
                     Studio's just-in-time loading) loads it for the first picture, which can \
                     take a minute",
                    vision.model
                );
            }
            c
        }
        Err(e) => {
            tracing::warn!(
                "{name}: no image descriptions from {}: {e}. {} will be narrated from the book's \
                 captions or alt text where it has any, and marked pending: run again with the \
                 model available to describe them.",
                vision.model,
                images(total),
            );
            pend_all(descriptions, jobs, &e.to_string());
            return Ok(());
        }
    };
    tracing::info!(
        "{name}: describing {} with {} at {}",
        images(total),
        vision.model,
        shown_url(&vision.url)
    );

    let bar = report::bar(total as u64, "images");
    let queue = Mutex::new(jobs.into_iter());
    // Set by a worker after GIVE_UP_AFTER failures in a row, or by the main thread when the
    // cache cannot be written; workers take no new image once it is set.
    let stop = AtomicBool::new(false);
    let failures_in_a_row = AtomicUsize::new(0);
    let gave_up = AtomicBool::new(false);
    let (sender, results) = mpsc::channel();
    let mut last_failure = String::new();
    let mut fatal = false;
    let mut saved: anyhow::Result<()> = Ok(());
    std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT.min(total) {
            let sender = sender.clone();
            let (queue, stop, client) = (&queue, &stop, &client);
            let (failures_in_a_row, gave_up) = (&failures_in_a_row, &gave_up);
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                    let Some(job) = next else { break };
                    let result = describe_one(work, client, &job);
                    match &result {
                        Ok(_) => failures_in_a_row.store(0, Ordering::SeqCst),
                        Err(Failure::Undecodable(_)) => {}
                        Err(Failure::Vision(e)) if e.is_fatal() => {
                            gave_up.store(true, Ordering::SeqCst);
                            stop.store(true, Ordering::SeqCst);
                        }
                        Err(_) => {
                            if failures_in_a_row.fetch_add(1, Ordering::SeqCst) + 1 >= GIVE_UP_AFTER
                            {
                                gave_up.store(true, Ordering::SeqCst);
                                stop.store(true, Ordering::SeqCst);
                            }
                        }
                    }
                    if sender.send((job, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for (job, result) in results {
            bar.inc(1);
            let image = &job.image.id;
            let place = job.image.sources.first().unwrap_or(&job.image.file);
            let outcome = match result {
                Ok(entry) => {
                    descriptions.asked_seconds += entry.seconds;
                    tracing::debug!("{name}: image {place}: {}", entry.text);
                    let text = entry.text.clone();
                    if let Err(e) = cache.put(&key(job.image, vision, &job.prompt), &entry) {
                        saved = Err(e);
                        stop.store(true, Ordering::SeqCst);
                    }
                    Outcome::Described {
                        text,
                        cached: false,
                    }
                }
                Err(Failure::Undecodable(reason)) => {
                    tracing::warn!("{name}: image {place}: {reason}; it is not described");
                    Outcome::Undecodable { reason }
                }
                Err(Failure::Vision(e)) => {
                    last_failure = e.to_string();
                    fatal |= e.is_fatal();
                    tracing::warn!("{name}: image {place}: {e}; marked pending");
                    Outcome::Pending {
                        reason: e.to_string(),
                    }
                }
                Err(Failure::Unusable(u)) => {
                    last_failure = u.to_string();
                    tracing::warn!("{name}: image {place}: {u}; marked pending");
                    Outcome::Pending {
                        reason: u.to_string(),
                    }
                }
            };
            descriptions.insert(image.clone(), outcome);
        }
    });
    bar.finish_and_clear();
    saved?;
    let left: Vec<Job> = queue.into_inner().map(|q| q.collect()).unwrap_or_default();
    if gave_up.load(Ordering::SeqCst) && !left.is_empty() {
        tracing::warn!(
            "{name}: {} (last: {last_failure}); not asking about the other {} in this run. \
             They are marked pending and narrated from their captions or alt text where they \
             have one.",
            if fatal {
                "the vision server refused the request".to_string()
            } else {
                format!("{GIVE_UP_AFTER} images in a row failed")
            },
            left.len()
        );
        pend_all(
            descriptions,
            left,
            "not asked: the vision server kept failing",
        );
    }
    descriptions.wall_seconds = started.elapsed().as_secs_f64();
    let described = descriptions.newly_described();
    if described > 0 {
        tracing::info!(
            "{name}: described {} in {:.2} s ({:.2} s of model time each)",
            images(described),
            descriptions.wall_seconds,
            descriptions.asked_seconds / described as f64
        );
    }
    Ok(())
}

/// "1 image", "2 images".
fn images(n: usize) -> String {
    check::count(n, "image")
}

/// Prepares one image and asks for its description.
fn describe_one(work: &WorkDir, client: &VisionClient, job: &Job) -> Result<Entry, Failure> {
    let path = work.root().join(&job.image.file);
    let bytes = std::fs::read(&path)
        .map_err(|e| Failure::Undecodable(format!("cannot read {}: {e}", path.display())))?;
    let prepared = prepare::prepare(&bytes).map_err(Failure::Undecodable)?;
    drop(bytes);
    tracing::trace!(
        "image {}: sending {}x{}",
        job.image.id,
        prepared.width,
        prepared.height
    );
    let started = Instant::now();
    let answer = client
        .describe(&job.prompt, &prepared.data_uri)
        .map_err(Failure::Vision)?;
    let seconds = started.elapsed().as_secs_f64();
    let text = prompt::clean(&answer.text).map_err(Failure::Unusable)?;
    if answer.finish_reason.as_deref() == Some("length") {
        tracing::debug!("image {}: the answer hit the token limit", job.image.id);
    }
    Ok(Entry {
        image: job.image.id.clone(),
        model: client.model().to_string(),
        prompt: job.prompt.clone(),
        text,
        answer: answer.text,
        seconds,
    })
}

/// One line of `descriptions.json`.
#[derive(Serialize)]
struct ReportLine<'a> {
    image: &'a ImageId,
    file: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// Writes `descriptions.json`: what became of every image, for the user to read.
fn save_report(book: &Book, work: &WorkDir, descriptions: &Descriptions) -> anyhow::Result<()> {
    let lines: Vec<ReportLine> = book
        .images
        .iter()
        .filter_map(|image| {
            let outcome = descriptions.outcomes.get(&image.id)?;
            Some(ReportLine {
                image: &image.id,
                file: &image.file,
                outcome,
            })
        })
        .collect();
    let json = serde_json::to_vec_pretty(&lines)?;
    write_file(&work.descriptions_json(), &json)
}
