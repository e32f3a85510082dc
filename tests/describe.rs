//! The describe and script stages through `bookvoice convert --stop-after script`, against the
//! test's own vision server on 127.0.0.1: what is asked, what is cached, how each kind of
//! server failure still finishes the book, and where descriptions land in the script.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::fixture::{Epub, png};
use crate::util::{Dir, assert_exit, corpus, run, stderr, stdout};
use crate::vision_server::{Behaviour, VisionServer, image_of, nothing_listening};

pub const MODEL: &str = "google/gemma-3n-e4b";

/// Three chapters: a captioned figure too large to send as it is; a small picture with a
/// placeholder alt text beside an ornament; no pictures at all.
pub fn illustrated_book(dir: &Dir) -> PathBuf {
    let mut epub = Epub::book(&[
        (
            "harbour.xhtml",
            "The Harbour",
            r#"<p>Before the picture.</p><figure><img src="harbour.png" alt="harbour"/><figcaption>The harbour at dawn</figcaption></figure><p>After the picture.</p>"#,
        ),
        (
            "garden.xhtml",
            "The Garden",
            r#"<p>In the garden.</p><img src="garden.png" alt="Illo1"/><p>More garden.</p><img src="rule.png" alt="" class="ornament"/><p>End.</p>"#,
        ),
        ("plain.xhtml", "Plain Words", "<p>Nothing to see here.</p>"),
    ]);
    epub.add_bytes("OEBPS/harbour.png", png(1800, 900));
    epub.add_bytes("OEBPS/garden.png", png(300, 200));
    epub.add_bytes("OEBPS/rule.png", png(400, 12));
    let path = dir.join("book.epub");
    epub.write(&path);
    path
}

/// Runs `convert --stop-after script --json` with extra flags; returns the summary and stderr.
fn convert(dir: &Dir, url: &str, extra: &[&str]) -> (Value, String) {
    let mut cmd = dir.bare();
    cmd.args(["convert", "book.epub", "--stop-after", "script", "--json"])
        .args(["--vision-url", url])
        .args(extra);
    let out = run(&mut cmd);
    assert_exit(&out, 0);
    let summary = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    (summary, stderr(&out))
}

pub fn script(dir: &Dir, name: &str) -> String {
    let path = dir.join("book.bookvoice/script").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn statuses(dir: &Dir) -> Vec<String> {
    let report: Value = serde_json::from_slice(
        &std::fs::read(dir.join("book.bookvoice/descriptions.json")).unwrap(),
    )
    .unwrap();
    report
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap().to_string())
        .collect()
}

/// (chapter number, fresh) for each script in a summary.
fn freshness(summary: &Value) -> Vec<(u64, bool)> {
    summary["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["chapter"].as_u64().unwrap(),
                s["fresh"].as_bool().unwrap(),
            )
        })
        .collect()
}

const HARBOUR_DESCRIBED: &str = "Before the picture.\n\nIllustration: The harbour at dawn. A drawing one thousand twenty-four pixels wide and five hundred twelve pixels high.\n\nAfter the picture.";
const GARDEN_DESCRIBED: &str = "In the garden.\n\nIllustration: A drawing three hundred pixels wide and two hundred pixels high.\n\nMore garden.\n\nEnd.";

