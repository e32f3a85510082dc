//! Spanish, French, Italian and Portuguese: what espeak-ng would misread, rewritten as a
//! narrator says it.
//!
//! espeak-ng reads digits, decimals with a comma, percentages and most times natively in each
//! of these languages, so numbers are mostly left to it. What it gets wrong, and what is
//! rewritten here: abbreviations ("Sr.", "Mme", "Sig.ra", "p. ex."), ordinal marks ("1.º",
//! "2ª", "1er", "XIXe"), roman numerals after names and before centuries and chapters
//! ("Felipe II" → "segundo", "Louis XIV" → "quatorze", "secolo XIX" → "diciannovesimo"),
//! money with its symbol in front ("$5" → "5 dólares"), units ("5 km"), degrees, French and
//! Portuguese hours ("14h30"), numeric dates ("3/5/1999"), and thousands grouped with spaces
//! ("1 000 000"). The rules are one list for the four languages; what differs between them
//! is a [`Romance`] value's words.

use std::sync::LazyLock;

use regex::Captures;

use super::romance_words::{Gender, es_ordinal, fr_ordinal, it_ordinal, pt_ordinal};
use super::rules::{Rule, apply, rule};
use super::words::roman;

/// One of the four languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Romance {
    Es,
    Fr,
    It,
    Pt,
}

impl Romance {
    /// An ordinal in words; the cardinal's digits where the language has no word for it.
    fn ordinal(self, n: u64, gender: Gender) -> String {
        let words = match self {
            Romance::Es => es_ordinal(n, gender, false),
            Romance::Fr => fr_ordinal(n, gender),
            Romance::It => it_ordinal(n, gender),
            Romance::Pt => pt_ordinal(n, gender),
        };
        words.unwrap_or_else(|| n.to_string())
    }

    /// How a roman numeral after a ruler's name is read: Spanish and Portuguese say ordinals
    /// up to ten and cardinals above ("Felipe II" → "segundo", "Alfonso XIII" → "trece");
    /// French says cardinals except for the first ("Louis XIV" → "quatorze"); Italian says
    /// ordinals ("Luigi XIV" → "quattordicesimo").
    fn regnal(self, n: u64) -> String {
        match self {
            Romance::Es | Romance::Pt if n <= 10 => self.ordinal(n, Gender::Masculine),
            Romance::Fr if n == 1 => "premier".into(),
            Romance::It => self.ordinal(n, Gender::Masculine),
            _ => n.to_string(),
        }
    }

    /// A numbered part ("capítulo III", "Canto III", "siècle XIX"): a cardinal, except in
    /// Italian, which says the ordinal ("Canto terzo", "secolo diciannovesimo").
    fn numbered(self, n: u64) -> String {
        match self {
            Romance::It => self.ordinal(n, Gender::Masculine),
            _ => n.to_string(),
        }
    }

    fn months(self) -> [&'static str; 12] {
        match self {
            Romance::Es => [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            Romance::Fr => [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            Romance::It => [
                "gennaio",
                "febbraio",
                "marzo",
                "aprile",
                "maggio",
                "giugno",
                "luglio",
                "agosto",
                "settembre",
                "ottobre",
                "novembre",
                "dicembre",
            ],
            Romance::Pt => [
                "janeiro",
                "fevereiro",
                "março",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
        }
    }

    /// A currency's name, singular or plural, from its symbol.
    fn currency(self, symbol: &str, one: bool) -> &'static str {
        let (es, fr, it, pt): ([&str; 2], [&str; 2], [&str; 2], [&str; 2]) = match symbol {
            "€" => (
                ["euro", "euros"],
                ["euro", "euros"],
                ["euro", "euro"],
                ["euro", "euros"],
            ),
            "£" => (
                ["libra", "libras"],
                ["livre", "livres"],
                ["sterlina", "sterline"],
                ["libra", "libras"],
            ),
            "¥" => (
                ["yen", "yenes"],
                ["yen", "yens"],
                ["yen", "yen"],
                ["iene", "ienes"],
            ),
            "R$" => (
                ["real", "reales"],
                ["réal", "réaux"],
                ["real", "real"],
                ["real", "reais"],
            ),
            _ => (
                ["dólar", "dólares"],
                ["dollar", "dollars"],
                ["dollaro", "dollari"],
                ["dólar", "dólares"],
            ),
        };
        let pair = match self {
            Romance::Es => es,
            Romance::Fr => fr,
            Romance::It => it,
            Romance::Pt => pt,
        };
        pair[usize::from(!one)]
    }

    /// What joins units of money to their cents: "5 euros con 50"; French says none ("cinq
    /// euros cinquante").
    fn and_cents(self) -> &'static str {
        match self {
            Romance::Es => "con",
            Romance::Fr => "",
            Romance::It | Romance::Pt => "e",
        }
    }

    /// The hundredth of a currency, for amounts under one: "50 céntimos".
    fn cents(self, symbol: &str, one: bool) -> &'static str {
        let pair: [&str; 2] = match (self, symbol) {
            (Romance::Es, "€") => ["céntimo", "céntimos"],
            (Romance::Es, _) => ["centavo", "centavos"],
            (Romance::Fr, _) => ["centime", "centimes"],
            (Romance::It, _) => ["centesimo", "centesimi"],
            (Romance::Pt, _) => ["centavo", "centavos"],
        };
        pair[usize::from(!one)]
    }

