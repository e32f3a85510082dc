//! Languages: the one type every stage shares, and how a book's language is decided.
//!
//! [`Lang`] is a language Kokoro v1.0 has voices for. Extract records the tags a book gives
//! (the package's `dc:language`, `xml:lang` on elements) and what its text reads as
//! ([`detect`]); convert decides the book's language once ([`choose`]); the script stage
//! normalizes, the synthesize stage phonemizes and picks its default voice, and assemble tags
//! the M4B, each by that one value. A passage marked with another language travels inside the
//! text as a span ([`spans`]) and is phonemized in its own language.
//!
//! A tag is read the way BCP 47 writes it (`pt-BR`, `en_GB`, `fr`, ISO 639-2/3 codes such as
//! `spa` too); a language Kokoro has no voices for keeps its tag and its English name (from
//! ISO 639, via the `isolang` crate) so that a refusal can say what the book is in.

pub mod detect;
pub mod spans;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use detect::Detected;

/// A language Kokoro v1.0 speaks (its voices and its G2P front ends; see
/// <https://huggingface.co/hexgrad/Kokoro-82M/blob/main/VOICES.md>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "en-us")]
    EnUs,
    #[serde(rename = "en-gb")]
    EnGb,
    #[serde(rename = "es")]
    Es,
    #[serde(rename = "fr")]
    Fr,
    #[serde(rename = "it")]
    It,
    #[serde(rename = "pt-br")]
    PtBr,
    #[serde(rename = "hi")]
    Hi,
    #[serde(rename = "ja")]
    Ja,
    #[serde(rename = "zh")]
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 9] = [
        Lang::EnUs,
        Lang::EnGb,
        Lang::Es,
        Lang::Fr,
        Lang::It,
        Lang::PtBr,
        Lang::Hi,
        Lang::Ja,
        Lang::Zh,
    ];

    /// The code `--lang` takes and Kokoro's own pipeline uses: `en-us`, `pt-br`, `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::EnUs => "en-us",
            Lang::EnGb => "en-gb",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::It => "it",
            Lang::PtBr => "pt-br",
            Lang::Hi => "hi",
            Lang::Ja => "ja",
            Lang::Zh => "zh",
        }
    }

    /// Its name in English.
    pub fn name(self) -> &'static str {
        match self {
            Lang::EnUs => "American English",
            Lang::EnGb => "British English",
            Lang::Es => "Spanish",
            Lang::Fr => "French",
            Lang::It => "Italian",
            Lang::PtBr => "Brazilian Portuguese",
            Lang::Hi => "Hindi",
            Lang::Ja => "Japanese",
            Lang::Zh => "Mandarin Chinese",
        }
    }

    /// The ISO 639-1 primary language: `en` for both Englishes.
    pub fn primary(self) -> &'static str {
        match self {
            Lang::EnUs | Lang::EnGb => "en",
            Lang::PtBr => "pt",
            other => other.code(),
        }
    }

    /// ISO 639-2/T, what an MP4 file's language field holds.
    pub fn iso639_2(self) -> &'static str {
        match self {
            Lang::EnUs | Lang::EnGb => "eng",
            Lang::Es => "spa",
            Lang::Fr => "fra",
            Lang::It => "ita",
            Lang::PtBr => "por",
            Lang::Hi => "hin",
            Lang::Ja => "jpn",
            Lang::Zh => "zho",
        }
    }

    /// The first letter of its voices' names (`ef_dora` is Spanish).
    pub fn voice_prefix(self) -> char {
        match self {
            Lang::EnUs => 'a',
            Lang::EnGb => 'b',
            Lang::Es => 'e',
            Lang::Fr => 'f',
            Lang::It => 'i',
            Lang::PtBr => 'p',
            Lang::Hi => 'h',
            Lang::Ja => 'j',
            Lang::Zh => 'z',
        }
    }

    /// The voice Kokoro's own pipeline uses by default (misaki/kokoro 0.9; ASSETS.md).
    pub fn default_voice(self) -> &'static str {
        match self {
            Lang::EnUs => "af_heart",
            Lang::EnGb => "bf_emma",
            Lang::Es => "ef_dora",
            Lang::Fr => "ff_siwis",
            Lang::It => "if_sara",
            Lang::PtBr => "pf_dora",
            Lang::Hi => "hf_alpha",
            Lang::Ja => "jf_alpha",
            Lang::Zh => "zf_xiaobei",
        }
    }

    /// The language a voice speaks, from the first letter of its name.
    pub fn of_voice(name: &str) -> Option<Lang> {
        let first = name.chars().next()?;
        Lang::ALL.into_iter().find(|l| l.voice_prefix() == first)
    }

    /// The espeak-ng voice that phonemizes it, as Kokoro's pipeline names it.
    pub fn espeak_voice(self) -> &'static str {
        match self {
            Lang::Fr => "fr-fr",
            Lang::Zh => "cmn",
            other => other.code(),
        }
    }

    pub fn is_english(self) -> bool {
        matches!(self, Lang::EnUs | Lang::EnGb)
    }

    /// The languages bookvoice speaks, for messages: "American English (en-us), ...".
    pub fn spoken_list() -> String {
        Lang::ALL
            .iter()
            .map(|l| format!("{} ({})", l.name(), l.code()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `--lang`: any tag that names a language Kokoro speaks, as books write them (`es`,
/// `es-ES`, `pt`, `EN-GB`, `fr_CA`).
impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(tag: &str) -> Result<Lang, String> {
        let codes = "en-us, en-gb, es, fr, it, pt-br, hi (ja and zh are to come)";
        match Language::from_tag(tag) {
            Some(Language::Kokoro(lang)) => Ok(lang),
            Some(other) => Err(format!("Kokoro does not speak {other}; it speaks {codes}")),
            None => Err(format!(
                "\"{tag}\" is not a language tag; use one of {codes}"
            )),
        }
    }
}

/// `normalize --lang`: any tag that names a language (rules exist for those Kokoro speaks).
pub fn parse_tag(tag: &str) -> Result<String, String> {
    match Language::from_tag(tag) {
        Some(_) => Ok(tag.to_string()),
        None => Err(format!(
            "\"{tag}\" is not a language tag (such as en-US, en-GB, es, fr, it, pt-BR, hi)"
        )),
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language as a book or its text names it: one Kokoro speaks, or another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language {
    Kokoro(Lang),
    /// Any other: the tag as given (lowercased) and its English name.
    Other {
        tag: String,
        name: String,
    },
}

impl Language {
    /// Reads a BCP 47 tag (or a bare ISO 639 code). `None` for an empty tag and for the
    /// codes that name no language: `und` (undetermined), `mul`, `zxx`, `mis`.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let primary = parts
            .next()
            .filter(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))?;
        if matches!(primary, "und" | "mul" | "zxx" | "mis") {
            return None;
        }
        let iso = if primary.len() == 2 {
            isolang::Language::from_639_1(primary)
        } else {
            isolang::Language::from_639_3(primary).or_else(|| bibliographic(primary))
        };
        // Macrolanguage codes fold into the language Kokoro speaks: "zho"/"cmn" → zh.
        let primary1 = match primary {
            "cmn" | "zho" | "chi" => "zh",
            _ => iso.and_then(|l| l.to_639_1()).unwrap_or(primary),
        };
        let region = parts.find(|p| p.len() == 2 || p.len() == 3);
        let lang = match primary1 {
            "en" => Some(match region {
                Some("gb" | "uk" | "au" | "nz" | "ie" | "za" | "in") => Lang::EnGb,
                _ => Lang::EnUs,
            }),
            "es" => Some(Lang::Es),
            "fr" => Some(Lang::Fr),
            "it" => Some(Lang::It),
            // Kokoro's Portuguese voices are Brazilian; European Portuguese is read with them.
            "pt" => Some(Lang::PtBr),
            "hi" => Some(Lang::Hi),
            "ja" => Some(Lang::Ja),
            "zh" => Some(Lang::Zh),
            _ => None,
        };
        Some(match lang {
            Some(lang) => Language::Kokoro(lang),
            None => Language::Other {
                name: iso
                    .map(|l| english_name(l.to_name()))
                    .unwrap_or_else(|| primary1.to_string()),
                tag: primary1.to_string(),
            },
        })
    }

    pub fn name(&self) -> &str {
        match self {
            Language::Kokoro(l) => l.name(),
            Language::Other { name, .. } => name,
        }
    }

    /// The primary subtag: `en`, `he`.
    pub fn primary(&self) -> &str {
        match self {
            Language::Kokoro(l) => l.primary(),
            Language::Other { tag, .. } => tag,
        }
    }

    /// The same language, whatever the region: en-US and en-GB are both English.
    pub fn same_as(&self, other: &Language) -> bool {
        self.primary() == other.primary()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Language::Kokoro(l) => write!(f, "{} ({})", l.name(), l.code()),
            Language::Other { tag, name } => write!(f, "{name} ({tag})"),
        }
    }
}

/// ISO 639-2/B codes that differ from 639-3, as old packages write them.
fn bibliographic(code: &str) -> Option<isolang::Language> {
    let t = match code {
        "fre" => "fra",
        "ger" => "deu",
        "dut" => "nld",
        "gre" => "ell",
        "per" => "fas",
        "chi" => "zho",
        "cze" => "ces",
        "arm" => "hye",
        "geo" => "kat",
        "ice" => "isl",
        "mac" => "mkd",
        "rum" => "ron",
        "slo" => "slk",
        "wel" => "cym",
        "alb" => "sqi",
        "baq" => "eus",
        "bur" => "mya",
        "tib" => "bod",
        "may" => "msa",
        _ => return None,
    };
    isolang::Language::from_639_3(t)
}

/// ISO 639's English name without its qualifier: "Modern Greek (1453-)" → "Modern Greek".
fn english_name(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_string()
}

/// How the language of a book was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `--lang`.
    Flag,
    /// The package's `dc:language`.
    Metadata,
    /// What the text reads as, where the package says nothing or something else.
    Text,
    /// Nothing said anything: the voice's language, else English.
    Default,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Flag => "from --lang",
            Source::Metadata => "from the package's dc:language",
            Source::Text => "from its text",
            Source::Default => "by default",
        }
    }
}

