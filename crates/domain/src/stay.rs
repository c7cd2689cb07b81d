//! Stay dates and calendar date ranges.
//!
//! Dates are calendar dates in the property's time zone; a stay is the nights from arrival
//! up to, not including, departure (a guest arriving 1 June and leaving 3 June sleeps the
//! nights of 1 and 2 June). Field names in errors are the contract's `startDate`/`endDate`
//! (or `nights`), which every stay-shaped request of the contract uses.

use chrono::{Days, NaiveDate};

use crate::error::DomainError;

/// Longest stay accepted: one year of nights. Longer is a lease, not a hotel stay, and the
/// bound keeps every per-night loop and calendar query small.
pub const MAX_STAY_NIGHTS: u32 = 365;

/// Longest inclusive date range for calendar queries and bulk updates: two years plus a
/// leap day, enough to set a whole next year from any day of this one.
pub const MAX_RANGE_DAYS: u32 = 732;

/// Arrival and departure dates; the nights are `arrival ..< departure`, at least one and at
/// most [`MAX_STAY_NIGHTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stay {
    arrival: NaiveDate,
    departure: NaiveDate,
}

impl Stay {
    pub fn new(arrival: NaiveDate, departure: NaiveDate) -> Result<Stay, DomainError> {
        if departure <= arrival {
            return Err(DomainError::invalid("endDate", "must be after startDate"));
        }
        let nights = (departure - arrival).num_days();
        if nights > i64::from(MAX_STAY_NIGHTS) {
            return Err(DomainError::invalid(
                "endDate",
                format!("a stay is at most {MAX_STAY_NIGHTS} nights, this one is {nights}"),
            ));
        }
        Ok(Stay { arrival, departure })
    }

    /// A stay given by its arrival and number of nights (the contract's itinerary lets
    /// `nights` stand in for `endDate`).
    pub fn from_nights(arrival: NaiveDate, nights: u32) -> Result<Stay, DomainError> {
        if nights == 0 || nights > MAX_STAY_NIGHTS {
            return Err(DomainError::invalid(
                "nights",
                format!("must be between 1 and {MAX_STAY_NIGHTS}"),
            ));
        }
        let departure = arrival
            .checked_add_days(Days::new(u64::from(nights)))
            .ok_or_else(|| DomainError::invalid("nights", "ends beyond the supported calendar"))?;
        Stay::new(arrival, departure)
    }

    pub fn arrival(&self) -> NaiveDate {
        self.arrival
    }

    pub fn departure(&self) -> NaiveDate {
        self.departure
    }

    /// The nights of the stay, each named by the date the guest goes to sleep.
    pub fn nights(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        self.arrival.iter_days().take(self.night_count() as usize)
    }

    /// Number of nights: the length of stay (LOS) of every rule that speaks of one.
    pub fn night_count(&self) -> u32 {
        // Bounded by MAX_STAY_NIGHTS at construction, so the cast cannot truncate.
        (self.departure - self.arrival).num_days() as u32
    }

    pub fn contains_night(&self, date: NaiveDate) -> bool {
        self.arrival <= date && date < self.departure
    }
}

