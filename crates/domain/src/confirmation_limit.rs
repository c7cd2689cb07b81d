//! How often a booking's confirmation may be sent to its guest.
//!
//! A resend is a mail to a person who did not ask for it; without a bound, a client (or a stolen
//! token) could use the server to flood a guest's mailbox. A booking's guest gets at most
//! [`MAX_CONFIRMATIONS`] confirmations in any rolling [`WINDOW_HOURS`] hours, the first one at
//! booking included. The count is of stored notifications, so every node of a deployment
//! enforces the same bound.

use chrono::{DateTime, Duration, Utc};

/// Confirmations of one booking allowed in any window.
pub const MAX_CONFIRMATIONS: usize = 5;
/// The rolling window, in hours.
pub const WINDOW_HOURS: i64 = 24;

pub fn window() -> Duration {
    Duration::hours(WINDOW_HOURS)
}

/// The earliest confirmation that still counts at `now`: older ones are outside the window.
pub fn counted_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - window()
}

/// Whether one more confirmation may be recorded at `now`, given when the booking's
/// confirmations inside the window were recorded (any order). `Err` holds the whole seconds to
/// wait until the oldest that must leave the window has left it (at least 1).
pub fn check(recorded: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), u64> {
    let since = counted_since(now);
    let mut inside: Vec<DateTime<Utc>> = recorded.iter().copied().filter(|t| *t > since).collect();
    if inside.len() < MAX_CONFIRMATIONS {
        return Ok(());
    }
    inside.sort();
    // After this one leaves the window, MAX - 1 remain and one more fits.
    let freeing = inside[inside.len() - MAX_CONFIRMATIONS];
    let wait = freeing + window() - now;
    let millis = u64::try_from(wait.num_milliseconds()).unwrap_or(0);
    Err(millis.div_ceil(1000).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 5, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn below_the_bound_is_allowed() {
        assert_eq!(check(&[], at(0)), Ok(()));
        let four: Vec<_> = (0..4).map(at).collect();
        assert_eq!(check(&four, at(10)), Ok(()));
    }

    #[test]
    fn at_the_bound_waits_for_the_oldest_to_leave_the_window() {
        let five: Vec<_> = [50, 10, 20, 30, 40].into_iter().map(at).collect();
        // The oldest (minute 10) leaves the window at minute 10 + 24 h.
        assert_eq!(check(&five, at(60)), Err(((24 * 60 - 50) * 60) as u64));
        assert_eq!(check(&five, at(10 + 24 * 60)), Ok(()));
    }

    #[test]
    fn more_than_the_bound_waits_for_enough_to_leave() {
        // Seven inside (recorded before the bound existed): three must leave, the third (minute 20) frees a place at minute 20 + 24 h.
        let seven: Vec<_> = [0, 10, 20, 30, 40, 50, 60].into_iter().map(at).collect();
        assert_eq!(check(&seven, at(60)), Err(((24 * 60 - 40) * 60) as u64));
    }

    #[test]
    fn old_confirmations_do_not_count_and_the_wait_is_at_least_a_second() {
        let old: Vec<_> = (0..10).map(|m| at(m - 2 * 24 * 60)).collect();
        assert_eq!(check(&old, at(0)), Ok(()));
        let t = at(0);
        let five = vec![t - window() + Duration::milliseconds(1); 5];
        assert_eq!(check(&five, t), Err(1));
    }
}
