//! The command line itself: help, usage errors, voices.

use crate::util::*;

#[test]
fn help_shows_examples_and_exit_codes() {
    let dir = Dir::new();
    let out = run(dir.bare().arg("--help"));
    assert_exit(&out, 0);
    let help = stdout(&out);
    assert!(
        help.contains("Examples:") && help.contains("bookvoice say"),
        "{help}"
    );
    assert!(help.contains("Exit status"), "{help}");
}

#[test]
fn bad_usage_exits_2() {
    let dir = Dir::new();
    assert_exit(&run(dir.bare().args(["say"])), 2);
    assert_exit(&run(dir.bare().args(["say", "hi", "--device", "tpu"])), 2);
    assert_exit(&run(dir.bare().args(["frobnicate"])), 2);
}

#[test]
fn voices_lists_every_language_with_its_default() {
    let dir = Dir::new();
    let out = run(dir.cmd().args(["voices", "--json"]));
    assert_exit(&out, 0);
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&out)).expect("voices --json is JSON");
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 54, "{names:?}");
    assert!(names.contains(&"af_heart") && names.contains(&"bm_george"));
    assert!(names.contains(&"ef_dora") && names.contains(&"hm_psi"));
    let heart = list
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "af_heart")
        .unwrap();
    assert_eq!(heart["language"], "American English");
    assert_eq!(heart["lang"], "en-us");
    assert_eq!(heart["gender"], "female");
    assert_eq!(heart["default"], true);

    // The plain listing is grouped by language, each default marked; --lang picks one.
    let out = run(dir.cmd().args(["voices", "--lang", "es"]));
    assert_exit(&out, 0);
    let listing = stdout(&out);
    assert!(listing.starts_with("Spanish (es)\n"), "{listing}");
    assert!(
        listing.contains("ef_dora") && listing.contains("default"),
        "{listing}"
    );
    assert!(
        listing.contains("em_alex") && !listing.contains("af_heart"),
        "{listing}"
    );
    let out = run(dir.cmd().arg("voices"));
    let listing = stdout(&out);
    for heading in [
        "American English (en-us)",
        "Italian (it)",
        "Japanese (ja)",
        "Mandarin Chinese (zh)",
    ] {
        assert!(listing.contains(heading), "{listing}");
    }
}

#[test]
fn normalize_prints_what_will_be_spoken() {
    let dir = Dir::new();
    let out = run(dir.bare().args([
        "normalize",
        "On March 3, 1887, Mr. Holmes paid $3.50 at 7:45 p.m.",
    ]));
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "On March third, eighteen eighty-seven, Mister Holmes paid three dollars and fifty \
         cents at seven forty-five P M.\n"
    );
    std::fs::write(
        dir.join("in.txt"),
        "A crew of 105 men, some-\nwhat tired.\n\nCHAPTER II",
    )
    .unwrap();
    let out = run(dir
        .bare()
        .args(["normalize", "-f", "in.txt", "--lang", "en-GB"]));
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "A crew of one hundred and five men, somewhat tired.\n\nChapter two\n"
    );
}

#[test]
fn normalize_check_lists_what_is_left_unspoken() {
    let dir = Dir::new();
    std::fs::write(
        dir.join("script.txt"),
        "# Chapter 3\n\nIt cost £2 10s. in 1888.\n\nSee item ^4 @ noon, |5 miles.\n",
    )
    .unwrap();
    let out = run(dir.bare().args([
        "normalize",
        "--check",
        "-f",
        "script.txt",
        "--lang",
        "en-GB",
    ]));
    assert_exit(&out, 1);
    // " @ " is said "at"; "^4" and "|5" are left, their digits in words.
    assert_eq!(
        stdout(&out),
        "script.txt:5:10: ^four\nscript.txt:5:25: |five\n"
    );
    assert!(stderr(&out).contains("2 digits or symbols are left as printed"));
    std::fs::write(
        dir.join("clean.txt"),
        "# Chapter 3\n\nIt cost £2 10s. in 1888.\n",
    )
    .unwrap();
    let out = run(dir
        .bare()
        .args(["normalize", "--check", "-f", "clean.txt", "--lang", "en-GB"]));
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
}
