//! The time the server goes by for the rules that depend on it: when an access token expires
//! (also at the end of a long upload), when an unfinished resumable upload can no longer be
//! resumed, and when a corrective action becomes overdue.
//!
//! In production it is the system clock. Tests move it forward ([`Clock::advance`]) instead of
//! sleeping, so "a token that runs out mid-upload" takes no wall time. Every clone shares the
//! same offset, so moving the application state's clock moves it for every request.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// How far ahead of the system clock this clock runs, in milliseconds (0 in production).
    ahead_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.ahead_ms.load(Ordering::Relaxed))
    }

    /// [`Clock::now`] as a Unix time in seconds, as JWT claims carry it.
    pub fn timestamp(&self) -> i64 {
        self.now().timestamp()
    }

    /// Today's date (UTC), against which due dates are compared.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves the clock forward by `by` for every holder of it. For tests: production never
    /// calls it.
    pub fn advance(&self, by: Duration) {
        self.ahead_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::system();
        let shared = clock.clone();
        let before = shared.now();
        clock.advance(Duration::hours(2));
        let after = shared.now();
        assert!(after - before >= Duration::hours(2));
        assert!(after - before < Duration::hours(2) + Duration::minutes(1));
    }
}