#[test]
fn descriptions_are_asked_once_and_spliced_where_the_pictures_were() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start(Behaviour::Describe, &[MODEL, "other-model"]);
    let (summary, log) = convert(&dir, server.url(), &[]);

    // The server is checked first, then the ornament is not sent and the two pictures are,
    // each in the OpenAI vision format.
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    // LM Studio 0.4's listing is asked first; this server, like LM Studio 0.3, has only v0.
    assert_eq!(
        calls[..3],
        ["GET /v1/models", "GET /api/v1/models", "GET /api/v0/models"]
    );
    let asked = server.completions();
    assert_eq!(asked.len(), 2, "{log}");
    let mut sizes = Vec::new();
    for body in &asked {
        assert_eq!(body["model"], MODEL);
        let content = &body["messages"][0]["content"];
        assert_eq!(body["messages"][0]["role"], "user");
        assert_eq!(content[0]["type"], "text");
        let prompt = content[0]["text"].as_str().unwrap();
        assert!(prompt.contains("at most 40 words, in English"), "{prompt}");
        assert!(!prompt.contains("Illo1"), "{prompt}");
        let url = content[1]["image_url"]["url"].as_str().unwrap();
        assert!(url.starts_with("data:image/"), "{}", &url[..40]);
        let image = image_of(body).expect("a decodable picture");
        assert!(image.width().max(image.height()) <= 1024);
        sizes.push((
            image.width(),
            image.height(),
            prompt.contains("The harbour at dawn"),
        ));
    }
    sizes.sort();
    assert_eq!(sizes, vec![(300, 200, false), (1024, 512, true)]);

    // Each description sits at its picture's place, the caption first, numbers in words.
    assert!(script(&dir, "01 - The Harbour.txt").contains(HARBOUR_DESCRIBED));
    assert!(script(&dir, "02 - The Garden.txt").contains(GARDEN_DESCRIBED));
    assert_eq!(summary["images"]["described_now"], 2);
    assert_eq!(
        freshness(&summary),
        vec![(1, false), (2, false), (3, false)]
    );

    // A second run asks the server nothing at all and rewrites no script.
    let before = server.requests().len();
    let (again, _) = convert(&dir, server.url(), &[]);
    assert_eq!(
        server.requests().len(),
        before,
        "the second run sent requests"
    );
    assert_eq!(again["images"]["described"], 2);
    assert_eq!(again["images"]["described_now"], 0);
    assert_eq!(freshness(&again), vec![(1, true), (2, true), (3, true)]);
}

#[test]
fn a_server_that_is_down_still_finishes_and_a_later_run_fills_in() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let (summary, log) = convert(&dir, &nothing_listening(), &["--vision-retries", "0"]);
    assert!(log.contains("cannot reach"), "{log}");
    assert!(log.contains("marked pending"), "{log}");
    assert_eq!(summary["images"]["pending"], 2);
    assert_eq!(statuses(&dir), ["pending", "pending", "decorative"]);
    // The caption speaks for the picture; the placeholder alt text never does.
    let harbour = script(&dir, "01 - The Harbour.txt");
    assert!(
        harbour.contains(
            "Before the picture.\n\nIllustration: The harbour at dawn.\n\nAfter the picture."
        ),
        "{harbour}"
    );
    let garden = script(&dir, "02 - The Garden.txt");
    assert!(
        !garden.contains("Illustration") && !garden.contains("Illo1"),
        "{garden}"
    );

    // With the server up, the pending pictures are described and only their chapters change.
    let server = VisionServer::start(Behaviour::Describe, &[MODEL]);
    let (later, _) = convert(&dir, server.url(), &[]);
    assert_eq!(server.completions().len(), 2);
    assert_eq!(later["images"]["pending"], 0);
    assert_eq!(statuses(&dir), ["described", "described", "decorative"]);
    assert_eq!(freshness(&later), vec![(1, false), (2, false), (3, true)]);
    assert!(script(&dir, "01 - The Harbour.txt").contains(HARBOUR_DESCRIBED));
    assert!(script(&dir, "02 - The Garden.txt").contains(GARDEN_DESCRIBED));
}

