//! Image bytes: read from the EPUB (or decoded from `data:` URIs), stored once under their
//! content hash, measured, and given a hint for the describe stage.
//!
//! An SVG that wraps raster images (Standard Ebooks covers embed a base64 JPEG) stands for
//! those rasters; an SVG without any is kept as itself. Files are written into the work
//! directory's `images/` folder through `workdir::fsutil`, never to a temporary directory,
//! and their names come from the hash and the sniffed format, never from the EPUB.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::PathBuf;

use base64::Engine;

use super::archive::{self, Archive};
use super::book::{DecorativeReason, Image, ImageHint, ImageId};
use super::content::{FoundImage, ImageSrc, data_uri};
use super::dom;
use crate::workdir::fingerprint::sha256_hex;
use crate::workdir::fsutil::write_file;

/// Where image bytes go.
pub enum Store {
    /// Hash and measure only (listing chapters).
    Nowhere,
    /// Into `<dir>/images/`.
    WorkDir(PathBuf),
}

struct Entry {
    image: Image,
    all_marked: bool,
    ornament: bool,
}

pub struct Images<'s> {
    store: &'s Store,
    entries: Vec<Entry>,
    by_id: HashMap<ImageId, usize>,
    /// What each source (entry path or data URI hash) turned into, so it is read once.
    by_source: HashMap<String, Vec<ImageId>>,
}

impl<'s> Images<'s> {
    pub fn new(store: &'s Store) -> Images<'s> {
        Images {
            store,
            entries: Vec::new(),
            by_id: HashMap::new(),
            by_source: HashMap::new(),
        }
    }

    /// Records one use of an image the text shows; returns the stored images it stands for
    /// (an SVG may wrap several), or a warning.
    pub fn found(
        &mut self,
        zip: &mut Archive,
        doc: &str,
        found: &FoundImage,
    ) -> Result<Vec<ImageId>, String> {
        let ids = self.resolve(zip, doc, &found.src)?;
        for id in &ids {
            let entry = &mut self.entries[self.by_id[id]];
            entry.image.uses += 1;
            entry.all_marked &= found.marked_decorative;
            entry.ornament |= found.ornament;
        }
        Ok(ids)
    }

    /// Stores the cover (not a use in the text).
    pub fn cover(&mut self, zip: &mut Archive, path: &str) -> Result<Option<ImageId>, String> {
        let ids = self.resolve(zip, path, &ImageSrc::Entry(path.to_owned()))?;
        Ok(ids.into_iter().next())
    }

    fn resolve(
        &mut self,
        zip: &mut Archive,
        doc: &str,
        src: &ImageSrc,
    ) -> Result<Vec<ImageId>, String> {
        let key = match src {
            ImageSrc::Entry(path) => path.clone(),
            ImageSrc::Data { payload, .. } => {
                format!("{doc}#data:{}", sha256_hex(payload.as_bytes()))
            }
        };
        if let Some(ids) = self.by_source.get(&key) {
            return Ok(ids.clone());
        }
        let (bytes, label, base) = match src {
            ImageSrc::Entry(path) => {
                let (name, _) = zip
                    .find(path)
                    .ok_or_else(|| format!("{doc}: image {path} is not in the EPUB"))?;
                let bytes = zip.read(&name).map_err(|e| format!("{name}: {e}"))?;
                (bytes, name.clone(), name)
            }
            ImageSrc::Data {
                media_type,
                payload,
            } => (
                decode_data(media_type, payload)
                    .ok_or_else(|| format!("{doc}: an embedded image's data cannot be decoded"))?,
                format!("{doc}#data-uri"),
                doc.to_owned(),
            ),
        };
        let ids = if is_svg(&bytes) {
            let rasters = self.svg_rasters(zip, &base, &bytes, &label);
            if rasters.is_empty() {
                vec![self.add(bytes, label)?]
            } else {
                rasters
            }
        } else {
            vec![self.add(bytes, label)?]
        };
        self.by_source.insert(key, ids.clone());
        Ok(ids)
    }

    /// The raster images an SVG shows.
    fn svg_rasters(
        &mut self,
        zip: &mut Archive,
        base: &str,
        svg: &[u8],
        label: &str,
    ) -> Vec<ImageId> {
        let doc = dom::parse(svg);
        let mut images = Vec::new();
        doc.root.find_all("image", &mut images);
        let hrefs: Vec<String> = images
            .iter()
            .filter_map(|i| i.href().map(str::to_owned))
            .collect();
        let mut ids = Vec::new();
        for href in hrefs {
            let result = match data_uri(&href) {
                Some((media_type, payload)) => decode_data(&media_type, payload)
                    .ok_or_else(|| format!("{label}: embedded image cannot be decoded"))
                    .and_then(|bytes| self.add(bytes, format!("{label}#data-uri"))),
                None => {
                    let path = archive::resolve(base, &href);
                    match zip.find(&path) {
                        None => Err(format!("{label}: image {path} is not in the EPUB")),
                        Some((name, _)) => zip
                            .read(&name)
                            .map_err(|e| format!("{name}: {e}"))
                            .and_then(|b| self.add(b, name)),
                    }
                }
            };
            if let Ok(id) = result {
                ids.push(id);
            }
        }
        ids
    }

    fn add(&mut self, bytes: Vec<u8>, source: String) -> Result<ImageId, String> {
        let id = ImageId(sha256_hex(&bytes));
        if let Some(&i) = self.by_id.get(&id) {
            let sources = &mut self.entries[i].image.sources;
            if !sources.contains(&source) {
                sources.push(source);
            }
            return Ok(id);
        }
        let (media_type, ext) = sniff(&bytes, &source);
        let (width, height) = dimensions(&bytes).unzip();
        let file = format!("images/{id}.{ext}");
        if let Store::WorkDir(dir) = self.store {
            let path = dir.join(&file);
            if !path.exists() {
                write_file(&path, &bytes).map_err(|e| format!("{e:#}"))?;
            }
        }
        self.by_id.insert(id.clone(), self.entries.len());
        self.entries.push(Entry {
            image: Image {
                id: id.clone(),
                file,
                media_type,
                bytes: bytes.len() as u64,
                width,
                height,
                sources: vec![source],
                uses: 0,
                hint: ImageHint::Describe,
            },
            all_marked: true,
            ornament: false,
        });
        Ok(id)
    }

    /// The images, with hints decided now that every use is known.
    pub fn finish(self) -> Vec<Image> {
        self.entries
            .into_iter()
            .map(|e| {
                let mut image = e.image;
                image.hint = hint(&image, e.all_marked && image.uses > 0, e.ornament);
                image
            })
            .collect()
    }
}

fn hint(image: &Image, marked: bool, ornament: bool) -> ImageHint {
    let tiny = match (image.width, image.height) {
        (Some(w), Some(h)) => (w <= 48 && h <= 48) || w <= 4 || h <= 4,
        _ => false,
    };
    let reason = if tiny {
        Some(DecorativeReason::Tiny)
    } else if ornament {
        Some(DecorativeReason::Ornament)
    } else if image.uses >= 3 {
        Some(DecorativeReason::Repeated)
    } else if marked {
        Some(DecorativeReason::MarkedDecorative)
    } else {
        None
    };
    match reason {
        Some(reason) => ImageHint::Decorative { reason },
        None => ImageHint::Describe,
    }
}

fn is_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    head.contains("<svg")
}