    /// A unit's name after a number, singular or plural.
    fn unit(self, symbol: &str, one: bool) -> Option<&'static str> {
        let names: [[&str; 2]; 4] = match symbol {
            "km/h" => [
                ["kilómetro por hora", "kilómetros por hora"],
                ["kilomètre à l'heure", "kilomètres à l'heure"],
                ["chilometro orario", "chilometri orari"],
                ["quilômetro por hora", "quilômetros por hora"],
            ],
            "km" => [
                ["kilómetro", "kilómetros"],
                ["kilomètre", "kilomètres"],
                ["chilometro", "chilometri"],
                ["quilômetro", "quilômetros"],
            ],
            "m" => [
                ["metro", "metros"],
                ["mètre", "mètres"],
                ["metro", "metri"],
                ["metro", "metros"],
            ],
            "cm" => [
                ["centímetro", "centímetros"],
                ["centimètre", "centimètres"],
                ["centimetro", "centimetri"],
                ["centímetro", "centímetros"],
            ],
            "mm" => [
                ["milímetro", "milímetros"],
                ["millimètre", "millimètres"],
                ["millimetro", "millimetri"],
                ["milímetro", "milímetros"],
            ],
            "kg" => [
                ["kilo", "kilos"],
                ["kilo", "kilos"],
                ["chilo", "chili"],
                ["quilo", "quilos"],
            ],
            "g" => [
                ["gramo", "gramos"],
                ["gramme", "grammes"],
                ["grammo", "grammi"],
                ["grama", "gramas"],
            ],
            "mg" => [
                ["miligramo", "miligramos"],
                ["milligramme", "milligrammes"],
                ["milligrammo", "milligrammi"],
                ["miligrama", "miligramas"],
            ],
            "l" => [
                ["litro", "litros"],
                ["litre", "litres"],
                ["litro", "litri"],
                ["litro", "litros"],
            ],
            "ml" => [
                ["mililitro", "mililitros"],
                ["millilitre", "millilitres"],
                ["millilitro", "millilitri"],
                ["mililitro", "mililitros"],
            ],
            "h" => [
                ["hora", "horas"],
                ["heure", "heures"],
                ["ora", "ore"],
                ["hora", "horas"],
            ],
            "min" => [
                ["minuto", "minutos"],
                ["minute", "minutes"],
                ["minuto", "minuti"],
                ["minuto", "minutos"],
            ],
            _ => return None,
        };
        let pair = names[self as usize];
        Some(pair[usize::from(!one)])
    }

    fn degrees(self, scale: &str) -> String {
        let scale = if scale == "F" {
            "Fahrenheit"
        } else {
            "Celsius"
        };
        let word = match self {
            Romance::Es => "grados",
            Romance::Fr => "degrés",
            Romance::It => "gradi",
            Romance::Pt => "graus",
        };
        format!("{word} {scale}")
    }

    /// Abbreviations and their words; `title` ones only before a capitalized name.
    fn abbreviations(self) -> &'static [Abbrev] {
        match self {
            Romance::Es => ES,
            Romance::Fr => FR,
            Romance::It => IT,
            Romance::Pt => PT,
        }
    }
}

