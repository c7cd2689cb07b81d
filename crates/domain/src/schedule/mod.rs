//! Schedule items: what a booking has reserved of a meeting room, restaurant, spa, activity,
//! attraction or place, once or as a series.
//!
//! An item has a start and an end (instants), the IANA zone each is read in, whether it is
//! all-day, and optionally an RFC 5545 recurrence rule with exceptions. The rules:
//!
//! - **Timed items** last `end - start` (an exact duration). A series repeats at the same
//!   wall-clock time in `startTimezone`: a weekly 10:00 in Europe/Berlin is 09:00 UTC in winter
//!   and 08:00 UTC in summer, every occurrence as long as the first.
//! - **All-day items** ignore the time of day: they cover whole days, from the date of `start`
//!   (in `startTimezone`) to the date of `end` (in `endTimezone`), both included, each day from
//!   midnight to midnight in `startTimezone`. Their rule is expanded on calendar dates, so no
//!   daylight-saving change can move an occurrence to another day.
//! - **Exceptions** remove occurrences: a timed occurrence whose start is exactly an exception
//!   instant, an all-day occurrence whose date is the date of an exception (in
//!   `startTimezone`). Only a series has exceptions.
//! - **The list** answers the occurrences that overlap a half-open range `[from, to)`: those
//!   starting before `to` and ending after `from` (an occurrence without duration: starting at
//!   or after `from`). At most [`MAX_OCCURRENCES_PER_ANSWER`] per answer; a range holding more
//!   is refused, so a client asks for a shorter one rather than getting a cut-off calendar.
//! - **Density**: a series may not repeat more than [`MAX_SERIES_OCCURRENCES`] times in its
//!   first [`DENSITY_SPAN_DAYS`] days (or before the last date the server accepts, if sooner).
//!   An expansion runs from the series' start to the end of the range asked for, and the range
//!   is bounded by the server's date window (four years by default), so this bounds the work of
//!   every list.
//!
//! The expansion is the `rrule` library's (see [`rule`]); as in the iCalendar libraries most
//! clients use (python-dateutil, rrule.js), a start that does not match the rule is not itself
//! an occurrence.

pub mod range;
pub mod rule;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::DomainError;
pub use range::Range;
pub use rule::{Rule, Start};

/// The most occurrences one list answer holds.
pub const MAX_OCCURRENCES_PER_ANSWER: usize = 1_000;
/// The most occurrences a series may have in its first [`DENSITY_SPAN_DAYS`] days.
pub const MAX_SERIES_OCCURRENCES: usize = 10_000;
/// The span [`MAX_SERIES_OCCURRENCES`] counts over: the default date window's (a year back,
/// three ahead), so a daily series always fits.
pub const DENSITY_SPAN_DAYS: i64 = 1_462;

/// When an item takes place (the first occurrence of a series).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub start: DateTime<Utc>,
    pub start_zone: Tz,
    pub end: DateTime<Utc>,
    pub end_zone: Tz,
    pub all_day: bool,
}

impl Timing {
    /// The calendar date of `start` in its zone.
    pub fn start_date(&self) -> NaiveDate {
        self.start.with_timezone(&self.start_zone).date_naive()
    }

    /// The calendar date of `end` in its zone.
    pub fn end_date(&self) -> NaiveDate {
        self.end.with_timezone(&self.end_zone).date_naive()
    }
}

/// One occurrence: from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Occurrence {
    /// Whether the occurrence overlaps `range` (see the module's rules).
    pub fn overlaps(&self, range: &Range) -> bool {
        self.start < range.to()
            && (self.end > range.from() || (self.start == self.end && self.start >= range.from()))
    }
}

/// The time span every occurrence of a series lies in: from `from`, until `until` (`None`: the
/// series goes on past the server's date window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// The range asked for holds more than [`MAX_OCCURRENCES_PER_ANSWER`] occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany;

/// The IANA zone named `name` (the contract's `startTimezone`/`endTimezone`), refused naming
/// `field` when there is none by that name.
pub fn zone(field: &'static str, name: &str) -> Result<Tz, DomainError> {
    name.trim().parse::<Tz>().map_err(|_| {
        DomainError::invalid(
            field,
            format!("{name:?} is not an IANA time zone name (such as Europe/Berlin)"),
        )
    })
}

/// An item, checked: its timing, its rule and its exceptions.
#[derive(Debug, Clone)]
pub struct Series {
    timing: Timing,
    rule: Option<Rule>,
    exceptions: Vec<DateTime<Utc>>,
}

impl Series {
    /// Checks an item: the end not before the start, the rule (if any) valid from the start, and
    /// exceptions only on a series. Errors name the wire field.
    pub fn new(
        timing: Timing,
        rule: Option<&str>,
        exceptions: &[DateTime<Utc>],
    ) -> Result<Series, DomainError> {
        if timing.all_day {
            if timing.end_date() < timing.start_date() {
                return Err(DomainError::invalid(
                    "end",
                    format!(
                        "the last day of an all-day item ({}) must not be before its first ({})",
                        timing.end_date(),
                        timing.start_date()
                    ),
                ));
            }
        } else if timing.end < timing.start {
            return Err(DomainError::invalid("end", "must not be before start"));
        }
        let rule = match rule {
            None => None,
            Some(text) => Some(Rule::parse(text, start_of(&timing))?),
        };
        if rule.is_none() && !exceptions.is_empty() {
            return Err(DomainError::invalid(
                "recurrenceException",
                "only a recurring item (with a recurrenceRule) has exceptions",
            ));
        }
        let mut exceptions = exceptions.to_vec();
        exceptions.sort();
        exceptions.dedup();
        Ok(Series {
            timing,
            rule,
            exceptions,
        })
    }

