//! What is read and what is not, on small books built here (all text invented): note
//! references by their targets, notes in chapters, lists, drop caps, stylesheets, code,
//! SVG pages, manifest fallbacks, picture books, metadata, Project Gutenberg's licence,
//! chapter headings written as paragraphs (in Chinese, in French, in a long book), and the
//! shared structure cases in `../shared/cases/structure/`.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::fixture::{Epub, png};
use crate::util::{Dir, assert_exit, run, stderr, stdout};

const CONTAINER: &str = r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;

/// An EPUB with a package written by the test: `metadata` and `manifest` inner XML, spine
/// item ids, and the files.
fn package(metadata: &str, manifest: &str, spine: &[&str], files: &[(&str, &[u8])]) -> Epub {
    package_in("en", "", metadata, manifest, spine, files)
}

/// The same in a language, with `spine_attrs` on the spine (`toc="ncx"`).
fn package_in(
    language: &str,
    spine_attrs: &str,
    metadata: &str,
    manifest: &str,
    spine: &[&str],
    files: &[(&str, &[u8])],
) -> Epub {
    let spine: String = spine
        .iter()
        .map(|id| format!(r#"<itemref idref="{id}"/>"#))
        .collect();
    let mut epub = Epub {
        entries: Vec::new(),
        symlinks: Vec::new(),
    };
    epub.add("mimetype", "application/epub+zip");
    epub.add("META-INF/container.xml", CONTAINER);
    epub.add(
        "OEBPS/content.opf",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="uid">urn:test</dc:identifier><dc:language>{language}</dc:language>{metadata}</metadata><manifest>{manifest}</manifest><spine{spine_attrs}>{spine}</spine></package>"#
        ),
    );
    for (name, bytes) in files {
        epub.add_bytes(&format!("OEBPS/{name}"), bytes.to_vec());
    }
    epub
}

fn xhtml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title><link rel="stylesheet" type="text/css" href="style.css"/></head><body>{body}</body></html>"#
    )
}

/// `bookvoice chapters BOOK --json`: the listing and the log.
fn chapters(dir: &Dir, book: &str) -> (Value, String) {
    let out = run(dir.bare().args(["chapters", book, "--json"]));
    assert_exit(&out, 0);
    (
        serde_json::from_str(&stdout(&out)).expect("JSON"),
        stderr(&out),
    )
}