/// An abbreviation as written (its final dot included where it has one) and its words.
struct Abbrev {
    written: &'static str,
    said: &'static str,
    when: When,
}

/// Where an abbreviation is one, rather than a word or an initial.
#[derive(Clone, Copy, PartialEq)]
enum When {
    /// Anywhere.
    Always,
    /// Before a capitalized word (a name): "M. Dupont", "S. Francesco".
    BeforeName,
    /// Before a number: "p. 12", "art. 5".
    BeforeNumber,
    /// Anywhere, and it can end a sentence ("etc."), so its dot is kept there.
    Ends,
}

const fn title(written: &'static str, said: &'static str) -> Abbrev {
    Abbrev {
        written,
        said,
        when: When::Always,
    }
}

const fn before_name(written: &'static str, said: &'static str) -> Abbrev {
    Abbrev {
        written,
        said,
        when: When::BeforeName,
    }
}

const fn before_number(written: &'static str, said: &'static str) -> Abbrev {
    Abbrev {
        written,
        said,
        when: When::BeforeNumber,
    }
}

const fn ending(written: &'static str, said: &'static str) -> Abbrev {
    Abbrev {
        written,
        said,
        when: When::Ends,
    }
}

const ES: &[Abbrev] = &[
    title("Sr.", "señor"),
    title("Sres.", "señores"),
    title("Sra.", "señora"),
    title("Sras.", "señoras"),
    title("Srta.", "señorita"),
    title("Dr.", "doctor"),
    title("Dra.", "doctora"),
    title("Dres.", "doctores"),
    before_name("D.", "don"),
    title("Dña.", "doña"),
    title("Ud.", "usted"),
    title("Uds.", "ustedes"),
    title("Vd.", "usted"),
    title("Vds.", "ustedes"),
    title("Lic.", "licenciado"),
    title("Prof.", "profesor"),
    title("Profa.", "profesora"),
    title("Sto.", "santo"),
    title("Sta.", "santa"),
    title("Gral.", "general"),
    title("Av.", "avenida"),
    title("Avda.", "avenida"),
    title("p. ej.", "por ejemplo"),
    title("pág.", "página"),
    title("págs.", "páginas"),
    title("núm.", "número"),
    title("n.º", "número"),
    title("nº", "número"),
    title("aprox.", "aproximadamente"),
    title("Ing.", "ingeniero"),
    title("tel.", "teléfono"),
    before_number("art.", "artículo"),
    before_number("cap.", "capítulo"),
    title("EE. UU.", "Estados Unidos"),
    title("EE.UU.", "Estados Unidos"),
    ending("a. C.", "antes de Cristo"),
    ending("d. C.", "después de Cristo"),
    ending("a.C.", "antes de Cristo"),
    ending("d.C.", "después de Cristo"),
    ending("etc.", "etcétera"),
];

const FR: &[Abbrev] = &[
    before_name("M.", "monsieur"),
    before_name("MM.", "messieurs"),
    title("Mme", "madame"),
    title("Mmes", "mesdames"),
    title("Mlle", "mademoiselle"),
    title("Mlles", "mesdemoiselles"),
    before_name("Dr", "docteur"),
    before_name("Dr.", "docteur"),
    before_name("Pr", "professeur"),
    before_name("Me", "maître"),
    title("Mgr", "monseigneur"),
    before_name("St", "saint"),
    before_name("Ste", "sainte"),
    title("p. ex.", "par exemple"),
    title("c.-à-d.", "c'est-à-dire"),
    title("cf.", "confer"),
    title("env.", "environ"),
    title("chap.", "chapitre"),
    title("vol.", "volume"),
    title("Cie", "compagnie"),
    before_number("p.", "page"),
    before_number("pp.", "pages"),
    before_number("art.", "article"),
    ending("av. J.-C.", "avant Jésus-Christ"),
    ending("apr. J.-C.", "après Jésus-Christ"),
    ending("J.-C.", "Jésus-Christ"),
    ending("etc.", "et cetera"),
];

