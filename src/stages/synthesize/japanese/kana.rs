//! Kana → IPA, the symbols Kokoro v1.0 was trained on for Japanese.
//!
//! The table is misaki's (its `cutlet.py` `HEPBURN` map, a Hepburn-like IPA with `ɯ`, `ɕ`,
//! `ʨ`, `ɾ`, palatalized `kʲ`…); the rules for the kana whose sound depends on a neighbour are
//! its rules too, so the model hears what it learnt: a small kana joins the one before
//! (`きゃ` → `kʲa`), `ー` lengthens (`ː`), `っ` is a glottal stop (`ʔ`), and `ん` takes the
//! place of the consonant after it within the word (`m`, `ŋ`, `ɲ`, `n`, else `ɴ`). Every
//! symbol this module emits is in the v1.0 vocabulary (tested in `japanese.rs`).
//!
//! Readings arrive in hiragana; katakana is folded to hiragana first ([`to_hiragana`]), except
//! `ヷヸヹヺ`, which have no hiragana and are in the table themselves.

/// The sound of one kana (hiragana, or one of `ヷヸヹヺ`).
pub fn single(c: char) -> Option<&'static str> {
    Some(match c {
        'ぁ' | 'あ' => "a",
        'ぃ' | 'い' => "i",
        'ぅ' | 'う' => "ɯ",
        'ぇ' | 'え' => "e",
        'ぉ' | 'お' => "o",
        'か' | 'ゕ' => "ka",
        'が' => "ɡa",
        'き' => "kʲi",
        'ぎ' => "ɡʲi",
        'く' => "kɯ",
        'ぐ' => "ɡɯ",
        'け' | 'ゖ' => "ke",
        'げ' => "ɡe",
        'こ' => "ko",
        'ご' => "ɡo",
        'さ' => "sa",
        'ざ' => "ʣa",
        'し' => "ɕi",
        'じ' | 'ぢ' => "ʥi",
        'す' => "sɨ",
        'ず' | 'づ' => "zɨ",
        'せ' => "se",
        'ぜ' => "ʣe",
        'そ' => "so",
        'ぞ' => "ʣo",
        'た' => "ta",
        'だ' => "da",
        'ち' => "ʨi",
        'つ' => "ʦɨ",
        'て' => "te",
        'で' => "de",
        'と' => "to",
        'ど' => "do",
        'な' => "na",
        'に' => "ɲi",
        'ぬ' => "nɯ",
        'ね' => "ne",
        'の' => "no",
        'は' => "ha",
        'ば' => "ba",
        'ぱ' => "pa",
        'ひ' => "çi",
        'び' => "bʲi",
        'ぴ' => "pʲi",
        'ふ' => "ɸɯ",
        'ぶ' => "bɯ",
        'ぷ' => "pɯ",
        'へ' => "he",
        'べ' => "be",
        'ぺ' => "pe",
        'ほ' => "ho",
        'ぼ' => "bo",
        'ぽ' => "po",
        'ま' => "ma",
        'み' => "mʲi",
        'む' => "mɯ",
        'め' => "me",
        'も' => "mo",
        'ゃ' | 'や' => "ja",
        'ゅ' | 'ゆ' => "jɯ",
        'ょ' | 'よ' => "jo",
        'ら' => "ɾa",
        'り' => "ɾʲi",
        'る' => "ɾɯ",
        'れ' => "ɾe",
        'ろ' => "ɾo",
        'ゎ' | 'わ' => "βa",
        'ゐ' => "i",
        'ゑ' => "e",
        'を' => "o",
        'ゔ' => "vɯ",
        'ヷ' => "va",
        'ヸ' => "vʲi",
        'ヹ' => "ve",
        'ヺ' => "vo",
        _ => return None,
    })
}

