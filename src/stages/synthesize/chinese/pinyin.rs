//! Pinyin syllables and their phonemes in Kokoro v1.0's Mandarin symbol set.
//!
//! Kokoro v1.0 was trained on misaki's Mandarin phonemes: each pinyin syllable is split
//! into its initial and final (pinyin's "strict" analysis, where y and w are not initials),
//! each part becomes IPA, and the tone is a single arrow after the syllable's nucleus: →
//! (first tone), ↗ (second), ↓ (third), ↘ (fourth), nothing for the neutral tone. The
//! apical vowels of zhi/chi/shi/ri and zi/ci/si are written ɨ. Source: misaki 0.9.4,
//! `misaki/zh.py` and `misaki/transcription.py` (after pinyin-to-ipa), checked symbol by
//! symbol against the v1.0 vocabulary in the tests below.

/// One Mandarin syllable: its toneless pinyin in ASCII (`ü` written `v`) and its tone,
/// 1 to 4, or 5 for the neutral tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    pub base: String,
    pub tone: u8,
}

impl Syllable {
    #[cfg(test)]
    pub fn new(base: &str, tone: u8) -> Syllable {
        Syllable {
            base: base.to_string(),
            tone,
        }
    }

    /// Parses pinyin with tone marks ("zhōng", "lǜ", "de") or a tone number ("zhong1",
    /// "lv4", "de5"); no mark and no number is the neutral tone. `None` when it is not a
    /// pinyin syllable.
    pub fn parse(pinyin: &str) -> Option<Syllable> {
        let mut base = String::with_capacity(pinyin.len());
        let mut tone = 5;
        for c in pinyin.trim().chars() {
            let (plain, t) = match c {
                'ā' => ("a", 1),
                'á' => ("a", 2),
                'ǎ' => ("a", 3),
                'à' => ("a", 4),
                'ē' => ("e", 1),
                'é' => ("e", 2),
                'ě' => ("e", 3),
                'è' => ("e", 4),
                'ī' => ("i", 1),
                'í' => ("i", 2),
                'ǐ' => ("i", 3),
                'ì' => ("i", 4),
                'ō' => ("o", 1),
                'ó' => ("o", 2),
                'ǒ' => ("o", 3),
                'ò' => ("o", 4),
                'ū' => ("u", 1),
                'ú' => ("u", 2),
                'ǔ' => ("u", 3),
                'ù' => ("u", 4),
                'ǖ' => ("v", 1),
                'ǘ' => ("v", 2),
                'ǚ' => ("v", 3),
                'ǜ' => ("v", 4),
                'ü' => ("v", 0),
                'ń' => ("n", 2),
                'ň' => ("n", 3),
                'ǹ' => ("n", 4),
                'ḿ' => ("m", 2),
                'ê' => ("ê", 0),
                // Combining tone marks (m̀, ê̄…).
                '\u{0304}' => ("", 1),
                '\u{0301}' => ("", 2),
                '\u{030C}' => ("", 3),
                '\u{0300}' => ("", 4),
                '1'..='5' => ("", c as u8 - b'0'),
                c if c.is_ascii_lowercase() => {
                    base.push(c);
                    continue;
                }
                _ => return None,
            };
            base.push_str(plain);
            if t != 0 {
                tone = t;
            }
        }
        (!base.is_empty()).then_some(Syllable { base, tone })
    }

    /// The syllable in Kokoro's phonemes ("zhong" tone 1 → "ꭧʊ→ŋ").
    pub fn phonemes(&self) -> String {
        let arrow = match self.tone {
            1 => "→",
            2 => "↗",
            3 => "↓",
            4 => "↘",
            _ => "",
        };
        let base = self.base.as_str();
        // Interjections and syllabic consonants have no initial/final analysis.
        let whole = match base {
            "er" => Some(("", "ɚ", "")),
            "o" => Some(("", "ɔ", "")),
            "ê" => Some(("", "ɛ", "")),
            "io" | "yo" => Some(("j", "ɔ", "")),
            "m" => Some(("", "m", "")),
            "n" => Some(("", "n", "")),
            "ng" => Some(("", "ŋ", "")),
            "hm" => Some(("h", "m", "")),
            "hng" => Some(("h", "ŋ", "")),
            _ => None,
        };
        if let Some((onset, nucleus, coda)) = whole {
            return format!("{onset}{nucleus}{arrow}{coda}");
        }
        let (initial, rest) = split_initial(base);
        let final_ = strict_final(initial, rest);
        let initial_ipa = initial_phonemes(initial);
        match (initial, final_.as_str()) {
            ("zh" | "ch" | "sh" | "r" | "z" | "c" | "s", "i") => format!("{initial_ipa}ɨ{arrow}"),
            (_, f) => match final_parts(f) {
                Some((glide, nucleus, coda)) => {
                    format!("{initial_ipa}{glide}{nucleus}{arrow}{coda}")
                }
                // Not a Mandarin final (a typo in a dictionary): its letters, in symbols the
                // model knows.
                None => format!(
                    "{initial_ipa}{}{arrow}",
                    f.replace("ng", "ŋ").replace('ü', "y").replace('g', "ɡ")
                ),
            },
        }
    }
}