const IT: &[Abbrev] = &[
    title("Sig.ra", "signora"),
    title("Sig.na", "signorina"),
    title("Sigg.", "signori"),
    title("Sig.", "signor"),
    title("Dott.ssa", "dottoressa"),
    title("Dott.", "dottor"),
    title("Dr.", "dottor"),
    title("Prof.ssa", "professoressa"),
    title("Prof.", "professor"),
    title("Ing.", "ingegner"),
    title("Avv.", "avvocato"),
    title("Mons.", "monsignor"),
    title("On.", "onorevole"),
    before_name("S.", "san"),
    title("p. es.", "per esempio"),
    title("pag.", "pagina"),
    title("pagg.", "pagine"),
    title("cap.", "capitolo"),
    title("vol.", "volume"),
    ending("a.C.", "avanti Cristo"),
    ending("d.C.", "dopo Cristo"),
    ending("a. C.", "avanti Cristo"),
    ending("d. C.", "dopo Cristo"),
    ending("ecc.", "eccetera"),
];

const PT: &[Abbrev] = &[
    title("Sr.", "senhor"),
    title("Srs.", "senhores"),
    title("Sra.", "senhora"),
    title("Sras.", "senhoras"),
    title("Srta.", "senhorita"),
    title("Dr.", "doutor"),
    title("Dra.", "doutora"),
    title("Drs.", "doutores"),
    title("Prof.", "professor"),
    title("Profa.", "professora"),
    title("V. Exa.", "vossa excelência"),
    title("V. Sa.", "vossa senhoria"),
    title("p. ex.", "por exemplo"),
    title("pág.", "página"),
    title("págs.", "páginas"),
    title("n.º", "número"),
    title("nº", "número"),
    title("Av.", "avenida"),
    title("cap.", "capítulo"),
    before_number("art.", "artigo"),
    ending("a.C.", "antes de Cristo"),
    ending("d.C.", "depois de Cristo"),
    ending("a. C.", "antes de Cristo"),
    ending("d. C.", "depois de Cristo"),
    ending("etc.", "et cetera"),
];

/// An amount of money: digits with thousands grouped by dots, commas or spaces ("1.500",
/// "1 500"), then up to two decimals after a comma or dot ("12,50"). A group of three after
/// a separator is thousands; one or two is cents.
const AMOUNT: &str = r"\b(\d{1,3}(?:[., ]\d{3})+|\d+)(?:[.,](\d{1,2}))?\b";

/// Words before a roman numeral that make it a numbered part.
const PARTS: &str = "capítulo|capitulo|cap[íi]tulos|chapitre|capitolo|canto|cantos|libro|livre|livro|tomo|tome|parte|partie|acto|acte|atto|ato|escena|scène|scena|cena|volumen|volume|lección|leçon|lezione|lição|título|titre|titolo|siglo|siècle|secolo|século|sección|section|sezione|seção|salmo|psaume|canción|chanson";

fn number(s: &str) -> u64 {
    s.parse().unwrap_or(0)
}

