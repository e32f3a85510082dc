//! Ordinal numbers as words in Spanish, French, Italian and Portuguese, for the places where
//! espeak-ng cannot tell one from the digits: "1.º", "2ª", "XIXe siècle", "Luigi XIV".
//!
//! Cardinals are left to espeak-ng, which reads digits natively in each language; ordinals
//! are composed from each language's own words (Real Academia Española, Accademia della
//! Crusca and Academia Brasileira de Letras usage; French from `num2words`' cardinals with
//! the suffix rules applied here, since that crate's French ordinals misspell "cinquième").
//! They are written for 1 to 999, which covers chapters, centuries, kings and floors; beyond
//! that `None`, and the caller falls back to the cardinal.

/// Masculine or feminine, where the language inflects ordinals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
}

/// Spanish: 1 → "primero", 21 → "vigésimo primero", 3 feminine → "tercera". With
/// `apocope`, a masculine ordinal before its noun drops its ending: "primer", "tercer".
pub fn es_ordinal(n: u64, gender: Gender, apocope: bool) -> Option<String> {
    const UNITS: [&str; 10] = [
        "", "primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo",
        "noveno",
    ];
    const TENS: [&str; 10] = [
        "",
        "décimo",
        "vigésimo",
        "trigésimo",
        "cuadragésimo",
        "quincuagésimo",
        "sexagésimo",
        "septuagésimo",
        "octogésimo",
        "nonagésimo",
    ];
    const HUNDREDS: [&str; 10] = [
        "",
        "centésimo",
        "ducentésimo",
        "tricentésimo",
        "cuadringentésimo",
        "quingentésimo",
        "sexcentésimo",
        "septingentésimo",
        "octingentésimo",
        "noningentésimo",
    ];
    let (h, t, u) = hundreds_tens_units(n)?;
    let mut parts: Vec<String> = Vec::new();
    if h > 0 {
        parts.push(HUNDREDS[h].into());
    }
    match (t, u) {
        (0, 0) => {}
        (0, u) => parts.push(UNITS[u].into()),
        (1, 0) => parts.push("décimo".into()),
        (1, 1) => parts.push("undécimo".into()),
        (1, 2) => parts.push("duodécimo".into()),
        // 13–19 are written as one word: decimotercero, decimoctavo.
        (1, u) => parts.push(format!("decimo{}", UNITS[u]).replace("decimoo", "decimo")),
        (t, 0) => parts.push(TENS[t].into()),
        (t, u) => {
            parts.push(TENS[t].into());
            parts.push(UNITS[u].into());
        }
    }
    let mut words = parts.join(" ");
    match gender {
        Gender::Feminine => words = feminine(&words),
        Gender::Masculine if apocope => {
            if words.ends_with("primero") || words.ends_with("tercero") {
                words.pop();
            }
        }
        Gender::Masculine => {}
    }
    Some(words)
}

/// Portuguese (Brazil): 1 → "primeiro", 11 → "décimo primeiro", 2 feminine → "segunda".
pub fn pt_ordinal(n: u64, gender: Gender) -> Option<String> {
    const UNITS: [&str; 10] = [
        "", "primeiro", "segundo", "terceiro", "quarto", "quinto", "sexto", "sétimo", "oitavo",
        "nono",
    ];
    const TENS: [&str; 10] = [
        "",
        "décimo",
        "vigésimo",
        "trigésimo",
        "quadragésimo",
        "quinquagésimo",
        "sexagésimo",
        "septuagésimo",
        "octogésimo",
        "nonagésimo",
    ];
    const HUNDREDS: [&str; 10] = [
        "",
        "centésimo",
        "ducentésimo",
        "trecentésimo",
        "quadringentésimo",
        "quingentésimo",
        "sexcentésimo",
        "septingentésimo",
        "octingentésimo",
        "nongentésimo",
    ];
    let (h, t, u) = hundreds_tens_units(n)?;
    let words = [HUNDREDS[h], TENS[t], UNITS[u]]
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(match gender {
        Gender::Masculine => words,
        Gender::Feminine => feminine(&words),
    })
}

