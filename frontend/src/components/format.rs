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
