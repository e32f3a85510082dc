//! The machinery every language's normalization shares: a rule is a regular expression and a
//! function from its match to words; a language is a list of rules run in order, most
//! specific first, each over the whole line. Whatever no rule claims is left as it is.

use regex::{Captures, Regex};

/// One rewrite: a pattern and what its matches become, given the language's context `C`
/// (English's style, a Romance language's table).
pub struct Rule<C> {
    pub name: &'static str,
    pub pattern: Regex,
    pub rewrite: fn(&Captures, C) -> String,
}

/// A rule from a pattern that is part of the program; a bad one is a bug, caught by the
/// tests that run every language.
pub fn rule<C>(name: &'static str, pattern: &str, rewrite: fn(&Captures, C) -> String) -> Rule<C> {
    let pattern =
        Regex::new(pattern).unwrap_or_else(|e| panic!("rule {name}: {e}. This is a bug."));
    Rule {
        name,
        pattern,
        rewrite,
    }
}

/// Runs the rules over a line in order.
pub fn apply<C: Copy>(rules: &[Rule<C>], line: &str, context: C) -> String {
    let mut text = line.to_string();
    for rule in rules {
        let replaced = rule
            .pattern
            .replace_all(&text, |c: &Captures| (rule.rewrite)(c, context));
        // A rule that matched may still have written back what it found: only a change is
        // worth a trace.
        if let std::borrow::Cow::Owned(s) = replaced
            && s != text
        {
            tracing::trace!("normalize: {}: {s}", rule.name);
            text = s;
        }
    }
    text
}
