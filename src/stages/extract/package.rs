//! The package: `META-INF/container.xml` → the OPF → metadata, manifest, spine and guide.
//!
//! Read with our own XML parsing (see `dom.rs`) rather than the `epub` crate, because the
//! books people have include what that crate rejects or misreads: a UTF-16 OPF whose
//! declaration says UTF-8, manifest items without an id, itemrefs with a misspelt
//! attribute, a missing container. Each oddity becomes a warning naming the entry, and
//! reading goes on with what is usable.

use std::collections::HashMap;

use super::archive::{self, Archive};
use super::dom::{self, Element};

#[derive(Debug, Clone)]
pub struct ManifestItem {
    pub id: Option<String>,
    /// Full entry path inside the zip (resolved, not yet matched against the entries).
    pub path: String,
    pub media_type: String,
    pub properties: Vec<String>,
    /// The id of the item that stands in for this one where it cannot be shown (EPUB 3.3
    /// §3.4.3, manifest fallbacks).
    pub fallback: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SpineItem {
    pub path: String,
    pub linear: bool,
}

/// An EPUB 2 `<guide>` reference: a type such as `cover`, `toc` or `text` for an entry.
#[derive(Debug, Clone)]
pub struct GuideRef {
    pub kind: String,
    pub path: String,
}

#[derive(Debug, Default)]
pub struct Package {
    pub opf_path: String,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub manifest: Vec<ManifestItem>,
    pub spine: Vec<SpineItem>,
    pub guide: Vec<GuideRef>,
    /// The EPUB 3 navigation document, if declared.
    pub nav: Option<String>,
    /// The EPUB 2 NCX, if declared or present.
    pub ncx: Option<String>,
    /// The manifest's cover image, if declared.
    pub cover_image: Option<String>,
}

impl Package {
    pub fn item_by_path(&self, path: &str) -> Option<&ManifestItem> {
        self.manifest.iter().find(|i| i.path == path)
    }

    fn item_by_id(&self, id: &str) -> Option<&ManifestItem> {
        self.manifest.iter().find(|i| i.id.as_deref() == Some(id))
    }

    /// What a spine entry is read as: the item itself when it is a content document (XHTML,
    /// HTML, SVG) or a picture, else the first such item along its fallback chain. `Err`
    /// names the media types met when the chain ends without one (no fallback, a broken
    /// id, or a loop). An entry the manifest does not list is taken as it is.
    pub fn readable(&self, path: &str) -> Result<(String, String), Vec<String>> {
        let Some(mut item) = self.item_by_path(path) else {
            return Ok((path.to_owned(), String::new()));
        };
        let mut seen = Vec::new();
        loop {
            if is_readable(&item.media_type) {
                return Ok((item.path.clone(), item.media_type.clone()));
            }
            seen.push(item.media_type.clone());
            match item.fallback.as_deref().and_then(|id| self.item_by_id(id)) {
                Some(next) if seen.len() < 16 => item = next,
                _ => return Err(seen),
            }
        }
    }
}

/// Media types the spine can be read from: content documents and pictures. A missing type
/// is given the benefit of the doubt (old books leave it out), and read by its content.
fn is_readable(media_type: &str) -> bool {
    let t = media_type.trim().to_ascii_lowercase();
    t.is_empty()
        || t.contains("html")
        || t == "image/svg+xml"
        || matches!(
            t.as_str(),
            "image/png" | "image/jpeg" | "image/jpg" | "image/gif" | "image/webp"
        )
}

/// Finds and reads the OPF. Errors only when no package document can be found at all.
pub fn read(zip: &mut Archive, warn: &mut dyn FnMut(String)) -> Result<Package, String> {
    let opf_path = find_opf(zip, warn)?;
    let bytes = zip
        .read(&opf_path)
        .map_err(|e| format!("{opf_path}: {e}"))?;
    let doc = dom::parse(&bytes);
    if let Some(err) = &doc.recovered {
        warn(format!(
            "{opf_path}: not well-formed XML ({err}); read leniently"
        ));
    }
    Ok(from_opf(&doc.root, opf_path, warn))
}

fn find_opf(zip: &mut Archive, warn: &mut dyn FnMut(String)) -> Result<String, String> {
    const CONTAINER: &str = "META-INF/container.xml";
    let from_container = match zip.find(CONTAINER) {
        None => {
            warn(format!(
                "{CONTAINER}: missing; looking for the package document"
            ));
            None
        }
        Some((name, _)) => match zip.read(&name) {
            Err(e) => {
                warn(format!("{CONTAINER}: {e}"));
                None
            }
            Ok(bytes) => {
                let doc = dom::parse(&bytes);
                let mut rootfiles = Vec::new();
                doc.root.find_all("rootfile", &mut rootfiles);
                let declared = rootfiles
                    .iter()
                    .filter(|r| {
                        r.attr("media-type")
                            .is_none_or(|m| m == "application/oebps-package+xml")
                    })
                    .find_map(|r| r.attr("full-path"))
                    .map(|p| archive::resolve("", p));
                match declared.as_deref().and_then(|p| zip.find(p)) {
                    Some((name, _)) => Some(name),
                    None => {
                        warn(format!(
                            "{CONTAINER}: names {} which is not in the EPUB; looking for the package document",
                            declared.as_deref().unwrap_or("no package document")
                        ));
                        None
                    }
                }
            }
        },
    };
    if let Some(path) = from_container {
        return Ok(path);
    }
    let mut candidates: Vec<&String> = zip
        .names()
        .iter()
        .filter(|n| n.to_lowercase().ends_with(".opf"))
        .collect();
    candidates.sort_by_key(|n| (n.matches('/').count(), n.to_owned()));
    candidates
        .first()
        .map(|n| n.to_string())
        .ok_or_else(|| "no package document (.opf) in the EPUB".to_owned())
}

fn from_opf(root: &Element, opf_path: String, warn: &mut dyn FnMut(String)) -> Package {
    let mut pkg = Package {
        opf_path: opf_path.clone(),
        ..Package::default()
    };

    if let Some(metadata) = root.find("metadata") {
        let texts = |name: &str| -> Vec<String> {
            let mut found = Vec::new();
            metadata.find_all(name, &mut found);
            found
                .iter()
                .map(|e| e.text())
                .filter(|t| !t.is_empty())
                .collect()
        };
        pkg.title = main_title(metadata);
        pkg.language = texts("language").into_iter().next();
        let mut creators = Vec::new();
        metadata.find_all("creator", &mut creators);
        let refined = refinements(metadata, "role");
        let mut authors: Vec<String> = Vec::new();
        for creator in creators {
            let mut roles: Vec<&str> = creator.attr("role").into_iter().collect();
            if let Some(more) = creator.attr("id").and_then(|id| refined.get(id)) {
                roles.extend(more.iter().map(String::as_str));
            }
            // A creator is an author when no role is given, or `aut` is among its roles.
            if !roles.is_empty() && !roles.iter().any(|r| r.trim() == "aut") {
                continue;
            }
            let name = dom::collapse_whitespace(&creator.text());
            if !name.is_empty() && !authors.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                authors.push(name);
            }
        }
        pkg.authors = authors;
    }