/// The digits of 1–999 as table indices; `None` outside that range.
fn hundreds_tens_units(n: u64) -> Option<(usize, usize, usize)> {
    (1..=999).contains(&n).then_some((
        (n / 100) as usize,
        (n / 10 % 10) as usize,
        (n % 10) as usize,
    ))
}

/// Each word's final -o made -a: "vigésimo primero" → "vigésima primera".
fn feminine(words: &str) -> String {
    words
        .split(' ')
        .map(|w| match w.strip_suffix('o') {
            Some(stem) => format!("{stem}a"),
            None => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Italian cardinals 1–999, as ordinals are made from them: "ventitré", "centottanta".
fn it_cardinal(n: u64) -> String {
    const ONES: [&str; 20] = [
        "",
        "uno",
        "due",
        "tre",
        "quattro",
        "cinque",
        "sei",
        "sette",
        "otto",
        "nove",
        "dieci",
        "undici",
        "dodici",
        "tredici",
        "quattordici",
        "quindici",
        "sedici",
        "diciassette",
        "diciotto",
        "diciannove",
    ];
    const TENS: [&str; 10] = [
        "",
        "",
        "venti",
        "trenta",
        "quaranta",
        "cinquanta",
        "sessanta",
        "settanta",
        "ottanta",
        "novanta",
    ];
    let tens = |n: u64| -> String {
        if n < 20 {
            return ONES[n as usize].to_string();
        }
        let (t, u) = (TENS[(n / 10) as usize], n % 10);
        match u {
            0 => t.to_string(),
            // "venti" + "uno" → "ventuno": the vowel before uno and otto is dropped.
            1 | 8 => format!("{}{}", &t[..t.len() - 1], ONES[u as usize]),
            3 => format!("{t}tré"),
            u => format!("{t}{}", ONES[u as usize]),
        }
    };
    let (h, rest) = (n / 100, n % 100);
    let hundred = match h {
        0 => String::new(),
        1 => "cento".into(),
        h => format!("{}cento", ONES[h as usize]),
    };
    let rest = tens(rest);
    if hundred.ends_with('o') && rest.starts_with("ott") {
        // "cento" + "ottanta" → "centottanta", + "otto" → "centotto".
        format!("{}{rest}", &hundred[..hundred.len() - 1])
    } else {
        format!("{hundred}{rest}")
    }
}

/// Italian: 1 → "primo", 14 → "quattordicesimo", 23 → "ventitreesimo".
pub fn it_ordinal(n: u64, gender: Gender) -> Option<String> {
    const FIRST: [&str; 11] = [
        "", "primo", "secondo", "terzo", "quarto", "quinto", "sesto", "settimo", "ottavo", "nono",
        "decimo",
    ];
    if !(1..=999).contains(&n) {
        return None;
    }
    let masculine = if n <= 10 {
        FIRST[n as usize].to_string()
    } else {
        let cardinal = it_cardinal(n);
        if let Some(stem) = cardinal.strip_suffix("tré") {
            format!("{stem}treesimo")
        } else if cardinal.ends_with("sei") {
            format!("{cardinal}esimo")
        } else {
            let mut stem = cardinal;
            stem.pop();
            format!("{stem}esimo")
        }
    };
    Some(match gender {
        Gender::Masculine => masculine,
        Gender::Feminine => format!("{}a", &masculine[..masculine.len() - 1]),
    })
}

/// French: 1 → "premier" ("première"), 5 → "cinquième", 19 → "dix-neuvième", 80 →
/// "quatre-vingtième".
pub fn fr_ordinal(n: u64, gender: Gender) -> Option<String> {
    if !(1..=999).contains(&n) {
        return None;
    }
    if n == 1 {
        return Some(match gender {
            Gender::Masculine => "premier".into(),
            Gender::Feminine => "première".into(),
        });
    }
    let cardinal = num2words::Num2Words::new(n as i64)
        .lang(num2words::Lang::French)
        .to_words()
        .ok()?;
    // Only the last word takes the suffix: "vingt et un" → "vingt et unième".
    let (head, last) = match cardinal.rfind([' ', '-']) {
        Some(i) => cardinal.split_at(i + 1),
        None => ("", cardinal.as_str()),
    };
    let last = match last {
        "cinq" => "cinqu".to_string(),
        "neuf" => "neuv".to_string(),
        // The plural s of "quatre-vingts" and "deux cents" goes; "trois" keeps its own.
        "vingts" => "vingt".to_string(),
        "cents" => "cent".to_string(),
        other => other.strip_suffix('e').unwrap_or(other).to_string(),
    };
    Some(format!("{head}{last}ième"))
}

#[cfg(test)]
mod tests {
    use super::Gender::{Feminine as F, Masculine as M};
    use super::*;

    #[test]
    fn spanish_ordinals() {
        let cases = [
            (1, M, false, "primero"),
            (1, M, true, "primer"),
            (3, M, true, "tercer"),
            (3, F, false, "tercera"),
            (11, M, false, "undécimo"),
            (13, M, false, "decimotercero"),
            (18, M, false, "decimoctavo"),
            (21, M, true, "vigésimo primer"),
            (21, F, false, "vigésima primera"),
            (100, M, false, "centésimo"),
            (125, M, false, "centésimo vigésimo quinto"),
        ];
        for (n, g, apocope, want) in cases {
            assert_eq!(es_ordinal(n, g, apocope).unwrap(), want, "{n}");
        }
        assert_eq!(es_ordinal(0, M, false), None);
        assert_eq!(es_ordinal(1000, M, false), None);
    }

    #[test]
    fn portuguese_ordinals() {
        assert_eq!(pt_ordinal(1, M).unwrap(), "primeiro");
        assert_eq!(pt_ordinal(2, F).unwrap(), "segunda");
        assert_eq!(pt_ordinal(11, M).unwrap(), "décimo primeiro");
        assert_eq!(pt_ordinal(19, M).unwrap(), "décimo nono");
        assert_eq!(pt_ordinal(42, F).unwrap(), "quadragésima segunda");
        assert_eq!(pt_ordinal(300, M).unwrap(), "trecentésimo");
    }

    #[test]
    fn italian_ordinals() {
        let cases = [
            (1, "primo"),
            (10, "decimo"),
            (11, "undicesimo"),
            (14, "quattordicesimo"),
            (19, "diciannovesimo"),
            (20, "ventesimo"),
            (21, "ventunesimo"),
            (23, "ventitreesimo"),
            (26, "ventiseiesimo"),
            (28, "ventottesimo"),
            (33, "trentatreesimo"),
            (100, "centesimo"),
            (180, "centottantesimo"),
            (108, "centottesimo"),
        ];
        for (n, want) in cases {
            assert_eq!(it_ordinal(n, M).unwrap(), want, "{n}");
        }
        assert_eq!(it_ordinal(2, F).unwrap(), "seconda");
        assert_eq!(it_ordinal(19, F).unwrap(), "diciannovesima");
    }

    #[test]
    fn french_ordinals() {
        let cases = [
            (1, M, "premier"),
            (1, F, "première"),
            (2, M, "deuxième"),
            (4, M, "quatrième"),
            (5, M, "cinquième"),
            (9, M, "neuvième"),
            (11, M, "onzième"),
            (19, M, "dix-neuvième"),
            (21, M, "vingt et unième"),
            (80, M, "quatre-vingtième"),
            (200, M, "deux centième"),
            (3, M, "troisième"),
            (6, M, "sixième"),
        ];
        for (n, g, want) in cases {
            assert_eq!(fr_ordinal(n, g).unwrap(), want, "{n}");
        }
    }
}
