//! English: numbers in their roles, roman numerals, abbreviations and symbols, as words.
//!
//! Rules run in a fixed order, most specific first, so that "$3.50" is money before "3.50" is
//! a decimal, "7:45 p.m." a time before "p.m." an abbreviation, and "1939–1945" a range of
//! years before either year is a plain number. Each rule is a regular expression and a
//! function from its match to words. Whatever no rule claims is left as it is, so text that
//! needs nothing comes through unchanged.

use std::sync::LazyLock;

use super::rules::{apply, rule};
use super::words::{Style, cardinal, decade, digits, fraction, ordinal, roman, year};

type Rule = super::rules::Rule<Style>;

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// Words after which a roman numeral is a plain number: "Chapter IV" → "Chapter four".
const NUMBERED: &str = "Chapter|Chap|Part|Book|Volume|Vol|Act|Scene|Canto|Section|Episode|Appendix|Article|Psalm|Plate|Figure|Fig|Letter|Stave|Fit|Phase|Stage|Level|Class|Type|Title|Schedule|War|Vatican|Apollo|Rocky|Super Bowl";

/// Abbreviated month names, as books print them before a day: "Sept. 3".
const MONTH_ABBREVS: &str = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";

/// Units after a number, longest first, and their words (one, many): those ending in a
/// superscript (no word boundary follows them), then the rest, which must end a word.
const UNITS: &str = "(?:km²|m²|cm²|cm³|m³)|(?:km2|km/h|kph|km|kg|cm|mm|mg|ml|mph|lbs|lb|oz|ft|mi|GHz|MHz|kHz|Hz|TB|GB|MB|KB|kW|W|ns|µs|μs|ms|m|g)\\b";

/// Capitals that stay capitals inside a run set in capitals: acronyms read letter by letter.
const ACRONYMS: &[&str] = &[
    "BBC", "CIA", "FBI", "NASA", "NATO", "UK", "USA", "UN", "EU", "TV", "MP", "OK", "DNA", "RAF",
    "HMS", "USS", "BC", "AD", "BCE", "CE", "GB", "KB", "MB", "TB", "ID", "UFO",
];

/// Words before a four-digit number that make it a year.
const YEAR_CUES: &str = "in|of|since|by|from|until|till|to|and|or|year|summer|winter|spring|autumn|fall|early|late|mid|before|after|around|circa|c\\.|during|between|christmas|easter|january|february|march|april|may|june|july|august|september|october|november|december";

fn number(s: &str) -> u64 {
    s.replace(',', "").parse().unwrap_or(0)
}

/// "3", "3.5", "1,200" as words; decimals digit by digit after the point.
fn amount(s: &str, style: Style) -> String {
    let s = s.replace(',', "");
    match s.split_once('.') {
        Some((whole, frac)) if !frac.is_empty() => format!(
            "{} point {}",
            cardinal(whole.parse().unwrap_or(0), style),
            digits(frac)
        ),
        _ => cardinal(s.trim_end_matches('.').parse().unwrap_or(0), style),
    }
}

/// "1" → singular, anything else plural.
fn unit(n_text: &str, one: &str, many: &str) -> String {
    if n_text == "1" { one } else { many }.to_string()
}

/// The words of a unit in [`UNITS`]: (one, many).
fn unit_words(abbrev: &str) -> (&'static str, &'static str) {
    match abbrev {
        "km²" | "km2" => ("square kilometer", "square kilometers"),
        "m²" => ("square meter", "square meters"),
        "cm²" => ("square centimeter", "square centimeters"),
        "cm³" => ("cubic centimeter", "cubic centimeters"),
        "m³" => ("cubic meter", "cubic meters"),
        "km" => ("kilometer", "kilometers"),
        "kg" => ("kilogram", "kilograms"),
        "cm" => ("centimeter", "centimeters"),
        "mm" => ("millimeter", "millimeters"),
        "mg" => ("milligram", "milligrams"),
        "ml" => ("milliliter", "milliliters"),
        "mph" => ("mile per hour", "miles per hour"),
        "km/h" | "kph" => ("kilometer per hour", "kilometers per hour"),
        "lb" | "lbs" => ("pound", "pounds"),
        "oz" => ("ounce", "ounces"),
        "ft" => ("foot", "feet"),
        "mi" => ("mile", "miles"),
        "GHz" => ("gigahertz", "gigahertz"),
        "MHz" => ("megahertz", "megahertz"),
        "kHz" => ("kilohertz", "kilohertz"),
        "Hz" => ("hertz", "hertz"),
        "TB" => ("terabyte", "terabytes"),
        "GB" => ("gigabyte", "gigabytes"),
        "MB" => ("megabyte", "megabytes"),
        "KB" => ("kilobyte", "kilobytes"),
        "kW" => ("kilowatt", "kilowatts"),
        "W" => ("watt", "watts"),
        "ns" => ("nanosecond", "nanoseconds"),
        "µs" | "μs" => ("microsecond", "microseconds"),
        "ms" => ("millisecond", "milliseconds"),
        "m" => ("meter", "meters"),
        _ => ("gram", "grams"),
    }
}

