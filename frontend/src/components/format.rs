//! Dates, times and positions as the interface writes them (Vietnamese order: day/month/year).
//!
//! Written by hand rather than with chrono's `format()`, whose pattern parser would add to
//! the download of every phone.

use chrono::{DateTime, Datelike, Local, NaiveDate, Timelike, Utc};

pub fn date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// A moment in the device's time zone.
pub fn date_time(moment: DateTime<Utc>) -> String {
    let local = moment.with_timezone(&Local);
    format!(
        "{:02}:{:02} {}",
        local.hour(),
        local.minute(),
        date(local.date_naive())
    )
}

pub fn position(latitude: f64, longitude: f64) -> String {
    format!("{latitude:.5}, {longitude:.5}")
}

/// A file size as people read it: "850 KB", "6,2 MB" (decimal units, as phones show them).
pub fn size(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes < 1_000_000.0 {
        format!("{} KB", (bytes / 1_000.0).ceil())
    } else {
        format!("{:.1} MB", bytes / 1_000_000.0).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_phone_writes_them() {
        assert_eq!(size(8_200), "9 KB");
        assert_eq!(size(6_234_567), "6,2 MB");
    }
}
