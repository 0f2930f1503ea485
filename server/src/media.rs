//! Photo derivatives: a 320 px thumbnail and a 1600 px preview of each photo, its EXIF
//! orientation applied, and its capture time, GPS position and device read from EXIF.
//!
//! The original is never touched: it is the evidence. Derivatives are new JPEGs that carry no
//! EXIF (a photo's GPS position must not leak through a thumbnail).
//!
//! JPEG is decoded at reduced scale in the DCT domain (1/2, 1/4 or 1/8, as libjpeg's
//! `scale_denom`) to the smallest size that still covers the preview, then resized with a SIMD
//! resizer: a 12 MP photo is never held at full size. Dimensions are read before any pixel is
//! decoded, so a pixel flood is refused in microseconds; other formats decode under explicit
//! width, height and allocation limits.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageFormat, RgbImage};

/// Longest edge of a thumbnail, in pixels.
pub const THUMBNAIL_EDGE: u32 = 320;
/// Longest edge of a preview, in pixels.
pub const PREVIEW_EDGE: u32 = 1600;

/// The file types accepted as evidence, recognised by their magic bytes (never by the
/// declared type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    /// HEIF with HEVC, as iPhones take by default. Accepted and kept; this server has no
    /// decoder for it, so it gets no thumbnail or preview.
    Heic,
    Pdf,
}

/// ISO-BMFF brands of HEIF images and sequences.
const HEIF_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
];

impl FileType {
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(FileType::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if is_heif(bytes) {
            Some(FileType::Heic)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Heic => "image/heic",
            FileType::Pdf => "application/pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != FileType::Pdf
    }

    /// Whether this server decodes it (for derivatives and the header check at upload).
    pub fn is_decodable(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png | FileType::Webp)
    }
}

/// Whether `bytes` open with an ISO-BMFF `ftyp` box naming a HEIF brand, major or compatible.
/// AVIF lists `mif1` too, so a file naming `avif` or `avis` is not taken for HEIC.
fn is_heif(bytes: &[u8]) -> bool {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let declared = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = declared.clamp(16, bytes.len());
    let major = &bytes[8..12];
    // Bytes 12..16 are the minor version; the compatible brands follow.
    let brands = std::iter::once(major).chain(bytes[16..end].chunks_exact(4));
    let mut heif = false;
    for brand in brands {
        if brand == b"avif" || brand == b"avis" {
            return false;
        }
        heif |= HEIF_BRANDS.iter().any(|b| b.as_slice() == brand);
    }
    heif
}

