//! Property-local wall-clock times turned into UTC instants, across DST changes.
//!
//! Decisions, because a local time does not always name exactly one instant:
//! - AMBIGUOUS (clocks fall back and the hour repeats): the EARLIER instant. A deadline
//!   "until 00:00" that happens twice ends the first time; the guest is never promised
//!   more than the property's clock first showed.
//! - NON-EXISTENT (clocks spring forward over it): the first instant after the gap. The
//!   local day then starts at the first moment it has (01:00 in America/Santiago,
//!   America/Havana or Asia/Beirut, which switch at midnight), and a deadline inside the
//!   gap falls when the clock resumes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The UTC instant of `local` in `tz` (see the module's decisions).
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local).earliest() {
        Some(instant) => instant.with_timezone(&Utc),
        None => first_instant_after_gap(tz, local),
    }
}

/// The property-local calendar date of `instant` (the booking date of a booking made then).
pub fn local_date(tz: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// The first instant of `date` in `tz`: local midnight, or the end of a gap covering it.
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(tz, date.and_time(NaiveTime::MIN))
}

/// Earliest instant whose local time is later than `local`, which falls in a gap.
///
/// UTC offsets lie within −12 h … +14 h, so that instant lies within 26 hours either side
/// of `local` read as UTC; local time only moves forward there (no zone changes its clocks
/// twice within a day), so a binary search over whole seconds finds it exactly, whatever the
/// size of the gap (an hour, thirty minutes on Lord Howe Island, a whole day in Samoa 2011).
fn first_instant_after_gap(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let window = TimeDelta::hours(26);
    let wall = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0).map(|instant| instant.with_timezone(&tz).naive_local())
    };
    let mut before = (local - window).and_utc().timestamp(); // wall(before) <= local
    let mut after = (local + window).and_utc().timestamp(); // wall(after) > local
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if wall(middle).is_some_and(|time| time > local) {
            after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(after, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::date;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn local(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    #[test]
    fn ordinary_times_have_one_instant() {
        assert_eq!(
            start_of_day(Tz::UTC, date("2026-06-10")),
            utc("2026-06-10T00:00:00Z")
        );
        assert_eq!(
            start_of_day(Tz::Asia__Bangkok, date("2026-06-10")),
            utc("2026-06-09T17:00:00Z")
        );
        assert_eq!(
            local_to_utc(Tz::America__New_York, local("2026-07-01T18:00:00")),
            utc("2026-07-01T22:00:00Z")
        );
        assert_eq!(
            local_to_utc(Tz::America__New_York, local("2026-01-15T18:00:00")),
            utc("2026-01-15T23:00:00Z")
        );
    }

    #[test]
    fn spring_forward_gap_resolves_to_the_end_of_the_gap() {
        // Berlin 2026-03-29: 02:00 CET → 03:00 CEST, i.e. 01:00 UTC.
        let berlin = Tz::Europe__Berlin;
        assert_eq!(
            local_to_utc(berlin, local("2026-03-29T02:30:00")),
            utc("2026-03-29T01:00:00Z")
        );
        assert_eq!(
            local_to_utc(berlin, local("2026-03-29T01:59:59")),
            utc("2026-03-29T00:59:59Z")
        );
        assert_eq!(
            local_to_utc(berlin, local("2026-03-29T03:00:00")),
            utc("2026-03-29T01:00:00Z")
        );
        // Lord Howe 2026-10-04: 02:00 → 02:30 (+10:30 → +11), i.e. 15:30 UTC the day before.
        let lord_howe = Tz::Australia__Lord_Howe;
        assert_eq!(
            local_to_utc(lord_howe, local("2026-10-04T02:15:00")),
            utc("2026-10-03T15:30:00Z")
        );
    }

    #[test]
    fn fall_back_ambiguity_takes_the_earlier_instant() {
        // Berlin 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
        assert_eq!(
            local_to_utc(Tz::Europe__Berlin, local("2026-10-25T02:30:00")),
            utc("2026-10-25T00:30:00Z")
        );
        // New York 2026-11-01: 01:30 happens at 05:30 (EDT) and 06:30 (EST) UTC.
        assert_eq!(
            local_to_utc(Tz::America__New_York, local("2026-11-01T01:30:00")),
            utc("2026-11-01T05:30:00Z")
        );
    }

    #[test]
    fn zones_switching_at_midnight() {
        // Havana starts DST on 2026-03-08 at 00:00 CST → 01:00 CDT: the day starts at 01:00.
        let havana = Tz::America__Havana;
        assert_eq!(
            start_of_day(havana, date("2026-03-08")),
            utc("2026-03-08T05:00:00Z")
        );
        assert_eq!(
            start_of_day(havana, date("2026-03-09")),
            utc("2026-03-09T04:00:00Z")
        );
        // Havana ends DST on 2026-11-01 at 01:00 CDT → 00:00 CST: midnight happens twice.
        assert_eq!(
            start_of_day(havana, date("2026-11-01")),
            utc("2026-11-01T04:00:00Z")
        );
        // Santiago starts DST on 2026-09-06 at 00:00 (−04 → −03): the day starts at 01:00.
        let santiago = Tz::America__Santiago;
        assert_eq!(
            start_of_day(santiago, date("2026-09-06")),
            utc("2026-09-06T04:00:00Z")
        );
        assert_eq!(
            start_of_day(santiago, date("2026-09-05")),
            utc("2026-09-05T04:00:00Z")
        );
        // Beirut starts DST on 2026-03-29 at 00:00 (+02 → +03).
        assert_eq!(
            start_of_day(Tz::Asia__Beirut, date("2026-03-29")),
            utc("2026-03-28T22:00:00Z")
        );
    }

    #[test]
    fn local_date_follows_the_zone() {
        let instant = utc("2026-06-09T18:30:00Z");
        assert_eq!(local_date(Tz::UTC, instant), date("2026-06-09"));
        assert_eq!(local_date(Tz::Asia__Bangkok, instant), date("2026-06-10"));
        assert_eq!(
            local_date(Tz::America__New_York, instant),
            date("2026-06-09")
        );
    }

    #[test]
    fn a_skipped_day_starts_when_the_clock_resumes() {
        // Samoa skipped 2011-12-30 entirely, jumping from −10 to +14 at midnight.
        assert_eq!(
            start_of_day(Tz::Pacific__Apia, date("2011-12-30")),
            utc("2011-12-30T10:00:00Z")
        );
    }
}
