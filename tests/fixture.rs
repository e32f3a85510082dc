//! EPUBs built inside the tests: a small valid book, and the same book broken in the ways the
//! extract stage must survive (or refuse safely).

use std::io::Write;
use std::path::Path;

use zip::write::SimpleFileOptions;

/// An EPUB under construction: named entries with their bytes, in order.
pub struct Epub {
    pub entries: Vec<(String, Vec<u8>)>,
    pub symlinks: Vec<(String, String)>,
}

pub fn chapter(title: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head>
<body><section><h1>{title}</h1>{body}</section></body></html>"#
    )
}

impl Epub {
    /// A valid EPUB 3 with these chapters (file name, title, body XHTML) and a nav.
    pub fn book(chapters: &[(&str, &str, &str)]) -> Epub {
        Epub::book_in(Some("en"), chapters)
    }

    /// The same, in a language: `dc:language` as given, or none.
    pub fn book_in(language: Option<&str>, chapters: &[(&str, &str, &str)]) -> Epub {
        let language = language
            .map(|l| format!("<dc:language>{l}</dc:language>"))
            .unwrap_or_default();
        let manifest: String = chapters
            .iter()
            .enumerate()
            .map(|(i, (file, _, _))| {
                format!(r#"<item id="c{i}" href="{file}" media-type="application/xhtml+xml"/>"#)
            })
            .collect();
        let spine: String = (0..chapters.len())
            .map(|i| format!(r#"<itemref idref="c{i}"/>"#))
            .collect();
        let nav_items: String = chapters
            .iter()
            .map(|(file, title, _)| format!(r#"<li><a href="{file}">{title}</a></li>"#))
            .collect();
        let mut epub = Epub {
            entries: Vec::new(),
            symlinks: Vec::new(),
        };
        epub.add("mimetype", "application/epub+zip");
        epub.add(
            "META-INF/container.xml",
            r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#,
        );
        epub.add(
            "OEBPS/content.opf",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Test Book</dc:title><dc:creator>A. Tester</dc:creator>{language}</metadata><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{manifest}</manifest><spine>{spine}</spine></package>"#
            ),
        );
        epub.add(
            "OEBPS/nav.xhtml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Contents</title></head><body><nav epub:type="toc"><ol>{nav_items}</ol></nav></body></html>"#
            ),
        );
        for (file, title, body) in chapters {
            epub.add(&format!("OEBPS/{file}"), &chapter(title, body));
        }
        epub
    }

    pub fn add(&mut self, name: &str, text: &str) -> &mut Epub {
        self.add_bytes(name, text.as_bytes().to_vec())
    }

    pub fn add_bytes(&mut self, name: &str, bytes: Vec<u8>) -> &mut Epub {
        self.entries.retain(|(n, _)| n != name);
        self.entries.push((name.to_owned(), bytes));
        self
    }

    pub fn write(&self, path: &Path) {
        let file = std::fs::File::create(path).expect("cannot create the test EPUB");
        let mut zip = zip::ZipWriter::new(file);
        for (name, bytes) in &self.entries {
            let options = if name == "mimetype" {
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
            } else {
                SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .large_file(bytes.len() > u32::MAX as usize / 2)
            };
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        for (name, target) in &self.symlinks {
            zip.add_symlink(name.as_str(), target.as_str(), SimpleFileOptions::default())
                .unwrap();
        }
        zip.finish().unwrap();
    }
}

/// A PNG of the given size, for image tests.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]));
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
