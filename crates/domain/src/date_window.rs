//! The dates a request may name: a window around today at the property.
//!
//! Every calendar the server keeps or answers is bounded by what it is asked, so a date far in
//! the past or future (0001-01-01, 9999-12-31) would make one request store or compute years of
//! rows. Nothing a hotel sells or reports on is that far away: by default the window is one year
//! back to three years ahead of today, and a date outside it is refused, not clamped.
//!
//! A range of dates is answered as one cell per (master rate, date): [`check_cells`] bounds how
//! many cells one answer holds.

use chrono::{Days, NaiveDate};

use crate::error::DomainError;

/// Days before today a request may name by default (a year, leap day included).
pub const DEFAULT_DAYS_BACK: u32 = 366;
/// Days after today a request may name by default (three years, a leap day included).
pub const DEFAULT_DAYS_AHEAD: u32 = 1096;
/// The most (master rate, date) cells one calendar answer holds.
pub const MAX_CALENDAR_CELLS: u64 = 50_000;

/// The inclusive window `first ..= last` of dates a request may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    first: NaiveDate,
    last: NaiveDate,
}

impl DateWindow {
    /// From `days_back` before `today` to `days_ahead` after it, both included; ends that would
    /// fall outside the calendar stop at its first or last date.
    pub fn around(today: NaiveDate, days_back: u32, days_ahead: u32) -> DateWindow {
        DateWindow {
            first: today
                .checked_sub_days(Days::new(u64::from(days_back)))
                .unwrap_or(NaiveDate::MIN),
            last: today
                .checked_add_days(Days::new(u64::from(days_ahead)))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn last(&self) -> NaiveDate {
        self.last
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// Refuses `date` outside the window, saying which dates are accepted.
    pub fn check(&self, date: NaiveDate) -> Result<(), DomainError> {
        if self.contains(date) {
            return Ok(());
        }
        Err(DomainError::invalid(
            "date",
            format!(
                "{date} is outside the dates this server accepts, {} to {} (a window around \
                 today at the property)",
                self.first, self.last
            ),
        ))
    }
}

/// Refuses a calendar of `master_rates` × `days` cells above [`MAX_CALENDAR_CELLS`].
pub fn check_cells(master_rates: usize, days: u32) -> Result<(), DomainError> {
    let cells = (master_rates as u64).saturating_mul(u64::from(days));
    if cells <= MAX_CALENDAR_CELLS {
        return Ok(());
    }
    let most_days = MAX_CALENDAR_CELLS / (master_rates as u64).max(1);
    Err(DomainError::invalid(
        "endDate",
        format!(
            "{master_rates} master rates × {days} days is {cells} daily rates; one answer holds \
             at most {MAX_CALENDAR_CELLS}: ask for at most {most_days} days at a time"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::test_support::date;

    #[test]
    fn window_spans_back_and_ahead_of_today() {
        let w = DateWindow::around(date("2026-12-04"), 366, 1096);
        assert_eq!(w.first(), date("2025-12-03"));
        assert_eq!(w.last(), date("2029-12-04"));
    }

    #[test]
    fn both_edges_are_inside_and_their_neighbours_outside() {
        let w = DateWindow::around(date("2026-12-04"), 10, 20);
        assert!(w.check(date("2026-11-24")).is_ok());
        assert!(w.check(date("2026-12-24")).is_ok());
        assert!(w.check(date("2026-11-23")).is_err());
        assert!(w.check(date("2026-12-25")).is_err());
    }

    #[test]
    fn refusal_names_the_accepted_dates() {
        let w = DateWindow::around(date("2026-12-04"), 1, 1);
        let err = w.check(date("9999-12-31")).unwrap_err();
        assert_eq!(
            err.message(),
            "9999-12-31 is outside the dates this server accepts, 2026-12-03 to 2026-12-05 \
             (a window around today at the property)"
        );
    }

    #[test]
    fn ends_stop_at_the_calendar_s_limits() {
        let w = DateWindow::around(NaiveDate::MIN, 10, 0);
        assert_eq!(w.first(), NaiveDate::MIN);
        let w = DateWindow::around(NaiveDate::MAX, 0, u32::MAX);
        assert_eq!(w.last(), NaiveDate::MAX);
    }

    #[test]
    fn a_zero_window_is_today_only() {
        let w = DateWindow::around(date("2026-12-04"), 0, 0);
        assert!(w.contains(date("2026-12-04")));
        assert!(!w.contains(date("2026-12-03")));
        assert!(!w.contains(date("2026-12-05")));
    }

    #[test]
    fn cells_are_capped() {
        assert!(check_cells(68, 732).is_ok()); // 49,776
        assert!(check_cells(50_000, 1).is_ok());
        let err = check_cells(69, 732).unwrap_err();
        assert_eq!(err.field(), "endDate");
        assert!(err.message().contains("50000"), "{}", err.message());
        assert!(
            err.message().contains("at most 724 days"),
            "{}",
            err.message()
        );
        assert!(check_cells(0, 732).is_ok());
        assert!(check_cells(usize::MAX, u32::MAX).is_err());
    }

    proptest! {
        #[test]
        fn check_agrees_with_the_distance_from_today(
            back in 0u32..5000, ahead in 0u32..5000, offset in -6000i64..6000,
        ) {
            let today = date("2026-12-04");
            let w = DateWindow::around(today, back, ahead);
            let day = today + chrono::Duration::days(offset);
            let inside = -i64::from(back) <= offset && offset <= i64::from(ahead);
            prop_assert_eq!(w.check(day).is_ok(), inside);
        }
    }
}
