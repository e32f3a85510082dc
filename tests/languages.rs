//! Languages: which one a book is read in and why, passages marked in another language, the
//! languages refused, the voices, and each language spoken by the real model.

use serde_json::Value;

use crate::fixture::Epub;
use crate::util::*;

/// Two chapters of Spanish prose (original text), long enough for the text to speak for itself.
fn spanish() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (
            "uno.xhtml",
            "Capítulo I",
            "<p>- ¿Dónde estoy? - preguntó Ana, mirando a su alrededor.</p>\
             <p>El Sr. García le respondió que estaba en la casa de su abuela, junto al río, \
             y que había dormido durante toda la tarde mientras llovía sobre los campos.</p>\
             <p>Ella se levantó despacio, abrió la ventana y miró el camino que llevaba al \
             pueblo, donde las campanas de la iglesia sonaban para la misa de las siete.</p>",
        ),
        (
            "dos.xhtml",
            "Capítulo II",
            "<p>Al día siguiente salieron temprano hacia el mercado, cargados con cestas de \
             fruta y de pan, y por el camino encontraron a unos vecinos que volvían de la \
             feria con sus caballos cansados y sus carros vacíos.</p>",
        ),
    ]
}

fn convert(dir: &Dir, extra: &[&str]) -> std::process::Output {
    run(dir
        .bare()
        .args([
            "convert",
            "book.epub",
            "--stop-after",
            "script",
            "--no-images",
            "--json",
        ])
        .args(extra))
}

fn summary(out: &std::process::Output) -> Value {
    assert_exit(out, 0);
    serde_json::from_str(&stdout(out)).expect("JSON on stdout")
}

