//! English: numbers in their roles, roman numerals, abbreviations and symbols, as words.
//!
//! Rules run in a fixed order, most specific first, so that "$3.50" is money before "3.50" is
//! a decimal, "7:45 p.m." a time before "p.m." an abbreviation, and "1939–1945" a range of
//! years before either year is a plain number. Each rule is a regular expression and a
//! function from its match to words. Whatever no rule claims is left as it is, so text that
//! needs nothing comes through unchanged.

use std::sync::LazyLock;

use regex::Regex;

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
const UNITS: &str = "(?:km²|m²|cm²|cm³|m³)|(?:km2|km/h|kph|km|kg|cm|mm|mg|ml|mL|mph|lbs|lb|oz|ft|yd|mi|GHz|MHz|kHz|Hz|TB|GB|MB|KB|kW|W|ns|µs|μs|µm|μm|ms|m|g)\\b";

/// Capitals that stay capitals inside a run set in capitals: acronyms read letter by letter.
const ACRONYMS: &[&str] = &[
    "BBC", "CIA", "FBI", "NASA", "NATO", "UK", "USA", "UN", "EU", "TV", "MP", "OK", "DNA", "RAF",
    "HMS", "USS", "BC", "AD", "BCE", "CE", "GB", "KB", "MB", "TB", "ID", "UFO",
];

/// Words before a four-digit number that make it a year.
/// A roman numeral that numbers a section at a line's start: a lone L, C, D or M is more
/// likely a letter or an initial.
const LINE_ROMAN: &str = "[IVXLC]{2,7}|I|V|X";

/// Books of the Bible, whose chapter and verse ("Ezekiel 2:1") are two numbers.
const BIBLE_BOOKS: &str = "Genesis|Exodus|Leviticus|Numbers|Deuteronomy|Joshua|Judges|Ruth|Samuel|Kings|Chronicles|Ezra|Nehemiah|Esther|Job|Psalms?|Proverbs|Ecclesiastes|Isaiah|Jeremiah|Lamentations|Ezekiel|Daniel|Hosea|Joel|Amos|Obadiah|Jonah|Micah|Nahum|Habakkuk|Zephaniah|Haggai|Zechariah|Malachi|Matthew|Mark|Luke|John|Acts|Romans|Corinthians|Galatians|Ephesians|Philippians|Colossians|Thessalonians|Timothy|Titus|Philemon|Hebrews|James|Peter|Jude|Revelation";

const YEAR_CUES: &str = "in|of|since|by|from|until|till|to|and|or|year|summer|winter|spring|autumn|fall|early|late|mid|before|after|around|about|circa|c\\.|during|between|christmas|easter|january|february|march|april|may|june|july|august|september|october|november|december";

fn number(s: &str) -> u64 {
    s.replace(',', "").parse().unwrap_or(0)
}

/// The names of powers of a thousand past what `u64` holds, for [`big_cardinal`] (short
/// scale, as American and modern British usage have it).
const BIG_SCALES: [&str; 11] = [
    "",
    "thousand",
    "million",
    "billion",
    "trillion",
    "quadrillion",
    "quintillion",
    "sextillion",
    "septillion",
    "octillion",
    "nonillion",
];

/// A whole number of any length as words ("1,234" or 25 digits alike); past the largest
/// scale name, digit by digit. Never "zero" for a number too big for a machine integer.
fn big_cardinal(s: &str, style: Style) -> String {
    let digits_only: String = s.chars().filter(char::is_ascii_digit).collect();
    if let Ok(n) = digits_only.parse::<u64>() {
        return cardinal(n, style);
    }
    let trimmed = digits_only.trim_start_matches('0');
    let groups = trimmed.len().div_ceil(3);
    if groups > BIG_SCALES.len() {
        return digits(trimmed);
    }
    let first = trimmed.len() - (groups - 1) * 3;
    let mut parts = Vec::new();
    let mut at = 0;
    for g in (0..groups).rev() {
        let len = if at == 0 { first } else { 3 };
        let value: u64 = trimmed[at..at + len].parse().unwrap_or(0);
        at += len;
        if value > 0 {
            let words = cardinal(value, style);
            parts.push(if g == 0 {
                words
            } else {
                format!("{words} {}", BIG_SCALES[g])
            });
        }
    }
    parts.join(" ")
}