fn decode_data(media_type: &str, payload: &str) -> Option<Vec<u8>> {
    if media_type.ends_with(";base64") {
        let clean: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        engine.decode(clean.as_bytes()).ok()
    } else {
        Some(percent_encoding::percent_decode_str(payload).collect())
    }
}

/// The media type and file extension, from the bytes (the name only as a last resort).
fn sniff(bytes: &[u8], source: &str) -> (String, String) {
    if let Ok(format) = image::guess_format(bytes) {
        let ext = format.extensions_str().first().copied().unwrap_or("img");
        return (format.to_mime_type().to_owned(), ext.to_owned());
    }
    if is_svg(bytes) {
        return ("image/svg+xml".into(), "svg".into());
    }
    let ext: String = source
        .rsplit('/')
        .next()
        .and_then(|f| f.rsplit_once('.'))
        .map(|(_, e)| e.to_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".into());
    ("application/octet-stream".into(), ext)
}

fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: u32, h: u32, uses: usize) -> Image {
        Image {
            id: ImageId("x".into()),
            file: String::new(),
            media_type: String::new(),
            bytes: 0,
            width: Some(w),
            height: Some(h),
            sources: vec![],
            uses,
            hint: ImageHint::Describe,
        }
    }

    #[test]
    fn hints() {
        let decorative = |r| ImageHint::Decorative { reason: r };
        assert_eq!(
            hint(&image(1, 1, 1), false, false),
            decorative(DecorativeReason::Tiny)
        );
        assert_eq!(
            hint(&image(600, 2, 1), false, false),
            decorative(DecorativeReason::Tiny)
        );
        assert_eq!(
            hint(&image(600, 400, 1), false, true),
            decorative(DecorativeReason::Ornament)
        );
        assert_eq!(
            hint(&image(600, 400, 5), false, false),
            decorative(DecorativeReason::Repeated)
        );
        assert_eq!(
            hint(&image(600, 400, 1), true, false),
            decorative(DecorativeReason::MarkedDecorative)
        );
        assert_eq!(hint(&image(600, 400, 1), false, false), ImageHint::Describe);
    }

    #[test]
    fn data_uris_decode() {
        assert_eq!(
            decode_data("image/png;base64", "aGVs\nbG8").unwrap(),
            b"hello"
        );
        assert_eq!(decode_data("image/svg+xml", "%3Csvg%3E").unwrap(), b"<svg>");
    }

    #[test]
    fn formats_are_sniffed_from_bytes() {
        let png = {
            let mut out = Vec::new();
            image::RgbImage::new(3, 2)
                .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
                .unwrap();
            out
        };
        assert_eq!(sniff(&png, "a.jpg"), ("image/png".into(), "png".into()));
        assert_eq!(dimensions(&png), Some((3, 2)));
        assert_eq!(
            sniff(b"<svg/>", "x"),
            ("image/svg+xml".into(), "svg".into())
        );
        assert_eq!(sniff(b"??", "../../evil.sh").1, "sh");
        assert_eq!(sniff(b"??", "noext").1, "bin");
    }
}
