//! XML and XHTML documents as one small tree type, whatever their encoding or quality.
//!
//! Bytes are decoded first (a byte-order mark, then the XML declaration, then a `<meta>`
//! charset, then UTF-8, then Windows-1252), so a UTF-16 OPF or a Latin-1 chapter reads
//! correctly. Each document is parsed as XML (roxmltree, which refuses runaway entity
//! expansion, with a node cap); HTML's named entities such as `&nbsp;` are understood even
//! without a DTD. A document that is not well-formed is parsed again by an HTML5 parser
//! (html5ever, via scraper), which recovers as browsers do; the caller is told, to warn.
//! XML parsing comes first because the HTML parser misreads self-closing tags such as
//! `<span id="p1"/>`, which EPUBs use everywhere.
//!
//! Names are reduced to lowercase local names (`dc:title` → `title`); namespaced attributes
//! keep a conventional prefix (`epub:type`, `xlink:href`).

use std::borrow::Cow;
use std::sync::LazyLock;

use encoding_rs::Encoding;
use regex::Regex;

/// The most nodes one document may hold.
const MAX_NODES: u32 = 2_000_000;
/// Deeper nesting than this is flattened to its text, to keep recursion bounded.
const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `href`, or an SVG `xlink:href`.
    pub fn href(&self) -> Option<&str> {
        self.attr("href").or_else(|| self.attr("xlink:href"))
    }

    /// The tokens of `epub:type` (and of an ARIA `role`, which EPUB 3.2 uses alike).
    pub fn types(&self) -> impl Iterator<Item = &str> {
        let epub = self.attr("epub:type").unwrap_or("").split_whitespace();
        let role = self
            .attr("role")
            .unwrap_or("")
            .split_whitespace()
            .map(|r| r.strip_prefix("doc-").unwrap_or(r));
        epub.chain(role)
    }

    pub fn has_type(&self, wanted: &str) -> bool {
        self.types()
            .any(|t| t == wanted || t.rsplit(':').next() == Some(wanted))
    }

    pub fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr("class").unwrap_or("").split_whitespace()
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first descendant (or self) with this name, depth first.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.elements().find_map(|e| e.find(name))
    }

    /// Every descendant (or self) with this name, in document order.
    pub fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        if self.name == name {
            out.push(self);
        }
        for e in self.elements() {
            e.find_all(name, out);
        }
    }

    /// All text below, whitespace collapsed.
    pub fn text(&self) -> String {
        let mut s = String::new();
        self.collect_text(&mut s);
        collapse_whitespace(&s)
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}

/// One space for every run of whitespace, none at the ends.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A parsed document; `recovered` holds the XML error when the HTML parser had to step in.
pub struct Document {
    pub root: Element,
    pub recovered: Option<String>,
}

/// Decodes and parses a document.
pub fn parse(bytes: &[u8]) -> Document {
    let text = decode(bytes);
    let text = strip_declaration(&text);
    match parse_xml(text) {
        Ok(root) => Document {
            root,
            recovered: None,
        },
        // The HTML parser is quadratic in nesting depth; absurd nesting gets plain text.
        Err(error) if nesting_depth(text) > MAX_DEPTH * 5 => Document {
            root: plain_text(text),
            recovered: Some(format!(
                "{error}; nested too deeply to recover, read as plain text"
            )),
        },
        Err(error) => {
            let text = expand_internal_subset(text);
            let mut root = parse_html(&text);
            drop_unknown_entities(&mut root);
            Document {
                root,
                recovered: Some(error),
            }
        }
    }
}

/// A DOCTYPE's internal subset (`<!DOCTYPE html [ <!ENTITY name "value"> ]>`) means nothing
/// to the HTML parser, which would leave its tail ("]>") in the text: its entities are
/// expanded here and the subset removed.
fn expand_internal_subset(text: &str) -> Cow<'_, str> {
    static SUBSET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?is)<!DOCTYPE[^\[>]*\[(.*?)\]\s*>").expect("valid"));
    static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?s)<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>"#)
            .expect("valid")
    });
    let Some(found) = SUBSET.captures(text) else {
        return Cow::Borrowed(text);
    };
    let whole = found.get(0).expect("group 0");
    let entities: Vec<(String, String)> = ENTITY
        .captures_iter(&found[1])
        .map(|c| {
            let value = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
            (format!("&{};", &c[1]), value.to_owned())
        })
        .collect();
    let mut out = format!(
        "{}<!DOCTYPE html>{}",
        &text[..whole.start()],
        &text[whole.end()..]
    );
    for (reference, value) in entities {
        out = out.replace(&reference, &value);
    }
    Cow::Owned(out)
}

/// Entity references the HTML parser did not know stay in its text as written ("&name;");
/// they are markup debris, not words.
fn drop_unknown_entities(e: &mut Element) {
    static REFERENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"&[A-Za-z][A-Za-z0-9]{1,31};").expect("valid"));
    for child in &mut e.children {
        match child {
            Node::Text(t) if t.contains('&') => {
                if let Cow::Owned(cleaned) = REFERENCE.replace_all(t, "") {
                    *t = cleaned;
                }
            }
            Node::Element(inner) => drop_unknown_entities(inner),
            Node::Text(_) => {}
        }
    }
}

