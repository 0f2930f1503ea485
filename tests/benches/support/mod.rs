//! What the benchmarks share.

/// A 4000×3000 photo-like JPEG at quality 90: gradients with sensor-like noise, about 4 MB
/// (the size of a 12 MP phone photo). The benchmarks' test image.
pub fn photo_like_jpeg() -> Vec<u8> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let noise = (seed % 16) as u32;
        image::Rgb([
            ((x / 16 + noise) % 256) as u8,
            ((y / 12 + noise) % 256) as u8,
            (((x + y) / 28 + noise) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encoding the benchmark photo");
    out
}