/// The sound of two kana read as one mora (`きゃ`, `ふぁ`, `てぃ`…).
pub fn digraph(a: char, b: char) -> Option<&'static str> {
    Some(match (a, b) {
        ('い', 'ぇ') => "je",
        ('う', 'ぃ') => "βi",
        ('う', 'ぇ') => "βe",
        ('う', 'ぉ') => "βo",
        ('き', 'ぇ') => "kʲe",
        ('き', 'ゃ') => "kʲa",
        ('き', 'ゅ') => "kʲɨ",
        ('き', 'ょ') => "kʲo",
        ('ぎ', 'ゃ') => "ɡʲa",
        ('ぎ', 'ゅ') => "ɡʲɨ",
        ('ぎ', 'ょ') => "ɡʲo",
        ('く', 'ぁ') => "kᵝa",
        ('く', 'ぃ') => "kᵝi",
        ('く', 'ぇ') => "kᵝe",
        ('く', 'ぉ') => "kᵝo",
        ('ぐ', 'ぁ') => "ɡᵝa",
        ('ぐ', 'ぃ') => "ɡᵝi",
        ('ぐ', 'ぇ') => "ɡᵝe",
        ('ぐ', 'ぉ') => "ɡᵝo",
        ('し', 'ぇ') => "ɕe",
        ('し', 'ゃ') => "ɕa",
        ('し', 'ゅ') => "ɕɨ",
        ('し', 'ょ') => "ɕo",
        ('じ', 'ぇ') => "ʥe",
        ('じ' | 'ぢ', 'ゃ') => "ʥa",
        ('じ' | 'ぢ', 'ゅ') => "ʥɨ",
        ('じ' | 'ぢ', 'ょ') => "ʥo",
        ('ち', 'ぇ') => "ʨe",
        ('ち', 'ゃ') => "ʨa",
        ('ち', 'ゅ') => "ʨɨ",
        ('ち', 'ょ') => "ʨo",
        ('つ', 'ぁ') => "ʦa",
        ('つ', 'ぃ') => "ʦʲi",
        ('つ', 'ぇ') => "ʦe",
        ('つ', 'ぉ') => "ʦo",
        ('て', 'ぃ') => "tʲi",
        ('て', 'ゅ') => "tʲɨ",
        ('で', 'ぃ') => "dʲi",
        ('で', 'ゅ') => "dʲɨ",
        ('と', 'ぅ') => "tɯ",
        ('ど', 'ぅ') => "dɯ",
        ('に', 'ぇ') => "ɲe",
        ('に', 'ゃ') => "ɲa",
        ('に', 'ゅ') => "ɲɨ",
        ('に', 'ょ') => "ɲo",
        ('ひ', 'ぇ') => "çe",
        ('ひ', 'ゃ') => "ça",
        ('ひ', 'ゅ') => "çɨ",
        ('ひ', 'ょ') => "ço",
        ('び', 'ゃ') => "bʲa",
        ('び' | 'ゔ', 'ゅ') => "bʲɨ",
        ('び' | 'ゔ', 'ょ') => "bʲo",
        ('ぴ', 'ゃ') => "pʲa",
        ('ぴ', 'ゅ') => "pʲɨ",
        ('ぴ', 'ょ') => "pʲo",
        ('ふ', 'ぁ') => "ɸa",
        ('ふ', 'ぃ') => "ɸʲi",
        ('ふ', 'ぇ') => "ɸe",
        ('ふ', 'ぉ') => "ɸo",
        ('ふ', 'ゅ') => "ɸʲɨ",
        ('ふ', 'ょ') => "ɸʲo",
        ('み', 'ゃ') => "mʲa",
        ('み', 'ゅ') => "mʲɨ",
        ('み', 'ょ') => "mʲo",
        ('り', 'ゃ') => "ɾʲa",
        ('り', 'ゅ') => "ɾʲɨ",
        ('り', 'ょ') => "ɾʲo",
        ('ゔ', 'ぁ') => "va",
        ('ゔ', 'ぃ') => "vʲi",
        ('ゔ', 'ぇ') => "ve",
        ('ゔ', 'ぉ') => "vo",
        _ => return None,
    })
}

/// Small kana that modify the kana before them.
fn is_sutegana(c: char) -> bool {
    matches!(c, 'ゃ' | 'ゅ' | 'ょ' | 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ')
}

/// Katakana folded to hiragana; everything else as it is.
pub fn to_hiragana(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            // ァ..ヶ sit 0x60 above their hiragana; ヽヾ likewise above ゝゞ.
            'ァ'..='ヶ' | 'ヽ' | 'ヾ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A dictionary reading with UniDic's long vowels, which misaki's readings have: IPADIC
/// writes 先生 `せんせい` and 美しい `うつくしい` where UniDic has `せんせー`, `うつくしー`. An
/// い after an e or i sound and an う after a u sound become `ー` (お+う is `ー` in both).
pub fn long_vowels(reading: &str) -> String {
    let mut out = String::with_capacity(reading.len());
    let mut vowel = None;
    for c in reading.chars() {
        let long = match c {
            'い' => matches!(vowel, Some('e' | 'i')),
            'う' => matches!(vowel, Some('ɯ' | 'ɨ')),
            _ => false,
        };
        if long {
            out.push('ー');
            // A third vowel is not lengthened again (いいい is いーい).
            vowel = None;
        } else {
            out.push(c);
            vowel = single(c).and_then(|s| s.chars().next_back());
        }
    }
    out
}

/// Whether `c` is kana (either script), the long-vowel mark or an iteration mark.
pub fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ゝ' | 'ゞ' | 'ァ'..='ヺ' | 'ー' | 'ヽ' | 'ヾ')
}

/// The voiced kana of `c` (`か` → `が`), for the voiced iteration mark `ゞ`.
fn voiced(c: char) -> Option<char> {
    const PLAIN: &str = "かきくけこさしすせそたちつてとはひふへほ";
    const VOICED: &str = "がぎぐげござじずぜぞだぢづでどばびぶべぼ";
    let i = PLAIN.chars().position(|p| p == c)?;
    VOICED.chars().nth(i)
}

/// The phonemes of one word's reading, in hiragana. Characters that are not kana add
/// nothing.
pub fn phonemes(reading: &str) -> String {
    let kana: Vec<char> = reading.chars().collect();
    let mut out = String::new();
    for (i, &c) in kana.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| kana[p]);
        let next = kana.get(i + 1).copied();
        out.push_str(&mora(prev, c, next));
    }
    out
}