static RULES: LazyLock<Vec<Rule<Romance>>> = LazyLock::new(|| {
    vec![
        rule(
            // Italian elides "che" and "gli" before a vowel ("ch'i' vi trovai",
            // "gl'infiniti"); espeak-ng spells an apostrophe after two consonants letter by
            // letter ("ci acca"), so the elided word is joined to the next as it is said.
            "italian-elision",
            r"\b([Cc]h|[Gg]h|[Gg]l)['’](\p{L})",
            |c, lang| match lang {
                Romance::It => format!("{}{}", &c[1], &c[2]),
                _ => c[0].to_string(),
            },
        ),
        rule(
            // "D. Pedro" is dom, "D. Maria" dona: the title follows the name's gender.
            "portuguese-dom",
            r"\bD\. (\p{Lu}\p{L}+)",
            |c, lang| match lang {
                Romance::Pt if c[1].ends_with('a') => format!("dona {}", &c[1]),
                Romance::Pt => format!("dom {}", &c[1]),
                _ => c[0].to_string(),
            },
        ),
        rule(
            // Italian also writes the century first: "nel XV secolo".
            "century-first",
            r"\b([IVXLC]{2,}|[IVX]) (secolo|secoli)\b",
            |c, lang| match (lang, roman(&c[1])) {
                (Romance::It, Some(n)) => {
                    format!("{} {}", lang.ordinal(n, Gender::Masculine), &c[2])
                }
                _ => c[0].to_string(),
            },
        ),
        // Thousands grouped with spaces ("1 000 000", as French and the Real Academia write
        // them) are one number; a telephone number, said in groups, is left as it is.
        rule(
            "thousands-spaced",
            r"(?i)(teléfono|telefone|telefono|téléphone|tél\.|tel\.|móvil|celular)?(\s*)\b(\d{1,3})((?: \d{3})+)\b",
            |c, _| match c.get(1) {
                Some(_) => c[0].to_string(),
                None => format!("{}{}{}", &c[2], &c[3], c[4].replace(' ', "")),
            },
        ),
        rule(
            "money-symbol-first",
            &format!(r"(US\$|R\$|A\$|C\$|\$|€|£|¥)\s?{AMOUNT}"),
            |c, lang| money(lang, &c[1], &c[2], c.get(3).map(|m| m.as_str())),
        ),
        rule(
            "money-symbol-after",
            &format!(r"{AMOUNT}\s?(US\$|R\$|\$|€|£|¥)"),
            |c, lang| money(lang, &c[3], &c[1], c.get(2).map(|m| m.as_str())),
        ),
        rule(
            "degrees",
            r"(\d+(?:[.,]\d+)?)\s?°\s?([CF])\b",
            |c, lang| format!("{} {}", &c[1], lang.degrees(&c[2])),
        ),
        rule("date", r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", |c, lang| {
            date(lang, number(&c[1]), number(&c[2]), &c[3])
        }),
        // "14h30" (and French "14 h 30") is how French and Portuguese write the time; in
        // Spanish and Italian "2 h 15" is a duration, read by the units rule.
        rule(
            "hours",
            r"\b([01]?\d|2[0-4])\s?h\s?([0-5]\d)\b",
            |c, lang| match lang {
                Romance::Fr => format!("{} heures {}", &c[1], &c[2]),
                Romance::Pt => format!("{} horas e {}", &c[1], &c[2]),
                Romance::Es | Romance::It => c[0].to_string(),
            },
        ),
        rule(
            "italian-clock",
            r"\b(alle|dalle|verso le|ore)\s(\d{1,2})\.([0-5]\d)\b",
            |c, lang| match lang {
                Romance::It => format!("{} {} e {}", &c[1], &c[2], &c[3]),
                _ => c[0].to_string(),
            },
        ),
        rule(
            "ordinal-mark",
            // 1.º, 1º, 2.ª, 2ª, 1.er; in Italian also the degree sign: "1° maggio".
            r"\b(\d{1,3})\.?(º|ª|er\b|°)(\s+\p{L})?",
            |c, lang| {
                let n = number(&c[1]);
                let next = c.get(3).map(|m| m.as_str()).unwrap_or("");
                let word = match (&c[2], lang) {
                    ("°", Romance::It) if !next.is_empty() => lang.ordinal(n, Gender::Masculine),
                    ("°", _) => return c[0].to_string(),
                    ("ª", _) => lang.ordinal(n, Gender::Feminine),
                    ("er", Romance::Es) => {
                        es_ordinal(n, Gender::Masculine, true).unwrap_or_else(|| n.to_string())
                    }
                    ("er", _) => return c[0].to_string(),
                    _ => lang.ordinal(n, Gender::Masculine),
                };
                format!("{word}{next}")
            },
        ),
        rule(
            "french-ordinal",
            // A lone C or L before "e" is a word ("Ce", "Le"), not a numeral.
            r"\b(\d{1,3}|[IVXLC]{2,}|[IVX])(er|re|ère|e|ème|eme|nd|nde|d|de)\b",
            |c, lang| {
                let n = roman(&c[1]).unwrap_or_else(|| number(&c[1]));
                if lang != Romance::Fr || n == 0 {
                    return c[0].to_string();
                }
                match &c[2] {
                    "nd" | "d" => "second".into(),
                    "nde" | "de" => "seconde".into(),
                    "er" if n == 1 => "premier".into(),
                    "re" | "ère" if n == 1 => "première".into(),
                    "er" | "re" | "ère" => c[0].to_string(),
                    _ => lang.ordinal(n, Gender::Masculine),
                }
            },
        ),
        rule(
            "numbered-part",
            &format!(r"(?i)\b({PARTS})\s+([IVXLCDM]+)\b"),
            |c, lang| match roman(&c[2]).filter(|_| is_upper(&c[2])) {
                Some(n) => format!("{} {}", &c[1], lang.numbered(n)),
                None => c[0].to_string(),
            },
        ),
        rule(
            "regnal",
            r"\b(\p{Lu}\p{Ll}+) ([IVXL]{2,}|[IVX])\b",
            |c, lang| match roman(&c[2]) {
                Some(n) if !matches!(&c[1], "Vitamina" | "Vitamine") => {
                    format!("{} {}", &c[1], lang.regnal(n))
                }
                _ => c[0].to_string(),
            },
        ),
        rule(
            "units",
            r"\b(\d+(?:[.,]\d+)?)\s?(km/h|km|cm|mm|kg|mg|ml|min|m|g|l|h)\b",
            |c, lang| match lang.unit(&c[2], &c[1] == "1") {
                Some(name) => format!("{} {name}", &c[1]),
                None => c[0].to_string(),
            },
        ),
        rule(
            "number-sign",
            r"\b(?:n°|nº|N°|Nº|n\.º|No\.|no\.)\s?(\d+)",
            |c, lang| {
                let word = match lang {
                    Romance::Es | Romance::Pt => "número",
                    Romance::Fr => "numéro",
                    Romance::It => "numero",
                };
                format!("{word} {}", &c[1])
            },
        ),
    ]
});