#[test]
fn every_kind_of_server_failure_still_finishes_the_book() {
    let cases: [(&str, Behaviour, &[&str], &str); 5] = [
        (
            "slow",
            Behaviour::Slow(Duration::from_secs(4)),
            &["--vision-timeout", "1", "--vision-retries", "0"],
            "no answer within",
        ),
        (
            "500",
            Behaviour::Error500,
            &["--vision-retries", "1"],
            "answered 500",
        ),
        (
            "garbage",
            Behaviour::Garbage,
            &[],
            "not an OpenAI-style response",
        ),
        (
            "text-only",
            Behaviour::TextOnly,
            &[],
            "is not a vision model",
        ),
        ("refusal", Behaviour::Refuse, &[], "cannot see the image"),
    ];
    for (name, behaviour, flags, message) in cases {
        let dir = Dir::new();
        illustrated_book(&dir);
        let server = VisionServer::start(behaviour, &[MODEL]);
        let (summary, log) = convert(&dir, server.url(), flags);
        assert!(log.contains(message), "{name}: {log}");
        assert_eq!(summary["images"]["pending"], 2, "{name}");
        assert_eq!(
            statuses(&dir),
            ["pending", "pending", "decorative"],
            "{name}"
        );
        assert!(
            script(&dir, "01 - The Harbour.txt").contains("Illustration: The harbour at dawn.\n"),
            "{name}"
        );
        assert!(script(&dir, "03 - Plain Words.txt").contains("Nothing to see here."));
        let asked = server.completions().len();
        match behaviour {
            // One retry each for a server error; none for the rest.
            Behaviour::Error500 => assert_eq!(asked, 4, "{name}"),
            // A text-only model is found out before any picture is sent.
            Behaviour::TextOnly => assert_eq!(asked, 0, "{name}"),
            _ => assert_eq!(asked, 2, "{name}"),
        }
    }
}

#[test]
fn a_failing_server_is_given_up_on_after_three_pictures() {
    let dir = Dir::new();
    let body: String = (1..=8)
        .map(|i| format!(r#"<p>Picture {i}.</p><img src="p{i}.png" alt="Picture number {i}"/>"#))
        .collect();
    let mut epub = Epub::book(&[("c.xhtml", "Pictures", &body)]);
    for i in 1..=8 {
        epub.add_bytes(&format!("OEBPS/p{i}.png"), png(100 + i, 100));
    }
    epub.write(&dir.join("book.epub"));
    let server = VisionServer::start(Behaviour::Garbage, &[MODEL]);
    let (summary, log) = convert(&dir, server.url(), &[]);
    assert!(log.contains("3 images in a row failed"), "{log}");
    // Three failures stop the asking; at most one more was already in flight.
    assert!(
        server.completions().len() <= 4,
        "{}",
        server.completions().len()
    );
    assert_eq!(summary["images"]["pending"], 8);
    let text = script(&dir, "01 - Pictures.txt");
    assert!(
        text.contains("Illustration: Picture number eight.\n"),
        "{text}"
    );
}

#[test]
fn the_model_comes_from_flags_environment_or_settings_file() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start(Behaviour::Describe, &["file-model", "env-model"]);
    std::fs::write(
        dir.join("bookvoice.toml"),
        format!(
            "[vision]\nurl = \"{}\"\nmodel = \"file-model\"\n",
            server.url()
        ),
    )
    .unwrap();
    let out = run(dir
        .bare()
        .args(["convert", "book.epub", "--stop-after", "describe"]));
    assert_exit(&out, 0);
    assert!(
        server
            .completions()
            .iter()
            .all(|b| b["model"] == "file-model")
    );
    assert_eq!(server.completions().len(), 2);

    // The environment wins over the file (and a new model is a new cache key).
    let out = run(dir
        .bare()
        .args(["convert", "book.epub", "--stop-after", "describe"])
        .env("BOOKVOICE_VISION_MODEL", "env-model"));
    assert_exit(&out, 0);
    let models: Vec<_> = server
        .completions()
        .iter()
        .map(|b| b["model"].clone())
        .collect();
    assert_eq!(models[2..], ["env-model", "env-model"]);

    // A model the server does not have is reported with what it does have.
    let out = run(dir
        .bare()
        .args(["convert", "book.epub", "--vision-model", "missing-model"]));
    assert_exit(&out, 0);
    assert!(
        stderr(&out)
            .contains("the server does not list missing-model (it offers: file-model, env-model)")
    );

    // A misspelt setting is an error naming the file.
    std::fs::write(dir.join("bookvoice.toml"), "[vision]\nmodle = \"x\"\n").unwrap();
    let out = run(dir.bare().args(["convert", "book.epub"]));
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("bookvoice.toml"), "{}", stderr(&out));
}