/// What an image may be before it is decoded.
#[derive(Debug, Clone, Copy)]
pub struct DecodeLimits {
    pub max_width: u32,
    pub max_height: u32,
    /// Width × height: 108 MP admits a 12000×9000 photo (today's largest phone sensors).
    pub max_pixels: u64,
    /// Bytes the decoder may allocate.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_width: 16_384,
            max_height: 16_384,
            max_pixels: 108_000_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MediaError {
    #[error("the image is {width}×{height} pixels, more than this server decodes")]
    TooLarge { width: u64, height: u64 },
    #[error("the image cannot be decoded: {0}")]
    Corrupt(String),
    /// The bytes end before the header does (a prefix of a longer file, or a cut upload).
    #[error("the image ends before its header does")]
    Truncated,
    #[error("{0} files have no derivatives")]
    NotAnImage(&'static str),
    #[error("no HEIC decoder on this server; the original is kept")]
    NoHeicDecoder,
}

/// What EXIF says about a photo (each field only when present and well-formed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExifMeta {
    /// `DateTimeOriginal` as written by the camera (local time, no zone): `2026:11:23 09:15:02`.
    pub taken_at: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub device_model: Option<String>,
    /// EXIF orientation, 1 to 8.
    pub orientation: Option<u8>,
}

/// The derivatives of one photo.
#[derive(Debug, Clone)]
pub struct Derived {
    pub thumbnail: Vec<u8>,
    pub preview: Vec<u8>,
    /// Size of the original, before orientation.
    pub width: u32,
    pub height: u32,
    pub exif: ExifMeta,
}

/// Checks an image's header against the limits without decoding a pixel: what an upload does
/// before it stores anything. Returns the pixel size.
pub fn check_header(
    bytes: &[u8],
    file_type: FileType,
    limits: &DecodeLimits,
) -> Result<(u32, u32), MediaError> {
    let (width, height) = match file_type {
        FileType::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
            decoder.read_info().map_err(|e| match e {
                jpeg_decoder::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                    MediaError::Truncated
                }
                other => MediaError::Corrupt(other.to_string()),
            })?;
            let info = decoder
                .info()
                .ok_or_else(|| MediaError::Corrupt("no frame header".to_owned()))?;
            (u32::from(info.width), u32::from(info.height))
        }
        FileType::Png | FileType::Webp => {
            let format = if file_type == FileType::Png {
                ImageFormat::Png
            } else {
                ImageFormat::WebP
            };
            image::ImageReader::with_format(Cursor::new(bytes), format)
                .into_dimensions()
                .map_err(|e| MediaError::Corrupt(e.to_string()))?
        }
        FileType::Heic => return Err(MediaError::NoHeicDecoder),
        FileType::Pdf => return Err(MediaError::NotAnImage("PDF")),
    };
    check_size(u64::from(width), u64::from(height), limits)?;
    Ok((width, height))
}

/// Makes the thumbnail and preview of an image, and reads its EXIF.
pub fn derive(bytes: &[u8], limits: &DecodeLimits) -> Result<Derived, MediaError> {
    let file_type = FileType::sniff(bytes).ok_or(MediaError::NotAnImage("unrecognised"))?;
    let exif = read_exif(bytes);
    let decoded = match file_type {
        FileType::Jpeg => decode_jpeg_scaled(bytes, limits)?,
        FileType::Png => decode_other(bytes, ImageFormat::Png, limits)?,
        FileType::Webp => decode_other(bytes, ImageFormat::WebP, limits)?,
        FileType::Heic => return Err(MediaError::NoHeicDecoder),
        FileType::Pdf => return Err(MediaError::NotAnImage("PDF")),
    };
    let preview = fit(&decoded.pixels, PREVIEW_EDGE)?;
    let thumbnail = fit(&preview, THUMBNAIL_EDGE)?;
    let orientation = exif.orientation.and_then(Orientation::from_exif);
    Ok(Derived {
        thumbnail: encode(thumbnail, orientation, 80)?,
        preview: encode(preview, orientation, 82)?,
        width: decoded.width,
        height: decoded.height,
        exif,
    })
}

struct Decoded {
    pixels: RgbImage,
    width: u32,
    height: u32,
}

fn check_size(width: u64, height: u64, limits: &DecodeLimits) -> Result<(), MediaError> {
    if width == 0 || height == 0 {
        return Err(MediaError::Corrupt("the image has no pixels".to_owned()));
    }
    if width > u64::from(limits.max_width)
        || height > u64::from(limits.max_height)
        || width * height > limits.max_pixels
    {
        return Err(MediaError::TooLarge { width, height });
    }
    Ok(())
}

/// The size, no larger than asked, that keeps the aspect ratio with its longest edge at `edge`.
fn fitted(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= edge {
        return (width, height);
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(edge) + u64::from(longest) / 2) / u64::from(longest)).max(1)
            as u32
    };
    (scale(width), scale(height))
}