fn is_upper(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_uppercase())
}

fn money(lang: Romance, symbol: &str, whole: &str, cents: Option<&str>) -> String {
    let symbol = match symbol {
        "US$" | "A$" | "C$" => "$",
        other => other,
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        w => w,
    };
    // "12,5 €" is twelve euros fifty.
    let cents = cents.map(|c| {
        if c.len() == 1 {
            format!("{c}0")
        } else {
            c.to_string()
        }
    });
    let cents = cents
        .as_deref()
        .map(|c| c.trim_start_matches('0'))
        .filter(|c| !c.is_empty());
    let name = lang.currency(symbol, whole == "1");
    match (whole, cents) {
        ("0", Some(cents)) => format!("{cents} {}", lang.cents(symbol, cents == "1")),
        (whole, Some(cents)) => match lang.and_cents() {
            "" => format!("{whole} {name} {cents}"),
            and => format!("{whole} {name} {and} {cents}"),
        },
        (whole, None) => format!("{whole} {name}"),
    }
}

fn date(lang: Romance, day: u64, month: u64, year: &str) -> String {
    let Some(name) = month
        .checked_sub(1)
        .and_then(|m| lang.months().get(m as usize).copied())
        .filter(|_| (1..=31).contains(&day))
    else {
        return format!("{day}/{month}/{year}");
    };
    match lang {
        Romance::Es | Romance::Pt => format!("{day} de {name} de {year}"),
        Romance::Fr if day == 1 => format!("premier {name} {year}"),
        Romance::It if day == 1 => format!("primo {name} {year}"),
        _ => format!("{day} {name} {year}"),
    }
}

/// The abbreviations of one language, longest first, as one pattern each.
struct Abbreviations {
    pattern: regex::Regex,
    table: &'static [Abbrev],
}

fn abbreviations(lang: Romance) -> &'static Abbreviations {
    static ALL: LazyLock<Vec<Abbreviations>> = LazyLock::new(|| {
        [Romance::Es, Romance::Fr, Romance::It, Romance::Pt]
            .into_iter()
            .map(|lang| {
                let mut table: Vec<&Abbrev> = lang.abbreviations().iter().collect();
                table.sort_by_key(|a| std::cmp::Reverse(a.written.len()));
                let alternatives: Vec<String> =
                    table.iter().map(|a| regex::escape(a.written)).collect();
                // An abbreviation stands alone: not inside a word, and (without its own dot)
                // not followed by more letters.
                let pattern = format!(
                    r"(^|[\s(«“\x22'—-])({})(\s+\S+|$|[,;:.!?)»”\x22])",
                    alternatives.join("|")
                );
                Abbreviations {
                    pattern: regex::Regex::new(&pattern)
                        .expect("the abbreviation tables make a valid pattern. This is a bug"),
                    table: lang.abbreviations(),
                }
            })
            .collect()
    });
    &ALL[lang as usize]
}

