//! Japanese: digits as a narrator reads them, written in hiragana.
//!
//! The dictionary reads kanji numerals (三本, 二十日) itself, so those are left alone; Arabic
//! digits are what it cannot read. A number becomes its reading up to 京 (10^16), with the
//! sound changes of the places (さんびゃく, ろっぴゃく, はっせん, いっちょう), and the counter
//! after it joins the reading where the two change each other's sound: 本, 匹, 杯 and 分
//! (いっぽん, さんぼん, ろっぴき, じゅっぷん), 回, 個, 階, 冊, 歳, ヶ月 and 週間 (いっかい,
//! さんがい, はっさい, はたち), 人 and つ (ひとり, ふたり, ひとつ … とお), and the date and time
//! counters with their irregular days and months (ついたち, はつか, しがつ, くがつ, よじ).
//! Decimals (さんてんご), percent (ぱーせんと), yen (¥12, 12円 → じゅうにえん) and clock times
//! (10:30) are read too. A counter not listed stays in kanji for the dictionary to read after
//! the number (三枚 → さんまい is regular).
//!
//! Readings next to each other are separated by a space (にせんにじゅうろくねん じゅういちがつ
//! …), which the tokenizer takes as a word break. Numbers past 京 are read digit by digit, as
//! are numbers written with leading zeros (a code, not a quantity).

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A number: an optional yen sign, the integer (with thousands commas or not), an optional
/// fraction.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([¥￥]\s?)?([0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:[.．]([0-9]+))?")
        .expect("the number pattern is valid. This is a bug")
});

/// A wave dash before a number is a range: 10〜20 is "from 10 to 20".
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[〜～]([0-9])").expect("the range pattern is valid. This is a bug")
});

/// A clock time, HH:MM.
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{1,2})[:：]([0-9]{2})").expect("the clock pattern is valid. This is a bug")
});

const DIGITS: [&str; 10] = [
    "ぜろ",
    "いち",
    "に",
    "さん",
    "よん",
    "ご",
    "ろく",
    "なな",
    "はち",
    "きゅう",
];

/// Normalizes the numbers in one line of Japanese.
pub fn normalize(line: &str) -> String {
    let folded: String = line.chars().map(half_width_digit).collect();
    let text = RANGE.replace_all(&folded, "から$1");
    let mut out = String::with_capacity(text.len() * 2);
    // Where the last reading ended in `out`, to space two readings apart.
    let mut last_reading_end = None;
    let mut pos = 0;
    while let Some(caps) = NUMBER.captures_at(&text, pos) {
        let whole = caps.get(0).expect("a match has group 0. This is a bug");
        out.push_str(&text[pos..whole.start()]);
        let rest = &text[whole.start()..];
        let (reading, used) = match CLOCK.captures(rest) {
            Some(clock) if caps.get(1).is_none() && clock_time(&clock).is_some() => {
                let reading = clock_time(&clock).unwrap_or_default();
                (reading, clock[0].len())
            }
            _ => {
                let after = &text[whole.end()..];
                let (reading, suffix) = number(&caps, after, out.trim_end().ends_with("がつ"));
                (reading, whole.len() + suffix)
            }
        };
        if last_reading_end == Some(out.len()) {
            out.push(' ');
        }
        out.push_str(&reading);
        last_reading_end = Some(out.len());
        pos = whole.start() + used;
    }
    out.push_str(&text[pos..]);
    out
}

fn half_width_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '％' => '%',
        _ => c,
    }
}

/// "10:30" as じゅうじ さんじゅっぷん, when it is a time of day.
fn clock_time(caps: &Captures) -> Option<String> {
    let hour: u128 = caps[1].parse().ok()?;
    let minute: u128 = caps[2].parse().ok()?;
    if hour > 24 || minute > 59 {
        return None;
    }
    let mut out = counted(hour, "時")?.0;
    if minute > 0 {
        out.push(' ');
        out.push_str(&counted(minute, "分")?.0);
    }
    Some(out)
}

/// One number and the counter after it: the reading, and how many bytes of `after` it took.
/// `after_month` says a month was just read, so 1日 is the first of it (ついたち), not a day.
fn number(caps: &Captures, after: &str, after_month: bool) -> (String, usize) {
    let digits: String = caps[2].chars().filter(char::is_ascii_digit).collect();
    let yen = caps.get(1).is_some();
    if let Some(fraction) = caps.get(3) {
        let mut out = decimal(&digits, fraction.as_str());
        if yen {
            out.push_str("えん");
        }
        return with_percent(out, after);
    }
    let value = match digits.parse::<u128>() {
        Ok(v) if !(digits.len() > 1 && digits.starts_with('0')) && v < 10u128.pow(20) => v,
        // A code or an enormous number: digit by digit.
        _ => return (digits.chars().map(digit).collect(), 0),
    };
    if yen {
        let (reading, _) = counted(value, "円").unwrap_or_default();
        return (reading, 0);
    }
    if value == 1 && after.starts_with('日') && !after.starts_with("日間") && !after_month {
        return ("いちにち".to_string(), '日'.len_utf8());
    }
    for counter in COUNTERS {
        if after.starts_with(counter)
            && let Some((reading, used)) = counted(value, counter)
        {
            return (reading, used);
        }
    }
    with_percent(join(&cardinal(value)), after)
}

