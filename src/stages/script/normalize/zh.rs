//! Mandarin numbers as a narrator reads them: 2026年 → 二〇二六年, 3.5% → 百分之三点五,
//! ¥12 → 十二元, 10:30 → 十点三十分, 2个 → 两个, 第3章 → 第三章, 1/2 → 二分之一.
//!
//! Kokoro's G2P reads Chinese characters only, so every digit left in the text would be
//! skipped: years are read digit by digit, long digit strings (telephone and serial numbers)
//! too, other numbers as cardinals with 万 and 亿 grouping. Full-width digits and signs
//! count like ASCII ones.

use std::sync::LazyLock;

use regex::{Captures, Regex};

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Measure words after which 2 is 两 (两个人, 两本书).
const MEASURES: &str = "个本只条张件位次天岁种名支把辆家份双对句段页层台部座间头匹斤周场碗杯瓶块片根棵朵颗封架艘门节首幅批群项";

/// Digits one by one, with 〇 for zero as years are written (二〇二六).
fn digit_by_digit(digits: &str) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| if d == 0 { '〇' } else { DIGITS[d as usize] })
        .collect()
}

/// Up to 9999, with the zeros Mandarin says inside it (一百零五, 一千零一十); `leading`
/// for the head of a number, where 十 stands for 一十.
fn below_10000(n: u64, leading: bool) -> String {
    let places = [(1000, '千'), (100, '百'), (10, '十')];
    let mut out = String::new();
    let mut zero = false;
    let mut rest = n;
    for (value, unit) in places {
        let d = rest / value;
        rest %= value;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十五, not 一十五, at the head of a number.
        if !(value == 10 && d == 1 && out.is_empty() && leading) {
            out.push(DIGITS[d as usize]);
        }
        out.push(unit);
    }
    if rest > 0 {
        if zero {
            out.push('零');
        }
        out.push(DIGITS[rest as usize]);
    }
    out
}

/// A cardinal: 12345 → 一万二千三百四十五, 100000000 → 一亿.
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return "零".into();
    }
    let groups = [(100_000_000u64, "亿"), (10_000, "万"), (1, "")];
    let mut out = String::new();
    let mut rest = n;
    let mut gap = false;
    for (value, unit) in groups {
        let g = rest / value;
        rest %= value;
        if g == 0 {
            gap = !out.is_empty();
            continue;
        }
        // A group under 1000 after a higher one is led by 零 (一万零五百).
        if !out.is_empty() && (gap || g < 1000) {
            out.push('零');
        }
        let head = out.is_empty();
        out.push_str(&if g >= 10_000 {
            cardinal(g)
        } else {
            below_10000(g, head)
        });
        out.push_str(unit);
        gap = false;
    }
    out
}

/// A number as written ("1,234", "3.14"): cardinal, then 点 and its decimals digit by digit.
fn number(text: &str) -> String {
    let text: String = text.chars().filter(|c| *c != ',').collect();
    let (whole, decimals) = match text.split_once('.') {
        Some((w, d)) => (w, Some(d)),
        None => (text.as_str(), None),
    };
    let mut out = if whole.len() > 15 {
        digit_by_digit(whole)
    } else {
        whole
            .parse::<u64>()
            .map(cardinal)
            .unwrap_or_else(|_| digit_by_digit(whole))
    };
    if let Some(d) = decimals.filter(|d| !d.is_empty()) {
        out.push('点');
        out.extend(
            d.chars()
                .filter_map(|c| c.to_digit(10))
                .map(|d| DIGITS[d as usize]),
        );
    }
    out
}

/// 两 for a leading 二 before 千, 万, 亿 (两千, 两万), and for 二 itself where `counting`
/// (before a measure word: 两个).
fn liang(reading: String, counting: bool) -> String {
    if reading == "二" {
        return if counting { "两".into() } else { reading };
    }
    match reading.strip_prefix('二') {
        Some(rest) if rest.starts_with(['千', '万', '亿']) => format!("两{rest}"),
        _ => reading,
    }
}

/// Full-width digits and signs as ASCII.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            other => other,
        })
        .collect()
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{2,4})\s*年").expect("valid regex"));
static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-?\d[\d,]*(?:\.\d+)?)\s*%").expect("valid regex"));
static MONEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([¥￥$＄€£])\s*(\d[\d,]*(?:\.\d+)?)").expect("valid regex"));
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([01]?\d|2[0-4])[:：]([0-5]\d)(?:[:：]([0-5]\d))?(?-u:\b)")
        .expect("valid regex")
});
static FRACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(\d+)/(\d+)(?-u:\b)").expect("valid regex"));
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d[\d,]*(?:\.\d+)?)\s*[-~～〜—–]\s*(\d[\d,]*(?:\.\d+)?)").expect("valid regex")
});
static LONG_DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{7,}").expect("valid regex"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-)?(\d[\d,]*(?:\.\d+)?)(.?)").expect("valid regex"));

