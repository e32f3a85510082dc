//! The script stage through `bookvoice convert`: normalized narration text, and pronunciation
//! overrides from the settings file and the book's own lexicon.

use serde_json::Value;

use crate::fixture::Epub;
use crate::util::{Dir, assert_exit, run, stdout};

fn convert(dir: &Dir) -> Value {
    let out = run(dir
        .bare()
        .args(["convert", "book.epub", "--no-images", "--json"]));
    assert_exit(&out, 0);
    serde_json::from_str(&stdout(&out)).expect("JSON on stdout")
}

fn fresh(summary: &Value) -> Vec<bool> {
    summary["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["fresh"].as_bool().unwrap())
        .collect()
}

fn script(dir: &Dir, name: &str) -> String {
    std::fs::read_to_string(dir.join("book.bookvoice/script").join(name)).unwrap()
}

#[test]
fn scripts_are_normalized_and_overrides_touch_only_their_chapters() {
    let dir = Dir::new();
    Epub::book(&[
        (
            "one.xhtml",
            "CHAPTER I",
            "<p>On March 3, 1887, Hermione paid Mr. Weasley $3.50.</p>",
        ),
        ("two.xhtml", "CHAPTER II", "<p>Nobody else came.</p>"),
    ])
    .write(&dir.join("book.epub"));
    std::fs::write(
        dir.join("bookvoice.toml"),
        "[lexicon]\nHermione = \"her-MY-oh-nee\"\n",
    )
    .unwrap();
    let first = convert(&dir);
    assert_eq!(fresh(&first), [false, false]);
    assert_eq!(
        script(&dir, "01 - Chapter I.txt"),
        "# Chapter one\n\nOn March third, eighteen eighty-seven, her-MY-oh-nee paid Mister \
         Weasley three dollars and fifty cents.\n"
    );

    // The book's own lexicon wins, and only the chapter that says the word is rewritten.
    std::fs::write(
        dir.join("book.bookvoice/lexicon.toml"),
        "[lexicon]\nHermione = \"/hɜːmˈaɪəni/\"\n",
    )
    .unwrap();
    let second = convert(&dir);
    assert_eq!(fresh(&second), [false, true]);
    assert!(script(&dir, "01 - Chapter I.txt").contains("[Hermione](/hɜːmˈaɪəni/) paid"));
    assert_eq!(fresh(&convert(&dir)), [true, true]);
}