    let mut ids: HashMap<String, usize> = HashMap::new();
    if let Some(manifest) = root.find("manifest") {
        for item in manifest.elements().filter(|e| e.name == "item") {
            let Some(href) = item.attr("href") else {
                warn(format!("{opf_path}: a manifest item has no href; skipped"));
                continue;
            };
            let id = item.attr("id").map(str::to_owned);
            if id.is_none() {
                warn(format!("{opf_path}: manifest item {href} has no id"));
            }
            let entry = ManifestItem {
                id: id.clone(),
                path: archive::resolve(&opf_path, href),
                media_type: item.attr("media-type").unwrap_or("").to_owned(),
                properties: item
                    .attr("properties")
                    .unwrap_or("")
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                fallback: item.attr("fallback").map(|f| f.trim().to_owned()),
            };
            if let Some(id) = id {
                let index = pkg.manifest.len();
                match ids.entry(id) {
                    std::collections::hash_map::Entry::Occupied(taken) => warn(format!(
                        "{opf_path}: duplicate manifest id {:?}; the first is used",
                        taken.key()
                    )),
                    std::collections::hash_map::Entry::Vacant(free) => {
                        free.insert(index);
                    }
                }
            }
            pkg.manifest.push(entry);
        }
    }

    let spine = root.find("spine");
    if let Some(spine) = spine {
        for itemref in spine.elements().filter(|e| e.name == "itemref") {
            let Some(idref) = itemref.attr("idref") else {
                warn(format!("{opf_path}: a spine itemref has no idref; skipped"));
                continue;
            };
            match ids.get(idref) {
                Some(&i) => pkg.spine.push(SpineItem {
                    path: pkg.manifest[i].path.clone(),
                    linear: itemref.attr("linear") != Some("no"),
                }),
                None => warn(format!(
                    "{opf_path}: the spine names {idref:?}, which is not in the manifest; skipped"
                )),
            }
        }
        if let Some(toc) = spine.attr("toc").and_then(|id| ids.get(id)) {
            pkg.ncx = Some(pkg.manifest[*toc].path.clone());
        }
    }

    if let Some(guide) = root.find("guide") {
        for reference in guide.elements().filter(|e| e.name == "reference") {
            match (reference.attr("type"), reference.attr("href")) {
                (Some(kind), Some(href)) => pkg.guide.push(GuideRef {
                    kind: kind.to_lowercase(),
                    path: archive::resolve(&opf_path, href),
                }),
                _ => warn(format!(
                    "{opf_path}: a guide reference lacks its type or href; skipped"
                )),
            }
        }
    }

    pkg.nav = pkg
        .manifest
        .iter()
        .find(|i| i.properties.iter().any(|p| p == "nav"))
        .map(|i| i.path.clone());
    if pkg.ncx.is_none() {
        pkg.ncx = pkg
            .manifest
            .iter()
            .find(|i| i.media_type == "application/x-dtbncx+xml")
            .map(|i| i.path.clone());
    }
    pkg.cover_image = cover_image(root, &pkg, &ids);
    pkg
}