fn expand_abbreviations(lang: Romance, line: &str) -> String {
    let abbrevs = abbreviations(lang);
    let mut out = line.to_string();
    // Run to a fixed point: adjacent abbreviations share the space between them.
    for _ in 0..4 {
        let next = abbrevs
            .pattern
            .replace_all(&out, |c: &Captures| {
                let Some(a) = abbrevs.table.iter().find(|a| a.written == &c[2]) else {
                    return c[0].to_string();
                };
                let after = &c[3];
                let next = after.trim_start();
                let capital_follows = next.chars().next().is_some_and(char::is_uppercase);
                // "M. Dupont", and in French also "M. le maire", "M. et Mme Dupont".
                let word = next.split_whitespace().next().unwrap_or("");
                let name_follows = capital_follows
                    || (lang == Romance::Fr
                        && (matches!(word, "le" | "et" | "de" | "du") || word.starts_with("l'")));
                let number_follows = next.chars().next().is_some_and(|c| c.is_ascii_digit());
                match a.when {
                    When::BeforeName if !name_follows => return c[0].to_string(),
                    When::BeforeNumber if !number_follows => return c[0].to_string(),
                    _ => {}
                }
                // A dot that also ended the sentence (or the paragraph) stays.
                let stop = if after.is_empty() || (a.when == When::Ends && capital_follows) {
                    "."
                } else {
                    ""
                };
                // An abbreviation that opens a sentence opens it with a capital.
                let start = c.get(2).map_or(0, |m| m.start());
                let said = if sentence_starts_at(&out, start) {
                    capitalized(a.said)
                } else {
                    a.said.to_string()
                };
                format!("{}{said}{stop}{after}", &c[1])
            })
            .into_owned();
        if next == out {
            break;
        }
        out = next;
    }
    out
}