/// The language a book is read in, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub lang: Lang,
    pub source: Source,
    /// What the package declared, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// What the text reads as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detected: Option<Detected>,
    /// Where metadata and text disagree, or the package said nothing: a line for the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// A book in a language bookvoice cannot speak.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.message())]
pub struct Refused {
    pub language: Language,
    /// Where the language was found: "from the package's dc:language".
    pub place: String,
}

impl Refused {
    pub fn new(language: Language, place: String) -> Refused {
        Refused { language, place }
    }

    fn message(&self) -> String {
        // --lang is the way out only where the language came from somewhere else.
        let advice = if self.place.contains("--lang") {
            "."
        } else {
            ". If the text is in fact in one of them (its metadata may be wrong), pass --lang \
             (for example --lang en-us)"
        };
        format!(
            "it is in {}, {}, which Kokoro cannot speak. Languages it speaks: {}{advice}",
            self.language,
            self.place,
            Lang::spoken_list()
        )
    }
}

/// How sure a detection must be to name a book's language where its package names none, or
/// to be worth a warning where the package names another: a few sentences will do.
const HINT_CONFIDENCE: f64 = 0.5;
const HINT_CHARS: usize = 20;

/// Decides the language of a book: `--lang` wins; else the package's `dc:language`, unless
/// its text plainly reads as another language (then the text wins, with a warning); else the
/// text; else `fallback` (the voice's language, or English).
///
/// Errors when the result is a language bookvoice cannot speak, naming it and where it was
/// found. The text only overrules the package when the detector is confident about a long
/// enough sample ([`Detected::decisive`]); a shorter one that disagrees earns a warning.
pub fn choose(
    forced: Option<Lang>,
    declared: Option<&str>,
    detected: Option<&Detected>,
    fallback: Lang,
) -> Result<Choice, Refused> {
    let mut choice = Choice {
        lang: fallback,
        source: Source::Default,
        declared: declared.map(str::to_string),
        detected: detected.cloned(),
        warning: None,
    };
    let text_hint = detected
        .filter(|d| d.confidence >= HINT_CONFIDENCE && d.chars >= HINT_CHARS)
        .and_then(Detected::language);
    let text_decisive = detected
        .filter(|d| d.decisive())
        .and_then(Detected::language);
    if let Some(lang) = forced {
        choice.lang = lang;
        choice.source = Source::Flag;
        if let Some(text) = text_decisive.filter(|t| t.primary() != lang.primary()) {
            choice.warning = Some(format!(
                "its text reads as {text}; read as {}, as --lang asks, it will not sound like {}",
                lang.name(),
                text.name()
            ));
        }
        return Ok(choice);
    }
    let declared_language = declared.and_then(Language::from_tag);
    // "English (en)" for a bare tag, not the variant it defaults to.
    let as_declared = |l: &Language| match (l, declared) {
        (Language::Kokoro(lang), Some(tag)) if lang.is_english() && !tag.contains(['-', '_']) => {
            format!("English ({})", tag.trim())
        }
        (other, _) => other.to_string(),
    };
    let (language, source) = match (declared_language, text_decisive, text_hint) {
        (Some(meta), Some(text), _) if !meta.same_as(&text) => {
            choice.warning = Some(format!(
                "the package says the book is in {} but its text reads as {text}; it is \
                 read as {} (pass --lang to choose)",
                as_declared(&meta),
                text.name()
            ));
            (text, Source::Text)
        }
        (Some(meta), _, Some(text)) if !meta.same_as(&text) => {
            choice.warning = Some(format!(
                "the package says the book is in {}, and it is read so, but what little text \
                 it has reads as {text} (pass --lang {} if that is right)",
                as_declared(&meta),
                match &text {
                    Language::Kokoro(l) => l.code(),
                    Language::Other { tag, .. } => tag,
                }
            ));
            (meta, Source::Metadata)
        }
        (Some(meta), _, _) => (meta, Source::Metadata),
        (None, _, Some(text)) => {
            choice.warning = Some(format!(
                "the package declares no language{}; its text reads as {text}",
                declared
                    .filter(|d| !d.trim().is_empty())
                    .map(|d| format!(" it knows (\"{d}\")"))
                    .unwrap_or_default()
            ));
            (text, Source::Text)
        }
        (None, _, None) => (Language::Kokoro(fallback), Source::Default),
    };
    choice.source = source;
    match language {
        Language::Kokoro(lang) => {
            // A bare "en" says nothing of the variant: the fallback (the voice's) decides.
            choice.lang = match (lang.is_english(), fallback.is_english(), declared) {
                (true, true, Some(tag)) if !tag.contains(['-', '_']) => fallback,
                (true, true, None) => fallback,
                (true, true, _) if source == Source::Text => fallback,
                _ => lang,
            };
            Ok(choice)
        }
        other => {
            let place = match source {
                Source::Text => "as its text reads",
                _ => "from the package's dc:language",
            };
            Err(Refused::new(other, place.into()))
        }
    }
}