/// Short words that are never acronyms, lower-cased wherever they are set in capitals.
const FUNCTION_WORDS: &str =
    "OF|TO|THE|AND|IN|ON|AT|BY|FOR|WITH|FROM|AN|OR|BUT|NOT|NO|MY|HIS|HER|WAS|IS|ARE|WERE|BE|AS";

/// A run of words set in capitals ("MY DEAR SIR"), as ordinary words: function words in
/// lower case, the others capitalized, the first capitalized where the run opens the line;
/// acronyms and roman numerals stay as they are.
fn uncapitalize(run: &str, opens_line: bool) -> String {
    let mut out = String::with_capacity(run.len());
    let mut word = String::new();
    let mut first = opens_line;
    let mut flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let opening = std::mem::take(&mut first);
        // Acronyms: listed ones, and any without a vowel (PDF, BBC).
        let keep = ACRONYMS.contains(&word.as_str())
            || word.len() == 1
            || !word.chars().any(|c| "AEIOUY".contains(c))
            || (word.chars().all(|c| "IVXLCDM".contains(c)) && roman(word).is_some());
        if keep {
            out.push_str(word);
        } else if !opening && FUNCTION_WORDS.split('|').any(|f| f == word) {
            out.push_str(&word.to_lowercase());
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first);
                out.extend(chars.flat_map(char::to_lowercase));
            }
        }
        word.clear();
    };
    for c in run.chars() {
        if c.is_alphabetic() || c == '\'' || c == '’' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A month's full name from its abbreviation.
fn full_month(abbrev: &str) -> &'static str {
    match abbrev {
        "Jan" => "January",
        "Feb" => "February",
        "Mar" => "March",
        "Apr" => "April",
        "Jun" => "June",
        "Jul" => "July",
        "Aug" => "August",
        "Sep" | "Sept" => "September",
        "Oct" => "October",
        "Nov" => "November",
        _ => "December",
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "2.5" times ten to an exponent: "ten to the eighth", "ten to the minus third".
fn power_of_ten(exponent: i64, style: Style) -> String {
    let sign = if exponent < 0 { "minus " } else { "" };
    format!(
        "ten to the {sign}{}",
        ordinal(exponent.unsigned_abs(), style)
    )
}

/// Superscript digits as a number: "⁸" → 8.
fn superscript(s: &str) -> u64 {
    s.chars()
        .filter_map(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c))
        .fold(0, |n, d| n * 10 + d as u64)
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Two or more words set in capitals, as lead-ins and inscriptions print them ("MY
        // DEAR SIR", "IT WAS the best"): the G2P spells capitals as letters.
        rule(
            "capitals",
            r"\b[A-Z][A-Z'’]+(?:[\s-]+(?:[A-Z][A-Z'’]+|A|I)\b)+",
            |c, _| uncapitalize(&c[0], c.get(0).is_some_and(|m| m.start() == 0)),
        ),
        // A short word in capitals among ordinary ones ("Sacred TO THE Memory OF").
        rule(
            "capital-word",
            &format!(r"\b({FUNCTION_WORDS})\b"),
            |c, _| c[1].to_lowercase(),
        ),
        rule(
            "email",
            r"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b",
            |c, _| format!("{} at {}", speak_address(&c[1]), speak_address(&c[2])),
        ),
        rule(
            "url",
            r"\b(?:https?://)?(?:www\.)?((?:[A-Za-z0-9-]+\.)+(?:com|org|net|edu|gov|io|co|uk|de|fr|info))(/[^\s]*[^\s.,;:!?)\]])?",
            |c, _| {
                let mut s = speak_address(&c[1]);
                if let Some(path) = c.get(2).filter(|p| p.as_str() != "/") {
                    s.push_str(" slash ");
                    s.push_str(&speak_address(path.as_str().trim_start_matches('/')));
                }
                s
            },
        ),
        rule(
            "pounds-shillings",
            r"£(\d+)\s+(\d+)s\.(?:\s*(\d+)d\.)?(\s+\p{Lu}|\s*$)?",
            |c, style| {
                let pounds = number(&c[1]);
                let shillings = number(&c[2]);
                let mut words = format!(
                    "{} {} {} {}",
                    cardinal(pounds, style),
                    if pounds == 1 { "pound" } else { "pounds" },
                    cardinal(shillings, style),
                    if shillings == 1 {
                        "shilling"
                    } else {
                        "shillings"
                    }
                );
                if let Some(pence) = c.get(3) {
                    words.push_str(&format!(
                        " and {} pence",
                        cardinal(number(pence.as_str()), style)
                    ));
                }
                // The abbreviation's stop also ends the sentence before a capital or the end.
                match c.get(4) {
                    Some(rest) => format!("{words}.{}", rest.as_str()),
                    None => words,
                }
            },
        ),
        rule(
            "shillings-pence",
            r"\b(\d+)s\.\s*(\d+)d\.(\s+\p{Lu}|\s*$)?",
            |c, style| {
                let shillings = number(&c[1]);
                let pence = number(&c[2]);
                let end = match c.get(3) {
                    Some(rest) => format!(".{}", rest.as_str()),
                    None => String::new(),
                };
                format!(
                    "{} {} and {} pence{end}",
                    cardinal(shillings, style),
                    if shillings == 1 {
                        "shilling"
                    } else {
                        "shillings"
                    },
                    cardinal(pence, style)
                )
            },
        ),
        // "8s.", "6d." alone, in British books only (American ones print "2d" for "second"),
        // and never a multiple of ten before "s." (the 60s).
        rule(
            "shillings-or-pence",
            r"\b(\d{1,2})([sd])\.(\s+\p{Lu}|\s*$)?",
            |c, style| {
                let n = number(&c[1]);
                let shilling = &c[2] == "s";
                if style != Style::British || (shilling && n.is_multiple_of(10)) {
                    return c[0].to_string();
                }
                let word = match (shilling, n) {
                    (true, 1) => "shilling",
                    (true, _) => "shillings",
                    (false, 1) => "penny",
                    (false, _) => "pence",
                };
                let end = c
                    .get(3)
                    .map_or(String::new(), |r| format!(".{}", r.as_str()));
                format!("{} {word}{end}", cardinal(n, style))
            },
        ),
        // "L100,000", as plain-text editions print the pound sign.
        rule(
            "pounds-as-l",
            r"\bL(\d{1,3}(?:,\d{3})+|\d+)\b",
            |c, style| {
                let n = number(&c[1]);
                format!(
                    "{} {}",
                    cardinal(n, style),
                    if n == 1 { "pound" } else { "pounds" }
                )
            },
        ),
        rule(
            "money-range",
            r"([$£€])(\d+)\s?[-–]\s?(\d+)\b",
            |c, style| {
                format!(
                    "{} to {} {}",
                    cardinal(number(&c[2]), style),
                    cardinal(number(&c[3]), style),
                    currency(&c[1], false)
                )
            },
        ),
        rule(
            "national-dollars",
            r"\b(US|A|C|NZ|HK|S)\$(\d+)(?:\.(\d{2}))?\b",
            |c, style| {
                let whole = number(&c[2]);
                let country = match &c[1] {
                    "US" => "US",
                    "A" => "Australian",
                    "C" => "Canadian",
                    "NZ" => "New Zealand",
                    "HK" => "Hong Kong",
                    _ => "Singapore",
                };
                let main = format!(
                    "{} {country} {}",
                    cardinal(whole, style),
                    if whole == 1 { "dollar" } else { "dollars" }
                );
                match c.get(3).map(|m| number(m.as_str())) {
                    Some(cents) if cents > 0 => {
                        format!("{main} and {} cents", cardinal(cents, style))
                    }
                    _ => main,
                }
            },
        ),
        rule("cents", r"\b(\d+)\s?¢", |c, style| {
            let n = number(&c[1]);
            format!(
                "{} {}",
                cardinal(n, style),
                if n == 1 { "cent" } else { "cents" }
            )
        }),
        rule("pence", r"\b(\d+)p\b", |c, style| {
            let n = number(&c[1]);
            format!(
                "{} {}",
                cardinal(n, style),
                if n == 1 { "penny" } else { "pence" }
            )
        }),
        rule(
            "money-scaled",
            r"([$£€¥])(\d+(?:\.\d+)?)\s?(thousand|million|billion|trillion|[mMkKbB]n?)\b",
            |c, style| {
                let scale = match &c[3] {
                    "m" | "M" | "mn" => "million",
                    "k" | "K" => "thousand",
                    "b" | "B" | "bn" => "billion",
                    other => other,
                };
                format!(
                    "{} {scale} {}",
                    amount(&c[2], style),
                    currency(&c[1], false)
                )
            },
        ),
        rule(
            "money",
            r"([$£€¥])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?\b",
            |c, style| {
                let whole = number(&c[2]);
                let main = format!("{} {}", cardinal(whole, style), currency(&c[1], whole == 1));
                match c.get(3).map(|m| m.as_str().parse::<u64>().unwrap_or(0)) {
                    Some(0) | None => main,
                    Some(cents) => {
                        let small = minor(&c[1], cents == 1);
                        if whole == 0 {
                            format!("{} {small}", cardinal(cents, style))
                        } else {
                            format!("{main} and {} {small}", cardinal(cents, style))
                        }
                    }
                }
            },
        ),
        rule(
            "duration",
            r"\b(\d{1,2}):([0-5]\d):([0-5]\d)\b",
            |c, style| {
                let (h, m, s) = (number(&c[1]), number(&c[2]), number(&c[3]));
                let part = |n: u64, one: &str, many: &str| {
                    format!("{} {}", cardinal(n, style), if n == 1 { one } else { many })
                };
                let mut parts = Vec::new();
                if h > 0 {
                    parts.push(part(h, "hour", "hours"));
                }
                if m > 0 || h > 0 {
                    parts.push(part(m, "minute", "minutes"));
                }
                let last = part(s, "second", "seconds");
                if parts.is_empty() {
                    last
                } else {
                    format!("{} and {last}", parts.join(", "))
                }
            },
        ),
        // "6.30 pm", as British books print times: made "6:30 pm" for the rule below.
        rule(
            "dotted-time",
            r"\b(1[0-2]|0?[1-9])\.([0-5]\d)\s?([AaPp])\.?\s?([Mm])\b",
            |c, _| format!("{}:{} {}{}", &c[1], &c[2], &c[3], &c[4]),
        ),
        rule(
            "time",
            r"\b([01]?\d|2[0-3]):([0-5]\d)(?:\s?([AaPp])\.?\s?[Mm]\b(\.)?(\s+\p{Lu}|\s*$)?)?",
            |c, style| {
                let h = number(&c[1]);
                let m = number(&c[2]);
                let minutes = match m {
                    0 if c.get(3).is_some() => String::new(),
                    0 => " o'clock".to_string(),
                    1..=9 => format!(" oh {}", cardinal(m, style)),
                    _ => format!(" {}", cardinal(m, style)),
                };
                let hour = if h == 0 {
                    "twelve".into()
                } else {
                    cardinal(h, style)
                };
                let meridiem = c
                    .get(3)
                    .map(|x| format!(" {} M", x.as_str().to_uppercase()))
                    .unwrap_or_default();
                format!(
                    "{hour}{minutes}{meridiem}{}",
                    sentence_end(c.get(4), c.get(5))
                )
            },
        ),
        rule(
            "hour-meridiem",
            r"\b(1[0-2]|[1-9])\s?([AaPp])\.?[Mm]\b(\.)?(\s+\p{Lu}|\s*$)?",
            |c, style| {
                format!(
                    "{} {} M{}",
                    cardinal(number(&c[1]), style),
                    c[2].to_uppercase(),
                    sentence_end(c.get(3), c.get(4))
                )
            },
        ),
        rule(
            "month-abbreviation",
            &format!(r"\b({MONTH_ABBREVS})\.?\s+(\d{{1,2}})(st|nd|rd|th)?\b"),
            |c, _| {
                format!(
                    "{} {}{}",
                    full_month(&c[1]),
                    &c[2],
                    c.get(3).map_or("", |m| m.as_str())
                )
            },
        ),
        rule(
            "ordinal-of-month",
            &format!(r"\b([Tt]he )?(\d{{1,2}})(?:st|nd|rd|th)? of ({MONTHS})\b"),
            |c, style| {
                let the = c.get(1).map_or("the ", |t| t.as_str());
                format!("{the}{} of {}", ordinal(number(&c[2]), style), &c[3])
            },
        ),
        rule(
            "month-day",
            &format!(r"\b({MONTHS}) (\d{{1,2}})(?:st|nd|rd|th)?\b(,? (\d{{4}}))?"),
            |c, style| {
                let y = c
                    .get(4)
                    .map(|y| format!(", {}", year(number(y.as_str()), style)))
                    .unwrap_or_default();
                format!("{} {}{y}", &c[1], ordinal(number(&c[2]), style))
            },
        ),
        rule(
            "day-month",
            &format!(r"\b(\d{{1,2}}) ({MONTHS})\b(,? (\d{{4}}))?"),
            |c, style| {
                let y = c
                    .get(4)
                    .map(|y| format!(" {}", year(number(y.as_str()), style)))
                    .unwrap_or_default();
                format!("the {} of {}{y}", ordinal(number(&c[1]), style), &c[2])
            },
        ),
        rule(
            "month-year",
            &format!(r"\b({MONTHS}),? (\d{{4}})\b"),
            |c, style| format!("{}, {}", &c[1], year(number(&c[2]), style)),
        ),
        rule(
            "slash-date",
            r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b",
            |c, style| {
                let (a, b) = (number(&c[1]), number(&c[2]));
                // The book's locale decides: month first in American English, day first in
                // British; a date that fits only the other way is read that way.
                let (month, day) = match style {
                    Style::American if a <= 12 && b <= 31 => (a, b),
                    Style::British if b <= 12 && a <= 31 => (b, a),
                    _ if a <= 12 && b <= 31 => (a, b),
                    _ if b <= 12 && a <= 31 => (b, a),
                    _ => return c[0].to_string(),
                };
                let Some(name) = month
                    .checked_sub(1)
                    .and_then(|i| MONTH_NAMES.get(i as usize))
                else {
                    return c[0].to_string();
                };
                let y = number(&c[3]);
                let y = if c[3].len() == 2 {
                    format!("'{}", cardinal(y, style))
                } else {
                    year(y, style)
                };
                match style {
                    Style::American => format!("{name} {}, {y}", ordinal(day, style)),
                    Style::British => format!("the {} of {name} {y}", ordinal(day, style)),
                }
            },
        ),
        rule(
            "page-range",
            r"\b(pp?\.|pages?|ch\.|chaps?\.|chapters?|vols?\.|volumes?|[Nn]os?\.)\s?(\d+)\s?[-–]\s?(\d+)\b",
            |c, style| {
                let (a, b) = (number(&c[2]), number(&c[3]));
                format!(
                    "{} {} to {}",
                    plural_label(&c[1]),
                    cardinal(a, style),
                    cardinal(b, style)
                )
            },
        ),
        rule(
            "page",
            r"\b([Pp]|[Pp]g|[Cc]h|[Cc]hap|[Vv]ol|[Nn]o)\.\s?(\d+)([A-Za-z])?\b",
            |c, style| {
                let label = singular_label(&c[1]);
                let label = if c[1].starts_with(char::is_uppercase) {
                    capitalized(label)
                } else {
                    label.to_string()
                };
                let letter = c
                    .get(3)
                    .map_or(String::new(), |l| format!(" {}", l.as_str().to_uppercase()));
                format!("{label} {}{letter}", cardinal(number(&c[2]), style))
            },
        ),
        rule(
            "phone",
            r"(?:\+\d{1,3}[\s-]?)?(?:\(\d{3}\)\s?|\b\d{3}[-.])\d{3}[-.]\d{4}\b|\b\d{3}-\d{4}\b",
            |c, _| {
                let groups: Vec<String> = c[0]
                    .split(|ch: char| !ch.is_ascii_digit())
                    .filter(|g| !g.is_empty())
                    .map(digits)
                    .collect();
                groups.join(", ")
            },
        ),
        rule(
            "year-range",
            r"\b(1[0-9]\d\d|20\d\d)\s?[-–]\s?(1[0-9]\d\d|20\d\d|\d\d)\b",
            |c, style| {
                let a = number(&c[1]);
                let b_text = &c[2];
                let b = if b_text.len() == 2 {
                    a / 100 * 100 + number(b_text)
                } else {
                    number(b_text)
                };
                if b <= a {
                    // Not a range of years: leave it to the rules for numbers.
                    return format!(
                        "{} to {}",
                        cardinal(a, style),
                        cardinal(number(b_text), style)
                    );
                }
                format!("{} to {}", year(a, style), year(b, style))
            },
        ),
        rule(
            "temperature-range",
            r"\b(\d+)\s?[-–]\s?(\d+)\s?°\s?([CF])\b",
            |c, style| {
                format!(
                    "{} to {} degrees {}",
                    cardinal(number(&c[1]), style),
                    cardinal(number(&c[2]), style),
                    if &c[3] == "C" {
                        "Celsius"
                    } else {
                        "Fahrenheit"
                    }
                )
            },
        ),
        rule(
            "unit-range",
            &format!(r"\b(\d+)\s?[-–]\s?(\d+)\s?({UNITS})"),
            |c, style| {
                format!(
                    "{} to {} {}",
                    cardinal(number(&c[1]), style),
                    cardinal(number(&c[2]), style),
                    unit_words(&c[3]).1
                )
            },
        ),
        rule("range", r"\b(\d+)\s?[-–]\s?(\d+)\b", |c, style| {
            format!(
                "{} to {}",
                cardinal(number(&c[1]), style),
                cardinal(number(&c[2]), style)
            )
        }),
        rule(
            "decade",
            r"(?:\b(1[0-9]|20)(\d0)|['’](\d0))['’]?s\b",
            |c, style| match c.get(3) {
                Some(d) => decade(number(d.as_str()), style),
                None => decade(number(&format!("{}{}", &c[1], &c[2])), style),
            },
        ),
        rule(
            "ordinal",
            r"\b(\d{1,3}(?:,\d{3})*|\d+)(?i:st|nd|rd|th)\b|\b(\d*[23])d\b",
            |c, style| {
                ordinal(
                    number(c.get(1).or(c.get(2)).map_or("", |m| m.as_str())),
                    style,
                )
            },
        ),
        rule(
            "temperature",
            r"(-|−)?\b(\d+(?:\.\d+)?)\s?°\s?([CF])\b",
            |c, style| {
                let sign = if c.get(1).is_some() { "minus " } else { "" };
                let scale = if &c[3] == "C" {
                    "Celsius"
                } else {
                    "Fahrenheit"
                };
                format!(
                    "{sign}{} {} {scale}",
                    amount(&c[2], style),
                    unit(&c[2], "degree", "degrees")
                )
            },
        ),
        rule("degrees", r"\b(\d+(?:\.\d+)?)\s?°", |c, style| {
            format!(
                "{} {}",
                amount(&c[1], style),
                unit(&c[1], "degree", "degrees")
            )
        }),
        rule(
            "percent",
            r"(-)?\b(\d+(?:\.\d+)?)\s?(%|percent\b|per cent\b)",
            |c, style| {
                let sign = if c.get(1).is_some() { "minus " } else { "" };
                format!("{sign}{} percent", amount(&c[2], style))
            },
        ),
        rule(
            "mixed-fraction",
            r"\b(\d+)\s+(\d{1,2})/(\d{1,2})\b",
            |c, style| {
                let (n, d) = (number(&c[2]), number(&c[3]));
                if d == 0 || n >= d || d > 32 {
                    return c[0].to_string();
                }
                format!(
                    "{} and {}",
                    cardinal(number(&c[1]), style),
                    fraction(n, d, style).replacen("one ", "a ", 1)
                )
            },
        ),
        rule("fraction", r"\b(\d{1,2})/(\d{1,2})\b", |c, style| {
            let (n, d) = (number(&c[1]), number(&c[2]));
            if d == 0 || d > 32 {
                format!("{} slash {}", cardinal(n, style), cardinal(d, style))
            } else {
                fraction(n, d, style)
            }
        }),
        rule(
            "vulgar-fraction",
            r"(?:(\d+)\s?)?([½⅓⅔¼¾⅛])",
            |c, style| {
                let (n, d) = match &c[2] {
                    "½" => (1, 2),
                    "⅓" => (1, 3),
                    "⅔" => (2, 3),
                    "¼" => (1, 4),
                    "¾" => (3, 4),
                    _ => (1, 8),
                };
                let part = fraction(n, d, style);
                match c.get(1) {
                    None => part,
                    Some(whole) => format!(
                        "{} and {}",
                        cardinal(number(whole.as_str()), style),
                        part.replace("one ", "a ")
                    ),
                }
            },
        ),
        rule(
            "units",
            &format!(r"\b(\d+(?:\.\d+)?)\s?({UNITS})"),
            |c, style| {
                let (one, many) = unit_words(&c[2]);
                format!("{} {}", amount(&c[1], style), unit(&c[1], one, many))
            },
        ),
        rule(
            "scientific",
            r"\b(\d+(?:\.\d+)?)[eE]([+-]?\d{1,3})\b",
            |c, style| {
                let exponent: i64 = c[2].trim_start_matches('+').parse().unwrap_or(0);
                format!(
                    "{} times {}",
                    amount(&c[1], style),
                    power_of_ten(exponent, style)
                )
            },
        ),
        rule(
            "power",
            r"(\d+|\b[A-Za-z])([⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
            |c, style| {
                let power = superscript(&c[2]);
                let base = if c[1].chars().all(|ch| ch.is_ascii_digit()) {
                    cardinal(number(&c[1]), style)
                } else {
                    c[1].to_string()
                };
                match power {
                    2 => format!("{base} squared"),
                    3 => format!("{base} cubed"),
                    _ if base == "ten" => format!("ten to the {}", ordinal(power, style)),
                    _ => format!("{base} to the {}", ordinal(power, style)),
                }
            },
        ),
        // H₂O: subscripts read as digits where they stand.
        rule(
            "subscript",
            r"([A-Za-z)])([₀₁₂₃₄₅₆₇₈₉]+)([A-Za-z(])?",
            |c, _| {
                let n: String = c[2]
                    .chars()
                    .filter_map(|ch| "₀₁₂₃₄₅₆₇₈₉".chars().position(|d| d == ch))
                    .map(|d| char::from(b'0' + d as u8))
                    .collect();
                let after = c
                    .get(3)
                    .map_or(String::new(), |m| format!(" {}", m.as_str()));
                format!("{} {}{after}", &c[1], digits(&n))
            },
        ),
        rule(
            "year",
            &format!(r"(?i)\b({YEAR_CUES})\s+(1[0-9]\d\d|20\d\d)\b"),
            |c, style| format!("{} {}", &c[1], year(number(&c[2]), style)),
        ),
        // A year where the sentence or clause ends: "It was 1888."
        rule(
            "year-at-end",
            r"\b(1[1-9]\d\d|20[0-4]\d)([.,;:!?)\]]|\s*$)",
            |c, style| format!("{}{}", year(number(&c[1]), style), &c[2]),
        ),
        rule(
            "era",
            r"\b(\d{1,4})\s?(BC|AD|BCE|CE|B\.C\.|A\.D\.)",
            |c, style| {
                let era = c[2].replace('.', "");
                format!(
                    "{} {}",
                    year(number(&c[1]), style),
                    era.chars().map(String::from).collect::<Vec<_>>().join(" ")
                )
            },
        ),
        rule(
            "separated",
            r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b",
            |c, style| amount(&c[0], style),
        ),
        rule(
            "numbered-leading-zero",
            &format!(r"\b({NUMBERED}|{})\.?\s+0+(\d+)\b", NUMBERED.to_uppercase()),
            |c, style| format!("{} {}", &c[1], cardinal(number(&c[2]), style)),
        ),
        rule(
            "negative",
            r"(^|[\s(])[-−](\d+(?:\.\d+)?)\b",
            |c, style| format!("{}minus {}", &c[1], amount(&c[2], style)),
        ),
        rule("positive", r"(^|[\s(])\+(\d+(?:\.\d+)?)\b", |c, style| {
            format!("{}plus {}", &c[1], amount(&c[2], style))
        }),
        rule("version", r"\b\d+(?:\.\d+){2,}\b", |c, style| {
            c[0].split('.')
                .map(|part| {
                    if part.len() > 1 && part.starts_with('0') {
                        digits(part)
                    } else {
                        cardinal(number(part), style)
                    }
                })
                .collect::<Vec<_>>()
                .join(" point ")
        }),
        rule(
            "decimal",
            r"\b(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)\b",
            |c, style| format!("{} point {}", cardinal(number(&c[1]), style), digits(&c[2])),
        ),
        rule("leading-zero", r"\b0\d+\b", |c, _| digits(&c[0])),
        rule("long-digits", r"\b\d{7,}\b", |c, _| digits(&c[0])),
        // A house or flat number with its letter: "221B", "16A".
        rule("numbered-letter", r"\b(\d+)([A-Z])\b", |c, style| {
            format!("{} {}", cardinal(number(&c[1]), style), &c[2])
        }),
        rule("cardinal", r"\b(\d{1,3}(?:,\d{3})+|\d+)\b", |c, style| {
            cardinal(number(&c[1]), style)
        }),
        rule(
            "numbered-roman",
            &format!(
                r"\b({NUMBERED}|{})\.? ([IVXLCDM]+|[ivxlcdm]+)\b",
                NUMBERED.to_uppercase()
            ),
            |c, style| match roman(&c[2]) {
                // "Appendix C", "Figure D": a lone letter other than I, V, X is a letter.
                Some(_) if c[2].len() == 1 && !"IVXivx".contains(&c[2]) => c[0].to_string(),
                Some(n) => format!("{} {}", &c[1], cardinal(n, style)),
                None => c[0].to_string(),
            },
        ),
        // A section numbered by a roman numeral alone on its line: "II", "XIV."
        rule(
            "lone-roman",
            r"^(\s*)([IVXLC]{2,7}|I|V|X)\.?(\s*)$",
            |c, style| match roman(&c[2]) {
                Some(n) => format!("{}{}{}", &c[1], capitalized(&cardinal(n, style)), &c[3]),
                None => c[0].to_string(),
            },
        ),
        rule(
            "regnal",
            r"\b(Pope [A-Z][a-z]+|[A-Z][a-z]+) ([IVX]{2,6}|V|X|I)\b([.,;:!?]?)",
            |c, style| match roman(&c[2]) {
                // "I", "V" and "X" are numerals only after a monarch's name ("Malcolm X").
                Some(_) if c[2].len() == 1 && !is_regnal_name(&c[1]) => c[0].to_string(),
                Some(n) if n <= 40 => format!("{} the {}{}", &c[1], ordinal(n, style), &c[3]),
                _ => c[0].to_string(),
            },
        ),
        rule(
            "street",
            r"\b([a-z]+ [A-Z][a-z]+) (St|Rd|Ave|Dr|Sq|Blvd)\.(\s+\p{Lu}|\s*$)?",
            |c, _| {
                let word = match &c[2] {
                    "St" => "Street",
                    "Rd" => "Road",
                    "Ave" => "Avenue",
                    "Dr" => "Drive",
                    "Sq" => "Square",
                    _ => "Boulevard",
                };
                match c.get(3) {
                    Some(rest) => format!("{} {word}.{}", &c[1], rest.as_str()),
                    None => format!("{} {word}", &c[1]),
                }
            },
        ),
        rule(
            "title",
            r"\b(Mr|Mrs|Ms|Messrs|Dr|Prof|Capt|Col|Gen|Lt|Sgt|Rev|Hon)\.",
            |c, _| {
                match &c[1] {
                    "Mr" => "Mister",
                    "Mrs" => "Missus",
                    "Ms" => "Miz",
                    "Messrs" => "Messieurs",
                    "Dr" => "Doctor",
                    "Prof" => "Professor",
                    "Capt" => "Captain",
                    "Col" => "Colonel",
                    "Gen" => "General",
                    "Lt" => "Lieutenant",
                    "Sgt" => "Sergeant",
                    "Rev" => "Reverend",
                    _ => "Honourable",
                }
                .to_string()
            },
        ),
        rule("saint", r"\b(St|Mt|Ft|Fr|Sr)\.(\s+)([A-Z])", |c, _| {
            let word = match &c[1] {
                "St" => "Saint",
                "Mt" => "Mount",
                "Ft" => "Fort",
                "Fr" => "Father",
                _ => "Sister",
            };
            format!("{word}{}{}", &c[2], &c[3])
        }),
        rule(
            "latin",
            r"\b([eE]\.\s?[gG]|[iI]\.\s?[eE]|etc|viz|cf|vs|approx|ca)\.(\s+\p{Lu}|\s*$)?",
            |c, _| {
                let word = match c[1].to_lowercase().replace(' ', "").as_str() {
                    "e.g" => "for example",
                    "i.e" => "that is",
                    "etc" => "et cetera",
                    "viz" => "namely",
                    "cf" => "compare",
                    "vs" => "versus",
                    "approx" => "approximately",
                    _ => "circa",
                };
                // Only "etc." ends sentences; "vs. Kramer" does not.
                match c.get(2) {
                    Some(rest) if word == "et cetera" => format!("{word}.{}", rest.as_str()),
                    Some(rest) => format!("{word}{}", rest.as_str()),
                    None => word.to_string(),
                }
            },
        ),
        rule(
            "suffix-title",
            r"\b(Jr|Sr|Bros|Inc|Ltd|Co)\.(\s+\p{Lu}|\s*$)?",
            |c, _| {
                let word = match &c[1] {
                    "Jr" => "Junior",
                    "Sr" => "Senior",
                    "Bros" => "Brothers",
                    "Inc" => "Incorporated",
                    "Ltd" => "Limited",
                    _ => "Company",
                };
                match c.get(2) {
                    Some(rest) => format!("{word}.{}", rest.as_str()),
                    None => word.to_string(),
                }
            },
        ),
        // The metal, which the tagger reads as the verb: said as "led".
        rule(
            "lead-metal",
            r"\b(of|molten|red|white|like) lead\b|\blead (pipes?|pencils?|poisoning|shot|weights?|paint|mines?|soldiers?|roof|sinkers?)\b",
            |c, _| match (c.get(1), c.get(2)) {
                (Some(before), _) => format!("{} led", before.as_str()),
                (_, Some(after)) => format!("led {}", after.as_str()),
                _ => c[0].to_string(),
            },
        ),
        rule("ampersand", r"\s&\s", |_, _| " and ".into()),
        rule("symbols", r"\s([+=×±§#@])\s", |c, _| {
            let word = match &c[1] {
                "+" => "plus",
                "=" => "equals",
                "×" => "times",
                "±" => "plus or minus",
                "§" => "section",
                "#" => "number",
                _ => "at",
            };
            format!(" {word} ")
        }),
    ]
});

