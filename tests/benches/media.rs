//! Derivative benchmark: thumbnail (320 px) + preview (1600 px) of a 4000×3000 JPEG, against
//! `vipsthumbnail` (Debian's libvips-tools) making the same two files from the same file in the
//! same run, with vips's process start-up measured on a tiny image and subtracted. Also the
//! peak memory of our derivative step: a child process reads the photo, resets its peak RSS
//! (`/proc/self/clear_refs`), derives, and reports how far `VmHWM` rose above its RSS before.
//!
//! Prints figures; asserts nothing about speed.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use kiemtra_server::media::{self, DecodeLimits};

const RUNS: usize = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn vips(input: &std::path::Path, size: u32, output: &str) -> Duration {
    let started = Instant::now();
    let status = Command::new("vipsthumbnail")
        .arg(input)
        .args(["-s", &size.to_string(), "-o", output])
        .status()
        .expect("vipsthumbnail (apt-get install libvips-tools)");
    assert!(status.success());
    started.elapsed()
}

/// A field of /proc/self/status, in kB.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Child mode: derive once from `path` and print the peak memory above the starting RSS.
fn measure_peak(path: &str) {
    let photo = std::fs::read(path).unwrap();
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak RSS (Linux)");
    let before = status_kb("VmRSS:");
    let derived = media::derive(&photo, &DecodeLimits::default()).expect("derive");
    let peak = status_kb("VmHWM:");
    assert!(!derived.preview.is_empty());
    println!("{}", peak.saturating_sub(before));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak-of") {
        return measure_peak(&args[i + 1]);
    }
    let photo = support::photo_like_jpeg();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("photo.jpg");
    std::fs::write(&input, &photo).unwrap();
    let tiny = dir.path().join("tiny.jpg");
    let mut tiny_bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut tiny_bytes)
        .encode_image(&image::RgbImage::new(16, 16))
        .unwrap();
    std::fs::write(&tiny, &tiny_bytes).unwrap();
    println!(
        "test photo: 4000×3000 JPEG q90, {:.1} MB",
        photo.len() as f64 / 1e6
    );

    let limits = DecodeLimits::default();
    let ours = median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let derived = media::derive(&photo, &limits).expect("derive");
                assert!(!derived.thumbnail.is_empty());
                started.elapsed()
            })
            .collect(),
    );
    let peak_kb: u64 = (0..3)
        .map(|_| {
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--peak-of")
                .arg(&input)
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);

    let thumb_out = format!("{}/t_%s.jpg[Q=80,strip]", dir.path().display());
    let preview_out = format!("{}/p_%s.jpg[Q=82,strip]", dir.path().display());
    let startup = median((0..RUNS).map(|_| vips(&tiny, 320, &thumb_out)).collect());
    let vips_total = median(
        (0..RUNS)
            .map(|_| vips(&input, 320, &thumb_out) + vips(&input, 1600, &preview_out))
            .collect(),
    );
    let vips_work = vips_total.saturating_sub(startup * 2);
    println!(
        "ours: thumbnail + preview             {:7.1} ms (median of {RUNS}), peak memory {:.1} MB above RSS",
        ms(ours),
        peak_kb as f64 / 1024.0
    );
    println!(
        "vipsthumbnail: the two files          {:7.1} ms, start-up {:.1} ms per run",
        ms(vips_total),
        ms(startup)
    );
    println!(
        "vipsthumbnail without start-up        {:7.1} ms",
        ms(vips_work)
    );
    println!(
        "ratio ours / vips (start-up removed)   {:.2}x",
        ms(ours) / ms(vips_work)
    );
}
