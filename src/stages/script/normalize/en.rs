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

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
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
            r"\b([Pp]|[Pp]g|[Cc]h|[Cc]hap|[Vv]ol|[Nn]o)\.\s?(\d+)\b",
            |c, style| {
                let label = singular_label(&c[1]);
                let label = if c[1].starts_with(char::is_uppercase) {
                    capitalized(label)
                } else {
                    label.to_string()
                };
                format!("{label} {}", cardinal(number(&c[2]), style))
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
        rule("range", r"\b(\d+)\s?[-–]\s?(\d+)\b", |c, style| {
            format!(
                "{} to {}",
                cardinal(number(&c[1]), style),
                cardinal(number(&c[2]), style)
            )
        }),
        rule(
            "decade",
            r"(?:\b(1[0-9]|20)(\d0)|'(\d0))s\b",
            |c, style| match c.get(3) {
                Some(d) => decade(number(d.as_str()), style),
                None => decade(number(&format!("{}{}", &c[1], &c[2])), style),
            },
        ),
        rule(
            "ordinal",
            r"\b(\d{1,3}(?:,\d{3})*|\d+)(st|nd|rd|th)\b",
            |c, style| ordinal(number(&c[1]), style),
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
            r"\b(\d+(?:\.\d+)?)\s?(km|kg|cm|mm|mg|ml|mph|km/h|lbs?|oz|ft|mi|kHz|Hz|MB|GB|kW|W)\b",
            |c, style| {
                let (one, many) = match &c[2] {
                    "km" => ("kilometer", "kilometers"),
                    "kg" => ("kilogram", "kilograms"),
                    "cm" => ("centimeter", "centimeters"),
                    "mm" => ("millimeter", "millimeters"),
                    "mg" => ("milligram", "milligrams"),
                    "ml" => ("milliliter", "milliliters"),
                    "mph" => ("mile per hour", "miles per hour"),
                    "km/h" => ("kilometer per hour", "kilometers per hour"),
                    "lb" | "lbs" => ("pound", "pounds"),
                    "oz" => ("ounce", "ounces"),
                    "ft" => ("foot", "feet"),
                    "mi" => ("mile", "miles"),
                    "kHz" => ("kilohertz", "kilohertz"),
                    "Hz" => ("hertz", "hertz"),
                    "MB" => ("megabyte", "megabytes"),
                    "GB" => ("gigabyte", "gigabytes"),
                    "kW" => ("kilowatt", "kilowatts"),
                    _ => ("watt", "watts"),
                };
                format!("{} {}", amount(&c[1], style), unit(&c[1], one, many))
            },
        ),
        rule(
            "year",
            &format!(r"(?i)\b({YEAR_CUES})\s+(1[0-9]\d\d|20\d\d)\b"),
            |c, style| format!("{} {}", &c[1], year(number(&c[2]), style)),
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
        rule("leading-zero", r"\b0\d+\b", |c, _| digits(&c[0])),
        rule("long-digits", r"\b\d{7,}\b", |c, _| digits(&c[0])),
        rule(
            "negative",
            r"(^|[\s(])[-−](\d+(?:\.\d+)?)\b",
            |c, style| format!("{}minus {}", &c[1], amount(&c[2], style)),
        ),
        rule(
            "decimal",
            r"\b(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)\b",
            |c, style| format!("{} point {}", cardinal(number(&c[1]), style), digits(&c[2])),
        ),
        rule("cardinal", r"\b(\d{1,3}(?:,\d{3})+|\d+)\b", |c, style| {
            cardinal(number(&c[1]), style)
        }),
        rule(
            "numbered-roman",
            &format!(r"\b({NUMBERED})\.? ([IVXLCDM]+|[ivxlcdm]+)\b"),
            |c, style| match roman(&c[2]) {
                Some(n) => format!("{} {}", &c[1], cardinal(n, style)),
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
    apply(&RULES, line, style)
}