/// Converts up to the scripts, with `args`, and returns every script joined, in order.
fn scripts(dir: &Dir, book: &str, args: &[&str]) -> String {
    let out = run(dir
        .bare()
        .args([
            "convert",
            book,
            "--stop-after",
            "script",
            "--no-images",
            "-w",
            "work",
        ])
        .args(args));
    assert_exit(&out, 0);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("work/script"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn notes_lists_drop_caps_stylesheets_and_code() {
    let dir = Dir::new();
    let chapter = xhtml(
        r##"<h1>One</h1>
        <p class="ebook-only">This edition is for screens.</p>
        <p>Alpha<a href="notes.xhtml#n1">1</a> ends, and bravo<span><a href="notes.xhtml#n2">[2]</a></span> too.</p>
        <p>See <a href="two.xhtml#s">3</a> kinds of tea.</p>
        <p><img class="dropcap" alt="O" src="o.png"/>nce upon a time.</p>
        <ol start="4"><li>Keep the map dry.</li><li>Sleep.</li></ol>
        <pre><code>let x = 42;</code></pre>
        <p>Charlie<sup><a href="#f1" id="r1">*</a></sup> waits.</p>
        <p id="f1">* A note printed in the chapter.</p>"##,
    );
    let notes = xhtml(
        r#"<h1>Notes</h1><p id="n1">1. The first note.</p><p id="n2">2. The second note.</p>"#,
    );
    let two = xhtml(r#"<h1 id="s">Two</h1><p>The end.</p>"#);
    let manifest = r#"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
        <item id="one" href="one.xhtml" media-type="application/xhtml+xml"/>
        <item id="two" href="two.xhtml" media-type="application/xhtml+xml"/>
        <item id="notes" href="notes.xhtml" media-type="application/xhtml+xml"/>
        <item id="css" href="style.css" media-type="text/css"/>
        <item id="o" href="o.png" media-type="image/png"/>"#;
    let nav = xhtml(
        r#"<nav epub:type="toc"><ol><li><a href="one.xhtml">One</a></li><li><a href="two.xhtml">Two</a></li><li><a href="notes.xhtml">Notes</a></li></ol></nav>"#,
    );
    package(
        "<dc:title>Notes Book</dc:title>",
        manifest,
        &["one", "two", "notes"],
        &[
            ("nav.xhtml", nav.as_bytes()),
            ("one.xhtml", chapter.as_bytes()),
            ("two.xhtml", two.as_bytes()),
            ("notes.xhtml", notes.as_bytes()),
            ("style.css", b"p.ebook-only { display: none }"),
            ("o.png", &png(20, 20)),
        ],
    )
    .write(&dir.join("book.epub"));

    let text = scripts(&dir, "book.epub", &[]);
    assert!(
        text.contains("Alpha ends, and bravo too."),
        "note markers are dropped with their numbers:\n{text}"
    );
    assert!(text.contains("See three kinds of tea."), "{text}");
    assert!(text.contains("Once upon a time."), "{text}");
    assert!(
        text.contains("- Four. Keep the map dry.\n\n- Five. Sleep."),
        "{text}"
    );
    assert!(text.contains("A code listing follows."), "{text}");
    assert!(text.contains("Charlie waits."), "{text}");
    for unread in ["for screens", "printed in the chapter", "42", "first note"] {
        assert!(!text.contains(unread), "{unread:?} is read:\n{text}");
    }

    // The settings read the notes after the chapter, and the code.
    std::fs::write(
        dir.join("bookvoice.toml"),
        "[notes]\nmode = \"read\"\n[code]\nmode = \"read\"\n",
    )
    .unwrap();
    let text = scripts(&dir, "book.epub", &[]);
    assert!(
        text.contains("Charlie waits.\n\n* * *\n\n# Notes\n\nA note printed in the chapter."),
        "{text}"
    );
    assert!(text.contains("let x equals forty-two;"), "{text}");
    let text = scripts(
        &dir,
        "book.epub",
        &["--notes", "skip", "--code", "announce"],
    );
    assert!(!text.contains("# Notes"), "the flag wins:\n{text}");
}

#[test]
fn svg_pages_fallbacks_and_picture_books() {
    let dir = Dir::new();
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><title>A Map of the Isle</title><text x="1" y="20">Here be dragons</text></svg>"#;
    let picture = xhtml(r#"<p><img src="kite.png" alt="A red kite over the hill"/></p>"#);
    let fallback = xhtml("<h1>Data Page</h1><p>The table as prose.</p>");
    let manifest = r#"<item id="map" href="map.svg" media-type="image/svg+xml"/>
        <item id="pic" href="pic.xhtml" media-type="application/xhtml+xml"/>
        <item id="data" href="data.json" media-type="application/json" fallback="data-x"/>
        <item id="data-x" href="data.xhtml" media-type="application/xhtml+xml"/>
        <item id="blob" href="blob.bin" media-type="application/octet-stream"/>
        <item id="kite" href="kite.png" media-type="image/png"/>"#;
    package(
        "<dc:title>Picture Book</dc:title>",
        manifest,
        &["map", "pic", "data", "blob", "pic"],
        &[
            ("map.svg", svg.as_bytes()),
            ("pic.xhtml", picture.as_bytes()),
            ("data.json", br#"{"rows": [1, 2, 3]}"#),
            ("data.xhtml", fallback.as_bytes()),
            ("blob.bin", b"\x00\x01\x02binary\x00\xff\xfe"),
            ("kite.png", &png(30, 20)),
        ],
    )
    .write(&dir.join("book.epub"));

    let (book, log) = chapters(&dir, "book.epub");
    assert!(log.contains("no readable fallback; skipped"), "{log}");
    assert!(
        log.contains("listed twice in the spine; read once"),
        "{log}"
    );
    // With no table of contents, the untitled picture page joins the map before it.
    assert_eq!(book["chapters"].as_array().unwrap().len(), 2, "{book:#}");

    let text = scripts(&dir, "book.epub", &["--include", "front,back"]);
    for said in [
        "A Map of the Isle",
        "Here be dragons",
        "Illustration: A red kite over the hill.",
        "The table as prose.",
    ] {
        assert!(text.contains(said), "{said:?} is not read:\n{text}");
    }
    assert!(!text.contains("rows") && !text.contains("binary"), "{text}");

    // A book with nothing but a described picture is still a book.
    let dir = Dir::new();
    package(
        "<dc:title>Only Pictures</dc:title>",
        r#"<item id="pic" href="pic.xhtml" media-type="application/xhtml+xml"/><item id="kite" href="kite.png" media-type="image/png"/>"#,
        &["pic"],
        &[("pic.xhtml", picture.as_bytes()), ("kite.png", &png(30, 20))],
    )
    .write(&dir.join("book.epub"));
    let text = scripts(&dir, "book.epub", &["--include", "front,back"]);
    assert!(text.contains("A red kite over the hill"), "{text}");
}

#[test]
fn the_main_title_authors_and_gutenbergs_licence() {
    let dir = Dir::new();
    let metadata = r##"<dc:title id="t2">A Subtitle Listed First</dc:title>
        <meta refines="#t2" property="title-type">subtitle</meta>
        <dc:title id="t1">The Salt Road</dc:title>
        <meta refines="#t1" property="title-type">main</meta>
        <dc:creator id="c1">Ann Editor</dc:creator><meta refines="#c1" property="role">edt</meta>
        <dc:creator id="c2">Jo Writer</dc:creator><meta refines="#c2" property="role">ill</meta>
        <meta refines="#c2" property="role">aut</meta>
        <dc:creator>Jo Writer</dc:creator>"##;
    let story = xhtml(
        "<h1>The Last Chapter</h1><p>And so it ended.</p><hr/><p>Transcriber's note: typos fixed.</p>\
         <p>*** END OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***</p>\
         <p>Updated editions will replace the previous one.</p>",
    );
    package(
        metadata,
        r#"<item id="s" href="s.xhtml" media-type="application/xhtml+xml"/>"#,
        &["s"],
        &[("s.xhtml", story.as_bytes())],
    )
    .write(&dir.join("book.epub"));
    let (book, _) = chapters(&dir, "book.epub");
    assert_eq!(book["title"], "The Salt Road");
    assert_eq!(book["authors"], serde_json::json!(["Jo Writer"]));
    let kinds: Vec<(&str, &str)> = book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("The Last Chapter", "body"),
            ("Project Gutenberg Licence", "back")
        ]
    );
    let text = scripts(&dir, "book.epub", &[]);
    assert!(text.contains("And so it ended."), "{text}");
    assert!(
        !text.contains("Gutenberg") && !text.contains("Transcriber"),
        "{text}"
    );
}

#[test]
fn a_listing_into_a_closed_pipe_ends_quietly() {
    let dir = Dir::new();
    Epub::book(&[("a.xhtml", "One", "<p>Text.</p>")]).write(&dir.join("book.epub"));
    let mut child = dir
        .bare()
        .args(["chapters", "book.epub"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing: the pipe closes before bookvoice writes.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

/// The shared cases: each small book gives what its README line says.
#[test]
fn the_shared_structure_cases() {
    let cases = crate::util::repo().join("../shared/cases/structure");
    if !cases.is_dir() {
        eprintln!("skipped: {} is absent", cases.display());
        return;
    }
    let dir = Dir::new();
    let case = |name: &str| -> Option<String> {
        let book = cases.join(format!("{name}.epub"));
        if !Path::new(&book).is_file() {
            eprintln!("skipped: {} is absent", book.display());
            return None;
        }
        let work = dir.join(name);
        let out = run(dir
            .bare()
            .args(["convert", "--stop-after", "script", "--no-images", "-w"])
            .arg(&work)
            .arg(&book));
        assert_exit(&out, 0);
        let mut files: Vec<_> = std::fs::read_dir(work.join("script"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        Some(
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).unwrap())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    if let Some(text) = case("e01b_noteref_variants") {
        for word in [
            "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Golf", "Hotel",
        ] {
            assert!(
                text.contains(&format!("{word} sentence here ends.")),
                "{word}:\n{text}"
            );
        }
        assert!(text.contains("Foxtrot sentence here. Next one."), "{text}");
        assert!(
            !text.contains("in-chapter note") && !text.contains("Note text"),
            "{text}"
        );
    }
    if let Some(text) = case("e07_lists") {
        let lower = text.to_lowercase();
        assert!(lower.contains("one. step-first."), "{text}");
        assert!(lower.contains("three. step-third."), "{text}");
        assert!(lower.contains("four. step-fourth."), "{text}");
        assert_eq!(text.matches("ginger ones").count(), 1, "{text}");
    }
    if let Some(text) = case("e08_drop_caps") {
        for said in [
            "When the snow came",
            "The house stood empty",
            "Once more the geese",
            "\"Never again,\" she said.",
            "It was late when the carriage arrived.",
        ] {
            assert!(text.contains(said), "{said:?}:\n{text}");
        }
        assert!(
            text.to_lowercase()
                .contains("my dear sir, the letter began"),
            "{text}"
        );
    }
    let book = cases.join("e11_metadata_title.epub");
    if book.is_file() {
        let (listing, _) = chapters(&dir, book.to_str().unwrap());
        assert_eq!(listing["title"], "The Salt Road");
        assert_eq!(listing["authors"], serde_json::json!(["Jo Writer"]));
    }
}

#[test]
fn mathematics_broken_markup_and_a_title_in_the_wrong_place() {
    let dir = Dir::new();
    let mut epub = Epub::book(&[
        (
            "one.xhtml",
            "One",
            r#"<p>So <math alttext="x squared plus one"><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mn>1</mn></math> grows.</p>
            <math display="block"><mfrac><mi>a</mi><mi>b</mi></mfrac></math>"#,
        ),
        (
            "dedication.xhtml",
            "Dedication",
            "<p>The story goes on here.</p>",
        ),
        ("two.xhtml", "Two", "<p>Placeholder.</p>"),
    ]);
    // A document with a DOCTYPE's internal subset and an entity it does not define: read as
    // HTML, with neither "]>" nor "&name;" left in the text.
    epub.add(
        "OEBPS/two.xhtml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html [
<!ENTITY ship "the Pequod">
]>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Two</title></head>
<body><h1>Two</h1><p>Aboard &ship; &undefined; we sailed.</p></body></html>"#,
    );
    epub.write(&dir.join("book.epub"));
    let (book, _) = chapters(&dir, "book.epub");
    let kinds: Vec<&str> = book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["body", "body", "body"], "{book:#}");
    let text = scripts(&dir, "book.epub", &[]);
    assert!(text.contains("So x squared plus one grows."), "{text}");
    assert!(text.contains("a over b"), "{text}");
    assert!(text.contains("The story goes on here."), "{text}");
    assert!(text.contains("Aboard the Pequod we sailed."), "{text}");
    assert!(!text.contains("]>") && !text.contains('&'), "{text}");
}

/// The chapters' (title, kind) in order.
fn shape(book: &Value) -> Vec<(String, String)> {
    book["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["title"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A Chinese novel as Project Gutenberg sets one: the header in `<div>`s, then chapter
/// headings that are only paragraphs, the licence after the end marker, and a table of
/// contents of two entries.
#[test]
fn chinese_chapter_headings_written_as_paragraphs_cut_the_book() {
    let dir = Dir::new();
    let headings = [
        "第一回　宴桃園豪傑三結義　斬黃巾英雄首立功",
        "第二回　張翼德怒鞭督郵　何國舅謀誅宦豎",
        "第三回　議溫明董卓叱丁原　饋金珠李肅說呂布",
        "第四回　廢漢帝陳留踐位　謀董賊孟德獻刀",
        "第五回　發矯詔諸鎮應曹公　破關兵三英戰呂布",
    ];
    let mut body = String::from(
        "<div>The Project Gutenberg eBook of 三國演義</div>\
         <div>This ebook is for the use of anyone anywhere at no cost.</div>\
         <div>Title: 三國演義</div><div>Language: Chinese</div>\
         <div>*** START OF THE PROJECT GUTENBERG EBOOK 三國演義 ***</div>\
         <p>三國演義</p>",
    );
    for (i, h) in headings.iter().enumerate() {
        body.push_str(&format!(
            "<p>{h}</p><p>話說天下大勢，分久必合，合久必分。這是第{n}段。</p>\
             <p>眾人聽了，都道有理。第一回合，兩軍相見。</p>",
            n = i + 1
        ));
    }
    body.push_str(
        "<p>*** END OF THE PROJECT GUTENBERG EBOOK 三國演義 ***</p>\
         <p>Updated editions will replace the previous one.</p>\
         <h2 id=\"license\">THE FULL PROJECT GUTENBERG LICENSE</h2>\
         <p>Section 1. General Terms of Use and Redistributing Project Gutenberg electronic works</p>\
         <p>1.A. By reading or using any part of this Project Gutenberg electronic work…</p>",
    );
    let nav = xhtml(
        r##"<nav epub:type="toc"><ol><li><a href="text.xhtml">三國演義</a></li><li><a href="text.xhtml#license">THE FULL PROJECT GUTENBERG LICENSE</a></li></ol></nav>"##,
    );
    package_in(
        "zh",
        "",
        "<dc:title>三國演義</dc:title>",
        r#"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
        <item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>"#,
        &["text"],
        &[
            ("nav.xhtml", nav.as_bytes()),
            ("text.xhtml", xhtml(&body).as_bytes()),
        ],
    )
    .write(&dir.join("book.epub"));

    let (book, _) = chapters(&dir, "book.epub");
    let chapters = shape(&book);
    let body: Vec<&str> = chapters
        .iter()
        .filter(|(_, kind)| kind == "body")
        .map(|(title, _)| title.as_str())
        .collect();
    let expected: Vec<String> = headings.iter().map(|h| h.replace('　', " ")).collect();
    assert_eq!(body, expected, "{book:#}");
    // The header before them, the licence after.
    assert_eq!(chapters.first().unwrap().1, "front", "{book:#}");
    assert_eq!(chapters.last().unwrap().1, "back", "{book:#}");
    // The body, as extracted (`convert` does not speak Chinese yet).
    let out = run(dir.bare().args(["extract", "book.epub", "-w", "work"]));
    assert_exit(&out, 0);
    let extracted: Value =
        serde_json::from_slice(&std::fs::read(dir.join("work/book.json")).unwrap()).unwrap();
    let body: Vec<&Value> = extracted["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "body")
        .collect();
    let text: String = body
        .iter()
        .flat_map(|c| c["blocks"].as_array().unwrap())
        .filter_map(|b| b["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("話說天下大勢"), "{text}");
    for unread in [
        "Gutenberg",
        "anyone anywhere",
        "Section 1",
        "Updated editions",
    ] {
        assert!(
            !text.contains(unread),
            "{unread:?} is in the story:\n{text}"
        );
    }
    // Each chapter opens with its heading line, made a heading, so it is read once.
    for (chapter, heading) in body.iter().zip(headings) {
        assert_eq!(chapter["blocks"][0]["type"], "heading", "{chapter:#}");
        assert_eq!(
            chapter["blocks"][0]["text"],
            heading.replace('　', " "),
            "{chapter:#}"
        );
    }
}

/// A French book with "CHAPITRE I." paragraphs, its Gutenberg header set in `<pre>` in a
/// document of its own and its licence in another, and an NCX of two entries.
#[test]
fn french_chapter_headings_and_boilerplate_in_documents_of_their_own() {
    let dir = Dir::new();
    let header = xhtml(
        "<pre>The Project Gutenberg EBook of Le Voyage, by Anne Auteur\n\n\
         This eBook is for the use of anyone anywhere at no cost.\n\n\
         Title: Le Voyage\n\n\
         *** START OF THIS PROJECT GUTENBERG EBOOK LE VOYAGE ***</pre>",
    );
    let mut story = String::from("<p>LE VOYAGE</p><p>ROMAN</p>");
    for (n, title) in
        ["I", "II", "III", "IV"]
            .iter()
            .zip(["LE DÉPART", "LA MER", "L'ÎLE", "LE RETOUR"])
    {
        story.push_str(&format!(
            "<p>CHAPITRE {n}.</p><p>{title}</p><p>Le chapitre {n} commence ici. Il était une fois un voyageur.</p>\
             <p>Le chapitre 3 était le plus long, dit-il.</p>"
        ));
    }
    let licence = xhtml(
        "<p>End of the Project Gutenberg EBook of Le Voyage, by Anne Auteur</p>\
         <p>*** END OF THIS PROJECT GUTENBERG EBOOK LE VOYAGE ***</p>\
         <p>Section 1. General Terms of Use</p>",
    );
    let ncx = r#"<?xml version="1.0" encoding="UTF-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>Le Voyage</text></docTitle><navMap>
        <navPoint id="a" playOrder="1"><navLabel><text>Le Voyage</text></navLabel><content src="header.xhtml"/></navPoint>
        <navPoint id="b" playOrder="2"><navLabel><text>Le Voyage</text></navLabel><content src="story.xhtml"/></navPoint>
        </navMap></ncx>"#;
    package_in(
        "fr",
        r#" toc="ncx""#,
        "<dc:title>Le Voyage</dc:title>",
        r#"<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
        <item id="header" href="header.xhtml" media-type="application/xhtml+xml"/>
        <item id="story" href="story.xhtml" media-type="application/xhtml+xml"/>
        <item id="licence" href="licence.xhtml" media-type="application/xhtml+xml"/>"#,
        &["header", "story", "licence"],
        &[
            ("toc.ncx", ncx.as_bytes()),
            ("header.xhtml", header.as_bytes()),
            ("story.xhtml", xhtml(&story).as_bytes()),
            ("licence.xhtml", licence.as_bytes()),
        ],
    )
    .write(&dir.join("book.epub"));

    let (book, _) = chapters(&dir, "book.epub");
    let chapters = shape(&book);
    let body: Vec<&str> = chapters
        .iter()
        .filter(|(_, kind)| kind == "body")
        .map(|(title, _)| title.as_str())
        .collect();
    assert_eq!(
        body,
        ["Chapitre I", "Chapitre II", "Chapitre III", "Chapitre IV"],
        "{book:#}"
    );
    assert_eq!(chapters.first().unwrap().1, "front", "{book:#}");
    assert_eq!(chapters.last().unwrap().1, "back", "{book:#}");
    let text = scripts(&dir, "book.epub", &[]);
    assert!(text.contains("Il était une fois un voyageur."), "{text}");
    assert!(text.contains("Le chapitre 3 était le plus long"), "{text}");
    for unread in ["Gutenberg", "anyone anywhere", "Section 1"] {
        assert!(!text.contains(unread), "{unread:?} is read:\n{text}");
    }
}

/// A book of 120 chapters in one document of about 725,000 characters, with headings
/// written as paragraphs: cut in time (a scan per heading over the document would not be).
#[test]
fn a_long_single_document_is_cut_quickly() {
    let dir = Dir::new();
    let sentence = "天下大勢，分久必合，合久必分。";
    let paragraph = sentence.repeat(20);
    let mut body = String::new();
    for n in 1..=120 {
        body.push_str(&format!("<p>第{n}回　第{n}回的回目</p>"));
        for _ in 0..20 {
            body.push_str(&format!("<p>{paragraph}</p>"));
        }
    }
    let chars = body.chars().count();
    assert!(chars > 725_000, "{chars}");
    package_in(
        "zh",
        "",
        "<dc:title>長書</dc:title>",
        r#"<item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>"#,
        &["text"],
        &[("text.xhtml", xhtml(&body).as_bytes())],
    )
    .write(&dir.join("book.epub"));
    let started = std::time::Instant::now();
    let (book, _) = chapters(&dir, "book.epub");
    let took = started.elapsed();
    let chapters = shape(&book);
    assert_eq!(chapters.len(), 120, "{chapters:?}");
    assert!(chapters.iter().all(|(_, kind)| kind == "body"));
    assert_eq!(chapters[119].0, "第120回 第120回的回目");
    eprintln!("bookvoice chapters on {chars} characters: {took:?}");
    // Generous for a debug build on a busy machine; quadratic work takes minutes.
    assert!(took.as_secs() < 30, "{took:?}");
}
