//! Numbers as English words: cardinals, ordinals, years, decimals, digit strings, fractions
//! and roman numerals. The pieces the English rules (`en.rs`) assemble; nothing here looks at
//! context.
//!
//! British and American usage differ in one place that listeners notice: "one hundred and
//! five" against "one hundred five". `Style` carries that choice, taken from the book's
//! language tag.

/// Whether "and" follows the hundreds ("one hundred and five", British) or not (American).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    American,
    British,
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

const SCALES: [(u64, &str); 5] = [
    (1_000_000_000_000_000, "quadrillion"),
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

/// 0–99.
fn tens(n: u64) -> String {
    debug_assert!(n < 100);
    if n < 20 {
        ONES[n as usize].to_string()
    } else if n.is_multiple_of(10) {
        TENS[(n / 10) as usize].to_string()
    } else {
        format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize])
    }
}

/// 1–999.
fn hundreds(n: u64, style: Style) -> String {
    debug_assert!(n > 0 && n < 1000);
    let (h, rest) = (n / 100, n % 100);
    match (h, rest) {
        (0, r) => tens(r),
        (h, 0) => format!("{} hundred", ONES[h as usize]),
        (h, r) => match style {
            Style::British => format!("{} hundred and {}", ONES[h as usize], tens(r)),
            Style::American => format!("{} hundred {}", ONES[h as usize], tens(r)),
        },
    }
}

/// A whole number in words: 1887 → "one thousand eight hundred eighty-seven".
pub fn cardinal(n: u64, style: Style) -> String {
    if n == 0 {
        return "zero".into();
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            parts.push(format!("{} {name}", cardinal(rest / scale, style)));
            rest %= scale;
        }
    }
    if rest > 0 {
        // "one thousand and five" in British usage, as with hundreds.
        if style == Style::British && !parts.is_empty() && rest < 100 {
            parts.push(format!("and {}", tens(rest)));
        } else {
            parts.push(hundreds(rest, style));
        }
    }
    parts.join(" ")
}

/// The ordinal of a cardinal's words: "twenty-one" → "twenty-first".
fn ordinal_of_words(words: &str) -> String {
    let (head, last) = match words.rfind([' ', '-']) {
        Some(i) => words.split_at(i + 1),
        None => ("", words),
    };
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

/// 43 → "forty-third".
pub fn ordinal(n: u64, style: Style) -> String {
    ordinal_of_words(&cardinal(n, style))
}

/// A year as it is said: 1066 → "ten sixty-six", 1900 → "nineteen hundred", 1905 →
/// "nineteen oh five", 2001 → "two thousand one", 2024 → "twenty twenty-four".
pub fn year(n: u64, style: Style) -> String {
    let (high, low) = (n / 100, n % 100);
    match n {
        0..=999 => cardinal(n, style),
        2000..=2009 => cardinal(n, style),
        _ if n.is_multiple_of(1000) => cardinal(n, style),
        _ if n >= 10_000 => cardinal(n, style),
        _ if low == 0 => format!("{} hundred", tens(high)),
        _ if low < 10 => format!("{} oh {}", tens(high), ONES[low as usize]),
        _ => format!("{} {}", tens(high), tens(low)),
    }
}

/// A decade: 1920 → "nineteen twenties", 60 → "sixties", 2000 → "two thousands".
pub fn decade(n: u64, style: Style) -> String {
    if n.is_multiple_of(100) {
        // "the 1900s" and "the 2000s": the century's hundreds.
        return if n == 2000 {
            "two thousands".into()
        } else {
            format!("{} hundreds", tens(n / 100 % 100))
        };
    }
    let words = if n < 100 { tens(n) } else { year(n, style) };
    plural(&words)
}

/// "twenty" → "twenties", "six" → "sixes".
pub fn plural(words: &str) -> String {
    if let Some(stem) = words.strip_suffix('y') {
        format!("{stem}ies")
    } else if words.ends_with('x') || words.ends_with('s') {
        format!("{words}es")
    } else {
        format!("{words}s")
    }
}

/// Each digit on its own, as identifiers and phone numbers are read: "0800" → "oh eight
/// hundred" would be wrong, "zero eight zero zero" is right.
pub fn digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| ONES[d as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fraction: 1/2 → "one half", 3/4 → "three quarters", 5/16 → "five sixteenths".
pub fn fraction(numerator: u64, denominator: u64, style: Style) -> String {
    let top = cardinal(numerator, style);
    let bottom = match denominator {
        2 => "half".to_string(),
        4 => "quarter".to_string(),
        d => ordinal(d, style),
    };
    if numerator == 1 {
        format!("one {bottom}")
    } else if denominator == 2 {
        format!("{top} halves")
    } else {
        format!("{top} {}", plural_ordinal(&bottom))
    }
}

fn plural_ordinal(word: &str) -> String {
    format!("{word}s")
}

/// The value of a roman numeral in canonical form (I–MMMCMXCIX), or `None`.
pub fn roman(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    let value = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Option<Vec<u64>> = upper.chars().map(value).collect();
    let values = values?;
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    let total = u64::try_from(total).ok().filter(|t| *t > 0 && *t < 4000)?;
    // Only the canonical spelling counts, so "IIII", "VX" or "MIM" are not numerals.
    (to_roman(total) == upper).then_some(total)
}

fn to_roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Style::*;

    #[test]
    fn cardinals() {
        assert_eq!(cardinal(0, American), "zero");
        assert_eq!(cardinal(13, American), "thirteen");
        assert_eq!(cardinal(40, American), "forty");
        assert_eq!(cardinal(105, American), "one hundred five");
        assert_eq!(cardinal(105, British), "one hundred and five");
        assert_eq!(cardinal(1005, British), "one thousand and five");
        assert_eq!(
            cardinal(1_234_567, American),
            "one million two hundred thirty-four thousand five hundred sixty-seven"
        );
        assert_eq!(cardinal(3_000_000_000, American), "three billion");
    }

    #[test]
    fn ordinals_years_and_decades() {
        assert_eq!(ordinal(1, American), "first");
        assert_eq!(ordinal(12, American), "twelfth");
        assert_eq!(ordinal(20, American), "twentieth");
        assert_eq!(ordinal(43, American), "forty-third");
        assert_eq!(ordinal(101, American), "one hundred first");
        assert_eq!(year(1066, American), "ten sixty-six");
        assert_eq!(year(1900, American), "nineteen hundred");
        assert_eq!(year(1905, American), "nineteen oh five");
        assert_eq!(year(2001, American), "two thousand one");
        assert_eq!(year(2024, American), "twenty twenty-four");
        assert_eq!(decade(1920, American), "nineteen twenties");
        assert_eq!(decade(60, American), "sixties");
        assert_eq!(decade(1800, American), "eighteen hundreds");
    }

    #[test]
    fn fractions_digits_and_numerals() {
        assert_eq!(fraction(1, 2, American), "one half");
        assert_eq!(fraction(3, 4, American), "three quarters");
        assert_eq!(fraction(2, 3, American), "two thirds");
        assert_eq!(fraction(5, 16, American), "five sixteenths");
        assert_eq!(digits("0800"), "zero eight zero zero");
        assert_eq!(roman("VIII"), Some(8));
        assert_eq!(roman("xiv"), Some(14));
        assert_eq!(roman("MCMLXXXIV"), Some(1984));
        assert_eq!(roman("IIII"), None);
        assert_eq!(roman("MIX"), Some(1009));
        assert_eq!(roman("VX"), None);
        assert_eq!(roman("CAT"), None);
    }
}