/// Adds ぱーせんと when a percent sign follows.
fn with_percent(reading: String, after: &str) -> (String, usize) {
    match after.chars().next() {
        Some('%') => (reading + "ぱーせんと", '%'.len_utf8()),
        _ => (reading, 0),
    }
}

fn digit(c: char) -> &'static str {
    c.to_digit(10).map_or("", |d| DIGITS[d as usize])
}

/// 3.5 → さんてんご: the integer, then てん, then each digit.
fn decimal(integer: &str, fraction: &str) -> String {
    let mut parts = match integer.parse::<u128>() {
        Ok(v) if v < 10u128.pow(20) => cardinal(v),
        _ => integer.chars().map(|c| digit(c).to_string()).collect(),
    };
    // いってん, はってん, じゅってん.
    geminate(&mut parts, &["いち", "はち", "じゅう"]);
    let mut out = join(&parts);
    out.push_str("てん");
    out.extend(fraction.chars().map(digit));
    out
}

/// The counters read with the number, longest first so 日間 wins over 日 and ヶ月 over 月.
const COUNTERS: [&str; 29] = [
    "ヶ月", "ヵ月", "か月", "カ月", "ケ月", "箇月", "週間", "時間", "日間", "年間", "分間", "分の",
    "本", "匹", "杯", "分", "回", "個", "階", "冊", "歳", "才", "人", "つ", "年", "月", "日", "時",
    "円",
];

/// The reading of `value` with `counter`, and the bytes of the counter it used; `None` when
/// the counter is not read with numbers like this one (11つ).
fn counted(value: u128, counter: &str) -> Option<(String, usize)> {
    let mut parts = cardinal(value);
    let suffix = match counter {
        "本" => h_row(&mut parts, ["ほん", "ぽん", "ぼん", "ほん"]),
        "匹" => h_row(&mut parts, ["ひき", "ぴき", "びき", "ひき"]),
        "杯" => h_row(&mut parts, ["はい", "ぱい", "ばい", "はい"]),
        "分" => h_row(&mut parts, ["ふん", "ぷん", "ぷん", "ぷん"]),
        "分間" => h_row(&mut parts, ["ふんかん", "ぷんかん", "ぷんかん", "ぷんかん"]),
        "分の" => "ぶんの",
        "回" | "階" | "個" => {
            geminate(&mut parts, &["いち", "ろく", "はち", "じゅう", "ひゃく"]);
            match counter {
                "個" => "こ",
                "階" if parts.last().is_some_and(|p| p == "さん") => "がい",
                _ => "かい",
            }
        }
        "ヶ月" | "ヵ月" | "か月" | "カ月" | "ケ月" | "箇月" => {
            geminate(&mut parts, &["いち", "ろく", "はち", "じゅう", "ひゃく"]);
            "かげつ"
        }
        "歳" | "才" if value == 20 => return Some(("はたち".into(), counter.len())),
        "歳" | "才" | "冊" | "週間" => {
            geminate(&mut parts, &["いち", "はち", "じゅう"]);
            match counter {
                "冊" => "さつ",
                "週間" => "しゅうかん",
                _ => "さい",
            }
        }
        "人" => match value {
            1 => return Some(("ひとり".into(), counter.len())),
            2 => return Some(("ふたり".into(), counter.len())),
            _ => {
                replace_last(&mut parts, &[("よん", "よ")]);
                "にん"
            }
        },
        "つ" => {
            const NATIVE: [&str; 10] = [
                "ひとつ",
                "ふたつ",
                "みっつ",
                "よっつ",
                "いつつ",
                "むっつ",
                "ななつ",
                "やっつ",
                "ここのつ",
                "とお",
            ];
            let i = usize::try_from(value).ok()?.checked_sub(1)?;
            return NATIVE.get(i).map(|r| (r.to_string(), counter.len()));
        }
        "日" | "日間" => {
            let mut reading = day(value, &parts);
            if counter == "日間" {
                reading.push_str("かん");
            }
            return Some((reading, counter.len()));
        }
        "年" | "年間" => {
            replace_last(&mut parts, &[("よん", "よ")]);
            if counter == "年" {
                "ねん"
            } else {
                "ねんかん"
            }
        }
        "月" => {
            replace_last(
                &mut parts,
                &[("よん", "し"), ("なな", "しち"), ("きゅう", "く")],
            );
            "がつ"
        }
        "時" | "時間" => {
            replace_last(
                &mut parts,
                &[("よん", "よ"), ("なな", "しち"), ("きゅう", "く")],
            );
            if counter == "時" { "じ" } else { "じかん" }
        }
        "円" => {
            replace_last(&mut parts, &[("よん", "よ")]);
            "えん"
        }
        _ => return None,
    };
    Some((join(&parts) + suffix, counter.len()))
}