/// Splits a toneless syllable into its initial (possibly empty) and the rest.
fn split_initial(base: &str) -> (&str, &str) {
    for two in ["zh", "ch", "sh"] {
        if let Some(rest) = base.strip_prefix(two) {
            return (two, rest);
        }
    }
    match base.chars().next() {
        Some(
            'b' | 'p' | 'm' | 'f' | 'd' | 't' | 'n' | 'l' | 'g' | 'k' | 'h' | 'j' | 'q' | 'x' | 'r'
            | 'z' | 'c' | 's',
        ) if base.len() > 1 => base.split_at(1),
        _ => ("", base),
    }
}

/// The final in pinyin's strict spelling: y/w spellings and the abbreviations iu, ui, un
/// written out, ü restored after j, q, x and y.
fn strict_final(initial: &str, rest: &str) -> String {
    let rest = rest.replace('v', "ü");
    if initial.is_empty() {
        if let Some(r) = rest.strip_prefix('y') {
            return match r {
                "i" | "in" | "ing" => r.to_string(),
                "u" => "ü".into(),
                "ue" => "üe".into(),
                "uan" => "üan".into(),
                "un" => "ün".into(),
                "ou" => "iou".into(),
                _ if r.starts_with('i') => r.to_string(),
                _ => format!("i{r}"),
            };
        }
        if let Some(r) = rest.strip_prefix('w') {
            return match r {
                "u" => "u".into(),
                "ei" => "uei".into(),
                "en" => "uen".into(),
                _ => format!("u{r}"),
            };
        }
        return rest;
    }
    if matches!(initial, "j" | "q" | "x")
        && let Some(r) = rest.strip_prefix('u')
    {
        return format!("ü{r}");
    }
    match rest.as_str() {
        "iu" => "iou".into(),
        "ui" => "uei".into(),
        "un" => "uen".into(),
        _ => rest,
    }
}

/// A final as (glide, nucleus, coda): the tone arrow goes after the nucleus.
fn final_parts(f: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match f {
        "a" => ("", "a", ""),
        "ai" => ("", "ai", ""),
        "an" => ("", "a", "n"),
        "ang" => ("", "a", "ŋ"),
        "ao" => ("", "au", ""),
        "e" => ("", "ɤ", ""),
        "ei" => ("", "ei", ""),
        "en" => ("", "ə", "n"),
        "eng" => ("", "ə", "ŋ"),
        "er" => ("", "ɚ", ""),
        "i" => ("", "i", ""),
        "ia" => ("j", "a", ""),
        "ian" => ("j", "ɛ", "n"),
        "iang" => ("j", "a", "ŋ"),
        "iao" => ("j", "au", ""),
        "ie" => ("j", "e", ""),
        "in" => ("", "i", "n"),
        "iou" => ("j", "ou", ""),
        "ing" => ("", "i", "ŋ"),
        "iong" => ("j", "ʊ", "ŋ"),
        "ong" => ("", "ʊ", "ŋ"),
        "ou" => ("", "ou", ""),
        "u" => ("", "u", ""),
        "uei" => ("w", "ei", ""),
        "ua" => ("w", "a", ""),
        "uai" => ("w", "ai", ""),
        "uan" => ("w", "a", "n"),
        "uen" => ("w", "ə", "n"),
        "uang" => ("w", "a", "ŋ"),
        "ueng" => ("w", "ə", "ŋ"),
        // "o" is "uo" written after b, p, m and f.
        "uo" | "o" => ("w", "o", ""),
        "ü" => ("", "y", ""),
        "üe" => ("ɥ", "e", ""),
        "üan" => ("ɥ", "ɛ", "n"),
        "ün" => ("", "y", "n"),
        _ => return None,
    })
}