    pub fn timing(&self) -> &Timing {
        &self.timing
    }

    pub fn rule(&self) -> Option<&Rule> {
        self.rule.as_ref()
    }

    /// The exceptions, in order, without repeats.
    pub fn exceptions(&self) -> &[DateTime<Utc>] {
        &self.exceptions
    }

    /// Where the occurrences lie, for `last_accepted` the end of the last date the server
    /// accepts; refuses (naming `recurrenceRule`) a series that never occurs or that is too dense
    /// (see the module's rules).
    pub fn extent(&self, last_accepted: DateTime<Utc>) -> Result<Extent, DomainError> {
        let from = self.span(self.first_start()).start;
        let horizon = last_accepted.min(self.first_start() + TimeDelta::days(DENSITY_SPAN_DAYS));
        let Some(rule) = &self.rule else {
            return Ok(Extent {
                from,
                until: Some(self.span(self.first_start()).end),
            });
        };
        let mut last = None;
        for (n, start) in rule.starts().enumerate() {
            if start >= horizon {
                return Ok(Extent { from, until: None });
            }
            if n >= MAX_SERIES_OCCURRENCES {
                return Err(DomainError::invalid(
                    rule::FIELD,
                    format!(
                        "repeats more than {MAX_SERIES_OCCURRENCES} times before {}; repeat \
                         less often",
                        horizon.date_naive()
                    ),
                ));
            }
            last = Some(start);
        }
        match last {
            Some(start) => Ok(Extent {
                from,
                until: Some(self.span(start).end),
            }),
            None => Err(DomainError::invalid(
                rule::FIELD,
                "has no occurrence from start on",
            )),
        }
    }

    /// The occurrences overlapping `range`, in order, exceptions left out; [`TooMany`] past
    /// `limit`.
    pub fn occurrences(&self, range: &Range, limit: usize) -> Result<Vec<Occurrence>, TooMany> {
        let mut found = Vec::new();
        // From the series' start to the range's end: the range is bounded by the date window
        // and the series' density by `extent`.
        let starts: Box<dyn Iterator<Item = DateTime<Utc>>> = match &self.rule {
            None => Box::new(std::iter::once(self.first_start())),
            Some(rule) => Box::new(rule.starts()),
        };
        for start in starts {
            let occurrence = self.span(start);
            if occurrence.start >= range.to() {
                break;
            }
            if self.excluded(start) || !occurrence.overlaps(range) {
                continue;
            }
            if found.len() == limit {
                return Err(TooMany);
            }
            found.push(occurrence);
        }
        Ok(found)
    }

    /// The first start as the expansion sees it: the start instant of a timed series, the first
    /// date (as midnight UTC) of an all-day one.
    fn first_start(&self) -> DateTime<Utc> {
        if self.timing.all_day {
            utc_midnight(self.timing.start_date())
        } else {
            self.timing.start
        }
    }

    /// The occurrence starting at `start` (as [`Self::first_start`] expresses it).
    fn span(&self, start: DateTime<Utc>) -> Occurrence {
        let t = &self.timing;
        if t.all_day {
            let first = start.date_naive();
            let days = (t.end_date() - t.start_date()).num_days().max(0) as u64 + 1;
            let after = first.checked_add_days(Days::new(days)).unwrap_or(first);
            let start = midnight(t.start_zone, first);
            Occurrence {
                start,
                end: midnight(t.start_zone, after).max(start),
            }
        } else {
            Occurrence {
                start,
                end: start + (t.end - t.start),
            }
        }
    }

    fn excluded(&self, start: DateTime<Utc>) -> bool {
        if self.timing.all_day {
            let date = start.date_naive();
            let zone = self.timing.start_zone;
            self.exceptions
                .iter()
                .any(|e| e.with_timezone(&zone).date_naive() == date)
        } else {
            self.exceptions.binary_search(&start).is_ok()
        }
    }
}

fn start_of(timing: &Timing) -> Start {
    if timing.all_day {
        Start::AllDay(timing.start_date())
    } else {
        Start::Timed(timing.start, timing.start_zone)
    }
}

fn utc_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}

/// The first instant of `date` in `zone`.
pub fn midnight(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_instant(zone, date.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The instant a wall-clock time names in `zone`, as RFC 5545 reads one: the earlier of two
/// when the clock goes back, and read with the offset before the change when the clock skips
/// it (02:30 on the night clocks go from 02:00 to 03:00 is 03:30).
pub fn local_instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    if let Some(at) = zone.from_local_datetime(&local).earliest() {
        return at.with_timezone(&Utc);
    }
    // In a gap: the offset in force a day before (no zone changes its offset twice a day).
    let before = zone.offset_from_utc_datetime(&(local - TimeDelta::days(1)));
    let offset = chrono::Offset::fix(&before);
    (local - TimeDelta::seconds(i64::from(offset.local_minus_utc()))).and_utc()
}

#[cfg(test)]
mod tests;