/// Decides the language of a loose text (`say`, `normalize`): `--lang`, else what the text
/// reads as among the languages bookvoice speaks, else `fallback`. A text in another script
/// (Hebrew, Cyrillic…) is refused like a book. A short text whose letters English does not
/// use (`ã`, `ñ`, `¿`) but whose language is unsure earns a warning rather than silence.
pub fn choose_for_text(
    forced: Option<Lang>,
    text: &str,
    fallback: Lang,
) -> Result<Choice, Refused> {
    if forced.is_some() {
        return choose(forced, None, detect::detect(text).as_ref(), fallback);
    }
    let detected = detect::guess_spoken(text);
    let mut choice = Choice {
        lang: fallback,
        source: Source::Default,
        declared: None,
        detected: detected.clone(),
        warning: None,
    };
    match detected.as_ref().and_then(Detected::language) {
        Some(Language::Kokoro(lang)) => {
            choice.source = Source::Text;
            choice.lang = if lang.is_english() && fallback.is_english() {
                fallback
            } else {
                lang
            };
            Ok(choice)
        }
        Some(other) => Err(Refused::new(other, "as the text reads".into())),
        None => {
            let foreign_letters = text
                .chars()
                .any(|c| c.is_alphabetic() && !c.is_ascii() || matches!(c, '¿' | '¡'));
            if foreign_letters && fallback.is_english() {
                choice.warning = Some(format!(
                    "the text is too short to tell its language, and is read as {} (pass \
                     --lang to choose: es, fr, it, pt-br, hi)",
                    fallback.name()
                ));
            }
            Ok(choice)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Lang {
        fn from_tag(tag: &str) -> Option<Lang> {
            match Language::from_tag(tag)? {
                Language::Kokoro(lang) => Some(lang),
                Language::Other { .. } => None,
            }
        }
    }

    #[test]
    fn tags_are_read_as_books_write_them() {
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::EnUs));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::EnGb));
        assert_eq!(Lang::from_tag("EN-au"), Some(Lang::EnGb));
        assert_eq!(Lang::from_tag("en"), Some(Lang::EnUs));
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("spa"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("fre"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("pt"), Some(Lang::PtBr));
        assert_eq!(Lang::from_tag("pt-PT"), Some(Lang::PtBr));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("cmn"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("hin"), Some(Lang::Hi));
        assert_eq!(Language::from_tag(""), None);
        assert_eq!(Language::from_tag("und"), None);
        assert_eq!(Language::from_tag("1234"), None);
        let he = Language::from_tag("he-IL").unwrap();
        assert_eq!(he.name(), "Hebrew");
        assert_eq!(he.to_string(), "Hebrew (he)");
        assert_eq!(Language::from_tag("gre").unwrap().name(), "Modern Greek");
        assert_eq!(Language::from_tag("la").unwrap().primary(), "la");
        assert_eq!(Language::from_tag("xx").unwrap().name(), "xx");
    }

    #[test]
    fn lang_flags_take_tags_as_books_write_them() {
        for (tag, lang) in [
            ("es-ES", Lang::Es),
            ("FR", Lang::Fr),
            ("fr_CA", Lang::Fr),
            ("EN-US", Lang::EnUs),
            ("pt", Lang::PtBr),
            ("en", Lang::EnUs),
            ("zh", Lang::Zh),
        ] {
            assert_eq!(tag.parse::<Lang>(), Ok(lang), "{tag}");
        }
        assert!("he".parse::<Lang>().unwrap_err().contains("Hebrew (he)"));
        assert!(
            "klingon"
                .parse::<Lang>()
                .unwrap_err()
                .contains("not a language tag")
        );
        assert!(parse_tag("xx-YY").is_ok() && parse_tag("español").is_err());
    }

    #[test]
    fn voices_name_their_language() {
        assert_eq!(Lang::of_voice("ef_dora"), Some(Lang::Es));
        assert_eq!(Lang::of_voice("pm_alex"), Some(Lang::PtBr));
        assert_eq!(Lang::of_voice("bm_george"), Some(Lang::EnGb));
        assert_eq!(Lang::of_voice("xx_nobody"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::of_voice(lang.default_voice()), Some(lang));
        }
    }

    fn text(tag: &str) -> Detected {
        Detected {
            tag: tag.into(),
            name: String::new(),
            confidence: 1.0,
            chars: 5000,
            script: "Latin".into(),
        }
    }

    #[test]
    fn the_package_decides_unless_the_text_plainly_disagrees() {
        let c = choose(None, Some("es"), Some(&text("es")), Lang::EnUs).unwrap();
        assert_eq!((c.lang, c.source), (Lang::Es, Source::Metadata));
        assert!(c.warning.is_none());

        let c = choose(None, Some("en"), Some(&text("es")), Lang::EnUs).unwrap();
        assert_eq!((c.lang, c.source), (Lang::Es, Source::Text));
        assert!(c.warning.unwrap().contains("reads as Spanish"));

        let c = choose(None, None, Some(&text("it")), Lang::EnUs).unwrap();
        assert_eq!((c.lang, c.source), (Lang::It, Source::Text));
        assert!(c.warning.unwrap().contains("declares no language"));

        let c = choose(None, None, None, Lang::EnGb).unwrap();
        assert_eq!((c.lang, c.source), (Lang::EnGb, Source::Default));

        // A short or unsure sample does not overrule the package.
        let unsure = Detected {
            confidence: 0.1,
            ..text("es")
        };
        let c = choose(None, Some("fr"), Some(&unsure), Lang::EnUs).unwrap();
        assert_eq!(c.lang, Lang::Fr);
        assert!(c.warning.is_none());
        // A short but confident one is named, and decides where the package says nothing.
        let short = Detected {
            chars: 170,
            ..text("es")
        };
        let c = choose(None, Some("en-US"), Some(&short), Lang::EnUs).unwrap();
        assert_eq!((c.lang, c.source), (Lang::EnUs, Source::Metadata));
        assert!(c.warning.unwrap().contains("--lang es"));
        let c = choose(None, Some("und"), Some(&short), Lang::EnUs).unwrap();
        assert_eq!((c.lang, c.source), (Lang::Es, Source::Text));
        let c = choose(None, Some("español"), Some(&short), Lang::EnUs).unwrap();
        assert_eq!(c.lang, Lang::Es);
        assert!(c.warning.unwrap().contains("(\"español\")"));
    }

    #[test]
    fn english_takes_its_variant_from_the_tag_else_the_voice() {
        let c = choose(None, Some("en-GB"), Some(&text("en")), Lang::EnUs).unwrap();
        assert_eq!(c.lang, Lang::EnGb);
        let c = choose(None, Some("en"), None, Lang::EnGb).unwrap();
        assert_eq!(c.lang, Lang::EnGb);
        let c = choose(None, Some("en-US"), None, Lang::EnGb).unwrap();
        assert_eq!(c.lang, Lang::EnUs);
        let c = choose(None, Some("es"), None, Lang::EnGb).unwrap();
        assert_eq!(c.lang, Lang::Es);
    }

    #[test]
    fn unspoken_languages_are_refused_by_name() {
        let e = choose(None, Some("he"), None, Lang::EnUs).unwrap_err();
        assert_eq!(e.language.name(), "Hebrew");
        let msg = e.to_string();
        assert!(msg.contains("Hebrew (he)"), "{msg}");
        assert!(msg.contains("dc:language"), "{msg}");
        assert!(
            msg.contains("Spanish (es)") && msg.contains("--lang"),
            "{msg}"
        );
        assert!(msg.contains("Japanese (ja)"), "{msg}");

        let e = choose(None, None, Some(&text("ru")), Lang::EnUs).unwrap_err();
        assert!(
            e.to_string().contains("Russian (ru), as its text reads"),
            "{e}"
        );
        // Every language Kokoro speaks is bookvoice's too.
        assert_eq!(
            choose(None, Some("ja"), None, Lang::EnUs).unwrap().lang,
            Lang::Ja
        );
        assert_eq!(
            choose(None, Some("zh-CN"), None, Lang::EnUs).unwrap().lang,
            Lang::Zh
        );

        // --lang forces a language Kokoro speaks onto any book, saying what the text is.
        let c = choose(Some(Lang::Es), Some("he"), Some(&text("he")), Lang::EnUs).unwrap();
        assert_eq!((c.lang, c.source), (Lang::Es, Source::Flag));
        assert!(c.warning.unwrap().contains("will not sound like Hebrew"));
    }
}
