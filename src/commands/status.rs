//! `bookvoice status`: how far each book's conversion has come, read from its work directory
//! without changing anything in it (no model is loaded, no server is asked); a book never
//! converted gets no work directory.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::StatusArgs;
use crate::commands::convert::encode::Outputs;
use crate::commands::convert::find_books;
use crate::commands::convert::pace::Pace;
use crate::config_file::ConfigFile;
use crate::stages::extract;
use crate::workdir::chapter_stem;
use crate::workdir::fingerprint::sha256_file;
use crate::workdir::lock::Lock;

#[derive(Debug, Serialize)]
struct Status {
    book: PathBuf,
    work_dir: PathBuf,
    /// "not started", "in progress", "running now", "done", or "other epub" (the work
    /// directory was made from a different EPUB file: another book, or this one changed).
    state: &'static str,
    title: Option<String>,
    chapters: usize,
    scripts: usize,
    chapter_wavs: usize,
    chunks: usize,
    images_described: usize,
    images_pending: usize,
    m4b: bool,
    /// Whether an M4B is wanted: false when the last finished run was asked for other formats
    /// only (`--format wav`).
    m4b_wanted: bool,
    /// Files and folders the last finished run made that have since been removed.
    missing: Vec<PathBuf>,
    /// Each chapter that has a script: whether its audio is made.
    chapter_list: Vec<ChapterStatus>,
    /// Seconds of speaking left for the chapters with a script and no audio, at the pace
    /// this book has been spoken so far; `None` before any speech.
    seconds_left: Option<f64>,
}

#[derive(Debug, Serialize)]
struct ChapterStatus {
    chapter: usize,
    title: String,
    /// "done" (audio made) or "pending".
    state: &'static str,
    chars: usize,
}

pub fn run(args: &StatusArgs) -> anyhow::Result<()> {
    // Where convert put the books: -o, else the settings file's [output] dir, as convert does.
    // The file is read even when -o is given, so that a settings file convert would refuse
    // (a misspelt key) is refused here too, before anyone relies on it.
    let file = ConfigFile::load(args.config.as_deref())?;
    let output = args
        .output
        .clone()
        .or(file.output.dir)
        .unwrap_or_else(|| PathBuf::from("."));
    // A work directory itself may be named instead of its book; a folder stands for its books.
    // A path that is not there, or a folder without books, is reported after the others:
    // one typo in a list of books should not hide the status of the rest.
    let mut books = Vec::new();
    let mut problems = Vec::new();
    for path in &args.books {
        if path.join("book.json").is_file() || args.work_dir.is_some() && !path.is_dir() {
            books.push(path.clone());
        } else if !path.exists() {
            problems.push(format!(
                "{}: no such book or work directory",
                path.display()
            ));
        } else {
            match find_books(std::slice::from_ref(path)) {
                Ok(found) => books.extend(found),
                Err(e) if holds_work_dirs(path) => problems.push(format!(
                    "{e:#}; it holds work directories: name them (e.g. {}/*.bookvoice)",
                    path.display()
                )),
                Err(e) => problems.push(format!("{e:#}")),
            }
        }
    }
    if books.len() > 1 && args.work_dir.is_some() {
        return Err(crate::cli::usage_error(format!(
            "--work-dir names one book's directory: give one book ({} found)",
            books.len()
        )));
    }
    let statuses: Vec<Status> = books
        .iter()
        .map(|book| {
            let dir = match &args.work_dir {
                Some(d) => d.clone(),
                None if book.join("book.json").is_file() => book.clone(),
                None => extract::default_work_dir(book, &output),
            };
            status(book, &dir)
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&statuses)?);
    } else {
        print_statuses(&statuses);
    }
    anyhow::ensure!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

/// Whether `dir` holds a work directory (`*.bookvoice` with a `book.json`): the output folder
/// of a run, named where its books were meant.
fn holds_work_dirs(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().join("book.json").is_file())
    })
}

