//! The extract stage on real books from `../shared/corpus` (skipped, saying so, where it is
//! absent) and on EPUBs built here: titles, kinds, words, images, broken books, safety.

use std::path::Path;

use serde_json::Value;

use crate::fixture::{Epub, png};
use crate::util::{Dir, assert_exit, corpus, run, stderr, stdout};

/// `bookvoice chapters BOOK --json ARGS`, which must succeed: the parsed JSON and the log.
fn chapters_with(dir: &Dir, book: &Path, args: &[&str]) -> (Value, String) {
    let out = run(dir
        .bare()
        .arg("chapters")
        .arg(book)
        .arg("--json")
        .args(args));
    assert_exit(&out, 0);
    let json = serde_json::from_str(&stdout(&out)).expect("chapters --json prints JSON");
    (json, stderr(&out))
}

/// Asserts that the run's log (stderr) says `needle`.
fn assert_logged(out: &std::process::Output, needle: &str) {
    let log = stderr(out);
    assert!(
        log.contains(needle),
        "expected {needle:?} in the log:\n{log}"
    );
}

fn chapters(dir: &Dir, book: &Path) -> Value {
    chapters_with(dir, book, &[]).0
}

/// Which chapters a `chapters --json` listing marks as selected.
fn selected(book: &Value) -> Vec<bool> {
    book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["selected"].as_bool().unwrap())
        .collect()
}

fn titles(book: &Value, kind: &str) -> Vec<String> {
    book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect()
}

fn words(book: &Value, kind: Option<&str>) -> u64 {
    book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| kind.is_none_or(|k| c["kind"] == k))
        .map(|c| c["words"].as_u64().unwrap())
        .sum()
}

/// The catalogue's word count for a corpus book.
fn catalogue_words(file: &str) -> u64 {
    let catalog =
        std::fs::read_to_string(crate::util::repo().join("../shared/corpus/CATALOG.tsv")).unwrap();
    let mut lines = catalog.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = header.iter().position(|h| *h == "approx_words").unwrap();
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[0] == file)
        .map(|f| f[col].parse().unwrap())
        .unwrap()
}

#[test]
fn sherlock_holmes_has_twelve_adventures_by_name() {
    let Some(epub) = corpus("se_adventures-of-sherlock-holmes.epub") else {
        return;
    };
    let book = chapters(&Dir::new(), &epub);
    assert_eq!(book["title"], "The Adventures of Sherlock Holmes");
    assert_eq!(book["authors"][0], "Arthur Conan Doyle");
    assert_eq!(book["language"], "en-GB");
    assert_eq!(
        titles(&book, "body"),
        [
            "A Scandal in Bohemia",
            "The Redheaded League",
            "A Case of Identity",
            "The Boscombe Valley Mystery",
            "The Five Orange Pips",
            "The Man with the Twisted Lip",
            "The Adventure of the Blue Carbuncle",
            "The Adventure of the Speckled Band",
            "The Adventure of the Engineer’s Thumb",
            "The Adventure of the Noble Bachelor",
            "The Adventure of the Beryl Coronet",
            "The Adventure of the Copper Beeches",
        ]
    );
    assert_eq!(titles(&book, "back"), ["Colophon", "Uncopyright"]);
    // The cover is the JPEG painting embedded in cover.svg.
    assert_eq!(book["cover"], "epub/images/cover.svg#data-uri");
}

#[test]
fn moby_dick_starts_at_loomings_and_keeps_its_words() {
    let Some(epub) = corpus("idpf_moby-dick.epub") else {
        return;
    };
    let book = chapters(&Dir::new(), &epub);
    let body = titles(&book, "body");
    assert_eq!(body.len(), 136, "{body:?}");
    assert_eq!(body[0], "Chapter 1. Loomings");
    assert_eq!(body[134], "Chapter 135. The Chase.—Third Day");
    assert_eq!(body[135], "Epilogue");
    let front = titles(&book, "front");
    assert!(front.contains(&"Etymology".to_owned()), "{front:?}");
    assert_eq!(titles(&book, "back"), ["Copyright Page", "Contents"]);
}

#[test]
fn every_corpus_book_keeps_nearly_all_its_words() {
    for file in [
        "epubjs_alice-in-wonderland.epub",
        "idpf_moby-dick.epub",
        "idpf_wasteland.epub",
        "pg1012_divina-commedia.epub",
        "pressbooks_metamorphosis.epub",
        "se_adventures-of-sherlock-holmes.epub",
        "idpf_cole-voyage-of-life.epub",
    ] {
        let Some(epub) = corpus(file) else { return };
        let book = chapters(&Dir::new(), &epub);
        let all = words(&book, None);
        let expected = catalogue_words(file);
        assert!(
            all as f64 >= 0.97 * expected as f64 && all as f64 <= 1.01 * expected as f64,
            "{file}: {all} words read, the catalogue counts {expected}"
        );
    }
}