/// Days of the month (and counted days): the native readings of 1–10, 14, 20 and 24, else
/// the number and にち.
fn day(value: u128, parts: &[String]) -> String {
    const NATIVE: [&str; 10] = [
        "ついたち",
        "ふつか",
        "みっか",
        "よっか",
        "いつか",
        "むいか",
        "なのか",
        "ようか",
        "ここのか",
        "とおか",
    ];
    match value {
        1..=10 => NATIVE[value as usize - 1].to_string(),
        14 => "じゅうよっか".into(),
        20 => "はつか".into(),
        24 => "にじゅうよっか".into(),
        _ => {
            let mut parts = parts.to_vec();
            replace_last(&mut parts, &[("なな", "しち"), ("きゅう", "く")]);
            join(&parts) + "にち"
        }
    }
}

/// A counter whose initial h becomes p after a geminated number and b (or p) after a nasal:
/// `forms` are the counter after a plain number, after っ, after ん, and after よん.
fn h_row(parts: &mut [String], forms: [&'static str; 4]) -> &'static str {
    let [plain, after_tsu, after_n, after_yon] = forms;
    match parts.last().map(String::as_str) {
        Some("いち" | "ろく" | "はち" | "じゅう" | "ひゃく") => {
            geminate(parts, &["いち", "ろく", "はち", "じゅう", "ひゃく"]);
            after_tsu
        }
        Some("さん" | "せん" | "まん") => after_n,
        Some("よん") => after_yon,
        _ => plain,
    }
}

/// いち → いっ and the like, when the last part is one of `which`.
fn geminate(parts: &mut [String], which: &[&str]) {
    if let Some(last) = parts.last_mut()
        && which.contains(&last.as_str())
    {
        last.pop();
        last.push('っ');
    }
}

fn replace_last(parts: &mut [String], pairs: &[(&str, &str)]) {
    if let Some(last) = parts.last_mut()
        && let Some((_, new)) = pairs.iter().find(|(old, _)| last == old)
    {
        *last = new.to_string();
    }
}

fn join(parts: &[String]) -> String {
    parts.concat()
}

/// The reading of `n` (below 10^20) as its parts: に, せん, に, じゅう, ろく for 2026.
fn cardinal(n: u128) -> Vec<String> {
    if n == 0 {
        return vec![DIGITS[0].to_string()];
    }
    const UNITS: [&str; 5] = ["けい", "ちょう", "おく", "まん", ""];
    let mut parts: Vec<String> = Vec::new();
    for (i, unit) in UNITS.iter().enumerate() {
        let group = (n / 10u128.pow(4 * (4 - i as u32)) % 10_000) as u32;
        if group == 0 {
            continue;
        }
        parts.extend(below_10000(group, !unit.is_empty()));
        if !unit.is_empty() {
            if matches!(*unit, "ちょう" | "けい") {
                // いっちょう, はっちょう, じゅっちょう; ろっけい, ひゃっけい.
                let which: &[&str] = if *unit == "けい" {
                    &["いち", "ろく", "はち", "じゅう", "ひゃく"]
                } else {
                    &["いち", "はち", "じゅう"]
                };
                geminate(&mut parts, which);
            }
            parts.push(unit.to_string());
        }
    }
    parts
}

/// 1–9999; `before_unit` says a 万, 億… follows, where a lone thousand is いっせん.
fn below_10000(n: u32, before_unit: bool) -> Vec<String> {
    let mut parts = Vec::new();
    let (thousands, hundreds, tens, ones) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
    match thousands {
        0 => {}
        1 if before_unit && n == 1000 => parts.push("いっせん".to_string()),
        1 => parts.push("せん".to_string()),
        3 => parts.extend(["さん".to_string(), "ぜん".to_string()]),
        8 => parts.extend(["はっ".to_string(), "せん".to_string()]),
        d => parts.extend([DIGITS[d as usize].to_string(), "せん".to_string()]),
    }
    match hundreds {
        0 => {}
        1 => parts.push("ひゃく".to_string()),
        3 => parts.extend(["さん".to_string(), "びゃく".to_string()]),
        6 => parts.extend(["ろっ".to_string(), "ぴゃく".to_string()]),
        8 => parts.extend(["はっ".to_string(), "ぴゃく".to_string()]),
        d => parts.extend([DIGITS[d as usize].to_string(), "ひゃく".to_string()]),
    }
    match tens {
        0 => {}
        1 => parts.push("じゅう".to_string()),
        d => parts.extend([DIGITS[d as usize].to_string(), "じゅう".to_string()]),
    }
    if ones > 0 {
        parts.push(DIGITS[ones as usize].to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(n: u128) -> String {
        join(&cardinal(n))
    }

    #[test]
    fn cardinals() {
        assert_eq!(read(0), "ぜろ");
        assert_eq!(read(11), "じゅういち");
        assert_eq!(read(20), "にじゅう");
        assert_eq!(read(300), "さんびゃく");
        assert_eq!(read(600), "ろっぴゃく");
        assert_eq!(read(800), "はっぴゃく");
        assert_eq!(read(1000), "せん");
        assert_eq!(read(3000), "さんぜん");
        assert_eq!(read(8000), "はっせん");
        assert_eq!(read(2026), "にせんにじゅうろく");
        assert_eq!(read(10_000), "いちまん");
        assert_eq!(read(10_000_000), "いっせんまん");
        assert_eq!(
            read(123_456_789),
            "いちおくにせんさんびゃくよんじゅうごまんろくせんななひゃくはちじゅうきゅう"
        );
        assert_eq!(read(1_000_000_000_000), "いっちょう");
        assert_eq!(read(8_000_000_000_000), "はっちょう");
        assert_eq!(read(10_000_000_000_000), "じゅっちょう");
        assert_eq!(read(60_000_000_000_000_000), "ろっけい");
    }

    #[test]
    fn numbers_in_text() {
        assert_eq!(normalize("全部で1,000円です"), "全部でせんえんです");
        assert_eq!(normalize("¥12"), "じゅうにえん");
        assert_eq!(normalize("４円"), "よえん");
        assert_eq!(normalize("3.5キロ"), "さんてんごキロ");
        assert_eq!(normalize("10.5"), "じゅってんご");
        assert_eq!(normalize("50%"), "ごじゅうぱーせんと");
        assert_eq!(normalize("2.5％"), "にてんごぱーせんと");
        assert_eq!(normalize("10〜20"), "じゅうからにじゅう");
        assert_eq!(normalize("007"), "ぜろぜろなな");
        assert_eq!(normalize("三本の木"), "三本の木");
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(
            normalize("2026年11月30日"),
            "にせんにじゅうろくねん じゅういちがつ さんじゅうにち"
        );
        assert_eq!(normalize("4月1日"), "しがつ ついたち");
        assert_eq!(normalize("7月20日"), "しちがつ はつか");
        assert_eq!(normalize("9月14日"), "くがつ じゅうよっか");
        assert_eq!(normalize("1日"), "いちにち");
        assert_eq!(normalize("3日間"), "みっかかん");
        assert_eq!(normalize("10時30分"), "じゅうじ さんじゅっぷん");
        assert_eq!(normalize("4時"), "よじ");
        assert_eq!(normalize("9時"), "くじ");
        assert_eq!(normalize("10:05に"), "じゅうじ ごふんに");
        assert_eq!(normalize("2時間"), "にじかん");
        assert_eq!(normalize("4年"), "よねん");
    }

    #[test]
    fn counters() {
        let cases = [
            ("1本", "いっぽん"),
            ("2本", "にほん"),
            ("3本", "さんぼん"),
            ("4本", "よんほん"),
            ("6本", "ろっぽん"),
            ("8本", "はっぽん"),
            ("10本", "じゅっぽん"),
            ("100本", "ひゃっぽん"),
            ("1000本", "せんぼん"),
            ("3匹", "さんびき"),
            ("6匹", "ろっぴき"),
            ("1杯", "いっぱい"),
            ("3杯", "さんばい"),
            ("1分", "いっぷん"),
            ("3分", "さんぷん"),
            ("4分", "よんぷん"),
            ("5分", "ごふん"),
            ("3分の1", "さんぶんの いち"),
            ("1人", "ひとり"),
            ("2人", "ふたり"),
            ("3人", "さんにん"),
            ("4人", "よにん"),
            ("1つ", "ひとつ"),
            ("3つ", "みっつ"),
            ("10つ", "とお"),
            ("1回", "いっかい"),
            ("6回", "ろっかい"),
            ("3階", "さんがい"),
            ("8個", "はっこ"),
            ("1歳", "いっさい"),
            ("20歳", "はたち"),
            ("8冊", "はっさつ"),
            ("6冊", "ろくさつ"),
            ("1ヶ月", "いっかげつ"),
            ("1週間", "いっしゅうかん"),
            ("3枚", "さん枚"),
        ];
        for (text, want) in cases {
            assert_eq!(normalize(text), want, "{text}");
        }
    }
}
