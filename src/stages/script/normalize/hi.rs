//! Hindi: the few things espeak-ng would misread in Devanagari text. It reads Devanagari and
//! Latin digits, percentages and the danda natively; what is rewritten here are the common
//! abbreviations and the rupee sign, which it drops.

use std::sync::LazyLock;

use super::rules::{Rule, apply, rule};

static RULES: LazyLock<Vec<Rule<()>>> = LazyLock::new(|| {
    vec![
        rule(
            "rupees-first",
            r"(?:₹|रु\.|Rs\.?)\s?([\d०-९][\d०-९,]*)",
            |c, _| format!("{} रुपये", &c[1]),
        ),
        rule(
            "rupees-after",
            r"([\d०-९][\d०-९,]*)\s?₹",
            |c, _| format!("{} रुपये", &c[1]),
        ),
        rule("doctor", r"डॉ\.\s?", |_, _| "डॉक्टर ".into()),
        rule("professor", r"प्रो\.\s?", |_, _| "प्रोफ़ेसर ".into()),
        rule("shri", r"श्री\.\s?", |_, _| "श्री ".into()),
        rule("etc", r"आदि\.", |_, _| "आदि।".into()),
    ]
});

/// Normalizes one line of Hindi.
pub fn normalize(line: &str) -> String {
    apply(&RULES, line, ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hindi() {
        assert_eq!(normalize("डॉ. शर्मा आए।"), "डॉक्टर शर्मा आए।");
        assert_eq!(normalize("इसकी कीमत ₹500 है।"), "इसकी कीमत 500 रुपये है।");
        assert_eq!(normalize("कीमत रु. २५० है"), "कीमत २५० रुपये है");
        assert_eq!(normalize("मेरे पास 25 किताबें हैं।"), "मेरे पास 25 किताबें हैं।");
    }
}