fn script(dir: &Dir, name: &str) -> String {
    std::fs::read_to_string(dir.join("book.bookvoice/script").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_package_language_picks_the_voice_and_the_rules() {
    let dir = Dir::new();
    Epub::book_in(Some("es"), &spanish()).write(&dir.join("book.epub"));

    let out = run(dir.bare().args(["chapters", "book.epub"]));
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("Language: Spanish (es), from the package's dc:language"),
        "{}",
        stdout(&out)
    );

    let out = convert(&dir, &[]);
    let s = summary(&out);
    assert_eq!(s["language"]["lang"], "es");
    assert_eq!(s["language"]["source"], "metadata");
    assert_eq!(s["voice"], "ef_dora");
    assert!(
        stderr(&out).contains("read in Spanish (es), from the package's dc:language, by ef_dora"),
        "{}",
        stderr(&out)
    );
    let text = script(&dir, "01 - Capítulo I.txt");
    // Spanish rules, not English ones; the dialogue dash is dialogue, not a list item.
    assert!(text.starts_with("# Capítulo 1\n"), "{text}");
    assert!(
        text.contains("\n\n— ¿Dónde estoy? — preguntó Ana"),
        "{text}"
    );
    assert!(text.contains("El señor García"), "{text}");
    let units = text.split("\n\n").nth(1).unwrap();
    assert!(!units.starts_with("- "), "{text}");
}

#[test]
fn the_text_decides_when_the_package_is_silent_or_wrong() {
    let dir = Dir::new();
    Epub::book_in(None, &spanish()).write(&dir.join("book.epub"));
    let out = convert(&dir, &[]);
    let s = summary(&out);
    assert_eq!(s["language"]["lang"], "es");
    assert_eq!(s["language"]["source"], "text");
    assert!(
        stderr(&out).contains("declares no language; its text reads as Spanish (es)"),
        "{}",
        stderr(&out)
    );

    let dir = Dir::new();
    Epub::book_in(Some("en"), &spanish()).write(&dir.join("book.epub"));
    let out = convert(&dir, &[]);
    let s = summary(&out);
    assert_eq!(s["language"]["lang"], "es");
    assert_eq!(s["language"]["declared"], "en");
    assert!(
        stderr(&out).contains(
            "the package says the book is in English (en) but its text reads as Spanish (es)"
        ),
        "{}",
        stderr(&out)
    );
    let out = run(dir.bare().args(["chapters", "book.epub"]));
    assert!(stdout(&out).contains("Language: Spanish (es), from the text"));

    // --lang wins over both.
    let out = convert(&dir, &["--lang", "en-us"]);
    let s = summary(&out);
    assert_eq!(s["language"]["lang"], "en-us");
    assert_eq!(s["language"]["source"], "flag");
    assert_eq!(s["voice"], "af_heart");
}

#[test]
fn passages_marked_in_another_language_keep_their_mark_and_their_rules() {
    let dir = Dir::new();
    Epub::book(&[(
        "one.xhtml",
        "One",
        "<p>Mr. Smith paid $3 and said <i xml:lang=\"fr\">M. Dupont a 2 chiens</i> twice.</p>\
         <blockquote lang=\"it\"><p>Nel mezzo del cammin di nostra vita.</p></blockquote>\
         <p>He wrote [sic] and <span lang=\"en-GB\">colour</span>.</p>",
    )])
    .write(&dir.join("book.epub"));
    summary(&convert(&dir, &[]));
    assert_eq!(
        script(&dir, "01 - One.txt"),
        "# One\n\nMister Smith paid three dollars and said [Monsieur Dupont a 2 chiens]{lang=fr} \
         twice.\n\n[Nel mezzo del cammin di nostra vita.]{lang=it}\n\nHe wrote [sic] and \
         colour.\n"
    );
}

#[test]
fn a_language_kokoro_cannot_speak_is_refused_and_nothing_is_written() {
    let dir = Dir::new();
    let hebrew = "<p>בראשית ברא אלוהים את השמים ואת הארץ. והארץ הייתה תוהו ובוהו, וחושך על פני \
                  תהום, ורוח אלוהים מרחפת על פני המים. ויאמר אלוהים יהי אור, ויהי אור. וירא \
                  אלוהים את האור כי טוב, ויבדל אלוהים בין האור ובין החושך.</p>";
    Epub::book_in(Some("he"), &[("a.xhtml", "א", hebrew)]).write(&dir.join("book.epub"));
    let out = run(dir
        .bare()
        .args(["convert", "book.epub", "-o", "out", "--no-images"]));
    assert_exit(&out, 1);
    let err = stderr(&out);
    for words in [
        "Hebrew (he)",
        "dc:language",
        "Kokoro cannot speak",
        "Spanish (es)",
        "Hindi (hi)",
        "--lang",
    ] {
        assert!(err.contains(words), "{words}: {err}");
    }
    assert!(!dir.join("out").exists(), "a refused book leaves nothing");
    let out = run(dir.bare().args(["chapters", "book.epub"]));
    assert!(stdout(&out).contains("Language: cannot be spoken"));

    // The text names a language the package does not.
    let dir = Dir::new();
    let russian = "<p>Все счастливые семьи похожи друг на друга, каждая несчастливая семья \
                   несчастлива по-своему. Всё смешалось в доме Облонских. Жена узнала, что муж \
                   был в связи с бывшею в их доме француженкою-гувернанткой.</p>";
    Epub::book_in(None, &[("a.xhtml", "I", russian)]).write(&dir.join("book.epub"));
    let out = run(dir.bare().args(["convert", "book.epub", "--no-images"]));
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("Russian (ru), as its text reads"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("book.bookvoice").exists());

    // Japanese and Chinese are Kokoro's, and bookvoice's: their books are read in them.
    for (lang, text) in [
        (
            "ja",
            "<p>吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。</p>",
        ),
        (
            "zh",
            "<p>我们去公园散步吧。今天天气很好，孩子们在草地上放风筝。</p>",
        ),
    ] {
        let dir = Dir::new();
        Epub::book_in(Some(lang), &[("a.xhtml", "一", text)]).write(&dir.join("book.epub"));
        let s = summary(&convert(&dir, &[]));
        assert_eq!(s["language"]["lang"], lang, "{s}");
    }

    // --lang makes the choice the error suggests.
    let dir = Dir::new();
    Epub::book_in(Some("he"), &[("a.xhtml", "א", hebrew)]).write(&dir.join("book.epub"));
    let s = summary(&convert(&dir, &["--lang", "en-us"]));
    assert_eq!(s["language"]["source"], "flag");
}

#[test]
fn normalize_reads_each_language_by_its_rules() {
    let dir = Dir::new();
    for (lang, text, spoken) in [
        (
            "es",
            "El Sr. García llegó el 1.º de mayo.",
            "El señor García llegó el primero de mayo.",
        ),
        (
            "fr",
            "M. Dupont aime le XIXe siècle et Louis XIV.",
            "Monsieur Dupont aime le dix-neuvième siècle et Louis 14.",
        ),
        (
            "it",
            "Il Sig. Rossi e Luigi XIV, alle 14.30.",
            "Il signor Rossi e Luigi quattordicesimo, alle 14 e 30.",
        ),
        (
            "pt-BR",
            "O Sr. Silva viu Dom Pedro II às 14h30.",
            "O senhor Silva viu Dom Pedro segundo às 14 horas e 30.",
        ),
        ("hi", "डॉ. शर्मा ने ₹500 दिए।", "डॉक्टर शर्मा ने 500 रुपये दिए।"),
        (
            "zh",
            "2026年增长了3.5%，共2个人。",
            "二〇二六年增长了百分之三点五，共两个人。",
        ),
        ("ja", "3本のペンを買った。", "さんぼんのペンを買った。"),
    ] {
        let out = run(dir.bare().args(["normalize", "--lang", lang, text]));
        assert_exit(&out, 0);
        assert_eq!(stdout(&out), format!("{spoken}\n"), "{lang}");
    }
    // Without --lang the text's own language decides.
    let out = run(dir.bare().args([
        "normalize",
        "El Sr. García llegó el 1.º de mayo con toda su familia.",
    ]));
    assert_eq!(
        stdout(&out),
        "El señor García llegó el primero de mayo con toda su familia.\n"
    );
}

#[test]
fn the_italian_classic_converts_in_italian_without_flags() {
    let Some(book) = corpus("pg1012_divina-commedia.epub") else {
        return;
    };
    let dir = Dir::new();
    std::fs::copy(book, dir.join("book.epub")).unwrap();
    let s = summary(&convert(&dir, &["--chapters", "4"]));
    assert_eq!(s["language"]["lang"], "it");
    assert_eq!(s["voice"], "if_sara");
    let path = s["scripts"][0]["path"].as_str().unwrap();
    let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
    // The bullet between the parts of the heading is said as a pause.
    assert!(text.contains("# Inferno, Canto primo\n"), "{text}");
    assert!(
        text.contains("Nel mezzo del cammin di nostra vita\n"),
        "{text}"
    );
    assert!(!text.contains("{lang="), "{text}");
}

/// `bookvoice say` with the real model on the CPU.
fn say(dir: &Dir, args: &[&str]) -> std::process::Output {
    run(dir
        .cmd()
        .arg("say")
        .args(args)
        .args(["--device", "cpu", "-o", "out.wav"]))
}

#[test]
fn say_reads_the_language_of_its_text_and_warns_of_a_foreign_voice() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("texto.txt"),
        "¿Dónde está la biblioteca? Está al final de la calle.",
    )
    .unwrap();
    let out = say(&dir, &["-f", "texto.txt", "--json"]);
    assert_exit(&out, 0);
    let s: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(s["language"]["lang"], "es");
    assert_eq!(s["voice"], "ef_dora");
    assert!(rms(&read_wav(&dir.join("out.wav"))) > 0.02);

    let out = say(
        &dir,
        &["--lang", "es", "--voice", "af_heart", "Buenos días."],
    );
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("voice af_heart speaks American English, but the text is Spanish"),
        "{}",
        stderr(&out)
    );

    let out = say(&dir, &["שלום עולם, מה שלומך היום? אני כותב ספר."]);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("Hebrew (he)"), "{}", stderr(&out));
}