/// The human-readable report, one block per book.
fn print_statuses(statuses: &[Status]) {
    for s in statuses {
        match &s.title {
            Some(title) => println!("{}: {} ({title})", s.book.display(), s.state),
            None => println!("{}: {}", s.book.display(), s.state),
        }
        if s.state == "other epub" {
            println!(
                "  ({} was made from a different EPUB file; convert this book to start it again)",
                s.work_dir.display()
            );
            continue;
        }
        if s.state == "not started" {
            // A run with -o keeps its work directory there: say where this one looked.
            println!(
                "  (no work directory at {}; a book converted with -o OUTDIR: give the same -o)",
                s.work_dir.display()
            );
            continue;
        }
        println!(
            "  chapters {}, scripts {}, chapter WAVs {}, chunks stored {}, M4B {}",
            s.chapters,
            s.scripts,
            s.chapter_wavs,
            s.chunks,
            match (s.m4b, s.m4b_wanted) {
                (true, _) => "made",
                (false, true) => "not yet",
                (false, false) => "not asked for",
            }
        );
        for c in &s.chapter_list {
            println!("  {:>4}  {:<8} {}", c.chapter, c.state, c.title);
        }
        for path in &s.missing {
            println!(
                "  {} was made, and is gone (convert again to make it)",
                path.display()
            );
        }
        if let Some(left) = s.seconds_left
            && left > 0.0
        {
            println!("  about {} of speaking left", duration(left));
        }
        if s.images_described + s.images_pending > 0 {
            println!(
                "  images described {}, pending {}{}",
                s.images_described,
                s.images_pending,
                if s.images_pending > 0 {
                    " (run again with the vision model available)"
                } else {
                    ""
                }
            );
        }
    }
}

fn status(book: &Path, dir: &Path) -> Status {
    let mut s = Status {
        book: book.to_path_buf(),
        work_dir: dir.to_path_buf(),
        state: "not started",
        title: None,
        chapters: 0,
        scripts: 0,
        chapter_wavs: 0,
        chunks: 0,
        images_described: 0,
        images_pending: 0,
        m4b: false,
        m4b_wanted: true,
        missing: Vec::new(),
        chapter_list: Vec::new(),
        seconds_left: None,
    };
    let Ok(Some(extracted)) = extract::load(&dir.join("book.json")) else {
        return s;
    };
    s.title = Some(extracted.title.clone());
    s.chapters = extracted.chapters.len();
    // A directory named with -w may hold another book's work, and a book may have changed
    // since it was extracted: either way its figures are not this file's.
    if book.is_file()
        && let Ok(sha) = sha256_file(book)
        && sha != extracted.epub_sha256
    {
        s.state = "other epub";
        return s;
    }
    s.scripts = count(&dir.join("script"), |n| {
        n.ends_with(".txt") && !n.ends_with(".edited.txt")
    });
    s.chapter_wavs = count(&dir.join("chapters"), |n| n.ends_with(".wav.fp"));
    s.chunks = count(&dir.join("chunks"), |n| n.ends_with(".wav"));
    if let Ok(bytes) = std::fs::read(dir.join("descriptions.json"))
        && let Ok(serde_json::Value::Array(lines)) = serde_json::from_slice(&bytes)
    {
        for line in lines {
            match line["status"].as_str() {
                Some("described") => s.images_described += 1,
                Some("pending") => s.images_pending += 1,
                _ => {}
            }
        }
    }
    s.m4b = dir.join("book.m4b.fp").is_file();
    if let Some(outputs) = Outputs::load(dir) {
        s.m4b_wanted = outputs.made.contains_key("m4b");
        for (format, path) in outputs.missing() {
            // An M4B deleted since is not made, whatever its fingerprint says.
            s.m4b &= format != "m4b";
            s.missing.push(path.to_path_buf());
        }
    }
    let mut chars_left = 0;
    for chapter in &extracted.chapters {
        let stem = chapter_stem(chapter.index, &chapter.title, extracted.chapters.len());
        let Ok(script) = std::fs::read_to_string(dir.join("script").join(format!("{stem}.txt")))
        else {
            continue;
        };
        let done = dir
            .join("chapters")
            .join(format!("{stem}.wav.fp"))
            .is_file();
        let chars = script.chars().count();
        if !done {
            chars_left += chars;
        }
        s.chapter_list.push(ChapterStatus {
            chapter: chapter.index,
            title: chapter.title.clone(),
            state: if done { "done" } else { "pending" },
            chars,
        });
    }
    s.seconds_left = Pace::load(dir)
        .filter(|p| p.chars > 0)
        .map(|p| chars_left as f64 * p.seconds / p.chars as f64);
    s.state = if Lock::work_dir(dir, false).is_err() {
        "running now"
    } else if (s.m4b || !s.m4b_wanted)
        && s.missing.is_empty()
        && s.images_pending == 0
        && s.chapter_list.iter().all(|c| c.state == "done")
    {
        // An M4B made before a chapter was added lacks it: not done.
        "done"
    } else {
        "in progress"
    };
    s
}

/// "2 h 05 min", "12 min", "40 s".
fn duration(secs: f64) -> String {
    let secs = secs.round() as u64;
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min", secs / 60),
        _ => format!("{} h {:02} min", secs / 3600, secs % 3600 / 60),
    }
}

fn count(dir: &Path, wanted: impl Fn(&str) -> bool) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| wanted(&e.file_name().to_string_lossy()))
                .count()
        })
        .unwrap_or(0)
}