fn initial_phonemes(initial: &str) -> &'static str {
    match initial {
        "b" => "p",
        "p" => "pʰ",
        "m" => "m",
        "f" => "f",
        "d" => "t",
        "t" => "tʰ",
        "n" => "n",
        "l" => "l",
        "g" => "k",
        "k" => "kʰ",
        "h" => "x",
        "j" => "ʨ",
        "q" => "ʨʰ",
        "x" => "ɕ",
        "zh" => "ꭧ",
        "ch" => "ꭧʰ",
        "sh" => "ʂ",
        "r" => "ɻ",
        "z" => "ʦ",
        "c" => "ʦʰ",
        "s" => "s",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ipa(pinyin: &str) -> String {
        Syllable::parse(pinyin).expect(pinyin).phonemes()
    }

    #[test]
    fn tone_marks_and_numbers_parse_alike() {
        assert_eq!(Syllable::parse("zhōng"), Some(Syllable::new("zhong", 1)));
        assert_eq!(Syllable::parse("zhong1"), Some(Syllable::new("zhong", 1)));
        assert_eq!(Syllable::parse("lǜ"), Some(Syllable::new("lv", 4)));
        assert_eq!(Syllable::parse("de"), Some(Syllable::new("de", 5)));
        assert_eq!(Syllable::parse("ňg"), Some(Syllable::new("ng", 3)));
        assert_eq!(Syllable::parse("m̀"), Some(Syllable::new("m", 4)));
        assert_eq!(Syllable::parse("zhong!"), None);
    }

    #[test]
    fn syllables_map_as_misaki_maps_them() {
        // Expected strings are misaki 0.9.4's ZHG2P output for the same syllables.
        for (pinyin, want) in [
            ("ma3", "ma↓"),
            ("zhong1", "ꭧʊ→ŋ"),
            ("guo2", "kwo↗"),
            ("shi4", "ʂɨ↘"),
            ("si1", "sɨ→"),
            ("ri4", "ɻɨ↘"),
            ("xue2", "ɕɥe↗"),
            ("ju4", "ʨy↘"),
            ("quan2", "ʨʰɥɛ↗n"),
            ("yun2", "y↗n"),
            ("yu3", "y↓"),
            ("you3", "jou↓"),
            ("yi1", "i→"),
            ("ying1", "i→ŋ"),
            ("wo3", "wo↓"),
            ("wei4", "wei↘"),
            ("wen4", "wə↘n"),
            ("gui4", "kwei↘"),
            ("liu2", "ljou↗"),
            ("lun4", "lwə↘n"),
            ("lv4", "ly↘"),
            ("nve4", "nɥe↘"),
            ("bo1", "pwo→"),
            ("er4", "ɚ↘"),
            ("de5", "tɤ"),
            ("chang2", "ꭧʰa↗ŋ"),
            ("xiang3", "ɕja↓ŋ"),
            ("tian1", "tʰjɛ→n"),
            ("hao3", "xau↓"),
            ("n2", "n↗"),
        ] {
            assert_eq!(ipa(pinyin), want, "{pinyin}");
        }
    }

    #[test]
    fn every_symbol_is_in_the_v1_vocabulary() {
        // Kokoro v1.0's Mandarin symbols (from its vocabulary, kokoro-onnx config.json).
        const VOCAB: &str = "abdefhijklmnoprstuwxyŋɔɕəɚɛɡɤɥɨɻʂʊʦʨʰꭧ→↓↗↘";
        let initials = [
            "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "zh", "ch", "sh",
            "r", "z", "c", "s", "",
        ];
        let finals = [
            "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "i", "ia", "ian", "iang", "iao",
            "ie", "in", "iu", "ing", "iong", "ong", "ou", "u", "ui", "ua", "uai", "uan", "un",
            "uang", "uo", "o", "v", "ve", "van", "vn",
        ];
        for i in initials {
            for f in finals {
                for tone in 1..=5 {
                    let s = Syllable::new(&format!("{i}{f}"), tone).phonemes();
                    assert!(s.chars().all(|c| VOCAB.contains(c)), "{i}{f}{tone}: {s}");
                }
            }
        }
    }
}