/// The deepest nesting of tags, counted roughly: opening tags that are not self-closed or
/// void go in, closing tags come out.
fn nesting_depth(text: &str) -> usize {
    const VOID: &[&str] = &[
        "br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if !tag.starts_with(['!', '?']) && !tag.ends_with('/') {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if !name.is_empty() && !VOID.contains(&name.as_str()) {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        rest = &rest[end.min(rest.len())..];
    }
    deepest
}

/// The document's text with every tag removed, as one body.
fn plain_text(text: &str) -> Element {
    let mut out = String::with_capacity(text.len() / 2);
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = &rest[at..];
        rest = &rest[rest.find('>').map(|e| e + 1).unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    let text = html_entities_to_chars(&out)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    Element {
        name: "html".into(),
        attrs: Vec::new(),
        children: vec![Node::Element(Element {
            name: "body".into(),
            attrs: Vec::new(),
            children: vec![Node::Text(text)],
        })],
    }
}

/// Whether bytes are binary data rather than text in any encoding a document could use:
/// NUL bytes (outside UTF-16, which has a byte-order mark or an XML declaration to say so)
/// or many control characters in the first 4 KiB.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    if Encoding::for_bom(head).is_some() {
        return false;
    }
    let utf16 = head.len() > 1 && (head[0] == 0 || head[1] == 0) && head.contains(&b'<');
    if utf16 {
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    head.contains(&0) || controls * 20 > head.len()
}

/// Decodes bytes to text by the first of: byte-order mark, XML declaration, `<meta>`
/// charset, valid UTF-8, Windows-1252.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    // UTF-16 without a mark still starts with '<' and a zero byte.
    if bytes.starts_with(b"<\0") {
        return encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0;
    }
    if bytes.starts_with(b"\0<") {
        return encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0;
    }
    let head = &bytes[..bytes.len().min(2048)];
    if let Some(encoding) = declared_encoding(head) {
        // A declaration saying UTF-16 on 8-bit bytes is a lie; trust the bytes.
        if encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE {
            return encoding.decode_without_bom_handling(bytes).0;
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let find_after = |key: &str| -> Option<String> {
        let at = head.find(key)? + key.len();
        let rest = head[at..].trim_start_matches(['=', ' ', '"', '\'']);
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))?;
        Some(rest[..end].to_owned())
    };
    let label = head
        .starts_with("<?xml")
        .then(|| find_after("encoding"))
        .flatten()
        .or_else(|| find_after("charset"))?;
    Encoding::for_label(label.as_bytes())
}

/// Drops a leading BOM and XML declaration: the text is already decoded, and a declaration
/// naming another encoding would only confuse.
fn strip_declaration(text: &str) -> &str {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<?xml")
        && let Some(end) = text.find("?>")
    {
        return &text[end + 2..];
    }
    text
}

fn parse_xml(text: &str) -> Result<Element, String> {
    let text = html_entities_to_chars(text);
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options).map_err(|e| e.to_string())?;
    Ok(from_xml(doc.root_element(), 0))
}

