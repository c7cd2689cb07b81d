//! A property's announcements: notices for guests, shown within a window of dates or always.
//!
//! **Current.** An announcement is current on a day (today at the property, in its time zone)
//! when it is shown always (`showAlways`), or when the day is within its window: on or after
//! `startDate` and on or before `endDate`, both days included, a missing end leaving that side
//! open (no `startDate`: from when it is written; no `endDate`: until it is removed). One that
//! is not current is upcoming (its window starts later) or past (its window has ended).
//!
//! Rules (each refusal names its wire field): at least one description, none blank, one per
//! language; `endDate` not before `startDate`.
//!
//! Order of a list ([`Window::order`]): current ones first (by `startDate`, open start first),
//! then upcoming ones (soonest first), then past ones (latest ended first); equal ones keep the
//! order they come in (the store's: oldest first).

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::NaiveDate;

use crate::error::DomainError;

/// Where an announcement stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Current,
    Upcoming,
    Past,
}

/// When an announcement is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub show_always: bool,
}

impl Window {
    /// A window whose end is not before its start.
    pub fn new(
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        show_always: bool,
    ) -> Result<Window, DomainError> {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            return Err(DomainError::invalid(
                "endDate",
                format!("must not be before startDate ({start})"),
            ));
        }
        Ok(Window {
            start,
            end,
            show_always,
        })
    }

    pub fn phase(&self, today: NaiveDate) -> Phase {
        if self.show_always {
            return Phase::Current;
        }
        match (self.start, self.end) {
            (Some(start), _) if today < start => Phase::Upcoming,
            (_, Some(end)) if end < today => Phase::Past,
            _ => Phase::Current,
        }
    }

    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.phase(today) == Phase::Current
    }

    /// The list order on `today` (see the module documentation).
    pub fn order(&self, other: &Window, today: NaiveDate) -> Ordering {
        let (a, b) = (self.phase(today), other.phase(today));
        a.cmp(&b).then_with(|| match a {
            // `None` (open start) sorts first.
            Phase::Current | Phase::Upcoming => self.start.cmp(&other.start),
            Phase::Past => other.end.cmp(&self.end),
        })
    }
}

/// Checks an announcement's descriptions, given as `(language, text)`: at least one, none
/// blank, no language twice.
pub fn check_descriptions<'a>(
    descriptions: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), DomainError> {
    let mut seen = HashSet::new();
    let mut any = false;
    for (i, (language, text)) in descriptions.into_iter().enumerate() {
        any = true;
        if text.trim().is_empty() {
            return Err(DomainError::invalid(
                format!("descriptions.{i}.description"),
                "must not be blank",
            ));
        }
        if !seen.insert(language) {
            return Err(DomainError::invalid(
                format!("descriptions.{i}.language"),
                format!("{language} is described twice: one description per language"),
            ));
        }
    }
    if !any {
        return Err(DomainError::invalid(
            "descriptions",
            "at least one description is needed",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;

    fn window(start: Option<&str>, end: Option<&str>, always: bool) -> Window {
        Window::new(start.map(date), end.map(date), always).unwrap()
    }

    #[test]
    fn current_within_the_window_both_days_included() {
        let w = window(Some("2026-03-10"), Some("2026-03-20"), false);
        assert_eq!(w.phase(date("2026-03-09")), Phase::Upcoming);
        assert_eq!(w.phase(date("2026-03-10")), Phase::Current);
        assert_eq!(w.phase(date("2026-03-20")), Phase::Current);
        assert_eq!(w.phase(date("2026-03-21")), Phase::Past);
    }

    #[test]
    fn show_always_is_current_outside_its_window() {
        let w = window(Some("2026-03-10"), Some("2026-03-20"), true);
        assert!(w.is_current(date("2026-01-01")));
        assert!(w.is_current(date("2027-01-01")));
    }

    #[test]
    fn open_sides_stay_open() {
        assert!(window(None, None, false).is_current(date("2030-01-01")));
        assert!(window(None, Some("2026-03-20"), false).is_current(date("2000-01-01")));
        assert!(!window(None, Some("2026-03-20"), false).is_current(date("2026-03-21")));
        assert!(window(Some("2026-03-10"), None, false).is_current(date("2099-01-01")));
    }

    #[test]
    fn the_end_is_not_before_the_start() {
        let e = Window::new(Some(date("2026-03-10")), Some(date("2026-03-09")), false).unwrap_err();
        assert_eq!(e.field(), "endDate");
        assert!(Window::new(Some(date("2026-03-10")), Some(date("2026-03-10")), false).is_ok());
    }

    #[test]
    fn order_is_current_then_upcoming_then_past() {
        let today = date("2026-03-15");
        let past_early = window(Some("2026-01-01"), Some("2026-01-31"), false);
        let past_late = window(Some("2026-02-01"), Some("2026-02-28"), false);
        let soon = window(Some("2026-04-01"), None, false);
        let later = window(Some("2026-05-01"), None, false);
        let now = window(Some("2026-03-01"), Some("2026-03-31"), false);
        let always = window(Some("2025-01-01"), Some("2025-01-02"), true);
        let open = window(None, None, false);
        let mut list = vec![past_early, later, now, soon, past_late, always, open];
        list.sort_by(|a, b| a.order(b, today));
        assert_eq!(
            list,
            vec![open, always, now, soon, later, past_late, past_early]
        );
    }

    #[test]
    fn descriptions_are_needed_filled_and_one_per_language() {
        assert!(check_descriptions([("en", "Pool closed"), ("fr", "Piscine fermée")]).is_ok());
        assert_eq!(check_descriptions([]).unwrap_err().field(), "descriptions");
        assert_eq!(
            check_descriptions([("en", "ok"), ("fr", "  ")])
                .unwrap_err()
                .field(),
            "descriptions.1.description"
        );
        assert_eq!(
            check_descriptions([("en", "a"), ("en", "b")])
                .unwrap_err()
                .field(),
            "descriptions.1.language"
        );
    }
}