#[test]
fn every_language_speaks_with_no_phoneme_left_out() {
    let dir = Dir::new();
    for (lang, text) in [
        ("es", "La niña comió churros y paella en Valencia."),
        ("fr", "Un bon vin blanc, ça se boit à l'ombre."),
        ("it", "Gli gnocchi della zia sono squisiti."),
        ("pt-br", "O coração da mãe não tem fim."),
        ("hi", "मेरा नाम मीरा है और मैं दिल्ली में रहती हूँ।"),
        ("ja", "東京へ行きます。"),
        ("zh", "你好，我们走吧。"),
    ] {
        let out = say(&dir, &["--lang", lang, text]);
        assert_exit(&out, 0);
        assert!(
            !stderr(&out).contains("left out"),
            "{lang}: {}",
            stderr(&out)
        );
        assert!(rms(&read_wav(&dir.join("out.wav"))) > 0.02, "{lang}");
    }
}

#[test]
fn a_spanish_book_becomes_an_audiobook_tagged_spanish() {
    let dir = Dir::new();
    Epub::book_in(
        Some("es"),
        &[("uno.xhtml", "Uno", "<p>Buenos días, señora.</p>")],
    )
    .write(&dir.join("book.epub"));
    let out = run(dir.cmd().args([
        "convert",
        "book.epub",
        "--no-images",
        "--device",
        "cpu",
        "--format",
        "m4b",
    ]));
    assert_exit(&out, 0);
    let probe = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream_tags=language",
            "-of",
            "default=nw=1",
        ])
        .arg(dir.join("book.m4b"))
        .output()
        .expect("ffprobe comes with ffmpeg");
    let tags = String::from_utf8_lossy(&probe.stdout);
    assert!(tags.contains("TAG:language=spa"), "{tags}");
}

