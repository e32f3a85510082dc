//! The table of contents: the EPUB 3 navigation document or the EPUB 2 NCX, flattened to
//! entries in reading order with their depth, plus the landmarks that say where the body
//! begins and which files are cover, contents, copyright and so on.

use super::archive;
use super::dom::{Element, collapse_whitespace};
use super::package::GuideRef;

#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    pub title: String,
    pub path: String,
    pub fragment: Option<String>,
    /// 0 for top-level entries.
    pub depth: usize,
}

/// Entries of the `toc` nav of an EPUB 3 navigation document at `nav_path`, and its landmarks.
pub fn from_nav(root: &Element, nav_path: &str) -> (Vec<TocEntry>, Vec<GuideRef>) {
    let mut navs = Vec::new();
    root.find_all("nav", &mut navs);
    let mut toc = Vec::new();
    let mut landmarks = Vec::new();
    // Some books leave out epub:type; then the first nav is the contents.
    let toc_nav = navs.iter().find(|n| n.has_type("toc")).or_else(|| {
        navs.iter()
            .find(|n| !n.has_type("landmarks") && !n.has_type("page-list"))
    });
    if let Some(nav) = toc_nav
        && let Some(list) = nav.elements().find(|e| e.name == "ol" || e.name == "ul")
    {
        nav_list(list, nav_path, 0, &mut toc);
    }
    if let Some(nav) = navs.iter().find(|n| n.has_type("landmarks")) {
        let mut links = Vec::new();
        nav.find_all("a", &mut links);
        for a in links {
            if let (Some(kind), Some(href)) = (a.types().next(), a.href()) {
                landmarks.push(GuideRef {
                    kind: kind.rsplit(':').next().unwrap_or(kind).to_lowercase(),
                    path: archive::resolve(nav_path, href),
                });
            }
        }
    }
    (toc, landmarks)
}

fn nav_list(list: &Element, base: &str, depth: usize, out: &mut Vec<TocEntry>) {
    for li in list.elements().filter(|e| e.name == "li") {
        let label = li.elements().find(|e| e.name == "a" || e.name == "span");
        if let Some(a) = label.filter(|a| a.name == "a")
            && let Some(href) = a.href()
        {
            out.push(TocEntry {
                title: a.text(),
                path: archive::resolve(base, href),
                fragment: archive::fragment(href),
                depth,
            });
        }
        for sub in li.elements().filter(|e| e.name == "ol" || e.name == "ul") {
            nav_list(sub, base, depth + 1, out);
        }
    }
}

/// Entries of an NCX `navMap`, in document order.
pub fn from_ncx(root: &Element, ncx_path: &str) -> Vec<TocEntry> {
    let mut out = Vec::new();
    if let Some(map) = root.find("navmap") {
        nav_points(map, ncx_path, 0, &mut out);
    }
    out
}

fn nav_points(parent: &Element, base: &str, depth: usize, out: &mut Vec<TocEntry>) {
    for point in parent.elements().filter(|e| e.name == "navpoint") {
        let title = point
            .elements()
            .find(|e| e.name == "navlabel")
            .map(|l| collapse_whitespace(&l.text()))
            .unwrap_or_default();
        if let Some(src) = point
            .elements()
            .find(|e| e.name == "content")
            .and_then(|c| c.attr("src"))
        {
            out.push(TocEntry {
                title,
                path: archive::resolve(base, src),
                fragment: archive::fragment(src),
                depth,
            });
        }
        nav_points(point, base, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::extract::dom;

    #[test]
    fn nav_entries_are_flattened_with_depth() {
        let doc = dom::parse(br##"<html xmlns:epub="http://www.idpf.org/2007/ops"><body>
            <nav epub:type="toc"><ol><li><a href="text/a.xhtml">A Scandal</a><ol>
            <li><a href="text/a.xhtml#p1">I</a></li></ol></li>
            <li><span>Part</span><ol><li><a href="text/b%20c.xhtml#x">B</a></li></ol></li></ol></nav>
            <nav epub:type="landmarks"><ol><li><a epub:type="bodymatter" href="text/a.xhtml">Start</a></li></ol></nav>
            </body></html>"##);
        let (toc, landmarks) = from_nav(&doc.root, "EPUB/nav.xhtml");
        let got: Vec<_> = toc
            .iter()
            .map(|e| {
                (
                    e.title.as_str(),
                    e.path.as_str(),
                    e.fragment.as_deref(),
                    e.depth,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A Scandal", "EPUB/text/a.xhtml", None, 0),
                ("I", "EPUB/text/a.xhtml", Some("p1"), 1),
                ("B", "EPUB/text/b%20c.xhtml", Some("x"), 1),
            ]
        );
        assert_eq!(landmarks[0].kind, "bodymatter");
    }

    #[test]
    fn ncx_nav_points_nest() {
        let doc = dom::parse(
            br#"<ncx><navMap><navPoint><navLabel><text> INFERNO </text></navLabel>
            <content src="a.html#i"/><navPoint><navLabel><text>Canto I</text></navLabel>
            <content src="a.html#c1"/></navPoint></navPoint></navMap></ncx>"#,
        );
        let toc = from_ncx(&doc.root, "OEBPS/toc.ncx");
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].title, "INFERNO");
        assert_eq!((toc[1].depth, toc[1].fragment.as_deref()), (1, Some("c1")));
    }
}