/// An inclusive range of dates `start ..= end`, at most [`MAX_RANGE_DAYS`] days long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl DateRange {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<DateRange, DomainError> {
        if end < start {
            return Err(DomainError::invalid(
                "endDate",
                "must not be before startDate",
            ));
        }
        let days = (end - start).num_days() + 1;
        if days > i64::from(MAX_RANGE_DAYS) {
            return Err(DomainError::invalid(
                "endDate",
                format!("a date range is at most {MAX_RANGE_DAYS} days, this one is {days}"),
            ));
        }
        Ok(DateRange { start, end })
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }

    pub fn end(&self) -> NaiveDate {
        self.end
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        self.start.iter_days().take(self.len() as usize)
    }

    /// Number of days, both ends included; never zero.
    #[allow(clippy::len_without_is_empty)] // a range always holds at least its start
    pub fn len(&self) -> u32 {
        // Bounded by MAX_RANGE_DAYS at construction.
        ((self.end - self.start).num_days() + 1) as u32
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;

    #[test]
    fn nights_run_from_arrival_to_the_eve_of_departure() {
        let stay = Stay::new(date("2026-12-30"), date("2027-01-02")).unwrap();
        let nights: Vec<_> = stay.nights().collect();
        assert_eq!(
            nights,
            vec![date("2026-12-30"), date("2026-12-31"), date("2027-01-01")]
        );
        assert_eq!(stay.night_count(), 3);
        assert_eq!(stay.arrival(), date("2026-12-30"));
        assert_eq!(stay.departure(), date("2027-01-02"));
    }

    #[test]
    fn contains_night_excludes_departure() {
        let stay = Stay::new(date("2026-06-01"), date("2026-06-03")).unwrap();
        assert!(!stay.contains_night(date("2026-05-31")));
        assert!(stay.contains_night(date("2026-06-01")));
        assert!(stay.contains_night(date("2026-06-02")));
        assert!(!stay.contains_night(date("2026-06-03")));
    }

    #[test]
    fn one_night_and_leap_day_stays() {
        let stay = Stay::new(date("2028-02-28"), date("2028-03-01")).unwrap();
        assert_eq!(stay.night_count(), 2);
        assert_eq!(stay.nights().last(), Some(date("2028-02-29")));
        assert_eq!(
            Stay::new(date("2026-01-01"), date("2026-01-02"))
                .unwrap()
                .night_count(),
            1
        );
    }

    #[test]
    fn departure_must_follow_arrival() {
        for departure in ["2026-06-01", "2026-05-31"] {
            let err = Stay::new(date("2026-06-01"), date(departure)).unwrap_err();
            assert_eq!(err.field(), "endDate");
        }
    }

    #[test]
    fn at_most_a_year_of_nights() {
        let arrival = date("2026-01-01");
        assert_eq!(
            Stay::new(arrival, date("2027-01-01"))
                .unwrap()
                .night_count(),
            365
        );
        assert_eq!(
            Stay::new(arrival, date("2027-01-02")).unwrap_err().field(),
            "endDate"
        );
    }

    #[test]
    fn from_nights_counts_nights_forward() {
        let stay = Stay::from_nights(date("2026-06-01"), 2).unwrap();
        assert_eq!(stay.departure(), date("2026-06-03"));
        assert_eq!(
            Stay::from_nights(date("2026-06-01"), 0)
                .unwrap_err()
                .field(),
            "nights"
        );
        assert_eq!(
            Stay::from_nights(date("2026-06-01"), 366)
                .unwrap_err()
                .field(),
            "nights"
        );
        assert_eq!(
            Stay::from_nights(NaiveDate::MAX, 1).unwrap_err().field(),
            "nights"
        );
    }

    #[test]
    fn date_range_is_inclusive() {
        let range = DateRange::new(date("2026-02-27"), date("2026-03-01")).unwrap();
        assert_eq!(range.len(), 3);
        let days: Vec<_> = range.days().collect();
        assert_eq!(
            days,
            vec![date("2026-02-27"), date("2026-02-28"), date("2026-03-01")]
        );
        assert!(range.contains(date("2026-03-01")) && !range.contains(date("2026-03-02")));
        assert_eq!(
            (range.start(), range.end()),
            (date("2026-02-27"), date("2026-03-01"))
        );
    }

    #[test]
    fn single_day_range_and_bounds() {
        assert_eq!(
            DateRange::new(date("2026-05-05"), date("2026-05-05"))
                .unwrap()
                .len(),
            1
        );
        let err = DateRange::new(date("2026-05-05"), date("2026-05-04")).unwrap_err();
        assert_eq!(err.field(), "endDate");
        let start = date("2026-01-01");
        let last = start + chrono::Days::new(u64::from(MAX_RANGE_DAYS) - 1);
        assert_eq!(DateRange::new(start, last).unwrap().len(), MAX_RANGE_DAYS);
        let too_far = last + chrono::Days::new(1);
        assert_eq!(
            DateRange::new(start, too_far).unwrap_err().field(),
            "endDate"
        );
    }
}