#[test]
fn lang_takes_the_tags_books_use_and_refuses_what_is_not_one() {
    let dir = Dir::new();
    Epub::book_in(Some("es"), &spanish()).write(&dir.join("book.epub"));
    let s = summary(&convert(&dir, &["--lang", "es-MX"]));
    assert_eq!(s["language"]["lang"], "es");
    let out = run(dir.bare().args(["normalize", "--lang", "klingon", "x"]));
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("not a language tag"),
        "{}",
        stderr(&out)
    );
    let out = convert(&dir, &["--lang", "he"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("Kokoro does not speak Hebrew (he)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_voice_that_is_not_installed_is_refused_before_any_work() {
    let dir = Dir::new();
    Epub::book_in(Some("es"), &spanish()).write(&dir.join("book.epub"));
    let out = run(dir
        .cmd()
        .args([
            "convert",
            "book.epub",
            "--stop-after",
            "script",
            "--no-images",
        ])
        .args(["--voice", "xx_nobody"]));
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("voice xx_nobody is not installed"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("book.bookvoice/script").exists());
}

#[test]
fn several_books_report_each_failure_in_json_and_leave_no_empty_work_dir() {
    let dir = Dir::new();
    std::fs::create_dir(dir.join("shelf")).unwrap();
    Epub::book_in(Some("es"), &spanish()).write(&dir.join("shelf/a.epub"));
    std::fs::write(dir.join("shelf/b.epub"), b"not a zip").unwrap();
    let out = run(dir.bare().args([
        "convert",
        "shelf",
        "--stop-after",
        "script",
        "--no-images",
        "--json",
        "-o",
        "out",
    ]));
    assert_exit(&out, 1);
    let list: Value = serde_json::from_str(&stdout(&out)).expect("a JSON list");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["language"]["lang"], "es");
    assert!(
        list[1]["error"].as_str().unwrap().contains("b.epub"),
        "{list:?}"
    );
    assert!(dir.join("out/a.bookvoice").exists());
    assert!(!dir.join("out/b.bookvoice").exists());
}