/// Normalizes one line of Mandarin text.
pub fn normalize(line: &str) -> String {
    if !line
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return line.to_string();
    }
    let text = half_width(line);
    // Years: four digits (or two, '98年) read digit by digit, unless a count of years follows
    // a measure (三年, 10年 are durations): only 4-digit numbers count as years.
    let text = YEAR.replace_all(&text, |c: &Captures| {
        if c[1].len() == 4 {
            format!("{}年", digit_by_digit(&c[1]))
        } else {
            format!("{}年", liang(number(&c[1]), true))
        }
    });
    let text = PERCENT.replace_all(&text, |c: &Captures| {
        let n = &c[1];
        match n.strip_prefix('-') {
            Some(n) => format!("负百分之{}", number(n)),
            None => format!("百分之{}", number(n)),
        }
    });
    let text = MONEY.replace_all(&text, |c: &Captures| {
        let unit = match &c[1] {
            "$" | "＄" => "美元",
            "€" => "欧元",
            "£" => "英镑",
            _ => "元",
        };
        // Cents are said without trailing zeros: 5.50 is 五点五.
        let amount = c[2].trim_end_matches('0').trim_end_matches('.');
        let amount = if c[2].contains('.') { amount } else { &c[2] };
        format!("{}{unit}", liang(number(amount), true))
    });
    let text = TIME.replace_all(&text, |c: &Captures| {
        let hour: u64 = c[1].parse().unwrap_or(0);
        let minute: u64 = c[2].parse().unwrap_or(0);
        let mut out = format!("{}点", liang(cardinal(hour), true));
        if minute > 0 {
            out.push_str(&format!(
                "{}{}分",
                if minute < 10 { "零" } else { "" },
                cardinal(minute)
            ));
        }
        if let Some(s) = c.get(3) {
            out.push_str(&format!("{}秒", cardinal(s.as_str().parse().unwrap_or(0))));
        }
        out
    });
    let text = FRACTION.replace_all(&text, |c: &Captures| {
        format!("{}分之{}", number(&c[2]), number(&c[1]))
    });
    let text = RANGE.replace_all(&text, |c: &Captures| {
        format!("{}到{}", number(&c[1]), number(&c[2]))
    });
    let text = LONG_DIGITS.replace_all(&text, |c: &Captures| {
        digit_by_digit(&c[0]).replace('〇', "零")
    });
    let text = NUMBER.replace_all(&text, |c: &Captures| {
        let after = c.get(3).map_or("", |m| m.as_str());
        let counting = after.chars().next().is_some_and(|a| MEASURES.contains(a))
            || after.starts_with(['千', '万', '亿']);
        let reading = liang(number(&c[2]), counting);
        let sign = if c.get(1).is_some() { "负" } else { "" };
        format!("{sign}{reading}{after}")
    });
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals_with_their_zeros() {
        for (n, want) in [
            (0, "零"),
            (7, "七"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1010, "一千零一十"),
            (2026, "二千零二十六"),
            (10_000, "一万"),
            (10_500, "一万零五百"),
            (12_345, "一万二千三百四十五"),
            (100_000_000, "一亿"),
            (100_000_001, "一亿零一"),
            (3_050_000, "三百零五万"),
        ] {
            assert_eq!(cardinal(n), want, "{n}");
        }
    }

    #[test]
    fn numbers_in_text() {
        for (text, want) in [
            ("2026年11月30日", "二〇二六年十一月三十日"),
            ("增长了3.5%。", "增长了百分之三点五。"),
            ("一共¥12。", "一共十二元。"),
            ("票价$5.50", "票价五点五美元"),
            ("早上10:30出发", "早上十点三十分出发"),
            ("8:05", "八点零五分"),
            ("2个人", "两个人"),
            ("第3章", "第三章"),
            ("1/2的人", "二分之一的人"),
            ("3-5天", "三到五天"),
            ("电话13812345678", "电话一三八一二三四五六七八"),
            ("２０２６年", "二〇二六年"),
            ("共1,234人", "共一千二百三十四人"),
            ("2000人", "两千人"),
            ("零下-5度", "零下负五度"),
            ("没有数字。", "没有数字。"),
        ] {
            assert_eq!(normalize(text), want, "{text}");
        }
    }
}