fn decode_jpeg_scaled(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, MediaError> {
    let corrupt = |e: jpeg_decoder::Error| MediaError::Corrupt(e.to_string());
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(corrupt)?;
    let info = decoder
        .info()
        .ok_or_else(|| MediaError::Corrupt("no frame header".to_owned()))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_size(u64::from(width), u64::from(height), limits)?;
    let (want_w, want_h) = fitted(width, height, PREVIEW_EDGE);
    let (out_w, out_h) = decoder
        .scale(
            u16::try_from(want_w).unwrap_or(u16::MAX),
            u16::try_from(want_h).unwrap_or(u16::MAX),
        )
        .map_err(corrupt)?;
    decoder.set_max_decoding_buffer_size(usize::try_from(limits.max_alloc).unwrap_or(usize::MAX));
    let raw = decoder.decode().map_err(corrupt)?;
    let (out_w, out_h) = (u32::from(out_w), u32::from(out_h));
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => raw,
        jpeg_decoder::PixelFormat::L8 => raw.iter().flat_map(|&l| [l, l, l]).collect(),
        jpeg_decoder::PixelFormat::L16 => raw
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0]])
            .collect(),
        // Adobe CMYK JPEGs store inverted ink values.
        jpeg_decoder::PixelFormat::CMYK32 => raw
            .chunks_exact(4)
            .flat_map(|p| {
                let k = u16::from(p[3]);
                let channel = |c: u8| ((u16::from(c) * k) / 255) as u8;
                [channel(p[0]), channel(p[1]), channel(p[2])]
            })
            .collect(),
    };
    let pixels = RgbImage::from_raw(out_w, out_h, rgb)
        .ok_or_else(|| MediaError::Corrupt("decoded size does not match the header".to_owned()))?;
    Ok(Decoded {
        pixels,
        width,
        height,
    })
}

fn decode_other(
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
) -> Result<Decoded, MediaError> {
    let corrupt = |e: image::ImageError| MediaError::Corrupt(e.to_string());
    let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(corrupt)?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    check_size(u64::from(width), u64::from(height), limits)?;
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_width);
    image_limits.max_image_height = Some(limits.max_height);
    image_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(image_limits);
    let pixels = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => MediaError::TooLarge {
            width: width.into(),
            height: height.into(),
        },
        other => corrupt(other),
    })?;
    Ok(Decoded {
        pixels: pixels.to_rgb8(),
        width,
        height,
    })
}

/// `image` scaled down (never up) so its longest edge is at most `edge`.
fn fit(image: &RgbImage, edge: u32) -> Result<RgbImage, MediaError> {
    let (width, height) = fitted(image.width(), image.height(), edge);
    if (width, height) == image.dimensions() {
        return Ok(image.clone());
    }
    let source = Image::from_vec_u8(
        image.width(),
        image.height(),
        image.as_raw().clone(),
        PixelType::U8x3,
    )
    .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    let mut target = Image::new(width, height, PixelType::U8x3);
    Resizer::new()
        .resize(
            &source,
            &mut target,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    RgbImage::from_raw(width, height, target.into_vec())
        .ok_or_else(|| MediaError::Corrupt("resized buffer has the wrong size".to_owned()))
}

/// A JPEG of `pixels` turned upright, with no metadata.
fn encode(
    pixels: RgbImage,
    orientation: Option<Orientation>,
    quality: u8,
) -> Result<Vec<u8>, MediaError> {
    let mut image = DynamicImage::ImageRgb8(pixels);
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&image)
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    Ok(out)
}

