//! Stylesheets: which elements of a document its CSS hides (`display: none`, `visibility:
//! hidden`), so that text a reader never sees is never read aloud.
//!
//! Publishers hide alternative text this way: an "ebook only" heading that repeats the
//! title, a print-edition note, spoken page numbers. The rules come from the document's
//! linked and embedded stylesheets, parsed and matched by the `simplecss` crate (the parser
//! resvg uses); at-rules such as `@media print { … }` are skipped, as a screen reader would
//! skip them. Among the rules that set `display` or `visibility` on an element, the most
//! specific (the later on a tie) decides, as in the cascade; inline `style` attributes are
//! weighed in `content.rs`.

use std::collections::HashSet;

use simplecss::{AttributeOperator, PseudoClass, StyleSheet};

use super::dom::Element;

/// The addresses of the elements a document's CSS hides; a hidden element hides its subtree.
#[derive(Debug, Default)]
pub struct Hidden(HashSet<*const Element>);

impl Hidden {
    /// Matches `css` (the texts of the document's stylesheets, in cascade order) against the
    /// document under `root`.
    pub fn find(root: &Element, css: &[String]) -> Hidden {
        let mut sheet = StyleSheet::new();
        for text in css {
            sheet.parse_more(text);
        }
        // Only the rules that can show or hide matter; most books have none that hide.
        let rules: Vec<(simplecss::Selector, bool)> = sheet
            .rules
            .iter()
            .filter_map(|rule| {
                let mut verdict = None;
                for d in &rule.declarations {
                    let value = d.value.trim().to_ascii_lowercase();
                    match d.name {
                        "display" => verdict = Some(value == "none"),
                        "visibility" => verdict = Some(value == "hidden" || value == "collapse"),
                        _ => {}
                    }
                }
                verdict.map(|hides| (rule.selector.clone(), hides))
            })
            .collect();
        let mut hidden = Hidden::default();
        if rules.iter().any(|(_, hides)| *hides) {
            let mut path = vec![At::Root(root)];
            hidden.walk(root, &rules, &mut path);
        }
        hidden
    }

    fn walk<'a>(
        &mut self,
        e: &'a Element,
        rules: &[(simplecss::Selector, bool)],
        path: &mut Vec<At<'a>>,
    ) {
        let here = Node { path: path.clone() };
        let hides = rules
            .iter()
            .rev()
            .find(|(s, _)| s.matches(&here))
            .is_some_and(|(_, hides)| *hides);
        if hides {
            self.0.insert(e as *const Element);
            return;
        }
        for (i, child) in e.elements().enumerate() {
            path.push(At::Child(e, i));
            self.walk(child, rules, path);
            path.pop();
        }
    }

    /// Whether the stylesheets hide this element (not counting its ancestors: the walk
    /// that reads the document stops at a hidden element).
    pub fn hides(&self, e: &Element) -> bool {
        !self.0.is_empty() && self.0.contains(&(e as *const Element))
    }
}

/// One step of a path from the root: the root itself, or the `i`-th element child of a
/// parent.
#[derive(Clone, Copy)]
enum At<'a> {
    Root(&'a Element),
    Child(&'a Element, usize),
}

impl<'a> At<'a> {
    fn element(self) -> &'a Element {
        match self {
            At::Root(e) => e,
            At::Child(parent, i) => parent.elements().nth(i).expect("a path step exists"),
        }
    }
}

/// An element with its path from the root, which is what selector matching needs of it
/// (our DOM keeps no parent links).
#[derive(Clone)]
struct Node<'a> {
    path: Vec<At<'a>>,
}

impl<'a> Node<'a> {
    fn element(&self) -> &'a Element {
        self.path.last().expect("never empty").element()
    }
}

impl simplecss::Element for Node<'_> {
    fn parent_element(&self) -> Option<Self> {
        (self.path.len() > 1).then(|| Node {
            path: self.path[..self.path.len() - 1].to_vec(),
        })
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        match *self.path.last()? {
            At::Child(parent, i) if i > 0 => {
                let mut path = self.path.clone();
                *path.last_mut()? = At::Child(parent, i - 1);
                Some(Node { path })
            }
            _ => None,
        }
    }

    fn has_local_name(&self, name: &str) -> bool {
        let own = &self.element().name;
        own.rsplit(':')
            .next()
            .unwrap_or(own)
            .eq_ignore_ascii_case(name)
    }

    fn attribute_matches(&self, local_name: &str, operator: AttributeOperator<'_>) -> bool {
        self.element()
            .attr(local_name)
            .is_some_and(|v| operator.matches(v))
    }

    fn pseudo_class_matches(&self, class: PseudoClass<'_>) -> bool {
        match class {
            PseudoClass::FirstChild => matches!(self.path.last(), Some(At::Child(_, 0))),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::dom;

    fn hidden_texts(xhtml: &str, css: &[&str]) -> Vec<String> {
        let doc = dom::parse(xhtml.as_bytes());
        let css: Vec<String> = css.iter().map(|s| s.to_string()).collect();
        let hidden = Hidden::find(&doc.root, &css);
        let mut all = Vec::new();
        doc.root.find_all("p", &mut all);
        doc.root.find_all("span", &mut all);
        all.into_iter()
            .filter(|e| hidden.hides(e))
            .map(|e| e.text())
            .collect()
    }

    #[test]
    fn rules_that_hide_by_class_id_and_descent() {
        let xhtml = r#"<html><body><p class="print-only x">Printed edition.</p><p>Shown.</p>
            <div id="alt"><p>Inside.</p></div><p class="ghost">Ghost.</p>
            <p class="later">Later shown.</p><p><span class="sr">Aside</span> text.</p></body></html>"#;
        let css = [
            ".print-only { display: none }",
            "#alt p { visibility : hidden; } p.ghost{display:NONE}",
            ".later { display: none } p.later { display: block }",
            "@media print { .sr { display: none } }",
        ];
        assert_eq!(
            hidden_texts(xhtml, &css),
            ["Printed edition.", "Inside.", "Ghost."]
        );
    }

    #[test]
    fn no_rules_hide_nothing() {
        assert!(hidden_texts("<p>A</p>", &[]).is_empty());
        assert!(hidden_texts("<p>A</p>", &["p { color: red }", "garbage {{{"]).is_empty());
    }
}