fn is_regnal_name(name: &str) -> bool {
    matches!(
        name,
        "Elizabeth"
            | "Charles"
            | "James"
            | "George"
            | "William"
            | "Henry"
            | "Edward"
            | "Richard"
            | "Mary"
            | "Louis"
            | "Peter"
            | "Catherine"
            | "Napoleon"
            | "Alexander"
            | "Nicholas"
            | "Frederick"
            | "Philip"
            | "John"
            | "Francis"
            | "Victor"
            | "Leopold"
            | "Wilhelm"
            | "Ferdinand"
    ) || name.starts_with("Pope ")
}

fn currency(symbol: &str, one: bool) -> &'static str {
    match (symbol, one) {
        ("$", true) => "dollar",
        ("$", false) => "dollars",
        ("£", true) => "pound",
        ("£", false) => "pounds",
        ("€", true) => "euro",
        ("€", false) => "euros",
        _ => "yen",
    }
}

fn minor(symbol: &str, one: bool) -> &'static str {
    match (symbol, one) {
        ("£", true) => "penny",
        ("£", false) => "pence",
        (_, true) => "cent",
        (_, false) => "cents",
    }
}

fn singular_label(abbrev: &str) -> &'static str {
    match abbrev.to_lowercase().as_str() {
        "p" | "pg" => "page",
        "ch" | "chap" => "chapter",
        "vol" => "volume",
        "§" => "section",
        _ => "number",
    }
}

