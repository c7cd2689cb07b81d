//! How often a property may invite affiliates by e-mail.
//!
//! An invitation is a mail to someone who did not ask for it; without a bound, a client (or a
//! stolen token) could use the server to send mail to any address. In any rolling
//! [`WINDOW_HOURS`] hours a property records at most [`MAX_PER_PROPERTY`] invitations, and at most
//! [`MAX_PER_RECIPIENT`] to the same address (compared case-insensitively). The count is of the
//! stored invitations, so every node of a deployment enforces the same bound.

use chrono::{DateTime, Duration, Utc};

/// Invitations of one property in any window.
pub const MAX_PER_PROPERTY: usize = 20;
/// Invitations of one property to one address in any window.
pub const MAX_PER_RECIPIENT: usize = 1;
/// The rolling window, in hours.
pub const WINDOW_HOURS: i64 = 24;

pub fn window() -> Duration {
    Duration::hours(WINDOW_HOURS)
}

/// The earliest invitation that still counts at `now`.
pub fn counted_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - window()
}

/// Which bound an invitation would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// The property sent as many as allowed; retry after this many seconds.
    Property { retry_after_seconds: u64 },
    /// The address was invited lately; retry after this many seconds.
    Recipient { retry_after_seconds: u64 },
}

/// Whether one more invitation to `recipient` may be recorded at `now`, given the property's
/// invitations (when, to whom) recorded inside the window (any order).
pub fn check(
    recorded: &[(DateTime<Utc>, String)],
    recipient: &str,
    now: DateTime<Utc>,
) -> Result<(), Limited> {
    let since = counted_since(now);
    let inside: Vec<&(DateTime<Utc>, String)> =
        recorded.iter().filter(|(t, _)| *t > since).collect();
    let same: Vec<DateTime<Utc>> = inside
        .iter()
        .filter(|(_, to)| to.eq_ignore_ascii_case(recipient))
        .map(|(t, _)| *t)
        .collect();
    if let Some(retry_after_seconds) = wait(same, MAX_PER_RECIPIENT, now) {
        return Err(Limited::Recipient {
            retry_after_seconds,
        });
    }
    let all = inside.iter().map(|(t, _)| *t).collect();
    if let Some(retry_after_seconds) = wait(all, MAX_PER_PROPERTY, now) {
        return Err(Limited::Property {
            retry_after_seconds,
        });
    }
    Ok(())
}

/// Seconds (at least 1) until fewer than `max` of `times` (all inside the window) remain in it,
/// or `None` when there is room now.
fn wait(mut times: Vec<DateTime<Utc>>, max: usize, now: DateTime<Utc>) -> Option<u64> {
    if times.len() < max {
        return None;
    }
    times.sort();
    // After this one leaves the window, max - 1 remain and one more fits.
    let freeing = times[times.len() - max];
    let millis = u64::try_from((freeing + window() - now).num_milliseconds()).unwrap_or(0);
    Some(millis.div_ceil(1000).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 5, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn sent(minutes: i64, to: &str) -> (DateTime<Utc>, String) {
        (at(minutes), to.to_string())
    }

    #[test]
    fn a_first_invitation_is_allowed() {
        assert_eq!(check(&[], "a@example.com", at(0)), Ok(()));
    }

    #[test]
    fn the_same_address_waits_a_day_whatever_its_case() {
        let log = [sent(0, "Agent@Example.com")];
        assert_eq!(
            check(&log, "agent@example.com", at(60)),
            Err(Limited::Recipient {
                retry_after_seconds: 23 * 3600
            })
        );
        assert_eq!(check(&log, "other@example.com", at(60)), Ok(()));
        assert_eq!(check(&log, "agent@example.com", at(24 * 60)), Ok(()));
    }

    #[test]
    fn a_property_sends_at_most_twenty_a_day() {
        let log: Vec<_> = (0..20)
            .map(|i| sent(i, &format!("a{i}@example.com")))
            .collect();
        assert_eq!(
            check(&log, "new@example.com", at(30)),
            Err(Limited::Property {
                retry_after_seconds: ((24 * 60 - 30) * 60) as u64
            })
        );
        assert_eq!(check(&log[1..], "new@example.com", at(30)), Ok(()));
        // The oldest (minute 0) leaves the window at 24 h.
        assert_eq!(check(&log, "new@example.com", at(24 * 60)), Ok(()));
    }

    #[test]
    fn old_invitations_do_not_count() {
        let log: Vec<_> = (0..50)
            .map(|i| sent(i - 3 * 24 * 60, "a@example.com"))
            .collect();
        assert_eq!(check(&log, "a@example.com", at(0)), Ok(()));
    }
}
