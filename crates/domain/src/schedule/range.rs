//! The range a schedule list is asked for (`start`, `end` of its query).
//!
//! The contract gives the bounds as ISO-8601 text (`2026-02-15T14:00:00`). Accepted: a date-time
//! with an offset (an instant), a date-time without one (wall-clock time at the property), or a
//! date (its midnight at the property for `start`; for `end`, the midnight after it, so
//! `start=2026-03-01&end=2026-03-31` is the whole of March). Both bounds must fall on dates the
//! server accepts (its date window), and `end` must be after `start`.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::{local_instant, midnight};
use crate::date_window::DateWindow;
use crate::error::DomainError;

/// A half-open range of instants, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Range {
    /// `[from, to)`; `None` unless `from < to`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Range> {
        (from < to).then_some(Range { from, to })
    }

    pub fn from(&self) -> DateTime<Utc> {
        self.from
    }

    pub fn to(&self) -> DateTime<Utc> {
        self.to
    }

    /// The range of a list query: `start` and `end` read at a property in `zone` whose accepted
    /// dates are `window`. Errors name the query parameter (`start`, `end`).
    pub fn parse(
        start: &str,
        end: &str,
        zone: Tz,
        window: &DateWindow,
    ) -> Result<Range, DomainError> {
        let from = bound(start.trim(), zone, false).ok_or_else(|| unreadable("start"))?;
        let to = bound(end.trim(), zone, true).ok_or_else(|| unreadable("end"))?;
        for (field, at) in [("start", from), ("end", to - TimeDelta::microseconds(1))] {
            let date = at.with_timezone(&zone).date_naive();
            window
                .check(date)
                .map_err(|e| DomainError::invalid(field, e.message().to_string()))?;
        }
        Range::new(from, to).ok_or_else(|| DomainError::invalid("end", "must be after start"))
    }
}

fn unreadable(field: &'static str) -> DomainError {
    DomainError::invalid(
        field,
        "must be an ISO-8601 date-time (2026-03-23T10:00:00 at the property, or with an offset \
         such as 2026-03-23T10:00:00Z) or a date (2026-03-23)",
    )
}

/// One bound; `None` when unreadable.
fn bound(text: &str, zone: Tz, is_end: bool) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return Some(local_instant(zone, local));
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let date = if is_end {
        date.checked_add_days(Days::new(1))?
    } else {
        date
    };
    Some(midnight(zone, date))
}

#[cfg(test)]
mod tests {
    use chrono_tz::Europe::Berlin;

    use super::*;

    fn window() -> DateWindow {
        DateWindow::around(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), 30, 365)
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn reads_instants_local_times_and_dates() {
        let r = Range::parse(
            "2026-03-23T10:00:00+01:00",
            "2026-03-30T10:00:00",
            Berlin,
            &window(),
        )
        .unwrap();
        assert_eq!(r.from(), at("2026-03-23T09:00:00Z"));
        // Summer time at the property by then.
        assert_eq!(r.to(), at("2026-03-30T08:00:00Z"));
        let r = Range::parse("2026-03-01", "2026-03-31", Berlin, &window()).unwrap();
        assert_eq!(r.from(), at("2026-02-28T23:00:00Z"));
        assert_eq!(r.to(), at("2026-03-31T22:00:00Z"));
        let r = Range::parse("2026-03-23T10:00", "2026-03-23T10:30", Berlin, &window()).unwrap();
        assert_eq!(r.to() - r.from(), TimeDelta::minutes(30));
    }

    #[test]
    fn names_the_bound_it_refuses() {
        let w = window();
        let field = |s: &str, e: &str| {
            Range::parse(s, e, Berlin, &w)
                .unwrap_err()
                .field()
                .to_string()
        };
        assert_eq!(field("yesterday", "2026-03-31"), "start");
        assert_eq!(field("2026-03-01", "2026-13-01"), "end");
        assert_eq!(field("2026-03-10", "2026-03-09"), "end");
        assert_eq!(field("2026-03-10T10:00:00Z", "2026-03-10T10:00:00Z"), "end");
        // Outside the window: a year 9999 or 0001 bound is refused, not clamped.
        assert_eq!(field("0001-01-01", "2026-03-31"), "start");
        assert_eq!(field("2026-03-01", "9999-12-31"), "end");
    }

    #[test]
    fn a_date_end_on_the_last_accepted_day_is_accepted() {
        let w = window();
        let last = w.last().to_string();
        assert!(Range::parse("2026-03-01", &last, Berlin, &w).is_ok());
    }
}