#[test]
fn cantos_split_out_of_size_split_files() {
    let Some(epub) = corpus("pg1012_divina-commedia.epub") else {
        return;
    };
    let book = chapters(&Dir::new(), &epub);
    let body = titles(&book, "body");
    assert_eq!(body.len(), 100, "34 + 33 + 33 cantos: {body:?}");
    assert_eq!(body[0], "Inferno • Canto I");
    assert_eq!(body[99], "Paradiso • Canto XXXIII");
    let front = titles(&book, "front");
    assert!(
        front.iter().any(|t| t.contains("Project Gutenberg")),
        "{front:?}"
    );
    // The licence glued to the last canto, with the transcriber's table before it, is
    // back matter of its own.
    assert_eq!(
        titles(&book, "back"),
        [
            "Project Gutenberg Licence",
            "The Full Project Gutenberg License"
        ]
    );
    // Most of the book is the poem.
    assert!(words(&book, Some("body")) as f64 > 0.95 * words(&book, None) as f64);
}

#[test]
fn the_waste_land_is_cut_by_anchors_and_its_notes_are_back_matter() {
    let Some(epub) = corpus("idpf_wasteland.epub") else {
        return;
    };
    let dir = Dir::new();
    let book = chapters(&dir, &epub);
    assert_eq!(
        titles(&book, "body"),
        [
            "I. The Burial of the Dead",
            "II. A Game of Chess",
            "III. The Fire Sermon",
            "IV. Death by Water",
            "V. What the Thunder Said",
        ]
    );
    assert_eq!(
        book["chapters"].as_array().unwrap().last().unwrap()["kind"],
        "back"
    );
    // Verse lines, no line numbers, no note markers.
    let work = dir.join("work");
    assert_exit(
        &run(dir.bare().arg("extract").arg(&epub).arg("-w").arg(&work)),
        0,
    );
    let saved: Value =
        serde_json::from_slice(&std::fs::read(work.join("book.json")).unwrap()).unwrap();
    let first = &saved["chapters"][1]["blocks"];
    assert_eq!(first[0]["text"], "I. THE BURIAL OF THE DEAD");
    assert_eq!(first[1]["type"], "verse");
    assert_eq!(
        first[1]["lines"][0],
        "April is the cruellest month, breeding"
    );
    assert_eq!(
        first[1]["lines"][9],
        "And went on in sunlight, into the Hofgarten,"
    );
    let text = first.to_string();
    assert!(
        text.contains("Out of this stony rubbish? Son of man,\""),
        "note marker left in"
    );
}