/// What `c` adds, between `prev` and `next`.
fn mora(prev: Option<char>, c: char, next: Option<char>) -> String {
    let from = |s: Option<&str>| s.unwrap_or("").to_string();
    match c {
        // Iteration marks repeat the kana before (ゞ voiced); 々 and 〃 span more than one
        // character, which a reading never holds, so they add nothing.
        'ゝ' => return from(prev.and_then(single)),
        'ゞ' => return from(prev.and_then(voiced).and_then(single)),
        '々' | '〃' => return String::new(),
        _ => {}
    }
    if let Some(p) = prev
        && let Some(pair) = digraph(p, c)
    {
        return pair.to_string();
    }
    if let Some(n) = next {
        if digraph(c, n).is_some() {
            // Said with the next kana.
            return String::new();
        }
        if is_sutegana(n) {
            // A small kana the table has no pair for: this kana's consonant, its vowel.
            if c == 'っ' {
                return String::new();
            }
            return match (single(c), single(n)) {
                (Some(mine), Some(small)) => {
                    let mut chars = mine.chars();
                    chars.next_back();
                    format!("{}{small}", chars.as_str())
                }
                _ => String::new(),
            };
        }
    }
    if is_sutegana(c) {
        return String::new();
    }
    match c {
        'ー' => "ː".to_string(),
        'っ' => "ʔ".to_string(),
        'ん' => moraic_nasal(next).to_string(),
        _ => from(single(c)),
    }
}

/// `ん` takes the place of the consonant after it.
fn moraic_nasal(next: Option<char>) -> &'static str {
    let Some(sound) = next.and_then(single) else {
        return "ɴ";
    };
    match sound.chars().next() {
        Some('m' | 'p' | 'b') => "m",
        Some('k' | 'ɡ') => "ŋ",
        Some('ɲ' | 'ʨ' | 'ʥ') => "ɲ",
        Some('n' | 't' | 'd' | 'ɾ' | 'z') => "n",
        _ => "ɴ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana() {
        assert_eq!(phonemes("とーきょー"), "toːkʲoː");
        assert_eq!(phonemes("しつれい"), "ɕiʦɨɾei");
        assert_eq!(phonemes("きゃく"), "kʲakɯ");
        assert_eq!(phonemes("ふぁいる"), "ɸaiɾɯ");
        assert_eq!(phonemes("てぃー"), "tʲiː");
        assert_eq!(phonemes("がっこう"), "ɡaʔkoɯ");
        // A small kana with no pair of its own borrows the consonant.
        assert_eq!(phonemes("すぃ"), "si");
        assert_eq!(phonemes("ゔぁ"), "va");
        assert_eq!(phonemes("ヷ"), "va");
    }

    #[test]
    fn moraic_nasal_assimilates() {
        assert_eq!(phonemes("さんま"), "samma");
        assert_eq!(phonemes("しんぶん"), "ɕimbɯɴ");
        assert_eq!(phonemes("りんご"), "ɾʲiŋɡo");
        assert_eq!(phonemes("こんにちは"), "koɲɲiʨiha");
        assert_eq!(phonemes("かんじ"), "kaɲʥi");
        assert_eq!(phonemes("ほんとう"), "hontoɯ");
        assert_eq!(phonemes("ほん"), "hoɴ");
        assert_eq!(phonemes("れんあい"), "ɾeɴai");
    }

    #[test]
    fn katakana_folds_to_hiragana() {
        assert_eq!(to_hiragana("トーキョー"), "とーきょー");
        assert_eq!(to_hiragana("ヴァ"), "ゔぁ");
        assert_eq!(to_hiragana("ヷ東"), "ヷ東");
        assert!(is_kana('ー') && is_kana('ヺ') && !is_kana('東'));
    }

    #[test]
    fn long_vowels_as_unidic_writes_them() {
        assert_eq!(long_vowels("せんせい"), "せんせー");
        assert_eq!(long_vowels("うつくしい"), "うつくしー");
        assert_eq!(long_vowels("ゆう"), "ゆー");
        assert_eq!(long_vowels("おおい"), "おおい");
        assert_eq!(long_vowels("けいたい"), "けーたい");
    }

    #[test]
    fn iteration_marks() {
        assert_eq!(phonemes("いすゞ"), "isɨzɨ");
        assert_eq!(phonemes("こゝ"), "koko");
    }
}