#[test]
fn no_images_asks_nothing_and_keeps_captions_and_alt_text() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start(Behaviour::Describe, &[MODEL]);
    let (summary, _) = convert(&dir, server.url(), &["--no-images"]);
    assert!(server.requests().is_empty());
    assert!(summary["images"]["described"] == 0);
    let harbour = script(&dir, "01 - The Harbour.txt");
    // The book's own words for the picture are still read.
    assert!(
        harbour.contains(
            "Before the picture.\n\nIllustration: The harbour at dawn.\n\nAfter the picture."
        ),
        "{harbour}"
    );
}

#[test]
fn an_edited_script_is_kept_until_the_book_changes() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let down = nothing_listening();
    convert(&dir, &down, &["--vision-retries", "0"]);
    let path = dir.join("book.bookvoice/script/03 - Plain Words.txt");
    let harbour = dir.join("book.bookvoice/script/01 - The Harbour.txt");
    std::fs::write(&path, "# Plain Words\n\nNothing at all to see here.\n").unwrap();
    std::fs::write(&harbour, "# The Harbour\n\nMy own words.\n").unwrap();
    let (summary, _) = convert(&dir, &down, &["--vision-retries", "0"]);
    assert_eq!(freshness(&summary), vec![(1, true), (2, true), (3, true)]);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("Nothing at all")
    );

    // A description arriving changes chapter 1's script; the edit is set aside, not lost.
    let server = VisionServer::start(Behaviour::Describe, &[MODEL]);
    let (_, log) = convert(&dir, server.url(), &[]);
    assert!(log.contains("your version is kept"), "{log}");
    assert!(script(&dir, "01 - The Harbour.txt").contains(HARBOUR_DESCRIBED));
    assert_eq!(
        script(&dir, "01 - The Harbour.edited.txt"),
        "# The Harbour\n\nMy own words.\n"
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("Nothing at all")
    );
}

#[test]
fn alice_is_described_picture_by_picture() {
    let Some(alice) = corpus("epubjs_alice-in-wonderland.epub") else {
        return;
    };
    let dir = Dir::new();
    std::fs::copy(&alice, dir.join("book.epub")).unwrap();
    let server = VisionServer::start(Behaviour::Describe, &[MODEL]);
    let (summary, log) = convert(&dir, server.url(), &[]);
    // Alice's ten chapters show 24 distinct pictures (one of them twice).
    assert_eq!(summary["images"]["described_now"], 24, "{log}");
    assert_eq!(server.completions().len(), 24);
    let wall = summary["images"]["seconds_wall"].as_f64().unwrap();
    eprintln!(
        "alice: 24 pictures described in {wall:.3} s, {:.4} s per picture",
        wall / 24.0
    );
    let scripts = std::fs::read_dir(dir.join("book.bookvoice/script")).unwrap();
    let mut illustrations = 0;
    for entry in scripts {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("Illo"), "{}", path.display());
            illustrations += text.matches("Illustration: ").count();
        }
    }
    assert_eq!(illustrations, 25);
    let tea_party = script_named(&dir.join("book.bookvoice/script"), "05 - ");
    assert!(
        tea_party.contains("Illustration: Alice at the Mad Tea Party. A drawing "),
        "{tea_party}"
    );
}

fn script_named(dir: &Path, prefix: &str) -> String {
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".txt")
        })
        .unwrap_or_else(|| panic!("no script {prefix}*.txt"));
    std::fs::read_to_string(entry).unwrap()
}