/// EPUB 3 refines a metadata element with `<meta refines="#id" property="…">`: the values of
/// one property, by the id they refine, in document order (a creator may have several roles).
fn refinements(metadata: &Element, property: &str) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for m in metadata
        .elements()
        .filter(|m| m.name == "meta" && m.attr("property") == Some(property))
    {
        if let Some(id) = m.attr("refines") {
            out.entry(id.trim().trim_start_matches('#').to_owned())
                .or_default()
                .push(m.text().trim().to_owned());
        }
    }
    out
}

/// The book's title: the `dc:title` refined as `title-type main` when the package says
/// which one is (EPUB 3 lists subtitles and collection titles as `dc:title` too), else the
/// first that is not marked as another type, else the first.
fn main_title(metadata: &Element) -> Option<String> {
    let mut titles = Vec::new();
    metadata.find_all("title", &mut titles);
    let types = refinements(metadata, "title-type");
    let type_of = |t: &Element| -> Option<&str> {
        let id = t.attr("id")?;
        types.get(id)?.first().map(String::as_str)
    };
    titles.retain(|t| !t.text().is_empty());
    titles
        .iter()
        .find(|t| type_of(t) == Some("main"))
        .or_else(|| titles.iter().find(|t| type_of(t).is_none()))
        .or_else(|| titles.first())
        .map(|t| t.text())
}

/// The cover image: `properties="cover-image"` (EPUB 3), `<meta name="cover">` (EPUB 2, by id
/// or, in some books, by href), or an image item whose id or name says cover.
fn cover_image(root: &Element, pkg: &Package, ids: &HashMap<String, usize>) -> Option<String> {
    let is_image = |i: &ManifestItem| i.media_type.starts_with("image/");
    if let Some(item) = pkg
        .manifest
        .iter()
        .find(|i| i.properties.iter().any(|p| p == "cover-image"))
    {
        return Some(item.path.clone());
    }
    let mut metas = Vec::new();
    if let Some(metadata) = root.find("metadata") {
        metadata.find_all("meta", &mut metas);
    }
    if let Some(content) = metas
        .iter()
        .find(|m| m.attr("name") == Some("cover"))
        .and_then(|m| m.attr("content"))
    {
        if let Some(&i) = ids.get(content) {
            return Some(pkg.manifest[i].path.clone());
        }
        let path = archive::resolve(&pkg.opf_path, content);
        if pkg.item_by_path(&path).is_some() {
            return Some(path);
        }
    }
    pkg.manifest
        .iter()
        .filter(|i| is_image(i))
        .find(|i| {
            let id = i.id.as_deref().unwrap_or("").to_lowercase();
            let file = i.path.rsplit('/').next().unwrap_or("").to_lowercase();
            id.contains("cover") || file.starts_with("cover")
        })
        .map(|i| i.path.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opf(xml: &str) -> (Package, Vec<String>) {
        let mut warnings = Vec::new();
        let doc = dom::parse(xml.as_bytes());
        let pkg = from_opf(&doc.root, "OEBPS/content.opf".into(), &mut |w| {
            warnings.push(w)
        });
        (pkg, warnings)
    }

    #[test]
    fn reads_metadata_spine_and_cover() {
        let (pkg, warnings) = opf(
            r##"<package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <metadata><dc:title>Moby-Dick</dc:title><dc:creator id="c1">Herman Melville</dc:creator>
            <dc:creator id="c2">An Editor</dc:creator><meta refines="#c2" property="role">edt</meta>
            <dc:language>en-US</dc:language></metadata>
            <manifest><item id="c" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>
            <item id="ch1" href="text/ch%201.xhtml" media-type="application/xhtml+xml"/>
            <item id="ch2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/></manifest>
            <spine><itemref idref="ch1"/><itemref idref="ch2" linear="no"/><itemref idref="gone"/><itemref idre="ch2"/></spine>
            </package>"##,
        );
        assert_eq!(pkg.title.as_deref(), Some("Moby-Dick"));
        assert_eq!(pkg.authors, ["Herman Melville"]);
        assert_eq!(pkg.language.as_deref(), Some("en-US"));
        assert_eq!(pkg.cover_image.as_deref(), Some("OEBPS/images/cover.jpg"));
        assert_eq!(pkg.spine.len(), 2);
        assert_eq!(pkg.spine[0].path, "OEBPS/text/ch%201.xhtml");
        assert!(!pkg.spine[1].linear);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("\"gone\""), "{warnings:?}");
    }

    #[test]
    fn epub2_cover_meta_by_id() {
        let (pkg, _) = opf(
            r#"<package><metadata><meta name="cover" content="img"/></metadata>
            <manifest><item id="img" href="a.png" media-type="image/png"/></manifest><spine/></package>"#,
        );
        assert_eq!(pkg.cover_image.as_deref(), Some("OEBPS/a.png"));
    }
}
