//! An image from the work directory, made ready to send: decoded, downscaled so its longer
//! side is at most 1024 px, and encoded as PNG or JPEG in a `data:` URI.
//!
//! Vision models see a few hundred pixels a side at most, so sending a 4000 px scan only
//! costs upload and decode time. PNG and JPEG files already small enough are sent as they
//! are; everything else (GIF's first frame, WebP, large images) is re-encoded — JPEG for
//! opaque pictures, PNG where there is transparency. Formats the `image` crate cannot decode
//! (SVG included) are reported, never rasterized by guesswork.

use std::io::Cursor;

use base64::Engine;
use image::{DynamicImage, ImageFormat, ImageReader, imageops::FilterType};

/// The longest side sent to the model, in pixels.
pub const MAX_SIDE: u32 = 1024;

/// An image ready for a request.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub data_uri: String,
    pub width: u32,
    pub height: u32,
}

/// Decodes and, if needed, shrinks and re-encodes an image's bytes.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read it: {e}"))?;
    let format = reader
        .format()
        .ok_or_else(|| "not a PNG, JPEG, GIF or WebP image".to_string())?;
    let decoded = reader
        .decode()
        .map_err(|e| format!("cannot decode this {}: {e}", format_name(format)))?;
    let (width, height) = (decoded.width(), decoded.height());
    if width == 0 || height == 0 {
        return Err("the image is empty".into());
    }
    let fits = width.max(height) <= MAX_SIDE;
    if fits && matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Ok(Prepared {
            data_uri: data_uri(mime(format), bytes),
            width,
            height,
        });
    }
    let image = if fits {
        decoded
    } else {
        // `resize` keeps the aspect ratio within the box.
        decoded.resize(MAX_SIDE, MAX_SIDE, FilterType::Lanczos3)
    };
    let (format, encoded) = encode(&image)?;
    Ok(Prepared {
        data_uri: data_uri(mime(format), &encoded),
        width: image.width(),
        height: image.height(),
    })
}

fn encode(image: &DynamicImage) -> Result<(ImageFormat, Vec<u8>), String> {
    let mut out = Cursor::new(Vec::new());
    let format = if image.color().has_alpha() {
        image
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|e| format!("cannot encode it as PNG: {e}"))?;
        ImageFormat::Png
    } else {
        // JPEG has no alpha and at most 8 bits a channel.
        DynamicImage::ImageRgb8(image.to_rgb8())
            .write_to(&mut out, ImageFormat::Jpeg)
            .map_err(|e| format!("cannot encode it as JPEG: {e}"))?;
        ImageFormat::Jpeg
    };
    Ok((format, out.into_inner()))
}

fn mime(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "image/png",
        _ => "image/jpeg",
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        _ => "image",
    }
}

fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn decode_uri(uri: &str) -> (String, DynamicImage) {
        let (head, b64) = uri.split_once(";base64,").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        (
            head.trim_start_matches("data:").to_string(),
            image::load_from_memory(&bytes).unwrap(),
        )
    }

    #[test]
    fn small_png_and_jpeg_are_sent_as_they_are() {
        let png = encoded(RgbImage::new(40, 30).into(), ImageFormat::Png);
        let p = prepare(&png).unwrap();
        assert_eq!((p.width, p.height), (40, 30));
        assert!(p.data_uri.starts_with("data:image/png;base64,"));
        let jpeg = encoded(RgbImage::new(40, 30).into(), ImageFormat::Jpeg);
        assert!(
            prepare(&jpeg)
                .unwrap()
                .data_uri
                .starts_with("data:image/jpeg;base64,")
        );
    }

    #[test]
    fn large_images_are_shrunk_to_1024() {
        let big = encoded(
            RgbImage::from_pixel(3000, 1500, Rgb([200, 10, 10])).into(),
            ImageFormat::Png,
        );
        let p = prepare(&big).unwrap();
        assert_eq!((p.width, p.height), (1024, 512));
        let (mime, image) = decode_uri(&p.data_uri);
        assert_eq!(mime, "image/jpeg");
        assert_eq!((image.width(), image.height()), (1024, 512));
    }

    #[test]
    fn gif_and_webp_are_reencoded_keeping_transparency() {
        let gif = encoded(RgbaImage::new(20, 10).into(), ImageFormat::Gif);
        let (mime, image) = decode_uri(&prepare(&gif).unwrap().data_uri);
        assert_eq!((mime.as_str(), image.width()), ("image/png", 20));
        let webp = encoded(
            RgbaImage::from_pixel(16, 16, Rgba([1, 2, 3, 255])).into(),
            ImageFormat::WebP,
        );
        let p = prepare(&webp).unwrap();
        assert!(
            p.data_uri.starts_with("data:image/"),
            "{}",
            &p.data_uri[..30]
        );
    }

    #[test]
    fn undecodable_images_are_reported() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>";
        assert!(prepare(svg).unwrap_err().contains("not a PNG"));
        let mut broken = encoded(RgbImage::new(40, 30).into(), ImageFormat::Png);
        broken.truncate(60);
        assert!(
            prepare(&broken)
                .unwrap_err()
                .contains("cannot decode this PNG")
        );
    }
}