/// Reads capture time, GPS, device and orientation; anything missing or malformed is `None`.
pub fn read_exif(bytes: &[u8]) -> ExifMeta {
    use exif::{In, Tag, Value};
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return ExifMeta::default();
    };
    let text = |tag: Tag| -> Option<String> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Ascii(parts) => parts
                .first()
                .map(|p| {
                    String::from_utf8_lossy(p)
                        .trim_matches(char::from(0))
                        .trim()
                        .to_owned()
                })
                .filter(|s| !s.is_empty()),
            _ => None,
        }
    };
    let degrees = |tag: Tag, reference: Tag, negative: u8| -> Option<f64> {
        let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
            return None;
        };
        if parts.len() < 3 || parts.iter().any(|r| r.denom == 0) {
            return None;
        }
        let value = parts[0].to_f64() + parts[1].to_f64() / 60.0 + parts[2].to_f64() / 3600.0;
        let sign = match &exif.get_field(reference, In::PRIMARY)?.value {
            Value::Ascii(r) if r.first().and_then(|r| r.first()) == Some(&negative) => -1.0,
            _ => 1.0,
        };
        Some(sign * value)
    };
    ExifMeta {
        taken_at: text(Tag::DateTimeOriginal).or_else(|| text(Tag::DateTime)),
        latitude: degrees(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')
            .filter(|v| (-90.0..=90.0).contains(v)),
        longitude: degrees(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')
            .filter(|v| (-180.0..=180.0).contains(v)),
        device_model: text(Tag::Model),
        orientation: exif
            .get_field(Tag::Orientation, In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|o| u8::try_from(o).ok())
            .filter(|o| (1..=8).contains(o)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG of a gradient, `width`×`height`, optionally with an EXIF segment.
    pub fn jpeg(width: u32, height: u32, exif: Option<&[u8]>) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 85)
            .encode_image(&image)
            .unwrap();
        match exif {
            None => plain,
            Some(tiff) => {
                // APP1 "Exif\0\0" + TIFF, right after SOI.
                let mut out = plain[..2].to_vec();
                let len = (2 + 6 + tiff.len()) as u16;
                out.extend([0xFF, 0xE1]);
                out.extend(len.to_be_bytes());
                out.extend(b"Exif\0\0");
                out.extend(tiff);
                out.extend(&plain[2..]);
                out
            }
        }
    }

    /// A little-endian TIFF with IFD0 holding Orientation and Model.
    fn tiff(orientation: u16, model: &str) -> Vec<u8> {
        let mut model_bytes = model.as_bytes().to_vec();
        model_bytes.push(0);
        let entries = 2u16;
        let ifd_start = 8u32;
        let data_start = ifd_start + 2 + u32::from(entries) * 12 + 4;
        let mut t = b"II*\0".to_vec();
        t.extend(ifd_start.to_le_bytes());
        t.extend(entries.to_le_bytes());
        // Model (0x0110), ASCII (2), count, offset.
        t.extend(0x0110u16.to_le_bytes());
        t.extend(2u16.to_le_bytes());
        t.extend((model_bytes.len() as u32).to_le_bytes());
        t.extend(data_start.to_le_bytes());
        // Orientation (0x0112), SHORT (3), count 1, value.
        t.extend(0x0112u16.to_le_bytes());
        t.extend(3u16.to_le_bytes());
        t.extend(1u32.to_le_bytes());
        t.extend(u32::from(orientation).to_le_bytes());
        t.extend(0u32.to_le_bytes());
        t.extend(model_bytes);
        t
    }

    fn dimensions(jpeg: &[u8]) -> (u32, u32) {
        let image = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).unwrap();
        (image.width(), image.height())
    }

    #[test]
    fn a_photo_gets_a_thumbnail_and_a_preview_of_the_right_size() {
        let photo = jpeg(4000, 3000, None);

        let derived = derive(&photo, &DecodeLimits::default()).unwrap();

        assert_eq!((derived.width, derived.height), (4000, 3000));
        assert_eq!(dimensions(&derived.preview), (1600, 1200));
        assert_eq!(dimensions(&derived.thumbnail), (320, 240));
    }

    #[test]
    fn exif_orientation_is_applied_and_derivatives_carry_no_exif() {
        let photo = jpeg(1200, 800, Some(&tiff(6, "Kiểm tra Phone 1")));

        let derived = derive(&photo, &DecodeLimits::default()).unwrap();

        assert_eq!(derived.exif.orientation, Some(6));
        assert_eq!(
            derived.exif.device_model.as_deref(),
            Some("Kiểm tra Phone 1")
        );
        assert_eq!(
            dimensions(&derived.thumbnail),
            (213, 320),
            "rotated upright"
        );
        for output in [&derived.thumbnail, &derived.preview] {
            assert!(
                !output.windows(6).any(|w| w == b"Exif\0\0"),
                "no EXIF in a derivative"
            );
        }
    }

    #[test]
    fn small_images_are_not_enlarged() {
        let derived = derive(&jpeg(200, 100, None), &DecodeLimits::default()).unwrap();

        assert_eq!(dimensions(&derived.thumbnail), (200, 100));
        assert_eq!(dimensions(&derived.preview), (200, 100));
    }

    #[test]
    fn a_jpeg_claiming_65500_by_65500_pixels_is_refused_before_decoding() {
        let mut flood = jpeg(16, 16, None);
        // Patch the SOF0 frame header: FF C0, length, precision, height, width.
        let sof = flood.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        flood[sof + 5..sof + 7].copy_from_slice(&65500u16.to_be_bytes());
        flood[sof + 7..sof + 9].copy_from_slice(&65500u16.to_be_bytes());
        assert!(flood.len() < 1000);

        let started = std::time::Instant::now();
        let refused = derive(&flood, &DecodeLimits::default());

        assert_eq!(
            refused.unwrap_err(),
            MediaError::TooLarge {
                width: 65500,
                height: 65500
            }
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_png_decompression_bomb_is_refused_by_its_header() {
        // A real 1×1 PNG whose IHDR then claims 100000×100000 (with its CRC fixed).
        let mut png = Vec::new();
        RgbImage::new(1, 1)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());

        let refused = derive(&png, &DecodeLimits::default());

        assert_eq!(
            refused.unwrap_err(),
            MediaError::TooLarge {
                width: 100_000,
                height: 100_000
            }
        );
    }

    #[test]
    fn a_truncated_jpeg_is_corrupt_not_a_panic() {
        let photo = jpeg(800, 600, None);

        let refused = derive(&photo[..photo.len() / 3], &DecodeLimits::default());

        assert!(
            matches!(refused, Err(MediaError::Corrupt(_))),
            "{refused:?}"
        );
    }

    /// An `ftyp` box with `major` and `compatible` brands, then a little of the next box.
    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len() as u32;
        let mut out = size.to_be_bytes().to_vec();
        out.extend(b"ftyp");
        out.extend(major);
        out.extend(0u32.to_be_bytes());
        for brand in compatible {
            out.extend(*brand);
        }
        out.extend(b"\0\0\0\x08meta");
        out
    }

    #[test]
    fn heif_brands_are_heic_and_avif_or_mp4_are_not() {
        assert_eq!(
            FileType::sniff(&ftyp(b"heic", &[b"mif1", b"heic"])),
            Some(FileType::Heic)
        );
        assert_eq!(
            FileType::sniff(&ftyp(b"mif1", &[b"heic"])),
            Some(FileType::Heic)
        );
        assert_eq!(
            FileType::sniff(&ftyp(b"msf1", &[b"hevc"])),
            Some(FileType::Heic)
        );
        assert_eq!(FileType::sniff(&ftyp(b"avif", &[b"mif1", b"miaf"])), None);
        assert_eq!(FileType::sniff(&ftyp(b"mif1", &[b"avif"])), None);
        assert_eq!(FileType::sniff(&ftyp(b"isom", &[b"mp42"])), None);
        assert_eq!(FileType::sniff(b"\0\0\0\x18ftyphe"), None, "too short");
    }

    #[test]
    fn heic_is_an_image_without_derivatives() {
        let heic = ftyp(b"heic", &[b"mif1"]);

        let refused = derive(&heic, &DecodeLimits::default());

        assert!(FileType::Heic.is_image());
        assert_eq!(refused.unwrap_err(), MediaError::NoHeicDecoder);
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