/// What follows an abbreviation whose full stop was taken: the stop again where it also ended
/// the sentence (a capital or the end of the line follows), else nothing.
fn sentence_end(stop: Option<regex::Match>, rest: Option<regex::Match>) -> String {
    match (stop, rest) {
        (Some(_), Some(rest)) => format!(".{}", rest.as_str()),
        (_, Some(rest)) => rest.as_str().to_string(),
        _ => String::new(),
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn plural_label(abbrev: &str) -> String {
    let lower = abbrev.to_lowercase();
    let word = match lower.trim_end_matches('.').trim_end_matches('s') {
        "p" | "pp" | "page" => "pages",
        "ch" | "chap" | "chapter" => "chapters",
        "vol" | "volume" => "volumes",
        _ => "numbers",
    };
    word.to_string()
}

/// "example.com" → "example dot com"; "j_smith" → "j underscore smith".
fn speak_address(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '.' => out.push_str(" dot "),
            '/' => out.push_str(" slash "),
            '_' => out.push_str(" underscore "),
            '-' => out.push_str(" dash "),
            '@' => out.push_str(" at "),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Applies every English rule to one line, in order.
pub fn normalize(line: &str, style: Style) -> String {
    let spoken = apply(&RULES, line, style);
    // A line that opens with a number opens with its word, capitalized as a sentence is
    // ("4. Keep the map dry." → "Four. Keep the map dry.").
    let opens_with_number = line
        .trim_start()
        .trim_start_matches(['$', '£', '€', '+', '-', '−', '(', '"', '“'])
        .starts_with(|c: char| c.is_ascii_digit());
    match spoken.char_indices().find(|(_, c)| !c.is_whitespace()) {
        Some((i, c)) if opens_with_number && c.is_ascii_lowercase() => {
            format!(
                "{}{}{}",
                &spoken[..i],
                c.to_ascii_uppercase(),
                &spoken[i + c.len_utf8()..]
            )
        }
        _ => spoken,
    }
}