/// Whether a sentence begins at byte `at` of `text`: at its start, or after a full stop,
/// question or exclamation mark (and any quotes or dashes).
fn sentence_starts_at(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '«' | '“' | '—' | '¿' | '¡' | '(')
    });
    before.is_empty() || before.ends_with(['.', '!', '?', '…'])
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Normalizes one line in `lang`.
pub fn normalize(line: &str, lang: Romance) -> String {
    let line = expand_abbreviations(lang, line);
    apply(&RULES, &line, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lang: Romance, cases: &[(&str, &str)]) {
        for (input, want) in cases {
            assert_eq!(normalize(input, lang), *want, "{lang:?}: {input}");
        }
    }

    #[test]
    fn spanish() {
        check(
            Romance::Es,
            &[
                (
                    "El Sr. García y la Sra. López.",
                    "El señor García y la señora López.",
                ),
                (
                    "La Dra. Ruiz llegó con D. Pedro.",
                    "La doctora Ruiz llegó con don Pedro.",
                ),
                (
                    "Frutas, verduras, etc. Luego",
                    "Frutas, verduras, etcétera. Luego",
                ),
                (
                    "libros, cuadernos, etc., y más",
                    "libros, cuadernos, etcétera, y más",
                ),
                ("p. ej. esto", "Por ejemplo esto"),
                (
                    "Ud. tiene razón y el art. 5 lo dice.",
                    "Usted tiene razón y el artículo 5 lo dice.",
                ),
                ("el 1.º de mayo", "el primero de mayo"),
                ("la 2.ª vez", "la segunda vez"),
                ("el 1.er piso", "el primer piso"),
                ("Felipe II y Alfonso XIII", "Felipe segundo y Alfonso 13"),
                ("el siglo XIX", "el siglo 19"),
                ("Capítulo IV", "Capítulo 4"),
                ("cuesta $5 o 20 €", "cuesta 5 dólares o 20 euros"),
                ("12,50 €", "12 euros con 50"),
                ("pagó $1.500 y 0,50 €", "pagó 1500 dólares y 50 céntimos"),
                ("Tardó 2 h 15 min.", "Tardó 2 horas 15 minutos."),
                ("Llame al tel. 915 555 123", "Llame al teléfono 915 555 123"),
                ("el 3/5/1999", "el 3 de mayo de 1999"),
                ("a 25 °C", "a 25 grados Celsius"),
                ("corrió 5 km en 1 h", "corrió 5 kilómetros en 1 hora"),
                ("1 000 000 de personas", "1000000 de personas"),
                (
                    "en el año 500 a. C. hubo",
                    "en el año 500 antes de Cristo hubo",
                ),
                ("Vitamina C", "Vitamina C"),
                ("La casa es mía.", "La casa es mía."),
            ],
        );
    }

    #[test]
    fn french() {
        check(
            Romance::Fr,
            &[
                (
                    "M. Dupont et Mme Martin",
                    "Monsieur Dupont et madame Martin",
                ),
                (
                    "Mlle Duval et Me Leroy",
                    "Mademoiselle Duval et maître Leroy",
                ),
                ("M. le maire", "Monsieur le maire"),
                ("M. et Mme Dupont", "Monsieur et madame Dupont"),
                ("Voir p. 12 et la Cie.", "Voir page 12 et la compagnie."),
                (
                    "Il arrive. Mlle Durand sourit.",
                    "Il arrive. Mademoiselle Durand sourit.",
                ),
                ("Ce matin, Le Havre", "Ce matin, Le Havre"),
                ("p. ex. ceci", "Par exemple ceci"),
                ("le 1er mai", "le premier mai"),
                ("la 1re fois", "la première fois"),
                ("le 2e jour et le 3ème", "le deuxième jour et le troisième"),
                ("le XIXe siècle", "le dix-neuvième siècle"),
                ("François Ier", "François premier"),
                ("Louis XIV", "Louis 14"),
                ("chapitre III", "chapitre 3"),
                ("à 14h30", "à 14 heures 30"),
                ("12,50 €", "12 euros 50"),
                ("€ 1.500,00 et 14 h 30", "1500 euros et 14 heures 30"),
                ("n° 5", "numéro 5"),
                ("1 000 000 de personnes", "1000000 de personnes"),
                ("en 52 av. J.-C.", "en 52 avant Jésus-Christ."),
            ],
        );
    }

    #[test]
    fn italian() {
        check(
            Romance::It,
            &[
                (
                    "il Sig. Rossi e la Sig.ra Bianchi",
                    "il signor Rossi e la signora Bianchi",
                ),
                ("il Dott. Verdi", "il dottor Verdi"),
                ("il 1° maggio", "il primo maggio"),
                ("la 2ª volta", "la seconda volta"),
                ("Luigi XIV", "Luigi quattordicesimo"),
                ("il secolo XIX", "il secolo diciannovesimo"),
                ("Canto III", "Canto terzo"),
                ("alle 14.30", "alle 14 e 30"),
                ("ecc.", "Eccetera."),
                ("Sig. Rossi, venga.", "Signor Rossi, venga."),
                ("S. Francesco", "San Francesco"),
                ("nel XV secolo", "nel quindicesimo secolo"),
                ("del ben ch'i' vi trovai", "del ben chi' vi trovai"),
                ("gl'infiniti e ch’elli", "glinfiniti e chelli"),
                ("5 km", "5 chilometri"),
            ],
        );
    }

    #[test]
    fn portuguese() {
        check(
            Romance::Pt,
            &[
                (
                    "o Sr. Silva e a Sra. Souza",
                    "o senhor Silva e a senhora Souza",
                ),
                ("o 1º lugar", "o primeiro lugar"),
                ("a 2ª vez", "a segunda vez"),
                ("Dom Pedro II", "Dom Pedro segundo"),
                ("o século XIX", "o século 19"),
                ("às 14h30", "às 14 horas e 30"),
                ("R$ 12,50", "12 reais e 50"),
                ("R$ 1.500,00 e R$ 0,50", "1500 reais e 50 centavos"),
                ("V. Exa. chegou", "Vossa excelência chegou"),
                ("Falou com a V. Exa.", "Falou com a vossa excelência."),
                (
                    "D. João VI e D. Maria I",
                    "dom João sexto e dona Maria primeiro",
                ),
            ],
        );
    }
}