#[test]
fn alice_has_28_illustrations_in_their_places() {
    let Some(epub) = corpus("epubjs_alice-in-wonderland.epub") else {
        return;
    };
    let dir = Dir::new();
    let work = dir.join("alice.work");
    let out = run(dir
        .bare()
        .arg("extract")
        .arg(&epub)
        .arg("--work-dir")
        .arg(&work));
    assert_exit(&out, 0);
    let book: Value =
        serde_json::from_slice(&std::fs::read(work.join("book.json")).unwrap()).unwrap();
    let mut placed = Vec::new();
    for chapter in book["chapters"].as_array().unwrap() {
        let blocks = chapter["blocks"].as_array().unwrap();
        for (i, block) in blocks.iter().enumerate() {
            if block["type"] == "image" {
                let next = blocks[i + 1..].iter().find(|b| b["type"] != "image");
                placed.push((
                    chapter["title"].as_str().unwrap().to_owned(),
                    block.clone(),
                    next.cloned(),
                ));
            }
        }
    }
    assert_eq!(placed.len(), 28);
    // The first illustration of chapter 1 comes before its first paragraph.
    let (title, first, next) = placed
        .iter()
        .find(|(t, _, _)| t == "Down The Rabbit-Hole")
        .unwrap();
    assert_eq!(title, "Down The Rabbit-Hole");
    assert_eq!(first["alt"], "Illo1");
    assert!(
        next.as_ref().unwrap()["text"]
            .as_str()
            .unwrap()
            .starts_with("Alice was beginning to get very tired")
    );
    // Every image is stored once, by content hash, in the work directory.
    let images = book["images"].as_array().unwrap();
    for image in images {
        let file = work.join(image["file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        let hash = sha256_hex(&bytes);
        assert_eq!(image["id"], hash);
        assert!(
            file.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&hash)
        );
    }
    assert_eq!(
        std::fs::read_dir(work.join("images")).unwrap().count(),
        images.len()
    );
    // Captions from <figcaption> ride along.
    assert!(
        placed
            .iter()
            .any(|(_, b, _)| !b["caption"].as_str().unwrap().is_empty())
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_broken_metamorphosis_converts_what_is_readable() {
    let Some(epub) = corpus("malformed_metamorphosis-utf16-opf.epub") else {
        return;
    };
    let dir = Dir::new();
    let (book, log) = chapters_with(&dir, &epub, &[]);
    assert_eq!(book["title"], "Metamorphosis");
    assert_eq!(
        titles(&book, "body"),
        ["Chapter I", "Chapter II", "Chapter III"]
    );
    assert!(words(&book, Some("body")) > 21_000);
    // Each problem is named with the file inside the EPUB.
    let err = log;
    assert!(
        err.contains("book.opf: a spine itemref has no idref"),
        "{err}"
    );
    assert!(book["warnings"].as_array().unwrap().len() >= 2);
}

#[test]
fn a_truncated_zip_is_salvaged() {
    let dir = Dir::new();
    let whole = dir.join("whole.epub");
    let mut epub = Epub::book(&[
        (
            "one.xhtml",
            "One",
            "<p>The first chapter survives intact.</p>",
        ),
        (
            "two.xhtml",
            "Two",
            "<p>The second chapter survives too.</p>",
        ),
    ]);
    // Incompressible bytes, so that cutting the end off loses only this entry.
    let mut seed = 12345u32;
    let noise = (0..4096)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as u8
        })
        .collect();
    epub.add_bytes("OEBPS/zz-padding.bin", noise);
    epub.write(&whole);
    let bytes = std::fs::read(&whole).unwrap();
    // Cut off the central directory and the last entry.
    let broken = dir.join("broken.epub");
    std::fs::write(&broken, &bytes[..bytes.len() - 1500]).unwrap();
    let (book, log) = chapters_with(&dir, &broken, &[]);
    assert_eq!(titles(&book, "body"), ["One", "Two"]);
    assert!(log.contains("the zip is damaged"), "{log}");
}

#[test]
fn missing_files_bad_hrefs_and_bad_xhtml_are_warnings() {
    let dir = Dir::new();
    let path = dir.join("odd.epub");
    let mut epub = Epub::book(&[
        ("Chapter%20One.xhtml", "One", "<p>Percent-encoded name.</p>"),
        ("two.xhtml", "Two", "<p>Wrongly cased href.</p>"),
        (
            "three.xhtml",
            "Three",
            "<p>Unclosed <b>tags & bare ampersands</p>",
        ),
        ("gone.xhtml", "Gone", ""),
    ]);
    // The entries as a careless tool would have stored them.
    let one = epub
        .entries
        .iter()
        .position(|(n, _)| n == "OEBPS/Chapter%20One.xhtml")
        .unwrap();
    epub.entries[one].0 = "OEBPS/Chapter One.xhtml".into();
    let two = epub
        .entries
        .iter()
        .position(|(n, _)| n == "OEBPS/two.xhtml")
        .unwrap();
    epub.entries[two].0 = "OEBPS/TWO.XHTML".into();
    epub.entries.retain(|(n, _)| n != "OEBPS/gone.xhtml");
    epub.write(&path);
    let (book, log) = chapters_with(&dir, &path, &[]);
    assert_eq!(titles(&book, "body"), ["One", "Two", "Three"]);
    let err = log;
    assert!(
        err.contains("OEBPS/gone.xhtml: listed in the spine but not in the EPUB"),
        "{err}"
    );
    assert!(
        err.contains("OEBPS/three.xhtml: not well-formed XHTML"),
        "{err}"
    );
    assert!(book["chapters"][2]["words"].as_u64().unwrap() >= 5);
}

#[test]
fn a_book_with_nothing_readable_fails_clearly() {
    let dir = Dir::new();
    std::fs::write(dir.join("notzip.epub"), b"this is not a zip file at all").unwrap();
    let out = run(dir.bare().arg("chapters").arg("notzip.epub"));
    assert_exit(&out, 1);
    assert_logged(&out, "notzip.epub: not a readable EPUB");

    let mut empty = Epub::book(&[("a.xhtml", "", "")]);
    empty.add("OEBPS/a.xhtml", "<html><body><p>   </p></body></html>");
    empty.write(&dir.join("empty.epub"));
    let out = run(dir.bare().arg("chapters").arg("empty.epub"));
    assert_exit(&out, 1);
    assert_logged(&out, "empty.epub: nothing in it could be read");

    let out = run(dir.bare().arg("chapters").arg("shelf/absent.epub"));
    assert_exit(&out, 1);
    // The path as given, and the reason once.
    assert_logged(&out, "shelf/absent.epub: cannot read the file: ");
    assert_eq!(
        stderr(&out).matches("No such file or directory").count(),
        1,
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_entry_names_cannot_write_outside_the_work_directory() {
    let dir = Dir::new();
    let path = dir.join("slip.epub");
    let img = png(64, 64);
    let mut epub = Epub::book(&[(
        "a.xhtml",
        "Slip",
        r#"<p>Pictures from outside.</p><img src="../../../../outside.png" alt="x"/><img src="/etc/abs.png" alt="y"/><img src="link.png" alt="z"/>"#,
    )]);
    epub.add_bytes("../../../../outside.png", img.clone());
    epub.add_bytes("/etc/abs.png", img.clone());
    epub.add_bytes("outside.png", img);
    epub.symlinks
        .push(("OEBPS/link.png".into(), "/etc/passwd".into()));
    epub.write(&path);
    let work = dir.join("deep/work");
    let out = run(dir.bare().arg("extract").arg(&path).arg("-w").arg(&work));
    assert_exit(&out, 0);
    // Only the work directory was written, and in it only hash-named images.
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["deep", "slip.epub"]);
    assert_eq!(std::fs::read_dir(dir.join("deep")).unwrap().count(), 1);
    for entry in std::fs::read_dir(work.join("images")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name.len() == 64 + 4 && name.ends_with(".png"), "{name}");
    }
    assert_logged(&out, "OEBPS/link.png: refused: a symbolic link");
}

#[test]
fn a_zip_bomb_is_refused_and_the_rest_converts() {
    let dir = Dir::new();
    let path = dir.join("bomb.epub");
    let mut epub = Epub::book(&[
        ("a.xhtml", "Fine", "<p>This chapter is fine.</p>"),
        ("b.xhtml", "Bomb", ""),
    ]);
    // 96 MiB of spaces inside a chapter compresses to about 100 KiB.
    let mut bomb = b"<html><body><p>".to_vec();
    bomb.resize(96 << 20, b' ');
    bomb.extend_from_slice(b"</p></body></html>");
    epub.add_bytes("OEBPS/b.xhtml", bomb);
    epub.write(&path);
    let (book, log) = chapters_with(&dir, &path, &[]);
    assert!(log.contains("OEBPS/b.xhtml: refused"), "{log}");
    assert_eq!(titles(&book, "body"), ["Fine"]);
}

#[test]
fn entity_expansion_does_not_blow_up() {
    let dir = Dir::new();
    let path = dir.join("lol.epub");
    let mut lol = String::from("<?xml version=\"1.0\"?><!DOCTYPE html [<!ENTITY lol \"lol\">");
    for i in 1..12 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        lol.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    lol.push_str("]><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>Laughs</h1><p>&lol11;</p><p>Words after the laughter.</p></body></html>");
    let mut epub = Epub::book(&[
        ("a.xhtml", "Laughs", ""),
        ("b.xhtml", "Plain", "<p>Plain text.</p>"),
    ]);
    epub.add("OEBPS/a.xhtml", &lol);
    epub.write(&path);
    let started = std::time::Instant::now();
    let (book, _) = chapters_with(&dir, &path, &[]);
    assert!(started.elapsed().as_secs() < 20);
    assert!(book["chapters"][0]["words"].as_u64().unwrap() < 1000);
}

#[test]
fn images_are_hinted_and_stored_once() {
    let dir = Dir::new();
    let path = dir.join("pics.epub");
    let mut epub = Epub::book(&[
        (
            "a.xhtml",
            "Pictures",
            r#"<figure><img src="big.png" alt="A harbour"/><figcaption>The harbour at dawn</figcaption></figure><p>Text.</p><img src="dot.png" alt=""/><img src="copy.png" alt="Same picture again"/>"#,
        ),
        (
            "b.xhtml",
            "More",
            r#"<p>Again.</p><img src="rule.png" alt="" class="ornament"/><img src="rule.png" alt=""/><img src="rule.png" alt=""/>"#,
        ),
    ]);
    epub.add_bytes("OEBPS/big.png", png(300, 200));
    epub.add_bytes("OEBPS/copy.png", png(300, 200));
    epub.add_bytes("OEBPS/dot.png", png(1, 1));
    epub.add_bytes("OEBPS/rule.png", png(400, 12));
    epub.write(&path);
    let work = dir.join("w");
    let out = run(dir
        .bare()
        .arg("extract")
        .arg(&path)
        .arg("-w")
        .arg(&work)
        .arg("--json"));
    assert_exit(&out, 0);
    let saved: Value =
        serde_json::from_slice(&std::fs::read(work.join("book.json")).unwrap()).unwrap();
    let images = saved["images"].as_array().unwrap();
    // big.png and copy.png are the same bytes: one image, two sources, two uses.
    assert_eq!(images.len(), 3, "{images:?}");
    let big = images.iter().find(|i| i["width"] == 300).unwrap();
    assert_eq!(big["uses"], 2);
    assert_eq!(big["sources"].as_array().unwrap().len(), 2);
    assert_eq!(big["hint"]["hint"], "describe");
    let dot = images.iter().find(|i| i["width"] == 1).unwrap();
    assert_eq!(dot["hint"]["reason"], "tiny");
    let rule = images.iter().find(|i| i["width"] == 400).unwrap();
    assert_eq!(rule["hint"]["reason"], "ornament");
    assert_eq!(rule["uses"], 3);
    let first = &saved["chapters"][0]["blocks"];
    assert_eq!(first[1]["type"], "image");
    assert_eq!(first[1]["caption"], "The harbour at dawn");
    assert_eq!(std::fs::read_dir(work.join("images")).unwrap().count(), 3);
}

#[test]
fn a_second_extract_is_fresh_and_a_changed_book_is_redone() {
    let dir = Dir::new();
    let path = dir.join("book.epub");
    Epub::book(&[("a.xhtml", "First", "<p>Version one.</p>")]).write(&path);
    let work = dir.join("work");
    let out = run(dir.bare().arg("extract").arg(&path).arg("-w").arg(&work));
    assert_exit(&out, 0);
    assert_logged(&out, "extracted in");
    assert!(work.join("book.json.fp").is_file() && work.join("book.json.fp.json").is_file());
    let out = run(dir.bare().arg("extract").arg(&path).arg("-w").arg(&work));
    assert_logged(&out, "already extracted");
    Epub::book(&[("a.xhtml", "Second", "<p>Version two.</p>")]).write(&path);
    let out = run(dir
        .bare()
        .arg("extract")
        .arg(&path)
        .arg("-w")
        .arg(&work)
        .arg("--json"));
    assert_logged(&out, "extracted in");
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listed["chapters"][0]["title"], "Second");
}