/// "3", "3.5", "1,200" as words; decimals digit by digit after the point.
fn amount(s: &str, style: Style) -> String {
    let s = s.replace(',', "");
    match s.split_once('.') {
        Some((whole, frac)) if !frac.is_empty() => format!(
            "{} point {}",
            big_cardinal(if whole.is_empty() { "0" } else { whole }, style),
            digits(frac)
        ),
        _ => big_cardinal(s.trim_end_matches('.'), style),
    }
}

/// An amount of old pence as said: "a penny", "sixpence", "elevenpence" (one word under a
/// shilling, as British speech and print have it), else "twenty pence".
fn pence_words(n: u64, style: Style) -> String {
    match n {
        1 => "one penny".into(),
        2..=11 => format!("{}pence", cardinal(n, style)),
        _ => format!("{} pence", cardinal(n, style)),
    }
}

/// Two numbers and the word between them: "ten to fifteen", "two by four", "six foot two";
/// an empty `word` for chapter and verse ("two one").
fn pair(a: &str, word: &str, b: &str, style: Style) -> String {
    let (a, b) = (cardinal(number(a), style), cardinal(number(b), style));
    if word.is_empty() {
        format!("{a} {b}")
    } else {
        format!("{a} {word} {b}")
    }
}

/// A number said in pairs, as flight and room numbers are: 1549 → "fifteen forty-nine",
/// 101 → "one oh one", 110 → "one ten".
fn in_pairs(s: &str, style: Style) -> String {
    let n = number(s);
    match s.len() {
        3 => {
            let (high, low) = (n / 100, n % 100);
            match low {
                0 => format!("{} hundred", cardinal(high, style)),
                1..=9 => format!("{} oh {}", cardinal(high, style), cardinal(low, style)),
                _ => format!("{} {}", cardinal(high, style), cardinal(low, style)),
            }
        }
        4 => year(n, style),
        _ => cardinal(n, style),
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
        "ml" | "mL" => ("milliliter", "milliliters"),
        "yd" => ("yard", "yards"),
        "µm" | "μm" => ("micrometer", "micrometers"),
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
/// lower case, the others capitalized (all lower case in `sentence_case`), the first
/// capitalized where the run opens the line; acronyms and roman numerals stay as they are.
fn uncapitalize(run: &str, opens_line: bool, sentence_case: bool) -> String {
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
        } else if !opening && (sentence_case || FUNCTION_WORDS.split('|').any(|f| f == word)) {
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

/// A roman numeral as a word, in either case.
static ROMAN_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[IVXLCDM]+|[ivxlcdm]+)\b").expect("a valid pattern"));

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Two or more words set in capitals, as lead-ins and inscriptions print them ("MY
        // DEAR SIR", "IT WAS the best"): the G2P spells capitals as letters.
        rule(
            "capitals",
            r"\b([A-Z][A-Z'’]+(?:[\s-]+(?:[A-Z][A-Z'’]+|A|I)\b)+)([,;:]?\s+[a-z])?",
            |c, _| {
                let opens_line = c.get(0).is_some_and(|m| m.start() == 0);
                // Followed by lowercase text, the run opens a sentence ("MY DEAR SIR, the
                // note began"): sentence case. Alone, it is a title or inscription.
                let lead_in = opens_line && c.get(2).is_some();
                let words = uncapitalize(&c[1], opens_line, lead_in);
                format!("{words}{}", c.get(2).map_or("", |m| m.as_str()))
            },
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
        // "between 40–60°C" is "between forty and sixty", not "between forty to sixty".
        rule(
            "between-range",
            r"\b([Bb]etween)\s+([$£€]?\d[\d,.]*)\s?[-–]\s?([$£€]?\d[\d,.]*)",
            |c, _| format!("{} {} and {}", &c[1], &c[2], &c[3]),
        ),
        rule(
            "isbn",
            r"(?i)\bISBN(?:-1[03])?:?\s*((?:\d[\s-]?){9,12}[\dX])\b",
            |c, _| {
                let groups: Vec<String> = c[1]
                    .split(['-', ' '])
                    .filter(|g| !g.is_empty())
                    .map(|g| {
                        g.chars()
                            .map(|d| {
                                if d == 'X' || d == 'x' {
                                    "ten".to_string()
                                } else {
                                    digits(&d.to_string())
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                format!("I S B N {}", groups.join(", "))
            },
        ),
        // Numbers that name rather than count: said digit by digit, or in pairs.
        rule(
            "digit-codes",
            r"\b((?:ZIP|[Zz]ip(?: code)?|[Pp]ostcode|PIN|[Cc]ode)(?: is)?)\s+(\d{3,6})\b|\b(911)\b",
            |c, _| match (c.get(1), c.get(2), c.get(3)) {
                (Some(label), Some(n), _) => format!("{} {}", label.as_str(), digits(n.as_str())),
                (_, _, Some(n)) => digits(n.as_str()),
                _ => c[0].to_string(),
            },
        ),
        rule(
            "in-pairs",
            r"\b(Flight|Room|Suite|Gate|Platform|Bus|Route|Highway|Interstate|Train|Cabin|Apartment)\s+(\d{3,4})\b",
            |c, style| format!("{} {}", &c[1], in_pairs(&c[2], style)),
        ),
        rule(
            "label-abbreviation",
            r"\b(Figs?|Nos?|Apt|Vols?|Bk|Pt|Eq|Ex)\.\s?(\d|[IVXLCDM]+\b)",
            |c, _| {
                let word = match &c[1] {
                    "Fig" => "Figure",
                    "Figs" => "Figures",
                    "No" => "Number",
                    "Nos" => "Numbers",
                    "Apt" => "Apartment",
                    "Vol" => "Volume",
                    "Vols" => "Volumes",
                    "Bk" => "Book",
                    "Pt" => "Part",
                    "Eq" => "Equation",
                    _ => "Example",
                };
                format!("{word} {}", &c[2])
            },
        ),
        rule(
            "weekday-abbreviation",
            &format!(
                r"\b(Mon|Tues?|Wed|Thurs?|Thu|Fri|Sat|Sun)\.(,?\s+(?:\d|the \d|{MONTHS}|{MONTH_ABBREVS}|morning|afternoon|evening|night|next|last))|\b(Tues|Wed|Thurs)\.()"
            ),
            |c, _| {
                let abbrev = c.get(1).or(c.get(3)).map_or("", |m| m.as_str());
                let rest = c.get(2).or(c.get(4)).map_or("", |m| m.as_str());
                let day = match abbrev {
                    "Mon" => "Monday",
                    "Tue" | "Tues" => "Tuesday",
                    "Wed" => "Wednesday",
                    "Thu" | "Thur" | "Thurs" => "Thursday",
                    "Fri" => "Friday",
                    "Sat" => "Saturday",
                    _ => "Sunday",
                };
                format!("{day}{rest}")
            },
        ),
        rule(
            "month-abbreviation-year",
            &format!(r"\b({MONTH_ABBREVS})\.?,?\s+(\d{{4}})\b"),
            |c, _| format!("{} {}", full_month(&c[1]), &c[2]),
        ),
        rule(
            "circa",
            r"\b(?:c|ca|circa)\.?\s?(1\d{3}|20\d\d|\d{3})\b",
            |c, style| format!("circa {}", year(number(&c[1]), style)),
        ),
        rule(
            "anno-domini",
            r"\b(?:A\.\s?D\.|AD)\s?(\d{1,4})\b",
            |c, style| format!("A D {}", year(number(&c[1]), style)),
        ),
        // A year that opens a line: "1812 was a hard year."
        rule(
            "year-at-start",
            r"^(1[1-9]\d\d)(\s+(?:was|were|saw|brought|began|ended|came|is|had|changed|marked)\b)",
            |c, style| format!("{}{}", capitalized(&year(number(&c[1]), style)), &c[2]),
        ),
        rule(
            "age-decade",
            r"\b(his|her|their|my|your|our|its|early|late|mid)\s+([2-9]0)['’]?s\b",
            |c, style| format!("{} {}", &c[1], decade(number(&c[2]), style)),
        ),
        // "from 9.30 to 11.45": both ends are times.
        rule(
            "dotted-clock-range",
            r"\b([Ff]rom) (1[0-2]|0?[1-9])\.([0-5]\d) (to|till|until) (1[0-2]|0?[1-9])\.([0-5]\d)\b",
            |c, _| {
                format!(
                    "{} {}:{} {} {}:{}",
                    &c[1], &c[2], &c[3], &c[4], &c[5], &c[6]
                )
            },
        ),
        // "at 10.15", as British books print the time without "am" or "pm".
        rule(
            "dotted-clock",
            r"\b(at|by|until|till|from|before|after|about|around)\s+(1[0-2]|0?[1-9])\.([0-5]\d)\b(\s*(?:%|per\b|percent\b|[a-zA-Z]+\b))?",
            |c, _| {
                // Not a time where a unit or an amount follows ("rose to 3.25 percent").
                const AMOUNTS: &[&str] = &[
                    "%",
                    "per",
                    "percent",
                    "pounds",
                    "dollars",
                    "euros",
                    "points",
                    "miles",
                    "km",
                    "kilometers",
                    "kilometres",
                    "meters",
                    "metres",
                    "m",
                    "cm",
                    "mm",
                    "inches",
                    "feet",
                    "grams",
                    "kilograms",
                    "kg",
                    "seconds",
                    "minutes",
                    "hours",
                    "times",
                    "million",
                    "billion",
                    "thousand",
                    "degrees",
                    "acres",
                    "tons",
                    "tonnes",
                    "yards",
                    "litres",
                    "liters",
                    "a",
                    "an",
                ];
                match c.get(4) {
                    Some(next) if AMOUNTS.contains(&next.as_str().trim()) => c[0].to_string(),
                    next => format!(
                        "{} {}:{}{}",
                        &c[1],
                        &c[2],
                        &c[3],
                        next.map_or("", |m| m.as_str())
                    ),
                }
            },
        ),
        // "7–9 a.m.": both ends are hours of the morning.
        rule(
            "hour-range",
            r"\b(1[0-2]|[1-9])\s?[-–]\s?(1[0-2]|[1-9])(\s?[AaPp]\.?\s?[Mm]\b)",
            |c, _| format!("{} to {}{}", &c[1], &c[2], &c[3]),
        ),
        rule(
            "page-roman",
            r"\b([Pp]p?)\.\s?([ivxlc]+)\b",
            |c, style| match roman(&c[2]) {
                Some(n) => format!(
                    "{} {}",
                    if c[1].len() == 2 { "pages" } else { "page" },
                    cardinal(n, style)
                ),
                None => c[0].to_string(),
            },
        ),
        rule(
            "file-name",
            r"\b([A-Za-z][\w-]*)\.(txt|pdf|docx?|jpe?g|png|gif|html?|csv|zip|exe|py|rs|json|xml|md|epub|mp3)\b",
            |c, _| format!("{} dot {}", &c[1], &c[2]),
        ),
        rule(
            "time-abbreviation",
            r"\b(\d+(?:\.\d+)?)\s?(min|mins|hr|hrs|sec|secs)\.",
            |c, style| {
                let one = &c[1] == "1";
                let word = match &c[2] {
                    "min" | "mins" => {
                        if one {
                            "minute"
                        } else {
                            "minutes"
                        }
                    }
                    "hr" | "hrs" => {
                        if one {
                            "hour"
                        } else {
                            "hours"
                        }
                    }
                    _ => {
                        if one {
                            "second"
                        } else {
                            "seconds"
                        }
                    }
                };
                format!("{} {word}", amount(&c[1], style))
            },
        ),
        rule("version-v", r"\bv(\d+(?:\.\d+)+)\b", |c, _| {
            format!("version {}", &c[1])
        }),
        rule("bare-decimal", r"(^|[\s(])\.(\d+)\b", |c, _| {
            format!("{}point {}", &c[1], digits(&c[2]))
        }),
        rule("caret-power", r"\b(\d+)\^(\d{1,3})\b", |c, style| {
            let power = number(&c[2]);
            match power {
                2 => format!("{} squared", cardinal(number(&c[1]), style)),
                3 => format!("{} cubed", cardinal(number(&c[1]), style)),
                _ => format!(
                    "{} to the {}",
                    cardinal(number(&c[1]), style),
                    ordinal(power, style)
                ),
            }
        }),
        rule(
            "minus-sign",
            r"(\d)\s*−\s*(\d)|(\d)\s+-\s+(\d+\s*=)",
            |c, _| match (c.get(1), c.get(3)) {
                (Some(a), _) => format!("{} minus {}", a.as_str(), &c[2]),
                (_, Some(a)) => format!("{} minus {}", a.as_str(), &c[4]),
                _ => c[0].to_string(),
            },
        ),
        rule("inches", r"\b(\d+(?:\.\d+)?)\s?in\.(\s+[a-z])", |c, _| {
            let word = if &c[1] == "1" { "inch" } else { "inches" };
            format!("{} {word}{}", &c[1], &c[2])
        }),
        rule(
            "feet-inches",
            r#"\b(\d)['′](\d{1,2})(?:["″]|\b)"#,
            |c, style| pair(&c[1], "foot", &c[2], style),
        ),
        rule(
            "flat-letter",
            r"\b(Flat|Apartment|Room|Suite|Number|Unit)\s+(\d+)([a-z])\b",
            |c, _| format!("{} {}{}", &c[1], &c[2], c[3].to_uppercase()),
        ),
        // "Ezekiel 2:1" is a chapter and verse, said as two numbers.
        rule(
            "verse",
            &format!(r"\b((?:{BIBLE_BOOKS}) )(\d{{1,3}}):(\d{{1,3}})\b"),
            |c, style| format!("{}{}", &c[1], pair(&c[2], "", &c[3], style)),
        ),
        rule("ratio", r"\b(\d{1,2}):(\d)\b", |c, style| {
            pair(&c[1], "to", &c[2], style)
        }),
        // "24/7", "50/50", "20/20": a slash that is neither a fraction nor a date.
        rule(
            "slashed-pair",
            r"\b(\d{1,3})/(\d{1,3})\b(/)?",
            |c, style| {
                let (a, b) = (number(&c[1]), number(&c[2]));
                if c.get(3).is_some() || a < b || b == 0 {
                    return c[0].to_string();
                }
                let joiner = if a == b { "-" } else { " " };
                format!("{}{joiner}{}", cardinal(a, style), cardinal(b, style))
            },
        ),
        // A circled number labels what follows it ("Step ① open the box"): a comma after it,
        // unless a word that joins numbers follows ("② and ⑩").
        rule(
            "enclosed-digits",
            r"([①-⑳]|[⒈-⒛])(\s+[a-z]+)?",
            |c, style| {
                let ch = c[1].chars().next().unwrap_or('①');
                if ('①'..='⑳').contains(&ch) {
                    let n = cardinal(u64::from(ch as u32 - '①' as u32 + 1), style);
                    match c.get(2) {
                        Some(next)
                            if !matches!(
                                next.as_str().trim(),
                                "and"
                                    | "or"
                                    | "to"
                                    | "through"
                                    | "below"
                                    | "above"
                                    | "of"
                                    | "in"
                                    | "is"
                                    | "was"
                                    | "are"
                                    | "were"
                                    | "has"
                                    | "had"
                                    | "will"
                                    | "can"
                                    | "must"
                                    | "should"
                                    | "may"
                            ) =>
                        {
                            format!("{n},{}", next.as_str())
                        }
                        next => format!("{n}{}", next.map_or("", |m| m.as_str())),
                    }
                } else {
                    format!(
                        "{}.{}",
                        cardinal(u64::from(ch as u32 - '⒈' as u32 + 1), style),
                        c.get(2).map_or("", |m| m.as_str())
                    )
                }
            },
        ),
        rule("about", r"~\s?(\d)", |c, _| format!("about {}", &c[1])),
        rule("number-sign", r"#(\d)", |c, _| format!("number {}", &c[1])),
        rule(
            "comparison",
            r"\s?(±|≥|≤|≠|÷|≈)\s?| ([<>]) ",
            |c, _| {
                let word = match c.get(1).or(c.get(2)).map_or("", |m| m.as_str()) {
                    "±" => "plus or minus",
                    "≥" => "greater than or equal to",
                    "≤" => "less than or equal to",
                    "≠" => "does not equal",
                    "÷" => "divided by",
                    "≈" => "approximately",
                    "<" => "less than",
                    _ => "greater than",
                };
                format!(" {word} ")
            },
        ),
        rule("ampersand-initials", r"\b([A-Z])&([A-Z])\b", |c, _| {
            format!("{} and {}", &c[1], &c[2])
        }),
        rule("c-plus-plus", r"\bC\+\+", |_, _| "C plus plus".to_string()),
        rule("and-or", r"\band/or\b", |_, _| "and or".to_string()),
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
                        " and {}",
                        pence_words(number(pence.as_str()), style)
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
                    "{} {} and {}{end}",
                    cardinal(shillings, style),
                    if shillings == 1 {
                        "shilling"
                    } else {
                        "shillings"
                    },
                    pence_words(pence, style)
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
                let end = c
                    .get(3)
                    .map_or(String::new(), |r| format!(".{}", r.as_str()));
                if !shilling {
                    return format!("{}{end}", pence_words(n, style));
                }
                let word = if n == 1 { "shilling" } else { "shillings" };
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
            r"([$£€])(\d+)\s?[-–]\s?[$£€]?(\d+)\b",
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
            r"([$£€¥₹])(\d+(?:\.\d+)?)\s?(thousand|million|billion|trillion|[mMkKbB]n?)\b",
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
            r"([$£€¥₹])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?\b",
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
        // A clock time to the second: "at 10:15:30" (a one-digit hour is a race time:
        // "dropped out at 1:02:03").
        rule(
            "clock-seconds",
            r"\b((?i:at|by|until|till|from))\s+([01]\d|2[0-3]):([0-5]\d):([0-5]\d)\b",
            |c, style| {
                let (h, m, sec) = (number(&c[2]), number(&c[3]), number(&c[4]));
                let minutes = match m {
                    0 => " o'clock".to_string(),
                    1..=9 => format!(" oh {}", cardinal(m, style)),
                    _ => format!(" {}", cardinal(m, style)),
                };
                format!(
                    "{} {}{minutes} and {} {}",
                    &c[1],
                    cardinal(h, style),
                    cardinal(sec, style),
                    if sec == 1 { "second" } else { "seconds" }
                )
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
            &format!(r"\b({MONTHS})(,?) (\d{{4}})\b"),
            |c, style| format!("{}{} {}", &c[1], &c[2], year(number(&c[3]), style)),
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
            let (a, b) = (&c[1], &c[2]);
            // "55-7" and "123-8" as indexes print them: the second shares the first's head.
            let b = if b.len() < a.len() && number(b) < number(a) {
                let head = &a[..a.len() - b.len()];
                let full = format!("{head}{b}");
                if number(&full) > number(a) {
                    full
                } else {
                    b.to_string()
                }
            } else {
                b.to_string()
            };
            format!(
                "{} to {}",
                cardinal(number(a), style),
                cardinal(number(&b), style)
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
            &format!(r"\b(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?({UNITS})"),
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
            r"(\d+|\b[A-Za-z]{1,2})(⁻?)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
            |c, style| {
                let power = superscript(&c[3]);
                let base = if c[1].chars().all(|ch| ch.is_ascii_digit()) {
                    cardinal(number(&c[1]), style)
                } else {
                    // "mc²": each letter a symbol of its own.
                    c[1].chars().map(String::from).collect::<Vec<_>>().join(" ")
                };
                let minus = if c[2].is_empty() { "" } else { "minus " };
                match power {
                    2 if minus.is_empty() => format!("{base} squared"),
                    3 if minus.is_empty() => format!("{base} cubed"),
                    _ => format!("{base} to the {minus}{}", ordinal(power, style)),
                }
            },
        ),
        // A unit after a power of ten already in words: "ten to the minus third kg".
        rule(
            "unit-after-power",
            &format!(r"\b(to the (?:minus )?[a-z]+|squared|cubed) ({UNITS})"),
            |c, _| format!("{} {}", &c[1], unit_words(&c[2]).1),
        ),
        // A formula of several elements ("CO₂", "H₂SO₄"): each symbol said on its own.
        rule(
            "formula",
            r"\b(?:[A-Z][a-z]?[₀₁₂₃₄₅₆₇₈₉]*){2,}",
            |c, _| {
                let formula = &c[0];
                if !formula.contains(|ch: char| ('₀'..='₉').contains(&ch)) {
                    return formula.to_string();
                }
                let mut parts: Vec<String> = Vec::new();
                for ch in formula.chars() {
                    if ch.is_ascii_uppercase() {
                        parts.push(ch.to_string());
                    } else if ch.is_ascii_lowercase() {
                        if let Some(last) = parts.last_mut() {
                            last.push(ch);
                        }
                    } else if let Some(d) = "₀₁₂₃₄₅₆₇₈₉".chars().position(|s| s == ch)
                    {
                        parts.push(digits(&d.to_string()));
                    }
                }
                parts.join(" ")
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
        rule("dimensions", r"\b(\d{1,4})[×x](\d{1,4})\b", |c, style| {
            pair(&c[1], "by", &c[2], style)
        }),
        rule("times-sign", r"\s?×\s?", |_, _| " times ".to_string()),
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
            r"\b(\d{1,4})\s?(BCE|BC|AD|CE|B\.C\.E\.|B\.C\.|A\.D\.)",
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
            |c, style| format!("{} point {}", big_cardinal(&c[1], style), digits(&c[2])),
        ),
        rule("leading-zero", r"\b0\d+\b", |c, _| digits(&c[0])),
        rule("long-digits", r"\b\d{7,}\b", |c, _| digits(&c[0])),
        // A house or flat number with its letter: "221B", "16A".
        rule("numbered-letter", r"\b(\d+)([A-Z])\b", |c, style| {
            format!("{} {}", cardinal(number(&c[1]), style), &c[2])
        }),
        rule("cardinal", r"\b(\d{1,3}(?:,\d{3})+|\d+)\b", |c, style| {
            big_cardinal(&c[1], style)
        }),
        // "Parts II and III", "Acts I–III": the numerals after a plural are plain numbers too.
        // A lone "I" is not taken after the first ("Chapter II, I think").
        rule(
            "numbered-roman",
            &format!(
                r"\b(?:{NUMBERED}|{})(?:s|S)?\.? ([IVXLCDM]+|[ivxlcdm]+)\b((?:(?:,?\s+(?:and|or|to|&)\s+|,\s*|\s*[-–]\s*)(?:[IVXLCDM]{{2,}}|[ivxlcdm]{{2,}}|[VXvx])\b)*)",
                NUMBERED.to_uppercase()
            ),
            |c, style| match roman(&c[1]) {
                // "Appendix C", "Figure D": a lone letter other than I, V, X is a letter.
                Some(_) if c[1].len() == 1 && !"IVXivx".contains(&c[1]) => c[0].to_string(),
                Some(n) => {
                    // The noun as written, with its space: the numeral's offset in the match.
                    let at = |g: usize| c.get(g).map_or(0, |m| m.start());
                    let head = &c[0][..at(1) - at(0)];
                    let tail = ROMAN_WORD.replace_all(&c[2], |r: &regex::Captures| {
                        roman(&r[0]).map_or(r[0].to_string(), |n| cardinal(n, style))
                    });
                    format!("{head}{}{tail}", cardinal(n, style))
                }
                None => c[0].to_string(),
            },
        ),
        // A section number opening a line: "I. The Burial of the Dead", "II. A Game of Chess".
        // Not an initial: a lone L or C is one ("C. S. Lewis", "L. Frank Baum"), and a word
        // follows, not another initial.
        rule(
            "leading-roman",
            &format!(r"^(\s*)({LINE_ROMAN})\.\s+(\p{{Lu}}\p{{Ll}}|\p{{Lu}}\s)"),
            |c, style| match roman(&c[2]) {
                Some(n) => format!("{}{}. {}", &c[1], capitalized(&cardinal(n, style)), &c[3]),
                None => c[0].to_string(),
            },
        ),
        // A section numbered by a roman numeral alone on its line: "II", "XIV."
        rule(
            "lone-roman",
            &format!(r"^(\s*)({LINE_ROMAN})\.?(\s*)$"),
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
            r"\b([a-z]+ [A-Z][a-z]+) (St|Rd|Ave|Dr|Sq|Blvd)\.(\s+\p{Lu}|\s*$|,|\s+\p{Ll})?",
            |c, _| {
                let word = match &c[2] {
                    "St" => "Street",
                    "Rd" => "Road",
                    "Ave" => "Avenue",
                    "Dr" => "Drive",
                    "Sq" => "Square",
                    _ => "Boulevard",
                };
                // The stop ends the sentence too before a capital or the line's end.
                match c.get(3).map(|m| m.as_str()) {
                    Some(rest) if rest.trim().is_empty() || rest.contains(char::is_uppercase) => {
                        format!("{} {word}.{rest}", &c[1])
                    }
                    rest => format!("{} {word}{}", &c[1], rest.unwrap_or("")),
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
            r"\b([eE]\.\s?[gG]|[iI]\.\s?[eE]|etc|viz|[Cc]f|vs|approx|ca)\.(\s+\p{Lu}|\s*$)?",
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
                // "Cf. Ezekiel" opens a sentence.
                let word = if c[1].starts_with(char::is_uppercase) && word == "compare" {
                    capitalized(word)
                } else {
                    word.to_string()
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
            r"\b(Jr|Sr|Bros|Inc|Ltd|Co|Esq|MSS)\.(\s+\p{Lu}|\s*$)?",
            |c, _| {
                let word = match &c[1] {
                    "Jr" => "Junior",
                    "Sr" => "Senior",
                    "Bros" => "Brothers",
                    "Inc" => "Incorporated",
                    "Ltd" => "Limited",
                    "Esq" => "Esquire",
                    "MSS" => "manuscripts",
                    _ => "Company",
                };
                match c.get(2) {
                    Some(rest) => format!("{word}.{}", rest.as_str()),
                    None => word.to_string(),
                }
            },
        ),
        // "5 ft. 7 in." and "400,000 lbs. of beef": the abbreviation's stop is not the
        // sentence's once the unit is a word.
        rule(
            "unit-stop",
            r"\b(kilometers?|kilograms?|pounds|pound|feet|foot|inches|inch|yards?|miles?|ounces?|meters?|centimeters?|millimeters?|grams?|minutes?|hours?|seconds?)\.(\s+[a-z0-9])",
            |c, _| format!("{}{}", &c[1], &c[2]),
        ),
        rule(
            "worded-units",
            r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (ft\.?|in\.|lbs?\.?|oz\.?|yds?\.?)(\s|$|[,;])",
            |c, _| {
                let one = &c[1] == "one";
                let unit = match c[2].trim_end_matches('.') {
                    "ft" => {
                        if one {
                            "foot"
                        } else {
                            "feet"
                        }
                    }
                    "in" => {
                        if one {
                            "inch"
                        } else {
                            "inches"
                        }
                    }
                    "lb" | "lbs" => {
                        if one {
                            "pound"
                        } else {
                            "pounds"
                        }
                    }
                    "oz" => {
                        if one {
                            "ounce"
                        } else {
                            "ounces"
                        }
                    }
                    _ => {
                        if one {
                            "yard"
                        } else {
                            "yards"
                        }
                    }
                };
                format!("{} {unit}{}", &c[1], &c[3])
            },
        ),
        // An era after a year already in words ("in 1453 AD" met the year rule first).
        rule(
            "era-letters",
            r"([a-z]) (A\.D\.|B\.C\.E\.|B\.C\.|BCE|AD|BC|CE)(\W|$)",
            |c, _| {
                let letters: Vec<String> = c[2]
                    .chars()
                    .filter(char::is_ascii_uppercase)
                    .map(String::from)
                    .collect();
                let stop = if c[2].ends_with('.') && (c[3].is_empty()) {
                    "."
                } else {
                    ""
                };
                format!("{} {}{stop}{}", &c[1], letters.join(" "), &c[3])
            },
        ),
        // A dash left between two amounts or times once they are words: "nine A M–five P M",
        // "five pounds–ten pounds".
        rule("spoken-range", r"([a-z]|[AP] M)\s?–\s?([a-z])", |c, _| {
            format!("{} to {}", &c[1], &c[2])
        }),
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
        ("₹", true) => "rupee",
        ("₹", false) => "rupees",
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
        .trim_start_matches(['$', '£', '€', '+', '-', '−', '(', '"', '“', '~', '#', '±'])
        .starts_with(|c: char| c.is_ascii_digit() || ('①'..='⒛').contains(&c));
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