/// Replaces HTML named entities (`&nbsp;`, `&mdash;`) by their characters; XML knows only
/// five, and EPUB 2 books lean on the XHTML DTD for the rest.
fn html_entities_to_chars(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let name_end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map(|i| i + 1);
        match name_end {
            Some(end) if rest[end..].starts_with(';') && end > 1 => {
                let name = &rest[1..end];
                let key = &rest[1..=end];
                let xml_own = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos");
                match markup5ever::data::NAMED_ENTITIES.get(key) {
                    Some(&(first, second)) if !xml_own && first != 0 => {
                        out.extend(char::from_u32(first));
                        if second != 0 {
                            out.extend(char::from_u32(second));
                        }
                    }
                    _ => out.push_str(&rest[..=end]),
                }
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn qualified(ns: Option<&str>, local: &str) -> String {
    let prefix = match ns {
        Some("http://www.idpf.org/2007/ops") => "epub:",
        Some("http://www.w3.org/1999/xlink") => "xlink:",
        Some("http://www.w3.org/XML/1998/namespace") => "xml:",
        _ => "",
    };
    format!("{prefix}{local}")
}

fn from_xml(node: roxmltree::Node, depth: usize) -> Element {
    let mut element = Element {
        name: node.tag_name().name().to_ascii_lowercase(),
        attrs: node
            .attributes()
            .map(|a| (qualified(a.namespace(), a.name()), a.value().to_owned()))
            .collect(),
        children: Vec::new(),
    };
    for child in node.children() {
        if child.is_text() {
            element
                .children
                .push(Node::Text(child.text().unwrap_or("").to_owned()));
        } else if child.is_element() {
            if depth >= MAX_DEPTH {
                let text: String = child.descendants().filter_map(|d| d.text()).collect();
                element.children.push(Node::Text(text));
            } else {
                element
                    .children
                    .push(Node::Element(from_xml(child, depth + 1)));
            }
        }
    }
    element
}

fn parse_html(text: &str) -> Element {
    let html = scraper::Html::parse_document(text);
    let root = html.tree.root();
    let mut top = Element {
        name: "#document".into(),
        ..Element::default()
    };
    for child in root.children() {
        if let Some(e) = from_html(child, 0) {
            top.children.push(e);
        }
    }
    // The root element is the first element child (`html`).
    top.children
        .into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .unwrap_or_default()
}

fn from_html(node: ego_tree::NodeRef<scraper::Node>, depth: usize) -> Option<Node> {
    match node.value() {
        scraper::Node::Text(t) => Some(Node::Text(t.to_string())),
        scraper::Node::Element(e) => {
            let local = e.name();
            let name = local
                .rsplit(':')
                .next()
                .unwrap_or(local)
                .to_ascii_lowercase();
            let attrs = e
                .attrs
                .iter()
                .map(|(k, v)| {
                    let ns = (!k.ns.is_empty()).then_some(&*k.ns);
                    (qualified(ns, &k.local), v.to_string())
                })
                .collect();
            let mut element = Element {
                name,
                attrs,
                children: Vec::new(),
            };
            for child in node.children() {
                if depth >= MAX_DEPTH {
                    let text: String = child
                        .descendants()
                        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                        .collect();
                    element.children.push(Node::Text(text));
                } else if let Some(n) = from_html(child, depth + 1) {
                    element.children.push(n);
                }
            }
            Some(Node::Element(element))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_lying_declaration_decodes() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><package><title>Verwandlung ü</title></package>";
        let mut bytes = vec![0xff, 0xfe];
        for unit in xml.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let doc = parse(&bytes);
        assert!(doc.recovered.is_none(), "{:?}", doc.recovered);
        assert_eq!(doc.root.find("title").unwrap().text(), "Verwandlung ü");
    }

    #[test]
    fn latin1_declared_in_the_prolog_decodes() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><p>caf".to_vec();
        bytes.extend([0xe9, b'<', b'/', b'p', b'>']);
        assert_eq!(parse(&bytes).root.text(), "café");
    }

    #[test]
    fn html_entities_without_a_dtd() {
        let doc = parse(b"<p>a&nbsp;b &mdash; &amp; &lt;c&gt; &#8212;</p>");
        assert!(doc.recovered.is_none(), "{:?}", doc.recovered);
        // NBSP is whitespace, so it collapses like a space.
        assert_eq!(doc.root.text(), "a b \u{2014} & <c> \u{2014}");
    }

    #[test]
    fn namespaced_attributes_keep_their_prefix() {
        let doc = parse(
            br#"<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body epub:type="bodymatter"><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="a.jpg"/></svg></body></html>"#,
        );
        let body = doc.root.find("body").unwrap();
        assert!(body.has_type("bodymatter"));
        assert_eq!(doc.root.find("image").unwrap().href(), Some("a.jpg"));
    }

    #[test]
    fn malformed_xhtml_is_recovered_as_html() {
        let doc = parse(b"<html><body><p>one<p>two & three</body>");
        assert!(doc.recovered.is_some());
        let mut ps = Vec::new();
        doc.root.find_all("p", &mut ps);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[1].text(), "two & three");
    }

    #[test]
    fn entity_expansion_cannot_blow_up() {
        let mut xml = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            xml.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">",
                format!("&{prev};").repeat(10)
            ));
        }
        xml.push_str("]><html><body><p>&lol9;</p></body></html>");
        let started = std::time::Instant::now();
        let doc = parse(xml.as_bytes());
        assert!(doc.recovered.is_some(), "the expansion must be refused");
        assert!(doc.root.text().len() < 10_000);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn absurd_nesting_in_broken_markup_is_read_as_text_quickly() {
        let doc = format!(
            "<html><body>{}deep &amp; text<p>after",
            "<div>".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let parsed = parse(doc.as_bytes());
        assert!(started.elapsed().as_secs() < 5);
        assert!(parsed.recovered.unwrap().contains("plain text"));
        assert_eq!(parsed.root.text(), "deep & text after");
        assert_eq!(nesting_depth("<a><b/><br><c></c></a><d>"), 2);
    }

    #[test]
    fn self_closing_spans_do_not_swallow_text() {
        let doc = parse(b"<html><body><p>before<span id=\"p1\"/> after</p></body></html>");
        let span = doc.root.find("span").unwrap();
        assert!(span.children.is_empty());
        assert_eq!(doc.root.text(), "before after");
    }

    #[test]
    fn recovered_markup_leaves_no_debris() {
        let doc = parse(
            br#"<?xml version="1.0"?>
<!DOCTYPE html [
<!ENTITY name "Ishmael">
]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Call me &name;, &undefined; here &amp; there&hellip;</p></body></html>"#,
        );
        assert!(doc.recovered.is_some());
        assert_eq!(doc.root.text(), "Call me Ishmael, here & there…");
    }
}
