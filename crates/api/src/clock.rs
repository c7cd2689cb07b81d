//! The time the API works with. Handlers never read the system clock themselves: they ask the
//! [`Clock`] in [`crate::AppState`], so a test can put the whole server at any instant (a
//! property's midnight, a daylight-saving change, the day after a stay) and move it.
//!
//! Token expiry is the exception: `jsonwebtoken` checks `exp` against the system clock.

use std::sync::RwLock;

use chrono::{DateTime, Duration, Utc};

/// Where the current instant comes from.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock: what a running server uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is set or advanced (tests).
#[derive(Debug)]
pub struct ManualClock(RwLock<DateTime<Utc>>);

impl ManualClock {
    pub fn at(instant: DateTime<Utc>) -> Self {
        ManualClock(RwLock::new(instant))
    }

    pub fn set(&self, instant: DateTime<Utc>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = instant;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.write().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.read().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2027-03-28T00:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = ManualClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::hours(2));
        assert_eq!(clock.now(), start + Duration::hours(2));
        clock.set(start);
        assert_eq!(clock.now(), start);
        assert!(SystemClock.now() > start - Duration::days(365 * 100));
    }
}