#[test]
fn chapters_selection_and_table() {
    let dir = Dir::new();
    let path = dir.join("book.epub");
    Epub::book(&[
        ("cover.xhtml", "Cover", "<p>Cover words.</p>"),
        ("a.xhtml", "Alpha", "<p>One.</p>"),
        ("b.xhtml", "Beta", "<p>Two.</p>"),
        ("notes.xhtml", "Notes", "<p>A note.</p>"),
    ])
    .write(&path);
    let out = run(dir.bare().arg("chapters").arg(&path));
    assert_exit(&out, 0);
    let table = stdout(&out);
    assert!(table.contains("Test Book by A. Tester\n"), "{table}");
    assert!(
        table.contains("Language: American English (en-us), from the package's dc:language"),
        "{table}"
    );
    assert!(table.contains("*    2  body"), "{table}");
    assert!(table.contains("     1  front"), "{table}");
    let (book, _) = chapters_with(&dir, &path, &["--include", "front,back"]);
    assert_eq!(selected(&book), [true, true, true, true]);
    let (book, _) = chapters_with(&dir, &path, &["--chapters", "1,3-"]);
    assert_eq!(selected(&book), [true, false, true, true]);
    let out = run(dir
        .bare()
        .args(["chapters", "book.epub", "--chapters", "0"]));
    assert_exit(&out, 2);
    // Numbers past the last chapter select nothing, and the listing says so.
    let out = run(dir
        .bare()
        .args(["chapters", "book.epub", "--chapters", "2,9"]));
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains(
            "book.epub: --chapters asks for chapter 9, which is past the last chapter \
             (the book has 4 chapters)"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("* = picked with --chapters"),
        "{}",
        stdout(&out)
    );
    let (book, _) = chapters_with(&dir, &path, &["--chapters", "2,9"]);
    assert!(
        book["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .unwrap()
            .contains("chapter 9, which is past the last")),
        "{book}"
    );
}
